"""Generate one docs page per claim from the registry (and the proof steps, and a verify report).

Usage::

    python docs/scripts/gen_claim_pages.py [--report verify.json] [--no-proofs]

Writes ``docs/claims/<ID>.md`` and ``docs/claims/index.md`` (the "claim | statement | code |
test | proof step" table). Verdicts come from the JSON report of an actual ``tradeoff verify``
run (``--report``); without one, the generator runs the quick profile itself.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "claims"


def _slug(claim_id: str) -> str:
    return claim_id.lower().replace(".", "-")


def _steps(claim_id: str, with_proofs: bool) -> list[tuple[object, object]]:
    if not with_proofs:
        return []
    try:
        import tradeoff.proofs
    except ImportError:
        return []
    return [(step, step.check()) for step in tradeoff.proofs.steps_for(claim_id)]


def _first_line(doc: str | None) -> str:
    return doc.strip().splitlines()[0] if doc and doc.strip() else ""


def _code_links(code: tuple[str, ...]) -> str:
    return ", ".join(f"`{c}`" for c in code) or "—"


def page(claim, result: dict | None, steps) -> str:
    from tradeoff.claims import describe_case

    lines = [f"# {claim.id} — {claim.title}", ""]
    lines += [f"**Source:** {claim.source}", "", "## Statement (as printed)", "",
              f"> {claim.statement}", "", "## Hypotheses", "",
              f"- **As printed:** {claim.hypotheses}"]
    if claim.corrected_hypotheses:
        lines.append(f"- **Corrected:** {claim.corrected_hypotheses}")
    lines.append("")
    if claim.finding:
        lines += ["## Finding", "", f"!!! warning \"False as printed\"\n    {claim.finding}", ""]
    lines += ["## Verdict", ""]
    if result is None:
        lines.append("No verification report was supplied.")
    else:
        printed = result["printed"]
        lines.append(f"**{result['verdict']}** (profile `{result.get('profile', 'quick')}`: "
                     f"{printed['cases']} cases searched in the printed region"
                     + (f", {result['corrected']['cases']} in the corrected region"
                        if result.get("corrected") else "") + ").")
        lines.append("")
        if printed.get("counterexample"):
            lines += [f"- Minimal counterexample to the printed statement: "
                      f"`{printed['counterexample']}`",
                      f"  ({printed.get('counterexample_note', '')})"]
        region = result.get("corrected") or printed
        lines.append(f"- Tightest slack seen: `{region['tightest_slack']}`"
                     + (f" at `{region['tightest_case']}`" if region.get("tightest_case") else ""))
        lines.append(f"- Witness holds: {result['witness_holds']} "
                     f"(slack `{result['witness_slack']}`)")
        lines.append(f"- Negative control reported as a violation: {result['control_violated']}"
                     f" — {claim.control_note or result.get('control_note', '')}")
        if "sensitivity_detected" in result:
            lines.append("- Sensitivity control (the checked value moved by 1e-6 at the witness) "
                         f"reported as a violation: {result['sensitivity_detected']}")
        if result.get("regressions"):
            lines.append(f"- Known hard cases checked: {result['regressions']}"
                         + (f", failed: {result['regression_failure']}"
                            if result.get("regression_failure") else ", all hold"))
    lines += ["", "## How it is checked", "",
              f"- Kind of evidence: **{claim.kind}**",
              f"- Checker: `{claim.check.__module__}.{claim.check.__name__}` — "
              f"{_first_line(claim.check.__doc__)}",
              f"- Witness: {claim.witness_note or 'see the registry entry'}",
              f"- Negative control: {claim.control_note or 'see the registry entry'}",
              f"- Code: {_code_links(claim.code)}",
              "- Tests: `tests/test_claims.py` (generated from the registry: search, witness, "
              f"negative control for `{claim.id}`)", ""]
    if claim.regressions is not None:
        lines.insert(len(lines) - 1, "- Known hard cases, checked by `tradeoff verify` and "
                     "`tests/test_claims.py::test_regressions_hold`:")
        for origin, case in claim.regressions():
            lines.insert(len(lines) - 1, f"  - {origin}: `{describe_case(case)}`")
    if steps:
        lines += ["## Proof steps (proofs/)", "",
                  "| step | method | status | statement |", "|---|---|---|---|"]
        for step, res in steps:
            latex = step.to_latex().replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{step.name}` | {step.method} | **{res.status}** | ${latex}$ |")
        lines.append("")
        for step, res in steps:
            lines.append(f"- `{step.name}`: {res.reason}")
        lines.append("")
    return "\n".join(lines)


def index(claims, results: dict[str, dict], steps_count: dict[str, int]) -> str:
    lines = ["# Claims", "",
             "One row per claim of the registry (`tradeoff/claims/`), the single source of truth "
             "for `tradeoff verify`, the tests and these pages.", "",
             "| claim | statement | verdict | code | test | proof steps |",
             "|---|---|---|---|---|---|"]
    for c in claims:
        verdict = results.get(c.id, {}).get("verdict", "—")
        stmt = c.statement.replace("|", "\\|")
        if len(stmt) > 110:
            stmt = stmt[:107] + "..."
        lines.append(f"| [{c.id}]({_slug(c.id)}.md) | {stmt} | {verdict} | "
                     f"{_code_links(c.code[:1])} | `tests/test_claims.py` | "
                     f"{steps_count.get(c.id, 0)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", help="JSON written by `tradeoff verify --json`")
    parser.add_argument("--no-proofs", action="store_true", help="skip the proof steps")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tradeoff.claims import all_claims

    if args.report:
        data = json.loads(pathlib.Path(args.report).read_text())
    else:
        from tradeoff.verifier import verify

        data = verify("quick").to_dict()
    results = {r["id"]: dict(r, profile=data["profile"]) for r in data["claims"]}
    OUT.mkdir(parents=True, exist_ok=True)
    claims = all_claims()
    counts = {}
    for claim in claims:
        steps = _steps(claim.id, not args.no_proofs)
        counts[claim.id] = len(steps)
        text = page(claim, results.get(claim.id), steps)
        target = OUT / f"{_slug(claim.id)}.md"
        tmp = target.with_suffix(".md.tmp")
        tmp.write_text(text)
        os.replace(tmp, target)
    (OUT / "index.md").write_text(index(claims, results, counts))
    print(f"wrote {len(claims)} claim pages to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
