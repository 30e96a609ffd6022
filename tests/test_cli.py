"""The `tradeoff` command: dispatch, `verify` options, exit status, JSON output."""

import json
import subprocess
import sys

import pytest

from tradeoff import cli
from tradeoff.verifier import ClaimResult, Report, SearchResult

CHEAP = ["--claim", "C-FROB", "--claim", "C-C5"]


def test_no_arguments_prints_usage_and_fails(capsys):
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert "usage: tradeoff" in err and "error:" in err


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_is_argparse_help_listing_every_command(flag, capsys):
    assert cli.main([flag]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: tradeoff")
    for command in ("verify", "prove", "frontier", "run", "report"):
        assert f"    {command} " in out


@pytest.mark.parametrize("command", ["verify", "prove", "frontier", "run", "report"])
def test_each_command_has_its_own_help(command, capsys):
    assert cli.main([command, "-h"]) == 0
    assert capsys.readouterr().out.startswith(f"usage: tradeoff {command}")


def test_unknown_command(capsys):
    assert cli.main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "frobnicate" in err and "verify" in err


def test_verify_selected_claims(capsys, tmp_path):
    out_file = tmp_path / "report.json"
    assert cli.main(["verify", *CHEAP, "--seed", "3", "--json", str(out_file)]) == 0
    text = capsys.readouterr().out
    assert "C-FROB" in text and "C-C5" in text and "OK" in text
    data = json.loads(out_file.read_text())
    assert data["ok"] is True and data["seed"] == 3 and data["profile"] == "quick"
    assert [c["id"] for c in data["claims"]] == ["C-FROB", "C-C5"]


@pytest.mark.parametrize("argv", [["verify", "--profile", "huge"],
                                  ["verify", "--seed", "-1"],
                                  ["verify", "--seed", "x"],
                                  ["verify", "--claim", "C-NOPE"]])
def test_verify_refuses_bad_options(argv, capsys):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert "tradeoff verify: error:" in captured.err and not captured.out


@pytest.mark.parametrize("argv", [["frontier", "--p", "2", "--eta", "0.1", "--d", "10"],
                                  ["frontier", "--p", "0.9", "--eta", "0.1", "--d", "0"],
                                  ["prove", "--claim", "C-NOPE"],
                                  ["run", "fig9"],
                                  ["run", "syn", "--workers", "0"],
                                  ["report"]])
def test_every_command_reports_usage_errors_on_stderr_with_status_2(argv, capsys):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert f"tradeoff {argv[0]}: error:" in captured.err and not captured.out


def test_missing_extra_names_the_extra_and_the_pip_command(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real(name, *a))
    assert cli.main(["run", "syn", "--scale", "micro"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'tradeoff[empirical]'" in err and "torch" in err


def test_missing_module_raised_inside_a_command_is_mapped_to_its_extra(monkeypatch, capsys):
    import tradeoff.verify_cli

    def handler(args):
        raise ModuleNotFoundError("No module named 'ray'", name="ray")

    monkeypatch.setattr(tradeoff.verify_cli, "_handle", handler)
    assert cli.main(["verify"]) == 2
    assert "pip install 'tradeoff[cluster]'" in capsys.readouterr().err


def test_help_and_registration_never_import_torch():
    code = ("import sys, contextlib, io\n"
            "from tradeoff import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert cli.main(['-h']) == 0\n"
            "    assert cli.main(['run', '-h']) == 0\n"
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def _report(verdict: str) -> Report:
    res = ClaimResult("C-X", "synthetic", verdict, SearchResult(cases=1, tightest_slack=0.5),
                      None, True, 0.0, True, "", 0.0)
    return Report("quick", 0, [res], 0.1)


@pytest.mark.parametrize("verdict, code", [("verified", 0), ("corrected and verified", 0),
                                           ("falsified as printed", 1), ("checker defect", 1),
                                           ("regression failed", 1),
                                           ("error", 1)])
def test_exit_status_follows_the_report(verdict, code, monkeypatch, capsys):
    import tradeoff.verifier

    monkeypatch.setattr(tradeoff.verifier, "verify", lambda **kw: _report(verdict))
    assert cli.main(["verify"]) == code
    assert verdict in capsys.readouterr().out


def test_module_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "tradeoff", "verify", "--claim", "C-C5"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "C-C5" in out.stdout and "verified" in out.stdout
