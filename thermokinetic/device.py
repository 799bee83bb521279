r"""One front door for notebooks and scripts: a magnet, from reduced or SI parameters.

:class:`Magnet` is a thin layer over the solvers: it holds the reduced energy of a single-domain
magnet,

.. math::

    U/kT = -σ u_z^2 + σ_p u_x^2 - 2σh\,(u·e_H),\qquad e_H = (\sin ψ, 0, \cos ψ),

(easy axis e_z, film normal e_x) and its damping α, and answers with the package's own entry points:
:meth:`Magnet.escape` (:func:`~thermokinetic.fokker_planck.compute_escape`), :meth:`Magnet.wer`
(:func:`~thermokinetic.fokker_planck.compute_wer`), :meth:`Magnet.stationary` (the stationary density
on the geodesic mesh, :func:`~thermokinetic.fokker_planck.stationary`) and :meth:`Magnet.plot` (the
landscape).  Spin transfer is given in the reduced form of those functions: ``chi_cos = C`` is the
dissipative potential χ = C u_z and ``phi_cos = C`` the precession potential Φ = C u_z, both in kT.
Rates and times are in units of the Néel time τ_N; :attr:`Magnet.tau_N` converts (seconds) for a
magnet built from its geometry.

Example
-------
>>> from thermokinetic import Magnet
>>> m = Magnet(sigma=10, h=0.3, psi=45, alpha=0.1)
>>> r = m.escape(rtol=1e-3)           # doctest: +SKIP
>>> r["lambda1_tauN"], r["error_estimate"]   # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ParameterError, check_finite, check_nonnegative, check_positive

__all__ = ["Magnet"]


@dataclass(frozen=True)
class Magnet:
    """A single-domain magnet in reduced units (energies in kT, times in τ_N).

    Parameters
    ----------
    sigma : float
        σ = K_eff v/kT ≥ 0, the uniaxial barrier (the thermal stability factor Δ at zero field).
    sigma_p : float
        σ_p ≥ 0, the easy-plane (shape) anisotropy of a thin film, +σ_p u_x² (e_x the film normal).
    h : float
        Reduced field H/H_K (≥ 0; its direction is ``psi``).
    psi : float
        Field angle from the easy axis e_z in degrees, in the x–z plane.
    alpha : float
        Gilbert damping α > 0.
    layer : FreeLayer, optional
        The geometry and materials it was built from (:meth:`from_geometry`).
    T : float, optional
        Temperature [K] of a magnet built from its geometry.
    """

    sigma: float
    sigma_p: float = 0.0
    h: float = 0.0
    psi: float = 0.0
    alpha: float = 1.0
    layer: object = None
    T: float | None = None

    def __post_init__(self):
        for name in ("sigma", "sigma_p", "h"):
            value = getattr(self, name)
            if isinstance(value, bool):
                raise ParameterError(name, value, "a number >= 0")
            object.__setattr__(self, name, check_nonnegative(name, value))
        if isinstance(self.psi, bool):
            raise ParameterError("psi", self.psi, "an angle in degrees")
        object.__setattr__(self, "psi", check_finite("psi", self.psi))
        if isinstance(self.alpha, bool):
            raise ParameterError("alpha", self.alpha, "a damping > 0")
        object.__setattr__(self, "alpha", check_positive("alpha", self.alpha))

    @classmethod
    def from_geometry(cls, *, shape: str = "ellipse", length: float, width: float, thickness: float, Ms: float,
                      K: float = 0.0, K_axis: str = "normal", K_s: float = 0.0, T: float = 300.0,
                      alpha: float, H: float = 0.0, psi: float = 0.0) -> "Magnet":
        """A free layer from its geometry and materials (SI; :class:`thermokinetic.magnet.FreeLayer`).

        ``length``, ``width``, ``thickness`` [m], ``Ms`` [A/m], ``K`` [J/m³] along ``K_axis``, ``K_s``
        [J/m²], ``T`` [K], ``H`` [A/m] at ``psi`` degrees from the easy axis towards the hard axis.  The
        demagnetizing factors come from the shape; σ = Δ and σ_p from the sorted anisotropy
        coefficients (easy axis → e_z, hard axis → e_x)."""
        from .magnet import FreeLayer

        layer = FreeLayer(shape=shape, length=length, width=width, thickness=thickness, Ms=Ms, K=K, K_axis=K_axis,
                          K_s=K_s)
        r = layer.reduced(T)
        H = check_finite("H", H)
        return cls(sigma=r["sigma"], sigma_p=r["sigma_p"], h=abs(H) / layer.H_K, psi=psi + (180.0 if H < 0 else 0.0),
                   alpha=alpha, layer=layer, T=float(T))

    # -- what it is -----------------------------------------------------------------------------------
    @property
    def energy(self):
        """The reduced energy U/kT (:func:`thermokinetic.energy.thin_film`)."""
        from .energy import thin_film

        return thin_film(self.sigma, self.sigma_p, self.h, self.psi)

    @property
    def tau_N(self) -> float:
        """The Néel time τ_N [s] of a magnet built from its geometry (rates here are per τ_N)."""
        if self.layer is None:
            raise ParameterError("magnet", "reduced parameters", "a magnet from Magnet.from_geometry (Ms, volume, T "
                                 "give tau_N in seconds)")
        from .units import tau_N

        return tau_N(self.layer.Ms, self.layer.volume, self.T, self.alpha)

    def describe(self) -> dict:
        """The reduced parameters, and the free layer's SI description when built from its geometry."""
        out = {"sigma": self.sigma, "sigma_p": self.sigma_p, "h": self.h, "psi_deg": self.psi, "alpha": self.alpha}
        if self.layer is not None:
            out["free_layer"] = self.layer.describe(self.T)
            out["tau_N_s"] = self.tau_N
        return out

    # -- what it does ---------------------------------------------------------------------------------
    def _kw(self) -> dict:
        return dict(sigma=self.sigma, sigma_p=self.sigma_p, h=self.h, psi=self.psi, alpha=self.alpha)

    def escape(self, *, chi_cos: float = 0.0, phi_cos: float = 0.0, rtol: float | None = None, **options) -> dict:
        """λ₁ and the escape rate out of each well [1/τ_N], each with its relative error estimate
        (:func:`~thermokinetic.fokker_planck.compute_escape`; ``options``: ``method``, ``max_cells``, …)."""
        from .fokker_planck import compute_escape

        return compute_escape(**self._kw(), chi_cos=chi_cos, phi_cos=phi_cos, rtol=rtol, **options)

    def wer(self, times, *, chi_cos: float, phi_cos: float = 0.0, rtol: float | None = None, **options) -> dict:
        """Write error rate after pulses of widths ``times`` [τ_N] of the spin-transfer potential χ = chi_cos·u_z,
        starting in the thermal state of the u_z > 0 well (:func:`~thermokinetic.fokker_planck.compute_wer`)."""
        from .fokker_planck import compute_wer

        return compute_wer(**self._kw(), times=times, chi_cos=chi_cos, phi_cos=phi_cos, rtol=rtol, **options)

    def stationary(self, *, chi_cos: float = 0.0, phi_cos: float = 0.0, level: int = 5):
        """The stationary density ρ_s [1/sr] on the geodesic mesh of ``level``: ``(mesh, rho)`` with
        Σ A_i ρ_i = 1 (the Boltzmann density e^{−U}/Z at zero current, a non-equilibrium state with χ, Φ)."""
        from .fokker_planck import assemble, build_mesh, cos_potential, stationary

        mesh = build_mesh(level=level)
        gen = assemble(mesh, self.energy, self.alpha, chi=cos_potential(chi_cos) if chi_cos else None,
                       phi=cos_potential(phi_cos) if phi_cos else None)
        return mesh, stationary(gen)

    def plot(self, ax=None, *, chi_cos: float = 0.0, n: int = 181):
        """The landscape U_d = U − χ/α [kT] over the sphere (azimuth φ about e_z, polar angle θ from e_z),
        with the minima marked; returns the matplotlib Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.4))
        th = np.linspace(0.0, np.pi, n)
        ph = np.linspace(-np.pi, np.pi, 2 * n - 1)
        T, P = np.meshgrid(th, ph, indexing="ij")
        u = np.stack([np.sin(T) * np.cos(P), np.sin(T) * np.sin(P), np.cos(T)], axis=-1)
        U = self.energy.value(u) - chi_cos * u[..., 2] / self.alpha
        U = U - U.min()
        im = ax.pcolormesh(np.degrees(ph), np.degrees(th), U, shading="auto", cmap="viridis")
        ax.contour(np.degrees(ph), np.degrees(th), U, levels=12, colors="w", linewidths=0.4)
        ax.figure.colorbar(im, ax=ax, label=r"$U_d - \min U_d$ [kT]")
        ax.set_xlabel(r"azimuth $\varphi$ about $e_z$ [deg]")
        ax.set_ylabel(r"polar angle $\theta$ from $e_z$ [deg]")
        ax.invert_yaxis()
        ax.set_title(f"σ = {self.sigma:.4g}, σ_p = {self.sigma_p:.4g}, h = {self.h:.3g}, ψ = {self.psi:.3g}°"
                     + (f", χ = {chi_cos:g} u_z" if chi_cos else ""), fontsize=9)
        return ax
