"""Onsager layer: reciprocity, second law, composition (seed 002 Eq. 20), elimination, Eq. 3–6."""
import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.onsager import (
    OnsagerError,
    OnsagerSystem,
    ferromagnetic_block,
    ferromagnetic_drift,
    gilbert_drift,
    gilbert_drift_si,
    gilbert_to_ll,
    ll_drift,
    ll_drift_si,
    ll_to_gilbert,
    tangent_basis,
)
from thermokinetic.units import GAMMA_E, MU0


def random_valid(rng, parities, n_odd_pairs=0):
    """A random reciprocal matrix with PSD symmetric part for the given parities.

    Same-parity entries: symmetric (from a PSD Gram matrix restricted to parity blocks, still PSD);
    opposite-parity entries: antisymmetric (they do not enter the dissipation).
    """
    e = np.asarray(parities)
    n = len(e)
    M = rng.normal(size=(n, n))
    S = M @ M.T
    same = np.equal.outer(e, e)
    A = rng.normal(size=(n, n))
    A = A - A.T
    return np.where(same, S, A)


# ---------------------------------------------------------------- errors name the entries

def test_onsager_error_is_parameter_error():
    assert issubclass(OnsagerError, ParameterError)


def test_reciprocity_violation_names_entries():
    with pytest.raises(OnsagerError, match=r"L\[a, y\]=2 vs L\[b, x\]=0") as ei:
        OnsagerSystem(["a", "b"], ["x", "y"], [[1, 2], [0, 1]], [1, 1], "sys")
    assert ei.value.entries == [("a", "y")]
    assert "sys.L" in str(ei.value) and "reciprocal" in str(ei.value)
    # with opposite parities the relation is antisymmetric: the symmetric matrix is now wrong
    with pytest.raises(OnsagerError, match=r"need L\[a, y\] = -L\[b, x\]"):
        OnsagerSystem(["a", "b"], ["x", "y"], [[1, 0.5], [0.5, 1]], [1, -1])
    OnsagerSystem(["a", "b"], ["x", "y"], [[1, 0.5], [-0.5, 1]], [1, -1])  # valid: no error


def test_second_law_violation_names_entries():
    # negative diagonal
    with pytest.raises(OnsagerError, match=r"L\[b, y\]=-1 < 0") as ei:
        OnsagerSystem(["a", "b"], ["x", "y"], [[1, 0], [0, -1]], [1, 1])
    assert ei.value.entries == [("b", "y")]
    # a 2×2 minor: |L_xy| > sqrt(L_xx L_yy)
    with pytest.raises(OnsagerError, match=r"exceeds sqrt\(L\[a, x\]·L\[b, y\]\)") as ei:
        OnsagerSystem(["a", "b", "c"], ["x", "y", "z"], [[1, 2, 0], [2, 1, 0], [0, 0, 1]], [1, 1, 1])
    assert set(ei.value.entries) == {("a", "y"), ("b", "x")}
    # every 2×2 minor fine but the 3×3 indefinite (eigenvalue 1 − 2·0.9 = −0.8)
    L3 = [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]]
    with pytest.raises(OnsagerError, match=r"eigenvalue -0.8 < 0"):
        OnsagerSystem(["a", "b", "c"], ["x", "y", "z"], L3, [1, 1, 1])


def test_bad_names_shapes_parities():
    with pytest.raises(OnsagerError, match="one force per flux"):
        OnsagerSystem(["a", "b"], ["x"], np.eye(2), [1, 1])
    with pytest.raises(OnsagerError, match="duplicated"):
        OnsagerSystem(["a", "a"], ["x", "y"], np.eye(2), [1, 1])
    with pytest.raises(OnsagerError, match=r"\+1 or -1 for every flux \(bad for \['b'\]\)"):
        OnsagerSystem(["a", "b"], ["x", "y"], np.eye(2), [1, 0])
    with pytest.raises(OnsagerError, match="one parity"):
        OnsagerSystem(["a", "b"], ["x", "y"], np.eye(2), [1])
    with pytest.raises(OnsagerError, match=r"\(2, 2\) array"):
        OnsagerSystem(["a", "b"], ["x", "y"], np.eye(3), [1, 1])
    with pytest.raises(OnsagerError, match="non-finite entries"):
        OnsagerSystem(["a", "b"], ["x", "y"], [[1, np.nan], [0, 1]], [1, 1])
    with pytest.raises(OnsagerError, match="clash"):
        OnsagerSystem(["a", "b"], ["b", "y"], np.eye(2), [1, 1])
    S = OnsagerSystem(["a", "b"], ["x", "y"], np.eye(2), [1, 1])
    with pytest.raises(OnsagerError, match="last axis of length 2"):
        S.fluxes_from([1.0, 2.0, 3.0])
    with pytest.raises(OnsagerError, match="a value for every force"):
        S.fluxes_from({"x": 1.0})


# ---------------------------------------------------------------- second law on random systems

def test_entropy_production_nonnegative_random(rng):
    for trial in range(50):
        n = rng.integers(2, 7)
        par = list(rng.choice([1, -1], size=n))
        L = random_valid(rng, par)
        S = OnsagerSystem([f"J{i}" for i in range(n)], [f"X{i}" for i in range(n)], L, par)
        X = rng.normal(size=(400, n))
        sig = S.entropy_production(X)
        # rounding of a sum of ~n² terms of size |L||X|²: 1e-12 relative is generous
        assert np.all(sig >= -1e-12 * np.abs(L).max() * np.sum(X**2, axis=1))
        # J·X equals the quadratic form (the antisymmetric part does no work)
        np.testing.assert_allclose(np.sum(S.fluxes_from(X) * X, axis=1), sig, rtol=1e-10, atol=1e-10)
    # the explicit counterexample: a symmetric part with a negative direction gives T dS/dt < 0
    Lbad = np.array([[1.0, 3.0], [3.0, 1.0]])
    X = np.array([1.0, -1.0])
    assert X @ Lbad @ X < 0  # −4: would violate the second law
    with pytest.raises(OnsagerError, match="second law"):
        OnsagerSystem(["a", "b"], ["x", "y"], Lbad, [1, 1])
    S = OnsagerSystem(["a", "b"], ["x", "y"], Lbad, [1, 1], validate=False)
    assert S.entropy_production(X) == pytest.approx(-4.0, rel=1e-15)  # the unchecked object computes it


def test_entropy_production_dict_and_temperature():
    S = OnsagerSystem(["a", "b"], ["x", "y"], [[2.0, 0.5], [0.5, 1.0]], [1, 1])
    # 2·1 + 2·0.5·1·2 + 1·4 = 8
    assert S.entropy_production({"x": 1.0, "y": 2.0}) == pytest.approx(8.0, rel=1e-15)
    assert S.entropy_production([1.0, 2.0], T=4.0) == pytest.approx(2.0, rel=1e-15)


# ---------------------------------------------------------------- elimination (Schur complement)

def test_eliminate_2x2_hand_derived():
    a, b, c = 3.0, 1.2, 2.0
    S = OnsagerSystem(["J1", "J2"], ["X1", "X2"], [[a, b], [b, c]], [1, 1])
    E = S.eliminate("J2")
    # J2 = b X1 + c X2 = 0  =>  X2 = −b X1/c  =>  J1 = (a − b²/c) X1
    assert E.L[0, 0] == pytest.approx(a - b * b / c, rel=1e-15)
    assert E.fluxes == ["J1"] and E.forces == ["X1"]
    assert S.eliminated_forces(["J2"], [1.0])[0] == pytest.approx(-b / c, rel=1e-15)


def test_eliminate_two_channel_open_circuit():
    # seed 002 Eq. 10: at zero charge current the spin-current conductance is σ0(1 − β²)
    s0, beta, Lr = 2.0, 0.4, 5.0
    S = OnsagerSystem(["dJ", "J0", "psi_dot"], ["X_dmu", "X_mu0", "dmu"],
                      [[s0, beta * s0, 0], [beta * s0, s0, 0], [0, 0, Lr]], [1, 1, 1], "2ch")
    E = S.eliminate(["J0"])
    np.testing.assert_allclose(E.L, [[s0 * (1 - beta**2), 0], [0, Lr]], rtol=1e-15, atol=1e-15)


def test_eliminate_3x3_with_odd_couplings(rng):
    # a 3×3 system with a magnetic-field-odd antisymmetric pair; the Schur complement against a
    # direct solve of J_b = 0 for random kept forces
    L = np.array([[2.0, 0.7, 0.3], [-0.7, 1.5, 0.2], [0.3, 0.2, 1.0]])
    odd = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], bool)
    S = OnsagerSystem(["a", "b", "c"], ["x", "y", "z"], L, [1, 1, 1], odd_in_field=odd)
    E = S.eliminate(["c"])
    # hand: L_eff = L_aa − L_ac L_cc⁻¹ L_ca with L_cc = 1
    hand = np.array([[2.0 - 0.09, 0.7 - 0.06], [-0.7 - 0.06, 1.5 - 0.04]])
    np.testing.assert_allclose(E.L, hand, rtol=1e-14)
    for _ in range(20):
        Xa = rng.normal(size=2)
        Xc = -(L[2, :2] @ Xa) / L[2, 2]
        J = L @ np.r_[Xa, Xc]
        assert abs(J[2]) < 1e-14  # the eliminated flux vanishes
        np.testing.assert_allclose(E.fluxes_from(Xa), J[:2], rtol=1e-13, atol=1e-14)
        # dissipation of the effective system = full dissipation at the constrained forces
        assert E.entropy_production(Xa) == pytest.approx(S.entropy_production(np.r_[Xa, Xc]), rel=1e-12)
    # the effective (a, b) entry mixes an odd part (±0.7) and an even part (−0.06)
    np.testing.assert_allclose(E.odd_part, [[0, 0.7], [-0.7, 0]], atol=1e-15)
    np.testing.assert_allclose(E.even_part, [[1.91, -0.06], [-0.06, 1.46]], rtol=1e-14)


def test_eliminate_errors():
    S = OnsagerSystem(["a", "b"], ["x", "y"], [[1.0, 0.0], [0.0, 0.0]], [1, 1])
    with pytest.raises(OnsagerError, match="invertible"):
        S.eliminate("b")
    with pytest.raises(OnsagerError, match="one of the fluxes"):
        S.eliminate("nope")
    with pytest.raises(OnsagerError, match="strict subset"):
        S.eliminate(["a", "b"])


def test_transform_two_channel_to_charge_spin():
    # (J↑, J↓) with forces (X↑, X↓) → (J0 = J↑+J↓, δJ = J↑−J↓): L' = T L Tᵀ, dissipation preserved
    su, sd = 3.0, 1.0
    S = OnsagerSystem(["Ju", "Jd"], ["Xu", "Xd"], np.diag([su, sd]), [1, 1])
    T = np.array([[1.0, 1.0], [1.0, -1.0]])
    P = S.transform(T, ["J0", "dJ"], ["X0", "XdJ"], [1, 1])
    s0, beta = (su + sd) / 2, (su - sd) / (su + sd)
    # seed 002 Eq. 10 structure: [[1, β], [β, 1]] times 2σ0
    np.testing.assert_allclose(P.L, 2 * s0 * np.array([[1, beta], [beta, 1]]), rtol=1e-15)
    X = np.array([0.3, -1.1])
    Xp = np.linalg.solve(T.T, X)
    assert P.entropy_production(Xp) == pytest.approx(S.entropy_production(X), rel=1e-14)


# ---------------------------------------------------------------- composition (Eq. 20)

def electric_block(s_perp=2.0, s0=3.0, L_perp=5.0, L=0.5):
    return OnsagerSystem(["dJ_perp", "dJ", "psi_perp", "psi"], ["X_dmu_perp", "X_dmu", "dmu_perp", "dmu"],
                         np.diag([s_perp, s0, L_perp, L]), [1, 1, 1, 1], "e")


def test_compose_eq20_matches_hand_matrix(rng):
    alpha, LF, rho = 0.1, 2.0, 1.0
    F = ferromagnetic_block(alpha, LF, rho)
    El = electric_block()
    l_perp, l_par = 0.05, 0.08
    # Eq. 20: j⊥ (φ) couples to the transverse spin current, j// (θ) to the longitudinal one
    C = F.compose(El, cross={("J_phi", "X_dmu_perp"): l_perp, ("J_theta", "X_dmu"): l_par})
    hand = np.zeros((6, 6))
    hand[:2, :2] = rho * LF * np.array([[alpha, 1], [-1, alpha]])
    hand[2:, 2:] = np.diag([2.0, 3.0, 5.0, 0.5])
    hand[1, 2] = hand[2, 1] = l_perp  # l̃⊥ = l⊥ from reciprocity (equal parities, even in field)
    hand[0, 3] = hand[3, 0] = l_par
    np.testing.assert_allclose(C.L, hand, rtol=0, atol=0)
    X = rng.normal(size=6)
    np.testing.assert_allclose(C.fluxes_from(X), hand @ X, rtol=1e-15)
    # opposite parities: the reverse coefficient changes sign
    F_odd = ferromagnetic_block(alpha, LF, rho, parity=-1)
    C2 = F_odd.compose(El, cross={("J_theta", "X_dmu"): l_par})
    assert C2.coefficient("dJ", "H_theta") == -l_par
    # a given reverse block that breaks reciprocity is caught and named
    with pytest.raises(OnsagerError, match=r"L\[J_theta, X_dmu\]") as ei:
        F.compose(El, cross={("J_theta", "X_dmu"): l_par}, cross_reverse={("dJ", "H_theta"): 2 * l_par})
    assert ("J_theta", "X_dmu") in ei.value.entries


def test_compose_second_law_bound_on_spin_transfer_coefficient():
    # the (j_θ, δJ) pair is PSD iff l² ≤ ρ L_F α σ0: the cross coefficient is bounded by dissipation
    alpha, LF, s0 = 0.1, 2.0, 3.0
    F = ferromagnetic_block(alpha, LF)
    El = electric_block(s0=s0)
    lmax = np.sqrt(LF * alpha * s0)
    F.compose(El, cross={("J_theta", "X_dmu"): lmax * (1 - 1e-6)})  # allowed
    with pytest.raises(OnsagerError, match="second law") as ei:
        F.compose(El, cross={("J_theta", "X_dmu"): lmax * (1 + 1e-6)})
    assert ("J_theta", "X_dmu") in ei.value.entries


def test_eliminate_electric_renormalizes_damping():
    # stationary spin accumulation (δJ eliminated) renormalizes the θθ coefficient:
    # ρL_F α_eff = ρL_F α − l² / σ0 (hand Schur complement); the gyrotropic entries are untouched
    alpha, LF, s0, l = 0.1, 2.0, 3.0, 0.3
    C = ferromagnetic_block(alpha, LF).compose(electric_block(s0=s0), cross={("J_theta", "X_dmu"): l})
    E = C.eliminate(["dJ", "dJ_perp", "psi_perp", "psi"])
    np.testing.assert_allclose(E.L, [[LF * alpha - l * l / s0, LF], [-LF, LF * alpha]], rtol=1e-14)


def test_compose_name_clash():
    with pytest.raises(OnsagerError, match="clash"):
        ferromagnetic_block(0.1, 1.0).compose(ferromagnetic_block(0.2, 1.0))


# ---------------------------------------------------------------- Eq. 3 → Eq. 4 → Eq. 5 (Eq. 6)

def random_units(rng, n):
    u = rng.normal(size=(n, 3))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    # include the poles and the equator exactly (the tangent basis has special cases there)
    return np.vstack([u, [[0, 0, 1.0], [0, 0, -1.0], [1.0, 0, 0]]])


def test_tangent_basis_right_handed(rng):
    u = random_units(rng, 200)
    et, ep = tangent_basis(u)
    np.testing.assert_allclose(np.cross(et, ep), u, atol=1e-14)
    np.testing.assert_allclose(np.sum(et * u, 1), 0, atol=1e-15)
    np.testing.assert_allclose(np.linalg.norm(ep, axis=1), 1, atol=1e-15)


def test_ferromagnetic_block_properties():
    F = ferromagnetic_block(0.3, 2.0, rho=0.5)
    np.testing.assert_allclose(F.L, [[0.3, 1.0], [-1.0, 0.3]], rtol=1e-15)  # ρL_F = 1
    # dissipation ρ L_F α |H|²: the gyrotropic part does no work
    assert F.entropy_production([3.0, 4.0]) == pytest.approx(0.3 * 25, rel=1e-15)
    with pytest.raises(ParameterError, match="alpha=-0.1"):
        ferromagnetic_block(-0.1, 1.0)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.5, 2.0])
def test_onsager_block_generates_ll_and_gilbert(rng, alpha):
    u = random_units(rng, 300)
    H = rng.normal(size=u.shape) * rng.uniform(0.1, 10, size=(len(u), 1))
    LF = 1.7
    v_onsager = ferromagnetic_drift(u, H, ferromagnetic_block(alpha, LF))
    v_ll = ll_drift(u, H, alpha, LF)
    scale = LF * np.linalg.norm(H, axis=1, keepdims=True) * (1 + alpha)
    # both are O(10) sums of products: 1e-12 relative to the natural scale is rounding level
    assert np.max(np.abs(v_onsager - v_ll) / scale) < 1e-12
    # Gilbert with γ = L_F(1+α²) (Eq. 6 for unit Ms), solved as a linear system
    v_g = gilbert_drift(u, H, alpha, LF * (1 + alpha**2))
    assert np.max(np.abs(v_g - v_ll) / scale) < 1e-12
    # and the LL velocity satisfies the implicit Gilbert equation u̇ = −γ u×H + α u×u̇
    gam = LF * (1 + alpha**2)
    resid = v_ll - (-gam * np.cross(u, H) + alpha * np.cross(u, v_ll))
    assert np.max(np.abs(resid) / scale) < 1e-12


def test_gilbert_ll_conversion_eq6_si(rng):
    gamma0 = MU0 * GAMMA_E  # m A⁻¹ s⁻¹
    Ms, alpha = 8e5, 0.02
    eta = alpha / (gamma0 * Ms)
    a, LF = gilbert_to_ll(gamma0, eta, Ms)
    assert a == pytest.approx(alpha, rel=1e-15)
    assert LF == pytest.approx(gamma0 / (Ms * (1 + alpha**2)), rel=1e-15)
    g2, eta2 = ll_to_gilbert(a, LF, Ms)
    assert g2 == pytest.approx(gamma0, rel=1e-14) and eta2 == pytest.approx(eta, rel=1e-14)
    # Onsager block with the force written as Ms·H (A²/m²) reproduces the SI LL and Gilbert drifts
    u = random_units(rng, 100)
    H = rng.normal(size=u.shape) * 1e5  # A/m
    v_block = ferromagnetic_drift(u, Ms * H, ferromagnetic_block(a, LF))
    v_ll = ll_drift_si(u, H, alpha)
    v_g = gilbert_drift_si(u, H, alpha)
    scale = gamma0 * np.linalg.norm(H, axis=1, keepdims=True)
    assert np.max(np.abs(v_block - v_ll) / scale) < 1e-12
    assert np.max(np.abs(v_g - v_ll) / scale) < 1e-12
    # the precession about H alone (α = 0) is at γμ0|H| [rad/s]: the Larmor frequency
    w = np.linalg.norm(ll_drift_si([1.0, 0, 0], [0, 0, 1e5], 0.0))
    assert w == pytest.approx(GAMMA_E * MU0 * 1e5, rel=1e-15)


def test_field_reversal_and_odd_diagonal():
    # the ferromagnetic block at reversed magnetization is its transpose (Onsager–Casimir)
    F = ferromagnetic_block(0.2, 1.5)
    np.testing.assert_allclose(F.reversed().L, F.L.T, rtol=0, atol=0)
    # a diagonal coefficient cannot be odd in the field: L_ii(B) = L_ii(−B)
    with pytest.raises(OnsagerError, match=r"L\[a, x\]\(B\) = \+L\[a, x\]\(-B\)"):
        OnsagerSystem(["a"], ["x"], [[1.0]], [1], odd_in_field=[[True]])


def test_checks_are_unit_invariant():
    # conductivities ~1e7 next to relaxation coefficients ~1e-3: violations in the small block are
    # still caught (a tolerance relative to max|L| would hide them)
    big, small = 1e7, 1e-3
    ok = np.diag([big, big, small, small])
    ok[2, 3] = ok[3, 2] = 0.5 * small
    OnsagerSystem(list("abcd"), list("wxyz"), ok, [1] * 4)
    nonrec = ok.copy()
    nonrec[2, 3] = 0.6 * small  # 20 % asymmetry in the small block
    with pytest.raises(OnsagerError, match=r"L\[c, z\]") as ei:
        OnsagerSystem(list("abcd"), list("wxyz"), nonrec, [1] * 4)
    assert ei.value.entries == [("c", "z")]
    indef = ok.copy()
    indef[2, 3] = indef[3, 2] = 1.5 * small  # |L_cd| > sqrt(L_cc L_dd)
    with pytest.raises(OnsagerError, match="second law") as ei:
        OnsagerSystem(list("abcd"), list("wxyz"), indef, [1] * 4)
    assert set(ei.value.entries) == {("c", "z"), ("d", "y")}
    # and rescaling every variable (X_i → c_i X_i) keeps a valid matrix valid
    c = np.array([1e-3, 1e2, 1e4, 1e-5])
    OnsagerSystem(list("abcd"), list("wxyz"), np.outer(c, c) * ok, [1] * 4)
