"""The bibliography's APA order, kept between builds and updated in place when a few works change.

Why: the order is the one Pandoc run over the whole bibliography (about 2 s for 3,000 works
on the medium benchmark corpus), and adding one reference used to repeat it. The order style
(:func:`order_style`) turns disambiguation off, so a work's sort keys are its own fields;
Pandoc sorts stably and breaks ties by citation order, which here is the ids' order in every
run. So the order of any subset of works is the whole order restricted to that subset, and a
few added or changed works are placed with two small runs instead (:func:`_place`): once among
evenly spaced pivots of the kept order, then among the kept works between their two pivots.
Each result is checked against the kept order; anything unexpected runs the whole order again.

Cache (``.cache/kop/citeorder-*.json``, a few slots): each work's digest and the order.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from kop.cite.batch import Doc, derived_style
from kop.core.fsutil import write_atomic

ORDER_SLOTS = 4  # kept orders (the site's, its previous states, other bibliographies of the build)
MAX_PLACED = 32  # added or changed works placed in the kept order; more, and the whole order runs again
PIVOTS = 48  # pivots of the first placing run

#: Runs documents and returns, for each, the keys in the order Pandoc listed them.
Runner = Callable[[list[Doc]], list[list[str]]]


def order_style() -> Path:
    """APA's bibliography sort without its work: no disambiguation, and each entry rendered as ".".

    The sort keys and the layout's conditions (which entries appear at all) are APA's own,
    so the order is APA's. Rendering 10,000 full entries made this one run the memory peak
    of a build without a cache (Pandoc: 591 MB, 5.5 s on the large benchmark corpus).
    """
    return derived_style("order", _order_text)


def _order_text(text: str) -> str:
    text = re.sub(r'disambiguate-add-(givenname|names|year-suffix)="true"', r'disambiguate-add-\1="false"', text)
    start = text.index("<bibliography")
    return text[:start] + text[start:].replace('<text macro="bibliography"/>', '<text value="."/>')


def bibliography_order(
    keys: Sequence[str],
    item_json: dict[str, str],
    ids: dict[str, str],
    make_doc: Callable[[list[str], bool], Doc],
    run: Runner,
    cache_dir: Path | None,
    fingerprint: str,
) -> list[str]:
    """The listed works of ``keys`` in APA bibliography order.

    ``make_doc(keys, whole)`` builds the order document for those keys (``whole``: the run over
    every work, which Pandoc runs with a compacting heap); ``run`` formats documents.
    """
    works = {key: hashlib.sha256(item_json[key].encode("utf-8")).hexdigest()[:16] for key in keys}
    digest = hashlib.sha256()
    for part in (fingerprint, order_style().name, *(f"{key}\x01{works[key]}" for key in keys)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    target = cache_dir / f"citeorder-{digest.hexdigest()}.json" if cache_dir is not None else None
    kept = _read(target, fingerprint)
    if kept is not None:
        return kept[1]
    base = _nearest(cache_dir, fingerprint, works)
    order = _place(keys, works, ids, base, make_doc, run) if base is not None else None
    if order is None:
        order = run([make_doc(list(keys), True)])[0]
    if target is not None:
        _write(target, fingerprint, works, order)
    return order


def _place(keys: Sequence[str], works: dict[str, str], ids: dict[str, str], base: tuple[dict[str, str], list[str]],
           make_doc: Callable[[list[str], bool], Doc], run: Runner) -> list[str] | None:
    """The order with the works that differ from ``base`` placed in it; None when the whole run is needed."""
    old_works, old_order = base
    added = [key for key in keys if old_works.get(key) != works[key]]
    kept = [key for key in old_order if key in works and old_works.get(key) == works[key]]
    if len(added) > MAX_PLACED or (added and not kept):
        return None
    if not added:
        return kept  # works only removed
    by_id = ids.__getitem__
    step = max(1, -(-len(kept) // PIVOTS))
    pivots = kept[::step]
    new = set(added)
    first = run([make_doc(sorted([*added, *pivots], key=by_id), False)])[0]
    if [key for key in first if key not in new] != pivots:
        return None
    # Which pivot each added work follows (-1: before the first one); unlisted works do not come back.
    after: dict[int, list[str]] = {}
    last = -1
    pivot_index = {key: i for i, key in enumerate(pivots)}
    for key in first:
        if key in pivot_index:
            last = pivot_index[key]
        else:
            after.setdefault(last, []).append(key)
    segments = []
    for j, placed in sorted(after.items()):
        start = max(0, j) * step
        end = min(len(kept), (j + 1) * step + 1) if j >= 0 else 1  # both bounding pivots, to check the result
        segments.append((kept[start:end], placed, j >= 0, j < 0 or (j + 1) * step < len(kept)))
    outs = run([make_doc(sorted([*segment, *placed], key=by_id), False) for segment, placed, _, _ in segments])
    following: dict[str | None, list[str]] = {}
    for (segment, placed, starts_at_pivot, ends_at_pivot), out in zip(segments, outs, strict=True):
        if [key for key in out if key not in new] != segment or sorted(out) != sorted([*segment, *placed]):
            return None
        if (starts_at_pivot and out[0] != segment[0]) or (ends_at_pivot and out[-1] != segment[-1]):
            return None  # a work left its interval: the two runs disagree
        previous: str | None = None
        for key in out:
            if key in placed:
                following.setdefault(previous, []).append(key)
            else:
                previous = key
    order = list(following.get(None, []))
    for key in kept:
        order.append(key)
        order += following.get(key, [])
    return order


def _read(path: Path | None, fingerprint: str) -> tuple[dict[str, str], list[str]] | None:
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        works, order = data["works"], data["order"]
        if data["engine"] != fingerprint or not isinstance(works, dict) or not isinstance(order, list):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in works.items()):
            return None
        if not all(isinstance(k, str) and k in works for k in order) or len(set(order)) != len(order):
            return None
        return works, order
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged entry is recomputed


Kept = tuple[dict[str, str], list[str]]  # each work's digest, and the order


def _nearest(cache_dir: Path | None, fingerprint: str, works: dict[str, str]) -> Kept | None:
    """The kept order that differs least from ``works`` (usually the previous build's), if any.

    Why not simply the newest: other bibliographies are ordered in the same build (an
    overview's older versions), and their orders are kept beside the site's.
    """
    if cache_dir is None or not cache_dir.is_dir():
        return None
    best, fewest = None, None
    for path in cache_dir.glob("citeorder-*.json"):
        kept = _read(path, fingerprint)
        if kept is None:
            continue
        differ = sum(1 for key, digest in works.items() if kept[0].get(key) != digest)
        if fewest is None or differ < fewest:
            best, fewest = kept, differ
    return best


def _write(path: Path, fingerprint: str, works: dict[str, str], order: list[str]) -> None:
    kept = sorted((p for p in path.parent.glob("citeorder-*.json") if p != path), key=lambda p: p.stat().st_mtime)
    for stale in kept[:-(ORDER_SLOTS - 1)]:
        stale.unlink(missing_ok=True)
    write_atomic(path, json.dumps({"engine": fingerprint, "works": works, "order": order}, ensure_ascii=False))
