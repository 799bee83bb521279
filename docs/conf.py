"""Sphinx configuration of the thermokinetic documentation.

Build (the ``docs`` extra): ``python -m sphinx -W -b html docs docs/_build/html``.  The notebooks of
``notebooks/`` are executed at build time (myst-nb) and the scripts of ``examples/`` run by
sphinx-gallery; the page of output fields is generated from :mod:`thermokinetic.studies.fields`.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

try:
    import furo  # noqa: F401
    import myst_nb  # noqa: F401
    import sphinx_gallery  # noqa: F401
except ImportError as exc:  # a clear message instead of an extension traceback
    raise RuntimeError(f"building the documentation needs the docs extra ({exc.name} is missing): "
                       "python -m pip install -e \".[docs]\"") from None

from thermokinetic import __version__  # noqa: E402
from thermokinetic.studies.fields import markdown  # noqa: E402

# generated sources (not tracked): the notebooks as tutorials and the output-field page
_gen = HERE / "tutorials"
_gen.mkdir(exist_ok=True)
for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
    shutil.copyfile(nb, _gen / nb.name)
(HERE / "outputs.md").write_text(markdown(), encoding="utf-8")

project = "thermokinetic"
author = "the thermokinetic developers"
copyright = "2026, the thermokinetic developers"
version = release = __version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinx_gallery.gen_gallery",
]
myst_enable_extensions = ["dollarmath", "amsmath"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "auto_examples/*.zip",
                    "auto_examples/*.json", "auto_examples/*.md5", "**.ipynb_checkpoints"]

# notebooks: executed at every build, an error in a cell fails the build
nb_execution_mode = "force"
nb_execution_timeout = 900
nb_execution_raise_on_error = True
nb_execution_in_temp = True

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": str(HERE / "auto_examples"),
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
}

autodoc_default_options = {"members": False, "undoc-members": False}
autodoc_typehints = "none"
napoleon_numpy_docstring = True
napoleon_google_docstring = False

html_theme = "furo"
html_title = f"thermokinetic {version}"
suppress_warnings = ["mystnb.unknown_mime_type", "config.cache"]
