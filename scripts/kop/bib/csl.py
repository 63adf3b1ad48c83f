"""Convert a BibTeX entry to a CSL-JSON item, the format Pandoc's citeproc reads.

This is the mapping from BibTeX/biblatex fields to CSL variables: entry type to CSL
type, titles as rich text (protective braces become ``nocase`` spans), names, dates,
DOI, publisher and place with their biblatex aliases, language tags. It is kept apart
from loading so that :func:`to_csl` can convert a single entry without a file.
"""

from __future__ import annotations

import re
from typing import Any

from kop.bib.dates import IN_PRESS, csl_issued, in_press, parse_date_field
from kop.bib.doi import normalise_doi
from kop.bib.entrytypes import CSL_TYPES, THESIS_GENRES, TYPE_FIELD_GENRES
from kop.bib.latex import decode_latex, decode_rich, decode_verbatim
from kop.bib.names import parse_names

__all__ = ["csl_item", "decode_fields", "to_csl"]

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


def _field_value(fields: dict[str, str], *names: str) -> str:
    for name in names:
        value = fields.get(name)
        if value and value.strip():
            return value
    return ""


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


def csl_item(key: str, entry_type: str, raw: dict[str, str], text: dict[str, str]) -> dict[str, Any]:
    """Build the CSL item from raw (LaTeX) values and their decoded text.

    Titles come from the raw values so that protective braces survive as nocase spans
    and names from the raw values so that braced corporate names stay literal.
    """
    entry_type = entry_type.lower()
    csl_type = CSL_TYPES.get(entry_type, "document")
    item: dict[str, Any] = {"id": key, "type": csl_type}

    def put_rich(csl_name: str, *names: str) -> None:
        for name in names:
            value = raw.get(name)
            if value and value.strip():
                rich = decode_rich(value)
                if rich:
                    item[csl_name] = rich
                    return

    put_rich("title", "title")
    subtitle = raw.get("subtitle")
    if "title" in item and subtitle and subtitle.strip():
        item["title"] = f"{item['title']}: {decode_rich(subtitle)}"
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
        if text.get("eid"):
            # biblatex's eid is the article number (eLocator); apa.csl prints CSL "number" of a
            # journal article as "Artikel e007" in place of the pages (APA 7, 9.27).
            item["number"] = text["eid"]
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
        item["genre"] = TYPE_FIELD_GENRES.get(genre.lower(), genre)
    elif entry_type in THESIS_GENRES:
        item["genre"] = THESIS_GENRES[entry_type]

    if raw.get("doi"):
        doi = normalise_doi(raw["doi"])
        if doi:
            item["DOI"] = doi

    issued = csl_issued(text)
    if issued:
        item["issued"] = issued
    elif in_press(text):
        item["status"] = IN_PRESS
    _howpublished(item, raw.get("howpublished", ""))
    if text.get("urldate"):
        accessed = parse_date_field(text["urldate"])
        if accessed:
            item["accessed"] = {"date-parts": accessed}

    language = _field_value(text, "langid", "language")
    if language:
        tag = _language(language)
        if tag:
            item["language"] = tag
    return item


# An address in howpublished: http(s) only (the URL policy) and nothing that could leave an attribute.
_SAFE_URL = r"(https?://(?:[^\x00-\x20\x7f-\x9f\"'<>`{}\\]|\\[_%&#$])+)"
_URL_COMMAND = re.compile(r"\s*\\url\s*\{" + _SAFE_URL + r"\}\s*")
_URL_TEXT = re.compile(r"\s*" + _SAFE_URL + r"\s*\Z")


def _howpublished(item: dict[str, Any], value: str) -> None:
    """BibTeX's ``howpublished``: an address (``\\url{…}`` or a bare URL) becomes ``URL``, text ``publisher``.

    APA 7 (apa.csl) prints the publisher after the title of a @misc and ends with the URL,
    which is where a stencil series or a web address belongs; text beside an existing
    publisher goes to ``note``.
    """
    if not value.strip():
        return
    match = _URL_COMMAND.fullmatch(value) or _URL_TEXT.match(value)
    if match:
        item.setdefault("URL", decode_verbatim(match.group(1)))
        return
    text = decode_latex(value)
    if not text:
        return
    if "publisher" not in item:
        item["publisher"] = text
    elif "note" not in item:
        item["note"] = text


def decode_fields(raw: dict[str, str]) -> dict[str, str]:
    return {
        name: (decode_verbatim(value) if name in _VERBATIM_FIELDS else decode_latex(value))
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
    return csl_item(ref_key, entry_type, raw, decode_fields(raw))
