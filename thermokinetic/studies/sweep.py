r"""Parameter sweeps: a Cartesian grid of independent points, resumable, serial / process pool / Dask.

A sweep case (TOML) names a point kind (:mod:`thermokinetic.studies.points`), its fixed parameters
and the axes of the grid::

    [sweep]
    kind = "escape"              # point kind
    out = "out/sweeps/escape"    # output folder (relative to the working directory)

    [base]                       # fixed parameters of every point
    sigma = 8.0
    alpha = 1.0

    [axes]                       # grid = Cartesian product, in this order
    chi_cos = [0.0, 0.5, 1.0]
    h = [0.0, 0.1, 0.2]

    [numerics]                   # optional
    level = 4

Every parameter of the kind (physical or numerical) may be an axis; a key given as an axis must not
also be in ``[base]``/``[numerics]``; unknown keys are rejected.

Execution (DESIGN §4): the points are tasks sent through a :class:`concurrent.futures.Executor` —
in-process (``workers`` in ``None, 0, 1``), a :class:`~concurrent.futures.ProcessPoolExecutor`
(``workers = N``), or a Dask cluster (``scheduler = "tcp://host:8786"``, via
``distributed.Client(address).get_executor()``; needs ``pip install thermokinetic[dask]``).  A task
is plain data (the point's configuration) sent to a package-level worker function.

Results: the configuration of a point (kind, version, parameters, numerics) is hashed with
:func:`thermokinetic.config.config_hash`; the driver writes ``points/<hash>.json`` (configuration and
result) atomically as soon as the point completes, so an interrupted sweep (Ctrl-C, a lost cluster)
keeps every finished point and a restart computes only the missing ones.  A point that raises is
recorded in ``points/<hash>.error.json`` (message and traceback), the others go on, and it is retried
on the next run.  At the end the grid is gathered into

* ``table.csv`` — one row per point in grid order (first axis slowest), axis columns first, then the
  outputs, ``status`` (``ok`` / ``error`` / ``missing``), ``error`` and ``hash``; missing values are
  empty cells, never NaN;
* ``results.npz`` — one array per output, shaped by the axes (float outputs NaN where
  ``status != "ok"``, int outputs −1, bool False, str ""), plus ``status``, ``axes_names``,
  ``axis_<name>`` (coordinates) and ``metadata`` (a JSON string); ``allow_pickle`` is not needed;
* ``results.json`` — the same metadata: dimensions, coordinates, variables with dtype/units/fill,
  the fixed parameters and the counts.

All three files are written atomically (:mod:`thermokinetic.io`).
"""
from __future__ import annotations

import os

import concurrent.futures as cf
import csv
import io
import itertools
import json
import math
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..config import Field, config_hash, load_toml, validate
from ..errors import ParameterError, check_positive
from ..io import atomic_write_bytes, atomic_write_text, read_json, to_jsonable, write_json
from .points import POINT_KINDS, PointKind

__all__ = ["run_sweep", "load_sweep_case", "SweepCase", "SweepResult", "SweepExecutorError", "SerialExecutor",
           "make_executor", "point_config", "FORMAT"]

FORMAT = "thermokinetic-sweep/1"

_SWEEP_SCHEMA = {
    "kind": Field(str, "escape", doc="point kind"),
    "out": Field(str, "", doc="output folder"),
    "title": Field(str, "", doc="free text"),
}


class SweepExecutorError(RuntimeError):
    """The executor itself failed (process pool broken, Dask cluster lost) part-way through a sweep.

    Every point finished before the failure is on disk; running the sweep again resumes it.
    """


@dataclass(frozen=True)
class SweepCase:
    """A validated sweep case.

    Attributes
    ----------
    kind : PointKind
    base : dict
        Fixed physical parameters (defaults filled in; axis keys excluded).
    numerics : dict
        Fixed numerical parameters (defaults filled in; axis keys excluded).
    axes : dict
        ``{name: [values]}`` in grid order (first axis slowest).
    out : str
        Output folder from the case (``""`` if not given).
    title : str
    """

    kind: PointKind
    base: dict
    numerics: dict
    axes: dict
    out: str = ""
    title: str = ""

    @property
    def shape(self) -> tuple:
        return tuple(len(v) for v in self.axes.values())

    @property
    def n_points(self) -> int:
        return math.prod(self.shape)

    def points(self):
        """Yield ``(index_tuple, {axis: value})`` in grid order."""
        names = list(self.axes)
        ranges = [range(len(v)) for v in self.axes.values()]
        for idx in itertools.product(*ranges):
            yield idx, {n: self.axes[n][i] for n, i in zip(names, idx)}

    def as_dict(self) -> dict:
        return {"sweep": {"kind": self.kind.name, "out": self.out, "title": self.title},
                "base": dict(self.base), "numerics": dict(self.numerics), "axes": dict(self.axes)}


def load_sweep_case(case) -> SweepCase:
    """Validate a sweep case given as a dict (parsed TOML) or a path to a TOML file.

    Raises
    ------
    ParameterError
        Unknown tables or keys, an unknown point kind, an empty or repeated axis value, a key given
        both as an axis and as a fixed value, or any parameter outside its range (the message names
        the dotted key, e.g. ``axes.h`` or ``base.alpha``).
    """
    if isinstance(case, (str, Path)):
        case = load_toml(case)
    if not isinstance(case, dict):
        raise ParameterError("case", type(case).__name__, "a dict or a path to a TOML file")
    unknown = sorted(set(case) - {"sweep", "base", "axes", "numerics"})
    if unknown:
        raise ParameterError(unknown[0], case[unknown[0]], "a known table; allowed: "
                             "['axes', 'base', 'numerics', 'sweep']", "unknown key")
    head = validate(case.get("sweep", {}), _SWEEP_SCHEMA, "sweep")
    if head["kind"] not in POINT_KINDS:
        raise ParameterError("sweep.kind", head["kind"], f"one of {sorted(POINT_KINDS)}")
    kind = POINT_KINDS[head["kind"]]
    axes_in = case.get("axes", {})
    if not isinstance(axes_in, dict) or not axes_in:
        raise ParameterError("axes", axes_in, "a table with at least one axis (name = [values])")
    schema = kind.schema
    axes = {}
    for name, values in axes_in.items():
        where = f"axes.{name}"
        if name not in schema:
            raise ParameterError(where, values, f"a parameter of kind {kind.name!r}; allowed: {sorted(schema)}",
                                 "unknown key")
        if not isinstance(values, list) or not values:
            raise ParameterError(where, values, "a non-empty list of values")
        vals = [validate({name: v}, {name: schema[name]}, "axes")[name] for v in values]
        for a, b in itertools.combinations(range(len(vals)), 2):
            if vals[a] == vals[b]:
                raise ParameterError(where, values, "a list without repeated values")
        axes[name] = vals
    for table, sub in (("base", kind.params), ("numerics", kind.numerics)):
        given = case.get(table, {})
        if isinstance(given, dict):
            both = sorted(set(given) & set(axes))
            if both:
                raise ParameterError(f"{table}.{both[0]}", given[both[0]], "given only once: it is also an axis")
    base = validate(case.get("base", {}), {k: v for k, v in kind.params.items() if k not in axes}, "base")
    numerics = validate(case.get("numerics", {}), {k: v for k, v in kind.numerics.items() if k not in axes},
                        "numerics")
    return SweepCase(kind, base, numerics, axes, head["out"], head["title"])


def point_config(case: SweepCase, values: dict) -> dict:
    """The full configuration of one point (what is hashed and sent to the worker)."""
    params = {k: values.get(k, case.base.get(k)) for k in case.kind.params}
    numerics = {k: values.get(k, case.numerics.get(k)) for k in case.kind.numerics}
    return {"kind": case.kind.name, "version": case.kind.version, "params": params, "numerics": numerics}


def _compute_point(fn, config: dict):
    """Package-level worker: run one point; exceptions become ``("error", message, traceback)``."""
    try:
        result = fn({**config["params"], **config["numerics"]})
        return "ok", to_jsonable(result), None
    except Exception as exc:  # noqa: BLE001 - a failing point must not stop the sweep
        msg = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return "error", msg, traceback.format_exc()


class SerialExecutor(cf.Executor):
    """The trivial executor: ``submit`` runs the call at once in this process (a finished Future)."""

    def __init__(self):
        self._shutdown = False

    def submit(self, fn, /, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError("cannot submit after shutdown")
        fut = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt / SystemExit stop the sweep here
            fut.set_exception(exc)
        return fut

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True


def _connect_dask(address: str, timeout: float):
    try:
        import distributed
    except ImportError:
        raise ParameterError("scheduler", address, "used with Dask installed",
                             "pip install thermokinetic[dask]") from None
    allowed = "a reachable Dask scheduler address (e.g. tcp://host:8786)"
    try:  # a malformed address is refused before a Client exists (a half-built Client's finalizer
        # would block for 20 s at exit and print a traceback)
        from distributed.comm.addressing import get_address_host_port, parse_address

        parse_address(address)
        get_address_host_port(address if "://" in address else "tcp://" + address)
    except (ValueError, TypeError) as exc:
        raise ParameterError("scheduler", address, allowed, str(exc).splitlines()[0]) from None
    detail = None
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if detail is not None:
        _collect_quietly()
        raise ParameterError("scheduler", address, allowed, f"could not connect within {timeout:g} s: {detail}")
    return client


def _collect_quietly() -> None:
    """Finalize a half-built Dask client now, without its finalizer's traceback on stderr."""
    import gc
    import sys

    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _die_with_parent(parent: int) -> None:
    """Pool-worker initializer: end this worker when the sweep driver dies, even by SIGKILL (Linux
    ``PR_SET_PDEATHSIG``; elsewhere a watcher thread polls the parent), so no worker is left behind."""
    import signal
    import threading

    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        if libc.prctl(1, signal.SIGKILL) == 0:  # PR_SET_PDEATHSIG = 1
            if os.getppid() != parent:  # the parent died before the call
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass

    def watch():
        import time

        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(1.0)

    threading.Thread(target=watch, daemon=True).start()


def make_executor(workers=None, scheduler=None, timeout: float = 10.0):
    """``(executor, n_parallel, close, alive)`` for the requested back-end.

    ``close()`` releases it; ``alive()`` is false once it cannot complete tasks any more (a Dask
    client that lost its scheduler for good), so that a sweep never waits forever.

    Parameters
    ----------
    workers : int or None
        ``None``, 0 or 1: in-process; ``N > 1``: a process pool of N workers (ignored with a scheduler).
    scheduler : str or None
        Dask scheduler address; the connection is made here (before any computation) and an
        unreachable address raises :class:`ParameterError`.
    timeout : float
        Seconds to wait for the scheduler.
    """
    if workers is not None and (isinstance(workers, bool) or int(workers) != workers or workers < 0):
        raise ParameterError("workers", workers, "an integer >= 0")
    timeout = check_positive("timeout", timeout)
    if scheduler:
        if not isinstance(scheduler, str):
            raise ParameterError("scheduler", scheduler, "a Dask scheduler address string")
        client = _connect_dask(scheduler, timeout)
        n = max(1, sum(client.nthreads().values()))
        ex = client.get_executor(pure=False)

        def close():
            ex.shutdown(wait=False)
            client.close()

        def alive():
            return client.status not in ("closing", "closed")
        return ex, n, close, alive
    if workers in (None, 0, 1):
        ex = SerialExecutor()
        return ex, 1, ex.shutdown, lambda: True
    ex = cf.ProcessPoolExecutor(max_workers=int(workers), initializer=_die_with_parent, initargs=(os.getpid(),))
    # a broken pool fails its futures itself (BrokenProcessPool)
    return ex, int(workers), lambda: ex.shutdown(wait=True, cancel_futures=True), lambda: True


@dataclass
class SweepResult:
    """What :func:`run_sweep` did.

    Attributes
    ----------
    out : Path
        Output folder.
    table_csv, arrays_npz, metadata_json : Path
        The gathered files.
    n_points : int
        Grid size.
    n_computed : int
        Points computed (successfully) by this run.
    n_reused : int
        Points found valid on disk and not recomputed.
    failures : list of dict
        ``{"hash", "point", "error"}`` for each point without a result.
    rows : list of dict
        The table (values as Python objects; ``None`` where missing).
    """

    out: Path
    table_csv: Path
    arrays_npz: Path
    metadata_json: Path
    n_points: int
    n_computed: int
    n_reused: int
    failures: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def n_failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        """One line: counts and where the table is."""
        s = (f"{self.n_points} points: {self.n_computed} computed, {self.n_reused} reused, "
             f"{self.n_failed} failed; table: {self.table_csv}")
        if self.failures:
            f = self.failures[0]
            s += f"; first failure {f['point']}: {f['error']}"
        return s

    def arrays(self) -> dict:
        """The labelled arrays of ``results.npz`` as a dict."""
        with np.load(self.arrays_npz, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}


def _read_point(path: Path, config: dict, kind: PointKind):
    """The stored result if ``path`` holds a valid record of ``config``, else ``None``."""
    try:
        rec = read_json(path)
    except (OSError, ValueError):
        return None
    if not isinstance(rec, dict) or rec.get("config") != config or not isinstance(rec.get("result"), dict):
        return None
    if any(k not in rec["result"] for k in kind.outputs):
        return None
    if _check_result(kind, rec["result"]) is not None:  # e.g. a hand-edited NaN: recompute, never reuse
        return None
    return rec["result"]


def run_sweep(case, workers=None, scheduler=None, out=None, progress: bool = True,
              timeout: float = 10.0) -> SweepResult:
    """Run (or resume) a sweep and gather its table.

    Parameters
    ----------
    case : dict or path
        Sweep case (see the module docstring); validated by :func:`load_sweep_case`.
    workers : int, optional
        ``None``/0/1: serial in this process; N > 1: process pool of N workers.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``); overrides ``workers``.
    out : path, optional
        Output folder (default: ``[sweep] out`` of the case).
    progress : bool
        Show a tqdm progress bar over the points still to compute.
    timeout : float
        Seconds to wait for the Dask scheduler.

    Returns
    -------
    SweepResult

    Raises
    ------
    ParameterError
        Invalid case, no output folder, bad ``workers``, or an unreachable scheduler (raised before
        any point is computed; points already on disk are untouched).
    SweepExecutorError
        The executor broke part-way (finished points are on disk; rerun to resume).  Tasks lost with
        it are recorded as ``points/<hash>.error.json`` (``executor: ...``) and retried on the next run.
    KeyboardInterrupt
        Re-raised after cancelling the tasks not started; finished points are on disk.
    """
    sc = case if isinstance(case, SweepCase) else load_sweep_case(case)
    out = out if out is not None else sc.out
    if not out:
        raise ParameterError("out", out, "an output folder (in [sweep] out or given explicitly)")
    out = Path(out)
    pdir = out / "points"

    entries = []  # (index, values, config, hash)
    for idx, values in sc.points():
        cfg = point_config(sc, values)
        entries.append((idx, values, cfg, config_hash(cfg)))
    _check_out_layout(out, [e[3] for e in entries])

    results, errors = {}, {}
    todo = []
    for e in entries:
        res = _read_point(pdir / f"{e[3]}.json", e[2], sc.kind)
        if res is None:
            todo.append(e)
        else:
            results[e[3]] = res
    n_reused = len(results)

    # connect first: a bad scheduler address fails here, before anything is computed or written
    executor, n_par, close, alive = make_executor(workers, scheduler, timeout)
    try:
        release = _lock(out)
    except BaseException:
        close()
        raise
    try:
        return _run_locked(sc, out, pdir, entries, todo, results, errors, n_reused, executor, n_par, close, alive,
                           progress)
    finally:
        release()


#: the lock file a running sweep holds in its output folder
LOCK_NAME = ".sweep.lock"


def _check_out_layout(out: Path, hashes) -> None:
    """Refuse, before anything is computed, an output folder where a path the sweep writes has the wrong
    type (found by the property tests: ``[sweep] out`` naming a file or ``file/..``, ``--out o/../file``,
    or a file named ``points`` in the folder, ended in a FileExistsError or NotADirectoryError traceback).
    Raises :class:`ParameterError` naming ``out``."""
    from ..io import check_output_dir

    check_output_dir(out, "out")  # as written ('file/..') and as resolved ('o/../file')
    real = out.resolve()
    allowed = "a folder the sweep can write its files into"
    pdir = real / "points"
    if pdir.exists() and not pdir.is_dir():
        raise ParameterError("out", str(out), allowed, f"{pdir} exists and is not a folder")
    files = [pdir.parent / n for n in (LOCK_NAME, "sweep.json", "table.csv", "results.npz", "results.json")]
    if pdir.is_dir():
        files += [pdir / f"{h}{suffix}" for h in hashes for suffix in (".json", ".error.json")]
    for p in files:
        if p.is_dir():
            raise ParameterError("out", str(out), allowed, f"{p} is a folder, not a file")


def _pid_alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock(out: Path):
    """Take the output folder's lock (one sweep writes a folder at a time); a lock left by a process
    that no longer exists is taken over.  Returns the release function."""
    import os

    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            try:
                pid = int(path.read_text().strip() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid > 0 and pid != os.getpid() and _pid_alive(pid):
                raise ParameterError("out", str(out), "a folder no other running sweep is writing to",
                                     f"sweep process {pid} holds {path}; wait for it or use another --out") from None
            path.unlink(missing_ok=True)  # stale: its process is gone
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        return lambda: path.unlink(missing_ok=True)
    raise ParameterError("out", str(out), "a folder whose lock can be taken", f"could not create {path}")


def _run_locked(sc, out, pdir, entries, todo, results, errors, n_reused, executor, n_par, close, alive, progress):
    if not todo:
        close()
    pdir.mkdir(parents=True, exist_ok=True)
    case_hash = config_hash(sc.as_dict())
    old = out / "sweep.json"
    if old.exists():
        try:
            previous = read_json(old).get("case_hash")
        except (OSError, ValueError, AttributeError):
            previous = None
        if previous != case_hash:
            # another case's gathered outputs must not stand next to this case's sweep.json, even if
            # this run is interrupted: remove them now (its points stay, keyed by their own hashes)
            for name in ("table.csv", "results.npz", "results.json"):
                (out / name).unlink(missing_ok=True)
    write_json(out / "sweep.json", {"format": FORMAT, "case": sc.as_dict(), "case_hash": case_hash})
    n_computed = 0
    if todo:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), desc=f"sweep {sc.kind.name}", unit="pt", disable=not progress)
        # bounded number of tasks in flight: results are written promptly, Ctrl-C cancels the rest;
        # in-process, one at a time (each point is written before the next one starts)
        window = 1 if isinstance(executor, SerialExecutor) else 2 * n_par
        pending = {}
        queue = iter(todo)
        try:
            while True:
                while len(pending) < window:
                    e = next(queue, None)
                    if e is None:
                        break
                    try:
                        fut = executor.submit(_compute_point, sc.kind.fn, e[2])
                    except Exception as exc:
                        detail = f"{type(exc).__name__}: {exc}".splitlines()[0]
                        raise SweepExecutorError(
                            f"the executor failed after {n_computed} of {len(todo)} points ({detail}); "
                            f"finished points are kept in {pdir}; run the sweep again to resume") from exc
                    pending[fut] = e
                if not pending:
                    break
                done, _ = cf.wait(list(pending), timeout=1.0, return_when=cf.FIRST_COMPLETED)
                if not done and not alive():
                    raise SweepExecutorError(
                        f"the executor stopped after {n_computed} of {len(todo)} points (Dask client closed: "
                        f"scheduler lost); finished points are kept in {pdir}; run the sweep again to resume")
                for fut in done:
                    e = pending.pop(fut)
                    try:
                        status, payload, tb = fut.result()
                    except Exception as exc:  # the executor failed (worker died, cluster lost)
                        status, payload = "error", f"executor: {type(exc).__name__}: {exc}".splitlines()[0]
                        tb = traceback.format_exc()
                    h = e[3]
                    if status == "ok":
                        bad = _check_result(sc.kind, payload)
                        if bad:
                            status, payload = "error", bad
                    if status == "ok":
                        write_json(pdir / f"{h}.json", {"hash": h, "config": e[2], "result": payload})
                        (pdir / f"{h}.error.json").unlink(missing_ok=True)
                        results[h] = payload
                        n_computed += 1
                    else:
                        write_json(pdir / f"{h}.error.json", {"hash": h, "config": e[2], "error": payload,
                                                              "traceback": tb})
                        errors[h] = payload
                    bar.update(1)
        except BaseException:
            for fut in pending:
                _quietly(fut.cancel)
            raise
        finally:
            bar.close()
            _quietly(close)

    return _gather(sc, out, entries, results, errors, n_computed, n_reused)


def _quietly(fn):
    """Call ``fn()`` ignoring errors (cancelling tasks of a cluster that is already gone)."""
    try:
        fn()
    except Exception:  # noqa: BLE001
        pass


def _check_result(kind: PointKind, result) -> str | None:
    """``None`` if ``result`` has every output with the declared type (finite floats), else a message."""
    if not isinstance(result, dict):
        return f"ValueError: point kind {kind.name!r} returned {type(result).__name__}, not a dict"
    for k, o in kind.outputs.items():
        if k not in result:
            return f"ValueError: point kind {kind.name!r} returned no {k!r}"
        v = result[k]
        if v is None:
            continue  # explicitly unavailable (e.g. no error estimate): an empty cell
        ok = {"float": isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
              "int": isinstance(v, int) and not isinstance(v, bool),
              "bool": isinstance(v, bool), "str": isinstance(v, str)}[o.dtype]
        if not ok:
            return f"ValueError: point kind {kind.name!r} returned {k}={v!r} (expected a finite {o.dtype})"
    return None


def _csv_cell(value, dtype: str) -> str:
    if value is None:
        return ""
    if dtype == "bool" or isinstance(value, bool):
        return "true" if value else "false"
    if dtype == "float" or isinstance(value, float):
        return repr(float(value))
    return str(value)


def _gather(sc: SweepCase, out: Path, entries, results, errors, n_computed, n_reused) -> SweepResult:
    kind = sc.kind
    names = list(sc.axes)
    shape = sc.shape
    outputs = kind.outputs
    fills = {"float": np.nan, "int": -1, "bool": False, "str": ""}
    np_types = {"float": np.float64, "int": np.int64, "bool": np.bool_, "str": np.str_}
    arrays = {k: np.full(shape, fills[o.dtype], dtype=np_types[o.dtype] if o.dtype != "str" else object)
              for k, o in outputs.items()}
    status = np.full(shape, "missing", dtype=object)
    rows, failures = [], []
    header = names + list(outputs) + ["status", "error", "hash"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for idx, values, cfg, h in entries:
        res = results.get(h)
        st = "ok" if res is not None else ("error" if h in errors else "missing")
        err = errors.get(h) if st == "error" else None
        if st == "missing":
            err = "not computed"
        if st != "ok":
            failures.append({"hash": h, "point": values, "error": err})
        row = dict(values)
        for k, o in outputs.items():
            v = None if res is None else res.get(k)
            row[k] = v
            if v is not None:
                arrays[k][idx] = v
        row.update(status=st, error=err, hash=h)
        status[idx] = st
        rows.append(row)
        w.writerow([_csv_cell(values[n], _axis_dtype(sc, n)) for n in names]
                   + [_csv_cell(row[k], o.dtype) for k, o in outputs.items()]
                   + [st, err or "", h])
    csv_path = atomic_write_text(out / "table.csv", buf.getvalue())

    variables = {k: {"dims": names, "dtype": o.dtype, "units": o.units, "doc": o.doc,
                     "fill": None if o.dtype == "float" else fills[o.dtype],
                     "missing": "NaN" if o.dtype == "float" else f"{fills[o.dtype]!r} where status != 'ok'"}
                 for k, o in outputs.items()}
    variables["status"] = {"dims": names, "dtype": "str", "units": "",
                           "doc": "'ok', 'error' (see points/<hash>.error.json) or 'missing'"}
    meta = {
        "format": FORMAT, "kind": kind.name, "kind_version": kind.version, "title": sc.title,
        "dims": names, "shape": list(shape),
        "coords": {n: {"values": sc.axes[n], "units": kind.units.get(n, "")} for n in names},
        "variables": variables,
        "fixed": {"base": sc.base, "numerics": sc.numerics},
        "units": {k: kind.units.get(k, "") for k in kind.schema},
        "counts": {"points": len(entries), "ok": len(entries) - len(failures), "failed": len(failures)},
        "files": {"table": "table.csv", "arrays": "results.npz", "points": "points/<hash>.json"},
    }
    meta_json = json.dumps(to_jsonable(meta), indent=2, allow_nan=False)
    npz = {k: (a.astype(np.str_) if a.dtype == object else a) for k, a in arrays.items()}
    npz["status"] = status.astype(np.str_)
    npz["axes_names"] = np.array(names, dtype=np.str_)
    for n in names:
        npz[f"axis_{n}"] = np.asarray(sc.axes[n])
    npz["metadata"] = np.array(meta_json)
    bio = io.BytesIO()
    np.savez(bio, **npz)
    npz_path = atomic_write_bytes(out / "results.npz", bio.getvalue())
    json_path = atomic_write_text(out / "results.json", meta_json + "\n")
    return SweepResult(out, csv_path, npz_path, json_path, len(entries), n_computed, n_reused, failures, rows)


def _axis_dtype(sc: SweepCase, name: str) -> str:
    kind = sc.kind.schema[name].kind
    return {float: "float", int: "int", bool: "bool", str: "str"}.get(kind, "str")
