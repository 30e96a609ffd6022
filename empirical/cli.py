"""``tradeoff run`` and ``tradeoff report``: the empirical experiments from the command line.

``tradeoff run EXPERIMENT [--dataset D] [--scale quick|paper] [--device cpu|cuda|auto]
[--out DIR] [--seed S] [--backend local|ray] [--address ADDR] [--gpus-per-task F]
[--cpus-per-task N] [--checkpoint-every SECONDS]`` runs one experiment (:data:`EXPERIMENTS`) and
writes ``DIR/<experiment>-<dataset>-<scale>-seed<S>.json`` and ``.png``; finished grid points in
``DIR`` are reused. ``--plan`` prints what the run would train, its GPU-hours and disk, and
trains nothing (:mod:`tradeoff.empirical.plan`). Started by ``torchrun``, every model is trained
with DistributedDataParallel over the ranks (:mod:`tradeoff.empirical.distributed`); only rank
0 writes and prints. See docs/scale.md.

``tradeoff report DIR [--output FILE]`` assembles every result file under ``DIR`` into one
Markdown page. Without the ``tradeoff`` entry point: ``python -m tradeoff.empirical.cli
run ...``.

Exit status: 0 on success (whatever the verdicts; ``--strict`` makes an unconfirmed claim exit
1), 2 on a usage error (unknown experiment, bad scale, ...), 1 on a runtime error.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Sequence

from tradeoff.empirical.experiments import EXPERIMENTS
from tradeoff.empirical.experiments.settings import SCALES

from tradeoff.cli import int_at_least

__all__ = ["main", "register", "report_main", "run_main"]

# Read by TrainConfig's defaults, so that every process that trains (Ray workers included, via
# the task's runtime environment) sees the command line's choice.
_CHECKPOINT_ENV = "TRADEOFF_CHECKPOINT_EVERY_S"
_COMPILE_ENV = "TRADEOFF_COMPILE"


def _number(text: str, *, low: float, strict: bool) -> float:
    what = f"a number {'>' if strict else '>='} {low:g}"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
    if not math.isfinite(value) or value < low or (strict and value == low):
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    return _number(text, low=0.0, strict=True)


def _nonnegative_float(text: str) -> float:
    return _number(text, low=0.0, strict=False)


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
    p.add_argument("--workers", type=int_at_least(1), default=1,
                   help="concurrent grid points of a locally started Ray (default 1; > 1 "
                   "without --backend selects Ray when it is installed)")
    p.add_argument("--backend", choices=("local", "ray"), default=None,
                   help="where the grid points run: local (this process, or every torchrun "
                   "rank) or ray (one Ray task per point); default local")
    p.add_argument("--address", default=None,
                   help="Ray cluster to join ('auto', or ray://HOST:PORT); default: start a "
                   "local Ray")
    p.add_argument("--gpus-per-task", type=_nonnegative_float, default=None,
                   help="GPUs per grid point on Ray, fractions allowed (default 1 with "
                   "--device cuda, else 0)")
    p.add_argument("--cpus-per-task", type=_positive_float, default=1.0,
                   help="CPUs per grid point on Ray (default 1)")
    p.add_argument("--max-retries", type=int_at_least(0), default=2,
                   help="retries of a failed or killed grid point on Ray (default 2)")
    p.add_argument("--checkpoint-every", type=_nonnegative_float, default=None,
                   metavar="SECONDS", help="at most one training checkpoint per SECONDS "
                   "(default 300; 0: after every epoch)")
    p.add_argument("--compile", action="store_true",
                   help="train with torch.compile (sets $TRADEOFF_COMPILE=1)")
    p.add_argument("--plan", action="store_true",
                   help="print the grid, models, optimizer steps, estimated GPU-hours and disk, "
                   "and which datasets are found; train nothing")
    p.add_argument("--throughput", default=None, metavar="FILE",
                   help="with --plan: a benchmarks.gpu_acceptance JSON result whose measured "
                   "throughput replaces the reference figures")
    p.add_argument("--threads", type=int_at_least(1), default=None,
                   help="CPU threads for torch (default: 1 at micro/quick scale, torch's "
                   "default at paper scale)")
    p.add_argument("--data-root", default=None,
                   help="data folder (default $TRADEOFF_DATA or ~/.cache/tradeoff/data; "
                   "Restricted ImageNet: the ImageNet folder)")
    p.add_argument("--download", action="store_true",
                   help="let torchvision download MNIST / CIFAR-10 (needs network)")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 when a claim is not confirmed or the run has an error "
                   "(e.g. a robust model that is not robust at its own eps_train)")
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
    if args.throughput is not None and not args.plan:
        raise UsageError("--throughput is an option of --plan")
    if args.plan:
        return _plan(args, dataset)
    from tradeoff.empirical import distributed

    ranks = distributed.torchrun_env()
    if ranks is not None and args.backend == "ray":
        raise UsageError("--backend ray cannot run under torchrun: use one or the other")
    if args.backend == "ray" or (args.backend is None and args.workers > 1):
        if args.backend == "ray":
            require("ray", purpose="grids on a Ray cluster")
    elif args.address is not None or args.gpus_per_task is not None:
        raise UsageError("--address and --gpus-per-task are options of --backend ray")
    if args.checkpoint_every is not None:
        os.environ[_CHECKPOINT_ENV] = repr(args.checkpoint_every)
    if args.compile:
        os.environ[_COMPILE_ENV] = "1"
    from tradeoff.empirical.experiments.runner import run_experiment
    from tradeoff.empirical.grid import RayOptions

    gpus = args.gpus_per_task
    if gpus is None:
        gpus = 1.0 if args.device == "cuda" else 0.0
    env_vars = {k: os.environ[k] for k in (_CHECKPOINT_ENV, _COMPILE_ENV) if k in os.environ}
    grid = {"backend": args.backend, "progress": not args.quiet and sys.stderr.isatty(),
            "ray": RayOptions(address=args.address, cpus_per_task=args.cpus_per_task,
                              gpus_per_task=gpus, max_retries=args.max_retries,
                              env_vars=env_vars)}
    main_process = ranks is None or ranks.rank == 0
    log = None if args.quiet or not main_process else (lambda msg: print(msg, flush=True))
    start = time.perf_counter()
    device = args.device
    try:
        device = distributed.init_from_env(args.device)
        result, path = run_experiment(
            args.experiment, scale=args.scale, dataset=dataset, device=device,
            out=args.out, seed=args.seed, workers=args.workers, data_root=args.data_root,
            download=args.download, threads=args.threads, log=log, grid=grid)
    except (FileNotFoundError, ValueError) as exc:
        print(f"tradeoff run: error: {exc}", file=sys.stderr)
        return 1
    finally:
        distributed.shutdown()
    if not main_process:
        return 0
    for claim in result["claims"]:
        verdict = "CONFIRMED" if claim["confirmed"] else "NOT CONFIRMED"
        print(f"{claim['id']}: {verdict} — {claim.get('headline', '')}")
    print(f"wrote {path} and {path.parent / result['figure']} "
          f"({result['points_run']} points run, {result['points_reused']} reused, "
          f"{time.perf_counter() - start:.0f} s on {result['device']})")
    for line in result.get("errors", []):
        print(f"RUN ERROR: {line}", file=sys.stderr)
    failed = result.get("errors") or not all(c["confirmed"] for c in result["claims"])
    if args.strict and failed:
        return 1
    return 0


def _plan(args: argparse.Namespace, dataset: str) -> int:
    from tradeoff.empirical.plan import format_plan, make_plan

    try:
        plan = make_plan(args.experiment, scale=args.scale, dataset=dataset, seed=args.seed,
                         throughput_file=args.throughput, data_root=args.data_root)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        print(f"tradeoff run: error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(format_plan(plan))
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
