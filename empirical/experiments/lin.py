r"""E-LIN: linear classifiers on MNIST rely on weakly correlated pixels unless trained robustly.

A two-digit MNIST task ([choose] 5 vs 7). Every pixel ``j`` has a correlation :math:`\rho_j`
with the label on the training set; pixels with :math:`|\rho_j| <` ``weak_threshold`` are
*weakly correlated*. We train (1) a standard and an l_inf-robust linear model on all pixels and
report the fraction of :math:`\|w\|_1` they put on weakly correlated pixels; (2) standard linear
models that see only the ``k`` most correlated pixels (a fixed 0/1 input mask), for a grid of
``k``, and report their standard and l_inf-robust accuracy.

For a linear model the robust accuracy is exact: the worst perturbation in the l_inf ball and
the box [0, 1] lowers the signed margin by :math:`\sum_j |w_j| r_j`, with room
:math:`r_j = \min(\epsilon, x_j)` where the adversary lowers :math:`x_j` and
:math:`\min(\epsilon, 1 - x_j)` where it raises it.

Confirmed when (1) the robust model's weak-pixel weight fraction is below the standard model's
and at most ``robust_weak_max``; (2) the smallest-``k`` model is more robust than the all-pixel
standard model and the all-pixel model more accurate than the smallest-``k`` one (adding
features trades robustness for accuracy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from tradeoff.empirical.evaluate import correct_mask, pgd_attack
from tradeoff.empirical.experiments.context import Context, cpu_threads, save_arrays
from tradeoff.empirical.experiments.datasets import as_tensors, dataset_from_spec
from tradeoff.empirical.experiments.features import feature_label_correlation
from tradeoff.empirical.experiments.settings import AttackSpec, OptimSpec, Step, dataset_settings
from tradeoff.empirical.experiments.specs import TrainSpec, attack_from_json, optim_from_json
from tradeoff.empirical.experiments.stats import claim, mean_spread
from tradeoff.empirical.experiments.trained import model_record, trained_model
from tradeoff.empirical.models import FeatureMask

__all__ = [
    "NAME",
    "CLAIMS",
    "TITLE",
    "DATASETS",
    "DEFAULT_DATASET",
    "PAPER_CLAIM",
    "config",
    "points",
    "effective_weights",
    "exact_linf_box_correct",
    "run_point",
    "summarize",
    "plot",
]

NAME = "lin"
CLAIMS = ("E-LIN",)
TITLE = "Linear models on MNIST: weakly correlated pixels (appendix)"
DATASETS = ("mnist",)
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-LIN": "A standard linear classifier on MNIST puts weight on many weakly correlated "
    "pixels, a robust one none below a threshold; training a standard model on only "
    "well-correlated features gives robustness, and adding features trades robustness for "
    "accuracy.",
}

_SCALES = {
    "micro": {"train_steps": 6, "top_k": [20, 784]},
    "quick": {"train_steps": 1500, "top_k": [10, 25, 50, 100, 200, 400, 784]},
    "paper": {"train_steps": 10_000, "top_k": [10, 25, 50, 100, 200, 400, 784]},
}


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    s = dataset_settings(dataset, scale)
    sc = _SCALES[scale]
    return {
        "experiment": NAME, "dataset": dataset, "scale": scale,
        "source": s.source, "classes": [5, 7], "eps": 0.1, "norm": "inf",
        "weak_threshold": 0.1, "top_k": sc["top_k"],
        # 10 steps of eps/4 (micro: 2 of eps/2): the boundary is reached [choose].
        "train_attack": (AttackSpec(10, Step.of_eps(0.25)) if scale != "micro"
                         else AttackSpec(2, Step.of_eps(0.5))).to_json(),
        "eval_attack": s.eval_attack["inf"].to_json(), "n_check": s.n_check,
        "optim": OptimSpec("adam", 1e-2, 64, sc["train_steps"],
                           milestones_frac=(0.5, 0.75)).to_json(),
        "n_train_max": s.n_train_max, "n_test": s.n_test,
        "seeds": [seed + i for i in range(int(s.seeds))],
        "criteria": {"robust_weak_max": 0.05},
    }


def _data(cfg):
    return {"source": cfg["source"], "classes": cfg["classes"], "fraction": 1.0,
            "n_max": cfg["n_train_max"], "subset_seed": 0}


def _spec(cfg, seed, eps, top_k=None):
    return TrainSpec(data=_data(cfg), model="linear", method="pgd", norm=cfg["norm"],
                     eps_train=eps, attack=attack_from_json(cfg["train_attack"]),
                     optim=optim_from_json(cfg["optim"]), seed=seed,
                     mask_top_k=None if top_k is None or top_k >= 784 else top_k,
                     check=attack_from_json(cfg["eval_attack"]),
                     check_n=cfg["n_check"]).to_json()


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for seed in cfg["seeds"]:
        out.append({"role": "full", "kind": "standard", "seed": seed, "eps": cfg["eps"],
                    "weak_threshold": cfg["weak_threshold"], "n_test": cfg["n_test"],
                    "train": _spec(cfg, seed, 0.0)})
        out.append({"role": "full", "kind": "robust", "seed": seed, "eps": cfg["eps"],
                    "weak_threshold": cfg["weak_threshold"], "n_test": cfg["n_test"],
                    "train": _spec(cfg, seed, cfg["eps"])})
        for k in cfg["top_k"]:
            if k >= 784:
                continue  # the all-pixel standard model above
            out.append({"role": "top_k", "k": k, "seed": seed, "eps": cfg["eps"],
                        "weak_threshold": cfg["weak_threshold"], "n_test": cfg["n_test"],
                        "train": _spec(cfg, seed, 0.0, k)})
    return out


def effective_weights(model) -> tuple[np.ndarray, float]:
    """``(w, b)`` on raw pixels of a 2-class linear model, masked models included."""
    from tradeoff.empirical.models import linear_weights

    if isinstance(model, FeatureMask):
        w, b = linear_weights(model.inner)
        return w * model.mask.detach().cpu().double().numpy().reshape(-1), b
    return linear_weights(model)


def exact_linf_box_correct(w: np.ndarray, b: float, x: np.ndarray, y: np.ndarray,
                           eps: float) -> np.ndarray:
    """Exact l_inf-robust correctness of ``sign(w.x + b)`` with inputs in the box [0, 1].

    Class 1 is predicted iff the score is > 0 (argmax breaks ties towards class 0).
    """
    s = np.where(y == 1, 1.0, -1.0)
    score = x @ w + b
    lower = (s[:, None] * w[None, :]) > 0  # the adversary lowers x_j
    room = np.where(lower, np.minimum(eps, x), np.minimum(eps, 1.0 - x))
    worst = s * score - (np.abs(w)[None, :] * room).sum(1)
    return np.where(y == 1, worst > 0, worst >= 0)


def run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:
    with cpu_threads(1, ctx.device):
        return _run_point(point, ctx)


def _run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:
    spec = point["train"]
    model, info = trained_model(spec, ctx)
    train_data = dataset_from_spec(spec["data"], "train", ctx)
    test = dataset_from_spec(spec["data"], "test", ctx, n_test=point["n_test"])
    w, b = effective_weights(model.cpu())
    x_te, y_te = as_tensors(test)
    x_np = x_te.reshape(len(x_te), -1).double().numpy()
    y_np = y_te.numpy()
    clean = ((x_np @ w + b > 0).astype(int) == y_np)
    robust = exact_linf_box_correct(w, b, x_np, y_np, float(point["eps"]))
    x_tr, y_tr = as_tensors(train_data)
    corr = feature_label_correlation(x_tr, y_tr)
    weak = np.abs(corr) < float(point["weak_threshold"])
    l1 = float(np.abs(w).sum()) or 1.0
    metrics = {
        "n_test": int(len(y_np)), "standard": float(clean.mean()), "robust": float(robust.mean()),
        "weak_mass": float(np.abs(w)[weak].sum() / l1), "n_weak_pixels": int(weak.sum()),
        "train_time_s": info.get("train_time_s"), "trained": [model_record(info)],
    }
    if point["role"] == "full":
        save_arrays(ctx, point, "weights.npz", {"w": w, "b": np.array(b), "correlation": corr})
        # Check the closed form against PGD on a few test points (l_inf, box respected).
        attack = pgd_attack(eps=float(point["eps"]), norm="inf", steps=20,
                            step_size=float(point["eps"]) / 4, box=(0.0, 1.0))
        n = min(200, len(test))
        pgd = correct_mask(model.to(ctx.device), test.select(torch.arange(n)),
                             device=ctx.device, attack=attack)
        metrics["pgd_robust_first_200"] = float(pgd.mean())
        metrics["exact_robust_first_200"] = float(robust[:n].mean())
    return metrics


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    crit = cfg["criteria"]

    def mean(filt, key):
        return mean_spread([r["metrics"][key] for r in records if filt(r["point"])])["mean"]

    models = {kind: {k: mean(lambda p, kind=kind: p["role"] == "full" and p["kind"] == kind, k)
                     for k in ("standard", "robust", "weak_mass")}
              for kind in ("standard", "robust")}
    top = []
    for k in cfg["top_k"]:
        if k >= 784:
            top.append({"k": 784, **{m: models["standard"][m] for m in ("standard", "robust")}})
        else:
            top.append({"k": k, **{m: mean(lambda p, k=k: p["role"] == "top_k" and p["k"] == k,
                                            m) for m in ("standard", "robust")}})
    top.sort(key=lambda r: r["k"])
    weak_mass = {f"{k} model": v["weak_mass"] for k, v in models.items()}
    checks = {
        "robust_less_weak_weight": models["robust"]["weak_mass"] < models["standard"]["weak_mass"],
        "robust_weak_weight_small": models["robust"]["weak_mass"] <= crit["robust_weak_max"],
        "few_features_more_robust": top[0]["robust"] > top[-1]["robust"],
        "more_features_more_accurate": top[-1]["standard"] > top[0]["standard"],
    }
    heads = [f"weight on |corr| < {cfg['weak_threshold']}: standard "
             f"{100 * models['standard']['weak_mass']:.1f}%, robust "
             f"{100 * models['robust']['weak_mass']:.1f}%",
             f"k={top[0]['k']}: {100 * top[0]['standard']:.1f}% clean / "
             f"{100 * top[0]['robust']:.1f}% robust; k=784: {100 * top[-1]['standard']:.1f}% / "
             f"{100 * top[-1]['robust']:.1f}%"]
    result_claim = claim(
        "E-LIN", confirmed=all(checks.values()), statement=PAPER_CLAIM["E-LIN"],
        criterion=f"MNIST {cfg['classes'][0]} vs {cfg['classes'][1]}, l_inf eps {cfg['eps']} "
        f"(exact robust accuracy of the linear models): robust model's weight fraction on "
        f"pixels with |corr| < {cfg['weak_threshold']} below the standard model's and <= "
        f"{crit['robust_weak_max']}; fewest-features model more robust and less accurate than "
        "the all-pixel standard model",
        numbers={"models": models, "top_k": {str(r["k"]): {"standard": r["standard"],
                                                            "robust": r["robust"]}
                                              for r in top}},
        checks=checks, headline="; ".join(heads))
    return {"claims": [result_claim], "tables": {"top_k": top, "weak_mass": weak_mass,
                                          "models": models}}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    from tradeoff.empirical import plots

    weights: dict[str, Any] = {}
    for rec in records:
        pt = rec["point"]
        if pt["role"] == "full" and pt["seed"] == cfg["seeds"][0]:
            data = np.load(Path(path).parent / "points" / rec["key"] / "weights.npz")
            weights[pt["kind"]] = data["w"]
            weights["correlation"] = data["correlation"]
    tables = {k: v for k, v in summary["tables"].items()}
    plots.lin_figure(cfg, {"tables": tables}, weights, path)
