"""Grids on a real local Ray (two CPUs): same results as the local backend, a killed worker is
retried with nothing lost or duplicated, a second invocation trains nothing (issue 9).

Ray takes 10-20 s to start, so every test here shares one module-scoped Ray instance.
"""

from __future__ import annotations

import json
import os

import pytest
import ray  # the test extra installs the cluster extra: no skip
from tradeoff.empirical import grid  # noqa: E402
from tradeoff.empirical.experiments.runner import run_experiment  # noqa: E402
from tradeoff.empirical.results import PointStore, config_hash  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _metrics(result):
    """Per point, the metrics minus wall-clock times (which differ between any two runs)."""

    def strip(obj):
        if isinstance(obj, dict):
            return {k: strip(v) for k, v in obj.items() if not k.endswith("time_s")}
        if isinstance(obj, list):
            return [strip(v) for v in obj]
        return obj

    return {p["key"]: strip(p["metrics"]) for p in result["points"]}


def test_ray_grid_gives_the_local_results_and_a_rerun_trains_nothing(local_ray, tmp_path):
    local, _ = run_experiment("lin", scale="micro", device="cpu", out=tmp_path / "local")
    remote, _ = run_experiment("lin", scale="micro", device="cpu", out=tmp_path / "ray",
                               grid={"backend": "ray"})
    assert remote["points_run"] == len(remote["points"]) == local["points_run"] > 0
    assert _metrics(remote) == _metrics(local)
    assert [c["confirmed"] for c in remote["claims"]] == [c["confirmed"] for c in local["claims"]]
    # A second invocation finds every point finished and submits no task.
    again, _ = run_experiment("lin", scale="micro", device="cpu", out=tmp_path / "ray",
                              grid={"backend": "ray"})
    assert again["points_run"] == 0 and again["points_reused"] == len(again["points"])
    assert _metrics(again) == _metrics(remote)


def test_a_killed_worker_is_retried_with_nothing_lost_or_duplicated(local_ray, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    done_log = tmp_path / "completed.log"

    def flaky(point):
        marker = markers / f"{point['i']}.started"
        first_attempt = not marker.exists()
        marker.touch()
        if first_attempt and point["i"] % 2 == 0:
            os._exit(1)  # the worker process dies mid-task, as on a lost node
        with open(done_log, "a") as fh:
            fh.write(f"{point['i']}\n")
        return {"square": point["i"] ** 2}

    points = [{"i": i} for i in range(6)]
    store = PointStore(tmp_path / "out")
    outcome = grid.run_points(points, flaky, store, backend="ray",
                              ray=grid.RayOptions(max_retries=2))
    assert [r["metrics"]["square"] for r in outcome.records] == [i * i for i in range(6)]
    assert sorted(outcome.run) == sorted(config_hash(p) for p in points)
    completed = sorted(int(line) for line in done_log.read_text().split())
    assert completed == list(range(6))  # each point computed to the end exactly once
    stored = sorted((tmp_path / "out" / "points").iterdir())
    assert len(stored) == 6 and all(os.listdir(d) == ["point.json"] for d in stored)
    for d in stored:
        assert json.loads((d / "point.json").read_text())["key"] == d.name

    # A second invocation computes nothing.
    def must_not_run(point):
        raise AssertionError("a finished point was computed again")

    again = grid.run_points(points, must_not_run, store, backend="ray")
    assert again.run == [] and len(again.reused) == 6

    # Negative control: without retries the killed tasks are reported, the others kept.
    def always_dies(point):
        if point["i"] == 99:
            os._exit(1)
        return {"square": point["i"] ** 2}

    with pytest.raises(RuntimeError, match="1 grid point"):
        grid.run_points([{"i": 99}, {"i": 7}], always_dies, store, backend="ray",
                        ray=grid.RayOptions(max_retries=0))
    assert store.load(config_hash({"i": 7})) is not None
    assert store.load(config_hash({"i": 99})) is None


def test_ray_options_are_validated():
    with pytest.raises(ValueError, match="gpus_per_task"):
        grid.RayOptions(gpus_per_task=-0.5)
    with pytest.raises(ValueError, match="cpus_per_task"):
        grid.RayOptions(cpus_per_task=0)
    with pytest.raises(ValueError, match="max_retries"):
        grid.RayOptions(max_retries=-1)
    with pytest.raises(ValueError, match="backend"):
        grid.run_points([], dict, PointStore("unused"), backend="slurm")
