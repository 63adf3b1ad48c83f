"""Slugs: the file names (and so the web addresses) of overviews."""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TRANSLIT = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o", "æ": "ae", "ø": "o", "ß": "ss"})


def slugify(text: str, max_length: int = 80) -> str:
    """Turn a Swedish title into a slug: lower-case ASCII, å/ä→a, ö→o, words joined by hyphens."""
    text = text.translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def is_slug(name: str) -> bool:
    """True if ``name`` is a valid slug."""
    return bool(SLUG_RE.match(name))
