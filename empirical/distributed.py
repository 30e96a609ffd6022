"""One model on several processes: torchrun detection, the process group, sharding, reductions.

``torchrun --nproc-per-node N -m tradeoff run ...`` starts ``N`` copies of the command with the
environment variables ``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK`` (and ``MASTER_ADDR`` /
``MASTER_PORT``). :func:`init_from_env` joins the process group they describe (``nccl`` on CUDA,
``gloo`` on CPU); :func:`tradeoff.empirical.train.train` then trains every model with
DistributedDataParallel. Every rank runs the same grid in the same order; only rank 0 writes
files (checkpoints, grid points, results), and every rank reads them.

The arithmetic of a global batch of ``B`` examples split into shares ``B_r`` (:func:`shard`):
rank ``r`` back-propagates ``(W B_r / B)`` times its mean loss; DDP averages the ``W`` gradients,
which gives ``(1/B) sum_r B_r * mean_r = `` the gradient of the global batch's mean loss, the
one-process update, whatever the shares. With BatchNorm the model's layers become
:class:`torch.nn.SyncBatchNorm` (statistics of the global batch; CUDA only in PyTorch).

Nothing here imports torch at module level: the ``tradeoff`` command reads the environment
(:func:`torchrun_env`) before deciding to import it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

__all__ = [
    "TorchrunEnv",
    "all_reduce_sum",
    "barrier",
    "broadcast_object",
    "init_from_env",
    "is_main_process",
    "rank_and_world",
    "shard",
    "shutdown",
    "torchrun_env",
    "wrap_model",
]


class TorchrunEnv(tuple):
    """``(rank, world_size, local_rank)`` read from torchrun's environment variables."""

    __slots__ = ()

    def __new__(cls, rank: int, world_size: int, local_rank: int):
        return super().__new__(cls, (rank, world_size, local_rank))

    rank = property(lambda self: self[0])
    world_size = property(lambda self: self[1])
    local_rank = property(lambda self: self[2])


def torchrun_env(environ: Mapping[str, str] | None = None) -> TorchrunEnv | None:
    """The torchrun ranks of this process, or ``None`` when it was not started by torchrun.

    Raises
    ------
    ValueError
        ``RANK``, ``WORLD_SIZE`` or ``LOCAL_RANK`` is set but not a valid rank.
    """
    env = os.environ if environ is None else environ
    if "RANK" not in env or "WORLD_SIZE" not in env:
        return None
    try:
        rank = int(env["RANK"])
        world = int(env["WORLD_SIZE"])
        local = int(env.get("LOCAL_RANK", env["RANK"]))
    except ValueError:
        raise ValueError("RANK, WORLD_SIZE and LOCAL_RANK must be integers, got "
                         f"{env.get('RANK')!r}, {env.get('WORLD_SIZE')!r}, "
                         f"{env.get('LOCAL_RANK')!r}") from None
    if world < 1 or not 0 <= rank < world or local < 0:
        raise ValueError(f"need 0 <= RANK < WORLD_SIZE and LOCAL_RANK >= 0, got RANK={rank}, "
                         f"WORLD_SIZE={world}, LOCAL_RANK={local}")
    return TorchrunEnv(rank, world, local)


def _initialized() -> bool:
    import torch.distributed as dist

    return dist.is_available() and dist.is_initialized()


def init_from_env(device: str) -> str:
    """Join torchrun's process group; returns this rank's device.

    ``device`` is ``"cpu"``, ``"cuda"`` or ``"auto"``: CUDA ranks use ``cuda:LOCAL_RANK`` and the
    ``nccl`` backend, CPU ranks ``gloo``. A no-op (returning ``device``) outside torchrun or when
    the group exists already.
    """
    env = torchrun_env()
    if env is None:
        return device
    import torch
    import torch.distributed as dist

    use_cuda = device.startswith("cuda") or (device == "auto" and torch.cuda.is_available())
    if use_cuda:
        if not torch.cuda.is_available():
            raise ValueError(f"device={device!r} asked for, but CUDA is not available")
        torch.cuda.set_device(env.local_rank)
        resolved = f"cuda:{env.local_rank}"
    else:
        resolved = "cpu"
    if not _initialized():
        dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return resolved


def shutdown() -> None:
    """Leave the process group (if any)."""
    if _initialized():
        import torch.distributed as dist

        dist.destroy_process_group()


def rank_and_world() -> tuple[int, int]:
    """``(rank, world_size)`` of the process group; ``(0, 1)`` without one."""
    if not _initialized():
        return 0, 1
    import torch.distributed as dist

    return dist.get_rank(), dist.get_world_size()


def is_main_process() -> bool:
    """Whether this process writes files: rank 0, or the only process."""
    return rank_and_world()[0] == 0


def barrier() -> None:
    """Wait for every rank (no-op without a process group)."""
    if _initialized():
        import torch.distributed as dist

        dist.barrier()


def all_reduce_sum(tensor: Any) -> Any:
    """Sum ``tensor`` over the ranks in place (no-op without a process group); returns it."""
    if _initialized():
        import torch.distributed as dist

        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return tensor


def broadcast_object(obj: Any) -> Any:
    """Rank 0's ``obj`` on every rank (picklable objects; identity without a process group)."""
    if not _initialized():
        return obj
    import torch.distributed as dist

    box = [obj]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def shard(chunk: Any, rank: int, world: int) -> tuple[Any, float]:
    """Rank ``rank``'s contiguous share of the global batch ``chunk`` and its loss weight.

    The shares of the ``world`` ranks partition ``chunk`` (sizes differ by at most one). The
    weight is ``world * len(share) / len(chunk)`` (see the module docstring). A rank whose share
    would be empty (``len(chunk) < world``) gets the first example with weight 0, so that it
    still joins the gradient reduction without changing it.
    """
    part = chunk.tensor_split(world)[rank]
    if len(part) == 0:
        return chunk[:1], 0.0
    return part, world * len(part) / len(chunk)


def wrap_model(model: Any, device: Any) -> Any:
    """``model`` in DistributedDataParallel (BatchNorm layers made SyncBatchNorm on CUDA first,
    in place). The parameters stay ``model``'s own, so ``model.state_dict()`` is the checkpoint.
    """
    import torch
    from torch.nn.parallel import DistributedDataParallel

    if device.type == "cuda" and any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm)
                                     for m in model.modules()):
        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    ids = [device.index if device.index is not None else torch.cuda.current_device()] \
        if device.type == "cuda" else None
    return DistributedDataParallel(model, device_ids=ids)
