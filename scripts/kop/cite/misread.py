"""Citations Pandoc reads without complaint, but not as the author meant them (KOP302).

The scanner (:class:`kop.cite.inline.Scanner`) reads citations as Pandoc does; this mixin
then looks at what it found and reports what would show on the page other than intended:
a quotation mark or apostrophe glued to a key (Word's ``”`` in ``[se @key”]`` shows as
"(…, 2016, ”)"), a quotation mark alone or unpaired inside a citation, a citation inside
another one's prefix or suffix (Pandoc nests it, the site cannot show it), and a ``*`` or
``_`` never closed inside a bracket (Pandoc then reads no citation at all). Each report
points at the offending character and shows the corrected citation. All of it is linear
in the length of the paragraph: each found citation is inspected once, and messages quote
bounded excerpts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from kop.cite.parts import Found, Item, Key, Problem, Segment
from kop.cite.text import CLIP, clip

# Quotation marks and apostrophes, straight and typographic (Word turns " and ' into these).
# Pandoc ends a key at any of them, so one glued to a key ends up in the citation's text.
_QUOTES = frozenset("\"'«»‹›‘’‚‛“”„‟")
_DOUBLE_QUOTES = frozenset("\"«»“”„‟")
_NOT_QUOTE_TEXT = " \t\r\n,.;:"  # what may stand beside a stray quote that holds no text
_WORD_AFTER_QUOTE = re.compile(r"[^\s\[\];,]*+")
_EMPHASIS_MARK = re.compile(r"[*_]")


class MisreadChecks:
    """Inspections of found citations, mixed into the scanner (which provides the attributes)."""

    text: str
    problems: list[Problem]
    _emphasis_reported: set[int]

    def _key_at(self, seg: Segment, at: int, floor: int) -> Key | None:  # provided by the scanner
        raise NotImplementedError

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
            "eller skriv hänvisningarna var för sig. En andrahandskälla skrivs med originalet före nyckeln: "
            "[Namn, år, citerad i @nyckel].",
        ))


def _without(text: str, start: int, end: int, cut: list[int]) -> str:
    """``text[start:end]`` without the characters at ``cut``, tidied and clipped for a message.

    Only the start of a long citation is read (the message shows at most :data:`CLIP` characters).
    """
    end = min(end, max([start + 2 * CLIP, *(i + CLIP for i in cut)]))
    kept = "".join(ch for i, ch in enumerate(text[start:end], start) if i not in cut)
    return clip(_BRACKET_SPACE.sub(lambda m: m.group(1), kept))


_BRACKET_SPACE = re.compile(r"(?<=\[)[ \t]+|[ \t]+(?=\])|[ \t]+(,)")  # "[ @a ]" -> "[@a]", "@a ," -> "@a,"
