"""What a grid point needs besides its own configuration: output folder, device, threads, log.

A :class:`Context` is picklable (for Ray). Every file a point writes goes through
:mod:`tradeoff._io` (atomic: a kill leaves the old file or the new one, never half of one).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from tradeoff.empirical.results import PointStore, config_hash

from tradeoff._io import atomic_write_bytes

__all__ = ["Context", "cpu_threads", "save_arrays"]


@dataclass
class Context:
    """Output folder, device and logging of one experiment run (picklable, for Ray)."""

    out: str
    device: str = "cpu"
    data_root: str | None = None
    download: bool = False
    progress: bool = False
    threads: int | None = None
    log: Callable[[str], None] | None = field(default=None, repr=False)

    @property
    def store(self) -> PointStore:
        """The point store of :attr:`out`."""
        return PointStore(self.out)

    def say(self, msg: str) -> None:
        """Log ``msg`` when a logger is set."""
        if self.log is not None:
            self.log(msg)


@contextmanager
def cpu_threads(n: int | None, device: str) -> Iterator[None]:
    """Use ``n`` intra-op threads on CPU inside the block (``None``: leave unchanged).

    Small models run several times faster on one thread: the per-operation synchronisation of
    a thread pool costs more than the arithmetic, worse on a busy machine.
    """
    if n is None or not str(device).startswith("cpu"):
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(old)


def save_arrays(ctx: Context, point: Mapping[str, object], name: str,
                arrays: Mapping[str, np.ndarray]) -> str:
    """Store ``arrays`` (``.npz``) next to the result of ``point``; returns the file name."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    atomic_write_bytes(ctx.store.point_dir(config_hash(point)) / name, buffer.getvalue())
    return name
