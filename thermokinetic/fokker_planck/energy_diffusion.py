r"""The very-low-damping limit: energy-controlled diffusion on the graph of the energy's level sets.

Reduced units (:mod:`thermokinetic.units`): energies in kT, time in τ_N, rates in 1/τ_N.

Equation
--------
With the drift of :mod:`.generator` at Φ = χ = 0, the energy E = U(u) of a trajectory obeys
``dE = (−½|∇U|² + ½ΔU) dt + |∇U| dW`` whatever α (the precession ``u × ∇U/2α`` keeps E), while
the phase along the orbit {U = E} turns at the speed ``|∇U|/2α``.  For α → 0 the phase is fast
and the density is uniform in time along each orbit; averaging gives a 1D diffusion of E on each
edge of the orbit graph (one edge per family of closed orbits; Freidlin–Wentzell), with backward
operator

.. math::

    L g = \frac{e^{E}}{2\,T(E)}\,\frac{d}{dE}\Big(S(E)\,e^{-E}\,\frac{dg}{dE}\Big),\qquad
    T(E) = \oint \frac{dl}{|∇U|} = \Big|\frac{dA}{dE}\Big|,\qquad
    S(E) = \oint |∇U|\,dl = \Big|\int_{R(E)} ΔU\, dA\Big| ,

``A(E)`` the area of the region R(E) enclosed by the orbit (around a minimum: U < E; around a
maximum: U > E), and the edges joined at the saddle level E_s by continuity of g and conservation
of the flux ``S e^{−E} g'``.  The stationary density is ``T(E) e^{−E}``.  In τ_N units the operator is
α-independent: the physical rates are ∝ α (Kramers' low-friction regime).  For an axially symmetric
energy the orbits are the circles x = const and L is exactly the 1D reduction of
:mod:`.axial` (a test of this module), for every α.

Validity: the averaging needs the energy lost per orbit at the separatrix to be small against kT,
``δ = α S(E_s) ≪ 1`` (Mel'nikov–Meshkov).  The leading finite-damping correction is the
Mel'nikov–Meshkov depopulation factor; :func:`melnikov_meshkov_factor` gives ``A(δ)``, and
``|A(δ)/δ − 1|`` is reported as the model error of the energy-diffusion rate (it is O(√δ)).

Discretization
--------------
The graph is found on a geodesic mesh of U (two minima; the sublevel sets of the minima merge at
E_s; every component of {U > E_s} holds one maximum, i.e. all saddles lie on the level E_s, as for
thin films and Stoner–Wohlfarth particles in an in-plane field).  Each region R(E) is traced in
polar coordinates (θ, φ) about its critical point (star-shaped: U monotone along every geodesic
ray up to the level), A and S by quadrature.  A top that is not star-shaped but is the only one (a
band wrapping around Σ: a uniaxial magnet in an oblique field, its saddle nearly antipodal to its
maximum) is integrated as the whole set {U > E} on rays from a minimum, over every interval of each
ray where U > E (measured, σ = 10, h = 0.2, ψ = 45°: the regions tile 4π to 4e-8 and the separatrix
flux from the top equals the wells' sum to 8e-8; the orbit-aligned mesh approaches the limit like √α).
Each edge carries nodes clustered at both ends (Chebyshev); the flux between nodes is exponentially
fitted (exact for e^{−E} weights), ``F = ½ S_{j+½} (f_{j+1} − f_j)/(e^{E_{j+1}} − e^{E_j})`` in the
Boltzmann variable f, and the node masses are ``∫ e^{−E} dA`` over the dual cells: a symmetric graph
Laplacian K and masses π with ``π df/dt = K f``, whose λ₁ and per-well rates come from the same
flux-over-population solver as the mesh (:mod:`.escape`), with the same per-well definition (plateau
values at the minima).  The discretization error is estimated from three node counts (n, 2n, 4n) with
the observed order.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..dynamics import Drift
from ..energy import EnergyTerm
from ..errors import ParameterError, check_positive
from .convergence import estimate_observed

__all__ = ["OrbitGraph", "EnergyDiffusionResult", "orbit_graph", "prepare", "energy_diffusion", "critical_currents",
           "turnover", "saddles",
           "melnikov_meshkov_factor",
           "surface_laplacian"]


def surface_laplacian(energy: EnergyTerm, u: np.ndarray) -> np.ndarray:
    """Laplace–Beltrami ΔU on the unit sphere: ``tr H − u·H·u − 2 u·∇U`` of the term's extension to ℝ³."""
    u = np.asarray(u, dtype=float)
    H = energy.cartesian_hessian(u)
    g = energy.cartesian_gradient(u)
    tr = np.trace(H, axis1=-2, axis2=-1)
    uHu = np.einsum("...i,...ij,...j->...", u, H, u)
    return tr - uHu - 2 * np.einsum("...i,...i->...", u, g)


# ------------------------------------------------------------------------------------------------
# the orbit graph
# ------------------------------------------------------------------------------------------------
@dataclass
class Edge:
    """One family of closed orbits: the regions R(E) about ``center`` for E between ``e_lo``, ``e_hi``."""

    center: np.ndarray
    kind: str  # "well" (U < E about a minimum) or "top" (U > E about a maximum)
    e_center: float
    e_vertex: float


@dataclass
class OrbitGraph:
    """Two wells and the maxima, joined at the saddle level ``e_saddle`` (kT)."""

    wells: list
    tops: list
    e_saddle: float
    energy: EnergyTerm = field(repr=False)


def _newton_critical(energy, u, steps=30):
    """Refine a critical point of U on the sphere (Newton on the surface gradient)."""
    u = np.asarray(u, float) / np.linalg.norm(u)
    for _ in range(steps):
        g = energy.gradient(u[None])[0]
        if np.linalg.norm(g) < 1e-13:
            break
        h2, B = _riemann_hessian(energy, u)
        # least squares: a degenerate critical set (the ring maximum of an axial energy) is reached
        # by the minimal-norm step
        step = -B @ np.linalg.lstsq(h2, B.T @ g, rcond=1e-10)[0]
        n = np.linalg.norm(step)
        if n > 0.2:
            step *= 0.2 / n
        u = np.cos(np.linalg.norm(step)) * u + (np.sinc(np.linalg.norm(step) / np.pi)) * step
        u /= np.linalg.norm(u)
    return u


def orbit_graph(energy: EnergyTerm, *, level: int = 6) -> OrbitGraph:
    """Critical points and the single-vertex orbit graph of ``energy`` (refused otherwise)."""
    from ..sphere import geodesic_mesh

    mesh = geodesic_mesh(level)
    C = np.asarray(mesh.centers)
    U = energy.value(C)
    f = np.asarray(mesh.faces)
    n = mesh.n_cells
    adj = sp.coo_matrix((np.ones(2 * len(f)), (np.r_[f[:, 0], f[:, 1]], np.r_[f[:, 1], f[:, 0]])),
                        shape=(n, n)).tocsr()

    def extrema(sign):
        """Cells below all their neighbours, ties broken by the cell index: an extremum midway between
        two mirror-image cells (a field in a symmetry plane of the mesh) has two cells of equal U."""
        V = sign * U
        a, b = f[:, 0], f[:, 1]
        lower_a = (V[a] < V[b]) | ((V[a] == V[b]) & (a < b))  # face won by its first cell
        lost = np.zeros(n, bool)
        lost[b[lower_a]] = True
        lost[a[~lower_a]] = True
        return np.flatnonzero(~lost)

    def distinct(cells, sign):
        """Cells of distinct true extrema: on a mesh coarser than a thin film's band, a saddle cell
        (its neighbours lie off the band) and neighbouring cells of one minimum all look like local
        minima; Newton merges duplicates and the Hessian's definiteness drops the saddles."""
        out, pts = [], []
        for c in sorted(cells, key=lambda c: sign * U[c]):
            u = _newton_critical(energy, C[c])
            ev = np.linalg.eigvalsh(sign * _riemann_hessian(energy, u)[0])
            if ev.min() <= 0 or not all(np.dot(u, v) < 1 - 1e-8 for v in pts):
                continue
            out.append(c)
            pts.append(u)
        return np.asarray(out, dtype=int)

    mins, maxs = distinct(extrema(1.0), 1.0), distinct(extrema(-1.0), -1.0)
    if len(mins) != 2:
        raise ParameterError("method", "energy", "used for an energy with exactly two minima",
                             f"this landscape has {len(mins)} minima on the level-{level} mesh; use --method mesh")
    # E_s: the level at which the sublevel sets of the two minima merge (union-find by sorted U)
    order = np.argsort(U)
    rank = np.empty(n, int)
    rank[order] = np.arange(n)
    lo, hi = 0, n - 1
    while hi - lo > 1:  # bisection on the number of cells kept
        mid = (lo + hi) // 2
        keep = rank <= mid
        sub = adj[keep][:, keep]
        _, lab = connected_components(sub, directed=False)
        idx = np.full(n, -1)
        idx[keep] = lab
        if idx[mins[0]] >= 0 and idx[mins[0]] == idx[mins[1]]:
            hi = mid
        else:
            lo = mid
    join = order[hi]
    saddle = _newton_critical(energy, C[join])
    e_s = float(energy.value(saddle[None])[0])
    tol = 1e-3 * (1.0 + float(np.ptp(U)))
    # every component of {U > E_s} holds exactly one maximum (all saddles on the level E_s)
    up = U > e_s + tol
    tops = []
    if up.any():
        sub = adj[up][:, up]
        ncomp, lab = connected_components(sub, directed=False)
        idx = np.full(n, -1)
        idx[up] = lab
        for k in range(ncomp):
            inside = [m for m in maxs if idx[m] == k]
            if len(inside) != 1:
                raise ParameterError("method", "energy", "used where every region above the saddle level "
                                     "holds one maximum (all saddles on one level)",
                                     f"a region above E_s = {e_s:.4g} kT holds {len(inside)} maxima; use --method mesh")
            c = _newton_critical(energy, C[inside[0]])
            tops.append(Edge(c, "top", float(energy.value(c[None])[0]), e_s))
    below = U > e_s - tol
    if below.any():
        ncomp, _ = connected_components(adj[below][:, below], directed=False)
        if ncomp != 1:
            raise ParameterError("method", "energy", "used where all saddles lie on one energy level",
                                 "the region above a lower saddle is split; use --method mesh")
    wells = []
    for m in mins:
        c = _newton_critical(energy, C[m])
        wells.append(Edge(c, "well", float(energy.value(c[None])[0]), e_s))
    wells.sort(key=lambda w: w.e_center)
    return OrbitGraph(wells, tops, e_s, energy)


# ------------------------------------------------------------------------------------------------
# orbit integrals A(E), S(E) by polar quadrature about the edge's critical point
# ------------------------------------------------------------------------------------------------
class _Polar:
    """Rays from ``center``: U along each, the root θ_E(φ) of U = E, areas and ∫ΔU.

    ``whole``: the edge is the only top, so that its region R(E) = {U > E} (E ≥ E_s) is all of that set on
    Σ; used where the top is not star-shaped about its maximum (a band wrapping around the sphere: a
    uniaxial magnet in an oblique field).  The rays then start at ``frame`` (a minimum, about which the
    band is a ring) and R(E) is, on each ray, the union of the intervals where U > E (:meth:`_intervals`).
    """

    def __init__(self, energy, edge: Edge, n_phi: int = 512, n_theta: int = 800, chi=None, whole: bool = False,
                 frame=None):
        self.energy, self.edge, self.chi = energy, edge, chi
        self._cache = {}
        self.whole = False
        c = edge.center if frame is None else np.asarray(frame, float)
        e1 = np.cross(c, [1.0, 0, 0] if abs(c[0]) < 0.9 else [0, 1.0, 0])
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(c, e1)
        self.phi = (np.arange(n_phi) + 0.5) * 2 * np.pi / n_phi
        self.d = np.cos(self.phi)[:, None] * e1 + np.sin(self.phi)[:, None] * e2
        self.c = c
        self.sign = 1.0 if edge.kind == "well" else -1.0
        th = np.linspace(0, np.pi, n_theta)
        if whole:
            if edge.kind != "top" or frame is None:
                raise ValueError("whole: the only top, with rays from a minimum (frame)")
            self.whole, self.theta_grid = True, th
            return
        vals = self.sign * self._U(th[None, :], np.arange(n_phi)[:, None])
        # along each ray U (signed) must rise monotonically up to the vertex level
        target = self.sign * edge.e_vertex
        # along each ray U (signed) rises monotonically to its first maximum, which must reach the vertex
        # level; the maximum is refined by golden-section search (the roots θ_E lie before it)
        dv = np.diff(vals, axis=1)
        drop = dv < -1e-9 * (1 + np.abs(vals).max())
        j_peak = np.where(drop.any(axis=1), np.argmax(drop, axis=1), n_theta - 1)
        lo = th[np.maximum(j_peak - 1, 0)]
        hi = th[np.minimum(j_peak + 1, n_theta - 1)]
        k = np.arange(n_phi)
        g = (math.sqrt(5) - 1) / 2
        for _ in range(80):
            a1, b1 = hi - g * (hi - lo), lo + g * (hi - lo)
            left = self.sign * self._U(a1, k) > self.sign * self._U(b1, k)
            hi = np.where(left, b1, hi)
            lo = np.where(left, lo, a1)
        self.theta_max = 0.5 * (lo + hi)
        peak = self.sign * self._U(self.theta_max, k)
        target = self.sign * edge.e_vertex
        if np.any(peak < target - 1e-9 * (1 + abs(target))):
            raise ParameterError("method", "energy", "used where each well is star-shaped about its "
                                 "extremum (U monotone along rays up to the saddle level) and a top is either "
                                 "star-shaped or the only one", "use --method mesh")

    def _point(self, theta, k):
        theta = np.asarray(theta, float)
        return np.cos(theta)[..., None] * self.c + np.sin(theta)[..., None] * self.d[k]

    def _U(self, theta, k):
        return self.energy.value(self._point(theta, k))

    def theta_of(self, E):
        """θ_E(φ) for every ray (bisection; θ_E = θ_max where the ray reaches the vertex level)."""
        k = np.arange(self.phi.size)
        lo = np.zeros(self.phi.size)
        hi = self.theta_max.copy()
        target = self.sign * E
        for _ in range(55):
            mid = 0.5 * (lo + hi)
            below = self.sign * self._U(mid, k) < target
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        return 0.5 * (lo + hi)

    def area_and_flux(self, E, n_gl: int = 12):
        """(A(E), S(E), X(E)): area of R(E), S = ±∫_R ΔU dA = ∮|∇U| dl and X = ±∫_R Δχ dA = ∮∇χ·∇U/|∇U| dl
        (sign + about a minimum, − about a maximum; trapezoid in φ, Gauss–Legendre in θ).

        Cached by E: the node sets of successive refinements are nested (t = j/n)."""
        key = (float(E), n_gl)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._area_and_flux(float(E), n_gl)
        return hit

    def _intervals(self, E):
        """The intervals (ray index, θ_a, θ_b) of the rays inside {U > E}: sign changes of U − E on the θ
        grid, each crossing refined by bisection (55 halvings); an excursion narrower than the grid step
        (n_theta = 800: 0.004 rad) is missed, a sliver of that width at most."""
        th = self.theta_grid
        k = np.arange(self.phi.size)[:, None]
        inside = self._U(th[None, :], k) > E
        inside[:, -1] = False  # the rays end at the antipode of the frame: close every open interval there
        edge = np.diff(inside.astype(np.int8), axis=1)
        ray_in, j_in = np.nonzero(edge == 1)     # θ_j outside, θ_{j+1} inside: an interval starts
        ray_out, j_out = np.nonzero(edge == -1)  # ... ends
        if inside[:, 0].any():
            raise ParameterError("method", "energy", "used where the frame minimum lies outside the top",
                                 "use --method mesh")

        def root(ray, j, rising):
            lo, hi = th[j].copy(), th[j + 1].copy()
            for _ in range(55):
                mid = 0.5 * (lo + hi)
                up = self._U(mid, ray) > E
                lo, hi = np.where(up == rising, lo, mid), np.where(up == rising, mid, hi)
            return 0.5 * (lo + hi)

        a = root(ray_in, j_in, True)
        b = root(ray_out, j_out, False)
        # np.nonzero walks row by row: the starts and ends of each ray alternate in θ order
        return ray_in, a, b

    def _area_and_flux(self, E, n_gl):
        if self.whole:
            ray, a, b = self._intervals(E)
            dphi = 2 * np.pi / self.phi.size
            area = float(np.sum(np.cos(a) - np.cos(b)) * dphi)
            x, w = np.polynomial.legendre.leggauss(n_gl)
            t = a[:, None] + 0.5 * (x[None, :] + 1) * (b - a)[:, None]
            pts = self._point(t, ray[:, None])
            jac = np.sin(t) * w[None, :] * 0.5 * (b - a)[:, None] * dphi

            def integral_whole(term):  # −∫_R Δ(term) dA (a top)
                return float(-np.sum(surface_laplacian(term, pts) * jac))

            return area, integral_whole(self.energy), (integral_whole(self.chi) if self.chi is not None else 0.0)
        th = self.theta_of(E)
        dphi = 2 * np.pi / self.phi.size
        area = float(np.sum(1 - np.cos(th)) * dphi)
        x, w = np.polynomial.legendre.leggauss(n_gl)
        t = 0.5 * (x[None, :] + 1) * th[:, None]  # (n_phi, n_gl)
        pts = self._point(t, np.arange(self.phi.size)[:, None])
        jac = np.sin(t) * w[None, :] * 0.5 * th[:, None] * dphi

        def integral(term):  # sign · ∫_R Δ(term) dA
            return float(self.sign * np.sum(surface_laplacian(term, pts) * jac))

        return area, integral(self.energy), (integral(self.chi) if self.chi is not None else 0.0)


# ------------------------------------------------------------------------------------------------
# the graph operator and its λ₁
# ------------------------------------------------------------------------------------------------
def _edge_nodes(e_center, e_vertex, n):
    """Nodes ``E(t) = E_c + (E_v − E_c)(1 − (1 − t²)⁴)``, t uniform: E − E_c ∝ t² at the extremum (the
    orbit radius is uniform there) and E_v − E ∝ (1 − t)⁴ at the vertex, where g varies like
    √(E_v − E) (ring maxima) or (E_v − E) ln(E_v − E) (saddles)."""
    t = np.arange(n + 1) / n
    return e_center + (e_vertex - e_center) * (1 - (1 - t * t) ** 4)


#: top edges (orbits about a maximum) are cut this many kT above the saddle level
TOP_CUT = 300.0


def _assemble(graph: OrbitGraph, polars, n: int, alpha: float | None = None):
    """Symmetric graph Laplacian K (Boltzmann variable) and masses π; node 0 is the vertex (E_s).

    Returns ``(K, π, anchors)`` with the anchors the nodes at the two minima."""
    e0 = graph.wells[0].e_center  # energies relative to the deepest minimum
    rows, cols, vals = [], [], []
    masses = [0.0]
    anchors = []
    node = 1
    for edge, pol in zip(graph.wells + graph.tops, polars):
        e_end = edge.e_center
        if edge.kind == "top" and e_end - edge.e_vertex > TOP_CUT:
            # orbits more than TOP_CUT kT above the saddle hold e^{-TOP_CUT} of the probability: the edge
            # ends there (reflecting), which keeps every Boltzmann factor representable (thin films
            # with σ_p of several hundred kT)
            e_end = edge.e_vertex + TOP_CUT
        grid = _edge_nodes(e_end, edge.e_vertex, 2 * n)  # nodes and t-midpoints (nested in n)
        grid[-1] = edge.e_vertex - 1e-12 * (1 + abs(edge.e_vertex))  # the separatrix region, from inside
        AS = [None] + [pol.area_and_flux(e) for e in grid[1:]]
        A = np.array([0.0] + [v[0] for v in AS[1:]])
        S = np.array([np.nan] + [v[1] for v in AS[1:]])
        X = np.array([np.nan] + [v[2] for v in AS[1:]])
        S_half = S[1::2]
        # effective potential of the edge: Ψ' = 1 − X/(α S) (spin transfer χ), Ψ(E_s) = E_s on every edge
        if alpha is None:
            psi = grid - e0
        else:
            ratio = X / S
            ratio[0] = ratio[1]  # X/S → Δχ/ΔU at the extremum
            # at a ring maximum of U (axial energies) X/S diverges like (E_s − E)^{−1/2} at the vertex:
            # an integrable end point, left out of the last trapezoid (error O(ΔE^{1/2}) = O(n^{−2}))
            ratio[-1] = ratio[-2]
            dpsi = 1 - ratio / alpha
            steps = 0.5 * (dpsi[1:] + dpsi[:-1]) * np.diff(grid)
            psi = (edge.e_vertex - e0) - np.r_[np.cumsum(steps[::-1])[::-1], 0.0]
        dpsi_sub = np.diff(psi)
        ex = np.exp(-psi)
        small = np.abs(dpsi_sub) <= 1e-14
        mean_exp = np.where(small, ex[:-1], (ex[:-1] - ex[1:]) / np.where(small, 1.0, dpsi_sub))
        w_sub = np.abs(np.diff(A)) * mean_exp  # ∫ e^{−Ψ} dA over each half interval (Ψ linear in E)
        m = np.r_[w_sub[0], w_sub[1:-1:2] + w_sub[2::2], w_sub[-1]]  # node j: half intervals 2j−1, 2j
        pn, En = psi[0::2], grid[0::2]
        dpn = np.diff(pn)
        tiny = np.abs(dpn) <= 1e-14
        # ∫ e^{Ψ} dE between nodes with Ψ linear: ΔE (e^{Ψ_b} − e^{Ψ_a})/(Ψ_b − Ψ_a)
        integ = np.abs(np.diff(En)) * np.where(tiny, np.exp(pn[:-1]),
                                               np.diff(np.exp(pn)) / np.where(tiny, 1.0, dpn))
        w = 0.5 * S_half / integ
        ids = np.r_[np.arange(node, node + n), 0]  # the last node of every edge is the vertex
        a, b = ids[:-1], ids[1:]
        rows += [a, b, a, b]
        cols += [b, a, a, b]
        vals += [w, w, -w, -w]
        masses += list(m[:-1])
        masses[0] += m[-1]
        if edge.kind == "well":
            anchors.append(node)
        node += n
    K = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(node, node)).tocsr()
    return K, np.array(masses), anchors


@dataclass
class EnergyDiffusionResult:
    """λ₁ and the per-well rates of the energy-diffusion limit.

    Attributes
    ----------
    lambda1 : float
        Slowest relaxation rate (1/τ_N), α-independent in these units.
    rates : list of float
        Escape rate out of each well (deepest first), 1/τ_N (plateau definition of :mod:`.escape`).
    wells : list of ndarray
        Directions of the minima.
    e_saddle : float
        Saddle level E_s (kT); ``barriers`` = E_s − E_min per well.
    S_saddle : float
        ``S(E_s) = ∮|∇U| dl`` on the separatrix (kT), the δ = α S(E_s) of Mel'nikov–Meshkov.
    error_estimate : float
        Relative error estimate: the node refinement (four node counts, observed order) or the polar
        quadrature's (partition of 4π and separatrix flux balance), whichever is larger.
    order : float or None
        Observed order of the discretization.
    seconds : float
    """

    lambda1: float
    rates: list
    wells: list
    e_saddle: float
    barriers: list
    S_saddle: float
    error_estimate: float
    order: float | None
    seconds: float = 0.0
    history: list = field(default_factory=list)

    def delta(self, alpha: float) -> float:
        """Mel'nikov–Meshkov energy loss per separatrix orbit δ = α S(E_s) (kT)."""
        return check_positive("alpha", alpha) * self.S_saddle

    def model_error(self, alpha: float) -> float:
        """Relative size of the leading finite-damping correction, |A(δ)/δ − 1| (O(√δ))."""
        d = self.delta(alpha)
        if d <= 0:  # no energy lost along the separatrix (a ring maximum, axial energies): exact
            return 0.0
        return abs(melnikov_meshkov_factor(d) / d - 1)


def prepare(energy: EnergyTerm, *, chi: EnergyTerm | None = None, graph_level: int = 6, n_phi: int = 512):
    """``(graph, polars, S(E_s))``: the orbit graph, the polar tracers of its edges (with the spin-transfer
    potential χ, if any) and the separatrix flux ``S(E_s) = ∮|∇U| dl`` (kT) of the deepest well —
    enough to judge δ = α S(E_s) cheaply."""
    if not isinstance(energy, EnergyTerm):
        raise ParameterError("energy", type(energy).__name__, "an EnergyTerm")
    if chi is not None and not isinstance(chi, EnergyTerm):
        raise ParameterError("chi", type(chi).__name__, "an EnergyTerm (its Laplacian enters the orbit average)")
    graph = orbit_graph(energy, level=graph_level)

    def polar(e):
        try:
            return _Polar(energy, e, n_phi=n_phi, chi=chi)
        except ParameterError:
            if e.kind != "top" or len(graph.tops) != 1:
                raise
            # the only top, not star-shaped about its maximum (a band): R(E) = {U > E} on rays from a minimum
            return _Polar(energy, e, n_phi=n_phi, chi=chi, whole=True, frame=graph.wells[0].center)

    polars = [polar(e) for e in graph.wells + graph.tops]
    S_s = polars[0].area_and_flux(graph.e_saddle - 1e-9 * (1 + abs(graph.e_saddle)))[1]
    return graph, polars, S_s


def energy_diffusion(energy: EnergyTerm, *, chi: EnergyTerm | None = None, alpha: float | None = None,
                     n: int = 16, levels: int = 4, graph_level: int = 6, n_phi: int = 512,
                     prepared=None) -> EnergyDiffusionResult:
    """λ₁ and per-well escape rates in the energy-diffusion (α → 0) limit, with an error estimate.

    Parameters
    ----------
    energy : EnergyTerm
        Reduced energy U (kT) with two minima and all saddles on one level.
    n : int
        Nodes per edge on the coarsest of ``levels`` node counts n, 2n, 4n, …
    graph_level : int
        Geodesic level of the mesh that finds the critical points and the graph.
    n_phi : int
        Rays of the polar quadrature of each orbit region.
    chi, alpha : EnergyTerm and float, optional
        Dissipative spin-transfer potential χ (kT) and the damping: the orbit-averaged drift gains
        ``⟨∇U·∇χ⟩/2α = X(E)/(2α T)`` with ``X = ∮ ∇χ·∇U/|∇U| dl = ±∫_R Δχ dA``, i.e. each edge carries the
        effective potential ``Ψ' = 1 − X/(α S)`` (stationary density T e^{−Ψ}); χ/α must stay O(1) as
        α → 0 (currents of order α, as in Pinna, Kent & Stein).  A field-like Φ changes the fast
        orbits themselves (the precession conserves U_p = U + Φ, not U): pass ``energy`` = U_p and
        ``chi`` = χ + αΦ, since the drift of U_p averages to ``−a(S − X_Φ − X_χ/α)/T`` with X linear in
        its potential (``compute_escape(phi_cos=…)`` does this).
    prepared : tuple, optional
        The output of :func:`prepare` (reused).
    """
    from .escape import _two_set_eigen

    t0 = time.perf_counter()
    if chi is not None:
        alpha = check_positive("alpha", alpha)
    graph, polars, _ = (prepare(energy, chi=chi, graph_level=graph_level, n_phi=n_phi) if prepared is None
                        else prepared)
    hist = []
    for k in range(levels):
        K, pi, (a, b) = _assemble(graph, polars, n * 2 ** k, alpha if chi is not None else None)
        lam, r, ch, _ = _two_set_eigen(K, pi, [a], [b], tol=1e-11, max_iter=40)
        if not (ch["converged"] and lam > 0 and r > 0):
            # low barriers (no time-scale separation): the graph is small, solve it densely
            lam, r = _dense_slowest(K, pi, a, b)
            if not (lam > 0 and r > 0):
                raise ParameterError("n", n, "large enough for the energy-diffusion solve to converge")
        hist.append((lam, lam / (1 + r), lam * r / (1 + r)))
    h = np.array(hist)
    ests = [estimate_observed(h[:, j]) for j in range(3)]
    # the polar quadrature meets the separatrix corners: its error is measured by the partition of the
    # sphere (the regions at the vertex level must tile 4π) and by the separatrix flux seen from both sides
    eps = 1e-9 * (1 + abs(graph.e_saddle))
    at_vertex = [p.area_and_flux(graph.e_saddle - eps if e.kind == "well" else graph.e_saddle + eps)
                 for p, e in zip(polars, graph.wells + graph.tops)]
    S_s = at_vertex[0][1]
    S_w = sum(v[1] for v, e in zip(at_vertex, graph.wells + graph.tops) if e.kind == "well")
    S_t = sum(v[1] for v, e in zip(at_vertex, graph.wells + graph.tops) if e.kind == "top")
    quad_err = abs(sum(v[0] for v in at_vertex) / (4 * math.pi) - 1)
    if graph.tops:
        quad_err = max(quad_err, abs(S_w - S_t) / max(S_w, S_t))
    return EnergyDiffusionResult(
        lambda1=ests[0].value, rates=[ests[1].value, ests[2].value], wells=[w.center for w in graph.wells],
        e_saddle=graph.e_saddle, barriers=[graph.e_saddle - w.e_center for w in graph.wells], S_saddle=S_s,
        error_estimate=max(max(e.relative_error for e in ests), quad_err), order=ests[0].order,
        seconds=time.perf_counter() - t0, history=hist)


def _dense_slowest(K, pi, a: int, b: int):
    """λ₁ of ``K f = −λ π f`` (a graph of a few hundred nodes) by a dense eigensolve, and the plateau
    ratio r = −f_b/f_a of its eigenvector (the per-well split of :func:`.escape.escape_rates`)."""
    import scipy.linalg as la

    Kd = np.asarray(K.todense()) if sp.issparse(K) else np.asarray(K)
    w = 1.0 / np.sqrt(np.asarray(pi, float))
    M = -(w[:, None] * Kd * w[None, :])  # π^{-1/2} (−K) π^{-1/2}
    if np.allclose(M, M.T, rtol=1e-12, atol=1e-14 * np.abs(M).max()):
        vals, vecs = la.eigh(0.5 * (M + M.T))
    else:
        vals, vecs = la.eig(M)
        order = np.argsort(vals.real)
        vals, vecs = vals.real[order], vecs.real[:, order]
    lam = float(vals[1])
    f = w * vecs[:, 1]
    return lam, float(-f[b] / f[a]) if f[a] != 0 else float("nan")


def melnikov_meshkov_factor(delta: float) -> float:
    r"""Mel'nikov–Meshkov depopulation factor

    .. math:: A(δ) = \exp\Big[\frac{1}{2π} \int_{-∞}^{∞} \ln\big(1 − e^{−δ(λ^2 + 1/4)}\big)\,\frac{dλ}{λ^2 + 1/4}\Big],

    with δ the energy lost per separatrix orbit in kT; A(δ) → δ for δ → 0 (energy diffusion) and
    → 1 for δ → ∞ (the intermediate-to-high damping rate is reached).
    """
    from scipy.integrate import quad

    d = check_positive("delta", delta)
    f = lambda lam: math.log(-math.expm1(-d * (lam * lam + 0.25))) / (lam * lam + 0.25)  # noqa: E731
    val, _ = quad(f, 0, np.inf, limit=200)
    return math.exp(val / math.pi)  # (1/2π) ∫_{−∞}^{∞} = (1/π) ∫_0^∞


def critical_currents(energy: EnergyTerm, chi_unit: EnergyTerm, *, n: int = 400, graph_level: int = 6,
                      n_phi: int = 512) -> list:
    r"""Deterministic thresholds of the orbit-averaged dynamics for χ = j·α·χ_unit (j = χ/α, kT).

    Without noise the energy of a precession orbit changes at ``dE/dt = (−S(E) + j X(E))/(2T(E))``
    (:func:`energy_diffusion`).  For each well:

    * ``j_instability`` — the well bottom becomes unstable when ``j X > S`` as E → E_min, i.e.
      ``j = ΔU/Δχ_unit`` at the minimum (exact for the linearized LLG at every α: the trace of
      its Jacobian is −½Δ(U − χ/α));
    * ``j_switch`` — above ``max_E S/X`` over the well edge the drift is positive up to the saddle
      level: the magnetization leaves the well deterministically;
    * between them (when ``j_switch > j_instability``) a stable precession orbit exists at the zero
      of ``−S + jX`` (``stable_precession``).

    Returns a list of dicts (deepest well first) with those keys and the well direction.
    """
    graph, polars, _ = prepare(energy, chi=chi_unit, graph_level=graph_level, n_phi=n_phi)
    out = []
    for edge, pol in zip(graph.wells, polars):
        E = _edge_nodes(edge.e_center, edge.e_vertex, n)[1:-1]
        SX = np.array([pol.area_and_flux(e)[1:] for e in E])
        c = edge.center[None]
        j0 = float(surface_laplacian(energy, c)[0] / surface_laplacian(chi_unit, c)[0])
        ratio = SX[:, 0] / SX[:, 1]
        if np.all(SX[:, 1] > 0):
            j_sw = float(np.max(ratio))
        elif np.all(SX[:, 1] < 0):
            j_sw = float(np.min(ratio))
        else:
            j_sw = float("nan")
        out.append({"direction": edge.center, "j_instability": j0, "j_switch": j_sw,
                    "stable_precession": bool(np.isfinite(j_sw) and abs(j_sw) > abs(j0))})
    return out


# ------------------------------------------------------------------------------------------------
# the turnover between the two damping regimes (independent cross-check of the mesh)
# ------------------------------------------------------------------------------------------------
def _riemann_hessian(energy, u):
    """Riemannian Hessian of U on the sphere at u, in a tangent basis (2×2), and the basis."""
    from .escape import tangent_basis

    u = np.asarray(u, float)
    Hc = energy.cartesian_hessian(u[None])[0]
    gc = energy.cartesian_gradient(u[None])[0]
    P = np.eye(3) - np.outer(u, u)
    Hs = P @ Hc @ P - np.dot(u, gc) * P
    e1, e2 = tangent_basis(u)
    B = np.stack([e1, e2], axis=1)
    return B.T @ Hs @ B, B


def saddles(energy: EnergyTerm, e_saddle: float, *, level: int = 6) -> list:
    """The saddle points of U on the level ``e_saddle`` (Newton from the cells where |∇U| is locally
    smallest near that level; duplicates merged; kept where the Hessian is indefinite)."""
    from ..sphere import geodesic_mesh

    mesh = geodesic_mesh(level)
    C = np.asarray(mesh.centers)
    U = energy.value(C)
    g2 = np.sum(energy.gradient(C) ** 2, axis=1)
    near = np.abs(U - e_saddle) <= 0.05 * (1.0 + float(np.ptp(U)))
    f = np.asarray(mesh.faces)
    nb_min = np.full(C.shape[0], np.inf)
    np.minimum.at(nb_min, f[:, 0], g2[f[:, 1]])
    np.minimum.at(nb_min, f[:, 1], g2[f[:, 0]])
    out = []
    for c in np.flatnonzero(near & (g2 <= nb_min)):
        u = _newton_critical(energy, C[c])
        if np.linalg.norm(energy.gradient(u[None])[0]) > 1e-8 * (1.0 + float(np.ptp(U))):
            continue
        if abs(float(energy.value(u[None])[0]) - e_saddle) > 1e-6 * (1.0 + abs(e_saddle)):
            continue
        if np.linalg.det(_riemann_hessian(energy, u)[0]) >= 0:
            continue
        if all(np.dot(u, v) < 1 - 1e-8 for v in out):
            out.append(u)
    return out


def turnover(energy: EnergyTerm, alpha: float, *, prepared=None) -> dict:
    r"""The Mel'nikov–Meshkov/Pollak–Grabert–Hänggi turnover rate (Φ = χ = 0), an asymptotic formula
    valid for all damping at high barriers (relative accuracy O(kT/E_b)).

    Per well w, Langer's intermediate-to-high-damping rate over the saddles s of the separatrix,

    .. math:: Γ^{IHD}_w = \sum_s \frac{λ_+^{(s)}}{2π}\sqrt{\frac{\det H_w}{|\det H_s|}}\, e^{-(E_s - E_w)},

    λ₊ the unstable eigenvalue of the drift −½∇U + (1/2α) u × ∇U linearized at the saddle (1/τ_N),
    H the Hessians of U (kT/rad²), times the depopulation factor of the two wells
    ``A(Δ₁) A(Δ₂)/A(Δ₁ + Δ₂)`` (:func:`melnikov_meshkov_factor`), with Δ_w = α S_w(E_s)/n_s the energy
    lost along the separatrix of well w between two saddle passages (n_s saddles on it, equal
    segments: exact for the symmetric films and in-plane fields this is used for).  As α → 0 it
    tends to ``(Δ₁Δ₂/(Δ₁+Δ₂)) Γ^{IHD}``, the energy-diffusion limit up to O(kT/E_b).

    Returns
    -------
    dict
        ``lambda1`` (Γ₁ + Γ₂), ``rates`` (per well, deepest first), ``gamma_ihd``, ``depopulation``,
        ``delta`` (Δ per well, kT), ``saddles``.
    """
    alpha = check_positive("alpha", alpha)
    graph, polars, _ = prepare(energy) if prepared is None else prepared
    sad = saddles(energy, graph.e_saddle)
    if not sad:
        raise ParameterError("energy", "no saddle", "a landscape with saddle points on the separatrix")
    ihd = _langer_ihd(energy, graph, sad, alpha)
    eps = 1e-9 * (1 + abs(graph.e_saddle))
    S = [p.area_and_flux(graph.e_saddle - eps)[1] for p in polars[:2]]
    delta = [alpha * s / len(sad) for s in S]
    A = melnikov_meshkov_factor
    dep = A(delta[0]) * A(delta[1]) / A(delta[0] + delta[1])
    rates = [dep * g for g in ihd]
    # α → 0: A(Δ) → Δ and α λ₊ → its limit, so Γ → Δ₁Δ₂/(Δ₁+Δ₂) Γ^{IHD}: α-independent in τ_N units
    a0 = 1e-8  # α Γ^{IHD} at a tiny α: its α → 0 limit (the precession-dominated α λ₊)
    vld = delta[0] * delta[1] / (delta[0] + delta[1]) / alpha * a0 * sum(_langer_ihd(energy, graph, sad, a0))
    return {"lambda1": float(sum(rates)), "rates": rates, "gamma_ihd": ihd, "depopulation": float(dep),
            "delta": delta, "saddles": [s.tolist() for s in sad], "vld_limit": float(vld)}


def linearized_drift(H: np.ndarray, alpha) -> np.ndarray:
    """The drift ``−a∇U + g u × ∇U`` of :class:`thermokinetic.dynamics.Drift` (a = ½, g = 1/2α for a
    number α) linearized at a critical point with Riemannian Hessian H (2×2, right-handed tangent
    basis, u × e₁ = e₂), in 1/τ_N."""
    d = Drift.of(alpha)
    R = np.array([[0.0, -1.0], [1.0, 0.0]])  # u × (·)
    return -d.dissipative * H + d.gyrotropic * R @ H


def _langer_ihd(energy, graph, sad, alpha) -> list:
    """Langer's IHD rate out of each well of ``graph`` over the saddles ``sad`` (1/τ_N)."""
    out = []
    for w in graph.wells:
        Hw, _ = _riemann_hessian(energy, w.center)
        total = 0.0
        for s in sad:
            Hs, _ = _riemann_hessian(energy, s)
            lam_plus = float(np.max(np.linalg.eigvals(linearized_drift(Hs, alpha)).real))
            total += lam_plus / (2 * math.pi) * math.sqrt(np.linalg.det(Hw) / abs(np.linalg.det(Hs))) \
                * math.exp(-(graph.e_saddle - w.e_center))
        out.append(total)
    return out
