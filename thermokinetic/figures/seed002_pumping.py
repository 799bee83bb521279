"""The reciprocal effect of spin transfer (seed 002 §6): the voltage pumped by a precessing free layer.

Co/Cu/Co pillar of ``cases/stack_cocu_valve.toml`` (Co 10 nm fixed, Cu 10 nm, Co 3 nm free, Cu leads;
transparent interfaces, as the seed-004 model requires).  The free layer precesses on a cone of angle
θ about the fixed layer's axis ẑ at frequency f; the DC voltage is
``V = (ħ/2e) τ̂·(u × u̇) = (ħ/2e) 2πf τ̂·ẑ`` with τ̂ the torque per unit current of the same network
(:func:`thermokinetic.transport.noncollinear.spin_pumping_voltage`).  V is linear in f and vanishes at
θ = 0 and π; the key numbers are checked against the torque computed independently.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..transport.noncollinear import spin_pumping_voltage
from ..transport.stack import Layer, Stack

__all__ = ["FIGURES", "cocu_valve"]

FREQUENCIES_GHZ = (2.0, 5.0, 10.0, 20.0)


def cocu_valve() -> Stack:
    """The Co/Cu/Co valve of ``cases/stack_cocu_valve.toml`` with transparent interfaces (J = 1 A/m²)."""
    L = [Layer.create("Cu_left", "N", math.inf, sigma=1.67e8, lsf=450e-9),
         Layer.create("Co_fixed", "F", 10e-9, sigma=1.69e7, beta=0.46, lsf=60e-9, direction=(0, 0, 1)),
         Layer.create("Cu_spacer", "N", 10e-9, sigma=1.67e8, lsf=450e-9),
         Layer.create("Co_free", "F", 3e-9, sigma=1.69e7, beta=0.46, lsf=60e-9, direction=(0, 0, 1)),
         Layer.create("Cu_right", "N", math.inf, sigma=1.67e8, lsf=450e-9)]
    return Stack(tuple(L), None, 1.0)


def precession_voltage(theta, f_hz, stack=None) -> np.ndarray:
    """DC pumped voltage [V] for a precession cone angle θ [rad] about ẑ at frequency f [Hz]."""
    stack = cocu_valve() if stack is None else stack
    th = np.asarray(theta, dtype=float)
    u = np.stack([np.sin(th), np.zeros_like(th), np.cos(th)], axis=-1)
    w = 2 * math.pi * np.asarray(f_hz, dtype=float)[..., None]
    u_dot = w * np.cross([0.0, 0.0, 1.0], u)  # rotation about ẑ
    return spin_pumping_voltage(stack, "Co_free", u, u_dot)


def pumping(outdir: Path) -> dict:
    """Seed 002 §6, the reciprocal of spin transfer: DC voltage pumped by a precessing Co free layer (Co/Cu/Co)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    theta = np.linspace(0.0, math.pi, 181)
    fig, ax = plt.subplots(figsize=(6, 4))
    curves = {}
    for f in FREQUENCIES_GHZ:
        V = precession_voltage(theta, f * 1e9)
        curves[f] = V
        ax.plot(np.degrees(theta), V * 1e9, label=f"f = {f:g} GHz")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel("precession cone angle θ [deg]")
    ax.set_ylabel("pumped DC voltage V [nV]")
    ax.set_title("Co(10)/Cu(10)/Co(3) pillar: spin pumping, the reciprocal of spin transfer", fontsize=9)
    ax.legend(title="precession frequency")
    fig.tight_layout()
    path = Path(outdir) / "seed002_spin_pumping.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    V10 = curves[10.0]
    k = int(np.argmax(np.abs(V10)))
    return {"files": [path], "theta_max_deg": float(np.degrees(theta[k])), "V_max_10GHz": float(V10[k]),
            "V_90deg_10GHz": float(V10[90]), "linear_in_f": float(np.max(np.abs(curves[20.0] - 2 * V10)))}


FIGURES = {"seed002_spin_pumping": pumping}
