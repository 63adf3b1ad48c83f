"""kop.render.kept_pages: a kept page comes back only while what it read from the formatting is the same."""

from __future__ import annotations

import json
from pathlib import Path

from kop.cite.apa import Formatted
from kop.core.fingerprint import digest
from kop.core.model import Overview
from kop.render.kept_pages import KeptPages


def overview() -> Overview:
    meta = {"id": "kop-2030-001", "findings": [{"statement": "S", "references": ["a"]}]}
    return Overview(Path("overviews/x.md"), "x", meta, "Text.\n", 5)


def formatted(entry: str) -> Formatted:
    return Formatted(clusters={}, entries={"a": entry}, order=["a"])


def test_get_after_put_and_not_after_the_formatting_changed(tmp_path: Path) -> None:
    pages = KeptPages(tmp_path)
    ov = overview()
    pages.put("k1", "x", ov, formatted("Andersson (2020)"), "SIDAN")
    assert pages.get("k1", "x", lambda keys: formatted("Andersson (2020)")) == "SIDAN"
    assert pages.get("k1", "x", lambda keys: formatted("Andersson (2020a)")) is None  # a year suffix changed
    assert pages.get("k1", "x", lambda keys: None) is None  # no formatting to compare with
    assert pages.get("k2", "x", lambda keys: formatted("Andersson (2020)")) is None  # another key
    assert pages.hits == 1


def test_a_broken_or_disabled_cache_renders_again(tmp_path: Path) -> None:
    pages = KeptPages(tmp_path)
    pages.put("k1", "x", overview(), formatted("A"), "SIDAN")
    (tmp_path / "k1.json").write_text("{inte json", encoding="utf-8")
    assert pages.get("k1", "x", lambda keys: formatted("A")) is None
    off = KeptPages(tmp_path / "av", enabled=False)
    off.put("k1", "x", overview(), formatted("A"), "SIDAN")
    assert not (tmp_path / "av").exists() and off.get("k1", "x", lambda keys: formatted("A")) is None


def test_prune_drops_an_owners_outdated_entry(tmp_path: Path) -> None:
    first = KeptPages(tmp_path)
    first.put("old", "x", overview(), formatted("A"), "GAMMAL")
    second = KeptPages(tmp_path)
    second.put("new", "x", overview(), formatted("A"), "NY")
    second.prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "new.md"]
    assert json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))["owner"] == "x"


def test_digest_parts_are_length_prefixed() -> None:
    assert digest("ab", "c") != digest("a", "bc")
