"""kop.site.engine.parallel_pages: most overview pages rendered in a forked worker, the same site as one process.

Each build runs in a fresh Python process: the plugin (rightly) declines to fork in a
process with other threads, which a test session may have (Playwright); and one process
holds one engine. Every test runs under both engines, MkDocs and ProperDocs.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from kop.site.engine import parallel_pages
from kop.site.engine.parallel_pages import ParallelPages
from tests.conftest import REPO
from tests.site.corpora import prepared_corpus, tree

ENGINES = ["mkdocs", "properdocs"]

pytestmark = pytest.mark.slow  # every test but the last runs the site engine on a generated corpus, some twice

_ENGINE = """
import json, sys
from pathlib import Path
from kop.site import engine
from kop.site.engine.parallel_pages import ParallelPages
from kop.core.project import load_project

root, site, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
plugin = ParallelPages(min_pages=1) if mode != "serial" else False
problems = engine.run(load_project(root), site, strict=mode != "lenient", parallel=plugin, cached=False)
print(json.dumps({"problems": problems, "delegated": plugin.delegated if plugin else 0,
                  "engines": sorted(engine.api._LOADED)}))
"""


def engine(root: Path, site: Path, mode: str, name: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _ENGINE, str(root), str(site), mode], capture_output=True,
                         text=True, check=True, cwd=root,
                         env={"PYTHONPATH": str(REPO / "scripts"), "PATH": "/usr/bin:/bin", "KOP_ENGINE": name})
    result = json.loads(out.stdout)
    assert result["engines"] == [name]
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "small"
    return prepared_corpus(root, seed=3)


def overview_pages(root: Path) -> list[Path]:
    return sorted((root / "build" / "docs" / "oversikter").glob("*.md"))


@pytest.mark.parametrize("name", ENGINES)
def test_parallel_build_is_byte_identical_to_one_process(corpus: Path, tmp_path: Path, name: str):
    serial = engine(corpus, tmp_path / "serial", "serial", name)
    parallel = engine(corpus, tmp_path / "parallel", "parallel", name)
    assert serial["problems"] == [] and parallel["problems"] == []
    pages = [p for p in overview_pages(corpus) if p.name != "index.md"]
    assert parallel["delegated"] == int(len(pages) * 0.6) > 0  # the worker really built pages
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")
    sitemap = (tmp_path / "parallel" / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"oversikter/{p.stem}/" in sitemap for p in pages)


@pytest.mark.parametrize("name", ENGINES)
def test_worker_warnings_fail_a_strict_build(corpus: Path, tmp_path: Path, name: str):
    # the worker takes 3 pages in 5, the second among them
    worker_page = [p for p in overview_pages(corpus) if p.name != "index.md"][1]
    original = worker_page.read_text(encoding="utf-8")
    try:
        worker_page.write_text(original + "\n[Trasig länk](finns-inte.md)\n", encoding="utf-8")
        result = engine(corpus, tmp_path / "site", "parallel", name)
    finally:
        worker_page.write_text(original, encoding="utf-8")
    assert result["delegated"] > 0
    assert any("finns-inte.md" in p for p in result["problems"]), result["problems"]
    assert any("strict" in p for p in result["problems"]), result["problems"]


@pytest.mark.parametrize("name", ENGINES)
def test_a_failing_worker_fails_the_build_even_when_not_strict(corpus: Path, tmp_path: Path, name: str):
    worker_page = [p for p in overview_pages(corpus) if p.name != "index.md"][1]
    original = worker_page.read_bytes()
    try:
        worker_page.write_bytes(original + b"\n\xff\xfe inte UTF-8\n")  # MkDocs raises on reading it
        result = engine(corpus, tmp_path / "site", "lenient", name)
    finally:
        worker_page.write_bytes(original)
    assert result["delegated"] > 0
    assert any("Delprocessen" in p for p in result["problems"]), result["problems"]


def test_both_engines_build_the_same_site_in_parallel(corpus: Path, tmp_path: Path):
    for name in ENGINES:
        assert engine(corpus, tmp_path / name, "parallel", name)["problems"] == []
    assert tree(tmp_path / "mkdocs") == tree(tmp_path / "properdocs")


def test_the_plugin_switches_itself_off_when_the_engine_internals_differ(monkeypatch, caplog):
    """A release that renamed or reshaped the private page functions: no fork, one INFO line, a normal build."""
    monkeypatch.setattr(parallel_pages, "worker_count", lambda pages, minimum: 2)
    reason = "properdocs.commands.build._build_page saknas"
    changed = SimpleNamespace(logger="properdocs", page_internals=lambda: reason)
    plugin = ParallelPages(min_pages=1, engine=changed)  # type: ignore[arg-type]
    pages = [SimpleNamespace(src_uri=f"oversikter/o{i}.md") for i in range(9)]
    files = SimpleNamespace(documentation_pages=lambda: pages)
    nav = object()
    with caplog.at_level(logging.INFO, logger="properdocs.plugins.kop"):
        assert plugin.on_nav(nav, config=None, files=files) is nav
    assert plugin.worker is None and plugin.delegated == 0
    assert plugin.declined == reason
    assert any("Parallella sidor avstängda" in r.getMessage() and r.levelno == logging.INFO for r in caplog.records)
    plugin.on_post_build(config=None)  # nothing to collect, nothing raised
