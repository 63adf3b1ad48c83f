"""Overviews and seminars in the wrong place or with the wrong ending are errors naming the right path."""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.cli.main import main
from kop.core.project import load_project
from kop.sources.misplaced import markdown_stem, misplaced_files
from tests.conftest import FIXTURES

VALID = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")


def _found(root: Path) -> list[tuple[str, str, int, int]]:
    return [(d.path, d.code, d.line, d.column) for d in misplaced_files(load_project(root))]


def _put(root: Path, relative: str, text: str = "---\ntitle: x\n---\n") -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("name", "stem"), [
    ("a.md", "a"), ("a.MD", "a"), ("a.Md", "a"), ("a.markdown", "a"), ("a.md.txt", "a"), ("a.MD.txt", "a"),
    ("a.markdown.txt", "a"), ("a.txt", None), ("a.png", None), (".md", None), ("a.mdx", None),
])
def test_markdown_like_endings(name: str, stem: str | None) -> None:
    assert markdown_stem(name) == stem


def test_a_file_one_folder_too_deep_names_the_path_it_should_have(make_project) -> None:
    root = make_project({})
    _put(root, "overviews/overviews/min-oversikt.md")
    (diag,) = misplaced_files(load_project(root))
    assert (diag.path, diag.code, diag.line, diag.column, diag.severity) == (
        "overviews/overviews/min-oversikt.md", "KOP180", 1, 1, "error")
    assert diag.message == ("overviews/overviews/min-oversikt.md ligger i en undermapp och läses aldrig: bara filer "
                            "direkt i overviews/ läses som översikter.")
    assert diag.hint.startswith("Flytta filen till overviews/min-oversikt.md.")
    assert "git mv overviews/overviews/min-oversikt.md overviews/min-oversikt.md" in diag.hint


@pytest.mark.parametrize(("name", "ending"), [
    ("ny.markdown", ".markdown"), ("ny.md.txt", ".md.txt"), ("ny.MD", ".MD"), ("ny.Md", ".Md"),
])
def test_a_wrong_ending_names_the_md_file(make_project, name: str, ending: str) -> None:
    root = make_project({})
    _put(root, f"overviews/{name}")
    (diag,) = misplaced_files(load_project(root))
    assert (diag.code, diag.line, diag.column) == ("KOP181", 1, 1)
    assert diag.message == (f"overviews/{name} slutar på '{ending}' och läses aldrig: bara filer som slutar på .md "
                            "(med små bokstäver) läses som översikter.")
    assert diag.hint.startswith("Byt namn på filen till overviews/ny.md.")


def test_seminars_are_checked_the_same_way(make_project) -> None:
    root = make_project({})
    _put(root, "seminars/host.markdown")
    _put(root, "seminars/2026/var.md")
    assert _found(root) == [("seminars/host.markdown", "KOP181", 1, 1), ("seminars/2026/var.md", "KOP180", 1, 1)]
    assert "läses som seminarier" in misplaced_files(load_project(root))[0].message
    assert "Flytta filen till seminars/var.md." in misplaced_files(load_project(root))[1].hint


def test_a_copy_next_to_the_real_file_says_that_the_real_file_exists(make_project) -> None:
    root = make_project({"a.md": VALID})
    _put(root, "overviews/overviews/a.md")
    (diag,) = misplaced_files(load_project(root))
    assert (diag.code, diag.path) == ("KOP182", "overviews/overviews/a.md")
    assert "och overviews/a.md finns redan" in diag.message
    assert diag.hint.startswith("Är overviews/overviews/a.md en gammal kopia: ta bort den.")


def test_templates_hidden_files_readme_and_other_files_are_left_alone(make_project) -> None:
    root = make_project({"a.md": VALID, "_mall.md": "mall"})
    for relative in ("overviews/_utkast.markdown", "overviews/.gomd.md.txt", "overviews/README.md",
                     "overviews/_arkiv/gammal.md", "overviews/.git/x.md", "overviews/bilder/figur.png",
                     "overviews/anteckningar.txt", "seminars/_mall.md", "seminars/readme.markdown"):
        _put(root, relative)
    assert _found(root) == []


def test_kop_check_fails_on_a_misplaced_overview(make_project, capsys) -> None:
    root = make_project({"a.md": VALID})
    _put(root, "overviews/overviews/ny.md", VALID.replace("kop-2024-001", "kop-2024-002"))
    _put(root, "overviews/tva.md.txt", VALID.replace("kop-2024-001", "kop-2024-003"))
    assert main(["--format", "text", "check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "overviews/overviews/ny.md:1:1: fel: overviews/overviews/ny.md ligger i en undermapp" in err
    assert "[KOP180]" in err and "→ Flytta filen till overviews/ny.md." in err
    assert "overviews/tva.md.txt:1:1: fel: overviews/tva.md.txt slutar på '.md.txt'" in err and "[KOP181]" in err


def test_kop_check_fails_on_a_stray_copy_of_an_overview(make_project, capsys) -> None:
    root = make_project({"a.md": VALID})
    _put(root, "overviews/a.MD.txt", VALID)
    assert main(["--format", "text", "check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert ("overviews/a.MD.txt:1:1: fel: overviews/a.MD.txt läses aldrig (overviews/ läser bara filer direkt i "
            "mappen som slutar på .md), och overviews/a.md finns redan. [KOP182]") in err
