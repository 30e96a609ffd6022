"""E-TABLE: clean, PGD and AutoAttack accuracy of standard vs adversarially trained models.

Three models per dataset: standard, l_2-robust and l_inf-robust (training radii = the table's
eps, docs/experiments/index.md "Settings"), each evaluated under both threat models at the table's
eps:
clean accuracy and PGD-k accuracy (k, step size, restarts stated) on the test set, AutoAttack on
a stratified subset of ``n_autoattack`` test points (with clean and PGD accuracy on that subset
too, so the three numbers are comparable). The headline robust accuracy is, per example, the
worst case of PGD and AutoAttack on that subset; the result says which attack set it.
PGD counts an example as broken when any iterate of any restart breaks it.

Confirmed when, for each norm, the model adversarially trained in that norm has a *lower* clean
accuracy and a *higher* AutoAttack accuracy than the standard model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tradeoff.empirical.evaluate import autoattack_correct, correct_mask, pgd_attack
from tradeoff.empirical.experiments.context import Context
from tradeoff.empirical.experiments.datasets import as_tensors, dataset_from_spec
from tradeoff.empirical.experiments.images import (
    IMAGE_DATASETS,
    base_config,
    settings_of,
    spec_for,
)
from tradeoff.empirical.experiments.settings import REFERENCES
from tradeoff.empirical.experiments.specs import attack_from_json
from tradeoff.empirical.experiments.stats import claim, mean_spread
from tradeoff.empirical.experiments.trained import model_record, trained_model

__all__ = ["NAME", "CLAIMS", "TITLE", "DATASETS", "DEFAULT_DATASET", "PAPER_CLAIM", "config",
           "model_specs", "points", "run_point", "summarize", "plot"]

NAME = "table"
CLAIMS = ("E-TABLE",)
TITLE = "Standard and robust accuracy of standard vs adversarially trained models"
DATASETS = IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-TABLE": "Adversarially trained models have lower standard accuracy and much higher "
    "robust accuracy than standard models, per dataset and norm (the only value surviving in "
    "public sources: CIFAR-10, l_inf 4/255, robust 57.79% [repro]).",
}


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    """Configuration: the table's radii, evaluation attacks and AutoAttack subset."""
    cfg = base_config(NAME, scale, dataset, seed)
    s = cfg["settings"]
    cfg.update({"norms": ["2", "inf"], "eps": s["eps"], "n_autoattack": s["n_autoattack"],
                "autoattack_version": s["autoattack_version"], "eval_attack": s["eval_attack"],
                "references": REFERENCES.get(dataset, {})})
    return cfg


def model_specs(cfg: dict[str, Any], seed: int) -> dict[str, dict[str, Any]]:
    """``{"standard": spec, "robust_2": spec, "robust_inf": spec}`` (shared with FIG2-4)."""
    s = settings_of(cfg)
    out = {"standard": spec_for(s, norm="2", eps=0.0, seed=seed)}
    for norm in ("2", "inf"):
        out[f"robust_{norm}"] = spec_for(s, norm=norm, eps=s.eps[norm], seed=seed)
    return out


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """One point per model role and seed (no training)."""
    out = []
    for seed in cfg["seeds"]:
        for role, spec in model_specs(cfg, seed).items():
            out.append({"role": "table", "model_role": role, "seed": seed, "train": spec,
                        "eps": cfg["eps"], "norms": cfg["norms"],
                        "eval_attack": cfg["eval_attack"], "n_autoattack": cfg["n_autoattack"],
                        "autoattack_version": cfg["autoattack_version"],
                        "n_test": settings_of(cfg).n_test})
    return out


def _set_by(pgd: float, autoattack: float, worst: float) -> str:
    """Which attack set the worst-case accuracy."""
    if worst < min(pgd, autoattack):
        return "both (different examples)"
    if pgd == autoattack:
        return "PGD and AutoAttack (tie)"
    return "AutoAttack" if autoattack < pgd else "PGD"


def run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Clean, PGD (test set) and AutoAttack / worst-case (subset) accuracy of one model."""
    from tradeoff.empirical.data import stratified_subset

    model, info = trained_model(point["train"], ctx)
    test = dataset_from_spec(point["train"]["data"], "test", ctx, n_test=point["n_test"])
    box = test.box
    clean = correct_mask(model, test, device=ctx.device)
    n_aa = min(int(point["n_autoattack"]), len(test))
    sub = stratified_subset(test, n_aa, 0) if n_aa < len(test) else test
    xs, ys = as_tensors(sub)
    metrics: dict[str, Any] = {"n_test": int(clean.size), "clean": float(clean.mean()),
                               "n_autoattack": n_aa, "train_time_s": info.get("train_time_s"),
                               "trained": [model_record(info)]}
    for norm in point["norms"]:
        eps = float(point["eps"][norm])
        recipe = attack_from_json(point["eval_attack"][norm])
        attack = pgd_attack(eps=eps, norm=norm, box=box, **recipe.pgd_kwargs(eps))
        pgd = correct_mask(model, test, device=ctx.device, attack=attack)
        sub_clean = correct_mask(model, sub, device=ctx.device)
        sub_pgd = correct_mask(model, sub, device=ctx.device, attack=attack)
        aa = autoattack_correct(model, xs, ys, eps=eps, norm=norm, num_classes=test.num_classes,
                                device=ctx.device, seed=0,
                                version=point["autoattack_version"], box=box)
        worst = float((aa & sub_pgd).mean())
        metrics[norm] = {
            "eps": eps, "pgd": float(pgd.mean()), "pgd_correct": int(pgd.sum()),
            "pgd_steps": recipe.steps, "pgd_step_size": recipe.step_size(eps),
            "pgd_restarts": recipe.restarts, "pgd_iterate": recipe.iterate,
            "subset_clean": float(sub_clean.mean()), "subset_pgd": float(sub_pgd.mean()),
            "autoattack": float(aa.mean()), "worst_case": worst,
            "worst_case_set_by": _set_by(float(sub_pgd.mean()), float(aa.mean()), worst),
        }
    return metrics


def _rows(cfg, records):
    rows = []
    for rec in records:
        pt, m = rec["point"], rec["metrics"]
        for norm in cfg["norms"]:
            e = m[norm]
            rows.append({"model": pt["model_role"], "seed": pt["seed"], "threat": f"l_{norm}",
                         "eps": e["eps"], "clean": m["clean"], "pgd": e["pgd"],
                         "subset_clean": e["subset_clean"], "subset_pgd": e["subset_pgd"],
                         "autoattack": e["autoattack"], "worst_case": e["worst_case"],
                         "set_by": e.get("worst_case_set_by", ""),
                         "label": f"{pt['model_role']}\nl_{norm} {e['eps']:.3g}"})
    return rows


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    """The claim (clean drop and robust gain per norm) and the accuracy table."""
    rows = _rows(cfg, records)

    def mean(role, norm, key):
        return mean_spread([r[key] for r in rows if r["model"] == role
                              and r["threat"] == f"l_{norm}"])["mean"]

    per_norm, checks, heads = {}, {}, []
    for norm in cfg["norms"]:
        std_clean, rob_clean = mean("standard", norm, "clean"), mean(f"robust_{norm}", norm,
                                                                      "clean")
        std_aa = mean("standard", norm, "worst_case")
        rob_aa = mean(f"robust_{norm}", norm, "worst_case")
        per_norm[norm] = {
            "eps": cfg["eps"][norm],
            "standard_model": {k: mean("standard", norm, k)
                               for k in ("clean", "pgd", "autoattack", "worst_case")},
            "robust_model": {k: mean(f"robust_{norm}", norm, k)
                             for k in ("clean", "pgd", "autoattack", "worst_case")},
            "clean_drop": std_clean - rob_clean,
            "robust_gain": rob_aa - std_aa,
            "autoattack_not_above_pgd": all(r["autoattack"] <= r["subset_pgd"] + 1e-12
                                            for r in rows if r["threat"] == f"l_{norm}"),
        }
        checks[f"l_{norm}_clean_drop"] = std_clean > rob_clean
        checks[f"l_{norm}_robust_gain"] = rob_aa > std_aa
        set_by = sorted({r["set_by"] for r in rows if r["model"] == f"robust_{norm}"
                         and r["threat"] == f"l_{norm}"})
        per_norm[norm]["robust_model_worst_case_set_by"] = set_by
        heads.append(f"l_{norm} eps {cfg['eps'][norm]:.3g}: standard {100 * std_clean:.1f}% "
                     f"clean / {100 * std_aa:.1f}% robust; robust model {100 * rob_clean:.1f}% "
                     f"clean / {100 * rob_aa:.1f}% robust (worst case of PGD and AutoAttack, "
                     f"set by {', '.join(set_by)})")
    result_claim = claim(
        "E-TABLE", confirmed=all(checks.values()), statement=PAPER_CLAIM["E-TABLE"],
        criterion="for each norm the model adversarially trained in it has lower clean accuracy "
        "and higher AutoAttack (worst case with PGD) accuracy than the standard model; "
        f"AutoAttack version {cfg['autoattack_version']!r} on {cfg['n_autoattack']} test points; "
        f"PGD {cfg['eval_attack']['2']['steps']} steps (every iterate counts), "
        f"{cfg['eval_attack']['2']['restarts']} restart(s)",
        numbers={"per_norm": per_norm, "references": cfg["references"],
                 "seeds": len(cfg["seeds"])},
        checks=checks, headline="; ".join(heads))
    table = [{k: v for k, v in r.items() if k != "label"} for r in rows]
    return {"claims": [result_claim], "tables": {"accuracy": table}}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    """Grouped bars: clean, PGD, worst case (seed 0)."""
    from tradeoff.empirical import plots

    rows = [r for r in _rows(cfg, records) if r["seed"] == cfg["seeds"][0]]
    for r in rows:
        r["autoattack"] = r["worst_case"]
    plots.table_figure(rows, path=path, title=f"E-TABLE {cfg['dataset']} ({cfg['scale']}): "
                       "clean (test set), PGD (test set), AutoAttack (subset)")
