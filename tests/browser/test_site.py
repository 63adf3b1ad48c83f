"""The reader's side of the site, proven in headless Debian Chromium against the real built content.

Covers issue 4's browser checks: Swedish stemming in search, facets kept in the URL, citation
tooltips, the PRISMA diagram, catalogue filters, axe-core (WCAG 2.1 A/AA) on every page
type, keyboard use, 360 px and 200 % zoom without sideways scrolling, no request leaving
the site's origin, the Pagefind payload a phone downloads, and screenshots as artifacts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, AXE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OVERVIEW_PRISMA = "samverkansmodeller-arbetslivsinriktad-rehabilitering"
OVERVIEW_PROJECTS = "samverkansprojekt-och-granser"
# One URL per page type (relative to the site root).
PAGE_TYPES = {
    "start": "",
    "katalog": "oversikter/",
    "oversikt": f"oversikter/{OVERVIEW_PRISMA}/",
    "omrade": "omraden/samverkan-och-organisering/",
    "referenser": "referenser/",
    "evidenskarta": "evidenskarta/",
    "tillganglighet": "tillganglighet/",
    "sok": "sok/?q=samverkan",
    "guide": "bidra/faltreferens/",
}
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ZOOM_200 = {"width": 640, "height": 450}  # a 1280 px window at 200 % zoom lays out 640 CSS px


@pytest.fixture
def context(chromium_browser) -> Iterator:
    ctx = chromium_browser.new_context(viewport=DESKTOP, locale="sv-SE")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    assert not errors, f"JavaScript-fel på sidan: {errors}"


def wait_for_search(page) -> str:
    page.wait_for_function(
        "() => /träff/.test(document.getElementById('kop-search-status').textContent)", timeout=15000
    )
    return page.inner_text("#kop-search-status")


def result_links(page) -> list[str]:
    return page.eval_on_selector_all("#kop-search-results a.kop-result__title", "els => els.map(e => e.pathname)")


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("inflected", "base_form", "slug"),
    [
        ("samverkansprojekten", "samverkansprojekt", OVERVIEW_PROJECTS),  # definite plural, never in the text
        ("tilliten", "tillit", OVERVIEW_PRISMA),  # definite singular, never in the text
    ],
)
def test_inflected_swedish_form_finds_the_base_form(page, site_url, real_site, inflected, base_form, slug):
    text = (real_site / "oversikter" / slug / "index.html").read_text(encoding="utf-8").lower()
    assert inflected not in text, "testet kräver att bara grundformen finns på sidan"
    assert re.search(rf"\b{base_form}\b", text)
    page.goto(f"{site_url}sok/?q={inflected}")
    status = wait_for_search(page)
    assert "0 träffar" not in status
    assert f"/oversikter/{slug}/" in result_links(page)


def test_an_author_search_is_led_to_the_references_page_which_lists_the_citing_overviews(page, site_url):
    # In-text citations are kept out of the index (Pagefind's memory grows with every distinct
    # surname); "Kullberg" stands only in citations and reference lists.
    page.goto(f"{site_url}sok/?q=kullberg")
    assert "Inga träffar" in wait_for_search(page)
    page.get_by_role("link", name="referenslistan").click()
    page.wait_for_url("**/referenser/")
    entry = page.locator("li.csl-entry", has_text="Kullberg")
    cited_in = entry.locator(".kop-cited-by a").evaluate_all("els => els.map(e => e.pathname)")
    assert sorted(cited_in) == ["/oversikter/framgangsfaktorer-for-samverkan/", f"/oversikter/{OVERVIEW_PROJECTS}/"]


def test_results_show_title_summary_and_area(page, site_url):
    page.goto(f"{site_url}sok/?q=tillit")
    wait_for_search(page)
    first = page.locator("#kop-search-results li.kop-result").first
    title = first.locator(".kop-result__title").inner_text()
    assert title == "Samverkansmodeller inom arbetslivsinriktad rehabilitering"
    assert "demonstrationsexempel" in first.locator(".kop-result__summary").inner_text()
    assert "Område: arbetslivsinriktad rehabilitering, samverkan och organisering" in first.locator(
        ".kop-result__meta").inner_text()


def test_header_search_shows_live_results_and_leads_to_the_search_page(page, site_url):
    page.goto(site_url)
    field = page.locator("#kop-header-q")
    field.fill("tilliten")
    panel = page.locator("#kop-header-results")
    panel.locator("a.kop-result__title").first.wait_for(timeout=15000)
    assert "Samverkansmodeller inom arbetslivsinriktad rehabilitering" in panel.inner_text()
    assert "Område:" in panel.inner_text()
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    field.press("Enter")
    page.wait_for_url(re.compile(r"/sok/\?q=tilliten$"))
    assert f"/oversikter/{OVERVIEW_PRISMA}/" in (wait_for_search(page) and result_links(page))


def test_a_facet_narrows_results_and_survives_reload(page, site_url):
    page.goto(f"{site_url}sok/?q=samverkan")
    wait_for_search(page)
    everything = result_links(page)
    assert len(everything) >= 3
    page.get_by_role("checkbox", name=re.compile("Arbetslivsinriktad rehabilitering")).check()
    page.wait_for_function("() => /med valda filter/.test(document.getElementById('kop-search-status').textContent)")
    narrowed = result_links(page)
    assert narrowed == [f"/oversikter/{OVERVIEW_PRISMA}/"]
    assert "area=arbetslivsinriktad+rehabilitering" in page.url
    page.reload()
    wait_for_search(page)
    assert page.get_by_role("checkbox", name=re.compile("Arbetslivsinriktad rehabilitering")).is_checked()
    assert page.input_value("#kop-q") == "samverkan"
    assert result_links(page) == narrowed


def test_filters_alone_list_matching_overviews(page, site_url):
    page.goto(f"{site_url}sok/?certainty=m%C3%A5ttlig")  # KÖP's own level only (never a source's grade)
    wait_for_search(page)
    assert result_links(page) == ["/oversikter/samverkansprojekt-och-granser/"]


# ---------------------------------------------------------------- overview page


def test_citation_shows_full_reference_on_hover_and_focus_and_jumps_to_it(page, site_url):
    page.goto(f"{site_url}oversikter/{OVERVIEW_PRISMA}/")
    link = page.locator('.md-content .kop-cite a[href="#ref-sandstrom2004interorganisational"]').last
    tooltip = page.locator("#kop-tooltip")
    link.hover()
    tooltip.wait_for(state="visible")
    assert "Sandström" in tooltip.inner_text() and "2004" in tooltip.inner_text()
    page.mouse.move(0, 0)
    tooltip.wait_for(state="hidden")
    link.focus()
    assert tooltip.is_visible()
    assert "Sandström" in tooltip.inner_text()
    assert link.get_attribute("aria-describedby") == "ref-sandstrom2004interorganisational"
    page.keyboard.press("Escape")
    assert tooltip.is_hidden()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("#ref-sandstrom2004interorganisational$"))
    target = page.locator("#ref-sandstrom2004interorganisational")
    assert target.is_visible()
    assert page.evaluate("document.querySelector(':target').id") == "ref-sandstrom2004interorganisational"


def test_prisma_diagram_has_the_front_matter_numbers(page, site_url):
    page.goto(f"{site_url}oversikter/{OVERVIEW_PRISMA}/")
    svg = page.locator("svg.kop-prisma__svg")
    assert svg.get_attribute("role") == "img"
    texts = [t.replace("\u00a0", " ") for t in svg.locator("text").all_text_contents()]
    for number in ("13 132", "12 927", "205", "143", "62"):
        assert f"(n = {number})" in texts, (number, texts)
    assert "(n = ej redovisat)" in texts  # duplicates are not reported in this overview
    desc = svg.locator("desc").text_content().replace("\u00a0", " ")
    assert "13 132 poster" in desc and "62 studier" in desc
    assert page.locator("#kop-prisma-title").text_content() == "Flödesschema enligt PRISMA 2020"
    box = svg.bounding_box()
    assert box and box["width"] > 300


def test_header_card_and_evidence_badges_use_words(page, site_url):
    page.goto(f"{site_url}oversikter/{OVERVIEW_PRISMA}/")
    card = page.locator(".kop-header")
    assert "Hur kan samverkan" in card.locator(".kop-question").inner_text()
    # authors and origin moved below the summary of findings ("Om översikten"): the phone reads the findings first
    assert page.locator(".kop-role").all_inner_texts() == ["Forskare", "Forskare", "Praktiker"]
    assert "Exempelsamordningsförbundet" in page.locator("article").inner_text()
    badges = page.locator(".kop-sof .kop-certainty").all_inner_texts()
    assert badges and all(re.search(r"Evidensstyrka: (Hög|Måttlig|Låg|Mycket låg)", b) for b in badges)


# ---------------------------------------------------------------- catalogue


def test_catalogue_filters_sorts_and_keeps_state_in_url(page, site_url):
    page.goto(f"{site_url}oversikter/")
    rows = page.locator("table.kop-catalogue tbody tr")
    assert rows.count() == 3
    page.select_option("#kop-filter-area", "arbetslivsinriktad rehabilitering")
    visible = page.locator("table.kop-catalogue tbody tr:visible")
    assert visible.count() == 1
    assert "Samverkansmodeller" in visible.first.inner_text()
    assert "area=arbetslivsinriktad" in page.url
    assert "Visar 1 av 3" in page.inner_text("#kop-catalogue-status")
    page.reload()
    assert page.locator("table.kop-catalogue tbody tr:visible").count() == 1
    page.goto(f"{site_url}oversikter/")
    page.get_by_role("button", name="Titel").click()
    titles = page.locator("table.kop-catalogue tbody tr td:first-child").all_inner_texts()
    assert titles == sorted(titles)
    assert page.get_attribute("th[data-sort=title]", "aria-sort") == "ascending"


def test_catalogue_works_without_javascript(chromium_browser, site_url):
    ctx = chromium_browser.new_context(java_script_enabled=False)
    try:
        pg = ctx.new_page()
        pg.goto(f"{site_url}oversikter/")
        assert pg.locator("table.kop-catalogue tbody tr").count() == 3
        assert pg.locator("#kop-catalogue-filters").is_hidden()  # no controls that cannot work
        published = pg.locator("table.kop-catalogue tbody tr td[data-label=Publicerad]").all_inner_texts()
        assert published == sorted(published, reverse=True)
    finally:
        ctx.close()


# ---------------------------------------------------------------- accessibility


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_wcag_violations(page, site_url, kind):
    page.goto(site_url + PAGE_TYPES[kind])
    if kind == "sok":
        wait_for_search(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]
    ]
    assert violations == []
    assert len(result["passes"]) > 10  # axe really ran


def test_keyboard_reaches_skip_link_and_search_with_visible_focus(page, site_url):
    page.goto(f"{site_url}oversikter/{OVERVIEW_PRISMA}/")
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.className")
    assert "md-skip" in first
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")  # skip link shows
    reached_search = False
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "kop-header-q":
            reached_search = True
            break
        assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert reached_search
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline[0] != "none" and outline[1] != "0px"
    page.keyboard.type("tillit")
    page.locator("#kop-header-results a.kop-result__title").first.wait_for(timeout=15000)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the search button into the results
    assert page.evaluate("() => document.activeElement.closest('#kop-header-results') !== null")


@pytest.mark.parametrize("viewport", [PHONE, ZOOM_200], ids=["360px", "zoom200"])
def test_no_horizontal_scrolling_and_screenshots(chromium_browser, site_url, viewport):
    ctx = chromium_browser.new_context(viewport=viewport, device_scale_factor=2 if viewport is ZOOM_200 else 1)
    try:
        pg = ctx.new_page()
        overflowing = {}
        for kind, url in PAGE_TYPES.items():
            pg.goto(site_url + url)
            if kind == "sok":
                wait_for_search(pg)
            sizes = pg.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if sizes[0] > sizes[1]:
                overflowing[kind] = sizes
            if viewport is PHONE:
                save_screenshot(pg, f"{kind}-mobil.png")
        assert overflowing == {}
    finally:
        ctx.close()


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def test_desktop_screenshots_of_every_page_type(page, site_url):
    for kind, url in PAGE_TYPES.items():
        page.goto(site_url + url)
        if kind == "sok":
            wait_for_search(page)
        assert save_screenshot(page, f"{kind}-dator.png").stat().st_size > 10_000


# ---------------------------------------------------------------- privacy and payload


def test_no_request_leaves_the_sites_origin(context, site_url):
    origin = urlsplit(site_url)
    requests: list[str] = []
    context.on("request", lambda req: requests.append(req.url))
    pg = context.new_page()
    for kind, url in PAGE_TYPES.items():
        pg.goto(site_url + url)
        if kind == "sok":
            wait_for_search(pg)
    pg.goto(site_url)
    pg.fill("#kop-header-q", "samverkan")
    pg.locator("#kop-header-results a.kop-result__title").first.wait_for(timeout=15000)
    assert any("/pagefind/" in u for u in requests), "sökningen laddade inget index"
    foreign = [u for u in requests
               if not u.startswith(("data:", "blob:")) and urlsplit(u)[:2] != (origin.scheme, origin.netloc)]
    assert foreign == []


def test_search_payload_for_one_query_on_a_phone_stays_small(chromium_browser, site_url):
    """Guard Pagefind's download for one query loosely (measured ~0.1 MB; lunr ships one whole index)."""
    ctx = chromium_browser.new_context(viewport=PHONE)
    sizes: dict[str, int] = {}
    try:
        pg = ctx.new_page()
        pg.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if "/pagefind/" in r.url else None)
        pg.goto(f"{site_url}sok/?q=samverkan")
        wait_for_search(pg)
        pg.wait_for_load_state("networkidle")
    finally:
        ctx.close()
    total = sum(sizes.values())
    assert any(u.endswith(".pf_index") for u in sizes) and any(u.endswith(".pf_fragment") for u in sizes)
    assert 10_000 < total < 400_000, sizes


def test_print_stylesheet_for_a4_hides_navigation_keeps_references_and_shows_links(page, site_url):
    page.goto(f"{site_url}oversikter/{OVERVIEW_PRISMA}/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer"):
        assert page.locator(chrome).is_hidden(), chrome
    assert page.locator(".kop-references").is_visible()
    assert page.locator("svg.kop-prisma__svg").is_visible()
    shown = page.evaluate(
        "() => getComputedStyle(document.querySelector('.kop-reflist a[href^=\"https://doi.org\"]'), '::after').content"
    )
    assert shown == "none"  # the link text is the address already
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / "oversikt-utskrift-a4.pdf").write_bytes(pdf)
    save_screenshot(page, "oversikt-utskrift.png")
    page.goto(f"{site_url}tillganglighet/")  # a link in running text prints its address
    shown = page.evaluate(
        "() => getComputedStyle(document.querySelector('a[href*=\"digg.se/tdosanmalan\"]'), '::after').content"
    )
    assert "https://www.digg.se/tdosanmalan" in shown
