"""Notebook 03 (spin accumulation) runs and reports physically checked numbers."""
import math

import pytest

from tests._nb import run_notebook


def test_notebook_03(tmp_path):
    res = run_notebook("03_spin_accumulation.ipynb", tmp_path)
    # resistance = dissipation (two independent formulas; quadrature ~1e-12)
    assert res["dissipation_ratio_P"] == pytest.approx(1.0, abs=1e-9)
    assert res["dissipation_ratio_AP"] == pytest.approx(1.0, abs=1e-9)
    # AP is the high-resistance state; ΔR = R_ne,AP − R_ne,P
    assert res["dR"] == pytest.approx(res["R_ne_AP"] - res["R_ne_P"], rel=1e-10)
    assert res["dR"] > 0 and 0 < res["gmr_ratio"] < 1
    # seed 002 Fig. 2, closed form Δμ(0) = −βJ/(g_N + g_F coth(t/2λ)) (parameters of its case file)
    lam, t, J, b = 30e-9, 30e-9, 1e11, 0.46
    gN, gF = (5.9e7 / 2) / lam, (1.69e7 / 2) * (1 - b**2) / lam
    den = gN + gF / math.tanh(t / (2 * lam))
    assert res["fig2_dmu_entry"] == pytest.approx(-b * J / den, rel=1e-12)
    assert res["fig2_dmu_exit"] == pytest.approx(b * J / den, rel=1e-12)
    # s–d: block-derived coupled lengths = eigenvalues of the corrected Eq. 18
    for a, c in zip(res["sd_lengths_block"], res["sd_lengths_eq18"]):
        assert a == pytest.approx(c, rel=1e-10)
    # documented d-channel interface condition: J_d = 0 at F/N (rounding relative to J = 1e11)
    assert max(abs(v) for v in res["Jd_at_interfaces"]) < 1e-10 * J
    # transverse: all injected spin current is absorbed somewhere
    assert res["transverse_absorbed_total"] == pytest.approx(res["transverse_injected"], rel=1e-12)
    assert res["lambda_perp_Co"] == pytest.approx(1e-9, rel=1e-12)
