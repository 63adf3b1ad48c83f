"""Root cause first: an unreadable entry is one message naming its keys, and its keys are not "unknown"."""

from __future__ import annotations

from kop.bib.load import load_bibliography, span_keys, unreadable_keys
from kop.cli.main import main
from tests.conftest import FIXTURES

VALID = (FIXTURES / "valid" / "testoversikt.md").read_text(encoding="utf-8")
GOOD = (FIXTURES / "project" / "references.bib").read_text(encoding="utf-8")
# danermark1999samverkan without its closing brace: bibtexparser skips it up to the next "@".
BROKEN = GOOD.replace("  langid = {swedish}\n}", "  langid = {swedish}\n") + (
    "\n@misc{senare2020,\n  title = {Senare},\n  author = {Efter, Anna},\n  year = {2020},\n}\n")


def load(text: str):
    return load_bibliography("references.bib", text=text, display="references.bib")


def test_a_missing_brace_is_one_message_at_the_entry_naming_its_key() -> None:
    refs, diags = load(GOOD.replace("  year = {2011},\n", "  year = {2011,\n"))
    (diag,) = [d for d in diags if d.severity == "error"]
    assert (diag.path, diag.code, diag.line, diag.column) == ("references.bib", "KOP231", 1, 0)
    assert diag.message == ("Posten på rad 1 kunde inte läsas: en ny post (@…) börjar innan den här är avslutad "
                            "(saknas en '}' eller ett '\"'?). Den innehåller nyckeln 'ahgren2011decade'.")
    assert diag.hint.startswith("Rätta posten: varje { ska ha en }, fälten skiljs åt med kommatecken")
    assert "'ahgren2011decade' fungerar igen när posten kan läsas" in diag.hint
    assert set(refs) == {"danermark1999samverkan"}
    assert unreadable_keys(diags) == {"ahgren2011decade"}


def test_a_span_that_swallows_several_entries_names_every_key() -> None:
    text = ("@article{a, title = {A}, year = {2020} @article{b, title = {B}, year = {2021}}\n"
            "@misc{c, title = {C}, year = {2022}}\n")
    refs, diags = load(text)
    (diag,) = [d for d in diags if d.code == "KOP231"]
    assert diag.line == 1 and diag.message.endswith("Den innehåller nycklarna 'a' och 'b'.")
    assert unreadable_keys(diags) == {"a", "b"} and set(refs) == {"c"}


def test_keys_in_a_span_skip_strings_and_comments_and_are_listed_once() -> None:
    raw = "@string{x = {y}} @article{a, t={1}} @comment{b, x} @article{a, t={2}} @book{c,"
    assert span_keys(raw) == ["a", "c"]


def test_a_block_without_a_key_keeps_the_old_message() -> None:
    _, diags = load("@string{x = \n@misc{k, title={T}, year={2020}}\n")
    assert "KOP231" not in {d.code for d in diags}
    assert unreadable_keys(diags) == set()


def test_kop_check_reports_the_broken_entry_and_not_its_citations(make_project, capsys) -> None:
    root = make_project({"oversikt.md": VALID}, bib=BROKEN)
    assert main(["--format", "text", "check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    line = BROKEN.splitlines().index("@book{danermark1999samverkan,") + 1
    assert (f"references.bib:{line}: fel: Posten på rad {line} kunde inte läsas: en ny post (@…) börjar innan "
            "den här är avslutad") in err
    assert "Den innehåller nyckeln 'danermark1999samverkan'. [KOP231]" in err
    assert "[KOP301]" not in err  # the citation of the key in the broken entry is not "unknown"
    assert "[KOP129]" not in err  # nor the finding that names it
    assert "Traceback" not in err


def test_a_key_that_is_really_missing_is_still_reported(make_project, capsys) -> None:
    root = make_project({"oversikt.md": VALID.replace("[@danermark1999samverkan]", "[@saknas2020]")}, bib=BROKEN)
    assert main(["--format", "text", "check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "saknas2020" in err and "[KOP301]" in err and "[KOP231]" in err
