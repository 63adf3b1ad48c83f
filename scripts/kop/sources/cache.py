"""A content-hash keyed cache for the expensive per-file steps of ``kop check``.

Why: authors run ``make check`` and ``make serve`` dozens of times a day, and parsing a
thousand front matters and ten thousand references dominates those runs although almost
nothing changed since the last one. What is cached, under ``.cache/kop/`` (git-ignored):

* the parsed bibliography (references + their diagnostics), keyed by the SHA-256 of the
  ``.bib`` bytes, its display path and the code fingerprint;
* one slot per bibliography file (``bib-parts``) with what its last load can lend the next
  one when the file has changed (:mod:`kop.bib.memo`): the parsed blocks of each chunk of
  text between two block starts, keyed by that text (:mod:`kop.bib.chunks`), and each
  entry's decoded fields and CSL-JSON, keyed by the entry's resolved fields
  (:mod:`kop.bib.converted`), and each entry's content checks, keyed by their inputs with
  lines relative to the entry (:mod:`kop.bib.validated`);
* per overview, the loaded file (front matter, body, citations) and its schema
  diagnostics, keyed by the SHA-256 of the file bytes, its display path and the code
  fingerprint;
* one slot per overview (``schema-slot``) with its schema check, keyed by its parsed front
  matter and where each key is written, so an edit of the text alone does not check the
  front matter again (:func:`kop.check.one_file.schema_checked`).

Why it can never serve a stale result: a key covers every input of the cached step. The
code fingerprint hashes every source file of the ``kop`` package and its schema directory,
the resolved schema (vocabularies included, so a vocabulary edit changes it), the Python
version and the versions of the parsing libraries. Checks that depend on *other* files or
on the date are not cached at all and run on every call: duplicate ids and ``related``
(cross-file), citation keys and finding/article keys against the bibliography, dates
against today, unused references. A cache file that cannot be read back exactly (truncated,
corrupt, or from another version) is ignored and recomputed. Entries are pickles read with
an allow-list unpickler, so a planted cache file cannot run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from kop.core.cores import fork_starmap, worker_count
from kop.core.fsutil import write_atomic
from kop.core.model import Citation, CitationItem, Diagnostic, Overview, Reference
from kop.sources.files import read_source

T = TypeVar("T")
FORMAT = 2  # bump when the layout of cached values changes
PACKAGE_DIR = Path(__file__).resolve().parents[1]
_LIBRARIES = ("pyyaml", "jsonschema", "bibtexparser", "pylatexenc")

#: Everything a cached value may contain; anything else makes the entry unreadable (recomputed).
_ALLOWED = {
    ("kop.core.model", "Overview"): Overview,
    ("kop.core.model", "Citation"): Citation,
    ("kop.core.model", "CitationItem"): CitationItem,
    ("kop.core.model", "Diagnostic"): Diagnostic,
    ("kop.core.model", "Reference"): Reference,
    ("pathlib", "PosixPath"): Path,
    ("pathlib", "WindowsPath"): Path,
    ("pathlib", "Path"): Path,
}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache") from None


def load_kept(data: bytes) -> Any:
    """A value pickled into the cache, read with the allow-list (a planted file cannot run code).

    For caches that keep their own files (the formatted references): a pickle of plain
    dicts, lists and strings reads and writes about three times faster than JSON.
    Raises :class:`pickle.UnpicklingError` (or another error of a damaged file).
    """
    return _SafeUnpickler(io.BytesIO(data)).load()


def _source_files() -> list[Path]:
    """The package's Python sources and its schema files, sorted; never Python's bytecode.

    Why not every file under ``schema/``: ``schema/__pycache__/*.pyc`` was counted too, and
    bytecode records its source's modification time, so compiling (``make``'s compileall) or a
    checkout that only touched a file's time changed the fingerprint and lost every cache entry.
    """
    schema_dir = PACKAGE_DIR / "schema"
    return sorted(path for path in PACKAGE_DIR.rglob("*")
                  if "__pycache__" not in path.relative_to(PACKAGE_DIR).parts
                  and (path.suffix == ".py" or schema_dir in path.parents) and path.is_file())


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of everything besides the input file that can change a cached result."""
    from kop.schema.load import resolved_schema_text

    digest = hashlib.sha256(f"kop-cache-{FORMAT}|{sys.version}".encode())
    for path in _source_files():
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(resolved_schema_text().encode("utf-8"))
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


class ContentCache:
    """Get-or-compute by content hash; counts hits and misses so tests can see what happened."""

    def __init__(self, directory: Path, enabled: bool = True) -> None:
        self.directory = directory
        self.enabled = enabled and os.environ.get("KOP_NO_CACHE", "") == ""
        self.hits = 0
        self.misses = 0
        self.used: dict[str, set[str]] = {}

    def key(self, kind: str, *parts: bytes | str) -> str:
        digest = hashlib.sha256(kind.encode() + b"\0" + code_fingerprint().encode())
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def get_or_compute(self, kind: str, key: str, compute: Callable[[], T], check: Callable[[Any], bool]) -> T:
        """Return the cached value for ``key`` if it reads back and passes ``check``; else compute and store."""
        found, value = self.get(kind, key, check)
        if found:
            return value  # type: ignore[no-any-return]
        value = compute()
        self.put(kind, key, value)
        return value

    def get(self, kind: str, key: str, check: Callable[[Any], bool], count: bool = True) -> tuple[bool, Any]:
        """(True, the cached value) if ``key`` reads back and passes ``check``; else (False, None), a miss.

        ``count=False`` for what only helps a recomputation (not a result): hits and misses
        count results, so that they say what was read again.
        """
        path = self.directory / kind / f"{key}.pickle"
        self.used.setdefault(kind, set()).add(path.name)
        if self.enabled:
            try:
                value = load_kept(path.read_bytes())
                if isinstance(value, tuple) and len(value) == 2 and value[0] == key and check(value[1]):
                    self.hits += count
                    return True, value[1]
            except Exception:  # any unreadable entry is simply recomputed
                pass
        self.misses += count
        return False, None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Keep ``value`` under ``key`` (after :meth:`get` missed it)."""
        if self.enabled:
            self._store(self.directory / kind / f"{key}.pickle", (key, value))

    def mark_used(self, kind: str, names: Iterable[str]) -> None:
        """Count entries that other processes (forked workers) used as used here, before :meth:`prune`."""
        self.used.setdefault(kind, set()).update(names)

    def prune(self) -> int:
        """Delete entries of the kinds used in this run that this run did not use; return how many.

        Called after a complete check, so the cache holds one generation (what the tree
        looks like now) instead of growing with every edit and every code change.
        """
        removed = 0
        if not self.enabled:
            return removed
        for kind, names in self.used.items():
            try:
                entries = list(os.scandir(self.directory / kind))
            except OSError:
                continue
            for entry in entries:
                if entry.name not in names:
                    try:
                        os.unlink(entry.path)
                        removed += 1
                    except OSError:
                        pass
        return removed

    @staticmethod
    def _store(path: Path, value: Any) -> None:
        with contextlib.suppress(OSError):  # a read-only or full disk only costs speed
            write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _is_bibliography(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict)
            and isinstance(value[1], list) and all(isinstance(r, Reference) for r in value[0].values())
            and all(isinstance(d, Diagnostic) for d in value[1]))


def _is_overview(value: Any) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Overview)
            and isinstance(value[1], list) and all(isinstance(d, Diagnostic) for d in value[1]))


def cached_bibliography(cache: ContentCache, path: Path, display: str,
                        load: Callable[[Path, Any], tuple[dict[str, Reference], list[Diagnostic]]],
                        parts: tuple[Callable[[Any], Any], Callable[[Any], Any], Callable[[Any], bool]] | None = None,
                        ) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """``load(path, kept)`` through the cache, keyed by the file's bytes; an unsafe or unreadable file is reported.

    When the file has changed, ``parts`` = (make, used, check) keeps what the loader can reuse
    from its last load of this file (one slot per file): ``make(previous or None)`` builds what
    ``load`` gets as ``kept``, ``used(kept)`` is what to keep for the next load, ``check`` its shape.
    """
    data, problem = read_source(path, display)
    if problem is not None:  # a link out of the repository, a FIFO … is never opened by the loader
        return {}, [problem]
    if data is None:
        return load(path, None)
    key = cache.key("bib", str(path), display, data)
    found, value = cache.get("bib", key, _is_bibliography)
    if found:
        return value  # type: ignore[no-any-return]
    kept = None
    if parts is not None:
        make, used, check = parts
        slot = cache.key("bib-parts", str(path), display)
        had, previous = cache.get("bib-parts", slot, check, count=False)
        kept = make(previous if had else None)
    value = load(path, kept)
    cache.put("bib", key, value)
    if parts is not None:
        cache.put("bib-parts", slot, used(kept))
    return value


PARALLEL_MIN = 24  # files to load before a pool of forked processes pays for itself


def cached_overviews(cache: ContentCache, files: list[tuple[Path, str]],
                     load: Callable[[Path, str], tuple[Overview, list[Diagnostic]]],
                     meanwhile: Callable[[], Any] | None = None) -> list[tuple[Overview, list[Diagnostic]]]:
    """``load(path, display)`` (file-local steps only) for each file, through the cache keyed by its bytes.

    The files not in the cache are loaded on every core: a fresh clone (CI, a new contributor)
    checks every file from scratch, and the files are independent, so the misses are shared
    among forked workers and kept as they come back. ``meanwhile`` (the bibliography) runs here
    while they work.
    """
    out: list[tuple[Overview, list[Diagnostic]] | None] = [None] * len(files)
    misses: list[tuple[int, str | None]] = []
    for i, (path, display) in enumerate(files):
        data, _ = read_source(path, display)
        if data is None:  # refused or unreadable: the loader's safe reader reports it, without caching
            misses.append((i, None))
            continue
        key = cache.key("overview", str(path), display, data)
        found, value = cache.get("overview", key, _is_overview)
        if found:
            out[i] = (value[0], list(value[1]))
        else:
            misses.append((i, key))
    workers = worker_count(len(misses), PARALLEL_MIN)
    shares = [misses[w::workers] for w in range(workers)]
    loaded = fork_starmap(_load_share, [(cache, load, [(*files[i], key) for i, key in share]) for share in shares],
                          workers, meanwhile=meanwhile)
    for share, values in zip(shares, loaded, strict=True):
        for (i, _), value in zip(share, values, strict=True):
            out[i] = (value[0], list(value[1]))
    return [value for value in out if value is not None]


def _load_share(cache: ContentCache, load: Callable[[Path, str], tuple[Overview, list[Diagnostic]]],
                files: list[tuple[Path, str, str | None]]) -> list[tuple[Overview, list[Diagnostic]]]:
    """Load a share of the files and keep each in the cache here, in the worker.

    Why here: pickling and writing 200 overviews took about 0.15 s in the parent after the
    workers had finished, while the cores they freed stood idle (the lookups already counted
    each entry as used for :meth:`ContentCache.prune`).
    """
    out = []
    for path, display, key in files:  # the collector is paused by the check (kop.core.collector), also in forks
        value = load(path, display)
        if key is not None:
            cache.put("overview", key, value)
        out.append(value)
    return out
