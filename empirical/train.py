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
from tradeoff.empirical.attacks import NORMS, pgd
from tradeoff.empirical.devices import autocast_dtype, resolve_device
from tradeoff.empirical.evaluate import accuracy

__all__ = [
    "METHODS",
    "TrainConfig",
    "train",
    "seed_everything",
    "plain_train_loop",
    "load_checkpoint",
    "CHECKPOINT_NAME",
]

METHODS = ("standard", "pgd", "mixed", "trades")
CHECKPOINT_NAME = "checkpoint.pt"
_CHECKPOINT_FORMAT = 1
# Config fields that may change between a run and its resumption.
_RESUMABLE_FIELDS = ("epochs", "progress", "device", "num_workers", "amp")
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
        for name in ("eps_train", "momentum", "weight_decay", "trades_beta"):
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


def _atomic_save(obj: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        torch.save(obj, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


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


def _train_batches(
    data: Dataset, config: TrainConfig, epoch: int, device: torch.device
) -> Iterator[tuple[Tensor, Tensor]]:
    indices = _epoch_indices(len(data), config, epoch)
    bs = config.batch_size
    x_all, y_all = getattr(data, "x", None), getattr(data, "y", None)
    if isinstance(x_all, Tensor) and isinstance(y_all, Tensor):
        idx = indices.to(x_all.device)
        for start in range(0, len(idx), bs):
            chunk = idx[start:start + bs]
            yield x_all[chunk].to(device, non_blocking=True), y_all[chunk].to(device)
        return
    batch_sampler = [indices[s:s + bs].tolist() for s in range(0, len(indices), bs)]
    loader = DataLoader(data, batch_sampler=batch_sampler, num_workers=config.num_workers,
                        pin_memory=device.type == "cuda")
    for xb, yb in loader:
        yield xb.to(device, non_blocking=True), torch.as_tensor(yb).to(device)


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
        dataset of
        ``(x, y)`` pairs (read with a DataLoader), with the protocol attribute ``box``.
    config : TrainConfig
    checkpoint_dir : path, optional
        After every epoch the full state (model, optimizer, learning-rate schedule, gradient
        scaler, RNG states, completed epochs, history, config) is written atomically to
        ``checkpoint_dir / "checkpoint.pt"``. If that file exists when ``train`` starts, training
        resumes after its last completed epoch (the config must match, except ``epochs``,
        ``progress``, ``device``, ``num_workers`` and ``amp``); a finished run returns at once.
    eval_data : Dataset, optional
        Clean accuracy on it is recorded after every epoch (``eval_acc``).

    Returns
    -------
    dict
        Per-epoch lists ``epoch`` (1-based), ``loss`` (mean training loss), ``train_acc``
        (accuracy on the examples the loss saw: adversarial for ``"pgd"``, the mixed batch for
        ``"mixed"``, natural for ``"standard"`` and ``"trades"``), ``seconds``, ``images_per_s``
        (training images per second, attack included), ``lr``, ``eval_acc`` (``None`` without
        ``eval_data``), plus ``resumed_from`` (completed epochs found in the checkpoint, 0 for a
        fresh start).
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    if len(train_data) == 0:
        raise ValueError("train_data is empty")
    device = resolve_device(config.device)
    box = getattr(train_data, "box", (0.0, 1.0)) if config.box == _FROM_DATA else config.box
    model.to(device)
    if isinstance(getattr(train_data, "x", None), Tensor) and device.type == "cuda":
        train_data = train_data.to(device) if hasattr(train_data, "to") else train_data
    optimizer = _make_optimizer(model, config)
    amp_dtype = autocast_dtype(device) if config.amp else None
    scaler = torch.amp.GradScaler("cuda") if amp_dtype == torch.float16 else None
    history = _empty_history()
    start_epoch = 0

    path = None
    if checkpoint_dir is not None:
        Path(checkpoint_dir).mkdir(parents=True, exist_ok=True)
        path = Path(checkpoint_dir) / CHECKPOINT_NAME
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

    n_batches = (config.steps_per_epoch if config.steps_per_epoch is not None
                 else math.ceil(len(train_data) / config.batch_size))
    for epoch in range(start_epoch, config.epochs):
        lr = config.lr_at(epoch)
        for group in optimizer.param_groups:
            group["lr"] = lr
        rand = _generator(device, config.seed, epoch, 1)
        model.train()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        t0 = time.perf_counter()
        loss_sum, correct, seen = 0.0, 0, 0
        stream = _progress(_train_batches(train_data, config, epoch, device),
                           enabled=config.progress, total=n_batches,
                           desc=f"epoch {epoch + 1}/{config.epochs}")
        for x, y in stream:
            x = _augment(x, config.augment, rand)
            with autocast():
                loss, logits, targets = _batch_loss(model, x, y, config, box, rand)
            optimizer.zero_grad(set_to_none=True)
            if scaler is not None:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            else:
                loss.backward()
                optimizer.step()
            with torch.no_grad():
                loss_sum += float(loss.detach()) * int(targets.shape[0])
                correct += int((logits.argmax(1) == targets).sum())
                seen += int(targets.shape[0])
        if device.type == "cuda":
            torch.cuda.synchronize(device)
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
        if path is not None:
            _atomic_save(
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
    model.eval()
    return {**history, "resumed_from": start_epoch}


def _check_resumable(saved: dict[str, Any], current: dict[str, Any]) -> None:
    diff = sorted(
        k for k in set(saved) | set(current)
        if k not in _RESUMABLE_FIELDS and saved.get(k) != current.get(k)
    )
    if diff:
        detail = ", ".join(f"{k}: {saved.get(k)!r} -> {current.get(k)!r}" for k in diff)
        raise ValueError(f"checkpoint was written with a different config ({detail})")


def _batch_loss(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    config: TrainConfig,
    box: tuple[float, float] | None,
    rand: torch.Generator,
) -> tuple[Tensor, Tensor, Tensor]:
    """``(loss, logits, targets)`` of one batch; logits/targets are those the CE term saw."""

    def attack(xs: Tensor, ys: Tensor, loss: str = "ce") -> Tensor:
        return pgd(model, xs, ys, eps=config.eps_train, norm=config.norm,
                   steps=config.attack_steps, step_size=config.step_size,
                   random_start=config.random_start, restarts=config.attack_restarts, box=box,
                   loss=loss, generator=rand)

    if config.method == "standard":
        logits = model(x)
        return F.cross_entropy(logits.float(), y), logits, y
    if config.method == "pgd":
        logits = model(attack(x, y))
        return F.cross_entropy(logits.float(), y), logits, y
    if config.method == "mixed":
        n_nat = int(round(config.mixed_ratio * x.shape[0]))
        x_adv = attack(x[n_nat:], y[n_nat:]) if n_nat < x.shape[0] else x[n_nat:]
        logits = model(torch.cat([x[:n_nat], x_adv]))
        return F.cross_entropy(logits.float(), y), logits, y
    # TRADES: natural CE plus beta * KL(f(x) || f(x_adv)), x_adv maximizing the KL.
    x_adv = attack(x, y, loss="kl")
    logits = model(x)
    logits_adv = model(x_adv)
    kl = F.kl_div(F.log_softmax(logits_adv.float(), dim=1), F.log_softmax(logits.float(), dim=1),
                  reduction="batchmean", log_target=True)
    return F.cross_entropy(logits.float(), y) + config.trades_beta * kl, logits, y


# --------------------------------------------------------------------------- baseline loop


def plain_train_loop(
    model: nn.Module,
    train_data: Dataset,
    *,
    epochs: int = 1,
    batch_size: int = 128,
    lr: float = 0.1,
    momentum: float = 0.9,
    weight_decay: float = 5e-4,
    eps: float = 0.0,
    norm: str = "inf",
    attack_steps: int = 0,
    attack_step_size: float | None = None,
    device: str | None = None,
    seed: int = 0,
) -> dict[str, float]:
    """A minimal hand-written loop (SGD, cross-entropy, optional inline PGD on ``[0, 1]``
    images): the baseline against which :func:`train`'s images/second are measured.

    Returns
    -------
    dict
        ``seconds``, ``images`` (training images processed), ``images_per_s``, ``loss`` (last
        batch).
    """
    dev = resolve_device(device)
    torch.manual_seed(seed)
    model.to(dev)
    x_all, y_all = train_data.x.to(dev), train_data.y.to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    alpha = attack_step_size if attack_step_size is not None else 2.5 * eps / max(attack_steps, 1)
    images, loss = 0, torch.zeros(())
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    t0 = time.perf_counter()
    for _ in range(epochs):
        perm = torch.randperm(len(y_all), device=dev)
        for start in range(0, len(perm), batch_size):
            idx = perm[start:start + batch_size]
            x, y = x_all[idx], y_all[idx]
            if attack_steps > 0 and eps > 0:
                model.eval()
                delta = (torch.rand_like(x) * 2 - 1) * eps if norm == "inf" else torch.zeros_like(x)
                for _ in range(attack_steps):
                    delta.requires_grad_(True)
                    grad, = torch.autograd.grad(F.cross_entropy(model(x + delta), y), delta)
                    with torch.no_grad():
                        if norm == "inf":
                            delta = (delta + alpha * grad.sign()).clamp(-eps, eps)
                        else:
                            g = grad / grad.flatten(1).norm(dim=1).clamp_min(1e-12).view(
                                -1, *[1] * (x.ndim - 1))
                            delta = delta + alpha * g
                            scale = (eps / delta.flatten(1).norm(dim=1).clamp_min(1e-12)).clamp(
                                max=1.0)
                            delta = delta * scale.view(-1, *[1] * (x.ndim - 1))
                        delta = (x + delta).clamp(0, 1) - x
                x = (x + delta).detach()
            model.train()
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            images += int(y.shape[0])
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "images": images,
            "images_per_s": images / seconds if seconds > 0 else float("inf"),
            "loss": float(loss.detach())}
