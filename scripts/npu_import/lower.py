"""The FX-prepared graph (observers + BN-folded float layers) and PyTorch's converted int8
modules -> our layers, written through ModelWriter.

Walking the prepared graph keeps the original node names and gives each tensor's observer;
the int8 weights, biases and output quantization come from the converted modules, so the
export and PyTorch's int8 model share every parameter.
"""

from dataclasses import dataclass
from typing import Optional, Tuple

import torch.ao.nn.intrinsic as nni
import torch.ao.quantization as tq
import torch.fx
import torch.nn as nn

from . import ops, qtensors
from .errors import ImportFailure, node_error
from .graph import kind, op_name
from .writer import ModelWriter, act_quant

RELU_KINDS = ("relu", "relu6")


@dataclass
class Value:
    tensor: Optional[str]                       # our tensor name; None for a size() value
    flat_from: Optional[Tuple[int, int, int]] = None   # set after a flatten: the HWC shape


class Lowering:
    def __init__(self, prepared, converted, input_hwc):
        self.gm = prepared
        self.q = converted
        self.input_hwc = tuple(input_hwc)
        self.values = {}
        self.consumed = set()       # activation nodes fused into their producer
        self.reference = {}         # our tensor name -> prepared node holding its float value
        self.notes = []
        self.writer = None
        self.output = None

    # -- graph helpers ------------------------------------------------------------------
    def is_observer(self, node):
        return node.op == "call_module" and isinstance(self.gm.get_submodule(node.target),
                                                       tq.ObserverBase)

    def users_past_observers(self, node):
        users = []
        for u in node.users:
            users += self.users_past_observers(u) if self.is_observer(u) else [u]
        return users

    def observer_after(self, node):
        """The observer of node's output, looking through fused activations."""
        for u in node.users:
            if self.is_observer(u):
                return u
        users = list(node.users)
        if len(users) == 1 and kind(self.gm, users[0]) in RELU_KINDS:
            return self.observer_after(users[0])
        raise node_error(node.name, op_name(self.gm, node), "no observer on its output (not "
                         "quantized by PyTorch)")

    def observed_quant(self, node):
        obs = self.gm.get_submodule(self.observer_after(node).target)
        scale, zp = obs.calculate_qparams()
        return act_quant(scale.item(), zp.item())

    def fused_activation(self, node, quant):
        """True if the one user of node (past observers) is a ReLU/ReLU6 fused into it."""
        users = self.users_past_observers(node)
        if len(users) != 1 or kind(self.gm, users[0]) not in RELU_KINDS:
            return False
        act = users[0]
        if kind(self.gm, act) == "relu6":
            self._check_relu6_exact(act, quant)
        self.consumed.add(act)
        return True

    def _check_relu6_exact(self, node, quant):
        scale, zp = quant
        top = scale * (127 - zp)
        if round(6.0 / scale) + zp + 128 < 255:
            raise node_error(node.name, op_name(self.gm, node),
                             f"ReLU6 is not exact in int8: the output range reaches {top:.4g} "
                             "> 6 (only a range ending at or below 6 makes the clamp at 6 "
                             "the int8 saturation)")
        self.notes.append(f"ReLU6 '{node.name}' is exact: the int8 range ends at {top:.4g}")

    def src(self, node, i=0):
        arg = node.args[i]
        if not isinstance(arg, torch.fx.Node) or arg not in self.values:
            raise node_error(node.name, op_name(self.gm, node), f"input {i} is not a tensor")
        value = self.values[arg]
        if value.tensor is None:
            raise node_error(node.name, op_name(self.gm, node), f"input {i} is not a tensor")
        return value

    def plain(self, node, value):
        if value.flat_from is not None:
            raise node_error(node.name, op_name(self.gm, node), "input is flattened; only a "
                             "Linear may follow a flatten")
        return value.tensor

    def produce(self, node, tensor, last=None):
        self.values[node] = Value(tensor)
        self.reference[tensor] = (last or node).name

    # -- ops ------------------------------------------------------------------------------
    def placeholder(self, node):
        if self.writer is not None:
            raise ImportFailure("the model takes more than one input")
        self.writer = ModelWriter(self.input_hwc, self.observed_quant(node))
        self.produce(node, "input")

    def conv(self, node, mod):
        relu = isinstance(mod, nni.ConvReLU2d)
        conv = mod[0] if relu else mod
        ops.check_conv(node.name, conv)
        src = self.plain(node, self.src(node))
        qmod = self.q.get_submodule(node.target)
        quant = act_quant(qmod.scale, qmod.zero_point)
        self._same_quant(node, quant)
        w, b, s = qtensors.weight_sections(qmod.weight(), qmod.bias(),
                                           self.writer.quant(src)[0], node.name)
        relu = relu or self.fused_activation(node, quant)
        stride, padding = ops.conv_geometry(conv)
        self.writer.conv2d(node.name, src, w, b, s, quant, stride, padding, relu)
        self.produce(node, node.name, self._last(node))

    def linear(self, node, mod):
        relu = isinstance(mod, nni.LinearReLU)
        value = self.src(node)
        qmod = self.q.get_submodule(node.target)
        quant = act_quant(qmod.scale, qmod.zero_point)
        self._same_quant(node, quant)
        h, w, c = self.writer.shape(value.tensor)
        if value.flat_from is None and (h, w) != (1, 1):
            raise node_error(node.name, "Linear", f"input is {h}x{w}x{c}, not flattened")
        wq, scales = qtensors.per_channel_weights(qmod.weight(), node.name)
        if h * w > 1:
            wq = qtensors.linear_chw_to_hwc(wq, h, w, c)
            self.notes.append(f"Linear '{node.name}': weights reordered from PyTorch's CHW "
                              "flattening to the format's HWC order")
        bias = qtensors.quantize_bias(qmod.bias(), self.writer.quant(value.tensor)[0], scales)
        relu = relu or self.fused_activation(node, quant)
        self.writer.fully_connected(node.name, value.tensor, qtensors.ohwi(wq), bias,
                                    scales.astype("float32"), quant, relu)
        self.produce(node, node.name, self._last(node))

    def pool(self, node, mod, k):
        src = self.plain(node, self.src(node))
        if k == "global_avg_pool":
            ops.check_adaptive_avg_pool(node.name, mod)
            self.writer.global_avg_pool(node.name, src)
        else:
            (ops.check_max_pool if k == "max_pool" else ops.check_avg_pool)(node.name, mod)
            kernel = ops.pair(mod.kernel_size)
            stride = ops.pair(mod.stride if mod.stride is not None else mod.kernel_size)
            ph, pw = ops.pair(mod.padding)
            self.writer.pool(node.name, k, src, kernel, stride, (ph, pw, ph, pw))
        if self.observed_quant(node) != self.writer.quant(src):
            raise node_error(node.name, op_name(self.gm, node), "PyTorch gives the pool "
                             "output its own quantization; the format keeps the input's")
        self.produce(node, node.name)

    def add(self, node):
        a = self.plain(node, self.src(node, 0))
        b = self.plain(node, self.src(node, 1))
        quant = self.observed_quant(node)
        relu = self.fused_activation(node, quant)
        self.writer.add(node.name, a, b, quant, relu)
        self.produce(node, node.name, self._last(node))

    def flatten(self, node):
        value = self.src(node)
        if value.flat_from is not None:
            self.values[node] = value
            return
        self.values[node] = Value(value.tensor, self.writer.shape(value.tensor))

    # -- driver ---------------------------------------------------------------------------
    def _last(self, node):
        """The node whose output is this layer's final float value (after a fused ReLU)."""
        users = self.users_past_observers(node)
        if len(users) == 1 and users[0] in self.consumed:
            return users[0]
        return node

    def _same_quant(self, node, quant):
        observed = self.observed_quant(node)
        if observed != quant:
            raise node_error(node.name, op_name(self.gm, node), f"converted quantization "
                             f"{quant} differs from its observer's {observed}")

    def visit(self, node):
        if node.op == "placeholder":
            return self.placeholder(node)
        if node.op == "output":
            self.output = self.src(node).tensor
            return None
        if self.is_observer(node):
            self.values[node] = self.values[node.args[0]]
            return None
        if node in self.consumed:
            self.values[node] = self.values[node.args[0]]
            return None
        k = kind(self.gm, node)
        mod = self.gm.get_submodule(node.target) if node.op == "call_module" else None
        if isinstance(mod, (nn.Conv2d, nni.ConvReLU2d)):
            return self.conv(node, mod)
        if isinstance(mod, (nn.Linear, nni.LinearReLU)):
            return self.linear(node, mod)
        if k in ("max_pool", "avg_pool", "global_avg_pool"):
            return self.pool(node, mod, k)
        if k == "add":
            return self.add(node)
        if k in ("flatten", "view", "reshape"):
            return self.flatten(node)
        if k == "size":
            self.values[node] = Value(None)
            return None
        if k == "identity":
            self.values[node] = self.values[node.args[0]]
            return None
        raise node_error(node.name, op_name(self.gm, node), "op not supported here (a "
                         "ReLU must directly follow a Conv2d, Linear or add)")


def lower(prepared, converted, input_hwc):
    """Returns the Lowering: .writer (layers + weights), .output, .reference, .notes."""
    low = Lowering(prepared, converted, input_hwc)
    for node in prepared.graph.nodes:
        low.visit(node)
    if low.output is None:
        raise ImportFailure("the model has no output")
    return low
