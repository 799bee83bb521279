r"""Onsager layer: named fluxes, conjugate forces, kinetic coefficients and the two laws they obey.

A linear irreversible system is written (seed 002, Eq. 2, 9, 10, 15, 17, 20)

.. math:: J_i = \sum_j L_{ij} X_j ,\qquad T\,\dot S = \sum_i J_i X_i = X^{\mathsf T} L X \ge 0,

with fluxes :math:`J_i`, their thermodynamically conjugate forces :math:`X_i` (the product
:math:`J_i X_i` is a dissipated power density) and the matrix of kinetic coefficients :math:`L`.
Two laws constrain :math:`L`:

* **Onsager–Casimir reciprocity.**  With :math:`\varepsilon_i = \pm 1` the time-reversal parity of
  the variable whose rate is :math:`J_i`, and with :math:`B` any time-reversal-odd parameter the
  coefficients depend on (magnetic field, magnetization),
  :math:`L_{ij}(B) = \varepsilon_i \varepsilon_j L_{ji}(-B)`.  The object stores :math:`L = L(B)`
  and :math:`L^{R} = L(-B)` (``L_reversed``); the simplest way to give :math:`L^R` is to mark the
  coefficients odd in :math:`B` (``odd_in_field``: :math:`L^R_{ij} = \eta_{ij}L_{ij}`,
  :math:`\eta_{ij} = -1` where odd).  Without a field :math:`L^R = L` and the relation is the
  classical :math:`L_{ij} = \varepsilon_i \varepsilon_j L_{ji}`.  Elimination mixes even and odd
  parts, which is why the full :math:`L^R` is carried along.
* **Second law.**  :math:`X^{\mathsf T} L X = X^{\mathsf T} L_s X` with :math:`L_s = (L+L^{\mathsf
  T})/2`; the entropy production is :math:`\ge 0` for every force iff :math:`L_s` is positive
  semidefinite.

The ferromagnetic block of seed 002 Eq. 3, :math:`\mathcal L = \rho L_F \begin{pmatrix}\alpha & 1\\
-1 & \alpha\end{pmatrix}`, has an antisymmetric (gyrotropic) part that is odd in the
magnetization: it is reciprocal with :math:`\varepsilon_\theta = \varepsilon_\varphi` and
:math:`\eta_{\theta\varphi} = \eta_{\varphi\theta} = -1` (see :func:`ferromagnetic_block`); it
generates the Landau–Lifshitz equation (Eq. 4) through :func:`ferromagnetic_drift`, equivalent to the
Gilbert form (Eq. 5) through :func:`gilbert_to_ll` (Eq. 6).

Units are those of the caller: :class:`OnsagerSystem` only requires that ``L @ X`` has the units of
the fluxes.  The entropy production returned is :math:`T\dot S = X^{\mathsf T} L X` (a dissipated
power density), divided by ``T`` when a temperature is given.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np

from .errors import ParameterError, check_finite, check_nonnegative, check_positive
from .units import MU0

__all__ = [
    "OnsagerError",
    "OnsagerSystem",
    "ferromagnetic_block",
    "tangent_basis",
    "ferromagnetic_drift",
    "ll_drift",
    "gilbert_drift",
    "gilbert_to_ll",
    "ll_to_gilbert",
    "ll_drift_si",
    "gilbert_drift_si",
]

_RTOL = 1e-10  # relative tolerance (w.r.t. max |L|) of the reciprocity and positivity checks


class OnsagerError(ParameterError):
    """An Onsager matrix that violates reciprocity or the second law, or inconsistent names.

    Attributes
    ----------
    entries : list of tuple(str, str)
        The offending ``(flux, force)`` entries (empty when the problem is not entry-wise).
    """

    def __init__(self, name: str, value, allowed: str, entries=(), hint: str | None = None):
        self.entries = list(entries)
        super().__init__(name, value, allowed, hint)


def _names(label: str, names) -> list[str]:
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise OnsagerError(label, names, "a list of strings")
    out = list(names)
    for s in out:
        if not isinstance(s, str) or not s:
            raise OnsagerError(label, names, "a list of non-empty strings")
    dup = sorted({s for s in out if out.count(s) > 1})
    if dup:
        raise OnsagerError(label, names, f"unique names (duplicated: {dup})")
    return out


class OnsagerSystem:
    r"""Linear flux–force relations :math:`J = L X` with names and time-reversal parities.

    Parameters
    ----------
    fluxes : list of str
        Names of the fluxes :math:`J_i` (unique).
    forces : list of str
        Names of the conjugate forces :math:`X_i`, in the same order (``forces[i]`` is conjugate to
        ``fluxes[i]``; unique, and no force may share a name with a non-conjugate flux).
    L : array_like, shape (n, n)
        Kinetic coefficients, ``J_i = Σ_j L[i, j] X_j`` (units: flux / force).
    parities : list of int
        Time-reversal parity :math:`\varepsilon_i \in \{+1, -1\}` of the variable whose rate is
        ``fluxes[i]``.
    name : str
        Label used in error messages.
    odd_in_field : array_like of bool, shape (n, n), optional
        ``True`` where the coefficient is odd in a time-reversal-odd parameter (magnetic field or
        magnetization): then ``L_reversed = where(odd, -L, L)``.  Must be symmetric.
    L_reversed : array_like, shape (n, n), optional
        The coefficients at reversed field, :math:`L(-B)` (alternative to ``odd_in_field``; give
        at most one).  Default: ``L`` (no field dependence).
    validate : bool
        Run :meth:`check` on construction (default ``True``).
    rtol : float
        Relative tolerance of :meth:`check`, relative to ``max|L|``.

    Raises
    ------
    OnsagerError
        Mismatched names / shapes / parities, non-finite ``L``, or (with ``validate``) a violation
        of reciprocity or of the second law, naming the offending entries.
    """

    def __init__(self, fluxes: Sequence[str], forces: Sequence[str], L, parities: Sequence[int],
                 name: str = "", *, odd_in_field=None, L_reversed=None, validate: bool = True,
                 rtol: float = _RTOL):
        self.name = str(name)
        self.fluxes = _names(self._lab("fluxes"), fluxes)
        self.forces = _names(self._lab("forces"), forces)
        n = len(self.fluxes)
        if len(self.forces) != n:
            raise OnsagerError(self._lab("forces"), self.forces,
                               f"one force per flux ({n} fluxes {self.fluxes}, got {len(self.forces)} forces)")
        clash = [(i, f) for i, f in enumerate(self.forces) if f in self.fluxes and self.fluxes.index(f) != i]
        if clash:
            raise OnsagerError(self._lab("forces"), self.forces,
                               f"names distinct from the non-conjugate fluxes (clash: {[c[1] for c in clash]})")
        if isinstance(parities, (str, bytes)) or not isinstance(parities, Iterable):
            raise OnsagerError(self._lab("parities"), parities, "a list of +1/-1, one per flux")
        par = list(parities)
        if len(par) != n:
            raise OnsagerError(self._lab("parities"), par, f"one parity (+1 or -1) per flux ({n} fluxes)")
        bad = [self.fluxes[i] for i, p in enumerate(par) if isinstance(p, bool) or p not in (1, -1)]
        if bad:
            raise OnsagerError(self._lab("parities"), par, f"+1 or -1 for every flux (bad for {bad})")
        self.parities = [int(p) for p in par]
        try:
            A = np.array(L, dtype=float)
        except (TypeError, ValueError):
            raise OnsagerError(self._lab("L"), L, f"a real ({n}, {n}) array") from None
        if A.shape != (n, n):
            raise OnsagerError(self._lab("L"), A, f"an ({n}, {n}) array matching fluxes {self.fluxes}")
        if not np.all(np.isfinite(A)):
            ent = [(self.fluxes[i], self.forces[j]) for i, j in zip(*np.nonzero(~np.isfinite(A)))]
            raise OnsagerError(self._lab("L"), A, f"finite (non-finite entries {ent})", ent)
        self.L = A
        if odd_in_field is not None and L_reversed is not None:
            raise OnsagerError(self._lab("L_reversed"), "given with odd_in_field", "given alone (use one of the two)")
        if L_reversed is not None:
            R = np.array(L_reversed, dtype=float)
            if R.shape != (n, n) or not np.all(np.isfinite(R)):
                raise OnsagerError(self._lab("L_reversed"), R, f"a finite ({n}, {n}) array")
        elif odd_in_field is not None:
            odd = np.asarray(odd_in_field, dtype=bool)
            if odd.shape != (n, n):
                raise OnsagerError(self._lab("odd_in_field"), odd, f"an ({n}, {n}) boolean array")
            if not np.array_equal(odd, odd.T):
                raise OnsagerError(self._lab("odd_in_field"), odd,
                                   "symmetric (a coefficient and its reciprocal have the same field parity)")
            R = np.where(odd, -A, A)
        else:
            R = A.copy()
        self.L_reversed = R
        self.rtol = check_positive("rtol", rtol)
        if validate:
            self.check()

    # ------------------------------------------------------------------ helpers
    def _lab(self, what: str) -> str:
        return f"{self.name}.{what}" if self.name else what

    def _entry(self, i: int, j: int) -> str:
        return f"L[{self.fluxes[i]}, {self.forces[j]}]"

    @property
    def n(self) -> int:
        """Number of flux–force pairs."""
        return len(self.fluxes)

    @property
    def even_part(self) -> np.ndarray:
        """Part of L even in the time-reversal-odd parameter: (L(B) + L(−B))/2."""
        return 0.5 * (self.L + self.L_reversed)

    @property
    def odd_part(self) -> np.ndarray:
        """Part of L odd in the time-reversal-odd parameter: (L(B) − L(−B))/2."""
        return 0.5 * (self.L - self.L_reversed)

    @property
    def odd_in_field(self) -> np.ndarray:
        """Boolean mask of the coefficients with a non-zero odd part."""
        return np.abs(self.odd_part) > self.rtol * max(float(np.max(np.abs(self.L), initial=0.0)), 1e-300)

    def reversed(self) -> "OnsagerSystem":
        """The same system at reversed field/magnetization, L(−B)."""
        return OnsagerSystem(self.fluxes, self.forces, self.L_reversed, self.parities, self.name,
                             L_reversed=self.L, validate=False, rtol=self.rtol)

    def parity_signs(self) -> np.ndarray:
        r"""Matrix :math:`\varepsilon_i\varepsilon_j`; reciprocity is :math:`L = (\varepsilon\varepsilon^{\mathsf T})\circ (L^R)^{\mathsf T}`."""
        e = np.asarray(self.parities, dtype=float)
        return np.outer(e, e)

    @property
    def symmetric_part(self) -> np.ndarray:
        """L_s = (L + Lᵀ)/2, the dissipative part."""
        return 0.5 * (self.L + self.L.T)

    def index(self, name: str) -> int:
        """Index of a flux or of its conjugate force, by name."""
        if name in self.fluxes:
            return self.fluxes.index(name)
        if name in self.forces:
            return self.forces.index(name)
        raise OnsagerError(self._lab("name"), name, f"one of the fluxes {self.fluxes} or forces {self.forces}")

    def coefficient(self, flux: str, force: str) -> float:
        """``L[flux, force]`` by names."""
        if flux not in self.fluxes:
            raise OnsagerError(self._lab("flux"), flux, f"one of {self.fluxes}")
        if force not in self.forces:
            raise OnsagerError(self._lab("force"), force, f"one of {self.forces}")
        return float(self.L[self.fluxes.index(flux), self.forces.index(force)])

    def __repr__(self) -> str:
        return (f"OnsagerSystem(name={self.name!r}, fluxes={self.fluxes}, forces={self.forces}, "
                f"parities={self.parities})")

    # ------------------------------------------------------------------ the two laws
    def check(self) -> "OnsagerSystem":
        """Check Onsager–Casimir reciprocity and the second law; return ``self``.

        The tolerances are invariant under a change of units of each variable
        (:math:`X_i \\to c_iX_i`, :math:`L_{ij}\\to c_ic_jL_{ij}`), so blocks mixing conductivities
        and relaxation rates of very different magnitudes are checked entry by entry: entry
        :math:`(i,j)` is compared with ``rtol·max(|L_ij|, |L^R_ji|, sqrt|L_ii L_jj|)`` and
        positivity is tested on the diagonally scaled symmetric part.

        Raises
        ------
        OnsagerError
            Naming every entry pair that breaks :math:`L_{ij}(B) = ε_iε_jL_{ji}(-B)`, or the
            entries that make the symmetric part indefinite (a negative diagonal entry, a 2×2
            minor :math:`L_{s,ii}L_{s,jj} < L_{s,ij}^2`, or the dominant components of the
            eigenvector of the most negative eigenvalue).
        """
        A = self.L
        s = self.parity_signs()
        Rv = self.L_reversed
        R = A - s * Rv.T
        d = np.sqrt(np.abs(np.diag(A)))
        ref = np.maximum(np.maximum(np.abs(A), np.abs(Rv.T)), np.outer(d, d))
        bad = [(i, j) for i in range(self.n) for j in range(i, self.n)
               if abs(R[i, j]) > self.rtol * ref[i, j] and abs(R[i, j]) > 0]
        if bad:
            msgs = []
            for i, j in bad:
                rel = "= +" if s[i, j] > 0 else "= -"
                if np.array_equal(Rv, A):
                    msgs.append(f"{self._entry(i, j)}={A[i, j]:.6g} vs {self._entry(j, i)}={A[j, i]:.6g} "
                                f"(need {self._entry(i, j)} {rel}{self._entry(j, i)}; parities "
                                f"{self.parities[i]:+d},{self.parities[j]:+d})")
                else:
                    msgs.append(f"{self._entry(i, j)}={A[i, j]:.6g} vs {self._entry(j, i)}(-B)={Rv[j, i]:.6g} "
                                f"(need {self._entry(i, j)}(B) {rel}{self._entry(j, i)}(-B); parities "
                                f"{self.parities[i]:+d},{self.parities[j]:+d})")
            ent = [(self.fluxes[i], self.forces[j]) for i, j in bad]
            raise OnsagerError(self._lab("L"), "; ".join(msgs), "Onsager–Casimir reciprocal", ent)
        self._check_second_law()
        return self

    def _check_second_law(self) -> None:
        S = self.symmetric_part
        n, rtol = self.n, self.rtol
        allowed = "such that the symmetric part is positive semidefinite (second law: T dS/dt >= 0)"
        rowmax = np.maximum(np.max(np.abs(self.L), axis=1, initial=0.0), np.max(np.abs(self.L), axis=0, initial=0.0))
        neg_diag = [i for i in range(n) if S[i, i] < -rtol * rowmax[i]]
        if neg_diag:
            ent = [(self.fluxes[i], self.forces[i]) for i in neg_diag]
            msgs = [f"{self._entry(i, i)}={S[i, i]:.6g} < 0" for i in neg_diag]
            raise OnsagerError(self._lab("L"), "; ".join(msgs), allowed, ent)
        minors = []
        for i in range(n):
            for j in range(i + 1, n):
                excess = S[i, j] ** 2 - max(S[i, i], 0.0) * max(S[j, j], 0.0)
                if excess > rtol * (S[i, j] ** 2 + abs(S[i, i] * S[j, j])) and excess > 0:
                    minors.append((i, j))
        if minors:
            ent, msgs = [], []
            for i, j in minors:
                ent += [(self.fluxes[i], self.forces[j]), (self.fluxes[j], self.forces[i])]
                msgs.append(f"({self._entry(i, j)}+{self._entry(j, i)})/2={S[i, j]:.6g} exceeds "
                            f"sqrt({self._entry(i, i)}·{self._entry(j, j)})={np.sqrt(max(S[i, i] * S[j, j], 0)):.6g}")
            raise OnsagerError(self._lab("L"), "; ".join(msgs), allowed, ent)
        # remaining case: every 2×2 minor is fine; test the diagonally scaled matrix (unit diagonal)
        P = [i for i in range(n) if S[i, i] > 0]
        if len(P) < 3:
            return
        dP = np.sqrt(np.diag(S)[P])
        St = S[np.ix_(P, P)] / np.outer(dP, dP)
        w, V = np.linalg.eigh(St)
        if w[0] >= -rtol * len(P):
            return
        v = V[:, 0]
        dom = [P[k] for k in np.argsort(-np.abs(v)) if abs(v[k]) > 0.2 * np.max(np.abs(v))]
        ent = [(self.fluxes[i], self.forces[j]) for i in dom for j in dom]
        names = [self.forces[k] for k in dom]
        raise OnsagerError(self._lab("L"), f"scaled symmetric part has eigenvalue {w[0]:.6g} < 0 along forces {names}",
                           allowed, ent)

    # ------------------------------------------------------------------ evaluation
    def _forces_array(self, X) -> np.ndarray:
        if isinstance(X, Mapping):
            unknown = sorted(set(X) - set(self.forces))
            if unknown:
                raise OnsagerError(self._lab("forces_vector"), unknown, f"keys among {self.forces}")
            missing = [f for f in self.forces if f not in X]
            if missing:
                raise OnsagerError(self._lab("forces_vector"), missing, f"a value for every force {self.forces}")
            arrs = np.broadcast_arrays(*[np.asarray(X[f], dtype=float) for f in self.forces])
            Xa = np.stack(arrs, axis=-1)
        else:
            Xa = np.asarray(X, dtype=float)
        if Xa.ndim == 0 or Xa.shape[-1] != self.n:
            raise OnsagerError(self._lab("forces_vector"), Xa,
                               f"an array with last axis of length {self.n} (forces {self.forces})")
        if not np.all(np.isfinite(Xa)):
            raise OnsagerError(self._lab("forces_vector"), Xa, "finite")
        return Xa

    def fluxes_from(self, forces_vector) -> np.ndarray:
        """Fluxes ``J = L X``.

        Parameters
        ----------
        forces_vector : array_like, shape (..., n), or dict {force name: value}
            Forces in the order of ``forces`` (broadcast over leading axes).

        Returns
        -------
        ndarray, shape (..., n)
            Fluxes in the order of ``fluxes``.
        """
        X = self._forces_array(forces_vector)
        return X @ self.L.T

    def entropy_production(self, forces_vector, T: float | None = None) -> np.ndarray:
        r"""Dissipation :math:`T\dot S = \sum_i J_i X_i = X^{\mathsf T} L X` (≥ 0 for a valid system).

        Parameters
        ----------
        forces_vector : array_like, shape (..., n), or dict
            Forces.
        T : float, optional
            Temperature; if given, returns :math:`\dot S = X^{\mathsf T} L X / T`.
        """
        X = self._forces_array(forces_vector)
        out = np.einsum("...i,ij,...j->...", X, self.symmetric_part, X)
        if T is not None:
            out = out / check_positive("T", T)
        return out

    # ------------------------------------------------------------------ algebra
    def compose(self, other: "OnsagerSystem", cross=None, *, cross_reverse=None, cross_odd_in_field=None,
                name: str | None = None, validate: bool = True) -> "OnsagerSystem":
        r"""Block composition of two subsystems with cross-coefficients (seed 002, Eq. 20).

        The composed matrix is :math:`\begin{pmatrix} L_1 & C \\ \tilde C & L_2\end{pmatrix}`.

        Parameters
        ----------
        other : OnsagerSystem
            The second subsystem (its names must not clash with this one's).
        cross : dict {(flux of self, force of other): value} or array (n1, n2), optional
            The coupling block :math:`C` (fluxes of ``self`` driven by forces of ``other``).
        cross_reverse : dict {(flux of other, force of self): value} or array (n2, n1), optional
            The reverse block :math:`\tilde C`.  Default: from reciprocity,
            :math:`\tilde C_{ji} = \varepsilon_i\varepsilon_j\eta_{ij} C_{ij}`.  If given it is
            checked like every other entry.
        cross_odd_in_field : dict {(flux of self, force of other): bool} or bool array (n1, n2), optional
            Which cross-coefficients are odd in the magnetic field/magnetization.
        name : str, optional
            Name of the result (default ``"self.name+other.name"``).
        validate : bool
            Check the composed system (reciprocity and second law).
        """
        if not isinstance(other, OnsagerSystem):
            raise OnsagerError("other", other, "an OnsagerSystem")
        n1, n2 = self.n, other.n
        clash = sorted((set(self.fluxes) | set(self.forces)) & (set(other.fluxes) | set(other.forces)))
        if clash:
            raise OnsagerError("other", other.name or other.fluxes, f"names distinct from {self.name or 'self'} (clash: {clash})")

        def block(spec, rows, cols, label, dtype=float):
            B = np.zeros((len(rows), len(cols)), dtype=dtype)
            if spec is None:
                return B
            if isinstance(spec, Mapping):
                for key, val in spec.items():
                    if not (isinstance(key, tuple) and len(key) == 2 and key[0] in rows and key[1] in cols):
                        raise OnsagerError(label, key, f"a (flux, force) key with flux in {rows} and force in {cols}")
                    B[rows.index(key[0]), cols.index(key[1])] = val if dtype is bool else check_finite(f"{label}[{key}]", val)
                return B
            A = np.asarray(spec, dtype=dtype)
            if A.shape != B.shape:
                raise OnsagerError(label, A, f"an array of shape {B.shape} (rows {rows}, columns {cols})")
            if dtype is float and not np.all(np.isfinite(A)):
                raise OnsagerError(label, A, "finite")
            return A

        C = block(cross, self.fluxes, other.forces, "cross")
        odd = block(cross_odd_in_field, self.fluxes, other.forces, "cross_odd_in_field", dtype=bool)
        eta = np.where(odd, -1.0, 1.0)
        e1 = np.asarray(self.parities, float)
        e2 = np.asarray(other.parities, float)
        if cross_reverse is None:
            Ct = (np.outer(e1, e2) * eta * C).T  # C̃_ji(B) = ε_iε_j C_ij(−B)
        else:
            Ct = block(cross_reverse, other.fluxes, self.forces, "cross_reverse")
        L = np.block([[self.L, C], [Ct, other.L]])
        LR = np.block([[self.L_reversed, eta * C], [eta.T * Ct, other.L_reversed]])
        nm = name if name is not None else "+".join(s for s in (self.name, other.name) if s)
        return OnsagerSystem(self.fluxes + other.fluxes, self.forces + other.forces, L,
                             self.parities + other.parities, nm, L_reversed=LR,
                             validate=validate, rtol=min(self.rtol, other.rtol))

    def _split(self, names, label):
        if isinstance(names, str):
            names = [names]
        idx = []
        for s in names:
            try:
                idx.append(self.index(s))
            except OnsagerError:
                raise OnsagerError(label, s, f"one of the fluxes {self.fluxes} (or their forces)") from None
        if len(set(idx)) != len(idx):
            raise OnsagerError(label, list(names), "distinct names")
        b = sorted(idx)
        a = [i for i in range(self.n) if i not in b]
        return a, b

    def eliminate(self, names, *, name: str | None = None, validate: bool = True) -> "OnsagerSystem":
        r"""Eliminate stationary (fast) variables: set their fluxes to zero, return the effective system.

        Partition into kept ``a`` and eliminated ``b``.  :math:`J_b = L_{ba}X_a + L_{bb}X_b = 0`
        gives :math:`X_b = -L_{bb}^{-1}L_{ba}X_a` and the Schur complement

        .. math:: L^{\rm eff} = L_{aa} - L_{ab} L_{bb}^{-1} L_{ba}.

        Reciprocity and the second law are inherited (:math:`X_a^{\mathsf T}L^{\rm eff}X_a` is the
        full dissipation at the constrained forces).

        Parameters
        ----------
        names : str or list of str
            Fluxes (or their conjugate forces) to eliminate.
        """
        a, b = self._split(names, "names")
        if not a:
            raise OnsagerError("names", names, "a strict subset of the fluxes (at least one must remain)")
        Lbb = self.L[np.ix_(b, b)]
        cond = np.linalg.cond(Lbb) if Lbb.size else 1.0
        if not np.isfinite(cond) or cond > 1e12:
            raise OnsagerError("names", [self.fluxes[i] for i in b],
                               "fluxes whose block L_bb is invertible (it is singular: the "
                               "eliminated variables are not all relaxing)",
                               [(self.fluxes[i], self.forces[j]) for i in b for j in b])
        def schur(M):
            return M[np.ix_(a, a)] - M[np.ix_(a, b)] @ np.linalg.solve(M[np.ix_(b, b)], M[np.ix_(b, a)])

        Leff = schur(self.L)
        LReff = schur(self.L_reversed)  # the same elimination at reversed field
        nm = name if name is not None else (f"{self.name}|eliminated {[self.fluxes[i] for i in b]}")
        return OnsagerSystem([self.fluxes[i] for i in a], [self.forces[i] for i in a], Leff,
                             [self.parities[i] for i in a], nm, L_reversed=LReff, validate=validate,
                             rtol=self.rtol)

    def eliminated_forces(self, names, forces_kept) -> np.ndarray:
        r"""The forces :math:`X_b = -L_{bb}^{-1}L_{ba}X_a` that the eliminated variables settle to.

        Parameters
        ----------
        names : list of str
            The eliminated fluxes (as in :meth:`eliminate`).
        forces_kept : array_like, shape (..., n_a)
            Forces of the kept variables, in their order.
        """
        a, b = self._split(names, "names")
        Xa = np.asarray(forces_kept, dtype=float)
        if Xa.ndim == 0 or Xa.shape[-1] != len(a):
            raise OnsagerError("forces_kept", Xa, f"last axis of length {len(a)}")
        K = np.linalg.solve(self.L[np.ix_(b, b)], self.L[np.ix_(b, a)])
        return -Xa @ K.T

    def restrict(self, names, *, name: str | None = None) -> "OnsagerSystem":
        """Sub-system of the given fluxes, the other *forces* set to zero (a principal submatrix)."""
        _, keep = self._split(names, "names")
        return OnsagerSystem([self.fluxes[i] for i in keep], [self.forces[i] for i in keep],
                             self.L[np.ix_(keep, keep)], [self.parities[i] for i in keep],
                             name if name is not None else self.name,
                             L_reversed=self.L_reversed[np.ix_(keep, keep)], rtol=self.rtol)

    def transform(self, T, fluxes: Sequence[str], forces: Sequence[str], parities: Sequence[int], *,
                  name: str | None = None) -> "OnsagerSystem":
        r"""Change of variables that preserves the dissipation.

        New fluxes :math:`J' = T J` and forces :math:`X' = T^{-\mathsf T} X`, so that
        :math:`J'\cdot X' = J\cdot X` and :math:`L' = T L T^{\mathsf T}` (e.g. from (J↑, J↓) to
        (J0, δJ) in seed 002 Eq. 10).  ``L(−B)`` transforms the same way.  The new parities must
        make the result reciprocal (checked).
        """
        T = np.asarray(T, dtype=float)
        if T.shape != (self.n, self.n) or not np.all(np.isfinite(T)):
            raise OnsagerError("T", T, f"a finite ({self.n}, {self.n}) array")
        if abs(np.linalg.det(T)) < 1e-14 * max(1.0, np.max(np.abs(T))) ** self.n:
            raise OnsagerError("T", T, "an invertible matrix")
        return OnsagerSystem(fluxes, forces, T @ self.L @ T.T, parities, name if name is not None else self.name,
                             L_reversed=T @ self.L_reversed @ T.T, rtol=self.rtol)


# ====================================================================== ferromagnetic block (Eq. 3)

def ferromagnetic_block(alpha: float, L_F: float, rho: float = 1.0, name: str = "F", parity: int = 1) -> OnsagerSystem:
    r"""The ferromagnetic Onsager block of seed 002, Eq. 3.

    .. math:: \begin{pmatrix}J_\theta\\ J_\varphi\end{pmatrix} = \rho L_F
       \begin{pmatrix}\alpha & 1\\ -1 & \alpha\end{pmatrix}
       \begin{pmatrix}H_\theta\\ H_\varphi\end{pmatrix},\qquad H = -\nabla_\Sigma \mu^F,

    in a right-handed orthonormal tangent basis :math:`(e_\theta, e_\varphi)` with
    :math:`e_\theta\times e_\varphi = u` (Eq. 2 with :math:`\vec J^F = -\mathcal L\nabla_\Sigma\mu^F`).
    The dissipation is :math:`J\cdot H = \rho L_F \alpha |H|^2 \ge 0`.  The gyrotropic coefficients
    :math:`\pm\rho L_F` are odd in the magnetization (the time-reversal-odd parameter), so
    reciprocity reads :math:`L_{\theta\varphi} = -L_{\varphi\theta}` (both components have the
    same parity; ``odd_in_field`` marks the off-diagonal pair).  Seed 002 Eq. 20 lists the block in
    the order (φ, θ) with the same matrix, which is the *transpose* of Eq. 3 in that order (the
    opposite sense of precession, i.e. L(−M)); Eq. 3–4 are used here, and they reproduce Eq. 5/6.

    Parameters
    ----------
    alpha : float
        Dimensionless damping α ≥ 0 (α = 0 is the dissipationless limit).
    L_F : float
        Gyrotropic coefficient (> 0), units of velocity per force: with the force written as
        :math:`M_s\vec H` (A²/m² when H is in A/m) it is :math:`\gamma_0/(M_s(1+\alpha^2))` (Eq. 6,
        γ0 = μ0γ in m A⁻¹ s⁻¹); with the force in field units (A/m) it is :math:`\gamma_0/(1+\alpha^2)`;
        in the package's reduced units (force −∇U in kT, time τ_N) it is 1/(2α).
    rho : float
        Density ρ^F on Σ (> 0); 1 gives velocities instead of probability currents.
    name : str
        Label (default ``"F"``).
    parity : {+1, -1}
        Time-reversal parity given to both components (u itself is odd; only products of parities
        enter reciprocity, so choose it consistently with the blocks this one is composed with).
    """
    alpha = check_nonnegative("alpha", alpha)
    L_F = check_positive("L_F", L_F)
    rho = check_positive("rho", rho)
    L = rho * L_F * np.array([[alpha, 1.0], [-1.0, alpha]])
    odd = np.array([[False, True], [True, False]])
    if parity not in (1, -1) or isinstance(parity, bool):
        raise OnsagerError("parity", parity, "+1 or -1")
    return OnsagerSystem(["J_theta", "J_phi"], ["H_theta", "H_phi"], L, [parity, parity], name, odd_in_field=odd)


def tangent_basis(u) -> tuple[np.ndarray, np.ndarray]:
    r"""Right-handed orthonormal tangent basis :math:`(e_\theta, e_\varphi)` at ``u`` (``e_θ × e_φ = u``).

    Spherical unit vectors about e_z away from the poles; at ``|u_x|, |u_y| < 1e-8`` a fixed
    right-handed basis built from e_x (the formulas that use it are invariant under rotations of
    the basis in the tangent plane).

    Parameters
    ----------
    u : array_like, shape (..., 3)
        Unit vectors.
    """
    u = np.asarray(u, dtype=float)
    s = np.hypot(u[..., 0], u[..., 1])
    pole = s < 1e-8
    s_safe = np.where(pole, 1.0, s)
    cphi = np.where(pole, 1.0, u[..., 0] / s_safe)
    sphi = np.where(pole, 0.0, u[..., 1] / s_safe)
    ez = u[..., 2]
    e_phi = np.stack([-sphi, cphi, np.zeros_like(ez)], axis=-1)
    e_theta = np.cross(e_phi, u)
    e_theta /= np.linalg.norm(e_theta, axis=-1, keepdims=True)
    e_phi = np.cross(u, e_theta)
    return e_theta, e_phi


def ferromagnetic_drift(u, H, block: OnsagerSystem) -> np.ndarray:
    r"""Velocity :math:`\dot u` generated by a ferromagnetic Onsager block (Eq. 2–3) for field ``H``.

    Projects ``H`` on the tangent basis, applies ``J = L X`` (divided by ρ^F so that the flux
    is a velocity), and maps back to ℝ³.  For :func:`ferromagnetic_block` this is the
    Landau–Lifshitz equation (Eq. 4), see :func:`ll_drift`.

    Parameters
    ----------
    u : array_like, shape (..., 3)
        Unit vectors.
    H : array_like, shape (..., 3)
        Force (effective field, −∇μ^F) in the units the block's ``L_F`` expects; its radial
        component is ignored.
    block : OnsagerSystem
        A 2×2 block with fluxes in the order (θ, φ), e.g. from :func:`ferromagnetic_block` with
        ``rho=1``.
    """
    if not isinstance(block, OnsagerSystem) or block.n != 2:
        raise ParameterError("block", block, "a 2×2 OnsagerSystem (θ, φ), e.g. ferromagnetic_block(...)")
    u = np.asarray(u, dtype=float)
    H = np.asarray(H, dtype=float)
    et, ep = tangent_basis(u)
    X = np.stack([np.sum(H * et, -1), np.sum(H * ep, -1)], axis=-1)
    J = block.fluxes_from(X)
    return J[..., :1] * et + J[..., 1:] * ep


def ll_drift(u, H, alpha: float, L_F: float) -> np.ndarray:
    r"""Landau–Lifshitz form, seed 002 Eq. 4: :math:`\dot u = -L_F\{u\times H + \alpha\,u\times(u\times H)\}`.

    Units: as for :func:`ferromagnetic_block` (``L_F · H`` is a rate).
    """
    u = np.asarray(u, dtype=float)
    H = np.asarray(H, dtype=float)
    uxH = np.cross(u, H)
    return -L_F * (uxH + alpha * np.cross(u, uxH))


def gilbert_drift(u, H, alpha: float, gamma: float) -> np.ndarray:
    r"""Gilbert form (seed 002 Eq. 5, written for ``u`` with α = ηγM_s), solved for :math:`\dot u`.

    .. math:: \dot u = -\gamma\, u\times H + \alpha\, u\times\dot u

    (the seed writes :math:`\dot M = \gamma M\times(H - \eta\dot M)` with γ the *signed*
    gyromagnetic ratio, negative for electron spins; here γ > 0 is its magnitude, which gives the
    same sense of precession as Eq. 4).  The implicit equation is solved exactly as the 3×3 linear
    system :math:`(I - \alpha[u]_\times)\dot u = -\gamma\,u\times H`, independent of the closed form
    of Eq. 4/6.

    Parameters
    ----------
    u, H : array_like, shape (..., 3)
        Direction and field (``gamma · H`` is a rate).
    alpha : float
        Gilbert damping.
    gamma : float
        Gyromagnetic ratio (magnitude) in the units that make ``gamma·H`` a rate.
    """
    u = np.asarray(u, dtype=float)
    H = np.asarray(H, dtype=float)
    ub, Hb = np.broadcast_arrays(u, H)
    cross = np.zeros(ub.shape + (3,))  # [u]_× v = u × v
    cross[..., 0, 1], cross[..., 0, 2] = -ub[..., 2], ub[..., 1]
    cross[..., 1, 0], cross[..., 1, 2] = ub[..., 2], -ub[..., 0]
    cross[..., 2, 0], cross[..., 2, 1] = -ub[..., 1], ub[..., 0]
    A = np.eye(3) - alpha * cross
    rhs = -gamma * np.cross(ub, Hb)
    return np.linalg.solve(A, rhs[..., None])[..., 0]


def gilbert_to_ll(gamma: float, eta: float, Ms: float) -> tuple[float, float]:
    r"""Gilbert (γ, η) → Landau–Lifshitz (α, L_F), seed 002 Eq. 6.

    .. math:: \alpha = \eta\gamma M_s,\qquad L_F = \frac{\gamma}{M_s(1+\alpha^2)}.

    Parameters
    ----------
    gamma : float
        Gyromagnetic ratio magnitude γ0 = μ0γ [m A⁻¹ s⁻¹] when H is in A/m (or γ [rad s⁻¹ T⁻¹]
        when fields are in tesla).
    eta : float
        Gilbert damping parameter η ≥ 0 of Eq. 5 [s·(field unit)/(magnetization unit)… i.e.
        1/(γ M_s) per unit α].
    Ms : float
        Saturation magnetization (same field unit as H).

    Returns
    -------
    alpha, L_F : float
        L_F multiplies the force :math:`M_s\vec H`; with the force in field units use
        ``L_F * Ms = γ/(1+α²)``.
    """
    gamma = check_positive("gamma", gamma)
    eta = check_nonnegative("eta", eta)
    Ms = check_positive("Ms", Ms)
    alpha = eta * gamma * Ms
    return alpha, gamma / (Ms * (1 + alpha**2))


def ll_to_gilbert(alpha: float, L_F: float, Ms: float) -> tuple[float, float]:
    r"""Inverse of :func:`gilbert_to_ll`: :math:`\gamma = L_F M_s (1+\alpha^2)`, :math:`\eta = \alpha/(\gamma M_s)`."""
    alpha = check_nonnegative("alpha", alpha)
    L_F = check_positive("L_F", L_F)
    Ms = check_positive("Ms", Ms)
    gamma = L_F * Ms * (1 + alpha**2)
    return gamma, alpha / (gamma * Ms)


def ll_drift_si(u, H, alpha: float, gamma: float = None) -> np.ndarray:
    r"""SI Landau–Lifshitz drift (Eq. 4 with Eq. 6): :math:`\dot u = -\frac{\gamma\mu_0}{1+\alpha^2}\{u\times H + \alpha u\times(u\times H)\}`.

    Parameters
    ----------
    u : array_like, shape (..., 3)
        Unit vectors.
    H : array_like, shape (..., 3)
        Effective field [A/m].
    alpha : float
        Gilbert damping (≥ 0).
    gamma : float
        Gyromagnetic ratio [rad s⁻¹ T⁻¹] (default the electron's, :data:`thermokinetic.units.GAMMA_E`).

    Returns
    -------
    ndarray
        du/dt [rad/s].
    """
    from .units import GAMMA_E

    gamma = GAMMA_E if gamma is None else check_positive("gamma", gamma)
    alpha = check_nonnegative("alpha", alpha)
    return ll_drift(u, H, alpha, gamma * MU0 / (1 + alpha**2))


def gilbert_drift_si(u, H, alpha: float, gamma: float = None) -> np.ndarray:
    r"""SI Gilbert drift (Eq. 5): :math:`\dot u = -\gamma\mu_0 u\times H + \alpha u\times\dot u`, H in A/m, γ in rad s⁻¹ T⁻¹."""
    from .units import GAMMA_E

    gamma = GAMMA_E if gamma is None else check_positive("gamma", gamma)
    alpha = check_nonnegative("alpha", alpha)
    return gilbert_drift(u, H, alpha, gamma * MU0)
