"""Render one overview into the Markdown page the site engine turns into HTML.

Pure functions: data in, text out, no I/O. Every front-matter value that reaches the
page goes through :func:`esc` (HTML context) because contributors are not trusted;
the author's Markdown body is passed on as Markdown, with citation clusters replaced
by the formatted, linked HTML from :mod:`kop.cite.apa`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kop.cite.apa import Formatted, anchor, cluster_signature
from kop.cite.keys import cited_keys
from kop.cite.markup import page_edits
from kop.core.html import esc
from kop.core.model import Citation, Overview
from kop.core.urls import area_slug
from kop.render.fragments import block, raw
from kop.render.marks import EXAMPLE_SENTENCE, example_badge, is_example, status_badge, status_label
from kop.render.prisma import prisma_figure
from kop.render.sections import Section, after_body_sections, summary_section
from kop.render.sof import HEADING as SOF_HEADING
from kop.render.sof import HEADING_ID as SOF_ID
from kop.render.sof import describe_links, finding_citation, findings_table
from kop.schema.load import vocabularies

__all__ = ["STATUS_LABELS", "PageParts", "describe_links", "finding_citation", "page_keys", "render_overview"]

TITLE_ID = "kop-titel"  # the page's main heading: the skip link's target
# The status in words per value, for callers that want a mapping (kop.render.pdf); new code: status_label.
STATUS_LABELS = {item["value"]: status_label(item["value"]) for item in vocabularies()["statuses"]}


@dataclass
class PageParts:
    """What features add to an overview page (see :mod:`kop.features.base`).

    ``head``: the ``kop`` front-matter mapping for the page head (raw values, escaped by the
    theme); ``header``: markup at the end of the "Om översikten" facts (authors, dates …) that
    follow the header card, summary and findings; ``sections``: generated blocks
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


def page_keys(ov: Overview, order: list[str]) -> list[str]:
    """Keys this page cites or lists (body, findings, article, source grades, included studies), in APA order."""
    cited = cited_keys(ov)
    return [key for key in order if key in cited]


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
    title = str(meta.get("title", ov.slug))
    summary = " ".join(str(meta.get("summary", "")).split())
    if is_example(meta):  # the browser tab, bookmarks and search-engine snippets say it too
        title = f"Exempel: {title}"
        summary = summary if "exempel" in summary[:100].lower() else f"{EXAMPLE_SENTENCE} {summary}"
    data = {
        "title": esc(title),
        "description": esc(summary[:300]),
        "kop_id": str(meta.get("id", "")),
    }
    if kop:
        data["kop"] = dict(kop)
    return front_matter(data)


_NOT_YAML_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def front_matter(data: Mapping[str, Any]) -> str:
    """A generated page's front matter, ending with the blank line before its text.

    Every value goes through :func:`yaml_json`: a title written in plainly ("title: Referenser: S,
    sida 2") is not YAML, so the engine dropped the page's metadata and showed the block as text.
    """
    return "---\n" + yaml_json(dict(data)) + "\n---\n\n"


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


def date_facts(meta: Mapping[str, Any]) -> list[tuple[str, str, bool]]:
    """(label, value, is a date) for published, updated (if it differs) and version: the page and the PDF."""
    out = []
    if meta.get("published"):
        out.append(("publicerad", str(meta["published"]), True))
    if meta.get("updated") and meta.get("updated") != meta.get("published"):
        out.append(("uppdaterad", str(meta["updated"]), True))
    if meta.get("version"):
        out.append(("version", str(meta["version"]), False))
    return out


def _about(ov: Overview, base: str, extra: Sequence[str]) -> str:
    """Authors, who asked the question, area, method and dates (after the summary and findings)."""
    meta = ov.meta
    areas = ", ".join(
        f'<a href="{base}omraden/{area_slug(a)}/">{esc(a)}</a>' for a in meta.get("area") or []
    )
    dates = [f'{label} <time datetime="{esc(value)}">{esc(value)}</time>' if is_date else f"{label} {esc(value)}"
             for label, value, is_date in date_facts(meta)]
    if dates:
        dates[0] = dates[0][:1].upper() + dates[0][1:]
    parts = [
        '<div class="kop-about">',
        '<dl class="kop-facts">',
        f"<dt>Författare</dt> <dd>{_people(ov)}</dd>",
        f"<dt>Frågan kommer från</dt> <dd>{_question_from(ov)}</dd>",
        f"<dt>Område</dt> <dd>{areas}</dd>",
        f'<dt>Metod</dt> <dd>{esc(meta.get("method"))}</dd>',
        f'<dt>Datum</dt> <dd>{", ".join(dates) or "–"}</dd>',
        "</dl>",
        *extra,
        "</div>",
    ]
    return "\n".join(p for p in parts if p)


def _search_meta(key: str, value: object) -> str:
    """A Pagefind result field from an attribute (not element text, so headerlinks never leak into it)."""
    text = esc(" ".join(str(value).split()))
    return f'<span data-pagefind-meta="{key}[data-kop-value]" data-kop-value="{text}"></span>'


def render_header(ov: Overview, *, today: date | None = None, stale_after_years: float | None = None) -> str:
    """The header card: id, status and example mark, the title (a Markdown heading), warnings, the question.

    The title is written as Markdown (``# … {#kop-titel}``) so that it is the first entry of the
    page's table of contents: the theme's skip link goes to it, and the sections below it
    (summary, findings …) are its children in the table of contents.
    """
    meta = ov.meta
    example = example_badge(meta)
    kicker = (f'<header class="kop-header">\n<p class="kop-kicker"><span class="kop-id">{esc(meta.get("id"))}</span> '
              f'{status_badge(ov)}{" " + example if example else ""}</p>'
              + _search_meta("title", meta.get("title", ov.slug)) + _search_meta("summary", meta.get("summary", "")))
    title = f"# {raw(esc(meta.get('title', ov.slug)))} {{#{TITLE_ID}}}"
    rest = []
    if is_example(meta):
        rest.append(f'<p class="kop-example-note" role="note"><strong>Exempel.</strong> {EXAMPLE_SENTENCE}</p>')
    if str(meta.get("status", "")) == "inaktuell":
        rest.append(
            '<div class="admonition danger kop-outdated" role="note"><p class="admonition-title">Inaktuell</p>'
            "<p>Översikten är inte längre aktuell. Kontrollera om det finns nyare kunskap innan du använder den."
            "</p></div>"
        )
    rest.append(stale_banner(meta, today, stale_after_years))
    rest.append(f'<p class="kop-question"><strong class="kop-question__label">Frågeställning:</strong> '
                f'{esc(meta.get("question"))}</p>')
    rest.append("</header>")
    return block(kicker).lstrip("\n") + title + block("\n".join(p for p in rest if p))


def heading(section: Section) -> str:
    """A generated section: its heading in Markdown (so it is in the table of contents), then its HTML."""
    return f"\n\n## {section.heading} {{#{section.id}}}" + block(section.html)


def render_findings(ov: Overview, formatted: Formatted) -> str:
    """``Resultat i korthet``: the summary-of-findings table (:mod:`kop.render.sof`)."""
    table = findings_table(ov, formatted)
    return heading(Section(SOF_HEADING, SOF_ID, table)) if table else ""


def render_references(keys: list[str], formatted: Formatted) -> str:
    """The page's own reference list, APA 7, each entry an anchor target for its citations."""
    if not keys:
        return ""
    entries = "".join(
        f'<li id="{anchor(key)}" class="csl-entry">{formatted.entries.get(key, esc(key))}</li>' for key in keys
    )
    return f'<div class="kop-references"><ul class="kop-reflist">{entries}</ul></div>'


def render_overview(ov: Overview, formatted: Formatted, *, today: date,
                    settings: Mapping[str, Any] | None = None, parts: PageParts | None = None) -> str:
    """The whole page, in the order a reader on a phone needs it.

    Header card (status, example mark, title, question), the plain-language summary, the
    summary-of-findings table; then authors, origin, method and dates (with what the features
    add there), the author's text, PRISMA, included studies, knowledge gaps, funding,
    conflicts of interest, review, the references and the features' sections.
    ``settings`` are the project's ``extra.kop`` settings (``Project.settings``); ``today`` is
    the date the stale-search banner compares with.
    """
    settings = settings or {}
    parts = parts or PageParts()
    formatted = formatted.for_page(str(ov.meta.get("id")))  # the page is a document: its own year suffixes
    body = replace_citations(ov.body, ov.citations, formatted).strip("\n")
    keys = page_keys(ov, formatted.order)
    prisma = prisma_figure(ov.meta.get("prisma") if isinstance(ov.meta.get("prisma"), Mapping) else None)
    summary = summary_section(ov)
    return (
        _page_front_matter(ov, parts.head)
        + render_header(ov, today=today, stale_after_years=settings.get("stale_after_years"))
        + (heading(summary) if summary else "")
        + render_findings(ov, formatted)
        + heading(Section("Om översikten", "om-oversikten", _about(ov, "../../", parts.header)))
        + "\n\n" + body
        + block(prisma)
        + "".join(heading(section) for section in after_body_sections(ov, formatted))
        + (heading(Section("Referenser", "referenser", render_references(keys, formatted))) if keys else "")
        + "".join(block(section) for section in parts.sections)
    ).rstrip("\n") + "\n"
