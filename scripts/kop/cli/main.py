"""The ``kop`` command line: one entry point for every task the Makefile names.

Exit codes: 0 = fine, 1 = content errors, 2 = usage error (argparse's own code).
All text a user reads is Swedish. The parser is :mod:`kop.cli.parser`; each command
is a ``kop.cli.cmd_*`` module.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kop.cli.parser import COMMANDS, build_parser
from kop.core.project import load_project


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = build_parser().parse_args(argv)
    if not args.root.is_dir():
        print(f"kop: katalogen '{args.root}' finns inte.", file=sys.stderr)
        return 2
    project = load_project(args.root)
    return COMMANDS[args.command].run(project, args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
