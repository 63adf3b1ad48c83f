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
# Between fields: an escape, a brace, a straight quote, a comment, or a field
# whose value starts with a typographic quote.
_TOKENS = re.compile(r'\\.|[{}"%]|(?P<field>[A-Za-z_][\w:.+-]*)[ \t]*=[ \t]*(?P<quote>[' + _OPENERS + "])",
                     re.DOTALL)
_CANDIDATE = re.compile(r"=[ \t]*[" + _OPENERS + "]")
_IN_VALUE = re.compile(r"\\.|[{}" + _OPENERS + "\"']", re.DOTALL)
_AFTER_CLOSER = re.compile(r"[ \t]*(?:[,}#]|\n|\Z)")
_LINE_BLOCK = re.compile(r"^[ \t]*@", re.MULTILINE)  # where bibtexparser starts a block
_ENTRY_HEAD = re.compile(r"[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t\n]*([^,\s{}()\"=']+)")
MAX_VALUE_SCAN = 20_000  # characters searched for a closing quote: bounds the work of a hostile file
MAX_FOUND = 100  # values reported (and read as meant) per file; with MAX_VALUE_SCAN, at most 2 MB searched


@dataclass(frozen=True)
class Delimited:
    """One value between typographic quotes: where its opening quote is, and what it says."""

    line: int
    column: int  # 1-based, the opening quote
    field: str
    quote: str
    key: str  # the entry's key, or "" in a @string or when it cannot be seen
    value: str | None  # the text between the quotes; None when no closing quote was found


def typographic_delimiters(text: str) -> tuple[str, list[Delimited]]:
    """``text`` with each typographic value delimiter replaced by a brace, and where they were.

    Only the blocks that hold a candidate (``=`` and then a typographic quote) are read
    token by token: bibtexparser ends every block at a line-start ``@``, so a block's
    brace depth starts from nothing there, and a 1 MB file with one such value costs a
    few milliseconds, one without any costs a regex search.
    """
    candidates = [match.start() for match in _CANDIDATE.finditer(text)]
    if not candidates:  # the usual file, also one with ” or ’ inside its values
        return text, []
    block_starts = [0] + [match.start() for match in _LINE_BLOCK.finditer(text) if match.start() > 0]
    blocks = sorted({bisect.bisect_right(block_starts, at) - 1 for at in candidates})
    found: list[tuple[int, int, str, str, str, str | None]] = []
    for b in blocks:
        end = block_starts[b + 1] if b + 1 < len(block_starts) else len(text)
        found += _scan_block(text, block_starts[b], end, MAX_FOUND - len(found))
        if len(found) >= MAX_FOUND:
            break
    if not found:
        return text, []
    pieces, out, last, line, counted = [], [], 0, 1, 0
    for opening, closing, field, quote, key, value in found:
        line += text.count("\n", counted, opening)
        counted = opening
        column = opening - (text.rfind("\n", 0, opening) + 1) + 1
        out.append(Delimited(line, column, field, quote, key, value))
        if closing >= 0:
            pieces += [text[last:opening], "{", text[opening + 1 : closing], "}"]
            last = closing + 1
    return "".join(pieces) + text[last:], out


def _scan_block(text: str, start: int, end: int, room: int) -> list[tuple[int, int, str, str, str, str | None]]:
    """(opening, closing or -1, field, quote, key, value) of each typographic value in one block."""
    found: list[tuple[int, int, str, str, str, str | None]] = []
    head = _ENTRY_HEAD.match(text, start)
    key = head.group(2) if head and head.group(1).lower() != "string" else ""  # a @string has no entry key
    depth, in_quote, pos = 0, False, start
    while (match := _TOKENS.search(text, pos, end)) is not None:
        token, pos = match.group(), match.end()
        if match.group("field") is not None:
            if depth != 1 or in_quote:  # inside a value: text, not a delimiter
                pos = match.start("quote") + 1
                continue
            opening = match.start("quote")
            closing = _closing(text, opening + 1, end)
            found.append((opening, -1 if closing is None else closing, match.group("field"), match.group("quote"),
                          key, None if closing is None else text[opening + 1 : closing]))
            if len(found) >= room:
                break
            if closing is not None:
                pos = closing + 1
        elif token in ("{", "}", '"'):
            depth, in_quote = step(token, depth, in_quote)
        elif token == "%" and depth == 1 and not in_quote and starts_comment(text, match.start()):
            newline = text.find("\n", match.start(), end)
            pos = end if newline < 0 else newline
    return found


def step(token: str, depth: int, in_quote: bool) -> tuple[int, bool]:
    """(brace depth, inside a "…" value) after a brace or straight quote, as BibTeX reads an entry.

    Shared with the loader's comment blanking, so both agree on what lies between fields
    (depth 1, outside a quoted value).
    """
    if token == "{":
        return depth + 1, in_quote
    if token == "}":
        depth = max(depth - 1, 0)
        return depth, in_quote and depth > 0
    return depth, (not in_quote if depth == 1 else in_quote)


def _closing(text: str, start: int, end: int) -> int | None:
    """Where the value that starts at ``start`` ends: a quote at brace level 0 followed by ``,``, ``}``,
    ``#`` or the end of the line; None if the entry (or the search) ends first."""
    depth = 0
    limit = min(end, start + MAX_VALUE_SCAN)
    pos = start
    while (match := _IN_VALUE.search(text, pos, limit)) is not None:
        token, pos = match.group(), match.end()
        if token == "{":
            depth += 1
        elif token == "}":
            if depth == 0:
                return None  # the entry ends: no closing quote
            depth -= 1
        elif token in _CLOSERS and depth == 0 and _AFTER_CLOSER.match(text, pos):
            return match.start()
    return None


def starts_comment(text: str, at: int) -> bool:
    """A "%" between fields: first on its line, or after a field's comma or closing delimiter (not in a key)."""
    before = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
    return not before or before[-1] in ',}"' or (before[-1].isdigit() and "=" in before)
