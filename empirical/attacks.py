r"""Adversaries: projected gradient descent, the proof's shift attack, and AutoAttack.

Threat models. For a clean input :math:`x` the admissible set is

.. math::
    S(x) = \{x' : \|x' - x\|_q \le \epsilon\} \cap B,

with :math:`q \in \{\infty, 2\}` and :math:`B` the valid-input box (``[0, 1]^n`` for images,
the whole space for the Gaussian data of D(p, eta, d), ``box=None``: clamping Gaussian data
would change the threat model, an error of MadryLab's ``robustness`` that we avoid).

PGD (Madry et al. 2018) ascends the loss with the steepest-ascent step of the norm (``sign`` of
the gradient for :math:`\ell_\infty`, the gradient over its :math:`\ell_2` norm for
:math:`\ell_2`), then projects: onto the ball (clamp for :math:`\ell_\infty`, rescale to norm
``eps`` for :math:`\ell_2`), then onto the box (clamp). For :math:`\ell_\infty` the two clamps are
the exact projection onto :math:`S(x)`; for :math:`\ell_2` clamping to the box only moves
coordinates towards :math:`x` (which is in the box), so the result stays in :math:`S(x)`.

Every attack puts the model in eval mode and restores each module's mode afterwards; gradients
are taken with :func:`torch.autograd.grad` with respect to the perturbation only, so nothing
accumulates in the parameters' ``.grad``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = [
    "pgd", "shift_attack", "autoattack", "in_threat_model", "eval_mode", "step_sizes", "NORMS",
    "LOSSES", "ITERATES", "SCHEDULES",
]

NORMS = ("inf", "2")
LOSSES = ("ce", "kl", "margin")
ITERATES = ("last", "any")
SCHEDULES = ("constant", "cosine")
COSINE_FLOOR = 1 / 50
"""The cosine schedule's last step as a fraction of its first [choose]."""


def step_sizes(step_size: float, steps: int, schedule: str = "constant") -> list[float]:
    r"""The ``steps`` step sizes of one PGD run.

    ``"constant"``: ``step_size`` every time (Madry et al.'s PGD; the training adversary).
    ``"cosine"``: from ``s = step_size`` down to ``s_min = s / 50`` along half a cosine,

    .. math:: s_t = s_{\min} + (s - s_{\min})\,\frac{1 + \cos(\pi t / (k - 1))}{2},
              \qquad t = 0, \dots, k - 1,

    large steps first to cross the ball, small ones last to settle into a local maximum; the
    decaying step is what makes APGD (Croce & Hein, 2020) stronger than constant-step PGD on
    standard models (measured: docs/benchmarks.md). One step (``k = 1``) is ``s``.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, got {schedule!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    step_size = float(step_size)
    if not math.isfinite(step_size) or step_size < 0:
        raise ValueError(f"step_size must be finite and >= 0, got {step_size}")
    if schedule == "constant" or steps <= 1:
        return [step_size] * steps
    low = step_size * COSINE_FLOOR
    return [low + (step_size - low) * (1 + math.cos(math.pi * t / (steps - 1))) / 2
            for t in range(steps)]

Box = tuple[float, float] | None


class eval_mode:  # lower case: used like a function, as torch.no_grad
    """Context manager: eval mode for every submodule, each module's own mode restored after."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model

    def __enter__(self) -> nn.Module:
        self.modes = [(m, m.training) for m in self.model.modules()]
        self.model.eval()
        return self.model

    def __exit__(self, *exc) -> None:
        for m, mode in self.modes:
            m.training = mode


def _check_eps_norm(eps: float, norm: str) -> tuple[float, str]:
    if norm not in NORMS:
        raise ValueError(f"norm must be 'inf' or '2', got {norm!r}")
    try:
        eps = float(eps)
    except (TypeError, ValueError):
        raise TypeError(f"eps must be a real number, got {eps!r}") from None
    if not math.isfinite(eps) or eps < 0:
        raise ValueError(f"eps must be finite and >= 0, got {eps}")
    return eps, norm


def _check_box(box: Box) -> Box:
    if box is None:
        return None
    lo, hi = float(box[0]), float(box[1])
    if not lo < hi:
        raise ValueError(f"box must be (low, high) with low < high, or None, got {box}")
    return lo, hi


def _flat_norm(v: Tensor, norm: str) -> Tensor:
    flat = v.flatten(1)
    return flat.abs().amax(1) if norm == "inf" else flat.norm(p=2, dim=1)


def _view(v: Tensor, like: Tensor) -> Tensor:
    return v.view((-1,) + (1,) * (like.ndim - 1))


def _project(delta: Tensor, x: Tensor, eps: float, norm: str, box: Box) -> Tensor:
    if norm == "inf":
        delta = delta.clamp(-eps, eps)
    else:
        scale = eps / _flat_norm(delta, "2").clamp_min(1e-30)
        delta = delta * _view(scale.clamp(max=1.0), delta)
    if box is not None:
        delta = (x + delta).clamp(box[0], box[1]) - x
    return delta


def _random_start(x: Tensor, eps: float, norm: str, generator: torch.Generator | None) -> Tensor:
    if norm == "inf":
        u = torch.rand(x.shape, generator=generator, device=x.device, dtype=x.dtype)
        return (2 * u - 1) * eps
    # Uniform in the l_2 ball: a uniform direction times eps * U^(1/n).
    g = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
    n = x[0].numel()
    r = torch.rand(x.shape[0], generator=generator, device=x.device, dtype=x.dtype) ** (1.0 / n)
    return g * _view(eps * r / _flat_norm(g, "2").clamp_min(1e-30), x)


def _loss_fn(loss: str | Callable) -> Callable[[Tensor, Tensor, Tensor | None], Tensor]:
    """Per-example loss ``f(logits_adv, y, logits_clean) -> (N,)`` to be maximized."""
    if callable(loss):
        return lambda logits, y, _clean: loss(logits, y)
    if loss == "ce":
        return lambda logits, y, _clean: F.cross_entropy(logits, y, reduction="none")
    if loss == "kl":
        # TRADES's inner maximization: KL(f(x) || f(x')), both as class probabilities.
        def kl(logits: Tensor, _y: Tensor, clean: Tensor | None) -> Tensor:
            log_p = F.log_softmax(clean, dim=1)
            return (log_p.exp() * (log_p - F.log_softmax(logits, dim=1))).sum(1)

        return kl
    if loss == "margin":
        # Carlini-Wagner margin: the best other logit minus the true logit.
        def margin(logits: Tensor, y: Tensor, _clean: Tensor | None) -> Tensor:
            true = logits.gather(1, y[:, None]).squeeze(1)
            other = logits.scatter(1, y[:, None], float("-inf")).amax(1)
            return other - true

        return margin
    raise ValueError(f"loss must be one of {LOSSES} or a callable, got {loss!r}")


def pgd(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    *,
    eps: float,
    norm: str,
    steps: int,
    step_size: float,
    random_start: bool = True,
    restarts: int = 1,
    box: Box = (0.0, 1.0),
    loss: str | Callable[[Tensor, Tensor], Tensor] = "ce",
    generator: torch.Generator | None = None,
    iterate: str = "last",
    schedule: str = "constant",
) -> Tensor:
    r"""Projected gradient ascent on the loss inside the ``eps``-ball and the box.

    Parameters
    ----------
    model : nn.Module
        Maps raw inputs to logits (normalization inside the model).
    x : Tensor
        Clean inputs, shape ``(N, ...)``, inside ``box``.
    y : Tensor
        Class indices, shape ``(N,)``.
    eps : float
        Radius, ``>= 0``; ``eps = 0`` returns a copy of ``x``.
    norm : {"inf", "2"}
    steps : int
        Gradient steps per restart, ``>= 0``.
    step_size : float
        ``l_inf``: each step moves every coordinate by ``step_size`` (sign of the gradient);
        ``l_2``: each step has ``l_2`` length ``step_size`` (normalized gradient). To reach the
        boundary of the ball from its centre in ``steps`` steps, ``steps * step_size >= eps``.
    random_start : bool, default True
        Start each restart at a uniform random point of the ball (then projected onto the box).
    restarts : int, default 1
        Independent runs. Restart ``r > 1`` attacks only the examples no earlier restart has
        fooled (predicted class ``!= y``). Per example the result is the first fooling input
        found; if none, the candidate with the highest loss (the first on ties). More restarts
        never lose a success: restart 1 draws the same random start as a single run with the
        same ``generator`` state.
    box : (float, float) or None, default (0.0, 1.0)
        Valid input range; ``None`` for unbounded (Gaussian) data.
    loss : {"ce", "kl", "margin"} or callable
        Maximized objective: cross-entropy; TRADES's ``KL(f(x) || f(x'))``; or the
        Carlini-Wagner margin. A callable gets ``(logits, y)`` and returns per-example losses.
    generator : torch.Generator, optional
        Source of the random starts (on ``x``'s device); default torch's global generator.
    iterate : {"last", "any"}, default "last"
        Which iterates are candidates. ``"last"``: each restart's final iterate (Madry et al.'s
        PGD, the authors' [code]; the training adversary). ``"any"``: every iterate of every
        restart, the start included; an example counts as broken as soon as one iterate fools
        the model, and is attacked no further (the evaluation adversary: it can only report
        lower robust accuracy than ``"last"`` with the same random starts).
    schedule : {"constant", "cosine"}, default "constant"
        Step sizes of each run (:func:`step_sizes`): ``step_size`` throughout, or a cosine decay
        from ``step_size`` to ``step_size / 50`` (the evaluation adversary of the experiments).

    Returns
    -------
    Tensor
        Adversarial inputs (detached, same shape and dtype as ``x``), each in its ball and box.

    Notes
    -----
    The returned tensor satisfies ``||x_adv - x||_q <= eps`` up to float rounding (the
    ``l_2`` rescaling multiplies by ``eps / ||delta||``).
    """
    eps, norm = _check_eps_norm(eps, norm)
    box = _check_box(box)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    if isinstance(restarts, bool) or not isinstance(restarts, int) or restarts < 1:
        raise ValueError(f"restarts must be an integer >= 1, got {restarts!r}")
    schedule_ = step_sizes(step_size, steps, schedule)
    if iterate not in ITERATES:
        raise ValueError(f"iterate must be one of {ITERATES}, got {iterate!r}")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must have the same length, got {x.shape[0]} and {y.shape[0]}")
    objective = _loss_fn(loss)
    x = x.detach()
    y = y.detach()
    if eps == 0 or x.shape[0] == 0:
        return x.clone()

    with eval_mode(model):
        clean_logits = None
        if loss == "kl":
            with torch.no_grad():
                clean_logits = model(x).float()
        best = x.clone()
        best_loss = torch.full((x.shape[0],), float("-inf"), device=x.device)
        fooled = torch.zeros(x.shape[0], dtype=torch.bool, device=x.device)
        for restart in range(restarts):
            if restart == 0:  # every example: no host-device synchronisation (training path)
                idx = torch.arange(x.shape[0], device=x.device)
            else:
                idx = (~fooled).nonzero().squeeze(1)
                if idx.numel() == 0:
                    break
            _pgd_run(model, x, y, clean_logits, idx, best, best_loss, fooled, objective,
                     eps=eps, norm=norm, steps=steps, step_size=schedule_,
                     random_start=random_start, box=box, generator=generator,
                     every_iterate=iterate == "any")
    return best


def _pgd_run(model, x, y, clean_logits, idx, best, best_loss, fooled, objective, *, eps, norm,
             steps, step_size, random_start, box, generator, every_iterate) -> None:
    """One restart on the examples ``idx``; updates ``best``, ``best_loss``, ``fooled``.
    ``step_size`` is the list of the run's step sizes (:func:`step_sizes`)."""
    xa, ya = x[idx], y[idx]
    ca = None if clean_logits is None else clean_logits[idx]
    if random_start:
        delta = _project(_random_start(xa, eps, norm, generator), xa, eps, norm, box)
    else:
        delta = torch.zeros_like(xa)

    def offer(delta: Tensor, logits: Tensor, value: Tensor) -> Tensor:
        # Keep: a new success (no earlier one exists for these examples); else a strictly
        # higher loss. Returns which examples the candidate fools.
        cand = (xa + delta).detach()
        if box is not None:  # x + ((x + d).clamp - x) can round just outside the box
            cand = cand.clamp(box[0], box[1])
        now = logits.argmax(1) != ya
        take = now | (value > best_loss[idx])
        # Indexed by ``idx`` with torch.where (no boolean-mask indexing: no device sync).
        best[idx] = torch.where(take.view(-1, *[1] * (cand.ndim - 1)), cand, best[idx])
        best_loss[idx] = torch.where(take, value, best_loss[idx])
        fooled[idx] = fooled[idx] | now
        return now

    # ``live``: the rows still attacked (None: all). A broken row is attacked no further: its
    # delta is frozen, and the rows are compacted once at most half of them are live, so a run
    # sees at most log2(N) + 1 batch shapes (each new shape costs a cuDNN autotuning pass on a
    # GPU with cudnn.benchmark; shrinking at every iterate made PGD-100 ~100x slower there).
    live = None
    for t in range(steps + 1):
        last = t == steps
        delta.requires_grad_(not last)
        with torch.set_grad_enabled(not last):
            logits = model(xa + delta).float()
            value = objective(logits, ya, ca)
        if every_iterate or last:
            now = offer(delta.detach(), logits.detach(), value.detach())
        if last:
            break
        (grad,) = torch.autograd.grad(value.sum(), delta)
        delta = delta.detach()
        if every_iterate and bool(now.any()):  # broken: attacked no further
            live = ~now if live is None else live & ~now
            n_live = int(live.sum())
            if n_live == 0:
                return
            if 2 * n_live <= live.numel():
                idx, xa, ya, delta, grad = idx[live], xa[live], ya[live], delta[live], grad[live]
                ca = None if ca is None else ca[live]
                live = None
        if norm == "inf":
            step = grad.sign()
        else:
            step = grad / _view(_flat_norm(grad, "2").clamp_min(1e-30), grad)
        moved = _project(delta + step_size[t] * step, xa, eps, norm, box)
        delta = moved if live is None else torch.where(_view(live, moved), moved, delta)


def in_threat_model(x_adv: Tensor, x: Tensor, *, eps: float, norm: str, box: Box,
                    atol: float = 1e-6) -> Tensor:
    """Per example, whether ``x_adv`` is in the ``eps``-ball around ``x`` and inside ``box``
    (``atol`` absorbs float rounding). Returns a bool tensor of shape ``(N,)``."""
    eps, norm = _check_eps_norm(eps, norm)
    ok = _flat_norm(x_adv - x, norm) <= eps + atol * max(1.0, eps)
    if box is not None:
        flat = x_adv.flatten(1)
        ok &= (flat >= box[0] - atol).all(1) & (flat <= box[1] + atol).all(1)
    return ok


def shift_attack(x: Tensor, y_index: Tensor, eta: float) -> Tensor:
    """The proof's adversary on D(p, eta, d) (C-C1; docs/theory.md §3): ``x_i -> x_i - 2*eta*y`` for
    every weak coordinate ``i >= 1`` (0-based; coordinate 0 is the robust feature ``x1``).

    It maps ``G_y = N(eta*y, 1)^d`` onto ``G_{-y}``; its ``l_inf`` norm is ``2*eta``, so it is
    admissible for every ``eps >= 2*eta``.

    Parameters
    ----------
    x : Tensor, shape (n, d+1)
    y_index : Tensor, shape (n,)
        Class indices (0 for ``y = -1``, 1 for ``y = +1``).
    eta : float
        The distribution's ``eta >= 0``.
    """
    eta = float(eta)
    if not math.isfinite(eta) or eta < 0:
        raise ValueError(f"eta must be finite and >= 0, got {eta}")
    if x.ndim != 2 or x.shape[1] < 2:
        raise ValueError(f"x must have shape (n, d+1) with d >= 1, got {tuple(x.shape)}")
    if y_index.shape != (x.shape[0],):
        raise ValueError(f"y_index must have shape ({x.shape[0]},), got {tuple(y_index.shape)}")
    if not bool(((y_index == 0) | (y_index == 1)).all()):
        raise ValueError("y_index must hold class indices 0 (y = -1) or 1 (y = +1)")
    y = (2 * y_index - 1).to(x.dtype)
    out = x.detach().clone()
    out[:, 1:] -= 2 * eta * y[:, None]
    return out


class _Affine(nn.Module):
    """``u -> model(offset + scale * u)``: presents an arbitrary box (or none) to AutoAttack,
    which always clamps to ``[0, 1]``. Inputs that are not images (AutoAttack's Square attack
    needs ``(C, H, W)``) travel as one ``s x s`` channel, ``s = ceil(sqrt(n))``, whose padding
    coordinates the model never sees."""

    def __init__(self, model: nn.Module, offset: Tensor, scale: float, shape: tuple) -> None:
        super().__init__()
        self.model = model
        self.register_buffer("offset", offset)
        self.scale = scale
        self.shape = tuple(shape)
        self.numel = math.prod(self.shape)
        self.side = None if len(self.shape) == 3 else math.ceil(math.sqrt(self.numel))

    def encode(self, x: Tensor) -> Tensor:
        u = ((x - self.offset) / self.scale).clamp(0.0, 1.0)
        if self.side is None:
            return u
        flat = torch.full((x.shape[0], self.side**2), 0.5, dtype=x.dtype, device=x.device)
        flat[:, : self.numel] = u.flatten(1)
        return flat.view(x.shape[0], 1, self.side, self.side)

    def decode(self, u: Tensor) -> Tensor:
        if self.side is not None:
            u = u.flatten(1)[:, : self.numel].reshape((u.shape[0],) + self.shape)
        return self.offset + self.scale * u

    def forward(self, u: Tensor) -> Tensor:
        return self.model(self.decode(u))


def autoattack(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    *,
    eps: float,
    norm: str,
    num_classes: int,
    version: str = "standard",
    seed: int = 0,
    batch_size: int = 256,
    box: Box = (0.0, 1.0),
    n_iter: int = 100,
    n_queries: int = 5000,
    verbose: bool = False,
) -> Tensor:
    """AutoAttack (Croce and Hein 2020) through the ``pyautoattack`` package.

    Parameters
    ----------
    model, x, y
        As for :func:`pgd`.
    eps : float
    norm : {"inf", "2"}
        Passed to AutoAttack as ``"Linf"`` / ``"L2"``.
    num_classes : int
        With fewer than 10 classes the targeted attacks use ``num_classes - 1`` target classes
        (8 for the 9 Restricted-ImageNet classes). With 2 or 3 classes the DLR losses are
        undefined, so the suite is APGD-CE, FAB-T and Square (the standard suite less APGD-T).
    version : {"standard", "plus", "rand"}
    seed : int
        AutoAttack's seed; torch's global random state is saved and restored around the call.
    batch_size : int
    box : (float, float) or None
        AutoAttack clamps to ``[0, 1]``; any other box, or none (Gaussian data), is mapped onto
        ``[0, 1]^n`` by one affine change of variables with a single scale, which maps balls to
        balls, chosen so that every example's ball (and box) fits inside.
    n_iter, n_queries : int
        Iterations of APGD and FAB (100) and queries of Square (5000): AutoAttack's standard
        budgets. Lower them only for smoke tests; reported numbers use the defaults.
    verbose : bool
        Log AutoAttack's progress.

    Returns
    -------
    Tensor
        Adversarial inputs; examples AutoAttack does not fool are returned unchanged.
    """
    eps, norm = _check_eps_norm(eps, norm)
    box = _check_box(box)
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
    for name, value in (("n_iter", n_iter), ("n_queries", n_queries)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if version not in ("standard", "plus", "rand"):
        raise ValueError(f"version must be 'standard', 'plus' or 'rand', got {version!r}")
    x = x.detach()
    y = y.detach().long()
    if eps == 0 or x.shape[0] == 0:
        return x.clone()
    try:
        from pyautoattack import AutoAttack
    except ImportError:
        try:
            from autoattack import AutoAttack  # the reference repository's package name
        except ImportError as exc:
            raise ImportError("autoattack needs pyautoattack (pip install pyautoattack)") from exc

    # Change of variables x = offset + scale * u with u in [0, 1]^n covering every ball.
    if box is not None:
        offset = torch.full_like(x[0], box[0])
        scale = box[1] - box[0]
    else:
        lo = x.amin(0) - eps
        hi = x.amax(0) + eps
        offset, scale = lo, float((hi - lo).max())
    wrapped = _Affine(model, offset, scale, tuple(x.shape[1:]))
    u = wrapped.encode(x)
    n_targets = min(9, num_classes - 1)
    devices = [x.device] if x.device.type == "cuda" else []
    with eval_mode(model), torch.random.fork_rng(devices=devices):
        if num_classes >= 4:
            adversary = AutoAttack(wrapped, norm="Linf" if norm == "inf" else "L2",
                                   eps=eps / scale, version=version, seed=seed, device=x.device)
        else:
            adversary = AutoAttack(wrapped, norm="Linf" if norm == "inf" else "L2",
                                   eps=eps / scale, version="custom", seed=seed, device=x.device,
                                   attacks=["apgd-ce", "fab-t", "square"])
            adversary.apgd.n_restarts = 1
        if n_iter != 100:  # APGD derives its step-size schedule from n_iter at construction
            for apgd in (adversary.apgd, adversary.apgd_targeted):
                apgd.n_iter = apgd.n_iter_orig = int(n_iter)
                apgd.n_iter_2 = max(int(0.22 * n_iter), 1)
                apgd.n_iter_min = max(int(0.06 * n_iter), 1)
                apgd.size_decr = max(int(0.03 * n_iter), 1)
            adversary.fab.n_iter = int(n_iter)
        adversary.square.n_queries = int(n_queries)
        adversary.apgd_targeted.n_target_classes = n_targets
        adversary.fab.n_target_classes = n_targets
        adversary.verbose = verbose
        u_adv, _ = adversary.run_standard_evaluation(u, y, batch_size=batch_size)
    x_adv = wrapped.decode(u_adv.to(x.device))
    # Undo the change of variables' rounding: project back onto the exact threat model.
    x_adv = x + _project(x_adv - x, x, eps, norm, box)
    return x_adv if box is None else x_adv.clamp(box[0], box[1])
