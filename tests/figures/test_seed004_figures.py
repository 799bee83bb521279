"""Seed 004 figures: each PNG is written and its key numbers match closed forms / the seed's plots."""
import math

import pytest

from thermokinetic.cli import main
from thermokinetic.figures import make_figures


def _png_ok(path):
    with open(path, "rb") as fh:
        return fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_fig2_single_contact(tmp_path):
    res = make_figures(tmp_path, only=["seed004_fig2"])["seed004_fig2"]
    assert all(_png_ok(p) for p in res["files"])
    q = res["params"]
    # Eq. (7): p j0 − (G_F + G_N) μs(0) = 0; js(0) = G_N μs(0) (continuous, collinear)
    assert res["mu0"] == pytest.approx(q["p"] / (q["GF"] + q["GN"]), rel=1e-13)
    assert res["js0"] == pytest.approx(q["p"] * q["GN"] / (q["GF"] + q["GN"]), rel=1e-13)


def test_fig3_collinear_structures(tmp_path):
    res = make_figures(tmp_path, only=["seed004_fig3"])["seed004_fig3"]
    assert all(_png_ok(p) for p in res["files"])
    q = res["params"]
    x = q["d"] / q["lN"]
    A = q["GF"] + q["GN"] / math.tanh(x)
    B = q["GN"] / math.sinh(x)
    # F/N/F, identical parallel semi-infinite F: antisymmetric, μ1 = p/(A + B) (derived from (A2))
    assert res["FNF_mu"] == pytest.approx([q["p"] / (A + B), -q["p"] / (A + B)], rel=1e-13)
    # N/F/N: forces reversed (Eq. 8): μ1 = −p / (G_N + G_F coth(d/l_F) + G_F csch(d/l_F))
    y = q["d"] / q["lF"]
    mu = -q["p"] / (q["GN"] + q["GF"] / math.tanh(y) + q["GF"] / math.sinh(y))
    assert res["NFN_mu"] == pytest.approx([mu, -mu], rel=1e-13)


def test_fig45_hodographs(tmp_path):
    res = make_figures(tmp_path, only=["seed004_fig4_5"])["seed004_fig4_5"]
    assert all(_png_ok(p) for p in res["files"])
    f4, f5 = res["fig4"], res["fig5"]
    # Fig. 4: symmetric valve, both efficiency factors positive and equal
    assert f4["g1"] > 0 and f4["g2"] == pytest.approx(f4["g1"], rel=1e-12)
    # Fig. 5: μ1 ring dragged to the negative side of the m1 axis ⇒ g2 < 0 while g1 > 0
    assert f5["mu1"] < 0 and f5["g2"] < 0 < f5["g1"]
    # closed forms (A2) for the Fig. 5 case: p1=0.1, p2=0.9, G=1, GN=4, dN/lN=0.5, θ=30°
    A = 1 + 4 / math.tanh(0.5)
    B = 4 / math.sinh(0.5)
    c = math.cos(math.radians(30))
    det = A * A - B * B * c * c
    assert f5["mu1"] == pytest.approx((A * 0.1 - B * c * 0.9) / det, rel=1e-12)
    # the N cord sags (spin relaxation in N): its hodograph is not the straight chord
    assert f4["slack"] > 1e-3 and f5["slack"] > 1e-4


def test_fig6_dN_dependence(tmp_path):
    res = make_figures(tmp_path, only=["seed004_fig6"])["seed004_fig6"]
    assert all(_png_ok(p) for p in res["files"])
    q = res["params"]
    p1, p2, G1, G2, GN = q["p1"], q["p2"], q["G1"], q["G2"], q["GN"]
    dri = (p1**2 / (G1 + GN) + p2**2 / (G2 + GN)) / 2
    assert res["delta_r_inf"] == pytest.approx(dri, rel=1e-12)
    small = {int(k): v for k, v in res["ratio_dN_1e-6"].items()}
    # singular d_N → 0 limit: finite at 0° and 180° (closed forms), vanishing for every other angle
    assert small[0] == pytest.approx((p1 - p2) ** 2 / (2 * (G1 + G2)) / dri, rel=1e-5)  # 1.9512
    assert small[180] == pytest.approx((p1 + p2) ** 2 / (2 * (G1 + G2)) / dri, rel=1e-5)  # 3.0488
    assert all(v < 1e-3 for a, v in small.items() if a not in (0, 180))
    # δr/δr∞ → 1 at d_N ≫ l_N (coupling ∝ e^{-d_N/l_N})
    assert all(v == pytest.approx(1.0, abs=1e-10) for v in res["ratio_dN_30"].values())
    # at d_N = 3 l_N all curves are within a few % of 1, as in the seed's plot
    assert all(abs(v - 1) < 0.03 for v in res["ratio_dN_3"].values())


def test_figures_cli_only(tmp_path, capsys):
    assert main(["figures", "--only", "seed004_fig2", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "seed004_fig2.png").is_file()
