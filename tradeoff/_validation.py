"""Eager argument validation shared by the public API.

Every public function validates its inputs here and raises ``ValueError`` (or ``TypeError``)
with a message that names the parameter and its allowed range; nothing downstream ever sees a
NaN, a silently clipped value or an array of the wrong shape.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = [
    "NORMS",
    "as_generator",
    "check_bias",
    "check_design",
    "check_dist",
    "check_int",
    "check_labels",
    "check_norm",
    "check_real",
    "check_vector",
    "check_weights",
]

NORMS = ("inf", "2")


def check_real(name: str, value: object, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a finite float inside the stated interval, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    x = float(value)
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    rng = f"{lo}{'-inf' if low is None else low}, {'inf' if high is None else high}{hi}"
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite and in {rng}, got {value!r}")
    if low is not None and (x < low or (low_open and x == low)):
        raise ValueError(f"{name} must be in {rng}, got {value!r}")
    if high is not None and (x > high or (high_open and x == high)):
        raise ValueError(f"{name} must be in {rng}, got {value!r}")
    return x


def check_int(name: str, value: object, *, low: int = 1) -> int:
    """Return ``value`` as an int ``>= low`` (bools and non-integral floats are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {low}, got {value!r}")
    if int(value) < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def check_norm(norm: object) -> str:
    """Normalise the threat-model norm to ``"inf"`` or ``"2"``."""
    key = str(norm).lower().replace("l", "", 1) if isinstance(norm, str | int | float) else None
    if key in ("inf", "infinity", "np.inf"):
        return "inf"
    if key in ("2", "2.0"):
        return "2"
    if isinstance(norm, float) and math.isinf(norm):
        return "inf"
    raise ValueError(f"norm must be one of {NORMS} (l_inf or l_2), got {norm!r}")


def check_weights(w: object, dim: int, name: str = "w") -> np.ndarray:
    """Return ``w`` as a float array of shape ``(dim,)`` or ``(m, dim)`` with finite entries."""
    raw = np.asarray(w)
    if raw.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {raw.dtype}")
    arr = raw.astype(float)
    if arr.ndim not in (1, 2) or arr.shape[-1] != dim:
        raise ValueError(
            f"{name} must have shape (d+1,) = ({dim},) or (m, {dim}) for m classifiers, "
            f"got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must have finite entries")
    return arr


def check_bias(b: object, m: int | None, name: str = "b") -> np.ndarray:
    """Return the bias as a float array broadcastable against ``m`` classifiers."""
    raw = np.asarray(b)
    if raw.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real number or array of reals, got dtype {raw.dtype}")
    arr = raw.astype(float)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != m):
        expected = "a scalar" if m is None else f"a scalar or shape ({m},)"
        raise ValueError(f"{name} must be {expected} (one bias per classifier), "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr


def check_dist(dist: object, name: str = "dist"):
    """Return ``dist`` if it is a :class:`tradeoff.distribution.Distribution`, else TypeError."""
    from tradeoff.distribution import Distribution  # lazy: distribution.py imports this module

    if not isinstance(dist, Distribution):
        raise TypeError(f"{name} must be a tradeoff.Distribution, got {type(dist).__name__}")
    return dist


def as_generator(rng: object, name: str = "rng") -> np.random.Generator:
    """Accept a ``numpy.random.Generator`` or an integer seed; anything else is refused."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and int(rng) >= 0:
        return np.random.default_rng(int(rng))
    raise TypeError(f"{name} must be a numpy.random.Generator or a non-negative integer seed, "
                    f"got {rng!r}")


def check_labels(y: object, n: int | None, name: str = "y") -> np.ndarray:
    """Return labels as a float array of shape ``(n,)`` with entries in ``{-1, +1}``."""
    arr = np.asarray(y)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of labels in {{-1, +1}}, got dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.ndim != 1 or arr.shape[0] < 1:
        raise ValueError(f"{name} must have shape (n,) with n >= 1, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have length n = {n} (one label per row), "
                         f"got length {arr.shape[0]}")
    if not np.all((arr == 1.0) | (arr == -1.0)):
        raise ValueError(f"{name} must contain only labels in {{-1, +1}}")
    return arr


def check_design(X: object, name: str = "X") -> np.ndarray:
    """Return inputs as a finite float array of shape ``(n, d+1)``, ``n >= 1``, ``d >= 1``."""
    arr = np.asarray(X)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real array of shape (n, d+1), got dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 2:
        raise ValueError(f"{name} must have shape (n, d+1) with n >= 1 and d >= 1, "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must have finite entries")
    return arr


def check_vector(name: str, v: object, n: int | None) -> np.ndarray:
    """Return a finite float array of shape ``(n,)`` (any ``n >= 1`` when ``n`` is None)."""
    arr = np.asarray(v)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real array of shape (n,), got dtype {arr.dtype}")
    arr = arr.astype(float)
    if arr.ndim != 1 or arr.shape[0] < 1:
        raise ValueError(f"{name} must have shape (n,) with n >= 1, got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} must have length n = {n}, got length {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must have finite entries")
    return arr
