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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from kop.check.fields import schema_diagnostics
from kop.check.safety import scan_markdown
from kop.core.catalogue import message
from kop.core.html import esc
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic, Overview, SourceDocument
from kop.core.slugs import is_slug, slugify
from kop.render.fragments import block
from kop.sources.frontmatter import read_text, split_front_matter

TZ = ZoneInfo("Europe/Stockholm")
SEMINARS_DIRNAME = "seminars"
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "seminar.schema.json"
PUBLISHED_SCHEMA_NAME = "seminar.schema.json"
TIME_FIELDS = ("start", "end", "gathering")

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
    return Seminar(path, path.stem, fm.meta, fm.body, fm.body_line, fm.positions), list(fm.diagnostics)


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
    shadow = Seminar(sem.path, sem.slug, checked, sem.body, sem.body_line, sem.positions)
    out.extend(schema_diagnostics(shadow, display, _validator()))
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


def sort_key(sem: Seminar) -> tuple[str, str, str]:
    return (str(sem.meta.get("date")), str(sem.meta.get("start")), sem.slug)


def split_by_time(seminars: list[Seminar], now: datetime) -> tuple[list[Seminar], list[Seminar]]:
    """(upcoming soonest first, past latest first) relative to ``now``."""
    upcoming = sorted((s for s in seminars if s.ends > now), key=sort_key)
    past = sorted((s for s in seminars if s.ends <= now), key=sort_key, reverse=True)
    return upcoming, past


# --- pages -----------------------------------------------------------------------------------------------------

EXAMPLE_NOTE = ("Det här är ett exempel som visar hur seminarier fungerar i KÖP. Seminariet är inte "
                "inplanerat och går inte att anmäla sig till.")


def _item(sem: Seminar, base: str) -> str:
    flag = ' <span class="kop-status kop-status--installt">Inställt</span>' if sem.cancelled else ""
    example = ' <span class="kop-status kop-status--exempel">Exempel</span>' if sem.meta.get("example") else ""
    series = f' <span class="kop-seminar-series">{esc(sem.meta["series"])}</span>' if sem.meta.get("series") else ""
    return (f'<li><a href="{base}{sem.url}">{esc(sem.meta.get("title"))}</a>{flag}{example}<br>'
            f'<time datetime="{esc(sem.starts.isoformat())}">{esc(swedish_date(sem.day))}, {esc(time_range(sem))}'
            f"</time>{', ' + esc(place_text(sem)) if place_text(sem) else ''}{series}</li>")


def index_page(seminars: list[Seminar], now: datetime) -> str:
    """``seminarier/index.md``: upcoming and past seminars relative to the build time."""
    upcoming, past = split_by_time(seminars, now)
    out = ["---", "title: Seminarier", "---", "", "# Seminarier", "",
           "Seminarier där kunskapsöversikterna presenteras och diskuteras. Prenumerera på alla seminarier i "
           "din kalender med [kalenderflödet](kalender.ics) (iCalendar)."]
    section = ['<section class="kop-seminars">', '<h2 id="kommande">Kommande seminarier</h2>']
    section.append(f'<ul class="kop-seminar-list">{"".join(_item(s, "../") for s in upcoming)}</ul>' if upcoming
                   else "<p>Inga seminarier är inplanerade just nu.</p>")
    section.append('<h2 id="tidigare">Tidigare seminarier</h2>')
    section.append(f'<ul class="kop-seminar-list">{"".join(_item(s, "../") for s in past)}</ul>' if past
                   else "<p>Inga tidigare seminarier.</p>")
    section.append("</section>")
    return "\n".join(out).rstrip("\n") + block("\n".join(section))


def _overview_links(sem: Seminar, overviews: Mapping[str, Overview], base: str) -> str:
    items = []
    for oid in sem.overview_ids:
        ov = overviews.get(oid)
        if ov is None:
            continue
        items.append(f'<li><a href="{base}oversikter/{esc(ov.slug)}/">{esc(ov.meta.get("title"))}</a> '
                     f'<span class="kop-id">{esc(oid)}</span> – permanent länk: '
                     f'<a href="{base}k/{esc(oid)}/"><code>/k/{esc(oid)}/</code></a></li>')
    return f'<ul class="kop-seminar-overviews">{"".join(items)}</ul>' if items else ""


def seminar_page(sem: Seminar, overviews: Mapping[str, Overview], head: Mapping[str, Any] | None = None) -> str:
    """``seminarier/<slug>.md``: everything about one seminar, with calendar file, invitation and QR code.

    ``head`` is the ``kop`` mapping for the page head (link-preview tags), escaped by the template.
    """
    meta = sem.meta
    base = "../../"
    # Material prints title and description raw, so they are escaped here
    front: dict[str, Any] = {"title": esc(meta.get("title")),
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
    if sem.cancelled:
        parts.append('<div class="admonition danger kop-cancelled" role="note"><p class="admonition-title">Inställt'
                     "</p><p>Seminariet är inställt.</p></div>")
    when = f"{swedish_date(sem.day)}, {time_range(sem)}"
    if meta.get("gathering"):
        note = meta.get("gathering_note") or "samling"
        when += f" ({note} från kl. {meta['gathering']})"
    facts = [f'<dt>När</dt><dd><time datetime="{esc(sem.starts.isoformat())}">{esc(when)}</time></dd>']
    if place_text(sem):
        facts.append(f"<dt>Var</dt><dd>{esc(place_text(sem))}</dd>")
    online = meta.get("online")
    if isinstance(online, dict):
        details = f" {esc(online['details'])}" if online.get("details") else ""
        facts.append(f'<dt>Digitalt</dt><dd><a href="{esc(online.get("url"))}">{esc(online.get("url"))}</a>'
                     f"{details}</dd>")
    registration = meta.get("registration")
    if isinstance(registration, dict) and registration:
        facts.append(f"<dt>Anmälan</dt><dd>{registration_html(registration)}</dd>")
    orgs = []
    for org in meta.get("organisers") or []:
        name = esc(org.get("name"))
        orgs.append(f'<a href="{esc(org["url"])}">{name}</a>' if org.get("url") else name)
    facts.append(f"<dt>Arrangörer</dt><dd>{join_sv(orgs)}</dd>")
    parts += ['<dl class="kop-facts">', *facts, "</dl>", "</header>",
              f'<p class="kop-seminar-description">{esc(meta.get("description"))}</p>']
    links = _overview_links(sem, overviews, base)
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
             '<h2 id="seminarier">Seminarier om översikten</h2>']
    if upcoming:
        parts.append(f'<h3>Kommande</h3><ul class="kop-seminar-list">{"".join(_item(s, base) for s in upcoming)}</ul>')
    if past:
        parts.append(f'<h3>Tidigare</h3><ul class="kop-seminar-list">{"".join(_item(s, base) for s in past)}</ul>')
    parts.append("</section>")
    return "\n".join(parts)
