"""The frontier claims (B-FRONTIER, B-FRONTIER-BOUND, B-FRONTIER-ACHIEVE, B-FRONTIER-NP,
B-FRONTIER-DET): the robustness–accuracy frontier of D(p, eta, d) at every radius ``eps < 1``.

Exact families are checked with closed forms computed outside :mod:`tradeoff.frontier` (the
interval arithmetic of :class:`tradeoff.classifiers.ThresholdRule`, an interval-union evaluator
below, :mod:`tradeoff.linear`), the coin-emulating rule by Monte Carlo under its exact worst-case
attack (Clopper–Pearson at ``alpha = 1e-9``, seeds derived from the case). Searches spend about
85 % of their cases in the informative region ``1/2 < p <= 0.999, 0.3 <= k <= 6, eps < 1``.
See docs/beyond/frontier.md.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st
from scipy.special import ndtr

from tradeoff import bayes, bounds, erosion, frontier
from tradeoff.certified import certified_bayes_accuracy, certify_leq
from tradeoff.claims._common import ALPHA, checked, float_tol
from tradeoff.claims.base import Claim, Outcome
from tradeoff.classifiers import Mixture, ThresholdRule
from tradeoff.distribution import Distribution
from tradeoff.montecarlo import derive_seed
from tradeoff.strategies import distributions, linear_rules, mostly

__all__ = ["CLAIMS"]

MC_N = 20_000
CELLS = 3000  # erosion-certificate cells in the checks (the CLI uses more)
GAP_MAX = 1e-2
"""Stated bound on the certified optimality gap of the threshold frontier at CELLS cells
(measured largest 4.5e-3, at the Bayes accuracy for eta < eps < 2*eta)."""
_PAPER = Distribution(0.95, 0.3, 100)  # k = 3
_STUDY = Distribution(0.95, 0.03, 10_000)  # k = 3, the study's reference model


def _below(a: float) -> float:
    """``a`` lowered by 8 ulps (never below 0): the computed accuracy may round up."""
    return max(0.0, a - 8 * math.ulp(a))


def _informative_params(dist: Distribution, eps: float) -> bool:
    return 0.5 < dist.p <= 0.999 and 0.3 <= dist.k <= 6.0 and eps < 1.0


# --- case strategies -------------------------------------------------------------------------

@st.composite
def _interior_model(draw, ratios=None):
    """``(dist, eps)`` with ``1/2 < p <= 0.999``, ``k`` in ``[0.3, 6]``, ``eps = r*eta < 1``."""
    d = draw(st.one_of(st.integers(2, 64), st.integers(2, 100_000)))
    k = draw(st.floats(0.3, 6.0))
    dist = Distribution(draw(st.floats(0.5, 0.999, exclude_min=True)), k / math.sqrt(d), d)
    if ratios is None:
        ratios = st.one_of(st.floats(0.0, 4.0), st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.5, 3.0]))
    r = draw(ratios)
    eps = r * dist.eta
    if eps >= 1.0:
        eps = math.nextafter(1.0, 0.0)
    return dist, eps


@st.composite
def _edge_model(draw, ratios=None):
    dist = draw(distributions())
    if dist.d < 2:
        dist = Distribution(dist.p, dist.eta, 2)
    r = draw(ratios if ratios is not None else st.floats(0.0, 4.0))
    eps = r * dist.eta
    if not eps < 1.0:
        eps = draw(st.floats(0.0, 1.0, exclude_max=True))
    return dist, eps


def _models(ratios=None):
    return mostly(_interior_model(ratios), _edge_model(ratios))


@st.composite
def _sz_rule(draw):
    """A random rule on ``(sign(x1), z)``: threshold pair (any orientation), or a union of
    intervals in each group (``("union", plus_intervals, minus_intervals)``)."""
    kind = draw(st.sampled_from(["pair", "pair", "union"]))
    thr = st.one_of(st.floats(-8.0, 8.0), st.sampled_from([-math.inf, math.inf]))
    if kind == "pair":
        return ThresholdRule(draw(thr), draw(thr), draw(st.booleans()), draw(st.booleans()))
    groups = []
    for _ in range(2):
        ends = sorted(draw(st.lists(st.floats(-8.0, 8.0), min_size=0, max_size=6, unique=True)))
        if len(ends) % 2:
            ends.append(math.inf)
        groups.append(tuple(zip(ends[::2], ends[1::2], strict=True)))
    return ("union", groups[0], groups[1])


@st.composite
def _under_cases(draw):
    dist, eps = draw(_models())
    fam = draw(st.sampled_from(["sz", "sz", "mixture", "linear"]))
    if fam == "sz":
        f = draw(_sz_rule())
    elif fam == "mixture":
        w = draw(st.floats(0.0, 1.0))
        u1, u2 = draw(st.floats(-6.0, 6.0)), draw(st.floats(-6.0, 6.0))
        f = Mixture((frontier.threshold_rule(u1), frontier.threshold_rule(u2)), (w, 1.0 - w))
    else:
        f = draw(linear_rules(dist.d)) if dist.d <= 4096 else frontier.threshold_rule(0.0)
    return {"dist": dist, "eps": eps, "classifier": f}


# --- an exact evaluator of interval-union rules (independent of tradeoff.frontier) -----------

def _union_point(dist: Distribution, eps: float, plus, minus) -> tuple[float, float]:
    """Exact (acc, rob) of the rule ``x1 > 0: +1 iff z in U_plus``, ``x1 <= 0: +1 iff z in
    U_minus`` (unions of disjoint open intervals), against ``|dz| <= eps*sqrt(d)``."""
    k, p, rho = dist.k, dist.p, eps * math.sqrt(dist.d)

    def gauss(mean, lo, hi):
        return float(ndtr(hi - mean) - ndtr(lo - mean)) if lo < hi else 0.0

    def complement(iv):
        out, left = [], -math.inf
        for lo, hi in iv:
            out.append((left, lo))
            left = hi
        out.append((left, math.inf))
        return [(a, b) for a, b in out if a < b]

    acc = rob = 0.0
    for x1, iv in ((1.0, plus), (-1.0, minus)):
        for y in (1.0, -1.0):
            weight = 0.5 * (p if x1 == y else 1 - p)
            good = list(iv) if y > 0 else complement(iv)
            acc += weight * sum(gauss(y * k, lo, hi) for lo, hi in good)
            rob += weight * sum(gauss(y * k, lo + rho, hi - rho) for lo, hi in good)
    return acc, rob


def _accuracies(dist: Distribution, eps: float, f) -> tuple[float, float]:
    if isinstance(f, tuple):
        return _union_point(dist, eps, f[1], f[2])
    return f.standard_accuracy(dist), f.robust_accuracy(dist, eps)


# --- B-FRONTIER ------------------------------------------------------------------------------

def check_under_frontier(case) -> Outcome:
    """acc_eps(f) <= U(acc(f)), U the frontier's upper bound (proved or certified)."""
    dist, eps, f = case["dist"], case["eps"], case["classifier"]
    acc, rob = _accuracies(dist, eps, f)
    rob = checked(rob)
    a_b = bayes.bayes_accuracy(dist)
    if dist.p < 0.5:
        return Outcome(False, -1.0, f"p = {dist.p} < 1/2 is outside the claim")
    up, tol = frontier.certified_upper(dist, _below(min(acc, a_b)), eps, cells=CELLS)
    tol += float_tol(1.0)
    slack = up - rob
    return Outcome(slack >= -tol, slack,
                   f"{type(f).__name__ if not isinstance(f, tuple) else 'interval union'}: "
                   f"acc={acc:.9g}, robust={rob:.9g}, upper={up:.9g} (tol {tol:.2g})")


def _under_informative(case) -> bool:
    return _informative_params(case["dist"], case["eps"])


# --- B-FRONTIER-ACHIEVE ----------------------------------------------------------------------

def check_achiever(case) -> Outcome:
    """The achiever's exact robust accuracy equals the upper bound where the frontier is proved
    exact, and is within the certified gap (<= GAP_MAX) elsewhere."""
    dist, eps, a = case["dist"], case["eps"], case["a"]
    rule, rob_lib, acc_lib = frontier.achiever(dist, a, eps)
    acc, rob = rule.standard_accuracy(dist), checked(rule.robust_accuracy(dist, eps))
    a_b = bayes.bayes_accuracy(dist)
    # at a = A_B the achiever is the Bayes rule, whose accuracy is A_B exactly (its float may
    # lie an ulp below the exact A_B, where only the lam -> inf limit is tight)
    up, tol = frontier.certified_upper(dist, min(acc, a_b), eps, cells=CELLS, at_bayes=a == a_b)
    up_lo, tol_lo = frontier.certified_upper(dist, _below(min(acc, a_b)), eps, cells=CELLS)
    tol = max(tol, tol_lo) + frontier.ATTAIN_TOL
    exact = frontier.is_proven(dist, eps)
    allowed = tol if exact else GAP_MAX
    # rob must lie in [U(acc) - allowed, U(acc - 8 ulp) + tol], and the library must report the
    # achiever's true accuracies (computed here by ThresholdRule's interval arithmetic)
    slack = min(max(up, up_lo) + tol - rob, rob - (up - allowed),
                1e-12 - abs(rob_lib - rob), 1e-12 - abs(acc_lib - acc))
    return Outcome(slack >= 0, slack,
                   f"{'exact' if exact else 'certified'} radius: achiever "
                   f"{type(rule).__name__} acc={acc:.9g}, robust={rob:.12g}, upper={up:.12g}")


@st.composite
def _achieve_cases(draw):
    dist, eps = draw(_models(st.one_of(
        st.sampled_from([0.0, 0.5, 1.0, 2.0, 2.0, 1.5, 2.5, 3.0]), st.floats(0.0, 4.0))))
    a_b = bayes.bayes_accuracy(dist)
    a = draw(st.one_of(st.just(a_b), st.just(dist.p),
                       st.floats(0.0, 1.0).map(lambda x: dist.p + x * (a_b - dist.p))))
    return {"dist": dist, "eps": eps, "a": min(max(a, 0.0), a_b)}


def _achieve_informative(case) -> bool:
    return _informative_params(case["dist"], case["eps"])


# --- B-FRONTIER-BOUND ------------------------------------------------------------------------

_LAMS = np.concatenate([[0.0], np.geomspace(1e-3, 1e4, 160)])


def check_frontier_below_bound(case) -> Outcome:
    """At eps = 2*eta < 1: F(a) <= p/(1-p)(1-a); F agrees with an independent optimisation over
    unions of grid intervals; F(p) = p (equality with the bound) and the bound's gap is largest
    at the Bayes accuracy."""
    dist, a = case["dist"], case["a"]
    eps = 2 * dist.eta
    a_b = bayes.bayes_accuracy(dist)
    if certify_leq(a, certified_bayes_accuracy(dist)) is False:
        # outside p <= a <= A_B: no classifier is this accurate (F = -inf), vacuously true
        return Outcome(True, math.inf, f"a={a!r} above the exact A_B: no classifier")
    f_a = checked(frontier.upper_frontier(dist, a, eps))
    bound = bounds.bound_expression(a, dist.p)
    tol = float_tol(1.0, bound)
    parts = [bound - f_a + tol]
    note = f"a={a:.9g}: F={f_a:.9g}, bound={bound:.9g}"
    if _informative_params(dist, eps):
        # independent: hull of every finite union of grid cells (a lower estimate of F, up to
        # the grid) by the erosion dynamic program, dual over lam
        rho = eps * math.sqrt(dist.d)
        # Theorem 2.1's slope p/(1-p) too: where F follows the line, the dual's minimum is there
        lams = np.sort(np.append(_LAMS, dist.p / (1 - dist.p)))
        vals = erosion.grid_union_value(dist.p, dist.k, rho, lams, cells=3000) - lams * a
        i = int(np.argmin(vals))  # the dual is convex in lam: refine between the neighbours
        fine = np.linspace(lams[max(i - 1, 0)], lams[min(i + 1, len(lams) - 1)], 81)
        vals_fine = erosion.grid_union_value(dist.p, dist.k, rho, fine, cells=3000) - fine * a
        f_ind = float(min(vals.min(), vals_fine.min()))
        # the dual over a grid of lam of the best grid union: equal to F up to the grids'
        # resolution, except where F drops vertically (near A_B)
        if a <= dist.p + 0.8 * (a_b - dist.p):
            parts.append(2e-4 - abs(f_a - f_ind))
        # shape: F(p) = p (tight), and the gap of the bound is largest at the Bayes accuracy
        f_p = frontier.upper_frontier(dist, dist.p, eps)
        parts.append(1e-9 - abs(f_p - dist.p))
        grid = np.linspace(dist.p, a_b, 9)
        gaps = [bounds.bound_expression(x, dist.p) - frontier.upper_frontier(dist, x, eps)
                for x in grid]
        parts.append(gaps[-1] - max(gaps[:-1]) + 1e-9)
        note += f", independent F={f_ind:.7g}, F(p)={f_p:.12g}, gap at A_B {gaps[-1]:.3g}"
    slack = min(parts)
    return Outcome(slack >= 0, slack, note)


@st.composite
def _bound_cases(draw):
    dist, _ = draw(_models(st.just(2.0)))
    if 2 * dist.eta >= 1.0:
        dist = Distribution(dist.p, 0.49, dist.d)
    a_b = bayes.bayes_accuracy(dist)
    a = draw(st.one_of(st.just(dist.p), st.just(a_b),
                       st.floats(0.0, 1.0).map(lambda x: dist.p + x * (a_b - dist.p))))
    return {"dist": dist, "a": _at_most_bayes(dist, min(max(a, dist.p), a_b))}


def _at_most_bayes(dist: Distribution, a: float) -> float:
    """The largest float ``<= a`` that is ``<= A_B`` exactly (ball arithmetic): the float
    ``A_B`` may round above the exact one (``p = 1 - 2**-53`` gives 1.0), and an ``a`` above
    ``A_B`` is outside the claim's range (soak finding: p = 1 - 2**-53, eta = 0.49, d = 77,
    a = 1.0 was reported as a violation of the bound 0)."""
    exact = certified_bayes_accuracy(dist)
    for _ in range(64):
        if certify_leq(a, exact) is True:
            return a
        a = math.nextafter(a, 0.0)
    raise ValueError(f"no float within 64 ulps below {a!r} is certified <= A_B of {dist}")


def _bound_informative(case) -> bool:
    return _informative_params(case["dist"], 2 * case["dist"].eta)


# --- B-FRONTIER-NP ---------------------------------------------------------------------------

def check_single_shift(case) -> Outcome:
    """For eps >= eta: F(a) <= p, and the single-shift bound is a valid bound: NP(a) >= the
    threshold frontier H(a) (attained). The study's findings are the witness and the tests."""
    dist, eps, a = case["dist"], case["eps"], case["a"]
    np_a = checked(frontier.single_shift_bound(dist, a, eps))
    rule, h_a, acc = frontier.achiever(dist, a, eps)
    up, tol = frontier.certified_upper(dist, _below(min(acc, bayes.bayes_accuracy(dist))), eps,
                                       cells=CELLS)
    tol += 1e-9
    parts = [np_a - h_a + tol]
    if eps >= dist.eta:
        parts.append(dist.p - up + tol)
    slack = min(parts)
    return Outcome(slack >= 0, slack,
                   f"a={a:.9g}: NP={np_a:.9g}, threshold frontier={h_a:.9g}, upper={up:.9g}")


@st.composite
def _np_cases(draw):
    dist, eps = draw(_models(st.one_of(st.floats(1.0, 4.0),
                                       st.sampled_from([1.2, 1.5, 1.8, 2.5, 3.0]))))
    if not dist.eta <= eps < 1.0:  # an edge draw outside eta <= eps < 1: move it inside
        dist = Distribution(dist.p, min(dist.eta, 0.3), dist.d)
        eps = min(max(eps, dist.eta), math.nextafter(1.0, 0.0))
    a_b = bayes.bayes_accuracy(dist)
    a = draw(st.one_of(st.just(dist.p),
                       st.floats(0.0, 1.0).map(lambda x: dist.p + x * (a_b - dist.p))))
    return {"dist": dist, "eps": eps, "a": min(max(a, dist.p), a_b)}


def _np_informative(case) -> bool:
    dist, eps = case["dist"], case["eps"]
    return _informative_params(dist, eps) and eps >= dist.eta


# --- B-FRONTIER-DET --------------------------------------------------------------------------

def check_deterministic(case) -> Outcome:
    """The deterministic coin-emulating rule (Bayes threshold on z if x2 > tau, else sign(x1))
    lies under the frontier: its Monte Carlo robust accuracy (lower Clopper–Pearson end) is at
    most U at its standard accuracy's lower end; at a = p the bracket closes: U(p) = p."""
    dist, eps, tau = case["dist"], case["eps"], case["tau"]
    seed = derive_seed("B-FRONTIER-DET", dist.p, dist.eta, dist.d, eps, tau)
    acc, rob = frontier.coin_rule_estimate(dist, eps, tau, MC_N, seed, alpha=ALPHA)
    a_b = bayes.bayes_accuracy(dist)
    up, tol = frontier.certified_upper(dist, min(acc.low, a_b), eps, cells=CELLS)
    parts = [up + tol + 1e-9 - rob.low]
    f_p, tol_p = frontier.certified_upper(dist, dist.p, eps, cells=CELLS)
    f_p = checked(f_p)
    parts.append(1e-9 + tol_p - abs(f_p - dist.p))  # f_rob is deterministic, attains F(p) = p
    slack = min(parts)
    return Outcome(slack >= 0, slack,
                   f"tau={tau:.3g}: MC acc in [{acc.low:.4f}, {acc.high:.4f}], robust in "
                   f"[{rob.low:.4f}, {rob.high:.4f}], U(acc_low)={up:.6g}, U(p)={f_p:.12g}")


@st.composite
def _det_cases(draw):
    dist, eps = draw(_models(st.one_of(st.floats(1.0, 4.0), st.sampled_from([2.5, 3.0]))))
    if not dist.eta <= eps < 1.0:  # an edge draw outside eta <= eps < 1: move it inside
        dist = Distribution(dist.p, min(dist.eta, 0.3), dist.d)
        eps = min(max(eps, dist.eta), math.nextafter(1.0, 0.0))
    tau = draw(st.floats(-2.0, 2.0))
    return {"dist": dist, "eps": eps, "tau": tau}


def _det_informative(case) -> bool:
    dist, eps = case["dist"], case["eps"]
    return _informative_params(dist, eps) and eps >= dist.eta


# --- the registry entries --------------------------------------------------------------------

_CONVENTION = ("randomized classifiers are mixtures whose coin the adversary knows (a mixture's "
               "accuracies are the weighted means of its components')")

def _bound_regressions():
    """Known hard cases of B-FRONTIER-BOUND (Claim.regressions)."""
    return [("soak: a = 1.0 is the float A_B but above the exact one (vacuous, not a violation)",
             {"dist": Distribution(1 - 2**-53, 0.49, 77), "a": 1.0})]


def _achieve_regressions():
    """Known hard cases of B-FRONTIER-ACHIEVE (Claim.regressions)."""
    tiny = Distribution(1 - 2**-53, 2.2e-309, 2)
    return [("audit: NaN in the frontier grid at p = 1 - 2**-53, eta = 2.2e-309",
             {"dist": tiny, "eps": 2 * tiny.eta, "a": bayes.bayes_accuracy(tiny)})]



CLAIMS: list[Claim] = [
    Claim(
        id="B-FRONTIER",
        title="Every classifier lies under the robustness-accuracy frontier, at every eps < 1",
        statement=("For 0 <= eps < 1 every classifier f (randomized ones included, " + _CONVENTION
                   + ") has acc_eps(f) <= U(acc(f)), where U is the frontier's upper bound: the "
                   "exact frontier for eps <= eta and eps = 2*eta < 1 (proved), else the "
                   "certified erosion bound (within the certified gap of the threshold "
                   "frontier)."),
        source="beyond the paper (docs/beyond/frontier.md); refines App. C's shift (C-C1..C-C4)",
        hypotheses=("1/2 <= p < 1, eta >= 0, d >= 2, 0 <= eps < 1; random rules on "
                    "(sign(x1), z) (threshold pairs in any orientation, unions of intervals), "
                    "two-rule mixtures, linear rules with bias"),
        cases=lambda: _under_cases(),
        check=check_under_frontier,
        witness=lambda: {"dist": _STUDY, "eps": 0.09,
                         "classifier": frontier.achiever(_STUDY, 0.98, 0.09)[0]},
        witness_note="eps = 3 eta, p = 0.95, k = 3: the achiever at standard accuracy 0.98 "
                     "sits 2e-9 under the certified bound",
        negative_control=lambda: {"dist": Distribution(0.3, 0.3, 100), "eps": 0.6,
                                  "classifier": ThresholdRule(math.inf, -math.inf)},
        control_note="p = 0.3 < 1/2: -sign(x1) has accuracy and robust accuracy 0.7, outside "
                     "the hypotheses; the checker reports it",
        kind="certified",
        code=("tradeoff.frontier.certified_upper", "tradeoff.frontier.erosion_certificate",
              "tradeoff.erosion.erosion_upper_bound",
              "tradeoff.frontier.upper_frontier_with_tolerance"),
        max_examples_scale=0.1,
        informative=_under_informative,
        informative_region="1/2 < p <= 0.999, 0.3 <= k <= 6, 0 <= eps < 1",
    ),
    Claim(
        id="B-FRONTIER-BOUND",
        title="Theorem 2.1's line lies above the exact frontier (eps = 2*eta)",
        statement=("At eps = 2*eta < 1 the exact frontier F satisfies F(a) <= p/(1-p)*(1 - a) for "
                   "p <= a <= A_B, with equality at a = p (f_rob) and the gap largest at the "
                   "Bayes accuracy; F agrees (to 2e-4) with an independent optimisation over every "
                   "finite union of grid intervals."),
        source="beyond the paper (docs/beyond/frontier.md)",
        hypotheses="1/2 <= p < 1, 0 <= eta < 1/2, d >= 2, p <= a <= A_B(p, k)",
        cases=lambda: _bound_cases(),
        check=check_frontier_below_bound,
        witness=lambda: {"dist": _PAPER, "a": 0.95},
        witness_note="p = 0.95, k = 3, a = p: F(p) = p = the bound (slack 0)",
        negative_control=lambda: {"dist": Distribution(0.3, 0.3, 100), "a": 0.7},
        control_note="p = 0.3 < 1/2: -sign(x1) has accuracy and robust accuracy 0.7, the bound "
                     "expression gives 0.129",
        code=("tradeoff.frontier.upper_frontier", "tradeoff.bounds.bound_expression",
              "tradeoff.erosion.grid_union_value"),
        max_examples_scale=0.07,
        informative=_bound_informative,
        informative_region="1/2 < p <= 0.999, 0.3 <= k <= 6 (eps = 2*eta < 1)",
        regressions=_bound_regressions,
    ),
    Claim(
        id="B-FRONTIER-ACHIEVE",
        title="The frontier is attained by threshold rules and two-rule mixtures",
        statement=("For 0 <= eps < 1 and every standard accuracy a between the most robust "
                   "classifier's and the Bayes accuracy, a forward threshold rule on "
                   "(sign(x1), z) or a mixture of two (" + _CONVENTION + ") has exact robust "
                   "accuracy equal to the upper bound when eps <= eta or eps = 2*eta < 1, and "
                   f"within the certified gap (<= {GAP_MAX:g} at {CELLS} cells) otherwise."),
        source="beyond the paper (docs/beyond/frontier.md)",
        hypotheses="1/2 <= p < 1, eta >= 0, d >= 2, 0 <= eps < 1",
        cases=lambda: _achieve_cases(),
        check=check_achiever,
        witness=lambda: {"dist": _PAPER, "eps": 0.6, "a": 0.99},
        witness_note="eps = 2 eta, p = 0.95, k = 3, a = 0.99: robust 0.189997758 = F(0.99)",
        negative_control=lambda: {"dist": Distribution(0.2, 0.3, 100), "eps": 0.45,
                                  "a": bayes.bayes_accuracy(Distribution(0.2, 0.3, 100))},
        control_note="p = 0.2 < 1/2 (outside): no certificate applies; at the Bayes accuracy "
                     "the achiever (0.090) is 0.46 under the remaining bound",
        kind="certified",
        code=("tradeoff.frontier.achiever", "tradeoff.frontier.certified_upper",
              "tradeoff.frontier.is_proven", "tradeoff.classifiers.ThresholdRule.robust_accuracy"),
        max_examples_scale=0.1,
        informative=_achieve_informative,
        informative_region="1/2 < p <= 0.999, 0.3 <= k <= 6, 0 <= eps < 1",
        regressions=_achieve_regressions,
    ),
    Claim(
        id="B-FRONTIER-NP",
        title="Beyond eta, robustness is capped at p and the single-shift bound is loose",
        statement=("For eta <= eps < 1 the frontier's upper bound is at most p at every standard "
                   "accuracy, and the single-shift Neyman-Pearson bound NP(a) = min_lam "
                   "V_rho(lam) - lam*a (rho = eps*sqrt(d)) is a valid bound, NP >= the threshold "
                   "frontier; it exceeds p at a = p for eps > 2*eta (0.9543 at p = 0.95, k = 3, "
                   "eps = 2.5 eta) and is tight for eps <= eta and eps = 2*eta."),
        source="beyond the paper (docs/beyond/frontier.md); an outside study's finding, checked",
        hypotheses="1/2 <= p < 1, eta >= 0, d >= 2, eta <= eps < 1",
        cases=lambda: _np_cases(),
        check=check_single_shift,
        witness=lambda: {"dist": _STUDY, "eps": 0.045, "a": 0.9871},
        witness_note="eps = 1.5 eta, k = 3, a = 0.9871: NP = F = 0.7623486 (tight there)",
        negative_control=lambda: {"dist": Distribution(0.3, 0.3, 100), "eps": 0.45, "a": 0.7},
        control_note="p = 0.3 < 1/2 (outside): -sign(x1) is robust with accuracy 0.7 > p",
        kind="certified",
        code=("tradeoff.frontier.single_shift_bound", "tradeoff.frontier.single_shift_support",
              "tradeoff.frontier.certified_upper"),
        max_examples_scale=0.07,
        informative=_np_informative,
        informative_region="1/2 < p <= 0.999, 0.3 <= k <= 6, eta <= eps < 1",
    ),
    Claim(
        id="B-FRONTIER-DET",
        title="Deterministic classifiers: a coin-emulating rule inside the frontier's bracket",
        statement=("For eta <= eps < 1 and d >= 2 the deterministic rule 'Bayes threshold on z if "
                   "x2 > tau, else sign(x1)', measured by Monte Carlo under its exact worst-case "
                   "attack, lies under the frontier, and at a = p the frontier p is attained by "
                   "the deterministic f_rob; at eps = 3 eta it beats every deterministic "
                   "threshold pair on (sign(x1), z) by a wide margin (0.44 vs 0.025 at p = 0.95, "
                   "k = 3, d = 1e4, tau = 0)."),
        source="beyond the paper (docs/beyond/frontier.md); an outside study's finding, checked",
        hypotheses="1/2 <= p < 1, eta >= 0, d >= 2, eta <= eps < 1, tau real",
        cases=lambda: _det_cases(),
        check=check_deterministic,
        witness=lambda: {"dist": _STUDY, "eps": 0.09, "tau": 0.0},
        witness_note="eps = 3 eta, tau = 0: robust ~0.44 at accuracy ~0.975, under F = 0.517",
        negative_control=lambda: {"dist": _STUDY, "eps": 0.015, "tau": 0.0},
        control_note="eps = eta/2 (outside): F(p) > p there, so the bracket does not close "
                     "at a = p",
        kind="exact+monte-carlo",
        code=("tradeoff.frontier.coin_rule_estimate", "tradeoff.frontier.coin_rule_outcomes",
              "tradeoff.frontier.certified_upper"),
        max_examples_scale=0.07,
        informative=_det_informative,
        informative_region="1/2 < p <= 0.999, 0.3 <= k <= 6, eta <= eps < 1",
    ),
]
