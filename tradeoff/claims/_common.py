"""Small helpers shared by the claim checkers: tolerances, the sensitivity perturbation, DKW law
tests and prior-shifted sampling."""

from __future__ import annotations

import contextvars
import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from scipy.special import ndtr

from tradeoff.distribution import Distribution

__all__ = [
    "ABS_TOL",
    "ALPHA",
    "SENSITIVITY",
    "ULP",
    "accuracy_tol",
    "checked",
    "dkw_radius",
    "float_tol",
    "ks_distance_to_normal",
    "perturbed",
    "sample_with_prior",
]

ALPHA = 1e-9
"""False-failure probability of every Monte Carlo assertion (two-sided)."""

ULP = np.finfo(float).eps

ABS_TOL = 1e-9
"""The largest slack any exact check may grant (on an accuracy, a risk or a probability).

A float tolerance that would exceed it (Theorem 2.1's factor ``p/(1-p)`` near ``p = 1``) is not
granted: the checker decides with certified ball arithmetic instead."""

SENSITIVITY = 1e-6
"""Size of the perturbation of the sensitivity controls: the checked quantity moved by this much
at the witness must be reported as a violation."""

_PERTURBATION: contextvars.ContextVar[float] = contextvars.ContextVar("perturbation", default=0.0)


def checked(value):
    """The checked quantity as the checker sees it: ``value`` plus the current perturbation.

    Every checker passes the library output it checks through this function. Outside
    :func:`perturbed` the perturbation is 0 and ``value`` is returned unchanged (same object).
    """
    delta = _PERTURBATION.get()
    if delta == 0.0:
        return value
    return value + delta


@contextmanager
def perturbed(delta: float) -> Iterator[None]:
    """Within the block, :func:`checked` adds ``delta`` (the sensitivity controls)."""
    token = _PERTURBATION.set(float(delta))
    try:
        yield
    finally:
        _PERTURBATION.reset(token)


def float_tol(*scales: float) -> float:
    """Explicit float slack: 64 ulps of the largest magnitude involved (docs/theory.md).

    The closed forms sum at most eight ``ndtr`` terms, each correct to a few ulps. On an
    accuracy, callers use :func:`accuracy_tol`, which refuses scales above :data:`ABS_TOL`.
    """
    return 64.0 * ULP * max([1.0, *[abs(s) for s in scales]])


def accuracy_tol(*scales: float) -> float | None:
    """:func:`float_tol` on an accuracy-valued comparison, or ``None`` when it would exceed
    :data:`ABS_TOL` (the caller must then decide with certified arithmetic)."""
    tol = float_tol(*scales)
    return tol if tol <= ABS_TOL else None


def dkw_radius(n: int, alpha: float = ALPHA) -> float:
    """Dvoretzky–Kiefer–Wolfowitz–Massart: ``P(sup|F_n - F| > r) <= 2 exp(-2 n r^2) = alpha``."""
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * n))


def ks_distance_to_normal(sample: np.ndarray, mean: float, sd: float = 1.0) -> float:
    """Exact Kolmogorov–Smirnov distance between the empirical CDF and ``N(mean, sd^2)``."""
    x = np.sort(np.asarray(sample, dtype=float))
    n = len(x)
    cdf = ndtr((x - mean) / sd)
    upper = np.arange(1, n + 1) / n - cdf
    lower = cdf - np.arange(0, n) / n
    return float(max(upper.max(), lower.max()))


def sample_with_prior(dist: Distribution, n: int, prior: float, rng: np.random.Generator,
                      weak_sd: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Sample a variant of D(p, eta, d) with ``P(y = +1) = prior`` and weak noise s.d.
    ``weak_sd``: the deliberately out-of-hypothesis variants used by negative controls only
    (in-model cases sample with :meth:`tradeoff.distribution.Distribution.sample`)."""
    y = np.where(rng.random(n) < prior, 1.0, -1.0)
    x1 = np.where(rng.random(n) < dist.p, y, -y)
    weak = weak_sd * rng.standard_normal((n, dist.d)) + dist.eta * y[:, None]
    return np.column_stack([x1, weak]), y
