"""Models for the paper's experiments; every one normalizes its input itself.

The first layer of every model is :class:`Normalize` (identity when no statistics are given, as
for the synthetic data), so the model maps *raw* inputs to logits and every attack works in input
space, where its ball and box are defined. All models return logits of shape
``(N, num_classes)``; the binary synthetic problem uses 2 classes (class 0 is ``y = -1``).

========== ==================================================================== =========
name       architecture                                                         settings
========== ==================================================================== =========
mnist_cnn  conv5x5x32, pool, conv5x5x64, pool, fc1024, fc (Madry et al.)        MNIST
resnet18   CIFAR ResNet-18 (3x3 stem, no max-pool)                              CIFAR-10
resnet50   ImageNet ResNet-50 (bottleneck blocks, 7x7 stem), own implementation RImageNet
mlp        flatten, ``hidden`` fully connected ReLU layers                      E-SYN
linear     flatten, one affine layer                                            E-SYN, E-LIN
========== ==================================================================== =========
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["MODELS", "Normalize", "FeatureMask", "build_model", "linear_weights"]

#: Names accepted by :func:`build_model`.
MODELS = ("mnist_cnn", "resnet18", "resnet50", "mlp", "linear")


class Normalize(nn.Module):
    """``(x - mean) / std`` per channel (dimension 1); the identity when ``mean`` and ``std`` are
    ``None``. Statistics are buffers, so they move with the model and are saved with it."""

    def __init__(self, mean: Sequence[float] | None = None, std: Sequence[float] | None = None):
        super().__init__()
        if (mean is None) != (std is None):
            raise ValueError("mean and std must both be given or both be None")
        self.identity = mean is None
        if mean is not None:
            m = torch.as_tensor(mean, dtype=torch.float32).flatten()
            s = torch.as_tensor(std, dtype=torch.float32).flatten()
            if m.shape != s.shape:
                raise ValueError(f"mean and std must have equal length, got {len(m)}, {len(s)}")
            if not bool(torch.isfinite(m).all() and torch.isfinite(s).all() and (s > 0).all()):
                raise ValueError("mean must be finite and std finite and > 0")
            self.register_buffer("mean", m)
            self.register_buffer("std", s)

    def forward(self, x: Tensor) -> Tensor:
        if self.identity:
            return x
        shape = (1, -1) + (1,) * (x.ndim - 2)
        return (x - self.mean.view(shape)) / self.std.view(shape)


class FeatureMask(nn.Module):
    """Multiply the input by a fixed 0/1 mask: a model that sees only some features (E-LIN)."""

    def __init__(self, mask: Tensor, inner: nn.Module) -> None:
        super().__init__()
        self.register_buffer("mask", mask.to(torch.float32))
        self.inner = inner

    def forward(self, x: Tensor) -> Tensor:
        return self.inner(x * self.mask)


class MnistCNN(nn.Module):
    """Madry et al.'s MNIST network: conv5x5x32, 2x2 max-pool, conv5x5x64, 2x2 max-pool,
    fc 1024, fc ``num_classes`` ('same' padding, ReLU)."""

    def __init__(self, in_channels: int, height: int, width: int, num_classes: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1 = nn.Linear(64 * (height // 4) * (width // 4), 1024)
        self.fc2 = nn.Linear(1024, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes)
            )

    def forward(self, x: Tensor) -> Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class Bottleneck(nn.Module):
    """ResNet v1.5 bottleneck (stride on the 3x3 convolution, as torchvision's)."""

    expansion = 4

    def __init__(self, in_planes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        out_planes = planes * self.expansion
        self.conv1 = nn.Conv2d(in_planes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out_planes, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != out_planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, out_planes, 1, stride, bias=False), nn.BatchNorm2d(out_planes)
            )

    def forward(self, x: Tensor) -> Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return F.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    """ResNet with a CIFAR stem (3x3 conv, stride 1, no pool) or an ImageNet stem (7x7 conv,
    stride 2, 3x3 max-pool)."""

    def __init__(
        self,
        block: type[BasicBlock] | type[Bottleneck],
        layers: Sequence[int],
        in_channels: int,
        num_classes: int,
        *,
        stem: str,
        width: int = 64,
    ) -> None:
        super().__init__()
        if stem == "cifar":
            self.stem = nn.Sequential(
                nn.Conv2d(in_channels, width, 3, 1, 1, bias=False),
                nn.BatchNorm2d(width),
                nn.ReLU(inplace=True),
            )
        else:
            self.stem = nn.Sequential(
                nn.Conv2d(in_channels, width, 7, 2, 3, bias=False),
                nn.BatchNorm2d(width),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(3, 2, 1),
            )
        stages, in_planes = [], width
        for i, n_blocks in enumerate(layers):
            planes = width * 2**i
            blocks = []
            for j in range(n_blocks):
                blocks.append(block(in_planes, planes, 2 if (j == 0 and i > 0) else 1))
                in_planes = planes * block.expansion
            stages.append(nn.Sequential(*blocks))
        self.layers = nn.Sequential(*stages)
        self.fc = nn.Linear(in_planes, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x: Tensor) -> Tensor:
        x = self.layers(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def _mlp(in_features: int, hidden: Sequence[int], num_classes: int) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Flatten()]
    for h in hidden:
        layers += [nn.Linear(in_features, int(h)), nn.ReLU()]
        in_features = int(h)
    layers.append(nn.Linear(in_features, num_classes))
    return nn.Sequential(*layers)


def build_model(
    name: str,
    *,
    num_classes: int,
    input_shape: Sequence[int],
    mean: Sequence[float] | None = None,
    std: Sequence[float] | None = None,
    **kw,
) -> nn.Module:
    """Build a model whose first layer normalizes the raw input.

    Parameters
    ----------
    name : {"mnist_cnn", "resnet18", "resnet50", "mlp", "linear"}
    num_classes : int
        Number of logits, ``>= 2``.
    input_shape : sequence of int
        Shape of one input: ``(C, H, W)`` for the convolutional models, anything for ``mlp`` and
        ``linear`` (flattened).
    mean, std : sequence of float, optional
        Per-channel statistics (a dataset's ``.mean`` and ``.std``); ``None`` for no
        normalization.
    **kw
        ``mlp``: ``hidden`` (sequence of int, default ``(256, 256)``). ``resnet18`` /
        ``resnet50``: ``width`` (int, default 64).

    Returns
    -------
    torch.nn.Sequential
        ``Sequential(Normalize, network)``; ``model[0]`` is the :class:`Normalize` layer.
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
    shape = tuple(int(s) for s in input_shape)
    if not shape or min(shape) < 1:
        raise ValueError(f"input_shape must be a non-empty shape of positive sizes, got {shape}")
    allowed = {"mlp": {"hidden"}, "resnet18": {"width"}, "resnet50": {"width"}}.get(name, set())
    unknown = set(kw) - allowed
    if name in MODELS and unknown:
        raise TypeError(f"build_model({name!r}) got unexpected keyword(s) {sorted(unknown)}")
    if name in ("mnist_cnn", "resnet18", "resnet50") and len(shape) != 3:
        raise ValueError(f"{name} needs input_shape (C, H, W), got {shape}")
    if name == "mnist_cnn":
        if shape[1] < 4 or shape[2] < 4:
            raise ValueError(f"mnist_cnn needs inputs of at least 4x4, got {shape}")
        net: nn.Module = MnistCNN(shape[0], shape[1], shape[2], num_classes)
    elif name == "resnet18":
        width = int(kw.get("width", 64))
        net = ResNet(BasicBlock, (2, 2, 2, 2), shape[0], num_classes, stem="cifar", width=width)
    elif name == "resnet50":
        width = int(kw.get("width", 64))
        net = ResNet(Bottleneck, (3, 4, 6, 3), shape[0], num_classes, stem="imagenet", width=width)
    elif name == "mlp":
        hidden = tuple(kw.get("hidden", (256, 256)))
        if any(int(h) < 1 for h in hidden):
            raise ValueError(f"hidden sizes must be >= 1, got {hidden}")
        net = _mlp(int(np.prod(shape)), hidden, num_classes)
    elif name == "linear":
        net = nn.Sequential(nn.Flatten(), nn.Linear(int(np.prod(shape)), num_classes))
    else:
        raise ValueError(f"name must be one of {MODELS}, got {name!r}")
    return nn.Sequential(Normalize(mean, std), net)


def linear_weights(model: nn.Module) -> tuple[np.ndarray, float]:
    """``(w, b)`` of a 2-class ``"linear"`` model as a score ``w . x + b`` on raw inputs.

    With logits ``W x + c`` (after folding the :class:`Normalize` layer into ``W`` and ``c``),
    ``w = W[1] - W[0]`` and ``b = c[1] - c[0]``. The model predicts class 1 (``y = +1``) iff
    ``w . x + b > 0``: ``argmax`` breaks a tie towards class 0 (``y = -1``), which is the core
    library's convention ``sign(0) = -1``; so ``tradeoff.standard_accuracy(w, dist, b)`` and
    ``tradeoff.robust_accuracy(w, dist, eps, norm, b)`` are the model's exact accuracies.

    Returns
    -------
    w : numpy.ndarray of float64, shape (n_inputs,)
    b : float
    """
    if not (isinstance(model, nn.Sequential) and len(model) == 2):
        raise TypeError("linear_weights needs a model made by build_model('linear', ...)")
    norm, net = model[0], model[1]
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    others = [
        m
        for m in net.modules()
        if not isinstance(m, nn.Linear | nn.Flatten | nn.Sequential | nn.Identity)
    ]
    if not isinstance(norm, Normalize) or len(linears) != 1 or others:
        raise TypeError("linear_weights needs a model made by build_model('linear', ...)")
    layer = linears[0]
    if layer.out_features != 2:
        raise ValueError(f"linear_weights needs 2 classes, got {layer.out_features}")
    W = layer.weight.detach().double().cpu()
    c = layer.bias.detach().double().cpu() if layer.bias is not None else torch.zeros(2).double()
    w = W[1] - W[0]
    b = float(c[1] - c[0])
    if not norm.identity:
        # Flattened inputs (C, ...) repeat each channel's statistics over its positions.
        n_in, channels = w.numel(), norm.mean.numel()
        if n_in % channels:
            raise ValueError("cannot fold Normalize: input size is not a multiple of channels")
        rep = n_in // channels
        mean = norm.mean.double().cpu().repeat_interleave(rep)
        std = norm.std.double().cpu().repeat_interleave(rep)
        b = b - float((w * mean / std).sum())
        w = w / std
    return w.numpy(), b
