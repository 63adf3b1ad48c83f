"""Format citations and reference entries in APA 7 (Swedish locale) with Pandoc's citeproc.

Why Pandoc: it is a complete CSL processor (the reference behaviour for our citation
syntax), it handles APA's year suffixes (2011a/2011b) and name disambiguation, and in
one process it formats hundreds of references in well under a second. So the whole
site is formatted in a few Pandoc runs per build (see :func:`format_all`), never once
per page, and each run's result is cached on disk keyed by a hash of everything that
can change it (Pandoc version, style, locale, the run's CSL-JSON and citation
clusters), so a cache hit can never be stale.

All references take part in the site's runs (``nocite: @*``), which makes the site's
disambiguation a property of the bibliography alone; that is what the site-wide reference
page shows. Each overview is also a document of its own, whose year suffixes and initials
are those among the works it cites (:meth:`Formatted.for_page`); only the few overviews
where that differs from the site get runs of their own, shared where they cannot interact.

Pandoc is the pinned binary, version-checked (:mod:`kop.cite.pandoc`), and its output is
checked: every reference and every cluster sent must come back, or the build stops.

Keys are replaced by synthetic ids (``k0``, ``k1`` …) for Pandoc, so keys with any
characters are safe in Pandoc's syntax and in HTML ids.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections import ChainMap
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kop.cite.collapse import collapse_cluster
from kop.cite.items import apa_item, listed
from kop.cite.pandoc import PANDOC_VERSION, FormattingError, run_pandoc
from kop.core.fsutil import write_atomic
from kop.core.model import Citation, Reference

__all__ = ["Formatted", "FormattingError", "anchor", "cluster_signature", "format_all", "group_key", "style_path"]

LOCALE = "sv-SE"


@dataclass
class Formatted:
    """Formatted output for a whole site."""

    clusters: Mapping[str, str] = field(default_factory=dict)  # cluster signature -> HTML with #ref-<key> links
    entries: Mapping[str, str] = field(default_factory=dict)  # key -> HTML of the reference entry
    order: list[str] = field(default_factory=list)  # keys in APA bibliography order
    pages: dict[str, Formatted] = field(default_factory=dict)  # page id -> what differs on that page

    def for_page(self, page_id: str) -> Formatted:
        """The formatting as one document (an overview and its PDF) sees it: its own year suffixes.

        A page whose works need no disambiguation of their own is rendered as the site is.
        """
        own = self.pages.get(page_id)
        if own is None:
            return self
        return Formatted(clusters=ChainMap(dict(own.clusters), self.clusters),  # type: ignore[arg-type]
                         entries=ChainMap(dict(own.entries), self.entries),  # type: ignore[arg-type]
                         order=self.order)


def style_path() -> Path:
    """The project's copy of the CSL APA 7 style, with its Swedish terms (see the file's header)."""
    return Path(__file__).resolve().parent / "styles" / "apa-sv.csl"


@lru_cache(maxsize=1)
def _engine_fingerprint() -> str:
    digest = hashlib.sha256(style_path().read_bytes()).hexdigest()
    return f"pandoc-{PANDOC_VERSION}|apa-{digest}|{LOCALE}"


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
    pages: Mapping[str, list[Citation]] | None = None,
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

    ``pages`` (page id -> the page's citations) asks for each page to be a document of its
    own: year suffixes and added initials among the works *that page* cites, so its list
    never has a lone "2010b". Only a page citing a work that clashes (same first-author
    family name, and the same year or other given names) with a work it does not cite can
    differ from the site, so only such pages get a run, over the clashing groups only; see
    :func:`_page_plan`. Everything else on the page, and the site-wide list, is as the site.
    """
    keys = sorted(references)
    ids = {key: f"k{i}" for i, key in enumerate(keys)}
    unique: dict[str, Citation] = {}
    for cit in citations:
        if cit.items and all(item.key in ids for item in cit.items):
            unique.setdefault(cluster_signature(cit), cit)
    items: dict[str, dict] = {}
    for key in keys:
        item = apa_item(references[key].csl)
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
        if len({home[item.key] for item in cit.items}) == 1 and not _head_and_more(cit):
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
    plans = {page: plan for page, cits in sorted((pages or {}).items())
             if (plan := _page_plan(cits, items, groups, group_of, ids))}

    bins = _pack(list(plans.values()), group_of, bucket_size)

    def run_bin(plans_in_bin: list[_PagePlan]) -> tuple[dict[str, str], dict[str, str], list[str]]:
        keys_in = sorted({k for plan in plans_in_bin for k in plan.keys}, key=lambda k: ids[k])
        sigs_in = list(dict.fromkeys(sig for plan in plans_in_bin for sig in plan.run_sigs))
        cits_in = {sig: plan.unique[sig] for plan in plans_in_bin for sig in plan.run_sigs}
        clusters_md = [_cluster_markdown(cits_in[sig], ids) for sig in sigs_in]
        return _cached_run([items[k] for k in keys_in], clusters_md, sigs_in, ids, cache_dir, fingerprint,
                           style_path())

    page_first = len(tasks)
    tasks += [lambda b=b: run_bin(b) for b in bins]
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
        result.order = outputs[len(buckets)]
    position = {key: i for i, key in enumerate(result.order)}
    bin_of = {id(plan): i for i, b in enumerate(bins) for plan in b}
    for page, plan in plans.items():
        entries, clusters, _ = outputs[page_first + bin_of[id(plan)]]
        own = {k: entries[k] for k in plan.keys if k in entries}
        clusters = dict(clusters)
        for sig, (head_sig, sub_sigs, keep_order) in plan.cross.items():
            clusters[sig] = collapse_cluster(_join_cluster(clusters, plan.unique, head_sig, sub_sigs, keep_order,
                                                           position))
        result.pages[page] = Formatted(clusters={sig: clusters[sig] for sig in plan.wanted}, entries=own)
    for sig, (head_sig, sub_sigs, keep_order) in cross.items():
        joined = _join_cluster(result.clusters, unique, head_sig, sub_sigs, keep_order, position)
        result.clusters[sig] = collapse_cluster(joined)  # type: ignore[index]
    result.clusters = {sig: html for sig, html in result.clusters.items() if sig in wanted}
    return result


def _pack(plans: list[_PagePlan], group_of: dict[str, str], limit: int) -> list[list[_PagePlan]]:
    """Share Pandoc runs between pages that cannot affect each other (first fit, in page order).

    Two pages fit in one run when every group both format holds the same works on both pages
    (so each work meets exactly its own page's neighbours), and the run stays under ``limit``
    works. A run costs about half a second whatever its size, so this keeps a site with many
    pages at a few runs.
    """
    bins: list[tuple[list[_PagePlan], dict[str, frozenset[str]], set[str]]] = []
    for plan in plans:
        members: dict[str, set[str]] = {}
        for key in plan.keys:
            members.setdefault(group_of[key], set()).add(key)
        frozen = {g: frozenset(m) for g, m in members.items()}
        for placed, seen, keys in bins:
            if all(seen.get(g, m) == m for g, m in frozen.items()) and len(keys | set(plan.keys)) <= max(1, limit):
                placed.append(plan)
                seen.update(frozen)
                keys.update(plan.keys)
                break
        else:
            bins.append(([plan], dict(frozen), set(plan.keys)))
    return [placed for placed, _, _ in bins]


def _head_and_more(cit: Citation) -> bool:
    """An author-in-text cluster with further works, "@a [@b]": always formatted in parts.

    Pandoc sorts the further works together with the first one, so when one of them sorts
    first it writes "(Andersson m.fl., 2011; Löfström; 2010a)". In parts (see
    :func:`_join_cluster`) it is "Löfström (2010a; Andersson m.fl., 2011)".
    """
    return cit.in_text and len(cit.items) > 1


@dataclass
class _PagePlan:
    keys: list[str]  # the works formatted in the page's own run
    unique: dict[str, Citation]  # signature -> cluster, including the parts of split clusters
    run_sigs: list[str]  # the clusters sent to Pandoc
    wanted: list[str]  # the page's clusters that differ from the site
    cross: dict[str, tuple[str | None, list[str], bool]]  # clusters formatted in parts


def _page_plan(
    citations: list[Citation], items: dict[str, dict], groups: dict[str, list[str]], group_of: dict[str, str],
    ids: dict[str, str],
) -> _PagePlan | None:
    """What one page must format on its own: (keys, clusters, their signatures), or None.

    A group (works with the same first-author family name) renders differently on the page
    than on the site only if a work the page cites clashes with one it does not cite: the
    same year (a year suffix) or other given names (initials). The run holds the page's
    clusters that cite such a group, and every work the page cites from the groups of
    those clusters' works, so each is disambiguated against exactly the page's works.
    """
    unique: dict[str, Citation] = {}
    for cit in citations:
        if cit.items and all(item.key in ids for item in cit.items):
            unique.setdefault(cluster_signature(cit), cit)
    cited = {item.key for cit in unique.values() for item in cit.items}
    clashing = set()
    for gkey in {group_of[k] for k in cited}:
        members = groups[gkey]
        if len(members) < 2:
            continue
        outside = [k for k in members if k not in cited]
        if any(_clash(items[m], items[o]) for m in members if m in cited for o in outside):
            clashing.add(gkey)
    if not clashing:
        return None
    sigs = sorted(sig for sig, cit in unique.items() if any(group_of[i.key] in clashing for i in cit.items))
    touched = {group_of[item.key] for sig in sigs for item in unique[sig].items}
    keys = sorted((k for k in cited if group_of[k] in touched), key=lambda k: ids[k])
    run_sigs: list[str] = []
    cross = {}
    for sig in sigs:
        if not _head_and_more(unique[sig]):
            run_sigs.append(sig)
            continue
        cross[sig] = _split_cluster(unique[sig], group_of, unique)
        head_sig, sub_sigs, _ = cross[sig]
        run_sigs += [s for s in ([head_sig] if head_sig else []) + sub_sigs if s not in run_sigs]
    run_sigs = list(dict.fromkeys(run_sigs))
    return _PagePlan(keys, unique, run_sigs, sigs, cross)


def _clash(a: dict, b: dict) -> bool:
    """Whether APA may tell two works of one group apart (same year, or first authors' given names differ)."""
    return _year(a) == _year(b) or _first_given(a) != _first_given(b)


def _year(item: dict) -> str:
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if parts and parts[0]:
        return str(parts[0][0])
    return str(issued.get("literal") if isinstance(issued, dict) else "") + "|" + str(item.get("status") or "")


def _first_given(item: dict) -> str:
    for role in ("author", "editor"):
        names = item.get(role) or []
        if names and isinstance(names[0], dict):
            return str(names[0].get("given") or "")
    return ""


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
        key = back.get(m.group(1))
        if key is not None and m.group(2).strip():
            order.append(key)
            entries[key] = m.group(2)
    clusters: dict[str, str] = {}
    for m in _DIV.finditer(html):
        inner = m.group(2).strip()
        span = _SPAN.match(inner)
        if span:
            inner = span.group(1)
        index = int(m.group(1)[1:])
        if index < len(signatures) and inner:
            clusters[signatures[index]] = _HREF.sub(lambda h: f'href="#{anchor(back[h.group(1)])}"',
                                                    collapse_cluster(inner))
    _verify(run_items, signatures, entries, clusters, back)
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
        args = ["--from=markdown", "--to=html", "--wrap=none", "--citeproc",
                f"--bibliography={bib}", f"--csl={style or style_path()}"]
        return run_pandoc(args, "\n".join(doc), env={**os.environ, "GHCRTS": "-c"} if compact else None)


def _verify(run_items: list[dict], signatures: list[str], entries: dict[str, str], clusters: dict[str, str],
            back: dict[str, str]) -> None:
    """Every reference sent must come back formatted, and every cluster; else the build stops."""
    expected = {back[item["id"]] for item in run_items if listed(item)}
    missing_entries = len(expected - set(entries))
    missing_clusters = len(set(signatures) - set(clusters))
    if missing_entries or missing_clusters:
        raise FormattingError("KOP908", missing_entries=missing_entries, entries=len(expected),
                              missing_clusters=missing_clusters, clusters=len(set(signatures)))


def _write_atomic(path: Path, text: str) -> None:
    write_atomic(path, text)
