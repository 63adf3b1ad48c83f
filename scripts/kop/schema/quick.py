"""A fast, conservative "is this front matter valid?" for the overview schema.

Why: on a first check (a fresh clone, CI without cache) every overview's front matter is
validated, and jsonschema costs about 0.1 s to import in each worker process plus about
1.3 ms per file to walk the schema, although nearly every file is valid. This module
compiles the schema once into plain Python predicates for the few keywords it uses.

It only ever answers "certainly valid" (True) or "not sure" (False): a False sends the
file to jsonschema, which finds the errors and words the messages, exactly as before.
So a predicate may be stricter than jsonschema (a float where an integer is expected, a
list of mappings under ``uniqueItems``, a non-string ``enum`` value: all "not sure"), but
never more lenient. A schema with a keyword this module does not know compiles to None
(no shortcut at all), so a schema edit can never make it wrong silently.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from datetime import date
from typing import Any

Check = Callable[[Any], bool]

#: Keywords that never affect validity (annotations).
_ANNOTATIONS = {"title", "description", "examples", "default", "$id", "$schema", "$comment", "deprecated",
                "readOnly", "writeOnly"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # jsonschema's own pattern for format "date"


class Unsupported(Exception):
    """The schema uses something this module does not model: no shortcut for it."""


def compile_quick(schema: Any, formats: frozenset[str] = frozenset({"date"})) -> Check | None:
    """A predicate that is True only for instances jsonschema (Draft 2020-12) finds valid; None if unsupported.

    ``formats``: the formats the real validator's format checker checks (others are annotations).
    """
    try:
        return _compile(schema, formats)
    except Unsupported:
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_check(name: str) -> Check:
    checks: dict[str, Check] = {
        "string": lambda v: isinstance(v, str),
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),  # a float 2.0: not sure
        "number": _is_number,
    }
    if name not in checks:
        raise Unsupported(f"type {name!r}")
    return checks[name]


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _compile(schema: Any, formats: frozenset[str]) -> Check:
    if schema is True:
        return lambda _v: True
    if schema is False:
        return lambda _v: False
    if not isinstance(schema, dict):
        raise Unsupported("schema is not an object")
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS or keyword.startswith("x-"):
            continue
        if keyword in ("properties", "additionalProperties"):
            continue  # compiled together below
        checks.append(_keyword(keyword, value, schema, formats))
    if "properties" in schema or "additionalProperties" in schema:
        checks.append(_properties(schema, formats))
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(check(v) for check in checks)


def _keyword(keyword: str, value: Any, schema: dict[str, Any], formats: frozenset[str]) -> Check:
    """One keyword's predicate (a keyword applies only to instances of its own type, as in jsonschema)."""
    if keyword == "type":
        names = value if isinstance(value, list) else [value]
        types = [_type_check(name) for name in names]
        return lambda v: any(t(v) for t in types)
    if keyword == "enum":
        if not isinstance(value, list):
            raise Unsupported("enum")
        strings = frozenset(e for e in value if isinstance(e, str))
        return lambda v: isinstance(v, str) and v in strings  # any other instance: not sure
    if keyword == "required":
        keys = tuple(value)
        return lambda v: not isinstance(v, dict) or all(k in v for k in keys)
    if keyword == "minProperties":
        return lambda v: not isinstance(v, dict) or len(v) >= value
    if keyword in ("minLength", "maxLength"):
        low = keyword == "minLength"
        return lambda v: not isinstance(v, str) or (len(v) >= value if low else len(v) <= value)
    if keyword in ("minItems", "maxItems"):
        low = keyword == "minItems"
        return lambda v: not isinstance(v, list) or (len(v) >= value if low else len(v) <= value)
    if keyword in ("minimum", "maximum"):
        if not _is_number(value):
            raise Unsupported(keyword)
        low = keyword == "minimum"

        def bound(v: Any) -> bool:
            if isinstance(v, bool):
                return True  # not a number to jsonschema: the keyword does not apply
            if isinstance(v, (int, float)):
                return v >= value if low else v <= value
            return not _numeric(v)  # another numeric type: not sure; anything else: does not apply

        return bound
    if keyword == "pattern":
        regex = re.compile(value)
        return lambda v: not isinstance(v, str) or regex.search(v) is not None
    if keyword == "format":
        if value not in formats:
            return lambda _v: True  # not checked by the real validator's format checker
        if value == "date":
            return _is_date
        raise Unsupported(f"format {value!r}")
    if keyword == "uniqueItems":
        if not value:
            return lambda _v: True
        # only lists of strings are judged here (jsonschema's equality of 1, 1.0 and True is subtler)
        return lambda v: not isinstance(v, list) or (all(isinstance(e, str) for e in v) and len(set(v)) == len(v))
    if keyword == "items":
        if not isinstance(value, (dict, bool)) or "prefixItems" in schema:
            raise Unsupported("items")
        item = _compile(value, formats)
        return lambda v: not isinstance(v, list) or all(item(e) for e in v)
    if keyword == "anyOf":
        options = [_compile(sub, formats) for sub in value]
        return lambda v: any(option(v) for option in options)
    raise Unsupported(keyword)


def _numeric(value: Any) -> bool:
    """A number of a type other than int/float (Decimal, Fraction): jsonschema checks it; we are not sure."""
    return isinstance(value, numbers.Number)


def _properties(schema: dict[str, Any], formats: frozenset[str]) -> Check:
    if "patternProperties" in schema:
        raise Unsupported("patternProperties")
    props = {name: _compile(sub, formats) for name, sub in schema.get("properties", {}).items()}
    extra_schema = schema.get("additionalProperties", True)
    extra = _compile(extra_schema, formats)
    open_ = extra_schema is True

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for key, item in v.items():
            prop = props.get(key) if isinstance(key, str) else None
            if prop is not None:
                if not prop(item):
                    return False
            elif not (open_ or (isinstance(key, str) and extra(item))):
                return False  # an unknown key (or a key that is not text: not sure)
        return True

    return check
