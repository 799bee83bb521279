"""Field vs flux form: both Boltzmann at J = 0; at U = 0 the flux form is ρ̄(1 + cJ cosθ/α) (O(h²)) and
turns negative exactly at |cJ/α| = 1; the field-form density barrier is the U − χ/α barrier; CLI case."""
from __future__ import annotations

import math

import numpy as np
import pytest

from thermokinetic.coupling import CosineCoupler
from thermokinetic.fokker_planck.coupled import flux_form_source, stationary_flux_form
from thermokinetic.fokker_planck import assemble
from thermokinetic.studies.field_vs_flux import field_vs_flux
from thermokinetic.studies.model import MacrospinModel, cos_callable, get_mesh

from ._cases import run_case_cli


def test_zero_current_both_forms_equal():
    m = MacrospinModel(sigma=6.0, alpha=0.5, chi=cos_callable(1.0), level=4)
    r = field_vs_flux(m, CosineCoupler(chi=1.0), [0.0])
    # same stationary solve at J = 0: identical to rounding
    assert np.allclose(r.profile_field[0], r.profile_flux[0], rtol=1e-12)
    assert r.min_flux[0] > 0


def test_flux_form_at_zero_anisotropy_is_linear_and_turns_negative_at_alpha_over_c():
    alpha, c = 0.5, 1.0
    cp = CosineCoupler(chi=c)
    # closed form ρ = (1 + cJx/α)/4π, measured max error 3.6e-4, 8.9e-5 (levels 3, 4): O(h²), ratio 4
    errs = []
    for L in (3, 4):
        mesh = get_mesh(L)
        x = mesh.centers[:, 2] / np.linalg.norm(mesh.centers, axis=1)
        g0 = assemble(mesh, MacrospinModel(sigma=1e-9, alpha=alpha).energy(300.0), alpha)
        rho = stationary_flux_form(g0, flux_form_source(mesh, cp, alpha), 0.3)["rho"]
        ex = (1 + c * 0.3 * x / alpha) / (4 * math.pi)
        errs.append(np.max(np.abs(rho - ex)) / ex.max())
    assert errs[1] < 1.5e-4 and 3.5 < errs[0] / errs[1] < 4.5
    # negative density iff |cJ/α| > 1 (pole cell at x = 1 up to O(h²)): threshold J = α/c = 0.5
    m = MacrospinModel(sigma=1e-9, alpha=alpha, chi=cos_callable(c), level=4)
    r = field_vs_flux(m, cp, [0.49, 0.51, -0.51])
    assert r.min_flux[0] > 0 and r.min_flux[1] < 0 and r.min_flux[2] < 0
    assert np.all(r.min_field > 0)
    assert r.negative_from == pytest.approx(0.51)


def test_field_form_density_barrier_is_the_dissipative_barrier():
    # axial, χ = cJ cosθ: the barrier of U − χ/α is σ(1 − cJ/(2σα))²; read off the level-4 density with
    # 5° bins (mesh O(h²) + ridge-bin average; measured |error| ≤ 0.025 kT)
    sigma, alpha, c = 10.0, 0.5, 1.0
    m = MacrospinModel(sigma=sigma, alpha=alpha, chi=cos_callable(c), level=4)
    J = np.array([0.0, 2.0, 4.0, 6.0])
    r = field_vs_flux(m, CosineCoupler(chi=c), J)
    assert np.allclose(r.barrier_field, sigma * (1 - c * J / (2 * sigma * alpha)) ** 2, atol=0.05)
    # the flux form's uniform-density source dominates the barrier region: negative already at J = 2
    assert r.min_flux[1] < 0 and np.isnan(r.barrier_flux[1])


def test_case_cli(tmp_path, capsys):
    s = run_case_cli("study_field_vs_flux", tmp_path, capsys)
    for key in ("current", "barrier_field_kT", "barrier_flux_kT", "min_density_flux", "flux_negative_from"):
        assert key in s
    k0 = s["current"].index(0.0)
    assert s["barrier_field_kT"][k0] == pytest.approx(s["barrier_flux_kT"][k0], rel=1e-12)
