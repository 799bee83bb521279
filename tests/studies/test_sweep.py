"""Sweeps: serial = process pool = Dask, resume without recomputation, atomic files, bad input.

Most checks are exact (byte-identical files, call counts): the sweep machinery moves numbers, it
must not change them.  Physics enters through the "escape" point kind, compared with direct calls of
compute_escape, and through the affine point kind, whose linearization error must be second order.
"""
from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest

from thermokinetic.cli import main
from thermokinetic.config import Field
from thermokinetic.errors import ParameterError
from thermokinetic.studies import POINT_KINDS, PointKind, load_sweep_case, run_sweep
from thermokinetic.studies.points import Output, affine_parts, register_point_kind

ROOT = Path(__file__).resolve().parents[2]
LOG = "TK_TEST_SWEEP_LOG"
INTERRUPT_AFTER = "TK_TEST_SWEEP_INTERRUPT_AFTER"
FAIL_X = "TK_TEST_SWEEP_FAIL_X"


def _calls(path) -> int:
    return len(Path(path).read_text().splitlines()) if Path(path).exists() else 0


def toy_point(params):
    """Test-only kind: f = x·y + x; logs every call; can be told to fail or to 'be killed'."""
    log = os.environ.get(LOG)
    after = os.environ.get(INTERRUPT_AFTER)
    if after is not None and log and _calls(log) >= int(after):
        raise KeyboardInterrupt  # the sweep is stopped here, as by Ctrl-C
    if os.environ.get(FAIL_X) is not None and params["x"] == float(os.environ[FAIL_X]):
        raise ValueError(f"x={params['x']} fails on purpose")
    if log:
        with open(log, "a") as fh:
            fh.write(json.dumps(params) + "\n")
    f = params["x"] * params["y"] + params["x"]
    return {"f": f, "k": int(round(params["x"])), "big": f > 1.0, "tag": f"x{params['x']:g}"}


register_point_kind(PointKind(
    "toy-test", toy_point,
    params={"x": Field(float, required=True), "y": Field(float, 0.0)},
    numerics={"scale": Field(float, 1.0)},
    outputs={"f": Output("float", "1", "x*y + x"), "k": Output("int", "", "round(x)"),
             "big": Output("bool", "", "f > 1"), "tag": Output("str", "", "label")},
    units={"x": "1", "y": "1"}))

TOY = {"sweep": {"kind": "toy-test"}, "axes": {"x": [0.0, 1.0, 2.0, 3.0], "y": [0.5, -0.5, 2.0]}}

# the escape grid of cases/sweep_escape.toml (sigma = 8, level 4: ~0.2 s a point)
ESCAPE = {"sweep": {"kind": "escape"}, "base": {"sigma": 8.0, "alpha": 1.0},
          "axes": {"chi_cos": [0.0, 0.5, 1.0], "h": [0.0, 0.1, 0.2]}, "numerics": {"level": 4}}


def _read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def _no_tmp(folder: Path):
    return [p.name for p in folder.rglob("*.tmp")]


@pytest.fixture
def toy_env(tmp_path, monkeypatch):
    log = tmp_path / "calls.log"
    monkeypatch.setenv(LOG, str(log))
    monkeypatch.delenv(INTERRUPT_AFTER, raising=False)
    monkeypatch.delenv(FAIL_X, raising=False)
    return log


@pytest.fixture(scope="module")
def escape_serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("escape_serial")
    return run_sweep(ESCAPE, out=out, progress=False)


def test_sample_case_is_valid():
    sc = load_sweep_case(ROOT / "cases" / "sweep_escape.toml")
    # the sample case is the grid used below (3 x 3, level 4)
    assert sc.shape == (3, 3) and sc.kind.name == "escape" and sc.numerics["level"] == 4
    assert sc.axes == ESCAPE["axes"] and sc.base["sigma"] == 8.0


def test_escape_table_matches_direct_calls(escape_serial):
    """Every row is what compute_escape gives for that point (axis values reach the right parameter)."""
    from thermokinetic.fokker_planck import compute_escape

    rows = _read_csv(escape_serial.table_csv)
    assert len(rows) == 9 and [(r["chi_cos"], r["h"]) for r in rows[:4]] == [
        ("0.0", "0.0"), ("0.0", "0.1"), ("0.0", "0.2"), ("0.5", "0.0")]  # first axis slowest
    for r in rows[::4]:  # three points: (0, 0), (0.5, 0.1), (1, 0.2)
        ref = compute_escape(sigma=8.0, alpha=1.0, h=float(r["h"]), chi_cos=float(r["chi_cos"]), level=4)
        # same computation in the same process: bit-identical
        assert float(r["lambda1_tauN"]) == ref["lambda1_tauN"]
        up = max(ref["escape_rates_tauN"], key=lambda w: w["direction"][2])
        down = min(ref["escape_rates_tauN"], key=lambda w: w["direction"][2])
        assert float(r["rate_up_tauN"]) == up["rate"] and float(r["rate_down_tauN"]) == down["rate"]
        assert r["status"] == "ok" and r["error"] == ""
        # two-state identity lambda_1 = Gamma_up + Gamma_down (exact in the method, rounding only)
        assert abs(float(r["rate_up_tauN"]) + float(r["rate_down_tauN"]) - float(r["lambda1_tauN"])) \
            <= 1e-12 * float(r["lambda1_tauN"])
    # h = 0, chi = 0: the two wells are mirror images, rates equal to rounding
    r0 = rows[0]
    assert abs(float(r0["rate_up_tauN"]) / float(r0["rate_down_tauN"]) - 1) < 1e-12
    # h > 0 (field along +z) deepens the up well: escape out of it is slower (here > 10x at h = 0.1)
    assert float(rows[1]["rate_down_tauN"]) > 10 * float(rows[1]["rate_up_tauN"])


def test_npz_has_axes_shape_and_matches_csv(escape_serial):
    arr = escape_serial.arrays()
    rows = _read_csv(escape_serial.table_csv)
    assert list(arr["axes_names"]) == ["chi_cos", "h"]
    np.testing.assert_array_equal(arr["axis_chi_cos"], [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(arr["axis_h"], [0.0, 0.1, 0.2])
    for name in ("lambda1_tauN", "rate_up_tauN", "rate_down_tauN", "error_estimate", "valid", "method",
                 "cells", "status"):
        assert arr[name].shape == (3, 3)
    for n, r in enumerate(rows):
        i, j = divmod(n, 3)
        # repr() of a float round-trips exactly
        assert arr["lambda1_tauN"][i, j] == float(r["lambda1_tauN"])
        assert arr["rate_up_tauN"][i, j] == float(r["rate_up_tauN"])
        assert arr["cells"][i, j] == int(r["cells"]) == 2562  # level 4: 10*4^4 + 2 cells
        assert str(arr["method"][i, j]) == r["method"] and str(arr["status"][i, j]) == "ok"
    meta = json.loads(str(arr["metadata"]))
    side = json.loads(escape_serial.metadata_json.read_text())
    assert meta == side
    assert side["dims"] == ["chi_cos", "h"] and side["shape"] == [3, 3]
    assert side["variables"]["lambda1_tauN"]["units"] == "1/tau_N"
    assert side["coords"]["chi_cos"]["units"] == "kT" and side["fixed"]["base"]["sigma"] == 8.0


def test_process_pool_gives_identical_table(escape_serial, tmp_path):
    res = run_sweep(ESCAPE, workers=2, out=tmp_path, progress=False)
    assert res.ok and res.n_computed == 9
    # byte-identical: same deterministic computation in other processes
    assert res.table_csv.read_bytes() == escape_serial.table_csv.read_bytes()
    a, b = res.arrays(), escape_serial.arrays()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


@pytest.mark.slow  # 3-11 s: outside the 3-minute default run (still run by CI)
def test_dask_local_cluster_gives_identical_table(escape_serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        res = run_sweep(ESCAPE, scheduler=cluster.scheduler_address, out=tmp_path, progress=False)
    assert res.ok and res.n_computed == 9
    assert res.table_csv.read_bytes() == escape_serial.table_csv.read_bytes()


def test_deleted_points_are_recomputed_and_only_they(escape_serial, tmp_path):
    import shutil

    out = tmp_path / "s"
    shutil.copytree(escape_serial.out, out)
    files = sorted((out / "points").glob("*.json"))
    assert len(files) == 9
    for f in files[:3]:
        f.unlink()
    files[3].write_text('{"truncated": ')  # a damaged file is not trusted either
    res = run_sweep(ESCAPE, out=out, progress=False)
    assert (res.n_computed, res.n_reused) == (4, 5)
    assert res.table_csv.read_bytes() == escape_serial.table_csv.read_bytes()


def test_interrupted_sweep_resumes_without_recomputing(toy_env, tmp_path, monkeypatch):
    out = tmp_path / "toy"
    monkeypatch.setenv(INTERRUPT_AFTER, "5")
    with pytest.raises(KeyboardInterrupt):
        run_sweep(TOY, out=out, progress=False)
    assert _calls(toy_env) == 5
    assert len(list((out / "points").glob("*.json"))) == 5  # every finished point is on disk
    assert not _no_tmp(out)
    assert not (out / "table.csv").exists()
    monkeypatch.delenv(INTERRUPT_AFTER)
    res = run_sweep(TOY, out=out, progress=False)
    # 12 points: the restart computes exactly the 7 missing ones
    assert _calls(toy_env) == 12 and (res.n_computed, res.n_reused) == (7, 5)
    log = [json.loads(s) for s in toy_env.read_text().splitlines()]
    assert len({(p["x"], p["y"]) for p in log}) == 12  # no point computed twice
    ref = run_sweep(TOY, out=tmp_path / "fresh", progress=False)
    assert res.table_csv.read_bytes() == ref.table_csv.read_bytes()
    # and a third run computes nothing
    again = run_sweep(TOY, out=out, progress=False)
    assert again.n_computed == 0 and _calls(toy_env) == 24


def test_toy_table_values_and_dtypes(toy_env, tmp_path):
    res = run_sweep(TOY, out=tmp_path, progress=False)
    rows = _read_csv(res.table_csv)
    assert list(rows[0]) == ["x", "y", "f", "k", "big", "tag", "status", "error", "hash"]
    r = rows[3]  # x = 1, y = 0.5 (second x, first y; 3 y values per x)
    assert (r["x"], r["y"], r["f"], r["k"], r["big"], r["tag"]) == ("1.0", "0.5", "1.5", "1", "true", "x1")
    arr = res.arrays()
    x, y = np.meshgrid(TOY["axes"]["x"], TOY["axes"]["y"], indexing="ij")
    np.testing.assert_array_equal(arr["f"], x * y + x)  # exact: same float operations
    assert arr["k"].dtype == np.int64 and arr["big"].dtype == np.bool_ and arr["tag"].dtype.kind == "U"


def test_failing_point_is_recorded_and_retried(toy_env, tmp_path, monkeypatch):
    monkeypatch.setenv(FAIL_X, "2.0")
    res = run_sweep(TOY, out=tmp_path, progress=False)
    assert not res.ok and res.n_failed == 3 and res.n_computed == 9
    assert "fails on purpose" in res.summary() and "3 failed" in res.summary()
    rows = _read_csv(res.table_csv)
    bad = [r for r in rows if r["x"] == "2.0"]
    assert len(bad) == 3
    for r in bad:
        # no NaN in the table: empty cells and an explicit status
        assert r["status"] == "error" and r["f"] == "" and r["k"] == "" and "fails on purpose" in r["error"]
        assert (tmp_path / "points" / f"{r['hash']}.error.json").exists()
    assert "nan" not in res.table_csv.read_text().lower()
    arr = res.arrays()
    assert np.isnan(arr["f"][2]).all() and (arr["status"][2] == "error").all() and (arr["k"][2] == -1).all()
    monkeypatch.delenv(FAIL_X)
    res2 = run_sweep(TOY, out=tmp_path, progress=False)
    assert res2.ok and (res2.n_computed, res2.n_reused) == (3, 9)
    assert not list((tmp_path / "points").glob("*.error.json"))


def test_non_finite_result_is_an_error_not_a_nan(tmp_path):
    register_point_kind(PointKind("nan-test", nan_point, {"x": Field(float, required=True)}, {},
                                  {"f": Output("float", "1", "NaN for x > 0")}))
    try:
        res = run_sweep({"sweep": {"kind": "nan-test"}, "axes": {"x": [0.0, 1.0]}}, out=tmp_path, progress=False)
    finally:
        POINT_KINDS.pop("nan-test")
    assert [r["status"] for r in res.rows] == ["ok", "error"]
    assert "expected a finite float" in res.failures[0]["error"]


def nan_point(params):
    return {"f": 0.0 if params["x"] <= 0 else float("nan")}


def test_atomic_writes_leave_no_partial_file(toy_env, tmp_path, monkeypatch):
    """A crash while writing the 4th point file leaves 3 complete files and no temporary file."""
    import thermokinetic.io as tio

    real = os.fsync
    count = {"n": 0}

    def flaky(fd):
        count["n"] += 1
        if count["n"] == 5:  # 1st write is sweep.json, then one per point: the 4th point's write fails
            raise OSError("disk full (simulated)")
        return real(fd)

    monkeypatch.setattr(tio.os, "fsync", flaky)
    out = tmp_path / "a"
    with pytest.raises(OSError, match="disk full"):
        run_sweep(TOY, out=out, progress=False)
    monkeypatch.setattr(tio.os, "fsync", real)
    assert not _no_tmp(out)
    files = list((out / "points").glob("*.json"))
    assert len(files) == 3
    for f in files:
        rec = json.loads(f.read_text())
        assert set(rec) == {"hash", "config", "result"} and f.stem == rec["hash"]
    res = run_sweep(TOY, out=out, progress=False)
    assert (res.n_computed, res.n_reused) == (9, 3)


def test_unreachable_scheduler_is_a_clear_error_and_loses_nothing(toy_env, tmp_path, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "u"
    first = run_sweep({**TOY, "axes": {"x": [0.0, 1.0, 2.0, 3.0], "y": [0.5]}}, out=out, progress=False)
    assert first.n_computed == 4
    before = {p.name: p.read_bytes() for p in (out / "points").iterdir()}
    table = first.table_csv.read_bytes()
    with pytest.raises(ParameterError) as err:
        run_sweep(TOY, scheduler="tcp://127.0.0.1:1", timeout=1.0, out=out, progress=False)
    assert err.value.name == "scheduler" and "reachable Dask scheduler" in str(err.value)
    assert _calls(toy_env) == 4  # nothing computed by the failed run
    after = {p.name: p.read_bytes() for p in (out / "points").iterdir()}
    assert after == before and first.table_csv.read_bytes() == table
    case = tmp_path / "toy.toml"
    case.write_text('[sweep]\nkind = "toy-test"\n[axes]\nx = [0.0, 1.0, 2.0, 3.0]\ny = [0.5, -0.5, 2.0]\n')
    rc = main(["sweep", str(case), "--out", str(out), "--scheduler", "tcp://127.0.0.1:1", "--timeout", "1"])
    assert rc == 2
    msg = capsys.readouterr().err.strip()
    assert msg.startswith("thermokinetic sweep: error: scheduler=") and "\n" not in msg
    assert {p.name: p.read_bytes() for p in (out / "points").iterdir()} == before


def test_dask_missing_gives_install_hint(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *a, **k):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("no distributed")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ParameterError, match=r"pip install thermokinetic\[dask\]"):
        run_sweep(TOY, scheduler="tcp://127.0.0.1:8786", out=tmp_path, progress=False)


@pytest.mark.parametrize("case, name", [
    ({**TOY, "bogus": {}}, "bogus"),
    ({**TOY, "sweep": {"kind": "toy-test", "colour": "red"}}, "sweep.colour"),
    ({**TOY, "base": {"z": 1.0}}, "base.z"),
    ({**TOY, "numerics": {"level": 4}}, "numerics.level"),
    ({**TOY, "axes": {"x": [1.0], "w": [1.0]}}, "axes.w"),
    ({**TOY, "base": {"x": 1.0}}, "base.x"),                       # both fixed and an axis
    ({**TOY, "axes": {"x": []}}, "axes.x"),                          # empty axis
    ({**TOY, "axes": {"x": [1.0, 1]}}, "axes.x"),                    # repeated value (1 == 1.0)
    ({**TOY, "axes": {"x": ["a"]}}, "axes.x"),                       # wrong type
    ({"sweep": {"kind": "nope"}, "axes": {"x": [1.0]}}, "sweep.kind"),
    ({"sweep": {"kind": "toy-test"}}, "axes"),
    ({**ESCAPE, "axes": {"alpha": [1.0, -1.0]}}, "axes.alpha"),     # range check of the kind
    ({**ESCAPE, "base": {}}, "base.sigma"),                          # required parameter missing
])
def test_bad_case_is_rejected(case, name):
    with pytest.raises(ParameterError) as err:
        load_sweep_case(case)
    assert err.value.name == name


def test_unknown_key_in_toml_case_file(tmp_path, capsys):
    case = tmp_path / "bad.toml"
    case.write_text('[sweep]\nkind = "escape"\n[base]\nsigma = 8.0\nsgima = 9.0\n[axes]\nh = [0.0]\n')
    assert main(["sweep", str(case), "--out", str(tmp_path / "o")]) == 2
    assert "base.sgima" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()  # nothing written for a bad case


def test_cli_json_and_exit_status(toy_env, tmp_path, capsys, monkeypatch):
    case = tmp_path / "toy.toml"
    case.write_text('[sweep]\nkind = "toy-test"\nout = "unused"\n[axes]\nx = [1.0, 2.0]\ny = [3.0]\n')
    assert main(["sweep", str(case), "--out", str(tmp_path / "o"), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["n_points"] == 2 and [r["f"] for r in res["rows"]] == [4.0, 8.0]  # x*y + x
    monkeypatch.setenv(FAIL_X, "1.0")
    assert main(["sweep", str(case), "--out", str(tmp_path / "o2"), "--no-progress"]) == 1
    cap = capsys.readouterr()
    assert "1 failed" in cap.out and "1 of 2 points failed" in cap.err


def test_a_grid_whose_every_point_is_refused_is_bad_input(tmp_path, capsys):
    """h = 5 and 6 leave one well: every escape point refuses its parameters, so the sweep exits 2 with
    one line naming the first point and the reason (not 1, 'failed, rerun to retry')."""
    case = tmp_path / "bad.toml"
    case.write_text('[sweep]\nkind = "escape"\n[base]\nsigma = 8.0\nalpha = 1.0\n[axes]\nh = [5.0, 6.0]\n'
                    '[numerics]\nlevel = 4\n')
    assert main(["sweep", str(case), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "every point was refused" in err[0] and "'h': 5.0" in err[0]


def test_affine_kind_is_exact_at_zero_and_second_order():
    """Q0 + c Q_chi + f Q_Phi + dh Q_h vs full re-assembly: equal at 0, error O(eps^2)."""
    from thermokinetic.studies.points import escape_affine_point, escape_point

    base = dict(sigma=8.0, h=0.0, psi=30.0, alpha=0.5, chi_cos=0.0, phi_cos=0.0, mesh="geodesic", level=4,
                richardson=False, h_ref=0.0)
    a0, e0 = escape_affine_point(base), escape_point(base)
    # same scheme at the linearization point (assembly differs only in summation order)
    assert abs(a0["lambda1_tauN"] / e0["lambda1_tauN"] - 1) < 1e-12
    errs = []
    for eps in (0.1, 0.05, 0.025):
        p = dict(base, chi_cos=eps, phi_cos=eps, h=eps / 10)
        errs.append(abs(escape_affine_point(p)["lambda1_tauN"] / escape_point(p)["lambda1_tauN"] - 1))
    orders = [math.log2(errs[i] / errs[i + 1]) for i in range(2)]
    # the parts are exact first derivatives: the remainder is quadratic (order 2; 0.15 for the
    # cubic terms still present at eps = 0.1)
    assert all(abs(o - 2) < 0.15 for o in orders), orders
    assert errs[0] < 1e-3  # and small for these amplitudes (measured 1e-4)


def test_affine_sweep_assembles_parts_once(tmp_path):
    affine_parts.cache_clear()
    case = {"sweep": {"kind": "escape-affine"}, "base": {"sigma": 8.0},
            "axes": {"chi_cos": [0.0, 0.05, 0.1], "h": [0.0, 0.01]}, "numerics": {"level": 4}}
    res = run_sweep(case, out=tmp_path, progress=False)
    assert res.ok and res.n_computed == 6
    info = affine_parts.cache_info()
    # one assembly for level 4 and one for level 3 (error estimate), reused by all 6 points
    assert (info.misses, info.hits) == (2, 10)
    # the affine table agrees with full re-assembly to the second-order remainder
    # (largest at chi_cos = 0.1: measured 1.006e-4; bound 2e-4)
    full = run_sweep({**case, "sweep": {"kind": "escape"}}, out=tmp_path / "full", progress=False)
    for ra, rf in zip(res.rows, full.rows):
        assert abs(ra["lambda1_tauN"] / rf["lambda1_tauN"] - 1) < 2e-4


@pytest.mark.slow
def test_cluster_lost_midway_keeps_finished_points(tmp_path):
    """The Dask cluster is shut down once the first point is on disk: finished points survive, the
    failure is one clear SweepExecutorError, and a rerun computes only what is missing (~25 s: the
    client waits 10 s for the lost scheduler)."""
    import threading
    import time

    distributed = pytest.importorskip("distributed")
    from thermokinetic.studies.sweep import SweepExecutorError

    case = {"sweep": {"kind": "escape"}, "base": {"sigma": 8.0},
            "axes": {"chi_cos": [0.0, 0.3, 0.6, 0.9], "h": [0.0, 0.1]}, "numerics": {"level": 5}}
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
    points = tmp_path / "points"

    def kill_after_first_point():
        t0 = time.monotonic()
        while time.monotonic() - t0 < 120:
            if any(p.name.count(".") == 1 for p in points.glob("*.json")):
                break
            time.sleep(0.05)
        cluster.close()

    killer = threading.Thread(target=kill_after_first_point)
    killer.start()
    try:
        with pytest.raises(SweepExecutorError, match="run the sweep again to resume"):
            run_sweep(case, scheduler=cluster.scheduler_address, out=tmp_path, progress=False)
    finally:
        killer.join()
        cluster.close()
    done = [p for p in points.glob("*.json") if p.name.count(".") == 1]
    assert 1 <= len(done) < 8
    res = run_sweep(case, out=tmp_path, progress=False)
    assert res.ok and (res.n_reused, res.n_computed) == (len(done), 8 - len(done))


@pytest.mark.slow
def test_thin_film_case_meets_its_target_and_sigma_p_zero_is_the_axial_value(tmp_path):
    """The thin-film sweep case: every point converged to rtol; at sigma_p = 0 the exact 1D value."""
    from thermokinetic.config import load_toml
    from thermokinetic.fokker_planck import lambda1_uniaxial

    case = load_toml(Path(__file__).resolve().parents[2] / "cases" / "sweep_thin_film.toml")
    res = run_sweep(case, out=tmp_path, progress=False)
    rows = _read_csv(res.table_csv)
    assert len(rows) == 6 and all(r["status"] == "ok" and r["valid"] == "true" for r in rows)
    assert all(float(r["error_estimate"]) <= 1e-4 for r in rows)
    for r in rows:
        if float(r["sigma_p"]) == 0.0:  # axial: the exact reduction, alpha-independent
            assert float(r["lambda1_tauN"]) == pytest.approx(lambda1_uniaxial(10.0), rel=1e-12)
        else:  # mirror-symmetric wells
            assert float(r["rate_up_tauN"]) == pytest.approx(float(r["rate_down_tauN"]), rel=1e-9)


def test_malformed_scheduler_address_is_one_line_without_a_finalizer_traceback(tmp_path):
    # issue 11: a Dask traceback (a half-built Client's finalizer, 20 s at exit) followed the clean message
    import subprocess
    import sys
    from pathlib import Path

    case = Path(__file__).resolve().parents[2] / "cases" / "sweep_escape.toml"
    r = subprocess.run([sys.executable, "-m", "thermokinetic", "sweep", str(case), "--scheduler", "not an address",
                        "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    err = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(err) == 1 and "scheduler='not an address'" in err[0], r.stderr


def test_hand_edited_nan_point_is_recomputed_not_reused(toy_env, tmp_path):
    # issue 11: a point file edited to hold NaN was reused and "nan" landed in table.csv
    out = tmp_path / "toy"
    first = run_sweep(TOY, out=out, progress=False)
    victim = sorted((out / "points").glob("*.json"))[0]
    text = victim.read_text()
    rec = json.loads(text)
    rec["result"]["f"] = float("nan")
    victim.write_text(json.dumps(rec))  # json writes NaN as the bare token NaN
    again = run_sweep(TOY, out=out, progress=False)
    assert (again.n_computed, again.n_reused) == (1, 11)
    assert "nan" not in again.table_csv.read_text().lower()
    assert again.table_csv.read_bytes() == first.table_csv.read_bytes()


def test_a_running_sweep_locks_its_folder_and_a_stale_lock_is_taken_over(toy_env, tmp_path):
    # issue 11: two sweeps sharing an --out folder had no lock
    import os
    import subprocess
    import sys

    from thermokinetic.errors import ParameterError
    from thermokinetic.studies.sweep import LOCK_NAME

    out = tmp_path / "toy"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (out / LOCK_NAME).write_text(str(holder.pid))
        with pytest.raises(ParameterError, match=f"sweep process {holder.pid}"):
            run_sweep(TOY, out=out, progress=False)
        assert _calls(toy_env) == 0
    finally:
        holder.kill()
        holder.wait()
    # the holder is gone: its lock is stale and is taken over; the lock is released at the end
    res = run_sweep(TOY, out=out, progress=False)
    assert res.ok and not (out / LOCK_NAME).exists() and os.path.exists(res.table_csv)


def test_a_different_case_in_the_same_folder_never_leaves_a_mismatched_table(toy_env, tmp_path, monkeypatch):
    # issue 11: a different case written into the same folder left sweep.json describing one case while
    # table.csv held the other; now the other case's gathered outputs go before anything is computed
    out = tmp_path / "toy"
    run_sweep(TOY, out=out, progress=False)
    other = json.loads(json.dumps(TOY))
    other["axes"]["x"] = [10.0, 20.0]
    monkeypatch.setenv(INTERRUPT_AFTER, "1")
    with pytest.raises(KeyboardInterrupt):
        run_sweep(other, out=out, progress=False)
    assert not (out / "table.csv").exists() and not (out / "results.json").exists()
    assert json.loads((out / "sweep.json").read_text())["case"]["axes"]["x"] == [10.0, 20.0]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_killing_the_driver_leaves_no_pool_worker_behind(tmp_path):
    # issue 11: after `kill -9` of a --workers 2 driver the pool workers stayed alive
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "drv.py").write_text(
        "import time\n"
        "from thermokinetic.config import Field\n"
        "from thermokinetic.studies import PointKind, run_sweep\n"
        "from thermokinetic.studies.points import Output, register_point_kind\n"
        "def slow(params):\n"
        "    time.sleep(60)\n"
        "    return {'f': params['x']}\n"
        "register_point_kind(PointKind('slow-test', slow, params={'x': Field(float, required=True)}, numerics={},\n"
        "    outputs={'f': Output('float', '1', 'x')}, units={'x': '1'}))\n"
        "def main(out):\n"
        "    run_sweep({'sweep': {'kind': 'slow-test'}, 'axes': {'x': [1.0, 2.0, 3.0, 4.0]}}, workers=2, out=out,\n"
        "              progress=False)\n")
    drv = subprocess.Popen([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import drv; "
                            f"drv.main({str(tmp_path / 'out')!r})"])

    def children(pid):
        out = []
        for st in Path("/proc").glob("[0-9]*/status"):
            try:
                text = st.read_text()
            except OSError:
                continue
            fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
            if fields.get("PPid", "").strip() == str(pid):
                out.append(int(st.parent.name))
        return out

    def alive(pid):
        try:
            state = Path(f"/proc/{pid}/status").read_text().split("State:\t", 1)[1][0]
        except (OSError, IndexError):
            return False
        return state != "Z"

    try:
        for _ in range(300):  # the pool workers start (and sleep inside their points); generous under load
            kids = children(drv.pid)
            if len(kids) >= 2:
                break
            time.sleep(0.1)
        assert len(kids) >= 2, kids
        time.sleep(1.0)
        os.kill(drv.pid, signal.SIGKILL)
        drv.wait()
        for _ in range(150):
            if not any(alive(k) for k in kids):
                break
            time.sleep(0.1)
        assert not any(alive(k) for k in kids), [k for k in kids if alive(k)]
    finally:
        if drv.poll() is None:
            drv.kill()


def test_wer_kind_tabulates_pulse_widths_and_currents_within_the_estimates(tmp_path):
    """Issue 15: a WER table through the sweep engine (one pulse width per point).  Independent of the
    per-point path: one compute_wer call over all pulse widths at once (its 1D levels are chosen jointly);
    both are the exact 1D reduction, so they must agree within the sum of their estimates.  The sample case
    cases/sweep_wer.toml loads."""
    from thermokinetic.fokker_planck import compute_wer

    pulses = [0.02, 0.1, 0.5]
    case = {"sweep": {"kind": "wer"}, "base": {"sigma": 20.0, "alpha": 0.02},
            "axes": {"chi_cos": [-1.0, -1.6], "pulse_tauN": pulses}, "numerics": {"rtol": 1e-5}}
    res = run_sweep(case, out=tmp_path, progress=False)
    rows = _read_csv(res.table_csv)
    assert len(rows) == 6 and all(r["status"] == "ok" and r["valid"] == "true" and r["method"] == "axial" for r in rows)
    for chi in (-1.0, -1.6):
        ref = compute_wer(sigma=20.0, alpha=0.02, chi_cos=chi, times=pulses, rtol=1e-5)
        got = [r for r in rows if float(r["chi_cos"]) == chi]
        for r, w, e in zip(got, ref["wer"], ref["error_estimate"]):
            assert abs(float(r["wer"]) / w - 1) <= float(r["error_estimate"]) + e
        assert float(got[-1]["wer"]) < float(got[0]["wer"])  # a longer pulse leaves less in the start well
    sc = load_sweep_case(ROOT / "cases" / "sweep_wer.toml")
    assert sc.kind.name == "wer" and sc.shape == (4, 8)
    with pytest.raises(ParameterError, match="pulse_tauN"):
        run_sweep({**case, "axes": {"pulse_tauN": [-1.0]}}, out=tmp_path / "bad", progress=False)
