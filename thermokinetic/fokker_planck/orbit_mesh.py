r"""The orbit-aligned mesh: cells bounded by level sets of U and by its gradient lines.

Why
---
At low damping the precession ``u × ∇U / 2α`` dominates the drift.  On a mesh whose faces cut
the orbits (geodesic, lat-long) its cell Péclet number ``|∇U| h / 2α`` is large (≈ 190 for a film
σ = 40, σ_p = 400 at α = 0.01 on a 164k-cell mesh): the central scheme is far from monotone and the
monotone (M-matrix) variant adds a numerical diffusion ∝ h/α *across* the orbits, which is the
very process that sets the escape rate.  In the generator of :mod:`.generator` the precession flux
through a face is the exact discrete curl ``(1/2α) f̄ (w_b − w_a)`` of ``w = e^{−U}`` between the
face's end vertices a, b.  If every face either joins two vertices on one level set of U (then
``w_b = w_a``: no precession flux, exactly) or runs along a gradient line, the precession only
moves probability *along* the orbits, whatever α: cross-orbit transport is the dissipative
Scharfetter–Gummel flux alone, as in the energy-diffusion limit, and the scheme stays second-order
consistent for all α.  Level sets and gradient lines are orthogonal, so the two-point flux is
consistent (the arc joining two cell generators crosses their face at a right angle).

Construction (two wells, all saddles on one level E_s: thin films, Stoner–Wohlfarth particles with
the field near an axis; the orbit graph of :mod:`.energy_diffusion`)
-----------------------------------------------------------------------------------------------
1. The saddles, and the separatrix {U = E_s} traced from them as arcs (saddle to saddle), each
   separating one well region (below) from one top region (above).
2. Seeds on every arc (``arc0·2^level`` intervals, graded towards the saddles, where the escape flux
   crosses at high damping), and the four gradient lines of every saddle (two descending into
   wells, two ascending into tops).  Every other gradient line crosses the separatrix once, so
   tracing the seeds down and up gives a net of lines that covers each region; consecutive lines
   around a region bound its cells.
3. Rings: in each region the level sets ``E(ξ_k)``, ξ_k = k/n, with ``E = E_s + ΔE (ξ(2 − ξ))⁴``
   (ΔE to the region's extremum): quartic at the separatrix, where the orbit period diverges
   logarithmically (measured: a quadratic grading gave erratic first-order convergence, the quartic
   one second order), quadratic at the extremum (uniform ring radius).  Tops more than ``top_span``
   kT above E_s end at ``E_s + top_span`` (a reflecting ring holding e^{−top_span} of the mass).
4. Cells: between consecutive rings and consecutive lines, plus one cap cell about each minimum
   (and each maximum kept); generators on the half lines (seeds at half intervals) at the half
   levels, so that generator arcs follow gradient lines and level sets.  Near an anisotropic
   extremum gradient lines bunch (x ∝ y^{λ₂/λ₁}, λ₂/λ₁ = 11 for σ_p = 10σ) until they coincide in
   double precision: a line ends on the ring where it comes closer to the last kept one than
   :data:`MERGE` × the layer thickness (a hanging vertex on the outer side of the merged cell).
5. Geometry of the curved cells, not of their chords: areas swept about the extremum (signed
   geodesic triangles, summed around each cell modulo 4π) along the traced lines and along the level
   arcs, face lengths and generator distances along the same curves.  Polygon (chord) areas were
   measured to put the Boltzmann mass of a film 2.7 % off at 16 seeds per arc, the exact ones 4e-4.
   The level arcs are sampled on rays from the extremum, except in a *band*: a top wrapping around
   the sphere (a uniaxial magnet in an oblique field, its saddle nearly antipodal to its maximum), where
   the azimuth about the maximum is not monotone along the level sets.  There the arcs follow the
   traced lines (every line and half line of the ring, the pieces between them projected on the
   level); measured, σ = 40, h = 0.1, ψ = 30°: the areas tile Σ to 2e-6, 1e-7, 8e-9, 5e-10 at levels
   0–3.

Regions must be topological discs bounded by separatrix arcs (one per well and per top).

The lines are integrated in ξ (``du/dξ = E'(ξ) ∇U/|∇U|²``, RK4, vectorized over the lines of all regions)
and every recorded point is projected on its exact level (Newton along ∇U), so the vertices of a ring
share one energy to rounding; the level arcs of all rings of a region are sampled together.  Refinement
(``level`` + 1) doubles the rings and the seeds.

Measured convergence (λ₁, levels 1–4): film σ = 10, σ_p = 25 at α = 1 against the geodesic mesh's
converged value: −8.7e-4, −1.2e-4 (levels 1, 2); device film σ = 40, σ_p = 400, α = 0.01: level
differences 9.6e-3, 2.5e-3, 3.1e-4 (the turnover formula, independent, lies 1.3 % above).

References: the level-set/gradient-line (Clebsch-type) coordinates are those in which the
energy-diffusion limit is derived (Freidlin & Wentzell; Newhall & Vanden-Eijnden, arXiv:1210.6253).
"""
from __future__ import annotations

import math

import numpy as np

from ..energy import EnergyTerm
from ..errors import ParameterError
from ..sphere.polygon import polygon_mesh

__all__ = ["orbit_mesh", "OrbitStructure", "TOP_SPAN"]

#: tops more than this many kT above the saddle level end there (reflecting ring)
TOP_SPAN = 40.0
#: a gradient line ends (hanging vertex) on the ring where it comes closer to the previous kept line than
#: this fraction of the layer thickness: the generators of the merged cell then sit off the gradient line
#: through their face by at most ~ this fraction of the distance between them (near-orthogonal)
MERGE = 0.1
#: RK4 steps per half ring interval
_SUBSTEPS = 4
#: points moved onto their level sets together (the level arcs of all records of a region are sampled in
#: chunks of this many points): bounds the temporaries to a few MB each, whatever the level
_CHUNK = 32768


# Vector helpers.  The inner loops hold points components first, shape (3, ...) ("cf"): their arithmetic then
# runs along long contiguous rows; on points of shape (..., 3) (broadcasting over a last axis of length 3,
# np.sum, np.linalg.norm or np.cross over it) it costs several times more.
def _cf(u):
    """Components-first view of points ``u`` of shape (..., 3)."""
    return u.T if u.ndim <= 2 else np.moveaxis(u, -1, 0)


def _rows(U):
    """Points of shape (..., 3) from components-first ``U``, C-contiguous as the energies are given them
    elsewhere (their matrix-vector products round differently on a transposed view)."""
    u = np.empty(U.shape[1:] + (3,))
    u[..., 0], u[..., 1], u[..., 2] = U
    return u


def _dot_cf(a, b):
    """Dot products of components-first vectors (``b`` may be a single vector, shape (3,))."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _norm_cf(v):
    return np.sqrt(_dot_cf(v, v))


def _unit_cf(v):
    return v / _norm_cf(v)


def _cross_cf(a, b):
    return np.stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])


def _area_step_cf(c, u0, u1):
    """Signed area of the geodesic triangles (c, u0, u1), components first (:meth:`_Polar.area_step`); ``c``
    one centre, shape (3,), or one per triangle."""
    det = c[0] * (u0[1] * u1[2] - u0[2] * u1[1]) + c[1] * (u0[2] * u1[0] - u0[0] * u1[2]) \
        + c[2] * (u0[0] * u1[1] - u0[1] * u1[0])
    return 2.0 * np.arctan2(det, 1.0 + _dot_cf(u0, c) + _dot_cf(u1, c) + _dot_cf(u0, u1))


def _grad_cf(energy, U, u=None):
    """Surface gradient ∇_Σ U at the points ``U`` (components first, and so is the result; ``u``: the same
    points as rows, if at hand): the energy's own, or for the generic :meth:`EnergyTerm.gradient` its
    Cartesian gradient projected on the tangent plane here (the same numbers)."""
    u = _rows(U) if u is None else u
    if type(energy).gradient is not EnergyTerm.gradient:
        return _cf(energy.gradient(u))
    G = _cf(energy.cartesian_gradient(u))
    return G - _dot_cf(U, G) * U


def _project_cf(energy, U, E, iters=3):
    """Move points ``U`` (components first) onto the levels ``E`` (Newton along ∇U), on the sphere."""
    for _ in range(iters):
        u = _rows(U)
        g = _grad_cf(energy, U, u)
        g2 = _dot_cf(g, g)
        dE = E - energy.value(u)
        U = _unit_cf(U + np.where(g2 > 0, dE / np.where(g2 > 0, g2, 1.0), 0.0) * g)
    return U


def _project(energy, u, E, iters=3):
    """Move points ``u`` (shape (..., 3)) onto the levels ``E`` (Newton along ∇U), on the sphere."""
    return _rows(_project_cf(energy, _cf(u), E, iters))


def _unit(v):
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


class _Map:
    """The ring energies of one region: ``E(ξ)`` and ``dE/dξ`` for ξ ∈ [0, 1] (0: the separatrix).

    ``E = E_s + ΔE (ξ(2 − ξ))^4``: quartic at the separatrix, where the orbit period diverges
    logarithmically (as the node grading of :mod:`.energy_diffusion`), quadratic at the extremum (the
    ring radius is uniform there).  A truncated top uses ``E = E_s + ΔE ξ^4``.  The parameters may be
    arrays (one map per traced point, several regions traced together)."""

    def __init__(self, e_s, e_end, truncated):
        self.e_s, self.e_end = np.asarray(e_s, float), np.asarray(e_end, float)
        self.truncated = np.asarray(truncated, bool)
        self.span = self.e_end - self.e_s

    def take(self, idx) -> "_Map":
        """The maps of the points ``idx`` (the same map where the parameters are scalars)."""
        def pick(a):
            return a[idx] if a.ndim else a
        return _Map(pick(self.e_s), pick(self.e_end), pick(self.truncated))

    def E(self, xi):
        xi = np.asarray(xi, float)
        return self.e_s + self.span * np.where(self.truncated, xi ** POWER, (xi * (2 - xi)) ** POWER)

    def dE(self, xi):
        xi = np.asarray(xi, float)
        return (self.span * POWER * np.where(self.truncated, xi ** (POWER - 1), (xi * (2 - xi)) ** (POWER - 1))
                * np.where(self.truncated, 1.0, 2 - 2 * xi))


POWER = 4


class _Polar:
    """Polar coordinates (θ, φ) about a critical point ``c`` (θ: distance from c, φ: azimuth)."""

    def __init__(self, c):
        c = np.asarray(c, float)
        e = np.eye(3)[int(np.argmin(np.abs(c)))]
        self.c = c
        self.e1 = _unit(e - np.dot(e, c) * c)
        self.e2 = np.cross(c, self.e1)

    def angles(self, u):
        U = _cf(u)
        x, y, z = _dot_cf(U, self.e1), _dot_cf(U, self.e2), _dot_cf(U, self.c)
        return np.arctan2(np.hypot(x, y), z), np.arctan2(y, x)

    def area_step(self, u0, u1):
        """Signed area of the geodesic triangle (c, u0, u1) (Van Oosterom & Strackee 1983): the area swept
        about c by the short arc u0 → u1, exact for geodesic pieces, in (−2π, 2π).  Summed around a
        closed curve it gives the enclosed area modulo 4π, also for curves passing near the antipode of
        c, where the midpoint rule for ∫(1 − cos θ)dφ fails (φ jumps by up to π along one piece)."""
        return _area_step_cf(self.c, _cf(u0), _cf(u1))


#: a region whose boundary comes within this angle (rad) of the antipode of its extremum is a band (a top
#: wrapping around the sphere: a uniaxial magnet in an oblique field, saddle nearly antipodal to the
#: maximum).  The azimuth about the extremum is then not monotone along its level sets (measured: arcs
#: of the σ = 40, h = 0.1, ψ = 30° top turn back by 0.05 rad), so rays from the extremum cannot sample
#: them; its level arcs follow the traced gradient lines instead (:func:`_level_pieces`)
ANTIPODE_MARGIN = 0.5


def _is_band(crit, boundary) -> bool:
    """Whether a region's boundary comes within :data:`ANTIPODE_MARGIN` of the antipode of its extremum."""
    return bool(float(np.min(boundary @ crit)) < -math.cos(ANTIPODE_MARGIN))


def _mod_sphere(area):
    """Swept areas summed around closed cells are exact modulo 4π (a cell boundary may wind about the
    antipode of the area frame's centre): reduced to (−2π, 2π], so that a wrongly oriented cell stays
    negative and is refused by the polygon mesh."""
    return (np.asarray(area) + 2 * np.pi) % (4 * np.pi) - 2 * np.pi


def _trace(energy, u0, emap: _Map, xi_rec: np.ndarray, centre=None, first=0, last=None):
    """Points of the gradient lines through ``u0`` at every ``xi_rec[j]``: shape (len(xi_rec), n, 3).

    Parameters
    ----------
    energy : EnergyTerm
    u0 : ndarray, shape (n, 3)
        Starting points, on the levels ``emap.E(xi_rec[first])``.
    emap : _Map
        The ring energies, one map for all points or one per point (several regions traced together).
    xi_rec : ndarray
        The recorded ξ.
    centre : ndarray, shape (3,) or (n, 3), optional
        The extremum of each point's region: also return the area swept about it (signed geodesic
        triangles, :meth:`_Polar.area_step`) and the length of every piece between consecutive
        ``xi_rec``, shape (len(xi_rec) − 1, n) each, summed over the RK4 substeps.
    first, last : int or int array, shape (n,)
        Each line is traced from record ``first`` (where it starts) to record ``last`` (default: the
        last one); records outside are NaN (points) or 0 (swept area, length).
    """
    u0 = np.array(u0, float)
    n, R = len(u0), len(xi_rec)
    first = np.broadcast_to(np.asarray(first, np.int64), (n,))
    last = np.broadcast_to(np.asarray(R - 1 if last is None else last, np.int64), (n,))
    out = np.full((R, n, 3), np.nan)
    out[first, np.arange(n)] = u0
    swept = np.zeros((R - 1, n))
    length = np.zeros_like(swept)
    U = np.ascontiguousarray(u0.T)  # components first
    C = None if centre is None else np.asarray(centre, float).T

    def f(lines_map, xi, w):
        """du/dξ = E'(ξ) ∇U/|∇U|² at the points ``w`` (components first)."""
        g = _grad_cf(energy, w)
        return lines_map.dE(xi) * g / _dot_cf(g, g)

    # the set of lines traced changes only where some line starts or ends: trace in those stretches
    cuts = np.unique(np.r_[first, last])
    for j0, j1 in zip(cuts[:-1], cuts[1:]):
        act = np.flatnonzero((first <= j0) & (last >= j1))
        if act.size == 0:
            continue
        whole = act.size == n
        sub = emap if whole else emap.take(act)
        c = C if C is None or whole or C.ndim == 1 else C[:, act]
        v = U if whole else U[:, act]
        for j in range(j0, j1):
            a, b = xi_rec[j], xi_rec[j + 1]
            h = (b - a) / _SUBSTEPS
            x = a
            sw, ln = 0.0, 0.0
            for q in range(_SUBSTEPS):
                k1 = f(sub, x, v)
                k2 = f(sub, x + h / 2, _unit_cf(v + h / 2 * k1))
                k3 = f(sub, x + h / 2, _unit_cf(v + h / 2 * k2))
                k4 = f(sub, x + h, _unit_cf(v + h * k3))
                new = _unit_cf(v + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4))
                x += h
                if q == _SUBSTEPS - 1:
                    new = _project_cf(energy, new, sub.E(b))
                if c is not None:
                    sw = sw + _area_step_cf(c, v, new)
                    ln = ln + _norm_cf(new - v)
                v = new
            out[j + 1, act] = v.T
            if c is not None:
                swept[j, act] = sw
                length[j, act] = ln
        if whole:
            U = v
        else:
            U = U.copy()
            U[:, act] = v
    if centre is None:
        return out
    return out, swept, length


def _arc_points_rays(energy, polar: _Polar, E, ua, ub, n_sub):
    """Points of {U = E} between ``ua`` and ``ub`` (shape (n, 3)) on rays from the polar centre (a critical
    point about which the level set is star-shaped), uniform in the azimuth; components first, shape (3,
    n_sub + 1, n), the ends ``ua`` and ``ub`` themselves.  Newton in the polar angle on each ray, each
    point until its step falls below 1e-12 rad (at most 60 steps)."""
    tha, pha = polar.angles(ua)
    thb, phb = polar.angles(ub)
    s = np.linspace(0.0, 1.0, n_sub + 1)[1:-1, None]
    ph = (pha[None] + np.mod(phb - pha, 2 * np.pi)[None] * s).ravel()  # counter-clockwise: φ increases
    th = (tha[None] + (thb - tha)[None] * s).ravel()
    Ec = np.broadcast_to(E, (n_sub - 1,) + ua.shape[:-1]).ravel()
    c = polar.c[:, None]
    ray = polar.e1[:, None] * np.cos(ph) + polar.e2[:, None] * np.sin(ph)  # components first
    todo = np.arange(th.size)  # the points still moving, and their θ, ray and level
    t, r, e = th, ray, Ec
    for _ in range(60):
        ct, st = np.cos(t), np.sin(t)
        u = _rows(c * ct + st * r)
        dth = _dot_cf(_cf(energy.cartesian_gradient(u)), -st * c + ct * r)
        step = np.clip((energy.value(u) - e) / np.where(np.abs(dth) > 1e-300, dth, 1e-300), -0.05, 0.05)
        t = np.clip(t - step, 1e-12, np.pi - 1e-12)
        moving = np.abs(step) >= 1e-12
        if not moving.all():
            th[todo] = t
            todo, t, r, e = todo[moving], t[moving], r[:, moving], e[moving]
            if todo.size == 0:
                break
    th[todo] = t
    X = np.empty((3, n_sub + 1) + ua.shape[:-1])
    X[:, 0], X[:, -1] = ua.T, ub.T
    X[:, 1:-1] = (c * np.cos(th) + np.sin(th) * ray).reshape((3, n_sub - 1) + ua.shape[:-1])
    return X


def _arc_points_chord(energy, E, ua, ub, n_sub):
    """Points of {U = E} between ``ua`` and ``ub`` (shape (n, 3)): the short great-circle arc between them,
    uniform in its length, moved onto the level along ∇U; components first, shape (3, n_sub + 1, n), the
    ends ``ua`` and ``ub`` themselves.  For arcs short against their curvature radius (near a saddle,
    where the lines are graded)."""
    s = np.linspace(0.0, 1.0, n_sub + 1)[1:-1, None]
    X = np.empty((3, n_sub + 1) + ua.shape[:-1])
    X[:, 0], X[:, -1] = ua.T, ub.T
    inner = _unit_cf((1 - s) * ua.T[:, None] + s * ub.T[:, None])
    X[:, 1:-1] = _project_cf(energy, inner, np.broadcast_to(E, inner.shape[1:]), iters=4)
    return X


def _polyline_geometry(polar: _Polar, X):
    """Swept area about the polar centre and length of the polylines ``X`` (components first, shape (3, p,
    n): p points each), shape (n,) each."""
    return (np.sum(_area_step_cf(polar.c, X[:, :-1], X[:, 1:]), axis=0),
            np.sum(_norm_cf(np.diff(X, axis=1)), axis=0))


def _level_pieces(energy, polar: _Polar, E, rings, n_sub: int = 8):
    """Swept area about the extremum and length of the level-set pieces between consecutive traced items
    of records (``rings``: shape (r, m, 3), record i all on {U = E[i]}, its items in their cyclic order
    around the region), each resolved by ``n_sub`` + 1 points of its chord moved onto the level
    (:func:`_arc_points_chord`).  Consecutive gradient lines keep their order on every level set, so the
    pieces follow the level set whatever its shape about the extremum; returns (area, length), shape
    (r, m) each, piece q from item q to item q + 1 (cyclic).  Sampled a few records at a time (about
    :data:`_CHUNK` points)."""
    r, m = rings.shape[:2]
    E = np.broadcast_to(np.asarray(E, float), (r,))
    area, length = np.empty((r, m)), np.empty((r, m))
    step = max(1, _CHUNK // (max(n_sub - 1, 1) * m))
    for i in range(0, r, step):
        ua = rings[i:i + step]
        ub = np.roll(ua, -1, axis=1)
        x = _arc_points_chord(energy, np.repeat(E[i:i + step], m), ua.reshape(-1, 3), ub.reshape(-1, 3), n_sub)
        a, ln = _polyline_geometry(polar, x)
        area[i:i + step], length[i:i + step] = a.reshape(-1, m), ln.reshape(-1, m)
    return area, length


def _sum_pieces(values, a, b):
    """Sums of the cyclic pieces from item ``a`` up to item ``b`` (exclusive; all of them when a == b)."""
    m = len(values)
    cs = np.r_[0.0, np.cumsum(values)]
    span = (b - a) % m
    span = np.where(span == 0, m, span)
    end = a + span
    return np.where(end <= m, cs[np.minimum(end, m)] - cs[a], cs[-1] - cs[a] + cs[end % m])


def _level_arcs(energy, polar: _Polar, E, ua, ub, n_sub: int = 16):
    """Geometry of the level-set arcs {U = E} from ``ua`` to ``ub`` (both on the level, counter-clockwise
    about the region's extremum, the centre of ``polar``): the swept area ∫(1 − cos θ)dφ about it and the
    arc length, from ``n_sub`` + 1 exact points of the arc on rays from the extremum (the polyline's
    error is O(n_sub⁻²) of the bulge of each arc).  Any number of arcs (on one level or each on its own),
    sampled in chunks of :data:`_CHUNK` points."""
    E = np.broadcast_to(np.asarray(E, float), ua.shape[:-1])
    area, length = np.empty(len(ua)), np.empty(len(ua))
    step = max(1, _CHUNK // max(n_sub - 1, 1))
    for i in range(0, len(ua), step):
        sl = slice(i, i + step)
        x = _arc_points_rays(energy, polar, E[sl], ua[sl], ub[sl], n_sub)
        area[sl], length[sl] = _polyline_geometry(polar, x)
    return area, length


class OrbitStructure:
    """Critical points and separatrix arcs of a two-well landscape (all saddles on one level).

    Attributes
    ----------
    e_s : float
        Saddle level (kT).
    minima, maxima : list of (point, energy)
    saddles : list of dict
        ``point``, ``up`` and ``down`` (the tangent eigenvectors of the Hessian with positive and
        negative eigenvalue), ``lam_up`` > 0 > ``lam_down``.
    arcs : list of dict
        ``points`` (polyline on {U = E_s}, from saddle ``start`` to saddle ``end`` along u × ∇U),
        ``length``, ``well`` and ``top`` (indices of the regions below and above it).
    """

    def __init__(self, energy: EnergyTerm):
        from .energy_diffusion import _riemann_hessian, orbit_graph, saddles

        self.energy = energy
        graph = orbit_graph(energy)
        self.e_s = float(graph.e_saddle)
        self.minima = [(np.asarray(w.center, float), float(w.e_center)) for w in graph.wells]
        self.maxima = [(np.asarray(t.center, float), float(t.e_center)) for t in graph.tops]
        if not self.maxima:
            raise ParameterError("energy", "no maximum above the saddle level",
                                 "a landscape with two wells and a maximum")
        sad = saddles(energy, self.e_s)
        if not sad:
            raise ParameterError("energy", "no saddle found", "a landscape with a saddle between its wells")
        self.saddles = []
        for s in sad:
            H, B = _riemann_hessian(energy, s)
            lam, vec = np.linalg.eigh(H)
            self.saddles.append({"point": np.asarray(s, float), "lam_down": float(lam[0]), "lam_up": float(lam[1]),
                                 "down": B @ vec[:, 0], "up": B @ vec[:, 1]})
        self.arcs = self._trace_arcs()
        self._classify()

    # -- the separatrix -------------------------------------------------------------------------
    def _trace_arcs(self, ds: float = 2e-3, eps: float = 1e-5):
        E, es = self.energy, self.e_s
        P = np.array([s["point"] for s in self.saddles])
        starts, owners = [], []
        for k, s in enumerate(self.saddles):
            t = math.atan(math.sqrt(s["lam_up"] / -s["lam_down"]))
            for su, sd in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                v = su * math.cos(t) * s["up"] + sd * math.sin(t) * s["down"]
                u = _unit(s["point"] + eps * v)
                w = np.cross(u, _grad_cf(E, u[:, None])[:, 0])
                if np.dot(w, v) > 0:  # u × ∇U leads away from the saddle along this asymptote
                    starts.append(u)
                    owners.append(k)
        u = _project(E, np.array(starts), np.full(len(starts), es))

        def f(V):
            return _unit_cf(_cross_cf(V, _grad_cf(E, V)))

        U = np.ascontiguousarray(_cf(u))  # components first
        levels = np.full(len(u), es)
        history = [U]  # the points of all paths after each step (a finished path stays put)
        active = np.ones(len(u), bool)
        ends = np.full(len(u), -1)
        n_points = np.zeros(len(u), np.int64)  # points of each finished path, its start included
        owners = np.array(owners)
        travelled = np.zeros(len(u))
        for _ in range(int(4 * np.pi / ds)):
            if not active.any():
                break
            k1 = f(U)
            k2 = f(_unit_cf(U + ds / 2 * k1))
            k3 = f(_unit_cf(U + ds / 2 * k2))
            k4 = f(_unit_cf(U + ds * k3))
            new = _project_cf(E, _unit_cf(U + ds / 6 * (k1 + 2 * k2 + 2 * k3 + k4)), levels)
            U = np.where(active, new, U)
            travelled += np.where(active, ds, 0.0)
            history.append(U)
            i = np.flatnonzero(active)
            d = np.linalg.norm(P[None] - U.T[i, None], axis=-1)
            k = np.argmin(d, axis=1)
            done = (d[np.arange(len(i)), k] < 2 * ds) & ((k != owners[i]) | (travelled[i] > 20 * ds))
            ends[i[done]] = k[done]
            n_points[i[done]] = len(history)
            active[i[done]] = False
        if active.any():
            raise ParameterError("energy", "a separatrix arc that does not end at a saddle",
                                 "a landscape whose saddle level is a graph of arcs between saddles")
        history = np.array(history)  # (steps, 3, paths)
        arcs = []
        for i in range(len(u)):
            pts = np.concatenate([self.saddles[owners[i]]["point"][None], history[:n_points[i] - 1, :, i],
                                  self.saddles[ends[i]]["point"][None]])
            seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
            arcs.append({"points": pts, "cum": np.r_[0.0, np.cumsum(seg)], "length": float(seg.sum()),
                         "start": int(owners[i]), "end": int(ends[i])})
        return arcs

    def _side(self, p: np.ndarray, sign: float) -> int:
        """Index of the minimum (sign −1) or maximum (+1) reached from the separatrix point(s) ``p``."""
        if sign < 0:
            targets = self.minima
            e_far = max(e for _, e in targets)
            span = e_far - self.e_s
        else:
            targets = self.maxima
            e_far = min(e for _, e in targets)
            span = min(e_far - self.e_s, TOP_SPAN)
        emap = _Map(self.e_s, self.e_s + 0.999 * span, False)
        xi = np.linspace(0, 1, 33)
        path = _trace(self.energy, p, emap, xi)
        end = path[-1]
        C = np.array([c for c, _ in targets])
        return list(np.argmax(end @ C.T, axis=1))

    def _classify(self):
        mids = []
        for a in self.arcs:
            k = int(np.searchsorted(a["cum"], 0.5 * a["length"]))
            mids.append(a["points"][min(k, len(a["points"]) - 1)])
        mids = _project(self.energy, np.array(mids), np.full(len(mids), self.e_s))
        wells, tops = self._side(mids, -1.0), self._side(mids, 1.0)
        for a, w, t in zip(self.arcs, wells, tops):
            a["well"], a["top"] = int(w), int(t)

    def arc_point(self, arc: dict, t: np.ndarray) -> np.ndarray:
        """Points at fractions ``t`` of the arc length (projected on the saddle level)."""
        s = np.asarray(t, float) * arc["length"]
        k = np.clip(np.searchsorted(arc["cum"], s) - 1, 0, len(arc["cum"]) - 2)
        w = (s - arc["cum"][k]) / np.maximum(arc["cum"][k + 1] - arc["cum"][k], 1e-300)
        p = (1 - w)[:, None] * arc["points"][k] + w[:, None] * arc["points"][k + 1]
        return _project(self.energy, _unit(p), np.full(len(s), self.e_s))


def _cycle(struct: OrbitStructure, region: str, idx: int) -> list:
    """Boundary of a region, counter-clockwise: [(arc, forward), ...] with the saddle after each."""
    key = "well" if region == "well" else "top"
    arcs = [k for k, a in enumerate(struct.arcs) if a[key] == idx]
    if not arcs:
        raise ParameterError("energy", f"a {region} region without a separatrix arc", "a two-well landscape")
    forward = region == "well"  # u × ∇U has the well on its left: wells are walked along it, tops against it
    out, seen = [], set()
    k = arcs[0]
    while k not in seen:
        seen.add(k)
        out.append(k)
        a = struct.arcs[k]
        s = a["end"] if forward else a["start"]
        nxt = [j for j in arcs if (struct.arcs[j]["start"] if forward else struct.arcs[j]["end"]) == s and j not in seen]
        if not nxt:
            break
        k = nxt[0]
    if len(out) != len(arcs):
        raise ParameterError("energy", f"a {region} region bounded by several separatrix loops",
                             "a landscape whose wells and tops are discs")
    return out


def _junction_line(struct, arc_in: dict, arc_out: dict, s: int, region: str, idx: int, forward: bool):
    """The special gradient line of saddle ``s`` inside this region between two consecutive arcs."""
    sad = struct.saddles[s]
    p = sad["point"]
    # direction of arrival of arc_in at s, and of departure of arc_out from s
    pin = arc_in["points"][-3] if forward else arc_in["points"][2]
    pout = arc_out["points"][2] if forward else arc_out["points"][-3]
    bis = _unit((pin - p) / np.linalg.norm(pin - p) + (pout - p) / np.linalg.norm(pout - p))
    vec = sad["down"] if region == "well" else sad["up"]
    sign = 1.0 if np.dot(bis, vec) >= 0 else -1.0
    return sign * vec


def _keep_lines(P, prev, is_special, thick, thr):
    """Lines of ``prev`` kept on this ring (greedy, cyclic from a special line): a line is dropped when
    it lies closer than ``thr·thick`` to the previous kept one; special lines are always kept (the lines
    dropped just before them go instead)."""
    pts = P[prev]
    d_next = np.linalg.norm(pts - np.roll(pts, -1, axis=0), axis=1)
    if np.all(d_next >= thr * thick[prev]):
        return prev
    start = int(np.flatnonzero(is_special[prev])[0]) if is_special[prev].any() else 0
    order = np.roll(prev, -start)
    xyz = P[order].tolist()
    lim = (thr * thick[order]).tolist()
    spec = is_special[order].tolist()
    keep = [0]
    for q in range(1, len(order)):
        if spec[q]:
            while len(keep) > 1 and not spec[keep[-1]] and math.dist(xyz[q], xyz[keep[-1]]) < lim[q]:
                keep.pop()
            keep.append(q)
        elif math.dist(xyz[q], xyz[keep[-1]]) >= lim[q]:
            keep.append(q)
    while len(keep) > 2 and not spec[keep[-1]] and math.dist(xyz[keep[-1]], xyz[keep[0]]) < lim[keep[-1]]:
        keep.pop()
    return np.sort(order[keep])


def _region_items(energy, st: OrbitStructure, region: str, idx: int, seed_pts: list, n: int, na: int,
                  top_span: float) -> dict:
    """One region (well or top ``idx``): its ring map, its cyclic sequence of items and where their
    gradient lines start.

    The items alternate half line, line, … counter-clockwise about the extremum: the seeds on its
    separatrix arcs (``seed_pts``, at ξ = 0) and, after each arc, the special line of the saddle ending
    it (started on the first half ring, at ξ = 1/2n, from the saddle's quadratic approximation).  Returns
    a dict: ``region``, ``crit`` (the extremum), ``e_s``, ``e_end``, ``truncated``, ``emap``,
    ``n_rings``, ``xi_rec`` (the recorded ξ: integer and half rings), ``seq`` (the items: (kind, key,
    seed point or (saddle, direction))), ``m``, ``polar``, ``band``, ``seeds`` and ``specials`` (their
    positions), ``u0`` (shape (m, 3): where each line starts), ``first`` (its first record) and ``last``
    (the last record)."""
    es = st.e_s
    crit, e_c = (st.minima if region == "well" else st.maxima)[idx]
    forward = region == "well"
    truncated = region == "top" and e_c - es > top_span
    e_end = es + top_span if truncated else e_c
    emap = _Map(es, e_end, truncated)
    n_rings = n + 1 if truncated else n  # rings k = 0 … n_rings − 1
    xi_rec = np.arange(2 * n_rings - 1) / (2 * n)  # integer and half rings up to the last ring
    cyc = _cycle(st, region, idx)
    seq = []
    for pos, k in enumerate(cyc):
        arc = st.arcs[k]
        js = range(1, 2 * na) if forward else range(2 * na - 1, 0, -1)
        seq += [("seed", (k, j), seed_pts[k][j - 1]) for j in js]
        nxt = st.arcs[cyc[(pos + 1) % len(cyc)]]
        s_ = arc["end"] if forward else arc["start"]
        vec = _junction_line(st, arc, nxt, s_, region, idx, forward)
        seq.append(("special", (s_,), (st.saddles[s_], vec)))
    m = len(seq)
    band = _is_band(crit, np.array([it[2] if it[0] == "seed" else it[2][0]["point"] for it in seq]))
    seeds = [i for i, it in enumerate(seq) if it[0] == "seed"]
    specials = [i for i, it in enumerate(seq) if it[0] == "special"]
    e1 = float(emap.E(xi_rec[1]))
    start = []
    for i in specials:
        sad, vec = seq[i][2]
        lam = sad["lam_down"] if region == "well" else sad["lam_up"]
        r = math.sqrt(2 * abs(e1 - es) / abs(lam))
        start.append(_unit(sad["point"] * math.cos(r) + vec * math.sin(r)))
    u0 = np.empty((m, 3))
    u0[seeds] = [seq[i][2] for i in seeds]
    u0[specials] = _project(energy, np.array(start), np.full(len(specials), e1))
    first = np.zeros(m, np.int64)
    first[specials] = 1
    return {"region": region, "crit": crit, "e_s": es, "e_end": e_end, "truncated": truncated, "emap": emap,
            "n_rings": n_rings, "xi_rec": xi_rec, "seq": seq, "m": m, "polar": _Polar(crit), "band": band,
            "seeds": seeds, "specials": specials, "u0": u0, "first": first, "last": len(xi_rec) - 1}


def _record_arcs(energy, polar: _Polar, emap: _Map, xi_rec, P, requests, band: bool) -> list:
    """Swept area and length of the level arcs of one region: for each request (j, A), the arcs of
    record j (on {U = E(ξ_j)}) from its items A to the next ones (``np.roll(A, -1)``), from the traced
    points ``P`` (shape (records, m, 3)).  All requests are sampled together (:func:`_level_arcs`), or
    in a band from the pieces between all items of every record (:func:`_level_pieces`).  Returns
    [(area, length), …] in the order of ``requests``."""
    # the levels ξ by ξ, as for a single ring (numpy's power of a number and of an array differ in the last bit)
    levels = np.array([emap.E(x) for x in xi_rec])
    if band:
        areas, lengths = _level_pieces(energy, polar, levels, P)
        return [(_sum_pieces(areas[j], A, np.roll(A, -1)), _sum_pieces(lengths[j], A, np.roll(A, -1)))
                for j, A in requests]
    rec = np.concatenate([np.full(len(A), j) for j, A in requests])
    A = np.concatenate([A for _, A in requests])
    B = np.concatenate([np.roll(A, -1) for _, A in requests])
    area, length = _level_arcs(energy, polar, levels[rec], P[rec, A], P[rec, B])
    cut = np.cumsum([len(A) for _, A in requests])[:-1]
    return list(zip(np.split(area, cut), np.split(length, cut)))


def orbit_mesh(energy: EnergyTerm, level: int = 0, *, n0: int = 16, arc0: int = 16, top_span: float = TOP_SPAN,
               structure: OrbitStructure | None = None, grade: float = 0.8):
    r"""The orbit-aligned finite-volume mesh of ``energy`` (module docstring).

    Parameters
    ----------
    energy : EnergyTerm
        Reduced energy U (kT) with two wells and all saddles on one level.
    level : int
        Refinement level ≥ 0: ``n0·2^level`` rings per region and ``arc0·2^level`` intervals per
        separatrix arc (the mesh size halves per level).
    n0, arc0 : int
        Rings and arc intervals at level 0.
    top_span : float
        Tops higher than this many kT above the saddle level end there (reflecting ring).
    structure : OrbitStructure, optional
        Reuse the critical points and arcs of a previous call (same energy).
    grade : float in [0, 1)
        Seeds on the arcs at ``τ(t) = t − grade·sin(2πt)/2π`` of the arc length: spacing ``1 − grade``
        times the mean at the saddles (where the escape flux crosses at high damping), ``1 + grade``
        at the middle of the arc.

    Returns
    -------
    PolygonMesh
        With ``mesh.orbit`` = the :class:`OrbitStructure` and ``mesh.e_s`` the saddle level.
    """
    if isinstance(level, bool) or int(level) != level or level < 0:
        raise ParameterError("level", level, "an integer >= 0")
    if not 0 <= grade < 1:
        raise ParameterError("grade", grade, "in [0, 1)")
    st = structure if structure is not None else OrbitStructure(energy)
    n = int(n0) * 2 ** int(level)
    na = int(arc0) * 2 ** int(level)
    es = st.e_s
    verts: list = []
    n_verts = [0]
    shared: dict = {}
    sides = {"a": [], "b": [], "len": [], "dist": []}
    centers, polys, areas = [], [], []

    def new_vertices(points):
        ids = np.arange(n_verts[0], n_verts[0] + len(points))
        verts.append(np.asarray(points, float).reshape(-1, 3))
        n_verts[0] += len(points)
        return ids

    def add_sides(va, vb, length, dist):
        va, vb = np.atleast_1d(va), np.atleast_1d(vb)
        sides["a"].append(np.minimum(va, vb))
        sides["b"].append(np.maximum(va, vb))
        sides["len"].append(np.broadcast_to(np.asarray(length, float), va.shape))
        sides["dist"].append(np.broadcast_to(np.asarray(dist, float), va.shape))

    # seeds: t = j / (2 na), even j lines, odd j half lines (j = 1 … 2na − 1)
    t_all = np.arange(1, 2 * na) / (2 * na)
    t_all = t_all - grade * np.sin(2 * np.pi * t_all) / (2 * np.pi)
    seed_pts = [st.arc_point(a, t_all) for a in st.arcs]
    regions = [("well", i) for i in range(len(st.minima))] + [("top", i) for i in range(len(st.maxima))]
    regs = [_region_items(energy, st, region, idx, seed_pts, n, na, top_span) for region, idx in regions]
    # the lines of all regions traced together, each from its first record to its region's last ring (the
    # records of every region are the first ones of xi_all)

    def per_line(key):
        """A parameter of each region, repeated for each of its items."""
        return np.concatenate([np.broadcast_to(r[key], (r["m"],) + np.shape(r[key])) for r in regs])

    xi_all = np.arange(max(len(r["xi_rec"]) for r in regs)) / (2 * n)
    P_all, SW_all, LN_all = _trace(energy, np.concatenate([r["u0"] for r in regs]),
                                   _Map(per_line("e_s"), per_line("e_end"), per_line("truncated")), xi_all,
                                   centre=per_line("crit"), first=np.concatenate([r["first"] for r in regs]),
                                   last=per_line("last"))
    offset = 0
    for r in regs:
        crit, emap, xi_rec, seq, m = r["crit"], r["emap"], r["xi_rec"], r["seq"], r["m"]
        truncated, n_rings, polar, band = r["truncated"], r["n_rings"], r["polar"], r["band"]
        specials = r["specials"]
        lines_of_region = slice(offset, offset + m)
        offset += m
        P = P_all[:len(xi_rec), lines_of_region]
        SW = SW_all[:len(xi_rec) - 1, lines_of_region]
        LN = LN_all[:len(xi_rec) - 1, lines_of_region]
        start = r["u0"][specials]
        sad_pts = np.array([seq[i][2][0]["point"] for i in specials])
        P[0, specials] = sad_pts
        SW[0, specials] = polar.area_step(sad_pts, start)
        LN[0, specials] = np.linalg.norm(start - sad_pts, axis=1)

        lines = np.arange(1, m, 2)  # positions of lines (half lines at even positions)
        if any(seq[i][0] == "seed" and seq[i][1][1] % 2 == 1 for i in lines):
            raise AssertionError("line/half-line alternation broken")
        is_special = np.zeros(m, bool)
        is_special[specials] = True
        # lines kept on each ring: gradient lines bunch towards an anisotropic extremum (x ∝ y^{λ₂/λ₁});
        # a line ends where it comes closer to the last kept one than MERGE × the layer thickness
        kept = [lines]
        for k in range(1, n_rings):
            kept.append(_keep_lines(P[2 * k], kept[-1], is_special, LN[2 * k - 2] + LN[2 * k - 1], MERGE))
        # vertex ids per ring (ring 0, the separatrix, is shared with the neighbouring regions)
        VID = []
        ring0 = np.empty(m, np.int64)
        for i in lines:
            kind, key, _ = seq[i]
            skey = ("arc",) + key if kind == "seed" else ("saddle", key[0])
            if skey not in shared:
                shared[skey] = int(new_vertices(P[0, i][None])[0])
            ring0[i] = shared[skey]
        VID.append(ring0)
        for k in range(1, n_rings):
            ids = np.full(m, -1, np.int64)
            ids[kept[k]] = new_vertices(P[2 * k, kept[k]])
            VID.append(ids)

        def mids_of(a, c, j):
            """Per cell (lines a → c), the traced item at record j lying midway between a and c (the
            half line between them unless lines merged: by index it may then sit next to a line)."""
            span = (c - a) % m
            mid = (a + span // 2) % m
            for q in np.flatnonzero(span > 2):
                cand = (a[q] + np.arange(1, span[q])) % m
                d = (np.linalg.norm(P[j, cand] - P[j, a[q]], axis=1) - np.linalg.norm(P[j, cand] - P[j, c[q]], axis=1))
                mid[q] = cand[np.argmin(np.abs(d))]
            return mid

        # the level arcs (exact swept area and length) of every record, sampled together: on ring k between
        # consecutive kept lines, on half ring k between the generators of consecutive cells of layer k
        mids = [mids_of(kept[k + 1], np.roll(kept[k + 1], -1), 2 * k + 1) for k in range(n_rings - 1)]
        requests = [(2 * k, kept[k]) for k in range(n_rings)] + [(2 * k + 1, mids[k]) for k in range(n_rings - 1)]
        arc_geo = _record_arcs(energy, polar, emap, xi_rec, P, requests, band)
        ring_area = [arc_geo[k][0] for k in range(n_rings)]
        ring_len = [arc_geo[k][1] for k in range(n_rings)]

        for k in range(n_rings - 1):
            la = SW[2 * k] + SW[2 * k + 1]   # along each line from ring k to ring k + 1 (inwards)
            ll = LN[2 * k] + LN[2 * k + 1]
            outer, inner = kept[k], kept[k + 1]
            a, c = inner, np.roll(inner, -1)
            mid = mids[k]
            gen_len = arc_geo[n_rings + k][1]
            # outer arcs of ring k: the layer-k cell owning each (inner ⊆ outer, both sorted)
            owner = (np.searchsorted(inner, outer, side="right") - 1) % len(inner)
            ia = np.searchsorted(outer, a)
            ic = np.searchsorted(outer, c)
            wrap = ic <= ia
            cs = np.r_[0.0, np.cumsum(ring_area[k])]
            outer_area = np.where(wrap, cs[-1] - cs[ia] + cs[ic], cs[ic] - cs[ia])
            areas.append(_mod_sphere(outer_area - ring_area[k + 1] + la[c] - la[a]))
            centers.append(P[2 * k + 1, mid])
            vo = VID[k][outer]
            N = len(outer)
            seg_len = (ic - ia) % N if len(inner) > 1 else np.array([N])
            tot = seg_len + 3
            start = np.r_[0, np.cumsum(tot)[:-1]]
            flat = np.empty(int(tot.sum()), np.int64)
            local = np.arange(int(seg_len.sum())) - np.repeat(np.cumsum(seg_len) - seg_len, seg_len)
            flat[np.repeat(start, seg_len) + local] = vo[(np.repeat(ia, seg_len) + local) % N]
            flat[start + seg_len] = VID[k][c]
            flat[start + seg_len + 1] = VID[k + 1][c]
            flat[start + seg_len + 2] = VID[k + 1][a]
            polys.append((tot, flat))
            add_sides(vo, np.roll(vo, -1), ring_len[k], LN[2 * k, mid[owner]])
            add_sides(VID[k + 1][a], VID[k + 1][c], ring_len[k + 1], LN[2 * k + 1, mid])
            add_sides(VID[k][c], VID[k + 1][c], ll[c], 0.5 * gen_len)
            add_sides(VID[k][a], VID[k + 1][a], ll[a], 0.5 * np.roll(gen_len, 1))
        if not truncated:
            k = n_rings - 1
            K = kept[k]
            polys.append((np.array([len(K)]), VID[k][K]))
            centers.append(crit[None])
            areas.append(_mod_sphere(np.array([np.sum(ring_area[k])])))
            mid = mids_of(K, np.roll(K, -1), 2 * k)
            th_last = np.arccos(np.clip(P[2 * k, mid] @ crit, -1, 1))  # remaining distance to the extremum
            add_sides(VID[k][K], VID[k][np.roll(K, -1)], ring_len[k], th_last)
    side_geo = {key: np.concatenate(v) for key, v in sides.items()}
    counts = np.concatenate([p[0] for p in polys])
    flat = np.concatenate([p[1] for p in polys])
    mesh = polygon_mesh(np.concatenate(verts), np.concatenate(centers), (counts, flat), name=f"orbit-L{level}",
                        level=int(level), areas=np.concatenate(areas), side_geometry=side_geo)
    mesh.orbit = st
    mesh.e_s = es
    mesh.backend = "orbit"
    # the matrices solved (−K_II + λπ) have a positive definite symmetric part (the SG fluxes) and a skew
    # along-orbit part of size 1/α: LU exists without pivoting, and threshold pivoting on the skew rows only
    # destroys the nested-dissection order.  Measured, σ = 10, σ_p = 25: α = 1e-3 (65k cells) 0.1 → 32 s,
    # 1e-4 → 1.1 s per solve, λ₁ equal to 7e-10; α = 1e-5 (24k cells) 0.01 → 27 s, 1e-4 → 3.8 s, λ₁ equal
    # to 3e-9 (and to no pivoting at all)
    mesh.pivot_threshold = 1e-4
    # SuperLU's minimum-degree order on the pattern of Mᵀ + M, not the geometric nested dissection of the
    # geodesic meshes: bisection by coordinates cuts the thin rings of this mesh into wide separators.
    # Measured on the flux-over-population matrix (α = 0.01, 2 cores): σ = 40, h = 0.1, ψ = 30°, level 5
    # (753k cells): nested dissection 30.1 s and 2.75e8 LU nonzeros, COLAMD 14.1 s and 1.37e8, this order
    # 6.0 s and 6.0e7; film σ = 40, σ_p = 400, level 4: 17.7 s, 4.7 s, 3.5 s; residuals alike (≤ 1e-6)
    mesh.fill_order = "MMD_AT_PLUS_A"
    return mesh
