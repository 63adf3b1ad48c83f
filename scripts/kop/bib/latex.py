"""Decode the LaTeX in BibTeX field values to Unicode text or CSL rich text.

pylatexenc parses the LaTeX (every accent, ligature, symbol and math), so this module
only decides what goes through it and how its node tree becomes text:

* values without ``\\``, ``{``, ``}``, ``~`` or ``$`` (nearly every field of a large
  export) never reach pylatexenc; only the TeX dash and quote ligatures are replaced;
* values whose only markup is protective braces (``{NHV} report``) are handled by a
  regex, since that needs no LaTeX parser;
* everything else is parsed by pylatexenc once; plain text comes from its
  ``LatexNodes2Text`` and rich text (for CSL) from a walk over the same nodes that turns
  protective braces into ``<span class="nocase">`` (so Pandoc's citeproc leaves the
  capitals alone) and ``\\emph``/``\\textbf``/``\\textsc`` into CSL's HTML subset.

Results are memoised in bounded caches because the same values (journal names,
publishers) recur across a file.
"""

from __future__ import annotations

import re
from typing import Any

from pylatexenc import latex2text, macrospec
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexWalker,
    get_default_latex_context_db,
)

from kop.bib.quiet import quiet

__all__ = ["decode_latex", "decode_rich", "decode_verbatim"]

_TEX_ESCAPES = re.compile(r"\\([_%&#$])")

#: Commands whose single argument is text with a style ("" = no style, "quote" = “…”).
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
#: biblatex/BibTeX commands whose argument only steers sorting or hyphenation.
_DISCARDED = ("noopsort", "sortunder", "hyphenation")
#: One-argument commands that pylatexenc does not know (it would then read the argument as a protected group).
_ONE_ARGUMENT = (
    "mkbibemph",
    "mkbibitalic",
    "mkbibbold",
    "mkbibquote",
    "enquote",
    "mkbibsuperscript",
    "mkbibsubscript",
    "textsuperscript",
    "textsubscript",
    "nolinkurl",
    *_DISCARDED,
)
_RICH_TAGS = {
    "i": ("<i>", "</i>"),
    "b": ("<b>", "</b>"),
    "sc": ('<span style="font-variant:small-caps;">', "</span>"),
    "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"),
    "nocase": ('<span class="nocase">', "</span>"),
    "quote": ("“", "”"),
}

_NEEDS_LATEX = re.compile(r"[\\{}~$]")
_NEEDS_PARSER = re.compile(r"[\\$]")
_LIGATURES = re.compile(r"--|``|''")
_WHITESPACE = re.compile(r"[ \t\r\n]+")
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_SIMPLE_GROUP = re.compile(r"\{([^{}]*)\}")


def _walker_context() -> Any:
    db = get_default_latex_context_db()
    db.add_context_category(
        "kop-bibliography", macros=[macrospec.MacroSpec(name, "{") for name in _ONE_ARGUMENT], prepend=True
    )
    return db


def _text_context() -> Any:
    db = latex2text.get_default_latex_context_db()
    specs = [latex2text.MacroTextSpec(name, discard=True) for name in _DISCARDED]
    specs += [latex2text.MacroTextSpec(name, simplify_repl="%s") for name in ("url", "nolinkurl")]
    specs += [latex2text.MacroTextSpec(name, simplify_repl="%s") for name, style in _STYLE_COMMANDS.items() if style]
    specs += [latex2text.MacroTextSpec(name, simplify_repl="“%s”") for name in ("mkbibquote", "enquote")]
    specs += [latex2text.MacroTextSpec("-", simplify_repl=""), latex2text.MacroTextSpec(",", simplify_repl="\u202f")]
    db.add_context_category("kop-bibliography", macros=specs, prepend=True)
    return db


_WALKER_CONTEXT = _walker_context()
_TEXT = latex2text.LatexNodes2Text(math_mode="text", latex_context=_text_context())


def _parse(value: str) -> list[Any]:
    """The pylatexenc node list of ``value`` (``%`` is literal in BibTeX, so it is escaped first)."""
    if "%" in value:
        value = _UNESCAPED_PERCENT.sub(r"\\%", value)
    walker = LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    return [node for node in nodes if node is not None]


def _first_content(nodes: list[Any]) -> Any:
    for node in nodes:
        if node is None or (node.isNodeType(LatexCharsNode) and not node.chars.strip()):
            continue
        return node
    return None


def _wrap(style: str, inner: str) -> str:
    if not inner.strip():
        return inner
    opening, closing = _RICH_TAGS.get(style, ("", ""))
    return opening + inner + closing


def _macro_argument(node: Any) -> list[Any]:
    arguments = [arg for arg in (node.nodeargd.argnlist if node.nodeargd else []) if arg is not None]
    if not arguments:
        return []
    last = arguments[-1]
    return list(last.nodelist) if last.isNodeType(LatexGroupNode) else [last]


def _rich(nodes: list[Any], in_nocase: bool) -> str:
    """CSL-JSON rich text (the HTML subset Pandoc's citeproc reads) of a pylatexenc node list."""
    parts: list[str] = []
    for index, node in enumerate(nodes):
        if node is None:
            continue
        if node.isNodeType(LatexCharsNode):
            parts.append(node.chars)
        elif node.isNodeType(LatexGroupNode) and node.delimiters == ("{", "}"):
            children = [child for child in node.nodelist if child is not None]
            first = _first_content(children)
            if first is not None and first.isNodeType(LatexMacroNode):
                # {\"o}, {\aa}, {\em …}: a special character or a switch, not case protection
                parts.append(_rich(children, in_nocase))
            elif in_nocase:
                parts.append(_rich(children, True))
            else:
                parts.append(_wrap("nocase", _rich(children, True)))
        elif node.isNodeType(LatexMacroNode) and node.macroname in _SWITCHES:
            parts.append(_wrap(_SWITCHES[node.macroname], _rich(nodes[index + 1 :], in_nocase)))
            break
        elif node.isNodeType(LatexMacroNode) and node.macroname in _STYLE_COMMANDS:
            parts.append(_wrap(_STYLE_COMMANDS[node.macroname], _rich(_macro_argument(node), in_nocase)))
        else:
            parts.append(_TEXT.node_to_text(node))
    return "".join(parts)


def _collapse(text: str) -> str:
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        text = _WHITESPACE.sub(" ", text)
    return text.strip()


def _ligature(match: re.Match[str]) -> str:
    return {"--": "–", "``": "“", "''": "”"}[match.group()]


def _ligatures(text: str) -> str:
    """TeX ligatures in text pylatexenc does not see: --- —, -- –, `` “, '' ”."""
    if "--" in text:
        text = text.replace("---", "—")
    return _LIGATURES.sub(_ligature, text) if ("-" in text or "`" in text or "'" in text) else text


def _nocase_span(match: re.Match[str]) -> str:
    inner = match.group(1)
    return f'<span class="nocase">{inner}</span>' if inner.strip() else inner


# One special character as exports write it: {\"o} \"o \"{o} {\aa} \aa{} \r{a} {\r a} \'{\i} \textendash.
# Each distinct one is decoded by pylatexenc once (see _unit); a value whose macros are all
# such characters then needs no full parse, which is what keeps a 10,000-entry export fast.
_UNIT = re.compile(
    r"\{\\(?P<a>[`'^\"~=.]|[A-Za-z]+)[ \t]*(?:[A-Za-z]|\{[A-Za-z]?\}|\\[ij](?![A-Za-z]))?[ \t]*\}"
    r"|\\(?P<b>[`'^\"~=.])[ \t]*(?:[A-Za-z]|\{[A-Za-z]?\}|\\[ij](?![A-Za-z])|\{\\[ij]\})"
    r"|\\(?P<c>[A-Za-z]+)(?:\{[A-Za-z]?\}|[ \t]+[A-Za-z]|[ \t]*)"
    r"|\\(?P<d>[&%$#_])"
)
_UNIT_CACHE: dict[str, str] = {}
# A decoded character that is itself markup to the fast path (\textasciitilde -> ~): left for the full parse.
_SYNTAX = re.compile(r"[{}~\\$]")
_NOT_UNITS = frozenset(_STYLE_COMMANDS) | frozenset(_SWITCHES) | frozenset(_DISCARDED) | {"url", "nolinkurl"}


def _unit(match: re.Match[str]) -> str:
    """The text of one special character, by pylatexenc; anything else is left for the full parse."""
    source = match.group()
    cached = _UNIT_CACHE.get(source)
    if cached is not None:
        return cached
    kind = match.lastgroup or "d"
    name = match.group(kind)
    rest = source[match.end(kind) - match.start() :].strip(" \t")
    if kind == "a":
        rest = rest[:-1].strip(" \t")  # without the closing brace of {\"o}
    if name in _NOT_UNITS:
        return source
    spec = _WALKER_CONTEXT.get_macro_spec(name)  # None: a macro without arguments to the parser (\aa, \&)
    takes_argument = spec is not None and "{" in str(getattr(spec.args_parser, "argspec", "{"))
    if (takes_argument and not rest) or (not takes_argument and rest.startswith("{") and rest != "{}"):
        return source  # \textbf without its {…}, or \aa{x}: the full parse decides
    text = _latex_to(source, rich=False)
    if not text or _SYNTAX.search(text):  # empty: a ligature could form across it ("-\\relax -")
        text = source
    if len(_UNIT_CACHE) < 10_000:
        _UNIT_CACHE[source] = text
    return text


def _special_characters(value: str) -> str:
    return _UNIT.sub(_unit, value) if "\\" in value else value


def _decode_plain(value: str) -> str:
    text = _special_characters(value)
    if not _NEEDS_PARSER.search(text):  # only protective braces and ties are left
        return _collapse(_ligatures(text.replace("{", "").replace("}", "").replace("~", "\xa0")))
    return _collapse(_latex_to(value, rich=False))  # the original: decoded characters may look like syntax


def _decode_rich(value: str) -> str:
    text = _special_characters(value)
    if not _NEEDS_PARSER.search(text):  # only protective braces and ties are left
        rich = _SIMPLE_GROUP.sub(_nocase_span, text.replace("~", "\xa0"))
        if "{" not in rich and "}" not in rich:
            return _collapse(_ligatures(rich))
    return _collapse(_latex_to(value, rich=True))


def _latex_to(value: str, rich: bool) -> str:
    """Decode with pylatexenc; if even its tolerant parser fails, drop the markup."""
    try:
        with quiet("pylatexenc"):
            nodes = _parse(value)
            return _rich(nodes, False) if rich else _TEXT.nodelist_to_text(nodes)
    except Exception:  # any failure: never a traceback, keep the text
        return value.replace("\\", "").replace("{", "").replace("}", "")


_PLAIN_CACHE: dict[str, str] = {}
_RICH_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def _cached(value: str, cache: dict[str, str], decode: Any) -> str:
    cached = cache.get(value)
    if cached is not None:
        return cached
    result = decode(value) if _NEEDS_LATEX.search(value) else _collapse(_ligatures(value))
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[value] = result
    return result


def decode_latex(value: str) -> str:
    """Decode BibTeX/LaTeX markup to plain Unicode text: ``G{\\"o}teborg`` -> "Göteborg".

    Values without ``\\``, braces, ``~`` or ``$`` skip pylatexenc (only the dash and
    quote ligatures are replaced and whitespace collapsed), which keeps large files fast.
    """
    return _cached(value, _PLAIN_CACHE, _decode_plain)


def decode_rich(value: str) -> str:
    """Decode to CSL rich text: braces become ``<span class="nocase">``, \\emph becomes <i>."""
    return _cached(value, _RICH_CACHE, _decode_rich)


def decode_verbatim(value: str) -> str:
    """URLs, DOIs and the like: only undo TeX escapes (\\_ \\% \\& \\# \\$) and trim."""
    value = value.strip()
    if "\\" in value:
        value = _TEX_ESCAPES.sub(r"\1", value)
    return value
