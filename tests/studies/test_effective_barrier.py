"""Effective barrier / critical current study (seed 001) against exact results.

Reference: axial chi_1 = 2 sigma alpha u_z (so i = J) makes U - chi/alpha = -sigma x^2 - 2 sigma (h + J) x:
the barrier out of -e_z is exactly sigma (1 - h - J)^2 (kT_ref), b = 2, Jc = 1 - h, and the T = 0
damping rate about -e_z is sigma (1 - h) - c J / (2 alpha) (llg.fmr_axial_closed_form).
"""
import json
import math

import numpy as np
import pytest

from thermokinetic.energy import uniaxial_zeeman
from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import AxialProblem, assemble, build_mesh, compute_escape, escape_rates
from thermokinetic.llg import fmr, fmr_axial_closed_form
from thermokinetic.studies.effective_barrier import arrhenius_fit, effective_barrier, power_law_fit
from thermokinetic.studies.model import MacrospinModel, cos_callable, critical_current_T0

from ._cases import check_documented

SIG, H, ALPHA = 40.0, 0.1, 0.02
T_WINDOW = 300.0 * SIG / np.array([20.0, 26.0, 33.0, 40.0, 48.0, 60.0])  # sigma from 20 to 60


def axial_model(**kw):
    args = dict(sigma=SIG, alpha=ALPHA, h=H, chi=cos_callable(2 * SIG * ALPHA))
    args.update(kw)
    return MacrospinModel(**args)


def test_zero_current_is_the_engine_axial():
    m = axial_model()
    for T in (300.0, 200.0):
        r = m.escape(0.0, T)
        ref = AxialProblem.uniaxial(SIG * 300.0 / T, H).escape_rates()
        # same exact 1D solver on the same potential: agreement to rounding (quadrature split differs)
        assert r["rate_tauN"] == pytest.approx(ref.gamma_minus, rel=1e-10)
        # rate unit 1/tau_N(T_ref): tau_N ∝ 1/T
        assert r["rate"] == pytest.approx(ref.gamma_minus * T / 300.0, rel=1e-10)


def test_zero_current_is_the_engine_mesh():
    m = MacrospinModel(sigma=8.0, alpha=1.0, h=0.1, psi=30.0, chi=cos_callable(2.0), method="mesh", level=4)
    r = m.escape(0.0, 300.0)
    gen = assemble(build_mesh("geodesic", 4), uniaxial_zeeman(8.0, 0.1, 30.0), 1.0)
    ref = escape_rates(gen)
    k = int(np.argmax([w.direction[2] * -1 for w in ref.wells]))
    assert r["rate_tauN"] == ref.escape_rates[k]  # identical computation: exactly equal
    ce = compute_escape(sigma=8.0, h=0.1, psi=30.0, alpha=1.0, level=4)
    assert r["lambda1_tauN"] == pytest.approx(ce["lambda1_tauN"], rel=1e-12)


def test_arrhenius_fit_recovers_synthetic_law():
    x = np.array([0.6, 0.8, 1.0, 1.2, 1.5, 1.9])
    E, p, c, f0 = 33.3, 0.5, -0.7, 2.5e3
    g = f0 * x**p * np.exp(-E * x + c / x)
    fit = arrhenius_fit(x, g, "asymptotic")
    # exact model: least squares reproduces it to rounding (conditioning ~1e4 x 1e-16)
    assert fit.barrier_kT == pytest.approx(E, rel=1e-9)
    assert fit.exponent == pytest.approx(p, abs=1e-8)
    assert fit.attempt_frequency == pytest.approx(f0, rel=1e-8)
    with pytest.raises(ParameterError, match="temperatures"):
        arrhenius_fit(x[:3], g[:3], "asymptotic")


def test_power_law_fit_exact():
    J = np.linspace(-0.4, 0.5, 7)
    fit = power_law_fit(J, 12.0 * (1 - J / 0.8) ** 1.5)
    assert fit.b == pytest.approx(1.5, abs=1e-8)  # noiseless data: exact up to the solver tolerance
    assert fit.Jc == pytest.approx(0.8, rel=1e-8)


def test_axial_cos_barrier_b2_and_jc():
    res = effective_barrier(axial_model(), np.linspace(-0.4, 0.1, 6), T_WINDOW, Jc_scan=1.5)
    exact = SIG * (1 - H - res.currents) ** 2
    assert all(s == "ok" for s in res.status)
    # the exact U_d barrier the solver sees
    np.testing.assert_allclose(res.barrier_model_kT, exact, rtol=1e-9)
    # Arrhenius with prefactor x^p (1 + c/x): truncation O(1/sigma_eff^2); measured <= 4e-4 for
    # sigma_eff >= 25 at the hottest T; the reported error includes it (next-order term)
    np.testing.assert_allclose(res.barrier_kT, exact, rtol=5e-4)
    assert np.all(np.abs(res.barrier_kT - exact) <= 3 * res.barrier_err + 1e-9)
    # Brown's axial prefactor sigma^{3/2}/tau_N ∝ x^{1/2} in 1/tau_N(T_ref): p = 1/2 up to the series' truncation
    np.testing.assert_allclose(res.prefactor_exponent, 0.5, atol=0.05)
    # the plain Arrhenius slope is biased by ~p kT = 0.5 kT (the 1/sigma bias the prefactor fit removes)
    assert np.all(np.abs(res.barrier_plain_kT - exact) > 0.3)
    f = res.fit
    # b = 2 and Jc = 1 - h within 3 standard errors, the errors themselves small
    assert abs(f.b - 2.0) <= 3 * f.b_err and f.b_err < 0.01
    assert abs(f.Jc - (1 - H)) <= 3 * f.Jc_err and f.Jc_err < 0.005
    assert f.E0 == pytest.approx(SIG * (1 - H) ** 2, rel=5e-4)
    # T = 0: loss of damping exactly at i = 1 - h (Brent tolerance 1e-10 relative)
    assert res.critical_current_T0 == pytest.approx(1 - H, rel=1e-8)
    assert res.critical_current_T0_kind == "damping"
    # with Jc fixed to the T = 0 value, b = 2 again
    assert abs(res.fit_fixed_Jc.b - 2.0) <= 3 * res.fit_fixed_Jc.b_err + 1e-3
    d = res.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["exponent"] == f.b and d["critical_current_T0"] == res.critical_current_T0


@pytest.mark.parametrize("h", [0.0, 0.25, -0.3])
def test_T0_critical_current_closed_form(h):
    m = axial_model(h=h)
    cc = critical_current_T0(m, 3.0)
    assert cc.current == pytest.approx(1 - h, rel=1e-8)  # Brent on a linear function: to its tolerance
    # FMR about -e_z just below Jc: damping rate sigma(1-h) - c J/(2 alpha) (closed form, about +e_z with h -> -h)
    J = 0.5 * cc.current
    f = fmr(m.llg(J), np.array([0.0, 0.0, -1.0]))
    om, gam = fmr_axial_closed_form(SIG, -h, ALPHA, c_chi=-2 * SIG * ALPHA * J)
    assert f.damping_rate == pytest.approx(gam, rel=1e-6)  # 4th-order differences, step 1e-3
    assert abs(f.omega) == pytest.approx(abs(om), rel=1e-6)


def test_oblique_polarizer_T0_instability_is_computed():
    # polarizer tilted 0.5 rad from the easy axis: no closed form; the scan must find a finite Jc
    m = MacrospinModel(sigma=SIG, alpha=ALPHA, h=0.3, chi=cos_callable(2 * SIG * ALPHA, (np.sin(0.5), 0, np.cos(0.5))))
    assert not m.axial
    cc = critical_current_T0(m, 1.5)
    assert 0 < cc.current < 1.5 and cc.kind in ("damping", "saddle-node")
    # just below Jc the continued state is stable, just above it is not (or gone)
    from thermokinetic.llg import equilibria
    below = equilibria(m.llg(cc.current * (1 - 1e-6)), starts=np.array([cc.u]))
    assert any(e.stable and e.u @ cc.u > 0.99 for e in below)


def test_bad_temperatures():
    m = axial_model()
    with pytest.raises(ParameterError, match="temperatures"):
        effective_barrier(m, [0.0, 0.1], [300.0, 0.0, 200.0, 250.0])
    with pytest.raises(ParameterError, match="temperatures"):
        effective_barrier(m, [0.0, 0.1], [300.0, -5.0, 200.0, 250.0])
    with pytest.raises(ParameterError, match="^T="):
        m.escape(0.0, -5.0)


def test_under_resolved_current_raises_and_keeps_points(tmp_path):
    # sigma = 8 on a level-3 mesh: resolved at J >= 0; J = -0.4 deepens the -z well (stiffness
    # 2 sigma (1 + |i|)) below 2 cell spacings: the solver's ParameterError propagates
    m = MacrospinModel(sigma=8.0, alpha=1.0, h=0.0, psi=20.0, chi=cos_callable(16.0), method="mesh", level=3)
    temps = [300.0, 340.0, 400.0]
    with pytest.raises(ParameterError) as ei:
        effective_barrier(m, [0.3, 0.0, -0.4], temps, prefactor=0.0, cache_dir=tmp_path / "cache",
                          Jc_scan=1.5)
    msg = str(ei.value)
    assert "level=3" in msg and "current=-0.4" in msg and ">= 4" in msg
    kept = list((tmp_path / "cache").glob("*.json"))
    # currents are run from zero outwards, temperatures hottest first: 2 x 3 resolved points, plus
    # J = -0.4 at 400 K and 340 K (wider wells), are on disk; 300 K is the one that failed
    assert len(kept) == 8
    res = effective_barrier(m, [0.3, 0.0], temps, prefactor=0.0, cache_dir=tmp_path / "cache", Jc_scan=1.5)
    a, k = list(res.currents).index(0.0), list(res.temperatures).index(300.0)
    assert res.rates[a, k] == pytest.approx(m.escape(0.0, 300.0)["rate"], rel=1e-13)  # same computation


def test_unknown_key_and_bad_values_in_case(tmp_path):
    from thermokinetic.studies.run import run

    case = {"study": {"kind": "effective_barrier"}, "magnet": {"sigma": 40.0, "bogus": 1.0},
            "coupler": {"kind": "cosine", "chi": 1.6}, "currents": {"values": [0.0]},
            "temperatures": {"values": [300.0, 250.0, 200.0, 350.0]}}
    with pytest.raises(ParameterError, match="magnet.bogus"):
        run(case, out=tmp_path, progress=False)
    case["magnet"].pop("bogus")
    case["temperatures"]["values"] = [300.0, 0.0, 200.0, 350.0]
    with pytest.raises(ParameterError, match="temperatures"):
        run(case, out=tmp_path, progress=False)


@pytest.mark.slow  # 3-11 s: outside the 3-minute default run (still run by CI)
def test_main_job_cli(tmp_path, capsys):
    """The README's first command: the perpendicular CoFeB/MgO MTJ from its geometry.

    Independent truths: Δ against the interfacial and shape anisotropy of the 40 × 1.3 nm disk (the
    demagnetizing factors of the elliptic cylinder), the Arrhenius barrier at J = 0 against Δ, and the
    headline J_c (where the exact U_d barrier vanishes, from the Fokker–Planck landscape) against the
    T = 0 instability of the antiparallel state of the deterministic LLG; with η = P/(1 + P² cos θ)
    that instability is a pitchfork at the pole, so the local exponent is b = 2."""
    from pathlib import Path

    from thermokinetic.cli import main
    from thermokinetic.geometry import demag_elliptic_cylinder
    from thermokinetic.units import KB, MU0

    case = Path(__file__).resolve().parents[2] / "cases" / "device_cofeb_mtj.toml"
    assert main(["run", str(case), "--out", str(tmp_path), "--json", "--no-progress"]) == 0
    s = json.loads(capsys.readouterr().out)
    for name in ("summary.json", "table.csv", "effective_barrier.png", "arrhenius.png", "critical_current.png"):
        assert (tmp_path / "device_cofeb_mtj" / name).is_file()
    check_documented(tmp_path / "device_cofeb_mtj")
    assert s["fields"]["critical_current"]["unit"] == "A/m^2" and s["fields"]["wer.pulse_ns"]["unit"] == "ns"
    d = demag_elliptic_cylinder(20e-9, 20e-9, 1.3e-9)
    K_eff = 1.0e-3 / 1.3e-9 - 0.5 * MU0 * 1.1e6**2 * (d.Nz - d.Nx)
    delta = K_eff * math.pi * (20e-9) ** 2 * 1.3e-9 / (KB * 300.0)
    fl = s["model"]["free_layer"]
    assert fl["orientation"] == "perpendicular"
    assert fl["Delta"] == pytest.approx(delta, rel=1e-10)
    k0 = min(range(len(s["current"])), key=lambda k: abs(s["current"][k]))
    assert s["barrier_kT"][k0] == pytest.approx(delta, rel=5e-4)
    assert s["critical_current_source"] == "exact"
    assert s["critical_current"] == pytest.approx(s["critical_current_T0"], rel=1e-4)
    assert abs(s["critical_current"] - s["critical_current_T0"]) <= 3 * s["critical_current_err"] + 1e-6 * s["critical_current"]
    assert abs(s["exponent"] - 2.0) <= max(0.02, 3 * s["exponent_err"])
    # the write error rate table: resolved, falling with pulse width and with current
    w = np.array(s["wer"]["wer"], dtype=float)
    assert w.shape == (3, 5) and np.all(np.isfinite(w)) and not s["wer"]["reasons"]
    assert np.all((0 <= w) & (w <= 1))  # probabilities (the 2 ns value extrapolated to 1 + 1.1e-8 once)
    assert np.all(np.diff(w, axis=1) <= 0) and np.all(np.diff(w, axis=0) <= 0)
    assert (tmp_path / "device_cofeb_mtj" / "wer.png").is_file()
    # read disturb: small probabilities computed directly (no 1 - (1 - p)), rising with the read current;
    # at 5 % of J_c the barrier is still within 10 % of Delta (b = 2: (1 - 0.05)^2 = 0.90)
    rd = s["read_disturb"]
    p = np.array(rd["probability_per_read"])
    assert np.all(p > 0) and np.all(np.diff(p) > 0) and p[0] < 1e-12
    assert np.allclose(p, -np.expm1(-np.array(rd["rate"]) * rd["pulse_ns"] * 1e-9), rtol=1e-12)
    assert 0.88 * delta < rd["barrier_kT"][0] < delta
    # current ramps: the median switching current rises with the ramp rate and stays below J_c; the
    # usual b = 1 thermal-activation fit under-estimates Delta of this b = 2 model (the known bias of the
    # linear-barrier assumption), its J_c0 within 10 %; the exact values are the model's own
    rp = s["ramp"]
    med = np.array(rp["median_current"])
    assert np.all(np.diff(med) > 0) and med[-1] < s["critical_current"] and max(rp["median_error_estimate"]) < 1e-3
    assert rp["exact"]["delta_kT"] == pytest.approx(delta, rel=1e-6)
    assert rp["exact"]["J_c0"] == s["critical_current"]
    assert 0.5 * delta < rp["fit"]["delta_kT"] < 0.9 * delta
    assert rp["fit"]["J_c0"] == pytest.approx(s["critical_current"], rel=0.1)


@pytest.mark.slow
def test_seed001_co_case_cli(tmp_path, capsys):
    """cases/effective_barrier.toml (the seed-001 Co pillar, K only) through the CLI."""
    from pathlib import Path

    from thermokinetic.cli import main

    case = Path(__file__).resolve().parents[2] / "cases" / "effective_barrier.toml"
    assert main(["run", str(case), "--out", str(tmp_path), "--json", "--no-progress"]) == 0
    s = json.loads(capsys.readouterr().out)
    folder = tmp_path / "effective_barrier"
    for name in ("summary.json", "table.csv", "effective_barrier.png", "arrhenius.png", "critical_current.png"):
        assert (folder / name).is_file()
    check_documented(folder)
    for key in ("current", "barrier_kT", "attempt_frequency", "critical_current", "exponent"):
        assert key in s
    sigma = s["model"]["sigma_T_ref"]
    k0 = min(range(len(s["current"])), key=lambda k: abs(s["current"][k]))
    # h = 0, J = 0: the barrier is Kv exactly; the Arrhenius extraction is within 5e-4 (see above)
    assert s["barrier_kT"][k0] == pytest.approx(sigma, rel=5e-4)
    assert s["barrier_model_kT"][k0] == pytest.approx(sigma, rel=1e-9)
    # the -z state loses stability (T = 0) long before the barrier out of the cone state vanishes
    assert 0 < s["critical_current_T0"] < 0.2 * s["exact_barrier_near_Jc"]["critical_current"]
    # the barrier of a ring minimum ends in a 1D saddle-node: local exponent 3/2, measured at
    # J_c(1 - 1e-4) where the next-order correction is O(1e-4)
    assert s["exact_barrier_near_Jc"]["exponent"] == pytest.approx(1.5, abs=0.01)
    assert s["critical_current_source"] == "exact"
    assert s["critical_current"] == s["exact_barrier_near_Jc"]["critical_current"]
    assert "warning" in s["model"]  # no shape anisotropy in a case given by its diameter


def test_thin_film_model_has_the_kittel_resonance_and_is_not_axial():
    # U = -sigma u_z^2 + sigma_p u_x^2 at +z: curvatures k_x = 2 sigma + 2 sigma_p, k_y = 2 sigma; the linearized
    # generalized LLG has det = k_x k_y (1 + alpha^2)/(4 alpha^2) and trace = -(k_x + k_y)/2 (closed form)
    from thermokinetic.llg import fmr

    sig, sp, a = 10.0, 25.0, 0.1
    m = MacrospinModel(sigma=sig, alpha=a, sigma_p=sp, start=(0.0, 0.0, 1.0))
    assert not m.axial
    kx, ky = 2 * sig + 2 * sp, 2 * sig
    omega = math.sqrt(kx * ky * (1 + a * a) / (4 * a * a) - (kx + ky) ** 2 / 16)
    f = fmr(m.llg(0.0), [0.0, 0.0, 1.0])
    assert abs(f.omega) == pytest.approx(omega, rel=1e-6)
    assert f.damping_rate == pytest.approx((kx + ky) / 4, rel=1e-6)
    # the temperature scaling of sigma_p follows sigma's
    assert m.energy(600.0).value(np.array([[1.0, 0.0, 0.0]]))[0] == pytest.approx(sp / 2)


def test_study_case_thin_film_keys(tmp_path):
    from thermokinetic.studies.run import build_model as _build_model, load_study_case
    from thermokinetic.units import KB, MU0

    def build_model(case):
        return _build_model(load_study_case(case)[0])

    base = {"study": {"kind": "effective_barrier", "name": "x"}, "magnet": {"sigma": 10.0, "sigma_p": 25.0},
            "coupler": {"kind": "cosine", "chi": 0.1}}
    model = build_model(base)[0]
    assert model.sigma_p == 25.0 and not model.axial
    si = {"study": {"kind": "effective_barrier", "name": "x"},
          "magnet": {"Ms": 1.4e6, "K": 4.5e5, "thickness": 3e-9, "diameter": 20e-9, "demag": [0.7, 0.15, 0.15]},
          "coupler": {"kind": "cosine", "chi": 0.1}}
    model, info = build_model(si)[:2]
    s = MU0 * 1.4e6 ** 2 * info["volume_m3"] / (2 * KB * 300.0)
    assert model.sigma_p == pytest.approx(0.55 * s) and info["sigma_shape_shift"] == pytest.approx(0.0)
    with pytest.raises(ParameterError, match="magnet.demag"):
        build_model({**si, "magnet": {**si["magnet"], "demag": [0.5, 0.5, 0.5]}})
    with pytest.raises(ParameterError, match="magnet.sigma_p"):
        build_model({**si, "magnet": {**si["magnet"], "sigma_p": 3.0}})


@pytest.mark.parametrize("edit, needle", [
    (("width = 40e-9", "width = -40e-9"), "magnet.width=-4e-08"),
    (("K_s = 1.0e-3", 'K_s = "big"'), "magnet.K_s='big'"),
    (("length = 40e-9", "length = 40e-9\ndiameter = 40e-9"), "magnet.diameter"),
    (("pulses_ns = [2.0, 5.0, 10.0, 20.0, 50.0]", "pulses_ns = [5.0, 2.0]"), "wer.pulses_ns"),
    pytest.param(("currents = [4.5e8, 1.3e9, 2.7e9]", "currents = [4.5e8, 2e10]"), "read_disturb.currents=2",
                 marks=pytest.mark.slow),
    pytest.param(("rates = [1e12, 1e13, 1e14, 1e15]", "rates = [-1e12]"), "ramp.rates", marks=pytest.mark.slow),
    (("thickness = 1.3e-9", "thickness = 1e-3"), "magnet.thickness=0.001"),
])
def test_device_case_bad_input_is_one_line_exit_2(tmp_path, capsys, edit, needle):
    """Bad geometry, pulse, read and ramp input in a device case: one line naming the case key, exit 2."""
    from pathlib import Path

    from thermokinetic.cli import main

    cases = Path(__file__).resolve().parents[2] / "cases"
    text = (cases / "device_cofeb_mtj.toml").read_text()
    assert edit[0] in text
    case = tmp_path / "device.toml"
    case.write_text(text.replace(edit[0], edit[1]))
    assert main(["run", str(case), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0], err
