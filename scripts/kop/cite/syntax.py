"""What a citation key looks like, and when an ``@`` is not the start of one.

This is the one place that decides whether the characters after an ``@`` form a key
(Pandoc's simple and braced keys) and whether the ``@`` is glued to a word, as in an
e-mail address or a URL, so that it is plain text rather than a citation.
"""

from __future__ import annotations

import re

# A simple key (Pandoc's simpleCiteIdentifier): a letter, digit or '_', then word
# characters, with the listed punctuation only *inside* the key (before a word
# character), or ':' and '/' before a '/' so that URL-like keys keep their '://'.
_SIMPLE_KEY = re.compile(r"\w(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*+")
# A braced key: anything but whitespace, braces balanced (one level of nesting).
_BRACED_KEY = re.compile(r"\{((?:[^\s{}]|\{[^\s{}]*+\})*+)\}")
_MAX_BRACED = 1000  # bound the look-ahead of a braced key; real keys are short

# Characters that may stand in the local part of an e-mail address. An '@' preceded by
# a run of these that holds a letter or digit is part of an address or URL, not a key.
_EMAIL_CHARS = frozenset("!#$%&'*+-/=?^_{|}~.")


def after_word(text: str, pos: int, floor: int) -> bool:
    """True if the character at ``pos`` is glued to a word, as in an address or URL.

    Pandoc refuses a key straight after a word (``name@example.se``). We also look
    through e-mail punctuation, so that ``a.b-c@x`` and ``https://x.se/@user`` are not
    citations either; ``[-@key]``, ``(@key)`` and ``*@key*`` still are.
    """
    i = pos - 1
    if i >= floor and text[i] == ".":
        # Pandoc's words take a dot ("a.@k", ".@k"); only an ellipsis ("...@k") does not.
        dots = 0
        while i >= floor and text[i] == ".":
            dots += 1
            i -= 1
        if dots % 3:
            return True
    while i >= floor:
        char = text[i]
        if char.isalnum():
            return True
        if char not in _EMAIL_CHARS:
            return False
        i -= 1
    return False


def parse_key(text: str, pos: int, end: int) -> tuple[str, int] | None:
    """The key that starts right after an '@' at ``pos - 1``, and where it ends."""
    if pos >= end:
        return None
    if text[pos] == "{":
        match = _BRACED_KEY.match(text, pos, min(end, pos + _MAX_BRACED))
        if match is None or not match.group(1):
            return None
        return match.group(1), match.end()
    match = _SIMPLE_KEY.match(text, pos, end)
    if match is None:
        return None
    return match.group(), match.end()
