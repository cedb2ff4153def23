"""Constant folding of the shape arithmetic torch.onnx.export writes around Pad, Reshape and
friends: a node whose inputs are all constants is evaluated here with numpy, so that only the
network's own ops reach the translator."""

import numpy as np
import onnx

from ..errors import node_error


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _axes(node, args, a):
    return list(a["axes"]) if "axes" in a else [int(v) for v in args[1]]


def _slice(node, args, a):
    data, starts, ends = args[0], args[1], args[2]
    axes = args[3] if len(args) > 3 and args[3] is not None else range(len(starts))
    steps = args[4] if len(args) > 4 and args[4] is not None else [1] * len(starts)
    index = [slice(None)] * data.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        index[int(ax)] = slice(int(s), int(e), int(st))
    return data[tuple(index)]


def _constant_of_shape(node, args, a):
    value = onnx.numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
    return np.full(tuple(int(v) for v in args[0]), value.reshape(-1)[0], dtype=value.dtype)


FOLDERS = {
    "ConstantOfShape": _constant_of_shape,
    "Concat": lambda n, x, a: np.concatenate(x, axis=a.get("axis", 0)),
    "Reshape": lambda n, x, a: x[0].reshape([int(v) for v in x[1]]),
    "Slice": _slice,
    "Transpose": lambda n, x, a: np.transpose(x[0], a.get("perm")),
    "Cast": lambda n, x, a: x[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]]),
    "Unsqueeze": lambda n, x, a: np.expand_dims(x[0], tuple(_axes(n, x, a))),
    "Squeeze": lambda n, x, a: np.squeeze(x[0], tuple(_axes(n, x, a))) if
    ("axes" in a or len(x) > 1) else np.squeeze(x[0]),
    "Gather": lambda n, x, a: np.take(x[0], x[1], axis=a.get("axis", 0)),
    "Add": lambda n, x, a: x[0] + x[1],
    "Sub": lambda n, x, a: x[0] - x[1],
    "Mul": lambda n, x, a: x[0] * x[1],
}


def try_fold(node, label, consts):
    """Evaluates node into consts if it is foldable and all its inputs are constants."""
    fold = FOLDERS.get(node.op_type)
    present = [i for i in node.input if i]
    if fold is None or not all(i in consts for i in present):
        return False
    args = [consts[i] if i else None for i in node.input]
    try:
        consts[node.output[0]] = np.asarray(fold(node, args, _attrs(node)))
    except Exception as e:  # noqa: BLE001 - a malformed constant expression
        raise node_error(label, node.op_type, f"cannot evaluate on constants: {e}") from e
    return True
