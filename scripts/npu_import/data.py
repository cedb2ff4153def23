"""Calibration and evaluation images, preprocessed exactly as the model file records it.

The preprocessing is torchvision's: the image is converted to the input's channel count
(PIL convert('RGB') / ('L')), then Pad, Resize, CenterCrop, ToTensor and Normalize in that
order, each only if asked for. The same list goes into model.yaml (`preprocess`).
"""

import functools
import gzip
import os
from dataclasses import dataclass
from typing import List, Optional

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

from .errors import ImportFailure

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                         "Shirt", "Sneaker", "Bag", "Ankle boot"]
DATASETS = {"fashion-mnist-train": "train", "fashion-mnist-test": "t10k"}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".pgm")


@dataclass
class Preprocess:
    pad: Optional[List[int]] = None            # [left, top, right, bottom]
    resize: Optional[int] = None
    center_crop: Optional[List[int]] = None    # [h, w]
    mean: Optional[List[float]] = None
    std: Optional[List[float]] = None
    channels: int = 3

    def transform(self):
        t = []
        if self.pad:
            t.append(transforms.Pad(tuple(self.pad), fill=0))
        if self.resize:
            t.append(transforms.Resize(self.resize,
                                       interpolation=transforms.InterpolationMode.BILINEAR))
        if self.center_crop:
            t.append(transforms.CenterCrop(tuple(self.center_crop)))
        t.append(transforms.ToTensor())
        if self.mean is not None:
            t.append(transforms.Normalize(self.mean, self.std))
        return transforms.Compose(t)

    def yaml_steps(self):
        """The `preprocess` list of model.yaml (docs/model-format.md)."""
        steps = []
        if self.pad:
            l, t, r, b = self.pad
            steps.append(f"pad: {l}" if l == t == r == b else f"pad: [{l}, {t}, {r}, {b}]")
        if self.resize:
            steps.append(f"resize: {self.resize}")
        if self.center_crop:
            h, w = self.center_crop
            steps.append(f"center_crop: {h}" if h == w else f"center_crop: [{h}, {w}]")
        if self.mean is not None:
            steps.append("normalize: {mean: [" + ", ".join(repr(float(m)) for m in self.mean)
                         + "], std: [" + ", ".join(repr(float(s)) for s in self.std) + "]}")
        return steps

    def apply(self, image):
        mode = "RGB" if self.channels == 3 else "L"
        return self.transform()(image.convert(mode))


def read_idx(path):
    """IDX files: magic (0, 0, 8, ndim), ndim big-endian uint32 sizes, unsigned bytes."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ImportFailure(f"{path}: not an unsigned-byte IDX file")
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ImportFailure(f"{path}: expected {dims} bytes of data, found {data.size}")
    return data.reshape(dims)


class ImageSource:
    """A list of images (PIL, loaded on demand) with optional labels and class names."""

    def __init__(self, name, count, loader, labels=None, classes=None):
        self.name, self.count, self._load = name, count, loader
        self.labels, self.classes = labels, classes

    def image(self, i):
        return self._load(i)


@functools.lru_cache(maxsize=4)
def dataset_source(name, root=FASHION_MNIST_DIR):
    if name not in DATASETS:
        raise ImportFailure(f"unknown dataset '{name}' (known: {', '.join(DATASETS)})")
    split = DATASETS[name]
    images = read_idx(os.path.join(root, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(root, f"{split}-labels-idx1-ubyte.gz"))
    return ImageSource(name, images.shape[0], lambda i: Image.fromarray(images[i], "L"),
                       labels.astype(np.int64), FASHION_MNIST_CLASSES)


def folder_source(path):
    files = []
    for root, _, names in os.walk(path):
        files += [os.path.join(root, n) for n in names if n.lower().endswith(IMAGE_SUFFIXES)]
    if not files:
        raise ImportFailure(f"image folder '{path}' holds no {'/'.join(IMAGE_SUFFIXES)} files")
    files.sort()

    def load(i):
        with Image.open(files[i]) as im:
            return im.copy()
    return ImageSource(path, len(files), load)


def pick(source, count, seed):
    """`count` indices of the source: a seeded random subset (all of them, in order, if the
    source is not larger than count)."""
    if count >= source.count:
        return list(range(source.count))
    gen = torch.Generator().manual_seed(seed)
    return sorted(torch.randperm(source.count, generator=gen)[:count].tolist())


def tensors(source, indices, pre):
    """NCHW float batch of the preprocessed images."""
    return torch.stack([pre.apply(source.image(i)) for i in indices])


def batches(x, size):
    return [x[i:i + size] for i in range(0, x.shape[0], size)]
