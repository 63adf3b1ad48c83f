"""Issue 13's page and listing rendering: page order, the two kinds of grade, the legend page,
the summary-of-findings table, the new sections, and status and example marks in every listing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup

from kop.cite.apa import Formatted, anchor
from kop.core.model import Overview
from kop.render.evidence_map import collect, evidence_map_page
from kop.render.facets import facet_values
from kop.render.fragments import MARKERS
from kop.render.legend import legend_page
from kop.render.listings import area_pages, catalogue_pages, references_pages, start_section
from kop.render.overview import render_overview
from kop.render.sections import PLAIN_PARTS
from kop.schema.load import certainty_levels, vocabularies

CERTAIN = {"level": "måttlig", "assessed_by": "Testforskare A", "motivation": "Få men samstämmiga studier."}
SOURCE = {"grade": "Stark", "source": "src", "scale": "Källans tregradiga skala: stark, medel, svag."}


def meta(**extra) -> dict:
    base = {
        "id": "kop-2024-009", "title": "Test <b>översikt</b>", "status": "publicerad", "example": True,
        "question": "Vad vet vi om <i>x</i>?", "summary": "Kort fri sammanfattning.",
        "authors": [{"name": "Testforskare A", "affiliation": "Testlärosätet", "role": "forskare"}],
        "question_from": [{"organisation": "Testkommunen", "role": "frågeställare"}],
        "area": ["barn och unga"], "method": "systematisk översikt", "published": "2024-03-15",
        "findings": [
            {"statement": "Egen <script>bedömning</script>.", "certainty": CERTAIN, "references": ["a"],
             "studies": 4, "participants": 1200, "designs": ["enkätstudie", "intervjustudie"]},
            {"statement": "Bara källans gradering.", "source_grade": SOURCE, "references": ["a"]},
        ],
    }
    base.update(extra)
    return base


def ov(slug: str = "test", **extra) -> Overview:
    return Overview(Path(f"{slug}.md"), slug, meta(**extra), "## Bakgrund\n\nText.\n", 1)


FORMATTED = Formatted(entries={"a": "Andersson, J., Berg, K., &amp; Ek, L. (2011). <i>Titel A</i>.",
                               "src": "Löfström, M. (u.å.). <i>Presentation</i>."},
                      order=["a", "src"])


def soup_of(markdown: str) -> BeautifulSoup:
    body = markdown.split("---", 2)[2]
    for marker in MARKERS:
        body = body.replace(marker, "")
    return BeautifulSoup(body, "html.parser")


def page(overview: Overview) -> str:
    return render_overview(overview, FORMATTED, today=date(2026, 11, 23))


# ---------------------------------------------------------------- overview page


def test_page_order_puts_question_summary_and_findings_before_authors_and_method():
    text = page(ov())
    order = [text.index(s) for s in ("# ", "kop-question", "## Sammanfattning {#sammanfattning}",
                                     "## Resultat i korthet {#resultat-i-korthet}", "<dt>Författare</dt>",
                                     "<dt>Frågan kommer från</dt>", "<dt>Metod</dt>", "<dt>Datum</dt>",
                                     "## Bakgrund")]
    assert order == sorted(order)
    # the title is the page's Markdown h1 (the skip link's target, first in the table of contents)
    assert "\n# \x0eTest &lt;b&gt;översikt&lt;/b&gt;\x0f {#kop-titel}" in text
    assert text.index("kop-status--publicerad") < text.index("{#kop-titel}")
    assert "Exempel" in text[: text.index("kop-question")]


def test_structured_plain_language_replaces_the_free_summary_on_the_page():
    plain = {key: f"Text om {key} <em>." for key, _ in PLAIN_PARTS}
    soup = soup_of(page(ov(plain_language=plain)))
    parts = soup.select(".kop-plain p")
    assert [p.strong.get_text() for p in parts] == [f"{label}." for _, label in PLAIN_PARTS]
    assert "Text om why <em>." in parts[0].get_text()  # escaped, not markup
    assert soup.select_one(".kop-summary") is None
    # the free summary still feeds the search result (as an attribute, not page text)
    assert soup.find(attrs={"data-pagefind-meta": "summary[data-kop-value]"})["data-kop-value"] == \
        "Kort fri sammanfattning."
    only = soup_of(page(ov()))
    assert only.select_one("p.kop-summary").get_text() == "Kort fri sammanfattning."


def test_summary_of_findings_table_has_caption_scopes_counts_and_both_kinds_of_grade_apart():
    soup = soup_of(page(ov()))
    table = soup.select_one("table.kop-sof")
    assert table.caption.get_text().startswith("Slutsatserna")
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col"] * 5
    own, sourced = table.tbody.find_all("tr")
    assert own.th["scope"] == "row" and "Egen <script>bedömning</script>." in own.th.get_text()
    assert own.find("td", attrs={"data-label": "Antal studier"}).get_text() == "4 studier (1\u00a0200 deltagare)"
    assert "enkätstudie, intervjustudie" in own.get_text()
    badge = own.select_one("a.kop-certainty")
    assert badge.get_text(" ", strip=True) == "⊕⊕⊕◯ Evidensstyrka: Måttlig"
    assert badge["href"] == "../../evidensstyrka/#mattlig"
    assert badge.select_one(".kop-certainty__symbol")["aria-hidden"] == "true"
    assert "Bedömd av Testforskare A." in own.get_text()
    grade = sourced.select_one("a.kop-source-grade")
    assert grade.get_text() == "Enligt källan: Stark" and grade["href"] == "../../evidensstyrka/#enligt-kallan"
    cell = grade.find_parent("td")
    assert "evidens" not in cell.get_text().lower()  # a source's grade is never called evidens
    assert "Källans skala: Källans tregradiga skala" in cell.get_text()
    assert cell.find("a", href=f"#{anchor('src')}") is not None  # the source's citation, linked
    assert sourced.find("td", attrs={"data-label": "Antal studier"}).get_text() == "Uppgift saknas"
    refs = own.find("td", attrs={"data-label": "Referenser"})
    assert refs.a["href"] == f"#{anchor('a')}"


def test_included_studies_gaps_funding_conflicts_and_review_sections():
    extra = {
        "included_studies": [{"key": "a", "design": "enkät<script>", "country": "Sverige", "quality": "Låg risk"}],
        "knowledge_gaps": ["Ingen studie om äldre."], "funding": "Testfonden.",
        "conflicts_of_interest": "Inga.",
        "review": [{"name": "Granskare G", "affiliation": "Testuniversitetet", "date": date(2024, 5, 2),
                    "role": "extern granskare"}],
    }
    text = page(ov(**extra))
    order = [text.index(f"## {h}") for h in ("Bakgrund", "Inkluderade studier", "Kunskapsluckor", "Finansiering",
                                             "Intressekonflikter", "Granskning", "Referenser")]
    assert order == sorted(order)
    soup = soup_of(text)
    row = soup.select_one("table.kop-studies tbody tr")
    assert row.th.a["href"] == f"#{anchor('a')}" and row.th.a.get_text() == "Andersson m.fl. (2011)"
    assert soup.find(id=anchor("a")) is not None  # the row's target is in the page's reference list
    assert "enkät<script>" in row.get_text() and "<script>" not in text.split("kop-studies")[1].split("</table>")[0]
    assert [th.get_text() for th in soup.select("table.kop-studies thead th")] == [
        "Studie", "Design", "Land", "Kvalitet eller risk för bias"]  # empty columns are left out
    review = soup.select_one("ul.kop-review li")
    assert "Granskare G, Testuniversitetet" in review.get_text() and review.time["datetime"] == "2024-05-02"
    assert soup.select_one(".kop-gaps li").get_text() == "Ingen studie om äldre."
    assert "## Kunskapsluckor" not in page(ov())  # sections only when the overview has them


# ---------------------------------------------------------------- legend page


def test_legend_page_explains_every_level_from_the_vocabulary_and_source_grades():
    soup = soup_of(legend_page())
    levels = certainty_levels()
    assert len(levels) == 4
    for level in levels:
        node = soup.find(id=level["anchor"])
        assert node is not None, level
        assert level["label"] in node.get_text() and level["description"] in node.get_text()
    assert [n["id"] for n in soup.select(".kop-legend__level")] == ["hog", "mattlig", "lag", "mycket-lag"]
    section = soup.find(id="enligt-kallan")
    assert section.name == "h2" and "inte KÖP:s bedömning" in section.find_next("p").get_text()


# ---------------------------------------------------------------- facets and evidence map


def test_filters_use_only_kops_certainty():
    values = facet_values(meta())
    assert values["certainty"] == ["måttlig"]
    assert "Stark" not in str(values)


def test_evidence_map_counts_only_certainty_lists_source_grades_apart_and_marks_outdated():
    fresh = ov("fresh")
    old = ov("old", status="inaktuell", title="Gammal", example=False)
    grid, sourced = collect([fresh, old])
    assert len(grid["barn och unga"]["måttlig"]) == 2
    assert [f.overview.slug for f in sourced["barn och unga"]] == ["old", "fresh"]  # by title: "Gammal" first
    soup = soup_of(evidence_map_page([fresh, old]))
    table = soup.select_one("table.kop-evidence-map")
    heads = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
    assert heads[1:] == [f'{lv["label"]} {lv["symbol"]}' for lv in certainty_levels()]
    assert "Stark" not in table.get_text() and "källan" not in table.get_text()
    cell = table.tbody.find_all("td")[1]
    assert cell.a.get_text() == "2" and "varav 1 ej aktuella" in cell.get_text()
    assert cell.a["href"] == "../sok/?area=barn%20och%20unga&certainty=m%C3%A5ttlig"
    outdated = soup.select_one("li.kop-map-finding--outdated")
    assert "Inaktuell" in outdated.get_text()
    apart = soup.find(id="kallans-gradering").find_parent("section")
    entries = apart.select("li")
    assert len(entries) == 2  # one per overview, each with its count and one example
    assert all("Enligt källan: Stark" in li.get_text() and "Bara källans gradering." in li.get_text()
               and "1 slutsats" in li.get_text() for li in entries)
    assert "Exempel" in entries[1].get_text() and "Publicerad" in entries[1].get_text()
    assert "Inaktuell" in entries[0].get_text()
    assert soup.find(id="kallans-gradering").find_previous("table") is table  # after the counts, apart


# ---------------------------------------------------------------- listings


def test_catalogue_and_area_rows_say_status_in_words_and_mark_examples():
    ovs = [ov("a"), ov("b", status="under-uppdatering", example=False, title="Uppdateras")]
    rows = soup_of(catalogue_pages(ovs)["oversikter/index.md"]).select("table.kop-catalogue tbody tr")
    by_title = {r.td.a.get_text(): r for r in rows}
    assert by_title["Test <b>översikt</b>"].select_one(".kop-example-mark").get_text() == "Exempel"
    assert by_title["Uppdateras"].select_one(".kop-example-mark") is None
    assert by_title["Uppdateras"].find("td", attrs={"data-label": "Status"}).get_text() == "Under uppdatering"
    assert by_title["Uppdateras"]["data-certainty"] == "måttlig"
    area = soup_of(area_pages(ovs)["omraden/barn-och-unga/index.md"])
    assert "Exempel" in area.get_text() and "Under uppdatering" in area.get_text()


def test_catalogue_filter_offers_certainty_levels_only():
    soup = soup_of(catalogue_pages([ov()])["oversikter/index.md"])
    options = [o.get_text() for o in soup.select("#kop-filter-certainty option")]
    assert options == ["Alla", "Måttlig"]
    assert soup.find(id="kop-filter-strength") is None


def test_references_cited_in_and_start_page_carry_status_and_example_mark():
    ovs = [ov("a"), ov("b", status="granskning", example=False, title="Granskas")]
    refs = soup_of(references_pages(ovs, FORMATTED)["referenser.md"])
    cited = refs.find(id=anchor("a")).select_one(".kop-cited-by")
    assert "Publicerad" in cited.get_text() and "Exempel" in cited.get_text()
    assert "Under granskning" in cited.get_text()
    start = BeautifulSoup(start_section(ovs), "html.parser")
    items = start.select(".kop-home-latest li")
    assert all(li.select_one(".kop-status") for li in items)
    assert [bool(li.select_one(".kop-example-mark")) for li in items].count(True) == 1
    assert {item["value"] for item in vocabularies()["statuses"]} >= {"granskning", "publicerad"}


def test_short_reference_follows_apa_for_one_two_and_more_authors():
    from kop.render.sof import short_reference

    entries = Formatted(entries={"one": "Löfström, M. (u.å.). <i>X</i>.",
                                 "two": "Ahgren, B., &amp; Axelsson, R. (2011). <i>Y</i>.",
                                 "many": "Andersson, J., Berg, K., &amp; Ek, L. (2011). <i>Z</i>.",
                                 "org": "Socialstyrelsen. (2020). <i>W</i>."})
    assert short_reference("one", entries) == "Löfström (u.å.)"
    assert short_reference("two", entries) == "Ahgren och Axelsson (2011)"
    assert short_reference("two", entries, narrative=False) == "Ahgren &amp; Axelsson, 2011"
    assert short_reference("many", entries) == "Andersson m.fl. (2011)"
    assert short_reference("org", entries, narrative=False) == "Socialstyrelsen, 2020"
    assert short_reference("missing", entries) == "missing"
