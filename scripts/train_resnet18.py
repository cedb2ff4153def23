#!/usr/bin/python3
"""Train torchvision's ResNet-18 (10-class fc) on Fashion-MNIST mapped to 3x32x32 like CIFAR-10.

This is exactly the workload's network and input convention:

    model = torchvision.models.resnet18()            # ImageNet-style stem, untouched
    model.fc = nn.Linear(512, 10)
    transform = Compose([Pad(2), Grayscale(3), ToTensor(), Normalize((0.5,)*3, (0.5,)*3)])
    ...
    torch.save(model.state_dict(), 'resnet18_fmnist.pth')

Usage (Debian's python3-torch; the pyenv python3 on PATH has no torch):

    /usr/bin/python3 scripts/train_resnet18.py --measure            # time a few batches only
    /usr/bin/python3 scripts/train_resnet18.py --epochs 3 --out /work/ckpt/resnet18_fmnist.pth

The state_dict is written with torch.save(model.state_dict(), path), as the workload does; a
JSON file next to it (same name, .json) records the recipe, per-epoch figures and wall time.
The .pth (45 MB) is kept outside the repository; npu-import turns it into models/resnet18_fmnist/.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_resnet20 import CLASSES, load_split  # noqa: E402  (IDX reader, one copy)

MEAN = STD = 0.5  # Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
PAD = 2           # Pad(2): 28x28 -> 32x32, fill 0 (black)


def log(msg):
    print(time.strftime("[%H:%M:%S] ") + msg, flush=True)


# ----------------------------------------------------------------------------- data

def to_input(images_u8):
    """N x 28 x 28 uint8 -> N x 3 x 32 x 32 float, the same arithmetic as the PIL pipeline:
    Pad(2) with 0, gray -> RGB (3 equal channels), ToTensor (uint8 -> float32 / 255),
    Normalize ((x - 0.5) / 0.5 in float32)."""
    x = torch.from_numpy(np.array(images_u8))  # a writable copy
    x = F.pad(x, (PAD, PAD, PAD, PAD), value=0)  # padding happens on the uint8 image
    x = x.to(torch.float32).div(255).sub(MEAN).div(STD)
    return x.unsqueeze(1).expand(-1, 3, -1, -1).contiguous()


def pil_reference(image_u8):
    """The torchvision transform the workload uses, applied to one 28x28 uint8 image."""
    from PIL import Image
    from torchvision import transforms
    tf = transforms.Compose([transforms.Pad(PAD), transforms.Grayscale(3), transforms.ToTensor(),
                             transforms.Normalize((MEAN,) * 3, (STD,) * 3)])
    return tf(Image.fromarray(image_u8, mode="L"))


def check_against_pil(images_u8, count=16):
    fast = to_input(images_u8[:count])
    for i in range(count):
        ref = pil_reference(images_u8[i])
        if not torch.equal(fast[i], ref):
            raise RuntimeError(f"tensor preprocessing differs from the PIL pipeline on image {i}: "
                               f"max |diff| {float((fast[i] - ref).abs().max())}")
    log(f"tensor preprocessing equals the PIL pipeline bit for bit on {count} images")


def augment(x, gen):
    """Random horizontal flip (Fashion-MNIST classes are left/right symmetric)."""
    flips = torch.rand(x.shape[0], generator=gen) < 0.5
    out = x.clone()
    out[flips] = x[flips].flip(-1)
    return out


# ----------------------------------------------------------------------------- model

def make_model():
    model = torchvision.models.resnet18()
    model.fc = nn.Linear(512, len(CLASSES))
    return model


@torch.no_grad()
def predict(model, x, batch=500):
    model.eval()
    return torch.cat([model(x[i:i + batch]).argmax(1) for i in range(0, x.shape[0], batch)])


def make_optimizer(model, args, steps_per_epoch):
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True,
                          weight_decay=args.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps_per_epoch,
        pct_start=0.2, anneal_strategy="cos", div_factor=10.0, final_div_factor=100.0)
    return opt, sched


def train_step(model, opt, xb, yb):
    out = model(xb)
    loss = F.cross_entropy(out, yb)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return out, loss


def measure(args, train_x, train_y):
    """Seconds per training step at the chosen batch size and at the workload's batch 4."""
    results = {}
    for bs in (args.batch_size, 4):
        model = make_model().train()
        opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        times = []
        for i in range(args.measure_steps):
            t0 = time.time()
            train_step(model, opt, train_x[i * bs:(i + 1) * bs], train_y[i * bs:(i + 1) * bs])
            times.append(time.time() - t0)
        per_step = float(np.median(times[1:] if len(times) > 1 else times))
        results[bs] = per_step
        steps = (train_x.shape[0] + bs - 1) // bs
        log(f"batch {bs}: {per_step:.3f} s per step (median of {len(times)}; all "
            f"{[round(t, 3) for t in times]}), {steps} steps per epoch -> "
            f"{per_step * steps / 60:.1f} min per epoch")
    return results


def train(args, train_x, train_y, test_x, test_y):
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    model = make_model()
    n = train_x.shape[0]
    steps_per_epoch = (n + args.batch_size - 1) // args.batch_size
    opt, sched = make_optimizer(model, args, steps_per_epoch)
    history = []
    t_start = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.time()
        perm = torch.randperm(n, generator=gen)
        loss_sum, correct = 0.0, 0
        for step in range(steps_per_epoch):
            idx = perm[step * args.batch_size:(step + 1) * args.batch_size]
            xb, yb = augment(train_x[idx], gen), train_y[idx]
            out, loss = train_step(model, opt, xb, yb)
            sched.step()
            loss_sum += loss.item() * idx.numel()
            correct += int((out.argmax(1) == yb).sum())
            if (step + 1) % 50 == 0 or step + 1 == steps_per_epoch:
                done, el = step + 1, time.time() - t0
                log(f"epoch {epoch}/{args.epochs} step {done}/{steps_per_epoch} "
                    f"loss {loss_sum / min(done * args.batch_size, n):.4f} "
                    f"lr {sched.get_last_lr()[0]:.4f} {el:.0f}s elapsed, "
                    f"epoch eta {el / done * (steps_per_epoch - done):.0f}s")
        train_seconds = time.time() - t0
        t1 = time.time()
        test_acc = float((predict(model, test_x) == test_y).float().mean())
        history.append({"epoch": epoch, "train_loss": round(loss_sum / n, 4),
                        "train_acc": round(correct / n, 4), "test_acc": round(test_acc, 4),
                        "epoch_seconds": round(train_seconds, 1),
                        "eval_seconds": round(time.time() - t1, 1)})
        log(f"epoch {epoch} done in {train_seconds:.0f}s: train loss {loss_sum / n:.4f} "
            f"train acc {correct / n:.4f} test acc {test_acc:.4f} "
            f"(eval {time.time() - t1:.0f}s)")
    return model, history, time.time() - t_start


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--out", default="/work/ckpt/resnet18_fmnist.pth",
                    help="state_dict output (outside the repository: 45 MB)")
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1, help="peak lr of the one-cycle schedule")
    ap.add_argument("--weight-decay", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--train-limit", type=int, default=0,
                    help="train on the first N training images only (0 = all; for dry runs)")
    ap.add_argument("--measure", action="store_true",
                    help="only time a few training steps (batch --batch-size and batch 4)")
    ap.add_argument("--measure-steps", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads; 1 on a shared machine (see train_resnet20.py: with 2 "
                         "threads on 2 busy cores the OpenMP barriers stall)")
    args = ap.parse_args()

    torch.set_flush_denormal(True)
    torch.set_num_threads(args.threads)
    command = "/usr/bin/python3 " + " ".join(sys.argv)
    log(f"torch {torch.__version__}, torchvision {torchvision.__version__}, "
        f"{torch.get_num_threads()} threads; command: {command}")

    train_u8, train_lbl = load_split("train")
    test_u8, test_lbl = load_split("t10k")
    check_against_pil(train_u8)
    train_x, train_y = to_input(train_u8), torch.from_numpy(train_lbl.astype(np.int64))
    test_x, test_y = to_input(test_u8), torch.from_numpy(test_lbl.astype(np.int64))
    log(f"data: train {tuple(train_x.shape)}, test {tuple(test_x.shape)}")

    if args.measure:
        measure(args, train_x, train_y)
        return
    if args.train_limit:
        train_x, train_y = train_x[:args.train_limit], train_y[:args.train_limit]
    log(f"training {args.epochs} epochs on {train_x.shape[0]} images, batch {args.batch_size}, "
        f"peak lr {args.lr}, seed {args.seed}")
    model, history, wall = train(args, train_x, train_y, test_x, test_y)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.save(model.state_dict(), args.out)
    float_acc = float((predict(model, test_x) == test_y).float().mean())
    meta = {
        "network": "torchvision.models.resnet18() with fc = nn.Linear(512, 10)",
        "input": "Pad(2), gray replicated to RGB, ToTensor(), Normalize((0.5,)*3, (0.5,)*3)",
        "float_accuracy": round(float_acc, 4), "test_images": int(test_y.shape[0]),
        "epochs": args.epochs, "batch_size": args.batch_size, "lr_peak": args.lr,
        "weight_decay": args.weight_decay, "seed": args.seed,
        "train_images": int(train_x.shape[0]),
        "optimizer": "SGD momentum 0.9 nesterov, OneCycleLR cosine "
                     "(pct_start 0.2, div 10, final div 100)",
        "augmentation": "random horizontal flip",
        "threads": args.threads, "train_wall_seconds": round(wall, 1), "history": history,
        "torch_version": torch.__version__, "torchvision_version": torchvision.__version__,
        "train_command": command,
    }
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    log(f"training wall time {wall:.0f}s, float test accuracy {float_acc:.4f}; "
        f"state_dict saved to {args.out}")


if __name__ == "__main__":
    main()
