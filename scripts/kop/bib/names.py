"""Split BibTeX name lists and parse each name into a CSL name object.

BibTeX's name grammar (``and`` between names, "First von Last", "von Last, Jr, First",
braces protecting corporate names and particles) is subtle enough to deserve its own
module; the CSL conversion only needs :func:`parse_names`. Parsed names are memoised
in a bounded cache because the same authors recur across a file.
"""

from __future__ import annotations

import re

from kop.bib.latex import decode_latex

__all__ = ["parse_names"]

_CACHE_LIMIT = 200_000
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(r"\s*,\s*")
_SPACES = re.compile(r"(?:\s|(?<!\\)~)+")  # "~" is a tie between names, "\~" an accent


def _mask_braces(text: str) -> str:
    """Replace everything inside braces by "_" so that splitting ignores it (same length)."""
    out: list[str] = []
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
            out.append("{")
        elif char == "}":
            depth = max(depth - 1, 0)
            out.append("}")
        else:
            out.append("_" if depth else char)
    return "".join(out)


def _split_top_level(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split ``text`` at ``separator`` matches that are not inside braces."""
    if "{" not in text:
        return separator.split(text)
    masked = _mask_braces(text)
    parts: list[str] = []
    start = 0
    for match in separator.finditer(masked):
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    return parts


def _starts_lower(token: str) -> bool:
    """BibTeX's "von" test: does the token's first letter (outside protective braces) lower-case?"""
    for index, char in enumerate(token):
        if char == "{":
            if token.startswith("{\\", index):  # special character such as {\"o}
                decoded = decode_latex(token[index:])
                return bool(decoded) and decoded[0].islower()
            return False  # {Protected} words are never "von" parts
        if char == "\\":
            decoded = decode_latex(token[index:])
            return bool(decoded) and decoded[0].islower()
        if char.isalpha():
            return char.islower()
    return False


def _is_braced_whole(text: str) -> bool:
    """True for "{...}" where the first brace closes at the very end."""
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        return False
    depth = 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and index != len(text) - 1:
                return False
    return depth == 0


def _join(tokens: list[str]) -> str:
    return decode_latex(" ".join(tokens)) if tokens else ""


_NAME_CACHE: dict[str, dict[str, str] | None] = {}


def _parse_name(name: str) -> dict[str, str] | None:
    """Parse one BibTeX name ("Family, Given", "Given Family", "von Last, Jr, First")."""
    name = name.strip().strip(",").strip()
    if not name or name.lower() == "others":
        return None
    if _is_braced_whole(name):  # {Nordiska högskolan för folkhälsovetenskap}: a corporate author
        literal = decode_latex(name[1:-1])
        return {"literal": literal} if literal else None
    parts = [part.strip() for part in _split_top_level(name, _COMMA)]
    result: dict[str, str] = {}
    if len(parts) == 1:
        tokens = [t for t in _split_top_level(parts[0], _SPACES) if t]
        if not tokens:
            return None
        if len(tokens) == 1:
            return {"family": decode_latex(tokens[0])}
        lower = [i for i, token in enumerate(tokens[:-1]) if _starts_lower(token)]
        if lower:  # First von Last
            first, von, last = tokens[: lower[0]], tokens[lower[0] : lower[-1] + 1], tokens[lower[-1] + 1 :]
        else:
            first, von, last = tokens[:-1], [], tokens[-1:]
        jr: list[str] = []
    else:  # von Last, First  or  von Last, Jr, First
        tokens = [t for t in _split_top_level(parts[0], _SPACES) if t]
        lower = [i for i, token in enumerate(tokens[:-1]) if _starts_lower(token)]
        split = lower[-1] + 1 if lower and lower[0] == 0 else 0
        von, last = tokens[:split], tokens[split:]
        if len(parts) >= 3:
            jr = [parts[1]]
            first = [", ".join(parts[2:])]
        else:
            jr = []
            first = [parts[1]]
    family = _join(last)
    if family:
        result["family"] = family
    given = _join([t for t in first if t])
    if given:
        result["given"] = given
    particle = _join(von)
    if particle:
        result["non-dropping-particle"] = particle
    suffix = _join([t for t in jr if t])
    if suffix:
        result["suffix"] = suffix
    return result or None


def parse_names(value: str) -> list[dict[str, str]]:
    """Split a BibTeX name list on top-level " and " and parse each name into a CSL name.

    Braced names are corporate authors (``{"literal": ...}``). BibTeX's "and others"
    becomes ``{"literal": "others"}``, which Pandoc's citeproc renders as "m.fl." (et al.)
    instead of silently pretending the list of authors is complete.
    """
    names: list[dict[str, str]] = []
    for raw in _split_top_level(value.strip(), _AND):
        if raw.strip().lower() == "others":
            names.append({"literal": "others"})
            continue
        parsed = _NAME_CACHE.get(raw)
        if parsed is None and raw not in _NAME_CACHE:
            parsed = _parse_name(raw)
            if len(_NAME_CACHE) >= _CACHE_LIMIT:
                _NAME_CACHE.clear()
            _NAME_CACHE[raw] = parsed
        if parsed:
            names.append(dict(parsed))
    return names
