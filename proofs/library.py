r"""Library links: the proofs' expressions evaluated against the library functions they model.

The other proof modules prove statements about sympy expressions (the App. C accuracy display,
the expected hinge, the population hinge risk, the adversarial axis objective, ...). A step here
ties one such expression to the function of ``tradeoff/`` that computes the same quantity: at
seeded random rational points (and fixed rational witnesses) the expression is evaluated with
python-flint ``arb`` balls at 200 bits and the library at the nearest doubles; the two must agree
to ``1e-12`` relative (plus ``1e-300`` absolute). A slip in the library formula (``p`` and
``1 - p`` swapped, a dropped ``sqrt(d)``) makes ``tradeoff prove`` report the step as failed.

The mutated twin of every link compares against the library value times ``1 + 1e-9``: it must
fail, which shows the tolerance cannot hide an error of that size.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from flint import arb, ctx
from tradeoff.proofs import adversarial, gaussian, theorem21
from tradeoff.proofs.certify import Phi, arb_evaluator
from tradeoff.proofs.step import ProofStep

__all__ = ["LibraryLink", "steps"]

RTOL = 1e-12
Point = dict[sp.Symbol, Fraction]


@dataclass(frozen=True)
class LibraryLink:
    """``expr(point) == library(point)`` to ``RTOL`` at every point (arb at 200 bits vs float)."""

    expr: sp.Expr
    library: Callable[[Point], float] = field(repr=False)
    points: tuple[Point, ...] = field(repr=False)
    what: str = ""
    factor: float = 1.0
    atol: float = 0.0
    kind: str = "library-link"

    def statement(self) -> sp.Basic:
        return sp.Eq(sp.Symbol(f"\\mathrm{{{self.what or 'library'}}}"), self.expr,
                     evaluate=False)

    def variables(self) -> dict:
        return {}

    def verify(self) -> tuple[bool, str]:
        syms = sorted(self.expr.free_symbols, key=str)
        evaluate = arb_evaluator(self.expr, syms)
        worst = 0.0
        old = ctx.prec
        ctx.prec = 200
        try:
            for pt in self.points:
                exact = evaluate([arb(pt[s].numerator) / pt[s].denominator for s in syms])
                mid = float(exact.mid())
                got = float(self.library(pt)) * self.factor
                err = abs(got - mid)
                allowed = RTOL * abs(mid) + self.atol + 1e-300 + float(exact.rad())
                if not math.isfinite(got) or err > allowed:
                    shown = {str(s): str(v) for s, v in pt.items()}
                    return False, (f"library {self.what} = {got!r} but the proof's expression "
                                   f"= {mid!r} at {shown} (|diff| = {err:.3g} > {allowed:.3g})")
                worst = max(worst, err / allowed)
        finally:
            ctx.prec = old
        return True, (f"{len(self.points)} points agree to {RTOL:g} relative "
                      f"(worst {worst:.2g} of the tolerance)")

    def mutated(self) -> tuple[LibraryLink, str]:
        twin = LibraryLink(self.expr, self.library, self.points, self.what, 1.0 + 1e-9,
                           self.atol)
        return twin, "library value scaled by 1 + 1e-9"


def _points(box: dict[sp.Symbol, tuple[Fraction, Fraction]], fixed: Sequence[Point], n: int,
            seed: str) -> tuple[Point, ...]:
    """``fixed`` plus ``n`` seeded random rationals (denominators up to 2^20) in ``box``."""
    rng = random.Random(seed)
    out = list(fixed)
    for _ in range(n):
        pt = {}
        for sym, (lo, hi) in box.items():
            pt[sym] = lo + (hi - lo) * Fraction(rng.randrange(1 << 20), 1 << 20)
        out.append(pt)
    return tuple(out)


F = Fraction


def _accuracy_link(shifted: bool) -> ProofStep:
    """App. C display (acc or shift-acc in terms of p and p_ij) vs tradeoff.linear."""
    import numpy as np

    p = theorem21.p
    w1, m, sg, b = sp.symbols("w_1 m sigma b", real=True)
    pij = {key: Phi((w1 * key[0] + b + key[1] * m) / sg) for key in theorem21.P}
    expr = theorem21.derived_accuracy(shifted=shifted).subs(
        {theorem21.P[key]: val for key, val in pij.items()})

    def library(pt: Point) -> float:
        from tradeoff import linear
        from tradeoff.distribution import Distribution

        # one weak weight per coordinate: w_rest = (sigma/sqrt d) 1_d, eta = m / (sigma sqrt d)
        d = 4
        sigma, mean = float(pt[sg]), float(pt[m])
        w = np.full(d + 1, sigma / math.sqrt(d))
        w[0] = float(pt[w1])
        dist = Distribution(float(pt[p]), mean / (sigma * math.sqrt(d)), d)
        fn = linear.shift_accuracy if shifted else linear.standard_accuracy
        return fn(w, dist, float(pt[b]))

    box = {p: (F(1, 2), F(1)), w1: (F(-2), F(2)), m: (F(0), F(3)), sg: (F(1, 4), F(3)),
           b: (F(-1), F(1))}
    fixed = [{p: F(9, 10), w1: F(1), m: F(3, 2), sg: F(1), b: F(0)}]
    name = "shift-accuracy" if shifted else "accuracy"
    return ProofStep.make(
        "C-C5", f"link-{name}-display",
        LibraryLink(expr, library, _points(box, fixed, 12, name), f"linear.{name}"),
        method="library-link", paper_ref="App. C, p. 15 (the displays of acc and shift-acc)",
        summary=f"The App. C {name} display (p_ij of a linear rule) equals tradeoff.linear's "
                "closed form.",
        domain=r"\tfrac12 \le p \le 1,\ |w_1| \le 2,\ 0 \le m \le 3,\ \tfrac14 \le \sigma \le 3")


def _hinge_links() -> list[ProofStep]:
    a, sigma = gaussian.a, gaussian.sigma

    def lib_hinge(pt: Point) -> float:
        from tradeoff.svm_population import expected_hinge

        return float(expected_hinge(float(pt[a]), float(pt[sigma])))

    box = {a: (F(-3), F(3)), sigma: (F(1, 8), F(4))}
    out = [ProofStep.make(
        "C-D2", "link-expected-hinge",
        LibraryLink(gaussian.expected_hinge(a, sigma), lib_hinge,
                    _points(box, [{a: F(1), sigma: F(1)}], 12, "hinge"), "expected_hinge"),
        method="library-link", paper_ref="App. D, p. 17",
        summary="E[max(0, a - sigma Z)] of the proofs equals svm_population.expected_hinge.")]
    # adversarial population risk, l_inf: a_pm = 1 -+ w1 - u k + eps (|w1| + sqrt(d) u), u > 0
    p, w1, u, k, ep = sp.symbols("p w_1 u k epsilon_train", real=True)
    d = 9
    dual = sp.Abs(w1) + 3 * u  # sqrt(9) = 3 (u > 0 on the box)
    expr = (p * gaussian.expected_hinge(1 - w1 - u * k + ep * dual, u)
            + (1 - p) * gaussian.expected_hinge(1 + w1 - u * k + ep * dual, u))

    def lib_risk(pt: Point) -> float:
        from tradeoff.distribution import Distribution
        from tradeoff.svm_population import population_hinge_risk

        dist = Distribution(float(pt[p]), float(pt[k]) / 3.0, d)
        return population_hinge_risk(dist, float(pt[w1]), float(pt[u]), float(pt[ep]))

    box = {p: (F(1, 2), F(1)), w1: (F(-1), F(1)), u: (F(1, 8), F(1)), k: (F(0), F(4)),
           ep: (F(0), F(1, 2))}
    fixed = [{p: F(9, 10), w1: F(1, 2), u: F(1, 2), k: F(2), ep: F(1, 10)}]
    out.append(ProofStep.make(
        "C-HINGE", "link-population-hinge-risk",
        LibraryLink(expr.subs(sp.Abs(w1), sp.sqrt(w1**2)), lib_risk,
                    _points(box, fixed, 12, "risk"), "population_hinge_risk"),
        method="library-link", paper_ref="App. D, pp. 16-17 (C-HINGE in the population risk)",
        summary="The adversarial population hinge risk (l_inf, d = 9) of the proofs equals "
                "svm_population.population_hinge_risk."))
    return out


def _axis_link() -> ProofStep:
    p, ep, lam, w1 = adversarial.p, adversarial.eps, adversarial.lam, adversarial.w1
    expr = adversarial.objective_right().subs(lam, 0)

    def library(pt: Point) -> float:
        from tradeoff.distribution import Distribution
        from tradeoff.svm_population import population_hinge_risk

        return population_hinge_risk(Distribution(float(pt[p]), 0.25, 4), float(pt[w1]), 0.0,
                                     float(pt[ep]))

    box = {p: (F(1, 2), F(1)), ep: (F(0), F(1)), w1: (F(0), F(1))}
    return ProofStep.make(
        "C-2.2b", "link-axis-objective",
        LibraryLink(expr, library, _points(box, [{p: F(3, 4), ep: F(1, 2), w1: F(1)}], 12,
                                           "axis"), "population_hinge_risk(u=0)"),
        method="library-link", paper_ref="Thm 2.2(b), p. 6; App. D",
        summary="The adversarial objective on the axis u = 0 (lambda = 0) equals the library's "
                "risk there.")


def _tie_link() -> ProofStep:
    """C-2.2b at the tie eps_train = 2p - 1: the library returns w = 0 (accuracy 1/2)."""
    p = adversarial.p
    expr = sp.Rational(1, 2) + 0 * p

    def library(pt: Point) -> float:
        from tradeoff.distribution import Distribution
        from tradeoff.svm_population import population_svm_result

        pv = float(pt[p])
        res = population_svm_result(Distribution(pv, 0.01, 100), 2 * pv - 1)
        return res.standard_accuracy() if res.zero else math.nan

    # exact doubles: p = 1/2 + j/64, so 2p - 1 is exact
    fixed = [{p: F(32 + j, 64)} for j in (1, 5, 16, 30, 31)]
    return ProofStep.make(
        "C-2.2b", "link-tie-solver-returns-zero",
        LibraryLink(expr, library, tuple(fixed), "population_svm_result at eps_train=2p-1"),
        method="library-link", paper_ref="Thm 2.2(b), p. 6",
        summary="At eps_train = 2p - 1 the library's SVM is w = 0 with accuracy 1/2 (the "
                "minimizer of J_lambda for every lambda > 0).")


def _theorem22_links() -> list[ProofStep]:
    """C-HINGE worst case, the C-D2 tangential derivative, the C-D3/C-D4 margins, the arc."""
    import numpy as np
    from tradeoff.proofs import theorem22 as t22

    out = []
    # C-HINGE: max over the l_inf ball of the hinge = max(0, 1 - y w.x + eps ||w||_1); on the
    # box below the hinge is positive, so the closed form is 1 - y w.x + eps ||w||_1.
    a1, a2, x1, x2, yy, ep = sp.symbols("w_1 w_2 x_1 x_2 y epsilon", real=True)
    expr = 1 - yy * (a1 * x1 + a2 * x2) + ep * (sp.sqrt(a1**2) + sp.sqrt(a2**2))

    def lib_hinge(pt: Point) -> float:
        from tradeoff.svm_sample import empirical_hinge_risk

        w = np.array([float(pt[a1]), float(pt[a2])])
        X = np.array([[float(pt[x1]), float(pt[x2])]])
        return empirical_hinge_risk(w, X, np.array([float(pt[yy])]), float(pt[ep]))

    half = (F(-1, 2), F(1, 2))
    pts = [{**pt, yy: F(sign)} for pt, sign in zip(
        _points({a1: half, a2: half, x1: half, x2: half, ep: (F(0), F(1))}, [], 12, "chinge"),
        [1, -1] * 6, strict=True)]
    out.append(ProofStep.make(
        "C-HINGE", "link-hinge-worst-case",
        LibraryLink(expr, lib_hinge, tuple(pts), "empirical_hinge_risk"),
        method="library-link", paper_ref="App. D, p. 16",
        summary="The worst-case l_inf hinge of the proof equals svm_sample.empirical_hinge_risk "
                "on one sample."))
    # C-D2: the tangential derivative -u dL/dw1 + w1 dL/du (eps = 0) vs the library's
    # directional derivative along (-u, w1) of the KKT certificate.
    d = 9

    def lib_tangent(pt: Point) -> float:
        from tradeoff.distribution import Distribution
        from tradeoff.svm_kkt import directional_derivative

        wv, uv = float(pt[t22.w1]), float(pt[t22.u])
        w = np.full(d + 1, uv / 3.0)
        w[0] = wv
        v = np.full(d + 1, wv / 3.0)
        v[0] = -uv
        dist = Distribution(float(pt[t22.p]), float(pt[t22.k]) / 3.0, d)
        return directional_derivative(dist, w, v, 0.0, "inf")[0]

    box = {t22.p: (F(1, 2), F(39, 40)), t22.k: (F(0), F(6)), t22.w1: (F(0), F(1)),
           t22.u: (F(1, 4), F(1))}
    out.append(ProofStep.make(
        "C-D2", "link-tangent-derivative",
        LibraryLink(t22.tangent_derivative(t22.w1, t22.u), lib_tangent,
                    _points(box, [], 12, "tangent"), "svm_kkt.directional_derivative",
                    atol=1e-14),
        method="library-link", paper_ref="App. D, p. 17 (d2-gradient)",
        summary="The tangential derivative of the proofs equals the library's directional "
                "derivative (the one its KKT certificate uses)."))
    # C-D3 / C-D4: accuracy and robust accuracy at eps = 2 eta of w = (w1, (u/3) 1_9)
    p_, k_, w_, u_ = t22.p, t22.k, t22.w1, t22.u
    std = p_ * Phi(k_ + w_ / u_) + (1 - p_) * Phi(k_ - w_ / u_)
    r = 2 * (k_ / 3) * (w_ + 3 * u_)
    rob = p_ * Phi((w_ + k_ * u_ - r) / u_) + (1 - p_) * Phi((-w_ + k_ * u_ - r) / u_)
    for claim, name, expr, robust in (("C-D3", "link-standard-margin", std, False),
                                      ("C-D4", "link-robust-margin", rob, True)):
        def lib_acc(pt: Point, robust: bool = robust) -> float:
            from tradeoff import linear
            from tradeoff.distribution import Distribution

            wv, uv, kv = float(pt[w_]), float(pt[u_]), float(pt[k_])
            w = np.full(d + 1, uv / 3.0)
            w[0] = wv
            dist = Distribution(float(pt[p_]), kv / 3.0, d)
            if robust:
                return linear.robust_accuracy(w, dist, 2.0 * dist.eta)
            return linear.standard_accuracy(w, dist)

        arc = {p_: (F(1, 2), F(39, 40)), k_: (F(0), F(5)), w_: (F(0), F(7, 10)),
               u_: (F(7, 10), F(1))}
        out.append(ProofStep.make(
            claim, name, LibraryLink(expr, lib_acc, _points(arc, [], 12, name),
                                     "linear.robust_accuracy" if robust
                                     else "linear.standard_accuracy"),
            method="library-link", paper_ref="App. D, p. 18",
            summary=("The robust accuracy at eps = 2 eta" if robust else "The standard accuracy")
            + " on the arc, as the proof writes it, equals tradeoff.linear's."))

    # C-D2: the library's SVM lies on the arc u >= 1/sqrt 2 at region points (indicator 1)
    def lib_arc(pt: Point) -> float:
        from tradeoff.distribution import Distribution
        from tradeoff.svm_population import population_svm_result

        res = population_svm_result(Distribution(float(pt[p_]), float(pt[k_]) / 3.0, d))
        return 1.0 if res.u >= 1 / math.sqrt(2.0) and res.w1 >= 0.0 else 0.0

    region = {p_: (F(1, 2), F(39, 40)), k_: (F(4), F(12))}
    out.append(ProofStep.make(
        "C-D2", "link-svm-on-arc",
        LibraryLink(sp.Integer(1) + 0 * p_ + 0 * k_, lib_arc, _points(
            region, [{p_: F(39, 40), k_: F(4)}], 8, "arc"), "population_svm_result on arc"),
        method="library-link", paper_ref="App. D, p. 17 (d2-u-on-arc)",
        summary="The library's population SVM lies on the arc t in [pi/4, pi/2] that the proof "
                "certifies."))
    return out


def steps() -> list[ProofStep]:
    """The library-link steps."""
    return [_accuracy_link(False), _accuracy_link(True), *_hinge_links(), *_theorem22_links(),
            _axis_link(), _tie_link()]
