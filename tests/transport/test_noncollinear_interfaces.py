"""Interface resistances and the mixing conductance in the noncollinear solver (magnetoelectronic
circuit theory; ``thermokinetic.transport.noncollinear`` module docstring).

Truths: (a) an independent finite-difference discretization of the same boundary-value problem
(node-based, second-order one-sided currents, the interface laws written as equations rather than
as the solver's constrained bases), converging at its order 2; (b) the collinear two-channel
solver (channel potentials, ``μ_s(right) − μ_s(left) = −r_s J_s``) at θ = 0 and 180°; (c) the
seed-004 solver itself, reproduced bit for bit by the defaults and approached at first order in
1/G as the interface conductances grow; (d) exact limits and symmetries of the mixing conductance
(no torque at G_mix = 0, linear onset, the mirror y → −y maps Im G_mix to −Im G_mix); (e) the
second law (positive dissipation, δP = j0 δV) and Onsager(–Casimir) reciprocity with spin pumping.

Run: .venv/bin/python -m pytest tests/transport/test_noncollinear_interfaces.py -q
"""
import math

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.integrate import simpson

from thermokinetic.errors import ParameterError
from thermokinetic.transport.noncollinear import (
    Interface,
    Layer,
    free_layer_torque,
    interfaces_from_stack,
    layers_from_stack,
    pumped,
    solve,
    solve_stack,
)

TH = math.radians(70)
M2 = (math.sin(TH), 0.0, math.cos(TH))


def _stack(l_perp=None):
    """N lead | N1 | F1 | N2 | F2 | N3 (sink): every kind of interface below."""
    kw = {} if l_perp is None else {"l_perp": l_perp}
    return [Layer("N", G=1.5, l=1.2, name="lead"),
            Layer("N", G=2.0, l=1.5, d=0.4, name="N1"),
            Layer("F", G=1.0, l=0.6, d=0.9, p=0.5, m=(0, 0, 1), name="F1"),
            Layer("N", G=3.0, l=2.0, d=0.7, name="N2"),
            Layer("F", G=1.4, l=0.5, d=0.8, p=0.35, m=M2, name="F2", **kw),
            Layer("N", G=2.0, l=1.0, d=1.1, name="N3")]


#: N/N resistive; N/F with finite G_s and complex G_mix; F/N with finite G_s, infinite mixing;
#: N/F with finite G_s and G_mix (Im < 0); F/N transparent
ITFS = [Interface(G_up=4.0, G_dn=4.0, name="lead|N1"),
        Interface(G_up=3.0, G_dn=0.8, G_mix_re=2.5, G_mix_im=0.6, name="N1|F1"),
        Interface(G_up=1.7, G_dn=2.9, name="F1|N2"),
        Interface(G_up=2.2, G_dn=0.9, G_mix_re=1.1, G_mix_im=-0.4, name="N2|F2"),
        None]
#: the other branches: μ·m continuous with a finite mixing conductance (absorbing and finite-λ⊥
#: F layers), r_maj = 0 (γ = 1), a resistive interface whose transverse part is transparent next
#: to a finite-λ⊥ F layer (shared transverse accumulation)
ITFS_B = [None,
          Interface(G_up=math.inf, G_dn=2.0, name="N1|F1"),
          Interface(G_mix_re=1.8, G_mix_im=0.5, name="F1|N2"),
          Interface(G_up=2.5, G_dn=1.2, name="N2|F2"),
          Interface(G_mix_re=1.3, G_mix_im=-0.7, name="F2|N3")]


# ----------------------------------------------------------------------------------------------
# (a) independent finite differences
# ----------------------------------------------------------------------------------------------
def _frame(m):
    m = np.asarray(m, float)
    a = np.array([1.0, 0, 0]) if abs(m[0]) < 0.9 else np.array([0, 1.0, 0])
    e1 = a - (a @ m) * m
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(m, e1)


def fd_solve(layers, interfaces, j0=1.0, n_per_length=40, tail=14.0):
    """Finite differences for the interface BVP (semi-infinite layers: N or absorbing F).

    Per layer, nodes x_0..x_N; unknowns μ (3-vector) or c (μ = c m in an absorbing F layer).
    Interior: A μ'' − R μ = 0 (central, O(h²)), A = G l (P∥) + G⊥ l⊥ P⊥, R = G/l P∥ + G⊥/l⊥ P⊥.
    End currents js = p j0 m − A μ' with second-order one-sided μ'.  Outer ends: μ = 0 (sink) or
    the exact decay condition js − p j0 m = ∓G μ of a semi-infinite layer cut at ``tail`` l.
    Interfaces: the spin current js_I = γ j0 m + G_s P∥Δ + Re G_mix P⊥Δ + Im G_mix Δ×m; current
    balance in every direction where a side has an unknown; infinite conductances as continuity
    equations instead.
    """
    nl = len(layers)
    nodes, A, R, pm, h, E = [], [], [], [], [], []
    n = 0
    for i, lay in enumerate(layers):
        m = np.asarray(lay.m) if lay.is_f else None
        lmin = min(lay.l, lay.l_perp) if lay.finite_transverse else lay.l
        lmax = max(lay.l, lay.l_perp) if lay.finite_transverse else lay.l
        Lg = lay.d if lay.d < math.inf else tail * lmax
        N = int(math.ceil(Lg / lmin)) * n_per_length  # doubling n_per_length halves every h exactly
        if lay.finite_transverse:
            Pp = np.outer(m, m)
            A.append(lay.G * lay.l * Pp + lay.G_perp * lay.l_perp * (np.eye(3) - Pp))
            R.append(lay.G / lay.l * Pp + lay.G_perp / lay.l_perp * (np.eye(3) - Pp))
        else:
            A.append(lay.G * lay.l * np.eye(3))
            R.append(lay.G / lay.l * np.eye(3))
        E.append(m[:, None] if lay.absorbs else np.eye(3))
        k = E[-1].shape[1]
        nodes.append([n + j * k for j in range(N + 1)])
        n += (N + 1) * k
        h.append(Lg / N)
        pm.append(lay.p * j0 * m if lay.is_f else np.zeros(3))
    rows = []  # each row: (dict {col: coef}, rhs)

    def mu(i, j):  # linear form of μ at node j of layer i: {col: 3-vector coefficient}
        E_i, c0 = E[i], nodes[i][j]
        return {c0 + q: E_i[:, q] for q in range(E_i.shape[1])}

    def comb(*terms):  # Σ coef (3x3) @ μ-form  -> {col: 3-vector}
        out = {}
        for C, form in terms:
            for col, v in form.items():
                out[col] = out.get(col, 0) + C @ v
        return out

    def cur(i, end):  # js at an end of layer i: (form, constant)
        N = len(nodes[i]) - 1
        Ah = A[i] / (2 * h[i])
        if end == "L":
            f = comb((3 * Ah, mu(i, 0)), (-4 * Ah, mu(i, 1)), (Ah, mu(i, 2)))
        else:
            f = comb((-3 * Ah, mu(i, N)), (4 * Ah, mu(i, N - 1)), (-Ah, mu(i, N - 2)))
        return f, pm[i]

    def add(form, const, direction):  # row: direction · (form μ + const) = 0
        rows.append(({c: float(direction @ v) for c, v in form.items()}, -float(direction @ const)))

    I3 = np.eye(3)
    for i, lay in enumerate(layers):
        N = len(nodes[i]) - 1
        for j in range(1, N):
            f = comb((A[i] / h[i] ** 2, mu(i, j - 1)), (-2 * A[i] / h[i] ** 2 - R[i], mu(i, j)),
                     (A[i] / h[i] ** 2, mu(i, j + 1)))
            for q in range(E[i].shape[1]):
                add(f, np.zeros(3), E[i][:, q])
        for end, j, sgn in (("L", 0, -1.0), ("R", N, 1.0)):
            outer = (end == "L" and i == 0) or (end == "R" and i == nl - 1)
            if not outer:
                continue
            if lay.d < math.inf:  # ideal spin sink
                for q in range(E[i].shape[1]):
                    add(mu(i, j), np.zeros(3), E[i][:, q])
            else:  # js − p j0 m = sgn G μ
                f, c = cur(i, end)
                f = comb((I3, f), (-sgn * lay.G * I3, mu(i, j)))
                for q in range(E[i].shape[1]):
                    add(f, c - pm[i], E[i][:, q])
    for k in range(nl - 1):
        a, b = layers[k], layers[k + 1]
        itf = interfaces[k] if interfaces is not None and interfaces[k] is not None else Interface()
        fa, ca = cur(k, "R")
        fb, cb = cur(k + 1, "L")
        mum, mup = mu(k, len(nodes[k]) - 1), mu(k + 1, 0)
        delta = comb((I3, mum), (-I3, mup))
        if not a.is_f and not b.is_f:
            dirs = [(I3[q], True, True) for q in range(3)]
            fin_par, fin_perp, m = itf.G_s < math.inf, itf.G_s < math.inf, None
            Gam, drive = (itf.G_up * I3 if fin_par else 0), np.zeros(3)
        else:
            m = np.asarray(a.m if a.is_f else b.m)
            e1, e2 = _frame(m)
            dirs = [(m, True, True)] + [(e, not a.absorbs, not b.absorbs) for e in (e1, e2)]
            fin_par, fin_perp = itf.G_s < math.inf, itf.G_mix_re < math.inf
            W = np.array([[0, m[2], -m[1]], [-m[2], 0, m[0]], [m[1], -m[0], 0]])  # WΔ = Δ × m
            Pp = np.outer(m, m)
            Gam = ((itf.G_s * Pp) if fin_par else 0) + (
                (itf.G_mix_re * (I3 - Pp) + itf.G_mix_im * W) if fin_perp else 0)
            drive = itf.gamma * j0 * m if fin_par else np.zeros(3)
        fI = comb((Gam, delta)) if not isinstance(Gam, int) else {}
        for q, (d, left, right) in enumerate(dirs):
            finite = fin_par if (m is not None and q == 0) or m is None else fin_perp
            if finite:
                if left:  # d·(j_a − j_I) = 0
                    add(comb((I3, fa), (-I3, fI)), ca - drive, d)
                if right:  # d·(j_I − j_b) = 0
                    add(comb((I3, fI), (-I3, fb)), drive - cb, d)
            elif left and right:  # continuity of μ and of js in this direction
                add(delta, np.zeros(3), d)
                add(comb((I3, fa), (-I3, fb)), ca - cb, d)
            elif left:
                add(mum, np.zeros(3), d)
            elif right:
                add(mup, np.zeros(3), d)
    assert len(rows) == n, (len(rows), n)
    r_idx, c_idx, vals, rhs = [], [], [], np.zeros(n)
    for r, (form, c) in enumerate(rows):
        for col, v in form.items():
            r_idx.append(r), c_idx.append(col), vals.append(v)
        rhs[r] = c
    x = spla.spsolve(sp.csc_matrix((vals, (r_idx, c_idx)), shape=(n, n)), rhs)

    def val(form, const=np.zeros(3)):
        return sum((x[c] * v for c, v in form.items()), np.zeros(3)) + const

    out = {"mu_left": [], "mu_right": [], "js_left": [], "js_right": []}
    for k in range(nl - 1):
        out["mu_left"].append(val(mu(k, len(nodes[k]) - 1)))
        out["mu_right"].append(val(mu(k + 1, 0)))
        out["js_left"].append(val(*cur(k, "R")))
        out["js_right"].append(val(*cur(k + 1, "L")))
    out = {key: np.array(v) for key, v in out.items()}
    out["jumps"] = out["js_left"] - out["js_right"]
    return out


@pytest.mark.parametrize("l_perp, itfs", [(None, ITFS), (0.4, ITFS), (0.4, ITFS_B)])
def test_against_finite_differences_second_order(l_perp, itfs):
    layers = _stack(l_perp)
    s = solve(layers, interfaces=itfs)
    ex = np.concatenate([s.mu_left, s.mu_right, s.jumps])
    errs, fds = [], []
    for npl in (20, 40, 80):
        f = fd_solve(layers, itfs, n_per_length=npl)
        fds.append(np.concatenate([f["mu_left"], f["mu_right"], f["jumps"]]))
        errs.append(np.abs(fds[-1] - ex).max())
    order = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    # O(h²) scheme: measured orders 1.98, 1.99 (all three cases); the exact solver is the limit
    assert np.all(np.abs(order - 2) < 0.05), order
    scale = np.abs(ex).max()
    # h = l_min/80: (h/l)² ≈ 1.6e-4 times an O(0.1) constant (measured 1.8e-5 to 2.5e-5)
    assert errs[-1] < 2e-4 * scale
    rich = (4 * fds[2] - fds[1]) / 3  # Richardson removes the h² term: error O(h⁴)
    assert np.abs(rich - ex).max() < 1e-6 * scale  # measured 1.7e-7 to 2.5e-7
    # every kind of interface is exercised: μ jumps at the non-transparent ones, not at the others
    for k, itf in enumerate(itfs):
        jump = np.abs(s.mu_left[k] - s.mu_right[k]).max()
        assert jump == 0.0 if itf is None else jump > 1e-3 * scale


def test_touching_ferromagnets_with_a_resistive_interface_against_finite_differences():
    # F1|F2 antiparallel with an interface resistance (γ refers to F1, the left one), then N|F3
    layers = [Layer("N", G=1.0, l=1.0, name="lead"),
              Layer("F", G=1.2, l=0.7, d=0.8, p=0.4, m=(0, 0, 1), name="F1"),
              Layer("F", G=0.9, l=0.5, d=0.6, p=0.6, m=(0, 0, -1), name="F2"),
              Layer("N", G=2.0, l=1.5, d=0.5, name="N"),
              Layer("F", G=1.1, l=0.8, d=1.0, p=0.3, m=(1, 0, 0), name="F3"),
              Layer("N", G=1.0, l=1.0, name="lead2")]
    itfs = [Interface(G_up=2.0, G_dn=1.0, G_mix_re=0.7), Interface(G_up=3.0, G_dn=0.5),
            Interface(G_up=1.5, G_dn=1.5, G_mix_re=3.0, G_mix_im=1.0), None,
            Interface(G_up=2.5, G_dn=1.0, G_mix_re=0.9)]
    s = solve(layers, interfaces=itfs)
    errs = [np.abs(fd_solve(layers, itfs, n_per_length=n)["jumps"] - s.jumps).max() for n in (20, 40)]
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.05)  # O(h²): measured 4.04
    assert errs[1] < 2e-4 * np.abs(s.jumps).max()  # h = l_min/40: measured 4.9e-5
    # the F1|F2 interface: μ collinear on both sides, no spin absorbed (nothing transverse)
    assert np.abs(s.jumps[1]).max() < 1e-15 and np.abs(np.cross(s.mu_left[1], s.mu_right[1])).max() < 1e-15


# ----------------------------------------------------------------------------------------------
# (b) the collinear two-channel solver at θ = 0 and 180°
# ----------------------------------------------------------------------------------------------
def si_stack(free_dir, with_interfaces=True, G_mix=None):
    from thermokinetic.transport.stack import Interface as SI
    from thermokinetic.transport.stack import Layer as SL
    from thermokinetic.transport.stack import Stack

    layers = (SL.create("lead1", "N", math.inf, sigma=5e7, lsf=1e-8),
              SL.create("fixed", "F", 10e-9, sigma=1e7, beta=0.5, lsf=5e-9, direction=[0, 0, 1]),
              SL.create("spacer", "N", 5e-9, sigma=5e7, lsf=2e-7),
              SL.create("free", "F", 3e-9, sigma=1e7, beta=0.6, lsf=4e-9, direction=free_dir),
              SL.create("lead2", "N", math.inf, sigma=5e7, lsf=1e-8))
    mix = {} if G_mix is None else {"G_mix_re": G_mix.real, "G_mix_im": G_mix.imag}
    ifs = (SI.create(r_b=0.5e-15, gamma=0.7, **mix), SI.create(r_b=0.3e-15, gamma=-0.2, **mix),
           SI.create(r_b=0.5e-15, gamma=0.5, **mix), SI.create(r_maj=1e-15, r_min=3e-16, **mix))
    return Stack(layers, ifs if with_interfaces else None, 1e11)


@pytest.mark.parametrize("free_dir", [[0, 0, 1], [0, 0, -1]])
@pytest.mark.parametrize("G_mix", [None, 2e14 + 5e13j])
def test_collinear_limit_matches_the_two_channel_solver(free_dir, G_mix):
    from thermokinetic.transport.two_channel import solve_two_channel

    st = si_stack(free_dir, G_mix=G_mix)
    a, b = solve_stack(st, interfaces="keep"), solve_two_channel(st)
    # two exact solvers (interface values of μs vs channel-potential amplitudes): agreement to
    # rounding of a few-unknown dense solve (measured ≤ 7e-16 for R_ne, 2.3e-15 for the profile);
    # the mixing conductance cannot act at θ = 0, 180° (no transverse accumulation)
    assert a.R_ne == pytest.approx(b.R_ne, rel=1e-12)
    assert a.R_eq == pytest.approx(b.R_eq, rel=1e-13)
    assert a.R_total == pytest.approx(b.R_total, rel=1e-12)
    assert a.R_ne > 0
    acc = b.interface_accumulation()
    scale = max(max(abs(d["dmu_left"]), abs(d["dmu_right"])) for d in acc)
    for i, d in enumerate(acc):  # Δμ on both sides of every interface (global axis e_z)
        assert a.interface_mu_left[i][2] == pytest.approx(d["dmu_left"], abs=1e-12 * scale)
        assert a.interface_mu_right[i][2] == pytest.approx(d["dmu_right"], abs=1e-12 * scale)
    # the whole profile: μs·e_z against Δμ of the two-channel solution at the same points
    sol = b.solution
    for i in range(len(st.layers)):
        x = a.x[a.layer == i]
        phi, _ = sol.segment_fields(i, x)
        mu, _ = a.reduced.layer_profile(i, x)
        np.testing.assert_allclose(mu[:, 2], phi[:, 0] - phi[:, 1], rtol=0, atol=1e-12 * scale)
        assert np.abs(mu[:, :2]).max() < 1e-14 * scale  # nothing transverse
    assert np.abs(a.interface_mu_left[1] - a.interface_mu_right[1]).max() > 0.1 * scale  # jumps present


# ----------------------------------------------------------------------------------------------
# (c) the transparent limit
# ----------------------------------------------------------------------------------------------
def test_defaults_reproduce_the_seed004_solver_bit_for_bit():
    layers = _stack()
    ref = solve(layers)
    for itfs in (None, [None] * 5, [Interface()] * 5):
        s = solve(layers, interfaces=itfs)
        for key in ("mu", "mu_left", "mu_right", "jumps", "muL", "muR"):
            assert np.array_equal(getattr(s, key), getattr(ref, key)), key
        assert s.delta_r == ref.delta_r and s.dissipation == ref.dissipation
        assert s.interface_dissipation == 0.0
    U = np.random.default_rng(0).normal(size=(30, 3))
    t0 = free_layer_torque(layers, 4, U)
    t1 = free_layer_torque(layers, 4, U, interfaces=[Interface()] * 5)
    assert np.array_equal(t0.torque, t1.torque) and np.array_equal(t0.mu_parallel, t1.mu_parallel)
    # an SI stack without interfaces: every interface mode gives the same solution
    st = si_stack([1, 0, 0], with_interfaces=False)
    base = solve_stack(st)
    for mode in ("keep", "drop"):
        other = solve_stack(st, interfaces=mode)
        assert np.array_equal(other.mu, base.mu) and other.R_ne == base.R_ne and other.R_eq == base.R_eq


def test_general_assembly_with_transparent_links_equals_the_seed004_assembly():
    from thermokinetic.transport.noncollinear import _core_interfaces, _core_transparent, _directions_array

    for l_perp in (None, 0.4):
        layers = _stack(l_perp)
        U = np.random.default_rng(1).normal(size=(40, 3))
        M = np.repeat(_directions_array(layers)[None], 40, axis=0)
        M[:, 4] = U / np.linalg.norm(U, axis=1, keepdims=True)
        a = _core_transparent(layers, M, 1.0)
        b = _core_interfaces(layers, M, 1.0, None, [None] * 5)
        for x, y in zip(a, b):  # same equations, other summation order: rounding (measured 0)
            assert np.abs(x - y).max() <= 1e-14 * max(np.abs(x).max(), 1e-300)


def test_large_interface_conductances_tend_to_the_transparent_solver_at_first_order():
    layers = _stack()
    ref = solve(layers)
    errs = []
    for G in (1e2, 1e3, 1e4):
        itfs = [Interface(G_up=G, G_dn=G, name="NN"), Interface(G_up=G, G_dn=G / 3, G_mix_re=G, G_mix_im=G / 2),
                Interface(G_up=2 * G, G_dn=G, G_mix_re=3 * G), Interface(G_up=G, G_dn=G, G_mix_re=G), None]
        s = solve(layers, interfaces=itfs)
        errs.append(max(np.abs(s.mu_left - ref.mu).max(), np.abs(s.mu_right - ref.mu).max(),
                        np.abs(s.jumps - ref.jumps).max(), abs(s.delta_r - ref.delta_r)))
    # interface drops Δ = O(js/G): the error falls 10× per decade of G (measured ratios 9.83, 9.98)
    assert [errs[k] / errs[k + 1] for k in range(2)] == pytest.approx([10.0, 10.0], rel=0.03)
    assert errs[-1] < 1e-3 * np.abs(ref.mu).max()  # measured 2.3e-4 at G = 1e4


def test_finite_transverse_length_with_interfaces_tends_to_instant_absorption():
    ref = solve(_stack(), interfaces=ITFS)
    errs = [np.linalg.norm(solve(_stack(lp), interfaces=ITFS).torques["F2"] - ref.torques["F2"])
            for lp in (0.01, 0.001)]
    # first order in l_perp (as without interfaces, test_noncollinear_transverse.py): measured 9.89×, 1.1e-3
    assert errs[0] / errs[1] == pytest.approx(10.0, rel=0.05)
    assert errs[1] < 2e-3 * np.linalg.norm(ref.torques["F2"])


# ----------------------------------------------------------------------------------------------
# (d) the mixing conductance: transverse torque and field-like torque
# ----------------------------------------------------------------------------------------------
def _valve(G_mix_re, G_mix_im=0.0, theta=math.pi / 2):
    m2 = (math.sin(theta), 0.0, math.cos(theta))
    layers = [Layer("F", G=1.0, l=0.8, p=0.6, m=(0, 0, 1), name="F1"),
              Layer("N", G=2.5, l=2.0, d=0.5, name="N"),
              Layer("F", G=1.2, l=0.6, d=1.0, p=0.5, m=m2, name="F2"),
              Layer("N", G=2.0, l=1.0, d=1.0, name="N2")]
    itfs = [Interface(G_up=2.0, G_dn=0.7),
            Interface(G_up=1.5, G_dn=0.6, G_mix_re=G_mix_re, G_mix_im=G_mix_im),
            Interface(G_up=1.5, G_dn=0.6, G_mix_re=G_mix_re, G_mix_im=G_mix_im)]
    return layers, itfs


def test_torque_vanishes_with_the_mixing_conductance():
    t = {}
    for g in (0.0, 1e-4, 1e-3):
        layers, itfs = _valve(g)
        t[g] = solve(layers, interfaces=itfs).torques["F2"]
    ref = np.linalg.norm(solve(_valve(1.0)[0], interfaces=_valve(1.0)[1]).torques["F2"])
    # G_mix = 0: the transverse spin current is reflected, nothing is absorbed; the jumps are
    # differences of O(1) end currents, so rounding leaves a few 1e-16 (measured 8.7e-16)
    assert np.linalg.norm(t[0.0]) < 1e-14 * ref
    # linear onset: τ ∝ Re G_mix × μ_N⊥ (μ_N⊥ → its G_mix = 0 value): ratio 10 to O(G_mix)
    # (measured 9.992: a relative correction of order 1e-3 × the spacer's conductance scale)
    assert np.linalg.norm(t[1e-3]) / np.linalg.norm(t[1e-4]) == pytest.approx(10.0, rel=5e-3)
    # the F1 interface is seed-004-like for the transverse part (infinite mixing): F1 still absorbs
    s = solve(_valve(0.0)[0], interfaces=_valve(0.0)[1])
    assert np.linalg.norm(s.torques["F1"]) > 1e-3


def test_absorbed_spin_current_is_the_circuit_theory_boundary_condition():
    layers, itfs = _valve(0.8, 0.35, theta=1.1)
    s = solve(layers, interfaces=itfs)
    m2 = np.asarray(layers[2].m)
    # N|F2 interface: μ_N is the left side; F2|N2: the right side
    for k, muN in ((1, s.mu_left[1]), (2, s.mu_right[2])):
        expect = 0.8 * np.cross(m2, np.cross(muN, m2)) + 0.35 * np.cross(muN, m2)
        np.testing.assert_allclose(s.jumps[k], expect, rtol=0, atol=1e-15)
    # the longitudinal law across a resistive interface: js·m = γ j0 + G_s m·(μ⁻ − μ⁺)
    itf = itfs[1]
    lhs = s.js_right[1] @ m2
    assert lhs == pytest.approx(itf.gamma + itf.G_s * (s.mu_left[1] - s.mu_right[1]) @ m2, rel=1e-13)
    assert s.js_left[1] @ m2 == pytest.approx(lhs, rel=1e-13)  # continuous along m


def test_imaginary_mixing_conductance_is_a_field_like_torque_with_the_stated_sign():
    sp_, sm, s0 = (solve(L, interfaces=I) for L, I in (_valve(0.8, im) for im in (0.3, -0.3, 0.0)))
    tp, tm, t0 = sp_.torques["F2"], sm.torques["F2"], s0.torques["F2"]
    # in-plane (m1, m2 in the xz plane): Re G_mix alone gives a torque in that plane
    assert abs(t0[1]) < 1e-16 and np.linalg.norm(t0) > 1e-2
    # the mirror y → −y is an improper rotation: it maps Δ×m to −(Δ×m), i.e. Im G_mix to −Im G_mix,
    # so τ_y is odd, τ_x, τ_z and δr are even in Im G_mix (exact, rounding only)
    assert tp[1] == pytest.approx(-tm[1], rel=1e-12) and abs(tp[1]) > 1e-3
    np.testing.assert_allclose(tp[[0, 2]], tm[[0, 2]], rtol=1e-12)
    assert sp_.delta_r == pytest.approx(sm.delta_r, rel=1e-12)
    # sign: τ_FL = Im G_mix μ_N × u at the spacer side, with μ_N ≈ μ m1 and μ > 0 (j0 > 0: particles
    # from the polarizer F1 carry its majority spin into N), so for u = e_x the field-like torque is
    # along +e_y = m1 × u for Im G_mix > 0: u precesses about +μ_N, as about a field along μ_N
    muN = sp_.mu_left[1]
    assert muN[2] > 0 and muN[2] > 3 * abs(muN[0])
    assert tp[1] > 0 and np.cross(muN, sp_.layers[2].m)[1] > 0
    # linear onset of the field-like torque (odd in Im G_mix): τ_y(1e-3)/τ_y(1e-4) = 10 to O(Im²)
    ty = [solve(L, interfaces=I).torques["F2"][1] for L, I in (_valve(0.8, im) for im in (1e-4, 1e-3))]
    assert ty[1] / ty[0] == pytest.approx(10.0, rel=1e-5) and ty[0] > 0  # measured 9.9999995


# ----------------------------------------------------------------------------------------------
# (e) second law and reciprocity
# ----------------------------------------------------------------------------------------------
def test_dissipation_positive_and_equal_to_the_spin_emf_power():
    rng = np.random.default_rng(5)
    for _ in range(40):
        th = rng.uniform(0, math.pi)
        layers = [Layer("N", G=rng.uniform(0.5, 3), l=rng.uniform(0.5, 2), name="lead"),
                  Layer("F", G=rng.uniform(0.5, 3), l=rng.uniform(0.3, 2), d=rng.uniform(0.2, 2),
                        p=rng.uniform(-0.9, 0.9), m=(0, 0, 1), name="F1"),
                  Layer("N", G=rng.uniform(0.5, 3), l=rng.uniform(0.5, 3), d=rng.uniform(0.1, 2), name="N"),
                  Layer("F", G=rng.uniform(0.5, 3), l=rng.uniform(0.3, 2), d=rng.uniform(0.2, 2),
                        p=rng.uniform(-0.9, 0.9), m=(math.sin(th), 0, math.cos(th)), name="F2"),
                  Layer("N", G=rng.uniform(0.5, 3), l=rng.uniform(0.5, 2), name="lead2")]

        def rnd():
            return Interface(G_up=rng.uniform(0.2, 5), G_dn=rng.uniform(0.2, 5), G_mix_re=rng.uniform(0, 5),
                             G_mix_im=rng.uniform(-3, 3))
        s = solve(layers, j0=rng.uniform(-2, 2), interfaces=[rnd() for _ in range(4)])
        # δP = j0² δr (Tellegen: the layer-end and interface powers telescope; rounding only)
        assert s.dissipation == pytest.approx(s.j0 ** 2 * s.delta_r, rel=1e-11)
        assert s.delta_r > 0 and s.interface_dissipation >= 0


def test_dissipation_by_quadrature_with_interfaces():
    s = solve(_stack(), interfaces=ITFS)
    bulk = 0.0
    for i, (xL, xR) in enumerate(s.layer_bounds(tail=40.0)):
        x = np.linspace(xL, xR, 4001)
        mu, js = s.layer_profile(i, x)
        lay = s.layers[i]
        dmu = -(js - s.pm[i]) / (lay.G * lay.l)
        bulk += simpson(lay.G / 2 * (lay.l * (dmu ** 2).sum(1) + (mu ** 2).sum(1) / lay.l), x=x)
    itf = 0.0  # ½ Δᵀ Γ Δ, Γ's symmetric part, from the interface laws directly
    for k, x in enumerate(ITFS):
        if x is None:
            continue
        D = s.mu_left[k] - s.mu_right[k]
        lay = s.layers[k] if s.layers[k].is_f else s.layers[k + 1]
        if lay.is_f:  # an infinite conductance has Δ = 0 in its direction: no term
            m = np.asarray(lay.m)
            Dp, Dt = (D @ m) ** 2, D @ D - (D @ m) ** 2
            itf += 0.5 * ((x.G_s * Dp if x.G_s < math.inf else 0.0)
                          + (x.G_mix_re * Dt if x.G_mix_re < math.inf else 0.0))
        else:
            itf += 0.5 * x.G_up * (D @ D)
    # Simpson on 4000 intervals (error ~1e-12) and the exact interface term vs the EMF δr
    assert itf == pytest.approx(s.interface_dissipation, rel=1e-12)
    assert bulk + itf == pytest.approx(s.delta_r, rel=1e-9)
    assert itf > 0.1 * s.delta_r  # the interfaces matter here (measured 45 % of δP)


def test_pumping_reciprocity_with_interfaces_onsager_casimir():
    layers = _stack()
    rng = np.random.default_rng(4)
    U = rng.normal(size=(25, 3))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    mp = rng.normal(size=(25, 3))
    mp -= np.einsum("bi,bi->b", mp, U)[:, None] * U

    def itfs(sign):
        return [x if x is None else Interface(x.G_up, x.G_dn, x.G_mix_re, sign * x.G_mix_im) for x in ITFS]
    V = pumped(layers, 4, U, mp, interfaces=itfs(+1))["voltage"]
    tau_same = free_layer_torque(layers, 4, U, interfaces=itfs(+1)).torque
    tau_rev = free_layer_torque(layers, 4, U, interfaces=itfs(-1)).torque
    # Im G_mix is odd in the magnetization: V(Im) = ½ τ̂(−Im)·μ_pump exactly (rounding: measured 1e-16)
    np.testing.assert_allclose(V, 0.5 * np.einsum("bi,bi->b", tau_rev, mp), rtol=0, atol=1e-14)
    # ... and not with the same sign of Im (the reactive part breaks plain reciprocity)
    assert np.abs(V - 0.5 * np.einsum("bi,bi->b", tau_same, mp)).max() > 1e-3 * np.abs(V).max()
    # Im = 0: plain reciprocity V = ½ τ̂·μ_pump
    V0 = pumped(layers, 4, U, mp, interfaces=itfs(0))["voltage"]
    t0 = free_layer_torque(layers, 4, U, interfaces=itfs(0)).torque
    np.testing.assert_allclose(V0, 0.5 * np.einsum("bi,bi->b", t0, mp), rtol=0, atol=1e-14)


# ----------------------------------------------------------------------------------------------
# stack keys, validation, the coupler
# ----------------------------------------------------------------------------------------------
def test_interface_parameters_are_validated_by_name():
    with pytest.raises(ParameterError, match="I.G_up"):
        Interface(G_up=-1.0, name="I")
    with pytest.raises(ParameterError, match="I.G_mix_re"):
        Interface(G_mix_re=-0.1, name="I")
    with pytest.raises(ParameterError, match="I.G_mix_im"):
        Interface(G_mix_im=1.0, name="I")  # an Im part needs a finite Re part
    with pytest.raises(ParameterError, match="I.G_mix_im"):
        Interface(G_mix_re=1.0, G_mix_im=math.nan, name="I")
    x = Interface(G_up=math.inf, G_dn=2.0)  # r_maj = 0: γ = 1, G_s = 2 G_dn, r_eq = 0
    assert (x.gamma, x.G_s, x.r_eq) == (1.0, 4.0, 0.0)
    layers = _stack()
    with pytest.raises(ParameterError, match="lead.N1.G_dn"):
        solve(layers, interfaces=[Interface(G_up=1.0, G_dn=2.0)] + [None] * 4)
    with pytest.raises(ParameterError, match="G_mix_re"):
        solve(layers, interfaces=[Interface(G_up=1.0, G_dn=1.0, G_mix_re=1.0)] + [None] * 4)
    with pytest.raises(ParameterError, match="interfaces"):
        solve(layers, interfaces=[None] * 4)


def test_stack_file_mixing_keys(tmp_path):
    from thermokinetic.transport.stack import load_case

    from pathlib import Path

    base = tmp_path / "v.toml"
    text = (Path(__file__).resolve().parents[2] / "cases" / "stack_cocu_valve.toml").read_text()
    text = text.replace('after = "Cu_spacer"\nr_b = 0.51e-15',
                        'after = "Cu_spacer"\nG_mix_re = 5.5e14\nG_mix_im = 2e13\nr_b = 0.51e-15')
    base.write_text(text)
    st = load_case(base).stack
    assert (st.interfaces[2].G_mix_re, st.interfaces[2].G_mix_im) == (5.5e14, 2e13)
    assert math.isinf(st.interfaces[1].G_mix_re) and st.interfaces[1].G_mix_im == 0.0
    itfs = interfaces_from_stack(st)
    assert itfs[2].G_mix_re == 5.5e14 and itfs[2].G_up == pytest.approx(1 / (2 * 0.51e-15 * 0.23), rel=1e-12)
    for bad, msg in (("G_mix = 1e14", "unknown key"), ("G_mix_im = 1e13", "G_mix_im"),
                     ("G_mix_re = -1.0", "G_mix_re"), ('G_mix_re = "big"', "G_mix_re")):
        p = tmp_path / "bad.toml"
        p.write_text(text.replace('after = "Co_free"', f'after = "Co_free"\n{bad}'))
        with pytest.raises(ParameterError, match=msg):
            load_case(p)
    # a spin-independent (N/N) interface refuses a mixing conductance
    from thermokinetic.transport.stack import Interface as SI
    from thermokinetic.transport.stack import Layer as SL
    from thermokinetic.transport.stack import Stack

    nn = (SL.create("a", "N", math.inf, sigma=1e7, lsf=1e-7), SL.create("b", "N", 1e-8, sigma=1e7, lsf=1e-7),
          SL.create("c", "N", math.inf, sigma=1e7, lsf=1e-7))
    with pytest.raises(ParameterError, match="a|b.*G_mix_re"):
        Stack(nn, (SI.create(r_b=1e-15, G_mix_re=1e14), SI()), 1.0)


def test_coupler_keeps_the_interfaces_of_a_stack_unless_told_to_drop_them():
    from thermokinetic.coupling import DiffusiveTorqueCoupler
    from thermokinetic.transport.stack import Stack

    st = si_stack([0, 0, 1])
    u = np.array([[1.0, 0, 0], [0.6, 0.0, 0.8], [0.0, 0.6, -0.8]])
    keep = DiffusiveTorqueCoupler(st, "free")
    drop = DiffusiveTorqueCoupler(st, "free", transparent_interfaces=True)
    bare = DiffusiveTorqueCoupler(Stack(st.layers, None, st.current_density), "free")
    # dropping is the seed-004 coupler of the same stack without interfaces, exactly
    assert np.array_equal(drop.field(u), bare.field(u))
    # keeping: the noncollinear solver with interfaces_from_stack (per unit current, rounding)
    ref = free_layer_torque(layers_from_stack(st, interfaces="keep"), 3, u, j0=1.0,
                            interfaces=interfaces_from_stack(st)).torque
    np.testing.assert_allclose(keep.field(u), ref, rtol=1e-13, atol=1e-14 * np.abs(ref).max())
    assert np.abs(keep.field(u) - drop.field(u)).max() > 0.05 * np.abs(drop.field(u)).max()
    # u = e_x: the damping-like torque still pulls u towards the polarizer for j > 0
    assert keep.field(u)[0, 2] > 0 and abs(keep.field(u)[0, 1]) < 1e-12 * keep.field(u)[0, 2]
    with pytest.raises(ParameterError, match="interfaces"):
        DiffusiveTorqueCoupler(st, "free", interfaces=[None] * 4)
    # reduced layers take their interfaces as an argument
    layers, itfs = _valve(0.8, 0.2)
    c = DiffusiveTorqueCoupler(layers, 2, interfaces=itfs)
    np.testing.assert_allclose(c.torque(u), free_layer_torque(layers, 2, u, interfaces=itfs).torque, rtol=1e-14)


def test_cocu_valve_torque_at_90_degrees_with_and_without_interfaces():
    """cases/stack_cocu_valve.toml (Valet–Fert Co/Cu, A R_b = 0.51 fΩ m², γ = 0.77): the interfaces'
    spin asymmetry polarizes the current more than the 10 nm Co polarizer alone."""
    from pathlib import Path

    from thermokinetic.coupling import DiffusiveTorqueCoupler
    from thermokinetic.transport.stack import load_case

    st = load_case(Path(__file__).resolve().parents[2] / "cases" / "stack_cocu_valve.toml").stack
    u = np.array([[1.0, 0.0, 0.0]])
    t_keep = DiffusiveTorqueCoupler(st, "Co_free").torque(u)[0]
    t_drop = DiffusiveTorqueCoupler(st, "Co_free", transparent_interfaces=True).torque(u)[0]
    # damping-like, towards the polarizer (+z) for j > 0, in both models
    assert t_drop[2] > 0 and t_keep[2] > 0
    assert abs(t_keep[0]) < 1e-12 * t_keep[2] and abs(t_keep[1]) < 1e-12 * t_keep[2]
    # the spin-selective interfaces (γ = 0.77 > β = 0.46) inject a more polarized current into Cu:
    # a larger torque (measured 0.2591 vs 0.1025 absorbed spin current per unit current, ×2.53)
    assert t_keep[2] > 1.5 * t_drop[2]
