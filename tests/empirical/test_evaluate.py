"""Evaluation: clean and attacked accuracy, and the recorded protocol of evaluate_suite."""

from __future__ import annotations

import functools
import json

import pytest
import torch
from tradeoff.empirical.attacks import pgd
from tradeoff.empirical.data import load_dataset, synthetic_dataset
from tradeoff.empirical.evaluate import accuracy, evaluate_suite
from tradeoff.empirical.models import build_model, linear_weights

from tradeoff.distribution import Distribution
from tradeoff.linear import robust_accuracy


@pytest.fixture(scope="module")
def mnist_small():
    return load_dataset("mnist-bundled", split="test").select(range(0, 1000, 50))  # 20 images


@pytest.fixture(scope="module")
def mlp(mnist_small):
    torch.manual_seed(0)
    return build_model("mlp", num_classes=10, input_shape=(1, 28, 28), mean=mnist_small.mean,
                       std=mnist_small.std, hidden=(32,))


def test_clean_accuracy_matches_a_manual_count(mlp, mnist_small):
    with torch.no_grad():
        manual = int((mlp(mnist_small.x).argmax(1) == mnist_small.y).sum()) / len(mnist_small)
    assert accuracy(mlp, mnist_small) == manual
    assert accuracy(mlp, mnist_small, batch_size=3) == manual
    assert accuracy(mlp, (mnist_small.x, mnist_small.y)) == manual


def test_attack_at_eps_zero_gives_clean_accuracy(mlp, mnist_small):
    attack = functools.partial(pgd, eps=0.0, norm="inf", steps=3, step_size=0.1)
    assert accuracy(mlp, mnist_small, attack=attack) == accuracy(mlp, mnist_small)


def test_accuracy_restores_training_mode(mlp, mnist_small):
    mlp.train()
    accuracy(mlp, mnist_small)
    assert mlp.training
    mlp.eval()


def test_accuracy_rejects_empty_data(mlp, mnist_small):
    with pytest.raises(ValueError, match="empty"):
        accuracy(mlp, (mnist_small.x[:0], mnist_small.y[:0]))
    with pytest.raises(ValueError, match="batch_size"):
        accuracy(mlp, mnist_small, batch_size=0)


def test_evaluate_suite_records_the_protocol(mlp, mnist_small):
    out = evaluate_suite(mlp, mnist_small, eps=0.05, norm="inf", pgd_steps=5,
                         pgd_step_size=0.0125, restarts=2, autoattack=False)
    assert out["clean"] == accuracy(mlp, mnist_small)
    assert 0.0 <= out["pgd"] <= out["clean"] and out["autoattack"] is None
    assert out["n"] == 20 and out["box"] == [0.0, 1.0]
    assert (out["eps"], out["norm"], out["pgd_steps"], out["pgd_step_size"], out["restarts"]) == (
        0.05, "inf", 5, 0.0125, 2)
    json.dumps(out)  # JSON-ready
    again = evaluate_suite(mlp, mnist_small, eps=0.05, norm="inf", pgd_steps=5,
                           pgd_step_size=0.0125, restarts=2, autoattack=False)
    assert again == out  # seeded


def test_evaluate_suite_with_autoattack_on_gaussian_data():
    dist = Distribution(0.9, 0.3, 10)
    data = synthetic_dataset(dist, 200, seed=0)
    torch.manual_seed(3)
    model = build_model("linear", num_classes=2, input_shape=data.input_shape)
    out = evaluate_suite(model, data, eps=0.6, norm="inf", pgd_steps=20, pgd_step_size=0.15,
                         restarts=1, autoattack=True, autoattack_n_iter=20,
                         autoattack_n_queries=100)
    assert out["autoattack_n_queries"] == 100
    assert out["box"] is None  # taken from the dataset: Gaussian data is never clamped
    assert out["autoattack"] <= out["pgd"] + 1 / 200 and out["pgd"] <= out["clean"]
    # On a linear model both attacks reach the exact worst case (test_attacks.py); population
    # value within a Hoeffding margin at false-failure 1e-9 over 200 examples.
    w, b = linear_weights(model)
    assert abs(out["pgd"] - robust_accuracy(w, dist, 0.6, "inf", b)) < 0.15
    assert out["autoattack"] == out["pgd"]
