"""The shape of a message, and the Swedish "did you mean" helper.

The messages themselves are data in :mod:`kop.core.catalogue`; the checker, the
contributor guide's message page and the tests all read that one catalogue.

Messages and hints are Swedish (authors read them); templates use ``str.format``
fields filled in by :meth:`Message.at`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from kop.core.model import Diagnostic, Severity


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



def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """Return a Swedish "did you mean" sentence for the closest candidate, or ''."""
    matches = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=1, cutoff=cutoff)
    return f" Menade du '{matches[0]}'?" if matches else ""
