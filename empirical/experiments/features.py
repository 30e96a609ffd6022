"""Feature-label correlations of a dataset and the feature masks built from them (E-LIN)."""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor
from tradeoff.empirical.experiments.datasets import as_tensors

__all__ = ["feature_label_correlation", "correlation_mask"]


def feature_label_correlation(x: Tensor, y: Tensor) -> np.ndarray:
    r"""Pearson correlation :math:`\rho_j` of every input feature with the label (constant
    features: 0)."""
    xf = x.reshape(len(x), -1).double().numpy()
    yf = y.double().numpy()
    xc = xf - xf.mean(0)
    yc = yf - yf.mean()
    denom = np.sqrt((xc**2).sum(0) * (yc**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.where(denom > 0, (xc * yc[:, None]).sum(0) / np.where(denom > 0, denom, 1), 0.0)
    return corr


def correlation_mask(data, top_k: int) -> Tensor:
    """0/1 mask of the ``top_k`` input features most correlated (in absolute value) with the
    label of a 2-class dataset; ties broken by feature index (E-LIN)."""
    x, y = as_tensors(data)
    corr = feature_label_correlation(x, y)
    order = np.lexsort((np.arange(corr.size), -np.abs(corr)))
    mask = np.zeros(corr.size, dtype=np.float32)
    mask[order[:top_k]] = 1.0
    return torch.from_numpy(mask).reshape(x.shape[1:])
