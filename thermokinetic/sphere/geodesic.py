r"""Geodesic (icosahedral) mesh of Σ with Voronoi cells.

Construction (numpy-vectorized, no Python loop over cells):

1. the 12 vertices / 20 faces of the icosahedron, refined ``level`` times by midpoint bisection
   of every edge with projection to Σ (each triangle → 4): 10·4^L + 2 nodes, 20·4^L triangles;
2. the triangulation of the nodes is Delaunay (checked: every circumcircle is empty, see
   :func:`_check_delaunay`); its dual is the spherical Voronoi diagram: the Voronoi vertices are
   the circumcentres of the triangles, the Voronoi face between nodes i and j is the great-circle
   arc joining the circumcentres of the two triangles sharing the edge (i, j), and it lies on the
   perpendicular bisector plane of c_i and c_j (so the face normal is (c_j − c_i)/|c_j − c_i|);
3. exact spherical areas: each cell is the union of the geodesic triangles (c_i, v_a, v_b) over
   its faces, each with the Van Oosterom–Strackee area 2 atan2(det, 1 + a·b + b·c + c·a).

Units: unit sphere, lengths in radians, areas in steradians.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..errors import ParameterError
from .mesh import SphereMesh, _check_directions, arc_length, normalize, spherical_triangle_area

__all__ = ["GeodesicMesh", "build_geodesic", "icosahedron", "refine", "MAX_LEVEL", "CACHE_VERSION"]

MAX_LEVEL = 8
CACHE_VERSION = 1
_CACHE_KEYS = (
    "centers",
    "areas",
    "vertices",
    "faces",
    "face_vertices",
    "face_lengths",
    "face_distances",
    "face_midpoints",
    "face_normals",
    "cell_vertex_offsets",
    "cell_vertex_indices",
    "triangles",
)


def icosahedron() -> tuple[np.ndarray, np.ndarray]:
    """Nodes (12, 3) on Σ and triangles (20, 3), counter-clockwise seen from outside."""
    p = (1.0 + np.sqrt(5.0)) / 2.0
    v = np.array(
        [
            [-1, p, 0], [1, p, 0], [-1, -p, 0], [1, -p, 0],
            [0, -1, p], [0, 1, p], [0, -1, -p], [0, 1, -p],
            [p, 0, -1], [p, 0, 1], [-p, 0, -1], [-p, 0, 1],
        ],
        dtype=float,
    )
    t = np.array(
        [
            [0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11],
            [1, 5, 9], [5, 11, 4], [11, 10, 2], [10, 7, 6], [7, 1, 8],
            [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9],
            [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1],
        ],
        dtype=np.int64,
    )
    v = normalize(v)
    # orient counter-clockwise seen from outside: det[a, b, c] > 0
    det = np.einsum("ij,ij->i", v[t[:, 0]], np.cross(v[t[:, 1]], v[t[:, 2]]))
    t[det < 0] = t[det < 0][:, ::-1]
    return v, t


def refine(nodes: np.ndarray, tris: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One midpoint-bisection step: each triangle (a, b, c) → 4, new nodes projected to Σ."""
    n = nodes.shape[0]
    e = np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]])
    e.sort(axis=1)
    key = e[:, 0] * n + e[:, 1]
    ukey, inv = np.unique(key, return_inverse=True)
    a, b = ukey // n, ukey % n
    mid = normalize(nodes[a] + nodes[b])
    nt = tris.shape[0]
    ab = n + inv[:nt]
    bc = n + inv[nt : 2 * nt]
    ca = n + inv[2 * nt :]
    t0, t1, t2 = tris[:, 0], tris[:, 1], tris[:, 2]
    new = np.concatenate(
        [
            np.stack([t0, ab, ca], axis=1),
            np.stack([t1, bc, ab], axis=1),
            np.stack([t2, ca, bc], axis=1),
            np.stack([ab, bc, ca], axis=1),
        ]
    )
    return np.concatenate([nodes, mid]), new


def _check_delaunay(nodes: np.ndarray, tris: np.ndarray, circ: np.ndarray) -> float:
    """Return min over triangles of (distance from circumcentre to the nearest *other* node) −
    circumradius (chordal); > 0 means every circumcircle is empty (Delaunay)."""
    from scipy.spatial import cKDTree

    tree = cKDTree(nodes)
    r = np.linalg.norm(nodes[tris[:, 0]] - circ, axis=1)
    dist, idx = tree.query(circ, k=4)
    # the 4th nearest node must be farther than the circumradius
    return float(np.min(dist[:, 3] - r))


def build_geodesic(level: int) -> dict:
    """Build the arrays of the level-``level`` geodesic Voronoi mesh (see the module docstring)."""
    nodes, tris = icosahedron()
    for _ in range(level):
        nodes, tris = refine(nodes, tris)
    N = nodes.shape[0]
    T = tris.shape[0]
    # Voronoi vertices: circumcentres, outward for counter-clockwise triangles
    a, b, c = nodes[tris[:, 0]], nodes[tris[:, 1]], nodes[tris[:, 2]]
    circ = normalize(np.cross(b - a, c - a))
    # half-edges (p -> q) with the triangle on their left
    hp = tris.reshape(-1)
    hq = tris[:, [1, 2, 0]].reshape(-1)
    ht = np.repeat(np.arange(T, dtype=np.int64), 3)
    fwd = hp < hq
    kf = hp[fwd] * N + hq[fwd]
    kb = hq[~fwd] * N + hp[~fwd]
    of = np.argsort(kf, kind="stable")
    ob = np.argsort(kb, kind="stable")
    if not np.array_equal(kf[of], kb[ob]):  # pragma: no cover - topology guard
        raise RuntimeError("geodesic triangulation is not a closed oriented surface")
    faces = np.stack([hp[fwd][of], hq[fwd][of]], axis=1)
    # walking from v_a to v_b cell i is on the left: v_b is the triangle on the left of i -> j
    fv = np.stack([ht[~fwd][ob], ht[fwd][of]], axis=1)
    ci, cj = nodes[faces[:, 0]], nodes[faces[:, 1]]
    va, vb = circ[fv[:, 0]], circ[fv[:, 1]]
    face_mid = normalize(va + vb)
    face_nrm = normalize(cj - ci)
    face_len = arc_length(va, vb)
    face_dist = arc_length(ci, cj)
    # exact areas: signed triangles (c_i, v_a, v_b) for i and (c_j, v_b, v_a) for j
    areas = np.bincount(faces[:, 0], weights=spherical_triangle_area(ci, va, vb), minlength=N)
    areas += np.bincount(faces[:, 1], weights=spherical_triangle_area(cj, vb, va), minlength=N)
    # cell polygons: the triangles around each node, sorted by angle (counter-clockwise)
    cell = hp
    ref = np.where(np.abs(nodes[:, 2:3]) < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
    e1 = normalize(np.cross(nodes, ref))
    e2 = np.cross(nodes, e1)
    v = circ[ht]
    ang = np.arctan2(np.sum(v * e2[cell], axis=1), np.sum(v * e1[cell], axis=1))
    order = np.lexsort((ang, cell))
    cv_idx = ht[order]
    cv_off = np.concatenate([[0], np.cumsum(np.bincount(cell, minlength=N))])
    return dict(
        centers=nodes,
        areas=areas,
        vertices=circ,
        faces=faces,
        face_vertices=fv,
        face_lengths=face_len,
        face_distances=face_dist,
        face_midpoints=face_mid,
        face_normals=face_nrm,
        cell_vertex_offsets=cv_off,
        cell_vertex_indices=cv_idx,
        triangles=tris,
    )


class GeodesicMesh(SphereMesh):
    """Icosahedral geodesic mesh with spherical Voronoi cells (see :mod:`.geodesic`).

    Extra attribute ``triangles`` (n_vertices, 3): the Delaunay triangles of the generators,
    counter-clockwise seen from outside; row t is the triangle whose circumcentre is vertex t.

    Interpolation (:meth:`interpolate`) is linear on the Delaunay triangle of generators
    containing the direction (barycentric coordinates of the central projection onto the
    triangle's plane): second order for smooth fields, exact for constants.
    """

    def __init__(self, arrays: dict, level: int):
        arrays = dict(arrays)
        tris = arrays.pop("triangles")
        super().__init__(**arrays, backend="geodesic", level=level, name=f"geodesic-L{level}")
        t = np.ascontiguousarray(tris, dtype=np.int64)
        t.flags.writeable = False
        self.triangles = t

    def _barycentric(self, x: np.ndarray, t: np.ndarray) -> np.ndarray:
        c = self.centers
        a, b, cc = c[self.triangles[t, 0]], c[self.triangles[t, 1]], c[self.triangles[t, 2]]
        l0 = np.einsum("...i,...i->...", x, np.cross(b, cc))
        l1 = np.einsum("...i,...i->...", a, np.cross(x, cc))
        l2 = np.einsum("...i,...i->...", a, np.cross(b, x))
        lam = np.stack([l0, l1, l2], axis=-1)
        return lam / lam.sum(axis=-1, keepdims=True)

    def locate_triangle(self, directions) -> tuple[np.ndarray, np.ndarray]:
        """Delaunay triangle (index) containing each direction and its barycentric weights."""
        from scipy.spatial import cKDTree

        d, lead = _check_directions(directions)
        if "vtree" not in self._cache:
            self._cache["vtree"] = cKDTree(self.vertices)
        tree = self._cache["vtree"]
        n = d.shape[0]
        tri = np.full(n, -1, dtype=np.int64)
        lam = np.zeros((n, 3))
        todo = np.arange(n)
        for k in (6, 24, 96):
            if todo.size == 0:
                break
            k = min(k, self.n_vertices)
            _, cand = tree.query(d[todo], k=k)
            cand = cand.reshape(todo.size, k)
            L = self._barycentric(d[todo][:, None, :], cand)  # (m, k, 3)
            ok = np.all(L >= -1e-12, axis=2)
            found = ok.any(axis=1)
            first = np.argmax(ok, axis=1)
            rows = np.nonzero(found)[0]
            tri[todo[rows]] = cand[rows, first[rows]]
            lam[todo[rows]] = L[rows, first[rows]]
            todo = todo[~found]
        if todo.size:  # pragma: no cover - geometric guard
            raise RuntimeError(f"{todo.size} directions not located in any triangle")
        return tri.reshape(lead), lam.reshape(lead + (3,))

    def interpolation_matrix(self, directions) -> sp.csr_matrix:
        d, _ = _check_directions(directions)
        tri, lam = self.locate_triangle(d)
        n = d.shape[0]
        cols = self.triangles[tri]
        rows = np.repeat(np.arange(n), 3)
        return sp.csr_matrix((lam.reshape(-1), (rows, cols.reshape(-1))), shape=(n, self.n_cells))

    def vertex_matrix(self) -> sp.csr_matrix:
        """Cell fields at the Voronoi vertices: linear interpolation on the vertex's own Delaunay
        triangle (its three cells), i.e. barycentric weights at the circumcentre."""
        if "vertex_matrix" not in self._cache:
            t = np.arange(self.n_vertices)
            lam = self._barycentric(self.vertices, t)
            rows = np.repeat(t, 3)
            self._cache["vertex_matrix"] = sp.csr_matrix(
                (lam.reshape(-1), (rows, self.triangles.reshape(-1))), shape=(self.n_vertices, self.n_cells)
            )
        return self._cache["vertex_matrix"]


# ----------------------------------------------------------------------------------------------
# disk cache


def cache_dir() -> Path | None:
    """Folder for cached meshes: ``$THERMOKINETIC_CACHE`` (``""``/``"0"``/``"off"`` disables),
    default ``~/.cache/thermokinetic``."""
    env = os.environ.get("THERMOKINETIC_CACHE")
    if env is not None and env.strip().lower() in ("", "0", "off", "none", "false"):
        return None
    base = Path(env).expanduser() if env else Path.home() / ".cache" / "thermokinetic"
    return base / "sphere"


def _cache_file(level: int) -> Path | None:
    d = cache_dir()
    return None if d is None else d / f"geodesic_L{level}_v{CACHE_VERSION}.npz"


def load_or_build(level: int, *, disk_min_level: int = 7) -> GeodesicMesh:
    """Build the level-``level`` mesh, reading/writing the disk cache for levels ≥ ``disk_min_level``."""
    path = _cache_file(level) if level >= disk_min_level else None
    arrays = None
    if path is not None and path.exists():
        try:
            with np.load(path) as z:
                arrays = {k: z[k] for k in _CACHE_KEYS}
            if arrays["centers"].shape[0] != 10 * 4**level + 2:
                arrays = None
        except Exception as exc:  # corrupt / old file: rebuild
            warnings.warn(f"ignoring unreadable mesh cache {path}: {exc}", stacklevel=2)
            arrays = None
    if arrays is None:
        arrays = build_geodesic(level)
        if path is not None:
            try:
                import io as _io

                from ..io import atomic_write_bytes

                buf = _io.BytesIO()
                np.savez(buf, **arrays)
                atomic_write_bytes(path, buf.getvalue())
            except OSError as exc:
                warnings.warn(f"could not write mesh cache {path}: {exc}", stacklevel=2)
    return GeodesicMesh(arrays, level)


def check_level(level) -> int:
    """Validate a geodesic refinement level (integer 0…MAX_LEVEL)."""
    if isinstance(level, bool) or not isinstance(level, (int, np.integer)):
        raise ParameterError(
            "level", level, f"an integer in [0, {MAX_LEVEL}]", "level L has 10·4^L + 2 cells; L = 3…7 gives 642…163842"
        )
    level = int(level)
    if not 0 <= level <= MAX_LEVEL:
        raise ParameterError(
            "level", level, f"an integer in [0, {MAX_LEVEL}]", "level L has 10·4^L + 2 cells; L = 3…7 gives 642…163842"
        )
    return level
