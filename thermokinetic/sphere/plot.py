r"""Plots of a cell field on Σ: Mollweide map and 3D sphere view (matplotlib).

:func:`plot_mollweide` draws every cell as a filled polygon in the (equal-area) Mollweide
projection, x = (2√2/π) φ cos t, y = √2 sin t with 2t + sin 2t = π sin(latitude), so projected
cell areas equal the spherical ones (steradians) up to the straight-edge approximation.  Cells
that straddle the seam φ = ±π are cut into two pieces (one on each side); the two cells that
contain a pole are closed along the top/bottom edge of the map.

:func:`plot_sphere3d` draws the cell polygons as a ``Poly3DCollection`` on the unit sphere.
"""
from __future__ import annotations

import numpy as np

from ..errors import ParameterError
from .mesh import SphereMesh

__all__ = ["plot_mollweide", "plot_sphere3d", "mollweide_xy", "mollweide_polygons"]


def mollweide_xy(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Mollweide projection of (longitude, latitude) in radians, unit sphere (equal-area)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    target = np.pi * np.sin(lat)
    t = lat.copy()
    for _ in range(50):  # Newton on 2t + sin 2t = π sin(lat)
        f = 2 * t + np.sin(2 * t) - target
        fp = 2 + 2 * np.cos(2 * t)
        step = np.where(fp > 1e-12, f / np.where(fp > 1e-12, fp, 1.0), 0.0)
        t = np.clip(t - step, -np.pi / 2, np.pi / 2)
        if np.max(np.abs(step), initial=0.0) < 1e-13:
            break
    return (2 * np.sqrt(2) / np.pi) * lon * np.cos(t), np.sqrt(2) * np.sin(t)


def _clip_halfplane(poly: np.ndarray, bound: float, keep_below: bool) -> np.ndarray:
    """Sutherland–Hodgman clip of a (lon, lat) polygon to lon ≤ bound (or ≥ bound)."""
    if len(poly) == 0:
        return poly
    s = poly[:, 0] - bound
    inside = s <= 0 if keep_below else s >= 0
    out = []
    n = len(poly)
    for k in range(n):
        p, q = poly[k], poly[(k + 1) % n]
        ip, iq = inside[k], inside[(k + 1) % n]
        if ip:
            out.append(p)
        if ip != iq:
            t = (bound - p[0]) / (q[0] - p[0])
            out.append(p + t * (q - p))
    return np.array(out) if out else np.zeros((0, 2))


def _densify(poly: np.ndarray, n_sub: int) -> np.ndarray:
    if n_sub <= 1 or len(poly) < 2:
        return poly
    q = np.roll(poly, -1, axis=0)
    t = np.arange(n_sub)[None, :, None] / n_sub
    return (poly[:, None, :] + t * (q - poly)[:, None, :]).reshape(-1, 2)


def mollweide_polygons(mesh: SphereMesh, n_sub: int = 3) -> tuple[list, np.ndarray]:
    """Projected cell polygons: (list of (k, 2) arrays in Mollweide x, y; owning cell index).

    Seam-straddling cells give two polygons; ``n_sub`` subdivides each edge (in lon/lat).
    """
    c = mesh.centers
    lonc = np.arctan2(c[:, 1], c[:, 0])
    V = mesh.vertices
    lonv = np.arctan2(V[:, 1], V[:, 0])
    latv = np.arcsin(np.clip(V[:, 2], -1, 1))
    at_pole = np.abs(latv) > np.pi / 2 - 1e-9
    polys, owner = [], []
    for i, vi in enumerate(mesh.cell_vertices()):
        pv = at_pole[vi]
        lo_raw, la = lonv[vi], latv[vi]
        if not pv.any():
            dl = np.angle(np.exp(1j * (np.roll(lo_raw, -1) - lo_raw)))
            winding = dl.sum()
            if abs(winding) > np.pi:  # the cell contains a pole in its interior
                sgn = 1.0 if c[i, 2] > 0 else -1.0
                o = np.argsort(lo_raw)
                lo, la = lo_raw[o], la[o]
                gap = (lo[0] + 2 * np.pi) - lo[-1]
                t = (np.pi - lo[-1]) / gap if gap > 0 else 0.5
                lat_seam = la[-1] + t * (la[0] - la[-1])
                poly = np.vstack(
                    [
                        [[-np.pi, lat_seam]],
                        np.column_stack([lo, la]),
                        [[np.pi, lat_seam], [np.pi, sgn * np.pi / 2], [-np.pi, sgn * np.pi / 2]],
                    ]
                )
                polys.append(_densify(poly, n_sub))
                owner.append(i)
                continue
        lo = lonc[i] + np.angle(np.exp(1j * (lo_raw - lonc[i])))
        pts = []
        n = len(vi)
        for k in range(n):
            if pv[k]:  # a pole corner becomes the map's top/bottom edge between its neighbours
                pts.append((lo[(k - 1) % n], la[k]))
                pts.append((lo[(k + 1) % n], la[k]))
            else:
                pts.append((lo[k], la[k]))
        poly = np.array(pts)
        if poly[:, 0].max() > np.pi + 1e-12:
            pieces = [_clip_halfplane(poly, np.pi, True), _clip_halfplane(poly, np.pi, False) - [2 * np.pi, 0]]
        elif poly[:, 0].min() < -np.pi - 1e-12:
            pieces = [_clip_halfplane(poly, -np.pi, False), _clip_halfplane(poly, -np.pi, True) + [2 * np.pi, 0]]
        else:
            pieces = [poly]
        for p in pieces:
            if len(p) >= 3:
                polys.append(_densify(p, n_sub))
                owner.append(i)
    out = []
    for p in polys:
        x, y = mollweide_xy(np.clip(p[:, 0], -np.pi, np.pi), p[:, 1])
        out.append(np.column_stack([x, y]))
    return out, np.array(owner, dtype=np.int64)


def _field(mesh: SphereMesh, f) -> np.ndarray:
    if not isinstance(mesh, SphereMesh):
        raise ParameterError("mesh", mesh, "a SphereMesh (thermokinetic.sphere.geodesic_mesh / latlong_mesh)")
    f = np.asarray(f, dtype=float)
    if f.shape != (mesh.n_cells,):
        raise ParameterError("f", f"array of shape {f.shape}", f"a scalar cell field of shape ({mesh.n_cells},)")
    if not np.all(np.isfinite(f)):
        raise ParameterError("f", "non-finite values", "finite cell values")
    return f


def plot_mollweide(
    mesh: SphereMesh,
    f,
    ax=None,
    *,
    cmap="viridis",
    vmin=None,
    vmax=None,
    colorbar: bool = True,
    title: str | None = None,
    edgecolor="face",
    linewidth: float = 0.3,
    n_sub: int = 3,
):
    """Map of the cell field ``f`` in the Mollweide projection (longitude φ, latitude π/2 − θ).

    Parameters
    ----------
    mesh : SphereMesh
    f : array_like, shape (n_cells,)
        Cell values.
    ax : matplotlib Axes, optional
        Cartesian axes to draw into (a new figure if None).
    cmap, vmin, vmax : colormap and its limits.
    colorbar : bool
        Add a colour bar.
    n_sub : int
        Edge subdivisions for the projected polygons.

    Returns
    -------
    matplotlib.collections.PolyCollection
        The cell polygons (``.axes`` is the axes, ``.colorbar`` the colour bar or None); polygon
        k belongs to cell ``mollweide_polygons(mesh)[1][k]``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Ellipse

    f = _field(mesh, f)
    polys, owner = mollweide_polygons(mesh, n_sub=n_sub)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.4))
    coll = PolyCollection(polys, array=f[owner], cmap=cmap, edgecolors=edgecolor, linewidths=linewidth)
    coll.set_clim(vmin if vmin is not None else f.min(), vmax if vmax is not None else f.max())
    ax.add_collection(coll)
    a, b = 2 * np.sqrt(2), np.sqrt(2)
    ax.add_patch(Ellipse((0, 0), 2 * a, 2 * b, fill=False, color="k", lw=0.8))
    ax.set_xlim(-a * 1.01, a * 1.01)
    ax.set_ylim(-b * 1.02, b * 1.02)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(coll, ax=ax, shrink=0.7)
    return coll


def plot_sphere3d(
    mesh: SphereMesh,
    f,
    ax=None,
    *,
    cmap="viridis",
    vmin=None,
    vmax=None,
    colorbar: bool = True,
    title: str | None = None,
    elev: float = 20.0,
    azim: float = 30.0,
    edgecolor="none",
):
    """3D view of the cell field ``f`` on the unit sphere (one polygon per cell).

    Returns
    -------
    mpl_toolkits.mplot3d.art3d.Poly3DCollection
        One polygon per cell (``.axes`` is the axes).
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    f = _field(mesh, f)
    if ax is None:
        fig = plt.figure(figsize=(6, 6))
        ax = fig.add_subplot(projection="3d")
    if getattr(ax, "name", "") != "3d":
        raise ParameterError("ax", ax, "a 3D axes (fig.add_subplot(projection='3d'))")
    norm = Normalize(vmin if vmin is not None else f.min(), vmax if vmax is not None else f.max())
    cm = colormaps[cmap] if isinstance(cmap, str) else cmap
    polys = [mesh.vertices[v] for v in mesh.cell_vertices()]
    coll = Poly3DCollection(polys, facecolors=cm(norm(f)), edgecolors=edgecolor)
    ax.add_collection3d(coll)
    for setlim in (ax.set_xlim, ax.set_ylim, ax.set_zlim):
        setlim(-1, 1)
    ax.set_box_aspect((1, 1, 1))
    ax.view_init(elev=elev, azim=azim)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cm), ax=ax, shrink=0.6)
    return coll
