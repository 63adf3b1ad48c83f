"""Check one evaluated entry: its type, required fields, dates, DOI and citation key.

The loader evaluates an entry's fields and then asks this module what is wrong with
it. Keeping the rules here (rather than inside the parsing loop) puts every KOP2xx
check on entry content in one place, each reported at the line of the offending field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from kop.bib.dates import FOUR_DIGITS, in_press, parse_date_field
from kop.bib.doi import normalise_doi
from kop.bib.entrytypes import KNOWN_TYPES, required_fields
from kop.bib.titlecase import is_english, might_be_title_case, title_case_suggestion
from kop.core.catalogue import message
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic
from kop.core.urlpolicy import control_character, parse

__all__ = ["shorten", "validate_entry"]

MISSING_FIELDS = message("KOP204")
UNKNOWN_TYPE = message("KOP205")
BAD_DATE = message("KOP206")
BAD_DOI = message("KOP207")
BAD_KEY = message("KOP209")
BAD_ACCESS_DATE = message("KOP229")
BAD_URL = message("KOP220")
UNSAFE_DOI = message("KOP221")
CONTROL_IN_FIELD = message("KOP222")
TITLE_CASE = message("KOP232")

# Fields whose value becomes a link in the reference list (the URL policy: http and https only)
_URL_FIELDS = ("url", "urlraw")
_WEB_SCHEMES = frozenset({"http", "https"})
_LATEX_URL = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")  # \url{…} and \href{…}{…} in any field (howpublished)
# Never in a real DOI (SICI-style DOIs do hold '<' and '>', but never a tag such as "<script")
_UNSAFE_DOI = re.compile(r"""[\s"'`\\]|<[A-Za-z/!?]""")

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
    inherited: Collection[str] | None = (),
) -> None:
    """Check the entry type, required fields, dates, DOI and key syntax; ``report`` each problem.

    ``raw`` holds the evaluated (still LaTeX) values, ``field_lines`` the line of every
    field that was written, including those whose value could not be evaluated.
    ``inherited`` names the fields the entry gets through ``crossref``/``xdata`` (they count
    as present; their content is checked in the entry that has them); None means the
    parent is missing, which has its own diagnostic, so required fields are not checked.
    """
    from kop.bib.latex import decode_latex, decode_verbatim  # pylatexenc: only when entries are read

    if entry_type not in KNOWN_TYPES:
        suggestion = did_you_mean(entry_type, sorted(KNOWN_TYPES))
        report(UNKNOWN_TYPE.at(path, line, 0, type=entry_type, key=key, suggestion=suggestion))
    # A field that is written but unreadable already has its own diagnostic (KOP212).
    present = {name for name, value in raw.items() if value.strip()} | (field_lines.keys() - raw.keys())
    present.update(inherited or ())
    if in_press(raw):  # APA: "(i tryck)" takes the place of the year
        present.add("year")
    missing = [label for names, label in required_fields(entry_type) if present.isdisjoint(names)]
    if missing and inherited is not None:
        report(MISSING_FIELDS.at(path, line, 0, key=key, type=entry_type, fields=", ".join(missing)))

    year = raw.get("year")
    if year is not None and year.strip() and not FOUR_DIGITS.match(decode_latex(year)) and not in_press(raw):
        report(BAD_DATE.at(path, field_lines["year"], 0, field="year", key=key, value=shorten(year)))
    for name in ("date", "urldate"):
        value = raw.get(name)
        if value is not None and value.strip() and parse_date_field(decode_latex(value)) is None:
            # A bad access date only loses "Hämtad …", so it is a warning; a bad publication date is an error.
            problem = BAD_ACCESS_DATE if name == "urldate" else BAD_DATE
            report(problem.at(path, field_lines[name], 0, field=name, key=key, value=shorten(value)))
    doi = raw.get("doi")
    if doi is not None and doi.strip():
        bare = normalise_doi(doi)
        if bare is None:
            report(BAD_DOI.at(path, field_lines["doi"], 0, key=key, value=shorten(doi)))
        elif _UNSAFE_DOI.search(bare):
            report(UNSAFE_DOI.at(path, field_lines["doi"], 0, key=key, value=shorten(doi)))
    for name, value in raw.items():
        urls = [value] if name in _URL_FIELDS else [m.group(1) for m in _LATEX_URL.finditer(value)]
        for url in urls:
            scheme = parse(decode_verbatim(url), from_html=False).scheme if url.strip() else None
            if scheme is not None and scheme not in _WEB_SCHEMES:
                report(BAD_URL.at(path, field_lines.get(name, line), 0, field=name, key=key, value=shorten(url)))
                break
    for name, value in raw.items():
        found = control_character(value)
        if found is not None:
            report(CONTROL_IN_FIELD.at(path, field_lines.get(name, line), 0, field=name, key=key,
                                       codepoint=found[1]))

    problem = key_problem(key)
    if problem:
        report(BAD_KEY.at(path, line, 0, key=key, problem=problem))
    title = raw.get("title", "")
    if title and might_be_title_case(title) and is_english(raw):  # Zotero's Title Case against APA 7's sentence case
        suggestion = title_case_suggestion(title)
        if suggestion is not None:
            report(TITLE_CASE.at(path, field_lines.get("title", line), 0, key=key, suggestion=shorten(suggestion, 200)))


def shorten(value: str, limit: int = 60) -> str:
    """``value`` on one line, cut to ``limit`` characters with an ellipsis, for messages."""
    value = _WHITESPACE.sub(" ", value.strip())
    return value if len(value) <= limit else value[: limit - 1] + "…"
