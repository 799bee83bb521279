"""Seed 000 (lecture notes, §IV.2): the nonlocal (lateral) spin valve and the measurement of λ_sf in Al.

The notes give the detector voltage of a nonlocal spin valve with tunnel contacts,
``V = ± ½ I P² λ_sf/(σ_Al A) e^{−L/λ_sf}``, i.e. ``ΔR_nl = R_P − R_AP = P² R_N e^{−L/λ_sf}`` with
the channel's spin resistance ``R_N = λ_sf/(σ_Al A)``, and quote an Al film with λ_sf ≈ 350 nm at
room temperature and ≈ 650 nm at 4.2 K (Jedema et al.).  The figure rebuilds that measurement with
the exact spin-diffusion network of :mod:`thermokinetic.transport.nonlocal_valve`:

(a) ΔR_nl(L) for L = 0.25–2 µm at 293 K and 4.2 K: exact solver (lines), the notes' closed form
    (dashed), synthetic "measured" points (solver × (1 + 3 % Gaussian noise), fixed seed, 3 % error
    bars) and the :func:`~thermokinetic.transport.nonlocal_valve.fit_nonlocal` extraction of λ_sf and
    P from them;
(b) ΔR_nl at L = λ_sf (4.2 K) against the contact resistance R_c: the exact solver, the tunnel
    formula of the notes (R_c-independent) and the Takahashi–Maekawa closed form (PRB 67, 052409
    (2003)).  Transparent contacts (R_c → 0) lose the interface polarization; what is left is set by
    the Co wire's spin resistance R_F ≪ R_N — the conductance mismatch (Jedema et al., Nature 410,
    345 (2001)): far below the ``p_F² R_N e^{−1}`` that the bulk Co polarization would give, and
    vanishing (∝ R_c²) for an ideal F reservoir (R_F = 0).

Parameters (SI) — chosen, with their sources:

* Al channel 250 nm wide, 50 nm thick (A = 1.25e-14 m²; a typical e-beam-lithography Al strip).
* σ_Al(4.2 K) = 3.6e7 S/m (ρ ≈ 2.8 µΩ·cm, a residual resistivity typical of evaporated Al films,
  of the order of Jedema's Al strips; not taken from a specific table); σ_Al(293 K) from
  Matthiessen's rule,
  ρ(293 K) = ρ(4.2 K) + ρ_ph(293 K) with ρ_ph ≈ 2.65 µΩ·cm (bulk Al at 20 °C, CRC Handbook)
  → 5.43 µΩ·cm, σ_Al = 1.84e7 S/m.
* λ_sf = 350 nm (293 K) and 650 nm (4.2 K): the notes (seed 000, §IV.2).
* Co/Al₂O₃/Al tunnel contacts: interface polarization P = 0.10 (≈ 10 %, the order of the tunnel
  polarization reported for Jedema's Co/Al₂O₃/Al devices), contact resistance R_c = 3 kΩ
  ("a few kΩ"), so R_c/R_N ≈ 2000 ≫ 1 (returned as ``R_c_over_R_N_min``, asserted by the test).
* Co electrode behind each contact: a semi-infinite Co wire (:class:`FElectrode`) with the 4.2 K
  Valet–Fert parameters of ``cases/stack_cocu_valve.toml`` (Bass–Pratt compilations):
  σ_Co = 1.69e7 S/m, p_F = β = 0.46, λ_Co = 60 nm; junction area 100 nm (Co strip width) × 250 nm
  (Al width) = 2.5e-14 m² → R_F = λ_Co/(σ_Co A_J) = 0.14 Ω ≪ R_N ≈ 1.4 Ω.  The same Co is used at
  293 K (it only matters for panel (b), drawn at 4.2 K).
* Geometry: infinite Al channel, current drained on the far side of the injector (the notes' and
  Takahashi–Maekawa's geometry, :func:`lateral_valve` with ``Channel(drain="left")``).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..transport.nonlocal_valve import (Channel, Contact, FElectrode, delta_R_nl, delta_R_vs_L,
                                        fit_nonlocal, lateral_valve, takahashi_maekawa_delta_R,
                                        tunnel_limit_delta_R)

__all__ = ["FIGURES", "AREA", "TEMPERATURES", "P_TUNNEL", "R_C_TUNNEL", "CO", "L_DATA", "RC_SWEEP",
           "NOISE", "SEED", "channel", "contact", "synthetic_data", "nonlocal_valve"]

AREA = 250e-9 * 50e-9                      # Al strip 250 nm × 50 nm [m²]
SIGMA_AL_4K = 3.6e7                        # [S/m], ρ ≈ 2.8 µΩ·cm
RHO_PH_AL_293K = 2.65e-8                   # phonon resistivity of Al at 20 °C [Ω·m] (CRC)
SIGMA_AL_293K = 1.0 / (1.0 / SIGMA_AL_4K + RHO_PH_AL_293K)   # Matthiessen: 1.84e7 S/m
# temperature label -> (T [K], σ_Al [S/m], λ_sf [m]); λ_sf from the notes
TEMPERATURES = {"293K": (293.0, SIGMA_AL_293K, 350e-9),
                "4p2K": (4.2, SIGMA_AL_4K, 650e-9)}
P_TUNNEL = 0.10                            # Co/Al2O3 interface polarization (Jedema's Al devices)
R_C_TUNNEL = 3e3                           # tunnel contact resistance [Ω]
# Co wire behind the junction (cases/stack_cocu_valve.toml, 4.2 K), junction 100 nm × 250 nm
CO = FElectrode(sigma_F=1.69e7, lambda_F=60e-9, p_F=0.46, area=100e-9 * 250e-9)
L_DATA = np.linspace(0.25e-6, 2.0e-6, 8)   # injector-detector distances of the "devices" [m]
RC_SWEEP = np.logspace(-3, 4, 71)          # contact resistances of panel (b) [Ω]
NOISE = 0.03                               # relative Gaussian noise of the synthetic data
SEED = 2001                                # fixed seed of that noise
I_INJ = 100e-6                             # injected current [A] (ΔR is linear: any value)


def channel(label: str) -> Channel:
    """The Al channel at temperature ``label`` ("293K" or "4p2K"), infinite, drained on the left."""
    _, s, lam = TEMPERATURES[label]
    return Channel(sigma_N=s, lambda_N=lam, area=AREA)


def contact(R_c: float = R_C_TUNNEL, electrode: FElectrode | None = CO) -> Contact:
    """A Co contact with interface polarization P_TUNNEL and resistance R_c [Ω] (position set later)."""
    return Contact(x=0.0, R_c=R_c, P_c=P_TUNNEL, electrode=electrode)


def synthetic_data(label: str):
    """(L [m], exact ΔR [Ω], "measured" ΔR [Ω], its 1σ error [Ω]) for temperature ``label``.

    Measured = exact × (1 + NOISE·N(0, 1)) with a fixed seed; the error bar is NOISE × measured
    (what an experimenter quoting a 3 % relative error would write down).
    """
    rng = np.random.default_rng([SEED, list(TEMPERATURES).index(label)])
    c = contact()
    exact = delta_R_vs_L(channel(label), L_DATA, c, c, I_INJ)
    meas = exact * (1.0 + NOISE * rng.standard_normal(exact.shape))
    return L_DATA.copy(), exact, meas, NOISE * np.abs(meas)


def _delta_R_at(ch: Channel, L: float, c: Contact) -> float:
    return delta_R_nl(ch, lateral_valve(L, c, c, I_INJ))


def nonlocal_valve(outdir: Path) -> dict:
    """Seed 000 §IV.2: nonlocal spin valve on Al, ΔR_nl(L) at 293 K / 4.2 K with λ_sf and P fits, and ΔR_nl against contact resistance."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out: dict = {"P_true": P_TUNNEL, "R_c_tunnel": R_C_TUNNEL, "R_F": CO.R_F}
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(12.5, 5.0))
    colors = {"293K": "tab:red", "4p2K": "tab:blue"}
    Lfine = np.linspace(0.2e-6, 2.05e-6, 75)
    max_dev = 0.0
    c = contact()
    for lab, (T, s, lam) in TEMPERATURES.items():
        ch = channel(lab)
        col = colors[lab]
        exact = delta_R_vs_L(ch, Lfine, c, c, I_INJ)
        notes = tunnel_limit_delta_R(P_TUNNEL, lam, s, AREA, Lfine)
        L, ex_pts, meas, err = synthetic_data(lab)
        max_dev = max(max_dev, float(np.max(np.abs(exact / notes - 1))),
                      float(np.max(np.abs(ex_pts / tunnel_limit_delta_R(P_TUNNEL, lam, s, AREA, L) - 1))))
        fit = fit_nonlocal(L, meas, err, sigma_N=s, area=AREA)
        out.update({f"lambda_true_{lab}": lam, f"sigma_Al_{lab}": s, f"R_N_{lab}": ch.R_N,
                    f"lambda_fit_{lab}": fit.lambda_N, f"lambda_err_{lab}": fit.lambda_N_err,
                    f"P_fit_{lab}": fit.P, f"P_err_{lab}": fit.P_err,
                    f"chi2_dof_{lab}": fit.chi2 / fit.dof})
        Tname = f"{T:g} K"
        ax.semilogy(Lfine * 1e6, exact * 1e3, color=col, lw=1.8,
                    label=(f"{Tname}: exact solver ($\\lambda_{{sf}}$ = {lam * 1e9:.0f} nm, "
                           f"$R_N$ = {ch.R_N:.2f} Ω)"))
        ax.semilogy(Lfine * 1e6, notes * 1e3, color="k", ls=(0, (4, 3)), lw=1.0,
                    label=r"notes: $P^2\,\frac{\lambda_{sf}}{\sigma A}\,e^{-L/\lambda_{sf}}$" if lab == "4p2K" else None)
        ax.errorbar(L * 1e6, meas * 1e3, yerr=err * 1e3, fmt="o", ms=5, color=col, mfc="white",
                    capsize=3, label=(f"{Tname}: synthetic data (±3 %), fit: $\\lambda_{{sf}}$ = {fit.lambda_N * 1e9:.1f} ± "
                                      f"{fit.lambda_N_err * 1e9:.1f} nm, P = {fit.P:.4f} ± {fit.P_err:.4f}"))
    out["exact_vs_notes_max_rel_dev"] = max_dev
    out["R_c_over_R_N_min"] = min(R_C_TUNNEL / out[f"R_N_{t}"] for t in TEMPERATURES)
    ax.set_xlabel("injector–detector distance L [µm]")
    ax.set_ylabel(r"$\Delta R_{nl} = R_P - R_{AP}$ [mΩ]")
    ax.set_xlim(0.15, 2.1)
    ax.set_ylim(3e-2, 80)
    ax.set_title(f"(a) Al channel 250×50 nm², Co/Al₂O₃ contacts (P = {P_TUNNEL:g}, "
                 f"$R_c$ = {R_C_TUNNEL / 1e3:g} kΩ)", fontsize=10)
    ax.legend(fontsize=7.5, loc="upper right", framealpha=0.95)
    ax.grid(True, which="both", alpha=0.25)

    # (b) contact resistance sweep at L = λ_sf, 4.2 K
    lab = "4p2K"
    _, s, lam = TEMPERATURES[lab]
    ch = channel(lab)
    wire = np.array([_delta_R_at(ch, lam, contact(r)) for r in RC_SWEEP])
    resv = np.array([_delta_R_at(ch, lam, contact(r, None)) for r in RC_SWEEP])
    tm_wire = np.array([takahashi_maekawa_delta_R(lam, lam, s, AREA, r, P_TUNNEL, CO.R_F, CO.p_F)
                        for r in RC_SWEEP])
    tm_resv = np.array([takahashi_maekawa_delta_R(lam, lam, s, AREA, r, P_TUNNEL) for r in RC_SWEEP])
    tunnel = float(tunnel_limit_delta_R(P_TUNNEL, lam, s, AREA, lam))
    no_mismatch = CO.p_F ** 2 * ch.R_N * math.exp(-1.0)
    k = slice(None, None, 5)
    bx.loglog(RC_SWEEP, wire * 1e3, color="tab:blue", lw=2.0, label=f"exact solver, Co wire ($R_F$ = {CO.R_F:.2f} Ω)")
    bx.loglog(RC_SWEEP, resv * 1e3, color="tab:green", lw=2.0, label="exact solver, ideal Co reservoir ($R_F$ = 0)")
    bx.loglog(RC_SWEEP[k], tm_wire[k] * 1e3, "o", color="tab:blue", mfc="none", ms=6,
              label="Takahashi–Maekawa closed form")
    bx.loglog(RC_SWEEP[k], tm_resv[k] * 1e3, "o", color="tab:green", mfc="none", ms=6)
    bx.axhline(tunnel * 1e3, color="k", ls=(0, (4, 3)), lw=1.0, label=r"notes' tunnel formula $P^2 R_N e^{-1}$")
    bx.axhline(no_mismatch * 1e3, color="0.45", ls=":", lw=1.2,
               label=f"bulk Co polarization, no mismatch: $p_F^2 R_N e^{{-1}}$ ($p_F$ = {CO.p_F:g})")
    for x, name, y, f, ha in ((ch.R_N, "$R_N$", 0.3, 1.15, "left"), (CO.R_F, "$R_F$", 1.0, 1 / 1.15, "right")):
        bx.axvline(x, color="0.6", lw=0.8)
        bx.text(x * f, y, name, color="0.35", fontsize=9, ha=ha)
    bx.axvline(R_C_TUNNEL, color="tab:purple", lw=0.8, ls="--")
    bx.text(R_C_TUNNEL / 1.2, 1.0, "panel (a)", color="tab:purple", fontsize=8, ha="right")
    bx.annotate(f"Co wire, $R_c \\to 0$: {wire[0] / tunnel:.2f} × tunnel,\n"
                f"{wire[0] / no_mismatch:.3f} × $p_F^2 R_N e^{{-1}}$ (mismatch $R_F/R_N$ = {CO.R_F / ch.R_N:.2f})",
                xy=(RC_SWEEP[3], wire[3] * 1e3), xytext=(1.3e-3, 18.0), fontsize=8, color="tab:blue",
                arrowprops=dict(arrowstyle="->", color="tab:blue", lw=0.8))
    bx.text(3e-3, 3e-5, "reservoir: $\\Delta R_{nl} \\propto R_c^2$", fontsize=8, color="tab:green")
    bx.set_ylim(1e-5, 3e2)
    bx.set_xlabel("contact resistance $R_c$ [Ω]")
    bx.set_ylabel(r"$\Delta R_{nl}$ at $L = \lambda_{sf}$ [mΩ]")
    bx.set_title(f"(b) contact resistance and conductance mismatch, 4.2 K, $L = \\lambda_{{sf}}$ = {lam * 1e9:.0f} nm",
                 fontsize=10)
    bx.legend(fontsize=8, loc="lower right", framealpha=0.95)
    bx.grid(True, which="both", alpha=0.25)
    fig.suptitle(r"Nonlocal spin valve (seed 000 §IV.2): spin-diffusion length of Al from $\Delta R_{nl}(L)$",
                 fontsize=12)
    fig.tight_layout()
    path = Path(outdir) / "seed000_nonlocal_valve.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)

    out.update({
        "files": [path],
        "R_c_lowest": float(RC_SWEEP[0]),
        "delta_R_tunnel_4p2K": tunnel,
        "delta_R_transparent_4p2K": float(wire[0]),
        "ratio_transparent_tunnel_4p2K": float(wire[0] / tunnel),
        "ratio_transparent_tunnel_reservoir_4p2K": float(resv[0] / tunnel),
        "ratio_transparent_no_mismatch_4p2K": float(wire[0] / no_mismatch),
        "exact_vs_tm_max_rel_dev": float(max(np.max(np.abs(wire / tm_wire - 1)),
                                             np.max(np.abs(resv / tm_resv - 1)))),
    })
    return out


FIGURES = {"seed000_nonlocal_valve": nonlocal_valve}
