"""What one load of ``references.bib`` keeps for the next: parsed chunks, converted and checked entries.

Why: the everyday pull request adds or edits one reference, and the file is loaded again
because its bytes changed. Parsing (:mod:`kop.bib.chunks`), converting to CSL-JSON
(:mod:`kop.bib.converted`) and checking each entry's content (:mod:`kop.bib.validated`) are
the costly steps that depend only on an entry's own text; this bundles them into the one
value the content cache keeps per file.
"""

from __future__ import annotations

from typing import Any

from kop.bib import chunks, converted, validated

__all__ = ["Memo", "is_kept"]


class Memo:
    """Reusable work from the previous load (``kept``), and what this load used (:meth:`used`)."""

    def __init__(self, kept: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None = None) -> None:
        parsed, done, checked = kept if kept is not None else ({}, {}, {})
        self.chunks = chunks.Chunks(parsed)
        self.converted = converted.Converted(done)
        self.validated = validated.Validated(checked)

    def used(self) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """What to keep for the next load: only what this load used, so the memo follows the file."""
        return self.chunks.used, self.converted.used, self.validated.used


def is_kept(value: object) -> bool:
    """Whether a cached value has the shape :class:`Memo` takes (anything else starts afresh)."""
    return (isinstance(value, tuple) and len(value) == 3 and chunks.is_kept(value[0])
            and converted.is_kept(value[1]) and validated.is_kept(value[2]))
