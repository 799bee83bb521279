"""Switching-current distributions under linear current ramps, and what the usual fit returns.

Reduced units: the magnet sits at +e_z (barrier parameter sigma, damping alpha, axial field h); the
spin-transfer potential chi = -c u_z grows as c = v t (v in kT per tau_N), pushing towards -e_z.
For each ramp rate the probability of having switched, P(c), follows from the exact escape rate
out of the upper well (1D reduction).  The usual thermal-activation fit of such data (b = 1, fixed
attempt frequency f0) is printed next to the model's exact Delta and zero-temperature critical c_c0:

    thermokinetic ramp --sigma 40 --alpha 0.01 --rates 1e-6,1e-4,1e-2
"""
from __future__ import annotations

COMMAND = "ramp"
HELP = "switching-current distributions under current ramps and the usual thermal-activation fit (reduced)"


def add_arguments(p):
    p.add_argument("--sigma", type=float, required=True, help="barrier parameter K v / kT (2..200)")
    p.add_argument("--alpha", type=float, required=True, help="Gilbert damping (> 0)")
    p.add_argument("--h", type=float, default=0.0, help="axial field along +e_z (|h| < 0.9)")
    p.add_argument("--rates", required=True, help="ramp rates v, comma-separated [kT per tau_N]")
    p.add_argument("--f0", type=float, default=1.0, help="attempt frequency assumed by the fit [1/tau_N]")
    p.add_argument("--json", action="store_true", help="print one JSON object (with the distributions)")


def run(args) -> int:
    import json

    from ..errors import ParameterError
    from ..fokker_planck.wer import ramp_switching
    from ..io import to_jsonable

    try:
        rates = [float(x) for x in str(args.rates).split(",") if x.strip()]
    except ValueError:
        raise ParameterError("--rates", args.rates, "comma-separated ramp rates > 0, e.g. 1e-6,1e-4") from None
    res = ramp_switching(sigma=args.sigma, alpha=args.alpha, h=args.h, ramp_rates=rates,
                         attempt_frequency=args.f0)
    if args.json:
        print(json.dumps(to_jsonable(res), allow_nan=False))
        return 0
    print(f"sigma = {res['sigma']:g}, alpha = {res['alpha']:g}, h = {res['h']:g}; chi = -c u_z, c = v t [kT]")
    print(f"{'ramp v [kT/tau_N]':>18s} {'median c [kT]':>14s} {'10-90% width':>13s} {'rel. error':>10s}")
    for v, m, w, e in zip(res["ramp_rates"], res["median_c"], res["width_c"], res["median_error_estimate"]):
        print(f"{v:18.4g} {m:14.6g} {w:13.4g} {e:10.1e}")
    f, x = res["fit"], res["exact"]
    print(f"usual fit (b = 1, f0 = {f['f0_tauN']:g}/tau_N): Delta = {f['delta_kT']:.4g} kT, c_c0 = {f['c_c0']:.4g} kT "
          f"(rms residual of ln rate {f['residual_rms_ln_rate']:.2g})")
    print(f"exact (model): Delta = {x['delta_kT']:.4g} kT, c_c0 = {x['c_c0']:.4g} kT, barrier {x['barrier']}")
    return 0
