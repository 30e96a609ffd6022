"""Result files of the empirical experiments: configuration hashes, atomic writes, a point store.

Every experiment is a grid of independent *points* (dataset x eps_train x training size x seed).
A point is identified by the hash of its configuration (:func:`config_hash`); its JSON lives in
``OUT/points/<hash>/point.json`` and a trained model in ``OUT/models/<hash>/``. Files are written
atomically (temporary file in the same folder, then :func:`os.replace`), so a killed run leaves
either the old file or the new one, never half of one, and a re-run skips every point whose JSON
exists (docs/architecture.md, "Scale").

The experiment-level file ``OUT/<experiment>-<dataset>-<scale>-seed<S>.json`` follows
:data:`SCHEMA`: ``claims`` (one entry per claim ID with ``confirmed`` and the numbers behind it),
``config``, ``config_hash``, ``scale``, ``device``, ``seeds``, ``versions``, ``wall_time_s``, the
figure's file name and the per-point results.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tradeoff._io import atomic_write_text

__all__ = [
    "SCHEMA",
    "POINT_SCHEMA",
    "REQUIRED_KEYS",
    "CLAIM_KEYS",
    "to_jsonable",
    "canonical_json",
    "config_hash",
    "atomic_write_json",
    "read_json",
    "versions",
    "device_description",
    "PointStore",
    "result_filename",
    "validate_result",
    "find_results",
]

SCHEMA = "tradeoff.empirical.result/1"
"""Value of the ``schema`` key of every experiment-level result file."""

POINT_SCHEMA = "tradeoff.empirical.point/1"
"""Value of the ``schema`` key of every grid-point file."""

REQUIRED_KEYS = (
    "schema",
    "experiment",
    "claims",
    "config",
    "config_hash",
    "scale",
    "dataset",
    "device",
    "seeds",
    "versions",
    "wall_time_s",
    "figure",
    "points",
)
"""Keys every experiment-level result file holds (checked by :func:`validate_result`)."""

CLAIM_KEYS = ("id", "confirmed", "statement", "numbers", "criterion")
"""Keys of every entry of a result's ``claims`` list."""


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, tuples and paths into plain JSON types.

    Non-finite floats become the strings ``"nan"``, ``"inf"`` and ``"-inf"`` so that the files
    stay strict JSON (``json.loads`` of other tools rejects bare ``NaN``).
    """
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.bool_ | bool):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        x = float(obj)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(obj, Path):
        return str(obj)
    return obj


def canonical_json(obj: Any) -> str:
    """Key-sorted, whitespace-free JSON: the text that :func:`config_hash` digests."""
    return json.dumps(to_jsonable(obj), sort_keys=True, separators=(",", ":"))


def config_hash(config: Mapping[str, Any], *, length: int = 16) -> str:
    """Hex SHA-256 prefix of the canonical JSON of ``config``.

    Equal configurations (whatever their key order, tuple or list) give equal hashes; a change of
    any value gives a different one, so a finished grid point is found again by its hash alone.
    """
    if not isinstance(config, Mapping):
        raise TypeError(f"config must be a mapping, got {type(config).__name__}")
    if not 8 <= length <= 64:
        raise ValueError(f"length must be in [8, 64], got {length}")
    return hashlib.sha256(canonical_json(config).encode()).hexdigest()[:length]


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """Write ``obj`` as indented strict JSON to ``path`` atomically (see :func:`to_jsonable`)."""
    text = json.dumps(to_jsonable(obj), indent=2, sort_keys=False, allow_nan=False)
    return atomic_write_text(path, text + "\n")


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file written by :func:`atomic_write_json`."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def versions() -> dict[str, str]:
    """Versions of Python, numpy, torch (if importable) and this package, for provenance."""
    out = {"python": platform.python_version(), "numpy": np.__version__}
    try:
        import torch

        out["torch"] = torch.__version__
        out["cuda"] = str(torch.version.cuda) if torch.version.cuda else "none"
    except ImportError:  # pragma: no cover - the empirical package requires torch
        out["torch"] = "not installed"
    try:
        from importlib.metadata import version

        out["tradeoff"] = version("tradeoff")
    except Exception:  # pragma: no cover - e.g. running from a source tree
        out["tradeoff"] = "unknown"
    return out


def device_description(device: str) -> str:
    """Human-readable description of ``device`` ("cpu: 2 cores ..." or the GPU's name)."""
    if device.startswith("cuda"):
        import torch

        idx = torch.device(device).index or 0
        return f"{device}: {torch.cuda.get_device_name(idx)}"
    cores = os.cpu_count() or 0
    return f"cpu: {cores} cores, {platform.processor() or platform.machine()}"


class PointStore:
    """Folder of finished grid points, each in ``root/points/<hash>/point.json``.

    Parameters
    ----------
    root : path
        The experiment output folder (``--out``).
    """

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def point_dir(self, key: str) -> Path:
        """Folder of the point with hash ``key``."""
        return self.root / "points" / key

    def model_dir(self, key: str) -> Path:
        """Folder of the trained model with hash ``key`` (checkpoints and final weights)."""
        return self.root / "models" / key

    def point_path(self, key: str) -> Path:
        return self.point_dir(key) / "point.json"

    def load(self, key: str) -> dict | None:
        """The stored point with hash ``key``, or ``None`` when it is not finished."""
        path = self.point_path(key)
        if not path.exists():
            return None
        try:
            data = read_json(path)
        except (OSError, json.JSONDecodeError):
            return None  # unreadable: treat as not finished and recompute
        if data.get("schema") != POINT_SCHEMA or data.get("key") != key:
            return None
        return data

    def save(self, key: str, point: Mapping[str, Any], metrics: Mapping[str, Any],
             **extra: Any) -> dict:
        """Write a finished point atomically and return what was written."""
        record = {"schema": POINT_SCHEMA, "key": key, "point": dict(point),
                  "metrics": dict(metrics), **extra}
        atomic_write_json(self.point_path(key), record)
        return to_jsonable(record)


def result_filename(experiment: str, dataset: str, scale: str, seed: int) -> str:
    """Stem of the experiment-level files: ``<experiment>-<dataset>-<scale>-seed<seed>``."""
    return f"{experiment}-{dataset}-{scale}-seed{seed}"


def validate_result(data: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` naming the first missing or malformed key of a result file."""
    for key in REQUIRED_KEYS:
        if key not in data:
            raise ValueError(f"result file lacks the key {key!r}")
    if data["schema"] != SCHEMA:
        raise ValueError(f"schema must be {SCHEMA!r}, got {data['schema']!r}")
    claims = data["claims"]
    if not isinstance(claims, list) or not claims:
        raise ValueError("claims must be a non-empty list")
    for i, claim in enumerate(claims):
        for key in CLAIM_KEYS:
            if key not in claim:
                raise ValueError(f"claims[{i}] lacks the key {key!r}")
        if not isinstance(claim["confirmed"], bool):
            raise ValueError(f"claims[{i}].confirmed must be true or false")
    for key in ("torch", "numpy"):
        if key not in data["versions"]:
            raise ValueError(f"versions lacks {key!r}")


def find_results(folder: str | os.PathLike[str]) -> list[Path]:
    """Every experiment-level result file under ``folder`` (recursively), sorted by name.

    Grid-point files (``points/*/point.json``) and files of other schemas are skipped.
    """
    folder = Path(folder)
    found = []
    for path in sorted(folder.rglob("*.json")):
        if "points" in path.relative_to(folder).parts[:-1]:
            continue
        try:
            data = read_json(path)
        except (OSError, json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and data.get("schema") == SCHEMA:
            found.append(path)
    return found
