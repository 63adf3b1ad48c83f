"""``kop ny``: start a new overview from a skeleton generated from the schema.

Asks for (or takes as options) the title, areas, method and authors, picks the next
free id and a file name from the title, and writes ``overviews/<kortnamn>.md`` built by
:mod:`kop.cli.new_overview`. ``kop ny --mall`` rewrites the copy-me template instead.

Exit codes follow the CLI: 0 = written, 1 = the file (or its address) already exists,
2 = usage error (missing or invalid input). Nothing is written unless the new file passes
exactly the checks ``kop check`` runs on an overview (:func:`kop.check.one_file.check_one_file`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from kop.check.placeholders import MARKER
from kop.cli.new_overview import (
    TEMPLATE_NAME,
    Author,
    Request,
    first_reference_key,
    next_id,
    render_skeleton,
    taken_addresses,
    template_text,
)
from kop.core.messages import did_you_mean
from kop.core.project import Project, today
from kop.core.slugs import is_slug, slugify
from kop.schema.load import resolved_schema, vocabulary_values

NAME = "ny"
HELP = "skapa en ny översikt (utkast) i overviews/ från schemat"


class UsageError(Exception):
    """Bad input from the user: reported in Swedish, exit code 2."""


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




def _problems(project: Project, target: Path, text: str) -> list[str]:
    """The errors ``kop check`` would report for ``text`` at ``target``, formatted; checked before writing."""
    from kop.check.one_file import check_one_file
    from kop.core.report import format_text

    return [format_text(d) for d in check_one_file(project, target, text) if d.severity == "error"]


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
    problems = _problems(project, target, text)
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
