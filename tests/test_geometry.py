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
