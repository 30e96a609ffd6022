r"""B-OPTROBUST: the best l_inf-robust accuracy any classifier can have, at every radius.

Derived for this suite (no published source found). Let ``k = eta*sqrt(d)``, ``a = log(p/(1-p))``
and ``s = (eta - eps)*sqrt(d)``.

**Upper bound.** Moving every weak coordinate by ``-min(eps, eta)*y`` is an admissible l_inf
perturbation of radius ``eps``; afterwards the weak features are ``N((eta - eps) y, 1)`` for
``eps < eta`` and carry no information for ``eps >= eta``. The accuracy of any classifier on the
shifted model is at most that model's Bayes accuracy, so

.. math::
    \mathrm{acc}_\epsilon(f) \le R^*(\epsilon) =
    \begin{cases} p\,\Phi(s + \tfrac{a}{2s}) + (1-p)\,\Phi(s - \tfrac{a}{2s}),
        & 0 \le \epsilon < \eta,\\
    p, & \eta \le \epsilon < 1, \end{cases}

(for ``1/2 <= p < 1``; ``R* = 1`` at ``p = 1``; at ``eps < eta`` with ``p = 1/2`` it is
``Phi(s)``, f_avg's C-FAVG value).

**Achiever.** For ``eps < eta`` the Bayes rule of the shifted model on ``(sign(x1), z)``, the
threshold rule with ``u = -a/(2s)`` (:func:`tradeoff.frontier.threshold_rule`): rounding ``x1`` to
its sign makes its own perturbation (``< 1``) harmless, and the worst move of a forward threshold
rule is exactly the shift, so its robust accuracy is ``R*``. For ``eta <= eps < 1``,
``f_rob = sign(x1)`` has robust accuracy ``p``. So robustness costs everything the weak features
offer already at radius ``eta``, half of Theorem 2.1's ``2*eta``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from tradeoff._validation import as_generator, check_dist, check_int, check_real
from tradeoff.classifiers import ThresholdRule
from tradeoff.distribution import Distribution
from tradeoff.montecarlo import Estimate, clopper_pearson

__all__ = [
    "optimal_robust_accuracy",
    "optimal_robust_classifier",
    "optrobust_expression",
    "shifted_accuracy_estimate",
]


def optrobust_expression(p: float, k: float, e: float) -> float:
    """``R*`` from ``p``, ``k = eta*sqrt(d)`` and ``e = eps*sqrt(d)`` without validation.

    Used by negative controls (e.g. ``p < 1/2``, where the true optimum is ``max(p, 1-p)``).
    """
    s = k - e
    if s <= 0:
        return p
    if p >= 1.0:
        return 1.0
    if p <= 0.0:
        return 0.0
    a = math.log(p / (1.0 - p))
    if a == 0.0:
        return float(ndtr(s))
    return float(p * ndtr(s + a / (2 * s)) + (1 - p) * ndtr(s - a / (2 * s)))


def optimal_robust_accuracy(dist: Distribution, eps: float) -> float:
    """The best l_inf-robust accuracy of any (randomized) classifier at radius ``eps``.

    Parameters
    ----------
    dist : Distribution
        ``1/2 <= p <= 1`` (the paper's standing assumption).
    eps : float
        Radius in ``[0, 1)``.
    """
    dist = check_dist(dist)
    if dist.p < 0.5:
        raise ValueError(f"p must be in [0.5, 1] for this closed form, got {dist.p!r}")
    eps = check_real("eps", eps, low=0.0, high=1.0, high_open=True)
    sd = math.sqrt(dist.d)
    if eps >= dist.eta:
        return dist.p
    return optrobust_expression(dist.p, dist.k, eps * sd)


def optimal_robust_classifier(dist: Distribution, eps: float) -> ThresholdRule:
    """A classifier attaining :func:`optimal_robust_accuracy` (a forward threshold rule)."""
    dist = check_dist(dist)
    if dist.p < 0.5:
        raise ValueError(f"p must be in [0.5, 1], got {dist.p!r}")
    eps = check_real("eps", eps, low=0.0, high=1.0, high_open=True)
    s = (dist.eta - eps) * math.sqrt(dist.d)
    if eps >= dist.eta or dist.p == 1.0 or s <= 0:
        u = -math.inf
    else:
        u = -math.log(dist.p / (1.0 - dist.p)) / (2.0 * s)
    return ThresholdRule(u, -u, name="optimal-robust")


def shifted_accuracy_estimate(classifier, dist: Distribution, tau: float, n: int,
                              rng, *, alpha: float = 1e-9, batch: int = 100_000) -> Estimate:
    """Monte Carlo accuracy after every weak coordinate moves by ``-tau*y`` (radius ``tau``).

    An admissible l_inf attack for every ``eps >= tau``, so its accuracy upper-bounds the robust
    accuracy there. Returns an :class:`~tradeoff.montecarlo.Estimate` with its exact
    Clopper–Pearson interval at level ``1 - alpha``.
    """
    dist = check_dist(dist)
    tau = check_real("tau", tau, low=0.0)
    n = check_int("n", n, low=1)
    batch = check_int("batch", batch, low=1)
    gen = as_generator(rng)
    correct = 0
    for start in range(0, n, batch):
        m = min(batch, n - start)
        X, y = dist.sample(m, gen)
        X[:, 1:] -= tau * y[:, None]
        pred = np.asarray(classifier(X))
        if pred.shape != y.shape or not np.all((pred == 1) | (pred == -1)):
            raise ValueError("classifier must return labels in {-1, +1} of shape (n,)")
        correct += int(np.sum(pred == y))
    lo, hi = clopper_pearson(correct, n, alpha)
    return Estimate(correct, n, alpha, lo, hi)
