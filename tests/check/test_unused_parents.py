"""KOP210 (an entry no overview cites) counts a crossref parent as used when a cited entry inherits from it."""

from __future__ import annotations

from kop.core.project import load_project
from kop.site.checking import check
from tests.conftest import FIXTURES

VALID = FIXTURES / "valid" / "testoversikt.md"
EXTRA = """
@incollection{test-kapitel,
  author = {Testsson, Test},
  title = {Ett påhittat kapitel},
  crossref = {test-antologi},
  pages = {10--20},
}

@book{test-antologi,
  editor = {Redaktörsson, Rut},
  title = {En påhittad antologi},
  publisher = {Testförlaget},
  year = {2010},
}

@book{test-oanvand,
  author = {Testsson, Test},
  title = {En bok som ingen citerar},
  publisher = {Testförlaget},
  year = {2012},
}
"""


def test_a_crossref_parent_of_a_cited_chapter_is_not_unused(make_project):
    bib = (FIXTURES / "project" / "references.bib").read_text(encoding="utf-8") + EXTRA
    text = VALID.read_text(encoding="utf-8") + "\nEtt kapitel i en antologi [@test-kapitel].\n"
    root = make_project({"testoversikt.md": text}, bib=bib)
    result = check(load_project(root))
    unused = {d.message for d in result.diagnostics if d.code == "KOP210"}
    assert not any("test-antologi" in m for m in unused), unused
    assert any("test-oanvand" in m for m in unused), unused  # a truly unused entry is still reported
    assert not [d for d in result.diagnostics if d.path == "references.bib" and d.severity == "error"]
