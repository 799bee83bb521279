r"""Write-error rate: the probability that a current pulse leaves the magnet where it started.

Reduced units (:mod:`thermokinetic.units`): energies in kT, times in τ_N.

Definition
----------
The magnet starts in the thermal distribution at zero current restricted to the upper hemisphere,
``ρ₀ ∝ e^{−U} [u_z > 0]``; from t = 0 a constant spin-transfer current (χ, Φ) acts, and

.. math:: \mathrm{WER}(t) = \int_{u_z > 0} ρ(u, t)\, dA ,

the probability still in ``u_z > 0`` after a pulse of width t (ρ evolves with the generalized
Brown operator of :mod:`.generator`, dissipative potential ``U_d = U − χ/α``).

Methods
-------
* **axial** (energy and χ symmetric about e_z): the exact 1D reduction
  ``∂_t p = ½ ∂_x[(1−x²)(∂_x p + p ∂_x U_d)]`` (:mod:`.axial`), discretized by finite volumes on
  cells uniform in θ (``x = cos θ``; a face at the equator) with exponentially fitted
  (Scharfetter–Gummel) conductances, so that ``e^{−U_d}`` is the exact discrete equilibrium.  The
  operator is symmetrized and diagonalized (``scipy.linalg.eigh_tridiagonal``, only the modes that
  still matter at the shortest time); the stationary mode is exact and, in a bistable landscape,
  the slowest mode comes from flux over population (:func:`.escape._two_set_eigen`), accurate to
  ~1e-13 relative however high the barrier.  Then

  .. math:: \mathrm{WER}(t) = \sum_k a_k b_k\, e^{−λ_k t},

  each term computed directly: a tail of 1e-9 is never ``1 −`` a number near 1.  The rounding of
  the sum is measured (two sums, the chain and its mirror image); where it exceeds 5 % of rtol
  (early times of a strong current, whose initial state lies far above the current-on equilibrium
  and has huge, cancelling modal coefficients) those times are integrated instead (BDF on the
  tridiagonal chain, tolerance rtol/100).  Cells are doubled
  until every WER value has a relative error estimate (three levels, observed order, Richardson;
  :mod:`.convergence`) ≤ rtol, plus the rounding and truncation bounds.
* **mesh** (any energy, Φ): finite volumes on the geodesic mesh, integrated by the stiff BDF method
  (``scipy.integrate.solve_ivp``) with a tolerance ``rtol/10`` relative on every cell's probability
  (so a small tail keeps its relative accuracy); levels are refined until the error estimate over
  three levels meets rtol.
* **orbit** (low damping, thin films: two wells with their saddles on one level): finite volumes on
  the orbit-aligned meshes of :mod:`.orbit_mesh` (levels 1, 2, …; faces on the level sets of U + Φ, so
  the precession never carries probability between orbits), integrated by TR-BDF2 (L-stable, second
  order: a precession mode of frequency ω ≫ 1/h is damped within a step, not followed, which is what
  defeats BDF there), with the step growing like t and its error measured by halving it.  The mesh
  error is the last change between levels, trusted when three changes contract (as for the escape
  rates on this mesh).  Measured: film σ = 10, σ_p = 50, α = 0.02, χ = −2.1 u_z: levels 1–4 in 59 s,
  converged to 5e-2 (estimates 1e-3 … 2.7e-2 for WER 0.59 … 1.4e-4), against the stochastic LLG (test).
"""
from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp

from ..errors import ParameterError
from .convergence import estimate

__all__ = ["compute_wer", "ramp_switching", "ramp_distributions", "axial_wer", "mesh_wer", "orbit_wer", "check_times",
           "DEFAULT_RTOL", "WER_METHODS"]

#: default accuracy target (relative error of every WER value)
DEFAULT_RTOL = 1e-3
#: relative rounding of one spectral term (eigenvectors of the symmetric tridiagonal operator)
_ROUND = 1e-13
#: largest number of eigenvector entries held at once (n cells × modes; 25e6 doubles = 200 MB)
_MAX_MODE_ENTRIES = 25_000_000


def check_times(times) -> np.ndarray:
    """Pulse widths (τ_N): a non-empty, strictly increasing 1D array of finite numbers > 0."""
    if isinstance(times, (str, bytes)) or isinstance(times, bool):
        raise ParameterError("times", times, "a strictly increasing list of pulse widths > 0 (tau_N)")
    try:
        t = np.asarray(times, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ParameterError("times", times, "a strictly increasing list of pulse widths > 0 (tau_N)") from None
    if t.size == 0 or t.size > 10_000 or not np.all(np.isfinite(t)) or np.any(t <= 0) or np.any(np.diff(t) <= 0):
        raise ParameterError("times", times.tolist() if isinstance(times, np.ndarray) else times,
                             "1 to 10000 strictly increasing, finite pulse widths > 0 (tau_N)")
    if t[-1] > 1e300:
        raise ParameterError("times", float(t[-1]), "<= 1e300 tau_N")
    return t


# ------------------------------------------------------------------------------------------------
# the exact 1D reduction
# ------------------------------------------------------------------------------------------------
def _chain(Ud, U0, n: int, split: float = 0.0):
    """Finite-volume chain of the 1D reduction on ``n`` cells uniform in θ on each side of the face at
    x = ``split`` (n even; ``split = 0``: uniform in θ).

    Returns the cell weights π (``Δx e^{−(U_d − min)}``), the face conductances c (n−1 interior
    faces, cell i ↔ i+1, cell 0 at the north pole), the initial cell probabilities P0 (zero-current
    equilibrium restricted to x > split) and the mask of the upper cells (x > split)."""
    ts = math.acos(split)
    n1 = min(max(int(round(n * ts / math.pi)), 1), n - 1)
    th = np.r_[np.linspace(0.0, ts, n1 + 1), np.linspace(ts, math.pi, n - n1 + 1)[1:]]
    xf = np.cos(th)
    xc = np.cos(0.5 * (th[:-1] + th[1:]))
    dx = xf[:-1] - xf[1:]
    ud = np.asarray(Ud(xc), float)
    ud = ud - ud.min()
    w = np.exp(-ud)
    pi = dx * w
    # Scharfetter–Gummel face weight: the logarithmic mean of e^{-U} (exact for U linear in x)
    a, b = ud[:-1], ud[1:]
    d = b - a
    small = np.abs(d) < 1e-8
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        wf = np.where(small, np.exp(-a) * (1 - d / 2), -np.exp(-a) * np.expm1(-d) / np.where(small, 1.0, d))
    c = 0.5 * (1 - xf[1:-1] ** 2) * wf / (xc[:-1] - xc[1:])
    up = np.arange(n) < n1
    u0 = np.asarray(U0(xc), float)
    p0 = np.where(up, dx * np.exp(-(u0 - u0[up].min())), 0.0)
    return pi, c, p0 / p0.sum(), up, ud


def _chain_operator(c, n: int):
    """The chain's symmetric generator K (zero row sums, off-diagonals c) and its diagonal magnitude."""
    diag = np.zeros(n)
    diag[:-1] += c
    diag[1:] += c
    return sp.diags([c, c, -diag], [-1, 1, 0], format="csr"), diag


def _minima(ud) -> list:
    """Discrete local minima of U_d separated by at least 1 kT (deepest first)."""
    n = ud.size
    cand = [i for i in range(n) if (i == 0 or ud[i] <= ud[i - 1]) and (i == n - 1 or ud[i] < ud[i + 1])]
    cand.sort(key=lambda i: ud[i])
    kept = []
    for i in cand:
        if all(np.max(ud[min(i, j):max(i, j) + 1]) - max(ud[i], ud[j]) >= 1.0 for j in kept):
            kept.append(i)
    return kept


def _spectral(Ud, U0, n: int, times: np.ndarray, split: float = 0.0):
    """WER(times) on one chain, its rounding + truncation bound, λ₁ and how λ₁ was obtained.

    The rounding of the modal sum is measured, not modelled: the sum is formed twice, with the
    eigenpairs of the chain and of its mirror image (the same matrix, rounded in another order);
    where the initial state lies far above the current-on equilibrium (a strong current) the modal
    coefficients are huge and cancel at early times, and the two sums then differ by the noise."""
    pi, c, p0, up, ud = _chain(Ud, U0, n, split)
    sq = np.sqrt(pi)
    K, diag = _chain_operator(c, n)
    d = diag / pi
    e = -c / (sq[:-1] * sq[1:])
    y0 = p0 / sq
    a_norm = math.sqrt(float(np.sum(pi[up])))
    b_norm = float(np.linalg.norm(y0))
    # modes that matter at the shortest time: beyond λ_cut each term is below e^{-λ_cut t} ‖a‖‖b‖
    # (‖b‖ is huge where the initial state sits far above the current-on equilibrium: include it)
    top = float(d.max() + 2 * np.abs(e).max())  # Gershgorin bound of the spectrum
    log_ab = max(0.0, math.log(max(a_norm * b_norm, 1e-300)))
    lam_cut = max(60.0, (45.0 + log_ab) / times[0])
    # memory: at most _MAX_MODE_ENTRIES eigenvector entries; shorter pulses than the modes kept can
    # resolve are left to the time integration (their bound is set to infinity)
    k_max = max(8, _MAX_MODE_ENTRIES // n)
    too_short = np.zeros(times.size, bool)
    if k_max < n and lam_cut < top:
        from scipy.linalg import eigvalsh_tridiagonal

        lam_allowed = float(eigvalsh_tridiagonal(d, e, select="i", select_range=(0, k_max - 1))[-1])
        if lam_cut > lam_allowed:
            lam_cut = lam_allowed
            too_short = times < (45.0 + log_ab) / lam_cut
    elif k_max < n:
        lam_cut = top
        too_short[:] = True  # every mode would be needed: integrate in time instead
    trunc = np.zeros_like(times) if lam_cut >= top else np.exp(-lam_cut * times) * a_norm * b_norm
    trunc[too_short] = np.inf
    if np.all(too_short):
        return np.full(times.size, np.nan), trunc, float("nan"), "time integration"
    wells = _minima(ud)
    slow = _slow_mode(K, pi, sq, wells, ud)  # shared by both sums (it involves no eigensolver)
    sums = []
    for flip in (False, True):
        wer, terms, lam, how = _modal_sum(d, e, sq, y0, up, pi, slow, times, lam_cut, top, flip)
        sums.append(wer)
    noise = 3.0 * np.abs(sums[0] - sums[1]) + np.abs(terms).sum(axis=1) * _ROUND
    if slow is None and len(wells) >= 2 and lam.size > 1 and lam[1] <= 1e-10 * top:
        # a bistable chain whose slowest rate is below the eigensolver's resolution and that flux over
        # population could not give: the modal sum is not resolved (measured, σ = 300 without current: WER
        # 1.499 with a two-sum bound of 0.004); the time integration takes these times
        noise = np.full(times.size, np.inf)
    return sums[0], noise + trunc, float(lam[1]) if lam.size > 1 else float("nan"), how


def _integrate_chain(Ud, U0, n: int, times: np.ndarray, rtol: float, scale: np.ndarray, split: float = 0.0):
    """WER(times) of the chain by stiff time integration (BDF, tridiagonal Jacobian), for the early
    times where the modal sum cancels (a strong current: the initial state far above the current-on
    equilibrium makes the modal coefficients huge).  Returns the values and their error bound."""
    from scipy.integrate import solve_ivp

    pi, c, p0, up, _ = _chain(Ud, U0, n, split)
    J = (_chain_operator(c, n)[0] @ sp.diags(1.0 / pi)).tocsc()
    ode_rtol = max(rtol / 100, 1e-11)
    atol = ode_rtol * max(float(np.min(np.abs(scale))), 1e-300) / n
    sol = solve_ivp(lambda t, y: J @ y, (0.0, float(times[-1])), p0, method="BDF", jac=J, t_eval=times,
                    rtol=ode_rtol, atol=atol, first_step=min(1e-9, float(times[0]) / 100))
    if not sol.success:
        raise FloatingPointError(f"time integration of the 1D chain failed: {sol.message}")
    wer = up @ sol.y
    # BDF controls the local error: allow 10x for its accumulation over the steps
    return wer, 10 * ode_rtol * np.abs(wer) + n * atol


def _slow_mode(K, pi, sq, wells, ud):
    """λ₁ and its unit vector (symmetrized) by flux over population in a bistable chain, or None.

    The solves are row-scaled by e^{U_d} first (:func:`.escape._two_set_eigen`): unscaled, the
    conductances of a high barrier (e^{−300} against 1 in the wells at σ = 300) made the committors
    −2e82 and λ₁ wrong by 40 orders of magnitude (measured, 256 cells); the unscaled solve is the retry."""
    from .escape import _two_set_eigen

    if len(wells) < 2:
        return None
    for scale in (np.exp(np.asarray(ud, float)), None):
        try:
            l1, _, ch, phi = _two_set_eigen(K, pi, [wells[0]], [wells[1]], tol=1e-14, max_iter=30, row_scale=scale)
        except (RuntimeError, FloatingPointError):
            continue
        if ch.get("converged") and ch.get("contraction", 1.0) < 0.9 and np.isfinite(l1) and l1 > 0 \
                and ch.get("min_committor", 0.0) >= -1e-3:
            return l1, sq * phi
    return None


def _modal_sum(d, e, sq, y0, up, pi, slow, times, lam_cut, top, flip):
    from scipy.linalg import eigh_tridiagonal

    # bisection + inverse iteration (memory O(n·modes)); ``flip`` solves the mirrored chain, the same
    # matrix with its rounding in a different order (the second, independent modal sum)
    dd, ee = (d[::-1], e[::-1]) if flip else (d, e)
    if lam_cut >= top:
        lam, V = eigh_tridiagonal(dd, ee)
    else:
        lam, V = eigh_tridiagonal(dd, ee, select="v", select_range=(-1.0, lam_cut), lapack_driver="stebz")
    if flip:
        V = V[::-1]
    order = np.argsort(lam)
    lam, V = lam[order], V[:, order]
    # exact stationary mode
    lam[0] = 0.0
    V[:, 0] = sq / np.linalg.norm(sq)
    how = "eigh_tridiagonal"
    if slow is not None and lam.size > 1:
        l1, v = slow
        v = v - V[:, 0] * (V[:, 0] @ v)
        lam[1] = l1
        V[:, 1] = v / np.linalg.norm(v)
        how = "flux-over-population"
    a = sq[up] @ V[up]
    b = V.T @ y0
    ab = a * b
    # the stationary term Σ_up π / Σ π, computed directly (all positive)
    ab[0] = float(np.sum(pi[up]) / np.sum(pi))
    terms = np.exp(-np.outer(times, lam)) * ab
    return terms.sum(axis=1), terms, lam, how


def axial_wer(Ud, U0, times, *, rtol: float = DEFAULT_RTOL, n0: int = 256, max_cells: int = 1 << 20,
              split: float = 0.0) -> dict:
    """WER of an axially symmetric problem from the exact 1D reduction, to a relative accuracy rtol.

    Parameters
    ----------
    Ud : callable
        Dissipative potential ``U_d(x) = U(x) − χ(x)/α`` in kT, x = u_z (the current on).
    U0 : callable
        The energy at zero current (kT): the initial state is ``e^{−U0}`` restricted to x > 0.
    times : array_like
        Pulse widths (τ_N), strictly increasing, > 0.
    rtol : float
        Target relative error of every WER value.
    n0, max_cells : int
        Coarsest and largest number of 1D cells (doubled level by level).
    split : float in (−1, 1)
        The start region is x > ``split`` (default 0: the upper hemisphere); a cell face lies there.

    Returns
    -------
    dict
        ``wer``, ``error_estimate`` (relative, per time), ``converged``, ``cells``, ``lambda1_tauN`` (the
        slowest relaxation rate with the current on), ``lambda1_method``, ``levels``.
    """
    times = check_times(times)
    if isinstance(split, bool) or not -1.0 < float(split) < 1.0:
        raise ParameterError("split", split, "in (-1, 1) (x = cos theta of the boundary of the start region)")
    split = float(split)
    history = []
    n = int(n0) + int(n0) % 2
    res = None
    noisy = np.zeros(times.size, bool)  # times computed by time integration (kept for every level)
    while n <= max_cells:
        wer, bound, lam1, how = _spectral(Ud, U0, n, times, split)
        new = ~(bound <= 0.05 * rtol * np.abs(wer)) & ~noisy  # (NaN or inf: not resolved spectrally)
        noisy |= new
        if np.any(new):
            # the levels of one Richardson sequence must come from one method: redo the kept levels
            for hh in history[-3:]:
                prev = hh["wer"][new]
                w_ode, b_ode = _integrate_chain(Ud, U0, hh["cells"], times[new], rtol,
                                                np.maximum(np.where(np.isfinite(prev), np.abs(prev), 1.0), 1e-300),
                                                split)
                hh["wer"][new], hh["bound"][new] = w_ode, b_ode
        if np.any(noisy):
            # early times of a strong current: the modal sum cancels; integrate the chain instead
            scale = np.where(np.isfinite(wer[noisy]), np.abs(wer[noisy]), 1.0)
            w_ode, b_ode = _integrate_chain(Ud, U0, n, times[noisy], rtol, np.maximum(scale, 1e-300), split)
            wer, bound = wer.copy(), bound.copy()
            wer[noisy], bound[noisy] = w_ode, b_ode
        history.append({"cells": n, "wer": wer, "bound": bound, "lambda1": lam1, "lambda1_method": how})
        if len(history) >= 3:
            value, err, ok = [], [], []
            for i in range(times.size):
                seq = [hh["wer"][i] for hh in history[-4:]]
                e = estimate(seq)
                d = np.abs(np.diff(seq[-3:]))
                if not e.asymptotic and 3 * d.max() + bound[i] <= 0.1 * rtol * abs(seq[-1]):
                    # no measurable order, because the level differences are rounding noise or
                    # pre-asymptotic wiggles far below the target: for any convergent order p ≥ 0.5
                    # the remaining error is ≤ |Δ|/(2^0.5 − 1) < 3 max|Δ|
                    value.append(seq[-1])
                    err.append(bound[i] + 3 * d.max())
                    ok.append(True)
                else:
                    value.append(e.value)
                    err.append(e.error + bound[i])
                    ok.append(e.asymptotic)
            value = np.array(value)
            rel = np.where(value > 0, np.array(err) / np.maximum(np.abs(value), 1e-320), np.inf)
            res = (value, rel, all(ok))
            if res[2] and np.all(rel <= rtol):
                break
        n *= 2
    if res is None:
        raise ParameterError("max_cells", max_cells, f">= {4 * n0} (three 1D levels for the error estimate)")
    value, rel, asym = res
    fine = history[-1]
    # a probability: the extrapolated value of a WER at 1 (no switching yet) may exceed 1 by its error
    # (measured: 1 + 1.1e-8 with estimate 4.7e-8 after a 2 ns pulse of the MTJ case)
    return {"wer": np.clip(value, 0.0, 1.0), "error_estimate": rel, "converged": bool(asym and np.all(rel <= rtol)),
            "cells": int(fine["cells"]), "lambda1_tauN": fine["lambda1"], "lambda1_method": fine["lambda1_method"],
            "levels": [{"cells": hh["cells"], "lambda1_tauN": hh["lambda1"]} for hh in history]}


# ------------------------------------------------------------------------------------------------
# the mesh
# ------------------------------------------------------------------------------------------------
def _clip_area(P, normal) -> float:
    """Area of the flat polygon P (k, 3) on the side ``x·normal ≥ 0`` (one Sutherland–Hodgman pass)."""
    out = []
    s = P @ normal
    k = len(P)
    for i in range(k):
        a, b = P[i], P[(i + 1) % k]
        sa, sb = s[i], s[(i + 1) % k]
        if sa >= 0:
            out.append(a)
        if (sa >= 0) != (sb >= 0):
            out.append(a + (b - a) * (sa / (sa - sb)))
    if len(out) < 3:
        return 0.0
    Q = np.asarray(out)
    return 0.5 * float(np.linalg.norm(np.sum(np.cross(Q, np.roll(Q, -1, axis=0)), axis=0)))


def upper_fraction(mesh, axis=(0.0, 0.0, 1.0)) -> np.ndarray:
    """Fraction of each cell's area with ``u·axis > 0``.

    Cells crossed by the great circle ``u·axis = 0`` are split exactly on their flat triangle fan
    (centre, consecutive corners); counting a crossed cell wholly on the side of its centre would
    make the initial state and the measured WER first order in the mesh spacing (a staircase)."""
    n = np.asarray(axis, float)
    C = np.asarray(mesh.centers)
    V = np.asarray(mesh.vertices)
    frac = (C @ n > 0).astype(float)
    for i, corners in enumerate(mesh.cell_vertices()):
        z = V[corners] @ n
        if z.min() >= 0 or z.max() <= 0:
            continue
        above = total = 0.0
        P = V[corners]
        for k in range(len(corners)):
            tri = np.array([C[i], P[k], P[(k + 1) % len(corners)]])
            total += 0.5 * float(np.linalg.norm(np.cross(tri[1] - tri[0], tri[2] - tri[0])))
            above += _clip_area(tri, n)
        frac[i] = above / total if total > 0 else frac[i]
    return frac


def _pulse_problem(mesh, energy, gen):
    """``(f, P0, J)`` of a pulse on a mesh: each cell's area fraction in u_z > 0, the initial cell
    probabilities (zero-current e^{−U} restricted to u_z > 0) and the generator on cell probabilities,
    ``dP/dt = J P`` with ``J = Q A⁻¹`` (Q acts on densities)."""
    f = upper_fraction(mesh)
    u0 = np.asarray(energy.value(np.asarray(mesh.centers)), float)
    p0 = f * gen.areas * np.exp(-(u0 - u0[f > 0].min()))
    return f, p0 / p0.sum(), (gen.Q @ sp.diags(1.0 / gen.areas)).tocsc()


def _mesh_level(mesh, energy, alpha, chi, phi, times, ode_rtol):
    from scipy.integrate import solve_ivp

    from .generator import assemble

    # the M-matrix variant: positivity-preserving and stable where the precession is under-resolved
    # (the central scheme has growing modes there once a current drives the density off e^{-U})
    f, p0, J = _pulse_problem(mesh, energy, assemble(mesh, energy, alpha, chi=chi, phi=phi, mmatrix=True))
    sol = solve_ivp(lambda t, y: J @ y, (0.0, float(times[-1])), p0, method="BDF", jac=J, t_eval=times,
                    rtol=ode_rtol, atol=1e-22 / mesh.n_cells, first_step=min(1e-6, float(times[0]) / 10))
    if not sol.success:
        raise FloatingPointError(f"time integration failed: {sol.message}")
    return np.maximum(f @ sol.y, 0.0)


def mesh_wer(energy, alpha, times, *, chi=None, phi=None, rtol: float = DEFAULT_RTOL, max_cells: int = 50_000,
             start_level: int = 3) -> dict:
    """WER on the geodesic mesh (any energy, χ, Φ), refined until the estimate meets rtol.

    Returns the same keys as :func:`axial_wer` (``lambda1_tauN`` omitted)."""
    from ..sphere import geodesic_mesh, level_cells

    times = check_times(times)
    history: list = []
    skipped: list = []
    res = None
    L = start_level
    while level_cells(L) <= max_cells:
        t0 = time.perf_counter()
        try:
            wer = _mesh_level(geodesic_mesh(L), energy, alpha, chi, phi, times, ode_rtol=max(rtol / 20, 1e-11))
            ok = bool(np.all(wer <= 1.0 + 1e-6))
        except FloatingPointError:
            ok = False
        if not ok:
            # a coarse mesh whose central precession fluxes are unstable (growing modes at high cell
            # Péclet number): not usable, and not part of the convergence run
            skipped.append({"level": L, "cells": level_cells(L), "seconds": time.perf_counter() - t0,
                            "reason": "unstable (under-resolved precession)"})
            history = []
            L += 1
            continue
        history.append({"level": L, "cells": level_cells(L), "wer": wer, "seconds": time.perf_counter() - t0})
        if len(history) >= 3:
            est = [estimate([hh["wer"][i] for hh in history[-4:]]) for i in range(times.size)]
            value = np.array([e.value for e in est])
            err = np.array([e.error for e in est]) + value * rtol / 20
            rel = np.where(value > 0, err / np.maximum(np.abs(value), 1e-320), np.inf)
            res = (value, rel, all(e.asymptotic for e in est))
            if res[2] and np.all(rel <= rtol):
                break
        L += 1
    if res is None:
        raise ParameterError("max_cells", max_cells, f">= {level_cells(L + 2 if skipped else start_level + 2)} "
                             "(three stable geodesic levels for the error estimate)")
    value, rel, asym = res
    return {"wer": np.clip(value, 0.0, 1.0), "error_estimate": rel, "converged": bool(asym and np.all(rel <= rtol)),
            "cells": int(history[-1]["cells"]), "level": history[-1]["level"],
            "levels": skipped + [{"level": hh["level"], "cells": hh["cells"], "seconds": hh["seconds"]}
                                 for hh in history]}


# ------------------------------------------------------------------------------------------------
# the orbit-aligned mesh, L-stable time steps
# ------------------------------------------------------------------------------------------------
#: TR-BDF2's stage fraction γ = 2 − √2: both stages then solve with the same matrix I − (γh/2) J
_GAMMA = 2.0 - math.sqrt(2.0)
#: steps per doubling of time at the first try
_STEPS_PER_DOUBLING = 16
#: most steps per doubling of time before the time error is reported as not reached
_MAX_STEPS_PER_DOUBLING = 256
#: levels (from the first) whose time error is measured by halving the step; finer ones reuse the count
_TIME_CHECK_LEVELS = 2
#: share of rtol left to the time integration (the rest to the mesh)
_TIME_SHARE = 0.25


class _TRBDF2:
    """TR-BDF2 (Bank et al. 1985; Hosea & Shampine 1996) for ``dP/dt = J P``: a trapezoidal stage to
    ``t + γh`` and a BDF2 stage to ``t + h``, both solving with ``I − (γh/2) J``.  L-stable and second
    order: a precession mode ``iω`` with ``hω ≫ 1`` is damped within a step instead of followed, while the
    slow modes (the ones a WER sees) are integrated at second order.  One sparse LU per step size, cached
    (the step sizes are powers of two times a base step)."""

    def __init__(self, J, mesh):
        self.J = J.tocsc()
        self.I = sp.identity(J.shape[0], format="csc")
        self.spec = getattr(mesh, "fill_order", "COLAMD")
        self.pivot = float(getattr(mesh, "pivot_threshold", 0.1))
        self.cache: dict = {}
        self.a = 1.0 / (_GAMMA * (2.0 - _GAMMA))
        self.b = (1.0 - _GAMMA) ** 2 / (_GAMMA * (2.0 - _GAMMA))

    def _factors(self, h: float):
        hit = self.cache.get(h)
        if hit is None:
            import scipy.sparse.linalg as spla

            c = 0.5 * _GAMMA * h
            lu = spla.splu((self.I - c * self.J).tocsc(), permc_spec=self.spec, diag_pivot_thresh=self.pivot)
            hit = (lu, (self.I + c * self.J).tocsr())
            self.cache[h] = hit
        return hit

    def step(self, y, h: float, n: int):
        lu, B = self._factors(h)
        for _ in range(n):
            ys = lu.solve(B @ y)
            y = lu.solve(self.a * ys - self.b * y)
        return y


def _schedule(t1: float, t_end: float, per_doubling: int) -> list:
    """Steps ``[(h, n), …]`` covering [0, t_end]: ``per_doubling`` steps on [0, t1] and on each [a, 2a]
    (a = t1, 2t1, …), so the step grows with t like the time scale of a decay seen over [0, t].  All
    steps are ``t1/per_doubling`` times powers of two: doubling ``per_doubling`` reuses every factorization
    but one."""
    out = [(t1 / per_doubling, per_doubling)]
    a = t1
    while a < t_end:
        out.append((a / per_doubling, per_doubling))
        a *= 2.0
    return out


def _integrate_wer(stepper: _TRBDF2, p0, f, g, times, per_doubling: int) -> np.ndarray:
    """WER at ``times`` from the step schedule: W = f·P at the steps, read between them by cubic Hermite
    interpolation of log W (W' = g·P; of W where W ≤ 0), fourth order against the integrator's second."""
    out = np.empty(times.size)
    y = p0.copy()
    t = 0.0
    w, dw = float(f @ y), float(g @ y)
    k = 0
    for h, n in _schedule(float(times[0]), float(times[-1]), per_doubling):
        for _ in range(n):
            if k >= times.size:
                return out
            y1 = stepper.step(y, h, 1)
            t1 = t + h
            w1, dw1 = float(f @ y1), float(g @ y1)
            while k < times.size and times[k] <= t1 * (1 + 1e-12):
                s = min(max((times[k] - t) / h, 0.0), 1.0)
                if w > 0 and w1 > 0:
                    a0, a1, d0, d1 = math.log(w), math.log(w1), h * dw / w, h * dw1 / w1
                else:
                    a0, a1, d0, d1 = w, w1, h * dw, h * dw1
                h00, h10 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s
                h01, h11 = -2 * s**3 + 3 * s**2, s**3 - s**2
                v = h00 * a0 + h10 * d0 + h01 * a1 + h11 * d1
                out[k] = math.exp(v) if (w > 0 and w1 > 0) else v
                k += 1
            y, t, w, dw = y1, t1, w1, dw1
    while k < times.size:  # rounding at the very end
        out[k] = w
        k += 1
    return out


def _orbit_level(mesh, energy, alpha, chi, phi, times, rtol, per_doubling, check: bool):
    """WER on one orbit-aligned mesh and its relative time error.

    With ``check``: TR-BDF2 with ``per_doubling`` steps per doubling of time and with twice as many, the
    base step halved until their change /3 (second order) is within :data:`_TIME_SHARE` of rtol (or
    :data:`_MAX_STEPS_PER_DOUBLING` is reached).  Without: one run at ``per_doubling`` (the count a
    coarser level settled; the time error is then that level's, see :func:`orbit_wer`).
    Returns ``(wer, time_error or None, per_doubling used)``."""
    from .generator import assemble

    f, p0, J = _pulse_problem(mesh, energy, assemble(mesh, energy, alpha, chi=chi, phi=phi, curl="precession"))
    if not np.all(np.isfinite(J.data)):
        raise ParameterError("chi_cos", "this landscape", "a drift whose exponents between neighbouring cells "
                             "stay finite on the orbit-aligned mesh", f"level {getattr(mesh, 'level', '?')}")
    g = np.asarray(J.T @ f).ravel()
    stepper = _TRBDF2(J, mesh)
    if not check:
        return _integrate_wer(stepper, p0, f, g, times, per_doubling), None, per_doubling
    coarse = _integrate_wer(stepper, p0, f, g, times, per_doubling)
    while True:
        fine = _integrate_wer(stepper, p0, f, g, times, 2 * per_doubling)
        with np.errstate(divide="ignore", invalid="ignore"):
            err = np.where(fine > 0, np.abs(fine - coarse) / 3 / fine, np.inf)
        if np.all(err <= _TIME_SHARE * rtol) or 2 * per_doubling >= _MAX_STEPS_PER_DOUBLING:
            return fine, err, 2 * per_doubling
        coarse, per_doubling = fine, 2 * per_doubling


#: default cell budget of the orbit-aligned WER (level 4 of a film: about 390 000 cells)
ORBIT_WER_MAX_CELLS = 400_000


def orbit_wer(energy, alpha, times, *, chi=None, phi=None, precession=None, rtol: float = DEFAULT_RTOL,
              max_cells: int = ORBIT_WER_MAX_CELLS) -> dict:
    """WER on the orbit-aligned meshes (levels 1, 2, …) integrated by TR-BDF2, for low damping.

    The mesh (:mod:`.orbit_mesh`) follows the level sets of the precession potential ``precession``
    (U + Φ; default ``energy``), so the precession never carries probability across its faces and the
    dissipative flux alone (Scharfetter–Gummel in U_d) moves it between orbits, at any α.  Each level is
    integrated with L-stable steps whose time error is measured by halving the step (:func:`_orbit_level`);
    the mesh error is the last change between levels, trusted (``converged``) when three successive
    changes have one sign and contract by :data:`~.api.ORBIT_CONTRACTION` or more (as for the escape rates
    on this mesh, :func:`~.api._contracting`).

    Returns the keys of :func:`mesh_wer` plus ``time_error`` (relative, per time), ``asymptotic`` (per
    time) and ``level_wer`` (the WER of every level); each entry of ``levels`` carries its
    ``steps_per_doubling``.
    """
    from .api import _ORBIT_START, _contracting
    from .orbit_mesh import OrbitStructure, orbit_mesh

    times = check_times(times)
    up = energy if precession is None else precession
    st = OrbitStructure(up)
    history: list = []
    L = _ORBIT_START
    per_doubling = _STEPS_PER_DOUBLING
    terr = None
    mesh = orbit_mesh(up, L, structure=st)
    while True:
        t0 = time.perf_counter()
        check = L < _ORBIT_START + _TIME_CHECK_LEVELS
        wer, e, per_doubling = _orbit_level(mesh, energy, alpha, chi, phi, times, rtol,
                                            per_doubling // 2 if check and history else per_doubling, check)
        if e is not None:
            terr = e
        history.append({"level": L, "cells": mesh.n_cells, "wer": wer, "steps_per_doubling": per_doubling,
                        "seconds": time.perf_counter() - t0})
        L += 1
        if 4 * mesh.n_cells > max_cells:
            break
        mesh = orbit_mesh(up, L, structure=st)
        if mesh.n_cells > max_cells:
            break
    # levels past the checked ones reuse the step count: their time error is taken as twice the last
    # measured one (the slow dynamics the WER follows converge with the mesh)
    terr = terr * (1.0 if len(history) <= _TIME_CHECK_LEVELS else 2.0)
    W = np.array([hh["wer"] for hh in history])
    fine = W[-1]
    if len(history) >= 2:  # per time, the escape rates' rule on this mesh
        est = [_contracting(W[:, i]) for i in range(times.size)]
        space = np.array([e.error for e in est])
        asym = np.array([e.asymptotic for e in est])
    else:
        space, asym = np.full(times.size, np.inf), np.zeros(times.size, bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(fine > 0, (space + terr * fine) / fine, np.inf)
    converged = bool(np.all(asym) and np.all(rel <= rtol))
    return {"wer": np.clip(np.where(fine > 0, fine, 0.0), 0.0, 1.0), "error_estimate": rel,
            "converged": converged, "asymptotic": np.asarray(asym, bool), "time_error": terr,
            "cells": int(history[-1]["cells"]), "level": history[-1]["level"],
            "levels": [{k: v for k, v in hh.items() if k != "wer"} for hh in history],
            "level_wer": W}


# ------------------------------------------------------------------------------------------------
# the user-facing computation
# ------------------------------------------------------------------------------------------------
#: methods of :func:`compute_wer`
WER_METHODS = ("auto", "axial", "mesh", "orbit")
#: default cell budget of the mesh method (level 6 of the geodesic mesh has 40 962 cells)
DEFAULT_MAX_CELLS = 50_000



def _cell_budget(max_cells, default: int, least: int, why: str) -> int:
    """The user's ``max_cells`` (``default`` when None), refused naming it unless an integer >= ``least``."""
    if max_cells is None:
        return int(default)
    if isinstance(max_cells, bool) or not isinstance(max_cells, (int, np.integer)) or max_cells < least:
        raise ParameterError("max_cells", max_cells, f"an integer >= {least} ({why})")
    return int(max_cells)


def compute_wer(*, sigma: float, times, alpha: float = 1.0, h: float = 0.0, psi: float = 0.0,
                sigma_p: float = 0.0, chi_cos: float = 0.0, phi_cos: float = 0.0, rtol: float | None = None,
                max_cells: int | None = None, method: str = "auto") -> dict:
    r"""Write-error rate WER(t) of a current pulse of width t, to a relative accuracy rtol (reduced units).

    The magnet starts in the zero-current thermal distribution restricted to ``u_z > 0``; during
    the pulse the spin-transfer potentials ``χ = chi_cos·u_z`` and ``Φ = phi_cos·u_z`` (kT) act
    (seed 002 Eq. 24; ``chi_cos < 0`` pushes towards ``−e_z``).  ``WER(t)`` is the probability still
    in ``u_z > 0`` at the end of the pulse.

    Parameters
    ----------
    sigma, h, psi, sigma_p, alpha, chi_cos, phi_cos
        As in :func:`~thermokinetic.fokker_planck.api.compute_escape`:
        ``U = −σ u_z² + σ_p u_x² − 2σh (u·e_H)`` in kT, Gilbert damping α.
    times : array_like
        Pulse widths in τ_N, strictly increasing, > 0.
    rtol : float
        Target relative error of every WER value (default 1e-3).
    max_cells : int
        Cell budget (1D cells for the axial method, default 2²⁰; geodesic mesh cells, default 50 000;
        orbit-aligned mesh cells, default 400 000).
    method : {"auto", "axial", "mesh", "orbit"}
        ``auto``: the exact 1D reduction when the energy is symmetric about e_z (Φ then drops out);
        else the orbit-aligned mesh (:func:`orbit_wer`) where the precession's cell Péclet number on the
        finest geodesic level exceeds :data:`~.api.MIN_ORBIT_PECLET` (low damping, thin films) and the
        landscape has two wells with its saddles on one level; else the geodesic mesh.

    Returns
    -------
    dict
        ``times_tauN``, ``wer``, ``error_estimate`` (relative, per time), ``converged``, ``valid``,
        ``method``, ``method_reason``, ``cells``, ``lambda1_tauN`` (axial: the slowest relaxation rate
        during the pulse), ``time_error`` (orbit: the relative time-step error per time, included in
        ``error_estimate``), ``energy`` (the reduced energy used), ``levels``, ``seconds`` and the inputs.
    """
    from ..energy import thin_film
    from ..errors import check_choice, check_finite, check_range
    from .api import MAX_ENERGY_RANGE, _axial_potential, _energy_description, cos_potential

    t0 = time.perf_counter()
    sigma = check_range("sigma", sigma, 0, 1e4)
    h = check_range("h", h, -1e3, 1e3)
    psi = check_finite("psi", psi)
    alpha = check_range("alpha", alpha, 1e-8, 1e8)
    sigma_p = check_range("sigma_p", sigma_p, 0, 1e5)
    chi_cos = check_range("chi_cos", chi_cos, -1e6, 1e6)
    phi_cos = check_range("phi_cos", phi_cos, -1e6, 1e6)
    method = check_choice("method", method, WER_METHODS)
    times = check_times(times)
    # below 1e-15 no estimate can be certified in double precision (and rtol = 1e-320 overflowed 1/rtol)
    rtol = DEFAULT_RTOL if rtol is None else check_range("rtol", rtol, 1e-15, 1, hi_open=True)
    rtol = max(rtol, 1e-10)
    energy = thin_film(sigma, sigma_p, h, psi)
    U_axial = _axial_potential(energy, sigma, h, psi, sigma_p, False)
    out = {"sigma": sigma, "h": h, "psi_deg": psi, "sigma_p": sigma_p, "alpha": alpha, "chi_cos": chi_cos,
           "phi_cos": phi_cos, "rtol": rtol, "times_tauN": times,
           "energy": _energy_description(sigma, h, psi, sigma_p),
           "initial_state": "zero-current thermal distribution restricted to u_z > 0"}
    if method == "axial" and U_axial is None:
        raise ParameterError("method", method, "used for energies symmetric about e_z "
                             "(psi = 0 or 180, or h = 0, and sigma_p = 0)")
    if method == "auto":
        method = "axial" if U_axial is not None else "mesh"
        out["method_reason"] = ("energy and chi symmetric about e_z: the exact 1D reduction (Phi and the "
                                "precession drop out of the axial marginal)" if method == "axial" else
                                "no axial symmetry: finite volumes on the geodesic mesh, integrated in time")
        if method == "mesh":
            why = _orbit_wanted(energy, alpha, phi_cos)
            if why:
                method, out["method_reason"] = "orbit", why
    else:
        out["method_reason"] = f"requested (--method {method})"
    c_alpha = chi_cos / alpha

    def Ud(x):
        return np.asarray(U_axial(x), float) - c_alpha * np.asarray(x, float)

    if method == "axial":
        span = float(np.ptp(Ud(np.linspace(-1, 1, 2001))))
        if span > MAX_ENERGY_RANGE:
            raise ParameterError("chi_cos" if abs(c_alpha) > sigma else "sigma", chi_cos if abs(c_alpha) > sigma
                                 else sigma, f"a landscape with max U_d - min U_d <= {MAX_ENERGY_RANGE:g} kT",
                                 f"this one spans {span:.0f} kT")
        max_cells = _cell_budget(max_cells, 1 << 20, 1024, "three 1D levels")
        res = axial_wer(Ud, U_axial, times, rtol=rtol, max_cells=max_cells)
        out.update(method="axial", lambda1_tauN=res["lambda1_tauN"], lambda1_method=res["lambda1_method"])
    elif method == "orbit":
        from .api import _chi_term

        if alpha < 1e-4:
            raise ParameterError("alpha", alpha, ">= 1e-4 for the orbit-aligned mesh method")
        max_cells = _cell_budget(max_cells, ORBIT_WER_MAX_CELLS, 6000, "orbit-aligned level 1 of a film")
        # no global Boltzmann scaling here (cell probabilities, local exponents in every flux): any U_d range
        try:
            res = orbit_wer(energy, alpha, times, chi=cos_potential(chi_cos) if chi_cos else None,
                            phi=cos_potential(phi_cos) if phi_cos else None,
                            precession=energy + _chi_term(phi_cos) if phi_cos else None, rtol=rtol,
                            max_cells=max_cells)
        except ParameterError as exc:
            if exc.name in ("max_cells", "method", "chi_cos"):
                raise
            raise ParameterError("method", "orbit", "used for two wells with all saddles on one level and regions "
                                 "that are discs bounded by separatrix arcs", str(exc)) from None
        out.update(method="orbit", level=res["level"], time_error=res["time_error"])
    else:
        if alpha < 1e-3:
            raise ParameterError("alpha", alpha, ">= 1e-3 for the mesh method (the precession is not resolved below)")
        max_cells = _cell_budget(max_cells, DEFAULT_MAX_CELLS, 10242, "three geodesic levels 3..5")
        from .api import _check_energy_range

        _check_energy_range(energy, chi_cos, alpha, False, sigma, sigma_p)
        res = mesh_wer(energy, alpha, times, chi=cos_potential(chi_cos) if chi_cos else None,
                       phi=cos_potential(phi_cos) if phi_cos else None, rtol=rtol, max_cells=max_cells)
        out.update(method="mesh", level=res["level"])
    wer = np.asarray(res["wer"], float)  # in [0, 1] (axial_wer, mesh_wer)
    rel = np.asarray(res["error_estimate"], float)
    out.update(wer=wer, error_estimate=rel, cells=res["cells"], levels=res["levels"],
               converged=bool(res["converged"]), valid=bool(res["converged"]))
    if not res["converged"]:
        worst = int(np.argmax(np.where(np.isfinite(rel), rel, np.inf)))
        out["reasons"] = [f"accuracy target rtol={rtol:g} not reached within max_cells={max_cells} (worst at "
                          f"t = {times[worst]:g} tau_N: WER {wer[worst]:.3g}, relative error {rel[worst]:.2g})"]
    else:
        out["reasons"] = []
    out["seconds"] = time.perf_counter() - t0
    return out


def _orbit_wanted(energy, alpha: float, phi_cos: float) -> str | None:
    """Why ``auto`` takes the orbit-aligned mesh (the precession's cell Péclet number on the finest geodesic
    level above :data:`~.api.MIN_ORBIT_PECLET`, and an orbit graph that the mesh can follow), or None."""
    from .api import MIN_ORBIT_PECLET, _chi_term, _precession_scale
    from .orbit_mesh import OrbitStructure

    up = energy + _chi_term(phi_cos) if phi_cos else energy
    pe, _ = _precession_scale(up, alpha)
    if pe <= MIN_ORBIT_PECLET:
        return None
    try:
        OrbitStructure(up)
    except ParameterError:
        return None
    return (f"no axial symmetry, precession cell Peclet number {pe:.0f} > {MIN_ORBIT_PECLET:g} on the finest "
            f"geodesic mesh (alpha = {alpha:g}): the orbit-aligned mesh, L-stable time steps (TR-BDF2)")


# ------------------------------------------------------------------------------------------------
# switching-current distributions under a linear current ramp
# ------------------------------------------------------------------------------------------------
def ramp_switching(*, sigma: float, alpha: float, ramp_rates, h: float = 0.0, attempt_frequency: float = 1.0,
                   n_grid: int = 200) -> dict:
    r"""Switching-current distributions of an axial magnet under linear current ramps, and the usual fit.

    The magnet sits in the well at +e_z; the spin-transfer potential ``χ = −c(t) u_z`` grows as
    ``c = v t`` (``v`` in kT per τ_N), pushing towards −e_z.  With the exact escape rate ``Γ₊(c)`` out of
    the upper well (:meth:`AxialProblem.escape_rates`, the 1D reduction, any barrier), the probability
    of having switched when the ramp reaches c is (adiabatic two-state limit, exact for ramps slow
    on the intra-well relaxation time)

    .. math:: P(c) = 1 − \exp\Big(−\frac1v \int_0^c Γ₊(c')\, dc'\Big),

    evaluated as ``−expm1(−I)`` (a small P is never 1 minus a number near 1); ``ln Γ₊`` is integrated
    piecewise linearly (exact for an exponential) on a grid dense near the zero-temperature critical
    value ``c_c0 = 2σα(1 + h)``, up to where the upper barrier falls to 0.05 kT.

    **The usual thermal-activation fit** assumes ``Γ = f₀ exp[−Δ(1 − c/c_c0)]`` (exponent b = 1) with a
    fixed attempt frequency f₀: the rate recovered from each distribution, ``Γ = v p(c)/(1 − P)``, is
    fitted by a straight line in c over 1 % ≤ P ≤ 99 % of every ramp (jointly), giving ``Δ_fit`` and
    ``c_c0,fit``.  The model's exact values are ``Δ = σ(1 + h)²`` and ``c_c0 = 2σα(1 + h)``; its barrier
    is ``σ(1 + h)²(1 − c/c_c0)²`` (b = 2), so the b = 1 fit is biased: that bias is the point of the
    comparison.

    Parameters
    ----------
    sigma : float
        Barrier parameter σ = Kv/kT (2 … 200).
    alpha : float
        Gilbert damping (> 0).
    ramp_rates : array_like
        Ramp rates v (kT/τ_N per τ_N, > 0).
    h : float
        Axial field along +e_z (stabilizing), |h| < 1.
    attempt_frequency : float
        f₀ of the usual fit (1/τ_N).
    n_grid : int
        Current grid nodes (the integral converges at second order; ``n_grid`` and ``2 n_grid`` give
        its error estimate).

    Returns
    -------
    dict
        ``c_tauN`` (grid, kT), per ramp ``P_switched``, ``median_c`` (kT) and ``width_c`` (10–90 %,
        kT); ``median_error_estimate`` (relative); ``fit`` {``delta_kT``, ``c_c0``, ``residual_rms``,
        ``f0_tauN``}; ``exact`` {``delta_kT``, ``c_c0``, ``barrier`` formula}.
    """
    from ..errors import check_range
    from .axial import AxialProblem

    sigma = check_range("sigma", sigma, 2.0, 200.0)
    alpha = check_range("alpha", alpha, 1e-6, 1e3)
    h = check_range("h", h, -0.9, 0.9)
    f0 = check_range("attempt_frequency", attempt_frequency, 1e-12, 1e12)
    try:
        v = np.asarray(ramp_rates, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ParameterError("ramp_rates", ramp_rates, "a list of ramp rates > 0 (kT per tau_N)") from None
    if v.size == 0 or v.size > 100 or not np.all(np.isfinite(v)) or np.any(v <= 0):
        raise ParameterError("ramp_rates", ramp_rates, "1 to 100 finite ramp rates > 0 (kT per tau_N)")
    if isinstance(n_grid, bool) or not isinstance(n_grid, (int, np.integer)) or not 50 <= n_grid <= 20_000:
        raise ParameterError("n_grid", n_grid, "an integer in [50, 20000]")
    delta = sigma * (1 + h) ** 2
    cc0 = 2 * sigma * alpha * (1 + h)
    # last node: the upper barrier Δ(1 − c/c_c0)² down to 0.05 kT
    u_end = 1 - math.sqrt(0.05 / delta)

    def log_rates(n):
        # nodes dense near the end (the rate varies fastest there): c = c_c0 (1 − (1 − u)) ...
        s = np.linspace(0.0, 1.0, n)
        u = u_end * (1 - (1 - s) ** 2)
        out = []
        for c in u * cc0:
            ap = AxialProblem.uniaxial(sigma, h, chi=lambda x, c=c: -c * np.asarray(x, float), alpha=alpha)
            out.append(math.log(ap.escape_rates().gamma_plus))
        return u * cc0, np.array(out)

    core = ramp_distributions(log_rates, n_grid, v, f0, name="ramp_rates")
    c, per, med_err = core["c"], core["per"], core["median_error_estimate"]
    d_fit, slope, resid = core["delta_fit"], core["slope"], core["residual"]
    return {
        "sigma": sigma, "alpha": alpha, "h": h, "ramp_rates": v, "c_kT": c,
        "P_switched": [a["P"] for a in per], "median_c": [a["median"] for a in per],
        "width_c": [a["width"] for a in per], "median_error_estimate": med_err,
        "fit": {"model": "Gamma = f0 exp(-Delta (1 - c/c_c0)), b = 1, f0 fixed", "f0_tauN": f0,
                "delta_kT": float(d_fit), "c_c0": float(d_fit / slope) if slope > 0 else float("nan"),
                "residual_rms_ln_rate": resid},
        "exact": {"delta_kT": delta, "c_c0": cc0, "barrier": "Delta (1 - c/c_c0)^2 (b = 2)"},
    }


def ramp_distributions(log_rates, n_grid: int, v, f0: float, *, name: str = "ramp_rates") -> dict:
    """Switching distributions under linear ramps from a rate table, and the usual b = 1 fit.

    ``log_rates(n)`` returns ``(c, ln Γ(c))`` on n nodes from 0 to where the barrier has (almost)
    vanished; ``v`` are the ramp rates (c per unit time, in the rate's time unit) and ``f0`` the fixed
    attempt frequency of the usual fit.  ``P(c) = −expm1(−∫₀^c Γ/v)``, ``ln Γ`` piecewise linear
    (exact for an exponential); the grids n and 2n give the error estimate of the medians.  The usual
    fit ``ln Γ = ln f0 − Δ + (Δ/c_c0) c`` uses 1 % ≤ P ≤ 99 % of every ramp jointly.
    """
    def cumulative(c, lg):
        # ∫ e^{lg} dc, piecewise linear lg (exact for an exponential between nodes)
        dc = np.diff(c)
        dl = np.diff(lg)
        base = np.exp(lg[:-1])
        small = np.abs(dl) < 1e-8
        seg = np.where(small, base * dc * (1 + dl / 2), base * dc * np.expm1(dl) / np.where(small, 1.0, dl))
        return np.concatenate([[0.0], np.cumsum(seg)])

    grids = [log_rates(n_grid), log_rates(2 * n_grid)]
    runs = []
    for c, lg in grids:
        integral = cumulative(c, lg)
        per = []
        for vi in v:
            I = integral / vi
            P = -np.expm1(-I)
            if P[-1] < 0.99:
                raise ParameterError(name, float(vi), f"slow enough that 99 % have switched before the "
                                     f"barrier falls to 0.05 kT (here {P[-1]:.3g}): lower the ramp rate")
            inside = int(np.count_nonzero((P >= 0.01) & (P <= 0.99)))
            if inside < 3:
                # found by the property test: σ = 2, v = 1e-8 switches thermally at c ≈ 0, leaving no node
                # for the median or the fit (a numpy traceback before)
                raise ParameterError(name, float(vi), "fast enough that the switching distribution spans at least 3 "
                                     f"nodes of the rate table (1 % <= P <= 99 %; here {inside})",
                                     "the magnet switches thermally before the ramp builds up: raise the ramp rate "
                                     "or the barrier")
            # median: I = ln 2, interpolated in ln I (smooth)
            k = int(np.searchsorted(I, math.log(2.0)))
            lo, hi = max(k - 1, 1), min(k, I.size - 1)
            med = float(np.interp(math.log(math.log(2.0)), np.log(I[lo:hi + 1]), c[lo:hi + 1]))
            q = [float(np.interp(math.log(-math.log1p(-p)), np.log(np.maximum(I[1:], 1e-300)), c[1:]))
                 for p in (0.1, 0.9)]
            per.append({"P": P, "median": med, "width": q[1] - q[0], "I": I})
        runs.append((c, lg, per))
    c, lg, per = runs[1]
    med_err = [abs(a["median"] - b["median"]) / b["median"] for a, b in zip(runs[0][2], per)]
    # the usual fit: ln Γ = ln f0 − Δ + (Δ/c_c0) c over 1 % ≤ P ≤ 99 % of every ramp (Γ recovered exactly)
    xs, ys = [], []
    for a in per:
        sel = (a["P"] >= 0.01) & (a["P"] <= 0.99)
        xs.append(c[sel])
        ys.append(lg[sel])
    X = np.concatenate(xs)
    Y = np.concatenate(ys)
    slope, intercept = np.polyfit(X, Y, 1)
    resid = float(np.sqrt(np.mean((Y - (slope * X + intercept)) ** 2)))
    d_fit = math.log(f0) - intercept
    return {"c": c, "log_rate": lg, "per": per, "median_error_estimate": med_err, "delta_fit": float(d_fit),
            "slope": float(slope), "residual": resid}
