"""Generators for the worst input that passes ``kop check`` (issue 17, item 4; docs/bidra/granser.md).

Shared by tests/check/test_limits.py (which builds it) and by whoever re-measures the limits:
``PYTHONPATH=scripts:tests .venv/bin/python -m check.worst_case <dir>`` writes the worst allowed project
there; ``time kop build --root <dir>`` measures it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
VALID = TESTS / "fixtures" / "valid" / "testoversikt.md"


def entry(i: int, group: int = 1) -> str:
    """One valid @book entry; works ``group`` at a time share a first author and year, so each needs
    APA disambiguation (2000a, 2000b …), the costliest case for Pandoc."""
    surname = f"Författare{_letters(i // group)}"
    return (f"@book{{w{i},\n  author = {{{surname}, Anna}},\n  title = {{Titel nummer {i}}},\n"
            f"  publisher = {{Förlaget}},\n  year = {{2000}}\n}}\n\n")


def _letters(i: int) -> str:
    """Distinct letter-only names (numbers in names look odd in APA): 0 -> a, 25 -> z, 26 -> ba …"""
    out = ""
    while True:
        out = chr(ord("a") + i % 26) + out
        i //= 26
        if i == 0:
            return out


def bibliography(entries: int, group: int = 1) -> str:
    head = VALID.parent.parent / "project" / "references.bib"
    return head.read_text(encoding="utf-8") + "\n" + "".join(entry(i, group) for i in range(entries))


def overview(citations: int, keys: int, per_paragraph: int = 20, unclosed: int = 0, size: int = 0) -> str:
    """The valid fixture overview with ``citations`` extra citations cycling through ``keys`` works.

    ``unclosed``: then paragraphs that each open that many ``[`` which never close, each followed
    by ten thousand characters of text (the site engine's costliest case), until the file is
    about ``size`` bytes.
    """
    text = VALID.read_text(encoding="utf-8")
    sentences = [f"Mening {n} [@w{n % keys}]." for n in range(citations)]
    paragraphs = [" ".join(sentences[i:i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)]
    out = text.rstrip("\n") + "\n\n## Många källor\n\n" + "\n\n".join(paragraphs) + "\n"
    if unclosed:
        paragraph = "[a " * unclosed + "ord " * 2500
        count = max(0, (size - len(out.encode("utf-8"))) // (len(paragraph) + 2))
        out += "\n## Hakparenteser\n\n" + "\n\n".join([paragraph] * count) + "\n"
    return out


def write_project(root: Path, citations: int, entries: int, group: int = 1, unclosed: int = 0,
                  size: int = 0) -> Path:
    """A project with one overview citing ``citations`` times and a bibliography of ``entries`` extra works."""
    (root / "overviews").mkdir(parents=True, exist_ok=True)
    body = overview(citations, max(1, entries), unclosed=unclosed, size=size)
    (root / "overviews" / "testoversikt.md").write_text(body, encoding="utf-8")
    (root / "references.bib").write_text(bibliography(entries, group), encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    if not (root / "docs").exists():
        shutil.copytree(REPO / "docs", root / "docs")
    return root


def write_worst_allowed(root: Path) -> Path:
    """The worst input that passes ``kop check``: every limit of :mod:`kop.check.limits` reached."""
    from kop.check import limits
    from kop.cite.scan import scan_citations
    from kop.sources.frontmatter import MAX_FILE_BYTES

    already = sum(len(c.items) for c in scan_citations(VALID.read_text(encoding="utf-8")))
    return write_project(root, limits.MAX_CITATIONS - already, limits.MAX_REFERENCES - 2,
                         group=limits.MAX_SAME_FIRST_AUTHOR, unclosed=limits.MAX_UNCLOSED_BRACKETS,
                         size=MAX_FILE_BYTES - 1000)


if __name__ == "__main__":
    write_worst_allowed(Path(sys.argv[1]))
