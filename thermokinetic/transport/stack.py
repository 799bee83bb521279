r"""Stack model of a 1D (current-perpendicular-to-plane) multilayer, validated on construction.

Units (SI throughout)
---------------------
* lengths, thicknesses, spin-diffusion lengths: **m**;
* conductivities σ↑, σ↓, σ_d, σ⊥: **S/m**;
* relaxation (Onsager) coefficients L, L_sd, L⊥: **S/m³** (a spin-flip flux ψ̇ in A/m³ per volt
  of chemical-potential difference);
* interface resistances (resistance × area): **Ω m²**; interface mixing conductances ``G_mix_re``,
  ``G_mix_im`` (per area, per-spin normalization: ``G_mix = 1/r_maj = 1/r_min`` for a
  spin-independent interface): **S/m²** (noncollinear model only);
* current density J: **A/m²**; electrochemical potentials μ: **eV** (numerically volts: μ/e).

Sign convention (consistent with :data:`thermokinetic.units.CURRENT_SIGN_CONVENTION`)
----------------------------------------------------------------------------------
``J`` is *e times the electron number flux along +x*: ``J > 0`` means electrons flow from the left
(the first layer, usually the fixed polarizer) towards the right.  Electrons flow down the
electrochemical potential, ``J_s = -σ_s ∂μ_s/∂x`` for each spin channel s, so μ decreases along
+x when J > 0 and every resistance ``(μ(left) − μ(right))/J`` is positive.

Stack API (used by the collinear solvers here and by
:func:`thermokinetic.transport.noncollinear.solve_stack`)
-------------------------------------------------------------------------------------------
``Stack.layers`` is a tuple of :class:`Layer`; ``layers[0]`` and ``layers[-1]`` are the
semi-infinite leads (``thickness == math.inf``), the others are finite.  ``Stack.interfaces`` is a
tuple of ``len(layers) - 1`` :class:`Interface` (interface ``i`` lies between ``layers[i]`` and
``layers[i+1]``, at ``Stack.positions[i]``; ``positions[0] == 0``).  ``Stack.current_density`` is
J in A/m².  Each :class:`Layer` has

* ``name``, ``kind`` (``"N"`` or ``"F"``), ``thickness`` [m];
* ``sigma_up``, ``sigma_dn`` [S/m]: majority / minority conductivities in the layer's own
  magnetization frame (equal in N); derived ``sigma = σ↑+σ↓``, ``sigma0 = (σ↑+σ↓)/2``,
  ``beta = (σ↑−σ↓)/(σ↑+σ↓)`` (the definition consistent with seed 002 Eq. 10);
* ``L`` [S/m³]: spin-flip Onsager coefficient (ψ̇ = L Δμ, seed 002 Eq. 9); ``lsf`` [m] is derived
  from the Onsager block (:mod:`thermokinetic.transport.channels`), never stored twice;
* ``direction``: unit 3-vector of the magnetization for F layers (``None`` for N);
* ``sd``: optional :class:`SdParameters` (four-channel model, F only);
* ``transverse``: optional :class:`TransverseParameters` (σ⊥, L⊥; seed 002 Eq. 13–15).

:meth:`Stack.collinear_signs` returns the common axis and ±1 per F layer (parallel / antiparallel)
and raises for noncollinear stacks, which need the ``noncollinear`` model.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..errors import (
    ParameterError,
    _as_real,
    check_choice,
    check_finite,
    check_nonnegative,
    check_positive,
    check_range,
    check_unit_vector,
)
from ..units import E_CHARGE

__all__ = [
    "SdParameters",
    "TransverseParameters",
    "Layer",
    "Interface",
    "Stack",
    "Case",
    "MODELS",
    "load_case",
    "case_from_dict",
    "layer_from_dict",
]

MODELS = ("two-channel", "four-channel", "transverse", "noncollinear")


@dataclass(frozen=True)
class SdParameters:
    """s–d parameters of a ferromagnet (seed 002 Eq. 16–17).

    Attributes
    ----------
    sigma_d : float
        Conductivity of the minority-spin d channel d↓ [S/m] (> 0).
    L_sd : float
        s↓–d↓ relaxation coefficient [S/m³] (>= 0): ψ̇_sd = L_sd (μ_s↓ − μ_d↓).
    """

    sigma_d: float
    L_sd: float


@dataclass(frozen=True)
class TransverseParameters:
    """Transverse spin transport of a layer (seed 002 Eq. 13–15).

    Attributes
    ----------
    sigma_perp : float
        Transverse spin conductivity σ⊥ [S/m] (> 0): δJ⊥ = −σ⊥ ∂Δμ⊥/∂x.
    L_perp : float
        Transverse relaxation coefficient L⊥ [S/m³] (>= 0): ψ̇⊥ = L⊥ Δμ⊥.  From a relaxation time
        τ⊥ [s] and the density of states at the Fermi level N_F [eV⁻¹ m⁻³] (both spins):
        L⊥ = e N_F / (2 τ⊥) (the transverse spin density is δn⊥ = N_F Δμ⊥ / 2).
    """

    sigma_perp: float
    L_perp: float

    @staticmethod
    def L_from_tau(tau_perp: float, dos: float) -> float:
        """L⊥ [S/m³] from τ⊥ [s] and N_F [states eV⁻¹ m⁻³]: ψ̇⊥ = e δn⊥/τ⊥, δn⊥ = N_F Δμ⊥/2."""
        tau_perp = check_positive("tau_perp", tau_perp)
        dos = check_positive("dos", dos)
        return E_CHARGE * dos / (2.0 * tau_perp)


@dataclass(frozen=True)
class Layer:
    """One layer (or a semi-infinite lead when ``thickness`` is ``math.inf``).

    Build it with :meth:`Layer.create`, which accepts the conductivities and the relaxation
    in any of their documented forms and validates everything.  Units: see the module docstring.
    """

    name: str
    kind: str
    thickness: float
    sigma_up: float
    sigma_dn: float
    L: float
    direction: np.ndarray | None = None
    sd: SdParameters | None = None
    transverse: TransverseParameters | None = None

    # -- derived quantities -------------------------------------------------------------------
    @property
    def sigma(self) -> float:
        """Total conductivity σ↑ + σ↓ [S/m]."""
        return self.sigma_up + self.sigma_dn

    @property
    def sigma0(self) -> float:
        """Mean channel conductivity σ0 = (σ↑+σ↓)/2 [S/m] (seed 002 Eq. 10)."""
        return 0.5 * (self.sigma_up + self.sigma_dn)

    @property
    def beta(self) -> float:
        """Bulk spin asymmetry β = (σ↑−σ↓)/(σ↑+σ↓) (dimensionless, |β| < 1)."""
        return (self.sigma_up - self.sigma_dn) / (self.sigma_up + self.sigma_dn)

    @property
    def is_lead(self) -> bool:
        return math.isinf(self.thickness)

    @property
    def lsf(self) -> float:
        """Spin-diffusion length [m], derived from the two-channel Onsager block (Eq. 9–11)."""
        from .channels import two_channel_block

        return two_channel_block(self.sigma_up, self.sigma_dn, self.L).diffusion_lengths()[0]

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        name: str,
        kind: str,
        thickness: float,
        *,
        sigma_up=None,
        sigma_dn=None,
        sigma=None,
        sigma0=None,
        beta=None,
        lsf=None,
        L=None,
        direction=None,
        sd=None,
        transverse=None,
    ) -> "Layer":
        """Validated constructor.

        Parameters
        ----------
        name : str
            Label used in error messages and outputs.
        kind : {"N", "F"}
            Normal metal or ferromagnet.
        thickness : float
            Thickness [m] (> 0), ``math.inf`` for a semi-infinite lead.
        sigma_up, sigma_dn : float, optional
            Majority / minority conductivities [S/m] (> 0).
        sigma : float, optional
            Total conductivity σ↑+σ↓ [S/m]; with ``beta`` (F) or alone (N).
        sigma0 : float, optional
            Mean conductivity (σ↑+σ↓)/2 [S/m] as in seed 002 Eq. 10; with ``beta`` or alone (N).
        beta : float, optional
            Bulk asymmetry (σ↑−σ↓)/(σ↑+σ↓), |β| < 1; 0 for N.
        lsf : float, optional
            Spin-diffusion length [m] (> 0, may be ``inf``); converted to L with the Onsager block.
        L : float, optional
            Spin-flip Onsager coefficient [S/m³] (>= 0).  Give exactly one of ``lsf`` and ``L``.
        direction : 3-vector, optional
            Magnetization direction (F layers: required; N layers: must be absent).
        sd : dict or SdParameters, optional
            ``{"sigma_d": S/m, "L_sd": S/m³}`` or ``{"sigma_d", "l_sd": m}`` with
            l_sd⁻² = L_sd (1/σ↓ + 1/σ_d) (the bare s↓–d↓ length).  F only.
        transverse : dict or TransverseParameters, optional
            ``{"sigma_perp": S/m}`` plus one of ``{"L_perp": S/m³}``, ``{"l_perp": m}``
            (l⊥ = sqrt(σ⊥/L⊥)) or ``{"tau_perp": s, "dos": eV⁻¹ m⁻³}``.
        """
        if not isinstance(name, str) or not name:
            raise ParameterError("layer name", name, "a non-empty string")
        p = f"layer '{name}': "
        kind = check_choice(p + "kind", kind, ["N", "F"])
        if thickness is None:
            raise ParameterError(p + "thickness", thickness, "> 0 [m] (inf for a lead)")
        t = _as_real(p + "thickness", thickness)  # a list or a string is refused, not a TypeError
        if not (isinstance(t, float) and math.isinf(t) and t > 0):
            t = check_positive(p + "thickness", thickness)
            if t > 1.0:
                raise ParameterError(p + "thickness", thickness, "<= 1 m, or inf for a lead")

        # conductivities
        given = {k for k, v in dict(sigma_up=sigma_up, sigma_dn=sigma_dn, sigma=sigma, sigma0=sigma0,
                                     beta=beta).items() if v is not None}
        if given >= {"sigma_up", "sigma_dn"}:
            if given - {"sigma_up", "sigma_dn"}:
                raise ParameterError(p + "sigma", sorted(given), "either (sigma_up, sigma_dn) or "
                                     "(sigma | sigma0 [, beta]), not both")
            su = check_positive(p + "sigma_up", sigma_up)
            sdn = check_positive(p + "sigma_dn", sigma_dn)
        else:
            if (sigma is None) == (sigma0 is None) or given & {"sigma_up", "sigma_dn"}:
                raise ParameterError(p + "sigma", sorted(given) or None,
                                     "exactly one of: (sigma_up, sigma_dn), sigma [+ beta], "
                                     "sigma0 [+ beta]")
            tot = (check_positive(p + "sigma", sigma) if sigma is not None
                   else 2.0 * check_positive(p + "sigma0", sigma0))
            if beta is None:
                if kind == "F":
                    raise ParameterError(p + "beta", None, "in (-1, 1) (required for a ferromagnet "
                                         "given sigma or sigma0)")
                b = 0.0
            else:
                b = check_range(p + "beta", beta, -1, 1, lo_open=True, hi_open=True)
            su, sdn = 0.5 * tot * (1 + b), 0.5 * tot * (1 - b)
        if kind == "N" and abs(su - sdn) > 1e-12 * (su + sdn):
            raise ParameterError(p + "beta", (su - sdn) / (su + sdn), "0 in a normal metal (N)",
                                 "use kind = 'F' for a spin-asymmetric layer")

        # relaxation
        if (lsf is None) == (L is None):
            raise ParameterError(p + "lsf/L", (lsf, L), "exactly one of lsf [m] and L [S/m^3]")
        if L is not None:
            Lc = check_nonnegative(p + "L", L)
        else:
            lv = _as_real(p + "lsf", lsf)
            if isinstance(lv, float) and math.isinf(lv) and lv > 0:
                Lc = 0.0
            else:
                lv = check_positive(p + "lsf", lsf)
                if not 1e-12 <= lv <= 1.0:
                    raise ParameterError(p + "lsf", lsf, "in [1e-12, 1] m, or inf (no spin relaxation)")
                from .channels import two_channel_block

                Lc = two_channel_block(su, sdn, 1.0).relaxation_for_length(lv)

        # direction
        if kind == "F":
            if direction is None:
                raise ParameterError(p + "direction", None, "a non-zero 3-vector (a ferromagnet "
                                     "needs its magnetization direction)")
            u = check_unit_vector(p + "direction", direction)
        else:
            if direction is not None:
                raise ParameterError(p + "direction", direction, "absent for a normal metal (N)")
            u = None

        # s-d parameters
        sdp = None
        if sd is not None:
            if kind != "F":
                raise ParameterError(p + "sd", sd, "absent for a normal metal (s-d parameters are "
                                     "for ferromagnets)")
            sdp = _sd_from(p, sd, sdn)

        tp = None
        if transverse is not None:
            tp = _transverse_from(p, transverse)

        return cls(name=name, kind=kind, thickness=t, sigma_up=su, sigma_dn=sdn, L=Lc, direction=u,
                   sd=sdp, transverse=tp)

    def with_direction(self, direction) -> "Layer":
        """Copy with another magnetization direction (F only)."""
        if self.kind != "F":
            raise ParameterError(f"layer '{self.name}': direction", direction, "absent for N")
        return replace(self, direction=check_unit_vector(f"layer '{self.name}': direction", direction))

    def transverse_or_default(self) -> TransverseParameters:
        """Transverse parameters; N layers default to isotropic relaxation.

        In a normal metal spin relaxation is isotropic: σ⊥ = σ0 and L⊥ = 2L give λ⊥ = λ_sf
        (the factor 2: a spin flip changes n↑ − n↓ by two, seed 002 Eq. 7 vs Eq. 13).
        """
        if self.transverse is not None:
            return self.transverse
        if self.kind == "N":
            return TransverseParameters(sigma_perp=self.sigma0, L_perp=2.0 * self.L)
        raise ParameterError(f"layer '{self.name}': transverse", None,
                             "a table {sigma_perp, L_perp | l_perp | tau_perp+dos} (required for "
                             "ferromagnets in the transverse model)")


def _sd_from(p: str, sd, sigma_s_dn: float) -> SdParameters:
    if isinstance(sd, SdParameters):
        sd = {"sigma_d": sd.sigma_d, "L_sd": sd.L_sd}
    if not isinstance(sd, dict):
        raise ParameterError(p + "sd", sd, "a table with sigma_d and L_sd (or l_sd)")
    _reject_unknown(p + "sd", sd, {"sigma_d", "L_sd", "l_sd"})
    if "sigma_d" not in sd:
        raise ParameterError(p + "sd.sigma_d", None, "> 0 [S/m]")
    sig_d = check_positive(p + "sd.sigma_d", sd["sigma_d"])
    if ("L_sd" in sd) == ("l_sd" in sd):
        raise ParameterError(p + "sd.L_sd/l_sd", None, "exactly one of L_sd [S/m^3] and l_sd [m]")
    if "L_sd" in sd:
        Lsd = check_nonnegative(p + "sd.L_sd", sd["L_sd"])
    else:
        l_sd = check_positive(p + "sd.l_sd", sd["l_sd"])
        # bare s↓–d↓ length: l_sd^-2 = L_sd (1/σ_s↓ + 1/σ_d)  (from Eq. 16-17 with L_s = 0)
        Lsd = 1.0 / (l_sd**2 * (1.0 / sigma_s_dn + 1.0 / sig_d))
    return SdParameters(sigma_d=sig_d, L_sd=Lsd)


def _transverse_from(p: str, tr) -> TransverseParameters:
    if isinstance(tr, TransverseParameters):
        return TransverseParameters(check_positive(p + "transverse.sigma_perp", tr.sigma_perp),
                                    check_nonnegative(p + "transverse.L_perp", tr.L_perp))
    if not isinstance(tr, dict):
        raise ParameterError(p + "transverse", tr, "a table with sigma_perp and L_perp/l_perp/tau_perp")
    _reject_unknown(p + "transverse", tr, {"sigma_perp", "L_perp", "l_perp", "tau_perp", "dos"})
    if "sigma_perp" not in tr:
        raise ParameterError(p + "transverse.sigma_perp", None, "> 0 [S/m]")
    sp = check_positive(p + "transverse.sigma_perp", tr["sigma_perp"])
    n_given = sum(k in tr for k in ("L_perp", "l_perp", "tau_perp"))
    if n_given != 1:
        raise ParameterError(p + "transverse", sorted(tr), "exactly one of L_perp [S/m^3], "
                             "l_perp [m], tau_perp [s] (+ dos [1/(eV m^3)])")
    if "L_perp" in tr:
        Lp = check_nonnegative(p + "transverse.L_perp", tr["L_perp"])
    elif "l_perp" in tr:
        lp = check_positive(p + "transverse.l_perp", tr["l_perp"])
        Lp = sp / lp**2
    else:
        if "dos" not in tr:
            raise ParameterError(p + "transverse.dos", None, "> 0 [states/(eV m^3)] (needed with tau_perp)")
        Lp = TransverseParameters.L_from_tau(
            check_positive(p + "transverse.tau_perp", tr["tau_perp"]),
            check_positive(p + "transverse.dos", tr["dos"]))
    return TransverseParameters(sigma_perp=sp, L_perp=Lp)


def _reject_unknown(where: str, d: dict, allowed: set):
    for k in d:
        if k not in allowed:
            raise ParameterError(f"{where}: key '{k}'", k, f"one of {sorted(allowed)}",
                                 "unknown key")


@dataclass(frozen=True)
class Interface:
    """Spin-dependent interface resistance (resistance × area) [Ω m²] and mixing conductance [S/m²].

    ``r_maj`` / ``r_min`` are the resistances of the majority / minority channels of the adjacent
    ferromagnet (the left one if both sides are F).  Valet–Fert form: r_maj,min = 2 r_b (1 ∓ γ).
    Between two N layers r_maj must equal r_min.  The default is a transparent interface.

    ``G_mix_re`` (>= 0, ``inf`` allowed) and ``G_mix_im`` (finite) are the real and imaginary parts
    of the mixing conductance per area of magnetoelectronic circuit theory, in the per-spin
    normalization of ``1/r_maj`` (used by the noncollinear model only:
    :mod:`thermokinetic.transport.noncollinear`, where the absorbed transverse spin current is
    ``Re G_mix m×(μ_N×m) + Im G_mix μ_N×m``).  Default ``inf`` and 0: the transverse spin current
    is absorbed at the interface (seed 004).  Refused between two N layers (spin-isotropic).
    """

    r_maj: float = 0.0
    r_min: float = 0.0
    G_mix_re: float = math.inf
    G_mix_im: float = 0.0

    @classmethod
    def create(cls, where: str = "interface", *, r_maj=None, r_min=None, r_b=None, gamma=None,
               G_mix_re=None, G_mix_im=None):
        """Validated constructor: give (r_maj, r_min) [Ω m²] or (r_b [Ω m²], gamma in (-1, 1)), and
        optionally ``G_mix_re`` [S/m², >= 0 or inf] and ``G_mix_im`` [S/m², finite; needs a finite
        ``G_mix_re``]."""
        gr = math.inf if G_mix_re is None else _as_real(where + ": G_mix_re", G_mix_re)
        if not (isinstance(gr, float) and math.isinf(gr) and gr > 0):
            gr = check_nonnegative(where + ": G_mix_re", G_mix_re)
        gi = 0.0 if G_mix_im is None else check_finite(where + ": G_mix_im", G_mix_im)
        if gi != 0 and math.isinf(gr):
            raise ParameterError(where + ": G_mix_im", G_mix_im, "given with a finite G_mix_re [S/m^2]")
        if r_b is not None or gamma is not None:
            if r_maj is not None or r_min is not None:
                raise ParameterError(where + ": r_b/gamma", (r_b, gamma),
                                     "either (r_maj, r_min) or (r_b, gamma), not both")
            rb = check_nonnegative(where + ": r_b", 0.0 if r_b is None else r_b)
            g = check_range(where + ": gamma", 0.0 if gamma is None else gamma, -1, 1,
                            lo_open=True, hi_open=True)
            return cls(2 * rb * (1 - g), 2 * rb * (1 + g), gr, gi)
        a = check_nonnegative(where + ": r_maj", 0.0 if r_maj is None else r_maj)
        b = check_nonnegative(where + ": r_min", a if r_min is None else r_min)
        return cls(a, b, gr, gi)

    @property
    def r_eq(self) -> float:
        """Resistance without accumulation: both channels in parallel [Ω m²]."""
        if self.r_maj == 0 or self.r_min == 0:
            return 0.0
        return self.r_maj * self.r_min / (self.r_maj + self.r_min)


@dataclass(frozen=True)
class Stack:
    """A multilayer between two semi-infinite leads, with a current density.

    Parameters
    ----------
    layers : sequence of Layer
        ``layers[0]`` and ``layers[-1]`` are leads (thickness ``inf``); the others are finite.
    interfaces : sequence of Interface, optional
        ``len(layers) - 1`` interfaces (default: all transparent).
    current_density : float
        J [A/m²], e × electron flux along +x (J > 0: electrons flow left → right).
    """

    layers: tuple
    interfaces: tuple = field(default=None)
    current_density: float = 1.0

    def __post_init__(self):
        layers = tuple(self.layers)
        if len(layers) < 2:
            raise ParameterError("layers", len(layers), ">= 2 (two semi-infinite leads)")
        for ly in layers:
            if not isinstance(ly, Layer):
                raise ParameterError("layers", type(ly).__name__, "Layer objects (use Layer.create)")
        names = [ly.name for ly in layers]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ParameterError("layer name", sorted(dup)[0], "unique within a stack")
        for i, ly in enumerate(layers):
            lead = i in (0, len(layers) - 1)
            if lead and not ly.is_lead:
                raise ParameterError(f"layer '{ly.name}': thickness", ly.thickness,
                                     "inf (the first and last layers are semi-infinite leads)")
            if not lead and ly.is_lead:
                raise ParameterError(f"layer '{ly.name}': thickness", ly.thickness,
                                     "finite (only the first and last layers are leads)")
        ifs = self.interfaces
        if ifs is None:
            ifs = tuple(Interface() for _ in range(len(layers) - 1))
        ifs = tuple(ifs)
        if len(ifs) != len(layers) - 1:
            raise ParameterError("interfaces", len(ifs), f"{len(layers) - 1} (one per pair of layers)")
        for i, itf in enumerate(ifs):
            if not isinstance(itf, Interface):
                raise ParameterError(f"interface {i}", itf, "an Interface")
            if (layers[i].kind == "N" and layers[i + 1].kind == "N"
                    and itf.r_maj != itf.r_min):
                raise ParameterError(f"interface '{layers[i].name}|{layers[i + 1].name}': r_min",
                                     itf.r_min, f"= r_maj = {itf.r_maj} between two normal metals")
            if (layers[i].kind == "N" and layers[i + 1].kind == "N"
                    and (not math.isinf(itf.G_mix_re) or itf.G_mix_im != 0)):
                raise ParameterError(f"interface '{layers[i].name}|{layers[i + 1].name}': G_mix_re",
                                     itf.G_mix_re, "absent between two normal metals (a spin-independent "
                                     "interface has G_mix = 1/r_maj)")
        # |J| ≤ 1e15 A/m² (two orders above any device): keeps every accumulation and voltage finite
        J = check_finite("current_density", self.current_density)
        if abs(J) > 1e15:
            raise ParameterError("current_density", J, "|current_density| <= 1e15 A/m^2")
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "interfaces", ifs)
        object.__setattr__(self, "current_density", J)

    # -- geometry ---------------------------------------------------------------------------------
    @property
    def positions(self) -> np.ndarray:
        """Interface positions [m]; interface 0 is at x = 0."""
        t = [ly.thickness for ly in self.layers[1:-1]]
        return np.concatenate([[0.0], np.cumsum(t)]) if t else np.array([0.0])

    @property
    def inner(self) -> tuple:
        return self.layers[1:-1]

    def layer(self, name: str) -> Layer:
        for ly in self.layers:
            if ly.name == name:
                return ly
        raise ParameterError("layer", name, f"one of {[ly.name for ly in self.layers]}")

    def index(self, name: str) -> int:
        return [ly.name for ly in self.layers].index(self.layer(name).name)

    def ferromagnets(self) -> list:
        return [ly for ly in self.layers if ly.kind == "F"]

    def collinear_signs(self, tol: float = 1e-9):
        """Common axis and the sign (+1 parallel, −1 antiparallel) of each layer's magnetization.

        Returns ``(axis, signs)`` with ``signs[i] = 0`` for N layers.  The axis is the direction of
        the first F layer (e_z if there is none).  Raises :class:`ParameterError` when an F layer is
        neither parallel nor antiparallel to it (use the ``noncollinear`` model).
        """
        fs = self.ferromagnets()
        axis = fs[0].direction if fs else np.array([0.0, 0.0, 1.0])
        signs = []
        for ly in self.layers:
            if ly.kind == "N":
                signs.append(0)
                continue
            c = float(np.dot(ly.direction, axis))
            if abs(abs(c) - 1) > tol:
                raise ParameterError(f"layer '{ly.name}': direction", ly.direction,
                                     f"parallel or antiparallel to {axis.tolist()} in a collinear "
                                     "model", "use model = 'noncollinear'")
            signs.append(1 if c > 0 else -1)
        return axis, signs

    def with_current(self, J: float) -> "Stack":
        return replace(self, current_density=J)

    def with_layer(self, name: str, layer: Layer) -> "Stack":
        layers = tuple(layer if ly.name == name else ly for ly in self.layers)
        return Stack(layers, self.interfaces, self.current_density)


# ---------------------------------------------------------------------------------------------
# TOML case files
# ---------------------------------------------------------------------------------------------
_LAYER_KEYS = {"name", "kind", "thickness", "sigma_up", "sigma_dn", "sigma", "sigma0", "beta", "lsf",
               "L", "direction", "sd", "transverse"}
_TOP_KEYS = {"title", "description", "model", "current_density", "layer", "interface", "grid",
             "transverse_source"}
_GRID_KEYS = {"points_per_layer", "lead_extent"}
_IF_KEYS = {"after", "r_maj", "r_min", "r_b", "gamma", "G_mix_re", "G_mix_im"}
_SRC_KEYS = {"interface", "dJ_perp"}


@dataclass(frozen=True)
class Case:
    """A validated case file.

    Attributes
    ----------
    stack : Stack
    model : str
        One of :data:`MODELS`.
    title : str
    points_per_layer : int
        Output grid points per finite layer.
    lead_extent : float
        Portion of each lead shown in outputs, in units of the lead's spin-diffusion length.
    transverse_source : dict or None
        ``{"interface": name of the layer left of the interface, "dJ_perp": A/m²}``: a transverse
        spin current injected at that interface (transverse model).
    """

    stack: Stack
    model: str
    title: str = ""
    points_per_layer: int = 201
    lead_extent: float = 3.0
    transverse_source: dict | None = None


def layer_from_dict(d: dict, index: int = 0) -> Layer:
    """Build a :class:`Layer` from a case-file table (unknown keys rejected)."""
    if not isinstance(d, dict):
        raise ParameterError(f"layer[{index}]", d, "a table")
    name = d.get("name", f"layer{index}")
    _reject_unknown(f"layer '{name}'", d, _LAYER_KEYS)
    kw = {k: v for k, v in d.items() if k not in ("name", "kind", "thickness")}
    if "kind" not in d:
        raise ParameterError(f"layer '{name}': kind", None, "'N' or 'F'")
    return Layer.create(name, d["kind"], d.get("thickness"), **kw)


def case_from_dict(data: dict, *, model: str | None = None) -> Case:
    """Validate a parsed case file (see ``cases/stack_*.toml`` for documented examples)."""
    _reject_unknown("case file", data, _TOP_KEYS)
    m = model if model is not None else data.get("model", "two-channel")
    m = check_choice("model", m, list(MODELS))
    raw_layers = data.get("layer")
    if not isinstance(raw_layers, list) or len(raw_layers) < 2:
        raise ParameterError("layer", raw_layers, "an array of >= 2 [[layer]] tables (two leads)")
    layers = [layer_from_dict(d, i) for i, d in enumerate(raw_layers)]
    names = [ly.name for ly in layers]
    ifs = [Interface() for _ in range(len(layers) - 1)]
    raw_ifs = data.get("interface", [])
    if not isinstance(raw_ifs, list):
        raise ParameterError("interface", raw_ifs, "an array of [[interface]] tables (after = '<layer name>', ...)")
    for d in raw_ifs:
        if not isinstance(d, dict):
            raise ParameterError("interface", d, "a table")
        _reject_unknown("interface", d, _IF_KEYS)
        after = d.get("after")
        if after not in names[:-1]:
            raise ParameterError("interface.after", after, f"one of {names[:-1]} (the layer on its left)")
        i = names.index(after)
        kw = {k: v for k, v in d.items() if k != "after"}
        ifs[i] = Interface.create(f"interface after '{after}'", **kw)
    if "current_density" not in data:
        raise ParameterError("current_density", None, "a real number [A/m^2]")
    Jc = data["current_density"]
    if isinstance(Jc, (int, float)) and not isinstance(Jc, bool) and abs(Jc) < 1e-6:
        # found by the property test: J = 0 divided by zero in R = δV/J (a traceback), and J = 1e-320 gave
        # R_total = 0 and R_ne = −R_eq with exit 0 (the potentials underflow); the accumulation is linear in J
        raise ParameterError("current_density", Jc, "non-zero, |current_density| >= 1e-6 A/m^2 (R_ne = δV/J; the "
                             "accumulation is linear in J, so any such value gives the profiles per unit J)")
    stack = Stack(tuple(layers), tuple(ifs), data["current_density"])
    grid = data.get("grid", {})
    if not isinstance(grid, dict):
        raise ParameterError("grid", grid, "a table")
    _reject_unknown("grid", grid, _GRID_KEYS)
    ppl = grid.get("points_per_layer", 201)
    if isinstance(ppl, bool) or not isinstance(ppl, int) or ppl < 3:
        raise ParameterError("grid.points_per_layer", ppl, "an integer >= 3")
    ext = check_positive("grid.lead_extent", grid.get("lead_extent", 3.0))
    src = data.get("transverse_source")
    if src is not None:
        if not isinstance(src, dict):
            raise ParameterError("transverse_source", src, "a table {interface, dJ_perp}")
        _reject_unknown("transverse_source", src, _SRC_KEYS)
        if src.get("interface") not in names[:-1]:
            raise ParameterError("transverse_source.interface", src.get("interface"),
                                 f"one of {names[:-1]} (the layer left of the interface)")
        src = {"interface": src["interface"],
               "dJ_perp": check_finite("transverse_source.dJ_perp", src.get("dJ_perp"))}
    if m == "transverse" and src is None:
        raise ParameterError("transverse_source", None, "a table {interface, dJ_perp} for the "
                             "transverse model")
    return Case(stack=stack, model=m, title=str(data.get("title", "")), points_per_layer=ppl,
                lead_extent=ext, transverse_source=src)


def load_case(path, *, model: str | None = None) -> Case:
    """Read and validate a TOML case file; ``model`` overrides the file's ``model`` key."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"case file not found: {path}")
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError("case file", str(path), f"valid TOML ({exc})") from None
    return case_from_dict(data, model=model)
