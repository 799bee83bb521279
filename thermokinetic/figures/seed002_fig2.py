r"""Seed 002 (Wegrowe & Drouhin 2011), Fig. 2: spin accumulation Δμ(x) through an N/F/N junction.

The F layer is of the order of the spin-diffusion length, and the spin-diffusion length is the same
in both materials, as in the caption.  Parameters: ``cases/stack_seed002_fig2.toml`` (N: σ = 5.9e7
S/m; F: σ = 1.69e7 S/m, β = 0.46; λ = 30 nm in both; F thickness t = 30 nm; J = 1e11 A/m²).

Key numbers (asserted by the tests against the closed form derived from Eq. 7–11):
with g_N = σ0_N/λ and g_F = σ0_F(1−β²)/λ [S/m²],

.. math:: Δμ(0) = -Δμ(t) = -\frac{βJ}{g_N + g_F\coth(t/2λ)},\qquad
          R^{ne} = \frac{β^2}{g_N + g_F\coth(t/2λ)} .
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

CASE = Path(__file__).resolve().parents[2] / "cases" / "stack_seed002_fig2.toml"


def _closed_form(stack):
    F = stack.inner[0]
    N = stack.layers[0]
    lam = F.lsf
    t = F.thickness
    gN = N.sigma0 / N.lsf
    gF = F.sigma0 * (1 - F.beta**2) / lam
    den = gN + gF / math.tanh(t / (2 * lam))
    J = stack.current_density
    return {"dmu_entry": -F.beta * J / den, "dmu_exit": F.beta * J / den, "R_ne": F.beta**2 / den}


def fig2(outdir: Path) -> dict:
    """Seed 002 Fig. 2: spin accumulation through N/F/N with equal spin-diffusion lengths."""
    import matplotlib.pyplot as plt

    from ..transport import load_case, solve_two_channel

    case = load_case(CASE)
    st = case.stack
    res = solve_two_channel(st)
    prof = res.profile(401, 3.0)
    acc = res.interface_accumulation()
    cf = _closed_form(st)
    x = prof["x"] * 1e9
    lam = st.inner[0].lsf * 1e9
    fig, ax = plt.subplots(figsize=(6.5, 4.0))
    ax2 = ax.twinx()
    ax.axvspan(0, st.inner[0].thickness * 1e9, color="0.88", zorder=0, label="F")
    for i in np.unique(prof["layer"]):
        sel = prof["layer"] == i
        ax.plot(x[sel], prof["dmu"][sel] * 1e6, color="C0", lw=2,
                label=r"$\Delta\mu = \mu_\uparrow-\mu_\downarrow$" if i == 0 else None)
        ax2.plot(x[sel], prof["dJ"][sel] / st.current_density, color="C1", lw=1.2, ls="--",
                 label=r"$\delta J/J$ (right axis)" if i == 0 else None)
    ax.axhline(0, color="0.5", lw=0.5)
    ax.set_xlabel("x [nm]")
    ax.set_ylabel(r"$\Delta\mu$ [µeV]", color="C0")
    ax2.set_ylabel(r"$\delta J / J$", color="C1")
    ax2.legend(fontsize=8, loc="lower right")
    ax.set_title(f"N/F/N, λ_N = λ_F = {lam:.0f} nm, t_F = {st.inner[0].thickness * 1e9:.0f} nm, "
                 f"β = {st.inner[0].beta:.2f}, J = {st.current_density:.0e} A/m²", fontsize=9)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    path = Path(outdir) / "seed002_fig2.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return {
        "files": [path],
        "dmu_entry": acc[0]["dmu_left"], "dmu_exit": acc[1]["dmu_right"], "R_ne": res.R_ne,
        "dmu_entry_closed_form": cf["dmu_entry"], "dmu_exit_closed_form": cf["dmu_exit"],
        "R_ne_closed_form": cf["R_ne"], "lsf_m": st.inner[0].lsf, "thickness_m": st.inner[0].thickness,
        "J": st.current_density,
        "dmu_max_abs": float(np.max(np.abs(prof["dmu"]))),
    }


FIGURES = {"seed002_fig2": fig2}
