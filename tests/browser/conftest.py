"""Browser test fixtures: Debian's Chromium driven by Playwright against a real built site.

One site is built per test session from the repository's REAL content (overviews,
references.bib, docs/, mkdocs.yml copied to a temporary directory; the sources are never
touched) and served on 127.0.0.1 by a threaded ``http.server``. One Chromium process is
shared by every test; each test gets its own context. We never download a browser:
``executable_path`` points at ``/usr/bin/chromium`` (scripts/install-system-deps.sh).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without access logs (they would clutter the test output)."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".js": "text/javascript",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """``serve_dir(path) -> base_url``: serve a directory on 127.0.0.1 (random port) until the session ends."""
    servers: list[http.server.ThreadingHTTPServer] = []
    threads: list[threading.Thread] = []

    def serve(path: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(path))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name=f"serve-{path.name}", daemon=True)
        thread.start()
        servers.append(server)
        threads.append(thread)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
    for thread in threads:
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Debian Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} saknas: kör scripts/install-system-deps.sh (make test gör det)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own content built once per session with the real pipeline (MkDocs + Pagefind)."""
    from kop.build import build
    from kop.project import load_project

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
