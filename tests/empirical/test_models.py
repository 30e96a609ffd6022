"""Models: shapes, gradients, in-model normalization, and the linear model's (w, b)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from tradeoff.empirical.models import MODELS, Normalize, build_model, linear_weights


@pytest.mark.parametrize(
    ("name", "shape", "num_classes", "kw"),
    [
        ("mnist_cnn", (1, 28, 28), 10, {}),
        ("resnet18", (3, 32, 32), 10, {}),
        ("resnet50", (3, 64, 64), 9, {}),
        ("mlp", (21,), 2, {"hidden": (16, 8)}),
        ("linear", (21,), 2, {}),
    ],
)
def test_forward_and_backward(name, shape, num_classes, kw):
    torch.manual_seed(0)
    channels = shape[0] if len(shape) == 3 else None
    stats = {} if channels is None else {"mean": (0.5,) * channels, "std": (0.25,) * channels}
    model = build_model(name, num_classes=num_classes, input_shape=shape, **stats, **kw)
    assert isinstance(model[0], Normalize)
    x = torch.rand(2, *shape, requires_grad=True)
    logits = model(x)
    assert logits.shape == (2, num_classes) and torch.isfinite(logits).all()
    logits.sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all()
    assert all(p.grad is not None for p in model.parameters())


def test_mnist_cnn_architecture():
    model = build_model("mnist_cnn", num_classes=10, input_shape=(1, 28, 28))
    net = model[1]
    assert (net.conv1.out_channels, net.conv1.kernel_size) == (32, (5, 5))
    assert (net.conv2.out_channels, net.conv2.kernel_size) == (64, (5, 5))
    assert (net.fc1.in_features, net.fc1.out_features) == (7 * 7 * 64, 1024)
    assert net.fc2.out_features == 10


def test_resnet_stems_and_depth():
    r18 = build_model("resnet18", num_classes=10, input_shape=(3, 32, 32))
    assert r18[1].stem[0].kernel_size == (3, 3) and r18[1].stem[0].stride == (1, 1)
    convs18 = [m for m in r18.modules() if isinstance(m, nn.Conv2d) and m.kernel_size != (1, 1)]
    assert len(convs18) == 17  # + fc = 18 weighted layers
    r50 = build_model("resnet50", num_classes=9, input_shape=(3, 224, 224))
    assert r50[1].stem[0].kernel_size == (7, 7)
    n_params = sum(p.numel() for p in r50.parameters())
    assert abs(n_params - (25_557_032 - 1000 * 2049 + 9 * 2049)) == 0  # torchvision's, 9 logits


def test_normalize_layer():
    x = torch.rand(4, 3, 5, 5)
    norm = Normalize((0.1, 0.2, 0.3), (0.5, 0.25, 2.0))
    expected = (x - torch.tensor([0.1, 0.2, 0.3]).view(1, 3, 1, 1)) / torch.tensor(
        [0.5, 0.25, 2.0]
    ).view(1, 3, 1, 1)
    torch.testing.assert_close(norm(x), expected)
    assert torch.equal(Normalize()(x), x)
    flat = torch.randn(4, 3)
    torch.testing.assert_close(norm(flat), (flat - torch.tensor([0.1, 0.2, 0.3])) / norm.std)
    with pytest.raises(ValueError, match="both"):
        Normalize((0.5,), None)
    with pytest.raises(ValueError, match="std"):
        Normalize((0.5,), (0.0,))
    assert "mean" in build_model("mlp", num_classes=2, input_shape=(3,), mean=(0, 0, 0),
                                 std=(1, 1, 1)).state_dict().__iter__().__next__()


def test_build_model_rejects_bad_input():
    with pytest.raises(ValueError, match="name must be one of"):
        build_model("vgg16", num_classes=10, input_shape=(3, 32, 32))
    with pytest.raises(ValueError, match="num_classes"):
        build_model("linear", num_classes=1, input_shape=(3,))
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        build_model("mnist_cnn", num_classes=10, input_shape=(784,))
    with pytest.raises(TypeError, match="unexpected keyword"):
        build_model("linear", num_classes=2, input_shape=(3,), hidden=(4,))
    with pytest.raises(ValueError, match="input_shape"):
        build_model("linear", num_classes=2, input_shape=(0,))
    assert set(MODELS) == {"mnist_cnn", "resnet18", "resnet50", "mlp", "linear"}


@pytest.mark.parametrize("normalized", [False, True])
def test_linear_weights_give_the_logit_difference(normalized):
    torch.manual_seed(1)
    stats = {"mean": tuple(np.linspace(-1, 1, 7)), "std": tuple(np.linspace(0.5, 2, 7))}
    model = build_model("linear", num_classes=2, input_shape=(7,), **(stats if normalized else {}))
    w, b = linear_weights(model)
    assert w.shape == (7,) and w.dtype == np.float64 and isinstance(b, float)
    x = torch.randn(100, 7, dtype=torch.float64)
    with torch.no_grad():
        logits = model.double()(x)
    score = x.numpy() @ w + b
    np.testing.assert_allclose(score, (logits[:, 1] - logits[:, 0]).numpy(), atol=1e-12)
    # Prediction class 1 (y = +1) iff score > 0, the core library's convention.
    assert np.array_equal(logits.argmax(1).numpy() == 1, score > 0)


def test_linear_tie_is_class_zero():
    model = build_model("linear", num_classes=2, input_shape=(3,))
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
    w, b = linear_weights(model)
    assert np.all(w == 0) and b == 0.0
    assert int(model(torch.randn(5, 3)).argmax(1).max()) == 0  # sign(0) = -1 -> class 0


def test_linear_weights_rejects_other_models():
    with pytest.raises(TypeError, match="linear"):
        linear_weights(build_model("mlp", num_classes=2, input_shape=(3,)))
    with pytest.raises(ValueError, match="2 classes"):
        linear_weights(build_model("linear", num_classes=3, input_shape=(3,)))
