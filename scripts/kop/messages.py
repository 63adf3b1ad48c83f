"""The catalogue of every message the validator can produce.

Each module defines its messages at import time with :func:`define`, so the full
catalogue is simply the registry after importing the pipeline. The contributor
guide's message catalogue is generated from it and a test checks that every code is
documented, which keeps messages and documentation from drifting apart.

Messages and hints are Swedish (authors read them); templates use ``str.format``
fields filled in by :meth:`Message.at`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Diagnostic, Severity

CATALOGUE: dict[str, Message] = {}


@dataclass(frozen=True)
class Message:
    """A message template: a stable code, what is wrong and how to fix it."""

    code: str
    text: str
    hint: str
    severity: Severity = "error"
    explanation: str = ""  # longer Swedish explanation for the guide's catalogue

    def at(self, path: str, line: int, column: int = 0, **fields: object) -> Diagnostic:
        """Build a diagnostic at a position, filling in the template fields."""
        return Diagnostic(
            path=str(path),
            line=int(line),
            column=int(column),
            code=self.code,
            message=self.text.format(**fields),
            hint=self.hint.format(**fields),
            severity=self.severity,
        )


def define(
    code: str,
    text: str,
    hint: str,
    severity: Severity = "error",
    explanation: str = "",
) -> Message:
    """Register a message under a unique code and return it."""
    if code in CATALOGUE:
        raise ValueError(f"message code {code} defined twice")
    msg = Message(code, text, hint, severity, explanation)
    CATALOGUE[code] = msg
    return msg


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """Return a Swedish "did you mean" sentence for the closest candidate, or ''."""
    matches = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=1, cutoff=cutoff)
    return f" Menade du '{matches[0]}'?" if matches else ""
