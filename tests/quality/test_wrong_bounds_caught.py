"""Deliberately wrong versions of Theorem 2.1 are caught; a merely weaker one is not.

Each mutation is checked by ``hypothesis.find`` over ``tradeoff.strategies.theorem21_cases()``
(exact families only, ``monte_carlo=False``) with the registry's own float slack (never above
``ABS_TOL = 1e-9``; cases where floats cannot decide are left to the certified checker). What each
mutation should and should not trigger:

=============================================  ==================================================
mutation                                       expected
=============================================  ==================================================
bound ``delta`` instead of ``p/(1-p)*delta``    caught (stronger than the truth for p > 1/2)
radii ``eps >= eta`` instead of ``2*eta``        caught, with ``eta <= eps < 2*eta``
bound ``1/(1-p)*delta``                          NOT caught by the search: it is weaker, since
                                               ``p/(1-p) <= 1/(1-p)``; caught only by tightness
robust accuracy without ``eps*||w||_1``          caught (at ``eps > 0``; invisible at ``eps = 0``)
hypothesis ``p >= 1/2`` dropped                  caught (the theorem is false for ``p < 1/2``)
=============================================  ==================================================
"""

import dataclasses
import random

import numpy as np
import pytest
from hypothesis import Phase, given, settings
from hypothesis import find as hfind
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from tradeoff import bounds, linear
from tradeoff.claims._common import accuracy_tol
from tradeoff.claims.theorem21 import check_theorem21
from tradeoff.classifiers import LinearRule, Mixture, ThresholdRule
from tradeoff.distribution import Distribution
from tradeoff.strategies import (
    ClassifierCase,
    distributions,
    probabilities,
    radii_at_least,
    theorem21_cases,
    threshold_rules,
)


def find(strategy, condition, budget=1000, seed=0, shrink=True):
    phases = [Phase.generate, Phase.target] + ([Phase.shrink] if shrink else [])
    conf = settings(max_examples=budget, database=None, deadline=None, phases=phases)
    return hfind(strategy, condition, settings=conf, random=random.Random(seed))


def _values(case):
    dist, eps, f = case.dist, case.eps, case.classifier
    return dist, eps, f, f.standard_accuracy(dist), f.robust_accuracy(dist, eps)


def _tol(p: float, bound: float) -> float | None:
    """The registry's float slack, or None where it would exceed ABS_TOL (p near 1: the
    registry decides there with certified balls, which a mutated formula does not have)."""
    return accuracy_tol(p / (1.0 - p), bound)


def violates(bound_fn, robust_fn=None):
    """A checker of C-2.1 with a (possibly mutated) bound and robust accuracy."""

    def condition(case) -> bool:
        dist, eps, f, acc, rob = _values(case)
        if robust_fn is not None:
            rob = robust_fn(f, dist, eps)
        bound = bound_fn(acc, dist.p)
        tol = _tol(dist.p, bound)
        return tol is not None and rob > bound + tol

    return condition


def true_bound(acc, p):
    return p / (1.0 - p) * (1.0 - acc)


def _assert_true_bound_holds(case):
    dist, _, _, acc, rob = _values(case)
    bound = true_bound(acc, dist.p)
    tol = _tol(dist.p, bound)
    assert tol is None or rob <= bound + tol
    assert check_theorem21(case).holds  # the registry's checker (certified where needed)


# --- control: the correct statement is not "caught" -------------------------------------------

def test_correct_bound_is_not_caught():
    with pytest.raises(NoSuchExample):
        find(theorem21_cases(monte_carlo=False), violates(true_bound), budget=50, shrink=False)


def test_the_checker_itself_catches_a_violation():
    """The condition used below can be true: the registry's negative control violates it."""
    case = ClassifierCase(Distribution(0.95, 0.3, 100), 0.0,
                          LinearRule(bounds.f_avg_weights(100)))
    assert violates(true_bound)(case) and not check_theorem21(case).holds


# --- delta in place of p/(1-p) * delta -----------------------------------------------------------

def test_delta_bound_is_caught():
    found = find(theorem21_cases(monte_carlo=False), violates(lambda acc, p: 1.0 - acc))
    dist, _, _, acc, rob = _values(found)
    assert rob > 1.0 - acc
    assert dist.p > 0.5  # at p = 1/2 the two bounds coincide: the mutation needs p > 1/2
    _assert_true_bound_holds(found)  # the mutation is caught, not the theorem


def test_delta_bound_is_invisible_at_p_one_half():
    """p = 1/2: p/(1-p) = 1, so ``delta`` is the true bound and cannot be caught there."""
    cases = theorem21_cases(monte_carlo=False).map(
        lambda c: dataclasses.replace(c, dist=Distribution(0.5, c.dist.eta, c.dist.d)))
    with pytest.raises(NoSuchExample):
        find(cases, violates(lambda acc, p: 1.0 - acc), budget=40, shrink=False)


# --- eps >= eta in place of eps >= 2*eta ----------------------------------------------------------

def test_radius_eta_is_caught():
    cond = violates(true_bound)
    found = find(theorem21_cases(eps_factor=1.0, monte_carlo=False), cond)
    dist, eps = found.dist, found.eps
    assert dist.eta > 0 and dist.eta <= eps < 2 * dist.eta


def test_radius_two_eta_exactly_is_not_caught():
    """The boundary eps = 2*eta itself belongs to the theorem: no violation there."""
    cases = theorem21_cases(monte_carlo=False).map(
        lambda c: dataclasses.replace(c, eps=2 * c.dist.eta))
    with pytest.raises(NoSuchExample):
        find(cases, violates(true_bound), budget=40, shrink=False)


# --- 1/(1-p) in place of p/(1-p): weaker, so not caught by the search ----------------------

def weaker_bound(acc, p):
    return 1.0 / (1.0 - p) * (1.0 - acc)


@given(probabilities(), st.floats(0.0, 1.0))
def test_weaker_bound_dominates_the_true_one(p, acc):
    """p/(1-p) <= 1/(1-p) for p <= 1: every case the theorem covers satisfies the weaker bound,
    so no search can catch this mutation (a proof, not a budget)."""
    assert p / (1 - p) <= 1 / (1 - p)
    assert true_bound(acc, p) <= weaker_bound(acc, p)


def test_weaker_bound_is_not_caught_by_the_search():
    with pytest.raises(NoSuchExample):
        find(theorem21_cases(monte_carlo=False), violates(weaker_bound), budget=50,
             shrink=False)


def test_weaker_bound_is_caught_by_tightness():
    """C-2.1-TIGHT: f_rob has robust accuracy p = p/(1-p)(1-p), but 1/(1-p)(1-p) = 1."""
    dist = Distribution(0.95, 0.3, 100)
    f = LinearRule(bounds.f_rob_weights(100))
    acc, rob = f.standard_accuracy(dist), f.robust_accuracy(dist, 0.6)
    tol = _tol(dist.p, 1.0)
    assert abs(true_bound(acc, dist.p) - rob) <= tol
    assert abs(weaker_bound(acc, dist.p) - rob) > 0.04  # 1 - p = 0.05 away from tight


# --- robust accuracy without the eps*||w||_1 term ------------------------------------------------

def _robust_without_dual_term(f, dist, eps):
    """Mutated robust accuracy: every family evaluated as if the adversary had no budget
    (for a linear rule: reduced_accuracy with r = 0 instead of eps*||w||_1)."""
    if isinstance(f, LinearRule):
        w = np.asarray(f.w, dtype=float)
        rest = w[1:]
        return float(linear.reduced_accuracy(w[0], dist.eta * rest.sum(),
                                             np.linalg.norm(rest), f.b, dist.p, 0.0))
    if isinstance(f, Mixture):
        return float(np.dot(f.weights,
                            [_robust_without_dual_term(c, dist, eps) for c in f.components]))
    return f.robust_accuracy(dist, 0.0)


def test_dropping_the_dual_norm_term_is_caught():
    found = find(theorem21_cases(monte_carlo=False), violates(true_bound,
                                                            _robust_without_dual_term))
    dist, eps, f, acc, rob = _values(found)
    assert eps > 0  # the mutation is invisible at eps = 0
    assert _robust_without_dual_term(f, dist, eps) > true_bound(acc, dist.p)
    _assert_true_bound_holds(found)


def test_dropping_the_dual_norm_term_is_invisible_at_eps_zero():
    cases = theorem21_cases(monte_carlo=False).map(
        lambda c: dataclasses.replace(c, dist=Distribution(c.dist.p, 0.0, c.dist.d), eps=0.0))
    # equal up to float rounding: the two paths sum the same terms in a different order (soak
    # finding: p = 0.51, eta = 0, d = 1698, a bayes-like rule differed by one ulp)
    with pytest.raises(NoSuchExample):
        find(cases, lambda c: abs(_robust_without_dual_term(c.classifier, c.dist, 0.0)
                                  - c.classifier.robust_accuracy(c.dist, 0.0)) > 1e-14,
             budget=40, shrink=False)


# --- the hypothesis p >= 1/2 ----------------------------------------------------------------------

def test_dropping_p_at_least_one_half_is_caught():
    found = find(theorem21_cases(p_low=0.0, monte_carlo=False),
                 violates(bounds.bound_expression))
    assert found.dist.p < 0.5


def test_threshold_family_alone_catches_the_delta_mutation():
    """The mutation is caught by more than one family (not an artefact of linear rules)."""
    cases = distributions().flatmap(lambda dist: st.builds(
        ClassifierCase, st.just(dist), radii_at_least(2 * dist.eta), threshold_rules()))
    found = find(cases, violates(lambda a, p: 1.0 - a))
    assert isinstance(found.classifier, ThresholdRule)
