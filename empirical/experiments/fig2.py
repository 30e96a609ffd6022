r"""E-FIG2: input gradients of robust models are aligned with the data; standard ones are noise.

For test images ``x`` of class ``y`` we take the loss gradient ``g = grad_x CE(f(x), y)`` of each
model and measure its alignment with the difference of class means,

.. math:: a(x) = \cos\big(-g,\; \mu_y - \bar\mu\big),

where :math:`\mu_y` is the mean training image of class ``y`` and :math:`\bar\mu` the mean of
all training images: the direction that makes an image look more like its class on average.
(-g points to lower loss.) A perceptually aligned gradient has a clearly positive mean
alignment; a noisy one is near 0.

Confirmed when, for each robust model (l_2 and l_inf, E-TABLE's models), the mean alignment
exceeds the standard model's and a one-sided 95% paired-bootstrap lower bound of the difference
is above 0.

Display (docs/experiments/index.md): MNIST signed maps (blue/red); CIFAR-10 and ImageNet clipped to
+-3 std and rescaled to [0, 1].
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from tradeoff.empirical.evaluate import batches, input_gradients
from tradeoff.empirical.experiments import table
from tradeoff.empirical.experiments.context import Context, save_arrays
from tradeoff.empirical.experiments.datasets import as_tensors, dataset_from_spec
from tradeoff.empirical.experiments.images import IMAGE_DATASETS, base_config, display_indices
from tradeoff.empirical.experiments.stats import claim, mean_spread, paired_bootstrap_lower
from tradeoff.empirical.experiments.trained import model_record, trained_model

__all__ = [
    "NAME",
    "CLAIMS",
    "TITLE",
    "DATASETS",
    "DEFAULT_DATASET",
    "PAPER_CLAIM",
    "N_SHOW",
    "config",
    "points",
    "MAX_MEAN_IMAGES",
    "class_mean_directions",
    "cosine",
    "run_point",
    "summarize",
    "plot",
]

NAME = "fig2"
CLAIMS = ("E-FIG2",)
TITLE = "Input-gradient alignment of robust vs standard models (Figure 2)"
DATASETS = IMAGE_DATASETS
DEFAULT_DATASET = "mnist"
PAPER_CLAIM = {
    "E-FIG2": "Loss gradients with respect to the input are perceptually aligned (they look "
    "like salient features of the image) for adversarially trained models, and noisy for "
    "standard ones.",
}
N_SHOW = 8


def config(scale: str, dataset: str, seed: int) -> dict[str, Any]:
    cfg = base_config(NAME, scale, dataset, seed)
    cfg.update({"n_visual": cfg["settings"]["n_visual"], "bootstrap_level": 0.95,
                "metric": "cos(-grad_x loss, class mean - overall mean)"})
    return cfg


def points(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"role": "fig2", "seed": seed, "models": table.model_specs(cfg, seed),
             "n_visual": cfg["n_visual"]} for seed in cfg["seeds"]]


MAX_MEAN_IMAGES = 20_000


def class_mean_directions(train_data, y: torch.Tensor) -> torch.Tensor:
    """``mu_y - mu_bar`` for every label in ``y``, from the training set (a stratified subset
    of at most :data:`MAX_MEAN_IMAGES` images for large datasets), streamed in batches."""
    from tradeoff.empirical.data import stratified_subset

    if len(train_data) > MAX_MEAN_IMAGES:
        train_data = stratified_subset(train_data, MAX_MEAN_IMAGES, 0)
    k = train_data.num_classes
    sums, counts = None, torch.zeros(k, dtype=torch.float64)
    for xb, yb in batches(train_data, 1000, "cpu"):
        xb = xb.double()
        if sums is None:
            sums = torch.zeros((k, *xb.shape[1:]), dtype=torch.float64)
        sums.index_add_(0, yb, xb)
        counts += torch.bincount(yb, minlength=k).double()
    overall = sums.sum(0) / counts.sum()
    shape = (k,) + (1,) * (sums.ndim - 1)
    means = torch.where(counts.view(shape) > 0, sums / counts.clamp_min(1).view(shape), overall)
    return (means - overall)[y].float()


def cosine(a: torch.Tensor, b: torch.Tensor) -> np.ndarray:
    a, b = a.flatten(1).double(), b.flatten(1).double()
    return (torch.nn.functional.cosine_similarity(a, b, dim=1, eps=1e-30)).numpy()


def run_point(point: dict[str, Any], ctx: Context) -> dict[str, Any]:
    from tradeoff.empirical.data import stratified_subset

    first = next(iter(point["models"].values()))
    train_data = dataset_from_spec({**first["data"], "fraction": 1.0}, "train", ctx)
    test = dataset_from_spec(first["data"], "test", ctx)
    n = min(int(point["n_visual"]), len(test))
    sub = stratified_subset(test, n, 0) if n < len(test) else test
    x, y = as_tensors(sub)
    direction = class_mean_directions(train_data, y)
    metrics: dict[str, Any] = {"n": n, "trained": []}
    show = display_indices(y, N_SHOW)
    shown = {"x": x[show].numpy(), "y": y[show].numpy()}
    for role, spec in point["models"].items():
        model, info = trained_model(spec, ctx)
        metrics["trained"].append(model_record(info))
        grads = input_gradients(model, x, y, ctx.device)
        align = cosine(-grads, direction)
        metrics[role] = {"alignment_mean": float(align.mean()),
                         "alignment_std": float(align.std()),
                         "alignment": [float(a) for a in align]}
        shown[role] = grads[show].numpy()
    metrics["examples"] = save_arrays(ctx, point, "examples.npz", shown)
    return metrics


def summarize(cfg: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    level = cfg["bootstrap_level"]
    roles = [r for r in records[0]["metrics"] if r.startswith("robust")]
    per_model: dict[str, Any] = {"standard": mean_spread(
        [r["metrics"]["standard"]["alignment_mean"] for r in records])}
    checks, heads = {}, []
    for role in roles:
        diffs = np.concatenate([np.asarray(r["metrics"][role]["alignment"])
                                - np.asarray(r["metrics"]["standard"]["alignment"])
                                for r in records])
        lower = paired_bootstrap_lower(diffs, level=level)
        per_model[role] = mean_spread([r["metrics"][role]["alignment_mean"] for r in records])
        per_model[role]["difference_vs_standard"] = float(diffs.mean())
        per_model[role]["difference_lower_bound"] = lower
        checks[f"{role}_more_aligned"] = bool(diffs.mean() > 0 and lower > 0)
        heads.append(f"{role}: {per_model[role]['mean']:.3f}")
    heads.insert(0, f"mean cosine alignment: standard {per_model['standard']['mean']:.3f}")
    result_claim = claim(
        "E-FIG2", confirmed=all(checks.values()), statement=PAPER_CLAIM["E-FIG2"],
        criterion=f"alignment a(x) = {cfg['metric']}; every robust model's mean alignment "
        f"exceeds the standard model's, with a one-sided {level:.0%} paired-bootstrap lower "
        "bound of the difference above 0",
        numbers={"per_model": per_model, "n_images": sum(r["metrics"]["n"] for r in records)},
        checks=checks, headline="; ".join(heads))
    rows = [{"model": k, "alignment_mean": v["mean"], "alignment_std_over_seeds": v["std"]}
            for k, v in per_model.items()]
    return {"claims": [result_claim], "tables": {"alignment": rows}}


def plot(cfg: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any],
         path: Path) -> None:
    from tradeoff.empirical import plots

    rec = records[0]
    data = np.load(Path(path).parent / "points" / rec["key"] / "examples.npz")
    rows = [("image", list(data["x"]), "image")]
    roles = [k for k in data.files if k not in ("x", "y")]
    rows += [(f"grad, {r}", list(data[r]), "grad") for r in roles]
    per_model = summary["claims"][0]["numbers"]["per_model"]
    panels = [{"kind": "bars", "values": {k: v["mean"] for k, v in per_model.items()},
               "ylabel": "mean cos(-grad, mu_y - mu)", "title": "alignment (the number)"}]
    plots.figure_with_images(rows, panels, path=path,
                             title=f"E-FIG2 {cfg['dataset']} ({cfg['scale']}): input gradients")
