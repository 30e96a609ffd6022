"""The one atomic file writer of the project (results, checkpoints, reports, proof records).

Every file the suite writes goes through :func:`atomic_write`: the content is written to a
temporary file in the destination folder, flushed and fsynced, then renamed over the destination
with :func:`os.replace`. A kill at any moment leaves either the old file or the new one, never a
partial file, and the temporary file is removed on any error.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_json", "atomic_write_text"]


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], object]) -> Path:
    """Call ``write(fh)`` on a temporary binary file, fsync it, and rename it to ``path``.

    ``write`` may stream (e.g. ``lambda fh: torch.save(obj, fh)``). Parent folders are created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda fh: fh.write(data))


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], obj: Any, *, indent: int | None = 2) -> Path:
    """Write ``obj`` as strict JSON (no NaN/Infinity: ``ValueError``) atomically."""
    text = json.dumps(obj, indent=indent, sort_keys=False, allow_nan=False)
    return atomic_write_text(path, text + "\n")
