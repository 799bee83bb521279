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
