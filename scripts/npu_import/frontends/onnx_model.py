"""A float ONNX model (as torch.onnx.export writes it, opsets 11-17) -> an equivalent
torch.fx GraphModule of nn.Conv2d, nn.BatchNorm2d, nn.ReLU, pools and nn.Linear, which then
goes through the same checks and FX quantization as a PyTorch model.

Every node is translated or rejected with an error naming the node, its op and attribute.
A model already quantized in QDQ form (QuantizeLinear/DequantizeLinear) goes to qdq.py.
"""

import math
import operator
import re

import numpy as np
import onnx
import torch
import torch.fx
import torch.nn as nn
from onnx import numpy_helper

from ..errors import ImportFailure, node_error
from .onnx_consts import try_fold

OPSETS = range(11, 18)
BATCH = "batch"       # the batch dimension in shape vectors computed from Shape(x)
QDQ_OPS = {"QuantizeLinear", "DequantizeLinear"}


def read(path):
    try:
        model = onnx.load(path)
    except Exception as e:  # noqa: BLE001 - any parse failure is a bad file
        raise ImportFailure(f"{path}: not an ONNX model: {e}") from e
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
    if opset not in OPSETS:
        raise ImportFailure(f"{path}: ONNX opset {opset}; opsets 11-17 are supported")
    try:
        model = onnx.shape_inference.infer_shapes(model)
    except Exception as e:  # noqa: BLE001
        raise ImportFailure(f"{path}: ONNX shape inference failed: {e}") from e
    return model


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _static_shape(value_info):
    dims = value_info.type.tensor_type.shape.dim
    return [d.dim_value if d.HasField("dim_value") else None for d in dims]


class Translator:
    """Builds the fx graph node by node; `env` maps ONNX tensor names to fx nodes."""

    def __init__(self, model):
        self.model = model
        self.g = model.graph
        self.consts = {t.name: numpy_helper.to_array(t) for t in self.g.initializer}
        self.shapes = {vi.name: _static_shape(vi) for vi in
                       list(self.g.value_info) + list(self.g.input) + list(self.g.output)}
        self.root = nn.Module()
        self.graph = torch.fx.Graph()
        self.env = {}
        self.used_names = set()
        self.notes = []
        self.symbolic = {}    # shape vectors computed from Shape(x): lists, BATCH = the batch
        self.pads = {}        # Pad output -> (t, l, b, r, Pad node label), for the next op

    # -- helpers --------------------------------------------------------------------------
    def name_of(self, node, index):
        return node.name or f"{node.op_type}_{index}"

    @staticmethod
    def _module_path(onnx_name, op_type):
        """'/layer1/layer1.0/conv1/Conv' (torch.onnx.export's scopes) -> 'layer1.0.conv1'."""
        parts = [p for p in onnx_name.split("/") if p]
        if len(parts) > 1 and (parts[-1] == op_type or parts[-1].startswith(op_type + "_")):
            parts = parts[:-1]
        if not parts:
            return onnx_name
        comps = []
        for p in parts:   # "layer1.0" follows "layer1", "downsample.0" follows "downsample"
            if comps and p.startswith(comps[-1] + "."):
                comps[-1] = p
            else:
                comps.append(p)
        return ".".join(comps)

    def module_name(self, onnx_name):
        base = re.sub(r"[^0-9a-zA-Z_]", "_", onnx_name).strip("_") or "node"
        if base[0].isdigit():
            base = "n_" + base
        name, k = base, 1
        while name in self.used_names:
            name, k = f"{base}_{k}", k + 1
        self.used_names.add(name)
        return name

    def tensor(self, node, i, label):
        name = node.input[i]
        if name not in self.env:
            raise node_error(label, node.op_type, f"input {i} ('{name}') is not a tensor "
                             "computed from the model input (a constant is not supported here)")
        return self.env[name]

    def const(self, node, i, label, what):
        if i >= len(node.input) or node.input[i] == "":
            return None
        name = node.input[i]
        if name not in self.consts:
            raise node_error(label, node.op_type, f"{what} ('{name}') must be a constant "
                             "(initializer)")
        return self.consts[name]

    def call_module(self, node, label, module, src):
        name = self.module_name(self._module_path(label, node.op_type))
        self.root.add_module(name, module)
        out = self.graph.call_module(name, (src,))
        self.env[node.output[0]] = out
        return out

    def alias(self, node, src):
        self.env[node.output[0]] = src

    # -- ops ------------------------------------------------------------------------------
    def conv(self, node, label):
        a = attrs(node)
        self._no_auto_pad(node, label, a)
        w = self.const(node, 1, label, "weight")
        b = self.const(node, 2, label, "bias")
        if w is None or w.ndim != 4:
            raise node_error(label, "Conv", "only 2-D convolutions (4-D weights) are supported")
        if a.get("group", 1) != 1:
            raise node_error(label, "Conv", f"attribute group={a['group']}: only 1 is supported")
        if list(a.get("dilations", [1, 1])) != [1, 1]:
            raise node_error(label, "Conv", f"attribute dilations={a['dilations']}: only 1")
        padding = self._symmetric_pads(node, label, a, self._take_pad(node, label))
        conv = nn.Conv2d(w.shape[1], w.shape[0], tuple(w.shape[2:]),
                         tuple(a.get("strides", [1, 1])), padding, bias=b is not None)
        conv.weight.data = torch.from_numpy(w.copy())
        if b is not None:
            conv.bias.data = torch.from_numpy(b.copy())
        self.call_module(node, label, conv, self.tensor(node, 0, label))

    def batch_norm(self, node, label):
        a = attrs(node)
        if a.get("training_mode", 0):
            raise node_error(label, "BatchNormalization", "attribute training_mode=1")
        if len(node.output) > 1:
            raise node_error(label, "BatchNormalization", "training outputs (mean, var) are "
                             "not supported")
        scale, bias, mean, var = (self.const(node, i, label, n) for i, n in
                                  ((1, "scale"), (2, "B"), (3, "mean"), (4, "var")))
        bn = nn.BatchNorm2d(scale.shape[0], eps=a.get("epsilon", 1e-5))
        for t, v in ((bn.weight.data, scale), (bn.bias.data, bias),
                     (bn.running_mean, mean), (bn.running_var, var)):
            t.copy_(torch.from_numpy(v.copy()))
        self.call_module(node, label, bn.eval(), self.tensor(node, 0, label))

    def relu(self, node, label):
        self.call_module(node, label, nn.ReLU(), self.tensor(node, 0, label))

    def clip(self, node, label):
        a = attrs(node)
        lo = self.const(node, 1, label, "min")
        hi = self.const(node, 2, label, "max")
        lo = a.get("min", -math.inf) if lo is None else float(lo)
        hi = a.get("max", math.inf) if hi is None else float(hi)
        if lo == 0 and hi == math.inf:
            module = nn.ReLU()
        elif lo == 0 and hi == 6:
            module = nn.ReLU6()
        else:
            raise node_error(label, "Clip", f"attributes min={lo}, max={hi}: only [0, inf) "
                                            "(ReLU) and [0, 6] (ReLU6) are supported")
        self.call_module(node, label, module, self.tensor(node, 0, label))

    def max_pool(self, node, label):
        a = attrs(node)
        self._no_auto_pad(node, label, a)
        if len(node.output) > 1 and node.output[1]:
            raise node_error(label, "MaxPool", "the Indices output is not supported")
        for key, ok in (("ceil_mode", 0), ("storage_order", 0)):
            if a.get(key, ok) != ok:
                raise node_error(label, "MaxPool", f"attribute {key}={a[key]}: only {ok}")
        if list(a.get("dilations", [1, 1])) != [1, 1]:
            raise node_error(label, "MaxPool", f"attribute dilations={a['dilations']}: only 1")
        kernel = tuple(a["kernel_shape"])
        pool = nn.MaxPool2d(kernel, tuple(a.get("strides", [1, 1])),
                            self._symmetric_pads(node, label, a))
        self.call_module(node, label, pool, self.tensor(node, 0, label))

    def average_pool(self, node, label):
        a = attrs(node)
        self._no_auto_pad(node, label, a)
        if a.get("ceil_mode", 0):
            raise node_error(label, "AveragePool", "attribute ceil_mode=1: only 0")
        extra = self._take_pad(node, label)
        padding = self._symmetric_pads(node, label, a, extra)
        if padding != (0, 0) and not a.get("count_include_pad", 0) and not any(extra):
            raise node_error(label, "AveragePool", "attribute count_include_pad=0 with padding:"
                             " the hardware divides by the full window (count_include_pad=1)")
        pool = nn.AvgPool2d(tuple(a["kernel_shape"]), tuple(a.get("strides", [1, 1])), padding,
                            count_include_pad=True)
        self.call_module(node, label, pool, self.tensor(node, 0, label))

    def global_average_pool(self, node, label):
        self.call_module(node, label, nn.AdaptiveAvgPool2d(1), self.tensor(node, 0, label))

    def flatten(self, node, label):
        axis = attrs(node).get("axis", 1)
        if axis != 1:
            raise node_error(label, "Flatten", f"attribute axis={axis}: only 1 is supported")
        self._flatten(node)

    def reshape(self, node, label):
        if node.input[1] in self.symbolic:
            out = self.symbolic[node.input[1]]
        else:
            shape = self.const(node, 1, label, "shape")
            out = [int(v) for v in shape] if shape is not None else None
        src_shape = self.shapes.get(node.input[0])
        if out is not None and out[:1] == [BATCH]:
            out = [-1] + out[1:]
        features = None
        if src_shape and all(d is not None for d in src_shape[1:]):
            features = int(np.prod(src_shape[1:]))
        if out is None or len(out) != 2 or out[1] not in (-1, features) or \
                out[0] not in (-1, 0, 1, src_shape[0] if src_shape else None):
            raise node_error(label, "Reshape", f"shape {out}: only a flatten to (batch, -1) "
                                               "is supported")
        self._flatten(node)

    def _flatten(self, node):
        self.env[node.output[0]] = self.graph.call_function(
            torch.flatten, (self.tensor(node, 0, node.name), 1))

    def gemm(self, node, label):
        a = attrs(node)
        for key, ok in (("alpha", 1.0), ("beta", 1.0), ("transA", 0)):
            if a.get(key, ok) != ok:
                raise node_error(label, "Gemm", f"attribute {key}={a[key]}: only {ok} is "
                                                "supported")
        w = self.const(node, 1, label, "B (the weights)")
        b = self.const(node, 2, label, "C (the bias)")
        if not a.get("transB", 0):
            w = w.T
        if b is not None and b.shape != (w.shape[0],):
            raise node_error(label, "Gemm", f"bias C of shape {b.shape}: only a vector of "
                                            f"{w.shape[0]} is supported")
        lin = nn.Linear(w.shape[1], w.shape[0], bias=b is not None)
        lin.weight.data = torch.from_numpy(np.array(w))
        if b is not None:
            lin.bias.data = torch.from_numpy(b.copy())
        self.call_module(node, label, lin, self.tensor(node, 0, label))

    def add(self, node, label):
        a, b = self.tensor(node, 0, label), self.tensor(node, 1, label)
        self.env[node.output[0]] = self.graph.call_function(operator.add, (a, b))

    def identity(self, node, label):
        if node.op_type == "Dropout" and len(node.output) > 1 and node.output[1]:
            raise node_error(label, "Dropout", "the mask output is not supported")
        self.notes.append(f"dropped {node.op_type} '{label}' (identity at inference)")
        self.alias(node, self.tensor(node, 0, label))

    def constant(self, node, label):
        value = attrs(node).get("value")
        if value is None:
            raise node_error(label, "Constant", "only the 'value' attribute is supported")
        self.consts[node.output[0]] = numpy_helper.to_array(value)

    # -- shape arithmetic of a dynamic batch: x.view(x.size(0), -1) ---------------------------
    def _sym_or_const(self, node, i, label):
        name = node.input[i]
        if name in self.symbolic:
            return list(self.symbolic[name])
        return [int(v) for v in np.asarray(self.const(node, i, label, "input")).reshape(-1)]

    def shape(self, node, label):
        dims = self.shapes.get(node.input[0])
        if node.input[0] not in self.env or not dims:
            raise node_error(label, "Shape", "input shape unknown")
        self.symbolic[node.output[0]] = [BATCH] + list(dims[1:])

    def gather(self, node, label):
        if node.input[0] not in self.symbolic or attrs(node).get("axis", 0) != 0:
            raise node_error(label, "Gather", "only indexing a Shape() result is supported")
        idx = np.asarray(self.const(node, 1, label, "indices")).reshape(-1)
        vec = self.symbolic[node.input[0]]
        self.symbolic[node.output[0]] = [vec[int(i)] for i in idx]

    def unsqueeze(self, node, label):
        if node.input[0] not in self.symbolic:
            raise node_error(label, "Unsqueeze", "only on a Shape() result")
        self.symbolic[node.output[0]] = list(self.symbolic[node.input[0]])

    def concat(self, node, label):
        if not any(i in self.symbolic for i in node.input):
            raise node_error(label, "Concat", "only shape vectors built from Shape() are "
                                              "supported")
        vec = []
        for i in range(len(node.input)):
            vec += self._sym_or_const(node, i, label)
        self.symbolic[node.output[0]] = vec

    def cast(self, node, label):
        if node.input[0] in self.symbolic:
            self.symbolic[node.output[0]] = list(self.symbolic[node.input[0]])
        elif node.input[0] in self.consts:
            self.consts[node.output[0]] = self.consts[node.input[0]]
        else:
            raise node_error(label, "Cast", "only of constants and shape vectors")

    # -- Pad: folded into the next Conv or AveragePool (zero padding is real 0 = the zero point)
    def pad(self, node, label):
        a = attrs(node)
        mode = a.get("mode", b"constant")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        pads = self.const(node, 1, label, "pads")
        value = self.const(node, 2, label, "constant_value")
        if mode != "constant" or (value is not None and float(np.asarray(value)) != 0):
            raise node_error(label, "Pad", f"attribute mode={mode}: only constant 0 padding")
        pads = [int(p) for p in pads]
        if len(pads) != 8 or any(pads[i] for i in (0, 1, 4, 5)):
            raise node_error(label, "Pad", f"pads {pads}: only H and W may be padded")
        src = self.tensor(node, 0, label)
        self.env[node.output[0]] = src
        if any(pads):
            self.pads[node.output[0]] = (pads[2], pads[3], pads[6], pads[7], label)
        else:
            self.notes.append(f"dropped Pad '{label}' (pads all 0)")

    def _take_pad(self, node, label):
        """(t, l, b, r) of a Pad feeding this op (consumed), else zeros."""
        if node.input[0] not in self.pads:
            return (0, 0, 0, 0)
        t, l, b, r, pad_label = self.pads.pop(node.input[0])
        self.notes.append(f"folded Pad '{pad_label}' into {node.op_type} '{label}'")
        return (t, l, b, r)

    # -- checks shared by conv and pools --------------------------------------------------
    def _no_auto_pad(self, node, label, a):
        mode = a.get("auto_pad", b"NOTSET")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        if mode not in ("NOTSET", "VALID"):
            raise node_error(label, node.op_type, f"attribute auto_pad={mode}: give explicit "
                                                  "pads")

    def _symmetric_pads(self, node, label, a, extra=(0, 0, 0, 0)):
        t, l, b, r = (p + e for p, e in zip(a.get("pads", [0, 0, 0, 0]), extra))
        if (t, l) != (b, r):
            raise node_error(label, node.op_type, f"attribute pads={[t, l, b, r]}: only "
                                                  "symmetric padding is supported")
        return (t, l)

    OPS = {"Conv": conv, "BatchNormalization": batch_norm, "Relu": relu, "Clip": clip,
           "MaxPool": max_pool, "AveragePool": average_pool,
           "GlobalAveragePool": global_average_pool, "Flatten": flatten, "Reshape": reshape,
           "Gemm": gemm, "Add": add, "Identity": identity, "Dropout": identity,
           "Constant": constant, "Shape": shape, "Gather": gather, "Unsqueeze": unsqueeze,
           "Concat": concat, "Cast": cast, "Pad": pad}

    def run(self):
        inputs = [i for i in self.g.input if i.name not in self.consts]
        if len(inputs) != 1:
            raise ImportFailure(f"the ONNX graph has {len(inputs)} inputs; exactly 1 is "
                                "supported")
        shape = _static_shape(inputs[0])
        if len(shape) != 4 or any(d is None for d in shape[1:]):
            raise ImportFailure(f"ONNX input '{inputs[0].name}' has shape {shape}; a static "
                                "[N, C, H, W] is needed")
        self.env[inputs[0].name] = self.graph.placeholder("x")
        for index, node in enumerate(self.g.node):
            label = self.name_of(node, index)
            if node.domain not in ("", "ai.onnx"):
                raise node_error(label, node.op_type, f"custom domain '{node.domain}' is not "
                                                      "supported")
            if node.op_type != "Constant" and try_fold(node, label, self.consts):
                continue
            handler = self.OPS.get(node.op_type)
            if handler is None:
                raise node_error(label, node.op_type, "op not supported by npu-import (see "
                                                      "docs/import.md for the supported ops)")
            handler(self, node, label)
        if len(self.g.output) != 1:
            raise ImportFailure(f"the ONNX graph has {len(self.g.output)} outputs; exactly 1 "
                                "is supported")
        if self.pads:
            t, l, b, r, pad_label = next(iter(self.pads.values()))
            raise node_error(pad_label, "Pad", "only a Pad directly before a Conv or "
                                               "AveragePool is supported")
        self.graph.output(self.env[self.g.output[0].name])
        return torch.fx.GraphModule(self.root, self.graph), shape[1], (shape[2], shape[3])


def is_qdq(model):
    return any(n.op_type in QDQ_OPS for n in model.graph.node)


def from_proto(model, what):
    """-> (float GraphModule, input channels, notes, (H, W))."""
    tr = Translator(model)
    gm, channels, hw = tr.run()
    return gm.eval(), channels, [f"ONNX {what}: {len(model.graph.node)} nodes"] + tr.notes, hw


def load(path):
    """A float ONNX file (cli.run sends QDQ files to qdq.py)."""
    return from_proto(read(path), path)
