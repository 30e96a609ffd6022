"""The claim pages are generated from the registry: one page per claim, none left over."""

from pathlib import Path

from tradeoff.claims import REGISTRY

CLAIMS_DIR = Path(__file__).resolve().parents[1] / "docs" / "claims"


def _slug(claim_id: str) -> str:
    return claim_id.lower().replace(".", "-")


def test_every_claim_has_a_page_with_its_statement():
    for claim_id, claim in REGISTRY.items():
        page = CLAIMS_DIR / f"{_slug(claim_id)}.md"
        assert page.exists(), f"{claim_id}: regenerate with docs/scripts/gen_claim_pages.py"
        text = page.read_text()
        assert claim.statement in text, f"{claim_id}: page is stale (statement differs)"
        if claim.corrected_hypotheses:
            assert claim.corrected_hypotheses in text, f"{claim_id}: corrected hypotheses missing"


def test_no_page_without_a_claim():
    slugs = {_slug(c) for c in REGISTRY} | {"index"}
    extra = [p.stem for p in CLAIMS_DIR.glob("*.md") if p.stem not in slugs]
    assert not extra, f"pages of unregistered claims: {extra}"


def test_theory_page_lists_every_claim_as_the_registry_has_it():
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "docs" / "scripts" / "gen_theory_table.py"
    spec = importlib.util.spec_from_file_location("gen_theory_table", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.PAGE.read_text(encoding="utf-8")
    assert module.render(text) == text, "docs/theory.md is stale: run gen_theory_table.py"
    for claim_id in REGISTRY:
        assert f"| [{claim_id}](claims/" in text
