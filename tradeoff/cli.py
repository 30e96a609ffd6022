"""The ``tradeoff`` command.

Sub-commands::

    tradeoff verify [--profile quick|default|deep] [--seed S] [--json FILE] [--claim ID ...]
    tradeoff prove  [--json FILE]                    (machine-checked proof steps; proofs/)
    tradeoff frontier --p P --eta E --d D [--eps X] [--out DIR]   (B-FRONTIER)
    tradeoff run EXPERIMENT [--dataset ...] [--scale quick|paper] [--device ...] [--out DIR]
    tradeoff report DIR                              (Markdown page from experiment results)

``verify`` needs nothing but the core; the others import their packages lazily, so
``import tradeoff`` and ``tradeoff verify`` never import torch.
"""

from __future__ import annotations

import argparse
import sys


def _progress(result) -> None:
    """One line per finished claim on stderr, so long profiles show where they are."""
    print(f"  {result.id}: {result.verdict} ({result.seconds:.1f} s)", file=sys.stderr, flush=True)


def _verify_main(argv: list[str]) -> int:
    from tradeoff.verifier import PROFILES, verify

    parser = argparse.ArgumentParser(
        prog="tradeoff verify",
        description="Check every claim of the registry: witness, negative control, Hypothesis "
                    "search over the printed (and corrected) hypotheses.")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick",
                        help="search budget (quick: about a minute on two cores)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the searches (default 0)")
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    parser.add_argument("--claim", action="append", metavar="ID",
                        help="verify only this claim ID (repeatable)")
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error("--seed must be a non-negative integer")
    try:
        report = verify(profile=args.profile, seed=args.seed, claims=args.claim,
                        on_result=_progress)
    except ValueError as exc:
        parser.error(str(exc))
    print(report.format())
    if args.json:
        report.write_json(args.json)
    return 0 if report.ok else 1


def _lazy(module: str, function: str):
    def run(argv: list[str]) -> int:
        import importlib

        return importlib.import_module(module).__getattribute__(function)(argv)

    return run


COMMANDS = {
    "verify": _verify_main,
    "prove": _lazy("tradeoff.proofs.runner", "main"),
    "frontier": _lazy("tradeoff.frontier", "main"),
    "run": _lazy("tradeoff.empirical.cli", "run_main"),
    "report": _lazy("tradeoff.empirical.cli", "report_main"),
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tradeoff`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"tradeoff: unknown command {command!r}; choose one of {sorted(COMMANDS)}",
              file=sys.stderr)
        return 2
    return int(COMMANDS[command](rest) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
