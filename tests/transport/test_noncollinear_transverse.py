"""One transverse model in the noncollinear solver: instant absorption (seed 004) and a finite transverse length.

Truths: the instant-absorption solver of seed 004 (the limit l_perp → 0 at fixed transverse diffusion
constant, reached at first order), P1 finite elements on the dissipation functional (an independent
discretization, O(h²)), quadrature of the transverse relaxation inside the layer (the torque), and the
identity δP = j0² δr.

Run: .venv/bin/pytest tests/transport/test_noncollinear_transverse.py -q
"""
import math

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.transport.noncollinear import Layer, free_layer_torque, solve, solve_fem

THETA = math.radians(60)


def _stack(l_perp=None, G_perp=None):
    kw = {} if l_perp is None else {"l_perp": l_perp, "G_perp": G_perp}
    return [Layer("F", G=1.0, l=2.0, p=0.5, m=(0, 0, 1), name="F1"),
            Layer("N", G=0.8, l=10.0, d=1.0, name="N"),
            Layer("F", G=1.2, l=1.5, d=3.0, p=0.4, m=(math.sin(THETA), 0, math.cos(THETA)), name="F2", **kw),
            Layer("N", G=0.8, l=10.0, d=2.0, name="N2")]


def test_instant_absorption_is_the_limit_of_a_vanishing_transverse_length():
    ref = solve(_stack())
    t_ref = ref.torques["F2"]
    errs = []
    for lp in (0.1, 0.01, 0.001):
        s = solve(_stack(lp))
        errs.append(np.linalg.norm(s.torques["F2"] - t_ref) / np.linalg.norm(t_ref))
        assert abs(s.delta_r - ref.delta_r) < 10 * lp * abs(ref.delta_r)
    # first order in l_perp: G⊥ = G l/l⊥ pins μ⊥ = O(l⊥) at the interface (measured 7.5e-2, 8.3e-3, 8.5e-4)
    assert [math.log10(errs[k] / errs[k + 1]) for k in range(2)] == pytest.approx([1.0, 1.0], abs=0.06)
    assert errs[-1] < 1e-3
    # a finite transverse length transmits part of the transverse spin current: less torque than seed 004
    assert np.linalg.norm(solve(_stack(1.0)).torques["F2"]) < 0.6 * np.linalg.norm(t_ref)  # measured 0.51


@pytest.mark.parametrize("l_perp, G_perp", [(0.3, None), (1.0, 0.4), (4.0, 2.0)])
def test_finite_transverse_length_against_finite_elements(l_perp, G_perp):
    s = solve(_stack(l_perp, G_perp))
    errs = []
    for n in (20, 40):
        f = solve_fem(_stack(l_perp, G_perp), n_per_length=n)
        errs.append(np.max(np.abs(s.mu - f["mu"])) / np.max(np.abs(s.mu)))
        dr = abs(f["delta_r"] - s.delta_r) / abs(s.delta_r)
    # P1 elements, O(h²): measured μ 1.3e-5 to 2.4e-5 and δr 7e-6 to 1.5e-5 at 40 elements per length
    assert errs[1] < 4e-5 and dr < 3e-5
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.1)  # measured 3.71 to 3.89


def test_torque_is_the_transverse_relaxation_inside_the_layer_and_the_dissipation_identity():
    lp, G = 0.3, 1.2
    s = solve(_stack(lp))
    lay = s.layers[2]
    assert lay.G_perp == pytest.approx(G * 1.5 / lp)  # default: the longitudinal diffusion constant
    xL, xR = s.layer_bounds()[2]
    x = np.linspace(xL, xR, 40001)
    mu, _ = s.layer_profile(2, x)
    m = np.asarray(lay.m)
    mu_t = mu - (mu @ m)[:, None] * m
    absorbed = lay.G_perp / lay.l_perp * np.trapezoid(mu_t, x, axis=0)  # d js⊥/dx = −(G⊥/l⊥) μ⊥
    assert np.allclose(s.torques["F2"], absorbed, rtol=0, atol=1e-7 * np.linalg.norm(absorbed))
    assert abs(s.torques["F2"] @ m) < 1e-14
    # js is continuous at the interfaces of a finite-transverse layer (nothing absorbed there)
    assert np.max(np.abs(s.jumps[1:])) < 1e-14
    assert s.dissipation == pytest.approx(s.delta_r * s.j0**2, rel=1e-12)
    # the batched torque table sees the same bulk absorption
    tab = free_layer_torque(_stack(lp), 2, np.array(m))
    assert np.allclose(tab.torque, s.torques["F2"], rtol=1e-12, atol=1e-15)


def test_transverse_parameters_are_validated_by_name():
    with pytest.raises(ParameterError, match="F2.l_perp"):
        _stack(-1.0)
    with pytest.raises(ParameterError, match="N.l_perp"):
        Layer("N", G=1.0, l=1.0, d=1.0, name="N", l_perp=0.5)
    with pytest.raises(ParameterError, match="F.G_perp"):
        Layer("F", G=1.0, l=1.0, p=0.3, m=(0, 0, 1), name="F", G_perp=2.0)
