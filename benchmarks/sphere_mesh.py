"""Sphere meshes: build time, cell-size uniformity and Laplace–Beltrami eigenvalue accuracy.

Run: .venv/bin/python benchmarks/sphere_mesh.py [--max-level 7] [--latlong]

For each geodesic level: cells, build seconds (uncached, numpy-vectorized), min/max cell area
ratio, error of Σ areas − 4π, and the errors of the Rayleigh quotients of spherical harmonics
ℓ = 1, 2, 3 (exact −ℓ(ℓ+1)) with the ratio to the previous level (4 = second order).
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-level", type=int, default=7)
    ap.add_argument("--latlong", action="store_true", help="also the lat-long backend (FiPy grid)")
    args = ap.parse_args(argv)
    os.environ["THERMOKINETIC_CACHE"] = "off"  # time the build, not the disk cache
    from thermokinetic.sphere import latlong_mesh
    from thermokinetic.sphere.geodesic import GeodesicMesh, build_geodesic

    R = np.linalg.qr(np.random.default_rng(7).normal(size=(3, 3)))[0]

    def lap_errors(m):
        x, y, z = (m.centers @ R.T).T
        out = []
        L = m.laplacian()
        for ell, Y in ((1, z), (2, x * y), (3, x * y * z)):
            lam = (Y @ (m.areas * (L @ Y))) / (Y @ (m.areas * Y))
            out.append(lam + ell * (ell + 1))
        return np.array(out)

    print(f"{'mesh':>24} {'cells':>8} {'build s':>8} {'Amin/Amax':>9} {'ΣA−4π':>9} "
          f"{'err l=1':>9} {'err l=2':>9} {'err l=3':>9} {'ratio':>6}")
    prev = None
    for level in range(3, args.max_level + 1):
        t0 = time.perf_counter()
        m = GeodesicMesh(build_geodesic(level), level)
        dt = time.perf_counter() - t0
        e = lap_errors(m)
        ratio = f"{prev[1] / e[1]:6.2f}" if prev is not None else "     -"
        print(f"{m.name:>24} {m.n_cells:8d} {dt:8.3f} {m.areas.min() / m.areas.max():9.4f} "
              f"{m.areas.sum() - 4 * np.pi:9.1e} {e[0]:9.2e} {e[1]:9.2e} {e[2]:9.2e} {ratio}")
        prev = e
    if args.latlong:
        prev = None
        for n in (16, 32, 64, 128):
            t0 = time.perf_counter()
            m = latlong_mesh(n, 2 * n)
            dt = time.perf_counter() - t0
            e = lap_errors(m)
            ratio = f"{prev[1] / e[1]:6.2f}" if prev is not None else "     -"
            print(f"{m.name:>24} {m.n_cells:8d} {dt:8.3f} {m.areas.min() / m.areas.max():9.4f} "
                  f"{m.areas.sum() - 4 * np.pi:9.1e} {e[0]:9.2e} {e[1]:9.2e} {e[2]:9.2e} {ratio}")
            prev = e


if __name__ == "__main__":
    main()
