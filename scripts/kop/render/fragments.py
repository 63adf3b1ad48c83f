"""Generated HTML that passes through the site engine's Markdown step untouched and unparsed.

Most of an overview page is HTML the build generates itself: the header card, the findings
table, about sixty formatted citations, the PRISMA figure, the reference list, the Citera
box. Written into the Markdown as raw HTML, every byte of it went through Python's
``html.parser`` twice (Python-Markdown's raw-HTML block extraction and MkDocs' anchor
scan), which was two thirds of MkDocs' whole build time on the benchmark corpora.

Instead, generated fragments are wrapped in two control characters (:func:`raw`,
:func:`block`) that can never occur in contributed text (YAML rejects them in front
matter, :mod:`kop.check.safety` in bodies, and :func:`raw` strips them from what it wraps). The
Markdown extension here (``kop.render.fragments`` in ``mkdocs.yml``) runs before either parser,
moves each wrapped fragment into Python-Markdown's own HTML stash, and leaves only its
short placeholder in the text; Python-Markdown puts the fragment back, byte for byte, when
it writes the page. Contributed Markdown and raw HTML are processed exactly as before.
"""

from __future__ import annotations

import re

import markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

OPEN = "\x0e"  # SHIFT OUT: starts a generated fragment
CLOSE = "\x0f"  # SHIFT IN: ends it
MARKERS = (OPEN, CLOSE)
EXTENSION_NAME = "kop.render.fragments"
MKDOCS_ANCHOR_SCAN = "mkdocs_raw_html"  # MkDocs' preprocessor that collects the ids raw HTML defines


def raw(fragment: str) -> str:
    """Wrap generated inline HTML (a citation, a badge) so Markdown passes it on untouched."""
    if OPEN in fragment or CLOSE in fragment:
        fragment = fragment.replace(OPEN, "").replace(CLOSE, "")
    return f"{OPEN}{fragment}{CLOSE}"


def block(fragment: str) -> str:
    """Wrap a generated block (it must start with a block-level tag) as a paragraph of its own."""
    fragment = fragment.strip()
    return f"\n\n{raw(fragment)}\n\n" if fragment else ""


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


class _AnnounceIds(Postprocessor):
    """Tell MkDocs' anchor check the ids of the stashed fragments (``#referenser``, ``#ref-…``),
    which its own scan no longer sees, so links to them from contributed text still validate."""

    def __init__(self, md: markdown.Markdown, stash: _StashGenerated) -> None:
        super().__init__(md)
        self.stash = stash

    def run(self, text: str) -> str:
        if MKDOCS_ANCHOR_SCAN in self.md.preprocessors:
            scanner = self.md.preprocessors[MKDOCS_ANCHOR_SCAN]
            if isinstance(getattr(scanner, "present_anchor_ids", None), set):
                scanner.present_anchor_ids |= self.stash.ids
        return text


class RawHtmlExtension(markdown.Extension):
    """Registers the preprocessor after whitespace normalisation (30) and before fenced code (25),
    MkDocs' anchor scan (21) and Python-Markdown's raw-HTML parser (20)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        stash = _StashGenerated(md)
        md.preprocessors.register(stash, "kop_rawhtml", 26)
        md.postprocessors.register(_AnnounceIds(md, stash), "kop_rawhtml_ids", 0)


def makeExtension(**kwargs: object) -> RawHtmlExtension:
    return RawHtmlExtension(**kwargs)
