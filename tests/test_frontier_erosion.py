"""B-FRONTIER at every radius: the 1-D erosion problem (tradeoff.erosion), the certificate, the
reference values of the outside study, the extremes, and the coin-emulating rule."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from tradeoff import erosion as E
from tradeoff import frontier as F
from tradeoff.bayes import bayes_accuracy
from tradeoff.claims.frontier import _union_point
from tradeoff.classifiers import Mixture, ThresholdRule
from tradeoff.distribution import Distribution
from tradeoff.montecarlo import clopper_pearson, derive_seed

STUDY = Distribution(0.95, 0.03, 10_000)  # k = 3
FAST = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


def _set_value(p, k, rho, lam, intervals):
    """rob + lam*acc of the 1-D set A = union of disjoint sorted open intervals (by hand)."""
    def mass(mean, lo, hi):
        return float(ndtr(hi - mean) - ndtr(lo - mean)) if lo < hi else 0.0

    comp, left = [], -math.inf
    for lo, hi in intervals:
        comp.append((left, lo))
        left = hi
    comp.append((left, math.inf))
    acc = sum(p * mass(k, lo, hi) for lo, hi in intervals) + sum(
        (1 - p) * mass(-k, lo, hi) for lo, hi in comp)
    rob = sum(p * mass(k, lo + rho, hi - rho) for lo, hi in intervals) + sum(
        (1 - p) * mass(-k, lo + rho, hi - rho) for lo, hi in comp)
    return rob + lam * acc


# --- the certificate brackets every set -------------------------------------------------------

@pytest.mark.parametrize("p, k, ratio", [(0.95, 3.0, 1.5), (0.95, 3.0, 2.5), (0.75, 1.0, 1.2),
                                         (0.6, 4.0, 3.0)])
def test_half_line_and_grid_unions_under_certificate(p, k, ratio):
    lams = np.array([0.0, 0.3, 1.0, 4.0, 19.0, 100.0])
    cert = E.erosion_upper_bound(p, k, ratio * k, lams, cells=3000)
    grid = E.grid_union_value(p, k, ratio * k, lams, cells=1500)
    assert np.all(cert.half_line <= cert.upper)
    assert np.all(grid <= cert.upper)
    # the study's numerical finding, independently: no union of grid cells beats a half-line
    assert np.all(grid <= cert.half_line + 1e-9)
    assert np.all(cert.gap < 6e-3)  # O(cell width)


def test_gap_shrinks_with_the_cells():
    lams = [2.0, 20.0]
    coarse = E.erosion_upper_bound(0.95, 3.0, 4.5, lams, cells=1500).gap
    fine = E.erosion_upper_bound(0.95, 3.0, 4.5, lams, cells=6000).gap
    assert np.all(fine < 0.5 * coarse)


@FAST
@given(st.floats(0.5, 0.99), st.floats(0.3, 5.0), st.floats(1.05, 4.0), st.floats(0.0, 50.0),
       st.lists(st.floats(-8.0, 8.0), min_size=1, max_size=8, unique=True))
def test_random_interval_unions_under_certificate(p, k, ratio, lam, ends):
    ends = sorted(ends)
    if len(ends) % 2:
        ends.append(math.inf)
    intervals = list(zip(ends[::2], ends[1::2], strict=True))
    value = _set_value(p, k, ratio * k, lam, intervals)
    cert = E.erosion_upper_bound(p, k, ratio * k, [lam], cells=1000)
    assert value <= cert.upper[0] + 1e-12


def test_dynamic_program_matches_brute_force_over_all_unions():
    """The run DP of grid_union_value against enumerating all 2^10 unions of 10 cells."""
    p, k, rho, lam = 0.8, 1.5, 0.9, 2.5
    cells, span = 10, 4.0
    z = np.linspace(-span, span, cells + 1)
    best = -math.inf
    for labels in itertools.product([0, 1], repeat=cells):
        intervals, start = [], None
        for j, lab in enumerate(labels):
            lo = -math.inf if j == 0 else z[j]
            if lab and start is None:
                start = lo
            if not lab and start is not None:
                intervals.append((start, z[j]))
                start = None
        if start is not None:
            intervals.append((start, math.inf))
        best = max(best, _set_value(p, k, rho, lam, intervals))
    got = E.grid_union_value(p, k, rho, [lam], cells=cells, span=span)[0]
    assert got == pytest.approx(best, abs=1e-12)


def test_control_certificate_with_a_wrong_reach_is_violated():
    """Negative control: the bound computed for twice the reach is below what half-lines attain
    at the true reach; a certificate that slipped on rho would be caught by the bracket."""
    lams = np.array([0.5, 4.0])
    right = E.erosion_upper_bound(0.95, 3.0, 4.5, lams, cells=2000)
    wrong = E.erosion_upper_bound(0.95, 3.0, 9.0, lams, cells=2000)
    assert np.any(wrong.upper < right.half_line - 1e-3)


# --- the frontier at every radius --------------------------------------------------------------

def test_study_reference_values():
    # eps = 2.5 eta at standard accuracy 0.9747: the study printed F = 0.4750, NP = 0.8850
    rule, rob, acc = F.achiever(STUDY, 0.9747, 0.075)
    assert isinstance(rule, Mixture) and acc == pytest.approx(0.9747, abs=1e-12)
    assert rob == pytest.approx(0.4756745, abs=1e-6)
    assert rule.robust_accuracy(STUDY, 0.075) == pytest.approx(rob, abs=1e-12)
    up, _ = F.certified_upper(STUDY, 0.9747, 0.075, cells=6000)
    assert rob <= up <= rob + 1e-5  # certified to 1e-5: the study's 0.4750 is 6.7e-4 too low
    assert F.single_shift_bound(STUDY, 0.9747, 0.075) == pytest.approx(0.88525, abs=1e-4)
    # eps = 1.5 eta at 0.9871: F = 0.7623, and there the single-shift bound is tight
    rule, rob, _ = F.achiever(STUDY, 0.9871, 0.045)
    assert rob == pytest.approx(0.7623486, abs=1e-6)
    assert F.single_shift_bound(STUDY, 0.9871, 0.045) == pytest.approx(rob, abs=1e-9)


def test_single_shift_bound_exceeds_p_beyond_2eta():
    assert F.single_shift_bound(STUDY, 0.95, 0.075) > 0.95 + 4e-3  # 0.9543: no classifier
    up, _ = F.certified_upper(STUDY, 0.95, 0.075)
    assert up == pytest.approx(0.95, abs=1e-9)


def test_single_shift_gap_near_p_at_k4():
    """The study: between eta and 2*eta the single-shift bound is loose near accuracy p at k = 4
    (by up to ~1e-2)."""
    dist = Distribution(0.95, 0.04, 10_000)
    fr = F.frontier(dist, 1.5 * dist.eta, n=41)
    gaps = [F.single_shift_bound(dist, a, fr.eps) - r for a, r in zip(fr.standard[:20],
                                                                       fr.robust[:20],
                                                                       strict=True)]
    assert max(gaps) > 1e-3
    assert min(gaps) > -1e-9


@pytest.mark.parametrize("ratio", [0.5, 1.0, 1.5, 2.0, 2.5, 3.5])
def test_frontier_every_radius_status(ratio):
    fr = F.frontier(STUDY, ratio * STUDY.eta, n=21)
    assert fr.status == ("exact" if ratio in (0.5, 1.0, 2.0) else "certified")
    assert np.all(np.isfinite(fr.robust)) and np.all(np.isfinite(fr.upper))
    assert np.all(fr.certified_gap > -1e-9)
    assert np.max(fr.certified_gap) < (1e-9 if fr.proven else 5e-3)
    if ratio >= 1.0:
        assert np.all(fr.upper <= STUDY.p + 1e-9)  # F(a) <= p once eps >= eta


@pytest.mark.parametrize("eta", [2.2e-309, 2.2e-308, 5e-324])
@pytest.mark.parametrize("d", [2, 10_000])
def test_no_nan_at_the_extremes(eta, d):
    dist = Distribution(1 - 2**-53, eta, d)
    for eps in (0.0, eta, 2 * eta, eta / 2, 0.5):
        fr = F.frontier(dist, eps, n=5, cells=300)
        for arr in (fr.standard, fr.robust, fr.upper):
            assert not np.isnan(arr).any()
        a_b = bayes_accuracy(dist)
        assert not math.isnan(F.achiever(dist, a_b, eps)[1])
        assert not math.isnan(F.certified_upper(dist, dist.p, eps, cells=300)[0])


def test_k_zero_limit():
    dist = Distribution(0.8, 0.0, 50)
    fr = F.frontier(dist, 0.3, n=5)
    assert np.allclose(fr.robust, 0.8) and np.allclose(fr.upper, 0.8, atol=1e-9)


# --- the coin-emulating deterministic rule -------------------------------------------------------

@pytest.mark.parametrize("d", [2, 3])
def test_coin_rule_worst_case_attack_by_brute_force(d):
    """coin_rule_outcomes' exact attack vs a search over a fine grid of perturbations."""
    dist = Distribution(0.9, 0.4, d)
    eps, tau = 0.3, 0.1
    gen = np.random.default_rng(derive_seed("coin-brute", d))
    n = 300
    y = gen.choice([-1.0, 1.0], size=n)
    x1 = np.where(gen.random(n) < dist.p, y, -y)
    weak = gen.standard_normal((n, d)) + dist.eta * y[:, None]
    std, rob = F.coin_rule_outcomes(dist, eps, tau, x1, weak[:, 0], weak[:, 1:].sum(1), y)
    grid = np.linspace(-eps, eps, 41)
    u_b = -math.log(dist.p / (1 - dist.p)) / (2 * dist.k)
    for i in range(n):
        # x2's own move: a grid, its ends, and just past the coin's threshold; the other
        # coordinates only matter through their sum, whose extremes are +-eps each
        own = sorted({*grid, tau - weak[i, 0] + 1e-9} & {*grid, tau - weak[i, 0] + 1e-9})
        own = [v for v in own if -eps <= v <= eps]
        found = False
        for delta in itertools.product(own, *([(-eps, 0.0, eps)] * (d - 1))):
            x2p = weak[i, 0] + delta[0]
            zp = (weak[i].sum() + sum(delta)) / math.sqrt(d)
            pred = (1.0 if zp > u_b * x1[i] else -1.0) if x2p > tau else x1[i]
            if pred != y[i]:
                found = True
                break
        assert found == (not rob[i]), (i, found, rob[i])
    assert rob.sum() <= std.sum()


def test_coin_rule_beats_every_deterministic_pair_at_3eta():
    eps = 3 * STUDY.eta
    # tau = -0.4 puts the rule's accuracy (~0.982) above (p + A_B)/2 = 0.9747, past which every
    # deterministic pair must use two non-robust half-lines
    acc, rob = F.coin_rule_estimate(STUDY, eps, -0.4, 200_000,
                                    derive_seed("coin-wide-margin", STUDY.p, eps))
    assert acc.low > 0.975
    k, rho, p = STUDY.k, eps * math.sqrt(STUDY.d), STUDY.p
    u = np.concatenate([[-np.inf], np.linspace(-15, 15, 1501), [np.inf]])
    a1 = p * ndtr(k - u) + (1 - p) * ndtr(k + u)
    r1 = p * ndtr(k - rho - u) + (1 - p) * ndtr(k - rho + u)
    pair_a, pair_r = (a1[:, None] + a1[None, :]) / 2, (r1[:, None] + r1[None, :]) / 2
    best_pair = pair_r[pair_a >= acc.low].max()
    assert rob.low > best_pair + 0.2  # ~0.30 vs 0.025
    up, _ = F.certified_upper(STUDY, acc.low, eps)
    assert rob.high <= up  # and under the frontier


def test_coin_rule_estimate_interval_is_clopper_pearson():
    acc, rob = F.coin_rule_estimate(STUDY, 0.09, 0.5, 5000, 7)
    assert (acc.low, acc.high) == clopper_pearson(acc.successes, 5000, 1e-9)
    assert (rob.low, rob.high) == clopper_pearson(rob.successes, 5000, 1e-9)


@pytest.mark.parametrize("call, exc", [
    (lambda: E.erosion_upper_bound(0.4, 1.0, 1.0, [1.0]), ValueError),
    (lambda: E.erosion_upper_bound(0.9, 1.0, 0.0, [1.0]), ValueError),
    (lambda: E.erosion_upper_bound(0.9, 1.0, 1.0, [-1.0]), ValueError),
    (lambda: E.erosion_upper_bound(0.9, 1.0, 1.0, [math.nan]), ValueError),
    (lambda: E.erosion_upper_bound(0.9, 1.0, 1.0, [1.0], cells=2.5), TypeError),
    (lambda: E.grid_union_value(0.9, -1.0, 1.0, [1.0]), ValueError),
    (lambda: E.half_line_point(0.9, 1.0, 1.0, [math.nan]), ValueError),
    (lambda: F.coin_rule_outcomes(Distribution(0.9, 0.1, 1), 0.1, 0.0, [1], [0], [0], [1]),
     ValueError),
    (lambda: F.coin_rule_estimate(STUDY, 1.0, 0.0, 10, 0), ValueError),
    (lambda: F.certified_upper(STUDY, 0.97, 1.0), ValueError),
    (lambda: F.single_shift_bound(STUDY, 1.5, 0.05), ValueError),
])
def test_bad_input(call, exc):
    with pytest.raises(exc):
        call()


def test_threshold_pair_is_mean_of_half_lines():
    """The sign-group identity (proof step frontier-sign-groups) on the library's classes."""
    rule = ThresholdRule(-0.7, 1.3)
    acc_p, rob_p = E.half_line_point(0.9, STUDY.k, 0.075 * 100, -0.7)
    acc_m, rob_m = E.half_line_point(0.9, STUDY.k, 0.075 * 100, -1.3)
    dist = Distribution(0.9, 0.03, 10_000)
    assert rule.standard_accuracy(dist) == pytest.approx((acc_p + acc_m) / 2, abs=1e-14)
    assert rule.robust_accuracy(dist, 0.075) == pytest.approx((rob_p + rob_m) / 2, abs=1e-14)
    assert _union_point(dist, 0.075, [(-0.7, math.inf)], [(1.3, math.inf)]) == pytest.approx(
        (rule.standard_accuracy(dist), rule.robust_accuracy(dist, 0.075)), abs=1e-14)
