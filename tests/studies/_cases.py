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
    return s
