"""Word's typographic quotes around a field value: one message at the quote, and the entry still loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kop.bib.delimiters import MAX_FOUND, MAX_VALUE_SCAN, typographic_delimiters
from kop.bib.load import load_bibliography
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
ENTRY = """@book{mattessich2001collaboration,
  author = {Mattessich, Paul W. and Murray-Close, Marta and Monsey, Barbara R.},
  title = {Collaboration: What makes it work},
  edition = {2},
  publisher = {Amherst H. Wilder Foundation},
  year = {2001}
}

@misc{later2020,
  title = {Later},
  author = {After, Anna},
  year = {2020},
  nosuchfield = {x}
}
"""


def load(text: str):
    return load_bibliography("references.bib", text=text, display="references.bib")


def codes(diags) -> list[str]:
    return [d.code for d in diags if d.severity == "error"]


def test_a_title_with_a_comma_in_word_quotes_is_one_message_at_the_quote_and_the_entry_loads() -> None:
    text = ENTRY.replace("  title = {Collaboration: What makes it work},",
                         "  title = ”Collaboration, what makes it work”,")
    refs, diags = load(text)
    (diag,) = [d for d in diags if d.severity == "error"]
    assert (diag.code, diag.line, diag.column) == ("KOP218", 3, 11)
    assert diag.message == ("Värdet i fältet 'title' i posten 'mattessich2001collaboration' står inom det "
                            "typografiska citattecknet ”, som BibTeX inte räknar som citattecken.")
    assert diag.hint.startswith("Skriv värdet inom klamrar i stället: title = {Collaboration, what makes it work}.")
    assert refs["mattessich2001collaboration"].fields["title"] == "Collaboration, what makes it work"
    assert refs["mattessich2001collaboration"].fields["edition"] == "2"  # the fields after it are read too
    assert set(refs) == {"mattessich2001collaboration", "later2020"}


def test_every_kind_of_word_quote_and_the_last_field_and_later_lines_stay_right() -> None:
    baseline = {(d.code, d.line, d.column) for d in load(ENTRY)[1]}
    text = (ENTRY.replace("{Mattessich, Paul W. and Murray-Close, Marta and Monsey, Barbara R.}",
                          "“Mattessich, Paul W. and Murray-Close, Marta and Monsey, Barbara R.”")
            .replace("{Amherst H. Wilder Foundation}", "„Amherst H. Wilder Foundation“")
            .replace("  year = {2001}\n", "  year = »2001«\n")
            .replace("  title = {Later},", "  title = ’Later’,"))
    refs, diags = load(text)
    found = [(d.code, d.line, d.column) for d in diags if d.code == "KOP218"]
    assert found == [("KOP218", 2, 12), ("KOP218", 5, 15), ("KOP218", 6, 10), ("KOP218", 10, 11)]
    names = [d.message.split(" står inom ")[1].split(",")[0] for d in diags if d.code == "KOP218"]
    assert names == ["det typografiska citattecknet “", "det nedsänkta citattecknet „", "vinkelcitattecknet »",
                     "den typografiska apostrofen ’"]
    assert {(c, line, col) for c, line, col in ((d.code, d.line, d.column) for d in diags)
            if c != "KOP218"} == baseline  # the other messages keep their lines and columns
    entry = refs["mattessich2001collaboration"].fields
    assert entry["author"].startswith("Mattessich, Paul W.") and entry["year"] == "2001"
    assert entry["publisher"] == "Amherst H. Wilder Foundation"
    assert refs["later2020"].fields["title"] == "Later"


@pytest.mark.parametrize("value", [
    "{Barnets ”röst” i utredningen}",  # inside braces: text
    '"Barnets ”röst” i utredningen"',  # inside straight quotes: text
    "{Hon sa: title = ”nej”, och gick}",  # looks like a field, but is inside a value
])
def test_quotes_inside_a_value_are_text(value: str) -> None:
    refs, diags = load(ENTRY.replace("{Collaboration: What makes it work}", value))
    assert "KOP218" not in codes(diags) and not codes(diags)
    assert "”" in refs["mattessich2001collaboration"].fields["title"]


def test_a_percent_inside_word_quotes_is_text_and_a_comment_line_is_not_a_field() -> None:
    text = ENTRY.replace("  title = {Collaboration: What makes it work},",
                         "  % title = ”En gammal titel”,\n  title = ”50% av fallen”,")
    refs, diags = load(text)
    assert [(d.code, d.line) for d in diags if d.severity == "error"] == [("KOP218", 4)]
    assert refs["mattessich2001collaboration"].fields["title"] == "50% av fallen"


def test_without_a_closing_quote_the_message_is_still_at_the_opening_one() -> None:
    text = ENTRY.replace("  title = {Collaboration: What makes it work},",
                         "  title = ”Collaboration: What makes it work")
    _, diags = load(text)
    first = next(d for d in diags if d.severity == "error")
    assert (first.code, first.line, first.column) == ("KOP218", 3, 11)
    assert "title = {…}" in first.hint


def test_the_file_is_not_changed(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    data = ENTRY.replace("{Collaboration: What makes it work}", "”Collaboration, what makes it work”").encode()
    path.write_bytes(data)
    refs, _ = load_bibliography(path, display="references.bib")
    assert path.read_bytes() == data and "mattessich2001collaboration" in refs


def test_same_length_and_bounded() -> None:
    text = "@misc{a,\n  title = ”" + "x" * (MAX_VALUE_SCAN + 10) + "”,\n}\n"
    out, found = typographic_delimiters(text)
    assert len(found) == 1 and found[0].value is None and out == text  # too far to look: reported, not changed
    text = ENTRY.replace("{Collaboration: What makes it work}", "”Ett, två”")
    out, _ = typographic_delimiters(text)
    assert len(out) == len(text) and out.count("\n") == text.count("\n")
    assert typographic_delimiters(ENTRY) == (ENTRY, [])
    hostile = "@misc{a,\n" + "  f = ”x\n" * 50_000 + "}\n"  # no closing quotes, one block
    out, found = typographic_delimiters(hostile)
    assert len(found) == MAX_FOUND and out == hostile


def test_the_projects_bibliographies_have_none() -> None:
    for path in [ROOT / "references.bib", *sorted((FIXTURES / "bib").rglob("*.bib"))]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert typographic_delimiters(text)[1] == [], path


def test_a_broken_entry_prints_nothing_from_the_parser_itself(tmp_path: Path) -> None:
    """bibtexparser's own English log line used to reach the author's terminal on a first load."""
    path = tmp_path / "references.bib"
    path.write_text(ENTRY.replace("  edition = {2},", "  edition {2},"), encoding="utf-8")
    code = ("import sys; from pathlib import Path; from kop.bib.load import load_bibliography; "
            "refs, diags = load_bibliography(Path(sys.argv[1]), display='references.bib'); "
            "print(sorted(d.code for d in diags))")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})
    assert "KOP231" in proc.stdout
    assert proc.stderr == ""


def test_a_string_definition_in_word_quotes_names_no_entry_and_the_macro_works() -> None:
    journal = ENTRY.replace("  year = {2001}\n", "  year = {2001},\n  journal = jn\n")
    text = "@string{jn = ”Nordisk tidskrift”}\n" + journal
    refs, diags = load(text)
    (diag,) = [d for d in diags if d.code == "KOP218"]
    assert (diag.line, diag.column) == (1, 14) and "i posten" not in diag.message
    assert refs["mattessich2001collaboration"].fields["journal"] == "Nordisk tidskrift"
