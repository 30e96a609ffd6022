"""E-FIG7: standard accuracy declines steadily as the training adversary's eps grows.

Models trained on the full training set with PGD at each ``eps_train`` of the grid (0 = standard
training), per norm. Confirmed when, for every norm, the mean standard accuracy over seeds never
rises by more than ``tol`` from one eps to the next and ends below the standard model's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tradeoff.empirical.experiments.context import Context
from tradeoff.empirical.experiments.images import (
    IMAGE_DATASETS,
    base_config,
    decline_check,
    index_records,
    lookup,
    settings_of,
    spec_for,
    standard_accuracy_point,
)
from tradeoff.empirical.experiments.stats import claim, mean_spread

__all__ = ["NAME", "CLAIMS", "TITLE", "DATASETS", "DEFAULT_DATASET", "PAPER_CLAIM", "config",
           "specs", "points", "run_point", "curve", "decline_claim", "summarize", "plot"]

NAME = "fig7"
CLAIMS = ("E-FIG7",)
TITLE = "Standard accuracy vs the training adversary's eps (Figure 7)"
DATASETS = IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
METHOD = "pgd"
PAPER_CLAIM = {
    "E-FIG7": "Standard accuracy declines steadily as the strength (eps_train) of the "
    "adversary used in training grows.",
}


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    """Configuration: both norms, the dataset's E-FIG7 grid, seeds, tolerance."""
    cfg = base_config(NAME, scale, dataset, seed)
    cfg.update({"norms": ["2", "inf"], "eps_grid": cfg["settings"]["fig7_eps"],
                "method": METHOD, "criteria": {"tol": 0.005 if scale != "paper" else 0.002}})
    return cfg


def specs(cfg: dict[str, Any], method: str):
    """``(norm, eps, seed, spec)`` of every model of the grid trained with ``method``."""
    s = settings_of(cfg)
    for norm in cfg["norms"]:
        for eps in cfg["eps_grid"][norm]:
            for seed in cfg["seeds"]:
                yield norm, eps, seed, spec_for(s, norm=norm, eps=eps, seed=seed,
                                                  method=method,
                                                  mixed_ratio=cfg.get("mixed_ratio", 0.5))


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The grid: one point per norm x eps_train x seed (no training)."""
    return [{"role": "standard_accuracy", "train": spec, "n_test": settings_of(cfg).n_test}
            for *_, spec in specs(cfg, cfg["method"])]


def run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Train (or load) the point's model; its standard test accuracy."""
    return standard_accuracy_point(point, ctx)


def curve(cfg, records, method) -> dict[str, dict[float, dict[str, float]]]:
    """``{norm: {eps: mean_spread}}`` of standard accuracy for ``method``."""
    index = index_records(records)
    vals: dict[str, dict[float, list]] = {}
    for norm, eps, _seed, spec in specs(cfg, method):
        vals.setdefault(norm, {}).setdefault(eps, []).append(
            lookup(index, spec)["standard_accuracy"])
    return {n: {e: mean_spread(v) for e, v in d.items()} for n, d in vals.items()}


def decline_claim(cid: str, statement: str, cfg, cur) -> tuple[dict, list]:
    """The claim "standard accuracy declines with eps_train" for the curves ``cur``."""
    tol = cfg["criteria"]["tol"]
    per_norm, rows, heads = {}, [], []
    for norm, d in cur.items():
        xs = sorted(d)
        check = decline_check(xs, [d[e]["mean"] for e in xs], tol)
        per_norm[norm] = {"accuracy_by_eps": {f"{e:.4g}": d[e]["mean"] for e in xs},
                          "spread_by_eps": {f"{e:.4g}": d[e]["std"] for e in xs}, **check}
        rows += [{"norm": norm, "eps_train": e, "accuracy_mean": d[e]["mean"],
                  "accuracy_std": d[e]["std"], "seeds": d[e]["n"]} for e in xs]
        heads.append(f"l_{norm}: " + ", ".join(f"{100 * d[e]['mean']:.1f}" for e in xs)
                     + f" % at eps {', '.join(f'{e:.3g}' for e in xs)}")
    confirmed = all(v["monotone_within_tol"] and v["last_below_first"]
                    for v in per_norm.values())
    result_claim = claim(cid, confirmed=confirmed, statement=statement,
                    criterion=f"for every norm, mean standard accuracy never rises by more than "
                    f"{tol} between consecutive eps_train and ends below eps_train = 0",
                    numbers={"per_norm": per_norm, "seeds": len(cfg["seeds"])},
                    checks={f"declines_l_{n}": v["monotone_within_tol"] and v["last_below_first"]
                            for n, v in per_norm.items()},
                    headline="; ".join(heads))
    return result_claim, rows


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    """The decline claim and the accuracy table."""
    cur = curve(cfg, records, cfg["method"])
    result_claim, rows = decline_claim("E-FIG7", PAPER_CLAIM["E-FIG7"], cfg, cur)
    return {"claims": [result_claim], "tables": {"accuracy": rows}}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    """Standard accuracy vs eps_train per norm (mean ± seeds' std)."""
    from tradeoff.empirical import plots

    cur = curve(cfg, records, cfg["method"])
    curves = {norm: {f"{cfg['method']} training": [
        {"x": e, "mean": v["mean"], "std": v["std"]} for e, v in d.items()]}
        for norm, d in cur.items()}
    plots.curves_figure(curves, xlabel="eps_train", path=path,
                        title=f"E-FIG7 {cfg['dataset']} ({cfg['scale']})")
