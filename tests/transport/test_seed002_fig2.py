"""Seed 002 Fig. 2 via `thermokinetic figures --only seed002_fig2`: key numbers vs the closed form.

Closed form (N/F(t)/N, equal λ, from Eq. 7–11; g_N = σ0_N/λ, g_F = σ0_F(1−β²)/λ):
Δμ(0) = −Δμ(t) = −βJ/(g_N + g_F coth(t/2λ)), R_ne = β²/(g_N + g_F coth(t/2λ)).
"""
import json
import math

import pytest

from thermokinetic.cli import main


def test_seed002_fig2(tmp_path, capsys):
    assert main(["figures", "--only", "seed002_fig2", "--out", str(tmp_path), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)["seed002_fig2"]
    png = tmp_path / "seed002_fig2.png"
    assert png.exists() and png.stat().st_size > 20000
    # the closed form written independently here (parameters of cases/stack_seed002_fig2.toml)
    lam, t, J = 30e-9, 30e-9, 1e11
    sN, sF, b = 5.9e7, 1.69e7, 0.46
    gN, gF = (sN / 2) / lam, (sF / 2) * (1 - b**2) / lam
    den = gN + gF / math.tanh(t / (2 * lam))
    assert res["lsf_m"] == pytest.approx(lam, rel=1e-12) and res["thickness_m"] == t
    assert res["dmu_entry"] == pytest.approx(-b * J / den, rel=1e-12)  # exact solver: rounding
    assert res["dmu_exit"] == pytest.approx(b * J / den, rel=1e-12)
    assert res["R_ne"] == pytest.approx(b**2 / den, rel=1e-10)  # difference of O(R_eq) numbers
    # the extremes of Δμ are at the interfaces (−31.4 µeV at entry, +31.4 µeV at exit)
    assert res["dmu_max_abs"] == pytest.approx(abs(res["dmu_entry"]), rel=1e-12)
    assert res["dmu_exit"] == pytest.approx(31.42e-6, rel=1e-3)
