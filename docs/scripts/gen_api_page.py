"""Write docs/api.md: the public API, module by module, from each module's ``__all__``.

Usage::

    python docs/scripts/gen_api_page.py [--check]

Public means: listed in a module's ``__all__`` (modules whose name starts with an underscore are
implementation; ``tradeoff`` re-exports the main entry points on purpose). ``--check`` exits 1
when the page is stale (tests/test_docs.py runs the same comparison).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "api.md"

CORE = ["tradeoff", "tradeoff.distribution", "tradeoff.linear", "tradeoff.bounds",
        "tradeoff.classifiers", "tradeoff.montecarlo", "tradeoff.svm_population",
        "tradeoff.svm_sample", "tradeoff.svm_kkt", "tradeoff.svm_crosscheck",
        "tradeoff.certified", "tradeoff.bayes", "tradeoff.optrobust", "tradeoff.trades",
        "tradeoff.separation", "tradeoff.frontier", "tradeoff.erosion", "tradeoff.strategies",
        "tradeoff.claims", "tradeoff.verifier"]
OPTIONAL = ["tradeoff.empirical", "tradeoff.empirical.data", "tradeoff.empirical.models",
            "tradeoff.empirical.attacks", "tradeoff.empirical.evaluate",
            "tradeoff.empirical.train", "tradeoff.empirical.grid",
            "tradeoff.empirical.distributed", "tradeoff.empirical.plan",
            "tradeoff.empirical.results"]


def _summary(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    line = doc.strip().splitlines()[0] if doc.strip() else ""
    return " ".join(line.split()).replace("|", "\\|")


def _section(name: str) -> list[str]:
    module = importlib.import_module(name)
    lines = [f"## `{name}`", "", _summary(module), "", "| name | what it is |", "|---|---|"]
    for public in module.__all__:
        obj = getattr(module, public)
        doc = _summary(obj) if (inspect.isclass(obj) or callable(obj)) else "constant"
        lines.append(f"| `{public}` | {doc} |")
    return lines + [""]


def render() -> str:
    """The page: every public name of the core, then of the empirical package (torch)."""
    out = ["# Public API", "",
           "Generated from each module's `__all__` by `docs/scripts/gen_api_page.py`; anything not",
           "listed here (names with a leading underscore, modules whose name starts with one) is",
           "implementation and may change. `tradeoff` itself re-exports the main entry points.", "",
           "The core (no torch):", ""]
    for name in CORE:
        out += _section(name)
    out += ["# The empirical package (`pip install 'tradeoff[empirical]'`)", ""]
    for name in OPTIONAL:
        out += _section(name)
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        return 0 if PAGE.exists() and PAGE.read_text(encoding="utf-8") == text else 1
    sys.path.insert(0, str(ROOT))
    from tradeoff._io import atomic_write_text

    atomic_write_text(PAGE, text)
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
