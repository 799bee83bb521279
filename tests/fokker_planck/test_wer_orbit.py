"""The orbit-aligned write-error rate (low damping, thin films): its L-stable integrator against exact
exponentials, the method choice, bad input, and the whole method against the stochastic LLG."""
import math

import numpy as np
import pytest
import scipy.sparse as sp

from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import compute_wer
from thermokinetic.fokker_planck.wer import _TRBDF2, _integrate_wer, _orbit_wanted


class _NoMesh:
    """The integrator reads only the mesh's LU settings."""


def _two_state(k_out, k_back):
    """Populations (up, down) with rates up→down k_out and down→up k_back: W(t) = p_up(t) is exact."""
    J = sp.csc_matrix(np.array([[-k_out, k_back], [k_out, -k_back]]))
    f = np.array([1.0, 0.0])
    s = k_out + k_back
    return J, f, (lambda t: (k_back + k_out * np.exp(-s * t)) / s)


def test_trbdf2_is_second_order_with_an_honest_halving_estimate():
    J, f, exact = _two_state(30.0, 0.0)  # a pure decay down to WER 1e-9 and below
    times = np.geomspace(0.01, 0.8, 12)  # exact WER from 0.74 to 3.8e-11
    g = np.asarray(J.T @ f).ravel()
    err = {}
    W = {}
    for M in (16, 32, 64, 128):
        W[M] = _integrate_wer(_TRBDF2(J, _NoMesh()), np.array([1.0, 0.0]), f, g, times, M)
        err[M] = np.max(np.abs(W[M] / exact(times) - 1))
    # second order once λh < 1 at the last time (M = 8 has λh = 3 there: 100 % off, which the
    # halving test sees): the error falls 4x per halving of the step (measured 3.7, 4.0, 4.0)
    for M in (16, 32, 64):
        assert 3.5 < err[M] / err[2 * M] < 4.5, err
    # the estimate the method reports, |W_2M - W_M| / 3 relative, bounds the true error of W_2M within 2x
    for M in (16, 32, 64):
        est = np.abs(W[2 * M] - W[M]) / 3 / W[2 * M]
        true = np.abs(W[2 * M] / exact(times) - 1)
        assert np.all(true <= 2 * est) and np.all(est <= 2 * true + 1e-14), (M, est, true)


def test_trbdf2_damps_an_unresolved_precession_instead_of_following_it():
    # a rotation of frequency w with w h = 1e4 (the along-orbit modes at low damping): L-stable, so one
    # step leaves ~1/(w h) of the amplitude (|R(i y)| -> 0), where BDF of order > 2 would have to follow it
    w = 1e6
    J = sp.csc_matrix(np.array([[0.0, w], [-w, 0.0]]))
    st = _TRBDF2(J, _NoMesh())
    y = st.step(np.array([1.0, 0.0]), 1e-2, 1)
    assert np.linalg.norm(y) < 1e-3
    # and a slow mode next to it keeps its second-order accuracy
    J2 = sp.block_diag([J, sp.csc_matrix([[-1.0]])]).tocsc()
    y = _TRBDF2(J2, _NoMesh()).step(np.array([1.0, 0.0, 1.0]), 1e-2, 100)
    assert abs(y[2] / math.exp(-1.0) - 1) < 1e-5


def test_auto_takes_the_orbit_mesh_only_where_the_precession_is_unresolved():
    from thermokinetic.energy import thin_film

    why = _orbit_wanted(thin_film(10.0, 50.0), 0.02, 0.0)
    assert why and "Peclet" in why
    assert _orbit_wanted(thin_film(10.0, 10.0), 1.0, 0.0) is None  # the geodesic mesh's regime


@pytest.mark.parametrize("kw, name", [
    (dict(sigma=10.0, method="orbit"), "method"),  # axial: no saddle points, no orbit graph
    (dict(sigma=10.0, sigma_p=50.0, alpha=5e-5, method="orbit"), "alpha"),
    (dict(sigma=10.0, sigma_p=50.0, alpha=0.02, method="orbit", max_cells=100), "max_cells"),
])
def test_orbit_bad_input_names_the_parameter(kw, name):
    args = dict(times=[0.1], chi_cos=-2.0, alpha=0.02)
    args.update(kw)
    with pytest.raises(ParameterError) as e:
        compute_wer(**args)
    assert e.value.name == name


@pytest.mark.slow
def test_orbit_wer_agrees_with_the_stochastic_llg_at_low_damping():
    # film σ = 10, σ_p = 50 at α = 0.02 with χ/α = 1.5 × critical: precession ~1e3 per τ_N, far beyond the
    # geodesic mesh (cell Péclet ~ 90); levels 1–4 converge to 5e-2 in about a minute
    from tests.fokker_planck.test_wer import _assert_sllg_agrees, _sample_restricted
    from thermokinetic.energy import thin_film
    from thermokinetic.stochastic import StochasticLLG

    sigma, sigma_p, alpha = 10.0, 50.0, 0.02
    c = -1.5 * alpha * (2 * sigma + sigma_p)
    times = [0.05, 0.1, 0.2]
    fp = compute_wer(sigma=sigma, sigma_p=sigma_p, alpha=alpha, chi_cos=c, times=times, rtol=5e-2)
    assert fp["method"] == "orbit" and fp["converged"]
    energy = thin_film(sigma, sigma_p)
    ez = np.array([0.0, 0.0, 1.0])
    model = StochasticLLG(energy, alpha, chi=lambda u: c * u[:, 2], chi_grad=lambda u: np.broadcast_to(c * ez, u.shape))
    n = 20000
    u0 = _sample_restricted(energy, n, np.random.default_rng(2026))
    dt = 2.5e-5
    run = model.run(u0, times[-1], dt, seed=11, record_every=2000, keep_samples=True, progress=False)
    # Heun's bias at this precession (ω dt ≈ 0.03), first order in dt: measured at t = 0.05 with 4000–20000
    # samples, 0.5555, 0.583, 0.5816, 0.5933 at dt = 2e-4, 1e-4, 5e-5, 2.5e-5, i.e. ≈ 4 % × dt/2e-4
    # (0.5 % here); allowed 2 % of the value
    _assert_sllg_agrees(run, fp, n, bias=0.02)
