r"""Theorem 2.2(a) (the standard SVM), Appendix D of Tsipras et al. (2019), as checkable steps.

Claims (docs/theory.md §4): C-HINGE, C-D1, C-D2, C-D3, C-D4, C-2.2a. The adversarial half (C-D5,
C-2.2b) is in :mod:`tradeoff.proofs.adversarial`; the Gaussian lemmas in
:mod:`tradeoff.proofs.gaussian`.

Strategy for C-D2 over the *whole* hypothesis region ``1/2 <= p <= 39/40``, ``k >= 4``:

1. by C-D1 and C-ZLAW the unit-norm SVM ``w*`` is ``(w1, u)`` on the unit circle minimizing
the
   explicit loss ``L(w1, u)`` (:func:`tradeoff.proofs.gaussian.population_hinge`) over the unit
   disc;
2. on the arc ``t in [pi/4, pi/2]`` (``(w1, u) = (cos t, sin t)``) the radial derivative of ``L``
   is negative for every ``k >= 4`` (Mills lower bound + a sign certificate in the rational
   parametrization ``w1 = (1-q^2)/(1+q^2)``, ``u = 2q/(1+q^2)``, ``q in [sqrt2 - 1, 1]``);
3. the tangential derivative ``g(t) = dL/dt`` is ``>= 0`` at ``t = pi/2`` (exact) and ``< 0`` at
   ``t = pi/4``: by branch-and-bound over ``(p, k) in [1/2, 39/40] x [4, 8]`` and, for the
   unbounded range ``k >= 8``, by the Mills bound, an exponential tail bound and a polynomial
   sign certificate;
4. so ``g`` vanishes at some ``t0`` in ``(pi/4, pi/2]`` where ``grad L = -mu w`` with ``mu > 0``:
   by convexity this is the unique minimizer over the disc, hence ``w*``, and
   ``u* = sin t0 >= 1/sqrt2``;
5. C-D3 and C-D4 then follow from ``0 <= w1/u <= 1`` and ``k >= 4`` by monotonicity of ``Phi``
   and two certified values, ``Phi(3) > 0.99`` and ``Phi(-3) < 0.01``.

References
----------
.. [1] Tsipras et al. (2019), Appendix D, pp. 16-18.
"""

from __future__ import annotations

import sympy as sp
from tradeoff.proofs.certify import (
    AllOf,
    Argued,
    BallInequality,
    Identity,
    Interval,
    Phi,
    Q,
    SignCertificate,
    phi,
)
from tradeoff.proofs.gaussian import mills_lower_gap, population_hinge
from tradeoff.proofs.step import ProofStep

__all__ = ["K_SPLIT", "P_MAX", "steps", "tangent_derivative"]

REF = "App. D, pp. 16-18"
P_MAX = sp.Rational(39, 40)
#: the branch-and-bound covers k in [4, K_SPLIT]; the analytic tail covers k >= K_SPLIT
K_SPLIT = 8
#: rational upper bound for exp(2 sqrt2 - 2 K_SPLIT) (certified by a ball comparison)
EXP_BOUND = sp.Rational(1, 400000)

p, k, eta, eps = sp.symbols("p k eta epsilon", real=True)
w1, y, delta_i, w_i, theta = sp.symbols("w_1 y delta_i w_i theta", real=True)
u = sp.Symbol("u", positive=True)
q = sp.Symbol("q", positive=True)
W = sp.Symbol("W", real=True)
h = sp.Symbol("h", real=True)
xx, xp = sp.symbols("x x'", real=True)
lam = sp.Symbol("lambda", real=True)

Q0 = sp.sqrt(2) - 1  # q at t = pi/4 (tan(pi/8))
C45 = sp.sqrt(2) / 2
W1_Q = (1 - q**2) / (1 + q**2)
U_Q = 2 * q / (1 + q**2)
COT_Q = (1 - q**2) / (2 * q)  # w1/u on the arc

P_RANGE = Interval(sp.Rational(1, 2), P_MAX)
K_RANGE = Interval(4, sp.oo)
ARC = Interval(Q0, 1)


def tangent_derivative(w1_: sp.Expr, u_: sp.Expr) -> sp.Expr:
    r"""``dL/dt`` at ``(w1, u) = (cos t, sin t)``: ``-u dL/dw1 + w1 dL/du`` (derived by sympy)."""
    L = population_hinge(w1, u, p, k)
    g = -u * sp.diff(L, w1) + w1 * sp.diff(L, u)
    return g.subs({w1: w1_, u: u_})


def _radial_T(mu: sp.Expr) -> sp.Expr:
    """``E[m 1{m < 1}]`` for ``m ~ N(mu, u^2)``."""
    return mu * Phi((1 - mu) / u) - u * phi((1 - mu) / u)


def steps() -> list[ProofStep]:
    """C-HINGE, C-D1 ... C-D4 and C-2.2a as a list of steps."""
    out: list[ProofStep] = []
    out += _hinge_steps()
    out += _d1_steps()
    out += _d2_steps()
    out += _d3_d4_steps()
    out.append(
        ProofStep.make(
            "C-2.2a",
            "t22a-composition",
            Argued(
                "C-D1 + C-D2 give w* = (w1, u/sqrt(d) 1) with u >= 1/sqrt(2) and 0 <= w1/u <= 1; "
                "C-D3 gives standard accuracy >= Phi(3) > 0.99 and C-D4 robust accuracy at "
                "eps = 2 eta <= Phi(-3) < 0.01, which is non-increasing in eps"
            ),
            method="argued",
            paper_ref="Thm 2.2(a), p. 6",
            summary="The unit-norm SVM is >99% accurate and <1% robust at eps >= 2 eta.",
            domain=r"\tfrac12 \le p \le 0.975,\ \eta\sqrt{d} \ge 4",
        )
    )
    return out


# ---------------------------------------------------------------------------------------------
def _hinge_steps() -> list[ProofStep]:
    out = []
    eps_nn = Interval(0, sp.oo)
    cases = [(yy, sg) for yy in (1, -1) for sg in (1, -1)]
    # per coordinate: eps|w_i| + y w_i delta_i >= 0 on |delta_i| <= eps, with equality at
    # delta_i = -y eps sign(w_i)  (Hoelder for l_inf / l_1)
    parts = []
    for yy, sg in cases:
        parts.append(
            SignCertificate(
                eps * sp.Abs(w_i) + yy * w_i * delta_i,
                {W: Interval(0, sp.oo), eps: eps_nn, theta: Interval(0, 1)},
                subs={w_i: sg * W, delta_i: eps * (2 * theta - 1)},
            )
        )
        parts.append(
            Identity(
                (-yy * w_i * delta_i).subs({w_i: sg * W, delta_i: -yy * eps * sg}),
                eps * W,
                {W: Interval(0, 10), eps: Interval(0, 10)},
            )
        )
    out.append(
        ProofStep.make(
            "C-HINGE",
            "hinge-linf-worst-case",
            AllOf(
                tuple(parts),
                glue="max over |delta_i| <= eps of -y w_i delta_i is eps |w_i|, attained at "
                "delta_i = -y eps sign(w_i); summing over coordinates and using that "
                "max(0, .) is non-decreasing gives max(0, 1 - y w.x + eps ||w||_1)",
                mutate_index=0,
            ),
            method="sign-certificate",
            paper_ref=f"{REF} (C-HINGE)",
            summary="Worst case of a linear score over the l_inf ball: -y w.delta <= eps ||w||_1, "
            "with equality at delta = -y eps sign(w).",
            domain=r"y = \pm1,\ |\delta_i| \le \epsilon,\ \epsilon \ge 0",
        )
    )
    # l_2: Lagrange's identity in R^3 (Cauchy-Schwarz) and the maximizer
    a3 = sp.symbols("w_a w_b w_c", real=True)
    b3 = sp.symbols("delta_a delta_b delta_c", real=True)
    nw2 = sum(ai**2 for ai in a3)
    nd2 = sum(bi**2 for bi in b3)
    dot = sum(ai * bi for ai, bi in zip(a3, b3, strict=True))
    lagrange = sum((a3[i] * b3[j] - a3[j] * b3[i]) ** 2 for i in range(3) for j in range(i + 1, 3))
    dom3 = {s_: Interval(-5, 5) for s_ in (*a3, *b3)}
    dom3w = {**dom3, a3[0]: Interval(sp.Rational(1, 10), 5)}  # w != 0 for the maximizer
    norm3 = sp.sqrt(nw2)
    out.append(
        ProofStep.make(
            "C-HINGE",
            "hinge-l2-worst-case",
            AllOf(
                (
                    Identity(nw2 * nd2 - dot**2, lagrange, dom3),
                    *(
                        Identity(
                            -yy * sum(ai * (-yy * eps * ai / norm3) for ai in a3),
                            eps * norm3,
                            {**dom3w, eps: Interval(0, 10)},
                        )
                        for yy in (1, -1)
                    ),
                ),
                glue="Lagrange's identity gives (w.delta)^2 <= ||w||^2 ||delta||^2 (shown in R^3; "
                "the same sum of squares in R^n), so -y w.delta <= eps ||w||_2, with equality at "
                "delta = -y eps w/||w||_2 (last two parts)",
            ),
            method="identity",
            paper_ref=f"{REF} (l_2 analogue)",
            summary="l_2 analogue: the worst case adds eps ||w||_2.",
            domain=r"\|\delta\|_2 \le \epsilon",
        )
    )
    return out


def _d1_steps() -> list[ProofStep]:
    xa, xb = sp.symbols("x_a x_b", real=True)
    real = Interval(-10, 10)
    return [
        ProofStep.make(
            "C-D1",
            "d1-parallelogram",
            Identity(
                ((xa + xb) / 2) ** 2, (xa**2 + xb**2) / 2 - (xa - xb) ** 2 / 4, {xa: real, xb: real}
            ),
            method="identity",
            paper_ref=f"{REF} (C-D1 skeleton, docs/theory.md)",
            summary="Midpoint identity for the squared norm, per coordinate.",
        ),
        ProofStep.make(
            "C-D1",
            "d1-strict-convexity",
            SignCertificate(
                lam / 2 * ((xa**2 + xb**2) / 2 - ((xa + xb) / 2) ** 2),
                {lam: Interval(0, sp.oo, lo_open=True), xa: real, h: Interval(0, 10, lo_open=True)},
                strict=True,
                subs={xb: xa + h},
            ),
            method="sign-certificate",
            paper_ref=f"{REF} (C-D1 skeleton, docs/theory.md)",
            summary="(lambda/2)||w||^2 is strictly convex for lambda > 0, so J_lambda is strictly "
            "convex and has at most one minimizer.",
            domain=r"\lambda > 0,\ x_a \ne x_b",
            twin=(
                SignCertificate(
                    lam / 2 * ((xa**2 + xb**2) / 2 - ((xa + xb) / 2) ** 2),
                    {lam: Interval(0, 10), xa: real, h: Interval(0, 10, lo_open=True)},
                    strict=True,
                    subs={xb: xa + h},
                ),
                "hypothesis lambda > 0 dropped (lambda >= 0)",
            ),
        ),
        ProofStep.make(
            "C-D1",
            "d1-symmetrization",
            Argued(
                "D is invariant under permutations of the weak coordinates, so J_lambda(w) = "
                "J_lambda(pi w) for every such permutation pi; J_lambda is strictly convex "
                "(previous step, the hinge is convex), so its minimizer is unique, hence equal to "
                "its permutations: all weak weights are equal (any p in [0, 1])"
            ),
            method="argued",
            paper_ref=f"{REF} (C-D1 skeleton, docs/theory.md)",
            summary="Any minimizer of J_lambda has equal weak weights.",
            domain=r"0 \le p \le 1,\ \lambda > 0",
        ),
    ]


def _d2_steps() -> list[ProofStep]:
    out: list[ProofStep] = []
    box_pk = {p: P_RANGE, k: K_RANGE}
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-reduction",
            Argued(
                "by C-D1 w* = (w1, (u/sqrt(d)) 1_d) and by C-ZLAW y w.x = w1 s + u (k + Z), so "
                "E[hinge] = L(w1, u) depends on (p, k) only; J(w*) <= J(w') for ||w'|| <= 1 and "
                "||w*|| = 1 give L(w*) <= L(w'): (w1, u) minimizes the convex L over the unit disc"
            ),
            method="argued",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="The unit-norm SVM minimizes the two-variable loss L over the unit disc.",
            domain=r"d \ge 1,\ \lambda > 0,\ \|w^*\|_2 = 1",
        )
    )
    # gradient of L (derived by sympy, compared with the hand formulas)
    L = population_hinge(w1, u, p, k)
    ap, am = (1 - w1 - u * k) / u, (1 + w1 - u * k) / u
    dom_wu = {w1: Interval(-1, 1), u: Interval(0, 1, lo_open=True), p: P_RANGE, k: Interval(4, 40)}
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-gradient",
            AllOf(
                (
                    Identity(sp.diff(L, w1), -p * Phi(ap) + (1 - p) * Phi(am), dom_wu),
                    Identity(
                        sp.diff(L, u),
                        p * (phi(ap) - k * Phi(ap)) + (1 - p) * (phi(am) - k * Phi(am)),
                        dom_wu,
                    ),
                ),
                glue="partial derivatives of L(w1, u) = p h(1-w1-uk, u) + (1-p) h(1+w1-uk, u)",
            ),
            method="identity",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="Gradient of the population hinge loss.",
        )
    )
    # radial derivative
    radial = w1 * sp.diff(L, w1) + u * sp.diff(L, u)
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-radial-identity",
            Identity(
                radial, -(p * _radial_T(w1 + u * k) + (1 - p) * _radial_T(-w1 + u * k)), dom_wu
            ),
            method="identity",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="d/dr L(r w)|_{r=1} = -E[m 1{m < 1}], m = y w.x, split over s = +-1.",
        )
    )
    mu = sp.Symbol("mu", positive=True)
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-radial-mills",
            Identity(
                _radial_T(1 + u * xx) - phi(xx) * (xx - u) / (1 + xx**2),
                (1 + u * xx) * mills_lower_gap(xx),
                {u: Interval(0, 1, lo_open=True), xx: Interval(0, 20)},
            ),
            method="identity",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="With x = (mu - 1)/u: E[m 1{m<1}] = phi(x)(x - u)/(1 + x^2) + mu D(x), "
            "D >= 0 by mills-lower.",
            domain=r"0 < u \le 1,\ x \ge 0,\ \mu = 1 + u x",
        )
    )
    del mu
    arc_box = {q: ARC, k: K_RANGE}
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-radial-negative-on-arc",
            AllOf(
                (
                    Identity((W1_Q + U_Q * k - 1) / U_Q, k - q, {q: ARC, k: Interval(4, 40)}),
                    Identity((-W1_Q + U_Q * k - 1) / U_Q, k - 1 / q, {q: ARC, k: Interval(4, 40)}),
                    SignCertificate(k - q - U_Q, arc_box, strict=True),
                    SignCertificate(k - 1 / q - U_Q, arc_box, strict=True),
                ),
                glue="x_+ = k - q and x_- = k - 1/q exceed u > 0 on the arc, so both E[m 1{m<1}] "
                "are > 0 (previous step) and the radial derivative is < 0 for every k >= 4",
                mutate_index=3,
            ),
            method="sign-certificate",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="On the arc t in [pi/4, pi/2] the loss strictly decreases radially: the norm "
            "constraint is active.",
            domain=r"\sqrt2 - 1 \le q \le 1,\ k \ge 4",
            twin=(
                AllOf(
                    (
                        SignCertificate(
                            k - 1 / q - U_Q, {q: Interval(sp.Rational(1, 10), 1), k: K_RANGE}, True
                        ),
                    )
                ),
                "arc widened to q >= 1/10 (hypothesis t >= pi/4 dropped)",
            ),
        )
    )
    # tangential derivative: t = pi/2
    g_half = tangent_derivative(sp.S.Zero, sp.S.One)
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-tangent-at-pi-2",
            AllOf(
                (
                    Identity(g_half, (2 * p - 1) * Phi(1 - k), {p: P_RANGE, k: Interval(4, 40)}),
                    SignCertificate((2 * p - 1) * Phi(1 - k), box_pk),
                ),
                glue="g(pi/2) = (2p - 1) Phi(1 - k) >= 0",
            ),
            method="sign-certificate",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="At (w1, u) = (0, 1) the tangential derivative is >= 0.",
            domain=r"\tfrac12 \le p \le 0.975,\ k \ge 4",
            twin=(
                SignCertificate((2 * p - 1) * Phi(1 - k), {p: Interval(0, P_MAX), k: K_RANGE}),
                "hypothesis p >= 1/2 dropped",
            ),
        )
    )
    g45 = tangent_derivative(C45, C45)
    # tail k >= K_SPLIT: factor, Mills, exponential bound, polynomial certificate
    x_plus = k + 1 - sp.sqrt(2)  # -(q0 - k)
    x_minus = k - 1 - sp.sqrt(2)  # -(1/q0 - k)
    A = (1 - k) * Q(x_plus) + phi(x_plus)
    B = phi(x_minus) - (1 + k) * Q(x_minus)
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-tangent-at-pi-4-factor",
            Identity(g45, C45 * (p * A + (1 - p) * B), {p: P_RANGE, k: Interval(4, 40)}),
            method="identity",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="g(pi/4) = (1/sqrt2)[p A(k) + (1-p) B(k)] with x' = k+1-sqrt2, x = k-1-sqrt2.",
        )
    )
    # compact part k in [4, K_SPLIT]: branch-and-bound on the factored form (the raw derivative
    # has cancellations of order k^4 that ball arithmetic would pay for in box count)
    bracket = p * A + (1 - p) * B
    box_compact = {p: P_RANGE, k: Interval(4, K_SPLIT)}
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-tangent-at-pi-4-compact",
            BallInequality(-bracket, box_compact),
            method="branch-and-bound",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary=f"p A + (1-p) B < 0, i.e. g(pi/4) < 0, on p in [1/2, 39/40], "
            f"k in [4, {K_SPLIT}] (arb balls).",
            twin=(
                BallInequality(
                    -bracket,
                    {p: Interval(sp.Rational(1, 2), 1), k: Interval(4, K_SPLIT)},
                    max_boxes=3000,
                ),
                "hypothesis p <= 0.975 dropped (p up to 1)",
            ),
        )
    )
    M1 = (1 + (2 - sp.sqrt(2)) * x_plus) / (1 + x_plus**2)
    N1 = (1 - (2 + sp.sqrt(2)) * x_minus) / (1 + x_minus**2)
    Aub = phi(x_plus) * M1
    Bub = phi(x_minus) * N1
    dom_k = {k: Interval(4, 40)}
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-tangent-at-pi-4-mills",
            AllOf(
                (
                    Identity(Aub - A, (k - 1) * mills_lower_gap(x_plus), dom_k),
                    Identity(Bub - B, (1 + k) * mills_lower_gap(x_minus), dom_k),
                    SignCertificate(x_minus, {k: K_RANGE}, strict=True),
                ),
                glue="with D >= 0 on x >= 0 (mills-lower) and k >= 4: A <= phi(x') M1, "
                "B <= phi(x) N1",
            ),
            method="identity",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="Mills upper bounds for A and B.",
        )
    )
    E = sp.exp(2 * sp.sqrt(2) - 2 * k)
    P1 = (1 + (2 - sp.sqrt(2)) * x_plus) * (1 + x_minus**2)
    N2 = (1 - (2 + sp.sqrt(2)) * x_minus) * (1 + x_plus**2)
    box_tail = {p: P_RANGE, k: Interval(K_SPLIT, sp.oo)}

    def tail(box: dict) -> AllOf:
        return AllOf(
            (
                Identity(phi(x_plus), phi(x_minus) * E, dom_k),
                SignCertificate(-sp.diff(E, k), {k: Interval(K_SPLIT, sp.oo)}, strict=True),
                BallInequality(EXP_BOUND - E.subs(k, K_SPLIT), {}),
                SignCertificate(p * P1, box),
                SignCertificate(-(p * EXP_BOUND * P1 + (1 - p) * N2), box, strict=True),
            ),
            glue=(
                "p phi(x') M1 + (1-p) phi(x) N1 = phi(x) [p E P1 + (1-p) N2] / ((1+x^2)(1+x'^2)); "
                f"E = exp(2 sqrt2 - 2k) is decreasing, so E <= {EXP_BOUND} for k >= {K_SPLIT}, "
                "and p P1 >= 0, hence the bracket is <= p C P1 + (1-p) N2 < 0: g(pi/4) < 0"
            ),
            mutate_index=4,
        )

    out.append(
        ProofStep.make(
            "C-D2",
            "d2-tangent-at-pi-4-tail",
            tail(box_tail),
            method="sign-certificate",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary=f"g(pi/4) < 0 for every k >= {K_SPLIT} (unbounded range, no sampling).",
            domain=rf"\tfrac12 \le p \le 0.975,\ k \ge {K_SPLIT}",
            twin=(
                tail({p: Interval(sp.Rational(1, 2), 1), k: Interval(K_SPLIT, sp.oo)}),
                "hypothesis p <= 0.975 dropped (p up to 1)",
            ),
        )
    )
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-kkt-conclusion",
            Argued(
                "g(pi/4) < 0 <= g(pi/2) and g is continuous, so g(t0) = 0 for some t0 in "
                "(pi/4, pi/2]; there the radial derivative is -mu < 0, i.e. grad L = -mu w0. "
                "Convexity: L(w) >= L(w0) + mu (1 - w0.w) >= L(w0) on the disc, with equality only "
                "at w = w0, so w0 is the unique minimizer over the disc, hence w* (d2-reduction)"
            ),
            method="argued",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="The unit-norm SVM lies on the arc t in (pi/4, pi/2].",
            domain=r"\tfrac12 \le p \le 0.975,\ k \ge 4",
        )
    )
    out.append(
        ProofStep.make(
            "C-D2",
            "d2-u-on-arc",
            SignCertificate(U_Q - C45, {q: ARC}),
            method="sign-certificate",
            paper_ref=f"{REF} (C-D2 skeleton, docs/theory.md)",
            summary="On the arc, u* = 2q/(1+q^2) >= 1/sqrt2 (the statement of C-D2).",
            twin=(
                SignCertificate(U_Q - C45, {q: Interval(0, 1, lo_open=True)}),
                "arc widened to q in (0, 1] (hypothesis t >= pi/4 dropped)",
            ),
        )
    )
    return out


def _d3_d4_steps() -> list[ProofStep]:
    out: list[ProofStep] = []
    arc_box = {q: ARC, k: K_RANGE}
    c = sp.Symbol("c", real=True)
    out.append(
        ProofStep.make(
            "C-D3",
            "d3-margin-on-arc",
            AllOf(
                (
                    Identity(W1_Q / U_Q, COT_Q, {q: ARC}),
                    SignCertificate(COT_Q, {q: ARC}),
                    SignCertificate(k - COT_Q - 3, arc_box),
                ),
                glue="c = w1/u = (1 - q^2)/(2q) lies in [0, 1] on the arc and k - c >= 3",
            ),
            method="sign-certificate",
            paper_ref=f"{REF} (C-D3 skeleton, docs/theory.md)",
            summary="Normalized margins of the SVM: 0 <= w1/u and k - w1/u >= 3.",
            twin=(
                SignCertificate(k - COT_Q - 3, {q: Interval(sp.Rational(1, 4), 1), k: K_RANGE}),
                "arc widened to q >= 1/4 (hypothesis u >= 1/sqrt2 dropped)",
            ),
        )
    )
    acc = p * Phi(k + c) + (1 - p) * Phi(k - c)
    out.append(
        ProofStep.make(
            "C-D3",
            "d3-accuracy-monotone",
            AllOf(
                (
                    *(
                        Identity(
                            (W1_Q * ss + U_Q * k) / U_Q,
                            ss * COT_Q + k,
                            {q: ARC, k: Interval(4, 40)},
                        )
                        for ss in (1, -1)
                    ),
                    Identity(
                        acc - Phi(k - c),
                        p * (Phi(k + c) - Phi(k - c)),
                        {p: P_RANGE, k: Interval(4, 40), c: Interval(0, 1)},
                    ),
                    SignCertificate(sp.diff(Phi(xx), xx), {xx: Interval(-sp.oo, sp.oo)}, True),
                ),
                glue="acc = p Phi(k + c) + (1-p) Phi(k - c) (docs/theory.md §2 with m = k u, "
                "sigma = u); Phi' = phi > 0 and c >= 0 give acc >= Phi(k - c) >= Phi(3)",
                mutate_index=2,
            ),
            method="derivative",
            paper_ref=f"{REF} (C-D3 skeleton, docs/theory.md)",
            summary="acc(w*) >= Phi(k - w1/u) >= Phi(3).",
            domain=r"\tfrac12 \le p \le 0.975,\ k \ge 4,\ 0 \le c \le 1",
        )
    )
    out.append(
        ProofStep.make(
            "C-D3",
            "d3-phi-3",
            BallInequality(Phi(sp.Integer(3)) - sp.Rational(99, 100), {}),
            method="branch-and-bound",
            paper_ref=f"{REF} (C-D3 skeleton, docs/theory.md)",
            summary="Phi(3) > 0.99 (certified ball: 0.99865...).",
            domain="",
            twin=(
                BallInequality(Phi(sp.Integer(3)) - sp.Rational(9987, 10000), {}),
                "threshold nudged from 0.99 to 0.9987",
            ),
        )
    )
    # C-D4: robust margin at eps = 2 eta; w1 >= 0 on the arc so |w1| = w1
    parts = []
    for ss in (1, -1):
        robust = (W1_Q * ss + U_Q * k - 2 * eta * W1_Q - 2 * k * U_Q) / U_Q
        parts.append(
            SignCertificate((COT_Q - k) - robust, {q: ARC, k: K_RANGE, eta: Interval(0, sp.oo)})
        )
    parts.append(SignCertificate(k - COT_Q - 3, arc_box))
    parts.append(SignCertificate(W1_Q, {q: ARC}))
    out.append(
        ProofStep.make(
            "C-D4",
            "d4-robust-margin",
            AllOf(
                tuple(parts),
                glue="at eps = 2 eta, r = eps ||w||_1 = 2 eta w1 + 2 k u (w1 >= 0 on the arc), so "
                "each robust normalized margin (w1 s + k u - r)/u <= c - k <= -3 and the robust "
                "accuracy is <= Phi(-3)",
                mutate_index=1,
            ),
            method="sign-certificate",
            paper_ref=f"{REF} (C-D4 skeleton, docs/theory.md)",
            summary="Robust margins at eps = 2 eta are <= c - k <= -3 (eta enters with the right "
            "sign, so the bound holds for every d).",
            domain=r"\sqrt2 - 1 \le q \le 1,\ k \ge 4,\ \eta \ge 0,\ s = \pm 1",
        )
    )
    out.append(
        ProofStep.make(
            "C-D4",
            "d4-phi-minus-3",
            BallInequality(sp.Rational(1, 100) - Phi(sp.Integer(-3)), {}),
            method="branch-and-bound",
            paper_ref=f"{REF} (C-D4 skeleton, docs/theory.md)",
            summary="Phi(-3) < 0.01 (certified ball: 0.00135...).",
            domain="",
            twin=(
                BallInequality(sp.Rational(13, 10000) - Phi(sp.Integer(-3)), {}),
                "threshold nudged from 0.01 to 0.0013",
            ),
        )
    )
    return out
