"""The cluster signature (the key every formatted cluster is stored under) and the page plans' clash test."""

from __future__ import annotations

import json
import random

from kop.cite.plans import Traits, clash, cluster_signature
from kop.core.model import Citation, CitationItem


def _citation(*items: CitationItem, in_text: bool = False) -> Citation:
    return Citation(list(items), in_text, 0, 0, 1, 1)


def test_signature_is_the_json_of_each_item() -> None:
    """Quotes, backslashes, line breaks and non-ASCII letters cannot make two clusters look alike."""
    cit = _citation(CitationItem('a"b', "se även \\ \n", "s. 33–34", True), CitationItem("k"))
    expected = "P" + "|".join(
        json.dumps([i.prefix, i.key, i.locator, i.suppress_author], ensure_ascii=False) for i in cit.items
    )
    assert cluster_signature(cit) == expected


def test_signature_tells_apart_what_formats_differently() -> None:
    base = CitationItem("k", locator="s. 3")
    variants = [
        _citation(base),
        _citation(base, in_text=True),
        _citation(CitationItem("k", locator="s. 3", suppress_author=True)),
        _citation(CitationItem("k", prefix="jfr", locator="s. 3")),
        _citation(CitationItem("k|", locator="s. 3")),
        _citation(CitationItem("k"), CitationItem("s. 3")),
    ]
    assert len({cluster_signature(c) for c in variants}) == len(variants)


def test_signature_is_kept_and_not_a_field() -> None:
    """Kept on the object (asked for several times per build) without changing what it equals."""
    cit = _citation(CitationItem("k"))
    first = cluster_signature(cit)
    assert cluster_signature(cit) is first
    assert cit == _citation(CitationItem("k"))


def _work(rng: random.Random) -> dict:
    item: dict = {}
    choice = rng.randrange(4)
    if choice:  # a year, a literal date or none ("n.d."), sometimes "in press"
        item["issued"] = {"date-parts": [[rng.choice([2010, 2011, 2012])]]} if choice < 3 else {"literal": "u.å."}
    if rng.random() < 0.2:
        item["status"] = "in press"
    role = rng.choice(["author", "editor", None])
    if role:
        item[role] = [{"family": "Andersson", "given": rng.choice(["Anna", "A.", "Bo", ""])}]
    return item


def test_counted_clash_test_equals_every_pair_compared() -> None:
    """Traits.clashes is exactly "a cited work clashes with an uncited one" (every pair compared)."""
    rng = random.Random(7)
    checked = found = 0
    for _ in range(400):
        keys = [f"k{i}" for i in range(rng.randrange(1, 9))]
        items = {key: _work(rng) for key in keys}
        traits = Traits(items)
        cited = {key for key in keys if rng.random() < 0.5}
        outside = [k for k in keys if k not in cited]
        expected = any(clash(items[m], items[o]) for m in keys if m in cited for o in outside)
        assert traits.clashes(keys, cited) == expected, (items, cited)
        checked += 1
        found += expected
    assert 50 < found < checked - 50  # both answers were tested
