"""The spin-pumping figure (seed 002 §6, reciprocal of spin transfer) and its key numbers."""
import math

import pytest

from thermokinetic.figures.seed002_pumping import cocu_valve, pumping
from thermokinetic.transport.noncollinear import free_layer_torque, layers_from_stack
from thermokinetic.units import E_CHARGE, HBAR


def test_pumping_figure(tmp_path):
    res = pumping(tmp_path)
    assert res["files"][0].exists()
    assert res["linear_in_f"] < 1e-18  # V ∝ f exactly
    # the maximum lies on the antiparallel side (the valve's torque peaks towards θ = π): measured 138°
    assert 120 < res["theta_max_deg"] < 150
    # V(90°, 10 GHz) = (ħ/2e) ω τ̂_z with τ̂ the torque per unit current (independent solve)
    u = [1.0, 0.0, 0.0]
    tau = free_layer_torque(layers_from_stack(cocu_valve()), 3, u, j0=1.0).torque
    assert res["V_90deg_10GHz"] == pytest.approx(HBAR / (2 * E_CHARGE) * 2 * math.pi * 1e10 * tau[2], rel=1e-10)
