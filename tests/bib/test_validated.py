"""An entry's content checks are reused only for the same inputs, and land at the entry's new line."""

from __future__ import annotations

from pathlib import Path

from kop.bib.load import load_bibliography
from kop.bib.memo import Memo
from kop.bib.validated import is_kept
from kop.core.model import Diagnostic

BIB = """@article{bad,
  author = {Nilsson, Per},
  title = {A Title In Title Case For Sure},
  journal = {Tidskrift},
  year = {20x9},
  doi = {not-a-doi},
}
@book{plain,
  author = {Berg, Eva},
  title = {Om stöd},
  publisher = {Liber},
  year = {2019},
}
@article{missing,
  title = {Utan författare och tidskrift},
}
"""
ADDED = "@article{new,\n  author = {Ny, Karin},\n  title = {Ny},\n  journal = {J},\n  year = {2025},\n}\n"


def _load(text: str, memo: Memo | None = None) -> list[Diagnostic]:
    return load_bibliography(Path("references.bib"), text, memo=memo)[1]


def test_checks_move_with_their_entry_and_equal_a_fresh_load() -> None:
    first = Memo()
    before = _load(BIB, first)
    assert [(d.line, d.code) for d in before] == [(3, "KOP232"), (5, "KOP206"), (6, "KOP207"), (14, "KOP204")]
    assert is_kept(first.validated.used) and first.validated.reused == 0
    text = ADDED + BIB  # every entry moves down six lines
    again = Memo(first.used())
    after = _load(text, again)
    assert after == _load(text)
    assert again.validated.reused == 3  # the new entry is checked, the others are not
    assert [(d.line, d.code) for d in after] == [(d.line + 6, d.code) for d in before]


def test_a_changed_field_or_an_inherited_one_is_checked_again() -> None:
    first = Memo()
    _load(BIB, first)
    fixed = BIB.replace("{20x9}", "{2019}")
    again = Memo(first.used())
    assert _load(fixed, again) == _load(fixed)
    assert again.validated.reused == 2
    # Same child, same fields of its own; only what it inherits from its parent differs.
    child = BIB.replace("@article{missing,\n", "@article{missing,\n  crossref = {parent},\n")
    bare = child + "@book{parent,\n  title = {Bok},\n  publisher = {Liber},\n}\n"
    full = bare.replace("  publisher = {Liber},\n}", "  publisher = {Liber},\n  author = {Berg, Eva},\n"
                        "  journal = {J},\n  year = {2001},\n}")
    first = Memo()
    assert any(d.code == "KOP204" and "'missing'" in d.message for d in _load(bare, first))
    again = Memo(first.used())
    assert _load(full, again) == _load(full)
    assert not any(d.code == "KOP204" and "'missing'" in d.message for d in _load(full))
