r"""Error estimates from a sequence of uniformly refined meshes (measured order, not assumed).

The finite-volume scheme of :mod:`.generator` is second order: on meshes whose spacing halves
from one level to the next, a quantity converges as ``q_L = q + C h_L^2 + O(h_L^p')`` with
``p' > 2``.  From the values on three successive levels ``q_a, q_b, q_c`` (coarse → fine):

* the **observed order** ``p = log2((q_b − q_a)/(q_c − q_b))`` is measured; the sequence is in its
  asymptotic range when ``p`` lies within :data:`ORDER_WINDOW` of 2;
* there the reported value is the Richardson extrapolation ``R_c = q_c + (q_c − q_b)/3`` and its
  error is estimated from the previous extrapolation ``R_b = q_b + (q_b − q_a)/3`` as
  ``|R_c − R_b| / DIVISOR``.  If the remaining error of R falls by a factor ρ_R per level
  (ρ_R = 16 for an h⁴ remainder, 8 for h³), ``|R_c − R_b| = (ρ_R − 1)·err(R_c)``: the divisor
  (:data:`DIVISOR` = 3.5) bounds the true error whenever ρ_R ≥ 4.5 and over-states it by
  (ρ_R − 1)/3.5 ≈ 4.3× for a pure h⁴ remainder.  Measured on the 1D-reduction references of
  ``benchmarks/escape_error_estimates.py`` (λ₁ and both per-well rates, 26 axial cases,
  α = 0.02 … 1e3, with χ; 135 three-level windows): the estimate bounded the true error in 135/135
  windows and was at most 9.8× it (smallest ratio 2.2);
* with a fourth level, an observed order that changes by more than :data:`IRREGULAR` between the
  two windows marks irregular convergence; the divisor is then 1.  Where the four levels are
  regular, the remainder ratio ρ of the three Richardson values is measured and the divisor becomes
  ``max(3.5, (min(ρ, 16) − 1)/2)`` (twice the error an h⁴ remainder predicts);
* per-well rates are read at each well's minimum, located by a local cubic fit
  (:func:`.escape.refine_minimum`).  Where that minimum is off the anchor cell's centre (oblique
  fields) the fit adds a small higher-order error whose coefficient changes from level to level:
  such rates use :data:`FITTED_DIVISOR` = 2 (against a rotated lat-long reference, the divisor 3.5
  left one of 24 oblique windows under-estimated by 2×, the divisor 2 none).  A rate read at an
  off-centre anchor (the fit failed) uses the divisor 1: reading values at the anchor was measured
  to give orders 1.87 then 2.20 for the deep-well rate of σ = 10, h = 0.3, ψ = 45°;
* outside the asymptotic range (order not measurable, or far from 2) the fine value itself is
  reported, with the error ``|q_c − q_b|/(2^min(p, 1) − 1)`` for a measured convergent order p > 0.5
  (a large p outside the window is no evidence of fast convergence: measured at σ = 10, h = 0.2,
  α = 1e-3 with χ, the error of λ₁ crosses zero between levels 6 and 7, p = 3.5), and no claim of
  convergence (``asymptotic = False``).

Two levels give the fine value with the level difference as a (non-asymptotic) estimate, or
the two-level Richardson value whose error is not measurable (reported as infinite).
Relative errors below :data:`ROUNDING` are rounding noise of the solves: there the estimate is
that floor.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Estimate", "estimate", "estimate_rate", "estimate_observed", "ORDER_WINDOW", "DIVISOR", "ROUNDING"]

#: accepted observed orders for the second-order scheme (asymptotic range)
ORDER_WINDOW = (1.5, 2.7)
#: divisor of the difference of two successive Richardson values (see module docstring)
DIVISOR = 3.5
#: largest change of the observed order between successive windows for regular convergence
IRREGULAR = 0.25
#: divisor for per-well rates read at a fitted (off-centre) minimum; measured on the oblique table of
#: ``benchmarks/escape_error_estimates.py`` (24 windows against a rotated lat-long reference): the
#: divisor 3.5 left one window under-estimated by 2×, the divisor 2 none
FITTED_DIVISOR = 2.0
#: with four regular levels the remainder ratio ρ of the Richardson values is measured; the divisor is
#: then ``max(DIVISOR, (min(ρ, RHO_MAX) − 1)/REMAINDER_SAFETY)`` (an h⁴ remainder: ρ = 16, divisor 7.5,
#: the estimate twice the error it predicts)
RHO_MAX = 16.0
REMAINDER_SAFETY = 2.0
#: relative rounding level of the flux-over-population λ₁ and rates (measured 1e-13)
ROUNDING = 1e-12


@dataclass(frozen=True)
class Estimate:
    """A converged value and its estimated error.

    Attributes
    ----------
    value : float
        Reported value (Richardson-extrapolated when ``extrapolated``).
    error : float
        Estimated absolute error of ``value``.
    order : float or None
        Observed convergence order of the raw sequence (None with fewer than three levels).
    asymptotic : bool
        The observed order lies in :data:`ORDER_WINDOW` (or the sequence has converged to
        rounding): only then is the estimate a measured bound.
    extrapolated : bool
        ``value`` is the Richardson extrapolation of the finest two levels.
    """

    value: float
    error: float
    order: float | None
    asymptotic: bool
    extrapolated: bool

    @property
    def relative_error(self) -> float:
        return abs(self.error) / abs(self.value) if self.value else math.inf


def estimate_observed(values) -> Estimate:
    """Estimate for a method whose order is not known a priori (at least four values).

    The order p is measured on the last three values and must agree within 0.35 with the order of
    the three before (asymptotic range); the value is extrapolated with p, and its error is the
    difference of the last two extrapolations, ``|R_c − R_b|`` (no assumed remainder ratio).
    """
    q = [float(v) for v in values]
    if len(q) < 4:
        e = estimate(q, extrapolate=False)
        return Estimate(e.value, e.error, e.order, False, False)
    d = np.diff(q[-4:])
    floor = ROUNDING * max(abs(q[-1]), 1e-300)
    if np.all(np.abs(d) <= floor):
        return Estimate(q[-1], floor, None, True, False)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = d[:-1] / d[1:]
    if not np.all(ratios > 1):
        return Estimate(q[-1], float(np.max(np.abs(d[-2:]))), None, False, False)
    p_prev, p = np.log2(ratios)
    if abs(p - p_prev) > 0.35:
        return Estimate(q[-1], abs(d[-1]) / (2.0 ** p - 1.0), float(p), False, False)
    rc = q[-1] + d[-1] / (2.0 ** p - 1.0)
    rb = q[-2] + d[-2] / (2.0 ** p_prev - 1.0)  # the previous triple's own extrapolation
    return Estimate(rc, max(abs(rc - rb), floor), float(p), True, True)


def estimate(values, *, extrapolate: bool = True, irregular: bool = False, fitted: bool = False) -> Estimate:
    """Error estimate of a quantity computed on successively halved meshes (coarse → fine).

    Parameters
    ----------
    values : sequence of float
        The quantity on levels L−k, …, L (at least one; the last three are used).
    extrapolate : bool
        Report the Richardson value (default) or the finest raw value (its error is then
        ``|q_c − q_b|/(2^p − 1)`` with the observed order p).
    irregular : bool
        The remainder of the Richardson values is known not to fall regularly (a per-well rate whose
        minimum is not at its anchor cell's centre): the error is the whole ``|R_c − R_b|``.
    fitted : bool
        A per-well rate read at a minimum located by a local fit (off the anchor cell's centre): the
        fit adds a small higher-order error whose coefficient changes from level to level, and the
        divisor is :data:`FITTED_DIVISOR`.
    """
    q = [float(v) for v in values]
    if not q:
        raise ValueError("estimate() needs at least one value")
    qc = q[-1]
    if len(q) == 1 or not all(math.isfinite(v) for v in q):
        return Estimate(qc, math.inf, None, False, False)
    scale = max(abs(qc), 1e-300)
    floor = ROUNDING * scale
    if len(q) == 2:
        d = q[1] - q[0]
        if abs(d) <= floor:
            return Estimate(qc, floor, None, True, False)
        if extrapolate:  # two-level Richardson with the scheme's order: its error is not measurable
            return Estimate(qc + d / 3.0, math.inf, None, False, True)
        return Estimate(qc, abs(d), None, False, False)
    qa, qb = q[-3], q[-2]
    d1, d2 = qb - qa, qc - qb
    if abs(d1) <= floor and abs(d2) <= floor:  # converged to rounding
        return Estimate(qc, floor, None, True, False)
    ratio = d1 / d2 if d2 != 0 else math.inf
    order = math.log2(ratio) if 0 < ratio < math.inf else None
    asymptotic = order is not None and ORDER_WINDOW[0] <= order <= ORDER_WINDOW[1]
    if asymptotic:
        raw_err = abs(d2) / 3.0
        # a fourth level tells whether the convergence is regular: if the order jumps between the two
        # windows (the anchor cell of an off-pole well sits differently on each level), the remainder
        # of R need not fall at all, so its error is bounded by the whole difference |R_c − R_b|
        divisor = 1.0 if irregular else (FITTED_DIVISOR if fitted else DIVISOR)
        if len(q) >= 4 and q[-3] != q[-4]:
            d0 = q[-3] - q[-4]
            r_prev = d0 / d1 if d1 != 0 else math.inf
            if not (0 < r_prev < math.inf) or abs(math.log2(r_prev) - order) > IRREGULAR:
                divisor = 1.0
            elif not (irregular or fitted):
                # regular: the remainder ratio of the Richardson values is measured, not assumed
                ra, rb, rc = q[-3] + d0 / 3.0, qb + d1 / 3.0, qc + d2 / 3.0
                rho = (rb - ra) / (rc - rb) if rc != rb else math.inf
                if rho > 1.0:
                    divisor = max(DIVISOR, (min(rho, RHO_MAX) - 1.0) / REMAINDER_SAFETY)
        if extrapolate:
            rc = qc + d2 / 3.0
            rb = qb + d1 / 3.0
            return Estimate(rc, max(abs(rc - rb) / divisor, floor), order, True, True)
        return Estimate(qc, max(raw_err * 1.5, floor), order, True, False)
    if order is not None and order > 0.5:
        # outside the asymptotic range a large measured order is no evidence of fast convergence (two
        # error terms of opposite sign crossing zero give any ratio): never divide by more than 2^1 − 1
        err = abs(d2) / (2.0 ** min(order, 1.0) - 1.0)
    else:
        err = max(abs(d1), abs(d2))
    return Estimate(qc, max(err, floor), order, False, False)


def estimate_rate(lambda_values, rate_values, *, extrapolate: bool = True, irregular: bool = False,
                  fitted: bool = False) -> Estimate:
    """Estimate of a per-well rate Γ = λ₁ · s from its two factors, λ₁ and the well's share s = Γ/λ₁.

    The two converge for different reasons: λ₁ is a flux over a population (regular second order),
    the share s = 1/(1+r) or r/(1+r) carries the plateau ratio read at the wells' minima (``irregular``
    or ``fitted``, see :func:`estimate`).  Estimated separately, their relative errors add; the share
    of a shallow well (s ≈ 1) then no longer inherits the conservative divisor of the plateau read-out.
    Where either factor is not in its asymptotic range, the rate's own sequence is estimated instead.
    """
    lam = [float(v) for v in lambda_values]
    rates = [float(v) for v in rate_values]
    direct = estimate(rates, extrapolate=extrapolate, irregular=irregular, fitted=fitted)
    if len(lam) != len(rates) or not all(math.isfinite(v) and v != 0 for v in lam):
        return direct
    e_lam = estimate(lam, extrapolate=extrapolate)
    e_share = estimate([g / l for g, l in zip(rates, lam)], extrapolate=extrapolate, irregular=irregular,
                       fitted=fitted)
    if not (e_lam.asymptotic and e_share.asymptotic) or e_share.value == 0:
        return direct
    value = e_lam.value * e_share.value
    rel = e_lam.relative_error + e_share.relative_error
    return Estimate(value, rel * abs(value), direct.order, True, e_lam.extrapolated or e_share.extrapolated)


def cells_needed(cells: int, rel_error: float, rtol: float, order: float) -> int:
    """Cells at which an error ``rel_error`` (∝ h^order ∝ cells^{−order/2}) would reach ``rtol``."""
    if not (rel_error > rtol) or not np.isfinite(rel_error):
        return int(cells)
    # in logarithms: a tiny rtol must not overflow (rtol = 1e-320 did)
    log_n = math.log(cells) + (2.0 / order) * (math.log(rel_error) - math.log(rtol))
    return int(math.ceil(math.exp(min(log_n, math.log(1e15)))))
