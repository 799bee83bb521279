r"""High-level escape computation: energy + mesh + generator + escape rates (+ Richardson).

:func:`compute_escape` is what ``thermokinetic escape`` calls and what notebooks use::

    from thermokinetic.fokker_planck import compute_escape
    res = compute_escape(sigma=10, h=0.3, psi=45, alpha=0.1, level=5, richardson=True)
    res["lambda1_tauN"], res["escape_rates_tauN"], res["error_estimate"]

Spin transfer in the reduced CLI form: ``chi_cos = C`` adds χ(u) = C (u·e_z) and ``phi_cos = C`` adds
Φ(u) = C (u·e_z), both in kT (seed 002 Eq. 24: the dissipative potential becomes U − χ/α, so
``chi_cos = C`` acts exactly like an extra axial field h → h + C/(2σα) in the axial case).
"""
from __future__ import annotations

import time

import numpy as np

from ..energy import Custom, uniaxial_zeeman
from ..errors import ParameterError, check_finite, check_nonnegative, check_positive
from .escape import escape_rates
from .generator import assemble
from .richardson import richardson as _richardson

__all__ = ["compute_escape", "build_mesh", "cos_potential"]


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


def _refine_pair(mesh: str, level, cells, richardson: bool):
    """(coarse, fine) meshes for Richardson: one geodesic level apart, or n_θ, n_φ halved."""
    from ..sphere import latlong_mesh

    fine = build_mesh(mesh, level, cells)
    if mesh == "geodesic":
        if fine.level <= 2:
            if richardson:
                raise ParameterError("level", fine.level, ">= 3 with --richardson (it also solves level L-1)")
            return None, fine
        coarse = build_mesh("geodesic", fine.level - 1)
    else:
        nt, nphi = fine.n_theta, fine.n_phi
        if nt % 2:
            fine = latlong_mesh(nt + 1, 2 * (nt + 1), refine="uniform", fipy=False)
            nt, nphi = fine.n_theta, fine.n_phi
        coarse = latlong_mesh(nt // 2, nphi // 2, refine="uniform", fipy=False)
    return coarse, fine


def compute_escape(*, sigma: float, h: float = 0.0, psi: float = 0.0, alpha: float = 1.0,
                   mesh: str = "geodesic", level: int | None = None, cells: int | None = None,
                   richardson: bool = False, chi_cos: float = 0.0, phi_cos: float = 0.0,
                   energy=None) -> dict:
    r"""λ₁ and the escape rate out of each well of a Stoner–Wohlfarth particle (reduced units).

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
    mesh : {"geodesic", "latlong"}
    level, cells : int, optional
        Geodesic level (default 5) or target cell count.
    richardson : bool
        Also solve one level coarser and extrapolate (error O(h⁴) observed); the error estimate is
        |λ_R − λ_fine|.  Without it the estimate is the difference to one level coarser.
    chi_cos, phi_cos : float
        Spin-transfer potentials χ = chi_cos·u_z and Φ = phi_cos·u_z (kT).
    energy : EnergyTerm, optional
        Replaces the Stoner–Wohlfarth energy built from (sigma, h, psi).

    Returns
    -------
    dict
        ``lambda1_tauN``, ``escape_rates_tauN`` (list of {direction, rate}), ``error_estimate``
        (relative, of λ₁), ``method``, ``valid``, ``cells``, ``seconds`` and the inputs.
    """
    t0 = time.perf_counter()
    sigma = check_nonnegative("sigma", sigma)
    h = check_finite("h", h)
    psi = check_finite("psi", psi)
    alpha = check_positive("alpha", alpha)
    chi_cos = check_finite("chi_cos", chi_cos)
    phi_cos = check_finite("phi_cos", phi_cos)
    if energy is None:
        energy = uniaxial_zeeman(sigma, h, psi)
    chi = cos_potential(chi_cos) if chi_cos else None
    phi = cos_potential(phi_cos) if phi_cos else None

    def solve(m):
        gen = assemble(m, energy, alpha, chi=chi, phi=phi)
        return escape_rates(gen)

    coarse_m, fine_m = _refine_pair(mesh, level, cells, richardson)
    fine = solve(fine_m)
    out = fine.as_dict()
    coarse = None
    if coarse_m is not None:
        try:
            coarse = solve(coarse_m)
        except ParameterError:
            if richardson:
                raise
    out["cells"] = fine_m.n_cells
    lam = fine.lambda1
    if richardson and len(coarse.wells) != len(fine.wells):
        raise ParameterError("richardson", True, "used where both levels see the same wells "
                             f"(coarse: {len(coarse.wells)}, fine: {len(fine.wells)}); refine the mesh")
    if coarse is not None and len(coarse.wells) == len(fine.wells):
        if richardson:
            lam, err = _richardson(coarse.lambda1, fine.lambda1)
            rates = []
            for w, g in zip(fine.wells, fine.escape_rates):
                k = int(np.argmax([np.dot(w.direction, cw.direction) for cw in coarse.wells]))
                rates.append(_richardson(coarse.escape_rates[k], g)[0])
            for entry, g in zip(out["escape_rates_tauN"], rates):
                entry["rate"] = float(g)
            out["lambda1_tauN"] = lam
            out["lambda1_fine_tauN"] = fine.lambda1
            out["lambda1_coarse_tauN"] = coarse.lambda1
        else:
            err = abs(fine.lambda1 - coarse.lambda1) / 3.0
        out["error_estimate"] = float(err / abs(lam)) if lam else float("inf")
        out["cells"] = fine_m.n_cells
        out["cells_coarse"] = coarse_m.n_cells
    else:
        out["error_estimate"] = None
    out.update({
        "sigma": sigma, "h": h, "psi_deg": psi, "alpha": alpha, "chi_cos": chi_cos, "phi_cos": phi_cos,
        "mesh": mesh, "level": getattr(fine_m, "level", None), "richardson": bool(richardson),
        "seconds": time.perf_counter() - t0,
    })
    if not np.isfinite(out["lambda1_tauN"]):
        raise FloatingPointError("λ₁ is not finite")
    return out
