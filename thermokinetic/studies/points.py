r"""Point kinds of a sweep: what one grid point computes.

A *point kind* is a :class:`PointKind`: a package-level function ``fn(params) -> dict`` (``params``
holds the physical parameters and the numerics of one point, already validated), the schemas of
those parameters, and the ordered list of its outputs with their units.  Sweeps send only the
configuration (plain data) and the function (pickled by reference) to the workers.

Registered kinds (:data:`POINT_KINDS`):

``"escape"`` — :func:`escape_point`, a wrapper of
:func:`thermokinetic.fokker_planck.compute_escape`: λ₁ and the escape rate out of each well of a
Stoner–Wohlfarth particle, U = −σ (u·e_z)² − 2σh (u·e_H) in kT, with the spin-transfer potentials
χ = chi_cos·u_z and Φ = phi_cos·u_z (kT; seed 002 Eq. 24).  Every point re-assembles the generator
(exact for any amplitude); the geodesic mesh is cached per worker process by
:func:`thermokinetic.sphere.geodesic_mesh` (an ``lru_cache`` on the level).

``"wer"`` — :func:`wer_point`: the write-error rate of one pulse of width ``pulse_tauN``
(:func:`thermokinetic.fokker_planck.compute_wer`, exact 1D reduction for axial magnets, else the
mesh): a sweep over ``pulse_tauN`` × ``chi_cos`` is a WER table, resumable and parallel (process
pool or Dask) like every sweep.

``"escape-affine"`` — :func:`escape_affine_point`: the same outputs from the *linearized* generator

.. math::

    Q(χ_c, φ_c, δh) = Q_0 + χ_c\,Q_χ + φ_c\,Q_Φ + δh\,Q_h,\qquad δh = h − h_\mathrm{ref},

with Q_0 the exact scheme at (χ_c, φ_c, h) = (0, 0, h_ref) and Q_χ, Q_Φ, Q_h the exact first
derivatives of the face fluxes (:class:`thermokinetic.fokker_planck.AffineGenerator`).  A worker
assembles the parts once per (mesh, level, σ, ψ, α, h_ref) and keeps them in a module-level
``functools.lru_cache`` (:func:`affine_parts`, 8 entries), so a point costs one sparse AXPY plus
the escape solve.  The generator is exact at zero amplitude and its error is second order in the
amplitudes: use it for small currents and field steps (the test suite measures the order).

Adding a kind: write ``fn(params) -> dict`` at module level (so it pickles by reference) and
register ``PointKind(name, fn, params_schema, numerics_schema, outputs)`` with
:func:`register_point_kind`.
"""
from __future__ import annotations

import math

import functools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..config import Field
from ..errors import ParameterError, check_finite, check_nonnegative, check_positive

__all__ = ["Output", "PointKind", "POINT_KINDS", "register_point_kind", "escape_point", "wer_point",
           "escape_affine_point", "affine_parts"]


@dataclass(frozen=True)
class Output:
    """One output column of a point kind.

    Parameters
    ----------
    dtype : {"float", "int", "bool", "str"}
    units : str
        Units of the value (``"1/tau_N"``, ``"1"`` for dimensionless, ``""`` for labels).
    doc : str
        One-line description.
    """

    dtype: str
    units: str
    doc: str


@dataclass(frozen=True)
class PointKind:
    """A point kind: ``fn(params) -> {output: value}`` plus schemas and output descriptions.

    Attributes
    ----------
    name : str
    fn : callable
        Module-level function (pickled by reference to the workers).
    params : dict
        Schema (:class:`thermokinetic.config.Field` per key) of the physical parameters.
    numerics : dict
        Schema of the numerical parameters.
    outputs : dict
        ``{name: Output}``, in table column order.
    units : dict
        Units of the parameters (for the self-describing array file).
    version : int
        Bumped when the meaning of a result changes; part of each point's hash, so old point
        files are not reused.
    """

    name: str
    fn: Callable
    params: dict
    numerics: dict
    outputs: dict
    units: dict = field(default_factory=dict)
    version: int = 1

    @property
    def schema(self) -> dict:
        return {**self.params, **self.numerics}


def _level(name, value):
    from ..sphere.geodesic import MAX_LEVEL

    if not (2 <= value <= MAX_LEVEL):
        raise ParameterError(name, value, f"an integer in [2, {MAX_LEVEL}]")
    return value


_ESCAPE_PARAMS = {
    "sigma": Field(float, required=True, check=check_nonnegative, doc="barrier parameter K v / kT"),
    "h": Field(float, 0.0, check=check_finite, doc="reduced field H/H_K"),
    "psi": Field(float, 0.0, check=check_finite, doc="field angle from the easy axis [deg]"),
    "sigma_p": Field(float, 0.0, check=check_nonnegative, doc="thin-film easy-plane anisotropy +sigma_p u_x^2 [kT]"),
    "alpha": Field(float, 1.0, check=check_positive, doc="Gilbert damping"),
    "chi_cos": Field(float, 0.0, check=check_finite, doc="chi(u) = chi_cos u_z [kT]"),
    "phi_cos": Field(float, 0.0, check=check_finite, doc="Phi(u) = phi_cos u_z [kT]"),
}
_ESCAPE_UNITS = {"sigma": "1", "h": "1 (H/H_K)", "psi": "deg", "sigma_p": "1", "alpha": "1", "chi_cos": "kT",
                 "phi_cos": "kT", "level": "", "mesh": "", "richardson": "", "rtol": "1", "h_ref": "1 (H/H_K)"}


def _rtol(name, value):
    from ..errors import check_range

    return check_range(name, value, 0, 1, hi_open=True)


_ESCAPE_NUMERICS = {
    "rtol": Field(float, 0.0, check=_rtol, doc="accuracy target in (0, 1): the mesh and method are chosen to "
                  "meet it (0: use the fixed mesh below)"),
    "mesh": Field(str, "geodesic", choices=("geodesic", "latlong"), doc="mesh backend"),
    "level": Field(int, 5, check=_level, doc="geodesic level (10*4^L+2 cells)"),
    "richardson": Field(bool, False, doc="extrapolate with one level coarser"),
}
_ESCAPE_OUTPUTS = {
    "lambda1_tauN": Output("float", "1/tau_N", "slowest non-zero relaxation rate lambda_1"),
    "rate_up_tauN": Output("float", "1/tau_N", "escape rate out of the well with u.e_z > 0"),
    "rate_down_tauN": Output("float", "1/tau_N", "escape rate out of the well with u.e_z < 0"),
    "error_estimate": Output("float", "1", "largest relative error estimate of lambda_1 and the rates "
                             "(three mesh levels, observed order)"),
    "valid": Output("bool", "", "every check passed (and the rtol target was met, when one is given)"),
    "method": Output("str", "", "escape method used"),
    "cells": Output("int", "", "number of cells of the (fine) mesh"),
}


def _up_down(escape_rates_tauN) -> tuple[float, float]:
    """(rate out of the u_z > 0 well, rate out of the u_z < 0 well); exactly two wells required."""
    wells = list(escape_rates_tauN)
    if len(wells) != 2:
        raise ParameterError("energy", f"{len(wells)} wells", "a potential with exactly two wells "
                             "for the up/down escape rates")
    wells.sort(key=lambda w: -w["direction"][2])
    up, down = wells
    if not (up["direction"][2] > 0 > down["direction"][2]):
        raise ParameterError("energy", "wells on one side of the equator",
                             "one well with u.e_z > 0 and one with u.e_z < 0")
    def rate(w):  # a rate that failed its checks is None (a NaN rate made the sweep exit 1: property test)
        return float(w["rate"]) if w["rate"] is not None and math.isfinite(w["rate"]) else None

    return rate(up), rate(down)


def escape_point(params: dict) -> dict:
    """Escape rates of one Stoner–Wohlfarth point (:func:`~thermokinetic.fokker_planck.compute_escape`).

    Parameters
    ----------
    params : dict
        ``sigma`` (K v/kT), ``h`` (H/H_K), ``psi`` (deg), ``sigma_p`` (thin film), ``alpha``,
        ``chi_cos``, ``phi_cos`` (kT); ``rtol`` (accuracy target; 0 for the fixed ``mesh``, ``level``,
        ``richardson``).

    Returns
    -------
    dict
        ``lambda1_tauN``, ``rate_up_tauN``, ``rate_down_tauN`` (1/τ_N), ``error_estimate``
        (relative, ``None`` when unavailable), ``valid``, ``method``, ``cells``.
    """
    from ..fokker_planck.api import compute_escape

    common = dict(sigma=params["sigma"], h=params["h"], psi=params["psi"], alpha=params["alpha"],
                  sigma_p=params.get("sigma_p", 0.0), chi_cos=params["chi_cos"], phi_cos=params["phi_cos"])
    if params.get("rtol", 0.0) > 0:
        res = compute_escape(**common, rtol=params["rtol"])
    else:
        res = compute_escape(**common, mesh=params["mesh"], level=params["level"], richardson=params["richardson"])
    up, down = _up_down(res["escape_rates_tauN"])
    return {"lambda1_tauN": float(res["lambda1_tauN"]), "rate_up_tauN": up, "rate_down_tauN": down,
            "error_estimate": res.get("error_estimate"), "valid": bool(res["valid"]),
            "method": str(res["method"]), "cells": int(res["cells"])}


@functools.lru_cache(maxsize=8)
def affine_parts(level: int, sigma: float, psi: float, alpha: float, h_ref: float):
    """The affine parts at (χ_c, φ_c, h) = (0, 0, h_ref) on the geodesic mesh of ``level`` (cached).

    Returns
    -------
    tuple
        ``(mesh, affine)``: the mesh and one :class:`~thermokinetic.fokker_planck.AffineGenerator`
        with χ = Φ = u_z (per unit of chi_cos, phi_cos) and the unit field term ∂U/∂h = −2σ (u·e_H).
    """
    from ..energy import Zeeman, uniaxial_zeeman
    from ..fokker_planck.generator import AffineGenerator
    from ..sphere import geodesic_mesh

    mesh = geodesic_mesh(level)
    energy = uniaxial_zeeman(sigma, h_ref, psi)
    field_term = Zeeman.from_reduced(sigma, 1.0, psi)
    return mesh, AffineGenerator(mesh, energy, alpha, chi=_uz, phi=_uz, field_term=field_term)


def _uz(u):
    return np.asarray(u)[..., 2]


def _affine_solve(level, p):
    from ..fokker_planck.escape import escape_rates

    mesh, affine = affine_parts(level, p["sigma"], p["psi"], p["alpha"], p["h_ref"])
    gen = affine.generator(dh=p["h"] - p["h_ref"], chi=p["chi_cos"], phi=p["phi_cos"])
    return escape_rates(gen)


def escape_affine_point(params: dict) -> dict:
    r"""Escape rates from the affine (first-order in the amplitudes) generator.

    Q = Q_0 + chi_cos·Q_χ + phi_cos·Q_Φ + (h − h_ref)·Q_h with parts assembled once per worker
    (:func:`affine_parts`); exact at chi_cos = phi_cos = 0, h = h_ref, error O(amplitude²).
    Parameters and outputs as :func:`escape_point` (geodesic mesh only, no Richardson); the error
    estimate is the discretization estimate |λ₁(L) − λ₁(L−1)| / (3 λ₁(L)) of the same affine model.
    """
    if params["mesh"] != "geodesic":
        raise ParameterError("mesh", params["mesh"], "'geodesic' for the escape-affine kind")
    if params["richardson"]:
        raise ParameterError("richardson", True, "false for the escape-affine kind")
    level = params["level"]
    fine = _affine_solve(level, params)
    rates = fine.as_dict()["escape_rates_tauN"]
    up, down = _up_down(rates)
    err = None
    if level > 2:
        coarse = _affine_solve(level - 1, params)
        if len(coarse.wells) == len(fine.wells) and fine.lambda1:
            err = abs(fine.lambda1 - coarse.lambda1) / 3.0 / abs(fine.lambda1)
    lam = float(fine.lambda1)
    if not np.isfinite(lam):
        raise FloatingPointError("lambda_1 is not finite")
    return {"lambda1_tauN": lam, "rate_up_tauN": up, "rate_down_tauN": down, "error_estimate": err,
            "valid": bool(fine.valid), "method": str(fine.method), "cells": int(mesh_cells(level))}


def wer_point(params: dict) -> dict:
    """Write-error rate of one pulse (:func:`~thermokinetic.fokker_planck.compute_wer`), for WER tables
    over pulse widths and currents (issue 15): axes ``pulse_tauN`` and ``chi_cos``, say.

    Parameters
    ----------
    params : dict
        ``sigma``, ``h``, ``psi``, ``sigma_p``, ``alpha``, ``chi_cos``, ``phi_cos`` as for :func:`escape_point`;
        ``pulse_tauN`` (the pulse width, τ_N); ``rtol``, ``max_cells`` (0: the default budget), ``method``.

    Returns
    -------
    dict
        ``wer`` (probability still in u_z > 0 after the pulse), ``error_estimate`` (relative), ``valid``
        (the rtol target met), ``method``, ``cells``.
    """
    from ..fokker_planck.wer import compute_wer

    res = compute_wer(sigma=params["sigma"], h=params["h"], psi=params["psi"], alpha=params["alpha"],
                      sigma_p=params.get("sigma_p", 0.0), chi_cos=params["chi_cos"], phi_cos=params["phi_cos"],
                      times=[params["pulse_tauN"]], rtol=params["rtol"],
                      max_cells=params["max_cells"] or None, method=params["method"])
    wer, err = float(res["wer"][0]), res["error_estimate"][0]
    if not math.isfinite(wer):
        raise FloatingPointError("the write-error rate is not finite")
    return {"wer": wer, "error_estimate": float(err) if err is not None and math.isfinite(err) else None,
            "valid": bool(res["valid"]), "method": str(res["method"]), "cells": int(res["cells"])}


def _positive_rtol(name, value):
    raise ParameterError(name, value, "in (0, 1)")


def _negative(name, value):
    raise ParameterError(name, value, "an integer >= 0 (0: the default budget)")


def mesh_cells(level: int) -> int:
    """Number of cells of the geodesic mesh of ``level`` (10·4^L + 2)."""
    return 10 * 4 ** int(level) + 2


POINT_KINDS: dict[str, PointKind] = {}


def register_point_kind(kind: PointKind) -> PointKind:
    """Add ``kind`` to :data:`POINT_KINDS` (replacing one of the same name); returns it."""
    if not isinstance(kind, PointKind):
        raise ParameterError("kind", kind, "a PointKind")
    POINT_KINDS[kind.name] = kind
    return kind


register_point_kind(PointKind("escape", escape_point, _ESCAPE_PARAMS, _ESCAPE_NUMERICS, _ESCAPE_OUTPUTS,
                              _ESCAPE_UNITS))
# the affine kind linearizes on one fixed mesh of the Stoner–Wohlfarth energy: no thin film, no target
register_point_kind(PointKind(
    "escape-affine", escape_affine_point, {k: v for k, v in _ESCAPE_PARAMS.items() if k != "sigma_p"},
    {**{k: v for k, v in _ESCAPE_NUMERICS.items() if k != "rtol"},
     "h_ref": Field(float, 0.0, check=check_finite, doc="field of the linearization point (H/H_K)")},
    _ESCAPE_OUTPUTS, _ESCAPE_UNITS))

# write-error rates: one pulse width per point, the table over (pulse, current) axes
register_point_kind(PointKind(
    "wer", wer_point,
    {**_ESCAPE_PARAMS,
     "pulse_tauN": Field(float, required=True, check=check_positive, doc="pulse width [tau_N]")},
    {"rtol": Field(float, 1e-3, check=lambda n, v: _rtol(n, v) if v > 0 else _positive_rtol(n, v),
                   doc="accuracy target of the WER value (relative)"),
     "max_cells": Field(int, 0, check=lambda n, v: v if v >= 0 else _negative(n, v),
                        doc="cell budget (0: the method's default)"),
     "method": Field(str, "auto", choices=("auto", "axial", "mesh", "orbit"), doc="WER method")},
    {"wer": Output("float", "1", "probability still in u_z > 0 after the pulse"),
     "error_estimate": Output("float", "1", "relative error estimate of wer"),
     "valid": Output("bool", "", "the rtol target was met"),
     "method": Output("str", "", "WER method used (axial: exact 1D reduction; mesh)"),
     "cells": Output("int", "", "cells of the finest discretization")},
    {**_ESCAPE_UNITS, "pulse_tauN": "tau_N", "max_cells": "", "method": ""}))
