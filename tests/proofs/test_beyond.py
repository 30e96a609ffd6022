"""Beyond the paper (B-BAYES, B-OPTROBUST, B-FRONTIER): the steps, their twins, spot checks.

The statements are re-derived here independently (mpmath densities, ``Fraction`` arithmetic) and
the closed forms are compared with the core library (``tradeoff.bayes``, ``tradeoff.optrobust``).
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import mpmath
import numpy as np
import pytest
import sympy as sp
import tradeoff.proofs
from flint import arb, fmpq
from hypothesis import given, settings
from hypothesis import strategies as st
from tradeoff.proofs import beyond as bz
from tradeoff.proofs.certify import Identity, Limit, arb_evaluator

from tests.proofs.proof_spot import checked_expression, is_spot_checkable, leaves, points, to_sympy
from tradeoff import Distribution
from tradeoff.bayes import bayes_accuracy, log_likelihood_ratio
from tradeoff.optrobust import optimal_robust_accuracy

CLAIMS = ("B-BAYES", "B-OPTROBUST", "B-FRONTIER")
# this module's steps (other modules, e.g. proofs/frontier.py and proofs/library.py, add steps
# to the same claims; they are tested in their own files)
STEPS = [s for s in bz.steps() if s.claim_id in CLAIMS]
CHECKED = [s for s in STEPS if s.machine_checked]
ARGUED = [s for s in STEPS if not s.machine_checked]
EXPECTED = {
    "bayes-llr-linear",
    "optrobust-shift-eta-uninformative",
    "optrobust-shift-eps-density",
    "optrobust-shifted-bayes-accuracy",
    "optrobust-chain",
    "frontier-2eta-interior-threshold",
    "frontier-2eta-corner",
    "frontier-support-line-is-theorem21",
}
ps = st.fractions(min_value=F(1, 2), max_value=F(99, 100), max_denominator=1000)


def _ids(steps):
    return [s.name for s in steps]


def test_registered_after_the_paper_steps_in_order():
    names = [s.name for s in tradeoff.proofs.all_steps()]
    assert set(_ids(STEPS)) == EXPECTED
    first = names.index(bz.steps()[0].name)  # a contiguous block, after the paper's steps
    assert names[first : first + len(STEPS)] == [s.name for s in bz.steps()]
    assert names[0] == "c1-shift-density"  # existing order kept
    assert [c for c in tradeoff.proofs.claim_ids() if c.startswith("B-")] == list(CLAIMS)


@pytest.mark.parametrize("step", CHECKED, ids=_ids(CHECKED))
def test_step_verifies(step):
    res = step.check()
    assert res.status == "verified", res.reason


@pytest.mark.parametrize("step", ARGUED, ids=_ids(ARGUED))
def test_argued_step_is_honest(step):
    assert step.check().status == "not-checked"
    assert step.mutant() is None


@pytest.mark.parametrize("step", CHECKED, ids=_ids(CHECKED))
def test_twin_fails(step):
    twin = step.mutant()
    assert twin is not None and twin.mutation
    res = twin.check(use_cache=False)
    assert res.status == "failed", f"twin ({twin.mutation}) did not fail: {res.reason}"


# -- spot checks of every symbolic leaf at Hypothesis rational points ---------------------------
SPOT = [
    (s, i, leaf)
    for s in CHECKED
    for i, leaf in enumerate(leaves(s.certificate))
    if is_spot_checkable(leaf)
]


@pytest.mark.parametrize(("step", "i", "leaf"), SPOT, ids=[f"{s.name}[{i}]" for s, i, _ in SPOT])
@settings(deadline=None, max_examples=8)
@given(data=st.data())
def test_leaf_holds_at_rational_points(step, i, leaf, data):
    expr, strict = checked_expression(leaf)
    pt = to_sympy(data.draw(points(leaf.variables())))
    val = expr.xreplace(pt)
    if val.is_Rational:  # exact
        assert val == 0 if strict is None else (val > 0 if strict else val >= 0)
        return
    num = sp.N(val, 40)
    tol = sp.Float(10) ** -30 * (1 + abs(num))
    assert num.is_real
    assert abs(num) <= tol if strict is None else num > -tol, (step.name, i, pt, num)


def test_limits_are_the_rules_constant_values():
    """J(-oo): always +1; J(+oo): always -1 (enumerated by hand, p = 3/4, lam = 2)."""
    (step,) = [s for s in CHECKED if s.name == "frontier-2eta-corner"]
    lims = [leaf for leaf in leaves(step.certificate) if isinstance(leaf, Limit)]
    assert len(lims) == 4
    vals = {bz.p: sp.Rational(3, 4), bz.lam: 2}
    got = [(lim.point, sp.nsimplify(lim.value.xreplace(vals))) for lim in lims]
    # x1 = +1 and always +1: right w.p. P(x1=+1|y=+1) = p under both laws: (1 + lam) p
    assert got == [
        (-sp.oo, sp.Rational(9, 4)),
        (sp.oo, sp.Rational(3, 4)),
        (-sp.oo, sp.Rational(3, 4)),
        (sp.oo, sp.Rational(9, 4)),
    ]


# -- B-BAYES: against the densities and tradeoff.bayes -----------------------------------------
def _log_density(x, y, p, eta):
    lp = mpmath.log(p if x[0] == y else 1 - p)
    return lp + sum(mpmath.log(mpmath.npdf(xi, eta * y, 1)) for xi in x[1:])


@settings(deadline=None, max_examples=25)
@given(
    p=ps,
    eta=st.fractions(min_value=0, max_value=2, max_denominator=100),
    x1=st.sampled_from([1, -1]),
    xs=st.lists(
        st.fractions(min_value=-4, max_value=4, max_denominator=100), min_size=3, max_size=3
    ),
)
def test_bayes_llr_at_rational_points(p, eta, x1, xs):
    with mpmath.workdps(40):
        pm, em = (
            mpmath.mpf(p.numerator) / p.denominator,
            mpmath.mpf(eta.numerator) / eta.denominator,
        )
        xm = [x1, *(mpmath.mpf(v.numerator) / v.denominator for v in xs)]
        direct = _log_density(xm, 1, pm, em) - _log_density(xm, -1, pm, em)
        rhs = x1 * mpmath.log(pm / (1 - pm)) + 2 * em * sum(xm[1:])
        assert abs(direct - rhs) < mpmath.mpf(10) ** -30
        leaf = bz.llr_derived(x1)
        sub = {
            bz.p: sp.Rational(p.numerator, p.denominator),
            bz.eta: sp.Rational(eta.numerator, eta.denominator),
        }
        sub.update(
            {s: sp.Rational(v.numerator, v.denominator) for s, v in zip(bz.XS, xs, strict=True)}
        )
        assert abs(sp.N(leaf.xreplace(sub), 40) - sp.Float(str(rhs), 40)) < sp.Float(1e-28)
    if 0 < p < 1:
        dist = Distribution(float(p), float(eta), 3)
        lib = log_likelihood_ratio(np.array([[x1, *map(float, xs)]]), dist)[0]
        assert math.isclose(lib, float(rhs), rel_tol=1e-12, abs_tol=1e-12)


# -- B-OPTROBUST: the closed form against tradeoff.optrobust -----------------------------------
CASES = [
    (0.95, 0.3, 100, 0.0),
    (0.95, 0.3, 100, 0.075),
    (0.95, 0.3, 100, 0.15),
    (0.95, 0.3, 100, 0.225),
    (0.8, 0.1, 49, 0.05),
    (0.5, 0.2, 25, 0.1),
    (0.7, 0.5, 4, 0.2),
]


def _arb(x: F) -> arb:
    return arb(fmpq(x.numerator, x.denominator))


@pytest.mark.parametrize(("p", "eta", "d", "eps"), CASES)
def test_closed_form_matches_optimal_robust_accuracy(p, eta, d, eps):
    (step,) = [s for s in CHECKED if s.name == "optrobust-shifted-bayes-accuracy"]
    closed = step.certificate.parts[-1]
    assert isinstance(closed, Identity)
    ev = arb_evaluator(closed.rhs, [bz.p, bz.s])
    pq = F(p).limit_denominator(10**6)
    sq = F(eta).limit_denominator(10**6) - F(eps).limit_denominator(10**6)
    # s = (eta - eps) sqrt(d): d is a perfect square in CASES
    root = math.isqrt(d)
    assert root * root == d
    ball = ev([_arb(pq), _arb(sq * root)])
    lib = optimal_robust_accuracy(Distribution(p, eta, d), eps)
    assert ball.rad() < 1e-12
    assert abs(float(ball.mid()) - lib) < 1e-12, (ball, lib)
    if eps == 0.0:
        assert abs(bayes_accuracy(Distribution(p, eta, d)) - float(ball.mid())) < 1e-12


@pytest.mark.parametrize(("p", "eta", "d", "eps"), [(0.95, 0.3, 100, 0.3), (0.8, 0.1, 9, 0.5)])
def test_eps_at_least_eta_gives_p(p, eta, d, eps):
    assert optimal_robust_accuracy(Distribution(p, eta, d), eps) == p


def test_twin_closed_form_disagrees_with_library():
    ev = arb_evaluator(bz.optrobust_printed(bz.p, bz.s, half=False), [bz.p, bz.s])
    ball = ev([_arb(F(19, 20)), _arb(F(3, 2))])  # p = 0.95, eta = 0.3, d = 100, eps = 0.15
    lib = optimal_robust_accuracy(Distribution(0.95, 0.3, 100), 0.15)
    assert abs(float(ball.mid()) - lib) > 1e-3


# -- B-FRONTIER: the thresholds, in exact arithmetic and numerically ---------------------------
@settings(deadline=None, max_examples=40)
@given(p=ps, extra=st.fractions(min_value=F(1, 100), max_value=20, max_denominator=100))
def test_threshold_ratio_solves_the_equation_exactly(p, extra):
    lam = p / (1 - p) + extra
    r = (lam * (1 - p) - p) / (lam * p - (1 - p))
    assert r > 0
    a_p, b_p = lam * (1 - p) - p, (1 - p) - lam * p  # x1 = +1
    a_m, b_m = lam * p - (1 - p), p - lam * (1 - p)  # x1 = -1
    assert a_p + b_p * r == 0 and a_m + b_m / r == 0  # exp(2 k u_-) = 1/r
    assert a_p > 0 > b_p
    if p > F(1, 2):
        assert r != 1 / r  # the twin's swapped ratio does not solve it
        assert a_p + b_p / r != 0


def _J(x1, u, p, lam, k):
    wp, wm = (p, 1 - p) if x1 == 1 else (1 - p, p)
    nc = mpmath.ncdf
    return wp * nc(-k - u) + wm * nc(u - k) + lam * (wp * nc(k - u) + wm * nc(u + k))


@pytest.mark.parametrize(("p", "lam", "k"), [(0.95, 25.0, 3.0), (0.8, 5.0, 1.0), (0.6, 2.0, 0.5)])
def test_interior_threshold_is_the_numerical_maximum(p, lam, k):
    assert lam > p / (1 - p)
    with mpmath.workdps(30):
        up = mpmath.log((lam * (1 - p) - p) / (lam * p - (1 - p))) / (2 * k)
        for x1, u0 in ((1, up), (-1, -up)):
            best = _J(x1, u0, p, lam, k)
            assert abs(mpmath.diff(lambda t, x1=x1: _J(x1, t, p, lam, k), u0)) < 1e-12
            grid = [u0 + mpmath.mpf(j) / 10 for j in range(-60, 61) if j]
            assert all(_J(x1, t, p, lam, k) < best for t in grid)


@pytest.mark.parametrize(
    ("p", "lam", "k"), [(0.95, 19.0, 3.0), (0.95, 1.0, 2.0), (0.8, 0.1, 1.0), (0.7, 0.0, 0.5)]
)
def test_corner_is_sign_x1_when_lambda_small(p, lam, k):
    assert lam <= p / (1 - p) + 1e-12
    with mpmath.workdps(30):
        top_p, top_m = (1 + lam) * p, (1 + lam) * p  # J_+(-oo), J_-(+oo)
        for j in range(-80, 81):
            t = mpmath.mpf(j) / 10
            assert _J(1, t, p, lam, k) <= top_p + 1e-25
            assert _J(-1, t, p, lam, k) <= top_m + 1e-25
