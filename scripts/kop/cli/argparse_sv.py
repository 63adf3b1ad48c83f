"""Swedish texts for argparse's own messages (usage, help headings, usage errors).

argparse translates its messages through the module-level ``_`` (gettext), and Python
ships no Swedish catalogue for it. Authors read these messages, so the few that a user
can meet are translated here; anything else falls back to English unchanged.
"""

from __future__ import annotations

import argparse

SWEDISH = {
    "usage: ": "användning: ",
    "options": "flaggor",
    "positional arguments": "argument",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "the following arguments are required: %s": "följande argument saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "expected one argument": "ett värde saknas",
    "expected at least one argument": "minst ett värde saknas",
    "expected at most one argument": "högst ett värde är tillåtet",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan vara %(matches)s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "not allowed with argument %s": "får inte användas tillsammans med %s",
}


def _swedish(message: str) -> str:
    return SWEDISH.get(message, message)


def install() -> None:
    """Make argparse print its own texts in Swedish (idempotent)."""
    argparse._ = _swedish  # type: ignore[attr-defined]
