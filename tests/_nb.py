"""Execute a notebook and read back the key numbers it reports.

Convention: a notebook's last code cell prints one line ``RESULTS = {json}``; :func:`run_notebook`
executes the whole notebook in a fresh kernel (cwd = a temporary folder so outputs do not litter
the repository) and returns that dict for the test to assert on.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_notebook(name: str, workdir, timeout: int = 600) -> dict:
    import nbformat
    from nbclient import NotebookClient

    path = ROOT / "notebooks" / name
    nb = nbformat.read(path, as_version=4)
    os.environ.setdefault("MPLBACKEND", "Agg")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    for cell in reversed(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            for line in text.splitlines():
                if line.startswith("RESULTS = "):
                    return json.loads(line[len("RESULTS = "):])
    raise AssertionError(f"{name}: no 'RESULTS = {{...}}' line printed by the last cell")
