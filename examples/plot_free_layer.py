"""
Thermal stability of an in-plane ellipse from its geometry
==========================================================

Δ = K_eff v/kT of a 3 nm Co-like ellipse (Ms = 1.4 MA/m, no crystalline anisotropy) against its
aspect ratio: the shape anisotropy ½μ0Ms²(N_width − N_length) from the demagnetizing factors of the
elliptic cylinder (:class:`thermokinetic.magnet.FreeLayer`), through :meth:`thermokinetic.Magnet.from_geometry`.
The easy-plane term σ_p (the film normal) is an order of magnitude larger: a thin film.
"""
import matplotlib.pyplot as plt
import numpy as np

from thermokinetic import Magnet
from thermokinetic.units import KB, MU0

width = 50e-9
lengths = width * np.linspace(1.2, 4.0, 12)
mags = [Magnet.from_geometry(shape="ellipse", length=L, width=width, thickness=3e-9, Ms=1.4e6, K_axis="length",
                             T=300.0, alpha=0.01) for L in lengths]
delta = np.array([m.sigma for m in mags])
sigma_p = np.array([m.sigma_p for m in mags])

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(lengths / width, delta, "o-", label=r"$\Delta = \sigma$ (in-plane barrier)")
ax.plot(lengths / width, sigma_p, "s-", label=r"$\sigma_p$ (easy-plane, film normal)")
ax.set_xlabel("aspect ratio length / width")
ax.set_ylabel("reduced energy [kT at 300 K]")
ax.set_yscale("log")
ax.legend()

# Δ is the shape anisotropy of the demagnetizing factors, and grows with the aspect ratio
m = mags[5]
N = m.layer.demag  # (length, width, normal)
by_hand = 0.5 * MU0 * 1.4e6**2 * (N[1] - N[0]) * m.layer.volume / (KB * 300.0)
assert abs(m.sigma / by_hand - 1) < 1e-12 and np.all(np.diff(delta) > 0) and np.all(sigma_p > 10 * delta)
print(f"{lengths[5] * 1e9:.0f} x 50 x 3 nm: Delta = {m.sigma:.1f}, sigma_p = {m.sigma_p:.0f}, "
      f"orientation {m.describe()['free_layer']['orientation']}")
