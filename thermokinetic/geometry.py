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

* **Elliptic cylinder** (an elliptical film or pillar: semi-axes (a, b) along (x, y), thickness t
  along z), from the shape function ``D(k) = 2πab J₁(q)/q · 2 sin(k_z t/2)/k_z``
  (q² = a²k_x² + b²k_y²) and ``N_ij = (1/V) ∫ |D(k)|² k_i k_j/k² d³k/(2π)³`` (Beleggia & De Graef,
  J. Magn. Magn. Mater. 263, L1 (2003); Beleggia et al., J. Phys. D 38, 3333 (2005) for elliptic
  cylinders).  Integrating k_z in closed form leaves

  .. math:: N_x = \frac1π \int_0^{2π}\! dφ\, \frac{\cos^2φ}{a^2 g^2}\int_0^∞ \frac{J_1(p)^2}{p}
            \Big[1 - \frac{1 - e^{-pgt}}{pgt}\Big] dp,\qquad g^2 = \frac{\cos^2φ}{a^2} + \frac{\sin^2φ}{b^2}

  (N_y with sin²φ/b²), done by Gauss–Legendre panels up to p = 2000π plus the analytic tail.
  N_z is computed independently in real space from the face charges,

  .. math:: N_z = \frac{1}{2π A t}\iint_{A×A}\Big[\frac1{|s|} - \frac1{\sqrt{s^2+t^2}}\Big],

  written with the overlap area of two shifted ellipses (``ab C(r)``, C the unit-disk overlap):
  ``N_z = (ab/2π²t) ∫dφ ∫₀² r C(r) [1/(rh) − 1/√(r²h² + t²)] dr``, h² = a²cos²φ + b²sin²φ.  The
  deviation of N_x + N_y + N_z from 1 is the reported error.

Lengths in any consistent unit (only ratios matter).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import ParameterError, check_positive

__all__ = ["DemagFactors", "demag_ellipsoid", "demag_prism", "demag_elliptic_cylinder"]


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


def _cylinder_inplane(a, b, t, n_phi=96, p_max_panels=2000, nodes=24):
    """(N_x, N_y) of the elliptic cylinder by the Fourier formula (module docstring)."""
    from scipy.special import j1

    # φ ∈ (0, π/2) by symmetry: Gauss–Legendre (the integrand is smooth and even about 0 and π/2)
    tp, wp = np.polynomial.legendre.leggauss(n_phi)
    phi = 0.25 * np.pi * (tp + 1)
    wphi = 0.25 * np.pi * wp * 4.0  # four quadrants
    c2, s2 = np.cos(phi) ** 2, np.sin(phi) ** 2
    g = np.sqrt(c2 / a**2 + s2 / b**2)
    # p panels of length π (the period of J1²); a finer split of the first panels
    tq, wq = np.polynomial.legendre.leggauss(nodes)
    edges = np.concatenate([np.linspace(0.0, np.pi, 9), np.pi * np.arange(2, p_max_panels + 1)])
    lo, hi = edges[:-1], edges[1:]
    p = (0.5 * (hi - lo)[:, None] * (tq + 1) + lo[:, None]).ravel()
    wpn = (0.5 * (hi - lo)[:, None] * wq).ravel()
    base = j1(p) ** 2 / p
    x = p[None, :] * g[:, None] * t
    F = np.where(x < 1e-6, x / 2 - x * x / 6, 1.0 - (-np.expm1(-x)) / np.where(x < 1e-6, 1.0, x))
    inner = (F * base[None, :]) @ wpn
    # tail p > P: J1²/p ≈ (1 + sin 2p)/(π p²) and F ≈ 1 − 1/(pgt): ∫ ≈ 1/(πP) − 1/(2π g t P²)
    P = edges[-1]
    inner = inner + 1.0 / (np.pi * P) - 1.0 / (2 * np.pi * g * t * P**2)
    Nx = float(np.sum(wphi * c2 / (a**2 * g**2) * inner) / np.pi)
    Ny = float(np.sum(wphi * s2 / (b**2 * g**2) * inner) / np.pi)
    return Nx, Ny


def _cylinder_normal(a, b, t, n_phi=48):
    """N_z of the elliptic cylinder from the face charges in real space (module docstring)."""
    from scipy.integrate import quad

    tp, wp = np.polynomial.legendre.leggauss(n_phi)
    phi = 0.25 * np.pi * (tp + 1)
    wphi = 0.25 * np.pi * wp * 4.0

    def C(r):
        return 2 * np.arccos(r / 2) - 0.5 * r * np.sqrt(max(0.0, 4 - r * r))

    total = 0.0
    for ph, w in zip(phi, wphi):
        h = math.sqrt(a * a * math.cos(ph) ** 2 + b * b * math.sin(ph) ** 2)

        def f(r):
            return C(r) * (1.0 / h - r / math.sqrt(r * r * h * h + t * t))

        brk = [min(1.9, 10 * t / h)] if 10 * t / h < 1.9 else None
        val, _ = quad(f, 0.0, 2.0, points=brk, limit=200, epsabs=1e-13, epsrel=1e-12)
        total += w * val
    return float(a * b / (2 * math.pi**2 * t) * total)


def demag_elliptic_cylinder(a: float, b: float, t: float) -> DemagFactors:
    """Demagnetizing factors of the elliptic cylinder with lateral semi-axes a, b (along x, y) and
    thickness t (along z), all > 0 (an elliptical free layer: a, b half its length and width).

    N_x, N_y come from the Fourier shape-function formula and N_z independently from the face
    charges (module docstring); ``error`` is |N_x + N_y + N_z − 1|, which compares the two.
    """
    a, b, t = (check_positive(n, v) for n, v in (("a", a), ("b", b), ("t", t)))
    s = max(a, b, t)
    a, b, t = a / s, b / s, t / s
    if min(a, b, t) < 1e-4:
        raise ParameterError("t" if t < 1e-4 else "a/b", min(a, b, t) * s,
                             f">= 1e-4 of the largest size ({s:g}): the quadratures resolve aspect ratios up to 1e4")
    Nx, Ny = _cylinder_inplane(a, b, t)
    Nz = _cylinder_normal(a, b, t)
    return DemagFactors(Nx, Ny, Nz, error=float(abs(Nx + Ny + Nz - 1.0)))
