r"""Demagnetizing factors of a uniformly magnetized free layer from its shape.

The magnetometric demagnetizing factors (N_x, N_y, N_z), trace 1, give the shape anisotropy energy
``μ0 Ms² v (N_x u_x² + N_y u_y² + N_z u_z²)/2`` (:class:`thermokinetic.energy.Demagnetizing`).

* **Ellipsoid** with semi-axes (a, b, c) along (x, y, z): exact (Osborn 1945; Stoner 1945),

  .. math:: N_x = \frac{abc}{2}\int_0^∞ \frac{ds}{(a^2+s)\sqrt{(a^2+s)(b^2+s)(c^2+s)}}
            = \frac{abc}{3}\, R_D(b^2, c^2, a^2),

  with Carlson's symmetric elliptic integral R_D (:func:`scipy.special.elliprd`), and cyclically.
* **Rectangular prism** with edges (L_x, L_y, L_z): the field of a uniformly magnetized prism is that
  of the surface charges ±Ms on the two faces normal to M, and the z component of the field of a
  uniformly charged planar region at a point is ``σ/(4π)`` times the solid angle it subtends, so

  .. math:: N_z = \frac{1}{4π}\,\big\langle Ω_{top}(r) + Ω_{bottom}(r)\big\rangle_{r ∈ V},

  and for a rectangle seen from a point at height ζ above the plane (foot (x, y) inside it)
  ``Ω = Σ_corners ± atan(X Y / (ζ R))`` (X, Y the corner offsets, R = √(X²+Y²+ζ²)): the solid angle of
  a rectangle with one corner at the foot of the perpendicular, combined by inclusion–exclusion.
  The volume average is a tensor Gauss–Legendre quadrature of a bounded integrand (kinks only at
  the faces); N_x, N_y follow by permuting the edges.  The quadrature error is estimated by doubling
  the nodes; Aharoni (J. Appl. Phys. 83, 3432 (1998)) gives the same factors in closed form.

Lengths in any consistent unit (only ratios matter).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ParameterError, check_positive

__all__ = ["DemagFactors", "demag_ellipsoid", "demag_prism"]


@dataclass(frozen=True)
class DemagFactors:
    """Magnetometric demagnetizing factors (N_x, N_y, N_z), trace 1, and their estimated absolute error."""

    Nx: float
    Ny: float
    Nz: float
    error: float = 0.0

    @property
    def factors(self) -> tuple:
        return (self.Nx, self.Ny, self.Nz)


def demag_ellipsoid(a: float, b: float, c: float) -> DemagFactors:
    """Exact demagnetizing factors of the ellipsoid with semi-axes a, b, c (along x, y, z; > 0)."""
    from scipy.special import elliprd

    a, b, c = (check_positive(n, v) for n, v in (("a", a), ("b", b), ("c", c)))
    s = max(a, b, c)
    a, b, c = a / s, b / s, c / s  # scale-free
    N = [a * b * c / 3 * elliprd(b * b, c * c, a * a), a * b * c / 3 * elliprd(c * c, a * a, b * b),
         a * b * c / 3 * elliprd(a * a, b * b, c * c)]
    return DemagFactors(float(N[0]), float(N[1]), float(N[2]), error=1e-14)


def _rect_solid_angle(x, y, zeta, hx, hy):
    """Solid angle of the rectangle [−hx, hx]×[−hy, hy] (z = 0) seen from (x, y, ζ), ζ > 0."""
    om = 0.0
    for sx in (-1.0, 1.0):
        for sy in (-1.0, 1.0):
            X, Y = sx * hx - x, sy * hy - y
            R = np.sqrt(X * X + Y * Y + zeta * zeta)
            om = om + sx * sy * np.arctan(X * Y / (zeta * R))
    return om


def _prism_nz(lx, ly, lz, n):
    """N_z of the prism by the volume average of the two faces' solid angles (n Gauss nodes per axis)."""
    t, w = np.polynomial.legendre.leggauss(n)
    x = 0.5 * lx * t
    y = 0.5 * ly * t
    # ζ measured from the bottom face: nodes on (0, lz); the top face is at lz − ζ
    z = 0.5 * lz * (t + 1)
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij")
    W = w[:, None, None] * w[None, :, None] * w[None, None, :] / 8.0  # average over the box
    om = _rect_solid_angle(X, Y, Z, lx / 2, ly / 2) + _rect_solid_angle(X, Y, lz - Z, lx / 2, ly / 2)
    return float(np.sum(W * om) / (4 * math.pi))


def demag_prism(lx: float, ly: float, lz: float, *, n: int = 48) -> DemagFactors:
    """Demagnetizing factors of the rectangular prism with edges lx, ly, lz (> 0), error estimated.

    Parameters
    ----------
    lx, ly, lz : float
        Edge lengths along x, y, z (any common unit).
    n : int
        Gauss–Legendre nodes per axis (the error estimate compares with n/2).
    """
    lx, ly, lz = (check_positive(nm, v) for nm, v in (("lx", lx), ("ly", ly), ("lz", lz)))
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 8 <= n <= 200:
        raise ParameterError("n", n, "an integer in [8, 200]")
    s = max(lx, ly, lz)
    lx, ly, lz = lx / s, ly / s, lz / s
    fine = np.array([_prism_nz(ly, lz, lx, n), _prism_nz(lz, lx, ly, n), _prism_nz(lx, ly, lz, n)])
    coarse = np.array([_prism_nz(ly, lz, lx, n // 2), _prism_nz(lz, lx, ly, n // 2), _prism_nz(lx, ly, lz, n // 2)])
    err = float(max(np.max(np.abs(fine - coarse)), abs(fine.sum() - 1.0)))
    return DemagFactors(float(fine[0]), float(fine[1]), float(fine[2]), error=err)
