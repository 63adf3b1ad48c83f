"""The search index step is cached by content and reads pages in linear time, with unchanged output.

A warm build reuses each unchanged page's words, the splits and suggestions of an unchanged
vocabulary and, when no indexed page changed, Pagefind's stabilised bundle. Every test
compares bytes with an uncached run on the same content, so a stale or partial cache fails.
"""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from kop.site.search_index import EXCLUDE_SELECTORS, ROOT_SELECTOR, VOCABULARY_PATH, indexed_pages, run_pagefind
from kop.site.search_words import _parse, _skippable_prefix, page_text

ROOT_CLASS = ROOT_SELECTOR.split(".", 1)[1]
EXCLUDED = [sel.lstrip(".") for sel in EXCLUDE_SELECTORS]
PAGES = {
    "oversikter/a/index.html": "<h1>Samverkansprojekt</h1><p>Om projekt och samverkan i kommunen.</p>"
    '<span data-pagefind-filter="area[data-kop-value]" data-kop-value="samverkan och organisering"></span>',
    "oversikter/b/index.html": "<h1>Projekt</h1><p>Om kommunen och rehabilitering.</p>",
    "oversikter/sida-2/index.html": "<h1>Översikter, sida 2</h1><p>Katalogsida listningsord.</p>",
    "bidra/index.html": "<h1>Bidra</h1><p>Fältreferens &amp; felmeddelanden.</p>",
}


def _site(root: Path, pages: dict[str, str] = PAGES) -> Path:
    site = root / "site"
    for rel, body in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(f'<!doctype html><html lang="sv"><head><title>T</title></head><body><nav>meny</nav>'
                                f'<article class="md-content__inner">{body}</article></body></html>', encoding="utf-8")
    return site


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _indexed(tmp_path: Path, name: str, pages: dict[str, str] = PAGES, cache: Path | None = None,
             timeout: float = 300) -> dict[str, bytes]:
    site = _site(tmp_path / name, pages)
    assert run_pagefind(site, timeout=timeout, cache_dir=cache) == []
    return _files(site)


def test_a_warm_run_gives_the_same_bytes_without_running_pagefind(tmp_path):
    cache = tmp_path / "cache"
    plain = _indexed(tmp_path, "plain")
    cold = _indexed(tmp_path, "cold", cache=cache)
    # A timeout no process can meet: this run succeeds only if Pagefind is not started at all.
    warm = _indexed(tmp_path, "warm", cache=cache, timeout=1e-9)
    assert cold == plain and warm == plain
    assert any(name.startswith("pagefind/filter/") for name in plain)
    with pytest.raises(AssertionError):  # the same impossible timeout without a cache does fail
        _indexed(tmp_path, "uncached", timeout=1e-9)


def test_a_changed_page_is_indexed_again(tmp_path):
    cache = tmp_path / "cache"
    before = _indexed(tmp_path, "before", cache=cache)
    changed = {**PAGES, "oversikter/b/index.html": "<h1>Projekt</h1><p>Om kvantdatorer i kommunen.</p>"}
    warm = _indexed(tmp_path, "after", changed, cache=cache)
    fresh = _indexed(tmp_path, "fresh", changed)
    assert warm == fresh
    assert warm["pagefind/pagefind-entry.json"] != before["pagefind/pagefind-entry.json"]
    assert "kvantdatorer" in json.loads(warm[VOCABULARY_PATH])["words"]
    assert "rehabilitering" not in json.loads(warm[VOCABULARY_PATH])["words"]


def test_an_unreadable_cache_entry_is_recomputed(tmp_path):
    cache = tmp_path / "cache"
    first = _indexed(tmp_path, "first", cache=cache)
    entries = sorted((cache / "search-bundle").glob("*.pickle"))
    assert len(entries) == 1
    data = entries[0].read_bytes()
    entries[0].write_bytes(data[: len(data) // 2])  # a build killed while writing, a full disk
    assert _indexed(tmp_path, "truncated", cache=cache) == first
    entries[0].write_bytes(pickle.dumps((entries[0].stem, {"pagefind.js": b"planted"})))  # no entry file
    assert _indexed(tmp_path, "incomplete", cache=cache) == first


def test_the_cache_keeps_one_generation(tmp_path):
    cache = tmp_path / "cache"
    _indexed(tmp_path, "one", cache=cache)
    _indexed(tmp_path, "two", {**PAGES, "oversikter/b/index.html": "<h1>Annat</h1>"}, cache=cache)
    assert len(list((cache / "search-bundle").glob("*.pickle"))) == 1
    assert len(list((cache / "search-page").glob("*.pickle"))) == len(PAGES) - 1  # sida-2 is not indexed


def test_catalogue_pages_beside_the_overviews_are_not_indexed(tmp_path):
    files = _indexed(tmp_path, "site")
    words = json.loads(files[VOCABULARY_PATH])["words"]
    assert "listningsord" not in words and "rehabilitering" in words
    entry = json.loads(files["pagefind/pagefind-entry.json"])
    pages = indexed_pages(tmp_path / "site" / "site")
    assert [p.parent.name for p in pages] == ["bidra", "a", "b"]
    # Pagefind's glob and indexed_pages agree: the vocabulary describes exactly what is searchable.
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(pages)


# ---------------------------------------------------------------- reading only the article


@pytest.mark.parametrize("prefix", [
    "<script>var s = '<article class=\"md-content__inner\">';",  # the prefix leaves a script open
    '<span data-pagefind-filter="area[data-kop-value]" data-kop-value="barn och unga"></span>',  # an area
    '<div class="kop-cite">',  # an excluded element around the article
    "<!-- a comment -->",
    '<article class="other">utanför</article>',  # the first article is not the root
])
def test_a_prefix_that_could_matter_is_parsed(prefix):
    page = (f'<!doctype html><html><body>{prefix}<article class="md-content__inner"><p>Tillit och '
            '<span class="kop-cite">Kullberg</span> stöd.</p></article><p>efter</p></body></html>')
    assert _skippable_prefix(page, ROOT_CLASS, EXCLUDED) == 0
    assert page_text(page, ROOT_CLASS, EXCLUDED) == _parse(page, ROOT_CLASS, EXCLUDED)


def test_a_plain_prefix_is_skipped_with_the_same_text():
    page = ('<!doctype html><html><head><title>T</title><script>var x = 1;</script></head><body><nav><a>meny</a>'
            '</nav><article class="md-content__inner md-typeset"><h1>Tillit</h1><p>Om <span class="kop-cite">K'
            '</span> samverkan &amp; stöd</p><div></article></div></div><article class="md-content__inner">'
            "<p>igen</p></article></body></html>")
    assert _skippable_prefix(page, ROOT_CLASS, EXCLUDED) == page.index("<article")
    assert page_text(page, ROOT_CLASS, EXCLUDED) == _parse(page, ROOT_CLASS, EXCLUDED)
    assert page_text(page, ROOT_CLASS, EXCLUDED)[0].split() == ["Tillit", "Om", "samverkan", "&", "stöd", "igen"]


# ---------------------------------------------------------------- real builds


@pytest.fixture(scope="module")
def shipped_build(tmp_path_factory) -> Path:
    """The shipped content built once (cold caches) with the real pipeline."""
    from kop.core.project import load_project
    from kop.site.build import build
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("search-cache") / "project"
    root.mkdir()
    for item in ("overviews", "docs"):
        shutil.copytree(REPO / item, root / item)
    for item in ("references.bib", "mkdocs.yml"):
        shutil.copy(REPO / item, root / item)
    # Not strict: a broken link in docs/ is not what these tests are about (the build tests catch it).
    result = build(load_project(root), strict=False)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return root


@pytest.mark.slow
def test_reading_only_the_article_gives_the_text_of_the_whole_page_on_every_built_page(shipped_build):
    pages = sorted((shipped_build / "site").rglob("*.html"))
    skipped = 0
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert page_text(page, ROOT_CLASS, EXCLUDED) == _parse(page, ROOT_CLASS, EXCLUDED), path
        skipped += _skippable_prefix(page, ROOT_CLASS, EXCLUDED) > 0
    assert len(pages) > 20 and skipped >= len(pages) // 2  # the short cut is really taken


@pytest.mark.slow
def test_a_warm_rebuild_is_byte_identical_and_reuses_the_index(shipped_build):
    from kop.core.project import load_project
    from kop.core.results import Timings
    from kop.site.build import build

    cold = _files(shipped_build / "site")
    cache = shipped_build / ".cache" / "kop" / "search"
    stamps = {p: p.stat().st_mtime_ns for p in cache.rglob("*.pickle")}
    assert any("search-bundle" in str(p) for p in stamps)
    result = build(load_project(shipped_build), strict=False, timings=Timings())
    assert not [d for d in result.diagnostics if d.severity == "error"]
    assert _files(shipped_build / "site") == cold
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.pickle")} == stamps  # read, not rewritten


def test_pages_read_on_every_core_give_the_same_bytes_as_on_one(tmp_path, monkeypatch):
    """A first build reads the pages in forked workers: the prepared pages and index are those of one process."""
    from kop.site import search_index

    many = dict(PAGES)
    for i in range(search_index.PARALLEL_PAGES + 4):
        many[f"oversikter/o{i}/index.html"] = f"<h1>Översikt {i}</h1><p>Hemtjänstinsatser nummer {i}.</p>"
    calls: list[int] = []
    real = search_index.fork_starmap

    def counting(func, arglists, workers, **kwargs):
        calls.append(workers)
        return real(func, arglists, workers, **kwargs)

    monkeypatch.setattr(search_index, "fork_starmap", counting)
    monkeypatch.setattr(search_index, "worker_count", lambda items, minimum: 2 if items >= minimum else 1)
    parallel = _indexed(tmp_path, "parallel", many, cache=tmp_path / "c1")
    monkeypatch.setattr(search_index, "worker_count", lambda items, minimum: 1)
    single = _indexed(tmp_path, "single", many, cache=tmp_path / "c2")
    assert calls == [2, 1] and parallel == single
    assert "nummer" in json.loads(parallel[VOCABULARY_PATH])["words"]  # words the workers read
