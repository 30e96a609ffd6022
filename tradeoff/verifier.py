"""Run the claim registry: Hypothesis search, witnesses and negative controls -> a report.

For every claim the verifier (1) runs the witness, which must hold, and the sensitivity control
(the checked value moved by 1e-6 at the witness must be reported); (2) runs the negative control,
which the checker must report as violated (otherwise the checker cannot fail and the claim's
verdict is "checker defect"); (3) searches the printed hypothesis region with
``hypothesis.find`` for a violation, recording the number of cases, how many of them lie in the
claim's informative region (``Claim.informative``) and the tightest slack seen, steering with
``hypothesis.target`` towards small slack inside that region, and shrinking any violation to a
minimal counterexample; (4) for a claim with corrected
hypotheses, searches the corrected region the same way. Before the search it checks the
claim's known hard cases (``Claim.regressions``); one that fails gives "regression failed".
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import random
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field

from hypothesis import HealthCheck, Phase, find, settings, target
from hypothesis.errors import NoSuchExample

from tradeoff._io import atomic_write_text
from tradeoff.claims import Claim, Outcome, all_claims, describe_case
from tradeoff.claims._common import SENSITIVITY, perturbed

PROFILES: dict[str, int] = {"quick": 150, "default": 600, "deep": 5000}
"""Hypothesis examples per claim region at each profile (scaled by ``Claim.max_examples_scale``)."""

VERDICTS_OK = ("verified", "corrected and verified")

DEFAULT_WORKERS = 2
"""Processes of :func:`verify` (the project's reference machine has two cores)."""

__all__ = ["DEFAULT_WORKERS", "PROFILES", "ClaimResult", "Report", "SearchResult",
           "check_regressions", "search", "sensitivity_detected", "verify", "verify_claim"]


@dataclass
class SearchResult:
    """What one Hypothesis search over a region saw."""

    cases: int = 0
    informative_cases: int = 0
    tightest_slack: float = math.inf
    tightest_case: str | None = None
    counterexample: str | None = None
    counterexample_note: str | None = None


@dataclass
class ClaimResult:
    """The verdict on one claim, with the evidence behind it."""

    id: str
    title: str
    verdict: str
    printed: SearchResult
    corrected: SearchResult | None
    witness_holds: bool
    witness_slack: float
    control_violated: bool
    control_note: str
    seconds: float
    error: str | None = None
    regressions: int = 0
    regression_failure: str | None = None
    sensitivity_detected: bool = True

    @property
    def ok(self) -> bool:
        return self.verdict in VERDICTS_OK


@dataclass
class Report:
    """The report of `tradeoff verify` (what the CLI prints and ``--json`` writes)."""

    profile: str
    seed: int
    results: list[ClaimResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when every claim the suite asserts (corrected ones included) verified."""
        return all(r.ok for r in self.results)

    def to_dict(self) -> dict:
        return {"profile": self.profile, "seed": self.seed, "seconds": self.seconds,
                "ok": self.ok, "claims": [asdict(r) for r in self.results]}

    def write_json(self, path: str) -> None:
        """Write the report atomically (temporary file + rename)."""
        atomic_write_text(path, json.dumps(_finite(self.to_dict()), indent=2, allow_nan=False))

    def format(self) -> str:
        """The claim-by-claim table."""
        head = f"{'claim':<20} {'verdict':<24} {'cases':>6} {'tightest slack':>15}  detail"
        lines = [f"tradeoff verify -- profile {self.profile}, seed {self.seed}", head,
                 "-" * len(head)]
        for r in self.results:
            cases = r.printed.cases + (r.corrected.cases if r.corrected else 0)
            slack = r.printed.tightest_slack if not r.corrected else r.corrected.tightest_slack
            detail = ""
            if r.printed.counterexample:
                detail = f"counterexample: {r.printed.counterexample}"
            if r.error:
                detail = f"error: {r.error}"
            elif not r.witness_holds:
                detail = "witness failed"
            elif not r.control_violated:
                detail = "negative control not detected"
            elif not r.sensitivity_detected:
                detail = "sensitivity control not detected"
            elif r.regression_failure:
                detail = f"regression failed: {r.regression_failure}"
            lines.append(f"{r.id:<20} {r.verdict:<24} {cases:>6} {slack:>15.3g}  {detail}")
        lines.append("-" * len(head))
        n_ok = sum(r.ok for r in self.results)
        lines.append(f"{n_ok}/{len(self.results)} claims verified (as printed or corrected) "
                     f"in {self.seconds:.1f} s -> {'OK' if self.ok else 'FAILED'}")
        return "\n".join(lines)


def _finite(value):
    """Non-finite floats become strings ("inf", "nan"): JSON has no infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def search(claim: Claim, strategy, max_examples: int, seed: int) -> SearchResult:
    """Search ``strategy`` for a case the claim's checker reports as violated."""
    seen = SearchResult()

    def violated(case) -> bool:
        out: Outcome = claim.check(case)
        seen.cases += 1
        informative = claim.informative is None or bool(claim.informative(case))
        seen.informative_cases += informative
        if math.isfinite(out.slack) and informative:
            # steer towards small slack inside the informative region only: on the edges the
            # slack is often 0 trivially (p = 1 - 2^-53, eta = 0) and would pull the search there
            target(-abs(out.slack), label="closeness to violation")
            if out.slack < seen.tightest_slack:
                seen.tightest_slack = out.slack
                seen.tightest_case = describe_case(case)
        return not out.holds

    conf = settings(max_examples=max_examples, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck),
                    phases=[Phase.generate, Phase.target, Phase.shrink])
    try:
        found = find(strategy, violated, settings=conf, random=random.Random(seed))
    except NoSuchExample:
        return seen
    seen.counterexample = describe_case(found)
    seen.counterexample_note = claim.check(found).note
    return seen


def verify_claim(claim: Claim, profile: str = "quick", seed: int = 0) -> ClaimResult:
    """Witness, negative control and search(es) for one claim."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}")
    budget = max(5, int(PROFILES[profile] * claim.max_examples_scale))
    start = time.perf_counter()
    printed, corrected = SearchResult(), None
    witness = control = Outcome(False, math.nan)
    try:
        witness = claim.check(claim.witness())
        control = claim.check(claim.negative_control())
        sensitive = sensitivity_detected(claim)
        n_regressions, regression_failure = check_regressions(claim)
        printed = search(claim, claim.cases(), budget, seed)
        if claim.corrected_cases is not None:
            corrected = search(claim, claim.corrected_cases(), budget, seed + 1)
    except Exception as exc:  # a crashing checker is a verdict, not a crash of the report
        return ClaimResult(claim.id, claim.title, "error", printed, corrected, witness.holds,
                           witness.slack, not control.holds, control.note,
                           time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    if not witness.holds or control.holds or not sensitive:
        verdict = "checker defect"
    elif regression_failure is not None:
        verdict = "regression failed"
    elif printed.counterexample is None:
        verdict = "verified"
    elif corrected is not None and corrected.counterexample is None:
        verdict = "corrected and verified"
    else:
        verdict = "falsified as printed"
    return ClaimResult(claim.id, claim.title, verdict, printed, corrected, witness.holds,
                       witness.slack, not control.holds, control.note,
                       time.perf_counter() - start, regressions=n_regressions,
                       regression_failure=regression_failure, sensitivity_detected=sensitive)


def sensitivity_detected(claim: Claim) -> bool:
    """The sensitivity control: whether the checker reports a violation at the witness when the
    value it checks is moved by ``+SENSITIVITY`` or ``-SENSITIVITY`` (1e-6;
    :func:`tradeoff.claims._common.perturbed`). ``False`` means the check cannot see an error
    of that size: a checker defect."""
    case = claim.witness()
    held = []
    for delta in (SENSITIVITY, -SENSITIVITY):
        with perturbed(delta):
            held.append(claim.check(case).holds)
    return not all(held)


def check_regressions(claim: Claim) -> tuple[int, str | None]:
    """Check the claim's known hard cases (``Claim.regressions``): their number, and the first
    that does not hold (its origin, the case and the checker's note), or ``None``."""
    cases = list(claim.regressions()) if claim.regressions is not None else []
    failure = None
    for origin, case in cases:
        out = claim.check(case)
        if not out.holds and failure is None:
            failure = f"{origin}: {describe_case(case)} ({out.note})"
    return len(cases), failure


def _verify_by_id(claim_id: str, profile: str, seed: int) -> ClaimResult:
    """Worker of the process pool: look the claim up by ID (claims hold lambdas: not picklable)."""
    from tradeoff.claims import get

    return verify_claim(get(claim_id), profile, seed)


def _default_workers(n_claims: int) -> int:
    return max(1, min(DEFAULT_WORKERS, os.cpu_count() or 1, n_claims))


def verify(profile: str = "quick", seed: int = 0, claims: list[str] | None = None,
           on_result: Callable[[ClaimResult], None] | None = None,
           workers: int | None = None) -> Report:
    """Verify every claim of the registry (or the listed IDs) and return the report.

    Parameters
    ----------
    profile : {"quick", "default", "deep"}
        Search budget per claim region (:data:`PROFILES`).
    seed : int
        Seed of the Hypothesis searches; the same seed gives the same report.
    claims : list of str, optional
        Claim IDs to run (default: all).
    on_result : callable, optional
        Called with each :class:`ClaimResult` in registry order, as soon as it and every claim
        before it are known (progress of long runs).
    workers : int, optional
        Processes that verify claims in parallel (default: ``min(2, cpu_count)``); ``1`` runs in
        this process. Each claim's search is seeded by ``seed`` alone, so the report (verdicts,
        cases, slacks, order) is the same for every number of workers; only ``seconds`` differ.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {sorted(PROFILES)}, got {profile!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    selected = all_claims()
    if claims is not None:
        known = {c.id for c in selected}
        unknown = [c for c in claims if c not in known]
        if unknown:
            raise ValueError(f"claims must be registered IDs; unknown: {unknown}")
        selected = [c for c in selected if c.id in set(claims)]
    if workers is None:
        workers = _default_workers(len(selected))
    elif isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    report = Report(profile, seed)
    start = time.perf_counter()
    if workers == 1 or len(selected) <= 1:
        for claim in selected:
            report.results.append(verify_claim(claim, profile, seed))
            if on_result is not None:
                on_result(report.results[-1])
    else:
        # results are reported in registry order whatever the order of completion
        order = range(len(selected))
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {i: pool.submit(_verify_by_id, selected[i].id, profile, seed)
                       for i in order}
            for i in range(len(selected)):
                report.results.append(futures[i].result())
                if on_result is not None:
                    on_result(report.results[-1])
    report.seconds = time.perf_counter() - start
    return report
