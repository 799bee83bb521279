"""Escape-rate performance targets of issues 13 and 14: time, cells, accuracy and peak memory.

Each case runs ``compute_escape`` (reduced units) in a fresh process (so the peak resident memory
is the case's own) with a wall-clock cap; where an exact reference exists (axial cases: the 1D
reduction) the true relative error of λ₁ and of both rates is printed next to the estimate, and
axial cases are also run with the mesh forced, in the same process, as the reference method.

Columns: case; method used; converged (the target met within the cell budget); cells of the finest
mesh; seconds; peak RSS (MiB); the reported relative error estimate; the true error where known;
target seconds (issue table); for films and oblique fields, the relative difference from the independent
turnover formula with that formula's own error estimate in brackets.  A row "timeout" ran past the cap.

Run:  .venv/bin/python benchmarks/escape_targets.py [--only 13|14] [--cap SECONDS]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import resource
import time

CASES = [
    # (issue, label, kwargs, target seconds)
    ("13", "sigma=20 axial rtol=1e-6 (auto)", dict(sigma=20.0, rtol=1e-6), 2),
    ("13", "sigma=20 axial rtol=1e-6 (mesh)", dict(sigma=20.0, rtol=1e-6, method="mesh"), 2),
    ("13", "sigma=60 axial rtol=1e-6 (auto)", dict(sigma=60.0, rtol=1e-6), 10),
    ("13", "sigma=60 axial rtol=1e-6 (mesh)", dict(sigma=60.0, rtol=1e-6, method="mesh"), 10),
    ("13", "sigma=10 h=0.3 psi=45 alpha=0.1 rtol=1e-6", dict(sigma=10.0, h=0.3, psi=45.0, alpha=0.1, rtol=1e-6), 20),
    ("13", "film sigma=10 sigma_p=25 alpha=0.3 rtol=1e-6", dict(sigma=10.0, sigma_p=25.0, alpha=0.3, rtol=1e-6), 20),
    ("14", "sigma=10 h=0.2 psi=45 alpha=0.01 rtol=1e-4", dict(sigma=10.0, h=0.2, psi=45.0, alpha=0.01, rtol=1e-4), 20),
    ("14", "sigma=40 h=0.1 psi=30 alpha=0.01 rtol=1e-4", dict(sigma=40.0, h=0.1, psi=30.0, alpha=0.01, rtol=1e-4), 60),
    ("14", "film sigma=40 sigma_p=400 alpha=0.01 rtol=1e-3", dict(sigma=40.0, sigma_p=400.0, alpha=0.01, rtol=1e-3),
     120),
    ("14", "film sigma=60 sigma_p=1200 alpha=0.005 rtol=1e-2",
     dict(sigma=60.0, sigma_p=1200.0, alpha=0.005, rtol=1e-2), 300),
    # with damping-like spin transfer chi = chi_cos u_z (no target in the issue table: 0 prints "-")
    ("14", "film sigma=40 sigma_p=400 alpha=0.01 chi_cos=0.05 rtol=1e-3",
     dict(sigma=40.0, sigma_p=400.0, alpha=0.01, chi_cos=0.05, rtol=1e-3), 0),
    ("14", "film sigma=6 sigma_p=12 alpha=1e-3 chi_cos=1e-3 rtol=1e-3",
     dict(sigma=6.0, sigma_p=12.0, alpha=1e-3, chi_cos=1e-3, rtol=1e-3), 0),
    # with a field-like torque too (the orbit-aligned mesh is then built on U + Phi)
    ("14", "film sigma=40 sigma_p=400 alpha=0.01 chi=0.05 phi=1 rtol=1e-3",
     dict(sigma=40.0, sigma_p=400.0, alpha=0.01, chi_cos=0.05, phi_cos=1.0, rtol=1e-3), 0),
]


def _run(kw):
    from thermokinetic.errors import ParameterError
    from thermokinetic.fokker_planck import AxialProblem, compute_escape

    t0 = time.perf_counter()
    try:
        res = compute_escape(**kw)
    except ParameterError as e:
        return {"refused": str(e), "seconds": time.perf_counter() - t0,
                "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    out = {"method": res["method"], "converged": res["converged"], "cells": res["cells"],
           "est": res["error_estimate"], "seconds": time.perf_counter() - t0,
           "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "true": None}
    if kw.get("psi", 0.0) == 0.0 and kw.get("sigma_p", 0.0) == 0.0:
        ex = AxialProblem.uniaxial(kw["sigma"], kw.get("h", 0.0)).escape_rates()
        w = res["escape_rates_tauN"]
        ref = [ex.gamma_plus if x["direction"][2] > 0 else ex.gamma_minus for x in w]
        errs = [abs(res["lambda1_tauN"] / ex.lambda1 - 1)] + [abs(x["rate"] / r - 1) for x, r in zip(w, ref)
                                                              if x["rate"] is not None]
        out["true"] = max(errs)
    oblique = kw.get("sigma_p", 0.0) > 0 or kw.get("psi", 0.0) != 0.0
    if oblique and kw.get("method") is None and not kw.get("chi_cos"):
        # an independent method for films and oblique fields (whose top is a band): the turnover formula (its
        # own O(kT/E_b) estimate in brackets)
        to = compute_escape(**{**kw, "method": "turnover", "rtol": 0.5})
        out["indep"] = ("turnover", abs(to["lambda1_tauN"] / res["lambda1_tauN"] - 1), to["error_estimate"])
    elif kw.get("chi_cos") and kw.get("alpha", 1.0) <= 0.005:
        # with spin transfer at very low damping: energy diffusion (its own O(sqrt(alpha S)) estimate)
        ed = compute_escape(**{**kw, "method": "energy", "rtol": 0.5})
        out["indep"] = ("energy diffusion", abs(ed["lambda1_tauN"] / res["lambda1_tauN"] - 1), ed["error_estimate"])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["13", "14"], default=None)
    ap.add_argument("--cap", type=float, default=600.0, help="wall-clock cap per case [s]")
    args = ap.parse_args()
    print(f"{'issue':5s} {'case':60s} {'method':7s} {'conv':5s} {'cells':>7s} {'s':>7s} {'MiB':>6s} "
          f"{'estimate':>9s} {'true':>9s} {'target s':>8s}")
    for issue, label, kw, target in CASES:
        if args.only and issue != args.only:
            continue
        with cf.ProcessPoolExecutor(max_workers=1, max_tasks_per_child=1) as ex:
            fut = ex.submit(_run, kw)
            try:
                r = fut.result(timeout=args.cap)
            except cf.TimeoutError:
                for p in list(getattr(ex, "_processes", {}).values()):
                    p.kill()
                print(f"{issue:5s} {label:60s} timeout after {args.cap:.0f} s", flush=True)
                continue
        if "refused" in r:
            print(f"{issue:5s} {label:60s} refused after {r['seconds']:.1f} s: {r['refused'][:90]}", flush=True)
            continue
        est = f"{r['est']:9.1e}" if r["est"] is not None else "        -"
        true = f"{r['true']:9.1e}" if r["true"] is not None else "        -"
        tgt = f"{target:8d}" if target else "       -"
        print(f"{issue:5s} {label:60s} {r['method']:7s} {str(r['converged']):5s} {r['cells']:7d} {r['seconds']:7.1f} "
              f"{r['rss']:6.0f} {est} {true} {tgt}"
              + (f"   vs {r['indep'][0]} {r['indep'][1]:.1e} (its estimate {r['indep'][2]:.1e})" if r.get("indep")
                 else ""), flush=True)


if __name__ == "__main__":
    main()
