"""One Onsager matrix generates every dynamics (thermokinetic.dynamics.Drift).

Truths used: the Landau–Lifshitz and Gilbert closed forms (seed 002 Eq. 4–6) and the SI generalized
LLG (Eq. 24); the exact 1D axial reduction of Brown's equation; the closed-form switching time of the
axial LLG; the exact axial stationary density e^{−U_d}; the Schur complement by hand.

Run: .venv/bin/pytest tests/test_dynamics.py -q
"""
import math

import numpy as np
import pytest

from thermokinetic.dynamics import Drift
from thermokinetic.energy import Uniaxial, surface_gradient, uniaxial_zeeman
from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import assemble, escape_rates, stationary
from thermokinetic.fokker_planck.axial import AxialProblem
from thermokinetic.llg import GeneralizedLLG, generalized_llg_si, switching_time, switching_time_axial
from thermokinetic.onsager import OnsagerError, OnsagerSystem, ferromagnetic_block, gilbert_drift, ll_drift
from thermokinetic.sphere import geodesic_mesh
from thermokinetic.stochastic import StochasticLLG, stationary_histogram
from thermokinetic.units import MU0

RNG = np.random.default_rng(3)


def _directions(n):
    u = RNG.normal(size=(n, 3))
    return u / np.linalg.norm(u, axis=1, keepdims=True)


def _tangent(u, v):
    return v - np.sum(u * v, axis=1, keepdims=True) * u


# ------------------------------------------------------------------ the reduced block: closed forms
@pytest.mark.parametrize("alpha", [0.005, 0.1, 1.0, 30.0])
def test_reduced_block_is_landau_lifshitz_and_gilbert(alpha):
    d = Drift.from_alpha(alpha)
    assert (d.dissipative, d.gyrotropic, d.diffusion) == (0.5, 0.5 / alpha, 0.5)
    assert d.alpha == pytest.approx(alpha, rel=1e-15)
    u = _directions(50)
    gU = _tangent(u, RNG.normal(size=(50, 3)))
    v = d.velocity(u, gU)
    H = -gU  # reduced effective field
    # LL form with L_F = 1/(2α) (Eq. 4), Gilbert form solved as a linear system (Eq. 5) with γ such
    # that γ/(1+α²) = L_F (Eq. 6), and the hand-written reduced equation
    assert np.allclose(v, ll_drift(u, H, alpha, 0.5 / alpha), rtol=0, atol=1e-13 * (1 + 1 / alpha))
    assert np.allclose(v, gilbert_drift(u, H, alpha, (1 + alpha**2) / (2 * alpha)), rtol=0,
                       atol=1e-12 * (1 + 1 / alpha))
    assert np.allclose(v, -0.5 * gU + np.cross(u, gU) / (2 * alpha), rtol=0, atol=1e-14 * (1 + 1 / alpha))


def test_spin_transfer_fields_match_the_si_generalized_llg():
    alpha = 0.02
    d = Drift.from_alpha(alpha)
    u = _directions(40)
    gU, gphi, gchi = (_tangent(u, RNG.normal(size=(40, 3))) for _ in range(3))
    # Eq. 24 in SI with γμ0/(1+α²) = 1/(2α): H_eff = −∇U, G_Φ = ∇Φ, G_χ = ∇χ
    gamma = (1 + alpha**2) / (2 * alpha * MU0)
    ref = generalized_llg_si(u, -gU, alpha, gamma, grad_phi=gphi, grad_chi=gchi)
    assert np.allclose(d.velocity(u, gU, gphi, gchi), ref, rtol=0, atol=1e-11)
    # Φ acts only through the precession potential, χ only through the dissipative one
    assert np.allclose(d.velocity(u, gU, grad_chi=gchi) - d.velocity(u, gU), 0.5 / alpha * gchi, atol=1e-12)
    assert np.allclose(d.velocity(u, gU, grad_phi=gphi) - d.velocity(u, gU),
                       np.cross(u, gphi) / (2 * alpha), atol=1e-12)


# ------------------------------------------------------------------ one coefficient, three dynamics
SIGMA, ALPHA = 4.0, 0.3


def _doubled_damping_block():
    """L_θθ = L_φφ doubled (a = 1), L_θφ unchanged (g = 1/2α): α' = 2α and every rate ×2."""
    return Drift(ferromagnetic_block(2 * ALPHA, 0.5 / ALPHA))


def test_changed_coefficient_changes_the_deterministic_trajectory():
    d = _doubled_damping_block()
    assert (d.dissipative, d.gyrotropic) == pytest.approx((1.0, 0.5 / ALPHA), rel=1e-15)
    h = -1.2  # beyond the switching field h = −1: the parallel well is gone, θ grows monotonically
    U = uniaxial_zeeman(SIGMA, h)
    theta0, theta1 = 0.8, 2.6
    t_ref = GeneralizedLLG(U, ALPHA)
    t_new = GeneralizedLLG(U, d)
    T_ref = switching_time(t_ref, theta0, theta1, rtol=1e-10, atol=1e-12)
    T_new = switching_time(t_new, theta0, theta1, rtol=1e-10, atol=1e-12)
    # closed forms of the axial switching time (llg module docstring)
    assert T_ref == pytest.approx(switching_time_axial(SIGMA, h, ALPHA, theta0, theta1), rel=1e-7)
    assert T_new == pytest.approx(0.5 * switching_time_axial(SIGMA, h, 2 * ALPHA, theta0, theta1), rel=1e-7)


def test_changed_coefficient_changes_the_fokker_planck_stationary_density_and_escape_rate():
    """χ = c cos θ: stationary density ∝ e^{−U + (g/a)χ}; λ₁ = 2 λ₁(α' = 2α) of the exact reduction."""
    c = 0.5
    d = _doubled_damping_block()
    U = Uniaxial(SIGMA)

    def chi(u):
        return c * u[..., 2]

    m = geodesic_mesh(4)
    errs = {}
    for label, dyn, weight in (("reduced", ALPHA, 1 / ALPHA), ("changed", d, 1 / (2 * ALPHA))):
        gen = assemble(m, U, dyn, chi=chi, current=1.0)
        rho = stationary(gen)
        x = m.centers[:, 2]
        w = np.exp(SIGMA * x**2 + weight * c * x)
        w /= np.dot(m.areas, w)
        errs[label] = float(np.max(np.abs(rho - w)) / np.max(w))
        lam = escape_rates(gen).lambda1
        ex = AxialProblem(lambda x: -SIGMA * x**2, chi=lambda x: c * x, alpha=1 / weight).lambda1().lambda1
        scale = 1.0 if label == "reduced" else 2.0  # a = 1: time unit τ_N/2
        errs[label + " lambda1"] = abs(lam - scale * ex) / (scale * ex)
    # O(h²) on a level-4 mesh, the changed block as accurate as the reduced one (measured: density
    # 2.9e-4 and 8.5e-5 of its maximum, λ₁ 1.67e-3 and 1.71e-3)
    assert errs["reduced"] < 1e-3 and errs["changed"] < 1e-3
    assert errs["reduced lambda1"] < 4e-3 and errs["changed lambda1"] < 4e-3
    # and the change is visible: the two stationary densities differ by far more than the error
    g1 = stationary(assemble(m, U, ALPHA, chi=chi))
    g2 = stationary(assemble(m, U, d, chi=chi))
    assert np.max(np.abs(g1 - g2)) / np.max(g1) > 0.2  # measured 0.25


def test_changed_coefficient_changes_the_stochastic_llg_identically():
    """⟨cos θ⟩ of the SLLG stationary ensemble against the exact e^{−U + (g/a)χ} for both blocks."""
    c = 1.5
    U = Uniaxial(1.0)

    def chi(u):
        return c * u[..., 2]

    def exact_mean(weight):
        x = np.linspace(-1, 1, 20001)
        w = np.exp(x**2 + weight * c * x)
        return float(np.trapezoid(x * w, x) / np.trapezoid(w, x))

    for dyn, weight in ((ALPHA, 1 / ALPHA), (_doubled_damping_block(), 1 / (2 * ALPHA))):
        model = StochasticLLG(U, dyn, chi=chi, chi_grad=lambda u: np.tile([0.0, 0.0, c], (len(u), 1)))
        res = stationary_histogram(model, n_chains=400, t_burn=2.0, t_run=4.0, dt=2e-3, seed=11, progress=False)
        mean, sem = res.averages["x"]
        # statistical error (4 SEM) plus the O(dt) bias (measured below 2e-3 at dt = 2e-3)
        assert abs(mean - exact_mean(weight)) < 4 * sem + 3e-3, (dyn, mean, sem, exact_mean(weight))
    assert exact_mean(1 / ALPHA) - exact_mean(1 / (2 * ALPHA)) > 0.1  # the change is measurable


# ------------------------------------------------------------------ elimination of an imposed current
def test_a_coupling_of_one_component_only_is_refused_naming_the_entry():
    """l∥ alone (θ component) renormalizes L_θθ only: an anisotropic damping the generator cannot take."""
    mag = ferromagnetic_block(0.1, 5.0)
    el = OnsagerSystem(["J_e"], ["E"], [[2.0]], [1], "electric")
    sysm = mag.compose(el, {("J_theta", "E"): 0.6}, cross_odd_in_field={("J_theta", "E"): True})
    with pytest.raises(OnsagerError, match=r"L\[J_theta, J_theta\].*isotropic"):
        Drift(sysm)


def test_isotropic_spin_transfer_coupling_and_the_second_law():
    # both components coupled to one spin-accumulation force each (Eq. 20): l∥ to δJ, l⊥ to δJ⊥
    mag = ferromagnetic_block(0.1, 5.0)
    el = OnsagerSystem(["dJ_perp", "dJ"], ["F_perp", "F"], np.diag([2.0, 2.0]), [1, 1], "spin")
    l = 0.6
    odd = {("J_phi", "F_perp"): True, ("J_theta", "F"): True}
    sysm = mag.compose(el, {("J_phi", "F_perp"): l, ("J_theta", "F"): l}, cross_odd_in_field=odd)
    d = Drift(sysm)
    assert d.imposed == ["dJ_perp", "dJ"]
    # the imposed spin currents drive the magnetization through L_me L_ee⁻¹ = l/σ (Eq. 21: flux g X)
    assert d.transfer == pytest.approx(np.array([[0.0, l / 2.0], [l / 2.0, 0.0]]), rel=1e-14)
    assert d.spin_transfer_field([1.0, 3.0]) == pytest.approx([3.0 * l / 2.0 / 5.0, l / 2.0 / 5.0], rel=1e-14)
    # odd (antisymmetric) coupling: the eliminated spin channel adds l²/σ to the damping (spin pumping)
    assert d.dissipative == pytest.approx(0.5 + l * l / 2.0, rel=1e-14)
    assert d.gyrotropic == pytest.approx(5.0, rel=1e-14)
    # even (symmetric) coupling lowers it by l²/σ; beyond l² = aσ the second law fails, named
    even = mag.compose(el, {("J_phi", "F_perp"): 0.6, ("J_theta", "F"): 0.6})
    assert Drift(even).dissipative == pytest.approx(0.5 - 0.18, rel=1e-14)
    with pytest.raises(OnsagerError, match="second law|positive"):
        mag.compose(el, {("J_phi", "F_perp"): 1.2, ("J_theta", "F"): 1.2})


# ------------------------------------------------------------------ refusals
def test_refusals_name_the_coefficient():
    with pytest.raises(OnsagerError, match=r"L\[J_theta, J_theta\]"):
        Drift(OnsagerSystem(["J_theta", "J_phi"], ["H_theta", "H_phi"], [[1.0, 2.0], [-2.0, 1.5]], [1, 1],
                            odd_in_field=[[False, True], [True, False]]))
    with pytest.raises(OnsagerError, match="magnetization"):
        Drift(OnsagerSystem(["J_a", "J_b"], ["X_a", "X_b"], np.eye(2), [1, 1]))
    with pytest.raises(ParameterError, match="system"):
        Drift("alpha=0.1")
    with pytest.raises(ParameterError, match="alpha"):
        Drift.from_alpha(0.0)
    with pytest.raises(ParameterError, match="alpha"):
        GeneralizedLLG(Uniaxial(1.0), -1.0)


# ------------------------------------------------------------------ the one finite-difference gradient
@pytest.mark.parametrize("order", [2, 4])
def test_surface_gradient_converges_at_its_order(order):
    U = uniaxial_zeeman(3.0, 0.2, 30.0)
    u = _directions(30)
    exact = U.gradient(u)
    errs = [np.max(np.abs(surface_gradient(U.value, u, h, order) - exact)) for h in (0.02, 0.01)]
    assert math.log2(errs[0] / errs[1]) == pytest.approx(order, abs=0.2)


# ------------------------------------------------------------------ entropy production of the coupled system
def _pumped_valve(l=0.6, sigma_e=2.0):
    mag = ferromagnetic_block(0.1, 5.0)  # a = 0.5, g = 5
    el = OnsagerSystem(["dJ_perp", "dJ"], ["F_perp", "F"], np.diag([sigma_e, sigma_e]), [1, 1], "spin")
    odd = {("J_phi", "F_perp"): True, ("J_theta", "F"): True}
    return Drift(mag.compose(el, {("J_phi", "F_perp"): l, ("J_theta", "F"): l}, cross_odd_in_field=odd))


def test_entropy_production_is_split_and_nonnegative_at_every_point():
    d = _pumped_valve()
    u = _directions(2000)
    gU = _tangent(u, 3 * RNG.normal(size=(2000, 3)))
    Je = 4 * RNG.normal(size=(2000, 2))
    ep = d.entropy_production(u, gU, Je)
    assert np.min(ep["total"]) >= -1e-12 * np.max(ep["total"])  # the second law, point by point
    assert np.allclose(ep["total"], ep["magnetic"] + ep["imposed"], rtol=1e-13, atol=0)
    # spin transfer pumps energy into the magnet somewhere (anti-damping), the current pays for it
    assert np.min(ep["magnetic"]) < 0 and np.mean(ep["magnetic"] < 0) > 0.05
    # without imposed current: the renormalized damping a_eff |H|², a_eff = a + l²/σ (closed form)
    ep0 = d.entropy_production(u, gU)
    assert ep0["total"] == pytest.approx((0.5 + 0.36 / 2.0) * np.sum(gU**2, axis=1), rel=1e-12)
    # the magnetization flux of the whole matrix is the drift plus the spin-transfer flux g X
    from thermokinetic.onsager import tangent_basis

    et, ephi = tangent_basis(u)
    X = d.spin_transfer_field(Je)
    assert np.allclose(ep["velocity"], d.velocity(u, gU) + d.gyrotropic * (X[:, :1] * et + X[:, 1:] * ephi),
                       rtol=0, atol=1e-11)


def test_entropy_production_along_a_spin_transfer_driven_llg_trajectory():
    """The LLG fed by the Helmholtz potentials of the imposed spin current equals the whole matrix's flux,
    and T dS/dt ≥ 0 along the trajectory while the magnet alone is driven uphill."""
    from thermokinetic.llg import trajectory

    d = _pumped_valve()
    Je = np.array([0.0, -10.0])  # spin current in the θ channel: X_θ = l J/(σ g) = −0.6, towards the pole
    X = d.spin_transfer_field(Je)

    def polar(u):
        return np.arccos(np.clip(u[..., 2], -1, 1))

    def e_theta(u):
        from thermokinetic.onsager import tangent_basis
        return tangent_basis(u)[0]

    # ∇(c θ) = c e_θ and u × ∇(c θ) = c e_φ: χ = X_θ θ and Φ = X_φ θ reproduce X (away from the poles)
    U = Uniaxial(2.0)
    model = GeneralizedLLG(U, d, chi=lambda u: X[0] * polar(u), grad_chi=lambda u: X[0] * e_theta(u),
                           phi=lambda u: X[1] * polar(u), grad_phi=lambda u: X[1] * e_theta(u))
    u0 = np.array([np.sin(2.0), 0.0, np.cos(2.0)])  # in the lower well, θ = 2.0
    tr = trajectory(model, u0, (0.0, 0.5), t_eval=np.linspace(0, 0.5, 51))
    pts = tr.u if tr.u.shape[-1] == 3 else tr.u.T
    gU = U.gradient(pts)
    ep = d.entropy_production(pts, gU, np.tile(Je, (len(pts), 1)))
    assert np.allclose(model.drift(pts), ep["velocity"], rtol=0, atol=1e-10)
    assert np.min(ep["total"]) >= 0
    assert np.any(ep["magnetic"] < 0)  # climbing out of the lower well against H
    assert pts[-1, 2] > pts[0, 2] + 0.1  # and it does climb
