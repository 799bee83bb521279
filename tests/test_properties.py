"""Property-based tests of the entry points (issue 11): random — including absurd — values for every
parameter; each call either answers with finite numbers (no negative rate or probability) or refuses
with one line naming the parameter (exit 2, ParameterError), never a traceback, a NaN or exit 1.

The default run draws a bounded set of examples per entry point; the slow step draws ten times more.
Both are derandomized (a fixed, reproducible draw: a CI run must not pass or fail by chance); explore
further locally with ``pytest -m slow tests/test_properties.py -p no:randomly --hypothesis-seed=N`` after
removing ``derandomize``.  No example database is kept (``database=None``): a saved example replayed in
the default run made it 80 s long.
Mesh budgets are kept small (``--max-cells``) so that an example is a few seconds at most: a run that
cannot meet its target within them must still exit 3 with finite values, which is part of the property.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermokinetic.cli import main
from thermokinetic.errors import ParameterError
from thermokinetic.fokker_planck import compute_escape, compute_wer

#: examples per entry point in the default run, and in the slow step
FEW, MANY = 8, 80

ABSURD = [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 1e-320, 0.0, -0.0, -1.0]


def numbers(lo: float, hi: float):
    """Floats in a plausible range, mixed with absurd ones."""
    return st.one_of(st.floats(lo, hi, allow_nan=False), st.sampled_from(ABSURD),
                     st.floats(allow_nan=True, allow_infinity=True))


def one_odd(valid: dict):
    """Plausible values for every parameter, then at most one of them replaced by an absurd value (so
    that both the answering and the refusing paths are drawn)."""
    odd = st.one_of(st.none(), st.tuples(st.sampled_from(sorted(valid)),
                                         st.one_of(st.sampled_from(ABSURD), st.floats())))

    def merge(args):
        vals, o = args
        if o is not None:
            vals = {**vals, o[0]: o[1]}
        return vals

    return st.tuples(st.fixed_dictionaries(valid), odd).map(merge)


def _no_nan(text: str):
    def reject(name):
        raise AssertionError(f"non-finite JSON constant {name} in the output")

    return json.loads(text, parse_constant=reject)


def _finite(obj, path="out"):
    """Every number of a JSON tree is finite (None allowed for a value that failed its checks)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            _finite(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _finite(v, f"{path}[{i}]")
    elif isinstance(obj, float):
        assert math.isfinite(obj), path


def _opts(**kw) -> list:
    """``--name=value`` arguments (the ``=`` form lets argparse take values such as ``-inf``)."""
    return [f"--{k.replace('_', '-')}={v!r}" for k, v in kw.items()]


def _cli(capsys, argv):
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse's own refusals (exit 2, one line)
        rc = exc.code
    out, err = capsys.readouterr()
    assert rc in (0, 2, 3), (argv, rc, err)
    if rc == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, (argv, err)
        assert "invalid" in lines[0] or "must" in lines[0] or "error" in lines[0], (argv, err)
        return None
    data = _no_nan(out)
    _finite(data)
    return data


def _cli_property(n):
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _escape_argv(sigma, h, psi, alpha, sigma_p, chi, rtol):
    return ["escape", *_opts(sigma=sigma, h=h, psi=psi, alpha=alpha, sigma_p=sigma_p, chi_cos=chi, rtol=rtol),
            "--max-cells", "12000", "--json"]


ESCAPE = dict(sigma=st.floats(0, 80), h=st.floats(-2, 2), psi=st.floats(-180, 180), alpha=st.floats(1e-4, 1e3),
              sigma_p=st.sampled_from([0.0, 0.0, 5.0, 50.0]), chi=st.floats(-5, 5), rtol=st.floats(1e-8, 0.5))


@pytest.mark.parametrize("n", [FEW, pytest.param(MANY, marks=pytest.mark.slow)])
def test_escape_cli_answers_or_refuses_in_one_line(capsys, n):
    @_cli_property(n)
    @given(one_odd(ESCAPE))
    def prop(kw):
        out = _cli(capsys, _escape_argv(**kw))
        if out is not None:
            assert out["lambda1_tauN"] > 0
            for w in out["escape_rates_tauN"]:
                assert w["rate"] is None or w["rate"] >= 0

    prop()


@pytest.mark.parametrize("n", [FEW, pytest.param(MANY, marks=pytest.mark.slow)])
def test_wer_cli_answers_or_refuses_in_one_line(capsys, n):
    times = st.lists(numbers(1e-3, 1e3), min_size=1, max_size=4)
    valid = dict(sigma=st.floats(0, 60), alpha=st.floats(1e-3, 1e2), chi=st.floats(-50, 50),
                 sigma_p=st.sampled_from([0.0, 0.0, 5.0]), rtol=st.floats(1e-6, 0.5))

    @_cli_property(n)
    @given(one_odd(valid), times)
    def prop(kw, times):
        sigma, alpha, chi, sigma_p, rtol = (kw[k] for k in ("sigma", "alpha", "chi", "sigma_p", "rtol"))
        argv = ["wer", *_opts(sigma=sigma, alpha=alpha, chi_cos=chi, sigma_p=sigma_p, rtol=rtol),
                "--times=" + ",".join(repr(t) for t in times), "--max-cells", "3000", "--json"]
        out = _cli(capsys, argv)
        if out is not None:
            assert all(0 <= w <= 1 for w in out["wer"])

    prop()


@pytest.mark.parametrize("n", [3 * FEW, pytest.param(3 * MANY, marks=pytest.mark.slow)])
def test_spinvalve_cli_answers_or_refuses_in_one_line(capsys, n):
    valid = dict(p1=st.floats(-0.99, 0.99), p2=st.floats(-0.99, 0.99), G1=st.floats(1e-3, 1e3),
                 G2=st.floats(1e-3, 1e3), GN=st.floats(1e-3, 1e3), dN=st.floats(1e-3, 1e2), lN=st.floats(1e-2, 1e2),
                 theta=st.floats(-360, 360))

    @_cli_property(n)
    @given(one_odd(valid))
    def prop(kw):
        argv = ["spinvalve", *[f"--{k}={v!r}" for k, v in kw.items()], "--json"]
        _cli(capsys, argv)

    prop()


ODD_TYPES = st.one_of(st.booleans(), st.text(max_size=4), st.none(), st.just([1.0]), st.just(b"1"))


@pytest.mark.parametrize("n", [FEW, pytest.param(MANY, marks=pytest.mark.slow)])
def test_compute_escape_api_is_strict_about_types_and_ranges(n):
    """The API: a bool, a string or a list is refused like an out-of-range number, naming the keyword."""
    @settings(max_examples=n, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(name=st.sampled_from(["sigma", "h", "psi", "alpha", "sigma_p", "chi_cos", "rtol"]),
           value=st.one_of(ODD_TYPES, numbers(-1e3, 1e3)))
    def prop(name, value):
        kw = dict(sigma=8.0, h=0.2, alpha=1.0, rtol=1e-2, max_cells=12000)
        kw[name] = value
        try:
            res = compute_escape(**kw)
        except ParameterError as exc:
            assert exc.name == name or name in str(exc), (name, value, str(exc))
            assert "\n" not in str(exc)
            return
        assert not isinstance(value, (bool, str, bytes, list)), (name, value)
        assert value is not None or name == "rtol", (name, value)  # rtol=None is the default
        assert np.isfinite(res["lambda1_tauN"]) and res["lambda1_tauN"] > 0
        assert all(w["rate"] is None or (np.isfinite(w["rate"]) and w["rate"] >= 0) for w in res["escape_rates_tauN"])

    prop()


@pytest.mark.parametrize("n", [FEW, pytest.param(MANY, marks=pytest.mark.slow)])
def test_compute_wer_api_answers_or_refuses(n):
    @settings(max_examples=n, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(name=st.sampled_from(["sigma", "alpha", "chi_cos", "rtol", "times"]),
           value=st.one_of(ODD_TYPES, numbers(-1e3, 1e3), st.lists(numbers(-1, 1e3), max_size=3)))
    def prop(name, value):
        # a small cell budget bounds each example (sigma = 300 with the default 2^20 cells takes 100 s)
        kw = dict(sigma=10.0, alpha=0.1, chi_cos=-2.0, times=[1.0, 2.0], rtol=1e-3, max_cells=4096)
        kw[name] = value
        try:
            res = compute_wer(**kw)
        except ParameterError as exc:
            assert "\n" not in str(exc)
            return
        assert all(np.isfinite(w) and 0 <= w <= 1 for w in res["wer"])

    prop()


@pytest.mark.parametrize("n", [3, pytest.param(MANY // 3, marks=pytest.mark.slow)])  # ~1.5-2.5 s per example
def test_ramp_cli_answers_or_refuses_in_one_line(capsys, n):
    valid = dict(sigma=st.floats(2, 200), alpha=st.floats(1e-3, 1e2), h=st.floats(-0.89, 0.89),
                 f0=st.floats(1e-3, 1e3))
    rates = st.lists(numbers(1e-8, 1e2), min_size=1, max_size=3)

    @_cli_property(n)
    @given(one_odd(valid), rates)
    def prop(kw, rates):
        argv = ["ramp", *_opts(**kw), "--rates=" + ",".join(repr(r) for r in rates), "--json"]
        out = _cli(capsys, argv)
        if out is not None:
            for key in ("P_switched",):
                for row in out.get(key, []):
                    assert all(p is None or 0 <= p <= 1 for p in row)

    prop()


#: the Co/Cu/Co valve with one layer or interface parameter replaced (TOML literals, so that inf/nan,
#: huge, tiny, negative, strings and booleans reach the case loader as a user would write them)
ACCUMULATE_KEYS = [("layer", 1, "thickness"), ("layer", 1, "sigma"), ("layer", 1, "beta"), ("layer", 1, "lsf"),
                   ("layer", 2, "thickness"), ("layer", 2, "lsf"), ("layer", 0, "sigma"), ("interface", 0, "r_b"),
                   ("interface", 1, "gamma"), ("top", None, "current_density")]
TOML_ODD = st.one_of(st.sampled_from(["inf", "-inf", "nan", "0.0", "-1.0", "1e308", "1e-320", "1e300", "true",
                                      '"10e-9"', "[1.0]", "5"]),
                     st.floats(-1e3, 1e3, allow_nan=False).map(repr))


@pytest.mark.parametrize("n", [3 * FEW, pytest.param(3 * MANY, marks=pytest.mark.slow)])
def test_accumulate_cli_answers_or_refuses_in_one_line(capsys, tmp_path, n):
    import tomllib
    from pathlib import Path

    base = tomllib.loads((Path(__file__).resolve().parents[1] / "cases" / "stack_cocu_valve.toml").read_text())

    def toml_value(v):
        if isinstance(v, float):
            return "inf" if v == math.inf else repr(v)
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(toml_value(x) for x in v) + "]"
        return repr(v)

    @_cli_property(n)
    @given(key=st.sampled_from(ACCUMULATE_KEYS), literal=TOML_ODD,
           model=st.sampled_from(["two-channel", "four-channel", "noncollinear"]))
    def prop(key, literal, model):
        table, index, name = key
        lines = ['title = "valve"', f'model = "{model}"']
        top = {"current_density": toml_value(base["current_density"])}
        if table == "top":
            top[name] = literal
        lines += [f"{k} = {v}" for k, v in top.items()]
        for t in ("layer", "interface"):
            for i, entry in enumerate(base[t]):
                lines.append(f"[[{t}]]")
                for k, v in entry.items():
                    lines.append(f"{k} = {literal if (t, i, k) == key else toml_value(v)}")
        lines += ["[grid]", "points_per_layer = 21", "lead_extent = 2.0"]
        case = tmp_path / "case.toml"
        case.write_text("\n".join(lines) + "\n")
        out = _cli(capsys, ["accumulate", str(case), "--out", str(tmp_path / "out"), "--json"])
        if out is not None and out["R_ne"] is not None:
            # R_ne = R_total − R_eq ≥ 0 up to the rounding of that difference (r_b = 123 Ω m², 1e17 × a real
            # interface, gave −1.4e-14 against R_total = 123: a computed-as-difference wart, see the note)
            assert out["R_ne"] >= -1e-13 * abs(out.get("R_total") or out["R_ne"]) - 1e-30

    prop()


#: a small study case (resonance of the Co/Cu/Co valve, about 1.5 s) with one value replaced by a TOML literal
RUN_CASE = {
    "magnet.Ms": "1.4e6", "magnet.K": "4.5e5", "magnet.thickness": "3e-9", "magnet.diameter": "14e-9",
    "magnet.alpha": "0.01", "magnet.T_ref": "300.0", "currents.start": "-3.0e10", "currents.stop": "3.0e10",
    "currents.num": "7", "study.temperature": "300.0",
}


def _run_case_text(key, literal) -> str:
    from pathlib import Path

    stack = Path(__file__).resolve().parents[1] / "cases" / "stack_cocu_valve.toml"
    vals = {**RUN_CASE, key: literal}
    tables = {}
    for k, v in vals.items():
        t, name = k.split(".")
        tables.setdefault(t, []).append(f"{name} = {v}")
    text = ['title = "property"', "[study]", 'kind = "resonance"', 'name = "prop"', *tables["study"],
            "[magnet]", *tables["magnet"], "[coupler]", 'kind = "diffusive"', f"stack = {json.dumps(str(stack))}",
            'free = "Co_free"', "transparent_interfaces = true", "[currents]", *tables["currents"]]
    return "\n".join(text) + "\n"


@pytest.mark.parametrize("key, literal", [
    ("magnet.Ms", "1e-320"),  # μ0 Ms underflowed: ZeroDivisionError traceback (found by the slow property run)
    ("magnet.thickness", "8.195859567057599e-60"),  # σ ≈ 0: a zero FMR frequency with exit 0 (same run)
    ("magnet.K", "1e-300"),  # the same through K
])
def test_run_cli_regressions_found_by_the_properties(capsys, tmp_path, key, literal):
    case = tmp_path / "case.toml"
    case.write_text(_run_case_text(key, literal))
    assert _cli(capsys, ["run", str(case), "--out", str(tmp_path / "out"), "--json", "--no-progress"]) is None
    # (None: exit 2 with one line; _cli checks the line)


@pytest.mark.parametrize("n", [FEW, pytest.param(MANY, marks=pytest.mark.slow)])
def test_run_cli_answers_or_refuses_in_one_line(capsys, tmp_path, n):
    @_cli_property(n)
    @given(key=st.sampled_from(sorted(RUN_CASE)), literal=TOML_ODD)
    def prop(key, literal):
        case = tmp_path / "case.toml"
        case.write_text(_run_case_text(key, literal))
        out = _cli(capsys, ["run", str(case), "--out", str(tmp_path / "out"), "--json", "--no-progress"])
        if out is not None:
            assert all(f is None or f > 0 for f in out["frequency_Hz"])
            assert str(tmp_path / "out") in out["files"][0]  # outputs stay inside their folder

    prop()
