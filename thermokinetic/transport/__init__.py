"""1D spin-accumulation solvers of F/N multilayers (seed 002 §3–5; DESIGN §1, §3).

Units (SI): lengths m, conductivities S/m, relaxation coefficients S/m³, interface resistances
Ω m², current densities A/m² (J > 0: electrons flow towards +x), electrochemical potentials eV.

* :mod:`.stack` — layers, interfaces, leads, current; TOML case files (:func:`load_case`).
* :mod:`.channels` — electric Onsager blocks (Eq. 9/10, 15, 17), derived diffusion lengths, and the
  exact piecewise-exponential solver.
* :mod:`.two_channel` — collinear two-channel model (Eq. 7–12), R_ne, CPP-GMR.
* :mod:`.transverse` — transverse accumulation (Eq. 13–15).
* :mod:`.four_channel` — s↑, s↓, d↓ model (Eq. 16–18).
* :mod:`.bvp` — independent multipoint-BVP path (also graded profiles).
* :mod:`.noncollinear` — diffusive noncollinear valves (seed 004): vector accumulation, torques.
* :mod:`.junction` — magnetization currents at a noncollinear junction (seed 003).
* :mod:`.ballistic` — ballistic spin filter: plane-wave spin currents and the torque from t↑, t↓,
  r↑, r↓ (seed 000; :class:`thermokinetic.coupling.BallisticCoupler` uses it).
* :mod:`.nonlocal_valve` — nonlocal (lateral) spin valves: exact 1D network with contacts, the
  notes' and Takahashi–Maekawa closed forms, the λ_sf/P extraction from ΔR_nl(L) (seed 000).
* :mod:`.amr` — anisotropic magnetoresistance ρ(θ_J) = ρ_⊥ + (ρ_∥ − ρ_⊥) cos²θ_J, and the CPP
  resistance of a stack with the AMR of its F layers and its GMR (seed 000).
"""
from .bvp import BvpSegment, solve_channels_bvp, solve_stack_bvp
from .channels import (
    ChannelBlock,
    electric_block,
    sd_block,
    solve_piecewise,
    transverse_block,
    two_channel_block,
)
from .four_channel import coupled_lengths, eq18_lengths, solve_four_channel
from .stack import MODELS, Case, Interface, Layer, Stack, load_case
from .transverse import solve_transverse, transverse_length
from .two_channel import cpp_gmr, ne_resistance_from_eq12, solve_two_channel, with_alignment

__all__ = [
    "Layer", "Interface", "Stack", "Case", "MODELS", "load_case",
    "ChannelBlock", "two_channel_block", "transverse_block", "electric_block", "sd_block",
    "solve_piecewise",
    "solve_two_channel", "cpp_gmr", "with_alignment", "ne_resistance_from_eq12",
    "solve_transverse", "transverse_length",
    "solve_four_channel", "coupled_lengths", "eq18_lengths",
    "BvpSegment", "solve_channels_bvp", "solve_stack_bvp",
    "solve",
]

from .junction import (  # noqa: E402  (seed 003)
    InterfaceRotation,
    ParallelCircuitCurrents,
    TunnelCurrents,
    interface_rotation,
    parallel_circuit_currents,
    rotated_channel_currents,
    rotation_weights,
    split_deposit,
    torque_per_area,
    tunnel_currents,
)
from .noncollinear import (  # noqa: E402  (seed 004)
    free_layer_torque,
    solve as solve_noncollinear_layers,
    solve_stack as solve_noncollinear,
    spin_valve,
    spin_valve_mu,
    valve_layers,
)
from .noncollinear import Layer as NoncollinearLayer  # noqa: E402
from .nonlocal_valve import (  # noqa: E402  (seed 000)
    Channel,
    Contact,
    FElectrode,
    fit_nonlocal,
    solve_nonlocal,
    takahashi_maekawa_delta_R,
    tunnel_limit_delta_R,
)

__all__ += [
    "rotation_weights", "TunnelCurrents", "tunnel_currents", "ParallelCircuitCurrents",
    "parallel_circuit_currents", "rotated_channel_currents", "split_deposit", "InterfaceRotation",
    "interface_rotation", "torque_per_area",
    "solve_noncollinear", "solve_noncollinear_layers", "spin_valve", "spin_valve_mu", "valve_layers",
    "free_layer_torque", "NoncollinearLayer",
    "Channel", "Contact", "FElectrode", "solve_nonlocal", "fit_nonlocal", "takahashi_maekawa_delta_R",
    "tunnel_limit_delta_R",
]

from .amr import (  # noqa: E402  (seed 000)
    CPP_CURRENT,
    AmrStackResistance,
    amr_cos2,
    amr_ratio,
    amr_resistivity,
    amr_resistivity_angle,
    amr_stack_resistance,
    with_amr,
)

__all__ += ["CPP_CURRENT", "amr_cos2", "amr_resistivity", "amr_resistivity_angle", "amr_ratio", "with_amr",
            "AmrStackResistance", "amr_stack_resistance"]


def solve(case_or_stack, model: str | None = None):
    """Solve a :class:`Case` (or a :class:`Stack` with ``model``) with the chosen model.

    ``model``: ``"two-channel"``, ``"four-channel"``, ``"transverse"`` (needs a Case with a
    ``transverse_source``) or ``"noncollinear"`` (``thermokinetic.transport.noncollinear.solve_stack``,
    imported lazily).  Returns the model's result object (``.R_ne``, ``.profile()``, ``.summary()``).
    """
    from ..errors import ParameterError, check_choice

    if isinstance(case_or_stack, Case):
        stack, m, src = case_or_stack.stack, model or case_or_stack.model, case_or_stack.transverse_source
    else:
        stack, m, src = case_or_stack, model or "two-channel", None
    m = check_choice("model", m, list(MODELS))
    if m == "two-channel":
        return solve_two_channel(stack)
    if m == "four-channel":
        return solve_four_channel(stack)
    if m == "transverse":
        if src is None:
            raise ParameterError("transverse_source", None, "a table {interface, dJ_perp} (case file)")
        return solve_transverse(stack, src["interface"], src["dJ_perp"])
    return solve_noncollinear(stack)
