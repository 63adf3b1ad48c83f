"""Find Pandoc-style citations in a Markdown body: the public entry point of the scanner.

The syntax is Pandoc's ("Citation syntax" in the Pandoc manual), because authors already
know it from Pandoc, Quarto and Zotero exports, and because it is well specified. Where the
manual is silent the behaviour follows Pandoc's Markdown reader (checked against pandoc
3.9): a bracketed cluster ``[see @a, p. 3; @b]`` is a citation only if every
``;``-separated part holds a key, a bracket followed by ``(…)``, ``{…}`` or ``[…]`` is a
link, span or reference link instead, and ``@key [p. 3]`` takes the bracket after it as
its locator.

The scanner deliberately differs from Pandoc where Pandoc would turn something that is
clearly not a citation into one, because a false citation makes the build fail with an
unknown-key error that the author cannot understand:

* an ``@`` glued to a word by e-mail characters is not a key, so ``namn@example.se``,
  ``a-@b`` and ``https://x.se/@user`` (Pandoc cites ``@user`` there) are plain text;
* the contents of ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``, ``<script>``, ``<style>``
  and ``<textarea>`` are never scanned, like Markdown code;
* ``@*`` (Pandoc's ``nocite`` wildcard) is not a key in running text;
* example lists (``(@good)``), raw TeX, math and implicit heading references are not
  recognised, and braced keys nest only one level deep (``@{a{b}c}``);
* a citation inside another one's prefix or suffix (``[@a, jfr @b]``, ``[@a [@b]]``), which
  Pandoc nests, stays text of the outer citation (the check refuses it).

Some citations are read exactly as Pandoc reads them and still refused by the check
(:mod:`kop.cite.checks`, KOP302), because the page would not show what the author meant:
a quotation mark glued to a key (``[se @key”]``: Pandoc ends the key at the quote, which
then shows in the citation), a quotation mark alone or unpaired inside a citation, and a
``*`` never closed inside one (Pandoc then reads no citation at all, nor does the scanner).
Brackets glued together are Pandoc's reference links: ``[x][se @k][y]`` cites ``@k``,
since an undefined label is read again on its own.

Everything here is pure and linear in the length of the body: the text is split into
paragraphs line by line, and each paragraph is tokenised once with a regular expression
that only stops at the few characters that matter, so that a 3,000-word overview scans in
about a millisecond and hostile input (megabyte lines, thousands of brackets) cannot make
it slow. Nothing here raises on any ``str``.

The work is split by job: :mod:`kop.cite.blocks` finds the paragraphs,
:mod:`kop.cite.opaque` the code, comments and HTML that are never scanned,
:mod:`kop.cite.syntax` what a key is, :mod:`kop.cite.inline` the clusters in each
paragraph (:mod:`kop.cite.misread` flags those the page would show other than meant);
this module turns what they find into :class:`~kop.core.model.Citation` values, and
:mod:`kop.cite.checks` reports unknown keys and malformed citations.
"""

from __future__ import annotations

from kop.cite.inline import Found, Scanner
from kop.cite.parts import Problem
from kop.cite.text import clean, position
from kop.core.model import Citation, CitationItem

__all__ = ["scan", "scan_citations"]


def scan_citations(body: str, body_line: int = 1) -> list[Citation]:
    """Return every citation in a Markdown body, sorted by position.

    ``body_line`` is the file line where the body starts, so that ``line``/``column`` of
    each citation point into the file and diagnostics can be placed by editors.
    """
    return scan(body, body_line)[0]


def scan(body: str, body_line: int = 1) -> tuple[list[Citation], Scanner, list[Problem]]:
    """The citations, and the scanner with what looked like a citation but was none (for KOP302).

    One pass serves both: the citations and the check of malformed ones
    (:func:`kop.cite.checks.malformed_citations`) read the same scan.
    """
    scanner = Scanner(body)
    found, problems = scanner.run()
    return [_to_citation(body, f, scanner.line_starts, body_line) for f in found], scanner, problems


def _to_citation(body: str, found: Found, line_starts: list[int], body_line: int) -> Citation:
    items = []
    for item in found.items:
        locator = clean(body[item.suffix[0] : item.suffix[1]])
        if locator.startswith(","):
            locator = locator[1:].lstrip(" ")
        items.append(
            CitationItem(
                key=item.key.key,
                prefix=clean(body[item.prefix[0] : item.prefix[1]]),
                locator=locator,
                suppress_author=item.key.suppress,
            )
        )
    line, column = position(line_starts, found.start, body_line)
    return Citation(
        items=items,
        in_text=found.in_text,
        start=found.start,
        end=found.end,
        line=line,
        column=column,
        source=body[found.start : found.end],
    )

