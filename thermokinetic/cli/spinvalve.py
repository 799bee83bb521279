"""Noncollinear N/F1/N/F2/N spin valve of seed 004 in its reduced units (e = j0 = 1, G = D/2l).

Prints the signed spin accumulations μ1 = μs·m1 (F1/N interface) and μ2 = μs·m2 (N/F2 interface),
the efficiency factors g1, g2 of seed 004 Eq. 1, the spin-current jumps (torques in units of
ħ j0/2, with m1 = e_z and m2 = (sin θ, 0, cos θ)) and the extra resistance
δr = (p1 μ1 − p2 μ2)/2.  Omitted F thicknesses mean d ≫ l; a given thickness needs its l.

Example::

    thermokinetic spinvalve --p1 0.1 --p2 0.9 --G1 1 --G2 1 --GN 4 --dN 0.5 --lN 1 --theta 30 --json
"""
from __future__ import annotations

COMMAND = "spinvalve"
HELP = "noncollinear N/F/N/F/N spin valve of seed 004 (reduced units)"


def add_arguments(p):
    for name, txt in [("--p1", "spin polarization of F1, |p| < 1"), ("--p2", "spin polarization of F2, |p| < 1"),
                      ("--G1", "spin conductance D/2l of F1 (> 0)"), ("--G2", "spin conductance D/2l of F2 (> 0)"),
                      ("--GN", "spin conductance of the N spacer (> 0)"), ("--dN", "spacer thickness (> 0)"),
                      ("--lN", "spacer spin-diffusion length (> 0)"),
                      ("--theta", "angle between m1 and m2 in degrees")]:
        p.add_argument(name, type=float, required=True, help=txt)
    for name, txt in [("--d1", "F1 thickness (omit: d1 >> l1)"), ("--l1", "F1 spin-diffusion length"),
                      ("--d2", "F2 thickness (omit: d2 >> l2)"), ("--l2", "F2 spin-diffusion length")]:
        p.add_argument(name, type=float, default=None, help=txt)
    p.add_argument("--json", action="store_true", help="print the results as JSON")


def run(args) -> int:
    import json
    import math

    from ..errors import check_finite
    from ..io import to_jsonable
    from ..transport.noncollinear import spin_valve

    theta_deg = check_finite("--theta", args.theta)
    res = spin_valve(p1=args.p1, p2=args.p2, G1=args.G1, G2=args.G2, GN=args.GN, dN=args.dN,
                     lN=args.lN, theta=math.radians(theta_deg), d1=args.d1, l1=args.l1, d2=args.d2,
                     l2=args.l2)
    out = {
        "theta_deg": theta_deg,
        "mu1": res.mu1,
        "mu2": res.mu2,
        "g1": res.g1,
        "g2": res.g2,
        "delta_r": res.delta_r,
        "jump1": res.jump1,
        "jump2": res.jump2,
    }
    if args.json:
        print(json.dumps(to_jsonable(out), indent=2, allow_nan=False))
    else:
        print(f"spin valve at theta = {theta_deg:g} deg (reduced units of seed 004, j0 = 1)")
        for k in ("mu1", "mu2", "g1", "g2", "delta_r"):
            print(f"  {k:8s} = {out[k]: .10g}")
        for k in ("jump1", "jump2"):
            v = out[k]
            print(f"  {k:8s} = ({v[0]: .6g}, {v[1]: .6g}, {v[2]: .6g})")
    return 0
