"""``kop bench``: time check, build and preview on generated corpora (maintainers' tool)."""

from __future__ import annotations

import argparse
from pathlib import Path

from kop.core.project import Project

NAME = "bench"
HELP = "mät kontroll, bygge och förhandsvisning på genererade testkorpusar"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scales", default="small,medium,large", help="skalor, kommaseparerade (small,medium,large)")
    parser.add_argument("--runs", type=int, default=3, help="körningar per mätning; medianen redovisas (standard 3)")
    parser.add_argument("--out", type=Path, default=Path("bench-out"), help="katalog för korpusar och resultat")
    parser.add_argument("--fresh-clone", action="store_true",
                        help="mät också ny klon → byggd webbplats, installationen inräknad (hämtar paket)")


def run(project: Project, args: argparse.Namespace) -> int:
    from kop.dev.bench import main as bench_main

    out = args.out if args.out.is_absolute() else args.root / args.out  # relative to --root, as given
    return bench_main(args.scales, args.runs, out, fresh_clone=args.fresh_clone)
