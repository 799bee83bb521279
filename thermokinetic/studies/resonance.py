r"""FMR frequency and linewidth vs current about the stable equilibrium of the start well.

Deterministic linearization of the generalized LLG (seed 002 Eq. 24; :func:`thermokinetic.llg.fmr`)
at temperature T (reduced potentials at T, time in τ_N(T)): with the Jacobian's eigenvalues
``λ = −Γ ± iω`` about the equilibrium continued from ``model.start`` (J = 0 → J),

* ``omega`` — precession frequency ω [rad/τ_N(T)] (signed as in :class:`thermokinetic.llg.FMR`);
* ``damping_rate`` — Γ [1/τ_N(T)]: the half width at half maximum of the resonance line in ω,
  i.e. the linewidth FWHM is Δω = 2Γ.

With an SI model they are also given as f = |ω|/(2π τ_N) [Hz] and Δf = 2Γ/(2π τ_N) [Hz].  In the axial
cosine case (``U = −σ cos²θ − 2σh cosθ``, ``Φ = c_Φ cosθ``, ``χ = c_χ cosθ``, about θ = 0)
:func:`thermokinetic.llg.fmr_axial_closed_form` gives ``ω = (2σ(1+h) − c_Φ)/(2α)`` and
``Γ = σ(1+h) + c_χ/(2α)``: Φ shifts the frequency, χ the linewidth, which vanishes at the T = 0
critical current (loss of damping).  Past the instability (or where the equilibrium disappears)
the entries are NaN and ``status`` says why.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError, check_positive
from ._common import finite_or_none
from .model import MacrospinModel, track_equilibrium

__all__ = ["resonance", "ResonanceResult"]


@dataclass
class ResonanceResult:
    """Result of :func:`resonance` (arrays indexed by current).

    Attributes
    ----------
    omega, damping_rate : ndarray
        ω [rad/τ_N(T)] and Γ [1/τ_N(T)] (NaN past the instability).
    frequency_Hz, linewidth_Hz : ndarray or None
        |ω|/(2π τ_N) and 2Γ/(2π τ_N) with an SI model.
    theta_deg : ndarray
        Polar angle of the equilibrium [deg].
    status : list of str
        ``"stable"``, ``"unstable"`` (equilibrium exists, max Re λ ≥ 0) or ``"no-equilibrium"``.
    """

    currents: np.ndarray
    omega: np.ndarray
    damping_rate: np.ndarray
    theta_deg: np.ndarray
    status: list
    temperature: float
    sigma: float
    tau_N_s: float | None
    current_unit: str
    label: str = ""

    @property
    def frequency_Hz(self):
        return None if self.tau_N_s is None else np.abs(self.omega) / (2 * math.pi * self.tau_N_s)

    @property
    def linewidth_Hz(self):
        return None if self.tau_N_s is None else 2 * self.damping_rate / (2 * math.pi * self.tau_N_s)

    def to_dict(self) -> dict:
        d = {"current": self.currents.tolist(), "omega_per_tauN": [finite_or_none(v) for v in self.omega],
             "damping_rate_per_tauN": [finite_or_none(v) for v in self.damping_rate],
             "linewidth_fwhm_per_tauN": [finite_or_none(2 * v) for v in self.damping_rate],
             "theta_deg": [finite_or_none(v) for v in self.theta_deg], "status": list(self.status),
             "temperature": self.temperature, "sigma": self.sigma, "tau_N_s": self.tau_N_s,
             "current_unit": self.current_unit}
        if self.tau_N_s is not None:
            d["frequency_Hz"] = [finite_or_none(v) for v in self.frequency_Hz]
            d["linewidth_Hz"] = [finite_or_none(v) for v in self.linewidth_Hz]
        return d

    def table(self) -> dict:
        t = {"current": self.currents, "omega_per_tauN": self.omega, "damping_rate_per_tauN": self.damping_rate,
             "theta_deg": self.theta_deg, "status": np.asarray(self.status, dtype=object)}
        if self.tau_N_s is not None:
            t["frequency_Hz"] = self.frequency_Hz
            t["linewidth_Hz"] = self.linewidth_Hz
        return t

    def plot(self, ax=None):
        """|ω| and the FWHM 2Γ vs current (1/τ_N(T), or GHz with an SI model)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        if self.tau_N_s is not None:
            f, w, unit = self.frequency_Hz / 1e9, self.linewidth_Hz / 1e9, "GHz"
        else:
            f, w, unit = np.abs(self.omega), 2 * self.damping_rate, "1/τ_N"
        ax.plot(self.currents, f, "o-", ms=3, label="frequency")
        ax.plot(self.currents, w, "s-", ms=3, label="linewidth (FWHM)")
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set_xlabel(f"current [{self.current_unit}]")
        ax.set_ylabel(f"[{unit}]")
        ax.legend(fontsize=7)
        ax.set_title(self.label or f"FMR at T = {self.temperature:g} K", fontsize=9)
        return ax


def resonance(model: MacrospinModel, currents, *, T: float | None = None) -> ResonanceResult:
    r"""FMR frequency ω(J) and damping rate Γ(J) about the start well's equilibrium.

    The equilibrium is continued from ``model.start`` at J = 0 through the currents in increasing
    |J| on each side of 0 (:func:`~thermokinetic.studies.model.track_equilibrium`), then
    :func:`thermokinetic.llg.fmr` is evaluated there.

    Parameters
    ----------
    model : MacrospinModel
    currents : array_like
        Currents (model unit).
    T : float, optional
        Temperature [K] (default ``model.T_ref``); ω, Γ are in 1/τ_N(T).
    """
    from ..llg import fmr

    T = model.T_ref if T is None else check_positive("T", T)
    J = np.atleast_1d(np.asarray(currents, dtype=float))
    if J.ndim != 1 or J.size == 0 or not np.all(np.isfinite(J)):
        raise ParameterError("currents", currents, "a non-empty list of finite currents")
    # track_equilibrium works at T_ref; at T the drift is s = T_ref/T times the T_ref drift at the same
    # J (every potential scales with s), so the equilibria coincide; ω, Γ come from the drift at T.
    omega = np.full(J.size, np.nan)
    gam = np.full(J.size, np.nan)
    theta = np.full(J.size, np.nan)
    status = ["no-equilibrium"] * J.size
    u0 = np.asarray(model.start, dtype=float)
    for side in (1.0, -1.0):
        idx = [i for i in np.argsort(np.abs(J)) if (J[i] >= 0 if side > 0 else J[i] < 0)]
        u_prev = u0
        path = sorted({0.0, *[float(J[i]) for i in idx]}, key=abs)
        lost = False
        res = {}
        for j in path:
            if lost:
                break
            # continuation in small steps (0.35 rad tracking window)
            u, re = track_equilibrium(model, j, u_prev)
            if u is None:
                lost = True
                break
            res[j] = (u, re)
            u_prev = u
        for i in idx:
            j = float(J[i])
            if j not in res:
                continue
            u, re = res[j]
            theta[i] = math.degrees(math.acos(max(-1.0, min(1.0, float(u[2])))))
            if re >= 0:
                status[i] = "unstable"
                continue
            r = fmr(model.llg(j, T), u)
            omega[i], gam[i], status[i] = r.omega, r.damping_rate, "stable"
    tau_s = model.time_unit(T) if model.Ms is not None else None
    return ResonanceResult(J, omega, gam, theta, status, float(T), model.sigma_at(T), tau_s, model.current_unit,
                           model.label)
