"""The search vocabulary: indexed text, compound splitting against the site's words, ord.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kop.site.search_index import VOCABULARY_PATH, prepare_pages, run_pagefind
from kop.site.search_words import compound_parts, compound_splits, page_text, split_compound, stem, words

KNOWN = {"samverkan", "projekt", "projekten", "samverkansprojekt", "barn", "vård", "barnavård", "för",
         "verksam", "verksamheten", "familjehem", "hem", "familj", "familjehemmen"}
STEMS = {stem(w) for w in KNOWN}


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("samverkansprojekt", ("samverkan", "projekt")),  # linking s
        ("samverkansprojekten", ("samverkan", "projekten")),  # inflected tail
        ("barnavård", ("barn", "vård")),  # linking a
        ("familjehemmen", None),  # "hemmen" is no form the site has (the stemmer finds familjehem)
        ("verksamheten", None),  # -heten is an ending, not a word
        ("förtroende", None),  # "för" is too short to be a part
    ],
)
def test_split_compound_against_the_sites_own_words(word, parts):
    assert split_compound(word, KNOWN, STEMS) == parts


def test_compound_parts_are_the_parts_a_page_does_not_already_have():
    splits = compound_splits(KNOWN)
    assert splits["samverkansprojekt"] == ("samverkan", "projekt")
    assert "för" not in splits and "verksamheten" not in splits
    assert compound_parts(["om", "samverkansprojekt", "projekt"], splits) == ["samverkan"]


def test_page_text_is_the_article_without_excluded_parts():
    page = ('<html><body><nav>meny</nav><article class="md-content__inner"><h1>Tillit</h1>'
            '<p>Om <span class="kop-cite">Kullberg</span> samverkan<br>och <img alt="x">stöd.</p>'
            '<span data-pagefind-filter="area[data-kop-value]" data-kop-value="barn och unga"></span>'
            '<ol class="kop-references"><li>Svensson</li></ol></article></body></html>')
    text, areas = page_text(page, "md-content__inner", ["kop-cite", "kop-references"])
    assert words(text) == ["tillit", "om", "samverkan", "och", "stöd"]
    assert areas == ["barn och unga"]


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    pages = {
        "oversikter/a/index.html": "<h1>Samverkansprojekt</h1><p>Om projekt och samverkan i kommunen.</p>"
        '<span data-pagefind-filter="area[data-kop-value]" data-kop-value="samverkan och organisering"></span>',
        "oversikter/b/index.html": "<h1>Projekt</h1><p>Om kommunen.</p>",
        "bidra/index.html": "<h1>Bidra</h1><p>Fältreferens &amp; felmeddelanden.</p>",
        "referenser/index.html": "<h1>Referenser</h1><p>Kullberg</p>",
    }
    for rel, body in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(f'<html lang="sv"><head><title>T</title></head><body>'
                                f'<article class="md-content__inner">{body}</article></body></html>', encoding="utf-8")
    return site


def test_prepare_pages_writes_the_vocabulary_and_marks_compounds_and_scopes(tmp_path):
    site = _site(tmp_path)
    prepare_pages(site)
    vocab = json.loads((site / VOCABULARY_PATH).read_text(encoding="utf-8"))
    assert "samverkansprojekt" in vocab["words"] and "fältreferens" in vocab["words"]
    assert "kullberg" not in vocab["words"]  # the references page is not indexed
    assert vocab["areas"] == [{"name": "samverkan och organisering", "url": "omraden/samverkan-och-organisering/"}]
    a = (site / "oversikter/a/index.html").read_text(encoding="utf-8")
    assert 'data-kop-value="hjalp"' not in a  # overviews carry their own scope (kop.features.search)
    b = (site / "bidra/index.html").read_text(encoding="utf-8")
    assert '<span data-pagefind-filter="typ[data-kop-value]" data-kop-value="hjalp"></span>' in b
    assert b.index("kop-search-extra") < b.index("</article>")


def test_compound_parts_go_into_the_page_that_has_the_compound(tmp_path):
    site = _site(tmp_path)
    (site / "oversikter/b/index.html").write_text(
        '<html><body><article class="md-content__inner"><p>Om samverkan och projekten.</p></article></body></html>',
        encoding="utf-8")
    (site / "oversikter/c/index.html").parent.mkdir(parents=True)
    (site / "oversikter/c/index.html").write_text(
        '<html><body><article class="md-content__inner"><p>Samverkansprojekten.</p></article></body></html>',
        encoding="utf-8")
    prepare_pages(site)
    c = (site / "oversikter/c/index.html").read_text(encoding="utf-8")
    assert '<p data-pagefind-weight="2">projekten samverkan</p>' in c


@pytest.mark.slow
def test_pagefind_indexes_the_scope_of_help_pages(tmp_path):
    site = _site(tmp_path)
    assert run_pagefind(site) == []
    assert (site / "pagefind" / "filter").is_dir()
    assert json.loads((site / VOCABULARY_PATH).read_text(encoding="utf-8"))["words"]
