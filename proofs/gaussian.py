r"""Gaussian lemmas shared by the proof of Theorem 2.2 (Appendix D).

- the law of the weak-feature statistic (C-ZLAW): ``y z ~ N(eta sqrt(d), 1)``;
- the closed form of the expected hinge of a Gaussian margin:
  :math:`E[\max(0, a - \sigma Z)] = a\Phi(a/\sigma) + \sigma\varphi(a/\sigma)`;
- the two Mills-ratio bounds (Gordon, 1941), each proved by a derivative argument:
  :math:`\tfrac{x}{1+x^2}\varphi(x) \le Q(x)` for ``x >= 0`` and
  :math:`x Q(x) \le \varphi(x)` for every real ``x``.

The population hinge loss of ``w = (w1, (u/sqrt(d)) 1_d)`` is then the explicit two-variable
function :func:`population_hinge`.

References
----------
.. [1] Tsipras et al. (2019), Appendix D, pp. 16-18.
.. [2] R. D. Gordon, "Values of Mills' ratio of area to bounding ordinate...", Ann. Math.
   Statist. 12 (1941) 364-366.
"""

from __future__ import annotations

import sympy as sp
from tradeoff.proofs.certify import AllOf, Identity, Interval, Limit, Phi, Q, SignCertificate, phi
from tradeoff.proofs.step import ProofStep

__all__ = [
    "expected_hinge",
    "mills_lower_gap",
    "mills_upper_gap",
    "population_hinge",
    "steps",
]

REF = "App. D, pp. 16-18"

x = sp.Symbol("x", real=True)
z = sp.Symbol("z", real=True)
a = sp.Symbol("a", real=True)
sigma = sp.Symbol("sigma", positive=True)
s, m, t = sp.symbols("s m t", real=True)
v = sp.Symbol("v", positive=True)
eta = sp.Symbol("eta", real=True)
d = sp.Symbol("d", positive=True)


def expected_hinge(a_: sp.Expr, sigma_: sp.Expr) -> sp.Expr:
    r""":math:`E[\max(0, a - \sigma Z)] = a\Phi(a/\sigma) + \sigma\varphi(a/\sigma)`, sigma > 0."""
    return a_ * Phi(a_ / sigma_) + sigma_ * phi(a_ / sigma_)


def population_hinge(w1: sp.Expr, u: sp.Expr, p: sp.Expr, k: sp.Expr) -> sp.Expr:
    r"""``E[max(0, 1 - y w.x)]`` for ``w = (w1, (u/sqrt(d)) 1_d)``, ``u > 0``.

    ``y w.x = w1 s + u (k + Z)`` with ``s = +1`` w.p. ``p`` (C-ZLAW), so the loss is
    ``p h(1 - w1 - u k, u) + (1-p) h(1 + w1 - u k, u)`` with ``h`` = :func:`expected_hinge`.
    """
    return p * expected_hinge(1 - w1 - u * k, u) + (1 - p) * expected_hinge(1 + w1 - u * k, u)


def mills_lower_gap(x_: sp.Expr) -> sp.Expr:
    r""":math:`D(x) = Q(x) - \tfrac{x}{1+x^2}\varphi(x)` (``>= 0`` for ``x >= 0``)."""
    return Q(x_) - x_ * phi(x_) / (1 + x_**2)


def mills_upper_gap(x_: sp.Expr) -> sp.Expr:
    r""":math:`U(x) = \varphi(x) - x Q(x)` (``> 0`` for every real ``x``)."""
    return phi(x_) - x_ * Q(x_)


def steps() -> list[ProofStep]:
    """Gaussian lemmas: C-ZLAW, the expected-hinge closed form, the two Mills bounds."""
    out: list[ProofStep] = []
    real = Interval(-10, 10)
    pos = Interval(0, sp.oo, lo_open=True)

    # C-ZLAW
    out.append(
        ProofStep.make(
            "C-ZLAW",
            "zlaw-coordinate",
            AllOf(
                tuple(
                    Identity(phi(yy * t - eta * yy), phi(t - eta), {t: real, eta: real})
                    for yy in (1, -1)
                ),
                glue="x_i ~ N(eta*y, 1) has density phi(x - eta*y); y*x_i then has density "
                "phi(y t - eta y) = phi(t - eta) for y = +-1, i.e. y x_i ~ N(eta, 1)",
            ),
            method="identity",
            paper_ref="eq. (3) (model); App. D",
            summary="Each signed weak coordinate y x_i is N(eta, 1), whatever y.",
            domain=r"y = \pm 1",
            twin=(
                AllOf(
                    tuple(
                        Identity(phi(yy * t - eta), phi(t - eta), {t: real, eta: Interval(1, 3)})
                        for yy in (1, -1)
                    )
                ),
                "mean eta*y written as eta (sign of y dropped)",
            ),
        )
    )
    mgf = sp.Integral(sp.exp(s * x) * phi((x - m) / sp.sqrt(v)) / sp.sqrt(v), (x, -sp.oo, sp.oo))
    # spot-check box (the symbolic identity is proved for every v > 0)
    box_mgf = {s: Interval(-3, 3), m: Interval(-3, 3), v: Interval(sp.Rational(1, 10), 4)}
    out.append(
        ProofStep.make(
            "C-ZLAW",
            "zlaw-mgf",
            AllOf(
                (
                    Identity(mgf, sp.exp(s * m + s**2 * v / 2), box_mgf),
                    Identity(
                        d * (s * eta / sp.sqrt(d) + s**2 / (2 * d)),
                        s * eta * sp.sqrt(d) + s**2 / 2,
                        {s: Interval(-3, 3), eta: real, d: Interval(1, sp.oo)},
                    ),
                ),
                glue="log E exp(s X) = s m + s^2 v/2 for X ~ N(m, v); z = sum_i x_i/sqrt(d) is a "
                "sum "
                "of d independent terms y x_i/sqrt(d) ~ N(eta/sqrt(d), 1/d), so log E exp(s y z) = "
                "s k + s^2/2 with k = eta sqrt(d): y z ~ N(k, 1)",
                mutate_index=1,
            ),
            method="identity",
            paper_ref="App. D, p. 17",
            summary="y z ~ N(eta sqrt(d), 1) (moment generating functions).",
            domain=r"s \in \mathbb{R},\ \eta \in \mathbb{R},\ d \ge 1",
        )
    )

    # expected hinge of a Gaussian margin
    integral = sp.Integral((a - sigma * z) * phi(z), (z, -sp.oo, a / sigma))
    out.append(
        ProofStep.make(
            "C-D2",
            "hinge-gaussian-closed-form",
            Identity(integral, expected_hinge(a, sigma), {a: real, sigma: pos}),
            method="identity",
            paper_ref=f"{REF} (used throughout)",
            summary="E[max(0, a - sigma Z)] = a Phi(a/sigma) + sigma phi(a/sigma); the integrand "
            "is positive exactly on z < a/sigma.",
            domain=r"a \in \mathbb{R},\ \sigma > 0",
        )
    )

    # Mills lower bound (Gordon): D(x) >= 0 on x >= 0, since D' < 0 and D -> 0
    dgap = mills_lower_gap(x)
    out.append(
        ProofStep.make(
            "C-D2",
            "mills-lower",
            AllOf(
                (
                    Identity(sp.diff(dgap, x), -2 * phi(x) / (1 + x**2) ** 2, {x: real}),
                    SignCertificate(2 * phi(x) / (1 + x**2) ** 2, {x: Interval(0, sp.oo)}, True),
                    Limit(dgap, x, sp.oo, 0),
                ),
                glue="D' = -2 phi/(1+x^2)^2 < 0 and D(x) -> 0 as x -> oo, hence D(x) > 0 "
                "for x >= 0",
                mutate_index=1,
            ),
            method="derivative",
            paper_ref="Gordon (1941); used for C-D2",
            summary="Mills lower bound: Q(x) >= x phi(x)/(1 + x^2) for x >= 0.",
            domain=r"x \ge 0",
        )
    )
    ugap = mills_upper_gap(x)
    out.append(
        ProofStep.make(
            "C-D5",
            "mills-upper",
            AllOf(
                (
                    Identity(sp.diff(ugap, x), -Q(x), {x: real}),
                    SignCertificate(Q(x), {x: Interval(-sp.oo, sp.oo)}, True),
                    Limit(ugap, x, sp.oo, 0),
                ),
                glue="U' = -Q < 0 and U(x) -> 0 as x -> oo, hence U(x) = phi(x) - x Q(x) > 0 "
                "for every real x",
                mutate_index=2,
            ),
            method="derivative",
            paper_ref="Gordon (1941); used for C-D5",
            summary="Mills upper bound: x Q(x) <= phi(x) for every real x.",
            domain=r"x \in \mathbb{R}",
        )
    )
    out.append(
        ProofStep.make(
            "C-D5",
            "gaussian-jensen",
            AllOf(
                (
                    Identity(
                        expected_hinge(a, sigma) - a,
                        sigma * mills_upper_gap(a / sigma),
                        {a: real, sigma: pos},
                    ),
                    Identity(
                        expected_hinge(a, sigma),
                        sigma * mills_upper_gap(-a / sigma),
                        {a: real, sigma: pos},
                    ),
                ),
                glue="with U > 0 (mills-upper): E[max(0, a - sigma Z)] >= max(0, a) = "
                "max(0, a - E[sigma Z]), strictly for sigma > 0",
            ),
            method="identity",
            paper_ref=f"{REF}, proof of C-D5 (Jensen)",
            summary="Zero-mean Gaussian noise in the margin never lowers the expected hinge.",
            domain=r"a \in \mathbb{R},\ \sigma > 0",
        )
    )
    return out
