"""Load and validate a whole content tree: the first two steps of the pipeline.

load -> validate -> (resolve citations -> render -> publish live in build.py).
The bibliography is parsed once per run here and handed on, never re-read per page.
"""

from __future__ import annotations

from pathlib import Path

from kop.bib import load as bibliography
from kop.check import safety
from kop.check.fields import cross_diagnostics, rule_diagnostics, schema_diagnostics
from kop.check.placeholders import placeholder_diagnostics
from kop.cite import scan as citations
from kop.core.catalogue import CATALOGUE
from kop.core.model import Diagnostic, Overview
from kop.core.project import Project, today
from kop.core.results import CheckResult
from kop.features import extras
from kop.sources.cache import ContentCache, cached_bibliography, cached_overview
from kop.sources.frontmatter import read_text, split_front_matter

TEMPLATE_PREFIX = "_"



def overview_files(project: Project) -> list[Path]:
    """The overview sources: ``overviews/*.md`` except templates (``_*.md``) and README."""
    if not project.overviews_dir.is_dir():
        return []
    return sorted(
        p for p in project.overviews_dir.glob("*.md")
        if not p.name.startswith(TEMPLATE_PREFIX) and p.name.lower() != "readme.md"
    )


def load_overview(path: Path, display: str) -> tuple[Overview, list[Diagnostic]]:
    """Read one overview file and scan its citations."""
    src = read_text(path, display)
    diags = list(src.diagnostics)
    if diags:
        return Overview(path, path.stem, {}, "", 1), diags
    fm = split_front_matter(src)
    diags.extend(fm.diagnostics)
    ov = Overview(path, path.stem, fm.meta, fm.body, fm.body_line, fm.positions)
    ov.citations = citations.scan_citations(fm.body, fm.body_line)
    diags.extend(citations.malformed_citations(fm.body, fm.body_line, display))
    return ov, diags


def _load_local(path: Path, display: str) -> tuple[Overview, list[Diagnostic]]:
    """The checks that depend on this one file alone (cacheable by its content hash)."""
    ov, diags = load_overview(path, display)
    if ov.meta:
        diags.extend(schema_diagnostics(ov, display))
        diags.extend(placeholder_diagnostics(ov, display))
    diags.extend(safety.check_overview(ov, display))  # active content (KOP4xx)
    return ov, diags


def check(project: Project, cache: ContentCache | None = None) -> CheckResult:
    """Validate every overview and references.bib; collect every problem.

    File-local work is cached by content hash (see :mod:`kop.sources.cache`); checks across files,
    against the bibliography and against today's date always run.
    """
    result = CheckResult(project)
    cache = cache if cache is not None else ContentCache(project.cache_dir)
    bib_display = project.display(project.bib_path)
    if project.bib_path.exists():
        result.references, bib_diags = cached_bibliography(
            cache, project.bib_path, bib_display, lambda p: bibliography.load_bibliography(p, display=bib_display))
        result.diagnostics.extend(bib_diags)
    keys = set(result.references)
    now = today()
    cited: set[str] = set()
    for path in overview_files(project):
        display = project.display(path)
        ov, diags = cached_overview(cache, path, display, _load_local)
        ov.path = path
        result.displays[ov.slug] = display
        result.overviews.append(ov)
        result.diagnostics.extend(diags)
        if ov.meta:
            result.diagnostics.extend(rule_diagnostics(ov, display, now, keys))
        result.diagnostics.extend(citations.check_keys(ov.citations, keys, display))
        cited.update(item.key for cit in ov.citations for item in cit.items)
        for finding in ov.meta.get("findings") or []:
            if isinstance(finding, dict) and isinstance(finding.get("references"), list):
                cited.update(str(k).lstrip("@") for k in finding["references"])
        if isinstance(ov.meta.get("article"), str):
            cited.add(ov.meta["article"].lstrip("@"))
    result.diagnostics.extend(cross_diagnostics(result.overviews, result.displays, now))
    result.diagnostics.extend(extras.check(result))  # seminars, aliases, withdrawals, published-urls.txt
    cache.prune()
    unused = CATALOGUE.get("KOP210")
    if unused is not None:
        for key, ref in sorted(result.references.items()):
            if key not in cited:
                result.diagnostics.append(unused.at(bib_display, ref.line, 1, key=key))
    return result
