"""``tradeoff run`` and ``tradeoff report``: the empirical experiments from the command line.

``tradeoff run EXPERIMENT [--dataset D] [--scale quick|paper] [--device cpu|cuda|auto]
[--out DIR] [--seed S] [--workers N]`` runs one experiment (:data:`EXPERIMENTS`) and writes
``DIR/<experiment>-<dataset>-<scale>-seed<S>.json`` and ``.png``; finished grid points in ``DIR``
are reused. ``tradeoff report DIR [--output FILE]`` assembles every result file under ``DIR``
into one Markdown page. Without the ``tradeoff`` entry point: ``python -m tradeoff.empirical.cli
run ...``.

Exit status: 0 on success (whatever the verdicts; ``--strict`` makes an unconfirmed claim exit
1), 2 on a usage error (unknown experiment, bad scale, ...), 1 on a runtime error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from tradeoff.empirical.experiments import EXPERIMENTS
from tradeoff.empirical.experiments.settings import SCALES


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting (so that ``*_main`` return codes)."""

    def error(self, message: str):
        raise _UsageError(f"{self.prog}: error: {message}")


def _run_parser() -> _Parser:
    lines = "\n".join(f"  {name:<6} {cid:<8} {desc}" for name, (cid, desc) in EXPERIMENTS.items())
    p = _Parser(
        prog="tradeoff run",
        description="Run one of the paper's experiments and write its JSON result and figure.",
        epilog=f"experiments:\n{lines}\n\nscales: micro (tests, seconds), quick (CPU, minutes), "
        "paper (the paper's settings; a GPU box)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("experiment", help="experiment name: " + ", ".join(EXPERIMENTS))
    p.add_argument("--dataset", default=None,
                   help="synthetic (syn), mnist (default), cifar10, restricted_imagenet")
    p.add_argument("--scale", default="quick", choices=SCALES,
                   help="budget: micro, quick (default) or paper")
    p.add_argument("--device", default="auto", choices=("cpu", "cuda", "auto"),
                   help="cpu, cuda or auto (default: cuda when available)")
    p.add_argument("--out", default="results", help="output folder (default: results)")
    p.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    p.add_argument("--workers", type=int, default=1,
                   help="concurrent grid points on Ray when ray is importable (default 1)")
    p.add_argument("--threads", type=int, default=None,
                   help="CPU threads for torch (default: 1 at micro/quick scale, torch's "
                   "default at paper scale)")
    p.add_argument("--data-root", default=None,
                   help="data folder (default $TRADEOFF_DATA or ~/.cache/tradeoff/data; "
                   "Restricted ImageNet: the ImageNet folder)")
    p.add_argument("--download", action="store_true",
                   help="let torchvision download MNIST / CIFAR-10 (needs network)")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when a claim is not confirmed")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p


def run_main(argv: Sequence[str] | None = None) -> int:
    """``tradeoff run ...``; returns the exit status."""
    parser = _run_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        if args.experiment not in EXPERIMENTS:
            raise _UsageError(f"tradeoff run: error: unknown experiment {args.experiment!r}; "
                              f"choose one of {', '.join(EXPERIMENTS)}")
        if args.workers < 1:
            raise _UsageError("tradeoff run: error: --workers must be an integer >= 1")
        if args.threads is not None and args.threads < 1:
            raise _UsageError("tradeoff run: error: --threads must be an integer >= 1")
        from tradeoff.empirical.experiments import get_experiment

        exp = get_experiment(args.experiment)
        dataset = args.dataset or exp.DEFAULT_DATASET
        if dataset not in exp.DATASETS:
            raise _UsageError(f"tradeoff run: error: experiment {args.experiment!r} runs on "
                              f"{', '.join(exp.DATASETS)}, not {dataset!r}")
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        print(f"usage: {parser.format_usage().split(':', 1)[1].strip()}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)

    from tradeoff.empirical.experiments.runner import run_experiment

    log = None if args.quiet else (lambda msg: print(msg, flush=True))
    start = time.perf_counter()
    try:
        result, path = run_experiment(
            args.experiment, scale=args.scale, dataset=dataset, device=args.device,
            out=args.out, seed=args.seed, workers=args.workers, data_root=args.data_root,
            download=args.download, threads=args.threads, log=log)
    except (FileNotFoundError, ImportError, ValueError) as exc:
        print(f"tradeoff run: error: {exc}", file=sys.stderr)
        return 1
    for claim in result["claims"]:
        verdict = "CONFIRMED" if claim["confirmed"] else "NOT CONFIRMED"
        print(f"{claim['id']}: {verdict} — {claim.get('headline', '')}")
    print(f"wrote {path} and {path.parent / result['figure']} "
          f"({result['points_run']} points run, {result['points_reused']} reused, "
          f"{time.perf_counter() - start:.0f} s on {result['device']})")
    if args.strict and not all(c["confirmed"] for c in result["claims"]):
        return 1
    return 0


def report_main(argv: Sequence[str] | None = None) -> int:
    """``tradeoff report DIR [--output FILE]``; returns the exit status."""
    parser = _Parser(prog="tradeoff report",
                     description="Assemble every experiment result file in DIR into one "
                     "Markdown page (our numbers, the paper's claim, confirmed or not).")
    parser.add_argument("dir", help="folder holding result files (tradeoff run --out)")
    parser.add_argument("--output", "-o", default=None,
                        help="write the Markdown here (default: standard output)")
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except _UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except SystemExit as exc:
        return int(exc.code or 0)
    from tradeoff.empirical.report import build_report
    from tradeoff.empirical.results import atomic_write_text

    try:
        text = build_report(args.dir, output=args.output)
    except (FileNotFoundError, ValueError) as exc:
        print(f"tradeoff report: error: {exc}", file=sys.stderr)
        return 1
    if args.output:
        atomic_write_text(args.output, text)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tradeoff.empirical.cli {run,report} ...``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("run", "report"):
        print("usage: python -m tradeoff.empirical.cli {run,report} ...", file=sys.stderr)
        return 2
    return run_main(argv[1:]) if argv[0] == "run" else report_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
