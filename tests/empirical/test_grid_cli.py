"""Command-line options of the scale features (issue 9): backends, Ray resources, checkpoint
interval; torchrun detection and batch sharding (no process group needed)."""

from __future__ import annotations

import importlib.util

import pytest
import torch
from tradeoff.empirical import distributed
from tradeoff.empirical.train import TrainConfig

from tradeoff import cli


@pytest.mark.parametrize("argv, message", [
    (["--address", "auto"], "options of --backend ray"),
    (["--gpus-per-task", "0.5"], "options of --backend ray"),
    (["--backend", "ray", "--gpus-per-task", "-1"], "argument --gpus-per-task"),
    (["--backend", "ray", "--cpus-per-task", "0"], "argument --cpus-per-task"),
    (["--backend", "ray", "--max-retries", "-1"], "argument --max-retries"),
    (["--checkpoint-every", "nan"], "argument --checkpoint-every"),
    (["--backend", "slurm"], "invalid choice: 'slurm'"),
])
def test_bad_scale_options_are_usage_errors(argv, message, capsys):
    assert cli.main(["run", "syn", "--scale", "micro", *argv]) == 2
    assert message in capsys.readouterr().err


def test_ray_backend_without_ray_names_the_cluster_extra(monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "ray" else real(name, *a))
    assert cli.main(["run", "syn", "--scale", "micro", "--backend", "ray"]) == 2
    assert "pip install 'tradeoff[cluster]'" in capsys.readouterr().err


def test_ray_backend_under_torchrun_is_refused(monkeypatch, capsys):
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("LOCAL_RANK", "0")
    assert cli.main(["run", "syn", "--scale", "micro", "--backend", "ray"]) == 2
    assert "cannot run under torchrun" in capsys.readouterr().err


def test_torchrun_env_is_read_and_validated():
    assert distributed.torchrun_env({}) is None
    env = distributed.torchrun_env({"RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1"})
    assert (env.rank, env.world_size, env.local_rank) == (3, 4, 1)
    with pytest.raises(ValueError, match="RANK"):
        distributed.torchrun_env({"RANK": "4", "WORLD_SIZE": "4"})
    with pytest.raises(ValueError, match="integers"):
        distributed.torchrun_env({"RANK": "x", "WORLD_SIZE": "2"})
    assert distributed.rank_and_world() == (0, 1) and distributed.is_main_process()


@pytest.mark.parametrize("n, world", [(64, 2), (65, 2), (7, 3), (1, 2), (2, 4), (128, 8)])
def test_shards_partition_the_global_batch_and_weights_restore_its_mean(n, world):
    """The shares are disjoint and cover the batch; sum_r weight_r * mean_r / world equals the
    global mean for any per-example values (the DDP gradient identity, on numbers)."""
    chunk = torch.arange(n)
    values = torch.linspace(-1.0, 2.0, n, dtype=torch.float64) ** 3
    parts = [distributed.shard(chunk, r, world) for r in range(world)]
    real = [(p, w) for p, w in parts if w > 0]
    assert torch.equal(torch.cat([p for p, _ in real]), chunk)
    padded = [(p, w) for p, w in parts if w == 0]
    assert len(real) == min(n, world) and all(len(p) == 1 for p, _ in padded)
    combined = sum(w * values[p].mean() for p, w in parts) / world
    assert float(combined) == pytest.approx(float(values.mean()), rel=1e-12, abs=1e-12)
    # Negative control: unweighted shard means average to something else when sizes differ.
    sizes = {len(p) for p, w in parts}
    if len(sizes) > 1:
        plain = sum(values[p].mean() for p, w in real) / len(real)
        assert float(plain) != pytest.approx(float(values.mean()), rel=1e-9)


def test_checkpoint_interval_and_compile_defaults_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRADEOFF_CHECKPOINT_EVERY_S", "12.5")
    monkeypatch.setenv("TRADEOFF_COMPILE", "1")
    config = TrainConfig()
    assert config.checkpoint_every_s == 12.5 and config.compile is True
    monkeypatch.setenv("TRADEOFF_CHECKPOINT_EVERY_S", "soon")
    with pytest.raises(ValueError, match="TRADEOFF_CHECKPOINT_EVERY_S"):
        TrainConfig()
    monkeypatch.setenv("TRADEOFF_CHECKPOINT_EVERY_S", "-5")
    with pytest.raises(ValueError, match="checkpoint_every_s"):
        TrainConfig()
