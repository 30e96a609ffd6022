r"""B-FRONTIER's one-dimensional erosion problem, and a certified bound on it.

After the reduction of :mod:`tradeoff.frontier` (every classifier on D(p, eta, d) is, for the
interval adversary ``|dz| <= rho = eps*sqrt(d)``, an average of rules on ``(sign(x1), z)``), each
value of ``sign(x1)`` poses the same problem on the line. Write ``a(z) = p*phi(z - k)`` and
``b(z) = (1-p)*phi(z + k)`` (the two classes' weights, ``k = eta*sqrt(d)``). A decision set
``A`` (predict +1 on ``A``) has

.. math::
    \mathrm{acc}(A) = \int_A a + \int_{A^c} b, \qquad
    \mathrm{rob}(A) = \int_{A \ominus \rho} a + \int_{(A \oplus \rho)^c} b,

where ``A - rho`` (erosion) is the set of ``z`` with ``[z - rho, z + rho]`` inside ``A`` and
``A + rho`` the dilation. The frontier is the upper concave hull of ``{(acc(A), rob(A))}``, so
everything reduces to the support values ``J*(lam) = sup_A rob(A) + lam*acc(A)``, ``lam >= 0``.

Half-lines ``A = (u, inf)`` give ``acc = p Phi(k-u) + (1-p) Phi(k+u)`` and
``rob = p Phi(k-rho-u) + (1-p) Phi(k-rho+u)`` (:func:`half_line_value`). Whether they are optimal
among *all* measurable sets is not proved here. This module bounds the difference rigorously:

:func:`erosion_upper_bound` (certified)
    Cut the line into cells of a dyadic width ``h`` aligned with the Bayes point (where
    ``a = b``), with ``m = floor(rho/h)``. For any measurable ``A`` label a cell ``+`` if ``A``
    contains it (up to a null set), ``-`` if it misses it, mixed otherwise. A point of cell ``j``
    that is robustly ``+`` has ``[z - rho, z + rho]`` inside ``A``, and that interval contains
    the cells ``j-m+1 .. j+m-1``, which are therefore ``+``. Crediting a cell's whole mass
    whenever that window is ``+`` (and ``max(a, b)`` of a mixed cell's mass for accuracy) gives a
    value ``>=`` the set's; a mixed cell is then dominated by the label of the larger density (the
    grid is aligned with the Bayes point, so ``a - b`` has one sign on each cell), so the relaxed
    maximum is over ``+/-`` labelings. A dynamic program over alternating runs solves it exactly
    in ``O(cells)`` per ``lam`` (running maxima). The masses are ``arb`` balls of ``Phi``
    (python-flint); the float dynamic program carries an explicit round-off allowance, the mass
    outside the grid is credited in full. The result ``U(lam) >= J*(lam)``.
:func:`grid_union_value` (exact values of actual sets)
    The same dynamic program over every finite union of grid cells, scored with the *true*
    erosion: the best realizable value on the grid, ``<= J*(lam)``. It is the study's "search
    over all finite unions of intervals": independent of the half-line formulas.

So ``half_line_value(lam) <= J*(lam) <= U(lam)``; ``U - half_line_value`` is the certified
optimality gap of half-lines, ``O(h)`` (the relaxation credits one cell too many at each end
of a run). References: Tsipras et al. (2019), App. C (the shift argument this refines); claims
B-FRONTIER, B-FRONTIER-ACHIEVE; docs/beyond/frontier.md.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import ndtr

from tradeoff._validation import check_int, check_real

__all__ = [
    "ErosionBound",
    "erosion_upper_bound",
    "grid_union_value",
    "half_line_point",
    "half_line_value",
]

_TAIL = 9.0  # grid reaches k + rho + 9 on each side: outside mass <= 2*Phi(-9) ~ 2e-19
_ROUNDOFF_ULPS = 24.0


def _check_problem(p: object, k: object, rho: object) -> tuple[float, float, float]:
    p = check_real("p", p, low=0.5, high=1.0, high_open=True)
    k = check_real("k", k, low=0.0)
    rho = check_real("rho", rho, low=0.0)
    return p, k, rho


def _check_lams(lam: object) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(lam, dtype=float))
    if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"lam must be finite and >= 0 (a number or a 1-D array), got {lam!r}")
    return arr


def half_line_point(p: float, k: float, rho: float, u) -> tuple:
    r"""``(acc, rob)`` of the half-line ``A = (u, inf)`` in the 1-D problem (vectorized in ``u``).

    ``acc = p Phi(k-u) + (1-p) Phi(k+u)``, ``rob = p Phi(k-rho-u) + (1-p) Phi(k-rho+u)``;
    ``u = -inf`` is ``A = R`` (``(p, p)``), ``u = +inf`` is ``A = {}``.
    """
    p, k, rho = _check_problem(p, k, rho)
    arr = np.asarray(u, dtype=float)
    if np.isnan(arr).any():
        raise ValueError("u must not contain NaN")
    acc = p * ndtr(k - arr) + (1 - p) * ndtr(k + arr)
    rob = p * ndtr(k - rho - arr) + (1 - p) * ndtr(k - rho + arr)
    return acc, rob


def half_line_value(p: float, k: float, rho: float, lam) -> tuple[np.ndarray, np.ndarray]:
    r"""``max_u rob(u) + lam*acc(u)`` over half-lines ``(u, inf)``, ``u`` in ``[-inf, inf]``.

    Reversed half-lines ``(-inf, u)`` are dominated term by term for ``p >= 1/2, k >= 0`` (the
    forward rule at ``-u`` has every ``Phi`` argument larger by ``2k``), so they are omitted.

    Returns
    -------
    (values, thresholds) : arrays over ``lam``
        Each value is attained by the returned threshold (a lower bound on ``J*(lam)``).
    """
    p, k, rho = _check_problem(p, k, rho)
    lams = _check_lams(lam)
    span = k + rho + 40.0
    grid = np.concatenate([np.linspace(-span, span, 4001), [-math.inf, math.inf]])
    acc, rob = half_line_point(p, k, rho, grid)
    values, thresholds = np.empty(lams.size), np.empty(lams.size)
    for i, lm in enumerate(lams):
        j = int(np.argmax(rob + lm * acc))
        best, u_best = float(rob[j] + lm * acc[j]), float(grid[j])
        if math.isfinite(u_best):
            step = 2 * span / 4000

            def neg(u: float, lm: float = lm) -> float:
                a_, r_ = half_line_point(p, k, rho, u)
                return -float(r_ + lm * a_)

            res = minimize_scalar(neg, bounds=(u_best - step, u_best + step), method="bounded",
                                  options={"xatol": 1e-13})
            if -res.fun > best:
                best, u_best = -float(res.fun), float(res.x)
        values[i], thresholds[i] = best, u_best
    return values, thresholds


def _bayes_point(p: float, k: float) -> float:
    if k == 0.0:
        return math.inf
    return -math.log(p / (1 - p)) / (2 * k) if p < 1 else -math.inf


def _runs_dp(lams: np.ndarray, acc_a, acc_b, lo_a, hi_a, lo_b, hi_b) -> np.ndarray:
    """Max over alternating runs of cells of ``sum`` run values (vectorized over ``lams``).

    A ``+`` run of cells ``s..e`` scores ``lam*(acc_a[e+1] - acc_a[s]) +
    max(0, hi_a[e] - lo_a[s])``; a ``-`` run the same with ``b``. Running maxima over the
    start ``s`` make it ``O(cells)``.
    """
    n = len(acc_a) - 1
    neg = np.full(lams.size, -math.inf)
    mp1, mp2, mm1, mm2 = neg.copy(), neg.copy(), neg.copy(), neg.copy()
    vp_prev = vm_prev = np.zeros(lams.size)
    for e in range(n):
        base_p = (0.0 if e == 0 else vm_prev) - lams * acc_a[e]
        base_m = (0.0 if e == 0 else vp_prev) - lams * acc_b[e]
        mp1 = np.maximum(mp1, base_p)
        mp2 = np.maximum(mp2, base_p - lo_a[e])
        mm1 = np.maximum(mm1, base_m)
        mm2 = np.maximum(mm2, base_m - lo_b[e])
        vp = lams * acc_a[e + 1] + np.maximum(mp1, mp2 + hi_a[e])
        vm = lams * acc_b[e + 1] + np.maximum(mm1, mm2 + hi_b[e])
        vp_prev, vm_prev = vp, vm
    return np.maximum(vp_prev, vm_prev)


@dataclass(frozen=True)
class ErosionBound:
    """A certified bound ``J*(lam) <= upper`` and the half-line value ``<= J*(lam)``.

    Attributes
    ----------
    p, k, rho : float
        The 1-D problem.
    lam : numpy.ndarray
        Weights on standard accuracy.
    upper : numpy.ndarray
        ``U(lam)``: certified upper bound on ``sup_A rob(A) + lam*acc(A)`` over all measurable
        sets (round-off allowance and the mass outside the grid included).
    half_line : numpy.ndarray
        Best half-line value (attained; a lower bound on the supremum).
    cell_width : float
        ``h`` (a power of two); ``m = floor(rho/h)`` cells make the erosion window.
    cells, window : int
        Number of cells and ``m``.
    """

    p: float
    k: float
    rho: float
    lam: np.ndarray = field(repr=False)
    upper: np.ndarray = field(repr=False)
    half_line: np.ndarray = field(repr=False)
    cell_width: float = 0.0
    cells: int = 0
    window: int = 0

    @property
    def gap(self) -> np.ndarray:
        """``upper - half_line``: how much any set can beat the best half-line, at most."""
        return self.upper - self.half_line


def erosion_upper_bound(p: float, k: float, rho: float, lam, *,
                        cells: int = 6000) -> ErosionBound:
    r"""Certified upper bound on ``sup_A rob(A) + lam*acc(A)`` over all measurable ``A``.

    Parameters
    ----------
    p : float
        In ``[1/2, 1)``.
    k : float
        ``eta*sqrt(d) >= 0``.
    rho : float
        Adversary's reach on ``z``, ``eps*sqrt(d) > 0``.
    lam : float or array_like
        Weights ``>= 0`` (the dynamic program runs once for all of them).
    cells : int
        Target number of cells on ``[-k-rho-9, k+rho+9]`` (the width is the largest power of
        two giving at least this many and at most ``rho``).

    Returns
    -------
    ErosionBound

    Notes
    -----
    See the module notes for the relaxation. Round-off: every ``Phi`` value is an ``arb`` ball
    converted to its midpoint (error ``<= radius + ulp/2``); a run of the program uses four such
    values (two with weight ``lam``, two with weight 1: error ``<= (2 + 2 lam)(radius + ulp)``)
    and about six float operations on numbers of size ``<= 3(1 + lam)`` (error
    ``<= 18 (1 + lam) ulp``), and a path has at most ``cells`` runs, so
    ``cells*(1 + lam)*(2*radius + 24 ulp)`` bounds the float error of ``U``; it is added.
    """
    p, k, rho = _check_problem(p, k, rho)
    if rho <= 0:
        raise ValueError(f"rho must be > 0 for the erosion bound, got {rho!r}")
    cells = check_int("cells", cells, low=16)
    lams = _check_lams(lam)
    grid = _certified_grid(p, k, rho, cells)
    if grid is None:
        return _trivial_bound(p, k, rho, lams)
    acc_a, acc_b, rad, tail, h, m = grid
    n = len(acc_a) - 1
    idx = np.arange(n)
    # + run s..e: credited cells s+m-1 .. e-m+1, with wildcards past the grid's ends
    lo_a = acc_a[np.minimum(idx + m - 1, n)]
    hi_a = acc_a[np.clip(idx - m + 2, 0, n)]
    lo_b = acc_b[np.minimum(idx + m - 1, n)]
    hi_b = acc_b[np.clip(idx - m + 2, 0, n)]
    lo_a[0], lo_b[0] = acc_a[0], acc_b[0]
    hi_a[-1], hi_b[-1] = acc_a[-1], acc_b[-1]
    value = _runs_dp(lams, acc_a, acc_b, lo_a, hi_a, lo_b, hi_b)
    ulp = 2.0**-52
    allowance = n * (1 + lams) * (2 * rad + _ROUNDOFF_ULPS * ulp)
    upper = value + (1 + lams) * tail + allowance
    half, _ = half_line_value(p, k, rho, lams)
    return ErosionBound(p=p, k=k, rho=rho, lam=lams, upper=upper, half_line=half,
                        cell_width=h, cells=n, window=m)


@functools.lru_cache(maxsize=32)
def _certified_grid(p: float, k: float, rho: float, cells: int):
    """Cumulative masses ``p Phi(z_j - k)``, ``(1-p) Phi(z_j + k)`` at the cell ends (midpoints of
    ``arb`` balls; largest radius ``rad``), the mass outside the grid (upper end), ``h`` and
    ``m``; ``None`` when ``rho`` is too small for a grid of at most 400000 cells."""
    import flint

    lo, hi = -k - rho - _TAIL, k + rho + _TAIL
    width = hi - lo
    if not rho * _MAX_CELLS > width:  # the grid would need more than _MAX_CELLS cells (and a
        return None                   # denormal rho would overflow the cell index)
    h = 2.0 ** math.floor(math.log2(min(width / cells, rho)))
    m = int(math.floor(rho / h))  # exact: h is a power of two
    u_b = _bayes_point(p, k)
    center = u_b if lo < u_b < hi else 0.0
    j0 = int(math.ceil((center - lo) / h))
    n = j0 + int(math.ceil((hi - center) / h))
    if n > _MAX_CELLS:
        return None
    with flint.ctx.workprec(96):
        c_b, h_b, k_b, p_b = flint.arb(center), flint.arb(h), flint.arb(k), flint.arb(p)
        root2 = flint.arb(2).sqrt()
        zs = [c_b + (j - j0) * h_b for j in range(n + 1)]
        cdf_a = [p_b * ((-(z - k_b) / root2).erfc() / 2) for z in zs]
        cdf_b = [(1 - p_b) * ((-(z + k_b) / root2).erfc() / 2) for z in zs]
        rad = max(float(x.rad()) for x in (*cdf_a, *cdf_b))
        acc_a = np.array([float(x.mid()) for x in cdf_a])
        acc_b = np.array([float(x.mid()) for x in cdf_b])
        tail = float((cdf_a[0] + (p_b - cdf_a[-1]) + cdf_b[0] + (1 - p_b - cdf_b[-1])).upper())
    acc_a.flags.writeable = False
    acc_b.flags.writeable = False
    return acc_a, acc_b, rad, tail, h, m


_MAX_CELLS = 400_000


def _trivial_bound(p: float, k: float, rho: float, lams: np.ndarray) -> ErosionBound:
    """``rob(A) <= acc(A) <= A_B`` (a robustly correct point is correct): ``U = (1+lam) A_B``,
    for ``rho`` too small for a grid (``rho < width/400000``); then ``k < rho`` is tiny too and
    ``A_B - p`` is negligible."""
    import flint

    with flint.ctx.workprec(96):
        p_b, k_b = flint.arb(p), flint.arb(k)
        root2 = flint.arb(2).sqrt()
        if k == 0.0:
            a_b = p_b
        else:
            u_b = -(p_b / (1 - p_b)).log() / (2 * k_b)
            a_b = (p_b * ((-(k_b - u_b) / root2).erfc() / 2)
                   + (1 - p_b) * ((-(k_b + u_b) / root2).erfc() / 2))
        a_hi = float(a_b.upper()) + 2.0**-52
    half, _ = half_line_value(p, k, rho, lams)
    return ErosionBound(p=p, k=k, rho=rho, lam=lams, upper=(1 + lams) * a_hi, half_line=half,
                        cell_width=math.inf, cells=0, window=0)


def grid_union_value(p: float, k: float, rho: float, lam, *, cells: int = 4000,
                     span: float | None = None) -> np.ndarray:
    r"""Best ``rob(A) + lam*acc(A)`` over every finite union ``A`` of cells of a uniform grid.

    The grid has ``cells`` cells on ``[-span, span]`` (default ``k + rho + 9``); the first and
    last cells extend to ``-inf`` and ``+inf``. Each union is scored exactly (true erosion by
    ``rho``, float ``Phi``), so the result is a value some classifier attains: a lower bound on
    ``J*(lam)``, computed without the half-line formulas (the independent search of the study).
    """
    p, k, rho = _check_problem(p, k, rho)
    cells = check_int("cells", cells, low=2)
    lams = _check_lams(lam)
    span = k + rho + _TAIL if span is None else check_real("span", span, low=0.0, low_open=True)
    z = np.linspace(-span, span, cells + 1)
    z[0], z[-1] = -math.inf, math.inf
    acc_a, acc_b = p * ndtr(z - k), (1 - p) * ndtr(z + k)
    lo_a, hi_a = p * ndtr(z[:-1] + rho - k), p * ndtr(z[1:] - rho - k)
    lo_b, hi_b = (1 - p) * ndtr(z[:-1] + rho + k), (1 - p) * ndtr(z[1:] - rho + k)
    return _runs_dp(lams, acc_a, acc_b, lo_a, hi_a, lo_b, hi_b)
