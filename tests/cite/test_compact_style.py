"""The compact copy of the CSL style Pandoc reads means exactly what the style file means."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kop.bib.load import load_bibliography
from kop.cite import apa, batch
from kop.cite.batch import compact_style, style_path
from kop.cite.order import order_style
from kop.cite.scan import scan_citations
from tests.cite.test_formatting import BODY, HERE


def _tree(element: ET.Element) -> tuple:
    text = (element.text or "").strip()
    return (element.tag, sorted(element.attrib.items()), text, [_tree(child) for child in element])


@pytest.mark.parametrize("style", [style_path(), order_style()], ids=["apa", "order"])
def test_the_compact_copy_is_the_same_tree_and_much_smaller(style: Path, tmp_path: Path) -> None:
    compact = compact_style(style, tmp_path)
    original = style.read_text(encoding="utf-8")
    text = compact.read_text(encoding="utf-8")
    assert "<!--" not in text and "\n  " not in text and len(text) < 0.7 * len(original)
    assert _tree(ET.fromstring(text.encode())) == _tree(ET.fromstring(original.encode()))
    for element in ET.fromstring(original.encode()).iter():  # no text that is only whitespace is lost
        assert element.text is None or element.text.strip() or "\n" in element.text, element.tag
    assert style.read_text(encoding="utf-8") == original  # the style file itself is never changed


def test_pandoc_formats_alike_with_the_compact_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    refs, diags = load_bibliography(HERE / "fixtures" / "formatting" / "cases.bib")
    assert [d for d in diags if d.severity == "error"] == []
    cits = scan_citations(BODY)
    pages = {"a": cits[:6], "b": cits[6:]}
    compact = apa.format_all(refs, cits, None, pages=pages)
    monkeypatch.setattr(batch, "compact_style", lambda style, folder: style)
    monkeypatch.setattr(apa, "compact_style", lambda style, folder: style)
    plain = apa.format_all(refs, cits, None, pages=pages)
    assert compact.entries == plain.entries and compact.clusters == plain.clusters and compact.order == plain.order
    assert {k: (v.entries, v.clusters) for k, v in compact.pages.items()} == \
        {k: (v.entries, v.clusters) for k, v in plain.pages.items()}
    assert len(compact.entries) == len(refs) and compact.clusters
