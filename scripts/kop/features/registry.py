"""The committed registry of published addresses: ``published-urls.txt``.

Once an address has been published (in an e-mail, on a poster, in a reference list) it
must keep working for as long as the site exists. The registry is a plain text file,
one site-relative path per line (``/k/kop-2024-001/``), sorted, with ``#`` comments.
``kop registrera`` adds the current addresses to it; the build itself never writes it.
Every check and build compares it with the addresses the build will publish
(:func:`kop.site.routes.site_addresses`, handed in by the check) and fails, naming the address and its line, if
any registered address would no longer resolve to a page, a file or a redirect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kop.check.hooks import CheckContext, FeatureCheck
from kop.core.catalogue import message
from kop.core.fsutil import write_atomic
from kop.core.model import Diagnostic
from kop.core.results import CheckResult
from kop.features.base import BaseFeature

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


def check_registry(result: CheckResult, site_addresses: Callable[[], set[str]]) -> list[Diagnostic]:
    """Every registered address must still resolve (no build needed); ``site_addresses`` predicts them."""
    project = result.project
    path = registry_path(project.root)
    display = project.display(path)
    entries, diags = read_registry(path, display)
    if not entries:
        return diags
    known = site_addresses()
    for number, address in entries:
        if not resolves(address, known):
            diags.append(UNRESOLVED.at(display, number, 1, address=address))
    return diags


def current_addresses(addresses: Iterable[str]) -> list[str]:
    """The addresses worth promising to keep: overview pages and permalinks, aliases, seminars and feeds."""
    keep = ("oversikter/", "k/", "seminarier/", "feed.xml", "andringar.xml", "overviews.json")
    out = set()
    for rel in addresses:
        area_feed = rel.startswith("omraden/") and rel.endswith("/feed.xml")  # readers subscribe to these
        if not (rel.startswith(keep) or area_feed) or rel.endswith((".png", ".svg", ".bib", ".ris", ".pdf")):
            continue
        out.add("/" + rel)
    return sorted(out)


def register(result: CheckResult, addresses: Iterable[str]) -> tuple[int, Path]:
    """Add the current addresses (``addresses``: the site's, from kop.site.routes) to the registry.

    Never removes a line; returns (added, path).
    """
    path = registry_path(result.project.root)
    existing, _ = read_registry(path, REGISTRY_NAME)
    have = {address for _, address in existing}
    new = [a for a in current_addresses(addresses) if a not in have]
    if not new and path.is_file():
        return 0, path
    addresses = sorted(have | set(new))
    text = HEADER + "\n" + "".join(f"{a}\n" for a in addresses)
    write_atomic(path, text)
    return len(new), path


class RegistryFeature(BaseFeature):
    """The committed address registry: every promised address must still resolve."""

    name = "registry"

    def check(self, ctx: CheckContext) -> FeatureCheck:
        return FeatureCheck(check_registry(ctx.result, ctx.addresses))
