"""The paper's experiments as named, re-runnable configurations (docs/experiments/index.md).

Every experiment module answers the same small protocol:

``NAME``, ``CLAIMS`` (claim IDs), ``TITLE``, ``PAPER_CLAIM`` (claim ID -> the paper's statement),
``DATASETS``, ``DEFAULT_DATASET`` and

- ``config(scale, dataset, seed) -> dict`` — the full configuration (hashed and recorded);
- ``points(config) -> list[dict]`` — the independent grid points;
- ``run_point(point, ctx) -> dict`` — train/evaluate one point, return its metrics;
- ``summarize(config, records) -> dict`` — ``{"claims": [...], "tables": {...}}``;
- ``plot(config, records, summary, path)`` — write the PNG figure.

:func:`run_experiment` drives it (see :mod:`tradeoff.empirical.experiments.runner`).

========  ==========  =======================================================================
name      claim ID    what it measures
========  ==========  =======================================================================
syn       E-SYN       linear model and MLP on D(p, eta, d): standard vs adversarial training
fig1      E-FIG1      standard accuracy vs training-set size, one curve per eps_train
fig7      E-FIG7      standard accuracy vs eps_train (full training set)
appb      E-APPB      the same with 50/50 natural/adversarial training batches
table     E-TABLE     clean, PGD and AutoAttack accuracy of standard vs robust models
fig2      E-FIG2      input-gradient alignment with the class-mean difference
fig3      E-FIG3      large-eps targeted examples judged by an independent robust model
fig4      E-FIG4      interpolation x -> x_adv (20 points): smoothness of the path
lin       E-LIN       linear models on MNIST: weight on weakly correlated pixels
========  ==========  =======================================================================
"""

from __future__ import annotations

import importlib
from types import ModuleType

from tradeoff.empirical.experiments.settings import SCALES

EXPERIMENTS: dict[str, tuple[str, str]] = {
    "syn": ("E-SYN", "linear model and MLP on D(p, eta, d): standard vs adversarial training"),
    "fig1": ("E-FIG1", "standard accuracy vs training-set size, one curve per eps_train"),
    "fig7": ("E-FIG7", "standard accuracy vs the training adversary's eps"),
    "appb": ("E-APPB", "standard accuracy vs eps_train with 50/50 mixed batches"),
    "table": ("E-TABLE", "clean, PGD and AutoAttack accuracy, standard vs robust models"),
    "fig2": ("E-FIG2", "input-gradient alignment, robust vs standard models"),
    "fig3": ("E-FIG3", "large-eps l_2 examples judged by an independent robust model"),
    "fig4": ("E-FIG4", "interpolation x -> x_adv: smoothness of the target probability"),
    "lin": ("E-LIN", "linear models on MNIST: weight on weakly correlated pixels"),
}
"""Experiment name -> (claim ID, one-line description); importing this needs no experiment."""


def get_experiment(name: str) -> ModuleType:
    """The module of experiment ``name`` (imported on first use)."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)}")
    return importlib.import_module(f"tradeoff.empirical.experiments.{name}")


def __getattr__(attr: str):
    if attr == "run_experiment":
        from tradeoff.empirical.experiments.runner import run_experiment

        return run_experiment
    raise AttributeError(attr)


__all__ = ["EXPERIMENTS", "SCALES", "get_experiment", "run_experiment"]
