"""Write-error-rate tables of issue 15: 30 pulse widths × 10 currents, time and accuracy.

Axial magnet (exact 1D reduction): σ = 40, α = 0.01, χ = C u_z with C/α from 1.05 to 2 times the
zero-temperature critical value 2σ (C_c = −2σα), 30 pulse widths from 0.01 to 10 τ_N.  For each
current the table prints the smallest WER reached, the largest relative error estimate, the 1D cells
and seconds, and whether the target was met; the last line gives the total time (target ≤ 30 s on
2 cores).

A mesh row (thin film, σ = 10, σ_p = 10, α = 1, χ = −25 u_z, three widths, rtol 1e-2) shows the cost of
the time-integrated mesh method for non-axial magnets (run with ``--mesh``; about a minute).

A low-damping thin-film table (``--orbit``): σ = 10, σ_p = 50, α = 0.02 (precession cell Péclet
number ≈ 90 on the finest geodesic level), 30 pulse widths 0.02..0.4 τ_N × ``--currents`` currents
C/C_c from 1.2 to 2 (C_c = −α(2σ + σ_p), the zero-temperature threshold), through the orbit-aligned mesh
and TR-BDF2 (``compute_wer`` picks it), rtol 5e-2.

The in-plane pillar of issue 15 (``--pillar``): σ = 366, σ_p = 4220, α = 0.01, χ = 1.5 C_c u_z; prints
the WER of each orbit-aligned level at a few pulse widths (the levels do not converge: see the note).

Run:  .venv/bin/python benchmarks/wer_table.py [--rtol R] [--mesh] [--orbit [--currents N]] [--pillar]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from thermokinetic.fokker_planck import compute_wer


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--mesh", action="store_true", help="also the thin-film mesh row")
    ap.add_argument("--orbit", action="store_true", help="the low-damping thin-film table (orbit-aligned mesh)")
    ap.add_argument("--currents", type=int, default=10, help="currents of the --orbit table (default 10)")
    ap.add_argument("--pillar", action="store_true", help="the in-plane pillar's orbit-aligned levels")
    args = ap.parse_args()
    if args.orbit:
        orbit_table(args.currents)
    if args.pillar:
        pillar_levels()
    if args.orbit or args.pillar:
        return
    sigma, alpha = 40.0, 0.01
    times = np.geomspace(0.01, 10.0, 30)
    cc = -2 * sigma * alpha
    print(f"axial: sigma = {sigma:g}, alpha = {alpha:g}, 30 pulse widths 0.01..10 tau_N, rtol = {args.rtol:g}")
    print(f"{'C/C_c':>6s} {'chi_cos':>8s} {'min WER':>10s} {'max est':>9s} {'cells':>7s} {'s':>6s} conv")
    t_all = time.perf_counter()
    for f in np.linspace(1.05, 2.0, 10):
        t0 = time.perf_counter()
        r = compute_wer(sigma=sigma, alpha=alpha, chi_cos=f * cc, times=times, rtol=args.rtol)
        print(f"{f:6.3f} {f * cc:8.4f} {np.min(r['wer']):10.3e} {np.max(r['error_estimate']):9.1e} "
              f"{r['cells']:7d} {time.perf_counter() - t0:6.2f} {r['converged']}")
    print(f"total: {time.perf_counter() - t_all:.1f} s for 300 WER values (target <= 30 s)")
    if args.mesh:
        t0 = time.perf_counter()
        r = compute_wer(sigma=10.0, sigma_p=10.0, alpha=1.0, chi_cos=-25.0, times=[0.2, 0.5, 1.0], rtol=1e-2)
        print(f"mesh thin film: WER {np.round(r['wer'], 5).tolist()}, max est {np.max(r['error_estimate']):.1e}, "
              f"{r['cells']} cells, {time.perf_counter() - t0:.1f} s, converged {r['converged']}")


def orbit_table(n_currents: int):
    sigma, sigma_p, alpha, rtol = 10.0, 50.0, 0.02, 5e-2
    cc = -alpha * (2 * sigma + sigma_p)
    times = np.geomspace(0.02, 0.4, 30)
    print(f"thin film: sigma = {sigma:g}, sigma_p = {sigma_p:g}, alpha = {alpha:g}, 30 pulse widths 0.02..0.4 tau_N, "
          f"rtol = {rtol:g}")
    print(f"{'C/C_c':>6s} {'chi_cos':>8s} {'min WER':>10s} {'max est':>9s} {'max t-err':>9s} {'cells':>7s} {'s':>6s} conv")
    t_all = time.perf_counter()
    for f in np.linspace(1.2, 2.0, n_currents):
        t0 = time.perf_counter()
        r = compute_wer(sigma=sigma, sigma_p=sigma_p, alpha=alpha, chi_cos=f * cc, times=times, rtol=rtol)
        print(f"{f:6.3f} {f * cc:8.4f} {np.min(r['wer']):10.3e} {np.max(r['error_estimate']):9.1e} "
              f"{np.max(r['time_error']):9.1e} {r['cells']:7d} {time.perf_counter() - t0:6.1f} {r['converged']} "
              f"({r['method']})", flush=True)
    print(f"total: {time.perf_counter() - t_all:.1f} s for {30 * n_currents} WER values")


def pillar_levels():
    from thermokinetic.energy import thin_film
    from thermokinetic.fokker_planck.api import cos_potential
    from thermokinetic.fokker_planck.wer import orbit_wer

    sigma, sigma_p, alpha = 366.0, 4220.0, 0.01
    c = 1.5 * -alpha * (2 * sigma + sigma_p)
    times = np.array([1e-3, 2e-3, 4e-3, 7e-3])
    t0 = time.perf_counter()
    r = orbit_wer(thin_film(sigma, sigma_p), alpha, times, chi=cos_potential(c), rtol=1e-2, max_cells=100_000)
    print(f"pillar: sigma = {sigma:g}, sigma_p = {sigma_p:g}, alpha = {alpha:g}, chi_cos = {c:.3f} (1.5 C_c), "
          f"times {times.tolist()} tau_N")
    for lev, w in zip(r["levels"], r["level_wer"]):
        print(f"  level {lev['level']} ({lev['cells']} cells, {lev['seconds']:.1f} s): "
              + " ".join(f"{x:.4e}" for x in w))
    print(f"  estimate {np.round(r['error_estimate'], 3).tolist()}, converged {r['converged']}, "
          f"{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
