"""The ``kop`` argument parser: global options, and one subcommand per ``cmd_*`` module.

Each command module exposes ``NAME``, ``HELP``, ``add_arguments(subparser)`` and
``run(project, args) -> int``; this module adds the options every command shares
(``--root``) and keeps the commands in the order ``kop --help`` lists them. Command
modules import their work inside ``run()``, so building the parser stays cheap.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import ModuleType

from kop.cli import (
    argparse_sv,
    cmd_bench,
    cmd_build,
    cmd_check,
    cmd_inbjudan,
    cmd_kommentar,
    cmd_ny,
    cmd_prepare,
    cmd_registrera,
    cmd_serve,
    cmd_status,
)

COMMANDS: dict[str, ModuleType] = {module.NAME: module for module in (
    cmd_check, cmd_build, cmd_serve, cmd_prepare, cmd_bench, cmd_ny, cmd_registrera, cmd_inbjudan,
    cmd_kommentar, cmd_status,
)}


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default=".", type=Path,
                        help="projektets rotkatalog (där overviews/ och references.bib finns); standard: .")


def build_parser() -> argparse.ArgumentParser:
    """The whole parser, with argparse's own texts in Swedish."""
    argparse_sv.install()
    parser = argparse.ArgumentParser(
        prog="kop",
        description="KÖP – validera och bygg webbplatsen för kunskapsöversikter.",
    )
    parser.add_argument("--format", choices=["text", "github"], default=None,
                        help="utformat för problem (github = annoteringar i GitHub Actions; väljs "
                             "automatiskt där)")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    sub.required = True
    for name, module in COMMANDS.items():
        p = sub.add_parser(name, help=module.HELP)
        add_root(p)
        module.add_arguments(p)
    return parser
