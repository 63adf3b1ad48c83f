"""Validator rule: no string from front matter holds a control character (KOP141).

YAML's double-quoted escapes (``"a\\x01b"``, ``"\\u2028"``) let an author write characters
the body check never sees in the file's bytes. They would make ``feed.xml`` invalid XML
for every subscriber and break calendar files, so every string value (and key) of the
front matter is checked after YAML has decoded it, at the field's line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kop.check.fields import field_name
from kop.core.catalogue import message
from kop.core.model import Diagnostic
from kop.core.urlpolicy import CONTROL_CHARACTERS, control_character

CONTROL_IN_FIELD = message("KOP141")
MAX_DEPTH = 64  # front matter is nested a few levels; the YAML loader limits it already


def control_diagnostics(doc: Any, display: str) -> list[Diagnostic]:
    """KOP141 for every front-matter string of ``doc`` (anything with ``meta`` and ``pos()``)."""
    out: list[Diagnostic] = []
    for path, text in _strings(doc.meta, ()):
        found = control_character(text)
        if found is not None:
            line, column = doc.pos(*path)
            out.append(CONTROL_IN_FIELD.at(display, line, column, field=CONTROL_CHARACTERS.sub("?", field_name(path)),
                                           codepoint=found[1]))
    return out


def _strings(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if len(path) > MAX_DEPTH:
        return
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
