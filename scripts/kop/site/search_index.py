"""Index the freshly built site with Pagefind, before it is swapped into place.

Pagefind runs offline from the ``pagefind_bin`` wheel; its output is rewritten
canonically (:mod:`kop.site.pagefind_stable`) so that builds stay byte-identical. The
markup it reads (facets, weighted keywords) comes from :mod:`kop.features.search`.
"""

from __future__ import annotations

import html
import subprocess
import time
from pathlib import Path

from kop.core.catalogue import message
from kop.core.project import Project
from kop.core.results import CheckResult, Timings
from kop.core.urls import area_slug
from kop.site.pagefind_stable import stabilise
from kop.site.search_words import compound_parts, compound_splits, page_text, vocabulary_json, words

BUNDLE_DIR = "pagefind"
# Which built pages are searchable: the overviews and a few key pages. Lists (catalogue,
# areas, references, evidence map) would only repeat the overviews' titles.
INDEX_GLOB = "{oversikter/*/index.html,om-kop/index.html,tillganglighet/index.html,bidra/**/index.html}"
# Inside a page only the article is indexed, without permalinks, reference lists, the
# PRISMA drawing (its numbers are in the text alternative) or navigation.
ROOT_SELECTOR = "article.md-content__inner"
# In-text citations are left out too. They are a tenth of an overview's words, and the cited
# authors' surnames are most of all distinct words in the index: Pagefind's memory grows with
# them (large benchmark corpus: 571 MB with them, 477 MB without). Which overviews cite an
# author is on the references page; the search page says so.
EXCLUDE_SELECTORS = (".headerlink", ".kop-references", ".kop-prisma", ".md-source-file", ".kop-cite-box",
                     ".kop-cite")

PAGEFIND_FAILED = message("KOP940")
#: The site's words and areas for the search page (query check, suggestions): see kop.site.search_words.
VOCABULARY_PATH = "sok/ord.json"
#: Pagefind filter that separates the two scopes: overviews carry "oversikt" (kop.features.search),
#: every other indexed page (the help pages under Bidra, Om KÖP, Tillgänglighet) "hjalp".
SCOPE_FILTER = "typ"
HELP_SCOPE = "hjalp"


def indexed_pages(site_dir: Path) -> list[Path]:
    """The built pages Pagefind indexes (:data:`INDEX_GLOB`), sorted."""
    found = set(site_dir.glob("oversikter/*/index.html")) | set(site_dir.glob("bidra/**/index.html"))
    found |= {p for p in (site_dir / "om-kop" / "index.html", site_dir / "tillganglighet" / "index.html")
              if p.is_file()}
    return sorted(found)


def prepare_pages(site_dir: Path) -> None:
    """Before Pagefind: add compound parts and the scope to each indexed page; write the vocabulary.

    The extra words go into a hidden element at the end of the article, where Pagefind reads
    them like the keywords (they are never shown). Text is escaped: it comes from the pages.
    """
    root_class = ROOT_SELECTOR.split(".", 1)[1]
    excluded = [sel.lstrip(".") for sel in EXCLUDE_SELECTORS]
    pages: list[tuple[Path, str, list[str]]] = []
    known: set[str] = set()
    areas: dict[str, str] = {}
    for path in indexed_pages(site_dir):
        page_html = path.read_text(encoding="utf-8")
        text, page_areas = page_text(page_html, root_class, excluded)
        page_words = words(text)
        known.update(page_words)
        areas.update({a: f"omraden/{area_slug(a)}/" for a in page_areas})
        pages.append((path, page_html, page_words))
    splits = compound_splits(known)
    for path, page_html, page_words in pages:
        cut = page_html.rfind("</article>")
        if cut < 0:
            continue
        parts = compound_parts(page_words, splits)
        is_overview = path.parent.parent.name == "oversikter" and path.parent.parent.parent == site_dir
        scope = ("" if is_overview else
                 f'<span data-pagefind-filter="{SCOPE_FILTER}[data-kop-value]" data-kop-value="{HELP_SCOPE}"></span>')
        extra = f'<p data-pagefind-weight="2">{html.escape(" ".join(parts))}</p>' if parts else ""
        if scope or extra:
            markup = f'<div class="kop-search-extra" hidden>{scope}{extra}</div>'
            path.write_text(page_html[:cut] + markup + page_html[cut:], encoding="utf-8")
    target = site_dir / VOCABULARY_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(vocabulary_json(known, areas), encoding="utf-8")


def pagefind_executable() -> Path:
    """The Pagefind binary shipped in the ``pagefind_bin`` wheel (works offline)."""
    from pagefind_bin import get_executable

    return get_executable()


def pagefind_command(site_dir: Path) -> list[str]:
    return [
        str(pagefind_executable()),
        "--site", str(site_dir),
        "--output-subdir", BUNDLE_DIR,
        "--glob", INDEX_GLOB,
        "--root-selector", ROOT_SELECTOR,
        "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS),
        "--force-language", "sv",
        "--silent",
    ]


def run_pagefind(site_dir: Path, timeout: float = 300) -> list[str]:
    """Index ``site_dir`` in place; return problems (empty list = success)."""
    if not site_dir.is_dir():
        return [f"mappen {site_dir} finns inte"]
    try:
        prepare_pages(site_dir)
        proc = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, UnicodeDecodeError, subprocess.TimeoutExpired) as exc:
        return [str(exc)]
    if proc.returncode != 0:
        return [(proc.stderr or proc.stdout or f"avslutningskod {proc.returncode}").strip()]
    if not (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        return ["Pagefind skapade ingen pagefind.js"]
    try:
        stabilise(site_dir / BUNDLE_DIR)  # byte-identical output for reproducible builds
    except (OSError, ValueError, KeyError) as exc:
        return [f"Pagefinds index kunde inte göras stabilt: {exc}"]
    return []


def index_site(project: Project, site_dir: Path, result: CheckResult, timings: Timings) -> bool:
    """The build hook: index the new site; on failure add a diagnostic and return True (stop)."""
    start = time.perf_counter()
    problems = run_pagefind(site_dir)
    timings.add("sökindex", start)
    for problem in problems:
        result.diagnostics.append(PAGEFIND_FAILED.at(project.display(project.mkdocs_yml), 1, 0, problem=problem))
    return bool(problems)
