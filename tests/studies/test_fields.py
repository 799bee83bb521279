"""The documentation of every study output field (issue 12): units filled in from the case, CSV
headers with units, and the generated documentation page."""
from __future__ import annotations

from thermokinetic.studies.fields import ACCUMULATE_FIELDS, FIELDS, csv_header, describe, markdown, undocumented


def test_units_are_filled_in_from_the_summary_and_undocumented_keys_are_found():
    s = {"study": "effective_barrier", "current_unit": "A/m^2", "rate_unit": "1/s", "current": [0.0, 1.0],
         "critical_current": 2.0, "wer": {"pulse_ns": [1.0], "wer": [[0.5]]}, "new_field": 3}
    d = describe(s)
    assert d["critical_current"] == {"unit": "A/m^2", "meaning": FIELDS["critical_current"][1]}
    assert d["wer.pulse_ns"]["unit"] == "ns" and d["wer.wer"]["unit"] == ""
    assert undocumented(s) == ["new_field"]
    s["fields"] = d
    assert undocumented(s) == ["new_field"]  # the documentation section itself is not a field
    assert csv_header(["current", "rate", "status", "sigma"], s) == ["current [A/m^2]", "rate [1/s]", "status", "sigma"]


def test_every_field_has_a_unit_and_a_meaning_and_the_page_lists_them():
    for key, (unit, meaning) in FIELDS.items():
        assert isinstance(unit, str) and len(meaning) > 8, key
    page = markdown()
    assert page.count("\n| `") == len(FIELDS) + len(ACCUMULATE_FIELDS)
    assert "| `critical_current` | `{current_unit}` |" in page
