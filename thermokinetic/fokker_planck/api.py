r"""High-level escape computation with an accuracy target: energy → method → λ₁ and per-well rates.

:func:`compute_escape` is what ``thermokinetic escape`` calls and what notebooks use::

    from thermokinetic.fokker_planck import compute_escape
    res = compute_escape(sigma=10, h=0.3, psi=45, alpha=0.1, rtol=1e-6)
    res["lambda1_tauN"], res["escape_rates_tauN"], res["error_estimate"], res["converged"]

**Accuracy is the interface.**  The user states ``rtol``; the mesh method refines the geodesic mesh
level by level until the error estimate of every reported number (λ₁ and each well's rate) is
≤ rtol, within ``max_cells``.  Errors are estimated from the last three levels with the observed
order (:mod:`.convergence`); if the budget is reached first the best values are returned with
``converged = False``, the accuracy reached and the cells that would be needed.

**Methods** (``method="auto"`` picks, and says why):

* ``"exact"`` — σ = σ_p = 0 without spin transfer: free rotational diffusion, λ₁ = 1/τ_N exactly
  (λ_ℓ = ℓ(ℓ+1)/2), no wells;
* ``"axial"`` — the energy and χ are symmetric about e_z and the potential is bistable: the exact 1D
  reduction (:class:`.axial.AxialProblem`, α-independent, accurate to ~1e-13 at any barrier);
* ``"mesh"`` — finite volumes on the geodesic mesh of Σ (any energy, any α, Φ and χ);
* ``"orbit"`` — finite volumes on the orbit-aligned mesh (:mod:`.orbit_mesh`: cells bounded by level
  sets of the precession potential U_p = U + Φ and its gradient lines, so the precession never crosses a
  face between orbits and the scheme stays second order at any cell Péclet number); two wells of U_p
  with all saddles on one level (thin films at device parameters, uniaxial magnets in oblique fields),
  with or without spin transfer (χ enters the dissipative fluxes only); the finest level is reported
  with its last change as the error (:func:`_contracting`).  ``auto``
  takes it where the geodesic mesh cannot resolve the precession (cell Péclet number above
  :data:`MAX_MESH_PECLET`), and next to the geodesic mesh at a moderate Péclet number (above
  :data:`MIN_ORBIT_PECLET`; first above :data:`ORBIT_FIRST_PECLET`, the other mesh only where the first
  does not reach rtol), reporting the smaller error estimate;
* ``"energy"`` — the energy-diffusion limit α → 0 on the orbit graph (:mod:`.energy_diffusion`);
* ``"turnover"`` — Langer's rate times the Mel'nikov–Meshkov/Pollak–Grabert–Hänggi depopulation
  factor (:func:`.energy_diffusion.turnover`), for landscapes whose precession the mesh cannot resolve
  (thin films at device parameters: cell Péclet number above :data:`MAX_MESH_PECLET` on the finest
  mesh, or an energy range beyond :data:`MAX_ENERGY_RANGE`).  Asymptotic in kT/E_b: its error
  estimate is the measured discrepancy of its α → 0 limit from the exact energy-diffusion rate,
  ``|1 − Γ_ED/Γ_TO(α→0)|``, which bounded the true error (against converged meshes) in every case
  measured (σ = 10 and 20 films, α = 0.1 … 100: true 1.8–5.3 %, estimate 8–13.5 %).

Reduced energy: ``U = −σ u_z² + σ_p u_x² − 2σh (u·e_H)`` (easy axis e_z, film normal e_x,
e_H = (sin ψ, 0, cos ψ)), or any :class:`~thermokinetic.energy.EnergyTerm` via ``energy``.
Spin transfer in the reduced form: ``chi_cos = C`` adds χ(u) = C (u·e_z) and ``phi_cos = C`` adds
Φ(u) = C (u·e_z), both in kT (seed 002 Eq. 24: the dissipative potential becomes U − χ/α, so
``chi_cos = C`` acts exactly like an extra axial field h → h + C/(2σα) in the axial case).
"""
from __future__ import annotations

import math
import time

import numpy as np

from ..energy import EnergyTerm, thin_film
from ..errors import ParameterError, check_choice, check_finite, check_positive, check_range
from .convergence import cells_needed, estimate, estimate_rate
from .escape import NO_SEPARATION, escape_rates, find_wells, relaxation_rate
from .generator import assemble

__all__ = ["compute_escape", "build_mesh", "cos_potential", "METHODS", "DEFAULT_RTOL", "DEFAULT_MAX_CELLS",
           "EXIT_NOT_CONVERGED"]

METHODS = ("auto", "mesh", "orbit", "axial", "energy", "turnover")
#: default accuracy target (relative error of every reported number)
DEFAULT_RTOL = 1e-4
#: default cell budget of the finest mesh (level 7 of the geodesic mesh has 163 842 cells)
DEFAULT_MAX_CELLS = 200_000
#: CLI exit status when values are printed but the accuracy target was not reached
EXIT_NOT_CONVERGED = 3
#: coarsest geodesic level tried by the adaptive loop
_START_LEVEL = 3


def cos_potential(c: float):
    """The potential c·(u·e_z) (in kT) as a callable of u."""
    c = float(c)
    return lambda u: c * np.asarray(u)[..., 2]


def build_mesh(mesh: str = "geodesic", level: int | None = None, cells: int | None = None):
    """Mesh by backend name, geodesic ``level`` or target number of ``cells``."""
    from ..sphere import cells_to_level, geodesic_mesh, latlong_mesh
    from ..sphere.geodesic import MAX_LEVEL

    if mesh not in ("geodesic", "latlong"):
        raise ParameterError("mesh", mesh, "one of ['geodesic', 'latlong']")
    if level is not None and cells is not None:
        raise ParameterError("level/cells", (level, cells), "only one of --level and --cells")
    if cells is not None:
        if isinstance(cells, bool) or int(cells) != cells or cells < 12:
            raise ParameterError("cells", cells, "an integer >= 12")
        cells = int(cells)
    if level is not None and (isinstance(level, bool) or int(level) != level or not (2 <= level <= MAX_LEVEL)):
        raise ParameterError("level", level, f"an integer in [2, {MAX_LEVEL}]")
    if mesh == "geodesic":
        L = int(level) if level is not None else (cells_to_level(cells) if cells is not None else 5)
        return geodesic_mesh(L)
    n = 10 * 4 ** int(level) + 2 if level is not None else (cells if cells is not None else 10242)
    n_theta = max(4, int(round(np.sqrt(n / 2))))
    return latlong_mesh(n_theta, 2 * n_theta, refine="uniform", fipy=False)


def _mesh_sequence(mesh: str, level, cells) -> list:
    """Expert mode: the requested mesh and up to two meshes with twice and four times its spacing
    (geodesic L−1, L−2 down to level 2; lat-long n_θ, n_φ halved while n_θ ≥ 4), coarse → fine."""
    from ..sphere import geodesic_mesh, latlong_mesh

    fine = build_mesh(mesh, level, cells)
    if mesh == "geodesic":
        return [geodesic_mesh(L) for L in range(max(2, fine.level - 2), fine.level + 1)]
    nt = fine.n_theta + (fine.n_theta % 4 and 4 - fine.n_theta % 4)
    return [latlong_mesh(nt // k, 2 * nt // k, refine="uniform", fipy=False) for k in (4, 2, 1) if nt // k >= 4]


# ------------------------------------------------------------------------------------------------
# the energy and the choice of method
# ------------------------------------------------------------------------------------------------
def _energy_description(sigma, h, psi, sigma_p) -> str:
    text = f"U/kT = -{sigma:.6g} u_z^2"
    if sigma_p:
        text += f" + {sigma_p:.6g} u_x^2"
    if h:
        text += f" - {2 * sigma * h:.6g} (u . e_H), e_H = (sin {psi:g} deg, 0, cos {psi:g} deg)"
    return text


def _axial_potential(energy, sigma, h, psi, sigma_p, custom: bool):
    """``U(x)`` if the energy is symmetric about e_z (else None)."""
    from .axial import AxialProblem

    if not custom:
        if sigma_p != 0 or (h != 0 and sigma != 0 and abs(math.sin(math.radians(psi))) > 1e-14):
            return None
        zeta = 2 * sigma * h * (1.0 if math.cos(math.radians(psi)) > 0 else -1.0)
        return lambda x: -sigma * np.asarray(x, float) ** 2 - zeta * np.asarray(x, float)
    try:
        return AxialProblem.from_energy(energy).U
    except ParameterError:
        return None


def _well_dict(direction, rate, energy, err):
    return {"direction": [float(c) for c in direction], "rate": None if not np.isfinite(rate) else float(rate),
            "energy_kT": float(energy), "error_estimate": None if err is None or not np.isfinite(err) else float(err)}


# ------------------------------------------------------------------------------------------------
# methods
# ------------------------------------------------------------------------------------------------
#: an energy whose whole range is below this many kT is free rotation to within that relative error
#: (λ₁ = 1 + O(ΔU)): a σ of 1e-308 used to reach the one-well mesh path and be refused there
FREE_RANGE = 1e-12


def _exact_free(out: dict, span: float = 0.0) -> dict:
    err = float(span)
    out.update(lambda1_tauN=1.0, escape_rates_tauN=[], error_estimate=err, lambda1_error_estimate=err,
               converged=True, valid=True, checks_passed=True, method="exact",
               method_reason=("sigma = sigma_p = 0" if span == 0 else f"an energy range <= {span:.1e} kT")
               + " without spin transfer: free rotational diffusion, lambda_l = l(l+1)/2 exactly"
               + ("" if span == 0 else " to first order in the range") + " (no wells, no escape)",
               cells=0, levels=[], reasons=[])
    return out


def _axial(out: dict, U, chi_cos: float, alpha: float, rtol: float) -> dict:
    from .axial import AxialProblem

    chi = (lambda x: chi_cos * np.asarray(x, float)) if chi_cos else None
    prob = AxialProblem(U, chi=chi, alpha=alpha if chi else None)
    if prob.x_barrier is None:
        raise ParameterError("method", "axial", "used for a bistable potential",
                             "this axial potential has one well: its slowest mode need not be axially "
                             "symmetric; use --method mesh for lambda_1")
    try:
        ar = prob.escape_rates(estimate_error=True)
    except ParameterError as exc:
        if exc.name != "U":
            raise
        # the 1D solver names its internal potential: name the user's parameters instead
        name, value = ("chi_cos", chi_cos) if chi_cos and abs(chi_cos / alpha) > out["sigma"] else ("sigma", out["sigma"])
        raise ParameterError(name, value, "a landscape with max U - min U <= 690 kT",
                             f"{exc.value}: the Boltzmann weights e^(-U) underflow; this magnet does not switch "
                             "thermally on any time scale") from None
    Ud = prob.U
    xs = np.linspace(-1, 1, 200_001)
    us = np.asarray(Ud(xs), float)
    plus = xs > ar.x_barrier
    wells = []
    for mask, rate in ((plus, ar.gamma_plus), (~plus, ar.gamma_minus)):
        k = int(np.argmin(np.where(mask, us, np.inf)))
        x = float(xs[k])
        wells.append(_well_dict((math.sqrt(max(0.0, 1 - x * x)), 0.0, x), rate, us[k] - us.min(),
                                ar.error_estimate))
    wells.sort(key=lambda w: w["energy_kT"])
    err = max(ar.error_estimate, 1e-14)
    out.update(lambda1_tauN=ar.lambda1, escape_rates_tauN=wells, error_estimate=err,
               lambda1_error_estimate=err, converged=err <= rtol, valid=err <= rtol, checks_passed=True,
               method="axial",
               cells=0, levels=[], reasons=[] if err <= rtol else [f"quadrature error {err:.1e} > rtol"],
               x_barrier=ar.x_barrier)
    return out


#: smallest damping at which ``auto`` runs the orbit-aligned mesh: below, its flux-over-population iteration
#: does not converge (measured: film σ = 6, σ_p = 12 at α = 1e-6 ran past 300 s and reported no converged
#: level; at α = 1e-5, σ = 10, σ_p = 25, level 2 solves in 3.8 s), so ``auto`` answers with the
#: energy-diffusion limit and reports its model error (unconverged where that exceeds rtol)
ORBIT_MIN_ALPHA = 1e-5


def _energy_if_accurate(energy, chi, alpha: float, rtol: float):
    """("energy", reason, prepared) when the energy-diffusion limit meets rtol at this damping (its model
    error ≈ 0.82 √δ, Mel'nikov–Meshkov, δ = α S(E_s), within half of rtol) or when α is below
    :data:`ORBIT_MIN_ALPHA` (nothing else reaches there: the model error is then reported against rtol),
    else ("auto", None, None)."""
    from .energy_diffusion import melnikov_meshkov_factor, prepare

    try:
        prep = prepare(energy, chi=chi)
    except ParameterError:
        return "auto", None, None
    delta = alpha * prep[2]
    if delta <= 0 or abs(melnikov_meshkov_factor(delta) / delta - 1) <= 0.5 * rtol:
        return "energy", (f"very low damping: energy lost per separatrix orbit delta = {delta:.2g} kT, the "
                          "energy-diffusion limit on the orbit graph meets rtol"), prep
    if alpha < ORBIT_MIN_ALPHA:
        return "energy", (f"very low damping (alpha < {ORBIT_MIN_ALPHA:g}, below the orbit-aligned mesh's reach): "
                          f"the energy-diffusion limit, delta = {delta:.2g} kT, with its model error"), prep
    return "auto", None, None


def _chi_term(chi_cos: float):
    """χ = chi_cos·u_z as an energy term (its Laplacian enters the orbit average), or None."""
    from ..energy import Zeeman

    return Zeeman(-chi_cos, (0.0, 0.0, 1.0)) if chi_cos else None


def _graph_terms(energy, alpha: float, chi_cos: float, phi_cos: float):
    """(U_p, χ_eff) of the energy-diffusion graph with spin transfer: the orbits are the level sets of the
    precession potential U_p = U + Φ, and along them the dissipative drift −a ∇U_d·∇U_p averages through
    ∮∇U_d·∇U_p/|∇U_p| dl = S − X_Φ − X_χ/α (X_f = ∮∇f·∇U_p/|∇U_p| dl = ±∫_R Δf dA, linear in f): one
    effective χ_eff = χ + αΦ = (chi_cos + α·phi_cos) u_z carries both torques (None without spin transfer)."""
    up = energy + _chi_term(phi_cos) if phi_cos else energy
    c = chi_cos + alpha * phi_cos
    return up, (_chi_term(c) if c else None)


def _energy(out: dict, energy, alpha: float, rtol: float, chi_cos: float = 0.0, prepared=None,
            phi_cos: float = 0.0) -> dict:
    """The energy-diffusion (α → 0) limit on the orbit graph (:mod:`.energy_diffusion`), with the
    damping-like spin transfer χ = chi_cos·u_z averaged over the orbits of U_p = U + Φ (Φ = phi_cos·u_z,
    :func:`_graph_terms`)."""
    from .energy_diffusion import energy_diffusion, prepare

    up, chi = _graph_terms(energy, alpha, chi_cos, phi_cos)
    prep = prepare(up, chi=chi) if prepared is None else prepared
    _check_graph_barrier(prep[0].e_saddle, prep[0].wells[0].e_center)
    delta = alpha * prep[2]
    if delta > 0.35:  # the Mel'nikov-Meshkov correction |A(δ)/δ − 1| would exceed ~40 %
        raise ParameterError("alpha", alpha, f"<= {0.35 / prep[2]:.3g} for --method energy (energy lost per "
                             "separatrix orbit delta = alpha S(E_s) <~ 0.35 kT)",
                             f"delta = {delta:.3g} kT: the orbit averaging does not hold; use --method mesh")
    span = float(np.ptp(energy.value(np.eye(3)))) + 2 * abs(chi_cos) / alpha  # a scale of U − χ/α
    if span > MAX_ENERGY_RANGE:
        raise ParameterError("chi_cos", chi_cos, f"|chi_cos|/alpha small enough that U - chi/alpha spans <= "
                             f"{MAX_ENERGY_RANGE:g} kT for --method energy",
                             f"2|chi_cos|/alpha = {2 * abs(chi_cos) / alpha:.3g} kT: e^(-(U - chi/alpha)) is not "
                             "representable")
    try:
        ed = energy_diffusion(up, chi=chi, alpha=alpha, prepared=prep)
    except (RuntimeError, FloatingPointError, ArithmeticError) as exc:  # a singular graph operator
        raise ParameterError("method", "energy", "used where the orbit-averaged operator can be solved",
                             f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}; "
                             "use --method mesh") from None
    model = ed.model_error(alpha)
    err = ed.error_estimate
    # energy_kT: each well's minimum above the deepest one (= difference of their barriers to E_s)
    wells = [_well_dict(w, g, ed.barriers[0] - b, max(err, model)) for w, g, b in zip(ed.wells, ed.rates, ed.barriers)]
    ok = bool(max(err, model) <= rtol)
    out.update(lambda1_tauN=ed.lambda1, escape_rates_tauN=wells, error_estimate=max(err, model),
               lambda1_error_estimate=max(err, model), discretization_error=err, model_error=model,
               delta_kT=delta, converged=ok, valid=ok, checks_passed=True, method="energy", cells=0, levels=[],
               observed_order={"lambda1": ed.order},
               reasons=[] if ok else [f"energy-diffusion model error |A(delta)/delta - 1| = {model:.2g} "
                                      f"(delta = {delta:.3g} kT) or discretization {err:.1e} exceeds rtol={rtol:g}"])
    return out


#: largest cell Péclet number of the precession, max|∇U| h/(2α) on the finest geodesic level (7), at which
#: ``auto`` still uses the mesh: measured, σ = 10, h = 0.2, ψ = 45°, α = 0.01 (Pe = 6) converges to 1e-4;
#: σ = 40, h = 0.1, ψ = 30°, α = 0.01 (Pe = 21) resolves only levels 7–8; the film σ = 40, σ_p = 400,
#: α = 0.01 (Pe = 189) fails every level within 10 minutes
MAX_MESH_PECLET = 60.0


def _precession_scale(energy, alpha: float) -> tuple[float, float]:
    """``(Pe, span)``: the largest precession cell Péclet number max|∇U| h/(2α) on the finest geodesic
    level (7) and the range of U (kT)."""
    from ..sphere import geodesic_mesh

    m = geodesic_mesh(5)
    U = energy.value(m.centers)
    grad = float(np.max(np.linalg.norm(energy.gradient(m.centers), axis=1)))
    return grad * (1.1 / 2**7) / (2 * alpha), float(np.ptp(U))


def _mesh_out_of_reach(pe: float, span: float, alpha: float) -> str | None:
    """Why the geodesic mesh cannot resolve a landscape of precession Péclet number ``pe`` and range
    ``span`` (:func:`_precession_scale`; the reason ``auto`` takes the orbit-aligned mesh, or the turnover
    formula where that does not apply), or None."""
    if span > MAX_ENERGY_RANGE:
        return f"the landscape spans {span:.0f} kT > {MAX_ENERGY_RANGE:g} kT, beyond the geodesic mesh's Boltzmann scaling"
    if pe > MAX_MESH_PECLET:
        return (f"precession cell Peclet number {pe:.0f} > {MAX_MESH_PECLET:g} on the finest geodesic mesh "
                f"(alpha = {alpha:g})")
    return None


#: precession cell Péclet number on the finest geodesic level above which ``auto``, where the geodesic mesh
#: does not reach rtol, also runs the orbit-aligned mesh and reports the smaller error estimate: measured,
#: the film σ = 10, σ_p = 25, α = 0.01 does not reach rtol 1e-3 on geodesic level 7 (observed order 2.7, not
#: asymptotic) and converges on the orbit-aligned levels 1–4; σ = 10, h = 0.2, ψ = 45°, α = 0.01 reaches
#: 1e-4 on the geodesic mesh in 8 s (the orbit-aligned mesh 1.7e-4 in 44 s)
MIN_ORBIT_PECLET = 5.0
#: ... and above which it runs the orbit-aligned mesh first (the geodesic mesh only where that one does not
#: reach rtol): measured, σ = 40, h = 0.1, ψ = 30°, α = 0.01 (Pe = 21): the geodesic mesh resolves only level
#: 7 (15 s, no error estimate), the orbit-aligned mesh reaches 2.9e-4 alone in 45 s; σ = 10, h = 0.2,
#: ψ = 45°, α = 0.01 (Pe = 6) converges on the geodesic mesh
ORBIT_FIRST_PECLET = 12.0


#: largest barrier (kT) of the orbit-graph methods: e^{−E_b} and its inverse stay representable
MAX_GRAPH_BARRIER = 600.0


def _check_graph_barrier(e_saddle: float, e_min: float) -> None:
    """Refuse a barrier whose Boltzmann factor e^{−E_b} double precision cannot hold."""
    barrier = e_saddle - e_min
    if barrier > MAX_GRAPH_BARRIER:
        raise ParameterError("energy", f"barrier {barrier:.0f} kT", f"a barrier <= {MAX_GRAPH_BARRIER:g} kT",
                             "escape rates ~ e^(-barrier) are below what double precision holds; this magnet does "
                             "not switch thermally on any time scale")


#: the turnover formula's high-damping side is checked at this damping against the geodesic mesh ...
TURNOVER_CHECK_ALPHA = 1.0
#: ... converged to this accuracy within this many cells (geodesic levels 3–6: a few seconds)
TURNOVER_CHECK_RTOL, TURNOVER_CHECK_CELLS = 1e-3, 41_000
#: ... where U changes by at most this many kT across a level-6 cell (the device film σ = 40, σ_p = 400: 7.6 kT,
#: its levels fail after 33 s; σ = 10, h = 0.2, ψ = 45°: 0.24 kT, converged in 3 s)
TURNOVER_CHECK_STEP = 3.0


def _turnover_high_damping_error(energy, prepared) -> float:
    """The turnover formula's error where the geodesic mesh is exact and cheap: |1 − Γ/λ₁| at
    α = TURNOVER_CHECK_ALPHA (Langer's intermediate-to-high-damping side) plus the mesh's own estimate, or 0
    where the mesh cannot resolve U there or does not converge within TURNOVER_CHECK_CELLS (high barriers
    and thin bands, whose O(kT/E_b) error is small and measured by the α → 0 side).  The α → 0 side alone
    under-stated low barriers: σ = 10, h = 0.2, ψ = 45° (barriers 10.4 and 4.8 kT) is 9.5 % off at α = 1
    and 0.1 and 5.9 % at α = 0.01, where the energy-diffusion comparison gave 4.2 %."""
    from .energy_diffusion import turnover

    pe, span = _precession_scale(energy, 1.0)
    if span > MAX_ENERGY_RANGE or 4 * pe > TURNOVER_CHECK_STEP:  # 4 pe = max|∇U| × the level-6 spacing
        return 0.0
    try:
        ref = _mesh({}, energy, TURNOVER_CHECK_ALPHA, None, None, TURNOVER_CHECK_RTOL, TURNOVER_CHECK_CELLS, None,
                    False)
    except ParameterError:
        return 0.0
    if not ref.get("converged"):
        return 0.0
    to = turnover(energy, TURNOVER_CHECK_ALPHA, prepared=prepared)
    return abs(1.0 - to["lambda1"] / ref["lambda1_tauN"]) + ref["error_estimate"]


def _turnover(out: dict, energy, alpha: float, rtol: float) -> dict:
    """The turnover formula (:func:`.energy_diffusion.turnover`) with its measured error estimate."""
    from .energy_diffusion import energy_diffusion, prepare, turnover

    try:
        prep = prepare(energy)
    except ParameterError as exc:
        raise ParameterError("method", "turnover", "used for a landscape with two wells and all saddles on one "
                             "level (the orbit graph)", str(exc)) from None
    _check_graph_barrier(prep[0].e_saddle, prep[0].wells[0].e_center)
    to = turnover(energy, alpha, prepared=prep)
    ed = energy_diffusion(energy, prepared=prep)
    err = max(abs(1.0 - ed.lambda1 / to["vld_limit"]), ed.error_estimate, _turnover_high_damping_error(energy, prep))
    graph = prep[0]
    wells = [_well_dict(w.center, g, w.e_center - graph.wells[0].e_center, err)
             for w, g in zip(graph.wells, to["rates"])]
    ok = bool(err <= rtol)
    out.update(lambda1_tauN=to["lambda1"], escape_rates_tauN=wells, error_estimate=err, lambda1_error_estimate=err,
               model_error=err, depopulation_factor=to["depopulation"], delta_kT=to["delta"],
               gamma_ihd_tauN=to["gamma_ihd"], converged=ok, valid=ok, checks_passed=True, method="turnover",
               cells=0, levels=[],
               reasons=[] if ok else [f"the turnover formula's error estimate {err:.2g} (its alpha -> 0 limit against "
                                      f"the exact energy-diffusion rate) exceeds rtol={rtol:g}"])
    return out


#: default cell budget of the orbit-aligned family: level 5 of a uniaxial magnet in an oblique field
#: (753 559 cells for σ = 40, h = 0.1, ψ = 30°: mesh 15 s, LU 6 s, 1.9 GB peak on 2 cores); films reach
#: level 4 (about 390 000 cells)
ORBIT_MAX_CELLS = 800_000
#: first refinement level of the orbit-aligned family (level 0 has too few rings for the asymptotic range)
_ORBIT_START = 1


def _orbit_family(energy, max_cells: int):
    """The orbit-aligned meshes, level 1, 2, … while the next (≈ 4× the cells) fits ``max_cells``."""
    from .orbit_mesh import OrbitStructure, orbit_mesh

    st = OrbitStructure(energy)
    _check_graph_barrier(st.e_s, min(e for _, e in st.minima))
    first = orbit_mesh(energy, _ORBIT_START, structure=st)  # refuses what it cannot mesh before any solve
    yield first
    cells, L = first.n_cells, _ORBIT_START + 1
    while 4 * cells <= max_cells:
        m = orbit_mesh(energy, L, structure=st)
        cells, L = m.n_cells, L + 1
        yield m


def _orbit(out: dict, energy, alpha: float, rtol: float, max_cells: int, chi_cos: float = 0.0,
           phi_cos: float = 0.0) -> dict:
    """λ₁ and the rates on the orbit-aligned mesh family, refined to rtol (four levels needed).

    The mesh is aligned with the precession orbits, the level sets of U_p = U + Φ (Φ = phi_cos·u_z, the
    field-like spin transfer), so that the precession flux (the curl of e^{−U_p}) never crosses a face
    between orbits; the damping-like χ = chi_cos·u_z enters only the dissipative (SG) fluxes through
    U_d = U − χ/α."""
    precession = energy + _chi_term(phi_cos) if phi_cos else energy  # Φ = phi_cos·u_z as an energy term
    family = _orbit_family(precession, max_cells)
    try:
        first = next(family)
    except ParameterError as exc:
        raise ParameterError("method", "orbit", "used for two wells with all saddles on one level and regions "
                             "that are discs bounded by separatrix arcs", str(exc)) from None

    def chain():
        yield first
        yield from family

    chi = cos_potential(chi_cos) if chi_cos else None
    phi = cos_potential(phi_cos) if phi_cos else None
    try:
        return _mesh(out, energy, alpha, chi, phi, rtol, max_cells, None, False, chi_cos=chi_cos, family=chain(),
                     name="orbit")
    except ParameterError as exc:
        if exc.name == "max_cells" and NO_SEPARATION in str(exc):
            raise ParameterError("method", "orbit", "used where the barrier separates the time scales (its rates "
                                 "are flux over population, without the eigenvalue fallback of the geodesic mesh)",
                                 "use --method mesh; " + (exc.hint or "")) from None
        raise


def _check_one_well_mode(lam: float, energy, alpha: float, wells, chi, phi) -> None:
    """One well: shift-invert Arnoldi orders modes by |λ|, so a damped precession Γ ± iω of high
    frequency can be missed and a faster real mode returned as λ₁ (measured: σ = 8, h = 5, α = 0.1
    gave 63.5 against Γ ≈ σ(1 + h) = 48).  The linearized drift at the minimum predicts the pair
    (Ornstein–Uhlenbeck: the slowest Fokker–Planck modes are the drift's eigenvalues); refuse when that
    pair is slower than the rate found.  Without spin transfer only (U_d = U_p = U)."""
    from .energy_diffusion import _riemann_hessian, linearized_drift

    if chi is not None or phi is not None or not wells:
        return
    H, _ = _riemann_hessian(energy, np.asarray(wells[0].direction, float))
    mu = np.linalg.eigvals(linearized_drift(H, alpha))
    gamma, omega = float(-np.max(mu.real)), float(np.max(np.abs(mu.imag)))
    if omega > 1e-8 * abs(gamma) and gamma < 0.95 * lam:
        raise ParameterError("energy", "one well", "a landscape whose slowest mode is not a damped precession",
                             f"alpha={alpha:g}: the linearized LLG at the minimum has the precessing pair "
                             f"{gamma:.4g} +- {omega:.4g}i per tau_N, slower than the mode Arnoldi found ({lam:.4g}); "
                             "the relaxation rate of this well is ~ the linearization's (thermokinetic.llg.fmr)")


def _solve_level(mesh, energy, alpha, chi, phi) -> dict:
    """λ₁ and the rates on one mesh; a refusal of that mesh is recorded, not raised."""
    t0 = time.perf_counter()
    rec = {"level": getattr(mesh, "level", None), "cells": mesh.n_cells, "backend": getattr(mesh, "backend", None)}
    # the orbit-aligned mesh's faces lie on level sets of U = U_p: its precession flux is the curl of
    # e^{−U_p}, exactly zero across those faces whatever χ
    curl = "precession" if getattr(mesh, "backend", None) == "orbit" else "dissipative"
    gen = assemble(mesh, energy, alpha, chi=chi, phi=phi, curl=curl)
    try:
        wells = find_wells(gen)
        if len(wells) < 2:
            lam, _, _ = relaxation_rate(gen)
            _check_one_well_mode(lam, energy, alpha, wells, chi, phi)
            rec.update(lambda1=lam, wells=[], rates=[], method="arpack (one well)", lambda1_valid=True,
                       rates_valid=True, reasons=[])
        else:
            # the orbit-aligned mesh keeps its flux-over-population values (no Arnoldi fallback, which cannot
            # resolve its barriers): its first level that fails its checks still enters the contraction test
            r = escape_rates(gen, wells=wells, fallback=rec["backend"] != "orbit")
            rec.update(lambda1=r.lambda1, wells=r.wells, rates=list(r.escape_rates), method=r.method,
                       lambda1_valid=bool(np.isfinite(r.lambda1)) and (r.valid or r.method == "arpack" or (
                           # the coarsest orbit-aligned level may fail its plateau/committor checks (central
                           # along-orbit fluxes): its value enters the four-level contraction test of
                           # _contracting, which bounds the error of the finest level.  Finer levels must
                           # pass them: measured, σ = 5, h = 0.3, ψ = 30°, α = 0.1 (barrier 1.5 kT, no
                           # time-scale separation) gave λ₁ = 3.7, 4.1, 193, 1.08 on levels 1–4, true 0.77
                           rec["backend"] == "orbit" and r.method == "flux-over-population"
                           and rec["level"] == _ORBIT_START)),
                       rates_valid=r.rates_valid, reasons=list(r.reasons))
    except ParameterError as e:
        rec.update(lambda1=float("nan"), wells=None, rates=[], method="refused", lambda1_valid=False,
                   rates_valid=False, reasons=[str(e)], error=e)
    except (RuntimeError, FloatingPointError, ArithmeticError) as e:  # singular factor, ARPACK failure
        level = getattr(mesh, "level", None)
        name, value = ("level", level) if level is not None else ("cells", mesh.n_cells)
        err = ParameterError(name, value, "a mesh on which the linear algebra succeeds",
                             f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        rec.update(lambda1=float("nan"), wells=None, rates=[], method="refused", lambda1_valid=False,
                   rates_valid=False, reasons=[str(err)], error=err)
    if rec["lambda1_valid"]:
        from .escape import _min_offdiag_ratio

        rec["monotone"] = _min_offdiag_ratio(gen.scaled()[1])
    rec["seconds"] = time.perf_counter() - t0
    return rec


def _finite_or_none(v):
    return float(v) if v is not None and np.isfinite(v) else None


def _level_summary(rec: dict) -> dict:
    """One mesh of the refinement history, JSON-ready (failed numbers are None, never NaN)."""
    return {"level": rec["level"], "cells": int(rec["cells"]), "lambda1_tauN": _finite_or_none(rec["lambda1"]),
            "rates_tauN": [_finite_or_none(g) for g in rec["rates"]], "method": rec["method"],
            "checks_passed": bool(rec["lambda1_valid"] and rec["rates_valid"]), "reasons": rec["reasons"],
            "seconds": float(rec["seconds"])}


def _same_wells(a, b) -> bool:
    if a is None or b is None or len(a) != len(b):
        return False
    return all(np.dot(w.direction, v.direction) > 0.9 for w, v in zip(a, b))


#: smallest ratio of successive level differences accepted by the orbit-aligned mesh's contraction test
ORBIT_CONTRACTION = 2.0


def _contracting(values):
    """Orbit-aligned meshes: the finest value with its last change as the error, claimed converged when
    the last three changes have one sign and each is at least :data:`ORBIT_CONTRACTION` times smaller than
    the one before (the error of the finest level is then at most its last change if the contraction
    continues).

    No extrapolation: the family's observed order varies between windows (film σ = 40, σ_p = 400,
    α = 0.01, levels 1–4: 1.93 then 3.0), and on bands (uniaxial magnets in oblique fields) a small
    first-order component of opposite sign appears by level 5.  Measured against geodesic references
    converged to ~1e-6 (``benchmarks/orbit_error_estimates.py``, 19 cases, λ₁ and both rates, levels to
    the 800k-cell budget): this estimate bounded 55/55 quantities (est/true 1.1–67).  Rejected:

    * Richardson (order 2) gated on the last two ratios of level differences lying in [3.5, 4.6], with the
      error ``max(|R_L − R_{L−1}|, 0.1·|d_L|)``: bounded all 21 cases on levels 1–4, but failed 8 of 55
      quantities once bands reached level 5 (σ = 10, h = 0.2, ψ = 45°, α = 1: ratios 3.26, 3.87, 3.53,
      the extrapolated value 5.0e-5 off with an estimate 2.2e-5, while the finest value was 2.1e-6 off);
    * a tail ``d_L/(r_min − 1)`` from the smaller observed ratio under-stated 3 of 11 (film σ = 10,
      σ_p = 25, α = 1: ratios 8.0, 5.9, then a tail of 0.88 d_L)."""
    from .convergence import ROUNDING, Estimate

    q = [float(v) for v in values]
    d = np.diff(q[-4:])
    floor = ROUNDING * abs(q[-1])
    err = max(abs(d[-1]), floor)
    ok = len(q) >= 4 and (np.all(np.abs(d) <= floor) or (
        np.all(np.sign(d) == np.sign(d[-1])) and np.all(np.abs(d[:-1]) >= ORBIT_CONTRACTION * np.abs(d[1:]))))
    with np.errstate(divide="ignore", invalid="ignore"):
        order = float(np.log2(abs(d[-2] / d[-1]))) if len(d) >= 2 and d[-1] != 0 else None
    return Estimate(q[-1], err, order, bool(ok), False)


def _estimates(run: list, extrapolate: bool, placement=None):
    """Estimates of λ₁ and of each rate from a run of consecutive levels with the same wells
    (``placement[k]``: where well k's rate is read, see :func:`_placement`)."""
    if run and run[0].get("backend") == "orbit":
        return _orbit_estimates(run)
    lam_vals = [r["lambda1"] for r in run if r["lambda1_valid"]]
    lam_est = estimate(lam_vals, extrapolate=extrapolate) if len(lam_vals) == len(run) else None
    rate_est = []
    fine = run[-1]
    for k, w in enumerate(fine["wells"]):
        vals = _matched_rates(run, w) if all(r["rates_valid"] for r in run) else None
        where = placement[k] if placement is not None else "centre"
        rate_est.append(estimate_rate(lam_vals, vals, extrapolate=extrapolate, irregular=where == "anchor",
                                      fitted=where == "fitted") if vals else None)
        if vals and not _window_trusted(run):
            rate_est[-1] = _distrusted(rate_est[-1], vals)
    if lam_est is not None and not _window_trusted(run):
        lam_est = _distrusted(lam_est, lam_vals)
    return lam_est, rate_est


def _orbit_estimates(run: list):
    """λ₁ and per-well rates of an orbit-aligned run (:func:`_contracting`; None with < 2 levels)."""
    from .convergence import Estimate

    def one(vals):
        if len(vals) < 2:
            return None
        if len(vals) < 4:
            return Estimate(float(vals[-1]), abs(vals[-1] - vals[-2]), None, False, False)
        return _contracting(vals)

    if not all(r["lambda1_valid"] for r in run):
        return None, []
    lam_est = one([r["lambda1"] for r in run])
    rate_est = []
    for w in run[-1]["wells"]:
        vals = _matched_rates(run, w)
        rate_est.append(one(vals) if all(np.isfinite(vals)) else None)
    return lam_est, rate_est


def _matched_rates(run: list, well) -> list:
    """The rate of ``well`` on every level of ``run`` (the well whose direction is nearest on each level)."""
    return [r["rates"][int(np.argmax([np.dot(well.direction, v.direction) for v in r["wells"]]))] for r in run]


def _distrusted(e, values):
    """An estimate from levels that may not be asymptotic (:func:`_window_trusted`): the finest raw value,
    its last change as the error, and no claim of convergence."""
    from .convergence import Estimate

    if len(values) < 2:
        return e
    return Estimate(float(values[-1]), max(abs(values[-1] - values[-2]), abs(e.error)), e.order, False, False)


def _placement(wells, energy, chi_cos: float, alpha: float) -> list:
    """Where each well's rate is read: ``"centre"`` (the anchor cell's centre is the minimum of
    U_d = U − χ/α, |∇U_d| ≈ 0 there), ``"fitted"`` (at the minimum located by the local fit,
    ``Well.refined``) or ``"anchor"`` (an off-centre anchor; its error coefficient changes
    irregularly from level to level)."""
    out = []
    for w in wells:
        cell_centre = np.asarray(w.anchor_direction if getattr(w, "anchor_direction", None) is not None
                                 else w.direction, float)
        u = cell_centre[None]
        g = energy.gradient(u)[0]
        if chi_cos:
            ez = np.array([0.0, 0.0, 1.0])
            g = g - chi_cos / alpha * (ez - u[0, 2] * u[0])
        scale = 1.0 + float(np.max(np.abs(energy.gradient(np.eye(3)))))
        if np.linalg.norm(g) <= 1e-9 * scale:
            out.append("centre")
        else:
            out.append("fitted" if getattr(w, "refined", False) else "anchor")
    return out


#: a three-level window whose coarsest level has min K_ij/|K_jj| below this (precession badly
#: under-resolved) needs a fourth level whose order agrees before convergence is claimed: at σ = 10,
#: h = 0.2, α = 1e-3 with χ = −0.002 u_z (levels 4–6: ratios −94, −46, −22) the three-level order 1.71 was
#: a coincidence of two error terms of opposite sign, and the estimate 8e-5 under-stated the true error
#: 2.6e-4.  Three-level windows starting at −9.3 and −9.6 (α = 0.01, axial, with and without χ) and
#: −1.0 (α = 0.1) were measured regular and bounded (true 6e-6 and 2.6e-5 against estimates 6e-5)
MONOTONE_TRUST = -10.0


def _window_trusted(run: list) -> bool:
    """Whether the levels behind the estimates may claim convergence: four levels (the order checked
    between two windows), or three whose coarsest resolves the precession (MONOTONE_TRUST).  (Orbit-aligned
    runs need four levels by their own estimator, :func:`_contracting`.)"""
    if len(run) >= 4:
        return True
    return len(run) <= 2 or run[0].get("monotone", -math.inf) >= MONOTONE_TRUST


def _mesh(out: dict, energy, alpha, chi, phi, rtol, max_cells, expert_meshes, richardson, chi_cos=0.0,
          family=None, name: str = "mesh") -> dict:
    from ..sphere import geodesic_mesh, level_cells
    from ..sphere.geodesic import MAX_LEVEL

    history: list = []
    run: list = []  # trailing run of consecutive levels with the same wells
    lam_est = None
    rate_est: list = []
    adaptive = expert_meshes is None
    if family is not None:
        meshes = family
    else:
        meshes = (geodesic_mesh(L) for L in range(_START_LEVEL, MAX_LEVEL + 1)
                  if level_cells(L) <= max_cells) if adaptive else iter(expert_meshes)
    done = False
    failed_finer = None
    for m in meshes:
        rec = _solve_level(m, energy, alpha, chi, phi)
        history.append(rec)
        if name == "orbit" and any(NO_SEPARATION in r for r in rec["reasons"]):
            break  # a property of the barrier, not of the mesh: no finer orbit-aligned level helps (_orbit)
        if name == "orbit" and not rec["lambda1_valid"] and lam_est is not None:
            # a finer orbit-aligned level failed its checks after resolved ones: the resolved levels are
            # reported (unconverged, with the reason) instead of being discarded (measured: σ = 5, h = 0.3,
            # ψ = 30°, α = 1 answered on levels 1–4, its level 5 failing the flux-over-population checks)
            failed_finer = rec
            break
        if rec["wells"] is None:
            run = []
            continue
        if run and not _same_wells(run[-1]["wells"], rec["wells"]):
            run = []
        run.append(rec)
        placement = _placement(rec["wells"], energy, chi_cos, alpha) if rec["wells"] else None
        # adaptive runs of two levels report the fine value, never the two-level Richardson value, whose error
        # is not measurable (it reported λ₁ = −0.015 for σ = 8, h = 0.2, σ_p = 133, α = 1 from levels 4, 5 at
        # 0.141, 0.024); --richardson asks for it explicitly
        lam_est, rate_est = _estimates(run[-4:], extrapolate=richardson or (adaptive and len(run) >= 3),
                                       placement=placement)
        errs = [e.relative_error for e in [lam_est, *rate_est] if e is not None]
        complete = lam_est is not None and all(e is not None for e in rate_est)
        if (adaptive and complete and all(e.asymptotic for e in [lam_est, *rate_est]) and max(errs) <= rtol
                and _window_trusted(run)):
            done = True
            break
    fine = run[-1] if run else (history[-1] if history else None)
    if fine is None or fine["wells"] is None or lam_est is None:
        errors = [rec["error"] for rec in history if "error" in rec]
        if errors and (not adaptive or errors[-1].name == "energy"):  # the landscape, not the budget
            raise errors[-1]
        reasons = [r for rec in history for r in rec["reasons"]]
        raise ParameterError("max_cells", max_cells, "large enough to resolve this magnet",
                             reasons[-1] if reasons else "no mesh within the budget")
    wells = []
    unresolved = False
    for w, e in zip(fine["wells"], rate_est):
        rate = e.value if e is not None else float("nan")
        err = e.relative_error if e is not None else None
        if err is not None and np.isfinite(err) and err > 1.0:
            # an estimate above 100 % says nothing about the value: it is withheld, not printed (found by the
            # randomized axial cross-check: σ = 32, h = −0.69, α = 1e-3 gave the deep well's rate 2e-26 with an
            # estimate of 730 % against the exact 5.6e-35, from the Arnoldi eigenvector's rounding).  An error
            # that is not measurable (one level of a fixed mesh) is printed as such, like λ₁'s
            rate, unresolved = float("nan"), True
        wells.append(_well_dict(w.direction, rate, w.energy - fine["wells"][0].energy, err))
    all_est = [lam_est, *rate_est]
    errs = [e.relative_error if e is not None else math.inf for e in all_est]
    err = max(errs) if errs else math.inf
    checks_ok = all(e is not None for e in all_est)
    asym = checks_ok and all(e.asymptotic for e in all_est)
    reasons = list(fine["reasons"])
    if not checks_ok:
        reasons.append("some rates failed their checks on the finest levels")
    if unresolved:
        reasons.append("a rate whose error estimate exceeds 100 % is withheld (None)")
    if failed_finer is not None:
        reasons.append(f"level {failed_finer['level']} ({failed_finer['cells']} cells) failed its checks "
                       f"({'; '.join(failed_finer['reasons'])}): the coarser levels are reported")
    out.update(
        lambda1_tauN=float(lam_est.value), lambda1_error_estimate=float(lam_est.relative_error),
        escape_rates_tauN=wells, error_estimate=float(err),
        observed_order={"lambda1": lam_est.order, "rates": [e.order if e else None for e in rate_est]},
        method=name, mesh_method=fine["method"], cells=int(fine["cells"]), level=fine["level"],
        checks_passed=bool(checks_ok and fine["lambda1_valid"] and fine["rates_valid"]),
        levels=[_level_summary(rec) for rec in history], reasons=reasons,
    )
    if adaptive:
        converged = bool(done)
        out["converged"] = converged
        out["valid"] = converged and checks_ok
        if not converged:
            p = 4.0 if asym else max(lam_est.order or 1.0, 1.0)
            # an error that is not measurable yet (fewer than three resolved levels) needs at least
            # the next level
            out["cells_needed"] = (cells_needed(fine["cells"], err, rtol, p) if np.isfinite(err) and err > rtol
                                   else 4 * int(fine["cells"]) - 6)
            reached = (("reached {:.2g}".format(err) if err > rtol else
                        "estimate {:.2g}, but the observed order is outside the asymptotic range".format(err))
                       if np.isfinite(err) else "error not measurable with fewer than three resolved levels")
            out["reasons"].append(f"accuracy target rtol={rtol:g} not reached within max_cells={max_cells} ({reached})")
    else:
        out["converged"] = None
        out["valid"] = checks_ok and fine["lambda1_valid"] and fine["rates_valid"]
        if richardson and not any(e.extrapolated for e in all_est):
            name, value = ("level", fine["level"]) if fine["level"] is not None else ("cells", fine["cells"])
            raise ParameterError(name, value, "fine enough that it and the two coarser meshes resolve the "
                                 "wells in the asymptotic range (--richardson)",
                                 f"observed order {lam_est.order}; use --rtol instead of a fixed mesh")
    for key in ("error_estimate", "lambda1_error_estimate"):
        if not np.isfinite(out[key]):
            out[key] = None
    return out


# ------------------------------------------------------------------------------------------------
def compute_escape(*, sigma: float, h: float = 0.0, psi: float = 0.0, alpha: float = 1.0,
                   sigma_p: float = 0.0, chi_cos: float = 0.0, phi_cos: float = 0.0, energy=None,
                   rtol: float | None = None, max_cells: int | None = None, method: str = "auto",
                   mesh: str = "geodesic", level: int | None = None, cells: int | None = None,
                   richardson: bool = False) -> dict:
    r"""λ₁ and the escape rate out of each well, to a stated accuracy (reduced units).

    Parameters
    ----------
    sigma : float
        Barrier parameter σ = K v / kT (≥ 0).
    h : float
        Reduced field H/H_K.
    psi : float
        Angle between field and easy axis (degrees).
    alpha : float
        Gilbert damping (> 0).
    sigma_p : float
        Easy-plane (thin-film shape) anisotropy σ_p ≥ 0: adds +σ_p (u·e_x)², e_x the film normal.
    chi_cos, phi_cos : float
        Spin-transfer potentials χ = chi_cos·u_z and Φ = phi_cos·u_z (kT).
    energy : EnergyTerm, optional
        Replaces the energy built from (sigma, h, psi, sigma_p) (σ then only labels the output).
    rtol : float
        Accuracy target in (0, 1): relative error estimate of every reported number (default 1e-4).
    max_cells : int
        Cell budget of the finest mesh (default 200 000).
    method : {"auto", "mesh", "axial"}
        ``auto`` picks the exact free-rotation answer, the exact 1D reduction for axially symmetric
        bistable problems, or the mesh; the choice and the reason are in ``method``/``method_reason``.
    mesh, level, cells, richardson
        Expert mode: a fixed mesh (``geodesic`` level or ``latlong`` cells) instead of a target;
        the two coarser meshes are solved too, for the error estimate (of the fine value, or of
        the Richardson value with ``richardson``).  Excludes ``rtol``/``max_cells``.

    Returns
    -------
    dict
        ``lambda1_tauN``; ``escape_rates_tauN``: one entry per well, deepest first, with
        ``direction`` (the exact minimum of U_d = U − χ/α), ``rate`` (1/τ_N, None where it failed its
        checks), ``energy_kT`` (U_d above the deepest well), ``barrier_kT`` (U_d at the saddle minus
        U_d at the well; two wells) and ``error_estimate`` (relative); ``saddle_direction``; ``error_estimate`` (the largest relative
        estimate), ``lambda1_error_estimate``; ``converged`` (target reached; None in expert mode),
        ``valid`` (every check passed and, with a target, converged); ``method``,
        ``method_reason``; ``levels`` (per mesh: level, cells, λ₁, rates, method, seconds);
        ``observed_order``; ``cells``; ``cells_needed`` when not converged; ``energy`` (the reduced
        energy used), ``reasons`` (why something is not valid) and the inputs.
    """
    t0 = time.perf_counter()
    # |U| up to ~1e5 kT keeps every Boltzmann factor and its scaled exponent representable
    sigma = check_range("sigma", sigma, 0, 1e4)
    h = check_range("h", h, -1e3, 1e3)
    psi = check_finite("psi", psi)
    alpha = check_positive("alpha", alpha)
    sigma_p = check_range("sigma_p", sigma_p, 0, 1e5)
    chi_cos = check_range("chi_cos", chi_cos, -1e6, 1e6)
    phi_cos = check_range("phi_cos", phi_cos, -1e6, 1e6)
    method = check_choice("method", method, METHODS)
    if not isinstance(richardson, (bool, np.bool_)):
        raise ParameterError("richardson", richardson, "True or False")
    expert = level is not None or cells is not None or mesh != "geodesic"
    if expert and (rtol is not None or max_cells is not None):
        raise ParameterError("rtol/max_cells", (rtol, max_cells), "omitted when --level/--cells/--mesh fix the mesh")
    # below 1e-15 no estimate can be certified in double precision (and rtol = 1e-320 overflowed 1/rtol)
    rtol = DEFAULT_RTOL if rtol is None else check_range("rtol", rtol, 1e-15, 1, hi_open=True)
    from ..sphere import level_cells

    coarsest = level_cells(_START_LEVEL + 2)
    budget_given = max_cells is not None
    if max_cells is None:
        max_cells = DEFAULT_MAX_CELLS
    elif isinstance(max_cells, bool) or not isinstance(max_cells, (int, np.integer)) or max_cells < coarsest:
        raise ParameterError("max_cells", max_cells, f"an integer >= {coarsest} (three geodesic levels "
                             f"{_START_LEVEL}..{_START_LEVEL + 2} for the error estimate)")
    custom = energy is not None
    if custom and not isinstance(energy, EnergyTerm):
        raise ParameterError("energy", type(energy).__name__, "an EnergyTerm (thermokinetic.energy)")
    if not custom:
        energy = thin_film(sigma, sigma_p, h, psi)
    out = {"sigma": sigma, "h": h, "psi_deg": psi, "sigma_p": sigma_p, "alpha": alpha, "chi_cos": chi_cos,
           "phi_cos": phi_cos, "rtol": None if expert else rtol, "max_cells": None if expert else int(max_cells),
           "energy": ("custom EnergyTerm: " + type(energy).__name__) if custom
           else _energy_description(sigma, h, psi, sigma_p),
           "mesh": mesh, "richardson": bool(richardson)}

    free_span = 2 * sigma * (1 + abs(h)) + sigma_p  # a bound of max U − min U
    free = not custom and free_span <= FREE_RANGE and chi_cos == 0 and phi_cos == 0
    U_axial = _axial_potential(energy, sigma, h, psi, sigma_p, custom)
    prepared = None  # the orbit graph, when auto already built it
    auto_orbit = False  # auto chose the orbit-aligned mesh (the geodesic mesh out of reach), turnover as fallback
    orbit_after = None  # auto: the geodesic mesh first, the orbit-aligned one if it does not reach rtol (why)
    orbit_first = False  # ... or in the other order (Péclet number above ORBIT_FIRST_PECLET)
    if method == "axial":
        if expert:
            raise ParameterError("method", method, "'mesh' or 'auto' when --level/--cells/--mesh fix the mesh")
        if U_axial is None:
            raise ParameterError("method", method, "used for energies symmetric about e_z "
                                 "(psi = 0 or 180, or h = 0, and sigma_p = 0)")
    if method == "auto":
        if free and not expert:
            return _finish(_exact_free(out, free_span), t0)
        if U_axial is not None and not expert:
            try:
                from .axial import AxialProblem

                bistable = AxialProblem(U_axial, chi=(lambda x: chi_cos * np.asarray(x, float)) if chi_cos
                                        else None, alpha=alpha if chi_cos else None).x_barrier is not None
            except ParameterError:
                bistable = False
            if bistable:
                method = "axial"
                out["method_reason"] = ("energy and chi symmetric about e_z with two wells: the exact 1D "
                                        "reduction (alpha-independent; precession drops out of the axial mode)")
        if method == "auto" and not expert and alpha <= 1e-3:
            method, out["method_reason"], prepared = _energy_if_accurate(*_graph_terms(energy, alpha, chi_cos, phi_cos),
                                                                         alpha, rtol)
        if method == "auto" and not expert and alpha >= MIN_MESH_ALPHA:
            pe, span = _precession_scale(energy + _chi_term(phi_cos) if phi_cos else energy, alpha)
            why = _mesh_out_of_reach(pe, span, alpha)
            if why:
                method, auto_orbit, out["method_reason"] = "orbit", True, why
            elif pe > MIN_ORBIT_PECLET:
                orbit_after = (f"precession cell Peclet number {pe:.0f} > {MIN_ORBIT_PECLET:g} on the finest "
                               f"geodesic mesh (alpha = {alpha:g})")
                orbit_first = pe > ORBIT_FIRST_PECLET
        if method == "auto":
            method = "mesh"
            out["method_reason"] = ("fixed mesh requested" if expert else
                                    "no axial symmetry (or one well): finite volumes on the geodesic mesh, "
                                    "refined until the error estimate meets rtol")
    else:
        out["method_reason"] = f"requested (--method {method})"
    if method == "axial":
        return _finish(_axial(out, U_axial, chi_cos, alpha, rtol), t0, energy, chi_cos, alpha)
    if method == "turnover" and (expert or phi_cos or chi_cos):
        raise ParameterError("method", method, "used without spin transfer (chi_cos = phi_cos = 0) and "
                             "without a fixed mesh")
    if method == "orbit" and expert:
        raise ParameterError("method", method, "used without a fixed mesh (--level/--cells/--mesh)")
    if method in ("turnover", "orbit"):
        if alpha < MIN_MESH_ALPHA:
            raise ParameterError("alpha", alpha, f">= {MIN_MESH_ALPHA:g} for --method {method}",
                                 "use --method energy for the alpha -> 0 limit")
    if method == "turnover":
        return _finish(_turnover(out, energy, alpha, rtol), t0, energy, 0.0, alpha)
    if method == "orbit":
        budget = int(max_cells) if budget_given else ORBIT_MAX_CELLS
        out["max_cells"] = budget
        if chi_cos:
            _check_energy_range(energy, chi_cos, alpha, custom, sigma, sigma_p)
        try:
            res = _orbit(out, energy, alpha, rtol, budget, chi_cos, phi_cos)
        except ParameterError as exc:
            if not auto_orbit or exc.name != "method":
                raise
            out["max_cells"] = int(max_cells)
            if not chi_cos and not phi_cos:
                out["method_reason"] += (f"; the orbit-aligned mesh does not apply ({exc.hint or exc.allowed}), "
                                         "so Langer's rate with the Mel'nikov-Meshkov-PGH depopulation factor")
                return _finish(_turnover(out, energy, alpha, rtol), t0, energy, 0.0, alpha)
            # no turnover formula with spin transfer: the geodesic mesh, refined as far as it goes
            out["method_reason"] += (f"; the orbit-aligned mesh does not apply ({exc.hint or exc.allowed}), so "
                                     "the geodesic mesh")
            method = "mesh"
        else:
            if auto_orbit:
                out["method_reason"] += (": the orbit-aligned mesh (faces on level sets and gradient lines of "
                                         + ("U + Phi)" if phi_cos else "U)"))
            return _finish(res, t0, energy, chi_cos, alpha)
    if method == "energy":
        if expert:
            raise ParameterError("method", method, "'mesh' or 'auto' when --level/--cells/--mesh fix the mesh")
        return _finish(_energy(out, energy, alpha, rtol, chi_cos, prepared, phi_cos), t0, energy, chi_cos, alpha)
    chi = cos_potential(chi_cos) if chi_cos else None
    phi = cos_potential(phi_cos) if phi_cos else None
    if alpha < MIN_MESH_ALPHA:
        raise ParameterError("alpha", alpha, f">= {MIN_MESH_ALPHA:g} for the mesh method",
                             "the precession fluxes ~1/alpha overflow; use --method energy (very low damping) or "
                             "--method axial (axial problems)")
    _check_energy_range(energy, chi_cos, alpha, custom, sigma, sigma_p)
    meshes = _mesh_sequence(mesh, level, cells) if expert else None
    if orbit_after:
        orbit_budget = int(max_cells) if budget_given else ORBIT_MAX_CELLS
        return _finish(_mesh_then_orbit(out, energy, alpha, rtol, max_cells, orbit_budget, richardson, orbit_after,
                                        chi_cos, phi_cos, orbit_first=orbit_first), t0, energy, chi_cos, alpha)
    return _finish(_mesh(out, energy, alpha, chi, phi, rtol, max_cells, meshes, richardson, chi_cos), t0, energy,
                   chi_cos, alpha)


def _mesh_then_orbit(out: dict, energy, alpha: float, rtol: float, max_cells: int, orbit_budget: int,
                     richardson: bool, why: str, chi_cos: float = 0.0, phi_cos: float = 0.0,
                     orbit_first: bool = False) -> dict:
    """``auto`` at a moderate precession Péclet number (MIN_ORBIT_PECLET < Pe <= MAX_MESH_PECLET): the
    geodesic mesh first (faster where it converges: measured, σ = 10, h = 0.2, ψ = 45°, α = 0.01 reaches
    rtol 1e-4 in 8 s, the orbit-aligned mesh 1.7e-4 in 44 s), then, if it does not reach rtol, the
    orbit-aligned mesh; with ``orbit_first`` (Pe > ORBIT_FIRST_PECLET) the other way round (σ = 40,
    h = 0.1, ψ = 30°, α = 0.01: the geodesic mesh stops without an error estimate after 15 s, the
    orbit-aligned one reaches 2.9e-4 in 45 s); the result with the smaller error estimate is reported."""
    base = dict(out)
    chi = cos_potential(chi_cos) if chi_cos else None
    phi = cos_potential(phi_cos) if phi_cos else None

    def geodesic():
        return _mesh(dict(base), energy, alpha, chi, phi, rtol, max_cells, None, richardson, chi_cos)

    def orbit():
        """The orbit-aligned family's result, or None and why it gave no answer."""
        try:
            return _orbit(dict(base, max_cells=orbit_budget), energy, alpha, rtol, orbit_budget, chi_cos,
                          phi_cos), None
        except ParameterError as exc:
            if exc.name not in ("method", "max_cells"):
                raise
            return None, exc.hint or exc.allowed

    if orbit_first:
        orb, no_orbit = orbit()
        if orb is not None and orb.get("converged"):
            orb["method_reason"] = why + ": the orbit-aligned mesh first, and it reached rtol"
            return orb
        res = geodesic()
        if orb is None:
            res["method_reason"] = why + f"; the orbit-aligned mesh gave no answer ({no_orbit}): the geodesic mesh"
            return res
    else:
        res = geodesic()
        if res.get("converged"):
            res["method_reason"] = why + ": the geodesic mesh first, and it reached rtol"
            return res
        orb, no_orbit = orbit()
        if orb is None:
            res["method_reason"] = why + f": the geodesic mesh (the orbit-aligned mesh gave no answer: {no_orbit})"
            return res
    e_mesh = res.get("error_estimate")
    e_orb = orb.get("error_estimate")
    better = orb if e_mesh is None or (e_orb is not None and e_orb < e_mesh) else res
    other = "geodesic" if better is orb else "orbit-aligned"
    other_est = e_mesh if better is orb else e_orb
    first, second = ("orbit-aligned", "geodesic") if orbit_first else ("geodesic", "orbit-aligned")
    better["method_reason"] = (why + f": the {first} mesh did not reach rtol, so the {second} mesh too; "
                               f"reported: the {'orbit-aligned' if better is orb else 'geodesic'} mesh, whose "
                               f"error estimate is smaller (the {other} mesh's: "
                               + (f"{other_est:.2g})" if other_est is not None else "none)"))
    return better


#: largest range of U_d (kT) whose Boltzmann weights e^{−(U_d − min U_d)} stay above the double-precision
#: underflow (e^{−745}) with a margin: beyond it the scaled mesh operator loses the barrier region
MAX_ENERGY_RANGE = 690.0


#: smallest damping the mesh method accepts (precession fluxes scale as 1/α)
MIN_MESH_ALPHA = 1e-8


def _check_energy_range(energy, chi_cos: float, alpha: float, custom: bool, sigma: float, sigma_p: float) -> None:
    """Refuse, before any solve, a landscape whose U_d range the mesh's Boltzmann scaling cannot hold."""
    from ..sphere import geodesic_mesh

    u = geodesic_mesh(5).centers
    Ud = energy.value(u) - chi_cos / alpha * u[:, 2]
    span = float(np.ptp(Ud))
    if span > MAX_ENERGY_RANGE:
        name, value = ("energy", "custom") if custom else (("sigma_p", sigma_p) if sigma_p else ("sigma", sigma))
        if not custom and chi_cos and abs(chi_cos / alpha) > sigma + sigma_p:
            name, value = "chi_cos", chi_cos  # the spin-transfer potential chi/alpha dominates the range
        raise ParameterError(name, value,
                             f"a landscape with max U - min U <= {MAX_ENERGY_RANGE:g} kT for the mesh method",
                             f"this one spans {span:.0f} kT, beyond what e^(-U) can represent in double "
                             "precision (thin films with sigma_p of this size need a log-scaled solver)")


def _chart(u0):
    """A tangent-plane chart u(a, b) = (u0 + a e1 + b e2)/|…| about u0, and its basis."""
    from .escape import tangent_basis

    u0 = np.asarray(u0, float) / np.linalg.norm(u0)
    e1, e2 = tangent_basis(u0)

    def u(ab):
        v = u0 + ab[0] * e1 + ab[1] * e2
        return v / np.linalg.norm(v)

    return u, e1, e2


def _saddle_cell(Ud_cells, adj, a: int, b: int) -> int:
    """The cell at which the sublevel sets of U_d first join cells a and b (union-find, minimax path)."""
    parent = np.arange(Ud_cells.size)

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    active = np.zeros(Ud_cells.size, bool)
    for c in np.argsort(Ud_cells, kind="stable"):
        active[c] = True
        for nb in adj.indices[adj.indptr[c]:adj.indptr[c + 1]]:
            if active[nb]:
                parent[find(nb)] = find(c)
        if active[a] and active[b] and find(a) == find(b):
            return int(c)
    return -1


def _landscape(out: dict, energy, chi_cos: float, alpha: float) -> None:
    """Each well at its exact minimum of U_d = U − χ/α (a local optimization from the reported
    direction), with ``energy_kT`` (above the deepest) and, for two wells, ``barrier_kT``: U_d at the
    saddle (a stationary point found from the minimax cell of a level-5 mesh) minus U_d at the well."""
    from scipy.optimize import least_squares, minimize

    wells = out.get("escape_rates_tauN") or []
    if not wells:
        return
    ez = np.array([0.0, 0.0, 1.0])

    def Ud(u):
        u = np.asarray(u, float)
        return float(energy.value(u[None])[0] - chi_cos / alpha * u[2])

    def grad(u):
        u = np.asarray(u, float)
        return energy.gradient(u[None])[0] - chi_cos / alpha * (ez - u[2] * u)

    mins = []
    for w in wells:
        chart, e1, e2 = _chart(w["direction"])
        r = minimize(lambda ab: Ud(chart(ab)), np.zeros(2), method="BFGS",
                     jac=lambda ab: np.array([grad(chart(ab)) @ e1, grad(chart(ab)) @ e2]), options={"gtol": 1e-10})
        u = chart(r.x) if np.isfinite(r.fun) and np.arccos(np.clip(chart(r.x) @ chart([0, 0]), -1, 1)) < 0.2 \
            else chart([0.0, 0.0])
        mins.append(u)
        w["direction"] = [float(c) for c in u]
    values = [Ud(u) for u in mins]
    for w, v in zip(wells, values):
        w["energy_kT"] = float(v - min(values))
    out["landscape"] = "U_d = U - chi/alpha (kT); wells at their exact minima"
    if len(wells) != 2:
        return
    if out.get("x_barrier") is not None:  # axial: the saddle is the ring x = x_barrier
        xb = float(out["x_barrier"])
        saddle = np.array([math.sqrt(max(0.0, 1 - xb * xb)), 0.0, xb])
    else:
        from ..sphere import geodesic_mesh

        m = geodesic_mesh(5)
        C = np.asarray(m.centers)
        cells = energy.value(C) - chi_cos / alpha * C[:, 2]
        a, b = (int(np.argmax(C @ u)) for u in mins)
        c = _saddle_cell(cells, m.neighbors(), a, b)
        if c < 0:
            return
        chart, e1, e2 = _chart(C[c])
        r = least_squares(lambda ab: [grad(chart(ab)) @ e1, grad(chart(ab)) @ e2], np.zeros(2), xtol=1e-14,
                          ftol=1e-14, gtol=1e-14)
        saddle = chart(r.x) if np.linalg.norm(grad(chart(r.x))) < 1e-6 * (1 + np.abs(values).max()) else C[c]
    us = Ud(saddle)
    out["saddle_direction"] = [float(x) for x in saddle]
    for w, v in zip(wells, values):
        w["barrier_kT"] = float(us - v)


def _finish(out: dict, t0: float, energy=None, chi_cos: float = 0.0, alpha: float = 1.0) -> dict:
    if energy is not None:
        _landscape(out, energy, chi_cos, alpha)
    out["seconds"] = time.perf_counter() - t0
    lam = out.get("lambda1_tauN")
    if lam is None or not np.isfinite(lam):
        raise FloatingPointError("λ₁ is not finite")
    return out
