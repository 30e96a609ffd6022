"""Miniature on-disk copies of MNIST, CIFAR-10 and ImageNet for the test-suite, built from the
20 labelled images of each shipped with ``foolbox`` (:func:`tradeoff.empirical.data.
foolbox_samples`), so that the torchvision loaders are tested without a download. Every file is
written with :mod:`tradeoff._io`.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tradeoff.empirical.data import foolbox_samples

from tradeoff._io import atomic_write, atomic_write_bytes

__all__ = ["write_mnist_raw", "write_cifar10_batches", "write_imagenet_tree"]


def write_mnist_raw(root: str | os.PathLike) -> Path:
    """Write foolbox's 20 MNIST digits as a miniature torchvision MNIST (``root/MNIST/raw``, idx
    format, the same 20 images for the train and test split). Returns ``root``."""
    images, labels = foolbox_samples("mnist")
    images = np.stack(images).astype(np.uint8)
    raw = Path(root) / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    n, h, w = images.shape
    for prefix in ("train", "t10k"):
        # idx headers: magic 2051 (ubyte, 3 dimensions) / 2049 (ubyte, 1 dimension), then sizes
        header = struct.pack(">IIII", 2051, n, h, w)
        atomic_write_bytes(raw / f"{prefix}-images-idx3-ubyte", header + images.tobytes())
        header = struct.pack(">II", 2049, n)
        atomic_write_bytes(raw / f"{prefix}-labels-idx1-ubyte", header + bytes(labels.tolist()))
    return Path(root)


def write_cifar10_batches(root: str | os.PathLike) -> Path:
    """Write foolbox's 20 CIFAR-10 images as a miniature ``root/cifar-10-batches-py`` (each of the
    5 training batches and the test batch holds the same 20 images). Returns ``root``.

    The real archive's MD5 sums cannot match, so torchvision's integrity check must be bypassed to
    read it (tests patch ``CIFAR10._check_integrity``)."""
    images, labels = foolbox_samples("cifar10")
    images = np.stack(images).astype(np.uint8)
    folder = Path(root) / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    flat = images.transpose(0, 3, 1, 2).reshape(len(images), -1)
    entry = {"data": flat, "labels": [int(v) for v in labels]}
    for fname in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        atomic_write(folder / fname, lambda fh, entry=entry: pickle.dump(entry, fh))
    names = "airplane automobile bird cat deer dog frog horse ship truck".split()
    atomic_write(folder / "batches.meta", lambda fh: pickle.dump({"label_names": names}, fh))
    return Path(root)


def write_imagenet_tree(root: str | os.PathLike, *, split_dirs: Sequence[str] = ("train", "val")):
    """Write foolbox's 20 labelled ImageNet images as a miniature ImageNet folder.

    Each split folder gets 1000 wnid-like sub-folders ``n00000000 ... n00000999`` (sorted position =
    class index) and each image goes into the folder of its label. Returns ``root``.
    """
    images, labels = foolbox_samples("imagenet")
    from PIL import Image

    for split in split_dirs:
        base = Path(root) / split
        for index in range(1000):
            (base / f"n{index:08d}").mkdir(parents=True, exist_ok=True)
        for i, (img, label) in enumerate(zip(images, labels, strict=True)):
            buffer = io.BytesIO()
            Image.fromarray(img).save(buffer, format="JPEG")
            atomic_write_bytes(base / f"n{int(label):08d}" / f"sample_{i:02d}.JPEG",
                               buffer.getvalue())
    return Path(root)

