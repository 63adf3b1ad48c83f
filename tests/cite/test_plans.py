"""The cluster signature: the key every formatted cluster is stored and looked up under."""

from __future__ import annotations

import json

from kop.cite.plans import cluster_signature
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
