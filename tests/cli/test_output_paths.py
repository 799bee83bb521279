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
