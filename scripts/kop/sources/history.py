"""Published versions of each overview, read from the git history at build time.

A knowledge overview is updated as new studies appear; readers, citers and organisers need
the version they read to stay at a permanent address. The history is the only record of
earlier versions, so this module reads it once per build:

* one ``git log`` over ``overviews/`` lists the commits that touched an overview file;
* one ``git cat-file --batch`` process reads those files' contents at each commit;
* a version is an (id, version) pair seen with status ``publicerad`` (or a later published
  state); its snapshot is the *last* commit that still had that version, so a typo fixed
  without a new version number is part of the version readers saw.

Everything in the history is as untrusted as the pull request itself: blobs are size-capped,
parsed with the same safe YAML loader as the working tree, and the number of commits and
versions read is bounded. A shallow clone (CI's default checkout) or a tree that is not a git
repository gives a warning and the current version only; it never fails the build.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kop.core.catalogue.history import HISTORY_SHALLOW, HISTORY_UNAVAILABLE
from kop.core.cores import fork_starmap, usable_cores, worker_count
from kop.core.fsutil import write_atomic
from kop.core.model import Diagnostic
from kop.sources.blob_front_matter import key_fields, parse_blob
from kop.sources.cache import code_fingerprint
from kop.sources.frontmatter import MAX_FILE_BYTES, decode_text

PARALLEL_PARSE_MIN = 200  # files: below this one process parses faster than a pool starts
MAX_COMMITS = 20_000  # commits read from the log; beyond that, older versions are not shown
MAX_VERSIONS_PER_OVERVIEW = 100
PUBLISHED_STATES = frozenset({"publicerad", "under-uppdatering", "inaktuell"})
GIT_TIMEOUT_S = 60
CACHE_VERSION = 2
_SEP = "\x1f"
_REC = "\x1e"


@dataclass(frozen=True)
class Version:
    """One published version of one overview, as the history holds it."""

    overview_id: str
    version: str
    commit: str  # the last commit that had this version
    first_commit: str  # the commit where this version first appeared as published
    commit_date: str  # ISO date (YYYY-MM-DD) of ``first_commit``
    subject: str  # subject line of ``first_commit`` (the change note's fallback)
    path: str  # the file's path in that commit, relative to the repository
    meta: dict = field(compare=False, hash=False, repr=False)
    body: str = field(compare=False, hash=False, repr=False, default="")
    body_line: int = 1

    @property
    def date(self) -> str:
        """The version's date: ``updated`` (or ``published``) as written, else the commit date."""
        for key in ("updated", "published"):
            value = self.meta.get(key)
            if isinstance(value, str) and len(value) == 10:
                return value
        return self.commit_date

    @property
    def change_note(self) -> str:
        """What changed, in the author's words (``changes:``), or the commit subject."""
        note = self.meta.get("changes")
        if isinstance(note, str) and note.strip():
            return note.strip()
        if isinstance(note, list):
            items = [str(x).strip() for x in note if isinstance(x, str | int | float) and str(x).strip()]
            if items:
                return " ".join(items)
        return self.subject


@dataclass
class History:
    """Every overview's published versions, oldest first, and why the list may be incomplete."""

    versions: dict[str, list[Version]] = field(default_factory=dict)
    complete: bool = True
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def of(self, overview_id: str) -> list[Version]:
        return self.versions.get(overview_id, [])


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=GIT_TIMEOUT_S, check=False
    )


def _repository_state(root: Path) -> str:
    """``"ok"``, ``"shallow"`` or ``"none"`` (no git, not a repository, or no commit yet)."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    except (OSError, subprocess.TimeoutExpired):
        return "none"
    if inside.returncode != 0:
        return "none"
    lines = inside.stdout.decode("utf-8", "replace").split()
    if not lines or lines[0] != "true":
        return "none"
    if _git(root, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        return "none"
    return "shallow" if len(lines) > 1 and lines[1] == "true" else "ok"


def _log(root: Path, folder: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(commit, date, subject, [(path, blob id)]) for commits touching overviews, newest first (one ``git log``)."""
    proc = _git(
        root, "log", f"--max-count={MAX_COMMITS}", "--no-renames", "--raw", "--no-abbrev", "--diff-filter=AM",
        f"--format={_REC}%H{_SEP}%cs{_SEP}%s", "--", f"{folder}/*.md",
    )
    if proc.returncode != 0:
        return []
    out: list[tuple[str, str, str, list[tuple[str, str]]]] = []
    for record in proc.stdout.decode("utf-8", "replace").split(_REC):
        if not record.strip():
            continue
        head, _, rest = record.partition("\n")
        parts = head.split(_SEP)
        if len(parts) != 3:
            continue
        files: list[tuple[str, str]] = []
        for line in rest.splitlines():
            # ":100644 100644 <old> <new> M\t<path>"
            info, _, path = line.partition("\t")
            fields = info.split()
            if len(fields) < 5 or not path.endswith(".md") or "/" not in path:
                continue
            if path.rsplit("/", 1)[1].startswith("_"):
                continue
            files.append((path, fields[3]))
        out.append((parts[0], parts[1], parts[2], files))
    return out


def read_blobs(root: Path, specs: Iterable[str]) -> dict[str, bytes | None]:
    """``<commit>:<path>`` → contents (None when missing or over the size cap), via one git process."""
    wanted = list(dict.fromkeys(specs))
    if not wanted:
        return {}
    # git inflates each object itself: with many, one process per core (each reads its own share)
    shares = [wanted[i::2] for i in range(2)] if len(wanted) >= PARALLEL_PARSE_MIN and usable_cores() > 1 else [wanted]
    result: dict[str, bytes | None] = {}
    try:
        procs = [subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch", "--buffer"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) for _ in shares]
    except OSError:
        return dict.fromkeys(wanted)
    def run(proc: subprocess.Popen[bytes], share: list[str]) -> dict[str, bytes | None]:
        try:
            out, _ = proc.communicate("".join(f"{s}\n" for s in share).encode("utf-8"), timeout=GIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            out = b""
        return _split_batch(out, share)

    if len(procs) == 1:
        return run(procs[0], shares[0])
    with ThreadPoolExecutor(len(procs)) as pool:  # the threads only wait on the pipes; joined before any fork
        for part in pool.map(run, procs, shares):
            result.update(part)
    return result


def _split_batch(data: bytes, wanted: list[str]) -> dict[str, bytes | None]:
    """The output of ``git cat-file --batch`` for ``wanted``, by spec."""
    result: dict[str, bytes | None] = {}
    pos = 0
    for spec in wanted:
        end = data.find(b"\n", pos)
        if end < 0:
            result[spec] = None
            continue
        header = data[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[-1] == b"missing" or header[1] != b"blob":
            result[spec] = None
            if len(header) >= 3 and header[1] != b"blob" and header[2].isdigit():
                pos += int(header[2]) + 1
            continue
        size = int(header[2])
        content = data[pos:pos + size]
        pos += size + 1
        result[spec] = content if size <= MAX_FILE_BYTES else None
    return result


_SHARED: list[dict[str, bytes | None]] = []  # the blobs being parsed, for forked workers to inherit


def _parse_many(blobs: list[str], in_worker: bool) -> list[list[Any] | None]:
    """:func:`parse_blob` over a share of the blobs (in a worker process, or in this one).

    A worker sends back the front matter and, instead of the body (most of each file, and
    costly to send), its length: the body is the end of the text, which the parent has.
    """
    contents = _SHARED[0]
    memo: dict[object, Any] = {}  # the share holds whole overviews' histories: their versions share blocks
    out: list[list[Any] | None] = []
    for blob in blobs:
        data = contents.get(blob)
        parsed = parse_blob(data, blob, memo)
        if parsed is None:
            out.append(None)
            continue
        meta, body, line = parsed
        if in_worker and data is not None and decode_text(data, blob).text.endswith(body):
            out.append([meta, len(body), line])
        else:
            out.append([meta, body, line])
    return out


def _chunks(items: list[str], n: int, group: dict[str, str], size: dict[str, int]) -> list[list[str]]:
    """``items`` in ``n`` shares of about equal size, each file's versions together (``group``: item -> path).

    One overview's versions repeat most of their front matter, which a share parses once.
    """
    if n <= 1:
        return [items]
    groups: dict[str, list[str]] = {}
    for item in items:
        groups.setdefault(group.get(item, item), []).append(item)
    shares: list[list[str]] = [[] for _ in range(n)]
    loads = [0] * n
    for members in sorted(groups.values(), key=lambda m: -sum(size.get(i, 0) for i in m)):
        lightest = loads.index(min(loads))
        shares[lightest].extend(members)
        loads[lightest] += sum(size.get(i, 0) for i in members)
    return [share for share in shares if share]


def _key(meta: dict) -> tuple[str, str] | None:
    oid, version, status = meta.get("id"), meta.get("version"), meta.get("status")
    if not isinstance(oid, str) or not isinstance(version, str | int | float):
        return None
    if status not in PUBLISHED_STATES or meta.get("withdrawn"):
        return None
    return oid, str(version)


def blob_id(root: Path, spec: str) -> str | None:
    """The blob id of ``<commit>:<path>`` (or of a working-tree file, ``--path=<file>``), or None."""
    try:
        if spec.startswith("--path="):
            proc = _git(root, "hash-object", spec[len("--path="):])
        else:
            proc = _git(root, "rev-parse", "--verify", "-q", spec)
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = proc.stdout.decode("ascii", "replace").strip()
    return value if proc.returncode == 0 and len(value) >= 40 else None


def _cache_version() -> str:
    """The cache's format and the code that parsed it: a changed parser never reads old results."""
    return f"{CACHE_VERSION}-{code_fingerprint()}"


def _load_cache(path: Path | None) -> dict[str, Any]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == _cache_version() else {}


def read_history(root: Path, folder: str = "overviews", cache_dir: Path | None = None,
                 current: dict[str, str] | None = None) -> History:
    """Every overview's published versions in the repository at ``root`` (see the module doc).

    Two passes: each file's ``id``, ``version`` and ``status`` (:func:`key_fields`) say which
    commit holds each version's final text; only those files are parsed whole, and not the one of
    an overview's ``current`` version (id -> version in the working tree, which has its text):
    that version's entry carries only its key fields. A blob never changes, so what each one
    parsed to is kept in ``cache_dir`` by blob id (JSON, never pickle: the cache directory is as
    untrusted as the checkout); a warm build reads the log and that file and parses only what is new.
    """
    state = _repository_state(root)
    if state == "none":
        return History(complete=False, diagnostics=[HISTORY_UNAVAILABLE.at(folder, 0, 0)])
    if state == "shallow":
        return History(complete=False, diagnostics=[HISTORY_SHALLOW.at(folder, 0, 0)])
    log = _log(root, folder)
    cache_file = cache_dir / "history.json" if cache_dir is not None else None
    cache = _load_cache(cache_file)
    parsed_by_blob: dict[str, Any] = dict(cache.get("blobs") or {})  # blob -> [meta, body, line]
    keys_by_blob: dict[str, Any] = dict(cache.get("keys") or {})  # blob -> key fields (not parsed whole)
    blobs_in_log = list(dict.fromkeys(blob for _, _, _, files in log for _, blob in files))
    unseen = [b for b in blobs_in_log if b not in parsed_by_blob and b not in keys_by_blob]
    contents = read_blobs(root, unseen) if unseen else {}
    for blob in unseen:
        fields = key_fields(contents.get(blob), blob)
        if fields is not None:
            keys_by_blob[blob] = fields
    # the last blob of each published (id, version): the text readers saw
    last_blob: dict[tuple[str, str], str] = {}
    for _, _, _, files in reversed(log):
        for _, blob in files:
            fields = parsed_by_blob[blob][0] if parsed_by_blob.get(blob) else keys_by_blob.get(blob)
            key = _key(fields) if isinstance(fields, dict) else None
            if key is not None:
                last_blob[key] = blob
    wanted = {blob for key, blob in last_blob.items() if (current or {}).get(key[0]) != key[1]}
    missing = [b for b in blobs_in_log if b not in parsed_by_blob and (b in wanted or b not in keys_by_blob)]
    if missing:
        contents.update(read_blobs(root, [b for b in missing if b not in contents]))
        # Parsing front matter is the scan's cost (a fresh clone parses every version once): one
        # process per core when there are enough files for a fork to pay.
        path_of = {blob: path for _, _, _, files in log for path, blob in files}
        sizes = {blob: len(contents.get(blob) or b"") for blob in missing}
        chunks = _chunks(missing, worker_count(len(missing), PARALLEL_PARSE_MIN), path_of, sizes)
        _SHARED[:] = [contents]  # a forked worker inherits the contents: only the blob ids are sent
        try:
            results = fork_starmap(_parse_many, [(blobs, len(chunks) > 1) for blobs in chunks], len(chunks))
        finally:
            _SHARED.clear()
        for blobs, parsed_list in zip(chunks, results, strict=True):
            for blob, parsed in zip(blobs, parsed_list, strict=True):
                if parsed is not None and isinstance(parsed[1], int):  # the body is the text's last n chars
                    n = parsed[1]
                    parsed[1] = decode_text(contents[blob] or b"", blob).text[-n:] if n else ""
                parsed_by_blob[blob] = parsed
                keys_by_blob.pop(blob, None)
    if (unseen or missing) and cache_file is not None:
        with contextlib.suppress(OSError, TypeError, ValueError):
            data = json.dumps({"version": _cache_version(), "blobs": parsed_by_blob, "keys": keys_by_blob},
                              ensure_ascii=False, default=str)
            write_atomic(cache_file, data.encode("utf-8"))
    # Walk oldest first: the first sight of (id, version) is where it appeared, the last its final state.
    first: dict[tuple[str, str], tuple[str, str, str]] = {}
    last: dict[tuple[str, str], tuple[str, str, Any]] = {}
    order: dict[str, list[str]] = {}
    for commit, day, subject, files in reversed(log):
        for path, blob in files:
            parsed = parsed_by_blob.get(blob)
            if not parsed and isinstance(keys_by_blob.get(blob), dict):
                parsed = [keys_by_blob[blob], "", 1]  # a current version: the working tree has its text
            if not parsed or not isinstance(parsed[0], dict):
                continue
            key = _key(parsed[0])
            if key is None:
                continue
            if key not in first:
                first[key] = (commit, day, subject)
                order.setdefault(key[0], []).append(key[1])
            last[key] = (commit, path, parsed)
    history = History()
    for oid, versions in order.items():
        out: list[Version] = []
        for version in versions[-MAX_VERSIONS_PER_OVERVIEW:]:
            f_commit, day, subject = first[(oid, version)]
            l_commit, path, (meta, body, body_line) = last[(oid, version)]
            out.append(Version(oid, version, l_commit, f_commit, day, subject, path, meta, body, int(body_line)))
        history.versions[oid] = out
    return history


def last_changed(root: Path, paths: Iterable[str]) -> dict[str, str]:
    """Repository-relative path → ISO date of the last commit that changed it (one ``git log``).

    Used to find drafts nobody has touched for a long time. Paths the history does not know
    (new files, no git, a shallow clone's missing past) are simply absent.
    """
    wanted = set(paths)
    if not wanted or _repository_state(root) == "none":
        return {}
    proc = _git(root, "log", f"--max-count={MAX_COMMITS}", "--no-renames", "--name-only",
                f"--format={_REC}%cs", "--", *sorted(wanted))
    if proc.returncode != 0:
        return {}
    out: dict[str, str] = {}
    for record in proc.stdout.decode("utf-8", "replace").split(_REC):
        head, _, rest = record.partition("\n")
        for line in rest.splitlines():
            name = line.strip()
            if name in wanted and name not in out:
                out[name] = head.strip()
    return out
