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


def _a2(theta, dN, p1, p2, G1, G2, GN, lN):
    """Seed 004 Eq. (A2) for semi-infinite F layers (G̃ = G): ring positions μ1, μ2."""
    A1, A2 = G1 + GN / math.tanh(dN / lN), G2 + GN / math.tanh(dN / lN)
    B, c = GN / math.sinh(dN / lN), math.cos(theta)
    det = A1 * A2 - B * B * c * c
    return (A2 * p1 - B * c * p2) / det, (B * c * p1 - A1 * p2) / det


def test_fig7_mechanical_analogy(tmp_path):
    res = make_figures(tmp_path, only=["seed004_fig7"])["seed004_fig7"]
    assert all(_png_ok(p) for p in res["files"])
    q, sp = res["params"], res["spring"]
    p1, p2, G1, G2 = q["p1"], q["p2"], q["G1"], q["G2"]
    # hodograph panels, transparent interfaces: the rings are (A2)'s μ1, μ2 (two derivations of a
    # 2x2 system: rounding, but (A2) cancels ~3 digits at θ = 0, 180° and d_N = 1e-3, where
    # det = A1 A2 − B² with A, B ~ G_N l_N/d_N: measured 2.8e-13), and the N-side rings coincide
    for key, c in res["cases"].items():
        if not c["springs"]:
            par = {k: q[k] for k in ("p1", "p2", "G1", "G2", "GN", "lN")}
            m1, m2 = _a2(math.radians(c["theta_deg"]), c["dN"], **par)
            assert (c["mu1"], c["mu2"]) == pytest.approx((m1, m2), rel=1e-11, abs=1e-15), key
            assert (c["mu1_N"], c["mu2_N"]) == (c["mu1"], c["mu2"])
    s = res["small_dN"]
    # (A) generic angle: an infinitely stiff N cord (G̃_N ~ G_N l_N/d_N) pulls both rings to the rods'
    # crossing; they vanish linearly in d_N (ratio 10 between d_N = 1e-5 and 1e-6, to O(d_N))
    a5, a6 = s["60_transparent_1e-05"], s["60_transparent_1e-06"]
    assert a5["mu1"] / a6["mu1"] == pytest.approx(10, rel=1e-4)
    assert a5["mu2"] / a6["mu2"] == pytest.approx(10, rel=1e-4)
    assert abs(a6["mu1"]) < 1e-6 and abs(a6["mu2"]) < 1e-6
    # (B), (C) collinear: the rings meet (separation ∝ d_N) away from the crossing, where the driving
    # forces balance the F cords: μ = (p1 ∓ p2)/(G1 + G2) (−0.4 and 0.5, μ2 = ±μ1), to O(d_N)
    for key, mu1, sgn in (("0_transparent_1e-06", (p1 - p2) / (G1 + G2), 1),
                          ("180_transparent_1e-06", (p1 + p2) / (G1 + G2), -1)):
        assert s[key]["mu1"] == pytest.approx(mu1, abs=5e-6) and s[key]["mu2"] == pytest.approx(sgn * mu1, abs=5e-6)
        assert s[key]["separation"] < 2e-7
    # interface springs (G_s = 2G↑G↓/(G↑+G↓), γ = (G↑−G↓)/(G↑+G↓), transverse part transparent):
    # the N-side rings still go to the crossing, but each F ring now hangs between its cord (G_i),
    # its spring (G_s) and its driving forces (p_i and γ): μ1 = (p1 − γ)/(G1 + G_s),
    # μ2 = (γ − p2)/(G2 + G_s) (derived in seed004.fig7's docstring), δr stays finite at every angle
    Gs = 2 * sp["G_up"] * sp["G_dn"] / (sp["G_up"] + sp["G_dn"])
    g = (sp["G_up"] - sp["G_dn"]) / (sp["G_up"] + sp["G_dn"])
    k5, k6 = s["60_springs_1e-05"], s["60_springs_1e-06"]
    assert k6["mu1"] == pytest.approx((p1 - g) / (G1 + Gs), rel=1e-5)  # -0.07778
    assert k6["mu2"] == pytest.approx((g - p2) / (G2 + Gs), rel=1e-5)  # -0.18889
    assert k5["mu1_N"] / k6["mu1_N"] == pytest.approx(10, rel=1e-4) and abs(k6["mu1_N"]) < 1e-6
    dr = (p1 - g) ** 2 / (2 * (G1 + Gs)) + (p2 - g) ** 2 / (2 * (G2 + Gs))
    assert k6["delta_r"] == pytest.approx(dr, rel=1e-5)  # 0.062593; transparent: → 0 (1.2e-7 here)
    assert a6["delta_r"] < 1e-6
