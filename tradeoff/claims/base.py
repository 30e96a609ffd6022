"""The protocol every claim of the registry answers (cf. cvxpy's atom protocol).

A :class:`Claim` bundles: its ID and the statement *as printed*, the stated hypotheses as a
Hypothesis strategy of cases (``cases``), a checker (``check``: case -> :class:`Outcome`), a
witness (a case where the claim is tight or informative) and a negative control (a case outside
the hypotheses where the checker must report a violation). A claim found false as printed also
carries the corrected hypotheses (``corrected_cases``) that the suite verifies instead.

Three more fields make the verification able to fail:

- ``code``: the library functions the claim names. The checker must call each of them on its
  witness and on searched cases (``tests/test_claims.py`` observes the calls).
- ``informative`` / ``informative_region``: the predicate (and its prose) of the cases where the
  claim is tight or its bound says something; the search spends at least 60 % of its cases
  there and the verifier reports the share.
- the sensitivity control: the checker passes the library value it checks through
  :func:`tradeoff.claims._common.checked`; moved by ``1e-6`` at the witness it must be reported
  as a violation (``tests/test_claims.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Case", "Claim", "Kind", "Outcome", "describe_case"]

Case = Any
"""A case: a frozen dataclass record (``tradeoff.strategies.ClassifierCase`` and the like) or,
for claims that have not moved to records yet, a mapping."""
Kind = Literal["exact", "certified", "monte-carlo", "exact+monte-carlo", "optimization"]


@dataclass(frozen=True)
class Outcome:
    """Result of checking one case.

    Attributes
    ----------
    holds : bool
        False only when the case is a *certain* violation (for Monte Carlo checks: certain at the
        stated false-failure probability).
    slack : float
        Distance to a violation in the claim's own units (0 = tight, negative = violated).
    note : str
        What was compared, for the report.
    """

    holds: bool
    slack: float
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "holds", bool(self.holds))
        object.__setattr__(self, "slack", float(self.slack))


@dataclass(frozen=True)
class Claim:
    """One claim of the paper (or beyond it) with everything needed to check it."""

    id: str
    title: str
    statement: str
    source: str
    hypotheses: str
    cases: Callable[[], Any] = field(repr=False)
    check: Callable[[Case], Outcome] = field(repr=False)
    witness: Callable[[], Case] = field(repr=False)
    negative_control: Callable[[], Case] = field(repr=False)
    kind: Kind = "exact"
    code: tuple[str, ...] = ()
    corrected_hypotheses: str | None = None
    corrected_cases: Callable[[], Any] | None = field(default=None, repr=False)
    finding: str | None = None
    control_note: str = ""
    witness_note: str = ""
    max_examples_scale: float = 1.0
    informative: Callable[[Case], bool] | None = field(default=None, repr=False)
    informative_region: str = ""
    regressions: Callable[[], Sequence[tuple[str, Case]]] | None = field(default=None,
                                                                          repr=False)
    """Known hard cases, each ``(origin, case)``: soak and CI findings and the audit's
    witnesses, all inside the region where the claim is asserted. ``tradeoff verify`` and
    pytest check every one; one that does not hold fails the claim ("regression failed"), so
    verify alone catches a slip that only shows at such a point."""

    @property
    def corrected(self) -> bool:
        """True when the registry records the printed statement as false (a finding)."""
        return self.corrected_cases is not None


def describe_case(case: Case) -> str:
    """A short, readable rendering of a case for reports and counterexamples."""
    parts = []
    if dataclasses.is_dataclass(case) and not isinstance(case, type):
        items = [(f.name, getattr(case, f.name)) for f in dataclasses.fields(case)]
    elif isinstance(case, Mapping):
        items = list(case.items())
    else:
        return repr(case)
    for key, value in items:
        if hasattr(value, "p") and hasattr(value, "eta") and hasattr(value, "d"):
            parts.append(f"p={value.p!r}, eta={value.eta!r}, d={value.d}")
        else:
            parts.append(f"{key}={_short(value)}")
    return ", ".join(parts)


def _short(value: Any) -> str:
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, precision=6, separator=", ")
        return f"array(len={value.size}, head={np.array2string(value[:3], precision=4)})"
    if hasattr(value, "w") and isinstance(getattr(value, "w", None), np.ndarray):
        return f"{value.name}(w={_short(value.w)}, b={value.b!r})"
    return repr(value)
