"""Draw the PRISMA 2020 flow diagram of an overview as inline, accessible SVG.

The diagram is text, not a picture of text: every box label is a real ``<text>``
element, so it scales, prints sharply, can be searched and copied. The SVG has
``role="img"`` with a ``<title>`` and a ``<desc>`` that says the same as the boxes,
and a ``<details>`` list repeats the numbers for readers who cannot see the drawing.
Pure functions: front-matter counts in, HTML out.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

NOT_REPORTED = "ej redovisat"

# Layout in SVG user units; the viewBox scales to the column width.
WIDTH = 640
BAR_W = 28
MAIN_X, MAIN_W = 44, 290
SIDE_X, SIDE_W = 380, 252
BOX_H = 74
ROW_Y = (8, 112, 216, 320)
HEIGHT = ROW_Y[-1] + BOX_H + 8
LINE_H = 17


def number(value: Any) -> str:
    """Swedish number style: thousands separated by a no-break space (13 132)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return NOT_REPORTED
    return f"{value:,}".replace(",", "\u00a0")


def _n(value: Any) -> str:
    return f"(n = {number(value)})"


@dataclass(frozen=True)
class Box:
    """One box of the diagram: where it is and its lines of text."""

    x: int
    y: int
    w: int
    lines: tuple[str, ...]
    css: str = "kop-prisma__box"


def boxes(counts: Mapping[str, Any]) -> list[Box]:
    """The boxes of the PRISMA 2020 flow (new reviews, databases only), top to bottom."""
    return [
        Box(MAIN_X, ROW_Y[0], MAIN_W, ("Poster som identifierades", "i databassökningar",
                                       _n(counts.get("identified")))),
        Box(SIDE_X, ROW_Y[0], SIDE_W, ("Poster som togs bort", "före granskning (dubbletter)",
                                       _n(counts.get("duplicates_removed")))),
        Box(MAIN_X, ROW_Y[1], MAIN_W, ("Poster som granskades", "(titel och sammanfattning)",
                                       _n(counts.get("screened")))),
        Box(SIDE_X, ROW_Y[1], SIDE_W, ("Poster som exkluderades", _n(counts.get("screened_excluded")))),
        Box(MAIN_X, ROW_Y[2], MAIN_W, ("Rapporter som bedömdes", "i fulltext", _n(counts.get("full_text_assessed")))),
        Box(SIDE_X, ROW_Y[2], SIDE_W, ("Rapporter som exkluderades", "efter fulltextläsning",
                                       _n(counts.get("full_text_excluded")))),
        Box(MAIN_X, ROW_Y[3], MAIN_W, ("Studier som ingår", "i översikten", _n(counts.get("included"))),
            "kop-prisma__box kop-prisma__box--included"),
    ]


def description(counts: Mapping[str, Any]) -> list[str]:
    """The flow in words, one sentence per step, for ``<desc>`` and the text alternative."""
    return [
        f"Identifiering: {number(counts.get('identified'))} poster hittades i databassökningar; "
        f"{number(counts.get('duplicates_removed'))} dubbletter togs bort före granskning.",
        f"Granskning: {number(counts.get('screened'))} poster granskades på titel och sammanfattning; "
        f"{number(counts.get('screened_excluded'))} exkluderades.",
        f"Fulltext: {number(counts.get('full_text_assessed'))} rapporter bedömdes i fulltext; "
        f"{number(counts.get('full_text_excluded'))} exkluderades.",
        f"Inkluderade: {number(counts.get('included'))} studier ingår i översikten.",
    ]


def _text_lines(box: Box) -> str:
    first = box.y + BOX_H / 2 - (len(box.lines) - 1) * LINE_H / 2 + 5
    cx = box.x + box.w / 2
    bold = ' font-weight="700"'
    return "".join(
        f'<text x="{cx:g}" y="{first + i * LINE_H:g}" text-anchor="middle"'
        f'{bold if i == len(box.lines) - 1 else ""}>{html.escape(line)}</text>'
        for i, line in enumerate(box.lines)
    )


def _stage(label: str, top: int, bottom: int) -> str:
    cy = (top + bottom) / 2
    return (
        f'<rect class="kop-prisma__stage" x="0" y="{top}" width="{BAR_W}" height="{bottom - top}" rx="4" '
        'fill="#e8eaf6" stroke="#3f51b5"/>'
        f'<text x="{BAR_W / 2 + 5:g}" y="{cy:g}" text-anchor="middle" transform="rotate(-90 {BAR_W / 2:g} {cy:g})" '
        f'font-weight="700" font-size="12">{html.escape(label)}</text>'
    )


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="#212121" stroke-width="1.5" '
            'marker-end="url(#kop-prisma-arrow)"/>')


def prisma_svg(counts: Mapping[str, Any], title: str = "Flödesschema enligt PRISMA 2020") -> str:
    """The diagram as an inline SVG string (empty when there are no counts)."""
    if not counts:
        return ""
    parts = [
        f'<svg class="kop-prisma__svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'role="img" aria-labelledby="kop-prisma-title kop-prisma-desc" font-family="sans-serif" font-size="14" '
        'fill="#212121">',
        f'<title id="kop-prisma-title">{html.escape(title)}</title>',
        f'<desc id="kop-prisma-desc">{html.escape(" ".join(description(counts)))}</desc>',
        '<defs><marker id="kop-prisma-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#212121"/></marker></defs>',
        _stage("Identifiering", ROW_Y[0], ROW_Y[0] + BOX_H),
        _stage("Granskning", ROW_Y[1], ROW_Y[2] + BOX_H),
        _stage("Inkluderade", ROW_Y[3], ROW_Y[3] + BOX_H),
    ]
    for box in boxes(counts):
        parts.append(f'<g class="{box.css}"><rect x="{box.x}" y="{box.y}" width="{box.w}" height="{BOX_H}" '
                     f'rx="3" fill="#ffffff" stroke="#212121"/>{_text_lines(box)}</g>')
    main_cx = MAIN_X + MAIN_W / 2
    for row in range(3):
        parts.append(_arrow(main_cx, ROW_Y[row] + BOX_H, main_cx, ROW_Y[row + 1] - 2))
        parts.append(_arrow(MAIN_X + MAIN_W, ROW_Y[row] + BOX_H / 2, SIDE_X - 2, ROW_Y[row] + BOX_H / 2))
    parts.append("</svg>")
    return "".join(parts)


def prisma_figure(counts: Mapping[str, Any] | None) -> str:
    """The section for an overview page: heading, SVG, and the same numbers as a list."""
    if not counts:
        return ""
    items = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in description(counts))
    note = counts.get("note")
    note_html = f" {html.escape(' '.join(note.split()))}" if isinstance(note, str) and note.strip() else ""
    return (
        '<section class="kop-prisma">\n<h2 id="flodesschema">Flödesschema för urvalet</h2>\n'
        f'<figure class="kop-prisma__figure">{prisma_svg(counts)}'
        "<figcaption>Urvalet av studier enligt PRISMA 2020: från träffar i sökningen till studier som ingår."
        f"{note_html}</figcaption></figure>\n"
        f'<details class="kop-prisma__text"><summary>Flödesschemat som text</summary><ul>{items}</ul></details>\n'
        "</section>"
    )
