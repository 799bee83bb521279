"""`thermokinetic junction` (seed 003): numbers against closed forms written out here, refusals exit 2."""
import json
import math

import pytest
from scipy import constants as sc

from thermokinetic.cli import main

HBAR_2E = sc.hbar / (2 * sc.e)  # J/A, independent of thermokinetic.units
TUNNEL = ["junction", "--G", "2e-3", "--V", "0.05", "--pL", "0.6", "--pR", "-0.25"]
METAL = ["junction", "--limit", "metallic", "--V", "0.01", "--sigmaL-up", "3", "--sigmaL-dn", "1",
         "--sigmaR-up", "2.5", "--sigmaR-dn", "0.5"]


def run_json(capsys, argv):
    assert main(argv + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_tunnel_json_matches_julliere_and_slonczewski(capsys):
    G, V, pL, pR = 2e-3, 0.05, 0.6, -0.25
    out = run_json(capsys, TUNNEL + ["--phi", "0,37,90,151,180"])
    assert out["inputs"]["limit"] == "tunnel" and out["inputs"]["G_S"] == G
    assert [r["phi_deg"] for r in out["rows"]] == [0, 37, 90, 151, 180]
    GV = G * V
    for r in out["rows"]:
        c, s = math.cos(math.radians(r["phi_deg"])), math.sin(math.radians(r["phi_deg"]))
        tol = 1e-12 * GV  # a sum of four terms of size GV: rounding only
        assert r["J_A"] == pytest.approx(GV * (1 + pL * pR * c), abs=tol)
        assert r["JM_L_A"] == pytest.approx(GV * (pL + pR * c), abs=tol)
        assert r["JM_R_A"] == pytest.approx(GV * (pR + pL * c), abs=tol)
        assert r["delta_JM_A"] == pytest.approx(GV * (pR - pL) * (1 - c), abs=tol)
        # Slonczewski: torque on R is GV pL sin Φ towards m_L, on L GV pR sin Φ away from m_R
        assert r["torque_R_A"] == pytest.approx(GV * pL * s, abs=tol)
        assert r["torque_L_A"] == pytest.approx(-GV * pR * s, abs=tol)
        assert r["torque_R_Nm"] == pytest.approx(HBAR_2E * GV * pL * s, rel=1e-8, abs=1e-12 * HBAR_2E * GV)
        assert r["longitudinal_A"] == pytest.approx(0.0, abs=tol)
        # the vectors: deposit = J_M^L m_L − J_M^R m_R = torque_R + torque_L
        mR = (s, 0.0, c)
        dep = [r["JM_L_A"] * (k == 2) - r["JM_R_A"] * mR[k] for k in range(3)]
        assert r["deposit_A"] == pytest.approx(dep, abs=tol)
        assert [a + b for a, b in zip(r["torque_R_vec_A"], r["torque_L_vec_A"])] == pytest.approx(dep, abs=tol)


def test_tunnel_spin_accumulation_closed_form(capsys):
    # P = 0, no bias: J_M^L = g(μs_L − cos Φ μs_R), J_M^R = g(cos Φ μs_L − μs_R), g = G/2;
    # torque on R = g μs_L sin Φ, on L = g μs_R sin Φ (towards the other magnet)
    G, msL, msR = 1e-3, 0.02, -0.007
    out = run_json(capsys, ["junction", "--G", str(G), "--V", "0", f"--mus-L={msL}", f"--mus-R={msR}",
                            "--phi", "20,90,160"])
    g = G / 2
    for r in out["rows"]:
        c, s = math.cos(math.radians(r["phi_deg"])), math.sin(math.radians(r["phi_deg"]))
        assert r["J_A"] == pytest.approx(0.0, abs=1e-18)
        assert r["JM_L_A"] == pytest.approx(g * (msL - c * msR), abs=1e-17)
        assert r["JM_R_A"] == pytest.approx(g * (c * msL - msR), abs=1e-17)
        assert r["torque_R_A"] == pytest.approx(g * msL * s, abs=1e-17)
        assert r["torque_L_A"] == pytest.approx(g * msR * s, abs=1e-17)


def test_metallic_json_parallel_circuit(capsys):
    out = run_json(capsys, METAL + ["--phi", "0,60,180"])
    V, SL, SR = 0.01, 4.0, 3.0
    J = V / (1 / SL + 1 / SR)  # two resistors in series
    bL, bR = (3 - 1) / 4, (2.5 - 0.5) / 3
    rows = {r["phi_deg"]: r for r in out["rows"]}
    for r in rows.values():
        assert r["J_A"] == pytest.approx(J, rel=1e-13)
        assert r["JM_L_A"] == pytest.approx(bL * J, rel=1e-13)
        assert r["JM_R_A"] == pytest.approx(bR * J, rel=1e-13)
    # collinear: no torque; the deposit (β_L ∓ β_R) J lies along the common axis
    assert rows[0]["torque_R_A"] == rows[0]["torque_L_A"] == 0.0
    assert rows[0]["longitudinal_A"] == pytest.approx((bL - bR) * J, rel=1e-12)
    assert rows[180]["torque_R_A"] == rows[180]["torque_L_A"] == 0.0
    assert rows[180]["longitudinal_A"] == pytest.approx((bL + bR) * J, rel=1e-12)
    # 60°: deposit a(m_L − c m_R) + b(m_R − c m_L), a = (J_M^L − c J_M^R)/s², b = (c J_M^L − J_M^R)/s²
    c, s = 0.5, math.sqrt(3) / 2
    assert rows[60]["torque_R_A"] == pytest.approx((bL - c * bR) * J / s, rel=1e-12)
    assert rows[60]["torque_L_A"] == pytest.approx((c * bL - bR) * J / s, rel=1e-12)
    assert rows[60]["abs_deposit_A"] == pytest.approx(J * math.hypot(bL - bR * c, bR * s), rel=1e-12)


def test_interface_rotation(capsys):
    A, K, area = 1.5e-11, 2e5, 1e-14
    out = run_json(capsys, TUNNEL + ["--phi", "90", "--area", str(area), "--A", str(A), "--K", str(K)])
    r = out["rows"][0]
    tau = HBAR_2E * 2e-3 * 0.05 * 0.6 / area  # J/m²: the torque per area on the right magnet
    # δθ0 = τ/(2 sqrt(AK)) (anisotropy torque of the exponential tail balances τ)
    assert r["dtheta0_R_rad"] == pytest.approx(tau / (2 * math.sqrt(A * K)), rel=1e-8)
    # torque on L: −GV pR (pR = −0.25) = +GV·0.25
    assert r["dtheta0_L_rad"] == pytest.approx(tau * 0.25 / 0.6 / (2 * math.sqrt(A * K)), rel=1e-8)
    assert out["rotation_width_m"] == pytest.approx(math.sqrt(A / K), rel=1e-14)


def test_text_table(capsys):
    assert main(TUNNEL + ["--phi", "0,90"]) == 0
    text = capsys.readouterr().out
    assert "tunnel limit" in text and "JM_L" in text and "torque_R" in text
    assert main(METAL + ["--phi", "180", "--area", "1e-12", "--A", "1e-11", "--K", "1e5"]) == 0
    text = capsys.readouterr().out
    assert "metallic limit" in text and "dth0_R[rad]" in text and "sqrt(A/K)" in text


@pytest.mark.parametrize("argv, needle, allowed", [
    (TUNNEL[:5] + ["--pL", "1"], "--pL=1.0", "(-1, 1)"),
    (TUNNEL[:5] + ["--pR=-1"], "--pR=-1.0", "(-1, 1)"),
    (TUNNEL[:5] + ["--pL", "nan"], "--pL=nan", "(-1, 1)"),
    (["junction", "--G=-2e-3", "--V", "0.1"], "--G=-0.002", "> 0"),
    (["junction", "--G", "0", "--V", "0.1"], "--G=0.0", "> 0"),
    (["junction", "--G", "nan", "--V", "0.1"], "--G=nan", "> 0"),
    (["junction", "--V", "0.1"], "--G", "given"),
    (["junction", "--G", "1e-3", "--V", "inf"], "--V=inf", "finite"),
    (TUNNEL + ["--mus-L", "nan"], "--mus-L=nan", "finite"),
    (TUNNEL + ["--phi", "0,x"], "--phi='0,x'", "degrees"),
    (TUNNEL + ["--sigmaL-up", "1"], "--sigmaL-up=1.0", "omitted with --limit tunnel"),
    (METAL[:-1] + ["-0.5"], "--sigmaR-dn=-0.5", "> 0"),
    (METAL[:5] + ["--sigmaL-up", "1"], "--sigmaL-dn", "given"),
    (METAL + ["--pL", "0.3"], "--pL=0.3", "omitted with --limit metallic"),
    (TUNNEL + ["--area", "1e-14"], "--A", "--area, --A and --K"),
    (TUNNEL + ["--area", "1e-14", "--A=-1e-11", "--K", "1e5"], "--A=-1e-11", "> 0"),
    (TUNNEL + ["--area", "1e-19", "--A", "1e-11", "--K", "1e5"], "--area=1e-19", "0.3 rad"),
])
def test_bad_input_exits_2_in_one_line(capsys, argv, needle, allowed):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("thermokinetic junction: error: ") and needle in err[0] and allowed in err[0], err[0]
