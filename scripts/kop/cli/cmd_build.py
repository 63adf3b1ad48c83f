"""``kop build``: check, then build the site into ``site/`` (the old site stays if anything fails)."""

from __future__ import annotations

import argparse
import os
import sys
import time

from kop.cli.output import report
from kop.core.catalogue import message
from kop.core.model import Diagnostic
from kop.core.project import Project

NAME = "build"
HELP = "kontrollera och bygg webbplatsen till site/"

# The example address in the template's mkdocs.yml: fine for local builds, never for publishing.
PLACEHOLDER_HOSTS = ("kop.example.org",)
ADDRESS_NOT_SET = message("KOP509")
FORM_PLACEHOLDER = message("KOP510")
PREVIEW_NOT_PUBLISHED = message("KOP616")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timings", action="store_true", help="skriv ut hur lång tid varje steg tog")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--publicera", action="store_true",
                      help="bygg för publicering: stoppa om webbplatsens adress (site_url) inte är inställd")
    mode.add_argument("--forhandsvisning", "--förhandsvisning", action="store_true", dest="forhandsvisning",
                      help="bygg en förhandsvisning även om kontrollen hittar fel: sidor med fel får en röd ruta "
                           "överst, och det som säkerhetskontrollen stoppar tas inte med (aldrig för publicering)")


def address_problems(project: Project) -> list[Diagnostic]:
    """KOP509 at mkdocs.yml's ``site_url`` when it is empty or the template's example; KOP510 at issue-form links
    that still use the example address."""
    from urllib.parse import urlsplit

    out = []
    forms = project.root / ".github" / "ISSUE_TEMPLATE"
    for form in sorted(forms.glob("*.yml")) if forms.is_dir() else []:
        for number, text in enumerate(form.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if any(h in text for h in PLACEHOLDER_HOSTS) and text.lstrip().startswith(("url:", "placeholder:")):
                shown = text.split(":", 1)[1].strip()
                out.append(FORM_PLACEHOLDER.at(project.display(form), number, text.find(shown) + 1, value=shown))
    url = project.site_url.strip()
    host = (urlsplit(url).hostname or "") if url else ""
    if url and host and host not in PLACEHOLDER_HOSTS and not host.endswith(".example.org"):
        return out
    line = 1
    if project.mkdocs_yml.exists():
        lines = project.mkdocs_yml.read_text(encoding="utf-8", errors="replace").splitlines()
        line = next((i for i, text in enumerate(lines, 1) if text.startswith("site_url:")), 1)
    value = f"exempeladressen {url}" if url else "tom"
    return [ADDRESS_NOT_SET.at(project.display(project.mkdocs_yml), line, 1, value=value), *out]


def run(project: Project, args: argparse.Namespace) -> int:
    from kop.core.results import Timings
    from kop.site.build import build

    if args.forhandsvisning:
        return _preview(project, args)
    if args.publicera or os.environ.get("KOP_PUBLISH") == "1":
        problems = address_problems(project)
        if problems:
            report(problems, args)
            print("Bygget för publicering avbröts; den tidigare webbplatsen i site/ är orörd.", file=sys.stderr)
            return 1
    start = time.perf_counter()
    timings = Timings()
    result = build(project, timings=timings)
    report(result.diagnostics, args)
    if args.timings:
        for name, seconds in timings.steps.items():
            print(f"  {name}: {seconds:.2f} s", file=sys.stderr)
    if not result.ok:
        print("Bygget avbröts; den tidigare webbplatsen i site/ är orörd.", file=sys.stderr)
        return 1
    print(f"Webbplatsen byggdes till {project.display(project.site_dir)}/ på "
          f"{time.perf_counter() - start:.1f} s.", file=sys.stderr)
    return 0


def _preview(project: Project, args: argparse.Namespace) -> int:
    """``kop build --forhandsvisning``: 0 when the preview was built, whatever the check found."""
    from kop.core.results import Timings
    from kop.site.build import build_preview

    if os.environ.get("KOP_PUBLISH") == "1":  # the deploy workflow: a preview must never be published
        report([PREVIEW_NOT_PUBLISHED.at(project.display(project.mkdocs_yml), 1, 0)], args)
        return 2
    start = time.perf_counter()
    timings = Timings()
    result, built = build_preview(project, timings=timings)
    report(result.diagnostics, args)
    if not built:
        print("Förhandsvisningen kunde inte byggas; den tidigare webbplatsen i site/ är orörd.", file=sys.stderr)
        return 1
    problems = sum(d.severity == "error" for d in result.diagnostics)
    note = f" med {problems} fel (sidorna med fel har en röd ruta överst)" if problems else ""
    print(f"Förhandsvisningen byggdes till {project.display(project.site_dir)}/{note} på "
          f"{time.perf_counter() - start:.1f} s. Den får aldrig publiceras.", file=sys.stderr)
    return 0
