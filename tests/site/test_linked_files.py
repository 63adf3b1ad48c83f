"""kop.site.engine.linked_files: the site's static files are hard links to build/docs, and nothing writes through them.

Each test runs the real engine on a small generated corpus. What must happen: the site is
the same bytes as with the engine's own copying, and its static files share their inode with
``build/docs``. What must not: the sanitiser or the search step, rewriting a page of the new
site, changes ``build/docs`` (or through it the published site); a file the engine writes
itself, a symlink, or a file outside ``docs_dir`` is never linked.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kop.core.fsutil import FILE_MODE
from kop.core.project import load_project
from kop.site import sanitize, search_index
from kop.site.build import prepare
from kop.site.engine import ENGINES, api, linked_files, run
from tests.site.corpora import prepared_corpus, tree

pytestmark = pytest.mark.slow  # the engine runs on a generated corpus


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    return prepared_corpus(root, seed=7)


def static_files(docs: Path) -> list[Path]:
    return [p for p in sorted(docs.rglob("*")) if p.is_file() and p.suffix != ".md"]


@pytest.mark.parametrize("name", ENGINES)
def test_static_files_are_linked_and_the_site_is_the_same_bytes(corpus: Path, tmp_path: Path, name: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    if not api.installed(name):
        pytest.skip(f"{name} is not installed")  # both are in the lock; CI has both
    monkeypatch.setenv("KOP_ENGINE", name)
    project = load_project(corpus)
    docs = corpus / "build" / "docs"
    assert run(project, tmp_path / "linked", parallel=False, cached=False) == []
    with monkeypatch.context() as m:  # the engine's own copying, for comparison
        m.setattr(linked_files.LinkedFiles, "on_files", lambda self, files, *, config: files)
        assert run(project, tmp_path / "copied", parallel=False, cached=False) == []
    assert tree(tmp_path / "linked") == tree(tmp_path / "copied")
    statics = static_files(docs)
    assert len(statics) > 20, statics  # permalink redirects, exports, feeds, preview images
    for src in statics:
        rel = src.relative_to(docs)
        assert os.path.samefile(src, tmp_path / "linked" / rel), rel
        assert not os.path.samefile(src, tmp_path / "copied" / rel), rel
    # every file of the site can be read as a copy could (a link shares its mode with build/docs)
    modes = {p.relative_to(tmp_path / "linked").as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in (tmp_path / "linked").rglob("*") if p.is_file()}
    assert {rel: mode for rel, mode in modes.items() if mode != FILE_MODE} == {}
    # the pages the engine writes itself are its own files
    for page in ("index.html", "404.html", "sitemap.xml", "sitemap.xml.gz"):
        assert os.stat(tmp_path / "linked" / page).st_nlink == 1, page


def test_rewriting_a_page_of_the_new_site_leaves_build_docs_alone(corpus: Path, tmp_path: Path) -> None:
    project = load_project(corpus)
    docs = corpus / "build" / "docs"
    # a static page the sanitiser must change (active content in its content region)
    planted = docs / "statisk" / "index.html"
    planted.parent.mkdir(parents=True)
    dirty = ('<html><body><article class="md-content__inner md-typeset"><p>Text</p>'
             '<script>alert(1)</script></article></body></html>')
    planted.write_text(dirty, encoding="utf-8")
    before = tree(docs)
    site = tmp_path / "site"
    assert run(project, site, parallel=False) == []
    assert os.path.samefile(planted, site / "statisk" / "index.html")
    report = sanitize.sanitize_site(site, workers=1)
    assert "statisk/index.html" in report.changed
    assert "<script" not in (site / "statisk" / "index.html").read_text(encoding="utf-8")
    assert planted.read_text(encoding="utf-8") == dirty  # the link was replaced, not written through
    assert not os.path.samefile(planted, site / "statisk" / "index.html")
    assert search_index.run_pagefind(site) == []  # rewrites the indexed pages, writes its bundle
    assert tree(docs) == before


def test_a_symlink_a_file_outside_docs_and_engine_outputs_are_not_linked(corpus: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    project = load_project(corpus)
    docs = corpus / "build" / "docs"
    outside = tmp_path / "utanfor.txt"
    outside.write_text("utanför", encoding="utf-8")
    (docs / "pekare.txt").symlink_to(outside)
    (docs / "pagefind").mkdir()
    (docs / "pagefind" / "gammal.js").write_text("// gammal", encoding="utf-8")
    made: list[linked_files.LinkedFiles] = []

    class Recorded(linked_files.LinkedFiles):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(linked_files, "LinkedFiles", Recorded)
    site = tmp_path / "site"
    assert run(project, site, parallel=False) == []
    assert len(made) == 1 and made[0].linked == len(static_files(docs)) - 2, (made[0].linked, made[0].copied)
    assert not (site / "pekare.txt").is_symlink() and not os.path.samefile(outside, site / "pekare.txt")
    assert os.stat(site / "pagefind" / "gammal.js").st_nlink == 1  # a folder the search step writes itself
    theme_file = next((site / "assets" / "javascripts").rglob("*.js"))
    assert os.stat(theme_file).st_nlink == 1  # the theme's files come from the installed packages


def test_a_file_written_as_0600_is_copied_and_the_next_preparation_mends_its_mode(corpus: Path, tmp_path: Path) -> None:
    docs = corpus / "build" / "docs"
    feed = docs / "feed.xml"
    os.chmod(feed, 0o600)  # as write_atomic left every generated file before (mkstemp's mode)
    assert run(load_project(corpus), tmp_path / "site", parallel=False) == []
    built = tmp_path / "site" / "feed.xml"
    assert not os.path.samefile(feed, built) and stat.S_IMODE(built.stat().st_mode) == FILE_MODE
    result, formatted = prepare(load_project(corpus))  # the same bytes again: write_tree keeps the file
    assert formatted is not None, result.diagnostics
    assert stat.S_IMODE(feed.stat().st_mode) == FILE_MODE
