"""Write-error rate of a spin-transfer current pulse against its width (Fokker–Planck, reduced units).

The magnet starts in the zero-current thermal distribution restricted to u_z > 0; a pulse of
width t applies chi(u) = C u_z (--chi-cos; C < 0 pushes towards -e_z) and Phi(u) = C' u_z
(--phi-cos), energies in kT, times in tau_N.  WER(t) is the probability still in u_z > 0 at the end
of the pulse, computed directly (a tail of 1e-9 is never 1 minus a number near 1), with a relative
error estimate per pulse width:

    thermokinetic wer --sigma 40 --alpha 0.01 --chi-cos -0.9 --times 10,20,50,100,200 --rtol 1e-4

Axially symmetric problems use the exact 1D reduction; others (--sigma-p, an oblique --h/--psi) a
mesh integrated in time: the orbit-aligned mesh with L-stable steps at low damping and in thin films
(precession cell Peclet number > 5), else the geodesic mesh (slower: minutes at rtol 1e-3).

Exit status: 0 when every value meets --rtol, 3 when the values are printed but the accuracy
target was not reached within --max-cells (the reason is on stderr), 2 for bad input.
"""
from __future__ import annotations

COMMAND = "wer"
HELP = "write-error rate against pulse width, to a stated accuracy (Fokker-Planck, reduced units)"


def _times(text: str):
    from ..errors import ParameterError

    try:
        return [float(v) for v in str(text).split(",") if v.strip()]
    except ValueError:
        raise ParameterError("--times", text, "comma-separated pulse widths > 0 in tau_N, e.g. 1,2,5,10") from None


def add_arguments(p):
    g = p.add_argument_group("reduced parameters (energies in kT, times in tau_N)")
    g.add_argument("--sigma", type=float, required=True, help="barrier parameter K v / kT (>= 0)")
    g.add_argument("--sigma-p", type=float, default=0.0, help="easy-plane (thin-film) term sigma_p u_x^2 (>= 0)")
    g.add_argument("--h", type=float, default=0.0, help="reduced field H/H_K (default 0)")
    g.add_argument("--psi", type=float, default=0.0, help="field angle from the easy axis in the x-z plane [deg]")
    g.add_argument("--alpha", type=float, required=True, help="Gilbert damping (> 0)")
    g.add_argument("--chi-cos", type=float, required=True, help="chi(u) = C u_z during the pulse [kT]")
    g.add_argument("--phi-cos", type=float, default=0.0, help="Phi(u) = C u_z during the pulse [kT]")
    g.add_argument("--times", required=True, help="pulse widths, comma-separated, increasing [tau_N]")
    n = p.add_argument_group("accuracy")
    n.add_argument("--rtol", type=float, default=None, help="relative error target of every WER (default 1e-3)")
    n.add_argument("--max-cells", type=int, default=None,
                   help="cell budget (1D cells for axial problems, default 2^20; geodesic mesh cells, default "
                        "50000; orbit-aligned mesh cells, default 400000)")
    n.add_argument("--method", default="auto", help="auto (default), axial, mesh or orbit")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args) -> int:
    import json
    import sys

    from ..fokker_planck.api import EXIT_NOT_CONVERGED
    from ..fokker_planck.wer import compute_wer
    from ..io import to_jsonable

    res = compute_wer(sigma=args.sigma, times=_times(args.times), alpha=args.alpha, h=args.h, psi=args.psi,
                      sigma_p=args.sigma_p, chi_cos=args.chi_cos, phi_cos=args.phi_cos, rtol=args.rtol,
                      max_cells=args.max_cells, method=args.method)
    status = 0 if res["valid"] else EXIT_NOT_CONVERGED
    if status:
        print("thermokinetic wer: not converged: " + "; ".join(res["reasons"]), file=sys.stderr)
    if args.json:
        print(json.dumps(to_jsonable(res), allow_nan=False))
        return status
    print(f"energy: {res['energy']};  chi = {res['chi_cos']:g} u_z kT, phi = {res['phi_cos']:g} u_z kT, "
          f"alpha = {res['alpha']:g}")
    print(f"method: {res['method']} ({res['method_reason']}); {res['cells']} cells")
    if res.get("time_error") is not None:
        print(f"time steps (TR-BDF2): largest relative time error {max(res['time_error']):.1e} of the totals below")
    if res.get("lambda1_tauN") is not None:
        print(f"slowest relaxation rate during the pulse: {res['lambda1_tauN']:.6e} / tau_N")
    print(f"{'pulse width [tau_N]':>20s} {'WER':>14s} {'rel. error':>11s}")
    for t, w, e in zip(res["times_tauN"], res["wer"], res["error_estimate"]):
        print(f"{t:20.6g} {w:14.6e} {e:11.1e}")
    tag = "converged" if res["converged"] else "NOT converged"
    print(f"accuracy: {tag} to rtol = {res['rtol']:g}; {res['seconds']:.2f} s")
    return status
