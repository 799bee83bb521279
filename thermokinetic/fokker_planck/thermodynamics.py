r"""Second law for the Fokker–Planck engine: entropy production, free-energy balance, housekeeping.

Continuum statement (reduced units: energies in kT, time in τ_N, entropy in k)
------------------------------------------------------------------------------
Brown's equation with the generalized-LLG drift (seed 002, Eq. 24; :mod:`.generator`) is
``∂_t ρ = −∇·J`` with

.. math::

    \mathbf J = \underbrace{-\tfrac12 ρ\,∇(U_d + \ln ρ)}_{\mathbf J_d\ \text{(irreversible)}}
              + \underbrace{\frac{1}{2α}\, ρ\, \mathbf u × ∇U_p}_{ρ\mathbf v_r\ \text{(reversible)}},
    \qquad U_d = U − χ/α,\quad U_p = U + Φ .

This is seed 002, Eq. 2–3 with the chemical potential μ^F = kT ln ρ + V (Eq. 1 context): the
symmetric (α) part of the Onsager block produces J_d, the antisymmetric (gyrotropic) part the
precession current.  Under time reversal u → −u and the precession term ``u × ∇U_p`` keeps its
sign while u̇ changes sign: it is the *reversible* (odd) part of the drift, and since
``div_Σ(u × ∇g) = 0`` it conserves phase-space volume.  For such a reversible drift the entropy
production (system + medium, diffusion coefficient ½) contains only the irreversible current:

.. math::

    \dot S_i = \int_Σ \frac{|\mathbf J_d|^2}{\tfrac12 ρ}\, dA
             = \int_Σ \tfrac12 ρ\, |∇(U_d + \ln ρ)|^2\, dA \;\ge 0,

in k per τ_N, zero iff ρ ∝ e^{−U_d}.  With the free energy F[ρ] = ∫ρ(U_d + ln ρ) dA (in kT,
:func:`thermokinetic.fokker_planck.solvers.free_energy`) one finds, integrating by parts,

.. math::

    \frac{dF}{dt} = -\dot S_i + \dot W, \qquad
    \dot W = \int_Σ ρ\, \mathbf v_r · ∇U_d \, dA
           = \frac{1}{2α}\int_Σ ρ\, ∇U_d · (\mathbf u × ∇U_p)\, dA ,

where Ẇ (kT per τ_N) is the power the precession torque delivers against U_d.  At zero current
(U_p = U_d = U) Ẇ = 0: the H-theorem dF/dt = −Ṡ_i ≤ 0.  With spin transfer, Ẇ ≠ 0 when ∇U_d and
∇U_p are not parallel (e.g. a Φ that breaks the axial symmetry of U); then the steady state is
a non-equilibrium steady state (NESS) with Ṡ_i = Ẇ > 0.  An axial χ (= c cos θ) with an axial U
only shifts the dissipative potential: the NESS is e^{−U_d} and Ṡ_i = 0.

Housekeeping / excess split (Hatano–Sasa, Esposito–Van den Broeck)
------------------------------------------------------------------
With the stationary density ρ_s write ``ln(ρ e^{U_d}) = ln(ρ_s e^{U_d}) + ln(ρ/ρ_s)``:

.. math::

    \dot S_i = \underbrace{\int \tfrac12 ρ |∇(U_d + \ln ρ_s)|^2}_{\dot S_{hk}\ \ge 0}
             + \underbrace{\int \tfrac12 ρ |∇ \ln(ρ/ρ_s)|^2}_{\dot S_{ex}\ \ge 0}
             + \underbrace{\int ρ\, ∇(U_d + \ln ρ_s)·∇\ln(ρ/ρ_s)}_{\dot S_{c}} .

* the *housekeeping* (adiabatic) part Ṡ_hk is the dissipation needed to maintain the stationary
  currents; it equals Ṡ_i(ρ_s) at the steady state and vanishes only when ρ_s ∝ e^{−U_d};
* the *excess* (non-adiabatic) part Ṡ_ex vanishes iff ρ = ρ_s and equals the relaxation rate of
  the relative entropy, ``Ṡ_ex = −d/dt D(ρ‖ρ_s)`` (exact in the continuum for any generator);
* the coupling Ṡ_c = −2∫ρ v_r·∇ln ρ_s exists because the precession is an odd (reversible)
  drift (Spinney–Ford): it vanishes at ρ = ρ_s and whenever v_r·∇ρ_s = 0 (no odd-variable effect).

Discretization (exactly matched to :func:`.generator.assemble`)
---------------------------------------------------------------
On face k (cell i → j, SG weight D_k = ½ℓ/d, ΔU = U_d,j − U_d,i, M-matrix factor κ_k ≥ 0) the
dissipative flux of the generator is

.. math:: F^d_k = (1+κ_k) D_k [B(ΔU)ρ_i − B(−ΔU)ρ_j] = (1+κ_k) D_k\, g_k\, (f_i − f_j),

with f = ρ e^{U_d} and g_k = ΔU/(e^{U_d,j} − e^{U_d,i}) > 0 (the reciprocal logarithmic mean of e^{U_d}).
Its conjugate force is the jump of μ = U_d + ln ρ = ln f, x_k = μ_i − μ_j, and

.. math:: \dot S_i = \sum_k F^d_k\, x_k = \sum_k W_k x_k^2, \qquad W_k = (1+κ_k) D_k g_k Λ(f_i, f_j) > 0

(Λ the logarithmic mean): every face term is ≥ 0 because (f_i − f_j) and (ln f_i − ln f_j)
have the same sign — a discrete Onsager form, computed here without forming e^{U_d} (no overflow).
The free energy then obeys exactly ``dF/dt = −Ṡ_i + Ẇ`` with ``Ẇ = Σ_k (F_k − F^d_k)(μ_j − μ_i)``
(F_k the generator's total flux): Ẇ is the power of the discrete precession flux.  At zero
current the discrete precession (central in f) is not exactly orthogonal to the force ln f, so
Ẇ = O(h²) instead of 0 (measured in the tests).  The split uses the same W_k:
``Ṡ_hk = Σ W y²``, ``Ṡ_ex = Σ W z²``, ``Ṡ_c = 2 Σ W y z`` with y = Δ(U_d + ln ρ_s), z = Δ ln(ρ/ρ_s),
so the three parts add up to Ṡ_i exactly and Ṡ_ex, Ṡ_c vanish at ρ = ρ_s exactly.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from .generator import bernoulli

__all__ = [
    "FluxSplit",
    "face_fluxes",
    "EntropyBalance",
    "entropy_production",
    "entropy_balance",
    "HousekeepingSplit",
    "housekeeping_split",
    "relative_entropy",
]


def _check_density(gen, rho, name: str = "rho") -> np.ndarray:
    rho = np.asarray(rho, dtype=float)
    if rho.shape != (gen.n,):
        raise ParameterError(name, f"array of shape {rho.shape}", f"a cell density of shape ({gen.n},)")
    if not np.all(np.isfinite(rho)):
        raise ParameterError(name, "non-finite values", "finite values on every cell")
    if np.any(rho <= 0):
        raise ParameterError(name, f"min {rho.min():.3g}", "> 0 on every cell",
                             "the entropy production needs ln ρ; use a strictly positive density")
    return rho


@dataclass(frozen=True)
class FluxSplit:
    """Per-face probability fluxes (integrated over the face, from cell i to cell j, per τ_N).

    Attributes
    ----------
    total : ndarray (n_faces,)
        The generator's flux F_k (``A dρ/dt = Qρ`` is their divergence).
    dissipative : ndarray (n_faces,)
        The Scharfetter–Gummel (irreversible) part F^d_k, including the M-matrix extra dissipation.
    force : ndarray (n_faces,)
        x_k = μ_i − μ_j with μ = U_d + ln ρ (kT); F^d_k x_k ≥ 0 on every face.
    weight : ndarray (n_faces,)
        W_k = F^d_k / x_k > 0 (finite limit at x_k = 0).
    """

    total: np.ndarray
    dissipative: np.ndarray
    force: np.ndarray
    weight: np.ndarray

    @property
    def reversible(self) -> np.ndarray:
        """F_k − F^d_k: the precession (reversible) part."""
        return self.total - self.dissipative


def _kappa(gen) -> np.ndarray | float:
    """Per-face extra dissipation of the M-matrix variant (0 for the plain scheme)."""
    return gen.kappa if getattr(gen, "mmatrix", False) else 0.0


def _total_flux(gen, rho) -> np.ndarray:
    i, j = gen.mesh.faces[:, 0], gen.mesh.faces[:, 1]
    Q = gen.Q.tocsr()
    qji = np.asarray(Q[j, i]).ravel()  # coefficient of ρ_i in the flux i → j
    qij = np.asarray(Q[i, j]).ravel()  # minus the coefficient of ρ_j
    return qji * rho[i] - qij * rho[j]


def _phi1(x: np.ndarray) -> np.ndarray:
    """(1 − e^{−x})/x for x ≥ 0, with the limit 1 at 0."""
    out = np.ones_like(x)
    nz = x > 0
    out[nz] = -np.expm1(-x[nz]) / x[nz]
    return out


def face_fluxes(gen, rho) -> FluxSplit:
    r"""Total, dissipative and reversible face fluxes of ``gen`` on the density ``rho``.

    Parameters
    ----------
    gen : Generator
        From :func:`thermokinetic.fokker_planck.generator.assemble`.
    rho : ndarray (n_cells,)
        Strictly positive density per unit area (any normalization).

    Returns
    -------
    FluxSplit
    """
    rho = _check_density(gen, rho)
    mesh = gen.mesh
    i, j = mesh.faces[:, 0], mesh.faces[:, 1]
    D = gen.dynamics.diffusion * mesh.face_lengths / mesh.face_distances * (1.0 + _kappa(gen))
    U = gen.Ud.cells
    dU = U[j] - U[i]
    mu = U + np.log(rho)
    x = mu[i] - mu[j]
    pos = x >= 0
    ax = np.abs(x)
    # F^d = D B(ΔU) ρ_i (1 − e^{−x}) = D B(−ΔU) ρ_j (e^{x} − 1): evaluate the bounded form
    base = np.where(pos, D * bernoulli(dU) * rho[i], D * bernoulli(-dU) * rho[j])
    W = base * _phi1(ax)
    Fd = W * x
    return FluxSplit(total=_total_flux(gen, rho), dissipative=Fd, force=x, weight=W)


def entropy_production(gen, rho) -> float:
    r"""Entropy production rate Ṡ_i = ∫ ½ρ|∇(U_d + ln ρ)|² dA ≥ 0, in k per τ_N.

    Discrete Onsager form ``Σ_k F^d_k (μ_i − μ_j)`` with the generator's Scharfetter–Gummel fluxes
    (module docstring); zero to rounding on ``gen.boltzmann()`` for every α, and only on e^{−U_d}.

    Parameters
    ----------
    gen : Generator
        Assembled generator (any α, Φ, χ, with or without the M-matrix option).
    rho : ndarray (n_cells,)
        Strictly positive density per unit area; it is normalized to unit mass first.
    """
    rho = _check_density(gen, rho)
    rho = rho / np.dot(gen.areas, rho)
    ff = face_fluxes(gen, rho)
    return float(np.sum(ff.weight * ff.force**2))


@dataclass(frozen=True)
class EntropyBalance:
    r"""Free-energy balance ``dF/dt = −Ṡ_i + Ẇ`` of a density (reduced units, per τ_N).

    Attributes
    ----------
    entropy_production : float
        Ṡ_i ≥ 0 (k per τ_N).
    work_rate : float
        Ẇ, power of the precession (reversible) flux against U_d (kT per τ_N); O(h²) at zero current.
    free_energy_rate : float
        dF/dt = Σ_i (Qρ)_i μ_i (kT per τ_N), exact for the semi-discrete dynamics.
    face_entropy_production : ndarray (n_faces,)
        The non-negative face terms W_k x_k².
    """

    entropy_production: float
    work_rate: float
    free_energy_rate: float
    face_entropy_production: np.ndarray


def entropy_balance(gen, rho) -> EntropyBalance:
    """Ṡ_i, Ẇ and dF/dt of ``rho`` (normalized to unit mass first); see :class:`EntropyBalance`."""
    rho = _check_density(gen, rho)
    rho = rho / np.dot(gen.areas, rho)
    ff = face_fluxes(gen, rho)
    face_s = ff.weight * ff.force**2
    S = float(np.sum(face_s))
    # dF/dt = Σ_i (Qρ)_i μ_i = Σ_k F_k (μ_j − μ_i) = −Σ_k F_k x_k
    dF = -float(np.dot(ff.total, ff.force))
    W = -float(np.dot(ff.reversible, ff.force))
    return EntropyBalance(S, W, dF, face_s)


def relative_entropy(gen, rho, rho_s) -> float:
    """Relative entropy D(ρ‖ρ_s) = ∫ ρ ln(ρ/ρ_s) dA ≥ 0 (both normalized to unit mass first)."""
    rho = _check_density(gen, rho)
    rho_s = _check_density(gen, rho_s, "rho_s")
    rho = rho / np.dot(gen.areas, rho)
    rho_s = rho_s / np.dot(gen.areas, rho_s)
    return float(np.dot(gen.areas, rho * np.log(rho / rho_s)))


@dataclass(frozen=True)
class HousekeepingSplit:
    r"""Split of Ṡ_i(ρ) with respect to the stationary density ρ_s (module docstring).

    All rates in k per τ_N.

    Attributes
    ----------
    total : float
        Ṡ_i(ρ) = housekeeping + excess + coupling (exactly, up to rounding).
    housekeeping : float
        Ṡ_hk = ∫½ρ|∇(U_d + ln ρ_s)|² ≥ 0: sustains the steady state; = Ṡ_i at ρ = ρ_s.
    excess : float
        Ṡ_ex = ∫½ρ|∇ln(ρ/ρ_s)|² ≥ 0: vanishes at the steady state (relaxation part).
    coupling : float
        Ṡ_c = ∫ρ∇(U_d + ln ρ_s)·∇ln(ρ/ρ_s): odd-variable (precession) cross term, 0 at ρ = ρ_s.
    relative_entropy_rate : float
        −dD(ρ‖ρ_s)/dt for the discrete dynamics, ``Σ_k F_k ln(r_i/r_j)``, r = ρ/ρ_s (exact); the
        continuum identity Ṡ_ex = −dD/dt holds to O(h²).
    work_rate : float
        Ẇ (kT per τ_N), see :class:`EntropyBalance`; Ṡ_i = Ẇ at the steady state.
    """

    total: float
    housekeeping: float
    excess: float
    coupling: float
    relative_entropy_rate: float
    work_rate: float


def housekeeping_split(gen, rho, rho_s=None) -> HousekeepingSplit:
    r"""Housekeeping / excess split of the entropy production of ``rho`` (Hatano–Sasa form).

    Parameters
    ----------
    gen : Generator
        Assembled generator (any Φ, χ, α).
    rho : ndarray (n_cells,)
        Strictly positive density per unit area.
    rho_s : ndarray (n_cells,), optional
        Stationary density of ``gen`` (computed by :func:`.solvers.stationary` when omitted).

    Returns
    -------
    HousekeepingSplit
    """
    from .solvers import stationary

    rho = _check_density(gen, rho)
    rho = rho / np.dot(gen.areas, rho)
    if rho_s is None:
        rho_s = stationary(gen)
    rho_s = _check_density(gen, rho_s, "rho_s")
    rho_s = rho_s / np.dot(gen.areas, rho_s)
    i, j = gen.mesh.faces[:, 0], gen.mesh.faces[:, 1]
    ff = face_fluxes(gen, rho)
    mu_s = gen.Ud.cells + np.log(rho_s)
    y = mu_s[i] - mu_s[j]
    lr = np.log(rho) - np.log(rho_s)
    z = lr[i] - lr[j]
    W = ff.weight
    return HousekeepingSplit(
        total=float(np.sum(W * ff.force**2)),
        housekeeping=float(np.sum(W * y * y)),
        excess=float(np.sum(W * z * z)),
        coupling=float(2.0 * np.sum(W * y * z)),
        relative_entropy_rate=float(np.dot(ff.total, z)),
        work_rate=-float(np.dot(ff.reversible, ff.force)),
    )
