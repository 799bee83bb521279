"""Case files are data: TOML, validated against a schema, unknown keys rejected.

A schema is a dict ``{key: Field(...)}`` or ``{key: {nested schema}}``.  :func:`validate` returns a
new dict with defaults filled in and values converted/checked, or raises
:class:`~thermokinetic.errors.ParameterError` naming the full dotted key (``"magnet.alpha"``) and
the allowed range.  Example::

    SCHEMA = {
        "magnet": {
            "sigma": Field(float, required=True, check=check_nonnegative),
            "alpha": Field(float, 1.0, check=check_positive),
        },
        "out": Field(str, "out"),
    }
    cfg = validate(load_toml("cases/x.toml"), SCHEMA)
"""
from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .errors import ParameterError

__all__ = ["Field", "validate", "load_toml", "config_hash", "REQUIRED"]

REQUIRED = object()


@dataclass(frozen=True)
class Field:
    """One scalar/list entry of a schema.

    Parameters
    ----------
    kind : type or tuple of types
        Expected Python type(s) after TOML parsing (``float`` also accepts ints).
    default : object
        Default value; ``REQUIRED`` (or ``required=True``) makes the key mandatory.
    check : callable, optional
        ``check(name, value) -> value`` (e.g. :func:`thermokinetic.errors.check_positive`); it raises
        :class:`ParameterError` for bad values and may convert them.
    choices : sequence, optional
        Allowed values.
    doc : str
        One-line description (used in error messages and documentation).
    """

    kind: Any = float
    default: Any = REQUIRED
    check: Callable | None = None
    choices: tuple | None = None
    required: bool = False
    doc: str = ""
    extra: dict = field(default_factory=dict)


def load_toml(path) -> dict:
    """Read a TOML file; a missing file or a syntax error is a clear :class:`ParameterError`."""
    path = Path(path)
    if not path.is_file():
        raise ParameterError("case file", str(path), "an existing TOML file")
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError("case file", str(path), f"valid TOML ({exc})") from None


def _type_ok(kind, value) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False
    if float in kinds and isinstance(value, int):
        return True
    return isinstance(value, kinds)


def _type_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def validate(data: dict, schema: dict, where: str = "") -> dict:
    """Validate ``data`` against ``schema``; return a new dict with defaults filled in."""
    if not isinstance(data, dict):
        raise ParameterError(where or "case", data, "a table")
    unknown = sorted(set(data) - set(schema))
    if unknown:
        name = f"{where}.{unknown[0]}" if where else unknown[0]
        raise ParameterError(name, data[unknown[0]], f"a known key; allowed here: {sorted(schema)}",
                             "unknown key")
    out = {}
    for key, spec in schema.items():
        name = f"{where}.{key}" if where else key
        if isinstance(spec, dict):
            out[key] = validate(data.get(key, {}), spec, name)
            continue
        if key not in data:
            if spec.required or spec.default is REQUIRED:
                raise ParameterError(name, None, f"given ({spec.doc or _type_name(spec.kind)})", "missing key")
            out[key] = copy.deepcopy(spec.default)
            continue
        value = data[key]
        if not _type_ok(spec.kind, value):
            raise ParameterError(name, value, f"of type {_type_name(spec.kind)}")
        if spec.kind is float or (isinstance(spec.kind, tuple) and float in spec.kind and isinstance(value, int)
                                   and not isinstance(value, bool) and int not in spec.kind):
            value = float(value)
        if spec.choices is not None and value not in spec.choices:
            raise ParameterError(name, value, f"one of {list(spec.choices)}")
        if spec.check is not None:
            value = spec.check(name, value)
        out[key] = value
    return out


def config_hash(config: dict, length: int = 16) -> str:
    """Stable hash of a (JSON-serializable) configuration: key order does not matter."""
    blob = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:length]
