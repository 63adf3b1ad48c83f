"""Placeholder text left over from a skeleton must never reach the site.

``kop ny`` and the copy-me template ``overviews/_mall.md`` fill required fields with
text that starts with :data:`MARKER`, so that a new draft validates while it is being
written. A draft may keep placeholders; an overview that is on its way to the site
(any status but ``utkast``) may not, so an author cannot publish "ERSÄTT: …" by
forgetting one field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kop.check.fields import field_name
from kop.core.catalogue import message
from kop.core.catalogue.fields import PLACEHOLDER_MARKER as MARKER
from kop.core.model import Diagnostic, Overview

DRAFT_STATUS = "utkast"

PLACEHOLDER_LEFT = message("KOP140")


def _strings(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _strings(sub, (*path, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _strings(sub, (*path, i))


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


def placeholder_diagnostics(ov: Overview, display: str) -> list[Diagnostic]:
    """Report every placeholder left in a non-draft overview (fields first, then body lines)."""
    status = ov.meta.get("status")
    if not isinstance(status, str) or status == DRAFT_STATUS:
        return []
    out: list[Diagnostic] = []
    for path, text in _strings(ov.meta, ()):
        if MARKER in text:
            line, col = ov.pos(*path)
            out.append(PLACEHOLDER_LEFT.at(display, line, col, excerpt=_excerpt(text),
                                           where=f"fältet '{field_name(path)}'", status=status))
    for offset, text in enumerate(ov.body.split("\n")):
        col = text.find(MARKER)
        if col >= 0:
            out.append(PLACEHOLDER_LEFT.at(display, ov.body_line + offset, col + 1, excerpt=_excerpt(text[col:]),
                                           where="brödtexten", status=status))
    return out
