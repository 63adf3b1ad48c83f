"""``kop inbjudan``: print a seminar's ready-to-send invitation (text, Markdown or HTML) to stdout."""

from __future__ import annotations

import argparse
import sys

from kop.core.project import Project

NAME = "inbjudan"
FORMATS = ("text", "markdown", "html")  # kop.features.seminars.invitation.FORMATS (a test keeps them equal)
HELP = "skriv ut en färdig inbjudan till ett seminarium (text, Markdown eller HTML)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("seminar", metavar="SEMINARIUM", help="seminariets kortnamn (filnamnet i seminars/ utan .md)")
    parser.add_argument("--format", dest="output_format", choices=FORMATS, default="text",
                        help="text (e-post, standard), markdown eller html")


def run(project: Project, args: argparse.Namespace) -> int:
    """Print the invitation to stdout; problems in the seminar's file go to stderr."""
    from kop.core.messages import did_you_mean
    from kop.core.report import print_diagnostics
    from kop.core.urls import on_site
    from kop.features.seminars.feature import seminars_of
    from kop.features.seminars.invitation import build, render
    from kop.features.seminars.model import usable
    from kop.site.checking import check

    result = check(project)
    slug = str(args.seminar).removesuffix(".md").rsplit("/", 1)[-1]
    loaded = seminars_of(result)
    sem = next((s for s in loaded if s.slug == slug), None)
    if sem is None:
        known = [s.slug for s in loaded]
        hint = did_you_mean(slug, known) or (f" Seminarier som finns: {', '.join(known)}." if known else
                                              " Det finns inga seminarier i seminars/.")
        print(f"kop: seminariet '{slug}' finns inte.{hint}", file=sys.stderr)
        return 2
    display = project.display(sem.path)
    own = [d for d in result.diagnostics if d.path == display]
    if own:
        print_diagnostics(own)
    if any(d.severity == "error" for d in own) or not usable(sem):
        print("Ingen inbjudan skrevs: rätta felen ovan först.", file=sys.stderr)
        return 1
    by_id = {str(ov.meta["id"]): ov for ov in on_site(result.overviews)}
    sys.stdout.write(render(build(sem, by_id, project.site_url), args.output_format))
    return 0
