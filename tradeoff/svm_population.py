r"""The population (adversarial) SVM on D(p, eta, d): Theorem 2.2 (p. 6; App. D, pp. 16–18).

The population soft-margin SVM of the paper minimizes :math:`J_\lambda(w) = \mathbb{E}[\max(0,
1 - y\,w\cdot x)] + \tfrac{\lambda}{2}\lVert w\rVert_2^2` (eq. (5)); the adversarial SVM replaces
the hinge, per sample and inside the expectation, by its worst case over the
:math:`\ell_\infty` ball of radius ``eps_train``, which is (C-HINGE)

.. math::
    \max_{\lVert\delta\rVert_\infty\le\epsilon} \max(0, 1 - y\,w\cdot(x+\delta))
    = \max(0, 1 - y\,w\cdot x + \epsilon\lVert w\rVert_1)

(``+ eps*||w||_2`` for an :math:`\ell_2` ball). "Unit norm" is the paper's tuning of ``lambda``;
this module solves the equivalent constrained problem :math:`\min \mathbb{E}[\text{hinge}]`
subject to :math:`\lVert w\rVert_2 \le 1` through the two-variable reduction
``w = (w1, (u/sqrt(d)) 1_d)`` (C-D1) and a closed-form risk, and reports the multiplier ``lambda``
for which the two coincide.

One result type: :func:`population_svm_result` returns an :class:`SVMResult` (in the spirit of
``scipy.optimize.OptimizeResult``: ``x`` the weights, ``fun`` the hinge risk, ``success``,
``message``, ``kkt`` the optimality certificate); :func:`population_svm` returns only its weights
(the API contract). Every result is checked by :func:`tradeoff.svm_kkt.check_kkt` before it is
returned; a failed certificate raises :class:`~tradeoff.svm_kkt.SVMCheckError`.

References
----------
.. [1] D. Tsipras, S. Santurkar, L. Engstrom, A. Turner, A. Madry, "Robustness May Be at Odds
   with Accuracy", ICLR 2019 (arXiv:1805.12152v5), Theorem 2.2 (p. 6) and Appendix D (pp. 16–18).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import erfcx, log_ndtr, ndtr

from tradeoff import linear
from tradeoff._validation import check_dist, check_norm, check_real
from tradeoff.distribution import Distribution
from tradeoff.svm_kkt import KKTReport, SVMCheckError, check_kkt

__all__ = [
    "SVMCheckError",
    "SVMResult",
    "expected_hinge",
    "population_hinge_risk",
    "population_svm",
    "population_svm_result",
]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_CIRCLE_GRID = 4096  # points on the unit circle (t = 0, ±pi/2, pi are grid points exactly)
_RADIUS_GRID = 16
_AXIS_TIE = 1e-9  # log-risk margin within which the exact axis minimizer is preferred (the
# generic log-risk formula loses ~1e-11 relative accuracy when u -> 0: deep-profile C-D5 edge)



def _check_eps_train(eps_train: object) -> float:
    return check_real("eps_train", eps_train, low=0.0)


# ---------------------------------------------------------------------------------------------
# The two-variable population risk
# ---------------------------------------------------------------------------------------------

def expected_hinge(a, sigma) -> np.ndarray:
    r"""``E[max(0, a - sigma Z)]``, ``Z ~ N(0, 1)``: ``a Phi(a/sigma) + sigma phi(a/sigma)``
    (``max(0, a)`` at ``sigma = 0``). Direct formula, broadcast; used by tradeoff.claims."""
    a, sigma = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(sigma, dtype=float))
    pos = sigma > 0
    s = np.where(pos, sigma, 1.0)
    with np.errstate(over="ignore"):  # t*t = inf for sigma ~ 1e-300 gives exp(-inf) = 0: exact
        t = a / s
        smooth = a * ndtr(t) + s * _INV_SQRT_2PI * np.exp(-0.5 * t * t)
    return np.where(pos, smooth, np.maximum(a, 0.0))


def _log_h(t: np.ndarray) -> np.ndarray:
    r"""``log h(t)`` with ``h(t) = t Phi(t) + phi(t) = E[max(0, t - Z)]``, stable for ``t << 0``.

    For ``t < 0``, ``h(t) = phi(t) (1 - |t| M(|t|))`` with the Mills ratio
    ``M(x) = Phi(-x)/phi(x) = sqrt(pi/2) erfcx(x/sqrt 2)``; beyond ``|t| = 30`` the asymptotic
    series ``1 - x M(x) = x^-2 (1 - 3x^-2 + 15x^-4 - 105x^-6 + 945x^-8 - ...)`` (relative error
    below 1e-10) replaces the cancelling difference. Risks of 1e-300 and far below occur at large
    ``k``; minimizing ``log R`` keeps the optimizer off underflow plateaus.
    """
    t = np.asarray(t, dtype=float)
    x = np.abs(t)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_phi = -0.5 * t * t - 0.5 * math.log(2.0 * math.pi)
        mills = math.sqrt(math.pi / 2.0) * erfcx(x / math.sqrt(2.0))
        x2 = 1.0 / np.maximum(x, 1.0) ** 2
        series = x2 * (1.0 - 3.0 * x2 + 15.0 * x2**2 - 105.0 * x2**3 + 945.0 * x2**4)
        neg = log_phi + np.log(np.where(x > 30.0, series, 1.0 - x * mills))
        pos = np.log(t * ndtr(t) + np.exp(log_phi))
    return np.where(t < 0, neg, pos)


def _log_expected_hinge(a: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    r"""``log E[max(0, a - sigma Z)] = log sigma + log h(a/sigma)``; ``log max(0, a)`` at 0."""
    pos = sigma > 0
    s = np.where(pos, sigma, 1.0)
    with np.errstate(divide="ignore"):
        hard = np.log(np.maximum(a, 0.0))
    return np.where(pos, np.log(s) + _log_h(a / s), hard)


def _dual(w1, u, sqrt_d: float, norm: str):
    """``||w||_1 = |w1| + sqrt(d)|u|`` (l_inf training) or ``||w||_2`` (l_2 training)."""
    if norm == "inf":
        return np.abs(w1) + sqrt_d * np.abs(u)
    return np.hypot(w1, u)


def _log_risk(p: float, k: float, sqrt_d: float, eps: float, norm: str, w1, u) -> np.ndarray:
    w1, u = np.broadcast_arrays(np.asarray(w1, dtype=float), np.asarray(u, dtype=float))
    base = 1.0 - u * k + eps * _dual(w1, u, sqrt_d, norm)
    sigma = np.abs(u)
    lp = math.log(p) if p > 0 else -math.inf
    lq = math.log1p(-p) if p < 1 else -math.inf
    return np.logaddexp(lp + _log_expected_hinge(base - w1, sigma),
                        lq + _log_expected_hinge(base + w1, sigma))


def _risk(p: float, k: float, sqrt_d: float, eps: float, norm: str, w1, u) -> np.ndarray:
    return np.exp(_log_risk(p, k, sqrt_d, eps, norm, w1, u))


def population_hinge_risk(dist: Distribution, w1, u, eps_train=0.0, *, norm="inf",
                          log: bool = False):
    r"""Exact population (adversarial) hinge risk of ``w = (w1, (u/sqrt(d)) 1_d)``.

    Parameters
    ----------
    dist : Distribution
    w1, u : float or array_like
        Weight on x1 and ``u = sum_{i>=2} w_i / sqrt(d)`` (each weak weight is ``u/sqrt(d)``,
        so ``||w||_2^2 = w1^2 + u^2``). Broadcast against each other.
    eps_train : float
        Training radius, finite and ``>= 0``; 0 gives the standard hinge risk.
    norm : {"inf", "2"}
        Threat model of training.
    log : bool, default False
        Return ``log R`` instead (finite where ``R`` underflows, e.g. ``R ~ e^{-k^2/2}`` at large
        ``k``).

    Returns
    -------
    float or numpy.ndarray

    Notes
    -----
    With ``s = y x1`` (``+1`` w.p. ``p``), ``y w.x = w1 s + u (k + Z)`` and C-HINGE,

    .. math::
        R(w_1, u) = p\,g(a_+, |u|) + (1-p)\,g(a_-, |u|),\quad
        a_\pm = 1 \mp w_1 - u k + \epsilon\lVert w\rVert_*,\quad
        g(a, \sigma) = a\,\Phi(a/\sigma) + \sigma\,\varphi(a/\sigma),

    with ``g(a, 0) = max(0, a)`` and ``||w||_* = |w1| + sqrt(d)|u|`` (l_inf) or
    ``sqrt(w1^2 + u^2)`` (l_2). App. D, pp. 16–18 of [1]_ (module references).
    """
    dist = check_dist(dist)
    eps = _check_eps_train(eps_train)
    norm = check_norm(norm)
    w1 = np.asarray(w1, dtype=float)
    u = np.asarray(u, dtype=float)
    if not (np.all(np.isfinite(w1)) and np.all(np.isfinite(u))):
        raise ValueError("w1 and u must be finite")
    out = _log_risk(dist.p, dist.k, math.sqrt(dist.d), eps, norm, w1, u)
    out = out if log else np.exp(out)
    return float(out) if out.ndim == 0 else out


def _radial_left_derivative(p, k, sqrt_d, eps, norm, w1, u) -> float:
    r"""Left derivative of ``r -> R(r w)`` at ``r = 1`` (``R`` is convex along the ray)."""
    c = _dual(w1, u, sqrt_d, norm)
    sigma = abs(u)
    total = 0.0
    for s, weight in ((1.0, p), (-1.0, 1.0 - p)):
        slope = w1 * s + u * k - eps * c  # a_s(r) = 1 - r * slope
        a = 1.0 - slope
        if sigma > 0:
            t = a / sigma
            dens = _INV_SQRT_2PI * math.exp(-0.5 * t * t)
            total += weight * (-slope * float(ndtr(t)) + sigma * dens)
        elif a >= 0:  # max(0, 1 - r*slope): for r slightly below 1 the hinge is positive
            total += weight * (-slope)
    return total


def _angular_derivative(p, k, sqrt_d, eps, norm, t: float) -> float:
    r"""``d/dt R(cos t, sin t)`` off the kinks (``u != 0``, ``w1 != 0``).

    With :math:`a_s = 1 - s w_1 - u k + \epsilon c(w)`, :math:`\sigma = |u|` and the hinge
    expectation :math:`a\Phi(a/\sigma) + \sigma\varphi(a/\sigma)` (whose derivatives in
    :math:`a` and :math:`\sigma` are :math:`\Phi` and :math:`\varphi`),

    .. math:: \partial_{w_1} R = \sum_s \pi_s \Phi(t_s)(-s + \epsilon\,\partial_{w_1} c),
              \quad \partial_u R = \sum_s \pi_s [\Phi(t_s)(-k + \epsilon\,\partial_u c)
              + \varphi(t_s)\operatorname{sign} u],

    :math:`\pi_{+1} = p`, :math:`\pi_{-1} = 1-p`, and ``dR/dt = -sin t dR/dw1 + cos t dR/du``;
    returned divided by ``R`` (``d log R / dt``, computed in log space).
    The minimizer on the circle is the root of this derivative, located to float precision;
    minimizing the (flat) risk itself only locates it to about sqrt(float eps).
    """
    w1, u = math.cos(t), math.sin(t)
    c = float(_dual(w1, u, sqrt_d, norm))
    if norm == "inf":
        dc1, dcu = math.copysign(1.0, w1), math.copysign(sqrt_d, u)
    else:
        dc1, dcu = w1 / c, u / c
    sigma = abs(u)
    # Returned as d(log R)/dt (same sign and roots): every term is scaled by 1/R in log space,
    # so nothing underflows at large k, where R ~ exp(-k^2/2) (soak finding: k = 1.8e5).
    with np.errstate(all="ignore"):
        log_r = float(_log_risk(p, k, sqrt_d, eps, norm, w1, u))
    if not math.isfinite(log_r) or sigma == 0.0:
        return math.nan  # next to a kink, beyond float range: no derivative (no polish)
    total = 0.0
    for s, weight in ((1.0, p), (-1.0, 1.0 - p)):
        if weight == 0.0:
            continue
        ts = (1.0 - s * w1 - u * k + eps * c) / sigma
        log_w = math.log(weight) - log_r
        along_cdf = -u * (-s + eps * dc1) + w1 * (-k + eps * dcu)
        along_dens = w1 * math.copysign(1.0, u)
        e_cdf = log_w + float(log_ndtr(ts))
        e_dens = log_w - 0.5 * ts * ts + math.log(_INV_SQRT_2PI)
        if not (e_cdf < 700.0 and e_dens < 700.0):  # a term beyond float range (CI finding)
            return math.nan
        total += math.exp(e_cdf) * along_cdf + math.exp(e_dens) * along_dens
    return total


def _root_bracket(g, lo: float, t_b: float, hi: float) -> tuple[float, float] | None:
    """A sign change ``g(a) <= 0 <= g(b)`` (``g(a) < g(b)``) of the angular derivative in
    ``[lo, hi]``, the one nearest ``t_b``: ``g`` is sampled at ``lo``, ``hi``, ``t_b`` and at
    points approaching ``t_b`` and both ends geometrically (so a bracket end that sits next to
    a kink, where the derivative is NaN or has the wrong sign, is replaced by one further in).
    ``None`` when no finite sign change is found.

    Soak finding: p = 0.75, eta = 1/128, d = 1, eps_train = 1.6e-7 has its minimizer at
    t = 5.9e-8, one grid step from the kink u = 0; the derivative at ``nextafter(0)`` is NaN
    (``eps/sigma`` overflows), so the end-point bracket failed and Brent's location on the flat
    risk failed the KKT certificate (stationarity 7.8e-3).
    """
    g_lo, g_hi = g(lo), g(hi)
    if g_lo < 0.0 < g_hi:  # the usual case: the grid step's ends bracket the root (NaN: False)
        return lo, hi
    pts = {lo, hi, t_b}
    for j in range(1, 60):
        pts.update((t_b - (t_b - lo) * 2.0**-j, lo + (t_b - lo) * 2.0**-j,
                    t_b + (hi - t_b) * 2.0**-j, hi - (hi - t_b) * 2.0**-j))
    vals = [(t, g(t)) for t in sorted(pts)]
    vals = [(t, v) for t, v in vals if math.isfinite(v)]
    best = None
    for (a, ga), (b, gb) in zip(vals[:-1], vals[1:], strict=True):
        if ga <= 0.0 <= gb and ga < gb:  # a sign change, or a sampled exact root
            dist = 0.0 if a <= t_b <= b else min(abs(a - t_b), abs(b - t_b))
            if best is None or dist < best[0]:
                best = (dist, a, b)
    return None if best is None else (best[1], best[2])


def _polish_angle(f, p, k, sqrt_d, eps, norm, t_b: float, v_b: float) -> tuple[float, float]:
    """The root of :func:`_angular_derivative` next to the grid minimum ``t_b`` (within one grid
    step, not across a kink at a multiple of pi/2), when it exists and its log risk is no
    worse than ``v_b`` beyond the risk's float noise; else ``(v_b, t_b)`` unchanged."""
    h = 2.0 * math.pi / _CIRCLE_GRID
    q = math.floor(t_b / (math.pi / 2))
    lo = max(t_b - h, q * math.pi / 2)
    hi = min(t_b + h, (q + 1) * math.pi / 2)
    lo, hi = math.nextafter(lo, hi), math.nextafter(hi, lo)  # off the kinks themselves
    if not lo < t_b < hi:
        return v_b, t_b

    def g(t):
        return _angular_derivative(p, k, sqrt_d, eps, norm, t)

    bracket = _root_bracket(g, lo, t_b, hi)
    if bracket is None:
        return v_b, t_b
    lo, hi = bracket
    try:
        t = brentq(g, lo, hi, xtol=4 * math.ulp(math.pi), rtol=4 * np.finfo(float).eps)
    except (ValueError, RuntimeError):  # a NaN inside the bracket: keep the grid minimum
        return v_b, t_b
    v = float(f(math.cos(t), math.sin(t)))
    if not math.isfinite(v):
        return v_b, t_b
    # The log risk itself is noisy at ~1e-12 near a flat optimum (Brent may sit on a noise dip
    # 2e-12 below the root); a root worse by more than 1e-10 (or 64 ulps of a huge log risk)
    # would mean a wrong derivative. (Soak finding: a tolerance relative to |v_b| accepted a
    # root 1.6 worse in log risk at k = 1.8e5, where v_b ~ -1.6e10.)
    if v <= v_b + max(1e-10, 64 * math.ulp(v_b)):
        return v, t
    return v_b, t_b


# ---------------------------------------------------------------------------------------------
# Population SVM
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SVMResult:
    r"""The population (adversarial) SVM of unit weight norm, with its certificate data.

    Attributes
    ----------
    w1, u : float
        The reduced weights: ``w = (w1, (u/sqrt(d)) 1_d)``, so ``||w||_2^2 = w1^2 + u^2`` and the
        paper's ``v* = sum_{i>=2} w_i/sqrt(d) = u`` (C-D2 reads ``u >= 1/sqrt(2)``).
    weights : numpy.ndarray
        Full weights of length ``d + 1`` (coordinate 0 on x1). The zero vector when the risk
        minimizer is ``w = 0`` (never normalized).
    hinge_risk : float
        Population (adversarial) hinge risk at ``weights``.
    active : bool
        ``True`` when ``||w||_2 = 1`` (the unit-norm SVM of the paper exists and is returned).
    lam : float
        KKT multiplier of ``||w||_2 <= 1``: ``w`` minimizes ``J_lam`` (eq. (5)). Computed as minus
        the left derivative of ``r -> R(r w)`` at ``r = 1`` (the unique multiplier when ``R`` is
        differentiable there, the largest radial one at a kink); ``0`` when the constraint is
        inactive.
    eps_train : float
    norm : str
        Training threat model ("inf" or "2").
    zero : bool
        ``True`` when the minimizer is ``w = 0`` (adversarial training with
        ``eps_train > |2p - 1|`` and ``eps_train >= eta``): the rule ``sign(0) = -1`` is constant.
    note : str
        Human-readable description of the regime (boundary, ``u = 0``, zero vector ...).
    dist : Distribution
    kkt : KKTReport
        The optimality certificate checked before the result was returned
        (:func:`tradeoff.svm_kkt.check_kkt`: stationarity, complementary slackness, ``lam``, and
        ``hinge_risk`` recomputed from ``weights`` by the direct formula).

    Notes
    -----
    ``x``, ``fun``, ``success`` and ``message`` follow ``scipy.optimize.OptimizeResult``.
    """

    w1: float
    u: float
    weights: np.ndarray = field(repr=False)
    hinge_risk: float
    active: bool
    lam: float
    eps_train: float
    norm: str = "inf"
    zero: bool = False
    note: str = ""
    dist: Distribution | None = field(default=None, repr=False)
    kkt: KKTReport | None = field(default=None, repr=False)

    # -- the scipy.optimize.OptimizeResult vocabulary ------------------------------------------
    @property
    def x(self) -> np.ndarray:
        """The solution: the full weights (``weights``)."""
        return self.weights

    @property
    def fun(self) -> float:
        """The objective at the solution: the population (adversarial) hinge risk."""
        return self.hinge_risk

    @property
    def success(self) -> bool:
        """Whether the KKT certificate checked (always ``True`` for a returned result)."""
        return self.kkt is not None and self.kkt.ok

    @property
    def message(self) -> str:
        """The regime in words (same as ``note``)."""
        return self.note

    def standard_accuracy(self) -> float:
        """Exact standard accuracy of ``sign(weights . x)`` (docs/theory.md §2)."""
        return linear.standard_accuracy(self.weights, self.dist)

    def robust_accuracy(self, eps: float, norm: str = "inf") -> float:
        """Exact robust accuracy of ``sign(weights . x)`` at radius ``eps``."""
        return linear.robust_accuracy(self.weights, self.dist, eps, norm=norm)


def _full_weights(w1: float, u: float, d: int) -> np.ndarray:
    w = np.full(d + 1, u / math.sqrt(d))
    w[0] = w1
    return w


def _axis_risk(p: float, eps: float, w1: float) -> float:
    """Exact ``R(w1, 0) = 1 + |w1| (eps - sign(w1)(2p - 1))`` for ``|w1| <= 1``."""
    gap = 2.0 * p - 1.0
    return 1.0 + abs(w1) * (eps - math.copysign(1.0, w1) * gap) if w1 != 0.0 else 1.0


def _circle_min(f, radius: float, grid: int, refine: int = 4) -> tuple[float, float]:
    """Minimum of ``t -> f(radius cos t, radius sin t)``: a fine grid, then each local grid
    minimum refined by bounded Brent; grid points themselves stay candidates (kinks at
    ``u = 0`` or ``w1 = 0`` are grid points exactly)."""
    t = np.linspace(-math.pi, math.pi, grid + 1)
    vals = f(radius * np.cos(t), radius * np.sin(t))
    best_i = int(np.argmin(vals))
    best_t, best_v = float(t[best_i]), float(vals[best_i])
    h = t[1] - t[0]
    left = np.roll(vals[:-1], 1)
    right = np.roll(vals[:-1], -1)
    local = np.flatnonzero((vals[:-1] <= left) & (vals[:-1] <= right))
    # Refine the few best local minima (the circle restriction of a convex function may have
    # several; a flat objective has many grid ties, keep the lowest).
    for i in local[np.argsort(vals[:-1][local])][:refine]:
        res = minimize_scalar(
            lambda s: float(f(radius * math.cos(s), radius * math.sin(s))),
            bounds=(t[i] - h, t[i] + h), method="bounded", options={"xatol": 1e-13},
        )
        if res.fun < best_v:
            best_t, best_v = float(res.x), float(res.fun)
    return best_v, best_t


def _cos(t: float) -> float:
    """``cos t`` with the grid points ``t = +-pi/2`` mapped to exactly 0 (the kink ``w1 = 0``)."""
    return 0.0 if abs(t) == math.pi / 2 else math.cos(t)


def _axis_solution(p: float, eps: float) -> tuple[float, float, str]:
    """Exact minimizer over ``u = 0``, ``|w1| <= 1``: ``R(w1, 0) = 1 + |w1|(eps - sign(w1)(2p-1))``
    (valid for ``|w1| <= 1``), piecewise linear; returns ``(w1, risk, note)``."""
    gap = 2.0 * p - 1.0
    if eps < abs(gap):
        w1 = 1.0 if gap > 0 else -1.0
        return w1, _axis_risk(p, eps, w1), ""
    if eps == abs(gap) and gap != 0.0:
        # Every w1 between 0 and sign(2p-1) has risk 1; for every lam > 0, J_lam = R + lam/2 w1^2
        # is minimized by w1 = 0 alone, so the paper's SVM (and the lam -> 0+ limit) is w = 0.
        return 0.0, 1.0, ("tie eps_train = |2p-1|: every w1 between 0 and sign(2p-1) has hinge "
                          "risk 1; w = 0, the minimizer of J_lam for every lam > 0, is returned")
    return 0.0, 1.0, "eps_train >= |2p-1|: the zero vector is the unique minimizer on u = 0"


def population_svm_result(dist: Distribution, eps_train: float = 0.0, *,
                          norm: str = "inf") -> SVMResult:
    r"""Population (adversarial) soft-margin SVM of unit weight norm, with diagnostics.

    Parameters
    ----------
    dist : Distribution
        The model D(p, eta, d).
    eps_train : float, default 0.0
        Training radius (finite, ``>= 0``): 0 gives the standard SVM of C-2.2a; ``>= 2*eta``
        the adversarially trained SVM of C-2.2b.
    norm : {"inf", "2"}, default "inf"
        Threat model of training (the paper's theory uses l_inf).

    Returns
    -------
    SVMResult
        Unit-norm weights (or the zero vector, never normalized), the hinge risk, whether the
        norm constraint is active and the equivalent ``lambda``.

    Notes
    -----
    Solves :math:`\min_{w_1^2+u^2\le1} R(w_1, u)` with :math:`R` the closed form of
    :func:`population_hinge_risk` (App. D, pp. 16–18 of [1]_). By convexity and the symmetry of
    the weak coordinates (C-D1) a minimizer with equal weak weights exists, so the reduction to
    ``(w1, u)`` loses nothing; if the constraint is active with multiplier ``lam > 0``, the
    solution also minimizes ``J_lam`` (eq. (5)) and has norm 1 — the paper's "unit norm" SVM.

    The objective is flat near the optimum and, at ``u = 0``, piecewise linear in ``w1``. The
    method is therefore global and derivative-free: the unit circle ``(cos t, sin t)`` on a grid
    of 4096 points (``u = 0`` and ``w1 = 0`` are grid points) with bounded-Brent refinement of
    the best local minima; the exact minimizer on the axis ``u = 0`` (``R`` is piecewise linear
    there); ``w = 0``; and, if the left radial derivative at the best boundary point is positive
    (the constraint cannot be active), a unimodal search over radii ``r < 1`` of the minimum on
    the circle of radius ``r``. Compare risks and accuracies, not weights.

    Regimes (l_inf training): for ``eps_train >= eta`` every minimizer has ``u = 0`` (C-D5 needs
    only ``eps_train >= eta``); then ``w = (sign(2p-1), 0)`` if ``eps_train < |2p-1|`` and ``w = 0``
    if ``eps_train >= |2p-1|`` (at the tie ``eps_train = |2p-1|`` every ``w1`` between 0 and
    ``sign(2p-1)`` has risk 1, and ``w = 0`` is returned: it is the unique minimizer of
    ``J_lam`` for every ``lam > 0``) — the classifier ``sign(0) = -1`` has accuracy 1/2, not
    ``p``, which contradicts C-2.2b as printed whenever ``eps_train >= 2p - 1 > 0``.
    """
    dist = check_dist(dist)
    eps = _check_eps_train(eps_train)
    norm = check_norm(norm)
    p, k, sqrt_d = dist.p, dist.k, math.sqrt(dist.d)

    def f(w1, u):  # log of the risk: same minimizer, no underflow plateaus at large k
        return _log_risk(p, k, sqrt_d, eps, norm, w1, u)

    # Candidates (log risk, w1, u, note); min() keeps the first of equal risks. On the axis u = 0
    # the risk is piecewise linear and known exactly, so axis points are scored by that formula
    # (float noise of the generic formula must not beat the exact zero vector).
    val_b, t_b = _circle_min(f, 1.0, _CIRCLE_GRID)
    on_axis = t_b in (0.0, math.pi, -math.pi)
    if not on_axis and abs(t_b) != math.pi / 2:
        # soak finding: p = 0, eta = 1/64, d = 1, eps_train = 1e-4 (optimum 3.9e-5 from the
        # axis): Brent on the flat risk left u 0.05 % off, a KKT residual of 1.5e-3
        val_b, t_b = _polish_angle(f, p, k, sqrt_d, eps, norm, t_b, val_b)
    w1_b, u_b = _cos(t_b), math.sin(t_b)
    if on_axis:
        w1_b, u_b = (1.0 if t_b == 0.0 else -1.0), 0.0
    # On u = 0 both dual norms equal |w1|, so the axis minimizer (zero vector included) is exact
    # for l_inf and l_2; it stands for every candidate on the axis.
    ax_w1, ax_risk, ax_note = _axis_solution(p, eps)
    cands = [] if on_axis else [(val_b, w1_b, u_b, "")]
    axis = (math.log(ax_risk) if ax_risk > 0 else -math.inf, ax_w1, 0.0, ax_note)
    cands.append(axis)
    radial = _radial_left_derivative(p, k, sqrt_d, eps, norm, w1_b, u_b)
    if radial > -1e-9 * math.exp(val_b) or (not on_axis and axis[0] <= val_b + _AXIS_TIE):
        # Search the interior unless the best unit vector has a clearly negative radial
        # derivative (then it satisfies KKT with lam > 0) and beats the axis. (The strict test
        # "> 0" alone missed interior minimizers at a zero derivative, e.g. p = 1/2,
        # eps_train = 0, where (1, 0) ties with the zero vector.) The minimum on
        # the circle of radius r is unimodal in r for convex R (a segment towards the global
        # minimizer crosses every smaller circle at a point of no larger risk).
        def m(r):
            return _circle_min(f, r, _CIRCLE_GRID // 4, refine=1)[0] if r > 0 else f(0.0, 0.0)

        radii = np.linspace(0.0, 1.0, _RADIUS_GRID + 1)
        mv = [m(float(r)) for r in radii]
        i = int(np.argmin(mv))
        lo, hi = radii[max(i - 1, 0)], radii[min(i + 1, _RADIUS_GRID)]
        res = minimize_scalar(m, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
        r_best = float(res.x) if res.fun < mv[i] else float(radii[i])
        if r_best > 0:
            v, t = _circle_min(f, r_best, _CIRCLE_GRID)
            w1_i, u_i = r_best * _cos(t), r_best * math.sin(t)
            if t not in (0.0, math.pi, -math.pi):
                cands.append((v, w1_i, u_i, "interior minimizer: no unit-norm SVM exists"))
    best = min(cands, key=lambda c: c[0])
    # Candidates within the float resolution of the log risk (_AXIS_TIE) of the best are equally
    # good as far as the risk can tell; the first of them to pass its KKT certificate is
    # returned. The exact axis minimizer goes first (off-axis gains that small are usually noise,
    # e.g. p = 1 at the tie eps_train = 2p - 1, where R(w1, u) - 1 ~ u phi(1/u) underflows), then
    # the others by risk. Soak findings: at p = 0.75, eta = 1/128, d = 1, eps_train = 1.6e-7 the
    # optimum at u = 5.9e-8 beats the axis by only 8e-10 in log risk, and the axis has a descent
    # direction (stationarity 7.8e-3); at eta = 1/256 the radius search's unpolished point on the
    # unit circle beat the polished boundary angle by 3e-15 (noise) and failed on lam (2.3e-3).
    near = sorted((c for c in cands if c[0] <= best[0] + _AXIS_TIE), key=lambda c: c[0])
    if axis in near:
        near.remove(axis)
        near.insert(0, axis)
    first = None
    for cand in near:
        result = _certified_result(dist, eps, norm, cand,
                                   exact_risk=ax_risk if cand is axis else None)
        if result.kkt.ok:
            return result
        first = first or result
    raise SVMCheckError(
        f"population_svm_result(p={p!r}, eta={dist.eta!r}, d={dist.d}, eps_train={eps!r}, "
        f"norm={norm!r}) failed its KKT certificate: {first.kkt} (w1={first.w1!r}, "
        f"u={first.u!r}; {len(near)} candidate(s) within the risk's resolution tried)")


def _certified_result(dist: Distribution, eps: float, norm: str,
                      cand: tuple[float, float, float, str],
                      exact_risk: float | None) -> SVMResult:
    """The :class:`SVMResult` of one candidate ``(log risk, w1, u, note)``, with its KKT report
    (``exact_risk``: the axis risk, known exactly, used instead of ``exp(log risk)``)."""
    p, k, sqrt_d = dist.p, dist.k, math.sqrt(dist.d)
    log_risk, w1, u, note = cand
    risk = exact_risk if exact_risk is not None else math.exp(log_risk)
    r = math.hypot(w1, u)
    zero = r == 0.0
    active = (not zero) and abs(r - 1.0) <= 1e-12
    lam = 0.0
    if active:
        w1, u = w1 / r, u / r
        lam = max(0.0, -_radial_left_derivative(p, k, sqrt_d, eps, norm, w1, u))
        if note.startswith("interior"):  # the radius search ended on the unit circle
            note = ""
    if zero and not note.startswith("tie"):
        note = ("w = 0 minimizes the hinge risk (adversarial training with eps_train >= |2p-1| "
                "on the u = 0 axis); the rule sign(0) = -1 has accuracy 1/2 (= p only at "
                "p = 1/2)")
    elif not note:
        note = "u = 0 exactly: the weak weights vanish" if u == 0.0 else (
            "unit-norm constraint active" if active else "interior minimizer")
    weights = np.zeros(dist.d + 1) if zero else _full_weights(w1, u, dist.d)
    kkt = check_kkt(dist, weights, float(lam), float(risk), eps, norm)
    return SVMResult(w1=float(w1), u=float(u), weights=weights, hinge_risk=risk,
                     active=bool(active), lam=float(lam), eps_train=eps, norm=norm, zero=zero,
                     note=note, dist=dist, kkt=kkt)


def population_svm(dist: Distribution, eps_train: float = 0.0, *, norm: str = "inf") -> np.ndarray:
    r"""Weights (length ``d + 1``) of the population (adversarial) SVM of unit norm.

    Thin wrapper around :func:`population_svm_result` (see there for the method, the regimes and
    the claims C-2.2a, C-2.2b, C-D1–C-D5, C-HINGE). Returns the zero vector, not a normalized one,
    when ``w = 0`` is the risk minimizer (``eps_train > |2p - 1|`` with ``eps_train >= eta``).

    Examples
    --------
    >>> from tradeoff.distribution import Distribution
    >>> w = population_svm(Distribution(0.95, 4 / 10, 100))
    >>> w.shape, round(float(w @ w), 12)
    ((101,), 1.0)
    """
    return population_svm_result(dist, eps_train, norm=norm).weights
