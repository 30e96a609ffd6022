"""Claims beyond the paper (IDs B-…): the exact frontier, the best robust accuracy, the Bayes rule,
TRADES' decomposition and bound, and the separation of the data.

Exact families are checked with closed forms and explicit float slack; the neural-network family
by Monte Carlo (Clopper–Pearson at ``alpha = 1e-9``, seeds derived from the case's parameters).
See docs/beyond/*.md for the mathematics and the numbers.
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np
from hypothesis import strategies as st

from tradeoff import bayes, bounds, frontier, linear, optrobust, separation, trades
from tradeoff.claims._common import ALPHA, float_tol
from tradeoff.claims.base import Claim, Outcome
from tradeoff.classifiers import LinearRule, NeuralNet
from tradeoff.distribution import Distribution
from tradeoff.montecarlo import clopper_pearson, derive_seed, estimate_accuracy
from tradeoff.strategies import (
    classifiers,
    dims,
    distributions,
    linear_rules,
    probabilities,
    radii_at_least,
)

MC_N = 20_000
_SVMS = importlib.util.find_spec("tradeoff.svm") is not None
_PAPER = Distribution(0.95, 0.3, 100)  # k = 3
_K2 = Distribution(0.95, 0.2, 100)  # k = 2


def _is_exact(f) -> bool:
    return not isinstance(f, NeuralNet)


def _seed(tag: str, case) -> int:
    dist, f = case["dist"], case.get("classifier")
    ident = f.W1.tobytes().hex()[:40] if isinstance(f, NeuralNet) else repr(f)
    return derive_seed(tag, dist.p, dist.eta, dist.d, case.get("eps"), ident)


def _below(a: float) -> float:
    """``a`` lowered by 8 ulps (never below 0)."""
    return max(0.0, a - 8 * math.ulp(a))


def _all_classifiers(dist: Distribution):
    return classifiers(dist, svms=_SVMS)


# --- B-FRONTIER: every classifier lies under the exact frontier ------------------------------

def check_under_frontier(case) -> Outcome:
    """acc_eps(f) <= F(acc(f)), F the proven upper frontier (exact at eps = 2*eta)."""
    dist, eps, f = case["dist"], case["eps"], case["classifier"]
    a_bayes = bayes.bayes_accuracy(dist)
    if _is_exact(f):
        acc, rob = f.standard_accuracy(dist), f.robust_accuracy(dist, eps)
        # F is the frontier at 2*eta: valid for every eps >= 2*eta (and exact at 2*eta)
        # evaluated 8 ulps below acc: the computed accuracy may round above the true one, and F
        # is steep near the Bayes accuracy
        up, tol = frontier.upper_frontier_with_tolerance(dist, _below(min(acc, a_bayes)),
                                                         2 * dist.eta, search=False)
        tol += float_tol(1.0)
        slack = up - rob
        return Outcome(slack >= -tol, slack,
                       f"acc={acc:.9g}, robust={rob:.9g}, frontier={up:.9g} (tol {tol:.2g})")
    # Monte Carlo: a supporting line of the relaxation at the shift t must hold for the shift
    # accuracy itself: acc_shift_t + lam*acc <= V_t(lam), for every lam >= 0.
    t = frontier.relaxation_shifts(dist, 2 * dist.eta)[-1]
    seed = _seed("B-FRONTIER", case)
    acc = estimate_accuracy(f.predict, dist, MC_N, seed, alpha=ALPHA)
    shifted = optrobust.shifted_accuracy_estimate(f.predict, dist, t / math.sqrt(dist.d), MC_N,
                                                  seed + 1, alpha=ALPHA)
    _, lam = frontier._min_over_lam(dist, t, min(acc.value, a_bayes))
    support = frontier.relaxation_support(dist, lam, t)
    slack = support - (shifted.low + lam * acc.low)
    return Outcome(slack >= -float_tol(1.0, lam), slack,
                   f"MC acc in [{acc.low:.4f}, {acc.high:.4f}], shift(t={t:.4g}) acc in "
                   f"[{shifted.low:.4f}, {shifted.high:.4f}], lam={lam:.4g}, V={support:.6g}")


def _frontier_cases():
    @st.composite
    def build(draw):
        dist = draw(distributions())
        eps = draw(radii_at_least(2 * dist.eta))
        f = draw(_all_classifiers(dist))
        return {"dist": dist, "eps": eps, "classifier": f}

    return build()


# --- B-FRONTIER-BOUND: the frontier lies under Theorem 2.1's line ----------------------------

def check_frontier_below_bound(case) -> Outcome:
    """F(a) <= p/(1-p) * (1 - a) at eps = 2*eta."""
    dist, a = case["dist"], case["a"]
    up = frontier.upper_frontier(dist, a, 2 * dist.eta)
    bound = bounds.bound_expression(a, dist.p)
    slack = bound - up
    return Outcome(slack >= -float_tol(dist.p / (1 - dist.p) if dist.p < 1 else 1.0, bound),
                   slack, f"a={a:.9g}: frontier={up:.9g}, Theorem 2.1 bound={bound:.9g}")


def _bound_cases():
    @st.composite
    def build(draw):
        dist = draw(distributions())
        a_b = bayes.bayes_accuracy(dist)
        a = draw(st.one_of(st.just(dist.p), st.just(a_b),
                           st.floats(0.0, 1.0).map(lambda x: x * a_b)))
        return {"dist": dist, "a": min(a, a_b)}

    return build()


# --- B-FRONTIER-ACHIEVE: an explicit classifier on the frontier ------------------------------

def check_achiever(case) -> Outcome:
    """The threshold achiever's exact robust accuracy equals the proven upper frontier."""
    dist, eps, a = case["dist"], case["eps"], case["a"]
    rule, _, _ = frontier.achiever(dist, a, eps)
    acc, rob = rule.standard_accuracy(dist), rule.robust_accuracy(dist, eps)
    a_b = bayes.bayes_accuracy(dist)
    up, tol = frontier.upper_frontier_with_tolerance(dist, min(acc, a_b), eps)
    up_hi, tol_hi = frontier.upper_frontier_with_tolerance(dist, _below(min(acc, a_b)), eps)
    tol = max(tol, tol_hi) + frontier.ATTAIN_TOL
    # equality up to the float resolution of acc: rob in [F(acc), F(acc - 8 ulp)]
    gap = max(up - rob, rob - max(up, up_hi), 0.0)
    return Outcome(gap <= tol, tol - gap,
                   f"achiever {type(rule).__name__}: acc={acc:.9g}, robust={rob:.12g}, "
                   f"upper frontier={up:.12g}")


def _achieve_cases():
    @st.composite
    def build(draw):
        p = draw(probabilities())
        d = draw(dims())
        eta = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.5, exclude_max=True)))
        eps = draw(st.one_of(st.just(2 * eta), st.just(eta), st.just(0.0),
                             st.floats(0.0, 1.0).map(lambda x: x * eta)))
        dist = Distribution(p, eta, d)
        a_b = bayes.bayes_accuracy(dist)
        a = draw(st.one_of(st.just(a_b), st.just(p), st.floats(p, 1.0).map(lambda x: min(x, a_b))))
        return {"dist": dist, "eps": eps, "a": a}

    return build()


# --- B-OPTROBUST -----------------------------------------------------------------------------

def check_optrobust(case) -> Outcome:
    """acc_eps(f) <= R*(eps), and the optimal-robust threshold rule attains R*(eps)."""
    dist, eps, f = case["dist"], case["eps"], case["classifier"]
    sd = math.sqrt(dist.d)
    best = optrobust.optrobust_expression(dist.p, dist.k, eps * sd)
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
    def build(draw):
        dist = draw(distributions())
        eps = draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0, exclude_max=True),
                             st.just(min(dist.eta, 0.999)), st.just(min(dist.eta / 2, 0.999))))
        opt = optrobust.optimal_robust_classifier(dist, eps)
        f = draw(st.one_of(st.just(opt), _all_classifiers(dist)))
        return {"dist": dist, "eps": eps, "classifier": f}

    return build()


# --- B-BAYES ---------------------------------------------------------------------------------

def check_bayes(case) -> Outcome:
    """acc(f) <= A_B; the linear Bayes rule's exact accuracy is A_B; its robust accuracy at
    eps >= 2*eta obeys Theorem 2.1 (it is non-robust when it is accurate)."""
    dist, eps, f = case["dist"], case["eps"], case["classifier"]
    a_b = bayes.bayes_accuracy_expression(dist.p, dist.k)
    parts = []
    if 0.0 < dist.p < 1.0:
        w = bayes.bayes_weights(dist)
        parts.append(float_tol(1.0) * 4 - abs(linear.standard_accuracy(w, dist) - a_b))
        r_b = linear.robust_accuracy(w, dist, eps)
        bound = bounds.bound_expression(a_b, dist.p)
        parts.append(bound - r_b + float_tol(dist.p / (1 - dist.p), bound))
        note = f"A_B={a_b:.9g}, R_B(eps)={r_b:.6g}, bound at A_B={bound:.6g}"
    else:
        note = f"A_B={a_b:.9g}"
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
    def build(draw):
        dist = draw(distributions())
        eps = draw(radii_at_least(2 * dist.eta))
        f = draw(st.one_of(st.just(LinearRule(bayes.bayes_weights(dist), name="bayes")),
                           _all_classifiers(dist)))
        return {"dist": dist, "eps": eps, "classifier": f}

    return build()


# --- B-TRADES --------------------------------------------------------------------------------

def check_trades(case) -> Outcome:
    """R_rob = R_nat + R_bdy and R_rob - R*_nat <= (R_hinge - R*_hinge) + R_bdy (exact)."""
    dist, eps, f = case["dist"], case["eps"], case["classifier"]
    ties = case.get("ties", "minus")
    terms = trades.trades_terms(f.w, dist, eps, f.b, ties=ties)
    tol = float_tol(1.0, terms.hinge_risk) * 16
    parts = [tol - abs(terms.decomposition_residual), terms.slack + tol,
             terms.hinge_excess + tol]
    if ties == "minus":
        nat = 1.0 - linear.standard_accuracy(f.w, dist, f.b)
        rob = 1.0 - linear.robust_accuracy(f.w, dist, eps, "inf", f.b)
        parts += [tol - abs(nat - terms.natural_error), tol - abs(rob - terms.robust_error)]
    slack = min(parts)
    return Outcome(slack >= 0, slack,
                   f"R_rob-R*={terms.lhs:.6g} <= hinge excess {terms.hinge_excess:.6g} + "
                   f"R_bdy {terms.boundary_error:.6g} (ties={ties})")


def _trades_cases():
    @st.composite
    def build(draw):
        dist = draw(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False))
        eps = draw(radii_at_least(0.0))
        f = draw(linear_rules(dist.d))
        return {"dist": dist, "eps": eps, "classifier": f, "ties": "minus"}

    return build()


# --- B-SEPARATION ----------------------------------------------------------------------------

SEP_MAX_D = 64


def check_not_separated(case) -> Outcome:
    """q(delta) > 0 (D is not separated at any radius) and q matches sampled pairs."""
    dist, delta = case["dist"], case["delta"]
    log_q = separation.log_close_pair_probability(dist, delta)
    q = math.exp(log_q)
    gen = np.random.default_rng(derive_seed("B-SEPARATION", dist.p, dist.eta, dist.d, delta))
    dists = separation._sample_pair_distances(dist, MC_N, gen)
    hits = int(np.sum(dists <= delta))
    lo, hi = clopper_pearson(hits, MC_N, ALPHA)
    slack = min(q - lo, hi - q)
    positive = log_q > -math.inf
    if not positive:
        slack = min(slack, -1.0)
    return Outcome(positive and lo <= q <= hi, slack,
                   f"q({delta:.4g})={q:.4g} (log {log_q:.4g}); sampled {hits}/{MC_N} in "
                   f"[{lo:.4g}, {hi:.4g}]")


def _separation_cases():
    @st.composite
    def build(draw):
        p = draw(st.one_of(st.just(0.5), st.floats(0.5, 1.0, exclude_max=True, exclude_min=False)))
        d = draw(st.integers(1, SEP_MAX_D))
        eta = draw(st.one_of(st.just(0.0), st.floats(0.0, 3.0)))
        delta = draw(st.one_of(st.just(2.0), st.floats(1e-3, 3.0)))
        return {"dist": Distribution(p, eta, d), "delta": delta}

    return build()


# --- the registry entries --------------------------------------------------------------------

CLAIMS: list[Claim] = [
    Claim(
        id="B-FRONTIER",
        title="Every classifier lies under the exact robustness-accuracy frontier",
        statement=("For eps >= 2*eta, every classifier f (randomized ones included) has "
                   "acc_eps(f) <= F(acc(f)), where F(a) = min over t in {k, 2k} and lam >= 0 of "
                   "V_t(lam) - lam*a is the frontier of Neyman-Pearson threshold rules on "
                   "(sign(x1), z) (exact at eps = 2*eta, an upper bound for larger eps)."),
        source="beyond the paper (docs/beyond/frontier.md); uses App. C's shift (C-C1..C-C4)",
        hypotheses=("1/2 <= p < 1, eta >= 0, d >= 1, eps >= 2*eta; every classifier family "
                    "(linear with bias, threshold rules, mixtures, SVMs, ReLU networks by Monte "
                    "Carlo on the shift relaxation)"),
        cases=_frontier_cases,
        check=check_under_frontier,
        witness=lambda: {"dist": _PAPER, "eps": 0.6,
                         "classifier": frontier.achiever(_PAPER, 0.99, 0.6)[0]},
        witness_note="the achiever at standard accuracy 0.99 (p=0.95, k=3): robust 0.1899978 "
                     "= frontier (slack ~ 0)",
        negative_control=lambda: {"dist": _PAPER, "eps": 0.3,
                                  "classifier": LinearRule(bounds.f_avg_weights(100),
                                                           name="f_avg")},
        control_note="eps = eta < 2*eta: f_avg keeps robust accuracy 0.5, above the 2*eta "
                     "frontier at its standard accuracy",
        kind="exact+monte-carlo",
        code=("tradeoff.frontier.upper_frontier", "tradeoff.frontier.relaxation_support",
              "tradeoff.frontier.relaxation_shifts",
              "tradeoff.optrobust.shifted_accuracy_estimate"),
        max_examples_scale=0.5,
    ),
    Claim(
        id="B-FRONTIER-BOUND",
        title="Theorem 2.1's line lies above the exact frontier",
        statement=("At eps = 2*eta the exact frontier satisfies F(a) <= p/(1-p) * (1 - a) for "
                   "every standard accuracy a up to the Bayes accuracy, with equality at a = p "
                   "(f_rob); the gap is largest near the Bayes accuracy."),
        source="beyond the paper (docs/beyond/frontier.md)",
        hypotheses="1/2 <= p < 1, eta >= 0, d >= 1, 0 <= a <= A_B(p, k)",
        cases=_bound_cases,
        check=check_frontier_below_bound,
        witness=lambda: {"dist": _PAPER, "a": 0.99},
        witness_note="p=0.95, k=3, a=0.99: frontier 0.1899978 vs bound 0.19 (slack 2.2e-6)",
        negative_control=lambda: {"dist": Distribution(0.3, 0.3, 100), "a": 0.7},
        control_note="p = 0.3 < 1/2: -sign(x1) has accuracy and robust accuracy 0.7, the "
                     "bound expression gives 0.129",
        code=("tradeoff.frontier.upper_frontier", "tradeoff.bounds.bound_expression"),
    ),
    Claim(
        id="B-FRONTIER-ACHIEVE",
        title="The frontier is attained by an explicit threshold rule (or a mixture)",
        statement=("For eps = 2*eta < 1 and for 0 <= eps <= eta, at every standard accuracy a "
                   "between the most robust classifier's and the Bayes accuracy, a forward "
                   "threshold rule x1 > 0: z > u, x1 <= 0: z > -u (or a mixture of two) has "
                   "exact robust accuracy equal to the proven upper frontier F(a)."),
        source="beyond the paper (docs/beyond/frontier.md)",
        hypotheses="1/2 <= p < 1, 0 <= eta < 1/2, d >= 1, eps in [0, eta] or eps = 2*eta",
        cases=_achieve_cases,
        check=check_achiever,
        witness=lambda: {"dist": _PAPER, "eps": 0.6, "a": 0.99},
        witness_note="p=0.95, k=3, a=0.99: robust 0.189997758 = F(0.99)",
        negative_control=lambda: {"dist": _K2, "eps": 0.5, "a": 0.97},
        control_note="eps = 2.5*eta (outside): threshold rules fall short of the 2*eta bound",
        code=("tradeoff.frontier.achiever", "tradeoff.frontier.threshold_curve",
              "tradeoff.frontier.upper_frontier_with_tolerance",
              "tradeoff.classifiers.ThresholdRule.robust_accuracy"),
    ),
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
        witness=lambda: {"dist": _PAPER, "eps": 0.15,
                         "classifier": optrobust.optimal_robust_classifier(_PAPER, 0.15)},
        witness_note="eps = eta/2: the achiever attains R* = 0.9787 (slack ~ 0)",
        negative_control=lambda: {"dist": Distribution(0.3, 0.3, 100), "eps": 0.3,
                                  "classifier": LinearRule(-bounds.f_rob_weights(100),
                                                           name="-f_rob")},
        control_note="p = 0.3 < 1/2: -sign(x1) is robust with accuracy 0.7 > formula's p = 0.3",
        kind="exact+monte-carlo",
        code=("tradeoff.optrobust.optimal_robust_accuracy",
              "tradeoff.optrobust.optimal_robust_classifier",
              "tradeoff.optrobust.shifted_accuracy_estimate"),
        max_examples_scale=0.5,
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
        witness=lambda: {"dist": _PAPER, "eps": 0.6, "classifier": bayes.bayes_rule(_PAPER)},
        witness_note="the Bayes rule itself: accuracy A_B (slack 0)",
        negative_control=lambda: {"dist": Distribution(0.3, 0.1, 100), "eps": 0.2,
                                  "classifier": LinearRule(bounds.f_rob_weights(100))},
        control_note="p = 0.3 < 1/2: R_B = 0.198 exceeds the bound expression 0.06",
        kind="exact+monte-carlo",
        code=("tradeoff.bayes.bayes_weights", "tradeoff.bayes.bayes_accuracy",
              "tradeoff.bayes.bayes_robust_accuracy", "tradeoff.linear.robust_accuracy"),
        max_examples_scale=0.5,
    ),
    Claim(
        id="B-TRADES",
        title="TRADES: robust = natural + boundary error, and the hinge upper bound",
        statement=("For every linear score f = w.x + b and eps >= 0: R_rob(f) = R_nat(f) + "
                   "R_bdy(f), and R_rob(f) - R*_nat <= (R_hinge(f) - R*_hinge) + R_bdy(f) with "
                   "R*_hinge = 2 R*_nat (Zhang et al. 2019, Thm 3.1 with psi(theta) = theta), "
                   "sign(0) = -1."),
        source="Zhang et al., ICML 2019, Section 3 (statement as encoded in tradeoff/trades.py)",
        hypotheses="0 <= p <= 1, eta >= 0, d >= 1, eps >= 0, any w, b; a score 0 predicts -1",
        cases=_trades_cases,
        check=check_trades,
        witness=lambda: {"dist": Distribution(0.95, 0.0, 5), "eps": 0.5,
                         "classifier": LinearRule(bounds.f_rob_weights(5)), "ties": "minus"},
        witness_note="eta = 0, f = x1: every term of the bound is tight (slack 0)",
        negative_control=lambda: {"dist": Distribution(0.95, 0.5, 9), "eps": 0.1,
                                  "classifier": LinearRule(np.zeros(10)), "ties": "error"},
        control_note="f = 0 with ties counted as errors (f(X)Y <= 0): 1 - R* > 1 - 2R*",
        code=("tradeoff.trades.trades_terms", "tradeoff.trades.hinge_risk",
              "tradeoff.bayes.bayes_accuracy"),
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
        witness=lambda: {"dist": Distribution(0.95, 0.3, 10), "delta": 1.2},
        witness_note="delta = 2 * (2*eta): q = 3e-4 > 0 although small",
        negative_control=lambda: {"dist": Distribution(1.0, 0.3, 10), "delta": 1.2},
        control_note="p = 1: x1 = y separates the classes by 2 (q = 0)",
        kind="exact+monte-carlo",
        code=("tradeoff.separation.close_pair_probability",
              "tradeoff.separation.min_interclass_distance",
              "tradeoff.separation.mnist_separation"),
    ),
]
