"""Theorem 2.2 (App. D): the steps are the paper's steps, and the C-2.2b finding.

Transcendental steps are spot-checked at random rational points with mpmath at 40 digits (an
evaluator independent of the ball arithmetic used by the certificates); the C-2.2b steps with
exact ``Fraction`` arithmetic on the actual adversarial hinge ``max(0, ...)``.
"""

from __future__ import annotations

from fractions import Fraction as F

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
import tradeoff.proofs
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr
from tradeoff.proofs import adversarial as adv
from tradeoff.proofs import gaussian as gs
from tradeoff.proofs import theorem22 as t22

mp.mp.dps = 40
ps = st.fractions(min_value=F(1, 2), max_value=F(39, 40), max_denominator=10**4)
ks = st.fractions(min_value=4, max_value=60, max_denominator=10**3)


def step(name):
    (s,) = [s for s in tradeoff.proofs.all_steps() if s.name == name]
    return s


def num(expr, vals):
    return mp.mpf(
        str(
            sp.N(
                expr.xreplace(
                    {k: sp.Rational(v.numerator, v.denominator) for k, v in vals.items()}
                ),
                40,
            )
        )
    )


def Phi(x):
    return mp.ncdf(x)


def hinge_mp(a, sigma):
    def f(z):
        return (a - sigma * z) * mp.npdf(z)

    top = a / sigma  # the integrand vanishes above a/sigma; the Gaussian mass sits near 0
    pts = [-mp.inf, *(t for t in (-8, 0) if t < top), top]
    return mp.quad(f, pts)


def L_mp(w1, u, p, k):
    return p * hinge_mp(1 - w1 - u * k, u) + (1 - p) * hinge_mp(1 + w1 - u * k, u)


# -- Gaussian lemmas -------------------------------------------------------------------------
@settings(deadline=None, max_examples=15)
@given(
    a=st.fractions(-5, 5, max_denominator=100), sigma=st.fractions(F(1, 10), 5, max_denominator=100)
)
def test_expected_hinge_closed_form_against_quadrature(a, sigma):
    st_ = step("hinge-gaussian-closed-form").statement
    vals = {gs.a: a, gs.sigma: sigma}
    quad = hinge_mp(
        mp.mpf(a.numerator) / a.denominator, mp.mpf(sigma.numerator) / sigma.denominator
    )
    assert abs(num(st_.rhs, vals) - quad) < mp.mpf(10) ** -25


@settings(deadline=None, max_examples=30)
@given(x=st.fractions(0, 40, max_denominator=1000))
def test_mills_bounds_at_rational_points(x):
    xm = mp.mpf(x.numerator) / x.denominator
    q = mp.ncdf(-xm)
    assert xm / (1 + xm**2) * mp.npdf(xm) <= q
    assert xm * q <= mp.npdf(xm)


# -- C-D2: the derived quantities are the paper's -------------------------------------------
@settings(deadline=None, max_examples=10)
@given(p=ps, k=st.fractions(4, 12, max_denominator=100))
def test_tangent_derivative_at_pi_4_is_dL_dt(p, k):
    """g(pi/4) of the step equals a numerical derivative of the loss along the circle."""
    pm, km = mp.mpf(p.numerator) / p.denominator, mp.mpf(k.numerator) / k.denominator
    g_num = mp.diff(lambda t: L_mp(mp.cos(t), mp.sin(t), pm, km), mp.pi / 4)
    st_ = step("d2-tangent-at-pi-4-factor").statement
    vals = {t22.p: p, t22.k: k}
    assert abs(num(st_.lhs, vals) - g_num) < mp.mpf(10) ** -15 * (1 + abs(g_num))
    assert abs(num(st_.rhs, vals) - g_num) < mp.mpf(10) ** -15 * (1 + abs(g_num))
    assert g_num < 0


@settings(deadline=None, max_examples=40)
@given(p=ps, k=ks)
def test_tangent_bracket_negative_on_whole_region(p, k):
    """Independent evaluation of the statement certified by the compact and tail steps."""
    st_ = step("d2-tangent-at-pi-4-compact").statement  # -bracket > 0
    assert num(st_.lhs, {t22.p: p, t22.k: k}) > 0


def _svm(p, k):
    """The library's population SVM (its log-risk stays finite where e^{-k^2/2} underflows; a
    plain-risk search here lost w1 = 0 at p = 1/2, k = 38.7)."""
    from tradeoff.distribution import Distribution
    from tradeoff.svm import population_svm_result

    res = population_svm_result(Distribution(p, k / np.sqrt(7.0), 7))
    return res.w1, res.u


@settings(deadline=None, max_examples=25)
@given(p=ps, k=st.fractions(4, 40, max_denominator=100))
def test_d2_d3_d4_numerically_at_the_population_svm(p, k):
    p, k = float(p), float(k)
    w1, u = _svm(p, k)
    assert u >= 1 / np.sqrt(2)  # C-D2
    assert -1e-6 <= w1 / u <= 1  # optimizer tolerance at p = 1/2 (exact optimum w1 = 0)
    acc = p * ndtr(k + w1 / u) + (1 - p) * ndtr(k - w1 / u)
    assert acc >= 0.99  # C-D3
    eta = k / np.sqrt(7.0)  # any d: eta only lowers robust margins further
    r = 2 * eta * abs(w1) + 2 * k * u
    rob = p * ndtr((w1 + k * u - r) / u) + (1 - p) * ndtr((-w1 + k * u - r) / u)
    assert rob <= 0.01  # C-D4


def test_d2_fails_when_p_near_one():
    """Negative control: with p near 1 the tangential derivative at pi/4 turns positive."""
    st_ = step("d2-tangent-at-pi-4-compact").statement
    assert num(st_.lhs, {t22.p: F(9999, 10000), t22.k: F(4)}) < 0


@settings(deadline=None, max_examples=30)
@given(q=st.fractions(F(4143, 10000), 1, max_denominator=10**4), k=ks)
def test_arc_parametrization_margins(q, k):
    qq = sp.Rational(q.numerator, q.denominator)
    w1 = (1 - qq**2) / (1 + qq**2)
    u = 2 * qq / (1 + qq**2)
    assert w1**2 + u**2 == 1 and u >= 0 and w1 >= 0
    kk = sp.Rational(k.numerator, k.denominator)
    assert (w1 + u * kk - 1) / u == kk - qq
    assert (-w1 + u * kk - 1) / u == kk - 1 / qq
    assert u**2 >= sp.Rational(1, 2)  # u >= 1/sqrt2 on the arc


# -- C-HINGE, C-ZLAW ------------------------------------------------------------------------
@settings(deadline=None)
@given(
    w=st.lists(st.fractions(-5, 5, max_denominator=50), min_size=1, max_size=6),
    y=st.sampled_from([1, -1]),
    eps=st.fractions(0, 3, max_denominator=50),
    data=st.data(),
)
def test_linf_worst_case_exact(w, y, eps, data):
    delta = [data.draw(st.fractions(-eps, eps, max_denominator=50)) for _ in w]
    l1 = sum(abs(c) for c in w)
    assert -y * sum(a * b for a, b in zip(w, delta, strict=True)) <= eps * l1
    star = [-y * eps * (1 if c > 0 else -1 if c < 0 else 0) for c in w]
    assert -y * sum(a * b for a, b in zip(w, star, strict=True)) == eps * l1


@settings(deadline=None)
@given(
    s=st.fractions(-3, 3, max_denominator=50),
    eta=st.fractions(0, 2, max_denominator=50),
    d=st.integers(1, 500),
)
def test_zlaw_log_mgf(s, eta, d):
    # log E exp(s y z) summed over d coordinates, each N(eta/sqrt d, 1/d): exact in (s, eta^2 d)
    per = s * s / (2 * d)  # variance part, exact
    assert d * per == s * s / 2
    st_ = step("zlaw-mgf").certificate.parts[1]
    vals = {gs.s: s, gs.eta: eta, gs.d: F(d)}
    assert abs(num(st_.lhs - st_.rhs, vals)) < mp.mpf(10) ** -30


# -- C-D5 and C-2.2b (exact arithmetic on the real max-hinge) ---------------------------------
def F_adv(w1, p, eps, lam):
    """The adversarial objective with weak weights 0 (exact Fractions)."""
    plus = max(F(0), 1 - w1 + eps * abs(w1))
    minus = max(F(0), 1 + w1 + eps * abs(w1))
    return p * plus + (1 - p) * minus + lam / 2 * w1 * w1


@settings(deadline=None)
@given(
    p=st.fractions(0, 1, max_denominator=1000),
    eps=st.fractions(0, 2, max_denominator=1000),
    lam=st.fractions(F(1, 100), 5, max_denominator=100),
    hh=st.fractions(F(1, 10**6), F(1, 100), max_denominator=10**7),
)
def test_one_sided_derivatives_exact(p, eps, lam, hh):
    right = (F_adv(hh, p, eps, lam) - F_adv(F(0), p, eps, lam)) / hh
    left = (F_adv(-hh, p, eps, lam) - F_adv(F(0), p, eps, lam)) / hh
    assert right == (1 - 2 * p + eps) + lam * hh / 2
    assert left == (2 * p - 1 + eps) + lam * hh / 2
    parts = step("b-one-sided-derivatives").certificate.parts
    vals = {adv.p: p, adv.eps: eps, adv.lam: lam}
    for part, expect in zip(parts, (1 - 2 * p + eps, 2 * p - 1 + eps), strict=True):
        exact = {k: sp.Rational(v.numerator, v.denominator) for k, v in vals.items()}
        got = part.lhs.xreplace(exact)
        assert got == sp.Rational(expect.numerator, expect.denominator)


def test_c22b_counterexample_minimizer_is_zero():
    cx = {k: F(int(v.p), int(v.q)) for k, v in adv.COUNTEREXAMPLE.items()}
    p, eta, eps, lam = cx[adv.p], cx[adv.eta], cx[adv.eps], cx[adv.lam]
    assert eps >= 2 * eta and eps >= 2 * p - 1 and p > F(1, 2)
    f0 = F_adv(F(0), p, eps, lam)
    grid = [F(i, 1000) for i in range(-3000, 3001) if i]
    assert all(F_adv(w, p, eps, lam) > f0 for w in grid)  # w1 = 0: constant classifier, acc 1/2


@settings(deadline=None)
@given(p=st.fractions(F(51, 100), F(99, 100), max_denominator=1000), data=st.data())
def test_c22b_corrected_minimizer_positive(p, data):
    eps = data.draw(
        st.fractions(0, 2 * p - 1, max_denominator=1000).filter(lambda e: e < 2 * p - 1)
    )
    lam = F(1)
    small = (2 * p - 1 - eps) / 2  # F'(w) = 1 - 2p + eps + lam w < 0 here
    assert F_adv(small, p, eps, lam) < F_adv(F(0), p, eps, lam)


@settings(deadline=None)
@given(
    w=st.fractions(-5, 5, max_denominator=100),
    eta=st.fractions(0, 2, max_denominator=100),
    extra=st.fractions(0, 2, max_denominator=100),
)
def test_d5_per_coordinate_exact(w, eta, extra):
    eps = eta + extra  # the sharpened hypothesis eps >= eta
    assert eps * abs(w) - eta * w >= 0


def test_d5_needs_eps_at_least_eta():
    eta, w = F(1, 10), F(1)
    assert F(1, 20) * abs(w) - eta * w < 0  # eps = eta/2: a weak weight helps the margin


@pytest.mark.parametrize("name", ["b-refuted-when-eps-ge-2p-1", "b-corrected-minimizer-positive"])
def test_c22b_finding_steps_verify(name):
    assert step(name).check().status == "verified"
