"""E-FIG3: large-eps adversarial examples of robust models look like the target class.

For test images ``x`` of class ``y`` and a random target ``t != y`` we run targeted l_2 PGD on
each *source* model far beyond the training eps (MNIST 4, CIFAR-10 4.7, Restricted ImageNet 40;
docs/experiments/index.md), following the loss gradient inside the ball. "Looks like the target
class" is
measured by a *judge*: an independently trained l_2-robust model (same recipe, another seed),
which never saw the attack.

Numbers per source: ``judge_target_rate`` (the judge predicts ``t`` on ``x_adv``) and
``source_target_rate`` (the source itself is driven to ``t``: gradients are informative, not
obfuscated). Confirmed when, for each robust source, (1) the judge's target rate is higher than
for the standard source, with disjoint Clopper-Pearson intervals at level ``1 - alpha``, and
(2) the robust source's own target rate is at least ``min_source_rate``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from tradeoff.empirical.evaluate import batched, probabilities, targeted_pgd
from tradeoff.empirical.experiments import table
from tradeoff.empirical.experiments.context import Context, save_arrays
from tradeoff.empirical.experiments.datasets import as_tensors, dataset_from_spec
from tradeoff.empirical.experiments.images import (
    IMAGE_DATASETS,
    base_config,
    display_indices,
    settings_of,
    spec_for,
)
from tradeoff.empirical.experiments.stats import claim
from tradeoff.empirical.experiments.trained import model_record, trained_model

from tradeoff.montecarlo import clopper_pearson

__all__ = [
    "NAME",
    "CLAIMS",
    "TITLE",
    "DATASETS",
    "DEFAULT_DATASET",
    "PAPER_CLAIM",
    "N_SHOW",
    "JUDGE_SEED_OFFSET",
    "config",
    "point_for",
    "points",
    "attack_setup",
    "run_point",
    "summarize",
    "plot",
]

NAME = "fig3"
CLAIMS = ("E-FIG3",)
TITLE = "Large-eps adversarial examples judged by an independent robust model (Figure 3)"
DATASETS = IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-FIG3": "Large-eps adversarial examples (far beyond the training eps, following the loss "
    "gradient inside an l_2 ball) look like the target class for robust models and like noise "
    "for standard ones; adversarial training does not obfuscate gradients.",
}
N_SHOW = 8
JUDGE_SEED_OFFSET = 100


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    """Configuration: the large-eps l_2 attack, judge, display size and criteria."""
    cfg = base_config(NAME, scale, dataset, seed)
    large = settings_of(cfg).large_eps["2"]
    cfg.update({"large_eps": {"eps": large.eps, "steps": large.attack.steps,
                              "step_size": large.attack.step_size(large.eps),
                              "random_start": large.attack.random_start,
                              "source": large.source},
                "attack_norm": "2", "n_visual": cfg["settings"]["n_visual"],
                "judge": f"independently trained l_2-robust model (seed + {JUDGE_SEED_OFFSET})",
                "criteria": {"alpha": 0.01, "min_source_rate": 0.8}})
    return cfg


def point_for(cfg: dict[str, Any], seed: int, role: str) -> dict[str, Any]:
    """The grid point of one seed: E-TABLE's three models as sources, and the judge."""
    s = settings_of(cfg)
    return {"role": role, "seed": seed, "sources": table.model_specs(cfg, seed),
            "judge": spec_for(s, norm="2", eps=s.eps["2"], seed=seed + JUDGE_SEED_OFFSET),
            "large_eps": cfg["large_eps"], "attack_norm": cfg["attack_norm"],
            "n_visual": cfg["n_visual"]}


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    return [point_for(cfg, seed, "fig3") for seed in cfg["seeds"]]


def attack_setup(point: dict[str, Any], ctx: Context):
    """Test subset, targets, judge model, and a function source-model -> x_adv."""
    from tradeoff.empirical.data import stratified_subset

    first = point["judge"]
    test = dataset_from_spec(first["data"], "test", ctx)
    n = min(int(point["n_visual"]), len(test))
    sub = stratified_subset(test, n, 1) if n < len(test) else test
    x, y = as_tensors(sub)
    rng = np.random.default_rng(int(point["seed"]))
    k = test.num_classes
    target = (y + torch.from_numpy(rng.integers(1, k, size=len(y)))) % k
    judge, judge_info = trained_model(point["judge"], ctx)
    le = point["large_eps"]

    def attack(model):
        return batched(lambda xb, tb: targeted_pgd(
            model, xb, tb, eps=le["eps"], norm=point["attack_norm"], steps=le["steps"],
            step_size=le["step_size"], box=test.box, random_start=le["random_start"]),
            x, target, ctx.device)

    return x, y, target, judge, judge_info, attack


def run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:

    x, y, target, judge, judge_info, attack = attack_setup(point, ctx)
    metrics: dict[str, Any] = {"n": len(y), "trained": [model_record(judge_info)]}
    show = display_indices(y, N_SHOW)
    shown = {"x": x[show].numpy(), "y": y[show].numpy(), "target": target[show].numpy()}
    for role, spec in point["sources"].items():
        model, info = trained_model(spec, ctx)
        metrics["trained"].append(model_record(info))
        x_adv = attack(model)
        src = probabilities(model, x_adv, ctx.device).argmax(1)
        jud = probabilities(judge, x_adv, ctx.device).argmax(1)
        metrics[role] = {
            "source_target": int((src == target).sum()),
            "judge_target": int((jud == target).sum()),
            "judge_label": int((jud == y).sum()),
            "source_target_rate": float((src == target).float().mean()),
            "judge_target_rate": float((jud == target).float().mean()),
            "judge_label_rate": float((jud == y).float().mean()),
            "mean_l2": float((x_adv - x).flatten(1).norm(dim=1).mean()),
        }
        shown[role] = x_adv[show].numpy()
    metrics["examples"] = save_arrays(ctx, point, "examples.npz", shown)
    return metrics


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    crit = cfg["criteria"]
    roles = [k for k, v in records[0]["metrics"].items() if isinstance(v, dict)]
    n = sum(r["metrics"]["n"] for r in records)
    per_source = {}
    for role in roles:
        tot = {k: sum(r["metrics"][role][k] for r in records)
               for k in ("source_target", "judge_target", "judge_label")}
        per_source[role] = {
            "judge_target_rate": tot["judge_target"] / n,
            "judge_target_ci": list(clopper_pearson(tot["judge_target"], n, crit["alpha"])),
            "source_target_rate": tot["source_target"] / n,
            "judge_label_rate": tot["judge_label"] / n,
        }
    std = per_source["standard"]
    checks, heads = {}, [f"judge says target: standard {100 * std['judge_target_rate']:.1f}%"]
    for role in roles:
        if role == "standard":
            continue
        rob = per_source[role]
        checks[f"{role}_judged_as_target_more"] = rob["judge_target_ci"][0] > \
            std["judge_target_ci"][1]
        checks[f"{role}_gradients_reach_target"] = rob["source_target_rate"] >= \
            crit["min_source_rate"]
        heads.append(f"{role} {100 * rob['judge_target_rate']:.1f}% (source reaches target "
                     f"{100 * rob['source_target_rate']:.0f}%)")
    result_claim = claim(
        "E-FIG3", confirmed=all(checks.values()), statement=PAPER_CLAIM["E-FIG3"],
        criterion=f"targeted l_2 PGD at eps {cfg['large_eps']['eps']} "
        f"({cfg['large_eps']['steps']} steps of {cfg['large_eps']['step_size']}); judge = "
        f"{cfg['judge']}; each robust source: judge's target rate above the standard source's "
        f"with disjoint Clopper-Pearson intervals (level {1 - crit['alpha']:.2f}), and its own "
        f"target rate >= {crit['min_source_rate']}",
        numbers={"per_source": per_source, "n_images": n}, checks=checks,
        headline="; ".join(heads))
    rows = [{"source": k, **{kk: vv for kk, vv in v.items() if not isinstance(vv, list)}}
            for k, v in per_source.items()]
    return {"claims": [result_claim], "tables": {"large_eps": rows}}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    from tradeoff.empirical import plots

    data = np.load(Path(path).parent / "points" / records[0]["key"] / "examples.npz")
    cols = [f"{int(a)}->{int(b)}" for a, b in zip(data["y"], data["target"], strict=True)]
    rows = [("original", list(data["x"]), "image")]
    roles = [k for k in data.files if k not in ("x", "y", "target")]
    rows += [(f"x_adv, {r}", list(data[r]), "image") for r in roles]
    per = summary["claims"][0]["numbers"]["per_source"]
    panels = [{"kind": "bars", "values": {k: v["judge_target_rate"] for k, v in per.items()},
               "ylabel": "fraction", "title": "independent robust judge predicts the target"},
              {"kind": "bars", "values": {k: v["source_target_rate"] for k, v in per.items()},
               "ylabel": "fraction", "title": "source model predicts the target"}]
    plots.figure_with_images(rows, panels, path=path, col_titles=cols,
                             title=f"E-FIG3 {cfg['dataset']} ({cfg['scale']}): targeted l_2 "
                             f"eps {cfg['large_eps']['eps']}")
