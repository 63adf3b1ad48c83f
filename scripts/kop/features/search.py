"""Site search with Pagefind: Swedish stemming, a chunked index and facets.

Material's built-in lunr search is prefix-only for Swedish ("placeringar" does not find
"placering") and ships one index file that grows with the whole site to every phone.
Pagefind (run offline from the ``pagefind_bin`` wheel) stems Swedish, splits its index
into small chunks that are fetched per query, and supports filters.

This module has three jobs, all about search:

* :func:`index_markup` – the hidden ``data-pagefind-*`` markup an overview page carries
  (facet values, result metadata, weighted keywords and synonyms from front matter);
* :func:`search_page` – the search page with its facet form (plain GET form, so the
  filter state lives in the URL and a filtered view can be shared);
* :func:`run_pagefind` – indexes the freshly built site before it is swapped into place.

Pure apart from :func:`run_pagefind`. Every front-matter value is escaped for HTML here,
because contributors are not trusted and the index feeds the search results.
"""

from __future__ import annotations

import html
import subprocess
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kop.core.catalogue import message
from kop.core.model import Overview
from kop.render.fragments import block
from kop.schema.load import evidence_label, vocabularies
from kop.site.pagefind_stable import stabilise

if TYPE_CHECKING:  # build.py imports this module; these are for type checkers only
    from kop.core.project import Project
    from kop.core.results import CheckResult, Timings

PAGE_PATH = "sok.md"
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
KEYWORD_WEIGHT = 5  # Pagefind weights run 0–10; headings are 7 and body text 1.

STATUS_LABELS = {
    "granskning": "Under granskning",
    "publicerad": "Publicerad",
    "under-uppdatering": "Under uppdatering",
    "inaktuell": "Inaktuell",
}

PAGEFIND_FAILED = message("KOP940")


@dataclass(frozen=True)
class Facet:
    """One filter of the search page: Pagefind filter key and Swedish legend."""

    key: str
    legend: str


FACETS = (
    Facet("area", "Område"),
    Facet("method", "Metod"),
    Facet("strength", "Evidensstyrka som förekommer"),
    Facet("year", "Publiceringsår"),
    Facet("status", "Status"),
)


def _e(value: Any) -> str:
    return html.escape("" if value is None else " ".join(str(value).split()), quote=True)


def facet_values(meta: dict[str, Any]) -> dict[str, list[str]]:
    """The filter values of one overview, in the form the index and the URL use."""
    present = {str(f["strength"]) for f in meta.get("findings") or [] if isinstance(f, dict) and f.get("strength")}
    scale = [item["value"] for item in vocabularies()["evidence"]]
    strengths = [s for s in scale if s in present] + sorted(present - set(scale))  # strongest first
    published = str(meta.get("published") or "")
    return {
        "area": [str(a) for a in meta.get("area") or []],
        "method": [str(meta["method"])] if meta.get("method") else [],
        "strength": strengths,
        "year": [published[:4]] if published[:4].isdigit() else [],
        "status": [str(meta["status"])] if meta.get("status") else [],
    }


def _words(values: Iterable[Any]) -> str:
    return " · ".join(_e(v) for v in values if str(v).strip())


def index_markup(meta: dict[str, Any]) -> str:
    """Hidden markup that tells Pagefind an overview's facets, result fields and extra words.

    Keywords and synonyms get a higher weight so that a reader who searches "vård" finds an
    overview about "barnavård" when its authors listed "vård" as a synonym (Pagefind does
    not split Swedish compounds).
    """
    filters = "".join(
        f'<span data-pagefind-filter="{key}">{_e(value)}</span>'
        for key, values in facet_values(meta).items()
        for value in values
    )
    areas = ", ".join(str(a) for a in meta.get("area") or [])
    terms = list(meta.get("keywords") or []) + list(meta.get("synonyms") or [])
    weighted = f'<p data-pagefind-weight="{KEYWORD_WEIGHT}">{_words(terms)}</p>' if terms else ""
    return (
        '<div class="kop-search-data" hidden>'
        f"{filters}"
        f'<span data-pagefind-meta="area">{_e(areas)}</span>'
        f"{weighted}"
        "</div>"
    )


def _label(key: str, value: str) -> str:
    if key == "strength":
        return evidence_label(value)
    if key == "status":
        return STATUS_LABELS.get(value, value)
    return value[:1].upper() + value[1:]


def available_facets(published: list[Overview]) -> dict[str, list[tuple[str, int]]]:
    """Values present among the published overviews, with how many overviews have each."""
    counts: dict[str, Counter[str]] = {facet.key: Counter() for facet in FACETS}
    for ov in published:
        for key, values in facet_values(ov.meta).items():
            counts[key].update(values)
    ordered: dict[str, list[tuple[str, int]]] = {}
    for key, counter in counts.items():
        values = sorted(counter, reverse=True) if key == "year" else sorted(counter)
        if key == "strength":
            scale = [item["value"] for item in vocabularies()["evidence"]]
            values = sorted(counter, key=lambda v: (scale.index(v) if v in scale else len(scale), v))
        ordered[key] = [(v, counter[v]) for v in values]
    return ordered


def search_page(published: list[Overview]) -> str:
    """The search page: query field and facets in one GET form (state in the URL)."""
    fieldsets = []
    for facet in FACETS:
        values = available_facets(published)[facet.key]
        if not values:
            continue
        boxes = "".join(
            f'<li><label><input type="checkbox" name="{facet.key}" value="{_e(value)}"> '
            f'{_e(_label(facet.key, value))} <span class="kop-facet-count">({count})</span></label></li>'
            for value, count in values
        )
        fieldsets.append(f'<fieldset class="kop-facet" data-facet="{facet.key}"><legend>{_e(facet.legend)}</legend>'
                         f"<ul>{boxes}</ul></fieldset>")
    return (
        "---\ntitle: Sök\nkop_page: search\n---\n\n# Sök bland översikterna"
        + block(
        '<div class="kop-search-page">\n'
        '<form id="kop-search-form" class="kop-search-form" action="./" method="get" role="search" '
        'aria-label="Sök bland översikterna">'
        '<p class="kop-search-query"><label for="kop-q">Sökord</label> '
        '<input id="kop-q" type="search" name="q" autocomplete="off" spellcheck="false"> '
        '<button type="submit" class="md-button md-button--primary">Sök</button></p>'
        '<div class="kop-facets">' + "".join(fieldsets) + "</div>"
        '<p><a class="kop-search-reset" href="./">Rensa sökning och filter</a></p>'
        "</form>\n"
        '<p class="kop-search-hint">Sökningen gäller översikternas egen text. Letar du efter en författare som '
        'översikterna hänvisar till, se <a href="../referenser/">referenslistan</a>: där står vid varje verk '
        "vilka översikter som citerar det.</p>\n"
        '<p id="kop-search-status" class="kop-search-status" role="status" aria-live="polite"></p>\n'
        '<ol id="kop-search-results" class="kop-results"></ol>\n'
        # Not <noscript> (the sanitiser does not allow it): kop.js hides this note when it runs.
        '<p class="kop-search-nojs">Sökningen behöver JavaScript. Utan JavaScript kan du bläddra i '
        '<a href="../oversikter/">katalogen över alla översikter</a>.</p>\n'
        "</div>")
    )


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
    try:
        proc = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
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
    import time

    start = time.perf_counter()
    problems = run_pagefind(site_dir)
    timings.add("sökindex", start)
    for problem in problems:
        result.diagnostics.append(PAGEFIND_FAILED.at(project.display(project.mkdocs_yml), 1, 0, problem=problem))
    return bool(problems)
