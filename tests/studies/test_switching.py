"""Switching probability study: J = 0 reduction to the engine, the two-state law, P(t50) = ½, CLI case."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import escape_rates, find_wells, switching_probability
from thermokinetic.studies.model import MacrospinModel, cos_callable
from thermokinetic.studies.switching import switching

from ._cases import run_case_cli

# sigma = 8: the largest barrier geodesic level 3 resolves (the engine's check_resolution); alpha = 1
MODEL = dict(sigma=8.0, alpha=1.0, chi=cos_callable(1.0), level=3)
T = np.logspace(-2, 5, 22)


@pytest.fixture(scope="module")
def res():
    """The mesh path (the axial model would take the exact 1D reduction under method="auto")."""
    return switching(MacrospinModel(**MODEL), [0.0, 2.0, 4.0], T, method="mesh")


@pytest.mark.slow  # 3-11 s: outside the 3-minute default run (still run by CI)
def test_zero_current_equals_engine(res):
    # At J = 0 the pulse-and-read protocol is the engine's switching_probability (same basins, same
    # initial state); two different time integrators: exact eigendecomposition vs the engine's BDF at
    # rtol 1e-8 (measured max |ΔP| = 1.6e-8, relative 3.4e-8; 2.5e-9 at rtol 1e-9, which takes 50 s).
    m = MacrospinModel(**MODEL)
    gen = m.generator(0.0, 300.0, 3)
    w = find_wells(gen)
    k = int(np.argmax([-x.direction[2] for x in w]))
    ref = switching_probability(gen, T, start=k, wells=w, rtol=1e-8)
    assert np.max(np.abs(res.probability[0] - ref)) < 5e-8
    assert np.max(np.abs(res.probability[0] - ref) / ref) < 1e-7
    # symmetric wells: P → ½ but never crosses it, so no t50
    assert res.p_infinity[0] == pytest.approx(0.5, abs=1e-4)
    assert np.isnan(res.t50[0])


@pytest.mark.parametrize("i", [0, 1])
def test_two_state_law_against_escape_rates(res, i):
    # After the intra-well transient P(t) = P∞(1 − e^{−λ₁t}) with λ₁ from the exact flux-over-population
    # solver (an independent method); at t ≥ 100 τ_N the transient has decayed (measured deviation
    # ≤ 7e-4 at t = 100, then smaller); small t: P ≈ Γ t.
    m = MacrospinModel(**MODEL)
    er = escape_rates(m.generator(res.currents[i], 300.0, 3))
    lam = er.lambda1
    sel = (T >= 100) & (T <= 1e4)
    two = res.p_infinity[i] * -np.expm1(-lam * T[sel])
    assert np.max(np.abs(res.probability[i][sel] / two - 1)) < 1.5e-3
    assert res.rate[i] == pytest.approx(max(er.escape_rates), rel=1e-12)


def test_t50_is_where_p_is_half_and_decreases_with_current(res):
    for i in (1, 2):
        Pi = np.interp(np.log(res.t50[i]), np.log(T), res.probability[i])
        # log-linear interpolation on a grid of 3 points per decade: |P(t50) − ½| ≲ curvature × Δ² (measured < 0.03)
        assert abs(Pi - 0.5) < 0.05
    assert res.t50[2] < res.t50[1]


def test_bad_input():
    m = MacrospinModel(**MODEL)
    with pytest.raises(ParameterError, match="durations"):
        switching(m, [0.0], [-1.0, 1.0])
    with pytest.raises(ParameterError, match="currents"):
        switching(m, [np.nan], T)


@pytest.mark.slow  # 3-11 s: outside the 3-minute default run (still run by CI)
def test_case_cli(tmp_path, capsys):
    s = run_case_cli("study_switching", tmp_path, capsys)
    for key in ("current", "duration", "probability", "t50", "rate", "p_infinity", "status"):
        assert key in s
    assert s["p_infinity"][0] == pytest.approx(0.5, abs=1e-4)


@pytest.mark.slow
def test_above_the_critical_current_the_pulse_is_resolved_and_tends_to_the_exact_1d_reduction():
    """σ = 8, α = 0.5, χ = J u_z: J = 10 is above J_c = 2σα = 8, where the plain central precession flux
    has growing modes on a coarse mesh (every such current used to come out 'unresolved').  The pulse
    now evolves with the Markov (M-matrix) generator: P(t) converges to the exact 1D reduction
    (1 − WER of the mirrored problem, start +e_z with χ = −J u_z), its error falling ~4× per level."""
    import numpy as np

    from thermokinetic.fokker_planck.wer import compute_wer
    from thermokinetic.studies.run import build_model, load_study_case
    from thermokinetic.studies.switching import switching

    cfg, base = load_study_case(Path(__file__).resolve().parents[2] / "cases" / "study_switching.toml")
    model, _ = build_model(cfg, base)
    t = np.array([0.2, 0.3, 0.5, 1.0])
    exact = 1 - np.asarray(compute_wer(sigma=8.0, alpha=0.5, chi_cos=-10.0, times=t, rtol=1e-8)["wer"])
    err = []
    for level in (4, 5):
        r = switching(model, [10.0], t, level=level, method="mesh")
        assert r.status == ["ok"]
        err.append(np.max(np.abs(r.probability[0] / exact - 1)))
    assert err[1] < 0.01 and err[0] / err[1] > 3.0, err


@pytest.mark.slow
def test_axial_models_take_the_exact_1d_reduction_which_the_mesh_approaches():
    """method="auto" on an axial model: P = 1 − WER of the exact 1D reduction (start region: the J = 0
    basin).  The mesh path converges to it at second order (geodesic levels 3 → 4: max |ΔP| measured
    5.8e-3 → 1.5e-3, ratio 4.0), an independent discretization of the same protocol."""
    m = MacrospinModel(**MODEL)
    t = np.logspace(-1, 3, 9)
    ax = switching(m, [2.0], t)
    assert ax.method == "axial" and ax.level is None and ax.status == ["ok"]
    err = [np.max(np.abs(switching(m, [2.0], t, level=L, method="mesh").probability[0] - ax.probability[0]))
           for L in (3, 4)]
    assert err[1] < 2e-3 and err[0] / err[1] > 3.0, err
    with pytest.raises(ParameterError, match="method"):
        switching(MacrospinModel(sigma=8.0, alpha=1.0, chi=cos_callable(1.0), h=0.2, psi=30.0), [0.0], t,
                  method="axial")


def test_axial_switching_at_a_device_barrier_follows_the_two_state_law():
    """σ = 40 (beyond the σ ≲ 9 of the dense mesh path): at J = 0 the wells are mirror images, so after the
    intra-well transient P(t) = ½(1 − e^{−λ₁t}) with λ₁ the exact 1D eigenvalue (an independent solver:
    the flux-over-population eigenproblem of :func:`lambda1_uniaxial`, against the WER's modal sum)."""
    from thermokinetic.fokker_planck import lambda1_uniaxial

    lam = lambda1_uniaxial(40.0)
    t = np.logspace(0, np.log10(5 / lam), 12)
    r = switching(MacrospinModel(sigma=40.0, alpha=1.0, chi=cos_callable(1.0)), [0.0, 60.0], t)
    two = 0.5 * -np.expm1(-lam * t)
    # early on the intra-well transient (O(e^{-σ}) absolute) dominates λ₁t/2; from 1e7 τ_N it has decayed
    # (measured relative deviation ≤ 5e-9 there)
    late = t >= 1e7
    assert late.sum() >= 6 and np.max(np.abs(r.probability[0][late] / two[late] - 1)) < 1e-7
    assert r.p_infinity[0] == pytest.approx(0.5, abs=1e-9)
    # J = 60: χ/α = 60 u_z shifts the field to h = 0.75, a 2.5 kT barrier out of −e_z: switched within τ_N
    assert r.probability[1][0] > 0.5 and r.p_infinity[1] > 0.999 and r.t50[1] <= 1.0
