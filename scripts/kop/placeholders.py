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

from .messages import define
from .model import Diagnostic, Overview
from .validate import field_name

MARKER = "ERSÄTT"
DRAFT_STATUS = "utkast"

PLACEHOLDER_LEFT = define(
    "KOP140",
    "Platshållaren '{excerpt}' i {where} är inte ersatt, men status är '{status}'.",
    "Skriv in den riktiga texten i stället för platshållaren, eller sätt status till utkast.",
    explanation="Kommandot make ny och mallen overviews/_mall.md fyller obligatoriska fält med text som "
    f"börjar med {MARKER}, så att ett utkast går igenom kontrollen medan det skrivs. Innan översikten "
    "lämnar status utkast måste alla sådana platshållare, i fälten och i brödtexten, vara ersatta.",
)


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
