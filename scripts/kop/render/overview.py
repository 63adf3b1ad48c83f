"""Render one overview into the Markdown page the site engine turns into HTML.

Pure functions: data in, text out, no I/O. Every front-matter value that reaches the
page goes through :func:`esc` (HTML context) because contributors are not trusted;
the author's Markdown body is passed on as Markdown, with citation clusters replaced
by the formatted, linked HTML from :mod:`kop.cite.apa`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kop.cite.apa import Formatted, anchor, cluster_signature
from kop.cite.keys import cited_keys
from kop.cite.markup import page_edits
from kop.core.html import esc
from kop.core.model import Citation, CitationItem, Overview
from kop.core.urls import area_slug
from kop.render.fragments import block, raw
from kop.render.prisma import prisma_figure
from kop.schema.load import evidence_label

STATUS_LABELS = {
    "utkast": "Utkast",
    "granskning": "Under granskning",
    "publicerad": "Publicerad",
    "under-uppdatering": "Under uppdatering",
    "inaktuell": "Inaktuell",
}


@dataclass
class PageParts:
    """What features add to an overview page (see :mod:`kop.features.base`).

    ``head``: the ``kop`` front-matter mapping for the page head (raw values, escaped by the
    theme); ``header``: markup at the end of the header card; ``sections``: generated blocks
    after the reference list, in feature order.
    """

    head: Mapping[str, Any] | None = None
    header: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)

    def merge(self, other: PageParts) -> None:
        if other.head:
            self.head = {**(self.head or {}), **other.head}
        self.header.extend(other.header)
        self.sections.extend(other.sections)


ROLE_LABELS = {"forskare": "Forskare", "praktiker": "Praktiker"}
EVIDENCE_ICONS = {"stark": "●●●", "medel": "●●○", "svag": "●○○"}



def finding_citation(keys: Iterable[str]) -> Citation:
    """A parenthetical cluster for the references that support one finding."""
    return Citation(items=[CitationItem(key=str(k).lstrip("@")) for k in keys], in_text=False,
                    start=0, end=0, line=0, column=0)


def page_keys(ov: Overview, order: list[str]) -> list[str]:
    """Keys this page cites (body, findings, article), in bibliography order."""
    cited = cited_keys(ov)
    return [key for key in order if key in cited]


_REF_LINK = re.compile(r'<a href="#(ref-[A-Za-z0-9_-]+)"')


def describe_links(rendered: str) -> str:
    """Point each citation link at its reference-list entry with ``aria-describedby``.

    The entry is the full APA reference, so screen readers announce it as the link's
    description, and kop.js shows the same entry as a tooltip on hover and keyboard focus.
    """
    return _REF_LINK.sub(lambda m: f'{m.group(0)} aria-describedby="{m.group(1)}"', rendered)


def replace_citations(body: str, citations: list[Citation], formatted: Formatted) -> str:
    """Swap each citation's source span for its formatted HTML, and apply :func:`page_edits`.

    The page is assembled from pieces in one pass, so the work is linear in the body however
    many citations and edits it has.
    """
    edits: list[tuple[int, int, str]] = []
    for cit in citations:
        rendered = formatted.clusters.get(cluster_signature(cit))
        if rendered is not None:
            keys = " ".join(esc(i.key) for i in cit.items)
            span = f'<span class="kop-cite" data-cites="{keys}">{describe_links(rendered)}</span>'
            edits.append((cit.start, cit.end, raw(span)))
    edits.extend(page_edits(body))
    edits.sort(key=lambda edit: (edit[0], edit[1]))
    pieces: list[str] = []
    done = 0
    for start, end, text in edits:
        if start < done:
            continue  # overlaps an edit already made (hand-built citations may overlap)
        pieces += (body[done:start], text)
        done = end
    pieces.append(body[done:])
    return "".join(pieces)


def _page_front_matter(ov: Overview, kop: Mapping[str, Any] | None = None) -> str:
    """``kop``: head metadata from :mod:`kop.render.headmeta` (raw strings; theme/kop/head-meta.html escapes them)."""
    meta = ov.meta
    # MkDocs' templates print page.meta values without escaping, so escape them here.
    data = {
        "title": esc(meta.get("title", ov.slug)),
        "description": esc(" ".join(str(meta.get("summary", "")).split())[:300]),
        "kop_id": str(meta.get("id", "")),
    }
    if kop:
        data["kop"] = dict(kop)
    return "---\n" + yaml_json(data) + "\n---\n\n"


_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def yaml_json(data: Any) -> str:
    """Serialise front matter as JSON, which YAML reads too, ten times faster than yaml.safe_dump.

    Characters YAML may not contain raw (C1 controls, U+2028/2029 line separators …) are
    written as ``\\uXXXX`` escapes, which both JSON and YAML double-quoted strings accept.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _people(ov: Overview) -> str:
    items = []
    for author in ov.meta.get("authors") or []:
        role = author.get("role", "")
        orcid = author.get("orcid")
        orcid_html = (f' <a class="kop-orcid" href="https://orcid.org/{esc(orcid)}">ORCID {esc(orcid)}</a>'
                      if orcid else "")
        items.append(
            f'<li><span class="kop-person">{esc(author.get("name"))}</span>, {esc(author.get("affiliation"))} '
            f'<span class="kop-role kop-role--{esc(role)}">{esc(ROLE_LABELS.get(role, role))}</span>{orcid_html}</li>'
        )
    return '<ul class="kop-authors">' + "".join(items) + "</ul>"


def _question_from(ov: Overview) -> str:
    items = []
    for org in ov.meta.get("question_from") or []:
        unit = f" ({esc(org.get('unit'))})" if org.get("unit") else ""
        items.append(f"<li>{esc(org.get('organisation'))}{unit} – {esc(org.get('role'))}</li>")
    return '<ul class="kop-orgs">' + "".join(items) + "</ul>"


def search_age_years(meta: Mapping[str, Any], today: date) -> float | None:
    """How many years ago the literature search was done (None when no valid ``search.date``)."""
    search = meta.get("search")
    raw = search.get("date") if isinstance(search, Mapping) else None
    try:
        searched = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        return None
    return (today - searched).days / 365.25


def stale_banner(meta: Mapping[str, Any], today: date | None, stale_after_years: float | None) -> str:
    """A warning when the literature search is older than the site's limit (``extra.kop.stale_after_years``)."""
    if today is None or not stale_after_years:
        return ""
    age = search_age_years(meta, today)
    if age is None or age <= float(stale_after_years):
        return ""
    searched = esc(meta["search"]["date"])
    return (
        '<div class="admonition warning kop-stale" role="note"><p class="admonition-title">Gammal litteratursökning</p>'
        f'<p>Litteraturen söktes <time datetime="{searched}">{searched}</time>, för mer än '
        f"{esc(f'{float(stale_after_years):g}')} år sedan. Nyare forskning kan ha tillkommit.</p></div>"
    )


def evidence_badge(strength: str) -> str:
    """Evidence strength as words plus a dot scale, never colour alone."""
    return (f'<span class="kop-evidence kop-evidence--{esc(strength)}">'
            f'<span class="kop-evidence__dots" aria-hidden="true">{EVIDENCE_ICONS.get(strength, "")}</span> '
            f"{esc(evidence_label(strength))}</span>")


def render_header(ov: Overview, base: str = "../../", *, today: date | None = None,
                  stale_after_years: float | None = None, extra: Sequence[str] = ()) -> str:
    """The header card: title, status, question, summary, people and dates; ``extra`` from features."""
    meta = ov.meta
    status = str(meta.get("status", ""))
    areas = ", ".join(
        f'<a href="{base}omraden/{area_slug(a)}/">{esc(a)}</a>' for a in meta.get("area") or []
    )
    dates = []
    if meta.get("published"):
        dates.append(f'Publicerad <time datetime="{esc(meta["published"])}">{esc(meta["published"])}</time>')
    if meta.get("updated") and meta.get("updated") != meta.get("published"):
        dates.append(f'uppdaterad <time datetime="{esc(meta["updated"])}">{esc(meta["updated"])}</time>')
    if meta.get("version"):
        dates.append(f"version {esc(meta['version'])}")
    parts = [
        '<header class="kop-header">',
        f'<p class="kop-kicker"><span class="kop-id">{esc(meta.get("id"))}</span> '
        f'<span class="kop-status kop-status--{esc(status)}">{esc(STATUS_LABELS.get(status, status))}</span></p>',
        f'<h1 data-pagefind-meta="title">{esc(meta.get("title", ov.slug))}</h1>',
    ]
    if meta.get("example"):
        parts.append(
            '<div class="admonition warning kop-example" role="note"><p class="admonition-title">Exempel</p>'
            "<p>Det här är en demonstrationsöversikt som visar hur KÖP fungerar. Den bygger på publicerade "
            "källor men är inte en riktig kunskapsöversikt.</p></div>"
        )
    if status == "inaktuell":
        parts.append(
            '<div class="admonition danger kop-outdated" role="note"><p class="admonition-title">Inaktuell</p>'
            "<p>Översikten är inte längre aktuell. Kontrollera om det finns nyare kunskap innan du använder den."
            "</p></div>"
        )
    parts.append(stale_banner(meta, today, stale_after_years))
    parts += [
        '<dl class="kop-facts">',
        f'<dt>Frågeställning</dt><dd class="kop-question">{esc(meta.get("question"))}</dd>',
        f'<dt>Sammanfattning</dt><dd class="kop-summary" data-pagefind-meta="summary">{esc(meta.get("summary"))}</dd>',
        f"<dt>Författare</dt><dd>{_people(ov)}</dd>",
        f"<dt>Frågan kommer från</dt><dd>{_question_from(ov)}</dd>",
        f"<dt>Område</dt><dd>{areas}</dd>",
        f'<dt>Metod</dt><dd>{esc(meta.get("method"))}</dd>',
        f'<dt>Datum</dt><dd>{", ".join(dates) or "–"}</dd>',
        "</dl>",
        *extra,
        "</header>",
    ]
    return "\n".join(p for p in parts if p)


def render_findings(ov: Overview, formatted: Formatted) -> str:
    """Findings as a table, each with its evidence strength in words (not colour alone)."""
    findings = ov.meta.get("findings") or []
    if not findings:
        return ""
    rows = []
    for finding in findings:
        strength = str(finding.get("strength", ""))
        cluster = formatted.clusters.get(cluster_signature(finding_citation(finding.get("references") or [])), "")
        category = f'<span class="kop-category">{esc(finding["category"])}</span> ' if finding.get("category") else ""
        rows.append(
            "<tr>"
            f'<td data-label="Slutsats">{category}{esc(finding.get("statement"))}</td>'
            f'<td data-label="Evidensstyrka">{evidence_badge(strength)}</td>'
            f'<td data-label="Stöd"><span class="kop-cite">{describe_links(cluster)}</span></td>'
            "</tr>"
        )
    return (
        '<section class="kop-findings">\n<h2 id="resultat-i-korthet">Resultat i korthet</h2>\n'
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="kop-findings__table">'
        "<thead><tr><th scope=\"col\">Slutsats</th><th scope=\"col\">Evidensstyrka</th>"
        "<th scope=\"col\">Stöd</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></div>\n</section>"
    )


def render_references(keys: list[str], formatted: Formatted) -> str:
    """The page's own reference list, APA 7, each entry an anchor target for its citations."""
    if not keys:
        return ""
    entries = "".join(
        f'<li id="{anchor(key)}" class="csl-entry">{formatted.entries.get(key, esc(key))}</li>' for key in keys
    )
    return (
        '<section class="kop-references">\n<h2 id="referenser">Referenser</h2>\n'
        f'<ul class="kop-reflist">{entries}</ul>\n</section>'
    )


def render_overview(ov: Overview, formatted: Formatted, *, today: date,
                    settings: Mapping[str, Any] | None = None, parts: PageParts | None = None) -> str:
    """The whole page: generated front matter, header card, findings, body, PRISMA, references.

    ``settings`` are the project's ``extra.kop`` settings (``Project.settings``); ``today`` is the
    date the stale-search banner compares with. ``parts`` are what the features add (head
    metadata, search markup, seminars, the Citera box).
    """
    settings = settings or {}
    parts = parts or PageParts()
    formatted = formatted.for_page(str(ov.meta.get("id")))  # the page is a document: its own year suffixes
    body = replace_citations(ov.body, ov.citations, formatted).strip("\n")
    keys = page_keys(ov, formatted.order)
    prisma = prisma_figure(ov.meta.get("prisma") if isinstance(ov.meta.get("prisma"), Mapping) else None)
    header = render_header(ov, today=today, stale_after_years=settings.get("stale_after_years"), extra=parts.header)
    return (
        _page_front_matter(ov, parts.head)
        + block(header).lstrip("\n")
        + block(render_findings(ov, formatted))
        + body
        + block(prisma)
        + block(render_references(keys, formatted))
        + "".join(block(section) for section in parts.sections)
    ).rstrip("\n") + "\n"
