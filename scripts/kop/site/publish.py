"""Swap a finished site into place: the previous site stays until the new one is there.

Both renames are within one folder (same file system), so each is atomic; a build that is
killed between them leaves ``.site-old-*`` behind, which :func:`kop.site.lock.clean_stale`
puts back or removes on the next build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def publish(new_site: Path, site_dir: Path) -> None:
    """Swap the finished site into place, keeping the old one until the new one is there."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
        try:
            os.replace(site_dir, old / "site")
        except OSError:
            shutil.rmtree(old, ignore_errors=True)
            raise
    try:
        os.replace(new_site, site_dir)
    except OSError:  # put the previous site back before the error is reported (KOP961)
        if old is not None:
            os.replace(old / "site", site_dir)
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
