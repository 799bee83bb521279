"""Transverse accumulation (seed 002 Eq. 13–15): decay length, closed forms, conservation."""
import math
from pathlib import Path

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.transport import Layer, Stack, load_case, solve_transverse, transverse_length
from thermokinetic.transport.stack import TransverseParameters
from thermokinetic.units import E_CHARGE

ROOT = Path(__file__).resolve().parents[2]


def test_decay_length_from_tau_and_sigma():
    sp, tau, dos = 8e6, 2e-15, 1.5e28  # S/m, s, states/(eV m³)
    lam = transverse_length(sp, tau, dos)
    # λ⊥² = σ⊥/L⊥ with L⊥ = e N_F/(2τ⊥): closed form, rounding-level
    assert lam == pytest.approx(math.sqrt(2 * sp * tau / (E_CHARGE * dos)), rel=1e-12)
    # = sqrt(D⊥ τ⊥) with the Einstein relation σ⊥ = e² (N_F/2) D⊥ (N_F per J: dos/e)
    D = sp / (E_CHARGE**2 * (dos / E_CHARGE) / 2)
    assert lam == pytest.approx(math.sqrt(D * tau), rel=1e-12)
    # and the solved profile in a semi-infinite F decays exactly over λ⊥
    Fl = Layer.create("F", "F", math.inf, sigma=1e7, beta=0.4, lsf=2e-8, direction=[0, 0, 1],
                      transverse={"sigma_perp": sp, "tau_perp": tau, "dos": dos})
    Nl = Layer.create("N", "N", math.inf, sigma=5e7, lsf=3e-7)
    r = solve_transverse(Stack((Nl, Fl), current_density=1.0), 0, 1e9)
    x = np.array([0.5, 3.0]) * lam
    phi, _ = r.solution.segment_fields(1, x)
    fitted = (x[1] - x[0]) / math.log(phi[0, 0] / phi[1, 0])
    assert fitted == pytest.approx(lam, rel=1e-10)


def test_two_half_spaces_spin_impedance():
    Fl = Layer.create("F", "F", math.inf, sigma=1e7, beta=0.4, lsf=2e-8, direction=[0, 0, 1],
                      transverse={"sigma_perp": 5e6, "l_perp": 1e-9})
    Nl = Layer.create("N", "N", math.inf, sigma=5e7, lsf=3e-7)
    I = 2e9
    r = solve_transverse(Stack((Nl, Fl), current_density=1.0), "N", I)
    # injected current splits into two half-spaces of spin conductance σ⊥/λ⊥ in parallel
    g = Nl.sigma0 / Nl.lsf + 5e6 / 1e-9
    assert r.dmu_perp_source == pytest.approx(I / g, rel=1e-12)
    ab = r.absorbed()
    assert ab["F"] == pytest.approx(I * (5e6 / 1e-9) / g, rel=1e-12)


def test_conservation_dissipation_and_isotropic_default():
    case = load_case(ROOT / "cases" / "stack_co_transverse.toml")
    src = case.transverse_source
    r = solve_transverse(case.stack, src["interface"], src["dJ_perp"])
    # all injected spin current relaxes somewhere: Σ ∫ψ̇⊥ dx = I (exact solution, rounding)
    assert sum(r.absorbed().values()) == pytest.approx(src["dJ_perp"], rel=1e-12)
    # Eq. 14: the dissipation integral equals the injected power I Δμ⊥(x_i) (quadrature ~1e-12)
    assert r.dissipation() == pytest.approx(src["dJ_perp"] * r.dmu_perp_source, rel=1e-9)
    # Co absorbs most of it: 3 nm = 3 λ⊥ (the rest leaks into Cu on either side)
    assert r.absorbed()["Co"] / src["dJ_perp"] > 0.9
    # normal metals: isotropic relaxation, λ⊥ = λ_sf
    assert r.lengths["Cu_left"] == pytest.approx(case.stack.layer("Cu_left").lsf, rel=1e-12)
    assert r.lengths["Co"] == pytest.approx(1e-9, rel=1e-12)
    # the longitudinal problem is solved alongside (Eq. 15 is block diagonal)
    assert r.R_ne > 0


def test_ferromagnet_without_transverse_parameters_is_an_error():
    st = load_case(ROOT / "cases" / "stack_cocu_valve.toml").stack
    with pytest.raises(ParameterError, match="Co_fixed': transverse"):
        solve_transverse(st, 0, 1e9)
    with pytest.raises(ParameterError, match="dJ_perp"):
        solve_transverse(load_case(ROOT / "cases" / "stack_co_transverse.toml").stack, 0, 0.0)
    with pytest.raises(ParameterError, match="tau_perp"):
        TransverseParameters.L_from_tau(-1.0, 1e28)
