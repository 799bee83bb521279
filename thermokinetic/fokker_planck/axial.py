r"""Exact 1D reduction of Brown's Fokker–Planck equation for axially symmetric problems.

Reduced units (:mod:`thermokinetic.units`): energies in kT, time in τ_N, rates in 1/τ_N.

Equation
--------
When the reduced free energy depends on the direction only through ``x = cos θ`` (uniaxial
anisotropy plus a field along the easy axis, an axial dissipative potential χ(x), any axial
precession potential Φ(x)), the marginal density ``p(x) = ∫ρ dφ`` (``∫_{-1}^{1} p dx = 1``) obeys

.. math::

    ∂_t p = \tfrac12\, ∂_x\big[(1-x^2)\,(∂_x p + p\, ∂_x U_d)\big],
    \qquad U_d = U - χ/α ,

independently of α: the precession term ``u × ∇(U + Φ)`` is azimuthal and drops out of the
φ-average.  The stationary density is ``p ∝ e^{-U_d}``; below ``U`` stands for ``U_d``.
The backward (adjoint) operator is

.. math:: L^† g = \tfrac12\, e^{U}\, ∂_x\big[(1-x^2)\, e^{-U}\, ∂_x g\big],

with eigenvalues ``0 = λ_0 < λ_1 < λ_2 < …`` (at σ = 0: ``λ_ℓ = ℓ(ℓ+1)/2``, Legendre polynomials).

Method for λ₁ (no eigensolver)
------------------------------
At high barrier ``λ_1 ~ e^{-σ}`` is ≲ 10⁻¹² of the operator norm and standard eigensolvers
return noise.  Here λ₁ is computed from like-signed quadratures only.  Split ``[-1, 1]`` at a
matching point ``x_m`` (by default the barrier top).  The solution regular at ``x = 1`` with
``g_R(1) = 1`` and the one regular at ``x = -1`` with ``g_L(-1) = 1`` are the entire functions of λ

.. math::

    g_R = \sum_k (-λ)^k R_k,\quad
    R_{k+1}(x) = 2\int_x^1 \frac{e^{U(y)}\,dy}{1-y^2}\int_y^1 e^{-U(z)} R_k(z)\,dz,\quad R_0 = 1,

    g_L = \sum_k (-λ)^k L_k,\quad
    L_{k+1}(x) = 2\int_{-1}^x \frac{e^{U(y)}\,dy}{1-y^2}\int_{-1}^y e^{-U(z)} L_k(z)\,dz,\quad L_0 = 1,

all ``R_k, L_k ≥ 0``.  Continuity of ``g`` and of the probability flux
``(1-x^2) e^{-U} g'`` at ``x_m`` (a Wronskian) gives, after dividing by λ,

.. math::

    D(λ) = g_R(x_m)\!\int_{-1}^{x_m}\! e^{-U} g_L + g_L(x_m)\!\int_{x_m}^{1}\! e^{-U} g_R
         = \sum_k (-λ)^k d_k = 0,

    d_k = \sum_{i+j=k} \Big[R_i(x_m)\, P^L_j + L_i(x_m)\, P^R_j\Big] > 0,\quad
    P^L_j = \int_{-1}^{x_m} e^{-U} L_j,\quad P^R_j = \int_{x_m}^{1} e^{-U} R_j .

``D`` is an entire function whose zeros are exactly the non-zero eigenvalues
(``D(0) = Z = ∫e^{-U}``), so ``D(λ) = Z ∏_n (1 - λ/λ_n)`` and Newton's iteration started at
λ = 0 increases monotonically to λ₁ (its first step is ``d_0/d_1 ≤ λ_1``).  Every ``d_k`` is a sum
of positive nested quadratures, hence computed to full relative precision however small λ₁ is;
the root is well conditioned (relative error of λ₁ ≈ relative error of the ``d_k``).  The
series converges like ∏(λ₁/λ_n): a handful of terms at high barrier, ≈ 25 at σ = 0.

Quadrature: in the angle ``t`` measured from each pole (``x = ±cos t``) the nested integrals read
``R_{k+1}(t) = 2∫_0^t ds\, e^{U}/\sin s ∫_0^s e^{-U} R_k \sin s'\, ds'``: the pole factor
``1/(1-y^2)`` becomes ``1/\sin s`` against an inner integral ``∝ s^2``, a smooth integrand, so the
endpoint singularity is removed analytically.  Each side is cut into panels (adaptively, until U
varies by at most ``du_max`` kT inside a panel) carrying ``order`` Gauss–Legendre nodes; the
cumulative integrals use the exact spectral integration matrix of the Legendre interpolant.  The
exponentials are scaled by ``U_max`` and ``U_min`` and each ``R_k`` is stored as
``exp(s_k) · r_k`` with ``max |r_k| = 1``, so nothing overflows (σ up to several hundred).
Convergence is spectral in ``order`` (see ``benchmarks/axial_reference.py``).

Accuracy and range
------------------
Relative accuracy ~1e-14 for bistable potentials at any barrier (checked to σ = 400) and for
σ ≲ 10.  The root's condition number κ (:attr:`AxialEigen.condition`) is ≈ 2 at high barrier;
it grows for strongly tilted, monostable potentials whose λ₁ ≳ 10 (e.g. σ = 60, h = 1.5:
κ ≈ 3·10⁴), where the alternating series cancels; the solver refuses κ > 10⁴ (an ordinary
eigensolver is accurate there, since λ₁ is not small).  ``max U − min U`` must be ≤ 690 kT.

Escape rates
------------
For a bistable U (interior local maximum ``x_b`` of U, the barrier top — a pole may still be the
global maximum —, wells ``x > x_b`` ("+") and ``x < x_b`` ("−"))
the two-state reduction of the slowest mode gives per-well escape rates with
``λ_1 = Γ_+ + Γ_-`` and detailed balance ``Γ_+ P_+ = Γ_- P_-`` (``P_±`` the equilibrium well
populations), i.e. ``Γ_+ = λ_1 P_-``, ``Γ_- = λ_1 P_+``.  The mean first-passage time from ``x_0`` to
an absorbing point ``x_a < x_0`` (reflecting at x = 1) is

.. math:: T(x_0 → x_a) = 2\int_{x_a}^{x_0} \frac{e^{U(y)}\,dy}{1-y^2}\int_y^1 e^{-U(z)}\,dz .

Brown's high-barrier asymptote for ``U = −σx² − 2σhx`` (0 ≤ |h| < 1; barrier top ``x_b = −h``;
Laplace's method on the MFPT, with the boundary minimum at x = ±1 and the Gaussian barrier):

.. math::

    Γ_± = \frac{(1-h^2)(1±h)}{\sqrt{π}}\, σ^{3/2}\, e^{-σ(1±h)^2},\qquad λ_1 ≈ Γ_+ + Γ_- ,

so at h = 0: ``λ_1 ≈ (2/√π) σ^{3/2} e^{−σ}`` (Brown 1963: ``τ = 1/λ_1 ≈ (√π/2) τ_N σ^{−3/2} e^{σ}``);
the next order multiplies Γ_± by ``1 − 1/(2σ(1±h)²) − (1+3h²)/(2σ(1−h²)²)`` (``1 − 1/σ`` at h = 0).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from ..errors import ParameterError, check_finite, check_nonnegative, check_positive, check_range

__all__ = [
    "AxialProblem",
    "AxialEigen",
    "AxialRates",
    "BrownAsymptote",
    "lambda1_axial",
    "lambda1_uniaxial",
    "escape_rates_axial",
    "mfpt_axial",
    "brown_asymptote",
]


# ----------------------------------------------------------------------------------------------
# Panel quadrature: Gauss–Legendre nodes with the exact cumulative-integration matrix
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def _gl_rule(p: int):
    """Nodes ``s``, weights ``w`` and cumulative matrix ``S`` on [-1, 1].

    ``(S f)_i = ∫_{-1}^{s_i} q(s) ds`` where ``q`` is the degree-(p−1) interpolant of ``f`` at the
    nodes (exact for polynomials of degree ≤ p−1); built from the Legendre expansion
    ``c_n = (2n+1)/2 Σ_i w_i P_n(s_i) f_i`` and ``∫_{-1}^{s} P_n = (P_{n+1} − P_{n−1})/(2n+1)``.
    """
    s, w = np.polynomial.legendre.leggauss(p)
    V = np.polynomial.legendre.legvander(s, p)  # P_0..P_p at the nodes, shape (p, p+1)
    C = ((2 * np.arange(p) + 1) / 2)[:, None] * (V[:, :p] * w[:, None]).T  # (p, p): coefficients
    A = np.empty((p, p))
    A[:, 0] = s + 1
    for n in range(1, p):
        A[:, n] = (V[:, n + 1] - V[:, n - 1]) / (2 * n + 1)
    S = A @ C
    s.setflags(write=False)
    w.setflags(write=False)
    S.setflags(write=False)
    return s, w, S


class _Side:
    """One side of the matching point, parametrized by the angle t ∈ [0, t_end] from its pole.

    ``x = sign · cos t`` (sign = +1: the x = 1 side; −1: the x = −1 side).  Panels are split until
    U varies by at most ``du_max`` inside each and are no wider than ``max_width``; ``breaks`` are
    forced panel edges.
    """

    def __init__(self, U: Callable, sign: int, t_end: float, *, order: int, du_max: float,
                 max_width: float, breaks=()):
        self.sign = sign
        self.order = order
        s, w, S = _gl_rule(order)
        edges = sorted({0.0, float(t_end), *[float(b) for b in breaks if 0 < b < t_end]})
        panels = []
        for a, b in zip(edges[:-1], edges[1:]):
            n = max(1, math.ceil((b - a) / max_width))
            panels.extend((a + (b - a) * i / n, a + (b - a) * (i + 1) / n) for i in range(n))
        # adaptive bisection on the variation of U (checked at the nodes and the panel ends)
        probe = np.concatenate(([-1.0], s, [1.0]))
        out = []
        stack = list(reversed(panels))
        while stack:
            a, b = stack.pop()
            t = a + (b - a) * (probe + 1) / 2
            u = self._U(U, t)
            if np.ptp(u) > du_max and (b - a) > 1e-9:
                m = 0.5 * (a + b)
                stack.append((m, b))
                stack.append((a, m))
                continue
            out.append((a, b))
            if len(out) > 200_000:
                raise ParameterError("U", "too rough", "a potential resolvable by < 2e5 panels",
                                     "U varies too fast; check its scale (kT)")
        self.a = np.array([p[0] for p in out])
        self.b = np.array([p[1] for p in out])
        self.hw = (self.b - self.a) / 2
        self.t = self.a[:, None] + self.hw[:, None] * (s + 1)[None, :]
        self.w = self.hw[:, None] * w[None, :]
        self.S = S
        self.sin = np.sin(self.t)
        self.U = self._U(U, self.t)
        self.edges = np.concatenate((self.a, [self.b[-1]]))

    @staticmethod
    def _U(U, t):
        x = np.cos(t)
        v = np.asarray(U(x), dtype=float)
        if v.shape != x.shape:
            v = np.broadcast_to(v, x.shape)
        if not np.all(np.isfinite(v)):
            raise ParameterError("U", "non-finite values", "finite U(x) for every x in [-1, 1]")
        return v

    @property
    def n_nodes(self) -> int:
        return self.t.size

    def cumulative(self, f: np.ndarray):
        """``F(t) = ∫_0^t f`` at the nodes, at the panel edges, and the total."""
        tot = np.sum(self.w * f, axis=1)
        off = np.concatenate(([0.0], np.cumsum(tot)))
        inside = self.hw[:, None] * (f @ self.S.T) + off[:-1, None]
        return inside, off


def _orient(U: Callable, sign: int) -> Callable:
    return U if sign > 0 else (lambda x: U(-x))


# ----------------------------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AxialEigen:
    """Smallest non-zero eigenvalue of the axial Fokker–Planck operator.

    Attributes
    ----------
    lambda1 : float
        λ₁ in 1/τ_N (may underflow to 0 for barriers above ≈ 700 kT; use ``log_lambda1``).
    log_lambda1 : float
        ln λ₁.
    n_nodes : int
        Quadrature nodes used (both sides).
    n_terms : int
        Terms of the series D(λ) = Σ (−λ)^k d_k kept.
    x_match : float
        Matching point x_m.
    condition : float
        Relative condition number κ of the root of D(λ) (rounding of the terms is amplified
        by κ): ≈ 2 at high barrier, ≲ 10² for σ ≲ 10; it grows for strongly tilted monostable
        potentials with large λ₁ (measured relative error ≈ κ·10⁻¹⁴), and the solver refuses
        κ > 10⁴.
    error_estimate : float or None
        |λ₁(refined) − λ₁| / λ₁ from a second, finer quadrature, when requested.
    plateau_ratio : float
        ``r = −g(−1)/g(+1)`` of the slowest eigenfunction g of L† (its values at the two poles),
        from ``r = P^R(λ₁)/P^L(λ₁)`` with ``P^R(λ) = ∫_{x_m}^1 e^{−U} g_R`` and
        ``P^L(λ) = ∫_{−1}^{x_m} e^{−U} g_L`` (orthogonality of g to e^{−U}); both are series of
        like-signed terms dominated by their first, so r keeps full relative precision.
    """

    lambda1: float
    log_lambda1: float
    n_nodes: int
    n_terms: int
    x_match: float
    condition: float
    error_estimate: float | None = None
    plateau_ratio: float = float("nan")


@dataclass(frozen=True)
class AxialRates:
    """Two-state reduction of the slowest mode of a bistable axial problem.

    Attributes
    ----------
    lambda1 : float
        λ₁ = Γ_+ + Γ_- in 1/τ_N.
    gamma_plus, gamma_minus : float
        Escape rates out of the well x > x_b ("+") and x < x_b ("−"), in 1/τ_N.
    P_plus, P_minus : float
        Equilibrium populations ∫ e^{−U} / Z of the two wells (P_+ + P_- = 1).
    x_barrier : float
        Barrier top x_b (interior maximum of U).
    error_estimate : float or None
        Largest relative change of λ₁, Γ_+, Γ_- under a finer quadrature (when requested).
    """

    lambda1: float
    gamma_plus: float
    gamma_minus: float
    P_plus: float
    P_minus: float
    x_barrier: float
    error_estimate: float | None = None


@dataclass(frozen=True)
class BrownAsymptote:
    """Brown's high-barrier rates for U = −σx² − 2σhx (in 1/τ_N)."""

    lambda1: float
    gamma_plus: float
    gamma_minus: float


# ----------------------------------------------------------------------------------------------
# The problem
# ----------------------------------------------------------------------------------------------
class AxialProblem:
    r"""Axially symmetric Brown/Fokker–Planck problem reduced to x = cos θ ∈ [−1, 1].

    ``∂_t p = ½ ∂_x[(1−x²)(∂_x p + p ∂_x U_d)]`` with ``U_d = U − χ/α`` (all in kT, time in τ_N).

    Parameters
    ----------
    U : callable
        ``U(x)`` in kT, vectorized over ``x = cos θ`` (any shape), finite on [−1, 1].
    dU : callable, optional
        ``dU/dx``; used only to locate the barrier top precisely (root of dU).  Without it the
        maximum is refined by Brent's method on a central-difference derivative (~1e-11).
    chi : callable, optional
        Axial dissipative (spin-transfer) potential χ(x) in kT; requires ``alpha``.
    alpha : float, optional
        Gilbert damping (> 0), only with ``chi``.
    x_match : float, optional
        Matching point x_m ∈ (−1, 1) of the two one-sided solutions.  Default: the interior
        maximum of U_d (the barrier top) if there is one, else 0.  The result is exact for any
        x_m; the barrier top keeps every quadrature well scaled.
    order : int
        Gauss–Legendre nodes per panel (≥ 4; default 20).
    du_max : float
        Largest variation of U_d (kT) inside one panel (> 0; default 6).
    max_width : float
        Largest panel width in the angle θ (radians, > 0; default π/8).
    x_barrier_hint : float, optional
        The barrier top when it is known (analytically, or chosen among several interior maxima);
        used if U_d has an interior local maximum.
    """

    def __init__(self, U: Callable, dU: Callable | None = None, *, chi: Callable | None = None,
                 alpha: float | None = None, x_match: float | None = None, order: int = 20,
                 du_max: float = 6.0, max_width: float = math.pi / 8,
                 x_barrier_hint: float | None = None):
        if not callable(U):
            raise ParameterError("U", U, "a callable U(x) (energy in kT)")
        if dU is not None and not callable(dU):
            raise ParameterError("dU", dU, "a callable dU/dx or None")
        if chi is not None:
            if not callable(chi):
                raise ParameterError("chi", chi, "a callable chi(x) (kT) or None")
            if alpha is None:
                raise ParameterError("alpha", alpha, "> 0 (required with chi)")
            alpha = check_positive("alpha", alpha)
            U0, chi0 = U, chi
            U = lambda x: np.asarray(U0(x), dtype=float) - np.asarray(chi0(x), dtype=float) / alpha  # noqa: E731
            dU = None
        if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or not 4 <= order <= 200:
            raise ParameterError("order", order, "an integer in [4, 200]")
        self.order = int(order)
        self.du_max = check_positive("du_max", du_max)
        self.max_width = check_range("max_width", max_width, 0, math.pi, lo_open=True)
        self.U = U
        self.dU = dU
        self._x_barrier_hint = (None if x_barrier_hint is None else
                                check_range("x_barrier_hint", x_barrier_hint, -1, 1, lo_open=True,
                                            hi_open=True))
        # sample U on a fine grid: extrema, validity
        xs = np.cos(np.linspace(0, math.pi, 4001))
        us = np.asarray(U(xs), dtype=float)
        if us.shape != xs.shape or not np.all(np.isfinite(us)):
            raise ParameterError("U", "non-finite or wrongly shaped values",
                                 "finite U(x) of the same shape as x, for every x in [-1, 1]")
        self._x_barrier = self._find_barrier(xs, us)
        if x_match is None:
            x_match = self._x_barrier if self._x_barrier is not None else 0.0
        self.x_match = check_range("x_match", x_match, -1, 1, lo_open=True, hi_open=True)

    # -- construction helpers --------------------------------------------------------------------
    @classmethod
    def uniaxial(cls, sigma: float, h: float = 0.0, *, chi: Callable | None = None,
                 alpha: float | None = None, **kw) -> "AxialProblem":
        """``U = −σx² − 2σhx``: uniaxial anisotropy σ = Kv/kT ≥ 0 and axial field h = H/H_K."""
        sigma = check_nonnegative("sigma", sigma)
        h = check_finite("h", h)
        U = lambda x: -sigma * np.asarray(x, dtype=float) ** 2 - 2 * sigma * h * np.asarray(x, dtype=float)  # noqa: E731
        dU = lambda x: -2 * sigma * (np.asarray(x, dtype=float) + h)  # noqa: E731
        if chi is None and sigma > 0 and abs(h) < 1:
            kw.setdefault("x_barrier_hint", -h)
        return cls(U, dU, chi=chi, alpha=alpha, **kw)

    @classmethod
    def from_energy(cls, energy, **kw) -> "AxialProblem":
        """From an :class:`~thermokinetic.energy.EnergyTerm` that is symmetric about e_z.

        The symmetry is checked at sample points (|U(θ, φ) − U(θ, 0)| ≤ 1e-10 (1 + |U|)), else
        :class:`ParameterError`.
        """
        th = np.linspace(0.05, math.pi - 0.05, 23)
        ph = np.linspace(0, 2 * math.pi, 13)
        T, P = np.meshgrid(th, ph, indexing="ij")
        u = np.stack((np.sin(T) * np.cos(P), np.sin(T) * np.sin(P), np.cos(T)), axis=-1)
        v = energy.value(u)
        if np.max(np.abs(v - v[:, :1])) > 1e-10 * (1 + np.max(np.abs(v))):
            raise ParameterError("energy", type(energy).__name__,
                                 "axially symmetric about e_z (U independent of φ)")

        def U(x):
            x = np.asarray(x, dtype=float)
            xc = np.clip(x, -1.0, 1.0)
            uu = np.stack((np.sqrt(1 - xc**2), np.zeros_like(xc), xc), axis=-1)
            return energy.value(uu)

        return cls(U, **kw)

    def _find_barrier(self, xs, us):
        """The barrier top: the highest interior local maximum of U_d (None if there is none).

        An interior strict local maximum always separates two local minima (one on each side;
        a pole counts as a minimum when U rises away from it), so "bistable" means "has an interior
        local maximum", whatever the values at the poles: a pole may be the global maximum (e.g. a
        ring minimum next to a destabilized pole).  Candidates are grid maxima whose prominence
        ``min(U_max − min U_left, U_max − min U_right)`` exceeds ``1e-9 (1 + ptp U)`` kT (rounding
        noise of a flat potential is not a barrier); with several, the highest one is taken (it
        sets the slowest mode).  Refined by Brent's method on dU/dx.
        """
        n = xs.size
        tol = 1e-9 * (1.0 + float(np.ptp(us)))
        left_min = np.minimum.accumulate(us)  # min of us[:i+1]
        right_min = np.minimum.accumulate(us[::-1])[::-1]  # min of us[i:]
        best = None
        for i in range(1, n - 1):
            if not (us[i] >= us[i - 1] and us[i] >= us[i + 1] and (us[i] > us[i - 1] or us[i] > us[i + 1])):
                continue
            prom = min(us[i] - left_min[i - 1], us[i] - right_min[i + 1])
            if prom > tol and (best is None or us[i] > us[best]):
                best = i
        if best is None:
            return None
        if self._x_barrier_hint is not None:
            return self._x_barrier_hint
        i = min(max(best, 2), n - 3)
        lo, hi = xs[i + 2], xs[i - 2]  # xs decreases with index
        from scipy.optimize import brentq
        if self.dU is not None:
            f = lambda x: float(np.asarray(self.dU(np.asarray(x)), dtype=float))  # noqa: E731
        else:  # central difference: root error ~1e-11 for smooth U (x_b only sets the well split)
            d = 1e-5
            f = lambda x: float(np.asarray(self.U(np.asarray(min(x + d, 1.0))) - self.U(np.asarray(max(x - d, -1.0))),  # noqa: E731
                                           dtype=float)) / (min(x + d, 1.0) - max(x - d, -1.0))
        if f(lo) > 0 > f(hi):
            return float(brentq(f, lo, hi, xtol=1e-15, rtol=1e-15))
        return float(xs[best])  # pragma: no cover - non-smooth maximum: the grid point

    @property
    def x_barrier(self) -> float | None:
        """Highest interior local maximum of U_d (barrier top), or None for a monostable potential."""
        return self._x_barrier

    def _sides(self, order, du_max, max_width, x_match):
        tm = math.acos(x_match)
        R = _Side(_orient(self.U, 1), 1, tm, order=order, du_max=du_max, max_width=max_width)
        L = _Side(_orient(self.U, -1), -1, math.pi - tm, order=order, du_max=du_max,
                  max_width=max_width)
        return R, L

    # -- λ₁ --------------------------------------------------------------------------------------
    def lambda1(self, *, estimate_error: bool = False, max_terms: int = 400) -> AxialEigen:
        """Smallest non-zero eigenvalue λ₁ of ``L†`` (in 1/τ_N) from the series D(λ) = 0.

        Parameters
        ----------
        estimate_error : bool
            Also solve with a finer quadrature (order + 8, du_max/2, max_width/2) and report
            the relative difference in ``error_estimate`` (the finer value is returned).
        max_terms : int
            Cap on the number of series terms.
        """
        res = self._lambda1(self.order, self.du_max, self.max_width, max_terms)
        if not estimate_error:
            return res
        fine = self._lambda1(self.order + 8, self.du_max / 2, self.max_width / 2, max_terms)
        err = abs(math.expm1(res.log_lambda1 - fine.log_lambda1))
        return AxialEigen(fine.lambda1, fine.log_lambda1, fine.n_nodes, fine.n_terms,
                          fine.x_match, fine.condition, err, fine.plateau_ratio)

    def _lambda1(self, order, du_max, max_width, max_terms) -> AxialEigen:
        R, L = self._sides(order, du_max, max_width, self.x_match)
        umin = min(R.U.min(), L.U.min())
        umax = max(R.U.max(), L.U.max())
        # U is sampled at the panel nodes only: U_max, U_min are scales (any common shift of the
        # exponents is exact), not necessarily the exact extrema.
        dU = umax - umin
        if dU > 690:
            raise ParameterError("U", f"range max U − min U = {dU:.4g} kT", "≤ 690 kT",
                                 "the scaled Boltzmann weights e^{±U} would underflow")
        sides = []
        for side in (R, L):
            wa = np.exp(-(side.U - umin)) * side.sin  # inner weight  e^{-(U-Umin)} sin t
            wb = 2 * np.exp(side.U - umax) / side.sin  # outer weight 2 e^{U-Umax} / sin t
            # state: side, wa, wb, r_k = R_k e^{-s_k} (max |r_k| = 1), s_k,
            #        [(sign, ln|R_k(x_m)|)], [(sign, ln|P_k|)]
            sides.append([side, wa, wb, np.ones_like(side.t), 0.0, [(1.0, 0.0)], []])
        # Exact R_k, P_k are positive.  In floating point the discrete Volterra operator has small
        # spurious (panel-local) eigenvalues, so once the true iterates have decayed far below them
        # the normalized r_k is rounding noise of either sign; its true size is then negligible in
        # D(λ) (checked by the tail test below), but it is carried with its sign, never logged
        # blindly.
        sg: list[float] = []
        ld: list[float] = []

        def slog(v):
            return (math.copysign(1.0, v), math.log(abs(v))) if v != 0 else (0.0, -math.inf)

        def advance():
            for st in sides:
                side, wa, wb, r, s_k = st[0], st[1], st[2], st[3], st[4]
                inner, off = side.cumulative(wa * r)
                sp, lp = slog(off[-1])
                st[6].append((sp, lp - umin + s_k))
                outer, off2 = side.cumulative(wb * inner)
                n = max(float(np.max(np.abs(outer))), abs(off2[-1]))
                if not n > 0:  # the iterate underflowed entirely: all further terms are zero
                    st[3] = np.zeros_like(r)
                    st[5].append((0.0, -math.inf))
                    continue
                st[3] = outer / n
                st[4] = s_k + dU + math.log(n)
                sv, lv = slog(off2[-1] / n)
                st[5].append((sv, lv + st[4]))

        def coef(k):
            vr, pr_ = sides[0][5], sides[0][6]
            vl, pl_ = sides[1][5], sides[1][6]
            pairs = [(vr[i], pl_[k - i]) for i in range(k + 1)] + [(vl[i], pr_[k - i]) for i in range(k + 1)]
            sgn = np.array([a[0] * b[0] for a, b in pairs])
            lg = np.array([a[1] + b[1] for a, b in pairs])
            m = np.max(lg)
            if not np.isfinite(m):
                return 0.0, -math.inf
            a, b = slog(math.fsum(sgn * np.exp(lg - m)))
            return a, b + m

        K = 6
        while True:
            while len(ld) < K:
                advance()
                a, b = coef(len(ld))
                sg.append(a)
                ld.append(b)
            if not (sg[0] > 0 and sg[1] > 0):
                raise ParameterError("U", "degenerate", "a potential whose Boltzmann weight "
                                     "e^{-U} is representable on [-1, 1]")
            lam, kappa = _newton_series(np.array(ld), np.array(sg))
            ll = math.log(lam)
            mags = np.array(ld) + np.arange(len(ld)) * ll
            big = mags.max()
            if mags[-1] < big - 41 and mags[-2] < big - 41:  # tail < 1e-18 of the largest term
                break
            if K >= max_terms:
                raise ParameterError("max_terms", max_terms, f"> {K}",
                                     "the series for D(λ) did not converge; try a smaller "
                                     "max_width or du_max")
            K = min(2 * K, max_terms)
        if kappa > 1e4:
            # measured: relative error ≈ κ · 1e-14 (the d_k carry ~1e-14 relative quadrature error)
            raise ParameterError(
                "U", f"series condition number {kappa:.1e}", "a problem with condition number "
                "≤ 1e4 (relative accuracy ≲ 1e-10)",
                f"λ₁ ≈ {lam:.6g} is not small here (strongly tilted, monostable potential): "
                "an ordinary spectral eigensolver is accurate in this regime")
        def series_at(entries):
            """ln Σ_k (−λ)^k P_k from the stored (sign, ln|P_k|) terms (dominated by k = 0)."""
            sgn = np.array([e[0] * (-1.0) ** k for k, e in enumerate(entries)])
            lg = np.array([e[1] + k * ll for k, e in enumerate(entries)])
            m = np.max(lg)
            return m + math.log(math.fsum(sgn * np.exp(lg - m)))

        log_r = series_at(sides[0][6]) - series_at(sides[1][6])
        return AxialEigen(float(math.exp(ll)) if ll > -745 else 0.0, ll, R.n_nodes + L.n_nodes,
                          len(ld), self.x_match, kappa, plateau_ratio=float(math.exp(log_r)))

    # -- escape ----------------------------------------------------------------------------------
    def populations(self, x_split: float | None = None) -> tuple[float, float]:
        """Equilibrium weights ``(P_+, P_-)`` of ``x > x_split`` and ``x < x_split`` (default x_b)."""
        if x_split is None:
            x_split = self._require_barrier()
        xs = check_range("x_split", x_split, -1, 1, lo_open=True, hi_open=True)
        R, L = self._sides(self.order, self.du_max, self.max_width, xs)
        umin = min(R.U.min(), L.U.min())
        pr = np.sum(R.w * np.exp(-(R.U - umin)) * R.sin)
        pl = np.sum(L.w * np.exp(-(L.U - umin)) * L.sin)
        return float(pr / (pr + pl)), float(pl / (pr + pl))

    def _require_barrier(self) -> float:
        if self._x_barrier is None:
            raise ParameterError("U", "monostable", "a bistable potential with an interior barrier top",
                                 "escape rates need two wells")
        return self._x_barrier

    def escape_rates(self, *, estimate_error: bool = False, definition: str = "plateau") -> AxialRates:
        r"""Per-well escape rates of the two-state reduction of the slowest mode (1/τ_N).

        With g the slowest eigenfunction of L† and ``r = −g(−1)/g(+1)`` (its plateau values in the
        two wells), ``Γ_+ = λ₁/(1+r)`` and ``Γ_- = λ₁ r/(1+r)``: λ₁ = Γ_+ + Γ_- and the two-state
        relaxation of the slow mode are exact, and this is the definition the mesh solver uses
        (:func:`thermokinetic.fokker_planck.escape.escape_rates`, eigenvector normalized at the
        well minima).  It differs from the population split ``Γ_+ = λ₁ P_-`` by O(e^{−ΔU}) (ΔU the
        smaller barrier), e.g. 4e-5 at σ = 20, h = 0.3.

        ``definition="population"`` gives the population split ``Γ_+ = λ₁ P_-``, ``Γ_- = λ₁ P_+``
        (split at the barrier top) instead; the two agree to O(e^{−ΔU}).

        With ``estimate_error`` the rates are also computed with a finer quadrature (order + 8,
        half the panel sizes); the finer values are returned with the largest relative change.
        """
        from ..errors import check_choice

        check_choice("definition", definition, ["plateau", "population"])
        xb = self._require_barrier()
        Pp, Pm = self.populations(xb)

        def rates(eig):
            lam = eig.lambda1
            r = eig.plateau_ratio if definition == "plateau" else Pp / Pm
            return np.array([lam, lam / (1 + r), lam * r / (1 + r)])

        vals = rates(self._lambda1(self.order, self.du_max, self.max_width, 400))
        err = None
        if estimate_error:
            fine = rates(self._lambda1(self.order + 8, self.du_max / 2, self.max_width / 2, 400))
            err = float(np.max(np.abs(fine / vals - 1)))
            vals = fine
        return AxialRates(float(vals[0]), float(vals[1]), float(vals[2]), Pp, Pm, xb, err)

    def mfpt(self, x0: float, x_a: float) -> float:
        r"""Mean first-passage time (τ_N) from ``x0`` to the absorbing point ``x_a``.

        For ``x_a < x0`` (reflecting at x = 1):
        ``T = 2∫_{x_a}^{x0} dy e^{U(y)}/(1−y²) ∫_y^1 e^{−U(z)} dz``; for ``x_a > x0`` the mirror
        formula (reflecting at x = −1).  ``x_a`` must lie in (−1, 1) (a single point on the
        sphere is never hit, so ``x_a = ±1`` gives T = ∞); ``x0`` in [−1, 1].
        """
        x0 = check_range("x0", x0, -1, 1)
        x_a = check_range("x_a", x_a, -1, 1, lo_open=True, hi_open=True)
        if x0 == x_a:
            return 0.0
        sign = 1 if x_a < x0 else -1
        t0 = math.acos(sign * x0)
        ta = math.acos(sign * x_a)
        side = _Side(_orient(self.U, sign), sign, ta, order=self.order, du_max=self.du_max,
                     max_width=self.max_width, breaks=(t0,))
        umin, umax = side.U.min(), side.U.max()
        inner, _ = side.cumulative(np.exp(-(side.U - umin)) * side.sin)
        _, off = side.cumulative(2 * np.exp(side.U - umax) / side.sin * inner)
        j = int(np.argmin(np.abs(side.edges - t0)))
        val = off[-1] - off[j]
        with np.errstate(over="ignore"):
            return float(val * math.exp(umax - umin)) if umax - umin < 700 else math.inf


def _newton_series(ld: np.ndarray, sg: np.ndarray, maxit: int = 200) -> float:
    """Smallest positive root of D(λ) = Σ (−λ)^k sg_k exp(ld_k) by Newton from λ = 0.

    For D = Z ∏(1 − λ/λ_n) with real positive λ_n the iteration increases monotonically to λ₁.
    Returns ``(λ₁, κ)`` with ``κ = Σ_k |λ^k d_k| / |λ D'(λ)|`` the relative condition number of
    the root with respect to the rounding of the terms.
    """
    k = np.arange(ld.size)
    sgn = np.where(k % 2 == 0, 1.0, -1.0) * sg
    lam = math.exp(ld[0] - ld[1])  # first Newton step from 0
    small = 0
    for _ in range(maxit):
        e = ld + k * math.log(lam)
        m = e.max()
        t = sgn * np.exp(e - m)
        D = math.fsum(t)
        Dp = math.fsum(k * t) / lam  # λ D'(λ)/λ, same scale
        if Dp >= 0:
            raise ParameterError("U", "ill-posed", "a problem whose D(λ) decreases at λ₁",
                                 "Newton iteration for λ₁ failed")
        step = -D / Dp
        lam_new = lam + step
        if lam_new <= 0:
            lam_new = lam / 2
        kappa = math.fsum(np.abs(t)) / abs(lam * Dp)  # condition number of the root
        if abs(step) <= 4e-16 * lam:
            return lam_new, kappa
        if abs(step) < 1e-9 * lam:
            # quadratic convergence: the step after a 1e-9 step is at rounding level
            small += 1
            if small >= 2:
                return lam_new, kappa
        lam = lam_new
    raise ParameterError("U", "no convergence", "a problem for which Newton converges",  # pragma: no cover
                         "λ₁ iteration did not converge")


# ----------------------------------------------------------------------------------------------
# Functional interface
# ----------------------------------------------------------------------------------------------
def lambda1_axial(U: Callable, dU: Callable | None = None, **kw) -> float:
    """λ₁ (1/τ_N) of ``½ ∂_x[(1−x²)(∂_x p + p U')]`` for a callable ``U(x)`` in kT.

    Keyword arguments are those of :class:`AxialProblem`.
    """
    return AxialProblem(U, dU, **kw).lambda1().lambda1


def lambda1_uniaxial(sigma: float, h: float = 0.0, **kw) -> float:
    """λ₁ (1/τ_N) for ``U = −σx² − 2σhx`` (σ = Kv/kT ≥ 0, h = H/H_K along the easy axis)."""
    return AxialProblem.uniaxial(sigma, h, **kw).lambda1().lambda1


def escape_rates_axial(sigma: float, h: float = 0.0, **kw) -> AxialRates:
    """Escape rates Γ_± (1/τ_N) for ``U = −σx² − 2σhx`` with σ > 0 and |h| < 1 (bistable)."""
    sigma = check_positive("sigma", sigma)
    h = check_range("h", h, -1, 1, lo_open=True, hi_open=True)
    return AxialProblem.uniaxial(sigma, h, **kw).escape_rates()


def mfpt_axial(U: Callable, x0: float, x_a: float, **kw) -> float:
    """Mean first-passage time (τ_N) from ``x0`` to ``x_a``; see :meth:`AxialProblem.mfpt`."""
    return AxialProblem(U, **kw).mfpt(x0, x_a)


def brown_asymptote(sigma: float, h: float = 0.0, *, corrected: bool = False) -> BrownAsymptote:
    r"""Brown's high-barrier rates for ``U = −σx² − 2σhx`` (1/τ_N).

    .. math:: Γ_± = \frac{(1-h^2)(1±h)}{\sqrt π} σ^{3/2} e^{-σ(1±h)^2},\quad λ_1 ≈ Γ_+ + Γ_-

    Γ_+ is the escape rate out of the well at x = +1 (barrier σ(1+h)²).  Derivation: Laplace's
    method on the mean first-passage time out of the well,
    ``1/Γ_+ ≈ 2∫ dy e^{U}/(1−y²) ∫_y^1 e^{−U}``, with the boundary minimum at x = 1
    (``∫ e^{−U} ≈ e^{−U(1)}/(2σ(1+h))``) and the Gaussian barrier at x_b = −h
    (``∫ e^{U}/(1−y²) ≈ e^{U(x_b)} √(π/σ)/(1−h²)``).  Valid for σ(1−|h|)² ≫ 1.

    The next order of the same expansion (``corrected=True``) multiplies Γ_± by

    .. math:: 1 - \frac{1}{2σ(1±h)^2} - \frac{1+3h^2}{2σ(1-h^2)^2}

    (the first term from the well integral, the second from the curvature of 1/(1−y²) at the
    barrier); at h = 0 this is Brown's ``1 − 1/σ``.  The remaining error is O(1/σ²).

    Parameters
    ----------
    sigma : float
        σ = Kv/kT (> 0).
    h : float
        h = H/H_K, |h| < 1.
    corrected : bool
        Include the O(1/σ) correction factor.
    """
    sigma = check_positive("sigma", sigma)
    h = check_range("h", h, -1, 1, lo_open=True, hi_open=True)
    pre = (1 - h * h) * sigma**1.5 / math.sqrt(math.pi)
    gp = pre * (1 + h) * math.exp(-sigma * (1 + h) ** 2)
    gm = pre * (1 - h) * math.exp(-sigma * (1 - h) ** 2)
    if corrected:
        cb = (1 + 3 * h * h) / (2 * sigma * (1 - h * h) ** 2)
        gp *= 1 - 1 / (2 * sigma * (1 + h) ** 2) - cb
        gm *= 1 - 1 / (2 * sigma * (1 - h) ** 2) - cb
    return BrownAsymptote(gp + gm, gp, gm)
