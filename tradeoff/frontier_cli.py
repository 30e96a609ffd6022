"""``tradeoff frontier``: the B-FRONTIER curve of D(p, eta, d) as CSV and a figure.

The mathematics lives in :mod:`tradeoff.frontier`; this module is its report layer: it reads
trained-model results (:func:`collect_results`), draws the figure (:func:`plot`) and registers the
``frontier`` sub-command of the ``tradeoff`` parser (:func:`register`). Files are written with the
project's atomic writer.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tradeoff._io import atomic_write_bytes, atomic_write_text
from tradeoff._validation import check_dist, check_real
from tradeoff.bounds import bound_expression
from tradeoff.distribution import Distribution
from tradeoff.frontier import Frontier, frontier, reference_points, upper_frontier

__all__ = ["RESULT_KEYS", "collect_results", "main", "plot", "register"]

RESULT_KEYS = ("standard_accuracy", "robust_accuracy", "p", "eta", "d")


def collect_results(folder: str | os.PathLike[str], dist: Distribution, eps=None,
                    *, rel_tol: float = 1e-9) -> list[tuple[str, float, float]]:
    """Trained-model points from every ``*.json`` under ``folder`` (recursively).

    A file counts when it is a JSON object (or a list of objects) with numeric fields
    ``standard_accuracy``, ``robust_accuracy``, ``p``, ``eta``, ``d`` whose ``p``, ``eta``, ``d``
    match ``dist`` (relative tolerance ``rel_tol``) and, when it has a field ``eps``, whose
    ``eps`` matches too. An optional ``name`` labels the point. Unreadable files are skipped.
    """
    dist = check_dist(dist)
    eps_val = 2.0 * dist.eta if eps is None else check_real("eps", eps, low=0.0)
    root = Path(folder)
    if not root.is_dir():
        raise ValueError(f"results must be an existing folder, got {str(folder)!r}")
    out = []
    for path in sorted(root.rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for rec in data if isinstance(data, list) else [data]:
            if not isinstance(rec, dict) or not all(key in rec for key in RESULT_KEYS):
                continue
            try:
                vals = {key: float(rec[key]) for key in RESULT_KEYS}
                rec_eps = float(rec["eps"]) if "eps" in rec else None
            except (TypeError, ValueError):
                continue
            same = (math.isclose(vals["p"], dist.p, rel_tol=rel_tol)
                    and math.isclose(vals["eta"], dist.eta, rel_tol=rel_tol, abs_tol=1e-15)
                    and int(vals["d"]) == dist.d
                    and (rec_eps is None or math.isclose(rec_eps, eps_val, rel_tol=rel_tol,
                                                         abs_tol=1e-15)))
            if same:
                out.append((str(rec.get("name", path.stem)), vals["standard_accuracy"],
                            vals["robust_accuracy"]))
    return out


def plot(fr: Frontier, points: Sequence[tuple[str, float, float]] = (), *, title: str | None = None,
         bound: bool = True):
    """A matplotlib figure: frontier, upper bound, Theorem 2.1's line and classifier points."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(6.4, 6.6), dpi=120, sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1.4]})
    ax.plot(fr.standard, fr.robust, color="C0", lw=2.2,
            label="frontier (exact)" if fr.proven
            else "threshold-rule frontier (certified)" if fr.status == "certified"
            else "threshold-rule frontier (achievable)")
    if not fr.proven:
        ax.plot(fr.standard, fr.upper, color="C0", ls=":", lw=1.5,
                label="certified upper bound" if fr.status == "certified" else "upper bound")
    if bound and fr.eps >= 2 * fr.dist.eta:
        a = np.linspace(min(fr.standard.min(), fr.dist.p), 1.0, 200)
        ax.plot(a, np.minimum(bound_expression(a, fr.dist.p), 1.0), color="C3", ls="--",
                label="Theorem 2.1: p/(1-p)·(1-a)")
    markers = "osD^v<>phX*"
    for i, (name, s, r) in enumerate(points):
        ax.scatter([s], [r], marker=markers[i % len(markers)], s=40, zorder=5, label=name)
    ax.set_ylabel(f"l_inf-robust accuracy at eps = {fr.eps:.4g}")
    d = fr.dist
    ax.set_title(title or f"D(p={d.p:g}, eta={d.eta:.4g}, d={d.d}), k = {d.k:.3g}")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    # the second panel: frontier / Theorem 2.1's bound, where the gap near the Bayes accuracy
    # (invisible on the first panel) shows
    if bound and fr.eps >= 2 * fr.dist.eta:
        ratio = fr.ratio
        ax2.plot(fr.standard, ratio, color="C0", lw=1.8)
        ax2.axhline(1.0, color="C3", ls="--", lw=1)
        finite = ratio[np.isfinite(ratio)]
        if finite.size:
            j = int(np.nanargmin(np.where(np.isfinite(ratio), ratio, np.inf)))
            ax2.annotate(f"{ratio[j]:.2f}", (fr.standard[j], ratio[j]), fontsize=7,
                         xytext=(-28, 4), textcoords="offset points")
            ax2.set_ylim(max(0.0, float(finite.min()) - 0.05), 1.05)
        ax2.set_ylabel("frontier / Thm 2.1", fontsize=8)
    else:
        ax2.plot(fr.standard, fr.upper - fr.robust, color="C0", lw=1.5)
        ax2.set_ylabel("upper - frontier", fontsize=8)
    ax2.set_xlabel("standard accuracy")
    ax2.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _handle(args: argparse.Namespace) -> int:
    from tradeoff.cli import UsageError

    try:
        dist = Distribution(args.p, args.eta, args.d)
        fr = frontier(dist, args.eps, args.n, cells=args.cells)
        points = reference_points(dist, fr.eps)
        if args.results:
            points += collect_results(args.results, dist, fr.eps)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None
    out = Path(args.out)
    atomic_write_text(out / "frontier.csv", fr.to_csv())
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["name", "standard_accuracy", "robust_accuracy", "frontier_upper_bound"])
    for name, s, r in points:
        writer.writerow([name, repr(s), repr(r), repr(upper_frontier(dist, s, fr.eps))])
    atomic_write_text(out / "points.csv", buf.getvalue())
    fig = plot(fr, points)
    png = io.BytesIO()
    fig.savefig(png, format="png")
    import matplotlib.pyplot as plt

    plt.close(fig)
    atomic_write_bytes(out / "frontier.png", png.getvalue())
    tight = fr.ratio[np.isfinite(fr.ratio)]
    print(fr.statement())
    print(f"status: {fr.status}")
    for i in np.unique(np.linspace(0, len(fr.standard) - 1, min(6, len(fr.standard)))
                       .round().astype(int)):
        print(f"  a={fr.standard[i]:.6f}  F={fr.robust[i]:.6f}  upper={fr.upper[i]:.6f}  "
              f"Thm2.1={min(fr.bound[i], 1.0):.6f}")
    if tight.size and fr.eps >= 2 * dist.eta:
        print(f"frontier / Theorem 2.1 bound: min {tight.min():.4f}, max {tight.max():.4f}")
    print(f"wrote {out / 'frontier.csv'}, {out / 'points.csv'}, {out / 'frontier.png'}")
    return 0


def register(subparsers) -> None:
    """Add the ``frontier`` sub-command to ``subparsers``."""
    ap = subparsers.add_parser(
        "frontier", help="the exact robustness-accuracy frontier (B-FRONTIER)",
        description="Exact robustness-accuracy frontier of D(p, eta, d) vs Theorem 2.1 "
                    "(B-FRONTIER). Writes frontier.csv, points.csv and frontier.png to --out.")
    ap.add_argument("--p", type=float, required=True, help="P(x1 = y), in [0, 1]")
    ap.add_argument("--eta", type=float, required=True, help="weak-feature mean, >= 0")
    ap.add_argument("--d", type=int, required=True, help="number of weak features, >= 1")
    ap.add_argument("--eps", type=float, default=None,
                    help="l_inf radius in [0, 1) (default 2*eta)")
    ap.add_argument("--n", type=int, default=101, help="points on the frontier (default 101)")
    ap.add_argument("--cells", type=int, default=12000,
                    help="cells of the erosion certificate where the frontier is not proved "
                         "exact (default 12000; the certified gap shrinks like 1/cells)")
    ap.add_argument("--out", default="frontier-out", help="output folder (default ./frontier-out)")
    ap.add_argument("--results", default=None,
                    help="folder of JSON results of trained models (fields standard_accuracy, "
                         "robust_accuracy, p, eta, d, optional eps and name)")
    ap.set_defaults(handler=_handle)


def main(argv: Sequence[str] | None = None) -> int:
    """``tradeoff frontier ARGS``; returns the exit status."""
    import sys

    from tradeoff.cli import main as tradeoff_main

    return tradeoff_main(["frontier", *(sys.argv[1:] if argv is None else argv)])
