import json

import pytest

from thermokinetic.cli import main


@pytest.mark.slow
def test_ramp_cli_prints_fit_next_to_exact(capsys):
    assert main(["ramp", "--sigma", "20", "--alpha", "0.05", "--rates", "1e-5,1e-3"]) == 0
    text = capsys.readouterr().out
    assert "usual fit" in text and "exact (model): Delta = 20 kT, c_c0 = 2 kT" in text


@pytest.mark.slow
def test_ramp_cli_json(capsys):
    assert main(["ramp", "--sigma", "20", "--alpha", "0.05", "--rates", "1e-4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exact"]["c_c0"] == 2.0 and len(out["median_c"]) == 1 and 0 < out["median_c"][0] < 2.0


def test_ramp_cli_bad_rates(capsys):
    assert main(["ramp", "--sigma", "20", "--alpha", "0.05", "--rates", "x"]) == 2
    assert "--rates" in capsys.readouterr().err
