"""Stretches of Markdown that are never scanned for citations: code, comments and HTML.

An ``@`` or a bracket inside a code span, an HTML comment, an autolink, a tag or the
content of a code-like element (``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``, ``<script>``,
``<style>``, ``<textarea>``) is not a citation. This module finds where such a stretch
ends, so that the scanner can step over it; its look-ahead searches are cached so that
repeated searches stay amortised linear in the length of the body.
"""

from __future__ import annotations

import re
from bisect import bisect_left

COMMENT_OPEN = "<!--"
COMMENT_CLOSE = "-->"

_BACKTICKS = re.compile(r"`++")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*+|[^\s<>@]++@[^\s<>]++)>")
_ATTRIBUTE = r"""(?:\s++[A-Za-z_:][\w.:\-]*+(?:\s*+=\s*+(?:[^\s"'=<>`]++|'[^']*+'|"[^"]*+"))?)"""
_OPEN_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9\-]*+){_ATTRIBUTE}*+\s*+(/?)>")
_CLOSE_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9\-]*+\s*+>")
# Elements whose content is code or raw text: never scanned for citations.
_RAW_ELEMENTS = ("code", "pre", "kbd", "samp", "script", "style", "textarea")
_RAW_CLOSERS = {name: re.compile(rf"</{name}\s*+>", re.IGNORECASE) for name in _RAW_ELEMENTS}


class Opaque:
    """Finds the ends of comments, autolinks, tags and raw elements in one text (cached)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._comment_cache: tuple[int, int] = (-1, -1)
        self._closer_cache: dict[str, tuple[int, int, int]] = {}

    def comment_end(self, start: int) -> int:
        """Offset of the first '-->' at or after ``start``, or -1 (memoised)."""
        searched_from, found_at = self._comment_cache
        if 0 <= searched_from <= start and (found_at < 0 or found_at >= start):
            return found_at
        found_at = self.text.find(COMMENT_CLOSE, start)
        self._comment_cache = (start, found_at)
        return found_at

    def _raw_element_end(self, name: str, start: int) -> int:
        """End offset of the first closing tag of ``name`` at or after ``start``, or -1."""
        searched_from, found_at, found_end = self._closer_cache.get(name, (-1, -1, -1))
        if 0 <= searched_from <= start and (found_at < 0 or found_at >= start):
            return found_end
        match = _RAW_CLOSERS[name].search(self.text, start)
        found_at, found_end = (match.start(), match.end()) if match else (-1, -1)
        self._closer_cache[name] = (start, found_at, found_end)
        return found_end

    def end_at(self, pos: int, end: int) -> int:
        """End of a comment, autolink or HTML tag at ``pos`` (a '<'), or -1 if none.

        The result may lie beyond ``end`` for comments and raw elements, which may span
        paragraphs; the caller then skips ahead across paragraphs.
        """
        text = self.text
        if text.startswith(COMMENT_OPEN, pos):
            close = self.comment_end(pos + 4)
            return close + 3 if close >= 0 else -1
        match = _AUTOLINK.match(text, pos, end)
        if match is not None:
            return match.end()
        match = _CLOSE_TAG.match(text, pos, end)
        if match is not None:
            return match.end()
        match = _OPEN_TAG.match(text, pos, end)
        if match is None:
            return -1
        name = match.group(1).lower()
        if name in _RAW_CLOSERS and not match.group(2):
            close = self._raw_element_end(name, match.end())
            if close >= 0:
                return close
        return match.end()


def backtick_runs(text: str, start: int, end: int) -> dict[int, list[int]]:
    """Start offsets of the backtick runs of a paragraph, grouped by run length.

    A code span closes at the next run of exactly the same length; looking it up here
    instead of searching ahead keeps unmatched runs from making the scan quadratic.
    """
    runs: dict[int, list[int]] = {}
    for match in _BACKTICKS.finditer(text, start, end):
        runs.setdefault(match.end() - match.start(), []).append(match.start())
    return runs


def code_span_end(runs: dict[int, list[int]], start: int, end: int) -> int:
    """Where a code span opened by the backticks in ``start:end`` ends.

    A span closes at the next run of exactly as many backticks. Like Pandoc, an opener
    without a closer gives up one backtick as text and tries again with the rest, so
    that ``` ``x `code` ``` still hides ``code``; with nothing to close, the backticks are
    text and scanning goes on right after them.
    """
    for size in range(end - start, 0, -1):
        closers = runs.get(size)
        if closers:
            i = bisect_left(closers, end)
            if i < len(closers):
                return closers[i] + size
    return end
