"""Drive one experiment: configuration, grid points (resumable), claims, figure, result JSON.

:func:`grid_points` and :func:`training_specs` enumerate an experiment's grid and the models it
trains without training anything (for planning a run); :func:`run_experiment` runs it.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from tradeoff.empirical.devices import resolve_device
from tradeoff.empirical.distributed import is_main_process
from tradeoff.empirical.experiments import get_experiment
from tradeoff.empirical.experiments.context import Context, cpu_threads
from tradeoff.empirical.experiments.settings import SCALES
from tradeoff.empirical.experiments.trained import run_errors
from tradeoff.empirical.grid import run_points
from tradeoff.empirical.results import (
    SCHEMA,
    PointStore,
    atomic_write_json,
    config_hash,
    device_description,
    result_filename,
    to_jsonable,
    validate_result,
    versions,
)

__all__ = ["run_experiment", "experiment_config", "grid_points", "training_specs"]


def _merge(base: dict, extra: Mapping[str, Any]) -> dict:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _point_entry(name: str, ctx: Context, point: dict) -> dict:
    """Module-level (picklable) entry point of one grid point, for :func:`run_points`."""
    with cpu_threads(ctx.threads, ctx.device):
        return get_experiment(name).run_point(point, ctx)


def experiment_config(name: str, *, scale: str = "quick", dataset: str | None = None,
                      seed: int = 0, overrides: Mapping[str, Any] | None = None) -> dict:
    """The full (JSON-able) configuration of experiment ``name``; validates every setting.

    Raises
    ------
    ValueError
        Unknown experiment, scale or dataset; or a setting that cannot hold (e.g. a training
        attack whose steps cannot reach its ``eps_train``).
    """
    exp = get_experiment(name)
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    dataset = dataset or exp.DEFAULT_DATASET
    if dataset not in exp.DATASETS:
        raise ValueError(f"experiment {name!r} runs on {', '.join(exp.DATASETS)}; "
                         f"got dataset {dataset!r}")
    config = exp.config(scale, dataset, seed)
    if overrides:
        _merge(config, overrides)
    return to_jsonable(config)


def grid_points(name: str, *, scale: str = "quick", dataset: str | None = None, seed: int = 0,
                overrides: Mapping[str, Any] | None = None) -> list[dict]:
    """Every grid point of experiment ``name`` (JSON dicts; equal points appear once), in run
    order, without training or loading anything. Each point's hash
    (:func:`~tradeoff.empirical.results.config_hash`) names its folder ``OUT/points/<hash>``."""
    config = experiment_config(name, scale=scale, dataset=dataset, seed=seed, overrides=overrides)
    unique: dict[str, dict] = {}
    for point in get_experiment(name).points(config):
        unique.setdefault(config_hash(point), point)
    return list(unique.values())


def _specs_in(obj: Any) -> list[dict]:
    if isinstance(obj, Mapping):
        if {"data", "model", "method", "optim"} <= set(obj):
            return [dict(obj)]
        return [s for value in obj.values() for s in _specs_in(value)]
    if isinstance(obj, list | tuple):
        return [s for value in obj for s in _specs_in(value)]
    return []


def training_specs(points: list[dict]) -> list[dict]:
    """The training specs (JSON) of every model the grid ``points`` use, each once, with the
    standard counterpart an adversarially trained model compares itself with; a spec's hash
    names its folder ``OUT/models/<hash>``."""
    from tradeoff.empirical.experiments.specs import TrainSpec

    unique: dict[str, dict] = {}
    for spec in _specs_in(points):
        parsed = TrainSpec.from_json(spec)
        if parsed.check is not None:
            counterpart = parsed.standard_counterpart().to_json()
            unique.setdefault(config_hash(counterpart), counterpart)
        unique.setdefault(config_hash(spec), spec)
    return list(unique.values())


def run_experiment(name: str, *, scale: str = "quick", dataset: str | None = None,
                   device: str = "auto", out: str | Path = "results", seed: int = 0,
                   workers: int = 1, data_root: str | None = None, download: bool = False,
                   threads: int | None = None,
                   overrides: Mapping[str, Any] | None = None,
                   log: Callable[[str], None] | None = None,
                   grid: Mapping[str, Any] | None = None) -> tuple[dict, Path]:
    """Run experiment ``name`` and write ``OUT/<name>-<dataset>-<scale>-seed<S>.json`` + ``.png``.

    Parameters
    ----------
    name : str
        A key of :data:`tradeoff.empirical.experiments.EXPERIMENTS` (``"syn"``, ``"fig1"``, ...).
    scale : {"micro", "quick", "paper"}
    dataset : str, optional
        One of the experiment's ``DATASETS``; default its ``DEFAULT_DATASET``.
    device : {"cpu", "cuda", "auto"}
    out : path
        Output folder; finished grid points in ``OUT/points`` and trained models in
        ``OUT/models`` are reused by a re-run (and by other experiments with equal points).
    seed : int
        Base seed; an experiment with ``k`` seeds uses ``seed, seed + 1, ..., seed + k - 1``.
    workers : int
        ``> 1`` runs the grid on Ray when ``ray`` is importable.
    threads : int, optional
        Intra-op CPU threads; default the configuration's ``cpu_threads`` (1 at the micro and
        quick scales, torch's default at paper scale).
    overrides : mapping, optional
        Deep-merged into the configuration (tests use it to shrink a run further).
    grid : mapping, optional
        Keyword arguments of :func:`tradeoff.empirical.grid.run_points` (``backend``, ``ray``,
        ``progress``): where the grid points run. Under torchrun only rank 0 writes the figure
        and the result file.

    Returns
    -------
    (dict, Path)
        The result (as written) and the path of its JSON file.
    """
    exp = get_experiment(name)
    start = time.perf_counter()
    config = experiment_config(name, scale=scale, dataset=dataset, seed=seed,
                               overrides=overrides)
    dataset = config["dataset"]
    device = str(resolve_device(device))
    out = Path(out)
    if threads is None:
        threads = config.get("cpu_threads", (config.get("settings") or {}).get("cpu_threads"))
    ctx = Context(out=str(out), device=device, data_root=data_root, download=download, log=log,
                  threads=threads)
    store = PointStore(out)
    points = exp.points(config)
    extra = {"device": device, "versions": versions()}
    outcome = run_points(points, partial(_point_entry, name, ctx), store, workers=workers,
                         extra=extra, log=log, **dict(grid or {}))
    summary = exp.summarize(config, outcome.records)
    robust_models, errors = run_errors(outcome.records)
    for line in errors:
        if log is not None:
            log(f"ERROR: {line}")
    stem = result_filename(name, dataset, scale, seed)
    figure = out / f"{stem}.png"
    main_process = is_main_process()
    if main_process:
        exp.plot(config, outcome.records, summary, figure)
    result = {
        "schema": SCHEMA,
        "experiment": name,
        "title": exp.TITLE,
        "claims": summary["claims"],
        # Every adversarially trained model's own robustness check, and one line per model
        # that failed it: an error of the run, never a silent data point.
        "robust_models": robust_models,
        "errors": errors,
        "paper_claim": exp.PAPER_CLAIM,
        "tables": summary.get("tables", {}),
        "config": config,
        "config_hash": config_hash(config),
        "scale": scale,
        "dataset": dataset,
        "device": device,
        "device_description": device_description(device),
        "seeds": config.get("seeds", [seed]),
        "versions": versions(),
        "wall_time_s": time.perf_counter() - start,
        # Compute time of every grid point, whether run now or reused from an earlier run.
        "points_wall_time_s": sum({r["key"]: r.get("wall_time_s") or 0.0
                                   for r in outcome.records}.values()),
        "points_run": len(outcome.run),
        "points_reused": len(outcome.reused),
        "figure": figure.name,
        "points": [{"key": r["key"], "point": r["point"], "metrics": r["metrics"],
                    "wall_time_s": r.get("wall_time_s")} for r in outcome.records],
    }
    result = to_jsonable(result)
    validate_result(result)
    path = out / f"{stem}.json"
    if main_process:
        atomic_write_json(path, result)
    return result, path
