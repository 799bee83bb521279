"""Input validation with messages that name the parameter and its allowed range.

Every public entry point of the package validates its input through these helpers, so that a
user sees e.g. ``alpha=-0.1 is invalid: must be > 0`` instead of a NaN or a traceback deep in
a solver.  The CLI turns :class:`ParameterError` into a one-line message and exit status 2.
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np

__all__ = [
    "ParameterError",
    "check_finite",
    "check_positive",
    "check_nonnegative",
    "check_range",
    "check_choice",
    "check_unit_vector",
]


class ParameterError(ValueError):
    """A parameter outside its allowed range.

    Parameters
    ----------
    name : str
        Name of the offending parameter, as the user spells it.
    value : object
        The value that was given.
    allowed : str
        Human-readable description of what would work (``"> 0"``, ``"one of ['a', 'b']"``).
    hint : str, optional
        Extra advice (what to change to make it work).
    """

    def __init__(self, name: str, value, allowed: str, hint: str | None = None):
        self.name = name
        self.value = value
        self.allowed = allowed
        self.hint = hint
        msg = f"{name}={_fmt(value)} is invalid: must be {allowed}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


def _fmt(value) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, precision=6, separator=", ")
        return f"array(shape={value.shape})"
    return repr(value)


def _as_real(name: str, value) -> float:
    # strict: a bool is not a number, and neither is a string (even "10e-9")
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise ParameterError(name, value, "a real number (not a bool or a string)")
    if not isinstance(value, (Real, np.floating, np.integer)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ParameterError(name, value, "a real number") from None
    return float(value)


def check_finite(name: str, value) -> float:
    """Return ``float(value)``; raise :class:`ParameterError` if it is not a finite real."""
    v = _as_real(name, value)
    if not math.isfinite(v):
        raise ParameterError(name, value, "a finite real number")
    return v


def check_positive(name: str, value) -> float:
    """Finite and strictly positive."""
    v = check_finite(name, value)
    if not v > 0:
        raise ParameterError(name, value, "> 0")
    return v


def check_nonnegative(name: str, value) -> float:
    """Finite and >= 0."""
    v = check_finite(name, value)
    if not v >= 0:
        raise ParameterError(name, value, ">= 0")
    return v


def check_range(name: str, value, lo=None, hi=None, *, lo_open=False, hi_open=False) -> float:
    """Finite and inside ``[lo, hi]`` (ends open when ``lo_open`` / ``hi_open``)."""
    v = check_finite(name, value)
    ok = True
    if lo is not None:
        ok &= v > lo if lo_open else v >= lo
    if hi is not None:
        ok &= v < hi if hi_open else v <= hi
    if not ok:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        raise ParameterError(name, value, f"in {left}{lo_s}, {hi_s}{right}")
    return v


def check_choice(name: str, value, choices) -> object:
    """``value`` must be one of ``choices``."""
    choices = list(choices)
    if value not in choices:
        raise ParameterError(name, value, f"one of {choices}")
    return value


def check_unit_vector(name: str, value, *, normalize: bool = True) -> np.ndarray:
    """A 3-vector with finite, non-zero norm; returned normalized."""
    a = np.asarray(value, dtype=float)
    if a.shape != (3,) or not np.all(np.isfinite(a)):
        raise ParameterError(name, value, "a finite 3-vector")
    n = np.linalg.norm(a)
    if n == 0:
        raise ParameterError(name, value, "a non-zero 3-vector")
    if not normalize and abs(n - 1) > 1e-12:
        raise ParameterError(name, value, "a unit vector")
    return a / n
