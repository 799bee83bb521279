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
