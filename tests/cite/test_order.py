"""The bibliography order kept between builds (kop.cite.order): placed in place, the same as a whole run."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kop.bib.load import load_bibliography
from kop.cite import apa
from kop.cite.apa import format_all
from kop.core.model import Reference


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Reference]:
    from kop.dev.corpus import generate

    root = tmp_path_factory.mktemp("corpus")
    generate(root, "small", seed=5)
    refs, _ = load_bibliography(root / "references.bib")
    assert len(refs) >= 90
    return refs


@pytest.fixture
def order_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The size of every order document formatted, one list per call of the runner."""
    calls: list[list[int]] = []
    real = apa._orders

    def spy(docs, ids):  # type: ignore[no-untyped-def]
        calls.append([len(doc.items) for doc in docs])
        return real(docs, ids)

    monkeypatch.setattr(apa, "_orders", spy)
    return calls


def _changed_title(ref: Reference, title: str) -> Reference:
    csl = dict(ref.csl)
    csl["title"] = title
    return Reference(ref.key, ref.entry_type, ref.line, dict(ref.fields), csl)


def test_a_few_added_changed_and_removed_works_are_placed_as_a_whole_run_orders_them(
        tmp_path: Path, references: dict[str, Reference], order_runs: list[list[int]]):
    keys = sorted(references)
    rng = random.Random(7)
    added = rng.sample(keys, 6)
    before = {k: v for k, v in references.items() if k not in added}
    cache = tmp_path / "cache"
    format_all(before, [], cache, bucket_size=8)
    assert order_runs == [[len(before)]], "the first build runs the whole order"

    after = dict(references)
    removed = rng.choice([k for k in keys if k not in added])
    del after[removed]
    changed = rng.choice([k for k in keys if k not in added and k != removed])
    after[changed] = _changed_title(after[changed], "Aaaa en titel som nu sorteras först")
    order_runs.clear()
    placed = format_all(after, [], cache, bucket_size=8).order
    assert order_runs and all(size < 0.6 * len(after) for call in order_runs for size in call), order_runs
    assert len(order_runs) == 2, "one run among the pivots, one batch of intervals"

    whole = format_all(after, [], None, bucket_size=8).order
    assert placed == whole
    assert removed not in placed and set(added) <= set(placed)


def test_an_unchanged_bibliography_reads_its_order_from_the_cache(
        tmp_path: Path, references: dict[str, Reference], order_runs: list[list[int]]):
    cache = tmp_path / "cache"
    first = format_all(references, [], cache, bucket_size=8).order
    for path in cache.glob("citeall-*.pickle"):
        path.unlink()  # the whole result's cache would answer first
    order_runs.clear()
    assert format_all(references, [], cache, bucket_size=8).order == first
    assert order_runs == []


def test_a_kept_order_that_pandoc_contradicts_is_not_trusted(
        tmp_path: Path, references: dict[str, Reference], order_runs: list[list[int]]):
    keys = sorted(references)
    cache = tmp_path / "cache"
    without_one = {k: v for k, v in references.items() if k != keys[3]}
    format_all(without_one, [], cache, bucket_size=8)
    (kept,) = cache.glob("citeorder-*.json")
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["order"].reverse()  # a damaged or stale state
    kept.write_text(json.dumps(data), encoding="utf-8")
    order_runs.clear()
    placed = format_all(references, [], cache, bucket_size=8).order
    assert order_runs[-1] == [len(references)], "the whole order ran again"
    assert placed == format_all(references, [], None, bucket_size=8).order


def test_more_changes_than_can_be_placed_run_the_whole_order(
        tmp_path: Path, references: dict[str, Reference], order_runs: list[list[int]]):
    from kop.cite.order import MAX_PLACED

    keys = sorted(references)
    cache = tmp_path / "cache"
    format_all({k: references[k] for k in keys[MAX_PLACED + 1:]}, [], cache, bucket_size=8)
    order_runs.clear()
    placed = format_all(references, [], cache, bucket_size=8).order
    assert order_runs == [[len(references)]]
    assert placed == format_all(references, [], None, bucket_size=8).order


def test_another_bibliography_ordered_in_between_does_not_make_the_next_build_run_the_whole_order(
        tmp_path: Path, references: dict[str, Reference], order_runs: list[list[int]]):
    keys = sorted(references)
    cache = tmp_path / "cache"
    site = {k: references[k] for k in keys[1:]}
    format_all(site, [], cache, bucket_size=8)
    format_all({k: references[k] for k in keys[40:60]}, [], cache, bucket_size=8)  # an older version's works
    order_runs.clear()
    placed = format_all(references, [], cache, bucket_size=8).order
    assert all(size < 0.6 * len(references) for call in order_runs for size in call), order_runs
    assert placed == format_all(references, [], None, bucket_size=8).order
