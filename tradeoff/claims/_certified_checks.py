r"""Certified (ball-arithmetic) accuracies of the exact classifier families, for the checkers.

Where a float comparison would need a slack larger than :data:`tradeoff.claims._common.ABS_TOL`
(Theorem 2.1's factor ``p/(1-p)`` magnifies an error of one ulp in the accuracy to about 1 at
``p = 1 - 2^-53``), the checkers of C-2.1 and C-2.1-TIGHT decide with these balls instead of
widening the slack. Linear rules use :func:`tradeoff.certified.certified_accuracy`; threshold
rules on ``(sign(x1), z)`` are evaluated here from their definition (Appendix C's ``p_ij``
conditionals, ``z ~ N(y k, 1)``) with normal tails evaluated by end points (:func:`_Phi`); mixtures
average.
Theorem 2.1's slack is formed from *error* balls (sums of normal tails), which stay relatively
accurate when the error is far below the ulp of 1.
"""

from __future__ import annotations

import math

import numpy as np

from tradeoff import certified
from tradeoff.classifiers import LinearRule, Mixture, ThresholdRule
from tradeoff.distribution import Distribution

__all__ = ["accuracy_ball", "error_ball", "theorem21_gap"]


TAIL_PREC = 448
"""Bits for the normal tails: arb's ``erfc`` of a ball far out (``Phi(-185364)``, about
``1e-7461179197``) returns no digits at 212 bits, even at an exact argument."""


def _Phi(x):  # noqa: N802  (the paper's symbol)
    """``Phi`` of a ball, by monotonicity: the union of ``Phi`` at the ball's two end points,
    each evaluated at :data:`TAIL_PREC` bits (an exact argument, so no derivative bound)."""
    import flint

    with flint.ctx.workprec(TAIL_PREC):
        root2 = flint.arb(2).sqrt()
        ends = [(-flint.arb(e) / root2).erfc() / 2 for e in (x.lower(), x.upper())]
        return ends[0].union(ends[1])


def _threshold_error_ball(rule: ThresholdRule, dist: Distribution, eps: float,
                          correct: bool = False):
    """Exact l_inf-robust (``eps = 0``: standard) error ``1 - acc`` of a threshold rule, as a
    ball (sums of normal tails: relatively accurate however small).

    Given ``y`` and ``x1 = s*y``, the adversary moves ``z`` by at most ``eps*sqrt(d)`` and can
    flip the branch ``sign(x1)`` only with ``|delta_1| >= 1`` (from ``x1 = +1``) or ``> 1``
    (from ``x1 = -1``, since ``sign(0)`` takes the ``-`` branch). The point is robustly correct
    iff every reachable branch classifies the whole z-interval ``[z - e, z + e]`` as ``y``.
    """
    import flint

    with certified._prec():
        e = flint.arb(eps) * flint.arb(dist.d).sqrt()
        k = flint.arb(dist.eta) * flint.arb(dist.d).sqrt()
        error = flint.arb(0)
        for y in (1, -1):
            for s, weight in ((1, flint.arb(dist.p)), (-1, 1 - flint.arb(dist.p))):
                x1 = s * y
                branches = [1 if x1 > 0 else -1]
                if (eps >= 1.0) if x1 > 0 else (eps > 1.0):
                    branches.append(-branches[0])
                lo, hi = -math.inf, math.inf  # bounds on z - y k as (float threshold, ball)
                lo_b = hi_b = None
                for branch in branches:
                    u = rule.u_plus if branch > 0 else rule.u_minus
                    fwd = rule.forward_plus if branch > 0 else rule.forward_minus
                    if (y > 0) == fwd:  # correct above u: z > u + e
                        if u == math.inf:
                            lo = math.inf
                        elif u > -math.inf:
                            cand = flint.arb(u) + e
                            lo_b = cand if lo_b is None else _max(lo_b, cand)
                    else:  # correct below u: z < u - e
                        if u == -math.inf:
                            hi = -math.inf
                        elif u < math.inf:
                            cand = flint.arb(u) - e
                            hi_b = cand if hi_b is None else _min(hi_b, cand)
                empty = lo == math.inf or hi == -math.inf or (
                    lo_b is not None and hi_b is not None and (hi_b - lo_b).upper() <= 0)
                if empty:
                    error += 0 if correct else weight / 2
                    continue
                mean = y * k
                if correct:  # P(lo < z < hi) = Phi(hi - mean) - Phi(lo - mean), tail forms alone
                    if lo_b is None:
                        prob = flint.arb(1) if hi_b is None else _Phi(hi_b - mean)
                    elif hi_b is None:
                        prob = _Phi(mean - lo_b)
                    else:
                        prob = _Phi(hi_b - mean) - _Phi(lo_b - mean)
                else:  # the two tails Phi(lo - mean) + Phi(mean - hi)
                    below = flint.arb(0) if lo_b is None else _Phi(lo_b - mean)
                    above = flint.arb(0) if hi_b is None else _Phi(mean - hi_b)
                    prob = below + above
                error += weight * prob / 2
        return error


def _max(a, b):
    return a if (a - b).lower() >= 0 else b if (b - a).lower() >= 0 else a.union(b)


def _min(a, b):
    return a if (b - a).lower() >= 0 else b if (a - b).lower() >= 0 else a.union(b)


def _linear_error_ball(f: LinearRule, dist: Distribution, eps: float, correct: bool = False):
    """Exact l_inf-robust (``eps = 0``: standard) error of ``sign(w.x + b)`` as a ball, from the
    reduced statistics ``m = eta sum(w_rest)``, ``sigma = ||w_rest||_2``, ``r = eps ||w||_1``:
    ``1/2 sum_y sum_s pi_s Phi(-(w1 s + m + y b - r)/sigma)`` (a score of 0 predicts -1 when
    ``sigma = 0``), each term a normal tail, relatively accurate however small."""
    import flint

    w = np.asarray(f.w, dtype=float)
    with certified._prec():
        rest = [flint.arb(float(v)) for v in w[1:]]
        m = flint.arb(dist.eta) * sum(rest, flint.arb(0))
        ssq = sum((v * v for v in rest), flint.arb(0))
        sigma = ssq.sqrt() if not ssq.is_zero() else flint.arb(0)
        r = flint.arb(eps) * sum((abs(flint.arb(float(v))) for v in w), flint.arb(0))
        pb = flint.arb(dist.p)
        error = flint.arb(0)
        for y in (1, -1):
            for s, weight in ((1, pb), (-1, 1 - pb)):
                mu = flint.arb(float(w[0])) * s + m + y * flint.arb(float(f.b)) - r
                if sigma.is_zero():
                    wrong = mu <= 0 if y > 0 else mu < 0  # arb comparisons are "certainly"
                    right = mu > 0 if y > 0 else mu >= 0
                    if correct:
                        wrong, right = right, wrong
                    term = flint.arb(1) if wrong else flint.arb(0) if right else flint.arb(
                        "0.5 +/- 0.5")
                else:
                    term = _Phi(mu / sigma if correct else -mu / sigma)
                error += weight * term / 2
        return error


def error_ball(f, dist: Distribution, eps: float = 0.0, *, correct: bool = False):
    """Certified l_inf-robust error ``1 - acc_eps`` (standard at ``eps = 0``) of an exact
    classifier, or with ``correct=True`` its accuracy, each as a sum of normal tails (relatively
    accurate however small); ``None`` for a family without a certified evaluation."""
    if isinstance(f, LinearRule):
        return _linear_error_ball(f, dist, eps, correct)
    if isinstance(f, ThresholdRule):
        return _threshold_error_ball(f, dist, eps, correct)
    if isinstance(f, Mixture):
        balls = [error_ball(c, dist, eps, correct=correct) for c in f.components]
        if any(b is None for b in balls):
            return None
        with certified._prec() as flint:
            return sum((flint.arb(w) * b for w, b in zip(f.weights, balls, strict=True)),
                       flint.arb(0))
    return None


def accuracy_ball(f, dist: Distribution, eps: float = 0.0):
    """Certified l_inf-robust accuracy (standard at ``eps = 0``) of an exact classifier, or
    ``None`` for a family without a certified evaluation (neural networks)."""
    if isinstance(f, LinearRule):  # tradeoff.certified's ball (a route independent of ours)
        return certified.certified_accuracy(f.w, dist.p, dist.eta, eps, "inf", f.b)
    err = error_ball(f, dist, eps)
    if err is None:
        return None
    with certified._prec():
        return 1 - err


def theorem21_gap(f, dist: Distribution, eps: float):
    """``(gap, acc, rob)`` balls: Theorem 2.1's slack ``p/(1-p)(1 - acc) - acc_eps`` of ``f``,
    or ``None`` when ``f`` has no certified evaluation.

    The slack is formed as ``(p * err - (1 - p) * rob) / (1 - p)`` from tail sums (the error
    and the robust accuracy), never from ``1 - acc``: near ``p = 1`` the error can be ``1e-66``
    while the factor ``p/(1-p)`` is ``9e15``, and ``1 - acc`` of a ball around 1 would lose
    it."""
    err = error_ball(f, dist, 0.0)
    rob = error_ball(f, dist, eps, correct=True)
    if err is None or rob is None:
        return None
    with certified._prec() as flint:
        pb = flint.arb(dist.p)
        gap = (pb * err - (1 - pb) * rob) / (1 - pb)
        return gap, 1 - err, rob
