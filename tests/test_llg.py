"""Generalized LLG (seed 002 Eq. 24): reduced form, trajectories, equilibria, FMR, loops, switching."""
import numpy as np
import pytest
from scipy.optimize import brentq, minimize

from thermokinetic.energy import Uniaxial, Zeeman, uniaxial_zeeman
from thermokinetic.errors import ParameterError
from thermokinetic.llg import (
    GeneralizedLLG,
    equilibria,
    fmr,
    fmr_axial_closed_form,
    fmr_from_hessian,
    generalized_llg_si,
    hysteresis_loop,
    linearize,
    switching_time,
    switching_time_axial,
    trajectory,
)
from thermokinetic.onsager import ferromagnetic_block, ferromagnetic_drift
from thermokinetic.units import GAMMA_E, KB, MU0, reduced_from_si


def axial(c):
    """c·cos θ and its Cartesian gradient."""
    return (lambda u: c * u[:, 2]), (lambda u: np.tile([0.0, 0.0, c], (len(u), 1)))


def units(rng, n):
    u = rng.normal(size=(n, 3))
    return u / np.linalg.norm(u, axis=1, keepdims=True)


# ---------------------------------------------------------------- the reduced equation

def test_reduced_drift_equals_si_eq24(rng):
    """Reduced drift × 1/τ_N equals Eq. 24 in SI (γ, Ms, H in A/m): checks the derivation."""
    Ms, K, v, T, alpha = 1.1e6, 3e5, 2e-25, 300.0, 0.07
    r = reduced_from_si(Ms=Ms, K=K, volume=v, T=T, H=2e4, alpha=alpha)
    U = uniaxial_zeeman(r.sigma, r.h, 30.0)
    cphi, cchi = 3.0, -1.7  # kT
    phi = lambda u: cphi * u[:, 0] * u[:, 2]  # noqa: E731  (non-axial, FD gradients)
    chi = lambda u: cchi * (u[:, 1] + u[:, 2] ** 2)  # noqa: E731
    m = GeneralizedLLG(U, alpha, phi=phi, chi=chi)
    u = units(rng, 50)
    # reduced → SI fields: a reduced gradient g (kT per unit u) is the field kT g/(μ0 Ms v) [A/m]
    f = KB * T / (MU0 * Ms * v)
    H = -f * U.gradient(u)
    Gp, Gc = f * m.phi.gradient(u), f * m.chi.gradient(u)
    si = generalized_llg_si(u, H, alpha, GAMMA_E, grad_phi=Gp, grad_chi=Gc)
    red = m.drift(u) / r.tau_N
    # both are O(1e9 rad/s) sums of a few products; FD gradients of Φ, χ are accurate to ~1e-11
    np.testing.assert_allclose(red, si, rtol=0, atol=1e-9 * np.abs(si).max())


def test_reduced_drift_is_the_onsager_block(rng):
    """With Φ = χ = 0 the reduced drift is the Eq. 3 block with L_F kT = 1/(2α), force −∇U."""
    for alpha in (0.05, 1.0, 3.0):
        U = uniaxial_zeeman(7.0, 0.3, 60.0)
        m = GeneralizedLLG(U, alpha)
        u = units(rng, 100)
        ref = ferromagnetic_drift(u, -U.gradient(u), ferromagnetic_block(alpha, 1 / (2 * alpha)))
        np.testing.assert_allclose(m.drift(u), ref, rtol=0, atol=1e-13 * np.abs(ref).max())


def test_fd_gradient_of_potentials(rng):
    """Great-circle 4th-order differences against the analytic surface gradient."""
    c = 2.5
    fphi, gphi = axial(c)
    m_fd = GeneralizedLLG(Uniaxial(1.0), 0.5, phi=lambda u: c * u[:, 0] ** 3 + fphi(u))
    m_an = GeneralizedLLG(Uniaxial(1.0), 0.5, phi=lambda u: c * u[:, 0] ** 3 + fphi(u),
                          grad_phi=lambda u: np.stack([3 * c * u[:, 0] ** 2, 0 * u[:, 0], c + 0 * u[:, 0]], 1))
    u = units(rng, 200)
    # truncation h⁴/30·|f⁽⁵⁾| ~ 1e-13, rounding ε/h ~ 1e-13 for h = 1e-3
    np.testing.assert_allclose(m_fd.phi.gradient(u), m_an.phi.gradient(u), rtol=0, atol=1e-10)


# ---------------------------------------------------------------- trajectories

@pytest.mark.parametrize("alpha", [0.05, 0.5])
def test_trajectory_norm_and_lyapunov(alpha):
    U = uniaxial_zeeman(4.0, 0.4, 30.0)
    m = GeneralizedLLG(U, alpha)
    u0 = np.array([np.sin(2.5), 0.3, np.cos(2.5)])
    tr = trajectory(m, u0, (0.0, 40.0), t_eval=np.linspace(0, 40, 4001))
    # the integrator state leaves Σ only through its local error (rtol = 1e-10)
    assert tr.norm_error < 1e-9
    assert np.max(np.abs(np.linalg.norm(tr.u, axis=1) - 1)) < 1e-14  # returned states are projected
    E = U.value(tr.u)
    # Lyapunov: dU/dt = −½|∇U|² ≤ 0; allow the integration error on U (~1e-9 · |U|)
    assert np.all(np.diff(E) <= 1e-9 * np.abs(E).max())
    assert E[-1] < E[0] - 0.3
    # it ends in one of the stable equilibria found by root finding (the nearer, metastable well)
    ends = [np.arccos(min(1.0, tr.u[-1] @ e.u)) for e in equilibria(m) if e.stable]
    assert min(ends) < 1e-5  # exp(−Γ·40) with Γ = O(1) is far below 1e-5


# ---------------------------------------------------------------- FMR

@pytest.mark.parametrize("sigma,h,alpha,cphi,cchi", [
    (3.0, 0.2, 0.3, 0.0, 0.0),
    (3.0, 0.2, 0.3, 0.7, 0.0),
    (3.0, 0.2, 0.3, 0.0, -0.4),
    (10.0, -0.5, 0.02, -1.3, 0.05),
    (1.0, 2.0, 1.5, 2.0, 1.0),
])
def test_fmr_axial_closed_form(sigma, h, alpha, cphi, cchi):
    fp, gp = axial(cphi)
    fc, gc = axial(cchi)
    m = GeneralizedLLG(uniaxial_zeeman(sigma, h), alpha, phi=fp, chi=fc, grad_phi=gp, grad_chi=gc)
    r = fmr(m, [0, 0, 1])
    w, G = fmr_axial_closed_form(sigma, h, alpha, cphi, cchi)
    # 4th-order differences of an analytic drift, h = 1e-3: error ~1e-12 relative
    assert r.omega == pytest.approx(w, rel=1e-8)
    assert r.damping_rate == pytest.approx(G, rel=1e-8, abs=1e-10)
    # the same with finite-difference gradients of Φ and χ (no gradient callables)
    m_fd = GeneralizedLLG(uniaxial_zeeman(sigma, h), alpha, phi=fp, chi=fc)
    r_fd = fmr(m_fd, [0, 0, 1])
    assert r_fd.omega == pytest.approx(w, rel=1e-8)
    assert r_fd.damping_rate == pytest.approx(G, rel=1e-8, abs=1e-9)


def test_phi_shifts_frequency_chi_shifts_damping():
    sigma, h, alpha = 5.0, 0.1, 0.2
    base = fmr(GeneralizedLLG(uniaxial_zeeman(sigma, h), alpha), [0, 0, 1])
    fp, gp = axial(1.0)
    with_phi = fmr(GeneralizedLLG(uniaxial_zeeman(sigma, h), alpha, phi=fp, grad_phi=gp), [0, 0, 1])
    with_chi = fmr(GeneralizedLLG(uniaxial_zeeman(sigma, h), alpha, chi=fp, grad_chi=gp), [0, 0, 1])
    # Φ = cosθ: Δω = −1/(2α) = −2.5, Γ unchanged; χ = cosθ: ΔΓ = +1/(2α) = 2.5, ω unchanged
    assert with_phi.omega - base.omega == pytest.approx(-2.5, rel=1e-8)
    assert with_phi.damping_rate == pytest.approx(base.damping_rate, rel=1e-10)
    assert with_chi.damping_rate - base.damping_rate == pytest.approx(2.5, rel=1e-8)
    assert with_chi.omega == pytest.approx(base.omega, rel=1e-10)


def test_kittel_si_with_gilbert_factor():
    """ω·(1/τ_N) = γμ0(H_K + H)/(1+α²) and Γ = αω in SI (the (1+α²) hidden in τ_N)."""
    Ms, K, v, T, H, alpha = 8e5, 2e5, 1e-24, 300.0, 3e4, 0.3
    r = reduced_from_si(Ms=Ms, K=K, volume=v, T=T, H=H, alpha=alpha)
    res = fmr(GeneralizedLLG(uniaxial_zeeman(r.sigma, r.h), alpha), [0, 0, 1])
    w_si = GAMMA_E * MU0 * (r.H_K + H) / (1 + alpha**2)
    assert res.omega / r.tau_N == pytest.approx(w_si, rel=1e-8)
    assert res.damping_rate / r.tau_N == pytest.approx(alpha * w_si, rel=1e-8)


def test_smit_beljers_tilted_field():
    """Equilibrium angle and FMR for a field at ψ = 30° against the closed forms."""
    sigma, h, psi, alpha = 2.0, 0.3, np.deg2rad(30.0), 0.1
    m = GeneralizedLLG(uniaxial_zeeman(sigma, h, 30.0), alpha)
    eqs = equilibria(m)
    gmin = eqs[0]
    assert gmin.stable
    # independent: dU/dθ = σ sin2θ − 2σh sin(ψ − θ) = 0 in the x–z plane, θ in (0, ψ)
    th = brentq(lambda t: sigma * np.sin(2 * t) - 2 * sigma * h * np.sin(psi - t), 1e-9, psi)
    assert np.arctan2(gmin.u[0], gmin.u[2]) == pytest.approx(th, abs=1e-10)
    # covariant Hessian in (θ, φ) at φ = 0: U_θθ and U_φφ/sin²θ
    Utt = 2 * sigma * np.cos(2 * th) + 2 * sigma * h * np.cos(th - psi)
    Upp = 2 * sigma * h * np.sin(psi) / np.sin(th)
    w, G = fmr_from_hessian(np.diag([Utt, Upp]), alpha)
    r = fmr(m, gmin.u)
    assert abs(r.omega) == pytest.approx(w, rel=1e-8)
    assert r.damping_rate == pytest.approx(G, rel=1e-8)


# ---------------------------------------------------------------- equilibria

def test_equilibria_poincare_hopf_and_residuals():
    m = GeneralizedLLG(uniaxial_zeeman(2.0, 0.3, 30.0), 0.5)
    eqs = equilibria(m)
    kinds = [e.kind for e in eqs]
    # a gradient-like field on the sphere: #minima − #saddles + #maxima = χ(S²) = 2
    assert kinds.count("stable") - kinds.count("saddle") + kinds.count("unstable") == 2
    assert kinds.count("stable") == 2  # below the switching field both wells exist
    for e in eqs:
        assert e.residual < 1e-10  # polished roots
        assert np.linalg.norm(m.drift(e.u)) < 1e-10


def test_quasistatic_condition_vs_drift_fixed_point():
    """The seed's quasi-static condition ∇(U − χ/α) = 0 against a direct minimization; with a
    non-axial χ the fixed point of the full drift differs (the precession term does not vanish)."""
    sigma, alpha, c = 2.0, 0.5, 0.3
    U = uniaxial_zeeman(sigma, 0.0)
    m = GeneralizedLLG(U, alpha, chi=lambda u: c * u[:, 0], grad_chi=lambda u: np.tile([c, 0, 0], (len(u), 1)))
    qs = [e for e in equilibria(m, condition="quasistatic") if e.stable]
    assert len(qs) == 2

    def UD(x):
        u = np.array([[np.sin(x[0]) * np.cos(x[1]), np.sin(x[0]) * np.sin(x[1]), np.cos(x[0])]])
        return float(U.value(u)[0] - c * u[0, 0] / alpha)

    res = minimize(UD, [0.3, 0.1], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14})
    x = res.x
    u_min = np.array([np.sin(x[0]) * np.cos(x[1]), np.sin(x[0]) * np.sin(x[1]), np.cos(x[0])])
    best = max(qs, key=lambda e: e.u @ u_min)
    assert np.arccos(min(1.0, best.u @ u_min)) < 1e-6  # Nelder–Mead xatol-limited
    # closed form: sin θ = c/(2σα) in the x–z plane
    assert best.u[0] == pytest.approx(c / (2 * sigma * alpha), rel=1e-10)
    fixed = [e for e in equilibria(m) if e.stable]
    d = min(np.arccos(min(1.0, e.u @ best.u)) for e in fixed)
    assert d > 1e-3  # the two notions differ by O(c/(σα²)) here, far above the solver tolerance


# ---------------------------------------------------------------- hysteresis

@pytest.mark.slow  # 3-11 s: outside the 3-minute default run (still run by CI)
def test_stoner_wohlfarth_45deg():
    loop = hysteresis_loop(lambda h: uniaxial_zeeman(1.0, h, 45.0), np.linspace(-1.2, 1.2, 25), alpha=1.0)
    # astroid: h_sw = 1/(cos^{2/3}ψ + sin^{2/3}ψ)^{3/2} = 0.5 at 45°; bisection to 1e-7
    assert loop.h_switch_down == pytest.approx(-0.5, abs=1e-6)
    assert loop.h_switch_up == pytest.approx(0.5, abs=1e-6)
    # near saturation at both ends (u·e_z ≈ 0.90 at h = 1.2 along 45°), reversed after the switch
    assert loop.m_down[0] > 0.85 and loop.m_down[-1] < -0.85
    assert np.all(loop.m_down[loop.fields_down > -0.5] > 0) and np.all(loop.m_down[loop.fields_down < -0.5] < 0)


@pytest.mark.parametrize("psi", [10.0, pytest.param(30.0, marks=pytest.mark.slow),
                                 pytest.param(60.0, marks=pytest.mark.slow)])
def test_stoner_wohlfarth_astroid(psi):
    loop = hysteresis_loop(lambda h: uniaxial_zeeman(1.0, h, psi), np.linspace(-1.5, 1.5, 31), alpha=1.0)
    p = np.deg2rad(psi)
    hsw = 1 / (np.cos(p) ** (2 / 3) + np.sin(p) ** (2 / 3)) ** 1.5
    assert -loop.h_switch_down == pytest.approx(hsw, abs=1e-6)
    assert loop.h_switch_up == pytest.approx(hsw, abs=1e-6)


@pytest.mark.parametrize("sigma,alpha,c", [(1.0, 0.5, 0.2), (2.0, 1.0, -0.6), (1.0, 0.2, 0.05)])
def test_loop_shift_axial_chi(sigma, alpha, c):
    """χ = c cosθ acts as an axial field c/(2σα) in U − χ/α: the loop centre is at h = −c/(2σα)."""
    fc, gc = axial(c)
    loop = hysteresis_loop(lambda h: uniaxial_zeeman(sigma, h), np.linspace(-1.6, 1.6, 33), chi=fc,
                           grad_chi=gc, alpha=alpha)
    shift = -c / (2 * sigma * alpha)
    assert loop.h_switch_down == pytest.approx(-1 + shift, abs=1e-6)
    assert loop.h_switch_up == pytest.approx(1 + shift, abs=1e-6)
    assert loop.shift == pytest.approx(shift, abs=1e-6)
    assert loop.coercivity == pytest.approx(1.0, abs=1e-6)


# ---------------------------------------------------------------- switching time

@pytest.mark.parametrize("sigma,h,alpha,cchi,cphi", [
    (3.0, -1.5, 0.3, 0.0, 0.0),
    (2.0, -0.5, 0.5, -1.5, 0.0),   # χ destabilizes the parallel state below the coercive field
    (2.0, -0.5, 0.5, -1.5, 2.0),   # an axial Φ only adds precession: same time
    (0.0, 0.0, 0.4, -0.8, 0.0),    # no anisotropy: T = [ln((1+x)/(1−x))/b]
])
def test_switching_time_closed_form(sigma, h, alpha, cchi, cphi):
    fc, gc = axial(cchi)
    fp, gp = axial(cphi)
    U = uniaxial_zeeman(sigma, h) if sigma > 0 else Zeeman(0.0)
    m = GeneralizedLLG(U, alpha, chi=fc if cchi else None, grad_chi=gc if cchi else None,
                       phi=fp if cphi else None, grad_phi=gp if cphi else None)
    th0, th1 = 0.01, np.pi - 0.05
    T_num = switching_time(m, th0, th1)
    T_cf = switching_time_axial(sigma, h, alpha, th0, th1, c_chi=cchi)
    assert T_num == pytest.approx(T_cf, rel=1e-6)  # DOP853 at rtol 1e-12; measured ~1e-12


def test_switching_time_axial_reverse_direction():
    # from near the antiparallel state back to parallel under a positive field: θ decreases
    T = switching_time_axial(1.0, 1.5, 1.0, np.pi - 0.02, 0.1)
    m = GeneralizedLLG(uniaxial_zeeman(1.0, 1.5), 1.0)
    assert switching_time(m, np.pi - 0.02, 0.1) == pytest.approx(T, rel=1e-6)


# ---------------------------------------------------------------- bad input

def test_bad_input():
    U = uniaxial_zeeman(1.0, 0.0)
    with pytest.raises(ParameterError, match="alpha=0"):
        GeneralizedLLG(U, 0.0)
    with pytest.raises(ParameterError, match="energy"):
        GeneralizedLLG(lambda u: u[:, 2], 0.5)
    with pytest.raises(ParameterError, match="phi"):
        GeneralizedLLG(U, 0.5, phi=3.0)
    m = GeneralizedLLG(U, 0.5)
    with pytest.raises(ParameterError, match="u0"):
        trajectory(m, [0, 0, 0], (0, 1))
    with pytest.raises(ParameterError, match="t1 > t0"):
        trajectory(m, [0, 0, 1], (1, 0))
    with pytest.raises(ParameterError, match="stationary point"):
        linearize(m, [1.0, 0.0, 1.0])
    with pytest.raises(ParameterError, match="reachable"):
        switching_time_axial(1.0, 0.5, 1.0, 0.01, 3.0)  # stable start: never switches
    with pytest.raises(ParameterError, match="condition"):
        equilibria(m, condition="nope")
    bad = GeneralizedLLG(U, 0.5, chi=lambda u: np.full(len(u), np.nan))
    with pytest.raises(ParameterError, match="chi"):
        bad.drift(np.array([[0, 0, 1.0]]))
