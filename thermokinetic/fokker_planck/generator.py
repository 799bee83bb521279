r"""Finite-volume generator of Brown's equation with the generalized-LLG drift.

Equation (reduced units, :mod:`thermokinetic.units`): with ρ the probability density per unit area
of Σ and time in τ_N,

.. math::

    ∂_t ρ = -∇·\mathbf J,\qquad
    \mathbf J = ρ\,\mathbf v - \tfrac12 ∇ρ,\qquad
    \mathbf v = -\tfrac12 ∇(U - χ/α) + \tfrac{1}{2α}\, \mathbf u × ∇(U + Φ),

i.e. seed 002, Eq. 24 with precession field H_eff − ∇Φ and dissipative field H_eff + ∇χ/α
(H_eff = −∇U; U, Φ, χ in kT).  Write ``U_d = U − χ/α`` (dissipative potential) and
``U_p = U + Φ`` (precession potential).

Discretization on a :class:`~thermokinetic.sphere.mesh.SphereMesh` (cell averages ρ_i, areas A_i):
``A dρ/dt = Q ρ`` with ``Q`` assembled from face fluxes F_k (cell i → cell j, integrated over the
face of length ℓ, centre distance d, end vertices a → b oriented along m × n):

* dissipative part — Scharfetter–Gummel in the Boltzmann variable of U_d,
  ``F = ½ (ℓ/d) [B(ΔU_d) ρ_i − B(−ΔU_d) ρ_j]``, ``B(z) = z/(e^z − 1)``;
* precession part — the exact discrete curl of ``w = e^{−U_d}`` at the vertices, central in
  ``f = ρ e^{U_d}``: ``F = (1/2α) · ½ (f_i + f_j) (w_b − w_a)``, plus, where ``U_p ≠ U_d``, the
  central term ``F = −(1/2α) · ½ (ρ_i + ρ_j) (Ψ_b − Ψ_a)`` with ``Ψ = U_p − U_d = Φ + χ/α``.

Every flux is antisymmetric, so probability is conserved to rounding (column sums of Q vanish);
at Φ = χ = 0 the SG flux vanishes on ``e^{−U}`` and the curl telescopes around each cell, so
``e^{−U}`` is the exact discrete stationary state for every α.  The error is O(h²).

The M-matrix (positivity-preserving) variant adds to each face the least extra SG dissipation
(``κ ≥ 0`` times the dissipative flux) that makes all off-diagonal entries of Q non-negative; it
vanishes on ``e^{−U_d}``, so equilibrium stays exact, and κ = 0 once the mesh resolves the
precession (cell Péclet number |∇U_p| d / 2α ≲ 1).

Affine structure (sweeps): :class:`AffineGenerator` stores ``Q(J, δh) = Q_0 + J Q_J + δh Q_h`` on one
sparsity pattern; the parts are the exact first-order (Fréchet) derivatives of the flux above with
respect to the current's potentials and the field amplitude, so changing J or δh is an AXPY on
the CSR data (no re-assembly), exact at (0, 0) and second-order accurate in the amplitude.
Use :func:`assemble` (full non-linear re-assembly) where the amplitudes are large.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..dynamics import Drift
from ..energy import EnergyTerm
from ..errors import ParameterError, check_finite, check_positive

__all__ = [
    "Potential",
    "as_potential",
    "bernoulli",
    "FaceFluxes",
    "assemble",
    "Generator",
    "AffineGenerator",
]


def bernoulli(z: np.ndarray) -> np.ndarray:
    """B(z) = z / (e^z − 1), accurate for all z (series near 0, no overflow for large |z|)."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    small = np.abs(z) < 1e-3
    zs = z[small]
    out[small] = 1 - zs / 2 + zs**2 / 12 - zs**4 / 720
    zl = z[~small]
    # z / expm1(z) is fine for z > -700; for very negative z, B(z) ≈ -z
    with np.errstate(over="ignore"):
        out[~small] = np.where(zl > -700, zl / np.expm1(np.maximum(zl, -700)), -zl)
    return out


def _bernoulli_prime(z: np.ndarray) -> np.ndarray:
    """dB/dz, accurate for all z."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    small = np.abs(z) < 1e-3
    zs = z[small]
    out[small] = -0.5 + zs / 6 - zs**3 / 180
    zl = z[~small]
    # B'(z) = [e^z − 1 − z e^z] / (e^z − 1)² ; use e^{-z} forms to avoid overflow
    with np.errstate(over="ignore", invalid="ignore"):
        pos = zl > 0
        ez = np.exp(-np.abs(zl))  # <= 1
        # for z > 0: multiply num/den by e^{-2z}: [e^{-z} − e^{-2z} − z e^{-z}] / (1 − e^{-z})²
        num_p = ez - ez**2 - zl * ez
        den_p = (1 - ez) ** 2
        # for z < 0 (e^z = ez): [ez − 1 − z ez] / (ez − 1)²
        num_n = ez - 1 - zl * ez
        den_n = (ez - 1) ** 2
        out[~small] = np.where(pos, num_p / den_p, num_n / den_n)
    return out


@dataclass(frozen=True)
class Potential:
    """A scalar potential on Σ (in kT) known at cell centres and at mesh vertices.

    Build it with :func:`as_potential` from a callable ``f(u) -> values`` (exact at both cell
    centres and vertices) or from an array of cell values (vertices interpolated).
    """

    cells: np.ndarray
    vertices: np.ndarray

    def __add__(self, other: "Potential") -> "Potential":
        return Potential(self.cells + other.cells, self.vertices + other.vertices)

    def __mul__(self, c: float) -> "Potential":
        return Potential(c * self.cells, c * self.vertices)

    __rmul__ = __mul__


def as_potential(mesh, f, name: str = "potential") -> Potential:
    """Evaluate ``f`` (callable of u (n,3), EnergyTerm, cell array, Potential or None) on ``mesh``."""
    if f is None:
        return Potential(np.zeros(mesh.n_cells), np.zeros(mesh.n_vertices))
    if isinstance(f, Potential):
        return f
    if isinstance(f, EnergyTerm):
        cells, verts = f.value(mesh.centers), f.value(mesh.vertices)
    elif callable(f):
        cells = np.asarray(f(mesh.centers), dtype=float).reshape(-1)
        verts = np.asarray(f(mesh.vertices), dtype=float).reshape(-1)
    else:
        cells = np.asarray(f, dtype=float).reshape(-1)
        if cells.shape != (mesh.n_cells,):
            raise ParameterError(name, f"array of shape {np.shape(f)}",
                                 f"a callable of u or an array of {mesh.n_cells} cell values")
        verts = mesh.vertex_values(cells)
    if cells.shape != (mesh.n_cells,) or verts.shape != (mesh.n_vertices,):
        raise ParameterError(name, "callable", "a callable returning one value per direction")
    if not (np.all(np.isfinite(cells)) and np.all(np.isfinite(verts))):
        raise ParameterError(name, "non-finite values", "finite values everywhere on the sphere")
    return Potential(cells, verts)


class _Pattern:
    """COO layout of a face-flux operator (4 entries per face) and its CSR image."""

    def __init__(self, n: int, faces: np.ndarray):
        i, j = faces[:, 0], faces[:, 1]
        rows = np.concatenate([i, i, j, j])
        cols = np.concatenate([i, j, i, j])
        key = rows.astype(np.int64) * n + cols
        uniq, inv = np.unique(key, return_inverse=True)
        self.n = n
        self.nnz = uniq.size
        self.map = inv
        r, c = uniq // n, uniq % n
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=n))]).astype(np.int64)
        self.indices = c.astype(np.int64)
        self.diag_pos = np.searchsorted(uniq, np.arange(n) * n + np.arange(n))

    def data(self, ci: np.ndarray, cj: np.ndarray) -> np.ndarray:
        """CSR data of the operator whose face flux is ``F = ci ρ_i + cj ρ_j``."""
        vals = np.concatenate([-ci, -cj, ci, cj])
        return np.bincount(self.map, weights=vals, minlength=self.nnz)

    def csr(self, data: np.ndarray) -> sp.csr_matrix:
        return sp.csr_matrix((data, self.indices.copy(), self.indptr.copy()), shape=(self.n, self.n))


@dataclass
class FaceFluxes:
    """Per-face flux coefficients: the flux from cell i to cell j is ``ci ρ_i + cj ρ_j``."""

    ci: np.ndarray
    cj: np.ndarray
    kappa: np.ndarray | None = None  # extra SG dissipation factor added by the M-matrix variant


def _geometry(mesh, dyn: Drift):
    """Face end cells and vertices, and the SG coefficient ``D ℓ/d`` (D the diffusion coefficient)."""
    f = mesh.faces
    return f[:, 0], f[:, 1], mesh.face_vertices[:, 0], mesh.face_vertices[:, 1], \
        dyn.diffusion * mesh.face_lengths / mesh.face_distances


def _face_coefficients(mesh, dyn: Drift, Ud: Potential, Psi: Potential | None, mmatrix: bool,
                       stabilize_above: float | None = None, Up: Potential | None = None) -> FaceFluxes:
    i, j, a, b, D = _geometry(mesh, dyn)
    Uc, Uv = Ud.cells, Ud.vertices
    dU = Uc[j] - Uc[i]
    # dissipative SG flux: D [B(ΔU) ρ_i − B(−ΔU) ρ_j]
    ci = D * bernoulli(dU)
    cj = -D * bernoulli(-dU)
    # precession, curl part: g · ½ (ρ_i e^{W_i} + ρ_j e^{W_j}) (e^{−W_b} − e^{−W_a}) with g = 1/2α and
    # W = U_d (then the central term in Ψ = U_p − U_d follows) or, given ``Up``, W = U_p (no Ψ term:
    # a face on a level set of U_p carries no precession flux, as on the orbit-aligned mesh);
    # computed with local exponents only (no overflow at any barrier height)
    q = 0.5 * dyn.gyrotropic
    if Up is not None:
        Wc, Wv, Psi = Up.cells, Up.vertices, None
    else:
        Wc, Wv = Uc, Uv
    ci = ci + q * (np.exp(Wc[i] - Wv[b]) - np.exp(Wc[i] - Wv[a]))
    cj = cj + q * (np.exp(Wc[j] - Wv[b]) - np.exp(Wc[j] - Wv[a]))
    if Psi is not None:
        dpsi = Psi.vertices[b] - Psi.vertices[a]
        ci = ci - q * dpsi
        cj = cj - q * dpsi
    kappa = None
    if mmatrix or stabilize_above is not None:
        # off-diagonals of Q are  Q_ji = ci  and  Q_ij = −cj : make both ≥ 0 with extra SG dissipation
        Bp, Bm = D * bernoulli(dU), D * bernoulli(-dU)
        kappa = np.maximum(0.0, np.maximum(-ci / Bp, cj / Bm))
        if not mmatrix:  # only on faces whose cells both lie above the energy cut
            kappa = np.where(np.minimum(Uc[i], Uc[j]) - Uc.min() > stabilize_above, kappa, 0.0)
        ci = ci + kappa * Bp
        cj = cj - kappa * Bm
        # the limiting entries are zero in exact arithmetic: remove rounding of either sign
        fixed = kappa > 0
        ci = np.where(fixed, np.maximum(ci, 0.0), ci)
        cj = np.where(fixed, np.minimum(cj, 0.0), cj)
    return FaceFluxes(ci, cj, kappa)


class Generator:
    """The assembled operator ``Q`` with ``A dρ/dt = Q ρ`` (``A = diag(areas)``).

    Attributes
    ----------
    mesh : SphereMesh
    Q : scipy.sparse.csr_matrix
        Generator (column sums zero).
    areas : ndarray
        Cell areas A_i (the mass matrix diagonal).
    Ud : Potential
        Dissipative potential U − χ/α (in kT) at cells and vertices.
    Up : Potential
        Precession potential U + Φ.
    alpha : float
        Gilbert damping of ``dynamics``.
    dynamics : Drift
        The Onsager coefficients the drift and the diffusion came from.
    mmatrix : bool
        Whether the positivity-preserving variant was assembled.
    kappa : ndarray
        Per-face extra SG dissipation factor κ ≥ 0 of the M-matrix variant (zeros otherwise).
    kappa_max : float
        Largest κ (0 when the mesh resolves the precession).
    """

    def __init__(self, mesh, Q, Ud, Up, dynamics, mmatrix, kappa, pattern):
        self.mesh = mesh
        self.Q = Q
        self.areas = np.asarray(mesh.areas)
        self.Ud = Ud
        self.Up = Up
        self.dynamics = dynamics
        self.alpha = dynamics.alpha
        self.mmatrix = mmatrix
        self.kappa = kappa
        self.kappa_max = float(kappa.max()) if kappa.size else 0.0
        self._pattern = pattern

    @property
    def n(self) -> int:
        return self.mesh.n_cells

    def boltzmann_weight(self) -> np.ndarray:
        """``D = e^{−(U_d − min U_d)}`` at the cells (≤ 1; the scaling of the Boltzmann variable)."""
        return np.exp(-(self.Ud.cells - self.Ud.cells.min()))

    def boltzmann(self) -> np.ndarray:
        """Normalized ``e^{−U_d}`` (the exact discrete stationary state when Φ = χ = 0)."""
        w = self.boltzmann_weight()
        return w / np.dot(w, self.areas)

    def scaled(self):
        """``(D, K)`` with ``D`` = :meth:`boltzmann_weight` and ``K = Q diag(D)`` (CSR): the operator
        in the Boltzmann variable f = ρ/D; its column sums vanish and, on a mesh that resolves the
        drift, its off-diagonal entries are ≥ 0."""
        D = self.boltzmann_weight()
        return D, (self.Q @ sp.diags(D)).tocsr()

    def rhs(self, rho: np.ndarray) -> np.ndarray:
        """dρ/dt = A⁻¹ Q ρ."""
        return (self.Q @ rho) / self.areas

    def mass(self, rho: np.ndarray) -> float:
        return float(np.dot(self.areas, rho))


def _potentials(mesh, energy, dyn: Drift, phi, chi, current):
    """U_d, U_p and Ψ = U_p − U_d at cells and vertices (None where Ψ vanishes)."""
    U = as_potential(mesh, energy, "energy")
    C = as_potential(mesh, chi, "chi") * current if chi is not None and current != 0 else None
    P = as_potential(mesh, phi, "phi") * current if phi is not None and current != 0 else None
    Ud, Up = dyn.dissipative_potential(U, C), dyn.precession_potential(U, P)
    Psi = None
    if C is not None:
        Psi = C * dyn.chi_weight
    if P is not None:
        Psi = P if Psi is None else Psi + P
    return Ud, Up, Psi


def assemble(mesh, energy, alpha: float, *, phi=None, chi=None, current: float = 1.0,
             mmatrix: bool = False, stabilize_above: float | None = None, curl: str = "dissipative") -> Generator:
    """Assemble the generator Q for ``energy`` and the spin-transfer potentials ``current·Φ``, ``current·χ``.

    Parameters
    ----------
    mesh : SphereMesh
        Finite-volume mesh of Σ (:func:`thermokinetic.sphere.geodesic_mesh`, ``latlong_mesh``).
    energy : EnergyTerm or callable or array
        Reduced free energy U(u) in kT.
    alpha : float or Drift
        Gilbert damping α > 0 (the reduced Onsager block), or the
        :class:`~thermokinetic.dynamics.Drift` of an Onsager matrix: the drift and the diffusion
        coefficient come from it.
    phi, chi : callable, EnergyTerm, array of cell values, or None
        Precession potential Φ(u) and dissipation potential χ(u) in kT (per unit of ``current``).
    current : float
        Amplitude multiplying Φ and χ (e.g. the current in the coupler's unit).
    mmatrix : bool
        Assemble the positivity-preserving (M-matrix) variant (for time stepping).
    stabilize_above : float, optional
        Apply the M-matrix correction only on faces whose two cells lie more than this many kT
        above the minimum of U_d (where the density is below e^{−stabilize_above}): on coarse cells
        of a steep landscape (thin films) the central precession coefficients e^{ΔU} of those
        faces are meaningless and may make the operator indefinite, while changing them moves
        the slow rates by a relative amount of order e^{−(stabilize_above − barrier)}.
    curl : {"dissipative", "precession"}
        Boltzmann variable of the precession flux: ``e^{−U_d}`` with a central correction in
        ``Ψ = U_p − U_d`` (default), or ``e^{−U_p}`` without it.  The second makes a face on a level
        set of U_p carry exactly no precession flux whatever χ: the orbit-aligned mesh (its faces
        lie on level sets of U = U_p) needs it with spin transfer.  Both are O(h²) and coincide at
        χ = 0.

    Returns
    -------
    Generator
    """
    dyn = Drift.of(alpha)
    current = check_finite("current", current)
    Ud, Up, Psi = _potentials(mesh, energy, dyn, phi, chi, current)
    if stabilize_above is not None:
        stabilize_above = check_positive("stabilize_above", stabilize_above)
    if curl not in ("dissipative", "precession"):
        raise ParameterError("curl", curl, "'dissipative' or 'precession'")
    ff = _face_coefficients(mesh, dyn, Ud, Psi, mmatrix, stabilize_above,
                            Up if curl == "precession" and Psi is not None else None)
    pat = _pattern_for(mesh)
    Q = pat.csr(pat.data(ff.ci, ff.cj))
    kappa = np.zeros(mesh.n_faces) if ff.kappa is None else ff.kappa
    return Generator(mesh, Q, Ud, Up, dyn, mmatrix, kappa, pat)


_PATTERNS: dict = {}


def _pattern_for(mesh) -> _Pattern:
    key = id(mesh)
    pat = _PATTERNS.get(key)
    if pat is None or pat.n != mesh.n_cells:
        pat = _Pattern(mesh.n_cells, np.asarray(mesh.faces))
        if len(_PATTERNS) > 16:
            _PATTERNS.clear()
        _PATTERNS[key] = pat
    return pat


class AffineGenerator:
    r"""``Q(J, δh) = Q_0 + J·Q_J + δh·Q_h`` on one sparsity pattern (sweeps without re-assembly).

    ``Q_0`` is the exact scheme for ``energy`` at zero current; ``Q_J`` is the Fréchet derivative of
    the face fluxes with respect to the current (dissipative potential −χ/α through the SG flux,
    precession potential Φ through the central curl term); ``Q_h`` the derivative with respect to
    the amplitude of ``field_term`` (an energy term added with weight δh, e.g. a Zeeman term with
    ζ = 1).  ``operator(J, dh)`` is one AXPY on the CSR data.

    Parameters
    ----------
    mesh, energy, alpha, phi, chi
        As in :func:`assemble` (Φ and χ per unit current).
    field_term : EnergyTerm, optional
        Energy term whose amplitude δh is swept.
    """

    def __init__(self, mesh, energy, alpha, *, phi=None, chi=None, field_term=None):
        self.dynamics = dyn = Drift.of(alpha)
        self.alpha = dyn.alpha
        self.mesh = mesh
        pat = _pattern_for(mesh)
        self._pattern = pat
        U = as_potential(mesh, energy, "energy")
        self.U = U
        base = _face_coefficients(mesh, dyn, U, None, False)
        self.data0 = pat.data(base.ci, base.cj)
        zero = np.zeros(mesh.n_faces)
        self.chi = None if chi is None else as_potential(mesh, chi, "chi")
        self.phi = None if phi is None else as_potential(mesh, phi, "phi")
        none = Potential(np.zeros(mesh.n_cells), np.zeros(mesh.n_vertices))
        self.dataChi = (pat.data(zero, zero) if self.chi is None
                        else self._derivative(U, dUd=dyn.dissipative_potential(none, self.chi), dUp=none))
        self.dataPhi = (pat.data(zero, zero) if self.phi is None
                        else self._derivative(U, dUd=none, dUp=self.phi))
        self.dataJ = self.dataChi + self.dataPhi
        self.field = None if field_term is None else as_potential(mesh, field_term, "field_term")
        self.datah = (pat.data(zero, zero) if self.field is None
                      else self._derivative(U, dUd=self.field, dUp=self.field))

    def _derivative(self, U: Potential, dUd: Potential, dUp: Potential) -> np.ndarray:
        """CSR data of d(face flux)/dε at U_d = U + ε dUd, U_p = U + ε dUp (ε = 0)."""
        mesh, pat = self.mesh, self._pattern
        i, j, a, b, D = _geometry(mesh, self.dynamics)
        Uc, Uv = U.cells, U.vertices
        dU = Uc[j] - Uc[i]
        ddU = dUd.cells[j] - dUd.cells[i]
        # SG part: D [B(ΔU) ρ_i − B(−ΔU) ρ_j] → D [B'(ΔU) ρ_i + B'(−ΔU) ρ_j] δΔU
        ci = D * _bernoulli_prime(dU) * ddU
        cj = D * _bernoulli_prime(-dU) * ddU
        q = 0.5 * self.dynamics.gyrotropic
        # curl part with w = e^{−U_d}: derivative of ρ_i e^{U_i}(e^{−U_b} − e^{−U_a})
        eb_i, ea_i = np.exp(Uc[i] - Uv[b]), np.exp(Uc[i] - Uv[a])
        eb_j, ea_j = np.exp(Uc[j] - Uv[b]), np.exp(Uc[j] - Uv[a])
        ci = ci + q * (eb_i * (dUd.cells[i] - dUd.vertices[b]) - ea_i * (dUd.cells[i] - dUd.vertices[a]))
        cj = cj + q * (eb_j * (dUd.cells[j] - dUd.vertices[b]) - ea_j * (dUd.cells[j] - dUd.vertices[a]))
        # central term in Ψ = U_p − U_d
        dpsi = (dUp.vertices[b] - dUd.vertices[b]) - (dUp.vertices[a] - dUd.vertices[a])
        ci = ci - q * dpsi
        cj = cj - q * dpsi
        return pat.data(ci, cj)

    def _amplitudes(self, current, dh, chi, phi):
        current = check_finite("current", current)
        dh = check_finite("dh", dh)
        a_chi = current if chi is None else check_finite("chi amplitude", chi)
        a_phi = current if phi is None else check_finite("phi amplitude", phi)
        return a_chi, a_phi, dh

    def operator(self, current: float = 0.0, dh: float = 0.0, *, chi: float | None = None,
                 phi: float | None = None) -> sp.csr_matrix:
        """Q = Q_0 + a_χ Q_χ + a_Φ Q_Φ + δh Q_h (one AXPY on the CSR data; no re-assembly).

        ``a_χ = a_Φ = current`` unless the χ and Φ amplitudes are given separately.
        """
        a_chi, a_phi, dh = self._amplitudes(current, dh, chi, phi)
        data = self.data0 + a_chi * self.dataChi + a_phi * self.dataPhi + dh * self.datah
        return self._pattern.csr(data)

    def generator(self, current: float = 0.0, dh: float = 0.0, *, chi: float | None = None,
                  phi: float | None = None) -> Generator:
        """A :class:`Generator` (usable by every solver) for the affine operator at these amplitudes,
        with the matching dissipative and precession potentials U_d, U_p."""
        a_chi, a_phi, dh = self._amplitudes(current, dh, chi, phi)
        U = self.U if self.field is None else self.U + self.field * dh
        dyn = self.dynamics
        Ud = dyn.dissipative_potential(U, None if self.chi is None else self.chi * a_chi)
        Up = dyn.precession_potential(U, None if self.phi is None else self.phi * a_phi)
        Q = self.operator(dh=dh, chi=a_chi, phi=a_phi)
        return Generator(self.mesh, Q, Ud, Up, dyn, False, np.zeros(self.mesh.n_faces), self._pattern)

    @property
    def parts(self) -> dict:
        """The parts ``{"Q0", "QJ", "Qchi", "QPhi", "Qh"}`` (QJ = Qchi + QPhi) as CSR matrices."""
        return {k: self._pattern.csr(v) for k, v in
                (("Q0", self.data0), ("QJ", self.dataJ), ("Qchi", self.dataChi), ("QPhi", self.dataPhi),
                 ("Qh", self.datah))}
