"""Monte Carlo helpers: derived seeds, Clopper–Pearson intervals, the shift attack, estimates.

Agreement of estimates with closed forms and with scipy's exact interval is in
tests/test_mc_vs_closed_form.py.
"""

import hashlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tradeoff.distribution import Distribution, sufficient_statistic
from tradeoff.montecarlo import (
    Estimate,
    clopper_pearson,
    derive_seed,
    estimate_accuracy,
    hoeffding_radius,
    shift_attack,
)
from tradeoff.strategies import distributions, radii_at_least

ALPHA = 1e-9


def dkw_radius(n: int) -> float:
    return math.sqrt(math.log(2.0 / ALPHA) / (2.0 * n))


# --- derive_seed -------------------------------------------------------------------------------

def test_derive_seed_is_the_documented_hash():
    text = "'C-2.1'|0.95|0.3|100"
    expected = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1
    assert derive_seed("C-2.1", 0.95, 0.3, 100) == expected


@given(st.lists(st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=5)),
                max_size=5))
def test_derive_seed_range_and_stability(params):
    seed = derive_seed(*params)
    assert 0 <= seed < 2**63
    assert derive_seed(*params) == seed
    np.random.default_rng(seed)  # a valid seed


def test_derive_seed_normalises_numpy_floats_and_separates_parameters():
    assert derive_seed(np.float64(0.5), 3) == derive_seed(0.5, 3)
    assert derive_seed(0.5, 3) != derive_seed(0.5, 4)
    assert derive_seed(0.5, 3) != derive_seed(3, 0.5)
    assert derive_seed("ab", "c") != derive_seed("a", "bc")


# --- clopper_pearson ---------------------------------------------------------------------------

@given(st.integers(1, 10**6), st.data(), st.floats(1e-12, 0.5))
def test_clopper_pearson_basic_properties(n, data, alpha):
    x = data.draw(st.integers(0, n))
    lo, hi = clopper_pearson(x, n, alpha)
    assert 0.0 <= lo <= x / n <= hi <= 1.0
    assert (lo == 0.0) == (x == 0)
    if x == n:
        assert hi == 1.0
    elif hi == 1.0:
        # Legitimate only when the exact upper end lies above the largest double below 1, so
        # that rounding to nearest gives 1.0 (e.g. x = n - 1 = 9007, alpha = 1e-12: the exact
        # end is 1 - 5.6e-17). Then P(Bin(n, q) <= x) > alpha/2 at q = 1 - 2^-53, in 50 digits.
        import mpmath

        with mpmath.workdps(50):
            q = 1 - mpmath.mpf(2) ** -53
            upper_tail = mpmath.fsum(mpmath.binomial(n, j) * q**j * (1 - q) ** (n - j)
                                     for j in range(x + 1, n + 1))
            assert 1 - upper_tail > mpmath.mpf(alpha) / 2, (x, n, alpha)


def test_clopper_pearson_closed_forms_at_the_edges():
    """x = 0: upper end 1 - (alpha/2)^(1/n); x = n: lower end (alpha/2)^(1/n)."""
    for n in (1, 10, 1000):
        assert clopper_pearson(0, n, 0.05)[1] == pytest.approx(1 - 0.025 ** (1 / n), rel=1e-10)
        assert clopper_pearson(n, n, 0.05)[0] == pytest.approx(0.025 ** (1 / n), rel=1e-10)


def test_clopper_pearson_narrows_with_alpha_and_n():
    wide, narrow = clopper_pearson(50, 100, 1e-9), clopper_pearson(50, 100, 0.05)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]
    big = clopper_pearson(5000, 10_000, 1e-9)
    assert big[1] - big[0] < wide[1] - wide[0]


@pytest.mark.parametrize("n", [1, 5, 20])
def test_clopper_pearson_coverage_is_exact(n):
    """Coverage >= 1 - alpha for every true proportion (enumerated exactly over x)."""
    alpha = 0.2
    intervals = [clopper_pearson(x, n, alpha) for x in range(n + 1)]
    for q in np.linspace(0.0, 1.0, 201):
        pmf = stats.binom.pmf(np.arange(n + 1), n, q)
        covered = sum(pmf[x] for x, (lo, hi) in enumerate(intervals) if lo <= q <= hi)
        assert covered >= 1 - alpha - 1e-12


def test_hoeffding_radius_formula():
    assert hoeffding_radius(1000, 1e-9) == pytest.approx(math.sqrt(math.log(2e9) / 2000))


# --- shift_attack ------------------------------------------------------------------------------

@settings(deadline=None)
@given(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False, max_d=2000),
       st.integers(1, 50))
def test_shift_attack_moves_only_the_weak_block_by_two_eta(dist, n):
    X, y = dist.sample(n, derive_seed("shift-shape", dist, n))
    moved = shift_attack(X, y, dist.eta)
    assert moved.shape == X.shape and moved is not X
    assert np.array_equal(moved[:, 0], X[:, 0])
    delta = moved[:, 1:] - X[:, 1:]
    np.testing.assert_allclose(delta, np.broadcast_to(-2 * dist.eta * y[:, None], delta.shape),
                               rtol=1e-12, atol=4 * np.spacing(np.max(np.abs(X)) + 2 * dist.eta))
    # Undoing: shifting by -y restores X (up to rounding).
    np.testing.assert_allclose(shift_attack(moved, -y, dist.eta), X, rtol=1e-12,
                               atol=8 * np.spacing(np.max(np.abs(X)) + 2 * dist.eta))


def test_shift_attack_does_not_modify_its_input():
    X = np.array([[1.0, 0.5, -0.5]])
    before = X.copy()
    shift_attack(X, np.array([1.0]), 0.25)
    assert np.array_equal(X, before)


def test_shift_attack_exact_values():
    X = np.array([[1.0, 0.5, -0.5], [-1.0, 0.0, 2.0]])
    y = np.array([1.0, -1.0])
    out = shift_attack(X, y, 0.25)
    assert np.array_equal(out, [[1.0, 0.0, -1.0], [-1.0, 0.5, 2.5]])


@settings(deadline=None)
@given(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False, max_d=64))
def test_shift_attack_maps_G_y_onto_G_minus_y(dist):
    """C-C1 in law: after the shift, y * x_i ~ N(-eta, 1) for every weak coordinate."""
    X, y = dist.sample(2000, derive_seed("shift-law", dist))
    moved = shift_attack(X, y, dist.eta)
    signed = (y[:, None] * moved[:, 1:]).ravel()
    ks = stats.kstest(signed, stats.norm(loc=-dist.eta).cdf).statistic
    assert ks <= dkw_radius(signed.size)
    ks_z = stats.kstest(y * sufficient_statistic(moved), stats.norm(loc=-dist.k).cdf).statistic
    assert ks_z <= dkw_radius(len(y))


def test_shift_law_check_can_fail():
    """Negative control: a shift by eta (not 2 eta) lands on N(0, 1), not on N(-eta, 1)."""
    dist = Distribution(0.95, 0.3, 64)
    X, y = dist.sample(2000, derive_seed("shift-law", dist))
    half = X.copy()
    half[:, 1:] -= dist.eta * y[:, None]
    signed = (y[:, None] * half[:, 1:]).ravel()
    assert stats.kstest(signed, stats.norm(loc=-dist.eta).cdf).statistic > dkw_radius(
        signed.size)


@settings(deadline=None)
@given(distributions(max_d=500).flatmap(lambda d: st.tuples(st.just(d),
                                                             radii_at_least(2 * d.eta))))
def test_shift_attack_is_admissible_at_every_radius_from_two_eta(case):
    dist, eps = case
    X, y = dist.sample(20, derive_seed("admissible", dist, eps))
    moved = shift_attack(X, y, dist.eta)
    size = float(np.max(np.abs(moved - X)))
    assert size <= eps + 4 * np.spacing(np.max(np.abs(X)) + 2 * dist.eta)


# --- estimate_accuracy -------------------------------------------------------------------------

def test_estimate_of_a_constant_classifier_counts_labels():
    dist = Distribution(0.9, 0.2, 3)
    n, seed = 5000, derive_seed("constant", dist)
    est = estimate_accuracy(lambda X: np.ones(len(X)), dist, n, seed)
    _, y = dist.sample(n, seed)
    assert isinstance(est, Estimate)
    assert est.successes == int(np.sum(y == 1)) and est.n == n and est.alpha == 1e-9
    assert (est.low, est.high) == clopper_pearson(est.successes, n, 1e-9)
    assert est.value == est.successes / n
    assert est.low <= 0.5 <= est.high


def test_estimate_under_shift_uses_the_shifted_inputs():
    """f_avg-like rule on the weak block: standard ~ Phi(k) ~ 1, shifted ~ Phi(-k) ~ 0."""
    dist = Distribution(0.95, 1.0, 16)  # k = 4

    def f(X):
        return np.where(X[:, 1:].mean(axis=1) > 0, 1.0, -1.0)

    std = estimate_accuracy(f, dist, 4000, 1)
    shifted = estimate_accuracy(f, dist, 4000, 1, attack="shift")
    assert std.low > 0.99 and shifted.high < 0.01


def test_estimate_batches_cover_n_exactly():
    dist = Distribution(0.7, 0.1, 2)
    calls = []

    def f(X):
        calls.append(len(X))
        return np.ones(len(X))

    est = estimate_accuracy(f, dist, 1001, 0, batch=300)
    assert calls == [300, 300, 300, 101] and est.n == 1001


def test_estimate_refuses_malformed_classifier_output():
    dist = Distribution(0.7, 0.1, 2)
    with pytest.raises(ValueError, match="classifier"):
        estimate_accuracy(lambda X: np.ones(len(X) + 1), dist, 10, 0)
    with pytest.raises(ValueError, match="classifier"):
        estimate_accuracy(lambda X: np.zeros(len(X)), dist, 10, 0)
    with pytest.raises(ValueError, match="attack"):
        estimate_accuracy(lambda X: np.ones(len(X)), dist, 10, 0, attack="pgd")
