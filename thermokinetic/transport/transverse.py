r"""Transverse spin accumulation (seed 002 Eq. 13–15), solved exactly.

Model
-----
The transverse spin accumulation Δμ⊥ [eV] (spin components perpendicular to the local
magnetization / quantization axis) obeys, in each layer (Eq. 13–15, block
:func:`~thermokinetic.transport.channels.transverse_block`),

.. math:: δJ_⊥ = -σ_⊥ ∂_xΔμ_⊥,\qquad ∂_xδJ_⊥ = -\dot ψ_⊥,\qquad \dot ψ_⊥ = L_⊥Δμ_⊥ ,

so Δμ⊥ decays over λ⊥ = sqrt(σ⊥/L⊥) (derived from the block).  With a relaxation time τ⊥ and
the density of states N_F [eV⁻¹ m⁻³], L⊥ = e N_F/(2τ⊥) (δn⊥ = N_F Δμ⊥/2, ψ̇⊥ = e δn⊥/τ⊥), so
λ⊥ = sqrt(2σ⊥τ⊥/(e N_F)) = sqrt(D⊥ τ⊥) with the Einstein relation σ⊥ = e² (N_F/2) D⊥.  In a
normal metal relaxation is isotropic and the defaults give λ⊥ = λ_sf
(:meth:`Layer.transverse_or_default`); in a ferromagnet λ⊥ is short (dephasing, ~1 nm).

Eq. 15 is block diagonal: the transverse channel is not driven by the charge current in the bulk of
a collinear stack.  It is driven here by a **transverse spin current injected at an interface**,
``δJ⊥(x_i⁺) − δJ⊥(x_i⁻) = I`` [A/m²] (e.g. the part of a polarized current transverse to a tilted
free layer; the full noncollinear problem is :mod:`thermokinetic.transport.noncollinear`).
Δμ⊥ and δJ⊥ are otherwise continuous at interfaces.

Outputs: Δμ⊥ [eV], δJ⊥ [A/m²], ψ̇⊥ [A/m³] on a grid; the spin absorbed by each layer
∫ψ̇⊥ dx [A/m²]; the transverse spin impedance R⊥ = Δμ⊥(x_i)/I [Ω m²], which equals the total
dissipation ∫ T dS⊥/dt dx (Eq. 14) divided by I².
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError, check_finite
from .channels import Segment, solve_piecewise, transverse_block
from .stack import Stack
from .two_channel import solve_two_channel

__all__ = ["TransverseResult", "solve_transverse", "transverse_length"]


def transverse_length(sigma_perp: float, tau_perp: float, dos: float) -> float:
    """λ⊥ [m] from σ⊥ [S/m], τ⊥ [s] and N_F [eV⁻¹ m⁻³], through the Eq. 15 block."""
    from .stack import TransverseParameters

    L = TransverseParameters.L_from_tau(tau_perp, dos)
    return float(transverse_block(sigma_perp, L).diffusion_lengths()[0])


class TransverseResult:
    """Result of :func:`solve_transverse`.

    Attributes
    ----------
    stack : Stack
    longitudinal : thermokinetic.transport.two_channel.TwoChannelResult or None
        The collinear two-channel solution of the same stack (None if the stack is noncollinear).
    solution : PiecewiseSolution
        The transverse channel.
    interface_index : int
        Interface where the spin current ``I`` [A/m²] is injected.
    """

    model = "transverse"

    def __init__(self, stack, longitudinal, solution, interface_index, I):
        self.stack = stack
        self.longitudinal = longitudinal
        self.solution = solution
        self.interface_index = interface_index
        self.I = I

    @property
    def lengths(self) -> dict:
        """λ⊥ per layer [m] (derived from the blocks)."""
        return {s.name: float(s.block.diffusion_lengths()[0]) for s in self.solution.segments}

    @property
    def dmu_perp_source(self) -> float:
        """Δμ⊥ at the injection interface [eV]."""
        x = self.solution.positions[self.interface_index]
        phi, _ = self.solution.segment_fields(self.interface_index, [x])
        return float(phi[0, 0])

    @property
    def R_perp(self) -> float:
        """Transverse spin impedance Δμ⊥(x_i)/I [Ω m²]."""
        return self.dmu_perp_source / self.I

    @property
    def R_ne(self) -> float:
        """Longitudinal non-equilibrium resistance [Ω m²] (the transverse channel carries no charge)."""
        return self.longitudinal.R_ne if self.longitudinal is not None else float("nan")

    def absorbed(self) -> dict:
        """Spin current absorbed in each layer, ∫ψ̇⊥ dx = δJ⊥(in) − δJ⊥(out) [A/m²]."""
        sol = self.solution
        out = {}
        for i, s in enumerate(sol.segments):
            a, b = sol.segment_range(i)
            ja = 0.0 if math.isinf(a) else float(sol.segment_currents(i, [a])[0, 0])
            jb = 0.0 if math.isinf(b) else float(sol.segment_currents(i, [b])[0, 0])
            out[s.name] = ja - jb
        return out

    def dissipation(self, lead_lengths: float = 60.0) -> float:
        """∫ T dS⊥/dt dx [W/m²] by Gauss–Legendre quadrature (Eq. 14)."""
        sol = self.solution
        xg, wg = np.polynomial.legendre.leggauss(40)
        total = 0.0
        for i in range(len(sol.segments)):
            a, b = sol.segment_range(i)
            lam = sol.decay_length(i)
            if math.isinf(a):
                a = b - lead_lengths * lam
            if math.isinf(b):
                b = a + lead_lengths * lam
            n = int(min(max(1, math.ceil((b - a) / lam)), 20000))
            e = np.linspace(a, b, n + 1)
            for lo, hi in zip(e[:-1], e[1:]):
                xs = 0.5 * (hi - lo) * xg + 0.5 * (hi + lo)
                total += 0.5 * (hi - lo) * float(wg @ sol.segment_dissipation(i, xs))
        return total

    def profile(self, points_per_layer: int = 201, lead_extent: float = 3.0) -> dict:
        """``x`` [m], ``layer``, ``dmu_perp`` [eV], ``dJ_perp`` [A/m²], ``psidot_perp`` [A/m³]."""
        sol = self.solution
        xs, lay, mu, cur, rate = [], [], [], [], []
        for i in range(len(sol.segments)):
            a, b = sol.segment_range(i)
            lam = sol.decay_length(i)
            if math.isinf(a):
                a = b - lead_extent * lam
            if math.isinf(b):
                b = a + lead_extent * lam
            x = np.linspace(a, b, points_per_layer)
            phi, _ = sol.segment_fields(i, x)
            xs.append(x)
            lay.append(np.full(len(x), i))
            mu.append(phi[:, 0])
            cur.append(sol.segment_currents(i, x)[:, 0])
            rate.append(sol.segment_rates(i, x)[:, 0])
        return {"x": np.concatenate(xs), "layer": np.concatenate(lay), "dmu_perp": np.concatenate(mu),
                "dJ_perp": np.concatenate(cur), "psidot_perp": np.concatenate(rate)}

    def summary(self) -> dict:
        d = {"model": self.model, "injected_dJ_perp": self.I,
             "injection_interface": self.solution.segments[self.interface_index].name + "|"
             + self.solution.segments[self.interface_index + 1].name,
             "dmu_perp_source": self.dmu_perp_source, "R_perp": self.R_perp,
             "lambda_perp": self.lengths, "absorbed": self.absorbed()}
        if self.longitudinal is not None:
            lg = self.longitudinal.summary()
            d.update({"J": lg["J"], "R_total": lg["R_total"], "R_eq": lg["R_eq"], "R_ne": lg["R_ne"],
                      "interfaces": lg["interfaces"]})
        return d


def solve_transverse(stack: Stack, interface, dJ_perp: float, *, longitudinal: bool = True
                     ) -> TransverseResult:
    """Solve the transverse channel with a spin current injected at an interface.

    Parameters
    ----------
    stack : Stack
        Every F layer needs :class:`TransverseParameters`; N layers default to isotropic relaxation.
        The leads need L⊥ > 0.
    interface : int or str
        Interface index, or the name of the layer on its left.
    dJ_perp : float
        Injected transverse spin current I [A/m²].
    longitudinal : bool
        Also solve the collinear two-channel problem of the stack (for R_ne and Δμ).
    """
    names = [ly.name for ly in stack.layers]
    if isinstance(interface, str):
        if interface not in names[:-1]:
            raise ParameterError("interface", interface, f"one of {names[:-1]}")
        idx = names.index(interface)
    else:
        idx = int(interface)
        if not 0 <= idx < len(names) - 1:
            raise ParameterError("interface", interface, f"an index in [0, {len(names) - 2}]")
    I = check_finite("dJ_perp", dJ_perp)
    if I == 0:
        raise ParameterError("dJ_perp", I, "!= 0 (nothing drives the transverse accumulation)")
    segs = []
    for ly in stack.layers:
        tp = ly.transverse_or_default()
        segs.append(Segment(ly.name, ly.thickness, transverse_block(tp.sigma_perp, tp.L_perp, ly.name),
                            ("perp",), ("psidot_perp",)))
    sol = solve_piecewise(segs, None, J=0.0, injections=[(idx, "perp", I)])
    lg = solve_two_channel(stack) if longitudinal else None
    return TransverseResult(stack, lg, sol, idx, I)
