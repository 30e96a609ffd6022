"""B-BAYES: tradeoff.bayes."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from tradeoff import bayes, linear
from tradeoff.bounds import bound_expression
from tradeoff.classifiers import LinearRule
from tradeoff.distribution import Distribution
from tradeoff.montecarlo import estimate_accuracy

PAPER = Distribution(0.95, 0.3, 100)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def test_llr_matches_densities():
    """log P(x|+1) - log P(x|-1) computed from the densities, directly."""
    dist = Distribution(0.8, 0.4, 3)
    X, _ = dist.sample(50, 1)
    from scipy.stats import norm

    def logp(x, y):
        agree = dist.p if x[0] == y else 1 - dist.p
        return math.log(agree) + norm.logpdf(x[1:], dist.eta * y, 1).sum()

    direct = np.array([logp(x, 1) - logp(x, -1) for x in X])
    assert np.allclose(bayes.log_likelihood_ratio(X, dist), direct, atol=1e-12)


@FAST
@given(st.floats(0.5, 0.9999), st.floats(0.01, 10.0), st.integers(1, 10**5))
def test_closed_forms_match_linear(p, k, d):
    dist = Distribution(p, k / math.sqrt(d), d)
    w = bayes.bayes_weights(dist)
    assert bayes.bayes_accuracy(dist) == pytest.approx(linear.standard_accuracy(w, dist),
                                                       abs=1e-13)
    for eps in (0.0, dist.eta, 2 * dist.eta, 3.0):
        assert bayes.bayes_robust_accuracy(dist, eps) == pytest.approx(
            linear.robust_accuracy(w, dist, eps), abs=1e-13)


@FAST
@given(st.floats(0.5, 0.9999), st.floats(0.01, 10.0), st.integers(1, 500),
       st.lists(st.floats(-5, 5), min_size=2, max_size=2), st.floats(-3, 3))
def test_bayes_beats_linear_rules(p, k, d, w12, b):
    dist = Distribution(p, k / math.sqrt(d), d)
    w = np.concatenate([[w12[0]], np.full(d, w12[1])])
    assert linear.standard_accuracy(w, dist, b) <= bayes.bayes_accuracy(dist) + 1e-14


def test_threshold_version_same_accuracy_more_robust():
    rule, lin = bayes.bayes_threshold_rule(PAPER), bayes.bayes_rule(PAPER)
    assert rule.standard_accuracy(PAPER) == pytest.approx(lin.standard_accuracy(PAPER), abs=1e-14)
    assert bayes.bayes_robust_accuracy(PAPER, 0.6, threshold=True) == pytest.approx(
        rule.robust_accuracy(PAPER, 0.6), abs=1e-14)
    assert lin.robust_accuracy(PAPER, 0.6) < rule.robust_accuracy(PAPER, 0.6)


def test_non_robust_at_paper_scale():
    """The paper's remark: the accurate Bayes rule is non-robust at eps = 2*eta."""
    a_b = bayes.bayes_accuracy(PAPER)
    assert a_b > 0.999
    assert bayes.bayes_robust_accuracy(PAPER, 0.6) == pytest.approx(0.0024035, abs=1e-7)
    assert bayes.bayes_robust_accuracy(PAPER, 0.6, threshold=True) < 0.006
    assert bayes.bayes_robust_accuracy(PAPER, 0.6) <= bound_expression(a_b, 0.95)


def test_monte_carlo_agrees():
    est = estimate_accuracy(bayes.bayes_rule(PAPER).predict, PAPER, 20000, 7)
    assert est.low <= bayes.bayes_accuracy(PAPER) <= est.high


def test_edge_cases():
    assert bayes.bayes_accuracy(Distribution(0.7, 0.0, 3)) == 0.7
    assert bayes.bayes_accuracy(Distribution(1.0, 0.5, 3)) == 1.0
    assert bayes.bayes_accuracy(Distribution(0.5, 0.0, 3)) == 0.5
    rule = bayes.bayes_threshold_rule(Distribution(0.5, 0.0, 3))
    assert rule.standard_accuracy(Distribution(0.5, 0.0, 3)) == 0.5


def test_control_p_below_half_breaks_bound():
    dist = Distribution(0.3, 0.1, 100)
    r_b = linear.robust_accuracy(bayes.bayes_weights(dist), dist, 0.2)
    assert r_b > bound_expression(bayes.bayes_accuracy(dist), 0.3)


def test_quality_wrong_accuracy_formula_is_caught():
    """A wrong closed form (k in place of k + a/(2k)) is found by search against linear.py."""

    def wrong(dist):
        return float(ndtr(dist.k))

    found = find(st.tuples(st.floats(0.55, 0.99), st.floats(0.1, 3.0)),
                 lambda t: abs(wrong(Distribution(t[0], t[1] / 10, 100))
                               - bayes.bayes_accuracy(Distribution(t[0], t[1] / 10, 100))) > 1e-3,
                 settings=settings(database=None))
    assert found


@pytest.mark.parametrize("call, exc", [
    (lambda: bayes.bayes_weights("D"), TypeError),
    (lambda: bayes.bayes_weights(Distribution(1.0, 0.1, 3)), ValueError),
    (lambda: bayes.bayes_accuracy(None), TypeError),
    (lambda: bayes.bayes_robust_accuracy(PAPER, -1.0), ValueError),
    (lambda: bayes.bayes_robust_accuracy(PAPER, 1.0, threshold=True), ValueError),
    (lambda: bayes.bayes_robust_accuracy(Distribution(0.9, 0.0, 3), 0.1), ValueError),
    (lambda: bayes.log_likelihood_ratio(np.zeros((3, 5)), PAPER), ValueError),
    (lambda: bayes.log_likelihood_ratio(np.zeros((3, 101)), PAPER), ValueError),
])
def test_bad_input(call, exc):
    with pytest.raises(exc):
        call()


def test_rule_type():
    assert isinstance(bayes.bayes_rule(PAPER), LinearRule)
