"""Run every proof step and report: ``tradeoff prove`` / ``python -m tradeoff.proofs``.

Prints one row per step (claim ID, step name, method, status, seconds). ``--json FILE`` writes
the same as a list of records. Exit status 0 iff every step claimed as machine-checked verifies;
argued steps are listed as ``not-checked`` and do not fail the run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

from tradeoff.proofs.step import ProofStep, StepResult

from tradeoff._io import atomic_write_json

__all__ = ["main", "register", "run"]


def run(steps: Sequence[ProofStep] | None = None) -> list[tuple[ProofStep, StepResult]]:
    """Check ``steps`` (default: all) and return ``(step, result)`` pairs."""
    if steps is None:
        from tradeoff.proofs import all_steps

        steps = all_steps()
    return [(s, s.check(use_cache=False)) for s in steps]


def _record(step: ProofStep, res: StepResult) -> dict:
    return {
        "claim_id": step.claim_id,
        "step": step.name,
        "method": step.method,
        "status": res.status,
        "seconds": round(res.seconds, 4),
        "reason": res.reason,
        "summary": step.summary,
        "paper_ref": step.paper_ref,
        "machine_checked": step.machine_checked,
        "latex": step.to_latex(),
    }


def register(subparsers) -> None:
    """Add the ``prove`` sub-command to ``subparsers`` (see :mod:`tradeoff.cli`)."""
    ap = subparsers.add_parser(
        "prove", help="check the machine-checked proof steps",
        description="Check the machine-checked proof steps of Theorems 2.1 and 2.2 and of the "
                    "B-claims; argued steps are listed, not checked.")
    ap.add_argument("--json", metavar="FILE", help="also write one JSON record per step")
    ap.add_argument("--claim", action="append", help="only steps of this claim ID (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each step's reason")
    ap.set_defaults(handler=_handle)


def main(argv: Sequence[str] | None = None) -> int:
    """``tradeoff prove ARGS`` (also ``python -m tradeoff.proofs``); returns the exit status."""
    from tradeoff.cli import main as tradeoff_main

    return tradeoff_main(["prove", *(sys.argv[1:] if argv is None else argv)])


def _handle(args) -> int:
    from tradeoff.proofs import all_steps

    from tradeoff.cli import UsageError

    steps = all_steps()
    if args.claim:
        steps = [s for s in steps if s.claim_id in set(args.claim)]
        if not steps:
            raise UsageError(f"no proof steps for {args.claim}")
    t0 = time.perf_counter()
    results = run(steps)
    total = time.perf_counter() - t0

    w_claim = max(len("claim"), *(len(s.claim_id) for s, _ in results))
    w_name = max(len("step"), *(len(s.name) for s, _ in results))
    w_meth = max(len("method"), *(len(s.method) for s, _ in results))
    head = (
        f"{'claim':<{w_claim}}  {'step':<{w_name}}  {'method':<{w_meth}}  {'status':<11}  seconds"
    )
    print(head)
    print("-" * len(head))
    for s, r in results:
        print(
            f"{s.claim_id:<{w_claim}}  {s.name:<{w_name}}  {s.method:<{w_meth}}  "
            f"{r.status:<11}  {r.seconds:7.2f}"
        )
        if args.verbose or r.status == "failed":
            print(f"{'':<{w_claim}}  -> {r.reason}")
    n_ver = sum(r.status == "verified" for _, r in results)
    n_arg = sum(r.status == "not-checked" for _, r in results)
    bad = [s.name for s, r in results if s.machine_checked and r.status != "verified"]
    print("-" * len(head))
    print(
        f"{len(results)} steps: {n_ver} verified, {len(bad)} failed, "
        f"{n_arg} argued (not machine-checked); {total:.1f} s"
    )
    if args.json:
        atomic_write_json(args.json, [_record(s, r) for s, r in results])
    return 1 if bad else 0
