import numpy as np
import pytest

from thermokinetic.energy import Cubic, Custom, EasyPlane, Uniaxial, Zeeman, uniaxial_zeeman
from thermokinetic.errors import ParameterError


def _random_u(rng, n=50):
    u = rng.normal(size=(n, 3))
    return u / np.linalg.norm(u, axis=1, keepdims=True)


def _fd_surface_gradient(term, u, eps=1e-6):
    """Independent check: directional derivatives along two tangent vectors via geodesic steps."""
    out = np.zeros_like(u)
    for i, ui in enumerate(u):
        t1 = np.cross(ui, [0.3, -0.5, 0.8]); t1 /= np.linalg.norm(t1)
        t2 = np.cross(ui, t1)
        g = np.zeros(3)
        for t in (t1, t2):
            up = np.cos(eps) * ui + np.sin(eps) * t
            um = np.cos(eps) * ui - np.sin(eps) * t
            d = (term.value(up[None]) - term.value(um[None]))[0] / (2 * eps)
            g += d * t
        out[i] = g
    return out


@pytest.mark.parametrize(
    "term",
    [
        Uniaxial(7.0, (1, 2, 3)),
        Zeeman(3.0, (0.2, -1, 0.5)),
        EasyPlane(4.0, (0, 1, 1)),
        Cubic(5.0, ((1, 1, 0), (-1, 1, 0), (0, 0, 1))),
        Custom(lambda u: u[:, 0] ** 3 * u[:, 2]),
        uniaxial_zeeman(10, 0.3, 45),
    ],
)
def test_surface_gradient_matches_finite_differences(term, rng):
    u = _random_u(rng)
    g = term.gradient(u)
    assert np.max(np.abs(np.sum(g * u, axis=1))) < 1e-12  # tangent
    # geodesic central differences have error O(eps^2) ~ 1e-12 relative; rounding ~ 1e-16/1e-6
    np.testing.assert_allclose(g, _fd_surface_gradient(term, u), atol=2e-8 * max(1, np.abs(g).max()))


@pytest.mark.parametrize("term", [Uniaxial(7.0, (1, 2, 3)), Cubic(5.0), EasyPlane(2.0), Zeeman(2.0, (1, 0, 0))])
def test_cartesian_hessian_matches_gradient_differences(term, rng):
    u = _random_u(rng, 10)
    H = term.cartesian_hessian(u)
    eps = 1e-6
    for k in range(3):
        e = np.zeros(3); e[k] = eps
        col = (term.cartesian_gradient(u + e) - term.cartesian_gradient(u - e)) / (2 * eps)
        np.testing.assert_allclose(H[:, :, k], col, atol=1e-6)


def test_stoner_wohlfarth_convention():
    U = uniaxial_zeeman(10.0, 0.3, 0.0)
    up, down = np.array([[0, 0, 1.0]]), np.array([[0, 0, -1.0]])
    assert U.value(up)[0] == pytest.approx(-10 - 6)
    assert U.value(down)[0] == pytest.approx(-10 + 6)
    # cubic with positive sigma_c: minima along axes, energy sigma_c/3 along <111>
    c = Cubic(6.0)
    assert c.value(np.array([[1, 1, 1.0]]) / np.sqrt(3))[0] == pytest.approx(2.0)


def test_bad_energy_input():
    with pytest.raises(ParameterError, match="sigma"):
        uniaxial_zeeman(-1.0)
    with pytest.raises(ParameterError, match="axis"):
        Uniaxial(1.0, (0, 0, 0))
    with pytest.raises(ParameterError, match="zeta"):
        Zeeman(float("inf"))
