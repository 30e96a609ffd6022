"""Device selection: never a hard ``.cuda()`` call (an error of MadryLab's ``robustness``)."""

from __future__ import annotations

import torch

__all__ = ["default_device", "resolve_device", "autocast_dtype"]


def default_device() -> torch.device:
    """``cuda`` when a GPU is visible, else ``cpu``."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def resolve_device(device: torch.device | str | None) -> torch.device:
    """``device`` as a :class:`torch.device`; ``None`` or ``"auto"`` gives :func:`default_device`.

    Raises
    ------
    ValueError
        A CUDA device is asked for and none is available.
    """
    if device is None or device == "auto":
        return default_device()
    dev = torch.device(device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} asked for, but CUDA is not available")
    return dev


def autocast_dtype(device: torch.device) -> torch.dtype | None:
    """Mixed-precision dtype for ``device``: bfloat16 on CUDA GPUs that support it, else float16
    on CUDA, ``None`` (full precision) elsewhere."""
    if device.type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
