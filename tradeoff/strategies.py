"""Hypothesis strategies for the regions of the paper's theorems (importable by users).

Each strategy draws parameters *inside* a printed hypothesis region by construction (no
``assume``), over the whole stated range: every ``d >= 1`` (small values and values up to 10^5),
``p`` from exactly 1/2 up to just below 1, ``eta`` from exactly 0 up to large values, and radii
from the boundary (``eps = 2*eta`` exactly) outwards.

Cases are typed, frozen records (:class:`ModelCase`, :class:`RadiusCase`,
:class:`ClassifierCase`, :class:`TrainingCase`); every strategy function validates its arguments
eagerly (``ValueError``/``TypeError`` naming the parameter) when it is called, not when Hypothesis
first draws from it.

:func:`mostly` builds the search budget of the verifier: a strategy that spends a stated share of
its draws in an *interior* (informative) strategy and the rest on the edges, constructed rather
than filtered.

Example
-------
>>> from hypothesis import given
>>> from tradeoff.strategies import theorem21_cases
>>> @given(theorem21_cases())
... def test_my_classifier(case): ...  # case.dist, case.eps, case.classifier
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tradeoff import bounds
from tradeoff._validation import check_dist, check_int, check_real
from tradeoff.classifiers import LinearRule, Mixture, NeuralNet, ThresholdRule
from tradeoff.distribution import Distribution

__all__ = [
    "MAX_D",
    "MAX_D_MONTE_CARLO",
    "THEOREM22_K_MIN",
    "THEOREM22_P_MAX",
    "ClassifierCase",
    "ModelCase",
    "RadiusCase",
    "TrainingCase",
    "classifiers",
    "dims",
    "distributions",
    "etas",
    "linear_rules",
    "mostly",
    "neural_nets",
    "probabilities",
    "radii_at_least",
    "reference_mixtures",
    "svm_rules",
    "theorem21_cases",
    "theorem22_cases",
    "theorem22_region",
    "threshold_rules",
    "weight_vectors",
]

T = TypeVar("T")
Classifier = LinearRule | ThresholdRule | Mixture | NeuralNet

THEOREM22_P_MAX = 0.975
"""Theorem 2.2's hypothesis ``p <= 0.975`` (p. 6)."""
THEOREM22_K_MIN = 4.0
"""Theorem 2.2's hypothesis ``eta >= 4/sqrt(d)``, i.e. ``k >= 4`` (p. 6)."""


@dataclass(frozen=True)
class ModelCase:
    """A distribution D(p, eta, d) alone."""

    dist: Distribution


@dataclass(frozen=True)
class RadiusCase:
    """A distribution and an l_inf radius ``eps``."""

    dist: Distribution
    eps: float


@dataclass(frozen=True)
class ClassifierCase:
    """A distribution, an l_inf radius ``eps`` and a classifier (Theorem 2.1's cases)."""

    dist: Distribution
    eps: float
    classifier: Classifier


@dataclass(frozen=True)
class TrainingCase:
    """A distribution, a training radius ``eps_train`` and a test radius ``eps``."""

    dist: Distribution
    eps_train: float
    eps: float = 0.0


def mostly(interior: SearchStrategy[T], edges: SearchStrategy[T], *,
           share: float = 0.85) -> SearchStrategy[T]:
    """Draw from ``interior`` with probability about ``share``, else from ``edges``.

    Constructed, not filtered: a selector in ``0..99`` picks the branch, and it shrinks towards
    ``interior`` (selector 0), so a counterexample found on an edge still shrinks there if the
    edge is where it lives.
    """
    share = check_real("share", share, low=0.0, high=1.0)
    if not isinstance(interior, SearchStrategy):
        raise TypeError(f"interior must be a SearchStrategy, got {type(interior).__name__}")
    if not isinstance(edges, SearchStrategy):
        raise TypeError(f"edges must be a SearchStrategy, got {type(edges).__name__}")
    cut = round(100 * share)
    return st.integers(0, 99).flatmap(lambda i: interior if i < cut else edges)

# Cost caps of the Monte Carlo family only (a neural network costs O(n*d) per estimate); the
# closed-form families range over every d up to MAX_D.
MAX_D = 100_000
MAX_D_MONTE_CARLO = 512


def dims(max_value: int = MAX_D) -> st.SearchStrategy[int]:
    """``d >= 1``: small values often, large values up to ``max_value``."""
    max_value = check_int("max_value", max_value, low=1)
    return st.one_of(st.integers(1, 12), st.integers(1, max_value))


def probabilities(low: float = 0.5, high: float = 1.0, *,
                  exclude_high: bool = True) -> SearchStrategy[float]:
    """``p`` in ``[low, high)`` (or ``[low, high]``), endpoints and near-endpoints included."""
    low = check_real("low", low, low=0.0, high=1.0)
    high = check_real("high", high, low=0.0, high=1.0)
    if high <= low:
        raise ValueError(f"high must be > low = {low!r}, got {high!r}")
    inner = st.floats(low, high, exclude_max=exclude_high, allow_nan=False)
    edges = [st.just(low)]
    if not exclude_high:
        edges.append(st.just(high))
    else:
        edges.append(st.just(math.nextafter(high, low)))
    return st.one_of(*edges, inner)


def etas(max_value: float = 1e3) -> st.SearchStrategy[float]:
    """``eta >= 0``: exactly 0, the paper's scale ``Theta(1/sqrt(d))`` and large values."""
    max_value = check_real("max_value", max_value, low=1.0)
    return st.one_of(st.just(0.0), st.floats(0.0, 1.0), st.floats(0.0, max_value))


def distributions(*, p_low: float = 0.5, p_high: float = 1.0, exclude_p_high: bool = True,
                  max_d: int = MAX_D, k_min: float | None = None) -> SearchStrategy[Distribution]:
    """Distributions D(p, eta, d); with ``k_min``, ``eta >= k_min/sqrt(d)`` (``k >= k_min``)."""
    probabilities(p_low, p_high, exclude_high=exclude_p_high)  # validates p_low and p_high
    max_d = check_int("max_d", max_d, low=1)
    if k_min is not None:
        k_min = check_real("k_min", k_min, low=0.0, high=50.0)

    @st.composite
    def build(draw):
        d = draw(dims(max_d))
        p = draw(probabilities(p_low, p_high, exclude_high=exclude_p_high))
        if k_min is None:
            eta = draw(etas())
        else:
            k = draw(st.one_of(st.just(float(k_min)), st.floats(k_min, 50.0),
                               st.floats(k_min, 1e4)))
            eta = k / math.sqrt(d)
        return Distribution(p, eta, d)

    return build()


def radii_at_least(minimum: float, *, below: float | None = None) -> SearchStrategy[float]:
    """Radii ``eps >= minimum`` (``minimum`` itself included), optionally ``< below``."""
    minimum = check_real("minimum", minimum, low=0.0)
    if below is not None:
        below = check_real("below", below, low=0.0)
    if below is not None:
        if minimum >= below:
            return st.nothing()
        return st.one_of(st.just(minimum),
                         st.floats(minimum, below, exclude_max=True, allow_nan=False))
    return st.one_of(st.just(minimum), st.floats(minimum, minimum + 2.0),
                     st.floats(minimum, minimum + 1e3))


def weight_vectors(d: int) -> SearchStrategy[np.ndarray]:
    """Weight vectors of length d+1: drawn entry by entry for small d, else structured."""
    d = check_int("d", d, low=1)
    coef = st.floats(-100.0, 100.0, allow_nan=False)
    if d <= 8:
        return st.lists(coef, min_size=d + 1, max_size=d + 1).map(np.array)

    @st.composite
    def structured(draw):
        w1 = draw(coef)
        mean, spread = draw(coef), draw(st.floats(0.0, 10.0))
        seed = draw(st.integers(0, 2**32 - 1))
        rest = mean / d + spread * np.random.default_rng(seed).standard_normal(d) / math.sqrt(d)
        return np.concatenate([[w1], rest])

    return structured()


def linear_rules(d: int) -> SearchStrategy[LinearRule]:
    """Arbitrary linear rules ``sign(w.x + b)`` with bias (zero weak weights included)."""
    d = check_int("d", d, low=1)
    coef = st.floats(-100.0, 100.0, allow_nan=False)
    zero_weak = st.builds(lambda w1: np.concatenate([[w1], np.zeros(d)]), coef)
    # Ties: zero weak weights and b = +-w1, so the score is exactly 0 for one value of x1 and the
    # prediction convention (sign(0) = -1) decides.
    ties = st.builds(lambda w1, s: LinearRule(np.concatenate([[w1], np.zeros(d)]), s * w1),
                     coef, st.sampled_from([-1.0, 1.0]))
    return st.one_of(st.builds(LinearRule, st.one_of(weight_vectors(d), zero_weak), coef), ties)


def threshold_rules() -> SearchStrategy[ThresholdRule]:
    """Threshold rules on ``(sign(x1), z)``, forward or reversed, thresholds possibly infinite."""
    u = st.one_of(st.floats(-12.0, 12.0, allow_nan=False), st.sampled_from([-math.inf, math.inf]))
    return st.builds(ThresholdRule, u, u, st.booleans(), st.booleans())


def reference_mixtures(d: int) -> SearchStrategy[LinearRule | Mixture]:
    """f_avg, f_rob and their randomized mixtures."""
    d = check_int("d", d, low=1)
    f_avg = LinearRule(bounds.f_avg_weights(d), name="f_avg")
    f_rob = LinearRule(bounds.f_rob_weights(d), name="f_rob")
    return st.one_of(
        st.sampled_from([f_avg, f_rob]),
        st.floats(0.0, 1.0).map(lambda q: Mixture((f_avg, f_rob), (q, 1.0 - q))),
    )


def svm_rules(dist: Distribution) -> SearchStrategy[LinearRule]:
    """Population SVMs (standard and adversarial) and sample SVMs on sufficient statistics."""
    check_dist(dist)
    from tradeoff import svm
    from tradeoff.montecarlo import derive_seed

    def population(eps_train: float) -> LinearRule:
        return LinearRule(svm.population_svm(dist, eps_train), name="population-svm")

    def sample(args) -> LinearRule:
        n, eps_train = args
        x1, z, y = dist.sample_sufficient(n, derive_seed("svm-sample", dist, n))
        try:
            w = svm.sufficient_svm(x1, z, y, dist.d, eps_train)
        except RuntimeError:
            # Clarabel could not certify an optimum (status other than OPTIMAL) on this sample:
            # there is no sample SVM to test, so the draw is rejected (never silently kept).
            reject()
        return LinearRule(w, name="sample-svm")

    eps_train = st.one_of(st.just(0.0), st.just(2 * dist.eta), st.floats(0.0, 1.0))
    return st.one_of(eps_train.map(population),
                     st.tuples(st.integers(10, 400), eps_train).map(sample))


def neural_nets(dist: Distribution) -> SearchStrategy[NeuralNet]:
    """Small random ReLU networks (Monte Carlo family)."""
    check_dist(dist)
    return st.builds(lambda h, seed, scale: NeuralNet.random(dist.dim, h, seed, weak_scale=scale),
                     st.integers(1, 16), st.integers(0, 2**32 - 1),
                     st.sampled_from([0.0, 0.1, 1.0, 10.0]))


def classifiers(dist: Distribution, *, monte_carlo: bool = True,
                svms: bool = True) -> SearchStrategy[Classifier]:
    """Every classifier family of the verifier, for inputs of ``dist``."""
    check_dist(dist)
    families = [linear_rules(dist.d), threshold_rules(), reference_mixtures(dist.d)]
    mixed = st.tuples(linear_rules(dist.d), threshold_rules(), st.floats(0.0, 1.0)).map(
        lambda t: Mixture((t[0], t[1]), (t[2], 1.0 - t[2])))
    families.append(mixed)
    if svms:
        families.append(svm_rules(dist))
    if monte_carlo and dist.d <= MAX_D_MONTE_CARLO:
        families.append(neural_nets(dist))
    return st.one_of(*families)


def _accurate_rules(dist: Distribution) -> SearchStrategy[Classifier]:
    """Classifiers whose standard accuracy is near the top (where Theorem 2.1's bound is below 1
    and therefore informative): forward threshold rules between f_avg (``u = 0``) and f_rob
    (``u = inf``), the Bayes-shaped linear rules ``(a, 2 eta, ..., 2 eta)`` for a range of ``a``,
    and population SVMs."""
    u = st.floats(0.0, 8.0)
    forward = u.map(lambda t: ThresholdRule(-t, t))
    weak = 2.0 * dist.eta
    bayes_like = st.floats(0.0, 20.0).map(
        lambda a: LinearRule(np.concatenate([[a], np.full(dist.d, weak)]), name="bayes-like"))
    families = [forward, bayes_like, st.just(LinearRule(bounds.f_rob_weights(dist.d)))]
    if dist.d <= MAX_D_MONTE_CARLO:
        families.append(svm_rules(dist))
    return st.one_of(*families)


def _theorem21_interior(eps_factor: float) -> SearchStrategy[ClassifierCase]:
    """1/2 < p <= 0.999, k in [0.3, 6], eps in [eps_factor*eta, eps_factor*eta + 1]."""

    @st.composite
    def build(draw):
        d = draw(st.one_of(st.integers(1, 64), st.integers(1, 5000)))
        p = draw(st.floats(0.51, 0.999))
        k = draw(st.floats(0.3, 6.0))
        dist = Distribution(p, k / math.sqrt(d), d)
        low = eps_factor * dist.eta
        eps = draw(st.one_of(st.just(low), st.floats(low, low + 1.0)))
        return ClassifierCase(dist, eps, draw(_accurate_rules(dist)))

    return build()


def theorem21_cases(*, p_low: float = 0.5, eps_factor: float = 2.0,
                    monte_carlo: bool = True) -> SearchStrategy[ClassifierCase]:
    """Cases of C-2.1 as printed: ``1/2 <= p < 1``, ``eta >= 0``, ``d >= 1``,
    ``eps >= eps_factor*eta``, and a classifier from every family.

    About 85 % of the draws (:func:`mostly`) come from the informative interior
    ``1/2 < p <= 0.999``, ``k in [0.3, 6]`` with classifiers of high standard accuracy (where
    the bound is below 1); the rest range over the whole printed region and every family.
    """
    p_low = check_real("p_low", p_low, low=0.0, high=1.0, high_open=True)
    eps_factor = check_real("eps_factor", eps_factor, low=0.0)

    @st.composite
    def build(draw):
        dist = draw(distributions(p_low=p_low))
        eps = draw(radii_at_least(eps_factor * dist.eta))
        f = draw(classifiers(dist, monte_carlo=monte_carlo))
        return ClassifierCase(dist, eps, f)

    if p_low > 0.51:
        return build()
    return mostly(_theorem21_interior(eps_factor), build())


def theorem22_region() -> SearchStrategy[Distribution]:
    """Theorem 2.2's region H: ``1/2 <= p <= 0.975``, ``k = eta*sqrt(d) >= 4``, every ``d >= 1``.

    About 85 % of the draws have ``k in [4, 6]`` and ``p in [0.5, 0.975]`` (where the
    theorem's 99 % / 1 % thresholds are closest); the rest reach ``k`` up to ``10^4``.
    """

    @st.composite
    def interior(draw):
        d = draw(dims())
        p = draw(st.floats(0.5, THEOREM22_P_MAX))
        k = draw(st.one_of(st.just(THEOREM22_K_MIN), st.floats(THEOREM22_K_MIN, 6.0)))
        return Distribution(p, k / math.sqrt(d), d)

    edges = distributions(p_low=0.5, p_high=THEOREM22_P_MAX, exclude_p_high=False,
                          k_min=THEOREM22_K_MIN)
    return mostly(interior(), edges)


def theorem22_cases() -> SearchStrategy[ModelCase]:
    """:func:`theorem22_region` as :class:`ModelCase` records (C-D2, C-D3, C-D4)."""
    return theorem22_region().map(ModelCase)
