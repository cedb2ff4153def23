#!/usr/bin/python3
"""The workload's deployment step on the RTL: a PNG resized to 224, the 224x224 instance of the
trained ResNet-18, top-5 with class names, every layer bit-exact with the golden model.

    check_resnet18_deploy.py <npu-run> <model dir> <image> <work dir>

The 224x224 instance is made by npu-import (Resize(224), CenterCrop(224), Normalize 0.5/0.5,
calibration on training images) from a float state_dict:
- the trained checkpoint if NPU_RESNET18_PTH names one (it is 45 MB and not committed);
- otherwise the state_dict rebuilt from the committed int8 model (<model dir>/model.yaml) by
  scripts/npu_model_to_state_dict.py: the same int8 weights, re-calibrated at 224x224.
Exit status 0 only if every step succeeds and npu-run printed five classes with names.
"""

import os
import re
import subprocess
import sys
import time

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, SCRIPTS)

CALIB_COUNT = 64
CHECK_COUNT = 4


def run(cmd):
    print("$ " + " ".join(cmd), flush=True)
    t0 = time.time()
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.time() - t0
    sys.stdout.write(res.stdout)
    sys.stdout.write(res.stderr)
    print(f"({seconds:.1f} s wall)", flush=True)
    if res.returncode != 0:
        raise SystemExit(f"{os.path.basename(cmd[0])} failed with exit status {res.returncode}")
    return res.stdout, seconds


def state_dict_source(model_dir, work):
    given = os.environ.get("NPU_RESNET18_PTH")
    if given:
        if not os.path.isfile(given):
            raise SystemExit(f"NPU_RESNET18_PTH={given}: no such file")
        print(f"state_dict: the trained checkpoint {given} (NPU_RESNET18_PTH)")
        return given
    import torch
    import npu_model_to_state_dict
    path = os.path.join(work, "resnet18_fmnist_from_int8.pth")
    model, _ = npu_model_to_state_dict.rebuild(os.path.join(model_dir, "model.yaml"),
                                               "resnet18")
    torch.save(model.state_dict(), path)
    print(f"state_dict: rebuilt from the committed int8 model {model_dir}/model.yaml "
          f"(NPU_RESNET18_PTH not set) -> {path}")
    return path


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    npu_run, model_dir, image, work = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    t_start = time.time()
    weights = state_dict_source(model_dir, work)
    out = os.path.join(work, "resnet18_fmnist_224")
    _, import_s = run([os.path.join(SCRIPTS, "npu-import"), "--arch", "resnet18",
                       "--weights", weights, "--out", out, "--name", "resnet18-fashion-mnist-224",
                       "--classes", "fashion-mnist", "--calib-dataset", "fashion-mnist-train",
                       "--calib-count", str(CALIB_COUNT), "--resize", "224",
                       "--center-crop", "224", "--mean", "0.5,0.5,0.5", "--std", "0.5,0.5,0.5",
                       "--check-count", str(CHECK_COUNT), "--npu-run", npu_run])
    stdout, rtl_s = run([npu_run, "--model", os.path.join(out, "model.yaml"), "--image", image,
                         "--backend", "rtl", "--check", "--threads", "1"])
    top5 = re.findall(r"^\s+[1-5]\.\s+\d+\s+(\S.*?)\s+-?[0-9.]+\s+\(q", stdout, re.M)
    if len(top5) != 5:
        raise SystemExit(f"expected five top classes with names in npu-run's output, found "
                         f"{len(top5)}")
    if "bit-exact with the golden model" not in stdout:
        raise SystemExit("npu-run did not report the per-layer check")
    print(f"top-5 of {image}: {', '.join(top5)}")
    print(f"wall time: import {import_s:.0f} s, RTL run with check {rtl_s:.0f} s, "
          f"total {time.time() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
