"""tradeoff — executable checks of "Robustness May Be at Odds with Accuracy".

Tsipras, Santurkar, Engstrom, Turner, Madry, ICLR 2019 (arXiv:1805.12152 v5).

Model
    Distribution            D(p, eta, d) of eq. (3): validation, full and sufficient samplers
Exact accuracies of linear classifiers (docs/theory.md §2)
    standard_accuracy       P[sign(w.x + b) = y]
    robust_accuracy         l_inf / l_2 robust accuracy at radius eps
    shift_accuracy          accuracy under the proof's shift attack (C-C1)
Bounds (Theorem 2.1)
    tradeoff_bound          p/(1-p) * (1 - standard accuracy)
Optimal classifiers (Theorem 2.2)
    population_svm          unit-norm population (adversarial) SVM, two-variable reduction
    population_svm_result   the same with its result object (SVMResult: x, fun, lam, kkt, ...)
    empirical_svm           sample SVM with cvxpy (eps_train a DPP parameter)
Monte Carlo
    shift_attack            the proof's adversary
    estimate_accuracy       black-box accuracy with exact Clopper–Pearson intervals
Verification
    verify                  the claim registry's report (what `tradeoff verify` prints)

Sub-modules: ``tradeoff.claims`` (the registry), ``tradeoff.strategies`` (Hypothesis strategies of
the theorem regions), ``tradeoff.certified`` (ball arithmetic), ``tradeoff.classifiers``.
Heavy dependencies (cvxpy, python-flint, hypothesis, matplotlib) load only when used; torch never.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradeoff.bounds import tradeoff_bound
from tradeoff.distribution import Distribution
from tradeoff.linear import robust_accuracy, shift_accuracy, standard_accuracy
from tradeoff.montecarlo import estimate_accuracy, shift_attack

if TYPE_CHECKING:  # pragma: no cover
    from tradeoff.svm_population import SVMResult, population_svm, population_svm_result
    from tradeoff.svm_sample import empirical_svm
    from tradeoff.verifier import Report, verify

__version__ = "0.1.0"

__all__ = [
    "Distribution",
    "Report",
    "SVMResult",
    "empirical_svm",
    "estimate_accuracy",
    "population_svm",
    "population_svm_result",
    "robust_accuracy",
    "shift_accuracy",
    "shift_attack",
    "standard_accuracy",
    "tradeoff_bound",
    "verify",
]

_LAZY = {
    "population_svm": "tradeoff.svm_population",
    "population_svm_result": "tradeoff.svm_population",
    "SVMResult": "tradeoff.svm_population",
    "empirical_svm": "tradeoff.svm_sample",
    "verify": "tradeoff.verifier",
    "Report": "tradeoff.verifier",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tradeoff' has no attribute {name!r}")
