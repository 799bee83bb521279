r"""Helmholtz–Hodge decomposition of tangent fields on Σ (seed 002, Eq. 22).

Every smooth tangent field X on the unit sphere splits uniquely (Σ has no harmonic 1-forms) as

.. math:: \mathbf X = \mathbf u \times \nabla_\Sigma \Phi + \nabla_\Sigma \chi,
          \qquad \int_\Sigma \Phi\, dA = \int_\Sigma \chi\, dA = 0,

a divergence-free part (the rotated gradient of the *precession potential* Φ) and a curl-free part
(the gradient of the *dissipation potential* χ).  In the generalized LLG equation (seed 002, Eq. 24,
:mod:`thermokinetic.llg`) Φ adds to the precession field and χ/α to the dissipative field.  Units:
if X is a reduced spin-transfer field (kT per radian) then Φ and χ are in kT, like U.

Method: two Poisson problems
----------------------------
For tangent X, ``u × (u × ∇Φ) = −∇Φ`` and ``(u × ∇Φ) × u = ∇Φ``; since ``u × ∇g`` is divergence-free,

.. math:: \operatorname{div}_\Sigma \mathbf X = \Delta_\Sigma \chi, \qquad
          \operatorname{div}_\Sigma (\mathbf X \times \mathbf u) = \Delta_\Sigma \Phi .

Both divergences are finite-volume face fluxes: on the face k between cells i → j (length ℓ_k,
midpoint m_k, unit normal n_k from i to j, unit tangent t_k = m_k × n_k along the face)

.. math:: F^{\rm div}_k = \ell_k\, \mathbf n_k \cdot \tfrac12(\mathbf X_i + \mathbf X_j), \qquad
          F^{\rm curl}_k = \ell_k\, \mathbf t_k \cdot \tfrac12(\mathbf X_i + \mathbf X_j)

(``(X × m)·n = X·(m × n)``: the flux of X × u is the circulation of X along the face), and
``A_i (div X)_i = Σ_out F``.  The Laplace–Beltrami operator is the mesh's two-point flux matrix
``L = A⁻¹K`` (:meth:`SphereMesh.laplacian`), singular with the constants in its kernel; each
Poisson problem ``K χ = A div X`` has a right-hand side that sums to zero exactly (telescoping
fluxes), so it is consistent: one cell is pinned to 0, the remaining non-singular system is
solved by a sparse LU (cached per mesh, reused for both problems), and the area-weighted mean is
subtracted afterwards.

Gradient reconstruction (for :func:`hodge_compose` and the residual)
--------------------------------------------------------------------
``∇f`` at a cell generator c_i is the weighted least-squares fit of a quadratic
``f_i + g·ξ + ½ ξᵀHξ`` to the values on the cells of the two-ring around i, with ξ the Riemannian
normal coordinates of the neighbours (log map at c_i: ξ = θ (p − (p·c)c)/|p − (p·c)c|, θ the
arc length).  In normal coordinates the first derivatives at the origin are exactly the surface
gradient, so the fit is second-order accurate (no pentagon or pole defect).  It is stored as three
sparse matrices (:func:`gradient_operator`).

Accuracy (geodesic meshes, measured in ``tests/sphere/test_hodge.py``): Φ and χ converge as O(h²)
(ratio ≈ 4 per level), and so does the residual ``‖X − (u × ∇Φ + ∇χ)‖ / ‖X‖`` (area-weighted L²).

Example
-------
>>> import numpy as np
>>> from thermokinetic.sphere import geodesic_mesh
>>> from thermokinetic.sphere.hodge import hodge_decompose
>>> m = geodesic_mesh(4)
>>> u = m.centers
>>> X = np.cross(u, [0, 0, 1.0]) - 2.0 * (np.array([1.0, 0, 0]) - u[:, :1] * u)  # u×∇u_z − 2∇u_x
>>> phi, chi, res = hodge_decompose(m, X, return_residual=True)
>>> bool(np.allclose(phi, u[:, 2], atol=1e-2) and np.allclose(chi, -2 * u[:, 0], atol=1e-2))
True
"""
from __future__ import annotations

import weakref

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import ParameterError, check_positive

__all__ = [
    "hodge_decompose",
    "hodge_compose",
    "surface_divergence",
    "surface_curl",
    "gradient_operator",
    "surface_gradient",
    "tangent_normal_component",
]

_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _mesh_cache(mesh) -> dict:
    try:
        return _CACHE.setdefault(mesh, {})
    except TypeError:  # not weak-referenceable: no caching
        return {}


# ----------------------------------------------------------------------------------------------
# input checks


def tangent_normal_component(mesh, X) -> float:
    """Largest normal component max_i |X_i · c_i| of a cell vector field (0 for a tangent field)."""
    X = np.asarray(X, dtype=float)
    return float(np.max(np.abs(np.sum(X * mesh.centers, axis=1)))) if X.size else 0.0


def _check_vector_field(mesh, X, name: str = "X", rtol: float = 1e-6) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.shape != (mesh.n_cells, 3):
        raise ParameterError(name, f"array of shape {X.shape}",
                             f"a cell vector field of shape ({mesh.n_cells}, 3)")
    if not np.all(np.isfinite(X)):
        raise ParameterError(name, "non-finite values", "finite values on every cell")
    scale = float(np.max(np.linalg.norm(X, axis=1))) if X.size else 0.0
    normal = tangent_normal_component(mesh, X)
    if normal > rtol * scale:
        i = int(np.argmax(np.abs(np.sum(X * mesh.centers, axis=1))))
        raise ParameterError(
            name, f"a field with normal component |X·u| = {normal:.3g} (cell {i}; max |X| = {scale:.3g})",
            f"tangent to the sphere: |X·u| <= {rtol:g}·max|X|",
            "project it with X − (X·u)u if the normal part is meaningless",
        )
    return X


def _check_scalar(mesh, f, name: str) -> np.ndarray:
    if f is None:
        return np.zeros(mesh.n_cells)
    f = np.asarray(f, dtype=float)
    if f.shape != (mesh.n_cells,):
        raise ParameterError(name, f"array of shape {f.shape}", f"a scalar cell field of shape ({mesh.n_cells},)")
    if not np.all(np.isfinite(f)):
        raise ParameterError(name, "non-finite values", "finite values on every cell")
    return f


# ----------------------------------------------------------------------------------------------
# discrete operators


def _face_average(mesh, X: np.ndarray) -> np.ndarray:
    i, j = mesh.faces[:, 0], mesh.faces[:, 1]
    return 0.5 * (X[i] + X[j])


def _cell_sum(mesh, F: np.ndarray) -> np.ndarray:
    """Σ over faces of the outgoing flux, per cell (F_k flows from i to j)."""
    i, j = mesh.faces[:, 0], mesh.faces[:, 1]
    return np.bincount(i, weights=F, minlength=mesh.n_cells) - np.bincount(j, weights=F, minlength=mesh.n_cells)


def _div_flux(mesh, X) -> np.ndarray:
    Xf = _face_average(mesh, X)
    return mesh.face_lengths * np.sum(Xf * mesh.face_normals, axis=1)


def _curl_flux(mesh, X) -> np.ndarray:
    Xf = _face_average(mesh, X)
    t = np.cross(mesh.face_midpoints, mesh.face_normals)
    return mesh.face_lengths * np.sum(Xf * t, axis=1)


def surface_divergence(mesh, X) -> np.ndarray:
    r"""Finite-volume surface divergence ``(div X)_i = (1/A_i) Σ_out ℓ n·½(X_i + X_j)`` (1/rad).

    Parameters
    ----------
    mesh : SphereMesh
    X : ndarray (n_cells, 3)
        Tangent field at the cell generators.
    """
    X = _check_vector_field(mesh, X)
    return _cell_sum(mesh, _div_flux(mesh, X)) / mesh.areas


def surface_curl(mesh, X) -> np.ndarray:
    r"""Normal vorticity ``u · curl X = div(X × u)`` by face circulations (1/rad).

    ``(div(X×u))_i = (1/A_i) Σ_out ℓ (m × n)·½(X_i + X_j)``; equals ΔΦ for X = u × ∇Φ + ∇χ.
    """
    X = _check_vector_field(mesh, X)
    return _cell_sum(mesh, _curl_flux(mesh, X)) / mesh.areas


def _pinned_lu(mesh):
    cache = _mesh_cache(mesh)
    lu = cache.get("poisson_lu")
    if lu is None:
        K = (sp.diags(np.asarray(mesh.areas)) @ mesh.laplacian()).tocsc()  # symmetric, zero row sums
        lu = spla.splu(K[1:, 1:].tocsc())
        cache["poisson_lu"] = lu
    return lu


def _poisson(mesh, rhs_flux_sum: np.ndarray) -> np.ndarray:
    """Zero-mean solution of K f = b (b = Σ_out fluxes, Σ b = 0 by telescoping).

    K = A·L has the constants as its only kernel and Σ b = 0, so the system is consistent: pin
    f_0 = 0, solve the non-singular (symmetric negative definite) rest, then subtract the
    area-weighted mean.  The dropped equation 0 holds automatically (column sums of K vanish).
    """
    lu = _pinned_lu(mesh)
    f = np.zeros(mesh.n_cells)
    f[1:] = lu.solve(np.ascontiguousarray(rhs_flux_sum[1:]))
    return f - np.dot(mesh.areas, f) / mesh.areas.sum()


def _tangent_frames(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal tangent basis (e1, e2) with e1 × e2 = u, smooth away from ±e_x."""
    ref = np.where(np.abs(u[:, [0]]) < 0.9, np.array([[1.0, 0, 0]]), np.array([[0, 1.0, 0]]))
    e1 = ref - np.sum(ref * u, axis=1, keepdims=True) * u
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    e2 = np.cross(u, e1)
    return e1, e2


def gradient_operator(mesh) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
    r"""Sparse matrices (G_x, G_y, G_z) with ∇_Σ f at the cell generators ≈ (G_x f, G_y f, G_z f).

    Weighted least-squares quadratic fit in Riemannian normal coordinates over the two-ring of each
    cell (weights 1/θ², θ the arc distance), see the module docstring; second-order accurate, exact
    for constants (rows sum to zero), tangent by construction.  Cached per mesh.
    """
    cache = _mesh_cache(mesh)
    if "grad" in cache:
        return cache["grad"]
    n = mesh.n_cells
    N = mesh.neighbors()
    N2 = ((N + N @ N) > 0).tocsr()
    N2.setdiag(False)
    N2.eliminate_zeros()
    N2.sort_indices()
    c = np.asarray(mesh.centers)
    e1, e2 = _tangent_frames(c)
    counts = np.diff(N2.indptr)
    rows_all, cols_all, vals_all = [], [], []
    for k in np.unique(counts):
        cells = np.nonzero(counts == k)[0]
        if k < 5:
            raise RuntimeError(f"gradient stencil of {k} cells is too small for a quadratic fit")
        idx = N2.indices[N2.indptr[cells][:, None] + np.arange(k)]  # (m, k)
        ci = c[cells][:, None, :]
        p = c[idx]  # (m, k, 3)
        cosang = np.sum(p * ci, axis=2)
        v = p - cosang[..., None] * ci
        sv = np.linalg.norm(v, axis=2)
        theta = np.arctan2(sv, cosang)
        xi = v * (theta / sv)[..., None]
        x = np.sum(xi * e1[cells][:, None, :], axis=2)
        y = np.sum(xi * e2[cells][:, None, :], axis=2)
        P = np.stack([x, y, 0.5 * x * x, x * y, 0.5 * y * y], axis=2)  # (m, k, 5)
        w = 1.0 / theta**2
        PW = P * w[..., None]
        M = np.einsum("mka,mkb->mab", PW, P)
        # scale columns for conditioning (x, y ~ h; quadratic ~ h²)
        h = np.sqrt(np.mean(theta**2, axis=1))
        s = np.stack([1 / h, 1 / h, 1 / h**2, 1 / h**2, 1 / h**2], axis=1)
        Ms = M * s[:, :, None] * s[:, None, :]
        rhs = np.transpose(PW, (0, 2, 1)) * s[:, :, None]  # (m, 5, k)
        coef = np.linalg.solve(Ms, rhs) * s[:, :, None]  # (m, 5, k): maps (f_nb − f_i) -> params
        gx = coef[:, 0, :]
        gy = coef[:, 1, :]
        g3 = gx[..., None] * e1[cells][:, None, :] + gy[..., None] * e2[cells][:, None, :]  # (m, k, 3)
        rows_all.append((np.repeat(cells, k), idx.ravel(), g3.reshape(-1, 3)))
        rows_all.append((cells, cells, -g3.sum(axis=1)))
    r = np.concatenate([t[0] for t in rows_all])
    cl = np.concatenate([t[1] for t in rows_all])
    vals = np.concatenate([t[2] for t in rows_all])
    G = tuple(sp.csr_matrix((vals[:, d], (r, cl)), shape=(n, n)) for d in range(3))
    cache["grad"] = G
    return G


def surface_gradient(mesh, f) -> np.ndarray:
    """Second-order surface gradient ∇_Σ f at the cell generators, shape (n_cells, 3) (see
    :func:`gradient_operator`)."""
    f = _check_scalar(mesh, f, "f")
    return np.stack([G @ f for G in gradient_operator(mesh)], axis=1)


# ----------------------------------------------------------------------------------------------
# public API


def hodge_compose(mesh, phi=None, chi=None) -> np.ndarray:
    r"""Build the tangent field ``X = u × ∇Φ + ∇χ`` at the cell generators (inverse of
    :func:`hodge_decompose`).

    Parameters
    ----------
    mesh : SphereMesh
    phi, chi : ndarray (n_cells,) or None
        Precession and dissipation potentials at the cell generators (e.g. in kT); None means 0.

    Returns
    -------
    ndarray (n_cells, 3)
        X in the units of the potentials per radian; gradients by :func:`surface_gradient`.
    """
    phi = _check_scalar(mesh, phi, "phi")
    chi = _check_scalar(mesh, chi, "chi")
    gp = surface_gradient(mesh, phi)
    gc = surface_gradient(mesh, chi)
    return np.cross(mesh.centers, gp) + gc


def hodge_decompose(mesh, X, return_residual: bool = False, *, tangent_rtol: float = 1e-6):
    r"""Helmholtz–Hodge decomposition ``X = u × ∇Φ + ∇χ`` of a tangent field (seed 002, Eq. 22).

    Solves ``ΔΦ = div(X × u)`` and ``Δχ = div X`` on ``mesh`` (two-point finite volumes, one cached
    sparse LU of the pinned system, then zero mean), see the module docstring.

    Parameters
    ----------
    mesh : SphereMesh
        Finite-volume mesh of the unit sphere (geodesic recommended).
    X : array_like (n_cells, 3)
        Tangent field at the cell generators, in any unit (e.g. kT per radian: then Φ, χ are in kT).
    return_residual : bool
        Also return ``‖X − (u × ∇Φ + ∇χ)‖ / ‖X‖`` (area-weighted L² norms, gradients by
        :func:`surface_gradient`); an honest O(h²) error indicator (0 for X = 0).
    tangent_rtol : float
        Tolerated normal component, relative to max |X|.

    Returns
    -------
    phi, chi : ndarray (n_cells,)
        Zero-mean potentials (area-weighted), in the units of X times radians.
    residual : float
        Only with ``return_residual=True``.

    Raises
    ------
    ParameterError
        If X has the wrong shape, non-finite values, or a normal component larger than
        ``tangent_rtol · max|X|`` (the message gives the normal component found).
    """
    tangent_rtol = check_positive("tangent_rtol", tangent_rtol)
    X = _check_vector_field(mesh, X, "X", tangent_rtol)
    chi = _poisson(mesh, _cell_sum(mesh, _div_flux(mesh, X)))
    phi = _poisson(mesh, _cell_sum(mesh, _curl_flux(mesh, X)))
    if not return_residual:
        return phi, chi
    R = X - hodge_compose(mesh, phi, chi)
    A = mesh.areas
    nx = float(np.sqrt(np.dot(A, np.sum(X * X, axis=1))))
    res = float(np.sqrt(np.dot(A, np.sum(R * R, axis=1)))) / nx if nx > 0 else 0.0
    return phi, chi, res
