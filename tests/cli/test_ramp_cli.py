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


@pytest.mark.slow  # 3-11 s: outside the 3-minute default run (still run by CI)
def test_a_ramp_too_slow_for_a_low_barrier_is_refused_not_a_traceback(capsys):
    """Found by the property test: σ = 2 with v = 1e-8 kT/τ_N switches thermally at c ≈ 0, so no node of
    the rate table lies inside the distribution (numpy's polyfit raised TypeError before)."""
    assert main(["ramp", "--sigma", "2", "--alpha", "1", "--rates", "1e-8"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "ramp_rates=1e-08" in err and "raise the ramp rate" in err
