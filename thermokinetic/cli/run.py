"""Run a study case: ``thermokinetic run cases/effective_barrier.toml [--out DIR] [--json]``.

The case's ``[study] kind`` selects the study (:mod:`thermokinetic.studies.run`); results go to
``DIR/<name>/`` (default ``out/``): ``summary.json``, ``table.csv`` and the figures, written
atomically; finished points are cached in ``DIR/<name>/cache/`` so an interrupted run resumes.
"""
from __future__ import annotations

COMMAND = "run"
HELP = "run a study case (TOML): effective barrier, critical current, ... -> out/<name>/"


def add_arguments(p):
    p.add_argument("case", help="study case file (TOML), e.g. cases/effective_barrier.toml")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _fmt(v, spec=".4g"):
    return "n/a" if v is None else format(v, spec)


def _print_model(m: dict) -> None:
    """The free layer from its geometry (Δ, H_K, orientation, demagnetizing factors) and model warnings."""
    if "free_layer" in m:
        fl = m["free_layer"]
        print(f"  free layer: {fl['orientation']}, Delta = {fl['Delta']:.4g} at {fl['T_K']:g} K, "
              f"H_K = {fl['H_K_A_per_m']:.4g} A/m, sigma_p = {fl['sigma_p']:.4g}, "
              f"N = ({', '.join(f'{n:.4f}' for n in fl['demag_factors'])}) (length, width, normal)")
    if m.get("warning"):
        print(f"  warning: {m['warning']}")


def _print_generic(s: dict) -> None:
    """Text summary of any study: its scalar results, short lists, and the files written."""
    print(f"{s.get('title') or s['study']}: {s['study']} ({s['seconds']:.1f} s)")
    _print_model(s.get("model") or {})
    skip = {"title", "study", "seconds", "files", "fields"}
    fields = s.get("fields") or {}

    def unit(k):
        u = (fields.get(k) or {}).get("unit", "")
        return "" if u in ("", "-") else " " + u

    for k, v in s.items():
        if k in skip:
            continue
        if isinstance(v, (bool, str)) or v is None:
            print(f"  {k}: {v}")
        elif isinstance(v, (int, float)):
            print(f"  {k}: {v:.6g}{unit(k)}")
        elif isinstance(v, (list, tuple)) and len(v) <= 8 and all(isinstance(x, (int, float)) for x in v):
            print(f"  {k}: [" + ", ".join(f"{x:.4g}" for x in v) + "]" + unit(k))
        elif isinstance(v, (list, tuple)) and any(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
            nums = [float(x) for x in v if isinstance(x, (int, float)) and not isinstance(x, bool)]
            u = unit(k)
            print(f"  {k}: {len(v)} values, first {nums[0]:.4g}{u}, last {nums[-1]:.4g}{u}, min {min(nums):.4g}{u}, "
                  f"max {max(nums):.4g}{u}" + (f" (of the {len(nums)} non-empty)" if len(nums) < len(v) else ""))
        elif isinstance(v, (list, tuple)) and v and all(isinstance(x, str) for x in v):
            counts = {x: v.count(x) for x in dict.fromkeys(v)}
            print(f"  {k}: " + ", ".join(f"{n} {x}" for x, n in counts.items()))
        elif isinstance(v, (list, tuple)) and v and all(isinstance(r, (list, tuple)) for r in v):
            nums = [float(x) for r in v for x in r if isinstance(x, (int, float)) and not isinstance(x, bool)]
            shape = f"{len(v)} x {max(len(r) for r in v)}"
            u = unit(k)
            print(f"  {k}: {shape} values" + (f", min {min(nums):.4g}{u}, max {max(nums):.4g}{u}" if nums else
                                              " (none finite)"))
        elif isinstance(v, (list, tuple)):
            print(f"  {k}: {len(v)} entries (see summary.json)")
    print("  files: " + ", ".join(str(f) for f in s.get("files", [])))


def run(args) -> int:
    import json

    from ..io import to_jsonable
    from ..studies.run import run as run_study

    from ..io import check_output_dir

    check_output_dir(args.out)
    s = run_study(args.case, out=args.out, progress=not args.no_progress)
    if args.json:
        print(json.dumps(to_jsonable(s), allow_nan=False))
        return 0
    if s.get("study") != "effective_barrier":
        _print_generic(s)
        return 0
    unit = s.get("current_unit", "")
    print(f"{s.get('title') or s['study']}: {s['study']} ({s['seconds']:.1f} s)")
    m = s.get("model", {})
    if "sigma_T_ref" in m:
        print(f"  magnet: sigma = {m['sigma_T_ref']:.4g} at T_ref = {s['T_ref']:g} K, h = {m['h']:.4g}; "
              f"coupler {m.get('coupler')}, axial = {m.get('axial')}")
    _print_model(m)
    print(f"  temperatures {s['temperatures'][-1]:g}..{s['temperatures'][0]:g} K "
          f"(sigma {s['sigma_window'][0]:.3g}..{s['sigma_window'][1]:.3g}), {len(s['current'])} currents")
    barriers = [(J, E) for J, E in zip(s["current"], s["barrier_kT"]) if E is not None]
    if barriers:
        J0, E0 = min(barriers, key=lambda t: abs(t[0]))
        print(f"  E_eff = {E0:.4g} kT(T_ref) at J = {J0:.3g} {unit} (Arrhenius fit over the temperatures)")
    if s.get("critical_current") is not None:
        print(f"  Jc = {_fmt(s['critical_current'])} ± {_fmt(s['critical_current_err'], '.2g')} {unit}, "
              f"b = {_fmt(s['exponent'])} ± {_fmt(s['exponent_err'], '.2g')}  [{s['critical_current_definition']}]")
    else:
        print(f"  Jc, b: not reported ({s['critical_current_definition']})")
    print(f"  Jc (T = 0 instability, {s['critical_current_T0_kind']}) = {_fmt(s['critical_current_T0'])} {unit}")
    plf = s.get("power_law_fit")
    if plf and plf["passes_check"] and s.get("critical_current_source") != "fit":
        print(f"  power-law fit of E_eff: Jc = {_fmt(plf['critical_current'])} {unit}, b = {_fmt(plf['exponent'])} "
              f"± {_fmt(plf['exponent_err'], '.2g')}")
    near = s.get("exact_barrier_near_Jc")
    if near and s.get("critical_current_source") != "exact":
        print(f"  exact U_d barrier near its end: Jc = {near['critical_current']:.4g} {unit}, "
              f"local exponent b = {near['exponent']:.3f} ± {near['exponent_err']:.1g} ({near['points']} points)")
    wer = s.get("wer")
    if wer:
        k = min(range(len(wer["pulse_ns"])), key=lambda i: abs(wer["pulse_ns"][i] - 10.0))
        cells = ", ".join(f"J = {J:.3g}: " + (f"{row[k]:.3g}" if row[k] is not None else "not resolved")
                          for J, row in zip(wer["current"], wer["wer"]))
        print(f"  WER after a {wer['pulse_ns'][k]:g} ns pulse at {wer['T_K']:g} K: {cells}")
    rp = s.get("ramp")
    if rp:
        f, e = rp["fit"], rp["exact"]
        print(f"  current ramps {', '.join(f'{r:.3g}' for r in rp['rates'])} {rp['rate_unit']}: median switching "
              f"currents {', '.join(f'{m:.4g}' for m in rp['median_current'])}; the usual b = 1 fit gives "
              f"Delta = {f['delta_kT']:.3g} kT and J_c0 = {f['J_c0']:.4g} (exact: {e['delta_kT']:.3g} kT, "
              f"{e['J_c0']:.4g})")
    rd = s.get("read_disturb")
    if rd:
        cells = ", ".join(f"J = {J:.3g}: {p:.3g}" for J, p in zip(rd["current"], rd["probability_per_read"]))
        print(f"  read disturb per {rd['pulse_ns']:g} ns read at {rd['T_K']:g} K: {cells}")
    print("  files: " + ", ".join(s["files"]))
    return 0
