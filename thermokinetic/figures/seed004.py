"""Figures of seed 004 (diffusive noncollinear spin valves, mechanical analogy), reduced units.

All quantities in the seed's reduced units: particle current j0 = 1, G = D/2l, lengths in units of
the spin-diffusion length of the N spacer where not stated.  Every function returns the key
numbers that the tests assert.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..transport.noncollinear import Layer, solve, spin_valve, spin_valve_mu

__all__ = ["FIGURES", "FIG6_PARAMS", "FIG45_CASES"]

#: Seed 004 Fig. 6 caption: d_i/l_i ≫ 1 in the ferromagnets, G1 = G2, GN = 4 G1, p1 = 0.1, p2 = 0.9.
FIG6_PARAMS = dict(p1=0.1, p2=0.9, G1=1.0, G2=1.0, GN=4.0, lN=1.0)
FIG6_ANGLES = ([0, 5, 15, 30, 50, 90], [90, 120, 140, 160, 170, 180])

#: Fig. 4 (both efficiency factors positive) and Fig. 5 (asymmetric valve, g2 < 0).
FIG45_CASES = {
    "fig4": dict(p1=0.5, p2=0.5, G1=1.0, G2=1.0, GN=1.0, dN=1.0, lN=1.0, theta_deg=60.0),
    "fig5": dict(p1=0.1, p2=0.9, G1=1.0, G2=1.0, GN=4.0, dN=0.5, lN=1.0, theta_deg=30.0),
}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def fig2(outdir: Path) -> dict:
    """Seed 004 Fig. 2: μs(x) and js(x) at a single F/N contact (semi-infinite layers)."""
    plt = _plt()
    p, GF, GN, lF, lN = 0.5, 1.0, 2.0, 1.0, 2.0
    sol = solve([Layer("F", G=GF, l=lF, p=p, m=(0, 0, 1), name="F"), Layer("N", G=GN, l=lN, name="N")])
    g = sol.grid(400, tail=4.0)
    fig, ax = plt.subplots(2, 1, figsize=(5, 5), sharex=True)
    ax[0].plot(g["x"], g["js"][:, 2], "k")
    ax[0].axhline(p, ls=":", c="gray")
    ax[0].set_ylabel(r"$j_s$ (units of $j_0$)")
    ax[1].plot(g["x"], g["mu"][:, 2], "k")
    ax[1].set_ylabel(r"$\mu_s$")
    ax[1].set_xlabel("x")
    for a in ax:
        a.axvline(0, c="gray", lw=0.5)
    ax[0].set_title(f"F/N contact: p={p}, G_F={GF}, G_N={GN}, l_F={lF}, l_N={lN}")
    fig.tight_layout()
    path = Path(outdir) / "seed004_fig2.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return {"files": [path], "mu0": float(sol.mu[0, 2]), "js0": float(sol.js_left[0, 2]),
            "params": dict(p=p, GF=GF, GN=GN, lF=lF, lN=lN)}


def fig3(outdir: Path) -> dict:
    """Seed 004 Fig. 3: collinear F/N/F and N/F/N structures, μs(x) and js(x)."""
    plt = _plt()
    p, GF, GN, lF, lN, d = 0.5, 1.0, 2.0, 1.0, 2.0, 1.0
    fnf = solve([Layer("F", G=GF, l=lF, p=p, m=(0, 0, 1), name="F1"), Layer("N", G=GN, l=lN, d=d, name="N"),
                 Layer("F", G=GF, l=lF, p=p, m=(0, 0, 1), name="F2")])
    nfn = solve([Layer("N", G=GN, l=lN, name="N1"), Layer("F", G=GF, l=lF, d=d, p=p, m=(0, 0, 1), name="F"),
                 Layer("N", G=GN, l=lN, name="N2")])
    fig, ax = plt.subplots(2, 2, figsize=(9, 5), sharex="col")
    for col, (sol, title) in enumerate([(fnf, "F/N/F"), (nfn, "N/F/N")]):
        g = sol.grid(300, tail=4.0)
        ax[0, col].plot(g["x"], g["js"][:, 2], "k")
        ax[1, col].plot(g["x"], g["mu"][:, 2], "k")
        ax[0, col].set_title(f"{title} (p={p}, G_F={GF}, G_N={GN}, d={d})")
        for a in ax[:, col]:
            for xi in sol.x_interfaces:
                a.axvline(xi, c="gray", lw=0.5)
        ax[1, col].set_xlabel("x")
    ax[0, 0].set_ylabel(r"$j_s$")
    ax[1, 0].set_ylabel(r"$\mu_s$")
    fig.tight_layout()
    path = Path(outdir) / "seed004_fig3.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return {"files": [path], "FNF_mu": fnf.mu[:, 2].tolist(), "NFN_mu": nfn.mu[:, 2].tolist(),
            "FNF_delta_r": fnf.delta_r, "NFN_delta_r": nfn.delta_r,
            "params": dict(p=p, GF=GF, GN=GN, lF=lF, lN=lN, d=d)}


def fig45(outdir: Path) -> dict:
    """Seed 004 Figs. 4–5: hodographs of μs(x) and js(x) in spin space (g2 > 0 and g2 < 0 cases)."""
    plt = _plt()
    out = {"files": []}
    fig, axes = plt.subplots(2, 2, figsize=(9, 8))
    for col, (key, case) in enumerate(FIG45_CASES.items()):
        par = {k: v for k, v in case.items() if k != "theta_deg"}
        th = math.radians(case["theta_deg"])
        res = spin_valve(theta=th, **par)
        sol = res.solution
        m1, m2 = np.array([0, 0, 1.0]), np.array([math.sin(th), 0, math.cos(th)])
        g = sol.grid(300, tail=5.0)
        # plane coordinates: horizontal = e_x, vertical = e_z (= m1)
        axm, axj = axes[0, col], axes[1, col]
        R = 1.2 * max(np.abs(g["mu"]).max(), 1e-12)
        for m, lab in ((m1, "m1"), (m2, "m2")):
            axm.plot([-R * m[0], R * m[0]], [-R * m[2], R * m[2]], c="gray", lw=0.8)
            axm.annotate(lab, (R * m[0], R * m[2]))
        colors = {"F1": "g", "N": "r", "F2": "g"}
        for i, lay in enumerate(sol.layers):
            sel = g["layer"] == i
            axm.plot(g["mu"][sel, 0], g["mu"][sel, 2], c=colors[lay.name], lw=2)
            axj.plot(g["js"][sel, 0], g["js"][sel, 2], c=colors[lay.name], lw=2)
        axm.plot([sol.mu[0, 0], sol.mu[1, 0]], [sol.mu[0, 2], sol.mu[1, 2]], "ko", ms=5)
        axm.set_aspect("equal")
        axm.set_title(f"{key}: μs hodograph, θ={case['theta_deg']:g}°, g1={res.g1:.3f}, g2={res.g2:.3f}")
        Rj = 1.2 * max(np.abs(g["js"]).max(), 1e-12)
        for m in (m1, m2):
            axj.plot([-Rj * m[0], Rj * m[0]], [-Rj * m[2], Rj * m[2]], c="gray", lw=0.8)
        for k, (a, b) in enumerate([(sol.js_left[0], sol.js_right[0]), (sol.js_left[1], sol.js_right[1])]):
            axj.annotate("", xy=(b[0], b[2]), xytext=(a[0], a[2]),
                         arrowprops=dict(arrowstyle="<-", color="b"))
        axj.set_aspect("equal")
        axj.set_title(f"{key}: js hodograph (blue: jumps Δjs)")
        for a in (axm, axj):
            a.set_xlabel("e_x component")
            a.set_ylabel("m1 component")
        # slack of the N cord: largest distance of μs(x) in N from the chord μ1→μ2
        sel = g["layer"] == 1
        P = g["mu"][sel][:, [0, 2]]
        a, b = P[0], P[-1]
        t = b - a
        nrm = np.linalg.norm(t)
        d = P - a
        slack = float(np.abs(t[0] * d[:, 1] - t[1] * d[:, 0]).max() / nrm) if nrm > 0 else 0.0
        out[key] = {"theta_deg": case["theta_deg"], "mu1": res.mu1, "mu2": res.mu2, "g1": res.g1,
                    "g2": res.g2, "slack": slack, "jump1": res.jump1.tolist(), "jump2": res.jump2.tolist()}
    fig.tight_layout()
    path = Path(outdir) / "seed004_fig4_5.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    out["files"].append(path)
    return out


def fig6(outdir: Path) -> dict:
    """Seed 004 Fig. 6: δr/δr∞ vs d_N/l_N of the asymmetric valve (p1=0.1, p2=0.9, GN=4G1)."""
    plt = _plt()
    P = FIG6_PARAMS
    dr_inf = float(spin_valve_mu(0.0, **P, dN=200.0)["delta_r"])
    dN = np.concatenate([np.geomspace(1e-4, 0.05, 40), np.linspace(0.05, 3.0, 200)[1:]])
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    curves = {}
    for ax, angles in zip(axes, FIG6_ANGLES):
        for a in angles:
            th = math.radians(a)
            r = np.array([float(spin_valve_mu(th, **P, dN=d)["delta_r"]) for d in dN]) / dr_inf
            curves[a] = r
            ax.plot(dN, r, label=f"θ={a}°")
        ax.set_xlabel(r"$d_N/l_N$")
        ax.set_ylabel(r"$\delta r/\delta r_\infty$")
        ax.set_xlim(0, 3)
        ax.legend(fontsize=8)
    fig.suptitle("seed 004 Fig. 6: G1=G2, GN=4G1, p1=0.1, p2=0.9, d_F ≫ l_F")
    fig.tight_layout()
    path = Path(outdir) / "seed004_fig6.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    small = {a: float(spin_valve_mu(math.radians(a), **P, dN=1e-6)["delta_r"]) / dr_inf
             for a in sorted(curves)}
    at3 = {a: float(curves[a][-1]) for a in sorted(curves)}
    big = {a: float(spin_valve_mu(math.radians(a), **P, dN=30.0)["delta_r"]) / dr_inf for a in (0, 90, 180)}
    return {"files": [path], "delta_r_inf": dr_inf, "ratio_dN_1e-6": small, "ratio_dN_3": at3,
            "ratio_dN_30": big, "params": P}


FIGURES = {
    "seed004_fig2": fig2,
    "seed004_fig3": fig3,
    "seed004_fig4_5": fig45,
    "seed004_fig6": fig6,
}
