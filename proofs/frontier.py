r"""B-FRONTIER at every radius: the reduction to rules on ``(sign(x1), z)``, the one-dimensional
erosion problem, the certificate for half-lines, and links to :mod:`tradeoff.frontier`.

Steps, in order (``k = eta sqrt(d)``, ``rho = eps sqrt(d)``, ``z = sum_i x_i / sqrt(d)``):

1. ``frontier-reduction-decomposition`` (identity, d = 3 and 4): the weak block is
   ``(z/sqrt d) 1 + w_perp`` with ``w_perp = w - mean(w) 1``; ``Cov(z, w_perp) = 0`` and
   ``E w_perp = 0`` under both labels; a uniform shift ``c 1`` moves ``z`` by ``c sqrt d`` and
   leaves ``w_perp`` alone.
2. ``frontier-reduction-interval-reach`` (sign certificate): ``|c| <= eps`` iff the move of
   ``z`` lies in ``[-rho, rho]``.
3. ``frontier-reduction-slicing`` (argued): every classifier (randomized, the adversary knowing
   the coin) is an average of ``(sign(x1), z)``-rules with the same accuracy and at least its
   robust accuracy against ``|dz| <= rho``; so it lies under the concave hull of that region.
4. ``frontier-sign-groups`` (identity): both values of ``x1`` pose the same 1-D problem; the
   accuracies of a threshold pair are the mean of two half-line points (erosion of a half-line:
   the threshold moves by ``rho``).
5. ``frontier-reversed-dominated`` (identity + argued sign): a reversed half-line is dominated
   term by term by the forward one (``Phi(x + 2k) >= Phi(x)``).
6. ``frontier-erosion-window`` (sign certificate): the cell window the certificate relies on.
7. ``frontier-erosion-certified`` (ball-arithmetic dynamic program): on a fixed set of
   parameters the best half-line is within ``delta`` of the supremum over all measurable sets.
8. Library links (:class:`tradeoff.proofs.library.LibraryLink`): the derived half-line
   accuracies against :func:`tradeoff.frontier.threshold_curve` and
   :func:`tradeoff.erosion.half_line_point`, and the ``eps = 2 eta`` support value against
   :func:`tradeoff.frontier.relaxation_support`.

Half-line optimality for ``eta < eps < 2 eta`` and ``eps > 2 eta`` is *not* proved: step 7
certifies it to within ``delta`` at the listed parameters only. Prose: docs/beyond/frontier.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from tradeoff.proofs.certify import AllOf, Argued, Identity, Interval, Phi, SignCertificate, phi
from tradeoff.proofs.library import LibraryLink, _points
from tradeoff.proofs.step import ProofStep

__all__ = ["ErosionCertificate", "half_line_accuracy", "pair_accuracy_derived", "steps"]

p = sp.Symbol("p", real=True)
k = sp.Symbol("k", nonnegative=True)
u, v, x, c, s, t, r = sp.symbols("u v x c s t r", real=True)
e = sp.Symbol("e", nonnegative=True)  # rho = eps sqrt(d)
eta, y = sp.symbols("eta y", real=True)
h = sp.Symbol("h", positive=True)
eps = sp.Symbol("epsilon", nonnegative=True)
dd = sp.Symbol("sqrt_d", positive=True)
REF = "beyond the paper (docs/beyond/frontier.md)"
P_RANGE = Interval(sp.Rational(1, 2), 1, hi_open=True)
NONNEG = Interval(0, sp.oo)
REAL = Interval(-10, 10)
F = Fraction


def half_line_accuracy(u_: sp.Expr, reach: sp.Expr = sp.S.Zero, *, p_: sp.Expr = p,
                       k_: sp.Expr = k) -> sp.Expr:
    """The 1-D point of the half-line ``(u, inf)``: ``p Phi(k - reach - u) + (1-p) Phi(k -
    reach + u)`` (``reach = 0``: standard accuracy; ``reach = rho``: robust accuracy)."""
    return p_ * Phi(k_ - reach - u_) + (1 - p_) * Phi(k_ - reach + u_)


def pair_accuracy_derived(u_plus: sp.Expr, u_minus: sp.Expr, reach: sp.Expr = sp.S.Zero,
                          *, swap: bool = False) -> sp.Expr:
    """Accuracy of ``x1 > 0: +1 iff z > u_plus; x1 < 0: +1 iff z > u_minus`` summed over
    ``(y, x1)`` from the model: weight ``P(y, x1) = P(x1 | y)/2``; given ``y`` the point is
    robustly correct iff ``z`` is beyond the threshold by ``reach`` (the erosion of a half-line
    by ``reach`` is the half-line moved by ``reach``), and ``P(N(m, 1) > a) = Phi(m - a)``.
    ``swap`` (the mutated twin) exchanges ``p`` and ``1 - p``."""
    total = sp.S.Zero
    for yy in (1, -1):
        for x1 in (1, -1):
            agree = (x1 == yy) != swap
            weight = sp.Rational(1, 2) * (p if agree else 1 - p)
            thr = u_plus if x1 == 1 else u_minus
            # y = +1: z ~ N(k, 1), correct iff z - reach > thr; y = -1: z ~ N(-k, 1), correct
            # iff z + reach <= thr
            prob = Phi(k - thr - reach) if yy == 1 else Phi(thr - reach + k)
            total += weight * prob
    return total


# ---------------------------------------------------------------------------------------------
# 1-3: the reduction


def _decomposition_parts(d: int, inner: int) -> tuple:
    ws = sp.symbols(f"w1:{d + 1}", real=True)
    total = sum(ws)
    z = total / sp.sqrt(d)
    perp = [wi - total / d for wi in ws]
    box = {wi: REAL for wi in ws}
    parts = [Identity(z / sp.sqrt(d) + perp[i], ws[i], {**box}) for i in range(d)]
    # Cov(z, w_perp_i) with identity covariance: sum_j (1/sqrt d) (delta_ij - 1/inner)
    for i in range(d):
        cov = sum((sp.Integer(1 if i == j else 0) - sp.Rational(1, inner)) / sp.sqrt(d)
                  for j in range(d))
        parts.append(Identity(cov, 0))
    # mean of w_perp_i under N(eta y 1, I) is eta y - eta y
    parts.append(Identity(eta * y - sum(eta * y for _ in range(d)) / d, 0,
                          {eta: REAL, y: Interval(-1, 1)}))
    # a uniform shift c 1 moves z by c sqrt(d) and leaves w_perp unchanged
    shifted = [wi + c for wi in ws]
    parts.append(Identity(sum(shifted) / sp.sqrt(d) - z, c * sp.sqrt(d), {**box, c: REAL}))
    parts += [Identity(shifted[i] - sum(shifted) / d, perp[i], {**box, c: REAL})
              for i in range(d)]
    return tuple(parts)


def _reduction_steps() -> list[ProofStep]:
    glue = ("w = (z/sqrt d) 1 + w_perp coordinatewise; (z, w_perp) is jointly Gaussian given y "
            "with Cov(z, w_perp) = 0 and E w_perp = 0 for both labels, so w_perp is independent "
            "of z and its law does not depend on y; x1 is independent of the weak block given "
            "y, hence w_perp is independent of (y, x1, z). A uniform shift c(0, 1, ..., 1) "
            "moves z by c sqrt(d) and leaves w_perp (checked at d = 3 and d = 4; the general-d "
            "algebra is the same sums)")
    decomposition = ProofStep.make(
        "B-FRONTIER", "frontier-reduction-decomposition",
        AllOf((*_decomposition_parts(3, 3), *_decomposition_parts(4, 4)), glue=glue),
        method="identity", paper_ref=REF + "; model eq. (3)",
        summary="The weak block splits as (z/sqrt d) 1 + w_perp with w_perp independent of "
                "(y, x1, z); a uniform shift moves z only.",
        domain=r"d \in \{3, 4\},\ w_i, c, \eta \in [-10, 10],\ y = \pm 1",
        twin=(AllOf((*_decomposition_parts(3, 4),)),
              "projection with 1/(d+1) instead of 1/d (covariance no longer 0)"))
    # |c| <= eps  <=>  |c sqrt(d)| <= rho = eps sqrt(d): c = s eps with |s| <= 1
    reach_glue = ("for c = s*eps with 0 <= s <= 1 the move c sqrt(d) is at most rho = eps sqrt(d) "
                  "(and symmetrically for c < 0); conversely a move t = s*rho in [0, rho] is made "
                  "by c = t/sqrt(d) = s*eps <= eps. The shift c(0, 1, ..., 1) has l_inf norm |c| "
                  "and leaves x1; so uniform shifts of norm <= eps reach exactly the moves "
                  "[-rho, rho] of z")
    box_reach = {eps: NONNEG, dd: Interval(1, sp.oo), s: Interval(0, 1)}  # dd stands for sqrt(d)
    reach_step = ProofStep.make(
        "B-FRONTIER", "frontier-reduction-interval-reach",
        AllOf((SignCertificate(eps * dd - s * eps * dd, box_reach),
               SignCertificate(eps - (s * eps * dd) / dd, box_reach)),
              glue=reach_glue, mutate_index=0),
        method="sign-certificate", paper_ref=REF + "; App. C's shift (C-C1)",
        summary="Uniform shifts of l_inf norm <= eps move z over exactly [-rho, rho], "
                "rho = eps sqrt(d).",
        domain=r"\epsilon \ge 0,\ \sqrt{d} \ge 1,\ 0 \le s \le 1",
        twin=(AllOf((SignCertificate(eps * dd - s * eps * dd * dd, box_reach),)),
              "move written c*d instead of c*sqrt(d) (dd = sqrt(d))"))
    slicing = ProofStep.make(
        "B-FRONTIER", "frontier-reduction-slicing",
        Argued(
            "Fix any classifier f, randomized by a coin the adversary knows (the stated "
            "convention: a mixture's robust accuracy is the mean of its components'). "
            "Restrict the adversary to uniform shifts c(0,1,...,1), |c| <= eps (admissible). "
            "For each value v of w_perp and of the coin, g_v(x1, z) = f(x1, (z/sqrt d)1 + v) is "
            "a rule on (x1, z); x1 in {-1, 1} cannot be moved usefully by a radius < 1 and is "
            "left alone. By the decomposition step, (y, x1, z) has the same law given v, so "
            "acc(f) = E_v acc(g_v); a point robust for f against uniform shifts is robust for "
            "g_v against every move of z in [-rho, rho] (interval-reach step), so acc_eps(f) <= "
            "E_v rob_rho(g_v). Hence (acc, acc_eps) of every classifier lies under the closed "
            "concave hull of the region of (x1, z)-rules against the interval adversary; its "
            "upper boundary in the plane is attained by one rule or a mixture of two "
            "(Caratheodory in dimension 2). For deterministic f the average over v is not a "
            "mixture, which is why deterministic classifiers are only bracketed "
            "(B-FRONTIER-DET)."),
        method="argued", paper_ref=REF,
        summary="Every classifier lies under the concave hull of the (sign(x1), z) interval-"
                "adversary region; threshold rules and two-rule mixtures attain that hull "
                "where half-lines are optimal.",
        domain=r"0 \le \epsilon < 1")
    return [decomposition, reach_step, slicing]


# ---------------------------------------------------------------------------------------------
# 4-6: the one-dimensional problem


def _groups_step() -> ProofStep:
    box = {p: P_RANGE, k: Interval(0, 6), u: REAL, v: REAL, e: Interval(0, 8)}

    def parts(swap: bool) -> tuple:
        out = []
        for reach in (sp.S.Zero, e):
            derived = pair_accuracy_derived(u, v, reach, swap=swap)
            mean = (half_line_accuracy(u, reach) + half_line_accuracy(-v, reach)) / 2
            out.append(Identity(derived, mean, box))
        return tuple(out)

    return ProofStep.make(
        "B-FRONTIER", "frontier-sign-groups",
        AllOf(parts(False), glue=(
            "the accuracy (reach 0) and interval-robust accuracy (reach rho) of the threshold "
            "pair (u_+, u_-) equal the mean of the half-line points at u_+ and -u_-: the group "
            "x1 = -1 with decision set A is the group x1 = +1 with the set -(A^c), so both "
            "groups pose the same 1-D erosion problem and the region of (x1, z)-rules is the "
            "set of midpoints of the 1-D region (its hull is the 1-D hull)")),
        method="identity", paper_ref=REF,
        summary="Both values of x1 pose the same 1-D problem; a threshold pair's accuracies "
                "are the mean of two half-line points.",
        domain=r"\tfrac12 \le p < 1,\ 0 \le k \le 6,\ u_\pm \in [-10, 10],\ 0 \le \rho \le 8",
        twin=(AllOf(parts(True)), "p and 1 - p exchanged in the model's weights"))


def _reversed_step() -> ProofStep:
    gap = Phi(x + 2 * k) - Phi(x)
    parts = (Identity(sp.diff(gap, k), 2 * phi(x + 2 * k), {x: REAL, k: Interval(0, 6)}),
             Identity(gap.subs(k, 0), 0, {x: REAL}))
    return ProofStep.make(
        "B-FRONTIER", "frontier-reversed-dominated",
        AllOf(parts, glue=(
            "d/dk [Phi(x + 2k) - Phi(x)] = 2 phi(x + 2k) > 0 and the difference is 0 at k = 0, "
            "so Phi(x + 2k) >= Phi(x) for k >= 0. The reversed half-line (-inf, u) has "
            "acc = p Phi(u - k) + (1-p) Phi(-u - k) and rob = p Phi(u - rho - k) + (1-p) "
            "Phi(-u - rho - k); the forward half-line at -u has every argument larger by 2k, "
            "so it dominates in both coordinates: reversed rules never improve the hull")),
        method="identity", paper_ref=REF,
        summary="Reversed half-lines are dominated term by term by forward ones (k >= 0).",
        domain=r"x \in [-10, 10],\ 0 \le k \le 6",
        twin=(AllOf((Identity(sp.diff(gap, k), phi(x + 2 * k), {x: REAL, k: Interval(0, 6)}),
                     parts[1])), "derivative written phi instead of 2 phi"))


def _below_eta_step() -> ProofStep:
    # relaxation by the shift t <= k: h_t = lam p phi(z-k) - lam(1-p) phi(z+k) + p phi(z-k+t)
    # - (1-p) phi(z+k-t); means ordered -k <= t-k <= k-t <= k with signs -, -, +, +
    box = {k: NONNEG, t: Interval(0, 1)}  # t as a fraction of k: shift = t*k
    order = (SignCertificate(t * k, box),                  # (t-k) - (-k)
             SignCertificate(2 * (k - t * k), box),        # (k-t) - (t-k)
             SignCertificate(t * k, box))                  # k - (k-t)
    lam = sp.Symbol("lambda", nonnegative=True)
    signs = (SignCertificate(lam * (1 - p), {lam: NONNEG, p: P_RANGE}),
             SignCertificate(1 - p, {p: P_RANGE}),
             SignCertificate(p, {p: P_RANGE}, strict=True),
             SignCertificate(lam * p, {lam: NONNEG, p: P_RANGE}))
    return ProofStep.make(
        "B-FRONTIER", "frontier-below-eta-one-sign-change",
        AllOf((*order, *signs), glue=(
            "for eps <= eta the shift by rho <= k is admissible; the density of the relaxation "
            "max acc_shift + lam acc is h = lam p phi(z-k) - lam(1-p) phi(z+k) + p phi(z-k+rho) "
            "- (1-p) phi(z+k-rho), whose coefficients ordered by their means (-k <= rho-k <= "
            "k-rho <= k) have signs -, -, +, +: one sign change, so by the variation-diminishing "
            "property of the Gaussian kernel (Karlin, Total Positivity, 1968) {h > 0} is a "
            "half-line (u, inf). The relaxation's optimum is a forward threshold rule, whose "
            "robust accuracy equals its shifted accuracy (a forward threshold's worst move is the "
            "shift itself): the threshold frontier is exact"), mutate_index=1),
        method="sign-certificate", paper_ref=REF,
        summary="For eps <= eta the relaxation's density has one sign change, so its optimum "
                "is a threshold rule and the threshold frontier is exact.",
        domain=r"k \ge 0,\ 0 \le \rho \le k,\ \tfrac12 \le p < 1,\ \lambda \ge 0",
        twin=(AllOf((order[0], SignCertificate(2 * (k - 2 * t * k), box), order[2], *signs)),
              "shift up to 2k (means k - rho and rho - k cross)"))


def _window_step() -> ProofStep:
    # z = z_j + t in cell j (0 <= t <= h), rho = m h + r (r >= 0): the window j-m+1..j+m-1
    # lies inside [z - rho, z + rho]:  z_{j-m+1} - (z - rho) = h - t + r,  z + rho - z_{j+m} =
    # t + r
    box = {t: Interval(0, 1), h: Interval(0, sp.oo, lo_open=True), r: NONNEG}
    left = SignCertificate(h - t * h + r, box)
    right = SignCertificate(t * h + r, box)
    return ProofStep.make(
        "B-FRONTIER", "frontier-erosion-window",
        AllOf((left, right), glue=(
            "with t the position in the cell as a fraction of h: a point z of cell j that is "
            "robustly +1 has [z - rho, z + rho] inside the decision set, and that interval "
            "contains the cells j-m+1 .. j+m-1 (m = floor(rho/h)); so those cells are +1 and "
            "crediting cell j's mass whenever its window is +1 over-counts: the relaxation of "
            "tradeoff.erosion is an upper bound")),
        method="sign-certificate", paper_ref=REF,
        summary="The cells j-m+1..j+m-1 lie in [z - rho, z + rho] for every z in cell j.",
        domain=r"0 \le t \le 1,\ h > 0,\ r = \rho - m h \ge 0",
        twin=(AllOf((SignCertificate(-t * h + r, box), right)),
              "window j-m..j+m-1 (one cell too many on the left)"))


@dataclass(frozen=True)
class ErosionCertificate:
    """``sup_A rob(A) + lam acc(A) <= best half-line + delta`` at each listed parameter set,
    by :func:`tradeoff.erosion.erosion_upper_bound` (ball-arithmetic masses, explicit float
    allowance)."""

    cases: tuple[tuple[float, float, float], ...]  # (p, k, eps/eta)
    lams: tuple[float, ...]
    delta: float
    cells: int = 3000
    kind: str = "branch-and-bound"

    def statement(self) -> sp.Basic:
        return sp.Symbol(rf"\sup_A J_\lambda(A) - \max_u J_\lambda(u) \le {self.delta:g}")

    def variables(self) -> dict:
        return {}

    def verify(self) -> tuple[bool, str]:
        from tradeoff.erosion import erosion_upper_bound, grid_union_value

        worst = 0.0
        for p_, k_, ratio in self.cases:
            cert = erosion_upper_bound(p_, k_, ratio * k_, list(self.lams), cells=self.cells)
            # a valid bound is above what sets attain: the best half-line and, independently,
            # the best union of grid cells (scored with the true erosion)
            attained = grid_union_value(p_, k_, ratio * k_, list(self.lams), cells=1000)
            low = float(min((cert.upper - cert.half_line).min(), (cert.upper - attained).min()))
            if low < -1e-12:
                return False, (f"at p={p_}, k={k_}, eps/eta={ratio}: the bound is below an "
                               f"attained value by {-low:.3g}: not an upper bound")
            gap = float(cert.gap.max())
            if not gap <= self.delta:
                return False, (f"at p={p_}, k={k_}, eps/eta={ratio}: sets may beat half-lines by "
                               f"{gap:.3g} > delta = {self.delta:g} ({cert.cells} cells)")
            worst = max(worst, gap)
        return True, (f"{len(self.cases)} parameter sets x {len(self.lams)} weights: every set's "
                      f"J_lam is within {worst:.3g} <= {self.delta:g} of the best half-line")

    def mutated(self) -> tuple[ErosionCertificate, str]:
        return (ErosionCertificate(self.cases, self.lams, self.delta * 1e-4, self.cells),
                "delta shrunk by 1e-4 (below the grid's resolution)")


#: parameter sets of the certificate (p, k, eps/eta), the radii where nothing is proved
CERT_CASES = tuple((p_, k_, ratio) for p_ in (0.75, 0.95) for k_ in (1.0, 3.0)
                   for ratio in (1.5, 2.5))
CERT_LAMS = (0.0, 0.5, 2.0, 8.0, 30.0, 120.0)
CERT_DELTA = 1e-2


def _certified_step() -> ProofStep:
    return ProofStep(
        claim_id="B-FRONTIER", name="frontier-erosion-certified",
        statement=ErosionCertificate(CERT_CASES, CERT_LAMS, CERT_DELTA).statement(),
        domain=(r"(p, k, \epsilon/\eta) \in \{0.75, 0.95\} \times \{1, 3\} \times "
                r"\{1.5, 2.5\},\ \lambda \in \{0, 0.5, 2, 8, 30, 120\}"),
        method="branch-and-bound",
        certificate=ErosionCertificate(CERT_CASES, CERT_LAMS, CERT_DELTA),
        paper_ref=REF,
        summary="CERTIFIED, not proved: at these parameters no measurable decision set beats "
                "the best half-line by more than 1e-2 (cell relaxation solved exactly by a "
                "dynamic program over runs, arb masses, explicit round-off allowance).")


# ---------------------------------------------------------------------------------------------
# 8: links to the library


def _threshold_links() -> list[ProofStep]:
    box = {p: (F(1, 2), F(999, 1000)), k: (F(0), F(6)), u: (F(-5), F(5)), e: (F(0), F(39, 10))}
    fixed = [{p: F(19, 20), k: F(3), u: F(-1, 2), e: F(6, 5)},
             {p: F(3, 4), k: F(1), u: F(0), e: F(3, 2)}]
    pts = _points(box, fixed, 12, "frontier-threshold-curve")

    def curve(pt, which: int) -> float:
        from tradeoff.distribution import Distribution
        from tradeoff.frontier import threshold_curve

        d = 16  # sqrt(d) = 4 exactly: eta = k/4, eps = e/4
        dist = Distribution(float(pt[p]), float(pt[k]) / 4.0, d)
        return float(threshold_curve(dist, float(pt[u]), float(pt[e]) / 4.0)[which])

    def one_d(pt, which: int) -> float:
        from tradeoff.erosion import half_line_point

        return float(half_line_point(float(pt[p]), float(pt[k]), float(pt[e]), float(pt[u]))
                     [which])

    out = []
    for which, name, reach in ((0, "accuracy", sp.S.Zero), (1, "robust-accuracy", e)):
        expr = pair_accuracy_derived(u, -u, reach)
        out.append(ProofStep.make(
            "B-FRONTIER", f"link-frontier-threshold-{name}",
            LibraryLink(expr, lambda pt, w=which: curve(pt, w), pts,
                        f"frontier.threshold_curve[{which}]"),
            method="library-link", paper_ref=REF,
            summary=f"The derived {name} of the symmetric threshold rule equals "
                    "tradeoff.frontier.threshold_curve (d = 16, rho = 4 eps).",
            domain=r"\tfrac12 \le p < 1,\ 0 \le k \le 6,\ |u| \le 5,\ 0 \le \rho < 3.9"))
        out.append(ProofStep.make(
            "B-FRONTIER", f"link-erosion-half-line-{name}",
            LibraryLink(half_line_accuracy(u, reach), lambda pt, w=which: one_d(pt, w), pts,
                        f"erosion.half_line_point[{which}]"),
            method="library-link", paper_ref=REF,
            summary=f"The half-line {name} of the 1-D problem equals "
                    "tradeoff.erosion.half_line_point.",
            domain=r"\tfrac12 \le p < 1,\ 0 \le k \le 6,\ |u| \le 5,\ 0 \le \rho < 3.9"))
    return out


def _support_link() -> ProofStep:
    from tradeoff.proofs.beyond import frontier_objective, frontier_thresholds

    lam = sp.Symbol("lambda", real=True)
    kk = sp.Symbol("k", positive=True)  # the symbol of proofs/beyond.py
    thr = frontier_thresholds()
    expr = (frontier_objective(1).subs(sp.Symbol("u", real=True), thr[1])
            + frontier_objective(-1).subs(sp.Symbol("u", real=True), thr[-1])) / 2
    box = {p: (F(11, 20), F(49, 50)), kk: (F(1, 2), F(5)), lam: (F(0), F(1))}
    fixed = [{p: F(19, 20), kk: F(3), lam: F(1, 2)}]

    def library(pt) -> float:
        from tradeoff.distribution import Distribution
        from tradeoff.frontier import relaxation_support

        pp, kf = float(pt[p]), float(pt[kk])
        lam_val = pp / (1 - pp) + 1.0 + 20.0 * float(pt[lam])  # lam > p/(1-p)
        dist = Distribution(pp, kf / 4.0, 16)
        return relaxation_support(dist, lam_val, 2 * kf)

    # the link evaluates the expression at lam = p/(1-p) + 1 + 20 c (c = pt[lam])
    cc = sp.Symbol("lambda", real=True)
    expr = expr.subs(lam, p / (1 - p) + 1 + 20 * cc)
    pts = _points(box, fixed, 10, "frontier-support-2k")
    return ProofStep.make(
        "B-FRONTIER", "link-frontier-support-2eta",
        LibraryLink(expr, library, pts, "frontier.relaxation_support(t = 2k)"),
        method="library-link", paper_ref=REF + "; App. C (C-C1)",
        summary="V_2k(lam) at the proved thresholds u_+- equals "
                "tradeoff.frontier.relaxation_support (lam > p/(1-p)).",
        domain=r"0.55 \le p \le 0.98,\ \tfrac12 \le k \le 5,\ p/(1-p) + 1 \le \lambda \le "
               r"p/(1-p) + 21")


def steps() -> list[ProofStep]:
    """The B-FRONTIER steps of this module, in proof order."""
    return [*_reduction_steps(), _groups_step(), _reversed_step(), _below_eta_step(),
            _window_step(),
            _certified_step(), *_threshold_links(), _support_link()]

