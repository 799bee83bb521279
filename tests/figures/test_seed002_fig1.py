"""Seed 002 Fig. 1 (Σ, two wells, ferromagnetic currents) against independent computations.

Independent truths: the Stoner–Wohlfarth stationarity condition in the field plane (brentq);
hemisphere populations of e^{−U}/Z by tensor Gauss–Legendre × trapezoid quadrature of the analytic
energy (no mesh); the continuum equilibrium current J^F = (1/2α) ρ u × ∇U from analytic gradients.
"""
import json

import numpy as np
import pytest
from scipy.optimize import brentq

from thermokinetic.energy import uniaxial_zeeman
from thermokinetic.figures import make_figures
from thermokinetic.figures.seed002_fig1 import DEFAULTS, compute

SIGMA, H, PSI, ALPHA = DEFAULTS["sigma"], DEFAULTS["h"], np.radians(DEFAULTS["psi_deg"]), DEFAULTS["alpha"]
E = uniaxial_zeeman(SIGMA, H, DEFAULTS["psi_deg"])


def _hemisphere_integral(f, lo, hi, n_x=400, n_phi=800):
    x, w = np.polynomial.legendre.leggauss(n_x)
    x = 0.5 * (hi - lo) * x + 0.5 * (hi + lo)
    w = 0.5 * (hi - lo) * w
    t = np.arccos(x)[:, None]
    p = 2 * np.pi * np.arange(n_phi)[None, :] / n_phi
    u = np.stack(np.broadcast_arrays(np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)), -1)
    return float(np.sum(w[:, None] * f(u)) * 2 * np.pi / n_phi)


@pytest.fixture(scope="module")
def fig(tmp_path_factory):
    out = tmp_path_factory.mktemp("fig")
    return make_figures(out, only=["seed002_fig1"])["seed002_fig1"]


def test_png_written_and_json_clean(fig):
    (path,) = fig["files"]
    assert path.suffix == ".png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    json.dumps({k: v for k, v in fig.items() if k != "files"})  # key numbers are plain JSON


def test_wells_match_stoner_wohlfarth(fig):
    # in the field plane U(θ) = −σ cos²θ − 2σh cos(θ − ψ): dU/dθ = σ sin 2θ + 2σh sin(θ − ψ) = 0
    dU = lambda t: SIGMA * np.sin(2 * t) + 2 * SIGMA * H * np.sin(t - PSI)
    t1 = np.degrees(brentq(dU, 1e-9, PSI, xtol=1e-14))  # 4.887°
    t2 = np.degrees(brentq(dU, 5 * np.pi / 6, np.pi - 1e-9, xtol=1e-14))  # 173.042°
    w = fig["wells"]
    assert len(w) == 2
    # the polish is a Nelder–Mead minimization with xatol 1e-11 rad: measured agreement 4e-7 degrees
    assert abs(w[0]["theta_deg"] - t1) < 1e-5 and abs(w[1]["theta_deg"] - t2) < 1e-5
    assert abs(w[0]["phi_deg"]) < 1e-4 and abs(w[1]["phi_deg"]) < 1e-4  # both in the field plane, φ = 0
    assert w[0]["energy_kT"] < w[1]["energy_kT"]  # deeper well first (sorted by density)


def test_populations_match_boltzmann_quadrature(fig):
    boltz = lambda u: np.exp(-E.value(u))
    zu, zl = _hemisphere_integral(boltz, 0.0, 1.0), _hemisphere_integral(boltz, -1.0, 0.0)
    # measured deviations 7e-7 (upper) and 1.0e-5 (lower): second-order interpolation of ρ_s at level 5
    assert abs(fig["population_upper"] - zu / (zu + zl)) < 5e-5
    assert abs(fig["population_lower"] - zl / (zu + zl)) < 5e-5
    assert 0.8 < fig["population_upper"] < 0.85  # 0.8244: both wells populated


def test_current_matches_equilibrium_precession_current(fig):
    r = compute(**DEFAULTS)
    zu, zl = _hemisphere_integral(lambda u: np.exp(-E.value(u)), 0.0, 1.0), \
        _hemisphere_integral(lambda u: np.exp(-E.value(u)), -1.0, 0.0)
    Z = zu + zl
    m = r["mesh"]
    u = m.centers
    Ja = (np.exp(-E.value(u)) / Z)[:, None] * np.cross(u, E.gradient(u)) / (2 * ALPHA)
    e = r["J"] - Ja
    # cell vectors reconstructed from face fluxes: measured rms relative error 1.6e-3 (level 5)
    assert np.sqrt(np.dot(m.areas, np.sum(e * e, 1)) / np.dot(m.areas, np.sum(Ja * Ja, 1))) < 4e-3
    # max |J^F| against the analytic maximum on a fine (θ, φ) grid: measured −0.18 %
    th = np.linspace(0, np.pi, 2001)[:, None]
    ph = np.linspace(-np.pi, np.pi, 2000, endpoint=False)[None, :]
    ug = np.stack(np.broadcast_arrays(np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)), -1)
    jmax = np.max(np.exp(-E.value(ug)) / Z * np.linalg.norm(E.gradient(ug), axis=-1)) / (2 * ALPHA)
    assert abs(fig["max_current"] / jmax - 1) < 5e-3
    # at equilibrium the dissipative current vanishes: Ṡ_i = 0 to rounding (measured 3e-28)
    assert fig["entropy_production"] < 1e-20
