"""Recognise and normalise DOIs however the author wrote them.

A DOI reaches references.bib as a bare "10.x/y", with a "doi:" prefix or as a
doi.org URL, often with TeX escapes from Zotero. Both the CSL conversion (which
writes the bare DOI) and the validation (which reports a value that is no DOI at all)
need the same answer, so the rule lives here once.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

__all__ = ["normalise_doi"]

_DOI_URL_PREFIX = re.compile(r"(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"(?:doi:|info:doi/)\s*", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+\Z")


def normalise_doi(value: str) -> str | None:
    """Return the bare DOI ("10.x/y") from any usual spelling, or None if it is not a DOI.

    Accepts "10.x/y", "doi:10.x/y", "https://doi.org/10.x/y" and "http://dx.doi.org/10.x/y"
    (the prefixes in any letter case). The DOI itself keeps its letter case: DOIs are
    case-insensitive, so changing it buys nothing and would make the output differ from
    what the author pasted. TeX escapes such as ``\\_`` (Zotero writes them) are undone.
    """
    if not isinstance(value, str):
        return None
    from kop.bib.latex import decode_verbatim  # pylatexenc: imported only when an entry is read

    doi = decode_verbatim(value)
    match = _DOI_URL_PREFIX.match(doi)
    if match:
        doi = unquote(doi[match.end() :])
    else:
        match = _DOI_PREFIX.match(doi)
        if match:
            doi = doi[match.end() :]
    doi = doi.strip()
    return doi if _DOI.match(doi) else None
