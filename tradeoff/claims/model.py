"""Claims about the model itself and its two reference classifiers (theory.md §1–2).

C-ZLAW (sufficient statistic), C-FAVG (the averaging classifier), C-FROB (``sign(x1)``).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from tradeoff import bounds, linear
from tradeoff.claims._common import ALPHA, dkw_radius, ks_distance_to_normal, sample_with_prior
from tradeoff.claims.base import Claim, Outcome
from tradeoff.distribution import Distribution, sufficient_statistic
from tradeoff.montecarlo import derive_seed
from tradeoff.strategies import distributions

ZLAW_N = 4000
ZLAW_MAX_D = 5000  # the full sampler costs O(n*d); z's law depends on d only through k


def check_zlaw(case) -> Outcome:
    """``y*z ~ N(k, 1)``: KS distance of 4,000 full-model draws within the DKW radius."""
    dist, weak_sd = case["dist"], case.get("weak_sd", 1.0)
    rng = np.random.default_rng(derive_seed("C-ZLAW", dist.p, dist.eta, dist.d, weak_sd))
    X, y = sample_with_prior(dist, ZLAW_N, 0.5, rng, weak_sd=weak_sd)
    dist_ks = ks_distance_to_normal(y * sufficient_statistic(X), dist.k)
    radius = dkw_radius(ZLAW_N, ALPHA)
    return Outcome(dist_ks <= radius, radius - dist_ks,
                   f"KS distance {dist_ks:.4f} vs DKW radius {radius:.4f} (alpha={ALPHA:g})")


def check_favg(case) -> Outcome:
    """f_avg: exact linear accuracy equals Phi(k) and Phi((eta-eps)sqrt(d)); > 0.99 / < 0.01."""
    dist, eps = case["dist"], case["eps"]
    w = bounds.f_avg_weights(dist.d)
    acc, acc_eps = linear.standard_accuracy(w, dist), linear.robust_accuracy(w, dist, eps)
    acc_2eta = linear.robust_accuracy(w, dist, 2 * dist.eta)
    closed = (bounds.f_avg_accuracy(dist), bounds.f_avg_accuracy(dist, eps))
    agree = max(abs(acc - closed[0]), abs(acc_eps - closed[1])) <= 1e-12
    slack = min(acc - 0.99, 0.01 - acc_2eta)
    note = f"acc={acc:.6f}, acc_eps={acc_eps:.6g}, acc_2eta={acc_2eta:.3g}"
    return Outcome(agree and slack > 0, slack if agree else -1.0, note)


def check_frob(case) -> Outcome:
    """f_rob = sign(x1): standard and l_inf-robust accuracy both equal p (sigma = 0 branch)."""
    dist, eps = case["dist"], case["eps"]
    w = bounds.f_rob_weights(dist.d)
    acc, rob = linear.standard_accuracy(w, dist), linear.robust_accuracy(w, dist, eps)
    gap = max(abs(acc - dist.p), abs(rob - dist.p))
    return Outcome(gap <= 1e-15, 1e-15 - gap, f"acc={acc!r}, robust={rob!r}, p={dist.p!r}")


def _favg_cases():
    return st.builds(lambda dist, t: {"dist": dist, "eps": t},
                     distributions(p_low=0.0, p_high=1.0, exclude_p_high=False, k_min=3.0),
                     st.one_of(st.just(0.0), st.floats(0.0, 10.0)))


def _frob_cases():
    return st.builds(lambda dist, eps: {"dist": dist, "eps": eps},
                     distributions(p_low=0.0, p_high=1.0, exclude_p_high=False),
                     st.one_of(st.just(0.0), st.just(math.nextafter(1.0, 0.0)),
                               st.floats(0.0, 1.0, exclude_max=True)))


CLAIMS = [
    Claim(
        id="C-ZLAW",
        title="Law of the sufficient statistic",
        statement="z = sum_{i>=2} x_i / sqrt(d) satisfies y*z ~ N(eta*sqrt(d), 1).",
        source="eq. (3), p. 4; App. D",
        hypotheses="0 <= p <= 1, eta >= 0, d >= 1 (weak features N(eta*y, 1))",
        cases=lambda: distributions(p_low=0.0, p_high=1.0, exclude_p_high=False,
                                    max_d=ZLAW_MAX_D).map(lambda d: {"dist": d}),
        check=check_zlaw,
        witness=lambda: {"dist": Distribution(0.95, 0.3, 100)},
        negative_control=lambda: {"dist": Distribution(0.95, 0.3, 100), "weak_sd": 2.0},
        control_note="weak features with standard deviation 2 (outside the model)",
        kind="monte-carlo",
        code=("tradeoff.distribution.Distribution.sample",
              "tradeoff.distribution.sufficient_statistic"),
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
        witness=lambda: {"dist": Distribution(0.95, 3.0 / 10.0, 100), "eps": 0.6},
        witness_note="k = 3 exactly: Phi(3) = 0.99865",
        negative_control=lambda: {"dist": Distribution(0.95, 2.0 / 10.0, 100), "eps": 0.4},
        control_note="eta = 2/sqrt(d) < 3/sqrt(d): Phi(2) = 0.977 < 0.99",
        code=("tradeoff.bounds.f_avg_accuracy", "tradeoff.linear.robust_accuracy"),
    ),
    Claim(
        id="C-FROB",
        title="sign(x1) is robust with accuracy p",
        statement="f_rob(x) = sign(x1) has acc = acc_eps = p for every l_inf radius eps < 1.",
        source="Section 2.1, p. 4",
        hypotheses="0 <= p <= 1, eta >= 0, d >= 1, 0 <= eps < 1",
        cases=_frob_cases,
        check=check_frob,
        witness=lambda: {"dist": Distribution(0.95, 0.3, 100),
                         "eps": math.nextafter(1.0, 0.0)},
        witness_note="eps one ulp below 1",
        negative_control=lambda: {"dist": Distribution(0.95, 0.3, 100), "eps": 1.0},
        control_note="eps = 1: x1 can be moved to 0, predicted -1 (robust accuracy p/2)",
        code=("tradeoff.bounds.f_rob_accuracy", "tradeoff.linear.reduced_accuracy"),
    ),
]
