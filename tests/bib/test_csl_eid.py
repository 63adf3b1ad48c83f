"""BibTeX ``eid`` (biblatex's electronic identifier, the article number) as APA 7 writes it.

Biber reads ``eid`` as the article number of an ``@article``; APA 7 (9.27) writes an
article number as "Artikel e007" in place of the pages, as the project already does for
``pages = {e007}``. Before this mapping the field was dropped and the reference ended at
the volume. The fixture's works are made up (Testsson, Testtidskriften).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.bib.csl import to_csl
from kop.bib.load import load_bibliography
from kop.cite.apa import format_all
from kop.cite.scan import scan_citations
from kop.core.model import Reference

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cite" / "eid-forthcoming.bib"


@pytest.fixture(scope="module")
def loaded() -> tuple[dict[str, Reference], list[tuple[str, str, int]], dict[str, str]]:
    refs, diagnostics = load_bibliography(FIXTURE, display="references.bib")
    citations = scan_citations(" ".join(f"[@{key}]" for key in sorted(refs)))
    entries = dict(format_all(refs, citations, None).entries)
    return refs, [(d.code, d.severity, d.line) for d in diagnostics], entries


def test_eid_is_the_article_number(loaded) -> None:
    refs, diagnostics, entries = loaded
    assert diagnostics == []
    assert refs["test-eid"].csl["number"] == "e007"
    assert "page" not in refs["test-eid"].csl
    assert entries["test-eid"] == (
        "Testsson, T. (2022). En påhittad artikel med eid. <em>Testtidskriften</em>, <em>11</em>, Artikel e007."
    )


def test_eid_beside_an_issue_number_keeps_both(loaded) -> None:
    refs, _, entries = loaded
    assert refs["test-eid-nummer"].csl["issue"] == "2"
    assert entries["test-eid-nummer"].endswith("<em>3</em>(2), Artikel e12.")


def test_eid_takes_the_place_of_pages_as_in_apa() -> None:
    csl = to_csl("test-sidor", "article", {"title": "T", "journal": "J", "pages": "1--12", "eid": "e5"})
    assert csl["number"] == "e5"  # the style prints the article number, not the pages, when both exist


@pytest.mark.parametrize("entry_type", ["book", "techreport", "incollection"])
def test_eid_outside_journal_articles_is_not_a_report_or_series_number(entry_type: str) -> None:
    csl = to_csl("test-annat", entry_type, {"title": "T", "eid": "e5"})
    assert "number" not in csl and "collection-number" not in csl
