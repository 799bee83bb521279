"""Seed 000 switching trajectory at T = 0 against the closed-form axial switching time."""
import pytest

from thermokinetic.figures.seed000_switching import seed000_switching


@pytest.mark.slow
def test_seed000_switching(tmp_path):
    r = seed000_switching(tmp_path)
    assert all(p and __import__("pathlib").Path(p).is_file() for p in r["files"])
    # chi = 2 sigma alpha J u_z, h = 0: loss of damping of -z at J = 1 exactly (Brent tolerance)
    assert r["Jc"] == pytest.approx(1.0, rel=1e-8)
    # DOP853 at rtol 1e-12 vs the closed-form integral of theta' = -1/2 sin(theta)(2 sigma cos(theta) + b)
    assert r["t_switch_numeric"] == pytest.approx(r["t_switch_exact"], rel=1e-8)
    assert r["uz_final"] > 0.999  # reversed to the polarizer direction (J > 0 favours parallel)
    assert r["norm_error"] < 1e-7
