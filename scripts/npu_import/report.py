"""PyTorch float and int8 predictions on an evaluation dataset, written next to the model
(one class index per line, as npu-run --compare-predictions reads them)."""

import os

import numpy as np
import torch

from . import data

BATCH = 100


@torch.no_grad()
def logits(module, source, indices, pre):
    out = []
    for i in range(0, len(indices), BATCH):
        out.append(module(data.tensors(source, indices[i:i + BATCH], pre)))
    return torch.cat(out).numpy()


def write_predictions(path, preds, comment):
    with open(path, "w") as f:
        f.write(f"# {comment}\n")
        f.write("".join(f"{int(p)}\n" for p in preds))


def accuracy_text(preds, labels):
    if labels is None:
        return ""
    correct = int((preds == labels).sum())
    return f", accuracy {100.0 * correct / len(preds):.2f} % ({correct}/{len(preds)})"


def evaluate(float_model, int8_model, source, pre, count, out_dir, log):
    n = source.count if count is None else min(count, source.count)
    indices = list(range(n))
    labels = source.labels[:n] if source.labels is not None else None
    results = {}
    for tag, module in (("float", float_model), ("int8", int8_model)):
        z = logits(module, source, indices, pre)
        preds = z.argmax(1)
        results[tag] = preds
        base = os.path.join(out_dir, f"pytorch_{tag}")
        write_predictions(base + "_predictions.txt", preds,
                          f"PyTorch {tag} top-1 on {source.name} images 0..{n - 1}")
        np.save(base + "_logits.npy", z.astype(np.float32))
        log(f"eval: PyTorch {tag} on {n} images of {source.name}"
            f"{accuracy_text(preds, labels)}; wrote {base}_predictions.txt, _logits.npy")
    agree = int((results["float"] == results["int8"]).sum())
    log(f"eval: PyTorch float/int8 top-1 agreement {100.0 * agree / n:.2f} % ({agree}/{n})")
    return results
