r"""Certificates: the small set of checkers that every proof step delegates to.

Each certificate answers the same protocol (``statement``, ``verify``, ``mutated``, ``variables``):

``Identity``
    ``lhs == rhs`` after an equivalence-preserving rewrite (special functions to ``erf``,
    ``expand``/``cancel``, then ``simplify``). Accepted only when the difference is literally
    ``0``; sympy returning ``None`` or an unreduced expression is a failure, never a pass.
``SignCertificate``
    ``expr >= 0`` (or ``> 0``) on a box. Every variable is mapped onto a non-negative orthant
    (``x = lo + a`` on ``[lo, oo)``, ``x = (lo + hi a)/(1 + a)`` on ``[lo, hi)``), closed upper
    faces are checked separately, ``exp`` and ``erfc`` atoms become fresh positive symbols, and the
    result is put over a common denominator: if every coefficient of numerator and denominator has
    a decided sign (sympy ``is_nonnegative is True``), the sign of the quotient is proved.
``BallInequality``
    ``expr > 0`` (or ``>= 0``) on a box of rational intervals, by branch-and-bound with
    python-flint ``arb`` balls: a sub-box is accepted only when its whole enclosure lies on the
    right side of 0; a midpoint whose ball lies entirely on the wrong side is a counterexample.
``Limit``
    ``lim expr = value`` computed by sympy's Gruntz algorithm, accepted only if exactly ``value``.
``AllOf``
    A conjunction: every part must verify.
``Argued``
    A step that is argued in prose and not machine-checked; ``verify`` returns ``None``.

Notes
-----
Certified values of :math:`\Phi` come from ``arb.erfc``, which is rigorous for every input ball
(docs/theory.md §6); mpmath's interval context has no rigorous ``erfc`` and is not used.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp
from flint import arb, ctx, fmpq

__all__ = [
    "AllOf",
    "Argued",
    "BallInequality",
    "Identity",
    "Interval",
    "Limit",
    "SignCertificate",
    "Verdict",
    "arb_evaluator",
    "erfc_to_Phi",
    "Phi",
    "phi",
    "Q",
]

#: (ok, reason): ok is True (verified), False (failed) or None (not machine-checked).
Verdict = tuple[bool | None, str]


# ---------------------------------------------------------------------------------------------
# Gaussian helpers, expressed in one basis (erfc, exp) so that rewrites are decidable.


def Phi(x: sp.Expr) -> sp.Expr:
    r"""Standard normal CDF :math:`\Phi(x) = \tfrac12 \operatorname{erfc}(-x/\sqrt2)`."""
    return sp.erfc(-x / sp.sqrt(2)) / 2


def Q(x: sp.Expr) -> sp.Expr:
    r"""Standard normal tail :math:`Q(x) = 1 - \Phi(x) = \tfrac12 \operatorname{erfc}(x/\sqrt2)`."""
    return sp.erfc(x / sp.sqrt(2)) / 2


def phi(x: sp.Expr) -> sp.Expr:
    r"""Standard normal density :math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}`."""
    return sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)


def erfc_to_Phi(latex: str) -> str:
    """Cosmetic: nothing to do; kept so that renderers have one hook for notation."""
    return latex


# ---------------------------------------------------------------------------------------------
# Domains


@dataclass(frozen=True)
class Interval:
    """A real interval ``[lo, hi]`` (``hi`` may be ``sympy.oo``); ``*_open`` excludes an end."""

    lo: sp.Expr
    hi: sp.Expr
    hi_open: bool = False
    lo_open: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "lo", sp.sympify(self.lo))
        object.__setattr__(self, "hi", sp.sympify(self.hi))
        if self.lo.has(sp.Float) or self.hi.has(sp.Float):
            raise TypeError("Interval endpoints must be exact (use sympy.Rational), not floats")
        if self.lo is sp.oo or self.hi is -sp.oo:
            raise ValueError("interval endpoints out of order")
        if self.bounded and self.lo is not -sp.oo and not (self.hi - self.lo).is_positive:
            raise ValueError(f"empty or degenerate interval [{self.lo}, {self.hi}]")

    @property
    def bounded(self) -> bool:
        return self.hi is not sp.oo

    def latex(self, var: sp.Symbol) -> str:
        if self.lo is -sp.oo and not self.bounded:
            return rf"{sp.latex(var)} \in \mathbb{{R}}"
        lo = sp.latex(self.lo)
        lrel = "<" if self.lo_open else r"\le"
        ge = r"\ge"
        if not self.bounded:
            return rf"{sp.latex(var)} {'>' if self.lo_open else ge} {lo}"
        rel = "<" if self.hi_open else r"\le"
        return rf"{lo} {lrel} {sp.latex(var)} {rel} {sp.latex(self.hi)}"

    def sample(self, rng: random.Random) -> Fraction:
        """A rational point of the interval (for spot checks; never an endpoint of an open end)."""
        if self.lo is -sp.oo:
            hi = _to_fraction_below(self.hi) if self.bounded else Fraction(25)
            lo = hi - 50
        else:
            lo = _to_fraction_below(self.lo)
            hi = _to_fraction_below(self.hi) if self.bounded else lo + 50
        u = Fraction(rng.randint(1, 999), 1000)
        x = lo + (hi - lo) * u
        # lo may be irrational (e.g. sqrt(2)-1): push strictly inside
        while sp.Rational(x.numerator, x.denominator) < self.lo:
            x += (hi - lo) / 1000
        return x


def _to_fraction_below(x: sp.Expr) -> Fraction:
    if x.is_Rational:
        return Fraction(int(x.p), int(x.q))
    v = sp.Rational(sp.floor(x * 10**12), 10**12)
    return Fraction(int(v.p), int(v.q))


Box = Mapping[sp.Symbol, Interval]


def box_latex(box: Box) -> str:
    return ", ".join(iv.latex(v) for v, iv in box.items())


# ---------------------------------------------------------------------------------------------
# Identity


@dataclass(frozen=True)
class Identity:
    """``lhs == rhs`` for every value of the variables in ``domain``."""

    lhs: sp.Expr
    rhs: sp.Expr
    domain: Box = field(default_factory=dict)
    kind: str = "identity"

    def statement(self) -> sp.Basic:
        return sp.Eq(self.lhs, self.rhs, evaluate=False)

    def variables(self) -> Box:
        return self.domain

    def verify(self) -> Verdict:
        diff = sp.sympify(self.lhs - self.rhs)
        if any(sp.sympify(side).has(sp.Float) for side in (self.lhs, self.rhs)):
            return False, "statement contains floats; exact identities need exact constants"
        for label, reduce in _REDUCTIONS:
            if label == "simplify":
                # the expensive heuristic last, and only if no point shows the difference nonzero
                witness = _nonzero_witness(diff, self.domain)
                if witness:
                    return False, f"lhs - rhs is nonzero: {witness}"
            try:
                r = reduce(diff)
            except Exception as exc:  # pragma: no cover - sympy internals
                r = exc
            if isinstance(r, sp.Basic) and r == 0:
                return True, f"lhs - rhs reduces to 0 by {label}"
        return False, "lhs - rhs did not reduce to 0 (no proof; sympy undecided is not a pass)"

    def mutated(self) -> tuple[Identity, str]:
        nudged = self.rhs + sp.Rational(1, 97) * (1 + sum(self.domain, sp.S.Zero) ** 2)
        return Identity(self.lhs, nudged, self.domain), "rhs nudged by 1/97*(1 + (sum vars)^2)"


def _basis(e: sp.Expr) -> sp.Expr:
    return e.rewrite(sp.erf)


_REDUCTIONS: list[tuple[str, Callable[[sp.Expr], sp.Expr]]] = [
    ("expand", lambda e: sp.expand(e)),
    ("doit + rewrite(erf) + expand", lambda e: sp.expand(_basis(e.doit()))),
    ("rewrite(erf) + expand", lambda e: sp.expand(_basis(e))),
    ("rewrite(erf) + cancel + expand", lambda e: sp.expand(sp.cancel(sp.expand(_basis(e))))),
    ("rewrite(erf) + powsimp + expand", lambda e: sp.expand(sp.powsimp(sp.expand(_basis(e))))),
    ("simplify", lambda e: sp.simplify(_basis(e))),
]


def _nonzero_witness(diff: sp.Expr, domain: Box, tries: int = 6) -> str:
    """A domain point where ``|diff|`` is certainly positive (arb), or '' if none found."""
    free = sorted(diff.free_symbols, key=str)
    if any(s not in domain for s in free):
        return ""
    rng = random.Random(20190101)
    try:
        ev = arb_evaluator(diff, free)
    except TypeError:  # e.g. an unevaluated Integral: evaluate it symbolically first
        try:
            ev = arb_evaluator(diff.doit(), free)
        except TypeError:
            return ""
    for _ in range(tries):
        pt = {s: domain[s].sample(rng) for s in free}
        try:
            ball = ev([_arb_of(pt[s]) for s in free])
        except (ValueError, ZeroDivisionError):
            continue
        if ball.is_finite() and not ball.contains(0):
            return f"at {_fmt_point(pt)} lhs - rhs = {ball.str(5)}"
    return ""


def _fmt_point(pt: Mapping[sp.Symbol, Any]) -> str:
    return "{" + ", ".join(f"{s}={v}" for s, v in pt.items()) + "}"


# ---------------------------------------------------------------------------------------------
# Sign certificate


@dataclass(frozen=True)
class SignCertificate:
    """``expr >= 0`` (``strict``: ``> 0``) for every point of ``box``.

    Variables not in ``box`` must not occur; ``exp``/``erfc`` atoms are positive for real
    arguments and are replaced by fresh positive symbols.
    """

    expr: sp.Expr
    box: Box
    strict: bool = False
    subs: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    kind: str = "sign-certificate"

    def statement(self) -> sp.Basic:
        return (sp.StrictGreaterThan if self.strict else sp.GreaterThan)(
            self.expr, 0, evaluate=False
        )

    def variables(self) -> Box:
        return self.box

    def verify(self) -> Verdict:
        expr = sp.sympify(self.expr).xreplace(dict(self.subs))
        if expr.has(sp.Float):
            return False, "statement contains floats"
        stray = expr.free_symbols - set(self.box)
        if stray:
            return False, f"variables without a domain: {sorted(map(str, stray))}"
        if not self.box:
            ok, why = _constant_sign(expr, self.strict)
        else:
            ok, why = _orthant_sign(expr, dict(self.box), self.strict)
        if ok:
            return True, why
        witness = _sign_witness(expr, self.box, self.strict)
        return False, (f"violated: {witness}" if witness else f"no certificate: {why}")

    def mutated(self) -> tuple[SignCertificate, str]:
        return SignCertificate(-self.expr, self.box, self.strict, self.subs), "inequality flipped"


def _orthant_sign(expr: sp.Expr, box: dict[sp.Symbol, Interval], strict: bool) -> tuple[bool, str]:
    subs: dict[sp.Symbol, sp.Expr] = {}
    nonneg: list[sp.Symbol] = []
    positives: list[sp.Symbol] = []
    for i, (v, iv) in enumerate(box.items()):
        if iv.lo_open:
            a = sp.Symbol(f"_a{i}", positive=True)
            positives.append(a)
        else:
            a = sp.Symbol(f"_a{i}", nonnegative=True)
            nonneg.append(a)
        if iv.lo is -sp.oo and not iv.bounded:
            b = sp.Symbol(f"_c{i}", nonnegative=True)
            nonneg.append(b)
            subs[v] = a - b
        elif iv.lo is -sp.oo:
            subs[v] = iv.hi - a
        else:
            subs[v] = iv.lo + a if not iv.bounded else (iv.lo + iv.hi * a) / (1 + a)
    e = expr.xreplace(subs)
    atoms = sorted(e.atoms(sp.exp, sp.erfc), key=sp.default_sort_key)
    # exp(x) written as E**x by sympy in some forms
    atoms += sorted((a for a in e.atoms(sp.Pow) if a.base is sp.E), key=sp.default_sort_key)
    rep = {}
    for j, atom in enumerate(atoms):
        if not all(arg.is_real is not False for arg in atom.args):
            return False, f"cannot decide the sign of {atom}"
        b = sp.Symbol(f"_b{j}", positive=True)
        positives.append(b)
        rep[atom] = b
    e = e.xreplace(rep)
    if e.free_symbols - set(nonneg) - set(positives):
        return False, "transcendental atoms remain after reparametrization"
    num, den = sp.fraction(sp.cancel(sp.together(e)))
    gens = nonneg + positives
    try:
        pn = sp.Poly(sp.expand(num), *gens)
        pd = sp.Poly(sp.expand(den), *gens)
    except sp.PolynomialError as exc:
        return False, f"not polynomial after reparametrization: {exc}"
    sn, sd = _coeff_sign(pn), _coeff_sign(pd)
    if sd is None or sd == 0:
        return False, "denominator coefficients of mixed or undecided sign"
    if sn is None:
        return False, "numerator coefficients of mixed or undecided sign"
    sign = sn * sd
    if sign < 0 or (sign == 0 and strict):
        return False, "numerator has the wrong sign"
    if strict and not _has_strict_term(pn if sn > 0 else -pn, positives):
        return False, "numerator may vanish (no strictly positive monomial)"
    # closed upper faces
    n_terms = len(pn.terms())
    for v, iv in box.items():
        if iv.bounded and not iv.hi_open and iv.lo is not -sp.oo:
            rest = {w: jv for w, jv in box.items() if w != v}
            face = expr.xreplace({v: iv.hi})
            if rest:
                ok, why = _orthant_sign(face, rest, strict)
            else:
                ok, why = _constant_sign(face, strict)
            if not ok:
                return False, f"face {v} = {iv.hi}: {why}"
    return True, (
        f"after reparametrization onto the orthant, numerator ({n_terms} terms) and denominator "
        "have coefficients of one decided sign"
    )


def _constant_sign(c: sp.Expr, strict: bool) -> tuple[bool, str]:
    c = sp.nsimplify(c) if c.has(sp.Float) else c
    if (c.is_positive if strict else c.is_nonnegative) is True:
        return True, "constant of decided sign"
    return False, f"constant {c} not certified {'> 0' if strict else '>= 0'}"


def _coeff_sign(poly: sp.Poly) -> int | None:
    signs = set()
    for c in poly.coeffs():
        c = sp.sympify(c)
        if c == 0:
            continue
        if c.is_positive is True:
            signs.add(1)
        elif c.is_negative is True:
            signs.add(-1)
        else:
            return None
    if not signs:
        return 0
    return signs.pop() if len(signs) == 1 else None


def _has_strict_term(poly: sp.Poly, positives: list[sp.Symbol]) -> bool:
    gens = poly.gens
    for monom, c in poly.terms():
        if sp.sympify(c).is_positive and all(
            e == 0 or gens[i] in positives for i, e in enumerate(monom)
        ):
            return True
    return False


def _corners(iv: Interval) -> list[Fraction]:
    lo = None if iv.lo is -sp.oo else _to_fraction_below(iv.lo)
    out = []
    if lo is not None and iv.lo.is_Rational and not iv.lo_open:
        out.append(lo)
    if iv.bounded and iv.hi.is_Rational and not iv.hi_open:
        out.append(_to_fraction_below(iv.hi))
    if not iv.bounded:
        base = lo if lo is not None else Fraction(0)
        out += [base + 1, base + 100]
    return out or [iv.sample(random.Random(0))]


def _sign_witness(expr: sp.Expr, box: Box, strict: bool, tries: int = 40) -> str:
    free = list(box)
    ev = arb_evaluator(expr, free)
    rng = random.Random(7)
    # corners first (sign failures of flipped inequalities often sit there), then random points
    corner_lists = [_corners(iv) for iv in box.values()]
    points: list[dict] = [dict(zip(free, c, strict=True)) for c in itertools.product(*corner_lists)]
    points = points[:256] + [{s: iv.sample(rng) for s, iv in box.items()} for _ in range(tries)]
    for pt in points:
        try:
            ball = ev([_arb_of(pt[s]) for s in free])
        except (ValueError, ZeroDivisionError):
            continue
        bad = (ball < 0) if not strict else (ball < 0 or (ball.is_exact() and ball == 0))
        if ball.is_finite() and bad:
            return f"at {_fmt_point(pt)} the expression is {ball.str(5)}"
    return ""


# ---------------------------------------------------------------------------------------------
# Ball arithmetic


def _arb_of(x: Fraction | int | sp.Rational) -> arb:
    if isinstance(x, Fraction):
        return arb(fmpq(x.numerator, x.denominator))
    x = sp.Rational(x)
    return arb(fmpq(int(x.p), int(x.q)))


def _compile(e: sp.Expr, index: Mapping[sp.Symbol, int]) -> Callable[[list[arb]], arb]:
    if e.is_Symbol:
        i = index[e]
        return lambda xs: xs[i]
    if e.is_Rational:
        c = arb(fmpq(int(e.p), int(e.q)))
        return lambda xs: c
    if e is sp.pi:
        return lambda xs: arb.pi()
    if e is sp.E:
        return lambda xs: arb(1).exp()
    if e.is_Float:
        raise TypeError("floats are not allowed in certified expressions")
    if isinstance(e, sp.Add):
        fs = [_compile(a, index) for a in e.args]

        def add(xs: list[arb]) -> arb:
            s = fs[0](xs)
            for f in fs[1:]:
                s = s + f(xs)
            return s

        return add
    if isinstance(e, sp.Mul):
        fs = [_compile(a, index) for a in e.args]

        def mul(xs: list[arb]) -> arb:
            s = fs[0](xs)
            for f in fs[1:]:
                s = s * f(xs)
            return s

        return mul
    if isinstance(e, sp.Pow):
        fb = _compile(e.base, index)
        ex = e.exp
        if ex.is_Integer:
            n = int(ex)
            if n >= 0:
                return lambda xs: fb(xs) ** n
            return lambda xs: 1 / (fb(xs) ** (-n))
        if ex == sp.Rational(1, 2):
            return lambda xs: fb(xs).sqrt()
        if ex == sp.Rational(-1, 2):
            return lambda xs: fb(xs).rsqrt()
        if e.base is sp.E:
            fx = _compile(ex, index)
            return lambda xs: fx(xs).exp()
        fx = _compile(ex, index)
        return lambda xs: (fx(xs) * fb(xs).log()).exp()
    unary = {
        sp.exp: arb.exp,
        sp.erfc: arb.erfc,
        sp.erf: arb.erf,
        sp.log: arb.log,
        sp.Abs: lambda a: abs(a),
        sp.sin: arb.sin,
        sp.cos: arb.cos,
    }
    for fn, op in unary.items():
        if isinstance(e, fn):
            fa = _compile(e.args[0], index)
            return lambda xs, op=op, fa=fa: op(fa(xs))
    raise TypeError(f"cannot evaluate {type(e).__name__} in ball arithmetic: {e}")


def arb_evaluator(expr: sp.Expr, variables: list[sp.Symbol]) -> Callable[[list[arb]], arb]:
    """Compile ``expr`` to a function of arb balls (rigorous enclosures), ``variables`` order."""
    return _compile(sp.sympify(expr), {v: i for i, v in enumerate(variables)})


@dataclass(frozen=True)
class BallInequality:
    """``expr > 0`` (``strict``) or ``expr >= 0`` on a box of bounded rational intervals."""

    expr: sp.Expr
    box: Box
    strict: bool = True
    max_boxes: int = 20000
    prec: int = 80
    kind: str = "branch-and-bound"

    def statement(self) -> sp.Basic:
        return (sp.StrictGreaterThan if self.strict else sp.GreaterThan)(
            self.expr, 0, evaluate=False
        )

    def variables(self) -> Box:
        return self.box

    def verify(self) -> Verdict:
        variables = list(self.box)
        for iv in self.box.values():
            if not (iv.bounded and iv.lo.is_Rational and iv.hi.is_Rational):
                return False, "branch-and-bound needs bounded rational intervals"
        stray = sp.sympify(self.expr).free_symbols - set(variables)
        if stray:
            return False, f"variables without a domain: {sorted(map(str, stray))}"
        ev = arb_evaluator(self.expr, variables)
        lo0 = [_frac(iv.lo) for iv in self.box.values()]
        hi0 = [_frac(iv.hi) for iv in self.box.values()]
        width0 = [h - lo for lo, h in zip(lo0, hi0, strict=True)]
        stack = [(lo0, hi0)]
        done = 0
        worst: arb | None = None
        old = ctx.prec
        ctx.prec = self.prec
        try:
            while stack:
                lo, hi = stack.pop()
                done += 1
                if done > self.max_boxes:
                    return False, f"inconclusive after {self.max_boxes} boxes"
                ball = ev([_arb_interval(a, b) for a, b in zip(lo, hi, strict=True)])
                if ball.is_finite() and ((ball > 0) if self.strict else (ball >= 0)):
                    low = arb(ball.lower())
                    worst = low if worst is None or low < worst else worst
                    continue
                mid = [(a + b) / 2 for a, b in zip(lo, hi, strict=True)]
                mball = ev([_arb_of(m) for m in mid])
                if mball.is_finite() and ((mball <= 0) if self.strict else (mball < 0)):
                    pt = dict(zip(variables, mid, strict=True))
                    return False, f"counterexample at {_fmt_point(pt)}: value {mball.str(6)}"
                j = max(range(len(lo)), key=lambda i: (hi[i] - lo[i]) / width0[i])
                left_hi, right_lo = list(hi), list(lo)
                left_hi[j] = right_lo[j] = mid[j]
                stack.append((lo, left_hi))
                stack.append((right_lo, hi))
        finally:
            ctx.prec = old
        lb = worst.str(4, radius=False) if worst is not None else "?"
        return (
            True,
            f"{done} boxes; every enclosure {'>' if self.strict else '>='} 0 (min lower {lb})",
        )

    def mutated(self) -> tuple[BallInequality, str]:
        return (
            BallInequality(-self.expr, self.box, self.strict, max_boxes=400, prec=self.prec),
            "inequality flipped",
        )


def _frac(x: sp.Rational) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def _arb_interval(lo: Fraction, hi: Fraction) -> arb:
    if lo == hi:
        return _arb_of(lo)
    return _arb_of(lo).union(_arb_of(hi))


# ---------------------------------------------------------------------------------------------
# Limits, conjunctions, prose


@dataclass(frozen=True)
class Limit:
    """``lim_{var -> point} expr == value`` (sympy Gruntz; accepted only if exactly ``value``)."""

    expr: sp.Expr
    var: sp.Symbol
    point: sp.Expr
    value: sp.Expr
    kind: str = "limit"

    def statement(self) -> sp.Basic:
        return sp.Eq(sp.Limit(self.expr, self.var, self.point), self.value, evaluate=False)

    def variables(self) -> Box:
        return {}

    def verify(self) -> Verdict:
        try:
            got = sp.limit(self.expr, self.var, self.point)
        except Exception as exc:  # pragma: no cover - sympy internals
            return False, f"sympy.limit raised {exc!r}"
        if isinstance(got, sp.Basic) and sp.simplify(got - self.value) == 0:
            return True, f"Gruntz limit equals {self.value}"
        return False, f"limit is {got}, not {self.value}"

    def mutated(self) -> tuple[Limit, str]:
        return Limit(self.expr, self.var, self.point, self.value + 1), "limit value nudged by 1"


@dataclass(frozen=True)
class AllOf:
    """A conjunction of certificates; ``glue`` says in words why the parts imply the step."""

    parts: tuple[Any, ...]
    glue: str = ""
    mutate_index: int = -1
    kind: str = "all-of"

    def statement(self) -> sp.Basic:
        return sp.And(*[p.statement() for p in self.parts], evaluate=False)

    def variables(self) -> Box:
        out: dict[sp.Symbol, Interval] = {}
        for p in self.parts:
            out.update(p.variables())
        return out

    def verify(self) -> Verdict:
        reasons = []
        for i, part in enumerate(self.parts):
            ok, why = part.verify()
            if ok is not True:
                return ok, f"part {i + 1}/{len(self.parts)} ({part.kind}): {why}"
            reasons.append(why)
        tail = f"; {self.glue}" if self.glue else ""
        return True, f"{len(self.parts)} parts verified{tail}"

    def mutated(self) -> tuple[AllOf, str]:
        i = self.mutate_index % len(self.parts)
        m, why = self.parts[i].mutated()
        parts = tuple(m if j == i else p for j, p in enumerate(self.parts))
        return AllOf(parts, self.glue, self.mutate_index), f"part {i + 1}: {why}"


@dataclass(frozen=True)
class Argued:
    """A step argued in prose only. ``verify`` returns ``None``: not machine-checked."""

    argument: str
    kind: str = "argued"

    def statement(self) -> sp.Basic:
        return sp.Symbol(r"\text{(prose)}")

    def variables(self) -> Box:
        return {}

    def verify(self) -> Verdict:
        return None, f"argued, not machine-checked: {self.argument}"

    def mutated(self) -> tuple[Argued, str]:  # pragma: no cover - argued steps have no twin
        raise TypeError("an argued step has no mutated twin")
