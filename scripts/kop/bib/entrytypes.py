"""BibTeX entry types: which fields each one requires and what CSL type it becomes.

These tables are shared by the validation (unknown types, missing fields) and the
CSL conversion (item type, thesis genre), and they are data rather than logic, so
they sit apart from both.
"""

from __future__ import annotations

__all__ = ["CSL_TYPES", "KNOWN_TYPES", "THESIS_GENRES", "TYPE_FIELD_GENRES", "required_fields"]

_YEAR = (("year", "date"), "year")
_AUTHOR = (("author",), "author")
_TITLE = (("title",), "title")

#: Required fields per entry type: (accepted field names, how to name them in messages).
#: Biblatex aliases (journaltitle, institution for theses, date) are accepted.
_REQUIRED: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "article": (_AUTHOR, _TITLE, (("journal", "journaltitle"), "journal"), _YEAR),
    # APA 7: a book without author or editor is listed by its title, so neither is required.
    "book": (_TITLE, (("publisher",), "publisher"), _YEAR),
    "incollection": (_AUTHOR, _TITLE, (("booktitle",), "booktitle"), (("publisher",), "publisher"), _YEAR),
    "inproceedings": (_AUTHOR, _TITLE, (("booktitle",), "booktitle"), _YEAR),
    "phdthesis": (_AUTHOR, _TITLE, (("school", "institution"), "school"), _YEAR),
    "mastersthesis": (_AUTHOR, _TITLE, (("school", "institution"), "school"), _YEAR),
    "thesis": (_AUTHOR, _TITLE, (("school", "institution"), "school"), _YEAR),
    "techreport": (_AUTHOR, _TITLE, (("institution",), "institution"), _YEAR),
    "report": (_AUTHOR, _TITLE, (("institution",), "institution"), _YEAR),
    # APA 7: a work with no date (a slide deck, a leaflet) is cited "(u.å.)", so @misc needs only its title.
    "misc": (_TITLE,),
    "online": (_TITLE, (("year", "date", "urldate"), "year, date eller urldate")),
}

#: BibTeX entry type -> CSL type. Types not listed here but in KNOWN_TYPES become "document".
CSL_TYPES = {
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
KNOWN_TYPES = frozenset(CSL_TYPES) | {"suppbook", "suppcollection", "reference", "inreference"}
THESIS_GENRES = {"phdthesis": "Doktorsavhandling", "mastersthesis": "Masteruppsats"}
#: biblatex ``type`` values that are keys rather than text (``type = {phdthesis}``).
TYPE_FIELD_GENRES = {
    "phdthesis": "Doktorsavhandling",
    "mathesis": "Masteruppsats",
    "mastersthesis": "Masteruppsats",
    "techreport": "Teknisk rapport",
}


def required_fields(entry_type: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Required fields of ``entry_type`` as (accepted names, label); unknown types need a title."""
    return _REQUIRED.get(entry_type, (_TITLE,))
