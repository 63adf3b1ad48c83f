"""Small edits that make the site engine read a Markdown body the way Pandoc does, in linear time.

The site engine (Python-Markdown) differs from Pandoc in two ways that matter here:

* it does not know the escape ``\\@``, so ``\\@key`` would be printed with its backslash;
  Pandoc prints "@key", so the backslash is removed;
* its link, reference and footnote patterns search forward from every ``[`` for the
  matching ``]``, so a paragraph with thousands of ``[`` that are never closed (or nest
  deeply) costs quadratic time. A ``[`` that cannot start a link, image, reference or
  footnote is written as ``\\[`` (and its ``]`` as ``\\]``), which the engine prints as
  the same character without searching; live brackets nest at most
  :data:`MAX_LIVE_DEPTH` deep (a link in an image in a link), deeper ones are text.

The edits come from the citation scanner's own reading of the body (paragraphs, code,
comments, tags, escapes and bracket pairs), so code and HTML are never touched, and
nothing inside a citation is edited: the citation is replaced as a whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kop.cite.blocks import normalise_label
from kop.cite.inline import Scanner, Segment

__all__ = ["MAX_LIVE_DEPTH", "Edit", "page_edits"]

Edit = tuple[int, int, str]  # replace body[start:end] with the text

MAX_LIVE_DEPTH = 2

# Python-Markdown reads a reference definition on any line of a paragraph, not only at
# its start, and labels match case-insensitively.
_DEFINITION = re.compile(r"^ {0,3}+\[([^\[\]\n]{0,999}+)\]:", re.MULTILINE)
_FOOTNOTE = re.compile(r"\^[^\s\[\]]{1,100}+")
# The engine's footnote definitions take any label without ']', brackets included.
_MARKERS = re.compile(r"[ >\-*+.)0-9]*+")  # indentation, quote and list markers at a line start
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}+\[\^[^\]\n]*+\]:", re.MULTILINE)


def page_edits(body: str) -> list[Edit]:
    """The edits for one body, sorted by position and never overlapping a citation.

    Remembered per body text in the process: the live preview renders every page again
    after each save, and scanning the bodies was a third of that (medium benchmark corpus).
    """
    if not isinstance(body, str) or ("[" not in body and "\\@" not in body):
        return []
    return list(_page_edits(body))


@lru_cache(maxsize=4096)
def _page_edits(body: str) -> tuple[Edit, ...]:
    scanner = Scanner(body, keep_segments=True)
    found, _ = scanner.run()
    labels = scanner.labels | {normalise_label(m.group(1)) for m in _DEFINITION.finditer(body)}
    edits: list[Edit] = []
    for segment in scanner.segments or []:
        if _stands_alone(body, segment, strict=False):
            edits.extend((at - 1, at, "") for at in segment.escaped if body[at] == "@")
            if _stands_alone(body, segment, strict=True):
                edits.extend(_bracket_edits(body, segment, labels))
    edits.sort()
    protected = [(m.start(), m.end()) for m in _FOOTNOTE_DEFINITION.finditer(body)]
    if protected:
        edits = _outside(edits, protected)
    return tuple(_outside(edits, [(f.start, f.end) for f in found]) if found else edits)


def _outside(edits: list[Edit], ranges: list[tuple[int, int]]) -> list[Edit]:
    """The sorted edits that start outside the sorted, disjoint ``ranges``.

    An insertion at the first character of a range is inside it: a citation is replaced
    whole, from its first character.
    """
    kept: list[Edit] = []
    spans = iter(ranges)
    current = next(spans, None)
    for edit in edits:
        while current is not None and current[1] <= edit[0]:
            current = next(spans, None)
        if current is None or edit[0] < current[0]:
            kept.append(edit)
    return kept


def _stands_alone(body: str, seg: Segment, strict: bool) -> bool:
    """A paragraph between blank lines with no code or HTML, which both parsers read alike.

    The engine lets fenced code interrupt a paragraph and may read a line indented like
    code (after any quote and list markers) as code, so no paragraph next to a fence or
    with such a line is edited. ``strict`` (for bracket edits) also leaves alone a
    paragraph holding a backtick, a '<', '~~~' or a tab, since the engine reads comments,
    tags and code spans by its own rules and expands tabs by column: always correct, only
    not protected from the slow patterns.
    """
    text = body[seg.start : seg.end]
    if strict and ("`" in text or "<" in text or "~~~" in text or "\t" in text):
        return False
    if any("    " in _MARKERS.match(line).group() for line in text.split("\n")):  # type: ignore[union-attr]
        return False  # indentation that may make a line code for the engine
    before = body.rfind("\n", 0, max(seg.start - 1, 0))
    if seg.start > 0 and body[before + 1 : seg.start - 1].strip(" \t\r"):
        return False
    after = body.find("\n", seg.end + 1)
    after = len(body) if after < 0 else after
    return not body[seg.end + 1 : after].strip(" \t\r")


def _bracket_edits(body: str, seg: Segment, labels: set[str]) -> list[Edit]:
    edits: list[Edit] = []
    live: list[int] = []  # closing offsets of the live brackets around the current one
    forced: set[int] = set()  # the [label] of a [text][label] reference link
    for p in seg.events:
        if body[p] != "[":
            continue
        while live and live[-1] < p:
            live.pop()
        close = seg.brackets.get(p)
        if close is None:
            edits.append((p, p, "\\"))
            continue
        if len(live) < MAX_LIVE_DEPTH and (p in forced or _is_live(body, seg, p, close, labels, forced)):
            live.append(close)
            continue
        edits.append((p, p, "\\"))
        edits.append((close, close, "\\"))
    return edits


def _is_live(body: str, seg: Segment, p: int, close: int, labels: set[str], forced: set[int]) -> bool:
    """Whether the engine may turn ``[…]`` at ``p`` into a link, image, reference or footnote."""
    after = close + 1
    follower = body[after] if after < seg.end else ""
    if follower in ("(", ":"):
        return True
    if body[p + 1] == "^":  # footnotes come before links in the engine
        return _FOOTNOTE.fullmatch(body, p + 1, close) is not None
    if follower == " " and after + 1 < seg.end and body[after + 1] == "[":
        after += 1
        follower = "["
    if follower == "[" and after in seg.brackets:
        forced.add(after)  # [text][label]: the label is part of the link
        return True
    return close - p <= 1001 and normalise_label(body[p + 1 : close]) in labels
