"""End to end: build a real site with MkDocs from fixture content and check the HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kop.cli.main import main
from kop.core.project import load_project
from kop.site.build import build

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VALID = FIXTURES / "valid" / "testoversikt.md"

pytestmark = pytest.mark.slow


def draft_of(text: str) -> str:
    return text.replace("id: kop-2024-001", "id: kop-2024-002").replace("status: publicerad", "status: utkast")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    import shutil

    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("site") / "project"
    (root / "overviews").mkdir(parents=True)
    (root / "overviews" / "testoversikt.md").write_bytes(VALID.read_bytes())
    (root / "overviews" / "ett-utkast.md").write_text(draft_of(VALID.read_text(encoding="utf-8")), encoding="utf-8")
    (root / "overviews" / "_mall.md").write_text("inte en översikt", encoding="utf-8")
    shutil.copy(FIXTURES / "project" / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    result = build(load_project(root))
    assert result.ok, result.diagnostics
    return root


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_published_overview_has_a_page_and_drafts_have_none(built):
    assert (built / "site" / "oversikter" / "testoversikt" / "index.html").is_file()
    assert not (built / "site" / "oversikter" / "ett-utkast").exists()
    assert not (built / "site" / "oversikter" / "_mall").exists()
    catalogue = (built / "site" / "oversikter" / "index.html").read_text(encoding="utf-8")
    assert "Testöversikt om samverkan" in catalogue


def test_every_citation_links_to_an_existing_reference_entry(built):
    page = soup(built / "site" / "oversikter" / "testoversikt" / "index.html")
    cites = page.select(".kop-cite a[href^='#ref-']")
    assert len(cites) >= 3  # two in the body, one in the findings table
    ids = {li["id"] for li in page.select(".kop-reflist li.csl-entry")}
    for link in cites:
        assert link["href"][1:] in ids


def test_overview_page_shows_question_summary_authors_and_findings(built):
    page = soup(built / "site" / "oversikter" / "testoversikt" / "index.html")
    assert page.find("html")["lang"] == "sv"
    h1 = page.select_one("h1")
    for link in h1.select(".headerlink"):
        link.decompose()
    assert h1.get_text(strip=True) == "Testöversikt om samverkan"
    assert "Vad säger forskningen" in page.select_one(".kop-question").get_text()
    roles = [r.get_text() for r in page.select(".kop-role")]
    assert roles == ["Forskare", "Praktiker"]
    assert "Evidensstyrka: Måttlig" in page.select_one(".kop-sof").get_text()
    refs = page.select_one(".kop-references").get_text()
    assert "Danermark, B., & Kullberg, C. (1999)" in refs
    assert "https://doi.org/10.5334/ijic.566" in refs


def test_in_text_citation_with_locator(built):
    page = soup(built / "site" / "oversikter" / "testoversikt" / "index.html")
    texts = [c.get_text() for c in page.select("span.kop-cite")]
    assert "Ahgren & Axelsson (2011, s. 3)" in texts
    assert "(Danermark & Kullberg, 1999)" in texts


def test_area_reference_and_start_pages(built):
    area = built / "site" / "omraden" / "samverkan-och-organisering" / "index.html"
    assert "Testöversikt om samverkan" in area.read_text(encoding="utf-8")
    refs = soup(built / "site" / "referenser" / "index.html")
    assert "Testöversikt om samverkan" in refs.select_one(".kop-cited-by").get_text()
    start = soup(built / "site" / "index.html")
    assert "Testöversikt om samverkan" in start.select_one(".kop-latest").get_text()


def test_no_third_party_requests_in_markup(built):
    for html in (built / "site").rglob("*.html"):
        page = soup(html)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for el in page.find_all(tag):
                if tag == "link" and set(el.get("rel") or []) & {"canonical", "alternate"}:
                    continue  # links to the page itself, not requests
                url = el.get(attr) or ""
                assert not url.startswith(("http://", "https://", "//")), f"{html}: {url}"


def test_schema_is_published(built):
    import json

    schema = json.loads((built / "site" / "schema" / "overview.schema.json").read_text(encoding="utf-8"))
    assert "samverkan och organisering" in schema["properties"]["area"]["items"]["enum"]


def test_failed_build_keeps_previous_site_and_sources(built, capsys):
    before_site = {p: p.read_bytes() for p in (built / "site").rglob("*") if p.is_file()}
    bad = (built / "overviews" / "trasig.md")
    bad.write_text(VALID.read_text(encoding="utf-8").replace("kop-2024-001", "kop-2024-009")
                   .replace("[@danermark1999samverkan]", "[@finns-inte]"), encoding="utf-8")
    sources = {p: p.read_bytes() for p in (built / "overviews").iterdir()}
    try:
        assert main(["build", "--root", str(built)]) == 1
    finally:
        after_sources = {p: p.read_bytes() for p in (built / "overviews").iterdir()}
        bad.unlink()
    err = capsys.readouterr().err
    assert "overviews/trasig.md:52:56: fel: Okänd referensnyckel" in err
    assert after_sources == sources
    after_site = {p: p.read_bytes() for p in (built / "site").rglob("*") if p.is_file()}
    assert after_site == before_site


def test_cli_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["finns-inte"])
    assert exc.value.code == 2


def test_missing_site_config_is_a_swedish_error(tmp_path, capsys):
    (tmp_path / "overviews").mkdir()
    assert main(["build", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml:1: fel: Webbplatsens inställningsfil mkdocs.yml saknas" in err
    assert "[KOP903]" in err


def test_usage_errors_are_swedish(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--okand-flagga"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "användning: kop" in err
    assert "kop: fel: okända argument: --okand-flagga" in err
