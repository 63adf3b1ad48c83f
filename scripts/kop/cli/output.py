"""How the commands print problems: the global ``--format`` option decides text or GitHub annotations."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from kop.core.model import Diagnostic
from kop.core.report import print_diagnostics


def report(diags: Sequence[Diagnostic], args: argparse.Namespace) -> None:
    """Print ``diags`` to stderr; ``--format`` chooses, otherwise GitHub Actions is detected."""
    github = True if args.format == "github" else (False if args.format == "text" else None)
    print_diagnostics(diags, github=github)
