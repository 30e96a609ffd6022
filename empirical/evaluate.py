"""Clean and adversarial accuracy, and the evaluation protocol of docs/experiments/index.md.

The protocol (what reviewers in this field expect): models in eval mode for every attack; attacks
respect the valid-input box and the eps-ball; report clean accuracy, PGD-k robust accuracy with
k, step size and restarts stated, and AutoAttack (E-TABLE, E-FIG7, E-SYN).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset
from tradeoff.empirical.attacks import autoattack as _autoattack
from tradeoff.empirical.attacks import eval_mode, pgd, shift_attack
from tradeoff.empirical.devices import resolve_device

__all__ = [
    "accuracy", "evaluate_suite", "batches", "predict", "predict_logits", "correct_mask",
    "pgd_attack", "shift_attack_fn", "autoattack_correct", "targeted_pgd", "input_gradients",
    "probabilities", "batched",
]

Attack = Callable[[nn.Module, Tensor, Tensor], Tensor]
_FROM_DATA = "data"


def _model_device(model: nn.Module) -> torch.device:
    for t in model.parameters():
        return t.device
    for t in model.buffers():
        return t.device
    return torch.device("cpu")


def batches(
    data: Dataset | tuple[Tensor, Tensor],
    batch_size: int,
    device: torch.device | str,
    *,
    num_workers: int | None = None,
) -> Iterator[tuple[Tensor, Tensor]]:
    """Iterate ``(x, y)`` batches of ``data`` on ``device``, in order.

    ``data`` is an in-memory dataset (anything with tensors ``.x`` and ``.y``), a pair of
    tensors, or any map-style dataset (read with a :class:`~torch.utils.data.DataLoader`).
    ``num_workers`` (lazy datasets only) defaults to ``$TRADEOFF_EVAL_WORKERS`` or
    ``min(8, CPUs - 1)`` worker processes, so that images (Restricted ImageNet's JPEGs) are
    decoded in parallel, off the main process."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")
    if isinstance(data, tuple):
        x, y = data
    elif isinstance(getattr(data, "x", None), Tensor) and isinstance(getattr(data, "y", None),
                                                                      Tensor):
        x, y = data.x, data.y
    else:
        if num_workers is None:
            default = min(8, max(0, (os.cpu_count() or 1) - 1))
            num_workers = int(os.environ.get("TRADEOFF_EVAL_WORKERS", default))
        loader = DataLoader(data, batch_size=batch_size, shuffle=False, num_workers=num_workers,
                            pin_memory=torch.device(device).type == "cuda")
        for xb, yb in loader:
            yield xb.to(device, non_blocking=True), torch.as_tensor(yb).to(device)
        return
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same length, got {x.shape[0]}, {y.shape[0]}")
    for start in range(0, x.shape[0], batch_size):
        yield x[start:start + batch_size].to(device), y[start:start + batch_size].to(device)


def predict(model: nn.Module, x: Tensor) -> Tensor:
    """Predicted class indices, model in eval mode (restored after), no gradients."""
    with eval_mode(model), torch.no_grad():
        return model(x).argmax(1)


def accuracy(
    model: nn.Module,
    data: Dataset | tuple[Tensor, Tensor],
    *,
    attack: Attack | None = None,
    batch_size: int = 256,
    device: torch.device | str | None = None,
) -> float:
    """Fraction of ``data`` classified correctly, after ``attack`` when given.

    Parameters
    ----------
    model : nn.Module
    data : Dataset or (x, y)
    attack : callable ``(model, x, y) -> x_adv``, optional
        E.g. ``functools.partial(pgd, eps=0.3, norm="inf", steps=40, step_size=0.01)``.
    batch_size : int, default 256
    device : torch.device or str, optional
        Default: the model's device.

    Returns
    -------
    float
        Accuracy in ``[0, 1]`` (the robust accuracy under ``attack``).
    """
    return _correct(model, data, attack=attack, batch_size=batch_size, device=device)[0]


def _correct(model, data, *, attack, batch_size, device) -> tuple[float, int]:
    device = _model_device(model) if device is None else resolve_device(device)
    correct, total = 0, 0
    for x, y in batches(data, batch_size, device):
        if attack is not None:
            x = attack(model, x, y)
        correct += int((predict(model, x) == y).sum())
        total += int(y.shape[0])
    if total == 0:
        raise ValueError("data is empty")
    return correct / total, total


def evaluate_suite(
    model: nn.Module,
    data: Dataset | tuple[Tensor, Tensor],
    *,
    eps: float,
    norm: str,
    pgd_steps: int,
    pgd_step_size: float,
    restarts: int = 1,
    autoattack: bool = True,
    box: tuple[float, float] | None | str = _FROM_DATA,
    batch_size: int = 256,
    device: torch.device | str | None = None,
    seed: int = 0,
    num_classes: int | None = None,
    autoattack_version: str = "standard",
    autoattack_n_iter: int = 100,
    autoattack_n_queries: int = 5000,
) -> dict[str, Any]:
    """Clean, PGD and AutoAttack accuracy with the attack settings recorded.

    Parameters
    ----------
    model, data
        As for :func:`accuracy`.
    eps : float
    norm : {"inf", "2"}
    pgd_steps, pgd_step_size, restarts
        PGD-k settings (random start; an example is broken when any iterate of any restart
        breaks it, ``iterate="any"``).
    autoattack : bool, default True
        Also run AutoAttack (``pyautoattack``); its entry is ``None`` otherwise.
    box : (float, float), None, or "data"
        Valid input range; default the dataset's ``.box`` (``(0, 1)`` when it has none).
    batch_size, device
        As for :func:`accuracy`.
    seed : int
        Seeds PGD's random starts (a private generator) and AutoAttack.
    num_classes : int, optional
        Default: ``data.num_classes``, else the model's number of logits.
    autoattack_version : {"standard", "plus", "rand"}
    autoattack_n_iter, autoattack_n_queries : int
        AutoAttack's budgets (APGD/FAB iterations, Square queries); keep the standard defaults
        for reported numbers.

    Returns
    -------
    dict
        ``clean``, ``pgd``, ``autoattack`` (accuracies; ``autoattack`` is ``None`` when not
        run), ``n``, and the settings: ``eps``, ``norm``, ``pgd_steps``, ``pgd_step_size``,
        ``restarts``, ``random_start``, ``box``, ``seed``, ``autoattack_version``,
        ``autoattack_n_iter``, ``autoattack_n_queries``. Every value is a JSON-ready primitive.
    """
    if box == _FROM_DATA:
        box = getattr(data, "box", (0.0, 1.0)) if not isinstance(data, tuple) else (0.0, 1.0)
    device = _model_device(model) if device is None else resolve_device(device)
    if num_classes is None:
        num_classes = getattr(data, "num_classes", None)
    generator = torch.Generator(device=device)
    generator.manual_seed(int(seed))
    pgd_attack = functools.partial(
        pgd, eps=eps, norm=norm, steps=pgd_steps, step_size=pgd_step_size, restarts=restarts,
        random_start=True, box=box, generator=generator, iterate="any",
    )
    clean, n = _correct(model, data, attack=None, batch_size=batch_size, device=device)
    robust_pgd, _ = _correct(model, data, attack=pgd_attack, batch_size=batch_size, device=device)
    robust_aa = None
    if autoattack:
        if num_classes is None:
            xb, _ = next(iter(batches(data, 1, device)))
            num_classes = int(predict_logits(model, xb).shape[1])
        aa_attack = functools.partial(
            _autoattack, eps=eps, norm=norm, num_classes=int(num_classes), seed=int(seed),
            batch_size=batch_size, box=box, version=autoattack_version,
            n_iter=autoattack_n_iter, n_queries=autoattack_n_queries,
        )
        robust_aa, _ = _correct(model, data, attack=aa_attack, batch_size=batch_size,
                                device=device)
    return {
        "clean": clean,
        "pgd": robust_pgd,
        "autoattack": robust_aa,
        "n": n,
        "eps": float(eps),
        "norm": norm,
        "pgd_steps": int(pgd_steps),
        "pgd_step_size": float(pgd_step_size),
        "restarts": int(restarts),
        "random_start": True,
        "pgd_iterate": "any",
        "box": None if box is None else [float(box[0]), float(box[1])],
        "seed": int(seed),
        "autoattack_version": autoattack_version if autoattack else None,
        "autoattack_n_iter": int(autoattack_n_iter) if autoattack else None,
        "autoattack_n_queries": int(autoattack_n_queries) if autoattack else None,
    }


def predict_logits(model: nn.Module, x: Tensor) -> Tensor:
    """Logits in eval mode (restored after), no gradients."""
    with eval_mode(model), torch.no_grad():
        return model(x)


def correct_mask(model: nn.Module, data: Dataset | tuple[Tensor, Tensor], *,
                 device: torch.device | str | None = None, attack: Attack | None = None,
                 batch_size: int = 500) -> np.ndarray:
    """Per-example correctness (a boolean array, in data order) of ``model`` on ``data``,
    after ``attack`` when given. The model is in eval mode for every attack."""
    device = _model_device(model) if device is None else resolve_device(device)
    out = []
    for x, y in batches(data, batch_size, device):
        if attack is not None:
            x = attack(model, x, y).detach()
        out.append((predict(model, x) == y).cpu().numpy())
    return np.concatenate(out) if out else np.zeros(0, dtype=bool)


def pgd_attack(*, eps: float, norm: str, steps: int, step_size: float, restarts: int = 1,
               random_start: bool = True, iterate: str = "any",
               box: tuple[float, float] | None = (0.0, 1.0), loss: str = "ce",
               generator: torch.Generator | None = None, schedule: str = "constant") -> Attack:
    """``attack(model, x, y) -> x_adv``: :func:`~tradeoff.empirical.attacks.pgd` with these
    settings (by default the evaluation adversary: every iterate counts)."""
    return functools.partial(pgd, eps=float(eps), norm=norm, steps=int(steps),
                             step_size=float(step_size), restarts=int(restarts),
                             random_start=random_start, iterate=iterate, box=box, loss=loss,
                             generator=generator, schedule=schedule)


def shift_attack_fn(eta: float) -> Attack:
    """The proof's adversary (C-C1) as ``attack(model, x, y) -> x_adv`` on D(p, eta, d)."""
    return lambda _model, x, y: shift_attack(x, y, eta)


def autoattack_correct(model: nn.Module, x: Tensor, y: Tensor, *, eps: float, norm: str,
                       num_classes: int, device: torch.device | str, seed: int,
                       version: str = "standard", batch_size: int = 500,
                       box: tuple[float, float] | None = (0.0, 1.0)) -> np.ndarray:
    """Per-example correctness under AutoAttack.

    ``version`` in ``{"standard", "plus", "rand"}`` runs
    :func:`tradeoff.empirical.attacks.autoattack` (the full suite). ``"apgd"`` (the quick and
    micro scales [choose]) runs only its two gradient attacks, APGD-CE and APGD-T
    (``num_classes - 1`` targets, at most 9): FAB-T and Square cost most of the CPU time and
    rarely change the verdict on models without gradient masking. ``"apgd"`` needs the box
    ``(0, 1)``.
    """
    device = resolve_device(device)
    x, y = x.to(device), y.to(device)
    if version == "apgd":
        from pyautoattack import AutoAttack

        if box != (0.0, 1.0):
            raise ValueError("version 'apgd' needs inputs in the box (0, 1)")
        attacks = ["apgd-ce", "apgd-t"] if num_classes > 3 else ["apgd-ce"]
        with eval_mode(model), torch.random.fork_rng(devices=[]):
            adversary = AutoAttack(model, norm="Linf" if norm == "inf" else "L2", eps=float(eps),
                                   version="custom", attacks=attacks, seed=seed, device=device)
            adversary.apgd_targeted.n_target_classes = min(9, num_classes - 1)
            adversary.verbose = False
            x_adv, _ = adversary.run_standard_evaluation(x, y, batch_size=batch_size)
    else:
        x_adv = _autoattack(model, x, y, eps=eps, norm=norm, num_classes=num_classes,
                            version=version, seed=seed, batch_size=batch_size, box=box)
    return correct_mask(model, (x_adv.to(device), y), device=device, batch_size=batch_size)


def _targeted_objective(logits: Tensor, target: Tensor) -> Tensor:
    # pgd maximizes; maximizing -CE(., target) moves towards the target class.
    return -torch.nn.functional.cross_entropy(logits, target, reduction="none")


def targeted_pgd(model: nn.Module, x: Tensor, target: Tensor, *, eps: float, norm: str,
                 steps: int, step_size: float, box: tuple[float, float] | None = (0.0, 1.0),
                 random_start: bool = False) -> Tensor:
    r"""Large-eps targeted PGD (E-FIG3/4): minimise ``CE(model(x'), target)`` over
    :math:`\|x' - x\|_q \le \epsilon` and the box; last iterate, one restart.

    It follows the loss gradient inside the ball, as the authors' code does for the large-eps
    figures (l_2: 40 steps of 1.5 at eps 40 on Restricted ImageNet, no random start).
    """
    return pgd(model, x, target, eps=float(eps), norm=norm, steps=int(steps),
               step_size=float(step_size), random_start=random_start, restarts=1, box=box,
               loss=_targeted_objective, iterate="last")


def batched(fn: Callable[[Tensor, Tensor], Tensor], x: Tensor, y: Tensor,
            device: torch.device | str, batch_size: int = 200) -> Tensor:
    """Apply ``fn(x_batch, y_batch)`` on ``device`` batch by batch; results concatenated on CPU."""
    return torch.cat([fn(xb, yb).cpu() for xb, yb in batches((x, y), batch_size, device)])


def input_gradients(model: nn.Module, x: Tensor, y: Tensor, device: torch.device | str,
                    batch_size: int = 200) -> Tensor:
    """``grad_x CE(model(x), y)`` per example (E-FIG2), model in eval mode; on CPU."""
    def grad(xb: Tensor, yb: Tensor) -> Tensor:
        xb = xb.clone().requires_grad_(True)
        with eval_mode(model), torch.enable_grad():
            loss = torch.nn.functional.cross_entropy(model(xb), yb, reduction="sum")
            (g,) = torch.autograd.grad(loss, xb)
        return g.detach()

    return batched(grad, x, y, device, batch_size)


def probabilities(model: nn.Module, x: Tensor, device: torch.device | str,
                  batch_size: int = 500) -> Tensor:
    """Softmax outputs of ``model`` on ``x`` (eval mode; a CPU tensor)."""
    y = torch.zeros(len(x), dtype=torch.int64)
    return batched(lambda xb, _yb: torch.softmax(predict_logits(model, xb), 1), x, y, device,
                   batch_size)
