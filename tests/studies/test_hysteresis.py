"""Hysteresis study: Stoner–Wohlfarth at J = 0, the exact loop shift −cJ/(2σα) for χ = c cosθ, CLI case."""
from __future__ import annotations

import numpy as np
import pytest

from thermokinetic.studies.hysteresis import hysteresis
from thermokinetic.studies.model import MacrospinModel, cos_callable

from ._cases import run_case_cli


def test_zero_current_is_stoner_wohlfarth():
    # ψ = 30°: astroid switching field 1/(cos^{2/3}ψ + sin^{2/3}ψ)^{3/2} = 0.5240 (bisection tol 1e-7)
    psi = 30.0
    r = hysteresis(MacrospinModel(sigma=1.0, alpha=1.0, psi=psi), [0.0], np.linspace(-1.2, 1.2, 25))
    t = np.radians(psi)
    hsw = 1 / (np.cos(t) ** (2 / 3) + np.sin(t) ** (2 / 3)) ** 1.5
    assert r.coercivity[0] == pytest.approx(hsw, abs=1e-6)
    assert r.shift[0] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.slow  # 3-11 s: outside the 3-minute default run (still run by CI)
def test_axial_cosine_chi_shifts_loop_exactly():
    # χ = cJ cosθ enters only via U − χ/α: the loop centre moves to −cJ/(2σα), coercivity stays 1
    # (bisection tolerance 1e-7 on each field; measured |error| ≤ 1e-8)
    sigma, alpha, c = 2.0, 0.5, 0.3
    J = np.array([-2.0, 2.0])
    r = hysteresis(MacrospinModel(sigma=sigma, alpha=alpha, chi=cos_callable(c)), J, np.linspace(-1.8, 1.8, 25))
    assert np.allclose(r.shift, -c * J / (2 * sigma * alpha), atol=1e-6)
    assert np.allclose(r.coercivity, 1.0, atol=1e-6)


@pytest.mark.slow
def test_case_cli(tmp_path, capsys):
    s = run_case_cli("study_hysteresis", tmp_path, capsys)
    for key in ("current", "h_switch_down", "h_switch_up", "shift", "coercivity"):
        assert key in s
    k0 = s["current"].index(0.0)
    t = np.radians(20.0)
    assert s["coercivity"][k0] == pytest.approx(1 / (np.cos(t) ** (2 / 3) + np.sin(t) ** (2 / 3)) ** 1.5, abs=1e-6)
