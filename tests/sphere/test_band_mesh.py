"""Band mesh (lat-long about a film normal, rings graded towards the film plane): geometry, the
mapped-grid second order of the Laplacian, and a film escape rate against the geodesic mesh."""
import numpy as np
import pytest
import scipy.sparse.linalg as spla

from thermokinetic.energy import thin_film
from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck.escape import escape_rates
from thermokinetic.fokker_planck.generator import assemble
from thermokinetic.sphere.latlong import band_beta, band_edges, band_mesh


def test_edges_centre_ring_on_equator_and_nested_spacing():
    for n in (8, 16, 64):
        th = band_edges(n, 3.0)
        assert th[0] == np.pi and th[-1] == 0.0 and np.all(np.diff(th) < 0)
        mid = n // 2  # ring n/2 of n + 1 is centred on the equator
        assert abs(0.5 * (th[mid] + th[mid + 1]) - np.pi / 2) < 1e-15
    # the grading puts `fraction` of the rings within `reach` band widths of the equator
    w = 1 / np.sqrt(2 * 400)
    beta = band_beta(w, fraction=0.5, reach=4.0)
    lam = 0.5 * np.pi * np.sinh(beta * 0.5) / np.sinh(beta)
    assert abs(lam - 4 * w) < 1e-9
    assert band_beta(0.5) == 0.0  # a wide band: uniform rings


def test_geometry_rotation_and_cells_on_the_axes():
    m = band_mesh([1.0, 0, 0], [0, 0, 1.0], 16, 32, 2.0)
    assert abs(m.areas.sum() - 4 * np.pi) < 1e-12
    assert m.euler_characteristic() == 2
    va, vb = m.vertices[m.face_vertices[:, 0]], m.vertices[m.face_vertices[:, 1]]
    assert np.einsum("ij,ij->i", np.cross(m.face_midpoints, m.face_normals), vb - va).min() > 0
    # cell centres on ±axis and ±(normal × axis), the poles on ±normal
    for d in ([0, 0, 1.0], [0, 0, -1.0], [0, 1.0, 0], [0, -1.0, 0]):
        assert np.linalg.norm(m.centers[m.locate([d])[0]] - d) < 1e-14
    # locate is the inverse of the cell centres (rotation and φ offset undone)
    assert np.array_equal(m.locate(m.centers), np.arange(m.n_cells))
    with pytest.raises(ParameterError, match="n_phi"):
        band_mesh([1.0, 0, 0], [0, 0, 1.0], 16, 30, 2.0)
    with pytest.raises(ParameterError, match="axis"):
        band_mesh([1.0, 0, 0], [2.0, 0, 0], 16, 32, 2.0)


def test_laplacian_eigenvalue_second_order_on_the_graded_family():
    """ℓ = 1 eigenvalue of the FV Laplace–Beltrami operator (exactly 2): the error falls by 4 per
    halving of the graded coordinate's spacing (the mapped grid keeps second order)."""
    errs = []
    for n in (16, 32, 64):
        m = band_mesh([1.0, 0, 0], [0, 0, 1.0], n, 2 * n, 3.0)
        L = m.laplacian()
        vals = spla.eigs(L, k=4, sigma=-0.5, which="LM", return_eigenvectors=False)
        lam = np.sort(-np.real(vals))
        errs.append(abs(lam[1] - 2.0))
    ratios = [errs[0] / errs[1], errs[1] / errs[2]]
    assert all(3.3 < r < 4.7 for r in ratios), ratios


def test_film_escape_rate_matches_geodesic_and_converges_at_second_order():
    """σ = 10, σ_p = 25, α = 100 (dissipation-dominated): λ₁ on the band family converges at order 2
    and its Richardson value agrees with the geodesic-mesh answer of ``compute_escape`` at rtol
    1e-7 (3.2395314e-4, error estimate 1.6e-8 relative) within 1e-6."""
    E = thin_film(10.0, 25.0, 0.0, 0.0)
    beta = band_beta(1 / np.sqrt(50.0))
    lam = []
    for n in (32, 64, 128):
        g = assemble(band_mesh([1.0, 0, 0], [0, 0, 1.0], n, 2 * n, beta), E, 100.0)
        r = escape_rates(g, fallback=False)
        assert r.valid
        lam.append(r.lambda1)
    d1, d2 = lam[1] - lam[0], lam[2] - lam[1]
    assert 3.6 < d1 / d2 < 4.4
    rich = lam[2] + d2 / 3
    assert abs(rich / 3.2395314282e-4 - 1) < 1e-6
