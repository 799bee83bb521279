"""Solve a multilayer's spin accumulation from a TOML case file.

``thermokinetic accumulate CASE.toml [--model MODEL] [--out DIR] [--json]`` solves the stack with
``two-channel``, ``four-channel``, ``transverse`` or ``noncollinear`` (default: the case file's
``model``), writes the profiles as CSV and a PNG into ``--out`` (default ``out/accumulate``) and
prints the resistances (Ω m², i.e. resistance × area) and the interface spin accumulations (eV).
``--json`` prints a JSON object with at least ``R_ne`` and ``interfaces``.  Examples:
``cases/stack_*.toml``.  Units: SI, μ in eV, J > 0 when electrons flow towards the last layer.
"""
from __future__ import annotations

COMMAND = "accumulate"
HELP = "spin accumulation of a multilayer (two-/four-channel, transverse, noncollinear) from a case file"


def add_arguments(p):
    p.add_argument("case", help="TOML case file (see cases/stack_*.toml)")
    p.add_argument("--model", default=None,
                   help="two-channel | four-channel | transverse | noncollinear (default: the file's)")
    p.add_argument("--out", default="out/accumulate", help="output folder (default: out/accumulate)")
    p.add_argument("--json", action="store_true", help="print results as JSON")
    p.add_argument("--points", type=int, default=None, help="grid points per layer (default: the file's)")


def _profile_of(result, case, points):
    """Profiles as {column: array} with units in the column names, for every model."""
    import numpy as np

    ext = case.lead_extent
    if case.model == "noncollinear":  # StackSolution of thermokinetic.transport.noncollinear
        d = {"x_m": result.x, "layer": result.layer}
        for k, c in enumerate("xyz"):
            d[f"dmu_{c}_eV"] = np.asarray(result.mu)[:, k]
        for k, c in enumerate("xyz"):
            d[f"dJ_{c}_A_m2"] = np.asarray(result.js)[:, k]
        return d
    prof = result.profile(points, ext)
    units = {"x": "m", "layer": "", "psidot": "A_m3", "psidot_s": "A_m3", "psidot_sd": "A_m3",
             "psidot_perp": "A_m3", "dissipation": "W_m3"}
    out = {}
    for k, v in prof.items():
        u = units.get(k, "eV" if k.startswith(("mu", "dmu")) else "A_m2")
        out[f"{k}_{u}" if u else k] = v
    if case.model == "transverse" and result.longitudinal is not None:
        lg = result.longitudinal.profile(points, ext)
        out = {"x_m": out["x_m"], "layer": out["layer"], "dmu_perp_eV": out["dmu_perp_eV"],
               "dJ_perp_A_m2": out["dJ_perp_A_m2"], "psidot_perp_A_m3": out["psidot_perp_A_m3"]}
        # the longitudinal grid differs (leads scaled by lsf): give it separately
        out_l = {f"long_{k}": v for k, v in lg.items()}
        return out, out_l
    return out


def _summary_of(result, case) -> dict:
    import numpy as np

    if hasattr(result, "summary"):
        s = result.summary()
    else:  # noncollinear StackSolution
        names = result.names
        s = {"model": "noncollinear", "J": result.current_density, "R_ne": result.R_ne,
             "interfaces": [{"interface": f"{names[i]}|{names[i + 1]}",
                             "dmu": np.asarray(result.interface_mu[i]).tolist()}
                            for i in range(len(names) - 1)],
             "torques": {k: np.asarray(v).tolist() for k, v in result.torques.items()}}
    s["title"] = case.title
    return s


def _write_csv(path, cols: dict):
    import io as _io

    import numpy as np

    from ..io import atomic_write_text

    keys = list(cols)
    arr = np.column_stack([np.asarray(cols[k], dtype=float) for k in keys])
    buf = _io.StringIO()
    buf.write(",".join(keys) + "\n")
    np.savetxt(buf, arr, delimiter=",", fmt="%.12g")
    atomic_write_text(path, buf.getvalue())


#: legend labels of the profile columns (physics, not column names)
_LABELS = {
    "dmu_eV": "Δμ = μ↑ − μ↓", "dmu_s_eV": "Δμ_s (s electrons)", "dmu_sd_eV": "Δμ_sd (s–d)",
    "dmu_perp_eV": "Δμ⊥ (transverse)", "dmu_x_eV": "μ_s,x", "dmu_y_eV": "μ_s,y", "dmu_z_eV": "μ_s,z",
    "dJ_A_m2": "J↑ − J↓", "dJ_s_A_m2": "J_s↑ − J_s↓", "dJ_sd_A_m2": "s–d spin current",
    "dJ_perp_A_m2": "δJ⊥ (transverse)", "dJ_x_A_m2": "j_s,x", "dJ_y_A_m2": "j_s,y", "dJ_z_A_m2": "j_s,z",
}


def _plot(path, case, cols, summary):
    """Spin accumulation and spin current along the stack: the whole profile (left) and a zoom on the
    layers (right), F layers shaded and named, legends in physics labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    x = np.asarray(cols["x_m"]) * 1e9
    keys_mu = [k for k in cols if k.startswith("dmu")]
    keys_j = [k for k in cols if k.startswith("dJ")]
    fig, ax = plt.subplots(2, 2, figsize=(10, 6), sharex="col")
    lay = np.asarray(cols["layer"]).astype(int)
    st = case.stack
    x_lo, x_hi = st.positions[0] * 1e9, st.positions[-1] * 1e9
    pad = max(0.5 * (x_hi - x_lo), 5.0)
    for col in range(2):
        for i in np.unique(lay):
            sel = lay == i
            for row, keys, scale in ((0, keys_mu, 1e6), (1, keys_j, 1.0)):
                for k in keys:
                    ax[row, col].plot(x[sel], np.asarray(cols[k])[sel] * scale, lw=1.5,
                                      color=f"C{keys.index(k)}", label=_LABELS.get(k, k) if i == lay[0] else None)
        for ly, x0 in zip(st.inner, st.positions[:-1]):
            if ly.kind == "F":
                for row in range(2):
                    ax[row, col].axvspan(x0 * 1e9, (x0 + ly.thickness) * 1e9, color="0.88", zorder=0)
                if col == 1:
                    ax[0, 1].text((x0 + ly.thickness / 2) * 1e9, 1.02, ly.name, transform=ax[0, 1].get_xaxis_transform(),
                                  ha="center", va="bottom", fontsize=7)
        for row in range(2):
            for p in st.positions:
                ax[row, col].axvline(p * 1e9, color="0.6", lw=0.5)
        ax[1, col].set_xlabel("position along the stack x [nm]" + (" (zoom on the layers)" if col else ""))
    ax[0, 1].set_xlim(x_lo - pad, x_hi + pad)
    vis = (x >= x_lo - pad) & (x <= x_hi + pad)
    for row, keys, scale in ((0, keys_mu, 1e6), (1, keys_j, 1.0)):
        vals = np.concatenate([np.asarray(cols[k], float)[vis] * scale for k in keys]) if keys else np.zeros(0)
        vals = vals[np.isfinite(vals)]
        if vals.size and np.ptp(vals) > 0:
            m = 0.08 * np.ptp(vals)
            ax[row, 1].set_ylim(vals.min() - m, vals.max() + m)
    ax[0, 0].legend(fontsize=8)
    ax[1, 0].legend(fontsize=8)
    ax[0, 0].set_ylabel("spin accumulation [µeV]")
    ax[1, 0].set_ylabel("spin current [A/m²]")
    fig.suptitle(f"{case.title or case.model}   (R_ne = {summary['R_ne']:.4g} Ω m²; F layers shaded)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def run(args) -> int:
    import json
    from pathlib import Path

    from ..io import check_output_dir, to_jsonable, write_json
    from ..transport import load_case, solve

    out = check_output_dir(args.out)  # before any computation
    case = load_case(args.case, model=args.model)
    points = args.points if args.points is not None else case.points_per_layer
    if not 3 <= points <= 100_000:
        from ..errors import ParameterError

        raise ParameterError("--points", points, "an integer in [3, 100000] (points per layer)")
    if case.model == "noncollinear":
        try:
            from ..transport.noncollinear import solve_stack
        except ImportError as exc:
            raise ValueError(f"model 'noncollinear' is not available: {exc}") from None
        result = solve_stack(case.stack, points_per_layer=points, lead_extent=case.lead_extent)
    else:
        result = solve(case)
    summary = _summary_of(result, case)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{Path(args.case).stem}_{case.model.replace('-', '_')}"  # one convention: snake_case file names
    cols = _profile_of(result, case, points)
    files = []
    if isinstance(cols, tuple):
        cols, cols_long = cols
        _write_csv(out / f"{stem}_longitudinal.csv", cols_long)
        files.append(out / f"{stem}_longitudinal.csv")
    _write_csv(out / f"{stem}.csv", cols)
    _plot(out / f"{stem}.png", case, cols, summary)
    files = [out / f"{stem}.csv", out / f"{stem}.png"] + files
    summary["files"] = [str(f) for f in files]
    from ..studies.fields import ACCUMULATE_FIELDS, describe

    summary["fields"] = describe(to_jsonable(summary), ACCUMULATE_FIELDS)
    write_json(out / f"{stem}.json", summary)
    if args.json:
        print(json.dumps(to_jsonable(summary), indent=2, allow_nan=False))
    else:
        print(f"{case.title or args.case}  [model {case.model}, J = {case.stack.current_density:g} A/m^2]")
        for key in ("R_total", "R_eq", "R_ne", "R_perp"):
            if key in summary:
                print(f"  {key:8s} = {summary[key]: .6e} Ohm m^2")
        for itf in summary.get("interfaces", []):
            vals = {k: v for k, v in itf.items() if k.startswith("dmu")}
            txt = ", ".join(f"{k} = {v:.4e}" if isinstance(v, float) else f"{k} = {v}"
                            for k, v in vals.items())
            print(f"  {itf['interface']:24s} {txt} eV")
        print("  files: " + ", ".join(str(f) for f in files))
    return 0
