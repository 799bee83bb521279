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
        (["escape", "--sigma", "-1"], "sigma=-1.0 is invalid: must be >= 0"),
        (["escape", "--sigma", "5", "--alpha", "0"], "alpha=0.0 is invalid: must be > 0"),
        (["escape", "--sigma", "nan"], "sigma=nan is invalid"),
        (["escape", "--sigma", "5", "--mesh", "cube"], "mesh='cube' is invalid"),
        (["escape", "--sigma", "5", "--level", "42"], "level=42 is invalid"),
        (["escape", "--sigma", "60", "--level", "3"], "level=3 is invalid: must be >= 5 for this barrier"),
        (["escape", "--sigma", "5", "--h", "2"], "well"),
        (["escape", "--Ms", "1e6", "--K", "1e5"], "--volume"),
        (["escape", "--Ms", "1e6", "--K", "1e5", "--volume", "1e-25", "--T", "-3"], "T=-3.0 is invalid: must be > 0"),
        (["escape"], "--sigma"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, needle):
    r = subprocess.run([sys.executable, "-m", "thermokinetic", *argv], capture_output=True, text=True)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in r.stderr
