"""``kop status``: which overviews need updating, which drafts are stale, what waits in review."""

from __future__ import annotations

import argparse

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
    print(attention_text(attention_rows(result, today())))
    return 0
