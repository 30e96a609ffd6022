"""E-TABLE: clean, PGD and AutoAttack accuracy of standard vs adversarially trained models.

Three models per dataset: standard, l_2-robust and l_inf-robust (training radii = the table's
eps, experiments.md "Settings"), each evaluated under both threat models at the table's eps:
clean accuracy and PGD-k accuracy (k, step size, restarts stated) on the test set, AutoAttack on
a stratified subset of ``n_autoattack`` test points (with clean and PGD accuracy on that subset
too, so the three numbers are comparable). Per example the robust verdict under AutoAttack is the
worst case of PGD and AutoAttack.

Confirmed when, for each norm, the model adversarially trained in that norm has a *lower* clean
accuracy and a *higher* AutoAttack accuracy than the standard model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tradeoff.empirical.experiments import _common as C
from tradeoff.empirical.experiments import _images as I
from tradeoff.empirical.experiments.settings import REFERENCES, attack_step_size

NAME = "table"
CLAIMS = ("E-TABLE",)
TITLE = "Standard and robust accuracy of standard vs adversarially trained models"
DATASETS = I.IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-TABLE": "Adversarially trained models have lower standard accuracy and much higher "
    "robust accuracy than standard models, per dataset and norm (the only value surviving in "
    "public sources: CIFAR-10, l_inf 4/255, robust 57.79% [repro]).",
}


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    cfg = I.base_config(NAME, scale, dataset, seed)
    s = cfg["settings"]
    cfg.update({"norms": ["2", "inf"], "eps": s["eps"], "n_autoattack": s["n_autoattack"],
                "autoattack_version": s["autoattack_version"], "eval_attack": s["eval_attack"],
                "references": REFERENCES.get(dataset, {})})
    return cfg


def model_specs(cfg: dict[str, Any], seed: int) -> dict[str, dict[str, Any]]:
    """``{"standard": spec, "robust_2": spec, "robust_inf": spec}`` (shared with FIG2-4)."""
    s = cfg["settings"]
    out = {"standard": I.spec_for(s, norm="2", eps=0.0, seed=seed)}
    for norm in ("2", "inf"):
        out[f"robust_{norm}"] = I.spec_for(s, norm=norm, eps=s["eps"][norm], seed=seed)
    return out


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for seed in cfg["seeds"]:
        for role, spec in model_specs(cfg, seed).items():
            out.append({"role": "table", "model_role": role, "seed": seed, "train": spec,
                        "eps": cfg["eps"], "norms": cfg["norms"],
                        "eval_attack": cfg["eval_attack"], "n_autoattack": cfg["n_autoattack"],
                        "autoattack_version": cfg["autoattack_version"],
                        "n_test": cfg["settings"]["n_test"]})
    return out


def run_point(point: dict[str, Any], ctx: C.Context) -> dict[str, Any]:
    from tradeoff.empirical.data import stratified_subset

    model, info = C.trained_model(point["train"], ctx)
    test = C.dataset_from_spec(point["train"]["data"], "test", ctx, n_test=point["n_test"])
    box = test.box
    ea = point["eval_attack"]
    clean = C.correct_mask(model, test, device=ctx.device)
    n_aa = min(int(point["n_autoattack"]), len(test))
    sub = stratified_subset(test, n_aa, 0) if n_aa < len(test) else test
    xs, ys = C.as_tensors(sub)
    metrics: dict[str, Any] = {"n_test": int(clean.size), "clean": float(clean.mean()),
                               "n_autoattack": n_aa, "train_time_s": info.get("train_time_s")}
    for norm in point["norms"]:
        eps = float(point["eps"][norm])
        attack = C.pgd_attack(eps=eps, norm=norm, steps=ea["steps"],
                              step_size=attack_step_size(ea, eps), restarts=ea["restarts"],
                              box=box)
        pgd = C.correct_mask(model, test, device=ctx.device, attack=attack)
        sub_clean = C.correct_mask(model, sub, device=ctx.device)
        sub_pgd = C.correct_mask(model, sub, device=ctx.device, attack=attack)
        aa = C.autoattack_mask(model, xs, ys, eps=eps, norm=norm, num_classes=test.num_classes,
                               device=ctx.device, seed=0, version=point["autoattack_version"],
                               box=box)
        metrics[norm] = {
            "eps": eps, "pgd": float(pgd.mean()), "pgd_correct": int(pgd.sum()),
            "pgd_steps": ea["steps"], "pgd_step_size": attack_step_size(ea, eps),
            "pgd_restarts": ea["restarts"], "subset_clean": float(sub_clean.mean()),
            "subset_pgd": float(sub_pgd.mean()), "autoattack": float(aa.mean()),
            "worst_case": float((aa & sub_pgd).mean()),
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
                         "label": f"{pt['model_role']}\nl_{norm} {e['eps']:.3g}"})
    return rows


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    rows = _rows(cfg, records)

    def mean(role, norm, key):
        return C.mean_spread([r[key] for r in rows if r["model"] == role
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
        heads.append(f"l_{norm} eps {cfg['eps'][norm]:.3g}: standard {100 * std_clean:.1f}% "
                     f"clean / {100 * std_aa:.1f}% AA; robust {100 * rob_clean:.1f}% clean / "
                     f"{100 * rob_aa:.1f}% AA")
    claim = C.claim(
        "E-TABLE", confirmed=all(checks.values()), statement=PAPER_CLAIM["E-TABLE"],
        criterion="for each norm the model adversarially trained in it has lower clean accuracy "
        "and higher AutoAttack (worst case with PGD) accuracy than the standard model; "
        f"AutoAttack version {cfg['autoattack_version']!r} on {cfg['n_autoattack']} test points; "
        f"PGD {cfg['eval_attack']['steps']} steps, {cfg['eval_attack']['restarts']} restart(s)",
        numbers={"per_norm": per_norm, "references": cfg["references"],
                 "seeds": len(cfg["seeds"])},
        checks=checks, headline="; ".join(heads))
    table = [{k: v for k, v in r.items() if k != "label"} for r in rows]
    return {"claims": [claim], "tables": {"accuracy": table}}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    from tradeoff.empirical import plots

    rows = [r for r in _rows(cfg, records) if r["seed"] == cfg["seeds"][0]]
    for r in rows:
        r["autoattack"] = r["worst_case"]
    plots.table_figure(rows, path=path, title=f"E-TABLE {cfg['dataset']} ({cfg['scale']}): "
                       "clean (test set), PGD (test set), AutoAttack (subset)")
