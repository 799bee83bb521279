"""Solvers: relaxation of ⟨u⟩(t) by adaptive integration, time stepping order, stationary states."""
import numpy as np
import pytest

from thermokinetic.energy import uniaxial_zeeman
from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import assemble, evolve, relaxation, spectrum, stationary
from thermokinetic.sphere import geodesic_mesh


def test_relaxation_of_mean_u_free_rotation():
    m = geodesic_mesh(4)
    g = assemble(m, uniaxial_zeeman(0.0), 1.0)
    rho0 = (1 + m.centers[:, 2]) / (4 * np.pi)  # ⟨u_z⟩(0) = 1/3, a pure ℓ = 1 mode in the continuum
    t = np.array([0.0, 0.5, 1.0, 2.0])
    mu = relaxation(g, rho0, t)
    lam1 = np.sort(np.real(spectrum(g, 4)))[1]
    # the discrete ℓ = 1 eigenvalue (0.99936 at level 4) governs the decay; the initial cell
    # projection excites higher modes only at O(h²) (rtol of the integrator 1e-8)
    np.testing.assert_allclose(mu[:, 2], mu[0, 2] * np.exp(-lam1 * t), rtol=2e-6)
    assert abs(mu[0, 2] - 1 / 3) < 1e-3 and np.max(np.abs(mu[:, :2])) < 1e-12
    assert abs(lam1 - 1.0) < 1e-3


def test_crank_nicolson_is_second_order_in_time():
    m = geodesic_mesh(3)
    g = assemble(m, uniaxial_zeeman(4.0, 0.2, 40.0), 0.5)
    # smooth initial data (CN does not damp stiff modes, so rough data would pollute the ratio)
    rho0 = np.exp(0.8 * m.centers[:, 0] - 0.5 * m.centers[:, 2])
    ref = relaxation(g, rho0, np.array([0.0, 1.0]), rtol=1e-11, atol=1e-14)[-1]
    errs = [np.abs(evolve(g, rho0, 1.0, dt, method="cn").mean_u[-1] - ref).max() for dt in (0.05, 0.025)]
    assert 3.7 < errs[0] / errs[1] < 4.4  # CN: error ∝ dt² (measured ratios 4.41, 4.11 approaching 4)


def test_nonequilibrium_stationary_state_is_stationary_and_positive():
    m = geodesic_mesh(4)
    g = assemble(m, uniaxial_zeeman(6.0, 0.1, 20.0), 0.3, chi=lambda u: 0.8 * u[:, 0], phi=lambda u: u[:, 1] * u[:, 2])
    rho = stationary(g)
    assert np.all(rho > 0)
    assert g.mass(rho) == pytest.approx(1.0, abs=1e-13)
    assert np.max(np.abs(g.Q @ rho)) < 1e-12 * np.max(np.abs(g.Q) @ rho)


def test_evolve_bad_input():
    g = assemble(geodesic_mesh(2), uniaxial_zeeman(1.0), 1.0)
    with pytest.raises(ParameterError, match="dt"):
        evolve(g, np.ones(g.n), 1.0, 0.0)
    with pytest.raises(ParameterError, match="method"):
        evolve(g, np.ones(g.n), 1.0, 0.1, method="rk4")
    with pytest.raises(ParameterError, match="rho0"):
        evolve(g, np.ones(3), 1.0, 0.1)
