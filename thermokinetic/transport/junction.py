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

Collinear magnets
-----------------
At Φ = 0 or π the split above is undefined.  A deposit that vanishes there (the tunnel limit, and
the metallic limit with β_L = β_R at Φ = 0) gives zero torques.  A non-zero collinear deposit (the
metallic limit at Φ = π, or β_L ≠ β_R) lies along the common axis: it changes the magnitude of the
spin accumulation, not the direction of a magnet, so both torques are zero and it is returned as
``longitudinal`` (``deposit = torque_R + torque_L + longitudinal`` always; ``longitudinal = 0`` for
noncollinear magnets).  The limit is singular: for equal materials in the metallic limit
``|torque_R| = |torque_L| = βJ tan(Φ/2)`` grows without bound as Φ → π, because a nearly
longitudinal deposit is written as two nearly opposite transverse vectors.  The parallel-circuit
model has no spin accumulation to take the longitudinal part up; Eq. 12 (finite ξ) does.

Coverage of seed 003, Eqs. 5–12
-------------------------------
* Eqs. 5–6 (``J_M^{L,R} = Σ_s r_{1s} δμ^L_s − r_{2s} δμ^R_s``): the seed calls the r's "effective
  interface resistances" and gives no values.  :func:`linear_response_coefficients` takes them from
  the tunnel model above (which makes them conductances, current per potential):
  ``r^L_{1s} = s Σ_{s'} g_{ss'}``, ``r^L_{2s'} = Σ_s s g_{ss'}``, ``r^R_{1s} = Σ_{s'} s' g_{ss'}``,
  ``r^R_{2s'} = s' Σ_s g_{ss'}``.  ``r^R = cos Φ r^L`` (one conserved vector current, the seed's
  Eq. 1) holds only for collinear magnets.
* Eqs. 7–11 (bulk drift–diffusion with spin relaxation and precession, charge conservation, and
  the four decay lengths of the dipole layers): the seed leaves the interaction kernel U(r), the
  constants α1, α2 and the field H unspecified, and gives no interface conditions for the
  amplitudes δM_{i0}.  :func:`dipole_layer_lengths` computes the four lengths of the linearized
  1D steady state with these choices: U is the Coulomb kernel (so in 1D ``W'' = −(e²/ε) δn`` and
  the charge and spin rows carry the dielectric relaxation rate ``1/τ_d = σ e²/ε``), H is uniform
  and along p0 (precession at ω = γH of the transverse magnetization).  The amplitudes (the
  interface matching) are not computed: the seed does not define the matching conditions.
* Eq. 12 (``ΔJ_M`` for equal materials on both sides against ξ, the interface-to-metal conductance
  ratio): :func:`eq12_deposit`.  The seed gives A1, A2 only as "dimensionless constants of the order
  of unity": they are required arguments without defaults.  The extracted text of the ξ² term of the
  numerator reads "ξ24 sin2Φ/2"; it is taken as ``4 ξ² sin²(Φ/2)``, the only reading for which
  ξ → ∞ gives ``2βJ sin(Φ/2) = |J_M^L m_L − J_M^R m_R|``, the deposit of the metallic
  parallel-circuit limit with equal materials (tested).  That limit also shows that Eq. 12's ΔJ_M is
  the magnitude of the *vector* deposit (the scalar J_M^R − J_M^L vanishes for equal materials).
  ξ → 0 gives ``βJ cos(Φ/2) sin Φ A1/(1 − β²)``; the tunnel model above with ``μs = 0`` and
  ``P_L = P_R = β`` gives ``|Δ| = 2βJ cos(Φ/2) sin Φ/(1 + β² cos Φ)``, i.e. ``A1 = 2(1 − β²)/(1 +
  β² cos Φ)``: a constant A1 = 2 agrees with it to O(β²) only.
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
    "signed_torques",
    "InterfaceRotation",
    "interface_rotation",
    "torque_per_area",
    "JunctionCoefficients",
    "linear_response_coefficients",
    "eq12_deposit",
    "DipoleLayerLengths",
    "dipole_layer_lengths",
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


def _deposit_parts(JM_L, JM_R, mL, mR):
    """``(jL, jR, deposit, torque_R, torque_L, longitudinal)`` (module docstring, "Collinear magnets")."""
    jL, jR = JM_L * mL, JM_R * mR
    dep = jL - jR
    c = float(mL @ mR)
    if 1 - c * c < 1e-14:  # collinear: no torque; a non-zero deposit is longitudinal
        zero = np.zeros(3)
        return jL, jR, dep, zero, zero.copy(), dep.copy()
    a, b = split_deposit(dep, mL, mR)
    return jL, jR, dep, a * (mL - c * mR), b * (mR - c * mL), np.zeros(3)


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
    longitudinal : ndarray (3,)
        The deposit of collinear magnets (along the common axis; no torque); zero otherwise.
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
    longitudinal: np.ndarray = None


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
    jL, jR, dep, tR, tL, lon = _deposit_parts(JM_L, JM_R, mL, mR)
    return TunnelCurrents(phi=phi, J=J, JM_L=JM_L, JM_R=JM_R, jL=jL, jR=jR, deposit=dep,
                          torque_R=tR, torque_L=tL, delta_scalar=JM_R - JM_L, longitudinal=lon)


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
    jL, jR, deposit, torque_R, torque_L, longitudinal : ndarray (3,)
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
    longitudinal: np.ndarray = None


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
    jL, jR, dep, tR, tL, lon = _deposit_parts(JM_L, JM_R, mL, mR)
    return ParallelCircuitCurrents(phi=phi, J=float(J), E_L=float(E_L), E_R=float(E_R), JM_L=JM_L,
                                   JM_R=JM_R, jL=jL, jR=jR, deposit=dep, torque_R=tR, torque_L=tL,
                                   longitudinal=lon)


def signed_torques(result) -> tuple[float, float]:
    """The torques of a :class:`TunnelCurrents` or :class:`ParallelCircuitCurrents` as signed scalars.

    Returns
    -------
    (float, float)
        ``τ_R = torque_R · e_R`` and ``τ_L = torque_L · e_L`` with the in-plane unit vectors
        ``e_R = (m_L − cos Φ m_R)/|sin Φ|`` and ``e_L = (m_R − cos Φ m_L)/|sin Φ|``: ``τ > 0`` turns
        a magnet towards the other one (same unit as the currents); ``(0, 0)`` for collinear magnets.
    """
    phi = float(result.phi)
    s = abs(math.sin(phi))
    if s * s < 1e-14:
        return 0.0, 0.0
    mL, mR = _frames(phi)
    c = math.cos(phi)
    return float(result.torque_R @ (mL - c * mR)) / s, float(result.torque_L @ (mR - c * mL)) / s


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



# ----------------------------------------------------------------------------------------------
# seed 003, Eqs. 5–6: the linear-response coefficients of the tunnel model
@dataclass
class JunctionCoefficients:
    """Coefficients of seed 003 Eqs. 5–6 (index 0: spin ↑, 1: spin ↓ of that side's frame).

    ``J_M^L = Σ_s r1L[s] δμ^L_s − r2L[s] δμ^R_s`` and ``J_M^R = Σ_s r1R[s] δμ^L_s − r2R[s] δμ^R_s``
    [particle current / energy, the unit of ``g``]; ``J = Σ_s cL[s] δμ^L_s − cR[s] δμ^R_s`` is the
    particle current.
    """

    phi: float
    r1L: np.ndarray
    r2L: np.ndarray
    r1R: np.ndarray
    r2R: np.ndarray
    cL: np.ndarray
    cR: np.ndarray

    def currents(self, muL, muR):
        """``(J, J_M^L, J_M^R)`` for spin-resolved potentials ``muL = (μ↑, μ↓)``, ``muR`` [energy]."""
        muL = np.array([check_finite("muL[up]", muL[0]), check_finite("muL[down]", muL[1])])
        muR = np.array([check_finite("muR[up]", muR[0]), check_finite("muR[down]", muR[1])])
        return (float(self.cL @ muL - self.cR @ muR), float(self.r1L @ muL - self.r2L @ muR),
                float(self.r1R @ muL - self.r2R @ muR))


def linear_response_coefficients(phi, *, g=1.0, PL=0.0, PR=0.0) -> JunctionCoefficients:
    """The r's of seed 003 Eqs. 5–6 for the tunnel model of :func:`tunnel_currents`.

    Parameters
    ----------
    phi : float
        Angle between m_L and m_R [rad].
    g : float
        Tunnel conductance factor (> 0) [particle current / energy].
    PL, PR : float
        Density-of-states polarizations, ``|P| < 1``.

    Returns
    -------
    JunctionCoefficients
        ``r1L[s] = s Σ_s' g_ss'``, ``r2L[s'] = Σ_s s g_ss'``, ``r1R[s] = Σ_s' s' g_ss'``,
        ``r2R[s'] = s' Σ_s g_ss'`` with ``g_ss' = g (1 + s P_L)(1 + s' P_R) |R_ss'|²``; the seed
        leaves them undefined (module docstring).  ``r1R = cos Φ r1L`` and ``r2R = cos Φ r2L``
        (``J_M^R m_R = J_M^L m_L``) only for collinear magnets: the magnetization current is
        conserved only then.
    """
    phi = check_finite("phi", phi)
    g = check_positive("g", g)
    PL = check_range("PL", PL, -1, 1, lo_open=True, hi_open=True)
    PR = check_range("PR", PR, -1, 1, lo_open=True, hi_open=True)
    s = np.array([1.0, -1.0])
    gss = g * np.outer(1 + s * PL, 1 + s * PR) * rotation_weights(phi)
    return JunctionCoefficients(phi=phi, r1L=s * gss.sum(axis=1), r2L=s @ gss, r1R=gss @ s,
                                r2R=s * gss.sum(axis=0), cL=gss.sum(axis=1), cR=gss.sum(axis=0))


# ----------------------------------------------------------------------------------------------
# seed 003, Eq. 12
def eq12_deposit(phi, J, *, beta, xi, A1, A2):
    r"""Seed 003 Eq. 12: the magnetization current deposited at a junction between equal materials.

    .. math:: ΔJ_M = βJ \cos\frac{Φ}{2} \sin Φ\;
              \frac{A_1 + 2\sqrt{1-β^2}\,ξ\,[1 + A_2 \sin^2(Φ/2)/(1-β^2)] + 4ξ^2\sin^2(Φ/2)}
                   {1 - β^2 + 2\sqrt{1-β^2}\,ξ + ξ^2 \sin^2Φ}

    (the seed writes e ΔJ_M with J a charge current; here J and ΔJ_M are in the same unit).  See
    the module docstring for the reading of the ξ² term and for the two limits.

    Parameters
    ----------
    phi : float or array_like
        Angle between the magnetizations [rad].
    J : float
        Current through the junction [any current unit; ΔJ_M is returned in the same unit].
    beta : float
        Spin asymmetry of the conductivity, ``|β| < 1``.
    xi : float
        Interface conductance over the metal's (≥ 0, dimensionless); ``math.inf`` gives the
        metallic limit ``2βJ sin(Φ/2)`` exactly.
    A1, A2 : float
        The seed's dimensionless constants "of the order of unity" (finite; no defaults: the seed
        gives no values).

    Returns
    -------
    float or ndarray
        ΔJ_M, the magnitude of the vector deposit ``J_M^L m_L − J_M^R m_R`` (signed with βJ).
    """
    J = check_finite("J", J)
    beta = check_range("beta", beta, -1, 1, lo_open=True, hi_open=True)
    A1 = check_finite("A1", A1)
    A2 = check_finite("A2", A2)
    if isinstance(xi, (bool, np.bool_)) or not (isinstance(xi, (int, float, np.floating, np.integer))):
        raise ParameterError("xi", xi, "a real number >= 0 or math.inf")
    xi = float(xi)
    if math.isnan(xi) or xi < 0:
        raise ParameterError("xi", xi, ">= 0 (math.inf: the metallic limit)")
    ph = np.asarray(phi, dtype=float)
    if not np.all(np.isfinite(ph)):
        raise ParameterError("phi", phi, "finite angles [rad]")
    h = np.sin(ph / 2)
    if math.isinf(xi):
        out = 2 * beta * J * h
    else:
        q = 1 - beta * beta
        rq = math.sqrt(q)
        num = A1 + 2 * rq * xi * (1 + A2 * h * h / q) + 4 * xi * xi * h * h
        den = q + 2 * rq * xi + xi * xi * np.sin(ph) ** 2
        out = beta * J * np.cos(ph / 2) * np.sin(ph) * num / den
    return float(out) if np.ndim(out) == 0 else out


# ----------------------------------------------------------------------------------------------
# seed 003, Eqs. 7–11: the four decay lengths of the charge and magnetization dipole layers
@dataclass
class DipoleLayerLengths:
    """Result of :func:`dipole_layer_lengths` (lengths in the unit of ``sqrt(D τ)``, e.g. m).

    Attributes
    ----------
    longitudinal : ndarray (2,) complex
        The two coupled charge/longitudinal-magnetization lengths, sorted by |l| (the shorter is
        the renormalized screening length, the longer the renormalized spin-diffusion length);
        real and positive unless the coupling makes them oscillate.
    transverse : ndarray (2,) complex
        ``sqrt(Dτ/(1 ± iωτ))``: the left- and right-rotating transverse magnetization.
    dn_over_dM : ndarray (2,) complex
        δn_{i0}/δM_{i0} of each longitudinal mode (the seed: "δn_i0 depend on δM_i0").
    bare : (float, float)
        The uncoupled (β = 0) screening length ``sqrt(α1 D τ_d)`` and spin-diffusion length
        ``sqrt(D τ)``.
    """

    longitudinal: np.ndarray
    transverse: np.ndarray
    dn_over_dM: np.ndarray
    bare: tuple

    @property
    def all(self) -> np.ndarray:
        """The four lengths l_i of seed 003 Eq. 11."""
        return np.concatenate([self.longitudinal, self.transverse])


def dipole_layer_lengths(*, D, tau_sf, tau_d, beta, alpha1=1.0, alpha2=1.0, omega=0.0) -> DipoleLayerLengths:
    r"""The four decay lengths of seed 003 Eq. 11 from the linearized 1D steady state of Eqs. 7–10.

    With a Coulomb kernel (``W'' = −(e²/ε) δn``), uniform current (Eq. 10 in steady state),
    ``p0`` uniform and the field along p0, modes ``exp(−y/l)`` (``q = 1/l²``) obey

    .. math::
        (1/τ_d − α_1 D q)\,δn − βDq\,δM_∥ = 0, \qquad
        β(1/τ_d − α_2 D q)\,δn + (1/τ − Dq)\,δM_∥ = 0,

    so ``D²(α1 − α2β²) q² − Dq[(1 − β²)/τ_d + α1/τ] + 1/(τ_d τ) = 0``, and the transverse
    magnetization ``D δM_⊥'' = (1/τ ± iω) δM_⊥`` (Eq. 7 with precession at ω).  For β = 0 the
    lengths are the bare ``sqrt(α1 D τ_d)`` and ``sqrt(Dτ)``; for ``τ_d → 0`` (perfect screening)
    the spin-diffusion length becomes ``sqrt(Dτ(1 − β²))``.  The choices the seed leaves open are
    listed in the module docstring.

    Parameters
    ----------
    D : float
        Diffusion coefficient (> 0) [m²/s].
    tau_sf : float
        Spin relaxation time τ of Eq. 7 (> 0) [s].
    tau_d : float
        Dielectric relaxation time ``ε/(e²σ)`` (> 0) [s] (σ e²/ε is what the Coulomb kernel puts
        in front of δn).
    beta : float
        Spin asymmetry of the current, ``|β| < 1``.
    alpha1, alpha2 : float
        The phenomenological constants of Eqs. 8–9 (dimensionless; ``α1 > 0`` and
        ``α1 − α2 β² > 0``, otherwise a mode does not decay).
    omega : float
        Precession frequency γH of the transverse magnetization [rad/s] (default 0).

    Returns
    -------
    DipoleLayerLengths
    """
    D = check_positive("D", D)
    tau = check_positive("tau_sf", tau_sf)
    tau_d = check_positive("tau_d", tau_d)
    beta = check_range("beta", beta, -1, 1, lo_open=True, hi_open=True)
    a1 = check_positive("alpha1", alpha1)
    a2 = check_finite("alpha2", alpha2)
    omega = check_finite("omega", omega)
    a = a1 - a2 * beta * beta
    if not a > 0:
        raise ParameterError("alpha2", alpha2, f"< alpha1/beta^2 = {a1 / beta ** 2:g}",
                             "otherwise one longitudinal mode grows instead of decaying")
    # a D² q² − B D q + C = 0 in the variable Dq
    B = (1 - beta * beta) / tau_d + a1 / tau
    C = 1.0 / (tau_d * tau)
    disc = complex(B * B - 4 * a * C)
    r = np.sqrt(disc)
    # stable roots (no cancellation): Dq1 = (B + r)/(2a), Dq2 = 2C/(B + r)
    Dq = np.array([(B + r) / (2 * a), 2 * C / (B + r)], dtype=complex)
    q = Dq / D
    lengths = 1.0 / np.sqrt(q)  # principal root: Re > 0, decaying
    order = np.argsort(np.abs(lengths))
    lengths, Dq = lengths[order], Dq[order]
    den = 1 / tau_d - a1 * Dq
    with np.errstate(divide="ignore", invalid="ignore"):
        # β = 0: the screening mode is pure charge (δM = 0), the spin mode pure magnetization
        ratio = np.where(np.abs(den) > 1e-12 / tau_d, beta * Dq / np.where(den == 0, 1, den),
                         complex(math.inf))
    qt = np.array([(1 + 1j * omega * tau), (1 - 1j * omega * tau)]) / (D * tau)
    if np.all(lengths.imag == 0):
        lengths = lengths.real.astype(complex)
    return DipoleLayerLengths(longitudinal=lengths, transverse=1.0 / np.sqrt(qt), dn_over_dM=ratio,
                              bare=(math.sqrt(a1 * D * tau_d), math.sqrt(D * tau)))
