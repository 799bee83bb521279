"""Seed 000 (lecture notes, §5 "spin-transfer-driven magnetic dynamics"): a switching trajectory at
T = 0 under a Slonczewski-like (collinear damping-like) torque, from the generalized LLG
(seed 002 Eq. 24) with χ = c (u·e_z): above J_c the antiparallel state spirals out and reverses.

Checked against the closed-form axial switching time (:func:`thermokinetic.llg.switching_time_axial`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

SIG, H, ALPHA = 10.0, 0.0, 0.05
RATIO = 1.2          # J / J_c
THETA0, THETA1 = np.pi - 0.05, 0.05


def switching_run():
    from ..llg import switching_time, switching_time_axial, trajectory
    from ..studies.model import MacrospinModel, cos_callable, critical_current_T0

    m = MacrospinModel(sigma=SIG, alpha=ALPHA, h=H, chi=cos_callable(2 * SIG * ALPHA))
    Jc = critical_current_T0(m, 2.0).current  # = 1 - h
    J = RATIO * Jc
    model = m.llg(J)
    u0 = np.array([np.sin(THETA0), 0.0, np.cos(THETA0)])
    t_exact = switching_time_axial(SIG, H, ALPHA, THETA0, THETA1, c_chi=2 * SIG * ALPHA * J)
    t_num = switching_time(model, THETA0, THETA1)
    tr = trajectory(model, u0, (0.0, 1.2 * t_exact), t_eval=np.linspace(0, 1.2 * t_exact, 4000))
    return {"Jc": Jc, "J": J, "t_switch_exact": t_exact, "t_switch_numeric": t_num, "trajectory": tr}


def seed000_switching(outdir: Path) -> dict:
    """Seed 000: switching trajectory at T = 0 under a Slonczewski-like torque (J = 1.2 J_c)."""
    import matplotlib.pyplot as plt

    from ..studies._common import save_figure

    r = switching_run()
    tr = r["trajectory"]
    fig = plt.figure(figsize=(10, 4))
    ax1 = fig.add_subplot(1, 2, 1)
    ax1.plot(tr.t, tr.u[:, 2], label="u_z")
    ax1.plot(tr.t, tr.u[:, 0], lw=0.6, label="u_x")
    ax1.axvline(r["t_switch_exact"], color="k", ls=":", label="closed-form switching time")
    ax1.set_xlabel("t [tau_N]")
    ax1.set_ylabel("magnetization")
    ax1.legend(fontsize=7)
    ax1.set_title(f"sigma = {SIG:g}, alpha = {ALPHA:g}, J = {RATIO:g} Jc", fontsize=9)
    ax2 = fig.add_subplot(1, 2, 2, projection="3d")
    ax2.plot(tr.u[:, 0], tr.u[:, 1], tr.u[:, 2], lw=0.7)
    ax2.scatter(*tr.u[0], color="C3", label="start (near -z)")
    ax2.scatter(*tr.u[-1], color="C2", label="end (+z)")
    ax2.set_xlabel("u_x"); ax2.set_ylabel("u_y"); ax2.set_zlabel("u_z")
    ax2.legend(fontsize=7)
    path = save_figure(fig, Path(outdir) / "seed000_switching.png")
    plt.close(fig)
    return {"files": [str(path)], "Jc": r["Jc"], "J": r["J"], "t_switch_exact": r["t_switch_exact"],
            "t_switch_numeric": r["t_switch_numeric"], "uz_final": float(tr.u[-1, 2]),
            "norm_error": tr.norm_error}


FIGURES = {"seed000_switching": seed000_switching}
