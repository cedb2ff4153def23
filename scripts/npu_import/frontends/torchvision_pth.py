"""A torchvision architecture name plus a state_dict saved with
`torch.save(model.state_dict(), path)`. A classifier Linear whose class count differs from
torchvision's (e.g. `model.fc = nn.Linear(512, 10)`) is rebuilt with the state_dict's shape.
The architecture may also be `FILE.py:NAME`: NAME() in the user's own Python file builds it.
"""

import importlib.util
import os

import torch
import torch.nn as nn
import torchvision

from ..errors import ImportFailure


def architectures():
    return sorted(name for name, fn in vars(torchvision.models).items()
                  if callable(fn) and name.islower() and not name.startswith("_")
                  and name not in ("get_model", "get_weight", "list_models", "get_model_weights",
                                   "get_model_builder"))


def _read_state_dict(path):
    try:
        obj = torch.load(path, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - any unpickling failure is a bad file
        raise ImportFailure(f"{path}: cannot be read by torch.load: {e}") from e
    if isinstance(obj, nn.Module):
        raise ImportFailure(f"{path}: holds a whole nn.Module; save model.state_dict() instead")
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise ImportFailure(f"{path}: not a state_dict (a dict of tensors, as "
                            "torch.save(model.state_dict(), path) writes)")
    return obj


def _resize_classifiers(model, state, notes):
    """Rebuilds each Linear whose state_dict weight has another output count."""
    for name, mod in list(model.named_modules()):
        key = f"{name}.weight"
        if not isinstance(mod, nn.Linear) or key not in state:
            continue
        out_f, in_f = state[key].shape if state[key].dim() == 2 else (None, None)
        if out_f is None or in_f != mod.in_features:
            raise ImportFailure(f"state_dict key '{key}': shape {tuple(state[key].shape)}, "
                                f"the architecture needs [K, {mod.in_features}]")
        if out_f != mod.out_features:
            parent = model.get_submodule(name.rpartition(".")[0]) if "." in name else model
            setattr(parent, name.rpartition(".")[2],
                    nn.Linear(in_f, out_f, bias=f"{name}.bias" in state))
            notes.append(f"{name}: Linear({in_f}, {out_f}) as in the state_dict "
                         f"(torchvision's has {mod.out_features} outputs)")


def _check_keys(model, state, path):
    want = model.state_dict()
    missing = [k for k in want if k not in state]
    unexpected = [k for k in state if k not in want]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing keys " + ", ".join(f"'{k}'" for k in missing[:8]) +
                         (f" (+{len(missing) - 8} more)" if len(missing) > 8 else ""))
        if unexpected:
            parts.append("unexpected keys " + ", ".join(f"'{k}'" for k in unexpected[:8]) +
                         (f" (+{len(unexpected) - 8} more)" if len(unexpected) > 8 else ""))
        raise ImportFailure(f"{path}: the state_dict does not fit the architecture: " +
                            "; ".join(parts))
    for k, v in want.items():
        if tuple(state[k].shape) != tuple(v.shape):
            raise ImportFailure(f"{path}: state_dict key '{k}' has shape "
                                f"{tuple(state[k].shape)}, the architecture needs "
                                f"{tuple(v.shape)}")


def _from_file(arch):
    file, _, name = arch.rpartition(":")
    if not os.path.isfile(file):
        raise ImportFailure(f"--arch {arch}: no file '{file}'")
    spec = importlib.util.spec_from_file_location("npu_import_user_arch", file)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as e:  # noqa: BLE001 - the user's file failed to run
        raise ImportFailure(f"--arch {arch}: running '{file}' failed: {e}") from e
    builder = getattr(module, name, None)
    if not callable(builder):
        raise ImportFailure(f"--arch {arch}: '{file}' defines no callable '{name}'")
    model = builder()
    if not isinstance(model, nn.Module):
        raise ImportFailure(f"--arch {arch}: {name}() returned a {type(model).__name__}, not "
                            "an nn.Module")
    return model, f"{name}() of {file}"


def build(arch):
    if arch.endswith(".py") or ".py:" in arch:
        if ":" not in arch:
            raise ImportFailure(f"--arch {arch}: give FILE.py:NAME")
        return _from_file(arch)
    if arch not in architectures():
        raise ImportFailure(f"unknown torchvision architecture '{arch}' (e.g. resnet18, "
                            "resnet34, resnet50, vgg11; or FILE.py:NAME)")
    return getattr(torchvision.models, arch)(weights=None), f"torchvision.models.{arch}()"


def load(arch, path):
    """Returns (float module in eval mode, input channels, notes)."""
    model, what = build(arch)
    state = _read_state_dict(path)
    notes = [f"{what} with the state_dict of {path}"]
    _resize_classifiers(model, state, notes)
    _check_keys(model, state, path)
    model.load_state_dict(state)
    first_conv = next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)
    if first_conv is None:
        raise ImportFailure(f"{arch}: no Conv2d layer")
    return model.eval(), first_conv.in_channels, notes
