"""`thermokinetic ballistic` (seed 000 §III.3): torques against an explicit spinor computation and the
module's closed forms; refusals exit 2 in one line naming the option."""
import json
import math

import numpy as np
import pytest
from scipy import constants as sc

from thermokinetic.cli import main

AMPS = {"t_up": 0.8 + 0.3j, "t_dn": 0.2 - 0.4j, "r_up": 0.1 + 0.2j, "r_dn": -0.5 + 0.1j}
SX = np.array([[0, 1], [1, 0]])
SY = np.array([[0, -1j], [1j, 0]])
SZ = np.diag([1.0, -1.0])


def argv(amps=AMPS, extra=()):
    out = ["ballistic"]
    for k, z in amps.items():
        out.append(f"--{k.replace('_', '-')}={z.real!r}{z.imag:+}j")
    return out + list(extra)


def run_json(capsys, args):
    assert main(args + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


def spin(chi):
    """⟨χ|σ|χ⟩ (unnormalized spinor): the spin carried by a unit-velocity wave, in units of ħ/2."""
    return np.real([np.conj(chi) @ S @ chi for S in (SX, SY, SZ)])


def deposit(theta, a):
    """Spin left in the layer per incoming particle [ħ/2], fully polarized beam, frame m = e_z:
    incoming χ = (cos θ/2, sin θ/2); transmitted (t↑ cos, t↓ sin); reflected (r↑ cos, r↓ sin) going back."""
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    inc = spin(np.array([c, s], complex))
    tr = spin(np.array([a["t_up"] * c, a["t_dn"] * s]))
    rf = spin(np.array([a["r_up"] * c, a["r_dn"] * s]))
    return inc - rf - tr  # the reflected wave carries −⟨σ⟩ along +x


@pytest.mark.parametrize("P", [1.0, 0.35])
def test_torques_equal_the_spinor_balance(capsys, P):
    degs = [0, 25, 90, 140, 180]
    out = run_json(capsys, argv(extra=["--theta", ",".join(map(str, degs)), "--P", str(P)]))
    a = AMPS
    cc = a["t_up"] * np.conj(a["t_dn"]) + a["r_up"] * np.conj(a["r_dn"])
    assert out["c"] == pytest.approx([cc.real, cc.imag], abs=1e-15)
    assert out["eta_damping_like"] == pytest.approx(P * (1 - cc.real), abs=1e-14)
    assert out["eta_field_like"] == pytest.approx(P * cc.imag, abs=1e-14)
    for r, d in zip(out["rows"], degs):
        th = math.radians(d)
        dep = P * deposit(th, a)  # the unpolarized part (1 − P) carries no transverse spin
        # in the frame m = e_z, p = (sin θ, 0, cos θ): in-plane along x, out-of-plane along m × p = +y
        assert r["in_plane"] == pytest.approx(dep[0], abs=1e-14)
        assert r["out_of_plane"] == pytest.approx(dep[1], abs=1e-14)
        n_up, n_dn = (1 + P * math.cos(th)) / 2, (1 - P * math.cos(th)) / 2
        T = n_up * abs(a["t_up"]) ** 2 + n_dn * abs(a["t_dn"]) ** 2
        R = n_up * abs(a["r_up"]) ** 2 + n_dn * abs(a["r_dn"]) ** 2
        assert r["transmission"] == pytest.approx(T, abs=1e-14)
        assert r["reflection"] == pytest.approx(R, abs=1e-14)
        lost_up = 1 - abs(a["t_up"]) ** 2 - abs(a["r_up"]) ** 2
        lost_dn = 1 - abs(a["t_dn"]) ** 2 - abs(a["r_dn"]) ** 2
        assert r["longitudinal"] == pytest.approx(n_up * lost_up - n_dn * lost_dn, abs=1e-14)
    # collinear: no torque
    assert out["rows"][0]["in_plane"] == pytest.approx(0.0, abs=1e-15)
    assert out["rows"][-1]["out_of_plane"] == pytest.approx(0.0, abs=1e-15)


def test_limits_ideal_filter_and_no_filter(capsys):
    ideal = {"t_up": 1 + 0j, "t_dn": 0j, "r_up": 0j, "r_dn": 0j}
    out = run_json(capsys, argv(ideal, ["--theta", "30,90", "--P", "0.7"]))
    # Slonczewski's η = 1 per unit polarization: the whole incoming transverse spin is absorbed
    for r, d in zip(out["rows"], (30, 90)):
        assert r["in_plane"] == pytest.approx(0.7 * math.sin(math.radians(d)), abs=1e-15)
        assert r["out_of_plane"] == 0.0
    same = {"t_up": 0.6 + 0.48j, "t_dn": 0.6 + 0.48j, "r_up": 0.64j, "r_dn": 0.64j}  # |t|² + |r|² = 1
    out = run_json(capsys, argv(same, ["--theta", "60"]))
    assert out["rows"][0]["in_plane"] == pytest.approx(0.0, abs=1e-15)
    assert out["rows"][0]["out_of_plane"] == pytest.approx(0.0, abs=1e-15)


def test_torque_per_area_and_i_notation(capsys):
    j = 2e11  # A/m²
    out = run_json(capsys, ["ballistic", "--t-up", "1", "--t-dn", "0.5i", "--r-up", "0", "--r-dn", "0",
                            "--theta", "90", "--j", str(j)])
    assert out["inputs"]["t_dn"] == [0.0, 0.5]
    r = out["rows"][0]
    # (ħ/2e) j η sin θ with η_DL = 1 − Re(1·(0.5i)*) = 1, η_FL = Im(−0.5i) = −0.5
    assert r["in_plane_J_per_m2"] == pytest.approx(sc.hbar / (2 * sc.e) * j * 1.0, rel=1e-8)
    assert r["out_of_plane_J_per_m2"] == pytest.approx(sc.hbar / (2 * sc.e) * j * -0.5, rel=1e-8)


def test_text_table(capsys):
    assert main(argv(extra=["--theta", "45", "--j", "1e11"])) == 0
    text = capsys.readouterr().out
    assert "eta_DL" in text and "in-plane" in text and "J/m2" in text


@pytest.mark.parametrize("extra_amps, extra, needle, allowed", [
    ({"t_up": 0.9 + 0j, "r_up": 0.5 + 0j}, [], "--t-up/--r-up", "<= 1"),
    ({"t_dn": 0.8j, "r_dn": 0.7 + 0j}, [], "--t-dn/--r-dn", "<= 1"),
    ({}, ["--P", "1.5"], "--P=1.5", "[0, 1]"),
    ({}, ["--P", "nan"], "--P=nan", "[0, 1]"),
    ({}, ["--theta", "10,abc"], "--theta='10,abc'", "degrees"),
    ({}, ["--j", "inf"], "--j=inf", "finite"),
])
def test_bad_input_exits_2_in_one_line(capsys, extra_amps, extra, needle, allowed):
    assert main(argv({**AMPS, **extra_amps}, extra)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("thermokinetic ballistic: error: ")
    assert needle in err[0] and allowed in err[0], err[0]


@pytest.mark.parametrize("text", ["1x", "nan", "inf+1j", "1+nanj"])
def test_bad_complex_number(capsys, text):
    assert main(["ballistic", "--t-up", text, "--t-dn", "0", "--r-up", "0", "--r-dn", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"--t-up='{text}'" in err[0] and "finite complex number" in err[0], err
