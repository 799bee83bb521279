r"""Lat-long finite-volume mesh of Σ and an independent FiPy assembly of Brown's equation.

The sphere is parametrized by φ ∈ [0, 2π) (periodic) and x = cos θ ∈ [−1, 1].  In these
coordinates the metric is ds² = dx²/(1 − x²) + (1 − x²) dφ², so the area element is exactly
dA = dφ dx, the surface divergence of a tangent field with contravariant components (J^φ, J^x)
is ∂_φ J^φ + ∂_x J^x, and the surface gradient is (∂_φ f/(1 − x²), (1 − x²) ∂_x f): a flat
2D problem with the diffusion tensor diag(1/(1 − x²), 1 − x²).  This is why FiPy works on it
(FiPy cannot solve on a surface embedded in 3D, see DESIGN §3).

Cells are the rectangles [φ_k, φ_{k+1}] × [x_r, x_{r+1}], ring r = 0 at the south pole (x = −1)
up to r = n_theta − 1 at the north pole, cell index r·n_phi + k (FiPy's ordering).  The two
pole rings are wedges whose pole "face" has zero length; it is omitted from ``faces``.

Geometry conventions of :class:`LatLongMesh` (the :class:`~.mesh.SphereMesh` interface):

* generator of a cell: (φ_c, θ_c) with φ_c and θ_c the midpoints of the cell's φ and θ ranges;
* ``areas`` = Δφ·Δx exactly;
* a face along a meridian (between φ-neighbours) has length Δθ_r (the ring's θ-width) and
  distance sin θ_c Δφ; a face along a parallel x_r has length sqrt(1 − x_r²) Δφ and distance
  the θ-difference of the two ring centres;
* vertices: the grid nodes (φ_k, x_r), r = 1…n_theta − 1, plus the two poles.

Units: unit sphere (lengths in rad, areas in sr); time in the FiPy operator in units of τ_N.
"""
from __future__ import annotations

import os

import numpy as np
import scipy.sparse as sp

from ..errors import ParameterError, check_choice, check_positive
from .mesh import SphereMesh, _check_directions, directions_to_spherical, spherical_to_directions

__all__ = ["LatLongMesh", "latlong_mesh", "ring_edges", "band_edges", "band_beta", "band_mesh", "fipy_brown_operator", "REFINE_CHOICES"]

REFINE_CHOICES = ("uniform", "poles")
POLE_REFINEMENT = 0.5  # a in θ(s) = π[s − a sin(2πs)/(2π)]: rings 3× thinner at the poles


def ring_edges(n_theta: int, refine: str = "uniform") -> np.ndarray:
    """Ring boundaries θ_r (r = 0 … n_theta), decreasing from π (south pole) to 0 (north pole).

    ``refine="uniform"``: equal Δθ = π/n_theta.  ``refine="poles"``: θ = π − π[s − a sin(2πs)/(2π)],
    s = r/n_theta, a = 0.5, so Δθ is (1 − a)/(1 + a) = 1/3 of the equatorial one at the poles.
    """
    s = np.arange(n_theta + 1) / n_theta
    if refine == "uniform":
        t = np.pi * s
    else:
        t = np.pi * (s - POLE_REFINEMENT * np.sin(2 * np.pi * s) / (2 * np.pi))
    t[0], t[-1] = 0.0, np.pi
    return np.pi - t


def _eph(phi):
    return np.stack([-np.sin(phi), np.cos(phi), np.zeros_like(phi)], axis=-1)


def _eth(theta, phi):
    return np.stack([np.cos(theta) * np.cos(phi), np.cos(theta) * np.sin(phi), -np.sin(theta)], axis=-1)


class LatLongMesh(SphereMesh):
    """Lat-long mesh in (φ, x = cos θ); see the module docstring for the geometry.

    Extra attributes: ``n_theta``, ``n_phi``, ``refine``, ``theta_edges`` (n_theta + 1,),
    ``x_edges``, ``theta_centers`` (n_theta,), ``dphi``, and ``fipy_mesh`` (a
    ``fipy.PeriodicGrid2DLeftRight`` in (φ, x), or None when built with ``fipy=False``).

    Interpolation is bilinear in (φ, θ) between cell generators; between the pole and the first
    ring of generators the pole value is the ring average (second order for smooth fields).
    """

    def __init__(self, n_theta: int, n_phi: int, refine: str, fipy: bool, *, theta_edges=None,
                 phi0: float = 0.0, rotation=None):
        self.n_theta, self.n_phi, self.refine = n_theta, n_phi, refine
        th = ring_edges(n_theta, refine) if theta_edges is None else np.asarray(theta_edges, float)
        # phi0: the cells' φ ranges start at phi0; rotation R: world = R · (mesh frame)
        self.phi0 = float(phi0)
        self.rotation = None if rotation is None else np.asarray(rotation, float)
        x = np.cos(th)
        x[0], x[-1] = -1.0, 1.0
        thc = 0.5 * (th[:-1] + th[1:])
        dphi = 2 * np.pi / n_phi
        self.theta_edges, self.x_edges, self.theta_centers, self.dphi = th, x, thc, dphi
        nr, nk = n_theta, n_phi
        r = np.repeat(np.arange(nr), nk)
        k = np.tile(np.arange(nk), nr)
        phic = (k + 0.5) * dphi + self.phi0
        centers = spherical_to_directions(thc[r], phic)
        areas = dphi * (x[r + 1] - x[r])
        # vertices: south pole, interior ring nodes, north pole
        nv = nk * (nr - 1) + 2
        rr = np.repeat(np.arange(1, nr), nk)
        kk = np.tile(np.arange(nk), nr - 1)
        verts = np.concatenate(
            [[[0.0, 0.0, -1.0]], spherical_to_directions(th[rr], kk * dphi + self.phi0), [[0.0, 0.0, 1.0]]]
        )

        def vid(rv, kv):
            rv = np.asarray(rv)
            out = 1 + (rv - 1) * nk + np.mod(kv, nk)
            return np.where(rv == 0, 0, np.where(rv == nr, nv - 1, out))

        def cid(rv, kv):
            return np.asarray(rv) * nk + np.mod(kv, nk)

        # meridian faces between (r, k) and (r, k+1) at φ_{k+1}
        fi_m, fj_m = cid(r, k), cid(r, k + 1)
        len_m = th[r] - th[r + 1]
        dist_m = np.sin(thc[r]) * dphi
        mid_m = spherical_to_directions(thc[r], (k + 1) * dphi + self.phi0)
        nrm_m = _eph((k + 1) * dphi + self.phi0)
        fv_m = np.stack([vid(r, k + 1), vid(r + 1, k + 1)], axis=1)
        # parallel faces between (r, k) and (r+1, k) at x_{r+1}, r < nr - 1
        rp = np.repeat(np.arange(nr - 1), nk)
        kp = np.tile(np.arange(nk), nr - 1)
        fi_p, fj_p = cid(rp, kp), cid(rp + 1, kp)
        len_p = np.sin(th[rp + 1]) * dphi
        dist_p = thc[rp] - thc[rp + 1]
        mid_p = spherical_to_directions(th[rp + 1], (kp + 0.5) * dphi + self.phi0)
        nrm_p = -_eth(th[rp + 1], (kp + 0.5) * dphi + self.phi0)
        fv_p = np.stack([vid(rp + 1, kp), vid(rp + 1, kp + 1)], axis=1)
        fi = np.concatenate([fi_m, fi_p])
        fj = np.concatenate([fj_m, fj_p])
        nrm = np.concatenate([nrm_m, nrm_p])
        swap = fi > fj
        fi, fj = np.where(swap, fj, fi), np.where(swap, fi, fj)
        nrm[swap] *= -1
        # cell polygons, counter-clockwise seen from outside (φ increases east, x north)
        quad = np.stack([vid(r, k), vid(r, k + 1), vid(r + 1, k + 1), vid(r + 1, k)], axis=1)
        keep = np.ones(quad.shape, dtype=bool)
        keep[r == 0, 1] = False  # south pole repeated
        keep[r == nr - 1, 3] = False  # north pole repeated
        cv_idx = quad[keep]
        cv_off = np.concatenate([[0], np.cumsum(keep.sum(axis=1))])
        mid_all, nrm = np.concatenate([mid_m, mid_p]), nrm
        if self.rotation is not None:
            R = self.rotation
            centers, verts, mid_all, nrm = (a @ R.T for a in (centers, verts, mid_all, nrm))
        super().__init__(
            centers=centers,
            areas=areas,
            vertices=verts,
            faces=np.stack([fi, fj], axis=1),
            face_vertices=np.concatenate([fv_m, fv_p]),
            face_lengths=np.concatenate([len_m, len_p]),
            face_distances=np.concatenate([dist_m, dist_p]),
            face_midpoints=mid_all,
            face_normals=nrm,
            cell_vertex_offsets=cv_off,
            cell_vertex_indices=cv_idx,
            backend="latlong",
            level=None,
            name=f"latlong-{n_theta}x{n_phi}-{refine}",
        )
        self.fipy_mesh = self._build_fipy() if fipy else None

    def _mesh_frame(self, directions):
        """Directions in the mesh frame (rotation undone) and the leading shape."""
        d, lead = _check_directions(directions)
        if self.rotation is not None:
            d = d @ self.rotation
        return d, lead

    def _build_fipy(self):
        _use_scipy_solvers()
        from fipy import PeriodicGrid2DLeftRight

        dx = np.diff(self.x_edges)
        m = PeriodicGrid2DLeftRight(dx=self.dphi, dy=dx, nx=self.n_phi, ny=self.n_theta)
        return m + ((0.0,), (-1.0,))

    # -- location / interpolation --------------------------------------------------------------
    def locate(self, directions) -> np.ndarray:
        """Index of the cell containing each direction (its (φ, x) rectangle)."""
        d, lead = self._mesh_frame(directions)
        x = np.clip(d[:, 2], -1.0, 1.0)
        r = np.clip(np.searchsorted(self.x_edges, x, side="right") - 1, 0, self.n_theta - 1)
        phi = np.mod(np.arctan2(d[:, 1], d[:, 0]) - self.phi0, 2 * np.pi)
        k = np.mod(np.floor(phi / self.dphi).astype(np.int64), self.n_phi)
        return (r * self.n_phi + k).reshape(lead)

    def interpolation_matrix(self, directions) -> sp.csr_matrix:
        d, _ = self._mesh_frame(directions)
        n, nk, nr = d.shape[0], self.n_phi, self.n_theta
        theta, phi = directions_to_spherical(d)
        s = np.mod(phi - self.phi0, 2 * np.pi) / self.dphi - 0.5
        k0 = np.floor(s).astype(np.int64)
        wp = s - k0
        k0 = np.mod(k0, nk)
        k1 = np.mod(k0 + 1, nk)
        # T = π − θ increases with the ring index; nodes: south pole, ring centres, north pole
        T = np.pi - theta
        Tn = np.concatenate([[0.0], np.pi - self.theta_centers, [np.pi]])
        q = np.clip(np.searchsorted(Tn, T, side="right") - 1, 0, nr)  # interval [Tn[q], Tn[q+1]]
        wt = (T - Tn[q]) / (Tn[q + 1] - Tn[q])
        rows, cols, vals = [], [], []
        pts = np.arange(n)

        def ring_node(mask, ring, w):
            p = pts[mask]
            rows.extend([p, p])
            cols.extend([ring[mask] * nk + k0[mask], ring[mask] * nk + k1[mask]])
            vals.extend([w[mask] * (1 - wp[mask]), w[mask] * wp[mask]])

        def pole_node(mask, ring, w):
            p = pts[mask]
            if p.size == 0:
                return
            rows.append(np.repeat(p, nk))
            cols.append(ring * nk + np.tile(np.arange(nk), p.size))
            vals.append(np.repeat(w[mask] / nk, nk))

        lower_ring, upper_ring = q - 1, q  # ring indices of nodes q and q+1
        inner = (q >= 1) & (q <= nr - 1)
        ring_node(inner, lower_ring, 1 - wt)
        ring_node(inner, upper_ring, wt)
        south = q == 0
        pole_node(south, 0, 1 - wt)
        ring_node(south, np.zeros(n, dtype=np.int64), wt)
        north = q == nr
        ring_node(north, np.full(n, nr - 1), 1 - wt)
        pole_node(north, nr - 1, wt)
        W = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, self.n_cells)
        )
        W.sum_duplicates()
        return W


def latlong_mesh(n_theta: int, n_phi: int, refine: str = "uniform", fipy: bool = True) -> LatLongMesh:
    """Lat-long mesh of Σ, periodic in φ, with rings in x = cos θ.

    Parameters
    ----------
    n_theta : int
        Number of rings (≥ 2).
    n_phi : int
        Number of cells per ring (≥ 3).
    refine : {"uniform", "poles"}
        θ-uniform rings, or rings refined towards the poles (see :func:`ring_edges`).
    fipy : bool
        Also build the FiPy mesh (``.fipy_mesh``, a ``PeriodicGrid2DLeftRight`` in (φ, x)).
    """
    for name, v, lo in (("n_theta", n_theta, 2), ("n_phi", n_phi, 3)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo or v > 4096:
            raise ParameterError(name, v, f"an integer in [{lo}, 4096]")
    check_choice("refine", refine, REFINE_CHOICES)
    return LatLongMesh(int(n_theta), int(n_phi), refine, bool(fipy))


# ----------------------------------------------------------------------------------------------
# FiPy assembly of Brown's equation (independent cross-check of the package's generator)


def _use_scipy_solvers():
    os.environ.setdefault("FIPY_SOLVERS", "scipy")


def fipy_brown_operator(mesh: LatLongMesh, energy, alpha: float) -> sp.csr_matrix:
    r"""Brown's Fokker–Planck operator assembled by FiPy on the lat-long grid.

    Equation (time in units of τ_N, ρ = probability per unit area of Σ, U = V/kT):

    .. math:: \partial_t \rho = \tfrac12 \nabla\cdot\left[\nabla\rho + \rho\nabla U
              - \alpha^{-1} \rho\, (u\times\nabla U)\right].

    In (φ, x = cos θ) it is ∂_t ρ = ∇·(D∇ρ) − ∇·(vρ) on the flat rectangle with
    D = ½ diag(1/(1 − x²), 1 − x²) and contravariant drift velocity

    .. math:: v^\varphi = -\tfrac12\left[\frac{\partial_\varphi U}{1-x^2} + \frac{\partial_x U}{\alpha}\right],
              \qquad v^x = -\tfrac12\left[(1-x^2)\,\partial_x U - \frac{\partial_\varphi U}{\alpha}\right]

    (u × ∇U has components (−∂_x U, ∂_φ U)).  FiPy terms: ``DiffusionTerm`` with the rank-2
    tensor D on faces, ``ExponentialConvectionTerm`` with v built from ``U.faceGrad`` (U at the
    FiPy cell centres, i.e. at the x-midpoints of the rings); no-flux at the poles (FiPy's
    default boundary condition).  Note that exponential fitting of the full drift upwinds the
    precession (see DESIGN §3); it is meant as an independent check, not as the production scheme.

    Parameters
    ----------
    mesh : LatLongMesh
        Built with ``fipy=True``.
    energy : thermokinetic.energy.EnergyTerm
        Reduced free energy U(u) in kT.
    alpha : float
        Gilbert damping (> 0, dimensionless).

    Returns
    -------
    scipy.sparse.csr_matrix
        Q (n_cells × n_cells) such that ``A dρ/dt = Q ρ`` with ``A = diag(mesh.areas)``
        (FiPy's cell-integrated form; columns of Q sum to zero: probability is conserved).
        The rates are the eigenvalues of the pencil ``Q v = −λ A v``.
    """
    if not isinstance(mesh, LatLongMesh) or mesh.fipy_mesh is None:
        raise ParameterError("mesh", mesh, "a LatLongMesh built with fipy=True (latlong_mesh(..., fipy=True))")
    alpha = check_positive("alpha", alpha)
    if not hasattr(energy, "value"):
        raise ParameterError("energy", energy, "an energy term with .value(u) (thermokinetic.energy)")
    _use_scipy_solvers()
    import warnings

    import fipy
    from fipy import CellVariable, DiffusionTerm, ExponentialConvectionTerm, FaceVariable

    fm = mesh.fipy_mesh
    phi_c, x_c = (np.asarray(a) for a in fm.cellCenters.value)
    s_c = np.sqrt(np.clip(1 - x_c**2, 0.0, None))
    u_c = np.stack([s_c * np.cos(phi_c), s_c * np.sin(phi_c), x_c], axis=1)
    Uc = np.asarray(energy.value(u_c), dtype=float)
    if not np.all(np.isfinite(Uc)):
        raise ParameterError("energy", "non-finite U", "finite values on the sphere")
    U = CellVariable(mesh=fm, value=Uc)
    gU = np.asarray(U.faceGrad.value)  # (2, n_faces): ∂_φU, ∂_xU
    xf = np.asarray(fm.faceCenters.value[1])
    w = 1 - xf**2
    pole = w <= 1e-14
    inv_w = np.where(pole, 0.0, 1.0 / np.where(pole, 1.0, w))
    ia = 1.0 / alpha
    v = np.stack(
        [-0.5 * (gU[0] * inv_w + ia * gU[1]), -0.5 * (w * gU[1] - ia * gU[0])]
    )
    v[0, pole] = 0.0  # pole faces have normal e_x: only v^x matters (and it vanishes there)
    Dt = np.zeros((2, 2, xf.size))
    Dt[0, 0] = 0.5 * inv_w
    Dt[1, 1] = 0.5 * w
    D = FaceVariable(mesh=fm, rank=2, value=Dt)
    vel = FaceVariable(mesh=fm, rank=1, value=v)
    rho = CellVariable(mesh=fm, value=1.0)
    eq = DiffusionTerm(coeff=D) - ExponentialConvectionTerm(coeff=vel)
    eq.cacheMatrix()
    eq.cacheRHSvector()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            eq.sweep(var=rho)
        except Exception:  # the steady operator is singular; only the matrix is wanted
            pass
    M = eq.matrix
    if M is None or not hasattr(M, "matrix"):
        raise RuntimeError(
            f"FiPy did not expose the assembled matrix (solver suite {fipy.solvers.solver!r}); "
            "set FIPY_SOLVERS=scipy before importing fipy"
        )
    # FiPy's matrix of the term  DiffusionTerm(D) − Convection(v)  is the cell-integrated operator
    # itself (checked: negative diagonal for a pure DiffusionTerm), so Q = M.
    return sp.csr_matrix(M.matrix)


# ----------------------------------------------------------------------------------------------
# the band mesh: a lat-long mesh about a film normal, rings graded towards the film plane


def band_edges(n: int, beta: float) -> np.ndarray:
    r"""Ring boundaries θ_r (decreasing from π to 0) of a lat-long mesh graded towards the equator.

    The latitude is ``λ(s) = (π/2) sinh(βs)/sinh β`` (``λ = (π/2) s`` for β = 0) of a uniform grid
    in s ∈ [−1, 1] with spacing ``h = 2/n`` shifted by half a cell, ``s = −1 + h/2 + j h``
    (j = 0 … n − 1), plus the two poles: n + 1 rings, the middle one centred on the equator.
    Halving h (doubling n) keeps the equator at a ring centre, so every mesh of the family is the
    same smooth map of a uniform grid (second-order errors in h, Richardson applies); the two pole
    rings are half as wide (they hold no probability for the films this mesh is for).
    """
    if isinstance(n, bool) or int(n) != n or n < 4 or n % 2:
        raise ParameterError("n", n, "an even integer >= 4")
    h = 2.0 / n
    s = np.concatenate([[-1.0], -1.0 + h / 2 + h * np.arange(n), [1.0]])
    lam = 0.5 * np.pi * (np.sinh(beta * s) / np.sinh(beta) if beta > 1e-8 else s)
    th = 0.5 * np.pi - lam
    th[0], th[-1] = np.pi, 0.0
    return th


def band_beta(width: float, fraction: float = 0.5, reach: float = 4.0) -> float:
    """β of :func:`band_edges` that puts ``fraction`` of the rings within ``reach`` band widths of the
    equator (``width``: the band's angular half-width, e.g. (2σ_p)^{−1/2}); 0 (uniform in θ) when
    uniform rings already do."""
    target = reach * float(width)
    if target >= 0.5 * np.pi * fraction:
        return 0.0
    lo, hi = 1e-6, 200.0
    for _ in range(200):  # bisection on sinh(fβ)/sinh(β) = 2 target/π (decreasing in β)
        mid = 0.5 * (lo + hi)
        val = np.exp(np.log(np.sinh(fraction * mid)) - (mid + np.log1p(-np.exp(-2 * mid)) - np.log(2)))
        lo, hi = (mid, hi) if val > 2 * target / np.pi else (lo, mid)
    return 0.5 * (lo + hi)


def band_mesh(normal, axis, n: int, n_phi: int, beta: float) -> LatLongMesh:
    """Lat-long mesh whose poles are ±``normal`` (a film normal), rings graded towards the film
    plane (:func:`band_edges`), φ uniform with cell centres on ±``axis`` and ±(normal × axis).

    Parameters
    ----------
    normal, axis : array_like (3,)
        Film normal and an in-plane direction (made orthogonal to the normal).
    n : int
        Even; the mesh has n + 1 rings (spacing 2/n in the graded coordinate).
    n_phi : int
        Cells per ring, a multiple of 4.
    beta : float
        Grading (:func:`band_beta`); 0 gives θ-uniform rings.
    """
    nrm = np.asarray(normal, float)
    nrm = nrm / np.linalg.norm(nrm)
    e1 = np.asarray(axis, float) - np.dot(axis, nrm) * nrm
    if np.linalg.norm(e1) < 1e-12:
        raise ParameterError("axis", axis, "a direction not parallel to the film normal")
    e1 = e1 / np.linalg.norm(e1)
    e2 = np.cross(nrm, e1)
    if isinstance(n_phi, bool) or int(n_phi) != n_phi or n_phi < 8 or n_phi % 4 or n_phi > 8192:
        raise ParameterError("n_phi", n_phi, "a multiple of 4 in [8, 8192]")
    th = band_edges(n, beta)
    R = np.stack([e1, e2, nrm], axis=1)
    mesh = LatLongMesh(n + 1, int(n_phi), "band", False, theta_edges=th, phi0=-np.pi / n_phi, rotation=R)
    mesh.name = f"band-{n + 1}x{n_phi}-beta{beta:.3g}"
    return mesh
