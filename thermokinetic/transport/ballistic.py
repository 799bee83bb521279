r"""Ballistic spin-transfer torque on a spin-filtering ferromagnetic layer (seed 000, §III.1–3).

A spin-polarized plane wave crosses a ferromagnetic layer (magnetization direction ``m``) that acts
as a *spin filter*: in the frame of ``m`` (``|↑⟩`` = majority, quantized along ``m``) each spin is
transmitted and reflected with its own complex amplitudes ``t↑, t↓, r↑, r↓``.  The spin current
that enters the layer and does not leave it is deposited in it; its part transverse to ``m`` is the
spin-transfer torque (the time rate of change of the layer's angular momentum, continuity equation
``ds/dt + ∇·J_s = 0`` integrated over the layer).

Spin current of a plane wave (seed 000, §III.2)
-----------------------------------------------
For ``ψ = e^{ikx}/√Ω (a|↑⟩ + b|↓⟩)`` the spin-current operator ``J_s = (ħ/2) J ⊗ σ`` with the
particle current ``J = (ħ/m) Im(ψ* ∇ψ)`` gives the flux along x of the spin component i

.. math:: J_s^i = \frac{ħ}{2}\,\frac{ħk}{mΩ}\,⟨χ|σ_i|χ⟩,\qquad χ = (a, b):

.. math:: J_s^x = \frac{ħ^2k}{mΩ}\,\mathrm{Re}(a b^*),\quad
          J_s^y = \frac{ħ^2k}{mΩ}\,\mathrm{Im}(a^* b),\quad
          J_s^z = \frac{ħ^2k}{2mΩ}\,(|a|^2 - |b|^2).

**Sign of J_s^y.**  The notes print ``J_s^y = (ħ²k/mΩ) Im(a b*)``; with the Pauli matrix
``σ_y = [[0, −i], [i, 0]]`` that the notes themselves use, ``⟨χ|σ_y|χ⟩ = 2 Im(a* b) = −2 Im(a b*)``
(e.g. ``a = 1/√2, b = i/√2`` is the +y eigenstate and must carry +y spin).  This module follows the
quantum-mechanical definition (checked against explicit Pauli matrices in the tests); the notes'
y-component corresponds to the mirror-image (left-handed) spin frame, so the sign of their
field-like torque is flipped with respect to the one below.  x and z agree with the notes.

The spin filter (seed 000, §III.3)
----------------------------------
The incoming wave is polarized along ``p`` at angle θ from ``m`` (notes' frame: ``m = e_z``,
``p = sin θ e_x + cos θ e_z``): ``χ_in = (cos θ/2, sin θ/2)``.  Transmitted (moving along +x)
``χ_t = (t↑ cos θ/2, t↓ sin θ/2)``; reflected (moving along −x, i.e. ``k → −k``)
``χ_r = (r↑ cos θ/2, r↓ sin θ/2)``.  The same normal metal lies on both sides and the scattering is
elastic, so the three waves share ``|k|``.  With ``J_0 = ħ²k/(2mΩ)`` (the spin current ħ/2 times
the incoming particle flux density ħk/(mΩ) of a normalized spinor)

.. math:: \mathbf J^{in} = J_0(\sin θ,\, 0,\, \cos θ),\qquad
          \mathbf J^{t} = J_0(\sin θ\,\mathrm{Re}\,t_↑t_↓^*,\ -\sin θ\,\mathrm{Im}\,t_↑t_↓^*,\
                              |t_↑|^2\cos^2\tfrac θ2 - |t_↓|^2\sin^2\tfrac θ2),

.. math:: \mathbf J^{r} = -J_0(\sin θ\,\mathrm{Re}\,r_↑r_↓^*,\ -\sin θ\,\mathrm{Im}\,r_↑r_↓^*,\
                              |r_↑|^2\cos^2\tfrac θ2 - |r_↓|^2\sin^2\tfrac θ2)

(``J^r`` is the flux along +x of the reflected wave, hence negative), and the spin deposited in a
cross-section S, ``N = S (J^{in} + J^{r} − J^{t})``, is, with ``c = t↑t↓* + r↑r↓*``,

.. math:: \mathbf N = S J_0 \big[\sin θ\,(1 - \mathrm{Re}\,c)\,\mathbf e_x
          + \sin θ\,\mathrm{Im}\,c\,\mathbf e_y
          + \big(\cos^2\tfrac θ2\,A_↑ - \sin^2\tfrac θ2\,A_↓\big)\,\mathbf e_z\big],
          \qquad A_σ = 1 - |t_σ|^2 - |r_σ|^2 .

Vector form (any m, p):  ``sin θ e_x = p − (m·p) m = m × (p × m)`` and ``sin θ e_y = m × p``, so
the **torque** (the transverse part) is

.. math:: \mathbf N_⊥ = S\,\frac{ħ}{2}\,j_{in}\,\big[η_{DL}\; \mathbf m × (\mathbf p × \mathbf m)
          + η_{FL}\; \mathbf m × \mathbf p\big],\qquad
          η_{DL} = P\,(1 - \mathrm{Re}\,c),\quad η_{FL} = P\,\mathrm{Im}\,c,

with ``j_in = ħk/(mΩ)`` the incoming particle flux density: η_DL (in-plane, damping-like,
Slonczewski-like; pulls m towards p when positive) and η_FL (out-of-plane, field-like) are the
transverse spin current absorbed per unit incoming particle current, in units of ħ/2 — independent
of θ in this model.  ``P`` is the polarization of the incoming beam (below).

Conventions and choices
-----------------------
* **Units.**  Pass ``hbar``, ``mass``, ``volume`` Ω, ``k`` and ``area`` S in SI to get spin
  currents in J/m² (angular momentum per unit area and time) and torques in J (N·m); the defaults
  (all 1) give the reduced units ``ħ²k/(mΩ) = 1`` (so ``J_0 = 1/2``) and ``S = 1``.
* **Partially polarized beam.**  ``polarization`` P ∈ [0, 1]: the incoming beam is the mixture
  ``ρ = (1 + P p·σ)/2`` per incoming particle.  Its unpolarized part is collinear with m in m's
  own frame and carries no transverse spin in or out, so the transverse torque is exactly P times
  that of the fully polarized beam; the longitudinal deposit uses the populations
  ``n_{↑,↓} = (1 ± P cos θ)/2``.  (For the opposite sign of polarization, reverse ``p``.)
* **Flux loss.**  ``|t_σ|² + |r_σ|² ≤ 1`` for each spin (up to ``tol``).  Equality is probability
  conservation.  A deficit ``A_σ = 1 − |t_σ|² − |r_σ|² > 0`` is flux that leaves the layer through
  neither lead: those electrons are absorbed in the layer and deposit their whole spin there, as in
  the notes' balance ``N = S (J^{in} + J^{r} − J^{t})`` (everything not carried out by the two
  outgoing waves).  The transverse part of the deposit is the torque; the longitudinal part
  ``S J_0 (n↑A↑ − n↓A↓)`` along m changes the layer's spin along m, not its direction (the LLG
  dynamics conserves |m|): it is returned as ``longitudinal`` and is *not* part of ``torque``, so
  ``torque · m = 0`` always.  With conservation the longitudinal spin current is conserved,
  ``J^{in}_z + J^{r}_z = J^{t}_z``, and so is the particle flux (transmission + reflection = 1).
  Consequence: a spin-*independent* absorber (``t↑ = t↓``, ``r↑ = r↓``, ``A > 0``) absorbs the
  transverse spin of the electrons it swallows, ``η_DL = P A`` — the notes' "no torque for
  t↑ = t↓ and r↑ = r↓" holds with conservation.

Limits
------
* No spin filtering (``t↑ = t↓ = t``, ``r↑ = r↓ = r``, ``|t|² + |r|² = 1``): ``c = 1``, no torque
  (``η_DL = P A`` with a spin-independent loss A, see above).
* Ideal filter (``t↑ = 1, r↑ = 0, t↓ = 0``, any ``r↓`` — or ``r↓ = 0``, the minority spin
  absorbed): ``c = 0``, ``N_⊥ = S J_0 P (p − (m·p) m)``, magnitude ``S (ħ²k/2mΩ) P sin θ``: the
  entire incoming transverse spin current is absorbed (Slonczewski's η = 1).
* Bounds: ``|c| ≤ 1`` (Cauchy–Schwarz and the per-spin bound), so ``(η_DL − P)² + η_FL² ≤ P²``;
  ``η_DL`` ranges over [0, 2P].  ``η_DL = 2P`` (e.g. ``t↑ = 1, t↓ = −1``) reverses the transverse
  spin instead of absorbing it — twice the ideal filter.
* θ = 0, π: no torque (the notes' remark).
"""
from __future__ import annotations

import math
from numbers import Complex
from typing import NamedTuple

import numpy as np

from ..errors import ParameterError, check_positive, check_range, check_unit_vector

__all__ = [
    "plane_wave_spin_current",
    "spin_current_unit",
    "transverse_efficiency",
    "ballistic_spin_currents",
    "ballistic_torque",
    "BallisticSpinCurrents",
    "BallisticTorque",
]


# ----------------------------------------------------------------------------------------------
# validation
def _amplitude(name: str, value) -> complex:
    """A finite complex number (real accepted; bool, string, array of size ≠ 1 refused)."""
    v = value
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v[()]
    if isinstance(v, (bool, np.bool_, str, bytes)) or not isinstance(v, (Complex, np.number)):
        raise ParameterError(name, value, "a finite complex number (not a bool, a string or an array)")
    z = complex(v)
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise ParameterError(name, value, "a finite complex number")
    return z


def _amplitude_array(name: str, value) -> np.ndarray:
    """A finite complex array (bools and strings refused)."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise ParameterError(name, value, "finite complex numbers (not a bool or a string)")
    try:
        a = np.asarray(value)
    except (TypeError, ValueError):  # pragma: no cover - ragged input
        raise ParameterError(name, value, "finite complex numbers") from None
    if a.dtype == bool or a.dtype.kind not in "iufc":
        raise ParameterError(name, value, "finite complex numbers (not bools, strings or objects)")
    a = a.astype(complex)
    if not np.all(np.isfinite(a)):
        raise ParameterError(name, value, "finite complex numbers")
    return a


def _real_array(name: str, value) -> np.ndarray:
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise ParameterError(name, value, "finite real numbers (not a bool or a string)")
    a = np.asarray(value)
    if a.dtype == bool or a.dtype.kind not in "iuf":
        raise ParameterError(name, value, "finite real numbers")
    a = a.astype(float)
    if not np.all(np.isfinite(a)):
        raise ParameterError(name, value, "finite real numbers")
    return a


def _filter_amplitudes(t_up, t_dn, r_up, r_dn, tol):
    """Validated (t↑, t↓, r↑, r↓) with ``|t_σ|² + |r_σ|² ≤ 1 + tol`` for each spin."""
    tol = check_range("tol", tol, 0, 1e-3)
    tu, td = _amplitude("t_up", t_up), _amplitude("t_dn", t_dn)
    ru, rd = _amplitude("r_up", r_up), _amplitude("r_dn", r_dn)
    for s, t, r in (("up", tu, ru), ("dn", td, rd)):
        w = abs(t) ** 2 + abs(r) ** 2
        if w > 1 + tol:
            raise ParameterError(f"|t_{s}|^2 + |r_{s}|^2", w, f"<= 1 (+ tol = {tol:g})",
                                 "the transmitted and reflected fluxes of one spin cannot exceed the "
                                 "incoming flux")
    return tu, td, ru, rd


def _directions(name: str, value) -> np.ndarray:
    a = _real_array(name, value)
    if a.ndim == 0 or a.shape[-1] != 3:
        raise ParameterError(name, f"array of shape {a.shape}", "directions of shape (..., 3)")
    n = np.linalg.norm(a, axis=-1, keepdims=True)
    if np.any(n == 0):
        raise ParameterError(name, "a zero vector", "non-zero directions")
    return a / n


def _units(k, hbar, mass, volume):
    k = check_positive("k", k)
    hbar = check_positive("hbar", hbar)
    mass = check_positive("mass", mass)
    volume = check_positive("volume", volume)
    return hbar * hbar * k / (2.0 * mass * volume)


# ----------------------------------------------------------------------------------------------
def spin_current_unit(k: float = 1.0, *, hbar: float = 1.0, mass: float = 1.0, volume: float = 1.0) -> float:
    r"""``J_0 = ħ²k/(2mΩ)``: ħ/2 times the particle flux density of a normalized plane wave.

    Parameters
    ----------
    k : float
        Wavevector along x (> 0) [1/m in SI].
    hbar, mass, volume : float
        ħ [J s], the electron mass [kg] and the normalization volume Ω [m³] (> 0); all 1 by
        default (reduced units ``ħ²k/(mΩ) = 1``, so J_0 = 1/2).

    Returns
    -------
    float
        J_0 [J/m² in SI].
    """
    return _units(k, hbar, mass, volume)


def plane_wave_spin_current(a, b, k=1.0, *, hbar: float = 1.0, mass: float = 1.0,
                            volume: float = 1.0) -> np.ndarray:
    r"""Spin current carried along x by ``ψ = e^{ikx}/√Ω (a|↑⟩ + b|↓⟩)``.

    .. math:: \mathbf J_s = \frac{ħ^2k}{mΩ}\big(\mathrm{Re}(a b^*),\ \mathrm{Im}(a^* b),\
              \tfrac12(|a|^2 - |b|^2)\big) = \frac{ħ}{2}\frac{ħk}{mΩ}⟨χ|\boldsymbol σ|χ⟩

    (see the module docstring for the sign of the y component with respect to the notes).  The
    spinor is not normalized here: |a|² + |b|² is the density times Ω.

    Parameters
    ----------
    a, b : complex or array_like of complex
        Spinor components along ``|↑⟩`` and ``|↓⟩`` (the quantization axis is the z of the
        returned vector); broadcast together with ``k``.
    k : float or array_like of float
        Wavevector along x (any finite real: ``k < 0`` is a wave moving along −x, whose flux along
        +x is negative) [1/m in SI].
    hbar, mass, volume : float
        ħ, m, Ω (> 0); all 1 by default: the result is then in units of ħ²k/(mΩ) per unit k.

    Returns
    -------
    ndarray, shape ``broadcast(a, b, k).shape + (3,)``
        ``(J_s^x, J_s^y, J_s^z)`` [J/m² in SI].
    """
    a = _amplitude_array("a", a)
    b = _amplitude_array("b", b)
    k = _real_array("k", k)
    hbar = check_positive("hbar", hbar)
    mass = check_positive("mass", mass)
    volume = check_positive("volume", volume)
    a, b, k = np.broadcast_arrays(a, b, k)
    pref = hbar * hbar * k / (mass * volume)
    ab = np.conj(a) * b
    return np.stack([pref * ab.real, pref * ab.imag, 0.5 * pref * (np.abs(a) ** 2 - np.abs(b) ** 2)], axis=-1)


def transverse_efficiency(t_up, t_dn, r_up, r_dn, *, polarization: float = 1.0,
                          tol: float = 1e-12) -> tuple[float, float]:
    r"""``(η_DL, η_FL) = (P(1 − Re c), P Im c)`` with ``c = t↑t↓* + r↑r↓*``.

    The transverse spin current absorbed by the filter per unit incoming particle current, in units
    of ħ/2: the damping-like (in-plane, along ``m × (p × m)``) and field-like (out-of-plane, along
    ``m × p``) efficiencies, independent of the angle.

    Parameters
    ----------
    t_up, t_dn, r_up, r_dn : complex
        Transmission and reflection amplitudes of the majority (``up``) and minority (``dn``) spin
        in the layer's frame (finite; ``|t_σ|² + |r_σ|² ≤ 1 + tol``).
    polarization : float
        P ∈ [0, 1] of the incoming beam along p (module docstring).
    tol : float
        Tolerance of the per-spin flux bound (in [0, 1e-3]).

    Returns
    -------
    (float, float)
        η_DL ∈ [0, 2P] and η_FL ∈ [−P, P] (dimensionless).
    """
    tu, td, ru, rd = _filter_amplitudes(t_up, t_dn, r_up, r_dn, tol)
    P = check_range("polarization", polarization, 0.0, 1.0)
    c = tu * td.conjugate() + ru * rd.conjugate()
    return P * (1.0 - c.real), P * c.imag


class BallisticSpinCurrents(NamedTuple):
    """Spin currents along +x in the notes' frame (m = e_z, p in the x–z plane), shape (..., 3)."""

    incoming: np.ndarray
    reflected: np.ndarray
    transmitted: np.ndarray
    #: ``incoming + reflected − transmitted``: spin deposited in the layer per unit area and time.
    deposited: np.ndarray


def ballistic_spin_currents(theta, t_up, t_dn, r_up, r_dn, *, k: float = 1.0, hbar: float = 1.0,
                            mass: float = 1.0, volume: float = 1.0,
                            tol: float = 1e-12) -> BallisticSpinCurrents:
    r"""The notes' three plane waves and their spin currents, from :func:`plane_wave_spin_current`.

    Frame of the notes: ``m = e_z``, incoming spin along ``p = (sin θ, 0, cos θ)``, fully polarized:
    ``χ_in = (cos θ/2, sin θ/2)``, ``χ_t = (t↑ cos θ/2, t↓ sin θ/2)`` at +k,
    ``χ_r = (r↑ cos θ/2, r↓ sin θ/2)`` at −k.

    Parameters
    ----------
    theta : float or array_like
        Angle θ between p and m [rad] (finite).
    t_up, t_dn, r_up, r_dn : complex
        Filter amplitudes (see :func:`transverse_efficiency`).
    k, hbar, mass, volume : float
        As in :func:`plane_wave_spin_current` (``k > 0``: the incoming wave moves along +x).
    tol : float
        Tolerance of the per-spin flux bound.

    Returns
    -------
    BallisticSpinCurrents
        ``incoming``, ``reflected`` (negative flux along x), ``transmitted`` and ``deposited``
        ``= incoming + reflected − transmitted`` (the notes' N_st/S), each ``theta.shape + (3,)``.
    """
    tu, td, ru, rd = _filter_amplitudes(t_up, t_dn, r_up, r_dn, tol)
    th = _real_array("theta", theta)
    k = check_positive("k", k)
    kw = dict(hbar=hbar, mass=mass, volume=volume)
    c, s = np.cos(th / 2), np.sin(th / 2)
    j_in = plane_wave_spin_current(c, s, k, **kw)
    j_t = plane_wave_spin_current(tu * c, td * s, k, **kw)
    j_r = plane_wave_spin_current(ru * c, rd * s, -k, **kw)
    return BallisticSpinCurrents(j_in, j_r, j_t, j_in + j_r - j_t)


class BallisticTorque(NamedTuple):
    """Result of :func:`ballistic_torque` (shapes: ``m.shape[:-1]`` unless noted)."""

    #: Transverse torque N_⊥ (⊥ m), shape (..., 3) [J in SI; S·ħ²k/(mΩ) in reduced units].
    torque: np.ndarray
    #: In-plane (damping-like) component ``N · p_⊥/|p_⊥| = S J_0 η_DL sin θ``.
    in_plane: np.ndarray
    #: Out-of-plane (field-like) component ``N · (m × p)/|m × p| = S J_0 η_FL sin θ``.
    out_of_plane: np.ndarray
    #: Longitudinal spin deposited along m, ``S J_0 (n↑A↑ − n↓A↓)`` (flux loss only; not a torque).
    longitudinal: np.ndarray
    #: Angle θ between m and p [rad].
    theta: np.ndarray
    #: η_DL, η_FL: transverse spin absorbed per incoming particle, in units of ħ/2 (θ-independent).
    eta_damping_like: float
    eta_field_like: float
    #: Transmitted and reflected particle flux per incoming particle, ``n↑|t↑|² + n↓|t↓|²`` etc.
    transmission: np.ndarray
    reflection: np.ndarray


def ballistic_torque(m, t_up, t_dn, r_up, r_dn, *, p=(0.0, 0.0, 1.0), polarization: float = 1.0,
                     area: float = 1.0, k: float = 1.0, hbar: float = 1.0, mass: float = 1.0,
                     volume: float = 1.0, tol: float = 1e-12) -> BallisticTorque:
    r"""Spin-transfer torque on a spin-filtering layer of magnetization ``m`` (seed 000 §III.3).

    .. math:: \mathbf N_⊥ = S J_0\,\big[η_{DL}\,\mathbf m × (\mathbf p × \mathbf m)
              + η_{FL}\,\mathbf m × \mathbf p\big],\qquad J_0 = \frac{ħ^2 k}{2 m_e Ω},

    ``η_DL = P(1 − Re c)``, ``η_FL = P Im c``, ``c = t↑t↓* + r↑r↓*`` (module docstring).  For the
    ideal filter (c = 0, P = 1) ``|N_⊥| = S J_0 sin θ``, directed towards p.

    Parameters
    ----------
    m : array_like, shape (..., 3)
        Magnetization direction(s) of the filtering layer (normalized here; vectorized).
    t_up, t_dn, r_up, r_dn : complex
        Transmission/reflection amplitudes of majority (up) and minority (dn) electrons in m's
        frame; ``|t_σ|² + |r_σ|² ≤ 1 + tol`` (``< 1``: flux loss, see the module docstring).
    p : 3-vector
        Polarization direction of the incoming beam (fixed; normalized).
    polarization : float
        P ∈ [0, 1]: the incoming spin current is P times that of a beam fully polarized along p.
    area : float
        Cross-section S (> 0).
    k, hbar, mass, volume : float
        Wavevector (> 0, along +x), ħ, electron mass, normalization volume Ω (> 0); defaults 1:
        reduced units ħ²k/(mΩ) = 1.
    tol : float
        Tolerance of the per-spin flux bound.

    Returns
    -------
    BallisticTorque
        ``torque`` (..., 3) ⊥ m, its ``in_plane``/``out_of_plane`` components, the
        ``longitudinal`` deposit, ``theta``, the efficiencies and the particle ``transmission``/
        ``reflection`` per incoming particle.
    """
    tu, td, ru, rd = _filter_amplitudes(t_up, t_dn, r_up, r_dn, tol)
    eta_dl, eta_fl = transverse_efficiency(tu, td, ru, rd, polarization=polarization, tol=tol)
    P = float(polarization)
    M = _directions("m", m)
    pv = check_unit_vector("p", p)
    S = check_positive("area", area)
    N0 = S * _units(k, hbar, mass, volume)

    cos_t = np.clip(M @ pv, -1.0, 1.0)
    p_perp = pv - cos_t[..., None] * M
    mxp = np.cross(M, np.broadcast_to(pv, M.shape))
    sin_t = np.linalg.norm(mxp, axis=-1)
    torque = N0 * (eta_dl * p_perp + eta_fl * mxp)

    n_up, n_dn = 0.5 * (1 + P * cos_t), 0.5 * (1 - P * cos_t)
    T_up, T_dn, R_up, R_dn = abs(tu) ** 2, abs(td) ** 2, abs(ru) ** 2, abs(rd) ** 2
    longitudinal = N0 * (n_up * (1 - T_up - R_up) - n_dn * (1 - T_dn - R_dn))
    return BallisticTorque(
        torque=torque,
        in_plane=N0 * eta_dl * sin_t,
        out_of_plane=N0 * eta_fl * sin_t,
        longitudinal=longitudinal,
        theta=np.arctan2(sin_t, cos_t),
        eta_damping_like=eta_dl,
        eta_field_like=eta_fl,
        transmission=n_up * T_up + n_dn * T_dn,
        reflection=n_up * R_up + n_dn * R_dn,
    )
