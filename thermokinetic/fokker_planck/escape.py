r"""λ₁ and escape rates that stay correct at high barriers (σ up to 60 and beyond).

The problem
-----------
At barrier height σ the slowest non-zero relaxation rate is λ₁ ~ e^{−σ}; once λ₁ ≲ 1e-12 ‖A⁻¹Q‖
(σ ≳ 40) shift-invert Arnoldi, deflated inverse iteration and a direct mean-first-passage solve
lose all accuracy because they need λ₁ as a small difference of O(1) numbers (DESIGN §3).

The method (exact, flux over population, self-consistent in λ)
---------------------------------------------------------------
Scale by a positive weight ``D`` (``e^{−U_d}``): ``K = Q D`` has zero column sums and, on a mesh
that resolves the drift, non-negative off-diagonal entries; π = A D.  The eigenproblem
``Q ρ₁ = −λ A ρ₁`` becomes ``K φ = −λ π φ`` with ``ρ₁ = D φ``.  Pick one anchor cell in each well
(a ∈ well A, b ∈ well B) and normalize ``φ_a = 1``, ``φ_b = −r``.  On the other cells I,

    M(λ) φ_I = K_{Ia} − r K_{Ib},   M(λ) = −(K_II + λ π_I)      (a non-singular M-matrix)

so ``φ = u_a − r u_b`` with ``u_a = M⁻¹K_{Ia} ≥ 0``, ``u_b = M⁻¹K_{Ib} ≥ 0`` (committor-like
functions obtained from non-singular solves with non-negative data).  The two remaining equations
(rows a and b) are equivalent to

* orthogonality to the stationary left vector, ``Σ π φ = 0``:  ``r = π·u_a / π·u_b``;
* the balance of the region R = {u_a ≥ u_b} ∋ a: summing the rows over R and using the zero
  column sums turns it into a flux across the cut ∂R, where the density is small and the values of
  φ are O(1):  ``λ = −C_R(φ) / Σ_{i∈R} π_i φ_i`` with
  ``C_R(φ) = Σ_{i∈R, j∉R} (K_ij φ_j − K_ji φ_i)``.

Iterating λ ← λ(M(λ)) from λ = 0 converges in a few steps (the λ-dependence is O(λ τ_relax)).
Nothing is a difference of nearly equal large numbers, so λ₁ keeps ~13 significant digits at
σ = 60.  The per-well escape rates follow from the two-state reduction ``φ ≈ 1`` on A and ``−r`` on B:
``Γ_A = λ/(1+r)`` and ``Γ_B = λ r/(1+r)`` (``λ = Γ_A + Γ_B``, ``Γ_A P_A = Γ_B P_B``).

Validity: the iteration converges to the exact discrete λ₁ while M(λ) stays non-singular with
``λ₁ · τ_hit`` well below 1 (τ_hit = mean time to reach an anchor from inside the wells); with an
M-matrix K the committors are ≥ 0 and every solve is a sum of like-signed terms.  Where the
precession is under-resolved (small α, K not an M-matrix) the committors may undershoot by a
discretization-size amount; every solve is row-scaled by e^{U_d} so the LU works on O(1) values
and the barrier values stay accurate (σ = 60, α = 0.02 on level 5 gives the same O(h²) error as
α = 1).  Convergence, the time-scale ratio and the committor undershoot are reported; where they
fail (low barriers), :func:`escape_rates` falls back to shift-invert Arnoldi, which is accurate
there, and refuses (ParameterError) where Arnoldi cannot resolve λ₁ either.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import ParameterError

__all__ = ["Well", "EscapeResult", "find_wells", "refine_minimum", "check_resolution", "escape_rates", "relaxation_rate",
           "switching_probability", "mean_first_passage_time"]


@dataclass(frozen=True)
class Well:
    """A local minimum of the dissipative potential U_d on the mesh.

    Attributes
    ----------
    cell : int
        Anchor cell (the discrete minimum).
    direction : ndarray (3,)
        Its direction on Σ.
    energy : float
        U_d at the anchor (kT).
    cells_within_1kT : int
        Number of connected cells with U_d ≤ U_d(anchor) + 1.
    radius_1kT : float
        Largest angular distance (rad) from the anchor to a cell of that 1-kT region.
    spacing : float
        Largest centre distance (rad) from the anchor to a face neighbour (local mesh size).
    refined : bool
        ``direction`` and ``energy`` are the minimum of the local cubic fit of U_d about the
        anchor (:func:`refine_minimum`), not the anchor cell's centre.
    anchor_direction : ndarray (3,) or None
        The anchor cell's centre where ``direction`` was refined.
    """

    cell: int
    direction: np.ndarray
    energy: float
    cells_within_1kT: int
    radius_1kT: float = 0.0
    spacing: float = 0.0
    refined: bool = False
    anchor_direction: np.ndarray | None = None


@dataclass
class EscapeResult:
    """λ₁, the escape rate out of each well and how they were obtained.

    Attributes
    ----------
    lambda1 : float
        Slowest non-zero relaxation rate (1/τ_N).
    wells : list of Well
    escape_rates : ndarray
        Escape rate out of each well (1/τ_N), same order as ``wells``.
    method : str
        ``"flux-over-population"`` (self-consistent, exact discrete λ₁) or ``"arpack"``.
    valid : bool
        Whether the method's validity checks passed for λ₁ and for every rate.
    rates_valid : bool
        Whether the per-well rates passed their checks (a valid λ₁ may come with invalid rates,
        e.g. without time-scale separation); invalid rates are NaN.
    reasons : list of str
        Why a check failed (empty when valid).
    checks : dict
        ``timescale_ratio`` (λ₁ τ_hit), ``min_committor``, ``iterations``, ``populations`` ...
    cells : int
    seconds : float
    """

    lambda1: float
    wells: list
    escape_rates: np.ndarray
    method: str
    valid: bool
    checks: dict = field(default_factory=dict)
    cells: int = 0
    seconds: float = 0.0
    rates_valid: bool = True
    reasons: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "lambda1_tauN": self.lambda1,
            "escape_rates_tauN": [
                {"direction": w.direction.tolist(), "rate": float(g), "energy_kT": w.energy}
                for w, g in zip(self.wells, self.escape_rates)
            ],
            "method": self.method,
            "valid": self.valid,
            "checks": self.checks,
            "cells": self.cells,
            "seconds": self.seconds,
        }


#: the reason text of a flux-over-population result without time-scale separation (a property of the
#: barrier, not of the mesh: callers that refine meshes stop on it)
NO_SEPARATION = "no time-scale separation"


def _neighbors(mesh):
    f = np.asarray(mesh.faces)
    n = mesh.n_cells
    adj = sp.coo_matrix((np.ones(2 * len(f)), (np.r_[f[:, 0], f[:, 1]], np.r_[f[:, 1], f[:, 0]])),
                        shape=(n, n)).tocsr()
    return adj


def tangent_basis(u):
    """An orthonormal basis (e1, e2) of the tangent plane at the unit vector u."""
    u = np.asarray(u, float)
    e1 = np.cross(u, [1.0, 0.0, 0.0] if abs(u[0]) < 0.9 else [0.0, 1.0, 0.0])
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(u, e1)


def _local_frame(mesh, adj, cell):
    """The anchor, its two rings of face neighbours and their gnomonic coordinates (x, y) in the
    tangent plane at the anchor's centre (orthonormal basis e1, e2)."""
    C = np.asarray(mesh.centers)
    ring1 = adj.indices[adj.indptr[cell]:adj.indptr[cell + 1]]
    ring2 = np.unique(np.concatenate([adj.indices[adj.indptr[k]:adj.indptr[k + 1]] for k in ring1]))
    idx = np.setdiff1d(np.union1d(ring1, ring2), [cell])
    c = C[cell]
    e1, e2 = tangent_basis(c)
    P = C[idx]
    dot = P @ c
    xy = np.column_stack([P @ e1 / dot, P @ e2 / dot])
    return idx, xy, c, e1, e2


def _cubic_design(xy):
    x, y = xy[:, 0], xy[:, 1]
    return np.column_stack([x, y, x * x, x * y, y * y, x ** 3, x * x * y, x * y * y, y ** 3])


def _cubic_grad_hess(c, p):
    """Gradient and Hessian at p = (x, y) of the cubic with coefficients c (of :func:`_cubic_design`)."""
    x, y = p
    g = np.array([c[0] + 2 * c[2] * x + c[3] * y + 3 * c[5] * x * x + 2 * c[6] * x * y + c[7] * y * y,
                  c[1] + c[3] * x + 2 * c[4] * y + c[6] * x * x + 2 * c[7] * x * y + 3 * c[8] * y * y])
    H = np.array([[2 * c[2] + 6 * c[5] * x + 2 * c[6] * y, c[3] + 2 * c[6] * x + 2 * c[7] * y],
                  [c[3] + 2 * c[6] * x + 2 * c[7] * y, 2 * c[4] + 2 * c[7] * x + 6 * c[8] * y]])
    return g, H


def refine_minimum(mesh, cell: int, Ud, fields=(), adj=None):
    """The minimum of U_d near an anchor cell, and other cell fields evaluated there.

    On each level the true minimum sits at a different offset (a fraction of the spacing) from the
    anchor cell's centre; values taken at the anchor then carry an O(h²) error whose coefficient
    changes irregularly from level to level (it spoils the per-well rates of oblique fields).  Here
    U_d and each field are fitted, over the anchor's two rings of neighbours in gnomonic tangent
    coordinates, by a cubic that interpolates the anchor value exactly (least squares, error
    O(h⁴)); the minimum x* of the U_d fit is found by Newton steps from the anchor, so that both
    the location (O(h³)) and the values read there add errors of higher order than the scheme's.

    Returns
    -------
    (direction, Ud_min, values) or None
        None where the fit has no minimum within one local spacing of the anchor, or the stencil is
        anisotropic (second moments differing by more than 4×, lat-long cells near a pole, where the
        fitted rates were measured to converge irregularly): the anchor is then the best estimate
        available.
    """
    if adj is None:
        adj = _neighbors(mesh)
    idx, xy, c, e1, e2 = _local_frame(mesh, adj, cell)
    if idx.size < 12:
        return None
    ev = np.linalg.eigvalsh(xy.T @ xy)
    if ev[0] * 4.0 < ev[1]:
        return None  # an anisotropic stencil (lat-long cells near a pole) does not determine the cubic
    A = _cubic_design(xy)
    Ud = np.asarray(Ud, float)
    coef = np.linalg.lstsq(A, Ud[idx] - Ud[cell], rcond=None)[0]
    spacing = float(np.max(np.hypot(xy[:, 0], xy[:, 1]))) / 2.0
    xs = np.zeros(2)
    for _ in range(8):
        g, H = _cubic_grad_hess(coef, xs)
        if np.any(np.linalg.eigvalsh(H) <= 0):
            return None
        step = np.linalg.solve(H, g)
        xs = xs - step
        if not np.all(np.isfinite(xs)) or np.hypot(*xs) > spacing:
            return None
        if np.hypot(*step) <= 1e-14 * spacing:
            break
    basis = _cubic_design(xs[None])[0]
    u_min = float(Ud[cell] + basis @ coef)
    values = []
    for f in fields:
        f = np.asarray(f, float)
        cf = np.linalg.lstsq(A, f[idx] - f[cell], rcond=None)[0]
        values.append(float(f[cell] + basis @ cf))
    d = c + xs[0] * e1 + xs[1] * e2
    return d / np.linalg.norm(d), u_min, values


def find_wells(gen, *, min_barrier: float = 1.0) -> list:
    """Local minima of U_d over face neighbours, deepest first (ties broken by cell index).

    A minimum is kept only if it is separated from every deeper kept well by a barrier of at
    least ``min_barrier`` kT (its own ``min_barrier`` flood region reaches no deeper anchor, and
    it lies in no deeper well's region): a ring of minima (an easy plane), rounding noise of a
    flat landscape or a sub-kT dimple count as one well.  Escape rates need at least two wells.
    """
    U = gen.Ud.cells
    f = np.asarray(gen.mesh.faces)
    is_min = np.ones(gen.n, bool)
    i, j = f[:, 0], f[:, 1]
    # ties (symmetric meshes give mirror cells with equal U) are broken by the cell index
    tie = np.abs(U[i] - U[j]) <= 1e-12 * (1 + np.abs(U[i]))
    is_min[i[(U[i] > U[j]) & ~tie]] = False
    is_min[j[(U[j] > U[i]) & ~tie]] = False
    is_min[np.maximum(i, j)[tie]] = False
    cells = np.flatnonzero(is_min)
    adj = _neighbors(gen.mesh)
    C = np.asarray(gen.mesh.centers)
    wells = []
    covered = np.zeros(gen.n, bool)
    for c in cells[np.argsort(U[cells], kind="stable")]:
        if covered[c]:
            continue
        region = _flood(adj, U, c, U[c] + min_barrier)
        if wells and np.any(np.isin([w.cell for w in wells], region)):
            continue
        covered[region] = True
        radius = float(np.max(np.arccos(np.clip(C[region] @ C[c], -1, 1))))
        nb = adj.indices[adj.indptr[c]:adj.indptr[c + 1]]
        dist_nb = np.arccos(np.clip(C[nb] @ C[c], -1, 1))
        spacing = float(np.max(dist_nb)) if nb.size else np.pi
        if len(region) == 1 and nb.size:
            # only the anchor lies within 1 kT: estimate the 1-kT radius of a quadratic well
            rise = U[nb] - U[c]
            radius = float(np.min(dist_nb / np.sqrt(rise)))
        wells.append(Well(int(c), np.array(C[c]), float(U[c]), len(region), radius, spacing))
    return wells


def _flood(adj, U, start, level, cap=100_000) -> np.ndarray:
    """Cells connected to ``start`` through cells with U ≤ level (breadth-first)."""
    seen = {int(start)}
    frontier = [int(start)]
    indptr, indices = adj.indptr, adj.indices
    while frontier and len(seen) < cap:
        nxt = []
        for c in frontier:
            for nb in indices[indptr[c]:indptr[c + 1]]:
                nb = int(nb)
                if nb not in seen and U[nb] <= level:
                    seen.add(nb)
                    nxt.append(nb)
        frontier = nxt
    return np.fromiter(seen, dtype=np.int64)


def check_resolution(wells, *, min_spacings: float = 2.0, mesh=None) -> None:
    """Raise :class:`ParameterError` when a well is narrower than a few cells.

    A well is resolved when the region within 1 kT of its minimum extends at least
    ``min_spacings`` local cell spacings from the anchor cell (its radius ~ 1/√σ must span a
    cell and its ring of neighbours, in every direction the mesh resolves).  The message names
    the mesh parameter (geodesic ``level``, else ``cells``) and a value that would work.
    """
    if getattr(mesh, "backend", None) == "orbit":
        # rings are level sets: the innermost lies 4ΔE/n² above the minimum (ΔE the well depth, n rings),
        # so a well is resolved in energy whatever the spacing of the cells around its cap
        return
    for w in wells:
        ratio = w.radius_1kT / max(w.spacing, 1e-300)
        if ratio >= min_spacings:
            continue
        levels_more = max(1, int(np.ceil(np.log2(min_spacings / max(ratio, 1e-3)))))
        where = np.round(w.direction, 3).tolist()
        detail = (f"the well at u = {where} is {ratio:.2f} cell spacings wide within 1 kT of its "
                  f"minimum, needs >= {min_spacings:g}")
        level = getattr(mesh, "level", None)
        if level is not None:
            raise ParameterError("level", level, f">= {level + levels_more} for this barrier", detail)
        n = getattr(mesh, "n_cells", None)
        raise ParameterError("cells", n, f">= {(n or 0) * 4 ** levels_more} for this barrier", detail)


def _cut_flux(Kcoo, inR, phi) -> float:
    r, c, v = Kcoo
    out_in = inR[r] & ~inR[c]   # K_ij φ_j with i ∈ R, j ∉ R
    in_out = ~inR[r] & inR[c]   # K_ji φ_i with j ∉ R, i ∈ R
    return float(np.sum(v[out_in] * phi[c[out_in]]) - np.sum(v[in_out] * phi[c[in_out]]))


_ORDERS: dict = {}


def _nested_dissection(adj, X: np.ndarray, leaf: int = 64) -> np.ndarray:
    """Fill-reducing elimination order of a mesh graph by geometric nested dissection.

    Cells (centres ``X``) are split at the median of their widest coordinate; the cells of the
    first half that touch the second half form the separator, ordered after both halves, which are
    split recursively.  For a 2D mesh this gives O(n log n) fill in the LU factors, against the
    O(n^1.2-1.5) of SuperLU's default column ordering on these meshes (measured: 4.5e6 vs 7.2e6
    factor entries at 40 962 cells, 2.1e7 vs 3.7e7 at 163 842; factorization 3-6x faster).
    """
    n = adj.shape[0]
    indptr, indices = adj.indptr, adj.indices
    in_second = np.zeros(n, bool)
    parts = []

    def split(idx):
        if idx.size <= leaf:
            parts.append(idx)
            return
        P = X[idx]
        ax = int(np.argmax(P.max(axis=0) - P.min(axis=0)))
        first = P[:, ax] <= np.median(P[:, ax])
        if first.all() or not first.any():
            parts.append(idx)
            return
        L, R = idx[first], idx[~first]
        in_second[R] = True
        counts = indptr[L + 1] - indptr[L]
        starts = np.repeat(indptr[L], counts)
        offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        owner = np.repeat(np.arange(L.size), counts)
        touch = np.zeros(L.size, bool)
        touch[owner[in_second[indices[starts + offs]]]] = True
        in_second[R] = False
        split(L[~touch])
        split(R)
        parts.append(L[touch])

    split(np.arange(n))
    return np.concatenate(parts)


def _fill_order(mesh):
    """Nested-dissection order of the cells of ``mesh`` (cached per mesh object), or the name of SuperLU's
    own column order (``permc_spec``) where the mesh asks for one (``mesh.fill_order``: the orbit-aligned
    mesh, whose thin rings the geometric bisection cuts badly)."""
    spec = getattr(mesh, "fill_order", None)
    if isinstance(spec, str):
        return spec
    key = id(mesh)
    hit = _ORDERS.get(key)
    if hit is not None and hit[0] is mesh:
        return hit[1]
    order = _nested_dissection(_neighbors(mesh), np.asarray(mesh.centers, dtype=float))
    if len(_ORDERS) > 16:
        _ORDERS.clear()
    _ORDERS[key] = (mesh, order)
    return order


#: SuperLU's diagonal pivoting threshold: a pivot is kept on the diagonal (the nested-dissection order)
#: unless it is below this fraction of its column's largest entry.  With the default 1.0 (partial
#: pivoting) the non-diagonally-dominant rows of an under-resolved precession (small α) pivot off the
#: order and the fill grows 5x (measured: level 6, σ = 10, h = 0.2, ψ = 45°, α = 0.01: 22.7M → 4.5M
#: nonzeros, 2.2 s → 0.22 s); 0.1 is the usual threshold-pivoting value (UMFPACK's default)
PIVOT_THRESHOLD = 0.1


def _pivot_threshold(mesh) -> float:
    """The mesh's own threshold (the orbit-aligned mesh, whose along-orbit rows are skew and need far less
    pivoting, sets 0.01) or :data:`PIVOT_THRESHOLD`."""
    return float(getattr(mesh, "pivot_threshold", PIVOT_THRESHOLD))


class _OrderedLU:
    """Sparse LU of ``M[p][:, p]`` with a given symmetric order ``p`` (SuperLU, threshold pivoting), or of
    ``M`` with SuperLU's own column order when ``p`` names one (a ``permc_spec``)."""

    def __init__(self, M, p, pivot: float = PIVOT_THRESHOLD):
        if isinstance(p, str):
            self.p = None
            self.lu = spla.splu(M.tocsc(), permc_spec=p, diag_pivot_thresh=pivot)
            return
        self.p = p
        self.lu = spla.splu(M.tocsr()[p][:, p].tocsc(), permc_spec="NATURAL", diag_pivot_thresh=pivot)

    def solve(self, b):
        if self.p is None:
            return self.lu.solve(b)
        x = np.empty_like(b)
        x[self.p] = self.lu.solve(b[self.p])
        return x


def _two_set_eigen(K, pi, A_set, B_set, *, tol, max_iter, order=None, row_scale=None, pivot=PIVOT_THRESHOLD):
    """Self-consistent flux-over-population for ``K φ = −λ π φ`` with anchors A_set, B_set.

    Returns ``(λ, r, checks, φ)``: φ (in the Boltzmann variable) is 1 on A_set and −r on B_set.

    ``row_scale`` (positive, e.g. e^{U_d} = 1/D) rescales the rows of every linear solve: with
    K = Q D the rows of D⁻¹K = D⁻¹QD differ only by e^{±ΔU} between neighbours, so the LU works on
    a well-scaled matrix whose solutions are O(1) committors.  Without it, tiny entries of K
    (e^{−σ} at the barrier) make the unscaled LU lose the barrier values whenever K is not an
    M-matrix (under-resolved precession at small α).  The scaling does not change the solution.
    """
    n = K.shape[0]
    anchors = np.zeros(n, bool)
    anchors[A_set] = True
    anchors[B_set] = True
    I = np.flatnonzero(~anchors)
    K = K.tocsr()
    S = np.ones(I.size) if row_scale is None else np.asarray(row_scale, dtype=float)[I]
    KI = sp.diags(S) @ K[I]
    KII = KI[:, I].tocsc()
    KIA = np.asarray(KI[:, A_set].sum(axis=1)).ravel()
    KIB = np.asarray(KI[:, B_set].sum(axis=1)).ravel()
    Kc = K.tocoo()
    Kcoo = (Kc.row, Kc.col, Kc.data)
    hist = []
    diagI = np.abs(KII.diagonal())
    if order is None:
        lu0 = spla.splu((-KII).tocsc())
        factor = lambda M: spla.splu(M.tocsc())  # noqa: E731
    elif isinstance(order, str):  # SuperLU's own column order (orbit-aligned meshes)
        factor = lambda M: _OrderedLU(M, order, pivot)  # noqa: E731
        lu0 = factor(-KII)
    else:
        # the cells' nested-dissection order restricted to I (anchors dropped)
        pos = np.full(n, -1)
        pos[I] = np.arange(I.size)
        pI = pos[np.asarray(order)]
        pI = pI[pI >= 0]
        factor = lambda M: _OrderedLU(M, pI, pivot)  # noqa: E731
        lu0 = factor(-KII)
    piI = S * pi[I]
    # M(λ)⁻¹ = Σ_k (λ M₀⁻¹Π)^k M₀⁻¹ with all terms ≥ 0 (M₀ = −K_II an M-matrix, Π = diag π_I ≥ 0);
    # the ∞-norm contraction is λ max(M₀⁻¹π_I) = λ max τ: when it is small, a few solves with
    # the λ = 0 factors reach the solution to rounding (no second factorization)
    tau = lu0.solve(piI)
    tau_max = float(np.max(tau)) if tau.size else 0.0

    cache = {"lam": 0.0, "lu": lu0}

    def solve(lam, rhs):
        """Solve M(λ) x = rhs; refactor only when λπ changes M above rounding (at high barriers
        it never does, so one LU serves every iteration); below a contraction of 1e-3 iterate
        x ← M₀⁻¹(rhs + λ π_I x) (like-signed terms) on the λ = 0 factors instead (≤ 6 solves)."""
        if abs(lam) * tau_max < 1e-3 and np.max(abs(lam - cache["lam"]) * piI / diagI) > 1e-17:
            x = lu0.solve(rhs)
            for _ in range(60):
                x_new = lu0.solve(rhs + lam * piI * x)
                done = np.max(np.abs(x_new - x)) <= 1e-15 * np.max(np.abs(x_new))
                x = x_new
                if done:
                    return x
        if np.max(abs(lam - cache["lam"]) * piI / diagI) > 1e-17:
            cache["lu"] = factor(-(KII + sp.diags(lam * piI)))
            cache["lam"] = lam
        return cache["lu"].solve(rhs)

    def F(lam):
        """λ implied by the flux balance of R when M is built with ``lam`` (fixed point = λ₁)."""
        ua = np.zeros(n); ub = np.zeros(n)
        ua[A_set] = 1.0; ub[B_set] = 1.0
        ua[I] = solve(lam, KIA)
        ub[I] = solve(lam, KIB)
        r = float(np.dot(pi, ua) / np.dot(pi, ub))
        phi = ua - r * ub
        inR = ua >= ub
        lam_new = -_cut_flux(Kcoo, inR, phi) / float(np.dot(pi[inR], phi[inR]))
        if not np.isfinite(lam_new):
            raise FloatingPointError("flux-over-population produced a non-finite rate")
        return lam_new, r, min(ua.min(), ub.min()), _overshoot(phi, 1.0, r), phi

    # fixed-point steps, then secant on g(λ) = F(λ) − λ (robust when λ τ_hit is not tiny)
    lam0 = 0.0
    f0, r, umin, over, phi = F(lam0)
    hist.append(f0)
    lam1 = f0
    converged = False
    it = 1
    while it < max_iter:
        it += 1
        f1, r, umin, over, phi = F(lam1)
        hist.append(f1)
        if abs(f1 - lam1) <= tol * abs(f1):
            lam1 = f1
            converged = True
            break
        if it >= 6 and abs(lam1) * tau_max > 1.0 and abs(f1) * tau_max > 1.0:
            break  # far outside the M-matrix regime after several steps: the result would be refused
        g0, g1 = f0 - lam0, f1 - lam1
        lam_next = f1 if g1 == g0 else lam1 - g1 * (lam1 - lam0) / (g1 - g0)
        lam0, f0, lam1 = lam1, f1, lam_next
    lam = lam1
    noise = None
    if not converged and len(hist) >= 6:
        # stagnation at the rounding level of the solves: at small α the precession fluxes (~1/α) make the
        # flux balance noisy in its 11th digit (measured: a film at α = 1e-4 with spin transfer wandered by
        # 3.6e-11 for ten iterations without a trend), far below tol·|λ| of any requested accuracy but
        # above the 1e-13 default; accept the median of the last five when they agree to 1e-8
        last = np.asarray(hist[-5:])
        spread = float((last.max() - last.min()) / max(abs(float(np.median(last))), 1e-300))
        if spread <= 1e-8:
            lam, converged, noise = float(np.median(last)), True, spread
    # mean time to reach an anchor (validity of the time-scale separation)
    tau_mean = float(np.dot(pi[I], tau) / pi.sum())  # τ solves the (row-scaled) M₀ τ = π_I
    checks = {
        "iterations": it,
        "converged": converged,
        "lambda_noise": noise,
        "history": hist,
        "r": r,
        "min_committor": float(umin),
        "plateau_overshoot": float(over),
        "tau_hit": tau_mean,
        "timescale_ratio": lam * tau_mean,
        "contraction": lam * tau_max,
        "min_offdiagonal_ratio": _min_offdiag_ratio(K),
    }
    return lam, r, checks, phi


def _overshoot(phi, top, r) -> float:
    """How far the eigenvector (in the Boltzmann variable) leaves [−r, 1], its plateau values at
    the two anchors, relative to each plateau.  The continuum eigenfunction stays within them up
    to O(λ₁ τ_hit); an under-resolved precession (central fluxes at cell Péclet ≫ 1) makes the
    discrete one oscillate, which destroys the smaller plateau and with it the per-well split."""
    if not (r > 0):
        return float("inf")
    return float(max((np.max(phi) - top) / abs(top), (-r - np.min(phi)) / r, 0.0))


def _min_offdiag_ratio(K) -> float:
    """min over off-diagonal entries of K_ij / |K_jj| (≥ 0 for an M-matrix pattern)."""
    Kc = K.tocoo()
    off = Kc.row != Kc.col
    diag = np.abs(K.diagonal())
    vals = Kc.data[off] / np.maximum(diag[Kc.col[off]], 1e-300)
    return float(vals.min()) if vals.size else 0.0


def escape_rates(gen, *, wells=None, tol: float = 1e-13, max_iter: int = 15, fallback: bool = True,
                 min_spacings: float = 2.0, validity: float = 0.5) -> EscapeResult:
    r"""λ₁ and the escape rate out of each well of a (generalized) Brown operator.

    Per-well rates are the two-state reduction of the slowest mode: with the eigenvector φ₁ (in
    the Boltzmann variable) taking the plateau values 1 in well A and −r in well B,
    ``Γ_A = λ₁/(1+r)`` and ``Γ_B = λ₁ r/(1+r)`` (the definition of
    :meth:`AxialProblem.escape_rates`).  The plateau values are read at each well's minimum, located
    and evaluated by a local quadratic fit about the anchor cell (:func:`refine_minimum`); reading
    them at the anchor cell instead makes the rate of an off-centre (oblique-field) well converge
    irregularly, because the anchor's offset from the minimum changes from level to level.  The
    returned wells carry the refined minimum (``Well.refined``).

    Every result passes a check that would catch it, whatever method produced it:

    * flux over population: convergence of the λ iteration, time-scale separation
      (λ₁ max τ < 0.9 on an M-matrix, else λ₁ τ_hit < ``validity``), committors ≥ −1e-3 (monotone
      solves), λ₁ > 0, r > 0 and, where e^{−U_d} is stationary (no spin-transfer flow, so that a
      maximum principle holds), the eigenvector within its plateau values;
    * the Arnoldi fallback: the residual ‖Qv + λ₁Av‖ ≤ 1e-6 λ₁‖Av‖ of the returned eigenpair,
      λ₁ above ARPACK's resolution, and for the rates a gap λ₂ ≥ 4 λ₁ and plateau values of
      opposite sign at the two anchors.

    A failed check makes ``valid`` false (and the rates NaN when they fail), with the reason in
    ``reasons``; nothing invalid is ever reported as valid.

    Parameters
    ----------
    gen : Generator
        From :func:`~thermokinetic.fokker_planck.generator.assemble`.
    wells : list of Well, optional
        Default: the local minima of U_d (:func:`find_wells`).  Exactly two wells give the exact
        discrete λ₁; with more, the escape rate of each well against all others is computed by
        the same flux-over-population construction and λ₁ is reported only if ARPACK can resolve it.
    tol : float
        Relative tolerance of the self-consistent iteration in λ.
    fallback : bool
        Use shift-invert Arnoldi when the flux-over-population checks fail (low barriers,
        under-resolved precession).
    min_spacings : float
        Resolution requirement of each well (see :func:`check_resolution`).
    validity : float
        Largest accepted time-scale ratio λ₁ τ_hit where K is not an M-matrix (on an M-matrix the
        rigorous contraction λ₁ max τ < 0.9 is used instead).

    Returns
    -------
    EscapeResult
    """
    t0 = time.perf_counter()
    if wells is None:
        wells = find_wells(gen)
    if len(wells) < 2:
        raise ParameterError("energy", f"{len(wells)} well(s)", "a potential with at least two wells "
                             "separated by >= 1 kT (raise sigma, lower the field below the switching field)")
    check_resolution(wells, min_spacings=min_spacings, mesh=gen.mesh)
    D, K = gen.scaled()
    pi = gen.areas * D
    order = _fill_order(gen.mesh)
    rates = np.zeros(len(wells))
    checks = {}
    lam1 = float("nan")
    valid = True
    reasons: list = []
    m_matrix = _min_offdiag_ratio(K) >= 0.0
    # zero row sums of K = Q e^{−U_d} ⟺ e^{−U_d} is stationary (no spin-transfer flow): only then is the
    # eigenvector in the Boltzmann variable bounded by its plateau values (maximum principle).  Each row
    # against its own diagonal: against the largest diagonal (the smallest cells) a field-like torque on
    # the orbit-aligned mesh passed for equilibrium (σ = 6, σ_p = 12, Φ = 2 u_z, level 4: 8e-10 globally,
    # 4e-3 row-wise; rounding without spin transfer ≤ 1e-12 row-wise at α = 1e-4)
    equilibrium = bool(np.max(np.abs(K @ np.ones(gen.n)) / np.maximum(np.abs(K.diagonal()), 1e-300)) <= 1e-9)

    def overshoot_ok(over, ratio):
        return (not equilibrium) or over <= _overshoot_tol(ratio)

    def solve_pair(A_set, B_set):
        """On an M-matrix K the unscaled solves are like-signed and keep tiny committors relatively
        accurate (the population ratio r needs them when one well is much less populated).  Where
        the precession is under-resolved (K not an M-matrix) the row-scaled solves keep the O(1)
        barrier values accurate (and pivot far less): they go first, the other is the retry."""
        out = (float("nan"), float("nan"), {"converged": False, "error": "no attempt"}, False, None)
        for scale in ((None,) if m_matrix else (1.0 / D, None)):
            try:
                lam, r, ch, phi = _two_set_eigen(K, pi, A_set, B_set, tol=tol, max_iter=max_iter, order=order,
                                                 row_scale=scale, pivot=_pivot_threshold(gen.mesh))
            except (RuntimeError, FloatingPointError) as exc:  # e.g. an exactly singular factor
                out = (float("nan"), float("nan"), {"converged": False, "error": str(exc),
                                                    "row_scaled": scale is not None}, False, None)
                continue
            ch["row_scaled"] = scale is not None
            ch["equilibrium"] = equilibrium
            # on an M-matrix K, λ max τ < 1 makes M(λ) = M₀ − λΠ a non-singular M-matrix (its Neumann
            # series converges): the committors are like-signed and the fixed point is the two-plateau
            # eigenpair, λ₁, however weak the time-scale separation; otherwise require the separation
            separated = ch["contraction"] < 0.9 if m_matrix else ch["timescale_ratio"] < validity
            ch["separated"] = bool(separated)
            ok = (ch["converged"] and separated and ch["min_committor"] > -1e-3
                  and lam > 0 and r > 0 and overshoot_ok(ch["plateau_overshoot"], ch["timescale_ratio"]))
            out = (lam, r, ch, ok, phi)
            if ok or not separated:  # no time-scale separation: scaling cannot help
                break
        return out

    adj = _neighbors(gen.mesh)
    fits = [refine_minimum(gen.mesh, w.cell, gen.Ud.cells, adj=adj) for w in wells]
    refined = [w if f is None else replace(w, direction=f[0], energy=f[1], refined=True,
                                           anchor_direction=w.direction)
               for w, f in zip(wells, fits)]

    def plateau_ratio(phi, r):
        """r = −φ(B)/φ(A) with φ evaluated at the refined minima of the two wells (at the anchors where
        the fit failed): the plateau values of the slowest eigenfunction, as in the 1D reduction."""
        vals = []
        for w in wells[:2]:
            f = refine_minimum(gen.mesh, w.cell, gen.Ud.cells, fields=(phi,), adj=adj)
            vals.append(phi[w.cell] if f is None else f[2][0])
        return -vals[1] / vals[0] if vals[0] != 0 else r

    if len(wells) == 2:
        lam, r, checks, valid, phi = solve_pair([wells[0].cell], [wells[1].cell])
        lam1 = lam
        if phi is not None and np.all(np.isfinite(phi)):
            checks["r_anchor"] = r
            r = plateau_ratio(phi, r)
        rates[:] = [lam / (1 + r), lam * r / (1 + r)]
        method = "flux-over-population"
    else:
        method = "flux-over-population (one well against the rest)"
        per = []
        for k, w in enumerate(wells):
            others = [o.cell for o in wells if o.cell != w.cell]
            lam, r, ch, ok, _ = solve_pair([w.cell], others)
            rates[k] = lam / (1 + r)
            per.append(ch)
            valid &= ok
        checks = {"per_well": per}
        try:
            lam1, _, _ = relaxation_rate(gen)
        except ParameterError:  # λ₁ not resolvable by ARPACK: leave undefined
            lam1 = float("nan")
    if not valid:
        reasons.append("flux-over-population checks failed (" + _describe_failure(checks, validity) + ")")
    rates_valid = bool(valid)
    if not valid and fallback:
        lam1, vals, vec = relaxation_rate(gen)  # raises a ParameterError where ARPACK cannot resolve it
        lam2 = float(vals[1]) if len(vals) > 1 else float("inf")  # next resolved rate above λ₁
        checks = {**checks, "fallback_from": method, "arpack_lambda2": lam2}
        method = "arpack"
        valid, reasons = True, []
        phi = np.real(vec) / D  # eigenvector in the Boltzmann variable (O(1) at both anchors)
        if len(wells) == 2:
            pa, pb = phi[wells[0].cell], phi[wells[1].cell]
            r = plateau_ratio(phi, -pb / pa) if pa != 0 else float("nan")
            gap = lam2 / lam1
            over = _overshoot(phi / pa, 1.0, r) if pa != 0 else float("inf")
            checks.update(arpack_gap=gap, plateau_overshoot=over)
            if gap >= 4.0 and r > 0 and overshoot_ok(over, 1.0 / gap):
                rates[:] = [lam1 / (1 + r), lam1 * r / (1 + r)]
                rates_valid = True
            else:
                rates[:] = np.nan
                rates_valid = False
                reasons.append(f"per-well rates not resolved (lambda2/lambda1 = {gap:.3g}, plateau ratio "
                               f"{r:.3g}, eigenvector overshoot {over:.2g}: precession under-resolved or no "
                               "two-state separation)")
        else:
            rates[:] = np.nan
            rates_valid = False
            reasons.append("per-well rates of more than two wells need flux over population")
    elif not valid:
        rates_valid = False
    if not np.isfinite(lam1) and len(wells) == 2:
        raise FloatingPointError("escape-rate computation returned a non-finite λ₁")
    return EscapeResult(float(lam1), refined, rates, method, bool(valid and rates_valid), checks, gen.n,
                        time.perf_counter() - t0, rates_valid=rates_valid, reasons=reasons)


def _overshoot_tol(timescale_ratio: float) -> float:
    """Accepted plateau overshoot: 1e-3 plus twice the O(λ₁ τ) variation of the exact eigenfunction."""
    return 1e-3 + 2.0 * abs(timescale_ratio)


def _describe_failure(ch: dict, validity: float) -> str:
    if "per_well" in ch:
        return "; ".join(_describe_failure(c, validity) for c in ch["per_well"])
    if "error" in ch:
        return f"linear solve failed: {ch['error']}"
    parts = []
    if not ch.get("converged", True):
        parts.append(f"lambda iteration not converged in {ch.get('iterations')} steps")
    if not ch.get("separated", True):
        parts.append(f"{NO_SEPARATION} (lambda1 tau_hit = {ch['timescale_ratio']:.2g}, "
                     f"lambda1 max tau = {ch.get('contraction', float('nan')):.2g})")
    if ch.get("plateau_overshoot", 0.0) > _overshoot_tol(ch.get("timescale_ratio", 0.0)) and ch.get("equilibrium", True):
        parts.append(f"eigenvector leaves its plateaus by {ch['plateau_overshoot']:.2g} (precession under-resolved)")
    if ch.get("min_committor", 0.0) <= -1e-3:
        parts.append(f"committor undershoot {ch['min_committor']:.2g} (precession under-resolved, or lambda beyond the Dirichlet spectrum)")
    if not (ch.get("r", 1.0) > 0):
        parts.append("non-positive population ratio")
    return ", ".join(parts) or "non-positive lambda1"


def relaxation_rate(gen, *, residual_tol: float = 1e-6):
    """λ₁ by shift-invert Arnoldi, checked by the residual of each returned eigenpair.

    Returns ``(λ₁, rates, vector)``: λ₁, the slowest rates found (ascending real part, spurious
    pairs removed) and the eigenvector of λ₁.  ARPACK runs on one BLAS thread with a fixed start
    vector, so the result does not depend on the machine's thread count.  Every returned pair is
    checked by its relative residual ‖Qv + λAv‖ / (|λ| ‖Av‖); pairs that fail (spurious copies of
    the zero mode, unconverged Ritz values) are dropped, and λ₁ is the slowest non-zero rate that
    passes.  Raises :class:`ParameterError` (naming the mesh parameter) when none passes, when λ₁
    is below ARPACK's resolution (λ₁ ≲ 1e-10 ‖A⁻¹Q‖, DESIGN §3) or complex.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        vals, vecs = _arpack_rates(gen, 4, vectors=True)
    scale = float(np.max(np.abs(gen.Q.diagonal()) / gen.areas))
    level = getattr(gen.mesh, "level", None)
    name, value = ("level", level) if level is not None else ("cells", gen.n)
    good, best_res = [], np.inf
    vals_c = np.asarray(vals, dtype=complex)
    if np.count_nonzero(np.abs(vals_c) <= 1e-10 * scale) > 1:
        # besides the stationary mode another rate is below Arnoldi's resolution (an escape rate at a
        # high barrier): the next one found would be an intrawell mode, not λ₁
        level = getattr(gen.mesh, "level", None)
        name, value = ("level", level) if level is not None else ("cells", gen.n)
        raise ParameterError(name, value, "fine enough to resolve the precession at this damping",
                             f"alpha={gen.alpha:g}: flux over population failed its checks and lambda_1 is below "
                             "the resolution of shift-invert Arnoldi (high barrier)")
    for lam, v in zip(vals_c, np.asarray(vecs).T):
        if not lam.real > 1e-10 * scale:  # the stationary mode
            continue
        Av = gen.areas * v
        res = float(np.linalg.norm(gen.Q @ v + lam * Av) / (abs(lam) * np.linalg.norm(Av)))
        best_res = min(best_res, res)
        if res <= residual_tol:
            good.append((lam, v))
    if good and abs(good[0][0].imag) > 1e-8 * abs(good[0][0].real):
        # a damped precession (one deep well in a strong field, λ = Γ ± iω): shift-invert Arnoldi orders
        # the modes by |λ|, not by Re λ, so a slower pair of high frequency may be missed (measured:
        # σ = 8, h = 5, α = 0.1 gave 63.5 against the linearization's Γ = σ(1 + h) = 48)
        raise ParameterError("energy", "one well", "a landscape whose slowest mode is not a damped precession",
                             f"alpha={gen.alpha:g}: the slowest mode found is complex (rate {good[0][0].real:.4g} "
                             f"+- {abs(good[0][0].imag):.4g}i per tau_N): one well whose relaxation is a damped "
                             "precession; its rate is Re of the linearized LLG eigenvalue (thermokinetic.llg.fmr)")
    if not good:
        raise ParameterError(
            name, value, "fine enough to resolve the precession at this damping",
            f"alpha={gen.alpha:g}: the flux-over-population solve lost positivity and shift-invert "
            f"Arnoldi cannot resolve lambda_1 (best relative residual {best_res:.1e}); refine the "
            "mesh (cell Peclet |grad U| h / 2 alpha <~ 1) or use --method axial for axial problems")
    lam1, v = good[0]
    rates = np.array([float(lam.real) for lam, _ in good])
    return float(lam1.real), rates, v


def _arpack_rates(gen, k, vectors=False, shift=0.1):
    """Shift-invert Arnoldi for ``Q v = −λ A v`` with the nested-dissection LU of ``Q + shift·A``
    (the same fill-reducing order as the flux-over-population solves; 3-6x less fill than COLAMD)."""
    n = gen.n
    lu = _OrderedLU((gen.Q + shift * sp.diags(gen.areas)).tocsr(), _fill_order(gen.mesh), _pivot_threshold(gen.mesh))
    # eigs(Q, M=A, sigma=−shift) needs OPinv = (Q − σA)⁻¹ = (Q + shift A)⁻¹
    op = spla.LinearOperator((n, n), matvec=lambda x: lu.solve(np.asarray(x, dtype=float).ravel())
                             if np.isrealobj(x) else lu.solve(np.real(x).ravel()) + 1j * lu.solve(np.imag(x).ravel()),
                             dtype=float)
    v0 = np.linspace(1.0, 2.0, n)  # fixed start vector: deterministic results
    vals, vecs = spla.eigs(gen.Q.tocsc(), k=k, M=sp.diags(gen.areas).tocsc(), sigma=-shift, which="LM", v0=v0,
                           OPinv=op)
    rates = -vals
    order = np.argsort(rates.real)
    rates, vecs = rates[order], vecs[:, order]
    if np.max(np.abs(rates.imag)) < 1e-9 * max(1.0, np.max(np.abs(rates.real))):
        rates = rates.real
    return (rates, vecs) if vectors else rates


def switching_probability(gen, times, *, start: int = 0, wells=None, initial: str = "well",
                          rtol: float = 1e-8):
    r"""Probability P(t) that the magnetization, prepared in well ``start``, is found switched.

    "Switched" means: in the basin of another well, the basins being separated by the
    committor-½ surface (cells more likely to reach another well's minimum first).  The full
    dynamics is integrated (returns included), so P(t) is what a pulse-and-read experiment
    measures.  Initial state: the Boltzmann density of the start basin (``initial="well"``) or all
    mass in the anchor cell (``initial="minimum"``).  For two wells at high barriers, after the
    intra-well transient, P(t) = P_∞ (1 − e^{−λ₁ t}) with P_∞ Γ-weighted: P(t) ≈ Γ_start·t for
    λ₁ t ≪ 1.  Adaptive stiff integration (BDF), so t may span many escape times.

    Returns
    -------
    ndarray
        P(t) at ``times``.
    """
    from scipy.integrate import solve_ivp

    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) < 0) or times[0] < 0:
        raise ParameterError("times", times, "a non-decreasing 1D array of times >= 0")
    if wells is None:
        wells = find_wells(gen)
    if len(wells) < 2:
        raise ParameterError("energy", f"{len(wells)} well(s)", "a potential with at least two wells")
    if not (0 <= start < len(wells)):
        raise ParameterError("start", start, f"a well index in [0, {len(wells) - 1}]")
    D, K = gen.scaled()
    a = wells[start].cell
    others = [w.cell for w in wells if w.cell != a]
    n = gen.n
    anchors = np.zeros(n, bool); anchors[[a] + others] = True
    I = np.flatnonzero(~anchors)
    lu = spla.splu((-K[I][:, I]).tocsc())
    ub = np.zeros(n); ub[others] = 1.0
    ub[I] = lu.solve(np.asarray(K[I][:, others].sum(axis=1)).ravel())
    home = ub < 0.5
    if initial == "well":
        rho0 = np.where(home, D, 0.0)
    elif initial == "minimum":
        rho0 = np.zeros(n); rho0[a] = 1.0
    else:
        raise ParameterError("initial", initial, "one of ['well', 'minimum']")
    rho0 = rho0 / np.dot(gen.areas, rho0)
    J = (sp.diags(1.0 / gen.areas) @ gen.Q).tocsr()
    t_end = max(float(times[-1]), 1e-300)
    sol = solve_ivp(lambda t, y: J @ y, (0.0, t_end), rho0, method="BDF", jac=J, t_eval=times,
                    rtol=rtol, atol=1e-14)
    if not sol.success:
        raise FloatingPointError(f"switching-probability integration failed: {sol.message}")
    away = ~home
    return gen.areas[away] @ sol.y[away]


def mean_first_passage_time(gen, absorbing, start=None):
    r"""Mean first-passage time τ(u) to an absorbing region (backward equation).

    With ``A dρ/dt = Qρ`` the backward generator acting on cell values is ``A⁻¹Qᵀ``, so
    ``(Qᵀ τ)_i = −A_i`` on the free cells and ``τ = 0`` on the absorbing ones.  The region is a
    set of whole cells, so a smooth absorbing surface is represented to O(h) (staircase):
    extrapolate in h with order 1 (:func:`richardson` with ``order=1``) when comparing with an
    exact cut.  Fine for low and moderate barriers; at high barriers use :func:`escape_rates`.

    Parameters
    ----------
    gen : Generator
    absorbing : callable or bool array
        ``absorbing(u) -> bool`` for cell centres (e.g. ``lambda u: u[:, 2] <= 0``) or a mask.
    start : array_like (3,), optional
        Start direction; if given, the value in the cell containing it is returned, else the
        whole field τ (0 on absorbing cells).
    """
    C = gen.mesh.centers
    mask = np.asarray(absorbing(C) if callable(absorbing) else absorbing, dtype=bool)
    if mask.shape != (gen.n,) or not mask.any() or mask.all():
        raise ParameterError("absorbing", "mask", "a region containing some, but not all, cells")
    free = np.flatnonzero(~mask)
    QT = gen.Q.T.tocsr()
    tau = np.zeros(gen.n)
    tau[free] = spla.spsolve(QT[free][:, free].tocsc(), -gen.areas[free])
    if not np.all(np.isfinite(tau)):
        raise FloatingPointError("mean-first-passage solve produced non-finite values")
    if start is None:
        return tau
    u0 = np.asarray(start, dtype=float)
    u0 = u0 / np.linalg.norm(u0)
    cell = int(gen.mesh.locate(u0[None])[0])
    return float(tau[cell])
