"""Small text helpers shared by the citation scanner and its diagnostics.

They exist apart from both because both need them: the scanner turns offsets into file
positions for each citation, and the diagnostics do the same for each report and quote a
clipped excerpt of the offending source.
"""

from __future__ import annotations

import re
from bisect import bisect_right

CLIP = 60  # longest excerpt of the source quoted in a message

_WS_RUN = re.compile(r"[ \t\r\n]+")


def position(line_starts: list[int], offset: int, body_line: int) -> tuple[int, int]:
    """1-based (line, column) in the file of a body offset."""
    index = bisect_right(line_starts, offset) - 1
    return body_line + index, offset - line_starts[index] + 1


def clean(text: str) -> str:
    """Collapse line breaks and runs of spaces, as Pandoc does for prefixes and suffixes.

    Only ASCII whitespace is collapsed: a no-break space in "s.\u00a033" is the author's
    choice and must survive.
    """
    return _WS_RUN.sub(" ", text).strip(" ")


def clip(text: str) -> str:
    """``text`` cleaned and cut to :data:`CLIP` characters, for quoting in a message."""
    text = clean(text)
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"
