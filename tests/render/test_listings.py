"""Listing pages that stay small at any size: paged catalogue and areas, references by letter, the start page."""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from kop.cite.apa import Formatted, anchor
from kop.core.model import Overview
from kop.render.fragments import MARKERS
from kop.render.listings import (
    CATALOGUE_PAGE_SIZE,
    REFERENCES_PAGE_SIZE,
    START_MARKER,
    area_pages,
    catalogue_pages,
    first_letter,
    references_pages,
    start_page,
    start_section,
)
from kop.schema.load import vocabularies


def overview(i: int, areas: list[str] | None = None, refs: list[str] | None = None, title: str = "") -> Overview:
    meta = {"id": f"kop-2024-{i:03d}", "title": title or f"Översikt {i:04d}", "status": "publicerad",
            "area": areas or ["barn och unga"], "method": "systematisk översikt",
            "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "findings": [{"statement": "S", "strength": "medel", "references": refs or []}]}
    return Overview(Path(f"o{i}.md"), f"o{i}", meta, "", 1)


def html_of(markdown: str) -> BeautifulSoup:
    body = markdown.split("---", 2)[2]
    for marker in MARKERS:
        body = body.replace(marker, "")
    return BeautifulSoup(body, "html.parser")


def address(path: str) -> str:
    """The directory address a generated Markdown file is published at (use_directory_urls)."""
    stem = path[: -len(".md")]
    return "" if stem == "index" else (stem[: -len("index")] if stem.endswith("index") else stem + "/")


def resolve(page_path: str, href: str) -> str:
    base = address(page_path)
    joined = posixpath.normpath(posixpath.join(base, href.split("?")[0].split("#")[0]))
    return "" if joined == "." else joined.rstrip("/") + "/"


def test_small_catalogue_is_one_page_with_the_script_filters():
    pages = catalogue_pages([overview(i) for i in range(3)])
    assert list(pages) == ["oversikter/index.md"]
    soup = html_of(pages["oversikter/index.md"])
    assert soup.find(id="kop-catalogue-filters") is not None  # kop.js filters and sorts a single page
    assert soup.find("nav", class_="kop-pager") is None
    assert len(soup.select("table.kop-catalogue tbody tr")) == 3


def test_large_catalogue_is_paged_every_overview_once_and_every_page_linked():
    ovs = [overview(i) for i in range(2 * CATALOGUE_PAGE_SIZE + 17)]
    pages = catalogue_pages(ovs)
    assert list(pages) == ["oversikter/index.md", "oversikter/sida-2/index.md", "oversikter/sida-3/index.md"]
    seen: list[str] = []
    published = {address(p) for p in pages}
    for path, text in pages.items():
        soup = html_of(text)
        rows = soup.select("table.kop-catalogue tbody tr")
        assert len(rows) <= CATALOGUE_PAGE_SIZE
        for row in rows:
            target = resolve(path, row.a["href"])
            assert target.startswith("oversikter/o")
            seen.append(target)
        nav = soup.find("nav", class_="kop-pager")
        links = {resolve(path, a["href"]) for a in nav.find_all("a")}
        assert links == published  # every page reachable from every page, without JavaScript
        assert nav.find("a", attrs={"aria-current": "page"})["href"] == "./"
        # the filters search the whole site instead of filtering one page with script
        assert soup.find(id="kop-catalogue-filters") is None
        form = soup.find("form", class_="kop-catalogue-filters")
        assert resolve(path, form["action"]) == "sok/" and form["method"] == "get"
    assert sorted(seen) == sorted(f"oversikter/o{i}/" for i in range(len(ovs)))
    assert "nummer 201–217" in html_of(pages["oversikter/sida-3/index.md"]).get_text()


def test_area_with_many_overviews_is_paged():
    ovs = [overview(i, ["äldreomsorg"]) for i in range(CATALOGUE_PAGE_SIZE + 1)]
    pages = area_pages(ovs)
    assert "omraden/aldreomsorg/index.md" in pages and "omraden/aldreomsorg/sida-2/index.md" in pages
    second = html_of(pages["omraden/aldreomsorg/sida-2/index.md"])
    assert len(second.select("tbody tr")) == 1
    assert resolve("omraden/aldreomsorg/sida-2/index.md", second.select_one("tbody tr a")["href"]).startswith(
        "oversikter/o")
    assert "omraden/barn-och-unga/sida-2/index.md" not in pages


def test_first_letter_files_swedish_letters_and_others():
    assert first_letter("<span>Åberg, A.</span> (2020).") == "Å"
    assert first_letter("Ängel, B.") == "Ä" and first_letter("Öberg, C.") == "Ö"
    assert first_letter("<i>Émile</i>") == "E"
    assert first_letter("&lt;Zeta&gt;") == "Z"
    assert first_letter("2020 års utredning") == "övrigt"


def formatted_for(names: list[str]) -> Formatted:
    keys = [f"k{i}" for i in range(len(names))]
    return Formatted(entries={k: f"{name}, A. (2020). <i>Titel {k}</i>." for k, name in zip(keys, names, strict=True)},
                     order=keys)


def test_few_references_stay_on_one_page_with_cited_by():
    formatted = formatted_for(["Andersson", "Berg"])
    pages = references_pages([overview(1, refs=["k0", "k1"], title="Om <b>")], formatted)
    assert list(pages) == ["referenser.md"]
    soup = html_of(pages["referenser.md"])
    entry = soup.find(id=anchor("k0"))
    assert "Citeras i: Om <b>" in entry.get_text()
    assert resolve("referenser.md", entry.find(class_="kop-cited-by").a["href"]) == "oversikter/o1/"


def test_many_references_split_by_letter_every_reference_once_with_cited_by():
    names = (["Andersson"] * (REFERENCES_PAGE_SIZE + 5) + ["Berg"] * 3 + ["Åberg"] * 2 + ["Öst"] + ["1999 års"]
             + ["Uncited"])
    formatted = formatted_for(names)
    cited = [f"k{i}" for i in range(len(names) - 1)]
    ovs = [overview(1, refs=cited[: len(cited) // 2]), overview(2, refs=cited[len(cited) // 2:])]
    pages = references_pages(ovs, formatted)
    assert set(pages) == {"referenser.md", "referenser/a/index.md", "referenser/a/sida-2/index.md",
                          "referenser/b/index.md", "referenser/aa/index.md", "referenser/oe/index.md",
                          "referenser/ovrigt/index.md"}
    index = html_of(pages["referenser.md"])
    assert [a.get_text() for a in index.select("ul.kop-letter-index a")] == ["A", "B", "Å", "Ö", "Övrigt"]
    assert {resolve("referenser.md", a["href"]) for a in index.select("ul.kop-letter-index a")} == {
        address(p) for p in pages if p.endswith("/index.md") and "sida-" not in p}
    seen = []
    for path, text in pages.items():
        soup = html_of(text)
        entries = soup.select("li.csl-entry")
        assert len(entries) <= REFERENCES_PAGE_SIZE
        for entry in entries:
            seen.append(entry["id"])
            link = entry.find(class_="kop-cited-by").a
            assert resolve(path, link["href"]) in {"oversikter/o1/", "oversikter/o2/"}
        for a in soup.select("nav a"):
            assert resolve(path, a["href"]) in {address(p) for p in pages}, (path, a["href"])
    assert sorted(seen) == sorted(anchor(k) for k in cited)  # every cited work once; the uncited one nowhere
    second = html_of(pages["referenser/a/sida-2/index.md"])
    assert len(second.select("li.csl-entry")) == 5


def test_start_section_has_search_latest_and_every_area():
    ovs = [overview(i, ["barn och unga", "äldreomsorg"] if i % 2 else ["barn och unga"]) for i in range(7)]
    soup = BeautifulSoup(start_section(ovs), "html.parser")
    form = soup.find("form", class_="kop-home-search")
    assert form["action"] == "sok/" and form["method"] == "get" and form.find("input")["name"] == "q"
    assert soup.find("label", attrs={"for": "kop-home-q"}) is not None
    assert len(soup.select("ul.kop-home-latest li")) == 5
    tiles = {a["href"]: a.find(class_="kop-home-area__count").get_text() for a in soup.select("ul.kop-home-areas a")}
    assert len(tiles) == len(vocabularies()["areas"])
    assert tiles["omraden/barn-och-unga/"] == "7" and tiles["omraden/aldreomsorg/"] == "3"


def test_start_page_puts_the_section_at_the_marker():
    text = start_page(f"# Start\n\nIntro.\n\n{START_MARKER}\n\n## Mer\n\nText.\n", [overview(1)])
    assert text.index("kop-home-search") < text.index("## Mer") and START_MARKER not in text
    without = start_page("# Start\n\nText.\n", [overview(1)])
    assert without.index("Text.") < without.index("kop-home-search")


def front(markdown: str) -> dict:
    """The page's front matter as the engine reads it (YAML), or a failure naming the page's start."""
    assert markdown.startswith("---\n"), markdown[:80]
    loaded = yaml.safe_load(markdown.split("---\n", 2)[1])
    assert isinstance(loaded, dict), markdown[:80]
    return loaded


def test_every_listing_page_has_front_matter_the_engine_can_read():
    # "title: Referenser: A, sida 2" is not YAML: the engine dropped the metadata and showed the block as text
    names = ["Andersson"] * (REFERENCES_PAGE_SIZE + 5) + ["Berg"]
    ovs = [overview(i, ["äldreomsorg"], refs=[f"k{k}" for k in range(len(names))])
           for i in range(CATALOGUE_PAGE_SIZE + 1)]
    pages = {**references_pages(ovs, formatted_for(names)), **area_pages(ovs), **catalogue_pages(ovs)}
    titles = {path: front(text)["title"] for path, text in pages.items()}
    assert titles["referenser/a/sida-2/index.md"] == "Referenser: A, sida 2"
    assert titles["referenser/b/index.md"] == "Referenser: B"
    assert titles["omraden/aldreomsorg/sida-2/index.md"] == "Äldreomsorg, sida 2"
    for path, text in pages.items():  # the heading says what the front matter says
        heading = text.split("---\n", 2)[2].lstrip("\n").splitlines()[0]
        assert heading.startswith("# ") and html.unescape(heading[2:]) == html.unescape(titles[path]), path
