"""Field inheritance as biber does it: ``crossref`` (with its field mapping) and ``xdata``.

A chapter written ``@incollection{child, crossref = {parent}, …}`` gets the fields it
lacks from ``@book{parent, …}``; the parent's ``title`` becomes the child's
``booktitle`` (biber's rule), its publisher, year and editor are taken as they are.
``xdata = {a, b}`` copies every field of the ``@xdata`` entries a and b unchanged.
A field the entry has itself always wins. This module holds the rules only; the loader
finds the parents and reports missing ones and loops.

Deliberate deviation from biber: biber maps ``title`` to ``booktitle`` for
@book → @inbook but not for @book → @incollection/@inproceedings; BibTeX users write
exactly that (a chapter in an edited @book), so KÖP applies the mapping there too.
"""

from __future__ import annotations

__all__ = ["NEVER_INHERITED", "crossref_fields", "parent_keys", "xdata_fields"]

#: Fields biber never inherits (biblatex manual, appendix B).
NEVER_INHERITED = frozenset(
    {
        "ids",
        "crossref",
        "xref",
        "xdata",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
    }
)
_SKIPPED_TITLES = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")
_AS_MAIN = {"title": ("maintitle",), "subtitle": ("mainsubtitle",), "titleaddon": ("maintitleaddon",)}
_AS_BOOK = {"title": ("booktitle",), "subtitle": ("booksubtitle",), "titleaddon": ("booktitleaddon",)}
_AS_JOURNAL = {"title": ("journaltitle",), "subtitle": ("journalsubtitle",)}
_PARTS = frozenset(
    {"inbook", "bookinbook", "suppbook", "incollection", "inreference", "suppcollection", "inproceedings", "conference"}
)
_VOLUMES = _PARTS | {"book", "collection", "reference", "proceedings"}


def _mapping(parent_type: str, child_type: str) -> dict[str, tuple[str, ...]]:
    """biber's field mapping for one (parent type, child type) pair; unlisted fields keep their name."""
    mapping: dict[str, tuple[str, ...]] = {}
    if parent_type.startswith("mv") and child_type in _VOLUMES:
        mapping.update(_AS_MAIN)
    elif parent_type in ("book", "collection", "reference", "proceedings") and child_type in _PARTS:
        mapping.update(_AS_BOOK)
    elif parent_type == "periodical" and child_type in ("article", "suppperiodical"):
        mapping.update(_AS_JOURNAL)
    else:
        return mapping
    if parent_type in ("mvbook", "book") and child_type in ("inbook", "bookinbook", "suppbook"):
        mapping["author"] = ("author", "bookauthor")
    mapping.update(dict.fromkeys(_SKIPPED_TITLES, ()))
    return mapping


def crossref_fields(child_type: str, child: dict[str, str], parent_type: str, parent: dict[str, str]) -> dict[str, str]:
    """The fields ``child`` inherits from its crossref ``parent`` (already resolved), by biber's rules."""
    mapping = _mapping(parent_type, child_type)
    inherited: dict[str, str] = {}
    # Mapped fields first (title -> booktitle), so that they win over a same-named parent field.
    for name, value in parent.items():
        for target in mapping.get(name, ()):
            if target not in child and target not in inherited and name not in NEVER_INHERITED:
                inherited[target] = value
    for name, value in parent.items():
        if name in mapping or name in NEVER_INHERITED:
            continue
        if name not in child and name not in inherited:
            inherited[name] = value
    return inherited


def xdata_fields(child: dict[str, str], data: dict[str, str]) -> dict[str, str]:
    """The fields ``child`` takes from one resolved @xdata entry: all it lacks, unchanged."""
    return {name: value for name, value in data.items() if name not in child and name not in NEVER_INHERITED}


def parent_keys(value: str) -> list[str]:
    """The keys in an ``xdata`` list (``{a, b}``) or a ``crossref`` value, in order."""
    return [key.strip() for key in value.split(",") if key.strip()]
