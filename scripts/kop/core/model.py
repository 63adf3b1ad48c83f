"""Plain data types shared by every pipeline step.

The pipeline is load -> validate -> resolve citations -> render -> publish; each step
takes and returns these values so that the steps stay independent and testable.
Problems are collected as ``Diagnostic`` values instead of being raised, so that a
single run can report every problem in every file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a source file.

    ``line`` and ``column`` are 1-based (0 means "unknown"), as editors and GitHub
    annotations expect. ``message`` says what is wrong and ``hint`` how to fix it;
    both are Swedish because authors read them. ``code`` is a stable identifier
    (e.g. ``"KOP104"``) used by the message catalogue in the contributor guide.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"


@dataclass
class CitationItem:
    """One cited work inside a citation cluster, in Pandoc's terms."""

    key: str
    prefix: str = ""
    locator: str = ""  # locator and suffix text after the key, e.g. "s. 33"
    suppress_author: bool = False


@dataclass
class Citation:
    """A citation cluster as written in the Markdown body.

    ``start``/``end`` are character offsets into the body text so that the renderer
    can replace the exact source span; ``line``/``column`` are 1-based positions in
    the *file* (front matter included) for diagnostics.
    """

    items: list[CitationItem]
    in_text: bool  # True for author-in-text forms: @key and @key [s. 33]
    start: int
    end: int
    line: int
    column: int
    source: str = ""


@dataclass
class Reference:
    """One entry of references.bib, decoded and converted to CSL-JSON."""

    key: str
    entry_type: str
    line: int  # 1-based line of the @type{ line in references.bib
    fields: dict[str, str]
    csl: dict[str, Any] = field(default_factory=dict)


@dataclass
class SourceDocument:
    """A Markdown file with YAML front matter: its metadata, body and where things are.

    Overviews and seminars share this shape, so loading and schema validation are shared.
    """

    path: Path
    slug: str
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based file line where the Markdown body starts
    positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)

    def pos(self, *keys: Any) -> tuple[int, int]:
        """Return the (line, column) of a front-matter key path, or the nearest parent."""
        path = tuple(keys)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


@dataclass
class Overview(SourceDocument):
    """One overview file after loading, with the citations found in its body."""

    citations: list[Citation] = field(default_factory=list)
    # LIX of each text the readability check reads (key path -> value), measured with the file's
    # own checks so a cached file is not measured again; None until measured.
    readability: dict[tuple[str, ...], float | None] | None = None
