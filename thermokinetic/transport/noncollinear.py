r"""Noncollinear diffusive spin transport in N/F multilayers with strong ferromagnets (seed 004).

Model (seed 004, Eqs. 2–6), reduced units of the seed: particle current ``j0`` (``e = 1``), spin
accumulation ``μs = μ↑ − μ↓`` (energy), spin current ``js = j↑ − j↓`` (a vector in spin space, in
units of the particle current; the angular-momentum current is ``(ħ/2) js``).

Every layer α is described by

* ``d`` — thickness (length unit of the user's choice; ``inf`` for a semi-infinite end layer);
* ``l`` — spin-diffusion length ``l = sqrt(D τ / 2ρ)`` (same length unit);
* ``G`` — spin conductance ``G = D / 2l`` (``D = D_N`` in N, ``D = D_F = 4D↑D↓/(D↑+D↓)`` in F), in
  units of particle current per energy;
* F layers only: ``p = (D↑ − D↓)/(D↑ + D↓)`` with ``|p| < 1`` and the unit magnetization ``m``.

Bulk equations (seed 004, Eqs. 2–4)::

    N:  js = −G l dμs/dx                       (3-vector μs)
    F:  js = (p j0 − G l dμ/dx) m,  μs = μ m   (μs ∥ m inside a strong ferromagnet)
    all layers:  d js/dx = −(G/l) μs   ⇔   d²μs/dx² = μs / l²

Interface conditions (seed 004, Eqs. 5–6): μs continuous; the component of js along m continuous at
an N/F interface (the transverse part jumps: that jump is the spin-transfer torque); all of js
continuous at an N/N interface.  Two F layers may touch only if their magnetizations are
(anti)parallel.  An end layer of finite thickness terminates in an ideal spin sink (μs = 0; the
seed's outer N layers with ``l → 0``); an end layer with ``d = inf`` is semi-infinite.

Solution method (DESIGN §3): in each layer μs(x) is exactly
``[μL sinh((xR − x)/l) + μR sinh((x − xL)/l)] / sinh(d/l)``, so the unknowns are the interface
values of μs, restricted to the line of m at an interface touching an F layer.  The spin-current
conditions at every interface give one symmetric positive-definite block-tridiagonal system (it is
the stationarity condition of the dissipation functional below), solved at once — for many
magnetic configurations in a batch.

Dissipation and extra resistance.  Per unit area the power dissipated beyond the bulk Ohmic part is
(derived from the two-channel currents and the spin-flip rate; the seed's functional S carries the
relaxation term with a factor 2 too large — its Euler–Lagrange equation would be
``js' = −2ρμs/τ`` instead of Eq. 4)::

    δP = Σ_α ∫ [ |js − p j0 m|² / D + ρ|μs|²/(2τ) ] dx = Σ_α ∫ (G/2) [ l |μs'|² + |μs|²/l ] dx ,

and it equals ``j0 δV`` with the spin EMF of the seed (§III D)::

    δV = Σ_F p_F [μ_F(xR) − μ_F(xL)] / 2 ,        δr = R_ne = δV / j0 .

Both are computed; the tests check them against each other and against quadrature.

Interfaces: magnetoelectronic circuit theory (Brataas, Nazarov & Bauer, PRL 84, 2481 (2000); EPJ B 22,
99 (2001)).  By default every interface is transparent (the seed-004 conditions above).  An
:class:`Interface` between layers a (left) and b (right) has spin-dependent conductances ``G↑, G↓``
for the majority / minority channel of the adjacent ferromagnet (the left one if both are F; its
direction ``m``) and a complex mixing conductance ``G_mix = Re + i Im``, all per unit area in units
of particle current per energy (S/m² in the SI mapping of :func:`layers_from_stack`; ``G↑ = 1/r_maj``,
``G↓ = 1/r_min`` with the collinear stack's resistances, and ``G_mix`` in the same per-spin
normalization, i.e. ``G_mix = G↑ = G↓`` for a spin-independent interface).  With the interface
values ``μ⁻`` (layer a's side) and ``μ⁺`` (layer b's side), ``Δ = μ⁻ − μ⁺``, the spin current
through the interface (towards +x) is::

    js_I = γ j0 m + G_s (m·Δ) m + Re G_mix [m × (Δ × m)] + Im G_mix (Δ × m),
    G_s = 2 G↑G↓/(G↑ + G↓) = 2/(r↑ + r↓),  γ = (G↑ − G↓)/(G↑ + G↓) = (r↓ − r↑)/(r↑ + r↓),

(the longitudinal part is the two-channel law ``J_s = G_s (μ_s⁻ − μ_s⁺)`` per channel with the charge
eliminated; the charge drop is ``r_eq j0 − γ m·Δ/2``, ``r_eq = 1/(G↑ + G↓)``).  js_I is
continuous into an N layer or an F layer with a finite transverse length; at an absorbing (strong)
F layer only ``js_I·m`` continues, the transverse part is absorbed at the interface.  There the
F-side transverse accumulation vanishes, so the spin current absorbed by the ferromagnet is::

    τ = Re G_mix m × (μ_N × m) + Im G_mix (μ_N × m)      (torque per area (ħ/2) τ),

with μ_N the accumulation on the N side: the Re part is the damping-like (Slonczewski) torque along
μ_N⊥, the Im part is field-like: ``du/dt ∝ τ`` makes u precess about ``Im G_mix μ_N`` as about a
field H in ``du/dt = −γ u × H``.  Its sign convention is fixed by this equation (the literature writes
the Im term with either sign, depending on whether ``G_mix`` is built from ``r↑r↓*`` or ``r↓r↑*``).
``G_s = ∞`` (r↑ = r↓ = 0) makes μ·m continuous, ``Re G_mix = ∞`` makes the transverse part
continuous (μ_N⊥ = 0 next to an absorbing F layer): both together are seed 004.  The interface
adds ``½ Δᵀ[G_s P∥ + Re G_mix P⊥]Δ ≥ 0`` to the dissipation (the Im part is reactive) and
``γ m·(μ⁺ − μ⁻)/2`` to the spin EMF δV, so ``δP = j0 δV`` still holds.  An interface is a
zero-thickness, relaxation-free F layer with ``p = γ`` and spin conductance ``G_s`` (a spring of
stiffness ``G_s`` between the two rings in seed 004's mechanical analogy, pulled by ``γ j0``).
With such interfaces the unknowns are the pairs (μ⁻, μ⁺) of every interface, restricted to the
admissible directions (:func:`_link`); the system stays block-tridiagonal, symmetric positive
definite unless ``Im G_mix ≠ 0`` (then it is solved as a general one).  Interfaces are given to
:func:`solve`, :func:`solve_batch`, :func:`free_layer_torque` and :func:`pumped` as a list
(:func:`interfaces_from_stack` for an SI stack); without it every result is the seed-004 one, bit
for bit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import (ParameterError, _as_real, check_finite, check_nonnegative, check_positive,
                      check_range, check_unit_vector)

__all__ = [
    "Layer",
    "Interface",
    "interfaces_from_stack",
    "NoncollinearSolution",
    "ValveResult",
    "TorqueTable",
    "solve",
    "solve_batch",
    "free_layer_torque",
    "spin_valve",
    "spin_valve_mu",
    "solve_fem",
    "solve_stack",
    "layers_from_stack",
    "StackSolution",
    "valve_layers",
    "TRANSVERSE_MODELS",
    "INTERFACE_MODES",
    "pumped",
    "spin_pumping_voltage",
]

_INF = math.inf


# --------------------------------------------------------------------------------------------
# layers
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Layer:
    """One homogeneous layer in the reduced units of seed 004.

    Parameters
    ----------
    kind : {"N", "F"}
        Normal metal or strong ferromagnet.
    G : float
        Spin conductance ``D / 2l`` (> 0) [particle current / energy].
    l : float
        Spin-diffusion length (> 0) [length].
    d : float
        Thickness (> 0) [length]; ``inf`` only for the first or last layer (semi-infinite).
    p : float
        Transport spin polarization ``(D↑ − D↓)/(D↑ + D↓)``, ``|p| < 1`` (F only; 0 for N).
    m : array_like of 3 floats, optional
        Magnetization direction of an F layer (normalized here); required for F, refused for N.
    name : str
        Label used in error messages and results.
    l_perp : float, optional
        F only: the transverse length λ⊥ (> 0) [length] over which the spin accumulation
        perpendicular to m decays inside the layer (dephasing; seed 002 Eq. 13–15).  ``None`` (the
        default) is seed 004's strong ferromagnet: the transverse spin current is absorbed at the
        interface (the limit λ⊥ → 0 at fixed transverse diffusion constant).
    G_perp : float, optional
        F only, with ``l_perp``: the transverse spin conductance ``D⊥/2λ⊥`` (> 0); default
        ``G l / l_perp`` (the same diffusion constant as the longitudinal channel), so that
        ``l_perp → 0`` is the instant-absorption limit (G⊥ → ∞ pins μ⊥ = 0 at the interface).
    """

    kind: str
    G: float
    l: float
    d: float = _INF
    p: float = 0.0
    m: tuple | None = None
    name: str = ""
    l_perp: float | None = None
    G_perp: float | None = None

    def __post_init__(self):
        lab = self.name or self.kind
        if self.kind not in ("N", "F"):
            raise ParameterError(f"{lab}.kind", self.kind, "one of ['N', 'F']")
        object.__setattr__(self, "G", check_positive(f"{lab}.G", self.G))
        object.__setattr__(self, "l", check_positive(f"{lab}.l", self.l))
        d = float(self.d) if not isinstance(self.d, bool) else self.d
        if not (isinstance(d, float) and d == _INF):
            d = check_positive(f"{lab}.d", self.d)
        object.__setattr__(self, "d", d)
        if self.kind == "F":
            object.__setattr__(self, "p", check_range(f"{lab}.p", self.p, -1, 1, lo_open=True, hi_open=True))
            if self.m is None:
                raise ParameterError(f"{lab}.m", None, "a non-zero 3-vector (an F layer needs a direction)")
            object.__setattr__(self, "m", tuple(check_unit_vector(f"{lab}.m", self.m)))
            if self.l_perp is not None:
                lp = check_positive(f"{lab}.l_perp", self.l_perp)
                object.__setattr__(self, "l_perp", lp)
                gp = self.G * self.l / lp if self.G_perp is None else check_positive(f"{lab}.G_perp", self.G_perp)
                object.__setattr__(self, "G_perp", gp)
            elif self.G_perp is not None:
                raise ParameterError(f"{lab}.G_perp", self.G_perp, "given only with l_perp (a finite transverse length)")
        else:
            for key in ("l_perp", "G_perp"):
                if getattr(self, key) is not None:
                    raise ParameterError(f"{lab}.{key}", getattr(self, key),
                                         "absent for a normal-metal layer (its relaxation is isotropic)")
            if check_finite(f"{lab}.p", self.p) != 0.0:
                raise ParameterError(f"{lab}.p", self.p, "0 for a normal-metal layer")
            if self.m is not None:
                raise ParameterError(f"{lab}.m", self.m, "absent for a normal-metal layer")

    @property
    def is_f(self) -> bool:
        return self.kind == "F"

    @property
    def absorbs(self) -> bool:
        """True for an F layer that absorbs the transverse spin current at its interfaces (seed 004)."""
        return self.kind == "F" and self.l_perp is None

    @property
    def finite_transverse(self) -> bool:
        """True for an F layer with a finite transverse length (μ⊥ decays inside it over l_perp)."""
        return self.kind == "F" and self.l_perp is not None


def _check_layers(layers) -> list[Layer]:
    layers = list(layers)
    if not layers:
        raise ParameterError("layers", layers, "at least one layer")
    for i, lay in enumerate(layers):
        if not isinstance(lay, Layer):
            raise ParameterError(f"layers[{i}]", lay, "a noncollinear.Layer")
        if 0 < i < len(layers) - 1 and lay.d == _INF:
            raise ParameterError(f"{lay.name or f'layers[{i}]'}.d", lay.d,
                                 "finite (> 0) for an inner layer; only end layers may be semi-infinite")
    return layers


def _pos_or_inf(name: str, value, allow_zero: bool = False) -> float:
    """A real > 0 (>= 0 with ``allow_zero``) or +inf."""
    v = _as_real(name, value)
    if v == _INF:
        return v
    return check_nonnegative(name, v) if allow_zero else check_positive(name, v)


@dataclass(frozen=True)
class Interface:
    r"""An interface between two layers in magnetoelectronic circuit theory (see the module docstring).

    Parameters
    ----------
    G_up, G_dn : float
        Conductances (> 0, ``inf`` allowed) of the majority / minority channel of the adjacent
        ferromagnet (the left one if both sides are F) [particle current / energy per unit area;
        S/m² in the SI mapping: ``1/r_maj``, ``1/r_min``].  Equal between two N layers.  Default
        ``inf``: no interface resistance.
    G_mix_re, G_mix_im : float
        Real (>= 0, ``inf`` allowed) and imaginary (finite) parts of the mixing conductance per unit
        area, same units and per-spin normalization as ``G_up`` (``G_mix = G_up = G_dn`` for a
        spin-independent interface).  Default ``inf`` and 0: the transverse spin current is
        absorbed at the interface as in seed 004.  ``Re G_mix = 0`` reflects the transverse spin
        current entirely.  Irrelevant between two N layers (spin-isotropic: leave the defaults)
        and between two F layers (their accumulations are collinear).
    name : str
        Label used in error messages.

    Notes
    -----
    Spin current through the interface, ``Δ = μ⁻ − μ⁺`` (left minus right side, energy)::

        js_I = γ j0 m + G_s (m·Δ) m + Re G_mix m×(Δ×m) + Im G_mix Δ×m,

    ``G_s = 2/(1/G_up + 1/G_dn)``, ``γ = (G_up − G_dn)/(G_up + G_dn)``; between two N layers
    ``js_I = G_up Δ``.  The interface resistance without accumulation is ``r_eq = 1/(G_up + G_dn)``.
    """

    G_up: float = _INF
    G_dn: float = _INF
    G_mix_re: float = _INF
    G_mix_im: float = 0.0
    name: str = ""

    def __post_init__(self):
        lab = self.name or "interface"
        object.__setattr__(self, "G_up", _pos_or_inf(f"{lab}.G_up", self.G_up))
        object.__setattr__(self, "G_dn", _pos_or_inf(f"{lab}.G_dn", self.G_dn))
        object.__setattr__(self, "G_mix_re", _pos_or_inf(f"{lab}.G_mix_re", self.G_mix_re, allow_zero=True))
        object.__setattr__(self, "G_mix_im", check_finite(f"{lab}.G_mix_im", self.G_mix_im))
        if self.G_mix_re == _INF and self.G_mix_im != 0:
            raise ParameterError(f"{lab}.G_mix_im", self.G_mix_im,
                                 "0 when G_mix_re is infinite (a finite Re G_mix is needed for an Im part)")

    @property
    def r_up(self) -> float:
        """Majority-channel resistance ``1/G_up`` (0 for ``inf``)."""
        return 0.0 if self.G_up == _INF else 1.0 / self.G_up

    @property
    def r_dn(self) -> float:
        """Minority-channel resistance ``1/G_dn`` (0 for ``inf``)."""
        return 0.0 if self.G_dn == _INF else 1.0 / self.G_dn

    @property
    def G_s(self) -> float:
        """Longitudinal spin conductance ``2/(r↑ + r↓)`` (``inf`` without resistance)."""
        r = self.r_up + self.r_dn
        return _INF if r == 0 else 2.0 / r

    @property
    def gamma(self) -> float:
        """Interface spin asymmetry ``(r↓ − r↑)/(r↑ + r↓)`` (0 without resistance)."""
        r = self.r_up + self.r_dn
        return 0.0 if r == 0 else (self.r_dn - self.r_up) / r

    @property
    def r_eq(self) -> float:
        """Resistance without accumulation, both channels in parallel: ``r↑r↓/(r↑ + r↓)``."""
        r = self.r_up + self.r_dn
        return 0.0 if r == 0 else self.r_up * self.r_dn / r

    @property
    def transparent(self) -> bool:
        """True for seed 004's interface: no resistance and an infinite mixing conductance."""
        return self.G_s == _INF and self.G_mix_re == _INF


def _check_interfaces(layers: list[Layer], interfaces) -> list | None:
    """Validated interfaces: None when all are transparent, else a list (None = transparent)."""
    if interfaces is None:
        return None
    itfs = list(interfaces)
    if len(itfs) != len(layers) - 1:
        raise ParameterError("interfaces", len(itfs), f"{len(layers) - 1} entries (one per pair of layers; "
                             "None for a transparent one)")
    out = []
    for k, itf in enumerate(itfs):
        if itf is None:
            out.append(None)
            continue
        if not isinstance(itf, Interface):
            raise ParameterError(f"interfaces[{k}]", itf, "a noncollinear.Interface or None")
        a, b = layers[k], layers[k + 1]
        lab = itf.name or f"{a.name or f'layers[{k}]'}|{b.name or f'layers[{k + 1}]'}"
        if not a.is_f and not b.is_f:
            if itf.G_up != itf.G_dn:
                raise ParameterError(f"{lab}.G_dn", itf.G_dn, f"= G_up = {itf.G_up} between two normal metals")
            if itf.G_mix_re != _INF or itf.G_mix_im != 0:
                raise ParameterError(f"{lab}.G_mix_re", itf.G_mix_re, "the default between two normal metals "
                                     "(a spin-independent interface has G_mix = G_up)")
        out.append(None if itf.transparent else itf)
    return out if any(x is not None for x in out) else None


def _coth_csch(d: float, l: float) -> tuple[float, float]:
    """coth(d/l), 1/sinh(d/l) without overflow; (1, 0) for d = inf."""
    if d == _INF:
        return 1.0, 0.0
    x = d / l
    e2 = math.exp(-2 * x)
    den = -math.expm1(-2 * x)  # 1 − e^{−2x}
    return (1 + e2) / den, 2 * math.exp(-x) / den


# --------------------------------------------------------------------------------------------
# batched core
# --------------------------------------------------------------------------------------------
def _stiffness(layers: list[Layer], M: np.ndarray):
    """Per layer, the matrices ``C`` and ``S`` with end currents ``jL = C μL − S μR + pm``,
    ``jR = S μL − C μR + pm``: ``G coth(d/l)`` and ``G csch(d/l)`` times the identity, and for an F
    layer with a finite transverse length ``G coth(d/l) P∥ + G⊥ coth(d/l⊥) P⊥`` (P∥ = m mᵀ)."""
    B, nl = M.shape[0], len(layers)
    C = np.zeros((B, nl, 3, 3))
    S = np.zeros((B, nl, 3, 3))
    eye = np.eye(3)
    for i, lay in enumerate(layers):
        coth, csch = _coth_csch(lay.d, lay.l)
        if lay.finite_transverse:
            Pp = np.einsum("bi,bj->bij", M[:, i], M[:, i])
            Pt = eye - Pp
            cp, sp_ = _coth_csch(lay.d, lay.l_perp)
            C[:, i] = lay.G * coth * Pp + lay.G_perp * cp * Pt
            S[:, i] = lay.G * csch * Pp + lay.G_perp * sp_ * Pt
        else:
            C[:, i] = lay.G * coth * eye
            S[:, i] = lay.G * csch * eye
    return C, S


def _core(layers: list[Layer], M: np.ndarray, j0: float, pump: dict | None = None, interfaces=None):
    """Solve for a batch of magnetization sets; ``interfaces`` from :func:`_check_interfaces`.

    Transparent interfaces (``interfaces is None``) use the seed-004 assembly unchanged; otherwise
    :func:`_core_interfaces`.  Same returns as :func:`_core_transparent`, where ``mu_int`` is the
    mean of the two sides of each interface (equal for a transparent one).
    """
    if interfaces is None:
        return _core_transparent(layers, M, j0, pump)
    return _core_interfaces(layers, M, j0, pump, interfaces)


def _core_transparent(layers: list[Layer], M: np.ndarray, j0: float, pump: dict | None = None):
    """Solve for a batch of magnetization sets (transparent interfaces, seed 004).

    ``M`` has shape (B, n_layers, 3); rows of N layers are ignored.  Returns interface μs
    (B, n_int, 3), and the spin currents at the left/right end of each layer jL, jR
    (B, n_layers, 3), plus the end values μL, μR (B, n_layers, 3).

    ``pump`` ({layer index: (B, 3)}) pins the transverse accumulation at both interfaces of an
    absorbing F layer to the given vector (its part ⊥ m) instead of 0: the spin-battery source of a
    moving magnetization (:func:`pumped`).
    """
    nl = len(layers)
    B = M.shape[0]
    nint = nl - 1
    isF = [lay.is_f for lay in layers]
    absorbs = [lay.absorbs for lay in layers]
    Cm, Sm = _stiffness(layers, M)
    pm = np.zeros((B, nl, 3))
    for i, lay in enumerate(layers):
        if isF[i]:
            pm[:, i] = lay.p * j0 * M[:, i]
    # interface bases: μs on the line of m next to an absorbing F layer, a free 3-vector otherwise
    bases = []
    for k in range(nint):
        a, b = k, k + 1
        if isF[a] and isF[b]:
            dots = np.einsum("bi,bi->b", M[:, a], M[:, b])
            if np.any(np.abs(np.abs(dots) - 1) > 1e-9):
                la, lb = layers[a].name or f"layers[{a}]", layers[b].name or f"layers[{b}]"
                raise ParameterError(f"{la}.m/{lb}.m", "noncollinear",
                                     "parallel or antiparallel for touching F layers (insert an N spacer)")
        if absorbs[a]:
            bases.append(M[:, a, :, None])
        elif absorbs[b]:
            bases.append(M[:, b, :, None])
        else:
            bases.append(np.broadcast_to(np.eye(3), (B, 3, 3)))
    sizes = [e.shape[2] for e in bases]
    offs = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    n = int(offs[-1])
    # pinned transverse parts (μ = E c + o at interface k)
    o = np.zeros((B, nint, 3))
    for i, v in (pump or {}).items():
        m = M[:, i]
        v = v - np.einsum("bj,bj->b", v, m)[:, None] * m
        for k in (i - 1, i):
            if 0 <= k < nint:
                o[:, k] = v
    mu_int = o.copy()
    if n:
        K = np.zeros((B, n, n))
        rhs = np.zeros((B, n))
        for k in range(nint):
            a, b = k, k + 1
            sk = slice(offs[k], offs[k + 1])
            Ek = bases[k]
            Ck = Cm[:, a] + Cm[:, b]
            K[:, sk, sk] += np.einsum("bik,bij,bjl->bkl", Ek, Ck, Ek)
            rhs[:, sk] = np.einsum("bik,bi->bk", Ek, pm[:, a] - pm[:, b] - np.einsum("bij,bj->bi", Ck, o[:, k]))
            if k > 0:
                rhs[:, sk] += np.einsum("bik,bi->bk", Ek, np.einsum("bij,bj->bi", Sm[:, a], o[:, k - 1]))
            if k + 1 < nint:
                rhs[:, sk] += np.einsum("bik,bi->bk", Ek, np.einsum("bij,bj->bi", Sm[:, b], o[:, k + 1]))
                sk1 = slice(offs[k + 1], offs[k + 2])
                off = -np.einsum("bik,bij,bjl->bkl", Ek, Sm[:, b], bases[k + 1])
                K[:, sk, sk1] += off
                K[:, sk1, sk] += np.swapaxes(off, 1, 2)
        c = np.linalg.solve(K, rhs[..., None])[..., 0]
        for k in range(nint):
            mu_int[:, k] += np.einsum("bik,bk->bi", bases[k], c[:, offs[k]:offs[k + 1]])
    muL = np.zeros((B, nl, 3))
    muR = np.zeros((B, nl, 3))
    muL[:, 1:] = mu_int
    muR[:, :-1] = mu_int
    jL = np.einsum("blij,blj->bli", Cm, muL) - np.einsum("blij,blj->bli", Sm, muR) + pm
    jR = np.einsum("blij,blj->bli", Sm, muL) - np.einsum("blij,blj->bli", Cm, muR) + pm
    return mu_int, muL, muR, jL, jR, pm


def _perp_basis(m: np.ndarray):
    """Two unit vectors (B, 3) completing the unit vectors m (B, 3) to a right-handed frame."""
    ref = np.where(np.abs(m[:, [0]]) < 0.9, np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]]))
    e1 = ref - np.einsum("bi,bi->b", ref, m)[:, None] * m
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    return e1, np.cross(m, e1)


def _link(layers: list[Layer], k: int, itf, M: np.ndarray, j0: float) -> dict:
    """Interface k between layers k and k+1 for a batch of directions M (B, n_layers, 3).

    Returns ``Q`` (B, 6, n): a basis of the admissible pairs (μ⁻, μ⁺) (μ ∥ m on the side of an
    absorbing F layer; the parts with an infinite conductance shared by both sides); ``Gam``
    (B, 3, 3) or None: the finite part of the conductance matrix, ``js_I = d + Gam (μ⁻ − μ⁺)``;
    ``d`` (B, 3): the drive ``γ j0 m``; ``m`` (B, 3) or None: the interface axis; ``gamma``;
    ``shared_perp``: whether the transverse parts of both sides are tied (transparent, or an
    infinite mixing conductance), used to place a pinned (pumped) transverse accumulation.
    """
    B = M.shape[0]
    a, b = layers[k], layers[k + 1]
    eye = np.eye(3)
    if itf is None:
        E = (M[:, k, :, None] if a.absorbs else M[:, k + 1, :, None] if b.absorbs
             else np.broadcast_to(eye, (B, 3, 3)))
        return {"Q": np.concatenate([E, E], axis=1), "Gam": None, "d": None, "m": None, "gamma": 0.0,
                "shared_perp": True}
    if not a.is_f and not b.is_f:  # spin-isotropic N/N interface: js_I = G Δ
        return {"Q": np.broadcast_to(np.eye(6), (B, 6, 6)), "Gam": np.broadcast_to(itf.G_up * eye, (B, 3, 3)),
                "d": np.zeros((B, 3)), "m": None, "gamma": 0.0, "shared_perp": False}
    m = M[:, k] if a.is_f else M[:, k + 1]
    z = np.zeros((B, 3))
    cols = []
    fin_s, fin_mix = itf.G_s < _INF, itf.G_mix_re < _INF
    if fin_s:
        cols += [np.concatenate([m, z], 1), np.concatenate([z, m], 1)]
    else:
        cols.append(np.concatenate([m, m], 1))
    adm_l, adm_r = not a.absorbs, not b.absorbs  # sides that carry a transverse accumulation
    if adm_l or adm_r:
        for e in _perp_basis(m):
            if adm_l and adm_r and not fin_mix:
                cols.append(np.concatenate([e, e], 1))
            elif fin_mix:
                if adm_l:
                    cols.append(np.concatenate([e, z], 1))
                if adm_r:
                    cols.append(np.concatenate([z, e], 1))
    Q = np.stack(cols, axis=-1)
    Pp = np.einsum("bi,bj->bij", m, m)
    W = np.zeros((B, 3, 3))  # W Δ = Δ × m
    W[:, 0, 1], W[:, 0, 2] = m[:, 2], -m[:, 1]
    W[:, 1, 0], W[:, 1, 2] = -m[:, 2], m[:, 0]
    W[:, 2, 0], W[:, 2, 1] = m[:, 1], -m[:, 0]
    Gam = np.zeros((B, 3, 3))
    if fin_s:
        Gam += itf.G_s * Pp
    if fin_mix:
        Gam += itf.G_mix_re * (eye - Pp) + itf.G_mix_im * W
    g = itf.gamma if fin_s else 0.0
    return {"Q": Q, "Gam": Gam, "d": g * j0 * m, "m": m, "gamma": g, "shared_perp": not fin_mix}


def _core_interfaces(layers: list[Layer], M: np.ndarray, j0: float, pump, interfaces):
    """:func:`_core_transparent` with the interface conditions of the module docstring.

    Unknowns: the coordinates ``c_k`` of the pair (μ⁻, μ⁺) = Q_k c_k + O_k of every interface (O_k:
    pinned transverse parts).  Equations: Q_kᵀ × (spin current into the pair's two nodes from the
    two layers and through the interface) = 0, i.e. current conservation in every admissible
    direction; what is left (⊥ m next to an absorbing F layer) is absorbed there.  The layer
    blocks are those of the transparent assembly; the interface adds ``[[Γ, −Γ], [−Γ, Γ]]`` and the
    drive ``(−d, d)``.  Γ has an antisymmetric part (Im G_mix), so the system is solved as a general
    one.
    """
    nl, B, nint = len(layers), M.shape[0], len(layers) - 1
    isF = [lay.is_f for lay in layers]
    Cm, Sm = _stiffness(layers, M)
    pm = np.zeros((B, nl, 3))
    for i, lay in enumerate(layers):
        if isF[i]:
            pm[:, i] = lay.p * j0 * M[:, i]
    for k in range(nint):
        if isF[k] and isF[k + 1]:
            dots = np.einsum("bi,bi->b", M[:, k], M[:, k + 1])
            if np.any(np.abs(np.abs(dots) - 1) > 1e-9):
                la, lb = layers[k].name or f"layers[{k}]", layers[k + 1].name or f"layers[{k + 1}]"
                raise ParameterError(f"{la}.m/{lb}.m", "noncollinear",
                                     "parallel or antiparallel for touching F layers (insert an N spacer)")
    links = [_link(layers, k, interfaces[k], M, j0) for k in range(nint)]
    O = np.zeros((B, nint, 6))
    for i, v in (pump or {}).items():
        m = M[:, i]
        v = v - np.einsum("bj,bj->b", v, m)[:, None] * m
        if i - 1 >= 0:  # F layer on the right of interface i−1
            O[:, i - 1, 3:] = v
            if links[i - 1]["shared_perp"]:
                O[:, i - 1, :3] = v
        if i < nint:
            O[:, i, :3] = v
            if links[i]["shared_perp"]:
                O[:, i, 3:] = v
    sizes = [L["Q"].shape[2] for L in links]
    offs = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    n = int(offs[-1])
    K = np.zeros((B, n, n))
    rhs = np.zeros((B, n))
    mv = lambda A, x: np.einsum("bij,bj->bi", A, x)  # noqa: E731
    tq = lambda A, x: np.einsum("bik,bi->bk", A, x)  # Aᵀx  # noqa: E731
    sand = lambda A, X, Y: np.einsum("bik,bij,bjl->bkl", A, X, Y)  # AᵀXY  # noqa: E731
    for k in range(nint):
        a, b = k, k + 1
        sk = slice(offs[k], offs[k + 1])
        Q = links[k]["Q"]
        Qm, Qp = Q[:, :3], Q[:, 3:]
        Om, Op = O[:, k, :3], O[:, k, 3:]
        K[:, sk, sk] += sand(Qm, Cm[:, a], Qm) + sand(Qp, Cm[:, b], Qp)
        r = tq(Qm, pm[:, a] - mv(Cm[:, a], Om)) - tq(Qp, pm[:, b] + mv(Cm[:, b], Op))
        if k > 0:
            r += tq(Qm, mv(Sm[:, a], O[:, k - 1, 3:]))
        if k + 1 < nint:
            r += tq(Qp, mv(Sm[:, b], O[:, k + 1, :3]))
            sk1 = slice(offs[k + 1], offs[k + 2])
            off = -sand(Qp, Sm[:, b], links[k + 1]["Q"][:, :3])
            K[:, sk, sk1] += off
            K[:, sk1, sk] += np.swapaxes(off, 1, 2)
        G = links[k]["Gam"]
        if G is not None:
            Kp = np.concatenate([np.concatenate([G, -G], 2), np.concatenate([-G, G], 2)], 1)
            d = links[k]["d"]
            K[:, sk, sk] += sand(Q, Kp, Q)
            r += tq(Q, np.concatenate([-d, d], 1) - mv(Kp, O[:, k]))
        rhs[:, sk] += r
    c = np.linalg.solve(K, rhs[..., None])[..., 0] if n else np.zeros((B, 0))
    mu_m = O[:, :, :3].copy()
    mu_p = O[:, :, 3:].copy()
    for k in range(nint):
        ck = c[:, offs[k]:offs[k + 1]]
        mu_m[:, k] += mv(links[k]["Q"][:, :3], ck)
        mu_p[:, k] += mv(links[k]["Q"][:, 3:], ck)
    muL = np.zeros((B, nl, 3))
    muR = np.zeros((B, nl, 3))
    muR[:, :-1] = mu_m
    muL[:, 1:] = mu_p
    jL = np.einsum("blij,blj->bli", Cm, muL) - np.einsum("blij,blj->bli", Sm, muR) + pm
    jR = np.einsum("blij,blj->bli", Sm, muL) - np.einsum("blij,blj->bli", Cm, muR) + pm
    return 0.5 * (mu_m + mu_p), muL, muR, jL, jR, pm


def _interface_terms(layers, interfaces, M, muL, muR, j0):
    """Per batch element: the interfaces' spin EMF ``Σ γ m·(μ⁺ − μ⁻)/2`` and their dissipation
    ``Σ ½ Δᵀ Γ Δ`` (Γ's symmetric part; zero for transparent interfaces)."""
    B = M.shape[0]
    emf, diss = np.zeros(B), np.zeros(B)
    if interfaces is None:
        return emf, diss
    for k, itf in enumerate(interfaces):
        if itf is None:
            continue
        L = _link(layers, k, itf, M, j0)
        D = muR[:, k] - muL[:, k + 1]
        diss += 0.5 * np.einsum("bi,bij,bj->b", D, L["Gam"], D)
        if L["m"] is not None:
            emf -= 0.5 * L["gamma"] * np.einsum("bi,bi->b", D, L["m"])
    return emf, diss


def _bulk_absorbed(layers, M, jL, jR):
    """Transverse spin current absorbed inside each layer, ``P⊥ (jL − jR)`` (zero for N layers and
    for absorbing F layers, whose transverse current vanishes inside), shape (B, n_layers, 3)."""
    out = np.zeros_like(jL)
    for i, lay in enumerate(layers):
        if lay.finite_transverse:
            d = jL[:, i] - jR[:, i]
            m = M[:, i]
            out[:, i] = d - np.einsum("bj,bj->b", d, m)[:, None] * m
    return out


def _directions_array(layers, overrides=None, batch_shape=()):
    M = np.zeros(batch_shape + (len(layers), 3))
    for i, lay in enumerate(layers):
        if lay.is_f:
            M[..., i, :] = lay.m
    for i, U in (overrides or {}).items():
        M[..., i, :] = U
    return M


# --------------------------------------------------------------------------------------------
# single solution
# --------------------------------------------------------------------------------------------
@dataclass
class NoncollinearSolution:
    """Solution of a noncollinear stack (reduced units of seed 004; see module docstring).

    Attributes
    ----------
    layers : list of Layer
    j0 : float
        Particle current density.
    x_interfaces : ndarray (n_layers − 1,)
        Interface positions; the first interface is at x = 0.
    mu : ndarray (n_layers − 1, 3)
        Spin accumulation vector μs at each interface [energy]; with a resistive interface (or a
        finite mixing conductance) the mean of its two sides ``mu_left``, ``mu_right``.
    mu_left, mu_right : ndarray (n_layers − 1, 3)
        μs just left / right of each interface (equal for a transparent interface).
    interfaces : list or None
        The interfaces (:class:`Interface` or None = transparent); None when all are transparent.
    js_left, js_right : ndarray (n_layers − 1, 3)
        Spin current just left / right of each interface.
    jumps : ndarray (n_layers − 1, 3)
        Spin current absorbed at each interface, ``js_left − js_right`` (Eq. 10); the torque on
        the adjacent F layer is ``(ħ/2) × jump`` (seed 004 §III C).
    torques : dict name -> ndarray (3,)
        Transverse spin current absorbed by each F layer (units of js; ⊥ m): the sum of the jumps
        at its interfaces, plus, for a finite transverse length, the part absorbed inside it,
        ``P⊥ (js(x_L) − js(x_R))``.
    delta_r : float
        Extra resistance ``R_ne = δV / j0`` from the spin EMF (module docstring), interfaces' EMF
        ``γ m·(μ⁺ − μ⁻)/2`` included.
    dissipation : float
        ``δP`` from the layer-end formula ``½ Σ [μs·(js − p j0 m)]`` plus the interfaces'
        ``½ Δᵀ Γ Δ`` (equals ``j0² δr``).
    interface_dissipation : float
        The interfaces' part of ``dissipation`` (>= 0).
    """

    layers: list
    j0: float
    x_interfaces: np.ndarray
    mu: np.ndarray
    muL: np.ndarray
    muR: np.ndarray
    jL: np.ndarray
    jR: np.ndarray
    pm: np.ndarray
    interfaces: list | None = None
    mu_left: np.ndarray = field(init=False)
    mu_right: np.ndarray = field(init=False)
    js_left: np.ndarray = field(init=False)
    js_right: np.ndarray = field(init=False)
    jumps: np.ndarray = field(init=False)
    torques: dict = field(init=False)
    delta_r: float = field(init=False)
    dissipation: float = field(init=False)
    interface_dissipation: float = field(init=False)

    def __post_init__(self):
        self.mu_left = self.muR[:-1].copy()
        self.mu_right = self.muL[1:].copy()
        self.js_left = self.jR[:-1].copy()
        self.js_right = self.jL[1:].copy()
        self.jumps = self.js_left - self.js_right
        self.torques = {}
        for i, lay in enumerate(self.layers):
            if lay.is_f:
                t = np.zeros(3)
                if i > 0:
                    t += self.jumps[i - 1]
                if i < len(self.layers) - 1:
                    t += self.jumps[i]
                if lay.finite_transverse:
                    m = np.asarray(lay.m)
                    d = self.jL[i] - self.jR[i]
                    t += d - (d @ m) * m
                self.torques[lay.name or f"F{i}"] = t
        dv = 0.0
        dp = 0.0
        for i, lay in enumerate(self.layers):
            if lay.is_f:
                m = np.asarray(lay.m)
                dv += lay.p * (self.muR[i] @ m - self.muL[i] @ m) / 2
            dp += 0.5 * (self.muL[i] @ (self.jL[i] - self.pm[i]) - self.muR[i] @ (self.jR[i] - self.pm[i]))
        if self.interfaces is not None:
            M = _directions_array(self.layers)[None]
            ev, di = _interface_terms(self.layers, self.interfaces, M, self.muL[None], self.muR[None], self.j0)
            dv += float(ev[0])
            dp += float(di[0])
            self.interface_dissipation = float(di[0])
        else:
            self.interface_dissipation = 0.0
        self.delta_r = dv / self.j0
        self.dissipation = dp

    # ---- positions ----------------------------------------------------------------------
    def layer_bounds(self, tail: float = 5.0) -> list[tuple[float, float]]:
        """(xL, xR) of every layer; a semi-infinite layer is cut at ``tail`` diffusion lengths."""
        xs = self.x_interfaces
        out = []
        nl = len(self.layers)
        for i, lay in enumerate(self.layers):
            xL = xs[i - 1] if i > 0 else (xs[0] - (lay.d if lay.d < _INF else tail * lay.l) if nl > 1
                                          else 0.0)
            if i < nl - 1:
                xR = xs[i]
            else:
                xR = xL + (lay.d if lay.d < _INF else tail * lay.l)
            out.append((float(xL), float(xR)))
        return out

    def profile(self, x) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """μs(x) and js(x) (each (len(x), 3)) and the layer index of each point.

        A point on an interface belongs to the layer on its right.  Semi-infinite layers extend
        beyond the bounds returned by :meth:`layer_bounds`.
        """
        x = np.atleast_1d(np.asarray(x, dtype=float))
        idx = np.searchsorted(self.x_interfaces, x, side="right")
        mu = np.zeros((x.size, 3))
        js = np.zeros((x.size, 3))
        for i in range(len(self.layers)):
            sel = idx == i
            if np.any(sel):
                mu[sel], js[sel] = self.layer_profile(i, x[sel])
        return mu, js, idx

    def layer_profile(self, i: int, x) -> tuple[np.ndarray, np.ndarray]:
        """μs(x), js(x) of layer ``i``'s exact solution evaluated at ``x`` (its ends included)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        lay = self.layers[i]
        mL, mR, pm = self.muL[i], self.muR[i], self.pm[i]
        if not lay.finite_transverse:
            mu, js = self._channel_profile(i, x, lay.G, lay.l, mL, mR)
            return mu, js + pm
        m = np.asarray(lay.m)
        par = (mL @ m) * m, (mR @ m) * m
        mu1, js1 = self._channel_profile(i, x, lay.G, lay.l, *par)
        mu2, js2 = self._channel_profile(i, x, lay.G_perp, lay.l_perp, mL - par[0], mR - par[1])
        return mu1 + mu2, js1 + js2 + pm

    def _channel_profile(self, i, x, G, l, mL, mR):
        """One diffusion channel (conductance G, length l) of layer i with end values mL, mR."""
        lay = self.layers[i]
        nl = len(self.layers)
        xs = self.x_interfaces
        first, last = i == 0, i == nl - 1
        if lay.d == _INF and first and not last:
            e = np.exp(np.minimum(x - xs[0], 0) / l)[:, None]
            return e * mR, -G * e * mR
        if lay.d == _INF and last and not first:
            e = np.exp(-np.maximum(x - xs[-1], 0) / l)[:, None]
            return e * mL, G * e * mL
        if lay.d == _INF:  # a single infinite layer carries no accumulation
            return np.zeros((x.size, 3)), np.zeros((x.size, 3))
        xL, xR = self.layer_bounds()[i]
        d = lay.d
        a = np.clip(x - xL, 0, d)[:, None]
        b = np.clip(xR - x, 0, d)[:, None]
        den = -math.expm1(-2 * d / l)
        Sa = np.exp((a - d) / l) * (-np.expm1(-2 * a / l)) / den
        Sb = np.exp((b - d) / l) * (-np.expm1(-2 * b / l)) / den
        Ca = np.exp((a - d) / l) * (1 + np.exp(-2 * a / l)) / den
        Cb = np.exp((b - d) / l) * (1 + np.exp(-2 * b / l)) / den
        return mL * Sb + mR * Sa, G * (mL * Cb - mR * Ca)

    def grid(self, n_per_layer: int = 200, tail: float = 5.0) -> dict:
        """Profiles on a grid: ``{"x", "mu" (n,3), "js" (n,3), "layer"}``.

        Each layer gets ``n_per_layer`` points including both its ends (so every interface appears
        twice: once from each side, which shows the jumps of js); semi-infinite layers are shown
        over ``tail`` diffusion lengths.
        """
        xs, mus, jss, lays = [], [], [], []
        for i, (xL, xR) in enumerate(self.layer_bounds(tail)):
            x = np.linspace(xL, xR, n_per_layer)
            mu, js = self.layer_profile(i, x)
            xs.append(x), mus.append(mu), jss.append(js), lays.append(np.full(x.size, i))
        return {"x": np.concatenate(xs), "mu": np.concatenate(mus), "js": np.concatenate(jss),
                "layer": np.concatenate(lays)}


def solve(layers, j0: float = 1.0, interfaces=None) -> NoncollinearSolution:
    """Solve a stack of N and F layers (seed 004 model; see the module docstring).

    Parameters
    ----------
    layers : sequence of Layer
        Left to right.  End layers of finite thickness end in ideal spin sinks; ``d = inf`` end
        layers are semi-infinite.
    j0 : float
        Particle current density (≠ 0), positive when particles flow towards +x.
    interfaces : sequence of Interface or None, optional
        ``len(layers) − 1`` entries, interface k between layers k and k+1 (None: transparent).
        Default: all transparent (seed 004).

    Returns
    -------
    NoncollinearSolution
    """
    layers = _check_layers(layers)
    j0 = check_finite("j0", j0)
    if j0 == 0:
        raise ParameterError("j0", j0, "non-zero (the extra resistance is δV/j0)")
    itfs = _check_interfaces(layers, interfaces)
    M = _directions_array(layers)[None]
    mu_int, muL, muR, jL, jR, pm = _core(layers, M, j0, interfaces=itfs)
    x_int = np.zeros(len(layers) - 1)
    for k in range(1, len(layers) - 1):
        x_int[k] = x_int[k - 1] + layers[k].d
    return NoncollinearSolution(layers, j0, x_int, mu_int[0], muL[0], muR[0], jL[0], jR[0], pm[0], itfs)


def solve_batch(layers, directions: dict, j0: float = 1.0, interfaces=None) -> dict:
    """Solve the stack for many magnetic configurations at once.

    Parameters
    ----------
    layers : sequence of Layer
        The stack; F layers not named in ``directions`` keep their own ``m``.
    directions : dict {layer index: array (..., 3)}
        Unit vectors (normalized here) replacing ``m`` of those F layers; the leading shapes must
        broadcast to a common batch shape.
    j0 : float
        Particle current density (≠ 0).
    interfaces : sequence of Interface or None, optional
        As in :func:`solve` (default: all transparent).

    Returns
    -------
    dict with arrays of batch shape + trailing dims: ``mu`` (..., n_int, 3) (the mean of the two
    sides of an interface), ``mu_left``/``mu_right`` (..., n_int, 3) (its two sides), ``jumps``
    (..., n_int, 3), ``js_left``/``js_right`` (..., n_int, 3), ``delta_r`` (...), and
    ``bulk_absorbed`` (..., n_layers, 3): the transverse spin current absorbed inside each layer
    (non-zero only in F layers with a finite transverse length).
    """
    layers = _check_layers(layers)
    j0 = check_finite("j0", j0)
    if j0 == 0:
        raise ParameterError("j0", j0, "non-zero")
    out = _batch(layers, directions, j0, interfaces=_check_interfaces(layers, interfaces))
    out["delta_r"] = out.pop("spin_emf") / j0
    return out


def _batch(layers, directions: dict, j0: float, pump=None, interfaces=None) -> dict:
    """Batched solve (see :func:`solve_batch`); ``pump`` = (layer index, (..., 3) pinned transverse μ);
    ``interfaces`` validated by :func:`_check_interfaces`."""
    dirs = {}
    for i, U in directions.items():
        if not (0 <= i < len(layers)) or not layers[i].is_f:
            raise ParameterError("directions", i, "indices of F layers of the stack")
        U = np.asarray(U, dtype=float)
        if U.shape[-1:] != (3,) or not np.all(np.isfinite(U)):
            raise ParameterError(f"directions[{i}]", "array", "finite (..., 3) vectors")
        nrm = np.linalg.norm(U, axis=-1, keepdims=True)
        if np.any(nrm == 0):
            raise ParameterError(f"directions[{i}]", "zero vector", "non-zero 3-vectors")
        dirs[i] = U / nrm
    shapes = [U.shape[:-1] for U in dirs.values()] + ([np.shape(pump[1])[:-1]] if pump is not None else [])
    bshape = np.broadcast_shapes(*shapes) if shapes else ()
    M = _directions_array(layers, {i: np.broadcast_to(U, bshape + (3,)) for i, U in dirs.items()}, bshape)
    Mf = M.reshape((-1, len(layers), 3))
    pumps = None
    if pump is not None:
        pumps = {pump[0]: np.broadcast_to(np.asarray(pump[1], float), bshape + (3,)).reshape(-1, 3)}
    mu_int, muL, muR, jL, jR, pm = _core(layers, Mf, j0, pumps, interfaces)
    bulk = _bulk_absorbed(layers, Mf, jL, jR)
    dv = np.zeros(Mf.shape[0])
    for i, lay in enumerate(layers):
        if lay.is_f:
            dv += lay.p * (np.einsum("bi,bi->b", muR[:, i], Mf[:, i]) - np.einsum("bi,bi->b", muL[:, i], Mf[:, i])) / 2
    if interfaces is not None:
        dv += _interface_terms(layers, interfaces, Mf, muL, muR, j0)[0]
    js_left, js_right = jR[:, :-1], jL[:, 1:]
    nint = len(layers) - 1
    return {
        "mu": mu_int.reshape(bshape + (nint, 3)),
        "mu_left": muR[:, :-1].reshape(bshape + (nint, 3)),
        "mu_right": muL[:, 1:].reshape(bshape + (nint, 3)),
        "js_left": js_left.reshape(bshape + (nint, 3)),
        "js_right": js_right.reshape(bshape + (nint, 3)),
        "jumps": (js_left - js_right).reshape(bshape + (nint, 3)),
        "spin_emf": dv.reshape(bshape),
        "bulk_absorbed": bulk.reshape(bshape + (len(layers), 3)),
    }


def pumped(layers, free: int, u, mu_pump, interfaces=None) -> dict:
    r"""Spin accumulation and voltage pumped by a moving free layer, at zero charge current.

    A magnetization moving with velocity u̇ pumps spin into the adjacent normal metal.  With the
    instant absorption of seed 004 (an infinite mixing conductance) the transverse accumulation at
    the free layer's interfaces is pinned to the spin-battery value (Brataas, Tserkovnyak, Bauer &
    Halperin, PRB 66, 060404 (2002)) instead of 0,

    .. math:: μ_{s⊥} = ħ\, \mathbf u × \dot{\mathbf u}\quad\text{(energy; in volts divide by e)},

    which diffuses through the stack; a ferromagnet converts the accumulation it sees into the
    voltage ``V = Σ_F p_F [μ_F(x_R) − μ_F(x_L)]/2`` (the spin EMF of seed 004 §III D, here with
    j0 = 0).  This is the Onsager reciprocal of the spin-transfer torque: the linear network is
    symmetric (its matrix is the Hessian of the dissipation functional), so

    .. math:: V = \tfrac12\, \hat τ · μ_{s⊥},

    with τ̂ the transverse spin current absorbed by the free layer per unit particle current
    (:func:`free_layer_torque`), exactly; the tests verify it from the two independent solves.
    With μ_{s⊥} = ħ u × u̇ it reads ``e V = (ħ/2) τ̂·(u × u̇)``: the power ``J V`` the moving magnet
    delivers to the circuit is the power ``(ħ/2e) J τ̂·(u × u̇)`` the current's torque delivers to a
    magnet turning at angular velocity u × u̇.

    With :class:`Interface` conditions the pinned value is the free layer's side of its interfaces
    (the spin battery drives the pumped current ``Γ μ_{s⊥}`` through the mixing conductance; on the
    N side too when ``Re G_mix = ∞``).  Im G_mix (odd in the magnetization) makes the network
    non-symmetric; reciprocity then holds in the Onsager–Casimir form: ``V`` with ``Im G_mix``
    equals ``½ τ̂·μ_{s⊥}`` with the torque computed for ``−Im G_mix``.

    Parameters
    ----------
    layers : sequence of Layer
    free : int
        Index of the free F layer (instant absorption: no ``l_perp``).
    u : array_like (..., 3)
        Free-layer directions.
    mu_pump : array_like (..., 3)
        The pinned transverse accumulation (energy units of the layers); its part along u is
        dropped.
    interfaces : sequence of Interface or None, optional
        As in :func:`solve` (default: all transparent).

    Returns
    -------
    dict: ``voltage`` (...) [energy per unit charge], ``mu`` (..., n_int, 3) interface accumulations
    (``mu_left``/``mu_right``: their two sides), ``jumps`` (..., n_int, 3) spin currents absorbed at
    the interfaces.
    """
    layers = _check_layers(layers)
    if not (0 <= free < len(layers)) or not layers[free].is_f:
        raise ParameterError("free", free, "the index of an F layer of the stack")
    if not layers[free].absorbs:
        raise ParameterError(f"{layers[free].name or 'free'}.l_perp", layers[free].l_perp,
                             "absent (spin pumping is computed in the instant-absorption model of seed 004)")
    mp = np.asarray(mu_pump, dtype=float)
    if mp.shape[-1:] != (3,) or not np.all(np.isfinite(mp)):
        raise ParameterError("mu_pump", f"array of shape {mp.shape}", "finite (..., 3) vectors")
    res = _batch(layers, {free: np.asarray(u, dtype=float)}, 0.0, pump=(free, mp),
                 interfaces=_check_interfaces(layers, interfaces))
    return {"voltage": res["spin_emf"], "mu": res["mu"], "mu_left": res["mu_left"],
            "mu_right": res["mu_right"], "jumps": res["jumps"]}


def spin_pumping_voltage(stack, free, u, u_dot, interfaces: str = "refuse") -> np.ndarray:
    """DC voltage [V] pumped into an SI :class:`Stack` by its free layer moving with velocity u̇ [rad/s].

    :func:`pumped` with the spin-battery accumulation ``μ_s⊥ = (ħ/e) u × u̇`` [V] (instant
    absorption, transparent interfaces).  For a precession about the polarizer axis p̂ at angular
    frequency ω, ``u × u̇ = ω (p̂ − (u·p̂) u)``.

    Parameters
    ----------
    stack : Stack
    free : int or str
        The free F layer (index or name).
    u : array_like (..., 3)
        Free-layer directions.
    u_dot : array_like (..., 3)
        Their time derivatives [1/s] (the part along u is irrelevant).
    interfaces : {"refuse", "keep", "drop"}
        As in :func:`solve_stack`.
    """
    from ..units import E_CHARGE, HBAR

    names = [ly.name for ly in stack.layers]
    f = names.index(free) if isinstance(free, str) and free in names else free
    if isinstance(f, bool) or not isinstance(f, (int, np.integer)) or not (0 <= f < len(names)) \
            or stack.layers[f].kind != "F":
        raise ParameterError("free", free, f"an F layer of the stack (one of {[n for n, ly in zip(names, stack.layers) if ly.kind == 'F']})")
    U = np.asarray(u, dtype=float)
    U = U / np.linalg.norm(U, axis=-1, keepdims=True)
    Ud = np.asarray(u_dot, dtype=float)
    if not np.all(np.isfinite(Ud)):
        raise ParameterError("u_dot", "non-finite", "finite velocities [rad/s]")
    layers = layers_from_stack(stack, interfaces=interfaces)
    itfs = interfaces_from_stack(stack) if interfaces == "keep" else None
    return pumped(layers, int(f), U, (HBAR / E_CHARGE) * np.cross(U, Ud), interfaces=itfs)["voltage"]


@dataclass
class TorqueTable:
    """Spin-transfer torque on a free layer for many directions u (see :func:`free_layer_torque`).

    Attributes
    ----------
    u : ndarray (..., 3)
        Free-layer directions (normalized).
    torque : ndarray (..., 3)
        Transverse spin current absorbed by the free layer (the jumps at its interfaces, plus the
        part absorbed inside it for a finite transverse length), in units of the particle current;
        the torque is ``(ħ/2) torque`` per unit area; ⊥ u.
    mu_parallel : ndarray (..., 2)
        μs·u at the free layer's left and right ends (inside the layer) [energy].
    delta_r : ndarray (...)
        Extra resistance R_ne(u).
    """

    u: np.ndarray
    torque: np.ndarray
    mu_parallel: np.ndarray
    delta_r: np.ndarray


def free_layer_torque(layers, free: int, u, j0: float = 1.0, interfaces=None) -> TorqueTable:
    """Torque on F layer ``free`` as a function of its direction u, all other layers fixed.

    Vectorized: ``u`` may have any leading shape (…, 3); all configurations are solved in one
    batched linear solve (measured on the 2-core development machine: 10⁵ directions of
    the 3-layer seed-004 valve in 0.25 s, 2·10⁴ directions of a 7-layer stack in 0.2 s).

    Parameters
    ----------
    layers : sequence of Layer
    free : int
        Index of the free F layer.
    u : array_like (..., 3)
        Free-layer directions.
    j0 : float
        Particle current density (≠ 0).
    interfaces : sequence of Interface or None, optional
        As in :func:`solve` (default: all transparent).  The torque is then the transverse spin
        current the free layer absorbs through its mixing conductances (module docstring).
    """
    layers = _check_layers(layers)
    if not (0 <= free < len(layers)) or not layers[free].is_f:
        raise ParameterError("free", free, "the index of an F layer of the stack")
    U = np.asarray(u, dtype=float)
    res = solve_batch(layers, {free: U}, j0, interfaces=interfaces)
    U = U / np.linalg.norm(U, axis=-1, keepdims=True)
    t = np.zeros(U.shape)
    mpar = np.zeros(U.shape[:-1] + (2,))
    if free > 0:
        t += res["jumps"][..., free - 1, :]
        mpar[..., 0] = np.einsum("...i,...i->...", res["mu_right"][..., free - 1, :], U)
    if free < len(layers) - 1:
        t += res["jumps"][..., free, :]
        mpar[..., 1] = np.einsum("...i,...i->...", res["mu_left"][..., free, :], U)
    t += res["bulk_absorbed"][..., free, :]
    return TorqueTable(u=U, torque=t, mu_parallel=mpar, delta_r=res["delta_r"])


# --------------------------------------------------------------------------------------------
# the N/F1/N/F2/N valve of seed 004 (Appendices A, B)
# --------------------------------------------------------------------------------------------
@dataclass
class ValveResult:
    """Results for the seed-004 valve at one angle θ (reduced units, j0 as given).

    Attributes
    ----------
    mu1, mu2 : float
        Signed spin accumulations μs·m1 at the F1/N interface and μs·m2 at the N/F2 interface.
    g1, g2 : float
        Efficiency factors of seed 004 Eq. 1: ``Δjs1 = −j0 g1 m1×(m2×m1)``,
        ``Δjs2 = j0 g2 m2×(m1×m2)``; equal to ``−B μ2/j0`` and ``B μ1/j0`` (Appendix B).
    delta_r : float
        Extra resistance ``(p1 μ1 − p2 μ2)/(2 j0)``.
    jump1, jump2 : ndarray (3,)
        Spin-current jumps Δjs1, Δjs2 (Eq. 10) with m1 = e_z, m2 = (sin θ, 0, cos θ).
    solution : NoncollinearSolution
    """

    theta: float
    mu1: float
    mu2: float
    g1: float
    g2: float
    delta_r: float
    jump1: np.ndarray
    jump2: np.ndarray
    solution: NoncollinearSolution


def valve_layers(*, p1, p2, G1, G2, GN, dN, lN, theta, d1=None, l1=None, d2=None, l2=None):
    """The F1/N/F2 layer list of the seed-004 valve (outer N layers = spin sinks).

    ``theta`` in radians; m1 = e_z, m2 = (sin θ, 0, cos θ).  An omitted F thickness means
    d ≫ l (semi-infinite, G̃ = G); a given thickness needs its diffusion length.
    """
    theta = check_finite("theta", theta)

    def f_thick(dn, ln, lab):
        if dn is None:
            if ln is not None:
                check_positive(f"{lab}.l", ln)
            return _INF, (1.0 if ln is None else ln)
        dn = check_positive(f"{lab}.d", dn)
        if ln is None:
            raise ParameterError(f"{lab}.l", None, "> 0 (required when the thickness of "
                                 f"{lab} is given)")
        return dn, ln

    d1v, l1v = f_thick(d1, l1, "F1")
    d2v, l2v = f_thick(d2, l2, "F2")
    # coth(d/l), csch(d/l) stay representable (and not rounding noise) for 1e-8 ≤ d/l ≤ 700
    for lab, dv, lv in (("N.d", dN, lN), ("F1.d", d1v, l1v), ("F2.d", d2v, l2v)):
        if isinstance(dv, float) and math.isinf(dv):
            continue  # semi-infinite F layer
        dv = check_positive(lab, dv)
        lv = check_positive(lab.replace(".d", ".l"), lv)
        if not 1e-8 <= dv / lv <= 700.0:
            raise ParameterError(lab, dv, f"a thickness / spin-diffusion length ratio in [1e-8, 700] "
                                 f"(here {dv / lv:.3g})", "thinner than 1e-8 l the layer has no "
                                 "effect; beyond 700 l it is semi-infinite (omit it, or lower it)")
    m2 = (math.sin(theta), 0.0, math.cos(theta))
    return [
        Layer("F", G=G1, l=l1v, d=d1v, p=p1, m=(0.0, 0.0, 1.0), name="F1"),
        Layer("N", G=GN, l=lN, d=dN, name="N"),
        Layer("F", G=G2, l=l2v, d=d2v, p=p2, m=m2, name="F2"),
    ]


def spin_valve(*, p1, p2, G1, G2, GN, dN, lN, theta, d1=None, l1=None, d2=None, l2=None,
               j0: float = 1.0) -> ValveResult:
    """Solve the N/F1/N/F2/N valve of seed 004 at angle ``theta`` (radians) numerically.

    Parameters follow the seed's reduced units: ``G = D/2l`` (> 0), lengths > 0, ``|p| < 1``.
    Omitted F thicknesses mean ``d ≫ l``.  Returns a :class:`ValveResult`.
    """
    layers = valve_layers(p1=p1, p2=p2, G1=G1, G2=G2, GN=GN, dN=dN, lN=lN, theta=theta,
                          d1=d1, l1=l1, d2=d2, l2=l2)
    sol = solve(layers, j0)
    m1, m2 = np.asarray(layers[0].m), np.asarray(layers[2].m)
    mu1, mu2 = float(sol.mu[0] @ m1), float(sol.mu[1] @ m2)
    cothN, cschN = _coth_csch(layers[1].d, layers[1].l)
    B = layers[1].G * cschN
    return ValveResult(theta=theta, mu1=mu1, mu2=mu2, g1=-B * mu2 / j0, g2=B * mu1 / j0,
                       delta_r=sol.delta_r, jump1=sol.jumps[0], jump2=sol.jumps[1], solution=sol)


def spin_valve_mu(theta, *, p1, p2, G1, G2, GN, dN, lN, d1=None, l1=None, d2=None, l2=None,
                  j0: float = 1.0) -> dict:
    """Vectorized over ``theta`` (radians, any shape): μ1, μ2, g1, g2, δr of the seed-004 valve.

    Uses the batched general solver (not the closed form), so it is an independent check of
    seed 004 Eq. (A2) and cheap for thousands of angles.
    """
    th = np.asarray(theta, dtype=float)
    if not np.all(np.isfinite(th)):
        raise ParameterError("theta", "non-finite", "finite angles")
    layers = valve_layers(p1=p1, p2=p2, G1=G1, G2=G2, GN=GN, dN=dN, lN=lN, theta=0.0,
                          d1=d1, l1=l1, d2=d2, l2=l2)
    U = np.stack([np.sin(th), np.zeros_like(th), np.cos(th)], axis=-1)
    res = solve_batch(layers, {2: U}, j0)
    mu1 = res["mu"][..., 0, 2]
    mu2 = np.einsum("...i,...i->...", res["mu"][..., 1, :], U)
    B = layers[1].G * _coth_csch(layers[1].d, layers[1].l)[1]
    return {"mu1": mu1, "mu2": mu2, "g1": -B * mu2 / j0, "g2": B * mu1 / j0, "delta_r": res["delta_r"]}


# --------------------------------------------------------------------------------------------
# independent method: finite elements on the dissipation functional
# --------------------------------------------------------------------------------------------
def solve_fem(layers, j0: float = 1.0, n_per_length: int = 20, tail: float = 25.0) -> dict:
    """Independent check: P1 finite elements minimizing the dissipation functional.

    Minimizes ``W[μs] = Σ_α ∫ [(G l/2)|μs'|² + (G/2l)|μs|² − p j0 m·μs'] dx`` over continuous
    piecewise-linear μs with μs ∥ m in absorbing F layers and μs = 0 at spin sinks (semi-infinite
    layers are cut at ``tail`` diffusion lengths).  In an F layer with a finite transverse length
    the transverse components carry ``(G⊥ l⊥/2)|μ⊥'|² + (G⊥/2l⊥)|μ⊥|²`` instead.  Its Euler–Lagrange equations are the bulk equations and
    the natural interface conditions are seed 004 Eqs. (5)–(6).  Nodal error O(h²).

    Parameters
    ----------
    n_per_length : int
        Elements per diffusion length (each layer gets at least 4 elements).

    Returns
    -------
    dict: ``mu`` (n_int, 3) interface values, ``delta_r`` from the discrete dissipation.
    """
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    layers = _check_layers(layers)
    j0 = check_finite("j0", j0)
    nl = len(layers)
    # nodes: per layer, list of node "slots"; each slot has a basis (3 x k)
    node_basis = []  # list of arrays (3, k)
    layer_nodes = []

    def basis_for(i):
        return np.asarray(layers[i].m)[:, None] if layers[i].absorbs else np.eye(3)

    prev_last = None
    for i, lay in enumerate(layers):
        L = lay.d if lay.d < _INF else tail * lay.l
        lmin = min(lay.l, lay.l_perp) if lay.finite_transverse else lay.l
        ne = max(4, int(math.ceil(n_per_length * L / lmin)))
        ids = []
        for j in range(ne + 1):
            if j == 0 and prev_last is not None:
                ids.append(prev_last)
                continue
            at_outer = (j == 0 and i == 0) or (j == ne and i == nl - 1)
            if at_outer:
                ids.append(None)  # sink (μ = 0)
                continue
            if j == ne and i < nl - 1:
                # interface node: on the line of m next to an absorbing F layer
                E = basis_for(i) if lay.absorbs else basis_for(i + 1)
            else:
                E = basis_for(i)
            node_basis.append(E)
            ids.append(len(node_basis) - 1)
        prev_last = ids[-1]
        layer_nodes.append((ids, L / ne))
    offs = np.concatenate([[0], np.cumsum([E.shape[1] for E in node_basis])]).astype(int)
    n = int(offs[-1])
    rows, cols, vals = [], [], []
    b = np.zeros(n)
    for i, lay in enumerate(layers):
        ids, h = layer_nodes[i]

        def element(G, l):
            return G * l / h * np.array([[1.0, -1.0], [-1.0, 1.0]]) + G / l * h / 6 * np.array(
                [[2.0, 1.0], [1.0, 2.0]])

        ke = element(lay.G, lay.l)
        if lay.finite_transverse:
            m = np.asarray(lay.m)
            Pp = np.outer(m, m)
            ke_t, Pt = element(lay.G_perp, lay.l_perp), np.eye(3) - Pp
        for e in range(len(ids) - 1):
            pair = (ids[e], ids[e + 1])
            for a in range(2):
                if pair[a] is None:
                    continue
                Ea = node_basis[pair[a]]
                for c in range(2):
                    if pair[c] is None:
                        continue
                    Ec = node_basis[pair[c]]
                    if lay.finite_transverse:
                        blk = ke[a, c] * (Ea.T @ Pp @ Ec) + ke_t[a, c] * (Ea.T @ Pt @ Ec)
                    else:
                        blk = ke[a, c] * (Ea.T @ Ec)
                    r0, c0 = offs[pair[a]], offs[pair[c]]
                    for q in range(blk.shape[0]):
                        for s in range(blk.shape[1]):
                            rows.append(r0 + q), cols.append(c0 + s), vals.append(blk[q, s])
        if lay.is_f:
            m = np.asarray(lay.m)
            # linear term −p j0 m·(μ(xR) − μ(xL)) → b = ∂/∂c of p j0 m·(μR − μL)
            if ids[-1] is not None:
                b[offs[ids[-1]]:offs[ids[-1] + 1]] += lay.p * j0 * (node_basis[ids[-1]].T @ m)
            if ids[0] is not None:
                b[offs[ids[0]]:offs[ids[0] + 1]] -= lay.p * j0 * (node_basis[ids[0]].T @ m)
    K = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    c = spla.spsolve(K.tocsc(), b)
    mu_int = []
    for i in range(nl - 1):
        nid = layer_nodes[i][0][-1]
        mu_int.append(node_basis[nid] @ c[offs[nid]:offs[nid + 1]])
    # at the minimum, quadratic part = b·c/2 and that is the discrete dissipation δP
    return {"mu": np.array(mu_int).reshape(nl - 1, 3), "delta_r": float(b @ c) / 2 / j0**2}


# --------------------------------------------------------------------------------------------
# adapter for the package's Stack model (T1)
# --------------------------------------------------------------------------------------------
_L_INF_FACTOR = 1e6  # a relaxation-free finite layer is treated with l = 1e6 d (error O(1e-12))


TRANSVERSE_MODELS = ("absorb", "finite")
INTERFACE_MODES = ("refuse", "keep", "drop")


def _check_interface_mode(stack, interfaces: str) -> None:
    if interfaces not in INTERFACE_MODES:
        raise ParameterError("interfaces", interfaces, f"one of {list(INTERFACE_MODES)}")
    if interfaces != "refuse":
        return
    for i, itf in enumerate(stack.interfaces):
        if itf.r_maj != 0 or itf.r_min != 0 or not math.isinf(itf.G_mix_re):
            a, b = stack.layers[i].name, stack.layers[i + 1].name
            raise ParameterError(f"interface '{a}|{b}': r_maj/r_min/G_mix_re", (itf.r_maj, itf.r_min, itf.G_mix_re),
                                 "0, 0, inf here (transparent interfaces, seed 004)",
                                 "pass interfaces='keep' to use them (magnetoelectronic circuit theory) or "
                                 "'drop' to ignore them")


def interfaces_from_stack(stack) -> list | None:
    """The reduced :class:`Interface` list of an SI :class:`~thermokinetic.transport.stack.Stack`.

    ``G_up = 1/r_maj``, ``G_dn = 1/r_min`` [S/m²] (``inf`` for a zero resistance), ``G_mix`` from the
    stack's ``G_mix_re``/``G_mix_im`` [S/m²] (default ``inf``: transverse spin current absorbed at
    the interface, as in seed 004).  Same per-area units as the layers' ``G = σ/2l`` of
    :func:`layers_from_stack`, with μ in volts and currents in A/m².  Returns None when every
    interface is transparent (the seed-004 solver is then used unchanged).
    """
    out = []
    for i, itf in enumerate(stack.interfaces):
        a, b = stack.layers[i].name, stack.layers[i + 1].name
        x = Interface(G_up=_INF if itf.r_maj == 0 else 1.0 / itf.r_maj,
                      G_dn=_INF if itf.r_min == 0 else 1.0 / itf.r_min,
                      G_mix_re=itf.G_mix_re, G_mix_im=itf.G_mix_im, name=f"interface '{a}|{b}'")
        out.append(None if x.transparent else x)
    return out if any(x is not None for x in out) else None


def layers_from_stack(stack, transverse: str = "absorb", interfaces: str = "refuse") -> list[Layer]:
    """Map the package's SI :class:`~thermokinetic.transport.stack.Stack` onto reduced layers.

    With μ in volts and currents ``J_s = −σ_s ∂μ_s/∂x`` in A/m², seed 004's equations hold with
    ``D_s → σ_s`` and ``j0 → J``: ``p = β``, ``D_N = σ``, ``D_F = 4σ↑σ↓/(σ↑+σ↓)``, ``G = D/2l``
    [S/m²], and ``l² = σ↑σ↓ / ((σ↑+σ↓) L)`` from the spin-flip coefficient L [S/m³]
    (``∂(J↑−J↓)/∂x = −2L μs`` ⇔ ``d js/dx = −(G/l) μs``).  ``sd`` parameters do not enter.  The
    interfaces are not part of the layers: :func:`interfaces_from_stack` maps them.

    Parameters
    ----------
    stack : Stack
    transverse : {"absorb", "finite"}
        ``"absorb"`` (default, seed 004): strong ferromagnets absorb the transverse spin current at
        their interfaces.  ``"finite"``: every F layer keeps a transverse accumulation that decays
        over its λ⊥ (seed 002 Eq. 13–15, the layer's ``transverse`` table): ``l_perp = √(σ⊥/L⊥)``
        and ``G_perp = σ⊥/λ⊥`` (``δJ⊥ = −σ⊥ ∂Δμ⊥/∂x``, as ``G l = σ/2`` for the longitudinal
        channel of an N layer).  The two are one model: ``"absorb"`` is the limit λ⊥ → 0.
    interfaces : {"refuse", "keep", "drop"}
        What to do with a stack that has non-transparent interfaces: refuse it (default, for the
        callers written for seed 004's transparent interfaces), or return the layers for a caller
        that uses (``"keep"``, with :func:`interfaces_from_stack`) or drops them (``"drop"``).
    """
    if transverse not in TRANSVERSE_MODELS:
        raise ParameterError("transverse", transverse, f"one of {list(TRANSVERSE_MODELS)}")
    _check_interface_mode(stack, interfaces)
    out = []
    for ly in stack.layers:
        su, sdn = ly.sigma_up, ly.sigma_dn
        tot = su + sdn
        D = 4 * su * sdn / tot if ly.kind == "F" else tot
        if ly.L > 0:
            l = math.sqrt(su * sdn / (tot * ly.L))
        elif ly.is_lead:
            raise ParameterError(f"layer '{ly.name}': L", ly.L,
                                 "> 0 for a semi-infinite lead in the noncollinear model "
                                 "(a lead without spin relaxation cannot absorb spin)")
        else:
            l = _L_INF_FACTOR * ly.thickness
        kw = dict(kind=ly.kind, G=D / (2 * l), l=l, d=ly.thickness, name=ly.name)
        if ly.kind == "F":
            kw.update(p=ly.beta, m=tuple(ly.direction))
            if transverse == "finite":
                tp = ly.transverse_or_default()
                if not tp.L_perp > 0:
                    raise ParameterError(f"layer '{ly.name}': transverse.L_perp", tp.L_perp,
                                         "> 0 for a finite transverse length (a ferromagnet dephases the "
                                         "transverse spin)")
                lp = math.sqrt(tp.sigma_perp / tp.L_perp)
                kw.update(l_perp=lp, G_perp=tp.sigma_perp / lp)
        out.append(Layer(**kw))
    return out


@dataclass
class StackSolution:
    """Noncollinear solution of an SI :class:`Stack` (see :func:`solve_stack`).

    Attributes
    ----------
    x : ndarray (n,)
        Grid positions [m] (interface 0 at x = 0; each interface appears from both sides).
    mu : ndarray (n, 3)
        Spin accumulation vector μs = μ↑ − μ↓ [V].
    js : ndarray (n, 3)
        Spin current J↑ − J↓ as a vector in spin space [A/m²]; the angular-momentum current per
        unit area is ``(ħ/2e) js``.
    layer : ndarray (n,) of int
        Layer index of each grid point.
    names : list of str
    interface_mu : ndarray (n_int, 3)
        μs at each interface [V].
    jumps : ndarray (n_int, 3)
        Spin current absorbed at each interface [A/m²] (torque per area ``(ħ/2e) × jump``).
    torques : dict name -> ndarray (3,)
        Per F layer, sum of the jumps at its interfaces [A/m²].
    R_ne : float
        Extra (non-equilibrium) resistance × area ``δV/J`` [Ω m²]; equals the extra dissipation
        ``δP/J²``.
    current_density : float
        J [A/m²].
    R_eq : float
        Resistance × area without accumulation [Ω m²]: ``Σ d/(σ↑+σ↓)`` over the finite layers plus
        ``Σ r_maj r_min/(r_maj + r_min)`` over the interfaces used (as the collinear solvers define
        it); ``R_total = R_eq + R_ne``.
    interface_mu_left, interface_mu_right : ndarray (n_int, 3)
        μs on the two sides of each interface [V] (``interface_mu`` is their mean; all three are
        equal for transparent interfaces).
    """

    x: np.ndarray
    mu: np.ndarray
    js: np.ndarray
    layer: np.ndarray
    names: list
    interface_mu: np.ndarray
    jumps: np.ndarray
    torques: dict
    R_ne: float
    current_density: float
    reduced: NoncollinearSolution
    R_eq: float = math.nan
    interface_mu_left: np.ndarray | None = None
    interface_mu_right: np.ndarray | None = None

    @property
    def R_total(self) -> float:
        """``R_eq + R_ne`` [Ω m²]."""
        return self.R_eq + self.R_ne

    @property
    def mu_parallel(self) -> dict:
        """Per F layer, μs·m at its left and right ends [V]."""
        out = {}
        for i, lay in enumerate(self.reduced.layers):
            if lay.is_f:
                m = np.asarray(lay.m)
                out[lay.name] = (float(self.reduced.muL[i] @ m), float(self.reduced.muR[i] @ m))
        return out

    def to_dict(self) -> dict:
        """Plain-data summary (JSON-ready through :func:`thermokinetic.io.to_jsonable`)."""
        return {
            "model": "noncollinear",
            "current_density": self.current_density,
            "R_ne": self.R_ne,
            "interface_mu": self.interface_mu,
            "jumps": self.jumps,
            "torques": self.torques,
            "names": self.names,
            "x": self.x, "mu": self.mu, "js": self.js, "layer": self.layer,
        }


def solve_stack(stack, points_per_layer: int = 201, lead_extent: float = 3.0,
                transverse: str = "absorb", interfaces: str = "refuse") -> StackSolution:
    """Solve an SI :class:`~thermokinetic.transport.stack.Stack` with the noncollinear model.

    Parameters
    ----------
    stack : Stack
        Leads semi-infinite, F layers with arbitrary 3-vector directions (touching F layers must be
        (anti)parallel).
    points_per_layer : int
        Grid points per layer (>= 3).
    lead_extent : float
        Portion of each lead on the grid, in its spin-diffusion lengths (> 0).
    transverse : {"absorb", "finite"}
        Transverse spin current of the F layers absorbed at their interfaces (seed 004) or over
        their transverse lengths (:func:`layers_from_stack`).
    interfaces : {"refuse", "keep", "drop"}
        A stack with interface resistances or finite mixing conductances is refused (default),
        solved with them (``"keep"``: magnetoelectronic circuit theory, module docstring) or as if
        its interfaces were transparent (``"drop"``).

    Returns
    -------
    StackSolution (SI units: m, V, A/m², Ω m²).
    """
    if isinstance(points_per_layer, bool) or not isinstance(points_per_layer, int) or points_per_layer < 3:
        raise ParameterError("points_per_layer", points_per_layer, "an integer >= 3")
    lead_extent = check_positive("lead_extent", lead_extent)
    J = check_finite("current_density", stack.current_density)
    if J == 0:
        raise ParameterError("current_density", J, "non-zero (R_ne = δV/J)")
    layers = layers_from_stack(stack, transverse=transverse, interfaces=interfaces)
    itfs = interfaces_from_stack(stack) if interfaces == "keep" else None
    sol = solve(layers, J, interfaces=itfs)
    g = sol.grid(points_per_layer, tail=lead_extent)
    R_eq = sum(ly.thickness / (ly.sigma_up + ly.sigma_dn) for ly in stack.inner)
    if itfs is not None:
        R_eq += sum(itf.r_eq for itf in itfs if itf is not None)
    return StackSolution(x=g["x"], mu=g["mu"], js=g["js"], layer=g["layer"],
                         names=[ly.name for ly in layers], interface_mu=sol.mu.copy(),
                         jumps=sol.jumps.copy(), torques=dict(sol.torques), R_ne=sol.delta_r,
                         current_density=J, reduced=sol, R_eq=R_eq,
                         interface_mu_left=sol.mu_left.copy(), interface_mu_right=sol.mu_right.copy())
