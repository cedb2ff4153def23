#!/usr/bin/python3
"""Rebuilds a float torchvision state_dict from an int8 npu model that npu-import made from it.

    npu_model_to_state_dict.py models/resnet18_fmnist/model.yaml --arch resnet18 --out r18.pth

Every conv and fully connected layer of the model is matched by name to the torchvision
module it was imported from (npu-import names layers after their torch.fx nodes). The float
weights are the int8 weights times their per-channel scale; each conv's BatchNorm (folded into
the conv at import) becomes an identity BN whose bias is the dequantized int32 bias. So the
rebuilt float network computes what the int8 network approximates, and npu-import
re-quantizes its weights to exactly the same int8 values (per-channel symmetric min/max: the
largest weight of each channel is 127 * scale again), with the same scales up to float
rounding. Biases and activation quantization come from the new calibration.

This makes an instance of the committed network at another input size (e.g. 224x224 with
resize + center crop) reproducible from the committed int8 files alone, without the 45 MB
float checkpoint.
"""

import argparse
import os
import sys

import numpy as np
import torch
import torch.fx
import torch.nn as nn
import torchvision
import yaml


class Bad(Exception):
    pass


def read_model(yaml_path):
    """(layers in file order, tensor quant by name, weight sections by layer name)."""
    with open(yaml_path) as f:
        doc = yaml.safe_load(f)
    bin_path = os.path.join(os.path.dirname(os.path.abspath(yaml_path)), doc["weights"])
    with open(bin_path, "rb") as f:
        blob = f.read()
    quant = {"input": (float(doc["input"]["scale"]), int(doc["input"]["zero_point"]))}
    channels = {"input": int(doc["input"]["shape"][2])}
    for layer in doc["layers"]:
        out = layer["output"]
        quant[layer["name"]] = (float(out["scale"]), int(out["zero_point"]))
        channels[layer["name"]] = int(out["shape"][2])
    sections, pos = {}, 0
    for layer in doc["layers"]:  # the weight file follows the listed order
        op = layer["op"]
        if op not in ("conv2d", "fully_connected"):
            continue
        src = layer["input"] if isinstance(layer["input"], str) else layer["input"][0]
        src_shape = ([int(doc["input"]["shape"][i]) for i in range(3)] if src == "input" else
                     next(l["output"]["shape"] for l in doc["layers"] if l["name"] == src))
        if op == "conv2d":
            k = layer["kernel"]
            kh, kw = (k, k) if isinstance(k, int) else k
            out_c, in_c = int(layer["out_channels"]), int(src_shape[2])
        else:
            kh = kw = 1
            out_c, in_c = int(layer["out_features"]), int(np.prod(src_shape))
        n_w = out_c * kh * kw * in_c
        end = pos + n_w + (-n_w % 4) + 8 * out_c
        if end > len(blob):
            raise Bad(f"{bin_path}: layer '{layer['name']}' runs past the end of the file")
        w = np.frombuffer(blob, dtype="<i1", count=n_w, offset=pos).reshape(out_c, kh, kw, in_c)
        pos += n_w + (-n_w % 4)
        b = np.frombuffer(blob, dtype="<i4", count=out_c, offset=pos)
        pos += 4 * out_c
        s = np.frombuffer(blob, dtype="<f4", count=out_c, offset=pos)
        pos += 4 * out_c
        sections[layer["name"]] = (op, src, w, b, s)
    if pos != len(blob):
        raise Bad(f"{bin_path}: {len(blob) - pos} bytes left over after the last layer")
    return doc, quant, sections


def conv_bn_pairs(model):
    """fx node name -> (conv module path, its BatchNorm module path or None), and Linear paths."""
    gm = torch.fx.symbolic_trace(model)
    mods = dict(gm.named_modules())
    convs, linears = {}, {}
    for node in gm.graph.nodes:
        if node.op != "call_module":
            continue
        mod = mods[node.target]
        if isinstance(mod, nn.Conv2d):
            users = list(node.users)
            bn = (users[0].target if len(users) == 1 and users[0].op == "call_module"
                  and isinstance(mods[users[0].target], nn.BatchNorm2d) else None)
            convs[node.name] = (node.target, bn)
        elif isinstance(mod, nn.Linear):
            linears[node.name] = node.target
    return convs, linears


def rebuild(yaml_path, arch):
    doc, quant, sections = read_model(yaml_path)
    classes = doc.get("classes")
    fc_out = next(s[2].shape[0] for n, s in sections.items() if s[0] == "fully_connected")
    model = getattr(torchvision.models, arch)(num_classes=fc_out)
    convs, linears = conv_bn_pairs(model)
    state = model.state_dict()
    used = set()
    for name, (op, src, w, b, s) in sections.items():
        in_scale = quant[src][0]
        w_f = torch.from_numpy(w.astype(np.float32) * s.astype(np.float32)[:, None, None, None])
        # The int32 bias is in units of input_scale * weight_scale[c] (docs/model-format.md).
        b_f = torch.from_numpy((b.astype(np.float64) * in_scale * s.astype(np.float64))
                               .astype(np.float32))
        if op == "conv2d":
            if name not in convs:
                raise Bad(f"{yaml_path}: conv layer '{name}' is no Conv2d node of {arch} "
                          f"(known: {', '.join(convs)})")
            conv, bn = convs[name]
            target = state[conv + ".weight"]
            w_oihw = w_f.permute(0, 3, 1, 2).contiguous()
            if target.shape != w_oihw.shape:
                raise Bad(f"{yaml_path}: layer '{name}' weights {tuple(w_oihw.shape)}, "
                          f"{arch}.{conv} has {tuple(target.shape)}")
            state[conv + ".weight"] = w_oihw
            if bn is None:
                raise Bad(f"{yaml_path}: layer '{name}': {arch}.{conv} has no BatchNorm to "
                          f"carry the bias")
            eps = dict(model.named_modules())[bn].eps
            # gamma / sqrt(var + eps) == 1: the folded conv keeps exactly these weights.
            state[bn + ".weight"] = torch.full_like(b_f, float(np.sqrt(1.0 + eps)))
            state[bn + ".bias"] = b_f
            state[bn + ".running_mean"] = torch.zeros_like(b_f)
            state[bn + ".running_var"] = torch.ones_like(b_f)
            used.update({conv, bn})
        else:
            if name not in linears:
                raise Bad(f"{yaml_path}: fully connected layer '{name}' is no Linear node of "
                          f"{arch} (known: {', '.join(linears)})")
            fc = linears[name]
            w_2d = w_f.reshape(w.shape[0], -1)
            if state[fc + ".weight"].shape != w_2d.shape:
                raise Bad(f"{yaml_path}: layer '{name}' weights {tuple(w_2d.shape)}, "
                          f"{arch}.{fc} has {tuple(state[fc + '.weight'].shape)}")
            state[fc + ".weight"] = w_2d
            state[fc + ".bias"] = b_f
            used.add(fc)
    missing = sorted(({c for c, _ in convs.values()} | set(linears.values())) - used)
    if missing:
        raise Bad(f"{yaml_path}: no layer for {arch} module(s) {', '.join(missing)}")
    model.load_state_dict(state)
    return model, classes


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="model.yaml (with model.bin beside it)")
    ap.add_argument("--arch", default="resnet18", help="torchvision architecture name")
    ap.add_argument("--out", required=True, help="state_dict .pth to write")
    args = ap.parse_args()
    try:
        model, _ = rebuild(args.model, args.arch)
    except Bad as e:
        print(f"npu_model_to_state_dict: {e}", file=sys.stderr)
        return 1
    torch.save(model.state_dict(), args.out)
    print(f"wrote {args.out} (torchvision {args.arch}, weights and biases from {args.model})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
