"""Theorem 2.1 (App. C): the steps are the paper's steps, checked at exact rational points.

The printed displays of docs/theory.md §3 are typed in here once more, independently of
tradeoff.proofs.theorem21, and compared with the steps' statements with ``Fraction`` arithmetic: a
step
that is true but is not the paper's step (e.g. an identity ``0 = 0``) is caught.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy as sp
import tradeoff.proofs
from hypothesis import given, settings
from hypothesis import strategies as st
from tradeoff.proofs import theorem21 as t21

probs = st.fractions(min_value=0, max_value=1, max_denominator=10**6)
ps = st.fractions(min_value=F(1, 2), max_value=F(999, 1000), max_denominator=10**6)


def _subs(expr, p, pij):
    vals = {t21.p: sp.Rational(p.numerator, p.denominator)}
    for key, sym in t21.P.items():
        v = pij[key]
        vals[sym] = sp.Rational(v.numerator, v.denominator)
    out = expr.xreplace(vals)
    assert out.is_Rational
    return F(int(out.p), int(out.q))


def printed_acc(p, q):  # docs/theory.md C-C3
    return F(1, 2) * (p * (1 + q[1, 1] - q[-1, -1]) + (1 - p) * (1 + q[-1, 1] - q[1, -1]))


def printed_shift(p, q):  # docs/theory.md C-C4
    return F(1, 2) * (p * (1 + q[1, -1] - q[-1, 1]) + (1 - p) * (1 + q[-1, -1] - q[1, 1]))


def enumerate_acc(p, q, *, shifted):
    """P[f correct] by brute-force enumeration of (y, x1), from the model's definition."""
    total = F(0)
    for y in (1, -1):
        for x1 in (1, -1):
            w = F(1, 2) * (p if x1 == y else 1 - p)
            j = -y if shifted else y
            p_plus = q[x1, j]
            total += w * (p_plus if y == 1 else 1 - p_plus)
    return total


pijs = st.fixed_dictionaries({key: probs for key in t21.P})


def step(name):
    (s,) = [s for s in tradeoff.proofs.all_steps() if s.name == name]
    return s


@settings(deadline=None)
@given(p=ps, q=pijs)
def test_c3_c4_statements_are_the_printed_displays(p, q):
    c3 = step("c3-four-cases").statement
    c4 = step("c4-four-cases").statement
    assert _subs(c3.lhs, p, q) == _subs(c3.rhs, p, q) == printed_acc(p, q)
    assert _subs(c4.lhs, p, q) == _subs(c4.rhs, p, q) == printed_shift(p, q)
    assert printed_acc(p, q) == enumerate_acc(p, q, shifted=False)
    assert printed_shift(p, q) == enumerate_acc(p, q, shifted=True)


@settings(deadline=None)
@given(p=ps, q=pijs)
def test_c5_final_algebra_at_rational_points(p, q):
    a = 1 - q[1, 1] + q[-1, -1]
    b = 1 - q[-1, 1] + q[1, -1]
    acc, sh = printed_acc(p, q), printed_shift(p, q)
    assert acc == 1 - (p * a + (1 - p) * b) / 2
    assert sh == ((1 - p) * a + p * b) / 2
    gap = p / (1 - p) * (1 - acc) - sh
    assert gap == a * (2 * p - 1) / (2 * (1 - p)) >= 0
    s = step("c5-final-identity").statement
    assert _subs(s.lhs, p, q) == gap == _subs(s.rhs, p, q)
    nn = step("c5-final-nonnegative").statement
    assert _subs(nn.lhs, p, q) == gap


@settings(deadline=None)
@given(p=ps)
def test_tightness_at_sign_x1(p):
    q = {(1, 1): F(1), (1, -1): F(1), (-1, 1): F(0), (-1, -1): F(0)}
    assert printed_acc(p, q) == printed_shift(p, q) == p
    assert p / (1 - p) * (1 - printed_acc(p, q)) == p


@settings(deadline=None)
@given(
    p=st.fractions(min_value=0, max_value=F(1, 2), max_denominator=1000).filter(
        lambda v: v < F(1, 2)
    )
)
def test_theorem_needs_p_at_least_half(p):
    """Negative control: below p = 1/2 the final gap is negative for some classifier."""
    q = {(1, 1): F(0), (1, -1): F(0), (-1, 1): F(0), (-1, -1): F(0)}  # f = -1 always: a = 1
    gap = p / (1 - p) * (1 - printed_acc(p, q)) - printed_shift(p, q)
    assert gap < 0


def test_all_theorem21_steps_present():
    names = {s.name for s in t21.steps()}
    assert {
        "c1-shift-density",
        "c1-shift-feasible",
        "c2-shift-bounds-robust",
        "c3-four-cases",
        "c4-four-cases",
        "c5-acc-in-a-b",
        "c5-shift-in-a-b",
        "c5-final-identity",
        "c5-final-nonnegative",
        "t21-bound-monotone-in-delta",
        "t21-chain",
        "tight-frob-equality",
        "tight-frob-robust",
    } == names


@pytest.mark.parametrize("shifted", [False, True])
def test_derived_accuracy_is_not_typed_in(shifted):
    """The derivation really depends on the shift: the two sums differ."""
    assert sp.expand(t21.derived_accuracy(shifted=shifted)) != sp.expand(
        t21.derived_accuracy(shifted=not shifted)
    )
