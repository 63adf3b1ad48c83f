"""Years, months and biblatex dates: checking them and turning them into CSL date-parts.

BibTeX spreads a publication date over ``year``, ``month`` and ``day``; biblatex uses
``date`` (an ISO 8601 date or range) and ``urldate``. The validation needs to know
whether a value is a date at all and the CSL conversion needs its parts, so both use
the parsers here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

__all__ = ["FOUR_DIGITS", "IN_PRESS", "csl_issued", "in_press", "parse_date_field", "parse_month"]

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?\Z")
FOUR_DIGITS = re.compile(r"\d{4}\Z")
#: ``year`` values that mean "accepted, not yet published"; APA 7 writes "(in press)", in Swedish "(i tryck)".
#: "forthcoming" is what biblatex's ``pubstate`` and several reference managers write for the same state.
_IN_PRESS_YEARS = frozenset({"in press", "inpress", "forthcoming", "i tryck", "under tryckning"})
#: biblatex ``pubstate`` values for an accepted work (biblatex's own keys, and the spelled-out form).
_IN_PRESS_STATES = frozenset({"inpress", "in press", "forthcoming"})
#: CSL ``status`` for an in-press work; Pandoc's citeproc with apa.csl puts it where the year goes.
IN_PRESS = "i tryck"
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "maj": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}


def _parse_iso_date(value: str) -> list[int] | None:
    """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD" (time part ignored) into CSL date parts."""
    match = _ISO_DATE.match(value)
    if not match:
        return None
    parts = [int(match.group(1))]
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        parts.append(month)
        if match.group(3):
            try:
                date(parts[0], month, int(match.group(3)))
            except ValueError:
                return None
            parts.append(int(match.group(3)))
    return parts


def parse_date_field(value: str) -> list[list[int]] | None:
    """Parse a biblatex date or date range ("2011-11-18", "2010/2011", "2010/") into date-parts."""
    value = value.strip()
    if "/" not in value:
        single = _parse_iso_date(value)
        return [single] if single else None
    start, _, end = value.partition("/")
    first = _parse_iso_date(start.strip())
    if first is None:
        return None
    end = end.strip()
    if end in ("", ".."):
        return [first]
    last = _parse_iso_date(end)
    return [first, last] if last else None


def in_press(fields: dict[str, str]) -> bool:
    """True if ``year`` says "in press", "forthcoming" or "i tryck", or ``pubstate`` is ``inpress``/``forthcoming``.

    APA 7 has one state for an accepted work that is not yet published, "in press"; biblatex
    and some reference managers call it "forthcoming", so both render "(i tryck)".
    """
    year = fields.get("year", "").strip().lower()
    pubstate = fields.get("pubstate", "").strip().lower()
    return year in _IN_PRESS_YEARS or pubstate in _IN_PRESS_STATES


def parse_month(value: str) -> int | None:
    """Month number from "1", "01", "jan", "January" or "januari"; None if unknown."""
    value = value.strip().lower()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value[:3])


def csl_issued(fields: dict[str, str]) -> dict[str, Any] | None:
    raw_date = fields.get("date", "").strip()
    if raw_date:
        parts = parse_date_field(raw_date)
        if parts:
            return {"date-parts": parts}
    year = fields.get("year", "").strip()
    if FOUR_DIGITS.match(year):
        date_parts = [int(year)]
        month = parse_month(fields.get("month", ""))
        if month:
            date_parts.append(month)
            day = fields.get("day", "").strip()
            if day.isdigit() and 1 <= int(day) <= 31:
                date_parts.append(int(day))
        return {"date-parts": [date_parts]}
    return None
