"""The committed registry of published addresses: ``published-urls.txt``.

Once an address has been published (in an e-mail, on a poster, in a reference list) it
must keep working for as long as the site exists. The registry is a plain text file,
one site-relative path per line (``/k/kop-2024-001/``), sorted, with ``#`` comments.
``kop registrera`` adds the current addresses to it; the build itself never writes it.
Every check and build compares it with the addresses the build will publish
(:func:`kop.features.permalinks.site_addresses`) and fails, naming the address and its line, if
any registered address would no longer resolve to a page, a file or a redirect.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kop.core.catalogue import message
from kop.core.model import Diagnostic
from kop.features.permalinks import site_addresses

if TYPE_CHECKING:
    from kop.core.project import Project
    from kop.core.results import CheckResult

REGISTRY_NAME = "published-urls.txt"

HEADER = """\
# Publicerade adresser på KÖP-webbplatsen – en adress per rad, sorterade.
#
# En adress som en gång har publicerats ska fortsätta fungera så länge webbplatsen finns.
# Varje kontroll och bygge (make check, make site) misslyckas om en adress här inte längre
# leder till en sida, en fil eller en vidarebefordran.
#
# Lägg till nya adresser med `make register` (kop registrera). Ta aldrig bort en rad:
# byter en översikt filnamn, lägg det gamla namnet i 'aliases'; dras den tillbaka, fyll i
# 'withdrawn' i stället för att ta bort filen.
"""

UNRESOLVED = message("KOP601")
MALFORMED = message("KOP602")
DUPLICATE = message("KOP603")


def registry_path(root: Path) -> Path:
    return root / REGISTRY_NAME


def read_registry(path: Path, display: str) -> tuple[list[tuple[int, str]], list[Diagnostic]]:
    """Return (line number, address) pairs and problems; a missing file is an empty registry."""
    if not path.is_file():
        return [], []
    entries: list[tuple[int, str]] = []
    diags: list[Diagnostic] = []
    first: dict[str, int] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if not text.startswith("/") or any(c.isspace() for c in text) or "//" in text or ".." in text:
            diags.append(MALFORMED.at(display, number, 1, text=text[:80]))
            continue
        if text in first:
            diags.append(DUPLICATE.at(display, number, 1, address=text, first=first[text]))
            continue
        first[text] = number
        entries.append((number, text))
    return entries, diags


def resolves(address: str, known: set[str]) -> bool:
    """True if a registered address (``/…``) is one of the site's addresses.

    ``/x/`` and ``/x/index.html`` are the same page; ``/x`` (no slash) is served by
    static hosts as ``/x/`` when that directory exists.
    """
    rel = address.lstrip("/")
    if rel in known:
        return True
    if rel.endswith("index.html") and rel[: -len("index.html")] in known:
        return True
    return not rel.endswith("/") and f"{rel}/" in known


def check_registry(result: CheckResult) -> list[Diagnostic]:
    """Every registered address must still resolve (no build needed)."""
    project = result.project
    path = registry_path(project.root)
    display = project.display(path)
    entries, diags = read_registry(path, display)
    if not entries:
        return diags
    known = site_addresses(result)
    for number, address in entries:
        if not resolves(address, known):
            diags.append(UNRESOLVED.at(display, number, 1, address=address))
    return diags


def current_addresses(result: CheckResult) -> list[str]:
    """The addresses worth promising to keep: overview pages and permalinks, aliases, seminars and feeds."""
    keep = ("oversikter/", "k/", "seminarier/", "feed.xml", "overviews.json")
    out = set()
    for rel in site_addresses(result):
        if not rel.startswith(keep) or rel.endswith((".png", ".svg", ".bib", ".ris")):
            continue
        out.add("/" + rel)
    return sorted(out)


def register(result: CheckResult) -> tuple[int, Path]:
    """Add the current addresses to the registry (never removes a line); return (added, path)."""
    path = registry_path(result.project.root)
    existing, _ = read_registry(path, REGISTRY_NAME)
    have = {address for _, address in existing}
    new = [a for a in current_addresses(result) if a not in have]
    if not new and path.is_file():
        return 0, path
    addresses = sorted(have | set(new))
    text = HEADER + "\n" + "".join(f"{a}\n" for a in addresses)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return len(new), path


def run(project: Project, args: argparse.Namespace) -> int:
    """``kop registrera``: validate, then add the current addresses to ``published-urls.txt``."""
    from kop.check.pipeline import check
    from kop.core.report import print_diagnostics

    result = check(project)
    print_diagnostics(result.diagnostics)
    if not result.ok:
        print("Inga adresser registrerades: rätta felen ovan först.", file=sys.stderr)
        return 1
    added, path = register(result)
    total = len(read_registry(path, REGISTRY_NAME)[0])
    print(f"Lade till {added} {'adress' if added == 1 else 'adresser'} i {project.display(path)} "
          f"(nu {total} totalt).", file=sys.stderr)
    return 0
