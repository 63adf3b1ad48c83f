"""Citable overviews: the Citera box (APA 7 via Pandoc), BibTeX and RIS downloads."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup

from kop.cite import apa as formatting
from kop.core.model import Overview
from kop.features import citable
from tests.linksite import (
    HOSTILE_TITLE,
    link_site_fixture,  # noqa: F401  (session fixture)
)


def _ov(oid: str, title: str, names: list[str], updated: str = "2024-04-01", version: str = "1.0") -> Overview:
    meta = {"id": oid, "title": title, "authors": [{"name": n} for n in names], "published": "2024-03-15",
            "updated": updated, "version": version, "keywords": ["samverkan"], "summary": "En kort\nsammanfattning."}
    return Overview(Path(f"{oid}.md"), oid, meta, "", 1)


@pytest.mark.parametrize(("name", "expected"), [
    ("Anna Andersson", {"family": "Andersson", "given": "Anna"}),
    ("Bihari Axelsson, Susanna", {"family": "Bihari Axelsson", "given": "Susanna"}),
    ("Exempelforskare A", {"literal": "Exempelforskare A"}),
    ("Platon", {"literal": "Platon"}),
])
def test_author_names_become_csl_names(name, expected):
    assert citable.split_name(name) == expected


def test_self_references_are_formatted_in_one_pandoc_run_without_year_suffixes(monkeypatch):
    runs: list[int] = []
    real = formatting._run_pandoc

    def counting(items_json: str, clusters: list[str], *rest) -> str:
        runs.append(1)
        return real(items_json, clusters, *rest)

    monkeypatch.setattr(formatting, "_run_pandoc", counting)
    ovs = [_ov("kop-2024-001", "Första", ["Anna Andersson"]), _ov("kop-2024-002", "Andra", ["Bo Berg"]),
           _ov("kop-2024-003", "Tredje", ["Cecilia Ek"])]
    apa = citable.self_references(ovs, "https://kop.example.org/", "KÖP", None)
    assert len(runs) == 1
    assert apa["kop-2024-001"] == ("Andersson, A. (2024). <em>Första</em> (Version 1.0) [Kunskapsöversikt]. KÖP. "
                                   '<a href="https://kop.example.org/k/kop-2024-001/">'
                                   "https://kop.example.org/k/kop-2024-001/</a>")
    # same authors, same year: each box must still say plain "2024", never "2024a"/"2024b"
    twins = [_ov("kop-2024-001", "Första", ["Anna Andersson"]), _ov("kop-2024-002", "Andra", ["Anna Andersson"])]
    apa = citable.self_references(twins, "https://kop.example.org/", "KÖP", None)
    assert all("(2024)." in html for html in apa.values()), apa


def test_bibtex_parses_with_a_real_parser_and_escapes_special_characters():
    ov = _ov("kop-2024-001", "Hälsa & {vård} 100 % – del_1", ["Anna Andersson", "Exempelforskare A"])
    text = citable.bibtex(ov, "https://kop.example.org/k/kop-2024-001/", "KÖP")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert (entry.entry_type, entry.key) == ("techreport", "kop-2024-001")
    assert entry["author"] == "Andersson, Anna and {Exempelforskare A}"
    assert entry["title"] == r"{Hälsa \& \{vård\} 100 \% – del\_1}"
    assert (entry["year"], entry["date"], entry["version"]) == ("2024", "2024-04-01", "1.0")
    assert entry["url"] == "https://kop.example.org/k/kop-2024-001/"


def test_ris_record_has_crlf_lines_and_the_fields_reference_managers_read():
    ov = _ov("kop-2024-001", "Första", ["Anna Andersson", "Exempelforskare A"])
    text = citable.ris(ov, "https://kop.example.org/k/kop-2024-001/", "KÖP")
    assert text.endswith("ER  - \r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert "AU  - Andersson, Anna" in lines and "AU  - Exempelforskare A" in lines
    assert {"TI  - Första", "PY  - 2024", "DA  - 2024/04/01", "ET  - Version 1.0", "UR  - "
            "https://kop.example.org/k/kop-2024-001/", "AB  - En kort sammanfattning."} <= set(lines)


@pytest.mark.slow
def test_citera_box_on_the_built_page(link_site):
    site = link_site / "site"
    page = BeautifulSoup((site / "oversikter" / "testoversikt" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    box = page.select_one("section.kop-cite-box")
    assert box.select_one("h2").get_text(strip=True).startswith("Citera")
    ref = box.select_one("#kop-cite-apa").get_text(" ", strip=True)
    # the fixture's overview is a demonstration example, and its reference says so
    assert ref == ("Testforskare A, & Testpraktiker B. (2024). Testöversikt om samverkan (Version 1.0) "
                   "[Demonstrationsexempel, inte en riktig kunskapsöversikt]. KÖP – samverkan mellan lärosäte, "
                   "kommuner och regioner. "
                   "https://kop.example.org/k/kop-2024-001/")
    assert "version 1.0" in box.get_text() and "2024-04-01" in box.get_text()
    # without JavaScript the copy buttons stay hidden and the downloads are plain links
    assert all(b.has_attr("hidden") for b in box.select("button[data-kop-copy]"))
    for name in ("citera.bib", "citera.ris"):
        assert box.select_one(f"a[href='{name}']") is not None
        assert (site / "oversikter" / "testoversikt" / name).is_file()
    bib = bibtexparser.parse_string((site / "oversikter" / "testoversikt" / "citera.bib").read_text(encoding="utf-8"))
    assert bib.entries[0].key == "kop-2024-001"
    assert box.select_one("#kop-cite-bibtex").get_text().startswith("@techreport{kop-2024-001,")
    assert (site / "assets" / "kop" / "cite.js").is_file()


@pytest.mark.slow
def test_hostile_title_is_text_in_the_box_and_the_files(link_site):
    site = link_site / "site"
    html = (site / "oversikter" / "annan-oversikt" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    box = BeautifulSoup(html, "html.parser").select_one("section.kop-cite-box")
    apa = box.select_one("#kop-cite-apa")
    assert apa.find("script") is None
    assert "& <script>alert(1)</script> – test (Version 1.1)" in apa.get_text(" ", strip=True)  # shown as text
    ris = (site / "oversikter" / "annan-oversikt" / "citera.ris").read_text(encoding="utf-8")
    assert f"TI  - {HOSTILE_TITLE}" in ris.splitlines()
