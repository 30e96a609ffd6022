r"""E-FIG4: interpolating from an image to its large-eps adversarial example.

With the same large-eps targeted l_2 attack as E-FIG3, we follow the segment
:math:`x(\alpha) = x + \alpha (x_{adv} - x)` at 20 points :math:`\alpha \in [0, 1]` [code] and
record the target-class probability of the source model, :math:`q(\alpha)`, and of the
independent robust judge of E-FIG3.

Numbers per source model (means over images):

- ``max_jump``: the largest change of :math:`q` between consecutive points (small = smooth);
- ``monotonicity``: :math:`(q(1) - q(0)) / \sum |q(\alpha_{i+1}) - q(\alpha_i)|` (1 = monotone);
- ``judge_end``: the judge's target probability at :math:`x_{adv}` (perceptual plausibility of
  the end point), and ``judge_auc``, its mean along the path.

Confirmed when every robust source has a smaller mean ``max_jump`` and a larger mean
``judge_end`` than the standard source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from tradeoff.empirical.evaluate import probabilities
from tradeoff.empirical.experiments import fig3
from tradeoff.empirical.experiments.context import Context, save_arrays
from tradeoff.empirical.experiments.images import IMAGE_DATASETS, display_indices
from tradeoff.empirical.experiments.stats import claim, mean_spread
from tradeoff.empirical.experiments.trained import model_record, trained_model

__all__ = [
    "NAME",
    "CLAIMS",
    "TITLE",
    "DATASETS",
    "DEFAULT_DATASET",
    "PAPER_CLAIM",
    "N_POINTS",
    "N_SHOW",
    "config",
    "points",
    "path_stats",
    "run_point",
    "summarize",
    "plot",
]

NAME = "fig4"
CLAIMS = ("E-FIG4",)
TITLE = "Interpolation from x to its large-eps adversarial example (Figure 4)"
DATASETS = IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-FIG4": "The linear interpolation from an image to its large-eps adversarial example is "
    "smooth and perceptually plausible for robust models.",
}
N_POINTS = 20
N_SHOW = 2


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    cfg = fig3.config(scale, dataset, seed)
    cfg.update({"experiment": NAME, "n_points": N_POINTS})
    return cfg


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**fig3.point_for(cfg, seed, "fig4"), "n_points": cfg["n_points"]}
            for seed in cfg["seeds"]]


def path_stats(q: np.ndarray) -> dict[str, np.ndarray]:
    """Per-row smoothness numbers of probability paths ``q`` of shape ``(n, points)``."""
    steps = np.diff(q, axis=1)
    tv = np.abs(steps).sum(1)
    net = q[:, -1] - q[:, 0]
    mono = np.where(tv > 1e-12, net / np.where(tv > 1e-12, tv, 1.0), 1.0)
    return {"max_jump": np.abs(steps).max(1), "monotonicity": mono}


def run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:

    x, y, target, judge, judge_info, attack = fig3.attack_setup(point, ctx)
    alphas = torch.linspace(0.0, 1.0, int(point["n_points"]))
    metrics: dict[str, Any] = {"n": len(y), "alphas": alphas.tolist(),
                               "trained": [model_record(judge_info)]}
    shown: dict[str, np.ndarray] = {"alphas": alphas.numpy()}
    idx = torch.arange(len(y))
    for role, spec in point["sources"].items():
        model, info = trained_model(spec, ctx)
        metrics["trained"].append(model_record(info))
        x_adv = attack(model)
        q_src, q_jud = [], []
        for a in alphas:
            xa = x + float(a) * (x_adv - x)
            q_src.append(probabilities(model, xa, ctx.device)[idx, target])
            q_jud.append(probabilities(judge, xa, ctx.device)[idx, target])
        qs = torch.stack(q_src, 1).numpy()
        qj = torch.stack(q_jud, 1).numpy()
        st = path_stats(qs)
        metrics[role] = {
            "max_jump": float(st["max_jump"].mean()),
            "monotonicity": float(st["monotonicity"].mean()),
            "judge_end": float(qj[:, -1].mean()),
            "judge_auc": float(qj.mean()),
            "source_end": float(qs[:, -1].mean()),
            "mean_source_path": qs.mean(0).tolist(),
            "mean_judge_path": qj.mean(0).tolist(),
        }
        show = display_indices(y, N_SHOW)
        path_imgs = torch.stack([x[show] + float(a) * (x_adv[show] - x[show]) for a in alphas], 1)
        shown[role] = path_imgs.numpy()
    metrics["examples"] = save_arrays(ctx, point, "examples.npz", shown)
    return metrics


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    roles = [k for k, v in records[0]["metrics"].items() if isinstance(v, dict)]
    keys = ("max_jump", "monotonicity", "judge_end", "judge_auc", "source_end")
    per_source = {role: {k: mean_spread([r["metrics"][role][k] for r in records])["mean"]
                         for k in keys} for role in roles}
    std = per_source["standard"]
    checks, heads = {}, [f"standard: max jump {std['max_jump']:.2f}, judge end "
                         f"{std['judge_end']:.2f}"]
    for role in roles:
        if role == "standard":
            continue
        rob = per_source[role]
        checks[f"{role}_smoother"] = rob["max_jump"] < std["max_jump"]
        checks[f"{role}_end_more_plausible"] = rob["judge_end"] > std["judge_end"]
        heads.append(f"{role}: max jump {rob['max_jump']:.2f}, judge end {rob['judge_end']:.2f}")
    result_claim = claim(
        "E-FIG4", confirmed=all(checks.values()), statement=PAPER_CLAIM["E-FIG4"],
        criterion=f"{cfg['n_points']}-point path x -> x_adv (targeted l_2, eps "
        f"{cfg['large_eps']['eps']}); every robust source has a smaller mean max step of the "
        "source's target probability and a larger mean target probability of the independent "
        "robust judge at x_adv than the standard source",
        numbers={"per_source": per_source, "n_images": sum(r["metrics"]["n"] for r in records)},
        checks=checks, headline="; ".join(heads))
    rows = [{"source": k, **v} for k, v in per_source.items()]
    return {"claims": [result_claim], "tables": {"interpolation": rows}}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    from tradeoff.empirical import plots

    rec = records[0]
    data = np.load(Path(path).parent / "points" / rec["key"] / "examples.npz")
    alphas = data["alphas"]
    keep = np.linspace(0, len(alphas) - 1, min(10, len(alphas))).round().astype(int)
    roles = [k for k in data.files if k != "alphas"]
    rows = []
    for role in roles:
        for i in range(data[role].shape[0]):
            rows.append((f"{role} #{i}", [data[role][i, j] for j in keep], "image"))
    m = rec["metrics"]
    panels = [
        {"kind": "lines", "x": m["alphas"], "xlabel": "alpha",
         "lines": {r: m[r]["mean_source_path"] for r in roles}, "ylabel": "P(target)",
         "title": "source model's target probability"},
        {"kind": "lines", "x": m["alphas"], "xlabel": "alpha",
         "lines": {r: m[r]["mean_judge_path"] for r in roles}, "ylabel": "P(target)",
         "title": "independent robust judge"},
    ]
    plots.figure_with_images(rows, panels, path=path,
                             col_titles=[f"a={alphas[j]:.2f}" for j in keep],
                             title=f"E-FIG4 {cfg['dataset']} ({cfg['scale']}): x -> x_adv")
