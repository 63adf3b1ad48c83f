"""Citations Pandoc reads without complaint but not as the author meant, and reference-link brackets.

Fixtures in tests/fixtures/cite/ (bodies without front matter). Each case was read
silently before: Word's quotation marks glued to a key showed on the page ("(…, 2016, ”)"),
a citation inside another one printed its key as text, ``[x][se @k][y]`` was an
author-in-text citation where Pandoc cites ``@k`` with the prefix "se", and a '*' never
closed inside a citation made it a citation for the scanner but plain text for Pandoc.
Now the check refuses the first, second and fourth at the exact line and column, with the
fix, and the scanner reads the third as Pandoc does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kop.cite.checks import malformed_citations
from kop.cite.scan import scan_citations
from kop.core.model import Diagnostic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cite"
KEY = "danermark1999samverkan"


def body(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def where(text: str, needle: str, offset: int = 0, start: int = 0) -> tuple[int, int]:
    """1-based (line, column) of ``needle`` (plus ``offset``) in ``text``, found after ``start``."""
    at = text.index(needle, start) + offset
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def refused(text: str) -> list[Diagnostic]:
    return [d for d in malformed_citations(text, 1, "p.md") if d.code == "KOP302"]


# --- Typographic quotes and apostrophes ------------------------------------------------------------


def test_every_misplaced_quote_is_refused_at_its_line_and_column_with_the_fix() -> None:
    text = body("typographic-quotes.md")
    found = [(d.line, d.column, d.severity) for d in refused(text)]
    assert found == [
        (*where(text, f"@{KEY}”]"), "error"),  # the key, the quote glued after it
        (*where(text, f"”@{KEY}”"), "error"),  # the opening quote
        (*where(text, f"@{KEY}’s"), "error"),
        (*where(text, f"”@{KEY}, s. 33"), "error"),
        (*where(text, "”]", start=text.index("Ett ensamt")), "error"),  # the quote itself
        (*where(text, "”samverkan]"), "error"),
    ]


def test_the_messages_name_the_mark_and_show_the_corrected_citation() -> None:
    by_line = {d.line: d for d in refused(body("typographic-quotes.md"))}
    assert by_line[1].message.startswith(f"Felaktig källhänvisning '@{KEY}”': citattecknet ” står direkt efter "
                                         f"nyckeln @{KEY} i '[se @{KEY}”]'")
    assert by_line[1].hint.startswith(f"Ta bort citattecknet eller flytta det utanför hänvisningen: skriv [se @{KEY}].")
    assert f"citattecknen ” och ” står runt nyckeln @{KEY}" in by_line[3].message
    assert by_line[3].hint.startswith(f"Ta bort citattecknen: skriv @{KEY}.")
    assert f"nyckeln @{KEY} slutar vid tecknet ’" in by_line[5].message
    assert f"skriv den inom klamrar: @{{{KEY}’s}}" in by_line[5].hint
    assert by_line[7].hint.startswith(f"Ta bort citattecknet eller flytta det utanför hänvisningen: skriv [@{KEY}, s. 33].")  # noqa: E501
    assert "citattecknet saknar sitt par" in by_line[9].message
    assert f"skriv [se @{KEY}, s. 12 om samverkan]" in by_line[11].hint


def test_quotes_in_pairs_and_keys_pandoc_reads_alike_are_unchanged() -> None:
    text = body("typographic-quotes.md")
    last = text.strip().splitlines()[-1]
    assert refused(last) == []
    (citation,) = scan_citations(last)
    assert citation.items[0].locator == "s. 12 om ”samverkan” och »ansvar»"
    # Pandoc ends a key at a quote: the scanner still cites the key (the check refuses the quote)
    assert [c.items[0].key for c in scan_citations(text)] == [KEY] * 7
    assert scan_citations(f"[se @{KEY}”]")[0].items[0].locator == "”"


@pytest.mark.parametrize("mark", ["”", "“", "„", "’", "‘", "»", "«", '"', "'"])
def test_each_quotation_mark_after_a_key_is_refused(mark: str) -> None:
    (diag,) = refused(f"Text [se @{KEY}{mark}].")
    assert (diag.line, diag.column) == (1, 10)


def test_a_braced_key_may_hold_a_quote() -> None:
    assert refused("[@{o’brien2019}, s. 3]") == []
    assert scan_citations("[@{o’brien2019}, s. 3]")[0].items[0].key == "o’brien2019"


# --- Nested citations ----------------------------------------------------------------------------


def test_a_citation_inside_another_is_refused_at_the_inner_key() -> None:
    text = body("nested-citations.md")
    found = [(d.line, d.column) for d in refused(text)]
    assert found == [where(text, "@ahgren2011decade]"), where(text, "@ahgren2011decade]]")]
    first = refused(text)[0]
    assert "hänvisningen @ahgren2011decade står inne i hänvisningen" in first.message
    assert "åtskilda med semikolon" in first.hint
    # the correct form passes and cites both
    assert refused(text.splitlines()[-1]) == []
    assert [i.key for i in scan_citations(text.splitlines()[-1])[0].items] == [KEY, "ahgren2011decade"]


def test_keys_in_link_destinations_and_addresses_inside_a_citation_are_not_nested() -> None:
    assert refused(f"[@{KEY}, se [sidan](mailto:@x) och namn@example.se]") == []


# --- Reference links [text][label] ------------------------------------------------------------------


def test_an_undefined_label_is_read_on_its_own_as_pandoc_does() -> None:
    text = body("reference-links.md")
    (citation,) = scan_citations(text)
    assert not citation.in_text
    assert [(i.key, i.prefix) for i in citation.items] == [(KEY, "se")]
    assert citation.source == f"[se @{KEY}]"


def test_a_defined_label_is_a_link_and_what_follows_is_read_as_usual() -> None:
    assert scan_citations("[text][etikett][se @k]\n\n[etikett]: https://example.org\n")[0].items[0].key == "k"
    assert scan_citations("[x][etikett]\n\n[etikett]: https://example.org\n") == []


# --- Emphasis never closed inside a citation --------------------------------------------------------


def test_an_unclosed_star_makes_no_citation_and_is_refused_at_the_star() -> None:
    text = body("open-emphasis.md")
    (diag,) = refused(text)
    assert (diag.line, diag.column) == where(text, "*]")
    assert "inleder kursiv eller fet stil som aldrig avslutas" in diag.message
    assert "skriv \\* för ett vanligt *" in diag.hint
    citations = scan_citations(text)
    assert [(c.in_text, c.items[0].locator) for c in citations] == [(True, ""), (False, "*jfr* s. 3")]


# --- The whole build -----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_build_stops_with_the_messages_instead_of_printing_the_quote(tmp_path: Path) -> None:
    from kop.core.project import load_project
    from kop.site.build import build
    from tests.cite.test_citations import _project

    text = body("typographic-quotes.md") + "\n" + body("nested-citations.md") + "\n" + body("open-emphasis.md")
    result = build(load_project(_project(tmp_path, text)))
    assert not result.ok
    messages = [d.message for d in result.diagnostics if d.code == "KOP302"]
    assert sum("citatteck" in m for m in messages) == 6
    assert sum("står inne i hänvisningen" in m for m in messages) == 2
    assert sum("aldrig avslutas" in m for m in messages) == 1
    assert {d.code for d in result.diagnostics if d.severity == "error"} == {"KOP302"}
