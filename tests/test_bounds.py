"""Theorem 2.1's bound calculator and the reference classifiers' closed forms (tradeoff.bounds)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from tradeoff import bounds, linear, tradeoff_bound
from tradeoff.distribution import Distribution
from tradeoff.strategies import distributions, probabilities

accuracies = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))


def test_paper_running_example():
    """p = 0.95: the bound is 19*delta; 99% standard accuracy allows at most 19% robust."""
    assert tradeoff_bound(0.99, 0.95) == pytest.approx(0.19, rel=1e-12)
    assert tradeoff_bound(0.9, 0.95) == pytest.approx(1.9, rel=1e-12)  # > 1: vacuous
    assert tradeoff_bound(1.0, 0.95) == 0.0
    assert tradeoff_bound(0.7, 0.5) == pytest.approx(0.3, rel=1e-12)  # p = 1/2: factor 1


@given(accuracies, probabilities(0.5, 1.0))
def test_formula_and_agreement_with_bound_expression(acc, p):
    value = tradeoff_bound(acc, p)
    assert value == bounds.bound_expression(acc, p)
    assert value == pytest.approx(p / (1 - p) * (1 - acc), rel=1e-15, abs=0)
    assert value >= 0.0


@given(accuracies, accuracies, probabilities(0.5, 1.0))
def test_bound_decreases_with_accuracy(a, b, p):
    lo, hi = sorted((a, b))
    assert tradeoff_bound(hi, p) <= tradeoff_bound(lo, p)


@given(accuracies, probabilities(0.5, 1.0), probabilities(0.5, 1.0))
def test_bound_increases_with_p(acc, p, q):
    lo, hi = sorted((p, q))
    assert tradeoff_bound(acc, lo) <= tradeoff_bound(acc, hi)


def test_bound_tends_to_zero_with_delta():
    """The paper's consequence: for p < 1, robust accuracy -> 0 as delta -> 0."""
    values = [tradeoff_bound(1 - delta, 0.95) for delta in (1e-1, 1e-3, 1e-6, 1e-9)]
    assert values == sorted(values, reverse=True)
    assert values[-1] < 1e-7


@pytest.mark.parametrize("p", [0.0, 0.3, math.nextafter(0.5, 0.0), 1.0, 1.5])
def test_p_outside_the_theorem_is_refused(p):
    with pytest.raises(ValueError, match="p"):
        tradeoff_bound(0.9, p)


def test_bound_expression_does_not_check_hypotheses():
    """The unchecked form exists for negative controls (p < 1/2)."""
    assert bounds.bound_expression(0.7, 0.3) == pytest.approx(0.3 / 0.7 * 0.3)


# --- witness, negative controls, through exact accuracies ---------------------------------------

@settings(deadline=None)
@given(probabilities(0.5, 1.0), st.integers(1, 10**5),
       st.one_of(st.just(0.0), st.floats(0.0, 0.5, exclude_max=True)), st.data())
def test_frob_attains_the_bound(p, d, eta, data):
    """C-2.1-TIGHT: f_rob has acc = p and robust accuracy p = p/(1-p) * (1-p)."""
    eps = data.draw(st.one_of(st.just(2 * eta), st.floats(2 * eta, 1.0, exclude_max=True)))
    dist = Distribution(p, eta, d)
    w = bounds.f_rob_weights(d)
    acc, rob = linear.standard_accuracy(w, dist), linear.robust_accuracy(w, dist, eps)
    assert acc == p and rob == p
    factor = p / (1 - p)
    assert tradeoff_bound(acc, p) == pytest.approx(rob, abs=64 * np.finfo(float).eps * factor)


def test_negative_control_p_below_half():
    """p = 0.3 < 1/2: sign(-x1) has acc = robust = 0.7 > p/(1-p) * 0.3 = 0.129 (the theorem
    needs p >= 1/2)."""
    dist = Distribution(0.3, 0.2, 10)
    w = -bounds.f_rob_weights(10)
    acc, rob = linear.standard_accuracy(w, dist), linear.robust_accuracy(w, dist, 0.4)
    assert acc == pytest.approx(0.7) and rob == pytest.approx(0.7)
    assert rob > bounds.bound_expression(acc, dist.p) + 0.5


def test_negative_control_radius_below_two_eta():
    """eps = 0 < 2 eta: f_avg keeps Phi(3) = 0.9987, far above the bound 19 * 0.00135."""
    dist = Distribution(0.95, 0.3, 100)
    w = bounds.f_avg_weights(100)
    acc, rob = linear.standard_accuracy(w, dist), linear.robust_accuracy(w, dist, 0.0)
    assert rob > tradeoff_bound(acc, dist.p) + 0.9


# --- reference classifiers -------------------------------------------------------------------

@pytest.mark.parametrize("d", [1, 2, 7, 100, 10**5])
def test_reference_weights(d):
    avg, rob = bounds.f_avg_weights(d), bounds.f_rob_weights(d)
    assert avg.shape == rob.shape == (d + 1,)
    assert avg[0] == 0.0 and np.all(avg[1:] == 1.0 / d)
    assert rob[0] == 1.0 and np.all(rob[1:] == 0.0)


@settings(deadline=None)
@given(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False), st.floats(0.0, 10.0))
def test_favg_closed_form_matches_linear(dist, eps):
    w = bounds.f_avg_weights(dist.d)
    assert bounds.f_avg_accuracy(dist) == pytest.approx(linear.standard_accuracy(w, dist),
                                                        abs=1e-9)
    assert bounds.f_avg_accuracy(dist, eps) == pytest.approx(
        linear.robust_accuracy(w, dist, eps), abs=1e-9)
    assert bounds.f_avg_accuracy(dist, eps) == float(ndtr((dist.eta - eps) * math.sqrt(dist.d)))


def test_favg_paper_thresholds():
    """C-FAVG: > 0.99 once eta >= 3/sqrt(d); < 0.01 at eps = 2 eta. Control: eta = 2/sqrt(d)."""
    for d in (1, 9, 100, 10**5):
        dist = Distribution(0.95, 3.0 / math.sqrt(d), d)
        assert bounds.f_avg_accuracy(dist) > 0.99
        assert bounds.f_avg_accuracy(dist, 2 * dist.eta) < 0.01
    assert bounds.f_avg_accuracy(Distribution(0.95, 0.2, 100)) < 0.99


@settings(deadline=None)
@given(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False),
       st.one_of(st.just(0.0), st.floats(0.0, 1.0, exclude_max=True)))
def test_frob_closed_form_matches_linear(dist, eps):
    w = bounds.f_rob_weights(dist.d)
    assert bounds.f_rob_accuracy(dist, eps) == dist.p
    # p/2 + p/2 is exact except for subnormal p (p = 5e-324: p/2 rounds to 0): 1e-320 absolute
    exact = pytest.approx(dist.p, rel=4 * np.finfo(float).eps, abs=1e-320)
    assert linear.robust_accuracy(w, dist, eps) == exact
    assert linear.standard_accuracy(w, dist) == exact


def test_frob_closed_form_refuses_radius_one():
    """At eps = 1 the closed form p is wrong (robust accuracy p/2): it must refuse, not lie."""
    with pytest.raises(ValueError, match="eps"):
        bounds.f_rob_accuracy(Distribution(0.95, 0.3, 100), 1.0)
