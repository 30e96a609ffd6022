r"""Optimality certificate of the population SVM: KKT conditions by an independent route.

The population (adversarial) SVM of :mod:`tradeoff.svm_population` minimizes the hinge risk
:math:`R(w)` over the unit ball :math:`\lVert w\rVert_2 \le 1` (App. D, pp. 16–18 of the paper).
:math:`R` is convex, so a point ``w`` with multiplier ``lam`` is optimal iff (KKT)

- **primal feasibility** :math:`\lVert w\rVert_2 \le 1`, **dual feasibility** ``lam >= 0``;
- **complementary slackness** :math:`\lambda(1 - \lVert w\rVert_2) = 0`;
- **stationarity** (in subgradient form, as :math:`R` has kinks): every one-sided directional
  derivative of the Lagrangian is non-negative,
  :math:`R'(w; v) + \lambda\, w\cdot v \ge 0` for every direction ``v``;
- and the reported ``lam`` is the one the solver derives, ``max(0, R'(w; -w))`` on the sphere.

This module recomputes everything **from the full weight vector** (length ``d + 1``), never
through the solver's two-variable reduction or its log-risk code: ``m = eta * sum(w_rest)``,
``sigma = ||w_rest||_2`` (scaled, no underflow), the dual norm ``||w||_1`` or ``||w||_2`` of the
whole vector (C-HINGE), and, per sign ``s = y x1`` (``+1`` w.p. ``p``),
:math:`A_s = 1 - s w_1 - m + \epsilon\lVert w\rVert_*`. Then

.. math::
    R(w) = \sum_s \pi_s\,[A_s\,\Phi(A_s/\sigma) + \sigma\,\varphi(A_s/\sigma)], \qquad
    R'(w; v) = \sum_s \pi_s\,\big[\Phi(A_s/\sigma)\,(-s v_1 - \eta\textstyle\sum v_{rest}
    + \epsilon N'(w; v)) + c\,\varphi(A_s/\sigma)\big],

with :math:`c = w_{rest}\cdot v_{rest}/\sigma` (the Gaussian projection
:math:`\mathbb{E}[Z\,1\{A - \sigma Z > 0\}] = -\varphi(A/\sigma)`) and :math:`N'(w; v)` the
one-sided derivative of the dual norm. At :math:`\sigma = 0` the hinge is deterministic and the
derivative is taken piece by piece (at a kink ``A_s = 0``, the expected hinge of the direction).
Directions: ``(cos t, (sin t / sqrt d) 1_d)`` on a grid of 720 angles containing the axes; by
the symmetry of the weak coordinates (C-D1) these suffice.

Tolerances are relative to the size of the terms that are summed (``scale``), so they mean the
same at every ``k``: stationarity ``>= -1e-3 * scale``, ``lam`` to ``1e-3 * scale`` (the
solver's interior search locates minimizers to about ``1e-4`` of that scale, measured over
random parameters; a wrong minimizer is off by ``1e-2`` or more), the risk to
``1e-9`` relative plus ``1e-12 * scale`` (cancellation in ``A Phi + sigma phi``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import erfcx, ndtr

from tradeoff.distribution import Distribution

__all__ = [
    "KKTReport",
    "SVMCheckError",
    "check_kkt",
    "directional_derivative",
    "hinge_risk_of_weights",
]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_ANGLES = 720
_KINK = 1e-12  # relative size below which a weight sits on the kink of |w_i|
STATIONARITY_RTOL = 1e-3  # the interior search locates minimizers to ~1e-4 (measured)
RISK_RTOL = 1e-9


class SVMCheckError(RuntimeError):
    """A returned population SVM failed its own optimality certificate (a solver bug)."""


def _norm2(a: np.ndarray) -> float:
    big = float(np.max(np.abs(a))) if a.size else 0.0
    return big * float(np.linalg.norm(a / big)) if big > 0 else 0.0


def _dual_norm(w: np.ndarray, norm: str) -> float:
    return float(np.abs(w).sum()) if norm == "inf" else _norm2(w)


def _dual_norm_derivative(w: np.ndarray, v: np.ndarray, norm: str) -> float:
    """One-sided derivative of ``t -> ||w + t v||_*`` at ``t = 0+``."""
    if norm == "inf":
        nz = np.abs(w) > _KINK * float(np.max(np.abs(w))) if w.size else w != 0.0
        return float(np.sum(np.sign(w[nz]) * v[nz]) + np.sum(np.abs(v[~nz])))
    r = _norm2(w)
    return float(w @ v) / r if r > 0 else _norm2(v)


def _pieces(dist: Distribution, w: np.ndarray, eps: float, norm: str):
    rest = w[1:]
    mean_rest = dist.eta * float(rest.sum())
    sigma = _norm2(rest)
    dual = _dual_norm(w, norm)
    out = []
    for s, weight in ((1.0, dist.p), (-1.0, 1.0 - dist.p)):
        out.append((s, weight, 1.0 - s * float(w[0]) - mean_rest + eps * dual))
    return sigma, out


def _expected_hinge(a: float, sigma: float) -> tuple[float, float]:
    """``E[max(0, a - sigma Z)]`` by the direct formula, and the size of its two terms."""
    if sigma <= 0.0:
        return max(a, 0.0), abs(a)
    t = a / sigma
    cdf, dens = float(ndtr(t)), _INV_SQRT_2PI * math.exp(-0.5 * t * t) if abs(t) < 40 else 0.0
    return a * cdf + sigma * dens, abs(a) * cdf + sigma * dens


def hinge_risk_of_weights(dist: Distribution, weights, eps_train: float, norm: str
                          ) -> tuple[float, float]:
    r"""Population (adversarial) hinge risk of full weights, and the scale of its terms.

    Direct closed form (no logarithms, no two-variable reduction):
    :math:`\sum_s \pi_s [A_s \Phi(A_s/\sigma) + \sigma \varphi(A_s/\sigma)]` (module notes).
    """
    w = np.asarray(weights, dtype=float)
    sigma, pieces = _pieces(dist, w, eps_train, norm)
    risk = scale = 0.0
    for _, weight, a in pieces:
        value, size = _expected_hinge(a, sigma)
        risk += weight * value
        scale += weight * size
    return risk, scale


def directional_derivative(dist: Distribution, weights, direction, eps_train: float,
                           norm: str) -> tuple[float, float]:
    r"""One-sided directional derivative :math:`R'(w; v)` of the population hinge risk.

    Returns ``(value, scale)``: ``scale`` is the sum of the absolute values of the summed terms
    (the natural unit of the rounding error). See the module notes for the formula.
    """
    w = np.asarray(weights, dtype=float)
    v = np.asarray(direction, dtype=float)
    sigma, pieces = _pieces(dist, w, eps_train, norm)
    dn = _dual_norm_derivative(w, v, norm)
    lin_rest = dist.eta * float(v[1:].sum())
    total = scale = 0.0
    if sigma > 0:
        c = float(w[1:] @ v[1:]) / sigma
        for s, weight, a in pieces:
            t = a / sigma
            cdf = float(ndtr(t))
            dens = _INV_SQRT_2PI * math.exp(-0.5 * t * t) if abs(t) < 40 else 0.0
            slope = -s * v[0] - lin_rest + eps_train * dn
            total += weight * (cdf * slope + c * dens)
            scale += weight * (cdf * (abs(v[0]) + abs(lin_rest) + eps_train * abs(dn))
                               + abs(c) * dens)
        return total, scale
    v_sigma = _norm2(v[1:])
    for s, weight, a in pieces:
        slope = -s * v[0] - lin_rest + eps_train * dn
        size = abs(v[0]) + abs(lin_rest) + eps_train * abs(dn) + v_sigma
        if abs(a) <= 1e-12:  # on the kink of the hinge: the expected hinge of the direction
            total += weight * _expected_hinge(slope, v_sigma)[0]
        elif a > 0:
            total += weight * slope
        scale += weight * size
    return total, scale


@dataclass(frozen=True)
class KKTReport:
    """Residuals of the KKT conditions at a returned solution (all ``<= 0`` means optimal).

    Attributes
    ----------
    stationarity : float
        ``-min_v [R'(w; v) + lam w.v]`` over the feasible directions, divided by the scale of the
        summed terms; ``<= STATIONARITY_RTOL`` is accepted.
    lam_error : float
        ``|lam - max(0, R'(w; -w))|`` on the sphere (``lam`` itself when the constraint is
        inactive), relative to the scale.
    risk_error : float
        ``|hinge_risk - R(w)|``, with ``R`` recomputed by the direct formula from the weights.
    risk_tolerance : float
    norm_excess : float
        ``||w||_2 - 1`` (must be ``<= 1e-12``).
    ok : bool
    """

    stationarity: float
    lam_error: float
    risk_error: float
    risk_tolerance: float
    norm_excess: float
    ok: bool

    @property
    def residual(self) -> float:
        """The largest KKT residual, in units of its own tolerance (``<= 1`` is accepted)."""
        return max(self.stationarity / STATIONARITY_RTOL, self.lam_error / STATIONARITY_RTOL,
                   self.risk_error / self.risk_tolerance if self.risk_tolerance > 0 else 0.0,
                   self.norm_excess / 1e-12)


def _smooth_at(dist: Distribution, w: np.ndarray, eps: float, norm: str) -> bool:
    """Whether ``R`` is differentiable at ``w`` (no kink of the hinge or of the dual norm)."""
    sigma, pieces = _pieces(dist, w, eps, norm)
    if sigma == 0.0 and any(abs(a) <= 1e-12 for _, _, a in pieces):
        return False
    if eps > 0 and norm == "inf":
        return bool(np.all(np.abs(w) > _KINK * np.max(np.abs(w))))
    return eps == 0 or bool(np.any(w != 0.0))


def _snap(w: np.ndarray) -> np.ndarray:
    """Entries below ``1e-12 * max|w|`` are on the kink of ``|w_i|``: treat them as 0."""
    big = float(np.max(np.abs(w))) if w.size else 0.0
    return np.where(np.abs(w) <= _KINK * big, 0.0, w)


def _stats(w: np.ndarray, norm: str) -> tuple:
    rest = w[1:]
    return (float(np.sum(np.sign(rest))), int(np.count_nonzero(rest == 0.0)), _norm2(rest),
            float(rest.sum()), _norm2(w), _dual_norm(w, norm))


def _sym_derivative(dist: Distribution, w: np.ndarray, stats: tuple, t: float, d: int,
                    eps: float, norm: str) -> tuple[float, float, float]:
    """``R'(w; v)`` along ``v = (cos t, (sin t/sqrt d) 1_d)`` from sums of ``w`` (O(d) once).

    Returns ``(value, scale, log_factor)``: value and scale are multiplied by
    ``exp(log_factor)`` (``1``, or ``1/phi(t_max)`` far in the tail) so that they keep their
    relative precision."""
    sign_sum, n_zero, sigma, sum_rest, r, dual = stats
    c1, sv = math.cos(t), math.sin(t) / math.sqrt(d)
    if norm == "inf":
        w1 = float(w[0])
        dn = (math.copysign(1.0, w1) * c1 if w1 != 0.0 else abs(c1)) + sign_sum * sv \
            + n_zero * abs(sv)
    else:
        dn = (float(w[0]) * c1 + sum_rest * sv) / r if r > 0 else 1.0
    lin_rest = dist.eta * d * sv
    sigma_w = sigma
    pieces = [(s_, weight, 1.0 - s_ * float(w[0]) - dist.eta * sum_rest + eps * dual)
              for s_, weight in ((1.0, dist.p), (-1.0, 1.0 - dist.p))]
    total = scale = 0.0
    if sigma_w > 0:
        c = sum_rest * sv / sigma_w
        ts = [a / sigma_w for _, _, a in pieces]
        # Far in the tail (t << 0) every term carries phi(t), which underflows (k ~ 38: 1e-314,
        # subnormal, no relative precision left). Both the value and its scale are divided by
        # phi(t_max) (their ratio is what is checked), with Phi(t) = phi(t) M(-t) for t < 0.
        shift = max(-0.5 * t * t for t in ts) if max(ts) < 0 else 0.0
        for (s_, weight, _), tt in zip(pieces, ts, strict=True):
            dens = _INV_SQRT_2PI * math.exp(-0.5 * tt * tt - shift)
            if tt < 0:
                cdf = dens * math.sqrt(math.pi / 2.0) * float(erfcx(-tt / math.sqrt(2.0)))
            else:
                cdf = float(ndtr(tt)) * math.exp(-shift)
            slope = -s_ * c1 - lin_rest + eps * dn
            total += weight * (cdf * slope + c * dens)
            scale += weight * (cdf * (abs(c1) + abs(lin_rest) + eps * abs(dn)) + abs(c) * dens)
        return total, scale, -shift
    v_sigma = abs(sv) * math.sqrt(d)
    for s_, weight, a in pieces:
        slope = -s_ * c1 - lin_rest + eps * dn
        if abs(a) <= 1e-12:
            total += weight * _expected_hinge(slope, v_sigma)[0]
        elif a > 0:
            total += weight * slope
        scale += weight * (abs(c1) + abs(lin_rest) + eps * abs(dn) + v_sigma)
    return total, scale, 0.0




def check_kkt(dist: Distribution, weights, lam: float, hinge_risk: float, eps_train: float,
              norm: str, *, angles: int = _ANGLES) -> KKTReport:
    """KKT residuals of ``(weights, lam)`` for ``min R(w)`` s.t. ``||w||_2 <= 1`` (module notes).

    ``weights`` are the full weights (length ``d + 1``) as returned by the solver. Stationarity
    is checked in its multiplier-free form (``R'(w; v) >= 0`` for every feasible ``v``: the
    optimality condition of a convex function on the ball). The multiplier must be a valid
    radial one, ``-R'(w; w) <= lam <= R'(w; -w)`` (unique where ``R`` is differentiable, where
    moreover ``R'(w; v) + lam w.v >= 0`` must hold for every ``v``), ``0`` off the sphere.
    """
    w = np.asarray(weights, dtype=float)
    d = w.shape[0] - 1
    r = _norm2(w)
    ws = _snap(w)
    on_sphere = abs(r - 1.0) <= 1e-12
    smooth = _smooth_at(dist, w, eps_train, norm)
    t = np.linspace(-math.pi, math.pi, angles + 1)[:-1]
    worst = lagrange = 0.0
    # The symmetric directions v = (cos t, (sin t/sqrt d) 1_d) enter only through a few sums of
    # the full weights; a small stand-in vector with the same sums gives the same derivative.
    stats = _stats(ws, norm)
    sum_rest = float(w[1:].sum())
    for ti in t:
        radial = float(w[0]) * math.cos(ti) + sum_rest * math.sin(ti) / math.sqrt(d)
        value, scale, log_factor = _sym_derivative(dist, ws, stats, ti, d, eps_train, norm)
        if scale == 0.0:
            continue
        if not (on_sphere and radial > 1e-12):  # a feasible direction
            worst = max(worst, -value / scale)
        # Multipliers below ~1e-260 (derivatives scaled by more than e^600) are not carried by
        # doubles: the solver's lam is then noise, and only the lam-free stationarity is checked.
        if smooth and log_factor < 600.0:
            lam_scaled = math.exp(math.log(lam) + log_factor) if lam > 0 else 0.0
            lagrange = max(lagrange, -(value + lam_scaled * radial) / scale)
    if on_sphere:
        inward, s_in = directional_derivative(dist, ws, -w, eps_train, norm)
        outward, s_out = directional_derivative(dist, ws, w, eps_train, norm)
        unit = max(s_in, s_out, 1e-280)  # below ~1e-280 floats do not resolve the multiplier
        lam_error = max(lam - inward, -outward - lam, 0.0) / unit
    else:
        lam_error = abs(lam)  # complementary slackness: lam (1 - ||w||) = 0
    lam_error = max(lam_error, lagrange)
    risk, risk_scale = hinge_risk_of_weights(dist, w, eps_train, norm)
    # Rounding of A_s = 1 - s w1 - m + eps ||w||_* itself (~1e-16 of its largest term) is the
    # floor below which no formula for the risk can agree.
    a_floor = 1.0 + abs(float(w[0])) + dist.eta * abs(float(w[1:].sum())) + eps_train * (
        _dual_norm(w, norm))
    risk_tol = RISK_RTOL * abs(hinge_risk) + 1e-12 * risk_scale + 1e-15 * a_floor + 1e-300
    risk_error = abs(hinge_risk - risk)
    fields = dict(stationarity=worst, lam_error=lam_error, risk_error=risk_error,
                  risk_tolerance=risk_tol, norm_excess=max(0.0, r - 1.0))
    residual = KKTReport(**fields, ok=True).residual
    return KKTReport(**fields, ok=bool(lam >= 0.0 and math.isfinite(residual) and residual <= 1.0))
