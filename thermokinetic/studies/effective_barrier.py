r"""Effective barrier E_eff(J), attempt frequency and critical current from Arrhenius fits (seed 001).

Definition (operational, as in an experiment)
---------------------------------------------
At fixed physical current J the escape rate Γ out of the start well is computed at several
temperatures T (every reduced potential — σ = Kv/kT and the spin-transfer potentials χ, Φ of
seed 002 Eq. 22 — scales as 1/T, :class:`~thermokinetic.studies.model.MacrospinModel`), and

.. math:: \ln Γ(T) = \ln f_0 + p\,\ln(T_{ref}/T) - \frac{E_{eff}}{k T}

is fitted by linear least squares in ``x = T_ref/T`` (energies in kT_ref).  ``f_0`` is the attempt
frequency at T_ref and ``p`` the power of the prefactor's temperature dependence.  Fitting p
removes the 1/σ bias of a plain Arrhenius slope: Brown's axial prefactor is ∝ σ^{3/2}/τ_N ∝ x^{1/2}
(rates in 1/s) and Kramers' non-axial one ∝ σ/τ_N ∝ x^0, so with p fixed to 0 the slope is off by
p kT (≈ 1 % of a 40 kT barrier); with p free the remaining bias is the next order of the
asymptotic series, O(1/σ²) (measured: < 1e-4 relative over σ ∈ [20, 60], see the tests).  Both the
power-law fit and the plain (p = 0) fit are reported, with their rms residuals in ln Γ and the
temperature window.

Critical current, two ways
--------------------------
* ``critical_current_T0``: the current at which the start well's equilibrium of the deterministic
  generalized LLG (Eq. 24, T = 0) loses stability (:func:`~thermokinetic.studies.model.critical_current_T0`);
* ``critical_current`` (fit): ``E_eff(J) = E_0 (1 − J/J_c)^b`` fitted (least squares on ln E_eff,
  i.e. relative errors) over the currents whose barrier is at least ``min_barrier_kT`` at the
  hottest temperature; J_c is where the extrapolated barrier vanishes, b its exponent, with the
  standard errors from the fit covariance.

Exact reference: axial χ₁ = c·u_z (a collinear damping-like torque) gives the dissipative
potential ``U − χ/α = −σx² − 2σ(h + i)x`` with ``i = cJ/(2σα)``, so the barrier out of the −e_z well
is exactly σ(1 − h − i)² (kT): b = 2 and J_c at i = 1 − h, where also the T = 0 damping rate
``σ(1 − h) − cJ/(2α)`` vanishes.  At J = 0 every rate is the Fokker–Planck engine's.

The T = 0 instability of the start state and the vanishing of the barrier need not coincide: with a
torque that is not ∝ sin θ (e.g. the diffusive torque of a spin valve), past the instability of the
pole a ring minimum of U − χ/α (a precessing cone state) takes over and the barrier out of it to the
other well survives to larger currents.  Currents without a barrier get status ``"no-well"``; a current at
which the mesh does not resolve the well raises the solver's :class:`ParameterError` naming the
current and temperature — every point computed before is kept in the cache folder.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import ParameterError, check_finite, check_positive
from ._common import PointCache, check_temperatures, finite_or_none, progress_bar
from .model import MacrospinModel, critical_current_T0

__all__ = ["EffectiveBarrierResult", "effective_barrier", "arrhenius_fit", "power_law_fit", "ArrheniusFit",
           "PowerLawFit", "model_fingerprint"]

VERSION = 1


# ====================================================================== fits

@dataclass
class ArrheniusFit:
    """``ln Γ = ln f0 + p ln x − E x`` with x = T_ref/T (E in kT_ref).

    Attributes
    ----------
    barrier_kT, barrier_err : float
        E_eff in kT_ref and its standard error.
    attempt_frequency : float
        f0 (rate unit), the prefactor at T_ref.
    exponent : float
        p (fixed value when not fitted).
    residual : float
        rms residual of ln Γ.
    """

    barrier_kT: float
    barrier_err: float
    attempt_frequency: float
    exponent: float
    residual: float


def arrhenius_fit(x, rates, prefactor: str | float = "asymptotic", *, n_inverse: int | None = None) -> ArrheniusFit:
    r"""Least-squares Arrhenius fit of ``rates`` at ``x = T_ref/T`` (energies in kT_ref).

    Models (``prefactor``):

    * ``"asymptotic"``: ``ln Γ = ln f0 + p ln x − E x + c/x`` — the high-barrier expansion of the
      escape rate, prefactor ∝ σ^p (1 + c'/σ + …) (Brown/Kramers), ≥ 4 temperatures;
    * ``"power"``: ``ln Γ = ln f0 + p ln x − E x`` (≥ 3 temperatures);
    * a number p: ``ln Γ = ln f0 + p ln x − E x`` with p fixed (0: the plain Arrhenius law).

    Parameters
    ----------
    x : array_like
        T_ref/T (> 0).
    rates : array_like
        Γ (> 0), any rate unit.
    prefactor : {"asymptotic", "power"} or float
    n_inverse : int, optional
        Number of terms c_k/x^k of the asymptotic series (overrides ``prefactor``'s: 1 for
        "asymptotic", 0 for "power"); used to estimate the truncation error with one more term.
    """
    x = np.asarray(x, dtype=float)
    g = np.asarray(rates, dtype=float)
    if x.shape != g.shape or x.ndim != 1:
        raise ParameterError("rates", g, "one rate per temperature")
    if not np.all(g > 0) or not np.all(np.isfinite(g)):
        raise ParameterError("rates", g, "finite and > 0")
    y = np.log(g)
    if prefactor in ("power", "asymptotic"):
        m = (1 if prefactor == "asymptotic" else 0) if n_inverse is None else int(n_inverse)
        need = 3 + m
        if np.unique(x).size < need:
            raise ParameterError("temperatures", (1 / x).tolist(),
                                 f"at least {need} distinct values for the {prefactor!r} prefactor model")
        cols = [np.ones_like(x), -x, np.log(x)] + [x ** (-k) for k in range(1, m + 1)]
        rhs = y
        p_fixed = None
    else:
        p_fixed = check_finite("prefactor", prefactor)
        if np.unique(x).size < 2:
            raise ParameterError("temperatures", (1 / x).tolist(), "at least 2 distinct values")
        cols = [np.ones_like(x), -x]
        rhs = y - p_fixed * np.log(x)
    A = np.stack(cols, axis=1)
    # scale columns for conditioning, solve, unscale
    sc = np.max(np.abs(A), axis=0)
    coef, *_ = np.linalg.lstsq(A / sc, rhs, rcond=None)
    coef = coef / sc
    res = rhs - A @ coef
    dof = len(x) - A.shape[1]
    s2 = float(res @ res) / dof if dof > 0 else 0.0
    cov = s2 * np.linalg.pinv(A.T @ A)
    p = coef[2] if p_fixed is None else p_fixed
    return ArrheniusFit(float(coef[1]), float(math.sqrt(max(cov[1, 1], 0.0))), float(math.exp(coef[0])),
                        float(p), float(math.sqrt(float(res @ res) / len(x))))


@dataclass
class PowerLawFit:
    """``E(J) = E0 (1 − J/Jc)^b`` fitted on ln E; standard errors from the covariance."""

    E0: float
    E0_err: float
    Jc: float
    Jc_err: float
    b: float
    b_err: float
    residual: float
    n_points: int


def power_law_fit(J, E, Jc_guess: float | None = None, E_err=None, *, Jc_fixed: float | None = None) -> PowerLawFit:
    """Fit ``E = E0 (1 − J/Jc)^b`` (E > 0) by weighted least squares on ln E.

    The weights are E/E_err (relative errors); the parameter errors are those of the covariance
    with these absolute errors, inflated by √(χ²/dof) when the scatter exceeds them.

    Parameters
    ----------
    J, E : array_like
        Currents and barriers (≥ 4 points, E > 0, J not all equal).
    E_err : array_like, optional
        Absolute errors of E (default: unweighted, errors from the scatter).
    Jc_fixed : float, optional
        Keep Jc fixed (fit only E0 and b; ≥ 3 points).
    Jc_guess : float, optional
        Start value of Jc (default: linear extrapolation of √E to 0).
    """
    from scipy.optimize import least_squares

    J = np.asarray(J, dtype=float)
    E = np.asarray(E, dtype=float)
    if J.size < 4 or E.shape != J.shape:
        raise ParameterError("currents", J.tolist(), "at least 4 currents with a resolved barrier for the (E0, Jc, b) fit")
    if not np.all(E > 0):
        raise ParameterError("barrier", E.tolist(), "> 0 at every fitted current")
    w = np.ones_like(E) if E_err is None else E / np.maximum(np.asarray(E_err, dtype=float), 1e-12 * E)
    if Jc_fixed is not None:
        Jc = float(Jc_fixed)
        z = np.log1p(-J / Jc)
        A = np.stack([np.ones_like(z), z], axis=1) * w[:, None]
        coef, *_ = np.linalg.lstsq(A, np.log(E) * w, rcond=None)
        r = A @ coef - np.log(E) * w
        chi2 = float(r @ r) / max(1, J.size - 2)
        cov = np.linalg.inv(A.T @ A) * (max(1.0, chi2) if E_err is not None else chi2)
        err = np.sqrt(np.clip(np.diag(cov), 0, None))
        E0 = math.exp(coef[0])
        return PowerLawFit(E0, E0 * float(err[0]), Jc, 0.0, float(coef[1]), float(err[1]),
                           float(math.sqrt(float(r @ r) / J.size)), int(J.size))
    if Jc_guess is None or not np.isfinite(Jc_guess):
        c = np.polyfit(J, np.sqrt(E), 1)
        Jc_guess = -c[1] / c[0] if c[0] != 0 else 2 * np.max(np.abs(J))
    sgn = 1.0 if Jc_guess > 0 else -1.0
    y = np.log(E)

    def resid(q):
        lnE0, Jc, b = q
        return (lnE0 + b * np.log1p(-J / Jc) - y) * w

    i0 = int(np.argmin(np.abs(J)))
    q0 = np.array([y[i0], Jc_guess, 2.0])
    lo = np.array([-np.inf, -np.inf, 0.1])
    hi = np.array([np.inf, np.inf, 10.0])
    edge = np.max(J * sgn) * sgn
    if sgn > 0:
        lo[1] = edge * (1 + 1e-9) + 1e-300
        q0[1] = max(q0[1], edge * 1.01)
    else:
        hi[1] = edge * (1 + 1e-9) - 1e-300
        q0[1] = min(q0[1], edge * 1.01)
    sol = least_squares(resid, q0, bounds=(lo, hi), x_scale="jac", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    r = sol.fun
    dof = max(1, J.size - 3)
    s2 = float(r @ r) / dof
    if E_err is not None:
        s2 = max(1.0, s2)
    Jm = sol.jac
    try:
        cov = s2 * np.linalg.inv(Jm.T @ Jm)
    except np.linalg.LinAlgError:
        cov = np.full((3, 3), np.inf)
    lnE0, Jc, b = sol.x
    E0 = math.exp(lnE0)
    err = np.sqrt(np.clip(np.diag(cov), 0, None))
    return PowerLawFit(E0, E0 * float(err[0]), float(Jc), float(err[1]), float(b), float(err[2]),
                       float(math.sqrt(float(r @ r) / J.size)), int(J.size))


#: largest accepted rms misfit of ln E_eff for a power-law J_c and b (1 %: the Arrhenius barriers are
#: accurate to ~1e-3 relative, so a larger misfit is the power law's own structured error)
FIT_RESIDUAL_MAX = 0.01


# ====================================================================== the study

def model_fingerprint(model: MacrospinModel) -> dict:
    """JSON-able identity of a model: its parameters and χ₁, Φ₁ sampled at 64 fixed directions."""
    from ..llg import fibonacci_sphere

    pts = fibonacci_sphere(64)
    fp = {k: getattr(model, k) for k in ("sigma", "alpha", "h", "psi", "T_ref", "Ms", "volume", "start",
                                         "method", "level")}
    fp["start"] = list(fp["start"])
    for name in ("chi", "phi"):
        f = getattr(model, name)
        fp[name] = None if f is None else [float(f"{v:.12e}") for v in np.asarray(f(pts), dtype=float)]
    return fp


@dataclass
class EffectiveBarrierResult:
    """Result of :func:`effective_barrier` (arrays indexed [current] or [current, temperature]).

    Attributes
    ----------
    currents : ndarray (nJ,)
        Currents (``current_unit``).
    temperatures : ndarray (nT,)
        [K].
    rates : ndarray (nJ, nT)
        Escape rate out of the start well (``rate_unit``); NaN where there is no well.
    sigma : ndarray (nT,)
        σ(T) = Kv/kT.
    barrier_kT, barrier_err : ndarray (nJ,)
        E_eff in kT_ref (power-law prefactor fit) and its standard error; 0 past the instability.
    barrier_plain_kT : ndarray (nJ,)
        E_eff of the plain Arrhenius fit (p = 0).
    barrier_model_kT : ndarray (nJ,)
        U_d(saddle) − U_d(well) at T_ref when known exactly (axial problems), else NaN.
    attempt_frequency : ndarray (nJ,)
        f0 at T_ref (rate unit).
    prefactor_exponent : ndarray (nJ,)
        p of the fit.
    fit_residual, fit_residual_plain : ndarray (nJ,)
        rms residual of ln Γ.
    status : list of str
        ``"ok"``, ``"no-well"`` (no barrier around the start state), ``"low-barrier"``
        (barrier below ``min_barrier_kT`` at the hottest T: reported, not fitted).
    critical_current_T0 : float
        J_c of the deterministic instability; ``critical_current_T0_kind`` its type.
    fit : PowerLawFit or None
        E0 (kT_ref), Jc, b and their errors.
    """

    currents: np.ndarray
    temperatures: np.ndarray
    rates: np.ndarray
    sigma: np.ndarray
    barrier_kT: np.ndarray
    barrier_err: np.ndarray
    barrier_plain_kT: np.ndarray
    barrier_model_kT: np.ndarray
    attempt_frequency: np.ndarray
    prefactor_exponent: np.ndarray
    fit_residual: np.ndarray
    fit_residual_plain: np.ndarray
    status: list
    critical_current_T0: float
    critical_current_T0_kind: str
    fit: PowerLawFit | None
    fit_fixed_Jc: PowerLawFit | None = None
    fit_model_near_Jc: PowerLawFit | None = None
    T_ref: float = 300.0
    current_unit: str = "1"
    rate_unit: str = "1/tau_N(T_ref)"
    label: str = ""
    methods: list = field(default_factory=list)
    min_barrier_kT: float = 10.0

    # -------------------------------------------------------------- summaries
    @property
    def headline(self) -> dict:
        """J_c and b where they are well defined, with the definition used (or why there are none):

        * ``"exact"`` — the exact barrier of U_d = U − χ/α (axial problems) vanishes inside the
          scanned currents: J_c where it vanishes (bisection on the 1D landscape) and the local
          exponent d ln E/d ln(J_c − J) as J → J_c (3/2 at a saddle-node, 2 at a pitchfork);
        * ``"fit"`` — otherwise the power law fitted to the Arrhenius barriers over the window of
          currents with E_eff ≥ min_barrier_kT, only if it passes its check: rms misfit of ln E_eff
          ≤ :data:`FIT_RESIDUAL_MAX`, b not at a bound of the fit, J_c and b known to 25 % / 50 %;
        * ``None`` — no number, and ``reason`` says why.
        """
        near = self.fit_model_near_Jc
        if near is not None and np.isfinite(near.Jc) and np.isfinite(near.b):
            return {"source": "exact", "critical_current": near.Jc, "critical_current_err": near.Jc_err,
                    "exponent": near.b, "exponent_err": near.b_err,
                    "definition": "exact barrier of U_d = U - chi/alpha (1D reduction, T_ref): J_c where it "
                                  "vanishes (bisection), b = d ln E / d ln(J_c - J) at J_c(1 - 1e-4)"}
        f = self.fit
        if f is None:
            return {"source": None, "reason": "fewer than 4 currents with a barrier >= min_barrier_kT for the "
                                              "power-law fit, and no exact barrier"}
        problems = []
        misfit = self._fit_misfit()
        if not misfit <= FIT_RESIDUAL_MAX:
            problems.append(f"rms misfit of ln E_eff {misfit:.2g} > {FIT_RESIDUAL_MAX:g}")
        if not 0.11 < f.b < 9.9:
            problems.append(f"exponent b = {f.b:.3g} at a bound of the fit")
        if not (f.Jc_err <= 0.25 * abs(f.Jc) and f.b_err <= 0.5 * abs(f.b)):
            problems.append(f"J_c or b undetermined (J_c = {f.Jc:.3g} +- {f.Jc_err:.2g}, b = {f.b:.3g} +- {f.b_err:.2g})")
        if problems:
            return {"source": None, "reason": "the power-law fit of E_eff(J) fails its check: " + "; ".join(problems)}
        Jw = self.currents[[s == "ok" for s in self.status]]
        return {"source": "fit", "critical_current": f.Jc, "critical_current_err": f.Jc_err, "exponent": f.b,
                "exponent_err": f.b_err,
                "definition": f"E0 (1 - J/J_c)^b fitted to the Arrhenius barriers over J in [{Jw.min():.4g}, "
                              f"{Jw.max():.4g}] ({f.n_points} currents, rms misfit of ln E_eff {misfit:.2g})"}

    def _fit_misfit(self) -> float:
        """rms of ln E_eff − ln[E0 (1 − J/J_c)^b] over the fitted currents (unweighted)."""
        f = self.fit
        if f is None:
            return float("nan")
        sel = np.array([s == "ok" for s in self.status]) & (self.barrier_kT > 0)
        J, E = self.currents[sel], self.barrier_kT[sel]
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.log(E) - (math.log(f.E0) + f.b * np.log1p(-J / f.Jc))
        return float(np.sqrt(np.mean(r * r))) if r.size else float("nan")

    @property
    def critical_current(self) -> float:
        """The headline J_c (:attr:`headline`), NaN where it is not well defined."""
        return float(self.headline.get("critical_current", float("nan")))

    @property
    def exponent(self) -> float:
        return float(self.headline.get("exponent", float("nan")))

    def to_dict(self) -> dict:
        """JSON-able summary (NaN → None) including the per-current arrays."""
        f = self.fit
        return {
            "label": self.label,
            "current_unit": self.current_unit,
            "rate_unit": self.rate_unit,
            "T_ref": self.T_ref,
            "temperatures": self.temperatures.tolist(),
            "sigma_window": [float(self.sigma.min()), float(self.sigma.max())],
            "current": self.currents.tolist(),
            "barrier_kT": [finite_or_none(v) for v in self.barrier_kT],
            "barrier_err_kT": [finite_or_none(v) for v in self.barrier_err],
            "barrier_plain_kT": [finite_or_none(v) for v in self.barrier_plain_kT],
            "barrier_model_kT": [finite_or_none(v) for v in self.barrier_model_kT],
            "attempt_frequency": [finite_or_none(v) for v in self.attempt_frequency],
            "prefactor_exponent": [finite_or_none(v) for v in self.prefactor_exponent],
            "arrhenius_residual": [finite_or_none(v) for v in self.fit_residual],
            "arrhenius_residual_plain": [finite_or_none(v) for v in self.fit_residual_plain],
            "status": list(self.status),
            "critical_current_T0": finite_or_none(self.critical_current_T0),
            "critical_current_T0_kind": self.critical_current_T0_kind,
            "critical_current": finite_or_none(self.critical_current),
            "critical_current_err": finite_or_none(self.headline.get("critical_current_err", float("nan"))),
            "exponent": finite_or_none(self.exponent),
            "exponent_err": finite_or_none(self.headline.get("exponent_err", float("nan"))),
            "critical_current_source": self.headline["source"],
            "critical_current_definition": self.headline.get("definition") or self.headline.get("reason"),
            "power_law_fit": None if f is None else {
                "critical_current": finite_or_none(f.Jc), "critical_current_err": finite_or_none(f.Jc_err),
                "exponent": finite_or_none(f.b), "exponent_err": finite_or_none(f.b_err), "points": f.n_points,
                "rms_misfit_lnE": finite_or_none(self._fit_misfit()),
                "passes_check": self.headline["source"] == "fit" or (self.headline["source"] == "exact" and
                                                                    self._fit_misfit() <= FIT_RESIDUAL_MAX)},
            "E0_kT": finite_or_none(f.E0) if f else None,
            "E0_err_kT": finite_or_none(f.E0_err) if f else None,
            "exponent_at_Jc_T0": finite_or_none(self.fit_fixed_Jc.b) if self.fit_fixed_Jc else None,
            "exponent_at_Jc_T0_err": finite_or_none(self.fit_fixed_Jc.b_err) if self.fit_fixed_Jc else None,
            "power_law_residual": finite_or_none(f.residual) if f else None,
            "exact_barrier_near_Jc": None if self.fit_model_near_Jc is None else {
                "critical_current": self.fit_model_near_Jc.Jc, "exponent": self.fit_model_near_Jc.b,
                "exponent_err": self.fit_model_near_Jc.b_err, "points": self.fit_model_near_Jc.n_points,
                "doc": "J_c where the exact U_d barrier (axial problems) vanishes (bisection) and its local "
                       "exponent b = d ln E/d ln(J_c - J) at J -> J_c (3/2 for a saddle-node, 2 for a pitchfork "
                       "at the pole)"},
            "power_law_points": f.n_points if f else 0,
            "min_barrier_kT": self.min_barrier_kT,
            "methods": sorted(set(self.methods)),
        }

    def table(self) -> dict:
        """Long-format columns (one row per current × temperature) for a CSV file."""
        nJ, nT = self.rates.shape
        JJ = np.repeat(self.currents, nT)
        TT = np.tile(self.temperatures, nJ)
        rows = {
            "current": JJ, "temperature_K": TT, "sigma": np.tile(self.sigma, nJ),
            "rate": self.rates.reshape(-1),
            "barrier_kT": np.repeat(self.barrier_kT, nT),
            "barrier_err_kT": np.repeat(self.barrier_err, nT),
            "barrier_plain_kT": np.repeat(self.barrier_plain_kT, nT),
            "attempt_frequency": np.repeat(self.attempt_frequency, nT),
            "prefactor_exponent": np.repeat(self.prefactor_exponent, nT),
            "status": np.repeat(np.asarray(self.status, dtype=object), nT),
        }
        return rows

    # -------------------------------------------------------------- plots
    def plot(self, ax=None):
        """E_eff(J) (kT_ref) with the fit E0(1 − J/Jc)^b and both critical currents."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        ok = np.array([s == "ok" for s in self.status])
        low = np.array([s == "low-barrier" for s in self.status])
        uns = np.array([s == "no-well" for s in self.status])
        ax.errorbar(self.currents[ok], self.barrier_kT[ok], yerr=self.barrier_err[ok], fmt="o", ms=4,
                    label="Arrhenius fits")
        if low.any():
            ax.plot(self.currents[low], self.barrier_kT[low], "o", mfc="none", color="C0",
                    label=f"< {self.min_barrier_kT:g} kT at T_max (not fitted)")
        if uns.any():
            ax.plot(self.currents[uns], np.zeros(uns.sum()), "x", color="k", label="no barrier")
        if np.isfinite(self.barrier_model_kT).any():
            ax.plot(self.currents, self.barrier_model_kT, "-", color="0.6", lw=3, alpha=0.5,
                    label="U_d barrier (exact)")
        f = self.fit
        head = self.headline
        if f is not None and head["source"] == "fit":
            j = np.linspace(min(self.currents.min(), 0), f.Jc, 200)
            ax.plot(j, f.E0 * np.clip(1 - j / f.Jc, 0, None) ** f.b, "C1-",
                    label=f"E0(1-J/Jc)^b: b = {f.b:.3f} ± {f.b_err:.1g}")
            ax.axvline(f.Jc, color="C1", ls=":", lw=1)
        elif head["source"] == "exact":
            ax.axvline(head["critical_current"], color="C1", ls=":", lw=1,
                       label=f"Jc (exact barrier vanishes), local b = {head['exponent']:.3f}")
        elif f is not None:
            ax.text(0.02, 0.03, "power-law fit rejected:\n" + head["reason"].split(": ", 1)[-1][:80],
                    transform=ax.transAxes, fontsize=6, va="bottom")
        if np.isfinite(self.critical_current_T0):
            ax.axvline(self.critical_current_T0, color="C3", ls="--", lw=1, label="Jc (T = 0 instability)")
        ax.set_xlabel(f"current [{self.current_unit}]")
        ax.set_ylabel(f"effective barrier [kT at {self.T_ref:g} K]")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7)
        if self.label:
            ax.set_title(self.label, fontsize=9)
        return ax

    def plot_arrhenius(self, ax=None, max_lines: int = 8):
        """ln Γ against T_ref/T for a selection of currents, with the fitted lines."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        x = self.T_ref / self.temperatures
        idx = [k for k, s in enumerate(self.status) if s in ("ok", "low-barrier")]
        if len(idx) > max_lines:
            idx = [idx[int(round(t))] for t in np.linspace(0, len(idx) - 1, max_lines)]
        xx = np.linspace(x.min(), x.max(), 50)
        for n, k in enumerate(idx):
            ax.plot(x, np.log(self.rates[k]), "o", ms=4, color=f"C{n % 10}",
                    label=f"J = {self.currents[k]:.3g}")
            ax.plot(xx, np.log(self.attempt_frequency[k]) + self.prefactor_exponent[k] * np.log(xx)
                    - self.barrier_kT[k] * xx, "-", lw=1, color=f"C{n % 10}")
        ax.set_xlabel("T_ref / T")
        ax.set_ylabel(f"ln Γ  [Γ in {self.rate_unit}]")
        ax.legend(fontsize=7)
        return ax

    def plot_critical_current(self, ax=None):
        """The two critical currents: T = 0 instability vs E_eff → 0, with √E_eff(J)."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        ok = np.array([s in ("ok", "low-barrier") for s in self.status])
        ax.plot(self.currents[ok], np.sqrt(np.clip(self.barrier_kT[ok], 0, None)), "o", ms=4,
                label="sqrt(E_eff)")
        f = self.fit
        if f is not None:
            j = np.linspace(min(self.currents.min(), 0), f.Jc, 200)
            ax.plot(j, np.sqrt(f.E0) * np.clip(1 - j / f.Jc, 0, None) ** (f.b / 2), "C1-", label="fit")
            ax.axvline(f.Jc, color="C1", ls=":", label=f"Jc (E_eff → 0) = {f.Jc:.4g} ± {f.Jc_err:.1g}")
        if np.isfinite(self.critical_current_T0):
            ax.axvline(self.critical_current_T0, color="C3", ls="--",
                       label=f"Jc (T = 0, {self.critical_current_T0_kind}) = {self.critical_current_T0:.4g}")
        ax.set_xlabel(f"current [{self.current_unit}]")
        ax.set_ylabel("sqrt(E_eff / kT_ref)")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7)
        return ax


def effective_barrier(model: MacrospinModel, currents, temperatures, *, min_barrier_kT: float = 10.0,
                      prefactor: str | float = "asymptotic", cache_dir=None, progress: bool = False,
                      Jc_scan: float | None = None) -> EffectiveBarrierResult:
    r"""Γ(J, T) → Arrhenius fits → E_eff(J), f0(J) → J_c and b (see the module docstring).

    Parameters
    ----------
    model : MacrospinModel
        Magnet, coupler potentials per unit current, reference temperature, solver.
    currents : array_like
        Currents (model's unit), any order (sorted internally).
    temperatures : array_like
        Temperatures [K], all > 0; at least 3 with ``prefactor="power"``.
    min_barrier_kT : float
        Currents whose fitted barrier at the hottest temperature is below this (kT) are reported
        with status ``"low-barrier"`` and left out of the (E0, Jc, b) fit (the Arrhenius law with a
        power-law prefactor needs E/kT ≫ 1).
    prefactor : "power" or float
        Prefactor model of the Arrhenius fit (see :func:`arrhenius_fit`).
    cache_dir : path, optional
        One JSON file per (current, temperature) point; an interrupted study resumes.
    progress : bool
        tqdm progress bar.
    Jc_scan : float, optional
        End of the T = 0 stability scan (default: 2 × the largest current, or 2 × the most
        negative one when all currents are ≤ 0).

    Raises
    ------
    ParameterError
        A temperature ≤ 0 (``temperatures``), fewer than 3 temperatures for the power-law fit, or a
        point the solver cannot resolve (the solver's message, naming the current and temperature).
    """
    if not isinstance(model, MacrospinModel):
        raise ParameterError("model", model, "a MacrospinModel")
    T = np.sort(check_temperatures("temperatures", temperatures))[::-1]
    J = np.atleast_1d(np.asarray(currents, dtype=float))
    if J.ndim != 1 or J.size == 0 or not np.all(np.isfinite(J)):
        raise ParameterError("currents", currents, "a non-empty list of finite currents")
    J = np.unique(J)
    min_barrier_kT = check_positive("min_barrier_kT", min_barrier_kT)
    need = {"power": 3, "asymptotic": 4}.get(prefactor, 2) if isinstance(prefactor, str) else 2
    if isinstance(prefactor, str) and prefactor not in ("power", "asymptotic"):
        raise ParameterError("prefactor", prefactor, "'asymptotic', 'power' or a number (fixed power p)")
    if np.unique(T).size < need:
        raise ParameterError("temperatures", T.tolist(), f"at least {need} distinct values for the {prefactor!r} Arrhenius fit")
    x = model.T_ref / T

    # T = 0 instability on the side of the largest |current|
    side = J.max() if J.max() > 0 else J.min()  # J > 0 destabilizes the start well (units.py)
    if Jc_scan is None:
        Jc_scan = 2.0 * side if side != 0 else 1.0
    cc = critical_current_T0(model, Jc_scan)
    Jc0 = cc.current

    cache = PointCache(cache_dir, f"effective_barrier/{VERSION}")
    fp = model_fingerprint(model)
    nJ, nT = J.size, T.size
    rates = np.full((nJ, nT), np.nan)
    model_barrier = np.full(nJ, np.nan)
    status = ["ok"] * nJ
    methods = []
    todo = nJ * nT
    bar = progress_bar(todo, progress, "escape rates")
    try:
        for a in np.argsort(np.abs(J), kind="stable"):  # from zero current outwards
            Ja = J[a]
            for k, Tk in enumerate(T):
                cfg = {"model": fp, "current": float(Ja), "T": float(Tk)}
                res = cache.get(cfg)
                if res is None:
                    try:
                        out = model.escape(Ja, Tk)
                    except ParameterError as exc:
                        if exc.name != "current":
                            raise
                        out = {"rate": None, "no_well": True, "method": "none", "barrier_kT": None}
                    res = {k2: out.get(k2) for k2 in ("rate", "rate_tauN", "method", "barrier_kT", "no_well")}
                    cache.put(cfg, res)
                bar.update(1)
                if res.get("no_well"):
                    status[a] = "no-well"
                    continue
                rates[a, k] = res["rate"]
                methods.append(res["method"])
                if res.get("barrier_kT") is not None:  # exact U_d barrier (axial): kT(T) -> kT_ref
                    model_barrier[a] = res["barrier_kT"] * (Tk / model.T_ref)
    finally:
        bar.close()

    E = np.full(nJ, np.nan); Eerr = np.full(nJ, np.nan); Ep = np.full(nJ, np.nan)
    f0 = np.full(nJ, np.nan); p = np.full(nJ, np.nan); rr = np.full(nJ, np.nan); rrp = np.full(nJ, np.nan)
    for a in range(nJ):
        if status[a] != "ok":
            continue
        fit = arrhenius_fit(x, rates[a], prefactor)
        plain = arrhenius_fit(x, rates[a], 0.0)
        E[a], Eerr[a], f0[a], p[a], rr[a] = fit.barrier_kT, fit.barrier_err, fit.attempt_frequency, fit.exponent, fit.residual
        if isinstance(prefactor, str):
            # truncation error of the prefactor's asymptotic series: one more term, if the data allow
            m = 1 if prefactor == "asymptotic" else 0
            if np.unique(x).size >= 5 + m:
                nxt = arrhenius_fit(x, rates[a], "power", n_inverse=m + 1)
                Eerr[a] = math.hypot(Eerr[a], nxt.barrier_kT - E[a])
        Ep[a], rrp[a] = plain.barrier_kT, plain.residual
        if E[a] * x.min() < min_barrier_kT:
            status[a] = "low-barrier"
    sel = np.array([s == "ok" for s in status]) & (E > 0)
    pl = None
    pl = plf = None
    if sel.sum() >= 4 and np.unique(J[sel]).size >= 4:
        pl = power_law_fit(J[sel], E[sel], Jc0 if np.isfinite(Jc0) else None, Eerr[sel])
        if np.isfinite(Jc0) and np.all(J[sel] / Jc0 < 1):
            plf = power_law_fit(J[sel], E[sel], E_err=Eerr[sel], Jc_fixed=Jc0)
    # where the exact U_d barrier (axial problems) vanishes inside the scan: J_c by bisection on the
    # exact landscape and the local exponent b = d ln E / d ln(J_c − J) as J → J_c
    plm = None
    good = np.isfinite(model_barrier) & (model_barrier > 0)
    if good.sum() >= 2 and np.any(~good & (J > 0)) and model.axial:
        plm = _exact_threshold(model, float(J[good].max()), float(J[~good & (J > J[good].max())].min())
                               if np.any(~good & (J > J[good].max())) else None)
    return EffectiveBarrierResult(
        J, T, rates, model.sigma * x, E, Eerr, Ep, model_barrier, f0, p, rr, rrp, status, float(Jc0), cc.kind, pl, plf, plm,
        T_ref=model.T_ref, current_unit=model.current_unit, rate_unit=model.rate_unit, label=model.label,
        methods=methods, min_barrier_kT=min_barrier_kT)


def _exact_threshold(model: MacrospinModel, J_lo: float, J_hi: float | None) -> PowerLawFit | None:
    """J_c where the exact barrier of U_d out of the start well vanishes (bisection between a current
    with a barrier and one without, on :meth:`MacrospinModel.axial_landscape` at T_ref), and the local
    exponent from E at J_c(1 − ε), ε = 1e-2, 1e-3, 1e-4: b = log10(E(ε₁)/E(ε₂)) of the last decade,
    its error the change from the previous decade.  None where the landscape cannot be bracketed."""
    if J_hi is None or not J_hi > J_lo > 0:
        return None

    def barrier(j):
        try:
            return float(model.axial_landscape(j, model.T_ref)["barrier_kT"])
        except ParameterError as exc:
            if exc.name != "current":
                raise
            return 0.0

    lo, hi = J_lo, J_hi
    if not (barrier(lo) > 0 and barrier(hi) == 0.0):
        return None
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if barrier(mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * hi:
            break
    Jc = 0.5 * (lo + hi)
    eps = np.array([1e-2, 1e-3, 1e-4])
    E = np.array([barrier(Jc * (1 - e)) for e in eps])
    if not np.all(E > 0):
        return None
    b_prev, b = np.log10(E[0] / E[1]), np.log10(E[1] / E[2])
    # the landscape's 4001-point θ grid resolves a barrier top at θ_b ≳ 1e-3: J_c to ~1e-6 relative
    Jc_err = max(hi - lo, 1e-6 * abs(Jc))
    E0 = float(E[2] / (eps[2] ** b))
    return PowerLawFit(E0, 0.0, float(Jc), float(Jc_err), float(b), float(abs(b - b_prev)), 0.0, 3)
