"""A TorchScript file (torch.jit.save of a scripted or traced model) -> ONNX (torch.onnx.export,
opset 13, in memory) -> the ONNX frontend. TorchScript code cannot be traced by torch.fx; its
ONNX export is the graph of the same computation, with BatchNorm folded into the convs.
"""

import io

import onnx
import torch

from ..errors import ImportFailure
from . import onnx_model

OPSET = 13


def input_channels(module, path):
    for name, p in module.named_parameters():
        if p.dim() == 4:
            return p.shape[1]
    raise ImportFailure(f"{path}: no 4-D (convolution) parameter to take the input channel "
                        "count from")


def load(path, input_hw):
    """input_hw(channels) -> (H, W) of the network input. Returns what onnx_model returns."""
    try:
        module = torch.jit.load(path, map_location="cpu").eval()
    except Exception as e:  # noqa: BLE001 - any load failure is a bad file
        raise ImportFailure(f"{path}: not a TorchScript file (torch.jit.load: {e})") from e
    channels = input_channels(module, path)
    h, w = input_hw(channels)
    buf = io.BytesIO()
    try:
        torch.onnx.export(module, torch.zeros(1, channels, h, w), buf, opset_version=OPSET)
    except Exception as e:  # noqa: BLE001 - ops without an ONNX form
        raise ImportFailure(f"{path}: torch.onnx.export of the TorchScript model failed: {e}") \
            from e
    model = onnx.shape_inference.infer_shapes(onnx.load_from_string(buf.getvalue()))
    gm, ch, notes, hw = onnx_model.from_proto(model, f"export of TorchScript {path}")
    return gm, ch, [f"TorchScript {path} exported to ONNX opset {OPSET} in memory"] + notes, hw
