"""The listing pages: the catalogue of all overviews, area pages, the references page, latest lists.

Pure functions of the published overviews (and the formatted references): data in,
Markdown with generated HTML blocks out. Every value from front matter goes through
:func:`kop.core.html.esc`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict

from kop.cite.apa import Formatted, anchor
from kop.core.html import esc
from kop.core.model import Overview
from kop.core.urls import area_slug
from kop.render.facets import facet_values
from kop.render.fragments import block
from kop.render.marks import (
    certainty_label,
    certainty_tag,
    certainty_values,
    example_badge,
    marks,
    overview_status,
    status_label,
)
from kop.render.overview import front_matter, page_keys
from kop.schema.load import vocabularies

LATEST_COUNT = 5


def _date(ov: Overview, name: str) -> str:
    return str(ov.meta.get(name) or "")


def _has_source_grade(ov: Overview) -> bool:
    return any(isinstance(f, dict) and isinstance(f.get("source_grade"), dict) for f in ov.meta.get("findings") or [])


def certainty_cell(ov: Overview, levels: list[str]) -> str:
    """KÖP's own certainty levels; an overview whose grades all come from sources says so, apart."""
    if levels:
        return " ".join(certainty_tag(level) for level in levels)
    if _has_source_grade(ov):
        return '<span class="kop-missing">Ingen egen bedömning (bara källans gradering)</span>'
    return "–"


def _row(ov: Overview, base: str) -> str:
    """One catalogue row; the data-* attributes are what kop.js sorts and filters on."""
    meta = ov.meta
    facets = facet_values(meta)
    areas = ", ".join(esc(a) for a in meta.get("area") or [])
    status, words = overview_status(ov)
    example = example_badge(meta)
    updated = _date(ov, "updated") or _date(ov, "published")
    return (
        f'<tr data-area="{esc("|".join(facets["area"]))}" data-method="{esc(meta.get("method"))}" '
        f'data-status="{esc(status)}" data-certainty="{esc("|".join(facets["certainty"]))}" '
        f'data-title="{esc(meta.get("title"))}" data-published="{esc(_date(ov, "published"))}" '
        f'data-updated="{esc(updated)}">'
        f'<td data-label="Titel"><a href="{base}oversikter/{ov.slug}/">{esc(meta.get("title"))}</a>'
        f'{" " + example if example else ""}</td>'
        f'<td data-label="Område">{areas}</td><td data-label="Metod">{esc(meta.get("method"))}</td>'
        f'<td data-label="Evidensstyrka">{certainty_cell(ov, facets["certainty"])}</td>'
        f'<td data-label="Status"><span class="kop-status kop-status--{esc(status)}">{esc(words)}</span></td>'
        f'<td data-label="Publicerad"><time datetime="{esc(_date(ov, "published"))}">{esc(_date(ov, "published"))}'
        "</time></td>"
        f'<td data-label="Uppdaterad"><time datetime="{esc(updated)}">{esc(updated)}</time></td>'
        "</tr>"
    )


# Sortable columns: header text and the row attribute kop.js sorts by.
CATALOGUE_COLUMNS = (
    ("Titel", "title"), ("Område", "area"), ("Metod", "method"), ("Evidensstyrka", ""), ("Status", "status"),
    ("Publicerad", "published"), ("Uppdaterad", "updated"),
)


def overview_table(overviews: list[Overview], base: str, sorted_by: str = "") -> str:
    """A plain HTML table of overviews (works without JavaScript; kop.js adds sorting)."""
    rows = "".join(_row(ov, base) for ov in overviews)
    heads = "".join(
        f'<th scope="col"{f" data-sort={chr(34)}{key}{chr(34)}" if key else ""}'
        f'{f" aria-sort={chr(34)}descending{chr(34)}" if key and key == sorted_by else ""}>{label}</th>'
        for label, key in CATALOGUE_COLUMNS
    )
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="kop-catalogue">'
        f"<thead><tr>{heads}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div></div>"
    )


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(value)}">{esc(text)}</option>' for value, text in options)
    return (f'<p class="kop-filter"><label for="kop-filter-{name}">{label}</label>'
            f'<select id="kop-filter-{name}" name="{name}"><option value="">Alla</option>{opts}</select></p>')


def _facet_sets(published: list[Overview]) -> dict[str, set[str]]:
    """Every filter value present among the overviews, per filter."""
    values: dict[str, set[str]] = defaultdict(set)
    for ov in published:
        for key, vals in facet_values(ov.meta).items():
            values[key].update(vals)
    return values


def certainty_options(present: set[str]) -> list[tuple[str, str]]:
    """The certainty levels present, highest first (only KÖP's own scale: source grades are no filter)."""
    scale = certainty_values()
    ordered = sorted(present, key=lambda v: (scale.index(v) if v in scale else len(scale), v))
    return [(v, certainty_label(v)) for v in ordered]


def catalogue_filters(published: list[Overview]) -> str:
    """The filter form above the catalogue. Hidden until kop.js runs, because only script can filter
    a static page; the form's GET parameters are the URL state a filtered view is shared with."""
    values = _facet_sets(published)
    return (
        '<form class="kop-catalogue-filters" id="kop-catalogue-filters" method="get" action="./" hidden '
        'aria-label="Filtrera översikterna">'
        '<p class="kop-filter"><label for="kop-filter-q">Titel innehåller</label>'
        '<input id="kop-filter-q" type="search" name="q" autocomplete="off"></p>'
        + _select("area", "Område", [(a, a.capitalize()) for a in sorted(values["area"])])
        + _select("method", "Metod", [(m, m.capitalize()) for m in sorted(values["method"])])
        + _select("certainty", "Evidensstyrka", certainty_options(values["certainty"]))
        + _select("status", "Status", [(v, status_label(v)) for v in sorted(values["status"])])
        + '<p class="kop-filter kop-filter--actions"><a href="./">Visa alla</a></p>'
        "</form>\n"
        '<p id="kop-catalogue-status" class="kop-catalogue-status" role="status" aria-live="polite"></p>'
    )


CATALOGUE_PAGE_SIZE = 100  # rows per catalogue or area page: ~1,500 DOM nodes, well under the budget of 3,000
REFERENCES_PAGE_SIZE = 100  # references per page (about 2,700 elements; the page budget is 3,000)


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def page_dir(first: str, number: int) -> str:
    """Directory (no trailing slash) of page ``number`` of a listing whose first page lives in ``first``."""
    return first if number == 1 else f"{first}/sida-{number}".lstrip("/")


def pager(number: int, pages: int, label: str) -> str:
    """Links to every page of a paged listing, relative to page ``number`` (plain links, no JavaScript)."""
    if pages <= 1:
        return ""
    up = "" if number == 1 else "../"

    def target(n: int) -> str:  # page 1 is the listing's own directory, page n its sida-n/
        return "./" if n == number else up if n == 1 else f"{up}sida-{n}/"

    def link(n: int) -> str:
        current = ' aria-current="page"' if n == number else ""
        return f'<li><a href="{target(n)}"{current}>{n}</a></li>'

    prev = f'<a class="kop-pager__prev" href="{target(number - 1)}">Föregående sida</a>' if number > 1 else ""
    nxt = f'<a class="kop-pager__next" href="{target(number + 1)}">Nästa sida</a>' if number < pages else ""
    return (f'<nav class="kop-pager" aria-label="{esc(label)}"><p>Sida {number} av {pages}. {prev} {nxt}</p>'
            f'<ul>{"".join(link(n) for n in range(1, pages + 1))}</ul></nav>')


def catalogue_pages(published: list[Overview]) -> dict[str, str]:
    """All published overviews, newest first, ``CATALOGUE_PAGE_SIZE`` per static page.

    One page (a small site): sortable and filterable with kop.js, a plain table without.
    Several pages (``oversikter/``, ``oversikter/sida-2/`` …): each a plain table with links
    to every page, usable without JavaScript; the filter form then searches the whole site
    (a GET form to the search page, which reads the same parameters from the address).
    """
    ordered = sorted(published, key=lambda ov: (_date(ov, "published"), str(ov.meta.get("id"))), reverse=True)
    pages = page_count(len(ordered), CATALOGUE_PAGE_SIZE)
    out: dict[str, str] = {}
    for number in range(1, pages + 1):
        base = "../" if number == 1 else "../../"
        rows = ordered[(number - 1) * CATALOGUE_PAGE_SIZE:number * CATALOGUE_PAGE_SIZE]
        title = "Alla översikter" if number == 1 else f"Alla översikter, sida {number}"
        if pages == 1:
            intro = (f"<p>{len(ordered)} publicerade kunskapsöversikter, de senast publicerade först. Du kan också "
                     f'<a href="{base}sok/">söka</a>, bläddra per <a href="{base}omraden/">område</a> eller se '
                     f'<a href="{base}evidenskarta/">evidenskartan</a>.</p>')
            form = catalogue_filters(ordered)
        else:
            first, last = (number - 1) * CATALOGUE_PAGE_SIZE + 1, (number - 1) * CATALOGUE_PAGE_SIZE + len(rows)
            intro = (f"<p>{len(ordered)} publicerade kunskapsöversikter, de senast publicerade först. Här visas "
                     f"nummer {first}–{last}. Du kan också bläddra per <a href=\"{base}omraden/\">område</a> eller se "
                     f'<a href="{base}evidenskarta/">evidenskartan</a>.</p>')
            form = search_filters(ordered, base)
        nav = pager(number, pages, "Sidor i katalogen")
        body = ('<div class="kop-catalogue-wrap">\n' + intro + "\n" + form + "\n" + nav
                + overview_table(rows, base, sorted_by="published" if pages == 1 else "") + nav + "\n</div>")
        path = "oversikter/index.md" if number == 1 else f"{page_dir('oversikter', number)}/index.md"
        out[path] = front_matter({"title": title}) + f"# {title}\n" + block(body)
    return out


def search_filters(published: list[Overview], base: str) -> str:
    """The catalogue's filters as a plain GET form to the search page (for a catalogue of several pages)."""
    values = _facet_sets(published)
    return (
        f'<form class="kop-catalogue-filters kop-catalogue-filters--search" method="get" action="{base}sok/" '
        'aria-label="Sök och filtrera bland alla översikter">'
        '<p class="kop-filter"><label for="kop-filter-q">Sökord</label>'
        '<input id="kop-filter-q" type="search" name="q" autocomplete="off"></p>'
        + _select("area", "Område", [(a, a.capitalize()) for a in sorted(values["area"])])
        + _select("certainty", "Evidensstyrka", certainty_options(values["certainty"]))
        + '<p class="kop-filter kop-filter--actions"><button type="submit" class="md-button">Sök</button></p>'
        "</form>"
    )


def area_pages(published: list[Overview]) -> dict[str, str]:
    """``omraden/`` with every area of the vocabulary, and one page (or several) per area."""
    by_area: dict[str, list[Overview]] = defaultdict(list)
    for ov in published:
        for area in ov.meta.get("area") or []:
            by_area[area].append(ov)
    pages: dict[str, str] = {}
    index_lines = ["---", "title: Områden", "---", "", "# Områden", ""]
    for item in vocabularies()["areas"]:
        area = item["value"]
        count = len(by_area.get(area, []))
        index_lines.append(f"- [{area}]({area_slug(area)}/index.md) – {count} "
                           f"{'översikt' if count == 1 else 'översikter'}. {item['description']}")
        ovs = sorted(by_area.get(area, []), key=lambda ov: str(ov.meta.get("title")))
        total = page_count(len(ovs), CATALOGUE_PAGE_SIZE)
        for number in range(1, total + 1):
            base = "../../" if number == 1 else "../../../"
            rows = ovs[(number - 1) * CATALOGUE_PAGE_SIZE:number * CATALOGUE_PAGE_SIZE]
            title = area.capitalize() + ("" if number == 1 else f", sida {number}")
            body = front_matter({"title": title}) + f"# {esc(title)}\n\n{esc(item['description'])}\n\n"
            feed = "feed.xml" if number == 1 else "../feed.xml"
            body += block(f'<p class="kop-area-feed"><a href="{feed}" type="application/atom+xml">Följ området: '
                          "nya och uppdaterade översikter som flöde (Atom)</a></p>")
            nav = pager(number, total, f"Sidor inom {area}")
            body += (block(nav + overview_table(rows, base) + nav).strip("\n") if rows
                     else "Det finns ännu inga publicerade översikter inom området.")
            pages[f"{page_dir('omraden/' + area_slug(area), number)}/index.md"] = body + "\n"
    pages["omraden/index.md"] = "\n".join(index_lines) + "\n"
    return pages


# The references list is split by the first letter of the entry (the first author's surname in APA).
LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ")
LETTER_SLUGS = {"Å": "aa", "Ä": "ae", "Ö": "oe"}
OTHER = "övrigt"


def first_letter(entry_html: str) -> str:
    """The letter an APA entry is filed under: its first letter, or ``övrigt`` (digits, other scripts)."""
    text = html.unescape(re.sub(r"<[^>]*>", "", entry_html))
    for char in text:
        if char.isalnum():
            upper = unicodedata.normalize("NFC", char.upper())
            if upper in LETTERS:
                return upper
            base = unicodedata.normalize("NFD", upper)[0]
            return base if base in LETTERS[:26] else OTHER
    return OTHER


def letter_slug(letter: str) -> str:
    return "ovrigt" if letter == OTHER else LETTER_SLUGS.get(letter, letter.lower())


def _reference_items(keys: list[str], cited_by: dict[str, list[Overview]], formatted: Formatted, base: str) -> str:
    items = []
    for key in keys:
        links = "; ".join(f'<a href="{base}oversikter/{ov.slug}/">{esc(ov.meta.get("title"))}</a> {marks(ov)}'
                          for ov in cited_by[key])
        items.append(f'<li id="{anchor(key)}" class="csl-entry">{formatted.entries[key]}'
                     f'<p class="kop-cited-by">Citeras i: {links}</p></li>')
    return f'<ul class="kop-reflist">{"".join(items)}</ul>'


REFERENCES_INTRO = "Alla verk som citeras i de publicerade översikterna, med de översikter som citerar dem."


def references_pages(published: list[Overview], formatted: Formatted) -> dict[str, str]:
    """Every cited work, APA 7, with the overviews that cite it (a reverse index, "Citeras i").

    Up to ``REFERENCES_PAGE_SIZE`` works: one page, ``referenser/``. More: ``referenser/`` is an
    index of first letters, and each letter has its own page ``referenser/<bokstav>/`` (paged
    ``…/sida-2/`` when one letter alone is too long), so no page grows with the site.
    """
    cited_by: dict[str, list[Overview]] = defaultdict(list)
    for ov in published:
        for key in page_keys(ov, formatted.order):
            cited_by[key].append(ov)
    keys = [key for key in formatted.order if key in cited_by]
    front = "---\ntitle: Referenser\n---\n\n# Referenser\n\n"
    if len(keys) <= REFERENCES_PAGE_SIZE:
        return {"referenser.md": front + REFERENCES_INTRO + block(_reference_items(keys, cited_by, formatted, "../"))}
    by_letter: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_letter[first_letter(formatted.entries[key])].append(key)
    letters = [letter for letter in (*LETTERS, OTHER) if by_letter.get(letter)]

    def letter_nav(base: str, current: str = "") -> str:
        links = "".join(
            f'<li><a href="{base}{letter_slug(letter)}/"'
            f'{" aria-current=" + chr(34) + "page" + chr(34) if letter == current else ""}>'
            f'{esc(letter.capitalize())}</a></li>' for letter in letters)
        return f'<nav class="kop-letters" aria-label="Referenser efter första bokstav"><ul>{links}</ul></nav>'

    index = "".join(f'<li><a href="{letter_slug(letter)}/">{esc(letter.capitalize())}</a> – '
                    f"{len(by_letter[letter])} verk</li>"
                    for letter in letters)
    out = {"referenser.md": front + REFERENCES_INTRO + f" Listan har {len(keys)} verk och är uppdelad efter "
           "första bokstaven i referensen (oftast första författarens efternamn). Du kan också söka efter en "
           "författare eller en titel i [sökningen](sok.md)."
           + block(letter_nav("") + f'<ul class="kop-letter-index">{index}</ul>')}
    for letter in letters:
        group = by_letter[letter]
        total = page_count(len(group), REFERENCES_PAGE_SIZE)
        for number in range(1, total + 1):
            up = "../" if number == 1 else "../../"
            part = group[(number - 1) * REFERENCES_PAGE_SIZE:number * REFERENCES_PAGE_SIZE]
            title = f"Referenser: {letter.capitalize()}" + ("" if number == 1 else f", sida {number}")
            nav = pager(number, total, f"Sidor under {letter.capitalize()}")
            body = (f'<p>{len(group)} verk under {esc(letter.capitalize())}. <a href="{up}">Alla bokstäver</a>.</p>'
                    + letter_nav(up, letter) + nav + _reference_items(part, cited_by, formatted, up + "../") + nav)
            out[f"{page_dir('referenser/' + letter_slug(letter), number)}/index.md"] = (
                front_matter({"title": esc(title)}) + f"# {esc(title)}\n" + block(body))
    return out


START_MARKER = "<!-- kop:start -->"  # where docs/index.md wants the start page's search, latest and areas


def _latest(published: list[Overview]) -> tuple[list[Overview], list[Overview]]:
    newest = sorted(published, key=lambda ov: (_date(ov, "published"), str(ov.meta.get("id"))), reverse=True)
    updated = sorted((ov for ov in published
                      if ov.meta.get("updated") and ov.meta.get("updated") != ov.meta.get("published")),
                     key=lambda ov: (_date(ov, "updated"), str(ov.meta.get("id"))), reverse=True)
    return newest, updated


def _latest_items(ovs: list[Overview], field: str) -> str:
    return "".join(
        f'<li><a href="oversikter/{ov.slug}/">{esc(ov.meta.get("title"))}</a> {marks(ov)} '
        f'<time datetime="{esc(_date(ov, field))}">{esc(_date(ov, field))}</time></li>'
        for ov in ovs[:LATEST_COUNT]
    )


def start_section(published: list[Overview]) -> str:
    """The top of the start page: a search field, the latest overviews and one tile per area.

    Compact enough (with home.css) to be above the fold on a 360×800 phone. The search form
    is a plain GET form to the search page, so it works like the search page's own form.
    """
    newest, _ = _latest(published)
    by_area: dict[str, int] = defaultdict(int)
    for ov in published:
        for area in ov.meta.get("area") or []:
            by_area[str(area)] += 1
    tiles = "".join(
        f'<li><a href="omraden/{area_slug(item["value"])}/"><span class="kop-home-area__name">'
        f'{esc(str(item["value"]).capitalize())}</span> <span class="kop-home-area__count">'
        f'{by_area.get(item["value"], 0)}</span></a></li>'
        for item in vocabularies()["areas"]
    )
    latest = (f'<ul class="kop-home-latest">{_latest_items(newest, "published")}</ul>' if newest
              else "<p>Inga översikter är publicerade ännu.</p>")
    return (
        '<div class="kop-home">\n'
        '<form class="kop-home-search" action="sok/" method="get" role="search" aria-label="Sök bland översikterna">'
        '<label for="kop-home-q">Sök bland översikterna</label><span class="kop-home-search__row">'
        '<input id="kop-home-q" type="search" name="q" autocomplete="off" spellcheck="false">'
        '<button type="submit" class="md-button md-button--primary">Sök</button></span></form>\n'
        '<section class="kop-home-section kop-latest" aria-labelledby="senast-publicerade">'
        f'<h2 id="senast-publicerade">Senast publicerade</h2>{latest}</section>\n'
        '<section class="kop-home-section" aria-labelledby="omraden">'
        '<h2 id="omraden">Områden <span class="kop-home-area__legend">(antal översikter)</span></h2>'
        f'<ul class="kop-home-areas">{tiles}</ul>'
        '<p class="kop-home-all"><a href="oversikter/">Alla översikter</a> · <a href="evidenskarta/">Evidenskartan</a>'
        "</p></section>\n</div>"
    )


def start_page(index_text: str, published: list[Overview]) -> str:
    """docs/index.md with the start section at :data:`START_MARKER` (or after the text) and the updated list."""
    top = block(start_section(published))
    text = index_text.replace(START_MARKER, top, 1) if START_MARKER in index_text else index_text.rstrip("\n") + top
    return text.rstrip("\n") + block(updated_section(published))


def updated_section(published: list[Overview]) -> str:
    _, updated = _latest(published)
    if not updated:
        return ""
    return (f'<section class="kop-updated"><h2 id="senast-uppdaterade">Senast uppdaterade</h2>'
            f'<ul>{_latest_items(updated, "updated")}</ul></section>')
