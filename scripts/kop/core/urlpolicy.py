"""The one URL policy: which addresses contributed content may link to or load from.

Used by the body check (:mod:`kop.check.safety`), the sanitiser (:mod:`kop.site.sanitize`)
and the BibTeX validator (:mod:`kop.bib.validate`), so that all three agree on what a
browser will make of an address. A URL is first normalised as a browser does (the WHATWG
URL standard's parsing rules): HTML entities are decoded when the value came from HTML,
leading and trailing C0 controls and spaces are stripped, tabs and line breaks are removed
anywhere, the scheme is matched without regard to case, and backslashes count as slashes
for the special schemes (http, https, ftp, ws, wss, file) and for relative references, so
``/\\evil.example`` and ``\\/evil.example`` are protocol-relative addresses of another host.

Then links may only be ``http``, ``https``, ``mailto`` or relative; images and other media
only relative addresses without a host (files of the site itself).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = ["LINK_SCHEMES", "ParsedUrl", "link_allowed", "media_allowed", "normalise", "parse", "srcset_urls"]

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
SPECIAL_SCHEMES = frozenset({"http", "https", "ftp", "ws", "wss", "file"})

_EDGE_JUNK = "".join(chr(c) for c in range(0x21))  # C0 controls and space
_TAB_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass(frozen=True, slots=True)
class ParsedUrl:
    """What a browser makes of an address: its scheme (lower case, or None when relative)
    and whether it names a host (``//host`` or a special scheme's authority)."""

    url: str
    scheme: str | None
    has_host: bool

    @property
    def relative(self) -> bool:
        return self.scheme is None


def normalise(url: str, *, from_html: bool = True) -> str:
    """``url`` as a browser's URL parser sees it before resolving it (see the module docstring)."""
    if from_html:
        url = html.unescape(url)
    url = _TAB_NEWLINE.sub("", url.strip(_EDGE_JUNK))
    match = _SCHEME.match(url)
    if match is None or match.group(1).lower() in SPECIAL_SCHEMES:
        url = url.replace("\\", "/")
    if match is not None:
        url = match.group(1).lower() + url[match.end(1):]
    return url


def parse(url: str, *, from_html: bool = True) -> ParsedUrl:
    """Normalise ``url`` and say what scheme it has and whether it points at a host."""
    normalised = normalise(url, from_html=from_html)
    match = _SCHEME.match(normalised)
    if match is None:
        return ParsedUrl(normalised, None, normalised.startswith("//"))
    scheme = match.group(1).lower()
    rest = normalised[match.end():]
    # "http:evil.example" relative to an http page is a path, but with a scheme it is never
    # one of the site's own files; for special schemes any authority is a host.
    has_host = rest.startswith("//") or (scheme in SPECIAL_SCHEMES and scheme != "file")
    return ParsedUrl(normalised, scheme, has_host)


def link_allowed(url: str, *, from_html: bool = True) -> bool:
    """Whether ``url`` may be the target of a link: http(s), mailto or relative."""
    parsed = parse(url, from_html=from_html)
    return parsed.scheme is None or parsed.scheme in LINK_SCHEMES


def media_allowed(url: str, *, from_html: bool = True) -> bool:
    """Whether ``url`` may be loaded as an image or other media: a file of the site (no scheme, no host)."""
    parsed = parse(url, from_html=from_html)
    return parsed.scheme is None and not parsed.has_host


def srcset_urls(value: str, *, from_html: bool = True) -> list[str]:
    """The URLs of a ``srcset`` value (comma-separated candidates, each ``url [descriptor]``)."""
    if from_html:
        value = html.unescape(value)
    out = []
    for candidate in value.split(","):
        parts = candidate.strip(_EDGE_JUNK).split()
        if parts:
            out.append(parts[0])
    return out


def srcset_allowed(value: str, *, from_html: bool = True) -> bool:
    """Whether every candidate of a ``srcset`` is a file of the site."""
    return all(media_allowed(url, from_html=False) for url in srcset_urls(value, from_html=from_html))


# Characters no contributed string may hold (front matter after YAML escapes, BibTeX fields,
# seminars): C0 controls except tab and line feed, DEL and C1, the line and paragraph
# separators (JSON and JavaScript disagree about them), lone surrogates (not encodable as
# UTF-8, so no file can be written with them) and U+FFFE/U+FFFF, which XML 1.0 forbids too.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def control_character(text: str) -> tuple[int, str] | None:
    """Offset and ``U+XXXX`` name of the first forbidden control character in ``text``, or None."""
    match = CONTROL_CHARACTERS.search(text)
    return None if match is None else (match.start(), f"U+{ord(match.group(0)):04X}")
