import math

import numpy as np
import pytest

from thermokinetic.errors import ParameterError, check_positive, check_range, check_unit_vector
from thermokinetic.units import KB, GAMMA_E, reduced_from_si, tau_N


def test_parameter_error_names_parameter_and_range():
    with pytest.raises(ParameterError, match=r"alpha=-0.1 is invalid: must be > 0"):
        check_positive("alpha", -0.1)
    with pytest.raises(ParameterError, match="finite"):
        check_positive("T", float("nan"))
    with pytest.raises(ParameterError, match=r"in \(-1, 1\)"):
        check_range("beta", 1.0, -1, 1, lo_open=True, hi_open=True)
    with pytest.raises(ParameterError, match="non-zero"):
        check_unit_vector("axis", [0, 0, 0])


def test_tau_N_matches_definition():
    # Co-like nanoparticle: Ms = 1.4e6 A/m, 10 nm cube, 300 K, alpha = 0.1
    Ms, v, T, a = 1.4e6, 1e-24, 300.0, 0.1
    expected = (1 + a**2) * Ms * v / (2 * a * GAMMA_E * KB * T)
    assert tau_N(Ms, v, T, a) == pytest.approx(expected, rel=1e-15)
    # order of magnitude: a few ns for this moment (1.4e-18 A m^2)
    assert 1e-10 < expected < 1e-8


def test_reduced_from_si_barrier_and_field():
    Ms, K, v, T = 1.0e6, 2.0e5, 2.0e-25, 300.0
    r = reduced_from_si(Ms=Ms, K=K, volume=v, T=T, H=1e4, alpha=0.02)
    assert r.sigma == pytest.approx(K * v / (KB * T), rel=1e-14)
    H_K = 2 * K / (4e-7 * math.pi * Ms)
    assert r.h == pytest.approx(1e4 / H_K, rel=1e-14)
    assert r.zeta == pytest.approx(2 * r.sigma * r.h, rel=1e-12)
    with pytest.raises(ParameterError, match="T=-5"):
        reduced_from_si(Ms=Ms, K=K, volume=v, T=-5, alpha=0.1)
