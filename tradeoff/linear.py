r"""Exact standard and robust accuracy of linear classifiers on D(p, eta, d).

For ``f(x) = sign(w.x + b)`` (prediction ``+1`` iff the score is ``> 0``, else ``-1``), split
``w = (w1, w_rest)`` and let ``m = eta*sum(w_rest)``, ``sigma = ||w_rest||_2`` and ``s = y*x1``.
Given ``y`` and ``s`` the signed score ``y(w.x + b)`` is ``N(w1*s + m + y*b, sigma^2)``, and the
worst perturbation of radius ``eps`` in ``l_q`` lowers it by ``r = eps*||w||_{q*}`` (dual norm of
the *whole* vector, x1 included; docs/theory.md §2). Hence

.. math::
    \mathrm{acc}_\epsilon(f) = \tfrac12 \sum_{y=\pm1} \big[
        p\,\Phi(\tfrac{w_1 + m + yb - r}{\sigma})
    + (1-p)\,\Phi(\tfrac{-w_1 + m + yb - r}{\sigma}) \big].

When ``sigma = 0`` (all weak weights zero) ``Phi`` becomes an indicator; under the sign convention
a tie ``score = 0`` is predicted ``-1``, so it counts as correct for ``y = -1`` only.

Every function is vectorized: ``w`` may hold ``m`` classifiers as rows.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from tradeoff._validation import check_bias, check_dist, check_norm, check_real, check_weights
from tradeoff.distribution import Distribution

__all__ = [
    "normalize",
    "reduced_accuracy",
    "robust_accuracy",
    "scaled_norm",
    "shift_accuracy",
    "standard_accuracy",
]


def scaled_norm(a, axis: int = -1) -> np.ndarray:
    r"""Euclidean norm along ``axis`` without underflow or overflow: ``M ||a / M||_2``.

    ``M = max |a_i|``. ``np.linalg.norm`` squares the entries first, so ``[7.8e-220]`` has norm
    0 there (``(7.8e-220)^2`` underflows) while the true norm is ``7.8e-220``; after dividing by
    ``M`` the largest entry is 1 and nothing under- or overflows. All-zero rows give 0.
    """
    a = np.asarray(a, dtype=float)
    if a.shape[axis] == 0:
        return np.linalg.norm(a, axis=axis)
    big = np.max(np.abs(a), axis=axis, keepdims=True)
    safe = np.where(big > 0, big, 1.0)
    return np.squeeze(big, axis=axis) * np.linalg.norm(a / safe, axis=axis)


def reduced_accuracy(w1, mean_rest, sigma, b, p: float, r, r_rest=0.0) -> np.ndarray:
    r"""Accuracy from the reduced statistics of a linear rule (all arguments broadcast).

    Parameters
    ----------
    w1 : array_like
        Weight on the robust feature x1.
    mean_rest : array_like
        ``m = eta * sum(w_rest)``: mean of ``y * w_rest . x_rest``.
    sigma : array_like
        ``||w_rest||_2 >= 0``: standard deviation of ``w_rest . x_rest``.
    b : array_like
        Bias.
    p : float
        Probability that ``x1 = y``.
    r : array_like
        Worst-case reduction of the signed score: 0 (standard), ``eps*||w||_1`` (l_inf) or
        ``eps*||w||_2`` (l_2); or only its x1 share when ``r_rest`` is given.
    r_rest : array_like, default 0
        The weak coordinates' share of the reduction, subtracted after the O(1) terms:
        ``eps*||w_rest||_1`` (l_inf) or ``eps*(||w||_2 - |w1|)`` (l_2) with ``r = eps*|w1|``.
        ``eps*||w||_1`` in one float absorbs a tiny ``||w_rest||_1`` into ``|w1|`` (``1 + 1e-30
        == 1``), and the score's exact cancellation at a tie then loses it.

    Returns
    -------
    numpy.ndarray
        ``P[y(w.(x+delta)+b) correct for every admissible delta]``.
    """
    w1, mean_rest, sigma, b, r, r_rest = np.broadcast_arrays(
        *(np.asarray(a, dtype=float) for a in (w1, mean_rest, sigma, b, r, r_rest))
    )
    total = np.zeros(w1.shape, dtype=float)
    pos = sigma > 0
    safe_sigma = np.where(pos, sigma, 1.0)
    for y in (1.0, -1.0):
        for s, weight in ((1.0, p), (-1.0, 1.0 - p)):
            # The O(1) terms of x1 and the bias first: they cancel exactly at a tie
            # (w1*s = -y*b), and the weak part (mean_rest, possibly ~1e-129) must not be lost
            # to that cancellation (soak finding: w = (1, 4e-129), b = 1, p = 0, eta = 1); the
            # same for the weak share of the attack's reduction (w = (1, 1e-30), eps = 1, p = 1,
            # eta = 0.3: robust accuracy 0.242, not 0.618).
            mu = ((w1 * s + y * b) - r) + (mean_rest - r_rest)
            with np.errstate(over="ignore"):  # mu/sigma = +-inf: ndtr gives the exact 0 or 1
                smooth = ndtr(mu / safe_sigma)
            # sigma = 0: a deterministic score; a tie is predicted -1, correct only for y = -1.
            hard = (mu > 0) if y > 0 else (mu >= 0)
            total += 0.5 * weight * np.where(pos, smooth, hard.astype(float))
    return total


def normalize(w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale each classifier ``(w, b)`` by ``1/max(|w|, |b|)``.

    ``sign(c*(w.x + b))`` does not depend on ``c > 0``, but ``||w_rest||_2`` underflows for weights
    near 1e-170 and overflows near 1e200; after scaling every entry is at most 1 in magnitude.
    The all-zero classifier is left as it is (it predicts -1 everywhere).
    """
    scale = np.maximum(np.abs(w).max(axis=-1), np.abs(b))
    safe = np.where(scale > 0, scale, 1.0)
    return w / safe[..., None], b / safe


def _split(w: np.ndarray, dist: Distribution):
    w1 = w[..., 0]
    rest = w[..., 1:]
    return w1, dist.eta * rest.sum(axis=-1), scaled_norm(rest)


def _finish(out: np.ndarray, w: np.ndarray):
    return float(out) if w.ndim == 1 else out


def standard_accuracy(w, dist: Distribution, b=0.0):
    """Exact standard accuracy ``P[sign(w.x + b) = y]`` on ``dist`` (docs/theory.md §2).

    Parameters
    ----------
    w : array_like, shape (d+1,) or (m, d+1)
        Weights, coordinate 0 on x1; a 2-D array evaluates ``m`` classifiers at once.
    dist : Distribution
        The model D(p, eta, d).
    b : float or array_like of shape (m,)
        Bias.

    Returns
    -------
    float or numpy.ndarray
        A float for one classifier, an array of shape ``(m,)`` for many.
    """
    dist = check_dist(dist)
    w = check_weights(w, dist.dim)
    bb = check_bias(b, w.shape[0] if w.ndim == 2 else None)
    w, bb = normalize(w, bb)
    w1, m, sigma = _split(w, dist)
    return _finish(reduced_accuracy(w1, m, sigma, bb, dist.p, 0.0), w)


def robust_accuracy(w, dist: Distribution, eps, norm="inf", b=0.0):
    r"""Exact ``l_inf`` or ``l_2`` robust accuracy of ``sign(w.x + b)`` at radius ``eps``.

    The adversary may move every coordinate, x1 included; the worst case lowers the signed
    score by ``eps*||w||_1`` (``norm="inf"``) or ``eps*||w||_2`` (``norm="2"``) (C-HINGE's
    dual-norm identity).

    Parameters
    ----------
    w : array_like, shape (d+1,) or (m, d+1)
    dist : Distribution
    eps : float
        Radius, finite and ``>= 0``.
    norm : {"inf", "2"}
    b : float or array_like of shape (m,)
    """
    dist = check_dist(dist)
    w = check_weights(w, dist.dim)
    eps = check_real("eps", eps, low=0.0)
    norm = check_norm(norm)
    bb = check_bias(b, w.shape[0] if w.ndim == 2 else None)
    w, bb = normalize(w, bb)
    w1, m, sigma = _split(w, dist)
    return _finish(reduced_accuracy(w1, m, sigma, bb, dist.p, eps * np.abs(w1),
                                    eps * _dual_rest(w, sigma, norm)), w)


def _dual_rest(w: np.ndarray, sigma: np.ndarray, norm: str) -> np.ndarray:
    """The weak coordinates' share of the dual norm, ``||w||_* - |w1|``, without absorbing it
    into ``|w1|``: ``||w_rest||_1`` (l_inf) or ``sigma^2 / (||w||_2 + |w1|)`` (l_2, with
    ``sigma = ||w_rest||_2``; no cancellation)."""
    if norm == "inf":
        return np.abs(w[..., 1:]).sum(axis=-1)
    total = scaled_norm(w)
    safe = np.where(total > 0, total + np.abs(w[..., 0]), 1.0)
    return np.where(total > 0, sigma * (sigma / safe), 0.0)


def shift_accuracy(w, dist: Distribution, b=0.0):
    """Exact accuracy of ``sign(w.x + b)`` under the proof's shift attack (C-C1).

    Subtracting ``2*eta*y`` from every weak coordinate turns the mean ``m`` of the weak part of
    the signed score into ``m - 2*eta*sum(w_rest) = -m``.
    """
    dist = check_dist(dist)
    w = check_weights(w, dist.dim)
    bb = check_bias(b, w.shape[0] if w.ndim == 2 else None)
    w, bb = normalize(w, bb)
    w1, m, sigma = _split(w, dist)
    return _finish(reduced_accuracy(w1, -m, sigma, bb, dist.p, 0.0), w)
