"""Rendered overview pages kept between builds, by what they are made from and what they read.

Rendering an overview page (:func:`kop.render.overview.render_overview`) rescans its body
for citations and formats every part again; on a warm build that was most of "skapa sidor",
although almost every page is made from the same inputs as last time. An entry is kept under
a key the caller computes from everything the page is made from *except* the formatting
(its text and front matter, the features' parts, the date, the settings, the code), and it
names the formatted strings the page read (:func:`kop.render.pdf.formatted_needs`). It is
reused only while those strings are the same in this build's formatting
(:func:`kop.render.pdf.reads_of`): a reference added elsewhere in references.bib leaves the
page alone; a changed year suffix of one of its works renders it again.

Entries are JSON and Markdown, never pickle: the cache folder is as untrusted as the checkout
(a planted cache is refused before the build reads it, KOP183).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

from kop.cite.apa import Formatted
from kop.core.fingerprint import digest
from kop.core.fsutil import prune_cache, touch, write_atomic
from kop.core.model import Overview
from kop.render.pdf import formatted_needs, reads_of

Needs = tuple[list[str], list[str]]  # cluster signatures and reference keys (formatted_needs)


def canonical_json(value: object) -> str:
    """A value as key material: sorted keys, anything unusual as its text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def reads_digest(needs: Needs, view: Formatted) -> str:
    """What a page with ``needs`` reads from ``view`` (a page's own formatting), as one hash."""
    return digest(*reads_of(needs, view))


class KeptPages:
    """One folder of kept pages: ``<key>.md`` (the page) and ``<key>.json`` (owner, needs, reads)."""

    def __init__(self, folder: Path, enabled: bool = True) -> None:
        self.folder = folder
        self.enabled = enabled
        self.used: dict[str, str] = {}  # owner (a page, a version) -> the key this build used for it
        self.hits = 0

    def get(self, key: str, owner: str, view: Callable[[list[str]], Formatted | None]) -> str | None:
        """The kept page under ``key`` if what it read is unchanged in ``view(keys it cites)``, else None."""
        self.used[owner] = key
        if not self.enabled:
            return None
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            signatures, keys = data["needs"]
            needs = ([str(x) for x in signatures], [str(x) for x in keys])
            formatted = view(needs[1])
            if formatted is None or reads_digest(needs, formatted) != str(data["reads"]):
                return None
            page = (self.folder / f"{key}.md").read_text(encoding="utf-8")
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        touch(self.folder / f"{key}.json")
        self.hits += 1
        return page

    def put(self, key: str, owner: str, ov: Overview, view: Formatted, page: str) -> None:
        """Keep ``page``, rendered from ``ov`` with ``view``; a cache that cannot be written is no error."""
        self.used[owner] = key
        if not self.enabled:
            return
        needs = formatted_needs(ov)
        with contextlib.suppress(OSError):  # the page first: an entry is whole once its .json exists
            write_atomic(self.folder / f"{key}.md", page)
            entry = {"owner": owner, "needs": needs, "reads": reads_digest(needs, view)}
            write_atomic(self.folder / f"{key}.json", json.dumps(entry, ensure_ascii=False))

    def prune(self) -> None:
        """Drop outdated entries (:func:`kop.core.fsutil.prune_cache`)."""
        if self.enabled:
            prune_cache(self.folder, self.used, (".md",))
