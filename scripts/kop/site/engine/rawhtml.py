"""The Markdown extension that hands generated HTML to Python-Markdown's stash, unparsed.

The markers themselves (:func:`kop.render.fragments.raw`, :func:`~kop.render.fragments.block`)
live with the renderers; why they exist is explained there. This extension
(``kop.site.engine.rawhtml`` in ``mkdocs.yml``) runs before any HTML parser, moves each
wrapped fragment into Python-Markdown's own HTML stash, and leaves only its short
placeholder in the text; Python-Markdown puts the fragment back, byte for byte, when it
writes the page. Contributed Markdown and raw HTML are processed exactly as before.

The engine's anchor check (which ids does this page define?) scans raw HTML with a
preprocessor of its own, which no longer sees the stashed fragments. :class:`_AnnounceIds`
adds their ids to it. The engines register that scanner under different names
(``mkdocs_raw_html``, ``properdocs_raw_html``), so it is found by what it is: the
preprocessor holding a ``present_anchor_ids`` set.
"""

from __future__ import annotations

import re

import markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from kop.render.fragments import CLOSE, OPEN

EXTENSION_NAME = "kop.site.engine.rawhtml"
ANCHOR_SCANNERS = ("mkdocs_raw_html", "properdocs_raw_html")  # as MkDocs 1.6 / ProperDocs 1.6 name it

_ID = re.compile(r'\sid="([^"<>]+)"')  # generated HTML always quotes its attributes with "


class _StashGenerated(Preprocessor):
    """Move every wrapped fragment into the HTML stash before any HTML parser sees it."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.ids: set[str] = set()

    def run(self, lines: list[str]) -> list[str]:
        self.ids = set()
        text = "\n".join(lines)
        if OPEN not in text:
            return lines
        out: list[str] = []
        pos = 0
        stash = self.md.htmlStash
        while (start := text.find(OPEN, pos)) != -1:
            end = text.find(CLOSE, start + 1)
            if end == -1:  # cannot happen for generated pages; keep the text, drop the marker
                break
            fragment = text[start + 1 : end]
            self.ids.update(_ID.findall(fragment))
            out.append(text[pos:start])
            out.append(stash.store(fragment))
            pos = end + 1
        out.append(text[pos:].replace(OPEN, ""))
        return "".join(out).split("\n")


def anchor_scanners(md: markdown.Markdown) -> list[Preprocessor]:
    """The engine's raw-HTML id collectors registered on ``md`` (none outside a site build)."""
    named = [md.preprocessors[name] for name in ANCHOR_SCANNERS if name in md.preprocessors]
    found = named or list(md.preprocessors)
    return [p for p in found if isinstance(getattr(p, "present_anchor_ids", None), set)]


class _AnnounceIds(Postprocessor):
    """Tell the engine's anchor check the ids of the stashed fragments (``#referenser``, ``#ref-…``),
    which its own scan no longer sees, so links to them from contributed text still validate."""

    def __init__(self, md: markdown.Markdown, stash: _StashGenerated) -> None:
        super().__init__(md)
        self.stash = stash

    def run(self, text: str) -> str:
        if self.stash.ids:
            for scanner in anchor_scanners(self.md):
                scanner.present_anchor_ids |= self.stash.ids  # type: ignore[attr-defined]
        return text


class RawHtmlExtension(markdown.Extension):
    """Registers the preprocessor after whitespace normalisation (30) and before fenced code (25),
    the engine's anchor scan (21) and Python-Markdown's raw-HTML parser (20)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        stash = _StashGenerated(md)
        md.preprocessors.register(stash, "kop_rawhtml", 26)
        md.postprocessors.register(_AnnounceIds(md, stash), "kop_rawhtml_ids", 0)


def makeExtension(**kwargs: object) -> RawHtmlExtension:
    return RawHtmlExtension(**kwargs)
