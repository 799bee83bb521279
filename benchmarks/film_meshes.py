"""Thin films (issue 14): the uniform geodesic mesh against the band mesh (lat-long about the film
normal, rings graded towards the film plane), same process, same flux-over-population solver.

For each film case and mesh the table prints cells, λ₁ (1/τ_N), its relative difference from a
reference, seconds, and the monotonicity of the scaled operator (min K_ij/|K_jj| over off-diagonal
entries: ≥ 0 for an M-matrix; strongly negative means the central precession flux is not resolved,
cell Péclet number ≫ 1).  References: ``compute_escape`` on the geodesic family at rtol 1e-7/1e-6
where that converges; "-" where no method here converges (then consecutive values are compared).

Measured (2 cores): at σ = 10, σ_p = 25 the band mesh (n_phi = 4n) reaches 3.9e-5 with 66k cells against
5.2e-5 with the 164k-cell geodesic level 7 at α = 0.3, but is no better at α = 100; at σ = 20, σ_p = 100,
α = 0.2 neither converges (monotonicity −8e3 … −0.3 for the band, −42 … −0.34 geodesic).  The band's width
is not the bottleneck, the precession's cell Péclet number along the orbits is.  That measurement led
to the orbit-aligned mesh (faces on level sets and gradient lines, :mod:`thermokinetic.fokker_planck.
orbit_mesh`), which ``auto`` now takes for device films: see ``benchmarks/escape_targets.py --only 14``.

Run:  .venv/bin/python benchmarks/film_meshes.py [--big]
(``--big`` adds the device case σ = 40, σ_p = 400, α = 0.01 on the band mesh, ~3 minutes)
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from thermokinetic.energy import thin_film
from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import compute_escape
from thermokinetic.fokker_planck.escape import _min_offdiag_ratio, escape_rates
from thermokinetic.fokker_planck.generator import assemble
from thermokinetic.sphere import geodesic_mesh
from thermokinetic.sphere.latlong import band_beta, band_mesh


def one(mesh, E, alpha, cut):
    t0 = time.perf_counter()
    g = assemble(mesh, E, alpha, stabilize_above=cut)
    try:
        r = escape_rates(g, fallback=False)
        lam = r.lambda1 if r.valid else float("nan")
    except ParameterError:
        lam = float("nan")
    D, K = g.scaled()
    return lam, time.perf_counter() - t0, _min_offdiag_ratio(K)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--big", action="store_true")
    args = ap.parse_args()
    cases = [(10.0, 25.0, 100.0, 1e-7), (10.0, 25.0, 0.3, 1e-6), (20.0, 100.0, 0.2, None)]
    if args.big:
        cases.append((40.0, 400.0, 0.01, None))
    print(f"{'case':34s} {'mesh':26s} {'cells':>7s} {'lambda1':>14s} {'rel.diff':>9s} {'s':>6s} {'min K_ij/|K_jj|':>15s}")
    for sigma, sp_, alpha, rtol in cases:
        E = thin_film(sigma, sp_, 0.0, 0.0)
        label = f"sigma={sigma:g} sigma_p={sp_:g} alpha={alpha:g}"
        ref = None
        if rtol is not None:
            t0 = time.perf_counter()
            res = compute_escape(sigma=sigma, sigma_p=sp_, alpha=alpha, rtol=rtol)
            ref = res["lambda1_tauN"]
            print(f"{label:34s} {'reference (geodesic, rtol)':26s} {res['cells']:7d} {ref:14.8e} "
                  f"{res['error_estimate']:9.1e} {time.perf_counter() - t0:6.1f} {'':>15s}")
        cut = sigma + 60.0  # faces 60 kT above the saddle get the M-matrix correction
        rows = [(f"geodesic L{L}", geodesic_mesh(L)) for L in (4, 5, 6, 7)]
        beta = band_beta(1 / np.sqrt(2 * sp_))
        for ratio in (2, 4):
            rows += [(f"band n={n} n_phi={ratio}n", band_mesh([1.0, 0, 0], [0, 0, 1.0], n, ratio * n, beta))
                     for n in ((32, 64, 128) if args.big and sp_ >= 400 else (32, 64, 128, 256))]
        prev = None
        for name, mesh in rows:
            lam, sec, mono = one(mesh, E, alpha, cut)
            base = ref if ref is not None else prev
            diff = abs(lam / base - 1) if base is not None and np.isfinite(lam) else float("nan")
            print(f"{label:34s} {name:26s} {mesh.n_cells:7d} {lam:14.8e} {diff:9.1e} {sec:6.1f} {mono:15.3g}",
                  flush=True)
            prev = lam if np.isfinite(lam) else None
            if name.startswith("geodesic L7") or name.endswith("n=256 n_phi=2n"):
                prev = None


if __name__ == "__main__":
    main()
