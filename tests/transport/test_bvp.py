"""Independent BVP path (scipy solve_bvp) vs the exact piecewise-exponential solvers; graded profiles.

The BVP is written from the raw conservation + Ohm laws, without the Onsager blocks or their modes,
and truncates the leads at 25 spin-diffusion lengths (error ~e^-25 ≈ 1e-11).  solve_bvp runs at
tol = 1e-8, so agreement to 1e-6 is the stated requirement (measured: ~1e-11).
"""
import math
from pathlib import Path

import numpy as np
import pytest

from thermokinetic.transport import (BvpSegment, Layer, Stack, load_case, solve_channels_bvp,
                                     solve_four_channel, solve_stack_bvp, solve_transverse,
                                     solve_two_channel)

ROOT = Path(__file__).resolve().parents[2]


def _bvp_dmu(b, i, x):
    """Δμ in the global frame from BVP segment i (labels may be in (maj, min) order)."""
    phi, _ = b.fields(i, [x])
    labs = b.segments[i].labels
    up = [k for k, l in enumerate(labs) if l in ("up", "s_up")][0]
    dn = [k for k, l in enumerate(labs) if l in ("dn", "s_dn")][0]
    return float(phi[up, 0] - phi[dn, 0])


@pytest.mark.parametrize("name", ["stack_cocu_valve.toml", "stack_cocu_valve_ap.toml"])
def test_two_channel_exact_vs_bvp(name):
    st = load_case(ROOT / "cases" / name).stack
    ex = solve_two_channel(st)
    b = solve_stack_bvp(st, "two-channel")
    assert b.R_ne == pytest.approx(ex.R_ne, rel=1e-6)
    scale = max(abs(d["dmu_left"]) for d in ex.interface_accumulation())
    for i, d in enumerate(ex.interface_accumulation()):
        x = st.positions[i]
        assert abs(_bvp_dmu(b, i, x) - d["dmu_left"]) < 1e-6 * scale
        assert abs(_bvp_dmu(b, i + 1, x) - d["dmu_right"]) < 1e-6 * scale


def test_four_channel_exact_vs_bvp():
    st = load_case(ROOT / "cases" / "stack_co_sd_fourchannel.toml").stack
    ex = solve_four_channel(st)
    b = solve_stack_bvp(st, "four-channel")
    assert b.R_ne == pytest.approx(ex.R_ne, rel=1e-6)
    # d-channel potential inside Co at mid-thickness
    xm = 10e-9
    phi_ex, _ = ex.solution.segment_fields(1, [xm])
    phi_b, _ = b.fields(1, [xm])
    # gauges differ (BVP: μ = 0 at the truncated right end): compare s↓ − d↓
    assert phi_b[1, 0] - phi_b[2, 0] == pytest.approx(phi_ex[0, 1] - phi_ex[0, 2], rel=1e-6)


def test_transverse_exact_vs_bvp():
    case = load_case(ROOT / "cases" / "stack_co_transverse.toml")
    src = case.transverse_source
    ex = solve_transverse(case.stack, src["interface"], src["dJ_perp"], longitudinal=False)
    b = solve_stack_bvp(case.stack, "transverse", injection=(0, src["dJ_perp"]))
    for x in (0.0, 1.5e-9, 3e-9):
        phi_b, _ = b.fields(1, [x])
        phi_e, _ = ex.solution.segment_fields(1, [x])
        assert phi_b[0, 0] == pytest.approx(phi_e[0, 0], rel=1e-6)


def _graded(M=None):
    """N / F(30 nm, β(x) = 0.1 + 0.6 x/d, σ = 1.7e7 S/m, L const) / N."""
    d, sig, L = 30e-9, 1.7e7, 2.0e21
    beta = lambda x: 0.1 + 0.6 * np.clip(x, 0, d) / d  # noqa: E731
    N = dict(sigma=5e7, lsf=100e-9)
    if M is None:
        return d, sig, L, beta, N
    layers = [Layer.create("L", "N", math.inf, **N)]
    for k in range(M):
        xm = (k + 0.5) * d / M  # midpoint sampling: staircase error O(M^-2)
        layers.append(Layer.create(f"F{k}", "F", d / M, sigma=sig, beta=float(beta(xm)), L=L,
                                   direction=[0, 0, 1]))
    layers.append(Layer.create("R", "N", math.inf, **N))
    return Stack(tuple(layers), current_density=1e11)


def test_graded_profile_bvp_vs_converged_staircase():
    d, sig, L, beta, N = _graded()
    lead = Layer.create("L", "N", math.inf, **N)
    lamN = lead.lsf

    def sig_fun(x):
        b = beta(np.asarray(x))
        return np.vstack([sig * (1 + b) / 2, sig * (1 - b) / 2])

    segs = [BvpSegment("L", 25 * lamN, ("up", "dn"), np.array([sig_n := lead.sigma_up, sig_n]), [(0, 1, lead.L)]),
            BvpSegment("F", d, ("up", "dn"), sig_fun, [(0, 1, L)]),
            BvpSegment("R", 25 * lamN, ("up", "dn"), np.array([sig_n, sig_n]), [(0, 1, lead.L)])]
    b = solve_channels_bvp(segs, J=1e11)
    Rb = b.R_ne
    Ms = [8, 16, 32, 64]
    R = [solve_two_channel(_graded(M)).R_ne for M in Ms]
    e = [abs(r - Rb) for r in R]
    orders = [math.log2(e[i] / e[i + 1]) for i in range(3)]
    # the staircase converges to the BVP solution at second order (midpoint rule)
    for p in orders:
        assert 1.9 < p < 2.1, orders
    # Richardson-extrapolated staircase vs BVP: both independent, agree to 1e-6
    rich = (4 * R[-1] - R[-2]) / 3
    assert rich == pytest.approx(Rb, rel=1e-6)
    # and the graded answer is genuinely different from a uniform β = 0.4 layer (not a trivial check)
    assert abs(R[0] / solve_two_channel(_graded(1)).R_ne - 1) > 1e-3


def test_bvp_self_convergence_graded():
    d, sig, L, beta, N = _graded()
    lead = Layer.create("L", "N", math.inf, **N)

    def sig_fun(x):
        b = beta(np.asarray(x))
        return np.vstack([sig * (1 + b) / 2, sig * (1 - b) / 2])

    def run(tol, ll):
        s = lead.sigma_up
        segs = [BvpSegment("L", ll * lead.lsf, ("up", "dn"), np.array([s, s]), [(0, 1, lead.L)]),
                BvpSegment("F", d, ("up", "dn"), sig_fun, [(0, 1, L)]),
                BvpSegment("R", ll * lead.lsf, ("up", "dn"), np.array([s, s]), [(0, 1, lead.L)])]
        return solve_channels_bvp(segs, J=1e11, tol=tol)

    coarse, fine = run(1e-5, 25), run(1e-9, 30)
    # tighter tolerance and longer leads change R_ne by far less than 1e-6 (relative)
    assert fine.R_ne == pytest.approx(coarse.R_ne, rel=1e-6)
    assert fine.n_nodes > coarse.n_nodes  # the refinement actually happened


@pytest.mark.slow  # ~10 s: solve_bvp with 10 stacked segments
def test_random_multilayer_exact_vs_bvp():
    """Eight random layers (thin and thick, λ = ∞ included, P/AP, interface resistances)."""
    from thermokinetic.transport import Interface

    rng = np.random.default_rng(7)
    layers = [Layer.create("L", "N", math.inf, sigma=5e7, lsf=200e-9)]
    for k in range(8):
        t = float(10 ** rng.uniform(-10, -7.5))  # 0.1 nm … 30 nm
        if k % 2 == 0:
            layers.append(Layer.create(f"F{k}", "F", t, sigma=float(rng.uniform(5e6, 3e7)),
                                       beta=float(rng.uniform(-0.8, 0.8)), lsf=float(rng.uniform(3e-9, 6e-8)),
                                       direction=[0, 0, float(rng.choice([-1.0, 1.0]))]))
        else:
            lsf = math.inf if k == 3 else float(rng.uniform(5e-8, 5e-7))
            layers.append(Layer.create(f"N{k}", "N", t, sigma=float(rng.uniform(2e7, 1e8)), lsf=lsf))
    layers.append(Layer.create("R", "F", math.inf, sigma=1e7, beta=0.3, lsf=10e-9, direction=[0, 0, 1]))
    ifs = tuple(Interface.create(r_b=float(rng.uniform(0, 1e-15)), gamma=float(rng.uniform(-0.5, 0.8)))
                if (layers[i].kind == "F" or layers[i + 1].kind == "F") else Interface()
                for i in range(len(layers) - 1))
    st = Stack(tuple(layers), ifs, current_density=1e11)
    ex = solve_two_channel(st)
    b = solve_stack_bvp(st, "two-channel")
    assert b.R_ne == pytest.approx(ex.R_ne, rel=1e-6)
    assert ex.dissipation_excess() == pytest.approx(ex.R_ne * 1e22, rel=1e-9)
    scale = max(abs(d["dmu_left"]) for d in ex.interface_accumulation())
    for i, d in enumerate(ex.interface_accumulation()):
        assert abs(_bvp_dmu(b, i, st.positions[i]) - d["dmu_left"]) < 1e-6 * scale
