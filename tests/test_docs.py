"""The documentation site (issue 12): it builds with warnings as errors, executing the notebooks and
the example gallery (each example asserts its key number), and says what is missing without the extra."""
from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_building_without_the_docs_extra_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb → ImportError
    with pytest.raises(RuntimeError, match=r"docs extra \(myst_nb is missing\).*pip install -e \"\.\[docs\]\""):
        runpy.run_path(str(ROOT / "docs" / "conf.py"))


@pytest.mark.slow
def test_docs_build_with_warnings_as_errors(tmp_path):
    pytest.importorskip("sphinx", reason="the docs extra is not installed (python -m pip install -e '.[docs]')")
    out = tmp_path / "html"
    r = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", str(ROOT / "docs"),
                        str(out)], capture_output=True, text=True, cwd=ROOT, timeout=1800)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    for page in ("index", "getting_started", "theory", "outputs", "api", "tutorials/index",
                 "tutorials/02_fokker_planck_sphere", "auto_examples/index", "auto_examples/plot_write_error_rate"):
        assert (out / f"{page}.html").is_file(), page
    # the tutorials are rendered with their outputs (executed at build time)
    assert "RESULTS = {" in (out / "tutorials" / "02_fokker_planck_sphere.html").read_text()
    assert "critical_current" in (out / "outputs.html").read_text()
