"""kop.site.live_page: the live preview remakes one page when only an overview's text changed, and only then.

A real generated corpus is prepared once (keeping the state, as ``kop serve`` does); after
each change the fast path either writes exactly the page a whole preparation writes, or
declines and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.core.project import load_project
from kop.dev.corpus import generate
from kop.dev.scenarios import published_overviews
from kop.site.build import prepare
from kop.site.generate import Rendered
from kop.site.live_page import rerender, warm_up


def docs(root: Path) -> dict[str, bytes]:
    out = root / "build" / "docs"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, Rendered]:
    root = tmp_path / "small"
    generate(root, "small", seed=13)
    state: list[Rendered] = []
    result, formatted = prepare(load_project(root), keep=state)
    assert formatted is not None, result.diagnostics
    return root, state[0]


def test_a_text_edit_writes_exactly_the_page_a_whole_preparation_writes(corpus: tuple[Path, Rendered]) -> None:
    root, state = corpus
    before = docs(root)
    warm_up(state)  # what kop serve does once at start: writes nothing
    assert docs(root) == before
    target = published_overviews(root)[1]
    target.write_text(target.read_text(encoding="utf-8") + "\nEn ny mening i förhandsvisningen.\n", encoding="utf-8")
    project = load_project(root)
    done = rerender(project, state, {target})
    assert done is not None
    diagnostics, written = done
    assert written == [f"oversikter/{target.stem}.md"]
    assert all(d.severity != "error" for d in diagnostics)
    fast = docs(root)
    assert "En ny mening i förhandsvisningen." in fast[written[0]].decode("utf-8")
    prepare(project)  # the whole preparation changes nothing more
    assert docs(root) == fast

    # a second save compares with the first one's text: the same text again writes nothing
    again = rerender(project, state, {target})
    assert again is not None and again[1] == []


@pytest.mark.parametrize("change", ["front matter", "citation", "error", "new file", "bibliography"])
def test_anything_but_a_text_edit_is_left_to_the_whole_preparation(corpus: tuple[Path, Rendered],
                                                                   change: str) -> None:
    root, state = corpus
    target = published_overviews(root)[1]
    text = target.read_text(encoding="utf-8")
    changed = {target}
    if change == "front matter":
        target.write_text(text.replace("\ntitle: ", "\ntitle: Ny titel ", 1), encoding="utf-8")
    elif change == "citation":
        key = next(iter(state.result.references))
        target.write_text(text + f"\nEn mening med en ny källa [@{key}].\n", encoding="utf-8")
    elif change == "error":
        target.write_text(text + "\nEn källa som inte finns [@finnsinte2099].\n", encoding="utf-8")
    elif change == "new file":
        new = root / "overviews" / "ny-oversikt.md"
        new.write_text(text, encoding="utf-8")
        changed = {new}
    else:
        changed = {root / "references.bib"}
    before = docs(root)
    assert rerender(load_project(root), state, changed) is None
    assert docs(root) == before
