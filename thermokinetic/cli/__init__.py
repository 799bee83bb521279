"""Command-line interface: ``thermokinetic COMMAND [options]``.

The CLI is a thin wrapper over library functions.  Each command lives in its own module of this
package and is discovered at start-up; a command module defines

* ``COMMAND`` (str): the sub-command name, e.g. ``"escape"``;
* ``HELP`` (str): one line for ``thermokinetic --help``;
* ``add_arguments(parser)``: declares its options on an :class:`argparse.ArgumentParser`;
* ``run(args) -> int``: does the work and returns the exit status.

Command modules import heavy dependencies (scipy, fipy, matplotlib) inside ``run`` so that
``--help`` stays fast.  Bad input raises :class:`thermokinetic.errors.ParameterError` (or any
``ValueError`` subclass raised by validation); :func:`main` prints it as one line and exits 2.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ..errors import ParameterError

__all__ = ["main", "commands"]


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are one line and exit status 2."""

    def error(self, message):  # pragma: no cover - exercised through main()
        self.exit(2, f"{self.prog}: error: {message}\n")


def number_list(option: str, text, allowed: str) -> list:
    """The finite numbers of a comma-separated option value, or a :class:`ParameterError` naming ``option``."""
    import math

    try:
        vals = [float(t) for t in str(text).split(",") if t.strip()]
    except ValueError:
        vals = []
    if not vals or not all(math.isfinite(v) for v in vals):
        raise ParameterError(option, text, allowed)
    return vals


def commands() -> dict:
    """Discover command modules: ``{name: module}``."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "COMMAND") and hasattr(mod, "run"):
            found[mod.COMMAND] = mod
    return dict(sorted(found.items()))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="thermokinetic",
        description="Spin-transfer thermokinetics: Fokker-Planck on the sphere, generalized LLG, "
        "spin-accumulation solvers.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, mod in commands().items():
        p = sub.add_parser(name, help=mod.HELP, description=getattr(mod, "__doc__", None) or mod.HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        mod.add_arguments(p)
        p.set_defaults(_module=mod)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "_module", None) is None:
        parser.print_help()
        return 2
    try:
        status = args._module.run(args)
    except (ParameterError, ValueError, FileNotFoundError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"thermokinetic {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"thermokinetic {args.command}: interrupted", file=sys.stderr)
        return 130
    return 0 if status is None else int(status)


def _entry():  # pragma: no cover
    try:
        sys.exit(main())
    except BrokenPipeError:  # the reader went away (``| head``): no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
