"""The error estimate of the orbit-aligned family (api._contracting), on sequences with known limits.

The measured sequences below are λ₁ on orbit-aligned levels 1–4 and the geodesic mesh's value converged to
~1e-6 (``benchmarks/orbit_error_estimates.py``, which checks 21 such cases); they are the two cases that
decided the design: one whose contraction slowed (a tail estimate under-stated it), one where the
difference of two Richardson values alone under-stated the error 2×."""
import math

import numpy as np
import pytest

from thermokinetic.fokker_planck.api import _contracting, _orbit_estimates, _second_order

#: film σ = 10, σ_p = 25, α = 1: ratios of successive differences 8.0, 5.9 (then slower)
SLOWING = ([0.0005249944578440265, 0.0005253955059440749, 0.000525445684316562, 0.0005254542288935206],
           0.000525461785117411, 9.2e-8)
#: σ = 10, h = 0.2, ψ = 45°, α = 0.1: ratios 3.94, 4.02 (second order)
SECOND_ORDER = ([0.08000156109496709, 0.0804520358022317, 0.08056630094050189, 0.08059471430463727],
                0.08060379073860782, 5.9e-7)


def test_a_clean_second_order_sequence_is_extrapolated_and_its_error_bounded():
    """q_L = 1 + h² + 0.3 h³ (h = 2^{−L}): Richardson removes h², leaving −h³/6-ish; the estimate bounds it
    and is not 100× too large."""
    h = 2.0 ** -np.arange(1, 6)
    q = 1.0 + h ** 2 + 0.3 * h ** 3
    assert _second_order(q)
    e = _contracting(q, True)
    assert e.extrapolated and e.asymptotic
    true = abs(e.value - 1.0)
    assert true <= e.error <= 100 * true
    assert abs(q[-1] - 1.0) > 10 * true  # the extrapolation gained an order of magnitude


def test_a_slowing_contraction_keeps_the_finest_value_and_its_last_change():
    vals, ref, ref_est = SLOWING
    assert not _second_order(vals)  # ratios 8.0, 5.9: not the h² regime
    e = _contracting(vals, _second_order(vals))
    assert not e.extrapolated and e.asymptotic and e.value == vals[-1]
    true = abs(e.value / ref - 1)
    assert true <= e.relative_error + ref_est  # measured: est 1.6e-5, true 1.4e-5
    # the rejected tail d/(r_min − 1) would have under-stated it
    d = np.diff(vals)
    r_min = min(d[0] / d[1], d[1] / d[2])
    assert abs(d[-1]) / (r_min - 1) / abs(vals[-1]) < 0.5 * true


def test_the_floor_covers_a_richardson_difference_that_understates_the_error():
    vals, ref, ref_est = SECOND_ORDER
    assert _second_order(vals)
    e = _contracting(vals, True)
    assert e.extrapolated
    true = abs(e.value / ref - 1)  # measured 4.9e-6
    rc, rb = vals[-1] + (vals[-1] - vals[-2]) / 3, vals[-2] + (vals[-2] - vals[-3]) / 3
    assert abs(rc - rb) / abs(rc) < 0.6 * true  # the difference alone: 2.5e-6
    assert true <= e.relative_error <= 20 * (true + ref_est)  # measured 3.5e-5
    # and the extrapolated value is far better than the finest level (1.1e-4 off)
    assert abs(vals[-1] / ref - 1) > 10 * true


def test_rounding_level_changes_are_not_extrapolated():
    q = [2.0, 2.0 + 1e-14, 2.0 + 1.2e-14, 2.0 + 1.1e-14]
    e = _contracting(q, True)
    assert e.asymptotic and not e.extrapolated and e.value == q[-1]


class _Well:
    def __init__(self, z):
        self.direction = np.array([0.0, 0.0, z])


def _run(lams, rates):
    wells = [_Well(1.0), _Well(-1.0)]
    return [dict(lambda1=l, lambda1_valid=True, wells=wells, rates=list(r)) for l, r in zip(lams, rates)]


def test_lambda1_and_the_rates_are_extrapolated_together_or_not_at_all():
    """λ₁ = Γ₊ + Γ₋ on every level; extrapolating λ₁ but not a rate would break that sum."""
    h = 2.0 ** -np.arange(1, 5)
    g1 = 1.0 + h ** 2
    g2_clean = 2.0 + 2 * h ** 2
    g2_odd = 2.0 + np.array([0.5, 0.06, 0.01, 0.002])  # ratios 8.8, 6, 5: outside the window
    for g2, together in ((g2_clean, True), (g2_odd, False)):
        lam_est, rate_est = _orbit_estimates(_run(g1 + g2, zip(g1, g2)))
        assert all(e.extrapolated == together for e in [lam_est, *rate_est])
        assert lam_est.value == pytest.approx(rate_est[0].value + rate_est[1].value, rel=1e-14)
        assert math.isfinite(lam_est.error)
