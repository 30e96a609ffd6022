r"""The proof-step object: one checkable step of one claim's proof.

A :class:`ProofStep` binds a claim ID of docs/theory.md to a statement (an exact sympy expression or
relational), its domain, the *method* by which it is checked and the *certificate* that does the
checking (see :mod:`tradeoff.proofs.certify`). :meth:`ProofStep.check` returns a
:class:`StepResult`:

- ``verified``: the certificate checked (an identity reduced to literally 0, a sign certificate
  with coefficients of decided sign, a branch-and-bound in which every ball is on the right side);
- ``failed``: the certificate did not check (a counterexample, or no proof found — an undecided
  sympy query is a failure, never a pass);
- ``not-checked``: the step is argued in prose (method ``"argued"``).

Every machine-checked step has a mutated twin (:meth:`ProofStep.mutant`): the same step with an
inequality flipped, a constant nudged or a hypothesis dropped. Its check must fail; the test suite
asserts it, which shows that the checkers can tell a true step from a false one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import sympy as sp
from tradeoff.proofs.certify import box_latex

__all__ = ["METHODS", "Method", "ProofStep", "Status", "StepResult"]

Status = Literal["verified", "failed", "not-checked"]
Method = Literal[
    "identity", "sign-certificate", "branch-and-bound", "derivative", "subgradient",
    "library-link", "argued",
]
METHODS: tuple[str, ...] = (
    "identity",
    "sign-certificate",
    "branch-and-bound",
    "derivative",
    "subgradient",
    "library-link",
    "argued",
)


@dataclass(frozen=True)
class StepResult:
    """Outcome of :meth:`ProofStep.check`."""

    status: Status
    reason: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.status == "verified"


_CACHE: dict[tuple[str, str], StepResult] = {}


@dataclass(frozen=True)
class ProofStep:
    """One step of a proof, with the certificate that checks it.

    Parameters
    ----------
    claim_id : str
        The claim of docs/theory.md this step belongs to (``"C-C5"``, ``"C-D2"``, ...).
    name : str
        Unique slug (``"c5-final-nonnegative"``).
    statement : sympy expression or relational
        What the step asserts, as an exact sympy object (derived from the certificate).
    domain : str
        Where the statement holds, in words/LaTeX.
    method : Method
        How it is checked.
    certificate : object
        The checker (:mod:`tradeoff.proofs.certify`).
    paper_ref : str
        Where the paper makes this step (page, appendix, display).
    summary : str
        One sentence, plain words.
    twin : tuple or None
        ``(certificate, description)`` of a hand-made mutated twin; when ``None`` the
        certificate's generic mutation is used.
    mutation : str
        Non-empty for a twin: what was mutated.
    """

    claim_id: str
    name: str
    statement: Any
    domain: str
    method: Method
    certificate: Any
    paper_ref: str
    summary: str = ""
    twin: tuple[Any, str] | None = field(default=None, repr=False, compare=False)
    mutation: str = ""

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, got {self.method!r}")
        if not self.name or not self.name.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"name must be a non-empty slug, got {self.name!r}")
        if (self.method == "argued") != (self.certificate.kind == "argued"):
            raise ValueError(f"{self.name}: method 'argued' iff the certificate is Argued")

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def make(
        cls,
        claim_id: str,
        name: str,
        certificate: Any,
        *,
        method: Method,
        paper_ref: str,
        summary: str = "",
        domain: str | None = None,
        twin: tuple[Any, str] | None = None,
    ) -> ProofStep:
        """Build a step whose statement and default domain are read off the certificate."""
        if domain is None:
            domain = box_latex(certificate.variables()) or "all values"
        return cls(
            claim_id=claim_id,
            name=name,
            statement=certificate.statement(),
            domain=domain,
            method=method,
            certificate=certificate,
            paper_ref=paper_ref,
            summary=summary,
            twin=twin,
        )

    @property
    def machine_checked(self) -> bool:
        """True unless the step is argued in prose."""
        return self.method != "argued"

    # -- checking -----------------------------------------------------------------------------
    def check(self, *, use_cache: bool = True) -> StepResult:
        """Run the certificate. ``None`` from the checker is ``not-checked``, never ``verified``."""
        key = (self.name, self.mutation)
        if use_cache and key in _CACHE:
            return _CACHE[key]
        t0 = time.perf_counter()
        try:
            ok, reason = self.certificate.verify()
        except Exception as exc:  # a crashing checker is a failed check, with the reason
            ok, reason = False, f"checker raised {type(exc).__name__}: {exc}"
        dt = time.perf_counter() - t0
        if ok is True:
            status: Status = "verified"
        elif ok is None:
            status = "not-checked"
        else:
            status = "failed"
        if status == "not-checked" and self.machine_checked:
            status, reason = "failed", f"claimed machine-checked but checker undecided: {reason}"
        result = StepResult(status, reason, dt)
        if use_cache:
            # A fresh check (use_cache=False) may run under a deliberately mutated library (the
            # link tests); its result must not be served to later cached checks.
            _CACHE[key] = result
        return result

    def mutant(self) -> ProofStep | None:
        """The mutated twin (``None`` for an argued step). Its check must fail."""
        if not self.machine_checked:
            return None
        cert, why = self.twin if self.twin is not None else self.certificate.mutated()
        return replace(
            self,
            name=f"{self.name}--mutant",
            statement=cert.statement(),
            domain=box_latex(cert.variables()) or self.domain,
            certificate=cert,
            twin=None,
            mutation=why,
        )

    # -- rendering ----------------------------------------------------------------------------
    def to_latex(self) -> str:
        """LaTeX for the claim pages: the statement and its domain (prose for argued steps)."""
        if not self.machine_checked:
            arg = self.certificate.argument.replace("_", r"\_")
            return rf"\text{{{arg}}}"
        body = sp.latex(self.statement)
        dom = self.domain if self.domain else ""
        return body + (rf" \quad \text{{for }} {dom}" if dom and dom != "all values" else "")
