"""kop.site.engine.page_cache: a page whose inputs are unchanged is served from the cache, the same bytes.

Each build runs the real engine on a small generated corpus. The cache is checked from the
outside: a second build writes the same site; a marker planted in a cached page shows up
(so the page really came from the cache) until the page's Markdown changes; a build that
fails keeps nothing; a removed page that a cached page links to is reported again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kop.core.project import load_project
from kop.site.engine import run
from tests.conftest import REPO
from tests.site.corpora import prepared_corpus, tree

pytestmark = pytest.mark.slow  # the engine runs several times on a generated corpus

_PARALLEL = """
import json, sys
from pathlib import Path
from kop.site import engine
from kop.site.engine.parallel_pages import ParallelPages
from kop.core.project import load_project
plugin = ParallelPages(min_pages=1)
problems = engine.run(load_project(Path(sys.argv[1])), Path(sys.argv[2]), parallel=plugin)
print(json.dumps({"problems": problems, "delegated": plugin.delegated}))
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    return prepared_corpus(root, seed=5)


def cache_dir(root: Path) -> Path:
    return load_project(root).cache_dir / "pages"


def entries(root: Path) -> dict[str, str]:
    """Cached page -> its key."""
    return {json.loads(p.read_text(encoding="utf-8"))["owner"]: p.stem for p in cache_dir(root).glob("*.json")}


def menu_sources(root: Path) -> set[str]:
    """The pages ``mkdocs.yml`` puts in the menu (read here with PyYAML, not through the engine)."""
    def walk(node: object) -> list[str]:
        if isinstance(node, str):
            return [node] if node.endswith(".md") else []
        if isinstance(node, dict):
            return [p for value in node.values() for p in walk(value)]
        if isinstance(node, list):
            return [p for item in node for p in walk(item)]
        return []

    return set(walk(yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")).get("nav")))


def outside_menu(root: Path) -> set[str]:
    docs = root / "build" / "docs"
    return {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")} - menu_sources(root)


def overview_sources(root: Path) -> list[Path]:
    return sorted(p for p in (root / "build" / "docs" / "oversikter").glob("*.md") if p.name != "index.md")


def test_a_second_build_is_byte_identical_and_comes_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    project = load_project(corpus)
    assert run(project, tmp_path / "plain", parallel=False, cached=False) == []
    assert not cache_dir(corpus).exists()
    assert run(project, tmp_path / "first", parallel=False) == []
    kept = entries(corpus)
    pages = overview_sources(corpus)
    # the overviews and every page outside the menu; a page in the menu is always rendered
    outside = outside_menu(corpus)
    assert "bidra/felmeddelanden.md" in outside and any(p.startswith("omraden/") for p in outside), outside
    assert sorted(kept) == sorted({f"oversikter/{p.name}" for p in pages} | outside)
    assert not set(kept) & menu_sources(corpus)
    assert run(project, tmp_path / "second", parallel=False) == []
    assert tree(tmp_path / "first") == tree(tmp_path / "plain") == tree(tmp_path / "second")

    # plant a marker in one cached page: the next build serves it, so the page was not rendered again
    uri = f"oversikter/{pages[0].name}"
    html = cache_dir(corpus) / f"{kept[uri]}.html"
    html.write_text(html.read_text(encoding="utf-8").replace("</body>", "<!--FRAN-CACHEN--></body>"), encoding="utf-8")
    assert run(project, tmp_path / "third", parallel=False) == []
    out = (tmp_path / "third" / "oversikter" / pages[0].stem / "index.html").read_text(encoding="utf-8")
    assert "<!--FRAN-CACHEN-->" in out

    # so is a page outside the menu, until its Markdown changes
    guide = "bidra/felmeddelanden.md"
    entry = cache_dir(corpus) / f"{kept[guide]}.html"
    entry.write_text(entry.read_text(encoding="utf-8").replace("</body>", "<!--GUIDE-CACHAD--></body>"),
                     encoding="utf-8")
    assert run(project, tmp_path / "guide", parallel=False) == []
    built = tmp_path / "guide" / "bidra" / "felmeddelanden" / "index.html"
    assert "<!--GUIDE-CACHAD-->" in built.read_text(encoding="utf-8")
    source = corpus / "build" / "docs" / guide
    source.write_text(source.read_text(encoding="utf-8") + "\n\nEn rad till.\n", encoding="utf-8")
    assert run(project, tmp_path / "guide2", parallel=False) == []
    built = (tmp_path / "guide2" / "bidra" / "felmeddelanden" / "index.html").read_text(encoding="utf-8")
    assert "<!--GUIDE-CACHAD-->" not in built and "En rad till." in built

    # a new page (a new overview) is rendered, and a page of the menu changes (a new reference on
    # the reference list): the others stay in the cache, since the menu shows only titles from mkdocs.yml
    new = corpus / "build" / "docs" / "oversikter" / "en-ny-sida.md"
    new.write_text("# En ny sida\n\nText.\n", encoding="utf-8")
    listing = corpus / "build" / "docs" / "referenser.md"
    listing.write_text(listing.read_text(encoding="utf-8") + "\n\nEn ny referens.\n", encoding="utf-8")
    assert run(project, tmp_path / "grown", parallel=False) == []
    out = (tmp_path / "grown" / "oversikter" / pages[0].stem / "index.html").read_text(encoding="utf-8")
    assert "<!--FRAN-CACHEN-->" in out and (tmp_path / "grown" / "oversikter" / "en-ny-sida" / "index.html").is_file()
    new.unlink()

    # the page's Markdown changes: rendered again, the old entry is gone, the others stay
    pages[0].write_text(pages[0].read_text(encoding="utf-8") + "\n\nEn ny mening i slutet.\n", encoding="utf-8")
    assert run(project, tmp_path / "fourth", parallel=False) == []
    out = (tmp_path / "fourth" / "oversikter" / pages[0].stem / "index.html").read_text(encoding="utf-8")
    assert "<!--FRAN-CACHEN-->" not in out and "En ny mening i slutet." in out
    now = entries(corpus)
    assert now[uri] != kept[uri] and not html.exists()
    changed = {uri, guide}  # the guide page's own Markdown changed above
    assert now[guide] != kept[guide]
    added = "oversikter/en-ny-sida.md"
    assert {k: v for k, v in now.items() if k not in changed} == {
        **{k: v for k, v in kept.items() if k not in changed}, added: now[added]}
    # (the removed page's entry waits: a build of another branch may still have the page)


def test_a_failed_build_keeps_nothing_and_a_cached_link_is_checked_again(corpus: Path, tmp_path: Path) -> None:
    project = load_project(corpus)
    first, second = overview_sources(corpus)[:2]
    original = first.read_text(encoding="utf-8")
    first.write_text(original + "\n[Trasig länk](finns-inte.md)\n", encoding="utf-8")
    problems = run(project, tmp_path / "broken", parallel=False)
    assert any("finns-inte.md" in p for p in problems), problems
    assert entries(corpus) == {}  # not even the pages that were fine: the build failed

    # a cached page links to another page; the other page goes away: the link is reported again
    first.write_text(original + f"\n[Grannen]({second.name})\n", encoding="utf-8")
    assert run(project, tmp_path / "linked", parallel=False) == []
    assert f"oversikter/{first.name}" in entries(corpus)
    second.unlink()
    problems = run(project, tmp_path / "gone", parallel=False)
    assert any(second.name in p for p in problems), problems


def test_the_parallel_worker_fills_the_cache_too(corpus: Path, tmp_path: Path) -> None:
    def build(site: str) -> dict:
        out = subprocess.run([sys.executable, "-c", _PARALLEL, str(corpus), str(tmp_path / site)], check=True,
                             capture_output=True, text=True, cwd=corpus,
                             env={"PYTHONPATH": str(REPO / "scripts"), "PATH": "/usr/bin:/bin"})
        return json.loads(out.stdout)

    first = build("first")
    assert first["problems"] == [] and first["delegated"] > 0
    # the worker's pages (overviews) as well as the main's (the pages outside the menu)
    expected = {f"oversikter/{p.name}" for p in overview_sources(corpus)} | outside_menu(corpus)
    assert len(entries(corpus)) == len(expected)
    second = build("second")
    assert second["problems"] == [] and second["delegated"] == 0  # every page from the cache: nothing to fork
    assert tree(tmp_path / "first") == tree(tmp_path / "second")
