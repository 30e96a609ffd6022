"""B-FRONTIER: tradeoff.frontier (exact frontier, achievers, upper bound, the CLI)."""

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from tradeoff import frontier as F
from tradeoff import frontier_cli
from tradeoff.bayes import bayes_accuracy, bayes_robust_accuracy
from tradeoff.bounds import bound_expression
from tradeoff.classifiers import Mixture, ThresholdRule
from tradeoff.distribution import Distribution

PAPER = Distribution(0.95, 0.3, 100)  # k = 3
K2 = Distribution(0.95, 0.2, 100)  # k = 2
FAST = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


# --- witnesses: the sanity references of beyond.md -------------------------------------------

def test_reference_k3_at_099():
    rule, rob, acc = F.achiever(PAPER, 0.99)
    assert acc == pytest.approx(0.99, abs=1e-12)
    assert rob == pytest.approx(0.1899977580, abs=1e-9)
    assert F.upper_frontier(PAPER, 0.99) == pytest.approx(rob, abs=1e-12)
    assert bound_expression(0.99, 0.95) - rob == pytest.approx(2.24e-6, rel=1e-2)


def test_reference_k2_at_bayes_accuracy():
    a_b = bayes_accuracy(K2)
    assert a_b == pytest.approx(0.99189, abs=1e-5)
    rule, rob, _ = F.achiever(K2, a_b)
    assert rob == pytest.approx(0.0981, abs=5e-4)  # "about 0.099"
    assert bound_expression(a_b, 0.95) == pytest.approx(0.154, abs=1e-3)


def test_curve_matches_threshold_rule_independently():
    """Closed form of the curve vs ThresholdRule's interval arithmetic."""
    for u in (-math.inf, -3.0, -0.98, 0.0, 2.5, math.inf):
        acc, rob = F.threshold_curve(PAPER, u)
        rule = F.threshold_rule(u)
        assert acc == pytest.approx(rule.standard_accuracy(PAPER), abs=1e-15)
        assert rob == pytest.approx(rule.robust_accuracy(PAPER, 0.6), abs=1e-15)
        # at eps = 2*eta < 1 a forward rule's robust accuracy is its shift accuracy
        assert rob == pytest.approx(rule.shift_accuracy(PAPER), abs=1e-15)


def test_forward_robust_below_shift_above_2eta():
    """For eps > 2*eta the worst move is larger than the shift: robust < shift accuracy."""
    rule = F.threshold_rule(-1.0)
    assert rule.robust_accuracy(PAPER, 0.8) < rule.shift_accuracy(PAPER) - 1e-3


def test_frontier_exact_at_2eta_and_below_eta():
    for eps in (None, 0.0, 0.1, 0.3):
        fr = F.frontier(PAPER, eps, n=41)
        assert fr.proven
        assert np.max(np.abs(fr.certified_gap)) < 1e-9
        assert np.all(np.diff(fr.standard) > 0)
        assert np.all(np.diff(fr.robust) <= 1e-12)


def test_frontier_under_bound_and_tight_at_p():
    fr = F.frontier(PAPER, n=51)
    assert np.all(fr.robust <= fr.bound + 1e-12)
    assert fr.standard[0] == pytest.approx(0.95) and fr.robust[0] == pytest.approx(0.95)
    assert fr.ratio[0] == pytest.approx(1.0)
    assert fr.ratio[-1] < 0.6  # loose near the Bayes accuracy


def test_not_proven_between_eta_and_2eta_reports_certified_gap():
    fr = F.frontier(PAPER, 0.45, n=21)
    assert not fr.proven and fr.status == "certified"
    assert np.all(fr.certified_gap >= -1e-9)
    assert 1e-7 < fr.certified_gap.max() < 5e-3  # small but not 0: nothing is proved here
    # without the certificate only the shift relaxations remain: a wide gap
    loose = F.frontier(PAPER, 0.45, n=21, cells=0)
    assert loose.status == "bounds" and loose.certified_gap.max() > 0.1


def test_above_2eta_threshold_frontier_below_2eta_frontier():
    lo = F.frontier(PAPER, 0.9, n=21)
    assert not lo.proven
    assert np.all(lo.robust <= lo.upper + 1e-9)


def test_achievers_are_exact_classifiers():
    fr = F.frontier(PAPER, n=21)
    for a, r, c in zip(fr.standard, fr.robust, fr.classifiers, strict=True):
        assert isinstance(c, ThresholdRule | Mixture)
        assert c.standard_accuracy(PAPER) == pytest.approx(a, abs=1e-12)
        assert c.robust_accuracy(PAPER, fr.eps) == pytest.approx(r, abs=1e-12)


@FAST
@given(st.floats(0.5, 0.999), st.floats(0.2, 6.0), st.floats(0.0, 1.0))
def test_every_threshold_rule_under_frontier(p, k, x):
    dist = Distribution(p, k / 10, 100)
    if 2 * dist.eta >= 1:
        return
    u = math.tan((x - 0.5) * math.pi * 0.999)
    rule = ThresholdRule(u, -2 * u + 0.3, True, x > 0.3)
    acc = rule.standard_accuracy(dist)
    bound = F.upper_frontier(dist, max(0.0, min(acc, bayes_accuracy(dist)) - 1e-15))
    assert rule.robust_accuracy(dist, 2 * dist.eta) <= bound + 1e-9


def test_support_function_matches_curve():
    """V_2k(lam) at the tangent equals rob + lam*acc of the achiever (the certificate)."""
    rule, rob, acc = F.achiever(PAPER, 0.98)
    lam = F._tangent_lam(PAPER, rule.u_plus, 0.6 * 10)
    assert F.relaxation_support(PAPER, lam, 2 * PAPER.k) == pytest.approx(rob + lam * acc,
                                                                          abs=1e-12)
    assert F.upper_support(PAPER, lam) == pytest.approx(rob + lam * acc, abs=1e-12)


def test_theorem21_line_is_a_support_line():
    lam = 0.95 / 0.05
    assert F.relaxation_support(PAPER, lam, 2 * PAPER.k) == pytest.approx(lam, rel=1e-12)


# --- negative controls and a quality test ----------------------------------------------------

def test_control_eps_below_2eta_breaks_frontier():
    f_avg_acc = float(ndtr(PAPER.k))
    assert 0.5 > F.upper_frontier(PAPER, f_avg_acc)  # f_avg at eps = eta keeps 0.5


def _wrong_upper(dist, a):
    """A deliberately wrong frontier: k replaced by k/2 (too pessimistic)."""
    wrong = Distribution(dist.p, dist.eta / 2, dist.d)
    return F.upper_frontier(wrong, min(a, bayes_accuracy(wrong)))


def test_quality_wrong_frontier_is_caught():
    """hypothesis.find locates a threshold rule above the k/2 'frontier'."""

    def beats_wrong(args):
        p, x = args
        dist = Distribution(p, 0.3, 100)
        rule, rob, acc = F.achiever(dist, p + x * (bayes_accuracy(dist) - p))
        return rob > _wrong_upper(dist, acc) + 1e-6

    found = find(st.tuples(st.floats(0.6, 0.99), st.floats(0.05, 0.95)), beats_wrong,
                 settings=settings(max_examples=200, database=None))
    assert beats_wrong(found)


# --- determinism, bad input ------------------------------------------------------------------

def test_deterministic():
    a, b = F.frontier(PAPER, n=11), F.frontier(PAPER, n=11)
    assert np.array_equal(a.robust, b.robust) and np.array_equal(a.upper, b.upper)
    assert a.to_csv() == b.to_csv()


@pytest.mark.parametrize("call, exc", [
    (lambda: F.frontier("D"), TypeError),
    (lambda: F.frontier(PAPER, eps=1.0), ValueError),
    (lambda: F.frontier(PAPER, eps=-0.1), ValueError),
    (lambda: F.frontier(PAPER, eps=math.nan), ValueError),
    (lambda: F.frontier(Distribution(0.9, 0.6, 4)), ValueError),  # 2*eta >= 1
    (lambda: F.frontier(PAPER, n=1), ValueError),
    (lambda: F.frontier(PAPER, n=2.5), TypeError),
    (lambda: F.achiever(PAPER, 1.5), ValueError),
    (lambda: F.achiever(PAPER, 0.99999999), ValueError),  # above the Bayes accuracy
    (lambda: F.upper_frontier(PAPER, -0.1), ValueError),
    (lambda: F.upper_frontier(PAPER, 0.9, eps=math.inf), ValueError),
    (lambda: F.relaxation_support(PAPER, -1.0, 0.0), ValueError),
    (lambda: F.relaxation_support(PAPER, 1.0, 4.5), ValueError),  # k < t < 2k
    (lambda: F.upper_support(PAPER, math.nan), ValueError),
    (lambda: F.threshold_curve(PAPER, [0.0, math.nan]), ValueError),
    (lambda: F.threshold_rule("x"), TypeError),
    (lambda: F.relaxation_shifts(PAPER, -1.0), ValueError),
    (lambda: F.is_proven(PAPER, math.inf), ValueError),
    (lambda: frontier_cli.collect_results("/nonexistent/folder", PAPER), ValueError),
])
def test_bad_input(call, exc):
    with pytest.raises(exc):
        call()


def test_above_bayes_upper_is_minus_inf():
    assert F.upper_frontier(PAPER, 1.0) == -math.inf


# --- the `tradeoff frontier` command ---------------------------------------------------------

def test_main_writes_csv_png_and_collects_results(tmp_path, capsys):
    res = tmp_path / "res"
    res.mkdir()
    (res / "model.json").write_text(json.dumps(
        {"name": "trained", "standard_accuracy": 0.97, "robust_accuracy": 0.1,
         "p": 0.95, "eta": 0.3, "d": 100}))
    (res / "other.json").write_text(json.dumps(
        {"standard_accuracy": 0.9, "robust_accuracy": 0.1, "p": 0.9, "eta": 0.3, "d": 100}))
    (res / "broken.json").write_text("{not json")
    out = tmp_path / "out"
    code = frontier_cli.main(["--p", "0.95", "--eta", "0.3", "--d", "100", "--n", "21",
                              "--out", str(out), "--results", str(res)])
    assert code == 0
    rows = (out / "frontier.csv").read_text().splitlines()
    assert rows[0].startswith("standard_accuracy,robust_accuracy,upper_bound")
    assert len(rows) == 22
    points = (out / "points.csv").read_text()
    assert "trained" in points and "f_rob" in points and "0.9," not in points
    assert (out / "frontier.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert "frontier EXACT" in out and "two-rule mixtures" in out and "status: exact" in out


def test_main_bad_arguments(tmp_path):
    argv = ["--p", "1.5", "--eta", "0.3", "--d", "100", "--out", str(tmp_path)]
    assert frontier_cli.main(argv) == 2
    assert frontier_cli.main(["--p", "0.9"]) == 2


def test_bayes_limit_only_at_or_above_the_exact_bayes_accuracy():
    # The lam -> inf limit (the Bayes set's own shifted accuracy) bounds F only for a >= A_B;
    # the float A_B of p = 1 - 2**-53 is 1.0 while the exact one is below, so a = 1.0 is above
    # A_B (certified) and a = p below it.
    dist = Distribution(1 - 2**-53, 0.49, 77)
    assert F.at_least_bayes(dist, 1.0) and not F.at_least_bayes(dist, dist.p)
    assert not F.at_least_bayes(PAPER, 0.99) and F.at_least_bayes(PAPER, 1.0)
    # Witness: at the frontier's end point (the Bayes rule) the limit is the Bayes rule's exact
    # robust accuracy; just below A_B only the finite lines bound it, and they are looser.
    a_b = bayes_accuracy(PAPER)
    end, _ = F.upper_frontier_with_tolerance(PAPER, a_b, at_bayes=True)
    assert end == pytest.approx(bayes_robust_accuracy(PAPER, 0.6, threshold=True), abs=1e-12)
    below, _ = F.upper_frontier_with_tolerance(PAPER, a_b - 1e-13)
    assert end <= below
    assert F.frontier(PAPER, n=5).upper[-1] == pytest.approx(end, abs=1e-15)
    with pytest.raises(ValueError, match="standard_accuracy must be the Bayes accuracy"):
        F.upper_frontier_with_tolerance(PAPER, 0.97, at_bayes=True)


def test_bound_claim_range_uses_the_exact_bayes_accuracy():
    # Soak finding: p = 1 - 2**-53, eta = 0.49, d = 77, a = 1.0 (the float A_B) was reported as
    # F = 0.999999996 above Theorem 2.1's bound 0; but 1.0 is above the exact A_B.
    from tradeoff.claims.frontier import _at_most_bayes, check_frontier_below_bound

    dist = Distribution(1 - 2**-53, 0.49, 77)
    assert _at_most_bayes(dist, 1.0) == dist.p
    vacuous = check_frontier_below_bound({"dist": dist, "a": 1.0})
    assert vacuous.holds and vacuous.slack == math.inf
    at_p = check_frontier_below_bound({"dist": dist, "a": dist.p})
    assert at_p.holds and 0 <= at_p.slack < 1e-6  # F(p) = p = the bound: tight
    # Negative control: an a inside the range is checked, not waved through.
    inside = check_frontier_below_bound({"dist": PAPER, "a": 0.99})
    assert inside.holds and math.isfinite(inside.slack)
    assert _at_most_bayes(PAPER, bayes_accuracy(PAPER)) <= bayes_accuracy(PAPER)
