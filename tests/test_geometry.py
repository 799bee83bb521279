"""Demagnetizing factors from the shape: exact ellipsoid limits and the rectangular prism.

Truths: the sphere (1/3), the closed forms of prolate and oblate spheroids, trace 1; for prisms the
cube (1/3), Aharoni's tabulated value for the square prism of aspect 2 (J. Appl. Phys. 83, 3432
(1998), Table I: N = 0.19832 along the long axis) and the thin-film limit N_z -> 1.
"""
import math

import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.geometry import demag_ellipsoid, demag_prism


def test_ellipsoid_sphere_and_spheroids_closed_forms():
    assert demag_ellipsoid(2.0, 2.0, 2.0).factors == pytest.approx((1 / 3,) * 3, abs=1e-14)
    m = 3.0  # prolate a = b = 1, c = m
    nz = (m / math.sqrt(m * m - 1) * math.log(m + math.sqrt(m * m - 1)) - 1) / (m * m - 1)
    d = demag_ellipsoid(1.0, 1.0, m)
    assert d.Nz == pytest.approx(nz, rel=1e-13) and sum(d.factors) == pytest.approx(1.0, abs=1e-14)
    r = 5.0  # oblate a = b = r, c = 1: N_z = r^2/(r^2-1) [1 - asin(e)/ (e r)]... with e = sqrt(1 - 1/r^2)
    e = math.sqrt(1 - 1 / r ** 2)
    nz_ob = (1 / e ** 2) * (1 - math.sqrt(1 - e ** 2) / e * math.asin(e))
    assert demag_ellipsoid(r, r, 1.0).Nz == pytest.approx(nz_ob, rel=1e-12)


def test_prism_cube_aharoni_value_and_trace():
    cube = demag_prism(1.0, 1.0, 1.0)
    assert cube.factors == pytest.approx((1 / 3,) * 3, abs=1e-12)
    rod = demag_prism(1.0, 1.0, 2.0)
    assert rod.Nz == pytest.approx(0.19832, abs=2e-5) and rod.error < 1e-5
    film = demag_prism(150.0, 50.0, 3.0)  # an in-plane nanopillar's free layer
    assert sum(film.factors) == pytest.approx(1.0, abs=1e-12)
    assert film.Nx < film.Ny < film.Nz and film.Nz > 0.85
    # the estimate (halved nodes) bounds the change to a finer quadrature
    finer = demag_prism(150.0, 50.0, 3.0, n=96)
    assert abs(finer.Nz - film.Nz) <= film.error


def test_thin_film_limit_and_bad_input():
    assert 1 - demag_prism(100.0, 100.0, 0.1).Nz < 5e-3
    with pytest.raises(ParameterError, match="lz"):
        demag_prism(1.0, 1.0, 0.0)
    with pytest.raises(ParameterError, match="b"):
        demag_ellipsoid(1.0, -1.0, 1.0)


def test_elliptic_cylinder_independent_routes_and_limits():
    """N_x, N_y (Fourier shape function) and N_z (real-space face charges) are computed independently:
    their sum is 1 to 1e-7.  Limits: a cylinder with length = diameter has the magnetometric
    N_z = 0.3116 (Chen, Brug & Goldfarb, IEEE Trans. Magn. 27, 3601 (1991)); a long elliptic cylinder
    tends to the exact N_x = b/(a + b), N_y = a/(a + b) with an O(a/t) end correction."""
    from thermokinetic.geometry import demag_elliptic_cylinder

    for a, b, t in ((1, 1, 2), (75, 25, 3), (20, 20, 1.3), (3, 1, 0.05)):
        d = demag_elliptic_cylinder(a, b, t)
        assert abs(d.Nx + d.Ny + d.Nz - 1) < 1e-7 and d.error < 1e-7
    d = demag_elliptic_cylinder(1, 1, 2)
    assert abs(d.Nz - 0.3116) < 1e-4 and abs(d.Nx - d.Ny) < 1e-12
    d = demag_elliptic_cylinder(3, 1, 3000)
    assert abs(d.Nx - 0.25) < 2e-3 and abs(d.Ny - 0.75) < 2e-3 and d.Nz < 2e-3
    # a thin disk (τ = t/d = 5e-4): the asymptotic N_z = 1 − (2τ/π)(ln(4/τ) − 1/2) + O(τ² ln τ)
    tau = 1e-3 / 2
    assert abs(demag_elliptic_cylinder(1, 1, 1e-3).Nz - (1 - 2 * tau / math.pi * (math.log(4 / tau) - 0.5))) < 1e-5
    with pytest.raises(ParameterError, match="t"):
        demag_elliptic_cylinder(1, 1, 0.0)
    with pytest.raises(ParameterError, match="1e4"):
        demag_elliptic_cylinder(1, 1, 1e-6)
