"""Lat-long backend: geometry, FiPy mesh consistency, and the independent FiPy Brown operator."""
import numpy as np
import pytest
import scipy.linalg as la
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from thermokinetic.energy import uniaxial_zeeman
from thermokinetic.errors import ParameterError
from thermokinetic.sphere import latlong_mesh
from thermokinetic.sphere.latlong import fipy_brown_operator, ring_edges


@pytest.mark.parametrize("refine", ["uniform", "poles"])
@pytest.mark.parametrize("nt,nphi", [(2, 3), (7, 12), (40, 80)])
def test_counts_areas_euler(nt, nphi, refine):
    m = latlong_mesh(nt, nphi, refine=refine, fipy=False)
    assert m.n_cells == nt * nphi
    assert m.n_vertices == nphi * (nt - 1) + 2
    assert m.n_faces == nphi * nt + nphi * (nt - 1)  # meridian + parallel faces, pole faces omitted
    assert m.euler_characteristic() == 2
    assert abs(m.areas.sum() - 4 * np.pi) < 1e-13
    # areas are exactly Δφ Δx
    r = np.arange(m.n_cells) // nphi
    assert np.abs(m.areas - (2 * np.pi / nphi) * np.diff(m.x_edges)[r]).max() < 1e-15
    assert np.all(m.face_lengths > 0) and np.all(m.face_distances > 0)
    i, j = m.faces.T
    assert np.all(i < j) and np.unique(i * m.n_cells + j).size == m.n_faces
    # pole wedges are triangles, the other cells quadrilaterals
    nv = np.diff(m.cell_vertex_offsets)
    assert np.all(nv[:nphi] == 3) and np.all(nv[-nphi:] == 3) and np.all(nv[nphi:-nphi] == 4)


@pytest.mark.parametrize("refine", ["uniform", "poles"])
def test_orientation_and_face_geometry(refine):
    m = latlong_mesh(9, 14, refine=refine, fipy=False)
    va = m.vertices[m.face_vertices[:, 0]]
    vb = m.vertices[m.face_vertices[:, 1]]
    mid, n = m.face_midpoints, m.face_normals
    assert np.einsum("ij,ij->i", np.cross(mid, n), vb - va).min() > 0
    assert np.abs(np.einsum("ij,ij->i", n, mid)).max() < 1e-15
    ci, cj = m.centers[m.faces[:, 0]], m.centers[m.faces[:, 1]]
    assert np.einsum("ij,ij->i", n, cj - ci).min() > 0
    # the normal is perpendicular to the face (parallel or meridian)
    assert np.abs(np.einsum("ij,ij->i", n, vb - va)).max() < 1e-15
    # face length: meridian faces are Δθ arcs (= great-circle arc between their end vertices);
    # parallel faces sqrt(1 − x²) Δφ (≥ the chord's great-circle arc)
    arc = 2 * np.arcsin(np.linalg.norm(va - vb, axis=1) / 2)
    merid = np.abs(va[:, 2] - vb[:, 2]) > 1e-12
    assert np.abs(arc[merid] - m.face_lengths[merid]).max() < 1e-14
    assert np.all(m.face_lengths[~merid] >= arc[~merid] - 1e-15)
    # polygons counter-clockwise seen from outside: det[c, v_k, v_{k+1}] > 0
    for i, vi in enumerate(m.cell_vertices()):
        V = m.vertices[vi]
        det = np.einsum("j,ij->i", m.centers[i], np.cross(V, np.roll(V, -1, axis=0)))
        assert det.min() > 0, i


def test_ring_edges():
    th = ring_edges(6, "uniform")
    assert np.allclose(np.diff(th), -np.pi / 6, atol=1e-15) and th[0] == np.pi and th[-1] == 0
    tp = ring_edges(60, "poles")
    d = -np.diff(tp)
    # rings 3× thinner at the poles than at the equator (a = 1/2), to O(1/n²)
    assert d[0] / d[30] == pytest.approx(1 / 3, rel=5e-3)  # measured 0.3341
    assert np.all(d > 0)


def test_fipy_mesh_matches_geometry():
    m = latlong_mesh(10, 16, refine="poles")
    fm = m.fipy_mesh
    assert fm.numberOfCells == m.n_cells
    assert np.abs(np.asarray(fm.cellVolumes) - m.areas).max() < 1e-15
    phi_c, x_c = np.asarray(fm.cellCenters.value)
    phi = np.mod(np.arctan2(m.centers[:, 1], m.centers[:, 0]), 2 * np.pi)
    assert np.abs(phi_c - phi).max() < 1e-12  # same cell ordering r·n_phi + k
    r = np.arange(m.n_cells) // m.n_phi
    assert np.abs(x_c - 0.5 * (m.x_edges[r] + m.x_edges[r + 1])).max() < 1e-14
    assert latlong_mesh(4, 6, fipy=False).fipy_mesh is None


def _rates(Q, m, k):
    vals = spla.eigs(Q.tocsc(), k=k, M=sp.diags(m.areas).tocsc(), sigma=-1e-3, which="LM", return_eigenvectors=False)
    return np.sort(-vals.real)


def test_fipy_operator_conserves_probability():
    m = latlong_mesh(12, 24)
    Q = fipy_brown_operator(m, uniaxial_zeeman(5.0, 0.4, 30.0), 0.3)
    # columns sum to zero: d/dt Σ A_i ρ_i = 1ᵀQρ = 0 for every ρ (to rounding of entries ~ 10)
    assert np.abs(np.asarray(Q.sum(axis=0))).max() < 1e-12
    # off-diagonal entries are ≥ 0 (exponential fitting gives an M-matrix)
    off = Q - sp.diags(Q.diagonal())
    assert off.min() >= 0


def test_fipy_operator_free_rotation_spectrum():
    """σ = 0: rates ℓ(ℓ+1)/2 (0, 1 ×3, 3 ×5) at second order."""
    errs = []
    for n in (16, 32, 64):
        m = latlong_mesh(n, 2 * n)
        lam = _rates(fipy_brown_operator(m, uniaxial_zeeman(0.0), 1.0), m, 9)
        assert abs(lam[0]) < 1e-10
        errs.append(np.abs(lam - [0, 1, 1, 1, 3, 3, 3, 3, 3]).max())
    # measured: 0.112, 0.035, 0.0104 (orders 1.7, 1.75: the 1/(1 − x²) pole coefficient slows the
    # approach to 2; the ℓ = 1 errors have ratios 3.3 → 3.5)
    assert errs[-1] < 0.012
    assert np.all(np.log2(np.array(errs[:-1]) / errs[1:]) > 1.6), errs


def test_fipy_operator_boltzmann_stationary():
    """e^{−U} is the exact discrete stationary state of the exponentially fitted operator when
    the precession is absent (α → ∞) or when U is axially symmetric (precession along rings)."""
    m = latlong_mesh(16, 32, refine="poles")
    fm = m.fipy_mesh
    phi_c, x_c = np.asarray(fm.cellCenters.value)
    s = np.sqrt(1 - x_c**2)
    u = np.stack([s * np.cos(phi_c), s * np.sin(phi_c), x_c], axis=1)
    E_axial = uniaxial_zeeman(6.0, 0.3, 0.0)
    p = np.exp(-E_axial.value(u))
    for alpha in (0.05, 1.0):
        Q = fipy_brown_operator(m, E_axial, alpha)
        assert np.abs(Q @ p).max() < 1e-12 * np.abs(Q).max() * p.max()
    E_tilt = uniaxial_zeeman(6.0, 0.3, 30.0)
    p = np.exp(-E_tilt.value(u))
    scale = p.max() * 5.2  # |Q|_max ≈ 5.2 here
    r = [np.abs(fipy_brown_operator(m, E_tilt, a) @ p).max() / scale for a in (1e3, 1e6)]
    # the residual is the precession term, linear in 1/α: measured 2.8e-6 and 2.8e-9 (ratio 1000)
    assert r[1] < 1e-8 and 990 < r[0] / r[1] < 1010


def _lam1_reference(energy, N=16000):
    """λ₁ of the axially symmetric problem ∂_tρ = ½∂_x[(1−x²)(∂_xρ + ρ∂_xU)] on a fine 1D grid
    (Scharfetter–Gummel in x, symmetric tridiagonal eigenproblem; error ~2e-8 at N = 16000)."""
    xe = np.linspace(-1, 1, N + 1)
    xc = 0.5 * (xe[1:] + xe[:-1])
    dx = xe[1] - xe[0]
    Uc = energy.value(np.stack([np.sqrt(1 - xc**2), 0 * xc, xc], axis=1))
    a, b = Uc[:-1], Uc[1:]
    d = b - a
    small = np.abs(d) < 1e-12
    ew = np.where(small, np.exp(-a), (np.exp(-a) - np.exp(-b)) / np.where(small, 1.0, d))
    w = 0.5 * (1 - xe[1:-1] ** 2) * ew / dx
    s = 1 / np.sqrt(dx * np.exp(-Uc))
    diag = np.zeros(N)
    diag[:-1] += w
    diag[1:] += w
    ev = la.eigh_tridiagonal(diag * s * s, -w * s[:-1] * s[1:], select="i", select_range=(0, 1), eigvals_only=True)
    return ev[1]


def test_fipy_operator_lambda1_against_1d_reference():
    """Axial field (ψ = 0): λ₁ converges at second order to an independent 1D solution, and does
    not depend on α (precession only moves probability along rings)."""
    E = uniaxial_zeeman(2.0, 0.3, 0.0)
    ref = _lam1_reference(E)
    err = []
    for n in (16, 32, 64):
        m = latlong_mesh(n, 2 * n)
        l1 = _rates(fipy_brown_operator(m, E, 1.0), m, 3)[1]
        l1b = _rates(fipy_brown_operator(m, E, 0.1), m, 3)[1]
        assert abs(l1 - l1b) < 1e-10
        err.append(l1 - ref)
    # measured errors 7.3e-3, 1.84e-3, 4.6e-4: ratio 3.96, 4.00
    r = np.array(err[:-1]) / err[1:]
    assert np.all((r > 3.7) & (r < 4.3)), err


def test_bad_input():
    with pytest.raises(ParameterError, match=r"n_theta=1 is invalid: must be an integer in \[2, 4096\]"):
        latlong_mesh(1, 8)
    with pytest.raises(ParameterError, match=r"n_phi=2 is invalid"):
        latlong_mesh(4, 2)
    with pytest.raises(ParameterError, match=r"n_phi=8.5"):
        latlong_mesh(4, 8.5)
    with pytest.raises(ParameterError, match=r"refine='equator'.*'uniform', 'poles'"):
        latlong_mesh(4, 8, refine="equator")
    with pytest.raises(ParameterError, match="fipy=True"):
        fipy_brown_operator(latlong_mesh(4, 8, fipy=False), uniaxial_zeeman(1.0), 1.0)
    with pytest.raises(ParameterError, match="alpha=0"):
        fipy_brown_operator(latlong_mesh(4, 8), uniaxial_zeeman(1.0), 0)
