"""Zotero exports: Title Case titles get a sentence-case suggestion (KOP232); `file` paths are never kept (KOP233)."""

from __future__ import annotations

import json

import pytest

from kop.bib.load import load_bibliography
from kop.bib.titlecase import is_english, title_case_suggestion
from kop.cli.main import main
from tests.conftest import FIXTURES

VALID = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")
GOOD = (FIXTURES / "project" / "references.bib").read_text(encoding="utf-8")
PATH = "C:\\\\Users\\\\anna\\\\Zotero\\\\storage\\\\ABCD1234\\\\Ahgren - 2011.pdf"


def load(text: str):
    return load_bibliography("references.bib", text=text, display="references.bib")


def entry(title: str, extra: str = "") -> str:
    return (f"@article{{k,\n  author = {{Doe, Jane}},\n  title = {{{title}}},\n  journal = {{J}},\n"
            f"  year = {{2020}},{extra}\n}}\n")


@pytest.mark.parametrize(("title", "suggestion"), [
    ("Evidence-Based Practice in Social Work", "Evidence-based practice in social work"),
    ("Integrated Care in {Sweden}: A Decade of Reform", "Integrated care in {Sweden}: A decade of reform"),
    ("Children's Rights and the {UN} Convention", "Children's rights and the {UN} convention"),
    ("Treatment of ADHD Among Young Adults", "Treatment of ADHD among young adults"),
    ("The Role of McDonald Trust in \\emph{Norway} Today", "The role of McDonald trust in \\emph{Norway} today"),
])
def test_title_case_gets_a_sentence_case_suggestion_with_protected_words_kept(title: str, suggestion: str) -> None:
    assert title_case_suggestion(title) == suggestion


@pytest.mark.parametrize("title", [
    "A decade of integration and collaboration: the development of integrated health care in Sweden 2000--2010",
    "Attention is all you need",
    "{The Oxford Handbook of Public Policy}",
    "ADHD",
    "Social Work",  # too short to tell
])
def test_sentence_case_and_protected_titles_are_left_alone(title: str) -> None:
    assert title_case_suggestion(title) is None


@pytest.mark.parametrize(("fields", "english"), [
    ({"title": "X", "langid": "english"}, True),
    ({"title": "X", "language": "en-US"}, True),
    ({"title": "Care of the Elderly", "langid": "swedish"}, False),
    ({"title": "Care of the Elderly"}, True),
    ({"title": "Samverkan I Välfärdsstaten"}, False),
    ({"title": "Samverkan Mellan Myndigheter"}, False),  # no English word: not judged
])
def test_which_entries_are_english(fields: dict[str, str], english: bool) -> None:
    assert is_english(fields) is english


def test_a_title_case_title_is_a_warning_at_the_title_line() -> None:
    _, diags = load(entry("Integrated Care in {Sweden}: A Decade of Reform", "\n  langid = {english},"))
    (diag,) = diags
    assert (diag.code, diag.line, diag.column, diag.severity) == ("KOP232", 3, 0, "warning")
    assert diag.message.startswith("Titeln i posten 'k' verkar vara skriven med stor bokstav i varje ord")
    assert diag.hint.startswith("Skriv till exempel title = {Integrated care in {Sweden}: A decade of reform}.")
    assert "{Sweden}" in diag.hint and "Meningsskiftläge" in diag.hint


def test_a_swedish_entry_in_title_case_is_not_judged() -> None:
    assert load(entry("Vård Och Omsorg Of The Elderly", "\n  langid = {swedish},"))[1] == []


def test_file_fields_are_dropped_with_one_warning_at_the_first() -> None:
    text = GOOD.replace("  doi = {10.5334/ijic.566}\n",
                        f"  doi = {{10.5334/ijic.566}},\n  file = {{Full Text:{PATH}:application/pdf}}\n")
    text = text.replace("  langid = {swedish}\n", "  langid = {swedish},\n  file = {/home/anna/Zotero/b.pdf}\n")
    refs, diags = load(text)
    (diag,) = diags
    assert (diag.code, diag.line, diag.column, diag.severity) == ("KOP233", 9, 0, "warning")
    assert diag.message == ("Posten 'ahgren2011decade' har ett file-fält med en sökväg på din dator. Det gäller 2 "
                            "poster i filen; alla file-fält hoppas över.")
    assert "ta bort dem" in diag.hint and "Better BibTeX" in diag.hint
    for ref in refs.values():
        assert "file" not in ref.fields
        assert "Zotero" not in json.dumps(ref.csl) and "Zotero" not in json.dumps(ref.fields)


def test_kop_check_warns_and_the_built_site_never_shows_the_path(make_project, capsys) -> None:
    bib = GOOD.replace("  doi = {10.5334/ijic.566}\n",
                       "  doi = {10.5334/ijic.566},\n  file = {/Users/anna/Zotero/storage/HEMLIG/fil.pdf}\n")
    root = make_project({"oversikt.md": VALID}, bib=bib)
    assert main(["--format", "text", "check", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert ("references.bib:9: varning: Posten 'ahgren2011decade' har ett file-fält med en sökväg på din dator. "
            "[KOP233]") in err
    assert main(["--format", "text", "build", "--root", str(root)]) == 0
    capsys.readouterr()
    for path in (root / "site").rglob("*"):
        if path.is_file():
            assert b"HEMLIG" not in path.read_bytes(), path


def test_kop_check_warns_about_title_case_and_still_passes(make_project, capsys) -> None:
    bib = GOOD.replace("title = {A decade of integration and collaboration: the development of integrated health "
                       "care in Sweden 2000--2010}",
                       "title = {A Decade of Integration and Collaboration: The Development of Integrated Health "
                       "Care in {Sweden} 2000--2010}")
    root = make_project({"oversikt.md": VALID}, bib=bib)
    assert main(["--format", "text", "check", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert ("references.bib:3: varning: Titeln i posten 'ahgren2011decade' verkar vara skriven med stor bokstav i "
            "varje ord (Title Case).") in err
    assert ("→ Skriv till exempel title = {A decade of integration and collaboration: The development of "
            "integrated health care in {Sweden} 2000--2010}.") in err and "[KOP232]" in err
