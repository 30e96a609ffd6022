"""Figures of the experiments (matplotlib, Agg backend; PNG files).

One function per figure; each takes the experiment's configuration and summary (and, for the
image figures, the arrays saved next to the grid points) and writes ``path``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from tradeoff._io import atomic_write  # noqa: E402

__all__ = [
    "syn_figure",
    "curves_figure",
    "table_figure",
    "gradient_display",
    "image_grid",
    "metric_bars",
    "figure_with_images",
    "lin_figure",
]

_NORM_LABEL = {"inf": r"$\ell_\infty$", "2": r"$\ell_2$", "none": "standard"}


def _save(fig, path: Path) -> None:
    try:
        atomic_write(path, lambda fh: fig.savefig(fh, format="png", dpi=120,
                                                  bbox_inches="tight"))
    finally:
        plt.close(fig)


def _tradeoff_bound_curve(p: float, xs: np.ndarray) -> np.ndarray:
    from tradeoff.bounds import bound_expression

    return np.array([min(1.0, bound_expression(float(x), p)) for x in xs])


# --------------------------------------------------------------------------- E-SYN


def syn_figure(cfg: Mapping[str, Any], summary: Mapping[str, Any], path: Path) -> None:
    """Standard vs robust accuracy of every trained model, under Theorem 2.1's bound."""
    p = cfg["dist"]["p"]
    rows = summary["tables"]["models"]
    ref = summary["claims"][0]["numbers"]["reference_classifiers"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    views = (((p - 0.03, 1.002), (-0.02, 1.02), "all models"),
             ((0.994, 1.0003), (-0.003, 0.12), "standard-trained models (zoom)"))
    for ax, ((lo, hi), ylim, title) in zip(axes, views, strict=True):
        xx = np.linspace(lo, 1.0, 600)
        ax.plot(xx, _tradeoff_bound_curve(p, xx), "k-", lw=1.5,
                label=r"Theorem 2.1: $\frac{p}{1-p}(1-\mathrm{acc})$")
        ax.fill_between(xx, _tradeoff_bound_curve(p, xx), 1.02, color="0.9", zorder=0,
                        label="excluded by Theorem 2.1")
        for name, marker in (("bayes", "*"), ("f_avg", "D"), ("f_rob", "s")):
            r = ref[name]
            ax.plot(r["standard_accuracy"], r["robust_accuracy"], marker, ms=11, mfc="none",
                    mec="k", label=f"{name} (exact)")
        for row in rows:
            color = "tab:blue" if row["eps_train"] == 0 else "tab:red"
            marker = "o" if row["model"] == "linear" else "^"
            ax.plot(row["standard"], row["robust"], marker, color=color, ms=7, alpha=0.85)
            ax.plot(row["standard"], row["shift"], "x", color=color, ms=6, alpha=0.85)
            if "exact" in row:
                ex = row["exact"]
                ax.plot(ex["standard_accuracy"], ex["robust_accuracy"], "+", color="k", ms=9)
        ax.set_xlim(lo, hi)
        ax.set_ylim(*ylim)
        ax.set_xlabel("standard accuracy")
        ax.set_ylabel(rf"robust accuracy, $\ell_\infty$, eps = 2 eta = {cfg['eps_eval']:.2g}")
        ax.set_title(f"E-SYN: D(p={p}, eta={cfg['dist']['eta']}, d={cfg['dist']['d']}) — "
                     f"{title}", fontsize=10)
        ax.grid(alpha=0.3)
    handles = [
        plt.Line2D([], [], marker="o", ls="", color="tab:blue", label="linear, standard"),
        plt.Line2D([], [], marker="o", ls="", color="tab:red", label="linear, adversarial"),
        plt.Line2D([], [], marker="^", ls="", color="tab:blue", label="MLP, standard"),
        plt.Line2D([], [], marker="^", ls="", color="tab:red", label="MLP, adversarial"),
        plt.Line2D([], [], marker="x", ls="", color="0.3", label="shift attack (C-C1)"),
        plt.Line2D([], [], marker="+", ls="", color="k", label="linear: exact (w, b)"),
    ]
    h0, _ = axes[0].get_legend_handles_labels()
    axes[0].legend(handles=h0 + handles, fontsize=7, loc="lower left")
    _save(fig, path)


# --------------------------------------------------------------------------- E-FIG1 / FIG7 / APPB


def curves_figure(curves: Mapping[str, Mapping[str, Sequence[Mapping[str, float]]]], *,
                  xlabel: str, title: str, path: Path, logx: bool = False,
                  reference: Mapping[str, float] | None = None,
                  differences: Mapping[str, Mapping[str, Sequence[Mapping[str, float]]]]
                  | None = None) -> None:
    """Panels per norm; in each, one curve per label: ``[{"x", "mean", "std"}, ...]``.

    ``curves[norm][label]`` holds the points of one curve (mean and spread over seeds, drawn as
    error bars). ``differences`` (same layout, E-FIG1) adds a second row: each robust curve
    minus the standard one, with the seeds' spread of the difference as error bars, so that a
    difference inside its bar is visibly a tie.
    """
    norms = list(curves)
    rows = 2 if differences else 1
    fig, axes = plt.subplots(rows, len(norms), figsize=(5.5 * len(norms), 4.2 * rows),
                             squeeze=False)
    palette = ["tab:red", "tab:orange", "tab:purple", "tab:green", "tab:brown", "tab:pink",
               "tab:olive", "tab:cyan"]

    def panel(ax, series, norm, ylabel, zero_line):
        xs_all: set[float] = set()
        colored = [label for label in series if "standard" not in label]
        for label in series:
            pts = sorted(series[label], key=lambda q: q["x"])
            x = np.array([q["x"] for q in pts])
            xs_all.update(float(v) for v in x)
            y = 100 * np.array([q["mean"] for q in pts])
            e = 100 * np.array([q.get("std", 0.0) for q in pts])
            color = ("k" if "standard" in label
                     else palette[colored.index(label) % len(palette)])
            ax.errorbar(x, y, yerr=e, marker="o", ms=4, capsize=3, color=color, label=label)
        if zero_line:
            ax.axhline(0.0, color="k", lw=1)
        if reference and not zero_line:
            for name, val in reference.items():
                ax.axhline(100 * val, ls=":", color="0.5", lw=1)
                ax.text(ax.get_xlim()[0], 100 * val, name, fontsize=7, va="bottom")
        if logx:
            ax.set_xscale("log")
            ticks = sorted(xs_all)
            ax.set_xticks(ticks, [f"{t:.0f}" for t in ticks])
            ax.minorticks_off()
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title} — {_NORM_LABEL.get(norm, norm)}", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)

    for j, norm in enumerate(norms):
        panel(axes[0][j], curves[norm], norm, "standard test accuracy (%)", False)
        if differences:
            panel(axes[1][j], differences[norm], norm,
                  "robust minus standard (points; bars: seeds' spread)", True)
    fig.tight_layout()
    _save(fig, path)


# --------------------------------------------------------------------------- E-TABLE


def table_figure(rows: Sequence[Mapping[str, Any]], *, title: str, path: Path) -> None:
    """Grouped bars: clean / PGD / AutoAttack accuracy per model."""
    keys = [("clean", "clean"), ("pgd", "PGD"), ("autoattack", "AutoAttack")]
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(rows) + 2), 4.2))
    width = 0.8 / len(keys)
    xs = np.arange(len(rows))
    for i, (key, label) in enumerate(keys):
        vals = [100 * (r.get(key) if r.get(key) is not None else np.nan) for r in rows]
        bars = ax.bar(xs + (i - 1) * width, vals, width, label=label)
        for bar, v in zip(bars, vals, strict=True):
            if np.isfinite(v):
                ax.text(bar.get_x() + bar.get_width() / 2, v + 0.5, f"{v:.1f}",
                        ha="center", fontsize=7)
    ax.set_xticks(xs, [r["label"] for r in rows], fontsize=8)
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    _save(fig, path)


# --------------------------------------------------------------------------- images


def _as_display(img: np.ndarray) -> tuple[np.ndarray, str | None]:
    """CHW image in [0, 1] -> HW(C) for imshow (grayscale for one channel)."""
    if img.shape[0] == 1:
        return img[0], "gray"
    return np.transpose(img, (1, 2, 0)).clip(0, 1), None


def gradient_display(grad: np.ndarray, *, signed: bool) -> tuple[np.ndarray, str | None, dict]:
    """E-FIG2's display rule: MNIST a signed map (blue/red); colour images clipped to
    +-3 std and rescaled to [0, 1] (docs/experiments/index.md)."""
    if signed:
        g = grad.sum(0)
        lim = float(np.abs(g).max()) or 1.0
        return g, "bwr", {"vmin": -lim, "vmax": lim}
    std = float(grad.std()) or 1.0
    g = np.clip(grad, -3 * std, 3 * std)
    g = (g + 3 * std) / (6 * std)
    return np.transpose(g, (1, 2, 0)), None, {}


def _image_cell(ax, imgs: Sequence[np.ndarray], kind: str, r: int, c: int, label: str,
                col_titles: Sequence[str] | None) -> None:
    """Draw image ``c`` of row ``r`` (an image, or a gradient map when ``kind == "grad"``)."""
    ax.set_xticks([])
    ax.set_yticks([])
    if c >= len(imgs):
        ax.axis("off")
        return
    img = np.asarray(imgs[c], dtype=float)
    if kind == "grad":
        shown, cmap, kw = gradient_display(img, signed=img.shape[0] == 1)
        ax.imshow(shown, cmap=cmap, **kw)
    else:
        shown, cmap = _as_display(img)
        ax.imshow(shown, cmap=cmap, vmin=0, vmax=1)
    if c == 0:
        ax.set_ylabel(label, fontsize=7, rotation=0, ha="right", va="center")
    if r == 0 and col_titles is not None and c < len(col_titles):
        ax.set_title(col_titles[c], fontsize=7)


def image_grid(rows: Sequence[tuple[str, Sequence[np.ndarray], str]], *, title: str, path: Path,
               signed_rows: Sequence[int] = (), col_titles: Sequence[str] | None = None) -> None:
    """A grid of images: ``rows`` of ``(label, images (CHW), kind)`` with ``kind`` in
    ``{"image", "grad"}``; gradients use :func:`gradient_display`."""
    ncol = max(len(imgs) for _, imgs, _ in rows)
    fig, axes = plt.subplots(len(rows), ncol, figsize=(1.3 * ncol + 1.2, 1.35 * len(rows) + 0.6),
                             squeeze=False)
    for r, (label, imgs, kind) in enumerate(rows):
        for c in range(ncol):
            ax = axes[r][c]
            _image_cell(ax, imgs, kind, r, c, label, col_titles)
    fig.suptitle(title, fontsize=10)
    _save(fig, path)


def metric_bars(ax, values: Mapping[str, float], *, ylabel: str, title: str,
                colors: Sequence[str] | None = None) -> None:
    """Small bar chart of a few named numbers (the number behind a qualitative figure);
    bars of robust models red, of standard ones blue, unless ``colors`` is given."""
    names = list(values)
    vals = [values[k] for k in names]
    if colors is None:
        shades = iter(["tab:red", "tab:orange", "tab:purple", "tab:brown"] * 4)
        colors = [next(shades) if "robust" in k else "tab:blue" for k in names]
    ax.bar(range(len(names)), vals, color=colors)
    ax.set_xticks(range(len(names)), names, fontsize=7, rotation=20)
    for i, v in enumerate(vals):
        ax.text(i, v, f"{v:.3f}", ha="center", va="bottom", fontsize=7)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.grid(axis="y", alpha=0.3)


def figure_with_images(image_rows: Sequence[tuple[str, Sequence[np.ndarray], str]],
                       panels: Sequence[Mapping[str, Any]], *, title: str, path: Path,
                       col_titles: Sequence[str] | None = None) -> None:
    """Images on top, then one small bar or line panel per entry of ``panels``.

    A panel is ``{"kind": "bars", "values": {...}, "ylabel", "title"}`` or
    ``{"kind": "lines", "x": [...], "lines": {label: [...]}, "xlabel", "ylabel", "title"}``.
    """
    ncol = max([len(imgs) for _, imgs, _ in image_rows] + [1])
    n_img = len(image_rows)
    fig = plt.figure(figsize=(max(1.3 * ncol + 1.5, 4.5 * len(panels)), 1.35 * n_img + 3.6))
    gs = fig.add_gridspec(n_img + 1, max(ncol, len(panels)),
                          height_ratios=[1] * n_img + [2.6])
    for r, (label, imgs, kind) in enumerate(image_rows):
        for c in range(ncol):
            ax = fig.add_subplot(gs[r, c])
            _image_cell(ax, imgs, kind, r, c, label, col_titles)
    width = max(ncol, len(panels))
    per = width // max(1, len(panels))
    for i, panel in enumerate(panels):
        ax = fig.add_subplot(gs[n_img, i * per:(i + 1) * per])
        if panel["kind"] == "bars":
            metric_bars(ax, panel["values"], ylabel=panel["ylabel"], title=panel["title"])
        else:
            robust_colors = iter(["tab:red", "tab:orange", "tab:purple", "tab:brown"])
            for label, ys in panel["lines"].items():
                color = next(robust_colors) if "robust" in label else "tab:blue"
                ax.plot(panel["x"], ys, marker="o", ms=3, color=color, label=label)
            ax.set_xlabel(panel["xlabel"], fontsize=8)
            ax.set_ylabel(panel["ylabel"], fontsize=8)
            ax.set_title(panel["title"], fontsize=9)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    _save(fig, path)


# --------------------------------------------------------------------------- E-LIN


def lin_figure(cfg: Mapping[str, Any], summary: Mapping[str, Any], weights: Mapping[str, Any],
               path: Path) -> None:
    """Weight maps of the standard and robust linear models, the correlation map, the weight
    mass on weakly correlated pixels, and accuracy vs number of features kept."""
    tables = summary["tables"]
    fig = plt.figure(figsize=(14, 6.5))
    gs = fig.add_gridspec(2, 4)
    maps = [("pixel-label correlation", weights.get("correlation"), "bwr")]
    maps += [(f"w, {name}", weights.get(name), "bwr") for name in ("standard", "robust")]
    for i, (label, arr, cmap) in enumerate(maps):
        ax = fig.add_subplot(gs[0, i])
        ax.set_xticks([])
        ax.set_yticks([])
        if arr is None:
            ax.axis("off")
            continue
        arr = np.asarray(arr, dtype=float).reshape(28, 28) if np.size(arr) == 784 else \
            np.asarray(arr, dtype=float)
        lim = float(np.abs(arr).max()) or 1.0
        im = ax.imshow(arr, cmap=cmap, vmin=-lim, vmax=lim)
        fig.colorbar(im, ax=ax, fraction=0.046)
        ax.set_title(label, fontsize=9)
    ax = fig.add_subplot(gs[0, 3])
    mass = tables["weak_mass"]
    metric_bars(ax, {k: v for k, v in mass.items()}, ylabel="fraction of ||w||_1",
                title=f"weight on pixels with |corr| < {cfg['weak_threshold']}")
    ax = fig.add_subplot(gs[1, :2])
    rows = sorted(tables["top_k"], key=lambda r: r["k"])
    ks = [r["k"] for r in rows]
    ax.plot(ks, [100 * r["standard"] for r in rows], "o-", color="tab:blue", label="standard")
    ax.plot(ks, [100 * r["robust"] for r in rows], "s-", color="tab:red",
            label=rf"robust, $\ell_\infty$ eps = {cfg['eps']}")
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.minorticks_off()
    ax.set_xlabel("number of most-correlated pixels the (standard) linear model sees")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title("training on well-correlated features only", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax = fig.add_subplot(gs[1, 2:])
    acc = tables["models"]
    metric_bars(ax, {f"{k} model, clean": v["standard"] for k, v in acc.items()}
                | {f"{k} model, l_inf eps {cfg['eps']}": v["robust"] for k, v in acc.items()},
                ylabel="accuracy", title="full-pixel linear models",
                colors=["tab:blue", "tab:red", "tab:blue", "tab:red"])
    fig.suptitle(f"E-LIN: linear models on MNIST {cfg['classes'][0]} vs {cfg['classes'][1]}",
                 fontsize=10)
    fig.tight_layout()
    _save(fig, path)
