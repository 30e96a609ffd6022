r"""Theorem 2.2(b) (adversarial training), Appendix D of Tsipras et al. (2019), as checkable steps.

Claims (docs/theory.md §4): C-D5 and C-2.2b.

With the weak weights at 0 (C-D5) the adversarial objective is a function of ``w1`` alone:

.. math::
    F(w_1) = E[\max(0, 1 - w_1 s + \epsilon_{train}|w_1|)] + \tfrac{\lambda}{2} w_1^2,

with one-sided derivatives ``F'(0+) = 1 - 2p + eps_train`` and ``-F'(0-) = 2p - 1 + eps_train``.
If ``eps_train >= 2p - 1`` then ``0`` is in the subdifferential at ``0``: the minimizer is
``w1 = 0``, a constant classifier of accuracy 1/2, and **C-2.2b fails as printed** whenever
``p > 1/2`` (e.g. ``p = 0.975, eta = 0.01, eps_train = 0.96``). The corrected hypothesis is
``2 eta <= eps_train < 2p - 1``; C-D5 itself needs only ``eps_train >= eta``.

References
----------
.. [1] Tsipras et al. (2019), Theorem 2.2(b) p. 6 and Appendix D pp. 17-18.
"""

from __future__ import annotations

import sympy as sp
from tradeoff.proofs.certify import AllOf, Argued, Identity, Interval, SignCertificate
from tradeoff.proofs.step import ProofStep

__all__ = ["COUNTEREXAMPLE", "objective_left", "objective_right", "steps"]

REF = "App. D, pp. 17-18"

p, eta, eps, e = sp.symbols("p eta epsilon_train e", real=True)
w1, v, w_i, W, h = sp.symbols("w_1 v w_i W h", real=True)
lam = sp.Symbol("lambda", real=True)

#: the counterexample to C-2.2b as printed (the lead's instance; any d >= 1, lambda > 0)
COUNTEREXAMPLE = {
    p: sp.Rational(39, 40),
    eta: sp.Rational(1, 100),
    eps: sp.Rational(24, 25),
    lam: sp.Integer(1),
}


def objective_right(w1_: sp.Expr = w1) -> sp.Expr:
    """``F(w1)`` for small ``w1 > 0``: both adversarial hinges are active."""
    return p * (1 - w1_ * (1 - eps)) + (1 - p) * (1 + w1_ * (1 + eps)) + lam / 2 * w1_**2


def objective_left(v_: sp.Expr = v) -> sp.Expr:
    """``F(-v)`` for small ``v > 0``."""
    return p * (1 + v_ * (1 + eps)) + (1 - p) * (1 - v_ * (1 - eps)) + lam / 2 * v_**2


def steps() -> list[ProofStep]:
    """C-D5 (sharpened to eps_train >= eta) and C-2.2b (refuted as printed, then corrected)."""
    out: list[ProofStep] = []
    nn = Interval(0, sp.oo)
    out.append(
        ProofStep.make(
            "C-D5",
            "d5-per-coordinate",
            AllOf(
                tuple(
                    SignCertificate(
                        eps * sp.Abs(w_i) - eta * w_i,
                        {W: nn, eta: nn, e: nn},
                        subs={w_i: sg * W, eps: eta + e},
                    )
                    for sg in (1, -1)
                ),
                glue="a weak weight w_i adds w_i (eta + Z_i) - eps |w_i| to the adversarial "
                "margin; "
                "its mean part is <= -(eps - eta)|w_i| <= 0 once eps >= eta (the paper assumes "
                "eps >= 2 eta: this is a sharpening)",
            ),
            method="sign-certificate",
            paper_ref=f"{REF}, C-D5",
            summary="Per weak coordinate, eps |w_i| - eta w_i >= 0 for eps_train >= eta.",
            domain=r"\eta \ge 0,\ \epsilon_{train} \ge \eta,\ w_i \in \mathbb{R}",
            twin=(
                AllOf(
                    tuple(
                        SignCertificate(
                            eps * sp.Abs(w_i) - eta * w_i,
                            {W: nn, eta: nn, e: nn},
                            subs={w_i: sg * W, eps: eta / 2 + e},
                        )
                        for sg in (1, -1)
                    )
                ),
                "hypothesis weakened to eps_train >= eta/2",
            ),
        )
    )
    out.append(
        ProofStep.make(
            "C-D5",
            "d5-regularizer",
            SignCertificate(
                lam / 2 * (w1**2 + h**2) - lam / 2 * w1**2,
                {
                    lam: Interval(0, sp.oo, lo_open=True),
                    w1: Interval(-10, 10),
                    h: Interval(0, sp.oo, lo_open=True),
                },
                strict=True,
            ),
            method="sign-certificate",
            paper_ref=f"{REF}, C-D5",
            summary="Zeroing nonzero weak weights strictly lowers (lambda/2)||w||^2 (lambda > 0).",
            twin=(
                SignCertificate(
                    lam / 2 * (w1**2 + h**2) - lam / 2 * w1**2,
                    {lam: nn, w1: Interval(-10, 10), h: Interval(0, sp.oo, lo_open=True)},
                    strict=True,
                ),
                "hypothesis lambda > 0 dropped",
            ),
        )
    )
    out.append(
        ProofStep.make(
            "C-D5",
            "d5-conclusion",
            Argued(
                "y w.x - eps ||w||_1 = [w1 s - eps |w1|] + sum_i (eta w_i - eps |w_i|) + sigma Z, "
                "sigma = ||w_rest||_2. Given s the hinge is E[max(0, A + c - sigma Z)] with "
                "c >= 0 (d5-per-coordinate) and this is >= max(0, A) = hinge of (w1, 0) "
                "(gaussian-jensen); with d5-regularizer every minimizer has w_rest = 0"
            ),
            method="argued",
            paper_ref=f"{REF}, C-D5",
            summary="Every minimizer of the adversarial objective has all weak weights 0.",
            domain=r"0 \le p \le 1,\ \eta \ge 0,\ \epsilon_{train} \ge \eta,\ \lambda > 0",
        )
    )

    # C-2.2b: one-sided derivatives at w1 = 0
    small = Interval(0, sp.Rational(1, 2), lo_open=True)
    out.append(
        ProofStep.make(
            "C-2.2b",
            "b-active-pieces",
            AllOf(
                (
                    SignCertificate(1 - w1 * (1 - eps), {w1: small, eps: nn}, strict=True),
                    SignCertificate(1 + w1 * (1 + eps), {w1: small, eps: nn}, strict=True),
                    SignCertificate(1 - v * (1 - eps), {v: small, eps: nn}, strict=True),
                    SignCertificate(1 + v * (1 + eps), {v: small, eps: nn}, strict=True),
                ),
                glue="for 0 < |w1| <= 1/2 both adversarial hinges max(0, 1 - w1 s + eps|w1|) are "
                "in their linear piece, so F is the polynomial objective_right/left there",
            ),
            method="sign-certificate",
            paper_ref=f"{REF}, proof of Thm 2.2(b)",
            summary="Near w1 = 0 the adversarial objective is smooth on each side.",
            twin=(
                SignCertificate(1 - w1 * (1 - eps), {w1: Interval(0, 3), eps: nn}, strict=True),
                "range of w1 widened to [0, 3]",
            ),
        )
    )
    dom_b = {p: Interval(0, 1), eps: Interval(0, 2), lam: Interval(0, 5)}
    out.append(
        ProofStep.make(
            "C-2.2b",
            "b-one-sided-derivatives",
            AllOf(
                (
                    Identity(sp.diff(objective_right(), w1).subs(w1, 0), 1 - 2 * p + eps, dom_b),
                    Identity(sp.diff(objective_left(), v).subs(v, 0), 2 * p - 1 + eps, dom_b),
                ),
                glue="F'(0+) = 1 - 2p + eps_train and -F'(0-) = 2p - 1 + eps_train",
            ),
            method="subgradient",
            paper_ref=f"{REF}, proof of Thm 2.2(b)",
            summary="One-sided derivatives of F at w1 = 0.",
        )
    )
    # as printed: fails when eps_train >= 2p - 1
    half_one = Interval(sp.Rational(1, 2), 1)
    cx = COUNTEREXAMPLE
    out.append(
        ProofStep.make(
            "C-2.2b",
            "b-refuted-when-eps-ge-2p-1",
            AllOf(
                (
                    SignCertificate(
                        1 - 2 * p + eps, {p: half_one, e: nn}, subs={eps: 2 * p - 1 + e}
                    ),
                    SignCertificate(
                        2 * p - 1 + eps, {p: half_one, e: nn}, subs={eps: 2 * p - 1 + e}
                    ),
                    SignCertificate((eps - 2 * eta).subs(cx), {}),
                    Identity((1 - 2 * p + eps).subs(cx), sp.Rational(1, 100)),
                    SignCertificate(p.subs(cx) - sp.Rational(1, 2), {}, strict=True),
                ),
                glue="if eps_train >= 2p - 1 then F'(0+) >= 0 >= F'(0-): 0 is in the "
                "subdifferential "
                "of the strictly convex F, so w1 = 0 is the unique minimizer, the classifier is "
                "constant and its accuracy is 1/2 < p. Instance: p = 39/40, eta = 1/100, "
                "eps_train = 24/25 >= 2 eta, F'(0+) = 1/100 >= 0: accuracy 1/2, not 39/40",
                mutate_index=0,
            ),
            method="subgradient",
            paper_ref="Thm 2.2(b), p. 6",
            summary="C-2.2b is false as printed: for eps_train >= 2p - 1 the adversarial minimizer "
            "is w = 0 (accuracy 1/2, not p).",
            domain=r"\tfrac12 \le p \le 1,\ \epsilon_{train} \ge 2p - 1",
        )
    )
    # the tie eps_train = 2p - 1: the risk is flat on [0, 1/2], the penalty picks w1 = 0
    pos = Interval(0, sp.oo, lo_open=True)
    tie = {eps: 2 * p - 1}
    out.append(
        ProofStep.make(
            "C-2.2b",
            "b-tie-penalty-picks-zero",
            AllOf(
                (
                    Identity(
                        (objective_right() - objective_right(sp.S.Zero)).subs(tie),
                        lam / 2 * w1**2,
                        {p: half_one, lam: pos, w1: small},
                    ),
                    SignCertificate(lam / 2 * w1**2, {w1: small, lam: pos}, strict=True),
                    SignCertificate(
                        (objective_left() - objective_left(sp.S.Zero)).subs(tie),
                        {v: small, p: half_one, lam: pos},
                        strict=True,
                    ),
                ),
                glue="at eps_train = 2p - 1 the hinge part of F is flat for 0 < w1 <= 1/2 "
                "(F(w1) - F(0) = lambda w1^2 / 2) and increasing for w1 < 0, so for every "
                "lambda > 0 the strictly convex F has the unique minimizer w1 = 0: the SVM is "
                "w = 0 with accuracy 1/2, and C-2.2b as printed fails at the tie when p > 1/2; "
                "at p = 1/2 the accuracy 1/2 equals p and the printed claim holds",
            ),
            method="subgradient",
            paper_ref="Thm 2.2(b), p. 6",
            summary="At the tie eps_train = 2p - 1 every J_lambda (lambda > 0) is minimized by "
            "w = 0 alone.",
            domain=r"\epsilon_{train} = 2p - 1,\ \tfrac12 \le p \le 1,\ \lambda > 0",
            twin=(
                SignCertificate(lam / 2 * w1**2, {w1: small, lam: nn}, strict=True),
                "lambda > 0 relaxed to lambda >= 0 (at lambda = 0 the tie has many minimizers)",
            ),
        )
    )
    # corrected: 2 eta <= eps_train < 2p - 1 (so p > 1/2 + eta)
    corr = {eps: Interval(0, 1, hi_open=True), e: Interval(0, sp.oo, lo_open=True)}
    corr_subs = {p: (1 + eps + e) / 2}
    out.append(
        ProofStep.make(
            "C-2.2b",
            "b-corrected-minimizer-positive",
            AllOf(
                (
                    SignCertificate(-(1 - 2 * p + eps), corr, strict=True, subs=corr_subs),
                    SignCertificate(2 * p - 1 + eps, corr, strict=True, subs=corr_subs),
                ),
                glue="with eps_train = 2p - 1 - e, e > 0: F'(0+) = -e < 0 and -F'(0-) > 0, so the "
                "unique minimizer (F strictly convex) has w1* > 0",
            ),
            method="subgradient",
            paper_ref="Thm 2.2(b), p. 6 (corrected hypothesis)",
            summary="Under eps_train < 2p - 1 the adversarial minimizer has w1* > 0.",
            domain=r"0 \le \epsilon_{train} < 2p - 1",
            twin=(
                AllOf(
                    (
                        SignCertificate(
                            -(1 - 2 * p + eps),
                            {eps: Interval(0, 1, hi_open=True), e: nn},
                            strict=True,
                            subs=corr_subs,
                        ),
                    )
                ),
                "hypothesis eps_train < 2p - 1 relaxed to eps_train <= 2p - 1",
            ),
        )
    )
    out.append(
        ProofStep.make(
            "C-2.2b",
            "b-corrected-conclusion",
            Argued(
                "for 2 eta <= eps_train < 2p - 1 and lambda > 0: weak weights are 0 (C-D5, "
                "eps_train >= eta) and w1* > 0 (previous step), so the classifier is sign(x1), "
                "whose "
                "standard and l_inf-robust accuracies are p for every eps < 1 (C-2.1-TIGHT)"
            ),
            method="argued",
            paper_ref="Thm 2.2(b), p. 6 (corrected hypothesis)",
            summary="Corrected C-2.2b: accuracy = robust accuracy = p.",
            domain=r"2\eta \le \epsilon_{train} < 2p - 1,\ \lambda > 0,\ \epsilon < 1",
        )
    )
    return out
