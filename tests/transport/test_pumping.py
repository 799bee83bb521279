"""Spin pumping, the Onsager reciprocal of spin transfer, in the noncollinear network.

Truth: reciprocity of the linear network, checked from two independent solves (drive the current and
measure the transverse spin current the free layer absorbs; pin the spin-battery accumulation of a
moving free layer at zero current and measure the voltage), and the limits where the DC voltage vanishes.

Run: .venv/bin/pytest tests/transport/test_pumping.py -q
"""
import math

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.figures.seed002_pumping import cocu_valve, precession_voltage
from thermokinetic.transport.noncollinear import (
    Layer,
    free_layer_torque,
    layers_from_stack,
    pumped,
    spin_pumping_voltage,
)
from thermokinetic.units import E_CHARGE, HBAR

RNG = np.random.default_rng(7)


def _random_stack(rng):
    """N / F / N / F(free) / N with random conductances, lengths and polarizations; F1 tilted."""
    m1 = rng.normal(size=3)
    return [Layer("N", G=rng.uniform(0.3, 3), l=rng.uniform(1, 20), d=rng.uniform(0.5, 5), name="N0"),
            Layer("F", G=rng.uniform(0.3, 3), l=rng.uniform(0.5, 5), d=rng.uniform(0.5, 5), p=rng.uniform(-0.9, 0.9),
                  m=m1, name="F1"),
            Layer("N", G=rng.uniform(0.3, 3), l=rng.uniform(1, 20), d=rng.uniform(0.2, 3), name="N1"),
            Layer("F", G=rng.uniform(0.3, 3), l=rng.uniform(0.5, 5), d=rng.uniform(0.5, 5), p=rng.uniform(-0.9, 0.9),
                  m=(0, 0, 1), name="F2"),
            Layer("N", G=rng.uniform(0.3, 3), l=rng.uniform(1, 20), name="N2")]


@pytest.mark.parametrize("seed", range(5))
def test_pumped_voltage_is_the_reciprocal_of_the_torque(seed):
    rng = np.random.default_rng(seed)
    layers = _random_stack(rng)
    u = rng.normal(size=(100, 3))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    mu_p = rng.normal(size=(100, 3))
    V = pumped(layers, 3, u, mu_p)["voltage"]  # solve 1: pinned accumulation, no current
    tau = free_layer_torque(layers, 3, u, j0=1.0).torque  # solve 2: current, absorbed spin current
    ref = 0.5 * np.sum(tau * mu_p, axis=1)
    assert np.max(np.abs(V - ref)) < 1e-10 * np.max(np.abs(ref))  # measured ~1e-15 relative
    # only the transverse part of the pinned accumulation matters
    V2 = pumped(layers, 3, u, mu_p + 3.0 * u)["voltage"]
    assert np.allclose(V2, V, rtol=0, atol=1e-13 * np.max(np.abs(V)))


def test_no_analyzer_no_dc_voltage():
    """A single ferromagnet converts only μ·m, which the transverse pumped accumulation lacks."""
    layers = [Layer("N", G=1.0, l=5.0, name="L"), Layer("F", G=1.0, l=2.0, d=3.0, p=0.5, m=(0, 0, 1), name="F"),
              Layer("N", G=1.0, l=5.0, name="R")]
    u = RNG.normal(size=(20, 3))
    V = pumped(layers, 1, u, RNG.normal(size=(20, 3)))["voltage"]
    assert np.max(np.abs(V)) < 1e-15


def test_precessing_co_free_layer_in_the_cocu_valve():
    st = cocu_valve()
    theta = np.radians([0.0, 30.0, 90.0, 138.0, 180.0])
    V10 = precession_voltage(theta, 10e9)
    # linear in the frequency, zero on the axis (no motion of u × u̇ along the analyzer)
    assert np.allclose(precession_voltage(theta, 20e9), 2 * V10, rtol=1e-13, atol=0)
    assert abs(V10[0]) < 1e-20 and abs(V10[-1]) < 1e-12 * np.max(np.abs(V10))
    # (ħ/2e) ω τ̂·ẑ from the torque per unit current of the same stack (the SI energy balance)
    u = np.stack([np.sin(theta), 0 * theta, np.cos(theta)], axis=-1)
    tau = free_layer_torque(layers_from_stack(st), 3, u, j0=1.0).torque
    ref = HBAR / (2 * E_CHARGE) * 2 * math.pi * 10e9 * tau[:, 2]
    assert np.allclose(V10, ref, rtol=1e-10, atol=1e-12 * np.max(np.abs(ref)))
    # magnitude: 2.1 μV at 90° and 10 GHz (ħω/e = 41 μV times the valve's conversion)
    assert V10[2] == pytest.approx(2.1186e-6, rel=1e-3)


def test_pumping_refusals_name_the_parameter():
    layers = _random_stack(np.random.default_rng(0))
    with pytest.raises(ParameterError, match="free"):
        pumped(layers, 2, [0, 0, 1], [1, 0, 0])
    with pytest.raises(ParameterError, match="mu_pump"):
        pumped(layers, 3, [0, 0, 1], [np.nan, 0, 0])
    fin = list(layers)
    fin[3] = Layer("F", G=1.0, l=1.0, d=1.0, p=0.3, m=(0, 0, 1), name="F2", l_perp=0.5)
    with pytest.raises(ParameterError, match="F2.l_perp"):
        pumped(fin, 3, [0, 0, 1], [1, 0, 0])
    with pytest.raises(ParameterError, match="free"):
        spin_pumping_voltage(cocu_valve(), "Cu_spacer", [0, 0, 1], [1, 0, 0])
