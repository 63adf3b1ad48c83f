"""Permanent addresses: /k/<id>/ and former slugs redirect, withdrawn overviews keep a tombstone."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from kop.core.project import load_project
from kop.features.permalinks import copy_link_html, redirect_html
from kop.site.checking import check
from tests.conftest import REPO
from tests.linksite import (
    ALIAS,
    link_site_fixture,  # noqa: F401  (session fixture)
    overview_texts,
)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def follow(site: Path, address: str) -> tuple[Path, str]:
    """Resolve a redirect page like a browser: return (target file, target address)."""
    page = soup(site / address.strip("/") / "index.html")
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})
    match = re.fullmatch(r"0; url=(.+)", refresh["content"])
    assert match, refresh
    target = urlsplit(urljoin("https://x.invalid" + address, match.group(1))).path
    return site / target.strip("/") / "index.html", target


@pytest.mark.slow
@pytest.mark.parametrize(("address", "expected"), [
    ("/k/kop-2024-001/", "/oversikter/testoversikt/"),
    ("/k/kop-2024-002/", "/oversikter/annan-oversikt/"),
    (f"/oversikter/{ALIAS}/", "/oversikter/testoversikt/"),
    ("/k/kop-2024-003/", "/oversikter/tillbakadragen/"),  # a withdrawn overview keeps its address
])
def test_redirect_pages_lead_to_the_current_page(link_site, address, expected):
    site = link_site / "site"
    target_file, target = follow(site, address)
    assert target == expected
    assert target_file.is_file()
    page = soup(site / address.strip("/") / "index.html")
    assert page.html["lang"] == "sv"
    assert page.find("link", rel="canonical")["href"] == "https://kop.example.org" + expected
    visible = page.body.find("a")
    assert visible["href"] == page.find("meta", attrs={"http-equiv": "refresh"})["content"].split("url=", 1)[1]
    assert visible.get_text(strip=True)  # the title, for people whose browser does not follow the refresh
    # without JavaScript the meta refresh redirects (it cannot carry a #fragment); the one script line does
    assert page.find("script").string == f'location.replace("{visible["href"]}" + location.hash);'


@pytest.mark.slow
def test_drafts_have_no_permanent_address(link_site):
    assert not (link_site / "site" / "k" / "kop-2024-005").exists()


@pytest.mark.slow
def test_withdrawn_overview_is_a_tombstone_with_reason_and_replacement(link_site):
    site = link_site / "site"
    page = soup(site / "oversikter" / "tillbakadragen" / "index.html")
    tomb = page.select_one(".kop-tombstone")
    assert tomb.select_one("h1").get_text() == "En tillbakadragen testöversikt"
    assert "Tillbakadragen" in tomb.get_text()
    assert "Sökningen innehöll ett allvarligt fel." in tomb.select_one(".kop-withdrawn-reason").get_text()
    link = tomb.select_one(".kop-withdrawn-replacement a")
    assert link.get_text() == "Testöversikt om samverkan"
    assert (site / "oversikter" / "tillbakadragen" / link["href"] / "index.html").resolve().is_file()
    # the body, findings and citation box of the withdrawn overview are gone
    assert page.select_one(".kop-findings") is None and page.select_one(".kop-cite-box") is None
    # and it is not listed as a current overview
    catalogue = (site / "oversikter" / "index.html").read_text(encoding="utf-8")
    assert "tillbakadragen/" not in catalogue


def _project(make_project, **changes: str):
    texts = overview_texts()
    texts.update(changes)
    return load_project(make_project(texts))


def _codes(result) -> list[tuple[str, str, int]]:
    return [(d.code, d.path, d.line) for d in result.diagnostics if d.severity == "error"]


def test_alias_that_is_another_overviews_slug_is_an_error(make_project):
    text = overview_texts()["annan-oversikt.md"].replace("license: CC-BY-4.0",
                                                        "aliases:\n  - testoversikt\nlicense: CC-BY-4.0")
    result = check(_project(make_project, **{"annan-oversikt.md": text}))
    line = text.splitlines().index("  - testoversikt") + 1
    assert ("KOP611", "overviews/annan-oversikt.md", line) in _codes(result)
    msg = next(d for d in result.diagnostics if d.code == "KOP611")
    assert msg.message == "Adressen oversikter/testoversikt/ används redan av overviews/testoversikt.md."


def test_alias_equal_to_own_slug_is_an_error(make_project):
    text = overview_texts()["testoversikt.md"].replace(f"  - {ALIAS}", "  - testoversikt")
    result = check(_project(make_project, **{"testoversikt.md": text}))
    assert [c for c in _codes(result) if c[0] == "KOP610"]


def test_unknown_replacement_is_an_error_with_a_suggestion(make_project):
    text = overview_texts()["tillbakadragen.md"].replace("replaced_by: kop-2024-001", "replaced_by: kop-2024-010")
    result = check(_project(make_project, **{"tillbakadragen.md": text}))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "replaced_by" in t)
    diag = next(d for d in result.diagnostics if d.code == "KOP612")
    assert (diag.path, diag.line, diag.column) == ("overviews/tillbakadragen.md", line, 3)
    assert diag.message.startswith("Översikten 'kop-2024-010' i 'withdrawn.replaced_by' finns inte.")
    assert "kop-2024-005" not in diag.message  # a draft is never suggested as a replacement


def test_withdrawn_needs_a_reason(make_project):
    text = overview_texts()["tillbakadragen.md"].replace("  reason: Sökningen innehöll ett allvarligt fel.\n", "")
    result = check(_project(make_project, **{"tillbakadragen.md": text}))
    assert any(d.code == "KOP110" and "'withdrawn.reason'" in d.message for d in result.diagnostics)


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def served(link_site, serve_dir, chromium_browser):
    """(base URL, browser): the link site on 127.0.0.1 and the session's Chromium."""
    return serve_dir(link_site / "site").rstrip("/"), chromium_browser


@pytest.mark.browser
@pytest.mark.slow
def test_browser_follows_permalink_and_copy_button_copies_the_reference(served):
    """Real Chromium: the meta refresh lands on the overview, and cite.js copies the APA reference."""
    base, browser = served
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    page.goto(f"{base}/k/kop-2024-001/")
    page.wait_for_url(f"{base}/oversikter/testoversikt/")
    button = page.locator("button[data-kop-copy='kop-cite-apa']")
    button.wait_for(state="visible")
    button.click()
    page.locator(".kop-cite-box .kop-copy-status", has_text="Kopierat.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Testforskare A, & Testpraktiker B. (2024). Testöversikt om samverkan")
    assert "https://kop.example.org/k/kop-2024-001/" in copied
    assert failed == []  # no missing file, not even a favicon, on the way
    context.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("address", ["/oversikter/testoversikt/", "/oversikter/tillbakadragen/", "/seminarier/",
                                     "/seminarier/kommande-seminarium/", "/seminarier/kommande-seminarium/inbjudan/"])
def test_axe_finds_no_wcag_violations_on_the_new_page_types(served, address):
    base, browser = served
    page = browser.new_page()
    page.goto(base + address)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: "
                           "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    page.close()


@pytest.mark.parametrize(("replace", "code"), [
    ("replaced_by: kop-2024-003", "KOP613"),  # itself
    ("replaced_by: kop-2024-005", "KOP615"),  # a draft
])
def test_replacement_must_be_another_published_overview(make_project, replace, code):
    text = overview_texts()["tillbakadragen.md"].replace("replaced_by: kop-2024-001", replace)
    result = check(_project(make_project, **{"tillbakadragen.md": text}))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "replaced_by" in t)
    assert (code, "overviews/tillbakadragen.md", line) in _codes(result)


def test_withdrawal_date_cannot_be_in_the_future(make_project):
    text = overview_texts()["tillbakadragen.md"].replace('date: "2025-01-10"', 'date: "2030-01-10"')
    result = check(_project(make_project, **{"tillbakadragen.md": text}))
    diag = next(d for d in result.diagnostics if d.code == "KOP614")
    assert diag.message == "Datumet 2030-01-10 i 'withdrawn.date' ligger i framtiden."


def test_redirect_script_escapes_the_target():
    html = redirect_html('../x/</script><b>"', "https://a.invalid/x/", "T", "Till")
    script = html.split("<script>", 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    assert json.loads(script.split("location.replace(", 1)[1].split(" + location.hash", 1)[0]) == '../x/</script><b>"'


def test_copy_link_shows_the_absolute_address_as_text_and_escapes_it():
    html = copy_link_html('https://kop.example.org/k/a"b/', "seminariet")
    page = BeautifulSoup(html, "html.parser")
    link = page.find("a", attrs={"data-kop-permalink": True})
    assert link["href"] == link.get_text() == 'https://kop.example.org/k/a"b/'
    assert "Permanent länk till seminariet:" in page.get_text()
    button = page.find("button", class_="kop-copy-link")
    assert button.get_text() == "Kopiera länk" and button.has_attr("hidden")  # cite.js shows it
    assert page.find(attrs={"role": "status"}) is not None


@pytest.mark.slow
def test_overview_and_seminar_pages_show_absolute_permanent_addresses(link_site):
    site = link_site / "site"
    overview = soup(site / "oversikter" / "testoversikt" / "index.html")
    share = overview.select_one(".kop-share a[data-kop-permalink]")
    assert share["href"] == share.get_text() == "https://kop.example.org/k/kop-2024-001/"
    seminar = soup(site / "seminarier" / "kommande-seminarium" / "index.html")
    links = [a for a in seminar.select(".kop-seminar-overviews a") if "/k/" in a["href"]]
    assert links and all(a["href"] == a.get_text() and a["href"].startswith("https://kop.example.org/k/")
                          for a in links)
    assert "<code>/k/" not in str(seminar)  # no relative address text that breaks in an e-mail
    own = seminar.select_one(".kop-share a[data-kop-permalink]")
    assert own["href"] == "https://kop.example.org/seminarier/kommande-seminarium/"
