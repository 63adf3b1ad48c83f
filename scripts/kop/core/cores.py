"""How much parallel work this machine can take, and whether forking is safe right now."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any


def usable_cores() -> int:
    """Cores this process may run on (a CI container's CPU quota shows in its affinity mask)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Forking copies only the calling thread, so it is safe only in a single-threaded process."""
    return hasattr(os, "fork") and threading.active_count() == 1


def worker_count(items: int, minimum: int) -> int:
    """Processes for ``items`` independent jobs: one per core, or 1 when forking is unsafe or
    there are fewer than ``minimum`` jobs (then a fork costs more than it saves)."""
    return usable_cores() if can_fork() and items >= minimum else 1


def fork_starmap(func: Callable[..., Any], arglists: Iterable[tuple[Any, ...]], workers: int,
                 chunksize: int = 1, meanwhile: Callable[[], Any] | None = None) -> list[Any]:
    """``[func(*args) for args in arglists]``, in a pool of ``workers`` forked processes if above 1.

    ``meanwhile`` runs in this process while the workers work (before them without workers);
    its result is not returned: it keeps what it makes itself.
    """
    if workers <= 1:
        if meanwhile is not None:
            meanwhile()
        return [func(*args) for args in arglists]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pending = pool.starmap_async(func, arglists, chunksize=chunksize)
        if meanwhile is not None:
            meanwhile()
        return pending.get()
