"""Read an overview file: split YAML front matter from the Markdown body, safely.

Why not ``yaml.safe_load``: we need the line and column of every key (so each
message points at the exact YAML key), we must detect duplicate keys (PyYAML keeps the
last one silently), and we must bound what hostile input can cost. So the YAML is
*composed* into a node graph (linear in the input, aliases are not expanded) and then
converted by our own walker, which refuses aliases, foreign tags and deep nesting.
Dates stay strings: YAML would otherwise turn ``2024-03-15`` into a ``date`` object
and ``2024-13-45`` into an error with no useful position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kop.core.catalogue import message
from kop.core.model import Diagnostic
from kop.sources import word_quotes
from kop.sources.files import read_source

MAX_FILE_BYTES = 1_000_000
MAX_FRONT_MATTER_BYTES = 64_000
MAX_YAML_DEPTH = 20
MAX_YAML_NODES = 20_000

NOT_UTF8 = message("KOP101")
TOO_LARGE = message("KOP102")
NO_FRONT_MATTER = message("KOP103")
UNCLOSED_FRONT_MATTER = message("KOP104")
YAML_SYNTAX = message("KOP105")
DUPLICATE_KEY = message("KOP106")
NOT_MAPPING = message("KOP107")
YAML_FEATURE = message("KOP108")
TOO_DEEP = message("KOP109")
WORD_QUOTED = message("KOP117")
WORD_QUOTE_SYNTAX = message("KOP118")

_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass
class SourceFile:
    """A decoded text file, with line endings normalised to ``\\n``."""

    path: str
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_text(path: Path, display: str, limit: int = MAX_FILE_BYTES, root: Path | None = None) -> SourceFile:
    """Read and decode a UTF-8 source file, reporting size and encoding problems.

    Only a regular file inside the repository is read (:mod:`kop.core.safefs`): links that
    leave it, FIFOs, sockets and devices are refused with a message, and nothing blocks.
    ``root`` is the repository; by default it is implied by ``path`` and ``display``.
    A BOM is dropped and CRLF/CR become LF so that line numbers match what editors show.
    """
    data, problem = read_source(path, display, root)
    if data is None:
        return SourceFile(display, "", [problem] if problem else [])
    return decode_text(data, display, limit)


def decode_text(data: bytes, display: str, limit: int = MAX_FILE_BYTES) -> SourceFile:
    """Decode bytes as UTF-8 with the checks of :func:`read_text`."""
    if len(data) > limit:
        return SourceFile(display, "", [TOO_LARGE.at(display, 1, 1, size=len(data), limit=limit)])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return SourceFile(display, "", [NOT_UTF8.at(display, line, col, bad_line=line)])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return SourceFile(display, "", [NOT_UTF8.at(display, line, 1, bad_line=line)])
    return SourceFile(display, text)


@dataclass
class FrontMatter:
    """The result of splitting and parsing one file's front matter."""

    meta: dict[str, Any]
    body: str
    body_line: int
    positions: dict[tuple[Any, ...], tuple[int, int]]
    diagnostics: list[Diagnostic]


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver, so dates stay strings."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# libyaml (C) composes ~10x faster than pure-Python PyYAML, which dominated `kop check` on a
# thousand overviews. Same resolvers, so the same values; used only on text whose nesting is
# provably shallow (the C composer recurses without Python's recursion guard), and any
# error is re-parsed by the Python loader so messages stay exactly as before.
_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
        """C SafeLoader with the same resolvers as :class:`_Loader` (dates stay strings)."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader = _CLoader
_NESTING = re.compile(r"[\[{]|(?:^|\s)[-?](?=\s)|^ +", re.M)
_NESTING_LIMIT = 2000


def shallow(text: str) -> bool:
    """Whether libyaml may read ``text``: its C composer recurses with no guard, so deep nesting crashes it.

    The bound is the total length of nesting marks (brackets, ``-``/``?`` indicators, indents).
    Counting characters first bounds it from above (each mark is a bracket, a dash or question
    mark with at most one whitespace before it, or spaces) and is ten times faster than the regex.
    """
    rough = (text.count("[") + text.count("{") + 2 * (text.count("-") + text.count("?")) + text.count(" "))
    return rough <= _NESTING_LIMIT or sum(len(m) for m in _NESTING.findall(text)) <= _NESTING_LIMIT


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml when nesting cannot exceed a small bound, else with pure Python."""
    if _FastLoader is not None and shallow(text):
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass  # fall through: the Python loader produces the exact diagnostic
    return yaml.compose(text, Loader=_Loader)


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def split_front_matter(src: SourceFile) -> FrontMatter:
    """Split ``src`` into front matter and body and parse the front matter."""
    display = src.path
    lines = src.text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter({}, src.text, 1, {}, [NO_FRONT_MATTER.at(display, 1, 1)])
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        return FrontMatter({}, "", len(lines), {}, [UNCLOSED_FRONT_MATTER.at(display, len(lines), 1)])
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    body_line = end + 2
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        size = len(yaml_text.encode("utf-8"))
        diag = TOO_LARGE.at(display, 2, 1, size=size, limit=MAX_FRONT_MATTER_BYTES)
        return FrontMatter({}, body, body_line, {}, [diag])
    meta, positions, diags = parse_yaml(yaml_text, display, line_offset=1)
    if not isinstance(meta, dict):
        if not diags:
            kind = "tom" if meta is None else "en lista" if isinstance(meta, list) else "ett enskilt värde"
            diags.append(NOT_MAPPING.at(display, 2, 1, kind=kind))
        meta = {}
    return FrontMatter(meta, body, body_line, positions, diags)


def parse_yaml(
    text: str, display: str, line_offset: int = 0
) -> tuple[Any, dict[tuple[Any, ...], tuple[int, int]], list[Diagnostic]]:
    """Parse YAML text into plain values plus a map of key path -> (line, column).

    ``line_offset`` is the number of file lines before ``text`` (1 for front matter,
    which starts after the opening ``---``).
    """
    diags: list[Diagnostic] = []
    positions: dict[tuple[Any, ...], tuple[int, int]] = {}
    if "\t" in text:
        # YAML forbids tabs for indentation; say so plainly, at the first one that indents.
        for i, line in enumerate(text.split("\n")):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                diags.append(
                    YAML_SYNTAX.at(display, i + 1 + line_offset, len(line) - len(stripped) + 1,
                                   problem="tabbtecken används som indrag")
                )
                return None, positions, diags
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context and "quoted scalar" in exc.context and exc.context_mark:
            mark = exc.context_mark  # point at the opening quote, not at the end of the file
        line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
        col = (mark.column + 1) if mark else 1
        problem = _swedish_yaml_problem(exc)
        unbalanced = _unbalanced_quote(text, (mark.line + 1) if mark else None)
        if unbalanced:
            line, col = unbalanced[0] + line_offset, unbalanced[1]
            problem = "ett citattecken öppnas här men stängs aldrig på samma rad"
        word = _word_quote_syntax(text, line - line_offset, display, line_offset)
        diags.append(word or YAML_SYNTAX.at(display, line, col, problem=problem))
        return None, positions, diags
    except RecursionError:
        diags.append(TOO_DEEP.at(display, 1 + line_offset, 1, depth=MAX_YAML_DEPTH, nodes=MAX_YAML_NODES))
        return None, positions, diags
    except yaml.YAMLError as exc:  # e.g. reader errors on control characters
        diags.append(YAML_SYNTAX.at(display, 1 + line_offset, 1, problem=str(exc).splitlines()[0]))
        return None, positions, diags
    if node is None:
        return None, positions, diags
    walker = _Walker(display, line_offset, positions, diags)
    try:
        value = walker.convert(node, (), 0)
    except _Abort:
        return None, positions, diags
    return value, positions, diags


def _word_quote_syntax(text: str, number: int, display: str, line_offset: int) -> Diagnostic | None:
    """KOP118 when the line YAML failed on holds a typographic quote (Word's ” instead of ")."""
    lines = text.split("\n")
    if not 1 <= number <= len(lines):
        return None
    line = lines[number - 1]
    match = re.match(r"\s*(?:-\s+)?(?:[^\s:#\"'][^:#]*:\s+)?", line)
    start = match.end() if match else 0
    rest = line[start:]
    if rest[:1] in word_quotes.TYPOGRAPHIC:  # ”Något: en studie” – Word's quote where YAML wants "
        column, char = start + 1, rest[0]
    elif rest[:1] in ('"', "'") and word_quotes.first_in_line(rest[1:]):  # "Något” – closed by Word's quote
        offset, char = word_quotes.first_in_line(rest[1:]) or (0, "")
        column = start + 1 + offset
    else:
        return None  # a typographic quote inside the text did not cause this error
    key, sep, value = line.partition(":")
    if sep and key.strip() and not key.lstrip().startswith(("-", '"', "'")):
        inner = value.strip()
        if word_quotes.wrapped(inner):
            inner = word_quotes.unwrap(inner)
        example = f"{key.strip()}: {word_quotes.straight(inner)}"
    else:
        example = word_quotes.straight("…")
    return WORD_QUOTE_SYNTAX.at(display, number + line_offset, column, name=word_quotes.NAMES[char],
                                col=column, example=example)


def _unbalanced_quote(text: str, error_line: int | None) -> tuple[int, int] | None:
    """Find the first line up to the error whose quoted value never closes on that line.

    YAML lets a quoted value run over several lines, so PyYAML reports a forgotten quote
    far below the real mistake. Only used after a parse error, so valid multi-line
    values are never flagged.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if error_line is not None and number > error_line:
            break
        match = re.match(r'^\s*(?:-\s+)?(?:[^\s:#"\'][^:#]*:\s+)?(["\'])', line)
        if not match:
            continue
        quote = match.group(1)
        rest = line[match.end():]
        closed = (rest.replace('\\\\', "").replace('\\"', "").count('"') if quote == '"'
                  else rest.replace("''", "").count("'")) > 0
        if not closed:
            return number, match.start(1) + 1
    return None


def _field_name(path: tuple[Any, ...]) -> str:
    """A key path as authors read it (``authors[2].name``), as the schema messages write it."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "front matter"


class _Abort(Exception):
    """Stop converting: a limit was hit and already reported."""


class _Walker:
    """Convert a composed YAML node graph into Python values with positions."""

    def __init__(self, display: str, offset: int, positions: dict, diags: list[Diagnostic]) -> None:
        self.display = display
        self.offset = offset
        self.positions = positions
        self.diags = diags
        self.seen: set[int] = set()
        self.count = 0
        self.constructor = _Loader("")

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def convert(self, node: yaml.Node, path: tuple[Any, ...], depth: int) -> Any:
        self.count += 1
        if depth > MAX_YAML_DEPTH or self.count > MAX_YAML_NODES:
            line, col = self._pos(node)
            self.diags.append(TOO_DEEP.at(self.display, line, col, depth=MAX_YAML_DEPTH, nodes=MAX_YAML_NODES))
            raise _Abort
        if id(node) in self.seen:
            line, col = self._pos(node)
            self.diags.append(YAML_FEATURE.at(self.display, line, col, feature="alias (*)"))
            raise _Abort
        self.seen.add(id(node))
        self.positions.setdefault(path, self._pos(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return self._bad_tag(node)
            return [self.convert(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            return self._bad_tag(node)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            line, col = self._pos(node)
            self.diags.append(YAML_SYNTAX.at(self.display, line, col, problem=f"ogiltigt värde '{node.value}'"))
            return None
        if isinstance(value, str) and not node.style and word_quotes.wrapped(value):
            return self._word_quoted(node, path, value)
        return value

    def _word_quoted(self, node: yaml.ScalarNode, path: tuple[Any, ...], value: str) -> str:
        """Report a value wrapped in Word's quotes (KOP117) and go on with what the author meant.

        The other checks then judge the intended value, so ``published: ”2024-03-15”`` gets
        this one message instead of a misleading date-format error as well.
        """
        line, col = self._pos(node)
        inner = word_quotes.unwrap(value)
        key = _field_name(path)
        lead = "- " if path and isinstance(path[-1], int) else f"{path[-1] if path else key}: "
        fixed, kept = lead + word_quotes.straight(inner), lead + word_quotes.straight(value)
        self.diags.append(WORD_QUOTED.at(self.display, line, col, key=key, fixed=fixed, kept=kept,
                                         name=word_quotes.NAMES[value[0]]))
        return inner

    def _bad_tag(self, node: yaml.Node) -> None:
        line, col = self._pos(node)
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        self.diags.append(YAML_FEATURE.at(self.display, line, col, feature=f"taggen '{tag}'"))
        raise _Abort

    def _mapping(self, node: yaml.MappingNode, path: tuple[Any, ...], depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self._bad_tag(node)
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                line, col = self._pos(key_node)
                self.diags.append(YAML_FEATURE.at(self.display, line, col, feature="sammanslagning (<<)"))
                raise _Abort
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = self._pos(key_node)
                self.diags.append(YAML_SYNTAX.at(self.display, line, col, problem="ett fältnamn måste vara text"))
                raise _Abort
            key = str(key_node.value)
            line, col = self._pos(key_node)
            if key in result:
                self.diags.append(DUPLICATE_KEY.at(self.display, line, col, key=key, first=first_line[key]))
                continue
            first_line[key] = line
            self.positions[(*path, key)] = (line, col)
            self.count += 1
            result[key] = self.convert(value_node, (*path, key), depth + 1)
            # the key's own position wins over the value's for diagnostics
            self.positions[(*path, key)] = (line, col)
        return result


_YAML_PROBLEMS = {
    "found unexpected end of stream": (
        "texten tar slut mitt i ett värde (ett citattecken eller en klammer stängs aldrig)"
    ),
    "found character '\\t' that cannot start any token": "tabbtecken är inte tillåtna som indrag",
    "mapping values are not allowed here": "ett kolon står där det inte får stå (sätt texten inom citattecken)",
    "could not find expected ':'": "ett kolon saknas efter fältnamnet",
    "found undefined alias": "ett alias (*) pekar på ett ankare som inte finns",
    "expected <block end>, but found '-'": "ett listelement (-) har fel indrag",
    "found unexpected ':'": "ett kolon står där det inte får stå (sätt texten inom citattecken)",
    "found character that cannot start any token": (
        "ett tecken som inte får inleda ett värde (sätt texten inom citattecken)"
    ),
}


def _swedish_yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """Translate PyYAML's English problem text into Swedish where we know it."""
    problem = (exc.problem or exc.context or "okänt fel").strip()
    for english, swedish in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return swedish
    if "quoted scalar" in (exc.context or "") or "quoted scalar" in problem:
        return "ett citattecken stängs aldrig"
    if "expected <block end>" in problem or "expected <document start>" in problem:
        return "fel indrag: raden passar inte in i strukturen ovanför"
    if "duplicate" in problem:
        return "ett fält förekommer två gånger"
    return f"YAML kunde inte läsas ({problem})"
