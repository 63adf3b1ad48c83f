"""The evidence map: areas × findings by KÖP's own certainty across all published overviews; source grades apart."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from kop.core.model import Overview
from kop.render.evidence_map import EXAMPLES, collect, evidence_map_page


def finding(statement: str, level: str) -> dict:
    """``level`` is a certainty level, or ``källa:<grade>`` for a grade a source reports itself."""
    if level.startswith("källa:"):
        grade = {"grade": level.split(":", 1)[1], "source": "y", "scale": "Källans skala."}
        return {"statement": statement, "source_grade": grade, "references": ["x"]}
    return {"statement": statement, "certainty": {"level": level, "assessed_by": "T"}, "references": ["x"]}


def overview(slug: str, areas: list[str], findings: list[tuple[str, str]], title: str = "") -> Overview:
    meta = {"title": title or slug, "area": areas,
            "findings": [finding(s, st) for s, st in findings]}
    return Overview(Path(f"{slug}.md"), slug, meta, "", 1)


def test_findings_are_counted_per_area_and_certainty_and_source_grades_apart():
    ovs = [
        overview("a", ["missbruk och beroende", "samverkan och organisering"], [("A1", "hög"), ("A2", "låg")]),
        overview("b", ["samverkan och organisering"], [("B1", "hög"), ("B2", "måttlig"), ("B3", "källa:stark")]),
    ]
    grid, sourced = collect(ovs)
    assert [f.statement for f in grid["samverkan och organisering"]["hög"]] == ["A1", "B1"]
    assert len(grid["missbruk och beroende"]["låg"]) == 1
    assert "måttlig" not in grid["missbruk och beroende"]
    assert all("B3" not in [f.statement for f in cell] for cell in grid["samverkan och organisering"].values())
    assert [f.statement for f in sourced["samverkan och organisering"]] == ["B3"]


def test_page_table_links_counts_to_a_filtered_search_and_lists_examples():
    ovs = [overview("a", ["missbruk och beroende"], [("Ömsesidig respekt", "hög"), ("Klimat", "låg")],
                    title="Framgång <b>")]
    html = evidence_map_page(ovs)
    soup = BeautifulSoup(html.split("---", 2)[2], "html.parser")
    row = soup.select_one("table.kop-evidence-map tbody tr")
    assert row.th.get_text() == "Missbruk och beroende"
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells == ["1", "0", "1", "0"]  # hög, måttlig, låg, mycket låg
    link = row.find("a", href="../sok/?area=missbruk%20och%20beroende&certainty=h%C3%B6g")
    assert link is not None and link.get_text() == "1" and link["aria-label"].startswith("1 slutsats ")
    assert soup.find(id="omrade-missbruk-och-beroende-hog") is not None
    section = soup.find(id="omrade-missbruk-och-beroende-hog").find_next("ul")
    assert "Ömsesidig respekt" in section.get_text()
    assert section.a["href"] == "../oversikter/a/#resultat-i-korthet"
    assert "Framgång &lt;b&gt;" in html and "Framgång <b>" not in html
    assert "Evidensstyrka: Hög" in soup.find(id="omrade-missbruk-och-beroende-hog").get_text()


def test_empty_site_says_so():
    assert "inga slutsatser" in evidence_map_page([])


def test_page_stays_small_however_many_findings():
    """Each area and strength shows a few examples and links the rest to the filtered search."""
    ovs = [overview(f"o{i}", ["barn och unga"], [(f"Slutsats {i}-{j}", "måttlig") for j in range(5)])
           for i in range(200)]
    html = evidence_map_page(ovs)
    soup = BeautifulSoup(html.split("---", 2)[2], "html.parser")
    items = soup.find(id="omrade-barn-och-unga-mattlig").find_next("ul").find_all("li")
    assert len(items) == EXAMPLES + 1
    more = items[-1].a
    assert more["href"] == "../sok/?area=barn%20och%20unga&certainty=m%C3%A5ttlig"
    assert "(1000 slutsatser)" in items[-1].get_text()
    assert len(soup.find_all("li")) == EXAMPLES + 1
