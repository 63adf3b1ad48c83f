"""``kop check``: validate overviews, references.bib and the site's features; builds nothing."""

from __future__ import annotations

import argparse
import sys
import time

from kop.cli.output import report
from kop.core.project import Project

NAME = "check"
HELP = "kontrollera översikter och references.bib (snabbt, bygger inget)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="behandla varningar som fel")


def run(project: Project, args: argparse.Namespace) -> int:
    from kop.site.checking import check

    start = time.perf_counter()
    result = check(project)
    report(result.diagnostics, args)
    failed = not result.ok or (args.strict and result.diagnostics)
    n = len(result.overviews)
    print(f"Kontrollerade {n} {'översikt' if n == 1 else 'översikter'} och {len(result.references)} "
          f"referenser på {time.perf_counter() - start:.2f} s.", file=sys.stderr)
    return 1 if failed else 0
