"""Noncollinear diffusive spin valves (seed 004) checked against independent truths.

Truths used: a two-spin-channel boundary-value solve (scipy collocation, channel potentials,
electrochemical potential drop) for collinear stacks; seed 004's closed forms (A2), (B), (B1);
closed-form limits derived here (d_N → ∞, d_N → 0 at θ = 0, π); a P1 finite-element minimization
of the dissipation functional; quadrature of the conservation law and of the dissipation; exact
symmetries (mirror, rotation, θ → −θ, linearity).
"""
import math

import numpy as np
import pytest
from scipy.integrate import solve_bvp, simpson
from scipy.optimize import brentq

from thermokinetic.errors import ParameterError
from thermokinetic.transport.noncollinear import (
    Layer,
    free_layer_torque,
    solve,
    solve_fem,
    spin_valve,
    spin_valve_mu,
)

ASYM = dict(p1=0.1, p2=0.9, G1=1.0, G2=1.0, GN=4.0, lN=1.0)  # seed 004 Fig. 6 parameters


def closed_form_A2(theta, p1, p2, G1, G2, GN, dN, lN, d1=None, l1=None, d2=None, l2=None):
    """Seed 004 Eq. (A2) with G̃(d) = G coth(d/l)."""
    Gt1 = G1 if d1 is None else G1 / math.tanh(d1 / l1)
    Gt2 = G2 if d2 is None else G2 / math.tanh(d2 / l2)
    GtN = GN / math.tanh(dN / lN)
    A1, A2, B, c = Gt1 + GtN, Gt2 + GtN, GN / math.sinh(dN / lN), math.cos(theta)
    det = A1 * A2 - B**2 * c**2
    return (A2 * p1 - B * c * p2) / det, (B * c * p1 - A1 * p2) / det, A1, A2, B


# ----------------------------------------------------------------------------------------------
# independent collinear solver: two spin channels, scipy collocation
# ----------------------------------------------------------------------------------------------
def two_channel_bvp(layers, j0=1.0):
    """Collinear stack as two spin channels; sinks (μ↑ = μ↓) at both outer ends.

    ``layers``: list of (σ↑, σ↓, Lsf, d) in the global frame (σ swapped for antiparallel F);
    channel currents J_s = −σ_s μ_s', dJ↑/dx = −Lsf (μ↑ − μ↓) = −dJ↓/dx, J↑ + J↓ = j0.
    Returns μs at the interfaces (global axis) and the electrochemical-potential drop.
    """
    nl = len(layers)

    def f(t, y):
        out = np.empty_like(y)
        for i, (su, sd, Lsf, d) in enumerate(layers):
            mu_u, mu_d, Ju, Jd = y[4 * i:4 * i + 4]
            out[4 * i] = -d * Ju / su
            out[4 * i + 1] = -d * Jd / sd
            out[4 * i + 2] = -d * Lsf * (mu_u - mu_d)
            out[4 * i + 3] = d * Lsf * (mu_u - mu_d)
        return out

    def bc(ya, yb):
        r = [ya[0] - ya[1], ya[0] + ya[1], ya[2] + ya[3] - j0]
        for i in range(nl - 1):
            r += list(yb[4 * i:4 * i + 4] - ya[4 * (i + 1):4 * (i + 1) + 4])
        r.append(yb[4 * (nl - 1)] - yb[4 * (nl - 1) + 1])
        return np.array(r)

    t = np.linspace(0, 1, 401)
    y0 = np.zeros((4 * nl, t.size))
    y0[2::4] = j0 / 2
    y0[3::4] = j0 / 2
    sol = solve_bvp(f, bc, t, y0, tol=1e-10, max_nodes=200000)
    assert sol.success, sol.message
    ya, yb = sol.sol(0.0), sol.sol(1.0)
    mus = [yb[4 * i] - yb[4 * i + 1] for i in range(nl - 1)]
    drop = 0.0 - 0.5 * (yb[4 * (nl - 1)] + yb[4 * (nl - 1) + 1])  # μ0(left) = 0
    r_bulk = sum(d / (su + sd) for su, sd, _, d in layers)
    return np.array(mus), drop / j0 - r_bulk


def channels(G, l, p):
    """(σ↑, σ↓, Lsf) of a layer given seed-004 (G, l, p): D = 2Gl = σ(1−p²), Lsf = D/(4l²)."""
    D = 2 * G * l
    sig = D / (1 - p * p)
    return sig * (1 + p) / 2, sig * (1 - p) / 2, D / (4 * l * l)


@pytest.mark.parametrize("sign", [+1, -1])
def test_collinear_limit_matches_two_channel_bvp(sign):
    # N/F1/N/F2/N valve with finite F layers (outer N = sinks); θ = 0 (sign +1) or π (sign −1)
    par = dict(p1=0.4, p2=0.7, G1=1.3, G2=0.8, GN=2.5, dN=0.6, lN=1.5, d1=0.9, l1=0.5, d2=1.7, l2=0.8)
    theta = 0.0 if sign > 0 else math.pi
    res = spin_valve(theta=theta, **par)
    s1u, s1d, L1 = channels(par["G1"], par["l1"], par["p1"])
    sNu, sNd, LN = channels(par["GN"], par["lN"], 0.0)
    s2u, s2d, L2 = channels(par["G2"], par["l2"], par["p2"])
    if sign < 0:
        s2u, s2d = s2d, s2u
    mus, dr = two_channel_bvp([(s1u, s1d, L1, par["d1"]), (sNu, sNd, LN, par["dN"]),
                               (s2u, s2d, L2, par["d2"])])
    # collocation tolerance 1e-10 on O(0.1) quantities: agreement to 1e-7 is ample
    assert res.mu1 == pytest.approx(mus[0], abs=1e-7)
    assert res.mu2 == pytest.approx(sign * mus[1], abs=1e-7)
    # δr from the EMF formula vs the electrochemical-potential drop of the channel model
    assert res.delta_r == pytest.approx(dr, abs=1e-7)
    # and both equal seed 004 Eq. (A2) at cos θ = ±1
    m1, m2, *_ = closed_form_A2(theta, **par)
    assert (res.mu1, res.mu2) == pytest.approx((m1, m2), rel=1e-12)


@pytest.mark.parametrize("theta", [0.0, 0.3, 1.1, math.pi / 2, 2.2, 3.0, math.pi])
@pytest.mark.parametrize("thick", [False, True])
def test_valve_matches_seed_closed_forms(theta, thick):
    par = dict(p1=0.35, p2=0.6, G1=1.0, G2=1.7, GN=3.0, dN=0.4, lN=1.2)
    if thick:
        par.update(d1=0.7, l1=0.3, d2=2.0, l2=1.1)
    res = spin_valve(theta=theta, **par)
    mu1, mu2, A1, A2, B = closed_form_A2(theta, **par)
    # two different derivations of a 2x2 linear system: agreement to rounding
    assert res.mu1 == pytest.approx(mu1, rel=1e-12, abs=1e-15)
    assert res.mu2 == pytest.approx(mu2, rel=1e-12, abs=1e-15)
    m1 = np.array([0.0, 0.0, 1.0])
    m2 = np.array([math.sin(theta), 0.0, math.cos(theta)])
    # Appendix B: Δjs1 = B μ2 m1×(m2×m1), Δjs2 = B μ1 m2×(m1×m2)
    np.testing.assert_allclose(res.jump1, B * mu2 * np.cross(m1, np.cross(m2, m1)), atol=1e-14)
    np.testing.assert_allclose(res.jump2, B * mu1 * np.cross(m2, np.cross(m1, m2)), atol=1e-14)
    # Eq. 1 definition of the efficiency factors (j0 = 1)
    np.testing.assert_allclose(res.jump1, -res.g1 * np.cross(m1, np.cross(m2, m1)), atol=1e-14)
    np.testing.assert_allclose(res.jump2, res.g2 * np.cross(m2, np.cross(m1, m2)), atol=1e-14)
    # §III D: δr = (p1 μ1 − p2 μ2)/2
    assert res.delta_r == pytest.approx((par["p1"] * mu1 - par["p2"] * mu2) / 2, rel=1e-12)


def test_B1_sign_change_is_a_root_of_numerical_g2():
    par = dict(ASYM, dN=0.5)
    _, _, A1, A2, B = closed_form_A2(0.0, **par)
    assert par["p2"] / par["p1"] > A2 / B  # (B1): g2 must change sign
    g2 = lambda th: float(spin_valve_mu(th, **par)["g2"])  # noqa: E731
    root = brentq(g2, 1e-6, math.pi / 2, xtol=1e-14)
    # (B1): μ1 = 0 ⇔ cos θ* = A2 p1 / (B p2); the root of the numerical g2 agrees to rounding
    assert math.cos(root) == pytest.approx(A2 * par["p1"] / (B * par["p2"]), rel=1e-10)
    th = np.linspace(0, math.pi, 721)
    r = spin_valve_mu(th, **par)
    assert np.all(r["g2"][th < root - 1e-9] < 0) and np.all(r["g2"][th > root + 1e-9] > 0)
    assert np.all(r["g1"] > 0)  # at most one efficiency factor negative
    # g1 changes sign for p2/p1 < B/A1 (swap the polarizations)
    par1 = dict(par, p1=0.9, p2=0.1)
    assert par1["p2"] / par1["p1"] < B / A1
    g1 = lambda t: float(spin_valve_mu(t, **par1)["g1"])  # noqa: E731
    root1 = brentq(g1, 1e-6, math.pi / 2, xtol=1e-14)
    assert math.cos(root1) == pytest.approx(A1 * par1["p2"] / (B * par1["p1"]), rel=1e-10)


def test_no_sign_change_below_B1_threshold_and_never_both_negative():
    th = np.linspace(0, math.pi, 361)
    rng = np.random.default_rng(7)
    both = 0
    seen_negative = 0
    for _ in range(200):
        par = dict(p1=rng.uniform(0.01, 0.99), p2=rng.uniform(0.01, 0.99), G1=rng.uniform(0.1, 3),
                   G2=rng.uniform(0.1, 3), GN=rng.uniform(0.1, 5), dN=rng.uniform(0.05, 3), lN=1.0)
        r = spin_valve_mu(th, **par)
        _, _, A1, A2, B = closed_form_A2(0.0, **par)
        both += int(np.any((r["g1"] < 0) & (r["g2"] < 0)))
        neg2 = np.any(r["g2"] < -1e-13)
        seen_negative += int(neg2)
        # (B1): g2 < 0 somewhere iff p2/p1 > A2/B, and only at θ < π/2
        assert neg2 == (par["p2"] / par["p1"] > A2 / B)
        assert np.all(r["g2"][th > math.pi / 2] > 0)
    assert both == 0
    assert seen_negative > 0  # the random sample did probe the sign-changing regime


def test_dN_to_zero_singular_limit_and_large_dN():
    p1, p2, G1, G2, GN = ASYM["p1"], ASYM["p2"], ASYM["G1"], ASYM["G2"], ASYM["GN"]
    dr_inf = (p1**2 / (G1 + GN) + p2**2 / (G2 + GN)) / 2  # decoupled interfaces
    big = spin_valve_mu(np.array([0.0, 1.0, math.pi]), **dict(ASYM, dN=60.0))
    np.testing.assert_allclose(big["delta_r"], dr_inf, rtol=1e-12)  # coupling ~ e^{-60}
    # dN → 0: collinear limits derived from μ1 = ±μ2 (zero-length N), generic θ → 0
    for dN in (1e-4, 1e-6):
        r = spin_valve_mu(np.array([0.0, math.pi / 2, 0.3, math.pi]), **dict(ASYM, dN=dN))
        assert r["delta_r"][0] == pytest.approx((p1 - p2) ** 2 / (2 * (G1 + G2)), rel=10 * dN)
        assert r["delta_r"][3] == pytest.approx((p1 + p2) ** 2 / (2 * (G1 + G2)), rel=10 * dN)
        assert r["delta_r"][1] / dr_inf < 5 * dN  # vanishes linearly
        assert r["delta_r"][2] / dr_inf < 50 * dN
    # linear vanishing: δr(dN)/dN has a finite limit at θ = 90°
    ratio = [float(spin_valve_mu(math.pi / 2, **dict(ASYM, dN=d))["delta_r"]) / d for d in (1e-3, 1e-4, 1e-5)]
    assert ratio[1] == pytest.approx(ratio[2], rel=1e-3) and ratio[0] == pytest.approx(ratio[2], rel=1e-2)


def test_symmetries():
    par = dict(p1=0.3, p2=0.8, G1=0.9, G2=1.4, GN=2.0, dN=0.7, lN=1.0, d1=0.5, l1=0.4)
    a, b = spin_valve(theta=0.8, **par), spin_valve(theta=-0.8, **par)
    assert (a.g1, a.g2, a.delta_r) == pytest.approx((b.g1, b.g2, b.delta_r), rel=1e-13)
    np.testing.assert_allclose(a.jump2 * [-1, 1, 1], b.jump2, atol=1e-15)
    # symmetric valve: g1 = g2 at every angle
    sym = spin_valve_mu(np.linspace(0, math.pi, 50), p1=0.5, p2=0.5, G1=1.0, G2=1.0, GN=3.0, dN=0.5, lN=1.0)
    np.testing.assert_allclose(sym["g1"], sym["g2"], rtol=1e-13)
    # mirror x → −x with reversed current: F1/N/F2 (j0) ≡ F2/N/F1 (−j0)
    L = solve(a.solution.layers, 1.0)
    Lr = solve(list(reversed(a.solution.layers)), -1.0)
    np.testing.assert_allclose(L.mu[::-1], Lr.mu, atol=1e-15)
    assert L.delta_r == pytest.approx(Lr.delta_r, rel=1e-13)
    # linearity in j0
    L3 = solve(a.solution.layers, -3.0)
    np.testing.assert_allclose(L3.mu, -3 * L.mu, atol=1e-14)
    assert L3.delta_r == pytest.approx(L.delta_r, rel=1e-13)


def three_f_stack(R=np.eye(3)):
    m1, m2, m3 = np.array([0, 0, 1.0]), np.array([1, 0, 1.0]), np.array([0.2, 1, 0.3])
    return [Layer("N", G=2, l=1.5, d=math.inf, name="lead1"),
            Layer("F", G=1, l=0.6, d=1.2, p=0.5, m=R @ m1, name="F1"),
            Layer("N", G=3, l=2, d=0.8, name="N1"),
            Layer("F", G=1.5, l=0.5, d=0.6, p=0.3, m=R @ m2, name="F2"),
            Layer("N", G=2, l=1, d=1.1, name="N2"),
            Layer("F", G=0.7, l=1.0, d=2.0, p=-0.4, m=R @ m3, name="F3"),
            Layer("N", G=2, l=1.5, d=math.inf, name="lead2")]


def test_noncoplanar_three_f_against_finite_elements():
    L = three_f_stack()
    s = solve(L)
    errs, fems = [], []
    for n in (10, 20, 40):
        f = solve_fem(L, n_per_length=n)
        fems.append(f)
        errs.append(np.abs(f["mu"] - s.mu).max())
    orders = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    # P1 elements: nodal error O(h²); measured order within 0.1 of 2
    assert np.all(np.abs(orders - 2) < 0.1), orders
    scale = np.abs(s.mu).max()
    assert errs[-1] < 5e-5 * scale  # h = l/40: (h/l)² ≈ 6e-4 times an O(0.05) constant
    # Richardson extrapolation removes the h² term: agreement improves by > 100×
    rich = (4 * fems[2]["mu"] - fems[1]["mu"]) / 3
    assert np.abs(rich - s.mu).max() < 1e-7 * scale
    rich_dr = (4 * fems[2]["delta_r"] - fems[1]["delta_r"]) / 3
    assert rich_dr == pytest.approx(s.delta_r, rel=1e-7)
    # the three F directions are not coplanar and μs has components along all three axes
    assert abs(np.linalg.det(np.array([ly.m for ly in L if ly.is_f]))) > 0.1
    assert np.all(np.abs(s.mu).max(axis=0) > 1e-3)


def test_noncoplanar_conservation_and_dissipation_by_quadrature():
    L = three_f_stack()
    s = solve(L)
    relax = np.zeros(3)
    diss = 0.0
    for i, (xL, xR) in enumerate(s.layer_bounds(tail=40.0)):
        x = np.linspace(xL, xR, 4001)
        mu, js = s.layer_profile(i, x)
        lay = L[i]
        relax += lay.G / lay.l * simpson(mu, x=x, axis=0)
        dmu = -(js - s.pm[i]) / (lay.G * lay.l)  # from the js(x) profile
        diss += simpson(lay.G / 2 * (lay.l * (dmu**2).sum(1) + (mu**2).sum(1) / lay.l), x=x)
        # bulk equation d js/dx = −(G/l) μs, checked by finite differences of the profile
        fd = np.gradient(js, x, axis=0, edge_order=2)
        np.testing.assert_allclose(fd[2:-2], -(lay.G / lay.l) * mu[2:-2], atol=1e-5)
    # spin angular momentum: what enters from the left lead − what leaves to the right lead
    # = torques (jumps) + relaxation; far in the N leads js → 0
    total_jumps = s.jumps.sum(axis=0)
    np.testing.assert_allclose(total_jumps + relax, np.zeros(3), atol=1e-10)
    # each jump is transverse to the adjacent F magnetization (Eq. 6), the torque ⊥ m
    for name, t in s.torques.items():
        m = np.asarray(next(ly.m for ly in L if ly.name == name))
        assert abs(t @ m) < 1e-14 and np.linalg.norm(t) > 1e-3
    # Simpson on 4000 intervals: error ~1e-12; the EMF δr and the dissipation integral agree
    assert diss == pytest.approx(s.delta_r, rel=1e-9)
    assert s.dissipation == pytest.approx(s.delta_r, rel=1e-12)
    assert s.delta_r > 0


def test_rotation_covariance():
    rng = np.random.default_rng(3)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    R = q * np.sign(np.linalg.det(q))
    s0, s1 = solve(three_f_stack()), solve(three_f_stack(R))
    np.testing.assert_allclose(s1.mu, s0.mu @ R.T, atol=1e-14)
    np.testing.assert_allclose(s1.jumps, s0.jumps @ R.T, atol=1e-14)
    assert s1.delta_r == pytest.approx(s0.delta_r, rel=1e-13)


def test_free_layer_torque_vectorized_matches_angle_formula():
    par = dict(p1=0.4, p2=0.6, G1=1.0, G2=1.2, GN=2.0, dN=0.5, lN=1.0)
    layers = spin_valve(theta=0.0, **par).solution.layers
    rng = np.random.default_rng(11)
    U = rng.normal(size=(500, 3))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    tab = free_layer_torque(layers, 2, U)
    m1 = np.array([0.0, 0.0, 1.0])
    th = np.arccos(np.clip(U @ m1, -1, 1))
    g2 = spin_valve_mu(th, **par)["g2"]
    expect = g2[:, None] * np.cross(U, np.cross(m1, U))  # Eq. 1, T2 ∝ g2 m2×(m1×m2)
    np.testing.assert_allclose(tab.torque, expect, atol=1e-14)
    assert np.abs(np.einsum("ij,ij->i", tab.torque, U)).max() < 1e-14
    np.testing.assert_allclose(tab.delta_r, spin_valve_mu(th, **par)["delta_r"], rtol=1e-12)
    # batch shape is preserved
    assert free_layer_torque(layers, 2, U.reshape(20, 25, 3)).torque.shape == (20, 25, 3)


def test_bad_input_names_layer_and_parameter():
    with pytest.raises(ParameterError, match=r"F1\.d=-1.*> 0"):
        Layer("F", G=1, l=1, d=-1, p=0.2, m=(0, 0, 1), name="F1")
    with pytest.raises(ParameterError, match=r"F1\.p=1\.0.*\(-1, 1\)"):
        Layer("F", G=1, l=1, d=1, p=1.0, m=(0, 0, 1), name="F1")
    with pytest.raises(ParameterError, match=r"F2\.m.*direction"):
        Layer("F", G=1, l=1, d=1, p=0.2, name="F2")
    with pytest.raises(ParameterError, match=r"N\.G"):
        Layer("N", G=-2, l=1, d=1, name="N")
    with pytest.raises(ParameterError, match=r"N\.l"):
        Layer("N", G=2, l=0, d=1, name="N")
    with pytest.raises(ParameterError, match=r"N\.p"):
        Layer("N", G=2, l=1, d=1, p=0.3, name="N")
    a = Layer("F", G=1, l=1, d=1, p=0.2, m=(0, 0, 1), name="A")
    b = Layer("F", G=1, l=1, d=1, p=0.2, m=(1, 0, 0), name="B")
    with pytest.raises(ParameterError, match=r"A\.m/B\.m"):
        solve([a, b])
    with pytest.raises(ParameterError, match=r"mid\.d"):
        solve([a, Layer("N", G=1, l=1, d=math.inf, name="mid"), b])
    with pytest.raises(ParameterError, match=r"F1\.l"):
        spin_valve(theta=0.1, p1=0.1, p2=0.2, G1=1, G2=1, GN=1, dN=1, lN=1, d1=2.0)
    with pytest.raises(ParameterError, match=r"F1\.p"):
        spin_valve(theta=0.1, p1=-1.0, p2=0.2, G1=1, G2=1, GN=1, dN=1, lN=1)


def si_stack(free_dir, J=1e11):
    from thermokinetic.transport.stack import Layer as SL, Stack

    return Stack((SL.create("lead1", "N", math.inf, sigma=5e7, lsf=1e-8),
                  SL.create("fixed", "F", 10e-9, sigma=1e7, beta=0.5, lsf=5e-9, direction=[0, 0, 1]),
                  SL.create("spacer", "N", 5e-9, sigma=5e7, lsf=2e-7),
                  SL.create("free", "F", 3e-9, sigma=1e7, beta=0.6, lsf=4e-9, direction=free_dir),
                  SL.create("lead2", "N", math.inf, sigma=5e7, lsf=1e-8)), current_density=J)


@pytest.mark.parametrize("free_dir", [[0, 0, 1], [0, 0, -1]])
def test_solve_stack_si_collinear_matches_two_channel_solver(free_dir):
    from thermokinetic.transport.noncollinear import solve_stack
    from thermokinetic.transport.two_channel import solve_two_channel

    st = si_stack(free_dir)
    a, b = solve_stack(st), solve_two_channel(st)
    # two independent codes (vector interface unknowns vs channel potentials); both exact
    assert a.R_ne == pytest.approx(b.R_ne, rel=1e-8)
    assert a.R_ne > 0


def test_solve_stack_si_noncollinear_profiles_and_torques():
    from thermokinetic.transport.noncollinear import solve_stack

    sP, sAP = solve_stack(si_stack([0, 0, 1])), solve_stack(si_stack([0, 0, -1]))
    s90 = solve_stack(si_stack([1, 0, 0]))
    # R_ne(90°) lies between the collinear values for this symmetric-ish valve
    assert sP.R_ne < s90.R_ne < sAP.R_ne
    t = s90.torques["free"]
    assert abs(t[0]) < 1e-12 * np.linalg.norm(t) and np.linalg.norm(t) > 1e-3 * 1e11
    # the grid carries each interface twice; μs is continuous, so both copies agree
    x, mu = s90.x, s90.mu
    for xi in (0.0, 10e-9, 15e-9, 18e-9):
        k = np.flatnonzero(np.isclose(x, xi, rtol=0, atol=1e-15))
        assert k.size == 2 and np.allclose(mu[k[0]], mu[k[1]], rtol=1e-12, atol=1e-20)
    # R_ne is the excess dissipation δP/J² (SI: Ω m²)
    assert s90.reduced.dissipation / 1e11**2 == pytest.approx(s90.R_ne, rel=1e-12)


def test_solve_stack_refuses_interface_resistance_unless_told_to_keep_or_drop_it():
    """Interfaces are solved with magnetoelectronic circuit theory only on request (``interfaces=
    "keep"``; tests/transport/test_noncollinear_interfaces.py): the callers written for seed 004's
    transparent interfaces keep refusing them by default."""
    from thermokinetic.transport.noncollinear import layers_from_stack, solve_stack
    from thermokinetic.transport.stack import Interface, Stack

    st = si_stack([1, 0, 0])
    ifs = list(st.interfaces)
    ifs[1] = Interface.create(r_b=1e-15, gamma=0.5)
    rough = Stack(st.layers, tuple(ifs), st.current_density)
    with pytest.raises(ParameterError, match=r"fixed\|spacer.*keep"):
        solve_stack(rough)
    with pytest.raises(ParameterError, match="fixed|spacer"):
        layers_from_stack(rough)
    # a finite mixing conductance alone is not transparent either
    mixed = Stack(st.layers, (Interface(), Interface(0.0, 0.0, 1e15), Interface(), Interface()), st.current_density)
    with pytest.raises(ParameterError, match="G_mix_re"):
        solve_stack(mixed)
    drop, base = solve_stack(rough, interfaces="drop"), solve_stack(st)
    assert np.array_equal(drop.mu, base.mu) and drop.R_ne == base.R_ne
    keep = solve_stack(rough, interfaces="keep")
    assert keep.R_ne != base.R_ne and keep.R_eq == pytest.approx(base.R_eq + ifs[1].r_eq, rel=1e-15)
    with pytest.raises(ParameterError, match="interfaces"):
        solve_stack(rough, interfaces="ignore")


def test_case_file_noncollinear_and_unknown_key(tmp_path):
    from pathlib import Path

    from thermokinetic.transport.noncollinear import solve_stack
    from thermokinetic.transport.stack import load_case

    path = Path(__file__).resolve().parents[2] / "cases" / "spinvalve_noncollinear.toml"
    case = load_case(path)
    assert case.model == "noncollinear"
    res = solve_stack(case.stack, case.points_per_layer, case.lead_extent)
    # the case file is the SI stack of si_stack([1, 0, 0]): same R_ne to rounding
    assert res.R_ne == pytest.approx(solve_stack(si_stack([1, 0, 0])).R_ne, rel=1e-13)
    bad = tmp_path / "bad.toml"
    bad.write_text(path.read_text().replace("beta = 0.6", "beta = 0.6\npolarisation = 0.3"))
    with pytest.raises(ParameterError, match="free.*polarisation"):
        load_case(bad)
    nodir = tmp_path / "nodir.toml"
    nodir.write_text(path.read_text().replace("direction = [1.0, 0.0, 0.0]\n", ""))
    with pytest.raises(ParameterError, match="free.*direction"):
        load_case(nodir)
