r"""A free layer described by its geometry and materials, reduced to the energy the solvers use.

Energy density (J/m³) of a uniformly magnetized layer with magnetization direction u, in the
device frame (e₁ along the length, e₂ along the width, e₃ = n the film normal):

.. math::

    w(u) = \tfrac12 μ_0 M_s^2 \sum_i N_i u_i^2 \;-\; K (u·k)^2 \;-\; \frac{K_s}{t} (u·n)^2
         = \sum_i c_i u_i^2 ,

with the demagnetizing factors N_i of the shape (:mod:`thermokinetic.geometry`: elliptic cylinder
for an ellipse, rectangular prism for a rectangle), the bulk uniaxial anisotropy K along
``K_axis`` ∈ {length, width, normal}, and the interfacial anisotropy K_s (J/m², > 0 favours the
normal; it acts as a volume term K_s/t for an ultrathin layer).  Sorting ``c_e ≤ c_m ≤ c_h``
(easy, intermediate, hard axis), ``Σ u_i² = 1`` gives, up to a constant, the reduced energy of
:func:`thermokinetic.energy.thin_film` with the easy axis as e_z and the hard axis as e_x:

.. math::

    U/kT = -σ u_z^2 + σ_p u_x^2,\qquad σ = \frac{(c_m - c_e) v}{k_B T},\quad
    σ_p = \frac{(c_h - c_m) v}{k_B T},

so the thermal stability factor is ``Δ = σ`` (barrier through the intermediate axis), the
anisotropy field ``H_K = 2 (c_m − c_e)/(μ0 Ms)`` (A/m), and the magnet is *perpendicular* when its
easy axis is the film normal, *in-plane* otherwise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .errors import ParameterError, check_nonnegative, check_positive
from .units import KB, MU0

__all__ = ["FreeLayer", "SHAPES", "AXES"]

SHAPES = ("ellipse", "rectangle")
AXES = ("length", "width", "normal")


@dataclass(frozen=True)
class FreeLayer:
    """A free layer from its geometry and materials (SI).

    Parameters
    ----------
    shape : {"ellipse", "rectangle"}
        Lateral shape (an ellipse of axes ``length`` × ``width``; a circular disk has length = width).
    length, width : float
        Lateral sizes [m] (full axes of the ellipse, edges of the rectangle), length ≥ width.
    thickness : float
        Thickness t [m].
    Ms : float
        Saturation magnetization [A/m] (> 0).
    K : float
        Bulk uniaxial anisotropy [J/m³] (≥ 0) along ``K_axis``.
    K_axis : {"length", "width", "normal"}
        Direction of the bulk anisotropy axis.
    K_s : float
        Interfacial anisotropy [J/m²] (≥ 0), favouring the film normal.
    """

    shape: str
    length: float
    width: float
    thickness: float
    Ms: float
    K: float = 0.0
    K_axis: str = "length"
    K_s: float = 0.0
    _N: tuple = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.shape not in SHAPES:
            raise ParameterError("magnet.shape", self.shape, f"one of {list(SHAPES)}")
        if self.K_axis not in AXES:
            raise ParameterError("magnet.K_axis", self.K_axis, f"one of {list(AXES)}")
        L = check_positive("magnet.length", self.length)
        W = check_positive("magnet.width", self.width)
        t = check_positive("magnet.thickness", self.thickness)
        if W > L:
            raise ParameterError("magnet.width", W, f"<= magnet.length = {L:g} m (length is the long axis)")
        if not (1e-10 <= t <= 1e-5 and 1e-10 <= W and L <= 1e-4):
            raise ParameterError("magnet.thickness" if not 1e-10 <= t <= 1e-5 else "magnet.length",
                                 t if not 1e-10 <= t <= 1e-5 else L,
                                 "sizes in [1e-10, 1e-4] m (thickness <= 1e-5 m): a single-domain free layer")
        if max(L, t) / min(W, t) > 1e4:
            raise ParameterError("magnet.thickness", t, f"within a factor 1e4 of the lateral sizes "
                                 f"({W:g}..{L:g} m), where the demagnetizing quadratures hold")
        check_positive("magnet.Ms", self.Ms)
        if not 1.0 <= self.Ms <= 1e7:
            raise ParameterError("magnet.Ms", self.Ms, "in [1, 1e7] A/m (below 1 A/m μ0 Ms underflows)")
        check_nonnegative("magnet.K", self.K)
        check_nonnegative("magnet.K_s", self.K_s)
        if not (self.K <= 1e8 and self.K_s <= 1.0):
            raise ParameterError("magnet.K" if self.K > 1e8 else "magnet.K_s", self.K if self.K > 1e8 else self.K_s,
                                 "K <= 1e8 J/m^3 and K_s <= 1 J/m^2")
        from .geometry import demag_elliptic_cylinder, demag_prism

        d = (demag_elliptic_cylinder(L / 2, W / 2, t) if self.shape == "ellipse" else demag_prism(L, W, t))
        object.__setattr__(self, "_N", (d.Nx, d.Ny, d.Nz, d.error))

    # -- geometry ------------------------------------------------------------------------------
    @property
    def area(self) -> float:
        """Lateral area [m²]."""
        return (math.pi / 4 if self.shape == "ellipse" else 1.0) * self.length * self.width

    @property
    def volume(self) -> float:
        """Volume v [m³]."""
        return self.area * self.thickness

    @property
    def demag(self) -> tuple:
        """(N_length, N_width, N_normal), trace 1."""
        return self._N[:3]

    @property
    def demag_error(self) -> float:
        return self._N[3]

    # -- energy --------------------------------------------------------------------------------
    @property
    def coefficients(self) -> tuple:
        """c_i [J/m³] of w(u) = Σ c_i u_i² along (length, width, normal)."""
        shape = 0.5 * MU0 * self.Ms**2
        c = [shape * n for n in self.demag]
        c[AXES.index(self.K_axis)] -= self.K
        c[2] -= self.K_s / self.thickness
        return tuple(c)

    def axes(self) -> tuple:
        """(easy, intermediate, hard) axis names."""
        c = self.coefficients
        order = sorted(range(3), key=lambda i: (c[i], i))
        return tuple(AXES[i] for i in order)

    @property
    def orientation(self) -> str:
        """``"perpendicular"`` (easy axis = film normal) or ``"in-plane"``."""
        return "perpendicular" if self.axes()[0] == "normal" else "in-plane"

    @property
    def K_eff(self) -> float:
        """Effective anisotropy c_m − c_e [J/m³] of the easy axis (the barrier energy density)."""
        c = sorted(self.coefficients)
        return c[1] - c[0]

    @property
    def H_K(self) -> float:
        """Anisotropy field 2 K_eff/(μ0 Ms) [A/m]."""
        return 2 * self.K_eff / (MU0 * self.Ms)

    def reduced(self, T: float) -> dict:
        """The reduced energy at temperature T [K]: ``sigma`` (= Δ), ``sigma_p``, and the axes."""
        T = check_positive("T", T)
        c = sorted(self.coefficients)
        kT = KB * T
        sigma = (c[1] - c[0]) * self.volume / kT
        sigma_p = (c[2] - c[1]) * self.volume / kT
        easy, mid, hard = self.axes()
        if not sigma > 1e-9:
            raise ParameterError("magnet", f"K_eff = {c[1] - c[0]:.3g} J/m^3",
                                 "a layer with one easy axis (the shape, K and K_s leave two axes degenerate: "
                                 "no barrier between two states)")
        return {"sigma": sigma, "sigma_p": sigma_p, "easy_axis": easy, "intermediate_axis": mid, "hard_axis": hard}

    def describe(self, T: float) -> dict:
        """Everything a user checks first (SI and reduced), JSON-ready."""
        r = self.reduced(T)
        return {"shape": self.shape, "length_m": self.length, "width_m": self.width, "thickness_m": self.thickness,
                "area_m2": self.area, "volume_m3": self.volume, "demag_factors": list(self.demag),
                "demag_error": self.demag_error, "K_eff_J_per_m3": self.K_eff, "H_K_A_per_m": self.H_K,
                "Delta": r["sigma"], "sigma": r["sigma"], "sigma_p": r["sigma_p"], "orientation": self.orientation,
                "easy_axis": r["easy_axis"], "hard_axis": r["hard_axis"], "T_K": T}
