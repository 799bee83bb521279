"""The seed 003 junction figure: its data against closed forms written out here (not the module's)."""
import math

import numpy as np
import pytest

from thermokinetic.figures import registry
from thermokinetic.figures.seed003 import A1, A2, BETA, G, J_METAL, PL, PR, XI, V, junction


@pytest.fixture(scope="module")
def res(tmp_path_factory):
    return junction(tmp_path_factory.mktemp("seed003"))


def test_registered_and_file_written(res):
    assert registry()["seed003_junction"] is junction
    assert [p.name for p in res["files"]] == ["seed003_junction.png"]
    assert res["files"][0].stat().st_size > 10_000


@pytest.mark.parametrize("deg", [0, 30, 90, 135, 180])
def test_tunnel_curves_match_julliere_slonczewski(res, deg):
    # μs = 0, G = 2g: J = GV(1 + P_L P_R cos Φ), J_M^L = GV(P_L + P_R cos Φ), J_M^R = GV(P_R + P_L cos Φ);
    # torque on R = GV P_L sin Φ towards m_L, on L = GV P_R sin Φ away from m_R (Slonczewski 1989).
    # Sums of four rounding-level terms: 1e-12 relative to GV.
    t, k = res["tunnel"], list(res["phi_deg"]).index(deg)
    c, s, GV = math.cos(math.radians(deg)), math.sin(math.radians(deg)), G * V
    tol = 1e-12 * GV
    assert t["J"][k] == pytest.approx(GV * (1 + PL * PR * c), abs=tol)
    assert t["JM_L"][k] == pytest.approx(GV * (PL + PR * c), abs=tol)
    assert t["JM_R"][k] == pytest.approx(GV * (PR + PL * c), abs=tol)
    assert t["tau_R"][k] == pytest.approx(GV * PL * s, abs=tol)
    assert t["tau_L"][k] == pytest.approx(-GV * PR * s, abs=tol)


def test_collinear_tunnel_conserves_and_has_no_torque(res):
    t = res["tunnel"]
    for k, sign in ((0, 1.0), (-1, -1.0)):  # Φ = 0: m_R = m_L; Φ = 180°: m_R = −m_L
        assert t["tau_R"][k] == 0.0 and t["tau_L"][k] == 0.0
        # the vector magnetization current is the same on both sides: J_M^L m_L = J_M^R m_R
        assert t["JM_L"][k] == pytest.approx(sign * t["JM_R"][k], abs=1e-12 * G * V)
    # noncollinear: not conserved (seed 003); at 90°, J_M^R − J_M^L = GV(P_R − P_L) = −20 µA
    assert res["tunnel"]["JM_R"][90] - res["tunnel"]["JM_L"][90] == pytest.approx(G * V * (PR - PL), abs=1e-15)


@pytest.mark.parametrize("deg", [0, 45, 90, 150, 179])
def test_metallic_curves(res, deg):
    m, k = res["metallic"], list(res["phi_deg"]).index(deg)
    h = math.radians(deg) / 2
    tol = 1e-12 * J_METAL
    assert m["J"][k] == pytest.approx(J_METAL, rel=1e-12)
    assert m["JM_L"][k] == pytest.approx(BETA * J_METAL, abs=tol)
    assert m["JM_R"][k] == pytest.approx(BETA * J_METAL, abs=tol)
    # |β J (m_L − m_R)| = 2βJ sin(Φ/2); the unique split gives βJ tan(Φ/2) on each magnet
    assert m["deposit"][k] == pytest.approx(2 * BETA * J_METAL * math.sin(h), abs=tol)
    assert m["tau_R"][k] == pytest.approx(BETA * J_METAL * math.tan(h), rel=1e-9, abs=tol)
    assert m["tau_L"][k] == pytest.approx(-m["tau_R"][k], rel=1e-9, abs=tol)
    assert m["longitudinal"][k] == 0.0
    # seed Eq. 12 at ξ → ∞ is that deposit
    assert res["eq12"]["inf"][k] == pytest.approx(2 * BETA * J_METAL * math.sin(h), abs=tol)


def test_metallic_antiparallel_deposit_is_longitudinal(res):
    m = res["metallic"]
    assert m["tau_R"][-1] == 0.0 and m["tau_L"][-1] == 0.0
    assert res["metallic_longitudinal_180"] == pytest.approx(2 * BETA * J_METAL, rel=1e-12)
    assert m["deposit"][0] == pytest.approx(0.0, abs=1e-18)  # parallel, equal materials: conserved


def test_eq12_curves_written_out(res):
    # Eq. 12 written out here for the drawn ξ (A1, A2 as the figure assumes them)
    phi = np.radians(res["phi_deg"])
    q = 1 - BETA ** 2
    for xi in XI:
        num = A1 + 2 * math.sqrt(q) * xi * (1 + A2 * np.sin(phi / 2) ** 2 / q) + 4 * xi ** 2 * np.sin(phi / 2) ** 2
        den = q + 2 * math.sqrt(q) * xi + xi ** 2 * np.sin(phi) ** 2
        ref = BETA * J_METAL * np.cos(phi / 2) * np.sin(phi) * num / den
        np.testing.assert_allclose(res["eq12"][xi], ref, rtol=1e-12, atol=1e-18)
        assert res["eq12"][xi][0] == 0.0 and abs(res["eq12"][xi][-1]) < 1e-18  # zero at 0° and 180°
