"""Thin films at low damping (issue 14): the methods side by side, with the stochastic LLG's cost at the
same accuracy.

Rows (reduced units, time in τ_N, 2-core machine):

* a low-barrier film U = −3u_z² + 6u_x², α = 0.01, where every method converges: the mean first-passage
  time from the Fokker–Planck mesh (levels 6, 7, first-order Richardson) and from the stochastic LLG
  (4000 samples, dt = 2e-4); the SLLG's cost at the mesh's accuracy is extrapolated with its
  Monte-Carlo error ∝ N^{-1/2} (the time-step bias, measured below its SE, is not counted);
* the film σ = 10, σ_p = 25 at α = 0.01 (λ₁ ≈ 0.01/τ_N): the mesh (rtol 1e-3), the turnover formula,
  the energy-diffusion limit, and the SLLG cost for a relative accuracy of 1e-3 on the escape time,
  extrapolated from its measured sample-steps per second and the mean escape time 1/Γ;
* the device films σ = 40, σ_p = 400, α = 0.01 and σ = 60, σ_p = 1200, α = 0.005 (what ``auto`` does).

Peak resident memory is printed per row (each row runs in this process; the column is the running peak).
Run:  .venv/bin/python benchmarks/film_low_damping.py
"""
from __future__ import annotations

import resource
import time

import numpy as np

from thermokinetic.energy import thin_film
from thermokinetic.fokker_planck import assemble, compute_escape, mean_first_passage_time, richardson
from thermokinetic.fokker_planck.energy_diffusion import energy_diffusion
from thermokinetic.sphere import geodesic_mesh
from thermokinetic.stochastic import PlaneCut, escape_times


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(case, method, value, err, sec, note=""):
    print(f"{case:34s} {method:26s} {value:14.6e} {err:10.2e} {sec:10.3g} {peak_mib():7.0f}  {note}", flush=True)


def main():
    print(f"{'case':34s} {'method':26s} {'value':>14s} {'rel.err':>10s} {'seconds':>10s} {'MiB':>7s}")
    # -- low barrier: all methods converge -------------------------------------------------------
    E, a, start = thin_film(3.0, 6.0), 0.01, [0.0, 0.0, 1.0]
    case = "film 3/6 alpha=0.01: MFPT"
    t0 = time.perf_counter()
    fp = [mean_first_passage_time(assemble(geodesic_mesh(L), E, a), lambda u: u[:, 2] <= 0, start=start)
          for L in (6, 7)]
    tau, est = richardson(fp[0], fp[1], order=1.0)
    t_fp = time.perf_counter() - t0
    row(case, "Fokker-Planck mesh L6-L7", tau, est / tau, t_fp)
    t0 = time.perf_counter()
    res = escape_times(E, a, start, PlaneCut((0, 0, 1)), n_samples=4000, dt=2e-4, seed=12, t_max=400.0)
    t_sl = time.perf_counter() - t0
    rel = res.sem / res.mean
    row(case, "stochastic LLG, 4000", res.mean, rel, t_sl, f"z = {(res.mean - tau) / np.hypot(res.sem, est):+.2f}")
    same = t_sl * (rel / (est / tau)) ** 2
    row(case, "SLLG at the mesh's accuracy", res.mean, est / tau, same, f"extrapolated: {same / t_fp:.2g}x the mesh")
    steps_per_s = 4000 * res.mean / 2e-4 / t_sl
    # -- sigma = 10 film at alpha = 0.01 ----------------------------------------------------------
    case = "film 10/25 alpha=0.01: lambda1"
    for method in ("mesh", "turnover"):
        t0 = time.perf_counter()
        r = compute_escape(sigma=10.0, sigma_p=25.0, alpha=0.01, rtol=1e-3, method=method)
        err = r["error_estimate"] if r["error_estimate"] is not None else float("nan")
        row(case, method, r["lambda1_tauN"], err, time.perf_counter() - t0,
            "converged" if r["converged"] else "not converged: " + (r["reasons"] or [""])[-1][:60])
    t0 = time.perf_counter()
    ed = energy_diffusion(thin_film(10.0, 25.0))
    row(case, "energy diffusion (alpha->0)", ed.lambda1, max(ed.error_estimate, ed.model_error(0.01)),
        time.perf_counter() - t0, f"model error at alpha=0.01 {ed.model_error(0.01):.2g}")
    gamma = ed.lambda1 / 2  # per well, upper bound (finite damping lowers it)
    n_samples = 1e6  # SE of an exponential mean: 1/sqrt(N) = 1e-3
    cost = n_samples * (1 / gamma) / 2e-4 / steps_per_s
    row(case, "SLLG for 1e-3 (estimate)", 1 / gamma, 1e-3, cost,
        f"{n_samples:.0e} samples x {1 / gamma:.0f} tau_N / dt 2e-4 at {steps_per_s:.2g} sample-steps/s")
    # -- device films -------------------------------------------------------------------------------
    for s, sp, a, rtol in ((40.0, 400.0, 0.01, 1e-3), (60.0, 1200.0, 0.005, 1e-2)):
        t0 = time.perf_counter()
        r = compute_escape(sigma=s, sigma_p=sp, alpha=a, rtol=rtol)
        row(f"film {s:g}/{sp:g} alpha={a:g}: lambda1", f"auto -> {r['method']}", r["lambda1_tauN"],
            r["error_estimate"], time.perf_counter() - t0, "converged" if r["converged"] else "not converged")


if __name__ == "__main__":
    main()
