"""Front matter of overview files read from git blobs: older versions, parsed once each and fast.

A cold history scan parses every older version's front matter; that is most of its time. The
versions of one overview repeat most of their front matter, so a head that cuts cleanly into
top-level entries (and item lists into items) is parsed piece by piece through a memo shared by
the versions parsed together. Anything unusual (anchors, tags, deep nesting, text the cut cannot
prove exact) goes through libyaml whole or through the bounded loader of
:mod:`kop.sources.frontmatter`, so the values are always what the working tree's parse reads.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from kop.sources.frontmatter import _FastLoader as _FAST
from kop.sources.frontmatter import decode_text, shallow, split_front_matter

_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*!][^\s]", re.M)
FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_FENCE_LINE = re.compile(r"(?:---|\.\.\.)[ \t]*(?:\n|$)")


def fence_end(text: str) -> tuple[int, int] | None:
    """(start, end) of the line closing the front matter, as ``FENCE`` finds it, found by ``str.find``.

    The regex scans every character of the file (the body is most of it); the fence is one of
    a few lines that start with ``-`` or ``.``.
    """
    pos = 3
    while True:
        dash, dots = text.find("\n---", pos), text.find("\n...", pos)
        found = min((i for i in (dash, dots) if i >= 0), default=-1)
        if found < 0:
            return None
        match = _FENCE_LINE.match(text, found + 1)
        if match is not None:
            return found + 1, match.end() - (1 if match.group().endswith("\n") else 0)
        pos = found + 1


_FENCE_BYTES = re.compile(rb"^(?:---|\.\.\.)[ \t]*$", re.M)


_TOP_KEY = re.compile(r"^(?=[A-Za-z_][\w-]*:(?: |$))", re.M)
_TOP_LINE_OK = re.compile(r"^(?:[A-Za-z_][\w-]*:(?: |$)|- |-$|#|$|[ \t])")


def _blocks(head: str) -> list[str] | None:
    """The head cut at each top-level ``key:`` line, or None when a line at column 0 is anything else.

    Versions of one overview share most of their front matter (title, authors, search …), so a
    block seen before need not be parsed again. Cutting is exact only when every entry of the
    top-level mapping starts with a plain key at column 0 and every other column-0 line is a
    compact sequence item, a comment or blank: then each block is a mapping of its own and
    the whole is their union in order (anchors, aliases and tags are excluded by the caller;
    ``<<`` merge keys are not plain keys, so they go to the whole parse).
    """
    if any(not _TOP_LINE_OK.match(line) for line in head.split("\n")):
        return None
    parts = _TOP_KEY.split(head)
    if parts and parts[0].strip(" \t\n") and not parts[0].lstrip().startswith("#"):
        return None  # text before the first key: only the whole parse says what it means
    return [part for part in parts[1:] if part]


def _copy(value: Any) -> Any:
    """A fresh copy of the containers in a parsed value (a memoised block is shared otherwise)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


_SEQUENCE_KEY = re.compile(r"([A-Za-z_][\w-]*):[ \t]*")
_ITEM_START = re.compile(r"( *)-(?: |$)")


def _items(block: str) -> tuple[str, list[str]] | None:
    """``key:`` and the texts of its block sequence's items, or None when the block is anything else.

    One version of an overview adds or changes a finding and keeps the others: the items are
    memoised one by one. A line at the items' own indent starting with ``- `` always begins a
    new item (it ends any scalar of the one before); a line less indented, or at that indent
    without the dash, is not a plain item list, and the block is parsed whole.
    """
    lines = block.split("\n")
    head = _SEQUENCE_KEY.fullmatch(lines[0])
    if head is None:
        return None
    first = next((line for line in lines[1:] if line.strip()), None)
    start = _ITEM_START.match(first) if first is not None else None
    if start is None:
        return None
    indent = len(start.group(1))
    items: list[list[str]] = []
    for line in lines[1:]:
        if not line.strip():
            if items:
                items[-1].append(line)
            continue
        depth = len(line) - len(line.lstrip(" "))
        if depth == indent and _ITEM_START.match(line):
            items.append([line])
        elif depth > indent and items:
            items[-1].append(line)
        else:
            return None
    return head.group(1), ["\n".join(item) for item in items]


def _memo_load(text: str, memo: dict[object, Any]) -> Any:
    if text not in memo:
        memo[text] = yaml.load(text, Loader=_FAST)
    return memo[text]


def _block_entry(block: str, memo: dict[object, Any]) -> tuple[Any, Any] | None:
    """The one (key, value) a top-level block holds, its sequence items memoised one by one."""
    if ("", block) in memo:
        return memo[("", block)]
    entry = _block_entry_new(block, memo)
    memo[("", block)] = entry
    return entry


def _block_entry_new(block: str, memo: dict[object, Any]) -> tuple[Any, Any] | None:
    sequence = _items(block)
    if sequence is not None:
        key, texts = sequence
        values: list[Any] = []
        for text in texts:
            parsed = _memo_load(f"{key}:\n{text}\n", memo)
            if not isinstance(parsed, dict) or len(parsed) != 1 or not isinstance(item := parsed.get(key), list) \
                    or len(item) != 1:
                return None
            values.append(item[0])
        parsed_key = _memo_load(f"{key}: 0\n", memo)
        return (next(iter(parsed_key)), values) if isinstance(parsed_key, dict) and len(parsed_key) == 1 else None
    parsed = _memo_load(block, memo)
    if not isinstance(parsed, dict) or len(parsed) != 1:
        return None
    return next(iter(parsed.items()))


def _load_head(head: str, memo: dict[object, Any] | None) -> Any:
    """The head as libyaml reads it, block by block (and item by item) through ``memo`` when it cuts cleanly."""
    blocks = _blocks(head) if memo is not None else None
    if blocks is None or memo is None:
        return yaml.load(head, Loader=_FAST)
    meta: dict = {}
    try:
        entries = [_block_entry(block, memo) for block in blocks]
    except yaml.YAMLError:
        entries = [None]
    for entry in entries:
        if entry is None:
            return yaml.load(head, Loader=_FAST)  # not one plain entry: the cut was not clean
        # a repeated key: the last value in the first one's place, as YAML does
        meta[entry[0]] = _copy(entry[1])
    return meta


def read_front_matter(text: str, memo: dict[object, Any] | None = None) -> tuple[dict, str, int] | None:
    """Front matter read straight with libyaml: an old version needs its values, not their positions.

    Only for plain text (no anchors, aliases or tags) whose nesting is shallow: anything else goes
    through the full, bounded loader of :mod:`kop.sources.frontmatter`, as the working tree does.
    ``memo`` (block text -> its one-entry mapping) is shared by the versions parsed together.
    """
    if _FAST is None or not text.startswith("---\n"):
        return None
    end = fence_end(text)
    if end is None:
        return None
    head = text[4:end[0]]
    if len(head) > 200_000 or (("&" in head or "*" in head or "!" in head) and _ANCHOR_OR_ALIAS.search(head)):
        return None
    if not shallow(head):  # libyaml would recurse past the C stack: the bounded loader reports it
        return None
    try:
        meta = _load_head(head, memo)
    except yaml.YAMLError:
        return None
    if not isinstance(meta, dict):
        return None
    body_start = text.find("\n", end[1])
    body = text[body_start + 1:] if body_start >= 0 else ""
    return meta, body, text.count("\n", 0, body_start if body_start >= 0 else len(text)) + 2


_KEY_LINE = re.compile(r"^(id|version|status|withdrawn)[ \t]*:(.*)$", re.M)


def key_fields(data: bytes | None, display: str) -> dict | None:
    """``id``, ``version`` and ``status`` from their own top-level lines, without parsing the whole head.

    Which versions a history has needs only these three; the rest of a front matter matters only
    for the version that readers saw. None when the lines are not plain one-line scalars (or
    ``withdrawn:`` is there): then the whole front matter is parsed.
    """
    if data is None or not data.startswith(b"---\n") or b"\r" in data:  # anything unusual: parsed whole
        return None
    end = _FENCE_BYTES.search(data, 4)
    if end is None:
        return None
    try:
        head = data[4:end.start()].decode("utf-8")  # only the head: the body is not needed for a key
    except UnicodeDecodeError:
        return None
    lines = _KEY_LINE.findall(head)
    names = [name for name, _ in lines]
    if "withdrawn" in names or len(set(names)) != len(names):
        return None
    for _, value in lines:
        stripped = value.strip()
        if not stripped or stripped[0] in "|>&*!{[#" or ": " in stripped or " #" in stripped:
            return None
    simple = {name: _plain_string(value.strip()) for name, value in lines}
    if all(v is not None for v in simple.values()):
        return simple
    if _FAST is None:
        return None
    try:  # numbers, booleans, escapes …: as YAML reads them
        fields = yaml.load("\n".join(f"{name}:{value}" for name, value in lines), Loader=_FAST) if lines else {}
    except yaml.YAMLError:
        return None
    return fields if isinstance(fields, dict) else None


_PLAIN_WORD = re.compile(r"[^\W\d_][\w-]*")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def _plain_string(value: str) -> str | None:
    """A one-line YAML scalar that is certainly a string (its text), or None (let YAML read it)."""
    if len(value) >= 2 and value[0] == value[-1] == '"' and not any(c in value[1:-1] for c in '"\\'):
        return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'" and "'" not in value[1:-1]:
        return value[1:-1]
    if _PLAIN_WORD.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return None


def parse_blob(data: bytes | None, display: str, memo: dict[object, Any] | None = None) -> tuple[dict, str, int] | None:
    if data is None:
        return None
    src = decode_text(data, display)
    if src.diagnostics:
        return None
    quick = read_front_matter(src.text, memo)
    if quick is not None:
        return quick
    fm = split_front_matter(src)
    if any(d.severity == "error" for d in fm.diagnostics) or not isinstance(fm.meta, dict):
        return None
    return fm.meta, fm.body, fm.body_line
