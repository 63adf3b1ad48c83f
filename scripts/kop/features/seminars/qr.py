"""QR codes (SVG and PNG) of a seminar's absolute address, for printed posters.

Made with ``segno`` (pure Python, offline). Error correction level M survives a little
wear on a poster; the quiet zone is the standard four modules. Both outputs depend only
on the URL, so builds are reproducible.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a code is drawn: `kop check` never needs it
    import segno


def _code(url: str) -> segno.QRCode:
    import segno

    return segno.make(url, error="m", micro=False)


def svg(url: str, title: str) -> bytes:
    """A scalable SVG with a title (screen readers) and a white background (prints on any paper)."""
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=8, border=4, dark="#000", light="#fff", title=title,
                    desc=url, xmldecl=True, svgns=True, encoding="utf-8")
    return out.getvalue()


def png(url: str, scale: int = 10) -> bytes:
    """A PNG large enough to print sharply at poster size (``scale`` pixels per module)."""
    out = io.BytesIO()
    _code(url).save(out, kind="png", scale=scale, border=4, dark="#000", light="#fff")
    return out.getvalue()
