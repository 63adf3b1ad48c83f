"""Parse ``references.bib`` chunk by chunk, keeping each chunk's blocks for the next load.

Why: a pull request that adds one reference changes the file's bytes, so the whole file is
loaded again, and bibtexparser's split of a 3,000-entry file is about 0.3 s of that, the same
blocks every time. The text is cut before every block start (``@type{`` or ``@type(``) at the
start of a line. bibtexparser never lets a block run past such a line (it aborts the block with
"Unexpected block start"), so when every chunk parses alone without a failed block, the
file's parse is the chunks' parses one after the other, with each chunk's lines shifted by
the lines before it. A chunk whose text was parsed by the previous load reuses its blocks; a
file where any chunk fails alone is parsed whole, so its messages are exactly those of a
whole-file parse (the failure may belong to a neighbour, as with a missing ``}``).

Blocks are kept as plain tuples (:data:`Record`) with lines relative to their chunk: they
pickle and unpickle in a fraction of the time bibtexparser's objects take, and they hold
what the loader reads, already stripped and lower-cased where the loader would do it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kop.bib.quiet import quiet
from kop.core.fingerprint import digest

__all__ = ["Chunks", "Record", "is_kept", "records_of"]

# ("entry", line, type, key, ((name, line or None, value), ...)) | ("string", line, name, value)
# | ("comment", line, text) | ("failed", line, raw, error) | ("other", line): lines 0-based.
Record = tuple[Any, ...]
_CHUNK_START = re.compile(r"^(?=[ \t]*@\w*[ \t]*[{(])", re.MULTILINE)


def is_kept(value: object) -> bool:
    """Whether a cached value has this module's shape (anything else is parsed again)."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, tuple) and all(isinstance(r, tuple) and r for r in v)
        for k, v in value.items())


def records_of(blocks: list[Any]) -> tuple[list[Record], bool]:
    """bibtexparser blocks as records, and whether none of them failed to parse."""
    from bibtexparser import model as bibmodel

    records: list[Record] = []
    clean = True
    for block in blocks:
        line = block.start_line or 0
        inner = block
        while isinstance(inner, bibmodel.DuplicateFieldKeyBlock | bibmodel.DuplicateBlockKeyBlock):
            inner = inner.ignore_error_block  # the loader finds duplicate keys and fields itself
        if isinstance(inner, bibmodel.Entry):
            fields = tuple(
                ((field.key or "").strip().lower(), field.start_line,
                 field.value.strip() if isinstance(field.value, str) else str(field.value))
                for field in inner.fields)
            records.append(("entry", line, (inner.entry_type or "").strip().lower(), (inner.key or "").strip(),
                            fields))
        elif isinstance(inner, bibmodel.String):
            records.append(("string", line, (inner.key or "").strip(), str(inner.value).strip()))
        elif isinstance(inner, bibmodel.ParsingFailedBlock):
            clean = False
            records.append(("failed", line, inner.raw or "", inner.error))
        elif isinstance(inner, bibmodel.ImplicitComment):
            records.append(("comment", line, inner.comment or ""))
        else:  # @preamble, @comment: nothing to load, but they end what a failed block started
            records.append(("other", line))
    return records, clean


def _parse(text: str) -> tuple[list[Record], bool]:
    import bibtexparser

    return records_of(list(bibtexparser.parse_string(text, parse_stack=[]).blocks))


class Chunks:
    """Chunks parsed by the previous load (``kept``, by digest of their text) and those this load used."""

    def __init__(self, kept: dict[str, tuple[Record, ...]] | None = None) -> None:
        self.kept = kept or {}
        self.used: dict[str, tuple[Record, ...]] = {}
        self.reused = 0

    def records(self, text: str,
                whole: Callable[[str], list[tuple[Record, int]]]) -> list[tuple[Record, int]]:
        """(record, line offset) for every block of ``text``; ``whole(text)`` parses it whole instead.

        ``whole`` is used when a chunk fails alone; nothing is then kept for the next load.
        """
        import bibtexparser  # noqa: F401 - before quiet(): it silences only the loggers that exist

        out: list[tuple[Record, int]] = []
        used: dict[str, tuple[Record, ...]] = {}
        offset = 0
        with quiet("bibtexparser"):
            for piece in _CHUNK_START.split(text):
                if not piece:
                    continue
                key = digest(piece)
                found = used.get(key)
                if found is None:
                    found = self.kept.get(key)
                if found is None:
                    try:
                        parsed, clean = _parse(piece)
                    except Exception:  # a parser bug: the whole parse reports it at its entry
                        clean = False
                    if not clean:
                        self.used = {}
                        return whole(text)
                    found = tuple(parsed)
                else:
                    self.reused += 1
                used[key] = found
                out.extend((record, offset) for record in found)
                offset += piece.count("\n")
        self.used = used
        return out
