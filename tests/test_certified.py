"""Tests of tradeoff.certified: ball arithmetic for the paper's tight constants (Tier B)."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import flint
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from tradeoff import linear
from tradeoff.bounds import f_avg_weights, f_rob_weights
from tradeoff.certified import (
    Phi_ball,
    certified_accuracy,
    certified_bayes_accuracy,
    certified_bound_gap,
    certified_constants,
    certified_linear_accuracy,
    certify_leq,
    certify_less,
    phi_ball,
)
from tradeoff.distribution import Distribution
from tradeoff.svm import population_svm

FAST = settings(max_examples=50, deadline=None, derandomize=True)


def _contains_float(ball, x: float, rel: float) -> bool:
    """The ball meets ``x (1 +/- rel)``: scipy's ``ndtr`` is accurate to about 1e-15 relative,
    not correctly rounded, and ``Phi(mu/sigma)`` amplifies the rounding of ``mu/sigma`` by
    ``|t| phi(t)/Phi(t)`` (about ``t^2`` in the lower tail)."""
    return bool(ball.overlaps(flint.arb(x, rel * abs(x) + 1e-300)))


# ---------------------------------------------------------------------------------------------
# Phi and phi
# ---------------------------------------------------------------------------------------------

@FAST
@given(x=st.floats(-30, 30))
def test_Phi_ball_encloses_scipy(x):
    ball = Phi_ball(x)
    assert ball.rad() < 1e-40
    assert _contains_float(ball, float(ndtr(x)), rel=1e-13)


def test_Phi_and_phi_witnesses():
    assert Phi_ball(0) == flint.arb(1) / 2 or certify_leq(Phi_ball(0), 0.5) is True
    assert phi_ball(0).overlaps(1 / flint.arb(2 * flint.arb.pi()).sqrt())
    # Phi(-x) = 1 - Phi(x) as balls; Fraction input is exact.
    assert (Phi_ball(Fraction(1, 3)) + Phi_ball(Fraction(-1, 3))).overlaps(flint.arb(1))
    # Far tail: Phi(-40) ~ 3.7e-350 is below the double range but positive as a ball.
    assert certify_less(0, Phi_ball(-40)) is True


# ---------------------------------------------------------------------------------------------
# Three-valued comparisons
# ---------------------------------------------------------------------------------------------

def test_certify_less_semantics():
    assert certify_less(1, 2) is True
    assert certify_less(2, 1) is False
    assert certify_less(1, 1) is False  # exact equality: certainly not <
    assert certify_less(flint.arb(1, 1e-10), 1) is None  # ball straddles: undecided
    assert certify_leq(1, 1) is True
    assert certify_leq(flint.arb(1, 1e-10), 1) is None
    assert certify_leq(2, 1) is False


def test_float_comparison_would_mislead():
    """Negative control: the double 0.95/(1-0.95) is not 19, the certified one is."""
    assert 0.95 / (1 - 0.95) != 19
    assert certified_constants()["C-2.1: p/(1-p) = 19 at p = 0.95"] is True


def test_certified_constants_all_true():
    out = certified_constants()
    assert len(out) == 7 and all(v is True for v in out.values()), out
    # Negative control: a false constant is certified False, not None.
    assert certify_less(flint.arb(999) / 1000, Phi_ball(3)) is False


# ---------------------------------------------------------------------------------------------
# Certified accuracies
# ---------------------------------------------------------------------------------------------

@FAST
@given(w1=st.floats(-2, 2), m=st.floats(-3, 3), sigma=st.floats(1e-3, 3), b=st.floats(-1, 1),
       p=st.floats(0, 1), r=st.floats(0, 2))
def test_certified_linear_accuracy_encloses_float(w1, m, sigma, b, p, r):
    ball = certified_linear_accuracy(w1, m, sigma, b, p, r)
    want = float(linear.reduced_accuracy(w1, m, sigma, b, p, r))
    assert ball.rad() < 1e-30
    assert _contains_float(ball, want, rel=1e-11)


def test_sigma_zero_tie_rule_matches_float_version():
    """sigma = 0: a score of exactly 0 is predicted -1 (correct for y = -1 only)."""
    for w1, m, b in [(1.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.5, -0.5, 0.0), (1.0, 0.0, 1.0)]:
        ball = certified_linear_accuracy(w1, m, 0.0, b, 0.95)
        assert ball.is_exact()
        assert float(ball.mid()) == float(linear.reduced_accuracy(w1, m, 0.0, b, 0.95, 0.0))
    # A mean ball straddling the threshold gives the honest enclosure, not a guess.
    wide = certified_linear_accuracy(0.0, flint.arb(0, 1e-20), 0.0, 0.0, 0.95)
    assert wide.contains(0) or wide.lower() <= 0.5 <= wide.upper()
    assert not wide.is_exact()


def test_certified_accuracy_of_svm_and_f_avg():
    dist = Distribution(0.95, 0.4, 100)
    w = population_svm(dist)
    assert _contains_float(certified_accuracy(w, 0.95, 0.4), linear.standard_accuracy(w, dist),
                           rel=1e-13)
    rob = certified_accuracy(w, 0.95, 0.4, eps=0.8)
    assert _contains_float(rob, linear.robust_accuracy(w, dist, 0.8), rel=1e-12)
    # C-FAVG: acc(f_avg) = Phi(k), robust at 2 eta: Phi(-k); certified at k = 3.
    fa = f_avg_weights(9)
    assert certify_less(0.99, certified_accuracy(fa, 0.95, 1.0)) is True
    assert certify_less(certified_accuracy(fa, 0.95, 1.0, eps=2.0), 0.01) is True


# ---------------------------------------------------------------------------------------------
# Theorem 2.1's gap at the tight case
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.5, 0.75, 0.95, 0.975, 0.9999])
def test_bound_gap_is_exactly_zero_at_f_rob(p):
    """C-2.1-TIGHT: f_rob has acc = acc_shift = p, gap exactly 0 -> 'gap >= 0' certainly true."""
    dist = Distribution(p, 0.3, 5)
    w = f_rob_weights(5)
    acc = certified_accuracy(w, p, 0.3)
    shift = certified_linear_accuracy(1.0, 0.0, 0.0, 0.0, p)  # m -> -m = 0 for f_rob
    gap = certified_bound_gap(acc, shift, p)
    assert gap.is_zero()
    assert certify_leq(0, gap) is True
    assert linear.shift_accuracy(w, dist) == p


def test_bound_gap_negative_control():
    """A robust accuracy a hair above the tight bound is certified as a violation."""
    p = 0.95
    with flint.ctx.workprec(212):  # balls built by the caller need the working precision too
        above = flint.arb(p) + flint.arb(2) ** -80
    assert certify_leq(0, certified_bound_gap(p, above, p)) is False
    # A ball that straddles the tight value (a float with its rounding error) is undecided.
    assert certify_leq(0, certified_bound_gap(p, flint.arb(p, 2.0**-70), p)) is None


@FAST
@given(p=st.floats(0.5, 0.99), eta=st.floats(0, 1), w=st.lists(st.floats(-1, 1), min_size=3,
                                                                 max_size=3))
def test_bound_gap_nonnegative_for_linear_rules(p, eta, w):
    """C-2.1 on random linear rules, certified (shift accuracy is a robust accuracy at 2 eta)."""
    w = np.array(w)
    m = eta * float(w[1:].sum())
    sigma = float(np.linalg.norm(w[1:]))
    acc = certified_linear_accuracy(w[0], m, sigma, 0.0, p)
    shift = certified_linear_accuracy(w[0], -m, sigma, 0.0, p)
    assert certify_leq(0, certified_bound_gap(acc, shift, p)) in (True, None)


# ---------------------------------------------------------------------------------------------
# Bad input and laziness
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "exc", "name"), [
    (lambda: Phi_ball(float("nan")), ValueError, "x"),
    (lambda: Phi_ball("1"), TypeError, "x"),
    (lambda: phi_ball(float("inf")), ValueError, "x"),
    (lambda: certify_less(None, 1), TypeError, "a"),
    (lambda: certify_leq(1, float("nan")), ValueError, "b"),
    (lambda: certified_linear_accuracy(1.0, 0.0, -1.0, 0.0, 0.9), ValueError, "sigma"),
    (lambda: certified_linear_accuracy(1.0, 0.0, flint.arb(0, 1e-9), 0.0, 0.9), ValueError,
     "sigma"),
    (lambda: certified_linear_accuracy(1.0, 0.0, 1.0, 0.0, 1.5), ValueError, "p"),
    (lambda: certified_linear_accuracy(1.0, 0.0, 1.0, 0.0, 0.9, float("nan")), ValueError, "r"),
    (lambda: certified_accuracy([1.0], 0.9, 0.1), ValueError, "w"),
    (lambda: certified_accuracy([1.0, 0.0], 0.9, -0.1), ValueError, "eta"),
    (lambda: certified_accuracy([1.0, 0.0], 0.9, 0.1, eps=-1), ValueError, "eps"),
    (lambda: certified_accuracy([1.0, 0.0], 0.9, 0.1, norm="3"), ValueError, "norm"),
    (lambda: certified_bound_gap(0.9, 0.9, 1.0), ValueError, "p"),
    (lambda: certified_bound_gap(0.9, 0.9, 0.4), ValueError, "p"),
    (lambda: certified_bound_gap("0.9", 0.9, 0.9), TypeError, "acc_ball"),
])
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=name):
        call()


def test_import_is_lazy():
    code = "import sys, tradeoff.certified; print('flint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- certified Bayes accuracy (B-FRONTIER-BOUND's range p <= a <= A_B) ---------------------


@settings(max_examples=60, deadline=None)
@given(p=st.floats(1e-6, 1 - 1e-6), eta=st.floats(1e-3, 2.0), d=st.integers(1, 10_000))
def test_certified_bayes_accuracy_contains_the_float_closed_form(p, eta, d):
    from tradeoff.bayes import bayes_accuracy

    dist = Distribution(p, eta, d)
    ball = certified_bayes_accuracy(dist)
    assert float(ball.rad()) < 1e-40
    # the float closed form is correct to a few ulps (independent code path: scipy's ndtr)
    assert abs(float(ball.mid()) - bayes_accuracy(dist)) <= 8 * np.spacing(1.0)
    # A_B >= max(p, 1-p); undecided where A_B - p is below the ball's radius (k << 1: 1e-105)
    assert certify_leq(max(Fraction(p), 1 - Fraction(p)), ball) is not False


def test_certified_bayes_accuracy_decides_what_floats_cannot():
    from tradeoff.bayes import bayes_accuracy

    # Witness: p = 1 - 2**-53; the float A_B rounds to 1.0, the exact one is below 1 and above p.
    dist = Distribution(1 - 2**-53, 0.49, 77)
    ball = certified_bayes_accuracy(dist)
    assert bayes_accuracy(dist) == 1.0
    assert certify_less(ball, 1.0) is True and certify_less(dist.p, ball) is True
    # exact in the degenerate cases
    assert certified_bayes_accuracy(Distribution(1.0, 0.3, 5)) == 1
    assert certify_leq(certified_bayes_accuracy(Distribution(0.7, 0.0, 5)), 0.7) is True
    # Negative control: p and 1 - p swapped inside the formula moves the value off A_B.
    p, k = 0.9, 0.5 * 2.0
    a = flint.arb(p / (1 - p)).log()
    wrong = (1 - p) * Phi_ball(k + a / (2 * k)) + p * Phi_ball(k - a / (2 * k))
    assert certify_less(wrong, certified_bayes_accuracy(Distribution(p, 0.5, 4))) is True
