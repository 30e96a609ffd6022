"""Every experiment end to end at the ``micro`` scale: JSON schema, claims, figure, resume.

The runs share one output folder (as a user's would), so E-TABLE's models are reused by
E-FIG2/3/4 and E-FIG1's by E-FIG7; each test checks that a re-run computes nothing.
"""

from __future__ import annotations

import json
import shutil

import pytest
from tradeoff.empirical.experiments import EXPERIMENTS, get_experiment
from tradeoff.empirical.experiments.runner import run_experiment
from tradeoff.empirical.results import SCHEMA, config_hash, read_json, validate_result

pytestmark = pytest.mark.slow  # end-to-end training runs: about a minute in all on 2 CPU cores

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Shrink the micro scale further where an experiment allows it.
OVERRIDES = {"syn": {"n_test": 1000}}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("experiments")


def _run(name, out, **kw):
    return run_experiment(name, scale="micro", device="cpu", out=out,
                          overrides=OVERRIDES.get(name), **kw)


@pytest.mark.parametrize("name", list(EXPERIMENTS))
def test_micro_run_writes_result_and_figure_and_resumes(name, out):
    exp = get_experiment(name)
    result, path = _run(name, out)
    # The file on disk is the returned result, and it follows the schema.
    on_disk = read_json(path)
    assert on_disk == json.loads(json.dumps(result))
    validate_result(on_disk)
    assert on_disk["schema"] == SCHEMA
    assert on_disk["experiment"] == name
    assert on_disk["scale"] == "micro"
    assert on_disk["device"] == "cpu"
    assert {"torch", "numpy"} <= set(on_disk["versions"])
    assert on_disk["wall_time_s"] > 0
    assert [c["id"] for c in on_disk["claims"]] == list(exp.CLAIMS)
    assert [c["id"] for c in on_disk["claims"]] == [EXPERIMENTS[name][0]]
    for claim in on_disk["claims"]:
        assert isinstance(claim["confirmed"], bool)
        assert claim["numbers"]
        assert claim["statement"] == exp.PAPER_CLAIM[claim["id"]]
    # Every adversarially trained model carries its own robustness check; each one that fails
    # it is named among the run's errors (micro models are barely trained: failures expected).
    assert on_disk["robust_models"]
    failed = [m["key"] for m in on_disk["robust_models"] if not m["robustness"]["robust"]]
    assert len(on_disk["errors"]) == len(failed)
    assert all(any(key in line for line in on_disk["errors"]) for key in failed)
    for entry in on_disk["robust_models"]:
        check = entry["robustness"]
        assert check["eps"] == entry["eps_train"] > 0
        assert 0 <= check["robust_accuracy"] <= 1 and check["n"] > 0
    figure = path.parent / on_disk["figure"]
    assert figure.read_bytes()[:8] == PNG_MAGIC
    # Equal points (e.g. eps_train = 0 under both norms) are computed once.
    n_points = len({p["key"] for p in on_disk["points"]})
    assert n_points >= 1
    assert on_disk["points_run"] + on_disk["points_reused"] == n_points
    for point in on_disk["points"]:
        assert (out / "points" / point["key"] / "point.json").exists()
        assert point["key"] == config_hash(point["point"])
    # A re-run finds every grid point done and gives the same verdicts.
    again, _ = _run(name, out)
    assert again["points_run"] == 0
    assert again["points_reused"] == n_points
    assert [c["confirmed"] for c in again["claims"]] == [c["confirmed"] for c in
                                                         on_disk["claims"]]
    assert again["config_hash"] == on_disk["config_hash"]


def test_killed_run_resumes_from_points_and_checkpoints(tmp_path):
    first, _ = _run("fig7", tmp_path)
    n_unique = len({p["key"] for p in first["points"]})
    assert first["points_run"] == n_unique
    # Simulate a run killed after training one model but before its point was written:
    # drop that point's JSON and the final weights, keep the per-epoch training checkpoint.
    victim = first["points"][-1]
    shutil.rmtree(tmp_path / "points" / victim["key"])
    model_key = config_hash(victim["point"]["train"])
    model_dir = tmp_path / "models" / model_key
    (model_dir / "model.pt").unlink()
    (model_dir / "train.json").unlink()
    assert (model_dir / "checkpoint" / "checkpoint.pt").exists()
    second, _ = _run("fig7", tmp_path)
    assert second["points_run"] == 1
    assert second["points_reused"] == n_unique - 1
    info = read_json(model_dir / "train.json")
    # train() found the finished checkpoint and resumed after its last epoch.
    assert info["record"]["resumed_from"] == info["epochs"]
    assert second["tables"] == first["tables"]


def test_changed_configuration_gets_new_points(tmp_path):
    first, _ = _run("syn", tmp_path)
    second, _ = run_experiment("syn", scale="micro", device="cpu", out=tmp_path,
                               overrides={"n_test": 1500})
    assert second["config_hash"] != first["config_hash"]
    assert second["points_run"] == len({p["key"] for p in second["points"]})
    # ...but the trained models (keyed by their training spec only) are reused.
    assert all(p["metrics"]["n_test"] == 1500 for p in second["points"])


def test_syn_linear_models_match_exact_accuracies(out):
    result, _ = _run("syn", out)
    rows = result["tables"]["models"]
    linear = [r for r in rows if r["model"] == "linear"]
    assert linear and all("exact" in r for r in linear)
    for r in linear:
        ex = r["exact"]
        # The exact accuracies of (w, b) and the test-set estimates agree (1,000 test points).
        assert abs(ex["standard_accuracy"] - r["standard"]) < 0.06
        assert abs(ex["shift_accuracy"] - r["shift"]) < 0.06
    numbers = result["claims"][0]["numbers"]
    assert 0.5 < numbers["bayes_standard_accuracy"] <= 1.0


@pytest.mark.parametrize(("name", "dataset"), [("syn", "mnist"), ("fig1", "synthetic"),
                                               ("lin", "cifar10")])
def test_wrong_dataset_is_refused(name, dataset, tmp_path):
    with pytest.raises(ValueError, match="runs on"):
        run_experiment(name, scale="micro", device="cpu", out=tmp_path, dataset=dataset)


def test_unknown_experiment_and_scale_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown experiment"):
        run_experiment("fig9", scale="micro", out=tmp_path)
    with pytest.raises(ValueError, match="scale must be one of"):
        run_experiment("syn", scale="huge", out=tmp_path)
