"""Make Pagefind's output byte-identical between builds of the same content.

Pagefind 1.5 writes its filter index from a hash map, so the order of filter values
(and therefore the bytes and the content-hash file names of ``filter/*.pf_filter``, of
the ``*.pf_meta`` file that lists them and of ``pagefind-entry.json``) changes from run
to run, while the search results do not. Reproducible builds need identical bytes, so
after Pagefind has run we rewrite exactly those files in a canonical form: filter
values sorted, gzip without a timestamp, file names derived from the canonical bytes,
and every reference to a renamed file updated. Fragments and word-index chunks are
already stable and are left alone.

The files are gzip-compressed CBOR behind a ``pagefind_dcd`` signature; only the small
CBOR subset Pagefind uses (integers, strings, arrays, maps) is decoded here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


class _Text(str):
    """A CBOR text string (kept apart from byte strings when re-encoding)."""


def _decode(data: bytes, pos: int) -> tuple[Any, int]:
    initial = data[pos]
    major, info = initial >> 5, initial & 0x1F
    pos += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise ValueError("indefinite-length CBOR is not used by Pagefind")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major == 2:
        return bytes(data[pos:pos + arg]), pos + arg
    if major == 3:
        return _Text(data[pos:pos + arg].decode("utf-8")), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        pairs = []
        for _ in range(arg):
            key, pos = _decode(data, pos)
            value, pos = _decode(data, pos)
            pairs.append((key, value))
        return ("map", pairs), pos
    raise ValueError(f"unsupported CBOR major type {major}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([(major << 5) | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < (1 << (8 * size)):
            return bytes([(major << 5) | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("simple values are not used by Pagefind")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, tuple) and value[0] == "map":
        return _head(5, len(value[1])) + b"".join(_encode(k) + _encode(v) for k, v in value[1])
    raise ValueError(f"cannot encode {type(value)}")


def read_cbor(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind file")
    value, end = _decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise ValueError(f"{path}: trailing bytes")
    return value


def cbor_bytes(value: Any) -> bytes:
    """Signature + CBOR, gzip-compressed without a timestamp (deterministic)."""
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _short_hash(data: bytes, length: int) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def _rename(value: Any, renames: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _Text(renames.get(value, value))
    if isinstance(value, list):
        return [_rename(v, renames) for v in value]
    return value


def _is_name_pairs(part: Any) -> bool:
    return (isinstance(part, list) and bool(part) and all(
        isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], str)
        for item in part))


def stabilise(bundle: Path) -> None:
    """Rewrite a Pagefind bundle directory (``site/pagefind``) in canonical form."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renames: dict[str, str] = {}
    for old in sorted((bundle / "filter").glob("*.pf_filter")):
        value = read_cbor(old)
        # [filter name, [[value, [page numbers]], ...]]: sort the values by their text
        name, values = value
        values = sorted(values, key=lambda item: str(item[0]))
        data = cbor_bytes([name, values])
        prefix, old_hash = old.stem.rsplit("_", 1)
        new_stem = f"{prefix}_{_short_hash(data, len(old_hash))}"
        old.unlink()
        (bundle / "filter" / f"{new_stem}.pf_filter").write_bytes(data)
        renames[old.stem] = new_stem
    for language in entry.get("languages", {}).values():
        old_meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _rename(read_cbor(old_meta), renames)
        # [version, pages, index chunks, filters, sorts, ...]: the filter and sort lists are
        # [name, file hash] pairs written in hash-map order; sort them by name.
        meta = [
            sorted(part, key=lambda pair: str(pair[0])) if _is_name_pairs(part) else part for part in meta
        ]
        data = cbor_bytes(meta)
        prefix, old_hash = language["hash"].rsplit("_", 1)
        new_hash = f"{prefix}_{_short_hash(data, len(old_hash))}"
        old_meta.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(data)
        language["hash"] = new_hash
    text = entry_path.read_text(encoding="utf-8")
    new_text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    if re.sub(r"\s", "", text) != new_text:
        entry_path.write_text(new_text, encoding="utf-8")
