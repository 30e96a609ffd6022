"""Claims beyond the paper (IDs B-…): the best robust accuracy, the Bayes rule, TRADES'
decomposition and bound, and the separation of the data (the frontier claims live in
:mod:`tradeoff.claims.frontier`).

Exact families are checked with closed forms and explicit float slack; the neural-network family
by Monte Carlo (Clopper–Pearson at ``alpha = 1e-9``, seeds derived from the case's parameters).
See docs/beyond/*.md for the mathematics and the numbers.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st
from scipy import integrate

from tradeoff import bayes, bounds, certified, linear, optrobust, separation, trades
from tradeoff.claims._certified_checks import theorem21_gap
from tradeoff.claims._common import ABS_TOL, ALPHA, accuracy_tol, checked, float_tol
from tradeoff.claims.base import Claim, Outcome
from tradeoff.classifiers import LinearRule, NeuralNet
from tradeoff.distribution import Distribution
from tradeoff.montecarlo import clopper_pearson, derive_seed, estimate_accuracy
from tradeoff.strategies import (
    ClassifierCase,
    classifiers,
    distributions,
    linear_rules,
    mostly,
    radii_at_least,
)

__all__ = [
    "CLAIMS",
    "SeparationCase",
    "TradesCase",
    "check_bayes",
    "check_not_separated",
    "check_optrobust",
    "check_trades",
]

MC_N = 20_000
_SVMS = importlib.util.find_spec("tradeoff.svm") is not None
_PAPER = Distribution(0.95, 0.3, 100)  # k = 3
_K2 = Distribution(0.95, 0.2, 100)  # k = 2


def _is_exact(f) -> bool:
    return not isinstance(f, NeuralNet)


def _seed(tag: str, case) -> int:
    if isinstance(case, dict):  # the frontier claims' mapping cases
        dist, f, eps = case["dist"], case.get("classifier"), case.get("eps")
    else:
        dist, f, eps = case.dist, getattr(case, "classifier", None), getattr(case, "eps", None)
    ident = f.W1.tobytes().hex()[:40] if isinstance(f, NeuralNet) else repr(f)
    return derive_seed(tag, dist.p, dist.eta, dist.d, eps, ident)


def _below(a: float) -> float:
    """``a`` lowered by 8 ulps (never below 0)."""
    return max(0.0, a - 8 * math.ulp(a))


def _all_classifiers(dist: Distribution):
    return classifiers(dist, svms=_SVMS)


# --- B-OPTROBUST -----------------------------------------------------------------------------

def _interior_dist(draw, p_low: float = 0.51, p_high: float = 0.999,
                   max_d: int = 5000) -> Distribution:
    d = draw(st.one_of(st.integers(1, 64), st.integers(1, max_d)))
    k = draw(st.floats(0.3, 6.0))
    return Distribution(draw(st.floats(p_low, p_high)), k / math.sqrt(d), d)


def _in_interior(dist: Distribution, p_low: float = 0.51) -> bool:
    return p_low <= dist.p <= 0.999 and 0.3 * (1 - 1e-12) <= dist.k <= 6.0 * (1 + 1e-12)


def check_optrobust(case) -> Outcome:
    """acc_eps(f) <= R*(eps), and the optimal-robust threshold rule attains R*(eps)."""
    dist, eps, f = case.dist, case.eps, case.classifier
    if dist.p >= 0.5:
        best = checked(optrobust.optimal_robust_accuracy(dist, eps))
    else:  # outside the closed form's range (negative control): the formula as printed
        best = optrobust.optrobust_expression(dist.p, dist.k, eps * math.sqrt(dist.d))
    attain = 0.0
    if dist.p >= 0.5:
        rule = optrobust.optimal_robust_classifier(dist, eps)
        attain = float_tol(1.0) * 4 - abs(rule.robust_accuracy(dist, eps) - best)
    if _is_exact(f):
        rob = f.robust_accuracy(dist, eps)
        slack = min(best - rob, attain)
        return Outcome(slack >= -float_tol(1.0), slack,
                       f"robust={rob:.12g}, R*={best:.12g}, achiever gap slack {attain:.2g}")
    tau = min(eps, dist.eta)
    est = optrobust.shifted_accuracy_estimate(f.predict, dist, tau, MC_N,
                                              _seed("B-OPTROBUST", case), alpha=ALPHA)
    slack = min(best - est.low, attain)
    return Outcome(slack >= -float_tol(1.0), slack,
                   f"MC shift({tau:.4g}) acc in [{est.low:.4f}, {est.high:.4f}], R*={best:.6g}")


def _optrobust_cases():
    @st.composite
    def edges(draw):
        dist = draw(distributions())
        eps = draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0, exclude_max=True),
                             st.just(min(dist.eta, 0.999)), st.just(min(dist.eta / 2, 0.999))))
        opt = optrobust.optimal_robust_classifier(dist, eps)
        f = draw(st.one_of(st.just(opt), _all_classifiers(dist)))
        return ClassifierCase(dist, eps, f)

    @st.composite
    def interior(draw):
        dist = _interior_dist(draw, 0.5, max_d=400)
        eps = draw(st.floats(0.0, min(dist.eta, 0.999), exclude_max=True))
        opt = optrobust.optimal_robust_classifier(dist, eps)
        f = draw(st.one_of(st.just(opt), _all_classifiers(dist)))
        return ClassifierCase(dist, eps, f)

    return mostly(interior(), edges())


def _optrobust_informative(case) -> bool:
    return _in_interior(case.dist, 0.5) and case.eps < case.dist.eta


# --- B-BAYES ---------------------------------------------------------------------------------

def check_bayes(case) -> Outcome:
    """acc(f) <= A_B; the linear Bayes rule's exact accuracy is A_B; its robust accuracy at
    eps >= 2*eta is the closed form of :func:`tradeoff.bayes.bayes_robust_accuracy` and obeys
    Theorem 2.1 (it is non-robust when it is accurate)."""
    dist, eps, f = case.dist, case.eps, case.classifier
    a_b = checked(bayes.bayes_accuracy(dist))
    parts = []
    note = f"A_B={a_b:.9g}"
    if 0.0 < dist.p < 1.0:
        w = bayes.bayes_weights(dist)
        parts.append(float_tol(1.0) * 4 - abs(linear.standard_accuracy(w, dist) - a_b))
        r_b = linear.robust_accuracy(w, dist, eps)
        if dist.eta > 0:
            closed = bayes.bayes_robust_accuracy(dist, eps)
            parts.append(1e-12 - abs(closed - r_b))
        factor = dist.p / (1.0 - dist.p)
        bound = bounds.bound_expression(a_b, dist.p)
        tol = accuracy_tol(factor, bound)
        if dist.p < 0.5 or tol is not None:
            parts.append(bound - r_b + (tol or 0.0))
        else:  # p near 1: Theorem 2.1 at the Bayes rule with certified balls, no float slack
            gap = theorem21_gap(bayes.bayes_rule(dist), dist, eps)[0]
            # undecided (None) is no violation: at p = 1 - 2**-53, eta = 0.25, d = 1 the gap is
            # about exp(-2600), far below the balls' 212-bit resolution (soak finding)
            parts.append(-1.0 if certified.certify_leq(0, gap) is False else 0.0)
            if dist.eta > 0:
                parts.append(ABS_TOL - abs(r_b - bayes.bayes_robust_accuracy(dist, eps)))
        note += f", R_B(eps)={r_b:.6g}, bound at A_B={bound:.6g}"
    if _is_exact(f):
        acc = f.standard_accuracy(dist)
        parts.append(a_b - acc + float_tol(1.0))
        note += f", acc(f)={acc:.9g}"
    else:
        est = estimate_accuracy(f.predict, dist, MC_N, _seed("B-BAYES", case), alpha=ALPHA)
        parts.append(a_b - est.low)
        note += f", MC acc(f) in [{est.low:.4f}, {est.high:.4f}]"
    slack = min(parts)
    return Outcome(slack >= 0, slack, note)


def _bayes_cases():
    @st.composite
    def edges(draw):
        dist = draw(distributions())
        eps = draw(radii_at_least(2 * dist.eta))
        f = draw(st.one_of(st.just(LinearRule(bayes.bayes_weights(dist), name="bayes")),
                           _all_classifiers(dist)))
        return ClassifierCase(dist, eps, f)

    @st.composite
    def interior(draw):
        dist = _interior_dist(draw, 0.51, max_d=400)
        eps = draw(st.one_of(st.just(2 * dist.eta), st.floats(2 * dist.eta, 2 * dist.eta + 1)))
        f = draw(st.one_of(st.just(bayes.bayes_rule(dist)), _all_classifiers(dist)))
        return ClassifierCase(dist, eps, f)

    return mostly(interior(), edges())


def _bayes_informative(case) -> bool:
    return _in_interior(case.dist)


# --- B-TRADES --------------------------------------------------------------------------------

TRADES_MAX_D = 64
"""Searched d for B-TRADES: the Monte Carlo cross-check costs O(n*d)."""
TRADES_MC_N = 20_000


@dataclass(frozen=True)
class TradesCase:
    """A distribution, an l_inf radius, a linear rule and the tie convention of the 0-1 loss."""

    dist: Distribution
    eps: float
    classifier: LinearRule
    ties: str = "minus"


def _hinge_by_quadrature(w: np.ndarray, b: float, dist: Distribution) -> float:
    """``E max(0, 1 - y (w.x + b))`` by numerical integration over ``z ~ N(0, 1)`` (scipy quad),
    independently of :func:`tradeoff.trades.hinge_risk`'s closed form."""
    w1, rest = float(w[0]), np.asarray(w[1:], dtype=float)
    sigma = float(np.linalg.norm(rest))
    mean_rest = dist.eta * math.fsum(rest)
    total = 0.0
    for y in (1.0, -1.0):
        for s, weight in ((1.0, dist.p), (-1.0, 1.0 - dist.p)):
            mu = w1 * s + mean_rest + y * b
            if sigma == 0.0:
                total += 0.5 * weight * max(0.0, 1.0 - mu)
                continue
            top = (1.0 - mu) / sigma  # the hinge is positive for z < top

            def integrand(t, mu=mu):
                return (1.0 - mu - sigma * t) * math.exp(-0.5 * t * t) / math.sqrt(2 * math.pi)

            if top < -40:  # the hinge is 0 but on a set of Gaussian mass < 1e-348
                continue
            # beyond |z| = 40 the Gaussian weight (< 1e-348) underflows: integrate [-40, top]
            upper = min(top, 40.0)
            value, _ = integrate.quad(integrand, -40.0, upper, points=[min(0.0, upper)],
                                      epsabs=1e-14, epsrel=1e-12, limit=200)
            total += 0.5 * weight * value
    return total


def _trades_by_sampling(f: LinearRule, dist: Distribution, eps: float, seed: int):
    """Clopper–Pearson intervals (alpha = 1e-9 each) of the natural, robust and boundary errors
    from samples of :meth:`Distribution.sample`, the worst l_inf perturbation of a linear score
    ``delta = -eps * y * sign(w)`` applied to each sampled score, and :meth:`LinearRule.predict`
    on the clean samples (no closed form)."""
    X, y = dist.sample(TRADES_MC_N, seed)
    ok = f.predict(X) == y
    # The move delta changes the score by w.delta = -eps*y*||w||_1; adding it to the score
    # (rather than to X) keeps a tiny eps from being absorbed by x (1 + 1e-232 == 1 in floats),
    # which would hide the flip of a score that sits exactly at the tie 0.
    moved_score = f.score(X, y, eps, "inf")  # x1 and weak shares summed apart
    ok_moved = np.where(moved_score > 0, 1.0, -1.0) == y
    counts = {"natural_error": int(np.sum(~ok)), "robust_error": int(np.sum(~ok_moved)),
              "boundary_error": int(np.sum(ok & ~ok_moved))}
    return {k: clopper_pearson(v, TRADES_MC_N, ALPHA) for k, v in counts.items()}


def check_trades(case) -> Outcome:
    """R_rob = R_nat + R_bdy and R_rob - R*_nat <= (R_hinge - R*_hinge) + R_bdy, with every term
    of :func:`tradeoff.trades.trades_terms` checked by a second computation: the 0-1 terms
    against :mod:`tradeoff.linear`'s accuracies (exact) and against sampling with the explicit
    worst perturbation (Clopper–Pearson, alpha = 1e-9), the hinge risk against quadrature."""
    dist, eps, f, ties = case.dist, case.eps, case.classifier, case.ties
    terms = trades.trades_terms(f.w, dist, eps, f.b, ties=ties)
    nat, rob, bdy = (checked(v) for v in (terms.natural_error, terms.robust_error,
                                          terms.boundary_error))
    hinge = checked(terms.hinge_risk)
    tol = float_tol(1.0, hinge) * 16
    lhs = rob - terms.bayes_error
    rhs = hinge - terms.min_hinge_risk + bdy
    parts = {"decomposition": tol - abs(rob - nat - bdy), "bound": rhs - lhs + tol,
             "hinge excess": hinge - terms.min_hinge_risk + tol}
    if ties == "minus":
        parts["natural vs linear"] = tol - abs(nat - (1.0 - linear.standard_accuracy(
            f.w, dist, f.b)))
        parts["robust vs linear"] = tol - abs(rob - (1.0 - linear.robust_accuracy(
            f.w, dist, eps, "inf", f.b)))
        parts["Bayes error"] = tol - abs(terms.bayes_error - (1.0 - bayes.bayes_accuracy(dist)))
        quad = _hinge_by_quadrature(f.w, f.b, dist)
        parts["hinge vs quadrature"] = 1e-9 * (1.0 + abs(quad)) - abs(hinge - quad)
        if dist.d <= TRADES_MAX_D:
            seed = derive_seed("B-TRADES", dist.p, dist.eta, dist.d, eps, repr(f))
            for name, (lo, hi) in _trades_by_sampling(f, dist, eps, seed).items():
                value = {"natural_error": nat, "robust_error": rob, "boundary_error": bdy}[name]
                parts[f"{name} vs sampling"] = min(value - lo, hi - value)
    worst = min(parts, key=parts.get)
    # the slack reported (and steered towards) is the bound's; a failed cross-check reports its own
    slack = parts[worst] if parts[worst] < 0 else parts["bound"]
    return Outcome(parts[worst] >= 0, slack,
                   f"R_rob-R*={lhs:.6g} <= hinge excess {hinge - terms.min_hinge_risk:.6g} + "
                   f"R_bdy {bdy:.6g} (ties={ties}); tightest part: {worst}")


def _trades_cases():
    @st.composite
    def edges(draw):
        dist = draw(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False,
                                  max_d=TRADES_MAX_D))
        eps = draw(radii_at_least(0.0))
        return TradesCase(dist, eps, draw(linear_rules(dist.d)))

    @st.composite
    def interior(draw):
        d = draw(st.integers(1, TRADES_MAX_D))
        dist = Distribution(draw(st.floats(0.01, 0.99)), draw(st.floats(0.3, 6.0)) / math.sqrt(d),
                            d)
        eps = draw(st.floats(0.0, 1.0, exclude_min=True))
        weak = draw(st.floats(0.05, 5.0))
        w1 = draw(st.floats(-5.0, 5.0))
        spread = draw(st.floats(0.0, 1.0))
        rest = weak + spread * np.sin(np.arange(1, d + 1, dtype=float))
        rule = LinearRule(np.concatenate([[w1], rest]), draw(st.floats(-2.0, 2.0)))
        return TradesCase(dist, eps, rule)

    return mostly(interior(), edges())


def _trades_informative(case) -> bool:
    dist = case.dist
    return (0.0 < dist.p < 1.0 and 0.3 * (1 - 1e-12) <= dist.k <= 6.0 * (1 + 1e-12)
            and 0.0 < case.eps <= 1.0 and bool(np.any(case.classifier.w[1:] != 0)))


# --- B-SEPARATION ----------------------------------------------------------------------------

SEP_MAX_D = 64


@dataclass(frozen=True)
class SeparationCase:
    """A distribution and a distance ``delta``."""

    dist: Distribution
    delta: float


def _q_by_quadrature(dist: Distribution, delta: float) -> float:
    """``log q(delta)`` independently of :mod:`tradeoff.separation`'s closed form: the x1 part
    by enumerating the four sign pairs, the weak part by integrating the density of one weak
    difference ``x_i - x'_i ~ N(2 eta, 2)`` over ``[-delta, delta]`` (scipy quad)."""
    p = dist.p
    agree = 0.0
    for s, ps in ((1.0, p), (-1.0, 1.0 - p)):  # x1 = s given y = +1
        for t, pt in ((-1.0, p), (1.0, 1.0 - p)):  # x1' = t given y' = -1
            if abs(s - t) <= delta:
                agree += ps * pt
    if agree == 0.0 or delta == 0.0:
        return -math.inf

    def density(x):
        return math.exp(-((x - 2 * dist.eta) ** 2) / 4.0) / math.sqrt(4.0 * math.pi)

    inside, _ = integrate.quad(density, -delta, delta, points=[min(max(2 * dist.eta, -delta),
                                                                   delta)],
                               epsabs=0.0, epsrel=1e-13, limit=200)
    return math.log(agree) + dist.d * math.log(inside) if inside > 0 else -math.inf


def check_not_separated(case) -> Outcome:
    """q(delta) > 0 (D is not separated at any radius); q equals its quadrature to 1e-9
    relative, and the share of sampled inter-class pairs within delta (pairs of
    :meth:`Distribution.sample`) is in its Clopper–Pearson interval."""
    dist, delta = case.dist, case.delta
    q = checked(separation.close_pair_probability(dist, delta))
    log_q = separation.log_close_pair_probability(dist, delta)
    log_quad = _q_by_quadrature(dist, delta)
    if math.isfinite(log_quad) and q > 0:
        rel = abs(math.log(q) - log_quad) if math.isfinite(log_q) else math.inf
        exact_slack = 1e-9 * (1.0 + dist.d * 1e-2) - max(rel, abs(log_q - log_quad))
    else:
        exact_slack = 0.0 if (q == 0.0 and log_quad == -math.inf) else -1.0
    X, y = dist.sample(2 * MC_N + 2000, derive_seed("B-SEPARATION", dist.p, dist.eta, dist.d,
                                                    delta))
    plus, minus = X[y > 0], X[y < 0]
    m = min(len(plus), len(minus))
    hits = int(np.sum(np.abs(plus[:m] - minus[:m]).max(axis=1) <= delta))
    lo, hi = clopper_pearson(hits, m, ALPHA)
    slack = min(q - lo, hi - q) if exact_slack >= 0 else exact_slack
    positive = log_q > -math.inf
    if not positive:
        slack = min(slack, -1.0)
    return Outcome(positive and slack >= 0, slack,
                   f"q({delta:.4g})={q:.4g} (log {log_q:.4g}, quadrature {log_quad:.4g}); sampled "
                   f"{hits}/{m} in [{lo:.4g}, {hi:.4g}]")


def _separation_cases():
    @st.composite
    def edges(draw):
        p = draw(st.one_of(st.just(0.5), st.floats(0.5, 1.0, exclude_max=True, exclude_min=False)))
        d = draw(st.integers(1, SEP_MAX_D))
        eta = draw(st.one_of(st.just(0.0), st.floats(0.0, 3.0)))
        delta = draw(st.one_of(st.just(2.0), st.floats(1e-3, 3.0)))
        return SeparationCase(Distribution(p, eta, d), delta)

    @st.composite
    def interior(draw):
        d = draw(st.integers(1, 6))
        dist = Distribution(draw(st.floats(0.5, 0.95)), draw(st.floats(0.0, 0.75)), d)
        return SeparationCase(dist, draw(st.floats(1.0, 3.5)))

    return mostly(interior(), edges())


def _separation_informative(case) -> bool:
    """q in [1e-3, 0.999]: the sampled share resolves it."""
    q = separation.close_pair_probability(case.dist, case.delta)
    return 1e-3 <= q <= 0.999


# --- the registry entries --------------------------------------------------------------------

def _bayes_regressions():
    """Known hard cases of B-BAYES (Claim.regressions)."""
    top = Distribution(1 - 2**-53, 0.25, 1)
    return [("soak: Theorem 2.1's gap at the Bayes rule ~exp(-2600), undecided in 212-bit balls",
             ClassifierCase(top, 0.5, LinearRule(bayes.bayes_weights(top), name="bayes")))]




def _trades_regressions():
    """Known hard cases of B-TRADES (Claim.regressions)."""
    tiny = 1.2797644661459448e-301
    return [("soak: eps * |w1| underflowed in the sampled attack (robust error 0, exact 1/2)",
             TradesCase(Distribution(1.0, 0.0, 1), tiny, LinearRule(np.array([tiny, 0.0]), tiny))),
            ("soak: sigma of a 1.9e-248 weak weight underflowed (natural error 1.0, exact 0.75)",
             TradesCase(Distribution(0.0, 0.0, 1), 0.0,
                        LinearRule(np.array([1.0, 1.8774074355946485e-248]), 1.0))),
            ("the attack's weak share 1e-30 absorbed into eps*||w||_1 (exact 0.758)",
             TradesCase(Distribution(1.0, 0.3, 1), 1.0, LinearRule(np.array([1.0, 1e-30]))))]


CLAIMS: list[Claim] = [
    Claim(
        id="B-OPTROBUST",
        title="The best robust accuracy at every radius",
        statement=("For 0 <= eps < eta the largest l_inf-robust accuracy of any classifier is "
                   "p*Phi(s + a/(2s)) + (1-p)*Phi(s - a/(2s)), s = (eta-eps)*sqrt(d), "
                   "a = log(p/(1-p)); for eta <= eps < 1 it is p. The threshold rule with "
                   "u = -a/(2s) (f_rob for eps >= eta) attains it."),
        source="beyond the paper (docs/beyond/optrobust.md)",
        hypotheses="1/2 <= p < 1, eta >= 0, d >= 1, 0 <= eps < 1; every classifier family",
        cases=_optrobust_cases,
        check=check_optrobust,
        witness=lambda: ClassifierCase(_PAPER, 0.15,
                                       optrobust.optimal_robust_classifier(_PAPER, 0.15)),
        witness_note="eps = eta/2: the achiever attains R* = 0.9787 (slack ~ 0)",
        negative_control=lambda: ClassifierCase(Distribution(0.3, 0.3, 100), 0.3,
                                                LinearRule(-bounds.f_rob_weights(100),
                                                           name="-f_rob")),
        control_note="p = 0.3 < 1/2: -sign(x1) is robust with accuracy 0.7 > formula's p = 0.3",
        kind="exact+monte-carlo",
        code=("tradeoff.optrobust.optimal_robust_accuracy",
              "tradeoff.optrobust.optimal_robust_classifier",
              "tradeoff.classifiers.ThresholdRule.robust_accuracy"),
        max_examples_scale=0.5,
        informative=_optrobust_informative,
        informative_region="1/2 <= p <= 0.999, 0.3 <= k <= 6, 0 <= eps < eta",
    ),
    Claim(
        id="B-BAYES",
        title="The Bayes classifier is linear, optimal and (when accurate) non-robust",
        statement=("The log-likelihood ratio is log(p/(1-p))*x1 + 2*eta*sum x_i; the Bayes rule's "
                   "standard accuracy A_B = p*Phi(k + a/(2k)) + (1-p)*Phi(k - a/(2k)) bounds every "
                   "classifier's, and its exact l_inf-robust accuracy at eps >= 2*eta is at most "
                   "p/(1-p)*(1 - A_B) (0.0024 at p = 0.95, k = 3)."),
        source="beyond the paper (docs/beyond/bayes.md); the paper's remark on the Bayes rule",
        hypotheses="1/2 <= p < 1, eta >= 0, d >= 1, eps >= 2*eta; every classifier family",
        cases=_bayes_cases,
        check=check_bayes,
        witness=lambda: ClassifierCase(_PAPER, 0.6, bayes.bayes_rule(_PAPER)),
        witness_note="the Bayes rule itself: accuracy A_B (slack 0)",
        negative_control=lambda: ClassifierCase(Distribution(0.3, 0.1, 100), 0.2,
                                                LinearRule(bounds.f_rob_weights(100))),
        control_note="p = 0.3 < 1/2: R_B = 0.198 exceeds the bound expression 0.06",
        kind="exact+monte-carlo",
        code=("tradeoff.bayes.bayes_weights", "tradeoff.bayes.bayes_accuracy",
              "tradeoff.bayes.bayes_robust_accuracy", "tradeoff.linear.standard_accuracy",
              "tradeoff.linear.robust_accuracy"),
        max_examples_scale=0.5,
        informative=_bayes_informative,
        informative_region="1/2 < p <= 0.999 and 0.3 <= k <= 6",
        regressions=_bayes_regressions,
    ),
    Claim(
        id="B-TRADES",
        title="TRADES: robust = natural + boundary error, and the hinge upper bound",
        statement=("For every linear score f = w.x + b and eps >= 0: R_rob(f) = R_nat(f) + "
                   "R_bdy(f), and R_rob(f) - R*_nat <= (R_hinge(f) - R*_hinge) + R_bdy(f) with "
                   "R*_hinge = 2 R*_nat (Zhang et al. 2019, Thm 3.1 with psi(theta) = theta), "
                   "sign(0) = -1."),
        source="Zhang et al., ICML 2019, Section 3 (statement as encoded in tradeoff/trades.py)",
        hypotheses=("0 <= p <= 1, eta >= 0, d >= 1, eps >= 0, any w, b; a score 0 predicts -1 "
                    "(searched d <= 64: the sampling cross-check costs O(n*d))"),
        cases=_trades_cases,
        check=check_trades,
        witness=lambda: TradesCase(Distribution(0.95, 0.0, 5), 0.5,
                                   LinearRule(bounds.f_rob_weights(5))),
        witness_note="eta = 0, f = x1: every term of the bound is tight (slack 0)",
        negative_control=lambda: TradesCase(Distribution(0.95, 0.5, 9), 0.1,
                                            LinearRule(np.zeros(10)), ties="error"),
        control_note="f = 0 with ties counted as errors (f(X)Y <= 0): 1 - R* > 1 - 2R*",
        code=("tradeoff.trades.trades_terms", "tradeoff.trades.hinge_risk",
              "tradeoff.bayes.bayes_accuracy", "tradeoff.linear.standard_accuracy",
              "tradeoff.linear.robust_accuracy"),
        kind="exact+monte-carlo",
        informative=_trades_informative,
        informative_region="0 < p < 1, 0.3 <= k <= 6, 0 < eps <= 1, weak weights not all 0",
        regressions=_trades_regressions,
    ),
    Claim(
        id="B-SEPARATION",
        title="D is not separated at any radius (Yang et al. 2020's criterion)",
        statement=("For 0 < p < 1, two independent points of different labels are within l_inf "
                   "distance delta with probability q(delta) = (2p(1-p) + (p^2 + (1-p)^2)"
                   "[delta >= 2]) * (Phi((delta - 2 eta)/sqrt 2) - Phi((-delta - 2 eta)/sqrt 2))^d "
                   "> 0 for every delta > 0: no r-separation, unlike the 5,000 MNIST digits "
                   "(train-train l_inf separation 0.92 > 2 * 0.3)."),
        source="Yang et al., NeurIPS 2020 (r-separation); docs/beyond/separation.md",
        hypotheses="0 < p < 1 (searched 1/2 <= p < 1), eta in [0, 3], 1 <= d <= 64, delta > 0",
        cases=_separation_cases,
        check=check_not_separated,
        witness=lambda: SeparationCase(Distribution(0.95, 0.3, 10), 1.2),
        witness_note="delta = 2 * (2*eta): q = 3e-4 > 0 although small",
        negative_control=lambda: SeparationCase(Distribution(1.0, 0.3, 10), 1.2),
        control_note="p = 1: x1 = y separates the classes by 2 (q = 0)",
        kind="exact+monte-carlo",
        code=("tradeoff.separation.close_pair_probability",
              "tradeoff.separation.log_close_pair_probability",
              "tradeoff.distribution.Distribution.sample"),
        informative=_separation_informative,
        informative_region="1e-3 <= q(delta) <= 0.999 (the sampled share resolves q)",
    ),
]
