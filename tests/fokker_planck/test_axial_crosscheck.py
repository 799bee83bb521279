"""Issue 11.5: a randomized cross-check of 200 axial magnets between the mesh engine and the exact 1D reduction.

Each case draws σ ∈ [0, 80], h ∈ [−0.9, 0.9] (a fifth of them up to |h| = 3: one well), α log-uniform in
[1e-3, 1e3] and, for half of them, χ = c·u_z with |c/α| ≤ max(σ, 1)/2.  The mesh (``method="mesh"``,
rtol 1e-2, at most 12 000 cells: geodesic levels up to 5) either refuses, or every number it reports lies
within its own error estimate of the exact reduction (``method="axial"``, quadrature error ≤ 1e-8, added to
the tolerance), or it is reported without an estimate *and* flagged not valid.  A valid result never lies
outside its estimate.  One-well cases have no exact reference here (their slowest mode need not be axially
symmetric), so only the second rule applies to them.

Measured (this seed, 2 cores, 343 s): 14 valid and 120 answered without reaching rtol within the budget
(every number within its estimate), 47 refused, 19 one-well cases without a reference; the counts asserted
at the end keep the test from passing vacuously.
Run with 50 000 cells, the check found a rate printed with an estimate that did not bound it: σ = 32,
h = −0.69, α = 1e-3 gave the deep well's rate 2e-26 with an estimate of 730 % (the Arnoldi eigenvector's
rounding; exact 5.6e-35); :func:`~thermokinetic.fokker_planck.compute_escape` now withholds a rate whose
estimate exceeds 100 %.
"""
from __future__ import annotations

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import compute_escape

N_CASES = 200


def _cases(n: int, seed: int = 20261206) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        sigma = float(rng.uniform(0.0, 80.0))
        h = float(rng.uniform(-0.9, 0.9)) if rng.random() < 0.8 else float(rng.uniform(-3.0, 3.0))
        alpha = float(10 ** rng.uniform(-3.0, 3.0))
        chi = float(rng.uniform(-1.0, 1.0)) * alpha * max(sigma, 1.0) * 0.5 if rng.random() < 0.5 else 0.0
        out.append(dict(sigma=sigma, h=h, alpha=alpha, chi_cos=chi))
    return out


def _check(kw: dict) -> str:
    """'refused', 'valid', 'answered' (not valid) or 'no reference'; raises AssertionError when wrong."""
    try:
        ex = compute_escape(**kw, method="axial", rtol=1e-8)
    except ParameterError:
        ex = None
    try:
        r = compute_escape(**kw, method="mesh", rtol=1e-2, max_cells=12_000)
    except ParameterError:
        return "refused"
    numbers = [(r["lambda1_tauN"], r["lambda1_error_estimate"], ex["lambda1_tauN"] if ex else None)]
    if ex is not None and len(r["escape_rates_tauN"]) == len(ex["escape_rates_tauN"]) == 2:
        for w, v in zip(r["escape_rates_tauN"], ex["escape_rates_tauN"]):
            assert np.dot(w["direction"], v["direction"]) > 0.99, (kw, "wells matched")
            numbers.append((w["rate"], w["error_estimate"], v["rate"]))
    for value, est, exact in numbers:
        if value is None:
            continue
        assert np.isfinite(value) and value >= 0, (kw, value)
        if est is None:
            assert not r["valid"], (kw, "a valid result without an error estimate")
            continue
        if exact is not None:
            err = abs(value / exact - 1)
            assert err <= est + (ex["error_estimate"] or 0.0) + 1e-12, (kw, value, exact, err, est, r["valid"])
    if ex is None:
        return "no reference"
    return "valid" if r["valid"] else "answered"


@pytest.mark.slow
def test_two_hundred_random_axial_magnets_are_right_within_their_estimate_or_refused():
    counts: dict = {}
    for kw in _cases(N_CASES):
        outcome = _check(kw)
        counts[outcome] = counts.get(outcome, 0) + 1
    # not vacuous: a fair share is answered against the exact reduction
    assert counts.get("valid", 0) >= 10 and counts.get("valid", 0) + counts.get("answered", 0) >= 100, counts


def test_a_few_random_axial_magnets_are_right_within_their_estimate_or_refused():
    """Default run: the first cases of the same draw that are cheap (α ≥ 0.1: no precession to resolve)."""
    cheap = [kw for kw in _cases(40) if kw["alpha"] >= 0.1][:6]
    outcomes = [_check(kw) for kw in cheap]
    assert len(cheap) == 6 and "valid" in outcomes
