"""After each everyday edit, a build on the warm caches is byte-identical to a cold build of the same sources.

The caches (formatted references, pages, search index, preview cards) are what make the
everyday pull request fast; a key that misses one input would publish a stale page that no
other test sees, because each cache test covers its own part. This runs the real contributor
journey on a generated corpus: one project is built once and then rebuilt warm after every
change, and after every change a copy of its sources alone (no ``.cache``, ``build`` or
``site``) is built cold; the two ``site/`` folders must match file by file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kop.dev import scenarios
from kop.dev.corpus import generate

from .corpora import tree

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

GENERATED = ("site", "build", ".cache", ".site-*")


def build(root: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts"), "KOP_TODAY": "2026-11-23",
           "SOURCE_DATE_EPOCH": "1763856000"}
    proc = subprocess.run([sys.executable, "-m", "kop", "build", "--root", str(root)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def cited_keys(overview: Path) -> list[str]:
    """Plain citation keys in one overview, in the order they occur."""
    return re.findall(r"@([A-Za-z][A-Za-z0-9]+)\b(?![:.])", overview.read_text(encoding="utf-8"))


def _retitle_cited_entry(root: Path) -> None:
    """A correction in references.bib: the title of an entry an overview cites."""
    key = cited_keys(scenarios.published_overviews(root)[0])[0]
    bib = root / "references.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index(f"{{{key},")
    at = text.index("title = {", start) + len("title = {")
    bib.write_text(text[:at] + "Rättad titel om kontinuitet: " + text[at:], encoding="utf-8")


_TWIN = ("\n@article{{{key},\n  author = {{Lindqvist, Tova and {{\\\"O}}berg, Nils}},\n"
         "  title = {{{title}}},\n  journal = {{Nordic Social Work Research}},\n  year = {{2024}},\n"
         "  volume = {{14}},\n  pages = {{{pages}}},\n  doi = {{10.5555/kop-bench.{key}}}\n}}\n")


def _cite(overview: Path, key: str) -> None:
    with overview.open("a", encoding="utf-8") as out:
        out.write(f"\nSamma mönster beskrivs också av Lindqvist och Öberg [@{key}].\n")


def _first_of_two(root: Path) -> None:
    """A new entry by an author pair and year no other entry has, cited in one overview."""
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(_TWIN.format(key="lindqvist2024forsta", title="Första studien om hemtjänstens kontinuitet",
                               pages="1--12"))
    _cite(scenarios.published_overviews(root)[1], "lindqvist2024forsta")


def _second_of_two(root: Path) -> None:
    """A second entry by the same authors and year, cited in the same overview: the first becomes 2024a."""
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(_TWIN.format(key="lindqvist2024andra", title="Andra studien om biståndsbedömning",
                               pages="13--30"))
    _cite(scenarios.published_overviews(root)[1], "lindqvist2024andra")


def _uncite_second(root: Path) -> None:
    """The second citation is taken out again (the entry stays in references.bib, uncited): 2024a is 2024 again."""
    overview = scenarios.published_overviews(root)[1]
    text = overview.read_text(encoding="utf-8")
    line = "\nSamma mönster beskrivs också av Lindqvist och Öberg [@lindqvist2024andra].\n"
    assert line in text
    overview.write_text(text.replace(line, ""), encoding="utf-8")


def _delete_overview(root: Path) -> None:
    """One overview is withdrawn (its file deleted); its page, search entries and sitemap line must go."""
    scenarios.published_overviews(root)[-1].unlink()


EDITS: list[tuple[str, Callable[[Path], object]]] = [
    ("ny referens citerad", lambda root: scenarios.add_reference(root, 1)),
    ("översikt redigerad", lambda root: scenarios.edit_overview(root, 1)),
    ("titel rättad i references.bib", _retitle_cited_entry),
    ("ny post av nya författare", _first_of_two),
    ("andra posten samma författare och år", _second_of_two),
    ("citering borttagen", _uncite_second),
    ("översikt borttagen", _delete_overview),
]


def test_each_warm_build_equals_a_cold_build_of_the_same_sources(tmp_path):
    warm = tmp_path / "warm"
    generate(warm, "small", seed=11)
    build(warm)
    mismatches: list[str] = []
    for step, (name, edit) in enumerate(EDITS):
        edit(warm)
        build(warm)
        cold = tmp_path / f"cold-{step}"
        shutil.copytree(warm, cold, ignore=shutil.ignore_patterns(*GENERATED))
        assert not (cold / ".cache").exists() and not (cold / "site").exists()
        build(cold)
        a, b = tree(warm / "site"), tree(cold / "site")
        if edit is _second_of_two:  # the step exercises disambiguation, not just a new entry
            page = a[f"oversikter/{scenarios.published_overviews(warm)[1].stem}/index.html"].decode("utf-8")
            assert "Öberg, 2024a" in page and "Öberg, 2024b" in page
        only = sorted(a.keys() ^ b.keys())
        differing = sorted(path for path in a.keys() & b.keys() if a[path] != b[path])
        if only or differing:
            mismatches.append(f"{name}: bara i en av dem {only[:10]}, olika {differing[:10]}")
        shutil.rmtree(cold)
    assert not mismatches, "\n".join(mismatches)


def test_the_edits_reach_the_site(tmp_path):
    """The journey above is not vacuous: each edit shows on the built pages (checked on one cold build)."""
    root = tmp_path / "project"
    generate(root, "small", seed=11)
    withdrawn = scenarios.published_overviews(root)[-1].stem
    for _name, edit in EDITS:
        edit(root)
    build(root)
    site = root / "site"
    pages = "\n".join(p.read_text(encoding="utf-8") for p in site.glob("oversikter/*/index.html"))
    assert "En redigerad mening nummer 1" in pages
    assert "Rättad titel om kontinuitet" in pages
    assert "Första studien om hemtjänstens kontinuitet" in pages
    assert "Andra studien om biståndsbedömning" not in pages  # uncited again
    assert re.search(r"Öberg, 2024[^a-z]", pages) and "Öberg, 2024a" not in pages  # and so no 2024a
    assert not (site / "oversikter" / withdrawn).exists()
    assert withdrawn not in (site / "sitemap.xml").read_text(encoding="utf-8")
