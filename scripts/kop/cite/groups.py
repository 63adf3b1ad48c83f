"""Which works APA's disambiguation can confuse: a module of its own, light to import.

The check (``kop.check.limits``) bounds the work of the largest group without loading the
formatter and its Pandoc machinery.
"""

from __future__ import annotations

import unicodedata


def group_key(item: dict) -> str:
    """What a reference's citations can be confused with: its first author's family name.

    APA's disambiguation (initials for a shared surname, more names, year suffixes) only
    ever compares works whose first author (or editor, or title when there is no name)
    renders the same, so works with different group keys never affect each other.
    The key is folded (case, accents) so that it errs on the side of grouping.
    """
    for role in ("author", "editor"):
        names = item.get(role) or []
        if names and isinstance(names[0], dict):
            first = names[0]
            text = str(first.get("family") or first.get("literal") or "")
            if text:
                break
    else:
        text = str(item.get("title") or "")
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).strip()
