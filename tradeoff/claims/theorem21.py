"""Theorem 2.1 (p. 5) and the steps of its proof in Appendix C (pp. 14–16).

C-2.1, C-2.1-TIGHT, C-C1 (shift), C-C2 (robust <= shift), C-C3 / C-C4 (accuracies through
p_ij), C-C5 (the final algebra). Exact families are checked with closed forms and an explicit
float slack; the neural-network family by Monte Carlo with Clopper–Pearson intervals at
``alpha = 1e-9`` and seeds derived from the case's parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from tradeoff import bounds, certified
from tradeoff.claims._certified_checks import theorem21_gap
from tradeoff.claims._common import (
    ABS_TOL,
    ALPHA,
    ULP,
    accuracy_tol,
    checked,
    dkw_radius,
    float_tol,
    ks_distance_to_normal,
    sample_with_prior,
)
from tradeoff.claims.base import Claim, Outcome
from tradeoff.classifiers import LinearRule, NeuralNet, ThresholdRule
from tradeoff.distribution import Distribution, sufficient_statistic
from tradeoff.montecarlo import clopper_pearson, derive_seed, estimate_accuracy, shift_attack
from tradeoff.strategies import (
    ClassifierCase,
    RadiusCase,
    classifiers,
    distributions,
    mostly,
    radii_at_least,
    theorem21_cases,
)

__all__ = [
    "CLAIMS",
    "AlgebraCase",
    "PijCase",
    "acc_from_p",
    "check_algebra",
    "check_c3",
    "check_c4",
    "check_robust_below_shift",
    "check_shift",
    "check_theorem21",
    "check_tight",
    "shift_from_p",
]

MC_N = 20_000


def _is_exact(f) -> bool:
    return not isinstance(f, NeuralNet)


def _key(case) -> tuple:
    dist = case.dist
    return (dist.p, dist.eta, dist.d, getattr(case, "eps", None),
            repr(getattr(case, "classifier", None)))


@st.composite
def _interior_dist(draw, p_low: float = 0.51, p_high: float = 0.999) -> Distribution:
    """1/2 < p < 1 away from the ends, k = eta*sqrt(d) in [0.3, 6]: where accuracies, robust
    accuracies and shift accuracies are all far from 0 and 1."""
    d = draw(st.one_of(st.integers(1, 64), st.integers(1, 5000)))
    k = draw(st.floats(0.3, 6.0))
    return Distribution(draw(st.floats(p_low, p_high)), k / math.sqrt(d), d)


def _in_interior(dist: Distribution, p_low: float = 0.51) -> bool:
    return p_low <= dist.p <= 0.999 and 0.3 * (1 - 1e-12) <= dist.k <= 6.0 * (1 + 1e-12)


# --- C-2.1 -----------------------------------------------------------------------------------

def _bound(acc: float, p: float) -> float:
    """Theorem 2.1's bound (:func:`tradeoff.bounds.tradeoff_bound`); below p = 1/2, outside the
    theorem (negative controls), the expression as printed."""
    return bounds.tradeoff_bound(acc, p) if p >= 0.5 else bounds.bound_expression(acc, p)


def _certified_verdict(f, dist: Distribution, eps: float, acc: float, rob: float,
                       tight: bool = False) -> Outcome:
    """Decide Theorem 2.1 (or its tightness) with ball arithmetic, and hold the library's float
    accuracies to ``ABS_TOL`` of the certified ones."""
    gap, acc_b, rob_b = theorem21_gap(f, dist, eps)
    drift = max(abs(acc - float(acc_b.mid())) + float(acc_b.rad()),
                abs(rob - float(rob_b.mid())) + float(rob_b.rad()))
    if tight:
        size = abs(float(gap.mid())) + float(gap.rad())
        ok = size <= ABS_TOL and drift <= ABS_TOL
        return Outcome(ok, min(ABS_TOL - size, ABS_TOL - drift),
                       f"certified |bound - robust| <= {size:.3g}, library drift {drift:.2g}")
    verdict = certified.certify_leq(0, gap)
    # Undecided (the ball straddles 0) is no certain violation (Outcome contract), with slack 0:
    # the Bayes rule at p = 1 - 2**-53, eta = 0.25, d = 1, eps = 0.5 has a gap of about
    # exp(-2600), below the balls' 212-bit resolution (the same finding as B-BAYES).
    ok = verdict is not False and drift <= ABS_TOL
    gap_slack = float(gap.mid()) if verdict is not None else 0.0
    word = {True: "certified", False: "certified", None: "undecided"}[verdict]
    return Outcome(ok, min(gap_slack, ABS_TOL - drift),
                   f"{word} gap {float(gap.mid()):.6g} (+/- {float(gap.rad()):.2g}), "
                   f"library drift {drift:.2g} (acc={acc:.17g}, robust={rob:.17g})")


def check_theorem21(case) -> Outcome:
    """robust accuracy <= p/(1-p) * (1 - standard accuracy).

    Exact families: in floats with 64 ulps of slack while that stays below ``ABS_TOL``; beyond
    (``p`` near 1, where ``p/(1-p)`` magnifies an ulp of the accuracy) with certified balls.
    """
    dist, eps, f = case.dist, case.eps, case.classifier
    factor = dist.p / (1.0 - dist.p)
    if _is_exact(f):
        acc, rob = f.standard_accuracy(dist), checked(f.robust_accuracy(dist, eps))
        edge = 4 * ULP  # a sum of ndtr terms may round a few ulps past 1
        if not (-edge <= acc <= 1.0 + edge and -edge <= rob <= 1.0 + edge):
            return Outcome(False, -1.0, f"accuracies outside [0, 1]: acc={acc!r}, robust={rob!r}")
        bound = _bound(min(max(acc, 0.0), 1.0), dist.p)
        tol = accuracy_tol(factor, bound)
        if tol is None:
            return _certified_verdict(f, dist, eps, acc, rob)
        slack = bound - rob
        return Outcome(slack >= -tol, slack,
                       f"acc={acc:.6g}, robust={rob:.6g}, bound={bound:.6g} (tol {tol:.2g})")
    # Monte Carlo: robust <= shift (C-C2); a violation is certain only if even the lower end of
    # the shift accuracy exceeds the largest bound the interval of the standard accuracy allows
    # (the bound decreases in the accuracy, so it is evaluated at the lower end).
    seed = derive_seed("C-2.1", *_key(case))
    acc = estimate_accuracy(f.predict, dist, MC_N, seed, alpha=ALPHA)
    shift = estimate_accuracy(f.predict, dist, MC_N, seed + 1, attack="shift", alpha=ALPHA)
    bound = _bound(acc.low, dist.p)
    slack = bound - checked(shift.low)
    return Outcome(slack >= 0, slack,
                   f"MC acc in [{acc.low:.4f}, {acc.high:.4f}], shift acc in "
                   f"[{shift.low:.4f}, {shift.high:.4f}], bound >= {bound:.4g}")


def _c21_informative(case) -> bool:
    """1/2 < p < 1 and the bound at the classifier's accuracy is below 1 (it says something)."""
    dist, f = case.dist, case.classifier
    if not 0.5 < dist.p < 1.0:
        return False
    if not _is_exact(f):
        return True
    return bounds.bound_expression(f.standard_accuracy(dist), dist.p) < 1.0


def check_tight(case) -> Outcome:
    """f_rob attains the bound: robust accuracy = p = p/(1-p) * (1 - p)."""
    dist, eps = case.dist, case.eps
    f = LinearRule(bounds.f_rob_weights(dist.d), name="f_rob")
    acc, rob = f.standard_accuracy(dist), checked(f.robust_accuracy(dist, eps))
    bound = bounds.tradeoff_bound(acc, dist.p)
    tol = accuracy_tol(dist.p / (1.0 - dist.p))
    if tol is None:
        return _certified_verdict(f, dist, eps, acc, rob, tight=True)
    gap = abs(bound - rob)
    return Outcome(gap <= tol, tol - gap, f"robust={rob!r}, bound={bound!r} (tol {tol:.2g})")


def _tight_cases():
    @st.composite
    def edges(draw):
        p = draw(st.one_of(st.just(0.5), st.just(math.nextafter(1.0, 0.0)),
                           st.floats(0.5, 1.0, exclude_max=True)))
        d = draw(st.integers(1, 10**5))
        eta = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.5, exclude_max=True)))
        eps = draw(radii_at_least(2 * eta, below=1.0))
        return RadiusCase(Distribution(p, eta, d), eps)

    @st.composite
    def interior(draw):
        d = draw(st.integers(1, 10**5))
        eta = draw(st.floats(0.001, 0.499))
        p = draw(st.floats(0.5, 1.0, exclude_min=True, exclude_max=True))
        return RadiusCase(Distribution(p, eta, d), draw(radii_at_least(2 * eta, below=1.0)))

    return mostly(interior(), edges())


def _tight_informative(case) -> bool:
    return 0.5 < case.dist.p < 1.0 and case.dist.eta > 0


# --- C-C1 ------------------------------------------------------------------------------------

C1_N = 2000
C1_MAX_D = 5000


def check_shift(case) -> Outcome:
    """The shift has l_inf norm 2*eta <= eps and maps the weak law G_y onto G_{-y}."""
    dist, eps = case.dist, case.eps
    X, y = dist.sample(C1_N, derive_seed("C-C1", dist.p, dist.eta, dist.d, eps))
    moved = checked(shift_attack(X, y, dist.eta))
    size = float(np.max(np.abs(moved - X)))
    # (x - 2 eta y) - x is 2 eta up to the rounding of the subtraction (a few ulps of |x|).
    allowed = eps + 4 * np.spacing(np.max(np.abs(X)) + 2 * dist.eta)
    norm_ok = size <= allowed
    ks = ks_distance_to_normal(y * sufficient_statistic(moved), -dist.k)
    radius = dkw_radius(C1_N)
    slack = min(allowed - size, radius - ks)
    return Outcome(norm_ok and ks <= radius, slack,
                   f"||shift||_inf={size:.6g} (eps={eps:.6g}); "
                   f"KS to N(-k,1) {ks:.4f} <= {radius:.4f}")


def _shift_cases():
    edges = distributions(p_low=0.0, p_high=1.0, exclude_p_high=False, max_d=C1_MAX_D).flatmap(
        lambda dist: radii_at_least(2 * dist.eta).map(lambda eps: RadiusCase(dist, eps)))

    @st.composite
    def interior(draw):
        dist = Distribution(draw(st.floats(0.0, 1.0)), draw(st.floats(0.01, 3.0)),
                            draw(st.integers(1, C1_MAX_D)))
        eta2 = 2 * dist.eta
        return RadiusCase(dist, draw(st.one_of(st.just(eta2), st.floats(eta2, 1.5 * eta2))))

    return mostly(interior(), edges)


def _shift_informative(case) -> bool:
    return case.dist.eta > 0


# --- C-C2 ------------------------------------------------------------------------------------

def check_robust_below_shift(case) -> Outcome:
    """acc_eps(f) <= acc_shift(f) whenever eps >= 2*eta (exact families)."""
    dist, eps, f = case.dist, case.eps, case.classifier
    rob, shift = checked(f.robust_accuracy(dist, eps)), f.shift_accuracy(dist)
    slack = shift - rob
    return Outcome(slack >= -float_tol(), slack, f"robust={rob:.6g}, shift={shift:.6g}")


def _c2_cases():
    @st.composite
    def edges(draw):
        dist = draw(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False))
        eps = draw(radii_at_least(2 * dist.eta))
        f = draw(classifiers(dist, monte_carlo=False))
        return ClassifierCase(dist, eps, f)

    @st.composite
    def interior(draw):
        dist = draw(_interior_dist(0.5))
        eps = draw(st.one_of(st.just(2 * dist.eta), st.floats(2 * dist.eta, 2 * dist.eta + 1)))
        return ClassifierCase(dist, eps, draw(classifiers(dist, monte_carlo=False)))

    return mostly(interior(), edges())


def _c2_informative(case) -> bool:
    return _in_interior(case.dist, 0.5) and case.eps <= 2 * case.dist.eta + 1.0


# --- C-C3 and C-C4 ---------------------------------------------------------------------------

def acc_from_p(P, p):
    """C-C3: acc = 1/2 [p (1 + p_++ - p_--) + (1-p)(1 + p_-+ - p_+-)] (rows x1, columns G_j)."""
    (ppp, ppm), (pmp, pmm) = P
    return (p * (1 + ppp - pmm) + (1 - p) * (1 + pmp - ppm)) / 2


def shift_from_p(P, p):
    """C-C4: acc_shift = 1/2 [p (1 + p_+- - p_-+) + (1-p)(1 + p_-- - p_++)]."""
    (ppp, ppm), (pmp, pmm) = P
    return (p * (1 + ppm - pmp) + (1 - p) * (1 + pmm - ppp)) / 2


def _p_matrix_interval(f, dist: Distribution, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Clopper–Pearson boxes for the four p_ij of a black-box classifier."""
    rng = np.random.default_rng(seed)
    lo, hi = np.empty((2, 2)), np.empty((2, 2))
    for a, i in enumerate((1.0, -1.0)):
        for c, j in enumerate((1.0, -1.0)):
            weak = rng.standard_normal((MC_N // 4, dist.d)) + j * dist.eta
            X = np.column_stack([np.full(MC_N // 4, i), weak])
            plus = int(np.sum(f.predict(X) == 1))
            lo[a, c], hi[a, c] = clopper_pearson(plus, MC_N // 4, ALPHA)
    return lo, hi


def _enumerate_x1_rule(f, dist: Distribution) -> float | None:
    """Exact accuracy of a linear rule with zero weak weights by enumerating (y, x1) through its
    ``predict`` (the weak block, and therefore the shift, cannot change its output)."""
    if not isinstance(f, LinearRule) or np.any(f.w[1:] != 0):
        return None
    total = 0.0
    for y in (1.0, -1.0):
        for s, weight in ((1.0, dist.p), (-1.0, 1.0 - dist.p)):
            x = np.zeros((1, dist.dim))
            x[0, 0] = s * y
            total += 0.5 * weight * float(f.predict(x)[0] == y)
    return total


def _formula_range(formula, lo, hi, p) -> tuple[float, float]:
    """Range of a formula that is affine in each p_ij over the box [lo, hi] (corner search)."""
    values = []
    for mask in range(16):
        corner = np.where(np.array([(mask >> b) & 1 for b in range(4)]).reshape(2, 2), hi, lo)
        values.append(formula(corner, p))
    return min(values), max(values)


@dataclass(frozen=True)
class PijCase:
    """A distribution, a classifier and the label prior ``P(y = +1)`` (1/2 in the model)."""

    dist: Distribution
    classifier: object
    prior: float = 0.5


def _make_pij_check(formula, attack, label):
    def check(case) -> Outcome:
        dist, f, prior = case.dist, case.classifier, case.prior
        if _is_exact(f) and prior == 0.5:
            value = checked(formula(f.p_matrix(dist), dist.p))
            truth = f.standard_accuracy(dist) if attack is None else f.shift_accuracy(dist)
            gap = abs(value - truth)
            enumerated = _enumerate_x1_rule(f, dist)
            if enumerated is not None:  # a third, independent route through `predict`
                gap = max(gap, abs(value - enumerated))
            tol = float_tol(8.0)
            return Outcome(gap <= tol, tol - gap, f"{label}={value!r}, direct={truth!r}")
        seed = derive_seed(label, *_key(case), prior)
        lo, hi = _p_matrix_interval(f, dist, seed)
        f_lo, f_hi = _formula_range(formula, lo, hi, dist.p)
        rng = np.random.default_rng(seed + 1)
        X, y = sample_with_prior(dist, MC_N, prior, rng)
        if attack == "shift":
            X = shift_attack(X, y, dist.eta)
        a_lo, a_hi = clopper_pearson(int(np.sum(f.predict(X) == y)), MC_N, ALPHA)
        f_lo, f_hi = checked(f_lo), checked(f_hi)
        slack = min(f_hi - a_lo, a_hi - f_lo)
        return Outcome(slack >= 0, slack,
                       f"{label} in [{f_lo:.4f}, {f_hi:.4f}], "
                       f"MC accuracy in [{a_lo:.4f}, {a_hi:.4f}]")

    return check


check_c3 = _make_pij_check(acc_from_p, None, "C-C3")
check_c4 = _make_pij_check(shift_from_p, "shift", "C-C4")


def _pij_cases():
    @st.composite
    def edges(draw):
        dist = draw(distributions(p_low=0.0, p_high=1.0, exclude_p_high=False))
        return PijCase(dist, draw(classifiers(dist)))

    @st.composite
    def interior(draw):
        dist = draw(_interior_dist(0.01, 0.99))
        return PijCase(dist, draw(classifiers(dist)))

    return mostly(interior(), edges())


def _pij_informative(case) -> bool:
    return 0.0 < case.dist.p < 1.0 and 0.0 < case.dist.k <= 6.0 * (1 + 1e-12)


def _constant_plus():
    return ThresholdRule(-math.inf, -math.inf, name="always +1")


# --- C-C5 ------------------------------------------------------------------------------------

def check_algebra(case) -> Outcome:
    """Exact rational check of C-C5: the identities and a(2p-1)/(2(1-p)) >= 0."""
    p = Fraction(case.p)
    P = [[Fraction(v) for v in row] for row in case.P]
    (ppp, ppm), (pmp, pmm) = P
    a, b = 1 - ppp + pmm, 1 - pmp + ppm
    acc, shift = acc_from_p(P, p), shift_from_p(P, p)
    identities = (acc == 1 - (p * a + (1 - p) * b) / 2 and shift == ((1 - p) * a + p * b) / 2)
    gap = checked(p / (1 - p) * (1 - acc) - shift)
    closed = a * (2 * p - 1) / (2 * (1 - p))
    ok = identities and gap == closed and a >= 0 and gap >= 0
    return Outcome(ok, float(gap) if identities and gap == closed else -1.0,
                   f"a={float(a):.4g}, gap={float(gap):.4g}")


@dataclass(frozen=True)
class AlgebraCase:
    """``p`` and the four ``p_ij`` (rows ``x1 = +1, -1``; columns ``G_+, G_-``)."""

    p: float
    P: tuple


def _algebra_cases():
    unit = st.floats(0.0, 1.0)
    matrices = st.tuples(st.tuples(unit, unit), st.tuples(unit, unit))
    edges = st.builds(AlgebraCase,
                      st.one_of(st.just(0.5), st.floats(0.5, 1.0, exclude_max=True)), matrices)
    interior = st.builds(AlgebraCase, st.floats(0.5, 0.999, exclude_min=True), matrices)
    return mostly(interior, edges)


def _algebra_informative(case) -> bool:
    return 0.5 < case.p <= 0.999


_F_ROB_W = Distribution(0.95, 0.3, 100)

def _c21_regressions():
    """Known hard cases of C-2.1 (Claim.regressions)."""
    from tradeoff import bayes

    top = Distribution(1 - 2**-53, 0.25, 1)
    return [("soak: the Bayes rule's certified gap ~exp(-2600) is undecided in 212-bit balls",
             ClassifierCase(top, 0.5, bayes.bayes_rule(top)))]


CLAIMS = [
    Claim(
        id="C-2.1",
        title="Theorem 2.1: robustness and accuracy trade off",
        statement=("Any classifier with standard accuracy at least 1 - delta on D has l_inf-robust "
                   "accuracy at most p/(1-p) * delta against every adversary with eps >= 2*eta."),
        source="Theorem 2.1, p. 5; proof App. C, pp. 14-16",
        hypotheses=("1/2 <= p < 1, eta >= 0, d >= 1, eps >= 2*eta, f measurable and +-1-valued "
                    "(searched over linear rules with bias, f_avg/f_rob and mixtures, threshold "
                    "rules on (x1, z), population and sample SVMs, random ReLU networks)"),
        cases=theorem21_cases,
        check=check_theorem21,
        witness=lambda: ClassifierCase(_F_ROB_W, 0.6,
                                       LinearRule(bounds.f_rob_weights(100), name="f_rob")),
        witness_note="f_rob: robust accuracy p equals the bound (slack 0)",
        negative_control=lambda: ClassifierCase(_F_ROB_W, 0.0,
                                                LinearRule(bounds.f_avg_weights(100),
                                                           name="f_avg")),
        control_note="eps = 0 < 2*eta: f_avg keeps 0.9987 > bound 0.0257",
        kind="exact+monte-carlo",
        code=("tradeoff.bounds.tradeoff_bound", "tradeoff.linear.standard_accuracy",
              "tradeoff.linear.robust_accuracy"),
        informative=_c21_informative,
        informative_region="1/2 < p < 1 and p/(1-p) * (1 - acc(f)) < 1 (the bound says something)",
        regressions=_c21_regressions,
    ),
    Claim(
        id="C-2.1-TIGHT",
        title="Theorem 2.1 is tight",
        statement="f_rob = sign(x1) has delta = 1 - p and robust accuracy p = p/(1-p) * delta.",
        source="p. 5",
        hypotheses="1/2 <= p < 1, 0 <= eta < 1/2, d >= 1, 2*eta <= eps < 1",
        cases=_tight_cases,
        check=check_tight,
        witness=lambda: RadiusCase(Distribution(0.95, 0.3, 100), 0.6),
        negative_control=lambda: RadiusCase(Distribution(0.95, 0.3, 100), 1.0),
        control_note="eps = 1: robust accuracy of sign(x1) drops to p/2",
        code=("tradeoff.bounds.tradeoff_bound", "tradeoff.bounds.f_rob_weights",
              "tradeoff.linear.robust_accuracy"),
        informative=_tight_informative,
        informative_region="1/2 < p < 1 and eta > 0",
    ),
    Claim(
        id="C-C1",
        title="The shift attack",
        statement=("Subtracting 2*eta*y from every weak coordinate maps G_y onto G_{-y}; it has "
                   "l_inf norm 2*eta <= eps, so it is an admissible adversary."),
        source="App. C, p. 14",
        hypotheses="0 <= p <= 1, eta >= 0, d >= 1, eps >= 2*eta",
        cases=_shift_cases,
        check=check_shift,
        witness=lambda: RadiusCase(Distribution(0.95, 0.3, 100), 0.6),
        witness_note="eps = 2*eta: the shift uses the whole budget",
        negative_control=lambda: RadiusCase(Distribution(0.95, 0.3, 100), 0.45),
        control_note="eps = 1.5*eta < 2*eta: the shift leaves the ball",
        kind="monte-carlo",
        code=("tradeoff.montecarlo.shift_attack", "tradeoff.distribution.Distribution.sample",
              "tradeoff.distribution.sufficient_statistic"),
        informative=_shift_informative,
        informative_region="eta > 0 (the shift moves the weak features)",
    ),
    Claim(
        id="C-C2",
        title="Robust accuracy is at most shift accuracy",
        statement="acc_eps(f) <= acc_shift(f) for every classifier f and every eps >= 2*eta.",
        source="App. C, p. 14",
        hypotheses=("0 <= p <= 1, eta >= 0, d >= 1, eps >= 2*eta; every exact family (robust "
                    "accuracy of a neural network has no closed form)"),
        cases=_c2_cases,
        check=check_robust_below_shift,
        witness=lambda: ClassifierCase(_F_ROB_W, 0.6, ThresholdRule(0.0, 0.0)),
        witness_note="forward threshold at eps = 2*eta: robust = shift accuracy (slack 0)",
        negative_control=lambda: ClassifierCase(_F_ROB_W, 0.0,
                                                LinearRule(bounds.f_avg_weights(100))),
        control_note=("eps = 0 < 2*eta: f_avg's robust (= standard) accuracy beats its shift "
                      "accuracy"),
        code=("tradeoff.classifiers.ThresholdRule.robust_accuracy",
              "tradeoff.classifiers.ThresholdRule.shift_accuracy"),
        informative=_c2_informative,
        informative_region="1/2 <= p <= 0.999, 0.3 <= k <= 6, 2*eta <= eps <= 2*eta + 1",
    ),
    Claim(
        id="C-C3",
        title="Standard accuracy through p_ij",
        statement="acc(f) = 1/2 [p (1 + p_++ - p_--) + (1-p)(1 + p_-+ - p_+-)].",
        source="App. C, p. 15",
        hypotheses="0 <= p <= 1, eta >= 0, d >= 1, y uniform, every classifier family",
        cases=_pij_cases,
        check=check_c3,
        witness=lambda: PijCase(_F_ROB_W, ThresholdRule(0.0, 0.0)),
        negative_control=lambda: PijCase(Distribution(0.95, 0.3, 4), _constant_plus(), 0.9),
        control_note=("label prior P(y=+1) = 0.9 instead of 1/2: 'always +1' scores 0.9, "
                      "formula 0.5"),
        kind="exact+monte-carlo",
        code=("tradeoff.claims.theorem21.acc_from_p", "tradeoff.classifiers.ThresholdRule.p_matrix",
              "tradeoff.classifiers.ThresholdRule.standard_accuracy"),
        informative=_pij_informative,
        informative_region="0 < p < 1 and 0 < k <= 6 (every p_ij away from 0 and 1)",
    ),
    Claim(
        id="C-C4",
        title="Shift accuracy through p_ij",
        statement="acc_shift(f) = 1/2 [p (1 + p_+- - p_-+) + (1-p)(1 + p_-- - p_++)].",
        source="App. C, p. 15",
        hypotheses="0 <= p <= 1, eta >= 0, d >= 1, y uniform, every classifier family",
        cases=_pij_cases,
        check=check_c4,
        witness=lambda: PijCase(_F_ROB_W, ThresholdRule(0.0, 0.0)),
        negative_control=lambda: PijCase(Distribution(0.95, 0.3, 4), _constant_plus(), 0.9),
        control_note="label prior 0.9: 'always +1' scores 0.9 after the shift, formula 0.5",
        kind="exact+monte-carlo",
        code=("tradeoff.claims.theorem21.shift_from_p",
              "tradeoff.classifiers.ThresholdRule.p_matrix",
              "tradeoff.classifiers.ThresholdRule.shift_accuracy"),
        informative=_pij_informative,
        informative_region="0 < p < 1 and 0 < k <= 6 (every p_ij away from 0 and 1)",
    ),
    Claim(
        id="C-C5",
        title="The final algebra of Theorem 2.1",
        statement=("With a = 1 - p_++ + p_-- >= 0 and b = 1 - p_-+ + p_+-: "
                   "acc = 1 - (p a + (1-p) b)/2, acc_shift = ((1-p) a + p b)/2, and "
                   "p/(1-p)(1 - acc) - acc_shift = a (2p - 1)/(2 (1-p)) >= 0."),
        source="App. C, p. 16",
        hypotheses="1/2 <= p < 1, p_ij in [0, 1] (exact rational arithmetic)",
        cases=_algebra_cases,
        check=check_algebra,
        witness=lambda: AlgebraCase(0.5, ((0.25, 0.5), (0.75, 1.0))),
        witness_note="p = 1/2: the gap is exactly 0",
        negative_control=lambda: AlgebraCase(0.25, ((0.5, 0.5), (0.5, 0.5))),
        control_note="p = 1/4 < 1/2: the gap a(2p-1)/(2(1-p)) is negative",
        code=("tradeoff.claims.theorem21.acc_from_p", "tradeoff.claims.theorem21.shift_from_p"),
        informative=_algebra_informative,
        informative_region="1/2 < p <= 0.999",
    ),
]
