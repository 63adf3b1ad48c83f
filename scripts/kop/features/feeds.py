"""Machine-readable outputs: an Atom feed of new and updated overviews and ``overviews.json``.

Every date comes from the content (``published``/``updated``/``withdrawn.date``), never
from the build clock, so two builds of the same sources give byte-identical files.
The feed is built with ElementTree (no extra dependency); Atom (RFC 4287) needs
absolute IRIs, so ``site_url`` from mkdocs.yml is used for ids and links. A demonstration
example says so in its entry: "Exempel: " before the title and a sentence first in the summary,
since feed readers show nothing of the page's own example banner.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from kop.core.model import Overview
from kop.core.results import CheckResult
from kop.core.urls import absolute, area_slug, is_withdrawn, on_site, overview_url, permalink
from kop.features.base import BaseFeature, BuildContext, Files
from kop.features.seminars.feature import usable_seminars
from kop.features.seminars.model import TZ, Seminar
from kop.render.headmeta import marked_title
from kop.render.marks import EXAMPLE_SENTENCE, is_example
from kop.schema.load import vocabularies

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50
CATALOGUE_VERSION = 1
# a finding's fields in overviews.json (issue 13: KÖP's own ``certainty`` and a source's ``source_grade`` apart)
FINDING_FIELDS = ("category", "statement", "certainty", "source_grade", "studies", "participants",
                  "designs", "references")


def atom_root() -> ET.Element:
    """An empty Swedish Atom ``<feed>``: the root of every feed the site publishes."""
    ET.register_namespace("", ATOM)
    return ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "sv"})


def atom_sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An Atom child element of ``parent``, with text and attributes."""
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _stamp(day: str) -> str:
    """An ISO date as an RFC 3339 timestamp: midnight, Stockholm time (``2024-03-15T00:00:00+01:00``)."""
    return datetime.combine(date.fromisoformat(day), time(0, 0), tzinfo=TZ).isoformat()


def _updated(ov: Overview) -> str:
    return str(ov.meta.get("updated") or ov.meta.get("published"))


def atom_feed(overviews: list[Overview], site_url: str, site_name: str, publisher: str,
              path: str = "feed.xml", area: str | None = None) -> str:
    """``feed.xml``: the newest published or updated overviews, newest first.

    With ``area``, the feed of one area (``omraden/<area>/feed.xml``), so a practitioner can
    follow just the field they work in.
    """
    if area is not None:
        overviews = [ov for ov in overviews if area in (ov.meta.get("area") or [])]
    live = [ov for ov in overviews if not is_withdrawn(ov) and ov.meta.get("published")]
    live.sort(key=lambda ov: (_updated(ov), str(ov.meta.get("id"))), reverse=True)
    live = live[:FEED_LIMIT]
    feed = atom_root()
    sub = atom_sub

    sub(feed, "id", absolute(site_url, path))
    sub(feed, "title", f"{site_name} – nya och uppdaterade översikter"
        + (f" inom {area}" if area is not None else ""))
    sub(feed, "subtitle", "Kunskapsöversikter som forskare och praktiker i socialtjänsten tagit fram tillsammans.")
    newest = max((_updated(ov) for ov in live), default="1970-01-01")
    sub(feed, "updated", _stamp(newest))
    sub(feed, "link", rel="self", type="application/atom+xml", href=absolute(site_url, path))
    home = f"omraden/{area_slug(area)}/" if area is not None else ""
    sub(feed, "link", rel="alternate", type="text/html", href=absolute(site_url, home))
    author = sub(feed, "author")
    sub(author, "name", publisher)
    sub(feed, "generator", "KÖP")
    for ov in live:
        meta = ov.meta
        entry = sub(feed, "entry")
        sub(entry, "id", absolute(site_url, permalink(str(meta["id"]))))
        sub(entry, "title", marked_title(meta, str(meta.get("title"))))
        sub(entry, "link", rel="alternate", type="text/html", href=absolute(site_url, overview_url(ov)))
        sub(entry, "published", _stamp(str(meta["published"])))
        sub(entry, "updated", _stamp(_updated(ov)))
        for person in meta.get("authors") or []:
            node = sub(entry, "author")
            sub(node, "name", str(person.get("name")))
        for area in meta.get("area") or []:
            sub(entry, "category", term=str(area))
        changed = meta.get("updated") and meta.get("updated") != meta.get("published")
        lead = f"Uppdaterad till version {meta.get('version')}. " if changed and meta.get("version") else ""
        if is_example(meta):
            lead = f"{EXAMPLE_SENTENCE} {lead}"
        sub(entry, "summary", lead + " ".join(str(meta.get("summary", "")).split()), type="text")
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def catalogue(overviews: list[Overview], seminars: list[Seminar], site_url: str, site_name: str) -> str:
    """``overviews.json``: every overview that has an address, with its metadata, for reuse."""
    items: list[dict[str, Any]] = []
    seminars_by_id: dict[str, list[str]] = {}
    for sem in sorted(seminars, key=lambda s: (str(s.meta.get("date")), s.slug)):
        for oid in sem.overview_ids:
            seminars_by_id.setdefault(oid, []).append(absolute(site_url, sem.url))
    for ov in sorted(overviews, key=lambda o: str(o.meta.get("id"))):
        meta = ov.meta
        item: dict[str, Any] = {
            "id": meta.get("id"),
            "title": meta.get("title"),
            "url": absolute(site_url, overview_url(ov)),
            "permalink": absolute(site_url, permalink(str(meta.get("id")))),
            "status": "tillbakadragen" if is_withdrawn(ov) else meta.get("status"),
        }
        for name in ("published", "updated", "version", "example", "method", "area", "keywords", "question",
                     "summary", "license", "related", "article", "withdrawn"):
            if meta.get(name) not in (None, [], ""):
                item[name] = _plain(meta[name])
        if not is_withdrawn(ov):
            item["authors"] = [{k: a[k] for k in ("name", "affiliation", "role", "orcid") if a.get(k)}
                               for a in meta.get("authors") or [] if isinstance(a, dict)]
            item["question_from"] = _plain(meta.get("question_from") or [])
            item["findings"] = [{k: f[k] for k in FINDING_FIELDS if f.get(k) not in (None, [], "")}
                                for f in meta.get("findings") or [] if isinstance(f, dict)]
            item["cite"] = {"bibtex": item["url"] + "citera.bib", "ris": item["url"] + "citera.ris"}
        if seminars_by_id.get(str(meta.get("id"))):
            item["seminars"] = seminars_by_id[str(meta.get("id"))]
        items.append(item)
    data = {
        "version": CATALOGUE_VERSION,
        "site": site_name,
        "url": absolute(site_url, ""),
        "feed": absolute(site_url, "feed.xml"),
        "license_note": "Metadata om översikterna får återanvändas fritt. Texterna har den licens som anges "
                        "per översikt.",
        "count": len(items),
        "overviews": items,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split()) if "\n" in value else value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class FeedsFeature(BaseFeature):
    """``feed.xml`` (Atom) and ``overviews.json`` (the machine-readable catalogue)."""

    name = "feeds"

    def addresses(self, result: CheckResult) -> set[str]:
        return {"feed.xml", "overviews.json"} | {area_feed_path(a["value"]) for a in vocabularies()["areas"]}

    def files(self, ctx: BuildContext) -> Files:
        on = on_site(ctx.result.overviews)
        out: Files = {"feed.xml": atom_feed(on, ctx.site_url, ctx.site_name, ctx.publisher),
                      "overviews.json": catalogue(on, usable_seminars(ctx.result), ctx.site_url, ctx.site_name)}
        for item in vocabularies()["areas"]:  # every area has a feed, so its address is stable from day one
            path = area_feed_path(item["value"])
            out[path] = atom_feed(on, ctx.site_url, ctx.site_name, ctx.publisher, path=path, area=item["value"])
        return out


def area_feed_path(area: str) -> str:
    """The Atom feed of one area, next to its page."""
    return f"omraden/{area_slug(area)}/feed.xml"
