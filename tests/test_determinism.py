"""Same seed -> same bits: samplers, estimates and the verifier's report."""

import numpy as np
import pytest

from tradeoff.classifiers import LinearRule, NeuralNet
from tradeoff.distribution import Distribution
from tradeoff.montecarlo import derive_seed, estimate_accuracy
from tradeoff.verifier import verify

DIST = Distribution(0.95, 0.3, 50)
CHEAP_CLAIMS = ["C-FROB", "C-C5"]


@pytest.mark.parametrize("seed", [0, 1, 2**40])
def test_full_sampler_is_bit_reproducible(seed):
    X1, y1 = DIST.sample(500, seed)
    X2, y2 = DIST.sample(500, np.random.default_rng(seed))
    assert X1.tobytes() == X2.tobytes() and y1.tobytes() == y2.tobytes()


@pytest.mark.parametrize("seed", [0, 1, 2**40])
def test_sufficient_sampler_is_bit_reproducible(seed):
    a = DIST.sample_sufficient(500, seed)
    b = DIST.sample_sufficient(500, seed)
    assert all(u.tobytes() == v.tobytes() for u, v in zip(a, b, strict=True))


def test_different_seeds_give_different_samples():
    """Control: reproducibility is not constancy."""
    assert not np.array_equal(DIST.sample(50, 0)[0], DIST.sample(50, 1)[0])


@pytest.mark.parametrize("attack", [None, "shift"])
def test_estimate_accuracy_is_reproducible(attack):
    seed = derive_seed("determinism", DIST)
    for f in (LinearRule(np.concatenate([[0.5], np.full(50, 0.02)])).predict,
              NeuralNet.random(DIST.dim, 8, 3).predict):
        a = estimate_accuracy(f, DIST, 3000, seed, attack=attack, batch=700)
        b = estimate_accuracy(f, DIST, 3000, np.random.default_rng(seed), attack=attack,
                              batch=700)
        assert a == b


def test_verify_twice_gives_identical_reports():
    first = verify(profile="quick", seed=0, claims=CHEAP_CLAIMS).to_dict()
    second = verify(profile="quick", seed=0, claims=CHEAP_CLAIMS).to_dict()
    for report in (first, second):
        report.pop("seconds")
        for claim in report["claims"]:
            claim.pop("seconds")
    assert first == second
    assert [c["id"] for c in first["claims"]] == CHEAP_CLAIMS
