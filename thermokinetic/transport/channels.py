r"""Electric Onsager blocks of the channel models and the exact piecewise-exponential solver.

Blocks (seed 002)
-----------------
Every channel model is a :class:`ChannelBlock`: an :class:`~thermokinetic.onsager.OnsagerSystem`
(fluxes, conjugate forces, coefficients; reciprocity and second law checked) together with the
linear maps from the channel potentials φ (electrochemical potentials, eV) to its forces:

* gradient forces ``X_g = −P ∂φ/∂x`` (conjugate to the channel currents J_g, A/m²);
* local affinities ``X_r = A φ`` (conjugate to the relaxation rates ψ̇_r, A/m³).

The dissipation density is ``T dS/dt = J_g·X_g + ψ̇·X_r`` (seed 002 Eq. 8, 14) in W/m³.  The
conservation laws (Eq. 7, 13, 16) follow from the same maps: in a steady state

.. math:: P^{\mathsf T}\,\partial_x J_g + A^{\mathsf T}\,\dot\psi = 0,

which is exactly the statement that the integral of the dissipation equals the power injected at
the boundaries (integrate ``J_g·X_g + ψ̇·X_r`` by parts).  With the Onsager relations
``J_g = L_gg X_g``, ``ψ̇ = L_rr X_r`` (vector fluxes cannot couple to scalar forces in an isotropic
1D medium, Curie's principle, so the cross blocks must vanish) a uniform layer obeys

.. math:: G\,\partial_x^2\varphi = K\varphi,\qquad G = P^{\mathsf T}L_{gg}P\ \ [\mathrm{S/m}],\qquad
          K = A^{\mathsf T}L_{rr}A\ \ [\mathrm{S/m^3}],

and its modes solve the symmetric-definite eigenproblem ``K v = k² G v``: ``k = 0`` is the charge
mode (φ uniform), the others decay over the **spin-diffusion lengths 1/k**, derived here from
the block and nowhere typed twice (:meth:`ChannelBlock.diffusion_lengths`).

* :func:`two_channel_block` — Eq. 9 (spin basis μ↑, μ↓) or Eq. 10 (charge–spin basis).  Eq. 10 is
  written with the forces that are *conjugate* to (J0, δJ): ``−∂μ̄/∂x`` and ``−½ ∂Δμ/∂x`` with
  ``μ̄ = (μ↑+μ↓)/2``; the matrix is then ``2σ0 [[1, β], [β, 1]]`` and
  β = (σ↑−σ↓)/(σ↑+σ↓) (the seed's "β = (σ↑−σ↓)/σ0" is off by 2).  The derived length is
  λ⁻² = L (1/σ↑ + 1/σ↓) = 2L/(σ0(1−β²)) (Eq. 11 with μ in eV).
* :func:`transverse_block` — the ⊥ part of Eq. 15: λ⊥² = σ⊥/L⊥; :func:`electric_block` composes
  the whole of Eq. 15.
* :func:`sd_block` — Eq. 17 for the channels (s↑, s↓, d↓) with the affinities
  μ_s↑ − μ_s↓ (ψ̇_s) and μ_s↓ − μ_d↓ (ψ̇_sd), as required by Eq. 16 and the dissipation.

Exact solver
------------
:func:`solve_piecewise` solves any sequence of uniform segments (finite layers between two
semi-infinite leads) exactly: in each segment φ is a combination of the modes, with the bounded
basis ``e^{−k s}, e^{−k(d−s)}`` (kd > 2) or ``cosh(k s̃), sinh(k s̃)/(k d)`` (kd ≤ 2, exact also for
k = 0, i.e. an infinite spin-diffusion length); leads keep their decaying modes and the linear
charge mode.  One linear system over all amplitudes imposes, at every interface and for every
channel label present on both sides, continuity of the channel current and
``φ_c(right) − φ_c(left) = −r_c J_c`` (interface resistance r_c, Ω m²); a channel present on one
side only carries no current through the interface (``J_c = 0`` there: e.g. the d↓ channel at an
F/N boundary).  The total current of the left lead is J and the potential of the right lead's
asymptote is 0 at the last interface (gauge).  Optional injected currents make a channel current
jump at an interface (used by the transverse model).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from ..errors import ParameterError, check_finite, check_nonnegative, check_positive
from ..onsager import OnsagerSystem

__all__ = [
    "ChannelBlock",
    "two_channel_block",
    "transverse_block",
    "electric_block",
    "sd_block",
    "Segment",
    "PiecewiseSolution",
    "solve_piecewise",
]


# =============================================================================================
# Blocks
# =============================================================================================
@dataclass(frozen=True)
class ChannelBlock:
    """An electric Onsager block with its potentials (see the module docstring).

    Attributes
    ----------
    system : OnsagerSystem
        Fluxes ``[gradient fluxes..., relaxation rates...]`` and their conjugate forces.
    potentials : tuple of str
        Names of the potentials φ (eV).
    P : ndarray, shape (n_grad, n_pot)
        Gradient forces ``X_g = −P ∂φ/∂x``.
    A : ndarray, shape (n_reac, n_pot)
        Affinities ``X_r = A φ``.
    """

    system: OnsagerSystem
    potentials: tuple
    P: np.ndarray
    A: np.ndarray

    def __post_init__(self):
        ng, nr = self.P.shape[0], self.A.shape[0]
        if self.system.n != ng + nr or self.P.shape[1] != len(self.potentials) \
                or self.A.shape[1] != len(self.potentials):
            raise ParameterError("ChannelBlock", self.system.name, "consistent P, A and system sizes")
        L = self.system.L
        cross = np.max(np.abs(L[:ng, ng:])) if ng and nr else 0.0
        cross = max(cross, np.max(np.abs(L[ng:, :ng])) if ng and nr else 0.0)
        if cross > 1e-14 * np.max(np.abs(L)):
            raise ParameterError(f"{self.system.name}: L[current, relaxation]", cross,
                                 "0 (a vector flux cannot couple to a scalar force in 1D, Curie)")

    @property
    def n_grad(self) -> int:
        return self.P.shape[0]

    @property
    def L_gg(self) -> np.ndarray:
        return self.system.L[: self.n_grad, : self.n_grad]

    @property
    def L_rr(self) -> np.ndarray:
        return self.system.L[self.n_grad:, self.n_grad:]

    @property
    def G(self) -> np.ndarray:
        """Conductance matrix G = Pᵀ L_gg P [S/m] in the potential basis."""
        return self.P.T @ self.L_gg @ self.P

    @property
    def K(self) -> np.ndarray:
        """Relaxation matrix K = Aᵀ L_rr A [S/m³] in the potential basis."""
        return self.A.T @ self.L_rr @ self.A

    def modes(self):
        """Modes of ``G φ'' = K φ``: ``(k, V)`` with k [1/m] ascending and ``Vᵀ G V = I``.

        Solved as the symmetric-definite generalized eigenproblem ``K v = k² G v``; roundoff
        negatives of k² are clipped to 0.
        """
        w, V = sla.eigh(0.5 * (self.K + self.K.T), 0.5 * (self.G + self.G.T))
        return np.sqrt(np.clip(w, 0.0, None)), V

    def diffusion_lengths(self, rtol: float = 1e-10) -> np.ndarray:
        """Spin-diffusion lengths 1/k [m] of the non-charge modes, longest first.

        Modes with ``k² <= rtol·max k²`` are treated as charge (k = 0) modes and left out; an
        infinite length (no relaxation at all) is returned as ``inf``.
        """
        k, _ = self.modes()
        n_charge = self.n_charge_modes
        kmax = np.max(k) if k.size else 0.0
        if kmax == 0.0:
            return np.full(len(k) - n_charge, np.inf)
        nz = k[k**2 > rtol * kmax**2]
        n_null = len(k) - len(nz)
        out = [np.inf] * max(n_null - n_charge, 0) + sorted((1.0 / nz).tolist(), reverse=True)
        return np.array(out)

    @property
    def n_charge_modes(self) -> int:
        """Number of conserved (charge) modes: the nullity of A (relaxation never changes them)."""
        return len(self.potentials) - int(np.linalg.matrix_rank(self.A)) if self.A.size else len(self.potentials)

    def relaxation_for_length(self, length: float) -> float:
        """For a block with a single relaxation coefficient L = 1: the L giving this length.

        k² scales linearly with a single L, so ``L = 1/(length² k²(L=1))`` [S/m³].
        """
        length = check_positive("length", length)
        lam = self.diffusion_lengths()
        if len(lam) != 1 or not np.isfinite(lam[0]):
            raise ParameterError("block", self.system.name, "a block with one relaxation mode")
        return lam[0] ** 2 / length**2

    def entropy_production(self, phi, dphi_dx) -> np.ndarray:
        """T dS/dt [W/m³] for potentials φ [eV] and their gradients [eV/m] (shape (..., n_pot))."""
        X = np.concatenate([-(np.asarray(dphi_dx) @ self.P.T), np.asarray(phi) @ self.A.T], axis=-1)
        return self.system.entropy_production(X)


def two_channel_block(sigma_up: float, sigma_dn: float, L: float, *, basis: str = "spin",
                      name: str = "two-channel") -> ChannelBlock:
    r"""Two-channel electric block, seed 002 Eq. 9 (``basis="spin"``) or Eq. 10 (``"charge-spin"``).

    Parameters
    ----------
    sigma_up, sigma_dn : float
        Channel conductivities σ↑, σ↓ [S/m] (> 0).
    L : float
        Spin-flip coefficient [S/m³] (>= 0): ψ̇ = L Δμ, ψ̇ in A/m³, Δμ = μ↑ − μ↓ in eV.
    basis : {"spin", "charge-spin"}
        ``"spin"``: fluxes (J↑, J↓, ψ̇), forces (−∂μ↑/∂x, −∂μ↓/∂x, Δμ), L = diag(σ↑, σ↓, L).
        ``"charge-spin"``: fluxes (J0 = J↑+J↓, δJ = J↑−J↓, ψ̇), forces (−∂μ̄/∂x, −½∂Δμ/∂x, Δμ)
        with μ̄ = (μ↑+μ↓)/2; L = [[2σ0, 2βσ0, 0], [2βσ0, 2σ0, 0], [0, 0, L]] (Eq. 10 with
        conjugate forces); potentials (μ̄, Δμ).
    """
    su = check_positive("sigma_up", sigma_up)
    sd = check_positive("sigma_dn", sigma_dn)
    L = check_nonnegative("L", L)
    if basis == "spin":
        sys_ = OnsagerSystem(["J_up", "J_dn", "psidot"], ["-dmu_up/dx", "-dmu_dn/dx", "dmu"],
                             np.diag([su, sd, L]), [1, 1, 1], name)
        return ChannelBlock(sys_, ("mu_up", "mu_dn"), np.eye(2), np.array([[1.0, -1.0]]))
    if basis == "charge-spin":
        s0, b = 0.5 * (su + sd), (su - sd) / (su + sd)
        M = np.array([[2 * s0, 2 * b * s0, 0.0], [2 * b * s0, 2 * s0, 0.0], [0.0, 0.0, L]])
        sys_ = OnsagerSystem(["J0", "dJ", "psidot"], ["-dmubar/dx", "-ddmu/dx/2", "dmu"], M,
                             [1, 1, 1], name)
        return ChannelBlock(sys_, ("mubar", "dmu"), np.diag([1.0, 0.5]), np.array([[0.0, 1.0]]))
    raise ParameterError("basis", basis, "one of ['spin', 'charge-spin']")


def transverse_block(sigma_perp: float, L_perp: float, name: str = "transverse") -> ChannelBlock:
    r"""Transverse block, seed 002 Eq. 13–15: δJ⊥ = σ⊥(−∂Δμ⊥/∂x), ψ̇⊥ = L⊥ Δμ⊥.

    Parameters
    ----------
    sigma_perp : float
        σ⊥ [S/m] (> 0).
    L_perp : float
        L⊥ [S/m³] (>= 0); λ⊥ = sqrt(σ⊥/L⊥) follows from the block (conservation Eq. 13:
        ∂δJ⊥/∂x = −ψ̇⊥).
    """
    sp = check_positive("sigma_perp", sigma_perp)
    Lp = check_nonnegative("L_perp", L_perp)
    sys_ = OnsagerSystem(["dJ_perp", "psidot_perp"], ["-ddmu_perp/dx", "dmu_perp"], np.diag([sp, Lp]),
                         [1, 1], name)
    return ChannelBlock(sys_, ("dmu_perp",), np.eye(1), np.eye(1))


def electric_block(sigma_up, sigma_dn, L, sigma_perp, L_perp, name: str = "Eq. 15") -> ChannelBlock:
    """The full electric block of seed 002 Eq. 15 (charge–spin ⊕ transverse), by block composition.

    Potentials (μ̄, Δμ, Δμ⊥); fluxes (J0, δJ, δJ⊥, ψ̇, ψ̇⊥).
    """
    a = two_channel_block(sigma_up, sigma_dn, L, basis="charge-spin")
    b = transverse_block(sigma_perp, L_perp)
    comp = a.system.compose(b.system, name=name)
    # reorder to [J0, dJ, dJ_perp, psidot, psidot_perp] as in Eq. 15
    order = [0, 1, 3, 2, 4]
    Tm = np.eye(5)[order]
    sys_ = comp.transform(Tm, [comp.fluxes[i] for i in order], [comp.forces[i] for i in order],
                          [1] * 5, name=name)
    P = np.zeros((3, 3))
    P[:2, :2] = a.P
    P[2, 2] = 1.0
    A = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    return ChannelBlock(sys_, ("mubar", "dmu", "dmu_perp"), P, A)


def sd_block(sigma_s_up: float, sigma_s_dn: float, sigma_d: float, L_s: float, L_sd: float,
             name: str = "s-d") -> ChannelBlock:
    r"""Four-channel (s↑, s↓, d↓) block, seed 002 Eq. 16–17.

    Fluxes (J_s↑, J_s↓, J_d↓, ψ̇_s, ψ̇_sd) with forces (−∂μ_s↑/∂x, −∂μ_s↓/∂x, −∂μ_d↓/∂x,
    μ_s↑ − μ_s↓, μ_s↓ − μ_d↓); L = diag(σ_s↑, σ_s↓, σ_d↓, L_s, L_sd).  The affinities are those
    fixed by Eq. 16 (ψ̇_s turns s↑ into s↓, ψ̇_sd turns s↓ into d↓) and the dissipation; the text's
    "μ_s↓/2 − μ_d↓" is a typo.  Units: S/m for σ, S/m³ for L_s, L_sd.
    """
    su = check_positive("sigma_s_up", sigma_s_up)
    sdn = check_positive("sigma_s_dn", sigma_s_dn)
    sdd = check_positive("sigma_d", sigma_d)
    Ls = check_nonnegative("L_s", L_s)
    Lsd = check_nonnegative("L_sd", L_sd)
    sys_ = OnsagerSystem(["J_s_up", "J_s_dn", "J_d_dn", "psidot_s", "psidot_sd"],
                         ["-dmu_s_up/dx", "-dmu_s_dn/dx", "-dmu_d_dn/dx", "dmu_s", "dmu_sd"],
                         np.diag([su, sdn, sdd, Ls, Lsd]), [1] * 5, name)
    A = np.array([[1.0, -1.0, 0.0], [0.0, 1.0, -1.0]])
    return ChannelBlock(sys_, ("mu_s_up", "mu_s_dn", "mu_d_dn"), np.eye(3), A)


# =============================================================================================
# Exact piecewise-exponential solver
# =============================================================================================
@dataclass(frozen=True)
class Segment:
    """A uniform segment for :func:`solve_piecewise`.

    Attributes
    ----------
    name : str
    thickness : float
        [m]; ``inf`` for the two leads.
    block : ChannelBlock
        In a channel basis (``P`` = identity): one potential per channel.
    labels : tuple of str
        Global label of each channel (channels with the same label connect across interfaces).
    reaction_labels : tuple of str
        Label of each relaxation rate (for outputs).
    """

    name: str
    thickness: float
    block: ChannelBlock
    labels: tuple
    reaction_labels: tuple = ()

    def __post_init__(self):
        if not np.allclose(self.block.P, np.eye(len(self.labels))):
            raise ParameterError(f"segment '{self.name}': block", self.block.system.name,
                                 "a block in a channel basis (P = identity)")


def _basis(k, d, s):
    """Values and x-derivatives of the two basis functions of each mode at local coords ``s``.

    ``k`` (m,), ``s`` (p,) -> arrays (p, m) for f1, f2, f1', f2'.
    """
    k = np.asarray(k, float)[None, :]
    s = np.asarray(s, float)[:, None]
    if math.isinf(d):
        raise AssertionError("finite segments only")
    big = (k * d) > 2.0
    with np.errstate(over="ignore", invalid="ignore"):
        e1 = np.exp(-k * s)
        e2 = np.exp(-k * (d - s))
        sc = s - 0.5 * d
        z = k * sc
        shc = np.where(np.abs(z) < 1e-5, 1.0 + z * z / 6.0, np.sinh(z) / np.where(z == 0, 1.0, z))
        ch = np.cosh(np.where(big, 0.0, z))
        f1 = np.where(big, e1, ch)
        f2 = np.where(big, e2, sc * shc / d)
        d1 = np.where(big, -k * e1, k * z * shc)  # k sinh(z) = k z shc
        d2 = np.where(big, k * e2, ch / d)
    return f1, f2, d1, d2


@dataclass
class _SegInfo:
    seg: Segment
    x0: float  # left edge (leads: the interface they touch)
    k: np.ndarray
    V: np.ndarray
    kind: str  # "inner", "left", "right"
    null: np.ndarray | None = None  # bool mask of charge modes (leads)
    ell: float = 1.0  # length scale of the lead's linear mode
    offset: int = 0  # first unknown
    nunk: int = 0


class PiecewiseSolution:
    """Exact solution of :func:`solve_piecewise`; evaluate it anywhere.

    Potentials are in eV, currents in A/m², relaxation rates in A/m³, x in m (x = 0 at the first
    interface).
    """

    def __init__(self, infos, coef, positions, labels, J, interface_r):
        self._infos = infos
        self._c = coef
        self.positions = positions
        self.labels = labels
        self.J = J
        self._r = interface_r

    # -- evaluation within one segment ----------------------------------------------------------
    def segment_fields(self, i: int, x):
        """(phi, dphi) of segment ``i`` at positions ``x`` (shape (p, n_channels_of_segment))."""
        inf = self._infos[i]
        x = np.atleast_1d(np.asarray(x, float))
        c = self._c[inf.offset: inf.offset + inf.nunk]
        n = len(inf.k)
        if inf.kind == "inner":
            s = x - inf.x0
            f1, f2, d1, d2 = _basis(inf.k, inf.seg.thickness, s)
            a, b = c[:n], c[n:]
            amp = f1 * a + f2 * b
            damp = d1 * a + d2 * b
        else:
            s = x - inf.x0
            sgn = 1.0 if inf.kind == "left" else -1.0  # left lead decays as e^{+ks} (s<0)
            amp = np.zeros((len(x), n))
            damp = np.zeros((len(x), n))
            j = 0
            for m in range(n):
                if inf.null[m]:
                    cc, dd = c[j], c[j + 1]
                    amp[:, m] = cc + dd * s / inf.ell
                    damp[:, m] = dd / inf.ell
                    j += 2
                else:
                    e = np.exp(sgn * inf.k[m] * s)
                    amp[:, m] = c[j] * e
                    damp[:, m] = c[j] * sgn * inf.k[m] * e
                    j += 1
        phi = amp @ inf.V.T
        dphi = damp @ inf.V.T
        return phi, dphi

    def segment_currents(self, i, x):
        phi, dphi = self.segment_fields(i, x)
        G = np.diag(self._infos[i].seg.block.G)
        return -dphi * G

    def segment_rates(self, i, x):
        phi, _ = self.segment_fields(i, x)
        blk = self._infos[i].seg.block
        return (phi @ blk.A.T) @ blk.L_rr.T

    def segment_dissipation(self, i, x):
        """Dissipation density T dS/dt [W/m³] (Joule in every channel + relaxation)."""
        phi, dphi = self.segment_fields(i, x)
        return self._infos[i].seg.block.entropy_production(phi, dphi)

    @property
    def segments(self):
        return [inf.seg for inf in self._infos]

    def segment_range(self, i: int):
        inf = self._infos[i]
        if inf.kind == "left":
            return -math.inf, inf.x0
        if inf.kind == "right":
            return inf.x0, math.inf
        return inf.x0, inf.x0 + inf.seg.thickness

    def decay_length(self, i: int) -> float:
        """Longest finite decay length of segment ``i`` [m] (its spin-diffusion length)."""
        inf = self._infos[i]
        kk = inf.k[inf.k > 0] if inf.null is None else inf.k[~inf.null]
        return float(1.0 / np.min(kk)) if kk.size and np.min(kk) > 0 else math.inf

    # -- resistances -------------------------------------------------------------------------------
    def lead_asymptote(self, side: str) -> float:
        """Potential [eV] of the lead's linear (charge) asymptote extrapolated to its interface."""
        inf = self._infos[0] if side == "left" else self._infos[-1]
        if inf.null is None or not inf.null.any():
            raise ParameterError("lead", inf.seg.name, "a lead with a charge mode")
        c = self._c[inf.offset: inf.offset + inf.nunk]
        j = 0
        for m in range(len(inf.k)):
            if inf.null[m]:
                return float(c[j] * inf.V[0, m])
            j += 1
        raise AssertionError

    @property
    def R_total(self) -> float:
        """(μ_left asymptote − μ_right asymptote)/J at the outer interfaces [Ω m²]."""
        return (self.lead_asymptote("left") - self.lead_asymptote("right")) / self.J

    @property
    def R_eq(self) -> float:
        """Resistance without accumulation [Ω m²]: Σ d_i / Σ_c σ_c + Σ interfaces (Σ_c 1/r_c)⁻¹.

        Interface channels are those present on both sides (a channel with r_c = 0 shorts it).
        """
        R = 0.0
        for inf in self._infos[1:-1]:
            R += inf.seg.thickness / float(np.sum(np.diag(inf.seg.block.G)))
        return R + self._interface_eq()

    @property
    def R_ne(self) -> float:
        """Non-equilibrium (spin-accumulation) resistance R_total − R_eq [Ω m²]."""
        return self.R_total - self.R_eq

    def dissipation_excess(self, lead_lengths: float = 60.0) -> float:
        """∫ [T dS/dt − J²/σ(x)] dx + Σ_interfaces [Σ_c r_c J_c² − r_eq J²]  [W/m²].

        Computed by Gauss–Legendre quadrature on sub-intervals no longer than the shortest decay
        length; the leads are integrated over ``lead_lengths`` of their longest decay length.
        Equals R_ne J² in a steady state (the check of every resistance).
        """
        total = 0.0
        xg, wg = np.polynomial.legendre.leggauss(40)
        for i, inf in enumerate(self._infos):
            a, b = self.segment_range(i)
            lam = self.decay_length(i)
            kmax = float(np.max(inf.k)) if inf.k.size else 0.0
            hmin = 1.0 / kmax if kmax > 0 else math.inf
            if inf.kind == "left":
                a = b - lead_lengths * lam
            elif inf.kind == "right":
                b = a + lead_lengths * lam
            nsub = int(min(max(1, math.ceil((b - a) / min(hmin, (b - a)))), 20000))
            edges = np.linspace(a, b, nsub + 1)
            sig = float(np.sum(np.diag(inf.seg.block.G)))
            for lo, hi in zip(edges[:-1], edges[1:]):
                xs = 0.5 * (hi - lo) * xg + 0.5 * (hi + lo)
                p = self.segment_dissipation(i, xs) - self.J**2 / sig
                total += 0.5 * (hi - lo) * float(np.dot(wg, p))
        for j, rdict in enumerate(self._r):
            x = self.positions[j]
            Jl = self.segment_currents(j, [x])[0]
            labs = self._infos[j].seg.labels
            for lab, r in rdict.items():
                total += r * Jl[labs.index(lab)] ** 2
        return total - self._interface_eq() * self.J**2

    def _interface_eq(self):
        R = 0.0
        for rdict in self._r:
            if not rdict or any(r == 0 for r in rdict.values()):
                continue
            R += 1.0 / sum(1.0 / r for r in rdict.values())
        return R


def solve_piecewise(segments, interface_r=None, J: float = 1.0, injections=None) -> PiecewiseSolution:
    r"""Exact solution of a piecewise-uniform channel problem (see the module docstring).

    Parameters
    ----------
    segments : list of Segment
        ``segments[0]`` and ``segments[-1]`` are the leads (thickness ``inf``).
    interface_r : list of dict, optional
        For each interface, ``{label: r_c}`` [Ω m²] for the channels that cross it (missing:
        0).  Labels present on one side only never cross.
    J : float
        Total current density [A/m²] carried by the charge mode (ignored when the leads have no
        charge mode).
    injections : list of (interface index, label, current), optional
        A current [A/m²] injected into channel ``label`` at an interface:
        ``J_c(right) − J_c(left) = current``.

    Returns
    -------
    PiecewiseSolution
    """
    segs = list(segments)
    if len(segs) < 2 or not math.isinf(segs[0].thickness) or not math.isinf(segs[-1].thickness):
        raise ParameterError("segments", len(segs), "a list starting and ending with a lead (inf)")
    nint = len(segs) - 1
    rlist = [dict() for _ in range(nint)] if interface_r is None else [dict(r) for r in interface_r]
    if len(rlist) != nint:
        raise ParameterError("interface_r", len(rlist), f"{nint} interfaces")
    positions = np.concatenate([[0.0], np.cumsum([s.thickness for s in segs[1:-1]])])
    infos = []
    offset = 0
    for i, seg in enumerate(segs):
        k, V = seg.block.modes()
        kind = "left" if i == 0 else ("right" if i == len(segs) - 1 else "inner")
        if kind == "inner":
            if not (seg.thickness > 0 and math.isfinite(seg.thickness)):
                raise ParameterError(f"layer '{seg.name}': thickness", seg.thickness, "> 0 and finite")
            inf = _SegInfo(seg, positions[i - 1], k, V, kind, nunk=2 * len(k))
        else:
            kmax = float(np.max(k))
            null = k**2 <= 1e-10 * kmax**2 if kmax > 0 else np.ones(len(k), bool)
            if null.sum() > seg.block.n_charge_modes:
                raise ParameterError(f"lead '{seg.name}': relaxation", seg.block.system.name,
                                     "a finite spin-diffusion length in every non-charge mode "
                                     "(a semi-infinite lead must relax the accumulation)")
            if null.any():  # exact charge mode: uniform potential
                m = int(np.argmax(null))
                ones = np.ones(len(k))
                V = V.copy()
                V[:, m] = ones / math.sqrt(float(ones @ seg.block.G @ ones))
                k = k.copy()
                k[m] = 0.0
            nz = k[~null]
            ell = float(1.0 / np.max(nz)) if nz.size else 1.0
            x0 = 0.0 if kind == "left" else positions[-1]
            inf = _SegInfo(seg, x0, k, V, kind, null=null, ell=ell,
                           nunk=int(len(k) + null.sum()))
        inf.offset = offset
        offset += inf.nunk
        infos.append(inf)
    N = offset
    rows = []
    rhs = []

    def row_for(i, x, what, ch):
        """Coefficient row giving phi_ch (what='phi') or J_ch (what='J') of segment i at x."""
        inf = infos[i]
        row = np.zeros(N)
        n = len(inf.k)
        if inf.kind == "inner":
            f1, f2, d1, d2 = _basis(inf.k, inf.seg.thickness, [x - inf.x0])
            if what == "phi":
                row[inf.offset: inf.offset + n] = inf.V[ch] * f1[0]
                row[inf.offset + n: inf.offset + 2 * n] = inf.V[ch] * f2[0]
            else:
                g = -inf.seg.block.G[ch, ch]
                row[inf.offset: inf.offset + n] = g * inf.V[ch] * d1[0]
                row[inf.offset + n: inf.offset + 2 * n] = g * inf.V[ch] * d2[0]
        else:
            s = x - inf.x0
            sgn = 1.0 if inf.kind == "left" else -1.0
            g = -inf.seg.block.G[ch, ch]
            j = inf.offset
            for m in range(n):
                if inf.null[m]:
                    if what == "phi":
                        row[j] = inf.V[ch, m]
                        row[j + 1] = inf.V[ch, m] * s / inf.ell
                    else:
                        row[j + 1] = g * inf.V[ch, m] / inf.ell
                    j += 2
                else:
                    e = math.exp(sgn * inf.k[m] * s)
                    row[j] = inf.V[ch, m] * e if what == "phi" else g * inf.V[ch, m] * sgn * inf.k[m] * e
                    j += 1
        return row

    inj = {}
    for (ii, lab, cur) in (injections or []):
        if not (0 <= ii < nint):
            raise ParameterError("injection interface", ii, f"in [0, {nint - 1}]")
        inj[(ii, lab)] = inj.get((ii, lab), 0.0) + check_finite("injected current", cur)

    for i in range(nint):
        x = positions[i]
        L, R = segs[i], segs[i + 1]
        for lab in rlist[i]:
            if not (lab in L.labels and lab in R.labels):
                raise ParameterError(f"interface {i}: resistance label", lab,
                                     "a channel present on both sides")
        for lab in dict.fromkeys(L.labels + R.labels):
            inL, inR = lab in L.labels, lab in R.labels
            if inL and inR:
                rlist[i].setdefault(lab, 0.0)
                cl, cr = L.labels.index(lab), R.labels.index(lab)
                rows.append(row_for(i, x, "J", cl) - row_for(i + 1, x, "J", cr))
                rhs.append(-inj.get((i, lab), 0.0))
                r = rlist[i].get(lab, 0.0)
                rows.append(row_for(i + 1, x, "phi", cr) - row_for(i, x, "phi", cl)
                            + r * row_for(i, x, "J", cl))
                rhs.append(0.0)
            elif inL:
                rows.append(row_for(i, x, "J", L.labels.index(lab)))
                rhs.append(0.0)
            else:
                rows.append(row_for(i + 1, x, "J", R.labels.index(lab)))
                rhs.append(0.0)
    if infos[0].null.any():
        # total current of the left lead: J; gauge: right lead asymptote = 0 at the last interface
        row = np.zeros(N)
        for c in range(len(segs[0].labels)):
            row += row_for(0, -1.0 * infos[0].ell, "J", c)
        rows.append(row)
        rhs.append(1.0)
        inf = infos[-1]
        row = np.zeros(N)
        j = inf.offset
        for m in range(len(inf.k)):
            if inf.null[m]:
                row[j] = 1.0
                break
            j += 1
        rows.append(row)
        rhs.append(0.0)
        scale_J = J
    else:
        scale_J = 1.0
    M = np.array(rows)
    b = np.array(rhs, dtype=float)
    if M.shape != (N, N):  # pragma: no cover - guarded by the construction
        raise AssertionError(f"system {M.shape} for {N} unknowns")
    # equilibrate rows and columns, then solve densely
    rs = np.max(np.abs(M), axis=1)
    rs[rs == 0] = 1.0
    M1 = M / rs[:, None]
    cs = np.max(np.abs(M1), axis=0)
    cs[cs == 0] = 1.0
    M2 = M1 / cs[None, :]
    try:
        y = sla.solve(M2, b / rs)
    except sla.LinAlgError:
        raise ParameterError("stack", [s.name for s in segs],
                             "a well-posed problem (the linear system is singular: a channel is "
                             "isolated, e.g. L_sd = 0 in a layer whose d channel carries no current)") from None
    coef = (y / cs) * scale_J
    if not np.all(np.isfinite(coef)):
        raise ParameterError("stack", [s.name for s in segs], "a well-posed problem (non-finite solution)")
    return PiecewiseSolution(infos, coef, positions, None, J if infos[0].null.any() else 0.0, rlist)
