"""The paper's model D(p, eta, d) (Tsipras et al. 2019, eq. (3), p. 4).

``y`` is uniform on {-1, +1}; the robust feature ``x1 = +y`` with probability ``p`` and ``-y``
otherwise; the ``d`` weak features are i.i.d. ``N(eta*y, 1)``. Coordinate 0 of an input is the
paper's ``x1``. The weak block enters every linear or threshold rule through its sufficient
statistic ``z = sum_{i>=2} x_i / sqrt(d)``, with ``y*z ~ N(k, 1)``, ``k = eta*sqrt(d)`` (C-ZLAW).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tradeoff._validation import as_generator, check_int, check_real

__all__ = [
    "Distribution",
    "sufficient_statistic",
]


@dataclass(frozen=True)
class Distribution:
    r"""The distribution :math:`\mathcal{D}(p, \eta, d)` of the paper's eq. (3).

    Parameters
    ----------
    p : float
        Probability that the robust feature agrees with the label, in ``[0, 1]``. The paper's
        theorems assume ``p >= 1/2``; the distribution itself is defined on all of ``[0, 1]``.
    eta : float
        Mean shift of each weak feature, finite and ``>= 0``.
    d : int
        Number of weak features, an integer ``>= 1``. Inputs have ``d + 1`` coordinates.

    Notes
    -----
    .. math::
        y \sim U\{-1,+1\},\quad x_1 = \begin{cases} +y & \text{w.p. } p\\ -y & \text{w.p. } 1-p
        \end{cases},\quad x_2,\dots,x_{d+1} \overset{iid}{\sim} \mathcal{N}(\eta y, 1).
    """

    p: float
    eta: float
    d: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", check_real("p", self.p, low=0.0, high=1.0))
        object.__setattr__(self, "eta", check_real("eta", self.eta, low=0.0))
        object.__setattr__(self, "d", check_int("d", self.d, low=1))

    @property
    def k(self) -> float:
        """``k = eta * sqrt(d)``: the mean of ``y*z`` (C-ZLAW)."""
        return self.eta * math.sqrt(self.d)

    @property
    def dim(self) -> int:
        """Input dimension ``d + 1``."""
        return self.d + 1

    def sample(self, n: int, rng: np.random.Generator | int) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``n`` i.i.d. pairs ``(x, y)``; returns ``X`` of shape ``(n, d+1)`` and ``y``."""
        n = check_int("n", n, low=1)
        gen = as_generator(rng)
        y = gen.choice(np.array([-1.0, 1.0]), size=n)
        agree = gen.random(n) < self.p
        x1 = np.where(agree, y, -y)
        weak = gen.standard_normal((n, self.d)) + self.eta * y[:, None]
        return np.column_stack([x1, weak]), y

    def sample_sufficient(
        self, n: int, rng: np.random.Generator | int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Draw ``n`` i.i.d. triples ``(x1, z, y)`` with ``z ~ N(k*y, 1)`` given ``y``.

        Same law as ``(X[:, 0], X[:, 1:].sum(1)/sqrt(d), y)`` from :meth:`sample`, at O(n) cost.
        """
        n = check_int("n", n, low=1)
        gen = as_generator(rng)
        y = gen.choice(np.array([-1.0, 1.0]), size=n)
        agree = gen.random(n) < self.p
        x1 = np.where(agree, y, -y)
        z = gen.standard_normal(n) + self.k * y
        return x1, z, y


def sufficient_statistic(X: np.ndarray) -> np.ndarray:
    """``z = sum_{i>=2} x_i / sqrt(d)`` for each row of ``X`` (shape ``(n, d+1)``)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] < 2:
        raise ValueError(f"X must have shape (n, d+1) with d >= 1, got shape {X.shape}")
    return X[:, 1:].sum(axis=1) / math.sqrt(X.shape[1] - 1)
