"""Tests for kop.cite.markup: the edits that make the site engine read a body as Pandoc does, in linear time."""

from __future__ import annotations

import random
from pathlib import Path

import markdown
import pytest

from kop.cite.markup import MAX_LIVE_DEPTH, page_edits

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pandoc"
# The extensions of mkdocs.yml that read inline text (rawhtml only stashes generated HTML).
EXTENSIONS = ["admonition", "attr_list", "tables", "footnotes", "def_list", "toc", "pymdownx.details",
              "pymdownx.superfences"]


def edited(body: str) -> str:
    pieces, done = [], 0
    for start, end, text in page_edits(body):
        pieces += (body[done:start], text)
        done = end
    return "".join(pieces) + body[done:]


def bracket_work(text: str, budget: int) -> int:
    """Characters Python-Markdown's link patterns scan, from every unescaped '[' to its ']' or the end
    (counting stops after ``budget``)."""
    work = 0
    for i, char in enumerate(text):
        if char != "[" or (i and text[i - 1] == "\\"):
            continue
        depth = 0
        for j in range(i, len(text)):
            work += 1
            if work > budget:
                return work
            depth += {"[": 1, "]": -1}.get(text[j], 0) if (j == i or text[j - 1] != "\\") else 0
            if depth == 0:
                break
    return work


@pytest.mark.parametrize("name", ["unclosed-brackets.md", "nested-brackets.md"])
def test_worst_case_bracket_paragraphs_cost_linear_work(name: str) -> None:
    body = (FIXTURES / name).read_text(encoding="utf-8")
    budget = 20 * len(body)
    assert bracket_work(body, budget) > budget  # quadratic as written (thousands of characters per '[')
    assert bracket_work(edited(body), budget) <= 2 * len(body)  # linear after the edits


def test_escape_before_at_sign_is_removed_outside_code() -> None:
    assert edited("Skriv \\@nyckel, `\\@kod` och\n\n    \\@indraget") == "Skriv @nyckel, `\\@kod` och\n\n    \\@indraget"  # noqa: E501


def test_brackets_that_cannot_be_links_are_escaped_and_links_are_kept() -> None:
    body = "[sic]. [länk](u) [ref][x] [x] [^1] [a [b] c](u) [@a] [öppen\n\n[x]: https://x.se"
    assert edited(body) == (
        "\\[sic\\]. [länk](u) [ref][x] [x] [^1] [a \\[b\\] c](u) [@a] \\[öppen\n\n[x]: https://x.se"
    )


def test_nothing_inside_a_citation_is_edited() -> None:
    assert page_edits("Se [@a, [s. 3]] och @b [kap. [2]].") == []


def test_live_brackets_nest_at_most_the_limit() -> None:
    body = "[" * 4 + "a](u)" * 4
    assert edited(body).count("\\[") == 4 - MAX_LIVE_DEPTH


@pytest.mark.parametrize(
    "body",
    ["`[` [x", "<b>[</b> [x", "Text\n```\n[kod\n```\n[x", "a\t[x", "- a\n\n      [x", "[x\n~~~\n[y\n~~~"],
)
def test_paragraphs_the_engine_may_read_differently_are_left_alone(body: str) -> None:
    assert page_edits(body) == []


ALPHABET = ["[", "]", "(", ")", "x", " ", "\n", "^", "!", "`", "\\", ":", "1", "\n\n", "[x]: http://e\n", "*",
            "<b>", "{.c}", "#", "    ", "- ", "ab", "@a", "> ", "1. ", "|", "<!--", "-->", "```\n", "~~~\n", "\t",
            "[^1]", "](u)", "[^1]: n\n"]


def test_edits_never_change_what_the_engine_renders() -> None:
    """Thousands of bracket-heavy bodies (a fixed seed, so the run is the same every time)."""
    rng = random.Random(1)
    for _ in range(1500):
        body = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
        if "\\@" in body:
            continue
        assert markdown.markdown(edited(body), extensions=EXTENSIONS) == markdown.markdown(body, extensions=EXTENSIONS), body  # noqa: E501
