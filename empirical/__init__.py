"""Empirical side of the suite (PyTorch): data, models, attacks, training, evaluation.

The only package of the project that imports torch. Claims: E-SYN, E-FIG1, E-FIG7, E-APPB,
E-TABLE, E-FIG2, E-FIG3, E-FIG4, E-LIN (docs/experiments/index.md).

Data (:mod:`tradeoff.empirical.data`)
    ArrayDataset(x, y, *, num_classes, mean, std, box, name)
    load_dataset(name, *, split="train", root=None, download=False)
    synthetic_dataset(dist, n, seed)
    stratified_subset(dataset, n, seed)
Models (:mod:`tradeoff.empirical.models`)
    build_model(name, *, num_classes, input_shape, mean=None, std=None, **kw)
    linear_weights(model) -> (w, b)
Attacks (:mod:`tradeoff.empirical.attacks`)
    pgd(model, x, y, *, eps, norm, steps, step_size, random_start=True, restarts=1,
        box=(0.0, 1.0), loss="ce", generator=None)
    shift_attack(x, y_index, eta)
    autoattack(model, x, y, *, eps, norm, num_classes, version="standard", seed=0,
               batch_size=256, box=(0.0, 1.0), n_iter=100, n_queries=5000)
Evaluation (:mod:`tradeoff.empirical.evaluate`)
    accuracy(model, data, *, attack=None, batch_size=256, device=None)
    evaluate_suite(model, data, *, eps, norm, pgd_steps, pgd_step_size, restarts=1,
                   autoattack=True, box="data", ...)
Training (:mod:`tradeoff.empirical.train`)
    TrainConfig(...), train(model, train_data, config, *, checkpoint_dir=None, eval_data=None)
    seed_everything(seed), load_checkpoint(path)
"""

import importlib
from typing import Any

# Public name -> module that defines it. Imported on first use, so that importing the package
# (e.g. for the ``tradeoff`` command's registration of ``run``) does not import torch.
_EXPORTS = {
    "autoattack": "attacks",
    "in_threat_model": "attacks",
    "pgd": "attacks",
    "shift_attack": "attacks",
    "ArrayDataset": "data",
    "load_dataset": "data",
    "stratified_subset": "data",
    "synthetic_dataset": "data",
    "accuracy": "evaluate",
    "evaluate_suite": "evaluate",
    "build_model": "models",
    "linear_weights": "models",
    "TrainConfig": "train",
    "seed_everything": "train",
    "load_checkpoint": "train",
    "train": "train",
}

__all__ = [
    "ArrayDataset",
    "TrainConfig",
    "accuracy",
    "autoattack",
    "build_model",
    "evaluate_suite",
    "in_threat_model",
    "linear_weights",
    "load_checkpoint",
    "load_dataset",
    "pgd",
    "seed_everything",
    "shift_attack",
    "stratified_subset",
    "synthetic_dataset",
    "train",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"tradeoff.empirical.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'tradeoff.empirical' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
