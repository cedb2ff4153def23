"""PyTorch quantized parameters -> the arrays of our weight sections.

PyTorch stores per_channel_symmetric qint8 weights as per_channel_affine with zero points 0;
they map unchanged (OIHW -> OHWI). The bias is quantized as PyTorch's quantized kernels do
at run time: round(b / (input_scale * w_scale[c])) to int32.
"""

import numpy as np
import torch


def per_channel_weights(qweight, what):
    """int8 weights (OIHW or [out, in]) and float64 per-channel scales of a qint8 tensor."""
    if qweight.qscheme() not in (torch.per_channel_symmetric, torch.per_channel_affine) \
            or qweight.q_per_channel_axis() != 0:
        raise ValueError(f"{what}: weight qscheme {qweight.qscheme()} is not per-channel on "
                         "axis 0")
    if int(qweight.q_per_channel_zero_points().abs().max()) != 0:
        raise ValueError(f"{what}: weight zero points are not all 0")
    w = qweight.int_repr().numpy().astype(np.int8)
    if w.min() < -127:
        raise ValueError(f"{what}: weight value -128 (the format takes [-127, 127])")
    return w, qweight.q_per_channel_scales().numpy().astype(np.float64)


def quantize_bias(bias, input_scale, w_scales):
    out = w_scales.shape[0]
    b = np.zeros(out) if bias is None else bias.detach().numpy().astype(np.float64)
    return np.round(b / (input_scale * w_scales)).astype(np.int64)


def ohwi(w):
    """Conv OIHW -> OHWI; Linear [out, in] -> [out, 1, 1, in]."""
    if w.ndim == 2:
        return w.reshape(w.shape[0], 1, 1, w.shape[1])
    return np.ascontiguousarray(w.transpose(0, 2, 3, 1))


def linear_chw_to_hwc(w, h, wd, c):
    """Linear weights over a CHW-flattened input -> over the HWC flattening of the format."""
    out = w.shape[0]
    return np.ascontiguousarray(w.reshape(out, c, h, wd).transpose(0, 2, 3, 1)).reshape(out, -1)


def weight_sections(qweight, bias, input_scale, what):
    """(OHWI int8 weights, int32 bias, float32 scales) of a quantized conv or linear."""
    w, scales = per_channel_weights(qweight, what)
    return ohwi(w), quantize_bias(bias, input_scale, scales), scales.astype(np.float32)
