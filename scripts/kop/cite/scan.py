"""Find Pandoc-style citations in a Markdown body and check them against the bibliography.

The syntax is Pandoc's ("Citation syntax" in the Pandoc manual), because authors already
know it from Pandoc, Quarto and Zotero exports, and because it is well specified. Where the
manual is silent the behaviour follows Pandoc's Markdown reader (checked against pandoc
3.9): a bracketed cluster ``[see @a, p. 3; @b]`` is a citation only if every
``;``-separated part holds a key, a bracket followed by ``(…)``, ``{…}`` or ``[…]`` is a
link, span or reference link instead, and ``@key [p. 3]`` takes the bracket after it as
its locator.

The scanner deliberately differs from Pandoc where Pandoc would turn something that is
clearly not a citation into one, because a false citation makes the build fail with an
unknown-key error that the author cannot understand:

* an ``@`` glued to a word by e-mail characters is not a key, so ``namn@example.se``,
  ``a-@b`` and ``https://x.se/@user`` (Pandoc cites ``@user`` there) are plain text;
* the contents of ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``, ``<script>``, ``<style>``
  and ``<textarea>`` are never scanned, like Markdown code;
* ``@*`` (Pandoc's ``nocite`` wildcard) is not a key in running text;
* example lists (``(@good)``), raw TeX, math and implicit heading references are not
  recognised, and braced keys nest only one level deep (``@{a{b}c}``).

Everything here is pure and linear in the length of the body: the text is split into
paragraphs line by line, and each paragraph is tokenised once with a regular expression
that only stops at the few characters that matter, so that a 3,000-word overview scans in
about a millisecond and hostile input (megabyte lines, thousands of brackets) cannot make
it slow. Nothing here raises on any ``str``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import accumulate

from kop.core.catalogue import message
from kop.core.messages import did_you_mean
from kop.core.model import Citation, CitationItem, Diagnostic

__all__ = [
    "MALFORMED_CITATION",
    "MANY_MALFORMED",
    "REPEATED_UNKNOWN_KEY",
    "UNKNOWN_KEY",
    "check_keys",
    "malformed_citations",
    "scan_citations",
]

UNKNOWN_KEY = message("KOP301")

MAX_REPORTS_PER_KEY = 10

REPEATED_UNKNOWN_KEY = message("KOP303")

MAX_MALFORMED_REPORTS = 50

MANY_MALFORMED = message("KOP304")

MALFORMED_CITATION = message("KOP302")

# --- Character classes and patterns -------------------------------------------------

# Inline tokens that matter: escapes of ASCII punctuation (CommonMark), backtick runs
# (code spans), '<' (comments, autolinks, HTML tags) and the structural characters.
# Everything else is skipped by the regex engine, which is what keeps the scan fast.
_TOKEN = re.compile(r"\\[!-/:-@\[-`{-~]|`++|[<\[\]()@;]")
_BACKTICKS = re.compile(r"`++")

# A simple key (Pandoc's simpleCiteIdentifier): a letter, digit or '_', then word
# characters, with the listed punctuation only *inside* the key (before a word
# character), or ':' and '/' before a '/' so that URL-like keys keep their '://'.
_SIMPLE_KEY = re.compile(r"\w(?:\w|[:.#$%&\-+?<>~/](?=\w)|[:/](?=/))*+")
# A braced key: anything but whitespace, braces balanced (one level of nesting).
_BRACED_KEY = re.compile(r"\{((?:[^\s{}]|\{[^\s{}]*+\})*+)\}")
_MAX_BRACED = 1000  # bound the look-ahead of a braced key; real keys are short

# Characters that may stand in the local part of an e-mail address. An '@' preceded by
# a run of these that holds a letter or digit is part of an address or URL, not a key.
_EMAIL_CHARS = frozenset("!#$%&'*+-/=?^_{|}~.")

# spnl in Pandoc: spaces, at most one line end, spaces.
_SPNL = re.compile(r"[ \t]*+(?:\r?\n[ \t]*+)?")
_WS_RUN = re.compile(r"[ \t\r\n]+")
_FOOTNOTE_LABEL = re.compile(r"[^\s\]]{1,100}+\]")
_SPACES = re.compile(r"\s*+")
_NEAR_MISS_START = re.compile(r"[ \t\r\n]*+-?@")

_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*+|[^\s<>@]++@[^\s<>]++)>")
_ATTRIBUTE = r"""(?:\s++[A-Za-z_:][\w.:\-]*+(?:\s*+=\s*+(?:[^\s"'=<>`]++|'[^']*+'|"[^"]*+"))?)"""
_OPEN_TAG = re.compile(rf"<([A-Za-z][A-Za-z0-9\-]*+){_ATTRIBUTE}*+\s*+(/?)>")
_CLOSE_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9\-]*+\s*+>")
# Elements whose content is code or raw text: never scanned for citations.
_RAW_ELEMENTS = ("code", "pre", "kbd", "samp", "script", "style", "textarea")
_RAW_CLOSERS = {name: re.compile(rf"</{name}\s*+>", re.IGNORECASE) for name in _RAW_ELEMENTS}

# Pandoc attribute block after a bracket, which makes it a span: {#id .class key=val -}.
_ATTRIBUTES = re.compile(
    r"""\{[ \t\r\n]*+(?:(?:\#[^\s}#.]++|\.[^\s}#.]++|[A-Za-z_][\w.:\-]*+=(?:"[^"]*+"|'[^']*+'|[^\s"'}]++)"""
    r"""|-)[ \t\r\n]*+)*+\}"""
)

# Block structure, matched against single lines.
_FENCE = re.compile(r"[ \t]*+(`{3,}+|~{3,}+)(.*)", re.DOTALL)
_FENCE_ONLY = re.compile(r"[ \t]*+(`{3,}+|~{3,}+)[ \t\r]*+")
_LIST_ITEM = re.compile(r"[ \t]*+(?:[-*+]|\d{1,9}+[.)])(?:[ \t]++|\r?$)")
_REFERENCE_DEF = re.compile(r" {0,3}+\[(?!\^)((?:[^\[\]\\\n@]|\\[^@]){0,999}+)\]:[ \t]*+\S")

_CLIP = 60

# Line kinds of the block pass. An indented code block may only start after a line
# that ends a block (a paragraph line would just continue the paragraph).
_BLANK, _TEXT, _CODE, _REFERENCE, _FENCE_OPEN, _HEADING = range(6)
_BLOCK_ENDS = (_BLANK, _CODE, _REFERENCE, _HEADING)
_ATX_HEADING = re.compile(r" {0,3}+#{1,6}+(?:[ \t]|\r?$)")


# --- Internal results ---------------------------------------------------------------


@dataclass(slots=True)
class _Key:
    """A key found in the text: where the citation item starts, its '@' and its end."""

    start: int  # the '-' of a suppress-author key, else the '@'
    at: int
    end: int
    key: str
    suppress: bool


@dataclass(slots=True)
class _Part:
    """One ';'-separated part of a bracket: its extent and the first key in it."""

    start: int
    end: int
    key: _Key | None


@dataclass(slots=True)
class _Item:
    """A citation item with the offsets the public CitationItem does not carry."""

    key: _Key
    prefix: tuple[int, int]
    suffix: tuple[int, int]


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    in_text: bool
    items: list[_Item]


@dataclass(slots=True)
class _Problem:
    start: int
    end: int
    reason: str
    advice: str


@dataclass(slots=True)
class _Segment:
    """A paragraph's inline tokens, with brackets and parentheses paired up."""

    start: int
    end: int
    events: list[int]
    escaped: set[int]
    brackets: dict[int, int] = field(default_factory=dict)
    parens: dict[int, int] = field(default_factory=dict)


# --- Public API ---------------------------------------------------------------------


def scan_citations(body: str, body_line: int = 1) -> list[Citation]:
    """Return every citation in a Markdown body, sorted by position.

    ``body_line`` is the file line where the body starts, so that ``line``/``column`` of
    each citation point into the file and diagnostics can be placed by editors.
    """
    scanner = _Scanner(body)
    found, _ = scanner.run()
    return [_to_citation(body, f, scanner.line_starts, body_line) for f in found]


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


def malformed_citations(body: str, body_line: int, path: str) -> list[Diagnostic]:
    """Return KOP302 diagnostics for brackets that look like failed citation attempts.

    Only brackets that *start* with ``@`` or ``-@`` are considered, because that is an
    unmistakable attempt to cite, whereas an ``@`` elsewhere may be an address, a handle
    or the word "at". Such a bracket is reported when it is not a valid cluster and not
    a link or span: an empty key (``[@]``), a space after ``@`` (``[@ key]``), a braced
    key that is empty or holds whitespace (``[@{Smith, 2020}]``, which Pandoc rejects), a
    character that cannot start a key, a ``;``-separated part without a key
    (``[@a; s. 5]``), or a missing ``]``. Code, comments and e-mail addresses are
    skipped by the same scanner as citations, so they never produce a report.
    """
    scanner = _Scanner(body)
    _, problems = scanner.run()
    diagnostics: list[Diagnostic] = []
    if len(problems) > MAX_MALFORMED_REPORTS:
        # keep a flood readable and cheap: the first reports, then one line with the count
        first_line, _ = _position(scanner.line_starts, problems[0].start, body_line)
        extra = MANY_MALFORMED.at(path, first_line, 0, more=len(problems) - MAX_MALFORMED_REPORTS)
        problems = problems[:MAX_MALFORMED_REPORTS]
    else:
        extra = None
    for problem in problems:
        line, column = _position(scanner.line_starts, problem.start, body_line)
        diagnostics.append(
            MALFORMED_CITATION.at(
                path,
                line,
                column,
                source=_clip(body[problem.start : min(problem.end, problem.start + 2 * _CLIP)]),
                reason=problem.reason,
                advice=problem.advice,
            )
        )
    if extra is not None:
        diagnostics.append(extra)
    return diagnostics


# --- Conversion helpers -------------------------------------------------------------


def _position(line_starts: list[int], offset: int, body_line: int) -> tuple[int, int]:
    """1-based (line, column) in the file of a body offset."""
    index = bisect_right(line_starts, offset) - 1
    return body_line + index, offset - line_starts[index] + 1


def _clean(text: str) -> str:
    """Collapse line breaks and runs of spaces, as Pandoc does for prefixes and suffixes.

    Only ASCII whitespace is collapsed: a no-break space in "s.\u00a033" is the author's
    choice and must survive.
    """
    return _WS_RUN.sub(" ", text).strip(" ")


def _clip(text: str) -> str:
    text = _clean(text)
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"


def _to_citation(body: str, found: _Found, line_starts: list[int], body_line: int) -> Citation:
    items = []
    for item in found.items:
        locator = _clean(body[item.suffix[0] : item.suffix[1]])
        if locator.startswith(","):
            locator = locator[1:].lstrip(" ")
        items.append(
            CitationItem(
                key=item.key.key,
                prefix=_clean(body[item.prefix[0] : item.prefix[1]]),
                locator=locator,
                suppress_author=item.key.suppress,
            )
        )
    line, column = _position(line_starts, found.start, body_line)
    return Citation(
        items=items,
        in_text=found.in_text,
        start=found.start,
        end=found.end,
        line=line,
        column=column,
        source=body[found.start : found.end],
    )


def _item_positions(citation: Citation) -> list[tuple[int, int]]:
    """(line, column) of the '@' of each item, found by re-reading the citation's source.

    CitationItem carries no offsets, so the source span is scanned again on its own; it
    is a single paragraph fragment, so the result is the same as in the full body. If
    the citation was built by hand and does not re-scan to the same keys, every item is
    placed at the citation itself.
    """
    fallback = [(citation.line, citation.column)] * len(citation.items)
    source = citation.source or ""
    scanner = _Scanner(source)
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


def _after_word(text: str, pos: int, floor: int) -> bool:
    """True if the character at ``pos`` is glued to a word, as in an address or URL.

    Pandoc refuses a key straight after a word (``name@example.se``). We also look
    through e-mail punctuation, so that ``a.b-c@x`` and ``https://x.se/@user`` are not
    citations either; ``[-@key]``, ``(@key)`` and ``*@key*`` still are.
    """
    i = pos - 1
    if i >= floor and text[i] == ".":
        # Pandoc's words take a dot ("a.@k", ".@k"); only an ellipsis ("...@k") does not.
        dots = 0
        while i >= floor and text[i] == ".":
            dots += 1
            i -= 1
        if dots % 3:
            return True
    while i >= floor:
        char = text[i]
        if char.isalnum():
            return True
        if char not in _EMAIL_CHARS:
            return False
        i -= 1
    return False


def _parse_key(text: str, pos: int, end: int) -> tuple[str, int] | None:
    """The key that starts right after an '@' at ``pos - 1``, and where it ends."""
    if pos >= end:
        return None
    if text[pos] == "{":
        match = _BRACED_KEY.match(text, pos, min(end, pos + _MAX_BRACED))
        if match is None or not match.group(1):
            return None
        return match.group(1), match.end()
    match = _SIMPLE_KEY.match(text, pos, end)
    if match is None:
        return None
    return match.group(), match.end()


def _normalise_label(label: str) -> str:
    """Reference-link labels match case-insensitively with whitespace collapsed."""
    return " ".join(label.split()).casefold()


# --- The scanner --------------------------------------------------------------------


class _Scanner:
    """Splits a body into paragraphs and finds the citations and near misses in each.

    One scanner reads one text once; caches for the look-ahead searches (comment ends,
    closing tags) make repeated searches amortised linear.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[_Found] = []
        self.problems: list[_Problem] = []
        self.labels: set[str] = set()
        self.skip_until = 0
        self.line_starts: list[int] = [0]
        self._comment_cache: tuple[int, int] = (-1, -1)
        self._closer_cache: dict[str, tuple[int, int, int]] = {}

    # -- entry points

    def run(self) -> tuple[list[_Found], list[_Problem]]:
        """Scan a whole Markdown body: block structure first, then each paragraph."""
        if not isinstance(self.text, str) or not self.text:
            return [], []
        for start, end in self._paragraphs():
            start = max(start, self.skip_until)
            if start < end:
                self._scan_segment(start, end)
        return self.found, self.problems

    def scan_fragment(self) -> list[_Found]:
        """Scan the text as one paragraph (used to re-read a single citation)."""
        if self.text:
            self._scan_segment(0, len(self.text))
        return self.found

    # -- block structure

    def _paragraphs(self) -> list[tuple[int, int]]:
        """Offsets of runs of consecutive text lines (paragraph-like blocks).

        Fenced and indented code blocks and link reference definitions are left out;
        blank lines end a run, since no inline construct crosses a paragraph break.
        """
        text = self.text
        lines = text.split("\n")
        starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
        self.line_starts = starts[:-1]
        fence_closers = _fence_closers(lines)

        segments: list[tuple[int, int]] = []
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
                in_comment = self._comment_continues(line, starts[index], True)
                kind = _TEXT
            elif not line or line.isspace():
                kind = _BLANK
            else:
                indent = _indent(line)
                if in_indented and indent >= 4:
                    kind = _CODE
                elif previous in _BLOCK_ENDS and indent >= 4 + (list_indent or 0):
                    in_indented = True
                    kind = _CODE
                else:
                    in_indented = False
                    kind = self._classify(line, index, previous, fence_closers)
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
                            in_comment = self._comment_continues(line, starts[index], False)
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
        return segments

    def _classify(
        self, line: str, index: int, previous: int, fence_closers: dict[str, tuple[list[int], list[int]]]
    ) -> int:
        """Classify a non-blank, non-code line as a fence opener, a reference definition
        (whose label is remembered and whose URL is never scanned) or text."""
        if line.lstrip(" \t")[:1] in ("`", "~"):
            match = _FENCE.match(line)
            if match is not None and _opens_fence(match, index, fence_closers):
                return _FENCE_OPEN
        if previous in _BLOCK_ENDS and "]:" in line:
            match = _REFERENCE_DEF.match(line)
            if match is not None:
                self.labels.add(_normalise_label(match.group(1)))
                return _REFERENCE
        if line[:1] in (" ", "#") and _ATX_HEADING.match(line):
            return _HEADING
        return _TEXT

    def _comment_continues(self, line: str, line_start: int, inside: bool) -> bool:
        """Whether an HTML comment is still open at the end of this line.

        Lines inside a comment must not be read as fences or code, or a commented-out
        fence would swallow the rest of the document. A '<!--' after an odd number of
        backticks is taken to be inside a code span and ignored.
        """
        pos = ticks_to = ticks = 0
        while True:
            if inside:
                pos = line.find(_COMMENT_CLOSE, pos)
                if pos < 0:
                    return True
                pos += 3
                inside = False
            else:
                pos = line.find(_COMMENT_OPEN, pos)
                if pos < 0:
                    return False
                ticks += line.count("`", ticks_to, pos)
                ticks_to = pos
                if ticks % 2:
                    return False
                if self._comment_end(line_start + pos + 4) < 0:
                    return False  # an unclosed '<!--' is literal text
                pos += 4
                inside = True

    # -- look-ahead searches with caches

    def _comment_end(self, start: int) -> int:
        """Offset of the first '-->' at or after ``start``, or -1 (memoised)."""
        searched_from, found_at = self._comment_cache
        if 0 <= searched_from <= start and (found_at < 0 or found_at >= start):
            return found_at
        found_at = self.text.find(_COMMENT_CLOSE, start)
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

    def _opaque_end(self, pos: int, end: int) -> int:
        """End of a comment, autolink or HTML tag at ``pos`` (a '<'), or -1 if none.

        The result may lie beyond ``end`` for comments and raw elements, which may span
        paragraphs; the caller then skips ahead across paragraphs.
        """
        text = self.text
        if text.startswith(_COMMENT_OPEN, pos):
            close = self._comment_end(pos + 4)
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

    # -- inline scanning

    def _tokenise(self, start: int, end: int) -> _Segment:
        """Collect the structural characters of a paragraph outside code, comments, tags."""
        text = self.text
        events: list[int] = []
        escaped: set[int] = set()
        runs: dict[int, list[int]] | None = None
        pos = start  # everything before this is consumed (code, comments, tags, escapes)
        # Tokens inside a consumed stretch are skipped; none can straddle its end, since
        # every such stretch ends with a backtick run, '>' or an escaped character.
        for match in _TOKEN.finditer(text, start, end):
            p = match.start()
            if p < pos:
                continue
            char = text[p]
            if char == "\\":
                escaped.add(p + 1)
                pos = p + 2
            elif char == "`":
                if runs is None:
                    runs = _backtick_runs(text, start, end)
                pos = _code_span_end(runs, p, match.end())
            elif char == "<":
                stop = self._opaque_end(p, end)
                if stop < 0:
                    pos = p + 1
                elif stop > end:
                    self.skip_until = stop
                    end = p
                    break
                else:
                    pos = stop
            else:
                events.append(p)
                pos = p + 1
        segment = _Segment(start, end, events, escaped)
        bracket_stack: list[int] = []
        paren_stack: list[int] = []
        for p in events:
            char = text[p]
            if char == "[":
                bracket_stack.append(p)
            elif char == "]":
                if bracket_stack:
                    segment.brackets[bracket_stack.pop()] = p
            elif char == "(":
                paren_stack.append(p)
            elif char == ")" and paren_stack:
                segment.parens[paren_stack.pop()] = p
        return segment

    def _scan_segment(self, start: int, end: int) -> None:
        """Find the citations of one paragraph, left to right, never overlapping."""
        text = self.text
        seg = self._tokenise(start, end)
        events = seg.events
        jumps: dict[int, int] = {}  # link destinations to skip: '(' -> end
        floor = seg.start  # nothing before this may belong to a new citation
        k = 0
        count = len(events)
        while k < count:
            p = events[k]
            char = text[p]
            if char == "[":
                close = seg.brackets.get(p)
                if close is None:
                    self._unclosed(seg, p, floor)
                    k += 1
                    continue
                if text[p + 1] == "^":
                    label = _FOOTNOTE_LABEL.match(text, p + 2, seg.end)
                    if label is not None:  # a footnote reference [^label]: never a citation
                        k = bisect_left(events, label.end(), k + 1)
                        continue
                if p > seg.start and text[p - 1] == "^" and p - 1 not in seg.escaped:
                    k += 1  # inline note ^[...]: its text is scanned like any other
                    continue
                after = close + 1
                follower = text[after] if after < seg.end else ""
                if follower == "(" and after in seg.parens:
                    jumps[after] = seg.parens[after] + 1  # a link: skip its destination
                    k += 1
                    continue
                if follower == "{" and _ATTRIBUTES.match(text, after, seg.end) is not None:
                    k += 1  # a bracketed span
                    continue
                if follower == "[" and after in seg.brackets and text[after + 1] != "^":
                    k += 1  # a reference link [text][label]
                    continue
                parts = self._split(seg, k, p, close, floor)
                if all(part.key is not None for part in parts):
                    self.found.append(_Found(p, close + 1, False, _items(parts)))
                    floor = close + 1
                    k = bisect_right(events, close, k)
                    continue
                self._near_miss(p, close, parts)
                k += 1
            elif char == "@":
                found = self._in_text(seg, k, p, floor)
                if found is None:
                    k += 1
                    continue
                self.found.append(found)
                floor = found.end
                k = bisect_left(events, found.end, k + 1)
            elif char == "(" and p in jumps:
                k = bisect_left(events, jumps[p], k + 1)
            else:
                k += 1

    def _key_at(self, seg: _Segment, at: int, floor: int) -> _Key | None:
        """The key whose '@' is at ``at``, with a '-' before it for suppress-author."""
        text = self.text
        if at > floor and text[at - 1] == "-" and at - 1 not in seg.escaped:
            if _after_word(text, at - 1, seg.start):
                return None
            start, suppress = at - 1, True
        else:
            if _after_word(text, at, seg.start):
                return None
            start, suppress = at, False
        parsed = _parse_key(text, at + 1, seg.end)
        if parsed is None:
            return None
        return _Key(start, at, parsed[1], parsed[0], suppress)

    def _split(self, seg: _Segment, k: int, open_: int, close: int, floor: int) -> list[_Part]:
        """Split a bracket at its top-level ';' and find the first key of each part.

        Nested brackets (with a link destination after them) are single inlines for
        Pandoc, so their ';' and keys belong to them, not to this bracket.
        """
        text = self.text
        events = seg.events
        parts: list[_Part] = []
        part = _Part(open_ + 1, close, None)
        j = k + 1
        count = len(events)
        while j < count:
            q = events[j]
            if q >= close:
                break
            char = text[q]
            if char == "[":
                inner = seg.brackets.get(q)
                if inner is not None:
                    stop = inner + 1
                    if stop < close and text[stop] == "(":
                        paren = seg.parens.get(stop)
                        if paren is not None and paren < close:
                            stop = paren + 1
                    j = bisect_left(events, stop, j + 1)
                    continue
            elif char == "@" and part.key is None:
                key = self._key_at(seg, q, max(floor, part.start))
                if key is not None:
                    part.key = key
                    j = bisect_left(events, key.end, j + 1)  # a braced key may hold ';'
                    continue
            elif char == ";":
                part.end = q
                parts.append(part)
                part = _Part(q + 1, close, None)
            j += 1
        parts.append(part)
        return parts

    def _in_text(self, seg: _Segment, k: int, at: int, floor: int) -> _Found | None:
        """An author-in-text citation at an '@', with the bracket after it if it takes it.

        Pandoc reads ``@a [@b]`` as one citation of both, and ``@a [p. 3; @b]`` as ``a``
        with the locator "p. 3" followed by ``b``; the bracket is not taken when a link,
        span or reference label follows it or when it is a defined reference itself.
        """
        key = self._key_at(seg, at, floor)
        if key is None:
            return None
        text = self.text
        first = _Item(key, (key.start, key.start), (key.end, key.end))
        found = _Found(key.start, key.end, True, [first])
        open_ = _SPNL.match(text, key.end, seg.end).end()
        close = seg.brackets.get(open_) if open_ < seg.end and text[open_] == "[" else None
        if close is None or text[open_ + 1] == "^":
            return found
        follower = text[close + 1] if close + 1 < seg.end else ""
        if follower in ("[", "(", "{"):
            return found
        kb = bisect_left(seg.events, open_, k)
        parts = self._split(seg, kb, open_, close, floor)
        if all(part.key is not None for part in parts):
            found.items.extend(_items(parts))
        elif all(part.key is not None for part in parts[1:]) and not self._is_reference(open_, close):
            first.suffix = (open_ + 1, parts[0].end)
            found.items.extend(_items(parts[1:]))
        else:
            return found
        found.end = close + 1
        return found

    def _is_reference(self, open_: int, close: int) -> bool:
        """Whether ``[label]`` names a link reference defined in this body."""
        if not self.labels or close - open_ > 1000:  # labels are at most 999 characters
            return False
        return _normalise_label(self.text[open_ + 1 : close]) in self.labels

    # -- near misses (KOP302)

    def _unclosed(self, seg: _Segment, open_: int, floor: int) -> None:
        """Report ``[@key`` that is never closed within its paragraph."""
        match = _NEAR_MISS_START.match(self.text, open_ + 1, seg.end)
        if match is None:
            return
        if self._key_at(seg, match.end() - 1, max(floor, open_ + 1)) is not None:
            stop = min(seg.end, open_ + 2 * _CLIP)  # enough for the clipped message
            newline = self.text.find("\n", open_, stop)
            self.problems.append(
                _Problem(
                    open_,
                    stop if newline < 0 else newline,
                    "hakparentesen stängs aldrig",
                    "Avsluta hänvisningen med ']' i samma stycke.",
                )
            )

    def _near_miss(self, open_: int, close: int, parts: list[_Part]) -> None:
        """Report a bracket that starts with '@' (or '-@') but is not a valid cluster.

        The '@' there follows '[', '-' or whitespace, so it cannot be part of an address.
        """
        text = self.text
        match = _NEAR_MISS_START.match(text, open_ + 1, close)
        if match is None:
            return
        at = match.end() - 1
        first_key = parts[0].key
        if first_key is not None and first_key.at == at:
            bad = next(part for part in parts if part.key is None)
            part_text = _clip(text[bad.start : min(bad.end, bad.start + 2 * _CLIP)])
            empty = "en del mellan semikolon är tom"
            reason = f"delen '{part_text}' saknar referensnyckel" if part_text else empty
            advice = (
                "Varje del som skiljs åt med semikolon måste innehålla en @nyckel; "
                "skriv sidor efter ett kommatecken."
            )
        elif _SPACES.match(text, at + 1, close).end() == close:
            reason = "referensnyckeln är tom"
            advice = "Skriv nyckeln direkt efter @."
        elif text[at + 1].isspace():
            reason = "mellanslag efter @"
            advice = "Ta bort mellanslaget mellan @ och nyckeln."
        elif text[at + 1] == "{":
            reason = "nyckeln inom {} är tom, innehåller blanksteg eller saknar '}'"
            advice = "En nyckel inom klamrar får inte vara tom eller innehålla blanksteg."
        else:
            reason = f"'{text[at + 1]}' kan inte inleda en referensnyckel"
            advice = "En nyckel börjar med en bokstav, en siffra eller _; omge andra nycklar med @{…}."
        self.problems.append(_Problem(open_, close + 1, reason, advice))


# --- Small helpers ------------------------------------------------------------------


def _items(parts: list[_Part]) -> list[_Item]:
    """Citation items from parts that all have keys: prefix before, suffix after the key."""
    items = []
    for part in parts:
        key = part.key
        assert key is not None  # callers check this; keeps the type checker honest
        items.append(_Item(key, (part.start, key.start), (key.end, part.end)))
    return items


def _indent(line: str) -> int:
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


def _backtick_runs(text: str, start: int, end: int) -> dict[int, list[int]]:
    """Start offsets of the backtick runs of a paragraph, grouped by run length.

    A code span closes at the next run of exactly the same length; looking it up here
    instead of searching ahead keeps unmatched runs from making the scan quadratic.
    """
    runs: dict[int, list[int]] = {}
    for match in _BACKTICKS.finditer(text, start, end):
        runs.setdefault(match.end() - match.start(), []).append(match.start())
    return runs


def _code_span_end(runs: dict[int, list[int]], start: int, end: int) -> int:
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


def _fence_closers(lines: list[str]) -> dict[str, tuple[list[int], list[int]]]:
    """For each fence character: line indexes of bare fence lines and suffix maxima of
    their lengths, so that "is this fence ever closed?" is a binary search.

    Pandoc reads an unclosed fence as plain text, so an opener only counts if a closer
    exists further down.
    """
    found: dict[str, tuple[list[int], list[int]]] = {"`": ([], []), "~": ([], [])}
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


def _opens_fence(match: re.Match[str], index: int, closers: dict[str, tuple[list[int], list[int]]]) -> bool:
    """Whether a fence-like line opens a code block that is closed later on."""
    run, info = match.group(1), match.group(2)
    if run[0] == "`" and "`" in info:
        return False  # ```code``` on one line is an inline code span
    indexes, longest = closers[run[0]]
    i = bisect_right(indexes, index)
    return i < len(indexes) and longest[i] >= len(run)
