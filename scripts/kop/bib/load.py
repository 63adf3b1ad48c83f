"""Load ``references.bib``: parse, validate and convert every entry to CSL-JSON.

Authors usually export ``references.bib`` from Zotero (often via Better BibTeX), but
some edit it by hand, so the file may contain anything from a stray brace to Latin-1
bytes. The loader therefore never raises: every problem becomes a
:class:`~kop.core.model.Diagnostic` so that one run reports all of them, with the line
(1-based) of the entry or, better, of the offending field.

Parsing is done by bibtexparser 2.x with an *empty* parse stack: its middlewares are
slow on large files (LaTeX decoding costs ~30x the parse itself) and we need control
over ``@string`` resolution anyway (BibTeX semantics, no loops, no blow-up). Field
values are then evaluated here (``{...}``, ``"..."``, numbers, ``@string`` names and
``#`` concatenation) and LaTeX is decoded by a small, fast converter for the markup
that bibliography exports actually contain, with pylatexenc as a fallback for the rest.
"""

from __future__ import annotations

import codecs
import gc
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import bibtexparser
from bibtexparser import model as bibmodel

from kop.core.catalogue import message
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic, Reference

__all__ = [
    "UNUSED",
    "decode_latex",
    "load_bibliography",
    "normalise_doi",
    "parse_names",
    "to_csl",
]

# ---------------------------------------------------------------------------
# Messages (KOP2xx). Templates are filled with str.format, so literal braces in
# hints are doubled.
# ---------------------------------------------------------------------------

UNPARSABLE = message("KOP201")
DUPLICATE_KEY = message("KOP202")
DUPLICATE_FIELD = message("KOP203")
MISSING_FIELDS = message("KOP204")
UNKNOWN_TYPE = message("KOP205")
BAD_DATE = message("KOP206")
BAD_DOI = message("KOP207")
NOT_UTF8 = message("KOP208")
BAD_KEY = message("KOP209")
UNUSED = message("KOP210")
MISSING_KEY = message("KOP211")
BAD_VALUE = message("KOP212")
READ_ERROR = message("KOP213")
INTERNAL_ERROR = message("KOP214")
STRAY_TEXT = message("KOP215")

MAX_BIB_BYTES = 50_000_000  # a Zotero export of 10,000 entries with abstracts is ~20 MB
MAX_ENTRIES = 50_000  # 100,000 short entries took 14 s and 430 MB to check on the 2-core machine
TOO_LARGE = message("KOP216")
TOO_MANY = message("KOP217")

# ---------------------------------------------------------------------------
# Entry types and required fields
# ---------------------------------------------------------------------------

_YEAR = (("year", "date"), "year")
_AUTHOR = (("author",), "author")
_TITLE = (("title",), "title")

#: Required fields per entry type: (accepted field names, how to name them in messages).
#: Biblatex aliases (journaltitle, institution for theses, date) are accepted.
_REQUIRED: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "article": (_AUTHOR, _TITLE, (("journal", "journaltitle"), "journal"), _YEAR),
    "book": ((("author", "editor"), "author eller editor"), _TITLE, (("publisher",), "publisher"), _YEAR),
    "incollection": (_AUTHOR, _TITLE, (("booktitle",), "booktitle"), (("publisher",), "publisher"), _YEAR),
    "inproceedings": (_AUTHOR, _TITLE, (("booktitle",), "booktitle"), _YEAR),
    "phdthesis": (_AUTHOR, _TITLE, (("school", "institution"), "school"), _YEAR),
    "mastersthesis": (_AUTHOR, _TITLE, (("school", "institution"), "school"), _YEAR),
    "thesis": (_AUTHOR, _TITLE, (("school", "institution"), "school"), _YEAR),
    "techreport": (_AUTHOR, _TITLE, (("institution",), "institution"), _YEAR),
    "report": (_AUTHOR, _TITLE, (("institution",), "institution"), _YEAR),
    "misc": (_TITLE, (("year", "date", "urldate"), "year, date eller urldate")),
    "online": (_TITLE, (("year", "date", "urldate"), "year, date eller urldate")),
}

#: BibTeX entry type -> CSL type. Types not listed here but in _KNOWN_TYPES become "document".
_CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "bookinbook": "chapter",
    "collection": "book",
    "proceedings": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "misc": "document",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "unpublished": "manuscript",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "periodical": "periodical",
    "standard": "standard",
}
_KNOWN_TYPES = frozenset(_CSL_TYPES) | {"suppbook", "suppcollection", "reference", "inreference"}
_THESIS_GENRES = {"phdthesis": "Doktorsavhandling", "mastersthesis": "Masteruppsats"}
#: biblatex ``type`` values that are keys rather than text (``type = {phdthesis}``).
_TYPE_FIELD_GENRES = {
    "phdthesis": "Doktorsavhandling",
    "mathesis": "Masteruppsats",
    "mastersthesis": "Masteruppsats",
    "techreport": "Teknisk rapport",
}

#: Fields taken verbatim (URLs and identifiers): no LaTeX decoding, only TeX escapes undone.
_VERBATIM_FIELDS = frozenset(
    {"url", "doi", "file", "eprint", "pdf", "verba", "verbb", "verbc", "urlraw", "isbn", "issn"}
)
_NAME_FIELDS = ("author", "editor", "translator")

# Language field values -> BCP 47 tags as CSL and Pandoc expect them.
_LANGUAGES = {
    "swedish": "sv",
    "svenska": "sv",
    "sv": "sv",
    "swe": "sv",
    "sv-se": "sv",
    "english": "en",
    "engelska": "en",
    "en": "en",
    "eng": "en",
    "american": "en-US",
    "usenglish": "en-US",
    "en-us": "en-US",
    "british": "en-GB",
    "ukenglish": "en-GB",
    "en-gb": "en-GB",
    "norwegian": "nb",
    "norsk": "nb",
    "nb": "nb",
    "nn": "nn",
    "danish": "da",
    "dansk": "da",
    "da": "da",
    "finnish": "fi",
    "finska": "fi",
    "fi": "fi",
    "german": "de",
    "ngerman": "de",
    "tyska": "de",
    "de": "de",
    "french": "fr",
    "franska": "fr",
    "fr": "fr",
}
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")

# ---------------------------------------------------------------------------
# Small helpers: DOI, dates, citation keys
# ---------------------------------------------------------------------------

_DOI_URL_PREFIX = re.compile(r"(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"(?:doi:|info:doi/)\s*", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+\Z")
_TEX_ESCAPES = re.compile(r"\\([_%&#$])")


def normalise_doi(value: str) -> str | None:
    """Return the bare DOI ("10.x/y") from any usual spelling, or None if it is not a DOI.

    Accepts "10.x/y", "doi:10.x/y", "https://doi.org/10.x/y" and "http://dx.doi.org/10.x/y"
    (the prefixes in any letter case). The DOI itself keeps its letter case: DOIs are
    case-insensitive, so changing it buys nothing and would make the output differ from
    what the author pasted. TeX escapes such as ``\\_`` (Zotero writes them) are undone.
    """
    if not isinstance(value, str):
        return None
    doi = value.strip()
    if "\\" in doi:
        doi = _TEX_ESCAPES.sub(r"\1", doi)
    match = _DOI_URL_PREFIX.match(doi)
    if match:
        doi = unquote(doi[match.end() :])
    else:
        match = _DOI_PREFIX.match(doi)
        if match:
            doi = doi[match.end() :]
    doi = doi.strip()
    return doi if _DOI.match(doi) else None


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?\Z")
_FOUR_DIGITS = re.compile(r"\d{4}\Z")
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
#: BibTeX's predefined month macros (plain.bst), used when the file does not define them.
_MONTH_MACROS = {
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


def _parse_date_field(value: str) -> list[list[int]] | None:
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


def _parse_month(value: str) -> int | None:
    """Month number from "1", "01", "jan", "January" or "januari"; None if unknown."""
    value = value.strip().lower()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value[:3])


# Pandoc's citation key syntax: starts with a letter, digit or _, and may contain
# :.#$%&-+?<>~/ only when followed by a letter, digit or _ (or "//" for URLs).
_CITABLE_KEY = re.compile(r"\w(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*\Z")
_KEY_PUNCTUATION = frozenset(":.#$%&-+?<>~/")


def _key_problem(key: str) -> str | None:
    """Say (in Swedish) why Pandoc cannot cite ``key`` with @key, or None if it can."""
    if _CITABLE_KEY.match(key):
        return None
    bad = sorted({c for c in key if not (c.isalnum() or c == "_" or c in _KEY_PUNCTUATION)})
    if bad:
        shown = ", ".join("mellanslag" if c == " " else f"'{c}'" for c in bad)
        return f"innehåller {shown}"
    return "börjar eller slutar med ett skiljetecken"


# ---------------------------------------------------------------------------
# LaTeX -> text
# ---------------------------------------------------------------------------

_COMBINING_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "r": "\u030a",
    "c": "\u0327",
    "k": "\u0328",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}
_SYMBOLS = {
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "ss": "ß",
    "SS": "SS",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textellipsis": "…",
    "ldots": "…",
    "dots": "…",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textregistered": "®",
    "texttrademark": "™",
    "textcopyright": "©",
    "copyright": "©",
    "S": "§",
    "textsection": "§",
    "P": "¶",
    "textdegree": "°",
    "euro": "€",
    "texteuro": "€",
    "pounds": "£",
    "textbullet": "•",
    "guillemotleft": "«",
    "guillemotright": "»",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textperiodcentered": "·",
    "textdagger": "†",
    "quad": " ",
    "qquad": " ",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "relax": "",
    "noopsort": "",  # \noopsort{...} is handled as a command with an ignored argument below
    # control symbols
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "\n": " ",
    "\t": " ",
    ",": "\u202f",
    "-": "",
    "/": "",
    "@": "",
    "\\": " ",
}
#: Commands whose single argument is text with a style ("" = no style).
_STYLE_COMMANDS = {
    "emph": "i",
    "textit": "i",
    "textsl": "i",
    "mkbibemph": "i",
    "mkbibitalic": "i",
    "textbf": "b",
    "mkbibbold": "b",
    "textsc": "sc",
    "textsuperscript": "sup",
    "mkbibsuperscript": "sup",
    "textsubscript": "sub",
    "mkbibsubscript": "sub",
    "textup": "",
    "textrm": "",
    "textnormal": "",
    "textsf": "",
    "texttt": "",
    "textmd": "",
    "mbox": "",
    "hbox": "",
    "text": "",
    "url": "",
    "nolinkurl": "",
    "mkbibquote": "quote",
    "enquote": "quote",
}
#: Old-style switches such as {\em text}: they style the rest of the enclosing group.
_SWITCHES = {
    "em": "i",
    "it": "i",
    "itshape": "i",
    "sl": "i",
    "slshape": "i",
    "bf": "b",
    "bfseries": "b",
    "sc": "sc",
    "scshape": "sc",
    "rm": "",
    "sf": "",
    "tt": "",
    "normalfont": "",
    "upshape": "",
    "mdseries": "",
}
_IGNORED_ARG_COMMANDS = frozenset({"noopsort", "sortunder", "hyphenation"})

_CONTROL_WORD = re.compile(r"[A-Za-z]+[ \t\n]*")
_PLAIN_RUN = re.compile(r"[^{}\\~\-`'$]+")
_NEEDS_DECODING = re.compile(r"[\\{}~$]|--|``|''")
_WHITESPACE = re.compile(r"[ \t\r\n]+")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")


@dataclass(frozen=True, slots=True)
class _Styled:
    """A styled run of decoded text: "nocase" (protected by braces), "i", "b", "sc", ...."""

    style: str
    children: tuple[Any, ...]  # str | _Styled


class _Fallback(Exception):
    """Raised by the fast converter for LaTeX it does not handle (math, unknown macros)."""


class _LatexParser:
    """Recursive-descent converter for the LaTeX found in bibliography fields.

    It builds a small tree of text and styled runs so that the same parse gives both
    plain text (for ``Reference.fields``) and CSL rich text with ``nocase`` spans.
    """

    def __init__(self, source: str) -> None:
        self.s = source
        self.pos = 0
        self.depth = 0

    def parse(self) -> list[Any]:
        return self._sequence(in_group=False)

    def _sequence(self, in_group: bool) -> list[Any]:
        s, n = self.s, len(self.s)
        out: list[Any] = []
        while self.pos < n:
            c = s[self.pos]
            if c == "}":
                self.pos += 1
                if in_group:
                    return out
                continue  # stray closing brace: ignore, as BibTeX's output would show nothing
            if c == "{":
                self.pos += 1
                special = self.pos < n and s[self.pos] == "\\"
                children = self._group()
                if special:  # {\"o}, {\aa}, {\em ...}: a special character, not case protection
                    out.extend(children)
                elif children:
                    out.append(_Styled("nocase", tuple(children)))
            elif c == "\\":
                result = self._command()
                if isinstance(result, str):  # a switch such as \em: styles the rest of the group
                    self.depth += 1
                    if self.depth > 100:
                        raise _Fallback
                    out.append(_Styled(result, tuple(self._sequence(in_group))))
                    self.depth -= 1
                    return out
                out.extend(result)
            elif c == "~":
                out.append("\xa0")
                self.pos += 1
            elif c == "-":
                end = self.pos
                while end < n and s[end] == "-":
                    end += 1
                count = end - self.pos
                out.append("—" if count >= 3 else "–" if count == 2 else "-")
                self.pos = end
            elif c == "`":
                if s.startswith("``", self.pos):
                    out.append("“")
                    self.pos += 2
                else:
                    out.append("‘")
                    self.pos += 1
            elif c == "'":
                if s.startswith("''", self.pos):
                    out.append("”")
                    self.pos += 2
                else:
                    out.append("'")
                    self.pos += 1
            elif c == "$":
                raise _Fallback
            else:
                match = _PLAIN_RUN.match(s, self.pos)
                assert match is not None
                out.append(match.group())
                self.pos = match.end()
        return out

    def _group(self) -> list[Any]:
        self.depth += 1
        if self.depth > 100:  # deeper nesting is not real bibliography data
            raise _Fallback
        try:
            return self._sequence(in_group=True)
        finally:
            self.depth -= 1

    def _command(self) -> list[Any] | str:
        """Parse a macro at a backslash; return its output nodes, or a switch's style name."""
        s = self.s
        self.pos += 1
        if self.pos >= len(s):
            return []
        match = _CONTROL_WORD.match(s, self.pos)
        if match:
            name = match.group().rstrip()
            self.pos = match.end()
        else:
            name = s[self.pos]
            self.pos += 1
        if name in _COMBINING_ACCENTS:
            return [_accent(_plain(self._argument()), _COMBINING_ACCENTS[name])]
        if name in _IGNORED_ARG_COMMANDS:
            self._argument()
            return []
        if name in _SYMBOLS:
            return [_SYMBOLS[name]]
        if name in _STYLE_COMMANDS:
            style = _STYLE_COMMANDS[name]
            children = self._argument()
            if style == "quote":
                return ["“", *children, "”"]
            return [_Styled(style, tuple(children))] if style else children
        if name in _SWITCHES:
            return _SWITCHES[name]
        raise _Fallback

    def _argument(self) -> list[Any]:
        """One macro argument: a {group}, a macro, or a single character."""
        s, n = self.s, len(self.s)
        while self.pos < n and s[self.pos] in " \t\n":
            self.pos += 1
        if self.pos >= n:
            return []
        c = s[self.pos]
        if c == "{":
            self.pos += 1
            return self._group()
        if c == "\\":
            self.depth += 1  # \'\'\'... chains recurse without braces
            if self.depth > 100:
                raise _Fallback
            try:
                result = self._command()
            finally:
                self.depth -= 1
            if isinstance(result, str):
                raise _Fallback
            return result
        if c == "}":
            return []
        self.pos += 1
        return [c]


def _accent(text: str, combining: str) -> str:
    """Put a combining accent on the first character of ``text`` and compose (o + ¨ -> ö)."""
    if not text:
        return ""
    first = {"ı": "i", "ȷ": "j"}.get(text[0], text[0])  # \'{\i} -> í
    return unicodedata.normalize("NFC", first + combining) + text[1:]


def _plain(nodes: list[Any] | tuple[Any, ...]) -> str:
    return "".join(node if isinstance(node, str) else _plain(node.children) for node in nodes)


_RICH_TAGS = {
    "i": ("<i>", "</i>"),
    "b": ("<b>", "</b>"),
    "sc": ('<span style="font-variant:small-caps;">', "</span>"),
    "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"),
    "nocase": ('<span class="nocase">', "</span>"),
}


def _rich(nodes: list[Any] | tuple[Any, ...], in_nocase: bool = False) -> str:
    """Render as CSL-JSON rich text (the HTML subset citeproc-js and Pandoc's citeproc parse)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        if node.style == "nocase" and in_nocase:
            parts.append(_rich(node.children, True))
            continue
        inner = _rich(node.children, in_nocase or node.style == "nocase")
        if not inner.strip():
            parts.append(inner)
            continue
        opening, closing = _RICH_TAGS.get(node.style, ("", ""))
        parts.append(opening + inner + closing)
    return "".join(parts)


def _latex_fallback(value: str) -> str:
    """Decode with pylatexenc (slow, complete); protect % which is literal in BibTeX."""
    try:
        from pylatexenc.latex2text import LatexNodes2Text

        with _quiet("pylatexenc"):
            text = LatexNodes2Text(math_mode="text").latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", value))
    except Exception:  # any failure: fall back to dropping the markup
        text = value.replace("\\", "").replace("{", "").replace("}", "")
    return text


def _collapse(text: str) -> str:
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = _WHITESPACE.sub(" ", text)
    return text.strip()


_PLAIN_CACHE: dict[str, str] = {}
_RICH_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def _remember(cache: dict[str, str], key: str, value: str) -> str:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


# The accent and letter macros that make up nearly all LaTeX in exported bibliographies,
# replaced by one regex pass before anything slower runs: {\"o} \"{o} \"o {\'\i} {\r a}
# \r{a} {\aa} \aa{} \o.
_COMMON_MACROS = re.compile(
    r"\{\\(?P<a1>[`'^\"~=.])\s*(?:(?P<c1>[A-Za-z])|\{(?P<c2>[A-Za-z])\}|\\(?P<d1>[ij])(?![A-Za-z]))\s*\}"
    r"|\{\\(?P<a2>[rcvuHkdb])(?:\s+(?P<c3>[A-Za-z])|\s*\{(?P<c4>[A-Za-z])\})\}"
    r"|\\(?P<a3>[`'^\"~=.])\s*(?:(?P<c5>[A-Za-z])|\{(?P<c6>[A-Za-z])\}|\{\\(?P<d2>[ij])\})"
    r"|\\(?P<a4>[rcvuHkdb])(?:\s+(?P<c7>[A-Za-z])|\s*\{(?P<c8>[A-Za-z])\})"
    r"|\{\\(?P<s1>aa|AA|ae|AE|oe|OE|ss|o|O|l|L|i|j)\}"
    r"|\\(?P<s2>aa|AA|ae|AE|oe|OE|ss|o|O|l|L|i|j)(?:\{\}|[ \t\n]+|(?![A-Za-z]))"
)
_STILL_LATEX = re.compile(r"[\\{}$]")


_MACRO_TEXT: dict[str, str] = {}  # matched macro text -> character, e.g. '{\\"o}' -> 'ö'


def _common_macro(match: re.Match[str]) -> str:
    source = match.group()
    cached = _MACRO_TEXT.get(source)
    if cached is None:
        cached = _common_macro_text(match)
        if len(_MACRO_TEXT) < 10_000:
            _MACRO_TEXT[source] = cached
    return cached


def _common_macro_text(match: re.Match[str]) -> str:
    groups = match.groupdict()
    symbol = groups["s1"] or groups["s2"]
    if symbol:
        return _SYMBOLS[symbol]
    accent = groups["a1"] or groups["a2"] or groups["a3"] or groups["a4"]
    letter = next(
        groups[name] for name in ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "d1", "d2") if groups[name]
    )
    return _accent(letter, _COMBINING_ACCENTS[accent])


def _ligatures(text: str) -> str:
    """TeX ligatures and ties outside macros: --- — , -- – , ~ no-break space, `` “ , '' ”."""
    if "-" in text:
        text = text.replace("---", "—").replace("--", "–")
    if "~" in text:
        text = text.replace("~", "\xa0")
    if "`" in text or "'" in text:
        text = text.replace("``", "“").replace("''", "”")
    return text


_SIMPLE_GROUP = re.compile(r"\{([^{}]*)\}")


def _nocase_span(match: re.Match[str]) -> str:
    inner = match.group(1)
    return f'<span class="nocase">{inner}</span>' if inner.strip() else inner


def _decode(value: str, render: Callable[[list[Any]], str]) -> str:
    """Shared decoding path: common macros by regex, the rest by the parser or pylatexenc."""
    if "\\" in value:
        value = _COMMON_MACROS.sub(_common_macro, value)
    if not _STILL_LATEX.search(value):
        return _collapse(_ligatures(value))
    if "\\" not in value and "$" not in value:  # only protective braces are left
        if render is _plain:
            return _collapse(_ligatures(value.replace("{", "").replace("}", "")))
        rich = _SIMPLE_GROUP.sub(_nocase_span, value)
        if "{" not in rich and "}" not in rich:
            return _collapse(_ligatures(rich))
    try:
        return _collapse(render(_LatexParser(value).parse()))
    except _Fallback:
        return _collapse(_latex_fallback(value))


def decode_latex(value: str) -> str:
    """Decode BibTeX/LaTeX markup to plain Unicode text: ``G{\\"o}teborg`` -> "Göteborg".

    Values without backslashes, braces, ``~``, ``$`` or dash/quote ligatures are returned
    as they are (whitespace collapsed), which keeps large files fast.
    """
    return _cached_decode(value, _PLAIN_CACHE, _plain)


def _decode_rich(value: str) -> str:
    """Decode to CSL rich text: braces become ``<span class="nocase">``, \\emph becomes <i>."""
    return _cached_decode(value, _RICH_CACHE, _rich)


def _cached_decode(value: str, cache: dict, mode: Any) -> str:
    """Decode ``value`` in ``mode``, memoised; text without LaTeX markup skips the decoder."""
    cached = cache.get(value)
    if cached is not None:
        return cached
    if not _NEEDS_DECODING.search(value):
        return _remember(cache, value, _collapse(value))
    return _remember(cache, value, _decode(value, mode))


def _decode_verbatim(value: str) -> str:
    """URLs, DOIs and the like: only undo TeX escapes (\\_ \\% \\& \\# \\$) and trim."""
    value = value.strip()
    if "\\" in value:
        value = _TEX_ESCAPES.sub(r"\1", value)
    return value


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(r"\s*,\s*")
_SPACES = re.compile(r"[\s~]+")


def _mask_braces(text: str) -> str:
    """Replace everything inside braces by "_" so that splitting ignores it (same length)."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
            out.append("{")
        elif char == "}":
            depth = max(depth - 1, 0)
            out.append("}")
        else:
            out.append("_" if depth else char)
    return "".join(out)


def _split_top_level(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split ``text`` at ``separator`` matches that are not inside braces."""
    if "{" not in text:
        return separator.split(text)
    masked = _mask_braces(text)
    parts: list[str] = []
    start = 0
    for match in separator.finditer(masked):
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    return parts


def _starts_lower(token: str) -> bool:
    """BibTeX's "von" test: does the token's first letter (outside protective braces) lower-case?"""
    for index, char in enumerate(token):
        if char == "{":
            if token.startswith("{\\", index):  # special character such as {\"o}
                decoded = decode_latex(token[index:])
                return bool(decoded) and decoded[0].islower()
            return False  # {Protected} words are never "von" parts
        if char == "\\":
            decoded = decode_latex(token[index:])
            return bool(decoded) and decoded[0].islower()
        if char.isalpha():
            return char.islower()
    return False


def _is_braced_whole(text: str) -> bool:
    """True for "{...}" where the first brace closes at the very end."""
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        return False
    depth = 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and index != len(text) - 1:
                return False
    return depth == 0


def _join(tokens: list[str]) -> str:
    return decode_latex(" ".join(tokens)) if tokens else ""


_NAME_CACHE: dict[str, dict[str, str] | None] = {}


def _parse_name(name: str) -> dict[str, str] | None:
    """Parse one BibTeX name ("Family, Given", "Given Family", "von Last, Jr, First")."""
    name = name.strip().strip(",").strip()
    if not name or name.lower() == "others":
        return None
    if _is_braced_whole(name):  # {Nordiska högskolan för folkhälsovetenskap}: a corporate author
        literal = decode_latex(name[1:-1])
        return {"literal": literal} if literal else None
    parts = [part.strip() for part in _split_top_level(name, _COMMA)]
    result: dict[str, str] = {}
    if len(parts) == 1:
        tokens = [t for t in _split_top_level(parts[0], _SPACES) if t]
        if not tokens:
            return None
        if len(tokens) == 1:
            return {"family": decode_latex(tokens[0])}
        lower = [i for i, token in enumerate(tokens[:-1]) if _starts_lower(token)]
        if lower:  # First von Last
            first, von, last = tokens[: lower[0]], tokens[lower[0] : lower[-1] + 1], tokens[lower[-1] + 1 :]
        else:
            first, von, last = tokens[:-1], [], tokens[-1:]
        jr: list[str] = []
    else:  # von Last, First  or  von Last, Jr, First
        tokens = [t for t in _split_top_level(parts[0], _SPACES) if t]
        lower = [i for i, token in enumerate(tokens[:-1]) if _starts_lower(token)]
        split = lower[-1] + 1 if lower and lower[0] == 0 else 0
        von, last = tokens[:split], tokens[split:]
        if len(parts) >= 3:
            jr = [parts[1]]
            first = [", ".join(parts[2:])]
        else:
            jr = []
            first = [parts[1]]
    family = _join(last)
    if family:
        result["family"] = family
    given = _join([t for t in first if t])
    if given:
        result["given"] = given
    particle = _join(von)
    if particle:
        result["non-dropping-particle"] = particle
    suffix = _join([t for t in jr if t])
    if suffix:
        result["suffix"] = suffix
    return result or None


def parse_names(value: str) -> list[dict[str, str]]:
    """Split a BibTeX name list on top-level " and " and parse each name into a CSL name.

    Braced names are corporate authors (``{"literal": ...}``). BibTeX's "and others"
    becomes ``{"literal": "others"}``, which Pandoc's citeproc renders as "m.fl." (et al.)
    instead of silently pretending the list of authors is complete.
    """
    names: list[dict[str, str]] = []
    for raw in _split_top_level(value.strip(), _AND):
        if raw.strip().lower() == "others":
            names.append({"literal": "others"})
            continue
        parsed = _NAME_CACHE.get(raw)
        if parsed is None and raw not in _NAME_CACHE:
            parsed = _parse_name(raw)
            if len(_NAME_CACHE) >= _CACHE_LIMIT:
                _NAME_CACHE.clear()
            _NAME_CACHE[raw] = parsed
        if parsed:
            names.append(dict(parsed))
    return names


# ---------------------------------------------------------------------------
# CSL-JSON
# ---------------------------------------------------------------------------


def _field_value(fields: dict[str, str], *names: str) -> str:
    for name in names:
        value = fields.get(name)
        if value and value.strip():
            return value
    return ""


def _issued(fields: dict[str, str]) -> dict[str, Any] | None:
    raw_date = fields.get("date", "").strip()
    if raw_date:
        parts = _parse_date_field(raw_date)
        if parts:
            return {"date-parts": parts}
    year = fields.get("year", "").strip()
    if _FOUR_DIGITS.match(year):
        date_parts = [int(year)]
        month = _parse_month(fields.get("month", ""))
        if month:
            date_parts.append(month)
            day = fields.get("day", "").strip()
            if day.isdigit() and 1 <= int(day) <= 31:
                date_parts.append(int(day))
        return {"date-parts": [date_parts]}
    return None


def _language(value: str) -> str | None:
    value = value.strip()
    tag = _LANGUAGES.get(value.lower())
    if tag:
        return tag
    return value if _LANG_TAG.match(value) else None


#: CSL variables copied straight from one decoded field.
_DIRECT_CSL_FIELDS = (
    ("volume", "volume"),
    ("page", "pages"),
    ("edition", "edition"),
    ("number-of-pages", "pagetotal"),
    ("publisher", "publisher"),
    ("URL", "url"),
    ("ISBN", "isbn"),
    ("ISSN", "issn"),
    ("note", "note"),
)


def _csl_from(key: str, entry_type: str, raw: dict[str, str], text: dict[str, str]) -> dict[str, Any]:
    """Build the CSL item from raw (LaTeX) values and their decoded text.

    Titles come from the raw values so that protective braces survive as nocase spans
    and names from the raw values so that braced corporate names stay literal.
    """
    entry_type = entry_type.lower()
    csl_type = _CSL_TYPES.get(entry_type, "document")
    item: dict[str, Any] = {"id": key, "type": csl_type}

    def put_rich(csl_name: str, *names: str) -> None:
        for name in names:
            value = raw.get(name)
            if value and value.strip():
                rich = _decode_rich(value)
                if rich:
                    item[csl_name] = rich
                    return

    put_rich("title", "title")
    subtitle = raw.get("subtitle")
    if "title" in item and subtitle and subtitle.strip():
        item["title"] = f"{item['title']}: {_decode_rich(subtitle)}"
    if entry_type == "article":
        put_rich("container-title", "journal", "journaltitle")
    else:
        put_rich("container-title", "booktitle", "journal", "journaltitle", "maintitle")
    put_rich("collection-title", "series")

    for name in _NAME_FIELDS:
        value = raw.get(name)
        if value and value.strip():
            names = parse_names(value)
            if names:
                item[name] = names

    for csl_name, name in _DIRECT_CSL_FIELDS:
        value = text.get(name)
        if value:
            item[csl_name] = value
    number = text.get("number")
    if entry_type == "article":
        issue = number or text.get("issue")
        if issue:
            item["issue"] = issue
    else:
        if text.get("issue"):
            item["issue"] = text["issue"]
        if number:
            if csl_type in ("report", "patent", "standard"):
                item["number"] = number
            elif "collection-title" in item:
                item["collection-number"] = number
    if "publisher" not in item:
        if csl_type == "thesis":
            publisher = _field_value(text, "school", "institution")
        elif csl_type == "report":
            publisher = text.get("institution", "")
        elif entry_type == "online":
            publisher = text.get("organization", "")
        else:
            publisher = ""
        if publisher:
            item["publisher"] = publisher
    place = _field_value(text, "address", "location")
    if place:
        item["publisher-place"] = place

    genre = text.get("type")
    if genre:
        item["genre"] = _TYPE_FIELD_GENRES.get(genre.lower(), genre)
    elif entry_type in _THESIS_GENRES:
        item["genre"] = _THESIS_GENRES[entry_type]

    if raw.get("doi"):
        doi = normalise_doi(raw["doi"])
        if doi:
            item["DOI"] = doi

    issued = _issued(text)
    if issued:
        item["issued"] = issued
    if text.get("urldate"):
        accessed = _parse_date_field(text["urldate"])
        if accessed:
            item["accessed"] = {"date-parts": accessed}

    language = _field_value(text, "langid", "language")
    if language:
        tag = _language(language)
        if tag:
            item["language"] = tag
    return item


def _decode_fields(raw: dict[str, str]) -> dict[str, str]:
    return {
        name: (_decode_verbatim(value) if name in _VERBATIM_FIELDS else decode_latex(value))
        for name, value in raw.items()
    }


def to_csl(ref_key: str, entry_type: str, fields: dict[str, str]) -> dict[str, Any]:
    """Convert one entry to a CSL-JSON item (the format Pandoc's citeproc reads).

    ``fields`` are the entry's field values with their outer delimiters removed but
    LaTeX still in place (``{NHV}``, ``G{\\"o}teborg``): braces are what tell a
    corporate author and case-protected words apart, and already decoded text works
    too, just without that information. ``id`` is the key; the DOI is normalised.
    """
    raw = {str(name).lower(): str(value) for name, value in fields.items() if value is not None}
    return _csl_from(ref_key, entry_type, raw, _decode_fields(raw))


# ---------------------------------------------------------------------------
# Field value evaluation (BibTeX syntax: {..} "..." 123 name # ...)
# ---------------------------------------------------------------------------

_MACRO_NAME = re.compile(r"[^\s#\"{}(),=]+")
_MAX_VALUE_LENGTH = 1_000_000  # guards against @string concatenation bombs


class _ValueError(Exception):
    """A field value that cannot be evaluated; the message is a Swedish reason."""


def _evaluate(raw: str, strings: dict[str, str]) -> str:
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
            raise _ValueError("värdet är tomt" if not parts else "värdet slutar med '#'")
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
                raise _ValueError(f"oväntat tecken '{char}'")
            name = match.group()
            pos = match.end()
            folded = name.lower()
            if folded in strings:
                part = strings[folded]
            elif folded in _MONTH_MACROS:
                part = _MONTH_MACROS[folded]
            else:
                raise _ValueError(f"'{name}' är inte definierat med @string (står texten utan klamrar?)")
        total += len(part)
        if total > _MAX_VALUE_LENGTH:
            raise _ValueError("värdet blir orimligt långt")
        parts.append(part)
        while pos < n and raw[pos].isspace():
            pos += 1
        if pos >= n:
            return "".join(parts)
        if raw[pos] != "#":
            raise _ValueError("delar av värdet ska skiljas åt med '#' (eller står texten utan klamrar?)")
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
    raise _ValueError("klamrarna eller citattecknen är inte balanserade")


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

_ABORT_REASONS = (
    ("Unexpectedly reached end of file", "filen tar slut innan posten är avslutad (saknas en '}'?)"),
    (
        "Unexpected block start",
        "en ny post (@…) börjar innan den här är avslutad (saknas en '}' eller ett '\"'?)",
    ),
    ("Expected comma after entry key", "nyckeln ska följas av ett kommatecken"),
    ("Expected a `=` after entry key", "ett fältnamn ska följas av '='"),
    ("Expected either a `,` or", "kommatecken saknas efter ett fältvärde"),
    ("Expected equals sign", "en @string skrivs som @string{namn = {värde}}"),
)
_BLOCK_HEAD = re.compile(r"@\s*(\w*)\s*[{(]\s*([^,\s{}()\"=]*)")
_FIELD_NAME = re.compile(r"[\w\-:.+]+\Z")
_VALID_FIELD_NAMES: set[str] = set()  # names already checked against _FIELD_NAME
_LOOKS_LIKE_BIBTEX = re.compile(r"^\s*[A-Za-z]+\s*[{(][^,\s{}]*,|\b\w+\s*=\s*[{\"\d]", re.MULTILINE)
_FALLBACK_CHUNKS = re.compile(r"^(?=[ \t]*@)", re.MULTILINE)


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as Windows-1252, so Latin-1 files still read sensibly."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("kop-bib-cp1252-fallback", _latin1_fallback)


@contextmanager
def _quiet(prefix: str) -> Iterator[None]:
    """Silence a library's loggers: bibtexparser logs every syntax error (and pylatexenc
    its recoveries), which we report as diagnostics instead of as stray stderr lines."""
    names = [prefix, *(name for name in logging.root.manager.loggerDict if name.startswith(prefix + "."))]
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, was_disabled in zip(loggers, previous, strict=True):
            logger.disabled = was_disabled


def _decode_bytes(data: bytes, path: str, diagnostics: list[Diagnostic]) -> str:
    """Decode UTF-8 (BOM stripped); on bad bytes report the first one and read on as cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        diagnostics.append(NOT_UTF8.at(path, line, column, byte=f"{data[error.start]:02X}", bad_line=line))
        return data.decode("utf-8", errors="kop-bib-cp1252-fallback")


def _describe_block(raw: str) -> tuple[str, str]:
    """Return (Swedish description, entry type) of a block from its raw text."""
    match = _BLOCK_HEAD.search(raw or "")
    if not match:
        return "posten", ""
    block_type, key = match.group(1).lower(), match.group(2)
    if block_type == "string":
        return "@string-definitionen", block_type
    if block_type in ("comment", "preamble"):
        return f"blocket @{block_type}", block_type
    return (f"posten '{key}'" if key else "posten"), block_type


def _abort_reason(error: Exception) -> str:
    reason = getattr(error, "abort_reason", "") or str(error)
    for prefix, swedish in _ABORT_REASONS:
        if reason.startswith(prefix):
            return swedish
    return "syntaxfel"


class _Loader:
    """One load of one file: holds the diagnostics and references found so far."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.references: dict[str, Reference] = {}
        self.strings: dict[str, str] = {}
        self.first_lines: dict[str, int] = {}

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    # -- splitting -----------------------------------------------------------------

    def split(self, text: str) -> list[tuple[Any, int]]:
        """Split into (block, line offset) pairs; if bibtexparser crashes, retry per chunk."""
        with _quiet("bibtexparser"):
            try:
                library = bibtexparser.parse_string(text, parse_stack=[])
                return [(block, 0) for block in library.blocks]
            except Exception:  # a parser bug must not hide the other entries
                pass
            blocks: list[tuple[Any, int]] = []
            offset = 0
            for chunk in _FALLBACK_CHUNKS.split(text):
                try:
                    library = bibtexparser.parse_string(chunk, parse_stack=[])
                    blocks.extend((block, offset) for block in library.blocks)
                except Exception as error:
                    self.report(
                        INTERNAL_ERROR.at(self.path, offset + 1, 0, what="posten", error=_short(error))
                    )
                offset += chunk.count("\n")
            return blocks

    # -- blocks ----------------------------------------------------------------------

    def run(self, text: str) -> None:
        blocks = self.split(text)
        entries = [i for i, (block, _) in enumerate(blocks) if isinstance(block, bibmodel.Entry)]
        if len(entries) > MAX_ENTRIES:
            block, offset = blocks[entries[MAX_ENTRIES]]
            line = (block.start_line or 0) + offset + 1
            self.report(TOO_MANY.at(self.path, line, 0, count=len(entries), limit=MAX_ENTRIES))
            blocks = blocks[: entries[MAX_ENTRIES]]
        # Pass 1: @string definitions in file order (BibTeX semantics: a string can only use
        # strings defined before it, so definitions cannot loop).
        for block, offset in blocks:
            inner = block.ignore_error_block if isinstance(block, bibmodel.DuplicateBlockKeyBlock) else block
            if isinstance(inner, bibmodel.String):
                self.guarded(self.string, inner, offset)
        # Pass 2: entries, failed blocks and stray text.
        after_failure = False
        for block, offset in blocks:
            if isinstance(block, bibmodel.Entry):
                self.guarded(self.entry, block, offset)
            elif isinstance(block, bibmodel.DuplicateFieldKeyBlock | bibmodel.DuplicateBlockKeyBlock):
                inner = block.ignore_error_block
                if isinstance(inner, bibmodel.DuplicateFieldKeyBlock):
                    inner = inner.ignore_error_block
                if isinstance(inner, bibmodel.Entry):
                    self.guarded(self.entry, inner, offset)
            elif isinstance(block, bibmodel.ParsingFailedBlock):
                self.failed(block, offset)
                after_failure = True
                continue
            elif isinstance(block, bibmodel.ImplicitComment) and not after_failure:
                self.stray(block, offset)
            after_failure = False

    def guarded(self, handler: Any, block: Any, offset: int) -> None:
        """Run a block handler; turn anything unexpected into a diagnostic at the block."""
        try:
            handler(block, offset)
        except Exception as error:  # never a traceback for the author
            line = (block.start_line or 0) + offset + 1
            what, _ = _describe_block(block.raw or "")
            self.report(INTERNAL_ERROR.at(self.path, line, 0, what=what, error=_short(error)))

    def failed(self, block: Any, offset: int) -> None:
        line = (block.start_line or 0) + offset + 1
        description, _ = _describe_block(block.raw or "")
        self.report(UNPARSABLE.at(self.path, line, 0, block=description, reason=_abort_reason(block.error)))

    def stray(self, block: Any, offset: int) -> None:
        comment = block.comment or ""
        if not _LOOKS_LIKE_BIBTEX.search(comment):
            return
        excerpt = _WHITESPACE.sub(" ", comment.strip())
        if len(excerpt) > 40:
            excerpt = excerpt[:39] + "…"
        self.report(STRAY_TEXT.at(self.path, (block.start_line or 0) + offset + 1, 0, excerpt=excerpt))

    def string(self, block: Any, offset: int) -> None:
        line = (block.start_line or 0) + offset + 1
        name = (block.key or "").strip()
        try:
            value = _evaluate(str(block.value).strip(), self.strings)
        except _ValueError as error:
            where = f"i @string-definitionen '{name}'"
            self.report(BAD_VALUE.at(self.path, line, 0, where=where, reason=str(error)))
            return
        if name:
            self.strings[name.lower()] = value

    def entry(self, block: bibmodel.Entry, offset: int) -> None:
        line = (block.start_line or 0) + offset + 1
        entry_type = (block.entry_type or "").strip().lower()
        key = (block.key or "").strip()
        if not key:
            self.report(MISSING_KEY.at(self.path, line, 0, type=entry_type or "article"))
            return
        if key in self.first_lines:
            self.report(DUPLICATE_KEY.at(self.path, line, 0, key=key, first_line=self.first_lines[key]))
            return
        self.first_lines[key] = line

        raw: dict[str, str] = {}
        field_lines: dict[str, int] = {}
        strings = self.strings
        for field in block.fields:
            # Inlined hot path (runs once per field of a possibly huge file).
            start = field.start_line
            field_line = start + offset + 1 if start is not None else line
            name = (field.key or "").strip().lower()
            if name not in _VALID_FIELD_NAMES and not self.valid_field_name(name, key, field_line):
                continue
            if name in field_lines:
                first_line = field_lines[name]
                self.report(
                    DUPLICATE_FIELD.at(self.path, field_line, 0, field=name, key=key, first_line=first_line)
                )
                continue
            field_lines[name] = field_line
            value = field.value
            try:
                raw[name] = _evaluate(value.strip() if isinstance(value, str) else str(value), strings)
            except _ValueError as error:
                where = f"i fältet '{name}' i posten '{key}'"
                self.report(BAD_VALUE.at(self.path, field_line, 0, where=where, reason=str(error)))

        self.validate(key, entry_type, line, raw, field_lines)
        text = _decode_fields(raw)
        csl = _csl_from(key, entry_type, raw, text)
        self.references[key] = Reference(key=key, entry_type=entry_type, line=line, fields=text, csl=csl)

    def valid_field_name(self, name: str, key: str, field_line: int) -> bool:
        """Check a field name not seen before; remember good ones, report bad ones."""
        if _FIELD_NAME.match(name):
            if len(_VALID_FIELD_NAMES) < 10_000:
                _VALID_FIELD_NAMES.add(name)
            return True
        shown = _WHITESPACE.sub(" ", name)[:40]
        reason = f"fältnamnet '{shown}' är ogiltigt" if shown else "ett fältnamn saknas före '='"
        self.report(UNPARSABLE.at(self.path, field_line, 0, block=f"posten '{key}'", reason=reason))
        return False

    def validate(
        self, key: str, entry_type: str, line: int, raw: dict[str, str], field_lines: dict[str, int]
    ) -> None:
        """Check the entry type, required fields, dates, DOI and key syntax."""
        path = self.path
        if entry_type not in _KNOWN_TYPES:
            suggestion = did_you_mean(entry_type, sorted(_KNOWN_TYPES))
            self.report(UNKNOWN_TYPE.at(path, line, 0, type=entry_type, key=key, suggestion=suggestion))
        required = _REQUIRED.get(entry_type, (_TITLE,))
        # A field that is written but unreadable already has its own diagnostic (KOP212).
        present = {name for name, value in raw.items() if value.strip()} | (field_lines.keys() - raw.keys())
        missing = [label for names, label in required if present.isdisjoint(names)]
        if missing:
            self.report(MISSING_FIELDS.at(path, line, 0, key=key, type=entry_type, fields=", ".join(missing)))

        year = raw.get("year")
        if year is not None and year.strip() and not _FOUR_DIGITS.match(decode_latex(year)):
            self.report(
                BAD_DATE.at(path, field_lines["year"], 0, field="year", key=key, value=_shorten(year))
            )
        for name in ("date", "urldate"):
            value = raw.get(name)
            if value is not None and value.strip() and _parse_date_field(decode_latex(value)) is None:
                self.report(
                    BAD_DATE.at(path, field_lines[name], 0, field=name, key=key, value=_shorten(value))
                )
        doi = raw.get("doi")
        if doi is not None and doi.strip() and normalise_doi(doi) is None:
            self.report(BAD_DOI.at(path, field_lines["doi"], 0, key=key, value=_shorten(doi)))

        problem = _key_problem(key)
        if problem:
            self.report(BAD_KEY.at(path, line, 0, key=key, problem=problem))


def _shorten(value: str, limit: int = 60) -> str:
    value = _WHITESPACE.sub(" ", value.strip())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _short(error: BaseException) -> str:
    return _shorten(f"{type(error).__name__}: {error}", 120)


def _os_error(error: OSError) -> str:
    """Swedish wording for the usual reasons a file cannot be read."""
    if isinstance(error, FileNotFoundError):
        return "filen finns inte"
    if isinstance(error, PermissionError):
        return "behörighet att läsa filen saknas"
    if isinstance(error, IsADirectoryError):
        return "sökvägen är en mapp, inte en fil"
    return error.strerror or _short(error)


def load_bibliography(
    path: Path, text: str | None = None, display: str | None = None
) -> tuple[dict[str, Reference], list[Diagnostic]]:
    """Load, validate and convert a BibTeX file; never raises.

    Returns the references by key (first entry wins for duplicate keys) and every
    problem found as diagnostics with 1-based lines. ``text`` replaces reading the
    file (for tests and editors); the file is otherwise read as bytes so that a
    non-UTF-8 file gets a clear message with the line of its first bad byte.
    """
    shown_path = display or str(path)  # messages name the file as the author sees it (references.bib)
    loader = _Loader(shown_path)
    # Parsing allocates hundreds of thousands of small acyclic objects; the cyclic garbage
    # collector would repeatedly traverse all of them for nothing (~30% of the load time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        if text is None:
            try:
                data = Path(path).read_bytes()
            except OSError as error:
                loader.report(READ_ERROR.at(shown_path, 0, 0, error=_os_error(error)))
                return {}, loader.diagnostics
            if len(data) > MAX_BIB_BYTES:
                loader.report(TOO_LARGE.at(shown_path, 1, 0, size=len(data), limit=MAX_BIB_BYTES))
                return {}, loader.diagnostics
            source = _decode_bytes(data, shown_path, loader.diagnostics)
        elif isinstance(text, bytes | bytearray):
            source = _decode_bytes(bytes(text), shown_path, loader.diagnostics)
        else:
            source = str(text)
        if source.startswith("\ufeff"):
            source = source[1:]
        if "\r" in source:
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        loader.run(source)
    except (Exception, RecursionError) as error:  # never a traceback for the author
        loader.report(INTERNAL_ERROR.at(shown_path, 0, 0, what="referensfilen", error=_short(error)))
    finally:
        if gc_was_enabled:
            gc.enable()
    return loader.references, loader.diagnostics
