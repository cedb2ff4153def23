#!/usr/bin/python3
"""Imports the trained ResNet-18 state_dict into models/resnet18_fmnist/ and writes its record.

    /usr/bin/python3 scripts/make_resnet18_fmnist.py \
        --weights /work/ckpt/resnet18_fmnist.pth --out models/resnet18_fmnist

One command for the committed model: runs npu-import (32x32 instance, calibration on training
images, preprocess list pad 2 + normalize 0.5/0.5, PyTorch float and int8 evaluated on the
10,000 test images), then npu-run on all 10,000 test images with the golden backend, compared
with PyTorch int8, and writes record.json with every figure, command and wall time. The
training figures come from the JSON that scripts/train_resnet18.py writes beside the .pth.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_resnet20 import load_split  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NPU_IMPORT = os.path.join(REPO, "scripts", "npu-import")
DEFAULT_NPU_RUN = os.path.join(REPO, "build", "sw", "cli", "npu-run")
TEST_IMAGES = 10000


def log(msg):
    print(time.strftime("[%H:%M:%S] ") + msg, flush=True)


def run(cmd, log_path=None):
    """Runs cmd (a list; no shell), echoing its output; returns (stdout, seconds)."""
    log("$ " + " ".join(cmd))
    t0 = time.time()
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.time() - t0
    sys.stdout.write(res.stdout)
    sys.stderr.write(res.stderr)
    if log_path:
        with open(log_path, "w") as f:
            f.write("$ " + " ".join(cmd) + "\n" + res.stdout + res.stderr)
    if res.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed with exit status {res.returncode}")
    return res.stdout, seconds


def read_predictions(path):
    with open(path) as f:
        preds = [int(line) for line in f if line.strip() and not line.startswith("#")]
    if len(preds) != TEST_IMAGES:
        raise SystemExit(f"{path}: {len(preds)} predictions, expected {TEST_IMAGES}")
    return np.array(preds)


def import_command(args):
    return [NPU_IMPORT, "--arch", "resnet18", "--weights", args.weights, "--out", args.out,
            "--name", "resnet18-fashion-mnist", "--classes", "fashion-mnist",
            "--calib-dataset", "fashion-mnist-train", "--calib-count", str(args.calib_count),
            "--pad", "2", "--mean", "0.5,0.5,0.5", "--std", "0.5,0.5,0.5",
            "--eval-dataset", "fashion-mnist-test"] + (
                [] if args.npu_run == DEFAULT_NPU_RUN else ["--npu-run", args.npu_run])


def golden_command(args, report):
    return [args.npu_run, "--model", os.path.join(args.out, "model.yaml"),
            "--dataset", "fashion-mnist-test", "--count", str(TEST_IMAGES),
            "--backend", "reference", "--threads", str(args.threads),
            "--compare-predictions", os.path.join(args.out, "pytorch_int8_predictions.txt"),
            "--report", report]


def disagreement_margins(golden_pred, torch_pred, scratch):
    """PyTorch int8 top-1 minus top-2 logit (dequantized) on the images where golden differs."""
    logits_path = os.path.join(scratch, "pytorch_int8_logits.npy")
    if not os.path.exists(logits_path):
        return None
    z = np.load(logits_path)
    diff = np.nonzero(golden_pred != torch_pred)[0]
    margins = []
    for i in diff:
        top = np.sort(z[i])[::-1]
        margins.append(float(top[0] - top[1]))
    return {"images": [int(i) for i in diff], "pytorch_int8_top2_margin": margins}


def import_record(args, train, imp_cmd, import_seconds):
    labels = load_split("t10k")[1].astype(np.int64)
    float_pred = read_predictions(os.path.join(args.out, "pytorch_float_predictions.txt"))
    int8_pred = read_predictions(os.path.join(args.out, "pytorch_int8_predictions.txt"))
    return {
        "float_accuracy": round(float((float_pred == labels).mean()), 4),
        "pytorch_int8_accuracy": round(float((int8_pred == labels).mean()), 4),
        "golden_int8_accuracy": None,
        "agreement": None,
        "float_int8_prediction_agreement": round(float((float_pred == int8_pred).mean()), 4),
        "test_images": TEST_IMAGES,
        "float_accuracy_at_training": train["float_accuracy"],
        "network": train["network"],
        "input": train["input"],
        "epochs": train["epochs"],
        "batch_size": train["batch_size"],
        "lr_peak": train["lr_peak"],
        "weight_decay": train["weight_decay"],
        "optimizer": train["optimizer"],
        "augmentation": train["augmentation"],
        "seed": train["seed"],
        "train_images": train["train_images"],
        "threads": train["threads"],
        "train_wall_seconds": train["train_wall_seconds"],
        "epoch_seconds": [h["epoch_seconds"] for h in train["history"]],
        "test_accuracy_per_epoch": [h["test_acc"] for h in train["history"]],
        "torch_version": train["torch_version"],
        "torchvision_version": train["torchvision_version"],
        "train_command": train["train_command"],
        "calibration_images": args.calib_count,
        "import_command": " ".join(["scripts/npu-import"] + [rel(a) for a in imp_cmd[1:]]),
        "import_wall_seconds": round(import_seconds, 1),
    }


def golden_record(args, record, scratch):
    report_path = os.path.join(scratch, "golden_report.json")
    gold_cmd = golden_command(args, report_path)
    golden_pred_path = os.path.join(scratch, "golden_predictions.txt")
    _, golden_seconds = run(gold_cmd + ["--predictions-out", golden_pred_path])
    with open(report_path) as f:
        report = json.load(f)
    if report["images"] != TEST_IMAGES:
        raise SystemExit(f"npu-run ran {report['images']} images, expected {TEST_IMAGES}")
    golden_pred = read_predictions(golden_pred_path)
    int8_pred = read_predictions(os.path.join(args.out, "pytorch_int8_predictions.txt"))
    record["golden_int8_accuracy"] = round(report["correct"] / TEST_IMAGES, 4)
    record["agreement"] = round(report["comparison"]["agreeing"] / TEST_IMAGES, 4)
    record["golden_measured_with"] = " ".join(rel(a) for a in gold_cmd)
    record["golden_wall_seconds"] = round(golden_seconds, 1)
    record["golden_differing_images"] = disagreement_margins(golden_pred, int8_pred, scratch)


def rel(path):
    """Paths inside the repository relative to its root, as the commands are typed there."""
    inside = os.path.isabs(path) and os.path.commonpath([path, REPO]) == REPO
    return os.path.relpath(path, REPO) if inside else path


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", default="/work/ckpt/resnet18_fmnist.pth")
    ap.add_argument("--train-record", help="training JSON (default: the .pth's name, .json)")
    ap.add_argument("--out", default=os.path.join(REPO, "models", "resnet18_fmnist"))
    ap.add_argument("--npu-run", default=DEFAULT_NPU_RUN)
    ap.add_argument("--calib-count", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--golden-only", action="store_true",
                    help="keep the import and its figures in --out; re-measure the golden ones")
    ap.add_argument("--scratch", help="folder for the logits and npu-run's report "
                                      "(default: a new temporary folder)")
    args = ap.parse_args()
    scratch = args.scratch or tempfile.mkdtemp(prefix="resnet18_fmnist_")
    os.makedirs(scratch, exist_ok=True)
    record_path = os.path.join(args.out, "record.json")

    if args.golden_only:
        with open(record_path) as f:
            record = json.load(f)
    else:
        train_json = args.train_record or os.path.splitext(args.weights)[0] + ".json"
        with open(train_json) as f:
            train = json.load(f)
        os.makedirs(args.out, exist_ok=True)
        imp_cmd = import_command(args)
        _, import_seconds = run(imp_cmd, os.path.join(args.out, "import.log"))
        # The logits (400 KB each) are not needed in the repository: keep them in scratch.
        for name in ("pytorch_float_logits.npy", "pytorch_int8_logits.npy"):
            src = os.path.join(args.out, name)
            if os.path.exists(src):
                shutil.move(src, os.path.join(scratch, name))
        record = import_record(args, train, imp_cmd, import_seconds)
        with open(record_path, "w") as f:
            json.dump(record, f, indent=2)
            f.write("\n")
        log(f"float {record['float_accuracy']}, PyTorch int8 {record['pytorch_int8_accuracy']}; "
            f"wrote {record_path} (golden figures pending)")

    golden_record(args, record, scratch)
    record["command"] = "/usr/bin/python3 " + " ".join(rel(a) for a in sys.argv)
    with open(record_path, "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    log(f"float {record['float_accuracy']}, PyTorch int8 {record['pytorch_int8_accuracy']}, "
        f"golden {record['golden_int8_accuracy']}, agreement {record['agreement']}; "
        f"wrote {record_path} (scratch files in {scratch})")


if __name__ == "__main__":
    main()
