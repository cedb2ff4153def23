#!/usr/bin/python3
"""Train ResNet-20 on Fashion-MNIST, quantize it to int8 and export it to the npu model format.

Usage (Debian's python3-torch; the pyenv python3 on PATH has no torch):

    /usr/bin/python3 scripts/train_resnet20.py --epochs 8 --out models/resnet20_fmnist
    /usr/bin/python3 scripts/train_resnet20.py --export-only \
        --checkpoint /work/ckpt/resnet20_fmnist_float.pt --out models/resnet20_fmnist

The float checkpoint is kept outside the repository (default /work/ckpt/); only the int8
export (model.yaml + model.bin, ~270 KB) and the check data are meant to be committed.
"""

import argparse
import gzip
import json
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.ao.quantization as tq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import npu_export  # noqa: E402

DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
DEFAULT_CKPT = "/work/ckpt/resnet20_fmnist_float.pt"


def log(msg):
    print(time.strftime("[%H:%M:%S] ") + msg, flush=True)


# ----------------------------------------------------------------------------- data

def read_idx(path):
    """IDX files are big-endian: magic (0, 0, dtype, ndim), ndim uint32 sizes, then data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: expected {dims} bytes of data, found {data.size}")
    return data.reshape(dims)


def load_split(split):
    images = read_idx(os.path.join(DATA_DIR, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, f"{split}-labels-idx1-ubyte.gz"))
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{split}: {images.shape[0]} images but {labels.shape[0]} labels")
    return images, labels


def to_input(images_u8):
    """Real input is pixel/255 with no mean/std normalisation: the int8 input is then exactly
    pixel - 128 with scale 1/255 (BN in the stem absorbs any normalisation)."""
    return torch.from_numpy(images_u8.astype(np.float32) / 255.0).unsqueeze(1)


def augment(x, gen):
    """Random crop with zero padding 2 (background is 0) and random horizontal flip."""
    n = x.shape[0]
    padded = F.pad(x, (2, 2, 2, 2))
    offs = torch.randint(0, 5, (n, 2), generator=gen)
    flips = torch.rand(n, generator=gen) < 0.5
    out = torch.empty_like(x)
    for i in range(n):
        dy, dx = int(offs[i, 0]), int(offs[i, 1])
        crop = padded[i, :, dy:dy + 28, dx:dx + 28]
        out[i] = crop.flip(-1) if flips[i] else crop
    return out


# ----------------------------------------------------------------------------- model

class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        # Option B shortcut: 1x1/s2 projection where the shape changes.
        self.has_down = stride != 1 or cin != cout
        if self.has_down:
            self.down_conv = nn.Conv2d(cin, cout, 1, stride, 0, bias=False)
            self.down_bn = nn.BatchNorm2d(cout)
        # FloatFunctional so that eager-mode quantization gives the add its own observer.
        self.add = nn.quantized.FloatFunctional()

    def forward(self, x):
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        sc = self.down_bn(self.down_conv(x)) if self.has_down else x
        return self.add.add_relu(out, sc)


class ResNet20(nn.Module):
    STAGES = [(16, 1), (32, 2), (64, 2)]
    BLOCKS = 3

    def __init__(self, num_classes=10):
        super().__init__()
        self.quant = tq.QuantStub()
        self.stem = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.stem_bn = nn.BatchNorm2d(16)
        self.stem_relu = nn.ReLU()
        self.block_names = []
        cin = 16
        for s, (cout, stride) in enumerate(self.STAGES, start=1):
            for b in range(1, self.BLOCKS + 1):
                name = f"s{s}b{b}"
                setattr(self, name, BasicBlock(cin, cout, stride if b == 1 else 1))
                self.block_names.append(name)
                cin = cout
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)
        self.dequant = tq.DeQuantStub()
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        # Zero-init the last BN of each residual branch: each block starts as identity.
        for name in self.block_names:
            nn.init.zeros_(getattr(self, name).bn2.weight)

    def forward(self, x):
        x = self.quant(x)
        x = self.stem_relu(self.stem_bn(self.stem(x)))
        for name in self.block_names:
            x = getattr(self, name)(x)
        x = self.gap(x)
        x = torch.flatten(x, 1)
        x = self.fc(x)
        return self.dequant(x)

    def fusion_groups(self):
        groups = [["stem", "stem_bn", "stem_relu"]]
        for name in self.block_names:
            groups.append([f"{name}.conv1", f"{name}.bn1", f"{name}.relu1"])
            groups.append([f"{name}.conv2", f"{name}.bn2"])
            if getattr(self, name).has_down:
                groups.append([f"{name}.down_conv", f"{name}.down_bn"])
        return groups


def count_macs(model):
    """Multiply-accumulates of one 28x28x1 inference (convs + fc)."""
    macs = []

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            kh, kw = m.kernel_size
            macs.append(out.numel() * kh * kw * m.in_channels // m.groups)
        elif isinstance(m, nn.Linear):
            macs.append(out.numel() * m.in_features)

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model.eval()(torch.zeros(1, 1, 28, 28))
    for h in handles:
        h.remove()
    return int(sum(macs))


# ----------------------------------------------------------------------------- training

def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@torch.no_grad()
def predict(model, x, batch=500):
    model.eval()
    preds = []
    for i in range(0, x.shape[0], batch):
        preds.append(model(x[i:i + batch]).argmax(1))
    return torch.cat(preds)


def train(args, train_x, train_y, test_x, test_y):
    seed_everything(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    model = ResNet20()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True,
                          weight_decay=args.weight_decay)
    n = train_x.shape[0]
    steps_per_epoch = (n + args.batch_size - 1) // args.batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps_per_epoch,
        pct_start=0.15, anneal_strategy="cos", div_factor=10.0, final_div_factor=100.0)
    history = []
    t_start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.time()
        perm = torch.randperm(n, generator=gen)
        loss_sum, correct = 0.0, 0
        for step in range(steps_per_epoch):
            idx = perm[step * args.batch_size:(step + 1) * args.batch_size]
            xb = augment(train_x[idx], gen)
            yb = train_y[idx]
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * idx.numel()
            correct += int((out.argmax(1) == yb).sum())
            if (step + 1) % 50 == 0 or step + 1 == steps_per_epoch:
                done = step + 1
                el = time.time() - t0
                log(f"epoch {epoch}/{args.epochs} step {done}/{steps_per_epoch} "
                    f"loss {loss_sum / min(done * args.batch_size, n):.4f} "
                    f"lr {sched.get_last_lr()[0]:.4f} "
                    f"{el:.0f}s elapsed, epoch eta {el / done * (steps_per_epoch - done):.0f}s")
        train_time = time.time() - t0
        test_acc = float((predict(model, test_x) == test_y).float().mean())
        history.append({"epoch": epoch, "train_loss": loss_sum / n, "train_acc": correct / n,
                        "test_acc": test_acc, "epoch_seconds": round(train_time, 1)})
        log(f"epoch {epoch} done in {train_time:.0f}s: train loss {loss_sum / n:.4f} "
            f"train acc {correct / n:.4f} test acc {test_acc:.4f}")
    wall = time.time() - t_start
    return model, history, wall


# ----------------------------------------------------------------------------- quantization

def qconfig_for_qnnpack():
    act = tq.HistogramObserver.with_args(dtype=torch.quint8, qscheme=torch.per_tensor_affine,
                                         reduce_range=False)
    # Symmetric per-channel int8 restricted to [-127, 127], as the model format requires.
    weight = tq.PerChannelMinMaxObserver.with_args(
        dtype=torch.qint8, qscheme=torch.per_channel_symmetric, quant_min=-127, quant_max=127)
    return tq.QConfig(activation=act, weight=weight)


def input_qconfig():
    # The input is pixel/255: scale 1/255, zero point 0 in quint8 (= -128 in our int8).
    act = tq.FixedQParamsObserver.with_args(scale=1.0 / 255.0, zero_point=0,
                                            dtype=torch.quint8, quant_min=0, quant_max=255)
    return tq.QConfig(activation=act, weight=qconfig_for_qnnpack().weight)


def quantize(float_model, calib_x):
    torch.backends.quantized.engine = "qnnpack"
    model = ResNet20()
    model.load_state_dict(float_model.state_dict())
    model.eval()
    # Folds each BN into the preceding conv's weight and bias (eval-mode fusion).
    tq.fuse_modules(model, model.fusion_groups(), inplace=True)
    model.qconfig = qconfig_for_qnnpack()
    model.quant.qconfig = input_qconfig()
    tq.prepare(model, inplace=True)
    log(f"calibrating on {calib_x.shape[0]} training images")
    with torch.no_grad():
        for i in range(0, calib_x.shape[0], 250):
            model(calib_x[i:i + 250])
    tq.convert(model, inplace=True)
    return model


def check_gap_keeps_quant(qmodel):
    """The format requires global_avg_pool output quant == input quant; verify PyTorch agrees."""
    seen = {}

    def hook(m, inp, out):
        seen["in"] = (inp[0].q_scale(), inp[0].q_zero_point())
        seen["out"] = (out.q_scale(), out.q_zero_point())

    h = qmodel.gap.register_forward_hook(hook)
    with torch.no_grad():
        qmodel(torch.rand(1, 1, 28, 28))
    h.remove()
    return seen["in"] == seen["out"], seen


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--out", default="models/resnet20_fmnist")
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1, help="peak lr of the one-cycle schedule")
    ap.add_argument("--weight-decay", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--train-limit", type=int, default=0,
                    help="train on the first N training images only (0 = all; for dry runs)")
    ap.add_argument("--calib", type=int, default=2000, help="calibration images")
    ap.add_argument("--checkpoint", default=DEFAULT_CKPT,
                    help="float checkpoint: written after training, read with --export-only")
    ap.add_argument("--export-only", action="store_true",
                    help="skip training; quantize and export --checkpoint")
    ap.add_argument("--threads", type=int, default=2,
                    help="torch threads; use 1 on a loaded machine: with 2 threads on 2 busy "
                         "cores the OpenMP barriers stall (training ran ~20x slower)")
    args = ap.parse_args()

    # Cheap insurance against denormal slow paths in the CPU kernels. Set before any parallel
    # region so that OpenMP worker threads inherit the FTZ/DAZ floating-point environment.
    torch.set_flush_denormal(True)
    torch.set_num_threads(args.threads)
    command = "/usr/bin/python3 " + " ".join(sys.argv)
    log(f"torch {torch.__version__}, {torch.get_num_threads()} threads; command: {command}")

    train_u8, train_lbl = load_split("train")
    test_u8, test_lbl = load_split("t10k")
    train_x, train_y = to_input(train_u8), torch.from_numpy(train_lbl.astype(np.int64))
    test_x, test_y = to_input(test_u8), torch.from_numpy(test_lbl.astype(np.int64))
    log(f"data: train {tuple(train_x.shape)}, test {tuple(test_x.shape)}")

    if args.export_only:
        ckpt = torch.load(args.checkpoint)
        model = ResNet20()
        model.load_state_dict(ckpt["state_dict"])
        meta = ckpt["meta"]
        log(f"loaded {args.checkpoint} (trained {meta['epochs']} epochs)")
    else:
        tx, ty = train_x, train_y
        if args.train_limit:
            tx, ty = train_x[:args.train_limit], train_y[:args.train_limit]
        log(f"training {args.epochs} epochs on {tx.shape[0]} images, batch {args.batch_size}, "
            f"peak lr {args.lr}, seed {args.seed}")
        model, history, wall = train(args, tx, ty, test_x, test_y)
        meta = {"epochs": args.epochs, "batch_size": args.batch_size, "lr_peak": args.lr,
                "weight_decay": args.weight_decay, "seed": args.seed,
                "train_images": int(tx.shape[0]),
                "optimizer": "SGD momentum 0.9 nesterov, OneCycleLR cosine "
                             "(pct_start 0.15, div 10, final div 100)",
                "augmentation": "random crop (zero pad 2), horizontal flip",
                "train_wall_seconds": round(wall, 1), "history": history,
                "train_command": command}
        os.makedirs(os.path.dirname(os.path.abspath(args.checkpoint)), exist_ok=True)
        torch.save({"state_dict": model.state_dict(), "meta": meta}, args.checkpoint)
        log(f"training wall time {wall:.0f}s; float checkpoint saved to {args.checkpoint}")

    macs = count_macs(model)
    float_pred = predict(model, test_x)
    float_acc = float((float_pred == test_y).float().mean())
    log(f"float test accuracy {float_acc:.4f}  ({macs} MACs per image)")

    # Calibration: a fixed, seeded subset of the (un-augmented) training images.
    calib_idx = torch.randperm(train_x.shape[0],
                               generator=torch.Generator().manual_seed(args.seed + 1))
    qmodel = quantize(model, train_x[calib_idx[:args.calib]])
    gap_ok, gap_q = check_gap_keeps_quant(qmodel)
    log(f"PyTorch global avg pool keeps quantization: {gap_ok} {gap_q}")
    t0 = time.time()
    int8_pred = predict(qmodel, test_x)
    int8_acc = float((int8_pred == test_y).float().mean())
    log(f"PyTorch int8 (qnnpack) test accuracy {int8_acc:.4f} "
        f"(float/int8 agreement {float((int8_pred == float_pred).float().mean()):.4f}, "
        f"eval {time.time() - t0:.0f}s)")

    os.makedirs(args.out, exist_ok=True)
    summary = npu_export.export(qmodel, args.out, name="resnet20-fashion-mnist",
                                classes=CLASSES)
    log(f"exported {summary['layers']} layers, {summary['bin_bytes']} bytes of weights to "
        f"{args.out}/model.yaml + model.bin")

    with open(os.path.join(args.out, "pytorch_int8_predictions.txt"), "w") as f:
        f.write("".join(f"{int(p)}\n" for p in int8_pred))
    record = {
        "float_accuracy": round(float_acc, 4),
        "pytorch_int8_accuracy": round(int8_acc, 4),
        "golden_int8_accuracy": None,
        "agreement": None,
        "float_int8_prediction_agreement": round(
            float((int8_pred == float_pred).float().mean()), 4),
        "test_images": int(test_y.shape[0]),
        "epochs": meta["epochs"],
        "batch_size": meta["batch_size"],
        "lr_peak": meta["lr_peak"],
        "weight_decay": meta["weight_decay"],
        "optimizer": meta["optimizer"],
        "augmentation": meta["augmentation"],
        "seed": meta["seed"],
        "train_images": meta["train_images"],
        "train_wall_seconds": meta["train_wall_seconds"],
        "epoch_seconds": [h["epoch_seconds"] for h in meta["history"]],
        "test_accuracy_per_epoch": [round(h["test_acc"], 4) for h in meta["history"]],
        "calibration_images": args.calib,
        "quantization": "eager-mode PTQ, qnnpack, BN folded; weights qint8 per-channel "
                        "symmetric [-127,127] (PerChannelMinMaxObserver); activations quint8 "
                        "affine HistogramObserver reduce_range=False; input fixed 1/255, zp 0",
        "macs_per_image": macs,
        "torch_version": torch.__version__,
        "train_command": meta["train_command"],
        "command": command,
    }
    with open(os.path.join(args.out, "record.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    log(f"wrote record.json and pytorch_int8_predictions.txt to {args.out}")


if __name__ == "__main__":
    main()
