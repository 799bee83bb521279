r"""Independent numerical path: the channel equations as a multipoint BVP (``scipy.integrate.solve_bvp``).

Used to check the exact piecewise-exponential solvers and to solve **graded** (non piecewise
constant) profiles, which they cannot.  Nothing here uses the Onsager blocks or their modes: the
equations are written directly from the conservation laws and Ohm's laws (seed 002 Eq. 7, 9, 13,
16, 17) for the state (φ_c, J_c) of every channel c,

.. math:: \frac{dφ_c}{dx} = -\frac{J_c}{σ_c(x)},\qquad
          \frac{dJ_c}{dx} = -\sum_r ν_{rc}\, L_r(x)\, (ν_r\cdot φ),

where reaction r converts channel ``a`` into ``b`` (ν_r = e_a − e_b, rate L_r(φ_a − φ_b)) or is a
sink (ν_r = e_a: the transverse relaxation).  Every segment is mapped onto τ ∈ [0, 1] and the
segments are stacked into one system, so the interface conditions (continuity of J_c, jumps
φ_c(R) − φ_c(L) = −r_c J_c, J_c = 0 for a channel present on one side only, injected currents)
become two-point boundary conditions.  The semi-infinite leads are truncated at
``lead_lengths`` times their spin-diffusion length, where the channels are forced to equilibrium
(equal potentials; Δμ⊥ = 0 for the transverse channel) — an error ~exp(−lead_lengths).
The unknowns are scaled (x by a reference length, J by the driving current, φ by J ℓ/σ) so that
solve_bvp's relative tolerance is meaningful.

Units: x and lengths in m, σ in S/m, L in S/m³, φ in eV, J in A/m².
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.integrate import solve_bvp

from ..errors import ParameterError, check_positive
from .stack import Stack

__all__ = ["BvpSegment", "BvpResult", "solve_channels_bvp", "bvp_segments_from_stack", "solve_stack_bvp"]


@dataclass
class BvpSegment:
    """One segment of the BVP.

    Attributes
    ----------
    name : str
    length : float
        [m] (finite; truncated length for leads).
    labels : tuple of str
        Channel labels (same rule as the exact solver: equal labels connect across interfaces).
    sigma : callable or array
        ``sigma(x) -> array (n,)`` [S/m] of global position x [m], or a constant array.
    reactions : list of (a, b, L)
        Channel indices a → b (b None for a sink) and coefficient L [S/m³] (float or callable of x).
    """

    name: str
    length: float
    labels: tuple
    sigma: Callable | np.ndarray
    reactions: list = field(default_factory=list)

    def sig(self, x):
        if callable(self.sigma):
            s = np.asarray(self.sigma(x), float)
        else:
            s = np.broadcast_to(np.asarray(self.sigma, float)[:, None], (len(self.labels), np.size(x)))
        return s.reshape(len(self.labels), -1)

    def rate(self, r, x):
        L = self.reactions[r][2]
        return np.asarray(L(x), float) * np.ones(np.size(x)) if callable(L) else np.full(np.size(x), float(L))


class BvpResult:
    """Solution of :func:`solve_channels_bvp`; positions x in m (x = 0 at the first interface)."""

    def __init__(self, segs, starts, sol, scales, J, I, charge, interface_r, offsets):
        self.segments = segs
        self.starts = starts
        self._sol = sol
        self._ell, self._J0, self._phi0 = scales
        self.J = J
        self.I = I
        self.charge = charge
        self._r = interface_r
        self._off = offsets

    @property
    def n_nodes(self) -> int:
        return int(self._sol.x.size)

    def fields(self, i: int, x):
        """(φ [eV], J [A/m²]) of segment i at global positions x: arrays (n, p)."""
        seg = self.segments[i]
        x = np.atleast_1d(np.asarray(x, float))
        tau = (x - self.starts[i]) / seg.length
        y = self._sol.sol(np.clip(tau, 0.0, 1.0))
        n = len(seg.labels)
        o = self._off[i]
        return y[o: o + n] * self._phi0, y[o + n: o + 2 * n] * self._J0

    def end_potential(self, side):
        i = 0 if side == "left" else len(self.segments) - 1
        x = self.starts[i] + (0.0 if side == "left" else self.segments[i].length)
        phi, _ = self.fields(i, [x])
        return float(np.mean(phi))

    @property
    def R_total(self) -> float:
        """(μ̄(left end) − μ̄(right end))/J over the truncated domain [Ω m²]."""
        return (self.end_potential("left") - self.end_potential("right")) / self.J

    @property
    def R_eq(self) -> float:
        """∫ dx/Σ_c σ_c(x) over the truncated domain + equilibrium interface resistances [Ω m²]."""
        xg, wg = np.polynomial.legendre.leggauss(64)
        R = 0.0
        for i, seg in enumerate(self.segments):
            e = np.linspace(self.starts[i], self.starts[i] + seg.length, 65)
            for lo, hi in zip(e[:-1], e[1:]):
                xs = 0.5 * (hi - lo) * xg + 0.5 * (hi + lo)
                R += 0.5 * (hi - lo) * float(wg @ (1.0 / np.sum(seg.sig(xs), axis=0)))
        for rd in self._r:
            if rd and all(r > 0 for r in rd.values()):
                R += 1.0 / sum(1.0 / r for r in rd.values())
        return R

    @property
    def R_ne(self) -> float:
        return self.R_total - self.R_eq


def _scales(segs, J):
    lens = []
    smax = 0.0
    for seg in segs:
        xm = np.linspace(0, 1, 5)  # rough sampling of local properties
        s = seg.sig(xm * seg.length)
        smax = max(smax, float(np.max(s)))
        lens.append(seg.length)
        for r in range(len(seg.reactions)):
            L = float(np.max(seg.rate(r, xm * seg.length)))
            if L > 0:
                lens.append(math.sqrt(float(np.min(s)) / L))
    ell = min(lens)
    J0 = abs(J) if J else 1.0
    return ell, J0, J0 * ell / smax, smax


def solve_channels_bvp(segments, interface_r=None, *, J: float = 0.0, injections=None, tol: float = 1e-8,
                       max_nodes: int = 200000, n_init: int = 61) -> BvpResult:
    """Solve the stacked multipoint BVP (see the module docstring).

    Parameters
    ----------
    segments : list of BvpSegment
        In order along x; x = 0 at the end of ``segments[0]``.
    interface_r : list of dict, optional
        ``{label: r}`` [Ω m²] per interface.
    J : float
        Total current [A/m²] (models with a charge mode); 0 for the transverse channel.
    injections : list of (interface index, label, current [A/m²]), optional
    tol : float
        ``solve_bvp`` relative tolerance.

    Raises
    ------
    RuntimeError
        If ``solve_bvp`` does not converge (its message is included).
    """
    segs = list(segments)
    for s in segs:
        check_positive(f"segment '{s.name}': length", s.length)
    nint = len(segs) - 1
    rlist = [dict() for _ in range(nint)] if interface_r is None else [dict(r) for r in interface_r]
    charge = all(b is not None for s in segs for (_, b, _) in s.reactions)
    drive = J if charge else sum(c for (_, _, c) in (injections or []))
    ell, J0, phi0, smax = _scales(segs, drive)
    starts = [-segs[0].length]
    for s in segs[:-1]:
        starts.append(starts[-1] + s.length)
    offsets = np.cumsum([0] + [2 * len(s.labels) for s in segs[:-1]]).tolist()
    ntot = sum(2 * len(s.labels) for s in segs)

    def fun(tau, y):
        dy = np.empty_like(y)
        for i, seg in enumerate(segs):
            n, o, d = len(seg.labels), offsets[i], seg.length
            x = starts[i] + d * tau
            u, j = y[o: o + n], y[o + n: o + 2 * n]
            dy[o: o + n] = -(d / ell) * (smax / seg.sig(x)) * j
            dj = np.zeros_like(j)
            for r, (a, b, _) in enumerate(seg.reactions):
                aff = u[a] - (u[b] if b is not None else 0.0)
                rate = seg.rate(r, x) * aff
                dj[a] -= rate
                if b is not None:
                    dj[b] += rate
            dy[o + n: o + 2 * n] = (d * ell / smax) * dj
        return dy

    inj = {}
    for (ii, lab, cur) in (injections or []):
        inj[(ii, lab)] = inj.get((ii, lab), 0.0) + cur / J0

    def bc(ya, yb):
        res = []
        # far ends
        for which, y, seg, o in (("left", ya, segs[0], offsets[0]), ("right", yb, segs[-1], offsets[-1])):
            n = len(seg.labels)
            u, j = y[o: o + n], y[o + n: o + 2 * n]
            if charge:
                res.extend(u[1:] - u[0])
                res.append(np.sum(j) - J / J0 if which == "left" else u[0])
            else:
                res.extend(u)
        for i in range(nint):
            L, R = segs[i], segs[i + 1]
            oL, oR = offsets[i], offsets[i + 1]
            nL, nR = len(L.labels), len(R.labels)
            for lab in dict.fromkeys(L.labels + R.labels):
                if lab in L.labels and lab in R.labels:
                    cl, cr = L.labels.index(lab), R.labels.index(lab)
                    jl, jr = yb[oL + nL + cl], ya[oR + nR + cr]
                    res.append(jr - jl - inj.get((i, lab), 0.0))
                    r = rlist[i].get(lab, 0.0) * J0 / phi0
                    res.append(ya[oR + cr] - yb[oL + cl] + r * jl)
                elif lab in L.labels:
                    res.append(yb[oL + nL + L.labels.index(lab)])
                else:
                    res.append(ya[oR + nR + R.labels.index(lab)])
        return np.array(res)

    def fun_jac(tau, y):
        Jac = np.zeros((ntot, ntot, tau.size))
        for i, seg in enumerate(segs):
            n, o, d = len(seg.labels), offsets[i], seg.length
            x = starts[i] + d * tau
            g = -(d / ell) * (smax / seg.sig(x))
            for c in range(n):
                Jac[o + c, o + n + c] = g[c]
            for r, (a, b, _) in enumerate(seg.reactions):
                k = (d * ell / smax) * seg.rate(r, x)
                nu = np.zeros(n)
                nu[a] = 1.0
                if b is not None:
                    nu[b] = -1.0
                for p_ in range(n):
                    for q in range(n):
                        if nu[p_] and nu[q]:
                            Jac[o + n + p_, o + q] -= nu[p_] * nu[q] * k
        return Jac

    # the boundary conditions are affine: their Jacobians are constant, built once
    z = np.zeros(ntot)
    b0 = bc(z, z)
    Ba = np.column_stack([bc(e, z) - b0 for e in np.eye(ntot)])
    Bb = np.column_stack([bc(z, e) - b0 for e in np.eye(ntot)])

    tau = np.linspace(0.0, 1.0, n_init)
    y0 = np.zeros((ntot, tau.size))
    sol = solve_bvp(fun, bc, tau, y0, tol=tol, max_nodes=max_nodes, bc_tol=tol,
                    fun_jac=fun_jac, bc_jac=lambda ya, yb: (Ba, Bb))
    if not sol.success:
        raise RuntimeError(f"solve_bvp did not converge: {sol.message}")
    I = sum(c for (_, _, c) in (injections or []))
    return BvpResult(segs, starts, sol, (ell, J0, phi0), J, I, charge, rlist, offsets)


def bvp_segments_from_stack(stack: Stack, model: str = "two-channel", lead_lengths: float = 25.0):
    """BVP segments of a collinear stack, written from the raw layer parameters.

    ``model``: ``"two-channel"`` (Eq. 7, 9), ``"four-channel"`` (Eq. 16, 17) or ``"transverse"``
    (Eq. 13–15).  Leads are truncated at ``lead_lengths`` × their longest relaxation length.
    Returns ``(segments, interface_r)``.
    """
    _, signs = stack.collinear_signs()
    segs = []
    for ly, s in zip(stack.layers, signs):
        maj, mino = ("up", "dn") if (ly.kind == "N" or s > 0) else ("dn", "up")
        if model == "transverse":
            tp = ly.transverse_or_default()
            lam = math.sqrt(tp.sigma_perp / tp.L_perp) if tp.L_perp > 0 else math.inf
            seg = BvpSegment(ly.name, 0.0, ("perp",), np.array([tp.sigma_perp]), [(0, None, tp.L_perp)])
        elif model == "four-channel" and ly.kind == "F" and ly.sd is not None:
            sig = np.array([ly.sigma_up, ly.sigma_dn, ly.sd.sigma_d])
            seg = BvpSegment(ly.name, 0.0, (f"s_{maj}", f"s_{mino}", f"d_{mino}"), sig,
                             [(0, 1, ly.L), (1, 2, ly.sd.L_sd)])
            # longest relaxation length: from the 2x2 problem for (Δ_s, Δ_d) (Eq. 18, corrected)
            M = np.array([[ly.sd.L_sd * (1 / sig[1] + 1 / sig[2]), -ly.L / sig[1]],
                          [-ly.sd.L_sd / sig[1], ly.L * (1 / sig[0] + 1 / sig[1])]])
            ev = np.linalg.eigvals(M).real
            lam = 1 / math.sqrt(min(ev)) if min(ev) > 0 else math.inf
        else:
            pre = "s_" if model == "four-channel" else ""
            sig = np.array([ly.sigma_up, ly.sigma_dn])
            seg = BvpSegment(ly.name, 0.0, (pre + maj, pre + mino), sig, [(0, 1, ly.L)])
            lam = 1 / math.sqrt(ly.L * (1 / sig[0] + 1 / sig[1])) if ly.L > 0 else math.inf
        if ly.is_lead:
            if not math.isfinite(lam):
                raise ParameterError(f"lead '{ly.name}': relaxation", 0.0, "> 0 for a lead")
            seg.length = lead_lengths * lam
        else:
            seg.length = ly.thickness
        segs.append(seg)
    pre = "s_" if model == "four-channel" else ""
    rs = []
    for i, itf in enumerate(stack.interfaces):
        if model == "transverse" or (itf.r_maj == 0 and itf.r_min == 0):
            rs.append({})
            continue
        L, R = stack.layers[i], stack.layers[i + 1]
        ref = i if L.kind == "F" else (i + 1 if R.kind == "F" else None)
        s = signs[ref] if ref is not None else 1
        rs.append({pre + "up": itf.r_maj, pre + "dn": itf.r_min} if s >= 0
                  else {pre + "up": itf.r_min, pre + "dn": itf.r_maj})
    return segs, rs


def solve_stack_bvp(stack: Stack, model: str = "two-channel", *, lead_lengths: float = 25.0,
                    tol: float = 1e-8, injection=None) -> BvpResult:
    """BVP solution of a collinear stack (``injection = (interface, dJ_perp)`` for the transverse model)."""
    segs, rs = bvp_segments_from_stack(stack, model, lead_lengths)
    if model == "transverse":
        if injection is None:
            raise ParameterError("injection", None, "(interface index, dJ_perp) for the transverse model")
        return solve_channels_bvp(segs, rs, injections=[(injection[0], "perp", injection[1])], tol=tol)
    return solve_channels_bvp(segs, rs, J=stack.current_density, tol=tol)
