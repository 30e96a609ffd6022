"""Per-dataset settings of the paper's experiments, each value tagged with where it comes from.

Tags (experiments.md): ``paper`` stated in the paper; ``code`` the authors' released Restricted
ImageNet code; ``repro`` third-party reproductions only; ``choose`` not recoverable, our default
(documented in docs/experiments/index.md). :data:`PROVENANCE` records the tag of every value;
:func:`dataset_settings` returns the plain values for one dataset and scale.

Scales:

- ``paper``: the paper's settings (a GPU box: ``--device cuda --scale paper``).
- ``quick``: a CPU demonstration in minutes (fewer steps, smaller grids, the bundled MNIST).
- ``micro``: seconds; used by the test-suite only (tiny sizes, one epoch).
"""

from __future__ import annotations

import copy
from typing import Any

SCALES = ("micro", "quick", "paper")
IMAGE_DATASETS = ("mnist", "cifar10", "restricted_imagenet")

# --------------------------------------------------------------------------- paper scale

_PAPER: dict[str, dict[str, Any]] = {
    "mnist": {
        "source": "mnist",  # torchvision MNIST (60,000 / 10,000)
        "model": "mnist_cnn",
        "eps": {"inf": 0.3, "2": 1.5},
        # PGD during training: 40 steps of 0.01 (l_inf); l_2: 40 steps of 2.5*eps/40.
        "train_attack": {"inf": {"steps": 40, "step_size": 0.01},
                         "2": {"steps": 40, "rel_step": 2.5 / 40}},
        "eval_attack": {"steps": 100, "rel_step": 2.5 / 100, "restarts": 5},
        "large_eps": {"2": {"eps": 4.0, "steps": 100, "step_size": 0.1, "random_start": False},
                      "inf": {"eps": 0.4, "steps": 100, "step_size": 0.01,
                              "random_start": False}},
        "optim": {"optimizer": "adam", "lr": 1e-4, "batch_size": 50, "train_steps": 100_000,
                  "momentum": 0.9, "weight_decay": 0.0, "nesterov": False,
                  "milestones_frac": [], "lr_gamma": 0.1},
        "fig1_eps": {"2": [0.0, 0.5, 1.0, 2.0], "inf": [0.0, 0.1, 0.2, 0.3]},
        "fig1_fractions": [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0],
        "fig7_eps": {"2": [0.0, 0.5, 1.0, 1.5, 2.0, 2.5], "inf": [0.0, 0.05, 0.1, 0.15, 0.2,
                                                                   0.25, 0.3]},
        "seeds": 3,
        "n_test": None,  # the whole test set
        "autoattack_version": "standard",
        "n_autoattack": 1000,
        "n_visual": 1000,
    },
    "cifar10": {
        "source": "cifar10",
        "model": "resnet18",
        "eps": {"inf": 4 / 255, "2": 0.314},
        "train_attack": {"inf": {"steps": 7, "step_size": 2 / 255},
                         "2": {"steps": 7, "rel_step": 0.25}},
        "eval_attack": {"steps": 20, "rel_step": 2.5 / 20, "restarts": 5},
        "large_eps": {"2": {"eps": 4.7, "steps": 100, "step_size": 0.1, "random_start": False},
                      "inf": {"eps": 32 / 255, "steps": 100, "step_size": 1 / 255,
                              "random_start": False}},
        # Madry et al.'s CIFAR-10 schedule: 80k steps of batch 128, drops at 40k and 60k.
        "optim": {"optimizer": "sgd", "lr": 0.1, "batch_size": 128, "train_steps": 80_000,
                  "momentum": 0.9, "weight_decay": 2e-4, "nesterov": False,
                  "milestones_frac": [0.5, 0.75], "lr_gamma": 0.1, "augment": "crop_flip"},
        "fig1_eps": {"2": [0.0, 0.25, 0.5, 1.0], "inf": [0.0, 2 / 255, 4 / 255, 8 / 255]},
        "fig1_fractions": [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0],
        "fig7_eps": {"2": [0.0, 0.125, 0.25, 0.5, 1.0],
                     "inf": [0.0, 1 / 255, 2 / 255, 4 / 255, 8 / 255]},
        "seeds": 3,
        "n_test": None,
        "autoattack_version": "standard",
        "n_autoattack": 1000,
        "n_visual": 1000,
    },
    "restricted_imagenet": {
        "source": "restricted_imagenet",
        "model": "resnet50",
        "eps": {"inf": 0.005, "2": 1.0},
        "train_attack": {"inf": {"steps": 8, "rel_step": 0.25},
                         "2": {"steps": 8, "rel_step": 0.25}},
        "eval_attack": {"steps": 20, "rel_step": 2.5 / 20, "restarts": 1},
        "large_eps": {"2": {"eps": 40.0, "steps": 40, "step_size": 1.5, "random_start": False},
                      "inf": {"eps": 0.25, "steps": 120, "step_size": 0.003,
                              "random_start": False}},
        # 110 epochs of 300 steps of batch 256; drops at epochs 30/60/85/95/105.
        "optim": {"optimizer": "sgd", "lr": 0.1, "batch_size": 256, "train_steps": 33_000,
                  "epochs": 110, "steps_per_epoch": 300, "milestones": [30, 60, 85, 95, 105],
                  "num_workers": 8,
                  "momentum": 0.9, "weight_decay": 1e-4, "nesterov": True,
                  "milestones_frac": [30 / 110, 60 / 110, 85 / 110, 95 / 110, 105 / 110],
                  "lr_gamma": 0.1},
        "fig1_eps": {"2": [0.0, 0.5, 1.0, 2.0], "inf": [0.0, 0.0025, 0.005, 0.01]},
        "fig1_fractions": [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0],
        "fig7_eps": {"2": [0.0, 0.5, 1.0, 2.0, 3.0], "inf": [0.0, 0.0025, 0.005, 0.01, 0.02]},
        "seeds": 1,
        "n_test": None,
        "autoattack_version": "standard",
        "n_autoattack": 500,
        "n_visual": 500,
    },
}

PROVENANCE: dict[str, dict[str, str]] = {
    "mnist": {
        "model": "repro", "eps": "repro", "train_attack.inf": "choose", "train_attack.2": "choose",
        "eval_attack": "choose", "large_eps.2.eps": "repro", "large_eps.2.steps": "choose",
        "large_eps.inf": "choose", "optim": "repro (Madry et al.'s MNIST challenge: Adam 1e-4, "
        "batch 50, 100k steps)", "fig1_eps": "choose", "fig1_fractions": "choose",
        "fig7_eps": "choose", "seeds": "choose",
    },
    "cifar10": {
        "model": "choose (ResNet-18; the paper used a TF-models ResNet)", "eps": "repro",
        "train_attack.inf": "choose", "train_attack.2": "choose", "eval_attack": "choose",
        "large_eps.2.eps": "repro", "large_eps.2.steps": "choose", "large_eps.inf": "choose",
        "optim": "repro (Madry et al.'s CIFAR-10 challenge: 80k steps, batch 128, lr 0.1, "
        "drops at 40k/60k, weight decay 2e-4)", "fig1_eps": "choose", "fig1_fractions": "choose",
        "fig7_eps": "choose", "seeds": "choose",
    },
    "restricted_imagenet": {
        "model": "code", "eps": "code", "train_attack": "code", "eval_attack": "choose",
        "large_eps": "code", "optim": "code", "fig1_eps": "choose", "fig1_fractions": "choose",
        "fig7_eps": "choose", "seeds": "choose (one: a ResNet-50 run costs GPU-days)",
    },
}

REFERENCES: dict[str, dict[str, Any]] = {
    "cifar10": {
        "paper_table_linf_4/255_robust": {"value": 0.5779, "source": "repro"},
        "madrylab_resnet50_l2_standard_by_eps": {
            "value": {"0": 0.9525, "0.25": 0.9277, "0.5": 0.9083, "1.0": 0.8162},
            "source": "MadryLab robustness library"},
        "madrylab_resnet50_linf_8/255": {
            "value": {"standard": 0.8703, "pgd100": 0.5329, "autoattack": 0.4925},
            "source": "MadryLab robustness library"},
        "madry_et_al_linf_8/255": {
            "value": {"standard": 0.8714, "pgd20": 0.4704, "autoattack": 0.4404},
            "source": "Madry et al. / AutoAttack"},
    },
}
"""Numbers from other sources to compare against (experiments.md, "Reference numbers")."""

# --------------------------------------------------------------------------- smaller scales

_QUICK: dict[str, dict[str, Any]] = {
    # The bundled 4,000 training digits; few epochs; short PGD.
    "mnist": {
        "source": "mnist-bundled",
        # The CNN costs ~0.7 s per batch of 64 on one busy CPU core (x(1 + PGD steps) when
        # adversarial): far beyond a few minutes. Quick scale uses an MLP [choose].
        "model": "mlp",
        "model_kw": {"hidden": [256, 256]},
        "train_attack": {"inf": {"steps": 4, "rel_step": 2.5 / 4},
                         "2": {"steps": 4, "rel_step": 2.5 / 4}},
        "eval_attack": {"steps": 20, "rel_step": 2.5 / 20, "restarts": 1},
        "large_eps": {"2": {"eps": 4.0, "steps": 40, "step_size": 0.25, "random_start": False},
                      "inf": {"eps": 0.4, "steps": 40, "step_size": 0.025,
                              "random_start": False}},
        "optim": {"optimizer": "adam", "lr": 1e-3, "batch_size": 64, "train_steps": 600,
                  "momentum": 0.9, "weight_decay": 0.0, "nesterov": False,
                  "milestones_frac": [0.75], "lr_gamma": 0.1, "max_epochs": 60},
        "fig1_eps": {"2": [0.0, 1.0, 2.0], "inf": [0.0, 0.1, 0.2]},
        "fig1_fractions": [0.05, 0.25, 1.0],
        "fig7_eps": {"2": [0.0, 0.5, 1.0, 2.0], "inf": [0.0, 0.1, 0.2, 0.3]},
        "seeds": 1,
        "n_test": None,
        "autoattack_version": "apgd",
        "n_autoattack": 200,
        "n_visual": 200,
    },
    "cifar10": {
        "train_attack": {"inf": {"steps": 3, "rel_step": 2.5 / 3},
                         "2": {"steps": 3, "rel_step": 2.5 / 3}},
        "eval_attack": {"steps": 10, "rel_step": 2.5 / 10, "restarts": 1},
        "optim": {"optimizer": "sgd", "lr": 0.05, "batch_size": 128, "train_steps": 2_000,
                  "momentum": 0.9, "weight_decay": 5e-4, "nesterov": False,
                  "milestones_frac": [0.5, 0.75], "lr_gamma": 0.1, "max_epochs": 200},
        "fig1_eps": {"2": [0.0, 0.5, 1.0], "inf": [0.0, 4 / 255, 8 / 255]},
        "fig1_fractions": [0.05, 0.25, 1.0],
        "fig7_eps": {"2": [0.0, 0.25, 0.5, 1.0], "inf": [0.0, 2 / 255, 4 / 255, 8 / 255]},
        "seeds": 1,
        "n_train_max": 10_000,
        "n_test": 2_000,
        "autoattack_version": "apgd",
        "n_autoattack": 200,
        "n_visual": 200,
    },
    "restricted_imagenet": {
        "model": "resnet18",
        "train_attack": {"inf": {"steps": 3, "rel_step": 2.5 / 3},
                         "2": {"steps": 3, "rel_step": 2.5 / 3}},
        "eval_attack": {"steps": 10, "rel_step": 2.5 / 10, "restarts": 1},
        "optim": {"optimizer": "sgd", "lr": 0.1, "batch_size": 128, "train_steps": 2_000,
                  "epochs": None, "steps_per_epoch": None, "milestones": None,
                  "momentum": 0.9, "weight_decay": 1e-4, "nesterov": True,
                  "milestones_frac": [0.5, 0.75], "lr_gamma": 0.1, "max_epochs": 200},
        "fig1_eps": {"2": [0.0, 1.0, 2.0], "inf": [0.0, 0.005, 0.01]},
        "fig1_fractions": [0.05, 0.25, 1.0],
        "fig7_eps": {"2": [0.0, 0.5, 1.0, 2.0], "inf": [0.0, 0.0025, 0.005, 0.01]},
        "seeds": 1,
        "n_train_max": 20_000,
        "n_test": 1_000,
        "autoattack_version": "apgd",
        "n_autoattack": 100,
        "n_visual": 100,
    },
}

_MICRO_COMMON: dict[str, Any] = {
    "source": "mnist-bundled",
    "model": "mlp",
    "model_kw": {"hidden": [32]},
    "train_attack": {"inf": {"steps": 2, "rel_step": 0.5}, "2": {"steps": 2, "rel_step": 0.5}},
    "eval_attack": {"steps": 3, "rel_step": 0.5, "restarts": 1},
    "large_eps": {"2": {"eps": 4.0, "steps": 3, "step_size": 1.5, "random_start": False},
                  "inf": {"eps": 0.4, "steps": 3, "step_size": 0.15, "random_start": False}},
    "optim": {"optimizer": "adam", "lr": 1e-3, "batch_size": 32, "train_steps": 4,
              "momentum": 0.9, "weight_decay": 0.0, "nesterov": False, "milestones_frac": [],
              "lr_gamma": 0.1, "max_epochs": 1},
    "fig1_eps": {"2": [0.0, 2.0], "inf": [0.0, 0.3]},
    "fig1_fractions": [0.5, 1.0],
    "fig7_eps": {"2": [0.0, 2.0], "inf": [0.0, 0.3]},
    "seeds": 1,
    "n_train_max": 120,
    "n_test": 60,
    "autoattack_version": "apgd",
    "n_autoattack": 8,
    "n_visual": 6,
}


def _deep_update(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict) and key != "eps":
            _deep_update(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def dataset_settings(dataset: str, scale: str) -> dict[str, Any]:
    """The settings of ``dataset`` (``"mnist"``, ``"cifar10"``, ``"restricted_imagenet"``).

    ``paper`` gives :data:`_PAPER` unchanged; ``quick`` and ``micro`` overlay smaller budgets.
    Micro scale always uses the bundled MNIST digits and the MNIST CNN whatever the dataset,
    so the test-suite never needs data on disk.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    if dataset not in _PAPER:
        raise ValueError(f"dataset must be one of {tuple(_PAPER)}, got {dataset!r}")
    out = copy.deepcopy(_PAPER[dataset])
    out.setdefault("n_train_max", None)
    out.setdefault("model_kw", {})
    # One intra-op thread at the small scales: measured 25x faster for small models on a busy
    # 2-core machine (thread-pool synchronisation dominates); None leaves torch's default.
    out["cpu_threads"] = None if scale == "paper" else 1
    out["optim"].setdefault("max_epochs", None)
    if scale == "quick":
        _deep_update(out, _QUICK[dataset])
    elif scale == "micro":
        base = copy.deepcopy(_PAPER["mnist"])
        base.update({"n_train_max": None, "cpu_threads": 1})
        out = _deep_update(base, _MICRO_COMMON)
    out["dataset"] = dataset
    return out


def attack_step_size(spec: dict[str, Any], eps: float) -> float:
    """Step size of a PGD spec: ``step_size`` when given, else ``rel_step * eps``."""
    if "step_size" in spec:
        return float(spec["step_size"])
    return float(spec["rel_step"]) * float(eps)
