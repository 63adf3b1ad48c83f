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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kop.core.model import Overview
from kop.core.results import CheckResult
from kop.features.base import BaseFeature, BuildContext, Files
from kop.render.facets import facet_values
from kop.render.fragments import block
from kop.render.marks import certainty_label, certainty_values, status_label
from kop.render.overview import PageParts

PAGE_PATH = "sok.md"
KEYWORD_WEIGHT = 5  # Pagefind weights run 0–10; headings are 7 and body text 1.

#: The scope filter (the same key as kop.site.search_index.SCOPE_FILTER): overviews by default.
SCOPE_FILTER = "typ"
OVERVIEW_SCOPE = "oversikt"

@dataclass(frozen=True)
class Facet:
    """One filter of the search page: Pagefind filter key and Swedish legend."""

    key: str
    legend: str


FACETS = (
    Facet("area", "Område"),
    Facet("method", "Metod"),
    Facet("certainty", "Evidensstyrka som förekommer"),
    Facet("year", "Publiceringsår"),
    Facet("status", "Status"),
)


def _e(value: Any) -> str:
    return html.escape("" if value is None else " ".join(str(value).split()), quote=True)


def _words(values: Iterable[Any]) -> str:
    return " · ".join(_e(v) for v in values if str(v).strip())


def _attr_value(kind: str, key: str, value: Any) -> str:
    """An empty element that gives Pagefind a filter or meta value from an attribute.

    The value is not element text, so it is neither searchable nor shown in excerpts
    ("publicerad" in hidden text used to match every overview).
    """
    return f'<span data-pagefind-{kind}="{key}[data-kop-value]" data-kop-value="{_e(value)}"></span>'


def index_markup(meta: dict[str, Any]) -> str:
    """Hidden markup that tells Pagefind an overview's facets, result fields and extra words.

    Keywords and synonyms get a higher weight so that a reader who searches "vård" finds an
    overview about "barnavård" when its authors listed "vård" as a synonym. Compounds of the
    text are split at index time as well (kop.site.search_words).
    """
    filters = "".join(
        _attr_value("filter", key, value) for key, values in facet_values(meta).items() for value in values
    )
    scope = _attr_value("filter", SCOPE_FILTER, OVERVIEW_SCOPE)
    areas = ", ".join(str(a) for a in meta.get("area") or [])
    withdrawn = isinstance(meta.get("withdrawn"), dict)
    status = str(meta.get("status") or "")
    result_meta = (_attr_value("meta", "area", areas) + _attr_value("meta", "status", status_label(status, withdrawn))
                   + _attr_value("meta", "published", "1" if status == "publicerad" and not withdrawn else "0"))
    levels = facet_values(meta)["certainty"]
    if levels:  # KÖP's own certainty only, in words (a source's grade is never called evidensstyrka)
        result_meta += _attr_value("meta", "certainty", ", ".join(certainty_label(v) for v in levels))
    if meta.get("example") is True:
        result_meta += _attr_value("meta", "example", "Exempel")
    terms = list(meta.get("keywords") or []) + list(meta.get("synonyms") or [])
    weighted = f'<p data-pagefind-weight="{KEYWORD_WEIGHT}">{_words(terms)}</p>' if terms else ""
    return f'<div class="kop-search-data" hidden>{filters}{scope}{result_meta}{weighted}</div>'


def _label(key: str, value: str) -> str:
    if key == "certainty":
        return certainty_label(value)
    if key == "status":
        return status_label(value)
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
        if key == "certainty":
            scale = certainty_values()
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
        # A disclosure: on a phone the results come first and the filters open on demand.
        '<details id="kop-filters" class="kop-filters"><summary>Filtrera träffarna '
        '<span id="kop-filters-chosen" class="kop-filters-chosen"></span></summary>'
        '<div class="kop-facets">' + "".join(fieldsets) + "</div>"
        '<p><button type="submit" class="md-button">Visa träffar</button> '
        '<a class="kop-search-reset" href="./">Rensa sökning och filter</a></p>'
        "</details>"
        "</form>\n"
        '<p id="kop-search-status" class="kop-search-status" role="status" aria-live="polite"></p>\n'
        '<div id="kop-search-note" class="kop-search-note"></div>\n'
        '<ol id="kop-search-results" class="kop-results"></ol>\n'
        '<section id="kop-help-results" class="kop-help-results" hidden aria-labelledby="kop-help-heading">'
        '<h2 id="kop-help-heading">Hjälpsidor för dig som bidrar</h2>'
        '<p class="kop-help-status"></p><ol class="kop-results kop-results--compact"></ol></section>\n'
        '<p class="kop-search-hint">Sökningen gäller översikternas egen text. Letar du efter en författare som '
        'översikterna hänvisar till, se <a href="../referenser/">referenslistan</a>: där står vid varje verk '
        "vilka översikter som citerar det.</p>\n"
        # Not <noscript> (the sanitiser does not allow it): kop.js hides this note when it runs.
        '<p class="kop-search-nojs">Sökningen behöver JavaScript. Utan JavaScript kan du bläddra i '
        '<a href="../oversikter/">katalogen över alla översikter</a>.</p>\n'
        "</div>")
    )


class SearchFeature(BaseFeature):
    """The search page and the hidden markup Pagefind reads on every overview page."""

    name = "search"

    def addresses(self, result: CheckResult) -> set[str]:
        return {"sok/"}

    def files(self, ctx: BuildContext) -> Files:
        return {PAGE_PATH: search_page(ctx.result.published())}

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts:
        return PageParts(header=[index_markup(ov.meta)])
