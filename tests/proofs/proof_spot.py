"""Shared helpers for the proof tests: exact-rational points inside a certificate's domain."""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from hypothesis import strategies as st
from tradeoff.proofs.certify import AllOf, BallInequality, Identity, Interval, SignCertificate


def _rational_above(x: sp.Expr) -> Fraction:
    if x.is_Rational:
        return Fraction(int(x.p), int(x.q))
    r = sp.Rational(sp.ceiling(x * 10**6), 10**6)
    return Fraction(int(r.p), int(r.q))


def _rational_below(x: sp.Expr) -> Fraction:
    if x.is_Rational:
        return Fraction(int(x.p), int(x.q))
    r = sp.Rational(sp.floor(x * 10**6), 10**6)
    return Fraction(int(r.p), int(r.q))


def values_in(iv: Interval, *, span: int = 60) -> st.SearchStrategy[Fraction]:
    """Exact rationals in ``iv`` (unbounded ends truncated at ``span`` past the other end)."""
    lo = None if iv.lo is -sp.oo else _rational_above(iv.lo)
    hi = _rational_below(iv.hi) if iv.bounded else None
    if lo is None:
        lo = (hi if hi is not None else Fraction(0)) - span
    if hi is None:
        hi = lo + span
    strat = st.fractions(min_value=lo, max_value=hi, max_denominator=10**6)
    if iv.lo_open:
        strat = strat.filter(lambda v: v != lo)
    if iv.hi_open:
        strat = strat.filter(lambda v: v != hi)
    return strat


def points(box) -> st.SearchStrategy[dict]:
    """A dict ``{symbol: Fraction}`` drawn from the box."""
    return st.fixed_dictionaries({s: values_in(iv) for s, iv in box.items()})


def leaves(cert):
    """The elementary certificates of a (possibly nested) AllOf."""
    if isinstance(cert, AllOf):
        for part in cert.parts:
            yield from leaves(part)
    else:
        yield cert


def is_spot_checkable(cert) -> bool:
    return isinstance(cert, Identity | SignCertificate | BallInequality) and bool(cert.variables())


def checked_expression(cert) -> tuple[sp.Expr, bool | None]:
    """``(expr, strict)``: the statement is ``expr == 0`` (strict None) or ``expr >(=) 0``."""
    if isinstance(cert, Identity):
        return sp.sympify(cert.lhs - cert.rhs), None
    if isinstance(cert, SignCertificate):
        return sp.sympify(cert.expr).xreplace(dict(cert.subs)), cert.strict
    return sp.sympify(cert.expr), cert.strict


def to_sympy(pt: dict) -> dict:
    return {s: sp.Rational(v.numerator, v.denominator) for s, v in pt.items()}
