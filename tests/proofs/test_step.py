"""The proof-step object and the generic guarantees every step must meet.

- every machine-checked step verifies, every argued step is reported ``not-checked``;
- every machine-checked step has a mutated twin whose check fails;
- exact-rational spot checks: random points of each step's domain satisfy its statement.
"""

from __future__ import annotations

import re

import mpmath
import pytest
import sympy as sp
import tradeoff.proofs
from hypothesis import given, settings
from hypothesis import strategies as st
from tradeoff.proofs.certify import (
    AllOf,
    Argued,
    BallInequality,
    Identity,
    Interval,
    Limit,
    SignCertificate,
)
from tradeoff.proofs.step import METHODS, ProofStep, StepResult

from tests.proofs.proof_spot import checked_expression, is_spot_checkable, leaves, points, to_sympy
from tradeoff.claims import REGISTRY

STEPS = tradeoff.proofs.all_steps()
CHECKED = [s for s in STEPS if s.machine_checked]
ARGUED = [s for s in STEPS if not s.machine_checked]
# The claims whose proofs the issue asks for (App. C and D); the others come from the registry.
PROVED_CLAIMS = {
    "C-C1", "C-C2", "C-C3", "C-C4", "C-C5", "C-2.1", "C-2.1-TIGHT", "C-ZLAW", "C-HINGE",
    "C-D1", "C-D2", "C-D3", "C-D4", "C-D5", "C-2.2a", "C-2.2b",
}
x = sp.Symbol("x", real=True)


def ids(steps):
    return [s.name for s in steps]


# -- registry ---------------------------------------------------------------------------------
def test_names_unique_slugs_and_claims_known():
    names = [s.name for s in STEPS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)
    claim_ids = {s.claim_id for s in STEPS}
    assert claim_ids <= set(REGISTRY), f"steps of unregistered claims: {claim_ids - set(REGISTRY)}"
    assert PROVED_CLAIMS <= claim_ids
    assert all(s.method in METHODS for s in STEPS)


def test_steps_for_partitions_all_steps():
    got = [s for c in tradeoff.proofs.claim_ids() for s in tradeoff.proofs.steps_for(c)]
    assert sorted(ids(got)) == sorted(ids(STEPS))
    assert tradeoff.proofs.steps_for("C-NOPE") == []


def test_issue_minimum_is_machine_checked():
    """The steps the issue requires to be machine-checked are, and verify."""
    required = {
        "c1-shift-density",
        "c1-shift-feasible",
        "c3-four-cases",
        "c4-four-cases",
        "c5-final-identity",
        "c5-final-nonnegative",
        "tight-frob-equality",
        "hinge-linf-worst-case",
        "hinge-l2-worst-case",
        "hinge-gaussian-closed-form",
        "zlaw-mgf",
        "d1-parallelogram",
        "d2-tangent-at-pi-4-compact",
        "d2-tangent-at-pi-4-tail",
        "d2-u-on-arc",
        "d3-margin-on-arc",
        "d3-phi-3",
        "d4-robust-margin",
        "d4-phi-minus-3",
        "d5-per-coordinate",
        "b-refuted-when-eps-ge-2p-1",
        "b-corrected-minimizer-positive",
    }
    by_name = {s.name: s for s in STEPS}
    for name in required:
        assert by_name[name].machine_checked, name
        assert by_name[name].check().status == "verified", name
    methods = {s.method for s in CHECKED}
    assert {
        "identity",
        "sign-certificate",
        "branch-and-bound",
        "derivative",
        "subgradient",
    } <= methods


# -- every step verifies; every twin fails ------------------------------------------------------
@pytest.mark.parametrize("step", CHECKED, ids=ids(CHECKED))
def test_machine_checked_step_verifies(step: ProofStep):
    res = step.check()
    assert res.status == "verified", res.reason
    assert res.seconds >= 0


@pytest.mark.parametrize("step", ARGUED, ids=ids(ARGUED))
def test_argued_step_is_not_checked(step: ProofStep):
    res = step.check()
    assert res.status == "not-checked"
    assert "argued" in res.reason
    assert step.mutant() is None


@pytest.mark.parametrize("step", CHECKED, ids=ids(CHECKED))
def test_mutated_twin_fails(step: ProofStep):
    twin = step.mutant()
    assert twin is not None and twin.mutation
    assert twin.name != step.name and twin.claim_id == step.claim_id
    res = twin.check()
    assert res.status == "failed", f"twin ({twin.mutation}) did not fail: {res.reason}"


# -- exact-rational spot checks of every symbolic statement -------------------------------------
def _quad(integral: sp.Integral) -> sp.Float:
    """Independent numerical value of a one-dimensional integral (mpmath, 40 digits)."""
    ((var, lo, hi),) = integral.limits
    f = sp.lambdify(var, integral.function, "mpmath")
    a, b = _end(lo), _end(hi)
    # breakpoints where our integrands (Gaussian bumps of width >= 0.3) can sit
    ends = [a, *[mpmath.mpf(t) / 2 for t in range(-40, 41) if a < mpmath.mpf(t) / 2 < b], b]
    with mpmath.workdps(45):
        text = mpmath.nstr(mpmath.quad(f, ends), 45)
    return sp.Float(text, 45)


def _end(v: sp.Expr):
    if v is sp.oo:
        return mpmath.inf
    if v is -sp.oo:
        return -mpmath.inf
    return mpmath.mpf(str(sp.N(v, 50)))


def _holds(expr: sp.Expr, strict, pt) -> bool:
    val = expr.xreplace(to_sympy(pt))
    val = val.xreplace({i: _quad(i) for i in val.atoms(sp.Integral)})
    if val.is_Rational:  # exact
        return val == 0 if strict is None else (val > 0 if strict else val >= 0)
    num = sp.N(val, 40)
    assert num.is_real, (expr, pt, num)
    tol = sp.Float(10) ** -30 * (1 + abs(num))
    if strict is None:
        return abs(num) <= tol
    return num > -tol


SPOT = [
    (s, i, leaf)
    for s in CHECKED
    for i, leaf in enumerate(leaves(s.certificate))
    if is_spot_checkable(leaf)
]


@pytest.mark.parametrize(("step", "i", "leaf"), SPOT, ids=[f"{s.name}[{i}]" for s, i, _ in SPOT])
@settings(deadline=None, max_examples=12)
@given(data=st.data())
def test_statement_holds_at_random_rational_points(step, i, leaf, data):
    expr, strict = checked_expression(leaf)
    pt = data.draw(points(leaf.variables()))
    assert _holds(expr, strict, pt), f"{step.name}[{i}] violated at {pt}"


# -- the object itself -------------------------------------------------------------------------
def _step(cert, method="identity", name="toy-step"):
    return ProofStep.make("C-TOY", name, cert, method=method, paper_ref="nowhere")


def test_step_result_and_latex():
    s = _step(Identity((x + 1) ** 2, x**2 + 2 * x + 1, {x: Interval(-1, 1)}), name="toy-a")
    r = s.check()
    assert isinstance(r, StepResult) and r.ok and r.status == "verified"
    tex = s.to_latex()
    assert "=" in tex and r"\le" in tex


def test_undecided_checker_is_failed_not_verified():
    class Undecided:
        kind = "identity"

        def statement(self):
            return sp.Eq(x, x)

        def variables(self):
            return {}

        def verify(self):
            return None, "sympy returned None"

        def mutated(self):
            return self, "same"

    r = _step(Undecided(), name="toy-b").check(use_cache=False)
    assert r.status == "failed" and "undecided" in r.reason


def test_sympy_none_is_never_verified(monkeypatch):
    import tradeoff.proofs.certify as c

    monkeypatch.setattr(c, "_REDUCTIONS", [("none", lambda e: None)])
    ok, why = Identity(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1, {x: Interval(-1, 1)}).verify()
    assert ok is False and "no proof" in why


def test_crashing_checker_is_failed():
    class Boom(Identity):
        def verify(self):
            raise ZeroDivisionError("boom")

    r = _step(Boom(x, x), name="toy-c").check(use_cache=False)
    assert r.status == "failed" and "boom" in r.reason


def test_argued_method_must_match_certificate():
    with pytest.raises(ValueError, match="argued"):
        _step(Argued("because"), method="identity", name="toy-d")
    with pytest.raises(ValueError, match="method"):
        _step(Identity(x, x), method="magic", name="toy-e")
    with pytest.raises(ValueError, match="slug"):
        _step(Identity(x, x), name="Not a slug!")


def test_floats_are_rejected():
    ok, why = Identity(x * 0.5, x / 2, {x: Interval(0, 1)}).verify()
    assert ok is False and "float" in why
    with pytest.raises(TypeError):
        Interval(0.5, 1)


def test_sign_certificate_strictness_and_counterexample():
    box = {x: Interval(0, 1)}
    assert SignCertificate(x * (1 - x), box).verify()[0] is True
    assert SignCertificate(x * (1 - x), box, strict=True).verify()[0] is False
    ok, why = SignCertificate(x - sp.Rational(1, 2), box).verify()
    assert ok is False and "violated" in why


def test_branch_and_bound_certifies_and_refutes():
    box = {x: Interval(0, 2)}
    assert BallInequality(sp.erfc(x) + sp.Rational(1, 100), box).verify()[0] is True
    ok, why = BallInequality(sp.erfc(x) - sp.Rational(1, 10), box).verify()
    assert ok is False and "counterexample" in why
    assert BallInequality(x, {x: Interval(sp.sqrt(2), 3)}).verify()[0] is False  # not rational


def test_limit_and_allof():
    assert Limit(sp.exp(-x), x, sp.oo, 0).verify()[0] is True
    assert Limit(sp.exp(-x), x, sp.oo, 1).verify()[0] is False
    both = AllOf((Identity(x, x), Limit(1 / x, x, sp.oo, 0)))
    assert both.verify()[0] is True
    assert both.mutated()[0].verify()[0] is False
