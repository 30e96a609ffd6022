"""Compatibility module: the population and sample SVMs of Theorem 2.2 (p. 6; App. D).

The SVM code lives in modules with one job each, re-exported here so that ``tradeoff.svm``
keeps working:

- :mod:`tradeoff.svm_population` — the exact population (adversarial) SVM, its closed-form risk
  and the result type :class:`SVMResult`;
- :mod:`tradeoff.svm_kkt` — the KKT certificate every population solution must pass;
- :mod:`tradeoff.svm_crosscheck` — independent cvxpy re-solves (sampled statistics, quadrature);
- :mod:`tradeoff.svm_sample` — sample SVMs (full dimension, sufficient statistics).
"""

from __future__ import annotations

from tradeoff.svm_crosscheck import (
    CrossCheck,
    QuadratureSVM,
    population_svm_crosscheck,
    quadrature_svm,
    sampled_tolerance,
)
from tradeoff.svm_kkt import KKTReport, SVMCheckError, check_kkt
from tradeoff.svm_population import (
    SVMResult,
    _log_expected_hinge,
    _log_risk,
    _risk,
    expected_hinge,
    population_hinge_risk,
    population_svm,
    population_svm_result,
)
from tradeoff.svm_sample import EmpiricalSVM, empirical_hinge_risk, empirical_svm, sufficient_svm

__all__ = [
    "CrossCheck",
    "EmpiricalSVM",
    "KKTReport",
    "QuadratureSVM",
    "SVMCheckError",
    "SVMResult",
    "check_kkt",
    "empirical_hinge_risk",
    "empirical_svm",
    "expected_hinge",
    "population_hinge_risk",
    "population_svm",
    "population_svm_crosscheck",
    "population_svm_result",
    "quadrature_svm",
    "sampled_tolerance",
    "sufficient_svm",
]

_PRIVATE_REEXPORTS = (_log_expected_hinge, _log_risk, _risk)  # used by tests and benchmarks
