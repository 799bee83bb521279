r"""Coercive fields and loop shift of the T = 0 hysteresis loop vs current.

For each current J the quasi-static loop of the generalized LLG (seed 002 Eq. 24) is traced by
:func:`thermokinetic.llg.hysteresis_loop`: the reduced field h = H/H_K along e_H (angle ψ from the easy
axis) is swept down then up and the stable branch followed; the switching fields h_down < 0 < h_up are
located to ``tol_h`` (saddle-node or loss of damping).  Reported: h_down, h_up, the loop centre
(shift) ``(h_up + h_down)/2`` and the coercivity ``(h_up − h_down)/2``.  Energies at T_ref
(σ = Kv/kT_ref, χ = J χ₁, Φ = J Φ₁ in kT_ref); the loop does not depend on the temperature
scale (every potential is multiplied by the same s = T_ref/T).

Exact reference: axial field (ψ = 0) and ``χ₁ = c cosθ`` — χ/α enters only through
``U_d = U − χ/α = −σcos²θ − 2σ(h + cJ/(2σα))cosθ``, so both switching fields move by
``−cJ/(2σα)`` and the coercivity stays 1 (:func:`thermokinetic.llg.hysteresis_loop` tests).
A precession potential Φ does not shift the loop in that case.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..energy import thin_film
from ..errors import ParameterError, check_positive
from ._common import finite_or_none, progress_bar
from .model import MacrospinModel

__all__ = ["hysteresis", "HysteresisResult"]


@dataclass
class HysteresisResult:
    """Result of :func:`hysteresis` (arrays indexed by current; NaN where no switch in the sweep)."""

    currents: np.ndarray
    h_down: np.ndarray
    h_up: np.ndarray
    fields: np.ndarray
    m_down: np.ndarray  # (nJ, nh): u·e_z on the downward branch (fields decreasing)
    m_up: np.ndarray  # (nJ, nh): upward branch (fields increasing)
    sigma: float
    alpha: float
    psi: float
    current_unit: str
    label: str = ""

    @property
    def shift(self) -> np.ndarray:
        return 0.5 * (self.h_up + self.h_down)

    @property
    def coercivity(self) -> np.ndarray:
        return 0.5 * (self.h_up - self.h_down)

    def to_dict(self) -> dict:
        f = lambda a: [finite_or_none(v) for v in a]  # noqa: E731
        return {"current": self.currents.tolist(), "h_switch_down": f(self.h_down), "h_switch_up": f(self.h_up),
                "shift": f(self.shift), "coercivity": f(self.coercivity), "sigma": self.sigma, "alpha": self.alpha,
                "psi_deg": self.psi, "current_unit": self.current_unit}

    def table(self) -> dict:
        return {"current": self.currents, "h_switch_down": self.h_down, "h_switch_up": self.h_up,
                "shift": self.shift, "coercivity": self.coercivity}

    def plot(self, ax=None):
        """Switching fields and loop centre vs current."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        ax.plot(self.currents, self.h_up, "^-", ms=4, label="h_up")
        ax.plot(self.currents, self.h_down, "v-", ms=4, label="h_down")
        ax.plot(self.currents, self.shift, "o-", ms=4, label="loop centre (shift)")
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set_xlabel(f"current [{self.current_unit}]")
        ax.set_ylabel("reduced field h = H/H_K")
        ax.legend(fontsize=7)
        ax.set_title(self.label or f"T = 0 loops (σ = {self.sigma:.3g}, ψ = {self.psi:g}°)", fontsize=9)
        return ax

    def plot_loops(self, ax=None):
        """The loops themselves (u·e_z vs h), one per current."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        cmap = plt.get_cmap("viridis")
        n = len(self.currents)
        for k, J in enumerate(self.currents):
            c = cmap(k / max(n - 1, 1))
            ax.plot(self.fields[::-1], self.m_down[k], color=c, label=f"J = {J:.3g}")
            ax.plot(self.fields, self.m_up[k], color=c)
        ax.set_xlabel("h = H/H_K")
        ax.set_ylabel("u·e_z")
        ax.legend(fontsize=6)
        return ax


def hysteresis(model: MacrospinModel, currents, fields, *, tol_h: float = 1e-7, progress: bool = False
               ) -> HysteresisResult:
    r"""T = 0 hysteresis loops h ↦ u·e_z at each current; switching fields, shift, coercivity.

    Parameters
    ----------
    model : MacrospinModel
        σ, α, ψ and χ₁, Φ₁ at T_ref (the model's own ``h`` is replaced by the swept field).
    currents : array_like
        Currents (model unit).
    fields : array_like
        Reduced fields h = H/H_K of the sweep (≥ 3 distinct values; the loop must close inside).
    tol_h : float
        Bisection tolerance on the switching fields (> 0).
    """
    from ..llg import hysteresis_loop

    J = np.atleast_1d(np.asarray(currents, dtype=float))
    if J.ndim != 1 or J.size == 0 or not np.all(np.isfinite(J)):
        raise ParameterError("currents", currents, "a non-empty list of finite currents")
    h = np.unique(np.asarray(fields, dtype=float))
    if h.ndim != 1 or h.size < 3 or not np.all(np.isfinite(h)):
        raise ParameterError("fields", fields, "at least 3 distinct finite reduced fields")
    tol_h = check_positive("tol_h", tol_h)
    sigma, psi = model.sigma, model.psi
    hd = np.full(J.size, np.nan)
    hu = np.full(J.size, np.nan)
    md = np.full((J.size, h.size), np.nan)
    mu = np.full((J.size, h.size), np.nan)
    bar = progress_bar(J.size, progress, "hysteresis")
    for i, j in enumerate(J):
        chi, phi = model.potentials(float(j), model.T_ref)
        loop = hysteresis_loop(lambda hh: thin_film(sigma, model.sigma_p, hh, psi), h, chi=chi, phi=phi,
                               alpha=model.alpha,
                               projection=(0.0, 0.0, 1.0), tol_h=tol_h)
        hd[i], hu[i] = loop.h_switch_down, loop.h_switch_up
        md[i], mu[i] = loop.m_down, loop.m_up
        bar.update()
    bar.close()
    return HysteresisResult(J, hd, hu, h, md, mu, sigma, model.alpha, psi, model.current_unit, model.label)
