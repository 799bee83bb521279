"""
Write-error rate of a current pulse down to 1e-9
================================================

The probability that a pulse of the dissipative spin-transfer potential χ = C u_z fails to switch a
σ = 40 magnet (α = 0.01), against the pulse width, from :meth:`thermokinetic.Magnet.wer`: the small
tail is computed directly (spectral sum of the exact 1D reduction), each value with its relative
error estimate.  At long pulses the WER decays at the slowest relaxation rate λ₁ of the magnet with the
current on (these currents leave a single well: the pulse always switches eventually).
"""
import matplotlib.pyplot as plt
import numpy as np

from thermokinetic import Magnet

m = Magnet(sigma=40.0, alpha=0.01)
times = np.linspace(0.02, 0.6, 30)
fig, ax = plt.subplots(figsize=(6, 4))
for C in (-1.0, -1.2, -1.5):
    r = m.wer(times, chi_cos=C, rtol=1e-4)
    assert r["converged"] and np.all(np.asarray(r["error_estimate"]) <= 1e-4)
    ax.semilogy(times, r["wer"], label=f"χ = {C:g} u_z kT")
    # the tail decays at the slowest relaxation rate with the current on (its eigenvalue, reported
    # next to the WER, against the slope of the WER computed by the modal sum / time integration)
    lam = r["lambda1_tauN"]
    slope = -np.log(r["wer"][-1] / r["wer"][-2]) / (times[-1] - times[-2])
    assert abs(slope / lam - 1) < 1e-3, (slope, lam)
ax.axhline(1e-9, color="0.6", lw=0.8, ls="--")
ax.set_xlabel(r"pulse width [$\tau_N$]")
ax.set_ylabel("write error rate")
ax.legend()
print(f"WER after {times[-1]:g} tau_N at chi = -1.5 u_z: {r['wer'][-1]:.3e}")
