"""The PRISMA 2020 flow diagram: real text, accessible SVG, correct numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kop.render.prisma import number, prisma_figure, prisma_svg

SVG = "{http://www.w3.org/2000/svg}"
COUNTS = {  # Andersson et al. (2011), as in the shipped overview
    "identified": 13132, "screened": 13132, "screened_excluded": 12927,
    "full_text_assessed": 205, "full_text_excluded": 143, "included": 62,
}


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_swedish_thousands_separator_and_missing_values():
    assert number(13132) == "13\u00a0132"
    assert number(62) == "62"
    assert number(None) == "ej redovisat"
    assert number(True) == "ej redovisat"


def test_every_count_is_real_text_in_its_box():
    labels = texts(prisma_svg(COUNTS))
    for value in (13132, 12927, 205, 143, 62):
        assert f"(n = {number(value)})" in labels
    assert labels.count("(n = 13\u00a0132)") == 2  # identified and screened
    assert "(n = ej redovisat)" in labels  # duplicates not reported
    assert {"Identifiering", "Granskning", "Inkluderade"} <= set(labels)


def test_svg_is_an_accessible_image_with_title_and_description():
    root = ET.fromstring(prisma_svg(COUNTS))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "kop-prisma-title kop-prisma-desc"
    assert root.find(f"{SVG}title").get("id") == "kop-prisma-title"
    desc = root.find(f"{SVG}desc").text
    assert "13\u00a0132 poster" in desc and "62 studier" in desc and "143 exkluderades" in desc
    assert root.find(f"{SVG}image") is None  # no picture of text


def test_duplicates_removed_are_shown_when_reported():
    labels = texts(prisma_svg({**COUNTS, "identified": 13200, "duplicates_removed": 68}))
    assert "(n = 68)" in labels and "(n = 13\u00a0200)" in labels
    assert "(n = ej redovisat)" not in labels


def test_values_are_escaped_and_figure_has_a_text_alternative():
    figure = prisma_figure(COUNTS)
    assert '<details class="kop-prisma__text">' in figure
    assert "Inkluderade: 62 studier ingår i översikten." in figure
    assert prisma_figure(None) == "" and prisma_figure({}) == ""
    hostile = prisma_svg({"identified": "<script>alert(1)</script>"})
    assert "<script>" not in hostile
