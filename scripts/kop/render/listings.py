"""The listing pages: the catalogue of all overviews, area pages, the references page, latest lists.

Pure functions of the published overviews (and the formatted references): data in,
Markdown with generated HTML blocks out. Every value from front matter goes through
:func:`kop.core.html.esc`.
"""

from __future__ import annotations

from collections import defaultdict

from kop.cite.apa import Formatted, anchor
from kop.core.html import esc
from kop.core.model import Overview
from kop.core.urls import area_slug
from kop.render.facets import facet_values
from kop.render.fragments import block
from kop.render.overview import STATUS_LABELS, evidence_badge, page_keys
from kop.schema.load import evidence_label, vocabularies

LATEST_COUNT = 5


def _date(ov: Overview, name: str) -> str:
    return str(ov.meta.get(name) or "")


def _row(ov: Overview, base: str) -> str:
    """One catalogue row; the data-* attributes are what kop.js sorts and filters on."""
    meta = ov.meta
    facets = facet_values(meta)
    areas = ", ".join(esc(a) for a in meta.get("area") or [])
    status = str(meta.get("status", ""))
    strengths = " ".join(evidence_badge(s) for s in facets["strength"])
    updated = _date(ov, "updated") or _date(ov, "published")
    return (
        f'<tr data-area="{esc("|".join(facets["area"]))}" data-method="{esc(meta.get("method"))}" '
        f'data-status="{esc(status)}" data-strength="{esc("|".join(facets["strength"]))}" '
        f'data-title="{esc(meta.get("title"))}" data-published="{esc(_date(ov, "published"))}" '
        f'data-updated="{esc(updated)}">'
        f'<td data-label="Titel"><a href="{base}oversikter/{ov.slug}/">{esc(meta.get("title"))}</a></td>'
        f'<td data-label="Område">{areas}</td><td data-label="Metod">{esc(meta.get("method"))}</td>'
        f'<td data-label="Evidens">{strengths}</td>'
        f'<td data-label="Status">{esc(STATUS_LABELS.get(status, status))}</td>'
        f'<td data-label="Publicerad"><time datetime="{esc(_date(ov, "published"))}">{esc(_date(ov, "published"))}'
        "</time></td>"
        f'<td data-label="Uppdaterad"><time datetime="{esc(updated)}">{esc(updated)}</time></td>'
        "</tr>"
    )


# Sortable columns: header text and the row attribute kop.js sorts by.
CATALOGUE_COLUMNS = (
    ("Titel", "title"), ("Område", "area"), ("Metod", "method"), ("Evidens", ""), ("Status", "status"),
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


def catalogue_filters(published: list[Overview]) -> str:
    """The filter form above the catalogue. Hidden until kop.js runs, because only script can filter
    a static page; the form's GET parameters are the URL state a filtered view is shared with."""
    values: dict[str, set[str]] = defaultdict(set)
    for ov in published:
        for key, vals in facet_values(ov.meta).items():
            values[key].update(vals)
    scale = ["stark", "medel", "svag"]
    return (
        '<form class="kop-catalogue-filters" id="kop-catalogue-filters" method="get" action="./" hidden '
        'aria-label="Filtrera översikterna">'
        '<p class="kop-filter"><label for="kop-filter-q">Titel innehåller</label>'
        '<input id="kop-filter-q" type="search" name="q" autocomplete="off"></p>'
        + _select("area", "Område", [(a, a.capitalize()) for a in sorted(values["area"])])
        + _select("method", "Metod", [(m, m.capitalize()) for m in sorted(values["method"])])
        + _select("strength", "Evidensstyrka",
                  [(v, evidence_label(v)) for v in sorted(values["strength"], key=lambda v: (v not in scale, v))])
        + _select("status", "Status", [(v, STATUS_LABELS.get(v, v)) for v in sorted(values["status"])])
        + '<p class="kop-filter kop-filter--actions"><a href="./">Visa alla</a></p>'
        "</form>\n"
        '<p id="kop-catalogue-status" class="kop-catalogue-status" role="status" aria-live="polite"></p>'
    )


def catalogue_page(published: list[Overview]) -> str:
    """All published overviews, newest first: sortable and filterable with kop.js, a plain table without."""
    ordered = sorted(published, key=lambda ov: (_date(ov, "published"), str(ov.meta.get("id"))), reverse=True)
    return (
        "---\ntitle: Alla översikter\n---\n\n# Alla översikter\n\n"
        f"{len(ordered)} publicerade kunskapsöversikter, de senast publicerade först. Du kan också "
        "[söka](../sok.md), bläddra per [område](../omraden/index.md) eller se "
        "[evidenskartan](../evidenskarta.md).\n\n"
        + block('<div class="kop-catalogue-wrap">\n' + catalogue_filters(ordered) + "\n"
                + overview_table(ordered, "../", sorted_by="published") + "\n</div>").lstrip("\n")
    )


def area_pages(published: list[Overview]) -> dict[str, str]:
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
        body = f"---\ntitle: {area.capitalize()}\n---\n\n# {esc(area.capitalize())}\n\n{esc(item['description'])}\n\n"
        body += (block(overview_table(ovs, "../../")).strip("\n") if ovs
                 else "Det finns ännu inga publicerade översikter inom området.")
        pages[f"omraden/{area_slug(area)}/index.md"] = body + "\n"
    pages["omraden/index.md"] = "\n".join(index_lines) + "\n"
    return pages


def references_page(published: list[Overview], formatted: Formatted) -> str:
    """Every cited work, APA 7, with the overviews that cite it (a reverse index)."""
    cited_by: dict[str, list[Overview]] = defaultdict(list)
    for ov in published:
        for key in page_keys(ov, formatted.order):
            cited_by[key].append(ov)
    items = []
    for key in formatted.order:
        if key not in cited_by:
            continue
        links = ", ".join(f'<a href="../oversikter/{ov.slug}/">{esc(ov.meta.get("title"))}</a>' for ov in cited_by[key])
        items.append(f'<li id="{anchor(key)}" class="csl-entry">{formatted.entries[key]}'
                     f'<p class="kop-cited-by">Citeras i: {links}</p></li>')
    return (
        "---\ntitle: Referenser\n---\n\n# Referenser\n\nAlla verk som citeras i de publicerade översikterna, "
        "med de översikter som citerar dem." + block(f'<ul class="kop-reflist">{"".join(items)}</ul>')
    )


def latest_section(published: list[Overview]) -> str:
    newest = sorted(published, key=lambda ov: (_date(ov, "published"), str(ov.meta.get("id"))), reverse=True)
    updated = sorted((ov for ov in published
                      if ov.meta.get("updated") and ov.meta.get("updated") != ov.meta.get("published")),
                     key=lambda ov: (_date(ov, "updated"), str(ov.meta.get("id"))), reverse=True)

    def items(ovs: list[Overview], field: str) -> str:
        return "".join(
            f'<li><a href="oversikter/{ov.slug}/">{esc(ov.meta.get("title"))}</a> '
            f'<time datetime="{esc(_date(ov, field))}">{esc(_date(ov, field))}</time></li>'
            for ov in ovs[:LATEST_COUNT]
        )

    out = '<section class="kop-latest">\n<h2 id="senast-publicerade">Senast publicerade</h2>\n'
    out += f"<ul>{items(newest, 'published')}</ul>\n" if newest else "<p>Inga översikter är publicerade ännu.</p>\n"
    if updated:
        out += f'<h2 id="senast-uppdaterade">Senast uppdaterade</h2>\n<ul>{items(updated, "updated")}</ul>\n'
    out += '<p><a href="oversikter/">Alla översikter</a></p>\n</section>'
    return out

