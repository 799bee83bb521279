"""Run (or resume) a parameter sweep described by a TOML case file.

    thermokinetic sweep cases/sweep_escape.toml                  # serial
    thermokinetic sweep cases/sweep_escape.toml --workers 4      # local process pool
    thermokinetic sweep CASE.toml --scheduler tcp://host:8786    # Dask cluster (pip install thermokinetic[dask])

Each point is written to OUT/points/<hash>.json as soon as it is done; a restart computes only the
missing points.  The grid is gathered into OUT/table.csv, OUT/results.npz and OUT/results.json.
Exit status: 0 all points done, 1 some points failed (see OUT/points/*.error.json) or the pool /
cluster broke part-way (rerun to resume), 2 bad input (including an unreachable scheduler, and a grid
whose every point refused its parameters).
"""
from __future__ import annotations

COMMAND = "sweep"
HELP = "parameter sweep over a grid of points (serial, process pool or Dask), resumable"


def add_arguments(p):
    p.add_argument("case", help="sweep case file (TOML: [sweep], [base], [axes], [numerics])")
    p.add_argument("--workers", type=int, default=None, help="processes of a local pool (default: serial)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the scheduler (default 10)")
    p.add_argument("--out", default=None, help="output folder (default: [sweep] out of the case)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print one JSON object (summary and table)")


def run(args) -> int:
    import json
    import sys

    from ..io import to_jsonable
    from ..studies.sweep import SweepExecutorError, run_sweep

    try:
        if args.out is not None:
            from ..io import check_output_dir

            check_output_dir(args.out)
        res = run_sweep(args.case, workers=args.workers, scheduler=args.scheduler, out=args.out,
                        progress=not (args.no_progress or args.json), timeout=args.timeout)
    except SweepExecutorError as exc:
        print(f"thermokinetic sweep: error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(to_jsonable({
            "out": res.out, "table": res.table_csv, "arrays": res.arrays_npz, "metadata": res.metadata_json,
            "n_points": res.n_points, "n_computed": res.n_computed, "n_reused": res.n_reused,
            "n_failed": res.n_failed, "failures": res.failures, "rows": res.rows}), allow_nan=False))
    else:
        print(res.summary())
    if not res.ok:
        refused = [f for f in res.failures if str(f.get("error", "")).startswith("ParameterError")]
        if len(refused) == res.n_points:
            # every point refused its parameters: bad input, not a failure to retry
            first = refused[0]
            # also with --json (found by the property test: exit 2 with nothing on stderr); stdout keeps
            # only the JSON
            print(f"thermokinetic sweep: error: every point was refused; first {first['point']}: "
                  f"{str(first['error']).split(': ', 1)[-1]}", file=sys.stderr)
            return 2
        if not args.json:
            print(f"thermokinetic sweep: {res.n_failed} of {res.n_points} points failed "
                  f"(details in {res.out / 'points'}/*.error.json; rerun to retry them)", file=sys.stderr)
        return 1
    return 0
