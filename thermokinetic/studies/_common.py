"""Small helpers shared by the study modules: per-point disk cache, progress bars, atomic files.

The cache keeps one JSON file per finished point, named by :func:`thermokinetic.config.config_hash`
of the point's full configuration and written atomically (:mod:`thermokinetic.io`), so an
interrupted study (Ctrl-C, a crash, a ParameterError at a later point) keeps every point already
computed and a rerun recomputes only the missing ones.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from ..config import config_hash
from ..errors import ParameterError
from ..io import atomic_write_bytes, atomic_write_text, read_json, to_jsonable, write_json

__all__ = ["PointCache", "progress_bar", "save_figure", "write_csv", "check_temperatures", "finite_or_none"]


class PointCache:
    """One JSON file per computed point under ``directory`` (``None``: no caching, in memory only).

    Parameters
    ----------
    directory : path or None
        Folder for the point files (created on the first write).
    namespace : str
        Mixed into every key (e.g. the study kind and version) so studies never share entries.
    """

    def __init__(self, directory=None, namespace: str = ""):
        self.directory = None if directory is None else Path(directory)
        self.namespace = namespace
        self._mem: dict = {}
        self.hits = 0
        self.misses = 0

    def _key(self, config: dict) -> str:
        return config_hash({"ns": self.namespace, **to_jsonable(config)})

    def get(self, config: dict):
        """The stored result for ``config`` or ``None``."""
        key = self._key(config)
        if key in self._mem:
            self.hits += 1
            return self._mem[key]
        if self.directory is not None:
            path = self.directory / f"{key}.json"
            if path.is_file():
                try:
                    data = read_json(path)
                except (OSError, json.JSONDecodeError):
                    data = None
                if data is not None and data.get("config") == to_jsonable(config):
                    self._mem[key] = data["result"]
                    self.hits += 1
                    return data["result"]
        self.misses += 1
        return None

    def put(self, config: dict, result: dict) -> None:
        """Store ``result`` (JSON-serializable; NaN written as null) for ``config``."""
        key = self._key(config)
        result = _nan_to_none(to_jsonable(result))
        self._mem[key] = result
        if self.directory is not None:
            write_json(self.directory / f"{key}.json", {"config": to_jsonable(config), "result": result})


def _nan_to_none(obj):
    if isinstance(obj, dict):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_nan_to_none(v) for v in obj]
    if isinstance(obj, float) and not np.isfinite(obj):
        return None
    return obj


def finite_or_none(x):
    """``float(x)`` if finite, else ``None`` (JSON has no NaN)."""
    if x is None:
        return None
    x = float(x)
    return x if np.isfinite(x) else None


def progress_bar(total: int, enabled: bool, desc: str):
    """A tqdm bar (stderr) when ``enabled``, else a no-op object with the same methods."""
    if enabled:
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=desc, leave=False, dynamic_ncols=True)

    class _Null:
        def update(self, n=1):
            pass

        def set_postfix_str(self, s):
            pass

        def close(self):
            pass

    return _Null()


def save_figure(fig, path) -> Path:
    """Write a matplotlib figure as PNG atomically; returns the path."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return atomic_write_bytes(path, buf.getvalue())


def write_csv(path, columns: dict, header=None) -> Path:
    """Write ``{name: 1D array}`` as CSV atomically (missing values as empty cells, never NaN); ``header``:
    the column titles (default the names; the studies give ``name [unit]``)."""
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names if header is None else list(header))
    for k in range(n):
        row = []
        for c in names:
            v = columns[c][k]
            if isinstance(v, (float, np.floating)):
                row.append("" if not np.isfinite(v) else repr(float(v)))
            else:
                row.append("" if v is None else str(v))
        w.writerow(row)
    return atomic_write_text(path, buf.getvalue())


def check_temperatures(name: str, temperatures) -> np.ndarray:
    """1D array of finite temperatures > 0 [K]; raises :class:`ParameterError` naming ``name``."""
    T = np.atleast_1d(np.asarray(temperatures, dtype=float))
    if T.ndim != 1 or T.size == 0:
        raise ParameterError(name, temperatures, "a non-empty list of temperatures [K]")
    if not np.all(np.isfinite(T)) or np.any(T <= 0):
        bad = T[~(np.isfinite(T) & (T > 0))][0]
        raise ParameterError(name, float(bad), "> 0 K (every temperature must be finite and positive)")
    return T
