"""The summary-of-findings table: each finding with its evidence base, its grade and its references.

What SBU, Cochrane and Campbell readers expect at the top of a review: the finding, how
many studies (and participants) support it, their designs, how certain it is, and the
references, linked to the page's reference list. The certainty is KÖP's own assessment;
a grade taken from a source is shown apart, as *enligt källan*, with the source's citation
and scale (:mod:`kop.render.marks`). A real ``<table>`` with caption and header scopes; on
a phone each row becomes a card with labelled fields (``data-label``, as in the catalogue).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kop.cite.apa import Formatted, anchor, cluster_signature
from kop.core.html import esc
from kop.core.model import Citation, CitationItem, Overview
from kop.render.marks import certainty_badge, source_grade_badge

HEADING_ID = "resultat-i-korthet"
HEADING = "Resultat i korthet"
CAPTION = "Slutsatserna, hur många studier de bygger på och hur säkra de är"

_AUTHOR = re.compile(r"([^,&()]+?), (?:[A-ZÅÄÖÉÜ]\.[\s-]?)+")  # "Surname, A. B." in an APA entry
MISSING = '<span class="kop-missing">Uppgift saknas</span>'

_REF_LINK = re.compile(r'<a href="#(ref-[A-Za-z0-9_-]+)"')


def finding_citation(keys: Iterable[str]) -> Citation:
    """A parenthetical cluster for the references that support one finding."""
    return Citation(items=[CitationItem(key=str(k).lstrip("@")) for k in keys], in_text=False,
                    start=0, end=0, line=0, column=0)


def document_citations(ov: Overview) -> list[Citation]:
    """Every cluster the page shows: the body's, one per finding, one per source grade and included study.

    The formatting run formats exactly these, so each must be here (a missing one falls back to a
    plain label); the build and the version pages both use this list.
    """
    cits = list(ov.citations)
    findings = ov.meta.get("findings")
    for finding in findings if isinstance(findings, list) else []:
        if not isinstance(finding, Mapping):
            continue
        if isinstance(finding.get("references"), list):
            cits.append(finding_citation(finding["references"]))
        grade = finding.get("source_grade")
        if isinstance(grade, Mapping) and isinstance(grade.get("source"), str):
            cits.append(finding_citation([grade["source"]]))
    studies = ov.meta.get("included_studies")
    for study in studies if isinstance(studies, list) else []:
        if isinstance(study, Mapping) and isinstance(study.get("key"), str):
            cits.append(finding_citation([study["key"]]))
    return cits


def describe_links(rendered: str) -> str:
    """Point each citation link at its reference-list entry with ``aria-describedby``.

    The entry is the full APA reference, so screen readers announce it as the link's
    description, and kop.js shows the same entry as a tooltip on hover and keyboard focus.
    """
    return _REF_LINK.sub(lambda m: f'{m.group(0)} aria-describedby="{m.group(1)}"', rendered)


def short_reference(key: str, formatted: Formatted, narrative: bool = True) -> str:
    """``Andersson m.fl. (2011)`` (or ``Andersson m.fl., 2011`` inside parentheses) from the formatted entry.

    The build formats clusters for the citations it knows; this keeps a link to the
    reference (and a readable label) for any other key a table refers to.
    """
    text = html.unescape(re.sub(r"<[^>]*>", "", formatted.entries.get(key, ""))).strip()
    match = re.match(r"(?P<names>[^(]*?)\s*\((?P<year>[^)]*)\)", text)
    if not match:
        return esc(key)
    authors = [a.strip(" &") for a in _AUTHOR.findall(match.group("names"))]
    authors = authors or [match.group("names").split(",", 1)[0].strip().rstrip(".") or key]
    if len(authors) == 2:
        names = f"{authors[0]} {'och' if narrative else '&'} {authors[1]}"
    else:
        names = authors[0] + (" m.fl." if len(authors) > 2 else "")
    year = match.group("year").strip()
    return esc(f"{names} ({year})" if narrative else f"{names}, {year}")


def cite(keys: Iterable[str], formatted: Formatted) -> str:
    """The formatted parenthetical cluster for ``keys`` (linked to the reference list)."""
    keys = [str(k).lstrip("@") for k in keys]
    if not keys:
        return ""
    cluster = formatted.clusters.get(cluster_signature(finding_citation(keys)))
    if cluster is None:
        links = (f'<a href="#{anchor(k)}">{short_reference(k, formatted, narrative=False)}</a>' for k in keys)
        cluster = "(" + "; ".join(links) + ")"
    return f'<span class="kop-cite" data-cites="{esc(" ".join(keys))}">{describe_links(cluster)}</span>'


def _count(n: Any, one: str, many: str) -> str:
    return f"{n:,}".replace(",", "\u00a0") + f" {one if n == 1 else many}"


def evidence_base(finding: Mapping[str, Any]) -> str:
    """``4 studier (1 200 deltagare)``; ``Uppgift saknas`` when the overview does not say."""
    studies, participants = finding.get("studies"), finding.get("participants")
    parts = []
    if isinstance(studies, int) and not isinstance(studies, bool):
        parts.append(_count(studies, "studie", "studier"))
    if isinstance(participants, int) and not isinstance(participants, bool):
        people = _count(participants, "deltagare", "deltagare")
        parts.append(f"({people})" if parts else people)
    return esc(" ".join(parts)) if parts else MISSING


def grade_cell(finding: Mapping[str, Any], formatted: Formatted, base: str) -> str:
    """KÖP's certainty (with who assessed it and why) and/or the source's own grade, never mixed."""
    out = []
    certainty = finding.get("certainty")
    if isinstance(certainty, Mapping) and certainty.get("level"):
        note = f"Bedömd av {esc(certainty.get('assessed_by'))}." if certainty.get("assessed_by") else ""
        if certainty.get("motivation"):
            note += f" {esc(certainty['motivation'])}"
        out.append(f'<p class="kop-grade">{certainty_badge(str(certainty["level"]), base)}'
                   + (f' <span class="kop-grade__note">{note.strip()}</span>' if note else "") + "</p>")
    source = finding.get("source_grade")
    if isinstance(source, Mapping) and source.get("grade"):
        citation = cite([source["source"]], formatted) if source.get("source") else ""
        scale = (f' <span class="kop-grade__note">Källans skala: {esc(source["scale"])}</span>'
                 if source.get("scale") else "")
        out.append(f'<p class="kop-grade kop-grade--source">{source_grade_badge(source["grade"], base)} '
                   f"{citation}{scale}</p>")
    legacy = finding.get("strength")
    if not out and isinstance(legacy, str):  # an older version (kop.features.versions), before the two grades
        out.append(f'<p class="kop-grade kop-grade--legacy">Gradering på den tidigare tregradiga skalan: '
                   f"{esc(legacy)}</p>")
    return "".join(out) or '<span class="kop-missing">Inte bedömd</span>'


def findings_table(ov: Overview, formatted: Formatted, base: str = "../../") -> str:
    """The section with heading-less table (the page writes the heading, so it is in the table of contents)."""
    findings = [f for f in ov.meta.get("findings") or [] if isinstance(f, Mapping)]
    if not findings:
        return ""
    rows = []
    for finding in findings:
        category = f'<span class="kop-category">{esc(finding["category"])}</span> ' if finding.get("category") else ""
        designs = ", ".join(esc(d) for d in finding.get("designs") or []) or MISSING
        rows.append(
            "<tr>"
            f'<th scope="row" data-label="Slutsats">{category}{esc(finding.get("statement"))}</th>'
            f'<td data-label="Antal studier">{evidence_base(finding)}</td>'
            f'<td data-label="Studiedesign">{designs}</td>'
            f'<td data-label="Bedömning">{grade_cell(finding, formatted, base)}</td>'
            f'<td data-label="Referenser">{cite(finding.get("references") or [], formatted)}</td>'
            "</tr>"
        )
    return (
        '<div class="kop-findings">'
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="kop-findings__table kop-sof">'
        f"<caption>{CAPTION}. Se <a href=\"{base}evidensstyrka/\">vad evidensstyrkan betyder</a>.</caption>"
        '<thead><tr><th scope="col">Slutsats</th><th scope="col">Antal studier (deltagare)</th>'
        '<th scope="col">Studiedesign</th><th scope="col">Evidensstyrka eller källans gradering</th>'
        '<th scope="col">Referenser</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></div></div></div>"
    )
