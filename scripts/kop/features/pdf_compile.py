"""Compile Typst sources to PDF in a process of its own: ``python pdf_compile.py ROOT SOURCE.typ …``.

Run as a script by :mod:`kop.features.pdf` (one process per core), never imported by the
build: Typst starts a thread pool on first use, and a process forked after that deadlocks
in Typst, so the build's own processes, which fork, never load it. Each ``X.typ`` becomes
``X.pdf``, or ``X.err`` with Typst's message. ``ROOT`` is an empty folder that Typst may
read from (nothing), so a source can never reach a file; only Typst's embedded fonts are
used, so the output is the same on every machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def compile_one(source: Path, root: str) -> None:
    import typst

    try:
        pdf = typst.compile(source.read_bytes(), root=root, ignore_system_fonts=True)
    except typst.TypstError as exc:
        source.with_suffix(".err").write_text(str(getattr(exc, "message", "") or exc), encoding="utf-8")
        return
    tmp = source.with_suffix(".pdf.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, source.with_suffix(".pdf"))


def main(argv: list[str]) -> int:
    root, *sources = argv
    for source in sources:
        compile_one(Path(source), root)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
