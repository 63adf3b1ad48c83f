"""Search a practitioner can trust (issue 14, items 1–5), in headless Chromium on built sites.

* absent words give "Inga träffar" with suggestions, never every page (Pagefind's prefix
  backtracking turned "Försäkringskassan" into "för");
* two scopes: overviews are the results, help pages (Bidra) a separate group;
* Swedish inflections, compounds and typos without author-typed synonyms: a table of
  queries with their expected top results, on the shipped site and on a generated corpus;
* status and the example mark in every result, published overviews first;
* the phone layout (results before the filters, counts that follow the filters) and axe-core.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.browser.conftest import ARTIFACTS, AXE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A = "/oversikter/framgangsfaktorer-for-samverkan/"
P = "/oversikter/samverkansmodeller-arbetslivsinriktad-rehabilitering/"
S = "/oversikter/samverkansprojekt-och-granser/"
NONE: tuple[str, ...] = ()
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1366, "height": 900}
STATUSES = {"Publicerad", "Under granskning", "Under uppdatering", "Inaktuell", "Tillbakadragen"}

#: (query, what it tests, expected overview results: one = the first result; several = the first ones in any
#: order, as they are equally relevant; NONE = no result at all).
SHIPPED_QUERIES: list = [
    ("samverkansprojekten", "böjning av sammansättning", (S,)),
    ("tilliten", "bestämd form", (P,)),
    ("framgångsfaktorerna", "bestämd plural", (A,)),
    ("gränserna", "bestämd plural", (S,)),
    ("rehabiliteringen", "bestämd form", (P,)),
    ("rehabiliteringens", "genitiv", (P,)),
    ("beroendevårdens", "genitiv av sammansättning", (A,)),
    ("samverkansmodellerna", "sammansättning i plural", (P,)),
    ("arbetsrehabiliteringen", "sammansättning", (P,)),
    ("beroendevård", "sammansättning", (A,)),
    ("missbruksvården", "sammansättning som inte står i texten", (A,)),
    ("samverkn", "stavfel (saknad bokstav)", (S, P, A)),
    ("tillitt", "stavfel (extra bokstav)", (P,)),
    ("framgångsfaktroer", "stavfel (omkastade bokstäver)", (A,)),
    ("rehabilitring", "stavfel", (P,)),
    ("gränsr", "stavfel", (S,)),
    ("exempelforskare", "författare", (P, S, A)),
    ("scoping review", "engelsk term (metod)", (S,)),
    ("collaboration", "engelsk term", (A,)),
    ("arbetslivsinriktad", "område", (P,)),
    ("missbruk", "område", (A,)),
    ("offentlig sektor", "två ord", (S,)),
    ("samarbetet", "nyckelord i böjd form", (A,)),
    ("Försäkringskassan", "finns inte (blev 'för' och alla sidor)", NONE),
    ("förtroende", "finns inte (blev 'för' och alla sidor)", NONE),
    ("xyzzyqq", "påhittat ord", NONE),
    ("kvantdator", "finns inte", NONE),
    ("samverkan förtroende", "ett av två ord finns inte", NONE),
    ("best practice", "står bara i ett utkast", NONE),
    ("kullberg", "citerad författare: bara i referenslistan", NONE),
    # A word of a help page only: not split into parts that an overview has ("forskningsfält", "referens").
    ("Fältreferens", "hjälpsida, inte översikt", NONE),
    ("Steg för steg på GitHub", "hjälpsida, inte översikt", NONE),
]
#: (query, help page that must come first in the help group).
HELP_QUERIES = [
    ("Fältreferens", "/bidra/faltreferens/"),
    ("Steg för steg på GitHub", "/bidra/github-steg-for-steg/"),
    ("Felmeddelanden", "/bidra/felmeddelanden/"),
]


def _param_id(item) -> str:
    """A table row's test id: its query (rows with marks are pytest.param objects)."""
    return (item.values if hasattr(item, "values") else item)[0].lstrip("@")


@pytest.fixture
def page(chromium_browser) -> Iterator:
    ctx = chromium_browser.new_context(viewport=DESKTOP, locale="sv-SE")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ctx.close()
    assert not errors, f"JavaScript-fel på sidan: {errors}"


def search(page, base: str, query: str = "", extra: str = "") -> str:
    page.goto(f"{base}sok/?q={quote(query)}{extra}")
    page.wait_for_function(
        "() => /träff/.test(document.getElementById('kop-search-status').textContent)", timeout=15000)
    return page.inner_text("#kop-search-status")


def overview_links(page) -> list[str]:
    return page.eval_on_selector_all("#kop-search-results a.kop-result__title", "els => els.map(e => e.pathname)")


def help_links(page) -> list[str]:
    return page.eval_on_selector_all("#kop-help-results a.kop-result__title", "els => els.map(e => e.pathname)")


# ---------------------------------------------------------------- the query table, shipped site


@pytest.mark.parametrize(("query", "kind", "expected"), SHIPPED_QUERIES, ids=[_param_id(q) for q in SHIPPED_QUERIES])
def test_query_table_on_the_shipped_site(page, site_url, query, kind, expected):
    status = search(page, site_url, query)
    links = overview_links(page)
    if expected == NONE:
        assert links == [], f"{query} ({kind}) gav {links}"
        assert status.startswith("Inga träffar"), status
    else:
        assert set(links[: len(expected)]) == set(expected), f"{query} ({kind}) gav {links}"
        assert "Inga träffar" not in status


def test_the_table_is_long_enough_and_covers_every_kind():
    assert len(SHIPPED_QUERIES) >= 30
    kinds = " ".join((q.values if hasattr(q, "values") else q)[1] for q in SHIPPED_QUERIES)
    for needed in ("böjning", "sammansättning", "stavfel", "författare", "engelsk", "finns inte"):
        assert needed in kinds


def test_absent_words_exist_nowhere_on_the_site_and_list_no_page(page, site_url, real_site):
    words = set(json.loads((real_site / "sok" / "ord.json").read_text(encoding="utf-8"))["words"])
    for query in ("försäkringskassan", "förtroende", "xyzzyqq"):
        assert query not in words
        status = search(page, site_url, query)
        assert status.startswith("Inga träffar") and "finns inte på webbplatsen" in status
        assert overview_links(page) == [] and help_links(page) == []
        assert page.locator(".kop-search-more").is_hidden()  # no "Visa fler träffar" under nothing
        note = page.locator("#kop-search-note")
        areas = note.locator(".kop-search-areas a").evaluate_all("els => els.map(e => e.pathname)")
        assert "/omraden/samverkan-och-organisering/" in areas  # the areas are offered instead


def test_a_near_miss_offers_spellings_from_the_sites_own_words(page, site_url):
    # Two letters off: too far to correct silently, close enough to suggest.
    status = search(page, site_url, "tilitt")
    assert status.startswith("Inga träffar")
    page.locator("#kop-search-note a", has_text="tillit").click()
    page.wait_for_url(re.compile(r"/sok/\?q=tillit$"))
    page.wait_for_function("() => /träff/.test(document.getElementById('kop-search-status').textContent)")
    assert overview_links(page) == [P]


def test_a_typo_is_corrected_and_the_reader_is_told(page, site_url):
    status = search(page, site_url, "rehabilitring")
    assert "”rehabilitering” i stället för ”rehabilitring”" in status
    assert overview_links(page)[0] == P


def test_suggestions_file_on_the_shipped_site(page, site_url, real_site):
    """sok/forslag.json and assets/kop/suggest.js ship with the site; the nearest, most used spelling first."""
    ranked = json.loads((real_site / "sok" / "forslag.json").read_text(encoding="utf-8"))["words"]
    assert "tillit" in ranked and "försäkringskassan" not in ranked
    search(page, site_url, "tilitt")
    page.add_script_tag(url=f"{site_url}assets/kop/suggest.js")
    assert page.evaluate("() => kopSuggest('tilitt', 2, 3)")[0] == "tillit"
    assert page.evaluate("() => kopSuggest('Rehabilitring', 2, 3)")[0] == "rehabilitering"
    assert page.evaluate("() => kopSuggest('xyzzyqq', 2, 3)") == []


def test_header_search_says_inga_traffar_for_an_absent_word(page, site_url):
    page.goto(site_url)
    page.fill("#kop-header-q", "Försäkringskassan")
    panel = page.locator("#kop-header-results")
    panel.locator(".kop-header-results__status").wait_for(timeout=15000)
    assert panel.locator(".kop-header-results__status").inner_text().startswith("Inga träffar")
    assert panel.locator("a.kop-result__title").count() == 0


def test_the_javascript_stemmer_is_snowballs_swedish_stemmer(page, site_url, real_site):
    """The query check stems in the browser; it must agree with pystemmer (and Pagefind) on every word."""
    import Stemmer

    words = json.loads((real_site / "sok" / "ord.json").read_text(encoding="utf-8"))["words"]
    words += ["området", "förlagets", "litet", "arbetet", "fullt", "trösta", "hetens", "behovet", "ansvarslöst"]
    search(page, site_url, "samverkan")
    js = page.evaluate("words => words.map(w => window.kopSvStem(w))", words)
    py = Stemmer.Stemmer("swedish").stemWords(words)
    assert [(w, a, b) for w, a, b in zip(words, js, py, strict=True) if a != b] == []


@pytest.mark.parametrize(("query", "title"), [
    ("samverkansprojekten", "Samverkansprojekt och gränser"),  # inflected compound
    ("framgångsfaktorerna", "Framgångsfaktorer för samverkan"),
    ("gränser", "Samverkansprojekt och gränser"),  # plain text still works
])
def test_catalogue_title_filter_finds_inflected_forms(page, site_url, query, title):
    page.goto(f"{site_url}oversikter/?q={quote(query)}")
    visible = page.locator("table.kop-catalogue tbody tr:visible")
    assert visible.count() == 1
    assert title in visible.first.inner_text()


# ---------------------------------------------------------------- scopes


@pytest.mark.parametrize(("query", "first_help"), HELP_QUERIES)
def test_help_pages_are_a_separate_group_not_overview_results(page, site_url, query, first_help):
    search(page, site_url, query)
    assert all(link.startswith("/oversikter/") for link in overview_links(page))
    assert help_links(page)[0] == first_help
    assert page.locator("#kop-help-results h2").inner_text() == "Hjälpsidor för dig som bidrar"


def test_overview_scope_has_no_help_pages_even_for_a_word_on_both(page, site_url):
    search(page, site_url, "beroende")
    assert overview_links(page) and all(link.startswith("/oversikter/") for link in overview_links(page))
    assert help_links(page) and not any(link.startswith("/oversikter/") for link in help_links(page))


def test_reader_menu_has_reader_pages_and_bidra_as_one_entry(page, site_url):
    page.goto(f"{site_url}oversikter/")
    labels = page.eval_on_selector_all(
        "nav.md-nav--primary > ul > li > a, nav.md-nav--primary > ul > li > label",
        "els => els.map(e => e.textContent.trim())")
    assert "Bidra" in labels
    nav_links = page.eval_on_selector_all("nav.md-nav--primary a", "els => els.map(e => e.pathname)")
    assert [link for link in nav_links if link.startswith("/bidra/")] == ["/bidra/"]


# ---------------------------------------------------------------- status and ranking


def test_every_result_shows_its_status_and_example_mark(page, site_url):
    search(page, site_url, "samverkan")
    results = page.locator("#kop-search-results li.kop-result")
    assert results.count() == 3
    for i in range(results.count()):
        item = results.nth(i)
        assert item.locator(".kop-result__status").inner_text() in STATUSES
        assert item.locator(".kop-result__example").inner_text() == "Exempel"  # the shipped overviews are examples


# ---------------------------------------------------------------- phone layout and accessibility


def _phone(chromium_browser):
    return chromium_browser.new_context(viewport=PHONE, locale="sv-SE", device_scale_factor=1)


def test_phone_search_page_shows_results_first_with_filters_in_a_disclosure(chromium_browser, site_url):
    ctx = _phone(chromium_browser)
    page = ctx.new_page()
    try:
        search(page, site_url, "samverkan")
        first = page.locator("#kop-search-results li.kop-result").first.bounding_box()
        assert first["y"] < PHONE["height"], f"första träffen {first['y']} px ned"
        drawer = page.locator("#kop-filters")
        assert drawer.evaluate("d => d.open") is False
        assert page.locator("fieldset.kop-facet").first.is_hidden()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sok-360x800.png"))
        page.locator("#kop-filters > summary").click()
        assert page.locator("fieldset.kop-facet").first.is_visible()
        page.get_by_role("checkbox", name=re.compile("Arbetslivsinriktad rehabilitering")).check()
        page.wait_for_function(
            "() => /med valda filter/.test(document.getElementById('kop-search-status').textContent)")
        assert page.inner_text("#kop-filters-chosen") == "(1 valda)"
        page.screenshot(path=str(ARTIFACTS / "sok-360x800-filter.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        ctx.close()


def test_facet_counts_follow_the_search_and_the_filters(page, site_url):
    def count(name: str) -> str:
        label = page.locator("fieldset.kop-facet label", has_text=re.compile(name))
        return label.locator(".kop-facet-count").inner_text()

    search(page, site_url, "samverkan")
    assert count("Samverkan och organisering") == "(3)" and count("Forskningssammanställning") == "(3)"
    assert count("Arbetslivsinriktad rehabilitering") == "(1)"
    search(page, site_url, "checklista")  # only in the overview about framgångsfaktorer
    assert count("Samverkan och organisering") == "(1)"
    assert count("Arbetslivsinriktad rehabilitering") == "(0)"
    search(page, site_url, "samverkan", "&area=arbetslivsinriktad+rehabilitering")
    assert overview_links(page) == [P]  # the filter narrows the results …
    assert count("Forskningssammanställning") == "(1)"  # … and the other counts
    assert count("Samverkan och organisering") == "(1)"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360x800", "1366x900"])
@pytest.mark.parametrize("query", ["samverkan", "förtroende"])
def test_axe_finds_no_violations_on_the_search_page(chromium_browser, site_url, viewport, query):
    ctx = chromium_browser.new_context(viewport=viewport, locale="sv-SE")
    page = ctx.new_page()
    try:
        search(page, site_url, query)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
        assert [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in result["violations"]] == []
        assert len(result["passes"]) > 10
    finally:
        ctx.close()


# ---------------------------------------------------------------- a generated corpus

#: The benchmark's medium corpus (kop.dev.corpus: 200 overviews, 3,000 references), one fixed seed.
MEDIUM_SEED = 1


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated MEDIUM corpus, built once per session with the real pipeline."""
    from kop.core.project import load_project
    from kop.dev.corpus import generate
    from kop.site.build import build

    root = tmp_path_factory.mktemp("search-corpus") / "project"
    generate(root, "medium", seed=MEDIUM_SEED)
    result = build(load_project(root))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors[:5]
    return root


@pytest.fixture(scope="session")
def corpus_url(corpus_site: Path, serve_dir: Callable[[Path], str]) -> str:
    return serve_dir(corpus_site / "site")


def _corpus_overviews(root: Path) -> dict[str, dict]:
    out = {}
    for path in sorted((root / "overviews").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])
        if meta["status"] != "utkast":
            out[f"/oversikter/{path.stem}/"] = meta
    return out


def _with_topic(root: Path, words: str) -> set[str]:
    return {url for url, meta in _corpus_overviews(root).items() if words in meta["title"]}


def _surnames(root: Path) -> list[str]:
    """The corpus's author surnames, the most common first (then alphabetical)."""
    counts: dict[str, int] = {}
    for meta in _corpus_overviews(root).values():
        for author in meta["authors"]:
            surname = author["name"].split()[-1]
            counts[surname] = counts.get(surname, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))


def _by_author(root: Path, surname: str) -> set[str]:
    return {url for url, meta in _corpus_overviews(root).items()
            if any(a["name"].split()[-1] == surname for a in meta["authors"])}


def _resolve(root: Path, query: str) -> tuple[str, set[str]]:
    """Queries about authors name them by rank, so the table holds whatever names the generator draws."""
    if query == "@vanligaste efternamnet":
        name = _surnames(root)[0]
        return name.lower(), _by_author(root, name)
    name = next(n for n in _surnames(root) if any(c in n for c in "åäö") and len(n) >= 6)
    if query == "@efternamn med å, ä eller ö":
        return name, _by_author(root, name)
    return name[:-2] + name[-1], _by_author(root, name)  # "@stavfel i efternamn": one letter left out


def all_results(page) -> tuple[list[str], list[str]]:
    """Every overview result (through "Visa fler träffar") and its status."""
    more = page.locator(".kop-search-more")
    while more.is_visible():
        shown = page.locator("#kop-search-results li.kop-result").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('#kop-search-results li.kop-result').length > {shown}")
    statuses = page.eval_on_selector_all("#kop-search-results .kop-result__status",
                                         "els => els.map(e => e.textContent)")
    return overview_links(page), statuses


#: (query, kind, expected): "topic:<words of the titles>" = the overviews about it are all found, the first
#: result is one of them and they lead among the published and among the others; "first:<words>" = all found,
#: the first result one of them; "author" = the overviews by
#: that author are all found, one of them first; "orcid" = exactly the overviews with an ORCID;
#: "" = no overview at all ("Inga träffar"); a /bidra/ address = no overview, that help page first in the help group.
CORPUS_QUERIES: list = [
    ("demensen", "böjning: bestämd form", "topic:demens"),
    ("sjukskrivningen", "böjning: bestämd form", "topic:sjukskrivning"),
    ("kvinnorna", "böjning: bestämd plural", "topic:kvinnor"),
    ("socialpsykiatrins", "böjning: genitiv", "topic:socialpsykiatrin"),
    ("familjehemmen", "böjning: bestämd plural", "topic:familjehem"),
    ("samtalen", "böjning: bestämd plural", "topic:motiverande samtal"),
    ("äldreomsorg", "böjning: obestämd form av äldreomsorgen", "topic:äldreomsorgen"),
    ("föräldraskapsstödet", "sammansättning i bestämd form", "topic:föräldraskapsstöd"),
    ("anhörigstödet", "sammansättning i bestämd form", "topic:anhörigstöd"),
    ("boendestödet", "sammansättning i bestämd form", "topic:boendestöd"),
    ("arbetsmarknadsinsatsen", "sammansättning i singular", "topic:arbetsmarknadsinsatser"),
    ("funktionsnedsättningar", "sammansättning i plural", "topic:funktionsnedsättning"),
    ("demensvården", "sammansättning som inte står i texten", "topic:demens"),
    # Both parts are on every page ("placering" too): the overviews about familjehem come first and all are
    # found, but Pagefind ranks some pages about other topics among them.
    ("familjehemsplacering", "sammansättning som inte står i texten", "first:familjehem"),
    ("sjukskrivnig", "stavfel: saknad bokstav", "topic:sjukskrivning"),
    ("demnes", "stavfel: omkastade bokstäver", "topic:demens"),
    ("socialpsykiatirn", "stavfel: omkastade bokstäver", "topic:socialpsykiatrin"),
    ("föräldraskapstöd", "stavfel: saknad fogbokstav", "topic:föräldraskapsstöd"),
    ("familjehm", "stavfel: saknad bokstav", "topic:familjehem"),
    ("intellektuel", "stavfel: saknad bokstav", "topic:intellektuell"),
    ("arbetsmarknadsinsatsr", "stavfel: saknad bokstav", "topic:arbetsmarknadsinsatser"),
    ("våldsutsata", "stavfel: saknad bokstav", "topic:våldsutsatta"),
    ("demens hemtjänst", "två ord", "topic:hemtjänst för äldre med demens"),
    ("samordnad individuell plan", "tre ord", "topic:samordnad individuell plan"),
    ("@vanligaste efternamnet", "författare (gemener)", "author"),
    ("@efternamn med å, ä eller ö", "författare med å, ä, ö", "author"),
    ("@stavfel i efternamn", "stavfel i författarnamn", "author"),
    ("orcid", "engelsk term (ORCID)", "orcid"),
    # found since kop.render.overview puts a space between </dt> and <dd> (Pagefind read "metodscoping")
    ("scoping review", "engelsk term (metod)", "method:scoping review"),
    ("förtroende", "finns inte", ""),
    ("xyzzyqq", "finns inte: påhittat ord", ""),
    ("kvantdatorer", "finns inte", ""),
    ("kärnkraft", "finns inte", ""),
    ("blockkedjan", "finns inte", ""),
    ("samverkan förtroende", "finns inte: ett av två ord", ""),
    ("Fältreferens", "hjälpsida, inte översikt", "/bidra/faltreferens/"),
    ("Felmeddelanden", "hjälpsida, inte översikt", "/bidra/felmeddelanden/"),
    ("Steg för steg på GitHub", "hjälpsida, inte översikt", "/bidra/github-steg-for-steg/"),
]


def _leads(links: list[str], statuses: list[str], expected: set[str]) -> bool:
    """Published first; within the published and within the others, the expected overviews come first."""
    for group in ([u for u, s in zip(links, statuses, strict=True) if s == "Publicerad"],
                  [u for u, s in zip(links, statuses, strict=True) if s != "Publicerad"]):
        about = [u in expected for u in group]
        if about != sorted(about, reverse=True):
            return False
    return True


@pytest.mark.parametrize(("query", "kind", "expected"), CORPUS_QUERIES, ids=[_param_id(q) for q in CORPUS_QUERIES])
def test_query_table_on_a_generated_corpus(page, corpus_site, corpus_url, query, kind, expected):
    overviews = _corpus_overviews(corpus_site)
    want: set[str] = set()
    if query.startswith("@"):
        query, want = _resolve(corpus_site, query)
    elif expected.startswith(("topic:", "first:")):
        want = _with_topic(corpus_site, expected.split(":", 1)[1])
    elif expected.startswith("method:"):
        want = {u for u, m in overviews.items() if m["method"] == expected.removeprefix("method:")}
    elif expected == "orcid":
        want = {u for u, m in overviews.items() if any(a.get("orcid") for a in m["authors"])}
    status = search(page, corpus_url, query)
    links, statuses = all_results(page)
    if not expected or expected.startswith("/"):
        assert links == [] and status.startswith("Inga träffar"), f"{query} ({kind}) gav {links[:5]}"
        if expected:
            assert help_links(page)[0] == expected, f"{query} ({kind}): {help_links(page)}"
        return
    assert want, f"{query}: the corpus has nothing to find"
    assert "Inga träffar" not in status, f"{query} ({kind}): {status}"
    assert want <= set(links), f"{query} ({kind}) missade {sorted(want - set(links))[:5]}"
    assert links[0] in want, f"{query} ({kind}): först {links[0]}"
    assert set(statuses) <= STATUSES
    if expected == "orcid":
        assert set(links) == want  # the word is nowhere else
    elif not expected.startswith("first:"):
        assert _leads(links, statuses, want), f"{query} ({kind}): {list(zip(links, statuses, strict=True))[:12]}"


def test_the_corpus_table_is_long_enough_and_covers_every_kind():
    kinds = [(item.values if hasattr(item, "values") else item)[1] for item in CORPUS_QUERIES]
    assert len(kinds) >= 30
    for needed in ("böjning", "sammansättning", "stavfel", "författare", "engelsk", "finns inte", "hjälpsida"):
        assert any(needed in kind for kind in kinds), needed


def test_absent_words_of_the_corpus_table_are_not_words_of_the_corpus(corpus_site):
    words = set(json.loads((corpus_site / "site" / "sok" / "ord.json").read_text(encoding="utf-8"))["words"])
    for query, _kind, expected in (q for q in CORPUS_QUERIES if not hasattr(q, "values")):
        if not expected:
            assert not ({w.lower() for w in query.split()} <= words), query  # at least one word is absent


def test_suggestions_file_is_small_and_ranks_common_words_first(page, corpus_site, corpus_url):
    """sok/forslag.json (kop.site.search_suggest) through assets/kop/suggest.js, on the medium corpus."""
    site = corpus_site / "site"
    ranked = json.loads((site / "sok" / "forslag.json").read_text(encoding="utf-8"))["words"]
    words = json.loads((site / "sok" / "ord.json").read_text(encoding="utf-8"))["words"]
    assert set(ranked) <= set(words)
    assert (site / "sok" / "forslag.json").stat().st_size < 0.8 * (site / "sok" / "ord.json").stat().st_size
    search(page, corpus_url, "förtroende")
    page.add_script_tag(url=f"{corpus_url}assets/kop/suggest.js")
    got = page.evaluate("async () => [await kopSuggest('sjukskrivnig', 2, 3), await kopSuggest('demnes', 2, 3), "
                        "await kopSuggest('xyzzyqq', 2, 3), await kopSuggest('Samverkn', 2, 3)]")
    assert got[0][0] == "sjukskrivning" and got[1][0] == "demens" and got[2] == []
    assert got[3][0] == "samverkan"
    # Equally near words come in the order of the file (the most used first), not alphabetically: a probe one
    # letter off from two words of the same length ("våqd": vård, våld) that the file ranks against the alphabet.
    pair = _equally_near_pair(ranked)
    assert pair, "the corpus has no such pair"
    first, second, probe = pair
    assert page.evaluate("w => kopSuggest(w, 1, 2)", probe) == [first, second]


def _equally_near_pair(ranked: list[str]) -> tuple[str, str, str] | None:
    from rapidfuzz.distance import OSA

    for i, first in enumerate(ranked[:400]):
        for second in ranked[i + 1:]:
            if len(first) != len(second) or second > first:
                continue
            diff = [k for k, (x, y) in enumerate(zip(first, second, strict=True)) if x != y]
            if len(diff) == 1:
                probe = first[:diff[0]] + "q" + first[diff[0] + 1:]
                if sorted(w for w in ranked if OSA.distance(w, probe) <= 1) == sorted([first, second]):
                    return first, second, probe
    return None


def test_compound_whose_tail_the_site_lacks_finds_the_overviews_about_its_head(page, corpus_url):
    """The corpus has "samverkan" but no "projekt": the reader gets the overviews about samverkan, and is told."""
    status = search(page, corpus_url, "samverkansprojekten")
    assert "Visar träffar för ”samverkan” i stället för ”samverkansprojekten”" in status
    assert len(overview_links(page)) >= 10


def test_familjehemmen_finds_the_overviews_about_familjehem(page, corpus_site, corpus_url):
    search(page, corpus_url, "familjehemmen")
    assert _with_topic(corpus_site, "familjehem") <= set(all_results(page)[0])


def test_author_surname_finds_their_overviews_on_the_corpus(page, corpus_site, corpus_url):
    overviews = _corpus_overviews(corpus_site)
    surname = sorted({a["name"].split()[-1] for m in overviews.values() for a in m["authors"]})[0]
    expected = {url for url, m in overviews.items() if any(a["name"].split()[-1] == surname for a in m["authors"])}
    search(page, corpus_url, surname)
    assert expected <= set(overview_links(page))


def test_published_overviews_rank_first_on_the_corpus(page, corpus_site, corpus_url):
    search(page, corpus_url, "demens")
    statuses = page.eval_on_selector_all("#kop-search-results .kop-result__status",
                                         "els => els.map(e => e.textContent)")
    assert statuses and set(statuses) <= STATUSES
    assert "Publicerad" in statuses and any(s != "Publicerad" for s in statuses)
    first_other = next(i for i, s in enumerate(statuses) if s != "Publicerad")
    assert all(s != "Publicerad" for s in statuses[first_other:])  # published first, then the rest
    marks = page.eval_on_selector_all("#kop-search-results .kop-result__example", "els => els.length")
    assert marks == len(statuses)  # every synthetic overview is marked as an example


def test_phone_corpus_results_come_before_the_filters(chromium_browser, corpus_url):
    ctx = _phone(chromium_browser)
    page = ctx.new_page()
    try:
        search(page, corpus_url, "samverkan")
        first = page.locator("#kop-search-results li.kop-result").first.bounding_box()
        assert first["y"] < PHONE["height"]
        page.screenshot(path=str(ARTIFACTS / "sok-korpus-360x800.png"))
    finally:
        ctx.close()
