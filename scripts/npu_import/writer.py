"""Writes the npu model format (docs/model-format.md): model.yaml plus model.bin.

Shared by the importer and scripts/npu_export.py. Layers are appended in topological order;
each parameter layer's weight sections follow in the same order in model.bin.
"""

import math
import os

import numpy as np

FORMAT_PLAIN = "npu-model-1"
FORMAT_PREPROCESS = "npu-model-2"   # adds the optional `preprocess` list


def act_quant(scale, zero_point_uint8):
    """PyTorch quint8 (scale, zp) -> our int8 (scale, zp - 128): the same real values."""
    scale = float(scale)
    zp = int(zero_point_uint8) - 128
    check_quant(scale, zp)
    return scale, zp


def check_quant(scale, zp):
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"activation scale {scale} is not finite and > 0")
    if not -128 <= zp <= 127:
        raise ValueError(f"activation zero point {zp} outside [-128, 127]")


def weight_blob(w_ohwi, bias_int32, scales):
    """int8 OHWI weights, zero padding to 4 bytes, int32 bias, float32 per-channel scales."""
    w = np.asarray(w_ohwi)
    if w.min() < -127 or w.max() > 127:
        raise ValueError("weight outside [-127, 127]")
    b = np.asarray(bias_int32, dtype=np.int64)
    if b.size and np.abs(b).max() >= 2 ** 31:
        raise ValueError("bias does not fit int32")
    s = np.asarray(scales, dtype=np.float32)
    if not (np.all(np.isfinite(s)) and np.all(s > 0)):
        raise ValueError("weight scale not finite and > 0")
    if not (b.shape == s.shape == (w.shape[0],)):
        raise ValueError(f"bias {b.shape} / scales {s.shape} do not match {w.shape[0]} channels")
    blob = w.astype("<i1").tobytes()
    blob += b"\0" * (-len(blob) % 4)
    blob += b.astype("<i4").tobytes()
    blob += s.astype("<f4").tobytes()
    return blob


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    if isinstance(v, str):
        return v
    return str(v)


def _quoted(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pair_or_int(a, b):
    return a if a == b else [a, b]


def _padding(t, l, b, r):
    if t == b and l == r:
        return _pair_or_int(t, l)
    return [t, l, b, r]


def conv_out_size(size, pad_lo, pad_hi, kernel, stride):
    return (size + pad_lo + pad_hi - kernel) // stride + 1


class ModelWriter:
    """Collects layers and weights; `tensors` maps a tensor name to (HWC shape, quant)."""

    def __init__(self, input_shape, input_quant):
        check_quant(*input_quant)
        self.layers = []
        self.blob = bytearray()
        self.tensors = {"input": (tuple(input_shape), tuple(input_quant))}

    def _add(self, name, fields, shape, quant):
        if name in self.tensors:
            raise ValueError(f"duplicate layer name '{name}'")
        check_quant(*quant)
        self.tensors[name] = (tuple(shape), tuple(quant))
        self.layers.append([("name", name)] + fields + [("output", (tuple(shape), quant))])

    def shape(self, name):
        return self.tensors[name][0]

    def quant(self, name):
        return self.tensors[name][1]

    def conv2d(self, name, src, w_ohwi, bias, scales, quant, stride, padding, relu):
        """padding: (top, left, bottom, right); stride: (sh, sw)."""
        h, w, c = self.shape(src)
        out_c, kh, kw, in_c = w_ohwi.shape
        if in_c != c:
            raise ValueError(f"{name}: weights take {in_c} input channels, input has {c}")
        t, l, b, r = padding
        oh = conv_out_size(h, t, b, kh, stride[0])
        ow = conv_out_size(w, l, r, kw, stride[1])
        if oh < 1 or ow < 1:
            raise ValueError(f"{name}: kernel {kh}x{kw} larger than the padded {h}x{w} input")
        self.blob += weight_blob(w_ohwi, bias, scales)
        self._add(name, [("op", "conv2d"), ("input", src), ("out_channels", out_c),
                         ("kernel", _pair_or_int(kh, kw)),
                         ("stride", _pair_or_int(*stride)),
                         ("padding", _padding(t, l, b, r)), ("relu", relu)],
                  (oh, ow, out_c), quant)

    def fully_connected(self, name, src, w_ohwi, bias, scales, quant, relu):
        h, w, c = self.shape(src)
        if w_ohwi.shape[1:3] != (1, 1) or w_ohwi.shape[3] != h * w * c:
            raise ValueError(f"{name}: weights {w_ohwi.shape} do not fit the {h}x{w}x{c} input")
        self.blob += weight_blob(w_ohwi, bias, scales)
        self._add(name, [("op", "fully_connected"), ("input", src),
                         ("out_features", w_ohwi.shape[0]), ("relu", relu)],
                  (1, 1, w_ohwi.shape[0]), quant)

    def pool(self, name, op, src, kernel, stride, padding):
        """op: max_pool or avg_pool; output quantization is the input's."""
        h, w, c = self.shape(src)
        t, l, b, r = padding
        oh = conv_out_size(h, t, b, kernel[0], stride[0])
        ow = conv_out_size(w, l, r, kernel[1], stride[1])
        if oh < 1 or ow < 1:
            raise ValueError(f"{name}: window {kernel} larger than the padded {h}x{w} input")
        self._add(name, [("op", op), ("input", src), ("kernel", _pair_or_int(*kernel)),
                         ("stride", _pair_or_int(*stride)),
                         ("padding", _padding(t, l, b, r))],
                  (oh, ow, c), self.quant(src))

    def global_avg_pool(self, name, src):
        h, w, c = self.shape(src)
        self._add(name, [("op", "global_avg_pool"), ("input", src)], (1, 1, c), self.quant(src))

    def add(self, name, a, b, quant, relu):
        if self.shape(a) != self.shape(b):
            raise ValueError(f"{name}: input shapes {self.shape(a)} and {self.shape(b)} differ")
        self._add(name, [("op", "add"), ("inputs", [a, b]), ("relu", relu)], self.shape(a),
                  quant)

    def yaml_text(self, name, classes, output, header, preprocess=None):
        in_shape, (in_scale, in_zp) = self.tensors["input"]
        fmt_name = FORMAT_PREPROCESS if preprocess else FORMAT_PLAIN
        lines = [f"# {header}", f"format: {fmt_name}", f"name: {name}", "weights: model.bin"]
        if classes:
            lines.append("classes: [" + ", ".join(_quoted(c) for c in classes) + "]")
        lines += ["input:", f"  shape: {fmt(list(in_shape))}", f"  scale: {fmt(in_scale)}",
                  f"  zero_point: {in_zp}"]
        if preprocess:
            lines.append("preprocess:")
            lines += [f"  - {step}" for step in preprocess]
        lines += [f"output: {output}", "layers:"]
        for layer in self.layers:
            lines += _layer_lines(layer)
        return "\n".join(lines) + "\n"

    def write(self, out_dir, name, classes, output, header, preprocess=None):
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "model.bin"), "wb") as f:
            f.write(bytes(self.blob))
        with open(os.path.join(out_dir, "model.yaml"), "w") as f:
            f.write(self.yaml_text(name, classes, output, header, preprocess))


def _layer_lines(layer):
    lines = []
    for i, (key, val) in enumerate(layer):
        prefix = "  - " if i == 0 else "    "
        if key == "output":
            shape, (scale, zp) = val
            val = f"{{shape: {fmt(list(shape))}, scale: {fmt(scale)}, zero_point: {zp}}}"
        else:
            val = fmt(val)
        lines.append(f"{prefix}{key}: {val}")
    return lines
