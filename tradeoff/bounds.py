"""Theorem 2.1 (p. 5) and the closed forms of the paper's two reference classifiers.

C-2.1: any classifier with standard accuracy ``>= 1 - delta`` on D(p, eta, d) has l_inf-robust
accuracy ``<= p/(1-p) * delta`` against every adversary with ``eps >= 2*eta`` (1/2 <= p < 1).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from tradeoff._validation import check_dist, check_int, check_real
from tradeoff.distribution import Distribution

__all__ = [
    "bound_expression",
    "f_avg_accuracy",
    "f_avg_weights",
    "f_rob_accuracy",
    "f_rob_weights",
    "tradeoff_bound",
]


def bound_expression(standard_accuracy: float, p: float) -> float:
    """``p/(1-p) * (1 - standard_accuracy)`` without checking the theorem's hypotheses.

    Used by the verifier's negative controls (e.g. ``p < 1/2``, where Theorem 2.1 fails).
    """
    return p / (1.0 - p) * (1.0 - standard_accuracy)


def tradeoff_bound(standard_accuracy: float, p: float) -> float:
    r"""Theorem 2.1's ceiling on l_inf-robust accuracy at ``eps >= 2*eta``.

    Parameters
    ----------
    standard_accuracy : float
        Standard accuracy ``1 - delta`` of the classifier, in ``[0, 1]``.
    p : float
        Robust-feature agreement, in ``[1/2, 1)`` (the theorem's hypothesis).

    Returns
    -------
    float
        :math:`\frac{p}{1-p}\,\delta` with :math:`\delta = 1 - \mathrm{acc}`. It may exceed 1,
        in which case the theorem says nothing.

    Notes
    -----
    Tsipras et al. (2019), Theorem 2.1, p. 5; proof in Appendix C (claims C-C1 ... C-C5).
    """
    acc = check_real("standard_accuracy", standard_accuracy, low=0.0, high=1.0)
    p = check_real("p", p, low=0.5, high=1.0, high_open=True)
    return bound_expression(acc, p)


def f_avg_weights(d: int) -> np.ndarray:
    """Weights of ``f_avg(x) = sign(mean(x_2..x_{d+1}))`` (docs/theory.md §2)."""
    d = check_int("d", d, low=1)
    w = np.full(d + 1, 1.0 / d)
    w[0] = 0.0
    return w


def f_rob_weights(d: int) -> np.ndarray:
    """Weights of ``f_rob(x) = sign(x1)``."""
    d = check_int("d", d, low=1)
    w = np.zeros(d + 1)
    w[0] = 1.0
    return w


def f_avg_accuracy(dist: Distribution, eps: float = 0.0) -> float:
    """C-FAVG closed form: ``Phi((eta - eps)*sqrt(d))`` at l_inf radius ``eps``."""
    check_dist(dist)
    eps = check_real("eps", eps, low=0.0)
    return float(ndtr((dist.eta - eps) * math.sqrt(dist.d)))


def f_rob_accuracy(dist: Distribution, eps: float = 0.0) -> float:
    """C-FROB closed form: ``p`` at every l_inf radius ``eps < 1``."""
    check_dist(dist)
    eps = check_real("eps", eps, low=0.0, high=1.0, high_open=True)
    return dist.p
