"""`thermokinetic accumulate`: outputs, numbers vs the library, bad input → exit status 2."""
import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest

from thermokinetic.cli import main
from thermokinetic.transport import cpp_gmr, load_case, solve_two_channel

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "cases"


def run_json(capsys, args):
    """Run the command; its JSON summary documents every one of its fields (issue 12)."""
    from thermokinetic.studies.fields import ACCUMULATE_FIELDS, undocumented

    assert main(["accumulate"] + args + ["--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert undocumented(out, ACCUMULATE_FIELDS) == []
    assert out["fields"]["R_ne"]["unit"] == "Ohm m^2"
    return out


def test_two_channel_json_and_files(capsys, tmp_path):
    out = run_json(capsys, [str(CASES / "stack_cocu_valve.toml"), "--out", str(tmp_path)])
    lib = solve_two_channel(load_case(CASES / "stack_cocu_valve.toml").stack)
    assert out["R_ne"] == pytest.approx(lib.R_ne, rel=1e-12)  # same computation, JSON round trip
    assert len(out["interfaces"]) == 4 and "dmu_left" in out["interfaces"][0]
    csv_path = tmp_path / "stack_cocu_valve_two_channel.csv"
    png = tmp_path / "stack_cocu_valve_two_channel.png"
    assert csv_path.stat().st_size > 1000 and png.stat().st_size > 10000
    with open(csv_path) as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    for col in ("x_m", "mu0_eV", "dmu_eV", "mu_up_eV", "mu_dn_eV", "J_up_A_m2", "J_dn_A_m2", "dJ_A_m2",
                "psidot_A_m3"):
        assert col in head
    data = np.array(rows[1:], float)
    J = load_case(CASES / "stack_cocu_valve.toml").stack.current_density
    # current conservation survives the CSV (12 significant digits)
    np.testing.assert_allclose(data[:, head.index("J_up_A_m2")] + data[:, head.index("J_dn_A_m2")], J,
                               rtol=1e-10)


def test_p_and_ap_cases_give_the_cpp_gmr(capsys, tmp_path):
    p = run_json(capsys, [str(CASES / "stack_cocu_valve.toml"), "--out", str(tmp_path)])
    ap = run_json(capsys, [str(CASES / "stack_cocu_valve_ap.toml"), "--out", str(tmp_path)])
    g = cpp_gmr(load_case(CASES / "stack_cocu_valve.toml").stack)
    assert ap["R_ne"] - p["R_ne"] == pytest.approx(g["dR"], rel=1e-10)
    assert g["dR"] > 0  # AP is the high-resistance state


def test_other_models(capsys, tmp_path):
    four = run_json(capsys, [str(CASES / "stack_co_sd_fourchannel.toml"), "--out", str(tmp_path)])
    assert four["model"] == "four-channel" and four["R_ne"] > 0 and "dmu_sd_right" in four["interfaces"][0]
    tr = run_json(capsys, [str(CASES / "stack_co_transverse.toml"), "--out", str(tmp_path)])
    assert tr["model"] == "transverse"
    assert sum(tr["absorbed"].values()) == pytest.approx(tr["injected_dJ_perp"], rel=1e-12)
    # --model overrides the file: the valve with the four-channel model (no s–d layers) = two-channel
    v4 = run_json(capsys, [str(CASES / "stack_cocu_valve.toml"), "--model", "four-channel",
                           "--out", str(tmp_path)])
    v2 = run_json(capsys, [str(CASES / "stack_cocu_valve.toml"), "--out", str(tmp_path)])
    assert v4["R_ne"] == pytest.approx(v2["R_ne"], rel=1e-12)


def test_noncollinear_dispatch(capsys, tmp_path):
    pytest.importorskip("thermokinetic.transport.noncollinear")
    out = run_json(capsys, [str(CASES / "stack_cocu_valve_tilted.toml"), "--out", str(tmp_path)])
    assert out["model"] == "noncollinear" and math.isfinite(out["R_ne"]) and out["R_ne"] > 0
    assert len(out["interfaces"]) == 4 and len(out["interfaces"][0]["dmu"]) == 3
    assert (tmp_path / "stack_cocu_valve_tilted_noncollinear.png").exists()


def test_text_output(capsys, tmp_path):
    assert main(["accumulate", str(CASES / "stack_seed002_fig2.toml"), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "R_ne" in out and "N_left|F" in out


BASE = """
model = "two-channel"
current_density = 1e10
[[layer]]
name = "L"
kind = "N"
thickness = inf
sigma = 5e7
lsf = 3e-7
[[layer]]
name = "Co"
kind = "F"
thickness = {t}
sigma = 2e7
beta = {beta}
lsf = 2e-8
{direction}
{extra}
[[layer]]
name = "R"
kind = "N"
thickness = inf
sigma = 5e7
lsf = 3e-7
"""


@pytest.mark.parametrize("fmt, needle", [
    (dict(t="-5e-9"), "layer 'Co': thickness=-5e-09"),
    (dict(beta="1.0"), "layer 'Co': beta=1.0"),
    (dict(beta="-1.5"), "layer 'Co': beta=-1.5"),
    (dict(direction=""), "layer 'Co': direction=None"),
    (dict(extra="colour = 'red'"), "layer 'Co': key 'colour'"),
    (dict(extra="lsf_typo = 1e-9"), "lsf_typo"),
    # issue 11: a string is not a number; a current of 1e308 A/m² wrote ±inf to the CSV with exit 0
    (dict(t='"5e-9"'), "layer 'Co': thickness='5e-9'"),
    (dict(J="1e308"), "current_density=1e+308"),
    (dict(t="1e300"), "layer 'Co': thickness=1e+300"),
    # found by the property test: a list where a number belongs was a TypeError traceback
    (dict(t="[1.0]"), "layer 'Co': thickness=[1.0] is invalid: must be a real number"),
    (dict(J="0.0"), "current_density=0.0 is invalid: must be non-zero"),  # was a ZeroDivisionError
])
def test_bad_case_files_exit_2(tmp_path, capsys, fmt, needle):
    d = dict(t="5e-9", beta="0.5", direction="direction = [0, 0, 1]", extra="", J="1e10")
    d.update(fmt)
    p = tmp_path / "bad.toml"
    p.write_text(BASE.replace("current_density = 1e10", "current_density = {J}").format(**d))
    assert main(["accumulate", str(p), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0], err


def test_unknown_model_and_missing_file_exit_2(tmp_path, capsys):
    assert main(["accumulate", str(CASES / "stack_cocu_valve.toml"), "--model", "five-channel",
                 "--out", str(tmp_path)]) == 2
    assert "model='five-channel'" in capsys.readouterr().err
    assert main(["accumulate", str(tmp_path / "nope.toml")]) == 2
    assert "not found" in capsys.readouterr().err


def test_huge_lsf_and_too_many_points_exit_2(tmp_path, capsys):
    # issue 11: lsf = 1e300 raised an OverflowError traceback; --points 1e8 ran out of memory
    d = dict(t="5e-9", beta="0.5", direction="direction = [0, 0, 1]", extra="")
    p = tmp_path / "big_lsf.toml"
    p.write_text(BASE.format(**d).replace("lsf = 2e-8", "lsf = 1e300"))
    assert main(["accumulate", str(p), "--out", str(tmp_path)]) == 2
    assert "layer 'Co': lsf=1e+300" in capsys.readouterr().err
    p.write_text(BASE.format(**d))
    assert main(["accumulate", str(p), "--points", "100000000", "--out", str(tmp_path)]) == 2
    assert "--points=100000000" in capsys.readouterr().err


def test_interface_given_as_a_number_exit_2(tmp_path, capsys):
    # issue 11: `interface = 5` raised a TypeError traceback
    d = dict(t="5e-9", beta="0.5", direction="direction = [0, 0, 1]", extra="")
    p = tmp_path / "iface.toml"
    p.write_text("interface = 5\n" + BASE.format(**d))
    assert main(["accumulate", str(p), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "interface=5 is invalid" in err[0], err


@pytest.mark.parametrize("case", ["stack_cocu_valve", "stack_co_sd_fourchannel", "stack_co_transverse",
                                  "stack_cocu_valve_tilted"])
def test_profile_plot_legends_name_physics_not_columns(case, capsys, tmp_path):
    """Issue 12: every plotted column (Δμ…, δJ…) has a physics label for the legend."""
    from thermokinetic.cli.accumulate import _LABELS

    out = run_json(capsys, [str(CASES / f"{case}.toml"), "--out", str(tmp_path)])
    csv_path = next(p for p in map(Path, out["files"]) if p.suffix == ".csv" and "longitudinal" not in p.name)
    with open(csv_path) as fh:
        head = next(csv.reader(fh))
    plotted = [c for c in head if c.startswith(("dmu", "dJ"))]
    assert plotted and all(c in _LABELS for c in plotted), plotted
