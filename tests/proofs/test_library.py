"""Library links (issue 10, item 6): the proofs' expressions against tradeoff/'s functions.

Every link step verifies on the correct library and its twin (library value off by 1e-9
relative) fails; a mutated library formula (p and 1 - p swapped in linear.py, sqrt(d) dropped in
the l_inf dual of the population risk) makes the matching link fail.
"""

from __future__ import annotations

import numpy as np
import pytest
from tradeoff.proofs import all_steps, library

from tradeoff import linear, svm_population


def _links():
    return library.steps()


@pytest.mark.parametrize("step", _links(), ids=lambda s: s.name)
def test_link_verifies_and_its_twin_fails(step):
    assert step.method == "library-link"
    assert step.check(use_cache=False).status == "verified"
    assert step.mutant().check(use_cache=False).status == "failed"


def test_links_are_registered_and_run_by_prove():
    names = {s.name for s in all_steps()}
    assert {s.name for s in _links()} <= names


def _status(name: str) -> str:
    step = next(s for s in _links() if s.name == name)
    return step.check(use_cache=False).status


def test_swapped_p_in_linear_breaks_the_accuracy_links(monkeypatch):
    original = linear.reduced_accuracy

    def swapped(w1, mean_rest, sigma, b, p, r):
        return original(w1, mean_rest, sigma, b, 1.0 - p, r)

    monkeypatch.setattr(linear, "reduced_accuracy", swapped)
    assert _status("link-accuracy-display") == "failed"
    assert _status("link-shift-accuracy-display") == "failed"


def test_dropped_sqrt_d_in_the_population_risk_breaks_the_risk_link(monkeypatch):
    def dual(w1, u, sqrt_d, norm):
        return np.abs(w1) + np.abs(u) if norm == "inf" else np.hypot(w1, u)

    monkeypatch.setattr(svm_population, "_dual", dual)
    assert _status("link-population-hinge-risk") == "failed"


def test_tie_link_fails_if_the_solver_returns_sign_x1_at_the_tie(monkeypatch):
    def old_tie(p, eps):
        gap = 2.0 * p - 1.0
        if eps <= abs(gap) and gap != 0.0:
            return 1.0, svm_population._axis_risk(p, eps, 1.0), ""
        return 0.0, 1.0, "zero"

    monkeypatch.setattr(svm_population, "_axis_solution", old_tie)
    assert _status("link-tie-solver-returns-zero") == "failed"
