"""How much parallel work this machine can take, and whether forking is safe right now."""

from __future__ import annotations

import os
import threading


def usable_cores() -> int:
    """Cores this process may run on (a CI container's CPU quota shows in its affinity mask)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Forking copies only the calling thread, so it is safe only in a single-threaded process."""
    return hasattr(os, "fork") and threading.active_count() == 1
