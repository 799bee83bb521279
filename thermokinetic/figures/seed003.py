"""Seed 003 (magnetization current at junctions): J_M^L, J_M^R and the deposited torques against Φ.

Seed 003 has no figure; this one draws its two limits with :mod:`thermokinetic.transport.junction`:

(a) tunnel junction in linear response (seed 003 Eqs. 3–4) with spin-polarized densities of states
    P_L = 0.5, P_R = 0.3, conductance G = (G_P + G_AP)/2 = 1 mS, bias V = 0.1 V, no spin accumulation
    (μs = 0): the charge current J = GV(1 + P_L P_R cos Φ), the magnetization currents on the two sides
    J_M^L = GV(P_L + P_R cos Φ) (along m_L) and J_M^R = GV(P_R + P_L cos Φ) (along m_R), and the
    torques the deposit J_M^L m_L − J_M^R m_R exerts: GV P_L sin Φ on the right magnet (towards m_L)
    and −GV P_R sin Φ on the left one.  They vanish for collinear magnets, where J_M is conserved.
(b) metallic limit (no interface resistance, parallel spin channels) with the same material on both
    sides, β = 0.46 (Co, the Valet–Fert β of ``cases/stack_cocu_valve.toml``), J = 1 mA:
    J_M^L = J_M^R = βJ in magnitude but along different axes, so the deposit |Δ| = 2βJ sin(Φ/2)
    (equal to seed 003 Eq. 12 for ξ → ∞) does not vanish at Φ = 180°: there it is longitudinal, no
    torque; the unique split into torques ⊥ m_R and ⊥ m_L grows as βJ tan(Φ/2) towards it.  Eq. 12 at
    finite interface-to-metal conductance ratios ξ = 1 and 10 is drawn with A1 = 2, A2 = 1: the seed
    gives no values ("of the order of unity"); A1 = 2 matches the tunnel limit ξ → 0 to O(β²).

Parameters are chosen by the package (the seed gives none).  The sign of a torque: > 0 turns the
magnet towards the other one.  Currents in µA (a) and mA (b); spin currents are e(I↑ − I↓), and
ħ/2e = 3.29e-16 J/A converts a torque in A to N m.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..transport.junction import eq12_deposit, parallel_circuit_currents, signed_torques, tunnel_currents

__all__ = ["FIGURES", "G", "V", "PL", "PR", "BETA", "J_METAL", "XI", "A1", "A2", "tunnel_curves",
           "metallic_curves", "junction"]

G = 1e-3          # tunnel conductance (G_P + G_AP)/2 [S]
V = 0.1           # bias [V]
PL, PR = 0.5, 0.3  # density-of-states polarizations of the left and right magnets
BETA = 0.46       # conductivity asymmetry of Co (cases/stack_cocu_valve.toml)
J_METAL = 1e-3    # current through the metallic junction [A]
XI = (1.0, 10.0)  # interface-to-metal conductance ratios drawn with Eq. 12
A1, A2 = 2.0, 1.0  # Eq. 12 constants (not given by the seed; see the module docstring)
PHI_DEG = np.linspace(0.0, 180.0, 181)


def tunnel_curves(phi_deg=PHI_DEG) -> dict:
    """Tunnel limit: ``{"J", "JM_L", "JM_R", "tau_R", "tau_L"}`` [A] at the angles ``phi_deg`` [deg]."""
    out = {k: [] for k in ("J", "JM_L", "JM_R", "tau_R", "tau_L")}
    for d in np.asarray(phi_deg, dtype=float):
        # G = 2g; bias V on the left, no spin accumulation
        r = tunnel_currents(math.radians(d), g=G / 2, PL=PL, PR=PR, muL=(V, V), muR=(0.0, 0.0))
        tR, tL = signed_torques(r)
        for k, v in (("J", r.J), ("JM_L", r.JM_L), ("JM_R", r.JM_R), ("tau_R", tR), ("tau_L", tL)):
            out[k].append(v)
    return {k: np.array(v) for k, v in out.items()}


def metallic_curves(phi_deg=PHI_DEG) -> dict:
    """Metallic limit, equal materials: ``{"J", "JM_L", "JM_R", "deposit", "longitudinal", "tau_R",
    "tau_L"}`` [A] at ``phi_deg`` [deg] (``deposit`` = |J_M^L m_L − J_M^R m_R|)."""
    sig = (0.5 * (1 + BETA), 0.5 * (1 - BETA))  # σ↑, σ↓ [S]: σ↑ + σ↓ = 1 S, β = BETA
    E = J_METAL * 2.0                            # two 1 S sides in series carry J_METAL
    out = {k: [] for k in ("J", "JM_L", "JM_R", "deposit", "longitudinal", "tau_R", "tau_L")}
    for d in np.asarray(phi_deg, dtype=float):
        r = parallel_circuit_currents(math.radians(d), sigmaL=sig, sigmaR=sig, E=E)
        tR, tL = signed_torques(r)
        for k, v in (("J", r.J), ("JM_L", r.JM_L), ("JM_R", r.JM_R), ("deposit", float(np.linalg.norm(r.deposit))),
                     ("longitudinal", float(np.linalg.norm(r.longitudinal))), ("tau_R", tR), ("tau_L", tL)):
            out[k].append(v)
    return {k: np.array(v) for k, v in out.items()}


def junction(outdir: Path) -> dict:
    """Seed 003: magnetization currents J_M^L, J_M^R and deposited torques against the angle Φ, tunnel and metallic limits."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    phi = PHI_DEG
    t = tunnel_curves(phi)
    m = metallic_curves(phi)
    rad = np.radians(phi)
    eq12 = {"inf": eq12_deposit(rad, J_METAL, beta=BETA, xi=math.inf, A1=A1, A2=A2)}
    for xi in XI:
        eq12[xi] = eq12_deposit(rad, J_METAL, beta=BETA, xi=xi, A1=A1, A2=A2)

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12.5, 5.0))
    u = 1e6  # A -> µA
    ax.plot(phi, t["J"] * u, color="k", lw=1.8, label="charge current $J$")
    ax.plot(phi, t["JM_L"] * u, color="tab:blue", lw=1.8, label=r"$J_M^L$ (left, along $m_L$)")
    ax.plot(phi, t["JM_R"] * u, color="tab:red", lw=1.8, label=r"$J_M^R$ (right, along $m_R$)")
    ax.plot(phi, t["tau_R"] * u, color="tab:red", ls="--", lw=1.5,
            label=r"torque on the right magnet $= GVP_L\sin\Phi$")
    ax.plot(phi, t["tau_L"] * u, color="tab:blue", ls="--", lw=1.5,
            label=r"torque on the left magnet $= -GVP_R\sin\Phi$")
    ax.axhline(0, color="0.5", lw=0.6)
    ax.set_xlabel(r"angle $\Phi$ between $m_L$ and $m_R$ [deg]")
    ax.set_ylabel(r"current [µA]  (spin currents: $e(I_\uparrow - I_\downarrow)$)")
    ax.set_title(f"(a) tunnel junction: G = {G * 1e3:g} mS, V = {V:g} V, "
                 f"$P_L$ = {PL:g}, $P_R$ = {PR:g}, $\\mu_s$ = 0", fontsize=10)
    ax.set_xlim(0, 180)
    ax.set_xticks(range(0, 181, 30))
    ax.set_ylim(-40, 180)
    ax.legend(fontsize=8, loc="upper right", framealpha=0.95)
    ax.grid(True, alpha=0.25)

    w = 1e3  # A -> mA
    bx.plot(phi, m["JM_L"] * w, color="tab:blue", lw=2.2, label=r"$J_M^L$ (along $m_L$) $= \beta J$")
    bx.plot(phi, m["JM_R"] * w, color="tab:red", lw=1.2, ls=(0, (5, 3)), label=r"$J_M^R$ (along $m_R$) $= \beta J$")
    bx.plot(phi, m["deposit"] * w, color="k", lw=1.8,
            label=r"deposit $|J_M^L m_L - J_M^R m_R| = 2\beta J \sin(\Phi/2)$")
    k = slice(0, None, 15)
    bx.plot(phi[k], eq12["inf"][k] * w, "o", color="k", mfc="none", ms=6, label=r"seed Eq. 12, $\xi \to \infty$")
    for xi, col in zip(XI, ("tab:purple", "tab:green")):
        bx.plot(phi, eq12[xi] * w, color=col, lw=1.3, ls="-.",
                label=f"seed Eq. 12, ξ = {xi:g} ($A_1$ = {A1:g}, $A_2$ = {A2:g}, assumed)")
    ok = phi < 180
    bx.plot(phi[ok], m["tau_R"][ok] * w, color="tab:orange", ls="--", lw=1.5,
            label=r"torque on the right magnet $= \beta J \tan(\Phi/2)$ (left: opposite)")
    bx.plot([180.0], [m["longitudinal"][-1] * w], "s", color="k", ms=6,
            label=r"$\Phi$ = 180°: longitudinal deposit $2\beta J$, no torque")
    bx.set_ylim(0, 1.25)
    bx.annotate(r"$\to \infty$ as $\Phi \to 180°$", xy=(160, 1.15), fontsize=8, color="tab:orange", ha="right")
    bx.set_xlabel(r"angle $\Phi$ between $m_L$ and $m_R$ [deg]")
    bx.set_ylabel("current [mA]")
    bx.set_title(f"(b) metallic junction, equal materials: β = {BETA:g}, J = {J_METAL * 1e3:g} mA", fontsize=10)
    bx.set_xlim(0, 185)
    bx.set_xticks(range(0, 181, 30))
    bx.legend(fontsize=7.5, loc="upper left", framealpha=0.95)
    bx.grid(True, alpha=0.25)
    fig.suptitle("Seed 003: the magnetization current is not conserved across a junction between "
                 "noncollinear magnets", fontsize=12)
    fig.tight_layout()
    path = Path(outdir) / "seed003_junction.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return {"files": [path], "phi_deg": phi, "tunnel": t, "metallic": m, "eq12": eq12,
            "params": {"G": G, "V": V, "PL": PL, "PR": PR, "beta": BETA, "J_metal": J_METAL, "xi": XI,
                       "A1": A1, "A2": A2},
            "tunnel_tau_R_90": float(t["tau_R"][90]), "tunnel_tau_L_90": float(t["tau_L"][90]),
            "metallic_deposit_90": float(m["deposit"][90]),
            "metallic_longitudinal_180": float(m["longitudinal"][-1])}


FIGURES = {"seed003_junction": junction}
