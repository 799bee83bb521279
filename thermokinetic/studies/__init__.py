"""Studies: sweeps of independent points (DESIGN §4) and the study modules built on them.

* :func:`run_sweep`, :func:`load_sweep_case`, :class:`SweepResult` (:mod:`.sweep`) — a Cartesian grid
  of points run serially, in a process pool or on a Dask cluster; resumable, one result file per point;
* :data:`POINT_KINDS`, :class:`PointKind`, :func:`register_point_kind` (:mod:`.points`) — what a point
  computes.

Names are imported lazily (``import thermokinetic.studies`` stays cheap).
"""
from __future__ import annotations

import importlib

_LAZY = {
    "run_sweep": ".sweep", "load_sweep_case": ".sweep", "SweepCase": ".sweep", "SweepResult": ".sweep",
    "SweepExecutorError": ".sweep",
    "POINT_KINDS": ".points", "PointKind": ".points", "Output": ".points", "register_point_kind": ".points",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
