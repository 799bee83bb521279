r"""Field form vs flux form of the spin-transfer term: stationary densities and barriers vs current.

The two readings of the spin-transfer term (:mod:`thermokinetic.coupling`, module docstring):

* **field form** (default, seed 002 Eq. 21–24): ``J_FP = ρ(v₀ + J X/2α) − ½∇ρ``; stationary density
  from :func:`~thermokinetic.fokker_planck.stationary` of ``assemble(mesh, U, α, χ = Jχ₁, Φ = JΦ₁)``;
  in the axial case exactly ``∝ e^{−(U − Jχ₁/α)}``;
* **flux form** (seed 001 reading): ``J_FP = ρv₀ − ½∇ρ + J ρ̄X/2α`` (ρ̄ = 1/4π), ρ-independent source
  (:func:`~thermokinetic.fokker_planck.coupled.flux_form_source`,
  :func:`~thermokinetic.fokker_planck.coupled.stationary_flux_form`).
  It is linear response about the uniform density: at U = 0 it is exactly the first order of the field
  form, ``ρ̄(1 + J(χ₁ − χ̄₁)/α)``, and it becomes **negative** wherever ``J(χ₁ − χ̄₁)/α < −1``.

Barrier read off the density (both forms, same definition): the polar profile ρ̄(θ) (area-weighted
mean density of the cells in ``bins`` θ-bins about e_z) is walked from the start pole up to its first
maximum and down to the next minimum, the ridge; ``E_ρ = ln ρ_well − ln ρ̄_ridge`` [kT(T_ref)] with
ρ_well the largest cell density on the start side of the ridge.  For the field form in the axial case
this is the barrier of U_d up to the O(h²) mesh error and the bin average at the ridge (O(Δθ² U_d''));
it is undefined (None) where ρ̄_ridge ≤ 0 (flux form at large J) or there is no ridge.  ``min_density`` is the smallest cell value of
each form; ``negative_from`` is the smallest |J| of the grid at which the flux-form density is negative.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from ._common import finite_or_none, progress_bar
from .model import MacrospinModel, get_mesh

__all__ = ["field_vs_flux", "FieldVsFluxResult"]


@dataclass
class FieldVsFluxResult:
    """Result of :func:`field_vs_flux` (arrays indexed [current] or [current, bin])."""

    currents: np.ndarray
    theta_deg: np.ndarray  # bin centres
    profile_field: np.ndarray
    profile_flux: np.ndarray
    barrier_field: np.ndarray
    barrier_flux: np.ndarray
    min_field: np.ndarray
    min_flux: np.ndarray
    level: int
    sigma: float
    current_unit: str
    label: str = ""

    @property
    def negative_from(self):
        neg = np.flatnonzero(self.min_flux < 0)
        return None if neg.size == 0 else float(np.min(np.abs(self.currents[neg])))

    def to_dict(self) -> dict:
        f = lambda a: [finite_or_none(v) for v in a]  # noqa: E731
        return {"current": self.currents.tolist(), "barrier_field_kT": f(self.barrier_field),
                "barrier_flux_kT": f(self.barrier_flux), "min_density_field": f(self.min_field),
                "min_density_flux": f(self.min_flux), "flux_negative_from": self.negative_from,
                "theta_deg": self.theta_deg.tolist(),
                "profile_field": [f(r) for r in self.profile_field], "profile_flux": [f(r) for r in self.profile_flux],
                "level": self.level, "sigma": self.sigma, "current_unit": self.current_unit}

    def table(self) -> dict:
        return {"current": self.currents, "barrier_field_kT": self.barrier_field, "barrier_flux_kT": self.barrier_flux,
                "min_density_field": self.min_field, "min_density_flux": self.min_flux}

    def plot(self, ax=None):
        """Density barriers of both forms vs current (flux form: open where its density is negative)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        ax.plot(self.currents, self.barrier_field, "o-", ms=4, label="field form (Eq. 24)")
        ax.plot(self.currents, self.barrier_flux, "s-", ms=4, label="flux form (seed 001)")
        if self.negative_from is not None:
            ax.axvline(self.negative_from, color="C3", ls=":", label="flux form: ρ < 0 from here")
            ax.axvline(-self.negative_from, color="C3", ls=":")
        ax.set_xlabel(f"current [{self.current_unit}]")
        ax.set_ylabel("density barrier ln ρ_well/ρ_ridge [kT]")
        ax.legend(fontsize=7)
        return ax

    def plot_profiles(self, ax=None):
        """ρ̄(θ) of both forms at each current (log scale; negative flux-form values not shown)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        n = len(self.currents)
        cmap = plt.get_cmap("viridis")
        for k, J in enumerate(self.currents):
            c = cmap(k / max(n - 1, 1))
            ax.semilogy(self.theta_deg, self.profile_field[k], "-", color=c, label=f"J = {J:.3g}")
            pf = np.where(self.profile_flux[k] > 0, self.profile_flux[k], np.nan)
            ax.semilogy(self.theta_deg, pf, "--", color=c)
        ax.set_xlabel("θ [deg]")
        ax.set_ylabel("ρ̄(θ)  (— field, -- flux)")
        ax.legend(fontsize=6)
        return ax


def _profile(rho, areas, th, edges):
    idx = np.clip(np.digitize(th, edges) - 1, 0, edges.size - 2)
    num = np.bincount(idx, weights=areas * rho, minlength=edges.size - 1)
    den = np.bincount(idx, weights=areas, minlength=edges.size - 1)
    with np.errstate(invalid="ignore"):
        return num / den


def _density_barrier(p, rho, th, th_c, start_south: bool):
    """ln ρ_well − ln ρ̄_ridge: walking the profile from the start pole, up to its first maximum and down
    to the following minimum (the ridge bin); ρ_well is the largest *cell* density on the start side of
    the ridge (a bin average would smear the sharp pole well).  NaN without a ridge or if ρ̄_ridge ≤ 0."""
    q = p[::-1] if start_south else p
    n = q.size
    k = 0
    while k + 1 < n and q[k + 1] >= q[k]:
        k += 1
    while k + 1 < n and q[k + 1] <= q[k]:
        k += 1
    if k >= n - 1 or not q[k] > 0:
        return math.nan
    kr = (n - 1 - k) if start_south else k
    side = th > th_c[kr] if start_south else th < th_c[kr]
    return float(math.log(np.max(rho[side])) - math.log(p[kr]))


def field_vs_flux(model: MacrospinModel, coupler, currents, *, coupler_scale: float = 1.0, level: int | None = None,
                  bins: int = 36, progress: bool = False) -> FieldVsFluxResult:
    r"""Stationary densities of the field and flux forms vs current, at T_ref, on a geodesic mesh.

    Parameters
    ----------
    model : MacrospinModel
        Magnet and χ₁, Φ₁ (kT_ref per model current unit) — those of ``coupler`` times ``coupler_scale``.
    coupler : thermokinetic.coupling.Coupler
        The same spin-transfer field X for the flux-form source.
    currents : array_like
        Currents (model unit); the coupler's current is ``coupler_scale × J``.
    level : int, optional
        Geodesic level (default ``model.level``).
    bins : int
        θ-bins of the profile (≥ 4).
    """
    from ..fokker_planck.coupled import flux_form_source, stationary_flux_form
    from ..fokker_planck import assemble, stationary

    J = np.atleast_1d(np.asarray(currents, dtype=float))
    if J.ndim != 1 or J.size == 0 or not np.all(np.isfinite(J)):
        raise ParameterError("currents", currents, "a non-empty list of finite currents")
    if isinstance(bins, bool) or int(bins) != bins or bins < 4:
        raise ParameterError("bins", bins, "an integer >= 4")
    lev = model.level if level is None else int(level)
    mesh = get_mesh(lev)
    T = model.T_ref
    gen0 = assemble(mesh, model.energy(T), model.alpha)
    b = flux_form_source(mesh, coupler, model.alpha)
    c = mesh.centers / np.linalg.norm(mesh.centers, axis=1)[:, None]
    th = np.degrees(np.arccos(np.clip(c[:, 2], -1, 1)))
    edges = np.linspace(0, 180, int(bins) + 1)
    th_c = 0.5 * (edges[:-1] + edges[1:])
    south = model.start[2] < 0
    pf = np.full((J.size, bins), np.nan)
    px = np.full((J.size, bins), np.nan)
    bf = np.full(J.size, np.nan)
    bx = np.full(J.size, np.nan)
    mf = np.full(J.size, np.nan)
    mx = np.full(J.size, np.nan)
    bar = progress_bar(J.size, progress, "field vs flux")
    for i, j in enumerate(J):
        rho_f = stationary(gen0 if j == 0 else model.generator(float(j), T, lev))
        rho_x = stationary_flux_form(gen0, b, float(j) * coupler_scale)["rho"]
        pf[i], px[i] = _profile(rho_f, mesh.areas, th, edges), _profile(rho_x, mesh.areas, th, edges)
        bf[i] = _density_barrier(pf[i], rho_f, th, th_c, south)
        bx[i] = _density_barrier(px[i], rho_x, th, th_c, south)
        mf[i], mx[i] = rho_f.min(), rho_x.min()
        bar.update()
    bar.close()
    return FieldVsFluxResult(J, th_c, pf, px, bf, bx, mf, mx, lev, model.sigma, model.current_unit, model.label)
