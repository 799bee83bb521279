"""Tests of the exact 1D axial reduction (thermokinetic.fokker_planck.axial).

Truths used: the free-rotation spectrum ℓ(ℓ+1)/2; an independent Legendre–Galerkin discretization
of the backward operator (written here); closed-form populations (Dawson function) and the σ = 0
mean first-passage time; the exact high-barrier identities λ₁ T(1 → 0) → 1 (symmetric) and
Γ_+ T(1 → x_a) → 1; Brown's asymptote and its 1/σ correction derived by Laplace's method; the
exact equivalence of an axial χ = c x with a shifted field.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg as sla
from numpy.polynomial import legendre as Lg
from scipy.special import dawsn

from thermokinetic.energy import uniaxial_zeeman
from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck.axial import (
    AxialProblem,
    brown_asymptote,
    escape_rates_axial,
    lambda1_axial,
    lambda1_uniaxial,
    mfpt_axial,
)


def uni(sigma, h):
    return lambda x: -sigma * np.asarray(x) ** 2 - 2 * sigma * h * np.asarray(x)


def duni(sigma, h):
    return lambda x: -2 * sigma * (np.asarray(x) + h)


def galerkin_lambda1(U, dU, N=40, nq=300):
    """Independent method: Rayleigh–Ritz in the symmetrized (Schrödinger) form.

    With g = e^{U/2} ψ, the backward problem ½∂x[(1−x²)e^{−U}g'] = −λ e^{−U} g has the weak form
    ½∫(1−x²)(ψ' + ½U'ψ)² = λ∫ψ² (boundary terms vanish because of 1−x²).  ψ is expanded in
    orthonormal Legendre polynomials (mass matrix = identity, well conditioned even when e^{−U}
    varies by e^{20}); matrix elements by 300-point Gauss–Legendre quadrature.  λ₀ ≈ 0 is only
    approximated (e^{−U/2} is not a polynomial), so the second eigenvalue is λ₁.
    """
    x, w = Lg.leggauss(nq)
    norm = np.sqrt((2 * np.arange(N) + 1) / 2)
    V = Lg.legvander(x, N - 1) * norm
    dV = np.stack([Lg.legval(x, Lg.legder(np.eye(N)[n])) * norm[n] for n in range(N)], axis=1)
    M = dV + 0.5 * dU(x)[:, None] * V
    A = 0.5 * (M * (w * (1 - x**2))[:, None]).T @ M
    return sla.eigh(A, eigvals_only=True, subset_by_index=[0, 1])[1]


# ---------------------------------------------------------------------------------------------
def test_free_rotation_lambda1_is_one():
    # σ = 0: eigenfunction P_1 = x, λ₁ = 1·2/2 = 1 exactly; 1e-13 allows a few roundings in the
    # nested quadratures (measured ~1e-16).
    assert abs(lambda1_uniaxial(0.0) - 1.0) < 1e-13
    # a constant shift of U changes nothing
    assert abs(lambda1_axial(lambda x: 3.7 + 0 * x) - 1.0) < 1e-13


@pytest.mark.parametrize("sigma,h", [(0.5, 0.0), (2.0, 0.3), (5.0, -0.5), (8.0, 0.0), (8.0, 0.3),
                                     (3.0, 1.5)])
def test_agrees_with_independent_galerkin(sigma, h):
    # For σ ≤ 8 the Galerkin λ₁ is converged to ≲ 3e-12 (measured by varying N = 32…96) and
    # λ₁/‖L‖ is not tiny, so 1e-10 relative is a safe margin for two independent methods
    # (measured agreement: ≤ 3e-12).  (3, 1.5) is monostable (field beyond the anisotropy
    # field): the default x_match = 0 path, with series condition number ≈ 300.
    ref = galerkin_lambda1(uni(sigma, h), duni(sigma, h))
    assert lambda1_uniaxial(sigma, h) == pytest.approx(ref, rel=1e-10)


def test_general_callable_potential_against_galerkin():
    # A non-polynomial, asymmetric bistable U given only as a callable (barrier found by search).
    U = lambda x: -6 * x**2 - 1.2 * x + 0.8 * np.sin(3 * x) + 0.5 * x**4  # noqa: E731
    dU = lambda x: -12 * x - 1.2 + 2.4 * np.cos(3 * x) + 2 * x**3  # noqa: E731
    p = AxialProblem(U)
    # the barrier top found without dU is the root of the analytic U' (FD + Brent: ~1e-11)
    assert abs(dU(p.x_barrier)) < 1e-8
    assert p.lambda1().lambda1 == pytest.approx(galerkin_lambda1(U, dU), rel=1e-10)


@pytest.mark.parametrize("h", [0.0, 0.3])
def test_spectral_convergence_at_sigma_60(h):
    # λ₁ ~ 1e-24 (h = 0): convergence under p-refinement of the Gauss–Legendre panels must be
    # geometric, and the default quadrature must agree with a much finer one to 1e-12
    # (measured: order 10 already agrees to ≤ 2e-14).
    ref = AxialProblem.uniaxial(60, h, order=40, du_max=1.0, max_width=0.1).lambda1().lambda1
    errs = [abs(AxialProblem.uniaxial(60, h, order=p, du_max=8.0).lambda1().lambda1 / ref - 1)
            for p in (5, 6, 7)]
    assert errs[0] > 1e-8  # the coarse levels are really coarse: the test can see convergence
    assert errs[1] < errs[0] / 10 and errs[2] < errs[1] / 10  # ≥ one digit per extra node/panel
    res = AxialProblem.uniaxial(60, h).lambda1(estimate_error=True)
    assert abs(res.lambda1 / ref - 1) < 1e-12
    assert res.error_estimate < 1e-12
    if h == 0:
        assert 1e-25 < res.lambda1 < 1e-23  # the order of magnitude stated in the design


def test_condition_number_reported_and_ill_conditioned_case_refused():
    # high barrier: D(λ) ≈ d0 − λ d1, κ = (d0 + λd1)/(λd1) → 2 (exactly 2 to rounding at σ = 60)
    assert AxialProblem.uniaxial(60, 0).lambda1().condition == pytest.approx(2.0, abs=1e-6)
    # strongly tilted monostable case (λ₁ ≈ 62.6): the alternating series cancels (κ ≈ 3e4),
    # accuracy would be ~1e-10 only, so the solver refuses rather than return a doubtful number
    with pytest.raises(ParameterError, match="condition number"):
        AxialProblem.uniaxial(60, 1.5).lambda1()


def test_matching_point_is_immaterial():
    # D(λ) vanishes at the eigenvalues for any x_m: moving it changes only the rounding (1e-13).
    base = lambda1_uniaxial(40, 0.3)
    for xm in (-0.8, 0.0, 0.6):
        assert AxialProblem.uniaxial(40, 0.3, x_match=xm).lambda1().lambda1 == pytest.approx(base, rel=1e-13)


# ---------------------------------------------------------------------------------------------
def _brown_ratios(h, sigmas, corrected=False):
    return np.array([lambda1_uniaxial(s, h) / brown_asymptote(s, h, corrected=corrected).lambda1
                     for s in sigmas])


@pytest.mark.parametrize("h,slope", [(0.0, -1.0),
                                     (0.3, -(1 / (2 * 0.7**2) + (1 + 3 * 0.09) / (2 * 0.91**2)))])
def test_brown_asymptote_ratio_tends_to_one_like_one_over_sigma(h, slope):
    # Laplace's method gives λ₁/λ_Brown = 1 + a/σ + O(1/σ²) with a = −1/(2(1−h)²) − (1+3h²)/(2(1−h²)²)
    # (the deeper well's escape is exponentially negligible for h > 0); at h = 0, a = −1 (Brown).
    sig = np.array([20.0, 40.0, 60.0, 80.0])
    r = _brown_ratios(h, sig)
    assert np.all(np.diff(np.abs(r - 1)) < 0)  # monotone approach to 1
    A = np.stack([1 / sig, 1 / sig**2, 1 / sig**3], axis=1)
    a = np.linalg.lstsq(A, r - 1, rcond=None)[0][0]
    # fitted slope vs derived coefficient: measured 0.02 % (h = 0) and 0.2 % (h = 0.3) off;
    # 1 % leaves room for the truncated 1/σ⁴ terms.
    assert a == pytest.approx(slope, rel=1e-2)
    # with the O(1/σ) correction the remainder is O(1/σ²): σ²·(ratio − 1) stays bounded and settles
    rc = _brown_ratios(h, sig, corrected=True)
    c2 = sig**2 * (rc - 1)
    assert np.all(np.abs(c2) < 5)  # measured −0.92…−0.79 (h=0), −4.4…−3.1 (h=0.3)
    assert abs(c2[-1] - c2[-2]) < abs(c2[1] - c2[0])  # converging, not drifting


def test_brown_per_well_rates_sigma_200():
    # Γ_± of the exact two-state reduction vs the corrected asymptote at σ = 200 (λ₁ ~ 1e-84):
    # remaining error O(1/σ²) ≈ c/4e4 with |c| ≲ 5 (measured 2e-5): bound 2e-4.
    er = escape_rates_axial(200, 0.1)
    b = brown_asymptote(200, 0.1, corrected=True)
    assert er.gamma_plus == pytest.approx(b.gamma_plus, rel=2e-4)
    assert er.gamma_minus == pytest.approx(b.gamma_minus, rel=2e-4)
    assert er.lambda1 > 0 and math.isfinite(er.lambda1)
    # σ = 400 (λ₁ ~ 1e-170): still O(1/σ²) ≈ 0.8/1.6e5 from the corrected asymptote (bound 2e-5)
    lam = AxialProblem.uniaxial(400, 0).lambda1()
    assert math.exp(lam.log_lambda1) == pytest.approx(brown_asymptote(400, 0, corrected=True).lambda1, rel=2e-5)


# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sigma,h", [(10, 0.0), (40, 0.3), (60, -0.2)])
def test_two_state_consistency_and_populations(sigma, h):
    er = escape_rates_axial(sigma, h)
    # definitions of the two-state reduction, to rounding (1e-12)
    assert er.gamma_plus + er.gamma_minus == pytest.approx(er.lambda1, rel=1e-12)
    assert er.gamma_plus * er.P_plus == pytest.approx(er.gamma_minus * er.P_minus, rel=1e-12)
    assert er.x_barrier == pytest.approx(-h, abs=1e-14)
    # closed form: ∫_{-h}^{1} e^{σx²+2σhx} dx = e^{−σh²} ∫_0^{1+h} e^{σv²} dv, and
    # ∫_0^a e^{σv²} dv = e^{σa²} D(a√σ)/√σ (Dawson D): populations to 1e-13 (quadrature rounding)
    a_p, a_m = 1 + h, 1 - h
    ratio = math.exp(sigma * (a_p**2 - a_m**2)) * dawsn(a_p * math.sqrt(sigma)) / dawsn(a_m * math.sqrt(sigma))
    assert er.P_plus / er.P_minus == pytest.approx(ratio, rel=1e-13)


def test_mfpt_free_diffusion_closed_form():
    # σ = 0: T(x0 → x_a) = 2∫_{x_a}^{x0} dy/(1+y) = 2 ln((1+x0)/(1+x_a)); mirror for x_a > x0.
    T = mfpt_axial(lambda x: 0 * x, 1.0, -0.5)
    assert T == pytest.approx(2 * math.log(2 / 0.5), rel=1e-13)
    T = mfpt_axial(lambda x: 0 * x, -0.2, 0.7)
    assert T == pytest.approx(2 * math.log((1 + 0.2) / (1 - 0.7)), rel=1e-13)


@pytest.mark.parametrize("sigma,tol", [(40, 1e-8), (60, 1e-12)])
def test_mfpt_to_other_well_equals_inverse_escape_rate(sigma, tol):
    # Two different formulas: Γ_+ from the series root (two-state reduction) and the nested MFPT
    # integral from the well bottom x = 1 to x_a = −0.7 in the other well.  They agree up to the
    # exponentially small weight of the region between the barrier and x_a, ~e^{−0.51σ}·poly(σ)
    # (measured 3.9e-10 at σ = 40, 2e-14 at σ = 60).
    p = AxialProblem.uniaxial(sigma, 0.0)
    er = p.escape_rates()
    assert abs(er.gamma_plus * p.mfpt(1.0, -0.7) - 1) < tol
    # symmetric wells: the MFPT to the barrier top is 1/(2Γ) = 1/λ₁ up to ~e^{−σ} (measured 4e-15
    # at σ = 40); this is the exact relation the 2D escape benchmarks rely on.
    assert abs(er.lambda1 * p.mfpt(1.0, 0.0) - 1) < 1e-12


def test_axial_chi_equals_shifted_field():
    # χ = c x enters only through U_d = U − χ/α = −σx² − 2σ(h + c/(2σα))x: identical problem,
    # so identical λ₁ up to rounding of the potential values (1e-13).
    sigma, h, c, alpha = 30.0, 0.2, 0.3, 0.05  # shifted field h + 0.1
    with_chi = AxialProblem(uni(sigma, h), chi=lambda x: c * np.asarray(x), alpha=alpha).lambda1().lambda1
    shifted = lambda1_uniaxial(sigma, h + c / (2 * sigma * alpha))
    assert with_chi == pytest.approx(shifted, rel=1e-13)


def test_from_energy_matches_and_rejects_non_axial():
    lam = AxialProblem.from_energy(uniaxial_zeeman(25.0, 0.4)).lambda1().lambda1
    assert lam == pytest.approx(lambda1_uniaxial(25.0, 0.4), rel=1e-13)  # same U, rounding only
    with pytest.raises(ParameterError, match="axially symmetric"):
        AxialProblem.from_energy(uniaxial_zeeman(25.0, 0.4, psi_deg=30.0))


# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call,name", [
    (lambda: lambda1_uniaxial(-1.0), "sigma"),
    (lambda: lambda1_uniaxial(float("nan")), "sigma"),
    (lambda: escape_rates_axial(10.0, 1.0), "h"),
    (lambda: escape_rates_axial(0.0, 0.0), "sigma"),
    (lambda: brown_asymptote(10.0, -1.2), "h"),
    (lambda: brown_asymptote(float("inf")), "sigma"),
    (lambda: AxialProblem.uniaxial(10.0, 0.0, order=2), "order"),
    (lambda: AxialProblem.uniaxial(10.0, 0.0, x_match=1.0), "x_match"),
    (lambda: AxialProblem(lambda x: np.where(np.asarray(x) > 0.5, np.inf, 0.0)), "U"),
    (lambda: AxialProblem(uni(5, 0), chi=lambda x: x), "alpha"),
    (lambda: AxialProblem.uniaxial(10.0, 2.0).escape_rates(), "U"),
    (lambda: AxialProblem.uniaxial(10.0).mfpt(1.0, -1.0), "x_a"),
    (lambda: AxialProblem.uniaxial(200.0, 0.9).lambda1(), "U"),  # U range 720 kT > 690 refused
])
def test_bad_input_raises_parameter_error(call, name):
    with pytest.raises(ParameterError) as ei:
        call()
    assert ei.value.name == name


# ---------------------------------------------------------------------------------------------
def test_barrier_is_interior_maximum_even_when_a_pole_is_the_global_maximum():
    # U = a(x² − ¼)² + b x with a = 200, b = 3: wells near x = ±½, an interior barrier near x = 0,
    # and poles far higher (U(±1) = 112.5 ± 3 kT) — the global maximum is the pole x = 1, yet the
    # problem is bistable.  The barrier top must be the root of dU near 0 (to the 1e-15 Brent
    # tolerance, 1e-13; without dU the central-difference derivative gives ~1e-11, allowed 1e-9).
    from scipy.optimize import brentq

    a, b = 200.0, 3.0
    U = lambda x: a * (np.asarray(x) ** 2 - 0.25) ** 2 + b * np.asarray(x)  # noqa: E731
    dU = lambda x: 4 * a * np.asarray(x) * (np.asarray(x) ** 2 - 0.25) + b  # noqa: E731
    xb = brentq(dU, -0.2, 0.2, xtol=1e-16)
    p = AxialProblem(U, dU)
    assert p.x_barrier == pytest.approx(xb, abs=1e-13)
    assert AxialProblem(U).x_barrier == pytest.approx(xb, abs=1e-9)
    er = p.escape_rates()
    # Two independent formulas at high barrier (11 and 14 kT): Γ_± from the series root times the
    # nested MFPT integral from one well bottom to the other → 1 up to O(e^{−ΔU}) corrections
    # (measured 2.4e-5 for both; 1e-4 leaves a 4× margin, while the pre-fix code raised).
    xp = brentq(dU, 0.3, 0.7)
    xm = brentq(dU, -0.7, -0.3)
    assert er.gamma_plus * p.mfpt(xp, xm) == pytest.approx(1.0, abs=1e-4)
    assert er.gamma_minus * p.mfpt(xm, xp) == pytest.approx(1.0, abs=1e-4)
    # and λ₁ against the independent Legendre–Galerkin discretization
    # (N = 120 Legendre modes: measured agreement 1.5e-10; 1e-8 at N = 80, 1.5e-3 at N = 60)
    assert er.lambda1 == pytest.approx(galerkin_lambda1(U, dU, N=120, nq=500), rel=1e-8)


def test_flat_potential_has_no_barrier():
    # rounding noise of a constant potential is not a barrier (prominence threshold 1e-9 kT)
    assert AxialProblem(lambda x: 3.7 + 1e-14 * np.sin(1e3 * np.asarray(x))).x_barrier is None
