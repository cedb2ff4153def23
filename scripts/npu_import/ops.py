"""The torch ops the importer translates, and their attribute checks (shared by the float
graph check and the lowering, so that both agree on what is supported)."""

import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

from .errors import node_error

ADD_FUNCTIONS = {operator.add, operator.iadd, torch.add}
ADD_METHODS = {"add", "add_"}
RELU_FUNCTIONS = {F.relu, torch.relu, torch.relu_}
RELU_METHODS = {"relu", "relu_"}
RELU6_FUNCTIONS = {F.relu6}
FLATTEN_FUNCTIONS = {torch.flatten}
FLATTEN_METHODS = {"flatten", "view", "reshape"}
IDENTITY_MODULES = (nn.Identity, nn.Dropout)


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def check_conv(node, conv):
    op = "Conv2d"
    if conv.groups != 1:
        raise node_error(node, op, f"attribute groups={conv.groups}: only 1 is supported")
    if pair(conv.dilation) != (1, 1):
        raise node_error(node, op, f"attribute dilation={conv.dilation}: only 1 is supported")
    if conv.padding_mode != "zeros":
        raise node_error(node, op, f"attribute padding_mode='{conv.padding_mode}': only "
                                   "'zeros' is supported")
    if isinstance(conv.padding, str):
        raise node_error(node, op, f"attribute padding='{conv.padding}': give the padding "
                                   "as integers")


def conv_geometry(conv):
    """(stride, padding t/l/b/r) of an nn.Conv2d or pooling module."""
    ph, pw = pair(conv.padding)
    return pair(conv.stride), (ph, pw, ph, pw)


def check_max_pool(node, pool):
    op = "MaxPool2d"
    if pair(pool.dilation) != (1, 1):
        raise node_error(node, op, f"attribute dilation={pool.dilation}: only 1 is supported")
    if pool.ceil_mode:
        raise node_error(node, op, "attribute ceil_mode=True: only False is supported")
    if pool.return_indices:
        raise node_error(node, op, "attribute return_indices=True is not supported")


def check_avg_pool(node, pool):
    op = "AvgPool2d"
    if pool.ceil_mode:
        raise node_error(node, op, "attribute ceil_mode=True: only False is supported")
    if not pool.count_include_pad:
        raise node_error(node, op, "attribute count_include_pad=False: the hardware divides "
                                   "by the full window (count_include_pad=True)")
    if pool.divisor_override is not None:
        raise node_error(node, op, f"attribute divisor_override={pool.divisor_override} is "
                                   "not supported")


def check_adaptive_avg_pool(node, pool):
    if pair(pool.output_size) != (1, 1):
        raise node_error(node, "AdaptiveAvgPool2d", f"attribute output_size="
                         f"{pool.output_size}: only 1 (global average pool) is supported")


def check_flatten_args(node, args, kwargs, what):
    """torch.flatten(x, 1) / x.flatten(1) / x.view(N, -1) / x.reshape(x.size(0), -1)."""
    if what == "flatten":
        start = args[1] if len(args) > 1 else kwargs.get("start_dim", 0)
        end = args[2] if len(args) > 2 else kwargs.get("end_dim", -1)
        if start != 1 or end != -1:
            raise node_error(node, "flatten", f"attributes start_dim={start}, end_dim={end}: "
                                              "only start_dim=1, end_dim=-1 is supported")
        return
    shape = list(args[1:])
    if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
        shape = list(shape[0])
    if len(shape) != 2 or shape[1] != -1:
        raise node_error(node, what, f"shape {shape}: only (batch, -1) is supported")


def check_linear(node, linear):
    if not isinstance(linear, nn.Linear):
        raise node_error(node, type(linear).__name__, "is not a Linear")
