"""Generated HTML that passes through the site engine's Markdown step untouched and unparsed.

Most of an overview page is HTML the build generates itself: the header card, the findings
table, about sixty formatted citations, the PRISMA figure, the reference list, the Citera
box. Written into the Markdown as raw HTML, every byte of it went through Python's
``html.parser`` twice (Python-Markdown's raw-HTML block extraction and MkDocs' anchor
scan), which was two thirds of MkDocs' whole build time on the benchmark corpora.

Instead, generated fragments are wrapped in two control characters (:func:`raw`,
:func:`block`) that can never occur in contributed text (YAML rejects them in front
matter, :mod:`kop.check.safety` in bodies, and :func:`raw` strips them from what it wraps).
The Markdown extension :mod:`kop.site.engine.rawhtml` (listed in ``mkdocs.yml``) moves each
wrapped fragment into Python-Markdown's HTML stash before either parser runs. This module
only marks; it imports no Markdown code, so pure renderers can use it.
"""

from __future__ import annotations

OPEN = "\x0e"  # SHIFT OUT: starts a generated fragment
CLOSE = "\x0f"  # SHIFT IN: ends it
MARKERS = (OPEN, CLOSE)


def raw(fragment: str) -> str:
    """Wrap generated inline HTML (a citation, a badge) so Markdown passes it on untouched."""
    if OPEN in fragment or CLOSE in fragment:
        fragment = fragment.replace(OPEN, "").replace(CLOSE, "")
    return f"{OPEN}{fragment}{CLOSE}"


def block(fragment: str) -> str:
    """Wrap a generated block (it must start with a block-level tag) as a paragraph of its own."""
    fragment = fragment.strip()
    return f"\n\n{raw(fragment)}\n\n" if fragment else ""
