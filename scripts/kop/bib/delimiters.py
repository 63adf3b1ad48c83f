"""Field values that Word's typographic quotes delimit: ``title = ”Något”`` (KOP218).

Why: an author who edits references.bib in Word, or pastes an entry from an e-mail, gets
``”`` or ``“`` where they typed ``"``. BibTeX only knows ``{…}`` and ``"…"`` around a
value, so bibtexparser read ``”Något`` as the name of an undefined @string (KOP212), or,
with a comma inside the title, lost the whole entry (KOP231 at the entry's first line, and
every citation of it unknown). Both messages pointed away from the cause.

:func:`typographic_delimiters` finds every value that *starts* with a typographic quote
between the fields of an entry (a value can never validly start so: it would be a macro
name) and its closing quote, and returns the text with those two characters replaced by
``{`` and ``}`` (same length, so every line and column stays) together with where each
was. The loader reports each at its quote and reads the entry as the author meant it, so
the one message is the root cause. The file itself is never changed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from kop.core.quotes import TYPOGRAPHIC

_OPENERS = "".join(sorted(TYPOGRAPHIC))
_CLOSERS = TYPOGRAPHIC | {'"', "'"}
# Between fields: an escape, a brace, a straight quote, a comment, a line start, or a field
# whose value starts with a typographic quote.
_TOKENS = re.compile(r'\\.|[{}"%\n]|(?P<field>[A-Za-z_][\w:.+-]*)[ \t]*=[ \t]*(?P<quote>[' + _OPENERS + "])",
                     re.DOTALL)
_IN_VALUE = re.compile(r"\\.|[{}\n" + _OPENERS + "\"']", re.DOTALL)
_AFTER_CLOSER = re.compile(r"[ \t]*(?:[,}#]|\n|\Z)")
_BLOCK_START = re.compile(r"[ \t]*@")
_ENTRY_HEAD = re.compile(r"[ \t]*@[ \t]*\w+[ \t]*[{(][ \t\n]*([^,\s{}()\"=']+)")
MAX_VALUE_SCAN = 20_000  # characters searched for a closing quote: bounds the work of a hostile file


@dataclass(frozen=True)
class Delimited:
    """One value between typographic quotes: where its opening quote is, and what it says."""

    line: int
    column: int  # 1-based, the opening quote
    field: str
    quote: str
    key: str  # the entry's key, or "" when it cannot be seen
    value: str | None  # the text between the quotes; None when no closing quote was found


def typographic_delimiters(text: str) -> tuple[str, list[Delimited]]:
    """``text`` with each typographic value delimiter replaced by a brace, and where they were."""
    if not any(quote in text for quote in TYPOGRAPHIC):
        return text, []
    chars: list[str] | None = None
    found: list[tuple[int, str, str, str, str | None]] = []
    depth, in_quote, pos, entry_start = 0, False, 0, 0
    while (match := _TOKENS.search(text, pos)) is not None:
        token, pos = match.group(), match.end()
        if match.group("field") is not None:
            if depth != 1 or in_quote:  # inside a value: text, not a delimiter
                pos = match.start("quote") + 1
                continue
            opening = match.start("quote")
            closing = _closing(text, opening + 1)
            head = _ENTRY_HEAD.match(text, entry_start)
            found.append((opening, match.group("field"), match.group("quote"), head.group(1) if head else "",
                          text[opening + 1 : closing] if closing is not None else None))
            if closing is not None:
                chars = chars if chars is not None else list(text)
                chars[opening], chars[closing] = "{", "}"
                pos = closing + 1
            continue
        if token == "\n":
            if _BLOCK_START.match(text, pos):  # bibtexparser ends any block at a line-start "@"
                depth, in_quote, entry_start = 0, False, pos
        elif token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
            in_quote = in_quote and depth > 0
        elif token == '"':
            in_quote = not in_quote if depth == 1 else in_quote
        elif token == "%" and depth == 1 and not in_quote and _starts_comment(text, match.start()):
            end = text.find("\n", match.start())
            pos = len(text) if end < 0 else end
    if not found:
        return text, []
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    out = []
    for opening, field, quote, key, value in found:
        line = bisect.bisect_right(starts, opening)
        out.append(Delimited(line, opening - starts[line - 1] + 1, field, quote, key, value))
    return ("".join(chars) if chars is not None else text), out


def _closing(text: str, start: int) -> int | None:
    """Where the value that starts at ``start`` ends: a quote at brace level 0 followed by ``,``, ``}``,
    ``#`` or the end of the line; None if the entry (or the search) ends first."""
    depth = 0
    limit = min(len(text), start + MAX_VALUE_SCAN)
    pos = start
    while (match := _IN_VALUE.search(text, pos, limit)) is not None:
        token, pos = match.group(), match.end()
        if token == "{":
            depth += 1
        elif token == "}":
            if depth == 0:
                return None  # the entry ends: no closing quote
            depth -= 1
        elif token == "\n":
            if _BLOCK_START.match(text, pos):
                return None
        elif token in _CLOSERS and depth == 0 and _AFTER_CLOSER.match(text, pos):
            return match.start()
    return None


def _starts_comment(text: str, at: int) -> bool:
    """A "%" first on its line or right after a field's comma: a comment between fields."""
    before = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
    return not before or before.endswith(",")
