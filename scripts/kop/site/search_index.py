"""Index the freshly built site with Pagefind, before it is swapped into place.

Pagefind runs offline from the ``pagefind_bin`` wheel; its output is rewritten
canonically (:mod:`kop.site.pagefind_stable`) so that builds stay byte-identical. The
markup it reads (facets, weighted keywords) comes from :mod:`kop.features.search`.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from kop.core.catalogue import message
from kop.core.project import Project
from kop.core.results import CheckResult, Timings
from kop.site.pagefind_stable import stabilise

BUNDLE_DIR = "pagefind"
# Which built pages are searchable: the overviews and a few key pages. Lists (catalogue,
# areas, references, evidence map) would only repeat the overviews' titles.
INDEX_GLOB = "{oversikter/*/index.html,om-kop/index.html,tillganglighet/index.html,bidra/**/index.html}"
# Inside a page only the article is indexed, without permalinks, reference lists, the
# PRISMA drawing (its numbers are in the text alternative) or navigation.
ROOT_SELECTOR = "article.md-content__inner"
# In-text citations are left out too. They are a tenth of an overview's words, and the cited
# authors' surnames are most of all distinct words in the index: Pagefind's memory grows with
# them (large benchmark corpus: 571 MB with them, 477 MB without). Which overviews cite an
# author is on the references page; the search page says so.
EXCLUDE_SELECTORS = (".headerlink", ".kop-references", ".kop-prisma", ".md-source-file", ".kop-cite-box",
                     ".kop-cite")

PAGEFIND_FAILED = message("KOP940")


def pagefind_executable() -> Path:
    """The Pagefind binary shipped in the ``pagefind_bin`` wheel (works offline)."""
    from pagefind_bin import get_executable

    return get_executable()


def pagefind_command(site_dir: Path) -> list[str]:
    return [
        str(pagefind_executable()),
        "--site", str(site_dir),
        "--output-subdir", BUNDLE_DIR,
        "--glob", INDEX_GLOB,
        "--root-selector", ROOT_SELECTOR,
        "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS),
        "--force-language", "sv",
        "--silent",
    ]


def run_pagefind(site_dir: Path, timeout: float = 300) -> list[str]:
    """Index ``site_dir`` in place; return problems (empty list = success)."""
    try:
        proc = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [str(exc)]
    if proc.returncode != 0:
        return [(proc.stderr or proc.stdout or f"avslutningskod {proc.returncode}").strip()]
    if not (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        return ["Pagefind skapade ingen pagefind.js"]
    try:
        stabilise(site_dir / BUNDLE_DIR)  # byte-identical output for reproducible builds
    except (OSError, ValueError, KeyError) as exc:
        return [f"Pagefinds index kunde inte göras stabilt: {exc}"]
    return []


def index_site(project: Project, site_dir: Path, result: CheckResult, timings: Timings) -> bool:
    """The build hook: index the new site; on failure add a diagnostic and return True (stop)."""
    start = time.perf_counter()
    problems = run_pagefind(site_dir)
    timings.add("sökindex", start)
    for problem in problems:
        result.diagnostics.append(PAGEFIND_FAILED.at(project.display(project.mkdocs_yml), 1, 0, problem=problem))
    return bool(problems)
