r"""Rigorous (ball-arithmetic) evaluation of the paper's tight constants (Tier B evidence).

Every value is a python-flint ``arb`` ball ``[mid +/- rad]`` guaranteed to contain the exact
real number; float inputs are converted exactly (a double is a dyadic rational). A comparison is
*certainly true* only when the whole ball lies on one side (docs/theory.md §6); otherwise the answer
is ``None`` (undecided), never a guess.

- :func:`Phi_ball`, :func:`phi_ball` — the standard normal cdf and density,
  :math:`\Phi(x) = \tfrac12\operatorname{erfc}(-x/\sqrt2)` via ``arb.erfc``.
- :func:`certified_linear_accuracy` / :func:`certified_accuracy` — the exact accuracy of a linear
  rule (docs/theory.md §2) as a ball, mirroring :func:`tradeoff.linear.reduced_accuracy`.
- :func:`certified_bayes_accuracy` — the Bayes accuracy ``A_B`` as a ball.
- :func:`certify_less`, :func:`certify_leq` — three-valued comparisons.
- :func:`certified_bound_gap` — Theorem 2.1's slack ``p/(1-p)(1 - acc) - acc_shift``, exact zero
  at the tight case C-2.1-TIGHT.
- :func:`certified_constants` — the numerical constants the paper relies on (C-FAVG, C-D3, C-D4,
  the ``19*delta`` of p. 5).

python-flint is imported lazily, so ``import tradeoff`` stays fast.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction

import numpy as np

from tradeoff._validation import check_norm, check_real

__all__ = [
    "PREC",
    "certified_accuracy",
    "certified_bayes_accuracy",
    "certified_bound_gap",
    "certified_constants",
    "certified_linear_accuracy",
    "certify_leq",
    "certify_less",
    "phi_ball",
]

PREC = 212
"""Working precision in bits: products of two doubles (106 bits) and sums of a few of them are
exact, so exact-zero gaps stay exactly zero."""


@contextmanager
def _prec() -> Iterator[object]:
    import flint

    with flint.ctx.workprec(PREC):
        yield flint


def _ball(x: object, name: str = "x"):
    """Convert a finite real (float, int, Fraction) or an ``arb`` to an ``arb`` exactly."""
    import flint

    if isinstance(x, flint.arb):
        if not x.is_finite():
            raise ValueError(f"{name} must be a finite ball, got {x}")
        return x
    if isinstance(x, Fraction):
        return flint.arb(flint.fmpq(x.numerator, x.denominator))
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise TypeError(f"{name} must be a real number or a flint.arb, got {type(x).__name__}")
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x!r}")
    return flint.arb(x)


def Phi_ball(x):  # noqa: N802  (the paper's symbol)
    r"""Standard normal cdf as a certified ball, :math:`\Phi(x)=\frac12\mathrm{erfc}(-x/\sqrt2)`.

    Parameters
    ----------
    x : float, int, fractions.Fraction or flint.arb

    Returns
    -------
    flint.arb
    """
    with _prec() as flint:
        xb = _ball(x)
        return (-xb / flint.arb(2).sqrt()).erfc() / 2


def phi_ball(x):
    r"""Standard normal density as a ball: :math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}`."""
    with _prec() as flint:
        xb = _ball(x)
        return (-(xb * xb) / 2).exp() / (2 * flint.arb.pi()).sqrt()


def certify_less(a, b) -> bool | None:
    """Three-valued ``a < b``: ``True`` if every point of the ball ``a - b`` is ``< 0``, ``False``
    if every point is ``>= 0``, ``None`` (undecided) otherwise."""
    with _prec():
        diff = _ball(a, "a") - _ball(b, "b")
        if diff.upper() < 0:
            return True
        if diff.lower() >= 0:
            return False
        return None


def certify_leq(a, b) -> bool | None:
    """Three-valued ``a <= b``: ``True`` if the ball ``a - b`` is ``<= 0`` everywhere, ``False`` if
    it is ``> 0`` everywhere, ``None`` otherwise. An exact zero (radius 0) certifies ``True``."""
    with _prec():
        diff = _ball(a, "a") - _ball(b, "b")
        if diff.upper() <= 0:
            return True
        if diff.lower() > 0:
            return False
        return None


def certified_linear_accuracy(w1, mean_rest, sigma, b, p, r=0.0):
    r"""Exact accuracy of a linear rule from its reduced statistics, as a certified ball.

    Ball version of :func:`tradeoff.linear.reduced_accuracy` (scalar arguments).

    Parameters
    ----------
    w1 : real or flint.arb
        Weight on x1.
    mean_rest : real or flint.arb
        ``m = eta * sum(w_rest)``.
    sigma : real or flint.arb
        ``||w_rest||_2 >= 0``.
    b : real or flint.arb
        Bias.
    p : real or flint.arb
        ``P[x1 = y]`` in ``[0, 1]``.
    r : real or flint.arb, default 0
        Worst-case reduction of the signed score (0, ``eps*||w||_1`` or ``eps*||w||_2``).

    Returns
    -------
    flint.arb

    Notes
    -----
    .. math::
        \mathrm{acc} = \tfrac12\sum_{y=\pm1}\big[p\,\Phi(\tfrac{w_1+m+yb-r}{\sigma})
        + (1-p)\,\Phi(\tfrac{-w_1+m+yb-r}{\sigma})\big]

    (docs/theory.md §2; the shift and robust accuracies of App. C, pp. 14–16, are instances). When
    ``sigma`` is exactly 0, ``Phi`` is an indicator with the project's tie rule (a score of 0 is
    predicted ``-1``: ``mu > 0`` for ``y = +1``, ``mu >= 0`` for ``y = -1``); if the ball of
    ``mu`` straddles the threshold, the indicator is enclosed by ``[0, 1]``. A ``sigma`` ball
    that contains 0 but is not exactly 0 is refused (the two formulas do not join continuously).
    """
    with _prec() as flint:
        w1b, mb, sb, bb, pb, rb = (_ball(v, name) for v, name in
                                   ((w1, "w1"), (mean_rest, "mean_rest"), (sigma, "sigma"),
                                    (b, "b"), (p, "p"), (r, "r")))
        if sb.upper() < 0 or (sb.contains(0) and not sb.is_zero()):
            raise ValueError(f"sigma must be certainly > 0 or exactly 0, got {sb}")
        if pb.lower() < 0 or pb.upper() > 1:
            raise ValueError(f"p must lie in [0, 1], got {pb}")
        unit = flint.arb("0.5 +/- 0.5")
        total = flint.arb(0)
        for y in (1, -1):
            for s, weight in ((1, pb), (-1, 1 - pb)):
                mu = w1b * s + mb + y * bb - rb
                if sb.is_zero():
                    hit = mu > 0 if y > 0 else mu >= 0  # arb comparisons are "certainly"
                    miss = mu <= 0 if y > 0 else mu < 0
                    ind = flint.arb(1) if hit else flint.arb(0) if miss else unit
                else:
                    ind = (-(mu / sb) / flint.arb(2).sqrt()).erfc() / 2
                total += weight * ind / 2
        return total


def certified_accuracy(w, p, eta, eps=0.0, norm="inf", b=0.0):
    r"""Certified standard (``eps = 0``) or robust accuracy of ``sign(w.x + b)`` on D(p, eta, d).

    ``w`` is a float vector of length ``d + 1`` (coordinate 0 on x1); the reduced statistics
    ``m = eta*sum(w_rest)``, ``sigma = ||w_rest||_2`` and ``r = eps*||w||_{1 or 2}`` are computed
    in ball arithmetic from the exact doubles, then :func:`certified_linear_accuracy`.
    """
    arr = np.asarray(w, dtype=float)
    if arr.ndim != 1 or arr.shape[0] < 2 or not np.all(np.isfinite(arr)):
        raise ValueError(f"w must be a finite vector of shape (d+1,) with d >= 1, "
                         f"got shape {arr.shape}")
    p = check_real("p", p, low=0.0, high=1.0)
    eta = check_real("eta", eta, low=0.0)
    eps = check_real("eps", eps, low=0.0)
    norm = check_norm(norm)
    with _prec() as flint:
        rest = [flint.arb(float(v)) for v in arr[1:]]
        m = flint.arb(eta) * sum(rest, flint.arb(0))
        ssq = sum((v * v for v in rest), flint.arb(0))
        sigma = ssq.sqrt() if not ssq.is_zero() else flint.arb(0)
        if norm == "inf":
            dual = sum((abs(flint.arb(float(v))) for v in arr), flint.arb(0))
        else:
            dual = sum((flint.arb(float(v)) ** 2 for v in arr), flint.arb(0)).sqrt()
        return certified_linear_accuracy(float(arr[0]), m, sigma, b, p, flint.arb(eps) * dual)


def certified_bayes_accuracy(dist):
    r"""The Bayes accuracy of D(p, eta, d) as a certified ball (ball version of
    :func:`tradeoff.bayes.bayes_accuracy`; docs/theory.md §2):

    .. math:: A_B = p\,\Phi\!\left(k + \frac{a}{2k}\right)
              + (1-p)\,\Phi\!\left(k - \frac{a}{2k}\right),
              \qquad a = \log\frac{p}{1-p},\; k = \eta\sqrt d .

    Exact (radius 0) in the degenerate cases ``p in {0, 1}`` (``A_B = 1``) and ``eta = 0``
    (``A_B = max(p, 1-p)``). Used where a float ``A_B`` cannot decide ``a >= A_B``: for
    ``p = 1 - 2**-53`` the float ``A_B`` is 1.0 while the exact one is below 1.
    """
    from tradeoff._validation import check_dist

    dist = check_dist(dist)
    p = dist.p
    with _prec() as flint:
        if p in (0.0, 1.0):
            return flint.arb(1)
        pb = _ball(p, "p")
        if dist.eta == 0:
            return _ball(max(p, 1.0 - p), "p")
        k = _ball(dist.eta, "eta") * flint.arb(dist.d).sqrt()
        a = (pb / (1 - pb)).log()
        return pb * Phi_ball(k + a / (2 * k)) + (1 - pb) * Phi_ball(k - a / (2 * k))


def certified_bound_gap(acc_ball, shift_ball, p):
    r"""Theorem 2.1's slack :math:`\frac{p}{1-p}(1-\mathrm{acc}) - \mathrm{acc}_{shift}` as a ball.

    Parameters
    ----------
    acc_ball : real or flint.arb
        Standard accuracy ``1 - delta`` (a ball from :func:`certified_linear_accuracy`, or an
        exact float).
    shift_ball : real or flint.arb
        Accuracy under the shift attack (or any robust accuracy at ``eps >= 2*eta``).
    p : real, fractions.Fraction or flint.arb
        In ``[1/2, 1)``.

    Returns
    -------
    flint.arb
        Theorem 2.1 (C-2.1) says the slack is ``>= 0``; ``certify_leq(0, gap)`` decides it.

    Notes
    -----
    Computed as :math:`(p(1-\mathrm{acc}) - (1-p)\,\mathrm{acc}_{shift})/(1-p)`: at working
    precision 212 bits the numerator of exact doubles is exact, so at the tight case C-2.1-TIGHT
    (``f_rob``: ``acc = acc_shift = p``, App. C, p. 16) the ball is exactly 0 and the verdict
    ``gap >= 0`` is certain without any float slack. Balls passed in should be built at the
    working precision (``with flint.ctx.workprec(tradeoff.certified.PREC): ...``); a ball built at
    flint's default 53 bits carries its own rounding radius.
    """
    with _prec() as flint:
        pb = _ball(p, "p")
        if pb.lower() < flint.arb(1) / 2 or pb.upper() >= 1:
            raise ValueError(f"p must lie in [1/2, 1), got {pb}")
        acc = _ball(acc_ball, "acc_ball")
        shift = _ball(shift_ball, "shift_ball")
        return (pb * (1 - acc) - (1 - pb) * shift) / (1 - pb)


def certified_constants() -> dict[str, bool | None]:
    """Certified checks of the numerical constants the paper uses (each should be ``True``).

    Returns
    -------
    dict
        ``"C-FAVG: Phi(3) > 0.99"``, ``"C-FAVG: Phi(-3) < 0.01"`` (``eta >= 3/sqrt(d)``, p. 4),
        ``"C-D3: Phi(4) > 0.99"``, ``"C-D4: Phi(-4) < 0.01"`` (Theorem 2.2's ``4/sqrt(d)``,
        App. D, pp. 17–18), ``"C-D3: Phi(3) >= 0.99"`` (the ``k - 1 >= 3`` step),
        ``"C-2.1: p/(1-p) = 19 at p = 0.95"`` and ``"... = 39 at p = 0.975"`` (exact rationals;
        the double ``0.95/(1-0.95)`` is ``18.999999999999982``).
    """
    with _prec() as flint:
        c99 = flint.arb(99) / 100
        c01 = flint.arb(1) / 100
        out: dict[str, bool | None] = {
            "C-FAVG: Phi(3) > 0.99": certify_less(c99, Phi_ball(3)),
            "C-FAVG: Phi(-3) < 0.01": certify_less(Phi_ball(-3), c01),
            "C-D3: Phi(3) >= 0.99": certify_leq(c99, Phi_ball(3)),
            "C-D3: Phi(4) > 0.99": certify_less(c99, Phi_ball(4)),
            "C-D4: Phi(-4) < 0.01": certify_less(Phi_ball(-4), c01),
        }
    for p, ratio in ((Fraction(95, 100), 19), (Fraction(975, 1000), 39)):
        out[f"C-2.1: p/(1-p) = {ratio} at p = {float(p)}"] = p / (1 - p) == ratio
    return out
