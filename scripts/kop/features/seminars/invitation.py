"""Ready-to-send seminar invitations in Swedish: plain text (e-mail), Markdown and HTML.

The same facts in three formats, built from one list of (label, value) lines so the
formats can never disagree. Links are absolute (``site_url`` from mkdocs.yml) and point
at the overviews' permanent addresses ``/k/<id>/``, which survive any renaming. The
text depends only on the sources (never on today's date), so the output for the
demonstration seminar is checked against a golden file. A demonstration seminar says so first
in every format and in the heading ("Exempel på inbjudan: …"), since an invitation is forwarded
without the seminar page's own example banner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from kop.core.html import esc
from kop.core.model import Overview
from kop.core.urls import absolute, permalink
from kop.features.seminars.model import (
    EXAMPLE_NOTE,
    Seminar,
    contact_text,
    is_example,
    join_sv,
    organisers,
    place_text,
    speakers,
    swedish_date,
    time_range,
)
from kop.render.headmeta import marked_title as overview_title
from kop.render.overview import front_matter

FORMATS = ("text", "markdown", "html")


@dataclass
class Invitation:
    """The invitation's content, independent of format."""

    title: str
    intro: str
    facts: list[tuple[str, str, str | None]] = field(default_factory=list)  # (label, text, link)
    description: str = ""
    overviews: list[tuple[str, str, str]] = field(default_factory=list)  # (title, id, permanent url)
    page_url: str = ""
    calendar_url: str = ""
    example: bool = False
    cancelled: bool = False
    more: str = "Mer information"

    @property
    def heading(self) -> str:
        """The heading: "Inbjudan: <title>", or "Exempel på inbjudan: <title>" for a demonstration seminar."""
        return f"{'Exempel på inbjudan' if self.example else 'Inbjudan'}: {self.title}"


def build(sem: Seminar, overviews: Mapping[str, Overview], site_url: str) -> Invitation:
    meta = sem.meta
    series = f" i seminarieserien ”{meta['series']}”" if meta.get("series") else ""
    inv = Invitation(
        title=str(meta.get("title")),
        intro=f"Välkommen till ett seminarium{series}.",
        description=" ".join(str(meta.get("description", "")).split()),
        page_url=absolute(site_url, sem.url),
        calendar_url=absolute(site_url, f"{sem.url}seminarium.ics"),
        example=is_example(sem),
        cancelled=sem.cancelled,
        more="Mer information och anmälan" if meta.get("registration") else "Mer information",
    )
    when = f"{swedish_date(sem.day)}, {time_range(sem)}"
    if meta.get("gathering"):
        when += f" ({meta.get('gathering_note') or 'samling'} från kl. {meta['gathering']})"
    inv.facts.append(("När", when, None))
    if place_text(sem):
        inv.facts.append(("Var", place_text(sem), None))
    online = meta.get("online")
    if isinstance(online, dict) and online.get("url"):
        extra = f" – {online['details']}" if online.get("details") else ""
        inv.facts.append(("Digitalt", f"{online['url']}{extra}", str(online["url"])))
    registration = meta.get("registration") or {}
    if registration:
        bits = []
        if registration.get("deadline"):
            bits.append(f"senast {swedish_date(date.fromisoformat(registration['deadline']))}")
        link = registration.get("url") or (f"mailto:{registration['email']}" if registration.get("email") else None)
        if registration.get("url"):
            bits.append(f"via {registration['url']}")
        elif registration.get("email"):
            bits.append(f"till {registration['email']}")
        text = " ".join(bits)
        text = text[:1].upper() + text[1:]
        if registration.get("note"):
            text += (". " if text else "") + str(registration["note"])
        inv.facts.append(("Anmälan", text, link))
    inv.facts.append(("Arrangörer", join_sv(organisers(sem)), None))
    if speakers(sem):
        inv.facts.append(("Medverkande", join_sv(speakers(sem)), None))
    contact = meta.get("contact")
    if contact_text(sem) and isinstance(contact, dict):
        inv.facts.append(("Kontakt", contact_text(sem), f"mailto:{contact['email']}" if contact.get("email") else None))
    for oid in sem.overview_ids:
        ov = overviews.get(oid)
        if ov is not None:
            title = overview_title(ov.meta, str(ov.meta.get("title")))  # "Exempel: …" for an example
            inv.overviews.append((title, oid, absolute(site_url, permalink(oid))))
    return inv


def to_text(inv: Invitation) -> str:
    """Plain text for e-mail: no markup, URLs written out in full."""
    out = []
    if inv.example:
        out += [f"OBS! {EXAMPLE_NOTE}", ""]
    if inv.cancelled:
        out += ["SEMINARIET ÄR INSTÄLLT.", ""]
    out += [inv.heading, "", inv.intro, ""]
    width = max(len(label) for label, _, _ in inv.facts) + 1
    out += [f"{(label + ':').ljust(width)} {text}" for label, text, _ in inv.facts]
    out += ["", inv.description]
    if inv.overviews:
        out += ["", "Kunskapsöversikter som diskuteras:"]
        out += [f"- {title} ({oid}): {url}" for title, oid, url in inv.overviews]
    out += ["", f"{inv.more}: {inv.page_url}", f"Lägg till i kalendern: {inv.calendar_url}", ""]
    return "\n".join(out)


def _md_escape(text: str) -> str:
    """Escape Markdown punctuation in running text (titles, names) so it stays literal."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def to_markdown(inv: Invitation) -> str:
    out = []
    if inv.example:
        out += [f"> **OBS!** {_md_escape(EXAMPLE_NOTE)}", ""]
    if inv.cancelled:
        out += ["> **Seminariet är inställt.**", ""]
    out += [f"# {_md_escape(inv.heading)}", "", _md_escape(inv.intro), ""]
    for label, text, link in inv.facts:
        value = f"<{link}>" if link and link == text else _md_escape(text)
        out.append(f"- **{label}:** {value}")
    out += ["", _md_escape(inv.description)]
    if inv.overviews:
        out += ["", "## Kunskapsöversikter som diskuteras", ""]
        out += [f"- [{_md_escape(title)}]({url}) ({oid})" for title, oid, url in inv.overviews]
    out += ["", f"{inv.more}: <{inv.page_url}>  ", f"Lägg till i kalendern: <{inv.calendar_url}>", ""]
    return "\n".join(out)


def to_html(inv: Invitation) -> str:
    """An HTML fragment to paste into an e-mail or a web page; every value escaped."""
    out = ['<div class="kop-invitation-text" lang="sv">']
    if inv.example:
        out.append(f"<p><strong>OBS!</strong> {esc(EXAMPLE_NOTE)}</p>")
    if inv.cancelled:
        out.append("<p><strong>Seminariet är inställt.</strong></p>")
    out += [f"<h2>{esc(inv.heading)}</h2>", f"<p>{esc(inv.intro)}</p>", "<ul>"]
    for label, text, link in inv.facts:
        value = f'<a href="{esc(link)}">{esc(text)}</a>' if link and link == text else esc(text)
        out.append(f"<li><strong>{esc(label)}:</strong> {value}</li>")
    out += ["</ul>", f"<p>{esc(inv.description)}</p>"]
    if inv.overviews:
        out += ["<h3>Kunskapsöversikter som diskuteras</h3>", "<ul>"]
        out += [f'<li><a href="{esc(url)}">{esc(title)}</a> ({esc(oid)})</li>' for title, oid, url in inv.overviews]
        out.append("</ul>")
    out += [f'<p>{esc(inv.more)}: <a href="{esc(inv.page_url)}">{esc(inv.page_url)}</a><br>',
            f'Lägg till i kalendern: <a href="{esc(inv.calendar_url)}">{esc(inv.calendar_url)}</a></p>',
            "</div>", ""]
    return "\n".join(out)


def render(inv: Invitation, fmt: str) -> str:
    return {"text": to_text, "markdown": to_markdown, "html": to_html}[fmt](inv)


def invitation_page(sem: Seminar, inv: Invitation) -> str:
    """``seminarier/<slug>/inbjudan.md``: the invitation in all three formats, ready to copy, plus QR codes."""
    parts = [
        front_matter({"title": esc(inv.heading)}).rstrip("\n"),
        "",
        '<div class="kop-invitation" markdown="0">',
        f"<h1>{esc(inv.heading)}</h1>",
        f'<p>Färdig inbjudan till seminariet <a href="../">{esc(inv.title)}</a>. Kopiera den som vanlig text till '
        "ett e-postmeddelande, som Markdown eller som HTML. Samma text får du med kommandot "
        f"<code>kop inbjudan {esc(sem.slug)}</code>.</p>",
        '<h2 id="forhandsvisning">Förhandsvisning</h2>',
        '<div class="kop-invitation-preview">',
        to_html(inv).replace("<h2>", '<p class="kop-invitation-title"><strong>').replace(
            "</h2>", "</strong></p>").replace("<h3>", "<p><strong>").replace("</h3>", "</strong></p>"),
        "</div>",
        '<h2 id="text">Som text (e-post)</h2>',
        f'<pre id="kop-invitation-text"><code>{esc(to_text(inv))}</code></pre>',
        '<p><button type="button" class="md-button kop-copy" data-kop-copy="kop-invitation-text" hidden>'
        'Kopiera texten</button> <a class="md-button" href="../inbjudan.txt">Ladda ned (.txt)</a></p>',
        '<h2 id="markdown">Som Markdown</h2>',
        f'<pre id="kop-invitation-markdown"><code>{esc(to_markdown(inv))}</code></pre>',
        '<p><button type="button" class="md-button kop-copy" data-kop-copy="kop-invitation-markdown" hidden>'
        "Kopiera Markdown</button></p>",
        '<h2 id="html">Som HTML</h2>',
        f'<pre id="kop-invitation-html"><code>{esc(to_html(inv))}</code></pre>',
        '<p><button type="button" class="md-button kop-copy" data-kop-copy="kop-invitation-html" hidden>'
        'Kopiera HTML</button> <a class="md-button" href="../inbjudan.html">Ladda ned (.html)</a></p>',
        '<h2 id="qr-kod">QR-kod för affischer</h2>',
        f"<p>QR-koden leder till <code>{esc(inv.page_url)}</code>.</p>",
        '<p><img class="kop-qr" src="../qr.svg" width="200" height="200" alt="QR-kod som leder till seminariets '
        'sida"></p>',
        '<p><a class="md-button" href="../qr.svg">QR-kod som SVG</a> '
        '<a class="md-button" href="../qr.png">QR-kod som PNG</a></p>',
        '<p class="kop-copy-status" role="status" aria-live="polite"></p>',
        "</div>",
        "",
    ]
    return "\n".join(parts)


def html_document(inv: Invitation) -> str:
    """The HTML invitation as a standalone file (downloadable, opens in any browser or mail program)."""
    return ('<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(inv.heading)}</title>\n</head>\n<body>\n{to_html(inv)}</body>\n</html>\n")
