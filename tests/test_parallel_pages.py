"""kop.site.engine.parallel_pages: half the overview pages rendered in a forked worker, the same site as one process.

Each build runs in a fresh Python process: the plugin (rightly) declines to fork in a
process with other threads, which a test session may have (Playwright).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kop.core.project import load_project
from kop.dev.corpus import generate
from kop.site.build import prepare
from tests.conftest import REPO

_ENGINE = """
import json, sys
from pathlib import Path
from kop.site.build import run_engine
from kop.site.engine.parallel_pages import ParallelPages
from kop.core.project import load_project

root, site, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
plugin = ParallelPages(min_pages=1) if mode != "serial" else False
problems = run_engine(load_project(root), site, strict=mode != "lenient", parallel=plugin)
print(json.dumps({"problems": problems, "delegated": plugin.delegated if plugin else 0}))
"""


def engine(root: Path, site: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _ENGINE, str(root), str(site), mode], capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(REPO / "scripts"), "PATH": "/usr/bin:/bin"},
                         cwd=root)
    return json.loads(out.stdout)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parallel") / "small"
    generate(root, "small", seed=3)
    result, formatted = prepare(load_project(root))
    assert formatted is not None, result.diagnostics
    return root


def overview_pages(root: Path) -> list[Path]:
    return sorted((root / "build" / "docs" / "oversikter").glob("*.md"))


def test_parallel_build_is_byte_identical_to_one_process(corpus: Path, tmp_path: Path):
    serial = engine(corpus, tmp_path / "serial", "serial")
    parallel = engine(corpus, tmp_path / "parallel", "parallel")
    assert serial["problems"] == [] and parallel["problems"] == []
    pages = [p for p in overview_pages(corpus) if p.name != "index.md"]
    assert parallel["delegated"] == int(len(pages) * 0.6) > 0  # the worker really built pages
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")
    sitemap = (tmp_path / "parallel" / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"oversikter/{p.stem}/" in sitemap for p in pages)


def test_worker_warnings_fail_a_strict_build(corpus: Path, tmp_path: Path):
    # the worker takes 3 pages in 5, the second among them
    worker_page = [p for p in overview_pages(corpus) if p.name != "index.md"][1]
    original = worker_page.read_text(encoding="utf-8")
    try:
        worker_page.write_text(original + "\n[Trasig länk](finns-inte.md)\n", encoding="utf-8")
        result = engine(corpus, tmp_path / "site", "parallel")
    finally:
        worker_page.write_text(original, encoding="utf-8")
    assert result["delegated"] > 0
    assert any("finns-inte.md" in p for p in result["problems"]), result["problems"]
    assert any("strict" in p for p in result["problems"]), result["problems"]


def test_a_failing_worker_fails_the_build_even_when_not_strict(corpus: Path, tmp_path: Path):
    worker_page = [p for p in overview_pages(corpus) if p.name != "index.md"][1]
    original = worker_page.read_bytes()
    try:
        worker_page.write_bytes(original + b"\n\xff\xfe inte UTF-8\n")  # MkDocs raises on reading it
        result = engine(corpus, tmp_path / "site", "lenient")
    finally:
        worker_page.write_bytes(original)
    assert result["delegated"] > 0
    assert any("Delprocessen" in p for p in result["problems"]), result["problems"]
