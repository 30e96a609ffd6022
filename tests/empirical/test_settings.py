"""Typed settings (issue: settings that cannot mix): every dataset x scale x norm x eps_train of
every experiment has a training attack that reaches the boundary of its ball, a scale replaces
whole specs, a step is set one way only, and a wrong combination fails at construction."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tradeoff.empirical.experiments import EXPERIMENTS, get_experiment
from tradeoff.empirical.experiments.runner import grid_points, training_specs
from tradeoff.empirical.experiments.settings import (
    IMAGE_DATASETS,
    NORMS,
    SCALES,
    TAGS,
    AttackSpec,
    Step,
    dataset_settings,
)
from tradeoff.empirical.experiments.specs import TrainSpec
from tradeoff.empirical.experiments.stats import exact_paired_p_value, paired_check, resolved
from tradeoff.empirical.experiments.trained import run_errors

COMBINATIONS = [(name, scale, dataset) for name in EXPERIMENTS for scale in SCALES
                for dataset in get_experiment(name).DATASETS]


@pytest.mark.parametrize(("name", "scale", "dataset"), COMBINATIONS)
def test_every_training_attack_reaches_its_radius(name, scale, dataset):
    specs = training_specs(grid_points(name, scale=scale, dataset=dataset))
    assert specs
    adversarial = 0
    for data in specs:
        spec = TrainSpec.from_json(data)
        assert spec.to_json() == data  # the JSON form round-trips
        if not spec.adversarial:
            assert spec.attack is None and spec.eps_train == 0.0
            continue
        adversarial += 1
        steps, size = spec.attack.steps, spec.attack.step_size(spec.eps_train)
        assert steps * size >= spec.eps_train * (1 - 1e-12), (name, scale, data)
        if spec.check is not None:
            check = spec.check.step_size(spec.eps_train) * spec.check.steps
            assert check >= spec.eps_train * (1 - 1e-12)
            assert spec.check.iterate == "any"
    assert adversarial > 0


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("dataset", IMAGE_DATASETS)
def test_dataset_settings_are_tagged_and_whole(dataset, scale):
    s = dataset_settings(dataset, scale)
    for norm in NORMS:
        for spec in (s.train_attack[norm], s.eval_attack[norm], s.large_eps[norm].attack):
            assert spec.source.split(" ", 1)[0] in TAGS
        for eps in s.training_radii(norm):
            assert s.train_attack[norm].steps * s.train_attack[norm].step_size(eps) >= eps * (
                1 - 1e-12)
    assert s.model.source.split(" ", 1)[0] in TAGS
    assert s.optim.source.split(" ", 1)[0] in TAGS
    assert all(v.split(" ", 1)[0] in TAGS for v in s.provenance.values())


def test_quick_scale_replaces_the_whole_training_attack():
    # The bug this replaces: quick's relative step merged into the paper's absolute 0.01, which
    # won, so quick MNIST l_inf training took 4 steps of 0.01 at eps 0.3.
    paper, quick = dataset_settings("mnist", "paper"), dataset_settings("mnist", "quick")
    assert paper.train_attack["inf"].step == Step.absolute(0.01)
    assert quick.train_attack["inf"].step == Step.of_eps(2.5 / 4)
    assert quick.train_attack["inf"].step_size(0.3) == pytest.approx(2.5 * 0.3 / 4)
    assert quick.train_attack["inf"].steps == 4


def test_a_step_is_given_one_way():
    assert Step.absolute(0.01).size(0.3) == 0.01
    assert Step.of_eps(0.25).size(2.0) == 0.5
    fields = [f.name for f in dataclasses.fields(Step)]
    assert fields == ["value", "relative"]
    with pytest.raises(ValueError, match="step value"):
        Step.of_eps(0.0)


def test_settings_that_cannot_reach_their_radius_fail_at_construction():
    paper = dataset_settings("mnist", "paper")
    weak = AttackSpec(4, Step.absolute(0.01))
    with pytest.raises(ValueError, match="cannot reach the boundary"):
        dataclasses.replace(paper, train_attack={"inf": weak, "2": paper.train_attack["2"]})
    with pytest.raises(ValueError, match="cannot reach the boundary"):
        TrainSpec(data={"source": "mnist-bundled"}, model="mlp", method="pgd", norm="inf",
                  eps_train=0.3, attack=weak, optim=paper.optim, seed=0)
    last = dataclasses.replace(paper.eval_attack["2"], iterate="last")
    with pytest.raises(ValueError, match="iterate='any'"):
        dataclasses.replace(paper, eval_attack={"inf": paper.eval_attack["inf"], "2": last})
    with pytest.raises(ValueError, match="source"):
        AttackSpec(4, Step.of_eps(1.0), source="guess")


def test_standard_specs_are_normalised():
    s = dataset_settings("mnist", "micro")
    a = TrainSpec(data={"source": "x"}, model="mlp", method="pgd", norm="inf", eps_train=0.0,
                  attack=s.train_attack["inf"], optim=s.optim, seed=1, check=s.eval_attack["inf"],
                  check_n=5)
    b = TrainSpec(data={"source": "x"}, model="mlp", method="standard", norm="2", eps_train=0.5,
                  attack=None, optim=s.optim, seed=1)
    assert a == b and a.to_json() == b.to_json() and a.norm == "none" and a.check is None


def test_fig1_quick_grid_is_planned_without_training():
    points = grid_points("fig1", scale="quick", dataset="mnist")
    specs = training_specs(points)
    s = dataset_settings("mnist", "quick")
    radii = sum(len([e for e in s.fig1_eps[n] if e > 0]) for n in NORMS)
    sizes, seeds = len(s.fig1_fractions), s.seeds
    assert seeds >= 3
    assert len(specs) == (radii + 1) * sizes * seeds
    assert max(s.fig1_eps["inf"]) >= 0.3 and max(s.fig1_eps["2"]) >= 3.0


def test_resolved_counts_only_differences_beyond_the_spread():
    a = {"mean": 0.95, "std": 0.004}
    b = {"mean": 0.94, "std": 0.003}
    assert resolved(a, b)["verdict"] == "above"  # 0.01 > 0.005
    assert resolved(b, a)["verdict"] == "below"
    wide = {"mean": 0.94, "std": 0.02}
    assert resolved(a, wide)["verdict"] == "tie"  # 0.01 < 0.0204


def test_paired_check_counts_discordant_points_and_decides():
    mine = np.array([True] * 12 + [False] * 3 + [True] * 5)
    theirs = np.array([False] * 12 + [True] * 3 + [True] * 5)
    out = paired_check(mine, theirs, alpha=1e-3)
    assert (out["only_robust_right"], out["only_standard_right"]) == (12, 3)
    assert out["p_value"] == pytest.approx(exact_paired_p_value(12, 3))
    assert not out["robust"]  # p = 0.0176 > 1e-3
    assert paired_check(mine, theirs, alpha=0.05)["robust"]
    # Negative control: the roles swapped, the "robust" model is the worse one.
    assert not paired_check(theirs, mine, alpha=0.5)["robust"]
    with pytest.raises(ValueError, match="same shape"):
        paired_check(mine, theirs[:-1], alpha=1e-3)
    with pytest.raises(ValueError, match="alpha"):
        paired_check(mine, theirs, alpha=0.0)


def test_exact_paired_p_value():
    assert exact_paired_p_value(10, 0) == pytest.approx(2.0**-10)
    assert exact_paired_p_value(0, 10) == pytest.approx(1.0)
    assert exact_paired_p_value(0, 0) == 1.0
    # b = 6, c = 4: P(Bin(10, 1/2) >= 6) = 386 / 1024
    assert exact_paired_p_value(6, 4) == pytest.approx(386 / 1024)


def test_run_errors_name_every_model_that_is_not_robust():
    def entry(key, robust):
        return {"key": key, "method": "pgd", "norm": "inf", "eps_train": 0.3, "model": "mlp",
                "seed": 0, "n_train": 4000,
                "robustness": {"robust": robust, "robust_accuracy": 0.1,
                               "standard_model_accuracy": 0.05, "n": 1000, "p_value": 0.2,
                               "alpha": 1e-3}}
    records = [{"metrics": {"trained": [entry("good", True), entry("bad", False)]}},
               {"metrics": {"trained": [entry("bad", False)]}},
               {"metrics": {"trained": [{"key": "std", "robustness": None}]}}]
    models, errors = run_errors(records)
    assert {m["key"] for m in models} == {"good", "bad"}
    assert len(errors) == 1 and "bad" in errors[0] and "not robust" in errors[0]


def test_evaluation_attacks_use_the_cosine_schedule_and_its_reach():
    from tradeoff.empirical.experiments.settings import AttackSpec, Step
    from tradeoff.empirical.experiments.specs import attack_from_json

    for dataset in ("mnist", "cifar10", "restricted_imagenet"):
        for scale in ("micro", "quick", "paper"):
            s = dataset_settings(dataset, scale)
            for norm in ("inf", "2"):
                spec = s.eval_attack[norm]
                assert spec.schedule == "cosine" and spec.iterate == "any"
                assert s.train_attack[norm].schedule == "constant"  # the paper's training recipe
                assert attack_from_json(spec.to_json()) == spec
    # A constant step keeps its earlier JSON, so the hashes of earlier models do not move.
    assert "schedule" not in AttackSpec(4, Step.of_eps(0.625)).to_json()
    # Reach of a schedule is the sum of its steps: three cosine steps from eps/2 add up to
    # 0.765 eps and cannot reach the boundary (negative control); from eps they can.
    with pytest.raises(ValueError, match="cannot reach the boundary"):
        AttackSpec(3, Step.of_eps(0.5), schedule="cosine").check(0.3, "test")
    AttackSpec(3, Step.of_eps(1.0), schedule="cosine").check(0.3, "test")
    AttackSpec(3, Step.of_eps(0.5)).check(0.3, "test")  # constant: 1.5 eps
    with pytest.raises(ValueError, match="schedule must be 'constant' or 'cosine'"):
        AttackSpec(3, Step.of_eps(0.5), schedule="linear")
