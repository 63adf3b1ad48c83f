"""``sok/forslag.json``: the ranked "Menade du …?" candidates built with RapidFuzz (kop.site.search_suggest)."""

from __future__ import annotations

import json
from pathlib import Path

from kop.site.search_index import SUGGESTIONS_PATH, VOCABULARY_PATH, prepare_pages
from kop.site.search_suggest import suggestion_words, suggestions_json

PAGES = [
    ["insatser", "insatserna", "barn", "rehabilitering"],
    ["insatser", "barn", "rehabilitering"],
    ["insatser", "rehabiliteringen", "vård"],
    ["demens", "rehabilitring", "värd", "vård", "och"],
    ["vård"],
]


def test_one_form_per_stem_the_most_used_first():
    ranked = suggestion_words(PAGES)
    assert ranked[:3] == ["insatser", "rehabilitering", "vård"]  # on 3 pages each (a stem counts once a page)
    assert "insatserna" not in ranked and "rehabiliteringen" not in ranked  # forms of a stem already offered
    assert ranked.index("barn") < ranked.index("demens")  # 2 pages before 1
    assert "och" not in ranked  # too short to suggest


def test_a_long_word_on_one_page_next_to_a_common_word_is_a_misspelling_in_the_text():
    ranked = suggestion_words(PAGES)
    assert "rehabilitring" not in ranked  # one edit from "rehabilitering" (3 pages): never suggested
    assert "värd" in ranked  # short words are too dense to call typos: "värd" is a word of its own


def test_the_file_is_compact_and_deterministic():
    text = suggestions_json(suggestion_words(PAGES))
    assert text == suggestions_json(suggestion_words(list(reversed(PAGES))))
    assert json.loads(text) == {"v": 1, "words": suggestion_words(PAGES)}
    assert " " not in text


def test_prepare_pages_ships_suggestions_that_are_words_of_the_site(tmp_path: Path):
    site = tmp_path / "site"
    bodies = {"oversikter/a": "<p>Rehabilitering och insatser för barn.</p>",
              "oversikter/b": "<p>Rehabiliteringen, insatserna.</p>",
              "oversikter/c": "<p>Rehabilitering &lt;script&gt; insatser.</p>",
              "bidra": "<p>Fältreferens för rehabilitring.</p>"}
    for rel, body in bodies.items():
        (site / rel).mkdir(parents=True)
        (site / rel / "index.html").write_text(f'<html><body><article class="md-content__inner">{body}</article>'
                                               "</body></html>", encoding="utf-8")
    prepare_pages(site)
    suggested = json.loads((site / SUGGESTIONS_PATH).read_text(encoding="utf-8"))["words"]
    words = json.loads((site / VOCABULARY_PATH).read_text(encoding="utf-8"))["words"]
    assert suggested[:2] == ["insatser", "rehabilitering"]
    assert "rehabilitring" not in suggested and "fältreferens" in suggested
    assert set(suggested) <= set(words)
    assert "<" not in (site / SUGGESTIONS_PATH).read_text(encoding="utf-8")  # only letters: words() keeps no markup
