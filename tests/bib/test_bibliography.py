"""Tests for kop.bib: loading, validating and converting references.bib.

Fixtures live in tests/fixtures/bib/. valid.bib holds real works (plus one clearly
marked test entry for @mastersthesis); the error fixtures use invented "test-" keys.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kop.bib import latex, strings
from kop.bib import load as bibliography
from kop.bib.csl import to_csl
from kop.bib.doi import normalise_doi
from kop.bib.latex import decode_latex
from kop.bib.load import load_bibliography
from kop.bib.names import parse_names
from kop.core.catalogue import CATALOGUE
from kop.core.model import Diagnostic, Reference

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bib"


def load(name: str) -> tuple[dict[str, Reference], list[Diagnostic]]:
    return load_bibliography(FIXTURES / name)


def summary(diagnostics: list[Diagnostic]) -> list[tuple[str, int, str]]:
    return [(d.code, d.line, d.message) for d in diagnostics]


# ---------------------------------------------------------------------------
# The valid fixture
# ---------------------------------------------------------------------------


def test_valid_fixture_loads_without_diagnostics() -> None:
    refs, diagnostics = load("valid.bib")
    # four real titles there are in Zotero's Title Case: a sentence-case suggestion each, nothing else
    assert [d.code for d in diagnostics] == ["KOP232"] * 4
    assert list(refs) == [
        "ahgren2011",
        "danermark1999",
        "stahl2006",
        "march2006",
        "vaswani2017",
        "lofstrom2010",
        "test-masteruppsats",
        "socialstyrelsen2019",
        "marmot2010",
        "hsl2017",
        "pandocmanual",
    ]


def test_valid_fixture_entry_types_and_lines() -> None:
    refs, _ = load("valid.bib")
    assert {key: (ref.entry_type, ref.line) for key, ref in refs.items()} == {
        "ahgren2011": ("article", 7),
        "danermark1999": ("book", 18),
        "stahl2006": ("book", 27),
        "march2006": ("incollection", 35),
        "vaswani2017": ("inproceedings", 46),
        "lofstrom2010": ("phdthesis", 55),
        "test-masteruppsats": ("mastersthesis", 63),
        "socialstyrelsen2019": ("techreport", 70),
        "marmot2010": ("report", 79),
        "hsl2017": ("misc", 87),
        "pandocmanual": ("online", 94),
    }
    assert {key: ref.csl["type"] for key, ref in refs.items()} == {
        "ahgren2011": "article-journal",
        "danermark1999": "book",
        "stahl2006": "book",
        "march2006": "chapter",
        "vaswani2017": "paper-conference",
        "lofstrom2010": "thesis",
        "test-masteruppsats": "thesis",
        "socialstyrelsen2019": "report",
        "marmot2010": "report",
        "hsl2017": "document",
        "pandocmanual": "webpage",
    }


def test_latex_accents_are_decoded_exactly() -> None:
    refs, _ = load("valid.bib")
    assert refs["danermark1999"].fields["title"] == "Samverkan: välfärdsstatens nya arbetsform"  # {\"a}
    assert refs["lofstrom2010"].fields["author"] == "Löfström, Mikael"  # {\"o}
    assert refs["lofstrom2010"].fields["school"] == "Göteborgs universitet"
    assert (
        refs["socialstyrelsen2019"].fields["title"] == "Vård och omsorg om äldre: lägesrapport 2019"
    )  # {\aa}
    assert refs["hsl2017"].fields["title"] == "Hälso- och sjukvårdslag (2017:30)"  # \r{a}
    assert refs["ahgren2011"].fields["title"].endswith("in Sweden 2000–2010")  # -- and {Sweden}
    assert refs["march2006"].fields["pages"] == "689–708"
    assert refs["stahl2006"].csl["editor"][0] == {"family": "Ståhl", "given": "Timo"}
    assert refs["vaswani2017"].csl["author"][6] == {"family": "Kaiser", "given": "Łukasz"}  # {\L}


def test_fields_are_decoded_and_string_macros_resolved() -> None:
    refs, _ = load("valid.bib")
    assert refs["ahgren2011"].fields == {
        "title": "A decade of integration and collaboration: the development of integrated health care "
        "in Sweden 2000–2010",
        "author": "Ahgren, Bengt and Axelsson, Runo",
        "journal": "International Journal of Integrated Care",
        "volume": "11",
        "pages": "e007",
        "year": "2011",
        "doi": "10.5334/ijic.566",
        "langid": "english",
    }


def test_csl_for_article_exactly() -> None:
    refs, _ = load("valid.bib")
    assert refs["ahgren2011"].csl == {
        "id": "ahgren2011",
        "type": "article-journal",
        "title": "A decade of integration and collaboration: the development of integrated health care "
        'in <span class="nocase">Sweden</span> 2000–2010',
        "container-title": "International Journal of Integrated Care",
        "author": [{"family": "Ahgren", "given": "Bengt"}, {"family": "Axelsson", "given": "Runo"}],
        "volume": "11",
        "page": "e007",
        "DOI": "10.5334/ijic.566",
        "issued": {"date-parts": [[2011]]},
        "language": "en",
    }


def test_csl_for_book_exactly() -> None:
    refs, _ = load("valid.bib")
    assert refs["danermark1999"].csl == {
        "id": "danermark1999",
        "type": "book",
        "title": "Samverkan: välfärdsstatens nya arbetsform",
        "author": [{"family": "Danermark", "given": "Berth"}, {"family": "Kullberg", "given": "Christian"}],
        "publisher": "Studentlitteratur",
        "publisher-place": "Lund",
        "issued": {"date-parts": [[1999]]},
        "language": "sv",
    }


def test_csl_for_other_types() -> None:
    refs, _ = load("valid.bib")
    thesis = refs["lofstrom2010"].csl
    assert thesis["genre"] == "Doktorsavhandling"
    assert thesis["publisher"] == "Göteborgs universitet"
    assert refs["test-masteruppsats"].csl["genre"] == "Masteruppsats"
    chapter = refs["march2006"].csl
    assert chapter["container-title"] == 'The <span class="nocase">Oxford</span> Handbook of Public Policy'
    assert chapter["editor"][2] == {"family": "Goodin", "given": "Robert E."}
    assert chapter["page"] == "689–708"
    report = refs["socialstyrelsen2019"].csl
    assert report["author"] == [{"literal": "Socialstyrelsen"}]
    assert report["publisher"] == "Socialstyrelsen"
    marmot = refs["marmot2010"].csl
    assert marmot["issued"] == {"date-parts": [[2010, 2, 11]]}
    assert marmot["publisher-place"] == "London"
    online = refs["pandocmanual"].csl
    assert online["URL"] == "https://pandoc.org/MANUAL.html"
    assert online["accessed"] == {"date-parts": [[2024, 5, 2]]}
    assert "issued" not in online


# ---------------------------------------------------------------------------
# Error fixtures: exact code, message and 1-based line
# ---------------------------------------------------------------------------


def test_unparsable_block_is_reported_and_the_next_entry_still_loads() -> None:
    refs, diagnostics = load("unparsable.bib")
    assert summary(diagnostics) == [
        (
            "KOP231",
            2,
            "Posten på rad 2 kunde inte läsas: en ny post (@…) börjar innan den här är avslutad (saknas en '}' "
            "eller ett '\"'?). Den innehåller nyckeln 'test-oavslutad'.",
        )
    ]
    assert list(refs) == ["test-efter"]
    assert diagnostics[0].path == str(FIXTURES / "unparsable.bib")


def test_duplicate_key_names_both_lines_and_keeps_the_first() -> None:
    refs, diagnostics = load("duplicate_key.bib")
    assert summary(diagnostics) == [
        ("KOP202", 7, "Dubblett: nyckeln 'test-dubblett' finns redan på rad 2."),
    ]
    assert refs["test-dubblett"].fields["title"] == "Första posten"


def test_duplicate_field_points_at_the_second_field() -> None:
    refs, diagnostics = load("duplicate_field.bib")
    assert summary(diagnostics) == [
        (
            "KOP203",
            5,
            "Fältet 'title' förekommer flera gånger i posten 'test-dubbelfalt' (första gången på rad 3).",
        ),
    ]
    assert refs["test-dubbelfalt"].fields["title"] == "Första titeln"


def test_missing_required_fields_per_entry_type() -> None:
    _, diagnostics = load("missing_fields.bib")
    assert summary(diagnostics) == [
        ("KOP204", 2, "Posten 'test-artikel' (@article) saknar obligatoriska fält: author, journal."),
        # line 3, a @book without author or editor, is accepted: APA 7 lists it by its title
        (
            "KOP204",
            4,
            "Posten 'test-kapitel' (@incollection) saknar obligatoriska fält: booktitle, publisher.",
        ),
        ("KOP204", 5, "Posten 'test-konferens' (@inproceedings) saknar obligatoriska fält: booktitle, year."),
        ("KOP204", 6, "Posten 'test-avhandling' (@phdthesis) saknar obligatoriska fält: school."),
        ("KOP204", 7, "Posten 'test-rapport' (@techreport) saknar obligatoriska fält: author."),
        # line 8, @misc without a date, is accepted: APA 7 cites it "(u.å.)" (a slide deck, a leaflet)
        ("KOP204", 9, "Posten 'test-webb' (@online) saknar obligatoriska fält: title."),
    ]
    assert all(d.severity == "error" for d in diagnostics)


def test_unknown_entry_type_is_a_warning_with_a_suggestion() -> None:
    refs, diagnostics = load("unknown_type.bib")
    assert summary(diagnostics) == [
        ("KOP205", 2, "Posttypen '@artikel' i posten 'test-typ' är okänd. Menade du 'article'?"),
    ]
    assert diagnostics[0].severity == "warning"
    assert refs["test-typ"].csl["type"] == "document"


def test_invalid_year_and_date_point_at_the_field_line() -> None:
    refs, diagnostics = load("bad_dates.bib")
    assert summary(diagnostics) == [
        (
            "KOP206",
            4,
            "Fältet 'year' i posten 'test-artal' har värdet 'ca. 2020', som inte är ett giltigt årtal "
            "eller datum.",
        ),
        (
            "KOP206",
            8,
            "Fältet 'date' i posten 'test-datum' har värdet '2011-13-01', som inte är ett giltigt årtal "
            "eller datum.",
        ),
    ]
    assert diagnostics[0].hint == (
        "Skriv året med fyra siffror, t.ex. year = {2011}, eller datumet som date = {2011-11-18}."
    )
    assert refs["test-biblatex-datum"].csl["issued"] == {"date-parts": [[2011, 11, 18]]}


def test_invalid_doi_tells_how_to_write_it() -> None:
    refs, diagnostics = load("bad_doi.bib")
    assert summary(diagnostics) == [
        ("KOP207", 5, "DOI:n 'doi.org/ijic.566' i posten 'test-doi' har fel form."),
    ]
    assert "skriv 10.xxxx/…" in diagnostics[0].hint
    assert "DOI" not in refs["test-doi"].csl
    assert refs["test-doi-lank"].csl["DOI"] == "10.5334/ijic.566"


def test_keys_pandoc_cannot_cite_and_missing_keys() -> None:
    refs, diagnostics = load("bad_keys.bib")
    assert summary(diagnostics) == [
        ("KOP209", 2, "Nyckeln 'test nyckel' kan inte citeras i Markdown: den innehåller mellanslag."),
        (
            "KOP209",
            6,
            "Nyckeln 'test-slut-' kan inte citeras i Markdown: den börjar eller slutar med ett skiljetecken.",
        ),
        ("KOP211", 14, "Posten (@misc) saknar nyckel."),
    ]
    assert [d.severity for d in diagnostics] == ["warning", "warning", "error"]
    assert "test:ok/2020" in refs


def test_string_definitions_concatenation_and_value_errors() -> None:
    refs, diagnostics = load("strings.bib")
    assert summary(diagnostics) == [
        (
            "KOP212",
            3,
            "Värdet i @string-definitionen 'a' kan inte tolkas: 'b' är inte definierat med @string "
            "(står texten utan klamrar?).",
        ),
        (
            "KOP212",
            4,
            "Värdet i @string-definitionen 'b' kan inte tolkas: 'a' är inte definierat med @string "
            "(står texten utan klamrar?).",
        ),
        (
            "KOP212",
            12,
            "Värdet i fältet 'title' i posten 'test-utan-klamrar' kan inte tolkas: 'Samverkan' är inte "
            "definierat med @string (står texten utan klamrar?).",
        ),
        (
            "KOP215",
            15,
            "Texten 'misc{test-utan-snabel-a, title = {Glömt…' står utanför en post och ignoreras.",
        ),
    ]
    fields = refs["test-strang"].fields
    assert fields["title"] == "Del ett och del två"
    assert fields["publisher"] == "Testförlaget"
    assert fields["month"] == "March"
    assert refs["test-strang"].csl["issued"] == {"date-parts": [[2020, 3]]}
    # The unreadable title is reported once (KOP212), not also as a missing field.
    assert "title" not in refs["test-utan-klamrar"].fields


def test_latin1_file_gives_the_utf8_error_with_line_and_still_reads() -> None:
    refs, diagnostics = load("latin1.bib")
    assert summary(diagnostics) == [
        ("KOP208", 3, "Filen är inte sparad som UTF-8: första ogiltiga byte (0xE4) finns på rad 3."),
    ]
    assert diagnostics[0].column == 28  # '  title = {Samverkan och gr' is 27 characters
    assert "Spara filen som UTF-8" in diagnostics[0].hint
    assert refs["lofstrom2010"].fields["author"] == "Löfström, Mikael"


def test_bom_and_crlf_file_loads() -> None:
    raw = (FIXTURES / "bom_crlf.bib").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    refs, diagnostics = load("bom_crlf.bib")
    assert diagnostics == []
    ref = refs["danermark1999"]
    assert ref.line == 2
    assert ref.fields["title"] == "Samverkan: välfärdsstatens nya arbetsform"
    assert all("\r" not in value for value in ref.fields.values())


def test_missing_file_is_a_diagnostic(tmp_path: Path) -> None:
    refs, diagnostics = load_bibliography(tmp_path / "saknas.bib")
    assert refs == {}
    assert summary(diagnostics) == [("KOP213", 0, "Referensfilen kan inte läsas: filen finns inte.")]


def test_text_argument_replaces_reading_the_file() -> None:
    text = "@misc{test-text,\n  title = {Från text},\n  year = {2020},\n}\n"
    refs, diagnostics = load_bibliography(Path("finns-inte.bib"), text)
    assert diagnostics == []
    assert refs["test-text"].fields["title"] == "Från text"


def test_field_line_counts_multiline_values() -> None:
    text = (
        "@misc{test-rader,\n"
        "  title = {En titel\n"
        "           över två rader},\n"
        "  doi = {inte en doi},\n"
        "  year = {2020},\n"
        "}\n"
    )
    refs, diagnostics = load_bibliography(Path("x.bib"), text)
    assert [(d.code, d.line) for d in diagnostics] == [("KOP207", 4)]
    assert refs["test-rader"].fields["title"] == "En titel över två rader"


def test_unexpected_failure_in_one_entry_becomes_a_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    from kop.bib import csl

    original = csl.csl_item

    def explode(key: str, *args: object) -> dict[str, object]:
        if key == "test-trasig":
            raise RuntimeError("boom")
        return original(key, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(csl, "csl_item", explode)  # the loader imports it when it reads a file
    text = "@misc{test-trasig, title = {A}, year = {2020}}\n@misc{test-hel, title = {B}, year = {2020}}\n"
    refs, diagnostics = load_bibliography(Path("x.bib"), text)
    assert list(refs) == ["test-hel"]
    assert summary(diagnostics) == [
        ("KOP214", 1, "Ett oväntat fel inträffade när posten 'test-trasig' lästes: RuntimeError: boom."),
    ]


def test_parser_crash_falls_back_to_parsing_entry_by_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    real_parse = bibtexparser.parse_string

    def fragile(text: str, **kwargs: object) -> object:
        if "test-kraschar" in text:
            raise RuntimeError("parser bug")
        return real_parse(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bibtexparser, "parse_string", fragile)
    text = (
        "@misc{test-fore, title = {A}, year = {2020}}\n"
        "@misc{test-kraschar, title = {B}, year = {2020}}\n"
        "@misc{test-efter, title = {C}, year = {2020}}\n"
    )
    refs, diagnostics = load_bibliography(Path("x.bib"), text)
    assert list(refs) == ["test-fore", "test-efter"]
    assert [(d.code, d.line) for d in diagnostics] == [("KOP214", 2)]


def test_string_concatenation_bomb_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    # Work bound instead of a time limit: count the characters that value evaluation
    # produces. Without the length guard s39 alone would be 10 * 2**39 characters.
    produced = 0
    real_evaluate = strings.evaluate

    def counting(raw: str, defined: dict[str, str]) -> str:
        nonlocal produced
        value = real_evaluate(raw, defined)
        produced += len(value)
        return value

    monkeypatch.setattr(bibliography, "evaluate", counting)
    lines = ['@string{s0 = "xxxxxxxxxx"}']
    lines += [f"@string{{s{i} = s{i - 1} # s{i - 1}}}" for i in range(1, 40)]
    lines.append("@misc{test-bomb, title = s39, year = {2020}}")
    _, diagnostics = load_bibliography(Path("x.bib"), "\n".join(lines))
    too_long = [d.line for d in diagnostics if "orimligt långt" in d.message]
    assert too_long == [18]  # s17 would be 10 * 2**17 > 1,000,000 characters
    assert produced < 2_000_000  # s0..s16 together are 1,310,710 characters


# ---------------------------------------------------------------------------
# Units: DOI, LaTeX, names, CSL conversion
# ---------------------------------------------------------------------------


_SICI_DOI = "10.1002/(SICI)1099-1751(199601)11:1<3::AID-HPM401>3.0.CO;2-D"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.5334/ijic.566", "10.5334/ijic.566"),
        ("  10.5334/ijic.566 ", "10.5334/ijic.566"),
        ("doi:10.5334/ijic.566", "10.5334/ijic.566"),
        ("DOI: 10.5334/ijic.566", "10.5334/ijic.566"),
        ("https://doi.org/10.5334/ijic.566", "10.5334/ijic.566"),
        ("http://dx.doi.org/10.5334/ijic.566", "10.5334/ijic.566"),
        ("HTTPS://DOI.ORG/10.5334/ijic.566", "10.5334/ijic.566"),
        ("https://doi.org/10.1000%2Fabc", "10.1000/abc"),
        (_SICI_DOI, _SICI_DOI),  # old Wiley DOIs look odd but are valid
        ("10.1000/abc\\_def", "10.1000/abc_def"),
        ("10.1000.10/xyz", "10.1000.10/xyz"),
        ("ijic.566", None),
        ("doi.org/ijic.566", None),
        ("10.12/abc", None),
        ("10.5334/", None),
        ("10.5334/ijic 566", None),
        ("", None),
    ],
)
def test_normalise_doi(value: str, expected: str | None) -> None:
    assert normalise_doi(value) == expected


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ('G{\\"o}teborg', "Göteborg"),
        ('G\\"{o}teborg', "Göteborg"),
        ('G\\"oteborg', "Göteborg"),
        ("{\\aa}r", "år"),
        ("\\aa{}r", "år"),
        ("\\aa r", "år"),
        ("\\r{a}r", "år"),
        ("{\\r a}r", "år"),
        ("{\\AA}hus", "Åhus"),
        ("\\'e {\\'e} \\'{e}", "é é é"),
        ("{\\o}rsted \\O", "ørsted Ø"),
        ("Stra{\\ss}e", "Straße"),
        ("{\\L}ukasz", "Łukasz"),
        ("\\'{\\i}", "í"),
        ("\\v{S}koda \\c{c}", "Škoda ç"),
        ("2000--2010", "2000–2010"),
        ("a---b", "a—b"),
        ("s.~33", "s.\xa033"),
        ("Hälso- och sjukvård", "Hälso- och sjukvård"),
        ("Forskning \\& utveckling", "Forskning & utveckling"),
        ("50\\% av {NHV}", "50% av NHV"),
        ("\\emph{Nature} och {\\em Science}", "Nature och Science"),
        ("``citat''", "“citat”"),
        ("rad\n   två", "rad två"),
        ("\\unknownmacro{kvar}", "kvar"),  # pylatexenc fallback
    ],
)
def test_decode_latex(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_protective_braces_become_nocase_spans_in_csl_titles() -> None:
    csl = to_csl(
        "test-nocase",
        "article",
        {"title": "Rapport från {NHV}: {{Nordiska} modeller}", "journal": "{BMJ}", "year": "2020"},
    )
    assert csl["title"] == (
        'Rapport från <span class="nocase">NHV</span>: <span class="nocase">Nordiska modeller</span>'
    )
    assert csl["container-title"] == '<span class="nocase">BMJ</span>'


def test_emphasis_becomes_csl_markup() -> None:
    csl = to_csl("test-kursiv", "misc", {"title": "Om \\emph{Homo sapiens} och {\\'e}", "year": "2020"})
    assert csl["title"] == "Om <i>Homo sapiens</i> och é"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            '{Nordiska h{\\"o}gskolan f{\\"o}r folkh{\\"a}lsovetenskap}',
            [{"literal": "Nordiska högskolan för folkhälsovetenskap"}],
        ),
        ("Bihari Axelsson, Susanna", [{"family": "Bihari Axelsson", "given": "Susanna"}]),
        (
            "Axelsson, Runo and Bihari Axelsson, Susanna",
            [{"family": "Axelsson", "given": "Runo"}, {"family": "Bihari Axelsson", "given": "Susanna"}],
        ),
        ("Bengt Ahgren", [{"family": "Ahgren", "given": "Bengt"}]),
        ("van der Berg, Jan", [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"}]),
        (
            "Ludwig van Beethoven",
            [{"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}],
        ),
        (
            "von Wright, Georg Henrik",
            [{"family": "Wright", "given": "Georg Henrik", "non-dropping-particle": "von"}],
        ),
        ("King, Jr, Martin Luther", [{"family": "King", "given": "Martin Luther", "suffix": "Jr"}]),
        ('L{\\"o}fstr{\\"o}m, Mikael', [{"family": "Löfström", "given": "Mikael"}]),
        ('{\\"O}berg, Per', [{"family": "Öberg", "given": "Per"}]),
        ("Socialstyrelsen", [{"family": "Socialstyrelsen"}]),
        ("Testsson, Test and others", [{"family": "Testsson", "given": "Test"}, {"literal": "others"}]),
        (
            "Ahgren, Bengt AND\nAxelsson, Runo",
            [{"family": "Ahgren", "given": "Bengt"}, {"family": "Axelsson", "given": "Runo"}],
        ),
        ("{Sandberg and Partners}", [{"literal": "Sandberg and Partners"}]),
    ],
)
def test_parse_names(names: str, expected: list[dict[str, str]]) -> None:
    assert parse_names(names) == expected


@pytest.mark.parametrize(
    ("entry_type", "csl_type", "genre"),
    [
        ("article", "article-journal", None),
        ("book", "book", None),
        ("incollection", "chapter", None),
        ("inbook", "chapter", None),
        ("inproceedings", "paper-conference", None),
        ("phdthesis", "thesis", "Doktorsavhandling"),
        ("mastersthesis", "thesis", "Masteruppsats"),
        ("techreport", "report", None),
        ("report", "report", None),
        ("misc", "document", None),
        ("online", "webpage", None),
        ("ARTICLE", "article-journal", None),
        ("okänd", "document", None),
    ],
)
def test_to_csl_type_mapping(entry_type: str, csl_type: str, genre: str | None) -> None:
    csl = to_csl("test-typ", entry_type, {"title": "T", "year": "2020"})
    assert csl["id"] == "test-typ"
    assert csl["type"] == csl_type
    assert csl.get("genre") == genre


def test_to_csl_field_mapping() -> None:
    csl = to_csl(
        "test-falt",
        "incollection",
        {
            "Author": "Testsson, Test",
            "editor": "Redaktörsson, Red",
            "title": "Kapitel",
            "booktitle": "Antologi",
            "series": "Testserien",
            "number": "7",
            "pages": "1--10",
            "publisher": "Testförlaget",
            "location": "Lund",
            "edition": "2",
            "isbn": "978-91-44-00000-0",
            "doi": "https://doi.org/10.1000/test",
            "url": "https://example.org/a\\_b",
            "year": "2020",
            "month": "nov",
            "urldate": "2024-01-31",
            "langid": "svenska",
            "note": "Testanteckning",
            "type": "Antologikapitel",
        },
    )
    assert csl == {
        "id": "test-falt",
        "type": "chapter",
        "title": "Kapitel",
        "container-title": "Antologi",
        "collection-title": "Testserien",
        "collection-number": "7",
        "author": [{"family": "Testsson", "given": "Test"}],
        "editor": [{"family": "Redaktörsson", "given": "Red"}],
        "page": "1–10",
        "publisher": "Testförlaget",
        "publisher-place": "Lund",
        "edition": "2",
        "ISBN": "978-91-44-00000-0",
        "DOI": "10.1000/test",
        "URL": "https://example.org/a_b",
        "issued": {"date-parts": [[2020, 11]]},
        "accessed": {"date-parts": [[2024, 1, 31]]},
        "language": "sv",
        "note": "Testanteckning",
        "genre": "Antologikapitel",
    }


@pytest.mark.parametrize(
    ("fields", "issued"),
    [
        ({"year": "2011"}, {"date-parts": [[2011]]}),
        ({"year": "2011", "month": "11"}, {"date-parts": [[2011, 11]]}),
        ({"date": "2011-11-18"}, {"date-parts": [[2011, 11, 18]]}),
        ({"date": "2010/2011"}, {"date-parts": [[2010], [2011]]}),
        ({"date": "2011-11-18", "year": "1999"}, {"date-parts": [[2011, 11, 18]]}),
        ({"year": "i tryck"}, None),
    ],
)
def test_issued_dates(fields: dict[str, str], issued: dict[str, object] | None) -> None:
    assert to_csl("test-datum", "misc", {"title": "T", **fields}).get("issued") == issued


@pytest.mark.parametrize(
    ("value", "language"),
    [("swedish", "sv"), ("sv", "sv"), ("Swedish", "sv"), ("english", "en"), ("en", "en"), ("nb-NO", "nb-NO")],
)
def test_language_mapping(value: str, language: str) -> None:
    assert to_csl("test-sprak", "misc", {"title": "T", "langid": value})["language"] == language


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------


def test_unused_message_is_defined_here() -> None:
    message = CATALOGUE["KOP210"]
    assert message.text == "Referensen '{key}' citeras inte i någon översikt."
    assert message.severity == "warning"
    assert bibliography.UNUSED is message
    assert message.at("references.bib", 3, key="ahgren2011").message == (
        "Referensen 'ahgren2011' citeras inte i någon översikt."
    )


def test_every_bibliography_message_has_hint_and_explanation() -> None:
    # KOP201–217 (bib.py) and KOP225–239 (bibtex.py) belong to bib/; other KOP2xx ranges to other parts.
    codes = [code for code in CATALOGUE if code.startswith("KOP2") and not "KOP218" <= code <= "KOP224"]
    assert {f"KOP2{n:02d}" for n in range(1, 18)} <= set(codes)
    assert all(code <= "KOP239" for code in codes)
    for code in codes:
        message = CATALOGUE[code]
        assert message.hint and message.explanation, code
        sentences = len(re.findall(r"[.?!](?:\s+(?=[A-ZÅÄÖ])|$)", message.explanation))
        assert 2 <= sentences <= 3, (code, sentences)
        # Templates must format with their own fields (no stray braces).
        names = {
            name
            for template in (message.text, message.hint)
            for _, name, _, _ in string.Formatter().parse(template)
            if name
        }
        message.at("references.bib", 1, **dict.fromkeys(names, "x"))


# ---------------------------------------------------------------------------
# Robustness and performance
# ---------------------------------------------------------------------------

_TOKENS = [
    "@article{",
    "@book(",
    "@string{",
    "@comment{",
    "@preamble{",
    "@misc{test,",
    "@",
    "{",
    "}",
    "(",
    ")",
    '"',
    ",",
    "=",
    "#",
    "\n",
    "\r\n",
    " ",
    "\\",
    '{\\"o}',
    "\\r{a}",
    "\\aa",
    "$",
    "%",
    "~",
    "--",
    " and ",
    "title",
    "author",
    "year",
    "date",
    "doi",
    "month",
    "jan",
    "2011",
    "2011-11-18",
    "10.5334/x",
    "Ahgren, Bengt",
    "ö",
    "\ufeff",
    "\x00",
]


def _assert_well_formed(result: object, path: Path) -> None:
    assert isinstance(result, tuple) and len(result) == 2
    refs, diagnostics = result
    assert isinstance(refs, dict) and isinstance(diagnostics, list)
    for key, ref in refs.items():
        assert isinstance(ref, Reference) and ref.key == key
        assert isinstance(ref.csl, dict) and ref.csl["id"] == key
        assert all(isinstance(value, str) for value in ref.fields.values())
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.path == str(path)
        assert diagnostic.code in CATALOGUE
        assert diagnostic.line >= 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS) | st.text(max_size=5), max_size=60).map("".join))
def test_random_bibtex_like_text_never_raises(text: str) -> None:
    path = Path("slump.bib")
    _assert_well_formed(load_bibliography(path, text), path)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "references.bib"
    path.write_bytes(data)
    _assert_well_formed(load_bibliography(path), path)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_to_csl_never_raises_on_odd_field_values(value: str) -> None:
    fields = {name: value for name in ("title", "author", "editor", "year", "date", "month", "doi", "pages")}
    csl = to_csl("test-slump", "article", fields)
    assert csl["id"] == "test-slump"


def _generated_bibliography(count: int) -> str:
    entries = []
    for index in range(count):
        entries.append(
            f"@article{{test{index:05d},\n"
            f"  title = {{Samverkan i {{Sverige}} 2000--2010, del {index}}},\n"
            "  author = {Ahgren, Bengt and Axelsson, Runo and Bihari Axelsson, Susanna},\n"
            "  journal = {International Journal of Integrated Care},\n"
            "  volume = {11},\n"
            "  pages = {e007},\n"
            "  year = {2011},\n"
            f"  doi = {{10.5334/test.{index}}},\n"
            "  langid = {swedish},\n"
            '  abstract = {V{\\aa}rd och omsorg i G{\\"o}teborg -- '
            '\\r{a}tta akt{\\"o}rer samverkar.},\n'
            "}\n"
        )
    return "\n".join(entries)


def test_five_thousand_entries_load_on_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Work bounds instead of a time limit: bibtexparser reads each byte once (one parse per
    # entry's chunk, no retry of the whole file), and pylatexenc only for values with LaTeX
    # macros, each distinct value once.
    parses = []
    walked: list[str] = []
    real_parse = bibtexparser.parse_string

    def counting_parse(text: str, **kwargs: object) -> object:
        parses.append(len(text))
        return real_parse(text, **kwargs)  # type: ignore[arg-type]

    class CountingWalker(latex.LatexWalker):  # the library's parser, counted
        def __init__(self, source: str, *args: object, **kwargs: object) -> None:
            walked.append(source)
            super().__init__(source, *args, **kwargs)

    monkeypatch.setattr(bibtexparser, "parse_string", counting_parse)
    monkeypatch.setattr(latex, "LatexWalker", CountingWalker)
    monkeypatch.setattr(latex, "_PLAIN_CACHE", {})
    monkeypatch.setattr(latex, "_RICH_CACHE", {})
    monkeypatch.setattr(latex, "_UNIT_CACHE", {})
    path = tmp_path / "references.bib"
    text = _generated_bibliography(5000)
    path.write_text(text, encoding="utf-8")
    refs, diagnostics = load_bibliography(path)
    assert diagnostics == []
    assert len(refs) == 5000
    assert refs["test04999"].fields["abstract"] == "Vård och omsorg i Göteborg – åtta aktörer samverkar."
    assert refs["test04999"].csl["title"] == 'Samverkan i <span class="nocase">Sverige</span> 2000–2010, del 4999'
    assert refs["test00000"].csl["author"][2] == {"family": "Bihari Axelsson", "given": "Susanna"}
    assert len(parses) == 5000 and sum(parses) == len(text)
    # Only the abstract has LaTeX macros, and each distinct special character in it is decoded by
    # pylatexenc once for the whole file; titles (braces only) and plain fields skip pylatexenc.
    assert walked == ["{\\aa}", '{\\"o}', "\\r{a}"]


@pytest.mark.parametrize(
    "value",
    ["International Journal of Integrated Care", "2000--2010", "Ahgren, Bengt", "100 % sant", "{NHV} rapport"],
)
def test_values_without_macros_skip_pylatexenc(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[str] = []

    class CountingWalker(latex.LatexWalker):
        def __init__(self, source: str, *args: object, **kwargs: object) -> None:
            walked.append(source)
            super().__init__(source, *args, **kwargs)

    monkeypatch.setattr(latex, "LatexWalker", CountingWalker)
    monkeypatch.setattr(latex, "_PLAIN_CACHE", {})
    monkeypatch.setattr(latex, "_RICH_CACHE", {})
    monkeypatch.setattr(latex, "_UNIT_CACHE", {})
    latex.decode_latex(value)
    latex.decode_rich(value)
    assert walked == []
    latex.decode_latex("Pe\\~{n}a " + value)
    assert len(walked) == 1
