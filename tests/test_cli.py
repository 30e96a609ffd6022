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
    assert "tradeoff verify" in capsys.readouterr().out


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_succeeds(flag, capsys):
    assert cli.main([flag]) == 0
    assert "Sub-commands" in capsys.readouterr().out


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
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    assert capsys.readouterr().err


def _report(verdict: str) -> Report:
    res = ClaimResult("C-X", "synthetic", verdict, SearchResult(cases=1, tightest_slack=0.5),
                      None, True, 0.0, True, "", 0.0)
    return Report("quick", 0, [res], 0.1)


@pytest.mark.parametrize("verdict, code", [("verified", 0), ("corrected and verified", 0),
                                           ("falsified as printed", 1), ("checker defect", 1),
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
