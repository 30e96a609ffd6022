r"""Standard and adversarial training, with resumable checkpoints.

Methods (:class:`TrainConfig.method`):

- ``"standard"``: minimize :math:`\mathbb{E}\,\mathrm{CE}(f(x), y)`.
- ``"pgd"`` (Madry et al. 2018; the paper's adversarial training): minimize
  :math:`\mathbb{E}\max_{\delta \in S(x)} \mathrm{CE}(f(x+\delta), y)`, the inner maximum
  approximated by PGD (E-FIG1, E-FIG7, E-SYN).
- ``"mixed"`` (E-APPB): each batch holds a fraction ``mixed_ratio`` of natural examples and
  adversarial examples for the rest (default 50/50 [choose]).
- ``"trades"`` (Zhang et al. 2019): :math:`\mathrm{CE}(f(x), y) + \beta\,
  \mathrm{KL}(f(x) \,\|\, f(x'))`, :math:`x'` from PGD on the KL term.

Determinism: every epoch draws its data order and its attack / augmentation randomness from
generators seeded by ``(seed, epoch)``, so an epoch's result depends only on the state at its
start. A run resumed from a checkpoint therefore ends bit-for-bit where an uninterrupted run
ends (on CPU; GPU kernels may be non-deterministic). Checkpoints hold tensors and primitive
containers only and are loaded with ``torch.load(..., weights_only=True)``.

Checkpoints are written by time, not by epoch: at most one every ``checkpoint_every_s`` seconds
(default 300) at an epoch boundary, and always after the last epoch; each save replaces the
previous one atomically (:func:`tradeoff._io.atomic_write`). A killed run loses at most that
interval of work and resumes from the last save exactly as from an epoch-by-epoch save.

Scale (docs/scale.md): under ``torchrun`` (:mod:`tradeoff.empirical.distributed`) every model is
trained with DistributedDataParallel — each rank takes its share of every global batch, attacks
it itself, gradients are averaged so that the update is the one-process update of the global
batch, metrics are summed across ranks once per epoch, and only rank 0 writes checkpoints. The
loop never synchronises host and device per step (metrics accumulate on the device and are read
once per epoch); on CUDA it enables cudnn autotuning, TF32 (``tf32``) and channels-last memory
for convolutional models; ``compile=True`` wraps the model in :func:`torch.compile`.
"""

from __future__ import annotations

import dataclasses
import math
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset
from tradeoff.empirical import distributed
from tradeoff.empirical.attacks import NORMS, pgd
from tradeoff.empirical.devices import autocast_dtype, configure_backends, resolve_device
from tradeoff.empirical.evaluate import accuracy

from tradeoff._io import atomic_write

__all__ = [
    "METHODS",
    "TrainConfig",
    "train",
    "seed_everything",
    "load_checkpoint",
    "CHECKPOINT_NAME",
    "DEFAULT_CHECKPOINT_EVERY_S",
]

METHODS = ("standard", "pgd", "mixed", "trades")
CHECKPOINT_NAME = "checkpoint.pt"
_CHECKPOINT_FORMAT = 1
# Config fields that may change between a run and its resumption.
_RESUMABLE_FIELDS = ("epochs", "progress", "device", "num_workers", "amp", "checkpoint_every_s",
                     "compile", "tf32")
DEFAULT_CHECKPOINT_EVERY_S = 300.0
"""Default :attr:`TrainConfig.checkpoint_every_s`: at most one checkpoint every five minutes."""
_FROM_DATA = "data"


@dataclass
class TrainConfig:
    """Settings of one training run (all primitives, recorded in checkpoints and results).

    Parameters
    ----------
    method : {"standard", "pgd", "mixed", "trades"}
    eps_train : float
        Training radius of the adversary (ignored by ``"standard"``).
    norm : {"inf", "2"}
    attack_steps : int
        PGD steps of the training adversary.
    attack_step_size : float, optional
        Default ``2.5 * eps_train / attack_steps`` (Madry et al.).
    attack_restarts : int
        Restarts of the training adversary (default 1).
    random_start : bool
        Random start of the training adversary [code].
    epochs, batch_size, lr, momentum, weight_decay, nesterov
        SGD settings (``momentum`` and ``nesterov`` unused by Adam).
    lr_milestones : sequence of int
        Epochs (0-based, as ``MultiStepLR``) from which the learning rate is multiplied by
        another factor ``lr_gamma``.
    lr_gamma : float
    optimizer : {"sgd", "adam"}
    mixed_ratio : float
        E-APPB: fraction of natural examples in each batch of ``"mixed"`` training.
    trades_beta : float
        Weight of TRADES's KL term.
    amp : bool
        Mixed precision (bfloat16 autocast where supported, else float16 with a gradient
        scaler); used on CUDA only.
    seed : int
    device : str, optional
        Default ``"cuda"`` when available, else ``"cpu"``.
    box : (float, float), None or "data"
        Valid-input box of the training adversary; default the dataset's ``.box``.
    augment : {None, "flip", "crop_flip"}
        On-device augmentation of in-memory image data: horizontal flips, and random crops with
        4-pixel zero padding (the usual CIFAR-10 recipe). ``None`` for no augmentation.
    steps_per_epoch : int, optional
        Batches per epoch (Restricted ImageNet [code]: 300); default one pass over the data.
    num_workers : int
        DataLoader workers for lazy datasets.
    progress : bool
        Show tqdm progress bars (only on a terminal).
    checkpoint_every_s : float
        Minimum seconds between two checkpoints (written at epoch boundaries; the last epoch is
        always saved). ``0`` saves after every epoch. Default ``$TRADEOFF_CHECKPOINT_EVERY_S``
        or 300 (``tradeoff run --checkpoint-every`` sets the variable).
    compile : bool
        Wrap the model in :func:`torch.compile` for training and the training attack. Default
        ``$TRADEOFF_COMPILE == "1"`` (``tradeoff run --compile``).
    tf32 : bool
        Allow TF32 matrix products and convolutions on CUDA (Ampere and later).
    """

    method: str = "standard"
    eps_train: float = 0.0
    norm: str = "inf"
    attack_steps: int = 7
    attack_step_size: float | None = None
    attack_restarts: int = 1
    random_start: bool = True
    epochs: int = 10
    batch_size: int = 128
    lr: float = 0.1
    momentum: float = 0.9
    weight_decay: float = 5e-4
    nesterov: bool = False
    lr_milestones: Sequence[int] = field(default_factory=tuple)
    lr_gamma: float = 0.1
    optimizer: str = "sgd"
    mixed_ratio: float = 0.5
    trades_beta: float = 6.0
    amp: bool = True
    seed: int = 0
    device: str | None = None
    box: tuple[float, float] | None | str = _FROM_DATA
    augment: str | None = None
    steps_per_epoch: int | None = None
    num_workers: int = 0
    progress: bool = True
    checkpoint_every_s: float = field(default_factory=lambda: _env_float(
        "TRADEOFF_CHECKPOINT_EVERY_S", DEFAULT_CHECKPOINT_EVERY_S))
    compile: bool = field(default_factory=lambda: os.environ.get("TRADEOFF_COMPILE") == "1")
    tf32: bool = True

    def __post_init__(self) -> None:
        def nonneg(name: str) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{name} must be a real number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be finite and >= 0, got {value}")

        def posint(name: str, low: int = 1) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")

        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if self.norm not in NORMS:
            raise ValueError(f"norm must be 'inf' or '2', got {self.norm!r}")
        if self.optimizer not in ("sgd", "adam"):
            raise ValueError(f"optimizer must be 'sgd' or 'adam', got {self.optimizer!r}")
        if self.augment not in (None, "flip", "crop_flip"):
            raise ValueError(f"augment must be None, 'flip' or 'crop_flip', got {self.augment!r}")
        for name in ("eps_train", "momentum", "weight_decay", "trades_beta",
                     "checkpoint_every_s"):
            nonneg(name)
        for name in ("lr", "lr_gamma"):
            nonneg(name)
            if getattr(self, name) == 0:
                raise ValueError(f"{name} must be > 0")
        posint("attack_steps", 0)
        posint("attack_restarts")
        posint("epochs", 0)
        posint("batch_size")
        posint("seed", 0)
        posint("num_workers", 0)
        if self.steps_per_epoch is not None:
            posint("steps_per_epoch")
        if self.attack_step_size is not None:
            nonneg("attack_step_size")
        if not 0.0 <= float(self.mixed_ratio) <= 1.0:
            raise ValueError(f"mixed_ratio must be in [0, 1], got {self.mixed_ratio}")
        milestones = tuple(int(m) for m in self.lr_milestones)
        if any(m < 0 for m in milestones) or list(milestones) != sorted(milestones):
            raise ValueError(f"lr_milestones must be increasing epochs >= 0, got {milestones}")
        self.lr_milestones = milestones
        if self.box not in (None, _FROM_DATA):
            lo, hi = float(self.box[0]), float(self.box[1])
            if not lo < hi:
                raise ValueError(f"box must be (low, high) with low < high, got {self.box}")
            self.box = (lo, hi)
        if self.method != "standard" and self.attack_steps == 0 and self.eps_train > 0:
            raise ValueError(f"method {self.method!r} needs attack_steps >= 1")

    @property
    def step_size(self) -> float:
        """The training adversary's step size (``attack_step_size`` or its default)."""
        if self.attack_step_size is not None:
            return float(self.attack_step_size)
        return 2.5 * self.eps_train / max(self.attack_steps, 1)

    def lr_at(self, epoch: int) -> float:
        """Learning rate of (0-based) ``epoch``: piecewise constant, as ``MultiStepLR``."""
        return self.lr * self.lr_gamma ** sum(1 for m in self.lr_milestones if m <= epoch)

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready primitives (tuples become lists)."""
        out = dataclasses.asdict(self)
        out["lr_milestones"] = list(self.lr_milestones)
        out["box"] = list(self.box) if isinstance(self.box, tuple) else self.box
        return out


def _env_float(name: str, default: float) -> float:
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"${name} must be a number of seconds, got {text!r}") from None


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and every GPU)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 - the global state third-party code uses
    torch.manual_seed(seed)


def _derived_seed(*keys: int) -> int:
    return int(np.random.SeedSequence([int(k) for k in keys]).generate_state(1, np.uint64)[0] >> 1)


def _generator(device: torch.device, *keys: int) -> torch.Generator:
    g = torch.Generator(device=device)
    g.manual_seed(_derived_seed(*keys))
    return g


# --------------------------------------------------------------------------- RNG state


def _rng_state() -> dict[str, Any]:
    np_state = np.random.get_state()  # noqa: NPY002 - saved for third-party code
    py_state = random.getstate()
    return {
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "numpy_keys": torch.from_numpy(np.asarray(np_state[1], dtype=np.int64)),
        "numpy_pos": int(np_state[2]),
        "numpy_has_gauss": int(np_state[3]),
        "numpy_cached_gauss": float(np_state[4]),
        "python_version": int(py_state[0]),
        "python_state": torch.tensor(py_state[1], dtype=torch.int64),
    }


def _set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"].cpu())
    if state["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in state["cuda"]])
    keys = state["numpy_keys"].cpu().numpy().astype(np.uint32)
    np.random.set_state(  # noqa: NPY002
        ("MT19937", keys, state["numpy_pos"], state["numpy_has_gauss"],
         state["numpy_cached_gauss"])
    )
    random.setstate(
        (state["python_version"], tuple(int(v) for v in state["python_state"].tolist()), None)
    )


# --------------------------------------------------------------------------- checkpoints


def _clock() -> float:
    """Seconds on a monotonic clock (a function, so that tests can drive checkpoint timing)."""
    return time.monotonic()


def _save_checkpoint(obj: dict[str, Any], path: Path) -> None:
    """Write ``obj`` to ``path`` atomically (temporary file, fsync, rename)."""
    atomic_write(path, lambda fh: torch.save(obj, fh))


def load_checkpoint(path: str | os.PathLike, map_location: Any = "cpu") -> dict[str, Any]:
    """Load a checkpoint written by :func:`train` (``weights_only=True``: no pickled code).

    Keys: ``format``, ``epoch`` (completed epochs), ``model``, ``optimizer``, ``scheduler``,
    ``scaler``, ``rng``, ``history``, ``config``."""
    return torch.load(path, map_location=map_location, weights_only=True)


# --------------------------------------------------------------------------- batches


def _epoch_indices(n: int, config: TrainConfig, epoch: int) -> Tensor:
    g = _generator(torch.device("cpu"), config.seed, epoch, 0)
    if config.steps_per_epoch is None:
        return torch.randperm(n, generator=g)
    need = config.steps_per_epoch * config.batch_size
    parts = [torch.randperm(n, generator=g) for _ in range(math.ceil(need / n))]
    return torch.cat(parts)[:need]


class _EpochBatches:
    """Batch sampler of the lazy-data path: this rank's share of every global batch of the
    current epoch (set :attr:`epoch` before each pass; the DataLoader's persistent workers
    stay alive across epochs because the sampler is iterated in the main process)."""

    def __init__(self, n: int, config: TrainConfig, rank: int, world: int):
        self.n, self.config, self.rank, self.world = n, config, rank, world
        self.epoch = 0

    def global_batches(self) -> list[Tensor]:
        indices = _epoch_indices(self.n, self.config, self.epoch)
        return list(torch.split(indices, self.config.batch_size))

    def __iter__(self):
        for chunk in self.global_batches():
            yield distributed.shard(chunk, self.rank, self.world)[0].tolist()

    def __len__(self) -> int:
        return len(self.global_batches())


def _train_batches(
    data: Dataset, config: TrainConfig, epoch: int, device: torch.device,
    augment_rand: torch.Generator, loader: DataLoader | None, rank: int, world: int,
) -> Iterator[tuple[Tensor, Tensor, float]]:
    """``(x, y, weight)`` of this rank's share of every global batch of ``epoch``.

    ``weight = world * n_local / n_global`` makes the gradient average that DDP computes over
    ranks equal to the gradient of the mean loss over the global batch (0 for a padded empty
    share). In-memory data is augmented per global batch before sharding, so every rank draws
    the same augmentation randomness as a one-process run.
    """
    if loader is None:
        x_all, y_all = data.x, data.y
        idx = _epoch_indices(len(data), config, epoch).to(x_all.device)
        for chunk in torch.split(idx, config.batch_size):
            x = x_all[chunk].to(device, non_blocking=True)
            y = y_all[chunk].to(device, non_blocking=True)
            x = _augment(x, config.augment, augment_rand)
            if world == 1:
                yield x, y, 1.0
                continue
            part, weight = distributed.shard(torch.arange(len(chunk), device=x.device), rank,
                                             world)
            yield x[part], y[part], weight
        return
    sampler = loader.batch_sampler
    sampler.epoch = epoch
    weights = [distributed.shard(chunk, rank, world)[1] for chunk in sampler.global_batches()]
    for (xb, yb), weight in zip(loader, weights, strict=True):
        x = xb.to(device, non_blocking=True)
        yield _augment(x, config.augment, augment_rand), torch.as_tensor(yb).to(device), weight


def _augment(x: Tensor, kind: str | None, g: torch.Generator) -> Tensor:
    if kind is None or x.ndim != 4:
        return x
    n = x.shape[0]
    flip = torch.rand(n, generator=g, device=x.device) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    if kind == "crop_flip":
        pad = 4
        h, w = x.shape[2], x.shape[3]
        padded = F.pad(x, (pad, pad, pad, pad))
        dy = torch.randint(0, 2 * pad + 1, (n,), generator=g, device=x.device)
        dx = torch.randint(0, 2 * pad + 1, (n,), generator=g, device=x.device)
        rows = (dy[:, None] + torch.arange(h, device=x.device))[:, None, :, None]
        cols = (dx[:, None] + torch.arange(w, device=x.device))[:, None, None, :]
        batch = torch.arange(n, device=x.device)[:, None, None, None]
        chan = torch.arange(x.shape[1], device=x.device)[None, :, None, None]
        x = padded[batch, chan, rows, cols]
    return x


# --------------------------------------------------------------------------- training


def _progress(iterable, *, enabled: bool, total: int | None, desc: str):
    if not enabled or not sys.stderr.isatty():
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a declared dependency
        return iterable
    return tqdm(iterable, total=total, desc=desc, leave=False)


def _make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    if config.optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=config.lr, momentum=config.momentum,
                               weight_decay=config.weight_decay,
                               nesterov=config.nesterov and config.momentum > 0)
    return torch.optim.Adam(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)


def _empty_history() -> dict[str, list]:
    keys = ("epoch", "loss", "train_acc", "seconds", "images_per_s", "lr", "eval_acc")
    return {k: [] for k in keys}


def train(
    model: nn.Module,
    train_data: Dataset,
    config: TrainConfig,
    *,
    checkpoint_dir: str | os.PathLike | None = None,
    eval_data: Dataset | None = None,
) -> dict[str, Any]:
    """Train ``model`` in place; resume from ``checkpoint_dir`` when it holds a checkpoint.

    Parameters
    ----------
    model : nn.Module
        Maps raw inputs to logits (see :func:`tradeoff.empirical.models.build_model`); moved to
        ``config.device``.
    train_data : Dataset
        An :class:`~tradeoff.empirical.data.ArrayDataset` (batched on the device, fast) or any
        dataset of ``(x, y)`` pairs (read with a DataLoader whose workers persist across
        epochs), with the protocol attribute ``box``.
    config : TrainConfig
    checkpoint_dir : path, optional
        The full state (model, optimizer, learning-rate schedule, gradient scaler, RNG states,
        completed epochs, history, config) is written atomically to
        ``checkpoint_dir / "checkpoint.pt"`` at the first epoch boundary after
        ``config.checkpoint_every_s`` seconds since the last save, and after the last epoch. If
        that file exists when ``train`` starts, training resumes after its last saved epoch (the
        config must match, except ``epochs``, ``progress``, ``device``, ``num_workers``,
        ``amp``, ``checkpoint_every_s``, ``compile`` and ``tf32``); a finished run returns at
        once. Under torchrun only rank 0 writes; every rank reads.
    eval_data : Dataset, optional
        Clean accuracy on it is recorded after every epoch (``eval_acc``).

    Returns
    -------
    dict
        Per-epoch lists ``epoch`` (1-based), ``loss`` (mean training loss), ``train_acc``
        (accuracy on the examples the loss saw: adversarial for ``"pgd"``, the mixed batch for
        ``"mixed"``, natural for ``"standard"`` and ``"trades"``), ``seconds``, ``images_per_s``
        (training images per second, attack included, all ranks together), ``lr``,
        ``eval_acc`` (``None`` without ``eval_data``), plus ``resumed_from`` (completed epochs
        found in the checkpoint, 0 for a fresh start) and ``checkpoints_written``.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    if len(train_data) == 0:
        raise ValueError("train_data is empty")
    device = resolve_device(config.device)
    configure_backends(device, tf32=config.tf32)
    rank, world = distributed.rank_and_world()
    box = getattr(train_data, "box", (0.0, 1.0)) if config.box == _FROM_DATA else config.box
    model.to(device)
    if device.type == "cuda" and any(isinstance(m, nn.Conv2d) for m in model.modules()):
        model.to(memory_format=torch.channels_last)
    in_memory = isinstance(getattr(train_data, "x", None), Tensor) and isinstance(
        getattr(train_data, "y", None), Tensor)
    if in_memory and device.type == "cuda":
        train_data = train_data.to(device) if hasattr(train_data, "to") else train_data
    # Under torchrun: DDP for the training pass, the bare module for the (per-rank) attack.
    net = distributed.wrap_model(model, device) if world > 1 else model
    attack_model = model if world > 1 else None
    if config.compile:
        net = torch.compile(net)
        attack_model = None if attack_model is None else torch.compile(attack_model)
    optimizer = _make_optimizer(model, config)
    amp_dtype = autocast_dtype(device) if config.amp else None
    scaler = torch.amp.GradScaler("cuda") if amp_dtype == torch.float16 else None
    history = _empty_history()
    start_epoch = 0

    path = None
    if checkpoint_dir is not None:
        path = Path(checkpoint_dir) / CHECKPOINT_NAME
        distributed.barrier()  # every rank sees the same checkpoint (or none)
        if path.exists():
            ckpt = load_checkpoint(path, map_location=device)
            _check_resumable(ckpt["config"], config.to_dict())
            model.load_state_dict(ckpt["model"])
            optimizer.load_state_dict(ckpt["optimizer"])
            if scaler is not None and ckpt["scaler"] is not None:
                scaler.load_state_dict(ckpt["scaler"])
            _set_rng_state(ckpt["rng"])
            history = ckpt["history"]
            start_epoch = int(ckpt["epoch"])
    if start_epoch == 0:
        seed_everything(config.seed)

    def autocast():
        if amp_dtype is None:
            return nullcontext()
        return torch.autocast(device_type=device.type, dtype=amp_dtype)

    loader = None
    if not in_memory:
        loader = DataLoader(train_data, batch_sampler=_EpochBatches(len(train_data), config,
                                                                    rank, world),
                            num_workers=config.num_workers, pin_memory=device.type == "cuda",
                            persistent_workers=config.num_workers > 0)
    channels_last = device.type == "cuda" and any(isinstance(m, nn.Conv2d)
                                                  for m in model.modules())
    n_batches = (config.steps_per_epoch if config.steps_per_epoch is not None
                 else math.ceil(len(train_data) / config.batch_size))
    last_save = _clock()
    saves = 0
    for epoch in range(start_epoch, config.epochs):
        lr = config.lr_at(epoch)
        for group in optimizer.param_groups:
            group["lr"] = lr
        rand = _generator(device, config.seed, epoch, 1)
        net.train()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        t0 = time.perf_counter()
        # Metrics stay on the device: no host-device synchronisation inside the epoch.
        totals = torch.zeros(3, dtype=torch.float64, device=device)  # loss sum, correct, seen
        stream = _progress(_train_batches(train_data, config, epoch, device, rand, loader, rank,
                                          world),
                           enabled=config.progress and rank == 0, total=n_batches,
                           desc=f"epoch {epoch + 1}/{config.epochs}")
        for x, y, weight in stream:
            if channels_last and x.ndim == 4:
                x = x.contiguous(memory_format=torch.channels_last)
            with autocast():
                loss, logits, targets = _batch_loss(net, x, y, config, box, rand,
                                                    attack_model=attack_model)
            optimizer.zero_grad(set_to_none=True)
            scaled = loss * weight if weight != 1.0 else loss
            if scaler is not None:
                scaler.scale(scaled).backward()
                scaler.step(optimizer)
                scaler.update()
            else:
                scaled.backward()
                optimizer.step()
            if weight > 0:
                with torch.no_grad():
                    count = targets.shape[0]
                    totals[0] += loss.detach().double() * count
                    totals[1] += (logits.argmax(1) == targets).sum()
                    totals[2] += count
        distributed.all_reduce_sum(totals)
        loss_sum, correct, seen = totals.tolist()  # the epoch's one synchronisation
        seconds = time.perf_counter() - t0
        history["epoch"].append(epoch + 1)
        history["loss"].append(loss_sum / max(seen, 1))
        history["train_acc"].append(correct / max(seen, 1))
        history["seconds"].append(seconds)
        history["images_per_s"].append(seen / seconds if seconds > 0 else float("inf"))
        history["lr"].append(lr)
        history["eval_acc"].append(
            None if eval_data is None else accuracy(model, eval_data, device=device)
        )
        last = epoch + 1 == config.epochs
        if path is not None and (last or _clock() - last_save >= config.checkpoint_every_s):
            if rank == 0:
                _save_checkpoint(
                    {
                        "format": _CHECKPOINT_FORMAT,
                        "epoch": epoch + 1,
                        "model": model.state_dict(),
                        "optimizer": optimizer.state_dict(),
                        "scheduler": {"lr": config.lr, "milestones": list(config.lr_milestones),
                                      "gamma": config.lr_gamma, "last_epoch": epoch},
                        "scaler": scaler.state_dict() if scaler is not None else None,
                        "rng": _rng_state(),
                        "history": history,
                        "config": config.to_dict(),
                    },
                    path,
                )
            saves += 1
            last_save = _clock()
    distributed.barrier()  # rank 0's last checkpoint is on disk before anyone goes on
    model.eval()
    return {**history, "resumed_from": start_epoch, "checkpoints_written": saves}


def _check_resumable(saved: dict[str, Any], current: dict[str, Any]) -> None:
    diff = sorted(
        k for k in set(saved) | set(current)
        if k not in _RESUMABLE_FIELDS and saved.get(k) != current.get(k)
    )
    if diff:
        detail = ", ".join(f"{k}: {saved.get(k)!r} -> {current.get(k)!r}" for k in diff)
        raise ValueError(f"checkpoint was written with a different config ({detail})")


def _batch_loss(
    net: nn.Module,
    x: Tensor,
    y: Tensor,
    config: TrainConfig,
    box: tuple[float, float] | None,
    rand: torch.Generator,
    attack_model: nn.Module | None = None,
) -> tuple[Tensor, Tensor, Tensor]:
    """``(loss, logits, targets)`` of one batch; logits/targets are those the CE term saw.

    ``net`` computes the training forward pass (under torchrun the DDP wrapper, whose forward
    may run once per backward); ``attack_model`` (default ``net``) is what the training adversary
    attacks: the bare module, so that the attack's forward passes stay local to the rank.
    """
    target = net if attack_model is None else attack_model

    def attack(xs: Tensor, ys: Tensor, loss: str = "ce") -> Tensor:
        return pgd(target, xs, ys, eps=config.eps_train, norm=config.norm,
                   steps=config.attack_steps, step_size=config.step_size,
                   random_start=config.random_start, restarts=config.attack_restarts, box=box,
                   loss=loss, generator=rand)

    if config.method == "standard":
        logits = net(x)
        return F.cross_entropy(logits.float(), y), logits, y
    if config.method == "pgd":
        logits = net(attack(x, y))
        return F.cross_entropy(logits.float(), y), logits, y
    if config.method == "mixed":
        n_nat = int(round(config.mixed_ratio * x.shape[0]))
        x_adv = attack(x[n_nat:], y[n_nat:]) if n_nat < x.shape[0] else x[n_nat:]
        logits = net(torch.cat([x[:n_nat], x_adv]))
        return F.cross_entropy(logits.float(), y), logits, y
    # TRADES: natural CE plus beta * KL(f(x) || f(x_adv)), x_adv maximizing the KL.
    x_adv = attack(x, y, loss="kl")
    if attack_model is None:
        logits = net(x)
        logits_adv = net(x_adv)
    else:  # DDP: one forward per backward, so natural and adversarial inputs go together
        both = net(torch.cat([x, x_adv]))
        logits, logits_adv = both[: x.shape[0]], both[x.shape[0]:]
    kl = F.kl_div(F.log_softmax(logits_adv.float(), dim=1), F.log_softmax(logits.float(), dim=1),
                  reduction="batchmean", log_target=True)
    return F.cross_entropy(logits.float(), y) + config.trades_beta * kl, logits, y
