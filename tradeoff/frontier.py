r"""B-FRONTIER: the exact robustness–accuracy frontier of D(p, eta, d).

Theorem 2.1 bounds the l_inf-robust accuracy of a classifier of standard accuracy ``a`` by the line
``p/(1-p)*(1 - a)``. On this model the truth can be computed. Write ``k = eta*sqrt(d)``,
``e = eps*sqrt(d)`` (the largest move of ``z`` an l_inf adversary of radius ``eps`` can make) and
``F(a) = sup{acc_eps(f) : acc(f) >= a}`` over all measurable, possibly randomized classifiers.

**Upper bound (every classifier).** Shifting every weak coordinate by ``-tau*y`` with
``tau <= eps`` is one admissible perturbation; it moves ``z`` by ``t = tau*sqrt(d)`` and leaves the
part of the weak block orthogonal to ``(1, ..., 1)`` untouched, and that part has the same law
under both labels. Slicing along it, ``acc_eps(f) + lam*acc(f)`` of any classifier is at most

.. math::
    V_t(\lambda) = (\lambda + 1)(1-p) + \int \max(h_t(z), 0)\,dz,\qquad
    h_t = \lambda p\,\varphi(z-k) - \lambda(1-p)\,\varphi(z+k) + p\,\varphi(z-k+t)
          - (1-p)\,\varphi(z+k-t),

(the two values of ``x1`` give mirror-image problems). For ``t <= k`` and for ``t = 2k`` the
coefficients of ``h_t``, ordered by their means, change sign once, so (variation diminishing
property of the Gaussian kernel) ``{h_t > 0}`` is a half-line: the optimum is a likelihood-ratio
threshold on ``z`` found by a one-dimensional root (a closed form ``exp(2ku) = ...`` at
``t = 2k``). Hence ``F(a) <= min_{t, lam >= 0} V_t(lam) - lam*a`` with ``t`` in
``{min(e, k)} U {2k if eps >= 2*eta}`` (:func:`upper_frontier`).

**Achievers.** Forward threshold rules ``x1 > 0: z > u``, ``x1 <= 0: z > -u``
(:func:`threshold_rule`) have, for ``eps < 1`` (the adversary cannot flip ``sign(x1)``),

.. math::
    \mathrm{acc}(u) = p\,\Phi(k-u) + (1-p)\,\Phi(k+u),\qquad
    \mathrm{acc}_\epsilon(u) = p\,\Phi(k-e-u) + (1-p)\,\Phi(k-e+u),

because the worst l_inf move of such a rule is the shift by ``e`` itself. Asymmetric and reversed
thresholds are dominated by these (termwise, for ``k >= 0``). The threshold frontier is the upper
concave hull of this curve, with mixtures (:class:`tradeoff.classifiers.Mixture`) on its chords.

**Where the two meet (proven exact).** For ``eps <= eta`` (``t = e``) and ``eps = 2*eta < 1``
(``t = 2k``, for ``a`` at least the accuracy of the most robust classifier) the relaxation's
optimal set is the achiever's own threshold, so the achiever attains the upper bound: the frontier
is exact (:func:`is_proven`; proof steps in ``proofs/beyond.py`` and ``proofs/frontier.py``).

**Every other radius ``eps < 1`` (certified).** Restricting the adversary to uniform shifts, every
classifier (randomized ones under the adversary-knows-the-coin convention of
:class:`tradeoff.classifiers.Mixture`) is an average of ``(sign(x1), z)``-rules against the
interval adversary ``|dz| <= e``, and both values of ``sign(x1)`` pose the same one-dimensional
erosion problem (:mod:`tradeoff.erosion`). :func:`erosion_certificate` bounds that problem over
all measurable decision sets with ball arithmetic; with the single-shift lines
(:func:`single_shift_support`) it gives :func:`certified_upper`, and :func:`frontier` reports the
threshold hull with the certified gap (``status == "certified"``). That half-lines are exactly
optimal there is not proved. The coin-emulating deterministic rule
(:func:`coin_rule_outcomes`) shows that deterministic classifiers are not reduced to such rules.

References: Tsipras et al. (2019), Theorem 2.1 and Appendix C; claims B-FRONTIER,
B-FRONTIER-BOUND and B-FRONTIER-ACHIEVE of the registry.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import ndtr

from tradeoff._validation import check_dist, check_int, check_real
from tradeoff.bounds import bound_expression
from tradeoff.classifiers import Mixture, ThresholdRule
from tradeoff.distribution import Distribution

__all__ = [
    "at_least_bayes",
    "Frontier",
    "achiever",
    "certified_upper",
    "coin_rule_estimate",
    "coin_rule_outcomes",
    "erosion_certificate",
    "frontier",
    "is_proven",
    "reference_points",
    "relaxation_support",
    "relaxation_shifts",
    "single_shift_bound",
    "single_shift_support",
    "status",
    "threshold_curve",
    "threshold_rule",
    "upper_frontier",
    "upper_frontier_with_tolerance",
    "upper_support",
]

# Relative tolerance under which an achiever "attains" the upper bound (float round-off of a few
# Phi evaluations and one root; documented in docs/beyond/frontier.md).
ATTAIN_TOL = 1e-9


def _radius(dist: Distribution, eps: object, *, below_one: bool) -> float:
    """``eps`` (default ``2*eta``), finite, ``>= 0`` and, for achievers, ``< 1``."""
    if eps is None:
        eps = 2.0 * dist.eta
        if below_one and eps >= 1.0:
            raise ValueError(f"eps defaults to 2*eta = {eps!r}, which must be < 1 here "
                             "(the achievers use sign(x1), which an adversary with eps >= 1 flips)")
        return eps
    if below_one:
        return check_real("eps", eps, low=0.0, high=1.0, high_open=True)
    return check_real("eps", eps, low=0.0)


# ---------------------------------------------------------------------------------------------
# The achievers: symmetric forward threshold rules
# ---------------------------------------------------------------------------------------------

def threshold_rule(u: float) -> ThresholdRule:
    """The forward threshold rule ``x1 > 0: +1 iff z > u``; ``x1 <= 0: +1 iff z > -u``.

    ``u = -inf`` is ``f_rob = sign(x1)``; ``u = -log(p/(1-p))/(2k)`` is the Bayes rule on
    ``(sign(x1), z)`` (:mod:`tradeoff.bayes`).
    """
    if isinstance(u, bool) or not isinstance(u, int | float | np.floating | np.integer):
        raise TypeError(f"u must be a real number or +-inf, got {type(u).__name__}")
    u = float(u)
    if math.isnan(u):
        raise ValueError("u must be a real number or +-inf, got nan")
    return ThresholdRule(u, -u, name=f"threshold(u={u:.6g})")


def threshold_curve(dist: Distribution, u, eps=None):
    r"""Exact ``(standard, robust)`` accuracy of :func:`threshold_rule` ``(u)`` (vectorized in u).

    ``acc(u) = p*Phi(k-u) + (1-p)*Phi(k+u)`` and, for ``eps < 1``,
    ``acc_eps(u) = p*Phi(k-e-u) + (1-p)*Phi(k-e+u)`` with ``e = eps*sqrt(d)``.

    Parameters
    ----------
    dist : Distribution
    u : float or array_like
        Thresholds, ``+-inf`` allowed (NaN refused).
    eps : float, optional
        l_inf radius in ``[0, 1)``; default ``2*eta``.
    """
    dist = check_dist(dist)
    eps = _radius(dist, eps, below_one=True)
    arr = np.asarray(u, dtype=float)
    if np.isnan(arr).any():
        raise ValueError("u must not contain NaN")
    k, e, p = dist.k, eps * math.sqrt(dist.d), dist.p
    acc = p * ndtr(k - arr) + (1 - p) * ndtr(k + arr)
    rob = p * ndtr(k - e - arr) + (1 - p) * ndtr(k - e + arr)
    if arr.ndim == 0:
        return float(acc), float(rob)
    return acc, rob


# ---------------------------------------------------------------------------------------------
# The upper bound: shift relaxations whose optimal set is a half-line
# ---------------------------------------------------------------------------------------------

def _half_line(coefs: Sequence[float], means: Sequence[float]) -> tuple[float, bool]:
    """``(r, forward)`` with ``{sum_j c_j phi(z - m_j) > 0}`` equal to ``(r, inf)`` (forward) or
    ``(-inf, r)``; ``r`` may be infinite (the set is then empty or everything).

    The coefficients, sorted by their means, must change sign at most once; then the positive
    set is a half-line (variation diminishing property of the Gaussian kernel) whose end is the
    unique root, found in log space so that no density underflows.
    """
    merged: dict[float, float] = {}
    for c, m in zip(coefs, means, strict=True):
        merged[float(m)] = merged.get(float(m), 0.0) + float(c)
    items = sorted((m, c) for m, c in merged.items() if c != 0.0)
    if not items:
        return math.inf, True
    signs = [c > 0 for _, c in items]
    changes = sum(a != b for a, b in zip(signs, signs[1:], strict=False))
    if changes > 1:
        raise RuntimeError("relaxation has more than one sign change; not a half-line problem")
    if changes == 0:
        return (-math.inf if signs[0] else math.inf), True
    m = [i[0] for i in items]
    c = [i[1] for i in items]
    base = [math.log(abs(cj)) - 0.5 * mj * mj for cj, mj in zip(c, m, strict=True)]
    pos = [cj > 0 for cj in c]

    def _lse(values: list[float]) -> float:
        top = max(values)
        return top + math.log(sum(math.exp(v - top) for v in values))

    def log_ratio(z: float) -> float:
        # log of (positive part / negative part); the common factor exp(-z^2/2) cancels
        terms = [b + mj * z for b, mj in zip(base, m, strict=True)]
        return (_lse([t for t, s in zip(terms, pos, strict=True) if s])
                - _lse([t for t, s in zip(terms, pos, strict=True) if not s]))

    forward = not signs[0]  # positives have the larger means: h > 0 on a right half-line
    lo, hi = -1.0, 1.0
    flo, fhi = log_ratio(lo), log_ratio(hi)
    while (flo < 0) == (fhi < 0) and flo != 0 and fhi != 0:
        if hi > 1e290:
            # the root lies beyond +-1e290 (means closer than ~1e-290): on every representable
            # threshold the sign is constant, so the set is everything or nothing
            return (-math.inf if flo > 0 else math.inf), True
        # expand geometrically, faster once far out (k -> 0 puts the root near 1e308)
        grow = 2.0 if hi < 1e6 else 1e4
        lo, hi = grow * lo, grow * hi
        flo, fhi = log_ratio(lo), log_ratio(hi)
    if flo == 0:
        return lo, forward
    if fhi == 0:
        return hi, forward
    return brentq(log_ratio, lo, hi, xtol=1e-15, rtol=1e-15, maxiter=500), forward


def _set_accuracies(dist: Distribution, t: float, r: float, forward: bool) -> tuple[float, float]:
    """``(acc, acc under the shift t)`` of the rule ``x1 > 0: +1 iff z in A``, mirrored for
    ``x1 <= 0``, with ``A = (r, inf)`` (forward) or ``(-inf, r)``."""
    k, p = dist.k, dist.p
    if forward:
        acc = p * ndtr(k - r) + (1 - p) * ndtr(k + r)
        shift = p * ndtr(k - t - r) + (1 - p) * ndtr(k - t + r)
    else:
        acc = p * ndtr(r - k) + (1 - p) * ndtr(-k - r)
        shift = p * ndtr(r - k + t) + (1 - p) * ndtr(t - k - r)
    return float(acc), float(shift)


def relaxation_shifts(dist: Distribution, eps) -> tuple[float, ...]:
    """Shift sizes ``t`` (in units of ``z``) whose relaxation the upper bound uses.

    ``min(e, k)`` always (``t <= k`` keeps a single sign change) and ``2k`` when
    ``eps >= 2*eta`` (the proof's shift, C-C1).
    """
    dist = check_dist(dist)
    eps = _radius(dist, eps, below_one=False)
    e, k = eps * math.sqrt(dist.d), dist.k
    out = [min(e, k)]
    if eps >= 2.0 * dist.eta and k > 0:
        out.append(2.0 * k)
    return tuple(out)


def _relaxation_point(dist: Distribution, lam: float, t: float) -> tuple[float, float]:
    """``(acc, shift-acc)`` of a maximizer of ``acc_shift_t + lam*acc`` over all classifiers."""
    k, p = dist.k, dist.p
    two_k = math.isclose(t, 2 * k, rel_tol=1e-12)
    if not (t <= k * (1 + 1e-12) or two_k):
        raise ValueError(f"t must be in [0, k] = [0, {k!r}] or equal 2k, got {t!r}")
    coefs = [lam * p, -lam * (1 - p), p, -(1 - p)]
    means = [k, -k, -k, k] if two_k else [k, -k, k - t, t - k]
    r, forward = _half_line(coefs, means)
    return _set_accuracies(dist, 2 * k if two_k else t, r, forward)


def relaxation_support(dist: Distribution, lam: float, t: float) -> float:
    r"""``V_t(lam)``: the largest ``acc_shift_t(f) + lam*acc(f)`` over all classifiers ``f``.

    ``acc_shift_t`` is the accuracy after every weak coordinate moves by ``-t*y/sqrt(d)`` (z moves
    by ``t``), an admissible l_inf perturbation whenever ``t <= eps*sqrt(d)``; hence
    ``acc_eps(f) + lam*acc(f) <= V_t(lam)``.

    Parameters
    ----------
    dist : Distribution
    lam : float
        Weight on standard accuracy, finite and ``>= 0``.
    t : float
        Shift of ``z``, in ``[0, k]`` or equal to ``2k`` (where the optimum is a half-line).
    """
    dist = check_dist(dist)
    lam = check_real("lam", lam, low=0.0)
    t = check_real("t", t, low=0.0)
    acc, shift = _relaxation_point(dist, lam, t)
    return shift + lam * acc


def upper_support(dist: Distribution, lam: float, eps=None) -> float:
    """``min_t V_t(lam)`` over :func:`relaxation_shifts`: an upper bound on
    ``acc_eps(f) + lam*acc(f)`` for every classifier ``f`` (any ``eps >= 0``)."""
    dist = check_dist(dist)
    eps = _radius(dist, eps, below_one=False)
    lam = check_real("lam", lam, low=0.0)
    return min(relaxation_support(dist, lam, t) for t in relaxation_shifts(dist, eps))


_LAM_MAX = 1e8  # beyond it lam * (round-off of acc) outweighs the gain in tightness


def _line(dist: Distribution, t: float, lam: float, a: float) -> float:
    """``V_t(lam) - lam*a`` computed as ``shift + lam*(acc - a)`` (no large cancellation)."""
    acc, shift = _relaxation_point(dist, lam, t)
    return shift + lam * (acc - a)


def _min_over_lam(dist: Distribution, t: float, a: float,
                  extra: Sequence[float] = ()) -> tuple[float, float]:
    """``(min_lam V_t(lam) - lam*a, the lam attaining it)`` over ``[0, _LAM_MAX]``."""
    mu_max = _LAM_MAX / (1.0 + _LAM_MAX)

    def g_mu(mu: float) -> float:
        return _line(dist, t, mu / (1.0 - mu), a)

    best = (_line(dist, t, 0.0, a), 0.0)
    res = minimize_scalar(g_mu, bounds=(0.0, mu_max), method="bounded",
                          options={"xatol": 1e-12, "maxiter": 300})
    best = min(best, (float(res.fun), float(res.x / (1.0 - res.x))))
    for lam in extra:
        if math.isfinite(lam) and 0 <= lam <= 1e12:
            best = min(best, (_line(dist, t, lam, a), lam))
    return best


def _tangent_lam(dist: Distribution, u: float, e: float) -> float:
    """Slope ``-d acc_eps / d acc`` of the threshold curve at ``u`` (the supporting weight)."""
    k, p = dist.k, dist.p
    if not math.isfinite(u) or k == 0:
        return math.nan
    # acc'(u) = phi(k-u)*((1-p) e^{-2ku} - p); rob'(u) = phi(k-e-u)*((1-p) e^{-2(k-e)u} - p)
    num = p - (1 - p) * math.exp(min(-2 * (k - e) * u, 700.0))
    den = (1 - p) * math.exp(min(-2 * k * u, 700.0)) - p
    ratio = math.exp(min(e * (k - u) - e * e / 2, 700.0))
    lam = ratio * num / den if den != 0 else math.inf
    return lam if lam >= 0 else math.nan


def upper_frontier_with_tolerance(dist: Distribution, standard_accuracy: float,
                                  eps=None, *, search: bool = True,
                                  at_bayes: bool = False) -> tuple[float, float]:
    """:func:`upper_frontier` and its round-off allowance ``1e-12 + 1e-15*lam`` (lam the weight
    of the supporting line used: ``lam*(acc - a)`` carries ``lam`` times one rounding).

    With ``search=False`` and a proven radius, only the lines at ``lam = 0``, ``p/(1-p)`` and
    the achiever's tangent are used (fast; every line is a valid bound). ``at_bayes=True``
    says that ``standard_accuracy`` is the Bayes accuracy itself (its float, within 1e-12),
    so the ``lam -> inf`` limit applies even where the float lies below the exact ``A_B``
    (the frontier's end point, the Bayes rule).
    """
    dist = check_dist(dist)
    a = check_real("standard_accuracy", standard_accuracy, low=0.0, high=1.0)
    eps = _radius(dist, eps, below_one=False)
    from tradeoff.bayes import bayes_accuracy

    if at_bayes and abs(a - bayes_accuracy(dist)) > 1e-12:
        raise ValueError(f"standard_accuracy must be the Bayes accuracy {bayes_accuracy(dist)!r} "
                         f"(within 1e-12) when at_bayes=True, got {a!r}")
    if a > bayes_accuracy(dist) + 1e-15:
        return -math.inf, 0.0
    # lam = p/(1-p) is the slope of Theorem 2.1's line (C-C5): with it F <= the bound exactly
    extra: list[float] = [dist.p / (1 - dist.p)] if dist.p < 1 else []
    if eps < 1.0 and dist.p >= 0.5:
        u = _curve_u_for_accuracy(dist, a, eps)
        extra.append(_tangent_lam(dist, u, eps * math.sqrt(dist.d)))
    shifts = relaxation_shifts(dist, eps)
    if not search and is_proven(dist, eps) and len(extra) == 2 and math.isfinite(extra[1]):
        # proven case: the tangent line of the achiever's curve is the optimal supporting line
        lams = [0.0, *extra]
        value, lam = min((_line(dist, t, lm, a), lm) for t in shifts for lm in lams)
    else:
        value, lam = min(_min_over_lam(dist, t, a, extra) for t in shifts)
    u_b = _bayes_u(dist)
    # The lam -> inf limit is valid only for a >= the exact Bayes accuracy, which floats cannot
    # decide within an ulp of A_B (p = 1 - 2**-53: the float A_B is 1.0, the exact one below;
    # soak finding: p = 1 - 1e-16, eta = 0.3, d = 56, eps = 0.75 gave U(p) = p - 1.5e-9 when the
    # float comparison let the limit in). :func:`at_least_bayes` decides it in ball arithmetic.
    if dist.p >= 0.5 and (at_bayes or at_least_bayes(dist, a)):
        # lam -> inf: the supporting lines tend to the shift accuracy of the Bayes set itself
        limit = min(_set_accuracies(dist, t, u_b, True)[1] for t in shifts)
        if limit < value:
            value, lam = limit, 0.0
    return value, 1e-12 + 1e-15 * lam


def at_least_bayes(dist: Distribution, standard_accuracy: float) -> bool:
    """Whether ``standard_accuracy >= A_B`` holds exactly, ``A_B`` the Bayes accuracy of
    ``dist``: certified by :func:`tradeoff.certified.certified_bayes_accuracy` (ball
    arithmetic) within 1e-12 of the float ``A_B``; ``False`` when undecided."""
    dist = check_dist(dist)
    a = check_real("standard_accuracy", standard_accuracy, low=0.0, high=1.0)
    from tradeoff.bayes import bayes_accuracy

    if a < bayes_accuracy(dist) - 1e-12:  # the float A_B is correct to a few ulps
        return False
    from tradeoff.certified import certified_bayes_accuracy, certify_leq

    return certify_leq(certified_bayes_accuracy(dist), a) is True


def upper_frontier(dist: Distribution, standard_accuracy: float, eps=None) -> float:
    """Upper bound on the l_inf-robust accuracy of every classifier of standard accuracy
    ``>= standard_accuracy`` at radius ``eps`` (default ``2*eta``; any ``eps >= 0``).

    ``min over t, lam >= 0 of V_t(lam) - lam*a`` (module notes). Equal to the exact frontier
    where :func:`is_proven` holds. Returns ``-inf`` above the Bayes accuracy (no classifier is
    that accurate).
    """
    return upper_frontier_with_tolerance(dist, standard_accuracy, eps)[0]


def is_proven(dist: Distribution, eps=None) -> bool:
    """True where the threshold frontier provably equals the true frontier:
    ``eps <= eta``, or ``eps = 2*eta < 1`` (exact float equality, or within 1e-12 relative)."""
    dist = check_dist(dist)
    eps = _radius(dist, eps, below_one=False)
    if eps >= 1.0:
        return False
    return eps <= dist.eta or math.isclose(eps, 2 * dist.eta, rel_tol=1e-12, abs_tol=0.0)


def single_shift_support(dist: Distribution, lam: float, t: float) -> float:
    r"""``V_t(lam) = max_f acc_shift_t(f) + lam*acc(f)`` for any shift ``t >= 0`` of ``z``.

    The pointwise optimum (Neyman–Pearson): ``(lam+1)(1-p) + int max(h_t(z), 0) dz`` with
    ``h_t`` of the module notes, integrated exactly between the (at most three) roots of
    ``h_t``. For ``k < t < 2k`` and ``t > 2k`` the positive set is not a half-line, which is why
    this single-shift bound is not tight there (claim B-FRONTIER-NP).
    """
    dist = check_dist(dist)
    lam = check_real("lam", lam, low=0.0)
    t = check_real("t", t, low=0.0)
    k, p = dist.k, dist.p
    coefs = np.array([lam * p, -lam * (1 - p), p, -(1 - p)])
    means = np.array([k, -k, k - t, t - k])

    def h(z):
        return np.sum(coefs[:, None] * np.exp(-0.5 * (np.atleast_1d(z)[None, :]
                                                     - means[:, None]) ** 2), axis=0)

    span = k + t + 40.0
    grid = np.linspace(-span, span, 16001)
    vals = h(grid)
    inner = {float(z) for z in grid[vals == 0.0]}  # exact zeros on the grid (e.g. z = 0)
    for i in np.nonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)[0]:
        inner.add(brentq(lambda x: float(h(x)[0]), grid[i], grid[i + 1], xtol=1e-14))
    roots = [-math.inf, *sorted(inner), math.inf]
    total = (lam + 1) * (1 - p)
    for lo, hi in zip(roots[:-1], roots[1:], strict=True):
        mid = 0.0 if not (math.isfinite(lo) or math.isfinite(hi)) else (
            hi - 1.0 if not math.isfinite(lo) else lo + 1.0 if not math.isfinite(hi)
            else 0.5 * (lo + hi))
        if h(mid)[0] > 0:
            total += float(np.sum(coefs * (ndtr(hi - means) - ndtr(lo - means))))
    return total


def single_shift_bound(dist: Distribution, standard_accuracy: float, eps) -> float:
    """The single-shift Neyman–Pearson bound ``min_lam V_rho(lam) - lam*a``, ``rho = eps*sqrt(d)``.

    Valid for every classifier (the shift of ``z`` by ``rho`` is one admissible perturbation),
    exact for ``eps <= eta`` and ``eps = 2*eta``, and loose otherwise (claim B-FRONTIER-NP).
    """
    dist = check_dist(dist)
    a = check_real("standard_accuracy", standard_accuracy, low=0.0, high=1.0)
    eps = _radius(dist, eps, below_one=False)
    t = eps * math.sqrt(dist.d)

    def g_mu(mu: float) -> float:
        lam = mu / (1.0 - mu)
        return single_shift_support(dist, lam, t) - lam * a

    res = minimize_scalar(g_mu, bounds=(0.0, 1.0 - 1e-7), method="bounded",
                          options={"xatol": 1e-10})
    return float(min(res.fun, g_mu(0.0)))


def erosion_certificate(dist: Distribution, eps, lams, *, cells: int = 6000):
    """The certified bound of :func:`tradeoff.erosion.erosion_upper_bound` for this model:
    ``acc_eps(f) + lam*acc(f) <= U(lam)`` for every classifier ``f`` (``0 < eps < 1``)."""
    from tradeoff.erosion import erosion_upper_bound

    dist = check_dist(dist)
    eps = _radius(dist, eps, below_one=True)
    if dist.p < 0.5:
        raise ValueError(f"the erosion certificate needs p >= 1/2, got p = {dist.p!r}")
    return erosion_upper_bound(dist.p, dist.k, eps * math.sqrt(dist.d), lams, cells=cells)


def certified_upper(dist: Distribution, standard_accuracy: float, eps, *,
                    cells: int = 1500, at_bayes: bool = False) -> tuple[float, float]:
    """``(bound, allowance)``: an upper bound on every classifier's robust accuracy at standard
    accuracy ``>= a``, for ``0 <= eps < 1`` and ``p >= 1/2``.

    The minimum of :func:`upper_frontier` (shift relaxations; exact where :func:`is_proven`)
    and, elsewhere, the lines ``U(lam) - lam*a`` of :func:`erosion_certificate` at the slopes of
    the threshold hull next to ``a`` (and ``lam = 0``, ``p/(1-p)``). ``allowance`` is the
    round-off allowance of the line or relaxation that gives the bound: ``bound + allowance``
    is the valid upper bound (the certificate's own arithmetic error is inside ``U``).
    ``at_bayes`` as in :func:`upper_frontier_with_tolerance` (``a`` is the Bayes accuracy).
    """
    dist = check_dist(dist)
    a = check_real("standard_accuracy", standard_accuracy, low=0.0, high=1.0)
    eps = _radius(dist, eps, below_one=True)
    value, tol = upper_frontier_with_tolerance(dist, a, eps, at_bayes=at_bayes)
    if is_proven(dist, eps) or dist.p < 0.5 or eps == 0.0 or not math.isfinite(value):
        return value, tol
    _, acc, rob, hull = _hull_vertices(dist, eps)
    lams = _hull_slopes(acc[hull], rob[hull], np.array([a]), dist.p)
    cert = erosion_certificate(dist, eps, lams, cells=cells)
    lines = cert.upper - cert.lam * a
    i = int(np.argmin(lines))
    # Round-off of U(lam) - lam*a: a few ulps of its two terms. With slopes up to ~1e9 near the
    # Bayes accuracy this is ~1e-7, far above 1e-12 (soak finding: p = 1 - 1e-16, eta = 0.3,
    # d = 56, eps = 0.75 gave U(p) 1.5e-9 below p).
    line = float(lines[i])
    allowance = 4.0 * _ULP * (abs(float(cert.upper[i])) + float(cert.lam[i]) * a)
    near = _hull_slopes(acc[hull], rob[hull], np.array([a]), dist.p, grid=False)
    shift = float(_shift_lines(dist, eps, near, np.array([a]))[0])
    if shift < line:
        line, allowance = shift, 4.0 * _ULP * (abs(shift) + float(np.max(near)) * a)
    return (line, allowance) if line < value else (value, tol)


_ULP = float(np.finfo(float).eps)


def _shift_lines(dist: Distribution, eps: float, lams: np.ndarray,
                 standard: np.ndarray) -> np.ndarray:
    """``min_lam V_rho(lam) - lam*a`` over ``lams``: the single-shift bound's lines (valid for
    every classifier; where it meets the threshold frontier, the frontier is exact there), with
    the allowance ``1e-12 + 1e-15*lam`` added."""
    t = eps * math.sqrt(dist.d)
    vals = np.array([single_shift_support(dist, float(lm), t) + 1e-12 + 1e-15 * float(lm)
                     for lm in lams])
    return (vals[None, :] - lams[None, :] * standard[:, None]).min(axis=1)


def coin_rule_outcomes(dist: Distribution, eps: float, tau: float, x1, x2, rest, y,
                       ) -> tuple[np.ndarray, np.ndarray]:
    r"""Exact per-sample (correct, robustly correct) of the coin-emulating deterministic rule.

    The rule: if ``x2 > tau`` apply the Bayes threshold rule on ``(sign(x1), z)`` (``+1`` iff
    ``z > -x1 log(p/(1-p))/(2k)``), else predict ``sign(x1)``. ``x2`` acts as a coin that the
    adversary can only nudge by ``eps``.

    Parameters
    ----------
    dist : Distribution
        ``d >= 2`` (``x2`` and at least one more weak coordinate).
    eps : float
        l_inf radius in ``[0, 1)`` (``sign(x1)`` cannot be flipped).
    tau : float
        Coin threshold on ``x2``.
    x1, x2, rest, y : array_like
        Samples: ``x1`` in ``{-1, 1}``, ``x2`` the first weak coordinate, ``rest`` the sum of
        the other ``d - 1`` weak coordinates, ``y`` the label.

    Notes
    -----
    The exact worst case: the adversary moves ``x2`` by ``delta2`` in ``[-eps, eps]`` and ``z``
    by ``(delta2 + S)/sqrt(d)`` with ``|S| <= (d-1) eps``. With ``x1 = -y`` the ``sign(x1)``
    branch is wrong, so the attack wins if ``x2 - eps <= tau`` (send the coin there) or, if the
    Bayes branch is forced, if ``z`` can be moved by ``rho = eps sqrt(d)`` across the threshold.
    With ``x1 = y`` the attack needs the Bayes branch (``x2 + eps > tau``) and the wrong side:
    for ``y = +1`` the lowest reachable ``z`` is ``z + (max(-eps, tau - x2) - (d-1) eps)/sqrt(d)``
    (the coin condition costs ``x2``'s own share of the move), for ``y = -1`` the highest is
    ``z + rho``.
    """
    dist = check_dist(dist)
    if dist.d < 2:
        raise ValueError(f"the coin-emulating rule needs d >= 2, got d = {dist.d}")
    eps = check_real("eps", eps, low=0.0, high=1.0, high_open=True)
    tau = check_real("tau", tau)
    x1, x2, rest, y = (np.asarray(v, dtype=float) for v in (x1, x2, rest, y))
    sd = math.sqrt(dist.d)
    z = (x2 + rest) / sd
    u_b = _bayes_u(dist)
    thr = np.where(x1 > 0, u_b, -u_b)
    bayes_says = np.where(z > thr, 1.0, -1.0)
    standard = np.where(x2 > tau, bayes_says == y, x1 == y)
    rho = eps * sd
    z_low = z + (np.maximum(-eps, tau - x2) - (dist.d - 1) * eps) / sd
    can_bayes = x2 + eps > tau
    wrong_same = can_bayes & np.where(y > 0, z_low <= thr, z + rho > thr)
    forced_bayes = x2 - eps > tau
    wrong_other = ~forced_bayes | np.where(y > 0, z - rho <= thr, z + rho > thr)
    robust = np.where(x1 == y, ~wrong_same, ~wrong_other)
    return standard.astype(bool), robust.astype(bool)


def coin_rule_estimate(dist: Distribution, eps: float, tau: float, n: int, seed: int,
                       alpha: float = 1e-9):
    """Monte Carlo ``(standard, robust)`` accuracy of the coin-emulating rule under its exact
    worst-case attack (:func:`coin_rule_outcomes`), each a Clopper–Pearson
    :class:`tradeoff.montecarlo.Estimate` at level ``1 - alpha``."""
    from tradeoff.montecarlo import Estimate, clopper_pearson

    dist = check_dist(dist)
    n = check_int("n", n, low=1)
    gen = np.random.default_rng(check_int("seed", seed, low=0))
    y = gen.choice(np.array([-1.0, 1.0]), size=n)
    x1 = np.where(gen.random(n) < dist.p, y, -y)
    x2 = gen.standard_normal(n) + dist.eta * y
    rest = math.sqrt(dist.d - 1) * gen.standard_normal(n) + (dist.d - 1) * dist.eta * y
    standard, robust = coin_rule_outcomes(dist, eps, tau, x1, x2, rest, y)
    out = []
    for hits in (int(standard.sum()), int(robust.sum())):
        lo, hi = clopper_pearson(hits, n, alpha)
        out.append(Estimate(hits, n, alpha, lo, hi))
    return tuple(out)


def status(dist: Distribution, eps=None) -> str:
    """``"exact"`` where every step is proved (``eps <= eta``; ``eps = 2*eta < 1``), else
    ``"certified"`` (``0 < eps < 1``: the threshold frontier with a certified optimality gap)."""
    return "exact" if is_proven(dist, eps) else "certified"


# ---------------------------------------------------------------------------------------------
# Tracing the threshold frontier
# ---------------------------------------------------------------------------------------------

def _bayes_u(dist: Distribution) -> float:
    p, k = dist.p, dist.k
    if k == 0 or p in (0.0, 1.0):
        return -math.inf if p >= 0.5 else math.inf
    return -math.log(p / (1 - p)) / (2 * k)


def _robust_u(dist: Distribution, eps: float) -> float:
    """Threshold of the most robust forward rule (B-OPTROBUST's achiever)."""
    p, s = dist.p, dist.k - eps * math.sqrt(dist.d)
    if s <= 0 or p in (0.0, 1.0):
        return -math.inf if p >= 0.5 else math.inf
    return -math.log(p / (1 - p)) / (2 * s)


def _grid(dist: Distribution, eps: float) -> np.ndarray:
    k, e = dist.k, eps * math.sqrt(dist.d)
    centers = [k, -k, k - e, e - k, 0.0]
    # a threshold beyond k + e + 60 gives the same accuracies as +-inf in double precision
    # (Phi(-60) underflows); such centres (k -> 0 or p -> 1 send the Bayes threshold towards
    # -inf, e.g. -1e308) would only overflow the grid arithmetic
    reach = k + e + 60.0
    for u in (_bayes_u(dist), _robust_u(dist, eps)):
        if math.isfinite(u) and abs(u) <= reach:
            centers.append(u)
    parts = [np.linspace(c - 12.0, c + 12.0, 601) for c in centers]
    span = max(abs(c) for c in centers) + 40.0
    parts.append(np.linspace(-span, span, 1201))
    parts.append(np.array([-math.inf, math.inf]))
    return np.unique(np.concatenate(parts))


def _upper_hull(x: np.ndarray, y: np.ndarray) -> list[int]:
    """Indices of the upper concave hull of points sorted by ``x`` (monotone chain)."""
    order = np.lexsort((-y, x))
    hull: list[int] = []
    for i in order:
        if hull and x[hull[-1]] == x[i]:
            continue  # same x: keep the higher y (first in the lexsort)
        while len(hull) >= 2:
            o, a = hull[-2], hull[-1]
            cross = (x[a] - x[o]) * (y[i] - y[o]) - (y[a] - y[o]) * (x[i] - x[o])
            if cross >= 0:
                hull.pop()
            else:
                break
        hull.append(int(i))
    return hull


def _curve_u_for_accuracy(dist: Distribution, a: float, eps: float) -> float:
    """The ``u`` between the most robust and the Bayes threshold with ``acc(u) = a``."""
    lo_u, hi_u = _robust_u(dist, eps), _bayes_u(dist)
    if dist.p < 0.5 or not lo_u <= hi_u:
        raise ValueError("curve parametrization needs p >= 1/2")
    acc_lo = threshold_curve(dist, lo_u, eps)[0]
    acc_hi = threshold_curve(dist, hi_u, eps)[0]
    if a <= acc_lo:
        return lo_u
    if a >= acc_hi:
        return hi_u
    f = lambda u: threshold_curve(dist, u, eps)[0] - a  # noqa: E731
    lo = lo_u if math.isfinite(lo_u) else hi_u - 1.0
    while f(lo) > 0:
        lo = hi_u - 2 * (hi_u - lo)
        if lo < -1e300:
            return -math.inf
    return brentq(f, lo, hi_u, xtol=1e-14, rtol=1e-15, maxiter=500)


@dataclass(frozen=True)
class Frontier:
    """The robustness–accuracy frontier of D(p, eta, d) at one radius (see module notes).

    Attributes
    ----------
    dist, eps :
        The model and the l_inf radius.
    standard : numpy.ndarray
        Standard accuracies ``a_j`` (from the most robust classifier's to the Bayes accuracy).
    robust : numpy.ndarray
        Exact robust accuracy of the achiever at ``a_j`` (a threshold rule or a mixture).
    upper : numpy.ndarray
        Proven upper bound on every classifier's robust accuracy at standard accuracy ``a_j``.
    bound : numpy.ndarray
        Theorem 2.1's ``p/(1-p)*(1 - a_j)`` (meaningful for ``eps >= 2*eta``).
    classifiers : tuple
        The achievers.
    proven : bool
        ``is_proven(dist, eps)``: the threshold frontier is the exact frontier.
    """

    dist: Distribution
    eps: float
    standard: np.ndarray = field(repr=False)
    robust: np.ndarray = field(repr=False)
    upper: np.ndarray = field(repr=False)
    bound: np.ndarray = field(repr=False)
    classifiers: tuple = field(repr=False)
    proven: bool = False
    status: str = "exact"
    certificate_cells: int = 0

    def statement(self) -> str:
        """One paragraph: what this frontier is, and what is proved or certified about it."""
        d, eps = self.dist, self.eps
        head = (f"D(p={d.p:g}, eta={d.eta:.6g}, d={d.d}), eps={eps:.6g} "
                f"(eps/eta={eps / d.eta if d.eta > 0 else math.inf:.4g}), k={d.k:.6g}: ")
        conv = ("achievers: threshold rules on (sign(x1), z) and two-rule mixtures, under the "
                "stated adversary (it knows the mixture's coin)")
        if self.proven:
            return head + ("frontier EXACT (every step proved: eps <= eta, or eps = 2*eta < 1); "
                           + conv)
        gap = float(np.max(self.certified_gap)) if self.standard.size else math.nan
        if self.status == "certified":
            return head + (f"threshold frontier, optimal to within {gap:.2g} (CERTIFIED: "
                           f"erosion bound on {self.certificate_cells} cells, ball arithmetic, "
                           "and single-shift lines; that half-lines are exactly optimal is not "
                           "proved); " + conv)
        return head + (f"threshold frontier (achievable) with an upper bound; gap up to "
                       f"{gap:.2g}; " + conv)

    @property
    def ratio(self) -> np.ndarray:
        """``robust / bound``: how much of Theorem 2.1's allowance the truth uses (nan if 0/0)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.bound > 0, self.robust / self.bound, np.nan)

    @property
    def gap(self) -> np.ndarray:
        """``min(bound, 1) - robust``: how loose Theorem 2.1 is at each standard accuracy."""
        return np.minimum(self.bound, 1.0) - self.robust

    @property
    def certified_gap(self) -> np.ndarray:
        """``upper - robust``: 0 (to round-off) where the frontier is proven exact."""
        return self.upper - self.robust

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["standard_accuracy", "robust_accuracy", "upper_bound",
                         "theorem21_bound", "ratio_to_bound", "achiever"])
        for a, r, up, b, ratio, c in zip(self.standard, self.robust, self.upper, self.bound,
                                         self.ratio, self.classifiers, strict=True):
            writer.writerow([repr(float(a)), repr(float(r)), repr(float(up)), repr(float(b)),
                             repr(float(ratio)), _describe(c)])
        return buf.getvalue()


def _describe(c) -> str:
    if isinstance(c, Mixture):
        parts = [f"{w:.6g}*{_describe(comp)}" for w, comp in zip(c.weights, c.components,
                                                                  strict=True)]
        return "mixture(" + " + ".join(parts) + ")"
    if isinstance(c, ThresholdRule):
        return f"threshold(u_plus={c.u_plus!r}, u_minus={c.u_minus!r})"
    return getattr(c, "name", type(c).__name__)


def _hull_vertices(dist: Distribution, eps: float):
    u = _grid(dist, eps)
    acc, rob = threshold_curve(dist, u, eps)
    hull = _upper_hull(acc, rob)
    # keep the decreasing part: from the most robust vertex to the most accurate one
    top = max(range(len(hull)), key=lambda i: (rob[hull[i]], acc[hull[i]]))
    hull = hull[top:]
    return u, acc, rob, hull


def _achieve(dist: Distribution, eps: float, a: float, u, acc, rob, hull):
    """Best achiever at standard accuracy ``a`` on the hull (rule or two-rule mixture)."""
    hx = acc[hull]
    if a <= hx[0]:
        i = hull[0]
        return threshold_rule(float(u[i])), float(rob[i]), float(acc[i])
    j = int(np.searchsorted(hx, a))
    if j >= len(hull):
        i = hull[-1]
        return threshold_rule(float(u[i])), float(rob[i]), float(acc[i])
    i0, i1 = hull[j - 1], hull[j]
    w = (acc[i1] - a) / (acc[i1] - acc[i0])
    chord = w * rob[i0] + (1 - w) * rob[i1]
    candidates = []
    if dist.p >= 0.5:
        try:
            uc = _curve_u_for_accuracy(dist, a, eps)
            ac, rc = threshold_curve(dist, uc, eps)
            if ac >= a - 1e-13:
                candidates.append((rc, threshold_rule(uc), ac))
        except ValueError:
            pass
    mix = Mixture((threshold_rule(float(u[i0])), threshold_rule(float(u[i1]))),
                  (float(w), float(1 - w)), name="threshold-mixture")
    candidates.append((float(chord), mix, float(w * acc[i0] + (1 - w) * acc[i1])))
    rc, rule, ac = max(candidates, key=lambda t: t[0])
    return rule, float(rc), float(ac)


def achiever(dist: Distribution, standard_accuracy: float, eps=None):
    """The best threshold rule (or mixture of two) with standard accuracy ``>= a``.

    Returns
    -------
    (classifier, robust_accuracy, standard_accuracy)
        The classifier's exact accuracies at radius ``eps`` (default ``2*eta``, must be < 1).
        For ``a`` below the most robust rule's accuracy that rule is returned; above the Bayes
        accuracy a ``ValueError`` is raised.
    """
    dist = check_dist(dist)
    a = check_real("standard_accuracy", standard_accuracy, low=0.0, high=1.0)
    eps = _radius(dist, eps, below_one=True)
    u, acc, rob, hull = _hull_vertices(dist, eps)
    if a > float(np.max(acc)) + 1e-12:
        raise ValueError(f"standard_accuracy must be <= the Bayes accuracy {np.max(acc)!r} "
                         f"of this model, got {a!r}")
    return _achieve(dist, eps, a, u, acc, rob, hull)


def frontier(dist: Distribution, eps=None, n: int = 101, *, cells: int = 6000) -> Frontier:
    """The exact (or threshold-rule) robustness–accuracy frontier at radius ``eps``.

    Parameters
    ----------
    dist : Distribution
    eps : float, optional
        l_inf radius in ``[0, 1)``; default ``2*eta`` (Theorem 2.1's smallest radius).
    n : int
        Number of standard accuracies, evenly spaced from the most robust classifier's accuracy
        to the Bayes accuracy (``n >= 2``; one point if the two coincide).
    cells : int
        Cells of the erosion certificate (:func:`erosion_certificate`) used where the frontier
        is not proved exact; ``0`` skips it (then only the shift relaxations bound it).

    Returns
    -------
    Frontier
        Achievers with their exact robust accuracies, the upper bound (proved, or certified)
        and Theorem 2.1's line at each standard accuracy; ``status`` says which.
    """
    dist = check_dist(dist)
    eps = _radius(dist, eps, below_one=True)
    n = check_int("n", n, low=2)
    u, acc, rob, hull = _hull_vertices(dist, eps)
    a_lo, a_hi = float(acc[hull[0]]), float(acc[hull[-1]])
    targets = np.array([a_lo]) if a_hi - a_lo <= 1e-15 else np.linspace(a_lo, a_hi, n)
    rules, robs, stds, ups = [], [], [], []
    for i, a in enumerate(targets):
        rule, r, s = _achieve(dist, eps, float(a), u, acc, rob, hull)
        rules.append(rule)
        robs.append(r)
        stds.append(s)
        # the last target is the Bayes rule's accuracy: the frontier's end point at A_B
        ups.append(upper_frontier_with_tolerance(dist, min(float(a), 1.0), eps,
                                                 at_bayes=i == len(targets) - 1)[0])
    standard = np.array(stds)
    upper = np.array(ups)
    proven = is_proven(dist, eps)
    cert_cells = 0
    if not proven and dist.p >= 0.5 and cells:
        lams = _hull_slopes(acc[hull], rob[hull], standard, dist.p)
        cert = erosion_certificate(dist, eps, lams, cells=cells)
        lines = cert.upper[None, :] - cert.lam[None, :] * standard[:, None]
        upper = np.minimum(upper, lines.min(axis=1))
        upper = np.minimum(upper, _shift_lines(dist, eps, cert.lam, standard))
        cert_cells = cert.cells
    return Frontier(dist=dist, eps=eps, standard=standard, robust=np.array(robs),
                    upper=upper,
                    bound=np.array([bound_expression(s, dist.p) for s in standard]),
                    classifiers=tuple(rules), proven=proven,
                    status="exact" if proven else "certified" if cert_cells else "bounds",
                    certificate_cells=cert_cells)


_LAM_CERT_MAX = 1e9  # the certificate's round-off allowance grows like lam; k ~ 5 needs lam ~ 1e7


def _hull_slopes(hx: np.ndarray, hy: np.ndarray, targets: np.ndarray, p: float, *,
                 grid: bool = True) -> np.ndarray:
    """Supporting weights ``lam`` of the hull at the targets (both neighbouring chords), with
    ``0``, Theorem 2.1's ``p/(1-p)`` and a geometric grid up to :data:`_LAM_CERT_MAX` (the
    vertical end of the frontier at the Bayes accuracy needs large ``lam``); capped there."""
    out = {0.0, *(np.geomspace(1e-2, _LAM_CERT_MAX, 23).tolist() if grid else [])}
    if p < 1:
        out.add(min(p / (1 - p), _LAM_CERT_MAX))
    dx, dy = np.diff(hx), np.diff(hy)
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = np.where(dx > 0, -dy / dx, np.inf)
    for a in targets:
        j = int(np.searchsorted(hx, a))
        for i in (j - 1, j):
            if 0 <= i < len(slopes) and np.isfinite(slopes[i]) and slopes[i] >= 0:
                out.add(float(min(slopes[i], _LAM_CERT_MAX)))
    return np.array(sorted(out))


# ---------------------------------------------------------------------------------------------
# `tradeoff frontier` command
# ---------------------------------------------------------------------------------------------

def reference_points(dist: Distribution, eps=None, *, seed: int = 0,
                     sample_size: int = 2000) -> list[tuple[str, float, float]]:
    """``(name, standard, robust)`` of the reference classifiers, exact at radius ``eps``:
    f_avg, f_rob, the Bayes rule (linear and on ``(sign(x1), z)``), and, when
    :mod:`tradeoff.svm` is available, the population SVMs (``eps_train = 0`` and ``2*eta``) and
    a sample SVM on ``sample_size`` sufficient statistics."""
    from tradeoff import bayes
    from tradeoff.bounds import f_avg_weights, f_rob_weights
    from tradeoff.linear import robust_accuracy, standard_accuracy

    dist = check_dist(dist)
    eps = _radius(dist, eps, below_one=False)
    out = []

    def linear_point(name, w):
        out.append((name, standard_accuracy(w, dist), robust_accuracy(w, dist, eps)))

    linear_point("f_avg", f_avg_weights(dist.d))
    linear_point("f_rob", f_rob_weights(dist.d))
    if 0.0 < dist.p < 1.0:
        linear_point("bayes (linear)", bayes.bayes_weights(dist))
    rule = bayes.bayes_threshold_rule(dist)
    out.append(("bayes (sign(x1), z)", rule.standard_accuracy(dist),
                rule.robust_accuracy(dist, eps)))
    try:
        from tradeoff import svm
        from tradeoff.montecarlo import derive_seed
    except ImportError:  # pragma: no cover - svm.py is optional for this module
        return out
    for eps_train, name in ((0.0, "population SVM"), (2 * dist.eta, "adv. population SVM")):
        try:
            linear_point(name, svm.population_svm(dist, eps_train))
        except Exception:  # noqa: BLE001 - a failing solver must not break the figure
            pass
    try:
        x1, z, y = dist.sample_sufficient(sample_size, derive_seed("frontier-svm", dist, seed))
        linear_point("sample SVM", svm.sufficient_svm(x1, z, y, dist.d, 0.0))
    except Exception:  # noqa: BLE001
        pass
    return out
