r"""Sample (adversarial) SVMs on data from D(p, eta, d): full dimension and sufficient statistics.

:func:`empirical_svm` / :class:`EmpiricalSVM` (full dimension) and :func:`sufficient_svm` (two
variables on ``(x1, z)``) solve the sample version of eq. (5) of the paper with cvxpy/Clarabel,
``eps_train`` a DPP ``Parameter`` so sweeps reuse one compiled problem; the (adversarial) hinge
is C-HINGE's closed form. :func:`empirical_hinge_risk` scores weights on a sample. cvxpy is
imported lazily inside the functions that need it, so ``import tradeoff`` stays fast.

References
----------
.. [1] D. Tsipras, S. Santurkar, L. Engstrom, A. Turner, A. Madry, "Robustness May Be at Odds
   with Accuracy", ICLR 2019 (arXiv:1805.12152v5), Theorem 2.2 (p. 6) and Appendix D (pp. 16–18).
"""

from __future__ import annotations

import math

import numpy as np

from tradeoff._validation import (
    check_design,
    check_int,
    check_labels,
    check_norm,
    check_real,
    check_vector,
)

__all__ = ["EmpiricalSVM", "empirical_hinge_risk", "empirical_svm", "sufficient_svm"]



def _check_eps_train(eps_train: object) -> float:
    return check_real("eps_train", eps_train, low=0.0)


def _check_lam(lam: object) -> float | None:
    if lam is None:
        return None
    return check_real("lam", lam, low=0.0, low_open=True)


def _require_optimal(problem, what: str) -> None:
    import cvxpy as cp

    if problem.status != cp.OPTIMAL:
        raise RuntimeError(f"{what}: cvxpy/Clarabel returned status {problem.status!r}; "
                           "only 'optimal' is accepted (never 'optimal_inaccurate')")


def _two_variable_problem(features: np.ndarray, weights: np.ndarray, sqrt_d: float, eps: float,
                          norm: str, lam: float | None):
    """cvxpy problem ``min sum_i weights_i pos(1 - features_i . w + eps ||w||_*)`` over
    ``w = (w1, u)``, ``||w||_2 <= 1`` (or ``+ lam/2 ||w||^2``). Returns ``(problem, w)``."""
    import cvxpy as cp

    w = cp.Variable(2)
    dual = cp.abs(w[0]) + sqrt_d * cp.abs(w[1]) if norm == "inf" else cp.norm(w, 2)
    hinge = weights @ cp.pos(1 - features @ w + eps * dual)
    if lam is None:
        problem = cp.Problem(cp.Minimize(hinge), [cp.norm(w, 2) <= 1])
    else:
        problem = cp.Problem(cp.Minimize(hinge + lam / 2 * cp.sum_squares(w)))
    return problem, w


def _solve_two_variable(features, weights, sqrt_d, eps, norm, lam, what):
    import cvxpy as cp

    problem, w = _two_variable_problem(features, weights, sqrt_d, eps, norm, lam)
    problem.solve(solver=cp.CLARABEL)
    _require_optimal(problem, what)
    return float(w.value[0]), float(w.value[1]), float(problem.value)


class EmpiricalSVM:
    r"""Full-dimension sample SVM compiled once; ``eps_train`` is a DPP parameter.

    Parameters
    ----------
    X : array_like, shape (n, d+1)
        Inputs (coordinate 0 is x1), finite.
    y : array_like, shape (n,)
        Labels in {-1, +1}.
    lam : float or None, default None
        ``None``: the unit-norm SVM, :math:`\min \frac1n\sum_i \text{hinge}_i` s.t.
        :math:`\lVert w\rVert_2 \le 1` (the paper's tuning of ``lambda``). A float ``> 0``: the
        penalized objective :math:`\frac1n\sum_i \text{hinge}_i + \frac{\lambda}{2}\lVert
        w\rVert_2^2` (sample version of eq. (5)).
    norm : {"inf", "2"}, default "inf"
        Threat model of adversarial training.

    Notes
    -----
    The (adversarial) hinge of sample ``i`` is :math:`\max(0, 1 - y_i w\cdot x_i +
    \epsilon\lVert w\rVert_1)` (C-HINGE; ``||w||_2`` for l_2), with no bias, as in App. D
    (pp. 16–18). ``eps`` enters as a ``cvxpy.Parameter(nonneg=True)`` multiplying a convex,
    parameter-free expression, so the problem is DPP (:meth:`is_dpp`) and :meth:`solve` reuses
    the compiled problem across a sweep. Cost grows like ``n * d^2``: keep full-dimension solves
    small and use :func:`sufficient_svm` for population-scale work.
    """

    def __init__(self, X, y, *, lam: float | None = None, norm: str = "inf") -> None:
        import cvxpy as cp

        X = check_design(X)
        y = check_labels(y, X.shape[0])
        self.lam = _check_lam(lam)
        self.norm = check_norm(norm)
        self.n, self.dim = X.shape
        self._w = cp.Variable(self.dim)
        self._eps = cp.Parameter(nonneg=True, value=0.0)
        signed = y[:, None] * X
        dual = cp.norm1(self._w) if self.norm == "inf" else cp.norm(self._w, 2)
        hinge = cp.sum(cp.pos(1 - signed @ self._w + self._eps * dual)) / self.n
        if self.lam is None:
            self.problem = cp.Problem(cp.Minimize(hinge), [cp.norm(self._w, 2) <= 1])
        else:
            self.problem = cp.Problem(cp.Minimize(hinge + self.lam / 2 * cp.sum_squares(self._w)))

    def is_dpp(self) -> bool:
        """Whether the compiled problem is DPP in ``eps_train`` (it is, by construction)."""
        return bool(self.problem.is_dpp())

    def solve(self, eps_train: float = 0.0) -> np.ndarray:
        """Solve at training radius ``eps_train`` (finite, ``>= 0``); returns weights (d+1,)."""
        import cvxpy as cp

        self._eps.value = _check_eps_train(eps_train)
        self.problem.solve(solver=cp.CLARABEL)
        _require_optimal(self.problem, "EmpiricalSVM.solve")
        return np.array(self._w.value, dtype=float)

    @property
    def value(self) -> float:
        """Objective value of the last solve."""
        return float(self.problem.value)


def empirical_svm(X, y, eps_train: float = 0.0, *, lam: float | None = None,
                  norm: str = "inf") -> np.ndarray:
    r"""Full-dimension sample (adversarial) SVM; weights of length ``d + 1``.

    ``lam=None`` (default) solves the unit-norm version: minimize the mean (adversarial) hinge
    subject to ``||w||_2 <= 1``, no bias, like the paper's App. D (pp. 16–18). See
    :class:`EmpiricalSVM` for the formulation, the DPP sweep and the cost; this is a thin wrapper
    that compiles and solves once.
    """
    return EmpiricalSVM(X, y, lam=lam, norm=norm).solve(eps_train)


def sufficient_svm(x1, z, y, d: int, eps_train: float = 0.0, *, lam: float | None = None,
                   norm: str = "inf") -> np.ndarray:
    r"""Sample (adversarial) SVM on the sufficient statistics ``(x1, z)``; weights of length d+1.

    Parameters
    ----------
    x1, z, y : array_like, shape (n,)
        Robust feature, ``z = sum_{i>=2} x_i / sqrt(d)`` and labels in {-1, +1}
        (e.g. from :meth:`Distribution.sample_sufficient`).
    d : int
        Number of weak features (enters through ``||w||_1 = |w1| + sqrt(d)|u|``).
    eps_train : float, default 0.0
    lam : float or None
        As in :class:`EmpiricalSVM`.
    norm : {"inf", "2"}

    Returns
    -------
    numpy.ndarray
        ``(w1, (u/sqrt(d)) 1_d)``. On the same data, these weights give exactly the same scores,
        norms and hence objective as the two-variable solution, so the full-dimension SVM's
        objective is at most this one's, with equality when the sample is symmetric in the weak
        coordinates.

    Notes
    -----
    Two variables ``(w1, u)``: :math:`\min \frac1n \sum_i \max(0, 1 - y_i(w_1 x_{1,i} + u z_i) +
    \epsilon(|w_1| + \sqrt d |u|))` s.t. :math:`w_1^2 + u^2 \le 1` (C-HINGE, App. D).
    """
    x1 = check_vector("x1", x1, None)
    n = x1.shape[0]
    z = check_vector("z", z, n)
    y = check_labels(y, n)
    d = check_int("d", d)
    eps = _check_eps_train(eps_train)
    lam = _check_lam(lam)
    norm = check_norm(norm)
    features = np.column_stack([y * x1, y * z])
    w1, u, _ = _solve_two_variable(features, np.full(n, 1.0 / n), math.sqrt(d), eps, norm, lam,
                                   "sufficient_svm")
    return _full_weights(w1, u, d)


def empirical_hinge_risk(w, X, y, eps_train: float = 0.0, *, norm: str = "inf") -> float:
    """Mean (adversarial, C-HINGE) hinge loss of weights ``w`` on a sample ``(X, y)``."""
    X = check_design(X)
    y = check_labels(y, X.shape[0])
    eps = _check_eps_train(eps_train)
    norm = check_norm(norm)
    w = np.asarray(w, dtype=float)
    if w.shape != (X.shape[1],) or not np.all(np.isfinite(w)):
        raise ValueError(f"w must be finite with shape ({X.shape[1]},), got shape {w.shape}")
    dual = np.abs(w).sum() if norm == "inf" else np.linalg.norm(w)
    return float(np.mean(np.maximum(0.0, 1.0 - y * (X @ w) + eps * dual)))


def _full_weights(w1: float, u: float, d: int) -> np.ndarray:
    w = np.full(d + 1, u / math.sqrt(d))
    w[0] = w1
    return w
