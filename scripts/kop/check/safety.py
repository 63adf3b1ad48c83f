"""Validator rule: contributed Markdown may not carry active content into the site.

Overviews arrive as pull requests from people we do not know, and a reviewer can miss a
line. This rule is the *first* line of defence: it rejects, with file, line and column,
everything in a Markdown body that could run script, load a foreign document, restyle or
redirect the page or collect input (``<script>``, ``<iframe>``, ``on…=`` handlers,
``javascript:``/``vbscript:``/``data:`` URLs, ``<style>``, ``<meta>``, ``<base>``,
``<link>``, forms). The sanitiser in :mod:`kop.site.sanitize` is the second line of defence on
the rendered HTML, so a trick that slips past this scanner still never reaches a page.

Code is inert wherever it is (:func:`mask_code` reads the block structure as Python-Markdown
does): closed fenced blocks, indented code blocks and code spans are skipped, judged block by
block, whatever else the file contains. The scanner stays conservative where Markdown and HTML
disagree about what is code: raw HTML blocks stay raw even when they hold backticks or indented
lines, and code spans in a paragraph that also holds a tag are scanned (the renderer can put a
code span inside a raw attribute), all checked against the real renderer. A false alarm costs
the author one edit, a miss would cost a reader far more.

Links and media follow the one URL policy (:mod:`kop.core.urlpolicy`), shared with the
sanitiser and the BibTeX validator: links are http(s), mailto or relative (KOP410), images and
media come from the site itself (KOP411), read as a browser reads them (``/\\host`` is another
server). Everything here is linear in the body and never raises.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from kop.cite.blocks import indent_width
from kop.core import urlpolicy
from kop.core.catalogue import message as catalogue_message
from kop.core.model import Diagnostic, Overview

ACTIVE_ELEMENT = catalogue_message("KOP401")
EVENT_HANDLER = catalogue_message("KOP402")
BAD_URL = catalogue_message("KOP403")
ACTIVE_STYLE = catalogue_message("KOP404")
PAGE_ELEMENT = catalogue_message("KOP405")
FORM_ELEMENT = catalogue_message("KOP406")
CONTROL_CHARACTER = catalogue_message("KOP407")
LINK_SCHEME = catalogue_message("KOP410")
FOREIGN_MEDIA = catalogue_message("KOP411")
MAX_CONTROL_REPORTS = 10  # a pasted binary could hold thousands: the first few say enough


_ACTIVE_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "noscript", "template",
    "animate", "animatemotion", "animatetransform", "set", "handler", "listener", "foreignobject",
})
_PAGE_TAGS = frozenset({"meta", "base", "link"})
_FORM_TAGS = frozenset({"form", "input", "button", "select", "textarea", "option", "keygen", "isindex", "datalist"})
_BAD_SCHEMES = ("javascript", "vbscript", "data")
# Attributes that hold a URL: only these are checked for data: (which is an ordinary Swedish
# word, "data: …", in titles and text); javascript: and vbscript: are checked in every attribute.
_URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data", "codebase",
    "cite", "longdesc", "lowsrc", "dynsrc", "manifest", "ping", "icon", "usemap", "profile", "archive",
    "classid", "content", "to", "from", "values", "by",
})
# Attributes that load something into the page: only files of the site itself (the URL policy)
_MEDIA_ATTRIBUTES = frozenset({"src", "srcset", "imagesrcset", "poster", "background", "lowsrc", "dynsrc", "data",
                               "codebase"})
_MEDIA_HREF_TAGS = frozenset({"image", "use", "feimage"})
# Attributes that are links: http(s), mailto or relative (the URL policy)
_LINK_ATTRIBUTES = frozenset({"href", "xlink:href", "action", "formaction", "cite", "longdesc", "ping", "usemap",
                              "manifest", "icon", "profile", "archive", "classid", "to", "from", "values", "by"})
_BRACKET = re.compile(r"\\.|\n[ \t]*\n|[\[\]]")  # an escaped character is skipped, a blank line ends a paragraph
_REFUSED_TAGS = _ACTIVE_TAGS | _PAGE_TAGS | _FORM_TAGS
_IMAGE_REF = re.compile(r"!\[([^\[\]\n]{0,999})\](?:\[([^\[\]\n]{0,999})\])?")
_CSS_DANGER = re.compile(r"url\(|expression\(|@import|behavior:|-moz-binding|javascript:|vbscript:")

# C0 controls except tab and line feed (carriage returns are normalised away on reading), and DEL
_CONTROL = re.compile("[\x01-\x08\x0b-\x1f\x7f]")
_TAG_OPEN = re.compile(r"<(/?)([A-Za-z][^\s/>\x00]*)")
_MD_DEST = re.compile(r"\]\([ \t]*(?:\n[ \t]*)?(<[^>\n]*>|[^\s)]+)")
_REF_DEF = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(?:\n[ \t]*)?(<[^>\n]*>|\S+)", re.MULTILINE)
# The look-behind comes after the '<' (the same condition): first, it made every offset a candidate.
_AUTOLINK = re.compile(r"<(?<!\(<)([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*)\}")
_ATTR_LIST_PAIR = re.compile(r"""([^\s=}"']+)[ \t]*=[ \t]*("[^"\n]*"|'[^'\n]*'|[^\s}]+)""")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f\\]+")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n]?|\\(.)", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
_BACKTICKS = re.compile(r"`+")


def check_overview(
    ov: Overview, display: str, markdown_fields: Iterable[tuple[Any, ...]] | None = None
) -> list[Diagnostic]:
    """Active-content problems in an overview's body and in its Markdown-bearing fields.

    ``markdown_fields`` are front-matter key paths whose values are rendered as Markdown;
    by default the fields the schema marks with ``"contentMediaType": "text/markdown"``
    (today none: render.py escapes every field as text). They are scanned like the body.
    """
    diags = scan_markdown(ov.body, ov.body_line, display)
    for path in _schema_markdown_fields() if markdown_fields is None else markdown_fields:
        value: Any = ov.meta
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str):
            line, column = ov.pos(*path)
            for diag in scan_markdown(value, line, display):
                diags.append(_moved(diag, line, column))
    return diags


@cache
def _schema_markdown_fields() -> tuple[tuple[str, ...], ...]:
    from kop.schema.load import resolved_schema

    return tuple(markdown_field_paths(resolved_schema()))


def markdown_field_paths(schema: dict[str, Any]) -> list[tuple[str, ...]]:
    """Top-level string fields the schema marks as Markdown (``"contentMediaType": "text/markdown"``)."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return []
    return [(name,) for name, spec in sorted(props.items())
            if isinstance(spec, dict) and spec.get("contentMediaType") == "text/markdown"]


def _moved(diag: Diagnostic, line: int, column: int) -> Diagnostic:
    """A field value starts after its key: report single-line values at the key's position."""
    if diag.line == line:
        return Diagnostic(diag.path, line, column, diag.code, diag.message, diag.hint, diag.severity)
    return diag


def scan_markdown(text: str, first_line: int, display: str) -> list[Diagnostic]:
    """Scan Markdown ``text`` (starting at file line ``first_line``) for active content."""
    masked = mask_code(text)
    starts = [0, *(m.end() for m in re.finditer("\n", masked))]
    found: dict[tuple[int, str], Diagnostic] = {}

    def report(offset: int, message: Any, **fields: object) -> None:
        index = bisect_right(starts, offset) - 1
        line, column = first_line + index, offset - starts[index] + 1
        key = (offset, message.code)
        if key not in found:
            found[key] = message.at(display, line, column, **fields)

    for offset, message, fields in _findings(masked):
        report(offset, message, **fields)
    # Looked for in the unmasked text: inside code too, since no Markdown step may see them
    for count, match in enumerate(_CONTROL.finditer(text)):
        if count == MAX_CONTROL_REPORTS:
            break
        report(match.start(), CONTROL_CHARACTER, codepoint=f"U+{ord(match.group(0)):04X}")
    return [found[k] for k in sorted(found)]


def _findings(text: str) -> Iterator[tuple[int, Any, dict[str, object]]]:
    pos = 0
    last_gt = text.rfind(">")  # once, not per tag: a per-tag search would be quadratic
    while (match := _TAG_OPEN.search(text, pos)) is not None:
        closing, name = match.group(1), match.group(2).lower()
        if closing:
            pos = match.end()
            continue  # the opening tag is what is reported
        if name in _ACTIVE_TAGS:
            yield match.start(), ACTIVE_ELEMENT, {"tag": name}
        elif name in _PAGE_TAGS:
            yield match.start(), PAGE_ELEMENT, {"tag": name}
        elif name in _FORM_TAGS:
            yield match.start(), FORM_ELEMENT, {"tag": name}
        elif name == "style":
            yield match.start(), ACTIVE_STYLE, {"what": "Elementet <style>", "reason": "det kan ändra hela sidan"}
        pos = match.end()
        if pos > last_gt:
            continue  # a tag that never ends is text to a browser
        attributes: list[tuple[int, str, str | None]] = []
        pos = _attributes(text, pos, attributes)  # a '<' inside a tag is part of the tag, as in HTML
        for attr_offset, attr, value in attributes:
            yield from _check_attribute(attr_offset, attr, value, name)
    image_labels = {_label(m.group(2) or m.group(1)) for m in _IMAGE_REF.finditer(text)}
    image_ends = _image_ends(text)
    for match in _MD_DEST.finditer(text):
        media = match.start() in image_ends
        yield from _check_url(match.start(1), match.group(1).strip("<>"), media)
    for match in _REF_DEF.finditer(text) if "]:" in text else ():  # a definition has "]:"; a miss tried every line
        yield from _check_url(match.start(1), match.group(1).strip("<>"), _label(match.group(0)) in image_labels)
    for match in _AUTOLINK.finditer(text):
        yield from _check_url(match.start(1), match.group(1), False)
    for match in _ATTR_LIST.finditer(text):
        for pair in _ATTR_LIST_PAIR.finditer(match.group(1)):
            value = pair.group(2)
            if value[:1] in "\"'":
                value = value[1:-1]
            yield from _check_attribute(match.start(1) + pair.start(), pair.group(1), value, "")


def _check_url(offset: int, url: str, media: bool) -> Iterator[tuple[int, Any, dict[str, object]]]:
    """A Markdown link or image destination against the URL policy (:mod:`kop.core.urlpolicy`)."""
    scheme = bad_scheme(url)
    if scheme:
        yield offset, BAD_URL, {"scheme": scheme}
    elif media and not urlpolicy.media_allowed(url):
        yield offset, FOREIGN_MEDIA, {"url": _shown(url)}
    elif not media and not urlpolicy.link_allowed(url):
        yield offset, LINK_SCHEME, {"scheme": urlpolicy.parse(url).scheme}


def _image_ends(text: str) -> set[int]:
    """Offsets of the ``]`` that end the text of an image (``![…](…)``): its ``[`` follows a ``!``.

    One pass over the brackets with a stack (a blank line empties it: no link text spans
    paragraphs), so the scan stays linear however many brackets there are.
    """
    ends: set[int] = set()
    if "![" not in text:  # an image's '[' follows a '!': without one the bracket scan finds nothing
        return ends
    stack: list[int] = []
    for match in _BRACKET.finditer(text):
        pos = match.start()
        token = match.group(0)
        if token[0] == "\n":
            stack.clear()
        elif token == "[":
            stack.append(pos)
        elif token == "]" and stack:
            opener = stack.pop()
            if opener > 0 and text[opener - 1] == "!":
                ends.add(pos)
    return ends


def _label(text: str) -> str:
    """A reference label as Markdown matches it (case and whitespace ignored)."""
    inner = text.strip()
    if inner.startswith("["):
        inner = inner[1 : inner.find("]") if "]" in inner else len(inner)]
    return " ".join(inner.split()).casefold()


def _shown(url: str) -> str:
    return url if len(url) <= 60 else url[:59] + "…"


def _check_attribute(offset: int, attr: str, value: str | None,
                     tag: str) -> Iterator[tuple[int, Any, dict[str, object]]]:
    name = attr.lower()
    if name.startswith("on") and len(name) > 2:
        yield offset, EVENT_HANDLER, {"attribute": name}
        return
    if value is None:
        return
    scheme = bad_scheme(value)
    if scheme and (scheme != "data" or name in _URL_ATTRIBUTES):
        yield offset, BAD_URL, {"scheme": scheme}
    elif tag in _REFUSED_TAGS:
        pass  # the element itself is reported already
    elif name in _MEDIA_ATTRIBUTES or (name in ("href", "xlink:href") and tag in _MEDIA_HREF_TAGS):
        urls = urlpolicy.srcset_urls(value) if name in ("srcset", "imagesrcset") else [value]
        for url in urls:
            if not urlpolicy.media_allowed(url):
                yield offset, FOREIGN_MEDIA, {"url": _shown(url)}
                break
    elif name in _LINK_ATTRIBUTES and not urlpolicy.link_allowed(value):
        yield offset, LINK_SCHEME, {"scheme": urlpolicy.parse(value).scheme}
    elif name == "style" and dangerous_css(value):
        yield offset, ACTIVE_STYLE, {"what": "Attributet style", "reason": "det hämtar eller kör något (url(…), "
                                     "expression(…) eller liknande)"}


def _attributes(text: str, pos: int, out: list[tuple[int, str, str | None]]) -> int:
    """Collect the attributes of the tag whose name ends at ``pos``; return where the tag ends.

    Follows the HTML tokenizer loosely: ``/`` separates attributes like whitespace does
    (``<svg/onload=…>``), values may be quoted or bare, and the tag ends at the first
    ``>`` outside quotes. Linear: the caller resumes scanning where the tag ends.
    """
    end = len(text)
    while pos < end:
        while pos < end and (text[pos].isspace() or text[pos] == "/"):
            pos += 1
        if pos >= end or text[pos] == ">":
            return pos + 1
        start = pos
        pos += 1  # the first character may be '=' (HTML keeps it in the name)
        while pos < end and not text[pos].isspace() and text[pos] not in "/>=":
            pos += 1
        name = text[start:pos]
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end or text[pos] != "=":
            out.append((start, name, None))
            continue
        pos += 1
        while pos < end and text[pos].isspace():
            pos += 1
        if pos < end and text[pos] in "\"'":
            close = text.find(text[pos], pos + 1)
            close = end if close < 0 else close
            value, pos = text[pos + 1 : close], close + 1
        else:
            value_start = pos
            while pos < end and not text[pos].isspace() and text[pos] != ">":
                pos += 1
            value = text[value_start:pos]
        out.append((start, name, value))
    return pos


def bad_scheme(url: str) -> str | None:
    """The forbidden scheme a URL uses, seen as a browser sees it, or None.

    Entities are decoded (``&#106;``, ``&colon;``, ``&Tab;``), and whitespace, control
    characters and backslashes are dropped, because browsers ignore them inside a scheme.
    """
    normalised = _URL_JUNK.sub("", html.unescape(url)).lower()
    for scheme in _BAD_SCHEMES:
        if normalised.startswith(scheme + ":"):
            return scheme
    return None


def dangerous_css(value: str) -> bool:
    """Whether a style value fetches or runs something, after decoding entities and CSS escapes."""
    css = html.unescape(value)
    css = _CSS_COMMENT.sub("", css)
    css = _CSS_ESCAPE.sub(lambda m: chr(min(int(m.group(1), 16), 0x10FFFF)) if m.group(1) else m.group(2), css)
    css = re.sub(r"\s+", "", css).lower()
    return bool(_CSS_DANGER.search(css))


def mask_code(text: str) -> str:
    """Blank out what Markdown will show as code, keeping offsets and line breaks.

    Read as Python-Markdown (the site's renderer) reads the block structure: *closed* fenced
    blocks (an unclosed fence is text, and the HTML after it is HTML), indented code blocks
    (after a blank line, outside lists: inside a list the same indentation is a paragraph of
    the item) and code spans in paragraphs. Raw HTML blocks (a line that starts with a tag
    or comment, up to where the element is closed) stay raw even when they hold backticks
    or indented lines, so nothing in them is masked; nor are code spans in a paragraph that
    also holds a tag (the renderer can put a code span inside a raw attribute). What else
    the file contains changes nothing: each block is judged on its own.
    """
    lines = text.split("\n")
    out = list(lines)
    # Longest closing fence of each kind at or after each line: an opener with no possible
    # closer below it is skipped at once, which keeps many unclosed fences linear.
    longest = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    for n in range(len(lines) - 1, -1, -1):
        for char in "`~":
            longest[char][n] = longest[char][n + 1]
        closing = _FENCE_CLOSE.match(lines[n])
        if closing:
            char = closing.group(1)[0]
            longest[char][n] = max(longest[char][n], len(closing.group(1)))
    code = [False] * len(lines)  # lines that are code (fences included)
    i = 0
    while i < len(lines):
        opening = _FENCE_OPEN.match(lines[i])
        if opening and not (opening.group(2)[0] == "`" and "`" in opening.group(3)):
            fence = opening.group(2)
            if longest[fence[0]][i + 1] >= len(fence):
                close = i + 1
                while not _closes(lines[close], fence):
                    close += 1
                for j in range(i + 1, close):
                    out[j] = " " * len(lines[j])
                for j in range(i, close + 1):
                    code[j] = True
                i = close + 1
                continue
        i += 1
    raw = _raw_html_lines(out, code)
    _mask_indented(out, code, raw)
    _mask_spans(out, code, raw)
    return "\n".join(out)


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_HTML_BLOCK_TAG = re.compile(r"^ {0,3}<([A-Za-z][A-Za-z0-9-]*)")
_HTML_BLOCK_COMMENT = re.compile(r"^ {0,3}<!--")
# Python-Markdown's block-level elements: only these start a raw HTML block
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "canvas", "center", "colgroup", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "group", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "iframe", "legend", "li", "main", "map", "math", "menu", "nav", "noscript",
    "object", "ol", "option", "output", "p", "pre", "progress", "script", "section", "style", "summary", "table",
    "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "ul", "video",
})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                        "source", "track", "wbr"})
# A tag in a paragraph (comments excepted: Python-Markdown reads code spans before them)
_INLINE_TAG = re.compile(r"<(?:[A-Za-z/?]|!(?!--))")



def _raw_html_lines(lines: list[str], code: list[bool]) -> list[bool]:
    """Lines of raw HTML blocks: from a line that starts with a block-level tag or a comment to the blank
    line after the line where that element (or comment) is closed; an element never closed runs to the end."""
    raw = [False] * len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        tag = _HTML_BLOCK_TAG.match(line) if not code[i] else None
        if tag is not None and tag.group(1).lower() not in _BLOCK_TAGS:
            tag = None  # an inline element or an autolink starts a paragraph
        comment = _HTML_BLOCK_COMMENT.match(line) if not code[i] and tag is None else None
        if tag is None and comment is None:
            i += 1
            continue
        name = tag.group(1).lower() if tag else ""
        opener = re.compile(rf"<{re.escape(name)}(?=[\s/>])", re.IGNORECASE) if tag else None
        closer = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE) if tag else None
        depth, closed, j = 0, name in _VOID_TAGS, i
        while j < len(lines):
            raw[j] = True
            if not closed:
                if comment is not None:
                    closed = "-->" in lines[j][(lines[j].index("<!--") + 4) if j == i else 0:]
                else:
                    depth += len(opener.findall(lines[j])) - len(closer.findall(lines[j]))  # type: ignore[union-attr]
                    closed = depth <= 0
            j += 1
            if closed and (j >= len(lines) or not lines[j].strip()):
                break
        i = j
    return raw


def _mask_indented(lines: list[str], code: list[bool], raw: list[bool]) -> None:
    """Mask indented code blocks: four columns of indentation after a blank line, outside raw HTML,
    where the paragraph before them is no list (in a list the indentation makes a paragraph of the item)."""
    i, previous_blank = 0, True
    while i < len(lines):
        line = lines[i]
        if code[i] or raw[i] or not previous_blank or not line.strip() or indent_width(line) < 4 or _in_list(lines, i):
            previous_blank = not line.strip()
            i += 1
            continue
        end = i
        while end < len(lines) and not raw[end] and not code[end] and (
                indent_width(lines[end]) >= 4 or not lines[end].strip()):
            end += 1
        while end > i and not lines[end - 1].strip():
            end -= 1
        for j in range(i, end):
            lines[j] = " " * len(lines[j])
            code[j] = True
        i, previous_blank = end, False


def _in_list(lines: list[str], index: int) -> bool:
    """Whether the paragraph before line ``index`` (across blank lines) may belong to a list."""
    j = index - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    while j >= 0 and lines[j].strip():
        if _LIST_ITEM.match(lines[j]) or indent_width(lines[j]) > 0:
            return True
        j -= 1
    return False


def _closes(line: str, fence: str) -> bool:
    closing = _FENCE_CLOSE.match(line)
    return bool(closing) and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence)


def _mask_spans(lines: list[str], code: list[bool], raw: list[bool]) -> None:
    """Mask single-line code spans, paragraph by paragraph, unless the paragraph has a tag or is raw HTML."""
    paragraph: list[int] = []
    for index in [*range(len(lines)), -1]:
        if index >= 0 and lines[index].strip() and not code[index] and not raw[index]:
            paragraph.append(index)
            continue
        masked = {n: _spans_masked(lines[n]) for n in paragraph}
        if not any(_INLINE_TAG.search(masked[n]) for n in paragraph):
            for n in paragraph:
                lines[n] = masked[n]
        paragraph = []


def _spans_masked(line: str) -> str:
    """The line with the insides of its code spans blanked (backslash-escaped runs do not open)."""
    if "`" not in line:  # most lines: no span to mask, and copying the line char by char is the cost
        return line
    runs = [m.span() for m in _BACKTICKS.finditer(line) if not (m.start() and line[m.start() - 1] == "\\")]
    by_width: dict[int, list[int]] = {}
    for k, (start, end) in enumerate(runs):
        by_width.setdefault(end - start, []).append(k)
    chars = list(line)
    k = 0
    while k < len(runs):
        start, end = runs[k]
        same = by_width[end - start]
        later = bisect_right(same, k)
        if later == len(same):
            k += 1
            continue
        match = same[later]
        chars[end : runs[match][0]] = " " * (runs[match][0] - end)
        k = match + 1
    return "".join(chars)
