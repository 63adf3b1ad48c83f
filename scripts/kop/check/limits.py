"""Bounded work: limits that keep the build of any input that passes the check within a minute.

Measured on the 2-core build machine (see docs/bidra/granser.md and tests/check/test_limits.py):

- Python-Markdown scans from every ``[`` to its matching ``]``, or to the end of the paragraph
  when there is none, so its cost is the number of open brackets times the paragraph's length
  (5,000 unclosed ``[`` in one paragraph: 15 s; 10,000: 55 s). No character is then scanned
  more often than there are brackets open at the same time, so limiting that number (and,
  with a plainer message, the ``[`` that never close) per paragraph bounds the work by a
  small multiple of the file size, which is itself at most 1 MB.
- Pandoc formats every work in ``references.bib`` in every build (about 10 ms each), and its
  APA disambiguation grows much faster than linearly with the works that share a first
  author (200: 3 s; 2,000: over 3 minutes); citations add to the same runs.

Limits are counted the way an author can check them: brackets by hand, citations by ``@``.
Backslash-escaped brackets (``\\[``) and brackets in code are not counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from kop.cite.blocks import read_blocks
from kop.cite.groups import group_key
from kop.cite.opaque import Opaque, backtick_runs, code_span_end
from kop.cite.text import position
from kop.core.catalogue import message
from kop.core.model import Diagnostic, Overview, Reference

MAX_CITATIONS = 2_000  # citations (each @key) in one overview's text
MAX_UNCLOSED_BRACKETS = 20  # '[' that never close, in one paragraph
MAX_BRACKET_DEPTH = 20  # '[' open at the same time (nested, or not closed yet), in one paragraph
MAX_REFERENCES = 10_000  # works in references.bib
MAX_SAME_FIRST_AUTHOR = 200  # works whose first author has the same family name

TOO_MANY_CITATIONS = message("KOP420")
TOO_MANY_UNCLOSED = message("KOP421")
TOO_DEEP_BRACKETS = message("KOP422")
TOO_MANY_REFERENCES = message("KOP423")
TOO_MANY_SAME_AUTHOR = message("KOP424")

_BRACKET = re.compile(r"\\.|`+|[\[\]]", re.DOTALL)
_FEWEST_OVER = min(MAX_BRACKET_DEPTH, MAX_UNCLOSED_BRACKETS)  # '[' a paragraph needs beyond this to break a limit


def check_overview(ov: Overview, display: str) -> list[Diagnostic]:
    """The per-overview limits: citations in the text, and brackets in each paragraph."""
    out: list[Diagnostic] = []
    count = sum(len(cit.items) for cit in ov.citations)
    if count > MAX_CITATIONS:
        first_over = _nth_item(ov, MAX_CITATIONS)
        out.append(TOO_MANY_CITATIONS.at(display, first_over[0], first_over[1], count=count, limit=MAX_CITATIONS))
    out.extend(bracket_diagnostics(ov.body, ov.body_line, display))
    return out


def _nth_item(ov: Overview, n: int) -> tuple[int, int]:
    """Where the citation that goes over the limit is (line, column in the file)."""
    seen = 0
    for cit in ov.citations:
        seen += len(cit.items)
        if seen > n:
            return cit.line, cit.column
    return ov.body_line, 1


def bracket_diagnostics(body: str, body_line: int, display: str) -> list[Diagnostic]:
    """At most one message per paragraph whose brackets would make the site engine slow."""
    if body.count("[") <= _FEWEST_OVER:
        return []
    blocks = read_blocks(body, Opaque(body))
    out: list[Diagnostic] = []
    for start, end in blocks.paragraphs:
        problem = _paragraph_problem(body, start, end)
        if problem is None:
            continue
        kind, offset, value = problem
        line, col = position(blocks.line_starts, offset, body_line)
        if kind == "depth":
            out.append(TOO_DEEP_BRACKETS.at(display, line, col, limit=MAX_BRACKET_DEPTH))
        else:
            out.append(TOO_MANY_UNCLOSED.at(display, line, col, count=value, limit=MAX_UNCLOSED_BRACKETS))
    return out


def _paragraph_problem(body: str, start: int, end: int) -> tuple[str, int, int] | None:
    """('depth', offset, depth) or ('unclosed', offset of the first unclosed '[', count), or None."""
    if body.count("[", start, end) <= _FEWEST_OVER:  # each '[' counted below is one of these: none can go over
        return None
    runs: dict[int, list[int]] | None = None
    open_at: list[int] = []
    deepest: int | None = None
    pos = start
    while True:
        match = _BRACKET.search(body, pos, end)
        if match is None:
            break
        token = match.group()
        pos = match.end()
        if token[0] == "`":
            if runs is None:
                runs = backtick_runs(body, start, end)
            pos = max(pos, code_span_end(runs, match.start(), match.end()))
        elif token == "[":
            open_at.append(match.start())
            if len(open_at) > MAX_BRACKET_DEPTH and deepest is None:
                deepest = match.start()
        elif token == "]" and open_at:
            open_at.pop()
    if len(open_at) > MAX_UNCLOSED_BRACKETS:  # the plainer message when brackets are simply never closed
        return "unclosed", open_at[0], len(open_at)
    if deepest is not None:
        return "depth", deepest, MAX_BRACKET_DEPTH + 1
    return None


def check_bibliography(references: Mapping[str, Reference], display: str) -> list[Diagnostic]:
    """The bibliography's limits: how many works, and how many share a first author."""
    out: list[Diagnostic] = []
    if len(references) > MAX_REFERENCES:
        line = sorted(ref.line for ref in references.values())[MAX_REFERENCES]
        out.append(TOO_MANY_REFERENCES.at(display, line, 1, count=len(references), limit=MAX_REFERENCES))
    groups = Counter(group_key(ref.csl) for ref in references.values())
    for name, count in sorted(groups.items()):
        if count > MAX_SAME_FIRST_AUTHOR:
            lines = sorted(ref.line for ref in references.values() if group_key(ref.csl) == name)
            shown = next((_first_name(ref.csl) for ref in references.values() if group_key(ref.csl) == name), name)
            out.append(TOO_MANY_SAME_AUTHOR.at(display, lines[MAX_SAME_FIRST_AUTHOR], 1, name=shown, count=count,
                                               limit=MAX_SAME_FIRST_AUTHOR))
    return out


def _first_name(item: Mapping) -> str:
    for role in ("author", "editor"):
        names = item.get(role) or []
        if names and isinstance(names[0], dict):
            text = str(names[0].get("family") or names[0].get("literal") or "")
            if text:
                return text
    return str(item.get("title") or "")
