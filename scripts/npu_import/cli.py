"""npu-import command line: model file -> calibrated int8 model.yaml + model.bin."""

import argparse
import os
import sys
import time

import torch

from . import data, graph, lower, quantize, report
from .errors import ImportFailure
from .frontends import torchvision_pth

USAGE_EXAMPLE = """examples:
  npu-import --arch resnet18 --weights resnet18.pth --out models/r18 \\
      --calib-dataset fashion-mnist-train --pad 2 --mean 0.5,0.5,0.5 --std 0.5,0.5,0.5 \\
      --classes fashion-mnist --eval-dataset fashion-mnist-test
  npu-import --onnx resnet18.onnx --out models/r18_onnx --calib-images photos/ \\
      --resize 224 --center-crop 224 --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225
"""


def _ints(text, what, counts):
    try:
        vals = [int(v) for v in text.replace("x", ",").split(",")]
    except ValueError:
        raise ImportFailure(f"{what}: expected integers, got '{text}'") from None
    if len(vals) not in counts or any(v < 0 for v in vals):
        raise ImportFailure(f"{what}: expected {' or '.join(map(str, counts))} non-negative "
                            f"integers, got '{text}'")
    return vals


def _floats(text, what):
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise ImportFailure(f"{what}: expected comma-separated numbers, got '{text}'") from None


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="npu-import", description=__doc__, epilog=USAGE_EXAMPLE,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_argument_group("model (one of)")
    src.add_argument("--arch", help="torchvision architecture (with --weights), e.g. resnet18")
    src.add_argument("--weights", help="state_dict .pth saved by torch.save(model.state_dict())")
    src.add_argument("--onnx", help="float ONNX file (torch.onnx.export, opsets 11-17) or a "
                                    "QDQ-quantized ONNX file")
    src.add_argument("--torchscript", help="TorchScript file (torch.jit.save)")
    ap.add_argument("--out", required=True, help="output folder: model.yaml + model.bin")
    ap.add_argument("--name", help="model name (default: the output folder's name)")
    ap.add_argument("--classes", help="class names: fashion-mnist, a file with one per line, "
                                      "or a comma-separated list")
    pre = ap.add_argument_group("preprocessing (recorded in model.yaml, applied in this order)")
    pre.add_argument("--pad", help="P or L,T,R,B: black border (torchvision Pad)")
    pre.add_argument("--resize", type=int, help="shorter side to N (torchvision Resize(N))")
    pre.add_argument("--center-crop", help="N or HxW (torchvision CenterCrop)")
    pre.add_argument("--mean", help="per-channel mean of Normalize (after ToTensor)")
    pre.add_argument("--std", help="per-channel std of Normalize")
    ap.add_argument("--input-size", help="HxW of the network input (default: the size of a "
                                         "preprocessed calibration image)")
    cal = ap.add_argument_group("calibration")
    cal.add_argument("--calib-dataset", choices=sorted(data.DATASETS))
    cal.add_argument("--calib-images", help="folder of PNG/JPEG/BMP/PPM/PGM images")
    cal.add_argument("--calib-count", type=int, default=500, help="images (default 500)")
    cal.add_argument("--calib-seed", type=int, default=1, help="seed of the random subset")
    cal.add_argument("--observer", choices=quantize.OBSERVERS, default="histogram",
                     help="activation range: minmax, histogram (PyTorch's L2-optimal range; "
                          "default) or percentile")
    cal.add_argument("--percentile", type=float, default=99.99)
    chk = ap.add_argument_group("checks")
    chk.add_argument("--check-count", type=int, default=100,
                     help="calibration images run through the C++ golden model (0: no check)")
    chk.add_argument("--npu-run", help="npu-run executable (default: build/sw/cli/npu-run of "
                                       "this repository)")
    chk.add_argument("--eval-dataset", choices=sorted(data.DATASETS),
                     help="also run PyTorch float and int8 on this dataset and write their "
                          "predictions and logits next to the model")
    chk.add_argument("--eval-count", type=int, help="first N images of --eval-dataset")
    return ap.parse_args(argv)


def preprocess_from(args, channels):
    pre = data.Preprocess(channels=channels)
    if args.pad is not None:
        p = _ints(args.pad, "--pad", (1, 4))
        pre.pad = p * 4 if len(p) == 1 else p
    if args.resize is not None:
        if args.resize < 1:
            raise ImportFailure("--resize must be at least 1")
        pre.resize = args.resize
    if args.center_crop is not None:
        c = _ints(args.center_crop, "--center-crop", (1, 2))
        pre.center_crop = c * 2 if len(c) == 1 else c
    if (args.mean is None) != (args.std is None):
        raise ImportFailure("give --mean and --std together")
    if args.mean is not None:
        pre.mean, pre.std = _floats(args.mean, "--mean"), _floats(args.std, "--std")
        for what, vals in (("--mean", pre.mean), ("--std", pre.std)):
            if len(vals) != channels:
                raise ImportFailure(f"{what}: {len(vals)} values for a {channels}-channel input")
        if any(s <= 0 for s in pre.std):
            raise ImportFailure("--std: every value must be > 0")
    return pre


def class_names(spec, count):
    if spec is None:
        return None
    if spec == "fashion-mnist":
        names = data.FASHION_MNIST_CLASSES
    elif os.path.isfile(spec):
        with open(spec) as f:
            names = [line.strip() for line in f if line.strip()]
    else:
        names = [n.strip() for n in spec.split(",")]
    if len(names) != count:
        raise ImportFailure(f"--classes: {len(names)} names for {count} outputs")
    return names


def load_model(args, input_hw):
    """-> (float module, input channels, notes, fixed input HW or None). input_hw(channels)
    gives the preprocessed image size, for frontends that need it to build the graph."""
    given = [a for a in ("weights", "onnx", "torchscript") if getattr(args, a)]
    if len(given) != 1:
        raise ImportFailure("give exactly one model: --arch with --weights, --onnx or "
                            "--torchscript")
    if args.weights:
        if not args.arch:
            raise ImportFailure("--weights needs --arch (the torchvision architecture)")
        return torchvision_pth.load(args.arch, args.weights) + (None,)
    if args.arch:
        raise ImportFailure("--arch goes with --weights only")
    if args.onnx:
        from .frontends import onnx_model
        return onnx_model.load(args.onnx)
    from .frontends import torchscript
    return torchscript.load(args.torchscript, input_hw)


def calibration_source(args):
    if (args.calib_dataset is None) == (args.calib_images is None):
        raise ImportFailure("give one of --calib-dataset or --calib-images")
    if args.calib_count < 1:
        raise ImportFailure("--calib-count must be at least 1")
    if args.calib_dataset:
        return data.dataset_source(args.calib_dataset)
    return data.folder_source(args.calib_images)


def input_hw(args, calib_x, fixed_hw):
    hw = tuple(calib_x.shape[2:])
    if args.input_size:
        want = tuple(_ints(args.input_size, "--input-size", (2,)))
        if want != hw:
            raise ImportFailure(f"--input-size {want[0]}x{want[1]}, but the preprocessed "
                                f"images are {hw[0]}x{hw[1]} (adjust --pad/--resize/"
                                "--center-crop)")
    if fixed_hw and tuple(fixed_hw) != hw:
        raise ImportFailure(f"the model's input is {fixed_hw[0]}x{fixed_hw[1]}, the "
                            f"preprocessed images are {hw[0]}x{hw[1]}")
    return hw


def log(msg):
    print(msg, flush=True)


def write_model(args, writer, output, pre, source_classes):
    out_features = writer.shape(output)[2]
    classes = class_names(args.classes, out_features)
    if classes is None and source_classes and len(source_classes) == out_features:
        classes = source_classes
    name = args.name or os.path.basename(os.path.normpath(args.out))
    header = "Generated by npu-import (docs/import.md); do not edit. Command: " + \
             " ".join(["npu-import"] + sys.argv[1:])
    writer.write(args.out, name, classes, output, header, pre.yaml_steps())
    h, w, c = writer.shape("input")
    scale, zp = writer.quant("input")
    log(f"wrote {os.path.join(args.out, 'model.yaml')} + model.bin: {len(writer.layers)} "
        f"layers, {len(writer.blob)} bytes of weights, input {h}x{w}x{c} (scale {scale:.6g}, "
        f"zero point {zp})")


def run_qdq(args, model):
    """A QDQ ONNX model: scales and zero points as given, no calibration."""
    from .frontends import qdq
    writer, output, notes = qdq.load(model, args.onnx)
    log(f"model: QDQ-quantized ONNX {args.onnx}: scales and zero points imported as given")
    for n in notes:
        log(f"graph: {n}")
    h, w, c = writer.shape("input")
    pre = preprocess_from(args, c)
    write_model(args, writer, output, pre, None)
    if args.calib_dataset or args.calib_images:
        source = calibration_source(args)
        indices = data.pick(source, min(args.calib_count, args.check_count), args.calib_seed)
        x = data.tensors(source, indices, pre)
        input_hw(args, x, (h, w))
        from . import selfcheck
        selfcheck.run_golden_only(args, writer, output, x, log)


def run(args):
    t0 = time.time()
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    if args.onnx:
        from .frontends import onnx_model
        proto = onnx_model.read(args.onnx)
        if onnx_model.is_qdq(proto):
            run_qdq(args, proto)
            log(f"done in {time.time() - t0:.1f} s")
            return
    source = calibration_source(args)
    indices = data.pick(source, args.calib_count, args.calib_seed)

    def preprocessed_hw(channels):
        first = preprocess_from(args, channels).apply(source.image(indices[0]))
        return tuple(first.shape[1:])

    model, channels, notes, fixed_hw = load_model(args, preprocessed_hw)
    for n in notes:
        log(f"model: {n}")
    pre = preprocess_from(args, channels)
    calib_x = data.tensors(source, indices, pre)
    h, w = input_hw(args, calib_x, fixed_hw)
    log(f"calibration: {len(indices)} images of {source.name}, preprocessed to "
        f"{channels}x{h}x{w}; observer {args.observer}")

    gm = graph.trace(model)
    for n in graph.check(gm):
        log(f"graph: {n}")
    gm = graph.canonicalize(gm)
    prepared, converted = quantize.quantize(gm, data.batches(calib_x, 50), args.observer,
                                            args.percentile)
    low = lower.lower(prepared, converted, (h, w, channels))
    for n in low.notes:
        log(f"graph: {n}")
    write_model(args, low.writer, low.output, pre, source.classes)

    if args.eval_dataset:
        report.evaluate(model, converted, data.dataset_source(args.eval_dataset), pre,
                        args.eval_count, args.out, log)
    if args.check_count > 0:
        from . import selfcheck
        n = min(args.check_count, calib_x.shape[0])
        selfcheck.run(args, model, prepared, converted, low, calib_x[:n],
                      [source.labels[i] for i in indices[:n]] if source.labels is not None
                      else None, log)
    log(f"done in {time.time() - t0:.1f} s")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        run(args)
    except ImportFailure as e:
        print(f"npu-import: error: {e}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"npu-import: error: {e}", file=sys.stderr)
        return 1
    return 0
