#!/usr/bin/python3
"""npu-run's preprocessing against the real torchvision/PIL pipeline, byte for byte.

Writes JPEG and PNG images of several sizes and aspect ratios with PIL (downscaling,
upscaling, odd sizes, gray, RGBA, palette), models whose preprocess lists cover every
transform, runs `npu-run --dump-input` on them, and compares each int8 input tensor with

    Image.open(f).convert(mode) -> Resize/Pad/CenterCrop -> ToTensor -> Normalize
    -> torch.quantize_per_tensor(x, scale, zero_point, torch.qint8)

plus the same on Fashion-MNIST test images (--dataset), as torchvision's FashionMNIST
hands them out (PIL mode 'L'), and that an image the list does not bring to the input
size is refused with the model file and both sizes named. Prints, per case, how many
bytes differ and the largest difference; exits 1 if any byte differs or the refusal is
missing, 77 (CTest: skipped) without torch/torchvision.

usage: check_preprocess_vs_torchvision.py NPU_RUN [FASHION_MNIST_DIR]
"""
import gzip
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
    from PIL import Image
    from torchvision import transforms as T
except ImportError as e:  # the check needs PyTorch (scripts/install-deps.sh --train)
    print(f"skipped: {e}")
    sys.exit(77)


def synthetic_image(h, w, seed):
    """Smooth gradients plus noise plus hard edges: every pixel value, and the structure
    that makes resampling and JPEG rounding matter."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 255.0 / max(w - 1, 1)), (y * 255.0 / max(h - 1, 1)),
                     ((x + y) % 64) * 4.0], axis=-1)
    noise = rng.integers(-40, 41, size=(h, w, 3))
    img = np.clip(base + noise, 0, 255).astype(np.uint8)
    img[h // 3: h // 3 + max(h // 8, 1), :, :] = rng.integers(0, 256, size=3, dtype=np.uint8)
    return img


def write_images(folder):
    """(path, description) of every test image."""
    cases = []
    sizes = [(300, 200), (200, 300), (100, 150), (224, 224), (225, 301), (57, 31), (17, 400),
             (601, 449)]
    for i, (h, w) in enumerate(sizes):
        rgb = Image.fromarray(synthetic_image(h, w, i), "RGB")
        p = os.path.join(folder, f"rgb_{h}x{w}.jpg")
        rgb.save(p, quality=90)
        cases.append(p)
        p = os.path.join(folder, f"rgb_{h}x{w}.png")
        rgb.save(p)
        cases.append(p)
    big = Image.fromarray(synthetic_image(480, 640, 20), "RGB")
    for name, kwargs in [("q75_444", dict(quality=75, subsampling=0)),
                         ("q95_422", dict(quality=95, subsampling=1)),
                         ("progressive", dict(quality=85, progressive=True))]:
        p = os.path.join(folder, f"photo_{name}.jpg")
        big.save(p, **kwargs)
        cases.append(p)
    gray = Image.fromarray(synthetic_image(150, 123, 30)[:, :, 0], "L")
    for ext in ("jpg", "png"):
        p = os.path.join(folder, f"gray_150x123.{ext}")
        gray.save(p)
        cases.append(p)
    rgba = Image.fromarray(synthetic_image(90, 70, 40), "RGB").convert("RGBA")
    rgba.putalpha(Image.fromarray(synthetic_image(90, 70, 41)[:, :, 1], "L"))
    p = os.path.join(folder, "rgba_90x70.png")
    rgba.save(p)
    cases.append(p)
    p = os.path.join(folder, "palette_64x80.png")
    Image.fromarray(synthetic_image(64, 80, 50), "RGB").quantize(colors=37).save(p)
    cases.append(p)
    return cases


# (name, input [h, w, c], scale, zero_point, preprocess list, torchvision transforms)
MODELS = [
    ("resize224_crop224_half", [224, 224, 3], 0.007843137718737125, 0,
     [{"resize": 224}, {"center_crop": 224},
      {"normalize": {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}}],
     [T.Resize(224), T.CenterCrop(224), T.ToTensor(), T.Normalize((0.5,) * 3, (0.5,) * 3)]),
    # Pixel-level: scale 1/255, zero point -128 gives q = pixel - 128, so a difference here
    # is a decoding or resampling difference, not a quantization one.
    ("pixels_resize100_crop_rect", [90, 120, 3], 0.003921568859368563, -128,
     [{"resize": 100}, {"center_crop": [90, 120]}],
     [T.Resize(100), T.CenterCrop((90, 120)), T.ToTensor()]),
    ("imagenet_stats_odd_scale", [160, 160, 3], 0.0187, -7,
     [{"resize": 173}, {"center_crop": 160},
      {"normalize": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}}],
     [T.Resize(173), T.CenterCrop(160), T.ToTensor(),
      T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))]),
    ("gray_pad_resize_crop_bigger", [41, 37, 1], 0.0123, 3,
     [{"pad": [1, 2, 3, 4]}, {"resize": 33}, {"center_crop": [41, 37]},
      {"normalize": {"mean": [0.2860], "std": [0.3530]}}],
     [T.Pad((1, 2, 3, 4)), T.Resize(33), T.CenterCrop((41, 37)), T.ToTensor(),
      T.Normalize((0.2860,), (0.3530,))]),
]

# Quantization rounding: with scale float32(2/255), x = pixel / 255 and an odd zero point,
# 64 of the 256 pixel values land exactly on a half step of x * (1 / scale) (so half to
# even vs away, and adding the zero point before vs after rounding, both show), and one
# rounds differently if x / scale is used instead of x * (1 / scale).
QUANT_MODEL = ("every_pixel_value_ties", [16, 16, 1], 0.007843137718737125, -127,
               [{"normalize": {"mean": [0.0], "std": [1.0]}}],
               [T.ToTensor(), T.Normalize((0.0,), (1.0,))])

# The Fashion-MNIST model of the workload: 28x28 gray, gray -> RGB, Pad(2), Normalize.
FMNIST_MODEL = ("fmnist_rgb_pad2", [32, 32, 3], 0.007843137718737125, 0,
                [{"pad": 2}, {"normalize": {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}}],
                [T.Pad(2), T.ToTensor(), T.Normalize((0.5,) * 3, (0.5,) * 3)])
FMNIST_COUNT = 50


def flow(values):
    return "[" + ", ".join(str(v) for v in values) + "]"


def yaml_step(step):
    (key, value), = step.items()
    if key == "normalize":
        return f"  - normalize: {{mean: {flow(value['mean'])}, std: {flow(value['std'])}}}\n"
    return f"  - {key}: {flow(value) if isinstance(value, list) else value}\n"


def write_model(folder, name, shape, scale, zero_point, steps):
    """A one-layer model (global average pool: no weights) with the given input."""
    path = os.path.join(folder, name + ".yaml")
    open(os.path.join(folder, name + ".bin"), "wb").close()
    quant = f"scale: {scale!r}, zero_point: {zero_point}"
    with open(path, "w") as f:
        f.write(f"format: npu-model-2\nname: {name}\nweights: {name}.bin\n"
                f"input: {{shape: {flow(shape)}, {quant}}}\npreprocess:\n")
        f.writelines(yaml_step(s) for s in steps)
        f.write(f"layers:\n  - {{name: gap, op: global_avg_pool, input: input,\n"
                f"     output: {{shape: [1, 1, {shape[2]}], {quant}}}}}\n")
    return path


def torch_input(pil_image, shape, scale, zero_point, tfms):
    mode = "RGB" if shape[2] == 3 else "L"
    x = T.Compose(tfms)(pil_image.convert(mode))
    q = torch.quantize_per_tensor(x, scale, zero_point, torch.qint8).int_repr()
    return q.permute(1, 2, 0).contiguous().numpy().astype(np.int8).reshape(-1)


def npu_inputs(npu_run, model, args, count, shape, folder):
    dump = os.path.join(folder, "dump.bin")
    subprocess.run([npu_run, "--model", model, *args, "--dump-input", dump, "--quiet",
                    "--threads", "1"], check=True, stdout=subprocess.DEVNULL)
    data = np.fromfile(dump, dtype=np.int8)
    per = shape[0] * shape[1] * shape[2]
    if data.size != count * per:
        raise SystemExit(f"{model}: --dump-input wrote {data.size} bytes, expected {count * per}")
    return data.reshape(count, per)


def compare(label, ours, theirs):
    diff = np.abs(ours.astype(np.int32) - theirs.astype(np.int32))
    bad = int(np.count_nonzero(diff))
    print(f"{'ok  ' if bad == 0 else 'DIFF'} {label}: {bad} of {diff.size} bytes differ"
          + (f", max |diff| {int(diff.max())}" if bad else ""))
    return bad


def wrong_size_is_refused(npu_run, model, folder):
    """An image the list does not bring to the input size (32x32 + Pad(2) is 36x36) stops
    the run with a message naming the model file and both sizes."""
    padded = os.path.join(folder, "already_padded_32x32.png")
    Image.fromarray(np.zeros((32, 32), dtype=np.uint8), "L").save(padded)
    run = subprocess.run([npu_run, "--model", model, "--image", padded], capture_output=True,
                         text=True)
    expected = (f"model '{model}': its preprocess list turns a 32x32 image into 36x36, "
                "but the input is 32x32")
    ok = run.returncode == 1 and expected in run.stderr
    print(f"{'ok  ' if ok else 'FAIL'} wrong size refused (exit {run.returncode}): "
          f"{run.stderr.strip().splitlines()[-1] if run.stderr.strip() else '(no message)'}")
    return ok


def read_idx_images(path, count):
    with gzip.open(path, "rb") as f:
        head = f.read(16)
        n, h, w = (int.from_bytes(head[i:i + 4], "big") for i in (4, 8, 12))
        return np.frombuffer(f.read(count * h * w), dtype=np.uint8).reshape(count, h, w)


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    npu_run = sys.argv[1]
    fmnist_dir = sys.argv[2] if len(sys.argv) == 3 else os.environ.get(
        "NPU_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        images = write_images(folder)
        for name, shape, scale, zp, steps, tfms in MODELS:
            model = write_model(folder, name, shape, scale, zp, steps)
            args = [a for p in images for a in ("--image", p)]
            ours = npu_inputs(npu_run, model, args, len(images), shape, folder)
            for i, p in enumerate(images):
                theirs = torch_input(Image.open(p), shape, scale, zp, tfms)
                failures += compare(f"{name} {os.path.basename(p)}", ours[i], theirs) > 0
        name, shape, scale, zp, steps, tfms = QUANT_MODEL
        model = write_model(folder, name, shape, scale, zp, steps)
        every_value = os.path.join(folder, "every_value_16x16.png")
        Image.fromarray(np.arange(256, dtype=np.uint8).reshape(16, 16), "L").save(every_value)
        ours = npu_inputs(npu_run, model, ["--image", every_value], 1, shape, folder)
        theirs = torch_input(Image.open(every_value), shape, scale, zp, tfms)
        failures += compare(f"{name} every_value_16x16.png", ours[0], theirs) > 0
        name, shape, scale, zp, steps, tfms = FMNIST_MODEL
        model = write_model(folder, name, shape, scale, zp, steps)
        ours = npu_inputs(npu_run, model, ["--dataset", "fashion-mnist-test", "--count",
                                           str(FMNIST_COUNT)], FMNIST_COUNT, shape, folder)
        pixels = read_idx_images(os.path.join(fmnist_dir, "t10k-images-idx3-ubyte.gz"),
                                 FMNIST_COUNT)
        theirs = np.stack([torch_input(Image.fromarray(p, "L"), shape, scale, zp, tfms)
                           for p in pixels])
        failures += compare(f"{name} fashion-mnist-test [0, {FMNIST_COUNT})", ours, theirs) > 0
        failures += not wrong_size_is_refused(npu_run, model, folder)
    print("all inputs identical" if failures == 0 else f"{failures} case(s) differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
