"""``tradeoff verify``: check every claim of the registry and print the report.

Registered into the ``tradeoff`` parser by :func:`register` (see :mod:`tradeoff.cli`). Exit
status 0 when every asserted claim (the corrected ones included) verified, 1 otherwise, 2 on a
usage error.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


def _progress(result) -> None:
    """One line per finished claim on stderr, so long profiles show where they are."""
    print(f"  {result.id}: {result.verdict} ({result.seconds:.1f} s)", file=sys.stderr, flush=True)


def _handle(args: argparse.Namespace) -> int:
    from tradeoff.cli import UsageError
    from tradeoff.verifier import verify

    try:
        report = verify(profile=args.profile, seed=args.seed, claims=args.claim,
                        on_result=_progress)
    except ValueError as exc:  # unknown claim ID
        raise UsageError(str(exc)) from None
    print(report.format())
    if args.json:
        report.write_json(args.json)
    return 0 if report.ok else 1


def register(subparsers) -> None:
    """Add the ``verify`` sub-command to ``subparsers``."""
    from tradeoff.cli import int_at_least
    from tradeoff.verifier import PROFILES

    parser = subparsers.add_parser(
        "verify", help="check every claim of the registry",
        description="Check every claim of the registry: witness, negative control, Hypothesis "
                    "search over the printed (and corrected) hypotheses.")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick",
                        help="search budget (quick: about a minute on two cores)")
    parser.add_argument("--seed", type=int_at_least(0), default=0,
                        help="seed of the searches, an integer >= 0 (default 0)")
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    parser.add_argument("--claim", action="append", metavar="ID",
                        help="verify only this claim ID (repeatable)")
    parser.set_defaults(handler=_handle)
