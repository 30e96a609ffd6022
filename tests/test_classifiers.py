"""The classifier families: predictions, exact accuracies cross-checked between families.

A threshold rule ``sign(z - u)`` is the linear rule ``w = (0, 1/sqrt(d), ...), b = -u``; a threshold
rule with different thresholds per branch is a linear rule with a weight on x1 for standard and
shift accuracy (the two compute them by unrelated code: interval arithmetic versus ndtr of the
reduced statistics). Monte Carlo agreement of ``predict`` with the closed forms lives in
tests/test_mc_vs_closed_form.py.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradeoff import bounds
from tradeoff.classifiers import LinearRule, Mixture, NeuralNet, ThresholdRule
from tradeoff.distribution import Distribution, sufficient_statistic
from tradeoff.montecarlo import clopper_pearson, derive_seed
from tradeoff.strategies import distributions, linear_rules, threshold_rules

ALPHA = 1e-9
all_dists = distributions(p_low=0.0, p_high=1.0, exclude_p_high=False)
finite_u = st.floats(-12.0, 12.0)
radii = st.one_of(st.sampled_from([0.0, 1.0, math.nextafter(1.0, 0.0)]), st.floats(0.0, 3.0))
norms = st.sampled_from(["inf", "2"])


def _z_rule(d: int, u: float, forward: bool = True) -> LinearRule:
    """sign(z - u) (forward) or sign(u - z) (reversed) as a linear rule."""
    sign = 1.0 if forward else -1.0
    w = np.concatenate([[0.0], np.full(d, sign / math.sqrt(d))])
    return LinearRule(w, -sign * u)


# --- predictions -------------------------------------------------------------------------------

def test_linear_rule_predicts_with_the_tie_convention():
    rule = LinearRule(np.array([1.0, 1.0, -1.0]), b=0.0)
    X = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [-1.0, 0.0, 0.0], [0.0, 2.0, 1.0]])
    assert np.array_equal(rule.predict(X), [1.0, -1.0, -1.0, 1.0])


def test_threshold_rule_predicts_by_branch():
    rule = ThresholdRule(0.5, -0.5, forward_plus=True, forward_minus=False)
    d = 4
    cases = [(1.0, 1.0, 1.0), (1.0, 0.5, -1.0), (1.0, 0.0, -1.0),
             (-1.0, -1.0, 1.0), (-1.0, -0.5, -1.0), (-1.0, 0.0, -1.0),
             (0.0, -1.0, 1.0)]  # x1 = 0 belongs to the minus branch; z = u is predicted -1
    X = np.array([np.concatenate([[x1], np.full(d, z / math.sqrt(d))]) for x1, z, _ in cases])
    expected = [label for _, _, label in cases]
    assert np.allclose(sufficient_statistic(X), [z for _, z, _ in cases])
    assert np.array_equal(rule.predict(X), expected)


@given(all_dists.flatmap(lambda dist: st.tuples(st.just(dist), threshold_rules())),
       st.integers(0, 2**32 - 1))
def test_threshold_rule_predict_matches_its_definition(case, seed):
    dist, rule = case
    if dist.d > 2000:
        dist = Distribution(dist.p, dist.eta, 2000)  # cost of the sample only
    X, _ = dist.sample(64, seed)
    z = sufficient_statistic(X)
    for i in range(len(X)):
        u, fwd = (rule.u_plus, rule.forward_plus) if X[i, 0] > 0 else (rule.u_minus,
                                                                        rule.forward_minus)
        plus = z[i] > u if fwd else z[i] < u
        assert rule.predict(X[i:i + 1])[0] == (1.0 if plus else -1.0)


# --- threshold rules versus linear rules ------------------------------------------------------

@settings(deadline=None)
@given(all_dists, finite_u, st.booleans(), radii, norms)
def test_single_threshold_equals_linear_rule(dist, u, forward, eps, norm):
    """ThresholdRule(u, u) == sign(+-(z - u)): every accuracy, every radius, both norms."""
    thr = ThresholdRule(u, u, forward, forward)
    lin = _z_rule(dist.d, u, forward)
    assert thr.standard_accuracy(dist) == pytest.approx(lin.standard_accuracy(dist), abs=1e-9)
    assert thr.shift_accuracy(dist) == pytest.approx(lin.shift_accuracy(dist), abs=1e-9)
    assert thr.robust_accuracy(dist, eps, norm) == pytest.approx(
        lin.robust_accuracy(dist, eps, norm), abs=1e-9)
    assert np.allclose(thr.p_matrix(dist), lin.p_matrix(dist), atol=1e-9)


@settings(deadline=None)
@given(all_dists, finite_u, finite_u)
def test_two_thresholds_equal_a_linear_rule_with_x1_weight(dist, u_plus, u_minus):
    """u_+ = -b - c and u_- = -b + c: sign(c x1 + z + b) on the model's x1 in {-1, +1}."""
    c, b = (u_minus - u_plus) / 2, -(u_plus + u_minus) / 2
    thr = ThresholdRule(u_plus, u_minus)
    w = np.concatenate([[c], np.full(dist.d, 1.0 / math.sqrt(dist.d))])
    lin = LinearRule(w, b)
    assert thr.standard_accuracy(dist) == pytest.approx(lin.standard_accuracy(dist), abs=1e-9)
    assert thr.shift_accuracy(dist) == pytest.approx(lin.shift_accuracy(dist), abs=1e-9)
    assert np.allclose(thr.p_matrix(dist), lin.p_matrix(dist), atol=1e-9)


@settings(deadline=None)
@given(all_dists, radii, norms)
def test_threshold_sign_x1_equals_frob(dist, eps, norm):
    """ThresholdRule(-inf, +inf) is sign(x1) (tie -> -1): p below radius 1, p/2 at 1, 0 above."""
    thr = ThresholdRule(-math.inf, math.inf)
    lin = LinearRule(bounds.f_rob_weights(dist.d))
    assert thr.standard_accuracy(dist) == pytest.approx(dist.p, abs=1e-15)
    assert thr.robust_accuracy(dist, eps, norm) == pytest.approx(
        lin.robust_accuracy(dist, eps, norm), abs=1e-15)
    expected = dist.p if eps < 1 else (dist.p / 2 if eps == 1 else 0.0)
    assert thr.robust_accuracy(dist, eps, norm) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("u", [-math.inf, math.inf])
def test_constant_threshold_rules(u):
    """Always +1 (u = -inf, forward) or always -1 (u = +inf): accuracy 1/2 whatever happens."""
    dist = Distribution(0.8, 0.4, 9)
    rule = ThresholdRule(u, u)
    for value in (rule.standard_accuracy(dist), rule.shift_accuracy(dist),
                  rule.robust_accuracy(dist, 5.0), rule.robust_accuracy(dist, 5.0, "2")):
        assert value == pytest.approx(0.5, abs=1e-15)


def test_threshold_robustness_beyond_linear():
    """Negative control of the equivalence: with two thresholds the x1 weight of the linear
    rule is attackable, the threshold rule's branch is not (eps < 1): robust accuracies differ."""
    dist = Distribution(0.95, 0.3, 100)
    thr = ThresholdRule(-3.0, 3.0)  # close to sign(x1)
    w = np.concatenate([[3.0], np.full(100, 0.1)])
    lin = LinearRule(w, 0.0)
    assert thr.standard_accuracy(dist) == pytest.approx(lin.standard_accuracy(dist), abs=1e-12)
    assert thr.robust_accuracy(dist, 0.6) - lin.robust_accuracy(dist, 0.6) > 0.1


@settings(deadline=None)
@given(all_dists.flatmap(lambda dist: st.tuples(st.just(dist), threshold_rules())),
       radii, radii, norms)
def test_threshold_robust_accuracy_is_monotone(case, e1, e2, norm):
    dist, rule = case
    lo, hi = sorted((e1, e2))
    assert rule.robust_accuracy(dist, hi, norm) <= rule.robust_accuracy(dist, lo, norm) + 1e-15
    assert rule.robust_accuracy(dist, 0.0, norm) == pytest.approx(rule.standard_accuracy(dist),
                                                                  abs=1e-15)
    assert rule.robust_accuracy(dist, lo, "inf") <= rule.robust_accuracy(dist, lo, "2") + 1e-15


@settings(deadline=None)
@given(all_dists.flatmap(lambda dist: st.tuples(st.just(dist), threshold_rules())))
def test_p_matrix_entries_are_probabilities(case):
    dist, rule = case
    P = rule.p_matrix(dist)
    assert P.shape == (2, 2)
    assert np.all((P >= 0) & (P <= 1))
    if dist.eta == 0.0:  # G_+ = G_-: the columns coincide
        assert P[0, 0] == P[0, 1] and P[1, 0] == P[1, 1]


# --- mixtures ----------------------------------------------------------------------------------

@settings(deadline=None)
@given(all_dists.flatmap(lambda dist: st.tuples(st.just(dist), linear_rules(dist.d),
                                                threshold_rules(), st.floats(0.0, 1.0))),
       radii, norms)
def test_mixture_accuracies_are_weighted_means(case, eps, norm):
    dist, lin, thr, q = case
    mix = Mixture((lin, thr), (q, 1.0 - q))
    for method, args in (("standard_accuracy", ()), ("shift_accuracy", ()),
                         ("robust_accuracy", (eps, norm))):
        expected = q * getattr(lin, method)(dist, *args) + (1 - q) * getattr(thr, method)(
            dist, *args)
        assert getattr(mix, method)(dist, *args) == pytest.approx(expected, abs=1e-15)
    assert np.allclose(mix.p_matrix(dist), q * lin.p_matrix(dist) + (1 - q) * thr.p_matrix(dist))


def test_mixture_predict_draws_components_with_their_weights():
    plus, minus = ThresholdRule(-math.inf, -math.inf), ThresholdRule(math.inf, math.inf)
    mix = Mixture((plus, minus), (0.3, 0.7))
    X, _ = Distribution(0.9, 0.1, 2).sample(20_000, 1)
    pred = mix.predict(X, np.random.default_rng(derive_seed("mixture", 0.3)))
    lo, hi = clopper_pearson(int(np.sum(pred == 1)), len(X), ALPHA)
    assert lo <= 0.3 <= hi
    assert not lo <= 0.5 <= hi  # control: a fair coin would be rejected
    assert set(np.unique(pred)) <= {-1.0, 1.0}


def test_degenerate_mixture_is_its_component():
    dist = Distribution(0.95, 0.3, 100)
    f_avg = LinearRule(bounds.f_avg_weights(100))
    mix = Mixture((f_avg,), (1.0,))
    assert mix.standard_accuracy(dist) == f_avg.standard_accuracy(dist)
    assert mix.robust_accuracy(dist, 0.6) == f_avg.robust_accuracy(dist, 0.6)


# --- neural networks ---------------------------------------------------------------------------

def test_neural_net_is_deterministic_in_its_seed():
    a, b = NeuralNet.random(5, 8, 42), NeuralNet.random(5, 8, 42)
    c = NeuralNet.random(5, 8, 43)
    X, _ = Distribution(0.9, 0.3, 4).sample(200, 0)
    assert np.array_equal(a.predict(X), b.predict(X))
    assert not np.array_equal(a.W1, c.W1)
    assert set(np.unique(a.predict(X))) <= {-1.0, 1.0}
    assert a.exact is False


def test_neural_net_weak_scale_zero_ignores_the_weak_block():
    net = NeuralNet.random(6, 8, 3, weak_scale=0.0)
    X, _ = Distribution(0.9, 0.3, 5).sample(500, 0)
    Y = X.copy()
    Y[:, 1:] = np.random.default_rng(1).normal(size=Y[:, 1:].shape) * 100
    assert np.array_equal(net.predict(X), net.predict(Y))


# --- threshold rules against Monte Carlo attacks in full dimension (issue 10, item 2) -----------

def _attacked_correct(rule: ThresholdRule, X: np.ndarray, y: np.ndarray, eps: float,
                      norm: str) -> np.ndarray:
    """Whether each sample stays correct under every attack in a complete set of candidates.

    The rule depends on x only through sign-branch(x1) and z, so the worst attacks are: keep the
    branch and move z by the whole budget up or down, or cross the branch with the smallest
    |delta1| that does it (x1 = +1 -> 0 needs 1; x1 = -1 -> > 0 needs just over 1) and spend
    what is left on z (l_inf: eps*sqrt(d) always; l_2: sqrt(eps^2 - delta1^2)). Every attack is
    applied to the full input and scored by ``rule.predict``.
    """
    n, dim = X.shape
    d = dim - 1
    ok = rule.predict(X) == y
    cross = np.where(X[:, 0] > 0, -1.0, 1.0 + 1e-9)
    for delta1 in (np.zeros(n), cross):
        if norm == "inf":
            reach = np.abs(delta1) <= eps
            budget = np.full(n, eps * math.sqrt(d))
        else:
            reach = np.abs(delta1) <= eps
            budget = np.sqrt(np.maximum(eps**2 - delta1**2, 0.0))
        for direction in (1.0, -1.0):
            Xa = X.copy()
            Xa[:, 0] += np.where(reach, delta1, 0.0)
            Xa[:, 1:] += (direction * budget / math.sqrt(d))[:, None]
            ok &= ~reach | (rule.predict(Xa) == y)
    return ok


def _check_threshold_mc(dist, rule, eps, norm, n=20_000):
    seed = derive_seed("threshold-robust-mc", dist.p, dist.eta, dist.d, rule.u_plus,
                       rule.u_minus, rule.forward_plus, rule.forward_minus, eps, norm)
    X, y = dist.sample(n, seed)
    hits = int(np.sum(_attacked_correct(rule, X, y, eps, norm)))
    lo, hi = clopper_pearson(hits, n, ALPHA)
    exact = rule.robust_accuracy(dist, eps, norm)
    assert lo <= exact <= hi, (exact, lo, hi, hits / n)
    return exact, hits / n


@pytest.mark.parametrize(("eps", "norm"), [(1.5, "2"), (1.2, "2"), (0.7, "2"), (1.5, "inf"),
                                           (0.4, "inf")])
def test_threshold_robust_accuracy_matches_monte_carlo_witnesses(eps, norm):
    """Witnesses where the l_2 budget left after flipping x1 (sqrt(eps^2 - 1), not eps) decides
    the answer: the minus branch predicts +1 above z = 3, so crossing from x1 = +1 and pushing z
    down (or from -1 and pushing z up) only works with the right leftover budget."""
    dist = Distribution(0.8, 0.5, 4)
    rule = ThresholdRule(-0.5, 3.0, forward_plus=True, forward_minus=True)
    _check_threshold_mc(dist, rule, eps, norm)


@settings(max_examples=15, deadline=None)
@given(p=st.floats(0.0, 1.0), eta=st.floats(0.0, 1.5), d=st.integers(1, 6),
       u_plus=st.floats(-3.0, 3.0), u_minus=st.floats(-3.0, 3.0), fp=st.booleans(),
       fm=st.booleans(), eps=st.floats(0.0, 3.0), norm=norms)
def test_threshold_robust_accuracy_matches_monte_carlo(p, eta, d, u_plus, u_minus, fp, fm, eps,
                                                       norm):
    # keep eps off the branch-crossing radius 1 (a measure-zero boundary for the sampled attack)
    if abs(eps - 1.0) < 1e-6:
        eps = 1.0 + 1e-3
    _check_threshold_mc(Distribution(p, eta, d), ThresholdRule(u_plus, u_minus, fp, fm), eps, norm)
