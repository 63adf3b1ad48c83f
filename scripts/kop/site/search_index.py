"""Index the freshly built site with Pagefind, before it is swapped into place.

Pagefind runs offline from the ``pagefind_bin`` wheel; its output is rewritten
canonically (:mod:`kop.site.pagefind_stable`) so that builds stay byte-identical. The
markup it reads (facets, weighted keywords) comes from :mod:`kop.features.search`.

Warm builds (``.cache/kop/search``, a :class:`~kop.sources.cache.ContentCache`): an
unchanged page is not parsed again, an unchanged vocabulary's compound splits and
suggestions are not computed again, and when no indexed page changed Pagefind is not run:
its stabilised bundle is taken from the cache. Every key covers all inputs of its step, so
the output is the same bytes as without the cache (tests/site/test_search_cache.py).
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import subprocess
import time
from importlib import metadata
from pathlib import Path

from kop.core.catalogue import message
from kop.core.cores import fork_starmap, worker_count
from kop.core.fsutil import write_atomic
from kop.core.project import Project
from kop.core.results import CheckResult, Timings
from kop.core.urls import area_slug
from kop.site.pagefind_stable import stabilise
from kop.site.search_suggest import suggestion_words, suggestions_json
from kop.site.search_words import compound_parts, compound_splits, page_words, vocabulary_json
from kop.sources.cache import ContentCache

BUNDLE_DIR = "pagefind"
# Which built pages are searchable: the overviews and a few key pages. Lists (catalogue,
# areas, references, evidence map) would only repeat the overviews' titles. The catalogue's
# own further pages (oversikter/sida-2/ …, kop.render.listings) sit beside the overviews; the
# alternatives spell out "any folder name but sida-…" (Pagefind's globs have no negation).
LISTING_PAGE_PREFIX = "sida-"
OVERVIEW_DIRS = "{[!s]*,s,s[!i]*,si,si[!d]*,sid,sid[!a]*,sida,sida[!\\-]*}"
INDEX_GLOB = ("{oversikter/" + OVERVIEW_DIRS + "/index.html,om-kop/index.html,tillganglighet/index.html,"
              "bidra/**/index.html}")
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
PARALLEL_PAGES = 16  # pages to read before forked workers pay for themselves (a page: about 16 ms)
#: The site's words and areas for the search page (query check, suggestions): see kop.site.search_words.
VOCABULARY_PATH = "sok/ord.json"
#: The ranked "Menade du …?" candidates (kop.site.search_suggest), read by assets/kop/suggest.js.
SUGGESTIONS_PATH = "sok/forslag.json"
#: Pagefind filter that separates the two scopes: overviews carry "oversikt" (kop.features.search),
#: every other indexed page (the help pages under Bidra, Om KÖP, Tillgänglighet) "hjalp".
SCOPE_FILTER = "typ"
HELP_SCOPE = "hjalp"


def indexed_pages(site_dir: Path) -> list[Path]:
    """The built pages Pagefind indexes (:data:`INDEX_GLOB`), sorted."""
    found = {p for p in site_dir.glob("oversikter/*/index.html") if not p.parent.name.startswith(LISTING_PAGE_PREFIX)}
    found |= set(site_dir.glob("bidra/**/index.html"))
    found |= {p for p in (site_dir / "om-kop" / "index.html", site_dir / "tillganglighet" / "index.html")
              if p.is_file()}
    return sorted(found)


def _is_page_words(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 2
            and all(isinstance(part, list) and all(isinstance(w, str) for w in part) for part in value))


def _is_derived(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict)
            and all(isinstance(k, str) and isinstance(v, tuple) and len(v) == 2 for k, v in value[0].items())
            and isinstance(value[1], list) and all(isinstance(w, str) for w in value[1]))


def _is_bundle(value: object) -> bool:
    return (isinstance(value, dict) and {"pagefind.js", "pagefind-entry.json"} <= value.keys()
            and all(isinstance(k, str) and isinstance(v, bytes) for k, v in value.items()))


class _PagefindFailed(Exception):
    """Pagefind did not produce a bundle; the message says why."""


def _cache(directory: Path | None) -> ContentCache:
    return ContentCache(directory or Path("."), enabled=directory is not None)


def prepare_pages(site_dir: Path, cache: ContentCache | None = None) -> None:
    """Before Pagefind: add compound parts and the scope to each indexed page; write the vocabulary.

    The extra words go into a hidden element at the end of the article, where Pagefind reads
    them like the keywords (they are never shown). Text is escaped: it comes from the pages.
    With a ``cache``, a page whose bytes are unchanged is not parsed again, and the compound
    splits and suggestions of an unchanged vocabulary are not computed again.
    """
    cache = cache or _cache(None)
    root_class = ROOT_SELECTOR.split(".", 1)[1]
    excluded = [sel.lstrip(".") for sel in EXCLUDE_SELECTORS]
    read: list[tuple[Path, str, str, tuple[list[str], list[str]] | None]] = []
    for path in indexed_pages(site_dir):
        page_html = path.read_text(encoding="utf-8")
        key = cache.key("search-page", root_class, *excluded, page_html)
        found, value = cache.get("search-page", key, _is_page_words)
        read.append((path, page_html, key, value if found else None))
    # The pages not in the cache (all of them on a first build: 3.4 s for 200 overviews on one
    # core) are read on every core, each from the text its cache key was made of.
    misses = [i for i, (_, _, _, value) in enumerate(read) if value is None]
    workers = worker_count(len(misses), PARALLEL_PAGES)
    shares = [misses[w::workers] for w in range(workers)]
    parsed = fork_starmap(_words_of, [([read[i][1] for i in share], root_class, excluded) for share in shares],
                          workers)
    for share, values in zip(shares, parsed, strict=True):
        for i, value in zip(share, values, strict=True):
            path, page_html, key, _ = read[i]
            cache.put("search-page", key, value)
            read[i] = (path, page_html, key, value)
    pages: list[tuple[Path, str, list[str]]] = []
    known: set[str] = set()
    areas: dict[str, str] = {}
    for path, page_html, _, value in read:
        assert value is not None
        distinct, page_areas = value
        known.update(distinct)
        areas.update({a: f"omraden/{area_slug(a)}/" for a in page_areas})
        pages.append((path, page_html, distinct))
    vocabulary = sorted(known)
    pages_words = [distinct for _, _, distinct in pages]
    key = cache.key("search-derived", "\0".join(vocabulary), *("\0".join(d) for d in pages_words))
    splits, suggested = cache.get_or_compute(
        "search-derived", key, lambda: (compound_splits(known), suggestion_words(pages_words)), _is_derived)
    for path, page_html, distinct in pages:
        cut = page_html.rfind("</article>")
        if cut < 0:
            continue
        parts = compound_parts(distinct, splits)
        is_overview = path.parent.parent.name == "oversikter" and path.parent.parent.parent == site_dir
        scope = ("" if is_overview else
                 f'<span data-pagefind-filter="{SCOPE_FILTER}[data-kop-value]" data-kop-value="{HELP_SCOPE}"></span>')
        extra = f'<p data-pagefind-weight="2">{html.escape(" ".join(parts))}</p>' if parts else ""
        if scope or extra:
            markup = f'<div class="kop-search-extra" hidden>{scope}{extra}</div>'
            write_atomic(path, page_html[:cut] + markup + page_html[cut:])  # never through a hard link
    write_atomic(site_dir / VOCABULARY_PATH, vocabulary_json(known, areas))
    write_atomic(site_dir / SUGGESTIONS_PATH, suggestions_json(suggested))


def _words_of(pages: list[str], root_class: str, excluded: list[str]) -> list[tuple[list[str], list[str]]]:
    """:func:`page_words` of each page's HTML (a worker's share of the site's pages)."""
    return [page_words(page_html, root_class, excluded) for page_html in pages]


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


def bundle_key(site_dir: Path, cache: ContentCache) -> str:
    """The cache key of Pagefind's output: every input Pagefind reads.

    That is the indexed pages (path and bytes, after :func:`prepare_pages`), the command
    line without the site's own path, Pagefind's version, its ``PAGEFIND_*`` environment and
    any configuration file it would read from the working directory.
    """
    digest = hashlib.sha256()
    for path in indexed_pages(site_dir):
        data = path.read_bytes()
        name = path.relative_to(site_dir).as_posix().encode()
        digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    command = [arg for arg in pagefind_command(site_dir)[1:] if arg != str(site_dir)]
    env = sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("PAGEFIND"))
    configs = [p.name.encode() + b"\0" + p.read_bytes() for p in sorted(Path.cwd().glob("pagefind.*"))
               if p.is_file()]
    return cache.key("search-bundle", metadata.version("pagefind_bin"), "\0".join(command), "\0".join(env),
                     *configs, digest.hexdigest())


def _read_bundle(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def _write_bundle(bundle: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        target = bundle / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _pagefind(site_dir: Path, timeout: float) -> dict[str, bytes] | str:
    """Run Pagefind on the prepared site; its stabilised bundle, or the problem as text."""
    try:
        proc = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, timeout=timeout,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if proc.returncode != 0:
        return (proc.stderr or proc.stdout or f"avslutningskod {proc.returncode}").strip()
    if not (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        return "Pagefind skapade ingen pagefind.js"
    try:
        stabilise(site_dir / BUNDLE_DIR)  # byte-identical output for reproducible builds
        return _read_bundle(site_dir / BUNDLE_DIR)
    except (OSError, ValueError, KeyError) as exc:
        return f"Pagefinds index kunde inte göras stabilt: {exc}"


def run_pagefind(site_dir: Path, timeout: float = 300, cache_dir: Path | None = None) -> list[str]:
    """Index ``site_dir`` in place; return problems (empty list = success).

    With ``cache_dir`` (the build passes ``.cache/kop/search``), a site whose indexed pages are
    unchanged gets the stabilised bundle of the previous build instead of a new Pagefind run:
    the key covers every input (:func:`bundle_key`), so the bytes are the same as Pagefind's.
    """
    if not site_dir.is_dir():
        return [f"mappen {site_dir} finns inte"]
    cache = _cache(cache_dir)
    try:
        # The bundle's folder is Pagefind's alone: anything the engine put there goes first, so
        # that neither Pagefind nor the cached bundle writes into a file linked to build/docs.
        shutil.rmtree(site_dir / BUNDLE_DIR, ignore_errors=True)
        prepare_pages(site_dir, cache)
        key = bundle_key(site_dir, cache)
    except (OSError, UnicodeDecodeError) as exc:
        return [str(exc)]
    ran: list[bool] = []

    def index() -> dict[str, bytes]:
        ran.append(True)
        found = _pagefind(site_dir, timeout)
        if isinstance(found, str):
            raise _PagefindFailed(found)  # nothing is cached
        return found

    try:
        files = cache.get_or_compute("search-bundle", key, index, _is_bundle)
        if not ran:  # the previous build's bundle, for the same pages
            _write_bundle(site_dir / BUNDLE_DIR, files)
    except _PagefindFailed as exc:
        return [str(exc)]
    except OSError as exc:
        return [str(exc)]
    cache.prune()  # one generation: the entries of this build
    return []


def index_site(project: Project, site_dir: Path, result: CheckResult, timings: Timings) -> bool:
    """The build hook: index the new site; on failure add a diagnostic and return True (stop)."""
    start = time.perf_counter()
    problems = run_pagefind(site_dir, cache_dir=project.cache_dir / "search")
    timings.add("sökindex", start)
    for problem in problems:
        result.diagnostics.append(PAGEFIND_FAILED.at(project.display(project.mkdocs_yml), 1, 0, problem=problem))
    return bool(problems)
