"""Seminars: their own content type in ``seminars/<slug>.md``, validated like overviews.

A seminar file has YAML front matter (``schema/seminar.schema.json``) and an optional
Markdown body. Loading reuses the safe front-matter reader and validation reuses the
schema-error mapping of :mod:`kop.check.fields`, so seminar messages look exactly like
overview messages (``path:line:column``, Swedish, with a fix). Rules a schema cannot
say get their own codes (KOP5xx). Times are local Europe/Stockholm wall-clock times.

This module also renders the seminar pages (index of upcoming/past seminars, one page
per seminar, and the list of seminars on each overview page). Pure functions apart
from :func:`load_seminars`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

from kop.check.control import control_diagnostics
from kop.check.fields import schema_diagnostics
from kop.check.safety import scan_markdown
from kop.core.catalogue import message
from kop.core.html import esc
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic, Overview, SourceDocument
from kop.core.slugs import is_slug, slugify
from kop.core.urls import absolute, permalink
from kop.features.permalinks import copy_link_html
from kop.render.fragments import block
from kop.render.headmeta import EXAMPLE_PREFIX
from kop.render.marks import example_badge
from kop.sources.frontmatter import read_text, split_front_matter

TZ = ZoneInfo("Europe/Stockholm")
SEMINARS_DIRNAME = "seminars"
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "seminar.schema.json"
PUBLISHED_SCHEMA_NAME = "seminar.schema.json"
TIME_FIELDS = ("start", "end", "gathering")
_LOOSE_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")

DEADLINE_AFTER = message("KOP501")
UNKNOWN_OVERVIEW = message("KOP502")
END_BEFORE_START = message("KOP503")
TIME_NOT_QUOTED = message("KOP504")
BAD_SEMINAR_SLUG = message("KOP505")
DRAFT_OVERVIEW = message("KOP506")
NO_PLACE = message("KOP507")
GATHERING_AFTER_START = message("KOP508")


@dataclass
class Seminar(SourceDocument):
    """One seminar file after loading (same shape as an overview, so validation is shared)."""

    @property
    def day(self) -> date:
        return date.fromisoformat(str(self.meta["date"]))

    def at(self, name: str) -> datetime:
        """The local Stockholm datetime of a time field (``start``, ``end``, ``gathering``)."""
        hh, mm = str(self.meta[name]).split(":")
        return datetime.combine(self.day, time(int(hh), int(mm)), tzinfo=TZ)

    @property
    def starts(self) -> datetime:
        return self.at("start")

    @property
    def ends(self) -> datetime:
        return self.at("end")

    @property
    def url(self) -> str:
        """Site-relative address of the seminar page."""
        return f"seminarier/{self.slug}/"

    @property
    def cancelled(self) -> bool:
        return self.meta.get("status") == "inställt"

    @property
    def overview_ids(self) -> list[str]:
        return [str(i) for i in self.meta.get("overviews") or []]


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def schema_text() -> str:
    """The seminar schema as published on the site (for editors such as VS Code)."""
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker  # when seminars are read, not on every start

    return Draft202012Validator(schema(), format_checker=FormatChecker(formats=["date"]))


def seminar_files(root: Path) -> list[Path]:
    """``seminars/*.md`` except templates (``_*.md``) and README."""
    folder = root / SEMINARS_DIRNAME
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith("_") and p.name.lower() != "readme.md")


def load_seminar(path: Path, display: str) -> tuple[Seminar, list[Diagnostic]]:
    src = read_text(path, display)
    if src.diagnostics:
        return Seminar(path, path.stem, {}, "", 1), list(src.diagnostics)
    fm = split_front_matter(src)
    meta = normalise_times(fm.meta) if isinstance(fm.meta, dict) else fm.meta
    return Seminar(path, path.stem, meta, fm.body, fm.body_line, fm.positions), list(fm.diagnostics)


def normalise_times(meta: dict[str, Any]) -> dict[str, Any]:
    """``"13.15"`` and ``"9:30"`` become ``"13:15"`` and ``"09:30"``; anything else is left for validation."""
    out = dict(meta)
    for name in TIME_FIELDS:
        value = out.get(name)
        match = _LOOSE_TIME.fullmatch(value.strip()) if isinstance(value, str) else None
        if match:
            out[name] = f"{int(match[1]):02d}:{match[2]}"
    return out


def validate_seminar(sem: Seminar, display: str, overviews: Mapping[str, Overview]) -> list[Diagnostic]:
    """Schema first, then the rules a schema cannot say. ``overviews`` maps id -> overview."""
    out: list[Diagnostic] = []
    meta = sem.meta
    if not is_slug(sem.slug):
        out.append(BAD_SEMINAR_SLUG.at(display, 1, 1, name=sem.slug + ".md",
                                       suggestion=slugify(str(meta.get("title") or sem.slug)) or "mitt-seminarium"))
    # YAML 1.1 reads 11:30 as the sexagesimal integer 690: explain that instead of "is an integer".
    # The schema sees a valid stand-in for a time already reported as unquoted, so it is not reported twice.
    checked = dict(meta)
    for name in TIME_FIELDS:
        value = meta.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            line, col = sem.pos(name)
            out.append(TIME_NOT_QUOTED.at(display, line, col, field=name,
                                          suggestion=f"{value // 60 % 24:02d}:{value % 60:02d}"))
            checked[name] = "00:00"
        elif isinstance(value, float):  # start: 13.15 without quotes is a decimal number to YAML
            line, col = sem.pos(name)
            out.append(TIME_NOT_QUOTED.at(display, line, col, field=name,
                                          suggestion=f"{value:05.2f}".replace(".", ":")))
            checked[name] = "00:00"
    shadow = Seminar(sem.path, sem.slug, checked, sem.body, sem.body_line, sem.positions)
    out.extend(schema_diagnostics(shadow, display, _validator()))
    out.extend(control_diagnostics(sem, display))  # control characters after YAML escapes (KOP141)
    if "place" not in meta and "online" not in meta:
        out.append(NO_PLACE.at(display, 1, 1))
    out.extend(scan_markdown(sem.body, sem.body_line, display))  # active content, as in overviews (KOP4xx)
    if not _times_ok(meta):
        return out
    start, end = str(meta["start"]), str(meta["end"])
    if end <= start:
        line, col = sem.pos("end")
        out.append(END_BEFORE_START.at(display, line, col, start=start, end=end))
    gathering = meta.get("gathering")
    if isinstance(gathering, str) and _is_time(gathering) and gathering > start:
        line, col = sem.pos("gathering")
        out.append(GATHERING_AFTER_START.at(display, line, col, gathering=gathering, start=start))
    registration = meta.get("registration")
    deadline = _date(registration.get("deadline")) if isinstance(registration, dict) else None
    if deadline and deadline > sem.day:
        line, col = sem.pos("registration", "deadline")
        out.append(DEADLINE_AFTER.at(display, line, col, deadline=deadline.isoformat(), date=sem.day.isoformat()))
    ids = meta.get("overviews")
    for i, oid in enumerate(ids if isinstance(ids, list) else []):
        if not isinstance(oid, str):
            continue
        line, col = sem.pos("overviews", i)
        target = overviews.get(oid)
        if target is None:
            out.append(UNKNOWN_OVERVIEW.at(display, line, col, id=oid, suggestion=did_you_mean(oid, overviews)))
        elif target.meta.get("status") == "utkast":
            out.append(DRAFT_OVERVIEW.at(display, line, col, id=oid))
    return out


def _is_time(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 5 and value[2] == ":" and value.replace(":", "").isdigit() \
        and int(value[:2]) < 24 and int(value[3:]) < 60


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _times_ok(meta: Mapping[str, Any]) -> bool:
    return _date(meta.get("date")) is not None and _is_time(meta.get("start")) and _is_time(meta.get("end"))


def usable(sem: Seminar) -> bool:
    """True if the seminar has what the pages need (date and times); invalid ones are never rendered."""
    return _times_ok(sem.meta) and bool(sem.meta.get("title"))


def load_seminars(root: Path, display: Any, overviews: Iterable[Overview]) -> tuple[list[Seminar], list[Diagnostic]]:
    """Load and validate every seminar; ``display`` turns a path into its message form."""
    by_id = {str(ov.meta["id"]): ov for ov in overviews if isinstance(ov.meta.get("id"), str)}
    seminars: list[Seminar] = []
    diags: list[Diagnostic] = []
    for path in seminar_files(root):
        shown = display(path)
        sem, problems = load_seminar(path, shown)
        diags.extend(problems)
        if sem.meta:
            diags.extend(validate_seminar(sem, shown, by_id))
        seminars.append(sem)
    return seminars, diags


# --- words and dates -------------------------------------------------------------------------------------------


def swedish_date(day: date, weekday: bool = True) -> str:
    """``fredag 24 september 2027``."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def time_range(sem: Seminar) -> str:
    """``kl. 11:30–13:00``."""
    return f"kl. {sem.meta['start']}–{sem.meta['end']}"


def join_sv(items: list[str]) -> str:
    """Swedish list: ``a, b och c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def place_text(sem: Seminar) -> str:
    place = sem.meta.get("place") or {}
    parts = [str(place[k]) for k in ("name", "address", "city") if place.get(k)]
    return ", ".join(parts)


def organisers(sem: Seminar) -> list[str]:
    return [str(o.get("name")) for o in sem.meta.get("organisers") or [] if isinstance(o, dict)]


def speakers(sem: Seminar) -> list[str]:
    """``Namn (roll)`` for each speaker, in the file's order."""
    out = []
    for person in sem.meta.get("speakers") or []:
        if isinstance(person, dict) and person.get("name"):
            out.append(f"{person['name']} ({person['role']})" if person.get("role") else str(person["name"]))
    return out


def contact_text(sem: Seminar) -> str:
    """``Namn, e-post, telefon`` of the contact person ('' if none)."""
    contact = sem.meta.get("contact")
    if not isinstance(contact, dict) or not contact.get("name"):
        return ""
    return ", ".join(str(contact[k]) for k in ("name", "email", "phone") if contact.get(k))


def registration_closes(sem: Seminar) -> datetime:
    """When registration closes: midnight after the deadline day, or the start if there is no deadline."""
    registration = sem.meta.get("registration")
    deadline = _date(registration.get("deadline")) if isinstance(registration, dict) else None
    if deadline is None:
        return sem.starts
    return min(datetime.combine(deadline + timedelta(days=1), time(0, 0), tzinfo=TZ), sem.starts)


def sort_key(sem: Seminar) -> tuple[str, str, str]:
    return (str(sem.meta.get("date")), str(sem.meta.get("start")), sem.slug)


def split_by_time(seminars: list[Seminar], now: datetime) -> tuple[list[Seminar], list[Seminar]]:
    """(upcoming soonest first, past latest first) relative to ``now``."""
    upcoming = sorted((s for s in seminars if s.ends > now), key=sort_key)
    past = sorted((s for s in seminars if s.ends <= now), key=sort_key, reverse=True)
    return upcoming, past


# --- pages -----------------------------------------------------------------------------------------------------

EXAMPLE_BADGE = ' <span class="kop-status kop-status--exempel">Exempel</span>'
EXAMPLE_SENTENCE = "Detta är ett demonstrationsexempel, inte ett riktigt seminarium."
EXAMPLE_NOTE = (f"{EXAMPLE_SENTENCE} Det visar hur seminarier fungerar i KÖP, är inte inplanerat och går inte "
                "att anmäla sig till.")


def is_example(sem: Seminar) -> bool:
    """True for a demonstration seminar (``example: true``)."""
    return sem.meta.get("example") is True


def marked_title(sem: Seminar) -> str:
    """The seminar's title, with "Exempel: " in front for a demonstration seminar."""
    title = str(sem.meta.get("title"))
    return EXAMPLE_PREFIX + title if is_example(sem) else title


def _item(sem: Seminar, base: str) -> str:
    flag = ' <span class="kop-status kop-status--installt">Inställt</span>' if sem.cancelled else ""
    example = EXAMPLE_BADGE if sem.meta.get("example") else ""
    series = f' <span class="kop-seminar-series">{esc(sem.meta["series"])}</span>' if sem.meta.get("series") else ""
    return (f'<li data-kop-start="{esc(sem.starts.isoformat())}" data-kop-end="{esc(sem.ends.isoformat())}">'
            f'<a href="{base}{sem.url}">{esc(sem.meta.get("title"))}</a>{flag}{example}<br>'
            f'<time datetime="{esc(sem.starts.isoformat())}">{esc(swedish_date(sem.day))}, {esc(time_range(sem))}'
            f"</time>{', ' + esc(place_text(sem)) if place_text(sem) else ''}{series}</li>")


def split_lists(upcoming: list[Seminar], past: list[Seminar], base: str, headings: tuple[str, str],
                empty: tuple[str, str] | None = None) -> str:
    """The upcoming and past lists as split at build time; ``seminarier.js`` re-splits them by the reader's clock.

    ``headings`` are complete heading elements. With ``empty`` texts each part stays visible and says when it is
    empty; without, an empty part is hidden. The script only moves items and toggles ``hidden``.
    """
    out = ['<div class="kop-seminar-split" data-kop-seminar-split>']
    for part, items, heading, note in (("upcoming", upcoming, headings[0], empty[0] if empty else ""),
                                       ("past", past, headings[1], empty[1] if empty else "")):
        hide_part = "" if items or empty else " hidden"
        keep = " data-kop-keep" if empty else ""
        out.append(f'<div class="kop-seminar-part" data-kop-part="{part}"{keep}{hide_part}>{heading}')
        out.append(f'<ul class="kop-seminar-list"{"" if items else " hidden"}>{"".join(_item(s, base) for s in items)}'
                   "</ul>")
        if note:
            out.append(f'<p class="kop-seminar-empty"{" hidden" if items else ""}>{esc(note)}</p>')
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)


def index_page(seminars: list[Seminar], now: datetime) -> str:
    """``seminarier/index.md``: upcoming and past seminars (build time; corrected in the reader's browser)."""
    upcoming, past = split_by_time(seminars, now)
    out = ["---", "title: Seminarier", "---", "", "# Seminarier", "",
           "Seminarier där kunskapsöversikterna presenteras och diskuteras. Prenumerera på alla seminarier i "
           "din kalender med [kalenderflödet](kalender.ics) (iCalendar)."]
    section = ['<section class="kop-seminars">',
               split_lists(upcoming, past, "../", ('<h2 id="kommande">Kommande seminarier</h2>',
                                                   '<h2 id="tidigare">Tidigare seminarier</h2>'),
                           ("Inga seminarier är inplanerade just nu.", "Inga tidigare seminarier.")),
               "</section>"]
    return "\n".join(out).rstrip("\n") + block("\n".join(section))


def _overview_links(sem: Seminar, overviews: Mapping[str, Overview], base: str, site_url: str = "") -> str:
    items = []
    for oid in sem.overview_ids:
        ov = overviews.get(oid)
        if ov is None:
            continue
        address = esc(absolute(site_url, permalink(oid)))
        example = f" {example_badge(ov.meta)}" if example_badge(ov.meta) else ""
        items.append(f'<li><a href="{base}oversikter/{esc(ov.slug)}/">{esc(ov.meta.get("title"))}</a>{example} '
                     f'<span class="kop-id">{esc(oid)}</span> – permanent länk: <a href="{address}">{address}</a></li>')
    return f'<ul class="kop-seminar-overviews">{"".join(items)}</ul>' if items else ""


def _site_url_from_head(head: Mapping[str, Any] | None, page: str) -> str:
    """The site's address, read back from the page's ``og:url`` (``site_url`` + ``page``); '' if absent."""
    for tag in (head or {}).get("og") or []:
        url = str(tag.get("content", "")) if tag.get("property") == "og:url" else ""
        if url.endswith("/" + page) and "://" in url:
            return url[: -len(page)]
    return ""


def seminar_page(sem: Seminar, overviews: Mapping[str, Overview], head: Mapping[str, Any] | None = None,
                 site_url: str | None = None) -> str:
    """``seminarier/<slug>.md``: everything about one seminar, with calendar file, invitation and QR code.

    ``head`` is the ``kop`` mapping for the page head (link-preview tags), escaped by the template.
    Addresses meant to be pasted into an e-mail are absolute: ``site_url`` + path (``site_url``
    defaults to the one in the page head's ``og:url``; without either they start with ``/``).
    """
    meta = sem.meta
    base = "../../"
    if site_url is None:
        site_url = _site_url_from_head(head, sem.url)
    # Material prints title and description raw, so they are escaped here
    front: dict[str, Any] = {"title": esc(marked_title(sem)),
                             "description": esc(" ".join(str(meta.get("description")).split())[:300])}
    if head:
        front["kop"] = dict(head)
    parts = ['<article class="kop-seminar">',
             '<header class="kop-header">',
             f'<p class="kop-kicker">Seminarium{" i serien " + esc(meta["series"]) if meta.get("series") else ""}</p>',
             f"<h1>{esc(meta.get('title'))}</h1>"]
    if meta.get("example"):
        parts.append('<div class="admonition warning kop-example" role="note"><p class="admonition-title">Exempel</p>'
                     f"<p>{esc(EXAMPLE_NOTE)}</p></div>")
    parts.append(f'<p class="kop-seminar-past" data-kop-ended="{esc(sem.ends.isoformat())}" hidden>'
                 "Seminariet har redan ägt rum.</p>")
    if sem.cancelled:
        parts.append('<div class="admonition danger kop-cancelled" role="note"><p class="admonition-title">Inställt'
                     "</p><p>Seminariet är inställt.</p></div>")
    when = f"{swedish_date(sem.day)}, {time_range(sem)}"
    if meta.get("gathering"):
        note = meta.get("gathering_note") or "samling"
        when += f" ({note} från kl. {meta['gathering']})"
    facts = [f'<dt>När</dt> <dd><time datetime="{esc(sem.starts.isoformat())}">{esc(when)}</time></dd>']
    if place_text(sem):
        facts.append(f"<dt>Var</dt> <dd>{esc(place_text(sem))}</dd>")
    online = meta.get("online")
    if isinstance(online, dict):
        details = f" {esc(online['details'])}" if online.get("details") else ""
        facts.append(f'<dt>Digitalt</dt> <dd><a href="{esc(online.get("url"))}">{esc(online.get("url"))}</a>'
                     f"{details}</dd>")
    registration = meta.get("registration")
    if isinstance(registration, dict) and registration:
        # open until the day after the deadline (or the start) begins; seminarier.js switches by the reader's clock
        closes = esc(registration_closes(sem).isoformat())
        facts.append(f'<dt>Anmälan</dt> <dd data-kop-closes="{closes}"><span class="kop-registration-open">'
                     f'{registration_html(registration)}</span><span class="kop-registration-closed" hidden>'
                     "Anmälan har stängt.</span></dd>")
    orgs = []
    for org in meta.get("organisers") or []:
        name = esc(org.get("name"))
        orgs.append(f'<a href="{esc(org["url"])}">{name}</a>' if org.get("url") else name)
    facts.append(f"<dt>Arrangörer</dt> <dd>{join_sv(orgs)}</dd>")
    if speakers(sem):
        facts.append(f"<dt>Medverkande</dt> <dd>{esc(join_sv(speakers(sem)))}</dd>")
    contact = meta.get("contact")
    if isinstance(contact, dict) and contact.get("name"):
        bits = [esc(contact["name"])]
        if contact.get("email"):
            bits.append(f'<a href="mailto:{esc(contact["email"])}">{esc(contact["email"])}</a>')
        if contact.get("phone"):
            bits.append(f'<a href="tel:{esc("".join(str(contact["phone"]).split()))}">{esc(contact["phone"])}</a>')
        facts.append(f"<dt>Kontakt</dt><dd>{', '.join(bits)}</dd>")
    parts += ['<dl class="kop-facts">', *facts, "</dl>", "</header>",
              f'<p class="kop-seminar-description">{esc(meta.get("description"))}</p>']
    links = _overview_links(sem, overviews, base, site_url)
    if links:
        parts += ['<h2 id="oversikter-som-diskuteras">Översikter som diskuteras</h2>', links]
    parts += [
        '<h2 id="kalender-och-inbjudan">Kalender och inbjudan</h2>',
        '<ul class="kop-seminar-files">',
        '<li><a href="seminarium.ics">Lägg till i kalendern (.ics)</a></li>',
        '<li><a href="inbjudan/">Färdig inbjudan att skicka (text, Markdown och HTML)</a></li>',
        '<li>QR-kod till den här sidan för affischer: <a href="qr.svg">SVG</a>, '
        '<a href="qr.png">PNG</a></li>',
        "</ul>",
        '<p><img class="kop-qr" src="qr.svg" width="160" height="160" '
        'alt="QR-kod som leder till seminariets sida"></p>',
        copy_link_html(absolute(site_url, sem.url), "seminariet"),
        "</article>"]
    # the page lives at seminarier/<slug>/, so its files (seminarier/<slug>/…) are plain relative links
    front_matter = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=True).rstrip("\n") + "\n---\n"
    body = sem.body.strip("\n")
    return front_matter + block("\n".join(parts)) + (body + "\n" if body else "")


def registration_html(registration: Mapping[str, Any]) -> str:
    bits = []
    if registration.get("deadline"):
        day = _date(registration["deadline"])
        bits.append(f"senast {esc(swedish_date(day) if day else registration['deadline'])}")
    if registration.get("url"):
        bits.append(f'via <a href="{esc(registration["url"])}">{esc(registration["url"])}</a>')
    if registration.get("email"):
        bits.append(f'till <a href="mailto:{esc(registration["email"])}">{esc(registration["email"])}</a>')
    text = " ".join(bits).capitalize() if bits else ""
    if registration.get("note"):
        text += (". " if text else "") + esc(registration["note"])
    return text


def overview_section(ov: Overview, seminars: list[Seminar], now: datetime, base: str = "../../") -> str:
    """The list on an overview page of seminars where it was or will be discussed ('' if none)."""
    oid = str(ov.meta.get("id"))
    mine = [s for s in seminars if oid in s.overview_ids]
    if not mine:
        return ""
    upcoming, past = split_by_time(mine, now)
    parts = ['<section class="kop-overview-seminars">',
             '<h2 id="seminarier">Seminarier om översikten</h2>',
             split_lists(upcoming, past, base, ("<h3>Kommande</h3>", "<h3>Tidigare</h3>")),
             "</section>"]
    return "\n".join(parts)
