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

__all__ = ["dataset_from_spec", "held_out_from_spec", "restrict_classes", "as_tensors"]

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
    from tradeoff.empirical.data import stratified_subset, subset, synthetic_dataset

    if spec["source"] == "synthetic":
        from tradeoff.distribution import Distribution

        dist = Distribution(spec["p"], spec["eta"], spec["d"])
        if split == "train":
            return synthetic_dataset(dist, int(spec["n"]), int(spec["sample_seed"]))
        if n_test is None:
            raise ValueError("synthetic test sets need n_test")
        return synthetic_dataset(dist, int(n_test), int(spec["sample_seed"]) + 10_007)
    data = _pool(spec, split, ctx)
    if split == "train":
        indices = _training_indices(spec, data)
        return data if indices is None else subset(data, indices)
    if n_test is not None and int(n_test) < len(data):
        data = stratified_subset(data, int(n_test), 0)
    return data


def held_out_from_spec(spec: Mapping[str, Any], ctx: Context, n: int):
    """At most ``n`` examples that no model trained on ``spec`` has seen: the test split
    (a stratified subset, seed 0, when it has more than ``n``), then, while fewer than ``n``,
    the training-split examples outside the spec's training subset (stratified, seed 0).

    A model trained on 200 of the 4,000 bundled training digits is thus checked on the 1,000
    test digits and 3,800 digits it never saw, which resolves robustness gains of one or two
    points that 1,000 test digits cannot (docs/experiments/index.md). Synthetic specs return
    a fresh sample of ``n`` (as :func:`dataset_from_spec` for ``"test"``).
    """
    from tradeoff.empirical.data import concat_datasets, stratified_subset, subset

    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    test = dataset_from_spec(spec, "test", ctx, n_test=n)
    if spec["source"] == "synthetic" or len(test) >= n:
        return test
    pool = _pool(spec, "train", ctx)
    used = _training_indices(spec, pool)
    if used is None:
        return test
    unused = torch.ones(len(pool), dtype=torch.bool)
    unused[used] = False
    rest = subset(pool, torch.nonzero(unused).flatten())
    if len(rest) > n - len(test):
        rest = stratified_subset(rest, n - len(test), 0)
    return concat_datasets(test, rest)


def _pool(spec: Mapping[str, Any], split: str, ctx: Context):
    """The whole ``split`` of an image spec's source (restricted to its classes)."""
    data = _load_split(spec["source"], split, ctx)
    classes = spec.get("classes")
    return restrict_classes(data, classes) if classes else data


def _training_indices(spec: Mapping[str, Any], pool) -> Tensor | None:
    """Indices of the spec's training subset in ``pool`` (``None``: all of it)."""
    from tradeoff.empirical.data import stratified_indices

    n = spec.get("n")
    if n is None:
        total = len(pool) if spec.get("n_max") is None else min(len(pool), spec["n_max"])
        n = max(pool.num_classes, round(float(spec.get("fraction", 1.0)) * total))
    if int(n) >= len(pool):
        return None
    return stratified_indices(pool, int(n), int(spec.get("subset_seed", 0)))


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
