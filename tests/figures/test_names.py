"""One naming convention for figures (issue 12): names and file names are snake_case."""
import re
from pathlib import Path

from thermokinetic.figures import registry

ROOT = Path(__file__).resolve().parents[2]


def test_figure_names_and_the_png_files_the_package_writes_are_snake_case():
    assert all(re.fullmatch(r"[a-z0-9_]+", name) for name in registry())
    written = set()
    for py in (ROOT / "thermokinetic").rglob("*.py"):
        written |= set(re.findall(r'"([^"/{}]+\.png)"', py.read_text(encoding="utf-8")))
    assert written and all(re.fullmatch(r"[a-z0-9_]+\.png", f) for f in written), sorted(written)
