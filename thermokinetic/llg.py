r"""Deterministic generalized Landau–Lifshitz–Gilbert dynamics (seed 002, Eq. 24).

The equation
------------
Seed 002, Eq. 24 (with Eq. 4 and the Helmholtz decomposition Eq. 22 of the spin-transfer force)::

    du/dt = −L_F { u × (H_eff − ∇Φ) + α u × (u × (H_eff + ∇χ/α)) }.

The precession field is ``H_eff − ∇Φ``, the dissipative field is ``H_eff + ∇χ/α``.

Reduced form used by the package (see :mod:`thermokinetic.units`).  Energies are in kT,
``H_eff = −∇_Σ U`` (U = V/kT), Φ and χ are reduced like U (in kT), and time is in Brown's
free-diffusion time τ_N = (1+α²) M_s v/(2αγkT).  Derivation:

1. Every gradient is tangent, so ``u × (u × w) = −w`` for tangent ``w``.  Eq. 24 becomes
   ``du/dt = L_F { u × ∇(U+Φ) − α ∇(U − χ/α) }``.
2. In SI, ``H = −(kT/(μ0 M_s v)) ∇U`` [A/m] and ``L_F = γμ0/(1+α²)`` (Eq. 6 with the force in field
   units), so the rate multiplying ∇U is ``γ kT/((1+α²) M_s v) = 1/(2α τ_N)``: in reduced units
   ``L_F kT = 1/(2α)``.
3. Hence (time in τ_N)

   .. math:: \dot u = -\tfrac12\nabla_\Sigma\Big(U - \frac{\chi}{\alpha}\Big)
             + \frac{1}{2\alpha}\, u\times\nabla_\Sigma(U + \Phi).

With Φ = χ = 0, ``dU/dt = ∇U·u̇ = −½|∇U|² ≤ 0`` (U is a Lyapunov function).

Linearization and FMR
---------------------
About an equilibrium with tangent coordinates ξ (right-handed basis e₁ × e₂ = u), ``ξ̇ = J ξ``.
For a stable equilibrium with complex eigenvalues ``λ = −Γ ± iω``: ω is the precession (FMR)
frequency and Γ its damping rate, both in 1/τ_N (multiply by 1/τ_N for rad/s and 1/s).  With Φ = χ
= 0 and the covariant Hessian K of U, ``J = ½(−I + R/α)K`` (R the 90° rotation ``ξ ↦ u × ξ``),
hence (Smit–Beljers with damping)

.. math:: Γ = \tfrac14 \operatorname{tr}K,\qquad
          ω^2 = \frac{1+α^2}{4α^2}\det K - Γ^2 .

Axial case ``U = −σ cos²θ − 2σh cosθ``, ``Φ = c_Φ cosθ``, ``χ = c_χ cosθ``, about θ = 0:
``∇(U−χ/α) ≈ (k + c_χ/α) ξ``, ``∇(U+Φ) ≈ (k − c_Φ) ξ`` with ``k = 2σ(1+h)``, so

.. math:: ω = \frac{2σ(1+h) - c_Φ}{2α},\qquad Γ = σ(1+h) + \frac{c_χ}{2α}.

Φ shifts the frequency only, χ the damping only.  In SI (×1/τ_N) with c = 0:
``ω = γμ0(H_K + H)/(1+α²)`` (Kittel, including the (1+α²) of the LL form) and ``Γ = αω``.

Axial switching (T = 0): with ``b = 2σh + c_χ/α``, ``θ̇ = −½ sinθ (2σ cosθ + b)`` exactly (the
precession is azimuthal), and with ``x = cos θ``

.. math:: T = \int_{x_0}^{x_1} \frac{2\,dx}{(1-x^2)(2σx + b)}
          = 2\Big[-A\ln|1-x| + B\ln|1+x| + \frac{C}{2σ}\ln|2σx+b|\Big]_{x_0}^{x_1},

``A = 1/(2(2σ+b))``, ``B = 1/(2(b−2σ))``, ``C = 4σ²/(4σ²−b²)`` (see
:func:`switching_time_axial`).  The quasi-static condition ``∇(U − χ/α) = 0`` then shows that
χ = c cosθ acts as an extra axial field: the loop is shifted by ``Δh = −c/(2σα)`` (its centre moves
to ``h = −c/(2σα)``; :func:`hysteresis_loop`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import root

from .energy import EnergyTerm, surface_gradient, tangent_project
from .errors import ParameterError, check_finite, check_nonnegative, check_positive, check_range, check_unit_vector
from .dynamics import Drift
from .onsager import tangent_basis
from .units import MU0, GAMMA_E

__all__ = [
    "SurfacePotential",
    "GeneralizedLLG",
    "generalized_llg_si",
    "Trajectory",
    "trajectory",
    "Equilibrium",
    "equilibria",
    "FMR",
    "linearize",
    "fmr",
    "fmr_axial_closed_form",
    "fmr_from_hessian",
    "HysteresisLoop",
    "hysteresis_loop",
    "switching_time",
    "switching_time_axial",
    "fibonacci_sphere",
]


# ====================================================================== potentials on Σ

class SurfacePotential:
    r"""A scalar function on the sphere (Φ or χ, in kT) with its surface gradient.

    Parameters
    ----------
    func : callable
        ``func(u) -> values`` for ``u`` of shape (n, 3), returning shape (n,).
    grad : callable, optional
        ``grad(u) -> (n, 3)``: the Cartesian gradient of an extension to ℝ³, or the surface
        gradient (it is projected onto the tangent plane either way).  If omitted, the surface
        gradient is computed by 4th-order central differences along great circles with step
        ``fd_step`` [rad] (truncation O(fd_step⁴), rounding O(ε/fd_step)).
    name : str
        Used in error messages.
    fd_step : float
        Finite-difference step in radians (default 1e-3).
    """

    def __init__(self, func: Callable, grad: Callable | None = None, name: str = "potential",
                 fd_step: float = 1e-3):
        if not callable(func):
            raise ParameterError(name, func, "a callable u(n,3) -> values(n,)")
        if grad is not None and not callable(grad):
            raise ParameterError(f"grad_{name}", grad, "a callable u(n,3) -> gradient(n,3), or None")
        self.func, self.grad, self.name = func, grad, name
        self.fd_step = check_range("fd_step", fd_step, 0, 0.1, lo_open=True)

    @classmethod
    def wrap(cls, obj, grad=None, name="potential", fd_step=1e-3) -> "SurfacePotential | None":
        """``None`` stays ``None``; energy terms and SurfacePotentials pass through; callables wrap."""
        if obj is None:
            if grad is not None:
                raise ParameterError(f"grad_{name}", grad, f"None when {name} is None")
            return None
        if isinstance(obj, (SurfacePotential, EnergyTerm)):
            return obj
        return cls(obj, grad, name, fd_step)

    def value(self, u) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        flat = u.reshape(-1, 3)
        v = np.asarray(self.func(flat), dtype=float)
        if v.shape not in ((flat.shape[0],), (flat.shape[0], 1)):
            raise ParameterError(self.name, f"output shape {v.shape}", f"shape ({flat.shape[0]},) for input ({flat.shape[0]}, 3)")
        if not np.all(np.isfinite(v)):
            raise ParameterError(self.name, "non-finite values", "finite values for every u")
        return v.reshape(u.shape[:-1])

    def gradient(self, u) -> np.ndarray:
        """Surface gradient ∇_Σ f, shape like ``u``."""
        u = np.asarray(u, dtype=float)
        flat = u.reshape(-1, 3)
        if self.grad is not None:
            g = np.asarray(self.grad(flat), dtype=float)
            if g.shape != flat.shape:
                raise ParameterError(f"grad_{self.name}", f"output shape {g.shape}", f"shape {flat.shape}")
            if not np.all(np.isfinite(g)):
                raise ParameterError(f"grad_{self.name}", "non-finite values", "finite values")
            return tangent_project(flat, g).reshape(u.shape)
        return surface_gradient(self.value, flat, self.fd_step, order=4).reshape(u.shape)


# ====================================================================== the model

class GeneralizedLLG:
    r"""Generalized LLG in reduced units (seed 002 Eq. 24; derivation in the module docstring).

    .. math:: \dot u = -\tfrac12\nabla_\Sigma(U - χ/α) + \frac{1}{2α}\, u\times\nabla_\Sigma(U+Φ)

    The drift is :meth:`thermokinetic.dynamics.Drift.velocity` of the Onsager block given by
    ``alpha`` (the same expression the Fokker–Planck generator and the stochastic LLG use).

    Parameters
    ----------
    energy : EnergyTerm
        Reduced free energy U(u) in kT (:mod:`thermokinetic.energy`).
    alpha : float or Drift
        Gilbert damping α > 0 (the reduced block a = 1/2, g = 1/(2α)), or the
        :class:`~thermokinetic.dynamics.Drift` of an Onsager matrix.
    phi, chi : callable or EnergyTerm or SurfacePotential, optional
        Spin-transfer potentials Φ(u), χ(u) in kT (``(n,3) -> (n,)``).  Φ enters the precession field
        ``H_eff − ∇Φ``, χ the dissipative field ``H_eff + ∇χ/α``.
    grad_phi, grad_chi : callable, optional
        Their gradients ``(n,3) -> (n,3)`` (Cartesian or surface); default: finite differences on Σ.
    fd_step : float
        Great-circle finite-difference step [rad] for Φ, χ without gradients.

    Time is in τ_N (:func:`thermokinetic.units.tau_N`), rates in 1/τ_N.
    """

    def __init__(self, energy: EnergyTerm, alpha, phi=None, chi=None, grad_phi=None, grad_chi=None,
                 fd_step: float = 1e-3):
        if not isinstance(energy, EnergyTerm):
            raise ParameterError("energy", energy, "an EnergyTerm from thermokinetic.energy (e.g. uniaxial_zeeman(...))")
        self.energy = energy
        self.dynamics = Drift.of(alpha)
        self.alpha = self.dynamics.alpha
        self.phi = SurfacePotential.wrap(phi, grad_phi, "phi", fd_step)
        self.chi = SurfacePotential.wrap(chi, grad_chi, "chi", fd_step)

    def with_energy(self, energy: EnergyTerm) -> "GeneralizedLLG":
        """Same α, Φ, χ with another energy (e.g. another applied field)."""
        new = object.__new__(GeneralizedLLG)
        new.__dict__.update(self.__dict__)
        if not isinstance(energy, EnergyTerm):
            raise ParameterError("energy", energy, "an EnergyTerm")
        new.energy = energy
        return new

    def _gradients(self, u):
        gU = self.energy.gradient(u)
        gphi = None if self.phi is None else self.phi.gradient(u)
        gchi = None if self.chi is None else self.chi.gradient(u)
        return gU, gphi, gchi

    def precession_field(self, u) -> np.ndarray:
        """Reduced precession field −∇(U + Φ) = h_eff − ∇Φ (kT per unit u)."""
        gU, gphi, _ = self._gradients(np.asarray(u, dtype=float))
        return -self.dynamics.precession_potential(gU, gphi)

    def dissipative_field(self, u) -> np.ndarray:
        """Reduced dissipative field −∇(U − χ/α) = h_eff + ∇χ/α."""
        gU, _, gchi = self._gradients(np.asarray(u, dtype=float))
        return -self.dynamics.dissipative_potential(gU, gchi)

    def drift(self, u) -> np.ndarray:
        """du/dt in 1/τ_N at ``u`` (shape (..., 3), unit vectors), tangent to Σ (:meth:`Drift.velocity`)."""
        u = np.asarray(u, dtype=float)
        if u.shape[-1:] != (3,):
            raise ParameterError("u", u, "an array of shape (..., 3)")
        return self.dynamics.velocity(u, *self._gradients(u))

    __call__ = drift


def generalized_llg_si(u, H_eff, alpha: float, gamma: float = GAMMA_E, grad_phi=None, grad_chi=None) -> np.ndarray:
    r"""SI form of seed 002 Eq. 24 with Eq. 6: du/dt in rad/s.

    .. math:: \dot u = -\frac{γμ_0}{1+α^2}\Big\{u\times(H - G_Φ) + α\,u\times\big(u\times(H + G_χ/α)\big)\Big\}

    Parameters
    ----------
    u : array_like, shape (..., 3)
        Unit magnetization direction.
    H_eff : array_like, shape (..., 3)
        Effective field [A/m].
    alpha : float
        Gilbert damping (> 0).
    gamma : float
        Gyromagnetic ratio [rad s⁻¹ T⁻¹].
    grad_phi, grad_chi : array_like, shape (..., 3), optional
        The spin-transfer fields ∇Φ and ∇χ expressed in A/m (i.e. ∇ of the potentials in J divided by
        μ0 M_s v).
    """
    alpha = check_positive("alpha", alpha)
    gamma = check_positive("gamma", gamma)
    u = np.asarray(u, dtype=float)
    H = np.asarray(H_eff, dtype=float)
    Gp = 0.0 if grad_phi is None else np.asarray(grad_phi, dtype=float)
    Gc = 0.0 if grad_chi is None else np.asarray(grad_chi, dtype=float)
    LF = gamma * MU0 / (1 + alpha**2)
    return -LF * (np.cross(u, H - Gp) + alpha * np.cross(u, np.cross(u, H + Gc / alpha)))


def _cross(a, b):
    """a × b over the last axis (faster than np.cross for small arrays)."""
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def _check_model(model):
    if not isinstance(model, GeneralizedLLG):
        raise ParameterError("model", model, "a GeneralizedLLG")
    return model


def _unit(name, u) -> np.ndarray:
    return check_unit_vector(name, u)


def fibonacci_sphere(n: int) -> np.ndarray:
    """``n`` nearly uniform points on the unit sphere (golden-angle spiral), shape (n, 3)."""
    if int(n) != n or n < 1:
        raise ParameterError("n", n, "an integer >= 1")
    n = int(n)
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    r = np.sqrt(np.clip(1 - z * z, 0, None))
    ph = np.pi * (1 + np.sqrt(5)) * k
    return np.stack([r * np.cos(ph), r * np.sin(ph), z], axis=-1)


# ====================================================================== trajectories

@dataclass
class Trajectory:
    """A deterministic trajectory.

    Attributes
    ----------
    t : ndarray (m,)
        Times [τ_N].
    u : ndarray (m, 3)
        Unit directions (normalized).
    norm_error : float
        max | |u_raw| − 1 | of the integrator state at the output times, before normalization.
    t_events : list of ndarray
        Event times (as from :func:`scipy.integrate.solve_ivp`).
    status : int
        solve_ivp status (0: reached the end, 1: a terminal event).
    """

    t: np.ndarray
    u: np.ndarray
    norm_error: float
    t_events: list = field(default_factory=list)
    status: int = 0


def trajectory(model: GeneralizedLLG, u0, t_span, t_eval=None, *, method: str = "DOP853",
               rtol: float = 1e-10, atol: float = 1e-12, events=None, norm_rate: float = 0.0,
               max_step: float = np.inf) -> Trajectory:
    r"""Integrate the generalized LLG from ``u0`` (scipy ``solve_ivp``).

    The right-hand side is ``f(y/|y|) − κ(|y|² − 1) y``: the drift evaluated on the sphere plus an
    optional relaxation of the norm at rate κ (``norm_rate``) that does not act on the sphere.
    The returned ``u`` is projected onto Σ (|u| = 1 to rounding); the raw deviation of the
    integrator state is reported as ``norm_error``.

    Parameters
    ----------
    model : GeneralizedLLG
    u0 : array_like (3,)
        Initial direction (normalized).
    t_span : (float, float)
        Start and end times [τ_N].
    t_eval : array_like, optional
        Output times; default: the integrator's steps.
    method, rtol, atol, max_step :
        Passed to :func:`scipy.integrate.solve_ivp`.
    events : callable or list of callables ``g(t, u)``, optional
        Event functions of the *normalized* direction (attributes ``terminal``/``direction`` honoured).
    norm_rate : float
        κ ≥ 0 [1/τ_N], default 0: the drift at y/|y| is tangent to y, so |y| changes only through
        the integrator's local error (measured ≲ 2e-10 at rtol = 1e-10 over 50 τ_N, see
        ``norm_error``); a positive κ pulls it back but was not found to reduce it.
    """
    model = _check_model(model)
    u0 = _unit("u0", u0)
    try:
        t0, t1 = (check_finite("t_span[0]", t_span[0]), check_finite("t_span[1]", t_span[1]))
    except (TypeError, IndexError):
        raise ParameterError("t_span", t_span, "a pair (t0, t1) of finite times") from None
    if not t1 > t0:
        raise ParameterError("t_span", t_span, "t1 > t0")
    rtol = check_range("rtol", rtol, 0, 1, lo_open=True)
    atol = check_positive("atol", atol)
    kappa = check_nonnegative("norm_rate", norm_rate)

    def rhs(t, y):
        n2 = y @ y
        return model.drift(y / np.sqrt(n2)) - kappa * (n2 - 1) * y

    evs = None
    if events is not None:
        evs = []
        for ev in (events if isinstance(events, (list, tuple)) else [events]):
            def w(t, y, ev=ev):
                return ev(t, y / np.linalg.norm(y))
            w.terminal = getattr(ev, "terminal", False)
            w.direction = getattr(ev, "direction", 0)
            evs.append(w)
    sol = solve_ivp(rhs, (t0, t1), u0, method=method, t_eval=t_eval, rtol=rtol, atol=atol,
                    events=evs, max_step=max_step, dense_output=False)
    if sol.status < 0:
        raise RuntimeError(f"trajectory integration failed: {sol.message}")
    Y = sol.y.T
    nrm = np.linalg.norm(Y, axis=1)
    err = float(np.max(np.abs(nrm - 1))) if nrm.size else 0.0
    return Trajectory(sol.t, Y / nrm[:, None], err, list(sol.t_events) if sol.t_events is not None else [],
                      sol.status)


# ====================================================================== equilibria and linearization

def _chart(u0):
    e1, e2 = tangent_basis(u0)

    def point(xi):
        p = u0 + xi[0] * e1 + xi[1] * e2
        return p / np.linalg.norm(p)

    return e1, e2, point


def _residual_fn(model: GeneralizedLLG, condition: str):
    if condition == "drift":
        return model.drift
    return lambda u: 0.5 * model.dissipative_field(u)  # gradient flow of U − χ/α


def _jacobian(fun, u0, h: float = 1e-3) -> np.ndarray:
    """J_kl = e_k·∂f/∂ξ_l at ξ = 0 in the gnomonic chart at u0 (4th-order differences).

    At a zero of ``f`` this is the linearization of ``ξ̇ = f`` in tangent coordinates.
    """
    e1, e2, point = _chart(u0)
    pts = []
    for l in range(2):
        for s in (h, -h, 2 * h, -2 * h):
            xi = np.zeros(2)
            xi[l] = s
            pts.append(point(xi))
    F = fun(np.array(pts))
    J = np.empty((2, 2))
    for l in range(2):
        f = F[4 * l:4 * l + 4]
        d = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * h)
        J[0, l] = d @ e1
        J[1, l] = d @ e2
    return J


def _polish(fun, u_start, tol: float = 1e-12, max_rounds: int = 4):
    """Newton-type root of the tangent field ``fun`` near ``u_start``; returns (u, |f|) or (None, |f|)."""
    u = np.asarray(u_start, dtype=float)
    u = u / np.linalg.norm(u)
    res = np.inf
    for _ in range(max_rounds):
        e1, e2, point = _chart(u)

        def F(xi):
            f = fun(point(xi))
            return np.array([f @ e1, f @ e2])

        sol = root(F, np.zeros(2), method="hybr", options={"xtol": 1e-14})
        xi = sol.x
        if not np.all(np.isfinite(xi)) or np.linalg.norm(xi) > 1.0:
            return None, np.inf
        u = point(xi)
        res = float(np.linalg.norm(fun(u)))
        if res <= tol:
            return u, res
    return None, res


def _scale(fun, u) -> float:
    """A rate scale of the field ``fun`` near ``u`` (for relative tolerances)."""
    return max(float(np.max(np.abs(_jacobian(fun, u, 1e-2)))), 1e-300)


@dataclass
class Equilibrium:
    """A stationary state.

    Attributes
    ----------
    u : ndarray (3,)
        Direction.
    eigenvalues : ndarray (2,), complex
        Of the linearization (1/τ_N).
    kind : str
        ``"stable"`` (both Re λ < 0), ``"unstable"`` (both > 0), ``"saddle"``, or ``"marginal"``.
    energy : float
        U(u) in kT.
    residual : float
        |f(u)| after polishing.
    """

    u: np.ndarray
    eigenvalues: np.ndarray
    kind: str
    energy: float
    residual: float

    @property
    def stable(self) -> bool:
        return self.kind == "stable"


def _classify(ev: np.ndarray, scale: float) -> str:
    re = np.real(ev)
    tol = 1e-9 * scale
    if np.all(re < -tol):
        return "stable"
    if np.all(re > tol):
        return "unstable"
    if np.any(re < -tol) and np.any(re > tol):
        return "saddle"
    return "marginal"


def equilibria(model: GeneralizedLLG, starts=None, *, n_starts: int = 32, condition: str = "drift",
               tol: float = 1e-11, merge_angle: float = 1e-6) -> list[Equilibrium]:
    r"""Stationary states from root finding on Σ from several starts.

    Parameters
    ----------
    model : GeneralizedLLG
    starts : array_like (m, 3), optional
        Starting directions; default ±e_x, ±e_y, ±e_z and ``n_starts`` Fibonacci points.
    condition : {"drift", "quasistatic"}
        ``"drift"``: zeros of the full drift of Eq. 24 (the fixed points the dynamics relaxes to);
        ``"quasistatic"``: the seed's quasi-static condition ``H_eff + ∇χ/α = 0``, i.e. critical
        points of ``U − χ/α`` (classified by the gradient flow ``−½∇(U − χ/α)``).  They coincide
        when Φ = 0 and ∇χ ∥ ∇U (e.g. axial χ and field), and always at Φ = χ = 0.
    tol : float
        Residual tolerance relative to the field's rate scale.
    merge_angle : float
        Roots closer than this [rad] are merged.

    Returns
    -------
    list of Equilibrium, sorted by energy.
    """
    model = _check_model(model)
    if condition not in ("drift", "quasistatic"):
        raise ParameterError("condition", condition, "one of ['drift', 'quasistatic']")
    fun = _residual_fn(model, condition)
    if starts is None:
        starts = np.concatenate([np.vstack([np.eye(3), -np.eye(3)]), fibonacci_sphere(n_starts)])
        # tilt the axis starts slightly: exact symmetric points can stall a solver
        starts = starts + 1e-3 * np.array([0.3, -0.2, 0.1])
    starts = np.asarray(starts, dtype=float)
    if starts.ndim != 2 or starts.shape[1] != 3 or not np.all(np.isfinite(starts)):
        raise ParameterError("starts", starts, "an array of shape (m, 3)")
    out: list[Equilibrium] = []
    for s in starts:
        n = np.linalg.norm(s)
        if n == 0:
            continue
        sc = _scale(fun, s / n)
        u, res = _polish(fun, s / n, tol * sc)
        if u is None:
            continue
        if any(np.arccos(np.clip(u @ e.u, -1, 1)) < merge_angle for e in out):
            continue
        J = _jacobian(fun, u)
        ev = np.linalg.eigvals(J)
        out.append(Equilibrium(u, ev, _classify(ev, max(np.max(np.abs(J)), 1e-300)),
                               float(model.energy.value(u)), res))
    out.sort(key=lambda e: e.energy)
    return out


@dataclass
class FMR:
    """Linearized dynamics about an equilibrium.

    Attributes
    ----------
    omega : float
        Precession frequency [rad/τ_N]; signed: > 0 is counter-clockwise about u (the sense of free
        precession about a field along u); 0 when the eigenvalues are real.
    damping_rate : float
        Γ = −Re λ [1/τ_N] (of the slower mode when the eigenvalues are real).
    eigenvalues : ndarray (2,), complex
    jacobian : ndarray (2, 2)
        In the right-handed tangent basis (e₁, e₂) of :func:`thermokinetic.onsager.tangent_basis`.
    u : ndarray (3,)
    """

    omega: float
    damping_rate: float
    eigenvalues: np.ndarray
    jacobian: np.ndarray
    u: np.ndarray

    @property
    def quality_factor(self) -> float:
        """|ω|/(2Γ)."""
        return abs(self.omega) / (2 * self.damping_rate) if self.damping_rate != 0 else np.inf


def linearize(model: GeneralizedLLG, u_eq, *, fd_step: float = 1e-3, check_tol: float = 1e-8) -> np.ndarray:
    """Jacobian of the drift in the tangent plane at the equilibrium ``u_eq`` (2×2, 1/τ_N).

    Raises :class:`ParameterError` if ``u_eq`` is not a stationary point (|f| above ``check_tol``
    times the rate scale).
    """
    model = _check_model(model)
    u = _unit("u_eq", u_eq)
    J = _jacobian(model.drift, u, check_range("fd_step", fd_step, 0, 0.1, lo_open=True))
    res = np.linalg.norm(model.drift(u))
    sc = max(np.max(np.abs(J)), 1e-300)
    if res > check_tol * sc:
        raise ParameterError("u_eq", u, f"a stationary point of the drift (|du/dt| = {res:.3g} > {check_tol:g}·{sc:.3g})",
                             "use equilibria(...) to find one")
    return J


def fmr(model: GeneralizedLLG, u_eq, **kw) -> FMR:
    """Precession frequency and damping rate about ``u_eq`` from the eigenvalues of :func:`linearize`."""
    J = linearize(model, u_eq, **kw)
    ev = np.linalg.eigvals(J)
    im = np.abs(np.imag(ev))
    if np.max(im) > 1e-12 * np.max(np.abs(ev)):
        omega = float(np.sign(J[1, 0] - J[0, 1]) * im[0])
        gam = float(-np.mean(np.real(ev)))
    else:
        omega = 0.0
        gam = float(-np.max(np.real(ev)))
    return FMR(omega, gam, ev, J, _unit("u_eq", u_eq))


def fmr_axial_closed_form(sigma: float, h: float, alpha: float, c_phi: float = 0.0, c_chi: float = 0.0):
    r"""Closed-form FMR about θ = 0 for ``U = −σcos²θ − 2σh cosθ``, ``Φ = c_Φ cosθ``, ``χ = c_χ cosθ``.

    Returns ``(omega, damping_rate)`` in 1/τ_N: ``ω = (2σ(1+h) − c_Φ)/(2α)``,
    ``Γ = σ(1+h) + c_χ/(2α)`` (derivation in the module docstring).
    """
    sigma = check_finite("sigma", sigma)
    h = check_finite("h", h)
    alpha = check_positive("alpha", alpha)
    c_phi = check_finite("c_phi", c_phi)
    c_chi = check_finite("c_chi", c_chi)
    return (2 * sigma * (1 + h) - c_phi) / (2 * alpha), sigma * (1 + h) + c_chi / (2 * alpha)


def fmr_from_hessian(K, alpha: float):
    r"""Smit–Beljers with damping: ``(ω, Γ)`` from the covariant Hessian ``K`` (2×2, kT) of U at a minimum.

    ``Γ = tr K/4``, ``ω² = (1+α²) det K/(4α²) − Γ²`` (1/τ_N; Φ = χ = 0).  Returns ω = 0 when
    ω² < 0 (overdamped).
    """
    K = np.asarray(K, dtype=float)
    if K.shape != (2, 2) or not np.all(np.isfinite(K)):
        raise ParameterError("K", K, "a finite 2×2 array")
    alpha = check_positive("alpha", alpha)
    G = np.trace(K) / 4
    w2 = (1 + alpha**2) * np.linalg.det(0.5 * (K + K.T)) / (4 * alpha**2) - G**2
    return float(np.sqrt(max(w2, 0.0))), float(G)


# ====================================================================== hysteresis

@dataclass
class HysteresisLoop:
    """Quasi-static hysteresis loop.

    Attributes
    ----------
    fields_down, fields_up : ndarray
        Swept fields (decreasing, then increasing).
    m_down, m_up : ndarray
        Projection u·``projection`` on each branch.
    u_down, u_up : ndarray (m, 3)
        States.
    h_switch_down, h_switch_up : float or nan
        Switching fields (nan when no switch occurred in the sweep; then check the range).
    """

    fields_down: np.ndarray
    m_down: np.ndarray
    u_down: np.ndarray
    fields_up: np.ndarray
    m_up: np.ndarray
    u_up: np.ndarray
    h_switch_down: float
    h_switch_up: float

    @property
    def shift(self) -> float:
        """Loop centre (h_up + h_down)/2 (the exchange-bias-like shift)."""
        return 0.5 * (self.h_switch_up + self.h_switch_down)

    @property
    def coercivity(self) -> float:
        """Half-width (h_up − h_down)/2."""
        return 0.5 * (self.h_switch_up - self.h_switch_down)


def _angle(a, b) -> float:
    return float(np.arccos(np.clip(a @ b, -1.0, 1.0)))


def _follow(model: GeneralizedLLG, u_prev, jump_angle, t_relax, kick, need_state=True):
    """Stable state reached from ``u_prev``; returns (u, stayed_on_branch).

    With ``need_state=False`` a relaxation that stalls in a bottleneck without a fixed point
    (the ghost of a vanished node, past a saddle-node) returns ``(None, False)`` at once.
    """
    fun = model.drift
    sc = _scale(fun, u_prev)
    u, _ = _polish(fun, u_prev, 1e-11 * sc)
    if u is not None and _angle(u, u_prev) < jump_angle:
        ev = np.linalg.eigvals(_jacobian(fun, u))
        # a marginal point (Re λ = 0 to rounding, e.g. exactly at a loss of damping) is kept:
        # the linear instability has not set in yet
        kind = _classify(ev, sc)
        if kind in ("stable", "marginal"):
            return u, True
        if not need_state and kind == "unstable":
            # det J > 0 and both Re λ > 0: the continued branch itself lost stability (through
            # Re λ = 0, e.g. loss of damping); a saddle (det J < 0) would be the other fixed point
            # of a saddle-node pair and is not the branch
            return None, False

    def kicked(v):
        e1, e2 = tangent_basis(v)
        w = v + kick * (0.6 * e1 + 0.8 * e2)
        return w / np.linalg.norm(w)

    def small(t, y):
        return np.linalg.norm(model.drift(y)) - 1e-6 * sc
    small.terminal = True
    small.direction = -1.0  # only when |f| falls through the threshold (not when leaving a fixed point)

    cos_jump = np.cos(jump_angle)

    def far(t, y):  # left the neighbourhood of the branch: a switch (used when only ok matters)
        return y @ u_prev - cos_jump
    far.terminal = True
    far.direction = -1.0

    events = [small] if need_state else [small, far]
    start = kicked(u_prev)
    for _ in range(60):
        tr = trajectory(model, start, (0.0, t_relax), events=events, method="RK45", rtol=1e-7, atol=1e-9)
        if not need_state and len(tr.t_events[1]):
            return None, False
        start = tr.u[-1]
        u, _ = _polish(fun, start, 1e-11 * sc)
        if u is not None:
            ev = np.linalg.eigvals(_jacobian(fun, u))
            if _classify(ev, sc) == "stable":
                return u, _angle(u, u_prev) < jump_angle
            if not need_state:
                return None, False  # the nearby fixed point is unstable: the branch is lost
            # unstable point nearby: keep going from where the trajectory is (kick if on it)
            start = kicked(u) if _angle(start, u) < kick else start
        elif tr.status == 1:
            # slow but no fixed point nearby: a bottleneck (ghost); integrate through it
            if not need_state:
                return None, False
    raise RuntimeError("relaxation did not reach a stable state; increase t_relax")


def hysteresis_loop(energy_factory: Callable[[float], EnergyTerm], fields, chi=None, *, alpha: float = 1.0,
                    phi=None, grad_chi=None, grad_phi=None, projection=(0.0, 0.0, 1.0), u_start=None,
                    jump_angle: float = 0.5, tol_h: float = 1e-7, t_relax: float = 1e3,
                    kick: float = 1e-4) -> HysteresisLoop:
    r"""Quasi-static hysteresis loop: sweep the field down then up, following the stable branch.

    At each field the state is continued from the previous one (Newton on Σ; if that fails or is
    unstable, relaxation by the deterministic dynamics of Eq. 24, then Newton).  A switch is a jump
    larger than ``jump_angle``; its field is refined by bisection to ``tol_h`` (a field is "before
    the switch" when a *stable* fixed point exists within ``jump_angle`` of the last state, so both
    saddle-node (Stoner–Wohlfarth) and loss-of-damping (χ-driven) instabilities are located).

    Parameters
    ----------
    energy_factory : callable
        ``energy_factory(h) -> EnergyTerm``: the reduced energy at field value h.
    fields : array_like
        Field values of the sweep (sorted internally); the loop goes from max to min and back.
    chi, phi : callable, optional
        Spin-transfer potentials (kT); see :class:`GeneralizedLLG`.
    alpha : float
        Damping (> 0); quasi-static states with χ depend on α through χ/α.
    projection : array_like (3,)
        Axis for the magnetization curve m = u·axis.
    u_start : array_like (3,), optional
        Start of the downward sweep (default: ``projection``).
    jump_angle : float
        Angle [rad] above which a change of state counts as a switch.
    tol_h : float
        Bisection tolerance on the switching fields.
    t_relax : float
        Maximal relaxation time per attempt [τ_N].
    kick : float
        Size [rad] of the perturbation that starts a relaxation off a symmetric fixed point.
    """
    if not callable(energy_factory):
        raise ParameterError("energy_factory", energy_factory, "a callable h -> EnergyTerm")
    f = np.asarray(fields, dtype=float)
    if f.ndim != 1 or f.size < 3 or not np.all(np.isfinite(f)):
        raise ParameterError("fields", fields, "a 1D array of at least 3 finite field values")
    f = np.unique(f)
    if f.size < 3:
        raise ParameterError("fields", fields, "at least 3 distinct values")
    axis = _unit("projection", projection)
    u0 = axis if u_start is None else _unit("u_start", u_start)
    jump_angle = check_range("jump_angle", jump_angle, 0, np.pi, lo_open=True)
    tol_h = check_positive("tol_h", tol_h)
    t_relax = check_positive("t_relax", t_relax)
    kick = check_range("kick", kick, 0, 0.1, lo_open=True)
    base = GeneralizedLLG(energy_factory(float(f[-1])), alpha, phi=phi, chi=chi, grad_phi=grad_phi, grad_chi=grad_chi)

    def model_at(h):
        return base.with_energy(energy_factory(float(h)))

    def sweep(hs, u):
        us, hsw = [], np.nan
        u, _ = _follow(model_at(hs[0]), u, np.pi, t_relax, kick)
        us.append(u)
        for k in range(1, len(hs)):
            new, ok = _follow(model_at(hs[k]), u, jump_angle, t_relax, kick)
            if not ok and np.isnan(hsw):
                lo, hi, ulo = hs[k - 1], hs[k], u
                while abs(hi - lo) > tol_h:
                    mid = 0.5 * (lo + hi)
                    um, okm = _follow(model_at(mid), ulo, jump_angle, t_relax, kick, need_state=False)
                    if okm:
                        lo, ulo = mid, um
                    else:
                        hi = mid
                hsw = 0.5 * (lo + hi)
            u = new
            us.append(u)
        return np.array(us), hsw

    hd = f[::-1]
    ud, hsw_d = sweep(hd, u0)
    hu = f
    uu, hsw_u = sweep(hu, ud[-1])
    return HysteresisLoop(hd, ud @ axis, ud, hu, uu @ axis, uu, float(hsw_d), float(hsw_u))


# ====================================================================== switching time

def switching_time_axial(sigma: float, h: float, alpha: float, theta0: float, theta1: float,
                         c_chi: float = 0.0) -> float:
    r"""Closed-form T = 0 switching time [τ_N] from θ0 to θ1 in the axial case.

    ``U = −σcos²θ − 2σh cosθ``, ``χ = c_χ cosθ`` (any axial Φ is irrelevant: it only adds
    azimuthal precession), so ``θ̇ = −½ sinθ (2σ cosθ + b)`` with ``b = 2σh + c_χ/α``, and

    .. math:: T = 2\Big[-A\ln|1-x| + B\ln|1+x| + \frac{C}{2σ}\ln|2σx + b|\Big]_{x_0}^{x_1},\quad x = \cos θ,

    ``A = 1/(2(2σ+b))``, ``B = 1/(2(b−2σ))``, ``C = 4σ²/(4σ²−b²)``; for σ = 0,
    ``T = [\ln((1+x)/(1−x))/b]_{x_0}^{x_1}``.

    Parameters
    ----------
    sigma : float
        σ ≥ 0 (kT).
    h : float
        Reduced axial field (h = H/H_K; with σ = 0 give ``b`` through ``c_chi``/α or use σh ≠ 0).
    alpha : float
        Damping (> 0), enters through c_χ/α.
    theta0, theta1 : float
        Start and end polar angles [rad], in (0, π); the motion must be monotonic between them.
    c_chi : float
        Amplitude of χ = c_χ cosθ (kT).

    Raises
    ------
    ParameterError
        If θ̇ vanishes or changes sign on [θ0, θ1] (no deterministic passage: infinite time).
    """
    sigma = check_nonnegative("sigma", sigma)
    h = check_finite("h", h)
    alpha = check_positive("alpha", alpha)
    theta0 = check_range("theta0", theta0, 0, np.pi, lo_open=True, hi_open=True)
    theta1 = check_range("theta1", theta1, 0, np.pi, lo_open=True, hi_open=True)
    c_chi = check_finite("c_chi", c_chi)
    b = 2 * sigma * h + c_chi / alpha
    x0, x1 = np.cos(theta0), np.cos(theta1)
    # θ̇ ∝ −(2σx + b) must keep the sign that moves θ0 toward θ1 on the whole interval
    want = np.sign(theta1 - theta0)
    g = lambda x: -(2 * sigma * x + b)  # noqa: E731  sign of θ̇
    if want == 0 or not (np.sign(g(x0)) == want and np.sign(g(x1)) == want):
        raise ParameterError("theta1", theta1,
                             f"reachable from theta0={theta0:g} (θ̇ = −½sinθ(2σcosθ+b), b = {b:g}, must not vanish in between)")
    if sigma == 0:
        F = lambda x: np.log((1 + x) / (1 - x)) / b  # noqa: E731
        return float(F(x1) - F(x0))
    if abs(abs(b) - 2 * sigma) < 1e-12 * max(1.0, 2 * sigma):
        raise ParameterError("b = 2σh + c_chi/alpha", b, f"≠ ±2σ = ±{2 * sigma:g} (degenerate partial fractions: the start is marginal)")
    A = 1 / (2 * (2 * sigma + b))
    B = 1 / (2 * (b - 2 * sigma))
    C = 4 * sigma**2 / (4 * sigma**2 - b**2)

    def F(x):
        return 2 * (-A * np.log(abs(1 - x)) + B * np.log(abs(1 + x)) + C / (2 * sigma) * np.log(abs(2 * sigma * x + b)))

    return float(F(x1) - F(x0))


def switching_time(model: GeneralizedLLG, theta0: float, theta1: float, *, axis=(0.0, 0.0, 1.0), phi0: float = 0.0,
                   t_max: float = 1e6, rtol: float = 1e-12, atol: float = 1e-14) -> float:
    """Numerical T = 0 switching time [τ_N]: first time the polar angle from ``axis`` reaches θ1.

    Starts at polar angle θ0 (azimuth ``phi0`` about ``axis``) and integrates Eq. 24 with an
    event on ``u·axis = cos θ1``.  Returns ``inf`` if θ1 is not reached before ``t_max``.
    """
    model = _check_model(model)
    theta0 = check_range("theta0", theta0, 0, np.pi)
    theta1 = check_range("theta1", theta1, 0, np.pi)
    t_max = check_positive("t_max", t_max)
    a = _unit("axis", axis)
    e1, e2 = tangent_basis(a)
    phi0 = check_finite("phi0", phi0)
    u0 = np.cos(theta0) * a + np.sin(theta0) * (np.cos(phi0) * e1 + np.sin(phi0) * e2)
    c1 = np.cos(theta1)

    def ev(t, u):
        return u @ a - c1
    ev.terminal = True
    ev.direction = -1.0 if theta1 > theta0 else 1.0
    tr = trajectory(model, u0, (0.0, t_max), events=ev, rtol=rtol, atol=atol)
    if tr.t_events and len(tr.t_events[0]):
        return float(tr.t_events[0][0])
    return float("inf")
