r"""A macrospin under spin transfer at a physical current and temperature: the object studies sweep.

Reduced units (:mod:`thermokinetic.units`).  At the reference temperature ``T_ref`` the free
energy is ``U_ref = −σ (u·e_z)² − 2σh (u·e_H)`` (σ = Kv/kT_ref, h = H/H_K, e_H at ψ from e_z) and
the spin-transfer potentials per unit current are ``χ₁(u)``, ``Φ₁(u)`` (kT_ref per current unit,
seed 002 Eqs. 22–24).  Every reduced potential is an energy divided by kT, so at temperature ``T``
and current ``J``

.. math:: U = s\,U_{ref},\qquad χ = s\,J\,χ_1,\qquad Φ = s\,J\,Φ_1,\qquad s = T_{ref}/T ,

and the generalized LLG / Fokker–Planck drift of :mod:`thermokinetic.llg` and
:mod:`thermokinetic.fokker_planck` applies with these potentials.  Times are in τ_N(T) ∝ 1/T.
Rates are returned either in 1/s (when ``Ms`` [A/m] and ``volume`` [m³] are given, through
:func:`thermokinetic.units.tau_N`) or in units of 1/τ_N(T_ref) (``Γ τ_N(T_ref) = λ T/T_ref``).

Escape rates: an axially symmetric problem (field along e_z and φ-independent Φ₁, χ₁) is solved
by the exact 1D reduction (:class:`~thermokinetic.fokker_planck.AxialProblem`: relative accuracy
~1e-13 at any σ, independent of α since an axial Φ only adds azimuthal drift); any other problem
on a geodesic mesh with the exact flux-over-population solver
(:func:`~thermokinetic.fokker_planck.escape_rates`, error O(h²)).  The T = 0 critical current
is where the stable equilibrium continued from ``start`` loses stability
(:func:`critical_current_T0`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..energy import thin_film
from ..errors import ParameterError, check_finite, check_nonnegative, check_positive, check_range, check_unit_vector
from ..units import KB, tau_N as _tau_N

__all__ = ["MacrospinModel", "critical_current_T0", "CriticalCurrent", "cos_callable", "get_mesh", "committor",
           "start_well_index", "track_equilibrium"]


def cos_callable(c: float, axis=(0.0, 0.0, 1.0)) -> Callable:
    """The potential ``c (u·axis)`` (kT) as a callable of u (n,3)."""
    a = check_unit_vector("axis", axis)
    c = float(c)
    return lambda u: c * (np.asarray(u, dtype=float) @ a)


_MESHES: dict = {}


def get_mesh(level: int):
    """Geodesic mesh of the given level, built once per process."""
    from ..fokker_planck import build_mesh

    if level not in _MESHES:
        _MESHES[level] = build_mesh("geodesic", level)
    return _MESHES[level]


def _is_axial(f, name) -> bool:
    if f is None:
        return True
    th = np.linspace(0.1, math.pi - 0.1, 9)
    ph = np.linspace(0, 2 * math.pi, 7, endpoint=False)
    T, P = np.meshgrid(th, ph, indexing="ij")
    u = np.stack((np.sin(T) * np.cos(P), np.sin(T) * np.sin(P), np.cos(T)), axis=-1).reshape(-1, 3)
    v = np.asarray(f(u), dtype=float).reshape(T.shape)
    if not np.all(np.isfinite(v)):
        raise ParameterError(name, "non-finite values", "finite values for every direction")
    return bool(np.max(np.abs(v - v[:, :1])) <= 1e-10 * (1 + np.max(np.abs(v))))


@dataclass
class MacrospinModel:
    r"""Stoner–Wohlfarth macrospin with spin-transfer potentials, parametrized at ``T_ref``.

    Parameters
    ----------
    sigma : float
        σ = Kv/kT_ref (> 0).
    alpha : float
        Gilbert damping (> 0).
    h : float
        Reduced field H/H_K (temperature independent).
    psi : float
        Field angle from the easy axis e_z, in degrees (in the x–z plane).
    chi, phi : callable, optional
        χ₁(u), Φ₁(u): potentials per unit current in kT_ref (``(n,3) -> (n,)``), seed 002 Eq. 22.
    grad_chi, grad_phi : callable, optional
        Their Cartesian or surface gradients (else finite differences on Σ, see :mod:`~thermokinetic.llg`).
    T_ref : float
        Reference temperature [K] (> 0).
    Ms, volume : float, optional
        Saturation magnetization [A/m] and volume [m³]: rates in 1/s.  Without them rates are in
        1/τ_N(T_ref).
    start : array_like (3,)
        Direction of the well whose escape is followed (default −e_z: antiparallel to a polarizer
        along +e_z, the state that J > 0 destabilizes).
    current_unit : str
        Label of the current's unit (``"A/m^2"``, ``"1"`` for reduced amplitudes).
    method : {"auto", "axial", "mesh"}
        Escape-rate solver ("auto": axial when the problem is axially symmetric).
    level : int
        Geodesic level of the mesh solver.
    sigma_p : float
        Thin-film easy-plane anisotropy σ_p = μ0Ms²v(N_x − N_y)/2kT_ref ≥ 0: U gains +σ_p (u·e_x)²
        (e_x the film normal, :func:`~thermokinetic.energy.thin_film`); it scales with T_ref/T like σ.
    """

    sigma: float
    alpha: float
    h: float = 0.0
    psi: float = 0.0
    chi: Callable | None = None
    phi: Callable | None = None
    grad_chi: Callable | None = None
    grad_phi: Callable | None = None
    T_ref: float = 300.0
    Ms: float | None = None
    volume: float | None = None
    start: tuple = (0.0, 0.0, -1.0)
    current_unit: str = "1"
    method: str = "auto"
    level: int = 5
    label: str = ""
    sigma_p: float = 0.0
    axial: bool = field(init=False, default=False)

    def __post_init__(self):
        self.sigma = check_positive("sigma", self.sigma)
        self.alpha = check_positive("alpha", self.alpha)
        self.h = check_finite("h", self.h)
        self.psi = check_finite("psi", self.psi)
        self.sigma_p = check_nonnegative("sigma_p", self.sigma_p)
        self.T_ref = check_positive("T_ref", self.T_ref)
        if (self.Ms is None) != (self.volume is None):
            raise ParameterError("Ms/volume", (self.Ms, self.volume), "both given or both omitted")
        if self.Ms is not None:
            self.Ms = check_positive("Ms", self.Ms)
            self.volume = check_positive("volume", self.volume)
        self.start = tuple(check_unit_vector("start", self.start))
        if self.method not in ("auto", "axial", "mesh"):
            raise ParameterError("method", self.method, "one of ['auto', 'axial', 'mesh']")
        from ..sphere.geodesic import MAX_LEVEL

        if isinstance(self.level, bool) or int(self.level) != self.level or not 3 <= self.level <= MAX_LEVEL:
            raise ParameterError("level", self.level, f"an integer in [3, {MAX_LEVEL}]")
        self.level = int(self.level)
        for name in ("chi", "phi"):
            f = getattr(self, name)
            if f is not None and not callable(f):
                raise ParameterError(name, f, "a callable u(n,3) -> values (kT per unit current) or None")
        field_axial = abs(math.sin(math.radians(self.psi))) < 1e-14 or self.h == 0
        self.axial = bool(field_axial and self.sigma_p == 0 and abs(self.start[2]) > 1 - 1e-12
                          and _is_axial(self.chi, "chi") and _is_axial(self.phi, "phi"))
        if self.method == "axial" and not self.axial:
            raise ParameterError("method", "axial", "'auto' or 'mesh' for this non-axisymmetric problem",
                                 "the field, chi, phi and the start well must be symmetric about e_z")

    # ------------------------------------------------------------------ scaling with temperature
    def scale(self, T: float) -> float:
        """s = T_ref/T (every reduced potential is multiplied by s); T must be > 0."""
        T = check_positive("T", T)
        return self.T_ref / T

    def sigma_at(self, T: float) -> float:
        """σ(T) = Kv/kT."""
        return self.sigma * self.scale(T)

    @property
    def barrier_unit_J(self) -> float:
        """kT_ref in joules (energies in kT_ref are multiplied by this)."""
        return KB * self.T_ref

    def energy(self, T: float):
        """Reduced energy U(T) = s U_ref (kT): −σ u_z² + σ_p u_x² − 2σh (u·e_H)."""
        return thin_film(self.sigma_at(T), self.sigma_p * self.scale(T), self.h, self.psi)

    def potentials(self, J: float, T: float):
        """``(chi, phi)`` callables in kT at current J and temperature T (None where absent)."""
        J = check_finite("current", J)
        a = J * self.scale(T)
        chi = None if (self.chi is None or a == 0) else (lambda u, f=self.chi: a * np.asarray(f(u), dtype=float))
        phi = None if (self.phi is None or a == 0) else (lambda u, f=self.phi: a * np.asarray(f(u), dtype=float))
        return chi, phi

    def time_unit(self, T: float) -> float:
        """τ_N(T) in the rate unit's inverse: seconds (SI) or units of τ_N(T_ref)."""
        if self.Ms is not None:
            return _tau_N(self.Ms, self.volume, T, self.alpha)
        return self.T_ref / check_positive("T", T)

    @property
    def rate_unit(self) -> str:
        return "1/s" if self.Ms is not None else "1/tau_N(T_ref)"

    def llg(self, J: float, T: float | None = None):
        """The deterministic generalized LLG (seed 002 Eq. 24) at current J (reduced at T, default T_ref)."""
        from ..llg import GeneralizedLLG

        T = self.T_ref if T is None else T
        s = self.scale(T)
        J = check_finite("current", J)
        chi, phi = self.potentials(J, T)
        gchi = gphi = None
        if chi is not None and self.grad_chi is not None:
            gchi = lambda u, g=self.grad_chi: J * s * np.asarray(g(u), dtype=float)  # noqa: E731
        if phi is not None and self.grad_phi is not None:
            gphi = lambda u, g=self.grad_phi: J * s * np.asarray(g(u), dtype=float)  # noqa: E731
        return GeneralizedLLG(self.energy(T), self.alpha, phi=phi, chi=chi, grad_phi=gphi, grad_chi=gchi)

    # ------------------------------------------------------------------ escape
    def use_axial(self) -> bool:
        return self.method == "axial" or (self.method == "auto" and self.axial)

    def escape(self, J: float, T: float, level: int | None = None) -> dict:
        r"""Escape rate out of the ``start`` well at current J and temperature T.

        Returns
        -------
        dict
            ``rate`` (in :attr:`rate_unit`), ``rate_tauN`` (1/τ_N(T)), ``lambda1_tauN``, ``sigma``,
            ``method``, ``barrier_kT`` (U_d(saddle) − U_d(well) when known: axial problems), ``cells``.

        Raises
        ------
        ParameterError
            T ≤ 0; the start well does not exist (``current``: above the instability); the mesh does
            not resolve the well (``level``, from :func:`~thermokinetic.fokker_planck.check_resolution`).
        """
        s = self.scale(T)
        J = check_finite("current", J)
        chi, phi = self.potentials(J, T)
        sig = self.sigma * s
        if self.use_axial():
            out = self._escape_axial(J, T, sig, chi)
        else:
            out = self._escape_mesh(J, T, chi, phi, self.level if level is None else level)
        out["rate"] = out["rate_tauN"] / self.time_unit(T)
        out["sigma"] = sig
        return out

    def _axial_ud(self, J: float, T: float):
        """U_d(x) = −σx² − 2σh_z x − χ(x)/α (kT at T) of an axial model, x = u_z, as a callable."""
        sig = self.sigma_at(T)
        h_axial = self.h * math.cos(math.radians(self.psi))
        chi, _ = self.potentials(J, T)
        alpha = self.alpha

        def Ud(x):
            x = np.asarray(x, dtype=float)
            out = -sig * x**2 - 2 * sig * h_axial * x
            if chi is not None:
                xc = np.clip(x, -1, 1).reshape(-1)
                u = np.stack((np.sqrt(1 - xc**2), np.zeros_like(xc), xc), axis=-1)
                out = out - np.asarray(chi(u), dtype=float).reshape(x.shape) / alpha
            return out

        return Ud

    def axial_landscape(self, J: float, T: float) -> dict:
        r"""The exact 1D landscape of an axial problem at current J and temperature T.

        The start basin is found on U_d(x) = U − χ/α itself: its minimum may be the pole or, past the
        T = 0 instability of the pole, a ring (cone state) x_r; the barrier top x_b is the first
        interior maximum of U_d met walking from that minimum towards the other pole.

        Returns
        -------
        dict
            ``Ud`` (callable of x = cos θ, kT), ``x_min`` (basin minimum), ``x_barrier``, ``sign``
            (+1: the start well is at x = +1), ``barrier_kT`` = U_d(x_b) − U_d(x_min).

        Raises
        ------
        ParameterError
            Not axial (``method``), or the start basin has no barrier (``current``).
        """
        from scipy.optimize import minimize_scalar

        if not self.axial:
            raise ParameterError("method", self.method, "an axially symmetric model for the 1D landscape")
        J = check_finite("current", J)
        sgn = 1.0 if self.start[2] > 0 else -1.0
        Ud = self._axial_ud(J, T)

        th = np.linspace(0.0, math.pi, 4001)
        xs = np.cos(th) if sgn < 0 else np.cos(th[::-1])  # from the other pole to the start pole
        us = Ud(xs)
        # walk from the start pole: down to the basin minimum, then up to the first maximum
        k = len(xs) - 1
        while k > 0 and us[k - 1] <= us[k]:
            k -= 1
        kmin = k
        while k > 0 and us[k - 1] >= us[k]:
            k -= 1
        kmax = k
        if kmax == 0:
            raise ParameterError("current", J, "below the critical current (the start well no longer exists)",
                                 f"at T={T:g} K the dissipative potential U - chi/alpha has no barrier "
                                 "around the start well")
        lo, hi = sorted((xs[max(kmax - 1, 0)], xs[min(kmax + 1, len(xs) - 1)]))
        xb = float(minimize_scalar(lambda x: -float(Ud(np.asarray(x))), bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-13}).x)
        if kmin < len(xs) - 1:  # a ring minimum: refine it too
            lo, hi = sorted((xs[kmin - 1], xs[kmin + 1]))
            xm = float(minimize_scalar(lambda x: float(Ud(np.asarray(x))), bounds=(lo, hi), method="bounded",
                                       options={"xatol": 1e-13}).x)
        else:
            xm = sgn
        return {"Ud": Ud, "x_min": xm, "x_barrier": xb, "sign": sgn,
                "barrier_kT": float(Ud(np.asarray(xb)) - Ud(np.asarray(xm)))}

    def _escape_axial(self, J, T, sig, chi):
        """Exact 1D reduction (:meth:`axial_landscape`, :class:`~thermokinetic.fokker_planck.AxialProblem`)."""
        from ..fokker_planck import AxialProblem

        land = self.axial_landscape(J, T)
        xb = land["x_barrier"]
        # AxialProblem takes the highest interior maximum of U_d; the hint pins the one that bounds
        # the start basin (the same point unless U_d has several interior maxima)
        prob = AxialProblem(land["Ud"], x_match=xb, x_barrier_hint=xb)
        # population split Γ = λ₁ P_other (the Arrhenius fits' error model assumes it; the mesh path
        # uses the eigenfunction-plateau split, equal to O(e^{−ΔU_other}))
        r = prob.escape_rates(definition="population")
        rate = r.gamma_plus if land["sign"] > 0 else r.gamma_minus
        return {"rate_tauN": float(rate), "lambda1_tauN": float(r.lambda1), "method": "axial",
                "barrier_kT": land["barrier_kT"], "cells": 0, "well_x": land["x_min"]}

    def write_error_rate(self, J: float, T: float, pulses, *, rtol: float = 1e-3, max_cells: int = 1 << 14,
                         basin: bool = False) -> dict:
        r"""Write error rate of a current pulse of amplitude J and width t (axial models, exact 1D reduction).

        The magnet starts in the thermal distribution of the ``start`` hemisphere at zero current
        (:func:`~thermokinetic.fokker_planck.wer.axial_wer`); ``wer`` is the probability still in that
        hemisphere after each pulse width.  ``pulses`` in seconds (SI model) or τ_N(T_ref).  With
        ``basin=True`` the start region is the J = 0 basin of the start well instead (bounded by the
        barrier top of U at J = 0; the hemisphere when the field is zero).

        Returns
        -------
        dict
            ``wer``, ``error_estimate`` (relative), ``converged``, ``pulses``.
        """
        from ..fokker_planck.wer import axial_wer, check_times

        if not self.axial:
            raise ParameterError("method", self.method, "an axially symmetric model for the write error rate "
                                 "from the exact 1D reduction")
        pulses = check_times(pulses)
        J = check_finite("current", J)
        sgn = 1.0 if self.start[2] > 0 else -1.0
        ud, u0 = self._axial_ud(J, T), self._axial_ud(0.0, T)

        def U0(x):  # the start pole mapped to x = +1
            return u0(sgn * np.asarray(x, dtype=float))

        def Ud(x):
            return ud(sgn * np.asarray(x, dtype=float))

        split = sgn * self.axial_landscape(0.0, T)["x_barrier"] if basin else 0.0
        res = axial_wer(Ud, U0, pulses / self.time_unit(T), rtol=rtol, max_cells=max_cells, split=split)
        return {"wer": res["wer"], "error_estimate": res["error_estimate"], "converged": res["converged"],
                "pulses": pulses, "split": split, "Ud": Ud}

    def generator(self, J: float, T: float, level: int | None = None, *, mmatrix: bool = False):
        """The finite-volume Fokker–Planck generator (field form, Eq. 24) at current J and temperature T
        (``mmatrix``: the positivity-preserving variant, a Markov generator on any mesh, for time evolution)."""
        from ..fokker_planck import assemble

        chi, phi = self.potentials(J, T)
        return assemble(get_mesh(self.level if level is None else level), self.energy(T), self.alpha,
                        chi=chi, phi=phi, mmatrix=mmatrix)

    def _escape_mesh(self, J, T, chi, phi, level):
        from ..fokker_planck import assemble, escape_rates

        mesh = get_mesh(level)
        gen = assemble(mesh, self.energy(T), self.alpha, chi=chi, phi=phi)
        try:
            res = escape_rates(gen)
        except ParameterError as exc:
            if exc.name == "energy":  # fewer than two wells
                raise ParameterError("current", J, "below the critical current (the start well no longer exists)",
                                     f"at T={T:g} K: {exc}") from None
            raise ParameterError(exc.name, exc.value, exc.allowed,
                                 f"at current={J:g} [{self.current_unit}], T={T:g} K: {exc.hint}") from None
        # the ARPACK fallback is accurate only while λ₁ is not tiny against ‖Q‖ ~ σ (DESIGN §3)
        arpack_ok = res.method == "arpack" and res.lambda1 > 1e-8 * (1 + self.sigma_at(T))
        if not res.valid or not (res.method == "flux-over-population" or arpack_ok) \
                or not np.all(res.escape_rates > 0):
            raise ParameterError("alpha", self.alpha, "large enough for the mesh to resolve the precession",
                                 f"the exact escape solver's validity check failed at current={J:g}, T={T:g} K, "
                                 f"level={level} (method {res.method}); raise 'level' or alpha, or use an "
                                 "axially symmetric geometry")
        start = np.asarray(self.start)
        k = int(np.argmax([w.direction @ start for w in res.wells]))
        return {"rate_tauN": float(res.escape_rates[k]), "lambda1_tauN": float(res.lambda1),
                "method": f"mesh-L{level}", "barrier_kT": float("nan"), "cells": int(gen.n)}


def start_well_index(wells, start) -> int:
    """Index of the well whose direction is closest to ``start``."""
    start = np.asarray(start, dtype=float)
    return int(np.argmax([w.direction @ start for w in wells]))


def committor(gen, wells, k: int) -> np.ndarray:
    r"""Committor q_i: probability that the dynamics from cell i reaches another well before well ``k``.

    Backward equation ``Σ_j K_ji q_j = 0`` (K = Q e^{−U_d}, as in
    :func:`~thermokinetic.fokker_planck.switching_probability`) on the free cells, q = 0 at the anchor
    cell of well k and 1 at the other wells' anchors.  The basin of well k is ``q < ½`` — the split used
    by the engine's switching probability.
    """
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    Ud = gen.Ud.cells
    D = np.exp(-(Ud - Ud.min()))
    K = (gen.Q @ sp.diags(D)).tocsr()
    a = wells[k].cell
    others = [w.cell for i, w in enumerate(wells) if i != k]
    anchors = np.zeros(gen.n, bool)
    anchors[[a] + others] = True
    free = np.flatnonzero(~anchors)
    lu = spla.splu((-K[free][:, free]).tocsc())
    q = np.zeros(gen.n)
    q[others] = 1.0
    q[free] = lu.solve(np.asarray(K[free][:, others].sum(axis=1)).ravel())
    return q


# ====================================================================== T = 0 critical current

@dataclass
class CriticalCurrent:
    """Deterministic (T = 0) instability of the start well.

    Attributes
    ----------
    current : float
        J_c (in the model's current unit); ``inf`` if no instability up to ``J_max``.
    kind : str
        ``"damping"`` (a complex pair crosses Re λ = 0: loss of damping), ``"saddle-node"`` (the
        equilibrium merges with a saddle and disappears) or ``"none"``.
    u : ndarray (3,)
        The equilibrium just below J_c.
    damping_rates : ndarray
        −max Re λ along the scan (1/τ_N(T_ref)).
    scan : ndarray
        The scanned currents.
    """

    current: float
    kind: str
    u: np.ndarray
    scan: np.ndarray
    damping_rates: np.ndarray


def track_equilibrium(model: MacrospinModel, J: float, u_guess):
    """Equilibrium of the T_ref drift at J within 0.35 rad of ``u_guess`` (nearest) and max Re λ.

    Returns ``(u, max Re λ)`` or ``(None, None)`` if there is none.
    """
    from ..llg import equilibria

    llg = model.llg(J)
    eqs = equilibria(llg, starts=np.array([u_guess]))
    best = None
    for e in eqs:
        ang = math.acos(max(-1.0, min(1.0, float(e.u @ u_guess))))
        if ang < 0.35 and (best is None or ang < best[0]):
            best = (ang, e)
    if best is None:
        return None, None
    e = best[1]
    return e.u, float(np.max(np.real(e.eigenvalues)))


def _kind_below(model, J, u):
    """'damping' if the least-damped mode at (J, u) is a complex pair, else 'saddle-node'."""
    from ..llg import equilibria

    eqs = equilibria(model.llg(J), starts=np.array([u]))
    if not eqs:
        return "saddle-node"
    e = min(eqs, key=lambda e: -float(e.u @ u))
    ev = e.eigenvalues
    top = ev[np.argmax(np.real(ev))]
    return "damping" if abs(np.imag(top)) > 1e-6 * max(abs(top), 1e-300) else "saddle-node"


def critical_current_T0(model: MacrospinModel, J_max: float, *, n_scan: int = 40, rtol: float = 1e-10) -> CriticalCurrent:
    r"""Current at which the start well's equilibrium loses stability at T = 0.

    Continues the stable equilibrium from ``model.start`` at J = 0 through ``n_scan`` steps up to
    ``J_max`` (sign included), then refines the first step where it becomes unstable:
    by Brent's method on max Re λ(J) (loss of damping, λ the eigenvalues of :func:`~thermokinetic.llg.linearize`)
    when the equilibrium still exists at the unstable end, else by bisection on its existence
    (saddle-node).  In the axial case with χ₁ = c·u_z the damping rate about −e_z is
    ``Γ = σ(1 − h) − cJ/(2α)`` (:func:`~thermokinetic.llg.fmr_axial_closed_form`), so J_c = 2ασ(1 − h)/c.

    Parameters
    ----------
    model : MacrospinModel
    J_max : float
        End of the scan (≠ 0); its sign selects the current direction.
    n_scan : int
        Scan steps (≥ 4).
    rtol : float
        Relative tolerance on J_c.
    """
    from scipy.optimize import brentq

    J_max = check_finite("J_max", J_max)
    if J_max == 0:
        raise ParameterError("J_max", J_max, "≠ 0 (its sign gives the current direction)")
    if int(n_scan) != n_scan or n_scan < 4:
        raise ParameterError("n_scan", n_scan, "an integer >= 4")
    rtol = check_range("rtol", rtol, 0, 1e-2, lo_open=True)
    u0 = np.asarray(model.start, dtype=float)
    u, re = track_equilibrium(model, 0.0, u0)
    if u is None or re >= 0:
        raise ParameterError("start", model.start, "near a stable equilibrium at zero current")
    scan = np.linspace(0.0, J_max, int(n_scan) + 1)
    rates = [-re]
    u_prev = u
    for k in range(1, len(scan)):
        un, ren = track_equilibrium(model, scan[k], u_prev)
        if un is None or ren >= 0:
            lo, hi, u_lo = scan[k - 1], scan[k], u_prev
            if un is not None:  # eigenvalue crossing: loss of damping
                def g(J):
                    uu, rr = track_equilibrium(model, J, u_lo)
                    if uu is None:
                        raise ParameterError("J", J, "a current where the equilibrium exists")
                    return rr
                try:
                    Jc = brentq(g, lo, hi, xtol=rtol * abs(J_max), rtol=1e-14)
                    uc, _ = track_equilibrium(model, Jc, u_lo)
                    kind = _kind_below(model, lo + 0.999 * (Jc - lo), u_lo)
                    return CriticalCurrent(float(Jc), kind, uc, scan[:k + 1], np.array(rates + [-ren]))
                except ParameterError:
                    pass
            while abs(hi - lo) > rtol * abs(J_max):
                mid = 0.5 * (lo + hi)
                um, rm = track_equilibrium(model, mid, u_lo)
                if um is not None and rm < 0:
                    lo, u_lo = mid, um
                else:
                    hi = mid
            return CriticalCurrent(float(0.5 * (lo + hi)), "saddle-node", u_lo, scan[:k],
                                   np.array(rates))
        rates.append(-ren)
        u_prev = un
    return CriticalCurrent(float("inf"), "none", u_prev, scan, np.array(rates))


# ====================================================================== couplers -> model potentials

class AxialPotential:
    r"""An axial potential f(θ) = ∫₀^θ X_c(θ') dθ' from a tangent field's component X_c(θ) on a meridian.

    For a field symmetric about e_z, X = X_θ(θ) e_θ + X_φ(θ) e_φ, the Hodge decomposition of
    seed 002 Eq. 22 is exact and local: χ' (θ) = X_θ and Φ'(θ) = X_φ (since u × e_θ = e_φ).  X_c is
    interpolated by a Chebyshev series of degree ``deg`` on [0, π] (spectral accuracy for smooth
    fields) and integrated exactly.

    Parameters
    ----------
    component : callable
        θ (array) -> X_c(θ) (kT per radian).
    scale : float
        Multiplies the potential (e.g. the coupler's current per model current unit).
    deg : int
        Chebyshev degree.
    """

    def __init__(self, component, scale: float = 1.0, deg: int = 64):
        from numpy.polynomial import chebyshev as C

        k = np.arange(deg + 1)
        t = np.cos(np.pi * (k + 0.5) / (deg + 1))  # Chebyshev nodes in (−1, 1)
        th = 0.5 * np.pi * (t + 1)
        vals = np.asarray(component(th), dtype=float)
        coef = C.chebfit(t, vals, deg)
        self._integ = C.chebint(coef, lbnd=-1.0) * (0.5 * np.pi)
        self._C = C
        self.scale = float(scale)
        self.max_coef_tail = float(np.max(np.abs(coef[-4:])) / max(np.max(np.abs(coef)), 1e-300))

    def of_theta(self, theta):
        t = 2 * np.asarray(theta, dtype=float) / np.pi - 1
        return self.scale * self._C.chebval(t, self._integ)

    def __call__(self, u):
        u = np.asarray(u, dtype=float)
        th = np.arccos(np.clip(u[..., 2] / np.linalg.norm(u, axis=-1), -1.0, 1.0))
        return self.of_theta(th)


def _meridian(theta):
    th = np.asarray(theta, dtype=float)
    u = np.stack((np.sin(th), np.zeros_like(th), np.cos(th)), axis=-1)
    e_th = np.stack((np.cos(th), np.zeros_like(th), -np.sin(th)), axis=-1)
    e_ph = np.stack((np.zeros_like(th), np.ones_like(th), np.zeros_like(th)), axis=-1)
    return u, e_th, e_ph


def coupler_potentials(coupler, scale: float = 1.0, deg: int = 64):
    r"""``(chi, phi)`` callables (kT per model current unit) of a :class:`thermokinetic.coupling.Coupler`.

    Exact closed forms (``chi_callable``/``phi_callable``) when the coupler has them; otherwise, for
    a field symmetric about e_z (checked at sample points to 1e-9 relative), the exact axial Hodge
    potentials of :class:`AxialPotential`.  ``scale`` converts one model current unit into the
    coupler's current unit at T_ref.

    Raises
    ------
    ParameterError
        A non-axial coupler without closed-form potentials (use the mesh Hodge decomposition of
        :func:`~thermokinetic.fokker_planck.coupled.coupler_potentials` directly).
    """
    scale = check_finite("scale", scale)
    chi = phi = None
    closed = getattr(coupler, "chi_callable", None) is not None or getattr(coupler, "phi_callable", None) is not None
    if closed or (getattr(coupler, "chi_is_zero", False) and getattr(coupler, "phi_is_zero", False)):
        if coupler.chi_callable is not None:
            chi = lambda u, f=coupler.chi_callable: scale * np.asarray(f(np.asarray(u, dtype=float)), dtype=float)  # noqa: E731
        if coupler.phi_callable is not None:
            phi = lambda u, f=coupler.phi_callable: scale * np.asarray(f(np.asarray(u, dtype=float)), dtype=float)  # noqa: E731
        return chi, phi
    th = np.linspace(0.05, math.pi - 0.05, 11)
    u0, et0, ep0 = _meridian(th)
    X0 = coupler.field(u0)
    a = 1.1
    R = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    X1 = coupler.field(u0 @ R.T)
    if np.max(np.abs(X1 - X0 @ R.T)) > 1e-9 * (1 + np.max(np.abs(X0))):
        raise ParameterError("coupler", type(coupler).__name__,
                             "axially symmetric about e_z or with closed-form potentials for this study")

    def comp(e_index):
        def f(theta):
            u, e_th, e_ph = _meridian(theta)
            X = coupler.field(u)
            return np.sum(X * (e_th if e_index == 0 else e_ph), axis=-1)
        return f

    if not getattr(coupler, "chi_is_zero", False):
        chi = AxialPotential(comp(0), scale, deg)
    if not getattr(coupler, "phi_is_zero", False):
        p = AxialPotential(comp(1), scale, deg)
        if np.max(np.abs(p.of_theta(np.linspace(0, math.pi, 33)))) > 0:
            phi = p
    return chi, phi
