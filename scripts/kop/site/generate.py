"""Write the generated Markdown tree that the site engine builds (``build/docs``).

The tree is the contributor's ``docs/`` plus generated pages. Files are rewritten only
when their content changed, so a live preview rebuilds just what an edit touched, and
files no longer generated are removed. Nothing outside ``build/`` is ever written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from kop.cite.apa import Formatted, anchor
from kop.core.fsutil import write_atomic
from kop.core.html import esc
from kop.core.model import Overview
from kop.core.project import today
from kop.core.results import CheckResult
from kop.core.urls import area_slug, on_site
from kop.features.base import BuildContext
from kop.features.citable import publisher
from kop.features.enabled import instantiate
from kop.render.evidence_map import PAGE_PATH as EVIDENCE_MAP_PATH
from kop.render.evidence_map import evidence_map_page
from kop.render.facets import facet_values
from kop.render.fragments import block
from kop.render.guide import field_reference_markdown, message_catalogue_markdown
from kop.render.overview import STATUS_LABELS, PageParts, evidence_badge, page_keys, render_overview
from kop.schema.load import PUBLISHED_SCHEMA_NAME, evidence_label, resolved_schema_text, vocabularies

LATEST_COUNT = 5


def generate(result: CheckResult, formatted: Formatted) -> Iterator[tuple[str, str | bytes]]:
    """Yield every generated file as (relative path, content); pure apart from reading docs/.

    The core pages are made here; every feature in :data:`kop.features.enabled.FEATURES` adds
    its files and its parts of each overview page. Overview pages, the bulk of the tree, are
    rendered one at a time as they are written, so memory does not grow with the number of
    overviews (1,000 pages are ~140 MB of text).
    """
    project = result.project
    docs: dict[str, str | bytes] = {}
    if project.docs_dir.is_dir():
        for src in sorted(project.docs_dir.rglob("*")):
            if src.is_file():
                docs[src.relative_to(project.docs_dir).as_posix()] = src.read_bytes()
    published = result.published()
    features = instantiate()
    ctx = build_context(result, formatted, docs)
    for feature in features:
        feature.prepare(ctx)
    files: dict[str, str | bytes] = dict(docs)
    files["oversikter/index.md"] = catalogue_page(published)
    files[EVIDENCE_MAP_PATH] = evidence_map_page(published)
    files.update(area_pages(published))
    files["referenser.md"] = references_page(published, formatted)
    files["bidra/faltreferens.md"] = field_reference_markdown()
    files["bidra/felmeddelanden.md"] = message_catalogue_markdown()
    files[f"schema/{PUBLISHED_SCHEMA_NAME}"] = resolved_schema_text()
    for feature in features:
        files.update(feature.files(ctx))
    index = files.get("index.md", "# KÖP\n")
    index_text = index.decode("utf-8") if isinstance(index, bytes) else index
    files["index.md"] = index_text.rstrip("\n") + block(latest_section(published))
    yield from files.items()
    for ov in published:
        path = f"oversikter/{ov.slug}.md"
        if path not in files:  # a withdrawn overview's tombstone (kop.features.permalinks) takes its place
            parts = PageParts()
            for feature in features:
                parts.merge(feature.page_parts(ov, ctx))
            yield path, render_overview(ov, formatted, today=ctx.today, settings=project.settings, parts=parts)


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
    return {p.relative_to(THEME_DIR).as_posix(): p.read_bytes() for p in sorted(THEME_DIR.rglob("*")) if p.is_file()}


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


def _date(ov: Overview, name: str) -> str:
    return str(ov.meta.get(name) or "")


def _row(ov: Overview, base: str) -> str:
    """One catalogue row; the data-* attributes are what kop.js sorts and filters on."""
    meta = ov.meta
    facets = facet_values(meta)
    areas = ", ".join(esc(a) for a in meta.get("area") or [])
    status = str(meta.get("status", ""))
    strengths = " ".join(evidence_badge(s) for s in facets["strength"])
    updated = _date(ov, "updated") or _date(ov, "published")
    return (
        f'<tr data-area="{esc("|".join(facets["area"]))}" data-method="{esc(meta.get("method"))}" '
        f'data-status="{esc(status)}" data-strength="{esc("|".join(facets["strength"]))}" '
        f'data-title="{esc(meta.get("title"))}" data-published="{esc(_date(ov, "published"))}" '
        f'data-updated="{esc(updated)}">'
        f'<td data-label="Titel"><a href="{base}oversikter/{ov.slug}/">{esc(meta.get("title"))}</a></td>'
        f'<td data-label="Område">{areas}</td><td data-label="Metod">{esc(meta.get("method"))}</td>'
        f'<td data-label="Evidens">{strengths}</td>'
        f'<td data-label="Status">{esc(STATUS_LABELS.get(status, status))}</td>'
        f'<td data-label="Publicerad"><time datetime="{esc(_date(ov, "published"))}">{esc(_date(ov, "published"))}'
        "</time></td>"
        f'<td data-label="Uppdaterad"><time datetime="{esc(updated)}">{esc(updated)}</time></td>'
        "</tr>"
    )


# Sortable columns: header text and the row attribute kop.js sorts by.
CATALOGUE_COLUMNS = (
    ("Titel", "title"), ("Område", "area"), ("Metod", "method"), ("Evidens", ""), ("Status", "status"),
    ("Publicerad", "published"), ("Uppdaterad", "updated"),
)


def overview_table(overviews: list[Overview], base: str, sorted_by: str = "") -> str:
    """A plain HTML table of overviews (works without JavaScript; kop.js adds sorting)."""
    rows = "".join(_row(ov, base) for ov in overviews)
    heads = "".join(
        f'<th scope="col"{f" data-sort={chr(34)}{key}{chr(34)}" if key else ""}'
        f'{f" aria-sort={chr(34)}descending{chr(34)}" if key and key == sorted_by else ""}>{label}</th>'
        for label, key in CATALOGUE_COLUMNS
    )
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="kop-catalogue">'
        f"<thead><tr>{heads}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div></div>"
    )


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(value)}">{esc(text)}</option>' for value, text in options)
    return (f'<p class="kop-filter"><label for="kop-filter-{name}">{label}</label>'
            f'<select id="kop-filter-{name}" name="{name}"><option value="">Alla</option>{opts}</select></p>')


def catalogue_filters(published: list[Overview]) -> str:
    """The filter form above the catalogue. Hidden until kop.js runs, because only script can filter
    a static page; the form's GET parameters are the URL state a filtered view is shared with."""
    values: dict[str, set[str]] = defaultdict(set)
    for ov in published:
        for key, vals in facet_values(ov.meta).items():
            values[key].update(vals)
    scale = ["stark", "medel", "svag"]
    return (
        '<form class="kop-catalogue-filters" id="kop-catalogue-filters" method="get" action="./" hidden '
        'aria-label="Filtrera översikterna">'
        '<p class="kop-filter"><label for="kop-filter-q">Titel innehåller</label>'
        '<input id="kop-filter-q" type="search" name="q" autocomplete="off"></p>'
        + _select("area", "Område", [(a, a.capitalize()) for a in sorted(values["area"])])
        + _select("method", "Metod", [(m, m.capitalize()) for m in sorted(values["method"])])
        + _select("strength", "Evidensstyrka",
                  [(v, evidence_label(v)) for v in sorted(values["strength"], key=lambda v: (v not in scale, v))])
        + _select("status", "Status", [(v, STATUS_LABELS.get(v, v)) for v in sorted(values["status"])])
        + '<p class="kop-filter kop-filter--actions"><a href="./">Visa alla</a></p>'
        "</form>\n"
        '<p id="kop-catalogue-status" class="kop-catalogue-status" role="status" aria-live="polite"></p>'
    )


def catalogue_page(published: list[Overview]) -> str:
    """All published overviews, newest first: sortable and filterable with kop.js, a plain table without."""
    ordered = sorted(published, key=lambda ov: (_date(ov, "published"), str(ov.meta.get("id"))), reverse=True)
    return (
        "---\ntitle: Alla översikter\n---\n\n# Alla översikter\n\n"
        f"{len(ordered)} publicerade kunskapsöversikter, de senast publicerade först. Du kan också "
        "[söka](../sok.md), bläddra per [område](../omraden/index.md) eller se "
        "[evidenskartan](../evidenskarta.md).\n\n"
        + block('<div class="kop-catalogue-wrap">\n' + catalogue_filters(ordered) + "\n"
                + overview_table(ordered, "../", sorted_by="published") + "\n</div>").lstrip("\n")
    )


def area_pages(published: list[Overview]) -> dict[str, str]:
    by_area: dict[str, list[Overview]] = defaultdict(list)
    for ov in published:
        for area in ov.meta.get("area") or []:
            by_area[area].append(ov)
    pages: dict[str, str] = {}
    index_lines = ["---", "title: Områden", "---", "", "# Områden", ""]
    for item in vocabularies()["areas"]:
        area = item["value"]
        count = len(by_area.get(area, []))
        index_lines.append(f"- [{area}]({area_slug(area)}/index.md) – {count} "
                           f"{'översikt' if count == 1 else 'översikter'}. {item['description']}")
        ovs = sorted(by_area.get(area, []), key=lambda ov: str(ov.meta.get("title")))
        body = f"---\ntitle: {area.capitalize()}\n---\n\n# {esc(area.capitalize())}\n\n{esc(item['description'])}\n\n"
        body += (block(overview_table(ovs, "../../")).strip("\n") if ovs
                 else "Det finns ännu inga publicerade översikter inom området.")
        pages[f"omraden/{area_slug(area)}/index.md"] = body + "\n"
    pages["omraden/index.md"] = "\n".join(index_lines) + "\n"
    return pages


def references_page(published: list[Overview], formatted: Formatted) -> str:
    """Every cited work, APA 7, with the overviews that cite it (a reverse index)."""
    cited_by: dict[str, list[Overview]] = defaultdict(list)
    for ov in published:
        for key in page_keys(ov, formatted.order):
            cited_by[key].append(ov)
    items = []
    for key in formatted.order:
        if key not in cited_by:
            continue
        links = ", ".join(f'<a href="../oversikter/{ov.slug}/">{esc(ov.meta.get("title"))}</a>' for ov in cited_by[key])
        items.append(f'<li id="{anchor(key)}" class="csl-entry">{formatted.entries[key]}'
                     f'<p class="kop-cited-by">Citeras i: {links}</p></li>')
    return (
        "---\ntitle: Referenser\n---\n\n# Referenser\n\nAlla verk som citeras i de publicerade översikterna, "
        "med de översikter som citerar dem." + block(f'<ul class="kop-reflist">{"".join(items)}</ul>')
    )


def latest_section(published: list[Overview]) -> str:
    newest = sorted(published, key=lambda ov: (_date(ov, "published"), str(ov.meta.get("id"))), reverse=True)
    updated = sorted((ov for ov in published
                      if ov.meta.get("updated") and ov.meta.get("updated") != ov.meta.get("published")),
                     key=lambda ov: (_date(ov, "updated"), str(ov.meta.get("id"))), reverse=True)

    def items(ovs: list[Overview], field: str) -> str:
        return "".join(
            f'<li><a href="oversikter/{ov.slug}/">{esc(ov.meta.get("title"))}</a> '
            f'<time datetime="{esc(_date(ov, field))}">{esc(_date(ov, field))}</time></li>'
            for ov in ovs[:LATEST_COUNT]
        )

    out = '<section class="kop-latest">\n<h2 id="senast-publicerade">Senast publicerade</h2>\n'
    out += f"<ul>{items(newest, 'published')}</ul>\n" if newest else "<p>Inga översikter är publicerade ännu.</p>\n"
    if updated:
        out += f'<h2 id="senast-uppdaterade">Senast uppdaterade</h2>\n<ul>{items(updated, "updated")}</ul>\n'
    out += '<p><a href="oversikter/">Alla översikter</a></p>\n</section>'
    return out

