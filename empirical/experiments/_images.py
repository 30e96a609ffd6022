"""Helpers shared by the image experiments (E-FIG1, E-FIG7, E-APPB, E-TABLE, E-FIG2/3/4)."""

from __future__ import annotations

from typing import Any

import numpy as np
from tradeoff.empirical.experiments import _common as C
from tradeoff.empirical.experiments.settings import attack_step_size, dataset_settings

IMAGE_DATASETS = ("mnist", "cifar10", "restricted_imagenet")


def base_config(name: str, scale: str, dataset: str, seed: int) -> dict[str, Any]:
    """Settings of ``dataset`` at ``scale`` plus the experiment's name and seeds."""
    s = dataset_settings(dataset, scale)
    return {"experiment": name, "dataset": dataset, "scale": scale, "settings": s,
            "seeds": [seed + i for i in range(int(s["seeds"]))]}


def data_spec(s: dict[str, Any], *, fraction: float = 1.0, subset_seed: int = 0) -> dict:
    """A data spec for :func:`tradeoff.empirical.experiments._common.dataset_from_spec`."""
    return {"source": s["source"], "fraction": float(fraction), "n_max": s.get("n_train_max"),
            "subset_seed": int(subset_seed)}


def spec_for(s: dict[str, Any], *, norm: str, eps: float, seed: int, method: str = "pgd",
             fraction: float = 1.0, subset_seed: int | None = None,
             mixed_ratio: float = 0.5) -> dict[str, Any]:
    """The training spec of one image model (``eps = 0``: standard training)."""
    ta = s["train_attack"][norm]
    return C.train_spec(
        data=data_spec(s, fraction=fraction, subset_seed=seed if subset_seed is None
                       else subset_seed),
        model=s["model"], method=method if eps > 0 else "standard", norm=norm, eps_train=eps,
        attack_steps=ta["steps"], attack_step_size=attack_step_size(ta, eps) if eps else 0.0,
        optim=s["optim"], seed=seed, model_kw=s.get("model_kw"), mixed_ratio=mixed_ratio)


def standard_accuracy_point(point: dict[str, Any], ctx: C.Context) -> dict[str, Any]:
    """Train (or load) the point's model and measure its standard test accuracy."""
    model, info = C.trained_model(point["train"], ctx)
    test = C.dataset_from_spec(point["train"]["data"], "test", ctx, n_test=point.get("n_test"))
    correct = C.correct_mask(model, test, device=ctx.device)
    return {"n_test": int(correct.size), "standard_correct": int(correct.sum()),
            "standard_accuracy": float(correct.mean()), "n_train": info.get("n_train"),
            "epochs": info.get("epochs"), "train_time_s": info.get("train_time_s")}


def index_records(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records by the hash of their training spec."""
    from tradeoff.empirical.results import config_hash

    return {config_hash(r["point"]["train"]): r for r in records if "train" in r["point"]}


def lookup(index: dict[str, dict[str, Any]], spec: dict[str, Any]) -> dict[str, Any]:
    from tradeoff.empirical.results import config_hash

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
