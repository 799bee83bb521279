"""Are the error estimates of the orbit-aligned mesh honest?  (λ₁ and rates against an independent reference)

The orbit-aligned mesh (``method="orbit"``) claims convergence after four levels that contract (the last
three differences of one sign, each at least 2× smaller).  It then reports

* where the last two ratios of successive differences lie in ``ORBIT_SECOND_ORDER`` = [3.5, 4.6] for λ₁
  and for every rate (second order within ~15 %): the Richardson value ``R_L = q_L + d_L/3`` with the
  error ``max(|R_L − R_{L−1}|, 0.1·|d_L|)``;
* otherwise the finest value with its last difference ``|d_L|`` as the error.

Both are compared here with the true error against an independent discretization: the geodesic mesh
converged to ``rtol = 1e-6`` (at α ≥ 0.03 its precession Péclet number is small, where its own estimates
were validated in ``escape_error_estimates.py``).  A row counts as bounded when the estimate plus the
reference's own estimate covers the difference.  The columns ``last d`` show the alternative of never
extrapolating (the finest value, error |d_L|).

Cases: films (σ, σ_p), films in oblique fields and uniaxial magnets in oblique fields (σ, h, ψ; their top
is a band around the sphere), α = 1 … 0.03; the last nine were added out of sample after the window was
chosen on the first twelve.

Measured (2 cores, this script, λ₁; session 9): the reported estimate bounded the true error in 19/19
rows (one more, σ = 5, h = 0.3, ψ = 30°, α = 0.1, a 1.5 kT barrier without time-scale separation, is
refused by the orbit method); 12 were extrapolated (est/true 1.7–199, the largest where the true error
1.9e-7 lies below the reference's own estimate 6.3e-7), 7 were not (est/true 1.1–13).  Without the
floor 0.1·|d_L| one extrapolated row was under-stated 2× (σ = 10, h = 0.2, ψ = 45°, α = 0.1); without
the window, the Richardson estimate bounded 8 of 12 (est/true down to 0.06).

Run:  .venv/bin/python benchmarks/orbit_error_estimates.py [--quick] [--json FILE] [--from-json FILE]
"""
from __future__ import annotations

import argparse
import json
import time

from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import compute_escape
from thermokinetic.fokker_planck.api import _contracting, _second_order

#: (sigma, sigma_p, h, psi_deg, alpha)
CASES = [
    (10.0, 25.0, 0.0, 0.0, 1.0), (10.0, 25.0, 0.0, 0.0, 0.3), (10.0, 25.0, 0.0, 0.0, 0.1),
    (5.0, 15.0, 0.0, 0.0, 1.0), (5.0, 15.0, 0.0, 0.0, 0.1),
    (10.0, 25.0, 0.2, 30.0, 1.0), (10.0, 25.0, 0.2, 30.0, 0.1),
    (10.0, 0.0, 0.2, 45.0, 1.0), (10.0, 0.0, 0.2, 45.0, 0.1), (10.0, 0.0, 0.2, 45.0, 0.03),
    (5.0, 0.0, 0.3, 30.0, 1.0), (5.0, 0.0, 0.3, 30.0, 0.1),
    # out of sample (added after the window and the floor were chosen on the twelve above)
    (8.0, 20.0, 0.0, 0.0, 0.1), (8.0, 0.0, 0.15, 40.0, 0.1), (12.0, 0.0, 0.25, 30.0, 0.1),
    (10.0, 0.0, 0.1, 20.0, 0.3), (8.0, 16.0, 0.1, 20.0, 0.1), (6.0, 30.0, 0.2, 45.0, 0.3),
    (10.0, 10.0, 0.0, 0.0, 0.1), (7.0, 0.0, 0.2, 60.0, 0.1), (12.0, 24.0, 0.05, 15.0, 0.2),
]
QUICK = [(10.0, 0.0, 0.2, 45.0, 1.0), (5.0, 15.0, 0.0, 0.0, 0.1)]


def compute(cases) -> list:
    """Orbit-aligned levels (to the default budget) and the geodesic reference of every case."""
    raw = []
    for s, sp, h, psi, a in cases:
        t0 = time.perf_counter()
        kw = dict(sigma=s, sigma_p=sp, h=h, psi=psi, alpha=a)
        ref = compute_escape(**kw, rtol=1e-6, method="mesh")
        rec = dict(case=kw, ref=ref["lambda1_tauN"], ref_est=ref["lambda1_error_estimate"],
                   ref_rates=[(w["direction"], w["rate"], w["error_estimate"]) for w in ref["escape_rates_tauN"]])
        try:
            orb = compute_escape(**kw, rtol=1e-7, method="orbit")
        except ParameterError as exc:  # e.g. a barrier without time-scale separation
            rec["refused"] = str(exc)
        else:
            rec["levels"] = [lv["lambda1_tauN"] for lv in orb["levels"]]
            rec["level_rates"] = [lv["rates_tauN"] for lv in orb["levels"]]
            rec["rate_directions"] = [w["direction"] for w in orb["escape_rates_tauN"]]
            rec["reported"] = [(orb["lambda1_tauN"], orb["lambda1_error_estimate"])] + [
                (w["rate"], w["error_estimate"]) for w in orb["escape_rates_tauN"]]
            rec["cells"] = [lv["cells"] for lv in orb["levels"]]
        rec["seconds"] = time.perf_counter() - t0
        raw.append(rec)
    return raw


def _row(name, vals, others, ref, ref_est, reported=None):
    """(text, bounded, extrapolated, est/true) of one quantity; ``others``: the run's other sequences;
    ``reported``: the (value, relative estimate) compute_escape returned, which the recomputation from the
    level values must reproduce."""
    ext = all(_second_order(v) for v in [vals, *others])
    e = _contracting(vals, ext)
    if reported is not None and reported[0] is not None:
        assert abs(reported[0] / e.value - 1) < 1e-12, (name, reported, e)
    true = abs(e.value / ref - 1)
    est = e.relative_error
    last = abs(vals[-1] - vals[-2]) / abs(vals[-1])
    true_last = abs(vals[-1] / ref - 1)
    d = [b - a for a, b in zip(vals[:-1], vals[1:])]
    ratios = " ".join(f"{d[k] / d[k + 1]:5.2f}" for k in range(len(d) - 1)) if len(d) >= 2 else "-"
    ok = est + ref_est >= true
    text = (f"{name:>30} {ratios:>18} {'R' if e.extrapolated else 'q'} {true:8.1e} {est:8.1e} "
            f"{est / max(true, 1e-300):7.1f} {ref_est:8.1e} {'' if ok else 'NOT BOUNDED'}  "
            f"| last d {last:8.1e} true {true_last:8.1e}")
    return text, ok, e.extrapolated, est / max(true, 1e-300)


def report(raw) -> None:
    print(f"{'case (quantity)':>30} {'ratios':>18} v {'true':>8} {'est':>8} {'e/t':>7} {'ref est':>8}  "
          "| the finest value alone")
    rows = []
    for rec in raw:
        k = rec["case"]
        name = f"s={k['sigma']:g} sp={k['sigma_p']:g} h={k['h']:g} psi={k['psi']:g} a={k['alpha']:g}"
        if "refused" in rec:
            print(f"{name:>30} refused: {rec['refused'][:90]}")
            continue
        lam = rec["levels"]
        rates = [[lv[i] for lv in rec["level_rates"]] for i in range(len(rec["rate_directions"]))]
        rates = [r for r in rates if all(x is not None for x in r)]
        rep = rec.get("reported", [None] * (1 + len(rates)))
        text, ok, ext, et = _row(name + " l1", lam, rates, rec["ref"], rec["ref_est"], rep[0])
        print(text)
        rows.append((ok, ext, et))
        for i, (direction, vals) in enumerate(zip(rec["rate_directions"], rates)):
            # the reference rate of the same well (nearest direction)
            j = max(range(len(rec["ref_rates"])),
                    key=lambda m: sum(a * b for a, b in zip(direction, rec["ref_rates"][m][0])))
            _, r, r_est = rec["ref_rates"][j]
            text, ok, ext, et = _row(f"rate {i}", vals, [lam] + [v for v in rates if v is not vals], r, r_est,
                                     rep[1 + i])
            print(text)
            rows.append((ok, ext, et))
    n_ok = sum(ok for ok, _, _ in rows)
    ext = [et for ok, e, et in rows if e]
    raw_ = [et for ok, e, et in rows if not e]
    print(f"\nreported estimates bound the true error (within the reference's estimate) in {n_ok}/{len(rows)} "
          f"quantities; extrapolated {len(ext)} (est/true {min(ext, default=0):.1f}…{max(ext, default=0):.1f}), "
          f"finest value {len(raw_)} (est/true {min(raw_, default=0):.1f}…{max(raw_, default=0):.1f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="two cases")
    ap.add_argument("--json", help="also write the raw level values here")
    ap.add_argument("--from-json", help="re-analyse raw values written by --json instead of computing")
    args = ap.parse_args()
    if args.from_json:
        with open(args.from_json) as fh:
            raw = json.load(fh)
    else:
        raw = compute(QUICK if args.quick else CASES)
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(raw, fh, indent=1)
    report(raw)


if __name__ == "__main__":
    main()
