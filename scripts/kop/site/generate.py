"""Write the generated Markdown tree that the site engine builds (``build/docs``).

The tree is the contributor's ``docs/`` plus generated pages. Files are rewritten only
when their content changed, so a live preview rebuilds just what an edit touched, and
files no longer generated are removed. Nothing outside ``build/`` is ever written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from kop.cite.apa import Formatted
from kop.core import safefs
from kop.core.fingerprint import digest, package_fingerprint
from kop.core.fsutil import FILE_MODE, write_atomic
from kop.core.model import Overview
from kop.core.project import today
from kop.core.results import CheckResult
from kop.core.urls import on_site
from kop.features.base import BuildContext, Feature
from kop.features.citable import publisher
from kop.features.enabled import instantiate
from kop.render.evidence_map import PAGE_PATH as EVIDENCE_MAP_PATH
from kop.render.evidence_map import evidence_map_page
from kop.render.guide import field_reference_markdown, message_catalogue_markdown
from kop.render.headmeta import with_pdf_url
from kop.render.kept_pages import KeptPages, canonical_json
from kop.render.legend import PAGE_PATH as LEGEND_PATH
from kop.render.legend import legend_page
from kop.render.listings import area_pages, catalogue_pages, references_pages, start_page
from kop.render.overview import PageParts, render_overview
from kop.schema.load import PUBLISHED_SCHEMA_NAME, resolved_schema_text
from kop.sources.documents import read_tree


@dataclass
class Rendered:
    """What rendering one more overview page needs from the last whole generation (the live preview keeps it)."""

    ctx: BuildContext  # holds the check result and the formatting
    features: list[Feature]

    @property
    def result(self) -> CheckResult:
        return self.ctx.result

    @property
    def formatted(self) -> Formatted:
        assert self.ctx.formatted is not None  # generate() runs only with a formatting
        return self.ctx.formatted


def generate(result: CheckResult, formatted: Formatted,
             keep: list[Rendered] | None = None) -> Iterator[tuple[str, str | bytes]]:
    """Yield every generated file as (relative path, content); pure apart from reading docs/.

    The core pages are made here; every feature in :data:`kop.features.enabled.FEATURES` adds
    its files and its parts of each overview page. Overview pages, the bulk of the tree, are
    rendered one at a time as they are written, so memory does not grow with the number of
    overviews (1,000 pages are ~140 MB of text). ``keep`` receives the generation's state, from
    which :func:`overview_page` renders one page again.
    """
    project = result.project
    # only regular files inside the repository; what is refused was reported by the check (KOP150–152)
    docs: dict[str, str | bytes] = dict(read_tree(project.docs_dir, project)[0])
    published = result.published()
    features = instantiate()
    ctx = build_context(result, formatted, docs)
    for feature in features:
        feature.prepare(ctx)
    if keep is not None:
        keep.append(Rendered(ctx, features))
    files: dict[str, str | bytes] = dict(docs)
    files.update(catalogue_pages(published))
    files[EVIDENCE_MAP_PATH] = evidence_map_page(published)
    files[LEGEND_PATH] = legend_page()
    files.update(area_pages(published))
    files.update(references_pages(published, formatted))
    files["bidra/faltreferens.md"] = field_reference_markdown()
    files["bidra/felmeddelanden.md"] = message_catalogue_markdown()
    files[f"schema/{PUBLISHED_SCHEMA_NAME}"] = resolved_schema_text()
    for feature in features:
        files.update(feature.files(ctx))
    index = files.get("index.md", "# KÖP\n")
    index_text = index.decode("utf-8") if isinstance(index, bytes) else index
    files["index.md"] = start_page(index_text, published)
    yield from files.items()
    kept = KeptPages(project.cache_dir / PAGE_CACHE, enabled=os.environ.get("KOP_NO_CACHE", "") == "")
    fixed = digest(PAGE_CACHE_VERSION, package_fingerprint(), ctx.today.isoformat(), canonical_json(project.settings))
    for ov in published:
        path = f"oversikter/{ov.slug}.md"
        if path not in files:  # a withdrawn overview's tombstone (kop.features.permalinks) takes its place
            yield path, _overview_page(ov, formatted, ctx, _parts(ov, ctx, features), kept, fixed)
    kept.prune()


def _parts(ov: Overview, ctx: BuildContext, features: list[Feature]) -> PageParts:
    parts = PageParts()
    for feature in features:
        parts.merge(feature.page_parts(ov, ctx))
    parts.head = with_pdf_url(parts.head, ctx.site_url)  # citation_pdf_url, never for an example
    return parts


def overview_page(state: Rendered, ov: Overview) -> str:
    """``ov``'s page as :func:`generate` renders it, with the state of the last whole generation.

    Exact when nothing but ``ov``'s body changed since, and its citations are the same: the
    formatting and every feature's view of the site are then those of that generation.
    """
    project = state.result.project
    return render_overview(ov, state.formatted, today=state.ctx.today, settings=project.settings,
                           parts=_parts(ov, state.ctx, state.features))


PAGE_CACHE = "overview-pages"  # under the project's cache folder (kop.render.kept_pages)
PAGE_CACHE_VERSION = "1"


def _overview_page(ov: Overview, formatted: Formatted, ctx: BuildContext, parts: PageParts, kept: KeptPages,
                   fixed: str) -> str:
    """An overview's page: as last rendered when nothing it is made from changed, else rendered now.

    The key covers the overview (path, front matter, body), the features' parts, and in
    ``fixed`` the code, today's date and the settings; what the page reads from the formatting
    is checked apart (:class:`kop.render.kept_pages.KeptPages`).
    """
    oid = str(ov.meta.get("id"))
    key = digest(fixed, ov.slug, str(ov.path), canonical_json(ov.meta), ov.body, str(ov.body_line),
                 canonical_json([parts.head, parts.header, parts.sections]))
    page = kept.get(key, ov.slug, lambda _keys: formatted.for_page(oid))
    if page is None:
        page = render_overview(ov, formatted, today=ctx.today, settings=ctx.result.project.settings, parts=parts)
        kept.put(key, ov.slug, ov, formatted.for_page(oid), page)
    return page


def build_context(result: CheckResult, formatted: Formatted | None,
                  docs: Mapping[str, str | bytes] | None = None) -> BuildContext:
    """What every feature reads during a build (see :class:`kop.features.base.BuildContext`)."""
    project = result.project
    return BuildContext(result, formatted, project.site_url, project.site_name,
                        publisher(project.settings, project.site_name), today(),
                        {str(ov.meta["id"]): ov for ov in on_site(result.overviews)}, dict(docs or {}))


def feature_files(result: CheckResult, formatted: Formatted | None = None,
                  docs: Mapping[str, str | bytes] | None = None) -> dict[str, str | bytes]:
    """Every file the features add, without the core pages (for tests and tools)."""
    features = instantiate()
    ctx = build_context(result, formatted, docs)
    files: dict[str, str | bytes] = {}
    for feature in features:
        feature.prepare(ctx)
    for feature in features:
        files.update(feature.files(ctx))
    return files


THEME_DIR = Path(__file__).resolve().parent / "theme"


def theme_files() -> dict[str, str | bytes]:
    """The theme overrides, copied to ``build/theme`` so any content tree's mkdocs.yml can use them."""
    good, _ = safefs.walk_files(THEME_DIR, THEME_DIR)  # links and special files in the theme are never copied
    return {p.relative_to(THEME_DIR).as_posix(): safefs.read_regular(p, THEME_DIR) for p in good}


def write_tree(out_dir: Path, files: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]]) -> int:
    """Write ``files`` under ``out_dir``, touching only changed files; return how many changed.

    Files no longer generated are removed. ``files`` may be a mapping or a stream of pairs.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = 0
    wanted: set[Path] = set()
    for rel, content in files.items() if isinstance(files, Mapping) else files:
        wanted.add(out_dir / rel)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = out_dir / rel
        if target.is_file() and target.read_bytes() == data:
            if stat.S_IMODE(target.stat().st_mode) != FILE_MODE:  # written by an older kop, as 0600
                os.chmod(target, FILE_MODE)
            continue
        write_atomic(target, data)
        changed += 1
    for existing in sorted(out_dir.rglob("*"), reverse=True):
        if existing.is_file() and existing not in wanted:
            existing.unlink()
            changed += 1
        elif existing.is_dir() and not any(existing.iterdir()):
            existing.rmdir()
    return changed
