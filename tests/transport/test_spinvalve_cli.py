"""`thermokinetic spinvalve`: numbers against seed 004 closed forms, errors with exit status 2."""
import json
import math

import pytest

from thermokinetic.cli import main

BASE = ["spinvalve", "--p1", "0.1", "--p2", "0.9", "--G1", "1", "--G2", "1", "--GN", "4",
        "--dN", "0.5", "--lN", "1"]


def run_json(capsys, extra):
    assert main(BASE + extra + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_matches_appendix_A2_and_B1_sign(capsys):
    out = run_json(capsys, ["--theta", "30"])
    G, GN, dN = 1.0, 4.0, 0.5
    A = G + GN / math.tanh(dN)
    B = GN / math.sinh(dN)
    c = math.cos(math.radians(30))
    det = A * A - B * B * c * c
    mu1 = (A * 0.1 - B * c * 0.9) / det
    mu2 = (B * c * 0.1 - A * 0.9) / det
    # closed form vs linear solve: rounding-level agreement
    assert out["mu1"] == pytest.approx(mu1, rel=1e-12)
    assert out["mu2"] == pytest.approx(mu2, rel=1e-12)
    assert out["g1"] == pytest.approx(-B * mu2, rel=1e-12)
    assert out["g2"] == pytest.approx(B * mu1, rel=1e-12)
    assert out["delta_r"] == pytest.approx((0.1 * mu1 - 0.9 * mu2) / 2, rel=1e-12)
    # p2/p1 = 9 > A/(B cos θ) here: (B1) predicts g2 < 0 < g1
    assert 0.9 / 0.1 > A / (B * c) and out["g2"] < 0 < out["g1"]


def test_finite_thicknesses_enter_through_coth(capsys):
    thin = run_json(capsys, ["--theta", "60", "--d1", "0.2", "--l1", "1", "--d2", "50", "--l2", "1"])
    thick = run_json(capsys, ["--theta", "60"])
    # d2 = 50 l2 is indistinguishable from d2 ≫ l2; a thin F1 (coth(0.2) ≈ 5) changes μ1
    A2 = 1 + 4 / math.tanh(0.5)
    A1 = 1 / math.tanh(0.2) + 4 / math.tanh(0.5)
    B, c = 4 / math.sinh(0.5), 0.5
    det = A1 * A2 - B * B * c * c
    assert thin["mu1"] == pytest.approx((A2 * 0.1 - B * c * 0.9) / det, rel=1e-12)
    assert abs(thin["mu1"] - thick["mu1"]) > 1e-3


def test_text_output(capsys):
    assert main(BASE + ["--theta", "90"]) == 0
    out = capsys.readouterr().out
    assert "g1" in out and "delta_r" in out


@pytest.mark.parametrize("extra, needle", [
    (["--theta", "10", "--dN", "-1"], "N.d=-1"),
    (["--theta", "10", "--p2", "1"], "F2.p=1"),
    (["--theta", "10", "--G1", "0"], "F1.G=0"),
    (["--theta", "10", "--d2", "1"], "F2.l"),
    (["--theta", "10", "--l1", "-2"], "F1.l=-2"),
    (["--theta", "nan"], "theta"),
    # issue 11: printed nan everywhere with exit 0 (d/l below what coth/csch resolve)
    (["--theta", "30", "--dN", "1e-320"], "N.d=1e-320"),
    (["--theta", "30", "--d1", "1e5", "--l1", "1"], "F1.d=100000"),
])
def test_bad_input_exit_2_one_line(capsys, extra, needle):
    assert main(BASE + extra) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0], err


def test_missing_required_option_exits_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(BASE)  # --theta missing
    assert e.value.code == 2
