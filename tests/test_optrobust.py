"""B-OPTROBUST: tradeoff.optrobust."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from tradeoff import optrobust as O
from tradeoff.bounds import f_avg_accuracy
from tradeoff.classifiers import LinearRule, ThresholdRule
from tradeoff.distribution import Distribution

PAPER = Distribution(0.95, 0.3, 100)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def test_values():
    assert O.optimal_robust_accuracy(PAPER, 0.15) == pytest.approx(0.9786828047673609, abs=1e-13)
    assert O.optimal_robust_accuracy(PAPER, 0.3) == 0.95
    assert O.optimal_robust_accuracy(PAPER, 0.6) == 0.95
    assert O.optimal_robust_accuracy(Distribution(1.0, 0.3, 10), 0.1) == 1.0


def test_p_half_is_favg():
    dist = Distribution(0.5, 0.3, 100)
    assert O.optimal_robust_accuracy(dist, 0.1) == pytest.approx(f_avg_accuracy(dist, 0.1),
                                                                 abs=1e-15)


@FAST
@given(st.floats(0.5, 0.9999), st.floats(0.0, 2.0), st.integers(1, 10**4), st.floats(0, 0.999))
def test_achiever_attains(p, eta, d, eps):
    dist = Distribution(p, eta, d)
    rule = O.optimal_robust_classifier(dist, eps)
    assert rule.robust_accuracy(dist, eps) == pytest.approx(O.optimal_robust_accuracy(dist, eps),
                                                            abs=1e-13)


@FAST
@given(st.floats(0.5, 0.9999), st.floats(0.01, 2.0), st.integers(1, 500), st.floats(0, 0.999),
       st.floats(-20, 20), st.floats(-20, 20), st.booleans())
def test_no_threshold_or_linear_rule_beats_it(p, eta, d, eps, u, w, fwd):
    dist = Distribution(p, eta, d)
    best = O.optimal_robust_accuracy(dist, eps)
    assert ThresholdRule(u, -u + 1, fwd, True).robust_accuracy(dist, eps) <= best + 1e-13
    lin = LinearRule(np.concatenate([[1.0], np.full(d, w / d)]), 0.1)
    assert lin.robust_accuracy(dist, eps) <= best + 1e-13


def test_monotone_in_eps():
    vals = [O.optimal_robust_accuracy(PAPER, e) for e in np.linspace(0, 0.99, 50)]
    assert np.all(np.diff(vals) <= 1e-15)


def test_shifted_estimate_contains_exact():
    rule = O.optimal_robust_classifier(PAPER, 0.1)
    est = O.shifted_accuracy_estimate(rule.predict, PAPER, 0.1, 20000, 3)
    assert est.low <= rule.robust_accuracy(PAPER, 0.1) <= est.high
    again = O.shifted_accuracy_estimate(rule.predict, PAPER, 0.1, 20000, 3)
    assert again == est  # deterministic


def test_control_p_below_half():
    dist = Distribution(0.3, 0.3, 100)
    rob = LinearRule(-np.eye(101)[0]).robust_accuracy(dist, 0.3)
    assert rob > O.optrobust_expression(0.3, dist.k, 0.3 * 10)


def test_quality_wrong_radius_is_caught():
    """Using eps in place of eta/… : a formula with s = (eta - eps/2) sqrt(d) is refuted."""

    def wrong(dist, eps):
        return O.optrobust_expression(dist.p, dist.k, eps * math.sqrt(dist.d) / 2)

    def beats(t):
        p, x = t
        dist = Distribution(p, 0.3, 100)
        eps = x * 0.3
        return O.optimal_robust_accuracy(dist, eps) < wrong(dist, eps) - 1e-6 and \
            O.optimal_robust_classifier(dist, eps).robust_accuracy(dist, eps) < wrong(dist, eps)

    assert find(st.tuples(st.floats(0.55, 0.99), st.floats(0.1, 0.9)), beats,
                settings=settings(database=None))


@pytest.mark.parametrize("call, exc", [
    (lambda: O.optimal_robust_accuracy("D", 0.1), TypeError),
    (lambda: O.optimal_robust_accuracy(Distribution(0.3, 0.1, 3), 0.1), ValueError),
    (lambda: O.optimal_robust_accuracy(PAPER, 1.0), ValueError),
    (lambda: O.optimal_robust_accuracy(PAPER, -0.1), ValueError),
    (lambda: O.optimal_robust_classifier(PAPER, math.nan), ValueError),
    (lambda: O.optimal_robust_classifier(Distribution(0.3, 0.1, 3), 0.1), ValueError),
    (lambda: O.shifted_accuracy_estimate(lambda X: X[:, 0], PAPER, -1.0, 10, 0), ValueError),
    (lambda: O.shifted_accuracy_estimate(lambda X: X[:, 0], PAPER, 0.1, 0, 0), ValueError),
    (lambda: O.shifted_accuracy_estimate(lambda X: X[:, 0] * 2, PAPER, 0.1, 10, 0), ValueError),
])
def test_bad_input(call, exc):
    with pytest.raises(exc):
        call()


def test_ndtr_reference():
    s = 1.5
    a = math.log(19)
    assert O.optrobust_expression(0.95, 3.0, 1.5) == pytest.approx(
        0.95 * ndtr(s + a / (2 * s)) + 0.05 * ndtr(s - a / (2 * s)), abs=1e-15)
