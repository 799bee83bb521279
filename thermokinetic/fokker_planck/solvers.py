r"""Solvers for ``A dρ/dt = Q ρ``: stationary state, spectrum, time evolution, relaxation, switching.

All functions take a :class:`~thermokinetic.fokker_planck.generator.Generator` (or a matrix ``Q``
with the cell areas) and work in reduced units (time in τ_N, rates in 1/τ_N).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import ParameterError, check_nonnegative, check_positive

__all__ = [
    "stationary",
    "spectrum",
    "Evolution",
    "evolve",
    "relaxation",
    "free_energy",
    "entropy_functional",
]


def stationary(gen, *, scaling=None, anchor: int | None = None) -> np.ndarray:
    r"""Stationary density ρ_s (Q ρ_s = 0, Σ A_i ρ_s,i = 1), also out of equilibrium.

    Method: in the scaled variable ``f = ρ / D`` (``D = e^{−U_d}`` unless ``scaling`` is given) the
    operator ``K = Q D`` has zero column sums and (for a resolved mesh) non-negative off-diagonals;
    fixing ``f`` at one cell (the most probable one) leaves a non-singular system whose solution is a
    sum of like-signed terms, so small densities (e^{−σ} in a barrier) keep their relative accuracy.
    At Φ = χ = 0 the result equals the Boltzmann distribution to rounding.

    Returns
    -------
    ndarray
        ρ_s per unit area (n_cells,), normalized so that Σ A_i ρ_i = 1.
    """
    Q = gen.Q.tocsc()
    n = Q.shape[0]
    if scaling is None:
        scaling = gen.boltzmann_weight()
    D = np.asarray(scaling, dtype=float)
    K = (Q @ sp.diags(D)).tocsc()
    k = int(np.argmax(D * gen.areas)) if anchor is None else int(anchor)
    keep = np.ones(n, bool)
    keep[k] = False
    Kr = K[keep][:, keep]
    rhs = -np.asarray(K[keep][:, [k]].todense()).ravel()
    f = np.empty(n)
    f[k] = 1.0
    f[keep] = spla.spsolve(Kr.tocsc(), rhs)
    rho = D * f
    mass = np.dot(gen.areas, rho)
    if not np.isfinite(mass) or mass <= 0:
        raise FloatingPointError("stationary solve failed (non-finite or non-positive mass)")
    rho = rho / mass
    if not np.all(np.isfinite(rho)):
        raise FloatingPointError("stationary solve produced non-finite values")
    return rho


def spectrum(gen, k: int = 6, *, shift: float = 0.1, return_vectors: bool = False):
    r"""The ``k`` slowest relaxation rates λ (``Q v = −λ A v``), sorted by real part.

    Shift-invert Arnoldi (ARPACK) on the generalized problem with the diagonal mass matrix.
    Reliable where the problem is well conditioned (λ₁/‖A⁻¹Q‖ ≳ 1e-10, i.e. σ ≲ 20); for high
    barriers use :func:`thermokinetic.fokker_planck.escape.escape_rates`.

    Returns
    -------
    rates : ndarray (complex if precession makes the operator non-normal)
        λ_0 ≈ 0, λ_1, ... in 1/τ_N.
    """
    n = gen.n
    if not (1 <= k < n - 1):
        raise ParameterError("k", k, f"in [1, {n - 2}]")
    A = sp.diags(gen.areas).tocsc()
    # a fixed start vector: the result is deterministic (identical in serial and parallel sweeps)
    v0 = np.linspace(1.0, 2.0, n)
    vals, vecs = spla.eigs(gen.Q.tocsc(), k=k, M=A, sigma=shift, which="LM", v0=v0)
    rates = -vals
    order = np.argsort(rates.real)
    rates = rates[order]
    if np.max(np.abs(rates.imag)) < 1e-9 * max(1.0, np.max(np.abs(rates.real))):
        rates = rates.real
    if return_vectors:
        return rates, vecs[:, order]
    return rates


def free_energy(gen, rho: np.ndarray) -> float:
    r"""F[ρ] = ∫ ρ (U_d + ln ρ) dA (in kT); non-increasing in time at Φ = χ = 0 (H-theorem)."""
    rho = np.asarray(rho, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        integrand = np.where(rho > 0, rho * (gen.Ud.cells + np.log(np.where(rho > 0, rho, 1.0))), 0.0)
    return float(np.dot(gen.areas, integrand))


entropy_functional = free_energy


@dataclass
class Evolution:
    """Result of :func:`evolve`.

    Attributes
    ----------
    times : ndarray
        Output times (τ_N).
    rho : ndarray
        Densities at the output times, shape (n_times, n_cells) (only if ``store=True``).
    mean_u : ndarray
        ⟨u⟩(t), shape (n_times, 3).
    mass_error : float
        max |Σ A ρ − 1| before renormalization over the run.
    min_density : float
        Smallest density encountered (≥ 0 with the M-matrix operator and implicit Euler).
    """

    times: np.ndarray
    rho: np.ndarray | None
    mean_u: np.ndarray
    mass_error: float
    min_density: float
    final: np.ndarray


def evolve(gen, rho0, t_end: float, dt: float, *, method: str = "euler", store: bool = False,
           n_out: int = 101, progress: bool | None = None, renormalize: bool = True) -> Evolution:
    r"""Implicit time stepping of ``A dρ/dt = Qρ`` with one reused sparse LU factorization.

    Parameters
    ----------
    gen : Generator
        Use ``assemble(..., mmatrix=True)`` with ``method="euler"`` to guarantee positivity.
    rho0 : ndarray
        Initial density per unit area (normalized internally to mass 1).
    t_end, dt : float
        Final time and step (τ_N).
    method : {"euler", "cn"}
        Backward Euler (L-stable, positivity-preserving with an M-matrix Q) or Crank–Nicolson
        (second order).
    renormalize : bool
        Restore Σ A ρ = 1 after each step (rounding drift ~1e-11 over long runs otherwise); the
        drift measured before renormalization is reported as ``mass_error``.
    """
    from tqdm.auto import tqdm

    t_end = check_positive("t_end", t_end)
    dt = check_positive("dt", dt)
    if method not in ("euler", "cn"):
        raise ParameterError("method", method, "one of ['euler', 'cn']")
    n_steps = max(1, int(np.ceil(t_end / dt - 1e-12)))
    dt = t_end / n_steps
    A = sp.diags(gen.areas)
    Q = gen.Q
    theta = 1.0 if method == "euler" else 0.5
    lu = spla.splu((A - theta * dt * Q).tocsc())
    B = (A + (1 - theta) * dt * Q).tocsr() if theta < 1 else None
    rho = np.asarray(rho0, dtype=float).copy()
    if rho.shape != (gen.n,) or not np.all(np.isfinite(rho)):
        raise ParameterError("rho0", f"array of shape {rho.shape}", f"finite values on {gen.n} cells")
    rho /= gen.mass(rho)
    out_steps = np.unique(np.linspace(0, n_steps, min(n_out, n_steps + 1)).round().astype(int))
    centers = gen.mesh.centers
    w = gen.areas[:, None] * centers
    times, means, states = [], [], []
    mass_err, min_rho = 0.0, float(rho.min())
    if progress is None:
        progress = n_steps > 2000
    it = tqdm(range(1, n_steps + 1), disable=not progress, desc="time steps", leave=False)
    if 0 in out_steps:
        times.append(0.0); means.append(rho @ w)
        if store:
            states.append(rho.copy())
    for s in it:
        rhs = gen.areas * rho if B is None else B @ rho
        rho = lu.solve(rhs)
        m = gen.mass(rho)
        mass_err = max(mass_err, abs(m - 1.0))
        if renormalize:
            rho /= m
        min_rho = min(min_rho, float(rho.min()))
        if s in out_steps:
            times.append(s * dt); means.append(rho @ w)
            if store:
                states.append(rho.copy())
    if not np.all(np.isfinite(rho)):
        raise FloatingPointError("time stepping produced non-finite values")
    return Evolution(np.array(times), np.array(states) if store else None, np.array(means),
                     mass_err, min_rho, rho)


def relaxation(gen, rho0, times, *, rtol: float = 1e-8, atol: float = 1e-12):
    r"""⟨u⟩(t) at the requested ``times`` by adaptive stiff integration (BDF, sparse Jacobian).

    Returns
    -------
    ndarray, shape (len(times), 3)
    """
    from scipy.integrate import solve_ivp

    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or np.any(np.diff(times) < 0) or times[0] < 0:
        raise ParameterError("times", times, "a non-decreasing 1D array of times >= 0")
    check_nonnegative("times[-1]", times[-1])
    Ainv = sp.diags(1.0 / gen.areas)
    J = (Ainv @ gen.Q).tocsr()
    rho0 = np.asarray(rho0, dtype=float)
    rho0 = rho0 / gen.mass(rho0)
    sol = solve_ivp(lambda t, y: J @ y, (0.0, max(times[-1], 1e-300)), rho0, method="BDF", jac=J,
                    t_eval=times, rtol=rtol, atol=atol)
    if not sol.success:
        raise FloatingPointError(f"relaxation integration failed: {sol.message}")
    w = gen.areas[:, None] * gen.mesh.centers
    return sol.y.T @ w
