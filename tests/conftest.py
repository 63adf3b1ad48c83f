"""Shared fixtures: throw-away project trees built from small fixture files.

Tests never touch the repository's own content; each builds a project in ``tmp_path``
(the real mkdocs.yml and docs/ copied in) and runs the real pipeline on it.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from kop.dev.browser import CHROMIUM_ARGS, chromium_path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Validation compares dates with "today"; pin it so fixtures never expire.
os.environ.setdefault("KOP_TODAY", "2026-11-23")
os.environ.setdefault("SOURCE_DATE_EPOCH", "1763856000")


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Create a project tree; ``overviews`` maps file names to text (or to a fixture Path)."""

    def factory(
        overviews: dict[str, str | Path] | None = None,
        bib: str | Path | None = FIXTURES / "project" / "references.bib",
        with_site_config: bool = True,
    ) -> Path:
        root = tmp_path / "project"
        (root / "overviews").mkdir(parents=True)
        for name, content in (overviews or {}).items():
            target = root / "overviews" / name
            if isinstance(content, Path):
                target.write_bytes(content.read_bytes())
            else:
                target.write_text(content, encoding="utf-8")
        if bib is not None:
            (root / "references.bib").write_bytes(bib.read_bytes() if isinstance(bib, Path) else bib.encode("utf-8"))
        if with_site_config:
            shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
            if (REPO / "docs").is_dir():
                shutil.copytree(REPO / "docs", root / "docs")
        return root

    return factory


# Browser fixtures live here (not in tests/browser/) so every test module shares ONE Playwright
# session: Playwright's sync API cannot be started twice in the same thread.
CHROMIUM = chromium_path() or Path("/usr/bin/chromium")


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
