"""Geodesic Voronoi mesh: topology, exact geometry, Voronoi/Delaunay properties, caching, errors."""
import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.sphere import cells_to_level, geodesic_mesh, level_cells, mesh_from_name
from thermokinetic.sphere.geodesic import GeodesicMesh, _check_delaunay, build_geodesic, load_or_build
from thermokinetic.sphere.mesh import spherical_triangle_area


@pytest.mark.parametrize("level", range(0, 7))
def test_counts_euler_and_total_area(level):
    m = geodesic_mesh(level)
    # icosahedral subdivision: 10·4^L + 2 nodes, 30·4^L edges (= Voronoi faces), 20·4^L triangles
    assert m.n_cells == 10 * 4**level + 2 == level_cells(level)
    assert m.n_faces == 30 * 4**level
    assert m.n_vertices == 20 * 4**level
    assert m.euler_characteristic() == 2
    # exact spherical areas: Σ A_i = 4π up to rounding of ~10^5 terms (1e-13 is the promise)
    assert abs(m.areas.sum() - 4 * np.pi) < 1e-13
    assert np.all(m.areas > 0)


def test_interface_arrays_are_readonly_float64_contiguous():
    m = geodesic_mesh(3)
    for name in ("centers", "areas", "vertices", "face_lengths", "face_distances", "face_midpoints", "face_normals"):
        a = getattr(m, name)
        assert a.dtype == np.float64 and a.flags.c_contiguous and not a.flags.writeable, name
    for name in ("faces", "face_vertices", "cell_vertex_offsets", "cell_vertex_indices"):
        a = getattr(m, name)
        assert a.dtype == np.int64 and not a.flags.writeable, name
    with pytest.raises(ValueError):
        m.areas[0] = 1.0
    assert geodesic_mesh(3) is m  # lru_cache
    assert m.backend == "geodesic" and m.level == 3 and m.name == "geodesic-L3"
    # unit vectors to rounding
    assert np.abs(np.linalg.norm(m.centers, axis=1) - 1).max() < 1e-15
    assert np.abs(np.linalg.norm(m.vertices, axis=1) - 1).max() < 1e-15


def test_faces_unique_and_ordered():
    m = geodesic_mesh(4)
    i, j = m.faces.T
    assert np.all(i < j)
    key = i * m.n_cells + j
    assert np.unique(key).size == m.n_faces  # each adjacent pair exactly once
    deg = np.diff(m.neighbors().indptr)
    # 12 pentagons (the icosahedron's vertices), all other cells are hexagons
    assert np.sum(deg == 5) == 12 and np.sum(deg == 6) == m.n_cells - 12
    assert np.array_equal(np.diff(m.cell_vertex_offsets), deg)


@pytest.mark.parametrize("level", [2, 4])
def test_face_orientation(level):
    """det[m, n, v_b − v_a] > 0, n ⟂ m, |n| = 1, n points from i to j, m lies on the face."""
    m = geodesic_mesh(level)
    va = m.vertices[m.face_vertices[:, 0]]
    vb = m.vertices[m.face_vertices[:, 1]]
    mid, n = m.face_midpoints, m.face_normals
    det = np.einsum("ij,ij->i", np.cross(mid, n), vb - va)
    # the smallest faces have length ~0.7 h, so det ~ ℓ is far from 0 (no ambiguity)
    assert det.min() > 0.5 * m.face_lengths.min()
    assert np.abs(np.linalg.norm(n, axis=1) - 1).max() < 1e-14
    assert np.abs(np.einsum("ij,ij->i", n, mid)).max() < 1e-14
    ci, cj = m.centers[m.faces[:, 0]], m.centers[m.faces[:, 1]]
    assert np.einsum("ij,ij->i", n, cj - ci).min() > 0
    # the midpoint is equidistant from both generators (Voronoi bisector), to rounding
    # (rounding of the circumcentres ~ ε/h, see test_voronoi_and_delaunay_properties)
    assert np.abs(np.linalg.norm(mid - ci, axis=1) - np.linalg.norm(mid - cj, axis=1)).max() < 1e-13


@pytest.mark.parametrize("level", [1, 3, 5])
def test_voronoi_and_delaunay_properties(level):
    m = geodesic_mesh(level)
    # each Voronoi vertex is equidistant from its triangle's three generators …
    d = np.linalg.norm(m.vertices[:, None, :] - m.centers[m.triangles], axis=2)
    # (circumcentre from cross products of edge vectors of size h: rounding ~ ε/h ≈ 1e-14 at L5)
    assert np.abs(d - d[:, :1]).max() < 1e-13
    # … and no other generator is closer (empty circumcircle: Delaunay, so the dual is Voronoi);
    # the margin is ~0.3 h at every level, far above rounding
    assert _check_delaunay(m.centers, m.triangles, m.vertices) > 0.2 * m.face_lengths.min()
    # every generator lies inside its own cell: nearest-generator location returns it
    assert np.array_equal(m.locate(m.centers), np.arange(m.n_cells))


def test_arc_lengths_exact():
    m = geodesic_mesh(3)
    va = m.vertices[m.face_vertices[:, 0]]
    vb = m.vertices[m.face_vertices[:, 1]]
    # independent formula: 2 asin(chord/2)
    ell = 2 * np.arcsin(np.linalg.norm(va - vb, axis=1) / 2)
    assert np.abs(ell - m.face_lengths).max() < 1e-14
    ci, cj = m.centers[m.faces[:, 0]], m.centers[m.faces[:, 1]]
    dist = 2 * np.arcsin(np.linalg.norm(ci - cj, axis=1) / 2)
    assert np.abs(dist - m.face_distances).max() < 1e-14
    assert m.h == pytest.approx(m.face_distances.max())


@pytest.mark.parametrize("level", [2, 5])
def test_cell_polygons_ccw_and_areas_from_polygons(level):
    """Areas recomputed from the CSR polygon lists (a different path than the faces) agree, and
    the polygons are counter-clockwise seen from outside."""
    m = geodesic_mesh(level)
    off, idx = m.cell_vertex_offsets, m.cell_vertex_indices
    cell = np.repeat(np.arange(m.n_cells), np.diff(off))
    pos = np.arange(idx.size)
    nxt = np.where(pos + 1 < off[cell + 1], pos + 1, off[cell])
    a = spherical_triangle_area(m.centers[cell], m.vertices[idx], m.vertices[idx[nxt]])
    assert a.min() > 0  # every fan triangle is counter-clockwise
    areas = np.bincount(cell, weights=a, minlength=m.n_cells)
    assert np.abs(areas - m.areas).max() < 1e-15
    assert len(m.cell_vertices()) == m.n_cells
    assert np.array_equal(m.cell_vertices(7), idx[off[7] : off[8]])


def test_area_uniformity():
    # measured min/max area ratio: 0.763 (L3) → 0.7343 (L7); pentagons make the smallest cells
    for level, lo in ((3, 0.75), (6, 0.73)):
        a = geodesic_mesh(level).areas
        assert lo < a.min() / a.max() < 0.8


def test_disk_cache_roundtrip(tmp_path, monkeypatch):
    monkeypatch.setenv("THERMOKINETIC_CACHE", str(tmp_path))
    m1 = load_or_build(3, disk_min_level=2)
    f = tmp_path / "sphere" / "geodesic_L3_v1.npz"
    assert f.exists()
    m2 = load_or_build(3, disk_min_level=2)  # read back from disk
    ref = build_geodesic(3)
    for k, v in ref.items():
        a = m2.triangles if k == "triangles" else getattr(m2, k)
        assert np.array_equal(a, v), k
        assert np.array_equal(a, m1.triangles if k == "triangles" else getattr(m1, k)), k
    # a corrupt file is ignored (rebuilt with a warning), not trusted
    f.write_bytes(b"garbage")
    with pytest.warns(UserWarning, match="unreadable mesh cache"):
        m3 = load_or_build(3, disk_min_level=2)
    assert isinstance(m3, GeodesicMesh) and np.array_equal(m3.areas, ref["areas"])


@pytest.mark.parametrize("bad", [-1, 9, 2.5, "3", None, True])
def test_bad_level(bad):
    with pytest.raises(ParameterError, match=r"level=.*must be an integer in \[0, 8\]"):
        geodesic_mesh(bad)


def test_mesh_from_name_and_cells_to_level():
    assert mesh_from_name("geodesic", 3) is geodesic_mesh(3)
    assert cells_to_level(642) == 3
    assert cells_to_level(2000) == 4  # nearest in log: 2562 rather than 642
    assert mesh_from_name("geodesic", 10000).level == 5
    ll = mesh_from_name("latlong", 3, fipy=False)
    assert ll.backend == "latlong" and abs(ll.n_cells - 642) / 642 < 0.15
    with pytest.raises(ParameterError, match="mesh='hexagonal'.*'geodesic', 'latlong'"):
        mesh_from_name("hexagonal", 3)
    with pytest.raises(ParameterError, match="level_or_cells=10"):
        mesh_from_name("geodesic", 10)
    with pytest.raises(ParameterError, match="n_cells"):
        cells_to_level(5)


@pytest.mark.slow
def test_level7_build_and_disk_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("THERMOKINETIC_CACHE", str(tmp_path))
    m = load_or_build(7)  # builds and writes the .npz (levels >= 7 are cached on disk)
    assert (tmp_path / "sphere" / "geodesic_L7_v1.npz").exists()
    assert m.n_cells == 163842 and m.n_faces == 491520
    assert abs(m.areas.sum() - 4 * np.pi) < 1e-13
    assert m.euler_characteristic() == 2
    m2 = load_or_build(7)  # read back
    assert np.array_equal(m2.face_vertices, m.face_vertices) and np.array_equal(m2.areas, m.areas)
