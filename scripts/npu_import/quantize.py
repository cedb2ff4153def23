"""Post-training int8 quantization with PyTorch's FX graph mode (qnnpack).

Weights: symmetric per output channel in [-127, 127] (per-channel min/max). Activations:
asymmetric per tensor (quint8, mapped to int8 by the writer), observed by min/max, by
PyTorch's histogram (L2-optimal range) or by a percentile of the histogram. The network input
always uses min/max: its range is fixed by preprocessing and clipping it would lose pixels.
The converted PyTorch model shares every scale, zero point and int8 weight with the export.
"""

import copy

import torch
import torch.ao.quantization as tq
from torch.ao.quantization import QConfigMapping
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx

ENGINE = "qnnpack"
OBSERVERS = ("minmax", "histogram", "percentile")


class PercentileObserver(tq.HistogramObserver):
    """Range = the [100 - p, p] percentiles of the histogram of every value seen."""

    def __init__(self, percentile=99.99, **kwargs):
        super().__init__(**kwargs)
        self.percentile = percentile

    @torch.jit.export
    def calculate_qparams(self):
        if self.min_val == float("inf"):
            return super().calculate_qparams()
        cdf = torch.cumsum(self.histogram, 0) / self.histogram.sum()
        width = (self.max_val - self.min_val) / self.bins
        lo_bin = int(torch.searchsorted(cdf, (100.0 - self.percentile) / 100.0))
        hi_bin = int(torch.searchsorted(cdf, self.percentile / 100.0))
        new_min = self.min_val + width * lo_bin
        new_max = self.min_val + width * min(hi_bin + 1, self.bins)
        return self._calculate_qparams(new_min, new_max)


def weight_observer():
    return tq.PerChannelMinMaxObserver.with_args(
        dtype=torch.qint8, qscheme=torch.per_channel_symmetric, quant_min=-127, quant_max=127)


def activation_observer(kind, percentile):
    common = dict(dtype=torch.quint8, qscheme=torch.per_tensor_affine, reduce_range=False)
    if kind == "minmax":
        return tq.MinMaxObserver.with_args(**common)
    if kind == "histogram":
        return tq.HistogramObserver.with_args(**common)
    if kind == "percentile":
        return PercentileObserver.with_args(percentile=percentile, **common)
    raise ValueError(f"unknown observer '{kind}' (known: {', '.join(OBSERVERS)})")


def _use_minmax_for_input(prepared):
    for node in prepared.graph.nodes:
        if node.op != "placeholder":
            continue
        for user in node.users:
            if user.op == "call_module" and isinstance(prepared.get_submodule(user.target),
                                                       tq.ObserverBase):
                setattr(prepared, user.target, tq.MinMaxObserver(
                    dtype=torch.quint8, qscheme=torch.per_tensor_affine, reduce_range=False))


def quantize(float_module, calibration, observer="histogram", percentile=99.99):
    """FX PTQ of an eval-mode float module on `calibration` (an iterable of NCHW batches).

    Returns (prepared, converted): the prepared module holds the observers (their qparams are
    what convert used) and the BN-folded float layers; converted is PyTorch's int8 model.
    """
    torch.backends.quantized.engine = ENGINE
    qconfig = tq.QConfig(activation=activation_observer(observer, percentile),
                         weight=weight_observer())
    batches = list(calibration)
    prepared = prepare_fx(float_module.eval(), QConfigMapping().set_global(qconfig),
                          (batches[0][:1],))
    _use_minmax_for_input(prepared)
    with torch.no_grad():
        for batch in batches:
            prepared(batch)
    converted = convert_fx(copy.deepcopy(prepared))
    return prepared, converted
