"""Seed 003 junction magnetization currents, checked against closed forms and a direct minimization."""
import math

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.transport.junction import (
    interface_rotation,
    parallel_circuit_currents,
    rotated_channel_currents,
    rotation_weights,
    tunnel_currents,
)


def test_rotation_weights_are_spin_half_rotation():
    # |<s|R(Φ)|s'>|² from an explicit SU(2) rotation exp(−iΦσ_y/2)
    phi = 1.234
    R = np.array([[math.cos(phi / 2), -math.sin(phi / 2)], [math.sin(phi / 2), math.cos(phi / 2)]])
    np.testing.assert_allclose(rotation_weights(phi), np.abs(R) ** 2, atol=1e-15)
    np.testing.assert_allclose(rotation_weights(phi).sum(axis=0), 1.0, atol=1e-15)


@pytest.mark.parametrize("phi", [0.0, 0.7, math.pi / 2, 2.5, math.pi])
def test_tunnel_closed_forms_equal_dos(phi):
    muL, muR = (0.31, -0.12), (0.07, 0.19)
    r = tunnel_currents(phi, muL=muL, muR=muR, g=1.7)
    msL, msR = muL[0] - muL[1], muR[0] - muR[1]
    c = math.cos(phi)
    # derived: J_M^L = g(μs_L − cos Φ μs_R), J_M^R = g(cos Φ μs_L − μs_R)  (sums of four terms)
    assert r.JM_L == pytest.approx(1.7 * (msL - c * msR), abs=1e-14)
    assert r.JM_R == pytest.approx(1.7 * (c * msL - msR), abs=1e-14)
    assert r.J == pytest.approx(1.7 * (sum(muL) - sum(muR)), abs=1e-14)
    # the deposited spin current splits into torques ⊥ m_R (∝ μs_L) and ⊥ m_L (∝ μs_R)
    mL, mR = np.array([0, 0, 1.0]), np.array([math.sin(phi), 0, c])
    np.testing.assert_allclose(r.torque_R + r.torque_L, r.deposit, atol=1e-14)
    np.testing.assert_allclose(r.torque_R, 1.7 * msL * (mL - c * mR), atol=1e-14)
    np.testing.assert_allclose(r.torque_L, 1.7 * msR * (mR - c * mL), atol=1e-14)


def test_collinear_conserves_noncollinear_does_not():
    muL, muR = (0.2, -0.2), (0.05, -0.05)
    r0 = tunnel_currents(0.0, muL=muL, muR=muR)
    assert r0.JM_L == pytest.approx(r0.JM_R, abs=1e-15)  # seed 003: conserved when collinear
    rpi = tunnel_currents(math.pi, muL=muL, muR=muR)
    np.testing.assert_allclose(rpi.jL, rpi.jR, atol=1e-15)  # antiparallel: vectors equal
    r = tunnel_currents(1.0, muL=muL, muR=muR)
    assert abs(r.delta_scalar) > 0.1 and np.linalg.norm(r.deposit) > 0.1


@pytest.mark.parametrize("phi", [0.4, 1.3, 2.9])
def test_tunnel_julliere_and_slonczewski_torque(phi):
    PL, PR, V, g = 0.6, 0.3, 0.01, 2.0
    r = tunnel_currents(phi, muL=(V, V), muR=(0.0, 0.0), g=g, PL=PL, PR=PR)
    c, s = math.cos(phi), math.sin(phi)
    # Jullière/Slonczewski conductance J = 2gV(1 + P_L P_R cos Φ)
    assert r.J == pytest.approx(2 * g * V * (1 + PL * PR * c), rel=1e-13)
    assert r.JM_L == pytest.approx(2 * g * V * (PL + PR * c), rel=1e-13)
    assert r.JM_R == pytest.approx(2 * g * V * (PR + PL * c), rel=1e-13)
    # torque on the right magnet: 2gV P_L sin Φ in magnitude (Slonczewski's tunnel torque)
    assert np.linalg.norm(r.torque_R) == pytest.approx(2 * g * V * PL * s, rel=1e-12)
    assert np.linalg.norm(r.torque_L) == pytest.approx(2 * g * V * PR * s, rel=1e-12)
    assert abs(r.torque_R @ np.array([s, 0, c])) < 1e-15


def test_parallel_circuit_limit():
    sL, sR, E = (3.0, 1.0), (2.5, 0.5), 2.0
    phi = 0.9
    r = parallel_circuit_currents(phi, sigmaL=sL, sigmaR=sR, E=E)
    # current continuity across the junction and the total drop
    assert sum(sL) * r.E_L == pytest.approx(sum(sR) * r.E_R, rel=1e-14)
    assert r.E_L + r.E_R == pytest.approx(E, rel=1e-14)
    assert r.J == pytest.approx(E / (1 / sum(sL) + 1 / sum(sR)), rel=1e-14)  # series resistors
    bL, bR = 0.5, 2.0 / 3.0
    assert (r.JM_L, r.JM_R) == pytest.approx((bL * r.J, bR * r.J), rel=1e-14)
    # same material on both sides: equal magnitudes (seed 003), still a non-zero deposit
    q = parallel_circuit_currents(phi, sigmaL=sL, sigmaR=sL, E=E)
    assert np.linalg.norm(q.jL) == pytest.approx(np.linalg.norm(q.jR), rel=1e-14)
    assert np.linalg.norm(q.deposit) == pytest.approx(2 * abs(q.JM_L) * math.sin(phi / 2), rel=1e-13)
    # seed 003's rotation rule = projection of the incoming spin current on the other axis
    Js = np.array(sL) * r.E_L
    Jrot = rotated_channel_currents(Js, phi)
    assert Jrot.sum() == pytest.approx(Js.sum(), rel=1e-14)  # particles conserved
    assert Jrot[0] - Jrot[1] == pytest.approx(math.cos(phi) * r.JM_L, rel=1e-13)


def test_interface_rotation_against_discrete_energy_minimization():
    A, K, tau = 1.3e-11, 4.0e5, 2.0e-4  # J/m, J/m³, J/m²
    rot = interface_rotation(tau, A=A, K=K)
    w = math.sqrt(A / K)
    assert rot.width == pytest.approx(w)
    # minimize E = Σ h[A θ'² + K θ²] − τ θ(0) on a fine grid over 30 widths (quadratic, exact min)
    n, Lx = 3000, 30 * w
    h = Lx / n
    wts = np.full(n + 1, h)
    wts[0] = wts[-1] = h / 2  # trapezoid weights for ∫ K θ²
    lap = np.full(n + 1, 2.0)
    lap[0] = lap[-1] = 1.0
    # Hessian of E: 2A/h × (graph Laplacian) + 2K × diag(weights)
    Hm = 2 * A / h * (np.diag(lap) - np.diag(np.ones(n), 1) - np.diag(np.ones(n), -1)) + 2 * K * np.diag(wts)
    b = np.zeros(n + 1)
    b[0] = tau
    theta = np.linalg.solve(Hm, b)
    # second-order finite differences: relative error ~ (h/w)² = 1e-4
    assert theta[0] == pytest.approx(rot.delta_theta0, rel=1e-3)
    y = np.linspace(0, Lx, n + 1)
    np.testing.assert_allclose(theta[::100], rot(y[::100]), atol=2e-3 * rot.delta_theta0)
    # the anisotropy torque of the tail balances τ
    assert 2 * K * np.trapezoid(rot(y), y) == pytest.approx(tau, rel=1e-3)


def test_junction_bad_input():
    with pytest.raises(ParameterError, match="PL"):
        tunnel_currents(0.3, PL=1.0)
    with pytest.raises(ParameterError, match="g="):
        tunnel_currents(0.3, g=-1)
    with pytest.raises(ParameterError, match=r"sigmaL\[down\]"):
        parallel_circuit_currents(0.3, sigmaL=(1.0, 0.0), sigmaR=(1.0, 1.0))
    with pytest.raises(ParameterError, match="A="):
        interface_rotation(1e-4, A=-1.0, K=1e5)
    with pytest.raises(ParameterError, match="torque"):
        interface_rotation(1.0, A=1e-11, K=1e5)  # δθ0 ≫ 1: outside the linear model


# ---- seed 003 Eqs. 5–12: coefficients, collinear deposits, Eq. 12, dipole-layer lengths --------
from thermokinetic.transport.junction import (  # noqa: E402
    dipole_layer_lengths,
    eq12_deposit,
    linear_response_coefficients,
)


@pytest.mark.parametrize("phi", [0.0, 0.8, 2.2, math.pi])
def test_eq5_6_coefficients_reproduce_the_tunnel_sums(phi):
    g, PL, PR = 1.3, 0.3, -0.2
    co = linear_response_coefficients(phi, g=g, PL=PL, PR=PR)
    rng = np.random.default_rng(3)
    for _ in range(3):
        muL, muR = rng.normal(size=2), rng.normal(size=2)
        r = tunnel_currents(phi, muL=muL, muR=muR, g=g, PL=PL, PR=PR)
        assert co.currents(muL, muR) == pytest.approx((r.J, r.JM_L, r.JM_R), abs=1e-14)
    # P = 0: r1L = g(1, −1), r2L = g cos Φ (1, −1) (the closed form J_M^L = g(μs_L − cos Φ μs_R))
    c0 = linear_response_coefficients(phi, g=g)
    np.testing.assert_allclose(c0.r1L, [g, -g], atol=1e-15)
    np.testing.assert_allclose(c0.r2L, [g * math.cos(phi), -g * math.cos(phi)], atol=1e-15)
    # one conserved magnetization current (Eq. 1 of the seed) only for collinear magnets:
    # J_M^R m_R = J_M^L m_L, i.e. r^R = cos Φ r^L with cos Φ = ±1
    c = math.cos(phi)
    same = np.allclose(co.r1R, c * co.r1L, atol=1e-14) and np.allclose(co.r2R, c * co.r2L, atol=1e-14)
    assert same == (math.sin(phi) ** 2 < 1e-14)


def test_collinear_deposit_is_longitudinal_and_the_split_diverges_towards_it():
    sig, E = (3.0, 1.0), 2.0
    r = parallel_circuit_currents(math.pi, sigmaL=sig, sigmaR=sig, E=E)
    beta, J = 0.5, r.J
    np.testing.assert_allclose(r.torque_R, 0.0, atol=0)
    np.testing.assert_allclose(r.longitudinal, [0, 0, 2 * beta * J], atol=1e-14)
    np.testing.assert_allclose(r.torque_R + r.torque_L + r.longitudinal, r.deposit, atol=1e-14)
    # noncollinear, equal materials: |torque_R| = |torque_L| = βJ tan(Φ/2) (unbounded as Φ → π)
    for phi in (0.5, 2.0, math.pi - 1e-3):
        q = parallel_circuit_currents(phi, sigmaL=sig, sigmaR=sig, E=E)
        assert np.linalg.norm(q.torque_R) == pytest.approx(beta * q.J * math.tan(phi / 2), rel=1e-9)
        np.testing.assert_allclose(q.longitudinal, 0.0)
    # unequal β at Φ = 0: deposit (β_L − β_R) J along m, no torque
    z = parallel_circuit_currents(0.0, sigmaL=(3.0, 1.0), sigmaR=(2.5, 0.5), E=E)
    np.testing.assert_allclose(z.longitudinal, [0, 0, (0.5 - 2 / 3) * z.J], atol=1e-14)


@pytest.mark.parametrize("phi", [0.3, 1.2, 2.0, 2.9])
def test_eq12_limits(phi):
    beta, J = 0.4, 2.0
    # ξ → ∞: the metallic parallel circuit (equal materials, β = 0.4: σ↑/σ↓ = 7/3)
    q = parallel_circuit_currents(phi, sigmaL=(0.7, 0.3), sigmaR=(0.7, 0.3), E=J / 0.5)
    assert q.J == pytest.approx(J, rel=1e-14)
    assert eq12_deposit(phi, J, beta=beta, xi=math.inf, A1=1.0, A2=1.0) == pytest.approx(
        np.linalg.norm(q.deposit), rel=1e-13)
    # the finite formula converges to it as 1/ξ (A1, A2 drop out)
    for A1, A2 in ((1.0, 1.0), (0.5, 2.0)):
        big = eq12_deposit(phi, J, beta=beta, xi=1e7, A1=A1, A2=A2)
        assert big == pytest.approx(np.linalg.norm(q.deposit), rel=1e-5 / math.sin(phi) ** 2)
    # ξ = 0: the tunnel model with μs = 0, P_L = P_R = β, at the same J, when A1 = 2(1−β²)/(1+β² cos Φ)
    t = tunnel_currents(phi, muL=(1.0, 1.0), muR=(0.0, 0.0), PL=beta, PR=beta)
    A1 = 2 * (1 - beta ** 2) / (1 + beta ** 2 * math.cos(phi))
    assert eq12_deposit(phi, t.J, beta=beta, xi=0.0, A1=A1, A2=7.0) == pytest.approx(
        np.linalg.norm(t.deposit), rel=1e-13)


def test_eq12_collinear_and_bad_input():
    np.testing.assert_allclose(eq12_deposit(np.array([0.0, math.pi]), 1.0, beta=0.3, xi=2.0, A1=1, A2=1),
                               0.0, atol=1e-15)
    with pytest.raises(ParameterError, match="xi"):
        eq12_deposit(1.0, 1.0, beta=0.3, xi=-1.0, A1=1, A2=1)
    with pytest.raises(ParameterError, match="beta"):
        eq12_deposit(1.0, 1.0, beta=1.0, xi=1.0, A1=1, A2=1)
    with pytest.raises(ParameterError, match="A1"):
        eq12_deposit(1.0, 1.0, beta=0.3, xi=1.0, A1=float("nan"), A2=1)


def test_dipole_layer_lengths_against_the_ode_eigenvalues():
    D, tau, tau_d, beta, a1, a2, w = 1e-2, 1e-12, 1e-18, 0.5, 1.2, 0.7, 3e12
    r = dipole_layer_lengths(D=D, tau_sf=tau, tau_d=tau_d, beta=beta, alpha1=a1, alpha2=a2, omega=w)
    # the second-order system written straight from Eqs. 8–10: K X'' = S X, X = (δn, δM_∥)
    K = np.array([[a1 * D, beta * D], [a2 * beta * D, D]])
    S = np.array([[1 / tau_d, 0.0], [beta / tau_d, 1 / tau]])
    q, vec = np.linalg.eig(np.linalg.solve(K, S))
    k = np.argsort(-q.real)  # largest q = shortest length first
    np.testing.assert_allclose(r.longitudinal, 1 / np.sqrt(q[k]), rtol=1e-9)
    np.testing.assert_allclose(r.dn_over_dM, vec[0, k] / vec[1, k], rtol=1e-6)
    # transverse: D q = 1/τ ± iω
    np.testing.assert_allclose(D / r.transverse ** 2, [1 / tau + 1j * w, 1 / tau - 1j * w], rtol=1e-12)
    assert np.all(r.all.real > 0)
    # β = 0: the bare lengths; τ_d → 0: the spin-diffusion length becomes sqrt(Dτ(1 − β²))
    b0 = dipole_layer_lengths(D=D, tau_sf=tau, tau_d=tau_d, beta=0.0, alpha1=a1, alpha2=a2)
    np.testing.assert_allclose(b0.longitudinal.real, b0.bare, rtol=1e-12)
    sharp = dipole_layer_lengths(D=D, tau_sf=tau, tau_d=1e-24, beta=beta, alpha1=a1, alpha2=a2)
    assert sharp.longitudinal[1].real == pytest.approx(math.sqrt(D * tau * (1 - beta ** 2)), rel=1e-10)
    with pytest.raises(ParameterError, match="alpha2"):
        dipole_layer_lengths(D=D, tau_sf=tau, tau_d=tau_d, beta=beta, alpha1=0.1, alpha2=1.0)
