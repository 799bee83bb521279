"""Document the output fields: ``thermokinetic fields [NAME ...] [--json]``.

Prints the unit and meaning of every field a study writes to ``summary.json`` (and of every
``table.csv`` column, ``table.<column>``, and of the ``accumulate`` summary), or of the named ones:
the same documentation as the ``fields`` section of each ``summary.json`` and the docs page
``outputs``.  An unknown name is refused (exit 2) with the closest documented names.
"""
from __future__ import annotations

COMMAND = "fields"
HELP = "unit and meaning of study output fields (summary.json keys, table.csv columns)"


def add_arguments(p):
    p.add_argument("names", nargs="*", help="field names (dotted, e.g. critical_current, wer.pulse_ns, "
                   "table.rate); none: all")
    p.add_argument("--json", action="store_true", help="print {name: {unit, meaning}} as JSON")


def run(args) -> int:
    import difflib
    import json

    from ..errors import ParameterError
    from ..studies.fields import ACCUMULATE_FIELDS, FIELDS

    docs = {**{f"accumulate.{k}": v for k, v in ACCUMULATE_FIELDS.items()}, **FIELDS}
    names = args.names or list(docs)
    for n in names:
        if n not in docs:
            near = difflib.get_close_matches(n, list(docs), n=3)
            raise ParameterError("field", n, "a documented output field (thermokinetic fields lists them)",
                                 ("closest: " + ", ".join(near)) if near else None)
    if args.json:
        print(json.dumps({n: {"unit": docs[n][0], "meaning": docs[n][1]} for n in names}, indent=1))
        return 0
    width = max(len(n) for n in names)
    for n in names:
        unit, meaning = docs[n]
        u = {"": "dimensionless", "-": "text"}.get(unit, unit)
        print(f"{n:<{width}}  [{u}]  {meaning}")
    return 0
