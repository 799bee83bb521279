"""Stochastic LLG (thermokinetic.stochastic) against exact results.

Truths used: free rotational diffusion (⟨u_z⟩ = e^{−t}, ⟨u_z²⟩ = 1/3 + 2/3 e^{−3t}: ℓ = 1, 2 eigenvalues
ℓ(ℓ+1)/2), the Boltzmann stationary state e^{−(U − χ/α)} of an axial problem, the exact 1D mean
first-passage time of the axial problem by quadrature, and the rigid precession at ω = (ζ − c)/(2α)
of an axial field.  Monte Carlo tolerances are in standard errors (SE) of the estimate; every
time-step bias is measured (in the benchmark or here) to be well below the SE used.
"""
import math

import numpy as np
import pytest
from scipy.integrate import quad

from thermokinetic.energy import Custom, uniaxial_zeeman, Zeeman
from thermokinetic.errors import ParameterError
from thermokinetic.stochastic import (
    CensoredWarning, LevelCut, PlaneCut, StochasticLLG, escape_times, stationary_histogram,
    surface_gradient_fd,
)


def exact_mfpt_axial(sigma, x0=1.0, xa=0.0):
    """T(x0) = 2 ∫_{xa}^{x0} dy e^{U(y)}/(1−y²) ∫_y^1 e^{−U(z)} dz for U = −σx² (reflecting at x = 1).

    From the backward equation ½ e^{U} ∂x[(1−x²) e^{−U} ∂x T] = −1, T(xa) = 0, zero flux at x = 1.
    """
    def dT(y):
        if y >= 1.0:
            return 1.0  # limit y → 1: 2 (1−y) / (1−y²) → 1
        return 2.0 * quad(lambda z: math.exp(sigma * (z * z - y * y)), y, 1.0)[0] / (1.0 - y * y)
    return quad(dT, xa, x0, limit=200, epsabs=1e-12, epsrel=1e-11)[0]


def boltzmann_moment(f, weight):
    return quad(lambda x: f(x) * weight(x), -1, 1)[0] / quad(weight, -1, 1)[0]


# --------------------------------------------------------------------------------------------
# (1) free diffusion
# --------------------------------------------------------------------------------------------
def test_free_diffusion_moments_match_spectrum():
    n = 30000
    model = StochasticLLG(uniaxial_zeeman(0.0), alpha=0.7)
    res = model.run((0, 0, 1), t_end=1.5, dt=0.01, seed=11, n_samples=n, record_every=25,
                    keep_samples=True)
    # norm preserved by the exponential-map step (rounding only)
    assert np.max(np.abs(np.linalg.norm(res.samples, axis=-1) - 1)) < 1e-12
    t = res.times
    # ⟨u_z⟩ = e^{−t} (ℓ = 1); the geodesic-Heun bias is −(1/6)·dt·t·e^{−t} (test_weak_order…) ≤ 6e-4
    # here, ≤ 0.3 SE (SE ≈ 2.5e-3), so 4 SE is a real test
    z = (res.mean[1:, 2] - np.exp(-t[1:])) / res.sem[1:, 2]
    assert np.max(np.abs(z)) < 4.0, z
    # transverse components vanish by symmetry
    assert np.max(np.abs(res.mean[1:, :2] / res.sem[1:, :2])) < 4.0
    # ⟨u_z²⟩ = 1/3 + 2/3 e^{−3t} (ℓ = 2 eigenvalue 3)
    uz2 = res.samples[1:, :, 2] ** 2
    se2 = uz2.std(axis=1, ddof=1) / math.sqrt(n)
    z2 = (uz2.mean(axis=1) - (1 / 3 + 2 / 3 * np.exp(-3 * t[1:]))) / se2
    assert np.max(np.abs(z2)) < 4.0, z2


# --------------------------------------------------------------------------------------------
# (2) stationary distribution of the uniaxial magnet
# --------------------------------------------------------------------------------------------
def test_stationary_uniaxial_sigma3_matches_boltzmann():
    sigma = 3.0
    model = StochasticLLG(uniaxial_zeeman(sigma), alpha=0.5)
    res = stationary_histogram(model, n_chains=1000, t_burn=2.0, t_run=8.0, dt=0.005, seed=7,
                               bins=20, sample_every=10)
    w = lambda x: math.exp(sigma * x * x)  # noqa: E731  marginal p(x) ∝ e^{σx²} (area element dφ dx)
    x2_exact = boltzmann_moment(lambda x: x * x, w)
    m, se = res.averages["x2"]
    # SE from 1000 independent chain (batch) means; time-step bias measured (geodesic Heun, 2e4 chains at
    # dt = 0.01–0.04) ≈ −0.2·dt·⟨x²⟩ ≈ 6e-4 here, ≈ 0.3 SE
    assert abs(m - x2_exact) < 4 * se, (m, x2_exact, se)
    assert se < 0.005  # the check is sharp: ⟨x²⟩ = 0.626 resolved to < 1 %
    mx, sex = res.averages["x"]
    assert abs(mx) < 4 * sex  # up/down symmetry
    # marginal density, bin-averaged exact density; 20 bins → max |z| < 4.5 has false-alarm rate ~1e-4
    Z = quad(w, -1, 1)[0]
    exact_bins = np.array([quad(w, a, b)[0] / (b - a) for a, b in zip(res.edges[:-1], res.edges[1:])]) / Z
    zb = (res.density - exact_bins) / res.density_sem
    assert np.max(np.abs(zb)) < 4.5, zb


# --------------------------------------------------------------------------------------------
# (3) reproducibility
# --------------------------------------------------------------------------------------------
def test_seeded_runs_are_reproducible():
    model = StochasticLLG(uniaxial_zeeman(2.0, 0.2, 30.0), alpha=0.3)
    a = model.run((0.3, 0, 1), 0.5, 0.01, seed=42, n_samples=200, keep_samples=True)
    b = model.run((0.3, 0, 1), 0.5, 0.01, seed=42, n_samples=200, keep_samples=True)
    c = model.run((0.3, 0, 1), 0.5, 0.01, seed=43, n_samples=200, keep_samples=True)
    np.testing.assert_array_equal(a.samples, b.samples)
    assert np.max(np.abs(a.samples[-1] - c.samples[-1])) > 0.1
    e1 = escape_times(uniaxial_zeeman(1.0), 1.0, (0, 0, 1), PlaneCut(), n_samples=300, dt=0.01, seed=5,
                      t_max=100.0)
    e2 = escape_times(uniaxial_zeeman(1.0), 1.0, (0, 0, 1), PlaneCut(), n_samples=300, dt=0.01, seed=5,
                      t_max=100.0)
    np.testing.assert_array_equal(e1.times, e2.times)


# --------------------------------------------------------------------------------------------
# (4) weak order
# --------------------------------------------------------------------------------------------
def _uz_half(model, dt, rng, n=200_000):
    """⟨u_z⟩(t=0.5) for σ = 0 from u = e_z, using isotropy of one step.

    At σ = 0 the one-step law is rotation invariant, so E[u_{k+1} | u_k] = r(dt) u_k and
    ⟨u_z⟩(k dt) = r^k exactly; r = E[u_1·e_z] is measured with a control variate
    (|ΔW_⊥|² − 2dt, exact mean 0) that removes the O(dt) noise of cos|ΔW_⊥|.
    """
    u = np.tile([0.0, 0.0, 1.0], (n, 1))
    dW = rng.standard_normal(u.shape) * math.sqrt(dt)
    y = model.step(u, dt, dW=dW)[:, 2]
    c = dW[:, 0] ** 2 + dW[:, 1] ** 2 - 2 * dt
    b = np.cov(y, c)[0, 1] / c.var()
    yc = y - b * c
    r, se_r = yc.mean(), yc.std(ddof=1) / math.sqrt(n)
    k = round(0.5 / dt)
    return r, se_r, r**k, k * r ** (k - 1) * se_r


@pytest.mark.parametrize("scheme", ["geodesic-heun", "heun"])
def test_weak_order_one_free_diffusion(scheme):
    rng = np.random.default_rng(99)
    model = StochasticLLG(uniaxial_zeeman(0.0), alpha=1.0, scheme=scheme)
    dts = [0.1, 0.05, 0.025]
    errs, ses = [], []
    for dt in dts:
        r, se_r, m, se = _uz_half(model, dt, rng)
        errs.append(m - math.exp(-0.5))
        ses.append(se)
        if scheme == "geodesic-heun":
            # at σ = 0 the step is a geodesic Gaussian step: r = E cos R, R Rayleigh with R² ~ dt χ²₂
            r_exact = quad(lambda x: x / dt * math.exp(-x * x / (2 * dt)) * math.cos(x), 0, 40 * math.sqrt(dt))[0]
            assert abs(r - r_exact) < 4 * se_r, (dt, r, r_exact, se_r)
    errs = np.array(errs)
    assert np.all(np.abs(errs) > 10 * np.array(ses))  # the errors are resolved, not noise
    slopes = np.log2(errs[:-1] / errs[1:])
    if scheme == "geodesic-heun":
        # measured slopes 1.03, 1.01 (SE of a slope ≈ 0.015): weak order 1
        assert np.all(np.abs(slopes - 1.0) < 0.1), slopes
    else:
        # classical Heun: measured slopes 0.80, 0.88 (→ 0.94 at dt = 0.0125): pre-asymptotic order 1
        assert np.all((slopes > 0.7) & (slopes < 1.15)), slopes
        assert slopes[1] > slopes[0]
    # the reduction ⟨u_z⟩(k dt) = r^k is checked against a direct ensemble run at dt = 0.1
    direct = model.run((0, 0, 1), 0.5, 0.1, seed=3, n_samples=100_000)
    r, se_r, m, se = _uz_half(model, 0.1, rng)
    assert abs(direct.mean[-1, 2] - m) < 4 * math.hypot(direct.sem[-1, 2], se)


# --------------------------------------------------------------------------------------------
# (5) mean first-passage time against the exact quadrature
# --------------------------------------------------------------------------------------------
def test_exact_mfpt_quadrature_free_diffusion():
    # σ = 0: T = 2 ∫_0^1 (1−y)/(1−y²) dy = 2 ln 2 (checks the quadrature formula itself)
    assert abs(exact_mfpt_axial(0.0) - 2 * math.log(2)) < 1e-10


@pytest.mark.parametrize("alpha", [1.0, pytest.param(0.2, marks=pytest.mark.slow)])
def test_mfpt_sigma3_matches_exact(alpha):
    sigma = 3.0
    T = exact_mfpt_axial(sigma)  # 4.6327 τ_N, independent of α for ψ = 0
    res = escape_times(uniaxial_zeeman(sigma), alpha, (0, 0, 1), PlaneCut((0, 0, 1)), n_samples=3000,
                       dt=0.005, seed=2024 + int(10 * alpha), t_max=30 * T)
    assert res.n_censored == 0 and res.bridge
    assert res.sem / res.mean < 0.02
    # bias measured (benchmarks/stochastic_llg.py, 1e5 samples, SE 0.29 %): −1.6 % at dt = 0.02,
    # −0.64 % at 0.01, −0.17 % at 0.005 (O(dt)), i.e. ≈ 0.1 SE here; 3 SE tolerance
    assert abs(res.mean - T) < 3 * res.sem, (res.mean, T, res.sem)


def test_mfpt_without_bridge_is_biased_by_discrete_monitoring():
    # Without the Brownian-bridge correction the discrete check misses excursions past the cut: the
    # cut is effectively moved by β√dt (β = −ζ(1/2)/√(2π) ≈ 0.5826, unit variance rate of u_z at the
    # equator), so T grows by ≈ β√dt T'(0), T'(0) = 2∫_0^1 e^{σz²} dz.
    sigma, dt = 3.0, 0.02
    T = exact_mfpt_axial(sigma)
    shift = 0.5826 * math.sqrt(dt) * 2 * quad(lambda z: math.exp(sigma * z * z), 0, 1)[0]
    res = escape_times(uniaxial_zeeman(sigma), 1.0, (0, 0, 1), PlaneCut(), n_samples=3000, dt=dt, seed=8,
                       t_max=30 * T, bridge=False)
    assert not res.bridge
    # the first-order shift is exact only as dt → 0 (O(dt) remainder ≈ 15 % of it here): 25 % + 3 SE
    assert abs((res.mean - T) - shift) < 0.25 * shift + 3 * res.sem, (res.mean - T, shift, res.sem)


@pytest.mark.slow
def test_mfpt_sigma5_matches_exact_and_dt_bias_is_small():
    sigma = 5.0
    T = exact_mfpt_axial(sigma)  # 15.136 τ_N
    means = {}
    for dt in (0.01, 0.005):
        res = escape_times(uniaxial_zeeman(sigma), 1.0, (0, 0, 1), PlaneCut(), n_samples=6000, dt=dt,
                           seed=77, t_max=30 * T)
        assert res.n_censored == 0 and res.sem / res.mean < 0.02
        assert abs(res.mean - T) < 3 * res.sem, (dt, res.mean, T, res.sem)
        means[dt] = res
    # halving dt changes the mean by less than the combined SE allows (bias ≪ SE)
    a, b = means[0.01], means[0.005]
    assert abs(a.mean - b.mean) < 3 * math.hypot(a.sem, b.sem)


def test_levelcut_and_mask_agree_with_planecut():
    # The same cut u_z ≤ 0 as a PlaneCut, as a LevelCut with a finite-difference gradient, and as a plain
    # boolean mask: with the same seed they draw the same random numbers, so the first-passage times
    # must coincide (LevelCut: bridge probabilities differ by the FD error ~1e-10, so all but possibly
    # a rare sample agree; mask: identical to PlaneCut without the bridge).
    E, T = uniaxial_zeeman(1.0), exact_mfpt_axial(1.0)
    kw = dict(n_samples=400, dt=0.01, seed=1, t_max=40 * T)
    pc = escape_times(E, 1.0, (0, 0, 1), PlaneCut(), **kw)
    lc = escape_times(E, 1.0, (0, 0, 1), LevelCut(lambda u: u[:, 2]), **kw)
    assert lc.bridge and np.mean(lc.times == pc.times) > 0.99
    pc0 = escape_times(E, 1.0, (0, 0, 1), PlaneCut(), bridge=False, **kw)
    mk = escape_times(E, 1.0, (0, 0, 1), lambda u: u[:, 2] <= 0, **kw)
    assert not mk.bridge
    np.testing.assert_array_equal(mk.times, pc0.times)
    assert np.any(pc.times != pc0.times)  # the bridge does act


def test_censored_samples_are_reported():
    with pytest.raises(ParameterError, match="t_max"):
        escape_times(uniaxial_zeeman(5.0), 1.0, (0, 0, 1), PlaneCut(), n_samples=50, dt=0.01, seed=0,
                     t_max=0.5)
    with pytest.warns(CensoredWarning, match="lower bound"):
        res = escape_times(uniaxial_zeeman(5.0), 1.0, (0, 0, 1), PlaneCut(), n_samples=50, dt=0.01,
                           seed=0, t_max=0.5, on_censored="warn")
    assert res.n_censored > 40 and res.mean_is_lower_bound
    assert np.all(np.isinf(res.times[~res.escaped]))
    assert res.mean <= 0.5 + 1e-12


# --------------------------------------------------------------------------------------------
# (6) spin-transfer potentials χ and Φ
# --------------------------------------------------------------------------------------------
def test_chi_shifts_stationary_state_to_boltzmann_in_U_minus_chi_over_alpha():
    sigma, alpha, c = 1.0, 0.5, 0.5  # χ = c cos θ; stationary ρ ∝ e^{−(U − χ/α)} = e^{σx² + (c/α) x}
    model = StochasticLLG(uniaxial_zeeman(sigma), alpha, chi=lambda u: c * u[:, 2])  # FD gradient
    res = stationary_histogram(model, n_chains=600, t_burn=2.0, t_run=6.0, dt=0.005, seed=21,
                               sample_every=10)
    exact = boltzmann_moment(lambda x: x, lambda x: math.exp(sigma * x * x + c / alpha * x))
    m, se = res.averages["x"]
    # bias at dt = 0.005 is O(1e-3) (weak order 1, measured constants ≲ 0.2) against SE ≈ 0.01
    assert abs(m - exact) < 4 * se, (m, exact, se)
    # and it is not the χ = 0 answer (0): the test can see χ
    assert abs(exact) > 10 * se


@pytest.mark.parametrize("alpha,zeta,c", [(0.5, 2.0, 0.0), (0.5, 2.0, 1.0), (0.25, 1.0, -0.5)])
def test_precession_rate_with_field_and_phi(alpha, zeta, c):
    # U = −ζ u_z, Φ = c u_z: the precession term is a rigid rotation about e_z at ω = (ζ − c)/(2α)
    # (precession field H_eff − ∇Φ) that commutes with the axial dissipative dynamics; started at e_x,
    # the latter keeps ⟨u_y⟩ = 0, so arg⟨u_x + i u_y⟩(t) = ω t exactly.
    model = StochasticLLG(Zeeman(zeta, (0, 0, 1)), alpha, phi=lambda u: c * u[:, 2],
                          phi_grad=lambda u: np.broadcast_to([0.0, 0.0, c], u.shape))
    res = model.run((1, 0, 0), 0.6, 0.01, seed=4, n_samples=10000, record_every=20)
    mx, my = res.mean[1:, 0], res.mean[1:, 1]
    phase = np.arctan2(my, mx)
    amp = np.hypot(mx, my)
    se_phase = np.hypot(res.sem[1:, 0], res.sem[1:, 1]) / amp  # ≥ the phase SE
    omega = (zeta - c) / (2 * alpha)
    assert np.all(np.abs(phase - omega * res.times[1:]) < 4 * se_phase), (phase, omega * res.times[1:])


def test_surface_gradient_fd_matches_analytic(rng):
    u = rng.normal(size=(50, 3))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    term = Custom(lambda v: v[:, 0] ** 3 * v[:, 2] + np.sin(v[:, 1]))
    # central differences, h = 1e-5: O(h²) truncation + O(1e-16/h) rounding ≈ 1e-10
    np.testing.assert_allclose(surface_gradient_fd(term.value, u), term.gradient(u), atol=1e-8)


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs,name",
    [
        (dict(alpha=0.0), "alpha"),
        (dict(alpha=-1.0), "alpha"),
        (dict(alpha=float("nan")), "alpha"),
        (dict(scheme="euler"), "scheme"),
        (dict(chi=3.0), "chi"),
        (dict(phi_grad=lambda u: u), "phi"),
    ],
)
def test_bad_model_input_raises(kwargs, name):
    args = dict(energy=uniaxial_zeeman(1.0), alpha=1.0) | kwargs
    with pytest.raises(ParameterError, match=name):
        StochasticLLG(**args)


def test_bad_run_and_escape_input_raises():
    m = StochasticLLG(uniaxial_zeeman(1.0), 1.0)
    with pytest.raises(ParameterError, match="dt"):
        m.run((0, 0, 1), 1.0, 0.0, n_samples=10)
    with pytest.raises(ParameterError, match="dt"):
        m.run((0, 0, 1), 1.0, 0.5, n_samples=10)
    with pytest.raises(ParameterError, match="t_end"):
        m.run((0, 0, 1), float("inf"), 0.01, n_samples=10)
    with pytest.raises(ParameterError, match="u0"):
        m.run((0, 0, 0), 1.0, 0.01, n_samples=10)
    with pytest.raises(ParameterError, match="n_samples"):
        m.run((0, 0, 1), 1.0, 0.01)
    with pytest.raises(ParameterError, match="seed"):
        m.run((0, 0, 1), 1.0, 0.01, n_samples=10, seed=-1)
    with pytest.raises(ParameterError, match="start_direction"):
        m.escape_times((0, 0, -1), PlaneCut(), n_samples=10, t_max=1.0)
    with pytest.raises(ParameterError, match="absorbing"):
        m.escape_times((0, 0, 1), "equator", n_samples=10, t_max=1.0)
    with pytest.raises(ParameterError, match="absorbing"):
        m.escape_times((0, 0, 1), lambda u: u[:, 2], n_samples=10, t_max=1.0)  # not a bool mask
    with pytest.raises(ParameterError, match="energy"):
        StochasticLLG(lambda u: u[:, 2], 1.0)


def test_nonfinite_potential_is_not_silent():
    m = StochasticLLG(uniaxial_zeeman(1.0), 1.0, chi=lambda u: np.where(u[:, 2] < 0.9, np.nan, 0.0))
    with pytest.raises(FloatingPointError, match="non-finite"):
        m.run((0, 0, 1), 2.0, 0.01, n_samples=100, seed=0, record_every=10)
