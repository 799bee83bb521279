"""Reproduced published figures, one module per source figure (or group of figures).

A figure module in this package defines ``FIGURES = {name: function}``; each function has the
signature ``function(outdir: pathlib.Path) -> dict`` where the returned dict holds at least
``"files"`` (list of written paths) and the figure's key numbers (which the tests assert).  The
first line of the function's docstring is its one-line description.  Modules are discovered, so
adding a figure never requires editing a shared list.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from ..errors import ParameterError

__all__ = ["available", "make_figures", "registry"]


def registry() -> dict:
    """``{name: function}`` of every figure the package reproduces."""
    reg = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for name, fn in getattr(mod, "FIGURES", {}).items():
            if name in reg:
                raise RuntimeError(f"figure name {name!r} defined twice")
            reg[name] = fn
    return dict(sorted(reg.items()))


def available() -> dict:
    """``{name: one-line description}``."""
    return {n: (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else "" for n, fn in registry().items()}


def make_figures(outdir="out/figures", only=None) -> dict:
    """Make the figures named in ``only`` (all when None) into ``outdir``; write ``index.md``.

    ``index.md`` opens with the catalog of the seed papers' figures
    (:func:`thermokinetic.figures.catalog.catalog_markdown`), then a section per figure made.

    Returns ``{name: result dict}``.
    """
    import matplotlib

    matplotlib.use("Agg")
    from ..io import atomic_write_text

    reg = registry()
    names = list(reg) if not only else list(only)
    for n in names:
        if n not in reg:
            raise ParameterError("--only", n, f"one of {list(reg)}")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    results = {}
    for n in names:
        res = reg[n](outdir)
        res["files"] = [Path(p) for p in res.get("files", [])]
        results[n] = res
    from .catalog import catalog_markdown

    lines = ["# thermokinetic figures", "", catalog_markdown(), ""]
    for n, res in results.items():
        lines += [f"## {n}", "", available()[n], ""]
        for p in res["files"]:
            rel = Path(p).relative_to(outdir) if Path(p).is_relative_to(outdir) else p
            lines += [f"![{n}]({rel})", ""]
    atomic_write_text(outdir / "index.md", "\n".join(lines))
    return results
