"""Where the headless browser for browser tests and the benchmark lives.

Debian's Chromium (``apt-get install chromium``, done by scripts/install-system-deps.sh)
is the default; a browser is never downloaded. ``KOP_CHROMIUM`` overrides the path, for
example on GitHub's Ubuntu runners, which ship Google Chrome instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium_path() -> Path | None:
    """The browser executable to drive, or None if there is none on this machine."""
    override = os.environ.get("KOP_CHROMIUM")
    if override:
        return Path(override)
    for candidate in _CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    found = shutil.which("chromium") or shutil.which("google-chrome")
    return Path(found) if found else None
