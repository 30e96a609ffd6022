"""B-TRADES: tradeoff.trades."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, find, given, settings
from hypothesis import strategies as st

from tradeoff import linear, trades
from tradeoff.bayes import bayes_accuracy, bayes_rule
from tradeoff.distribution import Distribution

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
D = Distribution(0.9, 0.3, 4)


@FAST
@given(st.floats(0, 1), st.floats(0, 2), st.integers(1, 6), st.floats(0, 2),
       st.lists(st.floats(-5, 5), min_size=7, max_size=7), st.floats(-3, 3))
# soak finding: sigma = ||(1.9e-248)||_2 underflowed to 0 (natural error 1.0, exact 0.75)
@example(0.0, 0.0, 1, 0.0, [1.0, 1.8774074355946485e-248, 0, 0, 0, 0, 0], 1.0)
# the attack's weak share 1e-30 next to an exact x1 cancellation (robust error 0.758)
@example(1.0, 0.3, 1, 1.0, [1.0, 1e-30, 0, 0, 0, 0, 0], 0.0)
def test_bound_and_decomposition(p, eta, d, eps, w, b):
    dist = Distribution(p, eta, d)
    t = trades.trades_terms(np.array(w[:d + 1]), dist, eps, b)
    assert abs(t.decomposition_residual) < 1e-12
    assert t.hinge_excess >= -1e-12
    assert t.slack >= -1e-12
    assert t.natural_error == pytest.approx(1 - linear.standard_accuracy(w[:d + 1], dist, b),
                                            abs=1e-13)


def test_hinge_closed_form_vs_monte_carlo():
    w, b = np.array([0.7, 0.3, -0.2, 0.5, 0.1]), 0.2
    X, y = D.sample(400_000, 11)
    mc = np.maximum(0, 1 - y * (X @ w + b)).mean()
    assert trades.hinge_risk(w, D, b) == pytest.approx(mc, abs=4e-3)


def test_boundary_error_vs_monte_carlo():
    """P(correct and within eps*||w||_1 of the boundary), sampled."""
    w, eps = np.array([0.7, 0.3, -0.2, 0.5, 0.1]), 0.2
    X, y = D.sample(400_000, 12)
    score = X @ w
    sampled = np.mean((np.where(score > 0, 1, -1) == y) & (np.abs(score) <= eps * np.abs(w).sum()))
    assert trades.trades_terms(w, D, eps).boundary_error == pytest.approx(sampled, abs=4e-3)


def test_min_hinge_risk_attained_by_bayes_signs():
    """R*_phi = 2 R*_nat: the +-1-valued Bayes score has hinge risk 2 * Bayes error."""
    X, y = D.sample(400_000, 13)
    pred = bayes_rule(D).predict(X)
    mc = np.maximum(0, 1 - y * pred).mean()
    assert mc == pytest.approx(2 * (1 - bayes_accuracy(D)), abs=4e-3)


def test_witness_tight():
    t = trades.trades_terms(np.eye(6)[0], Distribution(0.95, 0.0, 5), 0.5)
    assert t.slack == pytest.approx(0.0, abs=1e-14)


def test_control_ties_as_errors():
    t = trades.trades_terms(np.zeros(10), Distribution(0.95, 0.5, 9), 0.1, ties="error")
    assert t.slack < -0.01
    ok = trades.trades_terms(np.zeros(10), Distribution(0.95, 0.5, 9), 0.1)
    assert ok.slack >= 0


def test_quality_bound_without_boundary_term_is_refuted():
    """Dropping R_bdy ('R_rob - R* <= hinge excess') is false; search finds it."""

    def fails(t):
        eps, scale = t
        terms = trades.trades_terms(scale * np.ones(5) / 4 * np.r_[0, 1, 1, 1, 1], D, eps)
        return terms.lhs > terms.hinge_excess + 1e-9

    assert find(st.tuples(st.floats(0, 1), st.floats(0.1, 10)), fails,
                settings=settings(database=None))


@pytest.mark.parametrize("call, exc", [
    (lambda: trades.trades_terms(np.zeros(5), "D", 0.1), TypeError),
    (lambda: trades.trades_terms(np.zeros(4), D, 0.1), ValueError),
    (lambda: trades.trades_terms(np.zeros((2, 5)), D, 0.1), ValueError),
    (lambda: trades.trades_terms(np.zeros(5), D, -0.1), ValueError),
    (lambda: trades.trades_terms(np.zeros(5), D, math.inf), ValueError),
    (lambda: trades.trades_terms(np.zeros(5), D, 0.1, ties="maybe"), ValueError),
    (lambda: trades.trades_terms(np.full(5, math.nan), D, 0.1), ValueError),
    (lambda: trades.hinge_risk(np.zeros(5), None), TypeError),
])
def test_bad_input(call, exc):
    with pytest.raises(exc):
        call()
