"""E-FIG1 (Figure 1, l_2; Figure 6, l_inf): standard test accuracy versus training-set size.

One curve per ``eps_train`` (0 included) and norm; each point is a model trained on a stratified
subset (nested across sizes for a fixed seed) with a fixed optimizer-step budget, so that small
sets are not under-trained. Seeds give the mean and spread.

Confirmed when (means over seeds):

1. *low-data gain*: at the smallest training size, some ``eps_train > 0`` model of some norm has
   a higher standard accuracy than the standard model;
2. *high-data cost*: at the full training set, every ``eps_train > 0`` model is below the standard
   model, for every norm;
3. *more so for larger eps*: at the full training set the gap grows with ``eps_train`` (each
   step may shrink it by at most ``tol``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tradeoff.empirical.experiments import _common as C
from tradeoff.empirical.experiments import _images as I

NAME = "fig1"
CLAIMS = ("E-FIG1",)
TITLE = "Standard accuracy vs training-set size (Figures 1 and 6)"
DATASETS = I.IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-FIG1": "With few training samples adversarial training can raise standard accuracy "
    "(clearly on MNIST, weakly on CIFAR-10); with more data the robust models fall below the "
    "standard model, more so for larger eps_train (Figure 1: l_2; Figure 6: l_inf).",
}


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    cfg = I.base_config(NAME, scale, dataset, seed)
    s = cfg["settings"]
    cfg.update({"norms": ["2", "inf"], "eps_grid": s["fig1_eps"],
                "fractions": s["fig1_fractions"], "criteria": {"tol": 0.0}})
    return cfg


def _specs(cfg: dict[str, Any]):
    s = cfg["settings"]
    for norm in cfg["norms"]:
        for eps in cfg["eps_grid"][norm]:
            for frac in cfg["fractions"]:
                for seed in cfg["seeds"]:
                    yield norm, eps, frac, seed, I.spec_for(s, norm=norm, eps=eps, seed=seed,
                                                          fraction=frac)


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"role": "standard_accuracy", "train": spec,
             "n_test": cfg["settings"]["n_test"]} for *_, spec in _specs(cfg)]


def run_point(point: dict[str, Any], ctx: C.Context) -> dict[str, Any]:
    return I.standard_accuracy_point(point, ctx)


def _label(eps: float) -> str:
    return "eps_train = 0 (standard)" if eps == 0 else f"eps_train = {eps:.4g}"


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    index = I.index_records(records)
    acc: dict[tuple, list[float]] = {}
    ntr: dict[tuple, list[int]] = {}
    for norm, eps, frac, _seed, spec in _specs(cfg):
        m = I.lookup(index, spec)
        acc.setdefault((norm, eps, frac), []).append(m["standard_accuracy"])
        ntr.setdefault((norm, eps, frac), []).append(m["n_train"])
    curves: dict[str, dict[str, list]] = {}
    rows = []
    for (norm, eps, frac), vals in acc.items():
        ms = C.mean_spread(vals)
        n_mean = sum(ntr[(norm, eps, frac)]) / len(ntr[(norm, eps, frac)])
        curves.setdefault(norm, {}).setdefault(_label(eps), []).append(
            {"x": n_mean, "mean": ms["mean"], "std": ms["std"]})
        rows.append({"norm": norm, "eps_train": eps, "fraction": frac, "n_train": n_mean,
                     "accuracy_mean": ms["mean"], "accuracy_std": ms["std"], "seeds": ms["n"]})
    small, large = min(cfg["fractions"]), max(cfg["fractions"])
    tol = cfg["criteria"]["tol"]
    per_norm = {}
    for norm in cfg["norms"]:
        eps_pos = sorted(e for e in cfg["eps_grid"][norm] if e > 0)

        def mean(eps, frac, norm=norm):
            return C.mean_spread(acc[(norm, eps, frac)])["mean"]

        gain = {f"{e:.4g}": mean(e, small) - mean(0.0, small) for e in eps_pos}
        cost = [mean(0.0, large) - mean(e, large) for e in eps_pos]
        per_norm[norm] = {
            "n_small": C.mean_spread(ntr[(norm, 0.0, small)])["mean"],
            "n_large": C.mean_spread(ntr[(norm, 0.0, large)])["mean"],
            "standard_at_small": mean(0.0, small),
            "standard_at_large": mean(0.0, large),
            "gain_at_small_by_eps": gain,
            "cost_at_large_by_eps": {f"{e:.4g}": c for e, c in zip(eps_pos, cost, strict=True)},
            "low_data_gain": max(gain.values()) > 0 if gain else False,
            "high_data_cost": all(c > 0 for c in cost),
            "cost_grows_with_eps": all(b >= a - tol for a, b in zip(cost, cost[1:], strict=False)),
        }
    checks = {
        "low_data_gain_some_norm": any(v["low_data_gain"] for v in per_norm.values()),
        "high_data_cost_every_norm": all(v["high_data_cost"] for v in per_norm.values()),
        "cost_grows_with_eps_every_norm": all(v["cost_grows_with_eps"]
                                              for v in per_norm.values()),
    }
    heads = []
    for norm, v in per_norm.items():
        best = max(v["gain_at_small_by_eps"].items(), key=lambda kv: kv[1])
        diffs = ", ".join(f"eps {e}: {-100 * c:+.1f}" for e, c in
                          v["cost_at_large_by_eps"].items())
        heads.append(f"l_{norm}: n={v['n_small']:.0f} best robust-minus-standard "
                     f"{100 * best[1]:+.1f} pts (eps {best[0]}); n={v['n_large']:.0f} standard "
                     f"{100 * v['standard_at_large']:.1f}%, robust-minus-standard {diffs} pts")
    claim = C.claim(
        "E-FIG1", confirmed=all(checks.values()), statement=PAPER_CLAIM["E-FIG1"],
        criterion="mean over seeds: (1) at the smallest size some eps_train > 0 beats eps 0 "
        "(some norm); (2) at the full size every eps_train > 0 is below eps 0 (every norm); "
        f"(3) that gap grows with eps_train (tolerance {tol})",
        numbers={"per_norm": per_norm, "seeds": len(cfg["seeds"])}, checks=checks,
        headline="; ".join(heads))
    return {"claims": [claim], "tables": {"accuracy": rows}, "curves": curves}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    from tradeoff.empirical import plots

    curves = summary.get("curves") or summarize(cfg, records)["curves"]
    plots.curves_figure(curves, xlabel="training-set size", logx=True, path=path,
                        title=f"E-FIG1 {cfg['dataset']} ({cfg['scale']})")
