"""``sok/forslag.json``: the words the search page offers under "Menade du …?", best first.

A query with no hits gets close spellings from the site's own words. Offering every word of
the site (``sok/ord.json``) in alphabetical order of equal distance suggests rare forms and
the site's own misspellings as readily as its common words. This file is the short list a
suggestion is taken from, ranked at build time, so the browser only measures distances:

* one form per Snowball stem (the form on the most pages): "insatser", not also "insatserna";
* ranked by the number of indexed pages with a form of that stem, so a near miss of a common
  word beats an equally near rare one;
* without probable misspellings in the content: a long word on a single page that is one
  edit (RapidFuzz's optimal string alignment distance) from a word on several pages.

The file is small (medium benchmark corpus: 1,978 words, 22 KB, 8.5 KB gzip, against 2,907
words in ``ord.json``), is only fetched for a search without hits, and holds only words that
are already in ``ord.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kop.site.search_words import stem

#: Suggestions are at least this long (shorter words are too dense: every typo is near several).
MIN_LENGTH = 4
#: A word this long on a single page, one edit from a word on COMMON_PAGES pages, is a misspelling.
TYPO_LENGTH = 6
COMMON_PAGES = 3
FORMAT_VERSION = 1


def suggestion_words(pages: Iterable[Iterable[str]]) -> list[str]:
    """The suggestible words of the site, best first, from each indexed page's distinct words."""
    page_sets = [{w for w in page if len(w) >= MIN_LENGTH} for page in pages]
    form_pages: Counter[str] = Counter()
    stem_pages: Counter[str] = Counter()
    for forms in page_sets:
        form_pages.update(forms)
        stem_pages.update({stem(w) for w in forms})  # a page counts once per stem
    best: dict[str, str] = {}  # stem -> its form on the most pages (then the shortest, then alphabetical)
    for form in sorted(form_pages):
        key = stem(form)
        current = best.get(key)
        if current is None or (-form_pages[form], len(form)) < (-form_pages[current], len(current)):
            best[key] = form
    ranked = sorted(best.values(), key=lambda w: (-stem_pages[stem(w)], w))
    common = [w for w in ranked if stem_pages[stem(w)] >= COMMON_PAGES]
    misspelt = {w for w in ranked if stem_pages[stem(w)] == 1 and len(w) >= TYPO_LENGTH
                and process.extractOne(w, common, scorer=OSA.distance, score_cutoff=1) is not None}
    return [w for w in ranked if w not in misspelt]


def suggestions_json(ranked: list[str]) -> str:
    """The shipped file: ``{"v": 1, "words": [best first]}``, compact and deterministic."""
    return json.dumps({"v": FORMAT_VERSION, "words": ranked}, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True)
