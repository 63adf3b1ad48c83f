"""The example mark in every export (issue 13, item 8), read back from one real build.

The scratch project has a demonstration overview (``example: true``) and a real one, and a
demonstration seminar next to a real one. Each test reads one output of the built site
(feed, Citera box, BibTeX, RIS, JSON-LD, ``citation_*`` tags, .ics, the three invitation
formats, the seminar listings) and checks that the example says so and the real one does not.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from kop.core.model import Overview
from kop.features import citable
from kop.render.headmeta import overview_head, with_pdf_url
from tests.conftest import FIXTURES, REPO

pytestmark = pytest.mark.slow

A = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://kop.example.org/"
OVERVIEW_SENTENCE = "Detta är ett demonstrationsexempel, inte en riktig kunskapsöversikt."
SEMINAR_SENTENCE = "Detta är ett demonstrationsexempel, inte ett riktigt seminarium."
NOTE = "Demonstrationsexempel, inte en riktig kunskapsöversikt"
EXAMPLE_TITLE = "Testöversikt om samverkan"
REAL_TITLE = "En riktig testöversikt om samverkan"
EXAMPLE_SEMINAR = "Ett exempelseminarium om samverkan"


def _overviews() -> dict[str, str]:
    """The valid fixture (an example) and a copy of it that is a real overview."""
    base = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")
    assert "example: true" in base and f"title: {EXAMPLE_TITLE}" in base
    real = (base.replace("example: true", "example: false").replace("id: kop-2024-001", "id: kop-2024-002")
            .replace(f"title: {EXAMPLE_TITLE}", f"title: {REAL_TITLE}"))
    return {"exempel.md": base, "riktig.md": real}


def _seminars() -> dict[str, str]:
    """The upcoming fixture seminar (real) and a demonstration copy of it."""
    base = (FIXTURES / "seminars" / "kommande-seminarium.md").read_text(encoding="utf-8")
    example = base.replace("title: Testseminarium om samverkan", f"title: {EXAMPLE_SEMINAR}\nexample: true", 1)
    assert example != base
    return {"kommande-seminarium.md": base, "exempelseminarium.md": example}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kop.core.project import load_project
    from kop.features.registry import register
    from kop.site.build import build
    from kop.site.checking import check
    from kop.site.routes import predicted_addresses

    root = tmp_path_factory.mktemp("examplemark") / "project"
    (root / "overviews").mkdir(parents=True)
    for name, text in _overviews().items():
        (root / "overviews" / name).write_text(text, encoding="utf-8")
    (root / "seminars").mkdir()
    for name, text in _seminars().items():
        (root / "seminars" / name).write_text(text, encoding="utf-8")
    shutil.copy(FIXTURES / "project" / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    before = check(load_project(root))
    assert before.ok, before.diagnostics
    register(before, predicted_addresses(before))
    result = build(load_project(root))
    assert result.ok, [d for d in result.diagnostics if d.severity == "error"]
    return root / "site"


def _page(site: Path, address: str) -> BeautifulSoup:
    return BeautifulSoup((site / address / "index.html").read_text(encoding="utf-8"), "html.parser")


def _metas(page: BeautifulSoup, attr: str, name: str) -> list[str]:
    return [m["content"] for m in page.head.find_all("meta", attrs={attr: name})]


# --- overviews --------------------------------------------------------------------------------------------------


def test_feed_entry_of_an_example_is_titled_and_summarised_as_one(site):
    entries = {e.findtext(f"{A}id"): e for e in ET.parse(site / "feed.xml").getroot().findall(f"{A}entry")}
    example, real = entries[f"{SITE_URL}k/kop-2024-001/"], entries[f"{SITE_URL}k/kop-2024-002/"]
    assert example.findtext(f"{A}title") == f"Exempel: {EXAMPLE_TITLE}"
    assert example.findtext(f"{A}summary").startswith(OVERVIEW_SENTENCE + " ")
    assert real.findtext(f"{A}title") == REAL_TITLE
    assert "demonstrationsexempel" not in real.findtext(f"{A}summary")


def test_apa_reference_in_the_citera_box_says_it_is_an_example(site):
    box = _page(site, "oversikter/exempel").select_one("section.kop-cite-box")
    apa = box.select_one("#kop-cite-apa").get_text(" ", strip=True)
    assert f"{EXAMPLE_TITLE} (Version 1.0) [{NOTE}]." in apa
    assert OVERVIEW_SENTENCE in box.select_one(".kop-cite-example").get_text()
    # the CSL-JSON item behind it (the form reference managers exchange) carries the same note
    example = Overview(Path("exempel.md"), "exempel", {"id": "kop-2024-001", "title": EXAMPLE_TITLE,
                                                       "example": True}, "", 1)
    item = citable.csl_item(example, f"{SITE_URL}k/kop-2024-001/", "KÖP")
    assert (item["note"], item["genre"]) == (NOTE, NOTE)
    real = _page(site, "oversikter/riktig").select_one("section.kop-cite-box")
    real_apa = real.select_one("#kop-cite-apa").get_text(" ", strip=True)
    assert f"{REAL_TITLE} (Version 1.0) [Kunskapsöversikt]." in real_apa
    assert real.select_one(".kop-cite-example") is None and "xempel" not in real.get_text()


def test_bibtex_of_an_example_has_the_note_and_type(site):
    (entry,) = bibtexparser.parse_string((site / "oversikter/exempel/citera.bib").read_text("utf-8")).entries
    assert entry["note"].startswith(NOTE)
    assert entry["type"] == "Demonstrationsexempel"
    (real,) = bibtexparser.parse_string((site / "oversikter/riktig/citera.bib").read_text("utf-8")).entries
    assert real["note"] == "Version 1.0, 2024-04-01" and real["type"] == "Kunskapsöversikt"


def test_ris_of_an_example_has_the_n1_note(site):
    lines = (site / "oversikter/exempel/citera.ris").read_bytes().decode("utf-8").split("\r\n")
    assert f"N1  - {NOTE}" in lines and "M3  - Demonstrationsexempel" in lines
    real = (site / "oversikter/riktig/citera.ris").read_bytes().decode("utf-8").split("\r\n")
    assert not [line for line in real if line.startswith("N1  -")] and "M3  - Kunskapsöversikt" in real


def test_json_ld_of_an_example_says_so(site):
    def data(slug: str) -> dict:
        (script,) = _page(site, f"oversikter/{slug}").head.find_all("script", type="application/ld+json")
        return json.loads(script.string)

    example, real = data("exempel"), data("riktig")
    assert example["name"] == example["headline"] == f"Exempel: {EXAMPLE_TITLE}"
    assert example["description"] == OVERVIEW_SENTENCE
    assert example["creativeWorkStatus"] == "Exempel" and example["genre"] == "Demonstrationsexempel"
    assert real["name"] == REAL_TITLE and real["genre"] == "Kunskapsöversikt"
    assert "creativeWorkStatus" not in real and "description" not in real


def test_examples_have_no_citation_tags_and_real_overviews_keep_them(site):
    example, real = _page(site, "oversikter/exempel"), _page(site, "oversikter/riktig")
    assert [m for m in example.head.find_all("meta") if str(m.get("name", "")).startswith("citation_")] == []
    assert _metas(real, "name", "citation_title") == [REAL_TITLE]
    assert _metas(real, "name", "citation_technical_report_number") == ["kop-2024-002"]
    assert _metas(real, "name", "citation_author") == ["Testforskare A", "Testpraktiker B"]
    assert _metas(real, "name", "citation_author_orcid") == ["https://orcid.org/0000-0002-1825-0097"]
    assert _metas(real, "name", "citation_publication_date") == ["2024/03/15"]
    assert _metas(real, "name", "citation_online_date") == ["2024/04/01"]
    assert _metas(real, "name", "citation_language") == ["sv"]
    assert _metas(real, "name", "citation_fulltext_html_url") == [f"{SITE_URL}oversikter/riktig/"]
    # link previews carry the mark too
    assert _metas(example, "property", "og:title") == [f"Exempel: {EXAMPLE_TITLE}"]
    assert _metas(example, "name", "twitter:title") == [f"Exempel: {EXAMPLE_TITLE}"]
    assert _metas(example, "property", "og:description")[0].startswith(OVERVIEW_SENTENCE)
    assert _metas(real, "property", "og:title") == [REAL_TITLE]


def test_citation_pdf_url_is_absolute_and_only_for_real_overviews():
    def head(example: bool) -> dict:
        meta = {"id": "kop-2024-009", "title": "En översikt", "example": example, "published": "2024-03-15",
                "authors": [{"name": "Anna Andersson"}]}
        parts = overview_head(Overview(Path("x.md"), "x", meta, "", 1), page_url=f"{SITE_URL}oversikter/x/",
                              permalink_url=f"{SITE_URL}k/kop-2024-009/", image_url=None, site_name="KÖP",
                              publisher="KÖP")
        merged = {**parts, "pdf": "oversikter/x/kop-2024-009.pdf"}  # what the PDF feature adds to the head
        return dict(with_pdf_url(merged, SITE_URL) or {})

    real = [t for t in head(False)["meta"] if t["name"].startswith("citation_")]
    assert real[-1] == {"name": "citation_pdf_url", "content": f"{SITE_URL}oversikter/x/kop-2024-009.pdf"}
    assert not [t for t in head(True)["meta"] if t["name"].startswith("citation_")]


def test_permanent_address_page_names_the_example(site):
    page = _page(site, "k/kop-2024-001")
    assert page.title.get_text().startswith(f"Exempel: {EXAMPLE_TITLE}")
    assert _page(site, "k/kop-2024-002").title.get_text().startswith(REAL_TITLE)


# --- seminars ---------------------------------------------------------------------------------------------------


def _event(path: Path, uid: str):
    return next(e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT") if str(e["UID"]).startswith(uid))


@pytest.mark.parametrize("calendar", ["seminarier/exempelseminarium/seminarium.ics", "seminarier/kalender.ics"])
def test_ics_summary_and_description_say_it_is_an_example(site, calendar):
    event = _event(site / calendar, "seminarium-exempelseminarium@")
    assert str(event["SUMMARY"]) == f"Exempel: {EXAMPLE_SEMINAR}"
    description = str(event["DESCRIPTION"]).splitlines()
    assert description[0] == SEMINAR_SENTENCE
    assert f"- Exempel: {EXAMPLE_TITLE}: {SITE_URL}k/kop-2024-001/" in description  # the example overview, too
    real = _event(site / "seminarier/kalender.ics", "seminarium-kommande-seminarium@")
    assert str(real["SUMMARY"]) == "Testseminarium om samverkan"
    assert "demonstrationsexempel" not in str(real["DESCRIPTION"]).splitlines()[0]


def _invitation(site: Path, slug: str, fmt: str) -> str:
    folder = site / "seminarier" / slug
    if fmt == "text":
        return (folder / "inbjudan.txt").read_text(encoding="utf-8")
    if fmt == "html":
        return BeautifulSoup((folder / "inbjudan.html").read_text(encoding="utf-8"), "html.parser").body.get_text()
    return _page(site, f"seminarier/{slug}/inbjudan").select_one("#kop-invitation-markdown").get_text()


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_invitation_says_at_the_top_that_it_is_an_example(site, fmt):
    lines = [line for line in _invitation(site, "exempelseminarium", fmt).splitlines() if line.strip()]
    assert SEMINAR_SENTENCE in lines[0]
    assert lines[1].lstrip("# ") == f"Exempel på inbjudan: {EXAMPLE_SEMINAR}"
    real = [line for line in _invitation(site, "kommande-seminarium", fmt).splitlines() if line.strip()]
    assert real[0].lstrip("# ") == "Inbjudan: Testseminarium om samverkan"
    assert "demonstrationsexempel" not in "\n".join(real)


def test_seminar_pages_and_listings_show_the_mark(site):
    index = _page(site, "seminarier")
    item = next(li for li in index.select(".kop-seminar-list li") if EXAMPLE_SEMINAR in li.get_text())
    assert item.select_one(".kop-status--exempel").get_text() == "Exempel"
    other = next(li for li in index.select(".kop-seminar-list li") if "Testseminarium" in li.get_text())
    assert other.select_one(".kop-status--exempel") is None
    page = _page(site, "seminarier/exempelseminarium")
    assert page.title.get_text().startswith(f"Exempel: {EXAMPLE_SEMINAR}")
    assert _metas(page, "property", "og:title") == [f"Exempel: {EXAMPLE_SEMINAR}"]
    assert SEMINAR_SENTENCE in page.select_one(".kop-example").get_text()
    discussed = {li.a.get_text(): li for li in page.select(".kop-seminar-overviews li")}
    assert discussed[EXAMPLE_TITLE].select_one(".kop-example-mark").get_text() == "Exempel"
    assert discussed[REAL_TITLE].select_one(".kop-example-mark") is None
    # the overview page's own list of seminars marks the example seminar
    listed = _page(site, "oversikter/riktig").select(".kop-overview-seminars li")
    assert [li.select_one(".kop-status--exempel") is not None for li in listed
            if EXAMPLE_SEMINAR in li.get_text()] == [True]
