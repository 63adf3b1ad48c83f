"""The inline pass of the citation scanner: citation clusters and near misses in a paragraph.

:class:`Scanner` drives both passes over one body: :mod:`kop.cite.blocks` splits it into
paragraphs, then each paragraph is tokenised once with a regular expression that only
stops at the few characters that matter (skipping what :mod:`kop.cite.opaque` says is
never a citation), brackets and parentheses are paired, and the events are read left to
right into citations (:class:`Found`) and failed citation attempts (:class:`Problem`);
each citation found is then inspected by :class:`kop.cite.misread.MisreadChecks`.
Everything is linear in the length of the body and nothing raises on any ``str``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from kop.cite.blocks import normalise_label, read_blocks
from kop.cite.misread import MisreadChecks
from kop.cite.opaque import Opaque, backtick_runs, code_span_end
from kop.cite.parts import Found, Item, Key, Part, Problem, Segment
from kop.cite.syntax import after_word, parse_key
from kop.cite.text import CLIP, clip

# Inline tokens that matter: escapes of ASCII punctuation (CommonMark), backtick runs
# (code spans), '<' (comments, autolinks, HTML tags) and the structural characters.
# Everything else is skipped by the regex engine, which is what keeps the scan fast.
_TOKEN = re.compile(r"\\[!-/:-@\[-`{-~]|`++|[<\[\]()@;]")

# spnl in Pandoc: spaces, at most one line end, spaces.
_SPNL = re.compile(r"[ \t]*+(?:\r?\n[ \t]*+)?")
_FOOTNOTE_LABEL = re.compile(r"[^\s\]]{1,100}+\]")
_SPACES = re.compile(r"\s*+")
_NEAR_MISS_START = re.compile(r"[ \t\r\n]*+-?@")

# Pandoc attribute block after a bracket, which makes it a span: {#id .class key=val -}.
_ATTRIBUTES = re.compile(
    r"""\{[ \t\r\n]*+(?:(?:\#[^\s}#.]++|\.[^\s}#.]++|[A-Za-z_][\w.:\-]*+=(?:"[^"]*+"|'[^']*+'|[^\s"'}]++)"""
    r"""|-)[ \t\r\n]*+)*+\}"""
)


# --- The scanner --------------------------------------------------------------------


class Scanner(MisreadChecks):
    """Splits a body into paragraphs and finds the citations and near misses in each.

    One scanner reads one text once; caches for the look-ahead searches (comment ends,
    closing tags) make repeated searches amortised linear.
    """

    def __init__(self, text: str, keep_segments: bool = False) -> None:
        self.text = text
        self.found: list[Found] = []
        self.problems: list[Problem] = []
        # Pandoc forms the site engine cannot render (checked by kop.cite.checks):
        self.notes: list[tuple[int, int]] = []  # inline notes ^[...]: (the '^', after the ']')
        self.spans: list[tuple[int, int, int]] = []  # bracketed spans [...]{...}: '[', ']', after '}'
        self.segments: list[Segment] | None = [] if keep_segments else None  # for kop.cite.markup
        self.labels: set[str] = set()
        self.skip_until = 0
        self.line_starts: list[int] = [0]
        self._opaque = Opaque(text)
        self._emphasis_reported: set[int] = set()  # an opener is reported once, not for every bracket around it

    # -- entry points

    def run(self) -> tuple[list[Found], list[Problem]]:
        """Scan a whole Markdown body: block structure first, then each paragraph."""
        if not isinstance(self.text, str) or not self.text:
            return [], []
        blocks = read_blocks(self.text, self._opaque)
        self.line_starts = blocks.line_starts
        self.labels = blocks.labels
        for start, end in blocks.paragraphs:
            start = max(start, self.skip_until)
            if start < end:
                self._scan_segment(start, end)
        return self.found, self.problems

    def scan_fragment(self) -> list[Found]:
        """Scan the text as one paragraph (used to re-read a single citation)."""
        if self.text:
            self._scan_segment(0, len(self.text))
        return self.found

    # -- inline scanning

    def _tokenise(self, start: int, end: int) -> Segment:
        """Collect the structural characters of a paragraph outside code, comments, tags."""
        text = self.text
        events: list[int] = []
        escaped: set[int] = set()
        inert: list[tuple[int, int]] = []
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
                    runs = backtick_runs(text, start, end)
                pos = code_span_end(runs, p, match.end())
                inert.append((p, pos))
            elif char == "<":
                stop = self._opaque.end_at(p, end)
                if stop < 0:
                    pos = p + 1
                elif stop > end:
                    self.skip_until = stop
                    end = p
                    break
                else:
                    pos = stop
                    inert.append((p, pos))
            else:
                events.append(p)
                pos = p + 1
        segment = Segment(start, end, events, escaped, inert)
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
        if self.segments is not None:
            self.segments.append(seg)
        events = seg.events
        jumps: dict[int, int] = {}  # link destinations to skip: '(' -> end
        # Second brackets of reference links ([text][label]): a defined label is skipped,
        # an undefined one is read on its own, as Pandoc re-parses it (what follows it is
        # then not looked at), see _reference_pair.
        labels: dict[int, int] = {}  # '[' of a defined label -> after its ']'
        isolated: set[int] = set()
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
                if p in labels:
                    k = bisect_left(events, labels[p], k + 1)
                    continue
                if text[p + 1] == "^":
                    label = _FOOTNOTE_LABEL.match(text, p + 2, seg.end)
                    if label is not None:  # a footnote reference [^label]: never a citation
                        k = bisect_left(events, label.end(), k + 1)
                        continue
                if p > seg.start and text[p - 1] == "^" and p - 1 not in seg.escaped:
                    self.notes.append((p - 1, close + 1))
                    k += 1  # inline note ^[...]: its text is scanned like any other
                    continue
                after = close + 1
                follower = "" if p in isolated else self._follower(seg, close)
                if follower == "link":
                    jumps[after] = seg.parens[after] + 1  # a link: skip its destination
                    k += 1
                    continue
                attributes = _ATTRIBUTES.match(text, after, seg.end) if follower == "span" else None
                if attributes is not None:
                    self.spans.append((p, close, attributes.end()))
                    k += 1  # a bracketed span
                    continue
                if follower == "reference":
                    self._reference_pair(seg, k, p, close, floor, labels, isolated)
                    k += 1  # a reference link [text][label]: its text is scanned like any other
                    continue
                parts = self._split(seg, k, p, close, floor)
                if not all(part.key is not None for part in parts):
                    self._near_miss(p, close, parts)
                elif not self._open_emphasis(seg, p, close):  # else reported; the text is read on
                    found = Found(p, close + 1, False, _items(parts))
                    self.found.append(found)
                    self._inspect(seg, k, found)
                    floor = close + 1
                    k = bisect_right(events, close, k)
                    continue
                k += 1
            elif char == "@":
                found = self._in_text(seg, k, p, floor)
                if found is None:
                    k += 1
                    continue
                self.found.append(found)
                self._inspect(seg, k, found)
                floor = found.end
                k = bisect_left(events, found.end, k + 1)
            elif char == "(" and p in jumps:
                k = bisect_left(events, jumps[p], k + 1)
            else:
                k += 1

    def _key_at(self, seg: Segment, at: int, floor: int) -> Key | None:
        """The key whose '@' is at ``at``, with a '-' before it for suppress-author."""
        text = self.text
        if at > floor and text[at - 1] == "-" and at - 1 not in seg.escaped:
            if after_word(text, at - 1, seg.start):
                return None
            start, suppress = at - 1, True
        else:
            if after_word(text, at, seg.start):
                return None
            start, suppress = at, False
        parsed = parse_key(text, at + 1, seg.end)
        if parsed is None:
            return None
        return Key(start, at, parsed[1], parsed[0], suppress)

    def _follower(self, seg: Segment, close: int) -> str:
        """What the text right after a bracket makes of it, as Pandoc's ``normalCite`` checks.

        "link" for a destination ``(…)``, "span" for attributes ``{…}``, "reference" for a
        second bracket ``[…]`` (not a footnote reference ``[^1]``), else "".
        """
        text = self.text
        after = close + 1
        if after >= seg.end:
            return ""
        char = text[after]
        if char == "(" and after in seg.parens:
            return "link"
        if char == "{" and _ATTRIBUTES.match(text, after, seg.end) is not None:
            return "span"
        if char == "[" and after in seg.brackets and text[after + 1] != "^":
            return "reference"
        return ""

    def _reference_pair(
        self, seg: Segment, k: int, open_: int, close: int, floor: int, labels: dict[int, int], isolated: set[int]
    ) -> None:
        """Decide how the second bracket of ``[text][label]`` is read (Pandoc's ``referenceLink``).

        If the second bracket is a citation where it stands, the first is a shortcut
        reference and both are read as usual. Otherwise it is the label: a defined label
        (``[label]: url``) makes a link, and the label is never scanned; an undefined one
        leaves both brackets as text, and Pandoc reads the label again on its own, so
        ``[x][se @k][y]`` cites ``@k`` although a bracket follows it.
        """
        second = close + 1
        second_close = seg.brackets[second]
        kb = bisect_left(seg.events, second, k + 1)
        if not self._follower(seg, second_close):
            parts = self._split(seg, kb, second, second_close, floor)
            if all(part.key is not None for part in parts):
                return  # a citation where it stands: read it as one
        if second_close == second + 1:  # [text][]: the text is the label
            label_start, label_end = open_ + 1, close
        else:
            label_start, label_end = second + 1, second_close
        if self._is_reference(label_start - 1, label_end):
            labels[second] = second_close + 1
        else:
            isolated.add(second)

    def _split(self, seg: Segment, k: int, open_: int, close: int, floor: int) -> list[Part]:
        """Split a bracket at its top-level ';' and find the first key of each part.

        Nested brackets (with a link destination after them) are single inlines for
        Pandoc, so their ';' and keys belong to them, not to this bracket.
        """
        text = self.text
        events = seg.events
        parts: list[Part] = []
        part = Part(open_ + 1, close, None)
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
                part = Part(q + 1, close, None)
            j += 1
        parts.append(part)
        return parts

    def _in_text(self, seg: Segment, k: int, at: int, floor: int) -> Found | None:
        """An author-in-text citation at an '@', with the bracket after it if it takes it.

        Pandoc reads ``@a [@b]`` as one citation of both, and ``@a [p. 3; @b]`` as ``a``
        with the locator "p. 3" followed by ``b``; the bracket is not taken when a link,
        span or reference label follows it or when it is a defined reference itself.
        """
        key = self._key_at(seg, at, floor)
        if key is None:
            return None
        text = self.text
        first = Item(key, (key.start, key.start), (key.end, key.end))
        found = Found(key.start, key.end, True, [first])
        open_ = _SPNL.match(text, key.end, seg.end).end()
        close = seg.brackets.get(open_) if open_ < seg.end and text[open_] == "[" else None
        if close is None or text[open_ + 1] == "^":
            return found
        if close + 1 < seg.end and text[close + 1] in "[({":
            return found  # Pandoc's bareloc: not followed by '[', '(' or '{'
        kb = bisect_left(seg.events, open_, k)
        parts = self._split(seg, kb, open_, close, floor)
        if self._open_emphasis(seg, open_, close):
            return found
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
        return normalise_label(self.text[open_ + 1 : close]) in self.labels

    # -- near misses (KOP302)

    def _unclosed(self, seg: Segment, open_: int, floor: int) -> None:
        """Report ``[@key`` that is never closed within its paragraph."""
        match = _NEAR_MISS_START.match(self.text, open_ + 1, seg.end)
        if match is None:
            return
        if self._key_at(seg, match.end() - 1, max(floor, open_ + 1)) is not None:
            stop = min(seg.end, open_ + 2 * CLIP)  # enough for the clipped message
            newline = self.text.find("\n", open_, stop)
            self.problems.append(
                Problem(
                    open_,
                    stop if newline < 0 else newline,
                    "hakparentesen stängs aldrig",
                    "Avsluta hänvisningen med ']' i samma stycke.",
                )
            )

    def _near_miss(self, open_: int, close: int, parts: list[Part]) -> None:
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
            part_text = clip(text[bad.start : min(bad.end, bad.start + 2 * CLIP)])
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
        self.problems.append(Problem(open_, close + 1, reason, advice))


# --- Small helpers ------------------------------------------------------------------


def _items(parts: list[Part]) -> list[Item]:
    """Citation items from parts that all have keys: prefix before, suffix after the key."""
    items = []
    for part in parts:
        key = part.key
        assert key is not None  # callers check this; keeps the type checker honest
        items.append(Item(key, (part.start, key.start), (key.end, part.end)))
    return items

