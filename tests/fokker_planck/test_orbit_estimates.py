"""The error estimate of the orbit-aligned family (api._contracting), on measured sequences with known limits.

The sequences are λ₁ on orbit-aligned levels and the geodesic mesh's value converged to ~1e-6
(``benchmarks/orbit_error_estimates.py``, which checks λ₁ and both rates of 19 cases, 55/55 bounded).
They are the cases that decided the design: a contraction that slowed (a tail estimate under-stated it),
and a band whose level 5 looks second order but is not (Richardson extrapolation under-stated it)."""
import numpy as np

from thermokinetic.fokker_planck.api import _contracting

#: film σ = 10, σ_p = 25, α = 1, levels 1–4: ratios of successive differences 8.0, 5.9 (then slower)
SLOWING = ([0.0005249944578440265, 0.0005253955059440749, 0.000525445684316562, 0.0005254542288935206],
           0.000525461785117411, 9.2e-8)
#: σ = 10, h = 0.2, ψ = 45°, α = 1 (a band top), levels 1–5: ratios 3.26, 3.87, 3.53
BAND = ([0.027090613484603784, 0.027264601154816607, 0.027318024710341626, 0.027331817624278033,
         0.027335720662454283], 0.02733566300954183, 3.5e-7)


def test_a_slowing_contraction_is_bounded_by_the_last_change():
    vals, ref, ref_est = SLOWING
    e = _contracting(vals)
    assert e.asymptotic and not e.extrapolated and e.value == vals[-1]
    true = abs(e.value / ref - 1)
    assert true <= e.relative_error + ref_est <= 20 * true  # measured: est 1.6e-5, true 1.4e-5
    # the rejected tail d/(r_min − 1) would have under-stated it
    d = np.diff(vals)
    r_min = min(d[0] / d[1], d[1] / d[2])
    assert abs(d[-1]) / (r_min - 1) / abs(vals[-1]) < 0.5 * true


def test_a_band_at_level_5_is_not_extrapolated():
    """Its ratios look second order, but the finest value is 2.1e-6 off while R = q + d/3 is 5.0e-5 off,
    more than the gated-Richardson estimate max(|R_L − R_{L−1}|, 0.1|d_L|) = 2.2e-5 claimed."""
    vals, ref, ref_est = BAND
    e = _contracting(vals)
    assert e.asymptotic and not e.extrapolated and e.value == vals[-1]
    true = abs(e.value / ref - 1)
    assert true <= e.relative_error + ref_est  # measured: est 1.4e-4, true 2.1e-6
    d = np.diff(vals)
    assert all(3.5 <= r <= 4.6 for r in (d[-3] / d[-2], d[-2] / d[-1]))  # inside the window it would use
    rc, rb = vals[-1] + d[-1] / 3, vals[-2] + d[-2] / 3
    r_est = max(abs(rc - rb), 0.1 * abs(d[-1])) / abs(rc)
    assert abs(rc / ref - 1) > 2 * (r_est + ref_est)


def test_rounding_level_changes_converge_at_the_rounding_floor():
    q = [2.0, 2.0 + 1e-14, 2.0 + 1.2e-14, 2.0 + 1.1e-14]
    e = _contracting(q)
    assert e.asymptotic and e.value == q[-1] and e.relative_error < 1e-11


def test_a_sequence_that_stops_contracting_is_not_converged():
    q = [1.0, 1.1, 1.15, 1.14]  # changes 0.1, 0.05, −0.01: a sign change
    e = _contracting(q)
    assert not e.asymptotic and e.error == abs(q[-1] - q[-2])
