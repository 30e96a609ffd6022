r"""Independent re-solves of the population SVM with cvxpy, and the tolerance they must meet.

:func:`population_svm_crosscheck` re-solves :func:`tradeoff.svm_population.population_svm_result`'s
problem with cvxpy/Clarabel on sampled sufficient statistics (tolerance
:func:`sampled_tolerance`, failure probability ``1e-9``) or on Gauss–Hermite quadrature of the
``(x1, z)`` law (l_inf and l_2). Risks are compared with the direct closed form of
:func:`tradeoff.svm_kkt.hinge_risk_of_weights` (full weights, no logarithms), never through the
solver's own log-risk code.

References
----------
.. [1] D. Tsipras, S. Santurkar, L. Engstrom, A. Turner, A. Madry, "Robustness May Be at Odds
   with Accuracy", ICLR 2019 (arXiv:1805.12152v5), Theorem 2.2 (p. 6) and Appendix D (pp. 16–18).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from tradeoff import linear
from tradeoff._validation import as_generator, check_dist, check_int, check_norm, check_real
from tradeoff.distribution import Distribution
from tradeoff.svm_kkt import hinge_risk_of_weights
from tradeoff.svm_population import SVMResult, population_svm_result
from tradeoff.svm_sample import _full_weights, _solve_two_variable

__all__ = [
    "CrossCheck",
    "QuadratureSVM",
    "population_svm_crosscheck",
    "quadrature_svm",
    "sampled_tolerance",
]



def _check_eps_train(eps_train: object) -> float:
    return check_real("eps_train", eps_train, low=0.0)


def sampled_tolerance(n: int, dist: Distribution, eps_train: float, *, delta: float = 1e-9,
                      mean_feature_norm: float, norm: str = "inf") -> float:
    r"""Bound on the excess population risk of the sampled cross-check, valid w.p. ``>= 1-delta``.

    Parameters
    ----------
    n : int
        Sample size.
    dist : Distribution
    eps_train : float
    delta : float
        Failure probability (default ``1e-9``).
    mean_feature_norm : float
        ``(1/n) sum_i ||(s_i, y_i z_i)||_2`` of the sample (a Lipschitz constant of the empirical
        risk; computed from the data, so no probability is spent on it).
    norm : {"inf", "2"}

    Returns
    -------
    float
        ``tol`` such that ``R(w_hat) - R(w*) <= tol`` with probability ``>= 1 - delta`` (plus the
        solver's optimality gap, added by the caller).

    Notes
    -----
    With ``R_n`` the sample risk, ``w_hat`` its minimizer and ``w*`` the population one,

    .. math::
        R(\hat w) - R(w^*) \le [R(\hat w) - R_n(\hat w)] + [R_n(w^*) - R(w^*)]

    (as :math:`R_n(\hat w) \le R_n(w^*)`). At a fixed ``w`` with ``||w|| <= rho``, conditionally
    on the signs ``s_i`` the sample risk is a ``(|u|/sqrt(n))``-Lipschitz function of the Gaussian
    vector ``Z`` (Gaussian concentration), and its conditional mean is an average of terms with
    range ``2|w1|`` (Hoeffding); the two sub-Gaussian factors give
    :math:`P(R_n(w) - R(w) > t) \le e^{-n t^2/(2\rho^2)}` and the same for the other tail — no
    CLT. The second bracket uses this at ``w*`` (failure ``delta/2``). The first is a supremum over
    the unit disk: a grid of spacing ``h`` (``N <= pi (1/h + 1 + 1/sqrt 2)^2`` points of norm
    ``<= 1 + h``, covering radius ``h/sqrt 2``) with a union bound (failure ``delta/2``), plus the
    Lipschitz constants
    ``E||x|| + eps C <= sqrt(2 + k^2) + eps C`` (population) and ``mean ||x_i|| + eps C`` (sample),
    ``C = sqrt(1 + d)`` (l_inf) or 1 (l_2). The best ``h`` of a small list is used.
    """
    n = check_int("n", n)
    eps = _check_eps_train(eps_train)
    delta = check_real("delta", delta, low=0.0, high=1.0, low_open=True, high_open=True)
    norm = check_norm(norm)
    c = math.sqrt(1.0 + dist.d) if norm == "inf" else 1.0
    lip = math.sqrt(2.0 + dist.k ** 2) + mean_feature_norm + 2.0 * eps * c
    t_fixed = math.sqrt(2.0 * math.log(2.0 / delta) / n)
    best = math.inf
    for h in (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2):
        # Lattice points of spacing h in the disk of radius 1 + h: their h-squares lie in the
        # disk of radius 1 + h + h/sqrt(2), so there are at most pi (1/h + 1 + 1/sqrt 2)^2.
        n_points = math.pi * (1.0 / h + 1.0 + 1.0 / math.sqrt(2.0)) ** 2
        t_net = (1.0 + h) * math.sqrt(2.0 * math.log(2.0 * n_points / delta) / n)
        best = min(best, t_fixed + t_net + h / math.sqrt(2.0) * lip)
    return best


@dataclass(frozen=True)
class CrossCheck:
    """Population SVM versus an independent cvxpy solve (see :func:`population_svm_crosscheck`).

    ``excess = R(w_hat) - R(w*)`` is the exact population risk of the cvxpy solution minus that of
    :func:`population_svm`; ``agrees`` is ``-1e-9 <= excess <= tolerance``. The lower end is
    deterministic (``w*`` is a population minimizer); the upper is the derived tolerance.
    """

    method: str
    population: SVMResult = field(repr=False)
    w1_hat: float
    u_hat: float
    risk_population: float
    risk_crosscheck: float
    excess: float
    tolerance: float
    standard_accuracy_population: float
    standard_accuracy_crosscheck: float
    robust_accuracy_population: float
    robust_accuracy_crosscheck: float
    n: int

    @property
    def agrees(self) -> bool:
        return -1e-9 <= self.excess <= self.tolerance


def population_svm_crosscheck(dist: Distribution, eps_train: float = 0.0, *, n: int = 100_000,
                              rng: np.random.Generator | int = 0, method: str = "sample",
                              delta: float = 1e-9, norm: str = "inf") -> CrossCheck:
    r"""Re-solve the population SVM with cvxpy (Clarabel) and compare risks and accuracies.

    Parameters
    ----------
    dist : Distribution
    eps_train : float, default 0.0
    n : int, default 100000
        Sample size (``method="sample"``) or number of Gauss–Hermite nodes
        (``method="quadrature"``, at most 2000).
    rng : numpy.random.Generator or int
        Randomness for ``method="sample"`` (ignored for quadrature).
    method : {"sample", "quadrature"}
        ``"sample"``: ``n`` sufficient statistics ``(x1, z, y)`` from
        :meth:`Distribution.sample_sufficient`; tolerance from :func:`sampled_tolerance` at
        failure probability ``delta`` plus ``1e-6`` solver slack. ``"quadrature"``: a
        probabilists' Gauss–Hermite rule for ``Z`` (deterministic); tolerance
        ``|R - R_GH|(w_hat) + |R_GH - R|(w*) + 1e-6``, both quadrature errors computed exactly.
    delta : float, default 1e-9
    norm : {"inf", "2"}

    Returns
    -------
    CrossCheck

    Notes
    -----
    The cvxpy problem is :math:`\min \sum_i \omega_i \max(0, 1 - w_1 s_i - u\zeta_i +
    \epsilon(|w_1| + \sqrt d |u|))` s.t. :math:`\lVert (w_1, u)\rVert_2 \le 1`, DCP by C-HINGE,
    with ``(s_i, zeta_i) = (y x1, y z)`` and weights ``omega_i``. Only status ``OPTIMAL`` is
    accepted. Both solutions are scored with the exact risk and exact accuracies (standard, and
    l_inf-robust at ``eps = 2*eta``), never by comparing weights (the objective is flat).
    """
    dist = check_dist(dist)
    eps = _check_eps_train(eps_train)
    norm = check_norm(norm)
    if method not in ("sample", "quadrature"):
        raise ValueError(f"method must be one of ('sample', 'quadrature'), got {method!r}")
    n = check_int("n", n, low=2 if method == "quadrature" else 1)
    delta = check_real("delta", delta, low=0.0, high=1.0, low_open=True, high_open=True)
    sqrt_d = math.sqrt(dist.d)
    pop = population_svm_result(dist, eps, norm=norm)
    # Both solutions are scored by the direct closed form on full weights (svm_kkt), not by the
    # solver's log-risk code: a slip there cannot cancel out.
    risk_star = hinge_risk_of_weights(dist, pop.weights, eps, norm)[0]
    if method == "sample":
        gen = as_generator(rng)
        x1, z, y = dist.sample_sufficient(n, gen)
        features = np.column_stack([y * x1, y * z])
        w1h, uh, _ = _solve_two_variable(features, np.full(n, 1.0 / n), sqrt_d, eps, norm, None,
                                         "population_svm_crosscheck")
        mean_norm = float(np.mean(np.hypot(features[:, 0], features[:, 1])))
        tol = sampled_tolerance(n, dist, eps, delta=delta, mean_feature_norm=mean_norm,
                                norm=norm) + 1e-6
        risk_hat = hinge_risk_of_weights(dist, _full_weights(w1h, uh, dist.d), eps, norm)[0]
    else:
        q = quadrature_svm(dist, eps, n=n, norm=norm)
        w1h, uh = q.w1, q.u
        risk_hat = q.risk
        # R(w_hat) - R(w*) <= [R - R_GH](w_hat) + [R_GH - R](w*) since R_GH(w_hat) <= R_GH(w*).
        tol = abs(q.risk - q.quadrature_risk) + abs(q.quadrature_risk_of(pop.weights) - risk_star)
        tol += 1e-6
    w_hat = _full_weights(w1h, uh, dist.d)
    eps_eval = 2.0 * dist.eta
    return CrossCheck(
        method=method, population=pop, w1_hat=w1h, u_hat=uh, risk_population=risk_star,
        risk_crosscheck=risk_hat, excess=risk_hat - risk_star, tolerance=tol,
        standard_accuracy_population=pop.standard_accuracy(),
        standard_accuracy_crosscheck=linear.standard_accuracy(w_hat, dist),
        robust_accuracy_population=pop.robust_accuracy(eps_eval),
        robust_accuracy_crosscheck=linear.robust_accuracy(w_hat, dist, eps_eval),
        n=n,
    )


@dataclass(frozen=True)
class QuadratureSVM:
    """The population SVM re-solved by cvxpy on a Gauss–Hermite rule (see :func:`quadrature_svm`).

    ``risk`` is the exact population risk of the solution (direct closed form, full weights);
    ``quadrature_risk`` the value of the quadrature objective there.
    """

    w1: float
    u: float
    weights: np.ndarray = field(repr=False)
    risk: float
    quadrature_risk: float
    dist: Distribution = field(repr=False)
    eps_train: float
    norm: str
    n: int

    def quadrature_risk_of(self, weights) -> float:
        """The quadrature objective at full weights ``weights`` (same rule, same norm)."""
        return _quadrature_objective(self.dist, self.eps_train, self.norm, self.n, weights)

    def standard_accuracy(self) -> float:
        """Exact standard accuracy of ``sign(weights . x)``."""
        return linear.standard_accuracy(self.weights, self.dist)


def _rule(dist: Distribution, n: int):
    nodes, gw = np.polynomial.hermite_e.hermegauss(n)
    gw = gw / math.sqrt(2.0 * math.pi)
    zeta = dist.k + nodes
    features = np.concatenate([np.column_stack([np.ones(n), zeta]),
                               np.column_stack([-np.ones(n), zeta])])
    weights = np.concatenate([dist.p * gw, (1.0 - dist.p) * gw])
    return features, weights


def _quadrature_objective(dist: Distribution, eps: float, norm: str, n: int, weights) -> float:
    """``sum_i omega_i max(0, 1 - s_i w1 - zeta_i u' + eps ||w||_*)`` at full weights: the
    weak block enters through ``u' = sum(w_rest)/sqrt(d)``, exact for equal weak weights."""
    w = np.asarray(weights, dtype=float)
    d = w.shape[0] - 1
    features, omega = _rule(dist, n)
    dual = float(np.abs(w).sum()) if norm == "inf" else linear.scaled_norm(w)
    u_eff = float(w[1:].sum()) / math.sqrt(d)
    return float(omega @ np.maximum(0.0, 1.0 - features @ np.array([w[0], u_eff]) + eps * dual))


def quadrature_svm(dist: Distribution, eps_train: float = 0.0, *, n: int = 200,
                   norm: str = "inf") -> QuadratureSVM:
    r"""Population (adversarial) unit-norm SVM by cvxpy on Gauss–Hermite quadrature (l_inf, l_2).

    An independent second solver for :func:`tradeoff.svm_population.population_svm_result`: a
    convex program (no grid, no circle search, no log-risk) on the law of ``(s, zeta) = (y x1,
    y z)``, ``zeta ~ N(k, 1)``, discretized by the probabilists' ``n``-point Gauss–Hermite rule:

    .. math::
        \min_{w_1^2 + u^2 \le 1} \sum_i \omega_i \max(0, 1 - s_i w_1 - \zeta_i u
        + \epsilon_{train} \lVert w
Vert_*).

    Parameters
    ----------
    dist : Distribution
    eps_train : float, default 0.0
    n : int, default 200
        Nodes, in ``[2, 300]`` (numpy's Gauss–Hermite weights overflow beyond).
    norm : {"inf", "2"}

    Returns
    -------
    QuadratureSVM
        The solution, its exact population risk and its quadrature objective.
    """
    dist = check_dist(dist)
    eps = _check_eps_train(eps_train)
    norm = check_norm(norm)
    n = check_int("n", n, low=2)
    if n > 300:
        raise ValueError(f"n (Gauss–Hermite nodes) must be in [2, 300], got {n}")
    features, omega = _rule(dist, n)
    w1, u, value = _solve_two_variable(features, omega, math.sqrt(dist.d), eps, norm, None,
                                       "quadrature_svm")
    scale = max(1.0, math.hypot(w1, u))  # the interior-point solver may overshoot by ~1e-8
    w1, u = w1 / scale, u / scale
    full = _full_weights(w1, u, dist.d)
    risk = hinge_risk_of_weights(dist, full, eps, norm)[0]
    value = _quadrature_objective(dist, eps, norm, n, full)
    return QuadratureSVM(w1=w1, u=u, weights=full, risk=risk, quadrature_risk=value, dist=dist,
                         eps_train=eps, norm=norm, n=n)
