"""Run the independent points of an experiment grid: in this process, on Ray, or under torchrun.

A grid (dataset x eps_train x training size x seed) is a list of independent runs. Each point is
keyed by the hash of its configuration (:func:`~tradeoff.empirical.results.config_hash`); a
finished point is a file ``OUT/points/<hash>/point.json`` written atomically by the
:class:`~tradeoff.empirical.results.PointStore`, so a re-run skips it, and within a point
training resumes from ``OUT/models/<hash>/checkpoint``.

Backends (:data:`BACKENDS`):

``"local"``
    The points one after another in this process. Under ``torchrun`` every rank walks the same
    list (rank 0's view of what is finished, broadcast to all), trains each model together with
    the others (DistributedDataParallel, :mod:`tradeoff.empirical.distributed`), and only rank
    0 writes the point; the ranks meet at a barrier after each point.
``"ray"``
    Each unfinished point is one Ray task asking for ``cpus_per_task`` CPUs and
    ``gpus_per_task`` GPUs (fractions allowed: ``0.25`` packs four small MNIST models on a
    GPU; Ray sets ``CUDA_VISIBLE_DEVICES`` of the task accordingly). Without ``address`` a local
    Ray is started (and stopped at the end); ``address="auto"`` or ``"ray://host:10001"`` joins a
    cluster. ``OUT`` must be a folder that every node sees (a shared file system). A task whose
    worker dies or that raises is retried up to ``max_retries`` times; a retried task first looks
    for its point in the store, so a point is never computed twice once written, and training
    resumes from its checkpoint. The driver shows a progress bar of finished points.

The same grid definition (an experiment's ``points(config)``) runs unchanged on every backend.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tradeoff.empirical.results import PointStore, config_hash

__all__ = ["BACKENDS", "GridOutcome", "RayOptions", "ray_available", "run_points"]

BACKENDS = ("local", "ray")


@dataclass
class GridOutcome:
    """What :func:`run_points` did: per-point records (in input order) and counts."""

    records: list[dict]
    run: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RayOptions:
    """Where and how the grid's Ray tasks run.

    Parameters
    ----------
    address : str, optional
        Ray cluster to join (``"auto"``: the cluster this node belongs to; ``"ray://host:port"``:
        Ray Client). ``None`` starts a local Ray with ``num_cpus`` CPUs and stops it afterwards.
    cpus_per_task : float
        CPUs each point asks for (> 0).
    gpus_per_task : float
        GPUs each point asks for (>= 0; fractional GPUs share one device).
    max_retries : int
        Retries of a point whose worker died or that raised (>= 0).
    num_cpus : int, optional
        CPUs of a locally started Ray (default: Ray's count of this machine's CPUs).
    env_vars : mapping, optional
        Environment variables of every task (e.g. ``TRADEOFF_CHECKPOINT_EVERY_S``).
    """

    address: str | None = None
    cpus_per_task: float = 1.0
    gpus_per_task: float = 0.0
    max_retries: int = 2
    num_cpus: int | None = None
    env_vars: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from tradeoff._validation import check_int, check_real

        check_real("cpus_per_task", self.cpus_per_task, low=0.0, low_open=True)
        check_real("gpus_per_task", self.gpus_per_task, low=0.0)
        check_int("max_retries", self.max_retries, low=0)
        if self.num_cpus is not None:
            check_int("num_cpus", self.num_cpus, low=1)


def ray_available() -> bool:
    """Whether the optional ``ray`` package is importable."""
    return importlib.util.find_spec("ray") is not None


def _run_one(fn: Callable[[dict], dict], point: dict, key: str, root: str,
             extra: Mapping[str, Any]) -> dict:
    """Compute one point and store it; a point already in the store (a retried task whose first
    attempt wrote it) is returned as stored."""
    store = PointStore(root)
    done = store.load(key)
    if done is not None:
        return done
    start = time.perf_counter()
    metrics = fn(point)
    return store.save(key, point, metrics, wall_time_s=time.perf_counter() - start, **extra)


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a declared dependency
        return None
    return tqdm(total=total, desc="grid points", unit="point", file=sys.stderr)


def run_points(points: Sequence[dict], fn: Callable[[dict], dict], store: PointStore, *,
               workers: int = 1, backend: str | None = None, ray: RayOptions | None = None,
               extra: Mapping[str, Any] | None = None, progress: bool = False,
               log: Callable[[str], None] | None = None) -> GridOutcome:
    """Compute ``fn(point)`` for every point not yet in ``store``; return every record.

    Parameters
    ----------
    points : sequence of dict
        JSON-able point configurations; each is keyed by
        :func:`~tradeoff.empirical.results.config_hash` (duplicates are computed once).
    fn : callable
        ``fn(point) -> metrics`` (a JSON-able dict). On Ray it must be picklable (a
        module-level function or a :func:`functools.partial` of one).
    store : PointStore
    workers : int
        Concurrent points of a locally started Ray (its CPU count is
        ``workers * cpus_per_task`` unless ``ray.num_cpus`` is set). With ``backend=None``,
        ``workers > 1`` selects Ray when it is importable (else the points run sequentially, with
        a log line saying so).
    backend : {"local", "ray"}, optional
        See the module docstring; default ``"local"`` (or Ray as said under ``workers``).
    ray : RayOptions, optional
        Options of the Ray backend.
    extra : mapping, optional
        Stored with each newly computed point (device, versions).
    progress : bool
        Show a progress bar of the points (on stderr).
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers}")
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    extra = dict(extra or {})
    log = log or (lambda _msg: None)
    if backend is None:
        backend = "local"
        if workers > 1:
            if ray_available():
                backend = "ray"
            else:
                log("grid: ray is not importable; running the points sequentially")
    from tradeoff.empirical import distributed

    keys = [config_hash(p) for p in points]
    records: dict[str, dict] = {}
    outcome = GridOutcome(records=[])
    todo: list[tuple[str, dict]] = []
    for key, point in zip(keys, points, strict=True):
        if key in records or any(key == k for k, _ in todo):
            continue
        done = store.load(key)
        if done is not None:
            records[key] = done
            outcome.reused.append(key)
        else:
            todo.append((key, point))
    if distributed.torchrun_env() is not None and distributed.rank_and_world()[1] > 1:
        if backend == "ray":
            raise ValueError("backend 'ray' cannot run under torchrun: use one or the other")
        # Every rank must train the same models in the same order: rank 0's view decides.
        todo_keys = distributed.broadcast_object([k for k, _ in todo])
        by_key = dict(zip(keys, points, strict=True))
        todo = [(k, by_key[k]) for k in todo_keys]
        for key in list(records):
            if key in todo_keys:
                del records[key]
                outcome.reused.remove(key)
    if todo and backend == "ray":
        _run_on_ray(todo, fn, store, records, outcome, ray or RayOptions(), workers, extra,
                    progress, log)
    else:
        _run_locally(todo, fn, store, records, outcome, extra, progress, log)
    missing = [k for k in keys if k not in records]
    if missing:  # only reachable on ranks > 0 under torchrun, before rank 0's writes
        distributed.barrier()
        for key in missing:
            records[key] = store.load(key)
    outcome.records = [records[k] for k in keys]
    return outcome


def _run_locally(todo, fn, store, records, outcome, extra, progress, log) -> None:
    from tradeoff.empirical import distributed

    main = distributed.is_main_process()
    bar = _progress_bar(len(todo), progress and main)
    for i, (key, point) in enumerate(todo):
        log(f"grid: point {i + 1}/{len(todo)} {key} {_brief(point)}")
        if main:
            records[key] = _run_one(fn, point, key, str(store.root), extra)
        else:  # torchrun rank > 0: train and evaluate with the others, write nothing
            start = time.perf_counter()
            metrics = fn(point)
            records[key] = {"key": key, "point": dict(point), "metrics": dict(metrics),
                            "wall_time_s": time.perf_counter() - start, **extra}
        distributed.barrier()
        outcome.run.append(key)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()


def _run_on_ray(todo, fn, store, records, outcome, options: RayOptions, workers: int, extra,
                progress, log) -> None:
    from tradeoff.cli import require

    require("ray", purpose="grids on a Ray cluster")
    import ray

    started = False
    if not ray.is_initialized():
        if options.address is None:
            num_cpus = options.num_cpus
            if num_cpus is None and workers > 1:
                num_cpus = max(1, math.ceil(workers * options.cpus_per_task))
            ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False)
        else:
            ray.init(address=options.address)
        started = True
    try:
        task = ray.remote(_run_one).options(
            num_cpus=options.cpus_per_task, num_gpus=options.gpus_per_task,
            max_retries=options.max_retries, retry_exceptions=options.max_retries > 0,
            **({"runtime_env": {"env_vars": dict(options.env_vars)}} if options.env_vars
               else {}))
        refs = {task.remote(fn, point, key, str(store.root), extra): key for key, point in todo}
        log(f"grid: {len(refs)} points on Ray ({len(outcome.reused)} already done; "
            f"{options.cpus_per_task:g} CPU and {options.gpus_per_task:g} GPU per point)")
        bar = _progress_bar(len(refs), progress)
        failures: list[str] = []
        pending = list(refs)
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            for ref in ready:
                key = refs[ref]
                try:
                    records[key] = ray.get(ref)
                    outcome.run.append(key)
                except Exception as exc:  # noqa: BLE001 - reported below, after the others
                    failures.append(f"{key}: {type(exc).__name__}: {exc}")
                if bar is not None:
                    bar.update(1)
        if bar is not None:
            bar.close()
        outcome.run.sort(key=[k for k, _ in todo].index)
        if failures:
            raise RuntimeError(f"{len(failures)} grid point(s) failed after "
                               f"{options.max_retries} retries (the others are stored; a re-run "
                               "retries only these):\n" + "\n".join(failures))
    finally:
        if started:
            ray.shutdown()


def _brief(point: Mapping[str, Any]) -> str:
    parts = []
    for name in ("role", "method", "norm", "eps_train", "n_train", "seed", "model"):
        if name in point:
            parts.append(f"{name}={point[name]}")
    train = point.get("train")
    if isinstance(train, Mapping):
        parts.append(_brief(train))
    return " ".join(parts)
