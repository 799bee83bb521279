"""Write-error-rate tables of issue 15: 30 pulse widths × 10 currents, time and accuracy.

Axial magnet (exact 1D reduction): σ = 40, α = 0.01, χ = C u_z with C/α from 1.05 to 2 times the
zero-temperature critical value 2σ (C_c = −2σα), 30 pulse widths from 0.01 to 10 τ_N.  For each
current the table prints the smallest WER reached, the largest relative error estimate, the 1D cells
and seconds, and whether the target was met; the last line gives the total time (target ≤ 30 s on
2 cores).

A mesh row (thin film, σ = 10, σ_p = 10, α = 1, χ = −25 u_z, three widths, rtol 1e-2) shows the cost of
the time-integrated mesh method for non-axial magnets (run with ``--mesh``; about a minute).

Run:  .venv/bin/python benchmarks/wer_table.py [--rtol R] [--mesh]
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
    args = ap.parse_args()
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


if __name__ == "__main__":
    main()
