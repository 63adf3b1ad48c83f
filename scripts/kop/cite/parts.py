"""What the citation scanner finds: keys, clusters, failed attempts, and a paragraph's tokens.

Plain values shared by :mod:`kop.cite.inline` (which finds them) and :mod:`kop.cite.misread`
(which inspects what was found), kept apart so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- Results ------------------------------------------------------------------------


@dataclass(slots=True)
class Key:
    """A key found in the text: where the citation item starts, its '@' and its end."""

    start: int  # the '-' of a suppress-author key, else the '@'
    at: int
    end: int
    key: str
    suppress: bool


@dataclass(slots=True)
class Part:
    """One ';'-separated part of a bracket: its extent and the first key in it."""

    start: int
    end: int
    key: Key | None


@dataclass(slots=True)
class Item:
    """A citation item with the offsets the public CitationItem does not carry."""

    key: Key
    prefix: tuple[int, int]
    suffix: tuple[int, int]


@dataclass(slots=True)
class Found:
    """A citation found in the body: its extent, whether it is author-in-text, its items."""

    start: int
    end: int
    in_text: bool
    items: list[Item]


@dataclass(slots=True)
class Problem:
    """A bracket that looks like a failed citation attempt (KOP302): where, why, what to do."""

    start: int
    end: int
    reason: str
    advice: str


@dataclass(slots=True)
class Segment:
    """A paragraph's inline tokens, with brackets and parentheses paired up."""

    start: int
    end: int
    events: list[int]
    escaped: set[int]
    inert: list[tuple[int, int]] = field(default_factory=list)  # code spans, comments, tags: (start, end)
    marks: list[int] | None = None  # '*' and '_' that may be emphasis, see Scanner._marks
    brackets: dict[int, int] = field(default_factory=dict)
    parens: dict[int, int] = field(default_factory=dict)
