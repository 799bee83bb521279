"""
Energy landscape of a thin film in an oblique field
===================================================

:meth:`thermokinetic.Magnet.plot` maps U − min U (kT) over the sphere for a film (σ = 10,
σ_p = 25) in a field h = 0.2 at 30° from the easy axis, with its escape rates from the
orbit-aligned or geodesic finite-volume mesh (``auto`` picks and says why).
"""
import matplotlib.pyplot as plt

from thermokinetic import Magnet

m = Magnet(sigma=10.0, sigma_p=25.0, h=0.2, psi=30.0, alpha=1.0)
fig, ax = plt.subplots(figsize=(7, 3.6))
m.plot(ax=ax)
r = m.escape(rtol=1e-3)
assert r["converged"] and r["error_estimate"] <= 1e-3
rates = [w["rate"] for w in r["escape_rates_tauN"]]
assert abs(sum(rates) / r["lambda1_tauN"] - 1) < 1e-6  # λ₁ = Γ₁ + Γ₂ for two wells
print(f"method {r['method']}: lambda_1 = {r['lambda1_tauN']:.5e} / tau_N, wells "
      + ", ".join(f"{g:.3e}" for g in rates))
