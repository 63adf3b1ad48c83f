"""The evidence map: every finding of every published overview, by area and evidence strength.

A reader who asks "what do we know well about X?" sees one small table of counts
(areas × strengths); each count links to a filtered search (``sok/?area=…&strength=…``)
for the overviews behind it, so the page does not grow with the site. Below the table,
per area, a few example findings for each strength (at most :data:`EXAMPLES`), each with
a link to the overview that states it. Lists rather than a wide matrix of text keep the
page readable at 360 px. Pure: data in,
Markdown/HTML out; every front-matter value is escaped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

from kop.core.html import esc
from kop.core.model import Overview
from kop.core.urls import area_slug
from kop.render.fragments import block
from kop.render.overview import evidence_badge
from kop.schema.load import evidence_label, vocabularies

PAGE_PATH = "evidenskarta.md"
TITLE = "Evidenskarta"
EXAMPLES = 3  # example findings shown per area and strength; the rest are one search away


@dataclass(frozen=True)
class MapFinding:
    """One finding placed on the map."""

    statement: str
    strength: str
    overview: Overview


def strengths() -> list[str]:
    """The site's evidence scale, strongest first (from the vocabulary file)."""
    return [item["value"] for item in vocabularies()["evidence"]]


def collect(published: list[Overview]) -> dict[str, dict[str, list[MapFinding]]]:
    """{area: {strength: [findings]}}; a finding counts in every area of its overview."""
    grid: dict[str, dict[str, list[MapFinding]]] = defaultdict(lambda: defaultdict(list))
    for ov in sorted(published, key=lambda o: str(o.meta.get("title", o.slug))):
        for finding in ov.meta.get("findings") or []:
            if not isinstance(finding, dict):
                continue
            strength = str(finding.get("strength", ""))
            item = MapFinding(" ".join(str(finding.get("statement", "")).split()), strength, ov)
            for area in ov.meta.get("area") or []:
                grid[str(area)][strength].append(item)
    return grid


def search_href(area: str, strength: str = "") -> str:
    """The search page filtered to one area (and strength), relative to the evidence map."""
    query = f"area={quote(area)}" + (f"&strength={quote(strength)}" if strength else "")
    return f"../sok/?{query}"


def _cell_id(area: str, strength: str = "") -> str:
    return f"omrade-{area_slug(area)}" + (f"-{area_slug(strength)}" if strength else "")


def evidence_map_page(published: list[Overview]) -> str:
    """The whole page as Markdown with embedded HTML."""
    grid = collect(published)
    scale = strengths()
    areas = [item["value"] for item in vocabularies()["areas"] if item["value"] in grid]
    areas += sorted(a for a in grid if a not in areas)  # values outside the vocabulary, should they appear
    out = [
        "---", f"title: {TITLE}", "---", "", f"# {TITLE}", "",
        "Evidenskartan visar alla slutsatser i de publicerade översikterna, ordnade efter område och efter hur "
        "starkt stöd de har. Siffrorna i tabellen är antal slutsatser. Välj en siffra för att söka fram "
        "översikterna med sådana slutsatser inom området; under tabellen finns några exempel från varje område. "
        "En översikt kan höra till flera områden, och då räknas dess slutsatser i vart och ett av dem.",
        "",
    ]
    if not areas:
        out.append("Det finns ännu inga slutsatser i publicerade översikter.")
        return "\n".join(out) + "\n"
    head = "".join(f'<th scope="col">{esc(evidence_label(s))}</th>' for s in scale)
    rows = []
    for area in areas:
        cells = []
        for strength in scale:
            count = len(grid[area].get(strength, []))
            noun = "slutsats" if count == 1 else "slutsatser"
            label = f"{count} {noun} med {evidence_label(strength).lower()} inom {area}: sök fram översikterna"
            cells.append(f'<td><a href="{esc(search_href(area, strength))}" aria-label="{esc(label)}">{count}</a></td>'
                         if count else "<td>0</td>")
        rows.append(f'<tr><th scope="row"><a href="#{_cell_id(area)}">{esc(area.capitalize())}</a></th>'
                    + "".join(cells) + "</tr>")
    out.append(block(
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        '<table class="kop-evidence-map"><caption>Antal slutsatser per område och evidensstyrka</caption>'
        f'<thead><tr><th scope="col">Område</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        "</div></div>"))
    for area in areas:
        section = [f'<section class="kop-evidence-area">\n<h2 id="{_cell_id(area)}">{esc(area.capitalize())}</h2>']
        for strength in scale:
            findings = grid[area].get(strength, [])
            if not findings:
                continue
            shown = findings[:EXAMPLES]
            items = "".join(
                f"<li>{esc(f.statement)} "
                f'<span class="kop-evidence-source">(<a href="../oversikter/{f.overview.slug}/#resultat-i-korthet">'
                f"{esc(f.overview.meta.get('title', f.overview.slug))}</a>)</span></li>"
                for f in shown
            )
            if len(findings) > len(shown):
                items += (f'<li class="kop-evidence-more"><a href="{esc(search_href(area, strength))}">'
                          f"Sök fram alla översikter med {esc(evidence_label(strength).lower())} inom "
                          f"{esc(area)}</a> ({len(findings)} slutsatser)</li>")
            section.append(
                f'<h3 id="{_cell_id(area, strength)}">{evidence_badge(strength)} ({len(findings)})</h3><ul>{items}</ul>'
            )
        section.append("</section>")
        out.append(block("\n".join(section)))
    return "\n".join(out).rstrip("\n") + "\n"
