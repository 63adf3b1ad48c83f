"""``kop ny``: start a new overview from a skeleton generated from the schema.

The skeleton is written *from* ``overview.schema.json`` (via :func:`kop.schema.load.resolved_schema`),
field by field in schema order, each with a Swedish comment built from the field's title,
description, allowed values and format. So a field added to the schema shows up in new
overviews and in the copy-me template ``overviews/_mall.md`` without anyone editing a
template by hand; a test checks that the committed template is what this module generates.

Required fields get values that validate (placeholder text starting with ``ERSÄTT``, see
:mod:`kop.check.placeholders`), so a new file passes ``kop check`` as a draft at once; optional
fields are present but commented out, with an example value, so that removing the ``# ``
is all it takes to use one.

Exit codes follow the CLI: 0 = written, 1 = the file (or its address) already exists,
2 = usage error (missing or invalid input). Nothing is written unless the skeleton validates.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import yaml

from kop.check.placeholders import MARKER
from kop.core.messages import did_you_mean
from kop.core.project import Project, today
from kop.core.slugs import is_slug, slugify
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


class UsageError(Exception):
    """Bad input from the user: reported in Swedish, exit code 2."""


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


def _describe(name: str, sub: dict[str, Any], required: bool) -> str:
    """One sentence-ish description of a field, in Swedish, from its schema."""
    parts = [f"{sub.get('title', name)} ({name}) – {'obligatoriskt' if required else 'valfritt'}, {_kind(sub)}."]
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


def _required_value(name: str, sub: dict[str, Any], fill: dict[str, Any]) -> Any:
    """A value for a required field nobody gave: valid, and clearly a placeholder."""
    if name in fill:
        return fill[name]
    kind = sub.get("type")
    if kind == "object":
        return {k: _required_value(k, s, fill) for k, s in sub.get("properties", {}).items()
                if k in sub.get("required", [])}
    values = _enum(sub)
    if kind == "array":
        items = sub.get("items") or {}
        if values:
            return [values[0]]
        return [_required_value(name, items, fill)]
    if values:
        return values[0]
    text = f"{MARKER}: {sub.get('description') or sub.get('title', name)}"
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
                inner_required = set(items.get("required", []))
                for inner_name, inner in items.get("properties", {}).items():
                    lines += [line.replace("# ", "#   ", 1) for line in
                              _comment("– " + _describe(inner_name, inner, inner_name in inner_required), indent)]
        if name in values:
            lines += _emit_value(name, values[name], sub, indent, when)
        else:
            lines += [_comment_out(line, indent) for line in _emit_value(name, _example(name, sub, when), sub,
                                                                          indent, when)]
    return lines


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
    from kop.check.fields import next_free_id

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


# --------------------------------------------------------------------------- input

def _choose(value: str, allowed: list[str], what: str) -> str:
    """Accept a value from a vocabulary, case-insensitively or by its number in the list."""
    text = value.strip()
    if text.isdigit() and 1 <= int(text) <= len(allowed):
        return allowed[int(text) - 1]
    for candidate in allowed:
        if candidate.casefold() == text.casefold():
            return candidate
    raise UsageError(f"'{text}' är inte ett tillåtet värde för {what}.{did_you_mean(text, allowed)} "
                     f"Välj ett av: {', '.join(allowed)}.")


def parse_author(text: str) -> Author:
    """``Namn;Organisation;roll`` with an optional fourth part, the ORCID."""
    parts = [p.strip() for p in text.split(";")]
    if len(parts) not in (3, 4) or not all(parts[:3]):
        raise UsageError(f"Författaren '{text}' ska skrivas som \"Namn;Organisation;roll\" (och ev. ;ORCID), "
                         "till exempel \"Anna Svensson;Mälardalens universitet;forskare\".")
    role = _choose(parts[2], vocabulary_values("roles"), "roll")
    return Author(parts[0], parts[1], role, parts[3] if len(parts) == 4 else "")


class _Prompter:
    """Swedish questions on a terminal; re-asks until the answer is usable."""

    def __init__(self, stdin: TextIO, out: TextIO) -> None:
        self.stdin, self.out = stdin, out

    def ask(self, question: str) -> str:
        print(question, end=" ", file=self.out, flush=True)
        line = self.stdin.readline()
        if not line:
            raise UsageError("Inmatningen tog slut innan alla frågor var besvarade.")
        return line.strip()

    def until_valid(self, question: str, parse: Callable[[str], Any]) -> Any:
        while True:
            try:
                return parse(self.ask(question))
            except UsageError as exc:
                print(f"  {exc}", file=self.out)

    def pick(self, what: str, allowed: list[str], many: bool) -> list[str]:
        print(f"{what}:", file=self.out)
        for i, value in enumerate(allowed, 1):
            print(f"  {i}. {value}", file=self.out)
        question = "Välj ett eller flera nummer, åtskilda med komma:" if many else "Välj ett nummer:"

        def parse(answer: str) -> list[str]:
            chosen = [_choose(part, allowed, what.lower()) for part in answer.split(",") if part.strip()]
            if not chosen or (not many and len(chosen) > 1):
                raise UsageError("Välj ett nummer ur listan." if not many else "Välj minst ett nummer ur listan.")
            return list(dict.fromkeys(chosen))

        return self.until_valid(question, parse)


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    limits = resolved_schema()["properties"]["title"]
    if len(title) < limits.get("minLength", 1):
        raise UsageError(f"Titeln måste vara minst {limits.get('minLength', 1)} tecken lång.")
    if len(title) > limits.get("maxLength", 10**6):
        raise UsageError(f"Titeln får vara högst {limits['maxLength']} tecken lång.")
    if not slugify(title):
        raise UsageError("Titeln måste innehålla bokstäver eller siffror.")
    return title


def gather(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> Request:
    """Build the request from options, asking on a terminal for whatever is missing."""
    interactive = stdin.isatty()
    prompt = _Prompter(stdin, out)
    areas_allowed, methods_allowed = vocabulary_values("areas"), vocabulary_values("methods")
    missing = [opt for opt, value in (("--titel", args.titel), ("--omrade", args.omrade), ("--metod", args.metod),
                                      ("--forfattare", args.forfattare)) if not value]
    if missing and not interactive:
        raise UsageError("Ange " + ", ".join(missing) + " (eller kör kommandot i en terminal för att få frågor). "
                         "Exempel: kop ny --titel \"Stöd till anhöriga\" --omrade äldreomsorg "
                         "--metod \"scoping review\" --forfattare \"Namn;Organisation;forskare\"")
    if args.titel:
        title = _check_title(args.titel)
    else:
        print("Ny kunskapsöversikt. Svara på frågorna; allt kan ändras i filen efteråt.", file=out)
        title = prompt.until_valid("Titel:", _check_title)
    if args.omrade:
        areas = list(dict.fromkeys(_choose(a, areas_allowed, "område (--omrade)") for a in args.omrade))
    else:
        areas = prompt.pick("Område", areas_allowed, many=True)
    max_areas = resolved_schema()["properties"]["area"].get("maxItems", len(areas_allowed))
    if len(areas) > max_areas:
        raise UsageError(f"Välj högst {max_areas} områden.")
    method = _choose(args.metod, methods_allowed, "metod (--metod)") if args.metod else \
        prompt.pick("Metod", methods_allowed, many=False)[0]
    if args.forfattare:
        authors = [parse_author(a) for a in args.forfattare]
    else:
        authors = []
        roles = "/".join(vocabulary_values("roles"))
        while True:
            name = prompt.ask(f"Författare {len(authors) + 1}, namn" + (" (tom rad = klart):" if authors else ":"))
            if not name:
                if authors:
                    break
                print("  Ange minst en författare.", file=out)
                continue
            affiliation = prompt.until_valid("  Organisation:", lambda s: s or _raise("Skriv organisationens namn."))
            role = prompt.until_valid(f"  Roll ({roles}):", lambda s: _choose(s, vocabulary_values("roles"), "roll"))
            authors.append(Author(name, affiliation, role))
    slug = args.kortnamn or slugify(title)
    if not is_slug(slug):
        raise UsageError(f"Kortnamnet '{slug}' är ogiltigt: använd små bokstäver a–z, siffror och bindestreck.")
    return Request(title, areas, method, authors, slug)


def _raise(message: str) -> str:
    raise UsageError(message)


# --------------------------------------------------------------------------- command

def _validate_text(project: Project, text: str, name: str) -> list[str]:
    """Validate the new file as ``kop check`` would, before it is written; return formatted problems."""
    from kop.bib import load as bibliography
    from kop.check.fields import rule_diagnostics, schema_diagnostics
    from kop.check.pipeline import load_overview
    from kop.core.report import format_text

    keys: set[str] = set()
    if project.bib_path.is_file():
        refs, _ = bibliography.load_bibliography(project.bib_path)
        keys = set(refs)
    display = f"overviews/{name}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        ov, diags = load_overview(path, display)
        if ov.meta:
            diags += schema_diagnostics(ov, display) + rule_diagnostics(ov, display, today(), keys)
    return [format_text(d) for d in diags if d.severity == "error"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``kop ny`` (the caller adds ``--root``)."""
    parser.add_argument("--titel", help="översiktens titel (kortnamnet och filnamnet görs av den)")
    parser.add_argument("--omrade", action="append", metavar="OMRÅDE",
                        help="område ur den kontrollerade listan; kan anges flera gånger")
    parser.add_argument("--metod", help="metod ur den kontrollerade listan")
    parser.add_argument("--forfattare", action="append", metavar="\"NAMN;ORGANISATION;ROLL\"",
                        help="författare, roll forskare eller praktiker (valfritt ;ORCID sist); kan anges flera gånger")
    parser.add_argument("--kortnamn", help="filnamn utan .md, om det inte ska göras av titeln")
    parser.add_argument("--mall", action="store_true",
                        help=f"skriv om mallen overviews/{TEMPLATE_NAME} från schemat (för redaktörer)")


def run(project: Project, args: argparse.Namespace, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Carry out ``kop ny``; return the exit code."""
    stdin = stdin or sys.stdin
    out = out or sys.stderr
    if args.mall:
        target = project.overviews_dir / TEMPLATE_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template_text(first_reference_key(project)), encoding="utf-8")
        print(f"Skrev mallen {project.display(target)}.", file=out)
        return 0
    try:
        request = gather(args, stdin, out)
    except UsageError as exc:
        print(f"kop ny: {exc}", file=out)
        return 2
    target = project.overviews_dir / f"{request.slug}.md"
    taken = taken_addresses(project)
    if target.exists() or request.slug in taken:
        where = taken.get(request.slug, project.display(target))
        what = f"{project.display(target)} finns redan" if where == project.display(target) else \
            f"adressen '{request.slug}' används redan av {where}"
        print(f"kop ny: {what}; ingenting skrevs. Välj en annan titel eller ange ett eget kortnamn med --kortnamn.",
              file=out)
        return 1
    oid = next_id(project, today().year)
    text = render_skeleton(request, oid, first_reference_key(project), today())
    problems = _validate_text(project, text, target.name)
    if problems:
        print("kop ny: filen skulle inte gå igenom kontrollen, så ingenting skrevs:", file=out)
        for problem in problems:
            print(problem, file=out)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        print(f"kop ny: {project.display(target)} finns redan; ingenting skrevs.", file=out)
        return 1
    print(f"Skapade {project.display(target)} med id {oid} (status utkast).", file=out)
    print(f"Fyll i fälten och texten; allt som börjar med {MARKER} ska ersättas. Kontrollera med make check.",
          file=out)
    return 0
