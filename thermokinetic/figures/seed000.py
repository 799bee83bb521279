"""Seed 000 (lecture notes, §5): Slonczewski's spin-transfer torque and its angular dependence.

The damping-like torque on the free layer is ``Ṁ_st = η(θ) μ_B I/(eΩ) u × (u × p)`` with
``η(θ) = q/(A + B cos θ)``; its magnitude is ``η(θ) sin θ``.  The figure shows η(θ)·sin θ (q = 1,
normalized by η(π/2) = 1/A) for a few ratios B/A and for Slonczewski's symmetric valve
(:meth:`thermokinetic.coupling.SlonczewskiCoupler.from_polarization`), and the key numbers:
the angle of the maximal torque, ``cos θ* = −B/A`` (d/dθ[sin θ/(A + B cos θ)] ∝ A cos θ + B), where
``η sin θ = 1/sqrt(A² − B²)``,
and the asymmetry η(π)/η(0) = (A + B)/(A − B).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..coupling import SlonczewskiCoupler

__all__ = ["FIGURES", "RATIOS", "POLARIZATION"]

RATIOS = (0.0, 0.3, 0.6, 0.9)  # B/A with A = 1
POLARIZATION = 0.4


def _theta_star(A: float, B: float) -> float:
    return math.acos(-B / A)


def slonczewski(outdir: Path) -> dict:
    """Seed 000: Slonczewski torque magnitude η(θ)·sin θ for several A, B and a symmetric valve."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    th = np.linspace(0, math.pi, 721)
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    out = {"cases": []}
    cases = [(f"B/A = {r:g}", SlonczewskiCoupler(q=1.0, A=1.0, B=r)) for r in RATIOS]
    cases.append((f"symmetric valve, P = {POLARIZATION:g}", SlonczewskiCoupler.from_polarization(POLARIZATION)))
    for label, c in cases:
        y = c.torque_magnitude(th) / (c.q / c.A)  # normalized by η(90°) = q/A
        ax.plot(np.degrees(th), y, label=label)
        i = int(np.argmax(y))
        out["cases"].append({
            "label": label, "A": c.A, "B": c.B, "q": c.q,
            "theta_star_deg": math.degrees(_theta_star(c.A, c.B)),
            "theta_star_grid_deg": float(np.degrees(th[i])),
            "max_over_90deg": float(y[i]),
            "eta_pi_over_eta_0": float(c.eta(-1.0) / c.eta(1.0)),
        })
    ax.set_xlabel("θ (deg) between free layer and polarizer")
    ax.set_ylabel("η(θ) sin θ / η(90°)")
    ax.set_title("Slonczewski torque, η = q/(A + B cos θ)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = Path(outdir) / "seed000_slonczewski.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    out["files"] = [path]
    return out


FIGURES = {"seed000_slonczewski": slonczewski}
