r"""Theorem 2.1 (the trade-off), Appendix C of Tsipras et al. (2019), as checkable steps.

Claims (docs/theory.md §3): C-C1 (shift), C-C2, C-C3, C-C4, C-C5, C-2.1, C-2.1-TIGHT.

Notation: ``p_ij = G_j[{z : f(i, z) = +1}]`` with ``i`` the value of ``x1`` and ``j`` the label
whose weak-feature law ``G_j`` drew ``z``. C-C3 and C-C4 are *derived* here from the four cases
``(y, x1)``, then compared with the printed displays; nothing in them is typed in twice.

References
----------
.. [1] D. Tsipras, S. Santurkar, L. Engstrom, A. Turner, A. Madry, "Robustness May Be at Odds
   with Accuracy", ICLR 2019, arXiv:1805.12152v5, Appendix C, pp. 14-16.
"""

from __future__ import annotations

import sympy as sp
from tradeoff.proofs.certify import AllOf, Argued, Identity, Interval, SignCertificate, phi
from tradeoff.proofs.step import ProofStep

__all__ = [
    "P",
    "accuracy_printed",
    "derived_accuracy",
    "shift_accuracy_printed",
    "steps",
]

p, eta, eps, w, y = sp.symbols("p eta epsilon w y", real=True)
delta, acc, e = sp.symbols("delta acc e", real=True)
#: ``P[(i, j)] = p_ij`` for ``i, j`` in ``{+1, -1}``.
P = {
    (i, j): sp.Symbol(f"p_{{{'+' if i > 0 else '-'}{'+' if j > 0 else '-'}}}", real=True)
    for i in (1, -1)
    for j in (1, -1)
}
ppp, ppm, pmp, pmm = P[1, 1], P[1, -1], P[-1, 1], P[-1, -1]

UNIT = Interval(0, 1)
P_RANGE = Interval(sp.Rational(1, 2), 1, hi_open=True)
BOX_PIJ = {s: UNIT for s in P.values()}
REF = "App. C, pp. 14-16"


def derived_accuracy(*, shifted: bool, p_: sp.Expr = p) -> sp.Expr:
    r"""Accuracy of ``f`` summed over the four cases ``(y, x1)``.

    ``P[y, x1] = 1/2 * (p if x1 == y else 1 - p)``. Given ``(y, x1)`` the weak block is drawn
    from ``G_y`` (``G_{-y}`` after the shift of C-C1), so ``f`` outputs ``+1`` with probability
    ``p_{x1, y}`` (``p_{x1, -y}``), and it is correct with that probability if ``y = +1`` and with
    one minus it if ``y = -1``.
    """
    total = sp.S.Zero
    for yy in (1, -1):
        for x1 in (1, -1):
            weight = sp.Rational(1, 2) * (p_ if x1 == yy else 1 - p_)
            law = -yy if shifted else yy
            plus = P[x1, law]
            total += weight * (plus if yy == 1 else 1 - plus)
    return total


def accuracy_printed() -> sp.Expr:
    """C-C3 as printed: ``1/2 [p (1 + p_++ - p_--) + (1-p)(1 + p_-+ - p_+-)]``."""
    return sp.Rational(1, 2) * (p * (1 + ppp - pmm) + (1 - p) * (1 + pmp - ppm))


def shift_accuracy_printed() -> sp.Expr:
    """C-C4 as printed: ``1/2 [p (1 + p_+- - p_-+) + (1-p)(1 + p_-- - p_++)]``."""
    return sp.Rational(1, 2) * (p * (1 + ppm - pmp) + (1 - p) * (1 + pmm - ppp))


def _a() -> sp.Expr:
    return 1 - ppp + pmm


def _b() -> sp.Expr:
    return 1 - pmp + ppm


def steps() -> list[ProofStep]:
    """The proof of Theorem 2.1 as a list of steps, in the paper's order."""
    out: list[ProofStep] = []
    dom_p = {p: P_RANGE, **BOX_PIJ}
    eta_nn = Interval(0, sp.oo)

    # C-C1: shift identity of the Gaussian densities, one coordinate at a time (G_y is a product)
    shift = 2 * eta * y
    out.append(
        ProofStep.make(
            "C-C1",
            "c1-shift-density",
            AllOf(
                tuple(
                    Identity(
                        phi((w + shift.subs(y, yy)) - eta * yy),
                        phi(w - eta * (-yy)),
                        {w: Interval(-10, 10), eta: eta_nn},
                    )
                    for yy in (1, -1)
                ),
                glue="density of z - 2*eta*y under G_y at w equals that of G_{-y}, per coordinate",
            ),
            method="identity",
            paper_ref=f"{REF} (C-C1)",
            summary="Subtracting 2*eta*y from each weak coordinate maps G_y onto G_{-y}.",
            domain=r"y \in \{-1, +1\},\ w \in \mathbb{R},\ \eta \ge 0",
            twin=(
                AllOf(
                    tuple(
                        Identity(
                            phi((w + eta * yy) - eta * yy),
                            phi(w - eta * (-yy)),
                            {w: Interval(-10, 10), eta: Interval(sp.Rational(1, 10), 10)},
                        )
                        for yy in (1, -1)
                    )
                ),
                "shift eta*y instead of 2*eta*y (constant nudged)",
            ),
        )
    )
    e_nn = Interval(0, sp.oo)
    out.append(
        ProofStep.make(
            "C-C1",
            "c1-shift-feasible",
            AllOf(
                tuple(
                    SignCertificate(
                        eps - sp.Abs(-2 * eta * yy), {eta: eta_nn, e: e_nn}, subs={eps: 2 * eta + e}
                    )
                    for yy in (1, -1)
                ),
                glue="the shift moves only weak coordinates, each by |2*eta*y| = 2*eta <= eps",
            ),
            method="sign-certificate",
            paper_ref=f"{REF}",
            summary="The shift perturbation has l_inf norm 2*eta <= eps, so it is admissible.",
            domain=r"\eta \ge 0,\ \epsilon \ge 2\eta,\ y = \pm 1",
            twin=(
                AllOf(
                    tuple(
                        SignCertificate(
                            eps - sp.Abs(-2 * eta * yy),
                            {eta: eta_nn, e: e_nn},
                            subs={eps: eta + e},
                        )
                        for yy in (1, -1)
                    )
                ),
                "hypothesis eps >= 2*eta weakened to eps >= eta",
            ),
        )
    )
    out.append(
        ProofStep.make(
            "C-C2",
            "c2-shift-bounds-robust",
            Argued(
                "for every x, 1[f(x + delta) = y for all admissible delta] <= "
                "1[f(x + delta_shift) = y]; take expectations and use C-C1 (the law of "
                "x + delta_shift is that of x with the weak block drawn from G_{-y})"
            ),
            method="argued",
            paper_ref=f"{REF}",
            summary="acc_eps(f) <= acc_shift(f) for every classifier f.",
            domain="every measurable f",
        )
    )

    # C-C3 / C-C4: derived from the four (y, x1) cases, compared with the printed displays
    out.append(
        ProofStep.make(
            "C-C3",
            "c3-four-cases",
            Identity(derived_accuracy(shifted=False), accuracy_printed(), dom_p),
            method="identity",
            paper_ref=f"{REF}, display for acc(f)",
            summary="Summing P[f correct] over (y, x1) gives the printed formula for acc(f).",
            twin=(
                Identity(derived_accuracy(shifted=True), accuracy_printed(), dom_p),
                "weak block drawn from the wrong law (G_{-y}) in the derivation",
            ),
        )
    )
    out.append(
        ProofStep.make(
            "C-C4",
            "c4-four-cases",
            Identity(derived_accuracy(shifted=True), shift_accuracy_printed(), dom_p),
            method="identity",
            paper_ref=f"{REF}, display for the shifted accuracy",
            summary="The same sum with the weak block from G_{-y} gives the printed acc_shift.",
            twin=(
                Identity(derived_accuracy(shifted=False), shift_accuracy_printed(), dom_p),
                "second indices not flipped (unshifted law)",
            ),
        )
    )

    # C-C5: the algebra
    a, b = _a(), _b()
    out.append(
        ProofStep.make(
            "C-C5",
            "c5-acc-in-a-b",
            Identity(accuracy_printed(), 1 - (p * a + (1 - p) * b) / 2, dom_p),
            method="identity",
            paper_ref=f"{REF}",
            summary="acc = 1 - (p a + (1-p) b)/2.",
        )
    )
    out.append(
        ProofStep.make(
            "C-C5",
            "c5-shift-in-a-b",
            Identity(shift_accuracy_printed(), ((1 - p) * a + p * b) / 2, dom_p),
            method="identity",
            paper_ref=f"{REF}",
            summary="acc_shift = ((1-p) a + p b)/2.",
        )
    )
    gap = p / (1 - p) * (1 - accuracy_printed()) - shift_accuracy_printed()
    out.append(
        ProofStep.make(
            "C-C5",
            "c5-final-identity",
            Identity(gap, a * (2 * p - 1) / (2 * (1 - p)), dom_p),
            method="identity",
            paper_ref=f"{REF}",
            summary="p/(1-p) (1 - acc) - acc_shift = a (2p - 1) / (2 (1-p)).",
        )
    )
    out.append(
        ProofStep.make(
            "C-C5",
            "c5-final-nonnegative",
            SignCertificate(a * (2 * p - 1) / (2 * (1 - p)), dom_p),
            method="sign-certificate",
            paper_ref=f"{REF}",
            summary="a (2p-1)/(2(1-p)) >= 0 on p in [1/2, 1), p_ij in [0, 1] "
            "(p = (1/2 + a')/(1 + a'), a' >= 0).",
            twin=(
                SignCertificate(
                    a * (2 * p - 1) / (2 * (1 - p)), {p: Interval(0, 1, hi_open=True), **BOX_PIJ}
                ),
                "hypothesis p >= 1/2 dropped (p in [0, 1))",
            ),
        )
    )

    # C-2.1: the chain, and the final monotone step in delta
    out.append(
        ProofStep.make(
            "C-2.1",
            "t21-bound-monotone-in-delta",
            SignCertificate(
                p / (1 - p) * delta - p / (1 - p) * (1 - acc),
                {p: P_RANGE, acc: UNIT, e: Interval(0, sp.oo)},
                subs={delta: 1 - acc + e},
            ),
            method="sign-certificate",
            paper_ref="Thm 2.1, p. 5",
            summary="If acc >= 1 - delta then p/(1-p) (1 - acc) <= p/(1-p) delta.",
            domain=r"\tfrac12 \le p < 1,\ 0 \le acc \le 1,\ \delta \ge 1 - acc",
        )
    )
    out.append(
        ProofStep.make(
            "C-2.1",
            "t21-chain",
            Argued(
                "acc_eps(f) <= acc_shift(f) (C-C2) = p/(1-p)(1 - acc(f)) - a(2p-1)/(2(1-p)) "
                "(C-C5) <= p/(1-p)(1 - acc(f)) <= p/(1-p) delta (previous step)"
            ),
            method="argued",
            paper_ref="Thm 2.1, p. 5; App. C",
            summary="Composition of C-C2 and C-C5.",
            domain=r"\tfrac12 \le p < 1,\ \epsilon \ge 2\eta",
        )
    )

    # C-2.1-TIGHT: f_rob = sign(x1): p_++ = p_+- = 1, p_-+ = p_-- = 0
    frob = {ppp: 1, ppm: 1, pmp: 0, pmm: 0}
    bound = p / (1 - p) * (1 - accuracy_printed())
    dom_only_p = {p: P_RANGE}
    out.append(
        ProofStep.make(
            "C-2.1-TIGHT",
            "tight-frob-equality",
            AllOf(
                (
                    Identity(derived_accuracy(shifted=False).subs(frob), p, dom_only_p),
                    Identity(derived_accuracy(shifted=True).subs(frob), p, dom_only_p),
                    Identity(bound.subs(frob), p, dom_only_p),
                ),
                glue="for sign(x1): acc = acc_shift = bound = p, i.e. equality in Theorem 2.1",
                mutate_index=2,
            ),
            method="identity",
            paper_ref="p. 5 (discussion after Thm 2.1)",
            summary="sign(x1) has accuracy p, shifted accuracy p and bound p/(1-p)(1-p) = p.",
        )
    )
    d1 = sp.Symbol("delta_1", real=True)
    open_unit = Interval(-1, 1, hi_open=True, lo_open=True)
    out.append(
        ProofStep.make(
            "C-2.1-TIGHT",
            "tight-frob-robust",
            AllOf(
                tuple(
                    SignCertificate(x1 * (x1 + d1), {d1: open_unit}, strict=True) for x1 in (1, -1)
                ),
                glue="x1 (x1 + delta_1) > 0: sign(x1) is unchanged by any |delta_1| < 1",
            ),
            method="sign-certificate",
            paper_ref="p. 5",
            summary="sign(x1 + delta_1) = sign(x1) for |delta_1| < 1, so acc_eps = acc = p.",
            domain=r"x_1 = \pm 1,\ |\delta_1| < 1",
            twin=(
                AllOf(
                    tuple(
                        SignCertificate(x1 * (x1 + d1), {d1: Interval(-1, 1)}, strict=True)
                        for x1 in (1, -1)
                    )
                ),
                "hypothesis eps < 1 dropped (|delta_1| <= 1)",
            ),
        )
    )
    return out
