"""Permanent links, citable overviews, feeds and seminars: the glue into the pipeline.

Two small hooks call this module: :func:`check` from ``pipeline.check`` (so ``make
check`` validates seminars, aliases, withdrawals and the address registry), and
:func:`prepare` from ``pages.generate`` (which renders the Citera box and seminar list
into each overview page and adds every generated file). The work itself lives in one
module per job: permalinks, registry, citable, headmeta, ogimage, feeds, seminars,
icalendar_export, invitation, qr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import yaml

from kop.core.model import Diagnostic, Overview
from kop.core.project import build_time, today
from kop.core.urls import overview_url
from kop.features import citable, feeds, permalinks, registry
from kop.features import preview_cards as ogimage
from kop.features.seminars import ics as icalendar_export
from kop.features.seminars import invitation, qr
from kop.features.seminars import model as seminars
from kop.render import headmeta
from kop.render.fragments import block
from kop.schema.load import iter_fields

if TYPE_CHECKING:
    from kop.cite.apa import Formatted
    from kop.core.results import CheckResult

SEMINAR_GUIDE = "bidra/seminarier.md"


def check(result: CheckResult) -> list[Diagnostic]:
    """Load and validate seminars (stored on ``result.seminars``), aliases, withdrawals and the registry."""
    project = result.project
    diags = permalinks.overview_rules(result.overviews, result.displays, today())
    loaded, problems = seminars.load_seminars(project.root, project.display, result.overviews)
    result.seminars = loaded
    diags.extend(problems)
    diags.extend(registry.check_registry(result))
    return diags


@dataclass
class SiteExtras:
    """What the overview pages and the extra files need, computed once per build."""

    result: CheckResult
    site_url: str
    site_name: str
    publisher: str
    now: datetime
    by_id: dict[str, Overview]
    seminars: list[seminars.Seminar]
    apa: dict[str, str] = field(default_factory=dict)  # overview id -> APA 7 HTML of the overview itself

    def permalink_url(self, ov: Overview) -> str:
        return permalinks.absolute(self.site_url, permalinks.permalink(str(ov.meta.get("id"))))

    def head(self, ov: Overview) -> dict[str, Any]:
        """The ``kop`` front-matter mapping for the page head (raw values, escaped by the template)."""
        image = (permalinks.absolute(self.site_url, overview_url(ov) + headmeta.OG_IMAGE_NAME)
                 if self.site_url else None)
        return headmeta.overview_head(ov, page_url=permalinks.absolute(self.site_url, overview_url(ov)),
                                      permalink_url=self.permalink_url(ov), image_url=image,
                                      site_name=self.site_name, publisher=self.publisher)

    def overview_sections(self, ov: Overview) -> str:
        """Seminars about the overview, then the Citera box: generated blocks for the end of the page."""
        parts = [seminars.overview_section(ov, self.seminars, self.now)]
        url = self.permalink_url(ov)
        apa = self.apa.get(str(ov.meta.get("id")))
        if apa:
            parts.append(citable.cite_box(ov, apa, url, citable.bibtex(ov, url, self.publisher)))
        return "".join(block(p) for p in parts)

    def files(self, existing: dict[str, str | bytes]) -> dict[str, str | bytes]:
        """Every file this feature adds to ``build/docs`` (redirects, tombstones, citations, feeds, seminars)."""
        project = self.result.project
        on_site = permalinks.on_site(self.result.overviews)
        out: dict[str, str | bytes] = dict(permalinks.redirect_files(on_site, self.site_url))
        pictured = [ov for ov in on_site if not permalinks.is_withdrawn(ov)]
        images = ogimage.cards([(str(ov.meta.get("title")), f"KUNSKAPSÖVERSIKT · {ov.meta.get('id')}", self.site_name)
                                for ov in pictured], project.cache_dir)
        for ov, image in zip(pictured, images, strict=True):
            out[f"{overview_url(ov)}{headmeta.OG_IMAGE_NAME}"] = image
        for ov in on_site:
            if permalinks.is_withdrawn(ov):
                out[f"oversikter/{ov.slug}.md"] = permalinks.tombstone_page(ov, self.by_id)
                continue
            url = self.permalink_url(ov)
            out[f"{overview_url(ov)}citera.bib"] = citable.bibtex(ov, url, self.publisher)
            out[f"{overview_url(ov)}citera.ris"] = citable.ris(ov, url, self.publisher)
        out["feed.xml"] = feeds.atom_feed(on_site, self.site_url, self.site_name, self.publisher)
        out["overviews.json"] = feeds.catalogue(on_site, self.seminars, self.site_url, self.site_name)
        out.update(self.seminar_files())
        out[f"schema/{seminars.PUBLISHED_SCHEMA_NAME}"] = seminars.schema_text()
        guide = existing.get(SEMINAR_GUIDE)
        if guide is not None:
            text = guide.decode("utf-8") if isinstance(guide, bytes) else guide
            out[SEMINAR_GUIDE] = text.rstrip("\n") + "\n\n" + seminar_field_reference() + "\n"
        return out

    def seminar_files(self) -> dict[str, str | bytes]:
        out: dict[str, str | bytes] = {"seminarier/index.md": seminars.index_page(self.seminars, self.now)}
        out["seminarier/kalender.ics"] = icalendar_export.feed_ics(self.seminars, self.by_id, self.site_url,
                                                                    self.site_name)
        for sem in self.seminars:
            page_url = permalinks.absolute(self.site_url, sem.url)
            head = headmeta.simple_head(str(sem.meta.get("title")), str(sem.meta.get("description")), page_url,
                                        self.site_name)
            out[f"seminarier/{sem.slug}.md"] = seminars.seminar_page(sem, self.by_id, head)
            inv = invitation.build(sem, self.by_id, self.site_url)
            out[f"{sem.url}inbjudan.md"] = invitation.invitation_page(sem, inv)
            out[f"{sem.url}inbjudan.txt"] = invitation.to_text(inv)
            out[f"{sem.url}inbjudan.html"] = invitation.html_document(inv)
            out[f"{sem.url}seminarium.ics"] = icalendar_export.seminar_ics(sem, self.by_id, self.site_url)
            out[f"{sem.url}qr.svg"] = qr.svg(page_url, f"QR-kod: {sem.meta.get('title')}")
            out[f"{sem.url}qr.png"] = qr.png(page_url)
        return out


def prepare(result: CheckResult, formatted: Formatted | None = None) -> SiteExtras:
    """Compute once per build what the pages need; formats every overview's own reference in one Pandoc run."""
    project = result.project
    publisher = citable.publisher(project.settings, project.site_name)
    by_id = {str(ov.meta["id"]): ov for ov in permalinks.on_site(result.overviews)}
    usable = [s for s in getattr(result, "seminars", []) if seminars.usable(s)]
    extras = SiteExtras(result, project.site_url, project.site_name, publisher, build_time().astimezone(seminars.TZ),
                        by_id, usable)
    live = [ov for ov in by_id.values() if not permalinks.is_withdrawn(ov)]
    extras.apa = citable.self_references(live, project.site_url, publisher, project.cache_dir)
    return extras


def seminar_field_reference() -> str:
    """The seminar fields, generated from ``seminar.schema.json`` (never hand-copied)."""
    lines = ["## Alla fält {#seminarfalt}", "",
             "Listan skapas automatiskt från schemat "
             "([seminar.schema.json](../schema/seminar.schema.json)), som också används av kontrollen.", ""]
    for path, sub, required in iter_fields(seminars.schema()):
        kind = "datum (ÅÅÅÅ-MM-DD)" if sub.get("format") == "date" else {
            "string": "text", "array": "lista", "object": "grupp av fält", "boolean": "true/false"}.get(
            str(sub.get("type")), str(sub.get("type")))
        lines.append(f"- `{path}` – **{sub.get('title', path)}** ({kind}, "
                     f"{'obligatoriskt' if required else 'valfritt'}). {sub.get('description', '')}")
    return "\n".join(lines)


def page_front_matter(data: dict[str, Any]) -> str:
    """YAML front matter for a generated page (values already escaped where Material prints them raw)."""
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=True) + "---\n\n"
