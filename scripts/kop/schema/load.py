"""The front-matter schema: one JSON Schema file plus the controlled vocabularies.

``schema/overview.schema.json`` is the single source of truth for overview fields.
Fields that take a value from a controlled vocabulary carry ``x-kop-vocabulary``;
:func:`resolved_schema` turns that into a plain ``enum`` (with the descriptions as
``x-kop-enum-descriptions``) so that the validator, the schema published on the site
for editors (VS Code), and the field reference page all see the same thing.

The display helpers (:func:`certainty_levels`, :func:`certainty_label`, :func:`status_label`)
read the same vocabularies, so every page, export and listing words a level or a status alike.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # imported when a validator is built: a warm check needs none
    from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).resolve().parent
SCHEMA_FILE = SCHEMA_DIR / "overview.schema.json"
VOCABULARY_FILE = SCHEMA_DIR / "vocabularies.yml"
PUBLISHED_SCHEMA_NAME = "overview.schema.json"
#: The formats the validators check (every other ``format`` is an annotation only).
QUICK_FORMATS = frozenset({"date"})


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, list[dict[str, str]]]:
    """Load the controlled vocabularies (value + description [+ label]) from the data file."""
    # the project's own file: libyaml reads it ten times faster than the Python loader (every command needs it)
    data = yaml.load(VOCABULARY_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {name: [dict(item) for item in items] for name, items in data.items()}


def vocabulary_values(name: str) -> list[str]:
    """Return the allowed values of one vocabulary, in file order."""
    return [item["value"] for item in vocabularies()[name]]


WITHDRAWN_LABEL = "Tillbakadragen"
_CERTAINTY_KEYS = ("value", "label", "symbol", "description", "anchor")


def certainty_levels() -> list[dict[str, str]]:
    """KÖP's certainty levels, highest first: value, label, symbol, description and anchor of each.

    The order is the vocabulary's, so badges, the legend page, the evidence map and the
    filters all list the levels the same way. Each call returns fresh dicts (safe to change).
    """
    return [{key: str(item.get(key, "")) for key in _CERTAINTY_KEYS} for item in vocabularies()["certainty"]]


def certainty_label(value: str) -> str:
    """The Swedish display label of a certainty level (``måttlig`` -> ``Måttlig``); unknown values as given."""
    return _labels("certainty").get(value, value)


def status_label(status: str, withdrawn: bool = False) -> str:
    """The status in words (``granskning`` -> ``Under granskning``); a withdrawn overview is ``Tillbakadragen``."""
    if withdrawn:
        return WITHDRAWN_LABEL
    return _labels("statuses").get(status, status)


def _labels(name: str) -> dict[str, str]:
    # not cached on its own: vocabularies() is, and tests that swap the vocabulary clear only that
    return {item["value"]: str(item.get("label", item["value"])) for item in vocabularies()[name]}


@lru_cache(maxsize=1)
def _resolved() -> str:
    raw = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    resolved = _resolve(raw)
    return json.dumps(resolved, ensure_ascii=False, indent=2, sort_keys=False)


def resolved_schema() -> dict[str, Any]:
    """Return the schema with every ``x-kop-vocabulary`` expanded into an ``enum``."""
    return json.loads(_resolved())


def resolved_schema_text() -> str:
    """Return the resolved schema as stable, pretty JSON (published on the site)."""
    return _resolved() + "\n"


@lru_cache(maxsize=1)
def overview_validator() -> Draft202012Validator:
    """The overview schema's validator, built once per process (building one compiles the whole schema)."""
    return schema_validator(resolved_schema())


def overview_quick_check() -> Callable[[Any], bool] | None:
    """The overview schema compiled into a fast "certainly valid" test (:mod:`kop.schema.quick`), or None.

    Compiled once per resolved schema text, so a changed vocabulary is never judged by an old one.
    """
    return _quick_check(_resolved())


@lru_cache(maxsize=2)
def _quick_check(text: str) -> Callable[[Any], bool] | None:
    from kop.schema.quick import compile_quick

    return compile_quick(json.loads(text), QUICK_FORMATS)


def schema_validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A Draft 2020-12 validator that also checks ``format: date``; callers cache it per schema."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema, format_checker=FormatChecker(formats=sorted(QUICK_FORMATS)))


def _resolve(node: Any) -> Any:
    if isinstance(node, dict):
        out = {key: _resolve(value) for key, value in node.items()}
        name = out.get("x-kop-vocabulary")
        if name:
            items = vocabularies()[name]
            out["enum"] = [item["value"] for item in items]
            out["x-kop-enum-descriptions"] = {item["value"]: item["description"] for item in items}
        return out
    if isinstance(node, list):
        return [_resolve(value) for value in node]
    return copy.deepcopy(node)


def iter_fields(schema: dict[str, Any] | None = None, prefix: str = "") -> Iterator[tuple[str, dict[str, Any], bool]]:
    """Yield (dotted field path, field schema, required) for every field, depth first.

    Array items are shown as ``field[].sub`` so the guide can document nested fields.
    """
    schema = schema or resolved_schema()
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        yield path, sub, name in required
        if sub.get("type") == "object":
            yield from iter_fields(sub, path + ".")
        items = sub.get("items")
        if sub.get("type") == "array" and isinstance(items, dict) and items.get("type") == "object":
            yield from iter_fields(items, path + "[].")
