"""``kop status`` from the command line: what needs updating, and a file with errors named first."""

from __future__ import annotations

import shutil
from pathlib import Path

from kop.cli.main import main

REPO = Path(__file__).resolve().parents[2]


def _shipped(make_project) -> Path:
    root = make_project({}, bib=REPO / "references.bib")
    for source in (REPO / "overviews").glob("*.md"):
        shutil.copy(source, root / "overviews" / source.name)
    return root


def test_status_lists_an_overview_with_an_old_search(make_project, capsys) -> None:
    root = _shipped(make_project)
    target = root / "overviews" / "samverkansmodeller-arbetslivsinriktad-rehabilitering.md"
    text = target.read_text(encoding="utf-8")
    assert "status: publicerad" in text and "\nsearch:\n" in text
    target.write_text(text.replace("\nsearch:\n", "\nsearch:\n  date: 2001-01-01\n", 1), encoding="utf-8")
    assert main(["status", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "Gammal litteratursökning (1):" in out
    assert target.name in out


def test_status_on_a_clean_project_says_nothing_to_do(make_project, capsys) -> None:
    root = _shipped(make_project)
    assert main(["status", "--root", str(root)]) == 0
    assert "Inga översikter behöver åtgärdas just nu." in capsys.readouterr().out


def test_status_names_errors_and_fails(make_project, capsys) -> None:
    root = _shipped(make_project)
    (root / "overviews" / "trasig.md").write_text("---\ntitle: [oavslutad\n---\n", encoding="utf-8")
    assert main(["--format", "text", "status", "--root", str(root)]) == 1
    captured = capsys.readouterr()
    assert "trasig.md" in captured.err and "Traceback" not in captured.err
    assert "bara filerna utan fel" in captured.err
