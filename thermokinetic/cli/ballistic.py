"""Spin-transfer torque on a ballistic spin filter (seed 000 §III.3) from its t↑, t↓, r↑, r↓.

A beam of polarization ``--P`` along p hits a ferromagnetic layer of magnetization m at angle θ;
the layer transmits and reflects majority (up) and minority (dn) electrons with the complex
amplitudes ``--t-up``, ``--t-dn``, ``--r-up``, ``--r-dn`` (``|t|² + |r|² ≤ 1`` for each spin; less
than 1 means electrons absorbed in the layer).  With ``c = t↑t↓* + r↑r↓*`` the torque per incoming
particle, in units of ħ/2, is

    in-plane (damping-like, towards p):    η_DL sin θ,  η_DL = P (1 − Re c),
    out-of-plane (field-like, along m × p): η_FL sin θ,  η_FL = P Im c

(:mod:`thermokinetic.transport.ballistic`).  Printed per angle: these two components, the
longitudinal spin deposited along m (absorption only; not a torque), and the transmitted and
reflected particle fractions.  With ``--j`` (incoming current density [A/m²]) the torques are also
given per unit area [J/m²]: (ħ/2e) j η sin θ.

Complex numbers are written as Python does (``0.9+0.1j``; ``i`` is accepted for ``j``).  A value
starting with a minus sign and ending in j must be attached with ``=``: ``--t-dn=-0.5j``.

Example::

    thermokinetic ballistic --t-up 0.9+0.1j --t-dn 0.2 --r-up 0.1 --r-dn=-0.5j --theta 30,90 --json
"""
from __future__ import annotations

COMMAND = "ballistic"
HELP = "torque on a ballistic spin filter from its transmission and reflection amplitudes (seed 000)"

_AMPS = (("t_up", "--t-up"), ("t_dn", "--t-dn"), ("r_up", "--r-up"), ("r_dn", "--r-dn"))


def add_arguments(p):
    for dest, opt in _AMPS:
        spin = "majority" if dest.endswith("up") else "minority"
        kind = "transmission" if dest.startswith("t") else "reflection"
        p.add_argument(opt, dest=dest, required=True, metavar="Z",
                       help=f"{spin}-spin {kind} amplitude, a complex number such as 0.9+0.1j")
    p.add_argument("--P", type=float, default=1.0, help="polarization of the incoming beam along p, in [0, 1] (default 1)")
    p.add_argument("--theta", default="0,30,60,90,120,150,180",
                   help="angles between m and p, comma-separated [deg] (default 0,30,...,180)")
    p.add_argument("--j", type=float, default=None,
                   help="incoming charge-current density [A/m^2]: also print the torques per area [J/m^2]")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _complex(opt: str, text: str) -> complex:
    import math

    from ..errors import ParameterError

    allowed = f"a finite complex number such as 0.9+0.1j (a negative one attached with '=': {opt}=-0.5j)"
    s = str(text).strip().replace(" ", "")
    if s.lower() not in ("nan", "inf", "-inf", "+inf"):
        s = s.replace("i", "j").replace("I", "j")
    try:
        z = complex(s)
    except ValueError:
        raise ParameterError(opt, text, allowed) from None
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise ParameterError(opt, text, allowed)
    if abs(z) > 1 + 1e-12:  # (|z|**2 of 1e308 overflowed: found by the property test)
        raise ParameterError(opt, text, "an amplitude of modulus <= 1 (|t|^2 + |r|^2 <= 1 for each spin)")
    return z


def _angles(text: str):
    from . import number_list

    return number_list("--theta", text, "comma-separated finite angles in degrees, e.g. 0,45,90")


def run(args) -> int:
    import json
    import math

    import numpy as np

    from ..errors import ParameterError
    from ..io import to_jsonable
    from ..transport.ballistic import ballistic_torque, spin_current_unit
    from ..units import E_CHARGE, HBAR

    amp = {dest: _complex(opt, getattr(args, dest)) for dest, opt in _AMPS}
    for s in ("up", "dn"):
        w = abs(amp[f"t_{s}"]) ** 2 + abs(amp[f"r_{s}"]) ** 2
        if w > 1 + 1e-12:
            raise ParameterError(f"--t-{s}/--r-{s}", f"|t|^2 + |r|^2 = {w:.6g}", "<= 1",
                                 "the transmitted and reflected fluxes of one spin cannot exceed the incoming flux")
    P = float(args.P)
    if not (math.isfinite(P) and 0 <= P <= 1):
        raise ParameterError("--P", args.P, "a polarization in [0, 1]")
    jcur = None
    if args.j is not None:
        jcur = float(args.j)
        if not math.isfinite(jcur):
            raise ParameterError("--j", args.j, "a finite current density [A/m^2]")
    degs = _angles(args.theta)

    th = np.radians(degs)
    m = np.stack([np.sin(th), np.zeros_like(th), np.cos(th)], axis=-1)
    res = ballistic_torque(m, amp["t_up"], amp["t_dn"], amp["r_up"], amp["r_dn"], p=(0.0, 0.0, 1.0),
                           polarization=P)
    N0 = spin_current_unit()  # S J_0 with the module's reduced units: ħ/2 per incoming particle
    c = amp["t_up"] * amp["t_dn"].conjugate() + amp["r_up"] * amp["r_dn"].conjugate()
    rows = []
    for k, deg in enumerate(degs):
        row = {"theta_deg": deg, "in_plane": float(res.in_plane[k] / N0),
               "out_of_plane": float(res.out_of_plane[k] / N0),
               "longitudinal": float(res.longitudinal[k] / N0),
               "transmission": float(res.transmission[k]), "reflection": float(res.reflection[k])}
        if jcur is not None:
            f = HBAR / (2 * E_CHARGE) * jcur
            row["in_plane_J_per_m2"] = row["in_plane"] * f
            row["out_of_plane_J_per_m2"] = row["out_of_plane"] * f
        rows.append(row)
    out = {"command": "ballistic",
           "inputs": {"t_up": [amp["t_up"].real, amp["t_up"].imag], "t_dn": [amp["t_dn"].real, amp["t_dn"].imag],
                      "r_up": [amp["r_up"].real, amp["r_up"].imag], "r_dn": [amp["r_dn"].real, amp["r_dn"].imag],
                      "P": P, "j_A_per_m2": jcur},
           "c": [c.real, c.imag], "eta_damping_like": res.eta_damping_like, "eta_field_like": res.eta_field_like,
           "units": {"in_plane, out_of_plane, longitudinal": "hbar/2 per incoming particle",
                     "transmission, reflection": "particles per incoming particle",
                     "*_J_per_m2": "J/m^2 (torque per unit area, (hbar/2e) j eta sin(theta))",
                     "complex numbers": "[real, imag]"},
           "rows": rows}
    if args.json:
        print(json.dumps(to_jsonable(out), indent=2, allow_nan=False))
        return 0
    print(f"ballistic spin filter: t_up = {amp['t_up']:g}, t_dn = {amp['t_dn']:g}, r_up = {amp['r_up']:g}, "
          f"r_dn = {amp['r_dn']:g}, P = {P:g}")
    print(f"  c = t_up t_dn* + r_up r_dn* = {c:.6g}")
    print(f"  eta_DL = P (1 - Re c) = {res.eta_damping_like:.10g}    eta_FL = P Im c = {res.eta_field_like:.10g}")
    print("torques per incoming particle in units of hbar/2" + ("; per area in J/m^2" if jcur is not None else ""))
    head = f"{'theta[deg]':>10} {'in-plane':>12} {'out-of-plane':>13} {'longitudinal':>13} {'transmitted':>12} {'reflected':>12}"
    if jcur is not None:
        head += f" {'in-pl[J/m2]':>12} {'out-pl[J/m2]':>12}"
    print(head)
    for r in rows:
        line = (f"{r['theta_deg']:10.4g} {r['in_plane']:12.6g} {r['out_of_plane']:13.6g} {r['longitudinal']:13.6g} "
                f"{r['transmission']:12.6g} {r['reflection']:12.6g}")
        if jcur is not None:
            line += f" {r['in_plane_J_per_m2']:12.6g} {r['out_of_plane_J_per_m2']:12.6g}"
        print(line)
    return 0
