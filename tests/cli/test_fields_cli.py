"""`thermokinetic fields`: the documentation of the output fields, and a clear refusal of unknown ones."""
import json

from thermokinetic.cli import main
from thermokinetic.studies.fields import FIELDS


def test_named_fields_are_documented_with_unit_and_meaning(capsys):
    assert main(["fields", "critical_current", "wer.pulse_ns", "accumulate.R_ne", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["wer.pulse_ns"] == {"unit": "ns", "meaning": FIELDS["wer.pulse_ns"][1]}
    assert out["accumulate.R_ne"]["unit"] == "Ohm m^2"
    assert main(["fields"]) == 0
    assert capsys.readouterr().out.count("\n") >= len(FIELDS)


def test_an_unknown_field_is_refused_in_one_line_with_the_closest_names(capsys):
    assert main(["fields", "critical_curent"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "field='critical_curent'" in err and "critical_current" in err
