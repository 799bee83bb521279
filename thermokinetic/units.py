r"""Units, conventions and signs: the single place where they are written down.

Reduced units (used everywhere inside the package)
--------------------------------------------------
* Magnetization direction ``u`` (``|u| = 1``) on the unit sphere Σ; polar angle θ is measured from
  the easy axis ``e_z``; ``x = cos θ``.
* Energies are reduced by the thermal energy: ``U = V / kT`` (dimensionless, "in kT").
  Uniaxial + Zeeman:  ``U(u) = -σ (u·e_z)² - 2 σ h (u·e_H)`` with ``σ = K v / kT``,
  ``h = H / H_K``, ``H_K = 2K / (μ0 Ms)`` and ``e_H = (sin ψ, 0, cos ψ)``.
* Times are in units of Brown's free-diffusion time

  .. math:: τ_N = \frac{(1+α^2)\, M_s v}{2 α γ k T}

  with ``γ`` the gyromagnetic ratio in rad s⁻¹ T⁻¹ (:data:`GAMMA_E`) and ``Ms v`` the moment in
  A m² (J/T).  (Equivalently μ0 Ms v / (γ0 kT)·(1+α²)/(2α) with γ0 = μ0 γ in m A⁻¹ s⁻¹.)
  Rates are in 1/τ_N.
* With ρ the probability density per unit area of Σ, Brown's equation without spin transfer is
  ``∂ρ/∂t = ½ ∇·[∇ρ + ρ∇U − α⁻¹ ρ (u × ∇U)]``; its stationary state is ``ρ ∝ exp(−U)`` for every
  α and the free-rotation (σ = 0) spectrum is ``ℓ(ℓ+1)/2``.
* Generalized LLG (seed 002, Eq. 24): precession field ``H_eff − ∇Φ``, dissipative field
  ``H_eff + ∇χ/α``.  With ``H_eff = −∇U`` (reduced) the deterministic drift in 1/τ_N is

  .. math:: \dot u = -\tfrac12 ∇_Σ(U - χ/α) + \tfrac{1}{2α}\, u × ∇_Σ(U + Φ),

  Φ and χ are reduced like U (in kT).  The Fokker–Planck flux is ``J = ρ \dot u − ½ ∇ρ``.

Current sign convention
-----------------------
``J > 0`` means **electrons flow from the fixed (polarizing) layer into the free layer**; this
favours *parallel* alignment of the free layer with the polarizer (it lowers the barrier out of the
antiparallel well and raises it out of the parallel well).  The charge current density is
then negative along the stack axis (electrons carry charge −e).  Every coupler
(:mod:`thermokinetic.coupling`) states how it maps ``J`` onto Φ and χ and is tested against the
Slonczewski torque of seed 000 with this convention.

Spin-transfer torques in reduced units
--------------------------------------
A spin-transfer torque rate T (du/dt contribution in s⁻¹, seed 002 Eq. 21/24) enters as the tangent
field ``X = u × ∇Φ + ∇χ = (Ms v / γ kT) T`` (in kT), i.e. ``du/dt = X/(2α)`` in 1/τ_N.  The torque
couplers use the *reduced torque current* ``j = ħ I / (2 e kT)`` (I = J·area; γ cancels), so
that a damping-like Slonczewski torque of efficiency η gives χ = η j cos θ at B = 0.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import check_finite, check_positive, check_range

__all__ = [
    "MU0",
    "KB",
    "GAMMA_E",
    "E_CHARGE",
    "HBAR",
    "MU_B",
    "CURRENT_SIGN_CONVENTION",
    "ReducedParameters",
    "reduced_from_si",
    "tau_N",
]

MU0 = 4e-7 * math.pi  # vacuum permeability [T m / A] (the classical value; 1.000000000 55 × in SI 2019)
KB = 1.380649e-23  # Boltzmann constant [J/K]
GAMMA_E = 1.76085963023e11  # electron gyromagnetic ratio |γ| [rad s^-1 T^-1]
E_CHARGE = 1.602176634e-19  # elementary charge [C]
HBAR = 1.054571817e-34  # reduced Planck constant [J s]
MU_B = 9.2740100783e-24  # Bohr magneton [J/T] (CODATA 2018)

CURRENT_SIGN_CONVENTION = (
    "J > 0: electrons flow from the fixed (polarizing) layer into the free layer; "
    "this favours parallel alignment with the polarizer"
)


def tau_N(Ms: float, volume: float, T: float, alpha: float, gamma: float = GAMMA_E) -> float:
    """Brown's free-diffusion time τ_N = (1+α²) Ms v / (2 α γ kT) in seconds.

    Parameters
    ----------
    Ms : float
        Saturation magnetization [A/m].
    volume : float
        Magnet volume v [m³].
    T : float
        Temperature [K].
    alpha : float
        Dimensionless Gilbert damping (> 0).
    gamma : float
        Gyromagnetic ratio [rad s⁻¹ T⁻¹].
    """
    Ms = check_positive("Ms", Ms)
    volume = check_positive("volume", volume)
    T = check_positive("T", T)
    alpha = check_positive("alpha", alpha)
    gamma = check_positive("gamma", gamma)
    return (1 + alpha**2) * Ms * volume / (2 * alpha * gamma * KB * T)


@dataclass(frozen=True)
class ReducedParameters:
    """Reduced parameters computed from SI input.

    Attributes
    ----------
    sigma : float
        Reduced anisotropy barrier σ = K v / kT.
    h : float
        Reduced field h = H / H_K.
    alpha : float
        Gilbert damping.
    tau_N : float
        Brown's free-diffusion time [s].
    H_K : float
        Anisotropy field 2K/(μ0 Ms) [A/m].
    zeta : float
        Reduced Zeeman energy μ0 Ms v H / kT = 2σh.
    """

    sigma: float
    h: float
    alpha: float
    tau_N: float
    H_K: float
    zeta: float


def reduced_from_si(
    *, Ms: float, K: float, volume: float, T: float, H: float = 0.0, alpha: float,
    gamma: float = GAMMA_E,
) -> ReducedParameters:
    """Convert SI material parameters to the package's reduced parameters.

    Parameters
    ----------
    Ms : float
        Saturation magnetization [A/m] (> 0).
    K : float
        Uniaxial anisotropy constant [J/m³] (> 0).
    volume : float
        Volume [m³] (> 0).
    T : float
        Temperature [K] (> 0).
    H : float
        Applied field [A/m] (any sign).
    alpha : float
        Gilbert damping (> 0).
    gamma : float
        Gyromagnetic ratio [rad s⁻¹ T⁻¹].
    """
    Ms = check_positive("Ms", Ms)
    K = check_positive("K", K)
    volume = check_positive("volume", volume)
    T = check_positive("T", T)
    H = check_finite("H", H)
    alpha = check_positive("alpha", alpha)
    kT = KB * T
    H_K = 2 * K / (MU0 * Ms)
    sigma = K * volume / kT
    h = H / H_K
    check_range("sigma (K v / kT)", sigma, 0, 1e4)
    return ReducedParameters(
        sigma=sigma, h=h, alpha=alpha, tau_N=tau_N(Ms, volume, T, alpha, gamma), H_K=H_K,
        zeta=MU0 * Ms * volume * H / kT,
    )
