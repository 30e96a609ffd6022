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
    THEOREM22_K_MIN,
    THEOREM22_P_MAX,
    ClassifierCase,
    ModelCase,
    classifiers,
    dims,
    distributions,
    etas,
    linear_rules,
    mostly,
    probabilities,
    radii_at_least,
    reference_mixtures,
    svm_rules,
    theorem21_cases,
    theorem22_cases,
    theorem22_region,
    threshold_rules,
    weight_vectors,
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
    assert isinstance(case, ClassifierCase)
    dist, eps, f = case.dist, case.eps, case.classifier
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
                lambda c: c.dist.eta > 0 and c.eps == 2 * c.dist.eta)
    assert case.eps == 2 * case.dist.eta


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


# --- Theorem 2.2's region, typed cases, eager validation -----------------------------------------

@settings(deadline=None, max_examples=40)
@given(theorem22_region())
def test_theorem22_region_stays_in_H(dist):
    assert 0.5 <= dist.p <= THEOREM22_P_MAX and dist.d >= 1
    assert dist.k >= THEOREM22_K_MIN * (1 - 1e-12)


@settings(deadline=None, max_examples=20)
@given(theorem22_cases())
def test_theorem22_cases_are_typed(case):
    assert isinstance(case, ModelCase)
    with pytest.raises(AttributeError):
        case.dist = None  # frozen record


def test_theorem22_region_reaches_its_boundary_and_far_inside():
    assert find(theorem22_region(), lambda d: d.k == THEOREM22_K_MIN).k == THEOREM22_K_MIN
    assert find(theorem22_region(), lambda d: d.p == 0.5).p == 0.5
    assert find(theorem22_region(), lambda d: d.k > 100).k > 100


def test_mostly_spends_its_share_on_the_interior():
    seen = []

    def record(value):
        seen.append(value)
        return False

    with pytest.raises(NoSuchExample):
        find(mostly(st.just("interior"), st.just("edge")), record, budget=200)
    assert 0.7 <= seen.count("interior") / len(seen) < 1.0


DIST = Distribution(0.95, 0.3, 10)


@pytest.mark.parametrize("call, name", [
    (lambda: dims(0), "max_value"),
    (lambda: probabilities(0.7, 0.6), "high"),
    (lambda: probabilities(-0.1), "low"),
    (lambda: etas(-1.0), "max_value"),
    (lambda: distributions(p_low=2.0), "low"),
    (lambda: distributions(max_d=0), "max_d"),
    (lambda: distributions(k_min=-1.0), "k_min"),
    (lambda: radii_at_least(-1.0), "minimum"),
    (lambda: radii_at_least(0.0, below=math.nan), "below"),
    (lambda: weight_vectors(0), "d"),
    (lambda: linear_rules(0), "d"),
    (lambda: reference_mixtures(0), "d"),
    (lambda: theorem21_cases(p_low=1.0), "p_low"),
    (lambda: theorem21_cases(eps_factor=-2.0), "eps_factor"),
    (lambda: mostly(st.just(1), st.just(2), share=1.5), "share"),
])
def test_bad_arguments_are_refused_eagerly(call, name):
    """At the call, not when Hypothesis first draws: ValueError naming the parameter."""
    with pytest.raises(ValueError, match=name):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: classifiers("D(0.95, 0.3, 10)"), "dist"),
    (lambda: svm_rules(None), "dist"),
    (lambda: mostly([1], st.just(2)), "interior"),
    (lambda: linear_rules(2.5), "d"),
])
def test_bad_types_are_refused_eagerly(call, name):
    with pytest.raises(TypeError, match=name):
        call()
