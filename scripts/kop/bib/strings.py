"""Evaluate BibTeX field values: braces, quotes, numbers, ``@string`` names and ``#``.

bibtexparser runs with an empty parse stack, so field values arrive as raw source
text. This module turns them into their text (LaTeX still in place) with BibTeX's
semantics: ``@string`` macros are resolved from the definitions made so far (so they
cannot loop), the predefined month macros apply when a file does not define them, and
a length limit stops concatenation bombs.
"""

from __future__ import annotations

import re

__all__ = ["MAX_VALUE_LENGTH", "BadValue", "evaluate"]

#: BibTeX's predefined month macros (plain.bst), used when the file does not define them.
MONTH_MACROS = {
    abbr: name
    for abbr, name in zip(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        strict=True,
    )
}

_MACRO_NAME = re.compile(r"[^\s#\"{}(),=]+")
MAX_VALUE_LENGTH = 1_000_000  # guards against @string concatenation bombs


class BadValue(Exception):
    """A field value that cannot be evaluated; the message is a Swedish reason.

    ``undefined`` is the macro name when the only problem is an undefined @string name.
    """

    def __init__(self, reason: str, undefined: str = "") -> None:
        super().__init__(reason)
        self.undefined = undefined


def evaluate(raw: str, strings: dict[str, str]) -> str:
    """Evaluate a raw BibTeX value to its text (LaTeX kept), resolving @string names."""
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1 and raw.count("}") == 1:
        return raw[1:-1]  # the common case, fast
    if raw.isdigit():
        return raw
    n = len(raw)
    pos = 0
    parts: list[str] = []
    total = 0
    while True:
        while pos < n and raw[pos].isspace():
            pos += 1
        if pos >= n:
            raise BadValue("värdet är tomt" if not parts else "värdet slutar med '#'")
        char = raw[pos]
        if char in '{"':
            end = _closing(raw, pos)
            part = raw[pos + 1 : end]
            pos = end + 1
        elif char.isdigit():
            end = pos
            while end < n and raw[end].isdigit():
                end += 1
            part, pos = raw[pos:end], end
        else:
            match = _MACRO_NAME.match(raw, pos)
            if not match:
                raise BadValue(f"oväntat tecken '{char}'")
            name = match.group()
            pos = match.end()
            folded = name.lower()
            if folded in strings:
                part = strings[folded]
            elif folded in MONTH_MACROS:
                part = MONTH_MACROS[folded]
            else:
                raise BadValue(f"'{name}' är inte definierat med @string (står texten utan klamrar?)", name)
        total += len(part)
        if total > MAX_VALUE_LENGTH:
            raise BadValue("värdet blir orimligt långt")
        parts.append(part)
        while pos < n and raw[pos].isspace():
            pos += 1
        if pos >= n:
            return "".join(parts)
        if raw[pos] != "#":
            raise BadValue("delar av värdet ska skiljas åt med '#' (eller står texten utan klamrar?)")
        pos += 1


_VALUE_DELIMITERS = re.compile(r'\\.|[{}"]', re.DOTALL)


def _closing(raw: str, start: int) -> int:
    """Index of the delimiter closing the {..} or ".." value part that starts at ``start``.

    Scans only delimiters and backslash pairs (a regex does the skipping), which keeps
    long abstracts cheap.
    """
    quote = raw[start] == '"'
    depth = 0 if quote else 1
    for match in _VALUE_DELIMITERS.finditer(raw, start + 1):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0 and not quote:
                return match.start()
            if depth < 0:
                break
        elif token == '"' and quote and depth == 0:
            return match.start()
    raise BadValue("klamrarna eller citattecknen är inte balanserade")
