"""Exact accuracies of linear classifiers (docs/theory.md §2) against independent computations.

The reference below is written differently from ``tradeoff.linear``: it works with the *unsigned*
score ``w.x + b`` for each of the four atoms ``(y, x1)``, takes the adversary's worst case as the
extreme of the score over the ball (``score -/+ r``), normalises the weights by their largest
magnitude first (the rule ``sign(w.x + b)`` is invariant under positive scaling), and integrates
the Gaussian density numerically with ``scipy.integrate.quad`` (no ``ndtr``).
"""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from scipy import integrate
from scipy.special import ndtr

from tradeoff import bounds
from tradeoff.distribution import Distribution
from tradeoff.linear import (
    reduced_accuracy,
    robust_accuracy,
    scaled_norm,
    shift_accuracy,
    standard_accuracy,
)
from tradeoff.strategies import distributions, linear_rules, radii_at_least

QUAD_CUT = 40.0  # the standard normal mass beyond 40 is below 1e-340: not representable


def _gauss_mass_above(a: float) -> float:
    """P[Z > a] by adaptive quadrature of the density on a finite interval."""
    if a >= QUAD_CUT:
        return 0.0
    if a <= -QUAD_CUT:
        return 1.0
    density = lambda t: math.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)  # noqa: E731
    value, _ = integrate.quad(density, a, QUAD_CUT, epsabs=1e-14, epsrel=1e-12, limit=200)
    return value


def reference_accuracy(w, dist: Distribution, b: float = 0.0, eps: float = 0.0,
                       norm: str = "inf") -> float:
    """Robust (eps > 0) or standard (eps = 0) accuracy by enumeration over (y, x1) and quad."""
    w = [float(v) for v in w]
    scale = max([abs(v) for v in w] + [abs(float(b))])
    if scale == 0.0:
        return 0.5  # the zero rule: score 0 everywhere, predicted -1
    w = [v / scale for v in w]
    b = float(b) / scale
    w1, rest = w[0], w[1:]
    sd = math.hypot(*rest)
    dual = math.fsum(abs(v) for v in w) if norm == "inf" else math.hypot(*w)
    r = eps * dual
    total = 0.0
    for y in (1, -1):
        for x1, weight in ((y, dist.p), (-y, 1.0 - dist.p)):
            centre = w1 * x1 + b + y * dist.eta * math.fsum(rest)  # E[w.x + b | y, x1]
            if y > 0:  # correct iff the smallest reachable score is > 0
                if sd == 0.0:
                    prob = float(centre - r > 0)
                else:
                    prob = _gauss_mass_above((r - centre) / sd)
            else:  # correct iff the largest reachable score is <= 0
                if sd == 0.0:
                    prob = float(centre + r <= 0)
                else:
                    prob = 1.0 - _gauss_mass_above((-r - centre) / sd)
            total += 0.5 * weight * prob
    return total


def cases(max_d=None):
    """(dist, rule): every p in [0, 1], eta >= 0, d >= 1, the library's linear-rule strategy."""
    kw = {} if max_d is None else {"max_d": max_d}
    dists = distributions(p_low=0.0, p_high=1.0, exclude_p_high=False, **kw)
    return dists.flatmap(lambda dist: st.tuples(st.just(dist), linear_rules(dist.d)))


radii = st.one_of(st.just(0.0), st.floats(0.0, 2.0), st.floats(0.0, 1e3))
ULP = float(np.finfo(float).eps)
TOL = 1e-9  # quad is good to ~1e-12 per atom; the closed form to a few ulps


# --- closed form versus the independent reference ----------------------------------------------

@settings(deadline=None)
@given(cases(), radii, st.sampled_from(["inf", "2"]))
def test_closed_form_matches_quadrature(case, eps, norm):
    dist, rule = case
    note(f"w = {rule.w!r}")
    ref_std = reference_accuracy(rule.w, dist, rule.b)
    ref_rob = reference_accuracy(rule.w, dist, rule.b, eps, norm)
    assert standard_accuracy(rule.w, dist, rule.b) == pytest.approx(ref_std, abs=TOL)
    assert robust_accuracy(rule.w, dist, eps, norm, rule.b) == pytest.approx(ref_rob, abs=TOL)


def test_reference_can_disagree():
    """Negative control of the comparison: the reference separates p from 1 - p, l_inf from l_2."""
    w = np.array([1.0, 0.5, -0.25])
    a = reference_accuracy(w, Distribution(0.9, 0.3, 2))
    assert abs(standard_accuracy(w, Distribution(0.1, 0.3, 2)) - a) > 0.1
    r_inf = reference_accuracy(w, Distribution(0.9, 0.3, 2), eps=0.3, norm="inf")
    assert abs(robust_accuracy(w, Distribution(0.9, 0.3, 2), 0.3, "2") - r_inf) > 1e-3


@pytest.mark.parametrize("exponent", [-1000, -565, -530, -200, 0, 200, 664, 1000])
def test_accuracy_is_invariant_under_positive_scaling(exponent):
    """sign(c w.x + c b) = sign(w.x + b) for c > 0; c = 2**exponent scales exactly.

    Fails before the fix (finding): sigma = ||w_rest||_2 underflows to 0 for tiny weights
    (2**-565 ~ 1e-170 gives accuracy 1.0 instead of Phi(1)), overflows to inf for huge ones
    (2**664 ~ 1e200 gives 0.5), and eps*||w||_1 - m becomes inf - inf = NaN.
    """
    dist = Distribution(0.7, 1.0, 2)
    w = np.array([1.0, 2.0, -1.0])
    c = 2.0 ** exponent
    for b in (0.0, 0.5):
        for eps in (0.0, 0.3):
            for norm in ("inf", "2"):
                base = robust_accuracy(w, dist, eps, norm, b)
                scaled = robust_accuracy(c * w, dist, eps, norm, c * b)
                assert scaled == pytest.approx(base, abs=1e-12), (b, eps, norm)
        assert shift_accuracy(c * w, dist, c * b) == pytest.approx(shift_accuracy(w, dist, b),
                                                                   abs=1e-12)


def test_tiny_weak_weights_minimal_repro():
    """Minimal repro of the scaling finding: w = (0, 1e-170), eta = 1, d = 1 -> Phi(1)."""
    acc = standard_accuracy(np.array([0.0, 1e-170]), Distribution(0.5, 1.0, 1))
    assert acc == pytest.approx(float(ndtr(1.0)), abs=1e-12)


# --- vectorisation ---------------------------------------------------------------------------

@st.composite
def batches(draw):
    dist = draw(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False))
    rules = draw(st.lists(linear_rules(dist.d), min_size=1, max_size=6))
    return dist, np.array([r.w for r in rules]), np.array([r.b for r in rules])


@settings(deadline=None)
@given(batches(), radii, st.sampled_from(["inf", "2"]), st.booleans())
def test_vectorized_equals_loop(batch, eps, norm, scalar_bias):
    dist, W, B = batch
    bias = B[0] if scalar_bias else B
    per_row = [bias if scalar_bias else bias[i] for i in range(len(W))]
    for fn, extra in ((standard_accuracy, ()), (shift_accuracy, ())):
        many = fn(W, dist, bias, *extra)
        assert many.shape == (len(W),)
        loop = [fn(W[i], dist, per_row[i]) for i in range(len(W))]
        np.testing.assert_allclose(many, loop, rtol=0, atol=1e-14)
    many = robust_accuracy(W, dist, eps, norm, bias)
    loop = [robust_accuracy(W[i], dist, eps, norm, per_row[i]) for i in range(len(W))]
    np.testing.assert_allclose(many, loop, rtol=0, atol=1e-14)


def test_one_classifier_gives_a_float_many_give_an_array():
    dist = Distribution(0.9, 0.2, 3)
    w = np.array([1.0, 1.0, 1.0, 1.0])
    assert isinstance(standard_accuracy(w, dist), float)
    assert isinstance(robust_accuracy(w, dist, 0.1), float)
    assert isinstance(shift_accuracy(w, dist), float)
    assert standard_accuracy(w[None, :], dist).shape == (1,)


# --- structure: monotonicity, duals, shift -----------------------------------------------------

@settings(deadline=None)
@given(cases(), radii, radii, st.sampled_from(["inf", "2"]))
def test_robust_accuracy_is_monotone_in_eps(case, e1, e2, norm):
    dist, rule = case
    lo, hi = sorted((e1, e2))
    rob_lo = robust_accuracy(rule.w, dist, lo, norm, rule.b)
    rob_hi = robust_accuracy(rule.w, dist, hi, norm, rule.b)
    assert rob_hi <= rob_lo + 4 * ULP  # ndtr is monotone up to its last-ulp rounding
    assert robust_accuracy(rule.w, dist, 0.0, norm, rule.b) == standard_accuracy(
        rule.w, dist, rule.b)
    assert 0.0 <= rob_hi and rob_lo <= 1.0


def test_monotonicity_is_strict_somewhere():
    """Witness: the f_avg robust accuracy really falls with eps (Phi((eta - eps) sqrt d))."""
    dist = Distribution(0.95, 0.3, 100)
    w = bounds.f_avg_weights(100)
    values = [robust_accuracy(w, dist, e) for e in (0.0, 0.1, 0.3, 0.6)]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
    assert values[2] == pytest.approx(0.5, abs=1e-12)  # eps = eta: Phi(0)


@settings(deadline=None)
@given(cases(), radii)
def test_linf_is_never_weaker_than_l2(case, eps):
    """||w||_1 >= ||w||_2, so the l_inf adversary is at least as strong at the same radius."""
    dist, rule = case
    rob_inf = robust_accuracy(rule.w, dist, eps, "inf", rule.b)
    rob_2 = robust_accuracy(rule.w, dist, eps, "2", rule.b)
    assert rob_inf <= rob_2 + 1e-12


@settings(deadline=None)
@given(cases(), radii)
def test_linf_equals_l2_at_the_rescaled_radius(case, eps):
    """The l_inf ball acts through r = eps*||w||_1: the l_2 radius eps*||w||_1/||w||_2 matches."""
    dist, rule = case
    note(f"w = {rule.w!r}")
    l1, l2 = float(np.abs(rule.w).sum()), float(scaled_norm(rule.w))  # no underflow
    if l2 == 0.0 or not math.isfinite(l1 / l2):
        return  # the zero rule: no radius acts
    rob_inf = robust_accuracy(rule.w, dist, eps, "inf", rule.b)
    rob_2 = robust_accuracy(rule.w, dist, eps * (l1 / l2), "2", rule.b)  # eps*l1 may underflow
    ref = reference_accuracy(rule.w, dist, rule.b, eps, "inf")
    assert rob_inf == pytest.approx(ref, abs=TOL)
    assert rob_2 == pytest.approx(ref, abs=TOL)


def test_l2_and_linf_agree_for_one_nonzero_weight_and_differ_otherwise():
    dist = Distribution(0.8, 0.5, 4)
    one = np.array([0.0, 2.0, 0.0, 0.0, 0.0])
    assert robust_accuracy(one, dist, 0.4, "inf") == pytest.approx(
        robust_accuracy(one, dist, 0.4, "2"), abs=1e-15)
    avg = bounds.f_avg_weights(4)
    # f_avg: ||w||_1 = 1, ||w||_2 = 1/2, sigma = 1/2 -> Phi(2(eta - eps)) vs Phi(2 eta - eps)
    assert robust_accuracy(avg, dist, 0.4, "inf") == pytest.approx(float(ndtr(2 * 0.1)))
    assert robust_accuracy(avg, dist, 0.4, "2") == pytest.approx(float(ndtr(2 * 0.5 - 0.4)))


@settings(deadline=None)
@given(cases())
def test_shift_accuracy_is_standard_accuracy_of_the_reflected_rule(case):
    """Shifting the weak block by -2 eta y is the same as negating the weak weights (exactly)."""
    dist, rule = case
    reflected = np.concatenate([[rule.w[0]], -rule.w[1:]])
    assert shift_accuracy(rule.w, dist, rule.b) == standard_accuracy(reflected, dist, rule.b)
    if dist.eta == 0.0:
        assert shift_accuracy(rule.w, dist, rule.b) == standard_accuracy(rule.w, dist, rule.b)


def test_shift_accuracy_witness_and_control():
    """f_avg under the shift: Phi(-k); the shift is not the identity once eta > 0."""
    dist = Distribution(0.95, 0.3, 100)
    w = bounds.f_avg_weights(100)
    assert shift_accuracy(w, dist) == pytest.approx(float(ndtr(-3.0)), rel=1e-12)
    assert standard_accuracy(w, dist) - shift_accuracy(w, dist) > 0.99


@settings(deadline=None)
@given(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False).flatmap(
    lambda dist: st.tuples(st.just(dist), linear_rules(dist.d), radii_at_least(2 * dist.eta))))
def test_robust_below_shift_for_linear_rules(case):
    """C-C2 on the linear family through this module's two functions."""
    dist, rule, eps = case
    assert robust_accuracy(rule.w, dist, eps, "inf", rule.b) <= shift_accuracy(
        rule.w, dist, rule.b) + 1e-15


# --- the paper's two classifiers ---------------------------------------------------------------

def test_favg_witness_k_equals_3():
    """k = 3 exactly: acc = Phi(3) = 0.99865..., acc at eps = 2 eta = Phi(-3)."""
    dist = Distribution(0.95, 0.3, 100)
    w = bounds.f_avg_weights(100)
    assert standard_accuracy(w, dist) == pytest.approx(0.9986501019683699, abs=1e-13)
    assert robust_accuracy(w, dist, 0.6) == pytest.approx(0.0013498980316300933, rel=1e-10)


@settings(deadline=None)
@given(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False),
       st.floats(0.0, 10.0))
def test_favg_closed_form(dist, eps):
    # abs 1e-9: summing d = 10^5 weights 1/d and dividing by sigma = 1/sqrt(d) moves the
    # argument of Phi by up to ~1e-12 * sqrt(d) * max(eta, eps) when eta - eps is near 0.
    w = bounds.f_avg_weights(dist.d)
    assert standard_accuracy(w, dist) == pytest.approx(float(ndtr(dist.k)), abs=1e-9)
    expected = float(ndtr((dist.eta - eps) * math.sqrt(dist.d)))
    assert robust_accuracy(w, dist, eps) == pytest.approx(expected, abs=1e-9)


def test_tiny_tail_values_are_accurate():
    """Values near 1e-300 occur (docs/theory.md §2): Phi(-37) ~ 5.7e-300, relative accuracy."""
    d = 10_000
    dist = Distribution(0.95, 37.0 / 100.0, d)
    w = bounds.f_avg_weights(d)
    truth = float(mpmath.ncdf(-37))
    assert robust_accuracy(w, dist, 2 * dist.eta) == pytest.approx(truth, rel=1e-9)
    assert shift_accuracy(w, dist) == pytest.approx(truth, rel=1e-9)


@pytest.mark.parametrize("eps", [0.0, 0.3, math.nextafter(1.0, 0.0)])
@pytest.mark.parametrize("norm", ["inf", "2"])
def test_frob_has_accuracy_p_below_radius_one(eps, norm):
    dist = Distribution(0.95, 0.3, 100)
    w = bounds.f_rob_weights(100)
    assert standard_accuracy(w, dist) == 0.95
    assert robust_accuracy(w, dist, eps, norm) == 0.95


@pytest.mark.parametrize("norm", ["inf", "2"])
def test_frob_negative_control_at_radius_one(norm):
    """eps = 1: x1 = y = +1 can be pushed to 0, a tie, predicted -1 -> accuracy p/2."""
    dist = Distribution(0.95, 0.3, 100)
    w = bounds.f_rob_weights(100)
    assert robust_accuracy(w, dist, 1.0, norm) == pytest.approx(0.475, abs=1e-15)
    assert robust_accuracy(w, dist, 1.5, norm) == 0.0


# --- the degenerate case sigma = 0 (zero weak weights) and the tie convention -----------------

def _enumerated(w1: float, b: float, p: float, eps: float = 0.0) -> float:
    """Direct enumeration for zero weak weights: the prediction is a function of x1 alone."""
    total = 0.0
    for y in (1, -1):
        for x1, weight in ((y, p), (-y, 1 - p)):
            reach = [w1 * (x1 + t) + b for t in (-eps, eps)]  # extremes of the score
            preds = {1 if s > 0 else -1 for s in reach}
            total += 0.5 * weight * float(preds == {y})
    return total


@settings(deadline=None)
@given(st.floats(0.0, 1.0), st.integers(1, 10**5), st.floats(0.0, 10.0),
       st.sampled_from([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0]), st.sampled_from([-1.0, 0.0, 1.0, 2.0]),
       st.sampled_from([0.0, 0.5, 1.0, 1.5]))
def test_zero_weak_weights_match_enumeration(p, d, eta, w1, b, eps):
    """sigma = 0: exact ties at score 0 happen with positive probability, predicted -1."""
    dist = Distribution(p, eta, d)
    w = np.zeros(d + 1)
    w[0] = w1
    assert standard_accuracy(w, dist, b) == pytest.approx(_enumerated(w1, b, p), abs=1e-15)
    assert robust_accuracy(w, dist, eps, "inf", b) == pytest.approx(
        _enumerated(w1, b, p, eps), abs=1e-15)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.95, 1.0])
def test_tie_convention_witnesses(p):
    """score = x1 + 1 in {2, 0}: the tie 0 is predicted -1, so the rule is sign(x1): acc = p.
    Under the opposite convention (tie -> +1) it would always say +1: acc = 1/2."""
    dist = Distribution(p, 0.7, 3)
    assert standard_accuracy([1.0, 0, 0, 0], dist, b=1.0) == p
    assert standard_accuracy([1.0, 0, 0, 0], dist, b=-1.0) == 0.5  # x1 - 1 in {0, -2}: all -1
    assert standard_accuracy([0.0, 0, 0, 0], dist) == 0.5  # score 0 everywhere: all -1
    assert robust_accuracy([0.0, 0, 0, 0], dist, 5.0) == 0.5


# --- the reduced kernel --------------------------------------------------------------------------

@given(st.floats(-10, 10), st.floats(-10, 10), st.floats(0.01, 10), st.floats(-10, 10),
       st.floats(0, 1), st.floats(0, 10))
def test_reduced_accuracy_formula(w1, m, sigma, b, p, r):
    """Against the display of docs/theory.md §2 in 30-digit arithmetic. Tolerance: the float
    sum of the mean carries at most a few ulps of |w1| + |m| + |b| + |r|; divided by sigma and
    times the normal density (<= 0.4) that bounds each term's error."""
    import mpmath

    with mpmath.workdps(30):
        expected = float(sum(
            mpmath.mpf(weight) / 2 * mpmath.ncdf((mpmath.mpf(w1) * s + mpmath.mpf(m)
                                                  + y * mpmath.mpf(b) - mpmath.mpf(r))
                                                 / mpmath.mpf(sigma))
            for y in (1, -1) for s, weight in ((1, p), (-1, 1 - p))))
    tol = 8 * np.finfo(float).eps * (abs(w1) + abs(m) + abs(b) + abs(r)) / sigma + 1e-15
    assert abs(float(reduced_accuracy(w1, m, sigma, b, p, r)) - expected) <= tol


def test_reduced_accuracy_broadcasts():
    out = reduced_accuracy(np.array([0.0, 1.0, 2.0]), 0.5, 1.0, 0.0, 0.9, 0.0)
    assert out.shape == (3,)
    assert np.all(np.diff(out) > 0)


def test_sigma_does_not_underflow():
    """sigma = ||w_rest||_2 by a scaled norm: [7.8e-220] squared underflows, its norm must not
    (issue 10's witness: the true accuracy is 1/4; the unscaled norm gave 0.0)."""
    dist = Distribution(0.0, 0.0, 1)
    assert standard_accuracy([1.0, 7.8e-220], dist, b=1.0) == 0.25
    assert scaled_norm(np.array([7.8e-220, 0.0])) == 7.8e-220
    assert scaled_norm(np.array([3e200, 4e200])) == pytest.approx(5e200, rel=1e-15)
    assert scaled_norm(np.zeros((2, 3))).tolist() == [0.0, 0.0]
    # negative control: numpy's unscaled norm does underflow here
    assert np.linalg.norm(np.array([7.8e-220])) == 0.0


@pytest.mark.parametrize(("p", "eta", "w", "b", "eps", "norm", "expected"), [
    # p = 1, eta = 0.3: the x1 share s - eps|w1| = 0 exactly; the signed score is
    # 1e-30 (z + 0.3 - 1) for y = +1 and 1e-30 (-z - 0.3 + ... ) alike: Phi(-0.7) in total
    (1.0, 0.3, [1.0, 1e-30], 0.0, 1.0, "inf", ndtr(-0.7)),
    # eta = 0: only z decides once x1's share cancels: Phi(-1) (|w_rest|_1 / sigma = 1)
    (1.0, 0.0, [1.0, 7.8e-220], 0.0, 1.0, "inf", ndtr(-1.0)),
    # bias 0.5 and attack 0.5 cancel x1 for y = -1 only: 1/2 + Phi(-1/2)/2
    (1.0, 0.0, [1.0, 7.8e-220], 0.5, 0.5, "inf", 0.5 + 0.5 * ndtr(-0.5)),
    # l_2: ||w||_2 - |w1| = 5e-61 is far below sigma = 1e-30: Phi(0.3 - ~0)
    (1.0, 0.3, [1.0, 1e-30], 0.0, 1.0, "2", ndtr(0.3)),
])
def test_robust_accuracy_keeps_a_tiny_weak_share_of_the_attack(p, eta, w, b, eps, norm,
                                                                 expected):
    """The attack lowers the score by eps*||w||_*; its x1 share may cancel the x1 term exactly,
    and then the weak share (1e-30, below the float resolution of ||w||_1 = 1 + 1e-30) decides.
    Computed as one float, ||w||_1 absorbed it (robust accuracy 0.618 instead of 0.242)."""
    got = robust_accuracy(np.array(w), Distribution(p, eta, 1), eps, norm=norm, b=b)
    assert got == pytest.approx(expected, abs=1e-15)
    # negative control: the reduction as one float (the old formula) is visibly wrong here
    w1, rest = w[0], np.array(w[1:])
    dual = np.abs(np.array(w)).sum() if norm == "inf" else np.hypot(w1, rest[0])
    old = reduced_accuracy(w1, eta * rest.sum(), scaled_norm(rest), b, p, eps * dual)
    assert norm == "2" or abs(float(old) - expected) > 0.05


def test_linear_rule_score_sums_x1_and_bias_first():
    """sign(x1 + 1 + 7.8e-220 z) at x1 = -1 is sign(z): the plain X @ w + b gives 0 (-1)."""
    from tradeoff.classifiers import LinearRule

    rule = LinearRule(np.array([1.0, 7.8e-220]), 1.0)
    z = np.array([-2.0, -0.5, 0.5, 2.0])
    X = np.column_stack([-np.ones(4), z])
    assert rule.predict(X).tolist() == [-1.0, -1.0, 1.0, 1.0]
    assert np.all(X @ rule.w + rule.b == 0.0)  # negative control: the naive score is 0
    # the attacked score: eps = 1 moves x1's share to 0 exactly, the weak share survives
    y = np.ones(4)
    unbiased = LinearRule(np.array([1.0, 7.8e-220]))
    moved = unbiased.score(np.column_stack([np.ones(4), z]), y, 1.0, "inf")
    assert np.all(np.sign(moved) == np.sign(z - 1.0)) and np.all(moved != 0.0)


def test_linear_rule_score_does_not_underflow_the_attack():
    """Soak finding (B-TRADES): w = (1.3e-301, 0), b = eps = 1.3e-301. For y = -1 the clean
    score is the tie 0 and the attack moves it up by eps*|w1| = 1.6e-602, which underflows
    unless the score is scaled by max(|w_i|, |b|) first."""
    from tradeoff.classifiers import LinearRule

    tiny = 1.2797644661459448e-301
    rule = LinearRule(np.array([tiny, 0.0]), tiny)
    X = np.array([[-1.0, 0.3], [1.0, -0.2]])
    y = np.array([-1.0, 1.0])
    moved = rule.score(X, y, tiny, "inf")
    assert moved[0] > 0 and moved[1] > 0  # the y = -1 row is pushed across the tie
    assert tiny * tiny == 0.0  # negative control: unscaled, the move is lost
    assert robust_accuracy(np.array([tiny, 0.0]), Distribution(1.0, 0.0, 1), tiny, b=tiny) == 0.5
