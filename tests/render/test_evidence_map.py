"""The evidence map: areas × findings by strength across all published overviews."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from kop.core.model import Overview
from kop.render.evidence_map import EXAMPLES, collect, evidence_map_page


def overview(slug: str, areas: list[str], findings: list[tuple[str, str]], title: str = "") -> Overview:
    meta = {"title": title or slug, "area": areas,
            "findings": [{"statement": s, "strength": st, "references": ["x"]} for s, st in findings]}
    return Overview(Path(f"{slug}.md"), slug, meta, "", 1)


def test_findings_are_counted_per_area_and_strength():
    ovs = [
        overview("a", ["missbruk och beroende", "samverkan och organisering"], [("A1", "stark"), ("A2", "svag")]),
        overview("b", ["samverkan och organisering"], [("B1", "stark"), ("B2", "medel")]),
    ]
    grid = collect(ovs)
    assert [f.statement for f in grid["samverkan och organisering"]["stark"]] == ["A1", "B1"]
    assert len(grid["missbruk och beroende"]["svag"]) == 1
    assert "medel" not in grid["missbruk och beroende"]


def test_page_table_links_counts_to_a_filtered_search_and_lists_examples():
    ovs = [overview("a", ["missbruk och beroende"], [("Ömsesidig respekt", "stark"), ("Klimat", "svag")],
                    title="Framgång <b>")]
    html = evidence_map_page(ovs)
    soup = BeautifulSoup(html.split("---", 2)[2], "html.parser")
    row = soup.select_one("table.kop-evidence-map tbody tr")
    assert row.th.get_text() == "Missbruk och beroende"
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells == ["1", "0", "1"]  # stark, medel, svag
    link = row.find("a", href="../sok/?area=missbruk%20och%20beroende&strength=stark")
    assert link is not None and link.get_text() == "1" and link["aria-label"].startswith("1 slutsats ")
    assert soup.find(id="omrade-missbruk-och-beroende-stark") is not None
    section = soup.find(id="omrade-missbruk-och-beroende-stark").find_next("ul")
    assert "Ömsesidig respekt" in section.get_text()
    assert section.a["href"] == "../oversikter/a/#resultat-i-korthet"
    assert "Framgång &lt;b&gt;" in html and "Framgång <b>" not in html
    assert "Stark evidens" in soup.find(id="omrade-missbruk-och-beroende-stark").get_text()


def test_empty_site_says_so():
    assert "inga slutsatser" in evidence_map_page([])


def test_page_stays_small_however_many_findings():
    """Each area and strength shows a few examples and links the rest to the filtered search."""
    ovs = [overview(f"o{i}", ["barn och unga"], [(f"Slutsats {i}-{j}", "medel") for j in range(5)])
           for i in range(200)]
    html = evidence_map_page(ovs)
    soup = BeautifulSoup(html.split("---", 2)[2], "html.parser")
    items = soup.find(id="omrade-barn-och-unga-medel").find_next("ul").find_all("li")
    assert len(items) == EXAMPLES + 1
    more = items[-1].a
    assert more["href"] == "../sok/?area=barn%20och%20unga&strength=medel"
    assert "(1000 slutsatser)" in items[-1].get_text()
    assert len(soup.find_all("li")) == EXAMPLES + 1
