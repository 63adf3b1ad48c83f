"""``kop registrera``: validate, then add the site's current addresses to ``published-urls.txt``."""

from __future__ import annotations

import argparse
import sys

from kop.core.project import Project

NAME = "registrera"
HELP = "lägg till webbplatsens nuvarande adresser i published-urls.txt"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``registrera`` has no options of its own."""


def run(project: Project, args: argparse.Namespace) -> int:
    from kop.core.report import print_diagnostics
    from kop.features.registry import REGISTRY_NAME, read_registry, register
    from kop.site.checking import check
    from kop.site.routes import predicted_addresses

    result = check(project)
    print_diagnostics(result.diagnostics)
    if not result.ok:
        print("Inga adresser registrerades: rätta felen ovan först.", file=sys.stderr)
        return 1
    added, path = register(result, predicted_addresses(result))
    total = len(read_registry(path, REGISTRY_NAME)[0])
    print(f"Lade till {added} {'adress' if added == 1 else 'adresser'} i {project.display(path)} "
          f"(nu {total} totalt).", file=sys.stderr)
    return 0
