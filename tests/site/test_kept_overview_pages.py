"""Overview pages kept between builds (kop.site.generate with kop.render.kept_pages), seen from outside.

A real generated corpus is prepared again and again; the generated Markdown is compared with
a preparation that keeps nothing (KOP_NO_CACHE). A marker planted in a kept page shows that
the page came from the cache; a change in what the page reads from the formatting, in the
file or in the settings renders it again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kop.core.project import load_project
from kop.dev.corpus import generate
from kop.site.build import prepare
from kop.site.generate import PAGE_CACHE

MARKER = "<!-- UR-CACHEN -->"


def docs(root: Path) -> dict[str, bytes]:
    out = root / "build" / "docs"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def prepared(root: Path) -> dict[str, bytes]:
    result, formatted = prepare(load_project(root))
    assert formatted is not None, result.diagnostics
    return docs(root)


def kept(root: Path) -> dict[str, Path]:
    """Overview slug -> its kept page (.md)."""
    folder = load_project(root).cache_dir / PAGE_CACHE
    return {json.loads(p.read_text(encoding="utf-8"))["owner"]: p.with_suffix(".md") for p in folder.glob("*.json")}


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    generate(root, "small", seed=11)
    return root


def test_kept_pages_give_the_same_tree_and_are_really_reused(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setenv("KOP_NO_CACHE", "1")
        plain = prepared(corpus)
    assert not kept(corpus)  # nothing kept without the cache
    first = prepared(corpus)
    second = prepared(corpus)
    assert first == plain == second
    pages = kept(corpus)
    overviews = sorted(p.removeprefix("oversikter/").removesuffix(".md") for p in plain
                       if p.startswith("oversikter/") and p.count("/") == 1 and p != "oversikter/index.md")
    assert sorted(pages) == overviews

    slug = overviews[0]
    page = pages[slug]
    page.write_text(page.read_text(encoding="utf-8") + MARKER + "\n", encoding="utf-8")
    assert MARKER in prepared(corpus)[f"oversikter/{slug}.md"].decode("utf-8")  # served from the cache

    # what the page read from the formatting changed: rendered again (the marker goes)
    entry = page.with_suffix(".json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**data, "reads": "0" * 64}), encoding="utf-8")
    assert prepared(corpus) == plain


def test_an_edited_overview_or_another_day_render_again(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = prepared(corpus)
    slug = sorted(kept(corpus))[0]
    source = corpus / "overviews" / f"{slug}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.rstrip("\n") + "\n\nEtt nytt stycke om samverkan.\n", encoding="utf-8")
    edited = prepared(corpus)
    assert "Ett nytt stycke om samverkan." in edited[f"oversikter/{slug}.md"].decode("utf-8")
    source.write_text(text, encoding="utf-8")
    assert prepared(corpus) == plain

    # the settings and today's date are part of the key: with a limit of 500 years no search is old,
    # five hundred years on every one is, and each page says so
    config = corpus / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("stale_after_years: 5", "stale_after_years: 500"),
                      encoding="utf-8")
    calm = prepared(corpus)
    assert "Gammal litteratursökning" not in calm[f"oversikter/{slug}.md"].decode("utf-8")
    monkeypatch.setenv("KOP_TODAY", "2600-01-01")
    later = prepared(corpus)
    assert "Gammal litteratursökning" in later[f"oversikter/{slug}.md"].decode("utf-8")
    monkeypatch.setenv("KOP_NO_CACHE", "1")
    assert later == prepared(corpus)
