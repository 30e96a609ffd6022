"""Helpers shared by the image experiments (E-FIG1, E-FIG7, E-APPB, E-TABLE, E-FIG2/3/4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import Tensor
from tradeoff.empirical.evaluate import correct_mask
from tradeoff.empirical.experiments.context import Context
from tradeoff.empirical.experiments.datasets import dataset_from_spec
from tradeoff.empirical.experiments.settings import (
    IMAGE_DATASETS,
    DatasetSettings,
    dataset_settings,
)
from tradeoff.empirical.experiments.specs import TrainSpec
from tradeoff.empirical.experiments.trained import model_record, trained_model
from tradeoff.empirical.results import config_hash

__all__ = ["IMAGE_DATASETS", "base_config", "settings_of", "data_spec", "spec_for",
           "standard_accuracy_point", "index_records", "lookup", "decline_check",
           "display_indices"]


def base_config(name: str, scale: str, dataset: str, seed: int) -> dict[str, Any]:
    """The experiment's name, dataset, scale, seeds and (as a record) the dataset's settings."""
    s = dataset_settings(dataset, scale)
    return {"experiment": name, "dataset": dataset, "scale": scale, "settings": s.to_json(),
            "seeds": [seed + i for i in range(int(s.seeds))]}


def settings_of(cfg: Mapping[str, Any]) -> DatasetSettings:
    """The validated settings of a configuration's dataset and scale."""
    return dataset_settings(cfg["dataset"], cfg["scale"])


def data_spec(s: DatasetSettings, *, fraction: float = 1.0, subset_seed: int = 0) -> dict:
    """A data spec (:mod:`tradeoff.empirical.experiments.datasets`) of ``s``'s training set."""
    return {"source": s.source, "fraction": float(fraction), "n_max": s.n_train_max,
            "subset_seed": int(subset_seed)}


def spec_for(s: DatasetSettings, *, norm: str, eps: float, seed: int, method: str = "pgd",
             fraction: float = 1.0, subset_seed: int | None = None,
             mixed_ratio: float = 0.5) -> dict[str, Any]:
    """The training spec (JSON) of one image model; ``eps = 0``: standard training. A robust
    model checks itself with the evaluation attack on ``s.n_check`` test points."""
    return TrainSpec(
        data=data_spec(s, fraction=fraction,
                       subset_seed=seed if subset_seed is None else subset_seed),
        model=s.model.name, model_kw=s.model.kw, method=method if eps > 0 else "standard",
        norm=norm, eps_train=float(eps), attack=s.train_attack[norm], optim=s.optim, seed=seed,
        mixed_ratio=mixed_ratio if method == "mixed" else None, check=s.eval_attack[norm],
        check_n=s.n_check).to_json()


def standard_accuracy_point(point: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Train (or load) the point's model and measure its standard test accuracy."""
    model, info = trained_model(point["train"], ctx)
    test = dataset_from_spec(point["train"]["data"], "test", ctx, n_test=point.get("n_test"))
    correct = correct_mask(model, test, device=ctx.device)
    return {"n_test": int(correct.size), "standard_correct": int(correct.sum()),
            "standard_accuracy": float(correct.mean()), "n_train": info.get("n_train"),
            "epochs": info.get("epochs"), "train_time_s": info.get("train_time_s"),
            "trained": [model_record(info)]}


def index_records(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records by the hash of their training spec."""
    return {config_hash(r["point"]["train"]): r for r in records if "train" in r["point"]}


def lookup(index: Mapping[str, dict[str, Any]], spec: Mapping[str, Any]) -> dict[str, Any]:
    """The metrics of the record trained with ``spec``."""
    return index[config_hash(spec)]["metrics"]


def decline_check(xs: list[float], means: list[float], tol: float) -> dict[str, Any]:
    """Does accuracy decline steadily with eps? Steps may rise by at most ``tol``; the last
    value must be below the first; Spearman's rho between eps and accuracy is reported."""
    from scipy.stats import spearmanr

    order = np.argsort(xs)
    y = np.asarray(means, dtype=float)[order]
    steps = np.diff(y)
    rho = float(spearmanr(np.asarray(xs)[order], y).statistic) if len(y) > 2 else float(
        np.sign(y[-1] - y[0]) if len(y) == 2 else 0.0)
    return {"monotone_within_tol": bool(np.all(steps <= tol)),
            "last_below_first": bool(y[-1] < y[0]), "max_rise": float(steps.max(initial=0.0)),
            "total_drop": float(y[0] - y[-1]), "spearman_rho": rho}


def display_indices(y: Tensor, n: int) -> Tensor:
    """Indices of up to ``n`` examples for a figure: the first of each class, then the rest."""
    seen: dict[int, int] = {}
    for i, c in enumerate(y.tolist()):
        seen.setdefault(int(c), i)
    first = sorted(seen.values())[:n]
    rest = [i for i in range(len(y)) if i not in set(first)][:max(0, n - len(first))]
    return torch.as_tensor(sorted(first + rest), dtype=torch.int64)
