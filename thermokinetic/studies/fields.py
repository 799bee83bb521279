"""Name, unit and meaning of every field a study writes (``summary.json`` and the ``table.csv`` columns).

:func:`describe` returns, for a summary, the documentation of each of its fields (written as the
``fields`` section of ``summary.json``), with the units that depend on the case (``{current_unit}``:
the model's current unit, A/m² with an SI magnet; ``{time_unit}``) filled in from the summary itself.
:func:`csv_header` gives the ``table.csv`` column names with their units (``current [A/m^2]``).
The documentation page ``docs/outputs.md`` is generated from :data:`FIELDS` and
:data:`ACCUMULATE_FIELDS` (``thermokinetic accumulate``) by :func:`markdown`.

Keys are dotted paths into the summary (``wer.pulse_ns``); ``table.<column>`` documents a CSV column.
Lists are per current (the ``current`` field) unless the meaning says otherwise; ``null`` marks a value
that is not defined at that point (the ``status`` field says why).
"""
from __future__ import annotations

__all__ = ["FIELDS", "ACCUMULATE_FIELDS", "describe", "undocumented", "csv_header", "markdown"]

_J = "{current_unit}"
_PER_J = " (one value per current)"

#: dotted key → (unit, meaning); unit "" for dimensionless numbers, "-" for text and flags
FIELDS: dict[str, tuple[str, str]] = {
    # -- every study ---------------------------------------------------------------------------------
    "study": ("-", "study kind (effective_barrier, switching, fluctuations, hysteresis, resonance, field_vs_flux)"),
    "title": ("-", "the case's title"),
    "label": ("-", "the case's title as shown on the figures"),
    "T_ref": ("K", "reference temperature of the model (reduced energies and τ_N are taken there)"),
    "current": (_J, "current of each row (pulse, bias or read current)"),
    "current_unit": ("-", "unit of every current field: A/m^2 with an SI magnet, else the coupler's unit"),
    "files": ("-", "paths of the figures and table.csv written next to summary.json"),
    "seconds": ("s", "wall-clock time of the study"),
    "fields": ("-", "this documentation of every field: name → {unit, meaning}"),
    "sigma": ("", "reduced barrier σ = K_eff v/kT at the study's temperature"),
    "temperature": ("K", "temperature of the study"),
    "level": ("", "geodesic mesh level of the finite-volume computation (10·4^level + 2 cells; null: none)"),
    "method": ("-", "how the study computed its numbers: axial (exact 1D reduction) or mesh (finite volumes)"),
    "status": ("-", "per current: the state of the row (ok, stable; else why it is empty: low-barrier, "
                    "no-well, unresolved, unstable, …)"),
    "warning": ("-", "a caveat about the result (e.g. currents whose rows are unresolved)"),
    # -- the model -----------------------------------------------------------------------------------
    "model.coupler": ("-", "spin-transfer model (class) turning the current into the potentials Φ and χ"),
    "model.coupler_current_per_model_unit": ("-", "coupler current per model current unit (unit conversion)"),
    "model.current_unit": ("-", "unit of the model's currents"),
    "model.axial": ("-", "true when energy and χ are symmetric about e_z (the exact 1D reduction applies)"),
    "model.h": ("", "reduced field h = H/H_K"),
    "model.sigma_T_ref": ("", "reduced uniaxial barrier σ at T_ref"),
    "model.sigma_p_T_ref": ("", "reduced easy-plane (shape) anisotropy σ_p at T_ref"),
    "model.Delta_T_ref": ("", "thermal stability factor Δ = E_b/kT at T_ref"),
    "model.H_K_A_per_m": ("A/m", "anisotropy field H_K = 2 K_eff/(μ0 Ms)"),
    "model.KV_J": ("J", "anisotropy energy K_eff v (the barrier at zero field)"),
    "model.area_m2": ("m^2", "cross-section of the free layer (current density × area = current)"),
    "model.volume_m3": ("m^3", "volume of the free layer"),
    "model.orientation": ("-", "perpendicular (easy axis along the film normal) or in-plane"),
    "model.frame": ("-", "how the model's axes e_z (easy) and e_x (hard) map onto the device axes"),
    "model.stack": ("-", "stack case file the spin-transfer potentials come from"),
    "model.warning": ("-", "a caveat about the magnet's description (e.g. no shape anisotropy)"),
    "model.free_layer.shape": ("-", "lateral shape: ellipse or rectangle"),
    "model.free_layer.length_m": ("m", "lateral length (long axis)"),
    "model.free_layer.width_m": ("m", "lateral width (short axis)"),
    "model.free_layer.thickness_m": ("m", "thickness"),
    "model.free_layer.area_m2": ("m^2", "lateral area"),
    "model.free_layer.volume_m3": ("m^3", "volume v of the free layer"),
    "model.free_layer.demag_factors": ("", "demagnetizing factors (N_length, N_width, N_normal), sum 1"),
    "model.free_layer.demag_error": ("", "error bound of the demagnetizing factors (closed form vs quadrature)"),
    "model.free_layer.K_eff_J_per_m3": ("J/m^3", "effective anisotropy between the easy and intermediate axes"),
    "model.free_layer.H_K_A_per_m": ("A/m", "anisotropy field H_K = 2 K_eff/(μ0 Ms)"),
    "model.free_layer.Delta": ("", "thermal stability factor Δ = K_eff v/kT at T_K"),
    "model.free_layer.sigma": ("", "reduced barrier σ (= Δ)"),
    "model.free_layer.sigma_p": ("", "reduced easy-plane anisotropy σ_p (hard minus intermediate axis)"),
    "model.free_layer.orientation": ("-", "perpendicular or in-plane"),
    "model.free_layer.easy_axis": ("-", "device axis of the easy direction (length, width, normal)"),
    "model.free_layer.hard_axis": ("-", "device axis of the hard direction"),
    "model.free_layer.T_K": ("K", "temperature of Δ and σ"),
    # -- effective barrier ---------------------------------------------------------------------------
    "rate_unit": ("-", "unit of the escape rates"),
    "temperatures": ("K", "temperatures of the Arrhenius fits"),
    "sigma_window": ("", "smallest and largest σ over the temperatures"),
    "barrier_kT": ("kT(T_ref)", "effective barrier E_eff(J) from the Arrhenius fit with the prefactor model" + _PER_J),
    "barrier_err_kT": ("kT(T_ref)", "standard error of barrier_kT" + _PER_J),
    "barrier_plain_kT": ("kT(T_ref)", "E_eff from a plain Arrhenius fit ln Γ = ln f0 − E/kT (no prefactor model)" + _PER_J),
    "barrier_model_kT": ("kT(T_ref)", "exact barrier of the non-equilibrium potential U_d = U − χ/α at T_ref" + _PER_J),
    "barrier_J": ("J", "barrier_kT in joules (× k_B T_ref)" + _PER_J),
    "barrier_unit": ("-", "unit of the barriers"),
    "attempt_frequency": ("{rate_unit}", "attempt frequency f0 of the Arrhenius fit Γ = f0 e^{−E/kT}" + _PER_J),
    "prefactor_exponent": ("", "exponent q of the fitted prefactor f0 ∝ T^{-q}" + _PER_J),
    "arrhenius_residual": ("", "rms misfit of ln Γ in the Arrhenius fit with the prefactor model" + _PER_J),
    "arrhenius_residual_plain": ("", "rms misfit of ln Γ in the plain Arrhenius fit" + _PER_J),
    "critical_current": (_J, "headline J_c (critical_current_source says which definition)"),
    "critical_current_err": (_J, "standard error of critical_current"),
    "critical_current_source": ("-", "exact (where the exact U_d barrier vanishes) or fit (power law passing its "
                                     "check); null: no J_c, critical_current_definition says why"),
    "critical_current_definition": ("-", "how critical_current and exponent were obtained, or why not"),
    "critical_current_T0": (_J, "T = 0 instability current of the deterministic LLG"),
    "critical_current_T0_kind": ("-", "which instability sets critical_current_T0 (damping or barrier)"),
    "exponent": ("", "headline exponent b of E_eff ∝ (1 − J/J_c)^b near J_c"),
    "exponent_err": ("", "standard error of exponent"),
    "exponent_at_Jc_T0": ("", "b of the power law fitted with J_c fixed at critical_current_T0"),
    "exponent_at_Jc_T0_err": ("", "standard error of exponent_at_Jc_T0"),
    "E0_kT": ("kT(T_ref)", "E0 of the power-law fit E_eff = E0 (1 − J/J_c)^b"),
    "E0_err_kT": ("kT(T_ref)", "standard error of E0_kT"),
    "power_law_fit.critical_current": (_J, "J_c of the power law fitted over the whole window"),
    "power_law_fit.critical_current_err": (_J, "its standard error"),
    "power_law_fit.exponent": ("", "b of that fit"),
    "power_law_fit.exponent_err": ("", "its standard error"),
    "power_law_fit.points": ("", "currents in the fit"),
    "power_law_fit.rms_misfit_lnE": ("", "rms misfit of ln E_eff against the fit"),
    "power_law_fit.passes_check": ("-", "whether the fit passes its residual and bounds check (else never a headline)"),
    "power_law_residual": ("", "weighted residual (χ²/dof) of the power-law fit"),
    "power_law_points": ("", "currents in the power-law fit"),
    "exact_barrier_near_Jc.critical_current": (_J, "J_c where the exact U_d barrier vanishes (bisection)"),
    "exact_barrier_near_Jc.exponent": ("", "local exponent b = d ln E/d ln(J_c − J) at J → J_c"),
    "exact_barrier_near_Jc.exponent_err": ("", "its error estimate"),
    "exact_barrier_near_Jc.points": ("", "barriers used for the local exponent"),
    "exact_barrier_near_Jc.doc": ("-", "definition of this block"),
    "min_barrier_kT": ("kT", "smallest barrier for which an Arrhenius fit is made (status low-barrier below)"),
    "methods": ("-", "escape-rate methods used (axial: exact 1D reduction; mesh: finite volumes)"),
    "wer.pulse_ns": ("ns", "pulse widths of the write-error-rate table"),
    "wer.current": (_J, "write currents of the table (rows)"),
    "wer.wer": ("", "write error rate: probability of not switching, [current][pulse]"),
    "wer.error_estimate": ("", "relative error estimate of each WER, [current][pulse]"),
    "wer.T_K": ("K", "temperature of the WER table"),
    "wer.rtol": ("", "requested relative accuracy of the WER"),
    "wer.reasons": ("-", "why a target was not met (empty when every value meets rtol)"),
    "wer.definition": ("-", "definition of the WER"),
    "read_disturb.current": (_J, "read currents"),
    "read_disturb.rate": ("{read_disturb.rate_unit}", "escape rate of the stored state at each read current"),
    "read_disturb.rate_unit": ("-", "unit of read_disturb.rate"),
    "read_disturb.mean_time": ("s", "mean time to a thermal flip at each read current (1/rate)"),
    "read_disturb.pulse_ns": ("ns", "read pulse width"),
    "read_disturb.probability_per_read": ("", "flip probability per read pulse, 1 − e^{−rate·pulse} computed directly"),
    "read_disturb.barrier_kT": ("kT", "barrier of the stored state at each read current"),
    "read_disturb.T_K": ("K", "temperature"),
    "read_disturb.definition": ("-", "definition of the read disturb"),
    "ramp.rates": ("{ramp.rate_unit}", "current ramp rates"),
    "ramp.rate_unit": ("-", "unit of the ramp rates"),
    "ramp.T_K": ("K", "temperature"),
    "ramp.median_current": (_J, "median switching current at each ramp rate"),
    "ramp.width_10_90": (_J, "10–90 % width of the switching-current distribution at each ramp rate"),
    "ramp.median_error_estimate": ("", "relative error estimate of each median"),
    "ramp.fit.model": ("-", "the thermal-activation model fitted to the medians (the usual b = 1 fit)"),
    "ramp.fit.attempt_frequency_Hz": ("Hz", "attempt frequency held fixed in that fit"),
    "ramp.fit.delta_kT": ("kT", "Δ that fit returns"),
    "ramp.fit.J_c0": (_J, "J_c0 that fit returns"),
    "ramp.fit.residual_rms_ln_rate": ("", "rms misfit of ln Γ in that fit"),
    "ramp.exact.delta_kT": ("kT", "the model's exact Δ (barrier of U_d at J = 0)"),
    "ramp.exact.J_c0": (_J, "the model's exact J_c0 (where the barrier vanishes)"),
    "ramp.exact.definition": ("-", "definition of the exact values"),
    # -- switching -----------------------------------------------------------------------------------
    "duration": ("{time_unit}", "pulse durations (columns of probability)"),
    "time_unit": ("-", "unit of duration and t50: s with an SI magnet, else τ_N(T_ref)"),
    "probability": ("", "switching probability P(duration; current), [current][duration]"),
    "t50": ("{time_unit}", "pulse duration at which P = 1/2" + _PER_J),
    "rate": ("1/{time_unit}", "escape rate out of the start well" + _PER_J),
    "p_infinity": ("", "long-pulse limit of the switching probability (stationary mass in the switched region)" + _PER_J),
    # -- fluctuations --------------------------------------------------------------------------------
    "variance": ("", "stationary ⟨δu²⟩ = 1 − ⟨u_z⟩² about the start pole" + _PER_J),
    "rate_per_tauN": ("1/τ_N", "escape rate out of the start well" + _PER_J),
    "barrier0_kT": ("kT", "barrier at zero current"),
    "density": ("-", "which stationary density the moments come from"),
    "T_eff_curvature_over_T": ("", "effective temperature from the curvature of U_d at the well, over T" + _PER_J),
    "T_eff_fluct_harmonic_over_T": ("", "effective temperature from ⟨δu²⟩ (harmonic estimate), over T" + _PER_J),
    "T_eff_fluct_matched_over_T": ("", "effective temperature matching ⟨δu²⟩ of the exact density, over T" + _PER_J),
    "T_eff_rate_over_T": ("", "effective temperature from the escape rate (Arrhenius with the zero-current "
                              "barrier), over T" + _PER_J),
    # -- hysteresis ----------------------------------------------------------------------------------
    "alpha": ("", "Gilbert damping α"),
    "psi_deg": ("deg", "field angle from the easy axis"),
    "h_switch_down": ("", "reduced switching field h = H/H_K on the descending branch" + _PER_J),
    "h_switch_up": ("", "reduced switching field on the ascending branch" + _PER_J),
    "coercivity": ("", "half the loop width (h_switch_up − h_switch_down)/2" + _PER_J),
    "shift": ("", "loop centre (h_switch_up + h_switch_down)/2: the current's effective field" + _PER_J),
    # -- resonance -----------------------------------------------------------------------------------
    "theta_deg": ("deg", "polar angle of the stationary precession (resonance) or the profile grid (field_vs_flux)"),
    "omega_per_tauN": ("rad/τ_N", "FMR angular frequency" + _PER_J),
    "damping_rate_per_tauN": ("1/τ_N", "decay rate of the resonance mode" + _PER_J),
    "linewidth_fwhm_per_tauN": ("rad/τ_N", "full width at half maximum of the resonance" + _PER_J),
    "frequency_Hz": ("Hz", "FMR frequency" + _PER_J),
    "linewidth_Hz": ("Hz", "FMR linewidth (FWHM)" + _PER_J),
    "tau_N_s": ("s", "Néel time τ_N of the model at the study's temperature"),
    # -- field vs flux -------------------------------------------------------------------------------
    "barrier_field_kT": ("kT", "barrier with spin transfer as a field (Eq. 24)" + _PER_J),
    "barrier_flux_kT": ("kT", "barrier with spin transfer as a ρ-independent flux (seed-001 reading)" + _PER_J),
    "min_density_field": ("1/sr", "smallest stationary density, field form" + _PER_J),
    "min_density_flux": ("1/sr", "smallest stationary density, flux form (negative: not a density)" + _PER_J),
    "profile_field": ("1/sr", "stationary density ρ(θ) on the theta_deg grid, field form, [current][theta]"),
    "profile_flux": ("1/sr", "stationary density ρ(θ), flux form, [current][theta]"),
    "flux_negative_from": (_J, "smallest current at which the flux form's density turns negative"),
    # -- table.csv columns -----------------------------------------------------------------------------
    "table.current": (_J, "current of the row"),
    "table.temperature_K": ("K", "temperature of the row"),
    "table.sigma": ("", "reduced barrier σ at that temperature"),
    "table.rate": ("{rate_unit}", "escape rate of the row"),
    "table.barrier_kT": ("kT(T_ref)", "effective barrier E_eff at the row's current"),
    "table.barrier_err_kT": ("kT(T_ref)", "its standard error"),
    "table.barrier_plain_kT": ("kT(T_ref)", "plain Arrhenius barrier"),
    "table.attempt_frequency": ("{rate_unit}", "attempt frequency of the Arrhenius fit"),
    "table.prefactor_exponent": ("", "exponent of the fitted prefactor"),
    "table.status": ("-", "ok, or why the row is empty"),
    "table.duration": ("{time_unit}", "pulse duration"),
    "table.probability": ("", "switching probability"),
    "table.t50": ("{time_unit}", "pulse duration at P = 1/2"),
    "table.variance": ("", "stationary ⟨δu²⟩"),
    "table.rate_per_tauN": ("1/τ_N", "escape rate"),
    "table.T_curvature_over_T": ("", "effective temperature (curvature) over T"),
    "table.T_fluct_harmonic_over_T": ("", "effective temperature (⟨δu²⟩, harmonic) over T"),
    "table.T_fluct_matched_over_T": ("", "effective temperature (⟨δu²⟩, matched) over T"),
    "table.T_rate_over_T": ("", "effective temperature (escape rate) over T"),
    "table.h_switch_down": ("", "reduced switching field, descending branch"),
    "table.h_switch_up": ("", "reduced switching field, ascending branch"),
    "table.coercivity": ("", "reduced coercive field"),
    "table.shift": ("", "reduced loop shift"),
    "table.theta_deg": ("deg", "precession polar angle"),
    "table.omega_per_tauN": ("rad/τ_N", "FMR angular frequency"),
    "table.damping_rate_per_tauN": ("1/τ_N", "decay rate"),
    "table.frequency_Hz": ("Hz", "FMR frequency"),
    "table.linewidth_Hz": ("Hz", "FMR linewidth"),
    "table.barrier_field_kT": ("kT", "barrier, field form"),
    "table.barrier_flux_kT": ("kT", "barrier, flux form"),
    "table.min_density_field": ("1/sr", "smallest density, field form"),
    "table.min_density_flux": ("1/sr", "smallest density, flux form"),
}


#: the JSON summary of ``thermokinetic accumulate`` (a stack's spin accumulation); ``*`` stands for a layer
#: name, ``interfaces.<key>`` for the key of every interface record
ACCUMULATE_FIELDS: dict[str, tuple[str, str]] = {
    "model": ("-", "transport model: two-channel, four-channel, transverse or noncollinear"),
    "title": ("-", "the case's title"),
    "files": ("-", "paths of the profile CSV and the figure written next to this file"),
    "fields": ("-", "this documentation of every field: name → {unit, meaning}"),
    "J": ("A/m^2", "charge current density through the stack (sign: thermokinetic.units)"),
    "R_total": ("Ohm m^2", "resistance × area of the stack, R_eq + R_ne"),
    "R_eq": ("Ohm m^2", "resistance × area without spin accumulation (the layers' bulk and interface resistances)"),
    "R_ne": ("Ohm m^2", "non-equilibrium (spin-accumulation) resistance × area, δV/J = δP/J²"),
    "R_perp": ("Ohm m^2", "transverse spin impedance Δμ⊥(injection)/δJ⊥"),
    "lsf.*": ("m", "spin-flip (diffusion) length of the layer"),
    "diffusion_lengths.*": ("m", "diffusion lengths of the layer's modes (four-channel s–d: the eigenlengths)"),
    "lambda_perp.*": ("m", "transverse (spin-precession/dephasing) length of the layer"),
    "absorbed.*": ("A/m^2", "transverse spin current absorbed in the layer, δJ⊥(in) − δJ⊥(out)"),
    "torques.*": ("A/m^2", "spin current absorbed by the F layer (vector in spin space; torque per area × 2e/ħ)"),
    "injected_dJ_perp": ("A/m^2", "transverse spin current injected at the injection interface"),
    "injection_interface": ("-", "the interface where the transverse spin current is injected"),
    "dmu_perp_source": ("eV", "transverse spin accumulation Δμ⊥ at the injection interface"),
    "interfaces.interface": ("-", "the interface (left layer|right layer)"),
    "interfaces.x": ("m", "position of the interface along the stack"),
    "interfaces.dmu_left": ("eV", "spin accumulation Δμ = μ↑ − μ↓ on the left side of the interface"),
    "interfaces.dmu_right": ("eV", "spin accumulation on the right side of the interface"),
    "interfaces.dmu_sd_left": ("eV", "s–d accumulation difference on the left side (four-channel)"),
    "interfaces.dmu_sd_right": ("eV", "s–d accumulation difference on the right side (four-channel)"),
    "interfaces.dmu": ("eV", "spin accumulation vector μs at the interface (noncollinear)"),
    "interfaces.dJ": ("A/m^2", "spin current J↑ − J↓ at the interface"),
}


def _leaves(d: dict, prefix: str = ""):
    for k, v in d.items():
        if not prefix and k == "fields":
            yield k
        elif isinstance(v, dict):
            yield from _leaves(v, prefix + k + ".")
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            seen = []
            for x in v:
                for leaf in _leaves(x, prefix + k + "."):
                    if leaf not in seen:
                        seen.append(leaf)
            yield from seen
        else:
            yield prefix + k


def _entry(key: str, registry: dict):
    """The documentation of ``key``: exact, or with its last segment as ``*`` (a layer name)."""
    if key in registry:
        return registry[key]
    head, _, _ = key.rpartition(".")
    return registry.get(head + ".*") if head else None


def _lookup(summary: dict, path: str):
    v = summary
    for part in path.split("."):
        if not isinstance(v, dict) or part not in v:
            return None
        v = v[part]
    return v


def _unit(unit: str, summary: dict) -> str:
    """Fill the ``{field}`` placeholders of a unit from the summary's own unit fields."""
    out = unit
    while "{" in out:
        a = out.index("{")
        b = out.index("}", a)
        value = _lookup(summary, out[a + 1:b])
        out = out[:a] + (str(value) if value is not None else out[a + 1:b]) + out[b + 1:]
    return out


def undocumented(summary: dict, registry: dict = FIELDS) -> list:
    """The dotted keys of ``summary`` that ``registry`` (default :data:`FIELDS`) does not document."""
    return [k for k in _leaves(summary) if _entry(k, registry) is None]


def describe(summary: dict, registry: dict = FIELDS) -> dict:
    """``{dotted key: {"unit", "meaning"}}`` for every documented field of ``summary`` (units filled in)."""
    out = {}
    for k in _leaves(summary):
        e = _entry(k, registry)
        if e is not None and k != "fields":
            out[k] = {"unit": _unit(e[0], summary), "meaning": e[1]}
    return out


def csv_header(columns, summary: dict) -> list:
    """CSV column names with their units, ``name [unit]`` (no brackets for text and dimensionless columns)."""
    out = []
    for c in columns:
        unit = _unit(FIELDS.get("table." + c, ("", ""))[0], summary)
        out.append(f"{c} [{unit}]" if unit not in ("", "-") else c)
    return out


def markdown() -> str:
    """The documentation page of every field (``docs/outputs.md``)."""
    lines = ["# Output fields", "",
             "Every field of a study's `summary.json` and every `table.csv` column, with its unit and meaning. "
             "`summary.json` carries the same documentation for its own fields in its `fields` section, with "
             "the case's units filled in. `{current_unit}` is the model's current unit (A/m^2 with an SI "
             "magnet), `{time_unit}` the switching study's time unit.", "",
             "| field | unit | meaning |", "|---|---|---|"]
    def rows(registry):
        for k, (unit, meaning) in registry.items():
            u = (unit.replace("{", "`{").replace("}", "}`") if unit not in ("", "-")
                 else ("dimensionless" if unit == "" else "text"))
            lines.append(f"| `{k}` | {u} | {meaning.replace('|', '/')} |")

    rows(FIELDS)
    lines += ["", "## thermokinetic accumulate", "",
              "The JSON summary written next to the profile CSV (whose column names carry their units, "
              "`x_m`, `dmu_eV`, …). `*` stands for a layer name.", "", "| field | unit | meaning |", "|---|---|---|"]
    rows(ACCUMULATE_FIELDS)
    return "\n".join(lines) + "\n"
