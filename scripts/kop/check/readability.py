"""Readability of the texts practitioners read first: LIX (läsbarhetsindex, Björnsson 1968).

LIX = words per sentence + 100 × long words / words, where a long word has more than six
letters. Swedish public bodies must write plainly (språklagen 11 §), so ``kop check`` warns
(KOP165) when ``summary`` or a ``plain_language`` text goes above the site's limit,
``extra.kop.lix_max`` in mkdocs.yml (default :data:`DEFAULT_LIX_MAX`).

The limit is a project setting, so the warning is decided with the checks against the
bibliography, outside the per-file cache (whose key is the file's content only); the
measurement is the file's own and is kept with it (:func:`measure`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kop.core.catalogue import message
from kop.core.catalogue.fields import PLACEHOLDER_MARKER
from kop.core.model import Diagnostic, Overview

DEFAULT_LIX_MAX = 45.0
LONG_WORD = 6  # a word with more letters than this is long

HARD_TO_READ = message("KOP165")

# A word: letters and digits, joined by hyphens or apostrophes (e-tjänst) or a decimal mark (1.5, 2,3).
_WORD = re.compile(r"[^\W_]+(?:(?:[-'’]|(?<=\d)[.,](?=\d))[^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")
_LAST_END = re.compile(r"[.!?:]\s*$")
# The plain-language summary's parts, in the order a reader meets them.
PLAIN_LANGUAGE_PARTS = ("why", "what_was_done", "what_was_found", "practice", "how_certain")


def lix(text: str) -> float | None:
    """The LIX of ``text``, or None when it has no words.

    A sentence ends at '.', '!', '?' or ':' followed by white space (so 1.5 and
    www.example.se do not end one); text after the last such mark is one more sentence.
    """
    words = _WORD.findall(text)
    if not words:
        return None
    sentences = len(_SENTENCE_END.findall(text)) + (0 if _LAST_END.search(text) else 1)
    long_words = sum(1 for word in words if sum(ch.isalpha() for ch in word) > LONG_WORD)
    return len(words) / sentences + 100 * long_words / len(words)


def lix_limit(settings: dict[str, Any]) -> float:
    """``extra.kop.lix_max`` from mkdocs.yml, or the default when it is missing or not a number."""
    value = settings.get("lix_max", DEFAULT_LIX_MAX)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return DEFAULT_LIX_MAX
    return float(value)


def readable_texts(meta: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(key path, text) of every text the LIX check reads: ``summary`` and each plain-language part."""
    summary = meta.get("summary")
    if isinstance(summary, str):
        yield ("summary",), summary
    plain = meta.get("plain_language")
    if isinstance(plain, dict):
        for part in PLAIN_LANGUAGE_PARTS:
            text = plain.get(part)
            if isinstance(text, str):
                yield ("plain_language", part), text


def _field(path: tuple[str, ...]) -> str:
    return ".".join(path)


def measure(ov: Overview) -> dict[tuple[str, ...], float | None]:
    """The LIX of each text of ``ov`` the check reads, kept on the overview (and so in the per-file cache).

    The measurement depends on the file alone; only the limit comes from mkdocs.yml.
    """
    if ov.readability is None:
        ov.readability = {}
        if isinstance(ov.meta, dict):
            for path, text in readable_texts(ov.meta):
                if PLACEHOLDER_MARKER not in text:  # a skeleton's placeholder is not text anyone reads (KOP140)
                    ov.readability[path] = lix(text)
    return ov.readability


def readability_diagnostics(ov: Overview, display: str, limit: float = DEFAULT_LIX_MAX) -> list[Diagnostic]:
    """A KOP165 warning for every text whose LIX is above ``limit``, at the text's key."""
    out: list[Diagnostic] = []
    if not isinstance(ov.meta, dict):
        return out
    for path, value in measure(ov).items():
        if value is not None and value > limit:
            line, col = ov.pos(*path)
            out.append(HARD_TO_READ.at(display, line, col, field=_field(path), value=f"{value:.0f}",
                                       limit=f"{limit:g}"))
    return out
