"""The decoded fields and CSL-JSON of each entry, kept between loads of ``references.bib``.

Why: a pull request that adds one reference changes the file's bytes, so the whole file is
read again; decoding LaTeX, parsing names and building CSL-JSON for the other thousands of
entries is about half of that. What an entry becomes depends only on its key, its type and
its fields after ``@string`` and ``crossref``/``xdata`` are resolved (no date, setting or
other entry), so that is the key: a changed parent, macro or field gives a new key.
"""

from __future__ import annotations

from typing import Any

from kop.core.fingerprint import digest

__all__ = ["Converted", "is_kept"]

Result = tuple[dict[str, str], dict[str, Any]]


def is_kept(value: object) -> bool:
    """Whether a cached value has this module's shape (anything else is recomputed)."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], dict)
        and isinstance(v[1], dict) for k, v in value.items())


class Converted:
    """Entries converted by the previous load (``kept``) and those this load used (``used``)."""

    def __init__(self, kept: dict[str, Result] | None = None) -> None:
        self.kept = kept or {}
        self.used: dict[str, Result] = {}
        self.reused = 0

    def convert(self, key: str, entry_type: str, fields: dict[str, str]) -> Result:
        """The decoded text and the CSL-JSON item of one entry, from the previous load if it had it."""
        entry = digest(key, entry_type, *(part for item in sorted(fields.items()) for part in item))
        found = self.kept.get(entry)
        if found is None:
            from kop.bib.csl import csl_item, decode_fields  # the LaTeX decoder only when one is needed

            text = decode_fields(fields)
            found = (text, csl_item(key, entry_type, fields, text))
        else:
            self.reused += 1
        self.used[entry] = found
        return found
