"""Decode the LaTeX in BibTeX field values to Unicode text or CSL rich text.

Bibliography exports contain a small, predictable subset of LaTeX: accent macros
(``{\\"o}``, ``\\r{a}``), letters such as ``\\aa``, a few styling commands and
protective braces. This module exists so that decoding is fast for that subset and
separate from parsing: a regex pass handles the common accent macros, a small
recursive-descent parser builds a tree of styled runs (one parse gives both plain text
for ``Reference.fields`` and CSL rich text with ``nocase`` spans), and pylatexenc,
slow but complete, is the fallback for anything else (math, unknown macros).
Results are memoised in bounded caches because the same values (journal names,
publishers) recur across a file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kop.bib.quiet import quiet

__all__ = ["decode_latex", "decode_rich", "decode_verbatim"]

_TEX_ESCAPES = re.compile(r"\\([_%&#$])")

_COMBINING_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "r": "\u030a",
    "c": "\u0327",
    "k": "\u0328",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}
_SYMBOLS = {
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "ss": "ß",
    "SS": "SS",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "dj": "đ",
    "DJ": "Đ",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textellipsis": "…",
    "ldots": "…",
    "dots": "…",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textregistered": "®",
    "texttrademark": "™",
    "textcopyright": "©",
    "copyright": "©",
    "S": "§",
    "textsection": "§",
    "P": "¶",
    "textdegree": "°",
    "euro": "€",
    "texteuro": "€",
    "pounds": "£",
    "textbullet": "•",
    "guillemotleft": "«",
    "guillemotright": "»",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textperiodcentered": "·",
    "textdagger": "†",
    "quad": " ",
    "qquad": " ",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "BibTeX": "BibTeX",
    "relax": "",
    "noopsort": "",  # \noopsort{...} is handled as a command with an ignored argument below
    # control symbols
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "\n": " ",
    "\t": " ",
    ",": "\u202f",
    "-": "",
    "/": "",
    "@": "",
    "\\": " ",
}
#: Commands whose single argument is text with a style ("" = no style).
_STYLE_COMMANDS = {
    "emph": "i",
    "textit": "i",
    "textsl": "i",
    "mkbibemph": "i",
    "mkbibitalic": "i",
    "textbf": "b",
    "mkbibbold": "b",
    "textsc": "sc",
    "textsuperscript": "sup",
    "mkbibsuperscript": "sup",
    "textsubscript": "sub",
    "mkbibsubscript": "sub",
    "textup": "",
    "textrm": "",
    "textnormal": "",
    "textsf": "",
    "texttt": "",
    "textmd": "",
    "mbox": "",
    "hbox": "",
    "text": "",
    "url": "",
    "nolinkurl": "",
    "mkbibquote": "quote",
    "enquote": "quote",
}
#: Old-style switches such as {\em text}: they style the rest of the enclosing group.
_SWITCHES = {
    "em": "i",
    "it": "i",
    "itshape": "i",
    "sl": "i",
    "slshape": "i",
    "bf": "b",
    "bfseries": "b",
    "sc": "sc",
    "scshape": "sc",
    "rm": "",
    "sf": "",
    "tt": "",
    "normalfont": "",
    "upshape": "",
    "mdseries": "",
}
_IGNORED_ARG_COMMANDS = frozenset({"noopsort", "sortunder", "hyphenation"})

_CONTROL_WORD = re.compile(r"[A-Za-z]+[ \t\n]*")
_PLAIN_RUN = re.compile(r"[^{}\\~\-`'$]+")
_NEEDS_DECODING = re.compile(r"[\\{}~$]|--|``|''")
_WHITESPACE = re.compile(r"[ \t\r\n]+")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")


@dataclass(frozen=True, slots=True)
class _Styled:
    """A styled run of decoded text: "nocase" (protected by braces), "i", "b", "sc", ...."""

    style: str
    children: tuple[Any, ...]  # str | _Styled


class _Fallback(Exception):
    """Raised by the fast converter for LaTeX it does not handle (math, unknown macros)."""


class _LatexParser:
    """Recursive-descent converter for the LaTeX found in bibliography fields.

    It builds a small tree of text and styled runs so that the same parse gives both
    plain text (for ``Reference.fields``) and CSL rich text with ``nocase`` spans.
    """

    def __init__(self, source: str) -> None:
        self.s = source
        self.pos = 0
        self.depth = 0

    def parse(self) -> list[Any]:
        return self._sequence(in_group=False)

    def _sequence(self, in_group: bool) -> list[Any]:
        s, n = self.s, len(self.s)
        out: list[Any] = []
        while self.pos < n:
            c = s[self.pos]
            if c == "}":
                self.pos += 1
                if in_group:
                    return out
                continue  # stray closing brace: ignore, as BibTeX's output would show nothing
            if c == "{":
                self.pos += 1
                special = self.pos < n and s[self.pos] == "\\"
                children = self._group()
                if special:  # {\"o}, {\aa}, {\em ...}: a special character, not case protection
                    out.extend(children)
                elif children:
                    out.append(_Styled("nocase", tuple(children)))
            elif c == "\\":
                result = self._command()
                if isinstance(result, str):  # a switch such as \em: styles the rest of the group
                    self.depth += 1
                    if self.depth > 100:
                        raise _Fallback
                    out.append(_Styled(result, tuple(self._sequence(in_group))))
                    self.depth -= 1
                    return out
                out.extend(result)
            elif c == "~":
                out.append("\xa0")
                self.pos += 1
            elif c == "-":
                end = self.pos
                while end < n and s[end] == "-":
                    end += 1
                count = end - self.pos
                out.append("—" if count >= 3 else "–" if count == 2 else "-")
                self.pos = end
            elif c == "`":
                if s.startswith("``", self.pos):
                    out.append("“")
                    self.pos += 2
                else:
                    out.append("‘")
                    self.pos += 1
            elif c == "'":
                if s.startswith("''", self.pos):
                    out.append("”")
                    self.pos += 2
                else:
                    out.append("'")
                    self.pos += 1
            elif c == "$":
                raise _Fallback
            else:
                match = _PLAIN_RUN.match(s, self.pos)
                assert match is not None
                out.append(match.group())
                self.pos = match.end()
        return out

    def _group(self) -> list[Any]:
        self.depth += 1
        if self.depth > 100:  # deeper nesting is not real bibliography data
            raise _Fallback
        try:
            return self._sequence(in_group=True)
        finally:
            self.depth -= 1

    def _command(self) -> list[Any] | str:
        """Parse a macro at a backslash; return its output nodes, or a switch's style name."""
        s = self.s
        self.pos += 1
        if self.pos >= len(s):
            return []
        match = _CONTROL_WORD.match(s, self.pos)
        if match:
            name = match.group().rstrip()
            self.pos = match.end()
        else:
            name = s[self.pos]
            self.pos += 1
        if name in _COMBINING_ACCENTS:
            return [_accent(_plain(self._argument()), _COMBINING_ACCENTS[name])]
        if name in _IGNORED_ARG_COMMANDS:
            self._argument()
            return []
        if name in _SYMBOLS:
            return [_SYMBOLS[name]]
        if name in _STYLE_COMMANDS:
            style = _STYLE_COMMANDS[name]
            children = self._argument()
            if style == "quote":
                return ["“", *children, "”"]
            return [_Styled(style, tuple(children))] if style else children
        if name in _SWITCHES:
            return _SWITCHES[name]
        raise _Fallback

    def _argument(self) -> list[Any]:
        """One macro argument: a {group}, a macro, or a single character."""
        s, n = self.s, len(self.s)
        while self.pos < n and s[self.pos] in " \t\n":
            self.pos += 1
        if self.pos >= n:
            return []
        c = s[self.pos]
        if c == "{":
            self.pos += 1
            return self._group()
        if c == "\\":
            self.depth += 1  # \'\'\'... chains recurse without braces
            if self.depth > 100:
                raise _Fallback
            try:
                result = self._command()
            finally:
                self.depth -= 1
            if isinstance(result, str):
                raise _Fallback
            return result
        if c == "}":
            return []
        self.pos += 1
        return [c]


def _accent(text: str, combining: str) -> str:
    """Put a combining accent on the first character of ``text`` and compose (o + ¨ -> ö)."""
    if not text:
        return ""
    first = {"ı": "i", "ȷ": "j"}.get(text[0], text[0])  # \'{\i} -> í
    return unicodedata.normalize("NFC", first + combining) + text[1:]


def _plain(nodes: list[Any] | tuple[Any, ...]) -> str:
    return "".join(node if isinstance(node, str) else _plain(node.children) for node in nodes)


_RICH_TAGS = {
    "i": ("<i>", "</i>"),
    "b": ("<b>", "</b>"),
    "sc": ('<span style="font-variant:small-caps;">', "</span>"),
    "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"),
    "nocase": ('<span class="nocase">', "</span>"),
}


def _rich(nodes: list[Any] | tuple[Any, ...], in_nocase: bool = False) -> str:
    """Render as CSL-JSON rich text (the HTML subset citeproc-js and Pandoc's citeproc parse)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        if node.style == "nocase" and in_nocase:
            parts.append(_rich(node.children, True))
            continue
        inner = _rich(node.children, in_nocase or node.style == "nocase")
        if not inner.strip():
            parts.append(inner)
            continue
        opening, closing = _RICH_TAGS.get(node.style, ("", ""))
        parts.append(opening + inner + closing)
    return "".join(parts)


def _latex_fallback(value: str) -> str:
    """Decode with pylatexenc (slow, complete); protect % which is literal in BibTeX."""
    try:
        from pylatexenc.latex2text import LatexNodes2Text

        with quiet("pylatexenc"):
            text = LatexNodes2Text(math_mode="text").latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", value))
    except Exception:  # any failure: fall back to dropping the markup
        text = value.replace("\\", "").replace("{", "").replace("}", "")
    return text


def _collapse(text: str) -> str:
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = _WHITESPACE.sub(" ", text)
    return text.strip()


_PLAIN_CACHE: dict[str, str] = {}
_RICH_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def _remember(cache: dict[str, str], key: str, value: str) -> str:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


# The accent and letter macros that make up nearly all LaTeX in exported bibliographies,
# replaced by one regex pass before anything slower runs: {\"o} \"{o} \"o {\'\i} {\r a}
# \r{a} {\aa} \aa{} \o.
_COMMON_MACROS = re.compile(
    r"\{\\(?P<a1>[`'^\"~=.])\s*(?:(?P<c1>[A-Za-z])|\{(?P<c2>[A-Za-z])\}|\\(?P<d1>[ij])(?![A-Za-z]))\s*\}"
    r"|\{\\(?P<a2>[rcvuHkdb])(?:\s+(?P<c3>[A-Za-z])|\s*\{(?P<c4>[A-Za-z])\})\}"
    r"|\\(?P<a3>[`'^\"~=.])\s*(?:(?P<c5>[A-Za-z])|\{(?P<c6>[A-Za-z])\}|\{\\(?P<d2>[ij])\})"
    r"|\\(?P<a4>[rcvuHkdb])(?:\s+(?P<c7>[A-Za-z])|\s*\{(?P<c8>[A-Za-z])\})"
    r"|\{\\(?P<s1>aa|AA|ae|AE|oe|OE|ss|o|O|l|L|i|j)\}"
    r"|\\(?P<s2>aa|AA|ae|AE|oe|OE|ss|o|O|l|L|i|j)(?:\{\}|[ \t\n]+|(?![A-Za-z]))"
)
_STILL_LATEX = re.compile(r"[\\{}$]")


_MACRO_TEXT: dict[str, str] = {}  # matched macro text -> character, e.g. '{\\"o}' -> 'ö'


def _common_macro(match: re.Match[str]) -> str:
    source = match.group()
    cached = _MACRO_TEXT.get(source)
    if cached is None:
        cached = _common_macro_text(match)
        if len(_MACRO_TEXT) < 10_000:
            _MACRO_TEXT[source] = cached
    return cached


def _common_macro_text(match: re.Match[str]) -> str:
    groups = match.groupdict()
    symbol = groups["s1"] or groups["s2"]
    if symbol:
        return _SYMBOLS[symbol]
    accent = groups["a1"] or groups["a2"] or groups["a3"] or groups["a4"]
    letter = next(groups[name] for name in ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "d1", "d2") if groups[name])
    return _accent(letter, _COMBINING_ACCENTS[accent])


def _ligatures(text: str) -> str:
    """TeX ligatures and ties outside macros: --- — , -- – , ~ no-break space, `` “ , '' ”."""
    if "-" in text:
        text = text.replace("---", "—").replace("--", "–")
    if "~" in text:
        text = text.replace("~", "\xa0")
    if "`" in text or "'" in text:
        text = text.replace("``", "“").replace("''", "”")
    return text


_SIMPLE_GROUP = re.compile(r"\{([^{}]*)\}")


def _nocase_span(match: re.Match[str]) -> str:
    inner = match.group(1)
    return f'<span class="nocase">{inner}</span>' if inner.strip() else inner


def _decode(value: str, render: Callable[[list[Any]], str]) -> str:
    """Shared decoding path: common macros by regex, the rest by the parser or pylatexenc."""
    if "\\" in value:
        value = _COMMON_MACROS.sub(_common_macro, value)
    if not _STILL_LATEX.search(value):
        return _collapse(_ligatures(value))
    if "\\" not in value and "$" not in value:  # only protective braces are left
        if render is _plain:
            return _collapse(_ligatures(value.replace("{", "").replace("}", "")))
        rich = _SIMPLE_GROUP.sub(_nocase_span, value)
        if "{" not in rich and "}" not in rich:
            return _collapse(_ligatures(rich))
    try:
        return _collapse(render(_LatexParser(value).parse()))
    except _Fallback:
        return _collapse(_latex_fallback(value))


def decode_latex(value: str) -> str:
    """Decode BibTeX/LaTeX markup to plain Unicode text: ``G{\\"o}teborg`` -> "Göteborg".

    Values without backslashes, braces, ``~``, ``$`` or dash/quote ligatures are returned
    as they are (whitespace collapsed), which keeps large files fast.
    """
    return _cached_decode(value, _PLAIN_CACHE, _plain)


def decode_rich(value: str) -> str:
    """Decode to CSL rich text: braces become ``<span class="nocase">``, \\emph becomes <i>."""
    return _cached_decode(value, _RICH_CACHE, _rich)


def _cached_decode(value: str, cache: dict, mode: Any) -> str:
    """Decode ``value`` in ``mode``, memoised; text without LaTeX markup skips the decoder."""
    cached = cache.get(value)
    if cached is not None:
        return cached
    if not _NEEDS_DECODING.search(value):
        return _remember(cache, value, _collapse(value))
    return _remember(cache, value, _decode(value, mode))


def decode_verbatim(value: str) -> str:
    """URLs, DOIs and the like: only undo TeX escapes (\\_ \\% \\& \\# \\$) and trim."""
    value = value.strip()
    if "\\" in value:
        value = _TEX_ESCAPES.sub(r"\1", value)
    return value
