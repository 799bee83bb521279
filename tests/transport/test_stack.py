"""Stack model and case files: validation, derived quantities, round trips."""
import math
from pathlib import Path

import numpy as np
import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.transport import Interface, Layer, Stack, load_case
from thermokinetic.transport.stack import case_from_dict

ROOT = Path(__file__).resolve().parents[2]


def _f(**kw):
    d = dict(sigma=2e7, beta=0.5, lsf=20e-9, direction=[0, 0, 1])
    d.update(kw)
    return Layer.create("Co", "F", 5e-9, **d)


def test_conductivity_forms_agree():
    a = Layer.create("a", "F", 1e-9, sigma_up=1.5e7, sigma_dn=0.5e7, lsf=1e-8, direction=[0, 0, 1])
    b = Layer.create("b", "F", 1e-9, sigma=2e7, beta=0.5, lsf=1e-8, direction=[0, 0, 1])
    c = Layer.create("c", "F", 1e-9, sigma0=1e7, beta=0.5, lsf=1e-8, direction=[0, 0, 1])
    # β = (σ↑−σ↓)/(σ↑+σ↓) = 0.5 and σ0 = (σ↑+σ↓)/2 for all three forms (exact arithmetic up to rounding)
    for ly in (a, b, c):
        assert ly.beta == pytest.approx(0.5, rel=1e-14)
        assert ly.sigma0 == pytest.approx(1e7, rel=1e-14)
        assert ly.sigma_up == pytest.approx(1.5e7, rel=1e-14)


def test_lsf_and_L_round_trip():
    ly = _f(lsf=17e-9)
    # L is derived from the block and lsf re-derived from L: round trip to rounding
    assert ly.lsf == pytest.approx(17e-9, rel=1e-12)
    # and it is Eq. 11: λ⁻² = 2L/(σ0(1−β²)) (μ in eV, so e drops out)
    assert 1 / ly.lsf**2 == pytest.approx(2 * ly.L / (ly.sigma0 * (1 - ly.beta**2)), rel=1e-12)
    ly2 = Layer.create("x", "F", 5e-9, sigma=2e7, beta=0.5, L=ly.L, direction=[0, 0, 1])
    assert ly2.lsf == pytest.approx(17e-9, rel=1e-12)
    inf = Layer.create("n", "N", 5e-9, sigma=1e8, lsf=math.inf)
    assert inf.L == 0.0 and math.isinf(inf.lsf)


@pytest.mark.parametrize("kw, needle", [
    (dict(thickness=-1e-9), "thickness"),
    (dict(sigma=-1.0), "sigma"),
    (dict(beta=1.0), "beta"),
    (dict(beta=-1.2), "beta"),
    (dict(lsf=-2e-9), "lsf"),
    (dict(direction=None), "direction"),
    (dict(direction=[0, 0, 0]), "direction"),
])
def test_bad_layer_input_names_layer_and_parameter(kw, needle):
    d = dict(sigma=2e7, beta=0.5, lsf=20e-9, direction=[0, 0, 1])
    t = kw.pop("thickness", 5e-9)
    d.update(kw)
    with pytest.raises(ParameterError) as ei:
        Layer.create("Co_free", "F", t, **d)
    msg = str(ei.value)
    assert "Co_free" in msg and needle in msg


def test_other_bad_inputs():
    with pytest.raises(ParameterError, match="direction"):
        Layer.create("Cu", "N", 5e-9, sigma=1e8, lsf=1e-7, direction=[0, 0, 1])
    with pytest.raises(ParameterError, match="kind"):
        Layer.create("Cu", "X", 5e-9, sigma=1e8, lsf=1e-7)
    with pytest.raises(ParameterError, match="lsf/L"):
        Layer.create("Cu", "N", 5e-9, sigma=1e8, lsf=1e-7, L=1.0)
    with pytest.raises(ParameterError, match="sd"):
        Layer.create("Cu", "N", 5e-9, sigma=1e8, lsf=1e-7, sd={"sigma_d": 1e6, "L_sd": 1.0})
    with pytest.raises(ParameterError, match="gamma"):
        Interface.create(r_b=1e-15, gamma=1.0)
    lead = Layer.create("L", "N", math.inf, sigma=1e8, lsf=1e-7)
    with pytest.raises(ParameterError, match="inf"):
        Stack((lead, _f(), Layer.create("R", "N", 3e-9, sigma=1e8, lsf=1e-7)))
    with pytest.raises(ParameterError, match="unique"):
        Stack((lead, lead))


def test_collinear_signs_and_noncollinear_rejection():
    lead = Layer.create("L", "N", math.inf, sigma=1e8, lsf=1e-7)
    lead2 = Layer.create("R", "N", math.inf, sigma=1e8, lsf=1e-7)
    f1 = _f()
    f2 = Layer.create("F2", "F", 3e-9, sigma=2e7, beta=0.5, lsf=2e-8, direction=[0, 0, -2])
    st = Stack((lead, f1, Layer.create("S", "N", 3e-9, sigma=1e8, lsf=1e-7), f2, lead2))
    axis, signs = st.collinear_signs()
    assert np.allclose(axis, [0, 0, 1]) and signs == [0, 1, 0, -1, 0]
    np.testing.assert_allclose(st.positions, [0, 5e-9, 8e-9, 11e-9], rtol=1e-15)
    tilted = st.with_layer("F2", f2.with_direction([1, 0, 1]))
    with pytest.raises(ParameterError, match="noncollinear"):
        tilted.collinear_signs()


def _case_dict():
    return {
        "model": "two-channel", "current_density": 1e10,
        "layer": [
            {"name": "L", "kind": "N", "thickness": math.inf, "sigma": 1e8, "lsf": 1e-7},
            {"name": "F", "kind": "F", "thickness": 5e-9, "sigma": 2e7, "beta": 0.4, "lsf": 2e-8,
             "direction": [0, 0, 1]},
            {"name": "R", "kind": "N", "thickness": math.inf, "sigma": 1e8, "lsf": 1e-7},
        ],
    }


def test_case_dict_errors():
    d = _case_dict()
    d["layer"][1]["colour"] = "red"
    with pytest.raises(ParameterError, match="layer 'F': key 'colour'"):
        case_from_dict(d)
    d = _case_dict()
    d["model"] = "three-channel"
    with pytest.raises(ParameterError, match="model"):
        case_from_dict(d)
    d = _case_dict()
    d["bogus"] = 1
    with pytest.raises(ParameterError, match="bogus"):
        case_from_dict(d)
    d = _case_dict()
    d["interface"] = [{"after": "nowhere", "r_b": 1e-15}]
    with pytest.raises(ParameterError, match="interface.after"):
        case_from_dict(d)
    d = _case_dict()
    d["model"] = "transverse"
    with pytest.raises(ParameterError, match="transverse_source"):
        case_from_dict(d)


@pytest.mark.parametrize("path", sorted((ROOT / "cases").glob("stack_*.toml")), ids=lambda p: p.name)
def test_example_cases_load(path):
    case = load_case(path)
    assert case.stack.layers[0].is_lead and case.stack.layers[-1].is_lead
    assert case.model in ("two-channel", "four-channel", "transverse", "noncollinear")
