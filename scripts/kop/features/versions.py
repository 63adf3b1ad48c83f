"""Living overviews: every published version at a permanent address, and what changed.

An overview is updated as new studies appear. A practitioner who read it last year, a
researcher who cited it and an organiser who linked it need the version they have, so each
published version (read from git by :mod:`kop.sources.history`) gets:

* ``/k/<id>/v/<version>/`` – a permanent address. For an older version it redirects (keeping
  the ``#fragment``) to ``versioner/<id>-<version>/``, a page rendered as the overview was,
  with its references as they were, marked "Äldre version" with a link to the current one;
  for the current version it redirects to the overview page. The rendered page sits at the
  same depth as overview pages, so every relative link the renderer writes works there too.
* a "Vad har ändrats" section on the overview page: between consecutive versions, the
  findings added, removed and changed, and certainty changes (:mod:`kop.render.changes`);
* an Atom feed of version changes, ``andringar.xml``.

Old references: a version's page is formatted with the current formatting when every entry
it cites is unchanged (the common case: a bibliography grows, it rarely rewrites old entries);
only a version whose cited entries differ gets a formatting run of its own (cached by content,
like every run). A version never changes, so its rendered page is kept in the cache
(``.cache/kop/versions``) under a hash of everything it is made from; a build renders only the
versions whose inputs changed (``today`` is one: the staleness banner). A shallow clone or a
copy without git gives a warning and no older versions; it never fails the build.
"""

from __future__ import annotations

import hashlib
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kop.bib.load import load_bibliography
from kop.cite.apa import Formatted, format_all
from kop.cite.keys import cited_keys
from kop.cite.scan import scan_citations
from kop.core.catalogue.history import VERSION_NOT_RENDERED
from kop.core.fingerprint import digest, package_fingerprint
from kop.core.html import esc
from kop.core.model import Diagnostic, Overview, Reference
from kop.core.results import CheckResult
from kop.core.urls import absolute, is_withdrawn, on_site, overview_url, permalink
from kop.features.base import BaseFeature, BuildContext, Files
from kop.features.citable import format_references
from kop.features.feeds import atom_root, atom_sub
from kop.features.permalinks import copy_link_html, redirect_html
from kop.features.registry import read_registry, registry_path
from kop.render.changes import changes_html, compare_findings
from kop.render.headmeta import is_example, marked_title
from kop.render.kept_pages import KeptPages, canonical_json
from kop.render.overview import PageParts, render_overview
from kop.render.sof import document_citations
from kop.sources.history import History, Version, blob_id, read_blobs, read_history

FEED_PATH = "andringar.xml"
PAGE_CACHE = "versions"  # under the project's cache folder: <key>.md and <key>.json per older version's page


def version_path(oid: str, version: str) -> str:
    """The permanent, citable address of one version."""
    return f"{permalink(oid)}v/{version}/"


def version_page_path(oid: str, version: str) -> str:
    """Where an older version's page is rendered (same depth as overview pages)."""
    return f"versioner/{oid}-{version}/"


def _same_entry(old: Reference | None, new: Reference | None) -> bool:
    return old is not None and new is not None and old.entry_type == new.entry_type and old.fields == new.fields


class VersionsFeature(BaseFeature):
    """Older versions at permanent addresses, "Vad har ändrats", and the changes feed."""

    name = "versions"

    def __init__(self) -> None:
        self.history: History | None = None
        self.warnings: list[Diagnostic] = []
        self._bibs: dict[str, dict[str, Reference]] = {}  # blob id -> the bibliography it holds
        self._current_bib: str | None = None  # blob id of the working tree's references.bib
        self.apa: dict[str, str] = {}  # "<id>@<version>" -> APA 7 HTML of that version
        self._kept: KeptPages | None = None  # older versions' pages as last rendered (.cache/kop/versions)
        self._settings: str | None = None
        self._metas: dict[str, str] = {}  # overview id -> its current front matter as JSON (part of each key)
        self._bib_blobs: dict[str, str | None] = {}  # commit -> blob id of references.bib there

    # --- reading the history once ---------------------------------------------------------------

    def _history(self, result: CheckResult) -> History:
        if self.history is None:
            current = {str(ov.meta["id"]): str(ov.meta["version"]) for ov in result.overviews
                       if ov.meta.get("id") and ov.meta.get("version")}  # their text is the working tree's
            self.history = read_history(result.project.root, cache_dir=result.project.cache_dir, current=current)
            self.warnings = list(self.history.diagnostics)
        return self.history

    def steps(self, ov: Overview, result: CheckResult) -> list[tuple[str, str, str, Mapping[str, Any]]]:
        """(version, date, change note, findings-bearing meta) per published version, oldest first.

        The working tree's own version is the last step; when the history already has it, the
        working tree's text replaces the history's (it is what the page shows).
        """
        oid = str(ov.meta.get("id"))
        current = str(ov.meta.get("version", ""))
        steps = [(v.version, v.date, v.change_note, v.meta) for v in self._history(result).of(oid)
                 if v.version != current]
        if current:
            note = ov.meta.get("changes")
            note_text = note.strip() if isinstance(note, str) else ""
            day = str(ov.meta.get("updated") or ov.meta.get("published") or "")
            steps.append((current, day, note_text, ov.meta))
        return steps

    def registered_versions(self, result: CheckResult) -> dict[str, set[str]]:
        """Without the history: the version addresses already promised in published-urls.txt, by id.

        They stay reachable (redirecting to the current version) so a shallow clone's build keeps
        every promise the registry holds; the deploy, with the full history, renders them.
        """
        if self._history(result).complete:
            return {}
        path = registry_path(result.project.root)
        if not path.is_file():
            return {}
        entries, _ = read_registry(path, "published-urls.txt")
        out: dict[str, set[str]] = {}
        for _, address in entries:
            parts = address.strip("/").split("/")
            if len(parts) == 4 and parts[0] == "k" and parts[2] == "v":
                out.setdefault(parts[1], set()).add(parts[3])
        return out

    def older(self, ov: Overview, result: CheckResult) -> list[Version]:
        current = str(ov.meta.get("version", ""))
        return [v for v in self._history(result).of(str(ov.meta.get("id"))) if v.version != current]

    # --- the protocol -----------------------------------------------------------------------------

    def addresses(self, result: CheckResult) -> set[str]:
        out: set[str] = set()
        for ov in on_site(result.overviews):
            oid = str(ov.meta["id"])
            if ov.meta.get("version"):
                out.add(version_path(oid, str(ov.meta["version"])))
            for v in self.older(ov, result):
                out.add(version_path(oid, v.version))
                if not is_withdrawn(ov):
                    out.add(version_page_path(oid, v.version))
            out |= {version_path(oid, version) for version in self.registered_versions(result).get(oid, set())}
        if on_site(result.overviews):
            out.add(FEED_PATH)
        return out

    def prepare(self, ctx: BuildContext) -> None:
        """Read the history; a missing one is a build warning (never in `kop check`: not the writer's problem)."""
        self._history(ctx.result)
        ctx.result.diagnostics.extend(self.warnings)

    def page_parts(self, ov: Overview, ctx: BuildContext) -> PageParts:
        steps = self.steps(ov, ctx.result)
        if len(steps) < 2:
            return PageParts()
        rows = []
        for (_, _, _, before), (version, day, note, after) in itertools.pairwise(steps):
            rows.append((version, day, note, compare_findings(before.get("findings"), after.get("findings"))))
        rows.reverse()
        oid = str(ov.meta["id"])
        links = "".join(
            f'<li><a href="../../{esc(version_page_path(oid, v.version))}">Version {esc(v.version)}</a> '
            f'(<time datetime="{esc(v.date)}">{esc(v.date)}</time>)</li>'
            for v in reversed(self.older(ov, ctx.result))
        )
        earlier = f"<h3>Tidigare versioner</h3><ul>{links}</ul>" if links else ""
        section = (f'<section class="kop-what-changed"><h2 id="vad-har-andrats">Vad har ändrats</h2>'
                   f"{changes_html(rows, _level_labels())}{earlier}</section>")
        return PageParts(sections=[section])

    def files(self, ctx: BuildContext) -> Files:
        out: Files = {}
        result = ctx.result
        entries: list[tuple[str, str, str, str, str]] = []
        self.apa = format_references(
            [(f"{ov.meta['id']}@{v.version}", _as_overview(ov, v), absolute(ctx.site_url, version_path(
                str(ov.meta["id"]), v.version))) for ov in on_site(result.overviews) if not is_withdrawn(ov)
             for v in self.older(ov, result)],
            ctx.publisher, result.project.cache_dir, slot="versions") if self.history and self.history.versions else {}
        for ov in on_site(result.overviews):
            oid = str(ov.meta["id"])
            title = marked_title(ov.meta, str(ov.meta.get("title", ov.slug)))
            current_url = absolute(ctx.site_url, overview_url(ov))
            if is_withdrawn(ov):  # every version's address leads to the tombstone, which says why
                versions = {str(ov.meta.get("version") or "")} | {v.version for v in self.older(ov, result)}
                versions |= self.registered_versions(result).get(oid, set())
                for version in sorted(v for v in versions if v):
                    out[f"{version_path(oid, version)}index.html"] = redirect_html(
                        f"../../../../{overview_url(ov)}", current_url, title, "Översikten är tillbakadragen:")
                continue
            if ov.meta.get("version"):
                out[f"{version_path(oid, str(ov.meta['version']))}index.html"] = redirect_html(
                    f"../../../../{overview_url(ov)}", current_url, title, "Den här versionen är den aktuella:")
            current = str(ov.meta.get("version", ""))
            for version in sorted(self.registered_versions(result).get(oid, set()) - {current}):
                out[f"{version_path(oid, version)}index.html"] = redirect_html(
                    f"../../../../{overview_url(ov)}", current_url, title,
                    "Den här versionen kunde inte byggas utan git-historiken. Läs den aktuella versionen:")
            for v in self.older(ov, result):
                page_url = absolute(ctx.site_url, version_path(oid, v.version))
                out[f"{version_path(oid, v.version)}index.html"] = redirect_html(
                    f"../../../../{version_page_path(oid, v.version)}", page_url,
                    f"{title}, version {v.version}", "Version")
                page = self._version_page(ov, v, ctx)
                if page is not None:
                    out[f"{version_page_path(oid, v.version)}index.md"] = page
                else:  # the address still leads somewhere: the current version
                    out[f"{version_page_path(oid, v.version)}index.html"] = redirect_html(
                        f"../../{overview_url(ov)}", current_url, title, "Läs den aktuella versionen:")
            for version, day, note, _meta in self.steps(ov, result)[1:]:
                entries.append((day, oid, version, title, note))
        if on_site(result.overviews):
            out[FEED_PATH] = changes_feed(entries, ctx.site_url, ctx.site_name)
        self._pages(ctx).prune()  # a build without history keeps them (their owners are absent, not outdated)
        return out

    # --- one older version's page --------------------------------------------------------------

    def _old_references(self, ctx: BuildContext, commit: str) -> dict[str, Reference]:
        """references.bib as it was at ``commit``; the site's own when the file is unchanged (the usual case)."""
        project = ctx.result.project
        name = project.display(project.bib_path)
        if commit not in self._bib_blobs:  # a handful of commits carry every version: one git call each
            self._bib_blobs[commit] = blob_id(project.root, f"{commit}:{name}")
        blob = self._bib_blobs[commit]
        if blob is None:
            return {}
        if self._current_bib is None:
            self._current_bib = blob_id(project.root, f"--path={project.bib_path}") or ""
        if blob == self._current_bib:
            return ctx.result.references
        if blob not in self._bibs:
            data = read_blobs(project.root, [blob]).get(blob)
            refs, _ = load_bibliography(project.bib_path, data, name) if data is not None else ({}, [])
            self._bibs[blob] = refs
        return self._bibs[blob]

    def _version_page(self, current: Overview, v: Version, ctx: BuildContext) -> str | None:
        try:
            apa = self.apa.get(f"{current.meta['id']}@{v.version}") or ""
            key = self._page_key(current, v, apa, ctx)
            owner = f"{current.meta['id']}@{v.version}"
            oid = str(current.meta.get("id"))

            def view(keys: list[str]) -> Formatted | None:  # the formatting this version's kept page is shown with
                found = self._formatting(ctx, v, keys, None)
                return found.for_page(oid) if found is not None else None

            kept = self._pages(ctx).get(key, owner, view)
            if kept is not None:  # the page as last rendered, if what it read from the formatting is unchanged
                return kept
            ov = _as_overview(current, v)
            ov.citations = scan_citations(v.body, v.body_line)
            formatted = self._formatting(ctx, v, sorted(cited_keys(ov)), ov)
            assert formatted is not None
            banner = _older_banner(current, v)
            address = absolute(ctx.site_url, version_path(oid, v.version))
            parts = PageParts(header=[banner, copy_link_html(address, f"version {v.version}")])
            if apa:
                parts.sections.append(
                    '<section class="kop-cite-box"><h2 id="citera">Citera den här versionen</h2>'
                    f"<p>Referens enligt APA 7 för version {esc(v.version)}. Adressen leder alltid till just "
                    f'den här versionen.</p><div class="kop-cite-ref">{apa}</div></section>')
            page = render_overview(ov, formatted, today=ctx.today, settings=ctx.result.project.settings, parts=parts)
            self._pages(ctx).put(key, owner, ov, formatted.for_page(oid), page)
            return page
        except Exception as error:  # an old version today's renderer cannot read is left out, never a traceback
            display = ctx.result.displays.get(current.slug, str(current.path))
            ctx.result.diagnostics.append(VERSION_NOT_RENDERED.at(display, 0, 0, version=v.version,
                                                                  problem=type(error).__name__))
            return None


    def _formatting(self, ctx: BuildContext, v: Version, keys: list[str], ov: Overview | None) -> Formatted | None:
        """The site's formatting when every entry the version cites is unchanged (the usual case).

        Otherwise the version's own entries get a run of their own (cached by content); that
        needs the version's citations, so without ``ov`` (a cache lookup) the answer is None.
        """
        old_refs = self._old_references(ctx, v.commit)
        site_refs = ctx.result.references
        if ctx.formatted is not None and all(_same_entry(old_refs.get(k), site_refs.get(k)) for k in keys):
            return ctx.formatted
        if ov is None:
            return None
        subset = {k: old_refs[k] for k in keys if k in old_refs}
        cache: Path = ctx.result.project.cache_dir
        return format_all(subset, document_citations(ov), cache, slot=f"version-{ov.meta.get('id')}-{v.version}")

    # --- older versions' pages are kept: a version never changes, only what it is shown with ---------

    def _page_key(self, current: Overview, v: Version, apa: str, ctx: BuildContext) -> str:
        """A hash of everything :meth:`_version_page` renders from except the formatting.

        What the page reads from the formatting is checked apart (:mod:`kop.render.kept_pages`): the
        kept entry names the clusters and keys it read (:func:`kop.render.pdf.formatted_needs`,
        the list the PDF cache relies on), so a reference added elsewhere in references.bib
        leaves the page alone, while a changed year suffix of one of its works renders it again.
        """
        # The version's text is the file at (commit, path): a commit id names its content for good.
        return digest(package_fingerprint(), self._meta_json(current), current.slug, str(current.path),
                       v.commit, v.path, v.version, v.date, v.change_note, ctx.site_url, ctx.today.isoformat(),
                       self._settings_json(ctx), apa)

    def _settings_json(self, ctx: BuildContext) -> str:
        if self._settings is None:
            self._settings = canonical_json(ctx.result.project.settings)
        return self._settings

    def _meta_json(self, current: Overview) -> str:
        oid = str(current.meta.get("id"))
        if oid not in self._metas:
            self._metas[oid] = canonical_json(current.meta)
        return self._metas[oid]

    def _pages(self, ctx: BuildContext) -> KeptPages:
        if self._kept is None:
            self._kept = KeptPages(ctx.result.project.cache_dir / PAGE_CACHE)
        return self._kept


def _as_overview(current: Overview, v: Version) -> Overview:
    """An older version as an overview (the current file's path and slug, the version's text)."""
    return Overview(current.path, current.slug, dict(v.meta), v.body, v.body_line)


def _level_labels() -> dict[str, str]:
    try:
        from kop.schema.load import certainty_levels  # the vocabulary, when the schema has it
    except ImportError:
        return {}
    return {str(level["value"]): str(level["label"]) for level in certainty_levels()}


def _older_banner(current: Overview, v: Version) -> str:
    example = " Det här är ett demonstrationsexempel." if is_example(current.meta) else ""
    return (
        '<div class="admonition warning kop-older-version" role="note">'
        '<p class="admonition-title">Äldre version</p>'
        f"<p>Du läser version {esc(v.version)} från <time datetime=\"{esc(v.date)}\">{esc(v.date)}</time>. "
        f'Den aktuella versionen är {esc(current.meta.get("version", ""))}: '
        f'<a href="../../{esc(overview_url(current))}">läs den aktuella versionen</a>.{esc(example)}</p></div>'
    )


def changes_feed(entries: list[tuple[str, str, str, str, str]], site_url: str, site_name: str) -> str:
    """Atom feed of new versions: (date, id, version, title, note), newest first."""
    feed = atom_root()
    sub = atom_sub

    ordered = sorted(entries, key=lambda e: (e[0], e[1], e[2]), reverse=True)
    sub(feed, "title", f"{site_name}: ändrade översikter")
    sub(feed, "id", absolute(site_url, FEED_PATH))
    sub(feed, "link", rel="self", href=absolute(site_url, FEED_PATH))
    sub(feed, "updated", f"{(ordered[0][0] if ordered else '') or '1970-01-01'}T00:00:00Z")
    for day, oid, version, title, note in ordered:
        entry = sub(feed, "entry")
        sub(entry, "title", f"{title}, version {version}")
        digest = hashlib.sha256(f"{oid}/{version}".encode()).hexdigest()[:16]
        sub(entry, "id", f"tag:kop,{day or '1970-01-01'}:{oid}:{version}:{digest}")
        sub(entry, "link", href=absolute(site_url, version_path(oid, version)))
        sub(entry, "updated", f"{day or '1970-01-01'}T00:00:00Z")
        sub(entry, "summary", note or f"Ny version {version}.")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
