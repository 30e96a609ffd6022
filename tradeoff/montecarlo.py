"""Black-box accuracy estimates with exact confidence bounds, and the proof's shift attack.

For classifiers without a closed form (e.g. neural networks), standard accuracy and accuracy
under the shift attack of Appendix C (C-C1) are estimated by sampling, with exact
Clopper–Pearson intervals. Every estimate carries its interval; callers decide with the interval,
never with the point estimate. Seeds come from the parameters (:func:`derive_seed`), so a
Hypothesis search that revisits a case draws the very same sample.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tradeoff._validation import as_generator, check_dist, check_int, check_real
from tradeoff.distribution import Distribution

__all__ = [
    "Classifier",
    "Estimate",
    "clopper_pearson",
    "derive_seed",
    "estimate_accuracy",
    "hoeffding_radius",
    "shift_attack",
]

Classifier = Callable[[np.ndarray], np.ndarray]
"""A black-box classifier: inputs of shape (n, d+1) to labels in {-1, +1} of shape (n,)."""


def derive_seed(*params: object) -> int:
    """A 63-bit seed derived from the parameters' ``repr`` (stable across runs and machines)."""
    text = "|".join(repr(float(x)) if isinstance(x, float) else repr(x) for x in params)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1


def clopper_pearson(successes: int, n: int, alpha: float) -> tuple[float, float]:
    r"""Exact two-sided Clopper–Pearson interval of level ``1 - alpha`` for a binomial proportion.

    Notes
    -----
    .. math:: [B(\alpha/2; x, n-x+1),\; B(1-\alpha/2; x+1, n-x)]

    with ``B`` the beta quantile. At the ends the quantiles have closed forms, used as such:
    ``x = 0`` gives ``[0, 1 - (alpha/2)^(1/n)]`` and ``x = n`` gives ``[(alpha/2)^(1/n), 1]``.
    Elsewhere the lower end inverts the regularized incomplete beta function and the upper end
    its complement (``scipy.special.betaincinv`` / ``betainccinv``), so that neither is computed
    from ``1 - alpha/2``, which rounds away the digits of a small ``alpha`` (at ``x = 0``,
    ``n = 13``, ``alpha = 1e-12`` the quantile at ``1 - alpha/2`` is off by ``7.7e-7``).
    Coverage is at least ``1 - alpha`` for every true proportion.
    """
    n = check_int("n", n, low=1)
    successes = check_int("successes", successes, low=0)
    if successes > n:
        raise ValueError(f"successes must be in [0, n] = [0, {n}], got {successes}")
    alpha = check_real("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    from scipy.special import betainccinv, betaincinv

    half = alpha / 2.0
    if successes == 0:
        lo = 0.0
        hi = -math.expm1(math.log(half) / n)  # 1 - (alpha/2)^(1/n) without cancellation
    else:
        lo = float(betaincinv(successes, n - successes + 1, half))
    if successes == n:
        hi = 1.0
        lo = math.exp(math.log(half) / n)
    elif successes > 0:
        hi = float(betainccinv(successes + 1, n - successes, half))
    return lo, hi


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo accuracy estimate with its exact interval."""

    successes: int
    n: int
    alpha: float
    low: float
    high: float

    @property
    def value(self) -> float:
        """Point estimate ``successes / n`` (for display; decide with ``low``/``high``)."""
        return self.successes / self.n


def shift_attack(X, y, eta: float) -> np.ndarray:
    r"""The proof's adversary (C-C1): subtract ``2*eta*y`` from every weak coordinate.

    It maps :math:`G_{+}` onto :math:`G_{-}` and back; its l_inf norm is ``2*eta``, so it is
    admissible for every ``eps >= 2*eta``. ``x1`` (column 0) is untouched.

    Parameters
    ----------
    X : array_like, shape (n, d+1)
    y : array_like, shape (n,), entries in {-1, +1}
    eta : float, >= 0
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] < 2:
        raise ValueError(f"X must have shape (n, d+1) with d >= 1, got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    if not np.all((y == 1.0) | (y == -1.0)):
        raise ValueError("y must take values in {-1, +1}")
    eta = check_real("eta", eta, low=0.0)
    out = X.copy()
    out[:, 1:] -= 2.0 * eta * y[:, None]
    return out


def _count_correct(classifier: Classifier, X: np.ndarray, y: np.ndarray) -> int:
    pred = np.asarray(classifier(X))
    if pred.shape != y.shape:
        raise ValueError(f"classifier must return shape {y.shape}, got {pred.shape}")
    if not np.all((pred == 1) | (pred == -1)):
        raise ValueError("classifier must return labels in {-1, +1}")
    return int(np.sum(pred == y))


def estimate_accuracy(
    classifier: Classifier,
    dist: Distribution,
    n: int,
    rng: np.random.Generator | int,
    *,
    attack: str | None = None,
    alpha: float = 1e-9,
    batch: int = 200_000,
) -> Estimate:
    """Estimate standard accuracy (``attack=None``) or accuracy under the shift attack.

    Parameters
    ----------
    classifier : callable
        Maps an array of shape (n, d+1) to labels in {-1, +1}.
    dist : Distribution
    n : int
        Sample size, ``>= 1``.
    rng : numpy.random.Generator or int
        Source of randomness; use :func:`derive_seed` of the case's parameters.
    attack : {None, "shift"}
        ``"shift"`` applies :func:`shift_attack` (admissible for every ``eps >= 2*eta``, so the
        result upper-bounds the l_inf-robust accuracy there: C-C2).
    alpha : float
        Two-sided false-failure probability of the Clopper–Pearson interval (default 1e-9).
    batch : int
        Samples drawn per call of the classifier (memory bound).
    """
    check_dist(dist)
    n = check_int("n", n, low=1)
    batch = check_int("batch", batch, low=1)
    if attack not in (None, "shift"):
        raise ValueError(f"attack must be None or 'shift', got {attack!r}")
    gen = as_generator(rng)
    correct = 0
    for start in range(0, n, batch):
        m = min(batch, n - start)
        X, y = dist.sample(m, gen)
        if attack == "shift":
            X = shift_attack(X, y, dist.eta)
        correct += _count_correct(classifier, X, y)
    low, high = clopper_pearson(correct, n, alpha)
    return Estimate(correct, n, alpha, low, high)


def hoeffding_radius(n: int, alpha: float) -> float:
    """Half-width ``sqrt(log(2/alpha) / (2n))`` of a two-sided Hoeffding interval for a mean in
    [0, 1]; used where an exact binomial interval does not apply (e.g. averaged probabilities)."""
    n = check_int("n", n, low=1)
    alpha = check_real("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * n))
