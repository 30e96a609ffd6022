"""Registry-generated claim tests: one search, one witness and one negative control per claim.

Nothing here lists claims: every test is parametrized by the IDs of ``tradeoff.claims.REGISTRY``.
A claim recorded as false as printed (it carries corrected hypotheses) must have its printed
region refuted by the search *and* its corrected region verified.
"""

import pytest
from hypothesis import HealthCheck, given, settings

from tradeoff.claims import REGISTRY, describe_case
from tradeoff.verifier import search

IDS = sorted(REGISTRY)


def _property(claim, strategy):
    @settings(suppress_health_check=list(HealthCheck), deadline=None)
    @given(strategy)
    def holds(case):
        out = claim.check(case)
        assert out.holds, f"{claim.id} violated at {describe_case(case)}: {out.note}"

    return holds


@pytest.mark.parametrize("claim_id", IDS)
def test_claim_holds_on_its_region(claim_id):
    """As printed, or on the corrected region for a claim recorded as a finding."""
    claim = REGISTRY[claim_id]
    strategy = claim.corrected_cases() if claim.corrected else claim.cases()
    _property(claim, strategy)()


@pytest.mark.parametrize("claim_id", [i for i in IDS if REGISTRY[i].corrected])
def test_printed_statement_is_refuted(claim_id):
    """The finding is reproducible: the search finds a counterexample to the printed claim."""
    claim = REGISTRY[claim_id]
    found = search(claim, claim.cases(), max_examples=300, seed=0)
    assert found.counterexample is not None, f"{claim_id}: no counterexample found"


@pytest.mark.parametrize("claim_id", IDS)
def test_witness_holds(claim_id):
    claim = REGISTRY[claim_id]
    out = claim.check(claim.witness())
    assert out.holds, out.note


@pytest.mark.parametrize("claim_id", IDS)
def test_negative_control_is_reported(claim_id):
    """Outside the hypotheses the checker must report a violation: the check can fail."""
    claim = REGISTRY[claim_id]
    out = claim.check(claim.negative_control())
    assert not out.holds, f"{claim_id}: negative control not detected ({out.note})"
    assert out.slack < 0 or not out.holds
