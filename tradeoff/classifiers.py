r"""The classifier families the verifier searches over, each with exact accuracies where they exist.

Families (issue #2, deliverable 3):

- :class:`LinearRule` — ``sign(w.x + b)``, any weights and bias (closed forms of
  :mod:`tradeoff.linear`); ``f_avg``, ``f_rob``, the population and sample SVMs are instances.
- :class:`ThresholdRule` — a rule on ``(x1, z)``: for ``x1 > 0`` predict ``+1`` iff ``z > u_+``
  (forward) or ``z < u_+`` (reversed), likewise with ``u_-`` when ``x1 <= 0``. Exact standard,
  shift and robust accuracy (l_inf and l_2) by interval arithmetic on ``z``.
- :class:`Mixture` — a randomized classifier that draws one component per input. The adversary is
  taken to know the drawn component, so every accuracy is the weighted mean (documented choice).
- :class:`NeuralNet` — a small random ReLU network in numpy, evaluated by Monte Carlo only.

Every family also exposes ``p_matrix(dist)``: the four numbers ``p_ij = G_j[f(i, .) = +1]`` of
Appendix C (rows ``i = x1 in (+, -)``, columns ``j = weak block drawn from (G_+, G_-)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr

from tradeoff import linear
from tradeoff._validation import check_norm, check_real
from tradeoff.distribution import Distribution, sufficient_statistic

__all__ = [
    "LinearRule",
    "Mixture",
    "NeuralNet",
    "ThresholdRule",
]


def _sign(score: np.ndarray) -> np.ndarray:
    """The project's convention: ``+1`` iff the score is ``> 0``, else ``-1``."""
    return np.where(score > 0, 1.0, -1.0)


@dataclass(frozen=True)
class LinearRule:
    """``f(x) = sign(w.x + b)`` with ``w`` of length ``d + 1``."""

    w: np.ndarray = field(repr=False)
    b: float = 0.0
    name: str = "linear"

    def __post_init__(self) -> None:
        w = np.asarray(self.w)
        if w.ndim != 1 or w.size < 2 or w.dtype.kind not in "biuf" or not np.all(np.isfinite(w)):
            raise ValueError(f"w must be a finite real vector of length d+1 >= 2, got {self.w!r}")
        object.__setattr__(self, "w", w.astype(float))
        object.__setattr__(self, "b", check_real("b", self.b))

    def score(self, X: np.ndarray, y=None, eps: float = 0.0, norm: str = "inf") -> np.ndarray:
        """``(w.x + b) / c`` per row, ``c = max(|w_i|, |b|)`` (a positive factor: only the sign
        is meant), summed as ``(w1 x1 + b) + w_rest.x_rest``; with labels ``y`` and
        ``eps > 0``, the same after the worst move of the ``l_norm`` ball,
        ``(w.x + b - eps y ||w||_*) / c``, with the dual norm split the same way.

        ``x1`` is ``+-1``, so ``w1 x1 + b`` (and ``- eps y |w1|``) is exact or correctly
        rounded and is exactly 0 when the terms cancel; the weak part is added after. The
        plain ``X @ w + b`` absorbs a tiny weak part into ``w1 x1`` first and then cancels to 0
        (``w = (1, 7.8e-220)``, ``b = 1`` at ``p = 0``: every draw scored 0, accuracy 0 instead
        of the exact 1/4 — a false L-ACCURACY violation).
        """
        X = np.asarray(X, dtype=float)
        # Divided by c = max(|w_i|, |b|) > 0 (the sign is unchanged): eps * |w1| must not
        # underflow (soak finding: w = (1.3e-301, 0), b = eps = 1.3e-301, p = 1, eta = 0 gave
        # eps|w1| = 0, a tie predicted -1 instead of a move to +1: robust error 0, exact 1/2).
        c = max(float(np.max(np.abs(self.w))), abs(self.b))
        c = c if c > 0 else 1.0
        w1, rest, b = float(self.w[0]) / c, self.w[1:] / c, self.b / c
        big = X[..., 0] * w1 + b
        small = X[..., 1:] @ rest
        if y is not None and eps > 0.0:
            if norm == "inf":
                rest_dual = float(np.sum(np.abs(rest)))
            else:  # ||w||_2 - |w1| = ||w_rest||^2 / (||w||_2 + |w1|), no cancellation
                n_rest = math.hypot(*rest)
                total = math.hypot(w1, n_rest)
                rest_dual = n_rest * (n_rest / (total + abs(w1))) if total > 0 else 0.0
            y = np.asarray(y, dtype=float)
            big = big - eps * y * abs(w1)
            small = small - eps * y * rest_dual
        return big + small

    def predict(self, X: np.ndarray) -> np.ndarray:
        """``sign(w.x + b)`` per row (:meth:`score`; a score of 0 predicts ``-1``)."""
        return _sign(self.score(X))

    def standard_accuracy(self, dist: Distribution) -> float:
        return linear.standard_accuracy(self.w, dist, self.b)

    def robust_accuracy(self, dist: Distribution, eps: float, norm: str = "inf") -> float:
        return linear.robust_accuracy(self.w, dist, eps, norm, self.b)

    def shift_accuracy(self, dist: Distribution) -> float:
        return linear.shift_accuracy(self.w, dist, self.b)

    def p_matrix(self, dist: Distribution) -> np.ndarray:
        if self.w.shape != (dist.dim,):
            raise ValueError(f"w must have length d+1 = {dist.dim}, got {self.w.shape[0]}")
        w, b = linear.normalize(self.w, np.asarray(self.b))
        w1, rest, b = float(w[0]), w[1:], float(b)
        sigma = float(linear.scaled_norm(rest))
        out = np.empty((2, 2))
        for a, i in enumerate((1.0, -1.0)):
            for c, j in enumerate((1.0, -1.0)):
                mu = w1 * i + b + j * dist.eta * float(rest.sum())
                out[a, c] = ndtr(mu / sigma) if sigma > 0 else float(mu > 0)
        return out


@dataclass(frozen=True)
class ThresholdRule:
    """Threshold rule on ``(sign(x1), z)``; thresholds may be ``+-inf``."""

    u_plus: float
    u_minus: float
    forward_plus: bool = True
    forward_minus: bool = True
    name: str = "threshold"

    def __post_init__(self) -> None:
        for field_name in ("u_plus", "u_minus"):
            value = getattr(self, field_name)
            if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
                raise ValueError(f"{field_name} must be a real threshold in [-inf, inf], "
                                 f"got {value!r}")

    def _rule(self, branch: int) -> tuple[float, bool]:
        if branch > 0:
            return self.u_plus, self.forward_plus
        return self.u_minus, self.forward_minus

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        z = sufficient_statistic(X)
        out = np.empty(len(X))
        for branch, mask in ((1, X[:, 0] > 0), (-1, X[:, 0] <= 0)):
            u, fwd = self._rule(branch)
            plus = z[mask] > u if fwd else z[mask] < u
            out[mask] = np.where(plus, 1.0, -1.0)
        return out

    def _correct_interval(self, branch: int, y: float, e: float) -> tuple[float, float]:
        """Interval of original ``z`` whose whole ``[z - e, z + e]`` is classified ``y``."""
        u, fwd = self._rule(branch)
        says_plus_above = fwd  # forward: +1 above u; reversed: +1 below u
        if (y > 0) == says_plus_above:
            return (u + e, math.inf)
        return (-math.inf, u - e)

    def _accuracy(self, mean_scale: float, dist: Distribution, eps: float, norm: str) -> float:
        total = 0.0
        for y in (1.0, -1.0):
            for s, weight in ((1.0, dist.p), (-1.0, 1.0 - dist.p)):
                x1 = s * y
                lo, hi = -math.inf, math.inf
                for branch, e in self._reachable(x1, eps, norm, dist.d):
                    a, b = self._correct_interval(branch, y, e)
                    lo, hi = max(lo, a), min(hi, b)
                mean = mean_scale * y * dist.k
                prob = max(0.0, float(ndtr(hi - mean) - ndtr(lo - mean))) if lo < hi else 0.0
                total += 0.5 * weight * prob
        return total

    @staticmethod
    def _reachable(x1: float, eps: float, norm: str, d: int) -> list[tuple[int, float]]:
        """Branches of ``sign(x1 + delta1)`` the adversary reaches, each with its budget on z."""
        own = 1 if x1 > 0 else -1
        out = [(own, eps * math.sqrt(d) if norm == "inf" else eps)]
        # Crossing to the other branch: from +1 to <= 0 needs |delta1| >= 1; from -1 to > 0
        # needs |delta1| > 1.
        reach = eps >= 1.0 if own > 0 else eps > 1.0
        if reach:
            # l_2: sqrt(eps^2 - 1) written as eps sqrt((1 - 1/eps)(1 + 1/eps)), which neither
            # overflows (eps ~ 1e308) nor loses the budget to cancellation near eps = 1
            budget = eps * math.sqrt(d) if norm == "inf" else (
                eps * math.sqrt(max((1.0 - 1.0 / eps) * (1.0 + 1.0 / eps), 0.0)))
            out.append((-own, budget))
        return out

    def standard_accuracy(self, dist: Distribution) -> float:
        return self._accuracy(1.0, dist, 0.0, "inf")

    def shift_accuracy(self, dist: Distribution) -> float:
        return self._accuracy(-1.0, dist, 0.0, "inf")

    def robust_accuracy(self, dist: Distribution, eps: float, norm: str = "inf") -> float:
        eps = check_real("eps", eps, low=0.0)
        return self._accuracy(1.0, dist, eps, check_norm(norm))

    def p_matrix(self, dist: Distribution) -> np.ndarray:
        out = np.empty((2, 2))
        for a, i in enumerate((1, -1)):
            u, fwd = self._rule(i)
            for c, j in enumerate((1.0, -1.0)):
                above = float(ndtr(j * dist.k - u))  # G_j[z > u]
                out[a, c] = above if fwd else 1.0 - above
        return out


@dataclass(frozen=True)
class Mixture:
    """A randomized classifier: component ``i`` with probability ``weights[i]``."""

    components: tuple
    weights: tuple[float, ...]
    name: str = "mixture"

    def __post_init__(self) -> None:
        w = np.asarray(self.weights, dtype=float)
        if (w.shape != (len(self.components),) or len(w) == 0 or np.any(w < 0)
                or not np.all(np.isfinite(w)) or abs(w.sum() - 1.0) > 1e-12):
            raise ValueError("weights must be one probability per component (non-negative, "
                             f"summing to 1), got {self.weights!r}")

    def predict(self, X: np.ndarray, rng: np.random.Generator | None = None) -> np.ndarray:
        gen = rng if rng is not None else np.random.default_rng(0)
        pick = gen.choice(len(self.components), size=len(X), p=np.asarray(self.weights))
        out = np.empty(len(X))
        for i, comp in enumerate(self.components):
            mask = pick == i
            if mask.any():
                out[mask] = comp.predict(np.asarray(X)[mask])
        return out

    def _mean(self, values: list[float]) -> float:
        return float(np.dot(self.weights, values))

    def standard_accuracy(self, dist: Distribution) -> float:
        return self._mean([c.standard_accuracy(dist) for c in self.components])

    def shift_accuracy(self, dist: Distribution) -> float:
        return self._mean([c.shift_accuracy(dist) for c in self.components])

    def robust_accuracy(self, dist: Distribution, eps: float, norm: str = "inf") -> float:
        return self._mean([c.robust_accuracy(dist, eps, norm) for c in self.components])

    def p_matrix(self, dist: Distribution) -> np.ndarray:
        return sum(w * c.p_matrix(dist) for w, c in zip(self.weights, self.components, strict=True))


@dataclass(frozen=True)
class NeuralNet:
    """``sign(relu(x W1 + b1) . w2 + b2)``: a small random network, Monte Carlo only."""

    W1: np.ndarray = field(repr=False)
    b1: np.ndarray = field(repr=False)
    w2: np.ndarray = field(repr=False)
    b2: float = 0.0
    name: str = "neural-net"

    @classmethod
    def random(cls, dim: int, hidden: int, seed: int, *, weak_scale: float = 1.0) -> NeuralNet:
        """He-initialised random weights; ``weak_scale`` rescales the weights on x2..x_{d+1}."""
        gen = np.random.default_rng(seed)
        W1 = gen.standard_normal((dim, hidden)) * math.sqrt(2.0 / dim)
        W1[1:] *= weak_scale
        return cls(W1, gen.standard_normal(hidden) * 0.1, gen.standard_normal(hidden),
                   float(gen.standard_normal() * 0.1))

    def predict(self, X: np.ndarray) -> np.ndarray:
        hidden = np.maximum(np.asarray(X) @ self.W1 + self.b1, 0.0)
        return _sign(hidden @ self.w2 + self.b2)

    exact = False
