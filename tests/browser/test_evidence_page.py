"""Evidence a practitioner can read on a phone (issue 13), in headless Debian Chromium.

One site is built from the repository's real content plus two scratch overviews (one with
every new field, one outdated) and served locally. Checks: the summary-of-findings table
starts within 1.5 screen heights at 360×800 on every published overview; the skip link
goes to the title and the table of contents lists the summary and the findings; every
badge leads to its place on the legend page; included studies lead to their references;
the evidence map keeps source grades apart and marks outdated findings; the start page's
area tiles never cut a word; axe-core finds nothing on the overview, legend, map and
catalogue. Screenshots: test-artifacts/screenshots/evidens-*.png.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, AXE
from tests.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
SOF_LIMIT = 1.5 * PHONE["height"]  # 1,200 px: the table's top within one and a half screens
FULL = "testoversikt-alla-falt"
OUTDATED = "testoversikt-inaktuell"

# Placeholder text only: the references are real entries of references.bib, the findings and
# people are test placeholders (no claims about what the works say).
FULL_TEXT = """---
id: kop-2025-901
title: Testöversikt med alla fält för evidenssidan
example: true
question: Hur visas en kunskapsöversikt med alla fält på en telefon?
question_from:
  - organisation: Testkommunens socialförvaltning
    role: frågeställare
summary: En testöversikt för webbläsartesterna. Texten är en platshållare.
plain_language:
  why: Testet behöver en översikt där alla delar av sammanfattningen finns med.
  what_was_done: Vi skrev platshållartext i varje fält. Ingen forskning lästes.
  what_was_found: Inget. Slutsatserna nedan är platshållare för testet.
  practice: Inget. Texten ska inte användas i praktiken.
  how_certain: Platshållarna har en påhittad evidensstyrka.
authors:
  - name: Testforskare A
    affiliation: Testlärosätet
    role: forskare
area:
  - samverkan och organisering
status: publicerad
published: "2025-06-01"
method: forskningssammanställning
findings:
  - statement: Testslutsats ett, med KÖP:s egen bedömning.
    certainty:
      level: måttlig
      assessed_by: Testforskare A
      motivation: Platshållare.
    studies: 2
    participants: 40
    designs: [testdesign]
    references: [andersson2011organizational]
  - statement: Testslutsats två, graderad av en källa.
    source_grade:
      grade: Stark
      source: lofstrom_presentation_samverkan
      scale: Källans tregradiga skala (platshållare).
    references: [mattessich2001collaboration]
included_studies:
  - key: andersson2011organizational
    design: testdesign
    country: Sverige
  - key: sandstrom2004interorganisational
    design: testdesign
knowledge_gaps:
  - En platshållare för en kunskapslucka.
funding: Ingen (test).
conflicts_of_interest: Inga (test).
review:
  - name: Testgranskare G
    date: 2025-05-20
    role: extern granskare
license: CC-BY-4.0
---

## Bakgrund

Platshållartext för testet [@sandstrom2004interorganisational].
"""

OUTDATED_TEXT = """---
id: kop-2025-902
title: Inaktuell testöversikt
question: Hur märks en inaktuell översikt på evidenskartan?
question_from:
  - organisation: Testkommunens socialförvaltning
    role: frågeställare
summary: En inaktuell testöversikt för webbläsartesterna.
authors:
  - name: Testforskare A
    affiliation: Testlärosätet
    role: forskare
area:
  - samverkan och organisering
status: inaktuell
published: "2025-01-10"
method: forskningssammanställning
findings:
  - statement: Inaktuell testslutsats.
    certainty:
      level: låg
      assessed_by: Testforskare A
    references: [ahgren2011decade]
license: CC-BY-4.0
---

## Bakgrund

Platshållartext [@ahgren2011decade].
"""


@pytest.fixture(scope="session")
def evidence_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content plus the two scratch overviews, built with the real pipeline."""
    from kop.core.project import load_project
    from kop.site.build import build

    root = tmp_path_factory.mktemp("evidence-site") / "project"
    root.mkdir()
    shutil.copytree(REPO / "overviews", root / "overviews")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "overviews" / f"{FULL}.md").write_text(FULL_TEXT, encoding="utf-8")
    (root / "overviews" / f"{OUTDATED}.md").write_text(OUTDATED_TEXT, encoding="utf-8")
    result = build(load_project(root))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    return root / "site"


@pytest.fixture(scope="session")
def evidence_url(evidence_site: Path, serve_dir: Callable[[Path], str]) -> str:
    return serve_dir(evidence_site)


@pytest.fixture
def phone(chromium_browser) -> Iterator:
    ctx = chromium_browser.new_context(viewport=PHONE, locale="sv-SE")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ctx.close()
    assert not errors, errors


def published_overviews(site: Path) -> list[str]:
    """Slugs of the overview pages whose status is Publicerad (shipped ones and the scratch one)."""
    out = []
    for page in sorted((site / "oversikter").glob("*/index.html")):
        text = page.read_text(encoding="utf-8")
        if 'class="kop-status kop-status--publicerad"' in text.split('id="kop-titel"')[0]:
            out.append(page.parent.name)
    return out


def shot(page, name: str, full: bool = True) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"evidens-{name}.png"), full_page=full)


def axe_violations(page) -> list:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: "
                           "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    assert len(result["passes"]) > 10  # axe really ran
    return [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]


def test_summary_of_findings_starts_within_one_and_a_half_screens_on_every_published_overview(
        phone, evidence_site, evidence_url):
    slugs = published_overviews(evidence_site)
    assert FULL in slugs and len(slugs) >= 4  # the shipped published overviews and the scratch one
    tops = {}
    for slug in slugs:
        phone.goto(f"{evidence_url}oversikter/{slug}/")
        tops[slug] = phone.evaluate("() => document.querySelector('table.kop-sof').getBoundingClientRect().top"
                                    " + window.scrollY")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], slug
        if slug == FULL:
            shot(phone, "oversikt-alla-falt-mobil")
        else:
            phone.screenshot(path=str(ARTIFACTS / f"evidens-{slug}-mobil-topp.png"),
                             clip={"x": 0, "y": 0, "width": PHONE["width"], "height": SOF_LIMIT + 100},
                             full_page=True)
    too_low = {slug: round(top) for slug, top in tops.items() if top > SOF_LIMIT}
    assert too_low == {}


def test_skip_link_goes_to_the_title_and_the_contents_list_the_summary_and_findings(phone, evidence_url):
    phone.goto(f"{evidence_url}oversikter/{FULL}/")
    assert phone.get_attribute("a.md-skip", "href") == "#kop-titel"
    assert phone.evaluate("document.getElementById('kop-titel').tagName") == "H1"
    toc = phone.eval_on_selector_all(".md-sidebar--secondary .md-nav__link",
                                     "els => els.map(e => e.getAttribute('href'))")
    for anchor in ("#sammanfattning", "#resultat-i-korthet", "#inkluderade-studier", "#kunskapsluckor",
                   "#finansiering", "#intressekonflikter", "#granskning", "#referenser"):
        assert anchor in toc, (anchor, toc)
    assert toc.index("#sammanfattning") < toc.index("#resultat-i-korthet") < toc.index("#bakgrund")
    # order on the page: status and example mark, title, question, summary, findings, then authors
    ys = phone.evaluate("""() => ['.kop-kicker .kop-status', '.kop-kicker .kop-example-mark', '#kop-titel',
        '.kop-question', '#sammanfattning', 'table.kop-sof', '.kop-authors']
        .map(s => document.querySelector(s).getBoundingClientRect().top)""")
    assert ys == sorted(ys)


def test_every_badge_leads_to_its_explanation_on_the_legend_page(phone, evidence_url):
    page_url = f"{evidence_url}oversikter/{FULL}/"
    phone.goto(page_url)
    certainty = phone.locator("table.kop-sof a.kop-certainty")
    assert certainty.first.inner_text() == "⊕⊕⊕◯ Evidensstyrka: Måttlig"
    assert phone.locator("table.kop-sof .kop-certainty__symbol").first.get_attribute("aria-hidden") == "true"
    source = phone.locator("table.kop-sof a.kop-source-grade")
    assert source.inner_text() == "Enligt källan: Stark"
    cell = source.locator("xpath=ancestor::td").inner_text()
    assert "Löfström" in cell and "Källans skala" in cell and "evidens" not in cell.lower()
    targets = {urljoin(page_url, h) for h in phone.eval_on_selector_all(
        "a.kop-certainty, a.kop-source-grade", "els => els.map(e => e.getAttribute('href'))")}
    for target in sorted(targets):
        parts = urlsplit(target)
        assert parts.path.endswith("/evidensstyrka/") and parts.fragment, target
        phone.goto(target)
        assert phone.locator(f"#{parts.fragment}").count() == 1, target
    phone.goto(f"{evidence_url}evidensstyrka/")
    assert phone.locator(".kop-legend__level").count() == 4
    shot(phone, "forklaring-mobil")


def test_included_studies_lead_to_their_entries_in_the_reference_list(phone, evidence_url):
    phone.goto(f"{evidence_url}oversikter/{FULL}/")
    links = phone.eval_on_selector_all("table.kop-studies tbody th a", "els => els.map(e => e.getAttribute('href'))")
    assert len(links) == 2
    for href in links:
        entry = phone.locator(f".kop-reflist {href}")
        assert entry.count() == 1, href
    phone.click("table.kop-studies tbody th a >> nth=1")
    assert phone.evaluate("location.hash") == links[1]
    assert "Sandström" in phone.locator(links[1]).inner_text()


def test_evidence_map_counts_only_certainty_and_marks_outdated_findings(phone, evidence_url):
    phone.goto(f"{evidence_url}evidenskarta/")
    table = phone.locator("table.kop-evidence-map")
    heads = table.locator("thead th").all_inner_texts()
    assert [h.split()[0] for h in heads[1:]] == ["Hög", "Måttlig", "Låg", "Mycket"]
    assert "Stark" not in table.inner_text() and "källan" not in table.inner_text()
    assert "ej aktuella" in table.inner_text()
    outdated = phone.locator("li.kop-map-finding--outdated", has_text="Inaktuell testslutsats")
    assert "Inaktuell" in outdated.locator(".kop-status").inner_text()
    apart = phone.locator("section.kop-evidence-sourced")
    entry = apart.locator("li", has_text="Testöversikt med alla fält")
    assert "Testslutsats två" in entry.inner_text() and "Enligt källan: Stark" in entry.inner_text()
    assert "Exempel" in entry.inner_text() and "Publicerad" in entry.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "karta-mobil")


def test_start_page_area_tiles_never_cut_a_word_on_a_phone(phone, evidence_url):
    phone.goto(evidence_url)
    # every word of every tile name on one line (a word split over two lines has two boxes)
    broken = phone.evaluate("""() => {
        const out = [];
        for (const name of document.querySelectorAll('.kop-home-area__name')) {
          const text = name.firstChild; const re = /\\S+/g; let m;
          while ((m = re.exec(text.data))) {
            const r = document.createRange(); r.setStart(text, m.index); r.setEnd(text, m.index + m[0].length);
            const lines = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
            if (lines.size > 1) out.push(m[0]);
          }
        }
        return out; }""")
    assert broken == []
    assert phone.locator(".kop-home-area__name", has_text="Funktionsnedsättning").count() == 1
    latest = phone.locator(".kop-home-latest li").first
    assert latest.locator(".kop-status").count() == 1
    shot(phone, "start-mobil", full=False)


def test_catalogue_shows_status_in_words_and_the_example_mark(phone, evidence_url):
    phone.goto(f"{evidence_url}oversikter/")
    row = phone.locator("table.kop-catalogue tbody tr", has_text="Inaktuell testöversikt")
    assert row.locator("td[data-label=Status]").inner_text() == "Inaktuell"
    shipped = phone.locator("table.kop-catalogue tbody tr", has_text="Testöversikt med alla fält")
    assert shipped.locator(".kop-example-mark").inner_text() == "Exempel"
    phone.select_option("#kop-filter-certainty", "måttlig")
    assert "certainty=m" in phone.url
    visible = phone.locator("table.kop-catalogue tbody tr:visible").all_inner_texts()
    assert any("Testöversikt med alla fält" in v for v in visible)
    assert not any("Inaktuell testöversikt" in v for v in visible)
    shot(phone, "katalog-mobil")


@pytest.mark.parametrize("path", [f"oversikter/{FULL}/", "oversikter/framgangsfaktorer-for-samverkan/",
                                  "evidensstyrka/", "evidenskarta/", "oversikter/"],
                         ids=["oversikt", "oversikt-kallans-gradering", "forklaring", "karta", "katalog"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "dator"])
def test_axe_finds_no_violations(chromium_browser, evidence_url, path, viewport):
    ctx = chromium_browser.new_context(viewport=viewport, locale="sv-SE")
    try:
        pg = ctx.new_page()
        pg.goto(evidence_url + path)
        assert axe_violations(pg) == []
        if viewport is DESKTOP and path == f"oversikter/{FULL}/":
            shot(pg, "oversikt-dator")
    finally:
        ctx.close()


def test_search_results_say_the_status_in_words(phone, evidence_url):
    phone.goto(f"{evidence_url}sok/?q=testöversikt")
    phone.wait_for_function("() => /träff/.test(document.getElementById('kop-search-status').textContent)",
                            timeout=15000)
    results = phone.locator("#kop-search-results li.kop-result")
    texts = results.all_inner_texts()
    assert any(re.search(r"Inaktuell\s+Inaktuell testöversikt", t) for t in texts), texts
    assert any("Publicerad" in t and "Exempel" in t and "Evidensstyrka: Måttlig" in t for t in texts), texts
