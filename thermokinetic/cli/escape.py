"""Escape rates and λ₁ of a Stoner–Wohlfarth particle by finite volumes on the sphere.

Reduced input (energies in kT, times in τ_N):

    thermokinetic escape --sigma 20 --h 0.3 --psi 45 --alpha 0.1 --level 5 --richardson

SI input (the reduced parameters used are printed):

    thermokinetic escape --Ms 1.4e6 --K 4.5e5 --volume 2e-25 --T 300 --H 2e4 --alpha 0.02

Spin transfer: --chi-cos C adds χ(u) = C·u_z, --phi-cos C adds Φ(u) = C·u_z (kT), seed 002 Eq. 24.
"""
from __future__ import annotations

COMMAND = "escape"
HELP = "lambda_1 and escape rates out of each well (Fokker-Planck on the sphere)"


def add_arguments(p):
    g = p.add_argument_group("reduced parameters")
    g.add_argument("--sigma", type=float, help="barrier parameter K v / kT (>= 0)")
    g.add_argument("--h", type=float, default=None, help="reduced field H/H_K (default 0)")
    g.add_argument("--psi", type=float, default=0.0, help="field angle from the easy axis [deg]")
    g.add_argument("--alpha", type=float, default=1.0, help="Gilbert damping (> 0, default 1)")
    s = p.add_argument_group("SI parameters (instead of --sigma/--h)")
    s.add_argument("--Ms", type=float, help="saturation magnetization [A/m]")
    s.add_argument("--K", type=float, help="uniaxial anisotropy constant [J/m^3]")
    s.add_argument("--volume", type=float, help="volume [m^3]")
    s.add_argument("--T", type=float, help="temperature [K]")
    s.add_argument("--H", type=float, default=None, help="applied field [A/m]")
    n = p.add_argument_group("numerics")
    n.add_argument("--mesh", default="geodesic", help="geodesic (default) or latlong")
    lv = n.add_mutually_exclusive_group()
    lv.add_argument("--level", type=int, help="geodesic level (10*4^L+2 cells; default 5)")
    lv.add_argument("--cells", type=int, help="target number of cells")
    n.add_argument("--richardson", action="store_true", help="extrapolate with one level coarser")
    t = p.add_argument_group("spin transfer")
    t.add_argument("--chi-cos", type=float, default=0.0, help="chi(u) = C u_z [kT]")
    t.add_argument("--phi-cos", type=float, default=0.0, help="Phi(u) = C u_z [kT]")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args) -> int:
    import json

    from ..errors import ParameterError
    from ..fokker_planck.api import compute_escape
    from ..io import to_jsonable
    from ..units import reduced_from_si

    si = [args.Ms, args.K, args.volume, args.T]
    reduced_info = None
    if any(v is not None for v in si) or args.H is not None:
        if args.sigma is not None or args.h is not None:
            raise ParameterError("--sigma/--h", "given with SI input", "omitted when --Ms/--K/--volume/--T are used")
        missing = [n for n, v in zip(["--Ms", "--K", "--volume", "--T"], si) if v is None]
        if missing:
            raise ParameterError(missing[0], None, "given (SI input needs --Ms, --K, --volume and --T)")
        red = reduced_from_si(Ms=args.Ms, K=args.K, volume=args.volume, T=args.T,
                              H=args.H or 0.0, alpha=args.alpha)
        sigma, h = red.sigma, red.h
        reduced_info = {"sigma": red.sigma, "h": red.h, "alpha": red.alpha, "tau_N_s": red.tau_N,
                        "H_K_A_per_m": red.H_K}
    else:
        if args.sigma is None:
            raise ParameterError("--sigma", None, "given (or SI input --Ms --K --volume --T)")
        sigma, h = args.sigma, (args.h if args.h is not None else 0.0)
    res = compute_escape(sigma=sigma, h=h, psi=args.psi, alpha=args.alpha, mesh=args.mesh,
                         level=args.level, cells=args.cells, richardson=args.richardson,
                         chi_cos=args.chi_cos, phi_cos=args.phi_cos)
    if reduced_info is not None:
        res["reduced_parameters"] = reduced_info
        res["lambda1_per_s"] = res["lambda1_tauN"] / reduced_info["tau_N_s"]
    if args.json:
        print(json.dumps(to_jsonable(res), allow_nan=False))
        return 0
    if reduced_info is not None:
        print("reduced parameters: sigma = {sigma:.6g}, h = {h:.6g}, alpha = {alpha:.4g}, "
              "tau_N = {tau_N_s:.4e} s, H_K = {H_K_A_per_m:.4e} A/m".format(**reduced_info))
    print(f"sigma = {res['sigma']:g}, h = {res['h']:g}, psi = {res['psi_deg']:g} deg, alpha = {res['alpha']:g}"
          + (f", chi_cos = {res['chi_cos']:g}" if res["chi_cos"] else "")
          + (f", phi_cos = {res['phi_cos']:g}" if res["phi_cos"] else ""))
    print(f"mesh: {res['mesh']}, {res['cells']} cells" + (" (+ Richardson with the coarser level)" if res["richardson"] else ""))
    err = res.get("error_estimate")
    print(f"lambda_1 = {res['lambda1_tauN']:.10e} / tau_N" + (f"   (relative error estimate {err:.1e})" if err is not None else ""))
    for w in res["escape_rates_tauN"]:
        d = ", ".join(f"{c:+.4f}" for c in w["direction"])
        line = f"  escape rate out of the well at u = ({d}): {w['rate']:.6e} / tau_N"
        if reduced_info is not None:
            line += f" = {w['rate'] / reduced_info['tau_N_s']:.4e} / s"
        print(line)
    print(f"method: {res['method']} (validity check {'passed' if res['valid'] else 'FAILED'}), {res['seconds']:.2f} s")
    return 0
