"""The ``kop`` command line: one entry point for every task the Makefile names.

Exit codes: 0 = fine, 1 = content errors, 2 = usage error (argparse's own code).
All text a user reads is Swedish.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kop.cli import argparse_sv
from kop.core.project import load_project
from kop.core.report import print_diagnostics


def _add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", default=".", type=Path,
                        help="projektets rotkatalog (där overviews/ och references.bib finns); standard: .")


def _parser() -> argparse.ArgumentParser:
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

    p = sub.add_parser("check", help="kontrollera översikter och references.bib (snabbt, bygger inget)")
    _add_root(p)
    p.add_argument("--strict", action="store_true", help="behandla varningar som fel")

    p = sub.add_parser("build", help="kontrollera och bygg webbplatsen till site/")
    _add_root(p)
    p.add_argument("--timings", action="store_true", help="skriv ut hur lång tid varje steg tog")

    p = sub.add_parser("serve", help="förhandsvisa webbplatsen och bygg om vid ändringar")
    _add_root(p)
    p.add_argument("--addr", default="127.0.0.1:8000", help="adress för förhandsvisningen (standard 127.0.0.1:8000)")

    p = sub.add_parser("prepare", help="kontrollera och skapa build/docs utan att köra MkDocs")
    _add_root(p)

    p = sub.add_parser("bench", help="mät kontroll, bygge och förhandsvisning på genererade testkorpusar")
    _add_root(p)
    p.add_argument("--scales", default="small,medium,large", help="skalor, kommaseparerade (small,medium,large)")
    p.add_argument("--runs", type=int, default=3, help="körningar per mätning; medianen redovisas (standard 3)")
    p.add_argument("--out", type=Path, default=Path("bench-out"), help="katalog för korpusar och resultat")

    p = sub.add_parser("ny", help="skapa en ny översikt (utkast) i overviews/ från schemat")
    _add_root(p)
    from kop.cli.ny import add_arguments

    add_arguments(p)

    p = sub.add_parser("registrera", help="lägg till webbplatsens nuvarande adresser i published-urls.txt")
    _add_root(p)
    p = sub.add_parser("inbjudan", help="skriv ut en färdig inbjudan till ett seminarium (text, Markdown eller HTML)")
    _add_root(p)
    from kop.features.seminars.invitation import add_arguments as add_invitation_arguments

    add_invitation_arguments(p)
    return parser


def _report(diags, args) -> None:  # type: ignore[no-untyped-def]
    github = True if args.format == "github" else (False if args.format == "text" else None)
    print_diagnostics(diags, github=github)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = _parser().parse_args(argv)
    root = args.root
    if not root.is_dir():
        print(f"kop: katalogen '{root}' finns inte.", file=sys.stderr)
        return 2
    project = load_project(root)
    start = time.perf_counter()

    if args.command == "check":
        from kop.check.pipeline import check

        result = check(project)
        _report(result.diagnostics, args)
        failed = not result.ok or (args.strict and result.diagnostics)
        n = len(result.overviews)
        print(f"Kontrollerade {n} {'översikt' if n == 1 else 'översikter'} och {len(result.references)} "
              f"referenser på {time.perf_counter() - start:.2f} s.", file=sys.stderr)
        return 1 if failed else 0

    if args.command == "prepare":
        from kop.site.build import prepare

        result, formatted = prepare(project)
        _report(result.diagnostics, args)
        return 0 if formatted is not None else 1

    if args.command == "build":
        from kop.core.results import Timings
        from kop.site.build import build

        timings = Timings()
        result = build(project, timings=timings)
        _report(result.diagnostics, args)
        if args.timings:
            for name, seconds in timings.steps.items():
                print(f"  {name}: {seconds:.2f} s", file=sys.stderr)
        if not result.ok:
            print("Bygget avbröts; den tidigare webbplatsen i site/ är orörd.", file=sys.stderr)
            return 1
        print(f"Webbplatsen byggdes till {project.display(project.site_dir)}/ på "
              f"{time.perf_counter() - start:.1f} s.", file=sys.stderr)
        return 0

    if args.command == "ny":
        from kop.cli.ny import run

        return run(project, args)

    if args.command == "bench":
        from kop.dev.bench import main as bench_main

        return bench_main(args.scales, args.runs, args.out if args.out.is_absolute() else root / args.out)

    if args.command == "serve":
        from kop.site.serve import serve

        return serve(project, args.addr)

    if args.command in ("registrera", "inbjudan"):
        from kop.features.registry import run as register_run
        from kop.features.seminars.invitation import run as invitation_run

        return (register_run if args.command == "registrera" else invitation_run)(project, args)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
