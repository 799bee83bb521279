"""Ballistic spin-filter torque (thermokinetic.transport.ballistic, coupling.BallisticCoupler).

Truths: the Pauli-matrix expectation value and the current-operator definition for the plane
wave; the notes' closed forms (seed 000 §III.3) written out by hand; a density-matrix computation
for partially polarized beams; exact limits; finite differences for the coupler's potentials.

Run: .venv/bin/pytest tests/transport/test_ballistic.py -q
"""
import numpy as np
import pytest

from thermokinetic.coupling import BallisticCoupler, CosineCoupler, SlonczewskiCoupler
from thermokinetic.errors import ParameterError
from thermokinetic.transport.ballistic import (
    ballistic_spin_currents,
    ballistic_torque,
    plane_wave_spin_current,
    spin_current_unit,
    transverse_efficiency,
)

SX = np.array([[0, 1], [1, 0]], dtype=complex)
SY = np.array([[0, -1j], [1j, 0]], dtype=complex)
SZ = np.array([[1, 0], [0, -1]], dtype=complex)
PAULI = np.stack([SX, SY, SZ])
EZ = np.array([0.0, 0.0, 1.0])


def _pauli_expectation(chi):
    """⟨χ|σ_i|χ⟩ for spinors chi (..., 2), unnormalized: shape (..., 3)."""
    return np.einsum("...a,iab,...b->...i", np.conj(chi), PAULI, chi).real


def _random_amplitudes(rng, lossless=False):
    """(t_up, t_dn, r_up, r_dn) with |t|² + |r|² ≤ 1 per spin (= 1 when lossless)."""
    out = []
    for _ in range(2):
        w = 1.0 if lossless else rng.uniform(0.3, 1.0)
        f = rng.uniform(0, 1)
        ph = rng.uniform(0, 2 * np.pi, 2)
        out.append((np.sqrt(w * f) * np.exp(1j * ph[0]), np.sqrt(w * (1 - f)) * np.exp(1j * ph[1])))
    (tu, ru), (td, rd) = out
    return complex(tu), complex(td), complex(ru), complex(rd)


def _directions(rng, n):
    v = rng.normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


# ------------------------------------------------------------------------------------------------
# plane-wave spin current
def test_plane_wave_spin_current_equals_hbar_half_velocity_times_pauli_expectation():
    rng = np.random.default_rng(0)
    a = rng.normal(size=200) + 1j * rng.normal(size=200)
    b = rng.normal(size=200) + 1j * rng.normal(size=200)
    k = rng.uniform(-3, 3, size=200)
    hbar, mass, vol = 1.3, 0.7, 2.1
    J = plane_wave_spin_current(a, b, k, hbar=hbar, mass=mass, volume=vol)
    truth = (hbar / 2) * (hbar * k / (mass * vol))[:, None] * _pauli_expectation(np.stack([a, b], -1))
    # measured max |ΔJ| = 5.3e-15 at max|J| = 14.3, i.e. 3.7e-16 relative (rounding)
    assert np.max(np.abs(J - truth)) <= 1e-14 * np.max(np.abs(truth))
    # the +y eigenstate (1, i)/√2 carries +y spin: J = (0, ħ²k/2mΩ, 0) = (0, 1/2, 0) reduced
    # (the notes' printed Im(a b*) would give −1/2)
    Jy = plane_wave_spin_current(1 / np.sqrt(2), 1j / np.sqrt(2))
    assert np.allclose(Jy, [0.0, 0.5, 0.0], atol=1e-15, rtol=0)  # measured |ΔJ_y| 1.1e-16
    # notes' x and z expressions hold as printed
    assert np.allclose(J[:, 0], hbar**2 * k / (mass * vol) * (a * np.conj(b)).real, rtol=1e-14, atol=0)
    assert np.allclose(J[:, 2], hbar**2 * k / (2 * mass * vol) * (abs(a) ** 2 - abs(b) ** 2), rtol=1e-14, atol=0)


def test_plane_wave_spin_current_from_the_current_operator_by_finite_differences():
    """J_s^i = (ħ/2)(ħ/m) Im(ψ† σ_i ∂_x ψ) with ∂_x ψ by central differences of ψ(x) itself."""
    rng = np.random.default_rng(1)
    hbar, mass, vol = 1.0, 1.0, 1.7
    h = 1e-5
    for _ in range(20):
        a, b = rng.normal(size=2) + 1j * rng.normal(size=2)
        k = rng.uniform(-2, 2)
        x = rng.uniform(-5, 5)

        def psi(x):
            return np.exp(1j * k * x) / np.sqrt(vol) * np.array([a, b])

        dpsi = (psi(x + h) - psi(x - h)) / (2 * h)
        truth = (hbar / 2) * (hbar / mass) * np.einsum("a,iab,b->i", np.conj(psi(x)), PAULI, dpsi).imag
        J = plane_wave_spin_current(a, b, k, hbar=hbar, mass=mass, volume=vol)
        # measured worst over 20 draws: 3.4e-10 at |J| = 4.1 (8e-11 relative; O(k²h²) + rounding/h)
        assert np.max(np.abs(J - truth)) <= 1e-8 * max(1.0, np.max(np.abs(truth)))


# ------------------------------------------------------------------------------------------------
# the notes' closed forms
def _notes_currents(theta, tu, td, ru, rd):
    """Seed 000 §III.3 by hand, J_0 = 1/2 (reduced), y sign from ⟨σ_y⟩ (module docstring)."""
    J0 = 0.5
    s, c2, s2 = np.sin(theta), np.cos(theta / 2) ** 2, np.sin(theta / 2) ** 2
    ctt, crr = tu * np.conj(td), ru * np.conj(rd)
    J_in = J0 * np.array([s, 0.0, np.cos(theta)])
    J_t = J0 * np.array([s * ctt.real, -s * ctt.imag, abs(tu) ** 2 * c2 - abs(td) ** 2 * s2])
    J_r = -J0 * np.array([s * crr.real, -s * crr.imag, abs(ru) ** 2 * c2 - abs(rd) ** 2 * s2])
    cc = ctt + crr
    N = J0 * np.array([s * (1 - cc.real), s * cc.imag,
                       c2 * (1 - abs(tu) ** 2 - abs(ru) ** 2) - s2 * (1 - abs(td) ** 2 - abs(rd) ** 2)])
    return J_in, J_r, J_t, N


def test_spin_currents_and_torque_match_the_notes_closed_form():
    rng = np.random.default_rng(2)
    worst = 0.0
    for _ in range(50):
        amp = _random_amplitudes(rng)
        th = rng.uniform(0, np.pi)
        sc = ballistic_spin_currents(th, *amp)
        J_in, J_r, J_t, N = _notes_currents(th, *amp)
        for got, want in ((sc.incoming, J_in), (sc.reflected, J_r), (sc.transmitted, J_t), (sc.deposited, N)):
            worst = max(worst, np.max(np.abs(got - want)))
        # the balance itself: N = J_in + J_r − J_t
        assert np.allclose(N, J_in + J_r - J_t, atol=1e-15, rtol=0)
        # vector form in the notes' frame: m = e_z, p = (sin θ, 0, cos θ)
        res = ballistic_torque(EZ, *amp, p=(np.sin(th), 0.0, np.cos(th)))
        worst = max(worst, np.max(np.abs(res.torque - [N[0], N[1], 0.0])), abs(res.longitudinal - N[2]))
        worst = max(worst, abs(res.in_plane - N[0]), abs(res.out_of_plane - N[1]), abs(res.theta - th))
    # measured worst deviation: 1.5e-16
    assert worst <= 1e-14


def test_torque_for_arbitrary_directions_against_pauli_matrices():
    """m and p random: spinor of p in m's frame from an eigenvector of p·σ, Pauli expectation values
    of the three waves, rotated back to the lab frame.  Independent of the module's formulas."""
    rng = np.random.default_rng(3)
    worst = 0.0
    for _ in range(30):
        amp = _random_amplitudes(rng)
        tu, td, ru, rd = amp
        p = _directions(rng, 1)[0]
        ms = _directions(rng, 8)
        res = ballistic_torque(ms, *amp, p=p)
        for i, m in enumerate(ms):
            e1 = p - (m @ p) * m
            e1 /= np.linalg.norm(e1)
            frame = np.stack([e1, np.cross(m, e1), m])  # rows: lab components of the local axes
            pl = frame @ p
            w, v = np.linalg.eigh(pl[0] * SX + pl[1] * SY + pl[2] * SZ)
            chi = v[:, np.argmax(w)]  # eigenvalue +1
            J_in = 0.5 * _pauli_expectation(chi)
            J_t = 0.5 * _pauli_expectation(np.array([tu, td]) * chi)
            J_r = -0.5 * _pauli_expectation(np.array([ru, rd]) * chi)
            N_local = J_in + J_r - J_t
            N_lab = frame.T @ N_local
            worst = max(worst, np.max(np.abs(res.torque[i] - (N_lab - (N_lab @ m) * m))))
            worst = max(worst, abs(res.longitudinal[i] - N_local[2]))
    # measured worst deviation: 6.5e-16
    assert worst <= 1e-13


# ------------------------------------------------------------------------------------------------
# limits
def test_no_spin_filtering_gives_zero_torque():
    rng = np.random.default_rng(4)
    ms = _directions(rng, 100)
    p = _directions(rng, 1)[0]
    worst = 0.0
    for _ in range(20):
        t, _, r, _ = _random_amplitudes(rng, lossless=True)
        res = ballistic_torque(ms, t, t, r, r, p=p)
        worst = max(worst, np.max(np.abs(res.torque)), np.max(np.abs(res.longitudinal)))
    # measured: 1.1e-16 (1 − |t|² − |r|² rounding)
    assert worst <= 1e-14
    # a spin-independent loss A absorbs transverse spin: η_DL = P A (documented choice)
    t, r, P = 0.6j, -0.5, 0.8
    A = 1 - 0.36 - 0.25
    dl, fl = transverse_efficiency(t, t, r, r, polarization=P)
    assert dl == pytest.approx(P * A, abs=1e-15) and fl == 0.0


@pytest.mark.parametrize("r_dn", [-1.0, 1.0, 0.0])
def test_ideal_filter_absorbs_the_whole_transverse_spin_current(r_dn):
    """t↑ = 1, r↑ = 0, t↓ = 0, r↓ real (|r↓| = 1) or 0 (minority absorbed): N = S ħ²k/(2mΩ) sin θ p̂_⊥."""
    theta = np.linspace(0, np.pi, 37)
    m = np.stack([np.sin(theta), 0 * theta, np.cos(theta)], -1)
    S, k, hbar, mass, vol = 2.0, 3.0, 1.5, 0.5, 4.0
    res = ballistic_torque(m, 1.0, 0.0, 0.0, r_dn, p=EZ, area=S, k=k, hbar=hbar, mass=mass, volume=vol)
    N0 = S * hbar**2 * k / (2 * mass * vol)  # = 6.75
    assert N0 == pytest.approx(S * spin_current_unit(k, hbar=hbar, mass=mass, volume=vol), rel=1e-15)
    # exact: torque = N0 (p − cos θ m); measured max error 7.8e-16 (N0 = 6.75)
    want = N0 * (EZ - np.cos(theta)[:, None] * m)
    assert np.max(np.abs(res.torque - want)) <= 1e-14 * N0
    assert np.allclose(res.in_plane, N0 * np.sin(theta), rtol=0, atol=1e-14 * N0)
    assert np.all(res.out_of_plane == 0.0)
    assert res.eta_damping_like == 1.0 and res.eta_field_like == 0.0


def test_efficiency_bounds_and_the_spin_reversing_maximum():
    """|c| ≤ 1 ⇒ (η_DL − P)² + η_FL² ≤ P² (Cauchy–Schwarz); t↑ = 1, t↓ = −1 reaches η_DL = 2P."""
    rng = np.random.default_rng(5)
    for _ in range(500):
        amp = _random_amplitudes(rng)
        P = rng.uniform(0, 1)
        dl, fl = transverse_efficiency(*amp, polarization=P)
        assert (dl - P) ** 2 + fl**2 <= P**2 * (1 + 1e-12)
    assert transverse_efficiency(1.0, -1.0, 0.0, 0.0, polarization=0.7) == (pytest.approx(1.4, abs=1e-15), 0.0)


def test_torque_is_perpendicular_to_m():
    rng = np.random.default_rng(6)
    worst = 0.0
    for _ in range(20):
        amp = _random_amplitudes(rng)
        ms = _directions(rng, 200)
        res = ballistic_torque(ms, *amp, p=_directions(rng, 1)[0], polarization=rng.uniform(0, 1))
        worst = max(worst, np.max(np.abs(np.sum(res.torque * ms, axis=-1))))
    # measured: 1.7e-16
    assert worst <= 1e-14


def test_real_amplitudes_give_pure_sin_theta_in_plane_torque():
    theta = np.linspace(0, np.pi, 91)
    m = np.stack([np.sin(theta), 0 * theta, np.cos(theta)], -1)
    tu, td, ru, rd = 0.9, 0.4, -0.3, 0.8
    res = ballistic_torque(m, tu, td, ru, rd, p=EZ)
    assert np.all(res.out_of_plane == 0.0)
    # in-plane / sin θ is the constant J0 (1 − t↑t↓ − r↑r↓) = 0.5 (1 − 0.36 + 0.24) = 0.44
    want = 0.44 * np.sin(theta)
    # measured max error 5.6e-17
    assert np.max(np.abs(res.in_plane - want)) <= 1e-15
    # direction: +p_⊥ (towards p), and ⊥ to m×p
    mxp = np.cross(m, EZ)
    assert np.max(np.abs(np.sum(res.torque * mxp, axis=-1))) <= 1e-16  # measured 0


def test_complex_phase_gives_a_field_like_component():
    """t↑ = 1, t↓ = e^{iφ}: the transmitted spin precesses by φ about m; Im(t↑t↓*) = −sin φ."""
    phi = 0.7
    theta = np.linspace(0.1, 3.0, 15)
    p = np.array([0.0, 0.0, 1.0])
    m = np.stack([np.sin(theta), 0 * theta, np.cos(theta)], -1)
    res = ballistic_torque(m, 1.0, np.exp(1j * phi), 0.0, 0.0, p=p)
    # J0 sin θ Im c with c = e^{−iφ}: −0.5 sin θ sin φ, along m×p/|m×p|
    assert np.allclose(res.out_of_plane, -0.5 * np.sin(theta) * np.sin(phi), rtol=0, atol=1e-15)
    assert np.allclose(res.in_plane, 0.5 * np.sin(theta) * (1 - np.cos(phi)), rtol=0, atol=1e-15)
    fl = np.sum(res.torque * np.cross(m, p), axis=-1)
    assert np.all(fl < 0) and res.eta_field_like == pytest.approx(-np.sin(phi), abs=1e-15)


def test_lossless_filter_conserves_longitudinal_spin_and_particles():
    rng = np.random.default_rng(7)
    worst = 0.0
    for _ in range(50):
        amp = _random_amplitudes(rng, lossless=True)
        th = rng.uniform(0, np.pi, 10)
        sc = ballistic_spin_currents(th, *amp)
        worst = max(worst, np.max(np.abs(sc.incoming[:, 2] + sc.reflected[:, 2] - sc.transmitted[:, 2])))
        res = ballistic_torque(_directions(rng, 10), *amp, p=EZ, polarization=rng.uniform(0, 1))
        worst = max(worst, np.max(np.abs(res.longitudinal)), np.max(np.abs(res.transmission + res.reflection - 1)))
    # measured: 3.3e-16
    assert worst <= 1e-14
    # with losses A_σ the longitudinal deposit is J0 (cos²(θ/2) A↑ − sin²(θ/2) A↓)
    th = 1.1
    res = ballistic_torque((np.sin(th), 0, np.cos(th)), 0.5, 0.3, 0.5, 0.1, p=EZ)
    Au, Ad = 1 - 0.5, 1 - 0.1
    assert res.longitudinal == pytest.approx(0.5 * (np.cos(th / 2) ** 2 * Au - np.sin(th / 2) ** 2 * Ad), abs=1e-15)


def test_partial_polarization_against_a_density_matrix():
    """ρ = (1 + P p·σ)/2; spin flux ħ/2 Tr(σ ρ) per wave (J0 = 1/2), transmitted ρ_t = T ρ T†."""
    rng = np.random.default_rng(8)
    worst = 0.0
    for _ in range(30):
        tu, td, ru, rd = _random_amplitudes(rng)
        P = rng.uniform(0, 1)
        p = _directions(rng, 1)[0]
        res = ballistic_torque(EZ, tu, td, ru, rd, p=p, polarization=P)
        rho = 0.5 * (np.eye(2) + P * np.einsum("i,iab->ab", p, PAULI))
        T, R = np.diag([tu, td]), np.diag([ru, rd])

        def flux(r):
            return 0.5 * np.einsum("iab,ba->i", PAULI, r).real

        N = flux(rho) - flux(R @ rho @ R.conj().T) - flux(T @ rho @ T.conj().T)
        worst = max(worst, np.max(np.abs(res.torque - [N[0], N[1], 0.0])), abs(res.longitudinal - N[2]))
        tr = np.trace(T @ rho @ T.conj().T).real
        worst = max(worst, abs(res.transmission - tr))
    # measured: 1.1e-16
    assert worst <= 1e-14


# ------------------------------------------------------------------------------------------------
# BallisticCoupler
def test_coupler_field_is_tangent_linear_and_matches_the_torque():
    rng = np.random.default_rng(9)
    amp = _random_amplitudes(rng)
    p = _directions(rng, 1)[0]
    c = BallisticCoupler(p, *amp, polarization=0.6)
    u = _directions(rng, 300)
    X = c.field(u)
    assert np.max(np.abs(np.sum(X * u, axis=-1))) <= 1e-15  # measured 1.1e-16
    # X = τ̂ = torque / (S J0) with S J0 = 1/2 in reduced units; measured 1.4e-16
    N = ballistic_torque(u, *amp, p=p, polarization=0.6).torque
    assert np.max(np.abs(X - 2 * N)) <= 1e-14
    v1, v3 = c.velocity(u, 1.0, 0.1), c.velocity(u, 3.0, 0.1)
    assert np.max(np.abs(v3 - 3 * v1)) <= 1e-14 * np.max(np.abs(v3))  # measured 1.8e-15 of 9.4
    assert np.allclose(c.transmission(u), ballistic_torque(u, *amp, p=p, polarization=0.6).transmission,
                       rtol=0, atol=1e-15)


def test_coupler_no_filtering_is_zero():
    c = BallisticCoupler(EZ, 0.6, 0.6, 0.8j, 0.8j)
    u = _directions(np.random.default_rng(10), 100)
    # 1 − (0.36 + 0.64) rounds to 0 here: measured max |X| = 0
    assert np.max(np.abs(c.field(u))) <= 1e-15


def test_coupler_ideal_filter_equals_slonczewski_eta_one_and_general_case():
    rng = np.random.default_rng(11)
    u = _directions(rng, 500)
    p = _directions(rng, 1)[0]
    ideal = BallisticCoupler(p)  # defaults: t↑ = 1, t↓ = 0, r↑ = 0, r↓ = 1, P = 1
    slon = SlonczewskiCoupler(p, q=1.0, A=1.0, B=0.0)
    assert np.max(np.abs(ideal.field(u) - slon.field(u))) <= 1e-12  # measured 0 (identical arithmetic)
    assert np.allclose(ideal.chi_callable(u), slon.chi_callable(u), rtol=0, atol=1e-15)
    assert ideal.phi_callable is None and ideal.phi_is_zero
    # general amplitudes: Slonczewski with q = η_DL, A = 1, B = 0, field_like = η_FL/η_DL
    amp = (0.8 * np.exp(0.4j), 0.3 * np.exp(-1.1j), 0.5 * np.exp(2.0j), 0.9)
    c = BallisticCoupler(p, *amp, polarization=0.7)
    cc = amp[0] * np.conj(amp[1]) + amp[2] * np.conj(amp[3])
    dl, fl = 0.7 * (1 - cc.real), 0.7 * cc.imag
    s = SlonczewskiCoupler(p, q=dl, A=1.0, B=0.0, field_like=fl / dl)
    assert np.max(np.abs(c.field(u) - s.field(u))) <= 1e-12  # measured 2.2e-16
    cos = CosineCoupler(chi=dl, phi=fl, polarizer=p)
    assert np.max(np.abs(c.field(u) - cos.field(u))) <= 1e-12  # measured 0


def test_coupler_sign_pulls_towards_the_polarizer():
    rng = np.random.default_rng(12)
    p = _directions(rng, 1)[0]
    u = _directions(rng, 400)
    u = u[np.abs(u @ p) < 1 - 1e-6]
    for amp in [(1.0, 0.0, 0.0, 1.0), (0.9, 0.2j, 0.1, 0.5), (0.7, 0.7, 0.1, -0.7)]:
        c = BallisticCoupler(p, *amp)
        assert c.eta_damping_like > 0
        assert np.all(c.field(u) @ p > 0)
        # χ largest at u = p (J > 0 favours the parallel state)
        assert c.chi_callable(p) > c.chi_callable(-p)


def test_coupler_potentials_by_finite_differences():
    """X = u × ∇_Σ Φ + ∇_Σ χ with the closed-form Φ, χ; gradients by central differences."""
    rng = np.random.default_rng(13)
    p = _directions(rng, 1)[0]
    c = BallisticCoupler(p, 0.8 * np.exp(0.4j), 0.3 * np.exp(-1.1j), 0.5 * np.exp(2.0j), 0.9, polarization=0.9)
    u = _directions(rng, 200)
    ref = np.where(np.abs(u[:, [0]]) < 0.9, [[1.0, 0, 0]], [[0, 1.0, 0]])
    e1 = ref - np.sum(ref * u, -1, keepdims=True) * u
    e1 /= np.linalg.norm(e1, axis=-1, keepdims=True)
    e2 = np.cross(u, e1)
    h = 1e-5

    def grad(f):
        g = 0
        for e in (e1, e2):
            d = f(np.cos(h) * u + np.sin(h) * e) - f(np.cos(h) * u - np.sin(h) * e)
            g = g + (d / (2 * h))[:, None] * e
        return g

    X = np.cross(u, grad(c.phi_callable)) + grad(c.chi_callable)
    # measured max error 3.0e-11 (h² ~ 1e-10 and rounding/h ~ 1e-11)
    assert np.max(np.abs(X - c.field(u))) <= 1e-8


# ------------------------------------------------------------------------------------------------
# bad input
@pytest.mark.parametrize("kw, name", [
    (dict(t_up=0.9, r_up=0.5), "|t_up|^2 + |r_up|^2"),
    (dict(t_dn=0.8j, r_dn=0.7), "|t_dn|^2 + |r_dn|^2"),
    (dict(t_up=float("nan")), "t_up"),
    (dict(r_dn=complex(0, float("inf"))), "r_dn"),
    (dict(t_dn=True), "t_dn"),
    (dict(r_up="0.1"), "r_up"),
    (dict(t_up=np.array([1.0, 0.5])), "t_up"),
    (dict(polarization=1.5), "polarization"),
    (dict(polarization=False), "polarization"),
])
def test_bad_input_names_the_parameter(kw, name):
    amp = dict(t_up=1.0, t_dn=0.0, r_up=0.0, r_dn=1.0)
    amp.update(kw)
    P = amp.pop("polarization", 1.0)
    with pytest.raises(ParameterError) as e1:
        ballistic_torque(EZ, **amp, p=(1, 0, 0), polarization=P)
    with pytest.raises(ParameterError) as e2:
        BallisticCoupler(EZ, **amp, polarization=P)
    assert e1.value.name == name and e2.value.name == name


def test_bad_input_other_parameters():
    with pytest.raises(ParameterError) as e:
        plane_wave_spin_current(np.array([True, False]), 0.1)
    assert e.value.name == "a"
    with pytest.raises(ParameterError) as e:
        plane_wave_spin_current(0.1, float("nan"))
    assert e.value.name == "b"
    with pytest.raises(ParameterError) as e:
        ballistic_torque(np.zeros(3), 1.0, 0.0, 0.0, 1.0)
    assert e.value.name == "m"
    with pytest.raises(ParameterError) as e:
        ballistic_torque(EZ, 1.0, 0.0, 0.0, 1.0, k=-1.0)
    assert e.value.name == "k"
    with pytest.raises(ParameterError) as e:
        ballistic_spin_currents(float("nan"), 1.0, 0.0, 0.0, 1.0)
    assert e.value.name == "theta"
    # within the tolerance: accepted (|t|² + |r|² = 1 + 1e-13)
    ballistic_torque(EZ, np.sqrt(1 + 1e-13), 0.0, 0.0, 1.0)
