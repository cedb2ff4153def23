"""Export an eager-mode quantized (qnnpack) ResNet-20 to the npu model format.

The contract is docs/model-format.md. PyTorch activations are quint8 (scale, zp); ours are
int8 with the same scale and zp - 128, which represents the same real values. Weights are
qint8 per-channel symmetric with zero point 0, so they map unchanged (OIHW -> OHWI).
"""

import math
import os

import numpy as np
import torch


def _act_quant(scale, zero_point):
    scale = float(scale)
    zp = int(zero_point) - 128
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"activation scale {scale} is not finite and > 0")
    if not -128 <= zp <= 127:
        raise ValueError(f"activation zero point {zp} outside [-128, 127]")
    return scale, zp


def _weight_section(qweight, bias, input_scale):
    """int8 OHWI weights, padding to 4 bytes, int32 bias, float32 per-channel scales."""
    # PyTorch stores per_channel_symmetric weights as per_channel_affine with zero points 0.
    if qweight.qscheme() not in (torch.per_channel_symmetric, torch.per_channel_affine) \
            or qweight.q_per_channel_axis() != 0:
        raise ValueError(f"weight qscheme {qweight.qscheme()} is not per-channel on axis 0")
    w = qweight.int_repr().numpy().astype(np.int8)
    if w.ndim == 2:  # Linear [out, in] -> 1x1 conv [out, 1, 1, in]
        w = w.reshape(w.shape[0], 1, 1, w.shape[1])
    else:            # Conv OIHW -> OHWI
        w = np.ascontiguousarray(w.transpose(0, 2, 3, 1))
    if w.min() < -127 or w.max() > 127:
        raise ValueError("weight outside [-127, 127]")
    if int(qweight.q_per_channel_zero_points().abs().max()) != 0:
        raise ValueError("weight zero points are not all 0")
    wscale = qweight.q_per_channel_scales().numpy().astype(np.float64)
    out = w.shape[0]
    b = np.zeros(out) if bias is None else bias.detach().numpy().astype(np.float64)
    # The bias is quantized as PyTorch does at run time: units of input_scale * w_scale[c].
    qbias = np.round(b / (input_scale * wscale))
    if np.abs(qbias).max() >= 2 ** 31:
        raise ValueError("bias does not fit int32")
    scales32 = wscale.astype(np.float32)
    if not (np.all(np.isfinite(scales32)) and np.all(scales32 > 0)):
        raise ValueError("weight scale not finite and > 0")
    blob = w.astype("<i1").tobytes()
    blob += b"\0" * (-len(blob) % 4)
    blob += qbias.astype("<i4").tobytes()
    blob += scales32.astype("<f4").tobytes()
    return blob, w.shape


def _fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    if isinstance(v, str):
        return v
    return str(v)


class _Builder:
    def __init__(self, input_shape, input_quant):
        self.layers = []
        self.blob = bytearray()
        self.tensors = {"input": (tuple(input_shape), input_quant)}

    def conv(self, name, src, mod, kernel, stride, padding, relu):
        (h, w, c), (in_scale, _) = self.tensors[src]
        blob, wshape = _weight_section(mod.weight(), mod.bias(), in_scale)
        if wshape[1:] != (kernel, kernel, c):
            raise ValueError(f"{name}: weight shape {wshape} does not fit input channels {c}")
        oh = (h + 2 * padding - kernel) // stride + 1
        ow = (w + 2 * padding - kernel) // stride + 1
        quant = _act_quant(mod.scale, mod.zero_point)
        shape = (oh, ow, wshape[0])
        self.blob += blob
        self.tensors[name] = (shape, quant)
        self.layers.append([("name", name), ("op", "conv2d"), ("input", src),
                            ("out_channels", wshape[0]), ("kernel", kernel),
                            ("stride", stride), ("padding", padding), ("relu", relu),
                            ("output", (shape, quant))])

    def add(self, name, a, b, mod, relu):
        sa, sb = self.tensors[a][0], self.tensors[b][0]
        if sa != sb:
            raise ValueError(f"{name}: input shapes {sa} and {sb} differ")
        quant = _act_quant(mod.scale, mod.zero_point)
        self.tensors[name] = (sa, quant)
        self.layers.append([("name", name), ("op", "add"), ("inputs", [a, b]),
                            ("relu", relu), ("output", (sa, quant))])

    def global_avg_pool(self, name, src):
        (h, w, c), quant = self.tensors[src]
        shape = (1, 1, c)
        self.tensors[name] = (shape, quant)
        self.layers.append([("name", name), ("op", "global_avg_pool"), ("input", src),
                            ("output", (shape, quant))])

    def fully_connected(self, name, src, mod, relu):
        (h, w, c), (in_scale, _) = self.tensors[src]
        blob, wshape = _weight_section(mod.weight(), mod.bias(), in_scale)
        if wshape[3] != h * w * c:
            raise ValueError(f"{name}: {wshape[3]} weight inputs, input has {h * w * c}")
        quant = _act_quant(mod.scale, mod.zero_point)
        shape = (1, 1, wshape[0])
        self.blob += blob
        self.tensors[name] = (shape, quant)
        self.layers.append([("name", name), ("op", "fully_connected"), ("input", src),
                            ("out_features", wshape[0]), ("relu", relu),
                            ("output", (shape, quant))])

    def yaml_text(self, name, weights, classes, output):
        in_shape, (in_scale, in_zp) = self.tensors["input"]
        lines = ["# Generated by scripts/train_resnet20.py (see README.md); do not edit.",
                 "format: npu-model-1",
                 f"name: {name}",
                 f"weights: {weights}",
                 "classes: [" + ", ".join('"' + c + '"' for c in classes) + "]",
                 "input:",
                 f"  shape: {_fmt(list(in_shape))}",
                 f"  scale: {_fmt(in_scale)}",
                 f"  zero_point: {in_zp}",
                 f"output: {output}",
                 "layers:"]
        for layer in self.layers:
            for i, (key, val) in enumerate(layer):
                prefix = "  - " if i == 0 else "    "
                if key == "output":
                    shape, (scale, zp) = val
                    val = (f"{{shape: {_fmt(list(shape))}, scale: {_fmt(scale)}, "
                           f"zero_point: {zp}}}")
                else:
                    val = _fmt(val)
                lines.append(f"{prefix}{key}: {val}")
        return "\n".join(lines) + "\n"


def export(qmodel, out_dir, name, classes):
    """Writes out_dir/model.yaml and out_dir/model.bin; returns a small summary."""
    in_scale, in_zp = _act_quant(qmodel.quant.scale.item(), qmodel.quant.zero_point.item())
    # PyTorch keeps the fixed input scale as float32; the format states it as exactly 1/255
    # (the difference, 6e-9 relative, changes no bias or multiplier).
    if abs(in_scale * 255.0 - 1.0) > 1e-6 or in_zp != -128:
        raise ValueError(f"input quantization ({in_scale}, {in_zp}) is not (1/255, -128)")
    in_scale = 1.0 / 255.0
    bld = _Builder((28, 28, 1), (in_scale, in_zp))
    bld.conv("stem", "input", qmodel.stem, 3, 1, 1, relu=True)
    prev = "stem"
    for bname in qmodel.block_names:
        blk = getattr(qmodel, bname)
        stride = blk.conv1.stride[0]
        bld.conv(f"{bname}_conv1", prev, blk.conv1, 3, stride, 1, relu=True)
        bld.conv(f"{bname}_conv2", f"{bname}_conv1", blk.conv2, 3, 1, 1, relu=False)
        shortcut = prev
        if blk.has_down:
            bld.conv(f"{bname}_down", prev, blk.down_conv, 1, blk.down_conv.stride[0], 0,
                     relu=False)
            shortcut = f"{bname}_down"
        bld.add(f"{bname}_add", f"{bname}_conv2", shortcut, blk.add, relu=True)
        prev = f"{bname}_add"
    bld.global_avg_pool("gap", prev)
    bld.fully_connected("fc", "gap", qmodel.fc, relu=False)

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "model.bin"), "wb") as f:
        f.write(bytes(bld.blob))
    with open(os.path.join(out_dir, "model.yaml"), "w") as f:
        f.write(bld.yaml_text(name, "model.bin", classes, "fc"))
    return {"layers": len(bld.layers), "bin_bytes": len(bld.blob)}

