"""Monte Carlo versus closed forms (tier D): exact intervals at a false-failure probability of
ALPHA = 1e-9 per assertion, seeds derived from the parameters (never drawn raw by Hypothesis).

- ``estimate_accuracy`` of ``LinearRule.predict`` / ``ThresholdRule.predict`` against their exact
  standard and shift accuracies;
- the explicit worst-case perturbation of a linear rule against its exact robust accuracy;
- the full sampler against the sufficient sampler;
- ``clopper_pearson`` against its closed forms (x in {0, 1, n-1, n}), its defining equations and
  ``scipy.stats.binomtest(...).proportion_ci(method="exact")`` where scipy keeps the digits;
- the Monte Carlo branch of the C-2.1 checker on networks whose exact accuracies are known.
"""

import math

import numpy as np
import pytest
from hypothesis import example, given, note, settings
from hypothesis import strategies as st
from scipy import stats

from tradeoff import bounds
from tradeoff.claims.theorem21 import check_theorem21
from tradeoff.classifiers import LinearRule, NeuralNet, ThresholdRule
from tradeoff.distribution import Distribution, sufficient_statistic
from tradeoff.montecarlo import clopper_pearson, derive_seed, estimate_accuracy
from tradeoff.strategies import ClassifierCase, distributions, linear_rules, threshold_rules

ALPHA = 1e-9
N = 4000
# Sampling costs O(N*d): d is capped for cost (the laws depend on d only through k and the
# weights' structure, which linear_rules draws entry by entry for d <= 8 and structured above).
MC_MAX_D = 64
mc_dists = distributions(p_low=0.0, p_high=1.0, exclude_p_high=False, max_d=MC_MAX_D)
F_AVG_CASE = (Distribution(0.95, 0.3, 100), LinearRule(bounds.f_avg_weights(100)))
TIE_CASE = (Distribution(0.9, 0.5, 3), LinearRule(np.array([1.0, 0.0, 0.0, 0.0]), 1.0))


def _key(dist, rule) -> tuple:
    w = getattr(rule, "w", None)
    extra = tuple(float(v) for v in w) if w is not None and len(w) <= 16 else repr(rule)
    return (dist.p, dist.eta, dist.d, getattr(rule, "b", None), extra,
            tuple(float(v) for v in w[:4]) if w is not None else None,
            float(np.sum(w)) if w is not None else None)


def _faithful_score(X: np.ndarray, w: np.ndarray, b: float, extra=None) -> np.ndarray:
    """``X @ w + b (+ extra)`` with the sign made reliable: rows whose float sum is within the
    rounding error bound of 0 are re-summed exactly (``math.fsum``).

    ``LinearRule.predict`` computes ``X @ w + b`` in floats, which drops a weak term below an ulp
    of ``w1*x1 + b`` (e.g. ``w = (1, 2e-116)``, ``b = 1``: ``-1 + 2e-116 z + 1`` rounds to 0); the
    closed forms describe the real-valued rule, so the comparison needs a faithful sign there.
    """
    extra = np.zeros(len(X)) if extra is None else extra
    # The sign is invariant under scaling (w, b, extra) by 1/max(|w|, |b|); scaling first keeps
    # products such as w1 * delta1 = 1e-185 * 1e-185 from underflowing to 0.
    scale = max(float(np.abs(w).max()), abs(float(b))) or 1.0
    w, b, extra = w / scale, b / scale, extra / scale
    score = X @ w + b + extra
    bound = 64 * np.finfo(float).eps * (np.abs(X) @ np.abs(w) + abs(b) + np.abs(extra))
    for i in np.flatnonzero(np.abs(score) <= bound):
        score[i] = math.fsum([*(X[i] * w), b, extra[i]])
    return score


def _faithful_predict(rule: LinearRule):
    def predict(X):
        plain = rule.predict(X)
        faithful = np.where(_faithful_score(X, rule.w, rule.b) > 0, 1.0, -1.0)
        return faithful if not np.array_equal(plain, faithful) else plain

    return predict


def _assert_covers(est, exact: float) -> None:
    assert est.alpha == ALPHA
    assert est.low <= exact <= est.high, (
        f"exact {exact!r} outside [{est.low:.5f}, {est.high:.5f}] ({est.successes}/{est.n})")


# --- linear and threshold rules: standard and shift accuracy ---------------------------------

@settings(deadline=None)
@given(mc_dists.flatmap(lambda dist: st.tuples(st.just(dist), linear_rules(dist.d))))
@example(F_AVG_CASE)
@example(TIE_CASE)
def test_linear_rule_estimates_cover_exact_values(case):
    dist, rule = case
    note(f"w = {rule.w!r}")
    seed = derive_seed("linear-mc", *_key(dist, rule))
    predict = _faithful_predict(rule)
    _assert_covers(estimate_accuracy(predict, dist, N, seed), rule.standard_accuracy(dist))
    _assert_covers(estimate_accuracy(predict, dist, N, seed + 1, attack="shift"),
                   rule.shift_accuracy(dist))


@settings(deadline=None)
@given(mc_dists.flatmap(lambda dist: st.tuples(st.just(dist), threshold_rules())))
@example((Distribution(0.95, 0.3, 100), ThresholdRule(0.0, 0.0)))
def test_threshold_rule_estimates_cover_exact_values(case):
    dist, rule = case
    seed = derive_seed("threshold-mc", *_key(dist, rule))
    _assert_covers(estimate_accuracy(rule.predict, dist, N, seed), rule.standard_accuracy(dist))
    _assert_covers(estimate_accuracy(rule.predict, dist, N, seed + 1, attack="shift"),
                   rule.shift_accuracy(dist))


def test_tie_witness_separates_the_conventions():
    """score = x1 + 1 ties at 0 w.p. (1-p): sampled accuracy p = 0.9 excludes the 1/2 that the
    opposite tie convention would give."""
    dist, rule = TIE_CASE
    est = estimate_accuracy(rule.predict, dist, N, derive_seed("tie", *_key(dist, rule)))
    assert rule.standard_accuracy(dist) == 0.9
    assert est.low <= 0.9 <= est.high and not est.low <= 0.5 <= est.high


def test_negative_control_wrong_closed_form_is_rejected():
    """The interval check can fail: f_avg's sampled accuracy excludes its shift accuracy."""
    dist, rule = F_AVG_CASE
    est = estimate_accuracy(rule.predict, dist, N, derive_seed("control", *_key(dist, rule)))
    assert not est.low <= rule.shift_accuracy(dist) <= est.high


# --- linear rules: the explicit worst-case perturbation --------------------------------------

def _worst_case_accuracy(rule: LinearRule, dist: Distribution, eps: float, norm: str, seed: int):
    """Apply the dual-norm maximiser delta = -y eps sign(w) (l_inf) or -y eps w/||w||_2 (l_2)."""
    X, y = dist.sample(N, seed)
    # Scale (w, b) first: the sign is scale-invariant, and w.delta = 1e-185 * 1e-185 would
    # otherwise underflow to 0 and hide the adversary's move.
    scale = max(float(np.abs(rule.w).max()), abs(rule.b)) or 1.0
    rule = LinearRule(rule.w / scale, rule.b / scale, name=rule.name)
    if norm == "inf":
        direction = np.sign(rule.w)
    else:
        nrm = np.linalg.norm(rule.w)
        direction = rule.w / nrm if nrm > 0 else np.zeros_like(rule.w)
    delta = -eps * y[:, None] * direction[None, :]
    # w.(x + delta) + b by linearity: a perturbation below an ulp of x still moves the score
    # (x1 - 1e-215 rounds to x1, but a tie at score 0 is broken by w.delta = -1e-215).
    score = _faithful_score(X, rule.w, rule.b, delta @ rule.w)
    correct = int(np.sum(np.where(score > 0, 1.0, -1.0) == y))
    return clopper_pearson(correct, N, ALPHA)


@settings(deadline=None)
@given(mc_dists.flatmap(lambda dist: st.tuples(st.just(dist), linear_rules(dist.d))),
       st.one_of(st.just(0.0), st.floats(0.0, 2.0)), st.sampled_from(["inf", "2"]))
@example(F_AVG_CASE, 0.6, "inf")
@example(F_AVG_CASE, 0.6, "2")
def test_worst_case_perturbation_attains_exact_robust_accuracy(case, eps, norm):
    dist, rule = case
    note(f"w = {rule.w!r}")
    seed = derive_seed("worst-case", *_key(dist, rule), eps, norm)
    lo, hi = _worst_case_accuracy(rule, dist, eps, norm, seed)
    exact = rule.robust_accuracy(dist, eps, norm)
    assert lo <= exact <= hi, f"exact {exact!r} outside [{lo:.5f}, {hi:.5f}]"


def test_worst_case_check_can_fail():
    """Negative control: the l_2 maximiser does not reach the (smaller) l_inf robust accuracy."""
    dist, rule = F_AVG_CASE
    lo, hi = _worst_case_accuracy(rule, dist, 0.6, "2", derive_seed("control-wc"))
    assert not lo <= rule.robust_accuracy(dist, 0.6, "inf") <= hi


# --- the two samplers have the same law -------------------------------------------------------

def _dkw(n: int, alpha: float) -> float:
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * n))


@settings(deadline=None)
@given(mc_dists)
@example(Distribution(0.95, 0.3, 100))
def test_full_and_sufficient_samplers_agree_in_law(dist):
    """(x1, y) atoms: each sampler's frequencies cover the exact probabilities; z | y: the
    two-sample KS distance is below the sum of the two DKW radii (each at ALPHA/2)."""
    X, y_full = dist.sample(N, derive_seed("full", dist))
    x1_s, z_s, y_s = dist.sample_sufficient(N, derive_seed("sufficient", dist))
    z_full, x1_full = sufficient_statistic(X), X[:, 0]
    for y_lab in (1.0, -1.0):
        for x_lab, prob in ((y_lab, dist.p / 2), (-y_lab, (1 - dist.p) / 2)):
            for x1, y in ((x1_full, y_full), (x1_s, y_s)):
                lo, hi = clopper_pearson(int(np.sum((y == y_lab) & (x1 == x_lab))), N, ALPHA)
                assert lo <= prob <= hi
        a, b = z_full[y_full == y_lab], z_s[y_s == y_lab]
        ks = stats.ks_2samp(a, b).statistic
        assert ks <= _dkw(len(a), ALPHA / 2) + _dkw(len(b), ALPHA / 2)


def test_sampler_comparison_can_fail():
    """Negative control: the sufficient sampler of a different k is told apart."""
    dist, other = Distribution(0.95, 0.3, 100), Distribution(0.95, 0.35, 100)
    X, y = dist.sample(N, derive_seed("full", dist))
    _, z_s, y_s = other.sample_sufficient(N, derive_seed("sufficient", other))
    a, b = sufficient_statistic(X)[y > 0], z_s[y_s > 0]
    assert stats.ks_2samp(a, b).statistic > _dkw(len(a), ALPHA / 2) + _dkw(len(b), ALPHA / 2)


# --- clopper_pearson versus scipy --------------------------------------------------------------

@given(st.integers(1, 10**6), st.one_of(st.just(1e-9), st.just(1e-12), st.floats(1e-15, 0.5)))
@example(13, 1e-12)
def test_clopper_pearson_equals_its_closed_forms(n, alpha):
    """Where the beta quantiles have closed forms, the interval equals them to a few ulps.

    ``x = 0``: upper ``1 - (alpha/2)^(1/n)``; ``x = n``: lower ``(alpha/2)^(1/n)``;
    ``x = 1``: lower ``1 - (1 - alpha/2)^(1/n)``; ``x = n - 1``: upper ``(1 - alpha/2)^(1/n)``.
    The closed forms are evaluated with mpmath at 50 digits (exact to double precision).
    At ``n = 13``, ``alpha = 1e-12`` the upper end at ``x = 0`` is 0.88682072088..., which a
    quantile taken at ``1 - alpha/2`` misses by 7.7e-7.
    """
    import mpmath

    mpmath.mp.dps = 50
    half = mpmath.mpf(alpha) / 2
    expected = {
        (0, 1): 1 - half ** (mpmath.mpf(1) / n),
        (n, 0): half ** (mpmath.mpf(1) / n),
    }
    if n > 1:
        expected[(1, 0)] = 1 - (1 - half) ** (mpmath.mpf(1) / n)
        expected[(n - 1, 1)] = (1 - half) ** (mpmath.mpf(1) / n)
    for (x, end), value in expected.items():
        got = clopper_pearson(x, n, alpha)[end]
        assert got == pytest.approx(float(value), rel=1e-13, abs=0.0), (x, end)


def test_clopper_pearson_small_alpha_regression():
    """The case that exposed the loss of accuracy: x = 0, n = 13, alpha = 1e-12."""
    lo, hi = clopper_pearson(0, 13, 1e-12)
    assert lo == 0.0
    assert abs(hi - 0.8868207208847213) <= 2e-16


@given(st.integers(1, 10**6), st.data(), st.floats(1e-6, 0.5))
@example(10, None, 1e-6)
@example(6, None, 1e-6)
def test_clopper_pearson_agrees_with_scipy_binomtest(n, data, alpha):
    """scipy's exact interval takes the upper quantile at ``1 - alpha/2``, which keeps only
    ``-log10(alpha/2)`` fewer digits, and its root finder stops at about 1e-7 relative (at
    x = 1, n = 578304, alpha = 0.5 scipy is 1.0e-7 off the closed form, ours exact); the two
    agree to ``1e-6`` relative. scipy's root is Brent's with its default absolute ``xtol =
    2e-12``, so near 0 only that absolute accuracy is promised (soak finding: n = 6, x = 1,
    alpha = 1e-6, where the exact lower end is 8.3333351e-8 = ours, scipy 8.3333438e-8, 1.04e-6
    relative but 8.7e-14 absolute). Precision is decided by the closed forms and the defining
    equations (tests below), not by scipy."""
    x = (3 if n > 6 else 1) if data is None else data.draw(st.integers(0, n))
    ours = clopper_pearson(x, n, alpha)
    theirs = stats.binomtest(x, n).proportion_ci(confidence_level=1 - alpha, method="exact")
    np.testing.assert_allclose(ours, (theirs.low, theirs.high), rtol=1e-6, atol=4e-12)


@given(st.integers(1, 10**5), st.data(), st.floats(1e-12, 0.5))
def test_clopper_pearson_solves_its_defining_equations(n, data, alpha):
    """P[Bin(n, lo) >= x] = alpha/2 and P[Bin(n, hi) <= x] = alpha/2 (binomial tails by scipy's
    forward functions, not by the inverse the interval uses)."""
    x = data.draw(st.integers(0, n))
    lo, hi = clopper_pearson(x, n, alpha)
    if x > 0:
        assert stats.binom.sf(x - 1, n, lo) == pytest.approx(alpha / 2, rel=1e-8)
    if x < n:
        assert stats.binom.cdf(x, n, hi) == pytest.approx(alpha / 2, rel=1e-8)


# --- the Monte Carlo branch of the C-2.1 checker ----------------------------------------------

def _net(first_layer: np.ndarray) -> NeuralNet:
    """sign(relu(a.x) - relu(-a.x)) = sign(a.x): a linear rule as a (Monte Carlo only) network."""
    W1 = np.stack([first_layer, -first_layer], axis=1)
    return NeuralNet(W1, np.zeros(2), np.array([1.0, -1.0]), 0.0)


def test_network_wrappers_compute_the_linear_rule():
    d = 100
    X, _ = Distribution(0.95, 0.3, d).sample(500, 0)
    for w in (bounds.f_rob_weights(d), bounds.f_avg_weights(d)):
        assert np.array_equal(_net(w).predict(X), LinearRule(w).predict(X))


@pytest.mark.parametrize("p, eta, d", [(0.95, 0.3, 100), (0.5, 0.0, 2), (0.75, 0.1, 8)])
def test_mc_theorem21_check_holds_where_the_bound_is_attained(p, eta, d):
    """f_rob as a network attains Theorem 2.1 (acc = shift = p = p/(1-p)(1-p)): a sound Monte
    Carlo check may report a violation only with probability <= ALPHA here.

    Finding: check_theorem21 evaluates the bound at the *upper* end of the standard-accuracy
    interval, i.e. at the smallest plausible bound; it false-fails on such tight cases."""
    dist = Distribution(p, eta, d)
    out = check_theorem21(ClassifierCase(dist, 2 * eta, _net(bounds.f_rob_weights(d))))
    assert out.holds, out.note


def test_mc_theorem21_check_at_p_one_half_eta_zero_never_fails():
    """p = 1/2, eta = 0: every classifier has acc = shift = 1/2 = bound (x independent of y)."""
    dist = Distribution(0.5, 0.0, 2)
    failures = [seed for seed in range(8)
                if not check_theorem21(ClassifierCase(dist, 0.0,
                                                      NeuralNet.random(3, 1, seed))).holds]
    assert failures == [], f"false violations for NeuralNet.random(3, 1, seed), seeds {failures}"


def test_mc_theorem21_check_negative_control():
    """p = 0.3 < 1/2: sign(-x1) has acc = shift = 0.7 > 0.3/0.7 * 0.3: a certain violation."""
    dist = Distribution(0.3, 0.2, 10)
    out = check_theorem21(ClassifierCase(dist, 0.4, _net(-bounds.f_rob_weights(10))))
    assert not out.holds and out.slack < -0.4
