"""Notebook 04 (effective barrier, seed 001) runs and reports the exact axial results."""
import pytest

from tests._nb import run_notebook


# the heavier notebooks run in CI's slow step (and again in the documentation build, also slow), so the
# default run stays within its time budget; notebook 03 stays in the default run
pytestmark = pytest.mark.slow


def test_notebook_04(tmp_path):
    r = run_notebook("04_effective_barrier.ipynb", tmp_path)
    # axial chi = c cos(theta): b = 2, Jc = 1 - h exactly; fit errors include the Arrhenius truncation
    assert abs(r["b"] - 2.0) <= 3 * r["b_err"] and r["b_err"] < 0.01
    assert abs(r["Jc"] - (1 - r["h"])) <= 3 * r["Jc_err"]
    assert r["Jc_T0"] == pytest.approx(1 - r["h"], rel=1e-8)  # Brent on the linear damping rate
    assert r["E0"] == pytest.approx(r["E0_exact"], rel=5e-4)
    assert r["p_at_zero"] == pytest.approx(0.5, abs=0.05)  # Brown: sigma^{3/2}/tau_N ∝ (1/T)^{1/2}
    # spin valve: T = 0 instability far below the end of the barrier, which is a 1D saddle-node (b = 3/2)
    assert 0 < r["valve_Jc_T0"] < 0.2 * r["valve_Jc_barrier"]
    assert r["valve_local_b"] == pytest.approx(1.5, abs=0.06)
