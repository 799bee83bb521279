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

The lines are integrated in ξ (``du/dξ = E'(ξ) ∇U/|∇U|²``, RK4, vectorized over the lines) and every
recorded point is projected on its exact level (Newton along ∇U), so the vertices of a ring share
one energy to rounding.  Refinement (``level`` + 1) doubles the rings and the seeds.

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


def _grad(energy, u):
    return energy.gradient(u)


def _project(energy, u, E, iters=3):
    """Move points ``u`` onto the levels ``E`` (Newton along ∇U), on the sphere."""
    for _ in range(iters):
        g = _grad(energy, u)
        g2 = np.sum(g * g, axis=-1)
        dE = E - energy.value(u)
        step = np.where(g2[..., None] > 0, (dE / np.where(g2 > 0, g2, 1.0))[..., None] * g, 0.0)
        u = u + step
        u = u / np.linalg.norm(u, axis=-1, keepdims=True)
    return u


class _Map:
    """The ring energies of one region: ``E(ξ)`` and ``dE/dξ`` for ξ ∈ [0, 1] (0: the separatrix).

    ``E = E_s + ΔE (ξ(2 − ξ))^4``: quartic at the separatrix, where the orbit period diverges
    logarithmically (as the node grading of :mod:`.energy_diffusion`), quadratic at the extremum (the
    ring radius is uniform there).  A truncated top uses ``E = E_s + ΔE ξ^4``."""

    def __init__(self, e_s: float, e_end: float, truncated: bool):
        self.e_s, self.e_end, self.truncated = float(e_s), float(e_end), bool(truncated)
        self.span = self.e_end - self.e_s

    def E(self, xi):
        xi = np.asarray(xi, float)
        if self.truncated:
            return self.e_s + self.span * xi ** POWER
        return self.e_s + self.span * (xi * (2 - xi)) ** POWER

    def dE(self, xi):
        xi = np.asarray(xi, float)
        if self.truncated:
            return self.span * POWER * xi ** (POWER - 1)
        return self.span * POWER * (xi * (2 - xi)) ** (POWER - 1) * (2 - 2 * xi)


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
        x, y, z = u @ self.e1, u @ self.e2, u @ self.c
        return np.arctan2(np.hypot(x, y), z), np.arctan2(y, x)

    def point(self, th, ph):
        th, ph = np.asarray(th, float)[..., None], np.asarray(ph, float)[..., None]
        return np.cos(th) * self.c + np.sin(th) * (np.cos(ph) * self.e1 + np.sin(ph) * self.e2)

    def area_step(self, u0, u1):
        """Signed area of the geodesic triangle (c, u0, u1) (Van Oosterom & Strackee 1983): the area swept
        about c by the short arc u0 → u1, exact for geodesic pieces, in (−2π, 2π).  Summed around a
        closed curve it gives the enclosed area modulo 4π, also for curves passing near the antipode of
        c, where the midpoint rule for ∫(1 − cos θ)dφ fails (φ jumps by up to π along one piece)."""
        c = self.c
        det = np.sum(np.cross(u0, u1) * c, axis=-1)
        den = 1.0 + u0 @ c + u1 @ c + np.sum(u0 * u1, axis=-1)
        return 2.0 * np.arctan2(det, den)


#: a region whose boundary comes within this angle (rad) of the antipode of its extremum is a band (a top
#: wrapping around the sphere: a uniaxial magnet in an oblique field, saddle nearly antipodal to the
#: maximum).  The azimuth about the extremum is then not monotone along its level sets (measured: arcs
#: of the σ = 40, h = 0.1, ψ = 30° top turn back by 0.05 rad), so rays from the extremum cannot sample
#: them; its level arcs follow the traced gradient lines instead (:func:`_level_pieces`)
ANTIPODE_MARGIN = 0.5


def _is_band(crit, boundary) -> bool:
    """Whether a region's boundary comes within :data:`ANTIPODE_MARGIN` of the antipode of its extremum."""
    return bool(float(np.min(boundary @ crit)) < -math.cos(ANTIPODE_MARGIN))


def _unit(v):
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _mod_sphere(area):
    """Swept areas summed around closed cells are exact modulo 4π (a cell boundary may wind about the
    antipode of the area frame's centre): reduced to (−2π, 2π], so that a wrongly oriented cell stays
    negative and is refused by the polygon mesh."""
    return (np.asarray(area) + 2 * np.pi) % (4 * np.pi) - 2 * np.pi


def _trace(energy, u0, emap: _Map, xi_rec: np.ndarray, polar: _Polar | None = None):
    """Points of the gradient lines through ``u0`` (at ξ = ``xi_rec[0]``) at every ``xi_rec[j]``:
    shape (len(xi_rec), n, 3).  With ``polar``, also the swept area ∫(1 − cos θ)dφ and the length of
    every piece between consecutive ``xi_rec`` (shape (len(xi_rec) − 1, n) each), summed over the
    RK4 substeps."""
    u = np.array(u0, float)
    out = np.empty((len(xi_rec),) + u.shape)
    out[0] = u
    swept = np.zeros((len(xi_rec) - 1,) + u.shape[:-1])
    length = np.zeros_like(swept)

    def f(xi, v):
        g = _grad(energy, v)
        g2 = np.sum(g * g, axis=-1, keepdims=True)
        return emap.dE(xi) * g / g2

    for j in range(len(xi_rec) - 1):
        a, b = xi_rec[j], xi_rec[j + 1]
        h = (b - a) / _SUBSTEPS
        x = a
        for q in range(_SUBSTEPS):
            k1 = f(x, u)
            k2 = f(x + h / 2, _unit(u + h / 2 * k1))
            k3 = f(x + h / 2, _unit(u + h / 2 * k2))
            k4 = f(x + h, _unit(u + h * k3))
            new = _unit(u + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4))
            x += h
            if q == _SUBSTEPS - 1:
                new = _project(energy, new, emap.E(b))
            if polar is not None:
                swept[j] += polar.area_step(u, new)
                length[j] += np.linalg.norm(new - u, axis=-1)
            u = new
        out[j + 1] = u
    if polar is None:
        return out
    return out, swept, length


def _arc_points_rays(energy, polar: _Polar, E, ua, ub, n_sub):
    """Points of {U = E} between ``ua`` and ``ub`` on rays from the polar centre (a critical point about
    which the level set is star-shaped), uniform in the azimuth; shape (n_sub + 1, n, 3)."""
    tha, pha = polar.angles(ua)
    thb, phb = polar.angles(ub)
    s = np.linspace(0.0, 1.0, n_sub + 1)[:, None]
    ph = pha[None] + np.mod(phb - pha, 2 * np.pi)[None] * s  # counter-clockwise: φ increases
    th = tha[None] + (thb - tha)[None] * s
    Ec = np.broadcast_to(E, th.shape)
    rad = np.cos(ph)[..., None] * polar.e1 + np.sin(ph)[..., None] * polar.e2
    for _ in range(60):
        u = polar.point(th, ph)
        dth = np.sum(energy.cartesian_gradient(u) * (-np.sin(th)[..., None] * polar.c + np.cos(th)[..., None] * rad), -1)
        step = np.clip((energy.value(u) - Ec) / np.where(np.abs(dth) > 1e-300, dth, 1e-300), -0.05, 0.05)
        th = np.clip(th - step, 1e-12, np.pi - 1e-12)
        if np.max(np.abs(step)) < 1e-12:
            break
    return polar.point(th, ph)


def _arc_points_chord(energy, E, ua, ub, n_sub):
    """Points of {U = E} between ``ua`` and ``ub``: the short great-circle arc between them, uniform in
    its length, moved onto the level along ∇U; shape (n_sub + 1, n, 3).  For arcs short against their
    curvature radius (near a saddle, where the lines are graded)."""
    s = np.linspace(0.0, 1.0, n_sub + 1)[:, None, None]
    x = _unit((1 - s) * ua[None] + s * ub[None])
    return _project(energy, x, np.broadcast_to(E, x.shape[:-1]), iters=4)


def _level_pieces(energy, polar: _Polar, E, ring, n_sub: int = 8):
    """Swept area about the extremum and length of the level-set pieces between consecutive traced items
    of one record (``ring``: shape (m, 3), all on {U = E}, in their cyclic order around the region),
    each resolved by ``n_sub`` + 1 points of its chord moved onto the level (:func:`_arc_points_chord`).
    Consecutive gradient lines keep their order on every level set, so the pieces follow the level set
    whatever its shape about the extremum; returns (area, length), shape (m,) each, piece q from item q
    to item q + 1 (cyclic)."""
    ua, ub = ring, np.roll(ring, -1, axis=0)
    x = _arc_points_chord(energy, np.full(len(ring), float(E)), ua, ub, n_sub)
    x[0], x[-1] = ua, ub
    return (np.sum(polar.area_step(x[:-1], x[1:]), axis=0),
            np.sum(np.linalg.norm(np.diff(x, axis=0), axis=-1), axis=0))


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
    error is O(n_sub⁻²) of the bulge of each arc)."""
    E = np.broadcast_to(np.asarray(E, float), ua.shape[:-1])
    x = _arc_points_rays(energy, polar, E, ua, ub, n_sub)
    x[0], x[-1] = ua, ub
    return (np.sum(polar.area_step(x[:-1], x[1:]), axis=0),
            np.sum(np.linalg.norm(np.diff(x, axis=0), axis=-1), axis=0))


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
                w = np.cross(u, _grad(E, u[None])[0])
                if np.dot(w, v) > 0:  # u × ∇U leads away from the saddle along this asymptote
                    starts.append(u)
                    owners.append(k)
        u = _project(E, np.array(starts), np.full(len(starts), es))

        def f(v):
            return _unit(np.cross(v, _grad(E, v)))

        paths = [[p] for p in u]
        active = np.ones(len(u), bool)
        ends = [-1] * len(u)
        travelled = np.zeros(len(u))
        for _ in range(int(4 * np.pi / ds)):
            if not active.any():
                break
            k1 = f(u)
            k2 = f(_unit(u + ds / 2 * k1))
            k3 = f(_unit(u + ds / 2 * k2))
            k4 = f(_unit(u + ds * k3))
            new = _project(E, _unit(u + ds / 6 * (k1 + 2 * k2 + 2 * k3 + k4)), np.full(len(u), es))
            u = np.where(active[:, None], new, u)
            travelled += np.where(active, ds, 0.0)
            for i in np.flatnonzero(active):
                paths[i].append(u[i])
                d = np.linalg.norm(P - u[i], axis=1)
                k = int(np.argmin(d))
                if d[k] < 2 * ds and (k != owners[i] or travelled[i] > 20 * ds):
                    ends[i] = k
                    active[i] = False
        if active.any():
            raise ParameterError("energy", "a separatrix arc that does not end at a saddle",
                                 "a landscape whose saddle level is a graph of arcs between saddles")
        arcs = []
        for i, path in enumerate(paths):
            pts = np.array([self.saddles[owners[i]]["point"]] + path[:-1] + [self.saddles[ends[i]]["point"]])
            seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
            arcs.append({"points": pts, "cum": np.r_[0.0, np.cumsum(seg)], "length": float(seg.sum()),
                         "start": owners[i], "end": ends[i]})
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
    for region, idx in regions:
        crit, e_c = (st.minima if region == "well" else st.maxima)[idx]
        forward = region == "well"
        truncated = region == "top" and e_c - es > top_span
        emap = _Map(es, es + top_span if truncated else e_c, truncated)
        n_rings = n + 1 if truncated else n  # rings k = 0 … n_rings − 1
        xi_rec = np.arange(2 * n_rings - 1) / (2 * n)  # integer and half rings up to the last ring
        cyc = _cycle(st, region, idx)
        # the cyclic sequence of items alternating half line, line, … (counter-clockwise about crit)
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
        polar = _Polar(crit)
        band = _is_band(crit, np.array([it[2] if it[0] == "seed" else it[2][0]["point"] for it in seq]))
        seeds = [i for i, it in enumerate(seq) if it[0] == "seed"]
        specials = [i for i, it in enumerate(seq) if it[0] == "special"]
        P = np.empty((len(xi_rec), m, 3))
        SW = np.empty((len(xi_rec) - 1, m))
        LN = np.empty((len(xi_rec) - 1, m))
        P[:, seeds], SW[:, seeds], LN[:, seeds] = _trace(energy, np.array([seq[i][2] for i in seeds]), emap,
                                                           xi_rec, polar)
        x1 = xi_rec[1]
        start = []
        for i in specials:
            sad, vec = seq[i][2]
            lam = sad["lam_down"] if region == "well" else sad["lam_up"]
            r = math.sqrt(2 * abs(float(emap.E(x1)) - es) / abs(lam))
            start.append(_unit(sad["point"] * math.cos(r) + vec * math.sin(r)))
        start = _project(energy, np.array(start), np.full(len(specials), float(emap.E(x1))))
        sad_pts = np.array([seq[i][2][0]["point"] for i in specials])
        P[1:, specials], SW[1:, specials], LN[1:, specials] = _trace(energy, start, emap, xi_rec[1:], polar)
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
        def arcs(j, A, B):
            """Swept area and length of the level arcs of record j from items A to items B."""
            if not band:
                return _level_arcs(energy, polar, emap.E(xi_rec[j]), P[j, A], P[j, B])
            ar, ln = _level_pieces(energy, polar, emap.E(xi_rec[j]), P[j])
            return _sum_pieces(ar, A, B), _sum_pieces(ln, A, B)

        # ring arcs between consecutive kept lines: exact swept area and length
        ring_area, ring_len = [], []
        for k in range(n_rings):
            K = kept[k]
            ar, ln = arcs(2 * k, K, np.roll(K, -1))
            ring_area.append(ar)
            ring_len.append(ln)

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

        for k in range(n_rings - 1):
            la = SW[2 * k] + SW[2 * k + 1]   # along each line from ring k to ring k + 1 (inwards)
            ll = LN[2 * k] + LN[2 * k + 1]
            outer, inner = kept[k], kept[k + 1]
            a, c = inner, np.roll(inner, -1)
            mid = mids_of(a, c, 2 * k + 1)
            gen_len = arcs(2 * k + 1, mid, np.roll(mid, -1))[1]
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
    return mesh
