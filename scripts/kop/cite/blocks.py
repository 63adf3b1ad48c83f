"""The block pass of the citation scanner: which parts of a body are running text.

Citations only occur in paragraph-like text, and no inline construct crosses a paragraph
break, so the body is first split into paragraphs line by line. Fenced and indented code
blocks are left out, link reference definitions are left out (their labels are
remembered, because ``@a [label]`` must not take a defined ``[label]`` as its locator),
and lines inside an HTML comment are never read as fences or code.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from kop.cite.opaque import COMMENT_CLOSE, COMMENT_OPEN, Opaque

_FENCE = re.compile(r"[ \t]*+(`{3,}+|~{3,}+)(.*)", re.DOTALL)
_FENCE_ONLY = re.compile(r"[ \t]*+(`{3,}+|~{3,}+)[ \t\r]*+")
_LIST_ITEM = re.compile(r"[ \t]*+(?:[-*+]|\d{1,9}+[.)])(?:[ \t]++|\r?$)")
_REFERENCE_DEF = re.compile(r" {0,3}+\[(?!\^)((?:[^\[\]\\\n@]|\\[^@]){0,999}+)\]:[ \t]*+\S")

# Line kinds of the block pass. An indented code block may only start after a line
# that ends a block (a paragraph line would just continue the paragraph).
_BLANK, _TEXT, _CODE, _REFERENCE, _FENCE_OPEN, _HEADING = range(6)
_BLOCK_ENDS = (_BLANK, _CODE, _REFERENCE, _HEADING)
_ATX_HEADING = re.compile(r" {0,3}+#{1,6}+(?:[ \t]|\r?$)")

_Closers = dict[str, tuple[list[int], list[int]]]


@dataclass(slots=True)
class Blocks:
    """The result of the block pass over one body."""

    paragraphs: list[tuple[int, int]]  # (start, end) offsets of runs of text lines
    line_starts: list[int]  # offset of the start of each line
    labels: set[str]  # normalised labels of the link reference definitions


def normalise_label(label: str) -> str:
    """Reference-link labels match case-insensitively with whitespace collapsed."""
    return " ".join(label.split()).casefold()


def read_blocks(text: str, opaque: Opaque) -> Blocks:
    """Offsets of runs of consecutive text lines (paragraph-like blocks), and more.

    Fenced and indented code blocks and link reference definitions are left out;
    blank lines end a run, since no inline construct crosses a paragraph break.
    """
    lines = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    blocks = Blocks([], starts[:-1], set())
    fence_closers = _fence_closers(lines)

    segments = blocks.paragraphs
    seg_start = seg_end = -1
    fence: tuple[str, int] | None = None
    in_indented = in_comment = False
    previous = _BLANK
    list_indent: int | None = None

    for index, line in enumerate(lines):
        if fence is not None:
            match = _FENCE_ONLY.fullmatch(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= fence[1]:
                fence = None
            kind = _CODE
        elif in_comment:
            in_comment = _comment_continues(opaque, line, starts[index], True)
            kind = _TEXT
        elif not line or line.isspace():
            kind = _BLANK
        else:
            indent = indent_width(line)
            if in_indented and indent >= 4:
                kind = _CODE
            elif previous in _BLOCK_ENDS and indent >= 4 + (list_indent or 0):
                in_indented = True
                kind = _CODE
            else:
                in_indented = False
                kind = _classify(line, index, previous, fence_closers, blocks.labels)
                if kind == _FENCE_OPEN:
                    run = _FENCE.match(line).group(1)  # type: ignore[union-attr]
                    fence = (run[0], len(run))
                    kind = _CODE
                elif kind in (_TEXT, _HEADING):
                    # Track list items, so that their indented continuation paragraphs
                    # are not mistaken for code blocks.
                    item = _LIST_ITEM.match(line) if indent < 4 or list_indent is not None else None
                    if item is not None:
                        list_indent = max(item.end(), indent + 2)
                    elif previous == _BLANK and list_indent is not None and indent < list_indent:
                        list_indent = indent or None  # back in an outer item, or out of the list
                    if "<!--" in line:
                        in_comment = _comment_continues(opaque, line, starts[index], False)
        if kind == _TEXT:
            if seg_start < 0:
                seg_start = starts[index]
            seg_end = starts[index] + len(line)
        else:
            if seg_start >= 0:
                segments.append((seg_start, seg_end))
                seg_start = -1
            if kind == _HEADING:  # a heading is a paragraph of one line
                segments.append((starts[index], starts[index] + len(line)))
        previous = kind
    if seg_start >= 0:
        segments.append((seg_start, seg_end))
    return blocks


def _classify(line: str, index: int, previous: int, fence_closers: _Closers, labels: set[str]) -> int:
    """Classify a non-blank, non-code line as a fence opener, a reference definition
    (whose label is added to ``labels`` and whose URL is never scanned) or text."""
    if line.lstrip(" \t")[:1] in ("`", "~"):
        match = _FENCE.match(line)
        if match is not None and _opens_fence(match, index, fence_closers):
            return _FENCE_OPEN
    if previous in _BLOCK_ENDS and "]:" in line:
        match = _REFERENCE_DEF.match(line)
        if match is not None:
            labels.add(normalise_label(match.group(1)))
            return _REFERENCE
    if line[:1] in (" ", "#") and _ATX_HEADING.match(line):
        return _HEADING
    return _TEXT


def _comment_continues(opaque: Opaque, line: str, line_start: int, inside: bool) -> bool:
    """Whether an HTML comment is still open at the end of this line.

    Lines inside a comment must not be read as fences or code, or a commented-out
    fence would swallow the rest of the document. A '<!--' after an odd number of
    backticks is taken to be inside a code span and ignored.
    """
    pos = ticks_to = ticks = 0
    while True:
        if inside:
            pos = line.find(COMMENT_CLOSE, pos)
            if pos < 0:
                return True
            pos += 3
            inside = False
        else:
            pos = line.find(COMMENT_OPEN, pos)
            if pos < 0:
                return False
            ticks += line.count("`", ticks_to, pos)
            ticks_to = pos
            if ticks % 2:
                return False
            if opaque.comment_end(line_start + pos + 4) < 0:
                return False  # an unclosed '<!--' is literal text
            pos += 4
            inside = True


def indent_width(line: str) -> int:
    """Leading indentation in columns (tabs to the next multiple of four), capped at 64."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
        if width >= 64:
            break
    return width


def _fence_closers(lines: list[str]) -> _Closers:
    """For each fence character: line indexes of bare fence lines and suffix maxima of
    their lengths, so that "is this fence ever closed?" is a binary search.

    Pandoc reads an unclosed fence as plain text, so an opener only counts if a closer
    exists further down.
    """
    found: _Closers = {"`": ([], []), "~": ([], [])}
    for index, line in enumerate(lines):
        if line[:1] not in (" ", "\t", "`", "~"):
            continue
        match = _FENCE_ONLY.fullmatch(line)
        if match:
            run = match.group(1)
            found[run[0]][0].append(index)
            found[run[0]][1].append(len(run))
    for _, lengths in found.values():
        for i in range(len(lengths) - 2, -1, -1):
            lengths[i] = max(lengths[i], lengths[i + 1])
    return found


def _opens_fence(match: re.Match[str], index: int, closers: _Closers) -> bool:
    """Whether a fence-like line opens a code block that is closed later on."""
    run, info = match.group(1), match.group(2)
    if run[0] == "`" and "`" in info:
        return False  # ```code``` on one line is an inline code span
    indexes, longest = closers[run[0]]
    i = bisect_right(indexes, index)
    return i < len(indexes) and longest[i] >= len(run)
