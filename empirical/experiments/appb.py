"""E-APPB: the decline of standard accuracy persists with 50/50 natural/adversarial batches.

Like E-FIG7 but with ``method="mixed"`` (each batch: a ``mixed_ratio`` share of natural examples,
the rest PGD examples; the ratio is not recoverable from the paper [choose]: 0.5). The pure-PGD
curve of E-FIG7 is trained alongside (shared with ``fig7`` runs in the same output folder) for
comparison. Confirmed when the mixed curve declines (E-FIG7's criterion) for every norm.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tradeoff.empirical.experiments import fig7
from tradeoff.empirical.experiments.context import Context
from tradeoff.empirical.experiments.images import (
    IMAGE_DATASETS,
    settings_of,
    standard_accuracy_point,
)

__all__ = ["NAME", "CLAIMS", "TITLE", "DATASETS", "DEFAULT_DATASET", "PAPER_CLAIM", "config",
           "points", "run_point", "summarize", "plot"]

NAME = "appb"
CLAIMS = ("E-APPB",)
TITLE = "Mixed natural/adversarial training batches (Appendix B)"
DATASETS = IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-APPB": "The decline of standard accuracy with eps_train persists when training batches "
    "mix natural and adversarial examples (ratio not recoverable; we use 50/50).",
}


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    """E-FIG7's configuration with mixed batches (and pure PGD to compare)."""
    cfg = fig7.config(scale, dataset, seed)
    cfg.update({"experiment": NAME, "method": "mixed", "mixed_ratio": 0.5,
                "compare_method": "pgd"})
    return cfg


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The mixed-batch grid and E-FIG7's pure-PGD grid (no training)."""
    out = []
    for method in (cfg["method"], cfg["compare_method"]):
        out += [{"role": "standard_accuracy", "train": spec,
                 "n_test": settings_of(cfg).n_test}
                for *_, spec in fig7.specs(cfg, method)]
    return out


def run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Train (or load) the point's model; its standard test accuracy."""
    return standard_accuracy_point(point, ctx)


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    """E-FIG7's decline criterion on the mixed curve; the pure curve for comparison."""
    mixed = fig7.curve(cfg, records, cfg["method"])
    pure = fig7.curve(cfg, records, cfg["compare_method"])
    claim, rows = fig7.decline_claim("E-APPB", PAPER_CLAIM["E-APPB"], cfg, mixed)
    claim["numbers"]["pgd_for_comparison"] = {
        norm: {f"{e:.4g}": v["mean"] for e, v in d.items()} for norm, d in pure.items()}
    claim["numbers"]["mixed_ratio"] = cfg["mixed_ratio"]
    for row in rows:
        row["pgd_accuracy_mean"] = pure[row["norm"]][row["eps_train"]]["mean"]
    return {"claims": [claim], "tables": {"accuracy": rows}}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    """Both curves per norm."""
    from tradeoff.empirical import plots

    curves: dict[str, dict[str, list]] = {}
    for method, label in ((cfg["method"], f"mixed {cfg['mixed_ratio']:.0%} natural"),
                          (cfg["compare_method"], "pure PGD")):
        for norm, d in fig7.curve(cfg, records, method).items():
            curves.setdefault(norm, {})[label] = [
                {"x": e, "mean": v["mean"], "std": v["std"]} for e, v in d.items()]
    plots.curves_figure(curves, xlabel="eps_train", path=path,
                        title=f"E-APPB {cfg['dataset']} ({cfg['scale']})")
