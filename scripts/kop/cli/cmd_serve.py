"""``kop serve``: preview the site locally and rebuild when the sources change."""

from __future__ import annotations

import argparse

from kop.core.project import Project

NAME = "serve"
HELP = "förhandsvisa webbplatsen och bygg om vid ändringar"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--addr", default="127.0.0.1:8000",
                        help="adress för förhandsvisningen (standard 127.0.0.1:8000)")


def run(project: Project, args: argparse.Namespace) -> int:
    from kop.site.serve import serve

    return serve(project, args.addr)
