"""A new overview's skeleton, generated from the schema, and the project facts it needs.

The skeleton is written *from* ``overview.schema.json`` (via :func:`kop.schema.load.resolved_schema`),
field by field in schema order, each with a Swedish comment built from the field's title,
description, allowed values and format. So a field added to the schema shows up in new
overviews and in the copy-me template ``overviews/_mall.md`` without anyone editing a
template by hand; a test checks that the committed template is what this module generates.

Required fields get values that validate (placeholder text starting with ``ERSÄTT``, see
:mod:`kop.check.placeholders`), so a new file passes ``kop check`` as a draft at once; optional
fields are present but commented out, with an example value, so that removing the ``# ``
is all it takes to use one.

Nothing here prompts, prints or writes; the command ``kop ny`` is :mod:`kop.cli.cmd_ny`.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from kop.check.fields import next_free_id
from kop.check.placeholders import MARKER
from kop.core.project import Project
from kop.schema.load import resolved_schema, vocabulary_values

TEMPLATE_NAME = "_mall.md"
ID_RE = re.compile(r"\bkop-[0-9]{4}-[0-9]{3}\b")
_ID_LINE = re.compile(r"^id:[ \t]*['\"]?(kop-[0-9]{4}-[0-9]{3})\b", re.MULTILINE)
# Where ids of overviews that have since been deleted can still be found (maintainers' registry).
ID_REGISTRIES = ("published-urls.txt",)
COMMENT_WIDTH = 100
TEMPLATE_ID = "kop-ÅÅÅÅ-NNN"

_KIND = {"string": "text", "array": "lista", "object": "grupp av fält", "integer": "heltal", "boolean": "true/false"}

# Example values for optional fields whose schema has no ``examples``; only used in
# commented-out lines, so they need to be plausible, not valid for every project.
_EXAMPLES: dict[str, Any] = {
    "example": False,
    "keywords": ["nyckelord"],
    "synonyms": ["sökord"],
    "version": "0.1",
    "orcid": "0000-0002-1825-0097",
    "unit": "förvaltning eller enhet",
    "databases": ["PsycINFO"],
    "terms": "söktermer",
    "category": "kategori",
    "article": "nyckel-ur-references-bib",
    "related": ["kop-2024-001"],
    "aliases": ["tidigare-kortnamn"],
    "source": "nyckel-ur-references-bib",
    "key": "nyckel-ur-references-bib",
    "grade": "källans egen benämning",
    "designs": ["kvalitativ intervjustudie"],
    "knowledge_gaps": ["en fråga som forskningen ännu inte kan besvara"],
}

BODY = """
## Bakgrund

{m}: Varför frågan är viktig för verksamheten och hur den togs fram tillsammans.

## Metod

{m}: Hur litteraturen söktes och valdes ut. Citera med hakparentes och snabel-a runt
referensnyckeln, så som bidragsguiden visar.

## Resultat

{m}: Vad forskningen visar. Varje slutsats i fältet findings ska ha stöd här.

## Vad betyder det för praktiken?

{m}: Vad resultaten betyder för socialtjänstens arbete.

## Begränsningar

{m}: Vad översikten inte kan svara på.
"""


@dataclass
class Author:
    name: str
    affiliation: str
    role: str
    orcid: str = ""

    def as_meta(self) -> dict[str, str]:
        meta = {"name": self.name, "affiliation": self.affiliation, "role": self.role}
        if self.orcid:
            meta["orcid"] = self.orcid
        return meta


@dataclass
class Request:
    """Everything ``ny`` asks for."""

    title: str
    areas: list[str]
    method: str
    authors: list[Author] = field(default_factory=list)
    slug: str = ""


# --------------------------------------------------------------------------- skeleton

def _yaml_scalar(value: Any) -> str:
    """One YAML scalar, quoted only when YAML needs it (dates, numbers-as-text, colons …)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.removesuffix("\n...\n").rstrip("\n")


def _enum(sub: dict[str, Any]) -> list[str]:
    source = sub.get("items", {}) if sub.get("type") == "array" else sub
    return list(source.get("enum", [])) if isinstance(source, dict) else []


def _kind(sub: dict[str, Any]) -> str:
    if sub.get("format") == "date":
        return "datum ÅÅÅÅ-MM-DD inom citattecken"
    kind = _KIND.get(str(sub.get("type")), str(sub.get("type", "")))
    items = sub.get("items")
    if sub.get("type") == "array" and isinstance(items, dict):
        kind += " av grupper" if items.get("type") == "object" else f" av {_KIND.get(str(items.get('type')), 'text')}"
    return kind


def _describe(name: str, sub: dict[str, Any], required: bool, instead: Sequence[str] = ()) -> str:
    """One sentence-ish description of a field, in Swedish, from its schema.

    ``instead``: the fields that can stand in for this one (it is required when they are all missing).
    """
    need = "obligatoriskt" if required else (f"obligatoriskt om {' och '.join(instead)} saknas" if instead
                                             else "valfritt")
    parts = [f"{sub.get('title', name)} ({name}) – {need}, {_kind(sub)}."]
    if sub.get("description"):
        parts.append(str(sub["description"]).rstrip(".") + ".")
    values = _enum(sub)
    if values:
        parts.append("Tillåtna värden: " + ", ".join(values) + ".")
    hint = sub.get("x-kop-pattern-hint") or (sub.get("items") or {}).get("x-kop-pattern-hint")
    if hint:
        parts.append(f"Format: {hint}.")
    words = sub.get("x-kop-max-words")
    if words and f"Högst {words} ord" not in parts[-1]:
        parts.append(f"Högst {words} ord.")
    return " ".join(parts)


def _comment(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return [f"{pad}# {line}" for line in textwrap.wrap(text, width=max(40, COMMENT_WIDTH - indent))]


def _comment_out(line: str, indent: int) -> str:
    """Comment out a line at ``indent`` so that deleting '# ' there restores it exactly."""
    return line[:indent] + "# " + line[indent:]


def _example(name: str, sub: dict[str, Any], when: date | None) -> Any:
    """A plausible value for an optional field, for its commented-out line."""
    kind = sub.get("type")
    if kind == "object":
        return {k: _example(k, s, when) for k, s in sub.get("properties", {}).items()}
    if name in _EXAMPLES:
        return _EXAMPLES[name]
    if sub.get("examples"):
        return sub["examples"][0]
    if kind == "array":
        items = sub.get("items") or {}
        return [_example(name, items, when)]
    values = _enum(sub)
    if values:
        return values[0]
    if sub.get("format") == "date":
        return when.isoformat() if when else "ÅÅÅÅ-MM-DD"
    if sub.get("x-kop-pattern-hint"):
        return re.split(r"[ ,(]", str(sub["x-kop-pattern-hint"]))[0]
    if kind == "integer":
        if name == "from":
            return when.year - 10 if when else "ÅÅÅÅ"
        if name == "to":
            return when.year if when else "ÅÅÅÅ"
        return sub.get("minimum", 0)
    if kind == "boolean":
        return sub.get("default", False)
    return str(sub.get("title", name)).lower()


def _needed(schema: dict[str, Any]) -> set[str]:
    """The fields a valid object must have: ``required``, plus the first of each ``anyOf`` of ``required``.

    A finding needs ``certainty`` or ``source_grade``; the skeleton fills in the first (KÖP's own
    assessment) and leaves the other commented out.
    """
    needed = set(schema.get("required", []))
    options = schema.get("anyOf")
    if _alternatives(schema) and not any(needed >= set(o["required"]) for o in options):
        needed |= set(options[0]["required"])
    return needed


def _required_value(name: str, sub: dict[str, Any], fill: dict[str, Any]) -> Any:
    """A value for a required field nobody gave: valid, and clearly a placeholder."""
    if name in fill:
        return fill[name]
    kind = sub.get("type")
    if kind == "object":
        needed = _needed(sub)
        return {k: _required_value(k, s, fill) for k, s in sub.get("properties", {}).items() if k in needed}
    values = _enum(sub)
    placeholder = sub.get("x-kop-placeholder")
    if kind == "array":
        items = sub.get("items") or {}
        if values:
            return [values[0]]
        return [_required_value(name, items, fill)]
    if values:
        return placeholder if placeholder in values else values[0]
    text = f"{MARKER}: {placeholder or sub.get('description') or sub.get('title', name)}"
    limit = sub.get("maxLength")
    return text[:limit] if isinstance(limit, int) else text


def _emit_value(name: str, value: Any, sub: dict[str, Any], indent: int, when: date | None) -> list[str]:
    pad = " " * indent
    kind = sub.get("type")
    if kind == "object" and isinstance(value, dict):
        return [f"{pad}{name}:", *_emit_object(sub, value, indent + 2, when)]
    if kind == "array" and isinstance(value, list):
        if not value:
            return [f"{pad}{name}: []"]
        items = sub.get("items") or {}
        lines = [f"{pad}{name}:"]
        for item in value:
            if items.get("type") == "object" and isinstance(item, dict):
                inner = _emit_object(items, item, indent + 4, when, comments=False)
                first = next(i for i, line in enumerate(inner) if not line.lstrip().startswith("#"))
                inner[first] = f"{pad}  - " + inner[first][indent + 4:]
                lines += inner
            else:
                lines.append(f"{pad}  - {_yaml_scalar(item)}")
        return lines
    return [f"{pad}{name}: {_yaml_scalar(value)}"]


def _emit_object(schema: dict[str, Any], values: dict[str, Any], indent: int, when: date | None,
                 comments: bool = True) -> list[str]:
    """Every property of ``schema``: given values as YAML, the rest commented out with an example."""
    required = set(schema.get("required", []))
    lines: list[str] = []
    for name, sub in schema.get("properties", {}).items():
        if comments:
            lines += _comment(_describe(name, sub, name in required), indent)
            items = sub.get("items")
            if sub.get("type") == "array" and isinstance(items, dict) and items.get("type") == "object":
                lines += _item_comments(items, indent)
        if name in values:
            lines += _emit_value(name, values[name], sub, indent, when)
        else:
            lines += [_comment_out(line, indent) for line in _emit_value(name, _example(name, sub, when), sub,
                                                                          indent, when)]
    return lines


def _item_comments(schema: dict[str, Any], indent: int) -> list[str]:
    """Comments for the fields of a list's items (``#   – …``); nested groups comment their own fields."""
    required = set(schema.get("required", []))
    alternatives = _alternatives(schema)
    lines: list[str] = []
    for name, sub in schema.get("properties", {}).items():
        text = "– " + _describe(name, sub, name in required, alternatives.get(name, ()))
        lines += [line.replace("# ", "#   ", 1) for line in _comment(text, indent)]
    return lines


def _alternatives(schema: dict[str, Any]) -> dict[str, list[str]]:
    """Field -> the fields that can stand in for it (``anyOf`` of ``required``)."""
    options = schema.get("anyOf")
    if not (isinstance(options, list) and options
            and all(isinstance(o, dict) and set(o) == {"required"} for o in options)):
        return {}
    names = [n for o in options for n in o["required"]]
    return {n: [other for other in names if other != n] for n in names}


def front_matter_values(request: Request, oid: str, first_reference: str | None) -> dict[str, Any]:
    """The active (uncommented) values of a new overview: the user's answers plus valid placeholders."""
    schema = resolved_schema()
    given: dict[str, Any] = {
        "id": oid,
        "title": request.title,
        "area": request.areas,
        "method": request.method,
        "authors": [a.as_meta() for a in request.authors],
        "status": "utkast",
    }
    # Placeholders for nested required fields that only a person can fill in.
    fill: dict[str, Any] = {"references": [first_reference or f"{MARKER}-nyckel"]}
    values: dict[str, Any] = {}
    for name, sub in schema["properties"].items():
        if name in given:
            values[name] = given[name]
        elif name in schema.get("required", []):
            values[name] = _required_value(name, sub, fill)
    return values


def render_skeleton(request: Request, oid: str, first_reference: str | None, when: date | None) -> str:
    """The whole new file: commented front matter generated from the schema, then a body outline."""
    schema = resolved_schema()
    values = front_matter_values(request, oid, first_reference)
    header = [
        f"# Ny kunskapsöversikt. Fyll i alla fält; text som börjar med {MARKER} är platshållare som",
        "# måste ersättas innan status ändras från utkast. Valfria fält är bortkommenterade: ta bort",
        "# '# ' i början av raderna för att använda dem. Alla fält förklaras i bidragsguiden (Fältreferens).",
    ]
    lines = ["---", *header, *_emit_object(schema, values, 0, when), "---"]
    return "\n".join(lines) + "\n" + BODY.format(m=MARKER)


def template_text(first_reference: str | None) -> str:
    """The copy-me template ``overviews/_mall.md``: a skeleton whose id the author must fill in."""
    request = Request(
        title=f"{MARKER}: Översiktens titel",
        areas=[vocabulary_values("areas")[0]],
        method=vocabulary_values("methods")[0],
        authors=[Author(f"{MARKER}: Förnamn Efternamn", f"{MARKER}: Lärosäte eller arbetsplats",
                        vocabulary_values("roles")[0])],
    )
    text = render_skeleton(request, TEMPLATE_ID, first_reference, None)
    note = (
        "# MALL – publiceras inte. Kopiera filen till overviews/<kortnamn>.md (små bokstäver a–z, siffror\n"
        "# och bindestreck) och skriv nästa lediga id i fältet id. Se bidragsguiden, \"Skriv en ny översikt\".\n"
    )
    return text.replace("---\n", "---\n" + note, 1)


# --------------------------------------------------------------------------- project facts

def used_ids(project: Project) -> set[str]:
    """Every id ever used: all files in overviews/ (drafts, withdrawn, templates) and the URL registry."""
    ids: set[str] = set()
    if project.overviews_dir.is_dir():
        for path in sorted(project.overviews_dir.glob("*.md")):
            text = path.read_text(encoding="utf-8", errors="replace")
            ids.update(_ID_LINE.findall(text))
    for name in ID_REGISTRIES:
        registry = project.root / name
        if registry.is_file():
            ids.update(ID_RE.findall(registry.read_text(encoding="utf-8", errors="replace")))
    return ids


def next_id(project: Project, year: int) -> str:
    """The next free id for ``year``, never one used before (see :func:`used_ids`)."""
    return next_free_id(year, used_ids(project))


def first_reference_key(project: Project) -> str | None:
    """The first key in references.bib (by position), for the placeholder finding."""
    if not project.bib_path.is_file():
        return None
    match = re.search(r"^[ \t]*@(?!string|comment|preamble)[A-Za-z]+[ \t]*\{[ \t]*([^,\s]+)[ \t]*,",
                      project.bib_path.read_text(encoding="utf-8", errors="replace"), re.MULTILINE | re.IGNORECASE)
    return match.group(1) if match else None


def taken_addresses(project: Project) -> dict[str, str]:
    """Slugs already in use as file names or as ``aliases`` of another overview -> where."""
    taken: dict[str, str] = {}
    if not project.overviews_dir.is_dir():
        return taken
    for path in sorted(project.overviews_dir.glob("*.md")):
        taken.setdefault(path.stem, project.display(path))
        text = path.read_text(encoding="utf-8", errors="replace")
        block = re.search(r"^aliases:[ \t]*\n((?:[ \t]+-.*\n)+)", text, re.MULTILINE)
        if block:
            for alias in re.findall(r"-[ \t]*['\"]?([a-z0-9-]+)", block.group(1)):
                taken.setdefault(alias, f"{project.display(path)} (som tidigare adress i aliases)")
    return taken

