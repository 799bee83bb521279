import pytest

from thermokinetic.cli import main


@pytest.mark.parametrize("argv", [
    ["run", "cases/study_switching.toml"], ["figures"], ["accumulate", "cases/stack_cocu_valve.toml"],
    ["sweep", "cases/sweep_escape.toml"],
])
def test_output_that_is_a_file_is_refused_before_any_computation(tmp_path, capsys, argv):
    f = tmp_path / "a_file"
    f.write_text("x")
    assert main([*argv, "--out", str(f / "sub")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--out" in err[0] and "not a folder" in err[0]
    assert f.read_text() == "x"


@pytest.mark.parametrize("argv", [
    ["run", "cases/study_switching.toml"], ["figures"], ["accumulate", "cases/stack_cocu_valve.toml"],
    ["sweep", "cases/sweep_escape.toml"],
])
def test_output_that_resolves_to_a_file_is_refused(tmp_path, capsys, argv):
    """'missing/../a_file' passes a check of the path as written (no 'missing' yet) but the OS resolves it
    to the file: mkdir raised FileExistsError (found by the property tests of sweep and figures)."""
    f = tmp_path / "a_file"
    f.write_text("x")
    assert main([*argv, "--out", str(tmp_path / "missing" / ".." / "a_file")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--out" in err[0] and "not a folder" in err[0]
    assert f.read_text() == "x" and not (tmp_path / "missing").exists()
