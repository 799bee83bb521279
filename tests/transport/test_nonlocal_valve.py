"""Nonlocal spin valve (thermokinetic.transport.nonlocal_valve) against independent truths.

Truths used below:

* the notes' tunnel-limit formula V = ±½ I P² λ/(σA) e^{−L/λ} (seed 000 §IV.2), i.e.
  ΔR = P² R_N e^{−L/λ}; its leading correction for finite contact resistance, from expanding the
  Takahashi–Maekawa form for r = R_c/R_N ≫ 1, is ΔR/ΔR_tunnel ≈ 1 − (1 − P²) R_N/R_c;
* the Takahashi–Maekawa closed form (PRB 67, 052409 (2003)) for two contacts;
* a second-order finite-volume discretization written here (``fd_solve``): the channel *and* the
  F electrodes are discretized on uniform grids (the F wire as a 12 λ_F long wire ending in its
  reservoir), contacts are grid nodes, no exponentials are used;
* exact properties: the mirror symmetry ↑ ↔ ↓ of a zero-current detector, linearity, the Ohmic
  drop of a detector on the current path, the e^{−L/λ} tail;
* synthetic noisy data with a known truth for the fit, and the coverage of its 1σ intervals.
"""
import math

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from thermokinetic.errors import ParameterError
from thermokinetic.transport.nonlocal_valve import (Channel, Contact, FElectrode, delta_R_nl,
                                                    delta_R_vs_L, fit_nonlocal, lateral_valve,
                                                    solve_nonlocal, takahashi_maekawa_delta_R,
                                                    tunnel_limit_delta_R, tunnel_limit_voltage)

# Cu channel 100 nm × 50 nm, λ_N = 500 nm: R_N = λ/(σA) = 2 Ω
SIG_N, LAM_N, AREA = 5e7, 500e-9, 100e-9 * 50e-9
R_N = LAM_N / (SIG_N * AREA)
P = 0.35
# Co electrode, junction 100 nm × 100 nm: R_F = λ_F/(σ_F A_J) = 0.235 Ω
CO = FElectrode(sigma_F=1.7e7, lambda_F=40e-9, p_F=0.35, area=1e-14)


def channel(**kw):
    return Channel(SIG_N, LAM_N, AREA, **kw)


# ------------------------------------------------------------------------------------------
# independent finite-volume solver
# ------------------------------------------------------------------------------------------
def fd_solve(xl, xr, ends, drain, contacts, h, hF, arm_len=12.0):
    """Finite-volume solve of the same network on a uniform channel grid of spacing h.

    ends: (left_bc, right_bc) in {"sink", "reflect"}; drain "left"/"right" (the other end is the
    reference, μ̄ = 0).  contacts: list of dicts x, R_c, P_c, m, I, electrode (FElectrode/None).
    Returns (x grid, μ↑, μ↓ on the channel, V per contact).
    """
    nN = int(round((xr - xl) / h))
    assert abs(nN * h - (xr - xl)) < 1e-9 * h
    rows, cols, vals = [], [], []
    rhs = {}
    # unknown layout: channel nodes (2 each), then per contact: F arm nodes (2 each) or V
    nunk = 2 * (nN + 1)
    arm = []
    for c in contacts:
        if c["electrode"] is None:
            arm.append(("V", nunk))
            nunk += 1
        else:
            nF = int(round(arm_len * c["electrode"].lambda_F / hF))
            arm.append(("F", nunk, nF))
            nunk += 2 * (nF + 1)
    # row bookkeeping: node equations written per spin; special nodes are remapped below
    remap = {}  # (unknown index of mu_up, spin) -> list of (row, factor)

    def stamp(node_up, spin, col, val):
        for row, fac in remap.get((node_up, spin), [(node_up + spin, 1.0)]):
            rows.append(row)
            cols.append(col)
            vals.append(fac * val)

    def source(node_up, spin, val):
        for row, fac in remap.get((node_up, spin), [(node_up + spin, 1.0)]):
            rhs[row] = rhs.get(row, 0.0) + fac * val

    def constraint(row, coeffs, val=0.0):
        for col, v in coeffs:
            rows.append(row)
            cols.append(col)
            vals.append(v)
        rhs[row] = val

    def sink_node(u, gauge):
        # charge row (up + dn) in row u, spin constraint mu_up = mu_dn in row u+1
        remap[(u, 0)] = [(u, 1.0)]
        remap[(u, 1)] = [(u, 1.0)]
        if gauge:
            remap[(u, 0)] = []
            remap[(u, 1)] = []
            constraint(u, [(u, 0.5), (u + 1, 0.5)])
        constraint(u + 1, [(u, 1.0), (u + 1, -1.0)])

    def reflect_ref_node(u):
        # spin row (up - dn) kept in row u+1, gauge mu_bar = 0 in row u
        remap[(u, 0)] = [(u + 1, 1.0)]
        remap[(u, 1)] = [(u + 1, -1.0)]
        constraint(u, [(u, 0.5), (u + 1, 0.5)])

    def wire(base, n, sig_up, sig_dn, gamma, A, hh):
        for i in range(n + 1):
            u = base + 2 * i
            w = hh if 0 < i < n else hh / 2
            for s, sg in ((0, 1.0), (1, -1.0)):  # spin flip: A w gamma (mu_s - mu_-s) leaves
                stamp(u, s, u + s, A * w * gamma)
                stamp(u, s, u + 1 - s, -A * w * gamma)
            if i < n:
                v = u + 2
                for s, sig in ((0, sig_up), (1, sig_dn)):
                    g = A * sig / hh
                    stamp(u, s, u + s, g)
                    stamp(u, s, v + s, -g)
                    stamp(v, s, v + s, g)
                    stamp(v, s, u + s, -g)

    I_drain = sum(c["I"] for c in contacts)
    left, right = 0, 2 * nN
    ref = right if drain == "left" else left
    dnode = left if drain == "left" else right
    for u, bc in ((left, ends[0]), (right, ends[1])):
        if bc == "sink":
            sink_node(u, gauge=(u == ref))
        elif u == ref:
            reflect_ref_node(u)
    # the drain current leaves its end node unpolarized
    source(dnode, 0, -0.5 * I_drain)
    source(dnode, 1, -0.5 * I_drain)
    # F arms: far node is the reservoir (mu_up = mu_dn = V), fed by the contact current
    for c, a in zip(contacts, arm):
        if a[0] == "F":
            e, base, nF = c["electrode"], a[1], a[2]
            far = base + 2 * nF
            sink_node(far, gauge=False)
            source(far, 0, 0.5 * c["I"])
            source(far, 1, 0.5 * c["I"])
    # channel wire: sigma_up = sigma_dn = sigma/2, gamma = sigma/(4 lambda^2)
    wire(0, nN, SIG_N / 2, SIG_N / 2, SIG_N / (4 * LAM_N**2), AREA, h)
    for c, a in zip(contacts, arm):
        k = int(round((c["x"] - xl) / h))
        assert abs(xl + k * h - c["x"]) < 1e-9 * h
        u = 2 * k
        mp = c["m"] * c["P_c"]
        G = ((1 + mp) / (2 * c["R_c"]), (1 - mp) / (2 * c["R_c"]))
        if a[0] == "V":
            V = a[1]
            for s in (0, 1):
                stamp(u, s, u + s, G[s])
                stamp(u, s, V, -G[s])
            constraint(V, [(V, G[0] + G[1]), (u, -G[0]), (u + 1, -G[1])], c["I"])
        else:
            e, base, nF = c["electrode"], a[1], a[2]
            pF = c["m"] * e.p_F
            su, sd = e.sigma_F * (1 + pF) / 2, e.sigma_F * (1 - pF) / 2
            gam = 1.0 / (e.lambda_F**2 * (1 / su + 1 / sd))
            wire(base, nF, su, sd, gam, e.area, hF)
            for s in (0, 1):
                stamp(u, s, u + s, G[s])
                stamp(u, s, base + s, -G[s])
                stamp(base, s, base + s, G[s])
                stamp(base, s, u + s, -G[s])
    M = sp.coo_matrix((vals, (rows, cols)), shape=(nunk, nunk)).tocsc()
    b = np.zeros(nunk)
    for r, v in rhs.items():
        b[r] = v
    sol = spla.spsolve(M, b)
    assert np.linalg.norm(M @ sol - b) <= 1e-9 * np.linalg.norm(b)
    V = []
    for a in arm:
        if a[0] == "V":
            V.append(sol[a[1]])
        else:
            far = a[1] + 2 * a[2]
            V.append(0.5 * (sol[far] + sol[far + 1]))
    x = xl + h * np.arange(nN + 1)
    return x, sol[0:2 * nN + 2:2], sol[1:2 * nN + 2:2], np.array(V)


# branched network: injector, a detector on the current path, two detectors and a passive
# (antiparallel, nearly transparent) absorber between them, on a finite channel
FD_CONTACTS = [
    dict(x=0.0, R_c=5.0, P_c=0.30, m=1, I=1e-3, electrode=CO),
    dict(x=-0.5e-6, R_c=8.0, P_c=0.35, m=1, I=0.0, electrode=None),
    dict(x=0.5e-6, R_c=3.0, P_c=0.35, m=1, I=0.0, electrode=None),
    dict(x=1.0e-6, R_c=0.1, P_c=0.20, m=-1, I=0.0, electrode=CO),
    dict(x=1.75e-6, R_c=20.0, P_c=0.40, m=-1, I=0.0, electrode=CO),
]
FD_CASES = [(("sink", "reflect"), "left"), (("reflect", "sink"), "right")]


def _solver_contacts(cs):
    return [Contact(c["x"], c["R_c"], c["P_c"], c["m"], c["I"], c["electrode"]) for c in cs]


@pytest.mark.parametrize("ends,drain", FD_CASES)
def test_branched_network_against_finite_volume(ends, drain):
    xl, xr = -1.5e-6, 2.5e-6
    ch = channel(x_left=xl, x_right=xr, left_end=ends[0], right_end=ends[1], drain=drain)
    exact = solve_nonlocal(ch, _solver_contacts(FD_CONTACTS))
    # the FD F arm (12 λ_F long) adds its Ohmic drop I·12λ_F/(σ_F A_F) = 2.82 mV to the
    # injector's voltage, which the exact solver leaves out (extrapolated F potential)
    expected = exact.voltages.copy()
    inj = FD_CONTACTS[0]
    expected[0] += inj["I"] * 12 * CO.lambda_F / (CO.sigma_F * CO.area)
    errs, prof_errs, js_errs, Vs = [], [], [], []
    for k in (1, 2, 4):
        h, hF = 25e-9 / k, 5e-9 / k
        x, mu_up, mu_dn, V = fd_solve(xl, xr, ends, drain, FD_CONTACTS, h, hF)
        errs.append(np.max(np.abs(V / expected - 1)))
        Vs.append(V)
        mus = mu_up - mu_dn
        prof_errs.append(np.max(np.abs(mus - exact.mu_s(x))) / np.max(np.abs(mus)))
        # spin-current density at cell midpoints: second order there
        xm = 0.5 * (x[1:] + x[:-1])
        js_fd = -(SIG_N / 2) * np.diff(mus) / h
        js_errs.append(np.max(np.abs(js_fd - exact.spin_current(xm))) / np.max(np.abs(js_fd)))
    # measured relative errors of the 5 contact voltages, h = 25, 12.5, 6.25 nm:
    # sink/reflect: 1.0e-3, 2.5e-4, 6.2e-5; reflect/sink: 1.6e-4, 4.0e-5, 9.9e-6;
    # μs profile 3.0e-4 → 1.9e-5, j_s at midpoints 2.9e-4 → 1.8e-5 (both cases)
    assert errs[-1] < 1e-4
    assert prof_errs[-1] < 1e-4 and js_errs[-1] < 1e-4
    # O(h²): each halving divides the error by 4 (measured ratios 3.98–4.00)
    for e in (errs, prof_errs, js_errs):
        for a, b in zip(e, e[1:]):
            assert 3.7 < a / b < 4.3, e
    # Richardson extrapolation removes the h² term: measured agreement 2.4e-7 (sink/reflect),
    # 8.3e-9 (reflect/sink); what remains is O(h⁴)
    rich = (4 * Vs[2] - Vs[1]) / 3
    assert np.max(np.abs(rich / expected - 1)) < 1e-6


# ------------------------------------------------------------------------------------------
# closed forms
# ------------------------------------------------------------------------------------------
def test_tunnel_limit_matches_notes_and_improves_with_R_c():
    ch = channel()
    L = 1e-6
    notes = tunnel_limit_delta_R(P, LAM_N, SIG_N, AREA, L)
    # ½ in V, not in ΔR: V_P = ½ I P² R_N e^{−L/λ}
    assert notes == pytest.approx(2 * tunnel_limit_voltage(1.0, P, LAM_N, SIG_N, AREA, L), rel=1e-15)
    devs = []
    for Rc in (1.0, 10.0, 100.0, 1e3, 1e4):
        r = solve_nonlocal(ch, lateral_valve(L, Contact(0.0, Rc, P), Contact(0.0, Rc, P), I=2e-4))
        vp = r.V_nl(1)
        # the voltage itself against the notes (+ for parallel)
        v_notes = tunnel_limit_voltage(2e-4, P, LAM_N, SIG_N, AREA, L, parallel=True)
        dR = delta_R_nl(ch, lateral_valve(L, Contact(0.0, Rc, P), Contact(0.0, Rc, P)))
        assert vp / v_notes == pytest.approx(dR / notes, rel=1e-12)  # V(AP) = −V(P)
        devs.append(1 - dR / notes)
        # leading correction (1 − P²) R_N/R_c, next order O((R_N/R_c)²): measured ratios
        # 0.41 (R_c = 1 Ω, not asymptotic, not checked), 0.88, 0.987, 0.9987, 0.99987
        if Rc >= 10:
            assert devs[-1] / ((1 - P**2) * R_N / Rc) == pytest.approx(1.0, abs=1.5 * R_N / Rc)
    # measured devs: 0.715, 0.155, 1.73e-2, 1.75e-3, 1.75e-4: monotone, → 1/R_c
    # (successive ratios 4.6, 8.9, 9.9, 10.0)
    assert all(a > 4 * b for a, b in zip(devs, devs[1:]))
    assert devs[-1] < 2e-4


def test_takahashi_maekawa_general_and_transparent_limit():
    ch = channel()
    rng = np.random.default_rng(7)
    # random asymmetric contacts with F spin resistance: solver vs TM closed form
    worst = 0.0
    for _ in range(20):
        e1 = FElectrode(rng.uniform(2e6, 2e7), rng.uniform(5e-9, 60e-9), rng.uniform(-0.6, 0.6), 1e-14)
        e2 = FElectrode(rng.uniform(2e6, 2e7), rng.uniform(5e-9, 60e-9), rng.uniform(-0.6, 0.6), 2e-14)
        (R1, R2), (P1, P2) = rng.uniform(1e-3, 30, 2), rng.uniform(-0.6, 0.6, 2)
        L = rng.uniform(50e-9, 3e-6)
        num = delta_R_nl(ch, lateral_valve(L, Contact(0, R1, P1, electrode=e1),
                                           Contact(0, R2, P2, electrode=e2)))
        tm = takahashi_maekawa_delta_R(L, LAM_N, SIG_N, AREA, (R1, R2), (P1, P2),
                                       (e1.R_F, e2.R_F), (e1.p_F, e2.p_F))
        worst = max(worst, abs(num / tm - 1))
    assert worst < 1e-11  # two exact evaluations: measured 1.1e-14 (rounding)
    # transparent contacts (R_c = 1 mΩ ≪ R_F ≈ 0.27 Ω ≪ R_N = 2 Ω): conductance mismatch
    L = np.array([0.25e-6, 0.5e-6, 1e-6, 2e-6])
    num = delta_R_vs_L(ch, L, Contact(0, 1e-3, P, electrode=CO), Contact(0, 1e-3, P, electrode=CO))
    tm = takahashi_maekawa_delta_R(L, LAM_N, SIG_N, AREA, 1e-3, P, CO.R_F, CO.p_F)
    np.testing.assert_allclose(num, tm, rtol=1e-11)  # measured 4.9e-14
    ratio = num / tunnel_limit_delta_R(CO.p_F, LAM_N, SIG_N, AREA, L)
    # measured ratio 0.058 (L = 0.25 µm) … 0.045 (2 µm): 17–22× below the tunnel formula with
    # the same polarization
    assert np.all(ratio < 0.08) and np.all(ratio > 0.03)
    # R_c → 0 with F reservoirs: no signal at all: measured 1.3e-6 of the tunnel value at 1 mΩ
    r0 = delta_R_nl(ch, lateral_valve(1e-6, Contact(0, 1e-3, P), Contact(0, 1e-3, P)))
    assert r0 / tunnel_limit_delta_R(P, LAM_N, SIG_N, AREA, 1e-6) < 1e-4


# ------------------------------------------------------------------------------------------
# symmetries and exact properties
# ------------------------------------------------------------------------------------------
def test_parallel_antiparallel_antisymmetry_and_linearity():
    ch = channel()
    for Rc, el in ((100.0, None), (2.0, CO)):  # tunnel, and metallic with F spin resistance
        inj = Contact(0.0, Rc, P, electrode=el)
        det = Contact(0.0, Rc, P, electrode=el)
        cs = lateral_valve(0.8e-6, inj, det, I=1e-3)
        vp = solve_nonlocal(ch, cs).V_nl(1)
        va = solve_nonlocal(ch, [cs[0], cs[1].flipped()]).V_nl(1)
        # a zero-current detector off the current path: exact ↑↔↓ mirror (measured 0 exactly)
        assert va == pytest.approx(-vp, rel=1e-12)
        v2 = solve_nonlocal(ch, lateral_valve(0.8e-6, inj, det, I=-3e-3)).V_nl(1)
        assert v2 == pytest.approx(-3 * vp, rel=1e-12)  # linear in I (measured 6e-16)


def test_detector_on_current_path_baseline_is_ohmic_drop():
    # detector between injector and drain: (V_P + V_AP)/2 = μ̄ = −I d/(σ_N A), exactly
    ch = channel(x_left=-3e-6, drain="left")
    I, d = 1e-3, 0.6e-6
    inj = Contact(0.0, 10.0, P, current=I)
    det = Contact(-d, 10.0, P)
    vp = solve_nonlocal(ch, [inj, det]).V_nl(1)
    va = solve_nonlocal(ch, [inj, det.flipped()]).V_nl(1)
    ohm = -I * d / (SIG_N * AREA)  # −2.4 mV
    assert 0.5 * (vp + va) == pytest.approx(ohm, rel=1e-12)  # measured 7e-16
    # the spin part is still the (finite-R_c) TM signal of distance d: sink end at 3 µm = 6 λ
    # changes it by ~ e^{−2·(6−1.2)} ≈ 7e-5 (measured 6.2e-5)
    tm = takahashi_maekawa_delta_R(d, LAM_N, SIG_N, AREA, 10.0, P)
    assert (vp - va) / I == pytest.approx(tm, rel=2e-4)


def test_exponential_tail():
    # transparent contacts (strong deviation from a pure exponential at short L); far tail:
    # local decay length −ΔL/ln(ΔR(L+ΔL)/ΔR(L)) → λ_N; from the TM form its relative
    # correction is −2e^{−2L/λ}/(1+2b)² with b ≈ 0.14 here: ≈ −5e-6 at L ≈ 6.25 λ
    ch = channel()
    inj = det = Contact(0.0, 1e-2, P, electrode=CO)
    L = np.array([0.1, 0.2, 6.0, 6.5]) * LAM_N
    dR = delta_R_vs_L(ch, L, inj, det)
    lam_short = -(L[1] - L[0]) / math.log(dR[1] / dR[0])
    lam_long = -(L[3] - L[2]) / math.log(dR[3] / dR[2])
    # measured: short-range decay length 0.375 λ (not exponential), tail λ(1 − 4.7e-6)
    assert abs(lam_short / LAM_N - 1) > 0.3
    assert lam_long / LAM_N == pytest.approx(1.0, abs=2e-5)
    # and the profile itself: μs(x) ∝ e^{−x/λ} beyond the last contact of an infinite channel
    r = solve_nonlocal(ch, lateral_valve(0.5e-6, inj, det))
    x = np.array([1.0, 3.0]) * 1e-6
    ms = r.mu_s(x)
    assert ms[1] / ms[0] == pytest.approx(math.exp(-2e-6 / LAM_N), rel=1e-12)  # measured 8e-16


# ------------------------------------------------------------------------------------------
# extraction of λ_N and P
# ------------------------------------------------------------------------------------------
FIT_L = np.linspace(0.25e-6, 2.0e-6, 8)
FIT_RC = 1e4  # deep tunnel: solver ΔR below the closed form by (1−P²)R_N/R_c = 1.8e-4


@pytest.fixture(scope="module")
def fit_truth():
    ch = channel()
    c = Contact(0.0, FIT_RC, P)
    return delta_R_vs_L(ch, FIT_L, c, c)


def test_fit_recovers_lambda_and_P(fit_truth):
    noise = 0.02 * fit_truth
    y = fit_truth + noise * np.random.default_rng(2024).standard_normal(FIT_L.size)
    f = fit_nonlocal(FIT_L, y, noise, sigma_N=SIG_N, area=AREA)
    assert f.absolute_sigma and f.dof == 6
    # measured: λ = 497.3 ± 3.0 nm (0.9σ off), P = 0.3543 ± 0.0037 (1.2σ off), ΔR0 = 0.2497 ± 0.0038 Ω
    assert abs(f.lambda_N - LAM_N) < 3 * f.lambda_N_err
    assert abs(f.P - P) < 3 * f.P_err
    assert abs(f.prefactor - P**2 * R_N) < 3 * f.prefactor_err
    # error bars of the expected size for 2 % noise on 8 points: measured σ_λ/λ = 0.61 %,
    # σ_P/P = 1.05 %
    assert 0.003 < f.lambda_N_err / LAM_N < 0.02 and 0.005 < f.P_err / P < 0.02


def test_fit_uncertainties_are_honest(fit_truth):
    noise = 0.02 * fit_truth
    n = 50
    cover = {"lam": 0, "P": 0, "lam_unweighted": 0, "P_unweighted": 0}
    lams, lam_errs = [], []
    for seed in range(n):
        z = np.random.default_rng(seed).standard_normal(FIT_L.size)
        f = fit_nonlocal(FIT_L, fit_truth + noise * z, noise, sigma_N=SIG_N, area=AREA)
        cover["lam"] += abs(f.lambda_N - LAM_N) < f.lambda_N_err
        cover["P"] += abs(f.P - P) < f.P_err
        lams.append(f.lambda_N)
        lam_errs.append(f.lambda_N_err)
        # no errors given: equal errors assumed, covariance scaled by χ²/dof (Student t, 6 dof:
        # 64 % expected) — honest for equal-size noise, here 1 % of the largest ΔR
        fu = fit_nonlocal(FIT_L, fit_truth + 0.01 * fit_truth[0] * z, sigma_N=SIG_N, area=AREA)
        cover["lam_unweighted"] += abs(fu.lambda_N - LAM_N) < fu.lambda_N_err
        cover["P_unweighted"] += abs(fu.P - P) < fu.P_err
    # measured coverage: λ 0.58, P 0.66, unweighted λ 0.68, P 0.64 (50 seeds: ±0.066 binomial;
    # over 200 seeds λ gives 0.645)
    for k, v in cover.items():
        assert 0.50 <= v / n <= 0.85, (k, v / n)
    # the stated σ_λ matches the actual scatter over seeds (measured ratio 1.05)
    assert 0.7 < np.std(lams, ddof=1) / np.mean(lam_errs) < 1.4


# ------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------
def _solve_two(c0, c1, **chkw):
    return solve_nonlocal(channel(**chkw), [c0, c1])


BAD = [
    (lambda: _solve_two(Contact(0, 1, P, current=1e-3), Contact(5e-6, 1, P), x_right=2e-6),
     "contacts[1].x"),
    (lambda: _solve_two(Contact(0, 1, P, current=1e-3), Contact(0.0, 2, P)), "contacts[1].x"),
    (lambda: _solve_two(Contact(-3e-6, 1, P, current=1e-3), Contact(0.0, 2, P), x_left=-3e-6),
     "contacts[0].x"),
    (lambda: Channel(SIG_N, -1e-7, AREA), "lambda_N"),
    (lambda: Channel(0.0, LAM_N, AREA), "sigma_N"),
    (lambda: Channel(SIG_N, LAM_N, float("nan")), "area"),
    (lambda: Channel(SIG_N, LAM_N, AREA, x_left=1e-6, x_right=0.0), "x_right"),
    (lambda: Channel(SIG_N, LAM_N, AREA, drain="middle"), "drain"),
    (lambda: Channel(SIG_N, LAM_N, AREA, left_end="open"), "left_end"),
    (lambda: Contact(0, -1.0, P), "R_c"),
    (lambda: Contact(0, 0.0, P), "R_c"),
    (lambda: Contact(0, 1.0, 1.0), "P_c"),
    (lambda: Contact(0, 1.0, True), "P_c"),
    (lambda: Contact(0, 1.0, P, magnetization=True), "magnetization"),
    (lambda: Contact(0, 1.0, P, magnetization=2), "magnetization"),
    (lambda: Contact(float("inf"), 1.0, P), "x"),
    (lambda: Contact(0, 1.0, P, current=float("nan")), "current"),
    (lambda: Contact.from_spin_resistances(0, 2.0, 0.0), "R_min"),
    (lambda: FElectrode(1e7, 40e-9, -1.0, 1e-14), "p_F"),
    (lambda: FElectrode(1e7, 0.0, 0.3, 1e-14), "lambda_F"),
    (lambda: tunnel_limit_delta_R(P, LAM_N, SIG_N, AREA, 0.0), "L"),
    (lambda: tunnel_limit_delta_R(P, LAM_N, SIG_N, AREA, [1e-6, -1e-6]), "L[1]"),
    (lambda: tunnel_limit_voltage(1e-3, 1.2, LAM_N, SIG_N, AREA, 1e-6), "P"),
    (lambda: takahashi_maekawa_delta_R(1e-6, LAM_N, SIG_N, AREA, (1.0, 0.0), P), "R_c[1]"),
    (lambda: lateral_valve(-1e-6, Contact(0, 1, P), Contact(0, 1, P)), "L"),
    (lambda: fit_nonlocal([1e-6, 0.0, 2e-6], [1.0, 0.5, 0.2]), "L[1]"),
    (lambda: fit_nonlocal([1e-6, 2e-6, 3e-6], [1.0, np.inf, 0.2]), "dR[1]"),
    (lambda: fit_nonlocal([1e-6, 2e-6, 3e-6], [1.0, 0.5, 0.2], [0.1, 0.0, 0.1]), "sigma_dR[1]"),
    (lambda: fit_nonlocal([1e-6, 2e-6, 3e-6], [1.0, 0.5, 0.2], sigma_N=-1.0, area=AREA), "sigma_N"),
]


@pytest.mark.parametrize("call,name", BAD)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ParameterError) as exc:
        call()
    assert exc.value.name == name
    assert exc.value.allowed  # the allowed range is stated
