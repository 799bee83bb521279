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


#: Fig. 7: the Fig. 6 valve (the analogy explains Fig. 6) at a generic angle, parallel and antiparallel.
FIG7_ANGLES = {"A": 60.0, "B": 0.0, "C": 180.0}
FIG7_DN = (0.2, 1e-3)
#: interface "springs" (circuit theory, transverse part transparent): G↑ = 3, G↓ = 1.5 ⇒ G_s = 2, γ = 1/3
FIG7_SPRING = dict(G_up=3.0, G_dn=1.5)


def _valve7(theta_deg, dN, springs=False):
    from ..transport.noncollinear import Interface, valve_layers

    layers = valve_layers(theta=math.radians(theta_deg), dN=dN, **FIG6_PARAMS)
    itfs = [Interface(**FIG7_SPRING), Interface(**FIG7_SPRING)] if springs else None
    return solve(layers, interfaces=itfs)


def fig7(outdir: Path) -> dict:
    r"""Seed 004 Fig. 7, computed: the cords and rings of the mechanical analogy as d_N → 0 (and with interface springs).

    The seed's Fig. 7 is a schematic; here the hodographs μs(x) of the Fig. 6 valve (semi-infinite
    F layers, p1 = 0.1, p2 = 0.9, G1 = G2 = 1, G_N = 4, l_N = 1, j0 = 1) are computed for
    (A) θ = 60°, (B) 0°, (C) 180° at d_N = 0.2 l_N and 1e-3 l_N, and at 1e-3 l_N with interface
    springs (circuit theory, ``FIG7_SPRING``: G_s = 2, γ = 1/3, infinite mixing conductance).  The
    rings are the interface values: with springs each interface has an F-side and an N-side ring.
    The bottom panel is the analogy's prediction against d_N.  As d_N → 0 at θ ≠ 0, 180° the N-side
    rings go to the crossing; the F ring i then balances its cord, its spring and the two driving
    forces alone (F1: ``p1 j0 − G1 μ1 = γ j0 + G_s μ1``; F2: ``G2 μ2 + p2 j0 = γ j0 − G_s μ2``), so

    .. math:: μ_1 → \frac{p_1 − γ}{G_1 + G_s},\quad μ_2 → \frac{γ − p_2}{G_2 + G_s},\quad
              δr → \frac{(p_1 − γ)^2}{2(G_1 + G_s)} + \frac{(p_2 − γ)^2}{2(G_2 + G_s)},

    finite at every angle (the springs remove the singular limit of Fig. 6); without springs
    (G_s → ∞) both vanish linearly in d_N.
    """
    plt = _plt()
    P = FIG6_PARAMS
    fig = plt.figure(figsize=(12, 15))
    gs = fig.add_gridspec(4, 3, height_ratios=[1, 1, 1, 1.1])
    out = {"files": [], "params": dict(P), "spring": dict(FIG7_SPRING), "cases": {}}
    cols = [(FIG7_DN[0], False), (FIG7_DN[1], False), (FIG7_DN[1], True)]
    for row, (lab, th) in enumerate(FIG7_ANGLES.items()):
        collinear = th in (0.0, 180.0)
        sols = [_valve7(th, dN, springs) for dN, springs in cols]
        grids = [sol.grid(300, tail=5.0) for sol in sols]
        R = 1.15 * max(max(np.abs(g["mu"]).max() for g in grids), 0.05)  # one scale per row
        for col, (dN, springs) in enumerate(cols):
            ax = fig.add_subplot(gs[row, col])
            sol, g = sols[col], grids[col]
            m1 = np.array([0.0, 0.0, 1.0])
            m2 = np.asarray(sol.layers[2].m)
            # plane of m1, m2: vertical = m1, horizontal = e_x; collinear rods drawn side by side
            # (shifted by ±s horizontally, as the seed imagines them)
            s = 0.06 * R if collinear else 0.0

            def xy(mu, shift):
                return mu[..., 0] + shift, mu[..., 2]

            for m, sh, name in ((m1, -s, "m1"), (m2, s, "m2")):
                ax.plot([-R * m[0] + sh, R * m[0] + sh], [-R * m[2], R * m[2]], c="0.6", lw=0.8)
                ax.annotate(name, (R * m[0] + sh, R * m[2]), fontsize=8)
            for i, colr in ((0, "g"), (1, "r"), (2, "g")):
                sel = g["layer"] == i
                mu = g["mu"][sel]
                if collinear and i == 1:  # the N cord joins the two shifted rods
                    sh = np.linspace(-s, s, mu.shape[0])
                else:
                    sh = (-s if i == 0 else s) if collinear else 0.0
                ax.plot(*xy(mu, sh), c=colr, lw=2)
            rings = [(sol.mu_left[0], -s), (sol.mu_right[0], -s), (sol.mu_left[1], s), (sol.mu_right[1], s)]
            for (ma, sa), (mb, sb) in (rings[:2], rings[2:]):  # the interface springs (circuit theory)
                ax.plot(*zip(xy(ma, sa), xy(mb, sb)), "k:", lw=1.5)
            for (mu, sh), mk in zip(rings, ("o", "s", "s", "o")):
                ax.plot(*xy(mu, sh), "k" + mk, ms=5, mfc="w" if mk == "s" else "k")
            # driving forces p1 j0 m1 on ring 1 and −p2 j0 m2 on ring 2 (seed 004 §III B), to scale
            f = 0.5 * R
            for mu, sh, vec in ((sol.mu_left[0], -s, P["p1"] * m1), (sol.mu_right[1], s, -P["p2"] * m2)):
                x0, y0 = xy(mu, sh)
                ax.annotate("", xy=(x0 + f * vec[0], y0 + f * vec[2]), xytext=(x0, y0),
                            arrowprops=dict(arrowstyle="->", color="b"))
            ax.set_aspect("equal")
            ax.set_xlim(-R, R)
            ax.set_ylim(-R, R)
            kind = "interface springs" if springs else "transparent"
            ax.set_title(f"({lab}) θ={th:g}°, d_N={dN:g} l_N, {kind}", fontsize=9)
            mu1, mu2 = float(sol.mu_left[0] @ m1), float(sol.mu_right[1] @ m2)
            out["cases"][f"{lab}_{dN:g}_{'springs' if springs else 'transparent'}"] = {
                "theta_deg": th, "dN": dN, "springs": springs, "mu1": mu1, "mu2": mu2,
                "mu1_N": float(sol.mu_right[0] @ m1), "mu2_N": float(sol.mu_left[1] @ m2),
                "separation": float(np.linalg.norm(sol.mu_right[0] - sol.mu_left[1])), "delta_r": sol.delta_r}
    # the analogy's prediction: ring displacement against d_N
    ax = fig.add_subplot(gs[3, :])
    dNs = np.geomspace(1e-5, 3.0, 40)
    curves = {}
    for th, springs, style in ((60.0, False, "k-"), (0.0, False, "b-"), (180.0, False, "m-"), (60.0, True, "g-")):
        r = [_valve7(th, d, springs) for d in dNs]
        m2 = np.asarray(r[0].layers[2].m)
        a1 = np.array([abs(x.mu_left[0][2]) for x in r])
        a2 = np.array([abs(x.mu_right[1] @ m2) for x in r])
        key = f"{th:g}_{'springs' if springs else 'transparent'}"
        curves[key] = {"mu1": a1, "mu2": a2}
        tag = f"θ={th:g}°" + (", springs" if springs else "")
        ax.loglog(dNs, a1, style, label=f"|μ1| (F1 ring), {tag}")
        ax.loglog(dNs, a2, style.replace("-", "--"), label=f"|μ2| (F2 ring), {tag}")
        if springs:
            aN = np.array([abs(x.mu_right[0][2]) for x in r])
            ax.loglog(dNs, aN, "g:", label="|μ| of the N-side ring at F1, θ=60°, springs")
    ax.set_xlabel(r"$d_N/l_N$")
    ax.set_ylabel("ring displacement |μ|")
    ax.legend(fontsize=7, ncol=2)
    ax.set_title("d_N → 0: the N cord's stiffness G̃_N ~ G_N l_N/d_N pulls both rings to the crossing "
                 "at θ ≠ 0°, 180°; interface springs (G_s = 2, γ = 1/3) hold the F rings off it", fontsize=9)
    fig.suptitle("seed 004 Fig. 7, computed: μs hodographs of the Fig. 6 valve (green F cords, red N cord; "
                 "● F-side and □ N-side rings, dotted: interface spring; blue: driving forces)", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.98))
    path = Path(outdir) / "seed004_fig7.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    out["files"].append(path)
    # the d_N → 0 limits the test compares with closed forms, and the linear vanishing at 60°
    small = {}
    for th, springs in ((60.0, False), (0.0, False), (180.0, False), (60.0, True)):
        for d in (1e-5, 1e-6):
            sol = _valve7(th, d, springs)
            m2 = np.asarray(sol.layers[2].m)
            small[f"{th:g}_{'springs' if springs else 'transparent'}_{d:g}"] = {
                "mu1": float(sol.mu_left[0][2]), "mu2": float(sol.mu_right[1] @ m2),
                "mu1_N": float(sol.mu_right[0][2]), "mu2_N": float(sol.mu_left[1] @ m2),
                "separation": float(np.linalg.norm(sol.mu_right[0] - sol.mu_left[1])), "delta_r": sol.delta_r}
    out["small_dN"] = small
    out["curves_dN"] = dNs
    out["curves"] = curves
    return out


FIGURES = {
    "seed004_fig2": fig2,
    "seed004_fig3": fig3,
    "seed004_fig4_5": fig45,
    "seed004_fig6": fig6,
    "seed004_fig7": fig7,
}
