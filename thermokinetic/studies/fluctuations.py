r"""Stationary transverse fluctuations in the start well vs current, and the effective temperatures.

Definitions (reduced units: potentials in kT, time in τ_N(T)):

* **Well density.**  The stationary density of the field-form Fokker–Planck equation (seed 002 Eq. 24)
  *restricted to the basin of the start well* and renormalized there (the quasi-equilibrium inside the
  well; the other well's population is irrelevant as long as the barrier is high).  Axial problems use
  the exact 1D density ``p(x) ∝ e^{−U_d(x)}``, ``U_d = U − χ/α``, ``x = cos θ``, on the basin
  ``[−1, x_b]`` (start −e_z) or ``[x_b, 1]`` (x_b the barrier top of
  :meth:`~thermokinetic.studies.model.MacrospinModel.axial_landscape`), integrated by adaptive
  quadrature (relative error ~1e-12).  Other problems use :func:`~thermokinetic.fokker_planck.stationary`
  on the geodesic mesh restricted to the committor-½ basin (finite-volume error O(h²)).
* **Transverse variance** ``⟨δu²⟩ = ⟨1 − (u·n)²⟩`` about the basin's mean direction n = ⟨u⟩/|⟨u⟩|
  (n = ±e_z in the axial case, so ``⟨δu²⟩ = ⟨u_x² + u_y²⟩``).
* **Fluctuation temperature, harmonic:** ``T_fl/T = ⟨δu²⟩(J)/⟨δu²⟩(0)`` (equipartition in a harmonic well).
* **Fluctuation temperature, matched (axial only):** the temperature T_m at which the *equilibrium*
  (J = 0) well has the same variance, ``⟨δu²⟩_B(T_m) = ⟨δu²⟩(J, T)`` — the exact (non-harmonic)
  counterpart of the ratio.
* **Rate temperature:** ``Γ(J) = f₀(0) e^{−E₀/kT_r}`` with f₀(0) = Γ(0) e^{E₀/kT} and E₀ the J = 0
  barrier, i.e. ``T_r/T = E₀/(E₀ − ln(Γ(J)/Γ(0)))``.
* **Harmonic analytic value (axial, pole well):** ``T_h/T = k(0)/k(J)`` with k = |dU_d/dx| at the pole
  (the curvature of U_d in the tangent plane: U_d ≈ U_d(pole) + k δu²/2).  For ``χ₁ = c cosθ``,
  start −e_z, h along e_z: ``T_h/T = (1 − h)/(1 − h − cJ/(2σα)) = 1/(1 − J/J_c)``.

The fluctuation temperature follows the well's curvature, ≈ 1/(1 − J/J_c), while the rate temperature
follows the barrier, ≈ 1/(1 − J/J_c)² for ``χ ∝ cosθ`` at h = 0 (the barrier σ(1 − J/J_c)² shrinks
quadratically): the two effective temperatures differ, and no single T_eff describes both.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError, check_positive
from ._common import finite_or_none, progress_bar
from .model import MacrospinModel, committor, start_well_index

__all__ = ["fluctuations", "FluctuationsResult", "well_variance"]


@dataclass
class FluctuationsResult:
    """Result of :func:`fluctuations` (arrays indexed by current; NaN where the start well is gone)."""

    currents: np.ndarray
    variance: np.ndarray
    T_fluct_harmonic: np.ndarray
    T_fluct_matched: np.ndarray
    T_rate: np.ndarray
    T_curvature: np.ndarray
    rate: np.ndarray
    temperature: float
    sigma: float
    barrier0_kT: float
    method: str
    current_unit: str
    label: str = ""

    def to_dict(self) -> dict:
        f = lambda a: [finite_or_none(v) for v in a]  # noqa: E731
        return {"current": self.currents.tolist(), "variance": f(self.variance),
                "T_eff_fluct_harmonic_over_T": f(self.T_fluct_harmonic / self.temperature),
                "T_eff_fluct_matched_over_T": f(self.T_fluct_matched / self.temperature),
                "T_eff_rate_over_T": f(self.T_rate / self.temperature),
                "T_eff_curvature_over_T": f(self.T_curvature / self.temperature),
                "rate_per_tauN": f(self.rate), "temperature": self.temperature, "sigma": self.sigma,
                "barrier0_kT": self.barrier0_kT, "density": self.method, "current_unit": self.current_unit}

    def table(self) -> dict:
        T = self.temperature
        return {"current": self.currents, "variance": self.variance, "T_fluct_harmonic_over_T": self.T_fluct_harmonic / T,
                "T_fluct_matched_over_T": self.T_fluct_matched / T, "T_rate_over_T": self.T_rate / T,
                "T_curvature_over_T": self.T_curvature / T, "rate_per_tauN": self.rate}

    def plot(self, ax=None):
        """The effective temperatures T_eff/T vs current (fluctuations vs rate)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        T = self.temperature
        ax.plot(self.currents, self.T_fluct_harmonic / T, "o-", ms=4, label="fluctuations ⟨δu²⟩(J)/⟨δu²⟩(0)")
        if np.isfinite(self.T_fluct_matched).any():
            ax.plot(self.currents, self.T_fluct_matched / T, "s--", ms=3, label="fluctuations (matched Boltzmann)")
        ax.plot(self.currents, self.T_rate / T, "^-", ms=4, label="rate Γ(J) = f₀ e^{−E₀/kT_eff}")
        if np.isfinite(self.T_curvature).any():
            ax.plot(self.currents, self.T_curvature / T, "-", color="0.5", lw=2, alpha=0.6,
                    label="harmonic: curvature of U − χ/α")
        ax.set_xlabel(f"current [{self.current_unit}]")
        ax.set_ylabel("T_eff / T")
        ax.legend(fontsize=7)
        ax.set_title(self.label or f"T = {self.temperature:g} K, σ = {self.sigma:.3g}", fontsize=9)
        return ax


def _basin_average(Ud, a: float, b: float, xm: float):
    """``(∫(1−x²) e^{−(U_d−U_d(x_m))}, ∫ e^{−(U_d−U_d(x_m))})`` over [a, b] by adaptive quadrature."""
    from scipy.integrate import quad

    u0 = float(Ud(np.asarray(xm)))
    w = lambda x: math.exp(-(float(Ud(np.asarray(x))) - u0))  # noqa: E731
    pts = [xm] if a < xm < b else None
    kw = dict(limit=500, epsabs=0.0, epsrel=1e-13, points=pts)
    Z = quad(w, a, b, **kw)[0]
    V = quad(lambda x: (1 - x * x) * w(x), a, b, **kw)[0]
    return V, Z


def well_variance(model: MacrospinModel, J: float, T: float, *, method: str | None = None, level: int | None = None
                  ) -> float:
    """⟨δu²⟩ = ⟨1 − (u·n)²⟩ of the stationary density restricted to the start basin (see module docstring)."""
    from ..fokker_planck import find_wells, stationary

    use_axial = model.use_axial() if method is None else method == "axial"
    if use_axial:
        land = model.axial_landscape(J, T)
        xb, xm = land["x_barrier"], land["x_min"]
        a, b = (-1.0, xb) if land["sign"] < 0 else (xb, 1.0)
        V, Z = _basin_average(land["Ud"], a, b, xm)
        return V / Z
    gen = model.generator(J, T, level)
    wells = find_wells(gen)
    if len(wells) < 2:
        raise ParameterError("current", J, "below the critical current (the start well no longer exists)")
    k = start_well_index(wells, model.start)
    basin = committor(gen, wells, k) < 0.5
    rho = stationary(gen)
    m = gen.areas * rho * basin
    u = gen.mesh.centers / np.linalg.norm(gen.mesh.centers, axis=1)[:, None]
    n = m @ u
    n = n / np.linalg.norm(n)
    return float(m @ (1 - (u @ n) ** 2) / m.sum())


def _pole_slope(Ud, sign: float) -> float:
    """|dU_d/dx| at the pole x = sign (one-sided differences, Richardson-extrapolated: O(δ²))."""
    d = 1e-4
    f = lambda x: float(Ud(np.asarray(x)))  # noqa: E731
    g1 = (f(sign) - f(sign * (1 - d))) / d
    g2 = (f(sign) - f(sign * (1 - 2 * d))) / (2 * d)
    return abs(2 * g1 - g2)


def fluctuations(model: MacrospinModel, currents, *, T: float | None = None, level: int | None = None,
                 progress: bool = False) -> FluctuationsResult:
    r"""Transverse variance ⟨δu²⟩(J) in the start well and the effective temperatures it and the rate imply.

    Parameters
    ----------
    model : MacrospinModel
        Axial models use the exact 1D density, others the mesh (``level``).
    currents : array_like
        Currents (model unit); J = 0 is added internally as the reference.
    T : float, optional
        Temperature [K] (default T_ref).
    """
    from scipy.optimize import brentq

    T = model.T_ref if T is None else check_positive("T", T)
    J = np.atleast_1d(np.asarray(currents, dtype=float))
    if J.ndim != 1 or J.size == 0 or not np.all(np.isfinite(J)):
        raise ParameterError("currents", currents, "a non-empty list of finite currents")
    axial = model.use_axial()
    v0 = well_variance(model, 0.0, T, level=level)
    e0 = model.escape(0.0, T, level=level)
    g0 = e0["rate_tauN"]
    E0 = e0["barrier_kT"]
    if not np.isfinite(E0):  # mesh: the exact J = 0 barrier from the equilibria of U
        from ..llg import equilibria

        eqs = equilibria(model.llg(0.0, T))
        umin = min(e.energy for e in eqs if e.stable and (e.u @ np.asarray(model.start)) > 0.5)
        E0 = min(e.energy for e in eqs if e.kind == "saddle") - umin
    var = np.full(J.size, np.nan)
    Tm = np.full(J.size, np.nan)
    Tr = np.full(J.size, np.nan)
    Tc = np.full(J.size, np.nan)
    rate = np.full(J.size, np.nan)
    k0 = None
    if axial:
        land0 = model.axial_landscape(0.0, T)
        if abs(land0["x_min"]) == 1.0:
            k0 = _pole_slope(land0["Ud"], land0["sign"])

    def vB(Tp):  # equilibrium well variance at temperature Tp
        return well_variance(model, 0.0, Tp)

    bar = progress_bar(J.size, progress, "fluctuations")
    for i, j in enumerate(J):
        try:
            var[i] = well_variance(model, float(j), T, level=level)
            r = model.escape(float(j), T, level=level)
        except ParameterError as exc:
            if exc.name != "current":
                raise
            bar.update()
            continue
        rate[i] = r["rate_tauN"]
        lr = math.log(rate[i] / g0)
        Tr[i] = T * E0 / (E0 - lr) if E0 - lr > 0 else math.inf
        if axial:
            land = model.axial_landscape(float(j), T)
            if k0 is not None and abs(land["x_min"]) == 1.0:
                Tc[i] = T * k0 / _pole_slope(land["Ud"], land["sign"])
            target = var[i]
            lo, hi = T / 8, T * 8
            try:
                if (vB(lo) - target) * (vB(hi) - target) < 0:
                    Tm[i] = brentq(lambda Tp: vB(Tp) - target, lo, hi, rtol=1e-12)
            except ParameterError:
                pass
        bar.update()
    bar.close()
    return FluctuationsResult(J, var, T * var / v0, Tm, Tr, Tc, rate, float(T), model.sigma_at(T), float(E0),
                              "axial 1D density e^{-(U - chi/alpha)} on the start basin" if axial
                              else f"mesh stationary density (level {model.level if level is None else level}) "
                              "on the committor-1/2 start basin", model.current_unit, model.label)
