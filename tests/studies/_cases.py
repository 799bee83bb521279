"""Shared helper of the study tests: run a case file through the CLI (``--json``) and return the summary."""
from __future__ import annotations

import json
from pathlib import Path

CASES = Path(__file__).resolve().parents[2] / "cases"


def run_case_cli(name: str, tmp_path, capsys) -> dict:
    from thermokinetic.cli import main

    case = CASES / f"{name}.toml"
    assert main(["run", str(case), "--out", str(tmp_path), "--json", "--no-progress"]) == 0
    s = json.loads(capsys.readouterr().out)
    folder = tmp_path / name
    assert (folder / "summary.json").is_file() and (folder / "table.csv").is_file()
    assert all(Path(f).is_file() for f in s["files"]) and any(f.endswith(".png") for f in s["files"])
    check_documented(folder)
    return s


def check_documented(folder) -> None:
    """Issue 12: every field of summary.json and every table.csv column is documented (name, unit,
    meaning), the summary carries that documentation, and the CSV header gives the units."""
    import csv

    from thermokinetic.studies.fields import FIELDS, undocumented

    s = json.loads((Path(folder) / "summary.json").read_text())
    assert undocumented(s) == []
    assert set(s["fields"]) == {k for k in s["fields"]} and "current" in s["fields"]
    assert all(set(v) == {"unit", "meaning"} and "{" not in v["unit"] for v in s["fields"].values())
    with open(Path(folder) / "table.csv", newline="") as fh:
        header = next(csv.reader(fh))
    for title in header:
        name = title.split(" [")[0]
        assert "table." + name in FIELDS, name
        unit = FIELDS["table." + name][0]
        assert (" [" in title) == (unit not in ("", "-")), title
