"""`thermokinetic nonlocal` (seed 000 §IV.2): ΔR_nl against the module's closed forms and the method of
images, the λ_sf/P fit against synthetic data, refusals exit 2 in one line naming the option."""
import json
import math

import numpy as np
import pytest

from thermokinetic.cli import main
from thermokinetic.transport.nonlocal_valve import takahashi_maekawa_delta_R, tunnel_limit_delta_R

NM = 1e-9
SIG, LAM, AREA_NM2 = 3.6e7, 650.0, 250.0 * 50.0   # Al channel at 4.2 K (seed000_nonlocal_valve)
A = AREA_NM2 * NM * NM
R_N = LAM * NM / (SIG * A)                          # 1.444 Ω
DEVICE = ["nonlocal", "--sigma-N", str(SIG), "--lambda-N", str(LAM), "--width", "250", "--thickness", "50"]


def run_json(capsys, argv):
    assert main(argv + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_tunnel_contacts_reproduce_the_notes_and_takahashi_maekawa(capsys):
    Rc, P = 3e3, 0.1
    out = run_json(capsys, DEVICE + ["--Rc", str(Rc), "--P", str(P), "--L", "250,500,1000,2000"])
    assert out["R_N_ohm"] == pytest.approx(R_N, rel=1e-14)
    assert [r["L_m"] for r in out["rows"]] == pytest.approx([250e-9, 500e-9, 1e-6, 2e-6], rel=1e-15)
    for r in out["rows"]:
        L = r["L_m"]
        tm = takahashi_maekawa_delta_R(L, LAM * NM, SIG, A, Rc, P)
        # exact network vs the closed form of the same model: rounding of a dense solve
        assert r["delta_R_nl_ohm"] == pytest.approx(tm, rel=1e-9)
        assert r["takahashi_maekawa_ohm"] == pytest.approx(tm, rel=1e-14)
        # the notes' tunnel formula holds up to the spin backflow into the contacts, O(R_N/R_c) = 5e-4
        notes = float(tunnel_limit_delta_R(P, LAM * NM, SIG, A, L))
        assert r["tunnel_formula_ohm"] == pytest.approx(notes, rel=1e-14)
        assert r["delta_R_nl_ohm"] == pytest.approx(notes, rel=2 * R_N / Rc)
        # infinite channel, identical contacts: R_AP = −R_P, so ΔR = 2 R_P
        assert r["R_nl_AP_ohm"] == pytest.approx(-r["R_nl_P_ohm"], rel=1e-9)
        assert r["delta_R_nl_ohm"] == pytest.approx(2 * r["R_nl_P_ohm"], rel=1e-9)


def test_transparent_contacts_f_wire_and_a_different_detector(capsys):
    # conductance mismatch: R_c ≪ R_N, Co wire behind each contact; the detector is a tunnel contact
    F = ["--sigma-F", "1.69e7", "--lambda-F", "60", "--p-F", "0.46", "--area-F", "25000"]
    out = run_json(capsys, DEVICE + ["--Rc", "0.01", "--P", "0.1", "--Rc-det", "2000", "--P-det", "0.3",
                                     "--L", "400,1300"] + F)
    RF = 60e-9 / (1.69e7 * 25000 * NM * NM)
    assert out["inputs"]["F_electrode"]["R_F_ohm"] == pytest.approx(RF, rel=1e-14)
    for r in out["rows"]:
        tm = takahashi_maekawa_delta_R(r["L_m"], LAM * NM, SIG, A, (0.01, 2000.0), (0.1, 0.3), RF, 0.46)
        assert r["delta_R_nl_ohm"] == pytest.approx(tm, rel=1e-9)


@pytest.mark.parametrize("end, sign", [("sink", -1.0), ("reflect", 1.0)])
def test_finite_left_end_against_the_method_of_images(capsys, end, sign):
    # tunnel contacts, left end d = 200 nm behind the injector: the end's image source at distance
    # 2d gives ΔR = P² R_N e^{−L/λ} (1 ∓ e^{−2d/λ}) (− for a spin sink μs = 0, + for a reflecting end
    # j_s = 0), up to the O(R_N/R_c) = 1e-5 backflow.
    sig, lam, area, Rc, P, d = 2e7, 400.0, 2e4, 1e5, 0.3, 200.0
    RN = lam * NM / (sig * area * NM * NM)
    out = run_json(capsys, ["nonlocal", "--sigma-N", str(sig), "--lambda-N", str(lam), "--area", str(area),
                            "--Rc", str(Rc), "--P", str(P), "--L", "300,900", "--x-left", str(-d),
                            "--left-end", end])
    assert "takahashi_maekawa_ohm" not in out["rows"][0]  # that closed form is for an infinite channel
    for r in out["rows"]:
        ref = P * P * RN * math.exp(-r["L_m"] / (lam * NM)) * (1 + sign * math.exp(-2 * d / lam))
        assert r["delta_R_nl_ohm"] == pytest.approx(ref, rel=4 * RN / Rc)


def test_text_table(capsys):
    assert main(DEVICE + ["--Rc", "3000", "--P", "0.1", "--L", "650"]) == 0
    text = capsys.readouterr().out
    assert "dR_nl[Ohm]" in text and "T-M[Ohm]" in text and "R_N = 1.44444 Ohm" in text


def _write(path, L_nm, dR, err=None, header="L_nm,dR_ohm,err_ohm"):
    lines = ["# synthetic nonlocal data", header]
    for k, (l, v) in enumerate(zip(L_nm, dR)):
        lines.append(f"{float(l)!r},{float(v)!r}" + (f",{float(err[k])!r}" if err is not None else ""))
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_fit_recovers_lambda_and_P_from_exact_data(capsys, tmp_path):
    lam, P = 480.0, 0.23
    L_nm = np.linspace(200.0, 2000.0, 8)
    dR = tunnel_limit_delta_R(P, lam * NM, SIG, A, L_nm * NM)  # the fitted model, noise-free
    f = _write(tmp_path / "exact.csv", L_nm, dR, header="L [nm], dR [Ohm]")
    out = run_json(capsys, ["nonlocal", "--fit", f, "--sigma-N", str(SIG), "--area", str(AREA_NM2)])
    assert out["mode"] == "fit" and out["points"] == 8 and out["dof"] == 6
    # noise-free data: the least-squares optimum is the truth up to the optimizer's tolerance
    assert out["lambda_N_m"] == pytest.approx(lam * NM, rel=1e-7)
    assert out["P"] == pytest.approx(P, rel=1e-7)
    assert out["delta_R0_ohm"] == pytest.approx(P * P * lam * NM / (SIG * A), rel=1e-7)
    assert out["errors_from"].startswith("the residuals")


def test_fit_with_error_column_covers_the_truth(capsys, tmp_path):
    lam, P = 350.0, 0.1
    L_nm = np.linspace(250.0, 2000.0, 10)
    exact = tunnel_limit_delta_R(P, lam * NM, SIG, A, L_nm * NM)
    rng = np.random.default_rng(20240)
    meas = exact * (1 + 0.03 * rng.standard_normal(exact.shape))
    f = _write(tmp_path / "noisy.csv", L_nm, meas, 0.03 * exact)
    out = run_json(capsys, ["nonlocal", "--fit", f, "--sigma-N", str(SIG), "--width", "250", "--thickness", "50"])
    assert out["errors_from"] == "the file's error column"
    # 3 % errors on 10 points: a few-% 1σ; the truth within 3σ (fixed seed)
    assert 0 < out["lambda_N_err_m"] < 0.1 * out["lambda_N_m"]
    assert abs(out["lambda_N_m"] - lam * NM) < 3 * out["lambda_N_err_m"]
    assert abs(out["P"] - P) < 3 * out["P_err"]
    # without σ_N and A only λ and ΔR0
    out = run_json(capsys, ["nonlocal", "--fit", f])
    assert out["P"] is None and out["lambda_N_m"] > 0
    assert main(["nonlocal", "--fit", f]) == 0
    assert "lambda_sf =" in capsys.readouterr().out


@pytest.mark.parametrize("argv, needle, allowed", [
    (DEVICE + ["--Rc", "3000", "--P", "0.1", "--L", "250,1000", "--x-right", "800"], "--L='250,1000'",
     "outside the channel"),
    (DEVICE + ["--Rc", "3000", "--P", "0.1", "--L", "250", "--x-left", "0"], "--x-inj=0.0", "inside the channel"),
    (DEVICE + ["--Rc", "3000", "--P", "0.1", "--L", "250", "--x-left", "10", "--x-right", "5"], "--x-right=5.0",
     "> --x-left"),
    (["nonlocal", "--sigma-N=-3.6e7", "--lambda-N", "650", "--area", "1e4", "--Rc", "3000", "--P", "0.1", "--L", "250"],
     "--sigma-N=-36000000.0", "> 0"),
    (DEVICE + ["--Rc=-3000", "--P", "0.1", "--L", "250"], "--Rc=-3000.0", "> 0"),
    (DEVICE + ["--Rc", "3000", "--P", "1", "--L", "250"], "--P=1.0", "(-1, 1)"),
    (DEVICE + ["--Rc", "3000", "--P", "0.1", "--P-det", "nan", "--L", "250"], "--P-det=nan", "(-1, 1)"),
    (DEVICE[:-4] + ["--Rc", "3000", "--P", "0.1", "--L", "250"], "--area", "--width and --thickness"),
    (DEVICE[:3] + ["--lambda-N", "nan", "--area", "1e4", "--Rc", "3000", "--P", "0.1", "--L", "250"],
     "--lambda-N=nan", "> 0"),
    (DEVICE + ["--Rc", "3000", "--P", "0.1", "--L", "250,-5"], "--L='250,-5'", "> 0"),
    (DEVICE + ["--Rc", "3000", "--P", "0.1"], "--L", "> 0"),
    (DEVICE + ["--Rc", "3000", "--P", "0.1", "--L", "250", "--sigma-F", "1e7"], "--lambda-F", "--area-F"),
    (DEVICE + ["--Rc", "3000", "--P", "0.1", "--L", "250", "--sigma-F", "1e7", "--lambda-F", "60", "--p-F", "1.2",
               "--area-F", "1e4"], "--p-F=1.2", "(-1, 1)"),
])
def test_bad_device_input_exits_2_in_one_line(capsys, argv, needle, allowed):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("thermokinetic nonlocal: error: "), err
    assert needle in err[0] and allowed in err[0], err[0]


def test_bad_fit_input_exits_2_in_one_line(capsys, tmp_path):
    good = _write(tmp_path / "g.csv", [100.0, 200.0, 400.0], [1.0, 0.8, 0.5])
    bad = tmp_path / "b.csv"
    bad.write_text("L,dR\n100,1\n200,x\n400,0.5\n")
    short = _write(tmp_path / "s.csv", [100.0, 200.0], [1.0, 0.8])
    cases = [(["--fit", str(tmp_path / "missing.csv")], "not found"),
             (["--fit", str(bad)], "b.csv:3"),
             (["--fit", short], "at least 3 data rows"),
             (["--fit", good, "--Rc", "3"], "--Rc=3.0"),
             (["--fit", good, "--sigma-N", "1e7"], "--area")]
    for extra, needle in cases:
        assert main(["nonlocal"] + extra) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "--" in err[0] and needle in err[0], err
