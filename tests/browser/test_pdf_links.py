"""The "Ladda ner som PDF" link in headless Chromium: accessible (axe-core), reachable, and it serves a PDF."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, AXE
from tests.features.test_pdf import build_site, make_pdf_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {"exempel": "oversikter/exempel/", "riktig": "oversikter/riktig/"}
AXE_TAGS = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"


@pytest.fixture(scope="module")
def pdf_site_url(tmp_path_factory: pytest.TempPathFactory, serve_dir: Callable[[Path], str]) -> str:
    root = make_pdf_project(tmp_path_factory.mktemp("pdf-browser") / "project")
    build_site(root)
    return serve_dir(root / "site")


@pytest.fixture
def page(chromium_browser) -> Iterator:
    ctx = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ctx.close()
    assert not errors, f"JavaScript-fel på sidan: {errors}"


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations_on_a_page_with_the_pdf_link(page, pdf_site_url, name):
    page.goto(pdf_site_url + PAGES[name])
    assert page.locator("a.kop-pdf__link").count() == 1
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(f"() => axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}}})")
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]]
    assert violations == []
    assert len(result["passes"]) > 10  # axe really ran


def test_the_link_is_reached_by_keyboard_and_serves_the_pdf(page, pdf_site_url):
    page.goto(pdf_site_url + PAGES["exempel"])
    link = page.get_by_role("link", name="Ladda ner som PDF")
    assert link.is_visible()
    for _ in range(60):  # Tab until the link has the focus: it is in the tab order
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('kop-pdf__link')"):
            break
    else:
        pytest.fail("länken till PDF-filen nås inte med tangentbordet")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_the_link_fits_a_phone_screen(chromium_browser, pdf_site_url):
    ctx = chromium_browser.new_context(viewport={"width": 360, "height": 800}, locale="sv-SE")
    try:
        pg = ctx.new_page()
        pg.goto(pdf_site_url + PAGES["exempel"])
        box = pg.locator("a.kop-pdf__link").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 360
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.locator("a.kop-pdf__link").scroll_into_view_if_needed()
        pg.screenshot(path=str(ARTIFACTS / "pdf-lank-mobil.png"))
    finally:
        ctx.close()
