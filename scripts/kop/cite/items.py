"""APA 7 rules on the CSL-JSON sent to Pandoc that the CSL style cannot express itself."""

from __future__ import annotations

import re
import unicodedata

_ARTICLE_NUMBER = re.compile(r"^[eEnN]\d+$")


def apa_item(csl: dict) -> dict:
    """The CSL-JSON sent to Pandoc, with the APA 7 rules the style cannot express itself.

    - a journal article's ``pages = {e007}`` is an article number (eLocator), written
      "Artikel e007" (APA 7, 9.27), not a page;
    - the publisher is left out when it is the author (APA 7, 9.29: group authors);
    """
    item = dict(csl)
    page = str(item.get("page") or "")
    if item.get("type") == "article-journal" and not item.get("number") and _ARTICLE_NUMBER.match(page):
        item["number"] = item.pop("page")
    authors = item.get("author") or []
    if item.get("publisher") and len(authors) == 1 and isinstance(authors[0], dict):
        name = authors[0].get("literal") or ""
        if name and _fold(name) == _fold(str(item["publisher"])):
            del item["publisher"]
    return item


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_REFERENCE_VARIABLES = ("archive", "archive-place", "container-title", "DOI", "number", "publisher", "references",
                        "URL")


def listed(item: dict) -> bool:
    """Whether APA puts the work in the reference list (an interview or personal communication
    without any source is cited in the text only, APA 8.9; the style's bibliography layout)."""
    if item.get("type") not in ("interview", "personal_communication"):
        return True
    return any(item.get(name) for name in _REFERENCE_VARIABLES)
