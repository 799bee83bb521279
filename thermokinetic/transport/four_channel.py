r"""Four-channel s–d model (seed 002 Eq. 16–18), solved exactly.

Channels
--------
In a ferromagnet with s–d parameters (:class:`~thermokinetic.transport.stack.SdParameters`) the
conducting populations are s↑, s↓ and the minority d band d↓ (d↑ is full, J_d↑ = 0); in N layers
(and in F layers without s–d parameters) only s↑, s↓.  Eq. 16–17 (block
:func:`~thermokinetic.transport.channels.sd_block`):

.. math:: J_c = -σ_c ∂_xμ_c,\quad ∂_xJ_{s↑} = -\dot ψ_s,\quad ∂_xJ_{s↓} = \dot ψ_s - \dot ψ_{sd},
          \quad ∂_xJ_{d↓} = \dot ψ_{sd},\quad \dot ψ_s = L_s(μ_{s↑}-μ_{s↓}),\quad
          \dot ψ_{sd} = L_{sd}(μ_{s↓}-μ_{d↓}).

With Δ_s = μ_s↑ − μ_s↓ and Δ_d = μ_s↓ − μ_d↓ these give the coupled equations (the corrected
Eq. 18; the seed's second line has both signs flipped, which would make the modes grow)

.. math:: Δ_d'' = Δ_d/l_{sd}^2 - Δ_s/λ_s^2,\qquad Δ_s'' = -Δ_d/λ_{sd}^2 + Δ_s/l_{sf}^2,

.. math:: l_{sd}^{-2} = L_{sd}(1/σ_{s↓}+1/σ_{d↓}),\ λ_s^{-2} = L_s/σ_{s↓},\
          λ_{sd}^{-2} = L_{sd}/σ_{s↓},\ l_{sf}^{-2} = L_s(1/σ_{s↑}+1/σ_{s↓}).

The two coupled diffusion lengths are the inverse square roots of the eigenvalues of that matrix;
the solver derives them from the Onsager block (:meth:`ChannelBlock.diffusion_lengths`) and
:func:`eq18_lengths` returns the four Eq. 18 lengths for comparison.  L_s is the layer's ``L``.

Interface condition for the d↓ channel (documented choice)
----------------------------------------------------------
N metals have no d states at the Fermi level, so **J_d↓ = 0 on the F side of every F/N
interface**: d electrons must turn into s↓ electrons (through ψ̇_sd) before the current can leave
the ferromagnet.  The s channels obey the two-channel conditions (continuity of J_s, jumps −r_s J_s
across interface resistances).  Between two F layers with s–d parameters and the same d spin
(parallel), d↓ is continuous like an s channel; between antiparallel ones the d channels have
opposite spins and each carries no current through the interface.  With this condition the limit
L_sd → 0 decouples d↓ completely (it carries no current anywhere) and the model reduces exactly to
the two-channel model with σ↑ = σ_s↑, σ↓ = σ_s↓ (measured in the tests); the opposite limit
L_sd → ∞ gives the two-channel model with σ↓ = σ_s↓ + σ_d↓ up to a boundary layer of width l_sd.

Units: σ in S/m, L in S/m³, lengths in m, μ in eV, currents in A/m².  R_eq uses the total
conductivity σ_s↑ + σ_s↓ + σ_d↓ (all channels at a common potential).
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError
from .channels import Segment, sd_block, solve_piecewise, two_channel_block
from .stack import Layer, Stack
from .two_channel import ChannelResult, _interface_r

__all__ = ["FourChannelResult", "solve_four_channel", "four_channel_segments", "eq18_lengths",
           "coupled_lengths", "LABELS"]

LABELS = ["s_up", "s_dn", "d_up", "d_dn"]


def eq18_lengths(layer: Layer) -> dict:
    """The four lengths of the corrected Eq. 18 [m] and the matrix M with (Δ_d, Δ_s)'' = M (Δ_d, Δ_s)."""
    if layer.sd is None:
        raise ParameterError(f"layer '{layer.name}': sd", None, "s-d parameters (sigma_d, L_sd)")
    ssu, ssd, sdd = layer.sigma_up, layer.sigma_dn, layer.sd.sigma_d
    Ls, Lsd = layer.L, layer.sd.L_sd
    inv = {
        "l_sd": Lsd * (1 / ssd + 1 / sdd),
        "lambda_s": Ls / ssd,
        "lambda_sd": Lsd / ssd,
        "l_sf": Ls * (1 / ssu + 1 / ssd),
    }
    M = np.array([[inv["l_sd"], -inv["lambda_s"]], [-inv["lambda_sd"], inv["l_sf"]]])
    out = {k: (1 / math.sqrt(v) if v > 0 else math.inf) for k, v in inv.items()}
    out["matrix"] = M
    return out


def coupled_lengths(layer: Layer) -> np.ndarray:
    """The two coupled diffusion lengths of an s–d ferromagnet [m], from the Eq. 17 block."""
    if layer.sd is None:
        raise ParameterError(f"layer '{layer.name}': sd", None, "s-d parameters (sigma_d, L_sd)")
    return sd_block(layer.sigma_up, layer.sigma_dn, layer.sd.sigma_d, layer.L, layer.sd.L_sd,
                    name=layer.name).diffusion_lengths()


def four_channel_segments(stack: Stack):
    """Segments (Eq. 17 blocks in F with s–d, Eq. 9 blocks elsewhere) and interface resistances."""
    _, signs = stack.collinear_signs()
    segs = []
    for ly, s in zip(stack.layers, signs):
        if ly.kind == "F" and ly.sd is not None:
            if ly.sd.L_sd == 0:
                raise ParameterError(f"layer '{ly.name}': sd.L_sd", 0.0,
                                     "> 0 in the four-channel model (at L_sd = 0 the d channel is "
                                     "disconnected: use the two-channel model, its exact limit)")
            blk = sd_block(ly.sigma_up, ly.sigma_dn, ly.sd.sigma_d, ly.L, ly.sd.L_sd, name=ly.name)
            if s > 0:
                segs.append(Segment(ly.name, ly.thickness, blk, ("s_up", "s_dn", "d_dn"),
                                    ("psidot_s", "psidot_sd")))
            else:  # majority is the global down spin; the d channel is d↑ globally
                segs.append(Segment(ly.name, ly.thickness, blk, ("s_dn", "s_up", "d_up"),
                                    ("psidot_s_rev", "psidot_sd")))
        else:
            su, sdn = (ly.sigma_up, ly.sigma_dn) if (ly.kind == "N" or s > 0) else (ly.sigma_dn, ly.sigma_up)
            blk = two_channel_block(su, sdn, ly.L, name=ly.name)
            segs.append(Segment(ly.name, ly.thickness, blk, ("s_up", "s_dn"), ("psidot_s",)))
    rs = [_interface_r(stack, i, signs, labels=("s_up", "s_dn")) for i in range(len(stack.interfaces))]
    return segs, rs


class FourChannelResult(ChannelResult):
    """Result of :func:`solve_four_channel`."""

    model = "four-channel"

    def profile(self, points_per_layer: int = 201, lead_extent: float = 3.0) -> dict:
        """Profiles on a grid.

        Returns
        -------
        dict of ndarray
            ``x`` [m], ``layer``; ``mu_s_up``, ``mu_s_dn``, ``mu_d`` [eV] (``mu_d``: the minority d
            channel, NaN where there is none, i.e. outside F layers with s–d parameters);
            ``mu0`` = (μ_s↑+μ_s↓)/2, ``dmu`` = μ_s↑ − μ_s↓, ``dmu_sd`` = μ_s,min − μ_d [eV];
            ``J_s_up``, ``J_s_dn``, ``J_d``, ``dJ`` = J_s↑ − J_s↓ [A/m²]; ``psidot_s`` (s↑ → s↓,
            global frame), ``psidot_sd`` (s_min → d) [A/m³]; ``dissipation`` [W/m³].
        """
        x, seg, mu, J, rates = self._channel_arrays(points_per_layer, lead_extent, LABELS)
        diss = np.concatenate([self.solution.segment_dissipation(i, xx)
                               for i, xx in self.grid(points_per_layer, lead_extent)])
        mu_d = np.where(np.isnan(mu[:, 3]), mu[:, 2], mu[:, 3])
        mu_min = np.where(np.isnan(mu[:, 3]), mu[:, 0], mu[:, 1])  # s minority where d exists
        psi_s = rates.get("psidot_s", np.zeros_like(x)) - rates.get("psidot_s_rev", np.zeros_like(x))
        return {
            "x": x, "layer": seg, "mu_s_up": mu[:, 0], "mu_s_dn": mu[:, 1], "mu_d": mu_d,
            "mu0": 0.5 * (mu[:, 0] + mu[:, 1]), "dmu": mu[:, 0] - mu[:, 1], "dmu_sd": mu_min - mu_d,
            "J_s_up": J[:, 0], "J_s_dn": J[:, 1], "J_d": J[:, 2] + J[:, 3], "dJ": J[:, 0] - J[:, 1],
            "psidot_s": psi_s, "psidot_sd": rates.get("psidot_sd", np.zeros_like(x)),
            "dissipation": diss,
        }

    def interface_accumulation(self) -> list:
        """Δμ_s = μ_s↑ − μ_s↓ [eV] on both sides of every interface, and Δμ_sd on F sides."""
        sol = self.solution
        out = []
        for i, x in enumerate(sol.positions):
            rec = {"interface": f"{self.stack.layers[i].name}|{self.stack.layers[i + 1].name}",
                   "x": float(x)}
            for side, j in (("left", i), ("right", i + 1)):
                phi, _ = sol.segment_fields(j, [x])
                labs = sol.segments[j].labels
                up, dn = phi[0, labs.index("s_up")], phi[0, labs.index("s_dn")]
                rec[f"dmu_{side}"] = float(up - dn)
                if len(labs) == 3:
                    rec[f"dmu_sd_{side}"] = float(phi[0, 1] - phi[0, 2])
            out.append(rec)
        return out

    def summary(self) -> dict:
        lengths = {}
        for ly in self.stack.layers:
            lengths[ly.name] = (coupled_lengths(ly).tolist() if (ly.kind == "F" and ly.sd is not None)
                                else [ly.lsf])
        return {"model": self.model, "J": self.stack.current_density, "R_total": self.R_total,
                "R_eq": self.R_eq, "R_ne": self.R_ne, "diffusion_lengths": lengths,
                "interfaces": self.interface_accumulation()}


def solve_four_channel(stack: Stack) -> FourChannelResult:
    """Solve the four-channel s–d model exactly (collinear stack; s–d where F layers define ``sd``).

    Raises
    ------
    ParameterError
        If a lead with s–d parameters has L_sd = 0 (its d channel would never relax).
    """
    segs, rs = four_channel_segments(stack)
    return FourChannelResult(stack, solve_piecewise(segs, rs, J=stack.current_density))
