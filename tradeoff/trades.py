r"""B-TRADES: Zhang et al. (ICML 2019)'s decomposition and upper bound, exactly, on D(p, eta, d).

For a score ``f(x) = w.x + b`` and an l_inf adversary of radius ``eps`` (threat radius on every
coordinate), let ``Y = y f(x)`` and ``r = eps*||w||_1`` (the most the adversary can lower ``Y``).
Given ``y`` and ``s = y*x1``, ``Y ~ N(w1*s + m + y*b, sigma^2)`` with ``m = eta*sum(w_rest)``,
``sigma = ||w_rest||_2`` (docs/theory.md §2), so every term is a closed form:

- natural error ``R_nat(f) = P[sign(f(x)) != y]``;
- robust error ``R_rob(f) = P[exists ||delta|| <= eps: sign(f(x + delta)) != y]``;
- boundary error ``R_bdy(f) = P[sign(f(x)) = y and exists delta: sign(f(x + delta)) != y]``,
  for ``sigma > 0`` equal to ``P[0 < Y <= r] = sum Phi(mu/sigma) - Phi((mu - r)/sigma)``;
- hinge risk ``R_phi(f) = E max(0, 1 - Y)``
  ``= sum (1-mu) Phi((1-mu)/sigma) + sigma phi((1-mu)/sigma)`` (the expected hinge of
  :func:`tradeoff.svm.expected_hinge`, the one home of that Gaussian formula);
- Bayes error ``R*_nat = 1 - A_B`` (:mod:`tradeoff.bayes`) and minimal hinge risk over all
  measurable scores ``R*_phi = 2 R*_nat`` (the conditional hinge risk is minimized at
  ``2 min(eta(x), 1 - eta(x))``).

**What is encoded.** The decomposition ``R_rob = R_nat + R_bdy`` and, for the hinge loss
(``psi(theta) = theta``), the inequality of their Theorem 3.1 as we state it:

.. math::
    R_{rob}(f) - R^*_{nat} \le \big(R_\phi(f) - R^*_\phi\big) + R_{bdy}(f).

We could not consult the paper's text with the tools available; this is the version the suite
checks. Sign convention: ``sign(0) = -1`` (this project's, and Bartlett, Jordan & McAuliffe's
for the comparison inequality that the proof uses). If instead a score of exactly 0 counts as an
error for both labels (``f(X)Y <= 0``), the inequality fails for scores with an atom at 0:
``f = 0`` has ``R_rob = 1``, ``R_phi = 1``, ``R_bdy = 0`` and the inequality reads
``1 - R* <= 1 - 2R*``, false whenever the Bayes error ``R* > 0`` (the claim's negative control,
``ties="error"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from tradeoff._validation import check_bias, check_dist, check_real, check_weights
from tradeoff.bayes import bayes_accuracy
from tradeoff.distribution import Distribution
from tradeoff.linear import normalize, scaled_norm

__all__ = ["TradesTerms", "hinge_risk", "trades_terms"]

TIES = ("minus", "error")


@dataclass(frozen=True)
class TradesTerms:
    """Every term of the TRADES decomposition and bound for one linear score, exactly.

    ``lhs = robust_error - bayes_error``; ``rhs = hinge_excess + boundary_error``;
    ``slack = rhs - lhs`` (>= 0 when the bound holds).
    """

    natural_error: float
    robust_error: float
    boundary_error: float
    hinge_risk: float
    bayes_error: float
    min_hinge_risk: float

    @property
    def hinge_excess(self) -> float:
        return self.hinge_risk - self.min_hinge_risk

    @property
    def lhs(self) -> float:
        return self.robust_error - self.bayes_error

    @property
    def rhs(self) -> float:
        return self.hinge_excess + self.boundary_error

    @property
    def slack(self) -> float:
        return self.rhs - self.lhs

    @property
    def decomposition_residual(self) -> float:
        """``R_rob - (R_nat + R_bdy)``: 0 up to round-off."""
        return self.robust_error - self.natural_error - self.boundary_error


def _conditionals(w, dist: Distribution, b):
    """``(weight, big, m, sigma, y)`` of the four conditional laws of ``Y = y f(x)``: ``Y`` is
    normal with mean ``big + m`` (``big = w1*s + y*b``, the x1 and bias terms, summed first so
    that their exact cancellation keeps a tiny ``m``) and standard deviation ``sigma`` (a
    scaled norm: ``||(1.9e-248)||_2`` must not underflow to 0; soak finding)."""
    w = check_weights(w, dist.dim)
    if w.ndim != 1:
        raise ValueError(f"w must have shape ({dist.dim},), got {w.shape}")
    bb = float(check_bias(b, None))
    w1, rest = float(w[0]), w[1:]
    m, sigma = dist.eta * float(rest.sum()), float(scaled_norm(rest))
    out = []
    for y in (1.0, -1.0):
        for s, weight in ((1.0, dist.p), (-1.0, 1.0 - dist.p)):
            out.append((0.5 * weight, w1 * s + y * bb, m, sigma, y))
    return w, out


def hinge_risk(w, dist: Distribution, b=0.0) -> float:
    """Exact hinge risk ``E max(0, 1 - y (w.x + b))`` on D (closed form of
    ``E max(0, a - sigma Z)``)."""
    check_dist(dist)
    _, conds = _conditionals(w, dist, b)
    from tradeoff.svm import expected_hinge  # lazy: tradeoff.svm loads scipy.optimize, cvxpy

    total = 0.0
    for weight, big, m, sigma, _ in conds:
        total += weight * float(expected_hinge((1.0 - big) - m, sigma))  # E max(0, 1 - Y)
    return total


def trades_terms(w, dist: Distribution, eps: float, b=0.0, *, ties: str = "minus") -> TradesTerms:
    """All terms of B-TRADES for the score ``w.x + b`` at l_inf radius ``eps`` (closed forms).

    Parameters
    ----------
    w : array_like, shape (d+1,)
    dist : Distribution
    eps : float
        l_inf radius ``>= 0``.
    b : float
    ties : {"minus", "error"}
        ``"minus"``: a score of 0 predicts -1 (the project's convention, used by the claim).
        ``"error"``: a score of 0 is an error for both labels (``f(X)Y <= 0``), which breaks the
        bound for scores with an atom at 0 (the negative control).
    """
    check_dist(dist)
    eps = check_real("eps", eps, low=0.0)
    if ties not in TIES:
        raise ValueError(f"ties must be one of {TIES}, got {ties!r}")
    w, _ = _conditionals(w, dist, b)
    # The 0-1 terms are invariant under scaling (w, b) by c > 0: scale to max entry 1 so that
    # eps*||w||_1 and the tie w.x + b = 0 survive weights near 1e-300 (the hinge risk is not
    # scale-invariant and uses the original (w, b)).
    wn, bn = normalize(w, np.asarray(float(check_bias(b, None))))
    _, conds = _conditionals(wn, dist, float(bn))
    # The attack lowers Y by eps*||w||_1, split into the x1 share (subtracted from the x1 terms)
    # and the weak share (from m), so that neither absorbs the other (docs/theory.md §2).
    r1, r_rest = eps * abs(float(wn[0])), eps * float(np.abs(wn[1:]).sum())
    nat = rob = bdy = 0.0
    for weight, big, m, sigma, y in conds:
        mu, mu_rob = big + m, (big - r1) + (m - r_rest)
        if sigma > 0:
            p_ok = float(ndtr(mu / sigma))
            p_rob_ok = float(ndtr(mu_rob / sigma))
        else:
            # deterministic Y = mu: correct iff Y > 0, or Y >= 0 for y = -1 under "minus"
            strict = ties == "error" or y > 0
            p_ok = float(mu > 0 if strict else mu >= 0)
            p_rob_ok = float(mu_rob > 0 if strict else mu_rob >= 0)
        nat += weight * (1.0 - p_ok)
        rob += weight * (1.0 - p_rob_ok)
        bdy += weight * max(0.0, p_ok - p_rob_ok)
    bayes_err = 1.0 - bayes_accuracy(dist)
    return TradesTerms(natural_error=nat, robust_error=rob, boundary_error=bdy,
                       hinge_risk=hinge_risk(w, dist, b), bayes_error=bayes_err,
                       min_hinge_risk=2.0 * bayes_err)
