import json
import subprocess
import sys

import numpy as np
import pytest

from thermokinetic.cli import main
from thermokinetic.fokker_planck import compute_wer


def test_json_output_has_the_documented_keys_and_the_library_numbers(capsys):
    argv = ["wer", "--sigma", "40", "--alpha", "0.01", "--chi-cos", "-1.2", "--times", "0.1,0.3,0.5",
            "--rtol", "1e-4", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("times_tauN", "wer", "error_estimate", "converged", "method", "cells", "energy", "seconds"):
        assert key in out
    assert out["method"] == "axial" and out["converged"]
    lib = compute_wer(sigma=40, alpha=0.01, chi_cos=-1.2, times=[0.1, 0.3, 0.5], rtol=1e-4)
    assert np.allclose(out["wer"], lib["wer"], rtol=1e-12)
    # down to 1e-9 with the requested relative accuracy
    assert out["wer"][-1] < 1e-8 and max(out["error_estimate"]) <= 1e-4


def test_text_output_is_a_table(capsys):
    assert main(["wer", "--sigma", "10", "--alpha", "0.5", "--chi-cos", "-12.5", "--times", "0.25,0.5"]) == 0
    text = capsys.readouterr().out
    assert "pulse width [tau_N]" in text and "converged" in text


@pytest.mark.parametrize("argv, name", [
    (["--times", "1,0.5"], "times"), (["--times", "a,b"], "--times"), (["--times", "0,1"], "times"),
    (["--times", "1", "--rtol", "0"], "rtol"), (["--times", "1", "--sigma-p", "-1"], "sigma_p"),
    (["--times", "1", "--max-cells", "10"], "max_cells"), (["--times", "1", "--method", "energy"], "method"),
    (["--times", "1", "--method", "orbit"], "method"),  # an axial magnet has no saddle points to mesh from
    (["--times", "1", "--sigma-p", "50", "--method", "orbit", "--max-cells", "5000"], "max_cells"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, name):
    assert main(["wer", "--sigma", "10", "--alpha", "0.5", "--chi-cos", "-1", *argv]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and name in err and "Traceback" not in err


def test_bad_input_from_a_fresh_process_has_no_traceback():
    p = subprocess.run([sys.executable, "-m", "thermokinetic", "wer", "--sigma", "10", "--alpha", "0.5",
                        "--chi-cos", "-1", "--times", "1,0.5"], capture_output=True, text=True)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def test_not_converged_exits_3_with_the_reason(capsys):
    # a 1e-10 target within 1024 1D cells cannot be met: values printed, reason on stderr, status 3
    argv = ["wer", "--sigma", "40", "--alpha", "0.01", "--chi-cos", "-1.2", "--times", "0.1,0.5",
            "--rtol", "1e-10", "--max-cells", "1024", "--json"]
    assert main(argv) == 3
    cap = capsys.readouterr()
    assert json.loads(cap.out)["converged"] is False and "not converged" in cap.err
