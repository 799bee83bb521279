"""AMR (seed 000): the cos² law, the AMR ratio, and the CPP resistance of a stack with AMR and GMR.

Independent truths used below:

* the cos² law at angles where cos² is known in closed form (0, π/6, π/4, π/3, π/2, π);
* ⟨cos²θ⟩ = 1/3 over the sphere (Gauss–Legendre in cos θ, exact for this quadratic), which defines
  the isotropic average ρ_av = (ρ_∥ + 2ρ_⊥)/3 of the ``"average"`` ratio;
* with AMR = 0 the stack resistance is the existing solvers' R_eq + R_ne, bit for bit;
* a single F layer (thickness d, σ = σ↑+σ↓, β, λ_F) between two identical semi-infinite N leads
  (σ_N, λ_N), transparent interfaces, derived by hand from seed 002 Eq. 7, 9, 10: in each layer
  δJ = βJ − σ(1−β²)Δμ'/2 and Δμ'' = Δμ/λ²; the solution is odd about the layer's centre
  (reflection x → d − x maps J → −J), Δμ = B sinh((x − d/2)/λ_F) in F and ∓B sinh(d/2λ_F)
  e^{∓(x−x_i)/λ_N} in the leads; continuity of Δμ and δJ gives B, and the corrected Eq. 12,
  R_ne = (β/2J)[Δμ(d) − Δμ(0)], gives

      R_ne = β² / (g_N + g_F coth(d/2λ_F)),   g_N = σ_N/(2λ_N),  g_F = σ(1−β²)/(2λ_F),

  so R = d ρ(θ_J) + R_ne with σ → σ/f, λ_F⁻² = L(1/σ↑ + 1/σ↓) → f λ_F⁻² (L fixed, f = 1 + a cos²θ_J);
  with β = 0 it is the plain series resistance d ρ(θ_J) (+ the N layers).
"""
import math
from pathlib import Path

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.transport import (CPP_CURRENT, Layer, Stack, amr_cos2, amr_ratio, amr_resistivity,
                                     amr_resistivity_angle, amr_stack_resistance, cpp_gmr, load_case,
                                     solve_noncollinear, solve_two_channel, with_alignment, with_amr)

ROOT = Path(__file__).resolve().parents[2]

RHO_PERP, RHO_PAR = 1.0e-7, 1.02e-7  # Ω m (a 2 % AMR, the seed's "usually < 3 %")

# cos² known exactly: cos(float(angle)) carries one rounding (≲ 1.1e-16 relative), so ρ agrees with the
# closed form to a few ulp; 4e-16 relative is 2 ulp of ρ
EXACT_COS2 = [(0.0, 1.0), (math.pi / 6, 0.75), (math.pi / 4, 0.5), (math.pi / 3, 0.25), (math.pi / 2, 0.0),
              (2 * math.pi / 3, 0.25), (math.pi, 1.0)]


@pytest.mark.parametrize("theta, c2", EXACT_COS2)
def test_cos2_law_exact_at_known_angles(theta, c2):
    rho = amr_resistivity_angle(theta, RHO_PAR, RHO_PERP)
    assert rho == pytest.approx(RHO_PERP + (RHO_PAR - RHO_PERP) * c2, rel=4e-16, abs=0)
    # the same from vectors: m at θ from the CPP current e_x (in the x–z plane and the x–y plane)
    for m in ([math.cos(theta), 0.0, math.sin(theta)], [math.cos(theta), math.sin(theta), 0.0]):
        assert amr_resistivity(m, RHO_PAR, RHO_PERP) == pytest.approx(rho, rel=4e-16, abs=0)
    assert amr_cos2([math.cos(theta), 0.0, math.sin(theta)]) == pytest.approx(c2, abs=3e-16)


def test_limits_parallel_perpendicular_and_current_direction():
    # CPP pillar (current along the stack normal e_x): perpendicular magnetization (m ∥ e_x) sees ρ_∥,
    # in-plane magnetization ρ_⊥; a CIP film with current along e_y: the other way round for e_y.
    assert amr_resistivity([1, 0, 0], RHO_PAR, RHO_PERP) == RHO_PAR
    assert amr_resistivity([0, 0, 1], RHO_PAR, RHO_PERP) == RHO_PERP
    assert tuple(CPP_CURRENT) == (1.0, 0.0, 0.0)
    assert amr_resistivity([0, 1, 0], RHO_PAR, RHO_PERP, current_direction=[0, 1, 0]) == RHO_PAR
    assert amr_resistivity([1, 0, 0], RHO_PAR, RHO_PERP, current_direction=[0, 1, 0]) == RHO_PERP
    # lengths do not matter, signs of m and j do not matter (cos² is even)
    m, j = np.array([0.3, -1.2, 0.7]), np.array([2.0, 0.5, -1.0])
    ref = amr_resistivity(m, RHO_PAR, RHO_PERP, current_direction=j)
    for mm, jj in ((5 * m, j), (-m, j), (m, -3 * j), (-m, -j)):
        assert amr_resistivity(mm, RHO_PAR, RHO_PERP, current_direction=jj) == pytest.approx(ref, rel=4e-16)
    # by hand: cos θ_J = m·j/(|m||j|)
    c = m @ j / (np.linalg.norm(m) * np.linalg.norm(j))
    assert ref == pytest.approx(RHO_PERP + (RHO_PAR - RHO_PERP) * c * c, rel=4e-16)


def test_vectorized_directions_match_one_by_one(rng):
    ms = rng.normal(size=(4, 5, 3))
    rho = amr_resistivity(ms, RHO_PAR, RHO_PERP, current_direction=[0, 0, 1])
    assert rho.shape == (4, 5)
    for idx in np.ndindex(4, 5):
        assert rho[idx] == amr_resistivity(ms[idx], RHO_PAR, RHO_PERP, current_direction=[0, 0, 1])
    th = np.linspace(0, 2 * np.pi, 9)
    np.testing.assert_allclose(amr_resistivity_angle(th, RHO_PAR, RHO_PERP),
                               RHO_PERP + (RHO_PAR - RHO_PERP) * np.cos(th) ** 2, rtol=4e-16, atol=0)
    assert np.all(RHO_PERP <= amr_resistivity_angle(th, RHO_PAR, RHO_PERP) + 1e-22)


def test_amr_ratio_definition():
    # Δρ/ρ_⊥ (the seed's Δρ/ρ0): 2 % here; a negative AMR (ρ_∥ < ρ_⊥) is allowed
    assert amr_ratio(RHO_PAR, RHO_PERP) == pytest.approx((1.02 - 1.0) / 1.0, rel=1e-13)  # decimal inputs
    assert amr_ratio(0.99e-7, 1e-7) == pytest.approx(-0.01, rel=1e-13)
    assert amr_ratio(1e-7, 1e-7) == 0.0
    # the "average" reference is ρ_av = ⟨ρ(θ)⟩ over the sphere: Gauss–Legendre in x = cos θ (3 nodes,
    # exact for the quadratic ρ(x)); then Δρ/ρ_av
    x, w = np.polynomial.legendre.leggauss(3)
    rho_av = 0.5 * np.sum(w * amr_resistivity_angle(np.arccos(x), RHO_PAR, RHO_PERP))
    assert rho_av == pytest.approx((RHO_PAR + 2 * RHO_PERP) / 3, rel=1e-15)
    assert amr_ratio(RHO_PAR, RHO_PERP, reference="average") == pytest.approx(
        (RHO_PAR - RHO_PERP) / rho_av, rel=1e-13)
    # round trip: ρ_∥ = ρ_⊥ (1 + ratio)
    a = amr_ratio(RHO_PAR, RHO_PERP)
    assert RHO_PERP * (1 + a) == pytest.approx(RHO_PAR, rel=1e-15)


# ------------------------------------------------------------------------------------------------
# stacks
# ------------------------------------------------------------------------------------------------
SIG_N, LSF_N = 5e7, 300e-9


def N(name, t=math.inf):
    return Layer.create(name, "N", t, sigma=SIG_N, lsf=LSF_N)


def single_f_stack(beta, d=5e-9, direction=(0, 0, 1)):
    f = Layer.create("F", "F", d, sigma=1e7, beta=beta, lsf=10e-9, direction=list(direction))
    return Stack((N("left"), f, N("spacer", 4e-9), N("right")), current_density=1e10)


def valve(free_dir=(0, 0, 1), J=1e11):
    return Stack((N("lead1"),
                  Layer.create("fixed", "F", 10e-9, sigma=1e7, beta=0.5, lsf=5e-9, direction=[0, 0, 1]),
                  N("spacer", 5e-9),
                  Layer.create("free", "F", 3e-9, sigma=1e7, beta=0.6, lsf=4e-9, direction=list(free_dir)),
                  N("lead2")), current_density=J)


def hand_single_f(f_layer, a, c2):
    """(series part, R_ne) of the module docstring's closed form, from the layer's own σ↑, σ↓, L."""
    fac = 1 + a * c2
    su, sd = f_layer.sigma_up / fac, f_layer.sigma_dn / fac
    sig, b = su + sd, (su - sd) / (su + sd)
    lam_f = 1 / math.sqrt(f_layer.L * (1 / su + 1 / sd))
    g_n, g_f = SIG_N / (2 * LSF_N), sig * (1 - b * b) / (2 * lam_f)
    r_ne = b * b / (g_n + g_f / math.tanh(f_layer.thickness / (2 * lam_f)))
    series = f_layer.thickness / sig + 4e-9 / SIG_N
    return series, r_ne


@pytest.mark.parametrize("theta", [0.0, 0.4, math.pi / 4, 1.2, math.pi / 2, 2.5, math.pi])
def test_single_f_layer_series_resistance_vs_angle(theta):
    a = 0.025
    m = [math.cos(theta), 0.0, math.sin(theta)]  # θ from the CPP current e_x
    # β = 0: no spin accumulation, the resistance is the series sum d ρ_⊥ (1 + a cos²θ) + d_N/σ_N
    st = single_f_stack(0.0)
    res = amr_stack_resistance(st, a, {"F": m})
    f_layer = st.layer("F")
    rho = amr_resistivity(m, (1 + a) / f_layer.sigma, 1 / f_layer.sigma)
    series = 5e-9 * rho + 4e-9 / SIG_N
    # R_ne = R_total − R_eq is a difference of O(R) numbers: zero up to ~1e-15 R; the series sum is
    # the same arithmetic in another order (a few ulp)
    assert abs(res.R_ne) <= 1e-13 * res.R
    assert res.R == pytest.approx(series, rel=1e-13)
    assert res.resistivity["F"] == pytest.approx(rho, rel=4e-16)
    # β ≠ 0: series + the hand-derived R_ne (exact solver vs closed form; R_ne is R_total − R_eq, whose
    # rounding is ~1e-16 R_total ≈ 3e-15 R_ne here)
    st = single_f_stack(0.5)
    res = amr_stack_resistance(st, a, {"F": m})
    series, r_ne = hand_single_f(st.layer("F"), a, math.cos(theta) ** 2)
    assert res.model == "two-channel"
    assert res.R_ne == pytest.approx(r_ne, rel=1e-12)
    assert res.R_eq == pytest.approx(series, rel=1e-13)
    assert res.R == pytest.approx(series + r_ne, rel=1e-13)


def test_amr_zero_equals_existing_solver_exactly():
    case = load_case(ROOT / "cases" / "stack_cocu_valve.toml")  # with spin-dependent interfaces
    for st in (case.stack, with_alignment(case.stack, ["Co_free"])):
        ref = solve_two_channel(st)
        res = amr_stack_resistance(st, 0.0)
        assert res.model == "two-channel"
        assert res.R == ref.R_eq + ref.R_ne  # bit for bit: the same stack through the same solver
        assert (res.R_eq, res.R_ne, res.R_amr, res.R_cross) == (ref.R_eq, ref.R_ne, 0.0, 0.0)
    g = cpp_gmr(case.stack)
    assert amr_stack_resistance(case.stack, 0.0).R == g["R_P"]
    assert amr_stack_resistance(case.stack, {}, {"Co_free": [0, 0, -1]}).R == g["R_AP"]
    # a stack magnetized ⊥ to the current has no AMR whatever the ratio (the case is magnetized along z,
    # the CPP current along x)
    assert amr_stack_resistance(case.stack, 0.03).R == g["R_P"]
    # noncollinear: the noncollinear solver's R_ne, and R_eq the bulk series sum (transparent interfaces)
    st = valve([1.0, 0.0, 1.0])
    res = amr_stack_resistance(st, {"fixed": 0.0, "free": 0.0})
    assert res.model == "noncollinear"
    assert res.R_ne == solve_noncollinear(st).R_ne
    assert res.R_eq == 10e-9 / 1e7 + 5e-9 / SIG_N + 3e-9 / 1e7


def test_additive_amr_term_and_the_cross_term():
    a = {"fixed": 0.02, "free": 0.03}
    dirs = {"fixed": [1.0, 0.0, 1.0], "free": [0.6, 0.8, 0.0]}
    res = amr_stack_resistance(valve(), a, dirs)
    assert res.model == "noncollinear"
    c_fixed, c_free = 0.5, 0.36  # cos²θ_J with e_x
    assert res.cos2 == pytest.approx({"fixed": c_fixed, "free": c_free}, rel=1e-15)
    by_hand = 10e-9 / 1e7 * 0.02 * c_fixed + 3e-9 / 1e7 * 0.03 * c_free
    assert res.R_amr == pytest.approx(by_hand, rel=1e-14)
    # R_eq − R_eq0 = R_amr: a difference of ~2e-15 Ω m² numbers, rounding ~1e-16 × R_eq / R_amr ≈ 1e-14
    assert res.R_eq - res.R_eq0 == pytest.approx(res.R_amr, rel=1e-12)
    assert res.R == res.R_eq + res.R_ne
    # the GMR term is changed by the AMR at first order in a: halving every ratio halves R_cross up to O(a)
    half = amr_stack_resistance(valve(), {k: v / 2 for k, v in a.items()}, dirs)
    assert res.R_cross != 0 and abs(half.R_cross / res.R_cross - 0.5) < 0.05
    assert half.R_ne0 == res.R_ne0
    # the modified layers: ρ scaled by f, β unchanged, λ_sf = λ_sf / √f (L fixed)
    st = with_amr(valve(), a, dirs)
    for name, c2 in (("fixed", c_fixed), ("free", c_free)):
        old, new, f = valve().layer(name), st.layer(name), 1 + a[name] * c2
        assert 1 / new.sigma == pytest.approx(f / old.sigma, rel=1e-15)
        assert new.beta == pytest.approx(old.beta, rel=1e-15)
        assert new.L == old.L
        assert new.lsf == pytest.approx(old.lsf / math.sqrt(f), rel=1e-12)


def test_two_solvers_meet_at_collinear_configurations():
    a = {"fixed": 0.02, "free": 0.03}
    for free in ([0, 0, 1], [0, 0, -1], [1, 0, 0]):
        st = valve()
        dirs = {"fixed": free if free == [1, 0, 0] else [0, 0, 1], "free": free}
        two = amr_stack_resistance(st, a, dirs, model="two-channel")
        nc = amr_stack_resistance(st, a, dirs, model="noncollinear")
        # two independent codes, both exact: agreement 1e-8 as in test_noncollinear
        assert nc.R == pytest.approx(two.R, rel=1e-8)
    # auto: two-channel at θ = 0, noncollinear at θ = 1e-4; R(θ) − R(0) = O(θ²) ~ 1e-8 R
    r0 = amr_stack_resistance(valve(), a, {"free": [0, 0, 1]})
    t = 1e-4
    r1 = amr_stack_resistance(valve(), a, {"free": [math.sin(t), 0, math.cos(t)]})
    assert (r0.model, r1.model) == ("two-channel", "noncollinear")
    assert r1.R == pytest.approx(r0.R, rel=1e-7)


def test_symmetric_under_m_to_minus_m(rng):
    a = 0.02
    # a single F layer: R(m) = R(−m) exactly (cos² even, one F layer: no relative angle)
    st = single_f_stack(0.5)
    for _ in range(5):
        m = rng.normal(size=3)
        assert amr_stack_resistance(st, a, {"F": m}).R == amr_stack_resistance(st, a, {"F": -m}).R
    # every F layer reversed at once: same relative angles, same cos²; the noncollinear solution is the
    # mirror image (rounding of a reflected linear solve: 1e-13 relative)
    for _ in range(3):
        m1, m2 = rng.normal(size=3), rng.normal(size=3)
        r = amr_stack_resistance(valve(), {"fixed": 0.02, "free": 0.03}, {"fixed": m1, "free": m2})
        s = amr_stack_resistance(valve(), {"fixed": 0.02, "free": 0.03}, {"fixed": -m1, "free": -m2})
        assert r.model == s.model == "noncollinear"
        assert s.R == pytest.approx(r.R, rel=1e-13)
        assert s.R_amr == pytest.approx(r.R_amr, rel=1e-15)


def test_resistance_does_not_depend_on_the_current():
    dirs = {"free": [1.0, 0.0, 1.0]}
    r1 = amr_stack_resistance(valve(J=1e11), 0.02, dirs)
    r2 = amr_stack_resistance(valve(J=-3e9), 0.02, dirs)
    assert r2.R == pytest.approx(r1.R, rel=1e-12)  # linear model; rounding of δV/J only


@pytest.mark.parametrize("call, name, allowed", [
    (lambda: amr_resistivity_angle(0.3, 0.0, 1e-7), "rho_parallel", "> 0"),
    (lambda: amr_resistivity_angle(0.3, 1e-7, -1e-7), "rho_perpendicular", "> 0"),
    (lambda: amr_resistivity_angle(0.3, float("nan"), 1e-7), "rho_parallel", "> 0 and finite"),
    (lambda: amr_resistivity_angle(0.3, 1e-7, float("inf")), "rho_perpendicular", "finite"),
    (lambda: amr_resistivity_angle(0.3, True, 1e-7), "rho_parallel", "real number"),
    (lambda: amr_resistivity_angle(0.3, "1e-7", 1e-7), "rho_parallel", "real number"),
    (lambda: amr_resistivity_angle(float("nan"), 1e-7, 1e-7), "theta", "finite"),
    (lambda: amr_resistivity_angle([0.1, float("inf")], 1e-7, 1e-7), "theta", "finite"),
    (lambda: amr_resistivity([1, 0, 0], 1e-7, 1e-7, current_direction=[0, 0, 0]), "current_direction", "non-zero"),
    (lambda: amr_resistivity([1, 0, 0], 1e-7, 1e-7, current_direction=[float("nan"), 0, 1]), "current_direction",
     "finite"),
    (lambda: amr_resistivity([1, 0, 0], 1e-7, 1e-7, current_direction=[1, 0]), "current_direction", "3-vector"),
    (lambda: amr_resistivity([0, 0, 0], 1e-7, 1e-7), "m", "non-zero"),
    (lambda: amr_resistivity([[1, 0, 0], [0, 0, 0]], 1e-7, 1e-7), "m", "non-zero"),
    (lambda: amr_resistivity([1, 0, 0], -1e-7, 1e-7), "rho_parallel", "> 0"),
    (lambda: amr_ratio(1e-7, 0.0), "rho_perpendicular", "> 0"),
    (lambda: amr_ratio(1e-7, 1e-7, reference="mean"), "reference", "one of"),
    (lambda: amr_stack_resistance(valve(), -1.0), "amr['fixed']", "> -1"),
    (lambda: amr_stack_resistance(valve(), {"free": float("nan")}), "amr['free']", "> -1"),
    (lambda: amr_stack_resistance(valve(), {"spacer": 0.01}), "amr", "F layers"),
    (lambda: amr_stack_resistance(valve(), "0.02"), "amr", "real number"),
    (lambda: amr_stack_resistance(valve(), 0.02, {"nope": [1, 0, 0]}), "directions", "F layers"),
    (lambda: amr_stack_resistance(valve(), 0.02, {"free": [0, 0, 0]}), "layer 'free': direction", "non-zero"),
    (lambda: amr_stack_resistance(valve(), 0.02, current_direction=[0, 0, 0]), "current_direction", "non-zero"),
    (lambda: amr_stack_resistance(valve(), 0.02, model="four-channel"), "model", "one of"),
    (lambda: amr_stack_resistance(valve(J=0.0), 0.02), "current_density", ">= 1e-6"),
])
def test_bad_input_is_refused_naming_the_parameter(call, name, allowed):
    with pytest.raises(ParameterError) as err:
        call()
    assert err.value.name == name
    assert allowed in str(err.value) and "\n" not in str(err.value)
