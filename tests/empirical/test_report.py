"""``tradeoff report``: assembling result files into one Markdown page."""

from __future__ import annotations

import pytest
from tradeoff.empirical.report import build_report
from tradeoff.empirical.results import SCHEMA, atomic_write_json


def _result(experiment, cid, confirmed, *, headline=None, dataset="mnist"):
    claim = {"id": cid, "confirmed": confirmed, "statement": f"the paper says {cid}",
             "criterion": f"criterion of {cid}", "numbers": {"gap": 0.0123, "nested": {"a": 1}},
             "checks": {"first": confirmed}}
    if headline:
        claim["headline"] = headline
    return {"schema": SCHEMA, "experiment": experiment, "title": f"title {experiment}",
            "claims": [claim], "config": {}, "config_hash": "abc", "scale": "quick",
            "dataset": dataset, "device": "cpu", "device_description": "cpu: 2 cores",
            "seeds": [0, 1], "versions": {"torch": "2.x", "numpy": "2.y", "python": "3.11"},
            "wall_time_s": 12.0, "figure": f"{experiment}.png", "points": [],
            "points_run": 3, "points_reused": 1,
            "tables": {"accuracy": [{"eps": 0.0, "acc": 0.99}, {"eps": 0.3, "acc": 0.97}]}}


@pytest.fixture
def folder(tmp_path):
    syn = _result("syn", "E-SYN", True, headline="standard 99.9%", dataset="synthetic")
    atomic_write_json(tmp_path / "syn.json", syn)
    atomic_write_json(tmp_path / "fig1.json", _result("fig1", "E-FIG1", False))
    (tmp_path / "syn.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    atomic_write_json(tmp_path / "points" / "k" / "point.json", {"schema": "x"})
    return tmp_path


def test_report_lists_every_claim_with_verdict_and_numbers(folder):
    text = build_report(folder)
    assert text.startswith("# Empirical results")
    summary = [line for line in text.splitlines() if line.startswith("| E-")]
    assert len(summary) == 2
    syn = next(line for line in summary if line.startswith("| E-SYN"))
    fig1 = next(line for line in summary if line.startswith("| E-FIG1"))
    assert "**confirmed**" in syn and "standard 99.9%" in syn
    assert "**not confirmed**" in fig1 and "gap = 0.0123" in fig1
    assert "1 of 2 claim(s) confirmed." in text
    assert "### E-FIG1: NOT confirmed" in text
    assert "### E-SYN: confirmed" in text
    assert "*Paper's claim.* the paper says E-SYN" in text
    assert "- gap: 0.0123" in text and "  - a: 1" in text
    assert "| eps | acc |" in text and "| 0.3 | 0.97 |" in text
    assert "![syn](syn.png)" in text
    assert "![fig1]" not in text  # no figure file on disk: no broken link
    assert "torch 2.x, numpy 2.y" in text


def test_report_links_figures_relative_to_output(folder, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("docs") / "report.md"
    text = build_report(folder, output=elsewhere)
    assert "../" in text.split("![syn](")[1].split(")")[0]


def test_report_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder"):
        build_report(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="no experiment result files"):
        build_report(tmp_path)
    bad = _result("syn", "E-SYN", True)
    del bad["claims"][0]["criterion"]
    atomic_write_json(tmp_path / "bad.json", bad)
    with pytest.raises(ValueError, match=r"bad\.json.*criterion"):
        build_report(tmp_path)


def test_report_names_models_that_are_not_robust(tmp_path):
    def model(key, robust):
        return {"key": key, "method": "pgd", "norm": "inf", "eps_train": 0.3, "model": "mlp",
                "seed": 0, "n_train": 4000,
                "robustness": {"robust": robust, "robust_accuracy": 0.5 if robust else 0.02,
                               "standard_model_accuracy": 0.01, "n": 1000,
                               "p_value": 1e-30 if robust else 0.4, "alpha": 1e-3}}
    ok = _result("table", "E-TABLE", True)
    ok.update({"robust_models": [model("aaa", True)], "errors": []})
    bad = _result("fig7", "E-FIG7", True)
    bad.update({"robust_models": [model("bbb", False)],
                "errors": ["model bbb (mlp, pgd l_inf eps_train 0.3) is not robust"]})
    atomic_write_json(tmp_path / "table.json", ok)
    atomic_write_json(tmp_path / "fig7.json", bad)
    text = build_report(tmp_path)
    fig7 = next(line for line in text.splitlines() if line.startswith("| E-FIG7"))
    table = next(line for line in text.splitlines() if line.startswith("| E-TABLE"))
    assert "run error" in fig7 and "run error" not in table
    assert "**Errors of the runs**" in text and "model bbb" in text
    assert "| mlp | pgd | l_inf | 0.3 | 4000 | 0 | 50.0% | 1.0% |" in text
    assert "**NO**" in text
