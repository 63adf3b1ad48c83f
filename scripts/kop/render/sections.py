"""The generated sections of an overview page besides the header and the findings.

The plain-language summary (structured ``plain_language`` when the overview has it, else the
free-text ``summary``), the included studies, knowledge gaps, funding, conflicts of interest
and who reviewed the overview. Each function returns a :class:`Section` (heading, id, HTML)
or ``None`` when the overview says nothing; the page writes the heading as Markdown, so it
is in the table of contents. Pure; every contributed value goes through :func:`esc`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kop.cite.apa import Formatted, anchor
from kop.core.html import esc
from kop.core.model import Overview
from kop.render.sof import short_reference

# The structured summary's parts, in reading order, with the lead-in a reader sees.
PLAIN_PARTS = (
    ("why", "Varför frågan ställdes"),
    ("what_was_done", "Vad vi gjorde"),
    ("what_was_found", "Vad vi fann"),
    ("practice", "Vad det betyder för praktiken"),
    ("how_certain", "Hur säkra resultaten är"),
)

STUDY_COLUMNS = (("design", "Design"), ("country", "Land"), ("setting", "Sammanhang och deltagare"),
                 ("quality", "Kvalitet eller risk för bias"), ("note", "Kommentar"))


@dataclass(frozen=True)
class Section:
    """One generated page section: its heading (plain Swedish text), anchor id and HTML body."""

    heading: str
    id: str
    html: str


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def summary_section(ov: Overview) -> Section | None:
    """``Sammanfattning``: the structured plain-language summary, or the free-text summary."""
    plain = ov.meta.get("plain_language")
    if isinstance(plain, Mapping) and any(_text(plain.get(key)) for key, _ in PLAIN_PARTS):
        parts = "".join(
            f'<p class="kop-plain__part kop-plain__part--{key}"><strong class="kop-plain__label">{label}.</strong> '
            f"{esc(_text(plain.get(key)))}</p>"
            for key, label in PLAIN_PARTS if _text(plain.get(key))
        )
        return Section("Sammanfattning", "sammanfattning", f'<div class="kop-plain">{parts}</div>')
    summary = _text(ov.meta.get("summary"))
    if not summary:
        return None
    return Section("Sammanfattning", "sammanfattning", f'<p class="kop-summary">{esc(summary)}</p>')


def included_studies_section(ov: Overview, formatted: Formatted) -> Section | None:
    """``Inkluderade studier``: one row per study, its reference linked to the page's reference list."""
    studies = [s for s in ov.meta.get("included_studies") or [] if isinstance(s, Mapping) and s.get("key")]
    if not studies:
        return None
    columns = [(key, label) for key, label in STUDY_COLUMNS if any(_text(s.get(key)) for s in studies)]
    rows = []
    for study in studies:
        key = str(study["key"]).lstrip("@")
        cells = "".join(f'<td data-label="{label}">{esc(_text(study.get(col))) or "–"}</td>' for col, label in columns)
        rows.append(f'<tr><th scope="row" data-label="Studie"><a href="#{anchor(key)}" '
                    f'aria-describedby="{anchor(key)}">{short_reference(key, formatted)}</a></th>{cells}</tr>')
    heads = "".join(f'<th scope="col">{label}</th>' for _, label in columns)
    noun = "studie" if len(studies) == 1 else "studier"
    html = ('<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="kop-studies">'
            f"<caption>Översikten bygger på {len(studies)} {noun}. Varje studie leder till sin referens.</caption>")
    html += (f'<thead><tr><th scope="col">Studie</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody>'
             "</table></div></div>")
    return Section("Inkluderade studier", "inkluderade-studier", html)


def knowledge_gaps_section(ov: Overview) -> Section | None:
    gaps = [_text(g) for g in ov.meta.get("knowledge_gaps") or [] if _text(g)]
    if not gaps:
        return None
    items = "".join(f"<li>{esc(g)}</li>" for g in gaps)
    return Section("Kunskapsluckor", "kunskapsluckor", f'<ul class="kop-gaps">{items}</ul>')


def _paragraph_section(ov: Overview, field: str, heading: str, anchor_id: str) -> Section | None:
    text = _text(ov.meta.get(field))
    return Section(heading, anchor_id, f'<p class="kop-{anchor_id}">{esc(text)}</p>') if text else None


def funding_section(ov: Overview) -> Section | None:
    return _paragraph_section(ov, "funding", "Finansiering", "finansiering")


def conflicts_section(ov: Overview) -> Section | None:
    return _paragraph_section(ov, "conflicts_of_interest", "Intressekonflikter", "intressekonflikter")


def review_section(ov: Overview) -> Section | None:
    """``Granskning``: who reviewed the overview, in what role and when."""
    reviews = [r for r in ov.meta.get("review") or [] if isinstance(r, Mapping) and _text(r.get("name"))]
    if not reviews:
        return None
    items = []
    for review in reviews:
        text = esc(_text(review["name"]))
        if _text(review.get("affiliation")):
            text += f", {esc(_text(review['affiliation']))}"
        if _text(review.get("role")):
            text += f' <span class="kop-review__role">({esc(_text(review["role"]))})</span>'
        if review.get("date"):
            when = esc(review["date"])
            text += f', granskade <time datetime="{when}">{when}</time>'
        items.append(f"<li>{text}</li>")
    return Section("Granskning", "granskning", f'<ul class="kop-review">{"".join(items)}</ul>')


def after_body_sections(ov: Overview, formatted: Formatted) -> list[Section]:
    """The sections after the author's text, in page order (each only when the overview has it)."""
    found = (included_studies_section(ov, formatted), knowledge_gaps_section(ov), funding_section(ov),
             conflicts_section(ov), review_section(ov))
    return [section for section in found if section is not None]

