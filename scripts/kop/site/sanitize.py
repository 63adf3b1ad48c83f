"""Second line of defence: sanitise the page content of every generated HTML file with nh3.

The validator (:mod:`kop.check.safety`) rejects active content in contributed Markdown, but a
scanner and a Markdown renderer can disagree, and a reviewer can bypass a red check. So
after the site engine has written the *new* site (a temporary directory, before it is
swapped into ``site/``), the content region of every HTML page is passed through nh3
(the Python binding of the maintained Rust sanitiser ammonia) with an allow-list that
holds exactly the markup our pages need.

Why post-process the built HTML rather than our generated Markdown fragments: the body
is Markdown, and it is the Markdown renderer that turns ``[x](javascript:…)``,
``{: onclick=…}`` or raw HTML blocks into HTML; only the rendered HTML shows what a
browser will see. Doing it on the output directory also keeps it engine-agnostic (no
MkDocs hook, which Zensical would silently skip).

Only the content region is cleaned: Material's ``<article class="md-content__inner">``
(from its start tag to the page's *last* ``</article>``, so a contributed ``</article>``
cannot end the region early; the cleaned fragment is re-serialised by ammonia, so it
cannot leave the region either). The theme's own scripts, head and navigation are not
contributed content and stay untouched; front-matter values there are escaped by
render.py and the templates. A page without a recognisable content region is left as is
and counted, so a change of site engine shows up in the build's result instead of
silently disabling the sanitiser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import nh3

from kop.core import urlpolicy
from kop.core.cores import fork_starmap, worker_count
from kop.core.fsutil import write_atomic
from kop.sources.cache import ContentCache

# Our own markup: Python-Markdown (tables, admonitions, footnotes, def lists, details,
# toc permalinks), render.py's header card, findings table and reference list, Material's
# content wrappers, and the SVG the PRISMA flow diagram is drawn with.
SVG_TAGS = frozenset({
    "svg", "g", "rect", "text", "tspan", "path", "line", "polyline", "polygon", "circle", "ellipse",
    "title", "desc", "defs", "marker",
})
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS) | SVG_TAGS | {
    "section", "article", "header", "footer", "nav", "main", "aside", "figure", "figcaption", "span", "div",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "col", "colgroup",
    "details", "summary", "dl", "dt", "dd", "time", "abbr", "sup", "sub", "mark", "small", "hr", "br",
    "picture", "source",
    # our own search and catalogue filters (GET to a page of this site; see FORM_VALUES)
    "form", "input", "select", "option", "label", "fieldset", "legend", "button",
}
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "hidden", "tabindex", "style"})
SVG_ATTRIBUTES = frozenset({
    "viewBox", "width", "height", "xmlns", "preserveAspectRatio", "focusable", "x", "y", "x1", "y1", "x2", "y2",
    "cx", "cy", "r", "rx", "ry", "d", "points", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity",
    "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "transform", "opacity", "font-size", "font-family",
    "font-weight", "font-style", "text-anchor", "dominant-baseline", "alignment-baseline", "dx", "dy",
    "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "orient", "vector-effect", "shape-rendering",
})
TAG_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "hreflang", "rel", "type"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"srcset", "sizes", "type", "media"},
    "td": {"colspan", "rowspan", "headers", "align"},
    "th": {"colspan", "rowspan", "headers", "scope", "align", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "data": {"value"},
    "form": {"action"},
    "input": {"name", "value", "placeholder", "autocomplete", "spellcheck", "checked", "disabled"},
    "select": {"name", "multiple", "disabled"},
    "option": {"value", "selected"},
    "label": {"for"},
    "button": {"name", "value", "disabled"},
    **{tag: set(SVG_ATTRIBUTES) for tag in SVG_TAGS},
}
# Form controls are allowed because our generated catalogue and search pages use them, but
# only in a harmless shape: GET to a page of this site, no password or file fields.
FORM_VALUES: dict[str, dict[str, set[str]]] = {
    "form": {"method": {"get"}},
    "input": {"type": {"search", "text", "checkbox", "radio"}},
    "button": {"type": {"submit", "button", "reset"}},
}
GENERIC_PREFIXES = frozenset({"aria-", "data-"})
URL_SCHEMES = urlpolicy.LINK_SCHEMES
# Inline styles survive only with these properties (Python-Markdown's table alignment);
# anything that could fetch (url(), image-set(), @import) has no allowed property.
STYLE_PROPERTIES = frozenset({"text-align", "vertical-align"})

_CONTENT_START = re.compile(r"<article\b[^>]*\bmd-content__inner\b[^>]*>")
_CONTENT_END = "</article>"
_MEDIA_ELEMENTS = frozenset({"img", "source", "video", "audio", "track", "picture", "image", "input"})
_MEDIA_ATTRIBUTES = frozenset({"src", "srcset", "poster"})


@dataclass
class SanitizeReport:
    """What the sanitiser did to one site: pages cleaned, changed and without a content region."""

    cleaned: int = 0
    changed: list[str] = field(default_factory=list)
    no_region: list[str] = field(default_factory=list)
    cache_entries: set[str] = field(default_factory=set, compare=False, repr=False)


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Drop attributes the allow-list cannot express.

    ``data-md-*`` would let content pose as Material's own components; an ``<img>`` or
    ``<source>`` from another server would make every reader's browser contact a third
    party (the site promises never to), so only site-relative images are kept; a form may
    only send to a page of this site. Both follow the one URL policy (:mod:`kop.core.urlpolicy`),
    which reads ``\\/host`` and ``/\\host`` as a browser does: as another server. ``value`` is
    already decoded from HTML by the parser, so entities are not decoded again.
    """
    if attribute.startswith("data-md-"):
        return None
    if attribute in _MEDIA_ATTRIBUTES and (element in _MEDIA_ELEMENTS or attribute != "src"):
        if attribute == "srcset":
            return value if urlpolicy.srcset_allowed(value, from_html=False) else None
        return value if urlpolicy.media_allowed(value, from_html=False) else None
    if element == "form" and attribute == "action" and not urlpolicy.media_allowed(value, from_html=False):
        return None
    if attribute in ("href", "cite") and not urlpolicy.link_allowed(value, from_html=False):
        return None
    return value


def clean_fragment(fragment: str) -> str:
    """Sanitise one HTML fragment with the project's allow-list."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"*": set(GLOBAL_ATTRIBUTES), **{k: set(v) for k, v in TAG_ATTRIBUTES.items()}},
        tag_attribute_values={k: {a: set(v) for a, v in vals.items()} for k, vals in FORM_VALUES.items()},
        attribute_filter=_attribute_filter,
        generic_attribute_prefixes=set(GENERIC_PREFIXES),
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,
        strip_comments=True,
    )


CACHE_KIND = "sanitized"


@lru_cache(maxsize=1)
def _nh3_version() -> str:
    return f"nh3={metadata.version('nh3')}"


def sanitize_page(html_text: str, cache: ContentCache | None = None) -> str | None:
    """The page with its content region sanitised, or None if it has no content region.

    With ``cache``, a region cleaned in an earlier build is reused (most pages come out of
    MkDocs unchanged, and nh3 was the second-largest step of a warm build on the large
    benchmark corpus). The key is the region itself, the code fingerprint (this module's
    allow-list included) and nh3's version: every input of :func:`clean_fragment`.
    """
    start = _CONTENT_START.search(html_text)
    end = html_text.rfind(_CONTENT_END)
    if start is None or end < start.end():
        return None
    fragment = html_text[start.end() : end]
    if cache is None:
        cleaned = clean_fragment(fragment)
    else:
        key = cache.key(CACHE_KIND, _nh3_version(), fragment)
        cleaned = cache.get_or_compute(CACHE_KIND, key, lambda: clean_fragment(fragment),
                                       lambda value: isinstance(value, str))
    return html_text[: start.end()] + cleaned + html_text[end:]


MIN_PARALLEL_PAGES = 100  # below this, forking costs more than it saves


def sanitize_site(site_dir: Path, workers: int | None = None, cache_dir: Path | None = None) -> SanitizeReport:
    """Sanitise every ``*.html`` under ``site_dir`` in place (the new, not yet published site).

    Pages are independent, so with many pages they are shared out among forked workers, one
    per core (``workers`` overrides; forking is skipped while other threads run). With
    ``cache_dir``, cleaned regions are reused across builds (a :class:`~kop.sources.cache.ContentCache`
    pruned to the pages of this build).
    """
    paths = sorted(site_dir.rglob("*.html"))
    if workers is None:
        workers = worker_count(len(paths), MIN_PARALLEL_PAGES)
    workers = max(1, workers)
    parts = fork_starmap(_sanitize_paths, [(site_dir, paths[i::workers], cache_dir) for i in range(workers)],
                         workers)
    if cache_dir is not None:
        cache = ContentCache(cache_dir)
        cache.mark_used(CACHE_KIND, (name for part in parts for name in part.cache_entries))
        cache.prune()
    return SanitizeReport(cleaned=sum(p.cleaned for p in parts),
                          changed=sorted(rel for p in parts for rel in p.changed),
                          no_region=sorted(rel for p in parts for rel in p.no_region))


def _sanitize_paths(site_dir: Path, paths: list[Path], cache_dir: Path | None = None) -> SanitizeReport:
    report = SanitizeReport()
    cache = ContentCache(cache_dir) if cache_dir is not None else None
    for path in paths:
        text = path.read_text(encoding="utf-8")
        cleaned = sanitize_page(text, cache)
        rel = path.relative_to(site_dir).as_posix()
        if cleaned is None:
            report.no_region.append(rel)
            continue
        report.cleaned += 1
        if cleaned != text:
            report.changed.append(rel)
            write_atomic(path, cleaned)  # never through a hard link (kop.site.engine.linked_files)
    if cache:
        report.cache_entries = cache.used.get(CACHE_KIND, set())
    return report
