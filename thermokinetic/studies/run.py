r"""Run a study case (TOML) end to end: ``run(config, out=...)`` dispatches on ``[study] kind``.

Case layout (every table validated by :mod:`thermokinetic.config`; unknown keys are errors)::

    title = "..."
    [study]
    kind = "effective_barrier"        # the study (see STUDIES): effective_barrier | switching |
                                      # fluctuations | hysteresis | resonance | field_vs_flux
    name = "effective_barrier"        # output sub-folder (default: the case file's stem)
    temperature = 300.0               # K, single-temperature studies (default T_ref)

    [magnet]                          # from its geometry (shape, length, width, thickness, Ms, K,
                                      #   K_axis, K_s), legacy SI (Ms, K, thickness, diameter) or
                                      #   reduced (sigma)
    shape = "ellipse"                 # or "rectangle": demagnetizing factors from the shape
    length = 40e-9                    # m (long axis), width = ... (short axis)
    K_axis = "normal"                 # axis of K: length | width | normal;  K_s = 1e-3  # J/m^2
    Ms = 1.4e6                        # A/m
    K = 4.5e5                         # J/m^3 (uniaxial, easy axis e_z)
    thickness = 3e-9                  # m
    diameter = 14e-9                  # m (circular pillar: v = π d²/4 · t)
    alpha = 0.01
    H = 0.0                           # A/m along e_H (or h = H/H_K)
    psi = 0.0                         # deg, field angle from e_z
    T_ref = 300.0                     # K

    [coupler]
    kind = "diffusive"                # diffusive | slonczewski | cosine | longitudinal
    stack = "stack_cocu_valve.toml"   # relative to the case file (stack-based couplers)
    ...

    [currents]                        # A/m^2 with an SI magnet, coupler units with sigma
    values = [...]                    # or start, stop, num

    [temperatures]
    values = [250.0, 300.0, 350.0, 400.0]

    [durations]                       # switching: pulse durations (s with an SI magnet, else tau_N(T_ref))
    start = ...; stop = ...; num = ...  # or values = [...]
    [fields]                          # hysteresis: reduced fields h = H/H_K of the sweep
    values = [...]

    [wer]                             # effective_barrier, axial magnets: write error rate table
    pulses_ns = [2.0, 10.0]; currents = [...]; rtol = 1e-3
    [read_disturb]                    # escape rate and flip probability per read pulse
    currents = [...]; pulse_ns = 10.0

    [numerics]
    method = "auto"                   # auto | axial | mesh
    level = 5
    min_barrier_kT = 10.0
    prefactor = "asymptotic"

Outputs, written atomically under ``out/<name>/``: ``summary.json``, ``table.csv``, the figures
(``*.png``), and ``cache/`` (one JSON per finished point: a rerun resumes).
"""
from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np

from ..config import Field, load_toml, validate
from ..errors import ParameterError, check_finite, check_nonnegative, check_positive, check_range
from ..io import write_json
from ..units import KB, MU0
from ._common import save_figure, write_csv
from .fields import csv_header, describe

__all__ = ["run", "STUDIES", "build_model", "load_study_case"]


def _pos(name, v):
    return check_positive(name, v)


def _fin(name, v):
    return check_finite(name, v)


def _opt_pos(name, v):
    return None if v is None else check_positive(name, v)


_MAGNET = {
    "sigma": Field((float, type(None)), None, doc="K v / kT_ref (reduced magnet; instead of Ms, K, thickness, diameter)"),
    "Ms": Field((float, type(None)), None, doc="saturation magnetization [A/m]"),
    "K": Field((float, type(None)), None, doc="uniaxial anisotropy [J/m^3]"),
    "thickness": Field((float, type(None)), None, doc="free-layer thickness [m]"),
    "diameter": Field((float, type(None)), None, doc="pillar diameter [m] (legacy circular pillar without shape "
                      "anisotropy; use shape, length, width for a free layer from its geometry)"),
    "shape": Field((str, type(None)), None, doc="free-layer shape from its geometry: 'ellipse' or 'rectangle' "
                   "(demagnetizing factors computed; needs Ms, K, thickness, length, width)"),
    "length": Field((float, type(None)), None, doc="lateral size along the long axis [m] (with shape)"),
    "width": Field((float, type(None)), None, doc="lateral size along the short axis [m] (with shape)"),
    "K_axis": Field(str, "length", choices=("length", "width", "normal"), doc="axis of the bulk anisotropy K "
                    "(with shape)"),
    "K_s": Field(float, 0.0, check=lambda n, v: check_nonnegative(n, v), doc="interfacial anisotropy [J/m^2] "
                 "favouring the film normal (with shape)"),
    "alpha": Field(float, 0.01, check=_pos, doc="Gilbert damping"),
    "H": Field((float, type(None)), None, doc="applied field [A/m]"),
    "h": Field((float, type(None)), None, doc="reduced field H/H_K"),
    "psi": Field(float, 0.0, check=_fin, doc="field angle from the easy axis [deg]"),
    "T_ref": Field(float, 300.0, check=_pos, doc="reference temperature [K]"),
    "sigma_p": Field((float, type(None)), None, doc="thin-film easy-plane anisotropy +sigma_p u_x^2 at T_ref "
                     "(reduced magnet; e_x the film normal)"),
    "demag": Field((list, type(None)), None, doc="demagnetizing factors [N_x, N_y, N_z] (SI magnet; e_x the "
                   "film normal, e_z the easy axis): shape anisotropy mu0 Ms^2 v (N.u^2)/2"),
}

_COUPLER = {
    "kind": Field(str, "cosine", choices=("diffusive", "slonczewski", "cosine", "longitudinal")),
    "stack": Field(str, "", doc="stack TOML (relative to the case file)"),
    "free": Field(str, "", doc="free layer name (default: last F layer)"),
    "transparent_interfaces": Field(bool, False, doc="drop the stack's interface resistances and mixing "
                                    "conductances (by default the couplers keep them: the diffusive coupler "
                                    "through magnetoelectronic circuit theory)"),
    "transverse": Field(str, "absorb", choices=("absorb", "finite"),
                        doc="diffusive: transverse spin current absorbed at the free layer's interfaces "
                        "(absorb, seed 004) or over each F layer's transverse length (finite; needs the "
                        "layers' transverse tables)"),
    "chi": Field(float, 0.0, check=_fin, doc="cosine: c_chi [kT_ref per current unit]"),
    "phi": Field(float, 0.0, check=_fin, doc="cosine: c_phi"),
    "polarizer": Field(list, [0.0, 0.0, 1.0], doc="polarizer direction"),
    "P": Field(float, 0.35, check=_fin, doc="slonczewski: spin polarization (spin valve, Slonczewski 1996)"),
    "TMR": Field((float, type(None)), None, doc="slonczewski: tunnel magnetoresistance ratio of an MTJ; "
                 "replaces P by eta = P/(1 + P^2 cos theta) with Julliere's P = sqrt(TMR/(2 + TMR))"),
    "field_like": Field(float, 0.0, check=_fin, doc="slonczewski: field-like ratio"),
    "l_parallel": Field(float, 1.0, check=_fin, doc="longitudinal: cross-coefficient"),
    "solver": Field(str, "two-channel", choices=("two-channel", "four-channel", "noncollinear")),
}

_RANGE = {
    "values": Field((list, type(None)), None, doc="explicit list"),
    "start": Field((float, type(None)), None),
    "stop": Field((float, type(None)), None),
    "num": Field((int, type(None)), None),
    "spacing": Field(str, "linear", choices=("linear", "log"), doc="start..stop spacing (log: geometric)"),
}

_NUMERICS = {
    "method": Field(str, "auto", choices=("auto", "axial", "mesh")),
    "level": Field(int, 5),
    "bins": Field(int, 36, doc="field_vs_flux: theta bins of the density profile"),
    "min_barrier_kT": Field(float, 10.0, check=_pos),
    "prefactor": Field(str, "asymptotic", choices=("asymptotic", "power", "plain")),
}

def _check_folder_name(name: str, value: str) -> str:
    """A results folder name: one path component (no separators, not '.' or '..'), printable."""
    import re

    if value and (not re.fullmatch(r"[A-Za-z0-9_.\-]{1,100}", value) or value in (".", "..")):
        raise ParameterError(name, value, "a folder name of 1-100 letters, digits, '-', '_' or '.' "
                             "(no path separators, not '.' or '..')")
    return value


STUDIES = ("effective_barrier", "switching", "fluctuations", "hysteresis", "resonance", "field_vs_flux")

_STUDY = {
    "kind": Field(str, "effective_barrier", choices=STUDIES),
    "name": Field(str, "", check=lambda n, v: _check_folder_name(n, v),
                  doc="output folder name inside --out (letters, digits, '-', '_', '.'; no path)"),
    "temperature": Field((float, type(None)), None,
                         doc="[K] single temperature of switching/fluctuations/resonance (default T_ref)"),
}

_WER = {
    "pulses_ns": Field((list, type(None)), None, doc="pulse widths [ns] of the write-error-rate table"),
    "currents": Field((list, type(None)), None, doc="pulse currents (the case's current unit)"),
    "rtol": Field(float, 1e-3, check=lambda n, v: check_positive(n, v), doc="relative accuracy of every WER"),
}

_READ = {
    "currents": Field((list, type(None)), None, doc="read currents (the case's current unit)"),
    "pulse_ns": Field(float, 10.0, check=lambda n, v: check_positive(n, v), doc="read pulse width [ns]"),
}

_RAMP = {
    "rates": Field((list, type(None)), None, doc="ramp rates [current unit per second] of linear current ramps"),
    "attempt_frequency_Hz": Field(float, 1e9, check=lambda n, v: check_positive(n, v),
                                  doc="f0 assumed by the usual thermal-activation fit [Hz]"),
}

SCHEMA = {
    "title": Field(str, ""),
    "wer": _WER,
    "ramp": _RAMP,
    "read_disturb": _READ,
    "study": _STUDY,
    "magnet": _MAGNET,
    "coupler": _COUPLER,
    "currents": _RANGE,
    "temperatures": _RANGE,
    "durations": _RANGE,
    "fields": _RANGE,
    "numerics": _NUMERICS,
}


def _values(cfg: dict, where: str) -> np.ndarray:
    if cfg["values"] is not None:
        if any(cfg[k] is not None for k in ("start", "stop", "num")):
            raise ParameterError(f"{where}.values", cfg["values"], "given alone (not with start/stop/num)")
        try:
            v = np.asarray(cfg["values"], dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(f"{where}.values", cfg["values"], "a list of numbers") from None
    else:
        if any(cfg[k] is None for k in ("start", "stop", "num")):
            raise ParameterError(where, cfg, "either 'values' or all of 'start', 'stop', 'num'")
        if cfg["num"] < 1:
            raise ParameterError(f"{where}.num", cfg["num"], ">= 1")
        if cfg["spacing"] == "log":
            if not (cfg["start"] > 0 and cfg["stop"] > 0):
                raise ParameterError(f"{where}.start", cfg["start"], "> 0 (with stop > 0) for spacing = 'log'")
            v = np.geomspace(cfg["start"], cfg["stop"], cfg["num"])
        else:
            v = np.linspace(cfg["start"], cfg["stop"], cfg["num"])
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
        raise ParameterError(f"{where}.values", cfg["values"], "a non-empty list of finite numbers")
    return v


def load_study_case(config) -> tuple[dict, Path | None]:
    """Validate a case (dict or TOML path); returns (validated dict, case folder or None)."""
    base = None
    stem = "study"
    if isinstance(config, (str, Path)):
        p = Path(config)
        base = p.parent
        stem = p.stem
        config = load_toml(p)
    if not isinstance(config, dict):
        raise ParameterError("config", type(config).__name__, "a dict or a path to a TOML case")
    cfg = validate(config, SCHEMA)
    if not cfg["study"]["name"]:
        cfg["study"]["name"] = stem
    return cfg, base


def build_model(cfg: dict, base: Path | None = None):
    """The :class:`~thermokinetic.studies.model.MacrospinModel` and a description dict of a case."""
    model, info, _, _ = _build(cfg, base)
    return model, info


def _build(cfg: dict, base: Path | None = None):
    """``(model, info, coupler, scale)``: scale = coupler current per model current unit at T_ref."""
    m = cfg["magnet"]
    info = {}
    si_keys = ("Ms", "K", "thickness", "diameter")
    T_ref = m["T_ref"]
    if m["shape"] is not None:
        return _build_shaped(cfg, base, info)
    for key in ("length", "width"):
        if m[key] is not None:
            raise ParameterError(f"magnet.{key}", m[key], "given with magnet.shape ('ellipse' or 'rectangle')")
    if m["K_s"] or m["K_axis"] != "length":
        raise ParameterError("magnet.K_s" if m["K_s"] else "magnet.K_axis", m["K_s"] or m["K_axis"],
                             "given with magnet.shape (a free layer from its geometry)")
    if m["sigma"] is not None:
        if any(m[k] is not None for k in si_keys):
            raise ParameterError("magnet.sigma", m["sigma"], "given alone (without Ms, K, thickness, diameter)")
        sigma = check_positive("magnet.sigma", m["sigma"])
        Ms = volume = area = None
        if m["H"] is not None:
            raise ParameterError("magnet.H", m["H"], "omitted with a reduced magnet (use magnet.h)")
        h = 0.0 if m["h"] is None else check_finite("magnet.h", m["h"])
        if m["demag"] is not None:
            raise ParameterError("magnet.demag", m["demag"], "omitted with a reduced magnet (use magnet.sigma_p)")
        sigma_p = 0.0 if m["sigma_p"] is None else check_nonnegative("magnet.sigma_p", m["sigma_p"])
    else:
        if m["sigma_p"] is not None:
            raise ParameterError("magnet.sigma_p", m["sigma_p"], "omitted with an SI magnet (use magnet.demag)")
        missing = [k for k in si_keys if m[k] is None]
        if missing:
            raise ParameterError(f"magnet.{missing[0]}", None, "given (SI magnet needs Ms, K, thickness, diameter; or give sigma)")
        # the ranges of a single-domain free layer (as magnet.FreeLayer): outside them a number underflows
        # (μ0 Ms of a denormal Ms is 0) or the reduced barrier vanishes (measured by the property tests:
        # Ms = 1e-320 divided by zero, thickness = 8e-60 m gave a zero FMR frequency with exit 0)
        Ms = check_range("magnet.Ms", m["Ms"], 1.0, 1e7)
        K = check_positive("magnet.K", m["K"])
        if not K <= 1e8:
            raise ParameterError("magnet.K", K, "<= 1e8 J/m^3")
        t = check_range("magnet.thickness", m["thickness"], 1e-10, 1e-5)
        d = check_range("magnet.diameter", m["diameter"], 1e-10, 1e-4)
        area = math.pi * d * d / 4
        volume = area * t
        sigma = K * volume / (KB * T_ref)
        if not sigma >= 1e-6:
            raise ParameterError("magnet.K", K, f"large enough that the barrier K·volume/kT >= 1e-6 (here {sigma:.3g}: "
                                 "a free moment has no well, no resonance and no escape)")
        H_K = 2 * K / (MU0 * Ms)
        if m["H"] is not None and m["h"] is not None:
            raise ParameterError("magnet.H", m["H"], "given without magnet.h")
        h = (check_finite("magnet.H", m["H"]) / H_K) if m["H"] is not None else (m["h"] or 0.0)
        info.update({"volume_m3": volume, "area_m2": area, "H_K_A_per_m": H_K, "KV_J": K * volume})
        if m["demag"] is None:
            info["warning"] = ("no shape anisotropy: a circular pillar given by its diameter keeps only K; "
                               "give magnet.shape, length, width for the demagnetizing field of the geometry")
        sigma_p = 0.0
        if m["demag"] is not None:
            from ..energy import Demagnetizing

            try:
                factors = tuple(float(v) for v in m["demag"])
            except (TypeError, ValueError):
                raise ParameterError("magnet.demag", m["demag"], "three numbers [N_x, N_y, N_z]") from None
            try:
                d_sigma, sigma_p = Demagnetizing(MU0 * Ms * Ms * volume / (2 * KB * T_ref), factors).reduced()
            except ParameterError as exc:
                raise ParameterError("magnet.demag", m["demag"], exc.allowed) from None
            sigma += d_sigma
            if sigma <= 0 or sigma_p < 0:
                raise ParameterError("magnet.demag", m["demag"], "factors keeping e_z an easy axis in a film with "
                                     "normal e_x (N_x >= N_y and K > mu0 Ms^2 (N_z - N_y)/2)")
            info.update({"demag": list(factors), "sigma_shape_shift": d_sigma})
    info.update({"sigma_T_ref": sigma, "h": h, "sigma_p_T_ref": sigma_p})
    return _finish_build(cfg, base, info, sigma=sigma, sigma_p=sigma_p, h=h, Ms=Ms, volume=volume, area=area)


def _build_shaped(cfg: dict, base, info: dict):
    """A free layer from its geometry (:class:`thermokinetic.magnet.FreeLayer`)."""
    from ..magnet import FreeLayer

    m = cfg["magnet"]
    T_ref = m["T_ref"]
    for key in ("sigma", "sigma_p", "demag", "diameter"):
        if m[key] is not None:
            raise ParameterError(f"magnet.{key}", m[key], "omitted with magnet.shape (computed from the geometry)")
    for key in ("Ms", "K", "thickness", "length", "width"):
        if m[key] is None:
            raise ParameterError(f"magnet.{key}", None, "given (a free layer from its geometry needs Ms, K, "
                                 "thickness, length, width)")
    layer = FreeLayer(m["shape"], m["length"], m["width"], m["thickness"], m["Ms"], K=m["K"], K_axis=m["K_axis"],
                      K_s=m["K_s"])
    red = layer.reduced(T_ref)
    if m["H"] is not None and m["h"] is not None:
        raise ParameterError("magnet.H", m["H"], "given without magnet.h")
    h = (check_finite("magnet.H", m["H"]) / layer.H_K) if m["H"] is not None else (m["h"] or 0.0)
    desc = layer.describe(T_ref)
    info.update({"free_layer": desc, "volume_m3": layer.volume, "area_m2": layer.area, "H_K_A_per_m": layer.H_K,
                 "Delta_T_ref": red["sigma"], "orientation": layer.orientation,
                 "frame": f"model e_z = the {red['easy_axis']} axis (easy), e_x = the {red['hard_axis']} axis (hard)",
                 "sigma_T_ref": red["sigma"], "h": h, "sigma_p_T_ref": red["sigma_p"]})
    return _finish_build(cfg, base, info, sigma=red["sigma"], sigma_p=red["sigma_p"], h=h, Ms=layer.Ms,
                         volume=layer.volume, area=layer.area)


def _finish_build(cfg: dict, base, info: dict, *, sigma, sigma_p, h, Ms, volume, area):
    """The coupler and the model, once the reduced magnet is known."""
    from .. import coupling as cp
    from .model import MacrospinModel, coupler_potentials

    m = cfg["magnet"]
    T_ref = m["T_ref"]
    c = cfg["coupler"]
    kind = c["kind"]
    if c["transverse"] != "absorb" and kind != "diffusive":
        raise ParameterError("coupler.transverse", c["transverse"], "'absorb' unless coupler.kind = 'diffusive'")
    try:
        pol = np.asarray(c["polarizer"], dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("coupler.polarizer", c["polarizer"], "a 3-vector") from None
    stack = None
    if kind in ("diffusive", "longitudinal"):
        if not c["stack"]:
            raise ParameterError("coupler.stack", c["stack"], "the path of a stack TOML case")
        from ..transport.stack import case_from_dict

        sp = Path(c["stack"])
        if not sp.is_absolute() and base is not None:
            sp = base / sp
        data = load_toml(sp)
        if c["transparent_interfaces"]:
            data.pop("interface", None)
        stack = case_from_dict(data).stack
        info["stack"] = str(sp)
    free = c["free"] or None
    if kind == "cosine":
        coupler = cp.CosineCoupler(chi=c["chi"], phi=c["phi"], polarizer=pol)
    elif kind == "slonczewski":
        coupler = (cp.SlonczewskiCoupler.from_tmr(c["TMR"], polarizer=pol, field_like=c["field_like"])
                   if c["TMR"] is not None else
                   cp.SlonczewskiCoupler.from_polarization(c["P"], polarizer=pol, field_like=c["field_like"]))
    elif kind == "diffusive":
        coupler = cp.DiffusiveTorqueCoupler(stack, free if free is not None else [i for i, ly in enumerate(stack.layers) if ly.kind == "F"][-1],
                                            transverse=c["transverse"])
    else:
        coupler = cp.LongitudinalCoupler(stack, c["l_parallel"], c["solver"], free=free, T=T_ref)
    # one model current unit in the coupler's unit at T_ref
    if Ms is None:
        scale, unit = 1.0, "coupler unit"
    elif kind == "longitudinal":
        scale, unit = coupler.reduced_per_si(), "A/m^2"
    else:
        scale, unit = coupler.reduced_per_si(T_ref, area), "A/m^2"
    info.update({"coupler": type(coupler).__name__, "coupler_current_per_model_unit": scale,
                 "current_unit": unit})
    chi, phi = coupler_potentials(coupler, scale)
    num = cfg["numerics"]
    model = MacrospinModel(sigma=sigma, alpha=m["alpha"], h=h, psi=m["psi"], sigma_p=sigma_p, chi=chi, phi=phi,
                           T_ref=T_ref,
                           Ms=Ms, volume=volume, current_unit=unit, method=num["method"], level=num["level"],
                           label=cfg["title"] or cfg["study"]["name"])
    info["axial"] = model.axial
    return model, info, coupler, scale


def run(config, out="out", progress: bool = True) -> dict:
    """Run the study of a case; write ``out/<name>/{summary.json, table.csv, *.png}``.

    Parameters
    ----------
    config : dict or path
        The case (see the module docstring).
    out : path
        Parent output folder.
    progress : bool
        tqdm progress bars.

    Returns
    -------
    dict
        The summary (also written to ``summary.json``), with ``"files"`` and ``"seconds"``.
    """
    t0 = time.perf_counter()
    cfg, base = load_study_case(config)
    kind = cfg["study"]["kind"]
    if kind not in STUDIES:  # pragma: no cover - schema choices
        raise ParameterError("study.kind", kind, f"one of {list(STUDIES)}")
    folder = Path(out) / cfg["study"]["name"]
    if kind == "effective_barrier":
        return _run_effective_barrier(cfg, base, folder, progress, t0)
    return _run_single(kind, cfg, base, folder, progress, t0)


def _run_single(kind: str, cfg, base, folder: Path, progress: bool, t0: float) -> dict:
    """The studies at one temperature: switching, fluctuations, hysteresis, resonance, field_vs_flux."""
    model, info, coupler, scale = _build(cfg, base)
    currents = _values(cfg["currents"], "currents")
    T = cfg["study"]["temperature"]
    T = model.T_ref if T is None else check_positive("study.temperature", T)
    num = cfg["numerics"]
    if kind == "switching":
        from .switching import switching

        res = switching(model, currents, _values(cfg["durations"], "durations"), T=T, level=num["level"],
                        progress=progress, method=num["method"])
        plots = (("switching.png", res.plot), ("t50.png", res.plot_t50))
    elif kind == "fluctuations":
        from .fluctuations import fluctuations

        res = fluctuations(model, currents, T=T, level=num["level"], progress=progress)
        plots = (("effective_temperature.png", res.plot),)
    elif kind == "hysteresis":
        from .hysteresis import hysteresis

        res = hysteresis(model, currents, _values(cfg["fields"], "fields"), progress=progress)
        plots = (("hysteresis_shift.png", res.plot), ("loops.png", res.plot_loops))
    elif kind == "resonance":
        from .resonance import resonance

        res = resonance(model, currents, T=T)
        plots = (("resonance.png", res.plot),)
    else:
        from .field_vs_flux import field_vs_flux

        res = field_vs_flux(model, coupler, currents, coupler_scale=scale, level=num["level"], bins=num["bins"],
                            progress=progress)
        plots = (("field_vs_flux.png", res.plot), ("profiles.png", res.plot_profiles))
    summary = res.to_dict()
    summary.update({"study": kind, "title": cfg["title"], "model": info, "T_ref": model.T_ref})
    return _write_outputs(res, summary, plots, folder, t0)


def _run_effective_barrier(cfg, base, folder: Path, progress: bool, t0: float) -> dict:
    from .effective_barrier import effective_barrier

    model, info = build_model(cfg, base)
    currents = _values(cfg["currents"], "currents")
    temps = _values(cfg["temperatures"], "temperatures")
    num = cfg["numerics"]
    pref = 0.0 if num["prefactor"] == "plain" else num["prefactor"]
    res = effective_barrier(model, currents, temps, min_barrier_kT=num["min_barrier_kT"], prefactor=pref,
                            cache_dir=folder / "cache", progress=progress)
    summary = res.to_dict()
    wer = _wer_table(model, cfg["wer"])
    if wer is not None:
        summary["wer"] = wer
    rd = _read_disturb(model, cfg["read_disturb"])
    if rd is not None:
        summary["read_disturb"] = rd
    ramp = _ramp_table(model, cfg["ramp"], res)
    if ramp is not None:
        summary["ramp"] = ramp
    summary.update({"study": "effective_barrier", "title": cfg["title"], "model": info,
                    "barrier_unit": f"kT at T_ref = {model.T_ref:g} K",
                    "barrier_J": [None if v is None else v * KB * model.T_ref for v in summary["barrier_kT"]]})
    plots = (("effective_barrier.png", res.plot), ("arrhenius.png", res.plot_arrhenius),
             ("critical_current.png", res.plot_critical_current))
    if wer is not None:
        plots = plots + (("wer.png", lambda ax: _plot_wer(wer, ax)),)
    return _write_outputs(res, summary, plots, folder, t0)


def _numbers(name: str, value, allowed: str, ok=lambda v: True) -> np.ndarray:
    """A case's list of numbers as a 1D array: non-empty, finite and passing ``ok``, else refused."""
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, value, allowed) from None
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)) or not ok(v):
        raise ParameterError(name, value, allowed)
    return v


def _wer_table(model, cfg: dict) -> dict | None:
    """The write-error-rate table of ``[wer]`` (axial models, at T_ref): WER per current and pulse width,
    with its relative error; values the 1D solver cannot resolve to ``rtol`` are None (with the reason)."""
    if cfg["pulses_ns"] is None and cfg["currents"] is None:
        return None
    if cfg["pulses_ns"] is None or cfg["currents"] is None:
        raise ParameterError("wer", cfg, "both pulses_ns and currents")
    pulses = 1e-9 * _numbers("wer.pulses_ns", cfg["pulses_ns"], "strictly increasing pulse widths > 0 [ns]",
                             lambda v: np.all(v > 0) and np.all(np.diff(v) > 0))
    if model.Ms is None:
        raise ParameterError("wer", "reduced magnet", "an SI magnet (pulse widths in ns)")
    if not model.axial:
        raise ParameterError("wer", "non-axial model", "an axially symmetric magnet (the exact 1D reduction); "
                             "use 'thermokinetic wer' for the mesh")
    currents = _numbers("wer.currents", cfg["currents"], "a non-empty list of finite currents")
    rows, errs, reasons = [], [], []
    for J in currents:
        r = model.write_error_rate(float(J), model.T_ref, pulses, rtol=cfg["rtol"])
        ok = np.asarray(r["error_estimate"]) <= cfg["rtol"]
        rows.append([float(w) if k else None for w, k in zip(r["wer"], ok)])
        errs.append([float(e) if k else None for e, k in zip(r["error_estimate"], ok)])
        if not ok.all():
            reasons.append(f"J = {J:.4g}: {int((~ok).sum())} pulse width(s) not resolved to rtol = {cfg['rtol']:g} "
                           "(WER below the 1D solver's reach within 16384 cells)")
    return {"pulse_ns": (pulses * 1e9).tolist(), "current": currents.tolist(), "wer": rows, "error_estimate": errs,
            "T_K": model.T_ref, "rtol": cfg["rtol"], "reasons": reasons,
            "definition": "probability that a pulse of the given current and width leaves the magnet in its start "
                          "hemisphere, starting from the thermal distribution of that hemisphere at zero current "
                          "(exact 1D reduction of the Fokker-Planck equation at T_ref)"}


def _read_disturb(model, cfg: dict) -> dict | None:
    """Read disturb at T_ref: the escape rate Γ(J) of the stored (start) state under each read current, and
    the probability ``1 − e^{−Γ t}`` that one read pulse of width t flips it (Γ t from the same solver as
    the effective barrier, so ``-expm1`` keeps the small probabilities exact)."""
    if cfg["currents"] is None:
        return None
    currents = _numbers("read_disturb.currents", cfg["currents"], "a non-empty list of finite currents")
    t = cfg["pulse_ns"] * 1e-9 if model.Ms is not None else cfg["pulse_ns"]
    rates, probs, barriers = [], [], []
    for J in currents:
        try:
            out = model.escape(float(J), model.T_ref)
        except ParameterError as exc:
            if exc.name != "current":
                raise
            raise ParameterError("read_disturb.currents", float(J), "below the critical current (a read current "
                                 "must leave the stored state a barrier)") from None
        rates.append(float(out["rate"]))
        probs.append(float(-np.expm1(-out["rate"] * t)))
        barriers.append(out.get("barrier_kT"))
    return {"current": currents.tolist(), "rate": rates, "rate_unit": model.rate_unit,
            "mean_time": [1.0 / r if r > 0 else None for r in rates], "pulse_ns": cfg["pulse_ns"],
            "probability_per_read": probs, "barrier_kT": barriers, "T_K": model.T_ref,
            "definition": "escape rate of the stored state at the read current (T_ref) and the probability "
                          "1 - exp(-rate * pulse) that one read pulse flips it"}


def _ramp_table(model, cfg: dict, res) -> dict | None:
    """Switching-current distributions under linear current ramps at T_ref (axial SI models) from the
    exact escape rate Γ(J) of the start state (:func:`thermokinetic.fokker_planck.wer.ramp_distributions`),
    the Δ and J_c0 of the usual fit Γ = f0 exp[−Δ(1 − J/J_c0)] (b = 1, f0 fixed), and the model's exact
    values: Δ = the exact barrier at J = 0 (kT at T_ref) and J_c0 = where the exact barrier vanishes."""
    import math

    from ..fokker_planck.wer import ramp_distributions

    if cfg["rates"] is None:
        return None
    v = _numbers("ramp.rates", cfg["rates"], "1 to 100 finite ramp rates > 0 (current unit per s)",
                 lambda r: r.size <= 100 and np.all(r > 0))
    head = res.headline
    if not model.axial or model.Ms is None or head.get("source") != "exact":
        raise ParameterError("ramp", "this case", "an axial SI magnet whose exact barrier vanishes inside the "
                             "scanned currents (the ramp needs J_c0)")
    Jc = head["critical_current"]
    T = model.T_ref

    def barrier(J):
        try:
            return float(model.axial_landscape(J, T)["barrier_kT"])
        except ParameterError:
            return 0.0

    delta = barrier(0.0)
    lo, hi = 0.0, Jc  # last node: the barrier down to 0.05 kT
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if barrier(mid) > 0.05 else (lo, mid)
    J_end = lo

    def log_rates(n):
        u = 1 - (1 - np.linspace(0.0, 1.0, n)) ** 2  # dense near the end
        J = u * J_end
        return J, np.array([math.log(model.escape(float(j), T)["rate"]) for j in J])

    core = ramp_distributions(log_rates, 100, v, cfg["attempt_frequency_Hz"], name="ramp.rates")
    d_fit, slope = core["delta_fit"], core["slope"]
    return {"rates": v.tolist(), "rate_unit": f"{model.current_unit} per s", "T_K": T,
            "median_current": [a["median"] for a in core["per"]], "width_10_90": [a["width"] for a in core["per"]],
            "median_error_estimate": core["median_error_estimate"],
            "fit": {"model": "Gamma = f0 exp(-Delta (1 - J/J_c0)), b = 1, f0 fixed",
                    "attempt_frequency_Hz": cfg["attempt_frequency_Hz"], "delta_kT": d_fit,
                    "J_c0": d_fit / slope if slope > 0 else None, "residual_rms_ln_rate": core["residual"]},
            "exact": {"delta_kT": delta, "J_c0": Jc,
                      "definition": "exact barrier of U_d at J = 0 and the current where it vanishes"}}


def _plot_wer(wer: dict, ax) -> None:
    for J, row in zip(wer["current"], wer["wer"]):
        t = [p for p, w in zip(wer["pulse_ns"], row) if w is not None and w > 0]
        w = [w for w in row if w is not None and w > 0]
        ax.semilogy(t, w, "o-", label=f"J = {J:.3g}")
    ax.set_xlabel("pulse width [ns]")
    ax.set_ylabel("write error rate")
    ax.set_title(f"T = {wer['T_K']:g} K", fontsize=9)
    ax.legend(fontsize=7)


def _write_outputs(res, summary: dict, plots, folder: Path, t0: float) -> dict:
    """Write the figures ``(name, plot_fn)``, ``table.csv`` and ``summary.json`` (all atomic)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    for name, fn in plots:
        fig, ax = plt.subplots(figsize=(6, 4.2))
        fn(ax=ax)
        files.append(str(save_figure(fig, folder / name)))
        plt.close(fig)
    columns = res.table()
    files.append(str(write_csv(folder / "table.csv", columns, csv_header(columns, summary))))
    summary["files"] = files
    summary["seconds"] = time.perf_counter() - t0
    summary["fields"] = describe(summary)
    write_json(folder / "summary.json", summary)
    return summary
