"""Regenerate the published figures the package reproduces.

``thermokinetic figures`` writes every figure (PNG) into ``--out`` with an ``index.md`` page;
``thermokinetic figures --only NAME [--only NAME2]`` writes just those.  ``--list`` prints the
available names.
"""
from __future__ import annotations

COMMAND = "figures"
HELP = "regenerate published figures (PNG) with an index page"


def add_arguments(p):
    p.add_argument("--only", action="append", metavar="NAME", help="figure name (repeatable)")
    p.add_argument("--out", default="out/figures", help="output folder (default: out/figures)")
    p.add_argument("--list", action="store_true", help="list figure names and exit")
    p.add_argument("--json", action="store_true", help="print key numbers as JSON")


def run(args) -> int:
    import json

    from ..figures import available, make_figures
    from ..io import to_jsonable

    if args.list:
        for name, doc in available().items():
            print(f"{name:24s} {doc}")
        return 0
    from ..io import check_output_dir

    check_output_dir(args.out)  # as written and as resolved ('o/../file', found by the property test)
    results = make_figures(args.out, only=args.only)
    if args.json:
        print(json.dumps(to_jsonable(results), indent=2))
    else:
        for name, res in results.items():
            print(f"{name}: {', '.join(str(p) for p in res['files'])}")
    return 0
