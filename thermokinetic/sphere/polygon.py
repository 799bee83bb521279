r"""A :class:`~thermokinetic.sphere.mesh.SphereMesh` from cell polygons and their generator points.

Used by meshes built from curves rather than from a fixed grid (the orbit-aligned mesh of
:mod:`thermokinetic.fokker_planck.orbit_mesh`): the caller gives the polygon corners of every cell
(counter-clockwise seen from outside Σ) and one generator point per cell; this module derives the
faces (shared polygon sides, as geodesic arcs), their lengths, the generator distances, the exact
spherical areas of the geodesic polygons, and the face orientation the finite-volume scheme needs.

The two-point flux of the scheme is consistent where the arc joining two generators crosses their
shared face at a right angle; the caller is responsible for that (orthogonal grids).  A side that
belongs to one cell only is a reflecting (zero-flux) boundary: such a mesh need not cover Σ.

Units: unit sphere, lengths in radians, areas in steradians.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..errors import ParameterError
from .mesh import SphereMesh, arc_length, normalize, spherical_triangle_area

__all__ = ["PolygonMesh", "polygon_mesh"]


class PolygonMesh(SphereMesh):
    """A sphere mesh given by its cell polygons (see :func:`polygon_mesh`).

    Interpolation to arbitrary directions is the nearest generator's value (first order); vertex
    values are the area-weighted mean of the cells around each vertex.
    """

    def interpolation_matrix(self, directions) -> sp.csr_matrix:
        from .mesh import _check_directions

        d, _ = _check_directions(directions)
        if d.shape == self.vertices.shape and np.array_equal(d, self.vertices):
            return self._vertex_average()
        idx = self.locate(d)
        return sp.csr_matrix((np.ones(len(idx)), (np.arange(len(idx)), idx)), shape=(len(idx), self.n_cells))

    def _vertex_average(self) -> sp.csr_matrix:
        off, idx = self.cell_vertex_offsets, self.cell_vertex_indices
        cells = np.repeat(np.arange(self.n_cells), np.diff(off))
        W = sp.csr_matrix((self.areas[cells], (idx, cells)), shape=(self.n_vertices, self.n_cells))
        s = np.asarray(W.sum(axis=1)).ravel()
        return sp.diags(1.0 / np.where(s > 0, s, 1.0)) @ W


def _polygon_area(verts: np.ndarray, poly: np.ndarray, center: np.ndarray) -> float:
    p = verts[poly]
    q = np.roll(p, -1, axis=0)
    return float(np.sum(spherical_triangle_area(np.broadcast_to(center, p.shape), p, q)))


def polygon_mesh(vertices, centers, polygons, *, name: str, level: int | None = None, areas=None,
                 side_geometry: dict | None = None) -> PolygonMesh:
    """Build a finite-volume mesh of Σ from cell polygons.

    Parameters
    ----------
    vertices : array_like, shape (n_vertices, 3)
        Polygon corners (unit vectors).
    centers : array_like, shape (n_cells, 3)
        One generator point per cell (unit vectors), inside its polygon.
    polygons : sequence of int arrays, or (counts, flat indices)
        Corner indices of each cell, counter-clockwise seen from outside Σ.
    name : str
        Mesh name.
    level : int, optional
        Refinement level of a mesh family.
    areas : array_like, optional
        Exact cell areas of curvilinear cells (default: the areas of the geodesic polygons).
    side_geometry : dict of arrays, optional
        Curvilinear faces: entries ``a``, ``b`` (the end vertices of a side), ``len`` (its length) and
        ``dist`` (the part of the generator distance on one cell's side of it); the generator distance of
        a face is the sum of its parts (default: the geodesic arcs of the face and between the generators).

    Raises
    ------
    ParameterError
        If a polygon is clockwise or degenerate, or a side is shared by more than two cells.
    """
    V = normalize(np.asarray(vertices, float))
    C = normalize(np.asarray(centers, float))
    if isinstance(polygons, tuple):
        counts, flat = (np.asarray(x, dtype=np.int64) for x in polygons)
    else:
        polys = [np.asarray(p, dtype=np.int64) for p in polygons]
        counts = np.array([len(p) for p in polys], dtype=np.int64)
        flat = np.concatenate(polys) if polys else np.zeros(0, np.int64)
    if len(counts) != C.shape[0]:
        raise ParameterError("polygons", len(counts), f"one polygon per center ({C.shape[0]})")
    off = np.concatenate([[0], np.cumsum(counts)])
    if areas is None:
        areas = np.array([_polygon_area(V, flat[off[k]:off[k + 1]], C[k]) for k in range(len(counts))])
    else:
        areas = np.asarray(areas, float)
    if np.any(areas <= 0):
        bad = int(np.argmin(areas))
        raise ParameterError("polygons", f"cell {bad} with signed area {areas[bad]:.3g}",
                             "counter-clockwise polygons of positive area")
    nxt = np.arange(1, flat.size + 1)
    nxt[off[1:] - 1] = off[:-1]
    a, b = flat, flat[nxt]
    cell = np.repeat(np.arange(len(counts)), counts)
    # sides: (a, b) of cell c, keyed by the unordered vertex pair
    keep = a != b
    a, b, cell = a[keep], b[keep], cell[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = lo * V.shape[0] + hi
    order = np.argsort(key, kind="stable")
    key_s = key[order]
    uniq, start, counts = np.unique(key_s, return_index=True, return_counts=True)
    if np.any(counts > 2):
        raise ParameterError("polygons", "a side shared by three cells", "sides shared by at most two cells")
    pair = start[counts == 2]
    s1, s2 = order[pair], order[pair + 1]
    i, j = cell[s1], cell[s2]
    va, vb = a[s1], b[s1]
    swap = i > j
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    mid = normalize(V[va] + V[vb])
    nrm = np.cross(mid, V[vb] - V[va])
    nrm = normalize(nrm)
    flip = np.sum(nrm * (C[j] - C[i]), axis=1) < 0
    nrm[flip] *= -1
    if side_geometry is None:
        lengths, dists = arc_length(V[va], V[vb]), arc_length(C[i], C[j])
    else:
        nv = V.shape[0]
        sk = side_geometry["a"].astype(np.int64) * nv + side_geometry["b"]
        uk, first, inv = np.unique(sk, return_index=True, return_inverse=True)
        dsum = np.bincount(inv, weights=side_geometry["dist"], minlength=uk.size)
        pos = np.searchsorted(uk, np.minimum(va, vb) * nv + np.maximum(va, vb))
        if np.any(pos >= uk.size) or np.any(uk[np.minimum(pos, uk.size - 1)] != np.minimum(va, vb) * nv + np.maximum(va, vb)):
            raise ParameterError("side_geometry", "a face without geometry", "the geometry of every shared side")
        lengths, dists = side_geometry["len"][first][pos], dsum[pos]
    if np.any(lengths <= 0) or np.any(dists <= 0):
        raise ParameterError("side_geometry", "a face of zero length or generator distance",
                             "positive lengths and distances")
    return PolygonMesh(
        centers=C, areas=areas, vertices=V, faces=np.stack([i, j], axis=1),
        face_vertices=np.stack([va, vb], axis=1), face_lengths=lengths,
        face_distances=dists, face_midpoints=mid, face_normals=nrm,
        cell_vertex_offsets=off, cell_vertex_indices=flat,
        backend="polygon", level=level, name=name)
