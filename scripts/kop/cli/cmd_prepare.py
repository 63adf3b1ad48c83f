"""``kop prepare``: check and write the generated pages to ``build/docs`` without running MkDocs."""

from __future__ import annotations

import argparse

from kop.cli.output import report
from kop.core.project import Project

NAME = "prepare"
HELP = "kontrollera och skapa build/docs utan att köra MkDocs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``prepare`` has no options of its own."""


def run(project: Project, args: argparse.Namespace) -> int:
    from kop.site.build import prepare

    result, formatted = prepare(project)
    report(result.diagnostics, args)
    return 0 if formatted is not None else 1
