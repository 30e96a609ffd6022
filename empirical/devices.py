"""Device selection: never a hard ``.cuda()`` call (an error of MadryLab's ``robustness``)."""

from __future__ import annotations

import torch

__all__ = ["default_device", "resolve_device", "autocast_dtype", "configure_backends"]


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


def configure_backends(device: torch.device, *, tf32: bool = True) -> None:
    """Speed settings for training on ``device`` (nothing on CPU).

    On CUDA: cudnn autotuning (``cudnn.benchmark``: the fastest convolution algorithm for each
    input shape, chosen once; the chosen kernels may be non-deterministic) and, with ``tf32``,
    TF32 matrix products and convolutions on GPUs that have them (Ampere and later; a 10-bit
    mantissa for the products, float32 accumulation).
    """
    if device.type != "cuda":
        return
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = bool(tf32)
    torch.backends.cudnn.allow_tf32 = bool(tf32)
