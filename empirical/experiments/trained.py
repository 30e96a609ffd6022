"""Trained models of the experiments: build, train or load, and check that a robust model is.

:func:`trained_model` trains the model of a :class:`~tradeoff.empirical.experiments.specs.
TrainSpec` into ``OUT/models/<hash>/`` (``checkpoint/`` for resumption, the final weights
``model.pt`` as a ``state_dict`` loaded with ``weights_only=True``, and ``train.json``) or loads
it when it is there.

Every adversarially trained model with a ``check`` attack records its own robustness right
after training (:func:`robustness_check`): its accuracy under the evaluation PGD at its own
``eps_train`` on at most ``check_n`` held-out points (the test split, then the training
examples outside its training subset), next to the standard model's (same data,
architecture, optimizer and seed) on the same points. The model is *robust* when it is right
on clearly more points: a one-sided exact McNemar test on the paired outcomes at level
:data:`CHECK_ALPHA`. A model that fails is an error of the run (:func:`run_errors`), named in the
result and the report, never a silent data point.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import torch
from torch import nn
from tradeoff.empirical.distributed import is_main_process
from tradeoff.empirical.evaluate import correct_mask, pgd_attack
from tradeoff.empirical.experiments.context import Context
from tradeoff.empirical.experiments.datasets import dataset_from_spec, held_out_from_spec
from tradeoff.empirical.experiments.features import correlation_mask
from tradeoff.empirical.experiments.specs import TrainSpec
from tradeoff.empirical.experiments.stats import paired_check
from tradeoff.empirical.models import FeatureMask
from tradeoff.empirical.results import atomic_write_json, config_hash, read_json

from tradeoff._io import atomic_write

__all__ = ["CHECK_ALPHA", "build", "trained_model", "robustness_check", "model_record",
           "run_errors"]

CHECK_ALPHA = 1e-3
"""Level of the one-sided exact test that a robust model beats the standard model at its own
``eps_train`` [choose]."""


def build(spec: TrainSpec, train_data) -> nn.Module:
    """An untrained model for ``spec`` (with its feature mask when ``mask_top_k`` is set)."""
    from tradeoff.empirical.models import build_model

    torch.manual_seed(int(spec.seed))
    model = build_model(spec.model, num_classes=train_data.num_classes,
                        input_shape=tuple(train_data.input_shape), mean=train_data.mean,
                        std=train_data.std, **spec.model_kw)
    if spec.mask_top_k is not None:
        model = FeatureMask(correlation_mask(train_data, int(spec.mask_top_k)), model)
    return model


def _as_spec(spec: TrainSpec | Mapping[str, Any]) -> TrainSpec:
    return spec if isinstance(spec, TrainSpec) else TrainSpec.from_json(spec)


def trained_model(spec: TrainSpec | Mapping[str, Any], ctx: Context) -> tuple[nn.Module, dict]:
    """Train the model of ``spec`` (or load it when ``OUT/models/<hash>/model.pt`` exists).

    Returns the model on ``ctx.device`` in eval mode, and its record (``train.json``, with the
    robustness check of an adversarially trained model).
    """
    spec = _as_spec(spec)
    key = config_hash(spec.to_json())
    folder = ctx.store.model_dir(key)
    weights = folder / "model.pt"
    train_data = dataset_from_spec(spec.data, "train", ctx)
    model = build(spec, train_data)
    if weights.exists() and (folder / "train.json").exists():
        model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        model = model.to(ctx.device).eval()
        info = read_json(folder / "train.json")
        if spec.check is not None and "robustness" not in info:
            info["robustness"] = robustness_check(spec, model, ctx)
            if is_main_process():
                atomic_write_json(folder / "train.json", info)
        info["reused"] = True
        return model, info
    from tradeoff.empirical.train import train

    stages = spec.train_configs(len(train_data), device=ctx.device, box=train_data.box,
                                progress=ctx.progress)
    epochs, milestones = spec.schedule(len(train_data))
    ctx.say(f"  train {spec.model} {spec.method} norm={spec.norm} eps={spec.eps_train:.4g} "
            f"n={len(train_data)} epochs={epochs} seed={spec.seed}")
    model = model.to(ctx.device)
    start = time.perf_counter()
    record: Any = None
    for name, config in stages:
        record = train(model, train_data, config, checkpoint_dir=folder / name)
    info: dict[str, Any] = {"spec": spec.to_json(), "key": key, "n_train": len(train_data),
                            "epochs": epochs, "lr_milestones": milestones,
                            "train_time_s": time.perf_counter() - start,
                            "record": _summarize_record(record)}
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    model.eval()
    if spec.check is not None:
        info["robustness"] = robustness_check(spec, model, ctx)
    if is_main_process():  # under torchrun only rank 0 writes; the others hold the same model
        atomic_write(weights, lambda fh: torch.save(state, fh))
        atomic_write_json(folder / "train.json", info)
    info["reused"] = False
    return model, info


def robustness_check(spec: TrainSpec, model: nn.Module, ctx: Context) -> dict[str, Any]:
    """PGD accuracy at ``eps_train`` of the robust ``model`` and of its standard counterpart on
    the same at most ``check_n`` held-out points (:func:`~tradeoff.empirical.experiments.
    datasets.held_out_from_spec`: the test split, then training examples outside the model's
    training subset); ``robust`` when the exact one-sided McNemar test
    of "the robust model is right on more points" has a p-value at most :data:`CHECK_ALPHA`."""
    if spec.check is None:
        raise ValueError("robustness_check needs a spec with a check attack")
    test = held_out_from_spec(spec.data, ctx, int(spec.check_n))
    eps = spec.eps_train
    attack = pgd_attack(eps=eps, norm=spec.norm, box=test.box, **spec.check.pgd_kwargs(eps))
    seed_state = torch.get_rng_state()
    torch.manual_seed(spec.seed)
    mine = correct_mask(model, test, device=ctx.device, attack=attack)
    standard, _ = trained_model(spec.standard_counterpart(), ctx)
    torch.manual_seed(spec.seed)
    theirs = correct_mask(standard, test, device=ctx.device, attack=attack)
    torch.set_rng_state(seed_state)
    return {"eps": eps, "norm": spec.norm, "n": int(mine.size), "attack": spec.check.to_json(),
            "step_size": spec.check.step_size(eps),
            "robust_accuracy": float(mine.mean()), "standard_model_accuracy": float(theirs.mean()),
            **paired_check(mine, theirs, alpha=CHECK_ALPHA)}


def model_record(info: Mapping[str, Any]) -> dict[str, Any]:
    """A trained model in a point's metrics: its key, recipe in brief and robustness check."""
    spec = info["spec"]
    return {"key": info["key"], "method": spec["method"], "norm": spec["norm"],
            "eps_train": spec["eps_train"], "model": spec["model"], "seed": spec["seed"],
            "n_train": info.get("n_train"), "robustness": info.get("robustness")}


def run_errors(records: Iterable[Mapping[str, Any]]) -> tuple[list[dict], list[str]]:
    """Every adversarially trained model used by ``records`` (deduplicated) with its check, and
    one error line per model that is not robust at its own ``eps_train``."""
    models: dict[str, dict] = {}
    for rec in records:
        for entry in rec.get("metrics", {}).get("trained", []):
            if entry.get("robustness") is not None:
                models.setdefault(entry["key"], dict(entry))
    errors = []
    for entry in models.values():
        r = entry["robustness"]
        if not r["robust"]:
            errors.append(
                f"model {entry['key']} ({entry['model']}, {entry['method']} l_{entry['norm']} "
                f"eps_train {entry['eps_train']:.4g}, n_train {entry['n_train']}, seed "
                f"{entry['seed']}) is not robust at its eps_train: PGD accuracy "
                f"{100 * r['robust_accuracy']:.1f}% vs the standard model's "
                f"{100 * r['standard_model_accuracy']:.1f}% on {r['n']} test points "
                f"(one-sided exact McNemar p = {r['p_value']:.2g} > {r['alpha']:g})")
    return list(models.values()), errors


def _summarize_record(record: Any) -> Any:
    """Keep the JSON-able, short part of ``train``'s return value."""
    if not isinstance(record, Mapping):
        return None
    out = {}
    for k, v in record.items():
        if isinstance(v, int | float | str | bool) or v is None:
            out[k] = v
        elif isinstance(v, list | tuple) and len(v) <= 400 and all(
                isinstance(a, int | float) for a in v):
            out[k] = list(v)
    return out
