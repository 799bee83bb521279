"""
Escape rate against the barrier: the exact answer and Brown's asymptote
=======================================================================

λ₁ of a uniaxial magnet (σ = Kv/kT, no field) from :meth:`thermokinetic.Magnet.escape`: the exact
1D reduction of the Fokker–Planck equation (axial symmetry), with its error estimate.  Brown's
high-barrier formula λ₁ ≈ (2/√π) σ^{3/2} e^{−σ} (with its next-order correction) approaches it as
σ grows; the relative difference shrinks like 1/σ².
"""
import matplotlib.pyplot as plt
import numpy as np

from thermokinetic import Magnet
from thermokinetic.fokker_planck import brown_asymptote

sigmas = np.arange(3.0, 31.0, 3.0)
lam = np.array([Magnet(sigma=s, alpha=1.0).escape(rtol=1e-8)["lambda1_tauN"] for s in sigmas])
brown = np.array([brown_asymptote(s, corrected=True).lambda1 for s in sigmas])
rel = np.abs(brown / lam - 1)

fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.6))
a.semilogy(sigmas, lam, "o", label="exact 1D reduction")
a.semilogy(sigmas, brown, "-", label="Brown, corrected asymptote")
a.set_xlabel(r"barrier $\sigma = Kv/kT$")
a.set_ylabel(r"$\lambda_1$ [$1/\tau_N$]")
a.legend()
b.loglog(sigmas, rel, "o-")
b.set_xlabel(r"barrier $\sigma$")
b.set_ylabel("relative difference")
fig.tight_layout()

# the asymptote's error falls faster than 1/σ (next order of the expansion: O(1/σ²))
assert rel[-1] < 3e-3 and rel[-1] < rel[3] * (sigmas[3] / sigmas[-1])
print(f"sigma = {sigmas[-1]:g}: lambda_1 = {lam[-1]:.6e} / tau_N, Brown differs by {rel[-1]:.1e}")
