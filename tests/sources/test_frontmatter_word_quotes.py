"""Word's typographic quotes in front matter: one clear message (KOP117/KOP118) at the quote, with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.cli.main import main
from kop.sources.frontmatter import decode_text, split_front_matter
from tests.conftest import FIXTURES

VALID = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")


def fm(text: str):
    return split_front_matter(decode_text(text.encode("utf-8"), "x.md"))


def codes(result) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in result.diagnostics]


@pytest.mark.parametrize(("value", "char", "name"), [
    ("”Något”", "”", "det typografiska citattecknet ”"),
    ("“Något”", "“", "det typografiska citattecknet “"),
    ("„Något“", "„", "det nedsänkta citattecknet „"),
    ("»Något«", "»", "vinkelcitattecknet »"),
    ("’Något’", "’", "den typografiska apostrofen ’"),
    ("‘Något’", "‘", "den typografiska apostrofen ‘"),
    ("”Något\"", "”", "det typografiska citattecknet ”"),
])
def test_a_value_wrapped_in_word_quotes_gets_one_message_naming_the_character(value, char, name) -> None:
    result = fm(f"---\nid: kop-2024-001\ntitle: {value}\n---\n")
    (diag,) = result.diagnostics
    assert (diag.code, diag.line, diag.column, diag.severity) == ("KOP117", 3, 8, "error")
    assert diag.message == (f"Värdet för 'title' står inom {name}, som YAML inte räknar som citattecken: "
                            "tecknet skulle bli en del av värdet.")
    assert diag.hint.startswith('Skriv raka citattecken i stället: title: "Något" (eller inga citattecken alls).')
    assert result.meta["title"] == "Något"  # the other checks judge what the author meant


def test_list_items_and_nested_fields_are_named_as_the_schema_names_them() -> None:
    result = fm("---\nkeywords:\n  - samverkan\n  - ”barn och unga”\nauthors:\n  - name: ”A B”\n---\n")
    assert codes(result) == [("KOP117", 4, 5), ("KOP117", 6, 11)]
    first, second = result.diagnostics
    assert "'keywords[2]'" in first.message and 'i stället: - "barn och unga" (' in first.hint
    assert "'authors[1].name'" in second.message and 'i stället: name: "A B" (' in second.hint


@pytest.mark.parametrize("text", [
    'title: Barnets ”röst” i utredningen',  # quotes inside the text are text
    'title: "”Vi och dom”"',  # inside straight quotes: what the author asked for
    "title: 'Barnets ”röst”'",
    "title: Barn’s röst",
    "title: ”",  # a single character is not a wrapped value
])
def test_typographic_quotes_inside_a_value_are_fine(text: str) -> None:
    assert fm(f"---\n{text}\n---\n").diagnostics == []


def test_a_yaml_error_caused_by_a_word_quote_names_it_at_its_column() -> None:
    result = fm("---\nid: kop-2024-001\ntitle: ”Samverkan: en översikt”\n---\n")
    (diag,) = result.diagnostics
    assert (diag.code, diag.line, diag.column) == ("KOP118", 3, 8)
    assert diag.message == ("Fel i YAML-syntaxen på grund av det typografiska citattecknet ” i kolumn 8: YAML "
                            "räknar det inte som ett citattecken, så texten efter det läses som YAML.")
    assert diag.hint.startswith('Sätt raka citattecken (") runt hela värdet, till exempel '
                                'title: "Samverkan: en översikt".')
    assert "KOP105" not in {d.code for d in result.diagnostics}


def test_a_straight_quote_closed_by_a_word_quote_points_at_the_word_quote() -> None:
    result = fm('---\nid: kop-2024-001\ntitle: "Samverkan”\nsummary: Text\n---\n')
    (diag,) = result.diagnostics
    assert (diag.code, diag.line, diag.column) == ("KOP118", 3, 18)
    assert "det typografiska citattecknet ” i kolumn 18" in diag.message


def test_a_yaml_error_without_word_quotes_keeps_its_old_message() -> None:
    (diag,) = fm("---\ntitle: Samverkan: en översikt\n---\n").diagnostics
    assert diag.code == "KOP105"


def _project(make_project, text: str) -> Path:
    return make_project({"oversikt.md": text})


def test_kop_check_reports_word_quotes_once_instead_of_date_and_format_errors(make_project, capsys) -> None:
    text = VALID.replace('published: "2024-03-15"', "published: ”2024-03-15”")
    text = text.replace("title: Testöversikt om samverkan", "title: ”Testöversikt om samverkan”")
    line = text.splitlines().index("published: ”2024-03-15”") + 1
    root = _project(make_project, text)
    assert main(["--format", "text", "check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert (f"overviews/oversikt.md:{line}:12: fel: Värdet för 'published' står inom det typografiska "
            "citattecknet ”") in err
    assert "overviews/oversikt.md:3:8: fel: Värdet för 'title' står inom det typografiska citattecknet ”" in err
    assert "[KOP116]" not in err and "[KOP114]" not in err and "[KOP105]" not in err
    assert err.count("[KOP117]") == 2 and "Traceback" not in err


def test_kop_check_reports_the_yaml_error_of_a_word_quote(make_project, capsys) -> None:
    text = VALID.replace("title: Testöversikt om samverkan", "title: ”Testöversikt: om samverkan”")
    root = _project(make_project, text)
    assert main(["--format", "text", "check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "overviews/oversikt.md:3:8: fel: Fel i YAML-syntaxen på grund av det typografiska citattecknet ”" in err
    assert "[KOP118]" in err and "[KOP105]" not in err


def test_the_hint_also_says_how_to_keep_the_quotes_in_the_text() -> None:
    (diag,) = fm("---\ntitle: ”Vi vill bli lyssnade på”\n---\n").diagnostics
    assert 'Ska citattecknen synas i texten: title: "”Vi vill bli lyssnade på”".' in diag.hint


def test_seminars_get_the_same_message(make_project, capsys) -> None:
    root = make_project({"oversikt.md": VALID})
    (root / "seminars").mkdir()
    text = (FIXTURES / "seminars" / "kommande-seminarium.md").read_text(encoding="utf-8")
    (root / "seminars" / "sem.md").write_text(text.replace('date: "2027-09-24"', "date: ”2027-09-24”"),
                                              encoding="utf-8")
    assert main(["--format", "text", "check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "seminars/sem.md:4:7: fel: Värdet för 'date' står inom det typografiska citattecknet ”" in err
    assert err.count("[KOP117]") == 1
    assert "seminars/sem.md:4:" not in err.replace("seminars/sem.md:4:7: fel: Värdet för 'date'", "")  # one message


def test_a_yaml_error_not_caused_by_the_quote_inside_the_text_keeps_its_old_message() -> None:
    (diag,) = fm("---\ntitle: Barnets ”röst”: en studie\n---\n").diagnostics
    assert diag.code == "KOP105"


def test_a_list_item_closed_by_a_word_quote_is_named_too() -> None:
    (diag,) = fm('---\nkeywords:\n  - "barn och unga”\n  - samverkan\n---\n').diagnostics
    assert (diag.code, diag.line, diag.column) == ("KOP118", 3, 19)
    assert diag.hint.startswith('Sätt raka citattecken (") runt hela värdet, till exempel "…".')
