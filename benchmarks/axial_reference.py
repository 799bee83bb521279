"""Reference table of the exact axial reduction (thermokinetic.fokker_planck.axial).

For σ ∈ {0, 5, 10, 20, 40, 60} and h ∈ {0, 0.3} (U = −σx² − 2σhx, reduced units: rates in 1/τ_N)
prints λ₁, the per-well escape rates Γ_±, the ratio of λ₁ to Brown's asymptote (leading order and
with the O(1/σ) correction), the series condition number, the quadrature nodes, the wall time, and
the relative difference between the default and a refined quadrature (order + 8, half du_max and
half max_width) as the accuracy estimate.  A second table shows p-convergence at σ = 60.

Run:  .venv/bin/python benchmarks/axial_reference.py
"""
from __future__ import annotations

import time

from thermokinetic.fokker_planck.axial import AxialProblem, brown_asymptote


def main() -> None:
    hdr = (f"{'sigma':>5} {'h':>4} {'lambda1':>23} {'Gamma+':>11} {'Gamma-':>11} "
           f"{'lam/Brown':>10} {'lam/Brown1':>10} {'kappa':>6} {'nodes':>6} {'terms':>5} "
           f"{'ms':>7} {'refine diff':>11}")
    print(hdr)
    print("-" * len(hdr))
    for h in (0.0, 0.3):
        for sigma in (0, 5, 10, 20, 40, 60):
            p = AxialProblem.uniaxial(sigma, h)
            t0 = time.perf_counter()
            base = p.lambda1()
            dt = time.perf_counter() - t0
            diff = p.lambda1(estimate_error=True).error_estimate  # refined vs default
            if sigma > 0:
                er = p.escape_rates()
                b0 = brown_asymptote(sigma, h)
                b1 = brown_asymptote(sigma, h, corrected=True)
                extra = (f"{er.gamma_plus:11.4e} {er.gamma_minus:11.4e} "
                         f"{base.lambda1 / b0.lambda1:10.6f} {base.lambda1 / b1.lambda1:10.6f}")
            else:
                extra = f"{'-':>11} {'-':>11} {'-':>10} {'-':>10}"
            print(f"{sigma:5g} {h:4.1f} {base.lambda1:23.16e} {extra} {base.condition:6.2f} "
                  f"{base.n_nodes:6d} {base.n_terms:5d} {1e3 * dt:7.2f} {diff:11.1e}")
    print()
    print("p-convergence at sigma = 60 (relative error vs order 40, du_max 1, max_width 0.1)")
    for h in (0.0, 0.3):
        ref = AxialProblem.uniaxial(60, h, order=40, du_max=1.0, max_width=0.1).lambda1().lambda1
        row = []
        for order in (5, 6, 7, 8, 10, 12, 16, 20):
            lam = AxialProblem.uniaxial(60, h, order=order, du_max=8.0).lambda1().lambda1
            row.append(f"p={order}: {abs(lam / ref - 1):.1e}")
        print(f"  h={h}: " + ", ".join(row))


if __name__ == "__main__":
    main()
