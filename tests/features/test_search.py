"""Search: Pagefind markup from front matter, the facet form, and indexing a real built site."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kop.core.model import Overview
from kop.features.search import index_markup, search_page
from kop.render.facets import facet_values
from kop.render.overview import render_header, stale_banner
from kop.site.search_index import run_pagefind

META = {
    "id": "kop-2024-009", "title": "Barnavård", "summary": "Kort.", "status": "publicerad",
    "published": "2024-05-01", "method": "scoping review", "area": ["barn och unga"],
    "keywords": ["barnavård"], "synonyms": ["vård", "<img src=x onerror=alert(1)>"],
    "findings": [{"statement": "S", "certainty": {"level": "låg", "assessed_by": "A"}, "references": ["k"]},
                 {"statement": "T", "certainty": {"level": "hög", "assessed_by": "A"}, "references": ["k"]},
                 {"statement": "U", "certainty": {"level": "låg", "assessed_by": "A"}, "references": ["k"]},
                 {"statement": "V", "source_grade": {"grade": "stark", "source": "k", "scale": "S."},
                  "references": ["k"]}],
}


def test_facet_values_come_from_front_matter():
    assert facet_values(META) == {
        "area": ["barn och unga"], "method": ["scoping review"], "certainty": ["hög", "låg"],
        "year": ["2024"], "status": ["publicerad"],
    }


def test_index_markup_has_filters_meta_and_weighted_synonyms_all_escaped():
    soup = BeautifulSoup(index_markup(META), "html.parser")
    box = soup.select_one(".kop-search-data")
    assert box.has_attr("hidden")
    filters = [(s["data-pagefind-filter"].split("[")[0], s["data-kop-value"])
               for s in box.select("[data-pagefind-filter]")]
    assert ("certainty", "hög") in filters and ("certainty", "stark") not in filters
    assert ("year", "2024") in filters and ("area", "barn och unga") in filters
    assert ("typ", "oversikt") in filters  # the overview scope
    meta = {s["data-pagefind-meta"].split("[")[0]: s["data-kop-value"] for s in box.select("[data-pagefind-meta]")}
    assert meta == {"area": "barn och unga", "status": "Publicerad", "published": "1", "certainty": "Hög, Låg"}
    weighted = box.select_one("[data-pagefind-weight]")
    assert "vård" in weighted.get_text() and int(weighted["data-pagefind-weight"]) > 1
    assert soup.find("img") is None and "&lt;img" in index_markup(META)


def test_filter_and_meta_values_are_attributes_not_searchable_text():
    """Filter values used to be element text: "publicerad" or "2024" then matched every overview."""
    soup = BeautifulSoup(index_markup({**META, "keywords": [], "synonyms": []}), "html.parser")
    assert soup.get_text() == ""
    for span in soup.select("[data-pagefind-filter], [data-pagefind-meta]"):
        assert span["data-pagefind-filter" if span.has_attr("data-pagefind-filter") else "data-pagefind-meta"].endswith(
            "[data-kop-value]")


@pytest.mark.parametrize(
    ("extra", "status", "example"),
    [
        ({"status": "granskning"}, "Under granskning", None),
        ({"status": "under-uppdatering"}, "Under uppdatering", None),
        ({"status": "inaktuell", "example": True}, "Inaktuell", "Exempel"),
        ({"withdrawn": {"date": "2026-01-01", "reason": "Fel"}}, "Tillbakadragen", None),
        ({"example": True}, "Publicerad", "Exempel"),
    ],
)
def test_every_result_carries_its_status_and_the_example_mark(extra, status, example):
    soup = BeautifulSoup(index_markup({**META, **extra}), "html.parser")
    meta = {s["data-pagefind-meta"].split("[")[0]: s["data-kop-value"] for s in soup.select("[data-pagefind-meta]")}
    assert meta["status"] == status
    assert meta.get("example") == example
    assert meta["published"] == ("1" if status == "Publicerad" else "0")


def test_search_page_is_a_get_form_with_one_checkbox_per_present_value():
    ov = Overview(Path("x.md"), "x", META, "", 1)
    soup = BeautifulSoup(search_page([ov]).split("---", 2)[2], "html.parser")
    form = soup.find("form", id="kop-search-form")
    assert form["method"] == "get" and form["action"] == "./"
    boxes = {(b["name"], b["value"]) for b in form.select("input[type=checkbox]")}
    assert boxes == {("area", "barn och unga"), ("method", "scoping review"), ("certainty", "låg"),
                     ("certainty", "hög"), ("year", "2024"), ("status", "publicerad")}
    labels = [fs.legend.get_text() for fs in form.select("fieldset")]
    assert labels == ["Område", "Metod", "Evidensstyrka som förekommer", "Publiceringsår", "Status"]
    assert "Hög (1)" in form.get_text() and "stark" not in form.get_text().lower()


def test_stale_search_banner_depends_on_the_configured_age():
    meta = {**META, "search": {"date": "2019-01-15"}}
    today = date(2026, 11, 23)
    assert "Gammal litteratursökning" in stale_banner(meta, today, 5)
    assert stale_banner(meta, today, 10) == ""
    assert stale_banner(META, today, 5) == ""  # no search date, no banner
    header = render_header(Overview(Path("x.md"), "x", meta, "", 1), today=today, stale_after_years=5)
    assert 'class="admonition warning kop-stale"' in header and "2019-01-15" in header


def page(title: str, body: str, lang: str = "sv") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>'
            f'<nav>meny placering</nav><article class="md-content__inner"><h1>{title}</h1>{body}</article>'
            "</body></html>")


@pytest.mark.slow
def test_pagefind_indexes_only_overviews_and_key_pages(tmp_path):
    site = tmp_path / "site"
    (site / "oversikter" / "a").mkdir(parents=True)
    (site / "referenser").mkdir()
    (site / "oversikter" / "a" / "index.html").write_text(
        page("Placering", "<p>Om placering av barn.</p>" + index_markup(META)), encoding="utf-8")
    (site / "referenser" / "index.html").write_text(page("Referenser", "<p>placering</p>"), encoding="utf-8")
    assert run_pagefind(site) == []
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["sv"]
    assert entry["languages"]["sv"]["page_count"] == 1  # the reference list is not indexed
    assert list((site / "pagefind" / "filter").iterdir())


def test_pagefind_failure_is_reported_not_raised(tmp_path: Path):
    problems = run_pagefind(tmp_path / "does-not-exist")
    assert problems


def test_filters_are_in_a_closed_disclosure_after_the_query_and_help_pages_have_their_own_group():
    ov = Overview(Path("x.md"), "x", META, "", 1)
    soup = BeautifulSoup(search_page([ov]).split("---", 2)[2], "html.parser")
    form = soup.find("form", id="kop-search-form")
    drawer = form.find("details", id="kop-filters")
    assert drawer is not None and not drawer.has_attr("open")  # a phone shows the results first
    assert "Filtrera" in drawer.summary.get_text()
    assert drawer.select("fieldset.kop-facet") == form.select("fieldset.kop-facet")
    order = [el.get("id") for el in soup.select("#kop-search-form, #kop-search-status, #kop-search-results, "
                                                 "#kop-help-results")]
    assert order == ["kop-search-form", "kop-search-status", "kop-search-results", "kop-help-results"]
    help_group = soup.find(id="kop-help-results")
    assert help_group.has_attr("hidden") and help_group.h2.get_text() == "Hjälpsidor för dig som bidrar"
