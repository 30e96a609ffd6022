"""The dataset a data spec describes (training subsets, test subsets, class restrictions).

A *data spec* is a JSON-able dict: ``source`` (a :func:`tradeoff.empirical.data.load_dataset`
name, or ``"synthetic"``), ``n`` (training subset size), else ``fraction`` of
``min(size, n_max)``, ``subset_seed``, and ``classes`` (keep these classes only, relabelled
0, 1, ...; E-LIN). Synthetic specs hold ``p``, ``eta``, ``d``, ``n`` and ``sample_seed``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch import Tensor
from tradeoff.empirical.experiments.context import Context

__all__ = ["dataset_from_spec", "restrict_classes", "as_tensors"]

_CACHE: dict[tuple, Any] = {}


def _load_split(source: str, split: str, ctx: Context):
    from tradeoff.empirical.data import load_dataset

    key = (source, split, ctx.data_root)
    if key not in _CACHE:
        _CACHE[key] = load_dataset(source, split=split, root=ctx.data_root,
                                   download=ctx.download)
    return _CACHE[key]


def dataset_from_spec(spec: Mapping[str, Any], split: str, ctx: Context,
                      n_test: int | None = None):
    """The ``split`` (``"train"`` or ``"test"``) of the dataset ``spec`` describes.

    ``n_test`` (an argument, so that it is not part of a model's training spec) takes a
    stratified subset of the test split (seed 0); synthetic test sets are a fresh sample of
    that size, independent of the training sample.
    """
    from tradeoff.empirical.data import stratified_subset, synthetic_dataset

    if spec["source"] == "synthetic":
        from tradeoff.distribution import Distribution

        dist = Distribution(spec["p"], spec["eta"], spec["d"])
        if split == "train":
            return synthetic_dataset(dist, int(spec["n"]), int(spec["sample_seed"]))
        if n_test is None:
            raise ValueError("synthetic test sets need n_test")
        return synthetic_dataset(dist, int(n_test), int(spec["sample_seed"]) + 10_007)
    data = _load_split(spec["source"], split, ctx)
    classes = spec.get("classes")
    if classes:
        data = restrict_classes(data, classes)
    if split == "train":
        n = spec.get("n")
        if n is None:
            total = len(data) if spec.get("n_max") is None else min(len(data), spec["n_max"])
            n = max(data.num_classes, round(float(spec.get("fraction", 1.0)) * total))
    else:
        n = n_test
        spec = {**spec, "subset_seed": 0}
    if n is not None and int(n) < len(data):
        data = stratified_subset(data, int(n), int(spec.get("subset_seed", 0)))
    return data


def restrict_classes(data, classes: Sequence[int]):
    """The examples of ``classes`` only, relabelled ``0 .. len(classes)-1`` (an ArrayDataset)."""
    from tradeoff.empirical.data import ArrayDataset

    x, y = as_tensors(data)
    keep = torch.zeros_like(y, dtype=torch.bool)
    new_y = torch.zeros_like(y)
    for i, c in enumerate(classes):
        keep |= y == c
        new_y[y == c] = i
    return ArrayDataset(x[keep], new_y[keep], num_classes=len(classes), mean=data.mean,
                        std=data.std, box=data.box, name=f"{data.name}{list(classes)}")


def as_tensors(data, n: int | None = None) -> tuple[Tensor, Tensor]:
    """``(x, y)`` tensors of the first ``n`` examples (all by default) of any dataset."""
    if hasattr(data, "x") and hasattr(data, "y"):
        x, y = data.x, data.y
        return (x, y) if n is None else (x[:n], y[:n])
    count = len(data) if n is None else min(n, len(data))
    items = [data[i] for i in range(count)]
    return (torch.stack([torch.as_tensor(a) for a, _ in items]),
            torch.as_tensor([int(b) for _, b in items], dtype=torch.int64))
