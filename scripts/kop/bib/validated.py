"""The content checks of each entry, kept between loads of ``references.bib``.

Why: after the parse (:mod:`kop.bib.chunks`) and the conversion (:mod:`kop.bib.converted`)
are reused, checking every entry's content again (type, required fields, dates, DOI, URLs,
Title Case) is the largest part left of loading a file where one reference was added.
:func:`~kop.bib.validate.validate_entry` reads only the entry: its key, type, evaluated
fields, which fields it inherits, and lines, and every message it reports is at the entry's
line or at one of its fields' lines (no line is written into a message's text). So the
checks are kept by those inputs with the lines counted from the entry's first line, and an
entry that moved (a reference added above it) reuses them at its new line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from collections.abc import Callable, Collection

from kop.bib.validate import validate_entry
from kop.core.model import Diagnostic

__all__ = ["Validated", "is_kept"]


def is_kept(value: object) -> bool:
    """Whether a cached value has this module's shape (anything else is checked again)."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, tuple) and all(isinstance(d, Diagnostic) for d in v)
        for k, v in value.items())


class Validated:
    """Checks made by the previous load (``kept``, lines relative to the entry) and those this load used."""

    def __init__(self, kept: dict[str, tuple[Diagnostic, ...]] | None = None) -> None:
        self.kept = kept or {}
        self.used: dict[str, tuple[Diagnostic, ...]] = {}
        self.reused = 0

    def validate(self, path: str, key: str, entry_type: str, line: int, raw: dict[str, str],
                 field_lines: dict[str, int], report: Callable[[Diagnostic], None],
                 inherited: Collection[str] | None) -> None:
        """:func:`~kop.bib.validate.validate_entry`, from the previous load when its inputs are the same."""
        # marshal version 2 writes no back-references, so equal inputs give equal bytes.
        shape = (path, key, entry_type, tuple(sorted(raw.items())),
                 tuple(sorted((name, at - line) for name, at in field_lines.items())),
                 None if inherited is None else tuple(sorted(inherited)))
        digest = hashlib.sha256(marshal.dumps(shape, 2)).hexdigest()
        found = self.kept.get(digest)
        if found is None:
            made: list[Diagnostic] = []
            validate_entry(path, key, entry_type, line, raw, field_lines, made.append, inherited)
            found = tuple(dataclasses.replace(d, line=d.line - line) for d in made)
        else:
            self.reused += 1
        self.used[digest] = found
        for diagnostic in found:
            report(dataclasses.replace(diagnostic, line=diagnostic.line + line))
