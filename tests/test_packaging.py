"""The wheel installs one import name, ``tradeoff``, and carries every sub-package (issue #11).

``proofs/`` and ``empirical/`` sit at the top of the repository but are installed as
``tradeoff.proofs`` and ``tradeoff.empirical``; ``proofs`` and ``empirical`` are other projects'
names on the package index.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {"tradeoff": "tradeoff", "tradeoff.proofs": "proofs",
          "tradeoff.empirical": "empirical"}


def _wheel(tmp_path: Path) -> zipfile.ZipFile:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("tradeoff-*.whl")
    return zipfile.ZipFile(wheel)


def _source_packages() -> set[str]:
    """Every folder with an ``__init__.py`` below the three roots, as its installed name."""
    names = set()
    for package, folder in MAPPED.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            if "__pycache__" in rel.parts:
                continue
            names.add(".".join([package, *rel.parts]) if rel.parts else package)
    return names


def test_wheel_installs_no_top_level_name_but_tradeoff(tmp_path):
    names = _wheel(tmp_path).namelist()
    top = {n.split("/")[0] for n in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"tradeoff"}
    for module in ("tradeoff/proofs/runner.py", "tradeoff/empirical/train.py",
                   "tradeoff/empirical/experiments/__init__.py", "tradeoff/claims/base.py",
                   "tradeoff/py.typed", "tradeoff/proofs/py.typed"):
        assert module in names


def test_every_source_package_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert set(config["packages"]) == _source_packages()
    assert config["package-dir"] == {k: v for k, v in MAPPED.items() if k != "tradeoff"}
