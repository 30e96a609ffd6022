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

__all__ = ["main", "register", "report_main", "run_main"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {value}")
    return value


def _add_run_parser(subparsers) -> argparse.ArgumentParser:
    lines = "\n".join(f"  {name:<6} {cid:<8} {desc}" for name, (cid, desc) in EXPERIMENTS.items())
    p = subparsers.add_parser(
        "run", help="train and attack models for one experiment (needs the 'empirical' extra)",
        description="Run one of the paper's experiments and write its JSON result and figure.",
        epilog=f"experiments:\n{lines}\n\nscales: micro (tests, seconds), quick (CPU, minutes), "
        "paper (the paper's settings; a GPU box)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("experiment", choices=list(EXPERIMENTS), metavar="EXPERIMENT",
                   help="experiment name: " + ", ".join(EXPERIMENTS))
    p.add_argument("--dataset", default=None,
                   help="synthetic (syn), mnist (default), cifar10, restricted_imagenet")
    p.add_argument("--scale", default="quick", choices=SCALES,
                   help="budget: micro, quick (default) or paper")
    p.add_argument("--device", default="auto", choices=("cpu", "cuda", "auto"),
                   help="cpu, cuda or auto (default: cuda when available)")
    p.add_argument("--out", default="results", help="output folder (default: results)")
    p.add_argument("--seed", type=int, default=0, help="base seed (default 0)")
    p.add_argument("--workers", type=_positive_int, default=1,
                   help="concurrent grid points on Ray when ray is importable (default 1)")
    p.add_argument("--threads", type=_positive_int, default=None,
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
    p.set_defaults(handler=_run)
    return p


def _run(args: argparse.Namespace) -> int:
    from tradeoff.cli import UsageError, require

    require("torch", purpose="PyTorch, for training and attacking models")
    from tradeoff.empirical.experiments import get_experiment

    exp = get_experiment(args.experiment)
    dataset = args.dataset or exp.DEFAULT_DATASET
    if dataset not in exp.DATASETS:
        raise UsageError(f"experiment {args.experiment!r} runs on "
                         f"{', '.join(exp.DATASETS)}, not {dataset!r}")

    from tradeoff.empirical.experiments.runner import run_experiment

    log = None if args.quiet else (lambda msg: print(msg, flush=True))
    start = time.perf_counter()
    try:
        result, path = run_experiment(
            args.experiment, scale=args.scale, dataset=dataset, device=args.device,
            out=args.out, seed=args.seed, workers=args.workers, data_root=args.data_root,
            download=args.download, threads=args.threads, log=log)
    except (FileNotFoundError, ValueError) as exc:
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


def _add_report_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report", help="one Markdown page from every experiment result in DIR",
        description="Assemble every experiment result file in DIR into one "
        "Markdown page (our numbers, the paper's claim, confirmed or not).")
    p.add_argument("dir", help="folder holding result files (tradeoff run --out)")
    p.add_argument("--output", "-o", default=None,
                   help="write the Markdown here (default: standard output)")
    p.set_defaults(handler=_report)
    return p


def _report(args: argparse.Namespace) -> int:
    from tradeoff.empirical.report import build_report

    from tradeoff._io import atomic_write_text

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


def register(subparsers) -> None:
    """Add the ``run`` and ``report`` sub-commands (torch is imported only when ``run`` runs)."""
    _add_run_parser(subparsers)
    _add_report_parser(subparsers)


def run_main(argv: Sequence[str] | None = None) -> int:
    """``tradeoff run ARGS``; returns the exit status."""
    from tradeoff.cli import main as tradeoff_main

    return tradeoff_main(["run", *(sys.argv[1:] if argv is None else argv)])


def report_main(argv: Sequence[str] | None = None) -> int:
    """``tradeoff report ARGS``; returns the exit status."""
    from tradeoff.cli import main as tradeoff_main

    return tradeoff_main(["report", *(sys.argv[1:] if argv is None else argv)])


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tradeoff.empirical.cli {run,report} ...``: the same as ``tradeoff ...``."""
    from tradeoff.cli import main as tradeoff_main

    return tradeoff_main(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
