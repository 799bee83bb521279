import subprocess
import sys

from thermokinetic.cli import commands, main


def test_commands_are_discovered():
    assert "figures" in commands()


def test_unknown_option_exits_2_one_line(capsys):
    try:
        main(["figures", "--nope"])
    except SystemExit as e:
        assert e.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments" in err[0]


def test_unknown_figure_exits_2(tmp_path, capsys):
    assert main(["figures", "--only", "no-such-figure", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--only" in err[0]


def test_module_entry_point_runs():
    r = subprocess.run([sys.executable, "-m", "thermokinetic", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "figures" in r.stdout
