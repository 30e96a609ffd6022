"""``python -m benchmarks.gpu_acceptance --device cpu --tiny`` runs the GPU acceptance code in CI
(issue 9), so that it cannot rot while no GPU is at hand; its result feeds ``--plan``."""

from __future__ import annotations

import json

from tradeoff.empirical.plan import load_throughput, make_plan

from benchmarks import gpu_acceptance


def test_tiny_cpu_acceptance_run_writes_json_markdown_and_feeds_the_plan(tmp_path, capsys):
    assert gpu_acceptance.main(["--device", "cpu", "--tiny", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "gpu_acceptance.json").read_text())
    assert data["device"] == "cpu" and data["tiny"] is True
    assert set(data["syn"]["claims"]) == {"E-SYN"}
    for method in ("standard", "pgd"):
        m = data["mnist_cnn"][method]
        assert 0.0 <= m["pgd_accuracy"] <= m["clean_accuracy"] + 0.05 <= 1.05
    check = data["mnist_cnn"]["robust_check"]
    assert check["robust"] == (check["p_value"] <= check["alpha"] == 1e-3)
    assert check["only_robust_right"] + check["only_standard_right"] <= data["mnist_cnn"]["n_test"]
    rows = data["throughput"]
    # Three architectures, standard and PGD each, no AMP on a CPU.
    assert [(r["model"], r["method"]) for r in rows] == [
        (name, method) for name in ("mnist_cnn", "resnet18", "resnet50")
        for method in ("standard", "pgd")]
    assert all(r["images_per_s"] > 0 and r["amp"] is False for r in rows)
    assert all(r["limit_k_plus_1"] == r["k"] + 1 and r["ratio_to_standard"] > 0
               for r in rows if r["method"] == "pgd")
    table = (tmp_path / "gpu_acceptance.md").read_text()
    assert table.count("| no |") == 3 and "PGD/standard time" in table
    assert "Robustness check of the PGD model at its eps_train 0.3" in table
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    # The measured throughput replaces the reference figures in a plan.
    measured = load_throughput(tmp_path / "gpu_acceptance.json")
    assert measured["mnist_cnn@28"] == rows[0]["images_per_s"]
    plan = make_plan("lin", scale="micro", throughput_file=tmp_path / "gpu_acceptance.json")
    assert plan.throughput["mnist_cnn@28"] == rows[0]["images_per_s"]
    assert "measured" in plan.throughput_source
