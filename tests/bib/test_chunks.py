"""Parsing chunk by chunk gives exactly what a whole-file parse gives, and reuses unchanged chunks."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kop.bib import chunks
from kop.bib.load import load_bibliography
from kop.bib.memo import Memo, is_kept

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BIB_FILES = sorted(FIXTURES.rglob("*.bib"))
BIB = """@string{tss = {Tidskrift f{\\"o}r socialt st{\\"o}d}}
@book{parent,
  title = {Socialt arbete i praktiken},
  publisher = {Studentlitteratur},
  year = {2020},
}
@incollection{child,
  author = {Sj{\\"o}berg, Anna},
  title = {Ett kapitel},
  crossref = {parent},
}
Text mellan posterna.
@article(plain,
  author = {Nilsson, Per},
  title = "Om st{\\"o}d",
  journal = tss,
  year = 2019
)
"""
ADDED = "@article{new,\n  author = {Ny, Karin},\n  title = {Ny},\n  journal = {J},\n  year = {2025},\n}\n"


def _result(text: str | bytes, memo: Memo | None = None) -> tuple[list, list]:
    refs, diags = load_bibliography(Path("references.bib"), text, memo=memo)
    return [(k, r.entry_type, r.line, r.fields, r.csl) for k, r in refs.items()], diags


def _whole(text: str | bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    """The oracle: the loader's whole-file parse, as before chunks existed."""
    with monkeypatch.context() as patch:
        patch.setattr(chunks.Chunks, "records", lambda self, source, whole: whole(source))
        return _result(text)


def _mutations(text: str, count: int, seed: int) -> list[str]:
    """Edits an author makes by mistake: a character lost or added, a line doubled, a block start typed."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        pos = rng.randrange(len(text) + 1)
        kind = rng.randrange(4)
        if kind == 0 and text:
            out.append(text[:pos] + text[pos + 1:])
        elif kind == 1:
            out.append(text[:pos] + rng.choice('{}",=@%\n') + text[pos:])
        elif kind == 2:
            start = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end + 1
            out.append(text[:end] + text[start:end] + text[end:])
        else:
            out.append(text[:pos] + "\n@misc{typed,\n" + text[pos:])
    return out


@pytest.mark.parametrize("path", BIB_FILES, ids=lambda p: p.name)
def test_every_fixture_loads_as_a_whole_file_parse(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    assert _result(data) == _whole(data, monkeypatch)


def test_mistyped_files_load_as_a_whole_file_parse_with_and_without_a_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [BIB] + [p.read_text("utf-8", "replace") for p in BIB_FILES if p.stat().st_size < 20_000]
    compared = fell_back = 0
    for i, base in enumerate(texts):
        memo = Memo()
        _result(base, memo)
        for text in _mutations(base, 12, seed=i):
            again = Memo(memo.used())
            assert _result(text, again) == _whole(text, monkeypatch), text
            assert _result(text) == _whole(text, monkeypatch), text
            compared += 1
            fell_back += not again.chunks.used
    assert compared > 300 and 0 < fell_back < compared  # both paths were exercised


def test_an_added_entry_reuses_every_other_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    first = Memo()
    _result(BIB, first)
    assert len(first.chunks.used) == 4 and is_kept(first.used()) and first.chunks.reused == 0
    text = BIB.replace("@incollection", ADDED + "@incollection")
    second = Memo(first.used())
    assert _result(text, second) == _whole(text, monkeypatch)
    assert second.chunks.reused == 4 and len(second.chunks.used) == 5
    assert second.converted.reused == 3


def test_a_chunk_that_fails_alone_parses_the_whole_file_and_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    first = Memo()
    _result(BIB, first)
    broken = BIB.replace("  year = {2020},\n}", "  year = {2020},\n")  # the parent's "}" is lost
    second = Memo(first.used())
    refs, diags = _result(broken, second)
    assert (refs, diags) == _whole(broken, monkeypatch)
    assert [d.code for d in diags][:1] == ["KOP231"] and second.chunks.used == {}


def test_shape_check_refuses_other_values() -> None:
    assert is_kept(({}, {}, {})) and chunks.is_kept({"k": (("other", 0),)})
    assert not chunks.is_kept({"k": [("other", 0)]})
    assert not chunks.is_kept({"k": ((),)})
    assert not is_kept(({}, {})) and not is_kept([{}, {}, {}])
