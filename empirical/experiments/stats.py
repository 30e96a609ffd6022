"""Statistics of the experiments' verdicts: seed spread, paired tests, claim entries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from scipy.stats import binom

__all__ = ["mean_spread", "paired_bootstrap_lower", "exact_paired_p_value", "paired_check",
           "resolved", "claim"]


def mean_spread(values: Iterable[float]) -> dict[str, float]:
    """Mean, sample standard deviation (0 for one value), min, max and count."""
    arr = np.asarray(list(values), dtype=float)
    if arr.size == 0:
        raise ValueError("mean_spread needs at least one value")
    return {"mean": float(arr.mean()), "std": float(arr.std(ddof=1)) if arr.size > 1 else 0.0,
            "min": float(arr.min()), "max": float(arr.max()), "n": int(arr.size)}


def resolved(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, Any]:
    r"""Compare two seed groups (outputs of :func:`mean_spread`) by E-FIG1's criterion.

    The difference of means :math:`\Delta = \bar a - \bar b` counts only where it exceeds the
    seeds' spread :math:`s_\Delta = \sqrt{s_a^2 + s_b^2}` (the standard deviation of the
    difference of one seed of each): ``"above"`` when :math:`\Delta > s_\Delta`, ``"below"``
    when :math:`\Delta < -s_\Delta`, else ``"tie"``. With one seed each, :math:`s_\Delta = 0`.
    """
    diff = float(a["mean"] - b["mean"])
    spread = float(np.hypot(a["std"], b["std"]))
    verdict = "above" if diff > spread else "below" if diff < -spread else "tie"
    return {"difference": diff, "spread": spread, "verdict": verdict}


def exact_paired_p_value(better: int, worse: int) -> float:
    r"""One-sided exact McNemar test: P(Binomial(b + c, 1/2) >= b).

    ``better`` (``b``) counts the examples only the first model gets right, ``worse`` (``c``)
    those only the second gets right; small values say the first model is more accurate.
    """
    better, worse = int(better), int(worse)
    if better < 0 or worse < 0:
        raise ValueError(f"counts must be >= 0, got {better}, {worse}")
    n = better + worse
    if n == 0:
        return 1.0
    return float(binom.sf(better - 1, n, 0.5))


def paired_check(mine, theirs, *, alpha: float) -> dict[str, Any]:
    """Is the first model right on more points than the second? Per-point correctness masks of
    the same points (``mine``, ``theirs``), the discordant counts, the one-sided exact McNemar
    p-value (:func:`exact_paired_p_value`) and ``robust``: ``p_value <= alpha``.

    The robustness check of a trained model (``trained.robustness_check``) and the GPU
    acceptance run both decide with it.
    """
    mine, theirs = np.asarray(mine, dtype=bool), np.asarray(theirs, dtype=bool)
    if mine.shape != theirs.shape:
        raise ValueError(f"mine and theirs must have the same shape, got {mine.shape} and "
                         f"{theirs.shape}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    better, worse = int((mine & ~theirs).sum()), int((~mine & theirs).sum())
    p_value = exact_paired_p_value(better, worse)
    return {"only_robust_right": better, "only_standard_right": worse, "p_value": p_value,
            "alpha": alpha, "robust": bool(p_value <= alpha)}


def paired_bootstrap_lower(diff, *, level: float = 0.95, reps: int = 2000,
                           seed: int = 0) -> float:
    """One-sided lower bound of level ``level`` for the mean of ``diff`` (percentile bootstrap)."""
    diff = np.asarray(diff, dtype=float)
    if diff.size == 0:
        return float("nan")
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, diff.size, size=(reps, diff.size))].mean(1)
    return float(np.quantile(means, 1 - level))


def claim(cid: str, *, confirmed: bool, statement: str, criterion: str,
          numbers: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """One entry of a result's ``claims`` list."""
    return {"id": cid, "confirmed": bool(confirmed), "statement": statement,
            "criterion": criterion, "numbers": dict(numbers), **extra}
