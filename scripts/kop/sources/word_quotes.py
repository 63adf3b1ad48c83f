"""Word's typographic quotes in YAML front matter (KOP117, KOP118).

Word, Outlook and many phones replace the straight quote ``"`` with ``”`` or ``“`` and
``'`` with ``’`` as you type. YAML only knows the straight ones, so ``title: ”Något”``
is read as a title *with* the quotes, and ``title: ”Något: en studie”`` is a syntax
error. The author believes they did quote the value, so the generic advice "skriv inom
citattecken" misleads them; these helpers name the character and the exact fix instead.
"""

from __future__ import annotations

from kop.core.quotes import NAMES, TYPOGRAPHIC

__all__ = ["NAMES", "TYPOGRAPHIC", "first_in_line", "straight", "unwrap", "wrapped"]

_CLOSING = TYPOGRAPHIC | {'"', "'"}


def wrapped(value: str) -> str | None:
    """The typographic quote ``value`` is wrapped in, or None.

    Wrapped means: starts with a typographic quote and ends with any quote, the way Word
    turns ``"Något"`` into ``”Något”`` (or ``„Något“``, ``»Något«``). A value that only
    contains such quotes inside (``Barnets ”röst” i utredningen``) is ordinary text.
    """
    if len(value) >= 2 and value[0] in TYPOGRAPHIC and value[-1] in _CLOSING:
        return value[0]
    return None


def unwrap(value: str) -> str:
    """``value`` without its wrapping quotes (what the author meant to write)."""
    return value[1:-1].strip()


def first_in_line(line: str) -> tuple[int, str] | None:
    """(1-based column, character) of the first typographic quote in ``line``, or None."""
    for column, char in enumerate(line, start=1):
        if char in TYPOGRAPHIC:
            return column, char
    return None


def straight(value: str) -> str:
    """How the author should write ``value``: inside straight double quotes, escaped as YAML needs."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
