"""Training: every method runs; checkpoints (by time, issue 9) resume bit-for-bit and load with
weights_only."""

from __future__ import annotations

import os

import pytest
import torch
from tradeoff.empirical import train as train_module
from tradeoff.empirical.data import load_dataset, stratified_subset, synthetic_dataset
from tradeoff.empirical.models import build_model, linear_weights
from tradeoff.empirical.train import (
    CHECKPOINT_NAME,
    DEFAULT_CHECKPOINT_EVERY_S,
    METHODS,
    TrainConfig,
    _augment,
    load_checkpoint,
    seed_everything,
    train,
)

from tradeoff.distribution import Distribution
from tradeoff.linear import robust_accuracy, standard_accuracy


@pytest.fixture(scope="module")
def tiny():
    return stratified_subset(load_dataset("mnist-bundled"), 96, seed=0)


def _mlp(data, seed=0):
    torch.manual_seed(seed)
    return build_model("mlp", num_classes=10, input_shape=data.input_shape, mean=data.mean,
                       std=data.std, hidden=(32,))


def _config(**kw):
    base = dict(eps_train=0.1, attack_steps=2, epochs=1, batch_size=32, lr=0.05, progress=False,
                device="cpu")
    return TrainConfig(**{**base, **kw})


def _same_weights(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


@pytest.mark.parametrize("method", METHODS)
def test_micro_run_of_each_method(tiny, method):
    model = _mlp(tiny)
    before = [p.detach().clone() for p in model.parameters()]
    hist = train(model, tiny, _config(method=method, epochs=2), eval_data=tiny)
    assert hist["epoch"] == [1, 2] and hist["resumed_from"] == 0
    for key in ("loss", "train_acc", "seconds", "images_per_s", "lr", "eval_acc"):
        assert len(hist[key]) == 2
    assert all(torch.isfinite(torch.tensor(hist["loss"])))
    assert all(0.0 <= a <= 1.0 for a in hist["train_acc"] + hist["eval_acc"])
    assert all(v > 0 for v in hist["images_per_s"])
    assert any(not torch.equal(p, q) for p, q in zip(before, model.parameters(), strict=True))


def test_mixed_ratio_extremes_are_standard_and_pgd_training(tiny):
    """E-APPB's mixing: ratio 1 is natural-only training, ratio 0 adversarial-only."""
    runs = {}
    for name, kw in [("standard", {"method": "standard"}), ("pgd", {"method": "pgd"}),
                     ("mixed1", {"method": "mixed", "mixed_ratio": 1.0}),
                     ("mixed0", {"method": "mixed", "mixed_ratio": 0.0}),
                     ("mixed", {"method": "mixed"})]:
        model = _mlp(tiny)
        train(model, tiny, _config(**kw))
        runs[name] = model
    assert _same_weights(runs["standard"], runs["mixed1"])
    assert _same_weights(runs["pgd"], runs["mixed0"])
    assert not _same_weights(runs["mixed"], runs["pgd"])
    assert not _same_weights(runs["mixed"], runs["standard"])


def test_training_is_seeded(tiny):
    a, b, c = _mlp(tiny), _mlp(tiny), _mlp(tiny)
    train(a, tiny, _config(method="pgd"))
    train(b, tiny, _config(method="pgd"))
    train(c, tiny, _config(method="pgd", seed=1))
    assert _same_weights(a, b) and not _same_weights(a, c)


@pytest.mark.parametrize("method", ["pgd", "trades"])
def test_resume_is_bit_exact(tiny, tmp_path, method):
    cfg = dict(method=method, lr_milestones=(1, 2), nesterov=True, weight_decay=1e-3)
    # interrupted: a run killed after epoch 1, then restarted with the full budget
    interrupted = _mlp(tiny)
    first = train(interrupted, tiny, _config(epochs=1, **cfg), checkpoint_dir=tmp_path / "a")
    interrupted = _mlp(tiny, seed=99)  # a fresh process: the initial weights do not matter
    hist = train(interrupted, tiny, _config(epochs=3, **cfg), checkpoint_dir=tmp_path / "a")
    # uninterrupted
    straight = _mlp(tiny)
    ref = train(straight, tiny, _config(epochs=3, **cfg), checkpoint_dir=tmp_path / "b")
    assert _same_weights(interrupted, straight)
    assert hist["resumed_from"] == 1 and hist["epoch"] == [1, 2, 3]
    assert hist["loss"] == ref["loss"] and hist["loss"][0] == first["loss"][0]
    assert hist["lr"] == pytest.approx([0.05, 0.005, 0.0005])
    # a finished run returns at once, weights untouched
    again = train(interrupted, tiny, _config(epochs=3, **cfg), checkpoint_dir=tmp_path / "a")
    assert again["resumed_from"] == 3 and _same_weights(interrupted, straight)


def test_checkpoint_loads_with_weights_only_and_is_atomic(tiny, tmp_path):
    model = _mlp(tiny)
    train(model, tiny, _config(method="pgd", epochs=2), checkpoint_dir=tmp_path)
    assert os.listdir(tmp_path) == [CHECKPOINT_NAME]  # no temporary file left behind
    ckpt = torch.load(tmp_path / CHECKPOINT_NAME, weights_only=True)
    assert torch.equal(load_checkpoint(tmp_path / CHECKPOINT_NAME)["rng"]["torch"],
                       ckpt["rng"]["torch"])
    assert set(ckpt) == {"format", "epoch", "model", "optimizer", "scheduler", "scaler", "rng",
                         "history", "config"}
    assert ckpt["epoch"] == 2 and ckpt["config"]["method"] == "pgd"
    assert isinstance(ckpt["rng"]["torch"], torch.Tensor)
    fresh = _mlp(tiny, seed=5)
    fresh.load_state_dict(ckpt["model"])
    assert _same_weights(fresh, model)


def test_resume_refuses_a_different_config(tiny, tmp_path):
    train(_mlp(tiny), tiny, _config(method="pgd"), checkpoint_dir=tmp_path)
    with pytest.raises(ValueError, match="eps_train"):
        train(_mlp(tiny), tiny, _config(method="pgd", eps_train=0.2, epochs=2),
              checkpoint_dir=tmp_path)


def test_adversarial_training_on_the_synthetic_model_learns_the_robust_feature():
    """E-SYN in miniature: a linear model trained with eps_train = 2*eta leans on x1 (exact
    robust accuracy at eps = 2*eta far above the standard model's), standard training does not.

    With the cross-entropy loss, x1's adversarial margin helps only if ``eps_train < 2p - 1``
    (the loss's slope in w1 at w = 0 is ``(1-p)(1+eps) - p(1-eps)``); here 0.6 < 0.8."""
    dist = Distribution(0.9, 0.3, 36)
    data = synthetic_dataset(dist, 1000, seed=0)
    out = {}
    for method in ("standard", "pgd"):
        torch.manual_seed(0)
        model = build_model("linear", num_classes=2, input_shape=data.input_shape)
        train(model, data, TrainConfig(method=method, eps_train=2 * dist.eta, attack_steps=5,
                                       epochs=8, batch_size=100, lr=0.1, weight_decay=0.0,
                                       progress=False, device="cpu"))
        w, b = linear_weights(model)
        out[method] = (standard_accuracy(w, dist, b), robust_accuracy(w, dist, 2 * dist.eta,
                                                                      "inf", b))
    assert out["standard"][0] > 0.95 and out["standard"][1] < 0.2
    assert out["pgd"][1] > 0.5 and out["pgd"][0] < out["standard"][0]


def test_train_config_validation():
    for kw, match in [
        ({"method": "fgsm"}, "method"),
        ({"norm": "1"}, "norm"),
        ({"eps_train": -1.0}, "eps_train"),
        ({"lr": 0.0}, "lr"),
        ({"epochs": -1}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"mixed_ratio": 1.5}, "mixed_ratio"),
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"lr_milestones": (5, 2)}, "lr_milestones"),
        ({"box": (1.0, 0.0)}, "box"),
        ({"augment": "cutout"}, "augment"),
        ({"method": "pgd", "eps_train": 0.1, "attack_steps": 0}, "attack_steps"),
    ]:
        with pytest.raises(ValueError, match=match):
            TrainConfig(**kw)
    cfg = TrainConfig(eps_train=0.3, attack_steps=10, lr=0.1, lr_milestones=[2, 4])
    assert cfg.step_size == pytest.approx(0.075)
    assert [cfg.lr_at(e) for e in range(6)] == pytest.approx([0.1, 0.1, 0.01, 0.01, 0.001, 0.001])
    with pytest.raises(TypeError, match="TrainConfig"):
        train(build_model("linear", num_classes=2, input_shape=(2,)), None, {"epochs": 1})


def test_augmentation_keeps_shape_and_range():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(8, 3, 32, 32)
    out = _augment(x, "crop_flip", g)
    assert out.shape == x.shape and float(out.min()) >= 0 and float(out.max()) <= 1
    assert not torch.equal(out, x)
    flipped = _augment(x, "flip", torch.Generator().manual_seed(0))
    assert all(torch.equal(f, o) or torch.equal(f, o.flip(2)) for f, o in zip(flipped, x,
                                                                                strict=True))
    assert torch.equal(_augment(x, None, g), x)


def test_seed_everything():
    seed_everything(4)
    a = torch.rand(3)
    seed_everything(4)
    assert torch.equal(a, torch.rand(3))
    with pytest.raises(ValueError, match="seed"):
        seed_everything(-1)


# --------------------------------------------------------------------------- checkpoints by time


class _FakeClock:
    """A monotonic clock that advances ``tick`` seconds per reading."""

    def __init__(self, tick: float):
        self.now, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


def _count_saves(monkeypatch):
    saved = []
    real = train_module._save_checkpoint

    def spy(obj, path):
        saved.append(obj["epoch"])
        real(obj, path)

    monkeypatch.setattr(train_module, "_save_checkpoint", spy)
    return saved


def test_checkpoints_by_time_and_always_at_the_end(tiny, tmp_path, monkeypatch):
    """The fake clock advances 1 s per reading; it is read at the start, at each epoch end
    before the last, and after each save. With an interval of 2.5 s the saves fall at epochs 3
    and 6 (3 s after the previous reading each), plus the last epoch 7, always saved."""
    saved = _count_saves(monkeypatch)
    monkeypatch.setattr(train_module, "_clock", _FakeClock(1.0))
    hist = train(_mlp(tiny), tiny, _config(method="standard", epochs=7,
                                           checkpoint_every_s=2.5), checkpoint_dir=tmp_path)
    assert saved == [3, 6, 7] and hist["checkpoints_written"] == 3
    assert os.listdir(tmp_path) == [CHECKPOINT_NAME]  # the last save replaced the others
    # Negative control: interval 0 is the old behaviour, a save after every epoch.
    saved.clear()
    train(_mlp(tiny), tiny, _config(method="standard", epochs=3, checkpoint_every_s=0),
          checkpoint_dir=tmp_path / "every")
    assert saved == [1, 2, 3]
    # The default interval (300 s) on a short run: only the final save.
    monkeypatch.setattr(train_module, "_clock", train_module.time.monotonic)
    saved.clear()
    train(_mlp(tiny), tiny, _config(method="standard", epochs=3), checkpoint_dir=tmp_path / "d")
    assert saved == [3] and TrainConfig().checkpoint_every_s == DEFAULT_CHECKPOINT_EVERY_S


def test_kill_between_timed_checkpoints_resumes_bit_exactly(tiny, tmp_path, monkeypatch):
    """A run killed in epoch 5 whose last timed save was epoch 3 redoes epochs 4-5 and ends with
    the weights and history of an uninterrupted run."""
    cfg = dict(method="pgd", epochs=6, lr_milestones=(2, 4), checkpoint_every_s=2.5)
    monkeypatch.setattr(train_module, "_clock", _FakeClock(1.0))
    real_loss = train_module._batch_loss
    calls = {"n": 0}
    batches_per_epoch = -(-len(tiny) // 32)

    def killing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4 * batches_per_epoch + 1:  # first batch of epoch 5
            raise KeyboardInterrupt
        return real_loss(*args, **kwargs)

    monkeypatch.setattr(train_module, "_batch_loss", killing)
    with pytest.raises(KeyboardInterrupt):
        train(_mlp(tiny), tiny, _config(**cfg), checkpoint_dir=tmp_path / "a")
    assert load_checkpoint(tmp_path / "a" / CHECKPOINT_NAME)["epoch"] == 3
    monkeypatch.setattr(train_module, "_batch_loss", real_loss)
    resumed = _mlp(tiny, seed=7)
    hist = train(resumed, tiny, _config(**cfg), checkpoint_dir=tmp_path / "a")
    straight = _mlp(tiny)
    ref = train(straight, tiny, _config(**cfg))
    assert hist["resumed_from"] == 3 and hist["loss"] == ref["loss"]
    assert _same_weights(resumed, straight)


def test_checkpoint_interval_is_validated():
    with pytest.raises(ValueError, match="checkpoint_every_s"):
        TrainConfig(checkpoint_every_s=-1.0)
    with pytest.raises(ValueError, match="checkpoint_every_s"):
        TrainConfig(checkpoint_every_s=float("nan"))


def test_changing_the_interval_or_compile_flag_may_resume(tiny, tmp_path):
    train(_mlp(tiny), tiny, _config(method="standard", epochs=1), checkpoint_dir=tmp_path)
    hist = train(_mlp(tiny), tiny, _config(method="standard", epochs=2, checkpoint_every_s=0,
                                           tf32=False), checkpoint_dir=tmp_path)
    assert hist["resumed_from"] == 1


class _Lazy(torch.utils.data.Dataset):
    """A map-style view of an in-memory dataset (read through a DataLoader, like image folders)."""

    def __init__(self, data):
        self.data, self.box = data, data.box

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return self.data.x[i], int(self.data.y[i])


def test_lazy_data_with_persistent_workers_trains_as_in_memory_data(tiny):
    """The DataLoader path (one loader per run, workers kept across epochs, this epoch's order
    from the batch sampler) sees the same batches as the in-memory path: equal weights."""
    runs = []
    for data, workers in ((tiny, 0), (_Lazy(tiny), 0), (_Lazy(tiny), 1)):
        model = _mlp(tiny)
        train(model, data, _config(method="pgd", epochs=2, num_workers=workers))
        runs.append(model)
    assert _same_weights(runs[0], runs[1]) and _same_weights(runs[1], runs[2])
