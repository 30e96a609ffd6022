"""Figures and numbers of docs/beyond/*.md (claims B-…).

Run from the repository root:  python docs/scripts/make_beyond_figures.py [--no-mnist]
Writes PNGs under docs/figures/ and the measured numbers to docs/figures/beyond_numbers.json.
Deterministic (fixed seeds); about a minute on two cores (the MNIST separation takes ~25 s).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from tradeoff import bayes, frontier, frontier_cli, optrobust, separation  # noqa: E402
from tradeoff._io import atomic_write, atomic_write_text  # noqa: E402
from tradeoff.bounds import bound_expression  # noqa: E402
from tradeoff.distribution import Distribution  # noqa: E402

FIG = Path("docs/figures")
D = 100


def _save(fig, path: Path) -> None:
    """Write a figure as PNG through the project's atomic writer."""
    atomic_write(path, lambda fh: fig.savefig(fh, format="png"))


def dist_k(p: float, k: float) -> Distribution:
    return Distribution(p, k / math.sqrt(D), D)


def frontier_figure(numbers: dict) -> None:
    for k in (2.0, 3.0):
        dist = dist_k(0.95, k)
        fr = frontier.frontier(dist, n=201)
        fig = frontier_cli.plot(fr, frontier.reference_points(dist, fr.eps))
        _save(fig, FIG / f"beyond_frontier_k{k:g}.png")
        plt.close(fig)
    dist = dist_k(0.95, 3.0)
    rule, rob, _ = frontier.achiever(dist, 0.99)
    numbers["frontier_p095_k3_at_099"] = {"frontier": rob, "bound": bound_expression(0.99, 0.95)}
    d2 = dist_k(0.95, 2.0)
    a_b = bayes.bayes_accuracy(d2)
    numbers["frontier_p095_k2_at_bayes"] = {"bayes_accuracy": a_b,
                                            "frontier": frontier.achiever(d2, a_b)[1],
                                            "bound": bound_expression(a_b, 0.95)}


def ratio_figure(numbers: dict) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), dpi=120)
    table = {}
    for p in (0.75, 0.95, 0.99):
        for k in (1.0, 2.0, 3.0, 4.0):
            fr = frontier.frontier(dist_k(p, k), n=401)
            x = (fr.standard - p) / (fr.standard[-1] - p)  # 0 at f_rob, 1 at Bayes
            ratio = fr.ratio
            row = {"bayes_accuracy": float(fr.standard[-1]),
                   "ratio_at_bayes": float(ratio[-1]),
                   "max_gap": float(np.max(fr.gap)),
                   "gap_argmax_standard": float(fr.standard[int(np.argmax(fr.gap))]),
                   "fraction_of_range_ratio_ge_0.99": float(np.mean(ratio >= 0.99)),
                   "ratio_at_mid_range": float(np.interp(0.5, x, ratio))}
            table[f"p={p}, k={k}"] = row
            if p == 0.95:
                axes[0].plot(fr.standard, ratio, label=f"k = {k:g}")
            if k == 3.0:
                axes[1].plot(x, ratio, label=f"p = {p:g}")
    axes[0].set_xlabel("standard accuracy a")
    axes[0].set_ylabel("exact frontier / Theorem 2.1 bound")
    axes[0].set_title("p = 0.95, eps = 2*eta")
    axes[1].set_xlabel("(a - p) / (A_Bayes - p)")
    axes[1].set_title("k = 3, eps = 2*eta")
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        ax.set_ylim(0, 1.05)
    fig.tight_layout()
    _save(fig, FIG / "beyond_frontier_ratio.png")
    plt.close(fig)
    numbers["ratio_table"] = table


def eps_figure(numbers: dict) -> None:
    dist = dist_k(0.95, 3.0)
    fig, ax = plt.subplots(figsize=(6.6, 4.6), dpi=120)
    rows = {}
    for i, mult in enumerate((0.5, 1.0, 1.5, 2.0, 2.5, 3.0)):
        eps = mult * dist.eta
        fr = frontier.frontier(dist, eps, n=151, cells=12000)
        c = f"C{i}"
        gap = float(np.max(fr.certified_gap))
        ax.plot(fr.standard, fr.robust, color=c,
                label=f"eps = {mult:g} eta" + (" (exact)" if fr.proven
                                              else f" (certified to {gap:.1g})"))
        rows[f"{mult}*eta"] = {"status": fr.status,
                               "max_certified_gap": gap,
                               "robust_at_bayes": float(fr.robust[-1]),
                               "upper_at_bayes": float(fr.upper[-1])}
    a = np.linspace(0.95, 1.0, 100)
    ax.plot(a, np.minimum(bound_expression(a, 0.95), 1), "k--", lw=1,
            label="Theorem 2.1 (eps >= 2 eta)")
    ax.set_xlabel("standard accuracy")
    ax.set_ylabel("l_inf-robust accuracy")
    ax.set_title("p = 0.95, k = 3: the frontier at several radii")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    _save(fig, FIG / "beyond_frontier_eps.png")
    plt.close(fig)
    numbers["frontier_by_eps_p095_k3"] = rows
    study = Distribution(0.95, 0.03, 10_000)
    ref = {}
    for mult, a in ((2.5, 0.9747), (1.5, 0.9871)):
        eps = mult * study.eta
        _, rob, _ = frontier.achiever(study, a, eps)
        ref[f"{mult}*eta at a={a}"] = {
            "frontier": rob,
            "certified_upper": frontier.certified_upper(study, a, eps, cells=12000)[0],
            "single_shift_bound": frontier.single_shift_bound(study, a, eps)}
    numbers["study_reference_p095_k3_d1e4"] = ref


def optrobust_figure(numbers: dict) -> None:
    fig, ax = plt.subplots(figsize=(6.2, 4.2), dpi=120)
    for k in (1.0, 2.0, 3.0, 4.0):
        dist = dist_k(0.95, k)
        eps = np.linspace(0, min(3 * dist.eta, 0.999), 300)
        ax.plot(eps / dist.eta, [optrobust.optimal_robust_accuracy(dist, e) for e in eps],
                label=f"k = {k:g}")
    ax.axvline(1, color="k", lw=0.8, ls=":")
    ax.axvline(2, color="k", lw=0.8, ls="--")
    ax.text(1.02, 0.955, "eps = eta", fontsize=7)
    ax.text(2.02, 0.955, "eps = 2 eta (Thm 2.1)", fontsize=7)
    ax.set_xlabel("eps / eta")
    ax.set_ylabel("best l_inf-robust accuracy R*(eps)")
    ax.set_title("p = 0.95: robustness costs all of the weak features at eps = eta")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save(fig, FIG / "beyond_optrobust.png")
    plt.close(fig)
    d3 = dist_k(0.95, 3.0)
    numbers["optrobust_p095_k3"] = {f"{m}*eta": optrobust.optimal_robust_accuracy(d3, m * d3.eta)
                                    for m in (0.0, 0.25, 0.5, 0.75, 1.0)}


def separation_figure(numbers: dict, mnist: bool) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), dpi=120)
    if mnist:
        rep = separation.mnist_separation(seed=0)
        vals = {f"{n} {w}": rep[n][w].distance for n in ("inf", "2")
                for w in ("train_train", "test_train")}
        numbers["mnist"] = vals
        names = list(vals)
        axes[0].bar(names, list(vals.values()), color=["C0", "C0", "C1", "C1"])
        axes[0].axhline(0.6, color="C0", ls="--", label="2 x 0.3 (l_inf)")
        axes[0].axhline(3.0, color="C1", ls="--", label="2 x 1.5 (l_2)")
        axes[0].set_title("MNIST (5,000 bundled digits): min inter-class distance")
        axes[0].legend(fontsize=8)
        axes[0].tick_params(axis="x", labelsize=7)
    rows = {}
    for d in (10, 100, 1000):
        dist = Distribution(0.95, 3 / math.sqrt(d), d)
        seps = []
        for n in (100, 300, 1000, 2000):
            seps.append(separation.sample_separation(dist, n, 0).distance)
        rows[f"d={d}"] = {"eta": dist.eta, "2eps_at_eps_2eta": 4 * dist.eta,
                          "sample_sep_n100_300_1000_2000": seps,
                          "log10_q_at_4eta": separation.log_close_pair_probability(
                              dist, 4 * dist.eta) / math.log(10)}
        axes[1].plot([100, 300, 1000, 2000], np.array(seps) / (4 * dist.eta), "o-",
                     label=f"d = {d}, eta = 3/sqrt(d)")
    axes[1].axhline(1.0, color="k", ls="--", lw=1)
    axes[1].set_xscale("log")
    axes[1].set_xlabel("sample size n")
    axes[1].set_ylabel("sample separation / (2 x 2 eta)")
    axes[1].set_title("D(0.95, 3/sqrt(d), d): samples look separated; D is not")
    axes[1].legend(fontsize=8)
    axes[1].grid(alpha=0.3)
    fig.tight_layout()
    _save(fig, FIG / "beyond_separation.png")
    plt.close(fig)
    numbers["separation_D"] = rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-mnist", action="store_true", help="skip the MNIST measurement")
    args = ap.parse_args(argv)
    FIG.mkdir(parents=True, exist_ok=True)
    numbers: dict = {}
    frontier_figure(numbers)
    ratio_figure(numbers)
    eps_figure(numbers)
    optrobust_figure(numbers)
    separation_figure(numbers, not args.no_mnist)
    atomic_write_text(FIG / "beyond_numbers.json", json.dumps(numbers, indent=1, sort_keys=True))
    print(json.dumps(numbers, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
