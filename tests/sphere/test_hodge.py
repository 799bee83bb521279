"""Helmholtz–Hodge decomposition on Σ (seed 002, Eq. 22): analytic fields, convergence, bad input.

Truths used: for polynomial potentials Y(u), Z(u) the exact surface gradient is (I − uuᵀ)∂P/∂u, so
X = u × ∇Y + ∇Z has the exact decomposition Φ = Y − ⟨Y⟩, χ = Z − ⟨Z⟩ (unique: Σ has no harmonic
1-forms).  The scheme is second order, so the error ratio per geodesic level (h halves) must be 4.
"""
import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.sphere import geodesic_mesh, latlong_mesh
from thermokinetic.sphere.hodge import (
    hodge_compose,
    hodge_decompose,
    surface_curl,
    surface_divergence,
    surface_gradient,
)


def _proj(u, g):
    return g - np.sum(g * u, axis=1, keepdims=True) * u


# Y = u_x + ½ u_y u_z (ℓ = 1 and ℓ = 2 parts), Z = u_z² − 1/3 + 0.3 u_x u_y u_z (ℓ = 2 and 3)
def Y(u):
    return u[:, 0] + 0.5 * u[:, 1] * u[:, 2]


def gradY(u):
    return _proj(u, np.stack([np.ones(len(u)), 0.5 * u[:, 2], 0.5 * u[:, 1]], axis=1))


def Z(u):
    return u[:, 2] ** 2 - 1 / 3 + 0.3 * u[:, 0] * u[:, 1] * u[:, 2]


def gradZ(u):
    return _proj(u, np.stack([0.3 * u[:, 1] * u[:, 2], 0.3 * u[:, 0] * u[:, 2],
                              2 * u[:, 2] + 0.3 * u[:, 0] * u[:, 1]], axis=1))


def _centered(m, f):
    return f - np.dot(m.areas, f) / m.areas.sum()


def _l2(m, e):
    return float(np.sqrt(np.dot(m.areas, e**2) / m.areas.sum()))


def test_analytic_field_second_order_levels_3_to_6():
    errs = []
    for level in (3, 4, 5, 6):
        m = geodesic_mesh(level)
        u = m.centers
        X = np.cross(u, gradY(u)) + gradZ(u)
        phi, chi, res = hodge_decompose(m, X, return_residual=True)
        assert abs(np.dot(m.areas, phi)) < 1e-12 and abs(np.dot(m.areas, chi)) < 1e-12  # zero mean (rounding)
        errs.append([_l2(m, phi - _centered(m, Y(u))), _l2(m, chi - _centered(m, Z(u))), res])
    errs = np.array(errs)
    orders = np.log2(errs[:-1] / errs[1:])
    # measured: Φ 2.000, χ 1.996–1.9997, residual 1.97–1.995 per level; second order means 2 ± 0.1
    assert np.all(np.abs(orders - 2.0) < 0.1), orders
    # absolute size at level 6 (h ≈ 0.021 rad): measured 2.3e-5 (Φ), 4.9e-5 (χ), 5.9e-4 (residual)
    assert errs[-1, 0] < 5e-5 and errs[-1, 1] < 1e-4 and errs[-1, 2] < 1.2e-3


def test_divergence_free_field_has_no_chi_and_curl_free_has_no_phi():
    # leaks are discretization errors: measured max|χ|/max|Φ| = 5.0e-5 and max|Φ|/max|χ| = 1.3e-4 at
    # level 5 (O(h^1.8)); the bound 3e-4 is ~2× the larger one
    m = geodesic_mesh(5)
    u = m.centers
    phi1, chi1 = hodge_decompose(m, np.cross(u, gradY(u)))
    phi2, chi2 = hodge_decompose(m, gradZ(u))
    assert np.max(np.abs(chi1)) < 3e-4 * np.max(np.abs(phi1))
    assert np.max(np.abs(phi2)) < 3e-4 * np.max(np.abs(chi2))
    # and the surviving potential is the analytic one (max error measured 2.0e-4 / 2.1e-4)
    assert np.max(np.abs(phi1 - _centered(m, Y(u)))) < 5e-4
    assert np.max(np.abs(chi2 - _centered(m, Z(u)))) < 5e-4


def test_operators_on_spherical_harmonics():
    # Δ_Σ Y_ℓ = −ℓ(ℓ+1) Y_ℓ:  div ∇u_z = −2 u_z and div((u × ∇u_z) × u) = div ∇u_z = −2 u_z,
    # div(u × ∇u_z) = 0 (a rigid rotation about e_z).  The face-average divergence has a first-order
    # local truncation error on the irregular Voronoi cells (measured max error 2.7e-2, 1.2e-2,
    # 5.3e-3, 2.6e-3 at levels 3–6; rms 1.2e-3 at level 5) while the Poisson solutions built from it
    # are second order (supraconvergence, test above).  Bounds: 2× the level-5 measurements.
    m = geodesic_mesh(5)
    u = m.centers
    ez = np.array([0.0, 0.0, 1.0])
    g = ez - u[:, 2:3] * u  # ∇u_z
    rot = np.cross(u, g)  # = u × e_z
    e_div = surface_divergence(m, g) + 2 * u[:, 2]
    assert np.max(np.abs(e_div)) < 1.1e-2 and _l2(m, e_div) < 2.5e-3
    assert np.max(np.abs(surface_curl(m, rot) + 2 * u[:, 2])) < 8e-3
    assert np.max(np.abs(surface_divergence(m, rot))) < 6e-3
    # least-squares gradient: second order in the max norm, unlike the Green–Gauss
    # mesh.cell_gradient (max error O(h)).  Measured for ∇(u_x u_y u_z): 1.09e-2 (level 4) →
    # 2.78e-3 (level 5), ratio 3.92; Green–Gauss: 7.8e-3 → 4.0e-3 (ratio 1.9)
    f = u[:, 0] * u[:, 1] * u[:, 2]
    gf = _proj(u, np.stack([u[:, 1] * u[:, 2], u[:, 0] * u[:, 2], u[:, 0] * u[:, 1]], axis=1))
    m4 = geodesic_mesh(4)
    u4 = m4.centers
    f4 = u4[:, 0] * u4[:, 1] * u4[:, 2]
    gf4 = _proj(u4, np.stack([u4[:, 1] * u4[:, 2], u4[:, 0] * u4[:, 2], u4[:, 0] * u4[:, 1]], axis=1))
    e5 = np.max(np.abs(surface_gradient(m, f) - gf))
    e4 = np.max(np.abs(surface_gradient(m4, f4) - gf4))
    assert e5 < 4e-3 and 3.5 < e4 / e5 < 4.5
    assert np.max(np.abs(np.sum(surface_gradient(m, f) * u, axis=1))) < 1e-14  # tangent


def test_compose_decompose_round_trip():
    # compose then decompose returns the potentials up to the O(h²) discretization error
    # (measured max error 9.7e-4 / 2.1e-3 at level 5, 4× smaller per level)
    m = geodesic_mesh(5)
    u = m.centers
    y, z = _centered(m, Y(u)), _centered(m, Z(u))
    X = hodge_compose(m, y, z)
    assert np.max(np.abs(X - (np.cross(u, gradY(u)) + gradZ(u)))) < 1e-2  # gradient reconstruction
    phi, chi = hodge_decompose(m, X)
    assert np.max(np.abs(phi - y)) < 2e-3 and np.max(np.abs(chi - z)) < 4e-3
    assert np.allclose(hodge_compose(m), 0.0)  # Φ = χ = 0 gives X = 0


def test_latlong_backend_also_second_order():
    # the decomposition only uses the SphereMesh interface; on the lat-long grid the error ratio
    # per doubling is also 4 (measured max|Φ − Y|: 3.1e-3, 7.8e-4, 2.0e-4 for n_θ = 16, 32, 64)
    e = []
    for nt in (16, 32):
        m = latlong_mesh(nt, 2 * nt, fipy=False)
        u = m.centers
        phi, chi = hodge_decompose(m, np.cross(u, gradY(u)) + gradZ(u))
        e.append(np.max(np.abs(phi - _centered(m, Y(u)))))
    assert 3.5 < e[0] / e[1] < 4.5


def test_bad_input():
    m = geodesic_mesh(3)
    u = m.centers
    X = np.cross(u, gradY(u))
    with pytest.raises(ParameterError, match=r"normal component \|X·u\| = 0\.2"):
        hodge_decompose(m, X + 0.2 * u)  # a radial part of 0.2 is reported
    with pytest.raises(ParameterError, match="shape"):
        hodge_decompose(m, X[:, :2])
    with pytest.raises(ParameterError, match="shape"):
        hodge_decompose(m, X[:-1])
    Xn = X.copy()
    Xn[3, 0] = np.nan
    with pytest.raises(ParameterError, match="non-finite"):
        hodge_decompose(m, Xn)
    with pytest.raises(ParameterError, match="phi"):
        hodge_compose(m, np.zeros(5))
    with pytest.raises(ParameterError, match="tangent_rtol"):
        hodge_decompose(m, X, tangent_rtol=-1)
