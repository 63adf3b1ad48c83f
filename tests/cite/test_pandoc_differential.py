"""Differential test: the citation scanner against the bundled Pandoc's own Markdown reader.

Every Markdown file of the project (fixture bodies, overviews, the guide) and generated
citation syntax is read by ``pandoc -f markdown-smart -t json`` and by
:func:`kop.cite.scan.scan_citations`; the citations both find must agree: keys, mode
(normal, author-in-text, suppress-author), prefix and locator/suffix text. The only
differences allowed are the deliberate ones in :data:`DEVIATIONS` (also in the README's
developer section): there the scanner refuses something Pandoc would cite, because a
false citation fails the build with an unknown key the author cannot understand.

One more deviation is encoded in the comparison itself (:data:`NESTED`): Pandoc reads a
citation inside another one's prefix or suffix (``[@a, jfr @b]``, ``[@a [@b]]``) as a
citation nested in that text; the scanner keeps it as text of the outer citation and the
check refuses it (KOP302), since the site cannot show it. So Pandoc's nested citations
are compared as the text they were written as, and every one of them must be refused.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kop.cite.pandoc import pandoc_path
from kop.cite.scan import scan_citations

REPO = Path(__file__).resolve().parents[2]
PANDOC = pandoc_path() if Path(pandoc_path()).is_file() else None
pytestmark = pytest.mark.skipif(PANDOC is None, reason="the bundled Pandoc is missing")

Cite = tuple[str, str, str, str]  # key, mode, prefix, suffix (normalised text)

# Deliberate deviations: (name, why, test on the text just before the '@' Pandoc cites).
# A citation Pandoc finds and the scanner does not is accepted only if one of these holds.
DEVIATIONS: list[tuple[str, str, Callable[[str], bool]]] = [
    ("e-post", "an '@' after e-mail punctuation that follows a word is an address (a.b-c@x.se)",
     lambda before: re.search(r"[\w][!#$%&'*+\-/=?^_{|}~.]*$", before) is not None),
    ("/@användare", "'@user' in a URL path (https://x.se/@user) is part of the address",
     lambda before: before.endswith("/")),
    ("html-kod", "text inside <code>, <pre>, <kbd>, <samp>, <script>, <style>, <textarea> is never scanned",
     lambda before: re.search(r"<(code|pre|kbd|samp|script|style|textarea)\b[^>]*>[^<]*$", before, re.I) is not None),
]

NESTED = ("nästlad", "a citation in another one's prefix or suffix is text of the outer citation for the scanner, "
          "and the check refuses it (KOP302); Pandoc nests it")

# Files left out, with the reason; the scanner's results on them are tested elsewhere.
EXCLUDED = {
    "tests/fixtures/hostile/overviews/citation-brackets.md": "Pandoc's own reader needs over a minute on it",
    "tests/fixtures/pandoc/nested-brackets.md": "Pandoc's own reader needs over a minute on it",
    "tests/fixtures/pandoc/unclosed-brackets.md": "Pandoc's own reader needs over a minute on it",
    "tests/fixtures/hostile/overviews/random-bytes.md": "not text: Pandoc refuses an '@' after a symbol such as the "
    "replacement character U+FFFD, the scanner only after letters, digits and e-mail punctuation",
}


def _text(inlines: list) -> str:
    out = []
    for node in inlines:
        kind, content = node.get("t"), node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math", "RawInline"):
            out.append(content[1])
        elif kind in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Underline"):
            out.append(_text(content))
        elif kind in ("Link", "Image", "Span", "Quoted", "Cite"):  # a nested Cite: the text it was written as
            out.append(_text(content[1]))
    return "".join(out)


_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")
_BRACED_KEY = re.compile(r"-?@\{([^{}\s]*)\}|-@")


def normalise(text: str, labels: frozenset[str] = frozenset()) -> str:
    """Markup-free text: links, emphasis, code and escape characters removed, spaces collapsed, no leading comma.

    The scanner keeps a prefix or suffix as Markdown (it is rendered later), Pandoc as
    inlines, so a link (inline, or to one of the defined ``labels``) is compared by its
    text on both sides. Pandoc writes a nested author-in-text citation back as ``@key``
    (no braces, no '-'), so keys in the text are compared that way too.
    """
    text = _LINK.sub(r"\1", text)
    for label in labels:
        text = text.replace(f"[{label}][]", label).replace(f"[{label}]", label)
    text = _BRACED_KEY.sub(lambda m: "@" + (m.group(1) or ""), text)
    text = re.sub(r"[*_`\\]", "", text)
    text = " ".join(text.split())
    return text[1:].lstrip() if text.startswith(",") else text


@dataclass
class Reading:
    """One citation in Pandoc's reading, with the citations nested in its prefix and suffix."""

    cite: Cite
    nested: list[Reading] = field(default_factory=list)

    def nested_keys(self) -> list[str]:
        """Keys of every citation nested in this one, at any depth."""
        return [key for inner in self.nested for key in (inner.cite[0], *inner.nested_keys())]


def pandoc_readings(body: str) -> list[Reading]:
    """Citations in Pandoc's reading of ``body`` in document order, with their nested citations.

    A citation inside another one's prefix or suffix is not listed on its own: it stays in
    the outer citation's text (:data:`NESTED`), and is kept in :attr:`Reading.nested`.
    """
    run = subprocess.run([str(PANDOC), "-f", "markdown-smart-yaml_metadata_block", "-t", "json"], input=body.encode("utf-8"),  # noqa: E501
                         capture_output=True, check=True, timeout=60)
    labels = defined_labels(body)

    def walk(node: object, into: list[Reading]) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                for c in node["c"][0]:
                    prefix, suffix = _text(c["citationPrefix"]), _text(c["citationSuffix"])
                    reading = Reading((c["citationId"], c["citationMode"]["t"], normalise(prefix, labels),
                                       normalise(suffix, labels)))
                    walk([c["citationPrefix"], c["citationSuffix"]], reading.nested)
                    into.append(reading)
                return  # its literal text (node["c"][1]) holds the same citations again
            for value in node.values():
                walk(value, into)
        elif isinstance(node, list):
            for value in node:
                walk(value, into)

    found: list[Reading] = []
    walk(json.loads(run.stdout)["blocks"], found)
    return found


def pandoc_reading(body: str) -> tuple[list[Cite], list[str]]:
    """Pandoc's top-level citations of ``body``, and the keys of those nested in them."""
    readings = pandoc_readings(body)
    return [r.cite for r in readings], [key for r in readings for key in r.nested_keys()]


def pandoc_cites(body: str) -> list[Cite]:
    """Citations in Pandoc's reading of ``body``, in document order (nested ones as text)."""
    return pandoc_reading(body)[0]


def defined_labels(body: str) -> frozenset[str]:
    """The labels of the link reference definitions in ``body`` (``[label]: url``)."""
    return frozenset(re.findall(r"(?m)^ {0,3}\[([^\[\]\n^][^\[\]\n]*)\]:", body))


def our_cites(body: str) -> list[Cite]:
    found: list[Cite] = []
    labels = defined_labels(body)
    for cit in scan_citations(body):
        for i, item in enumerate(cit.items):
            # "-@key" in running text is SuppressAuthor for Pandoc too, "@key" is AuthorInText
            mode = "AuthorInText" if cit.in_text and i == 0 else "NormalCitation"
            mode = "SuppressAuthor" if item.suppress_author else mode
            found.append((item.key, mode, normalise(item.prefix, labels), normalise(item.locator, labels)))
    return found


def deviation(body: str, key: str) -> str | None:
    """The name of the deliberate deviation that explains Pandoc citing ``key`` here, if any."""
    if key.startswith("*"):
        return "@*"  # Pandoc's nocite wildcard (a key may start with '*' for Pandoc) is no key in running text
    for match in re.finditer(r"@\{?" + re.escape(key), body):
        before = body[max(0, match.start() - 200) : match.start()].removesuffix("-")
        for name, _, applies in DEVIATIONS:
            if applies(before):
                return name
    return None


def refused_as_nested(body: str) -> list[str]:
    """Keys the check refuses as nested in another citation (KOP302), in document order."""
    from kop.cite.checks import malformed_citations

    keys = []
    for diagnostic in malformed_citations(body, 1, "p.md"):
        match = re.search(r"hänvisningen -?@\{?(.+?)\}? står inne i hänvisningen", diagnostic.message)
        if match:
            keys.append(match.group(1))
    return keys


def differences(body: str) -> list[str]:
    """Every way the scanner and the check disagree with Pandoc's reading of ``body``.

    A Pandoc citation that a deviation explains is not expected from the scanner; the
    citations nested in it are then read by the scanner on their own, so they are
    expected as top-level citations instead of refusals.
    """
    pool = pandoc_readings(body)
    ours = our_cites(body)
    unmatched = list(ours)
    expected_nested: list[str] = []
    problems = []
    while pool:
        reading = pool.pop(0)
        if reading.cite in unmatched:
            unmatched.remove(reading.cite)
            expected_nested += reading.nested_keys()
        elif deviation(body, reading.cite[0]) is not None:
            pool[:0] = reading.nested
        else:
            problems.append(f"only Pandoc: {reading.cite}")
            expected_nested += reading.nested_keys()
    problems += [f"only the scanner: {cite}" for cite in unmatched]
    refused = Counter(refused_as_nested(body))
    problems += [f"refused as nested, not nested for Pandoc: {key}"
                 for key in (refused - Counter(expected_nested)).elements()]
    problems += [f"nested for Pandoc, not refused: {key}" for key in (Counter(expected_nested) - refused).elements()
                 if deviation(body, key) is None]
    return problems


def body_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def markdown_files() -> list[Path]:
    files = [*REPO.glob("tests/fixtures/**/*.md"), *REPO.glob("overviews/*.md"), *REPO.glob("docs/**/*.md")]
    return sorted(f for f in files if str(f.relative_to(REPO)) not in EXCLUDED)


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_scanner_agrees_with_pandoc_on_every_markdown_file(path: Path) -> None:
    assert differences(body_of(path)) == []


def test_every_markdown_file_is_compared() -> None:
    assert len(markdown_files()) >= 40
    for excluded in EXCLUDED:
        assert (REPO / excluded).is_file(), excluded  # no stale entries


@pytest.mark.parametrize("body", ["[@a, jfr @b]", "[@a [@b]]", "[ @a [se @a, se] ]", "@a [s. 3, jfr [-@b]]",
                                  "[[jfr @b] @a]", "[@a [@b; @c] [@d]]"])
def test_nested_citations_are_the_encoded_deviation(body: str) -> None:
    """Pandoc nests these; the scanner keeps them as text of the outer citation, and the check refuses each."""
    _, nested = pandoc_reading(body)
    assert nested
    assert sorted(refused_as_nested(body)) == sorted(nested)
    assert differences(body) == []


@pytest.mark.parametrize("body", ["[x][y @k]", "[x][n. 4 @b][z]", "[se @a, jfr][se @b, jfr][se @c, se]",
                                  "[x][@b][@c]", "[@a][och @b]", "[x][y][se @k]\n\n[y]: https://x.se\n",
                                  "[@c, s. 3 *]", "@o [s. 3 *x]", "[@a [@b *x]]"])
def test_glued_brackets_and_open_emphasis_agree_with_pandoc(body: str) -> None:
    assert differences(body) == []


# --- Generated citation syntax ------------------------------------------------------

KEYS = st.sampled_from(["a", "smith2020", "Doe_99", "x:y", "a.b", "k-1", "{ü}", "_u", "{o’b}"])
WORDS = st.sampled_from(["se", "s. 3", "kap. 2", "och", "*jfr*", "s.\u00a012", "n. 4", "", "bl.a."])


@st.composite
def clusters(draw: st.DrawFn) -> str:
    items = []
    for _ in range(draw(st.integers(1, 3))):
        prefix = draw(WORDS)
        key = ("-" if draw(st.booleans()) else "") + "@" + draw(KEYS)
        suffix = draw(WORDS)
        items.append(" ".join(part for part in (prefix, key) if part) + (f", {suffix}" if suffix else ""))
    return "[" + "; ".join(items) + "]"


@st.composite
def in_text(draw: st.DrawFn) -> str:
    text = "@" + draw(KEYS)
    if draw(st.booleans()):
        text += " [" + draw(WORDS.filter(bool)) + "]"
    return text


NOISE = st.sampled_from(["Text", " ", ", ", ". ", "\n", "\n\n", "(", ")", "[", "]", ";", "namn@example.se", "`kod @x`",
                         "<!-- @y -->", "[länk](https://x.se)", "\\@z", "*", "-", "1.", "[x]", "[y]", "[]", "”", "’",
                         "»", "'"])
# Brackets glued together are reference links for Pandoc ("[x][y @k]", "[a @k][b @k][c]"), brackets inside
# brackets nest citations ("[ @a [se @a, se] ]"), and a reference definition makes "[y]" a defined label.
# Nested pieces keep their brackets balanced: a lone '[' or ']' among nested clusters pairs brackets
# across the whole paragraph, where Pandoc's reader may still pair them differently (see the README).
LEAF = st.one_of(clusters(), in_text(), NOISE.filter(lambda noise: noise not in ("[", "]")))
PIECES = st.recursive(
    LEAF,
    lambda inner: st.builds(lambda head, rest: f"[{head} {rest}]", st.one_of(clusters(), in_text()),
                            st.lists(inner, max_size=3).map(" ".join)),
    max_leaves=8,
)
GLUE = st.sampled_from(["", " ", " ", "\n"])
DEFINITION = st.sampled_from(["", "", "\n\n[y]: https://x.se\n"])
# A defined label after nested brackets is left out: inside a link's text Pandoc does not pair the brackets
# of a citation's suffix ("[[@a [b]]][y]" with y defined), a case no author writes (see the README).
BODIES = st.one_of(
    st.builds(lambda pieces, definition: " ".join(pieces) + definition,
              st.lists(st.one_of(clusters(), in_text(), NOISE), min_size=1, max_size=12), DEFINITION),
    st.lists(st.tuples(PIECES, GLUE), min_size=1, max_size=8).map(lambda pieces: "".join(a + b for a, b in pieces)),
)
ANY_TEXT = st.text(alphabet=st.sampled_from(list("[]();,-@ abc12.*_`{}\\^\n<>!:/”’")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(BODIES)
def test_scanner_agrees_with_pandoc_on_generated_citations(body: str) -> None:
    assert differences(body) == []


@settings(max_examples=200, deadline=None)
@given(st.one_of(BODIES, ANY_TEXT))
def test_scanner_never_raises_and_is_deterministic(body: str) -> None:
    from kop.cite.checks import malformed_citations

    first = (scan_citations(body), malformed_citations(body, 1, "p.md"))
    assert first == (scan_citations(body), malformed_citations(body, 1, "p.md"))
