r"""Beyond the paper: B-BAYES, B-OPTROBUST, B-FRONTIER as checkable steps.

- B-BAYES: the log-likelihood ratio of D(p, eta, d) is ``x1 log(p/(1-p)) + 2 eta sum_i x_i``;
- B-OPTROBUST: the shift by ``-eta y`` makes the weak block uninformative (``eps >= eta``); for
  ``eps < eta`` the Bayes accuracy of the shifted model (weak mean ``eta - eps``) is
  ``p Phi(s + a/(2s)) + (1-p) Phi(s - a/(2s))``, ``s = (eta - eps) sqrt(d)``, ``a = log(p/(1-p))``;
- B-FRONTIER: at ``eps = 2 eta`` the per-``x1`` problems ``max_u acc_shift + lam acc`` over forward
  thresholds are solved by ``u_+- = +-log((lam(1-p) - p)/(lam p - (1-p)))/(2k)`` for
  ``lam > p/(1-p)``, and by ``u = -+inf`` (the rule ``sign(x1)``) for ``0 <= lam <= p/(1-p)``.

Notation: ``k = eta sqrt(d)``; the weak block enters through ``z = sum_i x_i / sqrt(d)``, with
``y z ~ N(k, 1)`` (C-ZLAW). Prose: docs/beyond/{bayes,optrobust,frontier}.md; spec:
beyond.md.
"""

from __future__ import annotations

import sympy as sp
from tradeoff.proofs.certify import (
    AllOf,
    Argued,
    Identity,
    Interval,
    Limit,
    Phi,
    SignCertificate,
    phi,
)
from tradeoff.proofs.step import ProofStep
from tradeoff.proofs.theorem21 import accuracy_printed, shift_accuracy_printed

__all__ = [
    "bayes_shifted_accuracy_derived",
    "frontier_objective",
    "frontier_thresholds",
    "llr_derived",
    "optrobust_printed",
    "steps",
]

p = sp.Symbol("p", real=True)
eta = sp.Symbol("eta", real=True)
eps = sp.Symbol("epsilon", real=True)
w, z, u, m = sp.symbols("w z u m", real=True)
e, c = sp.symbols("e c", real=True)
s = sp.Symbol("s", positive=True)
k = sp.Symbol("k", positive=True)
lam = sp.Symbol("lambda", real=True)
#: the weak coordinates of the d = 3 instance
XS = sp.symbols("x2:5", real=True)

P_RANGE = Interval(sp.Rational(1, 2), 1, hi_open=True)
REAL = Interval(-10, 10)
POS = Interval(0, sp.oo, lo_open=True)
NONNEG = Interval(0, sp.oo)
REF = "beyond.md (not in the paper)"


def _two_point(x1: int, y: int) -> sp.Expr:
    """``P(x1 | y)``: ``p`` if ``x1 = y``, else ``1 - p``."""
    return p if x1 == y else 1 - p


def llr_derived(x1: int, xs: tuple[sp.Symbol, ...] = XS, factor: sp.Expr = 2) -> sp.Expr:
    """``log P(x|+1) - log P(x|-1)`` from the product density, minus nothing: the derivation.

    ``log P(x | y) = log P(x1 | y) + sum_i log phi(x_i - eta y)`` (independent coordinates).
    ``factor`` is used only by the mutated twin (the weak mean written ``factor/2 * eta``).
    """
    mean = factor * eta / 2
    return (
        sp.log(_two_point(x1, 1))
        - sp.log(_two_point(x1, -1))
        + sum((sp.log(phi(xi - mean)) - sp.log(phi(xi + mean)) for xi in xs), sp.S.Zero)
    )


def optrobust_printed(p_: sp.Expr, s_: sp.Expr, *, half: bool = True) -> sp.Expr:
    """B-OPTROBUST's closed form ``p Phi(s + a/(2s)) + (1-p) Phi(s - a/(2s))``."""
    a = sp.log(p_ / (1 - p_))
    t = a / (2 * s_) if half else a / s_
    return p_ * Phi(s_ + t) + (1 - p_) * Phi(s_ - t)


def bayes_threshold(x1: int, p_: sp.Expr = p, s_: sp.Expr = s) -> sp.Expr:
    """Bayes threshold on ``z`` given ``x1`` (predict +1 iff ``z > u``): ``-x1 a/(2s)``."""
    return -x1 * sp.log(p_ / (1 - p_)) / (2 * s_)


def bayes_shifted_accuracy_derived(p_: sp.Expr = p, s_: sp.Expr = s) -> sp.Expr:
    """Accuracy of the Bayes rule of the model ``x1 ~ two-point, z | y ~ N(s y, 1)``.

    Summed over ``(y, x1)`` with weight ``P(y, x1) = 1/2 P(x1 | y)``: for ``y = +1`` the rule is
    right iff ``z > u_{x1}`` (probability ``Phi(s - u)``), for ``y = -1`` iff ``z <= u_{x1}``
    (probability ``Phi(u + s)``), by the tail-probability part of the step.
    """
    total = sp.S.Zero
    for yy in (1, -1):
        for x1 in (1, -1):
            weight = sp.Rational(1, 2) * (p_ if x1 == yy else 1 - p_)
            thr = bayes_threshold(x1, p_, s_)
            total += weight * (Phi(s_ - thr) if yy == 1 else Phi(thr + s_))
    return total


def frontier_objective(x1: int) -> sp.Expr:
    """``2 [acc_shift + lam acc]`` restricted to ``x1``, forward threshold ``u``, ``eps = 2 eta``.

    Given ``x1``, ``y = +1`` has weight ``P(x1|+1)`` and ``z ~ N(k, 1)`` (``N(-k, 1)`` after the
    shift by ``2 eta``); ``y = -1`` has weight ``P(x1|-1)`` and ``z ~ N(-k, 1)`` (``N(k, 1)``).
    The rule says +1 iff ``z > u``.
    """
    wp, wm = _two_point(x1, 1), _two_point(x1, -1)
    shifted = wp * Phi(-k - u) + wm * Phi(u - k)
    standard = wp * Phi(k - u) + wm * Phi(u + k)
    return shifted + lam * standard


def _frontier_coeffs(x1: int) -> tuple[sp.Expr, sp.Expr]:
    """``(A, B)`` with ``J'(u) = A phi(u + k) + B phi(u - k)``."""
    wp, wm = _two_point(x1, 1), _two_point(x1, -1)
    return lam * wm - wp, wm - lam * wp


def frontier_thresholds(*, swapped: bool = False) -> dict[int, sp.Expr]:
    """``u_+- = +-log((lam(1-p) - p)/(lam p - (1-p)))/(2k)`` (``swapped``: the twin's ratio)."""
    num, den = lam * (1 - p) - p, lam * p - (1 - p)
    if swapped:
        num, den = den, num
    up = sp.log(num / den) / (2 * k)
    return {1: up, -1: -up}


def _bayes_steps() -> list[ProofStep]:
    box = {p: P_RANGE, eta: REAL, **{xi: REAL for xi in XS}}
    x = sp.Symbol("x", real=True)

    def parts(factor: sp.Expr, eta_iv: Interval) -> tuple:
        per_coord = Identity(
            sp.log(phi(x - factor * eta / 2)) - sp.log(phi(x + factor * eta / 2)),
            2 * eta * x,
            {x: REAL, eta: eta_iv},
        )
        d3 = tuple(
            Identity(
                llr_derived(x1, factor=factor),
                x1 * (sp.log(p) - sp.log(1 - p)) + 2 * eta * sum(XS),
                {**box, eta: eta_iv},
            )
            for x1 in (1, -1)
        )
        split = sp.log(p / (1 - p)) - (sp.log(p) - sp.log(1 - p))
        log_split = (
            Identity(sp.diff(split, p), 0, {p: P_RANGE}),
            Identity(split.subs(p, sp.Rational(1, 2)), 0),
        )
        return (per_coord, *d3, *log_split)

    return [
        ProofStep.make(
            "B-BAYES",
            "bayes-llr-linear",
            AllOf(
                parts(2, REAL),
                glue="log phi(x - eta) - log phi(x + eta) = 2 eta x per coordinate, so for any d "
                "the weak block adds 2 eta sum_i x_i (the density is a product); the two-point "
                "law of x1 adds log p - log(1-p) = log(p/(1-p)) for x1 = +1 and its negative for "
                "x1 = -1 (checked in full at d = 3); log(p/(1-p)) - (log p - log(1-p)) has zero "
                "derivative on (0, 1) and vanishes at p = 1/2. Hence the LLR is "
                "x1 log(p/(1-p)) + 2 eta sum_i x_i and the Bayes rule is linear.",
            ),
            method="identity",
            paper_ref=REF + ", B-BAYES (model: eq. (3))",
            summary="log P(x|+1) - log P(x|-1) = x1 log(p/(1-p)) + 2 eta sum_i x_i.",
            domain=r"x_1 = \pm 1,\ \tfrac12 \le p < 1,\ \eta, x_i \in \mathbb{R}",
            twin=(
                AllOf(parts(1, Interval(sp.Rational(1, 10), 10))),
                "weak-feature coefficient eta instead of 2*eta (weak mean eta/2)",
            ),
        )
    ]


def _optrobust_steps() -> list[ProofStep]:
    out: list[ProofStep] = []
    e_nn = NONNEG

    def uninformative(shift: sp.Expr, eta_iv: Interval) -> tuple:
        return tuple(
            Identity(phi((w + shift * yy) - eta * yy), phi(w), {w: REAL, eta: eta_iv})
            for yy in (1, -1)
        )

    feasible = tuple(
        SignCertificate(eps - sp.Abs(-eta * yy), {eta: e_nn, e: e_nn}, subs={eps: eta + e})
        for yy in (1, -1)
    )
    out.append(
        ProofStep.make(
            "B-OPTROBUST",
            "optrobust-shift-eta-uninformative",
            AllOf(
                (*uninformative(eta, e_nn), *feasible),
                glue="subtracting eta*y from each weak coordinate (x_i ~ N(eta y, 1)) leaves "
                "density phi(w) under both labels: the weak block becomes N(0, I) and carries no "
                "information, so no classifier beats the best rule on x1 alone (accuracy p); "
                "the shift has l_inf norm eta <= eps",
            ),
            method="identity",
            paper_ref=REF + ", B-OPTROBUST (eps >= eta)",
            summary="For eps >= eta the shift by -eta*y is admissible and makes the weak block "
            "N(0, 1) under both labels.",
            domain=r"y = \pm 1,\ w \in \mathbb{R},\ \eta \ge 0,\ \epsilon \ge \eta",
            twin=(
                AllOf((*uninformative(eta / 2, Interval(sp.Rational(1, 10), 10)), *feasible)),
                "shift by eta/2 instead of eta",
            ),
        )
    )
    out.append(
        ProofStep.make(
            "B-OPTROBUST",
            "optrobust-shift-eps-density",
            AllOf(
                tuple(
                    Identity(
                        phi((w + eps * yy) - eta * yy),
                        phi(w - (eta - eps) * yy),
                        {w: REAL, eta: REAL, eps: REAL},
                    )
                    for yy in (1, -1)
                ),
                glue="subtracting eps*y from each weak coordinate (norm eps, admissible) turns "
                "N(eta y, 1) into N((eta - eps) y, 1); with C-ZLAW, y z ~ N(s, 1), "
                "s = (eta - eps) sqrt(d)",
            ),
            method="identity",
            paper_ref=REF + ", B-OPTROBUST (eps < eta)",
            summary="For eps < eta the shift by -eps*y leaves weak features N((eta - eps) y, 1).",
            domain=r"y = \pm 1,\ w, \eta, \epsilon \in \mathbb{R}",
            twin=(
                AllOf(
                    tuple(
                        Identity(
                            phi((w + 2 * eps * yy) - eta * yy),
                            phi(w - (eta - eps) * yy),
                            {w: REAL, eta: REAL, eps: Interval(sp.Rational(1, 10), 10)},
                        )
                        for yy in (1, -1)
                    )
                ),
                "shift by 2*eps*y instead of eps*y",
            ),
        )
    )

    dom = {p: P_RANGE, s: POS}
    lr_z = Identity(phi(z - s) / phi(z + s), sp.exp(2 * s * z), {z: REAL, s: POS})
    thresholds = tuple(
        Identity(
            (p / (1 - p)) ** x1 * sp.exp(2 * s * bayes_threshold(x1)),
            1,
            dom,
        )
        for x1 in (1, -1)
    )
    # P(N(m, 1) > u) = Phi(m - u): its u-derivative is minus the density and it vanishes at +oo
    tail = AllOf(
        (
            Identity(sp.diff(Phi(m - u), u), -phi(u - m), {m: REAL, u: REAL}),
            Limit(Phi(m - u), u, sp.oo, 0),
        ),
        glue="d/du Phi(m - u) = -phi(u - m) and Phi(m - u) -> 0 as u -> oo, so "
        "Phi(m - u) = int_u^oo phi(t - m) dt = P(N(m, 1) > u)",
    )

    def closed(half: bool, dom_: dict) -> Identity:
        return Identity(bayes_shifted_accuracy_derived(), optrobust_printed(p, s, half=half), dom_)

    glue = (
        "given x1 the likelihood ratio of (x1, z) is (p/(1-p))^{x1} exp(2 s z), increasing in z, "
        "so the Bayes rule says +1 iff z > u_{x1} with exp(2 s u_{x1}) = ((1-p)/p)^{x1}, i.e. "
        "u_{x1} = -x1 a/(2s); P(N(m, 1) > u) = Phi(m - u); summing over (y, x1) gives "
        "p Phi(s + a/(2s)) + (1-p) Phi(s - a/(2s))"
    )
    out.append(
        ProofStep.make(
            "B-OPTROBUST",
            "optrobust-shifted-bayes-accuracy",
            AllOf((lr_z, *thresholds, tail, closed(True, dom)), glue=glue),
            method="identity",
            paper_ref=REF + ", B-OPTROBUST (eps < eta)",
            summary="The Bayes accuracy of the shifted model (weak mean eta - eps) is "
            "p Phi(s + a/(2s)) + (1-p) Phi(s - a/(2s)), s = (eta - eps) sqrt(d), a = log(p/(1-p)).",
            domain=r"\tfrac12 \le p < 1,\ s > 0",
            twin=(
                AllOf(
                    (
                        lr_z,
                        *thresholds,
                        tail,
                        closed(
                            False,
                            {
                                p: Interval(sp.Rational(3, 5), sp.Rational(19, 20)),
                                s: Interval(sp.Rational(1, 2), 3),
                            },
                        ),
                    )
                ),
                "closed form with a/s instead of a/(2s)",
            ),
        )
    )
    out.append(
        ProofStep.make(
            "B-OPTROBUST",
            "optrobust-chain",
            Argued(
                "for every f, acc_eps(f) <= accuracy of f on the shifted data (the shift by "
                "-min(eps, eta) y is admissible) <= Bayes accuracy of the shifted model "
                "(Neyman-Pearson) = the closed form (previous steps; p for eps >= eta); the "
                "forward threshold rule u = -a/(2s) on (sign(x1), z) attains it, since a radius "
                "eps < 1 cannot flip sign(x1) and its worst move is exactly the shift of z by "
                "eps sqrt(d)"
            ),
            method="argued",
            paper_ref=REF + ", B-OPTROBUST",
            summary="The closed form is the best l_inf-robust accuracy, and it is attained.",
            domain=r"\tfrac12 \le p < 1,\ 0 \le \epsilon < 1",
        )
    )
    return out


def _frontier_steps() -> list[ProofStep]:
    out: list[ProofStep] = []
    c_pos = Interval(0, sp.oo, lo_open=True)
    lam_box = Interval(0, 50)
    interior = {lam: p / (1 - p) + c}  # lam > p/(1-p)

    derivs = tuple(
        Identity(
            sp.diff(frontier_objective(x1), u),
            _frontier_coeffs(x1)[0] * phi(u + k) + _frontier_coeffs(x1)[1] * phi(u - k),
            {u: REAL, k: POS, p: P_RANGE, lam: lam_box},
        )
        for x1 in (1, -1)
    )
    lr_ratio = Identity(phi(u - k) / phi(u + k), sp.exp(2 * k * u), {u: REAL, k: POS})

    def lr_equations(swapped: bool, box: dict) -> tuple:
        # Stated on the interior lam = p/(1-p) + c, c > 0 only: there the argument of the log is
        # positive; at lam = (1-p)/p the rational form has a zero denominator.
        thr = frontier_thresholds(swapped=swapped)
        out_ = []
        for x1 in (1, -1):
            a_, b_ = _frontier_coeffs(x1)
            expr = (a_ + b_ * sp.exp(2 * k * thr[x1])).xreplace(interior)
            out_.append(Identity(sp.simplify(expr), 0, box))
        return tuple(out_)

    lam_int_box = {p: P_RANGE, c: c_pos}
    a_plus, b_plus = _frontier_coeffs(1)
    signs = (
        SignCertificate(a_plus, {p: P_RANGE, c: c_pos}, strict=True, subs=interior),
        SignCertificate(-b_plus, {p: P_RANGE, c: c_pos}, strict=True, subs=interior),
    )
    glue = (
        "J_{x1}'(u) = A phi(u+k) + B phi(u-k) = phi(u+k) (A + B exp(2ku)); for lam > p/(1-p), "
        "A > 0 > B when x1 = +1 (and the roles swap, p <-> 1-p, when x1 = -1), so "
        "A + B exp(2ku) is strictly monotone with the single root exp(2ku) = -A/B: u_+ is the "
        "maximizer for x1 = +1, u_- = -u_+ for x1 = -1"
    )
    out.append(
        ProofStep.make(
            "B-FRONTIER",
            "frontier-2eta-interior-threshold",
            AllOf((*derivs, lr_ratio, *lr_equations(False, lam_int_box), *signs), glue=glue),
            method="identity",
            paper_ref=REF + ", B-FRONTIER (eps = 2 eta); docs/beyond/frontier.md",
            summary="For lam > p/(1-p) the thresholds u_+- = +-log((lam(1-p) - p)/(lam p - (1-p)))"
            "/(2k) solve the likelihood-ratio equations of max acc_shift + lam acc.",
            domain=r"\tfrac12 \le p < 1,\ \lambda > p/(1-p),\ k > 0,\ u \in \mathbb{R}",
            twin=(
                AllOf(
                    (
                        *derivs,
                        lr_ratio,
                        *lr_equations(
                            True,
                            {
                                p: Interval(sp.Rational(3, 5), sp.Rational(19, 20)),
                                lam: Interval(20, 50),
                            },
                        ),
                        *signs,
                    )
                ),
                "the two factors inside the log swapped",
            ),
        )
    )

    # lam <= p/(1-p): the optimum is at u = -inf for x1 = +1 and u = +inf for x1 = -1
    mid = {lam: (1 - p) / p + c * (p / (1 - p) - (1 - p) / p)}  # (1-p)/p <= lam <= p/(1-p)
    low = {lam: c * (1 - p) / p}  # 0 <= lam <= (1-p)/p
    unit = Interval(0, 1)
    a_minus, b_minus = _frontier_coeffs(-1)
    pc = {p: P_RANGE, c: unit}
    limits = (
        Limit(frontier_objective(1), u, -sp.oo, p * (1 + lam)),
        Limit(frontier_objective(1), u, sp.oo, (1 - p) * (1 + lam)),
        Limit(frontier_objective(-1), u, -sp.oo, (1 - p) * (1 + lam)),
        Limit(frontier_objective(-1), u, sp.oo, p * (1 + lam)),
    )
    corner = (
        *derivs,
        SignCertificate(-b_plus, pc, subs=mid),
        SignCertificate(a_minus, pc, subs=mid),
        SignCertificate(b_minus, pc, subs=mid),
        SignCertificate(-a_plus, pc, subs=low),
        SignCertificate(b_plus, pc, subs=low),
        SignCertificate(-a_minus, pc, subs=low),
        SignCertificate(b_minus, pc, subs=low),
        *limits,
        SignCertificate((2 * p - 1) * (1 + lam), {p: P_RANGE, lam: NONNEG}),
        SignCertificate(-a_plus, pc, subs=mid),
    )
    out.append(
        ProofStep.make(
            "B-FRONTIER",
            "frontier-2eta-corner",
            AllOf(
                corner,
                glue="with J' = A phi(u+k) + B phi(u-k): for (1-p)/p <= lam <= p/(1-p), "
                "A, B <= 0 for x1 = +1 and A, B >= 0 for x1 = -1, so J_+' <= 0, J_-' >= 0 and "
                "u_+ = -oo, u_- = +oo (the rule sign(x1)); for 0 <= lam <= (1-p)/p: A <= 0 <= B "
                "for both x1, so A + B exp(2ku) is increasing and J has no interior maximum; "
                "J_+(-oo) = p(1+lam) >= (1-p)(1+lam) = J_+(+oo) (the Gruntz limits; mirrored for "
                "x1 = -1, (2p-1)(1+lam) >= 0), "
                "so again sign(x1) is optimal",
                mutate_index=-1,
            ),
            method="sign-certificate",
            paper_ref=REF + ", B-FRONTIER (eps = 2 eta)",
            summary="For 0 <= lam <= p/(1-p) the optimum of acc_shift + lam acc is at u = -+inf: "
            "the rule sign(x1).",
            domain=r"\tfrac12 \le p < 1,\ 0 \le \lambda \le p/(1-p)",
            twin=(
                AllOf(
                    (
                        *corner[:-1],
                        SignCertificate(
                            -a_plus,
                            {p: Interval(0, 1, lo_open=True, hi_open=True), c: unit},
                            subs=mid,
                        ),
                    )
                ),
                "hypothesis p >= 1/2 dropped (coefficient of phi(u+k), x1 = +1, middle range)",
            ),
        )
    )

    # the support line lam = p/(1-p) is Theorem 2.1's line (C-C5)
    from tradeoff.proofs.theorem21 import P as PIJ

    ppp, pmm = PIJ[1, 1], PIJ[-1, -1]
    a_t21 = 1 - ppp + pmm
    dom_p = {p: P_RANGE, **{q: Interval(0, 1) for q in PIJ.values()}}
    out.append(
        ProofStep.make(
            "B-FRONTIER",
            "frontier-support-line-is-theorem21",
            Identity(
                shift_accuracy_printed() + p / (1 - p) * accuracy_printed(),
                p / (1 - p) - a_t21 * (2 * p - 1) / (2 * (1 - p)),
                dom_p,
            ),
            method="identity",
            paper_ref=REF + "; App. C (C-C5)",
            summary="acc_shift + p/(1-p) acc = p/(1-p) - a(2p-1)/(2(1-p)): the lam = p/(1-p) "
            "support line of the 2 eta relaxation is Theorem 2.1's line, touched by sign(x1) "
            "(a = 0).",
        )
    )
    return out


def steps() -> list[ProofStep]:
    """B-BAYES, B-OPTROBUST and B-FRONTIER steps."""
    return [*_bayes_steps(), *_optrobust_steps(), *_frontier_steps()]
