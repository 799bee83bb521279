r"""Magnetization (spin) current across a junction between noncollinear magnets (seed 003).

Two limits of seed 003 and the domain-wall rotation that balances the torque they imply.

Tunnel limit (seed 003, Eqs. 3–4, linear response)
---------------------------------------------------
Spin states on the left are quantized along ``m_L``, on the right along ``m_R``; ``cos Φ = m_L·m_R``.
The spin-½ rotation between the two frames has ``|R_{++}|² = |R_{--}|² = cos²(Φ/2)`` and
``|R_{+-}|² = |R_{-+}|² = sin²(Φ/2)``.  With channel conductances
``g_{ss'} = g (1 + s P_L)(1 + s' P_R) |R_{ss'}|²`` (``P_L = P_R = 0``: the seed's equal densities of
states; ``P ≠ 0``: spin-polarized densities of states) and spin-resolved electrochemical potentials
``μ_{s} = μ̄ + s μs/2`` on each side, the particle currents ``I_{ss'} = g_{ss'}(μ_{Ls} − μ_{Rs'})``
(left → right) give

    J    = Σ_{ss'} I_{ss'} ,
    J_M^L = Σ_{ss'} s  I_{ss'}   (along m_L, evaluated on the left; seed Eq. 3),
    J_M^R = Σ_{ss'} s' I_{ss'}   (along m_R, evaluated on the right; seed Eq. 4).

Closed forms (derived here, checked by the tests): for ``P_L = P_R = 0``,
``J_M^L = g (μs_L − cos Φ μs_R)``, ``J_M^R = g (cos Φ μs_L − μs_R)``; for ``μs = 0`` and bias
``V = μ̄_L − μ̄_R``, ``J = 2gV (1 + P_L P_R cos Φ)`` (Jullière–Slonczewski) and
``J_M^L = 2gV (P_L + P_R cos Φ)``, ``J_M^R = 2gV (P_R + P_L cos Φ)``.

The vector spin currents are ``J_M^L m_L`` (left) and ``J_M^R m_R`` (right).  Their difference
``Δ = J_M^L m_L − J_M^R m_R`` is deposited at the junction; it is not zero unless the magnets are
collinear (seed 003's non-conservation).  It splits uniquely into a part ⊥ m_R (the torque on the
right magnet) and a part ⊥ m_L (the torque on the left magnet)::

    Δ = a (m_L − cos Φ m_R) + b (m_R − cos Φ m_L),
    a = (J_M^L − cos Φ J_M^R)/sin²Φ,   b = (cos Φ J_M^L − J_M^R)/sin²Φ.

For equal densities of states ``a = g μs_L`` and ``b = g μs_R`` (the structure of seed 004
Appendix B); with ``μs = 0``, ``a = 2gV P_L`` — Slonczewski's tunnel torque ∝ P_L sin Φ.

Metallic parallel-circuit limit
-------------------------------
No interface resistance, segments shorter than the spin-diffusion length: each side is a parallel
circuit of its two spin channels, ``J_s = σ_s E_side``.  Current continuity ``σ_L E_L = σ_R E_R``
with ``E_L + E_R = E`` gives ``E_L = σ_R E/(σ_L + σ_R)`` (seed 003 prints ``σ_L`` in the numerator,
which violates current continuity unless σ_L = σ_R).  Then ``J_M^{L,R} = β_{L,R} J`` with
``β = (σ↑ − σ↓)/(σ↑ + σ↓)``: equal magnitudes for equal β but different directions.  The seed's
rotation rule ``J_{s'} = Σ_s |R_{ss'}|² J_s`` is the projection of the incoming vector on the other
quantization axis: it yields ``cos Φ J_M``.

Interface rotation (seed 003, last section)
-------------------------------------------
A magnet with exchange stiffness ``A`` [J/m] and uniaxial anisotropy ``K`` [J/m³] (energy density
``A δθ'² + K δθ²`` for small rotations away from the easy axis) fills the half space beyond the
junction.  A torque per unit area ``τ`` [J/m²] applied at the junction rotates it by
``δθ(y) = δθ0 exp(−|y|/w)`` with ``w = sqrt(A/K)`` and ``δθ0 = τ / (2 sqrt(A K))`` (Euler–Lagrange
``A δθ'' = K δθ`` and the natural boundary condition ``−2A δθ'(0) = τ``: the anisotropy torque of the
whole tail, ``2K ∫ δθ dy = 2 sqrt(AK) δθ0``, balances τ).  Seed 003 writes
``δθ_i = ΔJ_M / (M0 a [K_i − (J_i K_i)^{1/2}])``, which is not dimensionally consistent; the form
here is derived from the energy and checked against a discretized minimization in the tests.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError, check_finite, check_positive, check_range
from ..units import HBAR

__all__ = [
    "rotation_weights",
    "TunnelCurrents",
    "tunnel_currents",
    "ParallelCircuitCurrents",
    "parallel_circuit_currents",
    "rotated_channel_currents",
    "split_deposit",
    "InterfaceRotation",
    "interface_rotation",
    "torque_per_area",
]


def rotation_weights(phi):
    """``|R_{ss'}|²`` for the spin-½ rotation by angle ``phi`` (radians): a 2×2 array (rows s = +, −)."""
    phi = check_finite("phi", phi)
    c2, s2 = math.cos(phi / 2) ** 2, math.sin(phi / 2) ** 2
    return np.array([[c2, s2], [s2, c2]])


def _frames(phi):
    mL = np.array([0.0, 0.0, 1.0])
    mR = np.array([math.sin(phi), 0.0, math.cos(phi)])
    return mL, mR


def split_deposit(delta, mL, mR):
    """Split a vector ``delta`` in the (m_L, m_R) plane into a part ⊥ m_R and a part ⊥ m_L.

    Returns ``(a, b)`` with ``delta = a (m_L − c m_R) + b (m_R − c m_L)``, ``c = m_L·m_R``.
    For collinear magnets the split is undefined and ``(0, 0)`` is returned if ``delta`` vanishes
    (to rounding); otherwise a :class:`ParameterError` is raised.
    """
    mL, mR, delta = (np.asarray(v, float) for v in (mL, mR, delta))
    c = float(mL @ mR)
    s2 = 1 - c * c
    if s2 < 1e-14:
        if np.linalg.norm(delta) > 1e-12 * (1 + np.linalg.norm(delta)):
            raise ParameterError("phi", "collinear", "noncollinear to split a non-zero deposit")
        return 0.0, 0.0
    x, y = float(delta @ mL), float(delta @ mR)
    # delta·m_L = a (1 − c²),  delta·m_R = b (1 − c²)
    return x / s2, y / s2


@dataclass
class TunnelCurrents:
    """Result of :func:`tunnel_currents` (particle-current units; spin currents ×ħ/2 for angular momentum).

    Attributes
    ----------
    J : float
        Particle current left → right.
    JM_L, JM_R : float
        Magnetization currents of seed 003 Eqs. 3–4 (along m_L on the left, along m_R on the right).
    jL, jR : ndarray (3,)
        Vector spin currents ``JM_L m_L`` and ``JM_R m_R`` (m_L = e_z, m_R = (sin Φ, 0, cos Φ)).
    deposit : ndarray (3,)
        ``jL − jR``: spin current absorbed at the junction.
    torque_R, torque_L : ndarray (3,)
        Its parts ⊥ m_R and ⊥ m_L (torques on the right and left magnets, in units of js).
    delta_scalar : float
        ``JM_R − JM_L`` (seed 003's t0 · a μ_B).
    """

    phi: float
    J: float
    JM_L: float
    JM_R: float
    jL: np.ndarray
    jR: np.ndarray
    deposit: np.ndarray
    torque_R: np.ndarray
    torque_L: np.ndarray
    delta_scalar: float


def tunnel_currents(phi, *, muL=(0.0, 0.0), muR=(0.0, 0.0), g=1.0, PL=0.0, PR=0.0) -> TunnelCurrents:
    """Tunnel-limit currents through a junction between magnets at angle ``phi`` (seed 003 Eqs. 3–4).

    Parameters
    ----------
    phi : float
        Angle between m_L and m_R [rad].
    muL, muR : (float, float)
        Spin-resolved electrochemical potentials (μ↑, μ↓) on each side, quantized along that side's
        magnetization [energy].
    g : float
        Tunnel conductance factor (> 0) [particle current / energy].
    PL, PR : float
        Density-of-states polarizations, ``|P| < 1`` (0: the seed's equal densities of states).
    """
    phi = check_finite("phi", phi)
    g = check_positive("g", g)
    PL = check_range("PL", PL, -1, 1, lo_open=True, hi_open=True)
    PR = check_range("PR", PR, -1, 1, lo_open=True, hi_open=True)
    muL = np.array([check_finite("muL[up]", muL[0]), check_finite("muL[down]", muL[1])])
    muR = np.array([check_finite("muR[up]", muR[0]), check_finite("muR[down]", muR[1])])
    s = np.array([1.0, -1.0])
    W = rotation_weights(phi)
    gss = g * np.outer(1 + s * PL, 1 + s * PR) * W
    I = gss * (muL[:, None] - muR[None, :])
    J = float(I.sum())
    JM_L = float((s[:, None] * I).sum())
    JM_R = float((s[None, :] * I).sum())
    mL, mR = _frames(phi)
    jL, jR = JM_L * mL, JM_R * mR
    dep = jL - jR
    a, b = split_deposit(dep, mL, mR)
    c = float(mL @ mR)
    return TunnelCurrents(phi=phi, J=J, JM_L=JM_L, JM_R=JM_R, jL=jL, jR=jR, deposit=dep,
                          torque_R=a * (mL - c * mR), torque_L=b * (mR - c * mL),
                          delta_scalar=JM_R - JM_L)


@dataclass
class ParallelCircuitCurrents:
    """Result of :func:`parallel_circuit_currents`.

    Attributes
    ----------
    J : float
        Charge-carrying particle current (same on both sides).
    E_L, E_R : float
        Voltage drops on the two sides.
    JM_L, JM_R : float
        Magnetization currents ``β_L J`` and ``β_R J``.
    jL, jR, deposit, torque_R, torque_L : ndarray (3,)
        As in :class:`TunnelCurrents`.
    """

    phi: float
    J: float
    E_L: float
    E_R: float
    JM_L: float
    JM_R: float
    jL: np.ndarray
    jR: np.ndarray
    deposit: np.ndarray
    torque_R: np.ndarray
    torque_L: np.ndarray


def parallel_circuit_currents(phi, *, sigmaL, sigmaR, E=1.0) -> ParallelCircuitCurrents:
    """Metallic limit (no interface resistance) of seed 003: two spin-channel parallel circuits in series.

    Parameters
    ----------
    phi : float
        Angle between the magnetizations [rad].
    sigmaL, sigmaR : (float, float)
        Channel conductances (σ↑, σ↓) of each side (> 0) [particle current / energy].
    E : float
        Total voltage drop [energy].
    """
    phi = check_finite("phi", phi)
    E = check_finite("E", E)
    sL = np.array([check_positive("sigmaL[up]", sigmaL[0]), check_positive("sigmaL[down]", sigmaL[1])])
    sR = np.array([check_positive("sigmaR[up]", sigmaR[0]), check_positive("sigmaR[down]", sigmaR[1])])
    SL, SR = sL.sum(), sR.sum()
    E_L = SR * E / (SL + SR)
    E_R = SL * E / (SL + SR)
    J = SL * E_L
    JM_L = float((sL[0] - sL[1]) * E_L)
    JM_R = float((sR[0] - sR[1]) * E_R)
    mL, mR = _frames(phi)
    jL, jR = JM_L * mL, JM_R * mR
    dep = jL - jR
    a, b = split_deposit(dep, mL, mR)
    c = float(mL @ mR)
    return ParallelCircuitCurrents(phi=phi, J=float(J), E_L=float(E_L), E_R=float(E_R), JM_L=JM_L,
                                   JM_R=JM_R, jL=jL, jR=jR, deposit=dep,
                                   torque_R=a * (mL - c * mR), torque_L=b * (mR - c * mL))


def rotated_channel_currents(J_s, phi) -> np.ndarray:
    """Seed 003's rule ``J'_{s'} = Σ_s |R_{ss'}|² J_s``: channel currents re-quantized along an axis at ``phi``."""
    J_s = np.asarray(J_s, dtype=float)
    if J_s.shape != (2,) or not np.all(np.isfinite(J_s)):
        raise ParameterError("J_s", J_s, "two finite channel currents (up, down)")
    return rotation_weights(phi).T @ J_s


def torque_per_area(spin_current_particles):
    """Angular-momentum current ``(ħ/2) js`` [J/m²] from a spin current in particles m⁻² s⁻¹."""
    return 0.5 * HBAR * np.asarray(spin_current_particles, dtype=float)


@dataclass
class InterfaceRotation:
    """Rotation of a magnet's direction near the junction (see the module docstring).

    Attributes
    ----------
    delta_theta0 : float
        Rotation at the interface [rad].
    width : float
        Decay length ``sqrt(A/K)`` [m].
    """

    delta_theta0: float
    width: float

    def __call__(self, y):
        """``δθ(y) = δθ0 exp(−|y|/w)`` [rad], y [m] measured from the interface."""
        return self.delta_theta0 * np.exp(-np.abs(np.asarray(y, dtype=float)) / self.width)


def interface_rotation(torque, *, A, K) -> InterfaceRotation:
    """Rotation δθ(y) that balances a torque per unit area applied at the junction.

    Parameters
    ----------
    torque : float
        Torque per unit area τ [J/m²] (in the rotation's sense; sign carried through).
    A : float
        Exchange stiffness (> 0) [J/m].
    K : float
        Uniaxial anisotropy constant (> 0) [J/m³].

    Returns
    -------
    InterfaceRotation with ``δθ0 = τ / (2 sqrt(A K))`` and ``w = sqrt(A/K)``.
    """
    torque = check_finite("torque", torque)
    A = check_positive("A", A)
    K = check_positive("K", K)
    d0 = torque / (2 * math.sqrt(A * K))
    if abs(d0) > 0.3:
        # the linearization sin δθ ≈ δθ is the model's assumption
        raise ParameterError("torque", torque, f"small enough that |δθ0| ≤ 0.3 rad (got {d0:.3g})",
                             hint="the linearized domain-wall model does not apply")
    return InterfaceRotation(delta_theta0=d0, width=math.sqrt(A / K))

