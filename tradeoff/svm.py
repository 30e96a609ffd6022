r"""Population and sample SVMs on D(p, eta, d): Theorem 2.2 (p. 6; proof App. D, pp. 16–18).

The population soft-margin SVM of the paper minimizes :math:`J_\lambda(w) = \mathbb{E}[\max(0,
1 - y\,w\cdot x)] + \tfrac{\lambda}{2}\lVert w\rVert_2^2` (eq. (5)); the adversarial SVM replaces
the hinge, per sample and inside the expectation, by its worst case over the
:math:`\ell_\infty` ball of radius ``eps_train``, which is (C-HINGE)

.. math::
    \max_{\lVert\delta\rVert_\infty\le\epsilon} \max(0, 1 - y\,w\cdot(x+\delta))
    = \max(0, 1 - y\,w\cdot x + \epsilon\lVert w\rVert_1)

(``+ eps*||w||_2`` for an :math:`\ell_2` ball). "Unit norm" is the paper's tuning of ``lambda``;
this module solves the equivalent constrained problem :math:`\min \mathbb{E}[\text{hinge}]`
subject to :math:`\lVert w\rVert_2 \le 1` and reports the multiplier ``lambda`` for which the two
coincide.

Two kinds of solver live here:

- :func:`population_svm` / :func:`population_svm_result` — the exact population problem through
  the two-variable reduction ``w = (w1, (u/sqrt(d)) 1_d)`` (C-D1) and a closed-form risk;
  :func:`population_svm_crosscheck` re-solves it independently with cvxpy (sampled sufficient
  statistics or Gauss–Hermite quadrature) and derives the tolerance the two must agree to.
- :func:`empirical_svm` / :class:`EmpiricalSVM` (full dimension) and :func:`sufficient_svm`
  (two variables on ``(x1, z)``) — sample SVMs with cvxpy/Clarabel, ``eps_train`` a DPP
  ``Parameter`` so sweeps reuse one compiled problem.

cvxpy is imported lazily inside the functions that need it, so ``import tradeoff`` stays fast.

References
----------
.. [1] D. Tsipras, S. Santurkar, L. Engstrom, A. Turner, A. Madry, "Robustness May Be at Odds
   with Accuracy", ICLR 2019 (arXiv:1805.12152v5), Theorem 2.2 (p. 6) and Appendix D (pp. 16–18).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import erfcx, ndtr

from tradeoff import linear
from tradeoff._validation import as_generator, check_int, check_norm, check_real
from tradeoff.distribution import Distribution

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_CIRCLE_GRID = 4096  # points on the unit circle (t = 0, ±pi/2, pi are grid points exactly)
_RADIUS_GRID = 16
_AXIS_TIE = 1e-9  # log-risk margin within which the exact axis minimizer is preferred (the
# generic log-risk formula loses ~1e-11 relative accuracy when u -> 0: deep-profile C-D5 edge)


# ---------------------------------------------------------------------------------------------
# Validation helpers (module-local: X, y and the SVM options)
# ---------------------------------------------------------------------------------------------

def _check_dist(dist: object) -> Distribution:
    if not isinstance(dist, Distribution):
        raise TypeError(f"dist must be a tradeoff.Distribution, got {type(dist).__name__}")
    return dist


def _check_eps_train(eps_train: object) -> float:
    return check_real("eps_train", eps_train, low=0.0)


def _check_lam(lam: object) -> float | None:
    if lam is None:
        return None
    return check_real("lam", lam, low=0.0, low_open=True)


def _check_labels(y: object, n: int | None, name: str = "y") -> np.ndarray:
    arr = np.asarray(y)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of labels in {{-1, +1}}, got dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.ndim != 1 or arr.shape[0] < 1:
        raise ValueError(f"{name} must have shape (n,) with n >= 1, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have length n = {n} (one label per row), "
                         f"got length {arr.shape[0]}")
    if not np.all((arr == 1.0) | (arr == -1.0)):
        raise ValueError(f"{name} must contain only labels in {{-1, +1}}")
    return arr


def _check_X(X: object) -> np.ndarray:
    arr = np.asarray(X)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"X must be a real array of shape (n, d+1), got dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 2:
        raise ValueError(f"X must have shape (n, d+1) with n >= 1 and d >= 1, "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("X must have finite entries")
    return arr


def _check_vector(name: str, v: object, n: int | None) -> np.ndarray:
    arr = np.asarray(v)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real array of shape (n,), got dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.ndim != 1 or arr.shape[0] < 1:
        raise ValueError(f"{name} must have shape (n,) with n >= 1, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have length n = {n}, got length {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must have finite entries")
    return arr


def _require_optimal(problem, what: str) -> None:
    import cvxpy as cp

    if problem.status != cp.OPTIMAL:
        raise RuntimeError(f"{what}: cvxpy/Clarabel returned status {problem.status!r}; "
                           "only 'optimal' is accepted (never 'optimal_inaccurate')")


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
    dist = _check_dist(dist)
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
        the left derivative of ``r -> R(r w)`` at ``r = 1`` (exact when ``R`` is differentiable
        there); ``0`` when the constraint is inactive. ``active`` with ``lam == 0`` is a tie: a
        point inside the ball is as good, and no ``J_lam`` with ``lam > 0`` has a unit minimizer.
    eps_train : float
    norm : str
        Training threat model ("inf" or "2").
    zero : bool
        ``True`` when the minimizer is ``w = 0`` (adversarial training with
        ``eps_train > |2p - 1|`` and ``eps_train >= eta``): the rule ``sign(0) = -1`` is constant.
    note : str
        Human-readable description of the regime (boundary, tie, ``u = 0``, zero vector ...).
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

    def standard_accuracy(self) -> float:
        """Exact standard accuracy of ``sign(weights . x)`` (theory.md §2)."""
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


def _axis_solution(p: float, eps: float) -> tuple[float, float, str]:
    """Exact minimizer over ``u = 0``, ``|w1| <= 1``: ``R(w1, 0) = 1 + |w1|(eps - sign(w1)(2p-1))``
    (valid for ``|w1| <= 1``), piecewise linear; returns ``(w1, risk, note)``."""
    gap = 2.0 * p - 1.0
    if eps < abs(gap):
        w1 = 1.0 if gap > 0 else -1.0
        return w1, _axis_risk(p, eps, w1), ""
    if eps == abs(gap) and gap != 0.0:
        w1 = 1.0 if gap > 0 else -1.0
        return w1, 1.0, ("tie eps_train = |2p-1|: every w1 between 0 and sign(2p-1) has hinge "
                         "risk 1; the unit-norm one is returned (lam = 0)")
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
    if ``eps_train > |2p-1|`` — the classifier ``sign(0) = -1`` has accuracy 1/2, not ``p``, which
    contradicts C-2.2b as printed whenever ``eps_train > 2p - 1``.
    """
    dist = _check_dist(dist)
    eps = _check_eps_train(eps_train)
    norm = check_norm(norm)
    p, k, sqrt_d = dist.p, dist.k, math.sqrt(dist.d)

    def f(w1, u):  # log of the risk: same minimizer, no underflow plateaus at large k
        return _log_risk(p, k, sqrt_d, eps, norm, w1, u)

    # Candidates (log risk, w1, u, note); min() keeps the first of equal risks. On the axis u = 0
    # the risk is piecewise linear and known exactly, so axis points are scored by that formula
    # (float noise of the generic formula must not beat the exact zero vector).
    val_b, t_b = _circle_min(f, 1.0, _CIRCLE_GRID)
    w1_b, u_b = math.cos(t_b), math.sin(t_b)
    on_axis = t_b in (0.0, math.pi, -math.pi)
    if on_axis:
        w1_b, u_b = (1.0 if t_b == 0.0 else -1.0), 0.0
    # On u = 0 both dual norms equal |w1|, so the axis minimizer (zero vector included) is exact
    # for l_inf and l_2; it stands for every candidate on the axis.
    ax_w1, ax_risk, ax_note = _axis_solution(p, eps)
    cands = [] if on_axis else [(val_b, w1_b, u_b, "")]
    axis = (math.log(ax_risk) if ax_risk > 0 else -math.inf, ax_w1, 0.0, ax_note)
    cands.append(axis)
    if _radial_left_derivative(p, k, sqrt_d, eps, norm, w1_b, u_b) > 0:
        # Shrinking the best unit vector lowers the risk: search the interior. The minimum on
        # the circle of radius r is unimodal in r for convex R (a segment towards the global
        # minimizer crosses every smaller circle at a point of no larger risk).
        def m(r):
            return _circle_min(f, r, _CIRCLE_GRID // 4, refine=0)[0] if r > 0 else 0.0

        radii = np.linspace(0.0, 1.0, _RADIUS_GRID + 1)
        mv = [m(float(r)) for r in radii]
        i = int(np.argmin(mv))
        lo, hi = radii[max(i - 1, 0)], radii[min(i + 1, _RADIUS_GRID)]
        res = minimize_scalar(m, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
        r_best = float(res.x) if res.fun < mv[i] else float(radii[i])
        if r_best > 0:
            v, t = _circle_min(f, r_best, _CIRCLE_GRID)
            w1_i, u_i = r_best * math.cos(t), r_best * math.sin(t)
            if t not in (0.0, math.pi, -math.pi):
                cands.append((v, w1_i, u_i, "interior minimizer: no unit-norm SVM exists"))
    best = min(cands, key=lambda c: c[0])
    if axis[0] <= best[0] + _AXIS_TIE:
        # Off-axis gains below the float resolution of the risk are noise (e.g. p = 1 at the tie
        # eps_train = 2p - 1, where R(w1, u) - 1 ~ u phi(1/u) underflows): keep the exact axis
        # minimizer.
        best = axis
    log_risk, w1, u, note = best
    risk = ax_risk if best is axis else math.exp(log_risk)  # the axis risk is exact
    r = math.hypot(w1, u)
    zero = r == 0.0
    active = (not zero) and abs(r - 1.0) <= 1e-12
    lam = 0.0
    if active:
        w1, u = w1 / r, u / r
        lam = max(0.0, -_radial_left_derivative(p, k, sqrt_d, eps, norm, w1, u))
    if zero:
        note = ("w = 0 minimizes the hinge risk (adversarial training with eps_train >= |2p-1| "
                "on the u = 0 axis); the rule sign(0) = -1 has accuracy 1/2, not p")
    elif not note:
        note = "u = 0 exactly: the weak weights vanish" if u == 0.0 else (
            "unit-norm constraint active" if active else "interior minimizer")
    weights = np.zeros(dist.d + 1) if zero else _full_weights(w1, u, dist.d)
    return SVMResult(w1=float(w1), u=float(u), weights=weights, hinge_risk=risk,
                     active=bool(active), lam=float(lam), eps_train=eps, norm=norm, zero=zero,
                     note=note, dist=dist)


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


# ---------------------------------------------------------------------------------------------
# Independent cross-check (cvxpy)
# ---------------------------------------------------------------------------------------------

def _two_variable_problem(features: np.ndarray, weights: np.ndarray, sqrt_d: float, eps: float,
                          norm: str, lam: float | None):
    """cvxpy problem ``min sum_i weights_i pos(1 - features_i . w + eps ||w||_*)`` over
    ``w = (w1, u)``, ``||w||_2 <= 1`` (or ``+ lam/2 ||w||^2``). Returns ``(problem, w)``."""
    import cvxpy as cp

    w = cp.Variable(2)
    dual = cp.abs(w[0]) + sqrt_d * cp.abs(w[1]) if norm == "inf" else cp.norm(w, 2)
    hinge = weights @ cp.pos(1 - features @ w + eps * dual)
    if lam is None:
        problem = cp.Problem(cp.Minimize(hinge), [cp.norm(w, 2) <= 1])
    else:
        problem = cp.Problem(cp.Minimize(hinge + lam / 2 * cp.sum_squares(w)))
    return problem, w


def _solve_two_variable(features, weights, sqrt_d, eps, norm, lam, what):
    import cvxpy as cp

    problem, w = _two_variable_problem(features, weights, sqrt_d, eps, norm, lam)
    problem.solve(solver=cp.CLARABEL)
    _require_optimal(problem, what)
    return float(w.value[0]), float(w.value[1]), float(problem.value)


def sampled_tolerance(n: int, dist: Distribution, eps_train: float, *, delta: float = 1e-9,
                      mean_feature_norm: float, norm: str = "inf") -> float:
    r"""Bound on the excess population risk of the sampled cross-check, valid w.p. ``>= 1-delta``.

    Parameters
    ----------
    n : int
        Sample size.
    dist : Distribution
    eps_train : float
    delta : float
        Failure probability (default ``1e-9``).
    mean_feature_norm : float
        ``(1/n) sum_i ||(s_i, y_i z_i)||_2`` of the sample (a Lipschitz constant of the empirical
        risk; computed from the data, so no probability is spent on it).
    norm : {"inf", "2"}

    Returns
    -------
    float
        ``tol`` such that ``R(w_hat) - R(w*) <= tol`` with probability ``>= 1 - delta`` (plus the
        solver's optimality gap, added by the caller).

    Notes
    -----
    With ``R_n`` the sample risk, ``w_hat`` its minimizer and ``w*`` the population one,

    .. math::
        R(\hat w) - R(w^*) \le [R(\hat w) - R_n(\hat w)] + [R_n(w^*) - R(w^*)]

    (as :math:`R_n(\hat w) \le R_n(w^*)`). At a fixed ``w`` with ``||w|| <= rho``, conditionally
    on the signs ``s_i`` the sample risk is a ``(|u|/sqrt(n))``-Lipschitz function of the Gaussian
    vector ``Z`` (Gaussian concentration), and its conditional mean is an average of terms with
    range ``2|w1|`` (Hoeffding); the two sub-Gaussian factors give
    :math:`P(R_n(w) - R(w) > t) \le e^{-n t^2/(2\rho^2)}` and the same for the other tail — no
    CLT. The second bracket uses this at ``w*`` (failure ``delta/2``). The first is a supremum over
    the unit disk: a grid of spacing ``h`` (``N <= pi (1/h + 1 + 1/sqrt 2)^2`` points of norm
    ``<= 1 + h``, covering radius ``h/sqrt 2``) with a union bound (failure ``delta/2``), plus the
    Lipschitz constants
    ``E||x|| + eps C <= sqrt(2 + k^2) + eps C`` (population) and ``mean ||x_i|| + eps C`` (sample),
    ``C = sqrt(1 + d)`` (l_inf) or 1 (l_2). The best ``h`` of a small list is used.
    """
    n = check_int("n", n)
    eps = _check_eps_train(eps_train)
    delta = check_real("delta", delta, low=0.0, high=1.0, low_open=True, high_open=True)
    norm = check_norm(norm)
    c = math.sqrt(1.0 + dist.d) if norm == "inf" else 1.0
    lip = math.sqrt(2.0 + dist.k ** 2) + mean_feature_norm + 2.0 * eps * c
    t_fixed = math.sqrt(2.0 * math.log(2.0 / delta) / n)
    best = math.inf
    for h in (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2):
        # Lattice points of spacing h in the disk of radius 1 + h: their h-squares lie in the
        # disk of radius 1 + h + h/sqrt(2), so there are at most pi (1/h + 1 + 1/sqrt 2)^2.
        n_points = math.pi * (1.0 / h + 1.0 + 1.0 / math.sqrt(2.0)) ** 2
        t_net = (1.0 + h) * math.sqrt(2.0 * math.log(2.0 * n_points / delta) / n)
        best = min(best, t_fixed + t_net + h / math.sqrt(2.0) * lip)
    return best


@dataclass(frozen=True)
class CrossCheck:
    """Population SVM versus an independent cvxpy solve (see :func:`population_svm_crosscheck`).

    ``excess = R(w_hat) - R(w*)`` is the exact population risk of the cvxpy solution minus that of
    :func:`population_svm`; ``agrees`` is ``-1e-9 <= excess <= tolerance``. The lower end is
    deterministic (``w*`` is a population minimizer); the upper is the derived tolerance.
    """

    method: str
    population: SVMResult = field(repr=False)
    w1_hat: float
    u_hat: float
    risk_population: float
    risk_crosscheck: float
    excess: float
    tolerance: float
    standard_accuracy_population: float
    standard_accuracy_crosscheck: float
    robust_accuracy_population: float
    robust_accuracy_crosscheck: float
    n: int

    @property
    def agrees(self) -> bool:
        return -1e-9 <= self.excess <= self.tolerance


def population_svm_crosscheck(dist: Distribution, eps_train: float = 0.0, *, n: int = 100_000,
                              rng: np.random.Generator | int = 0, method: str = "sample",
                              delta: float = 1e-9, norm: str = "inf") -> CrossCheck:
    r"""Re-solve the population SVM with cvxpy (Clarabel) and compare risks and accuracies.

    Parameters
    ----------
    dist : Distribution
    eps_train : float, default 0.0
    n : int, default 100000
        Sample size (``method="sample"``) or number of Gauss–Hermite nodes
        (``method="quadrature"``, at most 2000).
    rng : numpy.random.Generator or int
        Randomness for ``method="sample"`` (ignored for quadrature).
    method : {"sample", "quadrature"}
        ``"sample"``: ``n`` sufficient statistics ``(x1, z, y)`` from
        :meth:`Distribution.sample_sufficient`; tolerance from :func:`sampled_tolerance` at
        failure probability ``delta`` plus ``1e-6`` solver slack. ``"quadrature"``: a
        probabilists' Gauss–Hermite rule for ``Z`` (deterministic); tolerance
        ``|R - R_GH|(w_hat) + |R_GH - R|(w*) + 1e-6``, both quadrature errors computed exactly.
    delta : float, default 1e-9
    norm : {"inf", "2"}

    Returns
    -------
    CrossCheck

    Notes
    -----
    The cvxpy problem is :math:`\min \sum_i \omega_i \max(0, 1 - w_1 s_i - u\zeta_i +
    \epsilon(|w_1| + \sqrt d |u|))` s.t. :math:`\lVert (w_1, u)\rVert_2 \le 1`, DCP by C-HINGE,
    with ``(s_i, zeta_i) = (y x1, y z)`` and weights ``omega_i``. Only status ``OPTIMAL`` is
    accepted. Both solutions are scored with the exact risk and exact accuracies (standard, and
    l_inf-robust at ``eps = 2*eta``), never by comparing weights (the objective is flat).
    """
    dist = _check_dist(dist)
    eps = _check_eps_train(eps_train)
    norm = check_norm(norm)
    if method not in ("sample", "quadrature"):
        raise ValueError(f"method must be one of ('sample', 'quadrature'), got {method!r}")
    n = check_int("n", n, low=2 if method == "quadrature" else 1)
    delta = check_real("delta", delta, low=0.0, high=1.0, low_open=True, high_open=True)
    sqrt_d = math.sqrt(dist.d)
    pop = population_svm_result(dist, eps, norm=norm)
    risk_star = pop.hinge_risk
    if method == "sample":
        gen = as_generator(rng)
        x1, z, y = dist.sample_sufficient(n, gen)
        features = np.column_stack([y * x1, y * z])
        w1h, uh, _ = _solve_two_variable(features, np.full(n, 1.0 / n), sqrt_d, eps, norm, None,
                                         "population_svm_crosscheck")
        mean_norm = float(np.mean(np.hypot(features[:, 0], features[:, 1])))
        tol = sampled_tolerance(n, dist, eps, delta=delta, mean_feature_norm=mean_norm,
                                norm=norm) + 1e-6
    else:
        if n > 2000:
            raise ValueError(f"n (Gauss–Hermite nodes) must be in [2, 2000], got {n}")
        nodes, gw = np.polynomial.hermite_e.hermegauss(n)
        gw = gw / math.sqrt(2.0 * math.pi)
        zeta = dist.k + nodes
        features = np.concatenate([np.column_stack([np.ones(n), zeta]),
                                   np.column_stack([-np.ones(n), zeta])])
        weights = np.concatenate([dist.p * gw, (1.0 - dist.p) * gw])
        w1h, uh, _ = _solve_two_variable(features, weights, sqrt_d, eps, norm, None,
                                         "population_svm_crosscheck")

        def quad_risk(a, b):
            dual = abs(a) + sqrt_d * abs(b) if norm == "inf" else math.hypot(a, b)
            return float(weights @ np.maximum(0.0, 1.0 - features @ np.array([a, b]) + eps * dual))

        err_hat = abs(float(_risk(dist.p, dist.k, sqrt_d, eps, norm, w1h, uh)) - quad_risk(w1h, uh))
        err_star = abs(quad_risk(pop.w1, pop.u) - risk_star)
        tol = err_hat + err_star + 1e-6
    risk_hat = float(_risk(dist.p, dist.k, sqrt_d, eps, norm, w1h, uh))
    w_hat = _full_weights(w1h, uh, dist.d)
    eps_eval = 2.0 * dist.eta
    return CrossCheck(
        method=method, population=pop, w1_hat=w1h, u_hat=uh, risk_population=risk_star,
        risk_crosscheck=risk_hat, excess=risk_hat - risk_star, tolerance=tol,
        standard_accuracy_population=pop.standard_accuracy(),
        standard_accuracy_crosscheck=linear.standard_accuracy(w_hat, dist),
        robust_accuracy_population=pop.robust_accuracy(eps_eval),
        robust_accuracy_crosscheck=linear.robust_accuracy(w_hat, dist, eps_eval),
        n=n,
    )


# ---------------------------------------------------------------------------------------------
# Sample SVMs
# ---------------------------------------------------------------------------------------------

class EmpiricalSVM:
    r"""Full-dimension sample SVM compiled once; ``eps_train`` is a DPP parameter.

    Parameters
    ----------
    X : array_like, shape (n, d+1)
        Inputs (coordinate 0 is x1), finite.
    y : array_like, shape (n,)
        Labels in {-1, +1}.
    lam : float or None, default None
        ``None``: the unit-norm SVM, :math:`\min \frac1n\sum_i \text{hinge}_i` s.t.
        :math:`\lVert w\rVert_2 \le 1` (the paper's tuning of ``lambda``). A float ``> 0``: the
        penalized objective :math:`\frac1n\sum_i \text{hinge}_i + \frac{\lambda}{2}\lVert
        w\rVert_2^2` (sample version of eq. (5)).
    norm : {"inf", "2"}, default "inf"
        Threat model of adversarial training.

    Notes
    -----
    The (adversarial) hinge of sample ``i`` is :math:`\max(0, 1 - y_i w\cdot x_i +
    \epsilon\lVert w\rVert_1)` (C-HINGE; ``||w||_2`` for l_2), with no bias, as in App. D
    (pp. 16–18). ``eps`` enters as a ``cvxpy.Parameter(nonneg=True)`` multiplying a convex,
    parameter-free expression, so the problem is DPP (:meth:`is_dpp`) and :meth:`solve` reuses
    the compiled problem across a sweep. Cost grows like ``n * d^2``: keep full-dimension solves
    small and use :func:`sufficient_svm` for population-scale work.
    """

    def __init__(self, X, y, *, lam: float | None = None, norm: str = "inf") -> None:
        import cvxpy as cp

        X = _check_X(X)
        y = _check_labels(y, X.shape[0])
        self.lam = _check_lam(lam)
        self.norm = check_norm(norm)
        self.n, self.dim = X.shape
        self._w = cp.Variable(self.dim)
        self._eps = cp.Parameter(nonneg=True, value=0.0)
        signed = y[:, None] * X
        dual = cp.norm1(self._w) if self.norm == "inf" else cp.norm(self._w, 2)
        hinge = cp.sum(cp.pos(1 - signed @ self._w + self._eps * dual)) / self.n
        if self.lam is None:
            self.problem = cp.Problem(cp.Minimize(hinge), [cp.norm(self._w, 2) <= 1])
        else:
            self.problem = cp.Problem(cp.Minimize(hinge + self.lam / 2 * cp.sum_squares(self._w)))

    def is_dpp(self) -> bool:
        """Whether the compiled problem is DPP in ``eps_train`` (it is, by construction)."""
        return bool(self.problem.is_dpp())

    def solve(self, eps_train: float = 0.0) -> np.ndarray:
        """Solve at training radius ``eps_train`` (finite, ``>= 0``); returns weights (d+1,)."""
        import cvxpy as cp

        self._eps.value = _check_eps_train(eps_train)
        self.problem.solve(solver=cp.CLARABEL)
        _require_optimal(self.problem, "EmpiricalSVM.solve")
        return np.array(self._w.value, dtype=float)

    @property
    def value(self) -> float:
        """Objective value of the last solve."""
        return float(self.problem.value)


def empirical_svm(X, y, eps_train: float = 0.0, *, lam: float | None = None,
                  norm: str = "inf") -> np.ndarray:
    r"""Full-dimension sample (adversarial) SVM; weights of length ``d + 1``.

    ``lam=None`` (default) solves the unit-norm version: minimize the mean (adversarial) hinge
    subject to ``||w||_2 <= 1``, no bias, like the paper's App. D (pp. 16–18). See
    :class:`EmpiricalSVM` for the formulation, the DPP sweep and the cost; this is a thin wrapper
    that compiles and solves once.
    """
    return EmpiricalSVM(X, y, lam=lam, norm=norm).solve(eps_train)


def sufficient_svm(x1, z, y, d: int, eps_train: float = 0.0, *, lam: float | None = None,
                   norm: str = "inf") -> np.ndarray:
    r"""Sample (adversarial) SVM on the sufficient statistics ``(x1, z)``; weights of length d+1.

    Parameters
    ----------
    x1, z, y : array_like, shape (n,)
        Robust feature, ``z = sum_{i>=2} x_i / sqrt(d)`` and labels in {-1, +1}
        (e.g. from :meth:`Distribution.sample_sufficient`).
    d : int
        Number of weak features (enters through ``||w||_1 = |w1| + sqrt(d)|u|``).
    eps_train : float, default 0.0
    lam : float or None
        As in :class:`EmpiricalSVM`.
    norm : {"inf", "2"}

    Returns
    -------
    numpy.ndarray
        ``(w1, (u/sqrt(d)) 1_d)``. On the same data, these weights give exactly the same scores,
        norms and hence objective as the two-variable solution, so the full-dimension SVM's
        objective is at most this one's, with equality when the sample is symmetric in the weak
        coordinates.

    Notes
    -----
    Two variables ``(w1, u)``: :math:`\min \frac1n \sum_i \max(0, 1 - y_i(w_1 x_{1,i} + u z_i) +
    \epsilon(|w_1| + \sqrt d |u|))` s.t. :math:`w_1^2 + u^2 \le 1` (C-HINGE, App. D).
    """
    x1 = _check_vector("x1", x1, None)
    n = x1.shape[0]
    z = _check_vector("z", z, n)
    y = _check_labels(y, n)
    d = check_int("d", d)
    eps = _check_eps_train(eps_train)
    lam = _check_lam(lam)
    norm = check_norm(norm)
    features = np.column_stack([y * x1, y * z])
    w1, u, _ = _solve_two_variable(features, np.full(n, 1.0 / n), math.sqrt(d), eps, norm, lam,
                                   "sufficient_svm")
    return _full_weights(w1, u, d)


def empirical_hinge_risk(w, X, y, eps_train: float = 0.0, *, norm: str = "inf") -> float:
    """Mean (adversarial, C-HINGE) hinge loss of weights ``w`` on a sample ``(X, y)``."""
    X = _check_X(X)
    y = _check_labels(y, X.shape[0])
    eps = _check_eps_train(eps_train)
    norm = check_norm(norm)
    w = np.asarray(w, dtype=float)
    if w.shape != (X.shape[1],) or not np.all(np.isfinite(w)):
        raise ValueError(f"w must be finite with shape ({X.shape[1]},), got shape {w.shape}")
    dual = np.abs(w).sum() if norm == "inf" else np.linalg.norm(w)
    return float(np.mean(np.maximum(0.0, 1.0 - y * (X @ w) + eps * dual)))
