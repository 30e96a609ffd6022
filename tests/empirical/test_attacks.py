"""Attacks: PGD reaches the closed-form worst case of linear models; threat-model invariants;
the proof's shift attack; AutoAttack through pyautoattack.

The exact check (docs/experiments/index.md, "Attack unit tests"): for a 2-class linear model with
score
``w.x + b`` the worst perturbation in the ``l_q`` ball of radius ``eps`` lowers the signed score
``y (w.x + b)`` by exactly ``eps * ||w||_{q*}`` (dual norm; C-HINGE). So, per example, PGD must
fool the model exactly when the closed-form worst-case margin is negative; examples within a tiny
tolerance of the margin are left out, and their number is asserted to be small.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import torch
from tradeoff.empirical.attacks import autoattack, in_threat_model, pgd, shift_attack
from tradeoff.empirical.data import load_dataset, stratified_subset, synthetic_dataset
from tradeoff.empirical.models import build_model, linear_weights

from tradeoff.distribution import Distribution
from tradeoff.linear import robust_accuracy, shift_accuracy

DIST = Distribution(0.9, 0.3, 20)
# Hoeffding deviation of an empirical accuracy over n examples at false-failure 1e-9.
hoeffding = lambda n: math.sqrt(math.log(2 / 1e-9) / (2 * n))  # noqa: E731


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_dataset(DIST, 2000, seed=11)


@pytest.fixture(scope="module")
def linear_model():
    torch.manual_seed(12)
    model = build_model("linear", num_classes=2, input_shape=(DIST.d + 1,))
    with torch.no_grad():
        model[1][1].weight.copy_(torch.randn(2, DIST.d + 1) * 0.5)
        model[1][1].weight[1, 0] += 1.0  # lean on the robust feature, so accuracies are mixed
        model[1][1].bias.copy_(torch.tensor([0.1, -0.1]))
    return model


@pytest.fixture(scope="module")
def mnist_small():
    return load_dataset("mnist-bundled", split="test").select(range(0, 1000, 50))  # 20 images


@pytest.fixture(scope="module")
def cnn():
    torch.manual_seed(0)
    ds = load_dataset("mnist-bundled", split="test")
    return build_model("mnist_cnn", num_classes=10, input_shape=(1, 28, 28), mean=ds.mean,
                       std=ds.std)


def _correct(model, x, y):
    with torch.no_grad():
        return model(x).argmax(1) == y


def _worst_margin(model, ds, eps, norm):
    w, b = linear_weights(model)
    y = 2 * ds.y.numpy().astype(np.float64) - 1
    dual = np.abs(w).sum() if norm == "inf" else np.linalg.norm(w)
    return y * (ds.x.numpy().astype(np.float64) @ w + b) - eps * dual, dual


# --------------------------------------------------------------------------- (a) exactness


@pytest.mark.parametrize(("norm", "eps"), [("inf", 0.05), ("inf", 0.3), ("2", 0.5), ("2", 2.0)])
@pytest.mark.parametrize("random_start", [True, False])
def test_pgd_reaches_the_closed_form_worst_case(synthetic, linear_model, norm, eps, random_start):
    torch.manual_seed(13)
    x_adv = pgd(linear_model, synthetic.x, synthetic.y, eps=eps, norm=norm, steps=50,
                step_size=eps / 4, random_start=random_start, box=None)
    fooled = ~_correct(linear_model, x_adv, synthetic.y).numpy()
    margin, dual = _worst_margin(linear_model, synthetic, eps, norm)
    tol = 1e-4 * (1 + eps * dual)
    clear = np.abs(margin) > tol
    assert clear.mean() > 0.99
    np.testing.assert_array_equal(fooled[clear], margin[clear] < 0)
    assert 0.02 < fooled.mean() < 0.98  # an informative case, not all-or-nothing
    # ... and the empirical robust accuracy matches the core library's exact population value.
    w, b = linear_weights(linear_model)
    exact = robust_accuracy(w, DIST, eps, norm, b)
    assert abs((1 - fooled.mean()) - exact) < hoeffding(len(fooled))


# --------------------------------------------------------------------------- (b), (c)


@pytest.mark.parametrize("norm", ["inf", "2"])
def test_eps_zero_is_clean_accuracy(cnn, mnist_small, norm):
    x_adv = pgd(cnn, mnist_small.x, mnist_small.y, eps=0.0, norm=norm, steps=5, step_size=0.1)
    assert torch.equal(x_adv, mnist_small.x)
    assert torch.equal(_correct(cnn, x_adv, mnist_small.y), _correct(cnn, mnist_small.x,
                                                                         mnist_small.y))


@pytest.mark.parametrize("norm", ["inf", "2"])
def test_robust_accuracy_non_increasing_in_eps_linear(synthetic, linear_model, norm):
    grid = [0.0, 0.02, 0.05, 0.1, 0.2, 0.4] if norm == "inf" else [0.0, 0.1, 0.3, 0.6, 1.2, 2.4]
    accs = []
    for eps in grid:
        g = torch.Generator().manual_seed(0)
        x_adv = pgd(linear_model, synthetic.x, synthetic.y, eps=eps, norm=norm, steps=30,
                    step_size=eps / 4, box=None, generator=g)
        accs.append(float(_correct(linear_model, x_adv, synthetic.y).float().mean()))
    assert all(a >= b for a, b in zip(accs, accs[1:], strict=False)), accs
    assert accs[-1] < accs[0]


def test_robust_accuracy_non_increasing_in_eps_cnn(cnn, mnist_small):
    # PGD on a non-convex model carries no monotonicity theorem; with fixed seeds the result is
    # deterministic, and we allow one example of slack for other platforms' float rounding.
    accs = []
    for eps in [0.0, 0.01, 0.02, 0.05, 0.1, 0.2]:
        g = torch.Generator().manual_seed(0)
        x_adv = pgd(cnn, mnist_small.x, mnist_small.y, eps=eps, norm="inf", steps=10,
                    step_size=eps / 4, generator=g)
        accs.append(int(_correct(cnn, x_adv, mnist_small.y).sum()))
    assert all(a >= b - 1 for a, b in zip(accs, accs[1:], strict=False)), accs
    assert accs[-1] < accs[0]


# --------------------------------------------------------------------------- (d) ball and box


@pytest.mark.parametrize(("norm", "eps"), [("inf", 0.1), ("2", 1.5)])
def test_pgd_stays_in_ball_and_box(cnn, mnist_small, norm, eps):
    x, y = mnist_small.x, mnist_small.y
    x_adv = pgd(cnn, x, y, eps=eps, norm=norm, steps=10, step_size=eps / 4, restarts=2,
                generator=torch.Generator().manual_seed(1))
    assert x_adv.shape == x.shape and x_adv.dtype == x.dtype and not x_adv.requires_grad
    assert bool(in_threat_model(x_adv, x, eps=eps, norm=norm, box=(0.0, 1.0)).all())
    assert float(x_adv.min()) >= 0.0 and float(x_adv.max()) <= 1.0
    # the box binds: MNIST has many 0 pixels, pushed further down they would leave [0, 1]
    assert float(x_adv.min()) == 0.0


def test_pgd_custom_box(cnn, mnist_small):
    x = mnist_small.x * 0.5 + 0.25
    x_adv = pgd(cnn, x, mnist_small.y, eps=0.3, norm="inf", steps=5, step_size=0.1,
                box=(0.2, 0.8))
    lo, hi = torch.tensor(0.2), torch.tensor(0.8)  # the box in the inputs' float32
    assert bool(x_adv.min() >= lo) and bool(x_adv.max() <= hi)
    assert bool(in_threat_model(x_adv, x, eps=0.3, norm="inf", box=(0.2, 0.8)).all())


@pytest.mark.parametrize(("norm", "eps"), [("inf", 0.3), ("2", 2.0)])
def test_gaussian_data_is_not_clamped(synthetic, linear_model, norm, eps):
    x, y = synthetic.x, synthetic.y
    x_adv = pgd(linear_model, x, y, eps=eps, norm=norm, steps=20, step_size=eps / 4, box=None)
    assert bool(in_threat_model(x_adv, x, eps=eps, norm=norm, box=None).all())
    delta = (x_adv - x).flatten(1)
    size = delta.abs().amax(1) if norm == "inf" else delta.norm(dim=1)
    # the whole budget is used by every example: nothing was clipped to [0, 1]
    torch.testing.assert_close(size, torch.full_like(size, eps), atol=1e-5, rtol=1e-5)
    assert float(x_adv.min()) < 0.0 and float(x_adv.max()) > 1.0


# --------------------------------------------------------------------------- (e) restarts


@pytest.mark.parametrize("norm", ["inf", "2"])
def test_restarts_never_lower_success(cnn, mnist_small, norm):
    x, y = mnist_small.x, mnist_small.y
    eps = 0.03 if norm == "inf" else 0.5
    kwargs = dict(eps=eps, norm=norm, steps=3, step_size=eps / 2)
    one = pgd(cnn, x, y, restarts=1, generator=torch.Generator().manual_seed(5), **kwargs)
    four = pgd(cnn, x, y, restarts=4, generator=torch.Generator().manual_seed(5), **kwargs)
    fooled_one = ~_correct(cnn, one, y)
    fooled_four = ~_correct(cnn, four, y)
    assert bool((fooled_four | ~fooled_one).all())  # every success of 1 restart is kept
    # an example first fooled by restart 1 keeps restart 1's input
    assert torch.equal(four[fooled_one], one[fooled_one])
    assert bool(in_threat_model(four, x, eps=eps, norm=norm, box=(0.0, 1.0)).all())


def test_pgd_is_seeded(cnn, mnist_small):
    x, y = mnist_small.x, mnist_small.y
    run = lambda s: pgd(cnn, x, y, eps=0.1, norm="inf", steps=2, step_size=0.05,  # noqa: E731
                        generator=torch.Generator().manual_seed(s))
    assert torch.equal(run(3), run(3)) and not torch.equal(run(3), run(4))


# --------------------------------------------------------------------------- hygiene


def test_attack_uses_eval_mode_restores_modes_and_leaks_no_gradients():
    torch.manual_seed(0)
    model = build_model("resnet18", num_classes=10, input_shape=(3, 16, 16), width=8)
    model.train()
    model[1].fc.eval()  # a mixed state must come back as it was
    bn = model[1].stem[1]
    stats = bn.running_mean.clone(), bn.num_batches_tracked.clone()
    seen = []
    hook = bn.register_forward_pre_hook(lambda m, _: seen.append(m.training))
    x, y = torch.rand(4, 3, 16, 16), torch.tensor([0, 1, 2, 3])
    pgd(model, x, y, eps=0.05, norm="inf", steps=2, step_size=0.02)
    hook.remove()
    assert seen and not any(seen)  # every forward pass of the attack was in eval mode
    assert model.training and bn.training and not model[1].fc.training
    assert torch.equal(bn.running_mean, stats[0]) and torch.equal(bn.num_batches_tracked, stats[1])
    assert all(p.grad is None for p in model.parameters())


def test_pgd_rejects_bad_input(cnn, mnist_small):
    x, y = mnist_small.x[:2], mnist_small.y[:2]
    base = dict(eps=0.1, norm="inf", steps=2, step_size=0.1)
    for change, match in [
        ({"norm": "1"}, "norm"),
        ({"eps": -0.1}, "eps"),
        ({"eps": float("nan")}, "eps"),
        ({"steps": -1}, "steps"),
        ({"restarts": 0}, "restarts"),
        ({"step_size": float("inf")}, "step_size"),
        ({"box": (1.0, 0.0)}, "box"),
        ({"loss": "hinge"}, "loss"),
    ]:
        with pytest.raises(ValueError, match=match):
            pgd(cnn, x, y, **{**base, **change})
    with pytest.raises(ValueError, match="same length"):
        pgd(cnn, x, y[:1], **base)


def test_pgd_losses(cnn, mnist_small):
    x, y = mnist_small.x[:8], mnist_small.y[:8]
    for loss in ("kl", "margin", lambda logits, t: -logits.gather(1, t[:, None]).squeeze(1)):
        x_adv = pgd(cnn, x, y, eps=0.1, norm="inf", steps=3, step_size=0.05, loss=loss)
        assert bool(in_threat_model(x_adv, x, eps=0.1, norm="inf", box=(0.0, 1.0)).all())


# --------------------------------------------------------------------------- shift attack


def test_shift_attack_maps_weak_mean_to_its_opposite(synthetic):
    x, yi = synthetic.x, synthetic.y
    x_adv = shift_attack(x, yi, DIST.eta)
    y = (2 * yi - 1).float()[:, None]
    assert torch.equal(x_adv[:, 0], x[:, 0])  # the robust feature x1 is untouched
    # x_i = eta*y + noise  ->  -eta*y + the same noise: G_y onto G_{-y} (C-C1)
    torch.testing.assert_close(x_adv[:, 1:] + DIST.eta * y, x[:, 1:] - DIST.eta * y)
    torch.testing.assert_close((x_adv - x).abs().amax(1), torch.full((len(x),), 2 * DIST.eta))
    means = [float(x_adv[yi == c, 1:].mean()) for c in (0, 1)]
    assert abs(means[0] - DIST.eta) < 0.02 and abs(means[1] + DIST.eta) < 0.02
    assert bool(in_threat_model(x_adv, x, eps=2 * DIST.eta, norm="inf", box=None).all())


def test_shift_attack_accuracy_matches_the_closed_form(synthetic, linear_model):
    x_adv = shift_attack(synthetic.x, synthetic.y, DIST.eta)
    acc = float(_correct(linear_model, x_adv, synthetic.y).float().mean())
    w, b = linear_weights(linear_model)
    assert abs(acc - shift_accuracy(w, DIST, b)) < hoeffding(len(x_adv))


def test_shift_attack_rejects_bad_input(synthetic):
    x, y = synthetic.x[:4], synthetic.y[:4]
    with pytest.raises(ValueError, match="eta"):
        shift_attack(x, y, -0.1)
    with pytest.raises(ValueError, match="y_index"):
        shift_attack(x, y * 2, 0.1)
    with pytest.raises(ValueError, match="shape"):
        shift_attack(x[:, :1], y, 0.1)


# --------------------------------------------------------------------------- AutoAttack


@pytest.fixture(scope="module")
def trained_mlp():
    """A small MNIST model trained for a few seconds, so that some points survive small eps."""
    torch.manual_seed(0)
    train = stratified_subset(load_dataset("mnist-bundled"), 1000, seed=0)
    model = build_model("mlp", num_classes=10, input_shape=(1, 28, 28), mean=train.mean,
                        std=train.std, hidden=(64,))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(5):
        for i in range(0, 1000, 100):
            loss = torch.nn.functional.cross_entropy(model(train.x[i:i + 100]),
                                                     train.y[i:i + 100])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model.eval()


@pytest.mark.parametrize(("norm", "eps"), [("inf", 0.03), ("2", 0.5)])
def test_autoattack_is_at_least_as_strong_as_pgd(trained_mlp, mnist_small, norm, eps):
    x, y = mnist_small.x, mnist_small.y
    state = torch.get_rng_state()
    # Reduced budgets (AutoAttack's full budget takes minutes on a CPU); the attack list, the
    # target classes and the change of variables are the standard ones.
    x_aa = autoattack(trained_mlp, x, y, eps=eps, norm=norm, num_classes=10, seed=0, n_iter=10,
                      n_queries=100)
    assert torch.equal(torch.get_rng_state(), state)  # AutoAttack's seeding does not leak
    x_pgd = pgd(trained_mlp, x, y, eps=eps, norm=norm, steps=20, step_size=eps / 4,
                generator=torch.Generator().manual_seed(0))
    acc_aa = float(_correct(trained_mlp, x_aa, y).float().mean())
    acc_pgd = float(_correct(trained_mlp, x_pgd, y).float().mean())
    acc_clean = float(_correct(trained_mlp, x, y).float().mean())
    assert acc_aa <= acc_pgd + 1 / len(y)
    assert 0 < acc_aa < acc_clean  # an informative case
    assert bool(in_threat_model(x_aa, x, eps=eps, norm=norm, box=(0.0, 1.0)).all())


@pytest.mark.parametrize(("norm", "eps"), [("inf", 0.1), ("2", 1.0)])
def test_autoattack_on_gaussian_data_reaches_the_worst_case(synthetic, linear_model, norm, eps):
    ds = synthetic.select(range(300))
    x_aa = autoattack(linear_model, ds.x, ds.y, eps=eps, norm=norm, num_classes=2, box=None,
                      n_iter=20, n_queries=100)
    assert bool(in_threat_model(x_aa, ds.x, eps=eps, norm=norm, box=None, atol=1e-5).all())
    fooled = ~_correct(linear_model, x_aa, ds.y).numpy()
    margin, dual = _worst_margin(linear_model, ds, eps, norm)
    clear = np.abs(margin) > 1e-4 * (1 + eps * dual)
    np.testing.assert_array_equal(fooled[clear], margin[clear] < 0)


def test_autoattack_target_classes(monkeypatch):
    import pyautoattack

    made = []
    real = pyautoattack.AutoAttack

    def spy(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(pyautoattack, "AutoAttack", spy)
    torch.manual_seed(0)
    for num_classes, targets, attacks in [
        (9, 8, ["apgd-ce", "apgd-t", "fab-t", "square"]),
        (10, 9, ["apgd-ce", "apgd-t", "fab-t", "square"]),
        (3, 2, ["apgd-ce", "fab-t", "square"]),
    ]:
        model = build_model("linear", num_classes=num_classes, input_shape=(4,))
        x = torch.rand(3, 4)
        y = torch.zeros(3, dtype=torch.long)
        fn = functools.partial(autoattack, eps=1e-3, norm="inf", num_classes=num_classes,
                               n_iter=5, n_queries=10)
        fn(model, x, y)
        adversary = made[-1]
        assert adversary.apgd_targeted.n_target_classes == targets
        assert adversary.fab.n_target_classes == targets
        assert adversary.attacks_to_run == attacks
    with pytest.raises(ValueError, match="num_classes"):
        autoattack(model, x, y, eps=0.1, norm="inf", num_classes=1)
    with pytest.raises(ValueError, match="norm"):
        autoattack(model, x, y, eps=0.1, norm="1", num_classes=3)
    with pytest.raises(ValueError, match="n_queries"):
        autoattack(model, x, y, eps=0.1, norm="inf", num_classes=3, n_queries=0)


# --------------------------------------------------------------------------- (f) every iterate


class _Counting(torch.nn.Module):
    """Wraps a model and records the batch size of every forward call."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.sizes = []

    def forward(self, x):
        self.sizes.append(int(x.shape[0]))
        return self.inner(x)


@pytest.fixture(scope="module")
def mnist_200():
    return load_dataset("mnist-bundled", split="test").select(range(0, 1000, 5))


@pytest.mark.parametrize(("norm", "eps"), [("inf", 0.05), ("2", 1.0)])
def test_any_iterate_breaks_whatever_some_iterate_breaks(trained_mlp, mnist_200, norm, eps):
    # Witness: without a random start every run of t <= k steps follows the same path; PGD with
    # iterate="any" must break exactly the examples that some prefix of the path breaks.
    model, x, y = trained_mlp, mnist_200.x, mnist_200.y
    kwargs = dict(eps=eps, norm=norm, step_size=2 * eps if norm == "inf" else 1.5 * eps,
                  random_start=False)
    k = 6
    broken_by_some = torch.zeros(len(y), dtype=torch.bool)
    for t in range(k + 1):
        broken_by_some |= ~_correct(model, pgd(model, x, y, steps=t, **kwargs), y)
    last = ~_correct(model, pgd(model, x, y, steps=k, **kwargs), y)
    best = pgd(model, x, y, steps=k, iterate="any", **kwargs)
    assert torch.equal(~_correct(model, best, y), broken_by_some)
    assert bool(in_threat_model(best, x, eps=eps, norm=norm, box=(0.0, 1.0)).all())
    # Negative control: with this large step the last iterate loses some of the path's
    # successes, so the check above can tell "any" from "last".
    assert bool((broken_by_some & ~last).any())


@pytest.mark.parametrize("norm", ["inf", "2"])
def test_any_iterate_batch_shapes_are_few_and_broken_rows_frozen(trained_mlp, mnist_200, norm):
    # A shrinking batch costs a cuDNN autotuning pass per new shape on a GPU: the rows are
    # compacted only once at most half are live, so a run sees at most log2(N) + 1 shapes.
    eps = 0.1 if norm == "inf" else 1.5
    model = _Counting(trained_mlp)
    x, y = mnist_200.x, mnist_200.y
    k = 40
    out = pgd(model, x, y, eps=eps, norm=norm, steps=k, step_size=2.5 * eps / k,
              iterate="any", generator=torch.Generator().manual_seed(3))
    shapes = sorted(set(model.sizes), reverse=True)
    assert len(shapes) <= math.floor(math.log2(len(y))) + 1, shapes
    # Each compaction at least halves the batch (the informative part: without compaction
    # rule the sizes would shrink one broken example at a time).
    assert all(b <= a // 2 for a, b in zip(shapes, shapes[1:], strict=False)), shapes
    broken = ~_correct(trained_mlp, out, y)
    assert 0.2 < float(broken.float().mean()) < 1.0  # informative: many break, not all
    # Negative control: the same attack with every iterate attacked to the end ("last") keeps
    # one batch shape, and "any" breaks at least what "last" breaks with the same starts.
    model.sizes.clear()
    last = pgd(model, x, y, eps=eps, norm=norm, steps=k, step_size=2.5 * eps / k,
               iterate="last", generator=torch.Generator().manual_seed(3))
    assert set(model.sizes) == {len(y)}
    assert bool((broken | _correct(trained_mlp, last, y)).all())


def test_restarts_attack_only_unbroken_examples(cnn, mnist_small):
    x, y = mnist_small.x, mnist_small.y
    model = _Counting(cnn)
    gen = torch.Generator().manual_seed(7)
    out = pgd(model, x, y, eps=0.05, norm="inf", steps=2, step_size=0.03, restarts=2,
              generator=gen)
    first_run = model.sizes[:3]  # 2 gradient steps + the final evaluation of restart 1
    assert first_run == [len(y)] * 3
    gen = torch.Generator().manual_seed(7)
    one = pgd(cnn, x, y, eps=0.05, norm="inf", steps=2, step_size=0.03, restarts=1,
              generator=gen)
    unbroken = int(_correct(cnn, one, y).sum())
    assert 0 < unbroken < len(y)
    assert model.sizes[3:] == [unbroken] * 3
    assert bool((~_correct(cnn, out, y) | _correct(cnn, one, y)).all())


def test_pgd_rejects_unknown_iterate(cnn, mnist_small):
    with pytest.raises(ValueError, match="iterate"):
        pgd(cnn, mnist_small.x, mnist_small.y, eps=0.1, norm="inf", steps=1, step_size=0.1,
            iterate="best")


# --------------------------------------------------------------------------- step schedules


@pytest.mark.parametrize("k", [2, 3, 20, 100])
def test_cosine_steps_decay_from_step_to_a_fiftieth_and_sum_in_closed_form(k):
    from tradeoff.empirical.attacks import step_sizes

    s = 0.05
    steps = step_sizes(s, k, "cosine")
    assert len(steps) == k and steps[0] == pytest.approx(s) and steps[-1] == pytest.approx(s / 50)
    assert all(b < a for a, b in zip(steps, steps[1:], strict=False))
    # sum_t cos(pi t / (k-1)) = 0 over t = 0..k-1, so the steps add up to k (s + s/50) / 2
    assert math.fsum(steps) == pytest.approx(k * (s + s / 50) / 2, rel=1e-12)
    assert step_sizes(s, k) == [s] * k
    assert step_sizes(s, 1, "cosine") == [s] and step_sizes(s, 0, "cosine") == []


def test_step_sizes_reject_bad_input():
    from tradeoff.empirical.attacks import step_sizes

    with pytest.raises(ValueError, match="schedule must be one of"):
        step_sizes(0.1, 3, "linear")
    with pytest.raises(ValueError, match="steps must be an integer >= 0"):
        step_sizes(0.1, -1, "cosine")
    with pytest.raises(ValueError, match="step_size must be finite and >= 0"):
        step_sizes(float("nan"), 3, "cosine")


def test_pgd_moves_by_the_schedule_on_a_linear_model():
    # On a linear model the l_inf gradient sign never changes: without a random start the last
    # iterate is x + min(eps, sum of steps) * sign(w) per coordinate, which tells the two
    # schedules apart (0.3825 eps against 0.75 eps for three steps from eps / 4).
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 2)
    x, y = torch.zeros(5, 4), torch.zeros(5, dtype=torch.int64)
    eps = 0.2
    direction = torch.sign(model.weight[1] - model.weight[0]).detach()
    for schedule, travel in (("constant", 0.75 * eps), ("cosine", 1.5 * (0.25 + 0.005) * eps)):
        out = pgd(model, x, y, eps=eps, norm="inf", steps=3, step_size=eps / 4,
                  random_start=False, box=None, schedule=schedule)
        assert torch.allclose(out, travel * direction.expand_as(out), atol=1e-7), schedule
    with pytest.raises(ValueError, match="schedule must be one of"):
        pgd(model, x, y, eps=eps, norm="inf", steps=3, step_size=0.1, schedule="step")
