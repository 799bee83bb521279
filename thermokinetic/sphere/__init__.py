r"""Finite-volume meshes on the unit sphere Σ, their geometry, and plotting.

Two independent backends behind one interface, :class:`SphereMesh`:

* :func:`geodesic_mesh` — icosahedral nodes refined ``level`` times (10·4^L + 2 cells), spherical
  Voronoi cells with exact areas and arc lengths; the recommended mesh (no pole singularity);
* :func:`band_mesh` — a lat-long grid about a film normal, rings graded towards the film plane;
* :func:`latlong_mesh` — a periodic grid in (φ, x = cos θ) with θ-uniform or pole-refined rings,
  also exposed as a FiPy mesh for an independent FiPy assembly (:mod:`.latlong`).

Example
-------
>>> from thermokinetic.sphere import geodesic_mesh
>>> m = geodesic_mesh(3)
>>> m.n_cells, round(float(m.areas.sum()), 12)
(642, 12.566370614359)
"""
from __future__ import annotations

import functools

import numpy as np

from ..errors import ParameterError
from .geodesic import MAX_LEVEL, GeodesicMesh, check_level, load_or_build
from .hodge import hodge_compose, hodge_decompose, surface_curl, surface_divergence, surface_gradient
from .mesh import SphereMesh, directions_to_spherical, spherical_to_directions

__all__ = [
    "SphereMesh",
    "GeodesicMesh",
    "geodesic_mesh",
    "latlong_mesh",
    "band_mesh",
    "mesh_from_name",
    "cells_to_level",
    "level_cells",
    "directions_to_spherical",
    "spherical_to_directions",
    "MESH_NAMES",
    "hodge_decompose",
    "hodge_compose",
    "surface_divergence",
    "surface_curl",
    "surface_gradient",
]

MESH_NAMES = ("geodesic", "latlong")


def level_cells(level: int) -> int:
    """Number of cells 10·4^L + 2 of the level-L geodesic mesh."""
    return 10 * 4 ** check_level(level) + 2


@functools.lru_cache(maxsize=None)
def _geodesic_cached(level: int) -> GeodesicMesh:
    return load_or_build(level)


def geodesic_mesh(level: int) -> GeodesicMesh:
    """Geodesic Voronoi mesh of Σ at refinement ``level`` (0 … 8; 10·4^L + 2 cells).

    Parameters
    ----------
    level : int
        Icosahedron bisection level; L = 3…7 gives 642 … 163 842 cells, h ≈ 1.1/2^L rad.

    Returns
    -------
    GeodesicMesh
        Cached (the same read-only object for repeated calls); levels ≥ 7 are also cached on
        disk under ``$THERMOKINETIC_CACHE/sphere`` (default ``~/.cache/thermokinetic``).
    """
    return _geodesic_cached(check_level(level))


def cells_to_level(n_cells) -> int:
    """Geodesic level whose cell count 10·4^L + 2 is nearest (in log) to ``n_cells``."""
    if isinstance(n_cells, bool) or not isinstance(n_cells, (int, np.integer)) or n_cells < 12:
        raise ParameterError("n_cells", n_cells, f"an integer in [12, {level_cells(MAX_LEVEL)}]")
    if n_cells > 2 * level_cells(MAX_LEVEL):
        raise ParameterError(
            "n_cells", n_cells, f"an integer in [12, {level_cells(MAX_LEVEL)}]", f"the finest level is {MAX_LEVEL}"
        )
    counts = np.array([10 * 4**L + 2 for L in range(MAX_LEVEL + 1)], dtype=float)
    return int(np.argmin(np.abs(np.log(counts) - np.log(float(n_cells)))))


def latlong_mesh(n_theta: int, n_phi: int, refine: str = "uniform", fipy: bool = True):
    """Lat-long mesh of Σ: a periodic grid in (φ ∈ [0, 2π), x = cos θ ∈ [−1, 1]).

    See :func:`thermokinetic.sphere.latlong.latlong_mesh`.
    """
    from .latlong import latlong_mesh as _ll

    return _ll(n_theta, n_phi, refine=refine, fipy=fipy)


def band_mesh(normal, axis, n: int, n_phi: int, beta: float):
    """Lat-long mesh about a film normal with rings graded towards the film plane.

    See :func:`thermokinetic.sphere.latlong.band_mesh`.
    """
    from .latlong import band_mesh as _bm

    return _bm(normal, axis, n, n_phi, beta)


def mesh_from_name(name: str, level_or_cells=4, **kw) -> SphereMesh:
    """Build a mesh by backend name and size.

    Parameters
    ----------
    name : {"geodesic", "latlong"}
        Backend.
    level_or_cells : int
        A geodesic level 0…8, or a target number of cells (≥ 12; mapped by :func:`cells_to_level`
        for geodesic, to n_phi = 2 n_theta ≈ the same count for latlong).  A level given to
        ``latlong`` means "about as many cells as that geodesic level".
    **kw
        Passed to :func:`latlong_mesh` (``refine``, ``fipy``).
    """
    if name not in MESH_NAMES:
        raise ParameterError("mesh", name, f"one of {list(MESH_NAMES)}")
    v = level_or_cells
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0 or MAX_LEVEL < v < 12:
        raise ParameterError(
            "level_or_cells", v, f"a level in [0, {MAX_LEVEL}] or a number of cells >= 12"
        )
    level = int(v) if v <= MAX_LEVEL else None
    if name == "geodesic":
        if kw:
            raise ParameterError("options", sorted(kw), "none for the geodesic mesh")
        return geodesic_mesh(level if level is not None else cells_to_level(int(v)))
    cells = level_cells(level) if level is not None else int(v)
    n_theta = max(2, int(round(np.sqrt(cells / 2.0))))
    return latlong_mesh(n_theta, 2 * n_theta, **kw)
