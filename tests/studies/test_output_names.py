import pytest

from thermokinetic.errors import ParameterError
from thermokinetic.studies.run import load_study_case


@pytest.mark.parametrize("name", ["../../../../tmp/x", "a/b", "..", "a b", "/abs", "x" * 101])
def test_study_name_cannot_leave_the_output_folder(name):
    with pytest.raises(ParameterError) as e:
        load_study_case({"study": {"kind": "switching", "name": name}})
    assert "study.name" in str(e.value)


def test_ordinary_names_and_the_file_stem_are_kept(tmp_path):
    cfg, _ = load_study_case({"study": {"kind": "switching", "name": "run-2.a_b"}})
    assert cfg["study"]["name"] == "run-2.a_b"
    case = tmp_path / "my_case.toml"
    case.write_text('[study]\nkind = "switching"\n')
    cfg, _ = load_study_case(case)
    assert cfg["study"]["name"] == "my_case"
