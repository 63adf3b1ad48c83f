"""Check one evaluated entry: its type, required fields, dates, DOI and citation key.

The loader evaluates an entry's fields and then asks this module what is wrong with
it. Keeping the rules here (rather than inside the parsing loop) puts every KOP2xx
check on entry content in one place, each reported at the line of the offending field.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kop.bib.dates import FOUR_DIGITS, parse_date_field
from kop.bib.doi import normalise_doi
from kop.bib.entrytypes import KNOWN_TYPES, required_fields
from kop.bib.latex import decode_latex
from kop.core.catalogue import message
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic

__all__ = ["shorten", "validate_entry"]

MISSING_FIELDS = message("KOP204")
UNKNOWN_TYPE = message("KOP205")
BAD_DATE = message("KOP206")
BAD_DOI = message("KOP207")
BAD_KEY = message("KOP209")

_WHITESPACE = re.compile(r"[ \t\r\n]+")

# Pandoc's citation key syntax: starts with a letter, digit or _, and may contain
# :.#$%&-+?<>~/ only when followed by a letter, digit or _ (or "//" for URLs).
_CITABLE_KEY = re.compile(r"\w(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*\Z")
_KEY_PUNCTUATION = frozenset(":.#$%&-+?<>~/")


def key_problem(key: str) -> str | None:
    """Say (in Swedish) why Pandoc cannot cite ``key`` with @key, or None if it can."""
    if _CITABLE_KEY.match(key):
        return None
    bad = sorted({c for c in key if not (c.isalnum() or c == "_" or c in _KEY_PUNCTUATION)})
    if bad:
        shown = ", ".join("mellanslag" if c == " " else f"'{c}'" for c in bad)
        return f"innehåller {shown}"
    return "börjar eller slutar med ett skiljetecken"


def validate_entry(
    path: str,
    key: str,
    entry_type: str,
    line: int,
    raw: dict[str, str],
    field_lines: dict[str, int],
    report: Callable[[Diagnostic], None],
) -> None:
    """Check the entry type, required fields, dates, DOI and key syntax; ``report`` each problem.

    ``raw`` holds the evaluated (still LaTeX) values, ``field_lines`` the line of every
    field that was written, including those whose value could not be evaluated.
    """
    if entry_type not in KNOWN_TYPES:
        suggestion = did_you_mean(entry_type, sorted(KNOWN_TYPES))
        report(UNKNOWN_TYPE.at(path, line, 0, type=entry_type, key=key, suggestion=suggestion))
    # A field that is written but unreadable already has its own diagnostic (KOP212).
    present = {name for name, value in raw.items() if value.strip()} | (field_lines.keys() - raw.keys())
    missing = [label for names, label in required_fields(entry_type) if present.isdisjoint(names)]
    if missing:
        report(MISSING_FIELDS.at(path, line, 0, key=key, type=entry_type, fields=", ".join(missing)))

    year = raw.get("year")
    if year is not None and year.strip() and not FOUR_DIGITS.match(decode_latex(year)):
        report(BAD_DATE.at(path, field_lines["year"], 0, field="year", key=key, value=shorten(year)))
    for name in ("date", "urldate"):
        value = raw.get(name)
        if value is not None and value.strip() and parse_date_field(decode_latex(value)) is None:
            report(BAD_DATE.at(path, field_lines[name], 0, field=name, key=key, value=shorten(value)))
    doi = raw.get("doi")
    if doi is not None and doi.strip() and normalise_doi(doi) is None:
        report(BAD_DOI.at(path, field_lines["doi"], 0, key=key, value=shorten(doi)))

    problem = key_problem(key)
    if problem:
        report(BAD_KEY.at(path, line, 0, key=key, problem=problem))


def shorten(value: str, limit: int = 60) -> str:
    """``value`` on one line, cut to ``limit`` characters with an ellipsis, for messages."""
    value = _WHITESPACE.sub(" ", value.strip())
    return value if len(value) <= limit else value[: limit - 1] + "…"
