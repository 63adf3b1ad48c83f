"""Diagnostics about citations: unknown keys (KOP301/KOP303), malformed citations (KOP302/KOP304)
and Pandoc forms the site cannot show (KOP305 inline notes, KOP306 bracketed spans).

The scanner only finds citations; deciding what to tell the author about them is a
separate job with its own limits. A flood of one mistake is summarised after
:data:`MAX_REPORTS_PER_KEY` (per unknown key) or :data:`MAX_MALFORMED_REPORTS` reports, so
that the output stays readable and cheap to produce.
"""

from __future__ import annotations

from collections.abc import Collection

from kop.cite.inline import Scanner
from kop.cite.parts import Problem
from kop.cite.text import CLIP, clip, position
from kop.core.catalogue import message
from kop.core.messages import did_you_mean
from kop.core.model import Citation, Diagnostic

__all__ = [
    "BRACKETED_SPAN",
    "INLINE_NOTE",
    "MALFORMED_CITATION",
    "MANY_MALFORMED",
    "MAX_MALFORMED_REPORTS",
    "MAX_REPORTS_PER_KEY",
    "REPEATED_UNKNOWN_KEY",
    "UNKNOWN_KEY",
    "check_keys",
    "malformed_citations",
]

UNKNOWN_KEY = message("KOP301")

MAX_REPORTS_PER_KEY = 10

REPEATED_UNKNOWN_KEY = message("KOP303")

MAX_MALFORMED_REPORTS = 50

MANY_MALFORMED = message("KOP304")

MALFORMED_CITATION = message("KOP302")

INLINE_NOTE = message("KOP305")

BRACKETED_SPAN = message("KOP306")


def check_keys(citations: list[Citation], known_keys: Collection[str], path: str) -> list[Diagnostic]:
    """Return a KOP301 diagnostic for every cited key that is not in ``known_keys``.

    Each diagnostic points at the ``@`` of the offending key rather than at the start of
    the cluster, so that in ``[@a; @b]`` the author sees which of the two is wrong.
    """
    known = known_keys if isinstance(known_keys, (set, frozenset, dict)) else set(known_keys)
    diagnostics: list[Diagnostic] = []
    suggestions: dict[str, str] = {}  # one "did you mean" search per distinct key, not per use
    seen: dict[str, int] = {}
    first_line: dict[str, int] = {}
    for citation in citations:
        unknown = [i for i, item in enumerate(citation.items) if item.key not in known]
        if not unknown:
            continue
        positions = _item_positions(citation)
        for index in unknown:
            key = citation.items[index].key
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > MAX_REPORTS_PER_KEY:
                continue  # summarised below, so a flood of one mistake stays readable and fast
            line, column = positions[index]
            first_line.setdefault(key, line)
            if key not in suggestions:
                suggestions[key] = did_you_mean(key, known)
            diagnostics.append(UNKNOWN_KEY.at(path, line, column, key=key, suggestion=suggestions[key]))
    for key, count in seen.items():
        if count > MAX_REPORTS_PER_KEY:
            diagnostics.append(REPEATED_UNKNOWN_KEY.at(path, first_line[key], 0, key=key,
                                                       more=count - MAX_REPORTS_PER_KEY))
    return diagnostics


def malformed_citations(body: str, body_line: int, path: str,
                        scanned: tuple[Scanner, list[Problem]] | None = None) -> list[Diagnostic]:
    """Return KOP302 diagnostics for brackets that look like failed citation attempts.

    Only brackets that *start* with ``@`` or ``-@`` are considered, because that is an
    unmistakable attempt to cite, whereas an ``@`` elsewhere may be an address, a handle
    or the word "at". Such a bracket is reported when it is not a valid cluster and not
    a link or span: an empty key (``[@]``), a space after ``@`` (``[@ key]``), a braced
    key that is empty or holds whitespace (``[@{Smith, 2020}]``, which Pandoc rejects), a
    character that cannot start a key, a ``;``-separated part without a key
    (``[@a; s. 5]``), or a missing ``]``. Code, comments and e-mail addresses are
    skipped by the same scanner as citations, so they never produce a report. ``scanned``: the
    scanner that already ran over ``body`` and its problems (:func:`kop.cite.scan.scan`).
    """
    if scanned is None:
        scanner = Scanner(body)
        _, problems = scanner.run()
    else:
        scanner, problems = scanned
    diagnostics: list[Diagnostic] = []
    if len(problems) > MAX_MALFORMED_REPORTS:
        # keep a flood readable and cheap: the first reports, then one line with the count
        first_line, _ = position(scanner.line_starts, problems[0].start, body_line)
        extra = MANY_MALFORMED.at(path, first_line, 0, more=len(problems) - MAX_MALFORMED_REPORTS)
        problems = problems[:MAX_MALFORMED_REPORTS]
    else:
        extra = None
    for problem in problems:
        line, column = position(scanner.line_starts, problem.start, body_line)
        diagnostics.append(
            MALFORMED_CITATION.at(
                path,
                line,
                column,
                source=clip(body[problem.start : min(problem.end, problem.start + 2 * CLIP)]),
                reason=problem.reason,
                advice=problem.advice,
            )
        )
    if extra is not None:
        diagnostics.append(extra)
    diagnostics.extend(_pandoc_forms(scanner, body, body_line, path))
    return diagnostics


def _pandoc_forms(scanner: Scanner, body: str, body_line: int, path: str) -> list[Diagnostic]:
    """KOP305/KOP306 for Pandoc forms the site engine would print as raw text.

    Inline notes ``^[…]`` and bracketed spans ``[…]{.klass}`` are refused with a fix (a
    normal footnote, the plain text), capped like KOP302 so that a flood stays cheap.
    """
    diagnostics: list[Diagnostic] = []
    for start, end in scanner.notes[:MAX_MALFORMED_REPORTS]:
        line, column = position(scanner.line_starts, start, body_line)
        note = clip(body[start + 2 : min(end - 1, start + 2 + 2 * CLIP)])
        source = clip(body[start : min(end, start + 2 * CLIP)])
        diagnostics.append(INLINE_NOTE.at(path, line, column, source=source, note=note))
    for start, close, end in scanner.spans[:MAX_MALFORMED_REPORTS]:
        line, column = position(scanner.line_starts, start, body_line)
        diagnostics.append(
            BRACKETED_SPAN.at(
                path,
                line,
                column,
                source=clip(body[start : min(end, start + 2 * CLIP)]),
                attributes=clip(body[close + 1 : min(end, close + 1 + 2 * CLIP)]),
                plain=clip(body[start + 1 : min(close, start + 1 + 2 * CLIP)]),
            )
        )
    return diagnostics


def _item_positions(citation: Citation) -> list[tuple[int, int]]:
    """(line, column) of the '@' of each item, found by re-reading the citation's source.

    CitationItem carries no offsets, so the source span is scanned again on its own; it
    is a single paragraph fragment, so the result is the same as in the full body. If
    the citation was built by hand and does not re-scan to the same keys, every item is
    placed at the citation itself.
    """
    fallback = [(citation.line, citation.column)] * len(citation.items)
    source = citation.source or ""
    scanner = Scanner(source)
    found = scanner.scan_fragment()
    if (
        len(found) != 1
        or (found[0].start, found[0].end) != (0, len(source))
        or [i.key.key for i in found[0].items] != [i.key for i in citation.items]
    ):
        return fallback
    positions = []
    for item in found[0].items:
        offset = item.key.at
        newline = source.rfind("\n", 0, offset)
        if newline < 0:
            positions.append((citation.line, citation.column + offset))
        else:
            positions.append((citation.line + source.count("\n", 0, offset), offset - newline))
    return positions

