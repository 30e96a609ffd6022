"""``tradeoff run`` / ``tradeoff report`` argument handling (tradeoff.empirical.cli).

Named test_run_cli.py, not test_cli.py: tests/test_cli.py exists and pytest's default import
mode refuses two test modules of the same name.
"""

from __future__ import annotations

import pytest
from tradeoff.empirical.cli import main, report_main, run_main
from tradeoff.empirical.results import SCHEMA, atomic_write_json, find_results, read_json


def test_unknown_experiment_is_a_usage_error(capsys):
    assert run_main(["fig9"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'fig9'" in err
    assert "'syn', 'fig1', 'fig7', 'appb', 'table', 'fig2', 'fig3', 'fig4', 'lin'" in err


def test_bad_scale_is_a_usage_error(capsys):
    assert run_main(["syn", "--scale", "huge"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'huge'" in err and "quick" in err and "paper" in err


@pytest.mark.parametrize("argv, message", [
    (["syn", "--dataset", "cifar10"], "runs on synthetic"),
    (["fig1", "--dataset", "imagenet"], "runs on mnist, cifar10, restricted_imagenet"),
    (["syn", "--device", "tpu"], "invalid choice: 'tpu'"),
    (["syn", "--seed", "x"], "invalid int value"),
    (["syn", "--workers", "0"], "argument --workers: must be an integer >= 1"),
    (["syn", "--threads", "0"], "argument --threads: must be an integer >= 1"),
    ([], "the following arguments are required: EXPERIMENT"),
])
def test_other_usage_errors(argv, message, capsys):
    assert run_main(argv) == 2
    assert message in capsys.readouterr().err


def test_help_exits_zero(capsys):
    assert run_main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "E-FIG1" in out and "paper" in out


def test_run_and_report_end_to_end(tmp_path, capsys):
    out = tmp_path / "res"
    assert run_main(["syn", "--scale", "micro", "--device", "cpu", "--out", str(out),
                     "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "E-SYN: " in printed and "wrote" in printed
    (path,) = find_results(out)
    assert read_json(path)["scale"] == "micro"
    report = tmp_path / "report.md"
    assert report_main([str(out), "--output", str(report)]) == 0
    text = report.read_text()
    assert "| E-SYN | `syn` | synthetic | micro | cpu |" in text
    assert report_main([str(out)]) == 0
    assert "| E-SYN |" in capsys.readouterr().out
    # python -m tradeoff.empirical.cli dispatches to both.
    assert main(["report", str(out), "--output", str(report)]) == 0
    assert main(["bogus"]) == 2


def test_strict_exit_status_follows_the_verdict(tmp_path):
    # Micro scale trains almost nothing: E-SYN is not confirmed there, so --strict exits 1.
    argv = ["syn", "--scale", "micro", "--device", "cpu", "--out", str(tmp_path), "--quiet"]
    assert run_main(argv) == 0
    (path,) = find_results(tmp_path)
    confirmed = all(c["confirmed"] for c in read_json(path)["claims"])
    assert run_main([*argv, "--strict"]) == (0 if confirmed else 1)


def test_report_errors(tmp_path, capsys):
    assert report_main([str(tmp_path / "missing")]) == 1
    assert "no such folder" in capsys.readouterr().err
    assert report_main([str(tmp_path)]) == 1
    assert "no experiment result files" in capsys.readouterr().err
    atomic_write_json(tmp_path / "x.json", {"schema": SCHEMA, "experiment": "syn"})
    assert report_main([str(tmp_path)]) == 1
    assert "lacks the key" in capsys.readouterr().err
    assert report_main([]) == 2
