"""Browser test fixtures: Debian's Chromium driven by Playwright against a real built site.

One site is built per test session from the repository's REAL content (overviews,
references.bib, docs/, mkdocs.yml copied to a temporary directory; the sources are never
touched) and served on 127.0.0.1 by a threaded ``http.server``. One Chromium process is
shared by every test; each test gets its own context. We never download a browser:
``executable_path`` points at ``/usr/bin/chromium`` (scripts/install-system-deps.sh).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content built once per session with the real pipeline (MkDocs + Pagefind)."""
    from kop.core.project import load_project
    from kop.site.build import build

    root = tmp_path_factory.mktemp("real-site") / "project"
    root.mkdir()
    shutil.copytree(REPO / "overviews", root / "overviews")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = build(load_project(root))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    return root / "site"


@pytest.fixture(scope="session")
def site_url(real_site: Path, serve_dir: Callable[[Path], str]) -> str:
    return serve_dir(real_site)
