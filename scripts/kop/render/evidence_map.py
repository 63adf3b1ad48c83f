"""The evidence map: every finding of every published overview, by area and evidence strength.

A reader who asks "what do we know well about X?" sees one small table of counts
(areas × certainty levels); each count links to a filtered search
(``sok/?area=…&certainty=…``) for the overviews behind it, so the page does not grow with
the site. Below the table, per area, a few example findings for each level (at most
:data:`EXAMPLES`), each with a link to the overview that states it, its status and its
example mark. Lists rather than a wide matrix of text keep the page readable at 360 px.

Only KÖP's own assessment (``certainty``) is on the map's axis and in its counts. A grade
that a cited source reports itself (``source_grade``) is not on that scale, so such findings
are listed apart, in their own section, as *enligt källan*. Findings from overviews that are
outdated or being updated are marked, in the counts and in the lists. Pure: data in,
Markdown/HTML out; every front-matter value is escaped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kop.core.html import esc
from kop.core.model import Overview
from kop.core.urls import area_slug
from kop.render.facets import certainty_of
from kop.render.fragments import block
from kop.render.marks import (
    LEGEND_DIR,
    SOURCE_GRADE_ANCHOR,
    certainty_label,
    certainty_tag,
    certainty_values,
    is_outdated,
    level_anchor,
    level_info,
    marks,
    source_grade_badge,
)
from kop.schema.load import vocabularies

PAGE_PATH = "evidenskarta.md"
TITLE = "Evidenskarta"
EXAMPLES = 3  # example findings shown per area and level; the rest are one search away
SOURCE_GRADES = "kallans-gradering"  # the section of findings graded only by a source


@dataclass(frozen=True)
class MapFinding:
    """One finding placed on the map (``level``: KÖP's certainty, '' for a source's grade only)."""

    statement: str
    level: str
    overview: Overview
    source_grade: str = ""

    @property
    def outdated(self) -> bool:
        return is_outdated(self.overview.meta)


def levels() -> list[str]:
    """The site's certainty scale, highest first (from the vocabulary file)."""
    return certainty_values()


def _source_grade(finding: Mapping[str, Any]) -> str:
    grade = finding.get("source_grade")
    return " ".join(str(grade.get("grade", "")).split()) if isinstance(grade, Mapping) else ""


def collect(published: list[Overview]) -> tuple[dict[str, dict[str, list[MapFinding]]], dict[str, list[MapFinding]]]:
    """({area: {level: [findings]}}, {area: [findings graded by a source]}); every area of the overview counts.

    A finding with KÖP's certainty is on the map (even if a source grades it too); a finding
    with only a source's grade is in the second mapping, never on the certainty axis.
    """
    grid: dict[str, dict[str, list[MapFinding]]] = defaultdict(lambda: defaultdict(list))
    sourced: dict[str, list[MapFinding]] = defaultdict(list)
    for ov in sorted(published, key=lambda o: str(o.meta.get("title", o.slug))):
        for finding in ov.meta.get("findings") or []:
            if not isinstance(finding, Mapping):
                continue
            item = MapFinding(" ".join(str(finding.get("statement", "")).split()), certainty_of(finding), ov,
                              _source_grade(finding))
            for area in ov.meta.get("area") or []:
                if item.level:
                    grid[str(area)][item.level].append(item)
                elif item.source_grade:
                    sourced[str(area)].append(item)
    return grid, sourced


def search_href(area: str, level: str = "") -> str:
    """The search page filtered to one area (and certainty level), relative to the evidence map."""
    query = f"area={quote(area)}" + (f"&certainty={quote(level)}" if level else "")
    return f"../sok/?{query}"


def _cell_id(area: str, level: str = "") -> str:
    return f"omrade-{area_slug(area)}" + (f"-{level_anchor(level)}" if level else "")


def _outdated_note(findings: list[MapFinding]) -> str:
    old = sum(1 for f in findings if f.outdated)
    return f' <span class="kop-map-outdated">(varav {old} ej aktuella)</span>' if old else ""


def _source(f: MapFinding, brackets: bool = True) -> str:
    """The overview a finding comes from, with its status and example mark."""
    link = (f'<a href="../oversikter/{f.overview.slug}/#resultat-i-korthet">'
            f"{esc(f.overview.meta.get('title', f.overview.slug))}</a> {marks(f.overview)}")
    return f'<span class="kop-evidence-source">{f"({link})" if brackets else link}</span>'


def _item(f: MapFinding) -> str:
    cls = ' class="kop-map-finding--outdated"' if f.outdated else ""
    return f"<li{cls}>{esc(f.statement)} {_source(f)}</li>"


def _table(grid: dict[str, dict[str, list[MapFinding]]], areas: list[str], scale: list[str]) -> str:
    head = "".join(
        f'<th scope="col"><a href="../{LEGEND_DIR}#{esc(level_anchor(s))}">{esc(certainty_label(s))}</a>'
        f' <span class="kop-certainty__symbol" aria-hidden="true">{esc(level_info(s).get("symbol", ""))}</span></th>'
        for s in scale)
    rows = []
    for area in areas:
        cells = []
        for level in scale:
            findings = grid[area].get(level, [])
            count = len(findings)
            noun = "slutsats" if count == 1 else "slutsatser"
            label = (f"{count} {noun} med evidensstyrka {certainty_label(level).lower()} inom {area}: "
                     "sök fram översikterna")
            cells.append(f'<td><a href="{esc(search_href(area, level))}" aria-label="{esc(label)}">{count}</a>'
                         f"{_outdated_note(findings)}</td>" if count else "<td>0</td>")
        rows.append(f'<tr><th scope="row"><a href="#{_cell_id(area)}">{esc(area.capitalize())}</a></th>'
                    + "".join(cells) + "</tr>")
    return ('<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
            '<table class="kop-evidence-map"><caption>Antal slutsatser per område och evidensstyrka '
            "(KÖP:s egen bedömning). <em>Ej aktuella</em>: ur översikter som är inaktuella eller under "
            "uppdatering.</caption>"
            f'<thead><tr><th scope="col">Område</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            "</div></div>")


def _source_section(sourced: dict[str, list[MapFinding]], areas: list[str]) -> str:
    """Findings graded only by a source, apart from the counts: per area, the overviews they come from."""
    parts = [f'<section class="kop-evidence-sourced">\n<h2 id="{SOURCE_GRADES}">Slutsatser med källans egen gradering'
             "</h2>"
             "<p>De här slutsatserna har ingen evidensstyrka från KÖP. Graderingen kommer från en källa som "
             f'översikten hänvisar till och står därför som <a href="../{LEGEND_DIR}#{SOURCE_GRADE_ANCHOR}">'
             "enligt källan</a>. De räknas inte i tabellen ovan.</p>"]
    for area in areas:
        by_overview: dict[str, list[MapFinding]] = defaultdict(list)
        for f in sourced.get(area, []):
            by_overview[f.overview.slug].append(f)
        if not by_overview:
            continue
        items = []
        for findings in list(by_overview.values())[:EXAMPLES]:
            first = findings[0]
            noun = "slutsats" if len(findings) == 1 else "slutsatser"
            items.append(f"<li>{_source(first, brackets=False)}: {len(findings)} {noun}, till exempel "
                         f"<q>{esc(first.statement)}</q> {source_grade_badge(first.source_grade, '../')}</li>")
        if len(by_overview) > EXAMPLES:
            items.append(f'<li class="kop-evidence-more">och {len(by_overview) - EXAMPLES} översikter till</li>')
        parts.append(f'<h3 id="{SOURCE_GRADES}-{area_slug(area)}">{esc(area.capitalize())}</h3>'
                     f"<ul>{''.join(items)}</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def evidence_map_page(published: list[Overview]) -> str:
    """The whole page as Markdown with embedded HTML."""
    grid, sourced = collect(published)
    scale = levels()
    known = [item["value"] for item in vocabularies()["areas"]]
    areas = [a for a in known if a in grid] + sorted(a for a in grid if a not in known)
    sourced_areas = [a for a in known if a in sourced] + sorted(a for a in sourced if a not in known)
    out = [
        "---", f"title: {TITLE}", "---", "", f"# {TITLE}",
        block(
            "<p>Evidenskartan visar slutsatserna i de publicerade översikterna, ordnade efter område och efter "
            f'<a href="../{LEGEND_DIR}">evidensstyrka</a>: hur säkra översikternas författare är på att slutsatsen '
            "stämmer. Siffrorna i tabellen är antal slutsatser. Välj en siffra för att söka fram översikterna med "
            "sådana slutsatser inom området; under tabellen finns några exempel från varje område. En översikt kan "
            "höra till flera områden, och då räknas dess slutsatser i vart och ett av dem. Slutsatser ur översikter "
            "som är inaktuella eller håller på att uppdateras är markerade.</p>"),
    ]
    if not areas and not sourced_areas:
        out.append("Det finns ännu inga slutsatser i publicerade översikter.")
        return "\n".join(out) + "\n"
    if areas:
        out.append(block(_table(grid, areas, scale)))
    else:
        out.append(block("<p>Ännu har ingen publicerad översikt en slutsats med KÖP:s egen evidensstyrka.</p>"))
    for area in areas:
        section = [f'<section class="kop-evidence-area">\n<h2 id="{_cell_id(area)}">{esc(area.capitalize())}</h2>']
        for level in scale:
            findings = grid[area].get(level, [])
            if not findings:
                continue
            items = "".join(_item(f) for f in findings[:EXAMPLES])
            if len(findings) > EXAMPLES:
                items += (f'<li class="kop-evidence-more"><a href="{esc(search_href(area, level))}">'
                          f"Sök fram alla översikter med evidensstyrka {esc(certainty_label(level).lower())} inom "
                          f"{esc(area)}</a> ({len(findings)} slutsatser)</li>")
            noun = "slutsats" if len(findings) == 1 else "slutsatser"
            section.append(f'<h3 id="{_cell_id(area, level)}">{certainty_tag(level, "Evidensstyrka: ")} '
                           f'<span class="kop-evidence-count">{len(findings)} {noun}</span></h3>'
                           f"<ul>{items}</ul>")
        section.append("</section>")
        out.append(block("\n".join(section)))
    if sourced_areas:
        out.append(block(_source_section(sourced, sourced_areas)))
    return "\n".join(out).rstrip("\n") + "\n"
