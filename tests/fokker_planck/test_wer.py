"""Write-error rates against independent truths: the free-diffusion Legendre series, a Rayleigh–Ritz
λ₁, escape's λ₁, the geodesic mesh (a different discretization) and the stochastic LLG."""
import math

import numpy as np
import pytest
from scipy.special import eval_legendre

from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import compute_escape, compute_wer
from thermokinetic.fokker_planck.wer import upper_fraction


def test_free_diffusion_matches_the_legendre_series():
    # σ = 0: p(x, t) = Σ_ℓ (2ℓ+1)/2 I_ℓ e^{-ℓ(ℓ+1)t/2} P_ℓ(x) from p₀ = 1 on (0, 1), I_ℓ = ∫₀¹ P_ℓ,
    # so WER(t) = Σ_ℓ (2ℓ+1)/2 I_ℓ² e^{-ℓ(ℓ+1)t/2};  I_0 = 1, I_ℓ = (P_{ℓ-1}(0) − P_{ℓ+1}(0))/(2ℓ+1)
    t = np.array([0.02, 0.1, 0.5, 1.0, 3.0])
    exact = np.full(t.size, 0.5)
    for ell in range(1, 2001, 2):
        i_l = (eval_legendre(ell - 1, 0.0) - eval_legendre(ell + 1, 0.0)) / (2 * ell + 1)
        exact += (2 * ell + 1) / 2 * i_l ** 2 * np.exp(-ell * (ell + 1) / 2 * t)
    res = compute_wer(sigma=0.0, times=t, rtol=1e-8)
    assert res["converged"] and res["method"] == "axial"
    err = np.abs(res["wer"] / exact - 1)
    assert np.all(err <= res["error_estimate"] + 1e-12), (err, res["error_estimate"])
    assert np.all(res["error_estimate"] <= 1e-8)


def _collocation_lambda1(dU, n=160):
    """λ₁ of the backward operator ½[(1−x²) g'' − (2x + (1−x²) U') g'] by Chebyshev collocation on the
    Gauss–Lobatto points (spectral accuracy; the singular endpoints need no boundary condition, the
    equation itself is their regularity condition).  No finite volumes, no time stepping."""
    k = np.arange(n + 1)
    x = np.cos(np.pi * k / n)
    c = np.where((k == 0) | (k == n), 2.0, 1.0) * (-1.0) ** k
    X = np.tile(x, (n + 1, 1)).T
    D = np.outer(c, 1 / c) / (X - X.T + np.eye(n + 1))
    D -= np.diag(D.sum(axis=1))
    Lb = 0.5 * (np.diag(1 - x ** 2) @ D @ D - np.diag(2 * x + (1 - x ** 2) * dU(x)) @ D)
    lam = np.sort(np.real(-np.linalg.eigvals(Lb)))
    return float(lam[1])


def test_switching_tail_decays_at_the_independent_lambda1():
    # σ = 40, α = 0.01, χ = −1.2 u_z: χ/α = 120 kT destroys the upper well; the tail reaches 5e-18
    # and is computed directly (not as 1 − P).  Its decay rate between 0.75 and 1 τ_N must be the
    # slowest relaxation rate (the next mode is ≳ 40/τ_N faster: e^{−30} left at t = 0.75).
    res = compute_wer(sigma=40.0, alpha=0.01, chi_cos=-1.2, times=[0.5, 0.75, 1.0], rtol=1e-5)
    assert res["converged"] and res["wer"][-1] < 1e-17
    lam = _collocation_lambda1(lambda x: -80 * x + 120)
    decay = -math.log(res["wer"][2] / res["wer"][1]) / 0.25
    # the two WER values' estimates (≤ 1e-5 each) bound the decay-rate error by their sum / 0.25
    bound = (res["error_estimate"][1] + res["error_estimate"][2]) / 0.25
    assert abs(decay - lam) <= bound, (decay, lam, bound)
    assert abs(res["lambda1_tauN"] / lam - 1) < 1e-5


def test_zero_current_decays_at_the_escape_lambda1():
    # without current the restricted equilibrium relaxes to the two-well equilibrium at λ₁ of escape
    sigma, h = 10.0, 0.2
    lam = compute_escape(sigma=sigma, h=h, rtol=1e-10)["lambda1_tauN"]
    t = np.array([2.0, 2.0 + 1.0 / lam, 1e6 / lam])
    res = compute_wer(sigma=sigma, h=h, chi_cos=0.0, times=t, rtol=1e-9)
    w_inf = res["wer"][2]  # stationary (fully relaxed) value
    decay = -math.log((res["wer"][1] - w_inf) / (res["wer"][0] - w_inf)) * lam
    assert abs(decay / lam - 1) < 1e-6, decay / lam


def test_a_high_barrier_is_resolved_by_flux_over_population_not_left_to_the_eigensolver():
    """σ = 300 without current (λ₁ = 3.0e-127, far below eigh_tridiagonal's resolution): the chain's slow mode
    comes from row-scaled flux over population.  Unscaled, its committors reached −2e82 and λ₁ was off by
    40 orders; the eigensolver's modal sum then gave WER = 1.499 with a two-sum bound of 0.004, and the run
    went to 2^20 cells (6 minutes) without converging.  Independent truth: the exact axial λ₁ (series
    solution) and WER = 1 (no switching in 10 τ_N: 1 − WER ~ λ₁ t)."""
    from thermokinetic.fokker_planck.axial import AxialProblem

    res = compute_wer(sigma=300.0, alpha=0.01, times=[0.1, 1.0, 10.0], rtol=1e-3)
    exact = AxialProblem.uniaxial(300.0).lambda1().lambda1
    assert res["converged"] and res["cells"] <= 4096 and res["lambda1_method"] == "flux-over-population"
    assert res["lambda1_tauN"] == pytest.approx(exact, rel=2e-3)  # O(h^2): 7e-4 at 1024 cells
    assert np.all(np.abs(res["wer"] - 1.0) <= res["error_estimate"] + 1e-15)


@pytest.mark.slow
def test_axial_reduction_agrees_with_the_mesh_within_their_estimates():
    # the geodesic mesh integrated in time (another discretization, another time integrator)
    t = [0.5, 1.0, 2.0, 5.0, 10.0]
    kw = dict(sigma=8.0, alpha=1.0, chi_cos=-9.0)
    ax = compute_wer(times=t, rtol=1e-7, **kw)
    me = compute_wer(times=t, rtol=1e-3, method="mesh", max_cells=11_000, **kw)
    assert ax["converged"] and me["converged"] and me["method"] == "mesh"
    diff = np.abs(me["wer"] / ax["wer"] - 1)
    assert np.all(diff <= me["error_estimate"] + ax["error_estimate"]), (diff, me["error_estimate"])
    assert ax["wer"][-1] < 1e-3  # spans three decades: the comparison is not only near WER = 1


def test_upper_fraction_tiles_the_hemisphere():
    from thermokinetic.sphere import geodesic_mesh

    m = geodesic_mesh(4)
    f = upper_fraction(m)
    assert abs(f @ m.areas / (2 * np.pi) - 1) < 2e-4  # flat fan triangles: O(h²) against the sphere
    assert 0 < np.count_nonzero((f > 0) & (f < 1)) < 0.05 * m.n_cells


@pytest.mark.parametrize("kw, name", [
    (dict(times=[1.0, 0.5]), "times"), (dict(times=[0.0, 1.0]), "times"), (dict(times=[]), "times"),
    (dict(times=[1.0], rtol=0.0), "rtol"), (dict(times=[1.0], rtol=1.0), "rtol"),
    (dict(times=[1.0], sigma_p=-1.0), "sigma_p"), (dict(times=[1.0], alpha=0.0), "alpha"),
    (dict(times=[1.0], method="exact"), "method"), (dict(times=[1.0], sigma_p=5.0, method="axial"), "method"),
    (dict(times="1,2"), "times"), (dict(times=[1.0, float("nan")]), "times"),
])
def test_bad_input_names_the_parameter(kw, name):
    args = dict(sigma=10.0, chi_cos=-1.0)
    args.update(kw)
    with pytest.raises(ParameterError) as e:
        compute_wer(**args)
    assert e.value.name == name or str(e.value).startswith(name)


def _assert_sllg_agrees(run, fp, n: int, bias: float) -> list:
    """At every FP time, the SLLG fraction with u_z > 0 (``n`` samples) agrees with the FP WER within three
    combined standard errors (Monte Carlo, the FP estimate) plus ``bias`` × the value (Heun's time-step
    bias); returns the SLLG fractions."""
    ps = []
    for t, w, e in zip(fp["times_tauN"], fp["wer"], fp["error_estimate"]):
        k = int(np.argmin(np.abs(run.times - t)))
        assert abs(run.times[k] - t) < 1e-9
        p = float(np.mean(run.samples[k][:, 2] > 0))
        se = math.sqrt(max(p * (1 - p), w * (1 - w)) / n)
        assert abs(p - w) <= 3 * math.hypot(se, e * w) + bias * w, (t, p, w, se, e)
        ps.append(p)
    return ps


def _sample_restricted(energy, n, rng):
    """Directions from e^{−U} restricted to u_z > 0 (rejection from the uniform hemisphere)."""
    out = []
    umin = float(np.min(energy.value(np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]))))
    while sum(len(o) for o in out) < n:
        v = rng.standard_normal((4 * n, 3))
        v /= np.linalg.norm(v, axis=1)[:, None]
        v[:, 2] = np.abs(v[:, 2])
        keep = rng.random(len(v)) < np.exp(-(energy.value(v) - umin))
        out.append(v[keep])
    return np.concatenate(out)[:n]


@pytest.mark.parametrize("case", ["axial", pytest.param("thin_film", marks=pytest.mark.slow)])
def test_wer_agrees_with_the_stochastic_llg(case):
    from thermokinetic.energy import thin_film
    from thermokinetic.stochastic import StochasticLLG

    if case == "axial":
        sigma, sigma_p, alpha, c, times, max_cells = 10.0, 0.0, 0.5, -12.5, [0.25, 0.5, 1.0], None
    else:
        # σ = 10, σ_p = 10, χ/α = 25 kT: the mesh meets 1e-2 on levels 3–6 (~70 s)
        sigma, sigma_p, alpha, c, times, max_cells = 10.0, 10.0, 1.0, -25.0, [0.2, 0.5, 1.0], 50_000
    fp = compute_wer(sigma=sigma, sigma_p=sigma_p, alpha=alpha, chi_cos=c, times=times, rtol=1e-2,
                     max_cells=max_cells)
    assert fp["method"] == ("axial" if case == "axial" else "mesh")
    energy = thin_film(sigma, sigma_p)
    ez = np.array([0.0, 0.0, 1.0])
    model = StochasticLLG(energy, alpha, chi=lambda u: c * u[:, 2], chi_grad=lambda u: np.broadcast_to(c * ez, u.shape))
    rng = np.random.default_rng(2026)
    n = 4000
    u0 = _sample_restricted(energy, n, rng)
    dt = 0.001
    every = 50  # a record every 0.05 tau_N (every pulse width is a multiple)
    run = model.run(u0, times[-1], dt, seed=11, record_every=every, keep_samples=True, progress=False)
    # Monte Carlo SE, the FP estimate, and the Heun time-step bias (O(dt), ≲ 0.5 % of the value
    # at dt = 1e-3, measured on the escape-time comparison of test_stochastic_vs_fokker_planck)
    ps = _assert_sllg_agrees(run, fp, n, bias=0.005)
    # the pulse widths span the switching: the comparison is not made where WER ≈ 1 or ≈ 0 only
    assert max(ps) > 0.3 and min(ps) < 0.2


@pytest.mark.slow
def test_strong_current_early_times_are_integrated_and_agree(monkeypatch):
    # χ/α = 160 kT (twice critical): the initial state sits ~300 kT above the current-on equilibrium,
    # the modal sum cancels at early times and those times are integrated (BDF on the same chain).
    # A 1e-3 run must lie within its own estimate of a 1e-6 run (which uses the integration more).
    import thermokinetic.fokker_planck.wer as W

    calls = []
    orig = W._integrate_chain

    def spy(*a, **k):
        calls.append(a[3].size)
        return orig(*a, **k)

    monkeypatch.setattr(W, "_integrate_chain", spy)
    t = np.geomspace(0.01, 1.0, 12)
    fine = compute_wer(sigma=40.0, alpha=0.01, chi_cos=-1.6, times=t, rtol=1e-6)
    assert calls and fine["converged"] and fine["wer"][-1] < 1e-30
    coarse = compute_wer(sigma=40.0, alpha=0.01, chi_cos=-1.6, times=t, rtol=1e-3)
    diff = np.abs(coarse["wer"] / fine["wer"] - 1)
    assert np.all(diff <= coarse["error_estimate"] + fine["error_estimate"]), diff


# ------------------------------------------------------------------------------------------------
# current ramps
# ------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_ramp_distribution_agrees_with_the_time_dependent_chain():
    # independent: the 1D chain integrated in time with the current ramping (no rates, no two-state
    # reduction); the hemisphere survival must match 1 - P(c).  Measured: 0.08-0.19 % apart (the
    # adiabatic two-state limit neglects the intra-well relaxation lag); tolerance 0.5 %.
    import scipy.sparse as sp
    from scipy.integrate import solve_ivp

    from thermokinetic.fokker_planck.wer import _chain, ramp_switching

    sig, al, v = 15.0, 0.05, 1e-3
    r = ramp_switching(sigma=sig, alpha=al, ramp_rates=[v])
    assert r["median_error_estimate"][0] < 1e-4
    n = 512

    def J_at(t):
        pi, cf, p0, up, _ = _chain(lambda x: -sig * np.asarray(x) ** 2 + v * t / al * np.asarray(x),
                                   lambda x: -sig * np.asarray(x) ** 2, n)
        diag = np.zeros(n)
        diag[:-1] += cf
        diag[1:] += cf
        return (sp.diags([cf, cf, -diag], [-1, 1, 0], format="csc") @ sp.diags(1.0 / pi)).tocsc(), p0, up

    _, p0, up = J_at(0.0)
    cs = np.array([0.6, 0.8, 1.0, 1.1]) * r["median_c"][0]
    sol = solve_ivp(lambda t, y: J_at(t)[0] @ y, (0, cs[-1] / v), p0, method="BDF", jac=lambda t, y: J_at(t)[0],
                    t_eval=cs / v, rtol=1e-8, atol=1e-14)
    assert sol.success
    chain = 1 - up @ sol.y
    rates = np.interp(cs, r["c_kT"], r["P_switched"][0])
    assert np.all(np.abs(chain / rates - 1) < 5e-3), chain / rates - 1
    assert 0.04 < chain[0] and chain[-1] < 0.8  # the comparison spans the distribution


@pytest.mark.slow
def test_usual_fit_recovers_a_b1_model_and_reports_the_bias_for_the_real_one(monkeypatch):
    # the fitting code on data generated by its own b = 1 model: exact recovery
    import thermokinetic.fokker_planck.wer as W

    delta, cc0, f0 = 30.0, 0.6, 2.0

    class FakeRates:
        def __init__(self, c):
            self.gamma_plus = f0 * math.exp(-delta * (1 - c / cc0))

    class FakeProblem:
        @staticmethod
        def uniaxial(sigma, h, chi, alpha):
            c = -float(chi(1.0))
            return type("P", (), {"escape_rates": lambda self: FakeRates(c)})()

    import thermokinetic.fokker_planck.axial as A

    monkeypatch.setattr(A, "AxialProblem", FakeProblem)
    res = W.ramp_switching(sigma=delta, alpha=cc0 / (2 * delta), ramp_rates=[1e-6, 1e-4], attempt_frequency=f0)
    assert res["fit"]["delta_kT"] == pytest.approx(delta, rel=1e-9)
    assert res["fit"]["c_c0"] == pytest.approx(cc0, rel=1e-9)
    assert res["fit"]["residual_rms_ln_rate"] < 1e-9
    monkeypatch.undo()
    # the real model (b = 2): exact values reported, the b = 1 fit visibly biased, medians ordered
    real = W.ramp_switching(sigma=40.0, alpha=0.01, ramp_rates=[1e-6, 1e-3])
    assert real["exact"] == pytest.approx({"delta_kT": 40.0, "c_c0": 0.8, "barrier": real["exact"]["barrier"]})
    assert real["fit"]["delta_kT"] < 0.8 * 40.0 and real["fit"]["residual_rms_ln_rate"] > 0.1
    assert real["median_c"][0] < real["median_c"][1] < 0.8


def test_ramp_bad_input():
    from thermokinetic.fokker_planck.wer import ramp_switching

    for kw, name in ((dict(ramp_rates=[0.0]), "ramp_rates"), (dict(ramp_rates=[1e3]), "ramp_rates"),
                     (dict(ramp_rates=[1e-4], sigma=1.0), "sigma"), (dict(ramp_rates=[1e-4], h=0.95), "h")):
        args = dict(sigma=20.0, alpha=0.05, n_grid=50)
        args.update(kw)
        with pytest.raises(ParameterError) as e:
            ramp_switching(**args)
        assert name in str(e.value)
