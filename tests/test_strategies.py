"""The theorem-region strategies: they stay inside their regions and reach the boundaries.

Reachability is shown with ``hypothesis.find`` (seeded, no database): each boundary named in the
strategies' docstring (p = 1/2, p just below 1, eta = 0, d = 1, large d, eps = 2*eta exactly,
zero weak weights, infinite thresholds, every classifier family) is actually generated.
"""

import math
import random

import numpy as np
import pytest
from hypothesis import Phase, given, settings
from hypothesis import find as hfind
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from tradeoff.classifiers import LinearRule, Mixture, NeuralNet, ThresholdRule
from tradeoff.distribution import Distribution
from tradeoff.strategies import (
    MAX_D,
    MAX_D_MONTE_CARLO,
    classifiers,
    dims,
    distributions,
    etas,
    linear_rules,
    probabilities,
    radii_at_least,
    theorem21_cases,
    threshold_rules,
)


def find(strategy, condition, budget=500, seed=0):
    """Seeded ``hypothesis.find`` without shrinking (reachability needs no minimal example)."""
    conf = settings(max_examples=budget, database=None, deadline=None, phases=[Phase.generate])
    return hfind(strategy, condition, settings=conf, random=random.Random(seed))


# --- staying inside ------------------------------------------------------------------------------

@given(dims())
def test_dims_are_at_least_one(d):
    assert isinstance(d, int) and 1 <= d <= MAX_D


@given(probabilities())
def test_probabilities_default_region(p):
    assert 0.5 <= p < 1.0


@given(probabilities(0.0, 1.0, exclude_high=False))
def test_probabilities_closed_region(p):
    assert 0.0 <= p <= 1.0


@given(etas())
def test_etas_nonnegative_finite(eta):
    assert 0.0 <= eta < math.inf


@given(distributions(k_min=3.0))
def test_k_min_is_respected(dist):
    assert isinstance(dist, Distribution)
    assert dist.eta >= 3.0 / math.sqrt(dist.d) * (1 - 1e-15)
    assert 0.5 <= dist.p < 1.0


@given(st.floats(0.0, 100.0).flatmap(lambda m: st.tuples(st.just(m), radii_at_least(m))))
def test_radii_at_least(case):
    minimum, eps = case
    assert minimum <= eps < math.inf


@given(st.floats(0.0, 1.0, exclude_max=True).flatmap(
    lambda m: st.tuples(st.just(m), radii_at_least(m, below=1.0))))
def test_radii_below(case):
    minimum, eps = case
    assert minimum <= eps < 1.0


def test_empty_radius_range():
    assert radii_at_least(1.0, below=1.0).is_empty


@given(st.integers(1, 20).flatmap(lambda d: st.tuples(st.just(d), linear_rules(d))))
def test_linear_rules_have_the_right_length(case):
    d, rule = case
    assert isinstance(rule, LinearRule)
    assert rule.w.shape == (d + 1,) and np.all(np.isfinite(rule.w)) and math.isfinite(rule.b)


@settings(deadline=None, max_examples=30)
@given(theorem21_cases(monte_carlo=False))
def test_theorem21_cases_are_inside_the_printed_region(case):
    dist, eps, f = case["dist"], case["eps"], case["classifier"]
    assert 0.5 <= dist.p < 1.0 and dist.eta >= 0.0 and dist.d >= 1
    assert eps >= 2 * dist.eta
    assert not isinstance(f, NeuralNet)


# --- reaching the boundaries ------------------------------------------------------------------

@pytest.mark.parametrize("label, condition", [
    ("p = 1/2", lambda dist: dist.p == 0.5),
    ("p one ulp below 1", lambda dist: dist.p == math.nextafter(1.0, 0.0)),
    ("eta = 0", lambda dist: dist.eta == 0.0),
    ("d = 1", lambda dist: dist.d == 1),
    ("d > 10^4", lambda dist: dist.d > 10**4),
    ("eta > 100", lambda dist: dist.eta > 100),
])
def test_distributions_reach_the_boundaries(label, condition):
    assert condition(find(distributions(), condition))


def test_k_min_boundary_is_reached():
    dist = find(distributions(k_min=3.0), lambda d: d.k == pytest.approx(3.0, rel=1e-15))
    assert dist.k == pytest.approx(3.0, rel=1e-15)


def test_radius_boundary_is_reached_with_positive_eta():
    case = find(theorem21_cases(monte_carlo=False),
                lambda c: c["dist"].eta > 0 and c["eps"] == 2 * c["dist"].eta)
    assert case["eps"] == 2 * case["dist"].eta


def test_zero_weak_weights_are_generated():
    rule = find(linear_rules(5), lambda r: not np.any(r.w[1:]) and r.w[0] != 0)
    assert np.all(rule.w[1:] == 0)


def test_infinite_thresholds_are_generated():
    rule = find(threshold_rules(), lambda r: math.isinf(r.u_plus) and math.isinf(r.u_minus))
    assert isinstance(rule, ThresholdRule)


@pytest.mark.parametrize("family", [LinearRule, ThresholdRule, Mixture, NeuralNet])
def test_every_family_is_generated(family):
    dist = Distribution(0.95, 0.3, 100)
    f = find(classifiers(dist, svms=False), lambda f: isinstance(f, family))
    assert isinstance(f, family)


@pytest.mark.parametrize("dist, kwargs", [(Distribution(0.95, 0.3, 100), {"monte_carlo": False}),
                                          (Distribution(0.95, 0.3, MAX_D_MONTE_CARLO + 1), {})])
def test_no_networks_where_excluded(dist, kwargs):
    with pytest.raises(NoSuchExample):
        find(classifiers(dist, svms=False, **kwargs), lambda f: isinstance(f, NeuralNet),
             budget=150)


def test_p_below_half_only_when_asked():
    """Negative control of the region: p_low = 0 reaches p < 1/2; the default never does."""
    with pytest.raises(NoSuchExample):
        find(distributions(), lambda d: d.p < 0.5, budget=200)
    assert find(distributions(p_low=0.0), lambda d: d.p < 0.5).p < 0.5
