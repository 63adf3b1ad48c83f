"""Entries converted by the previous load are reused only when their resolved fields are the same."""

from __future__ import annotations

from pathlib import Path

from kop.bib.converted import is_kept
from kop.bib.load import load_bibliography
from kop.bib.memo import Memo

BIB = r"""@string{tss = {Tidskrift f{\"o}r socialt st{\"o}d}}
@book{parent,
  title = {Socialt arbete i praktiken},
  publisher = {Studentlitteratur},
  year = {2020},
  editor = {{\AA}berg, Karin},
}
@incollection{child,
  author = {Sj{\"o}berg, Anna},
  title = {Ett kapitel},
  pages = {1--20},
  crossref = {parent},
}
@article{plain,
  author = {Nilsson, Per and {\"O}berg, Eva},
  title = {Om st{\"o}d},
  journal = tss,
  year = {2019},
}
"""


def _load(text: str, memo: Memo | None = None) -> dict:
    refs, diags = load_bibliography(Path("references.bib"), text, memo=memo)
    assert diags == []
    return {key: (ref.fields, ref.csl, ref.line) for key, ref in refs.items()}


def _again(text: str, before: Memo) -> tuple[dict, Memo]:
    parsed, done, checked = before.used()
    after = Memo((dict(parsed), dict(done), dict(checked)))
    return _load(text, after), after


def test_added_entry_reuses_the_others_and_equals_a_fresh_load() -> None:
    first = Memo()
    _load(BIB, first)
    assert first.converted.reused == 0 and is_kept(first.converted.used)
    added = "@article{new,\n  author = {Ny, Karin},\n  title = {Ny},\n  journal = {J},\n  year = {2025},\n}\n" + BIB
    loaded, second = _again(added, first)
    assert second.converted.reused == 3  # child, plain and parent; the new entry is converted
    assert loaded == _load(added)  # lines move, text and CSL are the same as without the cache


def test_changed_macro_or_parent_is_converted_again() -> None:
    first = Memo()
    _load(BIB, first)
    macro = BIB.replace(r"Tidskrift f{\"o}r socialt st{\"o}d", "Annan tidskrift")
    loaded, second = _again(macro, first)
    assert loaded["plain"][1]["container-title"] == "Annan tidskrift"
    assert second.converted.reused == 2  # only the entry that uses the macro is new
    parent = BIB.replace("Studentlitteratur", "Liber")
    loaded, third = _again(parent, first)
    assert loaded["child"][1]["publisher"] == "Liber"  # the child inherits the changed parent
    assert loaded == _load(parent)
    assert third.converted.reused == 1  # plain only


def test_shape_check_refuses_other_values() -> None:
    assert is_kept({})
    assert not is_kept([])
    assert not is_kept({"k": ({}, [])})
    assert not is_kept({"k": ({},)})
