"""Typst source from untrusted text: string literals, labels, and the APA HTML as Typst markup.

Why string literals: Typst markup gives meaning to dozens of characters (``* _ # $ @ < >
[ ] \\ / ` ~ =`` and more, some only at a line start), so escaping markup character by
character is easy to get wrong. A Typst string literal shown with ``#"…"`` is printed
verbatim, and only ``\\`` and ``"`` need escaping in it. Every contributor or
bibliography value that reaches a PDF goes through :func:`literal`.

Every embedded expression written into markup ends with ``;``, which Typst reads as the
end of the expression and drops, so the text that follows (``.``, ``(``, ``[``) can never
be read as a field access, a call or a content argument.

:func:`from_html` turns the small HTML the APA formatter produces (``<em>``, ``<i>``,
``<b>``, ``<a>``, ``<sup>``, ``<sub>``, small-caps spans, entities) into Typst markup, so
the PDF shows the very reference list and citations the page shows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

__all__ = ["from_html", "label", "literal", "text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def literal(value: object) -> str:
    """A Typst string literal (code context) whose value is ``value`` as text."""
    s = _CONTROL.sub("", "" if value is None else str(value))
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\r", "\n")
    return '"' + s.replace("\n", "\\n") + '"'


def text(value: object) -> str:
    """Markup that prints ``value`` verbatim (whitespace runs become one space, as in HTML)."""
    s = " ".join(("" if value is None else str(value)).split())
    return f"#{literal(s)};" if s else ""


_LABEL_OK = re.compile(r"[A-Za-z][A-Za-z0-9_:.-]*")


def label(name: str) -> str:
    """A Typst label ``<name>``; ``name`` must be a safe identifier (the APA anchors are)."""
    if not _LABEL_OK.fullmatch(name):
        raise ValueError(f"not a safe Typst label: {name!r}")
    return f"<{name}>"


_WRAPPERS = {"em": "emph", "i": "emph", "strong": "strong", "b": "strong", "sup": "super", "sub": "sub"}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_SPACE = re.compile(r"\s+")
_VOID = frozenset({"br", "wbr", "img", "hr"})
# The formatter's HTML is regular: tags, and text between them (a warm build converts ~20,000 fragments).
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|([^<]+|<)")
_ATTR = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def _opener(tag: str, attrs: str, labels: Collection[str]) -> str:
    """Typst that opens ``tag`` ("" for a tag whose markup is dropped; its text is kept)."""
    if tag in _WRAPPERS:
        return f"#{_WRAPPERS[tag]}["
    if tag not in ("span", "a") or not attrs:
        return ""
    attr = {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(attrs)}
    if tag == "span":
        return "#smallcaps[" if "small-caps" in attr.get("style", "").replace(" ", "") else ""
    href = attr.get("href", "")
    if href.startswith("#") and href[1:] in labels:
        return f"#link({label(href[1:])})["
    if href.lower().startswith(_SAFE_SCHEMES):
        return f"#link({literal(href)})["
    return ""


def from_html(fragment: str, labels: Collection[str] = ()) -> str:
    """Typst markup for an APA HTML fragment; ``#anchor`` links only to anchors in ``labels``.

    A link to an anchor the document does not have would stop Typst with an error, so such a
    link keeps its text and loses its target; links other than http(s) and mailto do too.
    Unknown tags keep their text and lose their markup; whitespace collapses as in HTML.
    """
    out: list[str] = []
    closers: list[str] = []  # per open tag: what closes it ("" for tags whose markup is dropped)
    for m in _TOKEN.finditer(fragment or ""):
        data = m.group(4)
        if data is not None:
            out.append(f"#{literal(_SPACE.sub(' ', html.unescape(data)))};")
            continue
        tag = m.group(2).lower()
        if m.group(1):
            if closers:
                out.append(closers.pop())
        elif tag not in _VOID and not m.group(3).rstrip().endswith("/"):
            opener = _opener(tag, m.group(3), labels)
            out.append(opener)
            closers.append("];" if opener else "")
        elif tag == "br":
            out.append(" ")
    out.extend(reversed(closers))
    return "".join(out)
