"""Seed 000 Slonczewski figure: PNG written, key numbers against closed forms."""
import math

import numpy as np
import pytest

from thermokinetic.figures import make_figures


def test_seed000_slonczewski(tmp_path):
    res = make_figures(tmp_path, only=["seed000_slonczewski"])["seed000_slonczewski"]
    with open(res["files"][0], "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    cases = res["cases"]
    # B = 0: pure sin θ, maximum 1 at 90° (grid spacing 0.25°)
    assert cases[0]["theta_star_deg"] == 90.0
    assert cases[0]["max_over_90deg"] == pytest.approx(1.0, abs=1e-12)
    for c in cases:
        A, B = c["A"], c["B"]
        # closed-form maximum angle agrees with the grid maximum to the grid spacing
        assert abs(c["theta_star_grid_deg"] - c["theta_star_deg"]) <= 0.25
        # at cos θ* = −B/A: η sin θ = 1/sqrt(A² − B²), i.e. A/sqrt(A² − B²) relative to η(90°);
        # the grid maximum is within (0.25°)² × curvature of it (≤ 1e-4 relative)
        assert c["max_over_90deg"] == pytest.approx(A / math.sqrt(A * A - B * B), rel=1e-4)
        assert c["eta_pi_over_eta_0"] == pytest.approx((A + B) / (A - B), rel=1e-13)
    # B > 0 moves the maximum beyond 90° (torque larger near antiparallel)
    assert all(c["theta_star_deg"] > 90 for c in cases[1:])
    # Slonczewski P = 0.4 valve: A = −4 + 3k, B = k, k = (1+P)³/(4P^1.5)
    k = 1.4**3 / (4 * 0.4**1.5)
    assert cases[-1]["A"] == pytest.approx(-4 + 3 * k, rel=1e-14) and cases[-1]["B"] == pytest.approx(k, rel=1e-14)
    assert np.isfinite(cases[-1]["max_over_90deg"])
