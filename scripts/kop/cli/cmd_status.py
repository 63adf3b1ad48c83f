"""``kop status``: which overviews need updating, which drafts are stale, what waits in review."""

from __future__ import annotations

import argparse
import sys

from kop.cli.output import report
from kop.core.project import Project

NAME = "status"
HELP = "visa översikter som behöver uppdateras, gamla utkast och översikter under granskning"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``status`` has no options of its own."""


def run(project: Project, args: argparse.Namespace) -> int:
    from kop.core.project import today
    from kop.features.maintenance import attention_rows
    from kop.render.maintenance import attention_text
    from kop.site.checking import check

    result = check(project)
    if not result.ok:
        # A file with errors is not read, so the list could leave it out: say so, with the errors.
        report([d for d in result.diagnostics if d.severity == "error"], args)
        print("Listan nedan gäller bara filerna utan fel. Rätta felen ovan och kör kommandot igen.",
              file=sys.stderr)
    print(attention_text(attention_rows(result, today())))
    return 0 if result.ok else 1
