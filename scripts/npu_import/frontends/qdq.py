"""An ONNX model quantized in QDQ form (QuantizeLinear/DequantizeLinear around Conv, Gemm,
Add and pools; int8 per-channel weights) -> our layers, with every scale and zero point
imported as given: uint8 activations with zero point z become int8 with z - 128 (the same
real values), int8 ones keep theirs. No calibration and no PyTorch model are involved.

The walk keeps one kind of value per ONNX tensor: a constant, a quantized constant (the
weights: DequantizeLinear of a constant), a quantized tensor (QuantizeLinear output: one of
our tensors), its float view (DequantizeLinear of it), or a pending float op waiting for the
QuantizeLinear that gives our layer its output quantization.
"""

from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import onnx
from onnx import numpy_helper

from .. import qtensors
from ..errors import ImportFailure, node_error
from ..writer import ModelWriter
from .onnx_model import Translator, attrs

UINT8, INT8 = onnx.TensorProto.UINT8, onnx.TensorProto.INT8


@dataclass
class Const:
    value: np.ndarray


@dataclass
class QConst:
    q: np.ndarray
    scale: np.ndarray
    zero_point: np.ndarray
    axis: int


@dataclass
class QTensor:
    tensor: str                      # our tensor name
    flat: bool = False


@dataclass
class FView:
    src: QTensor                     # DequantizeLinear of a quantized tensor


@dataclass
class Pending:
    node: object
    label: str
    inputs: list
    relu: bool = False
    extra: dict = field(default_factory=dict)


def _quant(scale, zp, label, op):
    scale = np.asarray(scale, dtype=np.float32)
    zp = np.asarray(zp)
    if scale.size != 1 or zp.size != 1:
        raise node_error(label, op, "activation quantization must be per tensor")
    z = int(zp.reshape(-1)[0])
    if zp.dtype == np.uint8:
        z -= 128
    elif zp.dtype != np.int8:
        raise node_error(label, op, f"zero point type {zp.dtype}: only uint8 and int8")
    return float(scale.reshape(-1)[0]), z


class QdqWalk:
    def __init__(self, model, path):
        self.path = path
        self.g = model.graph
        self.names = Translator(model)           # for module-path layer names
        self.v = {t.name: Const(numpy_helper.to_array(t)) for t in self.g.initializer}
        self.writer: Optional[ModelWriter] = None
        self.input_name = None
        self.input_hwc = None
        self.notes = []

    # -- values ---------------------------------------------------------------------------
    def get(self, node, i, label):
        if i >= len(node.input) or node.input[i] == "":
            return None
        name = node.input[i]
        if name == self.input_name:
            return "graph-input"
        if name not in self.v:
            raise node_error(label, node.op_type, f"input {i} ('{name}') is unknown")
        return self.v[name]

    def const(self, node, i, label, what):
        val = self.get(node, i, label)
        if val is None:
            return None
        if not isinstance(val, Const):
            raise node_error(label, node.op_type, f"{what} must be a constant")
        return val.value

    def fview(self, node, i, label):
        val = self.get(node, i, label)
        if not isinstance(val, FView):
            raise node_error(label, node.op_type, f"input {i} is not a dequantized int8 tensor "
                                                  "(QDQ needs DequantizeLinear before it)")
        return val.src

    def layer_name(self, label, op_type):
        return self.names.module_name(self.names._module_path(label, op_type))

    # -- Q / DQ / constants -----------------------------------------------------------------
    def constant(self, node, label):
        self.v[node.output[0]] = Const(numpy_helper.to_array(attrs(node)["value"]))

    def constant_of_shape(self, node, label):
        shape = self.const(node, 0, label, "shape")
        value = attrs(node).get("value")
        fill = numpy_helper.to_array(value) if value is not None else np.zeros(1, np.float32)
        self.v[node.output[0]] = Const(np.full(tuple(int(s) for s in shape), fill.reshape(-1)[0],
                                               dtype=fill.dtype))

    def cast(self, node, label):
        val = self.get(node, 0, label)
        to = attrs(node)["to"]
        if isinstance(val, Const):
            dtype = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[to]
            self.v[node.output[0]] = Const(val.value.astype(dtype))
        elif isinstance(val, QTensor) and to in (UINT8, INT8):
            self.v[node.output[0]] = val        # the quantized values are unchanged
        else:
            raise node_error(label, "Cast", f"attribute to={to} on a non-constant tensor")

    def quantize(self, node, label):
        scale = self.const(node, 1, label, "y_scale")
        zp = self.const(node, 2, label, "y_zero_point")
        if zp is None:
            zp = np.zeros((), np.uint8)
        quant = _quant(scale, zp, label, "QuantizeLinear")
        src = self.get(node, 0, label)
        if src == "graph-input":
            if self.writer is not None:
                raise node_error(label, "QuantizeLinear", "the graph input is quantized twice")
            self.writer = ModelWriter(self.input_hwc, quant)
            self.v[node.output[0]] = QTensor("input")
        elif isinstance(src, Pending):
            self.v[node.output[0]] = self.emit(src, quant)
        else:
            raise node_error(label, "QuantizeLinear", "quantizes neither the graph input nor "
                                                      "the result of a supported op")

    def dequantize(self, node, label):
        src = self.get(node, 0, label)
        if isinstance(src, Const):
            scale = self.const(node, 1, label, "x_scale")
            zp = self.const(node, 2, label, "x_zero_point")
            zp = np.zeros_like(scale, dtype=src.value.dtype) if zp is None else zp
            self.v[node.output[0]] = QConst(src.value, np.asarray(scale, np.float32),
                                            np.asarray(zp), attrs(node).get("axis", 1))
            return
        if not isinstance(src, QTensor):
            raise node_error(label, "DequantizeLinear", "input is not a quantized tensor")
        scale = self.const(node, 1, label, "x_scale")
        zp = self.const(node, 2, label, "x_zero_point")
        zp = np.zeros((), np.uint8) if zp is None else zp
        if _quant(scale, zp, label, "DequantizeLinear") != self.writer.quant(src.tensor):
            raise node_error(label, "DequantizeLinear", "scale/zero point differ from the "
                             "QuantizeLinear that produced the tensor")
        self.v[node.output[0]] = FView(src)

    # -- float ops: pending until their QuantizeLinear --------------------------------------
    def pending(self, node, label, inputs, **extra):
        self.v[node.output[0]] = Pending(node, label, inputs, extra=extra)

    def conv(self, node, label):
        a = attrs(node)
        if a.get("group", 1) != 1 or list(a.get("dilations", [1, 1])) != [1, 1]:
            raise node_error(label, "Conv", "attributes group/dilations: only 1 is supported")
        pads = list(a.get("pads", [0, 0, 0, 0]))
        t, l, b, r = pads
        w = self.get(node, 1, label)
        if not isinstance(w, QConst):
            raise node_error(label, "Conv", "weights must be DequantizeLinear of int8 constants")
        self.pending(node, label, [self.fview(node, 0, label)], weights=w,
                     bias=self.get(node, 2, label), stride=tuple(a.get("strides", [1, 1])),
                     padding=(t, l, b, r))

    def gemm(self, node, label):
        a = attrs(node)
        for key, ok in (("alpha", 1.0), ("beta", 1.0), ("transA", 0)):
            if a.get(key, ok) != ok:
                raise node_error(label, "Gemm", f"attribute {key}={a[key]}: only {ok}")
        w = self.get(node, 1, label)
        if not isinstance(w, QConst):
            raise node_error(label, "Gemm", "weights must be DequantizeLinear of int8 constants")
        if not a.get("transB", 0):
            w = QConst(w.q.T, w.scale, w.zero_point, 1 - w.axis if w.scale.size > 1 else 0)
        self.pending(node, label, [self.fview(node, 0, label)], weights=w,
                     bias=self.get(node, 2, label))

    def relu(self, node, label):
        src = self.get(node, 0, label)
        if not isinstance(src, Pending) or src.node.op_type not in ("Conv", "Gemm", "Add"):
            raise node_error(label, node.op_type, "a ReLU must directly follow a Conv, Gemm or "
                                                  "Add")
        if node.op_type == "Clip":
            lo, hi = self.const(node, 1, label, "min"), self.const(node, 2, label, "max")
            if lo is None or float(lo) != 0 or (hi is not None and float(hi) not in (6.0,)):
                raise node_error(label, "Clip", "only Clip(0, 6) or Clip(0) is supported")
            src.extra["relu6"] = hi is not None
        src.relu = True
        self.notes.append(f"fused {node.op_type} '{label}' into '{src.label}'")
        self.v[node.output[0]] = src

    def add(self, node, label):
        self.pending(node, label, [self.fview(node, 0, label), self.fview(node, 1, label)])

    def pool(self, node, label):
        a = attrs(node)
        if a.get("ceil_mode", 0) or list(a.get("dilations", [1, 1])) != [1, 1]:
            raise node_error(label, node.op_type, "attributes ceil_mode/dilations not supported")
        if node.op_type == "AveragePool" and any(a.get("pads", [0])) and \
                not a.get("count_include_pad", 0):
            raise node_error(label, "AveragePool", "count_include_pad=0 with padding")
        self.pending(node, label, [self.fview(node, 0, label)],
                     kernel=tuple(a.get("kernel_shape", [1, 1])),
                     stride=tuple(a.get("strides", [1, 1])),
                     padding=tuple(a.get("pads", [0, 0, 0, 0])))

    def flatten(self, node, label):
        if node.op_type == "Flatten" and attrs(node).get("axis", 1) != 1:
            raise node_error(label, "Flatten", "attribute axis: only 1")
        self.pending(node, label, [self.fview(node, 0, label)])

    def identity(self, node, label):
        self.v[node.output[0]] = self.get(node, 0, label)

    # -- emitting our layers -----------------------------------------------------------------
    def emit(self, p, quant):
        op = p.node.op_type
        name = self.layer_name(p.label, op)
        if op == "Conv":
            self._emit_conv(name, p, quant)
        elif op == "Gemm":
            self._emit_gemm(name, p, quant)
        elif op == "Add":
            a, b = (self._plain(p, t) for t in p.inputs)
            self.writer.add(name, a, b, quant, p.relu)
        elif op in ("Flatten", "Reshape"):
            self._same_quant(p, quant)
            return QTensor(p.inputs[0].tensor, flat=True)
        else:
            self._emit_pool(name, p, quant)
        return QTensor(name)

    def _plain(self, p, t):
        if t.flat:
            raise node_error(p.label, p.node.op_type, "input is flattened; only Gemm may "
                                                      "follow a flatten")
        return t.tensor

    def _same_quant(self, p, quant):
        if quant != self.writer.quant(p.inputs[0].tensor):
            raise node_error(p.label, p.node.op_type, "output quantization differs from the "
                             "input's; the format keeps the input's for pools and flatten")

    def _weights(self, p, out_channels):
        w = p.extra["weights"]
        if w.q.dtype != np.int8:
            raise node_error(p.label, p.node.op_type, f"weights of type {w.q.dtype}: only int8")
        if np.any(w.zero_point != 0):
            raise node_error(p.label, p.node.op_type, "weight zero points must all be 0 "
                                                      "(symmetric)")
        if w.q.min() < -127:
            raise node_error(p.label, p.node.op_type, "weight value -128 (the format takes "
                                                      "[-127, 127])")
        scales = np.broadcast_to(w.scale.reshape(-1), (out_channels,)).astype(np.float64) \
            if w.scale.size == 1 else w.scale.astype(np.float64)
        if w.scale.size > 1 and (w.axis != 0 or scales.shape != (out_channels,)):
            raise node_error(p.label, p.node.op_type, f"weight scales on axis {w.axis}: only "
                                                      "per output channel (axis 0)")
        return w.q, scales

    def _bias(self, p, in_scale, scales):
        b = p.extra["bias"]
        if b is None:
            return np.zeros(scales.shape[0], np.int64)
        if isinstance(b, Const):
            import torch
            return qtensors.quantize_bias(torch.from_numpy(b.value.astype(np.float32)),
                                          in_scale, scales)
        if not isinstance(b, QConst) or b.q.dtype != np.int32 or np.any(b.zero_point != 0):
            raise node_error(p.label, p.node.op_type, "bias must be float or int32 with zero "
                                                      "point 0")
        want = in_scale * scales
        if not np.allclose(np.broadcast_to(b.scale.reshape(-1), want.shape), want, rtol=1e-5,
                           atol=0):
            raise node_error(p.label, p.node.op_type, "int32 bias scale is not input scale x "
                                                      "weight scale")
        return b.q.astype(np.int64)

    def _emit_conv(self, name, p, quant):
        src = self._plain(p, p.inputs[0])
        q, scales = self._weights(p, p.extra["weights"].q.shape[0])
        self._relu6(p, quant)
        self.writer.conv2d(name, src, qtensors.ohwi(q), self._bias(p, self.writer.quant(src)[0],
                                                                     scales),
                           scales.astype(np.float32), quant, p.extra["stride"],
                           p.extra["padding"], p.relu)

    def _emit_gemm(self, name, p, quant):
        t = p.inputs[0]
        h, w, c = self.writer.shape(t.tensor)
        q, scales = self._weights(p, p.extra["weights"].q.shape[0])
        if h * w > 1:
            if not t.flat:
                raise node_error(p.label, "Gemm", f"input is {h}x{w}x{c}, not flattened")
            q = qtensors.linear_chw_to_hwc(q, h, w, c)
        self._relu6(p, quant)
        self.writer.fully_connected(name, t.tensor, qtensors.ohwi(q),
                                    self._bias(p, self.writer.quant(t.tensor)[0], scales),
                                    scales.astype(np.float32), quant, p.relu)

    def _emit_pool(self, name, p, quant):
        src = self._plain(p, p.inputs[0])
        self._same_quant(p, quant)
        if p.node.op_type == "GlobalAveragePool":
            self.writer.global_avg_pool(name, src)
            return
        t, l, b, r = p.extra["padding"]
        kind = "max_pool" if p.node.op_type == "MaxPool" else "avg_pool"
        self.writer.pool(name, kind, src, p.extra["kernel"], p.extra["stride"], (t, l, b, r))

    def _relu6(self, p, quant):
        if p.extra.get("relu6"):
            scale, zp = quant
            if round(6.0 / scale) + zp + 128 < 255:
                raise node_error(p.label, p.node.op_type, "ReLU6 is not exact in int8: the "
                                 f"output range reaches {scale * (127 - zp):.4g} > 6")

    OPS = {"Constant": constant, "ConstantOfShape": constant_of_shape, "Cast": cast,
           "QuantizeLinear": quantize, "DequantizeLinear": dequantize, "Conv": conv,
           "Gemm": gemm, "Relu": relu, "Clip": relu, "Add": add, "MaxPool": pool,
           "AveragePool": pool, "GlobalAveragePool": pool, "Flatten": flatten,
           "Identity": identity}

    def run(self):
        inputs = [i for i in self.g.input if i.name not in self.v]
        if len(inputs) != 1:
            raise ImportFailure(f"{self.path}: {len(inputs)} graph inputs; exactly 1 is "
                                "supported")
        dims = [d.dim_value for d in inputs[0].type.tensor_type.shape.dim]
        if len(dims) != 4 or 0 in dims[1:]:
            raise ImportFailure(f"{self.path}: input shape {dims}; a static [N, C, H, W] is "
                                "needed")
        self.input_name = inputs[0].name
        self.input_hwc = (dims[2], dims[3], dims[1])
        for index, node in enumerate(self.g.node):
            label = node.name or f"{node.op_type}_{index}"
            handler = self.OPS.get(node.op_type)
            if handler is None:
                raise node_error(label, node.op_type, "op not supported in a QDQ model (see "
                                                      "docs/import.md)")
            handler(self, node, label)
        out = self.v.get(self.g.output[0].name)
        if isinstance(out, FView):
            out = out.src
        if not isinstance(out, QTensor) or self.writer is None:
            raise ImportFailure(f"{self.path}: the graph output is not a quantized tensor")
        return out.tensor


def load(model, path):
    """-> (ModelWriter with every layer, output tensor name, notes)."""
    walk = QdqWalk(model, path)
    output = walk.run()
    return walk.writer, output, walk.notes
