r"""Anisotropic magnetoresistance (AMR) of ferromagnetic layers, alone and inside a stack (seed 000).

The law (seed 000, §II "Anisotropic magnetoresistance of pure magnetic metals")
-------------------------------------------------------------------------------
The resistivity of a ferromagnet depends on the angle θ_J between its magnetization m and the
current direction j:

.. math:: ρ(θ_J) = ρ_⊥ + (ρ_∥ − ρ_⊥)\cos^2θ_J,\qquad \cos θ_J = \hat m\cdot\hat j ,

the seed's ρ = ρ0 + Δρ cos²θ with ρ0 = ρ_⊥ (current ⊥ m) and Δρ = ρ_∥ − ρ_⊥ (usually > 0 and
Δρ/ρ < 3 %, against > 80 % for GMR).  The law is even in m (m → −m leaves it unchanged) and in j.
Resistivities are in **Ω m**, angles in **radians**.  The current direction is a 3-vector: in a
current-perpendicular-to-plane (CPP) pillar it is the stack normal, which is e_x in this package
(:mod:`thermokinetic.transport.stack`: x runs along the stack; :data:`CPP_CURRENT`); in a
current-in-plane (CIP) film it lies in the film plane (e.g. e_y or e_z).

* :func:`amr_resistivity_angle` — ρ(θ_J) from the angle;
* :func:`amr_resistivity` — ρ from the magnetization and current directions;
* :func:`amr_cos2` — cos²θ_J;
* :func:`amr_ratio` — (ρ_∥ − ρ_⊥)/ρ_⊥ (or relative to the isotropic average (ρ_∥ + 2ρ_⊥)/3).

AMR of a stack combined with its GMR (CPP)
------------------------------------------
:func:`amr_stack_resistance` returns the resistance × area [Ω m²] of a
:class:`~thermokinetic.transport.stack.Stack` for given magnetization directions of its F layers.
The AMR of F layer i is given by its ratio a_i = (ρ_∥ − ρ_⊥)/ρ_⊥ (> −1); the layer's stored
conductivities σ↑ + σ↓ are taken as its ρ_⊥ = 1/(σ↑ + σ↓) (the seed's ρ0), so a stack whose
magnetizations are all perpendicular to the current, or with a_i = 0, is the stack as given.

Model and approximation.  The AMR rescales the layer's *mean* resistivity and nothing else:

.. math:: σ_{↑,↓}(θ_J) = σ_{↑,↓} / f_i,\qquad f_i = 1 + a_i\cos^2θ_{J,i},

so that ρ_i(θ_J) = ρ_⊥ f_i exactly (the cos² law), while the bulk spin asymmetry
β = (σ↑ − σ↓)/(σ↑ + σ↓) and the spin-flip coefficient L [S/m³] (the spin-flip rate and the
density of states) are unchanged; the spin-diffusion length follows from the Onsager block,
λ_sf(θ_J) = λ_sf/√f_i.  This is an approximation: the spin–orbit scattering that causes the AMR
also makes β and the spin relaxation angle dependent, and a transverse (planar Hall) field is not
part of a 1D model.  AMR is applied to every F layer including ferromagnetic leads (where it changes
the spin accumulation only: the bulk resistance of the leads is not part of the stack's
resistance), never to interface resistances (no interfacial AMR).

The modified stack is then solved by the package's existing GMR solver: the exact two-channel
model (:func:`~thermokinetic.transport.two_channel.solve_two_channel`, any interfaces) when all F
magnetizations are collinear, the diffusive noncollinear model
(:func:`~thermokinetic.transport.noncollinear.solve_stack`, transparent interfaces) otherwise; the
two agree to 1e-8 on collinear stacks.  The result splits as

.. math:: R = R_{eq} + R_{ne} = \underbrace{R_{eq}^0}_{ρ_⊥}
          + \underbrace{\textstyle\sum_i d_i ρ_{⊥,i}\,a_i\cos^2θ_{J,i}}_{R_{AMR},\ \text{additive}}
          + R_{ne}(\{m\}; \{f\}),

where R_eq is the series resistance Σ d_i ρ_i(θ_J) + Σ interfaces r↑r↓/(r↑+r↓) of the finite part
and R_ne the spin-accumulation (GMR) resistance.  The AMR term R_AMR is exactly additive (a series
sum over the finite F layers).  The GMR term is not: R_ne is computed with the AMR-modified
conductivities, and its change ``R_ne − R_ne0`` against the same directions without AMR (the cross
term, of order a·R_ne) is reported too.  With a_i = 0 everything reduces to the solver's own
R_eq + R_ne (the R_P / R_AP of :func:`~thermokinetic.transport.two_channel.cpp_gmr`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from numbers import Real

import numpy as np

from ..errors import ParameterError, _as_real, check_choice
from .stack import Stack

__all__ = [
    "CPP_CURRENT",
    "amr_cos2",
    "amr_resistivity",
    "amr_resistivity_angle",
    "amr_ratio",
    "with_amr",
    "AmrStackResistance",
    "amr_stack_resistance",
]

#: current direction of a CPP pillar: the stack normal e_x (x runs along the stack)
CPP_CURRENT = (1.0, 0.0, 0.0)

_RHO_ALLOWED = "> 0 and finite [Ohm m]"


def _rho(name: str, value) -> float:
    v = _as_real(name, value)
    if not (math.isfinite(v) and v > 0):
        raise ParameterError(name, value, _RHO_ALLOWED)
    return v


def _directions(name: str, value) -> np.ndarray:
    """Array (..., 3) of unit vectors; every vector finite and non-zero."""
    if isinstance(value, (str, bytes, bool)):
        raise ParameterError(name, value, "a finite, non-zero 3-vector (or an array of them, shape (..., 3))")
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, value, "a finite, non-zero 3-vector (or an array of them, shape (..., 3))") from None
    if a.ndim == 0 or a.shape[-1] != 3 or not np.all(np.isfinite(a)):
        raise ParameterError(name, value, "a finite, non-zero 3-vector (or an array of them, shape (..., 3))")
    n = np.linalg.norm(a, axis=-1, keepdims=True)
    if np.any(n == 0) or not np.all(np.isfinite(n)):
        raise ParameterError(name, value, "a non-zero 3-vector (its direction is used)")
    return a / n


def amr_cos2(m, current_direction=CPP_CURRENT):
    """cos²θ_J = (m̂·ĵ)², θ_J the angle between magnetization and current (dimensionless).

    Parameters
    ----------
    m : array_like, shape (3,) or (..., 3)
        Magnetization direction(s); any non-zero length (normalized here).
    current_direction : array_like, shape (3,)
        Current direction (non-zero; normalized).  Default :data:`CPP_CURRENT` (the stack normal e_x).

    Returns
    -------
    float or ndarray (...)
        cos²θ_J in [0, 1].
    """
    mm = _directions("m", m)
    jj = _directions("current_direction", current_direction)
    if jj.shape != (3,):
        raise ParameterError("current_direction", current_direction, "one finite, non-zero 3-vector")
    c = np.clip(mm @ jj, -1.0, 1.0)
    c2 = c * c
    return float(c2) if c2.ndim == 0 else c2


def amr_resistivity_angle(theta, rho_parallel, rho_perpendicular):
    """ρ(θ_J) = ρ_⊥ + (ρ_∥ − ρ_⊥) cos²θ_J  [Ω m] (seed 000).

    Parameters
    ----------
    theta : float or array_like
        Angle between magnetization and current [rad] (finite).
    rho_parallel : float
        Resistivity with the current along the magnetization, ρ_∥ [Ω m] (> 0).
    rho_perpendicular : float
        Resistivity with the current perpendicular to the magnetization, ρ_⊥ [Ω m] (> 0).

    Returns
    -------
    float or ndarray
        ρ(θ_J) [Ω m], between ρ_⊥ and ρ_∥.
    """
    rp, rt = _rho("rho_parallel", rho_parallel), _rho("rho_perpendicular", rho_perpendicular)
    if isinstance(theta, (str, bytes, bool)):
        raise ParameterError("theta", theta, "finite real angle(s) [rad]")
    try:
        th = np.asarray(theta, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("theta", theta, "finite real angle(s) [rad]") from None
    if not np.all(np.isfinite(th)):
        raise ParameterError("theta", theta, "finite real angle(s) [rad]")
    c = np.cos(th)
    rho = rt + (rp - rt) * c * c
    return float(rho) if rho.ndim == 0 else rho


def amr_resistivity(m, rho_parallel, rho_perpendicular, current_direction=CPP_CURRENT):
    """ρ = ρ_⊥ + (ρ_∥ − ρ_⊥)(m̂·ĵ)²  [Ω m] for magnetization ``m`` and current ``current_direction``.

    Parameters
    ----------
    m : array_like, shape (3,) or (..., 3)
        Magnetization direction(s) (non-zero; normalized here).
    rho_parallel, rho_perpendicular : float
        ρ_∥ and ρ_⊥ [Ω m] (> 0).
    current_direction : array_like, shape (3,)
        Current direction (non-zero): the stack normal :data:`CPP_CURRENT` = e_x for a CPP pillar
        (default), an in-plane direction for a CIP film.

    Returns
    -------
    float or ndarray (...)
        Resistivity [Ω m]; even in m and in the current direction.
    """
    rp, rt = _rho("rho_parallel", rho_parallel), _rho("rho_perpendicular", rho_perpendicular)
    c2 = amr_cos2(m, current_direction)
    return rt + (rp - rt) * c2


def amr_ratio(rho_parallel, rho_perpendicular, reference: str = "perpendicular") -> float:
    """AMR ratio Δρ/ρ_ref with Δρ = ρ_∥ − ρ_⊥ (dimensionless; seed 000's Δρ/ρ, usually < 3 %).

    Parameters
    ----------
    rho_parallel, rho_perpendicular : float
        ρ_∥ and ρ_⊥ [Ω m] (> 0).
    reference : {"perpendicular", "average"}
        ρ_ref = ρ_⊥ (the seed's ρ0, default; the ratio used by :func:`amr_stack_resistance`) or the
        isotropic average ρ_av = (ρ_∥ + 2ρ_⊥)/3 of randomly oriented domains (⟨cos²θ⟩ = 1/3).

    Returns
    -------
    float
        (ρ_∥ − ρ_⊥)/ρ_ref; > −1 with the perpendicular reference.
    """
    rp, rt = _rho("rho_parallel", rho_parallel), _rho("rho_perpendicular", rho_perpendicular)
    reference = check_choice("reference", reference, ["perpendicular", "average"])
    ref = rt if reference == "perpendicular" else (rp + 2.0 * rt) / 3.0
    return (rp - rt) / ref


# ---------------------------------------------------------------------------------------------
# stacks
# ---------------------------------------------------------------------------------------------
def _amr_ratios(stack: Stack, amr) -> dict:
    """``{F layer name: a}`` with a = (ρ_∥ − ρ_⊥)/ρ_⊥ > −1 (0 for F layers not named)."""
    names = [ly.name for ly in stack.ferromagnets()]
    if isinstance(amr, dict):
        for k in amr:
            if k not in names:
                raise ParameterError("amr", k, f"keys among the F layers {names}", "unknown layer")
        raw = {n: amr.get(n, 0.0) for n in names}
    elif isinstance(amr, (Real, np.floating, np.integer)) and not isinstance(amr, (bool, np.bool_)):
        raw = {n: amr for n in names}
    else:
        raise ParameterError("amr", amr, "a real number (every F layer) or a dict {F layer name: ratio}")
    out = {}
    for n, v in raw.items():
        x = _as_real(f"amr['{n}']", v)
        if not (math.isfinite(x) and x > -1.0):
            raise ParameterError(f"amr['{n}']", v, "finite and > -1 ((rho_par - rho_perp)/rho_perp; "
                                 "rho_par = rho_perp (1 + ratio) must be > 0)")
        out[n] = x
    return out


def with_amr(stack: Stack, amr, directions=None, current_direction=CPP_CURRENT) -> Stack:
    """Copy of ``stack`` with new F directions and AMR-rescaled conductivities σ↑,↓/(1 + a cos²θ_J).

    Parameters
    ----------
    stack : Stack
        Its F layers' conductivities give ρ_⊥ = 1/(σ↑ + σ↓) [Ω m].
    amr : float or dict
        AMR ratio a = (ρ_∥ − ρ_⊥)/ρ_⊥ (> −1, dimensionless) of every F layer, or ``{name: a}``
        (F layers not named: 0).
    directions : dict, optional
        ``{F layer name: 3-vector}`` magnetization directions (default: the stack's own).
    current_direction : array_like, shape (3,)
        Current direction (default :data:`CPP_CURRENT`, the stack normal e_x).

    Returns
    -------
    Stack
        β, L, thicknesses, interfaces and current unchanged; a layer whose factor is exactly 1 is
        the same object.
    """
    if not isinstance(stack, Stack):
        raise ParameterError("stack", type(stack).__name__, "a thermokinetic.transport.Stack")
    ratios = _amr_ratios(stack, amr)
    jj = _directions("current_direction", current_direction)
    if jj.shape != (3,):
        raise ParameterError("current_direction", current_direction, "one finite, non-zero 3-vector")
    directions = {} if directions is None else directions
    if not isinstance(directions, dict):
        raise ParameterError("directions", directions, "a dict {F layer name: 3-vector}")
    names = list(ratios)
    for k in directions:
        if k not in names:
            raise ParameterError("directions", k, f"keys among the F layers {names}", "unknown layer")
    layers = []
    for ly in stack.layers:
        if ly.kind != "F":
            layers.append(ly)
            continue
        if ly.name in directions:
            ly = ly.with_direction(directions[ly.name])
        f = 1.0 + ratios[ly.name] * amr_cos2(ly.direction, jj)
        if f != 1.0:
            ly = replace(ly, sigma_up=ly.sigma_up / f, sigma_dn=ly.sigma_dn / f)
        layers.append(ly)
    return Stack(tuple(layers), stack.interfaces, stack.current_density)


@dataclass(frozen=True)
class AmrStackResistance:
    """Resistance × area of a stack with AMR and GMR (see the module docstring) [Ω m²].

    Attributes
    ----------
    R : float
        Total resistance × area of the finite part, ``R_eq + R_ne`` [Ω m²] (bulk of the leads
        excluded, spin accumulation in the leads included; divide by the pillar area for Ω).
    R_eq : float
        Series resistance with AMR: Σ d_i ρ_i(θ_J) + Σ interfaces r↑r↓/(r↑+r↓) [Ω m²].
    R_eq0 : float
        The same without AMR (every F layer at ρ_⊥) [Ω m²].
    R_amr : float
        Additive AMR term Σ_finite F d_i ρ_⊥,i a_i cos²θ_J,i [Ω m²] (= R_eq − R_eq0 to rounding).
    R_ne : float
        Spin-accumulation (GMR) resistance of the AMR-modified stack [Ω m²].
    R_ne0 : float
        The same for the same directions without AMR [Ω m²].
    cos2 : dict
        ``{F layer name: cos²θ_J}``.
    resistivity : dict
        ``{F layer name: ρ(θ_J)}`` [Ω m].
    model : str
        ``"two-channel"`` or ``"noncollinear"``.
    stack : Stack
        The AMR-modified stack that was solved.
    """

    R: float
    R_eq: float
    R_eq0: float
    R_amr: float
    R_ne: float
    R_ne0: float
    cos2: dict = field(default_factory=dict)
    resistivity: dict = field(default_factory=dict)
    model: str = ""
    stack: Stack | None = None

    @property
    def R_cross(self) -> float:
        """Non-additive part ``R_ne − R_ne0`` [Ω m²]: the change of the GMR term by the AMR."""
        return self.R_ne - self.R_ne0

    def to_dict(self) -> dict:
        return {"R": self.R, "R_eq": self.R_eq, "R_eq0": self.R_eq0, "R_amr": self.R_amr, "R_ne": self.R_ne,
                "R_ne0": self.R_ne0, "R_cross": self.R_cross, "cos2": dict(self.cos2),
                "resistivity": dict(self.resistivity), "model": self.model}


def _is_collinear(stack: Stack) -> bool:
    try:
        stack.collinear_signs()
    except ParameterError:
        return False
    return True


def _solve_R(stack: Stack, model: str) -> tuple[float, float]:
    """(R_eq, R_ne) [Ω m²] from the package's solver."""
    if model == "two-channel":
        from .two_channel import solve_two_channel

        res = solve_two_channel(stack)
        return res.R_eq, res.R_ne
    from .noncollinear import solve_stack

    res = solve_stack(stack, points_per_layer=3)
    # transparent interfaces (the noncollinear model refuses others): R_eq is the bulk series sum
    R_eq = sum(ly.thickness / (ly.sigma_up + ly.sigma_dn) for ly in stack.inner)
    return R_eq, res.R_ne


def amr_stack_resistance(stack: Stack, amr, directions=None, *, current_direction=CPP_CURRENT,
                         model: str = "auto") -> AmrStackResistance:
    """Resistance × area [Ω m²] of a CPP stack with the AMR of its F layers and its GMR.

    Parameters
    ----------
    stack : Stack
        Layers with their conductivities (F: ρ_⊥ = 1/(σ↑+σ↓) [Ω m], β, L), interfaces [Ω m²] and a
        current density J [A/m²] with |J| >= 1e-6 (the model is linear: R does not depend on J).
    amr : float or dict
        AMR ratio a = (ρ_∥ − ρ_⊥)/ρ_⊥ (> −1) of every F layer, or ``{F layer name: a}``.
    directions : dict, optional
        ``{F layer name: 3-vector}``; the other F layers keep the stack's directions.
    current_direction : array_like, shape (3,)
        Direction of the current in the frame of the layer directions: the stack normal
        :data:`CPP_CURRENT` = e_x by default (change it only if your directions use another frame).
    model : {"auto", "two-channel", "noncollinear"}
        GMR solver: ``"auto"`` takes the two-channel model for collinear magnetizations and the
        noncollinear one otherwise.

    Returns
    -------
    AmrStackResistance
        ``R = R_eq + R_ne`` with ``R_eq = R_eq0 + R_amr`` (AMR additive) and ``R_ne`` from the solver
        on the AMR-modified stack (β and L fixed; see the module docstring for the approximation).
    """
    model = check_choice("model", model, ["auto", "two-channel", "noncollinear"])
    if not isinstance(stack, Stack):
        raise ParameterError("stack", type(stack).__name__, "a thermokinetic.transport.Stack")
    J = stack.current_density
    if not abs(J) >= 1e-6:
        raise ParameterError("current_density", J, "|current_density| >= 1e-6 A/m^2 (R = delta V / J; the "
                             "resistance does not depend on J in this linear model)")
    ratios = _amr_ratios(stack, amr)
    plain = with_amr(stack, 0.0, directions, current_direction)
    modified = with_amr(stack, ratios, directions, current_direction)
    m = model if model != "auto" else ("two-channel" if _is_collinear(modified) else "noncollinear")
    R_eq, R_ne = _solve_R(modified, m)
    if all(a.sigma_up == b.sigma_up and a.sigma_dn == b.sigma_dn for a, b in zip(modified.layers, plain.layers)):
        R_eq0, R_ne0 = R_eq, R_ne  # no conductivity changed: the same stack
    else:
        R_eq0, R_ne0 = _solve_R(plain, m)
    cos2, rho, R_amr = {}, {}, 0.0
    for ly in plain.layers:
        if ly.kind != "F":
            continue
        c2 = amr_cos2(ly.direction, current_direction)
        rt = 1.0 / (ly.sigma_up + ly.sigma_dn)
        cos2[ly.name] = c2
        rho[ly.name] = rt * (1.0 + ratios[ly.name] * c2)
        if not ly.is_lead:
            R_amr += ly.thickness * rt * ratios[ly.name] * c2
    return AmrStackResistance(R=R_eq + R_ne, R_eq=R_eq, R_eq0=R_eq0, R_amr=R_amr, R_ne=R_ne, R_ne0=R_ne0,
                              cos2=cos2, resistivity=rho, model=m, stack=modified)
