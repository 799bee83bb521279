r"""Switching probability vs pulse duration and current: P(t_pulse; J).

Pulse-and-read experiment on Brown's Fokker–Planck equation (field form, seed 002 Eq. 24), reduced
units (:mod:`thermokinetic.units`; potentials in kT, time in τ_N(T)):

* before the pulse the magnetization is in thermal equilibrium at J = 0 inside the basin of the start
  well (the well closest to ``model.start``; by default −e_z, the state that J > 0 destabilizes):
  ρ(0) ∝ e^{−U} on the J = 0 basin ``q_0 < ½`` (q_0 the J = 0 committor to the other well);
* during the pulse ρ evolves with the generator at current J, ``A dρ/dt = Q(J) ρ`` (adaptive BDF);
* "switched" is read at J = 0: P(t) = mass in the J = 0 basin of the other well, ``q_0 ≥ ½``.

At J = 0 this is exactly :func:`thermokinetic.fokker_planck.switching_probability` (tested), and for a
high barrier, after the intra-well transient and while λ₁t ≪ 1, ``P ≈ Γ(J) t`` with Γ the escape rate
of :func:`~thermokinetic.fokker_planck.escape_rates`.  Above the T = 0 critical current the start
well no longer exists at J and switching becomes deterministic (P → 1 after a precessional delay);
the same definition applies unchanged.  ``t50(J)`` is the pulse duration where P first reaches ½
(log-linear interpolation on the duration grid; ``None`` if P stays below ½ on the grid).

Durations are given in the model's time unit (seconds with an SI magnet, else τ_N(T_ref)).

Methods: an axial model (energy and χ symmetric about e_z) takes the exact 1D reduction at any σ,
``P = 1 − WER`` of :func:`~thermokinetic.fokker_planck.wer.axial_wer` with the start region the J = 0
basin (bounded by the barrier top of U); the others, or ``method="mesh"``, the geodesic mesh (dense
eigendecomposition up to 3000 cells, else stiff BDF).  The mesh converges to the 1D values at second
order (tested).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError, check_positive
from ._common import finite_or_none, progress_bar
from .model import MacrospinModel, committor, start_well_index

__all__ = ["switching", "SwitchingResult", "pulse_probability"]


@dataclass
class SwitchingResult:
    """Result of :func:`switching` (arrays indexed [current] or [current, duration]).

    Attributes
    ----------
    currents : ndarray (nJ,)
        Currents (``current_unit``).
    durations : ndarray (nt,)
        Pulse durations (``time_unit``).
    probability : ndarray (nJ, nt)
        P(t_pulse; J).
    t50 : ndarray (nJ,)
        Pulse duration for P = ½ (NaN if not reached on the grid).
    rate : ndarray (nJ,)
        Escape rate Γ(J) out of the start well (1/``time_unit``), NaN where the start well is gone.
    p_infinity : ndarray (nJ,)
        Long-pulse limit: stationary mass at J in the other J = 0 basin.
    temperature : float
        [K].
    status : list of str
        ``"ok"`` or ``"unresolved"`` (the evolution failed its checks at that current: NaN row; the
        summary's ``warning`` says so).
    method : str
        ``"axial"`` (exact 1D reduction) or ``"mesh"`` (finite volumes at ``level``; None for axial).
    """

    currents: np.ndarray
    durations: np.ndarray
    probability: np.ndarray
    t50: np.ndarray
    rate: np.ndarray
    p_infinity: np.ndarray
    temperature: float
    sigma: float
    level: int
    current_unit: str
    time_unit: str
    status: list
    label: str = ""
    method: str = "mesh"

    def to_dict(self) -> dict:
        return {
            "current": self.currents.tolist(), "duration": self.durations.tolist(),
            "probability": [[finite_or_none(v) for v in row] for row in self.probability],
            "t50": [finite_or_none(v) for v in self.t50], "rate": [finite_or_none(v) for v in self.rate],
            "p_infinity": [finite_or_none(v) for v in self.p_infinity], "temperature": self.temperature,
            "sigma": self.sigma, "level": self.level, "current_unit": self.current_unit,
            "time_unit": self.time_unit, "status": list(self.status), "method": self.method,
            **({"warning": f"{self.status.count('unresolved')} current(s) unresolved (their rows are empty): "
                           "the evolution failed its checks at this mesh level; raise numerics.level"}
               if "unresolved" in self.status else {}),
        }

    def table(self) -> dict:
        nJ, nt = self.probability.shape
        return {"current": np.repeat(self.currents, nt), "duration": np.tile(self.durations, nJ),
                "probability": self.probability.ravel(), "t50": np.repeat(self.t50, nt),
                "rate": np.repeat(self.rate, nt)}

    def plot(self, ax=None):
        """P(t_pulse) curves, one per current (log time axis)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        cmap = plt.get_cmap("viridis")
        n = len(self.currents)
        for k, J in enumerate(self.currents):
            ax.semilogx(self.durations, self.probability[k], color=cmap(k / max(n - 1, 1)), label=f"J = {J:.3g}")
        ax.axhline(0.5, color="0.5", ls=":", lw=1)
        ax.set_xlabel(f"pulse duration [{self.time_unit}]")
        ax.set_ylabel("switching probability")
        ax.set_ylim(0, 1.02)
        ax.legend(fontsize=6, ncol=2)
        ax.set_title(self.label or f"T = {self.temperature:g} K (σ = {self.sigma:.3g})", fontsize=9)
        return ax

    def plot_t50(self, ax=None):
        """Pulse duration for P = ½ vs current."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        ok = np.isfinite(self.t50)
        ax.semilogy(self.currents[ok], self.t50[ok], "o-")
        with np.errstate(divide="ignore"):
            r = np.log(2) / self.rate
        okr = np.isfinite(r) & (r > 0)
        ax.semilogy(self.currents[okr], r[okr], "--", color="0.5", label="ln 2 / Γ(J)")
        ax.set_xlabel(f"current [{self.current_unit}]")
        ax.set_ylabel(f"t(P = 50 %) [{self.time_unit}]")
        ax.legend(fontsize=7)
        return ax


def _t50(t, P) -> float:
    above = np.flatnonzero(P >= 0.5)
    if above.size == 0:
        return math.nan
    i = int(above[0])
    if i == 0:
        return float(t[0])
    t0, t1, p0, p1 = t[i - 1], t[i], P[i - 1], P[i]
    if t0 > 0:
        return float(math.exp(math.log(t0) + (0.5 - p0) / (p1 - p0) * (math.log(t1) - math.log(t0))))
    return float(t0 + (0.5 - p0) / (p1 - p0) * (t1 - t0))


def _evolve_mass(gen, rho0, times, region, rtol: float = 1e-8) -> np.ndarray:
    r"""Mass ``Σ_{i∈region} A_i ρ_i(t)`` of ``A dρ/dt = Qρ`` at ``times`` (exact linear evolution).

    Meshes up to 3000 cells: dense eigendecomposition ``A⁻¹Q = V Λ V⁻¹`` once, then
    ``m(t) = w·V e^{Λt} V⁻¹ρ0`` for every t; validated against :func:`scipy.linalg.expm` at the
    largest and a middle time (relative difference ≤ ``rtol`` of the total mass, else the stiff
    integrator is used).  Larger meshes: adaptive BDF (slow for non-normal generators).
    """
    import scipy.linalg as sla
    import scipy.sparse as sp

    w = np.where(region, gen.areas, 0.0)
    M = (sp.diags(1.0 / gen.areas) @ gen.Q)
    if gen.n <= 3000:
        A = M.toarray()
        lam, V = sla.eig(A)
        scale = float(np.max(np.abs(lam)))
        if np.max(lam.real) > 1e-9 * scale:
            raise ParameterError("level", getattr(gen.mesh, "level", gen.n),
                                 "fine enough for the generator at this current to be a Markov generator",
                                 f"an eigenvalue has Re λ = {np.max(lam.real):.3g} > 0: the mesh does not "
                                 "resolve the drift (raise the level or lower the current)")
        c = sla.solve(V, rho0.astype(complex))
        wv = w @ V
        with np.errstate(under="ignore"):
            P = np.real((wv * c)[None, :] * np.exp(np.outer(times, lam))).sum(axis=1)
        # validation: the fast transients against expm at ‖A‖t = 200 (no under/overflow in the
        # squarings), the long-time limit (the λ = 0 mode) against the stationary solver
        from ..fokker_planck import stationary

        tv = 200.0 / max(scale, 1e-300)
        ref_v = w @ (sla.expm(A * tv) @ rho0)
        P_v = np.real(np.sum(wv * c * np.exp(lam * tv)))
        k0 = int(np.argmin(np.abs(lam)))
        P_inf = np.real(wv[k0] * c[k0])
        ok = abs(P_v - ref_v) <= rtol and abs(P_inf - w @ stationary(gen)) <= rtol
        if ok:
            return P
    from scipy.integrate import solve_ivp

    Jm = M.tocsr()
    sol = solve_ivp(lambda t, y: Jm @ y, (0.0, max(float(times[-1]), 1e-300)), rho0, method="BDF", jac=Jm,
                    t_eval=times, rtol=rtol, atol=1e-14)
    if not sol.success:
        raise FloatingPointError(f"pulse integration failed: {sol.message}")
    return w @ sol.y


def pulse_probability(gen0, gen, times, *, start=(0.0, 0.0, -1.0), rtol: float = 1e-8):
    r"""P(t) of a pulse: prepared with ``gen0`` (J = 0) in its start basin, evolved with ``gen``, read in ``gen0``'s basins.

    Parameters
    ----------
    gen0, gen : Generator
        Zero-current and pulse generators on the same mesh (:func:`~thermokinetic.fokker_planck.assemble`).
    times : array_like
        Non-decreasing times ≥ 0 [τ_N].
    start : array_like (3,)
        Direction selecting the start well of ``gen0``.

    Returns
    -------
    (P, p_inf) : (ndarray, float)
        P at ``times`` and the stationary mass of ``gen`` in the switched region.
    """
    from ..fokker_planck import find_wells, stationary

    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) < 0) or times[0] < 0:
        raise ParameterError("durations", times, "a non-decreasing 1D array of durations >= 0")
    if gen0.mesh is not gen.mesh and gen0.n != gen.n:
        raise ParameterError("gen", gen.n, f"a generator on the same mesh as gen0 ({gen0.n} cells)")
    wells = find_wells(gen0)
    if len(wells) < 2:
        raise ParameterError("energy", f"{len(wells)} well(s) at zero current", "a bistable magnet")
    k = start_well_index(wells, start)
    q = committor(gen0, wells, k)
    home = q < 0.5
    Ud = gen0.Ud.cells
    rho0 = np.where(home, np.exp(-(Ud - Ud[home].min())), 0.0)
    rho0 = rho0 / np.dot(gen0.areas, rho0)
    away = ~home
    P = _evolve_mass(gen, rho0, times, away, rtol)
    p_inf = float(gen.areas[away] @ stationary(gen)[away])
    return np.asarray(P, dtype=float), p_inf


def _switching_axial(model: MacrospinModel, J, t, T: float, tau: float, bar):
    """P, t50, rate and p_∞ of an axial model from the exact 1D reduction (any σ): P = 1 − WER with the
    start region the J = 0 basin of the start well (:meth:`MacrospinModel.write_error_rate`)."""
    P = np.full((J.size, t.size), np.nan)
    t50, rate, pinf = (np.full(J.size, np.nan) for _ in range(3))
    x = np.cos(np.linspace(0.0, math.pi, 20001))
    for i, j in enumerate(J):
        w = model.write_error_rate(float(j), T, t, rtol=1e-7, max_cells=1 << 16, basin=True)
        P[i] = 1.0 - np.asarray(w["wer"], float)
        ud = np.asarray(w["Ud"](x), float)
        weight = np.exp(-(ud - ud.min()))
        away = x < w["split"]
        pinf[i] = float(np.trapezoid(np.where(away, weight, 0.0), -x) / np.trapezoid(weight, -x))
        t50[i] = _t50(t, P[i]) if pinf[i] > 0.5 + 1e-6 else math.nan
        try:
            rate[i] = model.escape(float(j), T)["rate_tauN"] / tau
        except ParameterError:
            pass  # above the instability: no start well, no escape rate
        bar.update()
    return P, t50, rate, pinf


def switching(model: MacrospinModel, currents, durations, *, T: float | None = None, level: int | None = None,
              progress: bool = False, method: str = "auto") -> SwitchingResult:
    r"""Switching probability P(t_pulse; J) on a grid of currents × pulse durations.

    Parameters
    ----------
    model : MacrospinModel
        Magnet and spin-transfer potentials (``model.start``: the initial well).
    currents : array_like
        Pulse currents (model current unit).
    durations : array_like
        Pulse durations (> 0; seconds with an SI model, else τ_N(T_ref)), sorted internally.
    T : float, optional
        Temperature [K] (default ``model.T_ref``).
    level : int, optional
        Geodesic mesh level (default ``model.level``); the finite-volume error is O(h²).
    method : {"auto", "axial", "mesh"}
        ``auto``: the exact 1D reduction for an axial model (any σ: P = 1 − WER of
        :func:`~thermokinetic.fokker_planck.wer.axial_wer`, start region the J = 0 basin bounded by the
        barrier top of U), else the finite-volume mesh (dense eigendecomposition up to 3000 cells,
        so σ ≲ 9 at level 3, then stiff BDF).

    Returns
    -------
    SwitchingResult
    """
    from ..fokker_planck import escape_rates, find_wells

    T = model.T_ref if T is None else check_positive("T", T)
    J = np.atleast_1d(np.asarray(currents, dtype=float))
    if J.ndim != 1 or J.size == 0 or not np.all(np.isfinite(J)):
        raise ParameterError("currents", currents, "a non-empty list of finite currents")
    t = np.sort(np.atleast_1d(np.asarray(durations, dtype=float)))
    if t.ndim != 1 or t.size == 0 or not np.all(np.isfinite(t)) or np.any(t <= 0):
        raise ParameterError("durations", durations, "a non-empty list of finite durations > 0")
    if method not in ("auto", "axial", "mesh"):
        raise ParameterError("method", method, "one of auto, axial, mesh")
    if method == "axial" and not model.axial:
        raise ParameterError("method", method, "an axially symmetric model (energy and chi symmetric about e_z)")
    lev = model.level if level is None else int(level)
    tau = model.time_unit(T)
    if method == "axial" or (method == "auto" and model.axial):
        bar = progress_bar(J.size, progress, "switching")
        P, t50, rate, pinf = _switching_axial(model, J, t, T, tau, bar)
        bar.close()
        return SwitchingResult(J, t, P, t50, rate, pinf, float(T), model.sigma_at(T), None, model.current_unit,
                               "s" if model.Ms is not None else "tau_N(T_ref)", ["ok"] * J.size, model.label,
                               method="axial")
    gen0 = model.generator(0.0, T, lev)
    P = np.full((J.size, t.size), np.nan)
    t50 = np.full(J.size, np.nan)
    rate = np.full(J.size, np.nan)
    pinf = np.full(J.size, np.nan)
    status = ["ok"] * J.size
    bar = progress_bar(J.size, progress, "switching")
    for i, j in enumerate(J):
        # the pulse evolves with the M-matrix variant: the central precession flux has growing modes
        # under a current on a coarse mesh (DESIGN: time stepping needs the Markov generator), which
        # made every current above J_c "unresolved"; at J = 0 the plain operator is already one
        gen = gen0 if j == 0 else model.generator(float(j), T, lev, mmatrix=True)
        try:
            P[i], pinf[i] = pulse_probability(gen0, gen, t / tau, start=model.start)
        except ParameterError as exc:
            if exc.name != "level":
                raise
            status[i] = "unresolved"
            bar.update()
            continue
        status[i] = "ok"
        # P = ½ is a crossing only if the long-pulse limit exceeds ½ (at J = 0 with symmetric wells
        # P → ½ from below and a rounding-level "crossing" is not a switching time)
        t50[i] = _t50(t, P[i]) if pinf[i] > 0.5 + 1e-6 else math.nan
        wells = find_wells(gen)
        if len(wells) >= 2:
            try:
                r = escape_rates(gen, wells=wells)
                if r.valid and r.escape_rates[start_well_index(wells, model.start)] > 0:
                    rate[i] = r.escape_rates[start_well_index(wells, model.start)] / tau
            except ParameterError:
                pass
        bar.update()
    bar.close()
    return SwitchingResult(J, t, P, t50, rate, pinf, float(T), model.sigma_at(T), lev, model.current_unit,
                           "s" if model.Ms is not None else "tau_N(T_ref)", status, model.label, method="mesh")
