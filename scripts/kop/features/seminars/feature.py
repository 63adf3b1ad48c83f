"""Seminars as a feature: loaded and checked with ``kop check``, pages and files in the build.

Each seminar becomes a page, a calendar file, an invitation (Markdown, text, HTML) and a
QR code; every overview page lists the seminars about it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kop.check.hooks import CheckContext, FeatureCheck
from kop.core.model import Overview
from kop.core.project import build_time
from kop.core.results import CheckResult
from kop.core.urls import absolute
from kop.features.base import BaseFeature, BuildContext, Files
from kop.features.seminars import ics, invitation, qr
from kop.features.seminars.model import (
    EXAMPLE_SENTENCE,
    PUBLISHED_SCHEMA_NAME,
    TZ,
    Seminar,
    index_page,
    is_example,
    load_seminars,
    marked_title,
    overview_section,
    schema,
    schema_text,
    seminar_page,
    usable,
)
from kop.render.headmeta import simple_head
from kop.render.overview import PageParts
from kop.schema.load import iter_fields

NAME = "seminars"
SEMINAR_GUIDE = "bidra/seminarier.md"
SCRIPT = Path(__file__).with_name("seminarier.js")
SCRIPT_ADDRESS = "assets/kop/seminarier.js"  # loaded by theme/main.html on every page (does nothing elsewhere)


def seminars_of(result: CheckResult) -> list[Seminar]:
    """The seminars the check loaded (valid or not), in file order."""
    data = result.feature_data.get(NAME)
    return [s for s in data if isinstance(s, Seminar)] if isinstance(data, list) else []


def usable_seminars(result: CheckResult) -> list[Seminar]:
    """The seminars that have what their pages need; invalid ones are never rendered."""
    return [s for s in seminars_of(result) if usable(s)]


def seminar_field_reference() -> str:
    """The seminar fields, generated from ``seminar.schema.json`` (never hand-copied)."""
    lines = ["## Alla fält {#seminarfalt}", "",
             "Listan skapas automatiskt från schemat "
             "([seminar.schema.json](../schema/seminar.schema.json)), som också används av kontrollen.", ""]
    for path, sub, required in iter_fields(schema()):
        kind = "datum (ÅÅÅÅ-MM-DD)" if sub.get("format") == "date" else {
            "string": "text", "array": "lista", "object": "grupp av fält", "boolean": "true/false",
            "integer": "heltal"}.get(str(sub.get("type")), str(sub.get("type")))
        extra = ""
        if sub.get("enum"):
            extra += " Tillåtna värden: " + ", ".join(f"`{v}`" for v in sub["enum"]) + "."
        if "default" in sub:
            default = sub["default"]
            extra += f" Standard: `{str(default).lower() if isinstance(default, bool) else default}`."
        lines.append(f"- `{path}` – **{sub.get('title', path)}** ({kind}, "
                     f"{'obligatoriskt' if required else 'valfritt'}). {sub.get('description', '')}{extra}")
    return "\n".join(lines)


class SeminarsFeature(BaseFeature):
    name = NAME

    def __init__(self) -> None:
        self.usable: list[Seminar] = []
        self.now: datetime = build_time().astimezone(TZ)

    def check(self, ctx: CheckContext) -> FeatureCheck:
        project = ctx.result.project
        loaded, problems = load_seminars(project.root, project.display, ctx.result.overviews)
        return FeatureCheck(problems, loaded)

    def addresses(self, result: CheckResult) -> set[str]:
        out = {"seminarier/", "seminarier/kalender.ics", f"schema/{PUBLISHED_SCHEMA_NAME}"}
        for sem in seminars_of(result):
            out |= {sem.url, f"{sem.url}inbjudan/", f"{sem.url}seminarium.ics", f"{sem.url}qr.svg",
                    f"{sem.url}qr.png"}
        return out

    def prepare(self, ctx: BuildContext) -> None:
        self.usable = usable_seminars(ctx.result)
        self.now = build_time().astimezone(TZ)

    def files(self, ctx: BuildContext) -> Files:
        out: Files = {"seminarier/index.md": index_page(self.usable, self.now)}
        out["seminarier/kalender.ics"] = ics.feed_ics(self.usable, ctx.by_id, ctx.site_url, ctx.site_name, self.now)
        out[SCRIPT_ADDRESS] = SCRIPT.read_text(encoding="utf-8")
        for sem in self.usable:
            page_url = absolute(ctx.site_url, sem.url)
            description = " ".join(str(sem.meta.get("description")).split())
            if is_example(sem):  # link previews (e-mail, Teams) show no page banner
                description = f"{EXAMPLE_SENTENCE} {description}"
            head = simple_head(marked_title(sem), description, page_url, ctx.site_name)
            out[f"seminarier/{sem.slug}.md"] = seminar_page(sem, ctx.by_id, head)
            inv = invitation.build(sem, ctx.by_id, ctx.site_url)
            out[f"{sem.url}inbjudan.md"] = invitation.invitation_page(sem, inv)
            out[f"{sem.url}inbjudan.txt"] = invitation.to_text(inv)
            out[f"{sem.url}inbjudan.html"] = invitation.html_document(inv)
            out[f"{sem.url}seminarium.ics"] = ics.seminar_ics(sem, ctx.by_id, ctx.site_url, self.now)
            out[f"{sem.url}qr.svg"] = qr.svg(page_url, f"QR-kod: {marked_title(sem)}")
            out[f"{sem.url}qr.png"] = qr.png(page_url)
        out[f"schema/{PUBLISHED_SCHEMA_NAME}"] = schema_text()
        guide = ctx.existing.get(SEMINAR_GUIDE)
        if guide is not None:
            text = guide.decode("utf-8") if isinstance(guide, bytes) else guide
            out[SEMINAR_GUIDE] = text.rstrip("\n") + "\n\n" + seminar_field_reference() + "\n"
        return out

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts:
        return PageParts(sections=[overview_section(ov, self.usable, self.now)])
