r"""Two-channel collinear spin accumulation (seed 002 Eq. 7–12), solved exactly.

Model
-----
In each layer, with μ↑, μ↓ the spin-channel electrochemical potentials [eV] along the common axis
(the first ferromagnet's magnetization), Eq. 7 and 9 give

.. math:: J_s = -σ_s ∂_xμ_s,\quad ∂_xJ_↑ = -\dot ψ,\quad ∂_xJ_↓ = +\dot ψ,\quad \dot ψ = LΔμ,

so that Δμ = μ↑ − μ↓ obeys ∂²Δμ = Δμ/λ² with λ⁻² = L(1/σ↑ + 1/σ↓) (Eq. 11; derived from the
Onsager block, :func:`thermokinetic.transport.channels.two_channel_block`).  An antiparallel F
layer swaps its majority/minority conductivities in the global frame.  Interfaces: continuity of
J↑, J↓ and μ_s(right) − μ_s(left) = −r_s J_s.

Outputs (SI; μ in eV): μ↑, μ↓, μ0 ≡ μ̄ = (μ↑+μ↓)/2 (the seed's μ0 = μ↑+μ↓ is twice this), Δμ,
J↑, J↓, δJ = J↑ − J↓ [A/m²], ψ̇ [A/m³], the dissipation density [W/m³].

Non-equilibrium resistance
--------------------------
``R_ne = R_total − R_eq`` [Ω m²], where R_total is the drop of the leads' linear asymptotes of μ̄
across the stack divided by J, and R_eq = Σ d_i/(σ↑+σ↓)_i + Σ interfaces r↑r↓/(r↑+r↓).  From
J0 = −2σ0∂μ̄ − βσ0∂Δμ (Eq. 10) one gets ∂μ̄ = −J/(2σ0) − (β/2)∂Δμ, hence, without interface
resistances,

.. math:: R^{ne} = \frac{1}{2J}\int_A^B β(x)\,\frac{∂Δμ}{∂x}\,dx ,

the correct reading of seed 002 Eq. 12: β(x) must stay *inside* the integral (it jumps at the
interfaces); taken outside, the integral of ∂Δμ between A and B, where Δμ = 0, vanishes.  Every R_ne
equals the excess dissipation ∫(T dS/dt − J²/σ) dx / J² (:meth:`ChannelResult.dissipation_excess`).
"""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..errors import ParameterError
from .channels import PiecewiseSolution, Segment, solve_piecewise, two_channel_block
from .stack import Stack

__all__ = ["ChannelResult", "TwoChannelResult", "solve_two_channel", "two_channel_segments",
           "cpp_gmr", "with_alignment", "ne_resistance_from_eq12"]


def _global_sigmas(layer, sign):
    if layer.kind == "N" or sign >= 0:
        return layer.sigma_up, layer.sigma_dn
    return layer.sigma_dn, layer.sigma_up


def _interface_r(stack: Stack, i: int, signs, labels=("up", "dn")) -> dict:
    itf = stack.interfaces[i]
    L, R = stack.layers[i], stack.layers[i + 1]
    if itf.r_maj == 0 and itf.r_min == 0:
        return {}
    ref = i if L.kind == "F" else (i + 1 if R.kind == "F" else None)
    s = signs[ref] if ref is not None else 1
    if s >= 0:
        return {labels[0]: itf.r_maj, labels[1]: itf.r_min}
    return {labels[0]: itf.r_min, labels[1]: itf.r_maj}


def two_channel_segments(stack: Stack):
    """Segments (Eq. 9 blocks in the global spin basis) and interface resistances of a stack."""
    _, signs = stack.collinear_signs()
    segs = []
    for ly, s in zip(stack.layers, signs):
        su, sd = _global_sigmas(ly, s)
        blk = two_channel_block(su, sd, ly.L, name=ly.name)
        segs.append(Segment(ly.name, ly.thickness, blk, ("up", "dn"), ("psidot",)))
    rs = [_interface_r(stack, i, signs) for i in range(len(stack.interfaces))]
    return segs, rs


class ChannelResult:
    """Profiles and resistances of a solved collinear channel model.

    Attributes
    ----------
    stack : Stack
    solution : PiecewiseSolution
    R_total, R_eq, R_ne : float
        Resistances × area [Ω m²] (see the module docstring).
    """

    model = "channels"

    def __init__(self, stack: Stack, solution: PiecewiseSolution):
        self.stack = stack
        self.solution = solution

    @property
    def R_total(self) -> float:
        return self.solution.R_total

    @property
    def R_eq(self) -> float:
        return self.solution.R_eq

    @property
    def R_ne(self) -> float:
        return self.solution.R_ne

    def dissipation_excess(self) -> float:
        """Excess dissipation [W/m²] (equals R_ne J²)."""
        return self.solution.dissipation_excess()

    def grid(self, points_per_layer: int = 201, lead_extent: float = 3.0):
        """Output positions: ``[(segment index, x array)]``; leads cover ``lead_extent`` λ."""
        out = []
        sol = self.solution
        for i, seg in enumerate(sol.segments):
            a, b = sol.segment_range(i)
            lam = sol.decay_length(i)
            ext = lead_extent * (lam if math.isfinite(lam) else max(self._inner_width(), 1e-9))
            if math.isinf(a):
                a = b - ext
            if math.isinf(b):
                b = a + ext
            out.append((i, np.linspace(a, b, points_per_layer)))
        return out

    def _inner_width(self):
        p = self.solution.positions
        return float(p[-1] - p[0])

    def _channel_arrays(self, points_per_layer, lead_extent, labels):
        sol = self.solution
        rlabels = list(dict.fromkeys(rl for s in sol.segments for rl in s.reaction_labels))
        xs, seg, mu, J, rates = [], [], [], [], {rl: [] for rl in rlabels}
        for i, x in self.grid(points_per_layer, lead_extent):
            s = sol.segments[i]
            phi, _ = sol.segment_fields(i, x)
            cur = sol.segment_currents(i, x)
            m = np.full((len(x), len(labels)), np.nan)  # NaN: channel absent in this layer
            c = np.zeros((len(x), len(labels)))
            for j, lab in enumerate(s.labels):
                m[:, labels.index(lab)] = phi[:, j]
                c[:, labels.index(lab)] = cur[:, j]
            r = sol.segment_rates(i, x)
            for rl in rlabels:
                rates[rl].append(r[:, s.reaction_labels.index(rl)] if rl in s.reaction_labels
                                 else np.zeros(len(x)))
            xs.append(x)
            seg.append(np.full(len(x), i))
            mu.append(m)
            J.append(c)
        return (np.concatenate(xs), np.concatenate(seg), np.concatenate(mu), np.concatenate(J),
                {k: np.concatenate(v) for k, v in rates.items()})

    def summary(self) -> dict:
        raise NotImplementedError


class TwoChannelResult(ChannelResult):
    """Result of :func:`solve_two_channel`."""

    model = "two-channel"

    def profile(self, points_per_layer: int = 201, lead_extent: float = 3.0) -> dict:
        """Profiles on a grid (interface points appear twice, once per side).

        Returns
        -------
        dict of ndarray
            ``x`` [m], ``layer`` (index), ``mu_up``, ``mu_dn``, ``mu0`` = (μ↑+μ↓)/2, ``dmu`` [eV];
            ``J_up``, ``J_dn``, ``dJ`` [A/m²]; ``psidot`` [A/m³]; ``dissipation`` [W/m³].
        """
        x, seg, mu, J, rates = self._channel_arrays(points_per_layer, lead_extent, ["up", "dn"])
        diss = np.concatenate([self.solution.segment_dissipation(i, xx)
                               for i, xx in self.grid(points_per_layer, lead_extent)])
        return {
            "x": x, "layer": seg, "mu_up": mu[:, 0], "mu_dn": mu[:, 1],
            "mu0": 0.5 * (mu[:, 0] + mu[:, 1]), "dmu": mu[:, 0] - mu[:, 1],
            "J_up": J[:, 0], "J_dn": J[:, 1], "dJ": J[:, 0] - J[:, 1],
            "psidot": rates["psidot"], "dissipation": diss,
        }

    def interface_accumulation(self) -> list:
        """Δμ [eV] and δJ [A/m²] on both sides of every interface."""
        out = []
        sol = self.solution
        for i, x in enumerate(sol.positions):
            pl, _ = sol.segment_fields(i, [x])
            pr, _ = sol.segment_fields(i + 1, [x])
            jl = sol.segment_currents(i, [x])[0]
            out.append({
                "interface": f"{self.stack.layers[i].name}|{self.stack.layers[i + 1].name}",
                "x": float(x),
                "dmu_left": float(pl[0, 0] - pl[0, 1]), "dmu_right": float(pr[0, 0] - pr[0, 1]),
                "dJ": float(jl[0] - jl[1]),
            })
        return out

    def summary(self) -> dict:
        return {
            "model": self.model, "J": self.stack.current_density,
            "R_total": self.R_total, "R_eq": self.R_eq, "R_ne": self.R_ne,
            "lsf": {ly.name: ly.lsf for ly in self.stack.layers},
            "interfaces": self.interface_accumulation(),
        }


def solve_two_channel(stack: Stack) -> TwoChannelResult:
    """Solve the two-channel model exactly (any number of layers, P/AP F layers).

    Parameters
    ----------
    stack : Stack
        Collinear stack (F directions parallel or antiparallel); J in A/m².

    Returns
    -------
    TwoChannelResult
    """
    segs, rs = two_channel_segments(stack)
    sol = solve_piecewise(segs, rs, J=stack.current_density)
    return TwoChannelResult(stack, sol)


def with_alignment(stack: Stack, antiparallel=()) -> Stack:
    """Copy of a stack with every F layer along the first F's axis, except ``antiparallel`` ones."""
    fs = stack.ferromagnets()
    if not fs:
        raise ParameterError("stack", "no F layer", "at least one ferromagnet")
    axis = fs[0].direction
    names = [ly.name for ly in fs]
    for n in antiparallel:
        if n not in names:
            raise ParameterError("antiparallel layer", n, f"one of the F layers {names}")
    layers = tuple(ly if ly.kind == "N" else
                   replace(ly, direction=(-axis if ly.name in antiparallel else axis))
                   for ly in stack.layers)
    return Stack(layers, stack.interfaces, stack.current_density)


def cpp_gmr(stack: Stack, free: str | None = None, solver=None) -> dict:
    """CPP-GMR: P and AP resistances of a stack, flipping the F layer ``free`` (default: last F).

    Returns
    -------
    dict
        ``R_P``, ``R_AP``: resistance × area of the finite part (layers and interfaces between
        the leads, bulk lead resistance excluded, accumulation in the leads included) [Ω m²];
        ``dR = R_AP − R_P``; ``R_ne_P``, ``R_ne_AP``; ``ratio = dR / R_P``.
    """
    solver = solver or solve_two_channel
    fs = stack.ferromagnets()
    if len(fs) < 2:
        raise ParameterError("stack", [ly.name for ly in fs], "at least two F layers for CPP-GMR")
    free = free or fs[-1].name
    if free == fs[0].name:
        raise ParameterError("free", free, "an F layer other than the first (the reference)")
    rP = solver(with_alignment(stack))
    rAP = solver(with_alignment(stack, [free]))
    RP, RAP = rP.R_eq + rP.R_ne, rAP.R_eq + rAP.R_ne
    return {"R_P": RP, "R_AP": RAP, "dR": RAP - RP, "R_ne_P": rP.R_ne, "R_ne_AP": rAP.R_ne,
            "ratio": (RAP - RP) / RP}


def ne_resistance_from_eq12(result: TwoChannelResult) -> float:
    r"""R_ne from the corrected Eq. 12, (1/2J) ∫ β(x) ∂Δμ/∂x dx [Ω m²].

    With β piecewise constant the integral is Σ_layers β_i [Δμ(right end) − Δμ(left end)]
    (Δμ → 0 deep in the leads).  Valid without interface resistances.  β is the layer's asymmetry
    in the global frame (sign-flipped in antiparallel layers).
    """
    st = result.stack
    if any(itf.r_maj or itf.r_min for itf in st.interfaces):
        raise ParameterError("interfaces", "non-zero", "transparent interfaces for Eq. 12")
    _, signs = st.collinear_signs()
    sol = result.solution
    total = 0.0
    for i, ly in enumerate(st.layers):
        b = ly.beta * (signs[i] if ly.kind == "F" else 0)
        if b == 0:
            continue
        a, c = sol.segment_range(i)
        ends = []
        for xe in (a, c):
            if math.isinf(xe):
                ends.append(0.0)
            else:
                phi, _ = sol.segment_fields(i, [xe])
                ends.append(float(phi[0, 0] - phi[0, 1]))
        total += b * (ends[1] - ends[0])
    return total / (2.0 * st.current_density)
