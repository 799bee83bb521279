"""Plotting: Mollweide map (equal-area, seam and pole handling) and 3D view; PNGs are written."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from thermokinetic.errors import ParameterError  # noqa: E402
from thermokinetic.sphere import geodesic_mesh, latlong_mesh  # noqa: E402
from thermokinetic.sphere.plot import mollweide_polygons, mollweide_xy, plot_mollweide, plot_sphere3d  # noqa: E402


def _shoelace(p):
    x, y = p.T
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_mollweide_projection_truths():
    # equator/central meridian extremes of the ellipse with semi-axes 2√2 and √2
    x, y = mollweide_xy(np.array([np.pi, 0.0, 0.0]), np.array([0.0, np.pi / 2, -np.pi / 2]))
    assert np.allclose([x[0], y[1], y[2]], [2 * np.sqrt(2), np.sqrt(2), -np.sqrt(2)], atol=1e-12)
    # equal area: a thin band between latitudes b1, b2 has area Δlon (sin b2 − sin b1)
    lon = np.array([-0.3, 0.3, 0.3, -0.3])
    lat = np.array([0.4, 0.4, 0.45, 0.45])
    band = _shoelace(np.column_stack(mollweide_xy(lon, lat)))
    assert band == pytest.approx(0.6 * (np.sin(0.45) - np.sin(0.4)), rel=1e-3)  # straight-edge error


@pytest.mark.parametrize("mesh", [geodesic_mesh(3), latlong_mesh(12, 24, fipy=False)], ids=["geodesic", "latlong"])
def test_mollweide_polygons_cover_the_map(mesh):
    """The projection is equal-area, so projected cell areas ≈ spherical areas and the pieces of
    the seam cells and the pole cells add up: total = 4π."""
    polys, owner = mollweide_polygons(mesh)
    a = np.array([_shoelace(p) for p in polys])
    assert set(owner) == set(range(mesh.n_cells))
    # measured: −0.048 % (geodesic L3), −0.2 % (latlong 12×24: curved meridians near the poles)
    assert abs(a.sum() - 4 * np.pi) / (4 * np.pi) < 3e-3
    ratio = np.bincount(owner, weights=a, minlength=mesh.n_cells) / mesh.areas
    # per cell: straight edges in (lon, lat) bend near the poles; measured 0.96–1.17
    assert 0.9 < ratio.min() and ratio.max() < 1.2
    # seam cells are split in two pieces that stay inside the map (on the lat-long grid φ = π is
    # a cell boundary, so no cell straddles it)
    if mesh.backend == "geodesic":
        assert len(polys) > mesh.n_cells
    xs = np.concatenate(polys)
    assert np.all((xs[:, 0] / (2 * np.sqrt(2))) ** 2 + (xs[:, 1] / np.sqrt(2)) ** 2 < 1 + 1e-9)


def test_plots_run_and_save(tmp_path):
    m = geodesic_mesh(3)
    f = m.centers[:, 0] + 0.5 * m.centers[:, 2] ** 2
    coll = plot_mollweide(m, f, title="x + z²/2")
    assert coll.get_array().shape == (len(mollweide_polygons(m)[0]),)
    assert coll.get_array().min() == pytest.approx(f.min()) and coll.get_array().max() == pytest.approx(f.max())
    p1 = tmp_path / "moll.png"
    coll.axes.figure.savefig(p1, dpi=60)
    c3 = plot_sphere3d(m, f)
    p2 = tmp_path / "sphere.png"
    c3.axes.figure.savefig(p2, dpi=60)
    assert len(c3.get_paths()) == m.n_cells  # projected at draw time
    ll = latlong_mesh(8, 16, fipy=False)
    fig, ax = plt.subplots()
    plot_mollweide(ll, ll.centers[:, 2], ax=ax, colorbar=False)
    p3 = tmp_path / "moll_ll.png"
    fig.savefig(p3, dpi=60)
    for p in (p1, p2, p3):
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000
    plt.close("all")


def test_plot_bad_input():
    m = geodesic_mesh(2)
    with pytest.raises(ParameterError, match=r"f=.*\(162,\)"):
        plot_mollweide(m, np.ones(5))
    with pytest.raises(ParameterError, match="non-finite"):
        plot_sphere3d(m, np.full(m.n_cells, np.nan))
    fig, ax = plt.subplots()
    with pytest.raises(ParameterError, match="3D axes"):
        plot_sphere3d(m, np.ones(m.n_cells), ax=ax)
    plt.close("all")
