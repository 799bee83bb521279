"""The front door (issue 12): :class:`thermokinetic.Magnet` answers with the package's entry points,
checked against them and against independent truths (Boltzmann density, Δ of the free layer)."""
from __future__ import annotations

import numpy as np
import pytest

from thermokinetic import Magnet, ParameterError
from thermokinetic.fokker_planck import compute_escape, compute_wer
from thermokinetic.magnet import FreeLayer
from thermokinetic.units import KB, tau_N


def test_escape_and_wer_are_the_entry_points_results():
    m = Magnet(sigma=8.0, h=0.2, psi=30.0, alpha=0.5)
    got = m.escape(rtol=1e-3)
    ref = compute_escape(sigma=8.0, h=0.2, psi=30.0, alpha=0.5, rtol=1e-3)
    assert got["lambda1_tauN"] == ref["lambda1_tauN"] and got["converged"]
    a = Magnet(sigma=20.0, alpha=0.1).wer([0.5, 1.0], chi_cos=-5.0, rtol=1e-4)
    b = compute_wer(sigma=20.0, alpha=0.1, times=[0.5, 1.0], chi_cos=-5.0, rtol=1e-4)
    assert np.array_equal(a["wer"], b["wer"]) and a["method"] == "axial"


def test_stationary_density_at_zero_current_is_the_boltzmann_density():
    """Independent truth: e^{−U}/Z at the cell centres, Z = Σ A e^{−U} (exact discrete equilibrium)."""
    m = Magnet(sigma=5.0, sigma_p=3.0, h=0.1, psi=20.0, alpha=0.3)
    mesh, rho = m.stationary(level=3)
    w = np.exp(-(m.energy.value(mesh.centers) - m.energy.value(mesh.centers).min()))
    assert np.allclose(rho, w / np.dot(mesh.areas, w), rtol=1e-10, atol=0)
    _, rho_j = m.stationary(level=3, chi_cos=1.0)
    assert np.dot(mesh.areas, rho_j) == pytest.approx(1.0, rel=1e-12) and np.all(rho_j > 0)
    assert not np.allclose(rho_j, rho, rtol=1e-3)


def test_from_geometry_carries_the_free_layer_and_its_time_unit():
    kw = dict(shape="ellipse", length=150e-9, width=50e-9, thickness=3e-9, Ms=1.4e6, K=0.0, K_axis="length")
    m = Magnet.from_geometry(**kw, T=300.0, alpha=0.01)
    layer = FreeLayer(**kw)
    assert m.sigma == pytest.approx(layer.K_eff * layer.volume / (KB * 300.0), rel=1e-12)
    assert m.describe()["free_layer"]["orientation"] == "in-plane" and m.sigma_p > 10 * m.sigma
    assert m.tau_N == pytest.approx(tau_N(1.4e6, layer.volume, 300.0, 0.01), rel=1e-12)
    with pytest.raises(ParameterError, match="magnet"):
        Magnet(sigma=10.0).tau_N


def test_bad_input_names_the_parameter_and_plot_labels_its_axes():
    for kw, name in ((dict(sigma=-1.0), "sigma"), (dict(sigma=True), "sigma"), (dict(sigma=5.0, alpha=0.0), "alpha"),
                     (dict(sigma=5.0, psi=float("nan")), "psi")):
        with pytest.raises(ParameterError, match=name):
            Magnet(**kw)
    import matplotlib

    matplotlib.use("Agg")
    ax = Magnet(sigma=5.0, h=0.2, psi=45.0).plot(n=31)
    assert "[deg]" in ax.get_xlabel() and "[deg]" in ax.get_ylabel()
