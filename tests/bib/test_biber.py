"""references.bib as biber reads it: crossref/xdata, comments, LaTeX by pylatexenc, APA's lenient cases.

Fixtures in tests/fixtures/bib/ hold obviously made-up works (Testsson, Testförlaget).
Where the output matters, the entries go through Pandoc's citeproc with the project's
APA style (kop.cite.apa.format_all), as on the site.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kop.bib import latex
from kop.bib.csl import to_csl
from kop.bib.inherit import crossref_fields, xdata_fields
from kop.bib.latex import decode_latex, decode_rich
from kop.bib.load import load_bibliography
from kop.cite.apa import cluster_signature, format_all
from kop.cite.scan import scan_citations
from kop.core.model import Reference

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bib"


def load(name: str) -> tuple[dict[str, Reference], list[tuple[str, str, int, str]]]:
    refs, diagnostics = load_bibliography(FIXTURES / name, display="references.bib")
    return refs, [(d.code, d.severity, d.line, d.message) for d in diagnostics]


def rendered(refs: dict[str, Reference]) -> tuple[dict[str, str], dict[str, str]]:
    """(parenthetical citation, reference list entry) per key, as Pandoc's citeproc renders them."""
    keys = sorted(refs)
    citations = scan_citations(" ".join(f"[@{key}]" for key in keys))
    result = format_all(refs, citations, None)
    in_text = {key: result.clusters[cluster_signature(cit)] for key, cit in zip(keys, citations, strict=True)}
    return in_text, dict(result.entries)


@pytest.fixture(scope="module")
def crossref() -> tuple[dict[str, Reference], list, dict[str, str], dict[str, str]]:
    refs, diagnostics = load("crossref.bib")
    return refs, diagnostics, *rendered(refs)


# -- crossref and xdata ---------------------------------------------------------------------------


def test_a_chapter_inherits_booktitle_publisher_year_and_editor_from_its_book(crossref) -> None:
    refs, diagnostics, in_text, entries = crossref
    assert diagnostics == []  # before: "saknar obligatoriska fält: booktitle, publisher, year"
    chapter = refs["test-kapitel"]
    assert chapter.fields["booktitle"] == "En påhittad antologi"  # biber: the parent's title becomes booktitle
    assert chapter.fields["title"] == "Ett påhittat kapitel"  # the child's own fields win
    assert chapter.fields["publisher"] == "Testförlaget"
    assert "shorthand" not in chapter.fields  # never inherited (biblatex manual, appendix B)
    assert in_text["test-kapitel"].endswith(">Testsson, 2010</a>)")
    assert entries["test-kapitel"] == (
        "Testsson, T. (2010). Ett påhittat kapitel. I R. Redaktörsson (Red.), <em>En påhittad antologi</em> "
        "(s. 10–20). Testförlaget."
    )


def test_xdata_fields_are_copied_and_xdata_entries_are_not_references(crossref) -> None:
    refs, _, _, entries = crossref
    assert "test-tidskrift" not in refs
    expected = "Testsson, T. (2011). En påhittad artikel. <em>Påhittad tidskrift</em>, <em>7</em>."
    assert entries["test-artikel"] == expected


def test_crossref_chains_are_followed(crossref) -> None:
    refs, _, in_text, _ = crossref
    # test-bidrag -> test-konferens (title -> booktitle, year) -> test-serie (publisher)
    assert refs["test-bidrag"].fields["booktitle"] == "Påhittade konferensens handlingar"
    assert refs["test-bidrag"].fields["publisher"] == "Testförlaget"
    assert in_text["test-bidrag"].endswith(">Testsson, 2012</a>)")


def test_missing_parents_and_loops_are_errors_at_the_field() -> None:
    refs, diagnostics = load("crossref_broken.bib")
    assert diagnostics == [
        (
            "KOP225",
            "error",
            5,
            "Posten 'test-kapitel' hänvisar med crossref till 'Test-Antologi', men någon sådan post finns inte. "
            "Menade du 'test-antologi'?",
        ),
        (
            "KOP226",
            "error",
            18,
            "Posten 'test-artikel' hänvisar med xdata till 'test-saknas', men någon sådan @xdata-post finns inte.",
        ),
        ("KOP227", "error", 23, "Posten 'test-b' ärver fält i en cirkel: test-a → test-b → test-a."),
    ]
    # The entries are still loaded, so their citations keep working while the author fixes the key.
    assert {"test-kapitel", "test-artikel", "test-a", "test-b"} <= refs.keys()


def test_a_deep_crossref_chain_is_cut_without_a_traceback() -> None:
    text = "\n".join(f"@misc{{k{i}, title = {{T}}, year = {{2000}}, crossref = {{k{i + 1}}}}}" for i in range(200))
    text += "\n@misc{k200, title = {T}, year = {2000}}"
    refs, diagnostics = load_bibliography(Path("references.bib"), text=text)
    assert len(refs) == 201
    assert {d.code for d in diagnostics} == {"KOP227"}


# -- syntax biber accepts ----------------------------------------------------------------------


def test_comments_spaces_and_key_case() -> None:
    refs, diagnostics = load("biber_syntax.bib")
    assert "test-bortkommenterad" not in refs  # @comment{…} is skipped whole, entries inside too
    spaced = refs["test-mellanslag"]  # "@ Article {" is an article
    assert spaced.entry_type == "article"
    assert spaced.fields["journal"] == "Påhittad tidskrift"  # the %-line above it is a comment
    assert spaced.fields["title"] == "Hundra procent, 50% av allt"  # % inside a value is text
    assert diagnostics == [
        (
            "KOP228",
            "warning",
            18,
            "Nyckeln 'test-versaler' skiljer sig bara i stora och små bokstäver från 'Test-Versaler' på rad 12.",
        )
    ]


def test_comment_lines_keep_the_line_numbers_of_later_fields() -> None:
    text = "@article{test-rad,\n  % en kommentar\n  title = {T},\n  doi = {inte en doi},\n}\n"
    _, diagnostics = load_bibliography(Path("references.bib"), text=text)
    assert [(d.code, d.line) for d in diagnostics if d.code == "KOP207"] == [("KOP207", 4)]


# -- LaTeX by pylatexenc ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("Pe\\~{n}a", "Peña"),
        ("Mu\\~noz", "Muñoz"),
        ("\\k{a}\\H{o}\\d{s}", "ąőṣ"),
        ("{\\ae}sthetic \\OE uvre", "æsthetic Œuvre"),
        ("$\\alpha$-niv{\\aa}", "α-nivå"),
        ("\\textit{kursiv}\\textsuperscript{2}", "kursiv2"),
        ("\\noopsort{b}Zeta", "Zeta"),
        ("fi\\-nans", "finans"),
    ],
)
def test_latex_is_decoded_by_pylatexenc(source: str, text: str) -> None:
    assert decode_latex(source) == text


def test_rich_text_keeps_protective_braces_but_not_accent_braces() -> None:
    assert decode_rich('{\\"O}rebro och {NHV}: \\emph{Pe\\~{n}a}') == (
        'Örebro och <span class="nocase">NHV</span>: <i>Peña</i>'
    )
    assert decode_rich("{\\em Kursiv {NHV}} text") == '<i>Kursiv <span class="nocase">NHV</span></i> text'


def test_the_hand_written_decoder_is_gone() -> None:
    source = Path(latex.__file__).read_text(encoding="utf-8")
    assert len(source.splitlines()) < 330  # was 508, with its own accent and symbol tables
    assert "_COMBINING_ACCENTS" not in source


# -- lenient where APA 7 has a rule ---------------------------------------------------------


@pytest.fixture(scope="module")
def lenient() -> tuple[dict[str, Reference], list, dict[str, str], dict[str, str]]:
    refs, diagnostics = load("lenient.bib")
    return refs, diagnostics, *rendered(refs)


def test_lenient_cases_are_warnings_at_most(lenient) -> None:
    _, diagnostics, _, _ = lenient
    assert diagnostics == [
        ("KOP230", "warning", 24, "Månaden 'foo' i posten 'test-webb' är inte definierad och hoppas över."),
        (
            "KOP229",
            "warning",
            25,
            "Fältet 'urldate' i posten 'test-webb' har värdet '2024-02-30', som inte är ett giltigt datum.",
        ),
    ]


def test_in_press_renders_i_tryck_and_tilde_names_render_in_the_citation(lenient) -> None:
    _, _, in_text, entries = lenient
    assert in_text["test-itryck"].endswith(">Peña &amp; Muñoz, i tryck</a>)")
    assert entries["test-itryck"].startswith("Peña, A., &amp; Muñoz, B. (i tryck). Ett påhittat verk i tryck.")
    assert in_text["test-pubstate"].endswith(">Testsson, i tryck</a>)")


def test_a_book_without_author_starts_with_its_title(lenient) -> None:
    _, _, in_text, entries = lenient
    assert entries["test-utan-forfattare"] == "<em>En påhittad bok utan författare</em>. (2016). Testförlaget."
    assert "<em>En påhittad bok utan författare</em>, 2016" in in_text["test-utan-forfattare"]


def test_howpublished_text_and_url_are_rendered(lenient) -> None:
    refs, _, _, entries = lenient
    assert entries["test-stencil"] == "Testsson, T. (2018). <em>En påhittad stencil</em>. Stencil."
    assert refs["test-howurl"].csl["URL"] == "https://example.org/howpublished"
    assert entries["test-howurl"].endswith(
        '<a href="https://example.org/howpublished">https://example.org/howpublished</a>'
    )


def test_a_month_that_is_not_a_macro_keeps_the_entry() -> None:
    refs, _ = load("lenient.bib")
    assert "month" not in refs["test-webb"].fields
    assert refs["test-webb"].csl["issued"] == {"date-parts": [[2019]]}
    assert "accessed" not in refs["test-webb"].csl


@pytest.mark.parametrize(
    ("howpublished", "url", "publisher"),
    [
        ("\\url{https://example.org/a\\_b}", "https://example.org/a_b", None),
        ("https://example.org/sida", "https://example.org/sida", None),
        ("\\url{javascript:alert(1)}", None, "javascript:alert(1)"),  # never a link, only text
        ('https://example.org/"><script>', None, 'https://example.org/"><script>'),
    ],
)
def test_only_safe_web_addresses_in_howpublished_become_links(howpublished: str, url, publisher) -> None:
    csl = to_csl("test-how", "misc", {"title": "T", "year": "2000", "howpublished": howpublished})
    assert csl.get("URL") == url
    assert csl.get("publisher") == publisher


_UNITS = [
    '{\\"o}', '\\"o', '\\"{o}', "{\\aa}", "\\aa{}", "\\aa ", "\\r{a}", "{\\r a}", "\\'{\\i}", "{\\'\\i}", "\\~{n}",
    "\\~n", "\\ss{}", "\\o ", "\\&", "\\%", "{\\AA}", "\\v{S}", "\\c{c}", "\\textendash ", "\\L ", "\\'e", "\\^{o}",
    "\\textasciitilde ", "\\$", "\\textbackslash ", "\\{", "\\emph{x}", "{\\em y}", "\\relax ",
]  # fmt: skip
_TEXTS = ["a", "B", " ", "rb", "{NHV}", "-", "--", " x ", "Ö", "~", "''"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_UNITS + _TEXTS), max_size=8))
def test_the_fast_path_decodes_exactly_as_a_full_pylatexenc_parse(parts: list[str]) -> None:
    # Special characters are decoded one by one (each by pylatexenc, cached); that must give
    # the same text as pylatexenc parsing the whole value.
    value = "".join(parts)
    latex._PLAIN_CACHE.clear()
    latex._RICH_CACHE.clear()
    assert decode_latex(value) == latex._collapse(latex._latex_to(value, rich=False))
    assert decode_rich(value) == latex._collapse(latex._latex_to(value, rich=True))


@pytest.mark.parametrize(
    ("parent_type", "child_type", "expected"),
    [
        # biber's rules (biblatex manual, appendix B)
        ("mvbook", "inbook", {"maintitle": "P", "author": "A", "bookauthor": "A", "year": "2000"}),
        ("book", "inbook", {"booktitle": "P", "author": "A", "bookauthor": "A", "year": "2000"}),
        ("collection", "incollection", {"booktitle": "P", "author": "A", "year": "2000"}),
        ("proceedings", "inproceedings", {"booktitle": "P", "author": "A", "year": "2000"}),
        ("periodical", "article", {"journaltitle": "P", "author": "A", "year": "2000"}),
        # KÖP's deviation: a chapter in an edited @book, as BibTeX users write it
        ("book", "incollection", {"booktitle": "P", "author": "A", "year": "2000"}),
        # no rule: every field under its own name
        ("misc", "misc", {"title": "P", "shorttitle": "S", "author": "A", "year": "2000"}),
    ],
)
def test_crossref_field_mapping(parent_type: str, child_type: str, expected: dict[str, str]) -> None:
    parent = {"title": "P", "shorttitle": "S", "author": "A", "year": "2000", "label": "L", "ids": "x"}
    assert crossref_fields(child_type, {}, parent_type, parent) == expected


def test_own_fields_win_over_inherited_ones() -> None:
    child = {"booktitle": "Egen", "year": "2001"}
    parent = {"title": "P", "booktitle": "Förälderns", "year": "2000", "publisher": "F"}
    assert crossref_fields("incollection", child, "book", parent) == {"publisher": "F"}
    assert xdata_fields({"year": "2001"}, {"year": "2000", "publisher": "F", "xdata": "y"}) == {"publisher": "F"}
