"""Write the generated Markdown tree that the site engine builds (``build/docs``).

The tree is the contributor's ``docs/`` plus generated pages. Files are rewritten only
when their content changed, so a live preview rebuilds just what an edit touched, and
files no longer generated are removed. Nothing outside ``build/`` is ever written.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

from .formatting import Formatted, anchor
from .guide import field_reference_markdown, message_catalogue_markdown
from .model import Overview
from .pipeline import CheckResult
from .render import STATUS_LABELS, area_slug, esc, page_keys, render_overview
from .schema import PUBLISHED_SCHEMA_NAME, resolved_schema_text, vocabularies

LATEST_COUNT = 5


def generate(result: CheckResult, formatted: Formatted) -> dict[str, str | bytes]:
    """Return every generated file as {relative path: content}; pure apart from reading docs/."""
    project = result.project
    files: dict[str, str | bytes] = {}
    if project.docs_dir.is_dir():
        for src in sorted(project.docs_dir.rglob("*")):
            if src.is_file():
                files[src.relative_to(project.docs_dir).as_posix()] = src.read_bytes()
    published = result.published()
    for ov in published:
        files[f"oversikter/{ov.slug}.md"] = render_overview(ov, formatted)
    files["oversikter/index.md"] = catalogue_page(published)
    files.update(area_pages(published))
    files["referenser.md"] = references_page(published, formatted)
    files["bidra/faltreferens.md"] = field_reference_markdown()
    files["bidra/felmeddelanden.md"] = message_catalogue_markdown()
    files[f"schema/{PUBLISHED_SCHEMA_NAME}"] = resolved_schema_text()
    index = files.get("index.md", "# KÖP\n")
    index_text = index.decode("utf-8") if isinstance(index, bytes) else index
    files["index.md"] = index_text.rstrip("\n") + "\n\n" + latest_section(published) + "\n"
    return files


THEME_DIR = Path(__file__).parent / "theme"


def theme_files() -> dict[str, str | bytes]:
    """The theme overrides, copied to ``build/theme`` so any content tree's mkdocs.yml can use them."""
    return {p.relative_to(THEME_DIR).as_posix(): p.read_bytes() for p in sorted(THEME_DIR.rglob("*")) if p.is_file()}


def write_tree(out_dir: Path, files: dict[str, str | bytes]) -> int:
    """Write ``files`` under ``out_dir``, touching only changed files; return how many changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = 0
    for rel, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = out_dir / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        changed += 1
    wanted = {out_dir / rel for rel in files}
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
    meta = ov.meta
    areas = ", ".join(esc(a) for a in meta.get("area") or [])
    status = str(meta.get("status", ""))
    return (
        f'<tr data-area="{esc("|".join(meta.get("area") or []))}" data-method="{esc(meta.get("method"))}" '
        f'data-status="{esc(status)}">'
        f'<td><a href="{base}oversikter/{ov.slug}/">{esc(meta.get("title"))}</a></td>'
        f"<td>{areas}</td><td>{esc(meta.get('method'))}</td>"
        f"<td>{esc(STATUS_LABELS.get(status, status))}</td>"
        f'<td><time datetime="{esc(_date(ov, "published"))}">{esc(_date(ov, "published"))}</time></td>'
        "</tr>"
    )


def overview_table(overviews: list[Overview], base: str) -> str:
    """A plain HTML table of overviews (works without JavaScript)."""
    rows = "".join(_row(ov, base) for ov in overviews)
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="kop-catalogue">'
        '<thead><tr><th scope="col">Titel</th><th scope="col">Område</th><th scope="col">Metod</th>'
        '<th scope="col">Status</th><th scope="col">Publicerad</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></div>"
    )


def catalogue_page(published: list[Overview]) -> str:
    ordered = sorted(published, key=lambda ov: (_date(ov, "published"), str(ov.meta.get("id"))), reverse=True)
    return (
        "---\ntitle: Alla översikter\n---\n\n# Alla översikter\n\n"
        f"{len(ordered)} publicerade kunskapsöversikter.\n\n" + overview_table(ordered, "../") + "\n"
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
        body += overview_table(ovs, "../../") if ovs else "Det finns ännu inga publicerade översikter inom området."
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
        "med de översikter som citerar dem.\n\n" + f'<ul class="kop-reflist">{"".join(items)}</ul>\n'
    )


def latest_section(published: list[Overview]) -> str:
    newest = sorted(published, key=lambda ov: (_date(ov, "published"), str(ov.meta.get("id"))), reverse=True)
    updated = sorted((ov for ov in published if ov.meta.get("updated") and ov.meta.get("updated") != ov.meta.get("published")),
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


def clean(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
