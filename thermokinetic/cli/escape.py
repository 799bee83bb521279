"""λ₁ and the escape rate out of each well, to a stated accuracy (Fokker–Planck on the sphere).

Reduced input (energies in kT, times in τ_N); the mesh is refined until every reported number has
a relative error estimate ≤ --rtol (default 1e-4):

    thermokinetic escape --sigma 20 --h 0.3 --psi 45 --alpha 0.1 --rtol 1e-6

A thin film (easy axis e_z, film normal e_x): U = -sigma u_z^2 + sigma_p u_x^2 - 2 sigma h (u.e_H):

    thermokinetic escape --sigma 10 --sigma-p 25 --alpha 0.3 --rtol 1e-6

SI input (the reduced parameters used are printed); --demag NX NY NZ adds the shape anisotropy
mu0 Ms^2 v (NX ux^2 + NY uy^2 + NZ uz^2)/2, and --prism LX LY LZ [m] gives both the volume and the
demagnetizing factors of a rectangular free layer (LX its thickness along the film normal):

    thermokinetic escape --Ms 1.4e6 --K 4.5e5 --volume 2e-25 --T 300 --H 2e4 --alpha 0.02
    thermokinetic escape --Ms 3e5 --K 1e4 --prism 3e-9 20e-9 40e-9 --T 300 --alpha 0.3

Spin transfer: --chi-cos C adds chi(u) = C u_z, --phi-cos C adds Phi(u) = C u_z (kT), seed 002 Eq. 24.

Methods (--method auto picks one and prints why): the exact free-rotation answer (sigma = 0), the
exact 1D reduction for axially symmetric bistable problems, the energy-diffusion limit at very low
damping, finite volumes on the orbit-aligned mesh (faces on level sets and gradient lines of U: thin
films at low damping), the turnover formula where neither mesh applies, or finite volumes on the
geodesic mesh.
--level/--cells fix the mesh instead (experts; the two coarser meshes give the error estimate).

Exit status: 0 when every number meets its checks (and --rtol), 3 when the values are printed but
the accuracy target was not reached within --max-cells or a check failed (the reason is on stderr),
2 for bad input.
"""
from __future__ import annotations

COMMAND = "escape"
HELP = "lambda_1 and escape rates out of each well, to a stated accuracy (Fokker-Planck on the sphere)"


def add_arguments(p):
    g = p.add_argument_group("reduced parameters")
    g.add_argument("--sigma", type=float, help="barrier parameter K v / kT (>= 0)")
    g.add_argument("--sigma-p", type=float, default=None,
                   help="thin-film easy-plane anisotropy: adds +sigma_p (u.e_x)^2, e_x the film normal (>= 0)")
    g.add_argument("--h", type=float, default=None, help="reduced field H/H_K (default 0)")
    g.add_argument("--psi", type=float, default=0.0, help="field angle from the easy axis in the x-z plane [deg]")
    g.add_argument("--alpha", type=float, default=1.0, help="Gilbert damping (> 0, default 1)")
    s = p.add_argument_group("SI parameters (instead of --sigma/--h/--sigma-p)")
    s.add_argument("--Ms", type=float, help="saturation magnetization [A/m]")
    s.add_argument("--K", type=float, help="uniaxial anisotropy constant along e_z [J/m^3]")
    s.add_argument("--volume", type=float, help="volume [m^3]")
    s.add_argument("--T", type=float, help="temperature [K]")
    s.add_argument("--H", type=float, default=None, help="applied field [A/m]")
    s.add_argument("--demag", type=float, nargs=3, metavar=("NX", "NY", "NZ"), default=None,
                   help="demagnetizing factors (each >= 0, sum 1; e_x the film normal)")
    s.add_argument("--prism", type=float, nargs=3, metavar=("LX", "LY", "LZ"), default=None,
                   help="rectangular free layer [m] (LX the thickness along the film normal e_x, LZ along the "
                        "easy axis): gives --volume and --demag")
    n = p.add_argument_group("accuracy and numerics")
    n.add_argument("--rtol", type=float, default=None,
                   help="relative accuracy of every reported number, in (0, 1) (default 1e-4)")
    n.add_argument("--max-cells", type=int, default=None, help="cell budget of the finest mesh (default 200000)")
    n.add_argument("--method", default="auto", help="auto (default), mesh, orbit, axial, energy or turnover")
    n.add_argument("--mesh", default="geodesic", help="experts: geodesic (default) or latlong")
    lv = n.add_mutually_exclusive_group()
    lv.add_argument("--level", type=int, help="experts: fixed geodesic level (10*4^L+2 cells)")
    lv.add_argument("--cells", type=int, help="experts: fixed target number of cells")
    n.add_argument("--richardson", action="store_true", help="experts: extrapolate the fixed-mesh values")
    t = p.add_argument_group("spin transfer")
    t.add_argument("--chi-cos", type=float, default=0.0, help="chi(u) = C u_z [kT]")
    t.add_argument("--phi-cos", type=float, default=0.0, help="Phi(u) = C u_z [kT]")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _si_energy(args):
    """Energy and reduced echo from SI input (uniaxial K along e_z, field, optional demag tensor)."""
    from ..energy import Demagnetizing, Uniaxial, Zeeman
    from ..errors import ParameterError, check_finite
    from ..units import MU0, reduced_from_si

    if args.prism is not None:
        from ..geometry import demag_prism

        if args.volume is not None or args.demag is not None:
            raise ParameterError("--prism", args.prism, "given without --volume and --demag (it sets both)")
        lx, ly, lz = (check_finite("--prism", v) for v in args.prism)
        if min(lx, ly, lz) <= 0:
            raise ParameterError("--prism", args.prism, "three edge lengths > 0 [m]")
        args.volume = lx * ly * lz
        args.demag = list(demag_prism(lx, ly, lz).factors)
    si = [args.Ms, args.K, args.volume, args.T]
    if args.sigma is not None or args.h is not None or args.sigma_p is not None:
        raise ParameterError("--sigma/--h/--sigma-p", "given with SI input",
                             "omitted when --Ms/--K/--volume/--T are used")
    missing = [n for n, v in zip(["--Ms", "--K", "--volume", "--T"], si) if v is None]
    if missing:
        raise ParameterError(missing[0], None, "given (SI input needs --Ms, --K, --volume and --T)")
    red = reduced_from_si(Ms=args.Ms, K=args.K, volume=args.volume, T=args.T, H=args.H or 0.0, alpha=args.alpha)
    info = {"sigma": red.sigma, "h": red.h, "alpha": red.alpha, "tau_N_s": red.tau_N, "H_K_A_per_m": red.H_K}
    if args.demag is None:
        return None, red.sigma, red.h, 0.0, info
    import math

    import numpy as np

    psi = np.deg2rad(check_finite("psi", args.psi))
    from ..units import KB

    s = MU0 * args.Ms ** 2 * args.volume / (2 * KB * args.T)
    demag = Demagnetizing(s, tuple(args.demag))
    dsig, sigma_p = demag.reduced()
    energy = Uniaxial(red.sigma) + Zeeman(red.zeta, (math.sin(psi), 0.0, math.cos(psi))) + demag
    info.update(demag=list(demag.factors), shape_s=s, sigma_eff=red.sigma + dsig, sigma_p=sigma_p,
                volume_m3=args.volume,
                energy=f"U/kT = -{red.sigma + dsig:.6g} u_z^2 + {sigma_p:.6g} u_x^2"
                + (f" - {red.zeta:.6g} (u . e_H)" if red.zeta else "") + " + const")
    if red.sigma + dsig <= 0:
        raise ParameterError("--demag", args.demag, "factors leaving e_z an easy axis (K > mu0 Ms^2 (N_z - N_y)/2)",
                             f"the shape anisotropy makes e_z a hard axis (sigma_eff = {red.sigma + dsig:.4g})")
    return energy, red.sigma + dsig, red.h, sigma_p, info


def run(args) -> int:
    import json
    import sys

    from ..errors import ParameterError
    from ..fokker_planck.api import EXIT_NOT_CONVERGED, compute_escape
    from ..io import to_jsonable

    si = [args.Ms, args.K, args.volume, args.T]
    reduced_info = None
    energy = None
    if (args.demag is not None or args.prism is not None) and all(v is None for v in si):
        raise ParameterError("--demag", args.demag, "used with SI input (--Ms --K --volume --T)",
                             "with reduced input give the thin film as --sigma-p")
    if any(v is not None for v in si) or args.H is not None or args.demag is not None or args.prism is not None:
        energy, sigma, h, sigma_p, reduced_info = _si_energy(args)
    else:
        if args.sigma is None:
            raise ParameterError("--sigma", None, "given (or SI input --Ms --K --volume --T)")
        sigma, h = args.sigma, (args.h if args.h is not None else 0.0)
        sigma_p = args.sigma_p if args.sigma_p is not None else 0.0
    res = compute_escape(sigma=sigma, h=h, psi=args.psi, alpha=args.alpha, sigma_p=sigma_p, energy=energy,
                         rtol=args.rtol, max_cells=args.max_cells, method=args.method, mesh=args.mesh,
                         level=args.level, cells=args.cells, richardson=args.richardson,
                         chi_cos=args.chi_cos, phi_cos=args.phi_cos)
    if reduced_info is not None:
        res["reduced_parameters"] = reduced_info
        res["lambda1_per_s"] = res["lambda1_tauN"] / reduced_info["tau_N_s"]
        if "energy" in reduced_info:
            res["energy"] = reduced_info["energy"]
    status = 0 if res["valid"] else EXIT_NOT_CONVERGED
    if status:
        why = "; ".join(res.get("reasons") or ["a check failed"])
        need = res.get("cells_needed")
        print(f"thermokinetic escape: not converged: {why}"
              + (f"; about {need} cells would be needed (--max-cells)" if need else ""), file=sys.stderr)
    if args.json:
        print(json.dumps(to_jsonable(res), allow_nan=False))
        return status
    if reduced_info is not None:
        print("reduced parameters: sigma = {sigma:.6g}, h = {h:.6g}, alpha = {alpha:.4g}, "
              "tau_N = {tau_N_s:.4e} s, H_K = {H_K_A_per_m:.4e} A/m".format(**reduced_info))
    print(f"energy: {res['energy']}")
    print(f"sigma = {res['sigma']:g}, h = {res['h']:g}, psi = {res['psi_deg']:g} deg, alpha = {res['alpha']:g}"
          + (f", sigma_p = {res['sigma_p']:g}" if res["sigma_p"] else "")
          + (f", chi_cos = {res['chi_cos']:g}" if res["chi_cos"] else "")
          + (f", phi_cos = {res['phi_cos']:g}" if res["phi_cos"] else ""))
    print(f"method: {res['method']} ({res['method_reason']})")
    if res["method"] in ("mesh", "orbit"):
        kind = "geodesic" if res["method"] == "mesh" else "orbit-aligned"
        print(f"mesh: {kind} level {res['level']}, {res['cells']} cells"
              + (f", {res['mesh_method']}" if res.get("mesh_method") else ""))
    err = res.get("lambda1_error_estimate")
    print(f"lambda_1 = {res['lambda1_tauN']:.10e} / tau_N"
          + (f"   (relative error estimate {err:.1e})" if err is not None else "   (error not measurable)"))
    for w in res["escape_rates_tauN"]:
        d = ", ".join(f"{c:+.4f}" for c in w["direction"])
        if w["rate"] is None:
            print(f"  escape rate out of the well at u = ({d}): not resolved")
            continue
        line = f"  escape rate out of the well at u = ({d}): {w['rate']:.6e} / tau_N"
        if w.get("barrier_kT") is not None:
            line = (f"  well at u = ({d}), U_d {w['energy_kT']:.4g} kT above the deepest, barrier "
                    f"{w['barrier_kT']:.6g} kT: escape rate {w['rate']:.6e} / tau_N")
        if reduced_info is not None:
            line += f" = {w['rate'] / reduced_info['tau_N_s']:.4e} / s"
        if w.get("error_estimate") is not None:
            line += f"   (relative error estimate {w['error_estimate']:.1e})"
        print(line)
    if not res["escape_rates_tauN"] and res["method"] != "exact":
        print("  one well: no escape rate (lambda_1 is the slowest relaxation rate)")
    conv = res.get("converged")
    tag = ("converged to rtol = {:g}".format(res["rtol"]) if conv else
           "NOT converged to rtol = {:g}".format(res["rtol"]) if conv is False else "fixed mesh (no target)")
    print(f"accuracy: {tag}; method checks {'passed' if res['checks_passed'] else 'FAILED'}; "
          f"{res['seconds']:.2f} s")
    return status
