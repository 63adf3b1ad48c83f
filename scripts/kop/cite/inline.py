"""The inline pass of the citation scanner: citation clusters and near misses in a paragraph.

:class:`Scanner` drives both passes over one body: :mod:`kop.cite.blocks` splits it into
paragraphs, then each paragraph is tokenised once with a regular expression that only
stops at the few characters that matter (skipping what :mod:`kop.cite.opaque` says is
never a citation), brackets and parentheses are paired, and the events are read left to
right into citations (:class:`Found`) and failed citation attempts (:class:`Problem`).
Everything is linear in the length of the body and nothing raises on any ``str``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from kop.cite.blocks import normalise_label, read_blocks
from kop.cite.opaque import Opaque, backtick_runs, code_span_end
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

# Quotation marks and apostrophes, straight and typographic (Word turns " and ' into these).
# Pandoc ends a key at any of them, so one glued to a key ends up in the citation's text.
_QUOTES = frozenset("\"'«»‹›‘’‚‛“”„‟")
_DOUBLE_QUOTES = frozenset("\"«»“”„‟")
_NOT_QUOTE_TEXT = " \t\r\n,.;:"  # what may stand beside a stray quote that holds no text
_WORD_AFTER_QUOTE = re.compile(r"[^\s\[\];,]*+")
_EMPHASIS_MARK = re.compile(r"[*_]")

# Pandoc attribute block after a bracket, which makes it a span: {#id .class key=val -}.
_ATTRIBUTES = re.compile(
    r"""\{[ \t\r\n]*+(?:(?:\#[^\s}#.]++|\.[^\s}#.]++|[A-Za-z_][\w.:\-]*+=(?:"[^"]*+"|'[^']*+'|[^\s"'}]++)"""
    r"""|-)[ \t\r\n]*+)*+\}"""
)


# --- Results ------------------------------------------------------------------------


@dataclass(slots=True)
class Key:
    """A key found in the text: where the citation item starts, its '@' and its end."""

    start: int  # the '-' of a suppress-author key, else the '@'
    at: int
    end: int
    key: str
    suppress: bool


@dataclass(slots=True)
class Part:
    """One ';'-separated part of a bracket: its extent and the first key in it."""

    start: int
    end: int
    key: Key | None


@dataclass(slots=True)
class Item:
    """A citation item with the offsets the public CitationItem does not carry."""

    key: Key
    prefix: tuple[int, int]
    suffix: tuple[int, int]


@dataclass(slots=True)
class Found:
    """A citation found in the body: its extent, whether it is author-in-text, its items."""

    start: int
    end: int
    in_text: bool
    items: list[Item]


@dataclass(slots=True)
class Problem:
    """A bracket that looks like a failed citation attempt (KOP302): where, why, what to do."""

    start: int
    end: int
    reason: str
    advice: str


@dataclass(slots=True)
class Segment:
    """A paragraph's inline tokens, with brackets and parentheses paired up."""

    start: int
    end: int
    events: list[int]
    escaped: set[int]
    inert: list[tuple[int, int]] = field(default_factory=list)  # code spans, comments, tags: (start, end)
    marks: list[int] | None = None  # '*' and '_' that may be emphasis, see Scanner._marks
    brackets: dict[int, int] = field(default_factory=dict)
    parens: dict[int, int] = field(default_factory=dict)


# --- The scanner --------------------------------------------------------------------


class Scanner:
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

    # -- citations Pandoc reads differently from what the author meant (KOP302)

    def _excerpt(self, start: int, end: int) -> str:
        """The text from ``start`` to ``end`` clipped for a message, reading no more than needed.

        Bounded so that many reports inside one long citation stay linear in its length.
        """
        return clip(self.text[start : min(end, start + 2 * CLIP)])

    def _inspect(self, seg: Segment, k: int, found: Found) -> None:
        """Report quotation marks glued to a key and citations nested inside another one.

        Both are read by Pandoc (and the scanner) without complaint, and both put
        something on the page the author did not mean: ``[se @key”]`` shows "(…, 2016, ”)",
        and ``[@a, jfr @b]`` shows the text "@b" inside the first citation.
        """
        for item in found.items:
            self._quotes(seg, found, item)
        self._nested(seg, k, found)

    def _quotes(self, seg: Segment, found: Found, item: Item) -> None:
        """A quotation mark touching the key of ``item``, alone in its text, or without its pair."""
        text = self.text
        key = item.key
        before = key.start - 1
        quote_before = before >= seg.start and text[before] in _QUOTES
        quote_after = key.end < seg.end and text[key.end] in _QUOTES
        name = text[key.start : key.end]
        if quote_after and key.end + 1 < seg.end and text[key.end + 1].isalnum():
            word_end = _WORD_AFTER_QUOTE.match(text, key.end, seg.end).end()
            whole = text[key.at + 1 : word_end]
            self.problems.append(Problem(
                key.start, word_end,
                f"nyckeln {name} slutar vid tecknet {text[key.end]}, eftersom en nyckel slutar vid citattecken "
                "och apostrofer",
                f"Heter nyckeln {whole}, skriv den inom klamrar: {text[key.start : key.at]}@{{{whole}}}. Annars: "
                f"ta bort {text[key.end]} och det som står fast efter det.",
            ))
            return
        if not (quote_before or quote_after):
            for span_start, span_end in (item.prefix, item.suffix):
                if self._quote_in_text(found, span_start, span_end):
                    return
            return
        cut = [i for i, there in ((before, quote_before), (key.end, quote_after)) if there]
        marks = " och ".join(text[i] for i in cut)
        where = "runt" if len(cut) == 2 else ("direkt före" if quote_before else "direkt efter")
        bare = found.in_text and key.start == found.start and found.end == key.end  # @key, no bracket
        context = "" if bare else f" i '{self._excerpt(found.start, found.end)}'"
        fixed = _without(text, found.start, found.end, cut)
        marks_word = "citattecknen" if len(cut) == 2 else "citattecknet"
        move = "" if bare else f" eller flytta {'dem' if len(cut) == 2 else 'det'} utanför hänvisningen"
        self.problems.append(Problem(
            cut[0] if quote_before else key.start, key.end + 1 if quote_after else key.end,
            f"{marks_word} {marks} står {where} nyckeln {name}{context} och skulle visas i hänvisningens text "
            "på sidan",
            f"Ta bort {marks_word}{move}: skriv {fixed}.",
        ))

    def _quote_in_text(self, found: Found, start: int, end: int) -> bool:
        """A quotation mark in a prefix or suffix with no text of its own, or an unpaired double quote."""
        text = self.text
        quotes = [i for i in range(start, end) if text[i] in _QUOTES]
        if not quotes:
            return False
        doubles = [i for i in quotes if text[i] in _DOUBLE_QUOTES]
        if not text[start:end].strip(_NOT_QUOTE_TEXT + "".join(_QUOTES)):
            at, why = quotes[0], "står ensamt"
        elif len(doubles) % 2:
            at, why = doubles[-1], "saknar sitt par"
        else:
            return False
        self.problems.append(Problem(
            at, at + 1,
            f"citattecknet {why} i hänvisningen '{self._excerpt(found.start, found.end)}' och skulle visas i "
            "hänvisningens text på sidan",
            f"Ta bort citattecknet eller flytta det utanför hakparentesen: skriv {_without(text, found.start, found.end, [at])}. "  # noqa: E501
            "Citattecken inom en hänvisning ska komma i par, som i [@nyckel, s. 3, om ”skolan”].",
        ))
        return True

    def _open_emphasis(self, seg: Segment, open_: int, close: int) -> bool:
        """Whether ``[…]`` holds a '*' or '_' that opens emphasis and is never closed inside it.

        Pandoc's reader then reads the rest of the paragraph as the emphasis, the ']' with
        it, so the bracket is no citation (``[@a, s. 3 *]`` cites nothing). The scanner
        does the same and reports it (KOP302), since the author meant a citation. An
        opener is a run of one to three marks before a non-space ('_' not inside a word);
        any later '*' closes a '*', a '_' not before a letter or digit closes a '_'. Keys,
        code, tags, link destinations and escaped marks are skipped.
        """
        text = self.text
        marks = self._marks(seg)
        first = bisect_right(marks, open_)
        last = bisect_left(marks, close, first)
        if first == last:
            return False
        # A bracket inside is read on its own when it is no citation (Pandoc re-reads a link's
        # text in isolation), so its marks cannot open emphasis out here.
        inner = self._inner_brackets(seg, open_, close)
        for mark in "*_":
            opened = -1
            i = first
            while i < last:
                q = marks[i]
                run_end = q
                while run_end < close and text[run_end] == mark:
                    run_end += 1
                at = bisect_right(inner, (q, close)) - 1
                if text[q] != mark or (at >= 0 and q < inner[at][1]):
                    i += 1
                    continue
                i = bisect_left(marks, run_end, i + 1, last)
                after = text[run_end] if run_end < seg.end else " "
                if opened < 0:
                    inside_word = mark == "_" and q > seg.start and text[q - 1].isalnum()
                    if run_end - q <= 3 and not after.isspace() and not inside_word:
                        opened = q
                elif mark == "*" or not after.isalnum():
                    opened = -1
            if opened >= 0:
                if opened not in self._emphasis_reported:
                    self._emphasis_reported.add(opened)
                    self.problems.append(Problem(
                        opened, opened + 1,
                        f"tecknet {mark} i '{self._excerpt(open_, close + 1)}' inleder kursiv eller fet stil som "
                        "aldrig avslutas inom hakparentesen, så Pandoc läser den inte som en hänvisning",
                        f"Avsluta stilen inom hakparentesen (som i *jfr*) eller skriv \\{mark} för ett vanligt {mark}.",
                    ))
                return True
        return False

    def _inner_brackets(self, seg: Segment, open_: int, close: int) -> list[tuple[int, int]]:
        """(start, end) of the outermost brackets inside ``[open_ … close]``, in order."""
        events = seg.events
        spans = []
        j = bisect_right(events, open_)
        while j < len(events) and events[j] < close:
            q = events[j]
            end = seg.brackets.get(q) if self.text[q] == "[" else None
            if end is not None and end < close:
                spans.append((q, end + 1))
                j = bisect_left(events, end + 1, j + 1)
                continue
            j += 1
        return spans

    def _marks(self, seg: Segment) -> list[int]:
        """Offsets of the '*' and '_' of a paragraph that may be emphasis (computed once per paragraph).

        Left out: marks inside code, comments and tags, escaped ones, those inside a key
        (``@Doe_99``) and those in a link destination.
        """
        if seg.marks is not None:
            return seg.marks
        text = self.text
        if _EMPHASIS_MARK.search(text, seg.start, seg.end) is None:
            seg.marks = []
            return seg.marks
        inert = sorted(seg.inert)
        for q in seg.events:
            if text[q] == "[":
                inner = seg.brackets.get(q)
                if inner is not None and inner + 1 in seg.parens and text[inner + 1] == "(":
                    inert.append((inner + 1, seg.parens[inner + 1] + 1))
            elif text[q] == "@":
                key = self._key_at(seg, q, seg.start)
                if key is not None:
                    inert.append((key.at, key.end))
        inert.sort()
        marks = []
        for match in _EMPHASIS_MARK.finditer(text, seg.start, seg.end):
            q = match.start()
            at = bisect_right(inert, (q, len(text))) - 1  # the last span starting at or before q
            # a span may hold another one (a key in a link destination): look one span further back
            if (at >= 0 and q < inert[at][1]) or (at >= 1 and q < inert[at - 1][1]) or q in seg.escaped:
                continue
            marks.append(q)
        seg.marks = marks
        return marks

    def _nested(self, seg: Segment, k: int, found: Found) -> None:
        """Keys inside the prefix or suffix of a citation: Pandoc reads each as a citation of its own.

        Pandoc nests them (``[@a, jfr @b]`` is "a" with a suffix holding a citation of "b");
        the site would print the nested key as text and never check it, so each is refused.
        Link destinations inside the citation are not text and are skipped.
        """
        text = self.text
        events = seg.events
        own = {item.key.at: item.key.end for item in found.items}
        destinations: dict[int, int] = {}
        j = bisect_left(events, found.start, k)
        count = len(events)
        while j < count and events[j] < found.end:
            q = events[j]
            char = text[q]
            if char == "@":
                end = own.get(q)
                if end is None:
                    key = self._key_at(seg, q, found.start)
                    if key is not None:
                        end = key.end
                        self._nested_problem(found, key)
                if end is not None:
                    j = bisect_left(events, end, j + 1)  # a braced key may hold '@', '[' or ';'
                    continue
            elif char == "[":
                inner = seg.brackets.get(q)
                if inner is not None and inner + 1 in seg.parens and text[inner + 1] == "(":
                    destinations[inner + 1] = seg.parens[inner + 1] + 1
            elif char == "(" and q in destinations:
                j = bisect_left(events, destinations[q], j + 1)
                continue
            j += 1

    def _nested_problem(self, found: Found, key: Key) -> None:
        text = self.text
        name = text[key.start : key.end]
        self.problems.append(Problem(
            key.start, key.end,
            f"hänvisningen {name} står inne i hänvisningen '{self._excerpt(found.start, found.end)}', och det "
            "kan webbplatsen inte visa",
            "Skriv verken i samma hakparentes, åtskilda med semikolon, till exempel [@a, s. 3; jfr @b], "
            "eller skriv hänvisningarna var för sig. En andrahandskälla skrivs med originalet före nyckeln: [Namn, år, citerad i @nyckel].",
        ))

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


def _without(text: str, start: int, end: int, cut: list[int]) -> str:
    """``text[start:end]`` without the characters at ``cut``, tidied and clipped for a message.

    Only the start of a long citation is read (the message shows at most :data:`CLIP` characters).
    """
    end = min(end, max([start + 2 * CLIP, *(i + CLIP for i in cut)]))
    kept = "".join(ch for i, ch in enumerate(text[start:end], start) if i not in cut)
    return clip(_BRACKET_SPACE.sub(lambda m: m.group(1), kept))


_BRACKET_SPACE = re.compile(r"(?<=\[)[ \t]+|[ \t]+(?=\])|[ \t]+(,)")  # "[ @a ]" -> "[@a]", "@a ," -> "@a,"


def _items(parts: list[Part]) -> list[Item]:
    """Citation items from parts that all have keys: prefix before, suffix after the key."""
    items = []
    for part in parts:
        key = part.key
        assert key is not None  # callers check this; keeps the type checker honest
        items.append(Item(key, (part.start, key.start), (key.end, part.end)))
    return items

