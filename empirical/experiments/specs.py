"""Training specs: one model's complete recipe, validated, hashable, and its own TrainConfig.

A :class:`TrainSpec` is frozen and checked at construction (an adversarial spec's attack must
reach the boundary of its ``eps_train`` ball). Its JSON form (:meth:`TrainSpec.to_json`) is part
of the grid points; its hash names the folder ``OUT/models/<hash>/`` that holds the model, so
equal specs in different experiments (E-TABLE's models are E-FIG2/3/4's) are trained once.
:meth:`TrainSpec.train_config` builds the :class:`~tradeoff.empirical.train.TrainConfig` of the
run (or of one warm-up stage) once the training-set size is known.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tradeoff.empirical.experiments.settings import AttackSpec, OptimSpec, Step

__all__ = ["TrainSpec", "attack_from_json", "optim_from_json"]

_METHODS = ("standard", "pgd", "mixed", "trades")


def attack_from_json(data: Mapping[str, Any]) -> AttackSpec:
    """The :class:`AttackSpec` of :meth:`AttackSpec.to_json`'s output."""
    step = data["step"]
    return AttackSpec(int(data["steps"]), Step(float(step["value"]), bool(step["relative"])),
                      int(data["restarts"]), bool(data["random_start"]), data["iterate"],
                      data["source"], data.get("schedule", "constant"))


def optim_from_json(data: Mapping[str, Any]) -> OptimSpec:
    """The :class:`OptimSpec` of :meth:`OptimSpec.to_json`'s output (lists become tuples)."""
    optim = dict(data)
    for key in ("milestones_frac", "milestones"):
        if optim.get(key) is not None:
            optim[key] = tuple(optim[key])
    return OptimSpec(**optim)


@dataclass(frozen=True)
class TrainSpec:
    """The recipe of one trained model.

    ``eps_train = 0`` (or ``method="standard"``) is standard training whatever the norm: the
    spec is normalised to ``norm="none"``, no attack, no warm-up, no robustness check, so every
    experiment's standard model of the same data and seed is one model.

    ``check`` is the evaluation attack with which an adversarially trained model measures its own
    robust accuracy at ``eps_train`` on ``check_n`` held-out test points after training (and
    compares it with the standard model of the same data and seed).
    ``eps_ramp = r > 0`` warms adversarial training up: epoch ``j < r`` trains at
    ``eps_train * (j + 1) / r``.
    """

    data: Mapping[str, Any]
    model: str
    method: str
    norm: str
    eps_train: float
    attack: AttackSpec | None
    optim: OptimSpec
    seed: int
    model_kw: Mapping[str, Any] = field(default_factory=dict)
    mixed_ratio: float | None = None
    mask_top_k: int | None = None
    eps_ramp: int = 0
    check: AttackSpec | None = None
    check_n: int | None = None

    def __post_init__(self) -> None:
        if self.method not in _METHODS:
            raise ValueError(f"method must be one of {_METHODS}, got {self.method!r}")
        if self.eps_train == 0 or self.method == "standard":
            for name, value in (("method", "standard"), ("eps_train", 0.0), ("norm", "none"),
                                ("attack", None), ("mixed_ratio", None), ("eps_ramp", 0),
                                ("check", None), ("check_n", None)):
                object.__setattr__(self, name, value)
        else:
            if self.norm not in ("inf", "2"):
                raise ValueError(f"norm must be 'inf' or '2', got {self.norm!r}")
            if not math.isfinite(self.eps_train) or self.eps_train < 0:
                raise ValueError(f"eps_train must be finite and >= 0, got {self.eps_train}")
            if self.attack is None:
                raise ValueError(f"method {self.method!r} needs a training attack")
            self.attack.check(self.eps_train, f"l_{self.norm} training attack at eps_train "
                              f"{self.eps_train:.4g}")
            if self.method == "mixed":
                if self.mixed_ratio is None or not 0 <= self.mixed_ratio <= 1:
                    raise ValueError(f"mixed_ratio must be in [0, 1], got {self.mixed_ratio}")
            else:
                object.__setattr__(self, "mixed_ratio", None)
            if self.check is not None:
                self.check.check(self.eps_train, "robustness-check attack")
                if self.check_n is None or self.check_n < 1:
                    raise ValueError(f"check_n must be an integer >= 1, got {self.check_n!r}")
        object.__setattr__(self, "eps_train", float(self.eps_train))
        object.__setattr__(self, "data", dict(self.data))
        object.__setattr__(self, "model_kw", dict(self.model_kw or {}))

    @property
    def adversarial(self) -> bool:
        """Whether the model is adversarially trained."""
        return self.method != "standard"

    def standard_counterpart(self) -> TrainSpec:
        """The standard model of the same data, architecture, optimizer and seed."""
        return dataclasses.replace(self, method="standard", eps_train=0.0)

    def to_json(self) -> dict[str, Any]:
        """JSON form (grid points hold it; its hash names the model's folder)."""
        out: dict[str, Any] = {
            "data": dict(self.data), "model": self.model, "model_kw": dict(self.model_kw),
            "method": self.method, "norm": self.norm, "eps_train": self.eps_train,
            "attack": None if self.attack is None else self.attack.to_json(),
            "optim": self.optim.to_json(), "seed": self.seed,
        }
        for name in ("mixed_ratio", "mask_top_k"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.eps_ramp:
            out["eps_ramp"] = self.eps_ramp
        if self.check is not None:
            out["check"] = {"attack": self.check.to_json(), "n": self.check_n}
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrainSpec:
        """Inverse of :meth:`to_json`."""
        check = data.get("check")
        return cls(data=data["data"], model=data["model"], model_kw=data.get("model_kw", {}),
                   method=data["method"], norm=data["norm"], eps_train=float(data["eps_train"]),
                   attack=None if data.get("attack") is None else attack_from_json(
                       data["attack"]),
                   optim=optim_from_json(data["optim"]), seed=int(data["seed"]),
                   mixed_ratio=data.get("mixed_ratio"), mask_top_k=data.get("mask_top_k"),
                   eps_ramp=int(data.get("eps_ramp", 0)),
                   check=None if check is None else attack_from_json(check["attack"]),
                   check_n=None if check is None else int(check["n"]))

    def schedule(self, n: int) -> tuple[int, list[int]]:
        """``(epochs, lr_milestones)`` for ``n`` training examples.

        A fixed budget of ``optim.train_steps`` optimizer steps (not a fixed epoch count), so
        the small training sets of E-FIG1 are not under-trained; capped by ``max_epochs``. An
        explicit ``optim.epochs`` (with ``milestones``; Restricted ImageNet [code]) overrides it.
        """
        optim = self.optim
        if optim.epochs:
            if optim.milestones:
                return int(optim.epochs), [int(m) for m in optim.milestones]
            epochs = int(optim.epochs)
        else:
            steps_per_epoch = max(1, math.ceil(n / optim.batch_size))
            epochs = max(1, math.ceil(optim.train_steps / steps_per_epoch))
            if optim.max_epochs:
                epochs = min(epochs, int(optim.max_epochs))
        milestones = sorted({max(1, round(f * epochs)) for f in optim.milestones_frac
                             if round(f * epochs) < epochs})
        return epochs, milestones

    def train_configs(self, n: int, *, device: str, box: Any, progress: bool = False):
        """``[(stage_name, TrainConfig)]``: the warm-up stages (one epoch each, folder
        ``ramp<j>``), then the main run (folder ``checkpoint``)."""
        from tradeoff.empirical.train import TrainConfig

        epochs, milestones = self.schedule(n)
        optim = self.optim
        base = {
            "method": self.method, "eps_train": self.eps_train,
            "norm": self.norm if self.adversarial else "inf",
            "attack_steps": self.attack.steps if self.attack else 0,
            "attack_step_size": self.attack.step_size(self.eps_train) if self.attack else 0.0,
            "attack_restarts": self.attack.restarts if self.attack else 1,
            "random_start": self.attack.random_start if self.attack else True,
            "epochs": epochs, "batch_size": optim.batch_size, "lr": optim.lr,
            "momentum": optim.momentum, "weight_decay": optim.weight_decay,
            "nesterov": optim.nesterov, "lr_milestones": tuple(milestones),
            "lr_gamma": optim.lr_gamma, "optimizer": optim.optimizer, "augment": optim.augment,
            "steps_per_epoch": optim.steps_per_epoch, "num_workers": optim.num_workers,
            "seed": self.seed, "device": device, "box": box, "progress": progress,
        }
        if self.mixed_ratio is not None:
            base["mixed_ratio"] = self.mixed_ratio
        stages = []
        n_ramp = min(self.eps_ramp, epochs - 1)
        for j in range(n_ramp):
            eps_j = self.eps_train * (j + 1) / self.eps_ramp
            stages.append((f"ramp{j}", TrainConfig(**{
                **base, "eps_train": eps_j, "attack_step_size": self.attack.step_size(eps_j),
                "epochs": 1, "lr_milestones": (), "seed": self.seed + j})))
        if n_ramp:
            base["epochs"] = epochs - n_ramp
            base["lr_milestones"] = tuple(sorted({max(0, m - n_ramp) for m in milestones}))
        stages.append(("checkpoint", TrainConfig(**base)))
        return stages
