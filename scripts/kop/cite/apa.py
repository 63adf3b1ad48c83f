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
where that differs from the site get runs of their own, shared where they cannot interact
(with the APA initials rule that is most overviews: 190 of 200 on the medium benchmark corpus).
Such a run writes out only the entries whose year suffix may differ from the site's
(:func:`kop.cite.plans.suffix_candidates`, :func:`kop.cite.batch.page_style`); every other
entry of the page is the site's, since names and initials change citations, never entries.

Caches (``.cache/kop/``, every key a hash of all its inputs): ``citeproc-*`` one run (a
bucket of the site's works, or a shared page run), ``citeorder-*`` the bibliography order
(updated in place when a few works change, :mod:`kop.cite.order`), ``citepage-*``
one overview's own formatting, whatever run it was formatted in, so editing one overview
re-runs that overview only, and ``citeall-*`` the whole result (a few slots, pickled: it is read on
every warm build), so a warm build or a live-preview rebuild that changes no citation reads one file.

Pandoc is the pinned binary, version-checked (:mod:`kop.cite.pandoc`), and its output is
checked: every reference and every cluster sent must come back, or the build stops.

Keys are replaced by synthetic ids for Pandoc (``k`` and the start of the key's SHA-256), so
keys with any characters are safe in Pandoc's syntax and in HTML ids, and a work keeps its id
when other works are added: a run's input, and so its cache entry, changes only when its own
works or clusters do (adding one reference used to renumber every id and re-run everything).

The runs of one build are documents of one or a few Pandoc processes (about one per core,
:func:`_run_docs`, with ``kop/cite/citeproc_batch.lua``), each formatted exactly as a Pandoc
run of its own would format it; a build without a cache used to start some 170 processes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
from collections import ChainMap
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kop.cite.batch import (
    LOCALE,
    Doc,
    compact_style,
    document,
    items_json,
    page_item,
    page_style,
    run_batch,
    style_path,
)
from kop.cite.collapse import collapse_cluster
from kop.cite.groups import group_key
from kop.cite.items import apa_item, listed
from kop.cite.order import bibliography_order, order_style
from kop.cite.pandoc import PANDOC_VERSION, FormattingError, run_pandoc
from kop.cite.plans import (
    PagePlan,
    Traits,
    cluster_signature,
    head_and_more,
    pack,
    page_plan,
    split_cluster,
    suffix_candidates,
)
from kop.cite.runs import prune_runs, read_run, run_digest, write_run
from kop.core.cores import usable_cores
from kop.core.fingerprint import tree_fingerprint
from kop.core.fsutil import touch, write_atomic
from kop.core.model import Citation, Reference
from kop.sources.cache import load_kept

__all__ = ["Formatted", "FormattingError", "anchor", "cluster_signature", "format_all", "group_key", "style_path"]



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


@lru_cache(maxsize=1)
def _engine_fingerprint() -> str:
    """What every formatting cache entry depends on besides its own input.

    Pandoc's version, the style and the locale, and the ``kop.cite`` package itself: the kept
    runs hold Pandoc's output *after* this package's work on it (clusters collapsed, links to
    the reference list rewritten, :func:`_cached_run`), so a changed collapse rule or anchor
    must not be served from a run kept by the code before it.
    """
    digest = hashlib.sha256(style_path().read_bytes()).hexdigest()
    return f"pandoc-{PANDOC_VERSION}|apa-{digest}|{LOCALE}|code-{tree_fingerprint(Path(__file__).resolve().parent)}"


def anchor(key: str) -> str:
    """A stable, HTML-safe id for a reference key (used for ``#ref-…`` links)."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "x"
    if safe != key:
        safe += "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]
    return "ref-" + safe


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
_ENTRY = re.compile(r'<div id="ref-(k[0-9a-f]+)" class="csl-entry"[^>]*>\s*(.*?)\s*</div>', re.S)
_SPAN = re.compile(r'^<span class="citation" data-cites="[^"]*">(.*)</span>$', re.S)
_HREF = re.compile(r'href="#ref-(k[0-9a-f]+)"')


# References per bucket. Disambiguation cost grows faster than linearly, and a new work re-runs
# its whole bucket; each run also costs ~18 ms whatever its size. On the medium bench corpus a
# new reference's bucket and page run took 0.69 s at 50 (0.75 s at 25, 1.24 s at 100), and the
# cold buckets 6.5 s at 50 (9.1 s at 25, 10.7 s at 100), one run each on the 2-core machine.
BUCKET_SIZE = 50


def stable_ids(keys: list[str]) -> dict[str, str]:
    """Pandoc ids for sorted ``keys``: ``k`` and the first 12 hex digits of the key's SHA-256.

    An id depends on its key alone, so adding a work renames no other work and leaves every
    run that does not hold the new work, and its cache entry, unchanged. (Ids also order a
    run's works, which matters only between works APA sorts equal.)
    """
    ids: dict[str, str] = {}
    used: set[str] = set()
    for key in keys:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        size = 12
        while "k" + digest[:size] in used:  # never seen in practice; kept deterministic
            size += 1
        ids[key] = "k" + digest[:size]
        used.add(ids[key])
    return ids


def _bucket_count(references: int, bucket_size: int) -> int:
    """Buckets for ``references`` works: a power of two, so that adding a work almost never changes it."""
    wanted = max(1, -(-references // max(1, bucket_size)))
    return 1 << (wanted - 1).bit_length()


def _bucket(key: str, count: int) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:4], "big") % count


def format_all(
    references: dict[str, Reference],
    citations: list[Citation],
    cache_dir: Path | None = None,
    bucket_size: int = BUCKET_SIZE,
    pages: Mapping[str, list[Citation]] | None = None,
    prune: bool = False,
    slot: str = "site",
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
    :func:`page_plan`. Everything else on the page, and the site-wide list, is as the site.

    ``prune`` (the site's own formatting, once per build): when runs were needed, delete the
    kept runs no build has read for a month (:func:`prune_runs`). ``slot`` names the caller
    (the site, one batch of the overviews' own references, one older version): the whole
    result is kept in that caller's own slots, so the others never push it out.
    """
    keys = sorted(references)
    ids = stable_ids(keys)
    unique: dict[str, Citation] = {}
    for cit in citations:
        if cit.items and all(item.key in ids for item in cit.items):
            unique.setdefault(cluster_signature(cit), cit)
    items: dict[str, dict] = {}
    for key in keys:
        item = apa_item(references[key].csl)
        item["id"] = ids[key]
        items[key] = item
    item_json = {key: items_json([items[key]])[1:-1] for key in keys}  # each item serialised once

    def payload(run_keys: list[str]) -> str:  # == items_json([items[k] for k in run_keys])
        return "[" + ", ".join(item_json[k] for k in run_keys) + "]"

    whole_file = _whole_cache_file(cache_dir, keys, item_json, unique, pages, bucket_size, slot)
    if (whole := _read_whole(whole_file)) is not None:
        return whole
    count = _bucket_count(len(keys), bucket_size)
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
        if len({home[item.key] for item in cit.items}) == 1 and not head_and_more(cit):
            bucket_sigs[home[cit.items[0].key]].append(sig)
            continue
        cross[sig] = split_cluster(cit, group_of, unique)
    for head_sig, sub_sigs, _ in cross.values():
        for sub in ([head_sig] if head_sig else []) + sub_sigs:
            if sub not in bucket_sigs[home[unique[sub].items[0].key]]:
                bucket_sigs[home[unique[sub].items[0].key]].append(sub)
    buckets = [b for b in range(count) if bucket_keys[b]]
    fingerprint = _engine_fingerprint()

    docs: list[Doc] = []
    for b in buckets:
        in_bucket = sorted(bucket_keys[b], key=lambda k: ids[k])
        docs.append(Doc([items[k] for k in in_bucket], [_cluster_markdown(unique[sig], ids) for sig in bucket_sigs[b]],
                        list(bucket_sigs[b]), payload=payload(in_bucket)))
    traits = Traits(items) if pages else None
    plans = {page: plan for page, cits in sorted((pages or {}).items())
             if (plan := page_plan(cits, items, groups, group_of, ids, traits))}
    plan_out: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    plan_files: dict[str, Path | None] = {}
    full = suffix_candidates(items, groups) if plans else set()  # the entries a page's own run writes out
    page_items: dict[str, dict] = {}
    page_json: dict[str, str] = {}
    for plan in plans.values():
        for key in plan.keys:
            if key not in page_items:
                page_items[key] = page_item(items[key], key in full)
                page_json[key] = items_json([page_items[key]])[1:-1]

    def page_payload(run_keys: list[str]) -> str:
        return "[" + ", ".join(page_json[k] for k in run_keys) + "]"

    for page, plan in plans.items():
        plan_files[page] = _plan_cache_file(plan, page_payload(plan.keys), ids, cache_dir, fingerprint)
        hit = read_run(plan_files[page])
        if hit is not None:
            plan_out[page] = (hit[0], hit[1])
    missing_plans = [plan for page, plan in plans.items() if page not in plan_out]
    bins = pack(missing_plans, group_of, bucket_size)
    page_first = len(docs)
    for plans_in_bin in bins:
        keys_in = sorted({k for plan in plans_in_bin for k in plan.keys}, key=lambda k: ids[k])
        sigs_in = list(dict.fromkeys(sig for plan in plans_in_bin for sig in plan.run_sigs))
        cits_in = {sig: plan.unique[sig] for plan in plans_in_bin for sig in plan.run_sigs}
        docs.append(Doc([page_items[k] for k in keys_in], [_cluster_markdown(cits_in[sig], ids) for sig in sigs_in],
                        sigs_in, style=page_style(), payload=page_payload(keys_in)))

    def order_doc(run_keys: list[str], whole: bool) -> Doc:
        return Doc([items[k] for k in run_keys], [], [], order_style(), compact=whole, tag="|order",
                   payload=payload(run_keys))

    with ThreadPoolExecutor(max_workers=1) as pool:  # the order's runs alongside the others
        order_job = None
        if count > 1:
            order_job = pool.submit(bibliography_order, keys, item_json, ids, order_doc,
                                    lambda order_docs: _orders(order_docs, ids), cache_dir, fingerprint)
        outputs = _format_docs(docs, ids, cache_dir, fingerprint)
        site_order = order_job.result() if order_job is not None else None
    bin_of = {id(plan): i for i, b in enumerate(bins) for plan in b}
    for page, plan in plans.items():
        if page in plan_out:
            continue
        entries, clusters, _ = outputs[page_first + bin_of[id(plan)]]
        mine = ({k: entries[k] for k in plan.keys if k in entries and k in full},
                {s: clusters[s] for s in plan.run_sigs})
        plan_out[page] = mine
        if plan_files[page]:
            write_run(plan_files[page], mine[0], mine[1], [])
    result = Formatted()
    for b, (entries, clusters, order) in zip(buckets, outputs, strict=False):
        result.clusters.update(clusters)
        for key, html in entries.items():
            if home[key] == b:  # a work's entry comes from its own bucket
                result.entries[key] = html
        if count == 1:
            result.order = order
    if site_order is not None:
        result.order = site_order
    position = {key: i for i, key in enumerate(result.order)}
    for page, plan in plans.items():
        own, clusters = plan_out[page]
        clusters = dict(clusters)
        for sig, (head_sig, sub_sigs, keep_order) in plan.cross.items():
            clusters[sig] = collapse_cluster(_join_cluster(clusters, plan.unique, head_sig, sub_sigs, keep_order,
                                                           position))
        result.pages[page] = Formatted(clusters={sig: clusters[sig] for sig in plan.wanted}, entries=own)
    for sig, (head_sig, sub_sigs, keep_order) in cross.items():
        joined = _join_cluster(result.clusters, unique, head_sig, sub_sigs, keep_order, position)
        result.clusters[sig] = collapse_cluster(joined)  # type: ignore[index]
    result.clusters = {sig: html for sig, html in result.clusters.items() if sig in wanted}
    _write_whole(whole_file, result)
    if prune:
        prune_runs(cache_dir)
    return result


WHOLE_SLOTS = 4  # whole results kept per caller (see _write_whole)


def _whole_cache_file(cache_dir: Path | None, keys: list[str], item_json: dict[str, str], unique: dict[str, Citation],
                      pages: Mapping[str, list[Citation]] | None, bucket_size: int, slot: str) -> Path | None:
    """Where the whole result for exactly these works, clusters and pages is kept (``citeall-<slot>-<digest>``).

    Why: a warm build, and the live preview after an edit that changes no citation, would
    otherwise plan every page and read hundreds of cache entries again (about 2 s on the
    medium benchmark corpus) to arrive at the same result. The slot is the caller's: when
    all callers shared four slots, a site with a git history (the overviews' own references
    in five batches, older versions) pushed the site's result out on every build, and each
    warm build formatted again (medium corpus with five versions: about 2.3 s).
    """
    if cache_dir is None:
        return None
    digest = hashlib.sha256()
    for part in (_engine_fingerprint(), str(bucket_size), *(item_json[k] for k in keys), "\x01", *sorted(unique)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    for page, cits in sorted((pages or {}).items()):
        digest.update(f"\x02{page}".encode())
        for cit in cits:
            digest.update(cluster_signature(cit).encode("utf-8"))
            digest.update(b"\x00")
    return cache_dir / f"citeall-{_slot_name(slot)}-{digest.hexdigest()}.pickle"


def _slot_name(slot: str) -> str:
    return hashlib.sha256(slot.encode("utf-8")).hexdigest()[:12]


def _read_whole(path: Path | None) -> Formatted | None:
    if path is None or not path.is_file():
        return None
    try:
        data = load_kept(path.read_bytes())  # plain dicts, lists and strings; nothing else is allowed
        pages = {page: Formatted(clusters=view["clusters"], entries=view["entries"])
                 for page, view in data["pages"].items()}
        found = Formatted(clusters=data["clusters"], entries=data["entries"], order=data["order"], pages=pages)
    except Exception:  # a damaged entry (truncated, or not this shape) is recomputed
        return None
    touch(path)  # used: prune_runs keeps it (a slot whose caller is gone goes after a month)
    return found


def _write_whole(path: Path | None, result: Formatted) -> None:
    if path is None:
        return
    # A few slots per caller (another branch, the state before an edit); older states go.
    family = path.name.split("-")[1]
    kept = sorted((p for p in path.parent.glob(f"citeall-{family}-*") if p != path), key=lambda p: p.stat().st_mtime)
    for stale in kept[:-(WHOLE_SLOTS - 1)]:
        stale.unlink(missing_ok=True)
    pages = {page: {"clusters": dict(view.clusters), "entries": dict(view.entries)}
             for page, view in result.pages.items()}
    data = {"clusters": dict(result.clusters), "entries": dict(result.entries), "order": list(result.order),
            "pages": pages}
    write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


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


def _plan_cache_file(plan: PagePlan, payload: str, ids: dict[str, str], cache_dir: Path | None,
                     fingerprint: str) -> Path | None:
    """Where one page's own formatting is cached: by its works and clusters, whatever run it shared."""
    if cache_dir is None:
        return None
    clusters_md = [_cluster_markdown(plan.unique[sig], ids) for sig in plan.run_sigs]
    digest = run_digest(fingerprint + "|page", page_style(), payload, clusters_md, plan.run_sigs)
    return cache_dir / f"citepage-{digest}.pickle"


def _format_docs(docs: list[Doc], ids: dict[str, str], cache_dir: Path | None,
                 fingerprint: str) -> list[tuple[dict[str, str], dict[str, str], list[str]]]:
    """Every document's (entries, clusters, order): from the cache, or formatted together (:func:`_run_docs`)."""
    out: list[tuple[dict[str, str], dict[str, str], list[str]] | None] = []
    for doc in docs:
        cache_file = None
        if cache_dir is not None:
            digest = run_digest(fingerprint + doc.tag, doc.style, doc.json(), doc.clusters_md, doc.signatures)
            cache_file = cache_dir / f"citeproc-{digest}.pickle"
        out.append(read_run(cache_file))
    missing = [i for i, hit in enumerate(out) if hit is None]
    htmls = _run_docs([docs[i] for i in missing])
    for i, html in zip(missing, htmls, strict=True):
        doc = docs[i]
        out[i] = _cached_run(doc.items, doc.clusters_md, doc.signatures, ids, cache_dir, fingerprint + doc.tag,
                             doc.style, doc.compact, html=html, payload=doc.payload)
    return [hit for hit in out if hit is not None]


def _cached_run(
    run_items: list[dict],
    clusters_md: list[str],
    signatures: list[str],
    ids: dict[str, str],
    cache_dir: Path | None,
    fingerprint: str,
    style: Path,
    compact: bool = False,
    html: str | None = None,
    payload: str | None = None,
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """One document's (entries by key, clusters by signature, key order); cached.

    ``html`` is Pandoc's output when the document was already formatted (:func:`_run_docs`);
    without it, a cached result is used or Pandoc runs once.
    """
    payload = items_json(run_items) if payload is None else payload
    back = {v: k for k, v in ids.items()}
    digest = run_digest(fingerprint, style, payload, clusters_md, signatures)
    cache_file = cache_dir / f"citeproc-{digest}.pickle" if cache_dir else None
    if html is None:
        hit = read_run(cache_file)
        if hit is not None:
            return hit
        html = _run_pandoc(payload, clusters_md, style, compact)
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
        write_run(cache_file, entries, clusters, order)
    return entries, clusters, order


def _orders(docs: list[Doc], ids: dict[str, str]) -> list[list[str]]:
    """Each order document's listed works, in the order Pandoc listed them (checked as every run is)."""
    return [_cached_run(doc.items, [], [], ids, None, "", doc.style, doc.compact, html=html, payload=doc.payload)[2]
            for doc, html in zip(docs, _run_docs(docs), strict=True)]


def _run_docs(docs: list[Doc]) -> list[str]:
    """Pandoc's HTML for each document, formatted in about one Pandoc process per core.

    One document runs as a plain Pandoc run (:func:`_run_pandoc`); more go to
    ``citeproc_batch.lua`` (``pandoc lua``), which formats each exactly as a run of its own
    would, without starting Pandoc, parsing the style and building the collation tables
    again for each. The order run (``compact``) is always a process of its own (see there).
    """
    if not docs:
        return []
    out = [""] * len(docs)
    tasks: list = []
    batched = [i for i, doc in enumerate(docs) if not doc.compact]
    for i, doc in enumerate(docs):
        if doc.compact or len(batched) == 1:
            tasks.append(lambda i=i, doc=doc: out.__setitem__(
                i, _run_pandoc(doc.json(), doc.clusters_md, doc.style, doc.compact)))
    with tempfile.TemporaryDirectory(prefix="kop-citeproc-") as tmp:
        if len(batched) > 1:
            shares: list[list[int]] = [[] for _ in range(max(1, min(usable_cores(), len(batched))))]
            load = [0] * len(shares)
            for i in sorted(batched, key=lambda i: -docs[i].cost()):  # longest first, to the least loaded
                least = load.index(min(load))
                shares[least].append(i)
                load[least] += docs[i].cost()
            for n, share in enumerate(shares):
                tasks.append(lambda n=n, share=share: run_batch(Path(tmp), n, share, docs, out))
        if len(tasks) == 1:
            tasks[0]()
        else:
            with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
                list(pool.map(lambda task: task(), tasks))
    return out


def _run_pandoc(items_json: str, clusters_md: list[str], style: Path | None = None, compact: bool = False) -> str:
    """Run Pandoc citeproc once. ``compact`` asks its runtime to compact the heap instead of
    copying it (GHCRTS=-c): about 0.6 s more, a third less memory for the run over the whole
    bibliography (large benchmark corpus: 501 -> 362 MB)."""
    with tempfile.TemporaryDirectory(prefix="kop-pandoc-") as tmp:
        bib = Path(tmp) / "refs.json"
        bib.write_text(items_json, encoding="utf-8")
        csl = compact_style(style or style_path(), Path(tmp))
        args = ["--from=markdown", "--to=html", "--wrap=none", "--citeproc", f"--bibliography={bib}", f"--csl={csl}"]
        return run_pandoc(args, document(clusters_md), env={**os.environ, "GHCRTS": "-c"} if compact else None)


def _verify(run_items: list[dict], signatures: list[str], entries: dict[str, str], clusters: dict[str, str],
            back: dict[str, str]) -> None:
    """Every reference sent must come back formatted, and every cluster; else the build stops."""
    expected = {back[item["id"]] for item in run_items if listed(item)}
    missing_entries = len(expected - set(entries))
    missing_clusters = len(set(signatures) - set(clusters))
    if missing_entries or missing_clusters:
        raise FormattingError("KOP908", missing_entries=missing_entries, entries=len(expected),
                              missing_clusters=missing_clusters, clusters=len(set(signatures)))
