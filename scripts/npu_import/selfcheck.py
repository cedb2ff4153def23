"""Self-check: the exported model on the C++ golden model (npu-run --backend reference, the
golden operators layer by layer) against PyTorch float and PyTorch int8, on the first
calibration images.

The int8 inputs are quantized here exactly as PyTorch's int8 model quantizes them
(torch.quantize_per_tensor) and handed to npu-run raw (--tensors), so the comparison is of
the network alone, not of two image decoders. npu-run --dump-layers gives every layer's
output; each is dequantized and compared with the float value of the same tensor in the
BN-folded float model (SQNR = 10 log10(sum ref^2 / sum (ref - ours)^2)).
"""

import json
import math
import os
import subprocess
import tempfile

import numpy as np
import torch
import torch.fx

from .errors import ImportFailure

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
DEFAULT_NPU_RUN = os.path.join(REPO, "build", "sw", "cli", "npu-run")


def quantize_input(x, scale, zp_int8):
    """NCHW float -> NHWC int8, as torch.quantize_per_tensor (quint8, zp + 128) does."""
    q = torch.quantize_per_tensor(x, scale, zp_int8 + 128, torch.quint8)
    u8 = q.int_repr().permute(0, 2, 3, 1).contiguous().numpy()
    return (u8.astype(np.int16) - 128).astype(np.int8)


def run_golden(npu_run, model_yaml, inputs_i8, workdir):
    tensors = os.path.join(workdir, "inputs.bin")
    inputs_i8.tofile(tensors)
    dump = os.path.join(workdir, "layers")
    res = _npu_run(npu_run, model_yaml, tensors, dump)
    if res.returncode != 0:
        raise ImportFailure(f"self-check: {' '.join(res.args)} failed (exit "
                            f"{res.returncode}):\n{res.stderr.strip()}")
    return read_dump(dump, inputs_i8.shape[0])


def _npu_run(npu_run, model_yaml, tensors, dump):
    cmd = [npu_run, "--model", model_yaml, "--tensors", tensors, "--backend", "reference",
           "--dump-layers", dump, "--quiet", "--threads", "2"]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def read_dump(dump, n):
    """{layer: (dequantized float NHWC array)} in execution order."""
    layers = {}
    with open(os.path.join(dump, "layers.txt")) as f:
        for line in f:
            name, h, w, c, scale, zp = line.split()
            q = np.fromfile(os.path.join(dump, name + ".bin"), dtype=np.int8)
            q = q.reshape(n, int(h), int(w), int(c)).astype(np.float64)
            layers[name] = (q - int(zp)) * float(scale)
    return layers


class _Recorder(torch.fx.Interpreter):
    def __init__(self, gm, wanted):
        super().__init__(gm)
        self.wanted, self.seen = wanted, {}

    def run_node(self, n):
        out = super().run_node(n)
        if n.name in self.wanted:
            self.seen[n.name] = out.detach()
        return out


@torch.no_grad()
def float_activations(prepared, reference, x):
    rec = _Recorder(prepared, set(reference.values()))
    rec.run(x)
    out = {}
    for tensor, node in reference.items():
        t = rec.seen[node]
        out[tensor] = (t.permute(0, 2, 3, 1) if t.dim() == 4 else t.reshape(t.shape[0], 1, 1, -1))
    return out


def sqnr_db(ref, ours):
    ref = np.asarray(ref, dtype=np.float64)
    noise = float(((ref - ours) ** 2).sum())
    signal = float((ref ** 2).sum())
    return math.inf if noise == 0 else 10.0 * math.log10(max(signal, 1e-30) / noise)


def _pct(a, b):
    agree = int((a == b).sum())
    return agree, f"{100.0 * agree / len(a):.2f} % ({agree}/{len(a)})"


def run(args, float_model, prepared, converted, low, x, labels, log):
    npu_run = args.npu_run or DEFAULT_NPU_RUN
    if not os.access(npu_run, os.X_OK):
        log(f"check: SKIPPED, no npu-run at {npu_run} (build it: cmake --build build --target "
            "npu-run, or pass --npu-run)")
        return None
    scale, zp = low.writer.quant("input")
    with tempfile.TemporaryDirectory(prefix="npu_import_") as tmp:
        golden = run_golden(npu_run, os.path.join(args.out, "model.yaml"),
                            quantize_input(x, scale, zp), tmp)
    with torch.no_grad():
        float_logits = float_model(x).numpy()
        int8_logits = converted(x).numpy()
    ref = float_activations(prepared, low.reference, x)
    ours_logits = golden[low.output].reshape(x.shape[0], -1)
    g, f, q = ours_logits.argmax(1), float_logits.argmax(1), int8_logits.argmax(1)
    result = {"images": int(x.shape[0]), "npu_run": npu_run}
    log(f"check: {x.shape[0]} calibration images through {npu_run} --backend reference")
    for key, (a, b, what) in {"golden_vs_float": (g, f, "golden vs PyTorch float"),
                              "golden_vs_pytorch_int8": (g, q, "golden vs PyTorch int8"),
                              "pytorch_int8_vs_float": (q, f, "PyTorch int8 vs float")}.items():
        result[key + "_top1"], text = _pct(a, b)
        log(f"check: top-1 agreement {what}: {text}")
    out_scale = low.writer.quant(low.output)[0]
    same = np.abs(ours_logits - int8_logits) < out_scale / 2
    result["output_values_equal_to_pytorch_int8"] = round(float(same.mean()), 4)
    log(f"check: output int8 values equal to PyTorch int8's: {100.0 * same.mean():.2f} %")
    if labels is not None:
        labels = np.asarray(labels)
        for tag, p in (("float", f), ("pytorch_int8", q), ("golden", g)):
            result[tag + "_correct"], text = _pct(p, labels)
            log(f"check: accuracy {tag}: {text}")
    result["sqnr_db"] = {}
    log("check: per-layer SQNR of the golden int8 output vs PyTorch float (dB):")
    for name, ours in golden.items():
        db = sqnr_db(ref[name].numpy(), ours)
        result["sqnr_db"][name] = round(db, 2) if math.isfinite(db) else "inf"
        log(f"check:   {name:32s} {db:7.2f}")
    with open(os.path.join(args.out, "import_check.json"), "w") as fjson:
        json.dump(result, fjson, indent=2)
        fjson.write("\n")
    return result


def run_golden_only(args, writer, output, x, log):
    """QDQ models have no PyTorch twin here: run them on the golden model and report the
    predictions, so that a model that does not load or run fails now."""
    npu_run = args.npu_run or DEFAULT_NPU_RUN
    if not os.access(npu_run, os.X_OK):
        log(f"check: SKIPPED, no npu-run at {npu_run}")
        return None
    scale, zp = writer.quant("input")
    with tempfile.TemporaryDirectory(prefix="npu_import_") as tmp:
        golden = run_golden(npu_run, os.path.join(args.out, "model.yaml"),
                            quantize_input(x, scale, zp), tmp)
    preds = golden[output].reshape(x.shape[0], -1).argmax(1)
    log(f"check: {x.shape[0]} images ran on {npu_run} --backend reference; predicted classes "
        f"{np.bincount(preds).tolist()} (count per class)")
    return preds
