"""Nonlocal (lateral) spin valve (seed 000 §IV.2): ΔR_nl against the injector–detector distance L,
or λ_sf and P fitted to measured ΔR_nl(L).

Device mode: a normal-metal channel (``--sigma-N`` [S/m], ``--lambda-N`` [nm], cross-section
``--width`` × ``--thickness`` [nm] or ``--area`` [nm²]) with two ferromagnetic contacts of interface
polarization ``--P`` and resistance ``--Rc`` [Ω] (the detector's may differ: ``--P-det``,
``--Rc-det``).  The injector sits at ``--x-inj`` [nm] (default 0), drives its current out through
the left end of the channel, and the detector sits at ``--x-inj`` + L.  Channel ends are at
``--x-left``/``--x-right`` [nm] (default: infinite), each an ideal spin sink or a reflecting end
(``--left-end``/``--right-end``).  ``--sigma-F --lambda-F --p-F --area-F`` put a semi-infinite F wire
behind each contact (default: perfect F reservoirs).  For each L the exact spin-diffusion network
(:func:`thermokinetic.transport.nonlocal_valve.solve_nonlocal`) gives R_nl in the parallel and
antiparallel states and ΔR_nl = R_P − R_AP [Ω], printed next to the notes' tunnel formula
P_inj P_det R_N e^{−L/λ} and, for an infinite channel, the Takahashi–Maekawa closed form.

Fit mode: ``--fit FILE.csv`` reads rows ``L [nm], ΔR_nl [Ω][, 1σ error of ΔR_nl [Ω]]`` (header
and ``#`` lines skipped) and fits ΔR = ΔR0 e^{−L/λ} (:func:`~thermokinetic.transport.nonlocal_valve.fit_nonlocal`):
λ_sf and ΔR0 with 1σ errors, and P = sqrt(ΔR0 σ_N A/λ) when ``--sigma-N`` and the cross-section are
given.  Without an error column the errors are scaled by the residuals.

Examples::

    thermokinetic nonlocal --sigma-N 3.6e7 --lambda-N 650 --width 250 --thickness 50 --Rc 3000 --P 0.1 --L 250,500,1000,2000
    thermokinetic nonlocal --fit deltaR.csv --sigma-N 3.6e7 --width 250 --thickness 50 --json
"""
from __future__ import annotations

COMMAND = "nonlocal"
HELP = "nonlocal spin valve: Delta R_nl vs injector-detector distance, or lambda_sf and P fitted to data (seed 000)"

NM = 1e-9
_DEVICE_ONLY = ("lambda_N", "Rc", "P", "Rc_det", "P_det", "L", "x_inj", "x_left", "x_right",
                "sigma_F", "lambda_F", "p_F", "area_F")
_F_OPTS = ("sigma_F", "lambda_F", "p_F", "area_F")


def add_arguments(p):
    c = p.add_argument_group("channel")
    c.add_argument("--sigma-N", dest="sigma_N", type=float, default=None, help="conductivity [S/m] (> 0)")
    c.add_argument("--lambda-N", dest="lambda_N", type=float, default=None, help="spin-diffusion length [nm] (> 0)")
    c.add_argument("--width", type=float, default=None, help="channel width [nm] (> 0; with --thickness)")
    c.add_argument("--thickness", type=float, default=None, help="channel thickness [nm] (> 0; with --width)")
    c.add_argument("--area", type=float, default=None, help="cross-section [nm^2] (> 0; instead of --width/--thickness)")
    c.add_argument("--x-left", dest="x_left", type=float, default=None, help="left end [nm] (default: infinite)")
    c.add_argument("--x-right", dest="x_right", type=float, default=None, help="right end [nm] (default: infinite)")
    c.add_argument("--left-end", dest="left_end", choices=("sink", "reflect"), default="sink",
                   help="finite left end: ideal spin sink (default) or reflecting")
    c.add_argument("--right-end", dest="right_end", choices=("sink", "reflect"), default="sink",
                   help="finite right end: ideal spin sink (default) or reflecting")
    k = p.add_argument_group("contacts")
    k.add_argument("--Rc", type=float, default=None, help="contact resistance [Ohm] (> 0)")
    k.add_argument("--P", type=float, default=None, help="interface polarization, in (-1, 1)")
    k.add_argument("--Rc-det", dest="Rc_det", type=float, default=None, help="detector's contact resistance [Ohm] (default --Rc)")
    k.add_argument("--P-det", dest="P_det", type=float, default=None, help="detector's polarization (default --P)")
    k.add_argument("--L", default=None, help="injector-detector distances, comma-separated [nm] (> 0)")
    k.add_argument("--x-inj", dest="x_inj", type=float, default=None, help="injector position [nm] (default 0)")
    f = p.add_argument_group("F electrodes behind the contacts (all four or none)")
    f.add_argument("--sigma-F", dest="sigma_F", type=float, default=None, help="F conductivity [S/m] (> 0)")
    f.add_argument("--lambda-F", dest="lambda_F", type=float, default=None, help="F spin-diffusion length [nm] (> 0)")
    f.add_argument("--p-F", dest="p_F", type=float, default=None, help="F bulk current polarization, in (-1, 1)")
    f.add_argument("--area-F", dest="area_F", type=float, default=None, help="F junction area [nm^2] (> 0)")
    p.add_argument("--fit", metavar="FILE.csv", default=None,
                   help="fit lambda_sf (and P) to rows 'L [nm], dR [Ohm][, error [Ohm]]' instead")
    p.add_argument("--json", action="store_true", help="print one JSON object (SI units, unit in each key)")


def _opt(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _number(name, value, allowed, ok=lambda v: True):
    import math

    from ..errors import ParameterError

    v = float(value)
    if not (math.isfinite(v) and ok(v)):
        raise ParameterError(name, value, allowed)
    return v


def _positive(dest, value, unit):
    return _number(_opt(dest), value, f"a finite number > 0 [{unit}]", lambda v: v > 0)


def _polarization(name, value):
    return _number(name, value, "a polarization in (-1, 1)", lambda v: -1 < v < 1)


def _area(args, required: bool):
    """Cross-section [m²] from --area or --width × --thickness (None when absent and not required)."""
    from ..errors import ParameterError

    if args.area is not None:
        if args.width is not None or args.thickness is not None:
            raise ParameterError("--area", args.area, "given without --width/--thickness (it replaces them)")
        return _positive("area", args.area, "nm^2") * NM * NM
    if args.width is None and args.thickness is None:
        if required:
            raise ParameterError("--area", None, "given, or --width and --thickness [nm]")
        return None
    if args.width is None or args.thickness is None:
        missing = "--width" if args.width is None else "--thickness"
        raise ParameterError(missing, None, "given together with --width and --thickness [nm]")
    return _positive("width", args.width, "nm") * _positive("thickness", args.thickness, "nm") * NM * NM


def _lengths(text):
    import math

    from ..errors import ParameterError

    allowed = "comma-separated distances > 0 [nm], e.g. 250,500,1000"
    if text is None:
        raise ParameterError("--L", None, allowed)
    try:
        vals = [float(t) for t in str(text).split(",") if t.strip()]
    except ValueError:
        raise ParameterError("--L", text, allowed) from None
    if not vals or not all(math.isfinite(v) and v > 0 for v in vals):
        raise ParameterError("--L", text, allowed)
    return vals


def _read_csv(path):
    import math
    from pathlib import Path

    from ..errors import ParameterError

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"--fit: file not found: {path}")
    rows = []
    allowed = "rows of 2 or 3 finite numbers: L [nm] > 0, dR [Ohm], optional 1-sigma error [Ohm] > 0"
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = [t.strip() for t in s.replace(";", ",").split(",")]
        try:
            vals = [float(t) for t in parts if t]
        except ValueError:
            if not rows:  # a header line before the data
                continue
            raise ParameterError("--fit", f"{path}:{n}", allowed) from None
        if len(vals) not in (2, 3) or not all(math.isfinite(v) for v in vals) or vals[0] <= 0 \
                or (len(vals) == 3 and vals[2] <= 0):
            raise ParameterError("--fit", f"{path}:{n}", allowed)
        rows.append(vals)
    if len(rows) < 3:
        raise ParameterError("--fit", str(path), "at least 3 data rows (two parameters are fitted)")
    if len({len(r) for r in rows}) != 1:
        raise ParameterError("--fit", str(path), "the same number of columns (2 or 3) on every row")
    return rows


def _run_fit(args):
    import numpy as np

    from ..errors import ParameterError
    from ..transport.nonlocal_valve import fit_nonlocal

    for d in _DEVICE_ONLY:
        if getattr(args, d) is not None:
            raise ParameterError(_opt(d), getattr(args, d), "omitted with --fit (device mode only)")
    rows = np.array(_read_csv(args.fit))
    sN = _positive("sigma_N", args.sigma_N, "S/m") if args.sigma_N is not None else None
    A = _area(args, required=False)
    if (sN is None) != (A is None):
        raise ParameterError("--sigma-N" if sN is None else "--area", None,
                             "given too (P needs the conductivity and the cross-section)")
    L = rows[:, 0] * NM
    err = rows[:, 2] if rows.shape[1] == 3 else None
    try:
        fit = fit_nonlocal(L, rows[:, 1], err, sigma_N=sN, area=A)
    except ParameterError as exc:
        raise ParameterError("--fit", str(args.fit), exc.allowed, f"{exc.name}: {exc.hint}" if exc.hint else exc.name) from None
    return {"command": "nonlocal", "mode": "fit", "file": str(args.fit), "points": int(len(L)),
            "lambda_N_m": fit.lambda_N, "lambda_N_err_m": fit.lambda_N_err,
            "delta_R0_ohm": fit.prefactor, "delta_R0_err_ohm": fit.prefactor_err,
            "P": fit.P, "P_err": fit.P_err, "chi2": fit.chi2, "dof": fit.dof,
            "errors_from": "the file's error column" if fit.absolute_sigma else "the residuals (chi2/dof scaling)",
            "sigma_N_S_per_m": sN, "area_m2": A}


def _run_device(args):
    import math

    from ..errors import ParameterError
    from ..transport.nonlocal_valve import (Channel, Contact, FElectrode, lateral_valve, solve_nonlocal,
                                            takahashi_maekawa_delta_R)

    for d, unit in (("sigma_N", "S/m"), ("lambda_N", "nm"), ("Rc", "Ohm")):
        if getattr(args, d) is None:
            raise ParameterError(_opt(d), None, f"given (a finite number > 0 [{unit}])")
    sN = _positive("sigma_N", args.sigma_N, "S/m")
    lam = _positive("lambda_N", args.lambda_N, "nm") * NM
    A = _area(args, required=True)
    Rc = _positive("Rc", args.Rc, "Ohm")
    if args.P is None:
        raise ParameterError("--P", None, "given (a polarization in (-1, 1))")
    P = _polarization("--P", args.P)
    Rc_det = Rc if args.Rc_det is None else _positive("Rc_det", args.Rc_det, "Ohm")
    P_det = P if args.P_det is None else _polarization("--P-det", args.P_det)
    Ls = _lengths(args.L)
    x0 = 0.0 if args.x_inj is None else _number("--x-inj", args.x_inj, "a finite position [nm]")
    xl = -math.inf if args.x_left is None else _number("--x-left", args.x_left, "a finite position [nm]")
    xr = math.inf if args.x_right is None else _number("--x-right", args.x_right, "a finite position [nm]")
    if not xl < xr:
        raise ParameterError("--x-right", args.x_right, f"> --x-left = {xl:g} nm")
    if not xl < x0 < xr:
        raise ParameterError("--x-inj", x0, f"strictly inside the channel ({xl:g}, {xr:g}) nm")
    for L in Ls:
        if not x0 + L < xr:
            raise ParameterError("--L", args.L, f"< (--x-right) - (--x-inj) = {xr - x0:g} nm for every distance",
                                 f"the detector at {x0 + L:g} nm would lie outside the channel")
    given = [getattr(args, d) is not None for d in _F_OPTS]
    electrode = None
    if any(given):
        if not all(given):
            raise ParameterError(_opt(_F_OPTS[given.index(False)]), None,
                                 "given together with --sigma-F, --lambda-F, --p-F and --area-F (or none)")
        electrode = FElectrode(sigma_F=_positive("sigma_F", args.sigma_F, "S/m"),
                               lambda_F=_positive("lambda_F", args.lambda_F, "nm") * NM,
                               p_F=_polarization("--p-F", args.p_F),
                               area=_positive("area_F", args.area_F, "nm^2") * NM * NM)
    ch = Channel(sigma_N=sN, lambda_N=lam, area=A, x_left=xl * NM, x_right=xr * NM,
                 left_end=args.left_end, right_end=args.right_end, drain="left")
    inj = Contact(x=0.0, R_c=Rc, P_c=P, electrode=electrode)
    det = Contact(x=0.0, R_c=Rc_det, P_c=P_det, electrode=electrode)
    I = 1e-4  # the network is linear: R_nl does not depend on the current
    infinite = math.isinf(xl) and math.isinf(xr)
    rows = []
    for L in Ls:
        cs = lateral_valve(L * NM, inj, det, I, x_injector=x0 * NM)
        RP = solve_nonlocal(ch, cs).R_nl(1, 0)
        RAP = solve_nonlocal(ch, [cs[0], cs[1].flipped()]).R_nl(1, 0)
        tunnel = P * P_det * ch.R_N * math.exp(-L * NM / lam)
        row = {"L_m": L * NM, "R_nl_P_ohm": RP, "R_nl_AP_ohm": RAP, "delta_R_nl_ohm": RP - RAP,
               "tunnel_formula_ohm": tunnel}
        if infinite:
            RF = 0.0 if electrode is None else electrode.R_F
            pF = 0.0 if electrode is None else electrode.p_F
            row["takahashi_maekawa_ohm"] = float(takahashi_maekawa_delta_R(
                L * NM, lam, sN, A, (Rc, Rc_det), (P, P_det), RF, pF))
        rows.append(row)
    return {"command": "nonlocal", "mode": "device",
            "inputs": {"sigma_N_S_per_m": sN, "lambda_N_m": lam, "area_m2": A, "Rc_ohm": Rc, "P": P,
                       "Rc_det_ohm": Rc_det, "P_det": P_det, "x_inj_m": x0 * NM,
                       "x_left_m": None if math.isinf(xl) else xl * NM,
                       "x_right_m": None if math.isinf(xr) else xr * NM,
                       "left_end": args.left_end, "right_end": args.right_end,
                       "F_electrode": None if electrode is None else {
                           "sigma_F_S_per_m": electrode.sigma_F, "lambda_F_m": electrode.lambda_F,
                           "p_F": electrode.p_F, "area_F_m2": electrode.area, "R_F_ohm": electrode.R_F}},
            "R_N_ohm": ch.R_N, "Rc_over_R_N": Rc / ch.R_N, "rows": rows}


def run(args) -> int:
    import json

    from ..io import to_jsonable

    out = _run_fit(args) if args.fit is not None else _run_device(args)
    if args.json:
        print(json.dumps(to_jsonable(out), indent=2, allow_nan=False))
        return 0
    if out["mode"] == "fit":
        print(f"fit of Delta R_nl = Delta R0 exp(-L/lambda) to {out['points']} points of {out['file']} "
              f"(1-sigma errors from {out['errors_from']})")
        print(f"  lambda_sf = {out['lambda_N_m'] / NM:.6g} +- {out['lambda_N_err_m'] / NM:.3g} nm")
        print(f"  Delta R0  = {out['delta_R0_ohm']:.6g} +- {out['delta_R0_err_ohm']:.3g} Ohm")
        if out["P"] is not None:
            print(f"  P         = {out['P']:.6g} +- {out['P_err']:.3g}")
        else:
            print("  P         : give --sigma-N and the cross-section (--width/--thickness or --area)")
        print(f"  chi2/dof  = {out['chi2']:.4g}/{out['dof']}")
        return 0
    inp = out["inputs"]
    print(f"nonlocal spin valve: sigma_N = {inp['sigma_N_S_per_m']:g} S/m, lambda_N = {inp['lambda_N_m'] / NM:g} nm, "
          f"A = {inp['area_m2'] / NM / NM:g} nm^2, R_N = {out['R_N_ohm']:.6g} Ohm")
    print(f"  contacts: Rc = {inp['Rc_ohm']:g} / {inp['Rc_det_ohm']:g} Ohm, P = {inp['P']:g} / {inp['P_det']:g} "
          f"(injector / detector), Rc/R_N = {out['Rc_over_R_N']:.4g}")
    tm = "takahashi_maekawa_ohm" in out["rows"][0]
    head = f"{'L[nm]':>10} {'R_nl(P)[Ohm]':>14} {'R_nl(AP)[Ohm]':>14} {'dR_nl[Ohm]':>13} {'tunnel[Ohm]':>13}"
    if tm:
        head += f" {'T-M[Ohm]':>13}"
    print(head)
    for r in out["rows"]:
        line = (f"{r['L_m'] / NM:10.5g} {r['R_nl_P_ohm']:14.6g} {r['R_nl_AP_ohm']:14.6g} "
                f"{r['delta_R_nl_ohm']:13.6g} {r['tunnel_formula_ohm']:13.6g}")
        if tm:
            line += f" {r['takahashi_maekawa_ohm']:13.6g}"
        print(line)
    print("dR_nl = R_P - R_AP (exact network); tunnel: P_inj P_det R_N exp(-L/lambda)"
          + ("; T-M: Takahashi-Maekawa closed form" if tm else ""))
    return 0
