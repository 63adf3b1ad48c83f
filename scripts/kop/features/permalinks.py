"""Addresses that never break: ``/k/<id>/`` permalinks, redirects from old slugs, tombstones.

Every published overview gets a short permanent address built from its ``id`` that
redirects to its current page ``oversikter/<slug>/``; each former slug listed in
``aliases`` gets a redirect from ``oversikter/<old-slug>/``. Redirect pages are plain
static HTML (meta refresh + canonical + a visible Swedish link), so they work on any
static host. One line of script in front of the meta refresh carries the address's
``#fragment`` over (``/k/<id>/#metod`` lands on the Metod section); without JavaScript
the meta refresh still redirects, but a refresh cannot carry a fragment, so the reader
lands at the top of the page. A withdrawn overview keeps its address and renders as a
tombstone that says why and where to go instead.

Every overview page also shows its absolute permanent address with a "Kopiera länk"
button (``cite.js``; without JavaScript the address is plain, selectable text).

:class:`PermalinksFeature` tells :mod:`kop.site.routes` which addresses these are, so the
registry check (:mod:`kop.features.registry`) can compare the committed list of published
addresses with them without building the site.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date

from kop.check.hooks import CheckContext, FeatureCheck
from kop.core.catalogue import message
from kop.core.html import esc
from kop.core.messages import did_you_mean
from kop.core.model import Diagnostic, Overview
from kop.core.results import CheckResult
from kop.core.urls import absolute, is_withdrawn, on_site, overview_url, permalink
from kop.features.base import BaseFeature, BuildContext, Files
from kop.render.fragments import block
from kop.render.headmeta import marked_title
from kop.render.marks import example_badge
from kop.render.overview import PageParts, front_matter

ALIAS_IS_SLUG = message("KOP610")
ALIAS_TAKEN = message("KOP611")
UNKNOWN_REPLACEMENT = message("KOP612")
REPLACED_BY_ITSELF = message("KOP613")
WITHDRAWN_IN_FUTURE = message("KOP614")
REPLACEMENT_NOT_PUBLISHED = message("KOP615")



def redirect_html(target: str, canonical: str, title: str, text: str) -> str:
    """A redirect page: meta refresh, canonical URL and a visible link (for people and crawlers).

    The script before the refresh adds ``location.hash`` to the target; the refresh alone drops it.
    """
    script_target = json.dumps(target).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        "<!doctype html>\n"
        '<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(title)} – vidarebefordran</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{esc(canonical)}">\n'
        f"<script>location.replace({script_target} + location.hash);</script>\n"
        f'<meta http-equiv="refresh" content="0; url={esc(target)}">\n'
        "</head>\n<body>\n"
        f'<p>{esc(text)} <a href="{esc(target)}">{esc(title)}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def redirect_files(overviews: Iterable[Overview], site_url: str) -> dict[str, str]:
    """``k/<id>/index.html`` for every overview on the site and ``oversikter/<alias>/index.html`` per alias."""
    files: dict[str, str] = {}
    for ov in on_site(overviews):
        title = marked_title(ov.meta, str(ov.meta.get("title", ov.slug)))  # "Exempel: …" for an example
        canonical = absolute(site_url, overview_url(ov))
        files[f"{permalink(ov.meta['id'])}index.html"] = redirect_html(
            f"../../{overview_url(ov)}", canonical, title, "Den permanenta länken leder till")
        for alias in ov.meta.get("aliases") or []:
            if isinstance(alias, str) and alias != ov.slug:
                files[f"oversikter/{alias}/index.html"] = redirect_html(
                    f"../{ov.slug}/", canonical, title, "Översikten har flyttat till en ny adress:")
    return files


def tombstone_page(ov: Overview, by_id: Mapping[str, Overview]) -> str:
    """The page that replaces a withdrawn overview at the same address."""
    meta = ov.meta
    withdrawn = meta["withdrawn"]
    title = str(meta.get("title", ov.slug))
    front = front_matter({"title": esc(marked_title(meta, title)) + " (tillbakadragen)",
                          "description": esc(withdrawn.get("reason", "")), "kop_id": str(meta.get("id", ""))})
    parts = [
        '<article class="kop-tombstone">',
        f'<p class="kop-kicker"><span class="kop-id">{esc(meta.get("id"))}</span> '
        '<span class="kop-status kop-status--tillbakadragen">Tillbakadragen</span>'
        + (" " + example_badge(meta) if example_badge(meta) else "") + "</p>",
        f"<h1>{esc(title)}</h1>",
        '<div class="admonition danger kop-withdrawn" role="note"><p class="admonition-title">Tillbakadragen</p>',
        f'<p>Översikten drogs tillbaka <time datetime="{esc(withdrawn.get("date"))}">{esc(withdrawn.get("date"))}'
        "</time> och ska inte längre användas.</p>",
        f'<p class="kop-withdrawn-reason"><strong>Skäl:</strong> {esc(withdrawn.get("reason"))}</p>',
    ]
    replacement = by_id.get(str(withdrawn.get("replaced_by") or ""))
    if replacement is not None:
        parts.append(f'<p class="kop-withdrawn-replacement">Läs i stället: <a href="../../{overview_url(replacement)}">'
                     f'{esc(replacement.meta.get("title"))}</a> ({esc(replacement.meta.get("id"))}).</p>')
    else:
        parts.append('<p>Se <a href="../">alla översikter</a> för aktuell kunskap.</p>')
    parts += ["</div>",
              f'<p>Den permanenta adressen <code>/k/{esc(meta.get("id"))}/</code> leder fortfarande hit.</p>',
              "</article>"]
    return front + block("\n".join(parts)).lstrip("\n")


def copy_link_html(address: str, what: str = "översikten") -> str:
    """The absolute permanent address as visible text and a "Kopiera länk" button (shown by cite.js)."""
    return (
        '<div class="kop-share">'
        f'<p><span class="kop-share__label">Permanent länk till {esc(what)}:</span> '
        f'<a class="kop-share__url" href="{esc(address)}" data-kop-permalink>{esc(address)}</a></p>'
        '<p><button type="button" class="md-button kop-copy-link" hidden>Kopiera länk</button> '
        '<span class="kop-copy-link-status" role="status" aria-live="polite"></span></p>'
        "</div>"
    )


def overview_rules(overviews: list[Overview], displays: Mapping[str, str], today: date) -> list[Diagnostic]:
    """Aliases that collide and withdrawals that point nowhere."""
    out: list[Diagnostic] = []
    by_id = {str(ov.meta["id"]): ov for ov in overviews if isinstance(ov.meta.get("id"), str)}
    owner: dict[str, str] = {ov.slug: displays.get(ov.slug, ov.slug) for ov in overviews}
    for ov in overviews:
        display = displays.get(ov.slug, str(ov.path))
        aliases = ov.meta.get("aliases")
        for i, alias in enumerate(aliases if isinstance(aliases, list) else []):
            if not isinstance(alias, str):
                continue
            line, col = ov.pos("aliases", i)
            if alias == ov.slug:
                out.append(ALIAS_IS_SLUG.at(display, line, col, alias=alias))
            elif alias in owner:
                out.append(ALIAS_TAKEN.at(display, line, col, alias=alias, other=owner[alias]))
            else:
                owner[alias] = display
        withdrawn = ov.meta.get("withdrawn")
        if not isinstance(withdrawn, dict):
            continue
        when = withdrawn.get("date")
        try:
            if isinstance(when, str) and date.fromisoformat(when) > today:
                line, col = ov.pos("withdrawn", "date")
                out.append(WITHDRAWN_IN_FUTURE.at(display, line, col, value=when))
        except ValueError:
            pass  # the schema's date format check reports it
        rid = withdrawn.get("replaced_by")
        if not isinstance(rid, str):
            continue
        line, col = ov.pos("withdrawn", "replaced_by")
        target = by_id.get(rid)
        if rid == ov.meta.get("id"):
            out.append(REPLACED_BY_ITSELF.at(display, line, col, id=rid))
        elif target is None:
            candidates = [i for i, o in by_id.items() if o.meta.get("status") != "utkast" and not is_withdrawn(o)]
            out.append(UNKNOWN_REPLACEMENT.at(display, line, col, id=rid, suggestion=did_you_mean(rid, candidates)))
        elif target.meta.get("status") == "utkast" or is_withdrawn(target):
            out.append(REPLACEMENT_NOT_PUBLISHED.at(display, line, col, id=rid))
    return out


class PermalinksFeature(BaseFeature):
    """``/k/<id>/`` and alias redirects, tombstones for withdrawn overviews, and their rules."""

    name = "permalinks"

    def check(self, ctx: CheckContext) -> FeatureCheck:
        return FeatureCheck(overview_rules(ctx.result.overviews, ctx.result.displays, ctx.today))

    def addresses(self, result: CheckResult) -> set[str]:
        out: set[str] = set()
        for ov in on_site(result.overviews):
            out |= {overview_url(ov), permalink(str(ov.meta["id"]))}
            out |= {f"oversikter/{a}/" for a in ov.meta.get("aliases") or [] if isinstance(a, str)}
        return out

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts:
        return PageParts(header=[copy_link_html(absolute(ctx.site_url, permalink(str(ov.meta["id"]))))])

    def files(self, ctx: BuildContext) -> Files:
        on = on_site(ctx.result.overviews)
        out: Files = dict(redirect_files(on, ctx.site_url))
        for ov in on:
            if is_withdrawn(ov):
                out[f"oversikter/{ov.slug}.md"] = tombstone_page(ov, ctx.by_id)
        return out
