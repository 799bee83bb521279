"""Fluctuation study: exact Boltzmann integrals (Dawson closed form), the χ = c cosθ shift, the harmonic
effective temperature 1/(1 − J/J_c) with its measured O(1/σ) correction, the mesh path's O(h²), CLI case."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import dawsn

from thermokinetic.studies.fluctuations import fluctuations, well_variance
from thermokinetic.studies.model import MacrospinModel, cos_callable

from ._cases import run_case_cli


def exact_variance(sigma, heff):
    """⟨1 − x²⟩ of e^{σx² + 2σ·heff·x} on the −z basin [−1, −heff], in closed form.

    With y = x + heff ∈ [−a, 0], a = 1 − heff, the weight is e^{σy²}: ∫e^{σy²} = e^{σa²}D(√σ a)/√σ
    (D Dawson's function), ∫y e^{σy²} = (1 − e^{σa²})/(2σ), ∫y² e^{σy²} = (a e^{σa²} − ∫e^{σy²})/(2σ).
    """
    a = 1 - heff
    s = math.sqrt(sigma)
    I0 = math.exp(sigma * a * a) * dawsn(s * a) / s
    I1 = (1 - math.exp(sigma * a * a)) / (2 * sigma)
    I2 = (a * math.exp(sigma * a * a) - I0) / (2 * sigma)
    return 1 - I2 / I0 + 2 * heff * I1 / I0 - heff**2


def test_zero_current_is_exact_boltzmann_integral():
    # axial path: adaptive quadrature of the 1D density vs the Dawson closed form (epsrel 1e-13;
    # measured agreement ~1e-15)
    for sigma in (5.0, 40.0, 300.0):
        v = well_variance(MacrospinModel(sigma=sigma, alpha=0.1), 0.0, 300.0)
        assert v == pytest.approx(exact_variance(sigma, 0.0), rel=1e-11)


def test_mesh_density_converges_at_second_order():
    # mesh path (stationary FV density on the committor basin) vs the closed form: O(h²), measured
    # errors 7.1e-4, 1.9e-4 (levels 3, 4): ratio 3.7 (→ 4).
    m = MacrospinModel(sigma=8.0, alpha=1.0, method="mesh")
    ex = exact_variance(8.0, 0.0)
    e3 = abs(well_variance(m, 0.0, 300.0, level=3) / ex - 1)
    e4 = abs(well_variance(m, 0.0, 300.0, level=4) / ex - 1)
    assert e4 < 3e-4
    assert 3.0 < e3 / e4 < 5.0


def test_cosine_chi_is_a_shifted_field_and_harmonic_temperature():
    # χ = c cosθ: U − χ/α = −σx² − 2σ h_eff x with h_eff = cJ/(2σα) exactly → closed form at every J
    # (measured ≤ 1.6e-10 relative at J = J_c/2: the closed form cancels O(1) terms to 0.055 and the
    # basin end x_b comes from a bounded Brent search; 1e-9 allowed)
    sigma, alpha, c = 40.0, 0.1, 1.0
    Jc = 2 * alpha * sigma / c
    m = MacrospinModel(sigma=sigma, alpha=alpha, chi=cos_callable(c))
    J = np.array([0.0, 0.25, 0.5, 0.75]) * Jc
    r = fluctuations(m, J)
    for j, v in zip(J, r.variance):
        assert v == pytest.approx(exact_variance(sigma, c * j / (2 * sigma * alpha)), rel=1e-9)
    # the curvature value (U − χ/α slope at the pole) is 1/(1 − J/J_c) (one-sided differences with
    # Richardson: O(δ²) = 1e-8)
    assert np.allclose(r.T_curvature / 300.0, 1 / (1 - J / Jc), rtol=1e-7)
    # the rate temperature differs: the barrier falls as (1 − J/J_c)², not the curvature
    assert r.T_rate[2] / 300.0 > 1.5 * r.T_fluct_harmonic[2] / 300.0


def test_fluctuation_temperature_tends_to_harmonic_value_like_one_over_sigma():
    # T_fl/T − 1/(1 − J/J_c) = C/σ + O(1/σ²) at J = J_c/2 (measured σ·error = 5.30, 5.14, 5.07 at
    # σ = 200, 400, 800: C → 5; ratio of successive errors 2.06, 2.03 → 2 = first order)
    alpha, c = 0.1, 1.0
    err = []
    for sigma in (200.0, 400.0, 800.0):
        m = MacrospinModel(sigma=sigma, alpha=alpha, chi=cos_callable(c))
        Jc = 2 * alpha * sigma / c
        err.append(well_variance(m, 0.5 * Jc, 300.0) / well_variance(m, 0.0, 300.0) - 2.0)
    err = np.array(err)
    assert np.all(err > 0)
    assert err[0] / err[1] == pytest.approx(2.0, abs=0.1)
    assert err[1] / err[2] == pytest.approx(2.0, abs=0.05)
    assert 800 * err[2] == pytest.approx(5.0, abs=0.2)


def test_case_cli(tmp_path, capsys):
    s = run_case_cli("study_fluctuations", tmp_path, capsys)
    for key in ("current", "variance", "T_eff_fluct_harmonic_over_T", "T_eff_rate_over_T", "density"):
        assert key in s
    k0 = s["current"].index(0.0)
    assert s["T_eff_fluct_harmonic_over_T"][k0] == pytest.approx(1.0, rel=1e-14)
    assert s["T_eff_rate_over_T"][k0] == pytest.approx(1.0, rel=1e-14)
