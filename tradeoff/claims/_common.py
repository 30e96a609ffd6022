"""Small helpers shared by the claim checkers: tolerances, DKW law tests, prior-shifted sampling."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from tradeoff.distribution import Distribution

ALPHA = 1e-9
"""False-failure probability of every Monte Carlo assertion (two-sided)."""

ULP = np.finfo(float).eps


def float_tol(*scales: float) -> float:
    """Explicit float slack: 64 ulps of the largest magnitude involved (theory.md §6).

    The closed forms sum at most eight ``ndtr`` terms, each correct to a few ulps; Theorem 2.1's
    factor ``p/(1-p)`` magnifies an error in ``1 - acc``, so callers pass it as a scale.
    """
    return 64.0 * ULP * max([1.0, *[abs(s) for s in scales]])


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
    """Sample D(p, eta, d) with ``P(y = +1) = prior`` and weak noise s.d. ``weak_sd``.

    ``prior = 1/2`` and ``weak_sd = 1`` give the paper's model; other values are the
    deliberately out-of-hypothesis variants used by negative controls.
    """
    y = np.where(rng.random(n) < prior, 1.0, -1.0)
    x1 = np.where(rng.random(n) < dist.p, y, -y)
    weak = weak_sd * rng.standard_normal((n, dist.d)) + dist.eta * y[:, None]
    return np.column_stack([x1, weak]), y
