r"""Couplers: from spin transport to the spin-transfer field X(u; J) on Σ and its potentials Φ, χ.

Reduced form (seed 002, Eq. 21–24; :mod:`thermokinetic.units`)
--------------------------------------------------------------
With U, Φ, χ in kT and time in τ_N the drift of the magnetization direction u is

.. math:: \dot u = -\tfrac12 ∇_Σ(U - χ/α) + \tfrac{1}{2α}\, u × ∇_Σ(U + Φ),

so the spin-transfer part is ``u̇_st = X / (2α)`` with the tangent field (seed 002, Eq. 22)

.. math:: \mathbf X(u) = \mathbf u × ∇_Σ Φ + ∇_Σ χ \qquad [\mathrm{kT\ per\ radian}].

Every coupler returns X **per unit of its current** (:attr:`Coupler.current_unit`): the spin
accumulation and the spin currents are linear in J, hence so are X, Φ and χ, and
:func:`thermokinetic.fokker_planck.assemble` multiplies the potentials by ``current``.
:meth:`Coupler.reduced_per_si` converts a physical current density J [A/m²] into that unit.

Physical meaning of X (all couplers).  If ``T(u)`` [1/s] is the rate du/dt of the spin-transfer
torque *at zero damping* (the spin angular momentum absorbed by the free layer per unit time,
divided by its total spin, seed 000 §5), seed 002 Eq. 21/24 multiplies it by the Landau–Lifshitz
factor ``L_F ∝ 1/(1+α²)`` like every other force, and the reduced field is

.. math:: \mathbf X = \frac{M_s v}{γ k T}\,\mathbf T(u)
          \quad\Big(\text{check: } \dot u_{st} = \frac{X}{2α τ_N} = \frac{\mathbf T}{1+α^2}\Big).

For a torque that transfers the spin angular momentum ``(ħ/2e) I τ̂(u)`` per unit time (τ̂ the
absorbed spin current per unit charge current, I = J A), the free layer's total spin ``M_s v/γ``
turns at ``T = γ ħ I τ̂ / (2e M_s v)`` and γ cancels: ``X = j τ̂(u)`` with the **reduced torque
current**

.. math:: j = \frac{\hbar I}{2 e\, k T},\qquad I = J A,

the spin-transfer energy ħI/2e in kT, whatever the gyromagnetic ratio of the magnet (an earlier
version wrote the transferred moment as μ_B per electron, j = μ_B I/(γ e kT), which is g/2 = 1.0012
times too small with the free-electron γ: found by the device test of the Co/Cu pillar's critical
current against the closed form J_c = e μ0 M_s d α (H₁ + H₂)/(ħ η)).  It depends on the
cross-section A, not on M_s or d.  :class:`SlonczewskiCoupler`, :class:`CosineCoupler` and
:class:`DiffusiveTorqueCoupler` use this unit.  Seed 000 writes the torque into the *Gilbert* form, which produces in addition the
field-like term ``α u × T/(1+α²)``; for the Slonczewski coupler that is exactly ``field_like = α``
(tested), negligible for α ≪ 1.

Current sign convention (:data:`thermokinetic.units.CURRENT_SIGN_CONVENTION`): **J > 0 means
electrons flow from the fixed polarizing layer into the free layer**, which favours parallel
alignment: every coupler here gives, for J > 0 and its default parameters, a χ that is largest at
u = p (the polarizer), i.e. lowers U − Jχ/α at the parallel well.

The two readings of the spin-transfer term (a modelling choice the seeds leave open)
---------------------------------------------------------------------------------
* **Field form (default; seed 002 Eq. 21–24).**  Eq. 21 writes the spin-transfer flux as
  ``ρ^F v L_F X``: X acts like a field, its flux scales with the density,
  ``J_FP = ρ (v_0 + J X/2α) − ½∇ρ``.  This is what :func:`thermokinetic.fokker_planck.assemble`
  builds from ``phi``/``chi`` = :func:`thermokinetic.fokker_planck.coupled.generator_potentials`.  In the axial case the
  stationary density is ``∝ e^{−(U − Jχ/α)}``.
* **Flux form (option; seed 001's "current-dependent diffusion").**  The cross-coefficient of
  Eq. 20 couples the ferromagnetic flux directly to the spin-pumping force, independently of ρ:
  ``J_FP = ρ v_0 − ½∇ρ + J g(u)`` with ``g = ρ̄ X / (2α)``, ``ρ̄ = 1/4π`` (normalized so that both
  forms agree for the uniform density).  Then ``A dρ/dt = Q_0 ρ + J b`` with the ρ-independent
  source ``b = −(face divergence of g)`` (:func:`thermokinetic.fokker_planck.coupled.flux_form_source`,
  ``Σ b = 0`` exactly) and the stationary state solves ``Q_0 ρ = −J b``
  (:func:`thermokinetic.fokker_planck.coupled.stationary_flux_form`).  At U = 0 it is
  ``ρ̄(1 + J(χ − χ̄)/α)``, exactly the first order of the field form's ``e^{Jχ/α}/Z``; the two forms
  differ at O(J²) and wherever ρ is far from uniform (barriers).  The flux form is a linear-response
  model: it can make ρ negative at large J (``stationary_flux_form`` reports ``min_density``).

Longitudinal and transverse couplers (seed 002 Eq. 20 integrated over the free layer)
------------------------------------------------------------------------------------
Eq. 20 couples the flux on Σ to the spin-pumping force ``−(1/e)∂_xΔμ``.  The cross-coefficient
l∥ is a property of the ferromagnet (it couples its magnetization), so it vanishes outside the free
layer [x_L, x_R]; integrating over the volume (Eq. 21) leaves

.. math:: \int_{x_L}^{x_R} -∂_xΔμ\,dx = Δμ(x_L^+) - Δμ(x_R^-) \equiv D_∥(u)

(the same reason β must stay inside the integral of Eq. 12, see
:mod:`thermokinetic.transport.two_channel`; taken outside, the integral over a zone where Δμ
vanishes at both ends would be zero).  Δμ is the longitudinal accumulation **in the free layer's
own frame** (majority − minority of the free layer).  The seed writes the result as the θ-component
of X; read literally (X_θ ∝ D(u), X_φ = 0) this is not a tangent field — D does not vanish at the
poles of Σ where e_θ is undefined.  We use the thermodynamically consistent reading: the cross term
adds the spin-pumping energy ``e D_∥(u)`` to the ferromagnetic chemical potential conjugate to the
dissipative flux, so its force is a Σ-gradient and

.. math:: \mathbf X_∥ = ∇_Σ χ_∥,\qquad χ_∥(u) = l_∥\, \frac{e\,D_∥(u)}{kT},\qquad Φ_∥ = 0,

with ``l_∥`` dimensionless (the seed's cross-coefficient integrated over the free layer's
cross-section; extensive in the area; its sign is a material property, l∥ > 0 is the ordinary
"spin transfer" sign: the free layer is pulled towards a large majority accumulation).  For the
two collinear solvers only P and AP are solvable; the angle enters through the projection of the
polarizer's accumulation on u, to first order linear in cos θ:
``D_∥(θ) = ½(D_P + D_AP) + ½(D_P − D_AP) cos θ`` (exact at θ = 0, π; compared with the exact
noncollinear angular dependence in the tests).  ``solver="noncollinear"`` uses the seed-004 solution
μs·u at both ends of the free layer for every u (exact angular dependence, strong ferromagnets).
Then ``∇χ_∥ = −l∥(e/kT) D'(cos θ) sin θ e_θ``: a Slonczewski-like sin θ damping-like torque.

Transverse: Eq. 20, row 1 couples the precessional (e_φ) flux to ``−(1/e)∂_xΔμ_⊥``.  The
transverse accumulation is a tangent vector (⊥ u); its integral over the free layer
``D_⊥(u) = Δμ_⊥(x_L^+) − Δμ_⊥(x_R^-)`` acts as a precession field, ``X_⊥ = l_⊥ (e/kT) u × D_⊥(u)``.
D_⊥ comes from one transport model: the noncollinear solver in which every F layer keeps a transverse
accumulation decaying over its λ⊥ (Eq. 13–15; ``Layer.l_perp``).  Its limit λ⊥ → 0 is seed 004's
instant absorption, where Δμ⊥ vanishes in a ferromagnet: the transverse spin current is then all
torque (:class:`DiffusiveTorqueCoupler`) and X⊥ = 0.  (Until this version D_⊥ was obtained by
re-injecting the current absorbed in the seed-004 solution into a separate Eq. 13–15 channel, which
counted the transverse physics twice.)
"""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .dynamics import Drift
from .errors import ParameterError, check_choice, check_finite, check_positive, check_unit_vector
from .units import E_CHARGE, HBAR, KB, MU_B

__all__ = [
    "MU_B",
    "Coupler",
    "CosineCoupler",
    "SlonczewskiCoupler",
    "LongitudinalCoupler",
    "TransverseCoupler",
    "DiffusiveTorqueCoupler",
    "BallisticCoupler",
    "torque_current_per_si",
    "FORMS",
]

FORMS = ("field", "flux")
TORQUE_CURRENT_UNIT = "reduced torque current j = hbar I / (2 e kT) (I = J A)"


def _check_T(T) -> float:
    return check_positive("T (temperature, K)", T)


def torque_current_per_si(T: float, area: float) -> float:
    r"""Reduced torque current j per unit current density: ``j/J = ħ A / (2 e k T)`` [m²/A].

    Parameters
    ----------
    T : float
        Temperature [K] (> 0).
    area : float
        Cross-section A of the free layer (the current I = J A) [m²] (> 0).
    """
    T = _check_T(T)
    area = check_positive("area (m^2)", area)
    return HBAR * area / (2.0 * E_CHARGE * KB * T)


def _as_directions(u) -> np.ndarray:
    u = np.asarray(u, dtype=float)
    if u.ndim == 0 or u.shape[-1] != 3 or not np.all(np.isfinite(u)):
        raise ParameterError("u", f"array of shape {np.shape(u)}", "finite directions of shape (..., 3)")
    n = np.linalg.norm(u, axis=-1, keepdims=True)
    if np.any(n == 0):
        raise ParameterError("u", "a zero vector", "non-zero directions")
    return u / n


def _tangent(u, v):
    return v - np.sum(u * v, axis=-1, keepdims=True) * u


# ----------------------------------------------------------------------------------------------
class Coupler:
    """Base class: a spin-transfer field X(u) per unit current and its Hodge potentials.

    Subclasses implement :meth:`_field` (tangent X at unit directions, per unit current, in kT per
    radian) and may set exact potentials ``phi_callable`` / ``chi_callable`` (callables of u
    returning kT per unit current; None if unknown or identically zero).

    Attributes
    ----------
    current_unit : str
        What one unit of ``current`` means.
    polarizer : ndarray (3,)
        Direction p of the fixed polarizing layer.
    phi_callable, chi_callable : callable or None
        Exact potentials where known in closed form (up to an additive constant).
    """

    current_unit: str = "reduced"
    phi_callable = None
    chi_callable = None
    #: True when Φ ≡ 0 exactly (purely dissipative coupler), resp. χ ≡ 0.
    phi_is_zero: bool = False
    chi_is_zero: bool = False

    def __init__(self, polarizer):
        self.polarizer = check_unit_vector("polarizer", polarizer)
        self._cache: dict = {}

    # -- field -------------------------------------------------------------------------------
    def _field(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def field(self, u) -> np.ndarray:
        """Tangent spin-transfer field X(u) per unit current [kT/rad], shape of ``u``.

        ``u`` is any (..., 3) array of directions (normalized here).
        """
        U = _as_directions(u)
        shape = U.shape
        X = np.asarray(self._field(U.reshape(-1, 3)), dtype=float).reshape(shape)
        return _tangent(U, X)

    def velocity(self, u, current: float, alpha) -> np.ndarray:
        """Spin-transfer drift ``g · current · X(u)`` in 1/τ_N (field form, seed 002 Eq. 21–24).

        ``g`` is the gyrotropic coefficient of the Onsager block (:class:`thermokinetic.dynamics.Drift`;
        1/(2α) for a Gilbert damping α given as a number).
        """
        current = check_finite("current", current)
        return current * Drift.of(alpha).gyrotropic * self.field(u)

    # -- units -------------------------------------------------------------------------------
    def reduced_per_si(self, *args, **kw) -> float:  # pragma: no cover - abstract
        """Units of ``current`` per A/m² (see the subclass)."""
        raise NotImplementedError

    def reduced_current(self, J: float, *args, **kw) -> float:
        """The ``current`` amplitude for a physical current density J [A/m²]."""
        return check_finite("J (A/m^2)", J) * self.reduced_per_si(*args, **kw)


class _TorqueUnit:
    current_unit = TORQUE_CURRENT_UNIT

    def reduced_per_si(self, T: float, area: float) -> float:
        """j per A/m² at temperature ``T`` [K] for cross-section ``area`` [m²] (see
        :func:`torque_current_per_si`).  Φ and χ scale as 1/kT."""
        return torque_current_per_si(T, area)


# ----------------------------------------------------------------------------------------------
class CosineCoupler(_TorqueUnit, Coupler):
    r"""The reduced form ``χ = c_χ (u·p)``, ``Φ = c_Φ (u·p)`` (kT per unit current).

    ``X = c_χ p_⊥ + c_Φ u × p`` with ``p_⊥ = p − (u·p)u``: a constant-efficiency damping-like
    (c_χ) and field-like (c_Φ) torque.  With p = e_z this is the CLI's ``chi_cos``/``phi_cos``;
    in the axial case χ = c cos θ acts like an extra axial field h → h + c/(2σα).

    Parameters
    ----------
    chi, phi : float
        c_χ, c_Φ [kT per unit current] (finite).
    polarizer : 3-vector
        p (default e_z).
    """

    def __init__(self, chi: float = 0.0, phi: float = 0.0, polarizer=(0.0, 0.0, 1.0)):
        super().__init__(polarizer)
        self.c_chi = check_finite("chi", chi)
        self.c_phi = check_finite("phi", phi)
        p = self.polarizer
        self.chi_callable = (lambda u: self.c_chi * (np.asarray(u) @ p)) if self.c_chi else None
        self.phi_callable = (lambda u: self.c_phi * (np.asarray(u) @ p)) if self.c_phi else None
        self.chi_is_zero = self.c_chi == 0
        self.phi_is_zero = self.c_phi == 0

    def _field(self, u):
        p = self.polarizer
        return self.c_chi * _tangent(u, np.broadcast_to(p, u.shape)) + self.c_phi * np.cross(u, p)


class SlonczewskiCoupler(_TorqueUnit, Coupler):
    r"""Slonczewski torque with ``η(θ) = q/(A + B cos θ)`` (seed 000 §5) and an optional field-like term.

    Per unit reduced torque current j (:data:`TORQUE_CURRENT_UNIT`; j > 0: electrons flow from the
    polarizer into the free layer)

    .. math:: \mathbf X(u) = η(θ)\,[\,\mathbf p - (\mathbf u·\mathbf p)\mathbf u
              + b\,\mathbf u × \mathbf p\,],\qquad \cos θ = \mathbf u·\mathbf p .

    In SI: ``du/dt = T/(1+α²)`` with the seed-000 torque ``T = −η μ_B J/(e d M_s) u × (u × p)``
    (``u×(u×p) = −p_⊥``), i.e. the damping-like torque pulls u towards p for J > 0.
    Seed 000 inserts T into the Gilbert equation, which adds ``α u × T/(1+α²)``: use
    ``field_like = b + α`` to reproduce that form exactly.

    Exact potentials (derivation: ∇_Σ f(u·p) = f'(u·p) p_⊥, so ∇χ = η p_⊥ needs χ' = η)

    .. math:: χ(u) = \int η\, dc = \frac{q}{B}\ln(A + B\cos θ)\ (B ≠ 0),\quad \frac{q}{A}\cos θ\ (B = 0),
              \qquad Φ = b\,χ

    (``u × ∇Φ = b η u × p_⊥ = b η u × p``).  χ is largest at u = p for q/A > 0: J > 0 favours
    the parallel state.

    Parameters
    ----------
    polarizer : 3-vector
        p, direction of the fixed layer's magnetization.
    q, A, B : float
        Constants of η (dimensionless); ``|A| > |B|`` so that η is finite for every θ.
        Slonczewski's symmetric valve with polarization P: :meth:`from_polarization`.
    field_like : float
        b, ratio of the field-like to the damping-like torque (dimensionless).
    """

    def __init__(self, polarizer=(0.0, 0.0, 1.0), q: float = 1.0, A: float = 1.0, B: float = 0.0,
                 field_like: float = 0.0):
        super().__init__(polarizer)
        self.q = check_finite("q", q)
        self.A = check_finite("A", A)
        self.B = check_finite("B", B)
        self.b = check_finite("field_like", field_like)
        if not abs(self.A) > abs(self.B):
            raise ParameterError("A, B", (self.A, self.B), "|A| > |B| (η = q/(A + B cos θ) must be "
                                 "finite for every angle)")
        p = self.polarizer
        self.chi_callable = self._chi_of
        self.phi_callable = (lambda u: self.b * self._chi_of(u)) if self.b else None
        self.phi_is_zero = self.b == 0
        self.chi_is_zero = self.q == 0
        self._p = p

    @classmethod
    def from_polarization(cls, P: float, polarizer=(0.0, 0.0, 1.0), field_like: float = 0.0):
        r"""Slonczewski (1996) symmetric valve: ``η = [−4 + (1+P)³(3 + cos θ)/(4 P^{3/2})]^{-1}``.

        q = 1, A = −4 + 3(1+P)³/(4P^{3/2}), B = (1+P)³/(4P^{3/2}); P ∈ (0, 1).
        """
        from .errors import check_range

        P = check_range("P (polarization)", P, 0, 1, lo_open=True, hi_open=True)
        k = (1 + P) ** 3 / (4 * P**1.5)
        return cls(polarizer, q=1.0, A=-4 + 3 * k, B=k, field_like=field_like)

    @classmethod
    def from_tmr(cls, tmr: float, polarizer=(0.0, 0.0, 1.0), field_like: float = 0.0):
        r"""Magnetic tunnel junction: ``η = P/(1 + P² cos θ)`` (Slonczewski, Phys. Rev. B 39, 6995 (1989);
        PRB 71, 024411 (2005)) with the polarization from the tunnel magnetoresistance by Jullière's
        formula for two equal electrodes, ``TMR = 2P²/(1 − P²)`` ⟹ ``P = √(TMR/(2 + TMR))``.

        q = P, A = 1, B = P²; ``tmr`` is the ratio (R_AP − R_P)/R_P (1.2 for 120 %), > 0.
        """
        from .errors import check_range

        tmr = check_range("TMR", tmr, 0, 1e3, lo_open=True)
        P = math.sqrt(tmr / (2 + tmr))
        return cls(polarizer, q=P, A=1.0, B=P * P, field_like=field_like)

    def eta(self, cos_theta) -> np.ndarray:
        """η(θ) = q/(A + B cos θ) (dimensionless)."""
        c = np.asarray(cos_theta, dtype=float)
        return self.q / (self.A + self.B * c)

    def _chi_of(self, u):
        c = np.clip(np.asarray(u, dtype=float) @ self._p, -1.0, 1.0)
        if self.B == 0:
            return self.q * c / self.A
        return (self.q / self.B) * np.log(np.abs(self.A + self.B * c))

    def _field(self, u):
        p = self._p
        c = u @ p
        eta = self.eta(c)[:, None]
        return eta * (_tangent(u, np.broadcast_to(p, u.shape)) + self.b * np.cross(u, p))

    def torque_magnitude(self, theta) -> np.ndarray:
        """|damping-like X| = η(θ) sin θ per unit j (θ in radians)."""
        th = np.asarray(theta, dtype=float)
        return self.eta(np.cos(th)) * np.abs(np.sin(th))


# ----------------------------------------------------------------------------------------------
# stacks: free layer and polarizer
def _select_free_and_polarizer(names, is_f, free, polarizer, *, free_name="free", free_required=False):
    """Indices (free, polarizer) among layers ``names`` whose F flags are ``is_f`` (validated).

    ``free``/``polarizer`` are layer names or indices; by default the free layer is the last F layer
    (unless ``free_required``) and the polarizer the F layer nearest to it.
    """
    fidx = [i for i, m in enumerate(is_f) if m]
    if not fidx:
        raise ParameterError("stack", "no F layer", "a stack with a free F layer and a polarizing F layer")

    def index_of(v, what):
        if isinstance(v, str):
            if v not in names:
                raise ParameterError(what, v, f"one of the layer names {names}")
            return names.index(v)
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 0 <= v < len(names):
            raise ParameterError(what, v, f"a layer name or an index in [0, {len(names) - 1}]")
        return int(v)

    if free is None and free_required:
        raise ParameterError(free_name, None, f"the index or name of an F layer, one of {[names[i] for i in fidx]}")
    f = fidx[-1] if free is None else index_of(free, free_name)
    if not is_f[f]:
        raise ParameterError(free_name, names[f], f"an F layer, one of {[names[i] for i in fidx]}")
    others = [i for i in fidx if i != f]
    if not others:
        raise ParameterError("stack (polarizer)", f"only the free layer '{names[f]}' is magnetic",
                             "a stack with a polarizing (fixed) F layer besides the free layer")
    if polarizer is None:
        pz = min(others, key=lambda i: (abs(i - f), i))
    else:
        pz = index_of(polarizer, "polarizer")
        if pz not in others:
            raise ParameterError("polarizer", names[pz], f"a fixed F layer, one of {[names[i] for i in others]}")
    return f, pz


def _free_and_polarizer(stack, free, polarizer):
    """Indices of the free layer and the polarizing F layer of an SI Stack (validated)."""
    return _select_free_and_polarizer([ly.name for ly in stack.layers], [ly.kind == "F" for ly in stack.layers],
                                      free, polarizer)


def _check_fixed_collinear(stack, f, pz):
    p = stack.layers[pz].direction
    for i, ly in enumerate(stack.layers):
        if ly.kind == "F" and i != f and abs(abs(float(np.dot(ly.direction, p))) - 1) > 1e-9:
            raise ParameterError(f"layer '{ly.name}': direction", ly.direction.tolist(),
                                 f"parallel or antiparallel to the polarizer {p.tolist()} for the "
                                 "collinear solvers", "use solver='noncollinear'")


class _StackCoupler(Coupler):
    """Common part of the couplers built on an SI Stack and a temperature."""

    def __init__(self, stack, free, polarizer, T, current_scale):
        from .transport.stack import Stack

        if not isinstance(stack, Stack):
            raise ParameterError("stack", type(stack).__name__, "a thermokinetic.transport.Stack")
        f, pz = _free_and_polarizer(stack, free, polarizer)
        super().__init__(stack.layers[pz].direction)
        self.T = _check_T(T)
        self.current_scale = check_positive("current_scale (A/m^2)", current_scale)
        self.stack = stack
        self.free = f
        self.polarizer_index = pz
        # J_coupler > 0: electrons from the polarizer into the free layer; Stack J > 0: towards +x
        self.orientation = 1.0 if pz < f else -1.0
        self.current_unit = f"{self.current_scale:g} A/m^2 (J > 0: electrons from polarizer into free layer)"

    def reduced_per_si(self) -> float:
        """``current`` per A/m² = 1/current_scale (the temperature is the coupler's ``T``)."""
        return 1.0 / self.current_scale

    def _stack_at(self, u_free, J):
        ly = self.stack.layers[self.free]
        layers = tuple(replace(ly, direction=np.asarray(u_free, float)) if i == self.free else x
                       for i, x in enumerate(self.stack.layers))
        from .transport.stack import Stack

        return Stack(layers, self.stack.interfaces, J)

    def _energy_scale(self) -> float:
        """e·(1 V)/kT at the coupler's temperature, per unit current (×current_scale)."""
        return E_CHARGE / (KB * self.T) * self.current_scale


class LongitudinalCoupler(_StackCoupler):
    r"""Longitudinal spin-accumulation coupler (seed 002 Eq. 20–23, see the module docstring).

    .. math:: χ_∥(u) = l_∥\,\frac{e\,D_∥(u)}{kT},\quad D_∥ = Δμ(x_L^+) − Δμ(x_R^-),\qquad
              \mathbf X_∥ = ∇_Σ χ_∥,\ Φ_∥ = 0,

    per unit current ``current_scale`` [A/m²] (J > 0: electrons from the polarizer into the free
    layer), Δμ = μ_maj − μ_min of the free layer [V] at its two ends (F side).

    Parameters
    ----------
    stack : thermokinetic.transport.Stack
        SI stack with a free F layer and a polarizing F layer (other fixed F layers allowed).
        The stack's own current density and free-layer direction are ignored.
    l_parallel : float
        Dimensionless cross-coefficient l∥ (finite).
    solver : {"two-channel", "four-channel", "noncollinear"}
        Collinear solvers: exact P and AP solutions, cos θ interpolation between them.
        "noncollinear": seed-004 model, exact μs·u at both ends for every u (transparent
        interfaces; F layers' s–d and transverse parameters ignored).
    free, polarizer : str or int, optional
        Free layer (default: the last F layer) and polarizer (default: the F layer nearest to it).
    T : float
        Temperature [K] (> 0); χ is in units of this kT.
    current_scale : float
        One unit of ``current`` in A/m² (default 1e11).
    """

    def __init__(self, stack, l_parallel: float, solver: str = "two-channel", *, free=None,
                 polarizer=None, T: float = 300.0, current_scale: float = 1e11):
        super().__init__(stack, free, polarizer, T, current_scale)
        self.l_parallel = check_finite("l_parallel", l_parallel)
        #: where l∥ came from (given by the user, or :meth:`matched` to the stack)
        self.l_parallel_source = "given"
        self.solver = check_choice("solver", solver, ["two-channel", "four-channel", "noncollinear"])
        self.phi_is_zero = True
        if self.solver == "noncollinear":
            from .transport.noncollinear import layers_from_stack

            self._nc_layers = layers_from_stack(self._stack_at(self.polarizer, 1.0))
            self.D_P = float(self.accumulation_drop(np.array([self.polarizer]))[0])
            self.D_AP = float(self.accumulation_drop(np.array([-self.polarizer]))[0])
        else:
            f, pz = self.free, self.polarizer_index
            _check_fixed_collinear(stack, f, pz)
            self.D_P = self._collinear_drop(+1)
            self.D_AP = self._collinear_drop(-1)
        c = self.l_parallel * self._energy_scale()
        self._chi_amp = c

        if self.solver != "noncollinear":
            a0, a1 = 0.5 * (self.D_P + self.D_AP), 0.5 * (self.D_P - self.D_AP)
            p = self.polarizer
            self.chi_callable = lambda u: c * (a0 + a1 * (np.asarray(u, float) @ p))

    @classmethod
    def matched(cls, stack, *, area: float, solver: str = "two-channel", free=None, polarizer=None,
                T: float = 300.0, current_scale: float = 1e11) -> "LongitudinalCoupler":
        r"""This coupler with l∥ taken from the stack instead of given: the value at which its damping-like
        torque at 90° from the polarizer equals the absorbed spin current of the same stack
        (:class:`DiffusiveTorqueCoupler`, the seed-004 solution with the stack's interfaces), i.e. the
        damping-like component of the Onsager cross-coefficient ``c u × τ̂`` of
        :meth:`DiffusiveTorqueCoupler.onsager_system`:

        .. math:: l_∥ = rac{\hbar A}{2 e^2}\,rac{\hat τ(90°)·p}{∂_θ D_∥(90°)·(−1)},

        dimensionless (ħA/e² per V per A/m²), extensive in the cross-section A [m²] (4.4e4 for the 150 × 50 nm
        Co/Cu/Co pillar of ``cases/stack_cocu_pillar.toml``, two-channel solver).  Only the 90° value is
        matched: the angular shapes of the two models differ (the collinear solvers interpolate D∥ in
        cos θ; the absorbed spin current is Slonczewski-like), so the torques agree exactly at 90° only;
        :attr:`l_parallel_source` says so.
        """
        from .transport.stack import Stack

        area = check_positive("area (m^2)", area)
        probe = cls(stack, 1.0, solver, free=free, polarizer=polarizer, T=T, current_scale=current_scale)
        if not isinstance(stack, Stack):  # pragma: no cover - the constructor already refused it
            raise ParameterError("stack", type(stack).__name__, "a Stack")
        p = probe.polarizer
        u90 = _perpendicular(p)
        x1 = float(probe.field(u90[None])[0] @ p)  # damping-like component per unit current at l∥ = 1
        diff = DiffusiveTorqueCoupler(stack, probe.free, polarizer=probe.polarizer_index)
        xd = float(diff.field(u90[None])[0] @ p) * torque_current_per_si(T, area) * probe.current_scale
        if not (np.isfinite(x1) and abs(x1) > 0):
            raise ParameterError("stack", "no longitudinal accumulation drop across the free layer",
                                 "a stack whose longitudinal coupler has a damping-like torque at 90 deg")
        out = cls(stack, xd / x1, solver, free=free, polarizer=polarizer, T=T, current_scale=current_scale)
        out.l_parallel_source = (f"matched to the seed-004 absorbed spin current of the stack at 90 deg "
                                 f"(area {area:.4g} m^2)")
        return out

    def _collinear_drop(self, s: int) -> float:
        """D∥ [V per A/m²] with the free layer parallel (s=+1) or antiparallel (s=−1) to p."""
        from .transport.four_channel import solve_four_channel
        from .transport.two_channel import solve_two_channel

        st = self._stack_at(s * self.polarizer, self.orientation)
        res = (solve_two_channel if self.solver == "two-channel" else solve_four_channel)(st)
        axis, signs = st.collinear_signs()
        acc = res.interface_accumulation()
        f = self.free
        sf = signs[f]
        left = acc[f - 1]["dmu_right"]  # F side of the free layer's left interface
        right = acc[f]["dmu_left"]
        # Δμ in the global frame (axis = first F layer); free-layer frame: × its sign
        return float(sf * (left - right))  # the stack was solved at J = orientation: per unit coupler current

    def accumulation_drop(self, u) -> np.ndarray:
        """D∥(u) = Δμ(x_L) − Δμ(x_R) in the free layer's frame [V per A/m²], shape u.shape[:-1]."""
        U = _as_directions(u)
        if self.solver == "noncollinear":
            from .transport.noncollinear import free_layer_torque

            tt = free_layer_torque(self._nc_layers, self.free, U, j0=self.orientation)
            return tt.mu_parallel[..., 0] - tt.mu_parallel[..., 1]
        c = U @ self.polarizer
        return 0.5 * (self.D_P + self.D_AP) + 0.5 * (self.D_P - self.D_AP) * c

    def chi_values(self, u) -> np.ndarray:
        """χ∥(u) [kT per unit current]."""
        return self._chi_amp * self.accumulation_drop(u)

    def _field(self, u):
        if self.solver != "noncollinear":
            a1 = 0.5 * (self.D_P - self.D_AP) * self._chi_amp
            return a1 * _tangent(u, np.broadcast_to(self.polarizer, u.shape))
        # ∇_Σ χ by central differences along two tangent directions (χ is smooth; error ~1e-10)
        e1, e2 = _frames(u)
        h = 1e-4
        g = np.zeros_like(u)
        for e in (e1, e2):
            up = np.cos(h) * u + np.sin(h) * e
            um = np.cos(h) * u - np.sin(h) * e
            d = (self.chi_values(up) - self.chi_values(um)) / (2 * h)
            g += d[:, None] * e
        return g


def _perpendicular(p) -> np.ndarray:
    """A unit vector at 90° from the unit vector p (along the axis least aligned with it)."""
    e = np.eye(3)[int(np.argmin(np.abs(p)))]
    v = e - np.dot(e, p) * p
    return v / np.linalg.norm(v)


def _frames(u):
    ref = np.where(np.abs(u[:, [0]]) < 0.9, np.array([[1.0, 0, 0]]), np.array([[0, 1.0, 0]]))
    e1 = _tangent(u, ref)
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    return e1, np.cross(u, e1)


class TransverseCoupler(_StackCoupler):
    r"""Transverse spin-accumulation coupler (seed 002 Eq. 13–15, 20 row 1; module docstring).

    .. math:: \mathbf X_⊥(u) = l_⊥\,\frac{e}{kT}\,\mathbf u × \mathbf D_⊥(u),\qquad
              \mathbf D_⊥ = Δμ_⊥(x_L^+) − Δμ_⊥(x_R^-),

    with ``Δμ⊥`` the spin accumulation perpendicular to u at the two ends of the free layer [V per
    A/m²], from **one** transport model: the noncollinear solver with a finite transverse length λ⊥
    in every F layer (:func:`~thermokinetic.transport.noncollinear.layers_from_stack` with
    ``transverse="finite"``; λ⊥ = √(σ⊥/L⊥) from each F layer's ``transverse`` table).  The same
    solution gives the transverse spin current absorbed inside the free layer, the torque of
    :class:`DiffusiveTorqueCoupler` with ``transverse="finite"``.  In the instant-absorption limit
    λ⊥ → 0 (seed 004) Δμ⊥ vanishes inside a ferromagnet and so does X⊥: the transverse physics is
    either absorbed at the interfaces or accumulated over λ⊥, never counted twice.  Mostly
    precessional (Φ ≈ l⊥ (e/kT) r μ cos θ).

    Parameters
    ----------
    stack : Stack
        Every F layer needs transverse parameters (σ⊥ and L⊥/l⊥/τ⊥); transparent interfaces.
    l_perp : float
        Dimensionless cross-coefficient l⊥.
    free, polarizer, T, current_scale
        As in :class:`LongitudinalCoupler`.
    """

    def __init__(self, stack, l_perp: float, *, free=None, polarizer=None, T: float = 300.0,
                 current_scale: float = 1e11):
        super().__init__(stack, free, polarizer, T, current_scale)
        self.l_perp = check_finite("l_perp", l_perp)
        #: where l⊥ came from (given by the user, or :meth:`matched` to the stack)
        self.l_perp_source = "given"
        from .transport.noncollinear import layers_from_stack

        self._nc_layers = layers_from_stack(self._stack_at(self.polarizer, 1.0), transverse="finite")
        self._amp = self.l_perp * self._energy_scale()

    @classmethod
    def matched(cls, stack, *, area: float, free=None, polarizer=None, T: float = 300.0,
                current_scale: float = 1e11) -> "TransverseCoupler":
        r"""This coupler with l⊥ taken from the stack: the value at which its field-like torque at 90° from the
        polarizer (along u × p) equals the field-like part of the same stack's absorbed spin current
        (:class:`DiffusiveTorqueCoupler` with ``transverse="finite"``, the same transport model).

        In that model the transverse accumulation decays over a real λ⊥ without precessing, so the
        absorbed spin current has no field-like part and **l⊥ = 0** (measured on the Co/Cu/Co valve with
        λ⊥ = 1 nm: a field-like component 0 to rounding, the damping-like one 0.10): the precession field
        ``l⊥ (e/kT) u × D⊥`` of this coupler is not supported by the transport solution; a field-like torque
        of an actual stack comes from Im G_mix (:class:`DiffusiveTorqueCoupler`).  The value is returned
        as computed (rounding, of order 1e-16 of the damping-like scale, is not set to zero).
        """
        area = check_positive("area (m^2)", area)
        probe = cls(stack, 1.0, free=free, polarizer=polarizer, T=T, current_scale=current_scale)
        p = probe.polarizer
        u90 = _perpendicular(p)
        n = np.cross(u90, p)
        x1 = float(probe.field(u90[None])[0] @ n)  # field-like component per unit current at l⊥ = 1
        if not (np.isfinite(x1) and abs(x1) > 0):
            raise ParameterError("stack", "no transverse accumulation drop across the free layer",
                                 "a stack whose transverse coupler has a field-like torque at 90 deg")
        diff = DiffusiveTorqueCoupler(stack, probe.free, polarizer=probe.polarizer_index, transverse="finite",
                                      transparent_interfaces=True)
        xd = float(diff.field(u90[None])[0] @ n) * torque_current_per_si(T, area) * probe.current_scale
        out = cls(stack, xd / x1, free=free, polarizer=polarizer, T=T, current_scale=current_scale)
        out.l_perp_source = f"matched to the field-like absorbed spin current of the stack at 90 deg (area {area:.4g} m^2)"
        return out

    def accumulation_drop(self, u) -> np.ndarray:
        """``D⊥(u) = Δμ⊥(x_L^+) − Δμ⊥(x_R^-)`` across the free layer [V per A/m²], shape of ``u``."""
        from .transport.noncollinear import solve_batch

        U = _as_directions(u)
        res = solve_batch(self._nc_layers, {self.free: U}, j0=self.orientation)
        f, n = self.free, len(self._nc_layers)
        D = np.zeros(U.shape)
        if f > 0:
            D += res["mu"][..., f - 1, :]
        if f < n - 1:
            D -= res["mu"][..., f, :]
        return _tangent(U, D)

    def _field(self, u):
        return self._amp * np.cross(u, self.accumulation_drop(u))


class DiffusiveTorqueCoupler(_TorqueUnit, Coupler):
    r"""Seed-004 diffusive spin-transfer torque on the free layer, for every direction u.

    ``X(u) = τ̂(u)``, the spin current absorbed by the free layer (sum of the jumps of js at its
    interfaces, :func:`thermokinetic.transport.noncollinear.free_layer_torque`) per unit particle
    current flowing from the polarizer into the free layer, per unit reduced torque current j
    (:data:`TORQUE_CURRENT_UNIT`).  τ̂ is in the magnetization frame (↑ = majority), so it rotates u
    towards the absorbed spin: for j > 0 towards the polarizer (seed 004 Eq. 1, g2 > 0).

    Interfaces (magnetoelectronic circuit theory, :mod:`thermokinetic.transport.noncollinear`): a
    stack's interface resistances ``r_maj, r_min`` [Ω m²] enter as the channel conductances
    ``G↑ = 1/r_maj``, ``G↓ = 1/r_min``, and its mixing conductances ``G_mix_re, G_mix_im`` [S/m²] as
    the transverse boundary condition: at the free layer's interface with a normal metal whose
    accumulation is μ_N,

    .. math:: \hat τ = \mathrm{Re}\,G_{mix}\, u × (μ_N × u) + \mathrm{Im}\,G_{mix}\, μ_N × u
              \quad\text{(per unit current, summed over the free layer's interfaces)},

    damping-like (Re) and field-like (Im: a precession about μ_N).  Without ``G_mix`` keys the
    mixing conductance is infinite: the transverse spin current is absorbed at the interface, as
    in seed 004; the stack does not say more (its ``r_b, γ`` are collinear data), and the infinite
    value is the one limit that needs no estimate — the resistances then change the torque through
    the longitudinal accumulation only.  Give ``G_mix_re`` (e.g. first-principles values, of order
    0.5e15 S/m² for Co/Cu) to include the transverse interface resistance.

    Parameters
    ----------
    stack_or_layers : Stack or sequence of noncollinear.Layer
        SI stack (mapped with :func:`~thermokinetic.transport.noncollinear.layers_from_stack` and
        :func:`~thermokinetic.transport.noncollinear.interfaces_from_stack`) or the seed's reduced
        layers.
    free_index : int or str
        The free F layer.
    polarizer : int or str, optional
        The polarizing F layer (default: the F layer nearest to the free one); it fixes the sign.
    transverse : {"absorb", "finite"}
        For a Stack: the transverse spin current is absorbed at the interfaces (``"absorb"``, seed
        004, default) or decays over each F layer's λ⊥ (``"finite"``; the torque then includes
        the part absorbed inside the free layer).  Reduced layers carry it themselves
        (``Layer.l_perp``).
    transparent_interfaces : bool
        False (default): use the stack's interface resistances and mixing conductances (or the
        reduced ``interfaces``).  True: drop them explicitly (seed 004's transparent interfaces).
    interfaces : sequence of noncollinear.Interface or None, optional
        With reduced layers only: their interfaces (``len(layers) − 1`` entries, None = transparent).
        A Stack carries its own.
    """

    def __init__(self, stack_or_layers, free_index, *, polarizer=None, transverse: str = "absorb",
                 transparent_interfaces: bool = False, interfaces=None):
        from .transport.noncollinear import Layer as NcLayer
        from .transport.noncollinear import _check_interfaces, interfaces_from_stack, layers_from_stack
        from .transport.stack import Stack

        if not isinstance(transparent_interfaces, (bool, np.bool_)):
            raise ParameterError("transparent_interfaces", transparent_interfaces, "True or False")
        if isinstance(stack_or_layers, Stack):
            if interfaces is not None:
                raise ParameterError("interfaces", "given", "absent with a Stack (its interfaces are used)")
            f, pz = _free_and_polarizer(stack_or_layers, free_index, polarizer)
            mode = "drop" if transparent_interfaces else "keep"
            layers = layers_from_stack(stack_or_layers, transverse=transverse, interfaces=mode)
            itfs = None if transparent_interfaces else interfaces_from_stack(stack_or_layers)
        else:
            if transverse != "absorb":
                raise ParameterError("transverse", transverse, "'absorb' with reduced layers (give the "
                                     "layers a finite l_perp instead)")
            layers = list(stack_or_layers)
            if not layers or not all(isinstance(x, NcLayer) for x in layers):
                raise ParameterError("stack_or_layers", type(stack_or_layers).__name__,
                                     "a Stack or a list of noncollinear.Layer")
            names = [x.name or f"layers[{i}]" for i, x in enumerate(layers)]
            f, pz = _select_free_and_polarizer(names, [x.is_f for x in layers], free_index, polarizer,
                                               free_name="free_index", free_required=True)
            itfs = None if transparent_interfaces else _check_interfaces(layers, interfaces)
        self.layers = layers
        self.interfaces = itfs
        self.free = f
        self.polarizer_index = pz
        self.orientation = 1.0 if pz < f else -1.0
        #: SI stack only: resistance × area of its finite layers and kept interfaces without accumulation [Ω m²]
        self.R_eq = None
        if isinstance(stack_or_layers, Stack):
            self.R_eq = sum(ly.thickness / (ly.sigma_up + ly.sigma_dn) for ly in stack_or_layers.inner) + sum(
                itf.r_eq for itf in (itfs or []) if itf is not None)
        super().__init__(np.asarray(layers[pz].m))

    def torque(self, u) -> np.ndarray:
        """τ̂(u): absorbed spin current per unit current from polarizer to free layer, (..., 3)."""
        from .transport.noncollinear import free_layer_torque

        U = _as_directions(u)
        return free_layer_torque(self.layers, self.free, U, j0=self.orientation, interfaces=self.interfaces).torque

    # -- the magnet and the stack's charge channel as one Onsager system ---------------------------
    def _require_si(self, what: str):
        if self.R_eq is None:
            raise ParameterError("stack_or_layers", "reduced layers", f"an SI Stack ({what} needs SI units)")

    def resistance_area(self, u) -> np.ndarray:
        """``R A = R_eq + R_ne(u)`` of the SI stack with the free layer along u, at rest [Ω m²]."""
        from .transport.noncollinear import free_layer_torque

        self._require_si("resistance_area")
        U = _as_directions(u)
        tab = free_layer_torque(self.layers, self.free, U, j0=self.orientation, interfaces=self.interfaces)
        return self.R_eq + np.asarray(tab.delta_r, dtype=float)

    def pumped_emf(self, u, u_dot) -> np.ndarray:
        """EMF [V] pumped into the circuit by the free layer moving with u̇ [rad/s], in the direction of this
        coupler's current (the open-circuit voltage of :func:`thermokinetic.transport.noncollinear.pumped`,
        an independent solve of the stack with the spin battery ``ħ u × u̇`` as its source)."""
        from .transport.noncollinear import pumped

        self._require_si("pumped_emf")
        U = _as_directions(u)
        Ud = np.asarray(u_dot, dtype=float)
        if Ud.shape != U.shape or not np.all(np.isfinite(Ud)):
            raise ParameterError("u_dot", f"array of shape {Ud.shape}", f"finite velocities [rad/s] of shape {U.shape}")
        V = pumped(self.layers, self.free, U, (HBAR / E_CHARGE) * np.cross(U, Ud), interfaces=self.interfaces)["voltage"]
        return self.orientation * np.asarray(V, dtype=float)

    def time_reversed(self) -> "DiffusiveTorqueCoupler":
        """The same stack with every magnetization reversed: the state at which Onsager–Casimir reciprocity
        compares the coefficients.  The mixing conductances stay: time reversal conjugates G↑↓, and reversing
        m swaps ↑ and ↓ (G↓↑ = G↑↓*), which conjugates it back (measured: negating Im G_mix as well broke the
        reciprocity of the composed system by 8e-4 at Im G_mix = 0.05e15 S/m²; keeping it, 1e-10)."""
        out = object.__new__(DiffusiveTorqueCoupler)
        out.__dict__.update(self.__dict__)
        out.layers = [replace(ly, m=tuple(-np.asarray(ly.m, float))) if ly.is_f else ly for ly in self.layers]
        Coupler.__init__(out, -np.asarray(self.polarizer, float))
        return out

    def onsager_system(self, u, *, alpha: float, T: float, area: float, tau_N: float, name: str = "magnet+stack"):
        r"""The free layer and the stack's charge channel as one Onsager system at direction u (seed 002 Eq. 20).

        Fluxes ``J_theta, J_phi`` (u̇ on :func:`~thermokinetic.onsager.tangent_basis`, rad per τ_N) and
        ``J_e`` (the current in electrons per τ_N, ``i = I τ_N/e``, positive as this coupler's current);
        conjugate forces ``X_theta, X_phi`` (−∇U, kT per rad) and ``V_e`` (``v = eV/kT``, the applied
        voltage drop along the current): ``u̇·X + i v`` is the power in kT per τ_N.  Parities −1, −1
        (magnetization), +1 (charge).  The system is assembled in the resistance (Gilbert) form, forces
        from fluxes, where each coefficient is one computation:

        .. math::

            egin{pmatrix} X \ v \end{pmatrix} =
            egin{pmatrix} L_{mm}^{-1} & -c\,\mathbf w \ \mathbf w'^{\mathsf T}\, c & R \end{pmatrix}
            egin{pmatrix} \dot u \ i \end{pmatrix},\qquad
            L_{mm} = egin{pmatrix} a & g\ -g & a\end{pmatrix},\ a = 	frac12,\ g = rac{1}{2α},

        * ``R = e² (R A)(u) / (A kT τ_N)``: the stack at rest (:meth:`resistance_area`);
        * the **torque column** ``w = u × τ̂(u)`` (:meth:`torque`), ``c = ħ/(2 kT τ_N)``: the force that
          holds the magnet still against the current's torque; a free magnet then turns at
          ``L_mm c w i = g c τ̂ i + a c (u × τ̂) i``, the field-form torque ``g j τ̂`` of this module plus
          its Gilbert companion ``α u × τ̂`` (seed 000's Gilbert equation);
        * the **pumping row** ``c w'ᵀ = −(e/kT τ_N) ∂E/∂u̇`` from the pumped EMF E (:meth:`pumped_emf`, an
          independent solve), the source the moving magnet puts in series with R.

        Reciprocity makes ``w' = w`` (the coupling is antisymmetric in this form: the current's work on
        the magnet is the magnet's work on the circuit, exchanged without dissipation), so the second
        law holds for every α; the entropy production is the magnet's damping ``u̇ᵀ sym(L_mm⁻¹) u̇`` plus the
        Joule heat ``R i²``.  The returned :class:`~thermokinetic.onsager.OnsagerSystem` holds
        ``L = (resistance matrix)⁻¹`` and ``L(−B)`` from the same construction at the time-reversed state
        (:meth:`time_reversed`: every magnetization reversed, g → −g, same basis) and is checked on construction: reciprocity then
        compares the torque and the pumping, and a mismatch is an
        :class:`~thermokinetic.onsager.OnsagerError` naming the entries.  With the current imposed,
        :class:`~thermokinetic.dynamics.Drift` of it has the bare block (a, g) and ``transfer`` =
        ``L_mm c w``; with the voltage imposed the circuit adds the (anisotropic) damping
        ``c² w wᵀ / R`` to the resistance block.

        The cross-coefficients l∥, l⊥ of Eq. 20 are the two components of ``c w``: damping-like (in the
        plane of u and the polarizer) and field-like (from Im G_mix or a finite transverse length).  In SI
        they are the torque per unit current (ħ/2e)|τ̂| [N m/A]: 6.9e-17 N m/A for the Co/Cu/Co pillar of
        ``cases/stack_cocu_pillar.toml`` at 90° (|τ̂| = 0.211), i.e. c|w| ≈ 1.6e-9 kT per rad per
        electron-per-τ_N for its free layer (τ_N = 1.7 µs at α = 0.01, 300 K).  Not included: the intrinsic spin-pumping
        enhancement of α (the backflow of the spin channels onto the magnet at rest circuit); α is the
        magnet's whole damping.

        Parameters
        ----------
        u : array_like, shape (3,)
            Free-layer direction.
        alpha : float
            Gilbert damping (> 0).
        T : float
            Temperature [K] (> 0).
        area : float
            Cross-section of the pillar [m²] (> 0).
        tau_N : float
            Time unit τ_N of the free layer [s] (> 0; :func:`thermokinetic.units.tau_N`).
        """
        from .onsager import OnsagerSystem, tangent_basis

        self._require_si("onsager_system")
        U = _as_directions(u)
        if U.shape != (3,):
            raise ParameterError("u", f"shape {U.shape}", "one direction, shape (3,)")
        alpha = check_positive("alpha", alpha)
        kT = KB * _check_T(T)
        area = check_positive("area (m^2)", area)
        tau_N = check_positive("tau_N (s)", tau_N)
        e_t, e_p = tangent_basis(U)
        basis = np.stack([e_t, e_p])
        c = HBAR / (2.0 * kT * tau_N)

        def resistance(cp, uu, g):
            Lmm = np.array([[0.5, g], [-g, 0.5]])
            w = basis @ np.cross(uu, cp.torque(uu[None])[0])
            dE = cp.pumped_emf(np.broadcast_to(uu, (2, 3)), basis)  # E per u̇ = e_θ, e_φ [V per rad/s]
            Rm = np.zeros((3, 3))
            Rm[:2, :2] = np.linalg.inv(Lmm)
            Rm[:2, 2] = -c * w
            Rm[2, :2] = -(E_CHARGE / (kT * tau_N)) * dE
            Rm[2, 2] = E_CHARGE**2 * float(cp.resistance_area(uu[None])[0]) / (area * kT * tau_N)
            return Rm

        g = 1.0 / (2.0 * alpha)
        L = np.linalg.inv(resistance(self, U, g))
        LR = np.linalg.inv(resistance(self.time_reversed(), -U, -g))
        return OnsagerSystem(["J_theta", "J_phi", "J_e"], ["X_theta", "X_phi", "V_e"], L, [-1, -1, 1], name,
                             L_reversed=LR)

    def _field(self, u):
        return self.torque(u)


class BallisticCoupler(_TorqueUnit, Coupler):
    r"""Ballistic spin-filter torque (seed 000 §III.3; :mod:`thermokinetic.transport.ballistic`).

    The free layer (direction u) is the notes' spin filter, with complex transmission/reflection
    amplitudes ``t↑, t↓, r↑, r↓`` in its own frame (↑ = majority).  The electrons reaching it come
    from the polarizer: for j > 0 (electrons flow from the polarizer into the free layer) the
    incoming beam is polarized along p with polarization P, i.e. its spin current is P times that
    of a beam fully polarized along p (the unpolarized part carries no transverse spin).  Per unit
    reduced torque current j (:data:`TORQUE_CURRENT_UNIT`), **the current being the incoming
    particle current** ``I = e × (incoming particle flux) × A``,

    .. math:: \mathbf X(u) = η_{DL}\,[\mathbf p - (\mathbf u·\mathbf p)\mathbf u]
              + η_{FL}\,\mathbf u × \mathbf p,\qquad
              η_{DL} = P(1 - \mathrm{Re}\,c),\ η_{FL} = P\,\mathrm{Im}\,c,\
              c = t_↑t_↓^* + r_↑r_↓^*,

    the transverse spin current absorbed per incoming particle in units of ħ/2 (τ̂ of the module
    docstring; independent of θ in this model).  This is the Slonczewski form with a constant η:
    ``SlonczewskiCoupler(p, q=η_DL, A=1, B=0, field_like=η_FL/η_DL)``; the ideal filter
    (``t↑ = 1, r↑ = 0, t↓ = 0``; c = 0) gives η = P (η = 1 for a fully polarized beam) and no
    field-like term; no filtering (``t↑ = t↓``, ``r↑ = r↓``, unitary) gives X = 0.  For η_DL > 0
    u is pulled towards p when j > 0.  The sign of η_FL follows ⟨σ⟩ with the usual Pauli matrices
    (the notes' printed field-like sign is the opposite; see the ballistic module).

    Exact potentials (∇_Σ(u·p) = p_⊥, u × ∇_Σ(u·p) = u × p)

    .. math:: χ(u) = η_{DL}\,(\mathbf u·\mathbf p),\qquad Φ(u) = η_{FL}\,(\mathbf u·\mathbf p).

    Normalizing per *net* (transmitted) current instead would divide by
    :meth:`transmission` ``= (T↑ + T↓)/2 + P (T↑ − T↓) cos θ/2``, which vanishes at θ = π for the
    ideal filter (the torque per unit net current then diverges); it is not offered as the unit.
    For j < 0 the field is the linear continuation −X (the Coupler convention).

    Parameters
    ----------
    polarizer : 3-vector
        p, direction of the fixed layer (the incoming beam's polarization axis).
    t_up, t_dn, r_up, r_dn : complex
        Filter amplitudes of the free layer (finite; ``|t_σ|² + |r_σ|² ≤ 1 + tol``); default:
        the ideal filter ``(1, 0, 0, 1)``.
    polarization : float
        P ∈ [0, 1] of the incoming beam (default 1).
    tol : float
        Tolerance of the per-spin flux bound.
    """

    def __init__(self, polarizer=(0.0, 0.0, 1.0), t_up=1.0, t_dn=0.0, r_up=0.0, r_dn=1.0,
                 polarization: float = 1.0, *, tol: float = 1e-12):
        from .transport.ballistic import _filter_amplitudes, transverse_efficiency

        super().__init__(polarizer)
        self.t_up, self.t_dn, self.r_up, self.r_dn = _filter_amplitudes(t_up, t_dn, r_up, r_dn, tol)
        self.eta_damping_like, self.eta_field_like = transverse_efficiency(
            self.t_up, self.t_dn, self.r_up, self.r_dn, polarization=polarization, tol=tol)
        self.polarization = float(polarization)
        p = self.polarizer
        dl, fl = self.eta_damping_like, self.eta_field_like
        self.chi_callable = (lambda u: dl * (np.asarray(u, dtype=float) @ p)) if dl != 0 else None
        self.phi_callable = (lambda u: fl * (np.asarray(u, dtype=float) @ p)) if fl != 0 else None
        self.chi_is_zero = dl == 0
        self.phi_is_zero = fl == 0

    def torque(self, u) -> np.ndarray:
        """τ̂(u): transverse spin absorbed per incoming particle (units of ħ/2), shape of ``u``."""
        return self.field(u)

    def transmission(self, u) -> np.ndarray:
        """Transmitted particle current per incoming particle, ``n↑|t↑|² + n↓|t↓|²``, ``n = (1 ± P u·p)/2``."""
        c = _as_directions(u) @ self.polarizer
        P = self.polarization
        return 0.5 * (1 + P * c) * abs(self.t_up) ** 2 + 0.5 * (1 - P * c) * abs(self.t_dn) ** 2

    def _field(self, u):
        p = self.polarizer
        return (self.eta_damping_like * _tangent(u, np.broadcast_to(p, u.shape))
                + self.eta_field_like * np.cross(u, p))
