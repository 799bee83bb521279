"""Results files: atomic writes (write to a temporary file in the same folder, then rename)."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["check_output_dir", "atomic_write_text", "atomic_write_bytes", "write_json", "read_json", "to_jsonable"]


def check_output_dir(path, name: str = "--out") -> Path:
    """Validate an output folder before any computation: it is a folder (or can be created as one)
    and is writable.  Raises :class:`~thermokinetic.errors.ParameterError` naming ``name``."""
    from .errors import ParameterError

    p = Path(path)
    # as written ('file/..' is not a folder, although it resolves to one) and as the OS resolves it
    # ('o/../file' is ./file even before 'o' exists: the written form passed, then mkdir raised
    # FileExistsError; found by the property tests of sweep and figures)
    for cand in dict.fromkeys((p, p.resolve())):
        probe = cand
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if probe.exists() and not probe.is_dir():
            raise ParameterError(name, str(path), "a folder (or a path that can be created as one)",
                                 f"{probe} exists and is not a folder")
        if not os.access(probe, os.W_OK | os.X_OK):
            raise ParameterError(name, str(path), "a writable folder", f"no write permission in {probe}")
    return p


def _umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux ``/proc``), else by
    the set-and-restore idiom."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (a reader never sees a partial file).

    The file gets the user's normal permissions (``0666 & ~umask``, 0644 under the usual 022), not
    the 0600 of the temporary file it is written through."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def atomic_write_text(path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def to_jsonable(obj):
    """Convert numpy scalars/arrays (recursively) to plain Python for ``json``; NaN is refused."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    return obj


def write_json(path, obj) -> Path:
    return atomic_write_text(path, json.dumps(to_jsonable(obj), indent=2, allow_nan=False) + "\n")


def read_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
