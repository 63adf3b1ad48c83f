"""The quick validity test never calls a front matter valid that jsonschema rejects.

It is a shortcut in front of jsonschema (kop.schema.quick): a False only costs the full
validation, a wrong True would hide an author's error. So these tests mutate real front
matters in many ways and compare with the real validator; and they check that the
shortcut is taken for valid files, or it would save nothing.
"""

from __future__ import annotations

import copy
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kop.core.model import Overview
from kop.schema.load import overview_quick_check, overview_validator, resolved_schema
from kop.schema.quick import compile_quick
from kop.sources.documents import load_document

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("overviews/*.md"), *ROOT.glob("tests/fixtures/valid/*.md"),
                *ROOT.glob("tests/fixtures/invalid/*.md")])

#: Values of every kind YAML can give, and the edge cases of the keywords the schema uses.
ODD_VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 2.0, 2.5, 10**9, "", " ", "x", "x" * 5000, "2024-02-30", "2024-1-01",
    "2024-03-15", "2024-03-15T10:00", date(2024, 3, 15), [], [""], ["a", "a"], [1, 1.0], [True, 1], {}, {"a": 1},
    [{}], [{"a": 1}, {"a": 1}], "granskning", "publicerad", "stark", "Medel", "0000-0002-1825-0097",
]


def _metas() -> list[dict[str, Any]]:
    out = []
    for path in FILES:
        ov, _ = load_document(path, path.name, Overview)
        if isinstance(ov.meta, dict) and ov.meta:
            out.append(ov.meta)
    return out


def _valid(meta: Any) -> bool:
    return not any(True for _ in overview_validator().iter_errors(meta))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _mutate(meta: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One or two random edits anywhere in the tree: replace, delete, add a key, duplicate an item."""
    meta = copy.deepcopy(meta)
    for _ in range(rng.choice((1, 1, 2))):
        paths = _paths(meta)
        path = rng.choice(paths[1:]) if len(paths) > 1 else ()
        if not path:
            continue
        parent, last = _get(meta, path[:-1]), path[-1]
        action = rng.random()
        if action < 0.55:
            parent[last] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif action < 0.7:
            del parent[last]
        elif action < 0.85 and isinstance(parent, dict):
            parent[rng.choice(("okant_falt", "titel", "Title", last + "x" if isinstance(last, str) else 1))] = "x"
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif isinstance(parent[last], str):
            parent[last] = parent[last] + rng.choice(("x", "\n", " ", "ä" * 300))
    return meta


def test_the_overview_schema_compiles() -> None:
    assert overview_quick_check() is not None  # else every file pays for jsonschema again


@pytest.mark.parametrize("meta", _metas(), ids=lambda m: str(m.get("id", "?"))[:40])
def test_agrees_on_the_real_front_matters(meta: dict[str, Any]) -> None:
    quick = overview_quick_check()
    assert quick is not None
    valid = _valid(meta)
    if quick(meta):
        assert valid
    if valid:  # the shortcut must actually be taken for a valid file
        assert quick(meta)


def test_never_calls_an_invalid_mutation_valid() -> None:
    quick = overview_quick_check()
    assert quick is not None
    rng = random.Random(18)
    metas = _metas()
    judged = shortcut = 0
    for _ in range(3000):
        meta = _mutate(rng.choice(metas), rng)
        valid = _valid(meta)
        if quick(meta):
            assert valid, meta
            shortcut += 1
        judged += not valid
    assert judged > 1000 and shortcut > 200  # both kinds were really tried


@pytest.mark.parametrize("schema, instance, expected", [
    ({"type": "integer"}, 2.0, False),  # jsonschema may accept it: not sure is allowed
    ({"type": "integer"}, True, False),
    ({"type": "number", "minimum": 1}, 0.5, False),
    ({"minimum": 1}, "text", True),  # keywords apply to their own type only
    ({"enum": ["a", 1]}, 1, False),
    ({"uniqueItems": True}, [1, True], False),
    ({"format": "date"}, "2024-02-29", True),
    ({"format": "date"}, "2023-02-29", False),
    ({"format": "email"}, "not an address", True),  # not a checked format
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x", "b": 1}, False),
    ({"properties": {"a": {"type": "string"}}}, {"a": "x", "b": 1}, True),
    ({"anyOf": [{"required": ["a"]}, {"required": ["b"]}]}, {"c": 1}, False),
])
def test_keywords(schema: dict[str, Any], instance: Any, expected: bool) -> None:
    check = compile_quick(schema)
    assert check is not None
    assert check(instance) is expected


def test_an_unknown_keyword_means_no_shortcut() -> None:
    assert compile_quick({"type": "object", "patternProperties": {"^x": {}}}) is None
    assert compile_quick({"properties": {"a": {"$ref": "#/$defs/a"}}}) is None
    assert compile_quick({"type": "object", "dependentRequired": {"a": ["b"]}}) is None


def test_the_compiled_schema_is_the_resolved_one() -> None:
    assert compile_quick(resolved_schema()) is not None
