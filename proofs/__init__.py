"""Machine-checked proof steps for Theorems 2.1 and 2.2 of Tsipras et al. (ICLR 2019).

Each theorem's proof (Appendices C and D; skeletons in docs/theory.md §3-§4) is a list of
:class:`~tradeoff.proofs.step.ProofStep` objects. A step carries its claim ID, an exact sympy
statement,
its domain, the method by which it is checked and the certificate that checks it; steps argued
only in prose say so (status ``not-checked``).

API
---
all_steps()          every step, in proof order (Thm 2.1, Gaussian lemmas, 2.2(a), 2.2(b), beyond)
steps_for(claim_id)  the steps of one claim (used by the docs pages)
claim_ids()          the claim IDs that have steps
ProofStep, StepResult
runner.main(argv)    the ``tradeoff prove`` / ``python -m tradeoff.proofs`` command

Modules
-------
step         the proof-step object and its result
certify      the certificates: identity, sign certificate, branch-and-bound on arb balls, limit
theorem21    App. C: C-C1 ... C-C5, C-2.1, C-2.1-TIGHT
gaussian     C-ZLAW, the expected hinge of a Gaussian margin, Mills-ratio bounds
theorem22    App. D: C-HINGE, C-D1 ... C-D4, C-2.2a
adversarial  App. D: C-D5 (sharpened), C-2.2b (refuted as printed, corrected)
beyond       beyond the paper: B-BAYES, B-OPTROBUST, B-FRONTIER
library      library links: proof expressions evaluated against tradeoff/'s functions
frontier     B-FRONTIER at every radius: reduction, 1-D erosion problem, certificate, links
runner       table / JSON report
"""

from __future__ import annotations

from functools import cache

from tradeoff.proofs.step import ProofStep, StepResult

__all__ = ["ProofStep", "StepResult", "all_steps", "claim_ids", "steps_for"]


@cache
def _build() -> tuple[ProofStep, ...]:
    from tradeoff.proofs import adversarial, beyond, gaussian, theorem21, theorem22

    steps = [*theorem21.steps(), *gaussian.steps(), *theorem22.steps(), *adversarial.steps()]
    steps += beyond.steps()
    from tradeoff.proofs import library

    steps += library.steps()
    from tradeoff.proofs import frontier

    steps += frontier.steps()
    names = [s.name for s in steps]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise RuntimeError(f"duplicate proof-step names: {sorted(dup)}")
    return tuple(steps)


def all_steps() -> list[ProofStep]:
    """Every proof step, in proof order."""
    return list(_build())


def steps_for(claim_id: str) -> list[ProofStep]:
    """The steps of one claim (empty list for a claim without proof steps)."""
    return [s for s in _build() if s.claim_id == claim_id]


def claim_ids() -> list[str]:
    """Claim IDs that have proof steps, in order of first appearance."""
    seen: dict[str, None] = {}
    for s in _build():
        seen.setdefault(s.claim_id, None)
    return list(seen)
