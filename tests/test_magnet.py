"""A free layer from its geometry: the reduced energy, Δ, H_K and the orientation."""
import math

import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.geometry import demag_elliptic_cylinder
from thermokinetic.magnet import FreeLayer
from thermokinetic.units import KB, MU0


def test_in_plane_ellipse_delta_is_its_shape_anisotropy():
    """K = K_s = 0: Δ = ½ μ0 Ms² (N_width − N_length) v / kT, the easy axis the long axis, the hard
    axis the normal with σ_p = ½ μ0 Ms² (N_normal − N_width) v / kT."""
    L, W, t, Ms, T = 150e-9, 50e-9, 3e-9, 1.4e6, 300.0
    f = FreeLayer("ellipse", L, W, t, Ms)
    d = demag_elliptic_cylinder(L / 2, W / 2, t)
    v = math.pi / 4 * L * W * t
    r = f.reduced(T)
    assert r["sigma"] == pytest.approx(0.5 * MU0 * Ms**2 * (d.Ny - d.Nx) * v / (KB * T), rel=1e-12)
    assert r["sigma_p"] == pytest.approx(0.5 * MU0 * Ms**2 * (d.Nz - d.Ny) * v / (KB * T), rel=1e-12)
    assert (r["easy_axis"], r["hard_axis"], f.orientation) == ("length", "normal", "in-plane")
    assert f.H_K == pytest.approx(Ms * (d.Ny - d.Nx), rel=1e-12)  # 2 K_eff/(μ0 Ms) = Ms ΔN
    assert 300 < r["sigma"] < 450  # Co 150 x 50 x 3 nm: Δ ≈ 366


def test_perpendicular_disk_with_interfacial_anisotropy():
    """A 40 nm × 1.3 nm CoFeB disk with K_s = 1 mJ/m²: K_eff = K_s/t − ½μ0Ms²(N_n − N_in) > 0, so it is
    perpendicular; Δ ≈ 43 at 300 K; without K_s it lies in-plane with two degenerate axes (refused)."""
    f = FreeLayer("ellipse", 40e-9, 40e-9, 1.3e-9, 1.1e6, K_s=1.0e-3)
    d = demag_elliptic_cylinder(20e-9, 20e-9, 1.3e-9)
    K_eff = 1.0e-3 / 1.3e-9 - 0.5 * MU0 * 1.1e6**2 * (d.Nz - d.Nx)
    assert f.K_eff == pytest.approx(K_eff, rel=1e-12)
    assert f.orientation == "perpendicular"
    r = f.reduced(300.0)
    assert r["sigma"] == pytest.approx(K_eff * f.volume / (KB * 300.0), rel=1e-12)
    assert r["sigma_p"] == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ParameterError, match="one easy axis"):
        FreeLayer("ellipse", 40e-9, 40e-9, 1.3e-9, 1.1e6).reduced(300.0)


def test_bad_geometry_is_refused_with_the_case_key():
    with pytest.raises(ParameterError, match="magnet.width"):
        FreeLayer("ellipse", 50e-9, 150e-9, 3e-9, 1.4e6)
    with pytest.raises(ParameterError, match="magnet.thickness"):
        FreeLayer("ellipse", 150e-9, 50e-9, -3e-9, 1.4e6)
    with pytest.raises(ParameterError, match="magnet.Ms"):
        FreeLayer("rectangle", 150e-9, 50e-9, 3e-9, 0.0)
    with pytest.raises(ParameterError, match="magnet.shape"):
        FreeLayer("hexagon", 150e-9, 50e-9, 3e-9, 1.4e6)
    # a rectangle uses the prism factors
    f = FreeLayer("rectangle", 150e-9, 50e-9, 3e-9, 1.4e6)
    assert f.orientation == "in-plane" and abs(sum(f.demag) - 1) < 1e-6
