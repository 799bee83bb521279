"""The gallery's catalog of seed figures (issue 10, item 4): complete, consistent with the registry,
and every test it cites exists."""
import ast
import re
from pathlib import Path

import pytest

from thermokinetic.figures import make_figures, registry
from thermokinetic.figures.catalog import (CATALOG_HEADER, EXTRA_FIGURES, NOT_COMPUTABLE, REPRODUCED,
                                           SEED_FIGURES, SEEDS, catalog_markdown)

ROOT = Path(__file__).resolve().parents[2]
CHEAP = "seed000_slonczewski"  # ≈ 0.1 s (seed004_fig2 0.2 s, seed002_fig2 0.16 s)


def _all_checks():
    for f in SEED_FIGURES:
        for c in f.checks:
            yield f"{f.seed} {f.label}", c
    for e in EXTRA_FIGURES:
        for c in e.checks:
            yield e.name, c


def test_every_registered_figure_is_catalogued():
    reproduced = {n for f in SEED_FIGURES if f.status == REPRODUCED for n in f.figures}
    extras = [e.name for e in EXTRA_FIGURES]
    assert len(extras) == len(set(extras))
    assert not reproduced & set(extras)  # a package figure is either a reproduction or an extra
    missing = set(registry()) - reproduced - set(extras)
    assert not missing, f"add these figures to thermokinetic/figures/catalog.py: {sorted(missing)}"
    assert set(extras) <= set(registry())


def test_entries_are_consistent():
    assert set(SEEDS) == {"000", "001", "002", "003", "004"}
    labels = [(f.seed, f.label) for f in SEED_FIGURES]
    assert len(labels) == len(set(labels))
    reg = registry()
    for f in SEED_FIGURES:
        assert f.seed in SEEDS and f.description.strip()
        assert f.status in (REPRODUCED, NOT_COMPUTABLE), f
        if f.status == REPRODUCED:
            assert f.figures and all(n in reg for n in f.figures), f
            assert f.checks and f.claim, f
            assert not f.reason
        else:
            assert f.reason.strip(), f
            assert not f.figures and not f.checks and f.claim == ""
    for e in EXTRA_FIGURES:
        assert e.seed in SEEDS and e.description.strip() and e.checks


def test_numbered_figures_found_in_the_seeds():
    numbered = {}
    for f in SEED_FIGURES:
        if f.numbered:
            numbered.setdefault(f.seed, []).append(f.label)
    assert numbered == {"002": ["Figure 1", "Figure 2"], "004": [f"FIG. {i}" for i in range(1, 8)]}


def test_numbered_figures_match_the_seed_captions():
    """Where the seed texts are at hand, their captions ("Figure 1.", "FIG. 2.") are the catalog's."""
    dirs = [d for d in (ROOT / "shared" / "seeds", ROOT.parent / "shared" / "seeds") if d.is_dir()]
    if not dirs:
        pytest.skip("seed texts not available")
    found = {}
    for txt in sorted(dirs[0].glob("[0-9][0-9][0-9]_*.txt")):
        caps = re.findall(r"^\s*(Figure \d+|FIG\. \d+)\.", txt.read_text(encoding="utf-8"), re.M)
        if caps:
            found[txt.name[:3]] = sorted(set(caps), key=lambda c: int(c.split()[-1]))
    listed = {}
    for f in SEED_FIGURES:
        if f.numbered:
            listed.setdefault(f.seed, []).append(f.label)
    assert found == listed


def _functions(path: Path) -> set:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


@pytest.mark.parametrize("where, check", list(_all_checks()), ids=lambda x: getattr(x, "test", x))
def test_cited_tests_exist(where, check):
    assert check.test.count("::") == 1 and check.claim.strip()
    assert check.path.startswith("tests/") and check.path.endswith(".py")
    path = ROOT / check.path
    assert path.is_file(), (where, check.path)
    assert check.function in _functions(path), (where, check.test)


def test_markdown_lists_every_seed_and_figure():
    md = catalog_markdown()
    assert md.startswith(CATALOG_HEADER)
    for sid in SEEDS:
        assert f"### Seed {sid}:" in md
    for n in registry():
        assert f"`{n}`" in md
    for f in SEED_FIGURES:
        assert f"| {f.label} |" in md
    # every table row has the five columns
    rows = [ln for ln in md.splitlines() if ln.startswith("|")]
    assert rows and all(ln.replace("\\|", "").count("|") == 6 for ln in rows)


def test_index_md_starts_with_the_catalog(tmp_path):
    res = make_figures(tmp_path, only=[CHEAP])
    assert list(res) == [CHEAP]
    text = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert text.startswith("# thermokinetic figures\n")
    assert CATALOG_HEADER in text and catalog_markdown() in text
    # the catalog comes before the per-figure sections
    assert text.index(CATALOG_HEADER) < text.index(f"## {CHEAP}\n")
    assert f"![{CHEAP}]({CHEAP}.png)" in text
