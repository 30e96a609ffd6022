"""Hypothesis strategies for the regions of the paper's theorems (importable by users).

Each strategy draws parameters *inside* a printed hypothesis region by construction (no
``assume``), over the whole stated range: every ``d >= 1`` (small values and values up to 10^5),
``p`` from exactly 1/2 up to just below 1, ``eta`` from exactly 0 up to large values, and radii
from the boundary (``eps = 2*eta`` exactly) outwards.

Example
-------
>>> from hypothesis import given
>>> from tradeoff.strategies import theorem21_cases
>>> @given(theorem21_cases())
... def test_my_classifier(case): ...
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import reject
from hypothesis import strategies as st

from tradeoff import bounds
from tradeoff.classifiers import LinearRule, Mixture, NeuralNet, ThresholdRule
from tradeoff.distribution import Distribution

# Cost caps of the Monte Carlo family only (a neural network costs O(n*d) per estimate); the
# closed-form families range over every d up to MAX_D.
MAX_D = 100_000
MAX_D_MONTE_CARLO = 512


def dims(max_value: int = MAX_D) -> st.SearchStrategy[int]:
    """``d >= 1``: small values often, large values up to ``max_value``."""
    return st.one_of(st.integers(1, 12), st.integers(1, max_value))


def probabilities(low: float = 0.5, high: float = 1.0, *, exclude_high: bool = True):
    """``p`` in ``[low, high)`` (or ``[low, high]``), endpoints and near-endpoints included."""
    inner = st.floats(low, high, exclude_max=exclude_high, allow_nan=False)
    edges = [st.just(low)]
    if not exclude_high:
        edges.append(st.just(high))
    else:
        edges.append(st.just(math.nextafter(high, low)))
    return st.one_of(*edges, inner)


def etas(max_value: float = 1e3) -> st.SearchStrategy[float]:
    """``eta >= 0``: exactly 0, the paper's scale ``Theta(1/sqrt(d))`` and large values."""
    return st.one_of(st.just(0.0), st.floats(0.0, 1.0), st.floats(0.0, max_value))


def distributions(*, p_low: float = 0.5, p_high: float = 1.0, exclude_p_high: bool = True,
                  max_d: int = MAX_D, k_min: float | None = None):
    """Distributions D(p, eta, d); with ``k_min``, ``eta >= k_min/sqrt(d)`` (``k >= k_min``)."""

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


def radii_at_least(minimum: float, *, below: float | None = None):
    """Radii ``eps >= minimum`` (``minimum`` itself included), optionally ``< below``."""
    if below is not None:
        if minimum >= below:
            return st.nothing()
        return st.one_of(st.just(minimum),
                         st.floats(minimum, below, exclude_max=True, allow_nan=False))
    return st.one_of(st.just(minimum), st.floats(minimum, minimum + 2.0),
                     st.floats(minimum, minimum + 1e3))


def weight_vectors(d: int):
    """Weight vectors of length d+1: drawn entry by entry for small d, else structured."""
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


def linear_rules(d: int):
    """Arbitrary linear rules ``sign(w.x + b)`` with bias (zero weak weights included)."""
    coef = st.floats(-100.0, 100.0, allow_nan=False)
    zero_weak = st.builds(lambda w1: np.concatenate([[w1], np.zeros(d)]), coef)
    # Ties: zero weak weights and b = +-w1, so the score is exactly 0 for one value of x1 and the
    # prediction convention (sign(0) = -1) decides.
    ties = st.builds(lambda w1, s: LinearRule(np.concatenate([[w1], np.zeros(d)]), s * w1),
                     coef, st.sampled_from([-1.0, 1.0]))
    return st.one_of(st.builds(LinearRule, st.one_of(weight_vectors(d), zero_weak), coef), ties)


def threshold_rules():
    """Threshold rules on ``(sign(x1), z)``, forward or reversed, thresholds possibly infinite."""
    u = st.one_of(st.floats(-12.0, 12.0, allow_nan=False), st.sampled_from([-math.inf, math.inf]))
    return st.builds(ThresholdRule, u, u, st.booleans(), st.booleans())


def reference_mixtures(d: int):
    """f_avg, f_rob and their randomized mixtures."""
    f_avg = LinearRule(bounds.f_avg_weights(d), name="f_avg")
    f_rob = LinearRule(bounds.f_rob_weights(d), name="f_rob")
    return st.one_of(
        st.sampled_from([f_avg, f_rob]),
        st.floats(0.0, 1.0).map(lambda q: Mixture((f_avg, f_rob), (q, 1.0 - q))),
    )


def svm_rules(dist: Distribution):
    """Population SVMs (standard and adversarial) and sample SVMs on sufficient statistics."""
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


def neural_nets(dist: Distribution):
    """Small random ReLU networks (Monte Carlo family)."""
    return st.builds(lambda h, seed, scale: NeuralNet.random(dist.dim, h, seed, weak_scale=scale),
                     st.integers(1, 16), st.integers(0, 2**32 - 1),
                     st.sampled_from([0.0, 0.1, 1.0, 10.0]))


def classifiers(dist: Distribution, *, monte_carlo: bool = True, svms: bool = True):
    """Every classifier family of the verifier, for inputs of ``dist``."""
    families = [linear_rules(dist.d), threshold_rules(), reference_mixtures(dist.d)]
    mixed = st.tuples(linear_rules(dist.d), threshold_rules(), st.floats(0.0, 1.0)).map(
        lambda t: Mixture((t[0], t[1]), (t[2], 1.0 - t[2])))
    families.append(mixed)
    if svms:
        families.append(svm_rules(dist))
    if monte_carlo and dist.d <= MAX_D_MONTE_CARLO:
        families.append(neural_nets(dist))
    return st.one_of(*families)


def theorem21_cases(*, p_low: float = 0.5, eps_factor: float = 2.0, monte_carlo: bool = True):
    """Cases of C-2.1 as printed: ``1/2 <= p < 1``, ``eta >= 0``, ``d >= 1``,
    ``eps >= eps_factor*eta``, and a classifier from every family."""

    @st.composite
    def build(draw):
        dist = draw(distributions(p_low=p_low))
        eps = draw(radii_at_least(eps_factor * dist.eta))
        f = draw(classifiers(dist, monte_carlo=monte_carlo))
        return {"dist": dist, "eps": eps, "classifier": f}

    return build()
