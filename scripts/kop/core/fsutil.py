"""The one atomic write every layer uses (a reader sees the old file or the new one, never half), and cache pruning.

The data goes to a uniquely named temporary file in the target's own folder (same file
system, so the rename is atomic), then replaces the target. A unique name, not a fixed
``.name.tmp``, so two writers never share a temporary file. The file gets the permissions a
plain ``open(path, "w")`` would give it (0666 less the umask), not the temporary file's 0600:
the site's files are linked from ``build/docs`` (:mod:`kop.site.engine.linked_files`) and must
stay readable for the web server and for GitHub's Pages artifact.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (``/proc/self/status``)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    old = os.umask(0o022)
    os.umask(old)
    return old


#: The mode of every file written here: what ``open(path, "w")`` gives under this umask.
FILE_MODE = 0o666 & ~_umask()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` atomically, creating its folder; OSError propagates."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


CACHE_KEEP_DAYS = 30  # an entry of a page missing from a build (no git history, a branch) waits this long


def prune_cache(folder: Path, used: Mapping[str, str], suffixes: tuple[str, ...],
                max_age_days: float = CACHE_KEEP_DAYS) -> None:
    """Drop a page cache's outdated entries: ``<key>.json`` (naming its owner) plus ``<key><suffix>``.

    ``used`` maps each owner this build rendered (a page, a version) to the key it used. An
    entry of one of those owners under another key is outdated and goes at once; an entry
    whose owner this build did not have (a build without the git history, another branch)
    stays until it has not been used for ``max_age_days``: callers touch the entries they reuse.
    """
    keys = set(used.values())
    limit = time.time() - max_age_days * 86400
    with contextlib.suppress(OSError):
        for entry in list(folder.iterdir()) if folder.is_dir() else []:
            if entry.suffix != ".json" or entry.stem in keys:
                continue
            try:
                owner = json.loads(entry.read_text(encoding="utf-8")).get("owner")
                old = entry.stat().st_mtime < limit
            except (OSError, ValueError, AttributeError):
                owner, old = None, True
            if owner in used or old:
                for suffix in (".json", *suffixes):
                    with contextlib.suppress(OSError):
                        entry.with_suffix(suffix).unlink()


def touch(path: Path) -> None:
    """Mark a cache entry as used now (see :func:`prune_cache`, :func:`prune_untouched`); read-only is no error."""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune_untouched(folder: Path, wanted: Callable[[str], bool], max_age_days: float = CACHE_KEEP_DAYS,
                    always: Callable[[str], bool] = lambda _name: False) -> int:
    """Delete the regular files in ``folder`` whose name is ``wanted`` and that no build used for ``max_age_days``.

    For caches keyed by content alone, which cannot tell an outdated entry from another
    branch's: their readers :func:`touch` what they use. ``always`` names files deleted
    whatever their age (an earlier format that is never read). Returns how many went.
    """
    limit = time.time() - max_age_days * 86400
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not wanted(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and (
                    always(entry.name) or entry.stat(follow_symlinks=False).st_mtime < limit):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            pass
    return removed
