"""Shared machinery of the experiments: devices, data specs, trained models, per-example scoring.

A *training spec* is a JSON-able dict (data, model, method, norm, eps_train, attack, optimizer,
epochs, seed). Its hash names the folder ``OUT/models/<hash>/`` that holds the training
checkpoints (``checkpoint/``, passed to :func:`tradeoff.empirical.train.train` so a killed run
resumes),
the final weights ``model.pt`` (a ``state_dict``; loaded with ``weights_only=True``) and
``train.json``. Equal specs in different experiments (E-TABLE's models are E-FIG2/3/4's) are
trained once.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn
from tradeoff.empirical.results import PointStore, atomic_write_json, config_hash, read_json

# --------------------------------------------------------------------------- context


def resolve_device(device: str) -> str:
    """``"auto"`` -> ``"cuda"`` when a GPU is visible, else ``"cpu"``; others are checked."""
    from tradeoff.empirical.devices import resolve_device as _resolve

    if device != "auto" and device != "cpu" and not device.startswith("cuda"):
        raise ValueError(f"device must be 'cpu', 'cuda' or 'auto', got {device!r}")
    try:
        return str(_resolve(device))
    except ValueError:
        raise ValueError(f"device {device!r} requested but torch sees no GPU; use --device cpu") \
            from None


@dataclass
class Context:
    """What a grid point needs besides its own configuration (picklable, for Ray)."""

    out: str
    device: str = "cpu"
    data_root: str | None = None
    download: bool = False
    progress: bool = False
    threads: int | None = None
    log: Callable[[str], None] | None = field(default=None, repr=False)

    @property
    def store(self) -> PointStore:
        return PointStore(self.out)

    def say(self, msg: str) -> None:
        if self.log is not None:
            self.log(msg)


@contextmanager
def cpu_threads(n: int | None, device: str):
    """Use ``n`` intra-op threads on CPU inside the block (``None``: leave unchanged).

    Tiny models (E-SYN, E-LIN) run several times faster on one thread: the per-operation
    synchronisation of a thread pool costs more than the arithmetic, worse on a busy machine.
    """
    if n is None or not device.startswith("cpu"):
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(old)


# --------------------------------------------------------------------------- data

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
    """The dataset a data spec describes.

    Spec keys: ``source`` (a :func:`tradeoff.empirical.data.load_dataset` name or ``"synthetic"``),
    ``n`` (subset size for the training split), else ``fraction`` of ``min(size, n_max)``,
    ``subset_seed``, ``classes`` (keep these classes only and relabel them 0, 1, ...; E-LIN).
    Synthetic specs hold ``p``, ``eta``, ``d``, ``n`` and ``sample_seed``. ``n_test`` (an
    argument, so that it is not part of a model's training spec) takes a stratified subset of
    the test split (seed 0); synthetic test sets are a fresh sample of that size.
    """
    from tradeoff.empirical.data import stratified_subset, synthetic_dataset

    if spec["source"] == "synthetic":
        from tradeoff.distribution import Distribution

        dist = Distribution(spec["p"], spec["eta"], spec["d"])
        if split == "train":
            return synthetic_dataset(dist, int(spec["n"]), int(spec["sample_seed"]))
        # An independent stream for the test set.
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


def restrict_classes(data, classes):
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


# --------------------------------------------------------------------------- models


class FeatureMask(nn.Module):
    """Multiply the input by a fixed 0/1 mask: a model that sees only some features (E-LIN)."""

    def __init__(self, mask: Tensor, inner: nn.Module):
        super().__init__()
        self.register_buffer("mask", mask.to(torch.float32))
        self.inner = inner

    def forward(self, x: Tensor) -> Tensor:
        return self.inner(x * self.mask)


def epochs_for(n: int, optim: Mapping[str, Any]) -> int:
    """Epochs that give about ``optim["train_steps"]`` optimizer steps on ``n`` examples.

    A fixed step budget (not a fixed epoch count) across training-set sizes, so the small sets
    of E-FIG1 are not under-trained; capped by ``max_epochs`` when set.
    """
    steps_per_epoch = max(1, math.ceil(n / int(optim["batch_size"])))
    epochs = max(1, math.ceil(int(optim["train_steps"]) / steps_per_epoch))
    if optim.get("max_epochs"):
        epochs = min(epochs, int(optim["max_epochs"]))
    return epochs


def train_spec(*, data: Mapping[str, Any], model: str, method: str, norm: str, eps_train: float,
               attack_steps: int, attack_step_size: float, optim: Mapping[str, Any],
               seed: int, model_kw: Mapping[str, Any] | None = None, mixed_ratio: float = 0.5,
               mask_top_k: int | None = None, eps_ramp: int = 0) -> dict[str, Any]:
    """A canonical training spec. ``eps_train = 0`` is standard training whatever the norm.

    The optimizer entry keeps a *step budget* (``train_steps``), turned into epochs and LR
    milestones by :func:`schedule` once the training-set size is known. ``eps_ramp = r > 0``
    warms adversarial training up: epoch ``j < r`` trains at ``eps_train * (j + 1) / r`` (one
    :func:`~tradeoff.empirical.train.train` call per stage, each with its own checkpoint folder).
    """
    if eps_train == 0 or method == "standard":
        method, eps_train, norm, attack_steps, attack_step_size = "standard", 0.0, "none", 0, 0.0
    spec = {
        "data": dict(data),
        "model": model,
        "model_kw": dict(model_kw or {}),
        "method": method,
        "norm": norm,
        "eps_train": float(eps_train),
        "attack_steps": int(attack_steps),
        "attack_step_size": float(attack_step_size),
        "optim": dict(optim),
        "seed": int(seed),
    }
    if method == "mixed":
        spec["mixed_ratio"] = float(mixed_ratio)
    if mask_top_k is not None:
        spec["mask_top_k"] = int(mask_top_k)
    if eps_ramp and method != "standard":
        spec["eps_ramp"] = int(eps_ramp)
    return spec


def schedule(n: int, optim: Mapping[str, Any]) -> tuple[int, list[int]]:
    """``(epochs, lr_milestones)`` for ``n`` training examples (:func:`epochs_for`).

    An explicit ``optim["epochs"]`` (with ``steps_per_epoch``; Restricted ImageNet [code])
    overrides the step budget.
    """
    if optim.get("epochs"):
        epochs = int(optim["epochs"])
        if optim.get("milestones"):
            return epochs, [int(m) for m in optim["milestones"]]
    else:
        epochs = epochs_for(n, optim)
    milestones = sorted({max(1, round(f * epochs)) for f in optim.get("milestones_frac", [])
                         if round(f * epochs) < epochs})
    return epochs, milestones


def _atomic_torch_save(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_examples(ctx: Context, point: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> str:
    """Store the example images of a grid point next to its result; returns the file name."""
    folder = ctx.store.point_dir(config_hash(point))
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / "examples.npz", **arrays)
    return "examples.npz"


def correlation_mask(data, top_k: int) -> Tensor:
    """0/1 mask of the ``top_k`` input features most correlated (in absolute value) with the
    label of a 2-class dataset; ties broken by feature index (E-LIN)."""
    x, y = as_tensors(data)
    corr = feature_label_correlation(x, y)
    order = np.lexsort((np.arange(corr.size), -np.abs(corr)))
    mask = np.zeros(corr.size, dtype=np.float32)
    mask[order[:top_k]] = 1.0
    return torch.from_numpy(mask).reshape(x.shape[1:])


def feature_label_correlation(x: Tensor, y: Tensor) -> np.ndarray:
    """Pearson correlation of every input feature with the label (constant features: 0)."""
    xf = x.reshape(len(x), -1).double().numpy()
    yf = y.double().numpy()
    xc = xf - xf.mean(0)
    yc = yf - yf.mean()
    denom = np.sqrt((xc**2).sum(0) * (yc**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.where(denom > 0, (xc * yc[:, None]).sum(0) / np.where(denom > 0, denom, 1), 0.0)
    return corr


def build(spec: Mapping[str, Any], train_data) -> nn.Module:
    """An untrained model for ``spec`` (with its feature mask when ``mask_top_k`` is set)."""
    from tradeoff.empirical.models import build_model

    torch.manual_seed(int(spec["seed"]))
    model = build_model(spec["model"], num_classes=train_data.num_classes,
                        input_shape=tuple(train_data.input_shape), mean=train_data.mean,
                        std=train_data.std, **spec.get("model_kw", {}))
    if spec.get("mask_top_k") is not None:
        model = FeatureMask(correlation_mask(train_data, int(spec["mask_top_k"])), model)
    return model


def trained_model(spec: Mapping[str, Any], ctx: Context) -> tuple[nn.Module, dict]:
    """Train the model of ``spec`` (or load it when ``OUT/models/<hash>/model.pt`` exists).

    Returns the model on ``ctx.device`` in eval mode, and the training record.
    """
    from tradeoff.empirical.train import TrainConfig, train

    key = config_hash(spec)
    folder = ctx.store.model_dir(key)
    weights = folder / "model.pt"
    train_data = dataset_from_spec(spec["data"], "train", ctx)
    model = build(spec, train_data)
    if weights.exists() and (folder / "train.json").exists():
        state = torch.load(weights, map_location="cpu", weights_only=True)
        model.load_state_dict(state)
        info = read_json(folder / "train.json")
        info["reused"] = True
        return model.to(ctx.device).eval(), info
    optim = spec["optim"]
    epochs, milestones = schedule(len(train_data), optim)
    ctx.say(f"  train {spec['model']} {spec['method']} norm={spec['norm']} "
            f"eps={spec['eps_train']:.4g} n={len(train_data)} epochs={epochs} "
            f"seed={spec['seed']}")
    kwargs = {
        "method": spec["method"],
        "eps_train": spec["eps_train"],
        "norm": spec["norm"] if spec["norm"] != "none" else "inf",
        "attack_steps": spec["attack_steps"],
        "attack_step_size": spec["attack_step_size"],
        "epochs": epochs,
        "batch_size": int(optim["batch_size"]),
        "lr": float(optim["lr"]),
        "momentum": float(optim.get("momentum", 0.9)),
        "weight_decay": float(optim.get("weight_decay", 0.0)),
        "nesterov": bool(optim.get("nesterov", False)),
        "lr_milestones": tuple(milestones),
        "lr_gamma": float(optim.get("lr_gamma", 0.1)),
        "optimizer": optim["optimizer"],
        "augment": optim.get("augment"),
        "steps_per_epoch": optim.get("steps_per_epoch"),
        "num_workers": int(optim.get("num_workers", 0)),
        "seed": spec["seed"],
        "device": ctx.device,
        "box": train_data.box,
        "progress": ctx.progress,
    }
    if "mixed_ratio" in spec:
        kwargs["mixed_ratio"] = spec["mixed_ratio"]
    model = model.to(ctx.device)
    import time

    start = time.perf_counter()
    ramp = int(spec.get("eps_ramp", 0))
    n_ramp = min(ramp, epochs - 1)
    for j in range(n_ramp):
        stage = TrainConfig(**{**kwargs, "eps_train": spec["eps_train"] * (j + 1) / ramp,
                               "attack_step_size": spec["attack_step_size"] * (j + 1) / ramp,
                               "epochs": 1, "lr_milestones": (), "seed": spec["seed"] + j})
        train(model, train_data, stage, checkpoint_dir=folder / f"ramp{j}")
    if n_ramp:
        kwargs["epochs"] = epochs - n_ramp
        kwargs["lr_milestones"] = tuple(sorted({max(0, m - n_ramp) for m in milestones}))
    config = TrainConfig(**kwargs)
    record = train(model, train_data, config, checkpoint_dir=folder / "checkpoint")
    info = {"spec": dict(spec), "key": key, "n_train": len(train_data), "epochs": epochs,
            "lr_milestones": milestones,
            "train_time_s": time.perf_counter() - start,
            "record": _summarize_record(record)}
    _atomic_torch_save({k: v.detach().cpu() for k, v in model.state_dict().items()}, weights)
    atomic_write_json(folder / "train.json", info)
    info["reused"] = False
    return model.eval(), info


def _summarize_record(record: Any) -> Any:
    """Keep the JSON-able, short part of ``train``'s return value."""
    if not isinstance(record, Mapping):
        return None
    out = {}
    for k, v in record.items():
        if isinstance(v, int | float | str | bool) or v is None:
            out[k] = v
        elif isinstance(v, list | tuple) and len(v) <= 400 and all(
                isinstance(a, int | float) for a in v):
            out[k] = list(v)
    return out


# --------------------------------------------------------------------------- scoring


def pgd_attack(*, eps: float, norm: str, steps: int, step_size: float, restarts: int = 1,
               box=(0.0, 1.0), random_start: bool = True,
               loss: str = "ce") -> Callable:
    """``attack(model, x, y) -> x_adv``: :func:`tradeoff.empirical.attacks.pgd` with these
    settings."""
    from tradeoff.empirical.attacks import pgd

    return partial(pgd, eps=float(eps), norm=norm, steps=int(steps), step_size=float(step_size),
                   restarts=int(restarts), box=box, random_start=random_start, loss=loss)


def shift_attack_fn(eta: float) -> Callable:
    """The proof's adversary (C-C1) as ``attack(model, x, y) -> x_adv`` for synthetic data."""
    from tradeoff.empirical.attacks import shift_attack

    return lambda _model, x, y: shift_attack(x, y, eta)


def correct_mask(model: nn.Module, data, *, device: str, attack: Callable | None = None,
                 batch_size: int = 500) -> np.ndarray:
    """Per-example correctness (a boolean array) of ``model`` on ``data``, after ``attack``.

    The model is in eval mode for every attack (experiments.md, "Evaluation protocol").
    """
    model.eval()
    out = []
    x_all, y_all = (data.x, data.y) if hasattr(data, "x") else (None, None)
    n = len(data)
    for start in range(0, n, batch_size):
        if x_all is not None:
            x, y = x_all[start:start + batch_size], y_all[start:start + batch_size]
        else:
            x, y = as_tensors(_Slice(data, start, batch_size))
        x, y = x.to(device), y.to(device)
        if attack is not None:
            x = attack(model, x, y).detach()
        with torch.no_grad():
            pred = model(x).argmax(dim=1)
        out.append((pred == y).cpu().numpy())
    return np.concatenate(out) if out else np.zeros(0, dtype=bool)


class _Slice:
    def __init__(self, data, start: int, size: int):
        self.data, self.start, self.size = data, start, min(size, len(data) - start)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int):
        return self.data[self.start + i]


def autoattack_mask(model: nn.Module, x: Tensor, y: Tensor, *, eps: float, norm: str,
                    num_classes: int, device: str, seed: int, version: str = "standard",
                    batch_size: int = 500, box=(0.0, 1.0)) -> np.ndarray:
    """Per-example correctness under
    AutoAttack.

    ``version`` in ``{"standard", "plus", "rand"}`` runs
    :func:`tradeoff.empirical.attacks.autoattack`
    (the full suite). ``"apgd"`` (our quick/micro scales, [choose]) runs only its two gradient
    attacks, APGD-CE and APGD-T (``num_classes - 1`` targets, at most 9), through
    ``pyautoattack`` directly: FAB-T and Square cost most of the CPU time and rarely change the
    verdict on models without gradient masking. Inputs must lie in ``[0, 1]`` for ``"apgd"``.
    """
    model.eval()
    x, y = x.to(device), y.to(device)
    if version == "apgd":
        from pyautoattack import AutoAttack

        if box != (0.0, 1.0):
            raise ValueError("version 'apgd' needs inputs in the box (0, 1)")
        attacks = ["apgd-ce", "apgd-t"] if num_classes > 3 else ["apgd-ce"]
        with torch.random.fork_rng(devices=[]):
            adversary = AutoAttack(model, norm="Linf" if norm == "inf" else "L2", eps=float(eps),
                                   version="custom", attacks=attacks, seed=seed,
                                   device=torch.device(device))
            adversary.apgd_targeted.n_target_classes = min(9, num_classes - 1)
            adversary.verbose = False
            x_adv, _ = adversary.run_standard_evaluation(x, y, batch_size=batch_size)
    else:
        from tradeoff.empirical.attacks import autoattack

        x_adv = autoattack(model, x, y, eps=eps, norm=norm, num_classes=num_classes,
                           version=version, seed=seed, batch_size=batch_size, box=box)
    with torch.no_grad():
        pred = torch.cat([model(x_adv[i:i + batch_size].to(device)).argmax(1)
                          for i in range(0, len(x_adv), batch_size)])
    return (pred == y).cpu().numpy()


def input_gradients(model: nn.Module, x: Tensor, y: Tensor, device: str) -> Tensor:
    """``grad_x CE(model(x), y)`` per example (E-FIG2), on CPU."""
    model.eval()
    x = x.to(device).clone().requires_grad_(True)
    loss = nn.functional.cross_entropy(model(x), y.to(device), reduction="sum")
    (grad,) = torch.autograd.grad(loss, x)
    return grad.detach().cpu()


def _targeted_objective(logits: Tensor, target: Tensor) -> Tensor:
    # pgd maximizes; maximizing -CE(., target) moves towards the target class.
    return -nn.functional.cross_entropy(logits, target, reduction="none")


def targeted_pgd(model: nn.Module, x: Tensor, target: Tensor, *, eps: float, norm: str,
                 steps: int, step_size: float, box=(0.0, 1.0),
                 random_start: bool = False) -> Tensor:
    r"""Large-eps targeted PGD (E-FIG3/4): minimise ``CE(model(x'), target)`` over
    :math:`\|x' - x\|_q \le \epsilon` and the box; last iterate.

    :func:`tradeoff.empirical.attacks.pgd` with the objective ``-CE(., target)`` and one restart. It
    follows the loss gradient inside the ball, as the authors' code does for the large-eps
    figures (l_2: 40 steps of 1.5 at eps 40 on Restricted ImageNet, no random start).
    """
    from tradeoff.empirical.attacks import pgd

    return pgd(model, x, target, eps=float(eps), norm=norm, steps=int(steps),
               step_size=float(step_size), random_start=random_start, restarts=1, box=box,
               loss=_targeted_objective)


def batched(fn: Callable[[Tensor, Tensor], Tensor], x: Tensor, y: Tensor, device: str,
            batch_size: int = 200) -> Tensor:
    """Apply ``fn(x_batch, y_batch)`` on ``device`` batch by batch; results concatenated on CPU."""
    outs = []
    for i in range(0, len(x), batch_size):
        outs.append(fn(x[i:i + batch_size].to(device), y[i:i + batch_size].to(device)).cpu())
    return torch.cat(outs)


def probabilities(model: nn.Module, x: Tensor, device: str, batch_size: int = 500) -> Tensor:
    """Softmax outputs of ``model`` on ``x`` (CPU tensor)."""
    model.eval()
    with torch.no_grad():
        return torch.cat([torch.softmax(model(x[i:i + batch_size].to(device)), 1).cpu()
                          for i in range(0, len(x), batch_size)])


def display_indices(y: Tensor, n: int) -> Tensor:
    """Indices of up to ``n`` examples for a figure: the first of each class, then the rest."""
    seen: dict[int, int] = {}
    for i, c in enumerate(y.tolist()):
        seen.setdefault(int(c), i)
    first = sorted(seen.values())[:n]
    rest = [i for i in range(len(y)) if i not in set(first)][:max(0, n - len(first))]
    return torch.as_tensor(sorted(first + rest), dtype=torch.int64)


# --------------------------------------------------------------------------- statistics


def clopper_pearson(successes: int, n: int, alpha: float) -> tuple[float, float]:
    """Exact two-sided Clopper-Pearson interval (delegates to :mod:`tradeoff.montecarlo`)."""
    try:
        from tradeoff.montecarlo import clopper_pearson as cp

        return cp(int(successes), int(n), float(alpha))
    except ImportError:  # pragma: no cover - the core library ships it
        from scipy.stats import beta

        lo = 0.0 if successes == 0 else float(beta.ppf(alpha / 2, successes, n - successes + 1))
        hi = 1.0 if successes == n else float(beta.ppf(1 - alpha / 2, successes + 1,
                                                       n - successes))
        return lo, hi


def mean_spread(values) -> dict[str, float]:
    """Mean, sample standard deviation (0 for one value), min, max and count."""
    arr = np.asarray(list(values), dtype=float)
    return {"mean": float(arr.mean()), "std": float(arr.std(ddof=1)) if arr.size > 1 else 0.0,
            "min": float(arr.min()), "max": float(arr.max()), "n": int(arr.size)}


def paired_bootstrap_lower(diff, *, level: float = 0.95, reps: int = 2000,
                           seed: int = 0) -> float:
    """One-sided lower bound of level ``level`` for the mean of ``diff`` (percentile bootstrap)."""
    diff = np.asarray(diff, dtype=float)
    if diff.size == 0:
        return float("nan")
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, diff.size, size=(reps, diff.size))].mean(1)
    return float(np.quantile(means, 1 - level))


def claim(cid: str, *, confirmed: bool, statement: str, criterion: str,
          numbers: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """One entry of a result's ``claims`` list."""
    return {"id": cid, "confirmed": bool(confirmed), "statement": statement,
            "criterion": criterion, "numbers": dict(numbers), **extra}
