"""D(p, eta, d) of the paper's eq. (3): fields, samplers and the sufficient statistic.

Monte Carlo assertions use exact Clopper–Pearson intervals or the DKW–Massart band at a
false-failure probability of ALPHA = 1e-9 each; seeds are derived from the parameters.
"""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from tradeoff.distribution import Distribution, sufficient_statistic
from tradeoff.montecarlo import clopper_pearson, derive_seed
from tradeoff.strategies import distributions

ALPHA = 1e-9
N_LAW = 4000
# The full sampler costs O(n*d): the law tests cap d (cost only; the law does not depend on d
# except through k, which the strategy still covers up to its whole range).
MAX_D_LAW = 64

every_distribution = distributions(p_low=0.0, p_high=1.0, exclude_p_high=False)
law_distributions = distributions(p_low=0.0, p_high=1.0, exclude_p_high=False, max_d=MAX_D_LAW)


def dkw_radius(n: int) -> float:
    """P(sup |F_n - F| > r) <= 2 exp(-2 n r^2) = ALPHA."""
    return math.sqrt(math.log(2.0 / ALPHA) / (2.0 * n))


def ks_to_normal(sample, mean: float) -> float:
    return float(stats.kstest(np.asarray(sample), stats.norm(loc=mean).cdf).statistic)


def contains(successes: int, n: int, value: float) -> bool:
    lo, hi = clopper_pearson(successes, n, ALPHA)
    return lo <= value <= hi


# --- fields ----------------------------------------------------------------------------------

def test_fields_are_normalised_to_python_types():
    dist = Distribution(np.float64(0.95), 1, np.int64(100))
    assert type(dist.p) is float and type(dist.eta) is float and type(dist.d) is int
    assert (dist.p, dist.eta, dist.d) == (0.95, 1.0, 100)
    assert dist.dim == 101
    assert dist.k == 10.0


def test_k_is_eta_sqrt_d():
    dist = Distribution(0.95, 0.3, 100)
    assert dist.k == pytest.approx(3.0, rel=1e-15)


def test_distribution_is_frozen_and_hashable():
    dist = Distribution(0.5, 1.0, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        dist.p = 0.6
    assert dist == Distribution(0.5, 1, 3)
    assert hash(dist) == hash(Distribution(0.5, 1, 3))


@pytest.mark.parametrize("p, eta, d", [(0.0, 0.0, 1), (1.0, 0.0, 1), (0.5, 1e3, 10**5)])
def test_boundary_parameters_are_accepted(p, eta, d):
    dist = Distribution(p, eta, d)
    assert (dist.p, dist.eta, dist.d) == (p, eta, d)


# --- samplers: shapes, support ---------------------------------------------------------------

@settings(deadline=None)
@given(every_distribution, st.integers(1, 20))
def test_sample_shapes_and_support(dist, n):
    seed = derive_seed("shape", dist, n)
    X, y = dist.sample(n, seed)
    assert X.shape == (n, dist.d + 1) and y.shape == (n,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert np.all(np.isfinite(X))
    assert set(np.unique(y)) <= {-1.0, 1.0}
    assert set(np.unique(X[:, 0])) <= {-1.0, 1.0}
    x1, z, y = dist.sample_sufficient(n, seed)
    assert x1.shape == z.shape == y.shape == (n,)
    assert np.all(np.isfinite(z))
    assert set(np.unique(y)) <= {-1.0, 1.0}
    assert set(np.unique(x1)) <= {-1.0, 1.0}


@pytest.mark.parametrize("sampler", ["full", "sufficient"])
def test_p_one_and_p_zero_are_deterministic_in_x1(sampler):
    """Witnesses at the endpoints: x1 = y always (p = 1), x1 = -y always (p = 0)."""
    for p, sign in ((1.0, 1.0), (0.0, -1.0)):
        dist = Distribution(p, 0.5, 3)
        if sampler == "full":
            X, y = dist.sample(1000, 7)
            x1 = X[:, 0]
        else:
            x1, _, y = dist.sample_sufficient(1000, 7)
        assert np.array_equal(x1, sign * y)


def test_seed_and_generator_are_interchangeable():
    dist = Distribution(0.8, 0.4, 5)
    X1, y1 = dist.sample(50, 123)
    X2, y2 = dist.sample(50, np.random.default_rng(123))
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)


def test_a_generator_advances():
    dist = Distribution(0.8, 0.4, 5)
    gen = np.random.default_rng(0)
    X1, _ = dist.sample(50, gen)
    X2, _ = dist.sample(50, gen)
    assert not np.array_equal(X1, X2)


# --- samplers: the law (Monte Carlo, exact bounds) -------------------------------------------

@settings(deadline=None)
@given(law_distributions)
@example(Distribution(0.95, 0.3, 64))
@example(Distribution(0.5, 0.0, 1))
def test_full_sampler_law(dist):
    """y uniform; P(x1 = y) = p; given (y, x1) the weak coordinates are i.i.d. N(eta*y, 1)."""
    X, y = dist.sample(N_LAW, derive_seed("full-law", dist))
    assert contains(int(np.sum(y > 0)), N_LAW, 0.5)
    assert contains(int(np.sum(X[:, 0] == y)), N_LAW, dist.p)
    # y * x_i ~ N(eta, 1) for every weak coordinate, separately for each value of s = y*x1
    # (conditional independence of x1 and the weak block given y).
    signed = y[:, None] * X[:, 1:9]  # the first (up to) 8 weak coordinates: cost of the KS sort
    s = y * X[:, 0]
    for mask in (s > 0, s < 0):
        block = signed[mask].ravel()
        if block.size >= 100:
            assert ks_to_normal(block, dist.eta) <= dkw_radius(block.size)


@settings(deadline=None)
@given(every_distribution)
@example(Distribution(0.95, 3.0 / math.sqrt(10**5), 10**5))
def test_sufficient_sampler_law(dist):
    """y uniform; P(x1 = y) = p; given (y, x1), y*z ~ N(k, 1) (C-ZLAW for the cheap sampler)."""
    x1, z, y = dist.sample_sufficient(N_LAW, derive_seed("sufficient-law", dist))
    assert contains(int(np.sum(y > 0)), N_LAW, 0.5)
    assert contains(int(np.sum(x1 == y)), N_LAW, dist.p)
    s = y * x1
    for mask in (s > 0, s < 0):
        if mask.sum() >= 100:
            assert ks_to_normal((y * z)[mask], dist.k) <= dkw_radius(int(mask.sum()))


def test_law_checks_can_fail():
    """Negative controls: the same checks reject a wrong mean and a wrong p."""
    dist = Distribution(0.95, 0.3, 16)
    X, y = dist.sample(N_LAW, derive_seed("control", dist))
    signed = (y[:, None] * X[:, 1:]).ravel()
    assert ks_to_normal(signed, dist.eta + 0.1) > dkw_radius(signed.size)
    assert not contains(int(np.sum(X[:, 0] == y)), N_LAW, 0.9)
    x1, z, y = dist.sample_sufficient(N_LAW, derive_seed("control-s", dist))
    assert ks_to_normal(y * z, dist.k + 0.2) > dkw_radius(N_LAW)


# --- sufficient statistic ----------------------------------------------------------------------

@given(st.integers(1, 30), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_sufficient_statistic_formula(n, d, seed):
    X = np.random.default_rng(seed).normal(size=(n, d + 1)) * 10
    expected = np.array([math.fsum(row[1:]) for row in X]) / math.sqrt(d)
    np.testing.assert_allclose(sufficient_statistic(X), expected, rtol=1e-12, atol=1e-12)


def test_sufficient_statistic_ignores_x1():
    X = np.array([[5.0, 1.0, 2.0, 3.0, 4.0], [-7.0, 1.0, 2.0, 3.0, 4.0]])
    assert np.array_equal(sufficient_statistic(X), np.array([5.0, 5.0]))


@pytest.mark.parametrize("shape", [(4,), (4, 1), (2, 2, 2)])
def test_sufficient_statistic_refuses_bad_shapes(shape):
    with pytest.raises(ValueError, match="X"):
        sufficient_statistic(np.zeros(shape))
