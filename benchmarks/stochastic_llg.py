"""Stochastic LLG: accuracy and speed of mean first-passage times against the exact 1D quadrature.

Axial uniaxial magnet U = −σ u_z², start at u = e_z, absorbing at u_z ≤ 0.  The exact MFPT of the
axially symmetric problem (x = cos θ, ∂p/∂t = ½ ∂x[(1−x²)(∂x p + p ∂x U)], reflecting at x = 1) is

    T(1) = 2 ∫_0^1 dy e^{U(y)}/(1−y²) ∫_y^1 e^{−U(z)} dz   (τ_N; independent of α).

Prints a table: scheme, bridge correction, σ, samples, dt, sample-steps/s, MFPT, SE, exact, bias
(relative), z-score.  Run:  .venv/bin/python benchmarks/stochastic_llg.py [--full]
(default: 1e4 / 4e3 samples, a couple of minutes; --full: 1e5 / 3e4 samples, ~10 minutes on 2 cores).
"""
from __future__ import annotations

import argparse
import math
import time

from scipy.integrate import quad

from thermokinetic.energy import uniaxial_zeeman
from thermokinetic.stochastic import PlaneCut, StochasticLLG


def exact_mfpt_axial(sigma: float, x0: float = 1.0, xa: float = 0.0) -> float:
    """Exact MFPT (τ_N) of U = −σx² from x0 to the absorbing point xa < x0 (reflecting at x = 1)."""
    def dT(y):  # T'(y) = 2 e^{U(y)}/(1−y²) ∫_y^1 e^{−U(z)} dz, with the y → 1 limit e^{0} = 1
        if y >= 1.0:
            return 1.0
        inner = quad(lambda z: math.exp(sigma * (z * z - y * y)), y, 1.0)[0]
        return 2.0 * inner / (1.0 - y * y)
    return quad(dT, xa, x0, limit=200, epsabs=1e-12, epsrel=1e-11)[0]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--full", action="store_true", help="large ensembles (SE ≈ 0.3 %%, ~10 minutes)")
    p.add_argument("--seed", type=int, default=2024)
    args = p.parse_args(argv)
    n3, n5 = (100000, 30000) if args.full else (10000, 4000)
    cases = [
        ("geodesic-heun", True, 3.0, n3, 0.02),
        ("geodesic-heun", True, 3.0, n3, 0.01),
        ("geodesic-heun", True, 3.0, n3, 0.005),
        ("geodesic-heun", False, 3.0, n3 // 4, 0.01),
        ("heun", True, 3.0, n3 // 4, 0.01),
        ("heun", True, 3.0, n3 // 4, 0.005),
        ("geodesic-heun", True, 5.0, n5, 0.02),
        ("geodesic-heun", True, 5.0, n5, 0.01),
    ]
    hdr = (f"{'scheme':>14} {'bridge':>6} {'sigma':>5} {'samples':>8} {'dt':>7} {'steps/s':>9} "
           f"{'MFPT':>9} {'SE':>8} {'exact':>9} {'bias':>8} {'z':>6}")
    print(hdr)
    print("-" * len(hdr))
    exact = {}
    for scheme, bridge, sigma, n, dt in cases:
        if sigma not in exact:
            exact[sigma] = exact_mfpt_axial(sigma)
        T = exact[sigma]
        model = StochasticLLG(uniaxial_zeeman(sigma), alpha=1.0, scheme=scheme)
        t0 = time.perf_counter()
        r = model.escape_times((0, 0, 1), PlaneCut((0, 0, 1)), n_samples=n, dt=dt, seed=args.seed,
                               t_max=60 * T, bridge=bridge, progress=False)
        wall = time.perf_counter() - t0
        sample_steps = float(r.times[r.escaped].sum() / dt)  # each sample stepped until absorbed
        print(f"{scheme:>14} {str(bridge):>6} {sigma:5.1f} {n:8d} {dt:7.4f} {sample_steps / wall:9.3g} "
              f"{r.mean:9.4f} {r.sem:8.4f} {T:9.4f} {(r.mean - T) / T:+8.4f} {(r.mean - T) / r.sem:+6.2f}",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
