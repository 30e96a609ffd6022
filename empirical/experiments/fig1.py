"""E-FIG1 (Figure 1, l_2; Figure 6, l_inf): standard test accuracy versus training-set size.

One curve per ``eps_train`` (0 included) and norm; each point is a model trained on a stratified
subset (nested across sizes for a fixed seed) with a fixed optimizer-step budget, so that small
sets are not under-trained. Seeds give the mean and spread.

The criterion (fixed before the quick run; docs/experiments/fig1.md). Two seed groups are
compared by :func:`tradeoff.empirical.experiments.stats.resolved`: a difference of means counts
only where it exceeds the seeds' spread ``sqrt(s_a^2 + s_b^2)``; otherwise it is a tie.
Confirmed when

1. *low-data gain*: at the smallest training size some ``eps_train > 0`` model (some norm) is
   resolved above the standard model;
2. *high-data cost*: at the full training set, for every norm, the largest ``eps_train`` is
   resolved below the standard model;
3. *more so for larger eps*: at the full training set, for every norm, the smallest
   ``eps_train > 0`` is resolved above the largest.

Every adversarially trained model also checks its own robustness at its ``eps_train``
(:mod:`tradeoff.empirical.experiments.trained`); a model that is not robust is an error of the
run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tradeoff.empirical.experiments.context import Context
from tradeoff.empirical.experiments.images import (
    IMAGE_DATASETS,
    base_config,
    index_records,
    lookup,
    settings_of,
    spec_for,
    standard_accuracy_point,
)
from tradeoff.empirical.experiments.stats import claim, mean_spread, resolved

__all__ = ["NAME", "CLAIMS", "TITLE", "DATASETS", "DEFAULT_DATASET", "PAPER_CLAIM", "config",
           "points", "run_point", "summarize", "plot"]

NAME = "fig1"
CLAIMS = ("E-FIG1",)
TITLE = "Standard accuracy vs training-set size (Figures 1 and 6)"
DATASETS = IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-FIG1": "With few training samples adversarial training can raise standard accuracy "
    "(clearly on MNIST, weakly on CIFAR-10); with more data the robust models fall below the "
    "standard model, more so for larger eps_train (Figure 1: l_2; Figure 6: l_inf).",
}
CRITERION = (
    "means over seeds, a difference counting only where it exceeds the seeds' spread "
    "sqrt(s_a^2 + s_b^2) (else a tie): (1) at the smallest size some eps_train > 0 (some norm) "
    "is above eps 0; (2) at the full size the largest eps_train is below eps 0, every norm; "
    "(3) at the full size the smallest eps_train > 0 is above the largest, every norm")


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    """Configuration: the dataset's settings, both norms, its E-FIG1 grids and seeds."""
    cfg = base_config(NAME, scale, dataset, seed)
    s = cfg["settings"]
    cfg.update({"norms": ["2", "inf"], "eps_grid": s["fig1_eps"],
                "fractions": s["fig1_fractions"], "criterion": CRITERION})
    return cfg


def _specs(cfg: dict[str, Any]) -> Iterator[tuple]:
    s = settings_of(cfg)
    for norm in cfg["norms"]:
        for eps in cfg["eps_grid"][norm]:
            for frac in cfg["fractions"]:
                for seed in cfg["seeds"]:
                    yield norm, eps, frac, seed, spec_for(s, norm=norm, eps=eps, seed=seed,
                                                          fraction=frac)


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The grid: one point per norm x eps_train x size x seed (no training)."""
    return [{"role": "standard_accuracy", "train": spec, "n_test": settings_of(cfg).n_test}
            for *_, spec in _specs(cfg)]


def run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Train (or load) the point's model; its standard test accuracy."""
    return standard_accuracy_point(point, ctx)


def _label(eps: float) -> str:
    return "eps_train = 0 (standard)" if eps == 0 else f"eps_train = {eps:.4g}"


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    """The claim by the criterion above, the accuracy table and the curves."""
    index = index_records(records)
    acc: dict[tuple, list[float]] = {}
    ntr: dict[tuple, list[int]] = {}
    for norm, eps, frac, _seed, spec in _specs(cfg):
        m = lookup(index, spec)
        acc.setdefault((norm, eps, frac), []).append(m["standard_accuracy"])
        ntr.setdefault((norm, eps, frac), []).append(m["n_train"])
    group = {k: mean_spread(v) for k, v in acc.items()}
    curves: dict[str, dict[str, list]] = {}
    diffs: dict[str, dict[str, list]] = {}
    rows = []
    for (norm, eps, frac), ms in group.items():
        n_mean = sum(ntr[(norm, eps, frac)]) / len(ntr[(norm, eps, frac)])
        curves.setdefault(norm, {}).setdefault(_label(eps), []).append(
            {"x": n_mean, "mean": ms["mean"], "std": ms["std"]})
        row = {"norm": norm, "eps_train": eps, "fraction": frac, "n_train": n_mean,
               "accuracy_mean": ms["mean"], "accuracy_std": ms["std"], "seeds": ms["n"]}
        if eps > 0:
            r = resolved(ms, group[(norm, 0.0, frac)])
            diffs.setdefault(norm, {}).setdefault(_label(eps), []).append(
                {"x": n_mean, "mean": r["difference"], "std": r["spread"]})
            row.update({"minus_standard": r["difference"], "spread": r["spread"],
                        "vs_standard": r["verdict"]})
        rows.append(row)
    small, large = min(cfg["fractions"]), max(cfg["fractions"])
    per_norm = {}
    for norm in cfg["norms"]:
        eps_pos = sorted(e for e in cfg["eps_grid"][norm] if e > 0)
        at_small = {e: resolved(group[(norm, e, small)], group[(norm, 0.0, small)])
                    for e in eps_pos}
        at_large = {e: resolved(group[(norm, e, large)], group[(norm, 0.0, large)])
                    for e in eps_pos}
        order = resolved(group[(norm, eps_pos[0], large)], group[(norm, eps_pos[-1], large)])
        per_norm[norm] = {
            "n_small": mean_spread(ntr[(norm, 0.0, small)])["mean"],
            "n_large": mean_spread(ntr[(norm, 0.0, large)])["mean"],
            "standard_at_small": group[(norm, 0.0, small)],
            "standard_at_large": group[(norm, 0.0, large)],
            "vs_standard_at_small": {f"{e:.4g}": r for e, r in at_small.items()},
            "vs_standard_at_large": {f"{e:.4g}": r for e, r in at_large.items()},
            "smallest_vs_largest_eps_at_large": order,
            "low_data_gain": any(r["verdict"] == "above" for r in at_small.values()),
            "high_data_cost": at_large[eps_pos[-1]]["verdict"] == "below",
            "cost_grows_with_eps": order["verdict"] == "above",
        }
    checks = {
        "low_data_gain_some_norm": any(v["low_data_gain"] for v in per_norm.values()),
        "high_data_cost_every_norm": all(v["high_data_cost"] for v in per_norm.values()),
        "cost_grows_with_eps_every_norm": all(v["cost_grows_with_eps"]
                                              for v in per_norm.values()),
    }
    heads = []
    for norm, v in per_norm.items():
        def fmt(d):
            return ", ".join(f"eps {e}: {100 * r['difference']:+.1f}±{100 * r['spread']:.1f} "
                             f"({r['verdict']})" for e, r in d.items())
        heads.append(f"l_{norm}: n={v['n_small']:.0f} robust-minus-standard "
                     f"{fmt(v['vs_standard_at_small'])}; n={v['n_large']:.0f} standard "
                     f"{100 * v['standard_at_large']['mean']:.1f}%, "
                     f"{fmt(v['vs_standard_at_large'])} pts")
    result_claim = claim(
        "E-FIG1", confirmed=all(checks.values()), statement=PAPER_CLAIM["E-FIG1"],
        criterion=CRITERION, numbers={"per_norm": per_norm, "seeds": len(cfg["seeds"])},
        checks=checks, headline="; ".join(heads))
    return {"claims": [result_claim], "tables": {"accuracy": rows}, "curves": curves,
            "differences": diffs}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    """Accuracy vs size per norm (mean ± seeds' std) and, below, robust minus standard."""
    from tradeoff.empirical import plots

    if "curves" not in summary:
        summary = summarize(cfg, records)
    plots.curves_figure(summary["curves"], xlabel="training-set size", logx=True, path=path,
                        title=f"E-FIG1 {cfg['dataset']} ({cfg['scale']}, "
                        f"{len(cfg['seeds'])} seeds)", differences=summary["differences"])
