"""Claims about the model itself and its two reference classifiers (docs/theory.md §1–2).

C-ZLAW (sufficient statistic), C-FAVG (the averaging classifier), C-FROB (``sign(x1)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from tradeoff import bounds, linear
from tradeoff.claims._common import (
    ALPHA,
    checked,
    dkw_radius,
    ks_distance_to_normal,
    sample_with_prior,
)
from tradeoff.claims.base import Claim, Outcome
from tradeoff.distribution import Distribution, sufficient_statistic
from tradeoff.montecarlo import derive_seed
from tradeoff.strategies import RadiusCase, dims, distributions, mostly

__all__ = ["CLAIMS", "ZlawCase", "check_favg", "check_frob", "check_zlaw"]

ZLAW_N = 4000
ZLAW_MAX_D = 2000  # the full sampler costs O(n*d); z's law depends on d only through k
ZLAW_EXACT_ROWS = 32  # rows whose statistic is re-summed exactly (math.fsum)


@dataclass(frozen=True)
class ZlawCase:
    """A distribution and the s.d. of the weak noise (1 in the model; 2 for the control)."""

    dist: Distribution
    weak_sd: float = 1.0


def check_zlaw(case) -> Outcome:
    """``y*z ~ N(k, 1)`` for both samplers, and ``z`` is the statistic its definition says.

    - the full sampler :meth:`Distribution.sample` (4,000 draws): ``z`` from
      :func:`sufficient_statistic` equals ``fsum(x_2..x_{d+1})/sqrt(d)`` on the first rows to the
      rounding bound of the sum, and the KS distance of ``y*z`` to ``N(k, 1)`` is within the DKW
      radius at ``alpha = 1e-9``;
    - the sufficient sampler :meth:`Distribution.sample_sufficient`: the same KS test.

    A case with ``weak_sd != 1`` (outside the model) samples with its own helper.
    """
    dist, weak_sd = case.dist, getattr(case, "weak_sd", 1.0)
    seed = derive_seed("C-ZLAW", dist.p, dist.eta, dist.d, weak_sd)
    if weak_sd == 1.0:
        X, y = dist.sample(ZLAW_N, seed)
    else:
        X, y = sample_with_prior(dist, ZLAW_N, 0.5, np.random.default_rng(seed), weak_sd=weak_sd)
    z = checked(sufficient_statistic(X))
    rows = X[:ZLAW_EXACT_ROWS, 1:]
    exact = np.array([math.fsum(r) for r in rows]) / math.sqrt(dist.d)
    # summation error of a float sum of d terms: d ulps of sum|x_i| (then one division)
    allowed = (dist.d + 2) * np.finfo(float).eps * np.abs(rows).sum(axis=1) / math.sqrt(dist.d)
    sum_slack = float(np.min(allowed - np.abs(z[:ZLAW_EXACT_ROWS] - exact)))
    radius = dkw_radius(ZLAW_N, ALPHA)
    ks_full = ks_distance_to_normal(y * z, dist.k)
    ks_suff = 0.0
    if weak_sd == 1.0:
        _, z_s, y_s = dist.sample_sufficient(ZLAW_N, seed + 1)
        ks_suff = ks_distance_to_normal(y_s * checked(z_s), dist.k)
    ks = max(ks_full, ks_suff)
    # the slack is the law test's; the exact-sum comparison only speaks when it fails
    slack = radius - ks if sum_slack >= 0 else sum_slack
    return Outcome(slack >= 0, slack,
                   f"KS distance {ks_full:.4f} (full sampler), {ks_suff:.4f} (sufficient) vs DKW "
                   f"radius {radius:.4f} (alpha={ALPHA:g}); statistic vs exact sum slack "
                   f"{sum_slack:.3g}")


def check_favg(case) -> Outcome:
    """f_avg: exact linear accuracy equals Phi(k) and Phi((eta-eps)sqrt(d)); > 0.99 / < 0.01."""
    dist, eps = case.dist, case.eps
    w = bounds.f_avg_weights(dist.d)
    acc = checked(linear.standard_accuracy(w, dist))
    acc_eps = checked(linear.robust_accuracy(w, dist, eps))
    acc_2eta = checked(linear.robust_accuracy(w, dist, 2 * dist.eta))
    closed = (bounds.f_avg_accuracy(dist), bounds.f_avg_accuracy(dist, eps),
              bounds.f_avg_accuracy(dist, 2 * dist.eta))
    gap = max(abs(acc - closed[0]), abs(acc_eps - closed[1]), abs(acc_2eta - closed[2]))
    tol = 1e-12
    slack = min(acc - 0.99, 0.01 - acc_2eta) if gap <= tol else tol - gap
    note = f"acc={acc:.6f}, acc_eps={acc_eps:.6g}, acc_2eta={acc_2eta:.3g}, gap to closed {gap:.2g}"
    return Outcome(gap <= tol and acc > 0.99 and acc_2eta < 0.01, slack, note)


def check_frob(case) -> Outcome:
    """f_rob = sign(x1): standard and l_inf-robust accuracy both equal p (sigma = 0 branch), as
    :func:`tradeoff.bounds.f_rob_accuracy` says."""
    dist, eps = case.dist, case.eps
    w = bounds.f_rob_weights(dist.d)
    acc = checked(linear.standard_accuracy(w, dist))
    rob = checked(linear.robust_accuracy(w, dist, eps))
    closed = bounds.f_rob_accuracy(dist, eps if eps < 1.0 else 0.0)  # its range is eps < 1
    gap = max(abs(acc - dist.p), abs(rob - dist.p), abs(closed - dist.p))
    return Outcome(gap <= 1e-15, 1e-15 - gap,
                   f"acc={acc!r}, robust={rob!r}, closed form={closed!r}, p={dist.p!r}")


def _zlaw_cases():
    @st.composite
    def interior(draw):
        d = draw(st.integers(1, ZLAW_MAX_D))
        k = draw(st.floats(0.05, 10.0))
        return ZlawCase(Distribution(draw(st.floats(0.0, 1.0)), k / math.sqrt(d), d))

    edges = distributions(p_low=0.0, p_high=1.0, exclude_p_high=False,
                          max_d=ZLAW_MAX_D).map(ZlawCase)
    return mostly(interior(), edges)


def _zlaw_informative(case) -> bool:
    """0 < k <= 10: the mean of y*z is not 0, and a misplaced mean or scale shows in the KS
    distance (for huge k the law is checked far in the tails only)."""
    return 0.0 < case.dist.k <= 10.0 * (1 + 1e-12)


def _favg_cases():
    @st.composite
    def interior(draw):
        d = draw(dims())
        k = draw(st.one_of(st.just(3.0), st.floats(3.0, 4.5)))
        dist = Distribution(draw(st.floats(0.0, 1.0)), k / math.sqrt(d), d)
        return RadiusCase(dist, draw(st.floats(0.0, 3.0 * dist.eta)))

    edges = st.builds(RadiusCase,
                      distributions(p_low=0.0, p_high=1.0, exclude_p_high=False, k_min=3.0),
                      st.one_of(st.just(0.0), st.floats(0.0, 10.0)))
    return mostly(interior(), edges)


def _favg_informative(case) -> bool:
    return case.dist.k <= 4.5


def _frob_cases():
    @st.composite
    def interior(draw):
        dist = Distribution(draw(st.floats(0.01, 0.99)), draw(st.floats(0.01, 3.0)),
                            draw(dims()))
        return RadiusCase(dist, draw(st.floats(0.0, 1.0, exclude_min=True, exclude_max=True)))

    edges = st.builds(RadiusCase,
                      distributions(p_low=0.0, p_high=1.0, exclude_p_high=False),
                      st.one_of(st.just(0.0), st.just(math.nextafter(1.0, 0.0)),
                                st.floats(0.0, 1.0, exclude_max=True)))
    return mostly(interior(), edges)


def _frob_informative(case) -> bool:
    return 0.0 < case.dist.p < 1.0 and case.dist.eta > 0 and 0.0 < case.eps < 1.0


CLAIMS = [
    Claim(
        id="C-ZLAW",
        title="Law of the sufficient statistic",
        statement="z = sum_{i>=2} x_i / sqrt(d) satisfies y*z ~ N(eta*sqrt(d), 1).",
        source="eq. (3), p. 4; App. D",
        hypotheses="0 <= p <= 1, eta >= 0, d >= 1 (weak features N(eta*y, 1))",
        cases=_zlaw_cases,
        check=check_zlaw,
        witness=lambda: ZlawCase(Distribution(0.95, 0.3, 100)),
        negative_control=lambda: ZlawCase(Distribution(0.95, 0.3, 100), weak_sd=2.0),
        control_note="weak features with standard deviation 2 (outside the model)",
        kind="monte-carlo",
        code=("tradeoff.distribution.Distribution.sample",
              "tradeoff.distribution.Distribution.sample_sufficient",
              "tradeoff.distribution.sufficient_statistic"),
        informative=_zlaw_informative,
        informative_region="0 < k <= 10 (y*z has a nonzero mean that the KS test resolves)",
    ),
    Claim(
        id="C-FAVG",
        title="The averaging classifier is accurate but not robust",
        statement=("f_avg(x) = sign(mean(x_2..x_{d+1})) has acc = Phi(k) > 0.99 once "
                   "eta >= 3/sqrt(d); at l_inf radius eps, acc_eps = Phi((eta - eps)*sqrt(d)), "
                   "so acc_{2 eta} = Phi(-k) < 0.01."),
        source="Section 2.1, p. 4",
        hypotheses="0 <= p <= 1, d >= 1, eta >= 3/sqrt(d), eps >= 0",
        cases=_favg_cases,
        check=check_favg,
        witness=lambda: RadiusCase(Distribution(0.95, 3.0 / 10.0, 100), 0.6),
        witness_note="k = 3 exactly: Phi(3) = 0.99865",
        negative_control=lambda: RadiusCase(Distribution(0.95, 2.0 / 10.0, 100), 0.4),
        control_note="eta = 2/sqrt(d) < 3/sqrt(d): Phi(2) = 0.977 < 0.99",
        code=("tradeoff.bounds.f_avg_weights", "tradeoff.bounds.f_avg_accuracy",
              "tradeoff.linear.standard_accuracy", "tradeoff.linear.robust_accuracy"),
        informative=_favg_informative,
        informative_region="3 <= k <= 4.5 (accuracy within 0.0099 of the 0.99 threshold)",
    ),
    Claim(
        id="C-FROB",
        title="sign(x1) is robust with accuracy p",
        statement="f_rob(x) = sign(x1) has acc = acc_eps = p for every l_inf radius eps < 1.",
        source="Section 2.1, p. 4",
        hypotheses="0 <= p <= 1, eta >= 0, d >= 1, 0 <= eps < 1",
        cases=_frob_cases,
        check=check_frob,
        witness=lambda: RadiusCase(Distribution(0.95, 0.3, 100), math.nextafter(1.0, 0.0)),
        witness_note="eps one ulp below 1",
        negative_control=lambda: RadiusCase(Distribution(0.95, 0.3, 100), 1.0),
        control_note="eps = 1: x1 can be moved to 0, predicted -1 (robust accuracy p/2)",
        code=("tradeoff.bounds.f_rob_weights", "tradeoff.bounds.f_rob_accuracy",
              "tradeoff.linear.standard_accuracy", "tradeoff.linear.robust_accuracy"),
        informative=_frob_informative,
        informative_region="0 < p < 1, eta > 0, 0 < eps < 1",
    ),
]
