"""Navigation a practitioner can trust, in headless Debian Chromium (issue 14, items 5–7).

The start page at 360×800 (search field, latest overviews and area tiles above the fold, the
site name readable in the header), paged listings that work without JavaScript, permanent
addresses that keep their #fragment, "Kopiera länk", and axe-core on the new page types at
both viewports. Screenshots go to test-artifacts/screenshots/navigation-*.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, AXE
from tests.linksite import link_site_fixture  # noqa: F401  (session fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1366, "height": 900}
OVERVIEW = "framgangsfaktorer-for-samverkan"
OVERVIEW_ID = "kop-2024-001"
SITE_URL = "https://kop.example.org/"  # mkdocs.yml's site_url: the absolute addresses readers copy


def axe_violations(page) -> list:  # type: ignore[no-untyped-def]
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: "
                           "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


@pytest.fixture
def phone(chromium_browser):  # type: ignore[no-untyped-def]
    context = chromium_browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def test_start_page_has_search_latest_and_areas_above_the_fold_on_a_phone(phone, site_url):
    phone.goto(site_url)
    phone.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "navigation-start-360.png"))

    def bottom(selector: str) -> float:
        box = phone.locator(selector).bounding_box()
        assert box is not None, selector
        return box["y"] + box["height"]

    assert bottom("#kop-home-q") <= PHONE["height"]
    assert bottom(".kop-home-latest li >> nth=0") <= PHONE["height"]
    tiles = phone.locator(".kop-home-areas a")
    assert tiles.count() == 9
    assert bottom(".kop-home-areas li >> nth=-1") <= PHONE["height"]  # every area tile, not just the first
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # the search field leads to the search page with the words in the address
    phone.fill("#kop-home-q", "samverkan")
    phone.press("#kop-home-q", "Enter")
    phone.wait_for_url("**/sok/?q=samverkan")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1366"])
def test_site_name_is_readable_in_the_header(chromium_browser, site_url, viewport):
    context = chromium_browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(site_url)
    name = page.locator(".kop-site-name__text")
    assert name.inner_text().replace("\n", " ").replace("  ", " ") in {
        "KÖP – kunskapsöversikter för socialtjänsten", "KÖP kunskapsöversikter för socialtjänsten"}
    fits = page.evaluate("""() => {
        const text = document.querySelector('.kop-site-name__text');
        const box = text.getBoundingClientRect();
        const header = document.querySelector('.md-header').getBoundingClientRect();
        const search = document.querySelector('.kop-header-search').getBoundingClientRect();
        return {inHeader: box.top >= header.top && box.bottom <= header.bottom,
                beforeSearch: box.right <= search.left,
                notCut: [...text.querySelectorAll('span')].every((s) => s.scrollWidth <= s.clientWidth + 1)};
    }""")
    assert fits == {"inHeader": True, "beforeSearch": True, "notCut": True}
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1366"])
@pytest.mark.parametrize("address", ["", "oversikter/", "referenser/", "evidenskarta/", f"oversikter/{OVERVIEW}/"])
def test_axe_finds_no_violations_on_navigation_pages(chromium_browser, site_url, viewport, address):
    context = chromium_browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(site_url + address)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    context.close()


def test_screenshots_of_catalogue_and_overview_at_360(phone, site_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, address in (("katalog", "oversikter/"), ("oversikt", f"oversikter/{OVERVIEW}/")):
        phone.goto(site_url + address)
        phone.wait_for_load_state("networkidle")
        phone.screenshot(path=str(ARTIFACTS / f"navigation-{name}-360.png"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def test_permanent_address_keeps_the_fragment(phone, site_url):
    phone.goto(f"{site_url}k/{OVERVIEW_ID}/#resultat-i-korthet")
    phone.wait_for_url(f"{site_url}oversikter/{OVERVIEW}/#resultat-i-korthet")
    phone.wait_for_function("() => document.getElementById('resultat-i-korthet').getBoundingClientRect().top < 200")


def test_without_javascript_the_redirect_works_and_the_address_is_visible_text(chromium_browser, site_url):
    context = chromium_browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}k/{OVERVIEW_ID}/#resultat-i-korthet")
    page.wait_for_url(f"{site_url}oversikter/{OVERVIEW}/**")  # the meta refresh; it cannot keep #fragment
    share = page.locator(".kop-share a[data-kop-permalink]")
    assert share.is_visible() and share.inner_text() == f"{SITE_URL}k/{OVERVIEW_ID}/"
    assert page.locator(".kop-share button.kop-copy-link").is_hidden()
    context.close()


@pytest.mark.parametrize("address", [f"oversikter/{OVERVIEW}/", "seminarier/kommande-seminarium/"],
                         ids=["oversikt", "seminarium"])
def test_copy_link_copies_the_absolute_permanent_address(chromium_browser, request, serve_dir, address):
    # the shipped content has no seminar in the browser tests' site; the link test site has one
    site_url = (request.getfixturevalue("site_url") if address.startswith("oversikter/")
                else serve_dir(request.getfixturevalue("link_site") / "site"))
    context = chromium_browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(site_url + address)
    button = page.get_by_role("button", name="Kopiera länk")
    button.wait_for(state="visible")
    expected = page.locator(".kop-share a[data-kop-permalink]").get_attribute("href")
    assert expected.startswith(SITE_URL)
    button.click()
    page.locator(".kop-copy-link-status", has_text="Länken är kopierad").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == expected
    context.close()


def test_citera_box_copies_the_reference_with_the_same_script(chromium_browser, site_url):
    """The Citera box and "Kopiera länk" share one copy helper (cite.js); both must still work."""
    context = chromium_browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(f"{site_url}oversikter/{OVERVIEW}/")
    button = page.get_by_role("button", name="Kopiera referensen")
    button.wait_for(state="visible")
    button.click()
    page.locator(".kop-copy-status", has_text="Kopierat.").wait_for()
    expected = " ".join(page.locator("#kop-cite-apa").text_content().split())
    assert page.evaluate("navigator.clipboard.readText()") == expected and expected
    context.close()


@pytest.fixture(scope="module")
def medium_site(tmp_path_factory: pytest.TempPathFactory, serve_dir: Callable[[Path], str]) -> str:
    """The generated medium corpus (200 overviews, 3,000 references), built and served: paged listings."""
    from kop.core.project import load_project
    from kop.dev.corpus import generate
    from kop.site.build import build

    root = tmp_path_factory.mktemp("nav-medium") / "medium"
    generate(root, "medium", seed=1)
    result = build(load_project(root))
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return serve_dir(root / "site")


def test_paged_catalogue_and_references_work_without_javascript(chromium_browser, medium_site):
    context = chromium_browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(medium_site + "oversikter/")
    page.get_by_role("link", name="Nästa sida").first.click()
    page.wait_for_url("**/oversikter/sida-2/")
    assert page.locator("table.kop-catalogue tbody tr").count() > 0
    page.goto(medium_site + "referenser/")
    page.locator("ul.kop-letter-index a").first.click()
    page.wait_for_url("**/referenser/*/")
    entry = page.locator("li.csl-entry").first
    assert "Citeras i:" in entry.inner_text()
    entry.locator(".kop-cited-by a").first.click()
    page.wait_for_url("**/oversikter/*/")
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1366"])
@pytest.mark.parametrize("address", ["oversikter/", "oversikter/sida-2/", "referenser/", "referenser/a/",
                                     "evidenskarta/", ""])
def test_axe_and_page_budget_on_the_paged_medium_site(chromium_browser, medium_site, viewport, address):
    context = chromium_browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(medium_site + address)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.getElementsByTagName('*').length") <= 3000
    assert axe_violations(page) == []
    context.close()


def test_evidence_map_cell_opens_the_filtered_search(chromium_browser, medium_site):
    context = chromium_browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(medium_site + "evidenskarta/")
    cell = page.locator("table.kop-evidence-map tbody td a").first
    href = cell.get_attribute("href")
    assert href.startswith("../sok/?area=") and "&certainty=" in href
    cell.click()
    page.wait_for_url("**/sok/?area=*")
    page.locator("#kop-search-results li").first.wait_for()
    area = page.evaluate("new URLSearchParams(location.search).get('area')")
    assert page.locator(f"input[name='area'][value='{area}']").is_checked()
    context.close()
