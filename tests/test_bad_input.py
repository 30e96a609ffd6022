"""Bad input never yields a silent NaN or a wrong number (docs/architecture.md, API contract).

Every public function refuses out-of-range input with ``ValueError`` or ``TypeError`` whose
message names the offending parameter. Each table row: (call, exception type(s), parameter name).
"""

import math

import numpy as np
import pytest

import tradeoff
from tradeoff import bounds
from tradeoff.classifiers import LinearRule, Mixture, ThresholdRule
from tradeoff.distribution import Distribution
from tradeoff.linear import robust_accuracy, shift_accuracy, standard_accuracy
from tradeoff.montecarlo import (
    clopper_pearson,
    estimate_accuracy,
    hoeffding_radius,
    shift_attack,
)

DIST = Distribution(0.9, 0.3, 3)
W = np.array([1.0, 0.5, 0.5, 0.5])
VE, TE = ValueError, TypeError
EITHER = (ValueError, TypeError)


def _const(X):
    return np.ones(len(X))


CASES = {
    # Distribution(p, eta, d)
    "p below 0": (lambda: Distribution(-0.1, 0.3, 3), VE, "p"),
    "p above 1": (lambda: Distribution(1.1, 0.3, 3), VE, "p"),
    "p nan": (lambda: Distribution(math.nan, 0.3, 3), VE, "p"),
    "p string": (lambda: Distribution("0.5", 0.3, 3), TE, "p"),
    "p bool": (lambda: Distribution(True, 0.3, 3), TE, "p"),
    "eta negative": (lambda: Distribution(0.9, -0.1, 3), VE, "eta"),
    "eta inf": (lambda: Distribution(0.9, math.inf, 3), VE, "eta"),
    "eta nan": (lambda: Distribution(0.9, math.nan, 3), VE, "eta"),
    "d zero": (lambda: Distribution(0.9, 0.3, 0), VE, "d"),
    "d negative": (lambda: Distribution(0.9, 0.3, -2), VE, "d"),
    "d float": (lambda: Distribution(0.9, 0.3, 1.5), TE, "d"),
    "d integral float": (lambda: Distribution(0.9, 0.3, 2.0), TE, "d"),
    "d bool": (lambda: Distribution(0.9, 0.3, True), TE, "d"),
    "d none": (lambda: Distribution(0.9, 0.3, None), TE, "d"),
    # samplers
    "sample n zero": (lambda: DIST.sample(0, 0), VE, "n"),
    "sample n float": (lambda: DIST.sample(2.5, 0), TE, "n"),
    "sample n bool": (lambda: DIST.sample(True, 0), TE, "n"),
    "sample rng negative": (lambda: DIST.sample(5, -1), TE, "rng"),
    "sample rng float": (lambda: DIST.sample(5, 1.5), TE, "rng"),
    "sample rng legacy": (lambda: DIST.sample(5, np.random.RandomState(0)), TE, "rng"),
    "sample rng none": (lambda: DIST.sample(5, None), TE, "rng"),
    "sufficient n zero": (lambda: DIST.sample_sufficient(0, 0), VE, "n"),
    "sufficient rng bad": (lambda: DIST.sample_sufficient(5, "seed"), TE, "rng"),
    # linear accuracies
    "w too short": (lambda: standard_accuracy(W[:-1], DIST), VE, "w"),
    "w too long": (lambda: robust_accuracy(np.append(W, 1.0), DIST, 0.1), VE, "w"),
    "w matrix wrong width": (lambda: shift_accuracy(np.ones((3, 2)), DIST), VE, "w"),
    "w 3-d": (lambda: standard_accuracy(np.ones((2, 2, 4)), DIST), VE, "w"),
    "w scalar": (lambda: standard_accuracy(1.0, DIST), VE, "w"),
    "w nan": (lambda: standard_accuracy([1.0, math.nan, 0, 0], DIST), VE, "w"),
    "w inf": (lambda: robust_accuracy([1.0, math.inf, 0, 0], DIST, 0.1), VE, "w"),
    "w strings": (lambda: standard_accuracy(["a", "b", "c", "d"], DIST), EITHER, "w"),
    "w complex": (lambda: standard_accuracy(np.array([1, 1j, 0, 0]), DIST), EITHER, "w"),
    "dist wrong type": (lambda: standard_accuracy(W, (0.9, 0.3, 3)), TE, "dist"),
    "eps negative": (lambda: robust_accuracy(W, DIST, -0.1), VE, "eps"),
    "eps nan": (lambda: robust_accuracy(W, DIST, math.nan), VE, "eps"),
    "eps inf": (lambda: robust_accuracy(W, DIST, math.inf), VE, "eps"),
    "eps bool": (lambda: robust_accuracy(W, DIST, True), TE, "eps"),
    "norm 1": (lambda: robust_accuracy(W, DIST, 0.1, norm="1"), VE, "norm"),
    "norm l1": (lambda: robust_accuracy(W, DIST, 0.1, norm="l1"), VE, "norm"),
    "norm none": (lambda: robust_accuracy(W, DIST, 0.1, norm=None), VE, "norm"),
    "norm bool": (lambda: robust_accuracy(W, DIST, 0.1, norm=True), VE, "norm"),
    "norm fro": (lambda: robust_accuracy(W, DIST, 0.1, norm="fro"), VE, "norm"),
    "b nan": (lambda: standard_accuracy(W, DIST, b=math.nan), VE, "b"),
    "b inf": (lambda: robust_accuracy(W, DIST, 0.1, b=math.inf), VE, "b"),
    "b wrong length (many)": (lambda: standard_accuracy(np.ones((3, 4)), DIST, b=[0.0, 1.0]),
                              VE, "b"),
    "b vector for one classifier": (lambda: standard_accuracy(W, DIST, b=[0.0, 1.0, 2.0]),
                                    EITHER, "b"),
    "b matrix": (lambda: shift_accuracy(W, DIST, b=np.zeros((2, 2))), VE, "b"),
    # bounds
    "bound acc above 1": (lambda: tradeoff.tradeoff_bound(1.5, 0.9), VE, "standard_accuracy"),
    "bound acc negative": (lambda: tradeoff.tradeoff_bound(-0.1, 0.9), VE, "standard_accuracy"),
    "bound acc nan": (lambda: tradeoff.tradeoff_bound(math.nan, 0.9), VE, "standard_accuracy"),
    "bound acc bool": (lambda: tradeoff.tradeoff_bound(True, 0.9), TE, "standard_accuracy"),
    "bound p below half": (lambda: tradeoff.tradeoff_bound(0.9, 0.4), VE, "p"),
    "bound p one": (lambda: tradeoff.tradeoff_bound(0.9, 1.0), VE, "p"),
    "bound p nan": (lambda: tradeoff.tradeoff_bound(0.9, math.nan), VE, "p"),
    "f_avg eps negative": (lambda: bounds.f_avg_accuracy(DIST, -1.0), VE, "eps"),
    "f_rob eps one": (lambda: bounds.f_rob_accuracy(DIST, 1.0), VE, "eps"),
    "f_rob eps nan": (lambda: bounds.f_rob_accuracy(DIST, math.nan), VE, "eps"),
    "f_avg_weights d zero": (lambda: bounds.f_avg_weights(0), EITHER, "d"),
    "f_avg_weights d bool": (lambda: bounds.f_avg_weights(True), EITHER, "d"),
    "f_avg_weights d float": (lambda: bounds.f_avg_weights(2.5), EITHER, "d"),
    "f_rob_weights d negative": (lambda: bounds.f_rob_weights(-1), EITHER, "d"),
    "f_rob_weights d float": (lambda: bounds.f_rob_weights(1.5), EITHER, "d"),
    "f_avg_accuracy dist": (lambda: bounds.f_avg_accuracy(None), TE, "dist"),
    # Monte Carlo
    "cp n zero": (lambda: clopper_pearson(0, 0, 0.05), VE, "n"),
    "cp successes negative": (lambda: clopper_pearson(-1, 10, 0.05), VE, "successes"),
    "cp successes above n": (lambda: clopper_pearson(11, 10, 0.05), VE, "successes"),
    "cp successes float": (lambda: clopper_pearson(1.5, 10, 0.05), TE, "successes"),
    "cp alpha zero": (lambda: clopper_pearson(1, 10, 0.0), VE, "alpha"),
    "cp alpha one": (lambda: clopper_pearson(1, 10, 1.0), VE, "alpha"),
    "cp alpha negative": (lambda: clopper_pearson(1, 10, -0.1), VE, "alpha"),
    "cp alpha nan": (lambda: clopper_pearson(1, 10, math.nan), VE, "alpha"),
    "hoeffding n zero": (lambda: hoeffding_radius(0, 0.1), VE, "n"),
    "hoeffding alpha": (lambda: hoeffding_radius(10, 2.0), VE, "alpha"),
    "estimate n zero": (lambda: estimate_accuracy(_const, DIST, 0, 0), VE, "n"),
    "estimate rng bad": (lambda: estimate_accuracy(_const, DIST, 10, -3), TE, "rng"),
    "estimate alpha bad": (lambda: estimate_accuracy(_const, DIST, 10, 0, alpha=0.0), VE,
                           "alpha"),
    "estimate batch zero": (lambda: estimate_accuracy(_const, DIST, 10, 0, batch=0), VE,
                            "batch"),
    "estimate attack": (lambda: estimate_accuracy(_const, DIST, 10, 0, attack="pgd"), VE,
                        "attack"),
    "estimate dist": (lambda: estimate_accuracy(_const, "D", 10, 0), TE, "dist"),
    "shift eta negative": (lambda: shift_attack(np.zeros((2, 3)), np.ones(2), -0.1), VE, "eta"),
    "shift eta nan": (lambda: shift_attack(np.zeros((2, 3)), np.ones(2), math.nan), VE, "eta"),
    "shift X 1-d": (lambda: shift_attack(np.zeros(3), np.ones(3), 0.1), VE, "X"),
    "shift X no weak block": (lambda: shift_attack(np.zeros((2, 1)), np.ones(2), 0.1), VE, "X"),
    "shift y length": (lambda: shift_attack(np.zeros((2, 3)), np.ones(3), 0.1), VE, "y"),
    "shift y values": (lambda: shift_attack(np.zeros((2, 3)), np.array([1.0, 0.0]), 0.1), VE,
                       "y"),
    # classifiers
    "threshold u nan": (lambda: ThresholdRule(math.nan, 0.0).standard_accuracy(DIST), VE,
                        "u_plus"),
    "threshold eps negative": (lambda: ThresholdRule(0.0, 0.0).robust_accuracy(DIST, -1.0), VE,
                               "eps"),
    "threshold norm": (lambda: ThresholdRule(0.0, 0.0).robust_accuracy(DIST, 0.1, "1"), VE,
                       "norm"),
    "linear rule wrong length p_matrix": (lambda: LinearRule(W[:-1]).p_matrix(DIST), VE, "w"),
    "mixture weights not summing to one": (
        lambda: Mixture((LinearRule(W),), (2.0,)).standard_accuracy(DIST), VE, "weights"),
    "mixture negative weight": (
        lambda: Mixture((LinearRule(W), LinearRule(-W)), (1.5, -0.5)).standard_accuracy(DIST),
        VE, "weights"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_refused_with_the_parameter_named(name):
    call, exc, param = CASES[name]
    with pytest.raises(exc, match=rf"\b{param}\b"):
        call()


def test_messages_state_the_allowed_range():
    with pytest.raises(ValueError, match=r"p must be in \[0\.0, 1\.0\]"):
        Distribution(1.5, 0.3, 3)
    with pytest.raises(ValueError, match=r"eps.*\[0\.0, inf\]"):
        robust_accuracy(W, DIST, -1.0)
    with pytest.raises(ValueError, match=r"integer >= 1"):
        Distribution(0.5, 0.3, 0)
    with pytest.raises(ValueError, match=r"'inf', '2'"):
        robust_accuracy(W, DIST, 0.1, norm="1")


@pytest.mark.parametrize("norm", ["inf", "2", "l2", "L2", "linf", "Linf", "infinity", 2, 2.0,
                                  math.inf, np.inf])
def test_accepted_norm_spellings(norm):
    expected = "inf" if str(norm).lower().endswith("inf") or str(norm) == "infinity" else "2"
    assert robust_accuracy(W, DIST, 0.1, norm=norm) == robust_accuracy(W, DIST, 0.1, norm=expected)


def test_good_input_at_the_edges_is_accepted():
    """Controls: the boundary values that are legal must not be refused."""
    Distribution(0.0, 0.0, 1)
    Distribution(1.0, 0.0, np.int64(1))
    assert robust_accuracy(W, DIST, 0.0) == standard_accuracy(W, DIST)
    tradeoff.tradeoff_bound(0.0, 0.5)
    tradeoff.tradeoff_bound(1.0, math.nextafter(1.0, 0.0))
    clopper_pearson(0, 1, 1e-12)
    shift_attack(np.zeros((1, 2)), np.array([-1.0]), 0.0)
    DIST.sample(1, np.random.default_rng(0))
    DIST.sample(1, 0)
