"""One build at a time per checkout, and clean-up after builds that were killed.

Two builds in the same checkout (say ``make site`` in one terminal and ``make serve`` or
a test run in another) share ``build/docs``, ``build/theme`` and ``site/``. Without a lock,
one could rewrite ``build/docs`` while MkDocs is reading it for the other, and publish a
mix of both. ``fcntl.flock`` on ``build/.lock`` serialises them: the kernel releases the
lock when the process ends, however it ends (even ``kill -9``), so a crashed build never
leaves a stale lock behind. The second build waits, says so in Swedish, and gives up with
a clear message after :data:`WAIT_SECONDS`.

The lock is re-entrant within a process (``build()`` calls ``prepare()``, both lock), and
while holding it :func:`clean_stale` removes temporary site directories of killed builds
and, if a build died between the two renames of the swap, puts the previous site back.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kop.core.catalogue import message

WAIT_SECONDS = 600.0
POLL_SECONDS = 0.2
NEW_PREFIX = ".site-new-"
OLD_PREFIX = ".site-old-"

LOCKED = message("KOP950")


class BuildLocked(Exception):
    """Another process held the build lock for longer than we were willing to wait."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"build lock busy after {waited:.0f} s")
        self.waited = waited


_held: dict[Path, int] = {}
_guard = threading.RLock()


@contextmanager
def build_lock(build_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the exclusive build lock of ``build_dir`` (waiting up to ``wait`` seconds).

    The default wait is :data:`WAIT_SECONDS`, or ``KOP_LOCK_WAIT`` from the environment.
    """
    if wait is None:
        wait = float(os.environ.get("KOP_LOCK_WAIT", WAIT_SECONDS))
    key = build_dir.resolve()
    with _guard:
        if _held.get(key):
            _held[key] += 1
            try:
                yield
            finally:
                _held[key] -= 1
            return
        build_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(build_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _acquire(fd, wait)
            _held[key] = 1
            try:
                yield
            finally:
                _held.pop(key, None)
        finally:
            os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, wait: float) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    print("Ett annat bygge pågår i den här katalogen; väntar tills det är klart …", file=sys.stderr, flush=True)
    start = time.monotonic()
    while True:
        time.sleep(POLL_SECONDS)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() - start >= wait:
                raise BuildLocked(time.monotonic() - start) from None


def clean_stale(root: Path, site_dir: Path) -> list[Path]:
    """Remove temporary site directories left by killed builds; call only under the lock.

    If a build was killed between moving ``site/`` aside and moving the new site in,
    ``site/`` is missing and the previous site sits in ``.site-old-*/site``: put it back.
    """
    removed: list[Path] = []
    if not site_dir.exists():
        olds = sorted((p for p in site_dir.parent.glob(OLD_PREFIX + "*") if (p / "site").is_dir()),
                      key=lambda p: p.stat().st_mtime, reverse=True)
        if olds:
            os.replace(olds[0] / "site", site_dir)
    for pattern, parent in ((NEW_PREFIX + "*", root), (OLD_PREFIX + "*", site_dir.parent)):
        for stale in sorted(parent.glob(pattern)):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
                removed.append(stale)
    return removed
