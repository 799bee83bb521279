"""MacrospinModel: the write error rate of a pulse (axial models)."""


def test_write_error_rate_of_the_model_is_the_wer_command_for_a_cosine_torque():
    """The model's WER (start −e_z, the 1D problem mirrored to the start pole) against ``compute_wer``
    (start +e_z with the torque reversed: the same problem by symmetry), σ = 10, α = 0.1,
    χ = c J u_z: both within their estimates of each other."""
    import numpy as np

    from thermokinetic.fokker_planck.wer import compute_wer
    from thermokinetic.studies.model import MacrospinModel

    c, J = 0.05, 30.0  # i = cJ/(2 sigma alpha) = 0.75: the barrier sigma (1 - i)^2 = 0.6 kT, fast switching
    model = MacrospinModel(sigma=10.0, alpha=0.1, chi=lambda u: c * np.asarray(u)[..., 2])
    times = np.array([0.5, 2.0, 8.0, 30.0])
    got = model.write_error_rate(J, model.T_ref, times, rtol=1e-6)
    ref = compute_wer(sigma=10.0, alpha=0.1, chi_cos=-c * J, times=times, rtol=1e-6)
    assert got["converged"] and ref["converged"]
    assert np.all(np.abs(np.asarray(got["wer"]) / np.asarray(ref["wer"]) - 1) <= 2e-6)
    assert np.all(np.diff(got["wer"]) < 0)
