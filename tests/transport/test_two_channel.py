"""Two-channel solver (seed 002 Eq. 7–12) against closed forms, conservation laws and the dissipation.

Closed forms used below are derived by hand from Eq. 7, 9, 10 (notation: g = σ0(1−β²)/λ for F,
g = σ0/λ for N, in S/m²; r* = λ/(2σ0(1−β²)) = ρ*λ, the Valet–Fert spin resistance, in Ω m²):

* F/N half-spaces: Δμ(0) = βJ/(g_F + g_N) and R_ne = β² r_F r_N/(r_F + r_N)  (van Son et al.);
  with a Valet–Fert interface (r_maj,min = 2 r_b(1 ∓ γ)):
  R_ne = β² r_F + γ² r_b − (β r_F + γ r_b)²/(r_F + r_N + r_b).
* F/N(t)/F with semi-infinite F: R_ne,P = β²/(g_F + g_N coth(t/2λ_N)),
  R_ne,AP = β²/(g_F + g_N tanh(t/2λ_N)); for λ_N → ∞, g_N coth → 2σ0_N/t and g_N tanh → 0.
"""
import math
from pathlib import Path

import numpy as np
import pytest

from thermokinetic.transport import (Interface, Layer, Stack, cpp_gmr, electric_block, load_case,
                                     ne_resistance_from_eq12, solve_two_channel, two_channel_block,
                                     with_alignment)

ROOT = Path(__file__).resolve().parents[2]

F_KW = dict(sigma=2e7, beta=0.5, lsf=20e-9, direction=[0, 0, 1])


def F(name="F", t=math.inf, **kw):
    d = dict(F_KW)
    d.update(kw)
    return Layer.create(name, "F", t, **d)


def N(name="N", t=math.inf, **kw):
    d = dict(sigma=5e7, lsf=300e-9)
    d.update(kw)
    return Layer.create(name, "N", t, **d)


def g_of(ly):
    return ly.sigma0 * (1 - ly.beta**2) / ly.lsf


def test_single_interface_van_son():
    f, n = F(), N()
    st = Stack((f, n), current_density=1e10)
    r = solve_two_channel(st)
    b, J = f.beta, st.current_density
    acc = r.interface_accumulation()[0]
    # exact solver vs hand-derived closed form: rounding-level agreement
    assert acc["dmu_left"] == pytest.approx(b * J / (g_of(f) + g_of(n)), rel=1e-12)
    assert acc["dmu_right"] == pytest.approx(acc["dmu_left"], rel=1e-13)
    rF, rN = 1 / (2 * g_of(f)), 1 / (2 * g_of(n))
    assert r.R_ne == pytest.approx(b**2 * rF * rN / (rF + rN), rel=1e-12)
    # corrected Eq. 12 (β inside the integral) is the same number
    assert ne_resistance_from_eq12(r) == pytest.approx(r.R_ne, rel=1e-12)
    # literal Eq. 12 (β outside): ∫ ∂Δμ/∂x dx between points where Δμ = 0 vanishes
    p = r.profile(4001, 40.0)
    literal = np.sum([np.trapezoid(np.gradient(p["dmu"][p["layer"] == i], p["x"][p["layer"] == i]),
                                   p["x"][p["layer"] == i]) for i in (0, 1)])
    assert abs(literal) < 1e-6 * abs(acc["dmu_left"])  # Δμ(±40λ) ~ e^-40: zero up to quadrature


def test_single_interface_valet_fert_with_interface_resistance():
    f, n = F(), N()
    rb, gam = 1e-15, 0.6
    st = Stack((f, n), (Interface.create(r_b=rb, gamma=gam),), current_density=-3e10)
    r = solve_two_channel(st)
    rF, rN = 1 / (2 * g_of(f)), 1 / (2 * g_of(n))
    b = f.beta
    expected = b**2 * rF + gam**2 * rb - (b * rF + gam * rb) ** 2 / (rF + rN + rb)
    assert r.R_ne == pytest.approx(expected, rel=1e-12)  # closed form vs linear solve
    # the jump of Δμ at the interface is −(r↑J↑ − r↓J↓) = −2 r_b (δJ − γJ)
    acc = r.interface_accumulation()[0]
    J = st.current_density
    assert acc["dmu_right"] - acc["dmu_left"] == pytest.approx(-2 * rb * (acc["dJ"] - gam * J), rel=1e-10)
    # the dissipation integral: quadrature (40-point Gauss per λ) of an exponential, ~1e-12
    assert r.dissipation_excess() == pytest.approx(r.R_ne * J**2, rel=1e-9)


@pytest.mark.parametrize("t", [1e-9, 10e-9, 200e-9])
def test_fnf_valve_closed_forms(t):
    st = Stack((F("F1"), N("S", t), F("F2")), current_density=1e10)
    g = cpp_gmr(st)
    gF, gN = g_of(st.layers[0]), g_of(st.layers[1])
    b, lN = st.layers[0].beta, st.layers[1].lsf
    RP = b**2 / (gF + gN / math.tanh(t / (2 * lN)))
    RAP = b**2 / (gF + gN * math.tanh(t / (2 * lN)))
    assert g["R_ne_P"] == pytest.approx(RP, rel=1e-11)
    assert g["R_ne_AP"] == pytest.approx(RAP, rel=1e-11)
    assert g["dR"] == pytest.approx(RAP - RP, rel=1e-10)


def test_cpp_gmr_thin_spacer_limit_valet_fert():
    # Valet–Fert: for t_N ≪ λ_N and semi-infinite F, ΔR → 2β²ρ_F*λ_F; the correction is O(t/λ_N)
    lims = []
    for t in (1e-9, 1e-10):
        g = cpp_gmr(Stack((F("F1"), N("S", t), F("F2")), current_density=1e10))
        f = F()
        lims.append(abs(g["dR"] / (2 * f.beta**2 * f.lsf / (2 * f.sigma0 * (1 - f.beta**2))) - 1))
    assert lims[1] < 3e-3 and lims[0] / lims[1] == pytest.approx(10, rel=0.05)  # first order in t


def test_infinite_spacer_spin_diffusion_length_is_exact():
    t = 7e-9
    st = Stack((F("F1"), N("S", t, lsf=math.inf), F("F2")), current_density=1e10)
    g = cpp_gmr(st)
    gF, b = g_of(st.layers[0]), st.layers[0].beta
    s0N = st.layers[1].sigma0
    # L = 0 in the spacer: linear Δμ there; the closed forms' λ_N → ∞ limits, exactly
    assert g["R_ne_P"] == pytest.approx(b**2 / (gF + 2 * s0N / t), rel=1e-12)
    assert g["R_ne_AP"] == pytest.approx(b**2 / gF, rel=1e-12)


def test_beta_zero_gives_no_accumulation():
    st = Stack((N("L"), F("F", 10e-9, beta=0.0), N("S", 5e-9), F("F2", 3e-9, beta=0.0), N("R")),
               current_density=1e11)
    r = solve_two_channel(st)
    p = r.profile(51)
    scale = st.current_density * r.R_eq  # the potential drop across the stack [eV]
    assert np.max(np.abs(p["dmu"])) < 1e-14 * scale  # zero up to rounding
    assert abs(r.R_ne) < 1e-12 * r.R_eq


def test_current_conservation_and_eq7():
    case = load_case(ROOT / "cases" / "stack_cocu_valve_ap.toml")
    r = solve_two_channel(case.stack)
    p = r.profile(2001)
    J = case.stack.current_density
    # J↑ + J↓ = J everywhere (the decaying modes carry no net current): rounding level
    np.testing.assert_allclose(p["J_up"] + p["J_dn"], J, rtol=1e-10)
    # Eq. 7 stationary: ∂δJ/∂x = −2ψ̇ (centered differences, O(h²) ~ 1e-6 relative)
    for i in np.unique(p["layer"]):
        s = p["layer"] == i
        x, dJ, psi = p["x"][s], p["dJ"][s], p["psidot"][s]
        d = np.gradient(dJ, x, edge_order=2)
        np.testing.assert_allclose(d[1:-1], -2 * psi[1:-1], atol=1e-4 * np.max(np.abs(psi)))


def test_dissipation_integral_equals_R_ne_for_valve_cases():
    for name in ("stack_cocu_valve.toml", "stack_cocu_valve_ap.toml"):
        r = solve_two_channel(load_case(ROOT / "cases" / name).stack)
        J = r.stack.current_density
        # R_ne from lead asymptotes vs ∫ excess dissipation: independent formulas, quadrature ~1e-12
        assert r.dissipation_excess() == pytest.approx(r.R_ne * J**2, rel=1e-9)


def test_linear_response_in_J():
    st = load_case(ROOT / "cases" / "stack_cocu_valve.toml").stack
    a, b = solve_two_channel(st), solve_two_channel(st.with_current(-2 * st.current_density))
    assert b.R_ne == pytest.approx(a.R_ne, rel=1e-12)  # linear problem: R independent of J
    da = [x["dmu_left"] for x in a.interface_accumulation()]
    db = [x["dmu_left"] for x in b.interface_accumulation()]
    np.testing.assert_allclose(db, -2 * np.array(da), rtol=1e-12)


def test_global_magnetization_reversal_is_a_symmetry():
    # reversing every magnetization changes nothing physical; Δμ is measured along the first
    # F layer's magnetization, which flips too, so Δμ is unchanged
    st = load_case(ROOT / "cases" / "stack_cocu_valve_ap.toml").stack
    flipped = Stack(tuple(ly if ly.kind == "N" else ly.with_direction(-ly.direction) for ly in st.layers),
                    st.interfaces, st.current_density)
    a, b = solve_two_channel(st), solve_two_channel(flipped)
    assert b.R_ne == pytest.approx(a.R_ne, rel=1e-12)
    assert b.interface_accumulation()[1]["dmu_left"] == pytest.approx(
        a.interface_accumulation()[1]["dmu_left"], rel=1e-12)


def test_blocks_eq9_eq10_and_eq15():
    su, sd, L = 1.5e7, 0.5e7, 3e21
    spin = two_channel_block(su, sd, L, basis="spin")
    cs = two_channel_block(su, sd, L, basis="charge-spin")
    s0, b = (su + sd) / 2, (su - sd) / (su + sd)
    lam = 1 / math.sqrt(2 * L / (s0 * (1 - b**2)))  # Eq. 11 with μ in eV
    assert spin.diffusion_lengths()[0] == pytest.approx(lam, rel=1e-12)
    assert cs.diffusion_lengths()[0] == pytest.approx(lam, rel=1e-12)
    # Eq. 10 is Eq. 9 after (J↑, J↓) -> (J0, δJ): L' = T L Tᵀ
    T = np.array([[1, 1, 0], [1, -1, 0], [0, 0, 1.0]])
    np.testing.assert_allclose(T @ spin.system.L @ T.T, cs.system.L, rtol=1e-14)
    # same entropy production for the same physical state
    rng = np.random.default_rng(1)
    mu, dmu = rng.normal(size=2), rng.normal(size=2)
    e1 = spin.entropy_production(mu, dmu)
    e2 = cs.entropy_production([mu.mean(), mu[0] - mu[1]], [dmu.mean(), dmu[0] - dmu[1]])
    assert e2 == pytest.approx(e1, rel=1e-12)
    # Eq. 15: the composed block has both lengths
    full = electric_block(su, sd, L, sigma_perp=1e7, L_perp=1e7 / (2e-9) ** 2)
    np.testing.assert_allclose(sorted(full.diffusion_lengths()), sorted([lam, 2e-9]), rtol=1e-10)


def test_agrees_with_noncollinear_model_when_collinear():
    nc = pytest.importorskip("thermokinetic.transport.noncollinear")
    st = load_case(ROOT / "cases" / "stack_cocu_valve_tilted.toml").stack
    for ap in ([], ["Co_free"]):
        s = with_alignment(st, ap)
        a, b = solve_two_channel(s), nc.solve_stack(s)
        # two independent implementations (helper T2's seed-004 solver): rounding-level agreement
        assert b.R_ne == pytest.approx(a.R_ne, rel=1e-9)
        np.testing.assert_allclose(b.interface_mu[:, 2], [d["dmu_left"] for d in a.interface_accumulation()],
                                   rtol=1e-9)
