"""Energy-controlled diffusion (alpha -> 0) on the orbit graph.

Truths: for an axial energy the orbit-averaged operator is exactly the 1D reduction (every alpha);
the orbit integrals of a thin film partition the sphere (areas sum to 4 pi) and the separatrix flux
S(E_s) is the same seen from a well and from a maximum; the Mel'nikov-Meshkov factor has the known
limits A(delta) ~ delta (1 - 0.82 sqrt(delta)) and A -> 1.
"""
import math

import numpy as np
import pytest

from thermokinetic.energy import Cubic, thin_film, uniaxial_zeeman
from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import AxialProblem, compute_escape
from thermokinetic.fokker_planck.energy_diffusion import (_Polar, energy_diffusion, melnikov_meshkov_factor,
                                                          orbit_graph)


def test_axial_energy_diffusion_is_the_exact_1d_reduction_within_its_estimate():
    ed = energy_diffusion(uniaxial_zeeman(10.0, 0.3, 0.0))
    ex = AxialProblem.uniaxial(10.0, 0.3).escape_rates()
    assert ed.error_estimate < 3e-3  # ring maximum: order ~1.6 (g ~ sqrt(E_s - E) there)
    assert abs(ed.lambda1 / ex.lambda1 - 1) <= ed.error_estimate
    assert abs(ed.rates[0] / ex.gamma_plus - 1) <= ed.error_estimate  # deep (+z) well first
    assert abs(ed.rates[1] / ex.gamma_minus - 1) <= ed.error_estimate


def test_thin_film_orbit_graph_partitions_the_sphere_and_conserves_the_separatrix_flux():
    E = thin_film(10.0, 25.0)
    g = orbit_graph(E)
    assert g.e_saddle == pytest.approx(0.0, abs=1e-10) and len(g.wells) == 2 and len(g.tops) == 2
    below = g.e_saddle - 1e-9
    parts = [_Polar(E, e).area_and_flux(below if e.kind == "well" else g.e_saddle + 1e-9)[:2]
             for e in g.wells + g.tops]
    # the trapezoid over 512 rays meets the separatrix corners at the saddles: ~1e-5
    assert sum(a for a, _ in parts) == pytest.approx(4 * math.pi, rel=3e-5)
    S = [s for _, s in parts]
    assert S[0] == pytest.approx(S[2], rel=3e-5) and S[0] == pytest.approx(S[1], rel=1e-12)


@pytest.mark.slow
def test_thin_film_second_order_symmetric_rates_and_the_mesh_tends_to_it_as_alpha_drops():
    ed = energy_diffusion(thin_film(10.0, 25.0))
    assert 1.8 < ed.order < 2.2 and ed.error_estimate < 3e-5  # the polar quadrature (~1e-5) dominates
    assert ed.rates[0] == pytest.approx(ed.rates[1], rel=1e-9)
    # finite damping lowers the rate below the energy-diffusion limit, less so as alpha drops
    lam = [compute_escape(sigma=10.0, sigma_p=25.0, alpha=a, rtol=1e-3)["lambda1_tauN"] for a in (0.3, 0.1)]
    assert lam[0] < lam[1] < ed.lambda1


def test_melnikov_meshkov_factor_limits():
    for d in (1e-6, 1e-4):
        assert melnikov_meshkov_factor(d) / d == pytest.approx(1 - 0.82 * math.sqrt(d), abs=0.1 * math.sqrt(d))
    assert melnikov_meshkov_factor(50.0) == pytest.approx(1.0, abs=1e-6)
    vals = [melnikov_meshkov_factor(d) for d in (0.01, 0.1, 1.0, 10.0)]
    assert np.all(np.diff(vals) > 0)


def test_energy_method_is_refused_where_the_averaging_fails():
    with pytest.raises(ParameterError, match="alpha=0.1 is invalid"):
        compute_escape(sigma=10.0, sigma_p=25.0, alpha=0.1, method="energy")
    with pytest.raises(ParameterError, match="method"):  # six minima
        energy_diffusion(Cubic(-5.0))
    with pytest.raises(ParameterError, match="method"):
        compute_escape(sigma=10.0, sigma_p=5.0, phi_cos=1.0, alpha=1e-6, method="energy")


def test_damping_like_spin_transfer_on_the_graph_is_the_axial_exact_with_chi():
    # chi = C u_z at alpha = 1e-3 (chi/alpha = 2 kT): the orbit-averaged drift X/(2 alpha T) must give
    # the exact 1D reduction of U - chi/alpha (an axial field shift) within the estimate
    from thermokinetic.energy import Zeeman

    C, a = 2e-3, 1e-3
    ed = energy_diffusion(uniaxial_zeeman(10.0, 0.1, 0.0), chi=Zeeman(-C, (0, 0, 1)), alpha=a)
    ex = AxialProblem.uniaxial(10.0, 0.1, chi=lambda x: C * np.asarray(x), alpha=a).escape_rates()
    for got, ref in ((ed.lambda1, ex.lambda1), (ed.rates[0], ex.gamma_plus), (ed.rates[1], ex.gamma_minus)):
        assert abs(got / ref - 1) <= ed.error_estimate < 5e-3


@pytest.mark.slow
def test_thin_film_critical_currents_match_the_deterministic_llg():
    # chi = j alpha u_z on U = -10 u_z^2 + 25 u_x^2: the graph's thresholds vs the generalized LLG
    from thermokinetic.energy import Zeeman
    from thermokinetic.fokker_planck.energy_diffusion import critical_currents
    from thermokinetic.llg import GeneralizedLLG, linearize, trajectory

    E = thin_film(10.0, 25.0)
    up, down = critical_currents(E, Zeeman(-1.0, (0, 0, 1)))
    # bottom instability: j = Delta U / Delta chi_unit = (4 sigma + 2 sigma_p)/(-2) at +z (closed form)
    assert up["j_instability"] == pytest.approx(-45.0, rel=1e-9) and down["j_instability"] == pytest.approx(45.0, rel=1e-9)
    # collinear polarizer, zero field: the drift stays positive once the bottom is unstable (no stable
    # precession), the switching threshold is the instability one to within the orbit quadrature
    assert not up["stable_precession"] and up["j_switch"] == pytest.approx(-45.0, rel=1e-4)
    # the LLG: the real part of the linearization at +z changes sign at j = -45 (any alpha; trace = -Delta U_d / 2)
    re = [np.linalg.eigvals(linearize(GeneralizedLLG(E, 0.01, chi=Zeeman(-j * 0.01, (0, 0, 1))), [0, 0, 1])).real.max()
          for j in (-44.8, -45.2)]
    assert re[0] < 0 < re[1]
    # and a trajectory started 0.1 rad off +z switches beyond the threshold, relaxes below it
    th = 0.1
    u0 = [np.sin(th) * np.cos(0.3), np.sin(th) * np.sin(0.3), np.cos(th)]
    ends = [trajectory(GeneralizedLLG(E, 0.05, chi=Zeeman(-j * 0.05, (0, 0, 1))), u0, (0, 40.0)).u[-1][2]
            for j in (-43.0, -47.0)]
    assert ends[0] > 0.999 and ends[1] < -0.999
