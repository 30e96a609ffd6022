"""B-FRONTIER at every radius (proofs/frontier.py): every step verifies or is honestly argued,
every twin fails, the library links catch mutated library formulas."""

from __future__ import annotations

import math

import pytest
import sympy as sp
import tradeoff.proofs
from tradeoff.proofs import frontier as pf
from tradeoff.proofs.certify import Phi

from tradeoff import frontier as lib
from tradeoff.distribution import Distribution

STEPS = pf.steps()
CHECKED = [s for s in STEPS if s.machine_checked]
ARGUED = [s for s in STEPS if not s.machine_checked]


def _ids(steps):
    return [s.name for s in steps]


def test_registered_and_named():
    names = [s.name for s in tradeoff.proofs.all_steps()]
    for step in STEPS:
        assert step.name in names
        assert step.claim_id == "B-FRONTIER"
    assert {"frontier-reduction-decomposition", "frontier-reduction-interval-reach",
            "frontier-reduction-slicing", "frontier-erosion-certified"} <= set(_ids(STEPS))
    # the reduction's prose step and nothing else is argued
    assert _ids(ARGUED) == ["frontier-reduction-slicing"]


@pytest.mark.parametrize("step", CHECKED, ids=_ids(CHECKED))
def test_step_verifies(step):
    res = step.check(use_cache=False)
    assert res.status == "verified", res.reason


@pytest.mark.parametrize("step", CHECKED, ids=_ids(CHECKED))
def test_twin_fails(step):
    twin = step.mutant()
    assert twin is not None and twin.mutation
    assert twin.check(use_cache=False).status == "failed"


def test_argued_step_is_not_checked():
    for step in ARGUED:
        assert step.check().status == "not-checked" and step.mutant() is None


def test_sign_groups_expression_matches_library_numerically():
    """The derived pair accuracy (an independent sympy evaluation) vs the library's rule."""
    u, v, e = sp.symbols("u v e", real=True)
    expr = pf.pair_accuracy_derived(u, v, e)
    dist = Distribution(0.9, 0.02, 10_000)  # k = 2
    from tradeoff.classifiers import ThresholdRule

    rule = ThresholdRule(-0.4, 0.9)
    value = float(expr.subs({pf.p: sp.Rational(9, 10), pf.k: 2, u: sp.Rational(-2, 5),
                             v: sp.Rational(9, 10), e: 3}).evalf(30))
    assert rule.robust_accuracy(dist, 0.03) == pytest.approx(value, abs=1e-14)


def _link(name):
    return next(s for s in STEPS if s.name == name)


def test_links_catch_a_swapped_p(monkeypatch):
    """Mutation: p and 1-p swapped inside threshold_curve makes the link fail."""
    original = lib.threshold_curve

    def swapped(dist, u, eps=None):
        mirror = Distribution(1 - dist.p, dist.eta, dist.d)
        return original(mirror, u, eps)

    monkeypatch.setattr(lib, "threshold_curve", swapped)
    for name in ("link-frontier-threshold-accuracy", "link-frontier-threshold-robust-accuracy"):
        assert _link(name).check(use_cache=False).status == "failed"


def test_links_catch_a_dropped_sqrt_d(monkeypatch):
    """Mutation: rho = eps instead of eps*sqrt(d) in threshold_curve makes the link fail."""
    original = lib.threshold_curve

    def no_sqrt(dist, u, eps=None):
        return original(dist, u, eps / math.sqrt(dist.d))

    monkeypatch.setattr(lib, "threshold_curve", no_sqrt)
    assert _link("link-frontier-threshold-robust-accuracy").check(use_cache=False).status == \
        "failed"


def test_half_line_accuracy_is_the_library_formula_shape():
    expr = pf.half_line_accuracy(sp.Symbol("u"), sp.Symbol("e"))
    assert expr.has(Phi(pf.k - sp.Symbol("e") - sp.Symbol("u")).args[0])


def test_certificate_fails_with_too_few_cells():
    cert = pf.ErosionCertificate(((0.95, 3.0, 1.5),), (30.0,), 1e-3, cells=200)
    ok, why = cert.verify()
    assert ok is False and "delta" in why
