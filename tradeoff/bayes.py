r"""B-BAYES: the Bayes-optimal classifier of D(p, eta, d), its exact accuracy and robustness.

The class-conditional densities give the log-likelihood ratio

.. math::
    \log\frac{P(x\mid y=+1)}{P(x\mid y=-1)} = x_1 \log\frac{p}{1-p} + 2\eta\sum_{i\ge2} x_i,

linear in ``x`` (the Gaussian quadratic terms cancel; ``x1 = ±1`` enters through
``P(x1 | y) = p^{(1 + x1 y)/2} (1-p)^{(1 - x1 y)/2}``). With equal priors the Bayes rule is
``sign(a*x1 + 2*eta*sum x_i)``, ``a = log(p/(1-p))``: a linear rule, so docs/theory.md §2 gives its
standard and robust accuracies exactly. With ``k = eta*sqrt(d)`` its standard accuracy is

.. math::
    A_B = p\,\Phi\!\left(k + \frac{a}{2k}\right) + (1-p)\,\Phi\!\left(k - \frac{a}{2k}\right)
    \quad (k > 0,\ 0 < p < 1),

``max(p, 1-p)`` when ``k = 0`` and 1 when ``p`` is 0 or 1. Against an l_inf adversary of radius
``eps`` the signed score of the linear Bayes rule loses ``eps*(|a| + 2*eta*d)``, so

.. math::
    R_B(\epsilon) = p\,\Phi\!\left(\frac{a - \epsilon|a|}{2k} + k - \epsilon\sqrt d\right)
    + (1-p)\,\Phi\!\left(\frac{-a - \epsilon|a|}{2k} + k - \epsilon\sqrt d\right),

and the same rule on ``(sign(x1), z)`` (threshold ``u_B = -a/(2k)``, immune to moves of ``x1`` when
``eps < 1``) has ``p*Phi(k - e + a/(2k)) + (1-p)*Phi(k - e - a/(2k))``, ``e = eps*sqrt(d)``: the
end point of the exact frontier (:mod:`tradeoff.frontier`). Both vanish as ``k`` grows at
``eps = 2*eta``: the most accurate classifier is non-robust.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from tradeoff._validation import check_dist, check_real
from tradeoff.classifiers import LinearRule, ThresholdRule
from tradeoff.distribution import Distribution

__all__ = [
    "bayes_accuracy",
    "bayes_accuracy_expression",
    "bayes_robust_accuracy",
    "bayes_rule",
    "bayes_threshold_rule",
    "bayes_weights",
    "log_likelihood_ratio",
]


def _log_odds(p: float) -> float:
    return math.log(p / (1.0 - p))


def bayes_weights(dist: Distribution) -> np.ndarray:
    """Weights ``(log(p/(1-p)), 2*eta, ..., 2*eta)`` of the Bayes rule (requires ``0 < p < 1``)."""
    dist = check_dist(dist)
    if not 0.0 < dist.p < 1.0:
        raise ValueError(f"p must be in (0, 1) for finite Bayes weights, got {dist.p!r} "
                         "(at p = 0 or 1 the Bayes rule is -sign(x1) or sign(x1))")
    w = np.full(dist.dim, 2.0 * dist.eta)
    w[0] = _log_odds(dist.p)
    return w


def bayes_rule(dist: Distribution) -> LinearRule:
    """The Bayes classifier as a :class:`~tradeoff.classifiers.LinearRule` (``0 < p < 1``)."""
    return LinearRule(bayes_weights(dist), 0.0, name="bayes")


def bayes_threshold_rule(dist: Distribution) -> ThresholdRule:
    """The Bayes rule on ``(sign(x1), z)``: same predictions on D, immune to x1-moves < 1."""
    dist = check_dist(dist)
    p, k = dist.p, dist.k
    if p in (0.0, 1.0) or k == 0:
        u = -math.inf if p > 0.5 else math.inf
        if p == 0.5:
            u = math.inf  # every prediction is a tie of the LLR: -1, as the linear rule does
    else:
        u = -_log_odds(p) / (2.0 * k)
    return ThresholdRule(u, -u, name="bayes-threshold")


def log_likelihood_ratio(X, dist: Distribution) -> np.ndarray:
    """``log P(x|y=+1) - log P(x|y=-1)`` for each row of ``X`` (shape ``(n, d+1)``, x1 = ±1)."""
    dist = check_dist(dist)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != dist.dim:
        raise ValueError(f"X must have shape (n, d+1) = (n, {dist.dim}), got {X.shape}")
    if not np.all(np.isin(X[:, 0], (-1.0, 1.0))):
        raise ValueError("X[:, 0] (the robust feature x1) must be -1 or +1 under D")
    return bayes_weights(dist)[0] * X[:, 0] + 2.0 * dist.eta * X[:, 1:].sum(axis=1)


def bayes_accuracy_expression(p: float, k: float) -> float:
    """``A_B(p, k)`` without validation (used by negative controls)."""
    if p in (0.0, 1.0):
        return 1.0
    if k == 0:
        return max(p, 1.0 - p)
    a = _log_odds(p)
    return float(p * ndtr(k + a / (2 * k)) + (1 - p) * ndtr(k - a / (2 * k)))


def bayes_accuracy(dist: Distribution) -> float:
    """The Bayes (best possible) standard accuracy of D(p, eta, d), in closed form."""
    dist = check_dist(dist)
    return bayes_accuracy_expression(dist.p, dist.k)


def bayes_robust_accuracy(dist: Distribution, eps: float, *, threshold: bool = False) -> float:
    r"""Exact l_inf-robust accuracy of the Bayes rule at radius ``eps`` (closed form).

    Parameters
    ----------
    dist : Distribution
        Requires ``0 < p < 1`` and ``eta > 0`` for the linear rule.
    eps : float
        Radius ``>= 0`` (``< 1`` when ``threshold=True``).
    threshold : bool
        False: the linear rule ``sign(a x1 + 2 eta sum x_i)`` (the adversary also moves x1).
        True: the same rule on ``(sign(x1), z)``.
    """
    dist = check_dist(dist)
    p, k, sd = dist.p, dist.k, math.sqrt(dist.d)
    if threshold:
        eps = check_real("eps", eps, low=0.0, high=1.0, high_open=True)
        if p in (0.0, 1.0) or k == 0:
            rule = bayes_threshold_rule(dist)
            return rule.robust_accuracy(dist, eps)
        a = _log_odds(p)
        e = eps * sd
        return float(p * ndtr(k - e + a / (2 * k)) + (1 - p) * ndtr(k - e - a / (2 * k)))
    eps = check_real("eps", eps, low=0.0)
    if not 0.0 < p < 1.0 or k == 0:
        raise ValueError("the closed form needs 0 < p < 1 and eta > 0; use "
                         "tradeoff.linear.robust_accuracy(bayes_weights(dist), ...) otherwise")
    a = _log_odds(p)
    shift = eps * abs(a) / (2 * k) + eps * sd
    return float(p * ndtr(a / (2 * k) + k - shift) + (1 - p) * ndtr(-a / (2 * k) + k - shift))
