"""``kop build``: check, then build the site into ``site/`` (the old site stays if anything fails)."""

from __future__ import annotations

import argparse
import sys
import time

from kop.cli.output import report
from kop.core.project import Project

NAME = "build"
HELP = "kontrollera och bygg webbplatsen till site/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timings", action="store_true", help="skriv ut hur lång tid varje steg tog")


def run(project: Project, args: argparse.Namespace) -> int:
    from kop.core.results import Timings
    from kop.site.build import build

    start = time.perf_counter()
    timings = Timings()
    result = build(project, timings=timings)
    report(result.diagnostics, args)
    if args.timings:
        for name, seconds in timings.steps.items():
            print(f"  {name}: {seconds:.2f} s", file=sys.stderr)
    if not result.ok:
        print("Bygget avbröts; den tidigare webbplatsen i site/ är orörd.", file=sys.stderr)
        return 1
    print(f"Webbplatsen byggdes till {project.display(project.site_dir)}/ på "
          f"{time.perf_counter() - start:.1f} s.", file=sys.stderr)
    return 0
