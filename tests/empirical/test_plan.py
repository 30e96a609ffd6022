"""``tradeoff run EXPERIMENT --plan`` (issue 9): the grid, models, optimizer steps, GPU-hours and
disk of a run, without training; checked against what a real run does."""

from __future__ import annotations

import pytest
import torch
from tradeoff.empirical.experiments import EXPERIMENTS, get_experiment
from tradeoff.empirical.experiments.runner import run_experiment
from tradeoff.empirical.plan import REFERENCE_THROUGHPUT, dataset_found, make_plan

from tradeoff import cli

CASES = [(name, dataset) for name in EXPERIMENTS for dataset in get_experiment(name).DATASETS]


@pytest.mark.parametrize("name, dataset", CASES)
def test_plan_prints_for_every_experiment_and_dataset(name, dataset, tmp_path, capsys,
                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", name, "--dataset", dataset, "--scale", "paper", "--plan",
                     "--data-root", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    for label in ("grid points:", "models to train:", "optimizer steps:", "GPU-hours (train):",
                  "checkpoint disk:", "result disk:", "datasets:"):
        assert label in text
    assert list(tmp_path.iterdir()) == []  # nothing trained, nothing written


def test_plan_counts_the_optimizer_steps_a_real_run_takes(tmp_path):
    """Witness: Adam's per-parameter step counter in every checkpoint of a real E-LIN micro run
    equals the plan's optimizer steps for that model; the disk estimate bounds the files."""
    result, _ = run_experiment("lin", scale="micro", device="cpu", out=tmp_path)
    plan = make_plan("lin", scale="micro")
    by_key = {m.key: m for m in plan.models}
    trained = {t["key"] for p in result["points"] for t in p["metrics"]["trained"]}
    assert trained == set(by_key) and len(plan.models) == len(trained)
    for key, model in by_key.items():
        folder = tmp_path / "models" / key
        ckpt = torch.load(folder / "checkpoint" / "checkpoint.pt", weights_only=True)
        adam_steps = int(ckpt["optimizer"]["state"][0]["step"])
        assert model.steps == adam_steps
        files = sum(f.stat().st_size for f in folder.rglob("*.pt"))
        assert files <= model.checkpoint_bytes <= 2 * files + 128 * 1024
    # Negative control: the quick scale's plan does not match these checkpoints.
    quick = {m.key: m.steps for m in make_plan("lin", scale="quick").models}
    assert not set(quick) & set(by_key) or all(quick[k] != by_key[k].steps for k in quick)


def test_gpu_hours_follow_the_throughput_and_the_attack_cost(tmp_path):
    plan = make_plan("fig1", scale="paper", dataset="cifar10")
    standard = [m for m in plan.models if m.method == "standard"]
    pgd = [m for m in plan.models if m.method == "pgd"]
    assert standard and pgd and all(m.passes_per_image == 1.0 for m in standard)
    # PGD-7 on CIFAR-10: 7 input-gradient passes, a scoring forward pass, the training pass.
    assert all(m.passes_per_image == pytest.approx(1 + 7 + 1 / 3) for m in pgd)
    rate = REFERENCE_THROUGHPUT["resnet18@32"]["images_per_s"]
    for m in plan.models:
        assert m.gpu_seconds == pytest.approx(m.steps * m.batch_size * m.passes_per_image / rate)
    assert plan.gpu_hours == pytest.approx(sum(m.gpu_seconds for m in plan.models) / 3600)
    # Twice the throughput, half the hours.
    faster = tmp_path / "fast.json"
    faster.write_text('{"throughput": [{"model": "resnet18", "size": 32, "method": "standard", '
                      f'"amp": true, "images_per_s": {2 * rate}}}]}}')
    assert make_plan("fig1", scale="paper", dataset="cifar10",
                     throughput_file=faster).gpu_hours == pytest.approx(plan.gpu_hours / 2)
    with pytest.raises(ValueError, match="not a gpu_acceptance result"):
        (tmp_path / "bad.json").write_text("{}")
        make_plan("fig1", scale="paper", dataset="cifar10", throughput_file=tmp_path / "bad.json")


def test_datasets_are_reported_found_or_not(tmp_path):
    assert dataset_found("synthetic") and dataset_found("mnist-bundled")
    assert not dataset_found("mnist", str(tmp_path))
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "train-images-idx3-ubyte").write_bytes(b"")
    assert dataset_found("mnist", str(tmp_path))
    assert not dataset_found("cifar10", str(tmp_path))
    assert not dataset_found("restricted_imagenet", str(tmp_path))
    (tmp_path / "train").mkdir()
    assert dataset_found("restricted_imagenet", str(tmp_path))


def test_throughput_needs_plan(capsys):
    assert cli.main(["run", "lin", "--throughput", "x.json"]) == 2
    assert "--throughput is an option of --plan" in capsys.readouterr().err
