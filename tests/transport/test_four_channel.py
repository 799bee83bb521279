"""Four-channel s–d model (seed 002 Eq. 16–18): lengths, limits, conservation, dissipation."""
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.transport import (Layer, Stack, coupled_lengths, eq18_lengths, load_case, sd_block,
                                     solve_four_channel, solve_two_channel)
from thermokinetic.transport.stack import SdParameters

ROOT = Path(__file__).resolve().parents[2]


def stack(L_sd_over_Ls=None, l_sd=None):
    def f(name, t, d):
        return Layer.create(name, "F", t, sigma_up=1.2e7, sigma_dn=0.4e7, lsf=30e-9, direction=d,
                            sd={"sigma_d": 0.3e7, "L_sd": 1.0})
    layers = [Layer.create("N1", "N", math.inf, sigma=5e7, lsf=300e-9), f("F1", 20e-9, [0, 0, 1]),
              Layer.create("S", "N", 5e-9, sigma=5e7, lsf=300e-9), f("F2", 10e-9, [0, 0, -1]),
              Layer.create("N2", "N", math.inf, sigma=5e7, lsf=300e-9)]
    out = []
    for ly in layers:
        if ly.sd is not None:
            if L_sd_over_Ls is not None:
                Lsd = L_sd_over_Ls * ly.L
            else:
                Lsd = 1 / (l_sd**2 * (1 / ly.sigma_dn + 1 / ly.sd.sigma_d))
            ly = replace(ly, sd=SdParameters(ly.sd.sigma_d, Lsd))
        out.append(ly)
    return Stack(tuple(out), current_density=1e10)


def test_coupled_lengths_are_the_corrected_eq18():
    ly = load_case(ROOT / "cases" / "stack_co_sd_fourchannel.toml").stack.layer("Co")
    lam = coupled_lengths(ly)  # from the Onsager block (Eq. 17) and conservation (Eq. 16)
    M = eq18_lengths(ly)["matrix"]  # corrected Eq. 18 written from the four lengths
    ev = np.sort(np.linalg.eigvals(M).real)
    np.testing.assert_allclose(np.sort(lam), np.sort(1 / np.sqrt(ev)), rtol=1e-10)
    # the seed's literal second line (+Δ_d/λ_sd² − Δ_s/l_sf²) has a negative eigenvalue, i.e. an
    # oscillating, non-decaying mode: det < 0 because l_sd⁻² l_sf⁻² > λ_s⁻² λ_sd⁻² always
    lit = M.copy()
    lit[1] *= -1
    assert np.min(np.linalg.eigvals(lit).real) < 0
    # the bare lengths: L_sd → 0 leaves l_sf; L_s → 0 leaves l_sd
    b0 = sd_block(ly.sigma_up, ly.sigma_dn, ly.sd.sigma_d, ly.L, 0.0)
    assert b0.diffusion_lengths()[-1] == pytest.approx(eq18_lengths(ly)["l_sf"], rel=1e-12)
    b1 = sd_block(ly.sigma_up, ly.sigma_dn, ly.sd.sigma_d, 0.0, ly.sd.L_sd)
    assert b1.diffusion_lengths()[-1] == pytest.approx(eq18_lengths(ly)["l_sd"], rel=1e-12)


def test_limit_L_sd_to_zero_is_two_channel():
    two = solve_two_channel(stack(1e-3))  # two-channel ignores sd: σ↑ = σ_s↑, σ↓ = σ_s↓
    errs = {}
    for ratio in (1e-4, 1e-6):
        four = solve_four_channel(stack(ratio))
        errs[ratio] = abs(four.R_total / two.R_total - 1)
        a = [d["dmu_left"] for d in four.interface_accumulation()]
        b = [d["dmu_left"] for d in two.interface_accumulation()]
        np.testing.assert_allclose(a, b, rtol=50 * ratio, atol=0)  # O(L_sd) corrections
    # stated tolerance: at L_sd = 1e-6 L_s the total resistance agrees to < 1e-7 ...
    assert errs[1e-6] < 1e-7
    # ... and the error is first order in L_sd (ratio of errors 100 ± 5 %)
    assert errs[1e-4] / errs[1e-6] == pytest.approx(100, rel=0.05)


def test_limit_L_sd_to_infinity_is_two_channel_with_d_in_parallel():
    st = stack(l_sd=1e-9)
    # reference: d↓ merged with s↓ (common potential), σ↓ = σ_s↓ + σ_d, same spin-flip coefficient
    merged = Stack(tuple(replace(ly, sigma_dn=ly.sigma_dn + ly.sd.sigma_d, sd=None) if ly.sd else ly
                         for ly in st.layers), current_density=st.current_density)
    ref = solve_two_channel(merged).R_total
    e = [abs(solve_four_channel(stack(l_sd=l)).R_total / ref - 1) for l in (1e-10, 1e-11, 1e-12)]
    # boundary layer of width l_sd at each F/N interface (J_d = 0 there): error O(l_sd)
    assert e[2] < 1e-4  # measured 5.9e-5 at l_sd = 1 pm
    assert e[0] / e[1] == pytest.approx(10, rel=0.1) and e[1] / e[2] == pytest.approx(10, rel=0.1)


def test_conservation_interface_condition_and_dissipation():
    case = load_case(ROOT / "cases" / "stack_co_sd_fourchannel.toml")
    r = solve_four_channel(case.stack)
    p = r.profile(3001, 0.5)
    J = case.stack.current_density
    np.testing.assert_allclose(p["J_s_up"] + p["J_s_dn"] + p["J_d"], J, rtol=1e-10)
    # documented interface condition: no d current through the F/N interfaces
    F = p["layer"] == 1
    assert abs(p["J_d"][F][0]) < 1e-10 * J and abs(p["J_d"][F][-1]) < 1e-10 * J
    assert np.max(np.abs(p["J_d"][F])) > 1e-3 * J  # but d carries current inside F
    # Eq. 16: ∂J_d/∂x = ψ̇_sd in F (centered differences, O(h²))
    x = p["x"][F]
    d = np.gradient(p["J_d"][F], x, edge_order=2)
    np.testing.assert_allclose(d[5:-5], p["psidot_sd"][F][5:-5], atol=2e-3 * np.max(np.abs(p["psidot_sd"][F])))
    # dissipation integral (quadrature ~1e-12) = R_ne J²
    assert r.dissipation_excess() == pytest.approx(r.R_ne * J**2, rel=1e-9)


def test_zero_L_sd_is_rejected_with_a_clear_error():
    st = stack(1e-3)
    st0 = Stack(tuple(replace(ly, sd=SdParameters(ly.sd.sigma_d, 0.0)) if ly.sd else ly for ly in st.layers),
                current_density=1.0)
    with pytest.raises(ParameterError, match="F1': sd.L_sd"):
        solve_four_channel(st0)
