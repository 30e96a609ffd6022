"""Held-out data of a trained model (the robustness check's points, issue 8): the test split,
then the training examples outside the model's training subset; never an example it saw."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from tradeoff.empirical.data import (
    ArrayDataset,
    LabeledConcat,
    LabeledSubset,
    concat_datasets,
    load_dataset,
    stratified_indices,
    stratified_subset,
)
from tradeoff.empirical.experiments.context import Context
from tradeoff.empirical.experiments.datasets import dataset_from_spec, held_out_from_spec


def _rows(ds) -> list[bytes]:
    return [bytes(r) for r in (ds.x.numpy().reshape(len(ds), -1) * 255).round().astype(np.uint8)]


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return Context(out=str(tmp_path_factory.mktemp("held_out")))


@pytest.fixture(scope="module")
def pool_rows():
    train = load_dataset("mnist-bundled", split="train")
    test = load_dataset("mnist-bundled", split="test")
    rows = _rows(train) + _rows(test)
    # The disjointness checks below compare images; they need the 5,000 digits to be distinct.
    assert len(set(rows)) == len(rows)
    return rows


@pytest.mark.parametrize(("fraction", "n", "expected"), [
    (0.05, 5000, 1000 + 3800),   # 200 training digits: every other digit is held out
    (0.25, 5000, 1000 + 3000),
    (0.05, 1500, 1500),          # capped at n: the test split, then 500 unused training digits
    (1.0, 5000, 1000),           # negative control: no unused training digit exists
    (0.05, 300, 300),            # fewer than the test split: a stratified test subset only
])
def test_held_out_points_are_never_training_points(ctx, pool_rows, fraction, n, expected):
    spec = {"source": "mnist-bundled", "fraction": fraction, "subset_seed": 1}
    train = dataset_from_spec(spec, "train", ctx)
    held = held_out_from_spec(spec, ctx, n)
    assert len(held) == expected
    seen = set(_rows(train))
    held_rows = _rows(held)
    assert not seen & set(held_rows)
    assert len(set(held_rows)) == len(held_rows)  # no point counted twice
    test = dataset_from_spec(spec, "test", ctx, n_test=n)
    # The test split comes first (the check of a full-data model is unchanged by the fill).
    assert held_rows[:len(test)] == _rows(test)
    counts = torch.bincount(held.y, minlength=10)
    assert int(counts.min()) > 0 and held.num_classes == 10 and held.box == (0.0, 1.0)
    assert held.mean == train.mean and held.std == train.std


def test_held_out_fill_is_the_whole_complement_of_the_training_subset(ctx, pool_rows):
    spec = {"source": "mnist-bundled", "fraction": 0.05, "subset_seed": 2}
    train = dataset_from_spec(spec, "train", ctx)
    held = held_out_from_spec(spec, ctx, 10_000)
    # Witness: training digits + held-out digits are exactly the 5,000 bundled digits.
    assert sorted(_rows(train) + _rows(held)) == sorted(pool_rows)


def test_held_out_rejects_bad_n(ctx):
    spec = {"source": "mnist-bundled", "fraction": 0.05, "subset_seed": 0}
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="n must be an integer >= 1"):
            held_out_from_spec(spec, ctx, bad)


def test_stratified_indices_are_the_subset():
    train = load_dataset("mnist-bundled", split="train")
    idx = stratified_indices(train, 321, 4)
    assert torch.equal(train.x[idx], stratified_subset(train, 321, 4).x)
    assert torch.all(idx[1:] > idx[:-1])


def test_concat_of_lazy_datasets_keeps_order_and_labels():
    a = ArrayDataset(torch.rand(4, 3), torch.tensor([0, 1, 0, 1]), box=(0.0, 1.0))
    b = ArrayDataset(torch.rand(3, 3), torch.tensor([1, 1, 0]), box=(0.0, 1.0))
    arrays = concat_datasets(a, b)
    assert isinstance(arrays, ArrayDataset) and len(arrays) == 7
    lazy = concat_datasets(LabeledSubset(a, torch.arange(4)), b)
    assert isinstance(lazy, LabeledConcat) and len(lazy) == 7
    for i in range(7):
        assert torch.equal(lazy[i][0], arrays.x[i]) and int(lazy[i][1]) == int(arrays.y[i])
    assert torch.equal(lazy.targets, arrays.y)
    assert torch.equal(lazy[-1][0], arrays.x[-1])
    with pytest.raises(IndexError):
        lazy[7]
    other = ArrayDataset(torch.rand(2, 3), torch.tensor([0, 1]), box=(0.0, 2.0))
    with pytest.raises(ValueError, match="different box"):
        concat_datasets(a, other)
