"""Make ``import proofs`` mean the repository's package, not this test directory.

With a bare ``pytest``, ``tests/`` is on ``sys.path`` and this directory (``tests/proofs``, no
``__init__.py``) is found as a *namespace package* named ``proofs`` before the editable install's
finder runs (an editable install made while ``proofs/`` had no ``__init__.py`` also maps it as a
namespace). ``python -m pytest`` from the repository root does not have the problem.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]


def _real_proofs() -> None:
    mod = sys.modules.get("proofs")
    if mod is not None and getattr(mod, "__file__", None):
        return
    init = _ROOT / "proofs" / "__init__.py"
    for name in [m for m in sys.modules if m == "proofs" or m.startswith("proofs.")]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        "proofs", init, submodule_search_locations=[str(init.parent)]
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["proofs"] = mod
    spec.loader.exec_module(mod)


_real_proofs()
