"""Soak the test suite: run it N times with random Hypothesis seeds and report every failure.

A plain ``pytest`` outside CI draws a fresh Hypothesis seed per run (the ``dev`` profile); CI is
derandomised and cannot see a test that fails for one seed in twenty. This script reproduces what
users get: each run uses

- the ``dev`` profile (``HYPOTHESIS_PROFILE=dev``, ``CI`` unset),
- a random seed passed as ``--hypothesis-seed`` (so a failure is reproducible from the report),
- ``-p no:cacheprovider`` and a fresh, empty Hypothesis example database
  (``HYPOTHESIS_STORAGE_DIRECTORY`` in a new temporary directory): no run replays another's
  failures.

Results are checkpointed after every run (atomically, :func:`tradeoff._io.atomic_write_json`);
``--resume`` continues an interrupted soak. Exit status 0 when every run passed, 1 otherwise.

Usage::

    .venv/bin/python scripts/soak.py --runs 20                       # whole suite
    .venv/bin/python scripts/soak.py --runs 3 -- tests/test_claims.py -x
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tradeoff._io import atomic_write_json

ROOT = Path(__file__).resolve().parent.parent
FAILED = re.compile(r"^(FAILED|ERROR) (\S+)")


def _run_once(seed: int, pytest_args: list[str], timeout: float) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    env["HYPOTHESIS_PROFILE"] = "dev"
    with tempfile.TemporaryDirectory(prefix="soak-hypothesis-") as storage:
        env["HYPOTHESIS_STORAGE_DIRECTORY"] = storage
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfE",
               f"--hypothesis-seed={seed}", *pytest_args]
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=timeout, check=False)
            rc, out = proc.returncode, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired as exc:
            rc = -1
            out = (exc.stdout or "") if isinstance(exc.stdout, str) else ""
            out += f"\n[soak] timed out after {timeout:.0f} s"
    failed = sorted({m.group(2) for line in out.splitlines() if (m := FAILED.match(line))})
    summary = out.strip().splitlines()[-1] if out.strip() else ""
    return {"seed": seed, "returncode": rc, "seconds": round(time.perf_counter() - start, 1),
            "failed": failed, "summary": summary,
            "reproduce": f"HYPOTHESIS_PROFILE=dev {sys.executable} -m pytest -p no:cacheprovider "
                         f"--hypothesis-seed={seed} " + " ".join(failed or pytest_args),
            "tail": out[-4000:] if rc not in (0, 5) else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="number of runs (default 20)")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds per run before it counts as a failure (default 3600)")
    parser.add_argument("--out", default="soak-report.json",
                        help="checkpointed JSON report (default soak-report.json)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the soak recorded in --out")
    parser.add_argument("pytest_args", nargs="*", default=["tests"],
                        help="arguments for pytest after '--' (default: tests)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be >= 1, got {args.runs}")
    if args.timeout <= 0:
        parser.error(f"--timeout must be > 0, got {args.timeout}")
    out = Path(args.out)
    runs: list[dict] = []
    if args.resume and out.exists():
        runs = json.loads(out.read_text())["runs"]
    for i in range(len(runs), args.runs):
        seed = secrets.randbits(64)
        res = _run_once(seed, args.pytest_args, args.timeout)
        runs.append(res)
        ok = res["returncode"] in (0, 5)  # 5: no tests collected
        print(f"[soak] run {i + 1}/{args.runs} seed={seed} {res['seconds']:.0f} s "
              f"{'ok' if ok else 'FAILED ' + ' '.join(res['failed'])} -- {res['summary']}",
              flush=True)
        atomic_write_json(out, {"pytest_args": args.pytest_args, "runs": runs})
    bad = [r for r in runs if r["returncode"] not in (0, 5)]
    print(f"[soak] {len(runs) - len(bad)}/{len(runs)} runs passed; report: {out}")
    for r in bad:
        print(f"[soak] seed {r['seed']}: {', '.join(r['failed']) or r['summary']}\n"
              f"       reproduce: {r['reproduce']}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
