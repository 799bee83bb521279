import json
import subprocess
import sys

import pytest

from thermokinetic.cli import main
from thermokinetic.fokker_planck import compute_escape
from thermokinetic.units import KB, reduced_from_si


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_json_output_has_the_documented_keys(capsys):
    out = _json(capsys, ["escape", "--sigma", "8", "--h", "0.2", "--level", "4", "--richardson", "--json"])
    for key in ("lambda1_tauN", "escape_rates_tauN", "error_estimate", "method", "cells", "seconds"):
        assert key in out
    assert out["cells"] == 2562 and len(out["escape_rates_tauN"]) == 2
    # the CLI is a thin wrapper: identical numbers from the library call
    lib = compute_escape(sigma=8, h=0.2, level=4, richardson=True)
    assert out["lambda1_tauN"] == pytest.approx(lib["lambda1_tauN"], rel=1e-12)
    up = max(out["escape_rates_tauN"], key=lambda w: w["direction"][2])
    assert up["direction"] == pytest.approx([0, 0, 1], abs=1e-12)


def test_chi_cos_acts_as_field_shift(capsys):
    # χ = C u_z enters U − χ/α: an axial field shift h → h + C/(2σα), exactly in the continuum
    a = _json(capsys, ["escape", "--sigma", "8", "--h", "0.1", "--alpha", "0.5", "--chi-cos", "1.6", "--level", "4", "--json"])
    b = _json(capsys, ["escape", "--sigma", "8", "--h", "0.3", "--alpha", "0.5", "--level", "4", "--json"])
    # same discrete dissipative potential; only the O(h²) central precession term differs
    assert a["lambda1_tauN"] == pytest.approx(b["lambda1_tauN"], rel=1e-3)


def test_si_input_prints_reduced_parameters(capsys):
    argv = ["escape", "--Ms", "1.4e6", "--K", "4.5e5", "--volume", "1e-25", "--T", "300", "--H", "1e4",
            "--alpha", "0.5", "--level", "4"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    red = reduced_from_si(Ms=1.4e6, K=4.5e5, volume=1e-25, T=300, H=1e4, alpha=0.5)
    assert red.sigma == pytest.approx(4.5e5 * 1e-25 / (KB * 300))
    assert f"sigma = {red.sigma:.6g}" in text and "/ s" in text


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["escape", "--sigma", "-1"], "sigma=-1.0 is invalid: must be in [0, 10000]"),
        (["escape", "--sigma", "1e308"], "sigma=1e+308 is invalid: must be in [0, 10000]"),
        (["escape", "--sigma", "5", "--demag", "0.3", "0.3", "0.4"], "--demag=[0.3, 0.3, 0.4] is invalid: must be used with SI input"),
        (["escape", "--sigma", "5", "--alpha", "0"], "alpha=0.0 is invalid: must be > 0"),
        (["escape", "--sigma", "nan"], "sigma=nan is invalid"),
        (["escape", "--sigma", "5", "--mesh", "cube"], "mesh='cube' is invalid"),
        (["escape", "--sigma", "5", "--level", "42"], "level=42 is invalid"),
        (["escape", "--sigma", "60", "--level", "3"], "level=3 is invalid: must be >= 5 for this barrier"),
        (["escape", "--sigma", "5", "--rtol", "0"], "rtol=0.0 is invalid: must be in [1e-15, 1)"),
        (["escape", "--sigma", "5", "--rtol", "1"], "rtol=1.0 is invalid: must be in [1e-15, 1)"),
        # found by the property tests: 1/rtol overflowed in the cells-needed estimate (a traceback)
        (["escape", "--sigma", "1", "--h", "1", "--rtol", "1e-320"], "rtol=1e-320 is invalid: must be in [1e-15, 1)"),
        (["escape", "--sigma", "5", "--max-cells", "100"], "max_cells=100 is invalid: must be an integer >= 10242"),
        (["escape", "--sigma", "5", "--sigma-p", "-1"], "sigma_p=-1.0 is invalid: must be in [0, 100000]"),
        (["escape", "--sigma", "5", "--method", "fast"], "method='fast' is invalid"),
        (["escape", "--sigma", "10", "--sigma-p", "25", "--alpha", "0.1", "--method", "energy"],
         "alpha=0.1 is invalid: must be <= 0.00277 for --method energy"),
        (["escape", "--sigma", "5", "--h", "0.2", "--psi", "30", "--method", "axial"], "method='axial' is invalid"),
        (["escape", "--sigma", "5", "--level", "4", "--rtol", "1e-3"], "rtol/max_cells"),
        (["escape", "--Ms", "1e6", "--K", "1e5", "--volume", "1e-25", "--T", "300", "--demag", "-0.1", "0.6", "0.5"],
         "demag=(-0.1, 0.6, 0.5) is invalid: must be three factors N_x N_y N_z, each >= 0, summing to 1"),
        (["escape", "--Ms", "1e6", "--K", "1e5", "--volume", "1e-25", "--T", "300", "--demag", "0.3", "0.3", "0.3"],
         "summing to 1"),
        (["escape", "--Ms", "1e6", "--K", "1e5"], "--volume"),
        (["escape", "--Ms", "1e6", "--K", "1e5", "--volume", "1e-25", "--T", "-3"], "T=-3.0 is invalid: must be > 0"),
        (["escape"], "--sigma"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, needle, capsys):
    # in-process (the same main() the entry point calls; test_the_entry_point_itself_... runs one through
    # python -m, which costs 0.4 s of interpreter start per case)
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in err


def test_the_entry_point_itself_exits_2_with_one_line():
    r = subprocess.run([sys.executable, "-m", "thermokinetic", "escape", "--sigma", "-1"], capture_output=True,
                       text=True)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "sigma=-1.0" in r.stderr


def test_one_well_is_answered_with_lambda1_only(capsys):
    out = _json(capsys, ["escape", "--sigma", "5", "--h", "2", "--json"])
    assert out["escape_rates_tauN"] == [] and out["lambda1_tauN"] > 1.0 and out["converged"]


def test_not_converged_exits_3_with_the_reason_on_stderr():
    r = subprocess.run([sys.executable, "-m", "thermokinetic", "escape", "--sigma", "10", "--h", "0.3", "--psi", "45",
                        "--alpha", "0.1", "--rtol", "1e-9", "--max-cells", "45000", "--json"],
                       capture_output=True, text=True)
    assert r.returncode == 3
    out = json.loads(r.stdout)
    assert out["converged"] is False and out["cells_needed"] > 45000
    assert "not converged" in r.stderr and "Traceback" not in r.stderr


def _run_threads(argv, threads):
    import os

    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads)}
    r = subprocess.run([sys.executable, "-m", "thermokinetic", *argv], capture_output=True, text=True, env=env)
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else None), r.stderr


@pytest.mark.parametrize("argv", [
    # the issue's command: a negative rate with one BLAS thread, a refusal with two (ARPACK fallback)
    pytest.param(["escape", "--sigma", "20", "--chi-cos", "0.2", "--alpha", "0.01", "--level", "5", "--json"],
                 marks=pytest.mark.slow),
    # σ = 2.5: no time-scale separation, the ARPACK path on every level
    pytest.param(["escape", "--sigma", "2.5", "--h", "0.1", "--psi", "30", "--alpha", "0.3", "--rtol", "1e-3",
                  "--max-cells", "12000", "--json"], marks=pytest.mark.slow),
])
def test_results_do_not_depend_on_blas_threads(argv):
    a, b = _run_threads(argv, 1), _run_threads(argv, 2)
    assert a[0] == b[0] and a[0] in (0, 2, 3)
    if a[1] is None:
        assert a[2] == b[2]  # the same refusal
        return
    assert a[1]["lambda1_tauN"] == pytest.approx(b[1]["lambda1_tauN"], rel=1e-9)
    for wa, wb in zip(a[1]["escape_rates_tauN"], b[1]["escape_rates_tauN"]):
        assert (wa["rate"] is None) == (wb["rate"] is None)
        if wa["rate"] is not None:
            assert wa["rate"] > 0 and wa["rate"] == pytest.approx(wb["rate"], rel=1e-9)


def test_si_demag_equals_the_reduced_thin_film(capsys):
    si = _json(capsys, ["escape", "--Ms", "1.4e6", "--K", "4.5e5", "--volume", "1e-25", "--T", "300", "--demag", "0.6",
                        "0.2", "0.2", "--alpha", "0.5", "--json"])
    red = si["reduced_parameters"]
    assert red["sigma_p"] == pytest.approx(red["shape_s"] * 0.4) and red["sigma_eff"] == pytest.approx(red["sigma"])
    ref = _json(capsys, ["escape", "--sigma", repr(red["sigma_eff"]), "--sigma-p", repr(red["sigma_p"]), "--alpha",
                         "0.5", "--json"])
    assert si["lambda1_tauN"] == pytest.approx(ref["lambda1_tauN"], rel=1e-10)
    assert "u_x^2" in si["energy"]


def test_prism_gives_volume_and_demag_factors(capsys):
    from thermokinetic.geometry import demag_prism

    out = _json(capsys, ["escape", "--Ms", "3e5", "--K", "1e4", "--prism", "3e-9", "20e-9", "40e-9", "--T", "300",
                         "--alpha", "0.3", "--rtol", "1e-3", "--json"])
    red = out["reduced_parameters"]
    assert red["volume_m3"] == pytest.approx(3e-9 * 20e-9 * 40e-9)
    assert red["demag"] == pytest.approx(list(demag_prism(3e-9, 20e-9, 40e-9).factors), rel=1e-12)
    assert out["converged"] and out["sigma_p"] == pytest.approx(red["sigma_p"])


def test_energy_range_beyond_double_precision_is_refused_at_once():
    # a 2 x 50 x 150 nm Co-like film spans ~3200 kT (beyond the mesh) with a barrier of ~720 kT: its
    # escape rate e^(-720) is not representable; refused by the turnover method that auto picks
    r = subprocess.run([sys.executable, "-m", "thermokinetic", "escape", "--Ms", "1.1e6", "--K", "2e5", "--prism",
                        "2e-9", "50e-9", "150e-9", "--T", "300"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "must be a barrier <= 600 kT" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("argv, needle", [
    # (auto answers α = 1e-300 with the α-independent energy-diffusion limit, as for films: the mesh refuses it)
    (["--sigma", "10", "--h", "0.3", "--psi", "45", "--alpha", "1e-300", "--method", "mesh"],
     "alpha=1e-300 is invalid: must be >= 1e-08"),
    (["--sigma", "200", "--h", "0.9", "--level", "6"], "sigma=200.0 is invalid: must be a landscape with max U"),
    (["--sigma", "10", "--chi-cos", "1e300"], "chi_cos=1e+300 is invalid"),
    (["--sigma", "10", "--chi-cos", "1e3", "--alpha", "0.1", "--psi", "30", "--h", "0.1"], "chi_cos=1000.0 is invalid"),
])
def test_extreme_inputs_from_the_reliability_issue_are_refused_at_once(argv, needle, capsys):
    assert main(["escape", *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1
