"""``kop kommentar``: write the pull request's check report as Markdown, for the bot's comment.

The ``pull_request`` workflow runs this (with a read-only token) and uploads the file as an
artifact; the separate ``workflow_run`` workflow (``pr-kommentar.yml``) posts it as ONE comment,
found again by :data:`MARKER` and updated on every push. Every value that comes from the pull
request (paths, messages quoting its text) is escaped, so it cannot add links, mentions or HTML.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from kop.core.model import Diagnostic
from kop.core.project import Project

NAME = "kommentar"
HELP = "skriv kontrollens resultat som Markdown (kommentaren på en pull request)"

MARKER = "<!-- kop-pr-kommentar -->"
MAX_PROBLEMS = 200  # a GitHub comment holds 65 536 characters; the rest are counted, not listed
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
BUILD_TEXT = {
    "success": "Webbplatsen byggdes utan fel.",
    "failure": "Webbplatsen kunde inte byggas. Rätta felen ovan, så byggs den igen när du sparar ändringen.",
    "skipped": "Webbplatsen byggdes inte, eftersom kontrollen hittade fel.",
    "forhandsvisning": "Webbplatsen byggdes som förhandsvisning trots felen: varje sida med fel har en röd ruta "
                       "överst som listar felen, och sidan Förhandsvisning listar alla.",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ut", type=Path, required=True, metavar="FIL", help="filen som Markdown skrivs till")
    parser.add_argument("--bygge", choices=sorted(BUILD_TEXT), default="skipped",
                        help="hur bygget av webbplatsen gick (success, failure eller skipped)")
    parser.add_argument("--forhandsvisning", default="", metavar="ADRESS",
                        help="var förhandsvisningen finns (adressen till körningen på GitHub)")
    parser.add_argument("--webb", default="", metavar="ADRESS",
                        help="förhandsvisningens adress på webben (när pr-forhandsvisning.yml är påslaget)")


def esc(value: object) -> str:
    """Plain text for GitHub Markdown: no HTML, no links, no formatting, no @mentions."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("@", "&#64;")


def _link(diag: Diagnostic, blob: str) -> str:
    where = f"{diag.path}:{diag.line}" + (f":{diag.column}" if diag.column else "")
    if not blob or diag.line < 1:
        return f"**{esc(where)}**"
    return f"[**{esc(where)}**]({blob}/{quote(diag.path)}#L{diag.line})"


def comment(diags: Sequence[Diagnostic], build: str, preview: str, blob: str = "", web: str = "") -> str:
    """The whole comment: summary, every problem (file:line link, what is wrong, how to fix), preview."""
    from kop.core.report import summary

    errors = [d for d in diags if d.severity == "error"]
    out = [MARKER, "## Kontroll av dina ändringar", ""]
    if not diags:
        out.append("✅ Inga problem hittades i översikter, seminarier och `references.bib`.")
    else:
        sign = "❌" if errors else "⚠️"
        out += [f"{sign} {esc(summary(diags))} Rätta felen i filerna nedan och spara (gör en ny commit) i samma "
                "gren, så kontrolleras allt igen och den här kommentaren uppdateras.", ""]
        ordered = sorted(diags, key=lambda d: (d.path, d.line, d.column, d.code, d.message))
        for diag in ordered[:MAX_PROBLEMS]:
            label = "fel" if diag.severity == "error" else "varning"
            out.append(f"- {_link(diag, blob)} – {label}: {esc(diag.message)} ({esc(diag.code)})")
            if diag.hint:
                out.append(f"  - Så rättar du: {esc(diag.hint)}")
        if len(ordered) > MAX_PROBLEMS:
            out.append(f"- … och {len(ordered) - MAX_PROBLEMS} problem till. Kör `make check` för hela listan.")
        out += ["", "Vad ett felmeddelande betyder står i guiden under *Felmeddelanden* (sök på koden, "
                "till exempel KOP105)."]
    out += ["", "### Förhandsvisning", "", BUILD_TEXT[build]]
    if web and build in ("success", "forhandsvisning"):
        out.append(f"Öppna [förhandsvisningen]({web}); den läggs ut någon minut efter kontrollen.")
    if preview and build in ("success", "forhandsvisning"):
        out.append(f"Ladda ned den byggda webbplatsen (artefakten *webbplats-forhandsvisning*) längst ned på "
                   f"[sidan för körningen]({preview}), packa upp den och öppna `index.html`.")
    return "\n".join(out) + "\n"


def run(project: Project, args: argparse.Namespace) -> int:
    """Run the check and write the comment; always 0 (the check step itself reports failure)."""
    from kop.site.checking import check

    result = check(project)
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    repo, sha = os.environ.get("GITHUB_REPOSITORY", ""), os.environ.get("KOP_HEAD_SHA", "")
    ok = re.fullmatch(r"[\w.-]+/[\w.-]+", repo) and re.fullmatch(r"[0-9a-f]{40}", sha)
    blob = f"{server}/{repo}/blob/{sha}" if ok else ""
    preview = args.forhandsvisning if re.fullmatch(r"https://[\w./-]+", args.forhandsvisning) else ""
    web = args.webb if re.fullmatch(r"https://[\w./-]+", args.webb) else ""
    args.ut.parent.mkdir(parents=True, exist_ok=True)
    args.ut.write_text(comment(result.diagnostics, args.bygge, preview, blob, web), encoding="utf-8")
    return 0
