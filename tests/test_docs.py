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


def test_every_docs_file_cited_in_the_code_exists():
    """Docstrings and comments cite docs pages by path; each must exist (no dangling
    reference to a page the repository does not have, no page named without its folder)."""
    import re

    root = Path(__file__).resolve().parents[1]
    cited, bare = set(), []
    pattern = re.compile(r"(?<![\w/.])(docs/[\w/.-]+?\.md)")
    for folder in ("tradeoff", "proofs", "empirical", "tests", "benchmarks", "scripts"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            cited.update(pattern.findall(text))
            bare += [f"{path.name}: {m}" for m in
                     re.findall(r"(?<![\w/.])(?:theory|architecture|experiments)\.md", text)]
    assert cited, "the pattern finds no citation at all"
    missing = sorted(c for c in cited if not (root / c).exists())
    assert not missing, f"cited docs files that do not exist: {missing}"
    assert not bare, f"docs cited without their path: {bare[:5]}"


def test_provenance_tags_are_defined():
    text = (Path(__file__).resolve().parents[1] / "docs" / "decisions.md").read_text()
    for tag in ("[paper]", "[code]", "[repro]", "[choose]"):
        assert f"`{tag}`" in text, tag


def test_api_page_lists_every_public_name():
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "docs" / "scripts" / "gen_api_page.py"
    spec = importlib.util.spec_from_file_location("gen_api_page", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PAGE.read_text(encoding="utf-8") == module.render(), (
        "docs/api.md is stale: run docs/scripts/gen_api_page.py")
