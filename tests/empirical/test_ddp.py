"""One model on two processes: ``torchrun --standalone --nproc-per-node 2 -m tradeoff run lin
--scale micro --device cpu`` (gloo) against the one-process run.

Tolerance. DDP changes only the order of floating-point additions for a model trained without
an attack: each rank back-propagates ``(2 B_r / B)`` times the mean loss of its ``B_r`` examples
and gloo averages the two gradients, which is the global batch's mean-loss gradient up to
rounding. A float32 sum of ``B = 64`` terms reassociated differs by at most about
``B * 2**-24 = 3.8e-6`` relative; Adam (lr = 0.01) turns a gradient into a step of size at most
about ``lr`` per coordinate, so ``S = 6`` steps move the weights apart by at most about
``S * lr * 3.8e-6 = 2.3e-7``. We allow ``1e-6``. Accuracies on the 60 test points are then
equal unless a test point lies within ``1e-6 * ||x||_1 <= 8e-4`` of the decision boundary.

The adversarially trained model is different by design: each rank draws its PGD random starts
for its own share of the batch, so its weights may differ by more than the tolerance (and do,
which also shows that the tolerance can see a change); its metrics are compared loosely.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from tradeoff.empirical.experiments.runner import run_experiment
from tradeoff.empirical.results import read_json

WEIGHT_TOL = 1e-6


def _torchrun() -> list[str]:
    exe = Path(sys.executable).with_name("torchrun")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("torchrun")
    return [found] if found else [sys.executable, "-m", "torch.distributed.run"]


def _weights(out: Path, key: str) -> dict[str, torch.Tensor]:
    return torch.load(out / "models" / key / "model.pt", weights_only=True)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("ddp")
    single, _ = run_experiment("lin", scale="micro", device="cpu", out=base / "one")
    env = {k: v for k, v in os.environ.items()
           if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")}
    env["OMP_NUM_THREADS"] = "1"
    proc = subprocess.run(
        [*_torchrun(), "--standalone", "--nproc-per-node", "2", "-m", "tradeoff", "run", "lin",
         "--scale", "micro", "--device", "cpu", "--out", str(base / "two"), "--quiet"],
        capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return base, single, proc


def test_two_process_ddp_agrees_with_one_process(runs):
    base, single, proc = runs
    double = read_json(base / "two" / "lin-mnist-micro-seed0.json")
    assert [p["key"] for p in double["points"]] == [p["key"] for p in single["points"]]
    # Only rank 0 printed and wrote the result.
    assert proc.stdout.count("E-LIN:") == 1
    checked_standard = 0
    for one, two in zip(single["points"], double["points"], strict=True):
        (model,) = one["metrics"]["trained"]
        w1, w2 = _weights(base / "one", model["key"]), _weights(base / "two", model["key"])
        diff = max(float((w1[k] - w2[k]).abs().max()) for k in w1)
        print(f"{model['method']:<8} max |w_ddp - w_one| = {diff:.3g}")
        if model["method"] == "standard":
            assert diff <= WEIGHT_TOL, (model, diff)
            assert one["metrics"]["standard"] == two["metrics"]["standard"]
            assert one["metrics"]["robust"] == two["metrics"]["robust"]
            checked_standard += 1
        else:
            # Random starts drawn per rank: a different (equally valid) training run.
            assert diff > WEIGHT_TOL
            assert abs(one["metrics"]["standard"] - two["metrics"]["standard"]) <= 0.1
    assert checked_standard == 2


def test_rank_zero_checkpoint_resumes(runs, tmp_path):
    """The checkpoint rank 0 wrote holds the final DDP weights and resumes: one more epoch from
    it, in one process, lands within the tolerance of an uninterrupted one-process run of the
    longer schedule (the first epochs differ only by rounding, as above)."""
    from tradeoff.empirical.experiments.context import Context
    from tradeoff.empirical.experiments.datasets import dataset_from_spec
    from tradeoff.empirical.experiments.specs import TrainSpec
    from tradeoff.empirical.experiments.trained import build
    from tradeoff.empirical.train import TrainConfig, load_checkpoint, train

    base, single, _ = runs
    (model,) = [t for p in single["points"] for t in p["metrics"]["trained"]
                if t["method"] == "standard"][:1]
    folder = base / "two" / "models" / model["key"]
    ckpt = load_checkpoint(folder / "checkpoint" / "checkpoint.pt")
    final = torch.load(folder / "model.pt", weights_only=True)
    assert all(torch.equal(ckpt["model"][k], final[k]) for k in final)
    spec = TrainSpec.from_json(read_json(folder / "train.json")["spec"])
    data = dataset_from_spec(spec.data, "train", Context(out=str(tmp_path), device="cpu"))
    longer = TrainConfig(**{**ckpt["config"], "epochs": ckpt["epoch"] + 1})
    shutil.copytree(folder / "checkpoint", tmp_path / "resumed")
    resumed = build(spec, data)
    hist = train(resumed, data, longer, checkpoint_dir=tmp_path / "resumed")
    straight = build(spec, data)
    train(straight, data, longer)
    assert hist["resumed_from"] == ckpt["epoch"]
    w1, w2 = resumed.state_dict(), straight.state_dict()
    assert max(float((w1[k] - w2[k]).abs().max()) for k in w1) <= WEIGHT_TOL
