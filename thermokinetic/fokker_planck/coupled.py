r"""A spin-transfer coupler on a finite-volume mesh: its potentials, its generator, the flux form.

The couplers (:mod:`thermokinetic.coupling`) are physics: they give the tangent spin-transfer field
X(u) per unit current (seed 002, Eq. 21–22) and, where known, its potentials in closed form.  This
module turns them into numerics on a mesh of Σ:

* :func:`coupler_potentials` — the Hodge potentials (Φ, χ) of X at the cell centres
  (:func:`thermokinetic.sphere.hodge.hodge_decompose`, error O(h²), cached per mesh);
* :func:`generator_potentials` and :func:`assemble_coupled` — the field-form generator of
  :func:`~thermokinetic.fokker_planck.generator.assemble` with those potentials;
* :func:`flux_form_source` and :func:`stationary_flux_form` — the flux form of seed 001 (module
  docstring of :mod:`thermokinetic.coupling`): ``A dρ/dt = Q_0 ρ + J b``.
"""
from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..coupling import Coupler
from ..dynamics import Drift
from ..errors import ParameterError, check_finite
from ..sphere.hodge import hodge_decompose
from .generator import assemble
from .solvers import stationary

__all__ = [
    "coupler_potentials",
    "exact_coupler_potentials",
    "generator_potentials",
    "assemble_coupled",
    "flux_form_source",
    "stationary_flux_form",
]


def _check_coupler(coupler):
    if not isinstance(coupler, Coupler):
        raise ParameterError("coupler", type(coupler).__name__, "a Coupler from thermokinetic.coupling")
    return coupler


def coupler_potentials(coupler: Coupler, mesh) -> tuple[np.ndarray, np.ndarray]:
    """(Φ, χ) cell arrays per unit current [kT], zero area-weighted mean.

    By :func:`thermokinetic.sphere.hodge.hodge_decompose` of ``coupler.field(mesh.centers)``; cached
    on the coupler per mesh.  Error O(h²) (measured in the tests).
    """
    _check_coupler(coupler)
    key = id(mesh)
    hit = coupler._cache.get(key)
    if hit is not None and hit[0] is mesh:
        return hit[1], hit[2]
    phi, chi = hodge_decompose(mesh, coupler.field(mesh.centers))
    coupler._cache[key] = (mesh, phi, chi)
    return phi, chi


def exact_coupler_potentials(coupler: Coupler, mesh):
    """Closed-form (Φ, χ) at the cell centres with zero area-weighted mean, or None if not known."""
    _check_coupler(coupler)
    if coupler.chi_callable is None and coupler.phi_callable is None:
        return None
    A = np.asarray(mesh.areas)
    out = []
    for f in (coupler.phi_callable, coupler.chi_callable):
        v = np.zeros(mesh.n_cells) if f is None else np.asarray(f(mesh.centers), dtype=float)
        out.append(v - np.dot(A, v) / A.sum())
    return tuple(out)


def generator_potentials(coupler: Coupler, mesh):
    """(phi, chi) to pass to :func:`~thermokinetic.fokker_planck.assemble`.

    Exact callables where known (the generator then uses exact vertex values), otherwise the Hodge
    cell arrays; a potential that vanishes identically is returned as None.
    """
    _check_coupler(coupler)
    if coupler.chi_callable is not None or coupler.phi_callable is not None or (
            coupler.phi_is_zero and coupler.chi_is_zero):
        return coupler.phi_callable, coupler.chi_callable
    phi, chi = coupler_potentials(coupler, mesh)
    return (None if coupler.phi_is_zero else phi), (None if coupler.chi_is_zero else chi)


def assemble_coupled(mesh, energy, alpha, coupler: Coupler, current: float, **kw):
    """The field-form generator for ``energy`` with ``coupler`` at ``current`` (its unit).

    ``alpha`` is a Gilbert damping or a :class:`~thermokinetic.dynamics.Drift`; ``kw`` go to
    :func:`~thermokinetic.fokker_planck.assemble`.
    """
    phi, chi = generator_potentials(coupler, mesh)
    return assemble(mesh, energy, alpha, phi=phi, chi=chi, current=current, **kw)


def flux_form_source(mesh, coupler: Coupler, alpha) -> np.ndarray:
    r"""ρ-independent source ``b`` of the flux form: ``A dρ/dt = Q_0 ρ + J b`` (per unit current).

    The spin-transfer flux is ``J g(u)`` with ``g = ρ̄ g_L X``, ``ρ̄ = 1/4π`` and ``g_L = 1/(2α)`` the
    gyrotropic coefficient of the Onsager block (:class:`~thermokinetic.dynamics.Drift`), evaluated
    exactly at the face midpoints; ``b_i = −Σ_{faces of i} ℓ n_out·g``.  ``Σ b = 0`` to rounding
    (each face flux leaves one cell and enters the other).

    Parameters
    ----------
    mesh : SphereMesh
    coupler : Coupler
    alpha : float or Drift
        Gilbert damping (> 0), as in the generator.
    """
    _check_coupler(coupler)
    dyn = Drift.of(alpha)
    g = coupler.field(mesh.face_midpoints) * (dyn.gyrotropic / (4.0 * math.pi))
    F = mesh.face_lengths * np.sum(g * mesh.face_normals, axis=1)  # flux from i to j
    i, j = mesh.faces[:, 0], mesh.faces[:, 1]
    n = mesh.n_cells
    return -(np.bincount(i, weights=F, minlength=n) - np.bincount(j, weights=F, minlength=n))


def stationary_flux_form(gen, b, current: float) -> dict:
    r"""Stationary density of the flux form: ``Q_0 ρ + J b = 0``, ``Σ A_i ρ_i = 1``.

    Parameters
    ----------
    gen : Generator
        Zero-current generator (``assemble(mesh, energy, alpha)``).
    b : ndarray (n_cells,)
        From :func:`flux_form_source` (Σ b = 0).
    current : float
        J in the coupler's unit.

    Returns
    -------
    dict
        ``rho`` (n_cells,), ``min_density`` (may be negative: the flux form is linear response).

    Method: ``ρ = ρ_0 + δ`` with ρ_0 the zero-current stationary state and δ the zero-mass solution
    of ``Q_0 δ = −J b`` in the scaled variable δ = e^{−U} f (bordered sparse system).
    """
    current = check_finite("current", current)
    b = np.asarray(b, dtype=float)
    n = gen.n
    if b.shape != (n,) or not np.all(np.isfinite(b)):
        raise ParameterError("b", f"array of shape {b.shape}", f"finite cell values of shape ({n},)")
    if abs(b.sum()) > 1e-9 * max(np.abs(b).sum(), 1e-300):
        raise ParameterError("b", f"sum {b.sum():.3g}", "a source with zero sum (from flux_form_source)")
    rho0 = stationary(gen)
    if current == 0:
        return {"rho": rho0, "min_density": float(rho0.min())}
    D, K = gen.scaled()
    K = K.tocsc()
    aD = gen.areas * D
    ones = np.ones((n, 1))
    M = sp.bmat([[K, sp.csc_matrix(ones)], [sp.csr_matrix(aD.reshape(1, -1)), None]], format="csc")
    sol = spla.spsolve(M, np.concatenate([-current * b, [0.0]]))
    rho = rho0 + D * sol[:-1]
    return {"rho": rho, "min_density": float(rho.min())}
