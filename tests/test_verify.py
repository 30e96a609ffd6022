"""The verifier: verdict logic on synthetic claims, search, the report and its JSON."""

import dataclasses
import json
import math
import re

import numpy as np
import pytest
from hypothesis import strategies as st

from tradeoff.claims import REGISTRY, Claim, Outcome, describe_case, get
from tradeoff.claims._common import checked
from tradeoff.classifiers import LinearRule
from tradeoff.distribution import Distribution
from tradeoff.strategies import ClassifierCase
from tradeoff.verifier import (
    PROFILES,
    ClaimResult,
    Report,
    SearchResult,
    search,
    verify,
    verify_claim,
)


def _claim(check, *, cases=None, corrected=None, witness=999, control=1000) -> Claim:
    return Claim(
        id="C-TEST", title="synthetic", statement="x < 1000", source="test", hypotheses="0..100",
        cases=cases or (lambda: st.integers(0, 100).map(lambda x: {"x": x})),
        check=check, witness=lambda: {"x": witness}, negative_control=lambda: {"x": control},
        corrected_cases=corrected)


def below(limit):
    """Integer cases: x < limit, i.e. x <= limit - 1; the value passes through ``checked`` (the
    sensitivity control), so the tight witness ``limit - 1`` moved by 1e-6 is a violation."""
    def check(case):
        x = checked(case["x"])
        return Outcome(x <= limit - 1, limit - 1 - x, f"x={case['x']}")
    return check


def test_verified_claim():
    res = verify_claim(_claim(below(1000)), "quick", 0)
    assert res.verdict == "verified" and res.ok
    assert res.witness_holds and res.control_violated
    assert res.printed.counterexample is None and res.printed.cases > 0
    assert res.printed.tightest_slack == 999 - 100  # the closest the region gets


def test_falsified_claim_shrinks_to_the_minimal_counterexample():
    res = verify_claim(_claim(below(50), witness=49, control=60), "quick", 0)
    assert res.verdict == "falsified as printed" and not res.ok
    assert res.printed.counterexample == "x=50"
    assert res.printed.counterexample_note == "x=50"


def test_corrected_claim():
    corrected = lambda: st.integers(0, 49).map(lambda x: {"x": x})  # noqa: E731
    res = verify_claim(_claim(below(50), corrected=corrected, witness=49, control=60), "quick", 0)
    assert res.verdict == "corrected and verified" and res.ok
    assert res.printed.counterexample == "x=50" and res.corrected.counterexample is None


def test_corrected_region_still_false():
    corrected = lambda: st.integers(0, 60).map(lambda x: {"x": x})  # noqa: E731
    res = verify_claim(_claim(below(50), corrected=corrected, witness=49, control=60), "quick", 0)
    assert res.verdict == "falsified as printed"


@pytest.mark.parametrize("witness, control", [(2000, 1000), (999, 10)])
def test_checker_defect_when_witness_fails_or_control_passes(witness, control):
    res = verify_claim(_claim(below(1000), witness=witness, control=control), "quick", 0)
    assert res.verdict == "checker defect" and not res.ok


def test_failed_regression_case_fails_the_claim():
    claim = dataclasses.replace(_claim(below(1000)),
                                regressions=lambda: [("ok", {"x": 5}), ("edge", {"x": 1000})])
    res = verify_claim(claim, "quick", 0)
    assert res.verdict == "regression failed" and not res.ok
    assert res.regressions == 2 and res.regression_failure.startswith("edge: x=1000")
    assert "regression failed: edge" in Report("quick", 0, [res], 0.1).format()
    # the search itself found nothing: only the known case shows the slip
    assert res.printed.counterexample is None


def test_regression_cases_are_counted_when_they_hold():
    claim = dataclasses.replace(_claim(below(1000)), regressions=lambda: [("ok", {"x": 5})])
    res = verify_claim(claim, "quick", 0)
    assert res.verdict == "verified" and res.regressions == 1 and res.regression_failure is None
    assert verify_claim(_claim(below(1000)), "quick", 0).regressions == 0


def test_checker_blind_to_a_1e_minus_6_error_is_a_defect():
    # the witness 10 is far from the limit: moving it by 1e-6 changes nothing
    res = verify_claim(_claim(below(1000), witness=10), "quick", 0)
    assert res.verdict == "checker defect" and not res.sensitivity_detected
    assert "sensitivity control not detected" in Report("quick", 0, [res], 0.1).format()
    # a checker that ignores checked() cannot see it either
    blind = _claim(lambda case: Outcome(case["x"] < 1000, 999 - case["x"]))
    assert verify_claim(blind, "quick", 0).verdict == "checker defect"
    assert verify_claim(_claim(below(1000)), "quick", 0).sensitivity_detected


def test_crashing_checker_is_an_error_verdict():
    def boom(case):
        raise ZeroDivisionError("division by zero in checker")

    res = verify_claim(_claim(boom), "quick", 0)
    assert res.verdict == "error" and "ZeroDivisionError" in res.error


def test_search_budget_and_determinism():
    claim = _claim(below(1000))
    a = search(claim, claim.cases(), 40, seed=5)
    b = search(claim, claim.cases(), 40, seed=5)
    assert a == b
    assert 0 < a.cases <= 40 + 10  # generate + target phases; no shrinking without a failure


def test_profiles():
    assert PROFILES["quick"] < PROFILES["default"] < PROFILES["deep"]


@pytest.mark.parametrize("kwargs, param", [({"profile": "huge"}, "profile"),
                                           ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"),
                                           ({"seed": True}, "seed"),
                                           ({"claims": ["C-NOPE"]}, "claims")])
def test_verify_refuses_bad_arguments(kwargs, param):
    with pytest.raises(ValueError, match=param):
        verify(**kwargs)
    if "profile" in kwargs:
        with pytest.raises(ValueError, match=param):
            verify_claim(REGISTRY["C-C5"], kwargs["profile"])


def test_verify_real_claims_in_registry_order():
    report = verify(profile="quick", seed=0, claims=["C-C5", "C-FROB"])
    assert [r.id for r in report.results] == ["C-FROB", "C-C5"]  # registry order
    assert report.ok and all(r.verdict == "verified" for r in report.results)
    text = report.format()
    assert "C-FROB" in text and "C-C5" in text and "2/2 claims verified" in text
    assert text.rstrip().endswith("OK")


def _report(*verdicts, slack=0.5) -> Report:
    results = [ClaimResult(f"C-{i}", "t", v, SearchResult(cases=3, tightest_slack=slack), None,
                           True, 0.0, True, "", 0.0) for i, v in enumerate(verdicts)]
    return Report("quick", 0, results, 1.0)


def test_report_ok_and_format():
    assert _report("verified", "corrected and verified").ok
    bad = _report("verified", "falsified as printed")
    assert not bad.ok and bad.format().rstrip().endswith("FAILED")
    assert _report().ok  # vacuous: no claim selected


def test_write_json_round_trip(tmp_path):
    path = tmp_path / "r.json"
    report = _report("verified")
    report.write_json(str(path))
    data = json.loads(path.read_text())
    assert data == json.loads(json.dumps(report.to_dict()))
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary left behind


def test_write_json_is_strict_json(tmp_path):
    """Non-finite floats (a search with no finite slack keeps tightest_slack = inf) must not be
    written as the non-standard tokens Infinity/NaN.

    Finding: ``_json_default`` is meant to stringify them, but ``json.dump`` never calls
    ``default`` for floats, so the file contains ``Infinity``."""
    path = tmp_path / "r.json"
    _report("verified", slack=math.inf).write_json(str(path))

    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")

    json.loads(path.read_text(), parse_constant=refuse)


# --- the registry ------------------------------------------------------------------------------

def test_registry_entries_are_complete():
    assert len(REGISTRY) == len({c.id for c in REGISTRY.values()})
    for claim_id, claim in REGISTRY.items():
        assert claim.id == claim_id and re.fullmatch(r"[A-Z]+-[A-Za-z0-9.\-]+", claim_id)
        assert claim.statement and claim.source and claim.hypotheses, claim_id
        assert claim.corrected == (claim.corrected_cases is not None)


def test_registry_lookup():
    assert get("C-2.1").id == "C-2.1"
    with pytest.raises(KeyError, match="C-2.1"):
        get("C-NOPE")


def test_describe_case():
    case = {"dist": Distribution(0.95, 0.3, 100), "eps": 0.6,
            "classifier": LinearRule(np.array([1.0, 0.0]), name="f_rob")}
    text = describe_case(case)
    assert "p=0.95, eta=0.3, d=100" in text and "eps=0.6" in text and "f_rob(w=" in text


def test_describe_typed_case():
    case = ClassifierCase(Distribution(0.95, 0.3, 100), 0.6,
                          LinearRule(np.array([1.0, 0.0]), name="f_rob"))
    text = describe_case(case)
    assert "p=0.95, eta=0.3, d=100" in text and "eps=0.6" in text and "f_rob(w=" in text


def _informative_claim():
    return dataclasses.replace(
        _claim(below(1000)), informative=lambda case: case["x"] >= 50,
        informative_region="x >= 50")


def test_search_counts_informative_cases():
    seen = search(_informative_claim(), st.integers(0, 100).map(lambda x: {"x": x}), 100, 0)
    assert 0 < seen.informative_cases < seen.cases
    every = search(_claim(below(1000)), st.integers(0, 100).map(lambda x: {"x": x}), 50, 0)
    assert every.informative_cases == every.cases  # no predicate: every case counts


def test_json_reports_cases_informative_cases_and_tightest_slack(tmp_path):
    report = verify("quick", 0, claims=["C-C5", "C-FROB"], workers=1)
    path = tmp_path / "report.json"
    report.write_json(str(path))
    data = json.loads(path.read_text())
    for entry in data["claims"]:
        printed = entry["printed"]
        assert printed["cases"] > 0 and 0 <= printed["informative_cases"] <= printed["cases"]
        assert "tightest_slack" in printed


def test_parallel_report_equals_sequential():
    """Two worker processes give the same verdicts, counts and slacks, in registry order."""
    ids = ["C-C5", "C-FROB", "C-2.1-TIGHT"]
    one = verify("quick", 3, claims=ids, workers=1)
    two = verify("quick", 3, claims=ids, workers=2)
    strip = [{k: v for k, v in dataclasses.asdict(r).items() if k != "seconds"}
             for r in one.results]
    assert [r.id for r in two.results] == [c for c in REGISTRY if c in ids]
    assert strip == [{k: v for k, v in dataclasses.asdict(r).items() if k != "seconds"}
                     for r in two.results]


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_bad_workers_are_refused(workers):
    with pytest.raises(ValueError, match="workers"):
        verify("quick", 0, claims=["C-C5"], workers=workers)
