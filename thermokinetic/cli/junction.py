"""Magnetization current across a junction between noncollinear magnets (seed 003).

Two limits of :mod:`thermokinetic.transport.junction`, against the angle Φ between the magnets
(m_L = e_z, m_R = (sin Φ, 0, cos Φ)):

* ``--limit tunnel`` (default): tunnel junction in linear response.  ``--G`` is the conductance
  (G_P + G_AP)/2 [S], ``--pL``/``--pR`` the densities-of-states polarizations (|P| < 1), ``--V``
  the bias [V] and ``--mus-L``/``--mus-R`` the spin accumulations μ↑ − μ↓ on each side, quantized
  along that side's magnetization [V].  Closed forms for μs = 0: J = G V (1 + pL pR cos Φ),
  J_M^L = G V (pL + pR cos Φ), J_M^R = G V (pR + pL cos Φ), torque on the right magnet G V pL sin Φ.
* ``--limit metallic``: no interface resistance, the two spin channels of each side in parallel;
  ``--sigmaL-up/--sigmaL-dn/--sigmaR-up/--sigmaR-dn`` are the channel conductances [S] and ``--V``
  the total voltage drop [V].  J_M = β J on each side, β = (σ↑ − σ↓)/(σ↑ + σ↓).

Currents are printed in A: J is the charge current, J_M^L and J_M^R are e (I↑ − I↓) along each
side's magnetization, and the deposited spin current J_M^L m_L − J_M^R m_R is split into the torque
on the right magnet (⊥ m_R; > 0 turns m_R towards m_L) and on the left magnet (⊥ m_L; > 0 turns
m_L towards m_R).  Multiply by ħ/2e = 3.291e-16 J/A for the torque in N m.  For collinear magnets
there is no torque; a deposit along the common axis is printed as "longitudinal".  With ``--area``
[m²], ``--A`` [J/m] and ``--K`` [J/m³] the rotation δθ0 = τ/(2 sqrt(A K)) of each magnet at the
junction (τ the torque per area) and its decay length sqrt(A/K) are printed too.

Example::

    thermokinetic junction --G 1e-3 --V 0.1 --pL 0.5 --pR 0.3 --phi 0,45,90,135,180 --json
"""
from __future__ import annotations

COMMAND = "junction"
HELP = "magnetization current and torques at a junction between noncollinear magnets (seed 003)"

_TUNNEL = ("G", "pL", "pR", "mus_L", "mus_R")
_METALLIC = ("sigmaL_up", "sigmaL_dn", "sigmaR_up", "sigmaR_dn")


def add_arguments(p):
    p.add_argument("--limit", choices=("tunnel", "metallic"), default="tunnel",
                   help="tunnel junction (default) or metallic parallel-circuit limit")
    p.add_argument("--phi", default="0,30,60,90,120,150,180",
                   help="angles between the magnetizations, comma-separated [deg] (default 0,30,...,180)")
    p.add_argument("--V", type=float, required=True,
                   help="bias (tunnel) or total voltage drop (metallic) [V]")
    t = p.add_argument_group("tunnel limit")
    t.add_argument("--G", type=float, default=None, help="conductance (G_P + G_AP)/2 [S] (> 0)")
    t.add_argument("--pL", type=float, default=None, help="polarization of the left magnet, in (-1, 1) (default 0)")
    t.add_argument("--pR", type=float, default=None, help="polarization of the right magnet, in (-1, 1) (default 0)")
    t.add_argument("--mus-L", dest="mus_L", type=float, default=None,
                   help="spin accumulation mu_up - mu_down on the left, along m_L [V] (default 0)")
    t.add_argument("--mus-R", dest="mus_R", type=float, default=None,
                   help="spin accumulation mu_up - mu_down on the right, along m_R [V] (default 0)")
    m = p.add_argument_group("metallic limit")
    for side in ("L", "R"):
        for s, word in (("up", "majority"), ("dn", "minority")):
            m.add_argument(f"--sigma{side}-{s}", dest=f"sigma{side}_{s}", type=float, default=None,
                           help=f"{word}-channel conductance of the {'left' if side == 'L' else 'right'} side [S] (> 0)")
    r = p.add_argument_group("rotation of the magnets at the junction (all three or none)")
    r.add_argument("--area", type=float, default=None, help="junction area [m^2] (> 0)")
    r.add_argument("--A", type=float, default=None, help="exchange stiffness of both magnets [J/m] (> 0)")
    r.add_argument("--K", type=float, default=None, help="uniaxial anisotropy of both magnets [J/m^3] (> 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _opt(dest: str) -> str:
    """The option spelling of an argparse ``dest`` (``mus_L`` → ``--mus-L``)."""
    return "--" + dest.replace("_", "-")


def _number(name, value, allowed, ok):
    """``float(value)`` when finite and ``ok``; otherwise a ParameterError naming the option and range."""
    import math

    from ..errors import ParameterError

    v = float(value)
    if not (math.isfinite(v) and ok(v)):
        raise ParameterError(name, value, allowed)
    return v


def _angles(text: str):
    from . import number_list

    return number_list("--phi", text, "comma-separated finite angles in degrees, e.g. 0,45,90")


def run(args) -> int:
    import json
    import math

    import numpy as np

    from ..errors import ParameterError
    from ..io import to_jsonable
    from ..transport.junction import parallel_circuit_currents, signed_torques, tunnel_currents
    from ..units import E_CHARGE, HBAR

    phis = _angles(args.phi)
    V = _number("--V", args.V, "a finite voltage [V]", lambda v: True)
    own, other = (_TUNNEL, _METALLIC) if args.limit == "tunnel" else (_METALLIC, _TUNNEL)
    for d in other:
        if getattr(args, d) is not None:
            raise ParameterError(_opt(d), getattr(args, d), f"omitted with --limit {args.limit}",
                                 f"it belongs to the {'metallic' if args.limit == 'tunnel' else 'tunnel'} limit")
    inputs = {"limit": args.limit, "V_V": V}
    if args.limit == "tunnel":
        if args.G is None:
            raise ParameterError("--G", None, "given with --limit tunnel (conductance (G_P + G_AP)/2 [S], > 0)")
        G = _number("--G", args.G, "a finite conductance > 0 [S]", lambda v: v > 0)
        pol = {}
        for d in ("pL", "pR"):
            val = 0.0 if getattr(args, d) is None else getattr(args, d)
            pol[d] = _number(f"--{d}", val, "a polarization in (-1, 1)", lambda v: -1 < v < 1)
        mus = {}
        for d in ("mus_L", "mus_R"):
            val = 0.0 if getattr(args, d) is None else getattr(args, d)
            mus[d] = _number(_opt(d), val, "a finite spin accumulation [V]", lambda v: True)
        inputs.update({"G_S": G, "pL": pol["pL"], "pR": pol["pR"], "mus_L_V": mus["mus_L"],
                       "mus_R_V": mus["mus_R"]})

        def solve(phi):
            # G = (G_P + G_AP)/2 = 2g; μ_σ = μ̄ + σ μs/2, bias on the left
            return tunnel_currents(phi, g=G / 2, PL=pol["pL"], PR=pol["pR"],
                                   muL=(V + mus["mus_L"] / 2, V - mus["mus_L"] / 2),
                                   muR=(mus["mus_R"] / 2, -mus["mus_R"] / 2))
    else:
        sig = {}
        for d in _METALLIC:
            if getattr(args, d) is None:
                raise ParameterError(_opt(d), None, "given with --limit metallic (channel conductance [S], > 0)")
            sig[d] = _number(_opt(d), getattr(args, d), "a finite conductance > 0 [S]", lambda v: v > 0)
        inputs.update({f"{d}_S": v for d, v in sig.items()})

        def solve(phi):
            return parallel_circuit_currents(phi, sigmaL=(sig["sigmaL_up"], sig["sigmaL_dn"]),
                                             sigmaR=(sig["sigmaR_up"], sig["sigmaR_dn"]), E=V)

    rot = [args.area, args.A, args.K]
    if any(x is not None for x in rot) and not all(x is not None for x in rot):
        missing = [n for n, x in zip(("--area", "--A", "--K"), rot) if x is None]
        raise ParameterError(missing[0], None, "given together with --area, --A and --K (or none of them)")
    if rot[0] is not None:
        area = _number("--area", args.area, "a finite area > 0 [m^2]", lambda v: v > 0)
        A = _number("--A", args.A, "a finite exchange stiffness > 0 [J/m]", lambda v: v > 0)
        K = _number("--K", args.K, "a finite anisotropy > 0 [J/m^3]", lambda v: v > 0)
        inputs.update({"area_m2": area, "A_J_per_m": A, "K_J_per_m3": K})

    to_Nm = HBAR / (2 * E_CHARGE)
    rows = []
    for deg in phis:
        phi = math.radians(deg)
        r = solve(phi)
        mL = np.array([0.0, 0.0, 1.0])
        tR, tL = signed_torques(r)  # > 0 turns each magnet towards the other one
        row = {"phi_deg": deg, "J_A": r.J, "JM_L_A": r.JM_L, "JM_R_A": r.JM_R,
               "delta_JM_A": r.JM_R - r.JM_L, "deposit_A": r.deposit, "abs_deposit_A": float(np.linalg.norm(r.deposit)),
               "torque_R_A": tR, "torque_L_A": tL, "torque_R_Nm": tR * to_Nm, "torque_L_Nm": tL * to_Nm,
               "torque_R_vec_A": r.torque_R, "torque_L_vec_A": r.torque_L,
               "longitudinal_A": float(r.longitudinal @ mL)}
        if rot[0] is not None:
            scale = to_Nm / area / (2 * math.sqrt(A * K))  # rad per A of torque
            for side, tau in (("R", tR), ("L", tL)):
                d0 = tau * scale
                if abs(d0) > 0.3:
                    raise ParameterError("--area", area, f"large enough that |dtheta0| <= 0.3 rad (got {d0:.3g} rad "
                                         f"for the {'right' if side == 'R' else 'left'} magnet at phi = {deg:g} deg)",
                                         "the linearized domain-wall model does not apply; or raise --A/--K, or lower --V")
                row[f"dtheta0_{side}_rad"] = d0
        rows.append(row)
    out = {"command": "junction", "inputs": inputs,
           "frame": "m_L = e_z, m_R = (sin phi, 0, cos phi); vectors are (x, y, z)",
           "units": {"currents": "A (charge current J; e (I_up - I_down) for spin currents and torques)",
                     "torque_Nm": f"N m (hbar/2e = {to_Nm:.6g} J/A times the torque in A)",
                     "torque_sign": "> 0 turns the magnet towards the other one",
                     "dtheta0": "rad, > 0 towards the other magnet", "rotation_width": "m"},
           "rows": rows}
    if rot[0] is not None:
        out["rotation_width_m"] = math.sqrt(A / K)
    if args.json:
        print(json.dumps(to_jsonable(out), indent=2, allow_nan=False))
        return 0
    if args.limit == "tunnel":
        print(f"junction, tunnel limit: G = {G:g} S, V = {V:g} V, pL = {pol['pL']:g}, pR = {pol['pR']:g}, "
              f"mus_L = {mus['mus_L']:g} V, mus_R = {mus['mus_R']:g} V")
    else:
        print(f"junction, metallic limit: V = {V:g} V, sigma_L = ({sig['sigmaL_up']:g}, {sig['sigmaL_dn']:g}) S, "
              f"sigma_R = ({sig['sigmaR_up']:g}, {sig['sigmaR_dn']:g}) S")
    print("currents in A (spin currents: e (I_up - I_down)); torques in A, x hbar/2e = "
          f"{to_Nm:.4g} J/A for N m; torque > 0 turns a magnet towards the other")
    head = f"{'phi[deg]':>9} {'J':>12} {'JM_L':>12} {'JM_R':>12} {'JM_R-JM_L':>12} {'torque_R':>12} {'torque_L':>12} {'longitud.':>12}"
    if rot[0] is not None:
        head += f" {'dth0_R[rad]':>12} {'dth0_L[rad]':>12}"
    print(head)
    for row in rows:
        line = (f"{row['phi_deg']:9.4g} {row['J_A']:12.5g} {row['JM_L_A']:12.5g} {row['JM_R_A']:12.5g} "
                f"{row['delta_JM_A']:12.5g} {row['torque_R_A']:12.5g} {row['torque_L_A']:12.5g} "
                f"{row['longitudinal_A']:12.5g}")
        if rot[0] is not None:
            line += f" {row['dtheta0_R_rad']:12.5g} {row['dtheta0_L_rad']:12.5g}"
        print(line)
    if rot[0] is not None:
        print(f"rotation decay length sqrt(A/K) = {out['rotation_width_m']:.6g} m")
    return 0
