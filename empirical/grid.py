"""Run the independent points of an experiment grid, sequentially or on a Ray cluster.

A grid (dataset x eps_train x training size x seed) is a list of independent runs. Finished
points are found by their configuration hash in the :class:`~tradeoff.empirical.results.PointStore`
and
skipped, so a killed run resumes where it stopped; within a point, training resumes from the
checkpoints in ``OUT/models/<hash>/checkpoint``. With ``workers > 1`` and ``ray`` importable the
unfinished points go to Ray (``ray.init(address="auto")`` joins a running cluster, else a local
one starts); without Ray they run one after another in this process.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tradeoff.empirical.results import PointStore, config_hash


@dataclass
class GridOutcome:
    """What :func:`run_points` did: per-point records (in input order) and counts."""

    records: list[dict]
    run: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def ray_available() -> bool:
    """Whether the optional ``ray`` package is importable."""
    return importlib.util.find_spec("ray") is not None


def _run_one(fn: Callable[[dict], dict], point: dict, key: str, root: str,
             extra: Mapping[str, Any]) -> dict:
    store = PointStore(root)
    start = time.perf_counter()
    metrics = fn(point)
    return store.save(key, point, metrics, wall_time_s=time.perf_counter() - start, **extra)


def run_points(points: Sequence[dict], fn: Callable[[dict], dict], store: PointStore, *,
               workers: int = 1, extra: Mapping[str, Any] | None = None,
               log: Callable[[str], None] | None = None) -> GridOutcome:
    """Compute ``fn(point)`` for every point not yet in ``store``; return every record.

    Parameters
    ----------
    points : sequence of
    dict
        JSON-able point configurations; each is keyed by
        :func:`~tradeoff.empirical.results.config_hash`.
    fn : callable
        ``fn(point) -> metrics`` (a JSON-able dict). With Ray it must be picklable (a
        module-level function or a :func:`functools.partial` of one).
    store : PointStore
    workers : int
        ``1``: sequential. ``> 1``: Ray with that many concurrent tasks, if ``ray`` is
        importable; otherwise sequential (with a log line saying so).
    extra : mapping, optional
        Stored with each newly computed point (device, versions).
    """
    if workers < 1:
        raise ValueError(f"workers must be an integer >= 1, got {workers}")
    extra = dict(extra or {})
    log = log or (lambda _msg: None)
    keys = [config_hash(p) for p in points]
    records: dict[str, dict] = {}
    outcome = GridOutcome(records=[])
    todo: list[tuple[str, dict]] = []
    for key, point in zip(keys, points, strict=True):
        if key in records:
            continue
        done = store.load(key)
        if done is not None:
            records[key] = done
            outcome.reused.append(key)
        elif all(key != k for k, _ in todo):
            todo.append((key, point))
    if todo and workers > 1 and ray_available():
        import ray

        if not ray.is_initialized():
            try:
                ray.init(address="auto", ignore_reinit_error=True)
            except (ConnectionError, RuntimeError, ValueError):
                ray.init(num_cpus=workers, ignore_reinit_error=True)
        remote = ray.remote(_run_one)
        pending = [remote.remote(fn, p, k, str(store.root), extra) for k, p in todo]
        log(f"grid: {len(pending)} points on Ray ({len(outcome.reused)} already done)")
        for key, rec in zip([k for k, _ in todo], ray.get(pending), strict=True):
            records[key] = rec
            outcome.run.append(key)
    else:
        if todo and workers > 1:
            log("grid: ray is not importable; running the points sequentially")
        for i, (key, point) in enumerate(todo):
            log(f"grid: point {i + 1}/{len(todo)} {key} {_brief(point)}")
            records[key] = _run_one(fn, point, key, str(store.root), extra)
            outcome.run.append(key)
    outcome.records = [records[k] for k in keys]
    return outcome


def _brief(point: Mapping[str, Any]) -> str:
    parts = []
    for name in ("role", "method", "norm", "eps_train", "n_train", "seed", "model"):
        if name in point:
            parts.append(f"{name}={point[name]}")
    train = point.get("train")
    if isinstance(train, Mapping):
        parts.append(_brief(train))
    return " ".join(parts)
