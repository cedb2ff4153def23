"""Checks a float torch.fx graph against what the importer translates, before calibration.

Returns the list of folds and fusions (printed by the CLI); raises ImportFailure naming the
node, its op and the attribute on the first unsupported thing. Nothing is dropped silently:
inference no-ops (Dropout, Identity) are listed as dropped.
"""

import torch.fx
import torch.nn as nn

from . import ops
from .errors import ImportFailure, node_error


def trace(module):
    if isinstance(module, torch.fx.GraphModule):
        return module
    try:
        return torch.fx.symbolic_trace(module)
    except Exception as e:  # noqa: BLE001 - any tracing failure becomes an import error
        raise ImportFailure(f"the model cannot be traced by torch.fx: {e}") from e


def kind(gm, node):
    """A short name of what a node computes: conv, bn, relu, relu6, linear, add, ..."""
    if node.op == "call_module":
        mod = gm.get_submodule(node.target)
        for cls, name in ((nn.Conv2d, "conv"), (nn.BatchNorm2d, "bn"), (nn.ReLU, "relu"),
                          (nn.ReLU6, "relu6"), (nn.Linear, "linear"),
                          (nn.MaxPool2d, "max_pool"), (nn.AvgPool2d, "avg_pool"),
                          (nn.AdaptiveAvgPool2d, "global_avg_pool"), (nn.Flatten, "flatten"),
                          (ops.IDENTITY_MODULES, "identity")):
            if isinstance(mod, cls):
                return name
        return None
    if node.op == "call_function":
        fn = node.target
        if fn in ops.ADD_FUNCTIONS:
            return "add"
        if fn in ops.RELU_FUNCTIONS:
            return "relu"
        if fn in ops.RELU6_FUNCTIONS:
            return "relu6"
        if fn in ops.FLATTEN_FUNCTIONS:
            return "flatten"
        return None
    if node.op == "call_method":
        if node.target in ops.ADD_METHODS:
            return "add"
        if node.target in ops.RELU_METHODS:
            return "relu"
        if node.target in ops.FLATTEN_METHODS:
            return node.target
        if node.target == "size":
            return "size"
    return None


def op_name(gm, node):
    if node.op == "call_module":
        return type(gm.get_submodule(node.target)).__name__
    if node.op == "call_function":
        return getattr(node.target, "__name__", str(node.target))
    return f"{node.op} {node.target}"


def _single_producer(node):
    src = node.args[0]
    if not isinstance(src, torch.fx.Node):
        raise node_error(node.name, node.target, "input is not a tensor")
    return src


def _check_module(gm, node, k, notes):
    mod = gm.get_submodule(node.target)
    name = node.name
    if k == "conv":
        ops.check_conv(name, mod)
    elif k == "bn":
        src = _single_producer(node)
        if kind(gm, src) != "conv" or len(src.users) != 1:
            raise node_error(name, "BatchNorm2d", "can only be folded into a Conv2d whose "
                                                  "output nothing else uses")
        notes.append(f"folded BatchNorm2d '{name}' into Conv2d '{src.name}'")
    elif k == "max_pool":
        ops.check_max_pool(name, mod)
    elif k == "avg_pool":
        ops.check_avg_pool(name, mod)
    elif k == "global_avg_pool":
        ops.check_adaptive_avg_pool(name, mod)
    elif k == "flatten":
        if (mod.start_dim, mod.end_dim) != (1, -1):
            raise node_error(name, "Flatten", f"attributes start_dim={mod.start_dim}, "
                                              f"end_dim={mod.end_dim}: only 1, -1")
    elif k == "identity":
        notes.append(f"dropped {type(mod).__name__} '{name}' (identity at inference)")


def _check_activation(gm, node, k, notes):
    src = _single_producer(node)
    src_kind = kind(gm, src)
    if src_kind not in ("conv", "bn", "linear", "add"):
        raise node_error(node.name, op_name(gm, node),
                         f"a {k} must follow a Conv2d, BatchNorm2d, Linear or add (here: "
                         f"'{src.name}', {op_name(gm, src)}); a standalone {k} is not "
                         "supported")
    if len(src.users) != 1:
        raise node_error(node.name, op_name(gm, node),
                         f"the output of '{src.name}' is also used elsewhere, so the {k} "
                         "cannot be fused into it")
    extra = " (exact only where the int8 range ends at or below 6; checked after " \
            "calibration)" if k == "relu6" else ""
    target = src.args[0].name if src_kind == "bn" else src.name   # the conv the BN folds into
    notes.append(f"fused {op_name(gm, node)} '{node.name}' into '{target}'{extra}")


def _check_add(gm, node):
    args = list(node.args) + list(node.kwargs.values())
    if len(args) != 2 or not all(isinstance(a, torch.fx.Node) for a in args):
        raise node_error(node.name, op_name(gm, node), "only the sum of two tensors (no "
                         "scalar, no alpha) is supported")


def check(gm):
    """Raises ImportFailure on the first unsupported node; returns the fold/fuse notes."""
    notes = []
    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != 1:
        raise ImportFailure(f"the model takes {len(placeholders)} inputs; exactly 1 is "
                            "supported")
    for node in gm.graph.nodes:
        if node.op in ("placeholder", "output"):
            continue
        k = kind(gm, node)
        if k is None:
            raise node_error(node.name, op_name(gm, node), "op not supported by npu-import "
                             "(see docs/import.md for the supported ops)")
        if k in ("relu", "relu6"):
            _check_activation(gm, node, k, notes)
        elif node.op == "call_module":
            _check_module(gm, node, k, notes)
        elif k == "add":
            _check_add(gm, node)
        elif k in ("flatten", "view", "reshape"):
            ops.check_flatten_args(node.name, node.args, node.kwargs, k)
    return notes


def canonicalize(gm):
    """Rewrites x.view(N, -1) / x.reshape(N, -1) / x.flatten(1) as torch.flatten(x, 1) (what
    they compute after check()), so that FX quantization sees one op and no size() nodes,
    which would otherwise stop it from observing the tensors they read."""
    for node in list(gm.graph.nodes):
        if node.op == "call_method" and node.target in ops.FLATTEN_METHODS:
            with gm.graph.inserting_after(node):
                flat = gm.graph.call_function(torch.flatten, (node.args[0], 1))
            node.replace_all_uses_with(flat)
            gm.graph.erase_node(node)
    gm.graph.eliminate_dead_code()
    gm.recompile()
    return gm
