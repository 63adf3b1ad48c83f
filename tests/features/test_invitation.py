"""Invitations for the demonstration seminar, checked against golden files.

The golden files are tests/golden/invitation-samverkan-i-valfarden-exempel.{txt,md,html}:
the output of ``kop inbjudan samverkan-i-valfarden-exempel`` for the repository's real
content. After an intended change, refresh them with
``KOP_UPDATE_GOLDEN=1 .venv/bin/pytest tests/features/test_invitation.py`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kop.cli.main import main
from tests.conftest import REPO
from tests.linksite import (
    HOSTILE_TITLE,
    link_site_fixture,  # noqa: F401  (session fixture)
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
DEMO = "samverkan-i-valfarden-exempel"
SUFFIX = {"text": "txt", "markdown": "md", "html": "html"}


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_demonstration_invitation_matches_golden_file(fmt, capsys):
    assert main(["inbjudan", DEMO, "--root", str(REPO), "--format", fmt]) == 0
    actual = capsys.readouterr().out
    golden = GOLDEN / f"invitation-{DEMO}.{SUFFIX[fmt]}"
    if os.environ.get("KOP_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_text_invitation_has_permanent_links_and_says_it_is_an_example(capsys):
    assert main(["inbjudan", DEMO, "--root", str(REPO)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("OBS! Detta är ett demonstrationsexempel, inte ett riktigt seminarium.")
    assert "seminarieserien ”Det socialt hållbara välfärdssamhället”" in text
    for oid in ("kop-2024-001", "kop-2024-002", "kop-2024-003"):
        assert f"https://kop.example.org/k/{oid}/" in text
    assert "https://kop.example.org/seminarier/samverkan-i-valfarden-exempel/" in text
    assert "<" not in text  # plain text for e-mail, no markup


def test_html_invitation_escapes_every_value(link_site, capsys):
    assert main(["inbjudan", "kommande-seminarium", "--root", str(link_site), "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert "<script>" not in html
    page = BeautifulSoup(html, "html.parser")
    titles = [a.get_text() for a in page.select("li a[href*='/k/']")]
    assert titles == ["Exempel: Testöversikt om samverkan", "Exempel: " + HOSTILE_TITLE]  # example overviews


def test_unknown_seminar_is_a_usage_error_with_a_suggestion(capsys):
    assert main(["inbjudan", "samverkan-i-valfarden", "--root", str(REPO)]) == 2
    assert "Menade du 'samverkan-i-valfarden-exempel'?" in capsys.readouterr().err


def test_invalid_seminar_gives_no_invitation(tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(REPO / "overviews", root / "overviews")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "seminars").mkdir()
    text = (REPO / "seminars" / f"{DEMO}.md").read_text(encoding="utf-8").replace('end: "13:00"', 'end: "10:00"')
    (root / "seminars" / f"{DEMO}.md").write_text(text, encoding="utf-8")
    assert main(["inbjudan", DEMO, "--root", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"seminars/{DEMO}.md:7:1: fel: Seminariet slutar (10:00) innan det börjar (11:30). [KOP503]" in captured.err


@pytest.mark.slow
def test_invitation_page_and_files_match_the_command(link_site, capsys):
    folder = link_site / "site" / "seminarier" / "kommande-seminarium"
    assert main(["inbjudan", "kommande-seminarium", "--root", str(link_site)]) == 0
    text = capsys.readouterr().out
    assert (folder / "inbjudan.txt").read_text(encoding="utf-8") == text
    page = BeautifulSoup((folder / "inbjudan" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("#kop-invitation-text").get_text() == text
    assert page.select_one("#kop-invitation-markdown").get_text().startswith("# Inbjudan: Testseminarium om samverkan")
    for href in ("../qr.svg", "../qr.png", "../inbjudan.txt", "../inbjudan.html"):
        assert page.select_one(f"a[href='{href}']") is not None
        assert (folder / "inbjudan" / href).resolve().is_file()
    document = BeautifulSoup((folder / "inbjudan.html").read_text(encoding="utf-8"), "html.parser")
    assert document.html["lang"] == "sv" and document.title.get_text() == "Inbjudan: Testseminarium om samverkan"


def test_invitation_names_speakers_and_the_contact_person(link_site, capsys):
    assert main(["inbjudan", "kommande-seminarium", "--root", str(link_site)]) == 0
    text = capsys.readouterr().out
    assert "Medverkande: Anna Andersson (forskare, Testhögskolan) och Bertil Berg" in text
    assert "Kontakt:     Cecilia Carlsson, cecilia@example.org, 031-12 34 56" in text
    assert main(["inbjudan", "kommande-seminarium", "--root", str(link_site), "--format", "html"]) == 0
    page = BeautifulSoup(capsys.readouterr().out, "html.parser")
    labels = [dt.get_text() for dt in page.select("dt")] or page.get_text()
    assert "Medverkande" in labels and "Kontakt" in labels


def test_the_command_offers_the_formats_the_invitation_has() -> None:
    """`kop inbjudan --format` lists its choices without importing the seminar code (a fast `kop --help`)."""
    from kop.cli import cmd_inbjudan
    from kop.features.seminars import invitation

    assert cmd_inbjudan.FORMATS == invitation.FORMATS
