"""The Pandoc runs a build keeps (``.cache/kop/citeproc-*``, ``citepage-*``): their keys, reading, writing, pruning.

Each run is a pickle of plain dicts and lists (entries by key, clusters by signature, the
order), keyed by a hash of everything that can change it (:func:`run_digest`), read with the
cache's allow-list unpickler. A run read is touched, and runs no build has read for a
month are deleted (:func:`prune_runs`).
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from kop.core.fsutil import CACHE_KEEP_DAYS, prune_untouched, touch, write_atomic
from kop.sources.cache import load_kept

__all__ = ["RUN_PREFIXES", "prune_runs", "read_run", "run_digest", "write_run"]


def run_digest(fingerprint: str, style: Path, items_json: str, clusters_md: list[str], signatures: list[str]) -> str:
    digest = hashlib.sha256()
    for part in (fingerprint, str(style.name), items_json, *clusters_md, *signatures):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def read_run(cache_file: Path | None) -> tuple[dict[str, str], dict[str, str], list[str]] | None:
    if cache_file is None or not cache_file.exists():
        return None
    try:
        entries, clusters, order = load_kept(cache_file.read_bytes())  # plain dicts and lists only
    except Exception:
        return None  # a damaged cache entry is simply recomputed
    if not (isinstance(entries, dict) and isinstance(clusters, dict) and isinstance(order, list)):
        return None
    touch(cache_file)  # used now: kept by prune_runs for another CACHE_KEEP_DAYS
    return entries, clusters, order


RUN_PREFIXES = ("citeproc-", "citepage-", "citeall-")


def prune_runs(cache_dir: Path | None, max_age_days: float = CACHE_KEEP_DAYS) -> int:
    """Delete the kept runs (``citeproc-*``, ``citepage-*``, whole results ``citeall-*``) unread for ``max_age_days``.

    Why: each edit of an overview or of a bucket's works keeps a new run, and nothing removed
    the old ones, so a long ``make serve`` session or months of pull requests grew the cache
    without bound. A run read from the cache is touched (:func:`read_run`); one that no
    build has read for a month belongs to works or pages that are gone. The JSON files of the
    earlier format are never read any more and go at once. Returns how many were deleted.
    """
    if cache_dir is None:
        return 0
    return prune_untouched(cache_dir, _is_run, max_age_days, always=lambda name: name.endswith(".json"))


def _is_run(name: str) -> bool:
    return name.startswith(RUN_PREFIXES) and name.endswith((".pickle", ".json"))


def write_run(cache_file: Path, entries: dict[str, str], clusters: dict[str, str], order: list[str]) -> None:
    """Keep one run's result (a pickle: read on every build that formats, three times faster than JSON)."""
    write_atomic(cache_file, pickle.dumps((entries, clusters, order), protocol=pickle.HIGHEST_PROTOCOL))
