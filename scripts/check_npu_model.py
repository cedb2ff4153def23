#!/usr/bin/python3
"""Independent check of a model.yaml + model.bin pair against docs/model-format.md.

Re-reads the files written by npu_export.py (it shares no code with it) and applies the
rules of the format: known fields only, shapes as the loader computes them, quantization
ranges, weight values in [-127, 127], scales finite and > 0, exact weight-file size, graph
references. Exit status 1 and a message naming the layer and field on the first problem.

    /usr/bin/python3 scripts/check_npu_model.py models/resnet20_fmnist/model.yaml
"""

import math
import os
import sys

import numpy as np
import yaml

TOP_FIELDS = {"format", "name", "weights", "classes", "input", "output", "layers", "preprocess"}
FORMATS = ("npu-model-1", "npu-model-2")   # 2 adds the optional preprocess list
PREPROCESS_STEPS = {"pad", "resize", "center_crop", "normalize"}
COMMON = {"name", "op", "output"}
OP_FIELDS = {
    "conv2d": {"input", "out_channels", "kernel", "stride", "padding", "relu"},
    "fully_connected": {"input", "out_features", "relu"},
    "max_pool": {"input", "kernel", "stride", "padding"},
    "avg_pool": {"input", "kernel", "stride", "padding"},
    "global_avg_pool": {"input"},
    "add": {"inputs", "relu"},
}


class Bad(Exception):
    pass


def pair(v, what):
    if isinstance(v, int):
        return v, v
    if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v):
        return v[0], v[1]
    raise Bad(f"{what}: expected an integer or [a, b], got {v!r}")


def pads(v, what):
    if isinstance(v, list) and len(v) == 4:
        return tuple(v)
    ph, pw = pair(v, what)
    return ph, pw, ph, pw


def quant(q, what):
    for key in ("scale", "zero_point"):
        if key not in q:
            raise Bad(f"{what}: missing {key}")
    s, zp = q["scale"], q["zero_point"]
    if not isinstance(s, (int, float)) or not math.isfinite(s) or s <= 0:
        raise Bad(f"{what}.scale: {s!r} is not finite and > 0")
    if not isinstance(zp, int) or not -128 <= zp <= 127:
        raise Bad(f"{what}.zero_point: {zp!r} is not an integer in [-128, 127]")
    return float(s), zp


def check_preprocess(doc):
    if doc["format"] != "npu-model-2":
        raise Bad("preprocess: needs format npu-model-2")
    steps = doc["preprocess"]
    if not isinstance(steps, list):
        raise Bad("preprocess: expected a list")
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or len(step) != 1 or set(step) - PREPROCESS_STEPS:
            raise Bad(f"preprocess[{i}]: expected one of {sorted(PREPROCESS_STEPS)}, got {step!r}")
        (key, val), = step.items()
        if key == "normalize":
            channels = doc["input"]["shape"][2]
            for part in ("mean", "std"):
                if len(val.get(part, [])) != channels:
                    raise Bad(f"preprocess[{i}].normalize.{part}: expected {channels} values")
            if any(s <= 0 for s in val["std"]):
                raise Bad(f"preprocess[{i}].normalize.std: every value must be > 0")


def check(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    extra = set(doc) - TOP_FIELDS
    if extra:
        raise Bad(f"unknown top-level fields {sorted(extra)}")
    if doc.get("format") not in FORMATS:
        raise Bad(f"format: {doc.get('format')!r}")
    if "preprocess" in doc:
        check_preprocess(doc)
    inp = doc["input"]
    if set(inp) - {"shape", "scale", "zero_point"}:
        raise Bad(f"input: unknown fields {sorted(set(inp) - {'shape', 'scale', 'zero_point'})}")
    tensors = {"input": (tuple(inp["shape"]), quant(inp, "input"))}
    blob = open(os.path.join(os.path.dirname(path), doc["weights"]), "rb").read()
    pos = 0
    used = set()
    names = []
    macs = 0
    # The exporter writes layers in topological order; this check relies on that.
    for layer in doc["layers"]:
        name = layer.get("name")
        op = layer.get("op")
        if op not in OP_FIELDS:
            raise Bad(f"layer {name}: unknown op {op!r}")
        extra = set(layer) - COMMON - OP_FIELDS[op]
        if extra:
            raise Bad(f"layer {name}: unknown fields {sorted(extra)}")
        if name in tensors:
            raise Bad(f"layer {name}: duplicate name")
        srcs = layer["inputs"] if op == "add" else [layer["input"]]
        for s in srcs:
            if s not in tensors:
                raise Bad(f"layer {name}: input {s!r} is not an earlier tensor")
            used.add(s)
        (h, w, c), in_q = tensors[srcs[0]]
        out = layer["output"]
        oq = quant(out, f"layer {name}: output")
        if op in ("conv2d", "max_pool", "avg_pool"):
            kh, kw = pair(layer["kernel"], f"layer {name}: kernel")
            sh, sw = pair(layer.get("stride", 1 if op == "conv2d" else [kh, kw]),
                          f"layer {name}: stride")
            pt, pl, pb, pr = pads(layer.get("padding", 0), f"layer {name}: padding")
            oh, ow = (h + pt + pb - kh) // sh + 1, (w + pl + pr - kw) // sw + 1
            oc = layer["out_channels"] if op == "conv2d" else c
            if op != "conv2d" and oq != in_q:
                raise Bad(f"layer {name}: output quantization must equal the input's")
        elif op == "fully_connected":
            kh = kw = 1
            oh, ow, oc = 1, 1, layer["out_features"]
        elif op == "global_avg_pool":
            oh, ow, oc = 1, 1, c
            if oq != in_q:
                raise Bad(f"layer {name}: output quantization must equal the input's")
        else:
            if len(srcs) != 2 or tensors[srcs[0]][0] != tensors[srcs[1]][0]:
                raise Bad(f"layer {name}: add needs two inputs of the same shape")
            oh, ow, oc = h, w, c
        if list(out["shape"]) != [oh, ow, oc]:
            raise Bad(f"layer {name}: output.shape {out['shape']} != computed {[oh, ow, oc]}")
        if op in ("conv2d", "fully_connected"):
            cin = c if op == "conv2d" else h * w * c
            n_w = oc * kh * kw * cin
            if op == "conv2d":
                macs += oh * ow * n_w
            else:
                macs += n_w
            need = n_w + (-n_w % 4) + 8 * oc
            if pos + need > len(blob):
                raise Bad(f"layer {name}: weight sections run past the end of the file")
            wts = np.frombuffer(blob, "<i1", n_w, pos)
            if wts.min() < -127:
                raise Bad(f"layer {name}: weight value {wts.min()} < -127")
            pos += n_w
            if any(blob[pos:pos + (-n_w % 4)]):
                raise Bad(f"layer {name}: non-zero padding bytes")
            pos += -n_w % 4
            pos += 4 * oc  # int32 bias: any value is valid
            sc = np.frombuffer(blob, "<f4", oc, pos)
            if not (np.all(np.isfinite(sc)) and np.all(sc > 0)):
                raise Bad(f"layer {name}: weight scale not finite and > 0")
            pos += 4 * oc
        tensors[name] = ((oh, ow, oc), oq)
        names.append(name)
    if pos != len(blob):
        raise Bad(f"{len(blob) - pos} bytes left over in the weight file")
    result = doc.get("output", names[-1])
    dangling = [n for n in names if n not in used and n != result]
    if dangling:
        raise Bad(f"layers whose output nothing uses: {dangling}")
    return len(names), len(blob), macs


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "models/resnet20_fmnist/model.yaml"
    try:
        n, size, macs = check(path)
    except (Bad, KeyError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"{path}: OK, {n} layers, {size} weight bytes, {macs} MACs")


if __name__ == "__main__":
    main()
