"""Resonance study: the closed-form axial FMR (Φ shifts ω, χ shifts Γ), loss of damping at J_c, CLI case."""
from __future__ import annotations

import numpy as np
import pytest

from thermokinetic.llg import fmr_axial_closed_form
from thermokinetic.studies.model import MacrospinModel, cos_callable
from thermokinetic.studies.resonance import resonance

from ._cases import run_case_cli


def test_axial_cosine_against_closed_form():
    # about +z: ω = (2σ(1+h) − c_Φ J)/(2α), Γ = σ(1+h) + c_χ J/(2α); the Jacobian is by finite differences
    # of the drift (fd_step 1e-3, central: O(step²) but exact for this quadratic-in-tangent drift up to
    # rounding; measured ≤ 1e-12 relative) — 1e-8 relative
    sigma, h, alpha, cchi, cphi = 5.0, 0.1, 0.2, 0.3, 0.7
    m = MacrospinModel(sigma=sigma, h=h, alpha=alpha, chi=cos_callable(cchi), phi=cos_callable(cphi), start=(0, 0, 1))
    J = np.array([-3.0, 0.0, 1.0, 3.0, 10.0])
    r = resonance(m, J)
    for j, w, g in zip(J, r.omega, r.damping_rate):
        w0, g0 = fmr_axial_closed_form(sigma, h, alpha, cphi * j, cchi * j)
        assert w == pytest.approx(w0, rel=1e-8)
        assert g == pytest.approx(g0, rel=1e-8)


def test_zero_current_and_instability():
    # J = 0: Kittel/Gilbert ω = σ(1+h)/α, Γ = σ(1+h); χ = −u_z destabilizes +z at J_c = 2ασ(1+h)/c
    sigma, h, alpha, c = 5.0, 0.1, 0.2, 1.0
    m = MacrospinModel(sigma=sigma, h=h, alpha=alpha, chi=cos_callable(-c), start=(0, 0, 1))
    Jc = 2 * alpha * sigma * (1 + h) / c
    r = resonance(m, [0.0, 0.5 * Jc, 1.2 * Jc])
    assert r.omega[0] == pytest.approx(sigma * (1 + h) / alpha, rel=1e-10)
    assert r.damping_rate[0] == pytest.approx(sigma * (1 + h), rel=1e-10)
    assert r.damping_rate[1] == pytest.approx(0.5 * sigma * (1 + h), rel=1e-8)
    assert r.status[2] == "unstable" and np.isnan(r.damping_rate[2])


def test_case_cli(tmp_path, capsys):
    s = run_case_cli("study_resonance", tmp_path, capsys)
    for key in ("current", "omega_per_tauN", "damping_rate_per_tauN", "frequency_Hz", "linewidth_Hz", "status"):
        assert key in s
    k0 = s["current"].index(0.0)
    # h = 0, J = 0: Γ = σ exactly (in 1/τ_N(T)); the -z state loses damping within the scanned range
    assert s["damping_rate_per_tauN"][k0] == pytest.approx(s["model"]["sigma_T_ref"], rel=1e-9)
    assert s["status"][-1] == "unstable" and s["status"][0] == "stable"


def test_run_cli_text_summary_for_a_non_barrier_study(tmp_path, capsys):
    from thermokinetic.cli import main

    assert main(["run", "cases/study_resonance.toml", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "resonance" in out and "files:" in out and "sigma: 50.17" in out


def test_cocu_pillar_device_case_kittel_resonance(tmp_path):
    """cases/device_cocu_pillar.toml: the in-plane 150 × 50 × 3 nm Co ellipse from its geometry.  At J = 0
    the resonance is Kittel's, ω = γμ0/(1+α²) √(H₁H₂ − (α(H₂−H₁)/2)²) with the stiffness fields
    H₁ = Ms(N_w − N_l), H₂ = Ms(N_n − N_l), and the FWHM 2Γ = γμ0 α (H₁ + H₂)/(1 + α²) (closed forms
    of the linearized LLG about the easy axis); a positive current narrows the line until the
    antiparallel state loses stability."""
    import math
    from pathlib import Path

    from thermokinetic.studies.run import run
    from thermokinetic.units import GAMMA_E, MU0

    case = Path(__file__).resolve().parents[2] / "cases" / "device_cocu_pillar.toml"
    s = run(case, out=tmp_path, progress=False)
    fl = s["model"]["free_layer"]
    assert fl["orientation"] == "in-plane" and fl["easy_axis"] == "length" and 300 < fl["Delta"] < 450
    Nl, Nw, Nn = fl["demag_factors"]
    H1, H2, a = 1.4e6 * (Nw - Nl), 1.4e6 * (Nn - Nl), 0.01
    k0 = s["current"].index(0.0)
    g = GAMMA_E * MU0
    f = g / (1 + a * a) * math.sqrt(H1 * H2 - (a * (H2 - H1) / 2) ** 2) / (2 * math.pi)
    assert s["frequency_Hz"][k0] == pytest.approx(f, rel=1e-9)
    assert s["linewidth_Hz"][k0] == pytest.approx(g * a * (H1 + H2) / (1 + a * a) / (2 * math.pi), rel=1e-9)
    lw = [w for J, w in zip(s["current"], s["linewidth_Hz"]) if J >= 0 and w is not None]
    assert len(lw) >= 4 and np.all(np.diff(lw) < 0)
    assert s["status"][-1] == "unstable"
    # the headline J_c against the closed form of the linearized LLG with a damping-like torque about the
    # antiparallel state: the line closes at J_c = e mu0 Ms t alpha (H1 + H2) / (hbar eta), with eta the
    # absorbed spin current per unit charge current per sin(theta) at theta -> pi, from an independent
    # solve of the stack (interface resistances and mixing conductances kept)
    from thermokinetic.coupling import DiffusiveTorqueCoupler
    from thermokinetic.transport.stack import load_case
    from thermokinetic.units import E_CHARGE, HBAR

    coupler = DiffusiveTorqueCoupler(load_case(case.parent / "stack_cocu_pillar.toml").stack, "Co_free")
    eps = 1e-3
    p = coupler.polarizer
    e = np.cross(p, [0.0, 1.0, 0.0]) if abs(p[1]) < 0.9 else np.cross(p, [1.0, 0.0, 0.0])
    e /= np.linalg.norm(e)
    eta = np.linalg.norm(coupler.torque((-math.cos(eps) * p + math.sin(eps) * e)[None])[0]) / math.sin(eps)
    jc = E_CHARGE * MU0 * 1.4e6 * 3e-9 * a * (H1 + H2) / (HBAR * eta)
    J = np.array(s["current"], float)
    w = np.array([np.nan if x is None else x for x in s["linewidth_Hz"]])
    k = int(np.flatnonzero((J > 0) & np.isnan(w))[0])  # first unstable current; the line is linear in J
    j0 = J[k - 2] + (J[k - 1] - J[k - 2]) * w[k - 2] / (w[k - 2] - w[k - 1])
    assert 0.3 < eta < 1.0  # Slonczewski-like with the mixing conductance (an infinite one gave 15.8)
    assert j0 == pytest.approx(jc, rel=1e-3)
