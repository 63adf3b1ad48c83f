"""Tests for the citation scanner (Pandoc citation syntax) and its diagnostics.

Expected results follow Pandoc's Markdown reader (checked against pandoc 3.9) except
where the module docstring of ``kop.cite.scan`` lists a deliberate difference.
The unknown-key and malformed-citation diagnostics are in ``kop.cite.checks``, the
keys an overview cites anywhere in ``kop.cite.keys``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kop.cite import inline
from kop.cite.checks import (
    MALFORMED_CITATION,
    MAX_MALFORMED_REPORTS,
    MAX_REPORTS_PER_KEY,
    UNKNOWN_KEY,
    check_keys,
    malformed_citations,
)
from kop.cite.keys import cited_keys
from kop.cite.scan import scan_citations
from kop.core.catalogue import CATALOGUE
from kop.core.model import Citation, CitationItem, Diagnostic, Overview


def item(key: str, prefix: str = "", locator: str = "", suppress: bool = False) -> CitationItem:
    return CitationItem(key=key, prefix=prefix, locator=locator, suppress_author=suppress)


def cite(
    body: str,
    source: str,
    items: list[CitationItem],
    *,
    in_text: bool = False,
    nth: int = 0,
    body_line: int = 1,
) -> Citation:
    """The expected Citation for the ``nth`` occurrence of ``source`` in ``body``."""
    start = -1
    for _ in range(nth + 1):
        start = body.index(source, start + 1)
    line = body_line + body.count("\n", 0, start)
    column = start - (body.rfind("\n", 0, start) + 1) + 1
    return Citation(
        items=items,
        in_text=in_text,
        start=start,
        end=start + len(source),
        line=line,
        column=column,
        source=source,
    )


def keys(body: str) -> list[list[str]]:
    return [[i.key for i in c.items] for c in scan_citations(body)]


# --- Bracketed clusters ---------------------------------------------------------------


def test_single_key() -> None:
    body = "Samverkan är svårt [@key]."
    assert scan_citations(body) == [
        Citation(items=[item("key")], in_text=False, start=19, end=25, line=1, column=20, source="[@key]")
    ]


def test_several_keys() -> None:
    body = "Se [@a; @b]."
    assert scan_citations(body) == [cite(body, "[@a; @b]", [item("a"), item("b")])]


def test_prefix_and_locator() -> None:
    body = "Det har visats [se @key, s. 33] tidigare."
    assert scan_citations(body) == [cite(body, "[se @key, s. 33]", [item("key", "se", "s. 33")])]


def test_locator_with_free_text() -> None:
    body = "Text [@key, s. 33-35 och på andra ställen]."
    assert scan_citations(body) == [
        cite(
            body,
            "[@key, s. 33-35 och på andra ställen]",
            [item("key", locator="s. 33-35 och på andra ställen")],
        )
    ]


def test_suffix_without_comma_is_the_locator() -> None:
    body = "Text [@key s. 33]."
    assert scan_citations(body) == [cite(body, "[@key s. 33]", [item("key", locator="s. 33")])]


def test_suppress_author() -> None:
    body = "Smith säger [-@smith04] att"
    assert scan_citations(body) == [cite(body, "[-@smith04]", [item("smith04", suppress=True)])]


def test_prefixes_and_locators_in_every_part() -> None:
    body = "[see @a, p. 1; also @b] och [jfr -@c, kap. 2; @d]"
    assert scan_citations(body) == [
        cite(body, "[see @a, p. 1; also @b]", [item("a", "see", "p. 1"), item("b", "also")]),
        cite(body, "[jfr -@c, kap. 2; @d]", [item("c", "jfr", "kap. 2", suppress=True), item("d")]),
    ]


def test_whitespace_inside_the_brackets_is_tidied() -> None:
    body = "[ @a ;@b ,  s.  3 ]"
    assert scan_citations(body) == [cite(body, body, [item("a"), item("b", locator="s. 3")])]


def test_cluster_spanning_lines_keeps_no_line_breaks_in_its_text() -> None:
    body = "Text [se\n@a, s.\n33; @b] slut"
    assert scan_citations(body) == [cite(body, "[se\n@a, s.\n33; @b]", [item("a", "se", "s. 33"), item("b")])]


def test_markup_in_prefix_and_locator_is_kept_verbatim() -> None:
    body = "[*se* `x` @a, [länk](u) s. 3]"
    assert scan_citations(body) == [cite(body, body, [item("a", "*se* `x`", "[länk](u) s. 3")])]


def test_no_break_space_in_locator_survives() -> None:
    body = "[@a, s.\u00a033]"
    assert scan_citations(body)[0].items == [item("a", locator="s.\u00a033")]


def test_only_the_first_key_of_a_part_is_its_key() -> None:
    # Pandoc reads the second @ as a citation nested in the suffix; it stays locator text.
    body = "[@a, se även @b]"
    assert scan_citations(body) == [cite(body, body, [item("a", locator="se även @b")])]


def test_nested_brackets_are_part_of_the_text() -> None:
    body = "[se [bilaga 2] @a; @b [s. 3]]"
    assert scan_citations(body) == [
        cite(body, body, [item("a", "se [bilaga 2]"), item("b", locator="[s. 3]")])
    ]


@pytest.mark.parametrize(
    "body",
    [
        "[text utan snabel-a]",
        "[@a; ingen nyckel]",  # every ';'-part needs a key (Pandoc)
        "[ingen nyckel; @a]",
        "[a; b @a]",
        "[@a;]",
    ],
)
def test_cluster_needs_a_key_in_every_part(body: str) -> None:
    assert all(c.in_text for c in scan_citations(body))


def test_failed_cluster_leaves_in_text_citations() -> None:
    body = "[@a; ingen nyckel]"
    assert scan_citations(body) == [cite(body, "@a", [item("a")], in_text=True)]


def test_empty_and_unclosed_brackets_are_not_citations() -> None:
    assert scan_citations("[] [@] [-@] [@ a] [@a") == [
        cite("[] [@] [-@] [@ a] [@a", "@a", [item("a")], in_text=True)
    ]


# --- Author-in-text citations --------------------------------------------------------


def test_bare_key() -> None:
    body = "Som @doe99 visar."
    assert scan_citations(body) == [cite(body, "@doe99", [item("doe99")], in_text=True)]


def test_key_with_locator() -> None:
    body = "Som @doe99 [s. 33] visar."
    assert scan_citations(body) == [
        cite(body, "@doe99 [s. 33]", [item("doe99", locator="s. 33")], in_text=True)
    ]


@pytest.mark.parametrize("gap", ["", " ", "  ", "\t", "\n", " \n  ", "\r\n"])
def test_locator_after_spaces_and_one_line_break(gap: str) -> None:
    body = f"Som @a{gap}[s. 3] visar."
    assert scan_citations(body) == [cite(body, f"@a{gap}[s. 3]", [item("a", locator="s. 3")], in_text=True)]


def test_locator_not_taken_across_a_blank_line() -> None:
    body = "Som @a\n\n[s. 3] visar."
    assert scan_citations(body) == [cite(body, "@a", [item("a")], in_text=True)]


def test_in_text_key_followed_by_a_cluster_is_one_citation() -> None:
    body = "Som @a [@b; se @c] visar."
    assert scan_citations(body) == [
        cite(body, "@a [@b; se @c]", [item("a"), item("b"), item("c", "se")], in_text=True)
    ]


def test_in_text_locator_then_more_keys() -> None:
    body = "Se @a [s. 3; @b, s. 4]."
    assert scan_citations(body) == [
        cite(
            body, "@a [s. 3; @b, s. 4]", [item("a", locator="s. 3"), item("b", locator="s. 4")], in_text=True
        )
    ]


def test_in_text_suppress_author() -> None:
    body = "Året var -@a."
    assert scan_citations(body) == [cite(body, "-@a", [item("a", suppress=True)], in_text=True)]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        ("Se @a [s. 3](http://x.se) nu", "@a"),  # the bracket is a link
        ("Se @a [s. 3][ref] nu", "@a"),  # a reference link
        ("Se @a [s. 3]{.klass} nu", "@a"),  # a span
        ("Se @a [^1] nu", "@a"),  # a footnote reference
        ("Se @a [s. 3; ingen nyckel] nu", "@a"),  # parts after the first need keys
        ("Se @a [Intro] nu\n\n[Intro]: http://x.se\n", "@a"),  # a defined reference link
    ],
)
def test_bracket_after_key_that_is_not_its_locator(body: str, source: str) -> None:
    assert scan_citations(body) == [cite(body, source, [item("a")], in_text=True)]


def test_empty_locator_bracket_is_taken() -> None:
    body = "Se @a [] nu"
    assert scan_citations(body) == [cite(body, "@a []", [item("a")], in_text=True)]


# --- Keys -----------------------------------------------------------------------------


@pytest.mark.parametrize("punct", list(":.#$%&-+?<>~/"))
def test_internal_punctuation(punct: str) -> None:
    body = f"Se @a{punct}b och [@c{punct}d]."
    assert keys(body) == [[f"a{punct}b"], [f"c{punct}d"]]


@pytest.mark.parametrize("punct", list(":.#$%&-+?<>~/,;!'\")"))
def test_trailing_punctuation_is_not_part_of_the_key(punct: str) -> None:
    body = f"Se @key{punct} sedan"
    assert scan_citations(body) == [cite(body, "@key", [item("key")], in_text=True)]


def test_doubled_internal_punctuation_ends_the_key() -> None:
    assert keys("Se @Foo_bar--baz nu") == [["Foo_bar"]]


def test_url_like_key_keeps_its_slashes() -> None:
    assert keys("Se @http://x.se/a nu") == [["http://x.se/a"]]


def test_sentence_end() -> None:
    body = "Detta visade @key."
    assert scan_citations(body) == [cite(body, "@key", [item("key")], in_text=True)]


@pytest.mark.parametrize("key", ["Åström2020", "ödman_ärlig", "日本語", "2020smith", "_x", "Ωmega:Ψ"])
def test_unicode_digit_and_underscore_keys(key: str) -> None:
    assert keys(f"Se @{key} och [@{key}, s. 1]") == [[key], [key]]


def test_combining_mark_ends_a_key() -> None:
    # A decomposed "é" is "e" plus a combining mark, which is not alphanumeric (as in Pandoc).
    assert keys("Se @Jose\u0301 nu") == [["Jose"]]


def test_braced_keys() -> None:
    body = "Se @{Smith2020:x} och [@{https://doi.org/10.1/x?a=1&b=2}, s. 3] och @{a{b}c}."
    assert scan_citations(body) == [
        cite(body, "@{Smith2020:x}", [item("Smith2020:x")], in_text=True),
        cite(
            body,
            "[@{https://doi.org/10.1/x?a=1&b=2}, s. 3]",
            [item("https://doi.org/10.1/x?a=1&b=2", locator="s. 3")],
        ),
        cite(body, "@{a{b}c}", [item("a{b}c")], in_text=True),
    ]


def test_braced_key_may_hold_a_semicolon_and_trailing_punctuation() -> None:
    body = "[@{a;b.}; @c]"
    assert scan_citations(body) == [cite(body, body, [item("a;b."), item("c")])]


@pytest.mark.parametrize("body", ["Se @{Smith, 2020} nu", "Se @{} nu", "Se @{a nu", "[@{Smith, 2020}]"])
def test_braced_key_without_content_or_with_whitespace_is_no_key(body: str) -> None:
    # Pandoc does not allow whitespace inside @{…}; KOP302 explains it (see below).
    assert scan_citations(body) == []


def test_nocite_wildcard_is_not_a_key_in_text() -> None:
    assert scan_citations("Se @* och [@*]") == []


# --- Never a citation -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Mejla namn@example.se i dag.",
        "Mejla förnamn.efternamn@exempel.se.",
        "Mejla a-b_c+d@example.se.",
        "Mejla <namn@example.se>.",
        "Skrivet som a.@key eller x-@key eller 2020@key.",
        r"Escaped \@key och [\@key] och [-\@key].",
        "Kod `@key` och `` a ` @key `` och ```[@key]```.",
        "Kod över rader `x\n@key` här.",
        "Kod ``x `@key` y`` här.",
        "Obalanserat ``@key` här.",  # Pandoc gives up one backtick and tries again
        "Kommentar <!-- [@key] --> här.",
        "Kommentar <!--\n[@key]\n\n@key\n--> här.",
        'Länk [text](https://x.se/@user) och ![bild](bild.png "@key").',
        "Länk <https://x.se/@user> och https://mastodon.social/@user och x.se?q=@key.",
        '<code>@key</code> <pre>[@key]</pre> <kbd>@key</kbd> <span title="@key">t</span>',
        "[^1] och [^fotnot]",
    ],
)
def test_never_a_citation(body: str) -> None:
    assert scan_citations(body) == []


@pytest.mark.parametrize(
    "fence",
    ["```", "````", "~~~", "~~~~~", "``` python", "```{.python #id}", "~~~ text med mellanslag"],
)
def test_fenced_code_blocks(fence: str) -> None:
    closer = fence.split()[0].split("{")[0]
    body = f"Före @a.\n\n{fence}\n[@key] @key\n\n@key\n{closer}\n\nEfter @b."
    assert keys(body) == [["a"], ["b"]]


def test_fence_closes_only_with_same_character_and_length() -> None:
    body = "````\n@x\n```\n@y\n~~~~\n@z\n````\nEfter @a"
    assert keys(body) == [["a"]]


def test_fence_inside_list_item() -> None:
    body = "- punkt @a\n\n    ```\n    @key\n    ```\n\n- punkt @b\n"
    assert keys(body) == [["a"], ["b"]]


def test_unclosed_fence_is_text_as_in_pandoc() -> None:
    assert keys("```\n@a\n") == [["a"]]


def test_inline_code_fence_is_not_a_fence() -> None:
    assert keys("```kod```\n@a\n```\n") == [["a"]]


def test_indented_code_block() -> None:
    body = "Text @a\n\n    @key [@key]\n\n\tkod @key\n\nText @b\n    fortsättning @c\n"
    assert keys(body) == [["a"], ["b"], ["c"]]


def test_indented_code_after_a_heading() -> None:
    assert keys("# Rubrik @a\n    kod @key\n") == [["a"]]


def test_list_continuation_is_not_code() -> None:
    body = (
        "- punkt\n\n    fortsättning @a\n\n        kod @key\n\n"
        "1. punkt\n\n   mer @b\n\nSlut @c\n\n    kod @key\n"
    )
    assert keys(body) == [["a"], ["b"], ["c"]]


def test_commented_out_fence_does_not_swallow_the_text() -> None:
    body = "<!--\n```\n-->\nText @a\n\n```\n@key\n```\n\nText @b"
    assert keys(body) == [["a"], ["b"]]


def test_comment_spanning_paragraphs() -> None:
    body = "Text @a <!-- start\n\n@key\n\n[@key] --> Text @b"
    assert keys(body) == [["a"], ["b"]]


def test_unclosed_comment_is_text() -> None:
    assert keys("Text <!-- @a") == [["a"]]


def test_raw_element_spanning_paragraphs() -> None:
    body = "<pre>\n@key\n\n[@key]\n</pre>\nText @a"
    assert keys(body) == [["a"]]


def test_reference_definition_lines_are_not_scanned() -> None:
    body = 'Text @a.\n\n[länk]: https://x.se/@user "@key"\n'
    assert keys(body) == [["a"]]


def test_bracketed_key_before_a_link_destination_is_a_link() -> None:
    # Pandoc: a link whose text holds an author-in-text citation.
    body = "Se [@key](http://x.se) och [se @a](u)."
    assert scan_citations(body) == [
        cite(body, "@key", [item("key")], in_text=True),
        cite(body, "@a", [item("a")], in_text=True),
    ]


@pytest.mark.parametrize("follower", ["{.klass}", "{#id}", "{}", "[ref]"])
def test_bracketed_key_before_attributes_or_label_is_not_a_cluster(follower: str) -> None:
    body = f"Se [@key]{follower} nu"
    assert scan_citations(body) == [cite(body, "@key", [item("key")], in_text=True)]


def test_bracket_before_a_footnote_reference_is_still_a_cluster() -> None:
    body = "Se [@key][^1] nu"
    assert scan_citations(body) == [cite(body, "[@key]", [item("key")])]


def test_cluster_inside_link_text_is_a_citation() -> None:
    body = "[se [@a]](http://x.se)"
    assert scan_citations(body) == [cite(body, "[@a]", [item("a")])]


def test_inline_note_is_not_a_cluster() -> None:
    body = "Text ^[se @a] här."
    assert scan_citations(body) == [cite(body, "@a", [item("a")], in_text=True)]


def test_escaped_bracket_is_not_a_cluster() -> None:
    body = r"Text \[@a] här."
    assert scan_citations(body) == [cite(body, "@a", [item("a")], in_text=True)]


# --- Positions ---------------------------------------------------------------------


def test_positions_use_body_line_offset() -> None:
    body = "Första stycket.\n\nAndra [@a] och\nen rad till @b.\n"
    assert scan_citations(body, body_line=12) == [
        Citation(items=[item("a")], in_text=False, start=23, end=27, line=14, column=7, source="[@a]"),
        Citation(items=[item("b")], in_text=True, start=44, end=46, line=15, column=13, source="@b"),
    ]


def test_default_body_line_is_one() -> None:
    assert scan_citations("\n\n@a")[0].line == 3


def test_tab_counts_as_one_column() -> None:
    body = "Se\t[@a]\tnu @b"
    assert [(c.line, c.column, c.start) for c in scan_citations(body)] == [(1, 4, 3), (1, 12, 11)]


def test_crlf_line_endings() -> None:
    body = "Rad ett\r\nSe [@a,\r\n s. 3] och @b\r\n[s. 4].\r\n"
    assert scan_citations(body, body_line=5) == [
        Citation(
            items=[item("a", locator="s. 3")],
            in_text=False,
            start=12,
            end=24,
            line=6,
            column=4,
            source="[@a,\r\n s. 3]",
        ),
        Citation(
            items=[item("b", locator="s. 4")],
            in_text=True,
            start=29,
            end=39,
            line=7,
            column=12,
            source="@b\r\n[s. 4]",
        ),
    ]


def test_crlf_blank_line_ends_a_paragraph() -> None:
    assert keys("Se @a\r\n\r\n[s. 3]\r\n") == [["a"]]


def test_unicode_columns_count_characters() -> None:
    body = "Åäö ☃ 𝄞 [@a]"
    assert scan_citations(body)[0].column == 9


def test_results_are_sorted_and_sources_match() -> None:
    body = "@a [@b] -@c\n\n[@d; @e] och @f [s. 1] `@x` @g"
    citations = scan_citations(body)
    assert [c.source for c in citations] == ["@a [@b]", "-@c", "[@d; @e]", "@f [s. 1]", "@g"]
    assert all(body[c.start : c.end] == c.source for c in citations)


def test_empty_and_whitespace_bodies() -> None:
    assert scan_citations("") == []
    assert scan_citations("\n\n \t\n") == []


# --- check_keys (KOP301) -------------------------------------------------------------


def test_check_keys_reports_each_unknown_key_at_its_at_sign() -> None:
    body = "Text\n\nSe [@known; se\n  -@smtih2020, s. 3] och @okänd."
    citations = scan_citations(body, body_line=4)
    assert check_keys(citations, {"known", "smith2020"}, "overviews/x.md") == [
        Diagnostic(
            path="overviews/x.md",
            line=7,
            column=4,
            code="KOP301",
            message="Okänd referensnyckel '@smtih2020'.",
            hint="Lägg till posten i references.bib eller rätta nyckeln. Menade du 'smith2020'?",
        ),
        Diagnostic(
            path="overviews/x.md",
            line=7,
            column=26,
            code="KOP301",
            message="Okänd referensnyckel '@okänd'.",
            hint="Lägg till posten i references.bib eller rätta nyckeln.",
        ),
    ]


def test_check_keys_in_text_and_braced() -> None:
    body = "Som @{a:b} [s. 3; @c] visar"
    assert [(d.line, d.column, d.message) for d in check_keys(scan_citations(body), [], "p.md")] == [
        (1, 5, "Okänd referensnyckel '@a:b'."),
        (1, 19, "Okänd referensnyckel '@c'."),
    ]


def test_check_keys_accepts_any_collection_and_known_keys_pass() -> None:
    citations = scan_citations("[@a; @b] @c")
    assert check_keys(citations, ["a", "b", "c"], "p.md") == []
    assert check_keys(citations, {"a": 1, "b": 2, "c": 3}, "p.md") == []
    assert check_keys(citations, frozenset({"a", "b", "c"}), "p.md") == []


def test_check_keys_is_case_sensitive_and_suggests_the_right_case() -> None:
    diagnostics = check_keys(scan_citations("[@Smith2020]"), {"smith2020"}, "p.md")
    assert [d.hint for d in diagnostics] == [
        "Lägg till posten i references.bib eller rätta nyckeln. Menade du 'smith2020'?"
    ]


def test_check_keys_on_hand_made_citation_falls_back_to_its_position() -> None:
    citation = Citation(items=[item("x"), item("y")], in_text=False, start=0, end=0, line=3, column=7)
    assert [(d.line, d.column) for d in check_keys([citation], {"y"}, "p.md")] == [(3, 7)]


# --- malformed_citations (KOP302) -----------------------------------------------------


BRACED_REASON = "nyckeln inom {} är tom, innehåller blanksteg eller saknar '}'."


def kop302(body: str, body_line: int = 1) -> list[tuple[int, int, str]]:
    diagnostics = malformed_citations(body, body_line, "p.md")
    return [(d.line, d.column, d.message) for d in diagnostics if d.code in ("KOP302", "KOP304")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[@]", "Felaktig källhänvisning '[@]': referensnyckeln är tom."),
        ("[-@]", "Felaktig källhänvisning '[-@]': referensnyckeln är tom."),
        ("[ @ ]", "Felaktig källhänvisning '[ @ ]': referensnyckeln är tom."),
        ("[@ key]", "Felaktig källhänvisning '[@ key]': mellanslag efter @."),
        ("[@ key, s. 3]", "Felaktig källhänvisning '[@ key, s. 3]': mellanslag efter @."),
        ("[@{Smith, 2020}]", "Felaktig källhänvisning '[@{Smith, 2020}]': " + BRACED_REASON),
        ("[@{}]", "Felaktig källhänvisning '[@{}]': " + BRACED_REASON),
        ("[@a; s. 5]", "Felaktig källhänvisning '[@a; s. 5]': delen 's. 5' saknar referensnyckel."),
        ("[@a;]", "Felaktig källhänvisning '[@a;]': en del mellan semikolon är tom."),
        ("[@.x]", "Felaktig källhänvisning '[@.x]': '.' kan inte inleda en referensnyckel."),
        ("[@a, s. 3", "Felaktig källhänvisning '[@a, s. 3': hakparentesen stängs aldrig."),
    ],
)
def test_malformed_cluster(body: str, message: str) -> None:
    assert kop302(body) == [(1, 1, message)]


def test_malformed_position_and_full_diagnostic() -> None:
    body = "Text.\n\nSe också\t[@ nyckel] här."
    assert malformed_citations(body, 20, "overviews/x.md") == [
        Diagnostic(
            path="overviews/x.md",
            line=22,
            column=10,
            code="KOP302",
            message="Felaktig källhänvisning '[@ nyckel]': mellanslag efter @.",
            hint=(
                "Ta bort mellanslaget mellan @ och nyckeln. "
                "Skriv till exempel [@nyckel], [@nyckel, s. 33] eller [se @a; @b]."
            ),
        )
    ]


def test_unclosed_bracket_report_stops_at_the_line_end() -> None:
    assert kop302("Se [@a, s. 3\nmer text") == [
        (1, 4, "Felaktig källhänvisning '[@a, s. 3': hakparentesen stängs aldrig.")
    ]


def test_long_malformed_source_is_clipped() -> None:
    message = kop302("[@a; " + "x" * 200 + "]")[0][2]
    clipped_source, clipped_part = "[@a; " + "x" * 54 + "…", "x" * 59 + "…"
    assert (
        message
        == f"Felaktig källhänvisning '{clipped_source}': delen '{clipped_part}' saknar referensnyckel."
    )


@pytest.mark.parametrize(
    "body",
    [
        "[@a] [@a; @b] [se @a, s. 3] @a [s. 3]",  # valid
        "[namn@example.se] och namn@example.se",  # addresses
        "`[@ x]` och ```\n[@]\n```\n",  # code
        "    [@]\n",  # indented code
        "<!-- [@ x] -->",  # comments
        "[@ x](http://x.se) och [@]{.klass}",  # link and span
        "[se @ 10 kr] och [text; @ a]",  # the bracket does not start with @
        "Se @ x och @ och [x @]",  # bare @ in text
        "[^@ x]",  # footnote-like
        "@a [@ b]",  # taken as the locator of @a, as in Pandoc
    ],
)
def test_no_false_malformed_reports(body: str) -> None:
    assert kop302(body) == []


# --- Messages -------------------------------------------------------------------------


def test_messages_are_registered_with_swedish_explanations() -> None:
    for message in (UNKNOWN_KEY, MALFORMED_CITATION):
        assert CATALOGUE[message.code] is message
        assert message.severity == "error"
        assert message.explanation.count(".") >= 2
    assert (UNKNOWN_KEY.code, MALFORMED_CITATION.code) == ("KOP301", "KOP302")


# --- Robustness and speed -------------------------------------------------------------

# Markdown-like text: mostly the characters and tokens the scanner cares about.
_TOKENS = [*"[]@;-{}()`<>!\\^*_~:./,# \n\t\r", "<!--", "-->", "```", "    ", "@a", "[@b", "\n\n", "a@b.se"]
_MARKDOWNISH = st.lists(st.one_of(st.sampled_from(_TOKENS), st.characters()), max_size=150).map("".join)


def _check_invariants(body: str, body_line: int) -> None:
    citations = scan_citations(body, body_line)
    previous_end = 0
    for c in citations:
        assert 0 <= previous_end <= c.start < c.end <= len(body)
        assert c.source == body[c.start : c.end]
        assert c.items and all(i.key for i in c.items)
        assert c.line == body_line + body.count("\n", 0, c.start)
        assert c.column == c.start - body.rfind("\n", 0, c.start)
        previous_end = c.end
    # Every item of every citation is unknown here; each report points at its key's '@'.
    line_starts = [0] + [i + 1 for i, char in enumerate(body) if char == "\n"]
    diagnostics = check_keys(citations, set(), "p.md")
    assert len(diagnostics) == sum(len(c.items) for c in citations)
    for d in diagnostics:
        offset = line_starts[d.line - body_line] + d.column - 1
        assert body[offset] == "@" or body[offset : offset + 2] == "-@"
    for d in malformed_citations(body, body_line, "p.md"):
        assert d.code in ("KOP302", "KOP305", "KOP306") and d.line >= body_line and d.column >= 1


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=_MARKDOWNISH, body_line=st.integers(min_value=1, max_value=10_000))
def test_property_never_raises_and_spans_are_consistent(body: str, body_line: int) -> None:
    _check_invariants(body, body_line)


@settings(max_examples=200, deadline=None)
@given(body=st.text(max_size=200))
def test_property_arbitrary_unicode(body: str) -> None:
    _check_invariants(body, 1)


# Hostile bodies: megabyte lines, thousands of brackets. Each with the number of citations
# in it (all of key "a") and of failed citation attempts (KOP302, shown or summarised).
HOSTILE = [
    ("[" * 100_000, 0, 0),
    ("]" * 100_000, 0, 0),
    ("[" * 50_000 + "]" * 50_000, 0, 0),
    ("@" * 100_000, 0, 0),
    ("[@a " * 25_000, 25_000, 25_000),  # every bracket unclosed, every @a an in-text citation
    ("[@a; x" * 15_000 + "]" * 15_000, 15_000, 15_000),
    ("@a [" * 25_000, 25_000, 24_999),  # the last '[' holds no '@'
    ("@{" * 50_000, 0, 0),
    ("@{" + "a@{b}" * 20_000, 0, 0),
    ("-" * 100_000 + "@a", 1, 0),
    ("".join("`" * i + "x" for i in range(1, 450)), 0, 0),
    ('<a b="' * 15_000, 0, 0),
    ("<!-- -->" * 12_000, 0, 0),
    ("[x](" * 25_000, 0, 0),
    ("[^a [^a " * 12_000, 0, 0),
    ("[@ [@ " * 15_000 + "]" * 30_000, 0, 30_000),
    ("```\n" * 25_000, 0, 0),
    ("x" * 1_000_000, 0, 0),
]


def _failed_attempts(diags: list[Diagnostic]) -> int:
    """KOP302 reports shown plus the number the KOP304 summary says were left out."""
    shown = sum(d.code == "KOP302" for d in diags)
    more = [int(re.search(r"\d+", d.message).group()) for d in diags if d.code == "KOP304"]  # type: ignore[union-attr]
    assert len(more) <= 1 and (shown <= MAX_MALFORMED_REPORTS)
    return shown + sum(more)


@pytest.mark.parametrize(("body", "cited", "failed"), HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_input_gives_exact_results_with_bounded_work(
    body: str, cited: int, failed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hostile input is scanned right, and the work is counted rather than timed.

    Reading a key is the scanner's inner step. Each scan reads the key at an '@' at most
    twice (on its own and as part of a bracket), so the count is linear in the body; a
    scanner that re-reads earlier text for every bracket would read each key thousands of
    times and fail here, on any machine, however fast.
    """
    reads = 0
    parse_key = inline.parse_key

    def counting(text: str, pos: int, end: int) -> tuple[str, int] | None:
        nonlocal reads
        reads += 1
        return parse_key(text, pos, end)

    monkeypatch.setattr(inline, "parse_key", counting)
    found = scan_citations(body)
    assert reads <= 2 * body.count("@")
    reads = 0
    diags = malformed_citations(body, 1, "p.md")
    assert reads <= 2 * body.count("@")
    assert len(found) == cited
    assert {i.key for c in found for i in c.items} <= {"a"}
    assert all(0 <= c.start < c.end <= len(body) for c in found)
    assert _failed_attempts(diags) == failed


def _overview(words: int = 3000, citations: int = 60) -> str:
    text = (
        "Samverkan mellan myndigheter beskrivs ofta som svår, men forskningen (se nedan) "
        "visar att det går och att resultaten är goda i de flesta kommuner."
    )
    filler = text.split()
    forms = ["[@smith2020, s. 33]", "@doe2019", "[se @a2001; @b2002, kap. 3]", "@x2010 [s. 4]"]
    out: list[str] = []
    for i in range(words):
        out.append(filler[i % len(filler)])
        if i % (words // citations) == 7:
            out.append(forms[i % len(forms)])
        if i % 120 == 119:
            out.append("\n\n")
    return " ".join(out)


def test_a_typical_overview_yields_every_citation() -> None:
    body = _overview()
    found = scan_citations(body)
    assert len(found) == 60
    assert [c.source for c in found] == ["@x2010 [s. 4]", "@doe2019"] * 30  # the forms _overview uses, in turn
    assert [c.items for c in found[:2]] == [[item("x2010", locator="s. 4")], [item("doe2019")]]
    assert malformed_citations(body, 1, "p.md") == []


def test_a_flood_of_one_unknown_key_is_summarised():
    body = "[@saknas] " * 500 + "\n[@finns]\n"
    diags = check_keys(scan_citations(body, 5), {"finns"}, "x.md")
    codes = [d.code for d in diags]
    assert codes.count("KOP301") == MAX_REPORTS_PER_KEY
    (summary,) = [d for d in diags if d.code == "KOP303"]
    more = 500 - MAX_REPORTS_PER_KEY
    assert summary.message == f"Den okända referensnyckeln '@saknas' används {more} gånger till i filen."
    assert summary.line == 5


def test_a_flood_of_malformed_citations_is_summarised():
    diags = malformed_citations("[@] " * 300, 3, "x.md")
    assert [d.code for d in diags].count("KOP302") == MAX_MALFORMED_REPORTS
    (summary,) = [d for d in diags if d.code == "KOP304"]
    more = 300 - MAX_MALFORMED_REPORTS
    assert summary.message == f"Filen har {more} trasiga källhänvisningar till utöver de som visas ovan."
    assert summary.line == 3


def _overview_with(meta: dict, citations: list[Citation]) -> Overview:
    return Overview(path=Path("o.md"), slug="o", meta=meta, body="", body_line=1, citations=citations)


def test_cited_keys_are_body_findings_and_article() -> None:
    body = "Text [@a; -@b, s. 3] och @c [s. 4]."
    meta = {
        "findings": [
            {"text": "x", "references": ["@d", "e", "@a"]},
            {"text": "utan referenser"},
            {"text": "fel typ", "references": "@inte-en-lista"},
            "inte ett fynd",
        ],
        "article": "@artikel",
    }
    assert cited_keys(_overview_with(meta, scan_citations(body))) == {"a", "b", "c", "d", "e", "artikel"}


def test_cited_keys_ignore_malformed_front_matter() -> None:
    assert cited_keys(_overview_with({}, [])) == set()
    assert cited_keys(_overview_with({"findings": None, "article": None}, [])) == set()
    assert cited_keys(_overview_with({"findings": "@x", "article": 2020}, [])) == set()
    assert cited_keys(_overview_with({"findings": [{"references": [2020]}], "article": "a"}, [])) == {"2020", "a"}


# --- Pandoc forms the site engine cannot show (KOP305, KOP306) and the escape \@ -------

PANDOC_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pandoc"


def pandoc_forms(body: str) -> list[Diagnostic]:
    return [d for d in malformed_citations(body, 10, "p.md") if d.code in ("KOP305", "KOP306")]


def test_inline_note_is_refused_with_a_normal_footnote_as_the_fix() -> None:
    body = (PANDOC_FIXTURES / "inline-note.md").read_text(encoding="utf-8")
    [diag] = pandoc_forms(body)
    assert (diag.code, diag.line, diag.column, diag.severity) == ("KOP305", 10, 19, "error")
    assert "^[Se [@danermark1999samverkan].]" in diag.message
    assert "[^1]: Se [@danermark1999samverkan]." in diag.hint


def test_bracketed_span_is_refused_with_the_plain_text_as_the_fix() -> None:
    body = (PANDOC_FIXTURES / "span.md").read_text(encoding="utf-8")
    [diag] = pandoc_forms(body)
    assert (diag.code, diag.line, diag.column) == ("KOP306", 10, 19)
    assert "[@danermark1999samverkan]{.viktig}" in diag.message
    assert "'{.viktig}'" in diag.hint and diag.hint.endswith(": @danermark1999samverkan")


@pytest.mark.parametrize(
    "body",
    [
        "[länk](https://x.se){.klass}",  # attributes on a link: attr_list renders them
        "Text\\^[inte en fotnot]",  # an escaped caret
        "Fotnot[^1].\n\n[^1]: Se [@a].",  # a normal footnote
        "`^[kod]` och `[x]{.y}`",  # code
        "^[aldrig stängd",  # Pandoc reads it as text, and so does the site
    ],
)
def test_forms_the_site_can_show_are_not_refused(body: str) -> None:
    assert pandoc_forms(body) == []


def test_pandoc_forms_are_capped_like_malformed_citations() -> None:
    diags = pandoc_forms("a^[b] " * (MAX_MALFORMED_REPORTS + 5))
    assert len(diags) == MAX_MALFORMED_REPORTS


def _project(tmp_path: Path, body: str) -> Path:
    import shutil

    from tests.conftest import REPO

    root = tmp_path / "project"
    (root / "overviews").mkdir(parents=True)
    valid = (Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "testoversikt.md").read_text(encoding="utf-8")
    (root / "overviews" / "testoversikt.md").write_text(valid.rstrip("\n") + "\n\n" + body, encoding="utf-8")
    shutil.copy(REPO / "tests" / "fixtures" / "project" / "references.bib", root / "references.bib")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    return root


@pytest.mark.slow
def test_escape_and_normal_footnote_render_as_pandoc_renders_them(tmp_path: Path) -> None:
    from kop.core.project import load_project
    from kop.site.build import build

    body = "".join((PANDOC_FIXTURES / name).read_text(encoding="utf-8") + "\n" for name in ("escape.md", "footnote.md"))
    root = _project(tmp_path, body)
    result = build(load_project(root))
    assert result.ok, result.diagnostics
    html = (root / "site" / "oversikter" / "testoversikt" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    for raw_text in ("\\@", "^[", "]{.", "\\[", "\\]"):
        assert raw_text not in article
    assert "Skriv @danermark1999samverkan när" in article
    assert "namn@example.se" in article and "[sic]" in article
    note = article[article.index('class="footnote"') :]
    assert "kop-cite" in note and "s. 12" in note  # the citation inside the footnote is formatted


@pytest.mark.slow
def test_inline_note_and_span_stop_the_build_with_their_messages(tmp_path: Path) -> None:
    from kop.core.project import load_project
    from kop.site.build import build

    body = "".join((PANDOC_FIXTURES / name).read_text(encoding="utf-8") + "\n" for name in ("inline-note.md", "span.md"))  # noqa: E501
    result = build(load_project(_project(tmp_path, body)))
    assert not result.ok
    codes = {d.code for d in result.diagnostics}
    assert {"KOP305", "KOP306"} <= codes
